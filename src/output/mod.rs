//! The writer: puts the rendered files into a staging folder next to the output folder and
//! swaps it in only when every file is written. The only module that writes the site.
//!
//! Invariant: the output folder is replaced whole or not at all; a folder is only ever removed
//! if it carries our marker file (so we never delete what we did not create); dangerous output
//! locations are refused before anything is touched.
//!
//! [`path`] holds the rule every published path passes, here and where paths are made.
//! [`manifest`] is what the marker file holds, and [`review`] what a build changed.

pub mod collisions;
pub mod guard;
pub mod manifest;
pub mod path;
pub mod review;

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Errors};
use crate::render::{Data, OutputFile};
use crate::source::FileData;
use manifest::Manifest;
use review::{FileChanges, FileStatus};

/// The file that marks a folder as written by showcase; it holds the output's
/// [`Manifest`].
pub const MARKER: &str = ".showcase-output";

/// What a successful write did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Files whose bytes were the same as in the previous output: linked from it, so they
    /// keep their modification time (see `keep_unchanged`).
    pub kept: usize,
}

/// What [`Staging::commit`] did: the files written and, when it replaced an output of
/// ours that had files, what that output was.
#[derive(Debug)]
pub struct Committed {
    /// Files and bytes written.
    pub written: Written,
    /// The output replaced; `None` for a first build (no output folder, or an empty one).
    pub previous: Option<Previous>,
}

/// The output a build replaced, for [`review::changes`].
#[derive(Debug)]
pub struct Previous {
    /// Its manifest; `None` when its marker has none (written by an earlier version).
    pub manifest: Option<Manifest>,
    /// Each new file compared with it, and its files the new output does not have.
    pub files: FileChanges,
}

/// What writing one file found and did.
#[derive(Debug, Clone, Copy)]
struct Wrote {
    /// Its size.
    bytes: u64,
    /// Compared with the previous output's file at its path.
    status: FileStatus,
    /// Linked from the previous output rather than written.
    linked: bool,
}

impl Written {
    fn add(&mut self, w: Wrote) {
        self.files += 1;
        self.bytes += w.bytes;
        self.kept += usize::from(w.linked);
    }
}

/// Refuses output folders where a build could destroy the user's work.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Error> {
    let refuse = |why: String| {
        Err(
            Error::new(out, format!("refusing to write the site here: {why}"))
                .with_help("choose an output folder of its own, such as public/ (the default)"),
        )
    };
    let root = absolute(root);
    let out_abs = absolute(out);
    if out_abs.parent().is_none() {
        return refuse("it is the filesystem root".into());
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if absolute(&home) == out_abs {
            return refuse("it is the home folder".into());
        }
    }
    if root.starts_with(&out_abs) {
        return refuse("it is the site folder or contains it".into());
    }
    for inner in ["content", "static", "themes", "templates", ".git"] {
        if out_abs.starts_with(root.join(inner)) {
            return refuse(format!("it lies inside {inner}/"));
        }
    }
    if let Ok(meta) = fs::symlink_metadata(out) {
        if meta.file_type().is_symlink() {
            return refuse("it is a symbolic link".into());
        }
        if !meta.is_dir() {
            return refuse("it is a file, not a folder".into());
        }
        let mut entries = fs::read_dir(out)
            .map_err(|e| Error::new(out, format!("cannot read the output folder: {e}")))?;
        let empty = entries.next().is_none();
        if !empty && !out.join(MARKER).is_file() {
            return refuse(format!(
                "it is not empty and was not written by showcase (it has no {MARKER} file)"
            ));
        }
        if out.join("site.yaml").exists() || out.join(".git").exists() {
            return refuse("it holds a site.yaml or a .git folder".into());
        }
    }
    Ok(())
}

/// Lexically absolute path (no symlink resolution, `..` folded), for comparisons.
pub fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks in the deepest part that exists (a link `c -> content` makes
    // `c/out` lie inside content/), then add the rest.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return out,
        }
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Largest copied file read whole into memory to be compared with the previous output's
/// copy; a larger one (a video) is compared as a stream (see [`same_stream`]).
const COMPARE_LIMIT: u64 = 8 << 20;

