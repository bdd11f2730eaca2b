//! `showcase serve`: builds the site into a temporary folder, serves it with live reload,
//! and rebuilds on every change until stopped.
//!
//! Invariant: the preview never writes outside its temporary folder (never `public/`); a
//! failed rebuild leaves the last good files in place and only publishes its errors; the
//! folder is removed on exit, Ctrl-C and SIGTERM included.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::error::{Error, Errors};
use crate::pipeline;
use crate::render::{Data, OutputFile};
use crate::serve::live::Live;
use crate::serve::server::Preview;
use crate::serve::watcher::{self, Notice};
use crate::site::BuildOptions;
use crate::source::FileData;

/// Settings of `showcase serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// First port to try.
    pub port: u16,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Include drafts and embargoed items (the default for the preview).
    pub drafts: bool,
    /// Open the preview in the default browser.
    pub open: bool,
}

/// The environment variable that carries a preview across the restart that ends a runaway
/// render (see [`restart`]): JSON `{"folder", "port", "error", "built", "edited"}`.
const RESUME: &str = "SHOWCASE_PREVIEW_RESUME";

/// The prefix of the preview's temporary folder.
const FOLDER_PREFIX: &str = "showcase-preview-";

/// What a restarted preview takes over from the process it replaces.
#[derive(serde::Serialize, serde::Deserialize)]
struct Resume {
    /// The temporary folder, holding the last good site in `site/`.
    folder: PathBuf,
    /// The port it listened on.
    port: u16,
    /// Why it restarted: the error as [`Error::to_json`] writes it.
    error: serde_json::Value,
    /// The folder holds a good site (else the runaway was in the first build).
    #[serde(default)]
    built: bool,
    /// Files changed while the runaway rendered (the fix, saved before the restart): the
    /// new process builds at once instead of waiting for the next change.
    #[serde(default)]
    edited: bool,
}

impl Resume {
    /// The resume record of this start, if it is a restart of ours: the folder must be a
    /// preview folder in the system's temporary folder.
    fn from_env() -> Option<Resume> {
        let r: Resume = serde_json::from_str(&std::env::var(RESUME).ok()?).ok()?;
        let ours = r.folder.parent() == Some(std::env::temp_dir().as_path())
            && r.folder
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(FOLDER_PREFIX))
            && r.folder.join("site").is_dir();
        ours.then_some(r)
    }

    fn error(&self) -> Error {
        let text = |k: &str| self.error[k].as_str().map(str::to_string);
        let number = |k: &str| self.error[k].as_u64().map(|n| n as usize);
        Error {
            path: text("path").unwrap_or_default().into(),
            line: number("line"),
            column: number("column"),
            message: text("message").unwrap_or_default(),
            help: text("help"),
        }
    }
}

