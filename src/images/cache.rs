//! The image stage's edge: reads originals, keeps processed files in the cache folder
//! ([`CACHE_DIR`]), and says which cached file is published at which output path.
//!
//! A cached file is named by the BLAKE3 hash of its original's bytes and of the settings
//! that shape it, so that an unchanged image is never processed again, by `build`, `check`
//! or the preview, and an edited one is processed again whatever its name. Originals are
//! hashed once per change: their size and modification time are remembered with their hash
//! (in memory for the preview, in `stamps.tsv` between runs). Deleting the folder is always
//! safe: it only costs the time to process the images again.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;

use super::plan::{Plan, Role, Settings, Variant};
use crate::error::{Error, Errors};
use crate::source::FileData;

/// The cache folder, relative to the site root. Safe to delete; ignored by git (it holds
/// its own `.gitignore`) and by the preview's watcher (which watches only the inputs).
pub const CACHE_DIR: &str = ".showcase-cache/images";

/// Changes whenever the stage would write different bytes for the same original and
/// settings, so that files of an older showcase are not reused.
const VERSION: &str = "showcase-images-1";

/// One raster image to publish: its plan and its original.
#[derive(Debug, Clone)]
pub struct Job {
    pub plan: Plan,
    pub source: FileData,
    /// Where the original is, relative to the site root (for messages).
    pub origin: PathBuf,
}

/// One SVG drawing whose link preview a page uses (a project's SVG logo, the theme's
/// default preview).
#[derive(Debug, Clone)]
pub struct SvgJob {
    /// Output path of the preview (`projects/a/logo.svg.og.jpg`).
    pub output: String,
    /// The drawing.
    pub source: FileData,
    /// Its copy cleaned of active content, when the active-content rules cleaned one.
    pub cleaned: Option<std::sync::Arc<Vec<u8>>>,
    pub origin: PathBuf,
}

/// A processed file to publish: its output path, the cache file holding it, and the
/// original it was made from (relative to the root).
#[derive(Debug, Clone)]
pub struct Published {
    pub output: String,
    pub file: PathBuf,
    pub origin: PathBuf,
}

/// What the stage did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<Published>,
    /// Originals that cannot be published, and a cache folder that cannot be written.
    pub errors: Errors,
    /// Originals larger than the settings' warning limits.
    pub warnings: Errors,
    /// Images processed (not found in the cache).
    pub processed: usize,
}

/// The content hashes of originals by their size and modification time, kept by the
/// preview between renders.
#[derive(Debug, Default)]
pub struct Memo {
    stamps: HashMap<PathBuf, (u64, SystemTime, blake3::Hash)>,
    loaded: bool,
}