/// Compares `bytes` with the previous output's file at `old` and, when they are the same,
/// links it to `dest`, so that an unchanged page keeps its modification time and inode: a
/// deploy by `rsync` or a CDN sync then sends only what changed. Anything unexpected
/// (unreadable, not a regular file) counts as changed and means "write it anew".
fn keep_unchanged(old: &Path, bytes: &[u8], dest: &Path) -> (FileStatus, bool) {
    match fs::symlink_metadata(old) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
        Ok(_) => return (FileStatus::Changed, false),
        Err(_) => return (FileStatus::Added, false),
    }
    match fs::read(old) {
        Ok(b) if b == bytes => (FileStatus::Unchanged, fs::hard_link(old, dest).is_ok()),
        _ => (FileStatus::Changed, false),
    }
}

/// What the previous output's file at `old` is to a large file read from `from`: compared
/// as streams of equal size, never read whole. `from` is left at its start (an error when
/// it cannot be put back there: it is copied next).
fn same_stream(old: &Path, from: &mut fs::File) -> std::io::Result<FileStatus> {
    use std::io::{Read, Seek};
    let size = from.metadata().map(|m| m.len()).ok();
    match fs::symlink_metadata(old) {
        Ok(m) if m.is_file() && Some(m.len()) == size => {}
        Ok(_) => return Ok(FileStatus::Changed),
        Err(_) => return Ok(FileStatus::Added),
    }
    let Ok(mut other) = fs::File::open(old) else {
        return Ok(FileStatus::Changed);
    };
    let (mut a, mut b) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    let same = loop {
        match from.read(&mut a) {
            Ok(0) => break matches!(other.read(&mut b[..1]), Ok(0)),
            Ok(n) => {
                if other.read_exact(&mut b[..n]).is_err() || a[..n] != b[..n] {
                    break false;
                }
            }
            Err(_) => break false,
        }
    };
    // Copied from the start when it is not kept.
    from.rewind()?;
    Ok(if same {
        FileStatus::Unchanged
    } else {
        FileStatus::Changed
    })
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Writes `files` into `out`, atomically replacing what was there.
pub fn write(root: &Path, out: &Path, files: &[OutputFile]) -> Result<Committed, Errors> {
    Staging::create(root, out)?.commit(files, &Manifest::default())
}

/// A new output being written next to the published one (`.public.staging-PID`): files go
/// in as they are rendered ([`Staging::put`]), and [`Staging::commit`] swaps the folder in
/// whole. Dropped without a commit (an error anywhere), it is removed: the published
/// output never changes.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// The published output, when it is ours: it lends its unchanged files.
    previous: Option<PathBuf>,
    /// Files put so far and their bytes.
    put: std::sync::Mutex<Written>,
    /// Paths put so far: a second file for one path is a collision, which the pipeline
    /// reports (and which fails the build); it is not written.
    paths: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Each file put so far compared with the previous output's.
    statuses: std::sync::Mutex<Vec<(String, FileStatus)>>,
    committed: bool,
    /// Held for the whole build: another build into the same folder waits for this one,
    /// so neither removes the other's staging folder as a leftover.
    _lock: Option<fs::File>,
}

impl Staging {
    /// Refuses a dangerous `out` before anything is touched, then creates the staging
    /// folder with its marker.
    pub fn create(root: &Path, out: &Path) -> Result<Staging, Errors> {
        check_output_dir(root, out).map_err(|e| vec![e])?;
        let out = absolute(out);
        let parent = out.parent().map(Path::to_path_buf).unwrap_or_default();
        fs::create_dir_all(&parent).map_err(|e| {
            vec![Error::new(
                &parent,
                format!("cannot create the folder: {e}"),
            )]
        })?;
        let lock = lock_folder(&parent);
        recover_interrupted(&out);
        let dir = sibling(&out, "staging");
        if dir.exists() {
            remove_ours(&dir);
        }
        fs::create_dir_all(&dir).map_err(|e| {
            vec![Error::new(
                &dir,
                format!("cannot create the staging folder: {e}"),
            )]
        })?;
        let staging = Staging {
            previous: out.join(MARKER).is_file().then(|| out.clone()),
            dir,
            out,
            put: std::sync::Mutex::new(Written::default()),
            paths: std::sync::Mutex::new(std::collections::HashSet::new()),
            statuses: std::sync::Mutex::new(Vec::new()),
            committed: false,
            _lock: lock,
        };
        // An empty manifest until the commit writes the output's.
        fs::write(staging.dir.join(MARKER), Manifest::default().to_bytes())
            .map_err(|e| vec![Error::new(&staging.dir, format!("cannot write: {e}"))])?;
        Ok(staging)
    }

