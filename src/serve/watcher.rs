//! Watches a site for changes and hands them on in debounced batches.
//!
//! Invariant: editors' temp and swap files, hidden folders (`.git`), `target/` and the output
//! folders (`public/`, staging siblings) never trigger a rebuild, so a build can never trigger
//! itself. A burst of events (a safe-save, a `git checkout` of 500 files) becomes one
//! [`Change`]. When the OS watcher cannot keep up or cannot be had (inotify limits), the change
//! says `rescan` and the watcher falls back to polling: the preview is never silently stale.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher as _};

use crate::source::is_editor_temp;

/// A batch of changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Changed, created or removed paths, relative to the site root.
    pub paths: BTreeSet<PathBuf>,
    /// Events were lost or a folder moved: everything must be read again.
    pub rescan: bool,
}

/// What the watcher tells besides changes.
#[derive(Debug)]
pub enum Notice {
    /// A batch of changes, after the quiet period.
    Changed(Change),
    /// A problem watching (shown to the user; watching goes on as well as it can).
    Problem(String),
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _inner: Box<dyn notify::Watcher + Send>,
}

/// How long the files must stay quiet before a batch is handed on.
pub const QUIET: Duration = Duration::from_millis(30);
/// The longest a batch waits during a continuous stream of events.
pub const MAX_WAIT: Duration = Duration::from_millis(300);

/// Starts watching `root`; notices arrive on the returned receiver.
pub fn watch(root: &Path, ignored_dirs: Vec<PathBuf>) -> (Watcher, Receiver<Notice>) {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<Event>>();
    let (tx, rx) = mpsc::channel();
    let inner: Box<dyn notify::Watcher + Send> = match start_native(&root, raw_tx.clone()) {
        Ok(w) => Box::new(w),
        Err(e) => {
            let _ = tx.send(Notice::Problem(format!(
                "cannot watch the files with inotify ({e}); polling every 500 ms instead. \
                 To raise the limit: sudo sysctl fs.inotify.max_user_watches=524288"
            )));
            Box::new(start_poll(&root, raw_tx))
        }
    };
    let filter = Filter {
        root: root.clone(),
        ignored: ignored_dirs,
    };
    std::thread::spawn(move || debounce(raw_rx, tx, filter));
    (Watcher { _inner: inner }, rx)
}

fn start_native(
    root: &Path,
    tx: Sender<notify::Result<Event>>,
) -> notify::Result<notify::RecommendedWatcher> {
    let mut w = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })?;
    w.watch(root, RecursiveMode::Recursive)?;
    Ok(w)
}

fn start_poll(root: &Path, tx: Sender<notify::Result<Event>>) -> notify::PollWatcher {
    let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
    let mut w = notify::PollWatcher::new(
        move |res| {
            let _ = tx.send(res);
        },
        config,
    )
    .expect("the poll watcher needs no OS resources");
    let _ = w.watch(root, RecursiveMode::Recursive);
    w
}

/// The names at the site root that the site is read from (see `source::scan`).
const INPUTS: &[&str] = &["site.yaml", "content", "static", "templates", "themes"];

struct Filter {
    root: PathBuf,
    ignored: Vec<PathBuf>,
}