/// The preview's temporary folder, removed when dropped (unless the process restarts).
struct Folder(PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Ends a runaway render, which no thread can stop: shows its error, then replaces this
/// process with a new preview (same arguments, same port, same folder), which serves the
/// last good site and builds again on the next change, or at once when files changed while
/// the render ran away (`notices` holds what the watcher saw meanwhile: the rebuild loop,
/// stuck in the render, did not take it).
fn restart(
    error: &Error,
    live: &Live,
    notices: &Mutex<Receiver<Notice>>,
    folder: &Path,
    port: u16,
) {
    let built = live.built();
    eprintln!("error: {error}");
    eprintln!(
        "restarting the preview to stop that render; {}",
        if built {
            "still serving the last good site"
        } else {
            "the site has not built yet"
        }
    );
    live.failed(vec![error.clone()]);
    // Let the event reach the browsers before their connections close, and an edit saved
    // just now reach the watcher's channel (it waits for the files to be quiet).
    std::thread::sleep(std::time::Duration::from_millis(300));
    // The loop holds the lock only while it waits for a change, never during a render.
    let edited = notices.try_lock().is_ok_and(|rx| {
        rx.try_iter()
            .any(|n| matches!(n, Notice::Changed(ref c) if !c.paths.is_empty() || c.rescan))
    });
    let resume = Resume {
        folder: folder.to_path_buf(),
        port,
        error: error.to_json("error"),
        built,
        edited,
    };
    #[cfg(unix)]
    if let (Ok(exe), Ok(json)) = (std::env::current_exe(), serde_json::to_string(&resume)) {
        use std::os::unix::process::CommandExt;
        // Descriptors are opened close-on-exec by Rust: the new process binds the port anew.
        let e = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env(RESUME, json)
            .exec();
        eprintln!("error: cannot restart the preview: {e}");
    }
    let _ = std::fs::remove_dir_all(folder);
    std::process::exit(1);
}

/// Runs the preview until the process is stopped. `log` receives one line per event.
pub fn run(opts: &ServeOptions, log: &(dyn Fn(&str) + Sync)) -> Result<(), Errors> {
    let resume = Resume::from_env();
    let folder = match &resume {
        Some(r) => r.folder.clone(),
        None => tempfile::Builder::new()
            .prefix(FOLDER_PREFIX)
            .tempdir()
            .map_err(|e| {
                vec![Error::new(
                    "(temporary folder)",
                    format!("cannot create it: {e}"),
                )]
            })?
            .keep(),
    };
    let tmp = Folder(folder);
    let out = tmp.0.join("site");
    std::fs::create_dir_all(&out)
        .map_err(|e| vec![Error::new(&out, format!("cannot create: {e}"))])?;
    let live = Live::new();
    let port = resume.as_ref().map_or(opts.port, |r| r.port);
    let server = Preview::bind(opts.bind, port, &out, Some(live.clone())).map_err(|e| {
        vec![Error::new(
            format!("{}:{}", opts.bind, opts.port),
            format!("cannot listen: {e}"),
        )]
    })?;
    if !opts.bind.is_loopback() {
        log(&format!(
            "warning: listening on {}: anyone on the network can see drafts and embargoed items",
            opts.bind
        ));
    }
    let host = if opts.bind.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        opts.bind.to_string()
    };
    let base_url = format!("http://{host}:{}", server.addr.port());
    let tmp_path = tmp.0.clone();
    // Ctrl-C and SIGTERM remove the preview folder before exiting.
    let _ = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&tmp_path);
        std::process::exit(0);
    });

    // Watch before the first build, so that no edit made while it runs is lost.
    let (_watcher, notices) = watcher::watch(&opts.root, vec![tmp.0.clone()]);
    let notices = Arc::new(Mutex::new(notices));
    // A render that runs away past its budget, which no thread can stop, restarts the
    // preview (see `crate::render::watchdog`).
    let (watched_live, folder, bound) = (live.clone(), tmp.0.clone(), server.addr.port());
    let pending = Arc::clone(&notices);
    let _watchdog = crate::render::watchdog::spawn(move |runaway| {
        restart(&runaway.error(), &watched_live, &pending, &folder, bound);
    });
    let mut state = PreviewState {
        out: out.clone(),
        written: HashMap::new(),
        cache: pipeline::Cache::default(),
        inherited: resume.is_some(),
    };
    let options = BuildOptions {
        drafts: opts.drafts,
        embargoed: opts.drafts,
        ..BuildOptions::default()
    };
    let start = Instant::now();
    let inherited_site = resume.as_ref().is_some_and(|r| r.built);
    let mut server = Some(server);
    let serve_now = |server: &mut Option<Preview>| {
        if let Some(server) = server.take() {
            std::thread::spawn(move || server.run());
            log(&format!("serving {base_url}/  (Ctrl-C to stop)"));
        }
    };
    if inherited_site {
        live.has_site();
        // The last good site is there: serve it while the fix builds.
        serve_now(&mut server);
    }
    match &resume {
        // Restarted after a runaway render, and nothing changed since: building now would
        // run away again. Serve the last good site (if any) with the error until a change.
        Some(r) if !r.edited => {
            log(&format!("error: {}", r.error()));
            log(if r.built {
                "still serving the last good site; the next change builds again"
            } else {
                "the site has not built yet; the next change builds again"
            });
            if !r.built {
                state.placeholder();
            }
            live.failed(vec![r.error()]);
        }
        _ => {
            if resume.is_some() {
                log("files changed while that render ran: building them");
            }
            match rebuild(opts, &base_url, &options, &mut state, None) {
                Ok(stats) => {
                    live.has_site();
                    if inherited_site {
                        // Pages opened on the last good site meanwhile.
                        live.rebuilt(false);
                    }
                    log(&format!(
                        "built {} files in {} ms",
                        stats.written,
                        start.elapsed().as_millis()
                    ));
                }
                Err(errors) => {
                    for e in &errors {
                        log(&format!("error: {e}"));
                    }
                    if !inherited_site {
                        state.placeholder();
                    }
                    live.failed(errors);
                }
            }
        }
    }
    serve_now(&mut server);
    if opts.open && resume.is_none() {
        open_browser(&format!("{base_url}/"), log);
    }

    loop {
        // Locked only while waiting: a restart takes what came during a render.
        let next = notices.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(notice) = next else { break };
        match notice {
            Notice::Problem(p) => log(&format!("warning: {p}")),
            Notice::Changed(change) => {
                let start = Instant::now();
                let what = describe(&change, &opts.root);
                let options = BuildOptions {
                    drafts: opts.drafts,
                    embargoed: opts.drafts,
                    ..BuildOptions::default()
                };
                if !change.rescan {
                    state.cache.changed(change.paths.clone());
                }
                let hint = (!change.rescan).then_some(&change.paths);
                match rebuild(opts, &base_url, &options, &mut state, hint) {
                    Ok(stats) => {
                        live.rebuilt(stats.css_only);
                        log(&format!(
                            "{what}: {} pages rendered, {} files written, {} ms [{}]",
                            stats.rendered,
                            stats.written,
                            start.elapsed().as_millis(),
                            stats.timings
                        ));
                    }
                    Err(errors) => {
                        log(&format!(
                            "{what}: {} error{}, still serving the last good site",
                            errors.len(),
                            if errors.len() == 1 { "" } else { "s" }
                        ));
                        for e in &errors {
                            log(&format!("error: {e}"));
                        }
                        live.failed(errors);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Opens `url` with the desktop's default browser; says so when there is none.
fn open_browser(url: &str, log: &(dyn Fn(&str) + Sync)) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        log(&format!(
            "warning: cannot open a browser ({opener}: {e}); open {url} by hand"
        ));
    }
}

fn describe(change: &watcher::Change, root: &Path) -> String {
    // Tools' temporary files that came and went are not worth a mention.
    let shown: Vec<&PathBuf> = change
        .paths
        .iter()
        .filter(|p| root.join(p).exists() || !crate::source::is_transient(p))
        .collect();
    let mut names: Vec<String> = shown
        .iter()
        .take(3)
        .map(|p| crate::error::printable(&p.display().to_string()).into_owned())
        .collect();
    if shown.len() > 3 {
        names.push(format!("and {} more", shown.len() - 3));
    }
    let mut s = format!("changed {}", names.join(", "));
    if change.rescan {
        s.push_str(" (full rescan)");
    }
    s
}

struct PreviewState {
    out: PathBuf,
    /// Output path -> what is on disk, for the files the preview wrote.
    written: HashMap<String, Written>,
    /// What the last build keeps for the next one.
    cache: pipeline::Cache,
    /// The folder holds files of the process this one replaced, which `written` does not
    /// know: the first good build removes those it does not make.
    inherited: bool,
}

struct Stats {
    rendered: usize,
    written: usize,
    css_only: bool,
    timings: String,
}

fn rebuild(
    opts: &ServeOptions,
    base_url: &str,
    options: &BuildOptions,
    state: &mut PreviewState,
    changed: Option<&BTreeSet<PathBuf>>,
) -> Result<Stats, Errors> {
    let r = pipeline::render_cached(&opts.root, Some(base_url), options, &mut state.cache)?;
    let mut timings = r.timings;
    // Copied files' paths are built from the root as given (`.`, `../site`): strip that.
    let result = state.apply(&r.files, changed, &opts.root);
    if result.is_ok() && state.inherited {
        state.prune();
        state.inherited = false;
    }
    timings.mark("write");
    result.map(|(written, css_only)| Stats {
        rendered: r.rendered,
        written,
        css_only,
        timings: timings.summary(),
    })
}

/// How the preview knows a written file is unchanged without reading it again.
#[derive(Clone, PartialEq, Eq)]
enum Written {
    /// Rendered bytes shared with the render's memo: the same allocation means unchanged.
    Shared(Arc<Vec<u8>>),
    /// A copied file: its source's path, size and modification time.
    Stamp(PathBuf, u64, Option<std::time::SystemTime>),
    /// Anything else: a hash of the bytes.
    Hash(u64),
}

impl PreviewState {
    /// Removes the files that are gone, then writes the ones that changed: in that order,
    /// since a page may give way to a file of its name (`about/index.html` to `about`).
    fn apply(
        &mut self,
        files: &[OutputFile],
        hint: Option<&BTreeSet<PathBuf>>,
        root: &Path,
    ) -> Result<(usize, bool), Errors> {
        // Update the record in place: no map is rebuilt for 10,000 unchanged files.
        let mut changed: Vec<&OutputFile> = Vec::new();
        let mut seen = 0;
        for f in files {
            let previous = self.written.get(&f.path);
            let mark = match &f.data {
                Data::Bytes(b) => Written::Shared(Arc::clone(b)),
                // With the watcher's list, a copied file that is not on it is unchanged.
                Data::Copy(FileData::Disk(p))
                    if hint.is_some_and(|c| !c.contains(p.strip_prefix(root).unwrap_or(p)))
                        && matches!(previous, Some(Written::Stamp(old, _, _)) if old == p) =>
                {
                    previous.cloned().unwrap_or(Written::Hash(0))
                }
                Data::Copy(FileData::Disk(p)) => {
                    let meta = std::fs::symlink_metadata(p).ok();
                    Written::Stamp(
                        p.clone(),
                        meta.as_ref().map_or(0, |m| m.len()),
                        meta.and_then(|m| m.modified().ok()),
                    )
                }
                Data::Copy(FileData::Embedded(b)) => Written::Hash(crate::site::fingerprint(b)),
                // The preview's sink leaves the bytes in the render: nothing reaches it written.
                Data::Streamed(n) => Written::Hash(*n),
            };
            let same = match (previous, &mark) {
                (Some(Written::Shared(old)), Written::Shared(new)) => {
                    Arc::ptr_eq(old, new) || old == new
                }
                (Some(old), new) => old == new,
                (None, _) => false,
            };
            if previous.is_some() {
                seen += 1;
            }
            if !same {
                crate::output::check_path(f).map_err(|e| vec![e])?;
                changed.push(f);
            }
            match self.written.get_mut(&f.path) {
                Some(slot) => *slot = mark,
                None => {
                    self.written.insert(f.path.clone(), mark);
                }
            }
        }
        let mut removed = 0;
        if self.written.len() != files.len() || seen != files.len() {
            let now: std::collections::HashSet<&str> =
                files.iter().map(|f| f.path.as_str()).collect();
            let gone: Vec<String> = self
                .written
                .keys()
                .filter(|k| !now.contains(k.as_str()))
                .cloned()
                .collect();
            for old in gone {
                self.written.remove(&old);
                removed += 1;
                // Only paths that passed the check were written; check again all the same,
                // since a removal outside the folder could not be undone.
                if crate::output::path::check(&old).is_err() {
                    continue;
                }
                let path = self.out.join(&old);
                let _ = std::fs::remove_file(&path);
                // Empty folders go too, as a fresh build would not have them.
                let mut dir = path.parent();
                while let Some(d) = dir.filter(|d| *d != self.out && d.starts_with(&self.out)) {
                    if std::fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
        }
        for f in &changed {
            let bytes = bytes_of(f).map_err(|e| vec![e])?;
            write_atomic(&self.out, &f.path, &bytes).map_err(|e| {
                // Forget the file: the next rebuild writes it again.
                self.written.remove(&f.path);
                vec![Error::new(
                    f.origin.file(&f.path),
                    format!("the preview cannot write /{}: {}", f.path, e.message),
                )]
            })?;
        }
        let css_only =
            !changed.is_empty() && removed == 0 && changed.iter().all(|f| f.path.ends_with(".css"));
        Ok((changed.len() + removed, css_only))
    }

    /// Removes the files of the folder that the last build did not write (those a replaced
    /// process left).
    fn prune(&self) {
        for entry in walkdir::WalkDir::new(&self.out)
            .contents_first(true)
            .into_iter()
            .flatten()
        {
            let path = entry.path();
            let Some(rel) = path.strip_prefix(&self.out).ok().and_then(|r| r.to_str()) else {
                continue;
            };
            let rel = rel.replace('\\', "/");
            if entry.file_type().is_dir() {
                let _ = std::fs::remove_dir(path);
            } else if !self.written.contains_key(&rel) {
                let _ = std::fs::remove_file(path);
            }
        }
    }

    /// A page to show while the very first build has errors.
    fn placeholder(&mut self) {
        let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>showcase preview</title></head><body><p>The site has errors; fix them and this page reloads by itself.</p></body></html>";
        for p in ["index.html", "404.html"] {
            let _ = write_atomic(&self.out, p, html.as_bytes());
            self.written.insert(p.to_string(), Written::Hash(0));
        }
    }
}

fn bytes_of(f: &OutputFile) -> Result<std::borrow::Cow<'_, [u8]>, Error> {
    Ok(match &f.data {
        Data::Bytes(b) => b.as_slice().into(),
        Data::Copy(FileData::Embedded(b)) => (*b).into(),
        Data::Copy(FileData::Disk(p)) => crate::source::read_file(p)
            .map_err(|e| Error::new(p, format!("cannot read: {e}")))?
            .into(),
        Data::Streamed(_) => {
            return Err(Error::new(
                &f.path,
                "was written by a build, not by the preview",
            ));
        }
    })
}

/// Writes `rel` under `out` through a temporary file and a rename, so the server never
/// serves half a file.
fn write_atomic(out: &Path, rel: &str, bytes: &[u8]) -> Result<(), Error> {
    crate::output::path::check(rel).map_err(|why| {
        Error::new(
            rel,
            format!("refusing to write outside the preview's folder: {why}"),
        )
    })?;
    let dest = out.join(rel);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::new(rel, format!("cannot create its folder: {e}")))?;
    }
    let tmp = dest.with_file_name(format!(
        ".{}.showcase-tmp",
        dest.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes).map_err(|e| Error::new(rel, format!("cannot write: {e}")))?;
    std::fs::rename(&tmp, &dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::new(rel, format!("cannot write: {e}"))
    })
}