    /// Writes one file now (from any thread), creating its folder.
    pub fn put(&self, f: &OutputFile) -> Result<(), Error> {
        check_path(f)?;
        let first = self
            .paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(f.path.clone());
        if !first {
            return Ok(());
        }
        if let Some(parent) = Path::new(&f.path).parent() {
            fs::create_dir_all(self.dir.join(parent))
                .map_err(|e| write_error(f, "create the folder for", &e))?;
        }
        let w = write_one(&self.dir, f, self.previous.as_deref())?;
        self.put.lock().unwrap_or_else(|e| e.into_inner()).add(w);
        self.statuses
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((f.path.clone(), w.status));
        Ok(())
    }

    /// Writes the `files` not put yet ([`Data::Streamed`] ones are in already) and the
    /// marker with `manifest`, compares the new output with the previous one (every file,
    /// and the previous files that are gone), and swaps the new output in.
    pub fn commit(
        mut self,
        files: &[OutputFile],
        manifest: &Manifest,
    ) -> Result<Committed, Errors> {
        // The previous output is listed while the rest is written.
        let (written, old) = rayon::join(
            || write_tree(&self.dir, files, self.previous.as_deref()),
            || self.previous.as_deref().map(read_previous),
        );
        let (mut written, mut statuses) = written?;
        let put = *self.put.lock().unwrap_or_else(|e| e.into_inner());
        written.files += put.files;
        written.bytes += put.bytes;
        written.kept += put.kept;
        statuses.append(&mut self.statuses.lock().unwrap_or_else(|e| e.into_inner()));
        fs::write(self.dir.join(MARKER), manifest.to_bytes()).map_err(|e| {
            vec![Error::new(
                self.dir.join(MARKER),
                format!("cannot write: {e}"),
            )]
        })?;
        // An output folder that was empty (or not there) is a first build: nothing to
        // compare with.
        let previous = old.flatten().map(|(manifest, old_files)| {
            let files: std::collections::BTreeMap<String, FileStatus> =
                statuses.into_iter().collect();
            let removed = old_files
                .into_iter()
                .filter(|p| !files.contains_key(p))
                .collect();
            Previous {
                manifest,
                files: FileChanges { files, removed },
            }
        });
        self.committed = true;
        swap_in(&self.dir, &self.out)?;
        Ok(Committed { written, previous })
    }
}

/// The manifest of the output at `out` (ours: it has the marker) and its files but the
/// marker, relative and `/`-separated; links are listed, never followed. `None` when it
/// holds nothing but the marker.
fn read_previous(out: &Path) -> Option<(Option<Manifest>, Vec<String>)> {
    let manifest = fs::read(out.join(MARKER))
        .ok()
        .and_then(|b| Manifest::parse(&b));
    let files: Vec<String> = walkdir::WalkDir::new(out)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(out).ok()?;
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some(parts.join("/"))
        })
        .filter(|p| p != MARKER)
        .collect();
    (!files.is_empty()).then_some((manifest, files))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_ours(&self.dir);
        }
    }
}

/// Waits for an exclusive lock on `folder` (the output's parent), held until the returned
/// file is dropped. `None` where the system cannot lock: builds are then not serialised.
fn lock_folder(folder: &Path) -> Option<fs::File> {
    let dir = fs::File::open(folder).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a descriptor we own; it is released when the file is closed.
        // SAFETY: flock on a descriptor this function owns; no memory is shared.
        #[allow(unsafe_code)]
        let r = unsafe { libc::flock(dir.as_raw_fd(), libc::LOCK_EX) };
        if r != 0 {
            return None;
        }
    }
    Some(dir)
}