impl Filter {
    /// The path relative to the root, or `None` when the path never matters.
    fn relevant(&self, path: &Path) -> Option<PathBuf> {
        if self.ignored.iter().any(|d| path.starts_with(d)) {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        let mut comps = rel.components().peekable();
        let first = comps.peek()?.as_os_str().to_string_lossy().to_string();
        // Only what the site is read from: anything else at the root (an output folder, a
        // log the preview's own output is redirected into) would rebuild in a loop.
        if !INPUTS.contains(&first.as_str()) {
            return None;
        }
        for c in rel.components() {
            let name = c.as_os_str().to_string_lossy();
            // Version-control folders and editors' leftovers; other hidden files may be
            // part of static/ (`.well-known/`).
            if [".git", ".hg", ".svn"].contains(&name.as_ref()) || is_editor_temp(&name) {
                return None;
            }
        }
        Some(rel.to_path_buf())
    }
}

/// Collects raw events until the files are quiet, then sends one [`Change`].
fn debounce(raw: Receiver<notify::Result<Event>>, tx: Sender<Notice>, filter: Filter) {
    let mut pending = Change::default();
    let mut first: Option<Instant> = None;
    loop {
        let timeout = match first {
            None => Duration::from_secs(3600),
            Some(t) => QUIET.min(MAX_WAIT.saturating_sub(t.elapsed())),
        };
        match raw.recv_timeout(timeout) {
            Ok(Ok(event)) => {
                let before = (pending.paths.len(), pending.rescan);
                if event.need_rescan() {
                    pending.rescan = true;
                }
                let folder_event = matches!(
                    event.kind,
                    EventKind::Create(notify::event::CreateKind::Folder)
                        | EventKind::Remove(notify::event::RemoveKind::Folder)
                ) || matches!(
                    event.kind,
                    EventKind::Modify(notify::event::ModifyKind::Name(_))
                ) && event.paths.iter().any(|p| p.is_dir());
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                for p in &event.paths {
                    if let Some(rel) = filter.relevant(p) {
                        pending.paths.insert(rel);
                        // A folder created, removed or moved in: its files came without events.
                        if folder_event {
                            pending.rescan = true;
                        }
                    }
                }
                if (pending.paths.len(), pending.rescan) != before && first.is_none() {
                    first = Some(Instant::now());
                }
            }
            Ok(Err(e)) => {
                pending.rescan = true;
                first.get_or_insert_with(Instant::now);
                let _ = tx.send(Notice::Problem(format!(
                    "file watching reported: {e}; reading everything again"
                )));
            }
            Err(RecvTimeoutError::Timeout) => {
                if first.is_some() {
                    if tx
                        .send(Notice::Changed(std::mem::take(&mut pending)))
                        .is_err()
                    {
                        return;
                    }
                    first = None;
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_output_git_and_temp_files() {
        let f = Filter {
            root: PathBuf::from("/site"),
            ignored: vec![PathBuf::from("/tmp/preview")],
        };
        assert_eq!(
            f.relevant(Path::new("/site/content/a.md")),
            Some(PathBuf::from("content/a.md"))
        );
        for p in [
            "/site/public/index.html",
            "/site/.git/HEAD",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/target/x",
            "/site/.public.staging-1/x",
            "/tmp/preview/x",
            "/site/content/4913",
            "/site/serve.log",
            "/site/notes/todo.md",
            "/site/README.md",
        ] {
            assert_eq!(f.relevant(Path::new(p)), None, "{p}");
        }
        for p in [
            "/site/site.yaml",
            "/site/static/a.css",
            "/site/templates/page.html",
            "/site/themes/x/templates/base.html",
            "/site/static",
        ] {
            assert!(f.relevant(Path::new(p)).is_some(), "{p}");
        }
    }

    #[test]
    fn a_burst_becomes_one_change() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        let (_w, rx) = watch(tmp.path(), vec![]);
        std::thread::sleep(Duration::from_millis(100));
        // A safe-save: write a temp file, rename it over the target.
        for i in 0..5 {
            std::fs::write(tmp.path().join("content/.a.md.tmp"), format!("v{i}")).unwrap();
            std::fs::rename(
                tmp.path().join("content/.a.md.tmp"),
                tmp.path().join("content/a.md"),
            )
            .unwrap();
        }
        let first = loop {
            match rx.recv_timeout(Duration::from_secs(5)).expect("a change") {
                Notice::Changed(c) => break c,
                Notice::Problem(_) => continue,
            }
        };
        assert!(first.paths.contains(Path::new("content/a.md")), "{first:?}");
        assert!(!first
            .paths
            .iter()
            .any(|p| p.to_string_lossy().contains(".tmp")));
        assert!(
            rx.recv_timeout(Duration::from_millis(400)).is_err(),
            "one batch only"
        );
    }
}