/// Publishes `jobs` and `svgs` with `settings`, from and into the cache of the site at
/// `root`. Runs in parallel, one image per worker at a time: at most one decoded original
/// per worker is in memory.
pub fn publish(
    root: &Path,
    jobs: &[&Job],
    svgs: &[SvgJob],
    settings: &Settings,
    memo: &mut Memo,
) -> Outcome {
    let mut outcome = Outcome::default();
    if jobs.is_empty() && svgs.is_empty() {
        return outcome;
    }
    let dir = root.join(CACHE_DIR);
    if let Err(e) = prepare(&dir) {
        outcome.errors.push(
            Error::new(
                CACHE_DIR,
                format!("the image cache folder cannot be written: {e}"),
            )
            .with_help("check the folder's permissions; it is safe to delete it"),
        );
        return outcome;
    }
    if !memo.loaded {
        memo.stamps = read_stamps(&dir);
        memo.loaded = true;
    }
    let settings_key = blake3::hash(format!("{VERSION} {settings:?}").as_bytes());
    let known = Mutex::new(std::mem::take(&mut memo.stamps));
    let processed = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<Done, Error>> = jobs
        .par_iter()
        .map(|job| {
            let (files, fresh) = one(&dir, job, settings, &settings_key, &known)?;
            if fresh {
                processed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok((files, too_large(job, settings)))
        })
        .chain(svgs.par_iter().map(|svg| {
            let (file, fresh) = one_svg(&dir, svg, settings, &settings_key)?;
            if fresh {
                processed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok((vec![file], None))
        }))
        .collect();
    memo.stamps = known.into_inner().unwrap_or_else(|e| e.into_inner());
    let _unsaved = write_stamps(&dir, &memo.stamps);
    for r in results {
        match r {
            Ok((files, warning)) => {
                outcome.files.extend(files);
                outcome.warnings.extend(warning);
            }
            Err(e) => outcome.errors.push(e),
        }
    }
    outcome.processed = processed.into_inner();
    outcome
}

/// One job's published files, and its warning.
type Done = (Vec<Published>, Option<Error>);

type Stamps = Mutex<HashMap<PathBuf, (u64, SystemTime, blake3::Hash)>>;

/// Publishes one image: its cached files, processing those missing.
fn one(
    dir: &Path,
    job: &Job,
    settings: &Settings,
    settings_key: &blake3::Hash,
    known: &Stamps,
) -> Result<(Vec<Published>, bool), Error> {
    let cannot = |message: String| {
        Error::new(
            &job.origin,
            format!("this image cannot be published: {message}"),
        )
        .with_help("open it in an image editor and export it again as JPEG or PNG")
    };
    let mut original: Option<Vec<u8>> = None;
    let content = match &job.source {
        FileData::Embedded(b) => blake3::hash(b),
        FileData::Disk(p) => {
            let meta = std::fs::metadata(p).map_err(|e| cannot(e.to_string()))?;
            let stamp = (
                meta.len(),
                meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            );
            let remembered = known
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(p)
                .filter(|(len, time, _)| (*len, *time) == stamp)
                .map(|(_, _, h)| *h);
            match remembered {
                Some(h) => h,
                None => {
                    let bytes = crate::source::read_file(p).map_err(|e| cannot(e.to_string()))?;
                    let h = blake3::hash(&bytes);
                    original = Some(bytes);
                    known
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(p.clone(), (stamp.0, stamp.1, h));
                    h
                }
            }
        }
    };
    let folder = dir.join(key(&content, settings_key));
    let files: Vec<PathBuf> = job
        .plan
        .variants
        .iter()
        .map(|v| folder.join(file_name(v)))
        .collect();
    let missing: Vec<usize> = (0..files.len()).filter(|&i| !files[i].is_file()).collect();
    if !missing.is_empty() {
        let bytes = match (original, &job.source) {
            (Some(b), _) => b,
            (None, FileData::Embedded(b)) => b.to_vec(),
            (None, FileData::Disk(p)) => {
                crate::source::read_file(p).map_err(|e| cannot(e.to_string()))?
            }
        };
        let encoded = super::process::encode(&bytes, &job.plan, &missing, settings.quality)
            .map_err(cannot)?;
        drop(bytes);
        std::fs::create_dir_all(&folder).map_err(|e| cache_error(&folder, e))?;
        for (i, data) in missing.iter().zip(encoded) {
            write_atomic(&files[*i], &data).map_err(|e| cache_error(&files[*i], e))?;
        }
    }
    let published = job
        .plan
        .variants
        .iter()
        .zip(files)
        .map(|(v, file)| Published {
            output: v.output.clone(),
            file,
            origin: job.origin.clone(),
        })
        .collect();
    Ok((published, !missing.is_empty()))
}

/// Publishes the link preview of one SVG drawing.
fn one_svg(
    dir: &Path,
    job: &SvgJob,
    settings: &Settings,
    settings_key: &blake3::Hash,
) -> Result<(Published, bool), Error> {
    let read;
    let svg: &[u8] = match (&job.cleaned, &job.source) {
        (Some(clean), _) => clean,
        (None, FileData::Embedded(b)) => b,
        (None, FileData::Disk(p)) => {
            read = crate::source::read_file(p).map_err(|e| {
                Error::new(&job.origin, format!("this drawing cannot be read: {e}"))
            })?;
            &read
        }
    };
    let folder = dir.join(key(&blake3::hash(svg), settings_key));
    let file = folder.join("social-svg.jpg");
    let fresh = !file.is_file();
    if fresh {
        let jpeg = super::social::from_svg(svg, settings.quality).map_err(|m| {
            Error::new(
                &job.origin,
                format!("no link preview can be drawn from this SVG: {m}"),
            )
            .with_help(
                "check that the file opens in a browser, or give the item a PNG or JPEG logo",
            )
        })?;
        std::fs::create_dir_all(&folder).map_err(|e| cache_error(&folder, e))?;
        write_atomic(&file, &jpeg).map_err(|e| cache_error(&file, e))?;
    }
    Ok((
        Published {
            output: job.output.clone(),
            file,
            origin: job.origin.clone(),
        },
        fresh,
    ))
}

/// The warning for an original above the settings' limits, saying what is published.
fn too_large(job: &Job, settings: &Settings) -> Option<Error> {
    let f = &job.plan.facts;
    let pixels = u64::from(f.width) * u64::from(f.height);
    let bytes = match &job.source {
        FileData::Disk(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        FileData::Embedded(b) => b.len() as u64,
    };
    if pixels <= settings.warn_pixels && bytes <= settings.warn_bytes {
        return None;
    }
    let published = job.plan.published();
    let widths: Vec<String> = job
        .plan
        .of(Role::Responsive, None)
        .map(|v| v.size.width.to_string())
        .collect();
    Some(
        Error::new(
            &job.origin,
            format!(
                "this image is large ({:.1} MB, {} x {} pixels): the site publishes a {} x {} {} without its metadata{}",
                bytes as f64 / 1e6,
                f.width,
                f.height,
                published.size.width,
                published.size.height,
                published.format.name(),
                if widths.is_empty() {
                    String::new()
                } else {
                    format!(", and WebP copies {} pixels wide", widths.join(", "))
                }
            ),
        )
        .with_help(format!(
            "nothing is lost on the site; to silence this, export it smaller (at most {} pixels on its longer side), or raise `images.warn_megapixels` / `images.warn_size` in site.yaml",
            settings.max_size
        )),
    )
}

/// The cache folder of an original: 128 bits of BLAKE3 over its content hash and the
/// settings' hash, in hex.
fn key(content: &blake3::Hash, settings_key: &blake3::Hash) -> String {
    let mut h = blake3::Hasher::new();
    h.update(content.as_bytes());
    h.update(settings_key.as_bytes());
    h.finalize().to_hex()[..32].to_string()
}

/// A variant's file in its original's cache folder (`responsive-720x540.webp`).
fn file_name(v: &Variant) -> String {
    let role = match v.role {
        Role::Published => "published",
        Role::Responsive => "responsive",
        Role::Thumbnail => "thumbnail",
        Role::Social => "social",
    };
    format!(
        "{role}-{}x{}.{}",
        v.size.width,
        v.size.height,
        v.format.extension()
    )
}

fn cache_error(path: &Path, e: std::io::Error) -> Error {
    Error::new(path, format!("the image cache cannot be written: {e}")).with_help(format!(
        "check the permissions of {CACHE_DIR}; it is safe to delete it"
    ))
}

/// Creates the cache folder, marked as a cache for git and for backup tools.
fn prepare(dir: &Path) -> std::io::Result<()> {
    let top = dir.parent().unwrap_or(dir);
    // Files are read back from here into the output: a link would publish whatever it
    // points to.
    for d in [top, dir] {
        if std::fs::symlink_metadata(d).is_ok_and(|m| !m.is_dir()) {
            return Err(std::io::Error::other(format!(
                "{} is not a folder (symbolic links are not followed); delete it",
                d.display()
            )));
        }
    }
    std::fs::create_dir_all(dir)?;
    let ignore = top.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# Made by showcase: processed images, safe to delete.\n*\n",
        )?;
    }
    // https://bford.info/cachedir/
    let tag = top.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# showcase's image cache (safe to delete).\n",
        )?;
    }
    Ok(())
}