/// Moves the finished `staging` folder to `out`, atomically where the system can.
fn swap_in(staging: &Path, out: &Path) -> Result<(), Errors> {
    let out = out.to_path_buf();
    // Swap atomically where the system can (Linux: one renameat2 call exchanges the two
    // folders), so that a kill at any moment leaves the old site or the new one in place.
    if out.exists() {
        match exchange(staging, &out) {
            Ok(()) => {
                remove_ours(staging); // now holds the previous output
                return Ok(());
            }
            Err(e) if e.kind() != std::io::ErrorKind::Unsupported => {
                remove_ours(staging);
                return Err(vec![Error::new(
                    &out,
                    format!("cannot swap in the new output: {e}"),
                )]);
            }
            Err(_) => {}
        }
    }
    let old = sibling(&out, "old");
    let had_old = out.exists();
    if had_old {
        if let Err(e) = fs::rename(&out, &old) {
            remove_ours(staging);
            return Err(vec![Error::new(
                &out,
                format!("cannot move the previous output aside: {e}"),
            )]);
        }
    }
    if let Err(e) = fs::rename(staging, &out) {
        if had_old {
            let _ = fs::rename(&old, &out);
        }
        remove_ours(staging);
        return Err(vec![Error::new(
            &out,
            format!("cannot move the new output into place: {e}"),
        )]);
    }
    if had_old {
        remove_ours(&old);
    }
    Ok(())
}

/// Exchanges two folders in one atomic step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    #[allow(unsafe_code)]
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    // Old kernels and some filesystems cannot exchange: fall back to two renames.
    match e.raw_os_error() {
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EOPNOTSUPP) => {
            Err(std::io::Error::new(std::io::ErrorKind::Unsupported, e))
        }
        _ => Err(e),
    }
}

/// Exchanges two folders in one atomic step (not available here: two renames are used).
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

/// Writes `files` (but the streamed ones) into `staging`; returns what was written and each
/// file compared with `previous`.
fn write_tree(
    staging: &Path,
    files: &[OutputFile],
    previous: Option<&Path>,
) -> Result<(Written, Vec<(String, FileStatus)>), Errors> {
    let files: Vec<&OutputFile> = files
        .iter()
        .filter(|f| !matches!(f.data, Data::Streamed(_)))
        .collect();
    // Every path is checked before the first folder is created.
    let unsafe_paths: Errors = files.iter().filter_map(|f| check_path(f).err()).collect();
    if !unsafe_paths.is_empty() {
        return Err(unsafe_paths);
    }
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(staging.join(d)).map_err(|e| {
            let f = files.iter().find(|f| Path::new(&f.path).starts_with(d));
            vec![match f {
                Some(f) => write_error(f, "create the folder for", &e),
                None => Error::new(d, format!("cannot create the output folder: {e}")),
            }]
        })?;
    }
    let results: Vec<Result<Wrote, Error>> = files
        .par_iter()
        .map(|f| write_one(staging, f, previous))
        .collect();
    let mut errors = Vec::new();
    let mut written = Written::default();
    let mut statuses = Vec::with_capacity(files.len());
    for (f, r) in files.iter().zip(results) {
        match r {
            Ok(w) => {
                written.add(w);
                statuses.push((f.path.clone(), w.status));
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok((written, statuses))
    } else {
        Err(errors)
    }
}

/// Writes one file into `staging` (its folder exists); returns its size, how it compares
/// with `previous`'s file at its path, and whether it was linked unchanged from there. Its
/// path passed [`check_path`] before its folder was made (both callers check first).
fn write_one(staging: &Path, f: &OutputFile, previous: Option<&Path>) -> Result<Wrote, Error> {
    let dest = staging.join(&f.path);
    let wrote = |bytes: u64, (status, linked): (FileStatus, bool)| Wrote {
        bytes,
        status,
        linked,
    };
    let bytes: std::borrow::Cow<'_, [u8]> = match &f.data {
        Data::Bytes(b) => b.as_slice().into(),
        // Put (and compared) while it was rendered.
        Data::Streamed(n) => return Ok(wrote(*n, (FileStatus::Unchanged, false))),
        Data::Copy(FileData::Embedded(b)) => (*b).into(),
        Data::Copy(FileData::Disk(p)) => {
            let cannot_read = |e: std::io::Error| {
                Error::new(
                    f.origin.file(&f.path),
                    format!("cannot read this file to publish it: {e}"),
                )
            };
            // Opened without following a link swapped in since the scan.
            let mut from = crate::source::open_file(p).map_err(cannot_read)?;
            // Large static files (videos) are not read whole: compared with the previous
            // copy as two streams, kept when the same, else copied.
            let small = from.metadata().is_ok_and(|m| m.len() <= COMPARE_LIMIT);
            match previous {
                Some(_) if small => {
                    let mut bytes = Vec::new();
                    std::io::Read::read_to_end(&mut from, &mut bytes).map_err(cannot_read)?;
                    bytes.into()
                }
                _ => {
                    let old = previous.map(|p| p.join(&f.path));
                    let status = match old.as_deref() {
                        Some(old) => same_stream(old, &mut from).map_err(cannot_read)?,
                        None => FileStatus::Added,
                    };
                    if let (FileStatus::Unchanged, Some(old)) = (status, &old) {
                        if fs::hard_link(old, &dest).is_ok() {
                            let n = from.metadata().map_or(0, |m| m.len());
                            return Ok(wrote(n, (status, true)));
                        }
                    }
                    let copied =
                        create_new(&dest).and_then(|mut to| std::io::copy(&mut from, &mut to));
                    return copied
                        .map(|n| wrote(n, (status, false)))
                        .map_err(|e| write_error(f, "copy", &e));
                }
            }
        }
    };
    let compared = match previous {
        Some(old) => keep_unchanged(&old.join(&f.path), &bytes, &dest),
        None => (FileStatus::Added, false),
    };
    if compared.1 {
        return Ok(wrote(bytes.len() as u64, compared));
    }
    let mut file = create_new(&dest).map_err(|e| write_error(f, "write", &e))?;
    file.write_all(&bytes)
        .map_err(|e| write_error(f, "write", &e))?;
    Ok(wrote(bytes.len() as u64, compared))
}

/// Creates `dest`, failing if anything is there already. A file of the staging folder may
/// be a hard link to the published output (an unchanged file kept): opening it to write
/// would change the published site. Two files for one path are reported by the pipeline
/// as a collision; here the second simply fails.
fn create_new(dest: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)
}

/// Refuses an output path that could leave the output folder, naming the file it comes
/// from ([`crate::output::path`] has the rule).
pub fn check_path(f: &OutputFile) -> Result<(), Error> {
    crate::output::path::check(&f.path).map_err(|why| {
        Error::new(
            f.origin.file(&f.path),
            format!("this file cannot be published as /{}: {why}", f.path),
        )
        .with_help(crate::output::path::RENAME_HELP)
    })
}

/// A failed write, naming the source of the file and its output path.
fn write_error(f: &OutputFile, verb: &str, e: &std::io::Error) -> Error {
    Error::new(
        f.origin.file(&f.path),
        format!("cannot {verb} /{} in the output: {e}", f.path),
    )
    .with_help("check the free space and the permissions of the output folder")
}

/// Removes this process's staging folder for `out`, for a build ended from another thread
/// (the render watchdog) that will not reach the staging's own clean-up.
pub fn discard_staging(out: &Path) {
    remove_ours(&sibling(&absolute(out), "staging"));
}

/// Cleans up after a build that was killed: removes our staging folders and, if the swap was
/// interrupted between its two renames, puts the previous output back.
fn recover_interrupted(out: &Path) {
    let Some(parent) = out.parent() else { return };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().to_string();
        let path = entry.path();
        if n.starts_with(&format!(".{name}.old-")) && !out.exists() && path.join(MARKER).is_file() {
            let _ = fs::rename(&path, out);
        } else if n.starts_with(&format!(".{name}.staging-"))
            || n.starts_with(&format!(".{name}.old-"))
        {
            remove_ours(&path);
        }
    }
}