/// Writes `data` to a temporary file next to `path` and renames it: a file in the cache
/// is whole or absent, even when two runs share the cache.
fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(data)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

const STAMPS: &str = "stamps.tsv";

/// `stamps.tsv`: one original per line: size, modification time (ns since 1970), content
/// hash, absolute path. A damaged file only costs hashing again.
fn read_stamps(dir: &Path) -> HashMap<PathBuf, (u64, SystemTime, blake3::Hash)> {
    let Ok(text) = std::fs::read_to_string(dir.join(STAMPS)) else {
        return HashMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, '\t');
            let len = parts.next()?.parse().ok()?;
            let nanos: u64 = parts.next()?.parse().ok()?;
            let hash = blake3::Hash::from_hex(parts.next()?).ok()?;
            let path = PathBuf::from(parts.next()?);
            let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_nanos(nanos);
            Some((path, (len, time, hash)))
        })
        .collect()
}

fn write_stamps(
    dir: &Path,
    stamps: &HashMap<PathBuf, (u64, SystemTime, blake3::Hash)>,
) -> std::io::Result<()> {
    let mut text = String::new();
    for (path, (len, time, hash)) in stamps {
        let (Some(p), Ok(since)) = (path.to_str(), time.duration_since(SystemTime::UNIX_EPOCH))
        else {
            continue;
        };
        if p.contains(['\t', '\n']) {
            continue;
        }
        text.push_str(&format!(
            "{len}\t{}\t{}\t{p}\n",
            since.as_nanos(),
            hash.to_hex()
        ));
    }
    write_atomic(&dir.join(STAMPS), text.as_bytes())
}