/// Removes a folder only if showcase wrote it, never following symlinks.
fn remove_ours(dir: &Path) {
    let is_real_dir = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    if is_real_dir && dir.join(MARKER).is_file() {
        // The marker goes last: a removal killed half-way leaves a folder that the next
        // run still recognises as ours and finishes removing.
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                if entry.file_name() == MARKER {
                    continue;
                }
                let p = entry.path();
                let _ = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    fs::remove_dir_all(&p)
                } else {
                    fs::remove_file(&p)
                };
            }
        }
        let _ = fs::remove_file(dir.join(MARKER));
        let _ = fs::remove_dir(dir);
    } else if is_real_dir {
        // A staging folder that failed before its marker was written is empty.
        let _ = fs::remove_dir(dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            data: Data::Bytes(std::sync::Arc::new(text.as_bytes().to_vec())),
            origin: crate::render::Origin::Generated(None),
            template: None,
            items: std::sync::Arc::from([]),
        }
    }

    #[test]
    fn replaces_the_output_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let out = root.join("public");
        write(
            root,
            &out,
            &[file("a/index.html", "one"), file("old.html", "x")],
        )
        .unwrap();
        write(root, &out, &[file("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(root)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
            .collect();
        assert!(leftovers.is_empty());
    }

    fn statuses(c: &Committed) -> Vec<(String, FileStatus)> {
        let p = c.previous.as_ref().expect("a previous output");
        p.files.files.clone().into_iter().collect()
    }

    #[test]
    fn compares_every_file_with_the_previous_output() {
        use FileStatus::*;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let out = root.join("public");
        // An empty folder is no previous output: a first build.
        fs::create_dir_all(&out).unwrap();
        let first = write(root, &out, &[file("a.html", "a"), file("b/c.txt", "c")]).unwrap();
        assert!(first.previous.is_none());
        let second = write(
            root,
            &out,
            &[
                file("a.html", "a"),
                file("b/c.txt", "C"),
                file("d.txt", "d"),
            ],
        )
        .unwrap();
        assert_eq!(
            statuses(&second),
            [
                ("a.html".to_string(), Unchanged),
                ("b/c.txt".to_string(), Changed),
                ("d.txt".to_string(), Added)
            ]
        );
        assert_eq!(second.written.kept, 1);
        let third = write(root, &out, &[file("d.txt", "d")]).unwrap();
        let removed: Vec<&String> = third
            .previous
            .as_ref()
            .unwrap()
            .files
            .removed
            .iter()
            .collect();
        assert_eq!(
            removed,
            ["a.html", "b/c.txt"],
            "the marker is not a file of the site"
        );
        let manifest = fs::read(out.join(MARKER)).unwrap();
        assert_eq!(Manifest::parse(&manifest), Some(Manifest::default()));
    }

    #[test]
    fn large_copies_are_compared_as_streams() {
        use FileStatus::*;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let out = root.join("public");
        let video = root.join("video.mp4");
        let mut bytes = vec![7u8; COMPARE_LIMIT as usize + 100_000];
        fs::write(&video, &bytes).unwrap();
        let copy = || OutputFile {
            path: "video.mp4".into(),
            data: Data::Copy(FileData::Disk(video.clone())),
            origin: crate::render::Origin::Generated(None),
            template: None,
            items: std::sync::Arc::from([]),
        };
        write(root, &out, &[copy()]).unwrap();
        let same = write(root, &out, &[copy()]).unwrap();
        assert_eq!(statuses(&same), [("video.mp4".to_string(), Unchanged)]);
        assert_eq!(same.written.kept, 1, "kept, not copied again");
        // One byte near the end, at the same size.
        let last = bytes.len() - 10;
        bytes[last] = 8;
        fs::write(&video, &bytes).unwrap();
        let changed = write(root, &out, &[copy()]).unwrap();
        assert_eq!(statuses(&changed), [("video.mp4".to_string(), Changed)]);
        assert_eq!(fs::read(out.join("video.mp4")).unwrap(), bytes);
        bytes.push(1);
        fs::write(&video, &bytes).unwrap();
        let longer = write(root, &out, &[copy()]).unwrap();
        assert_eq!(statuses(&longer), [("video.mp4".to_string(), Changed)]);
        assert_eq!(fs::read(out.join("video.mp4")).unwrap(), bytes);
    }

    #[test]
    fn refuses_dangerous_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("content")).unwrap();
        fs::create_dir_all(root.join("mine")).unwrap();
        fs::write(root.join("mine/keep.txt"), "precious").unwrap();
        for bad in [
            root.to_path_buf(),
            root.join("content/out"),
            root.join("mine"),
            root.parent().unwrap().to_path_buf(),
        ] {
            assert!(check_output_dir(root, &bad).is_err(), "{}", bad.display());
        }
        assert_eq!(
            fs::read_to_string(root.join("mine/keep.txt")).unwrap(),
            "precious"
        );
        assert!(write(root, &root.join("content/out"), &[file("a", "b")]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_content_reached_through_a_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("content")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), root.join("c")).unwrap();
        assert!(check_output_dir(root, &root.join("c/out")).is_err());
    }

    #[test]
    fn refuses_paths_escaping_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(write(
            tmp.path(),
            &tmp.path().join("public"),
            &[file("../evil", "x")]
        )
        .is_err());
        assert!(!tmp.path().join("evil").exists());
    }
}
