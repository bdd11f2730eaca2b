//! The reader: walks `content/`, `static/`, the theme and `templates/` in sorted order and
//! returns their text and paths. Apart from `site.yaml` ([`crate::config`]) this is the only
//! module that reads the site.
//!
//! Invariant: symlinks are never followed; nothing outside the root is read; every file name
//! that cannot be understood is an error naming it, except editors' temp files, which are ignored.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use std::collections::HashMap;
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{did_you_mean, Error, Errors};

/// The content sections, each a folder of `content/`.
pub const SECTIONS: &[&str] = &["projects", "cohorts", "demos", "news", "pages"];

/// Largest text file accepted (content, YAML, templates) unless site.yaml sets
/// `limits.max_file_size`.
pub const MAX_TEXT_BYTES: u64 = 5 * 1024 * 1024;

/// How a content file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML front matter between `---` lines, then Markdown.
    Markdown,
    /// All fields in YAML; Markdown in `body:`.
    Yaml,
}

impl Format {
    /// The file name's extension, without the dot (`md`, `yaml`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Yaml => "yaml",
        }
    }
}

/// One content file, read and decoded.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root (`content/projects/a.md`).
    pub path: PathBuf,
    /// Section folder (`projects`), or `""` for the home intro `content/_index.md`.
    pub section: String,
    /// File or bundle name without language and extension (`a` for `a.ru.md`).
    pub name: String,
    /// Language code from the file name, `None` for the default language.
    pub lang: Option<String>,
    /// Markdown or YAML.
    pub format: Format,
    /// The bundle folder relative to the root, when the item is `NAME/index.md`.
    pub bundle: Option<PathBuf>,
    /// UTF-8 text, BOM removed, CRLF turned into LF (shared with the preview's cache).
    pub text: std::sync::Arc<str>,
    /// Changes whenever the text is read anew: equal serials mean an unchanged text, so
    /// later stages can reuse their results without comparing or hashing the text.
    pub serial: u64,
}

/// Where the bytes of a copied file come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileData {
    /// A file on disk (absolute path).
    Disk(PathBuf),
    /// A file of the built-in theme.
    Embedded(&'static [u8]),
}

/// A file copied to the output as is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path relative to the output root (`style.css`, `projects/a/logo.png`).
    pub output: String,
    /// Where it comes from, relative to the root when on disk (for messages).
    pub origin: PathBuf,
    /// The bytes.
    pub data: FileData,
    /// Width and height, for images whose header says so (raster images as shown, after
    /// their EXIF orientation).
    pub size: Option<(u32, u32)>,
    /// What its header says, when its bytes are a raster image (whatever its name): the
    /// image stage publishes it.
    pub raster: Option<crate::images::Facts>,
}

/// A file of a bundle, other than its `index` files.
#[derive(Debug, Clone)]
pub struct BundleAsset {
    /// Bundle folder relative to the root (`content/projects/a`).
    pub bundle: PathBuf,
    /// Path inside the bundle, with `/` separators (`logo.png`, `img/1.jpg`).
    pub name: String,
    /// The file on disk.
    pub data: FileData,
    /// Width and height, for images whose header says so (raster images as shown, after
    /// their EXIF orientation).
    pub size: Option<(u32, u32)>,
    /// What its header says, when its bytes are a raster image (whatever its name): the
    /// image stage publishes it.
    pub raster: Option<crate::images::Facts>,
}

/// A text file of the theme or the site's `templates/`.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// Name inside its folder (`project.html`, `ru.yaml`).
    pub name: String,
    /// Where it comes from, for messages.
    pub origin: PathBuf,
    /// The text.
    pub text: String,
}

/// Everything the pipeline needs from disk.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// Content files, sorted by path.
    pub content: Vec<SourceFile>,
    /// Content files that could not be read (their error is reported; `text` is empty).
    pub unreadable: Vec<SourceFile>,
    /// Bundle files copied next to their page.
    pub assets: Vec<BundleAsset>,
    /// `static/` of the theme, then of the site (the site's win on the same output path).
    pub static_files: Vec<StaticFile>,
    /// Templates: the theme's, overridden by name by the site's `templates/`.
    pub templates: Vec<TextFile>,
    /// `i18n/<lang>.yaml` of the theme.
    pub i18n: Vec<TextFile>,
    /// Copied files of the site (bundle files, `static/`) published with other bytes than
    /// their own, by absolute path: SVG images with their scripts removed
    /// ([`crate::active`]).
    pub inert: std::collections::BTreeMap<PathBuf, Inert>,
}

/// The bytes published instead of a copied file's own.
#[derive(Debug, Clone)]
pub struct Inert {
    /// The cleaned bytes.
    pub bytes: std::sync::Arc<Vec<u8>>,
    /// What was removed that could run script or load from elsewhere (for a warning).
    pub removed: Vec<String>,
}

impl Sources {
    /// Drops the texts of the content files (`SourceFile::text` becomes empty), for a run
    /// that has parsed them and keeps nothing for a next one (`build`): at 10,000 projects
    /// they are about a tenth of the peak memory.
    pub fn forget_content_texts(&mut self) {
        let empty: std::sync::Arc<str> = std::sync::Arc::from("");
        for f in self.content.iter_mut().chain(&mut self.unreadable) {
            f.text = std::sync::Arc::clone(&empty);
        }
    }
}

/// Reads the whole site. Returns what could be read and every error found: a file that cannot
/// be read does not stop the others from being checked.
pub fn scan(config: &Config) -> (Sources, Errors) {
    scan_cached(config, &mut TextCache::default())
}

/// Texts read by the last scan, by file, with the size and time they had: the preview's next
/// scan reads again only the files that changed.
#[derive(Default)]
pub struct TextCache {
    /// The sources and errors of the last scan.
    last: Option<(Sources, Errors)>,
    texts: HashMap<PathBuf, Stamped>,
    /// The next serial to hand out.
    next_serial: u64,
}

/// A file's modification time, size, text and serial.
type Stamped = (Option<std::time::SystemTime>, u64, std::sync::Arc<str>, u64);

/// Like [`scan_cached`], told which files changed (paths relative to the root): when they
/// are all content files the last scan knew, and still there, only they are read again and
/// the folders are not walked, and the paths of the files read again come back. Anything
/// else (a new, removed or renamed file, a template, `static/`, `site.yaml`) makes it scan
/// everything.
pub fn scan_changed(
    config: &Config,
    cache: &mut TextCache,
    changed: &std::collections::BTreeSet<PathBuf>,
) -> (Sources, Errors, Option<Vec<PathBuf>>) {
    if let Some((last, last_errors)) = cache.last.take().filter(|(_, e)| e.is_empty()) {
        let known: HashMap<&Path, usize> = last
            .content
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.as_path(), i))
            .collect();
        let copied: std::collections::HashSet<PathBuf> = last
            .assets
            .iter()
            .filter_map(|a| match &a.data {
                FileData::Disk(p) => Some(relative(&config.root, p)),
                FileData::Embedded(_) => None,
            })
            .chain(last.static_files.iter().map(|f| f.origin.clone()))
            .collect();
        let headers: HashMap<PathBuf, ImageHeader> = last
            .assets
            .iter()
            .map(|a| (&a.data, (a.size, a.raster)))
            .chain(
                last.static_files
                    .iter()
                    .map(|s| (&s.data, (s.size, s.raster))),
            )
            .filter_map(|(data, header)| match data {
                FileData::Disk(p) => Some((relative(&config.root, p), header)),
                FileData::Embedded(_) => None,
            })
            .collect();
        let resized = |rel: &Path, abs: &Path| {
            headers
                .get(rel)
                .is_some_and(|old| *old != image_header(abs))
        };
        let mut edits = Vec::new();
        let mut simple = true;
        for p in changed {
            let abs = config.root.join(p);
            match known.get(p.as_path()) {
                Some(&i) if is_plain_file(&abs) => edits.push((i, abs)),
                // A copied file's new bytes are read when it is copied; an image whose size
                // or format changed changes the bodies that show it (their width, height and
                // copies), and a file that became, or stopped being, a raster image changes
                // what the image stage publishes.
                // The same for a file the active-content rules copy as is, and still would.
                None if copied.contains(p)
                    && is_plain_file(&abs)
                    && !resized(p, &abs)
                    && still_plain(config, p, &abs, &last) => {}
                // An editor's temp file that came and went (not a folder that held files).
                None if !abs.exists()
                    && !copied.contains(p)
                    && is_transient(p)
                    && !known.keys().any(|k| k.starts_with(p))
                    && !copied.iter().any(|c| c.starts_with(p)) => {}
                _ => simple = false,
            }
        }
        if simple {
            let mut sources = last;
            let mut errors = last_errors;
            let edited: Vec<PathBuf> = edits
                .iter()
                .map(|(i, _)| sources.content[*i].path.clone())
                .collect();
            for (i, abs) in edits {
                match read_text(config, &abs) {
                    Ok(text) => {
                        let serial = cache.next_serial;
                        cache.next_serial += 1;
                        let meta = std::fs::metadata(&abs).ok();
                        let stamp = (
                            meta.as_ref().and_then(|m| m.modified().ok()),
                            meta.map_or(0, |m| m.len()),
                        );
                        let text: std::sync::Arc<str> = text.into();
                        cache
                            .texts
                            .insert(abs, (stamp.0, stamp.1, text.clone(), serial));
                        sources.content[i].text = text;
                        sources.content[i].serial = serial;
                    }
                    Err(e) => errors.push(e),
                }
            }
            if errors.is_empty() {
                return (sources, errors, Some(edited));
            }
        }
    }
    let (sources, errors) = scan_cached(config, cache);
    (sources, errors, None)
}

/// A path that no scan would have kept: an editor's swap or temp file, or a file without a
/// content extension inside content/ (sed's and other tools' temporary names).
pub fn is_transient(p: &Path) -> bool {
    p.file_name().is_none_or(|n| {
        let n = n.to_string_lossy();
        is_ignored(&n)
            || (p.starts_with("content") && !(n.ends_with(".md") || n.ends_with(".yaml")))
    })
}

impl TextCache {
    /// Keeps the sources of a finished run for the next [`scan_changed`] (which takes them
    /// back instead of copying 10,000 file records).
    pub fn keep(&mut self, sources: Sources, errors: Errors) {
        self.last = Some((sources, errors));
    }
}

/// Like [`scan`], reusing the texts of files whose size and modification time did not change.
pub fn scan_cached(config: &Config, cache: &mut TextCache) -> (Sources, Errors) {
    let mut errors = Vec::new();
    let mut sources = Sources::default();
    let mut pending = Vec::new();
    scan_content(config, &mut sources, &mut pending, &mut errors);
    // Read in parallel; each file's text comes from the cache when it did not change.
    let read: Vec<(SourceFile, PathBuf, Result<Stamped, Error>)> = pending
        .into_par_iter()
        .map(|(file, abs): (SourceFile, PathBuf)| {
            let meta = std::fs::metadata(&abs).ok();
            let stamp = meta.as_ref().map(|m| (m.modified().ok(), m.len()));
            let text = match (stamp, cache.texts.get(&abs)) {
                (Some((t, len)), Some((ct, clen, text, serial)))
                    if t.is_some() && t == *ct && len == *clen =>
                {
                    Ok((t, len, text.clone(), *serial))
                }
                _ => read_text(config, &abs).map(|text| {
                    (
                        stamp.and_then(|s| s.0),
                        stamp.map_or(0, |s| s.1),
                        text.into(),
                        u64::MAX,
                    )
                }),
            };
            (file, abs, text)
        })
        .collect();
    let mut texts = HashMap::with_capacity(read.len());
    for (mut file, abs, text) in read {
        match text {
            Ok((t, len, text, mut serial)) => {
                if serial == u64::MAX {
                    serial = cache.next_serial;
                    cache.next_serial += 1;
                }
                texts.insert(abs, (t, len, text.clone(), serial));
                file.text = text;
                file.serial = serial;
                sources.content.push(file);
            }
            Err(e) => {
                errors.push(e);
                sources.unreadable.push(file);
            }
        }
    }
    cache.texts = texts;
    check_bundles(&mut sources, &mut errors);
    let theme = Theme::locate(config);
    theme.files("templates", config, &mut errors, |name, origin, data| {
        sources.templates.push(TextFile {
            name,
            origin,
            text: data,
        });
    });
    theme.files("i18n", config, &mut errors, |name, origin, data| {
        sources.i18n.push(TextFile {
            name,
            origin,
            text: data,
        });
    });
    // The site's own templates win over the theme's.
    let site_templates = config.root.join("templates");
    if site_templates.is_dir() {
        for (rel, abs) in walk_files(&config.root, &site_templates, &mut errors) {
            match read_text(config, &abs) {
                Ok(text) => {
                    sources.templates.retain(|t| t.name != rel);
                    sources.templates.push(TextFile {
                        name: rel,
                        origin: relative(&config.root, &abs),
                        text,
                    });
                }
                Err(e) => errors.push(e),
            }
        }
    }
    for (output, origin, data) in theme.static_files(config, &mut errors) {
        let (size, raster) = match &data {
            FileData::Disk(abs) => image_header(abs),
            FileData::Embedded(b) => header_of(b),
        };
        sources.static_files.push(StaticFile {
            output,
            origin,
            data,
            size,
            raster,
        });
    }
    let site_static = config.root.join("static");
    if site_static.is_dir() {
        for (rel, abs) in walk_files_with(&config.root, &site_static, &mut errors, is_editor_temp) {
            // `static/` is the site's, not the theme's: the same rules as bundles.
            let before = errors.len();
            judge(
                config,
                &abs,
                &relative(&config.root, &abs),
                &mut sources.inert,
                &mut errors,
            );
            if errors.len() == before {
                refuse_raster(config, &abs, &relative(&config.root, &abs), &mut errors);
            }
            sources.static_files.retain(|s| s.output != rel);
            let (size, raster) = image_header(&abs);
            sources.static_files.push(StaticFile {
                output: rel,
                origin: relative(&config.root, &abs),
                data: FileData::Disk(abs),
                size,
                raster,
            });
        }
    }
    (sources, errors)
}

fn scan_content(
    config: &Config,
    sources: &mut Sources,
    pending: &mut Vec<(SourceFile, PathBuf)>,
    errors: &mut Errors,
) {
    let content = config.root.join("content");
    if !content.is_dir() {
        errors.push(
            Error::new("content", "the site has no content/ folder")
                .with_help("create content/ with projects/, cohorts/, demos/, news/ and pages/"),
        );
        return;
    }
    for (rel, abs) in walk_files(&config.root, &content, errors) {
        let parts: Vec<&str> = rel.split('/').collect();
        let path = PathBuf::from("content").join(&rel);
        match parts.as_slice() {
            [file] => match split_name(file, config) {
                Ok(Some((name, lang, format))) if name == "_index" => {
                    push_source(pending, &abs, &path, "", name, lang, format, None)
                }
                Ok(_) => errors.push(Error::new(&path, "files directly in content/ other than _index.md are not part of the site").with_help("put items in content/projects/, cohorts/, demos/, news/ or pages/")),
                Err(e) => errors.push(e.with_path(&path)),
            },
            [section, ..] if !SECTIONS.contains(section) => {
                let mut e = Error::new(&path, format!("`{section}` is not a content section"));
                e = match did_you_mean(section, SECTIONS.iter().copied()) {
                    Some(s) => e.with_help(format!("did you mean content/{s}/?")),
                    None => e.with_help(format!("sections are: {}", SECTIONS.join(", "))),
                };
                errors.push(e);
            }
            [section, file] => match split_name(file, config) {
                Ok(Some((name, ..))) if name == "_index" && *section == "pages" => errors.push(Error::new(&path, "pages/ has no list page, so `_index.md` there introduces nothing").with_help("put the home page's intro in content/_index.md, or a list's in content/projects/, cohorts/, demos/ or news/")),
                Ok(Some((name, lang, format))) => push_source(pending, &abs, &path, section, name, lang, format, None),
                Ok(None) => errors.push(Error::new(&path, "not a content file").with_help("items end in .md or .yaml; images and other files belong in a bundle folder (NAME/index.md) or in static/")),
                Err(e) => errors.push(e.with_path(&path)),
            },
            [section, bundle, rest @ ..] => {
                let bundle_dir = PathBuf::from("content").join(section).join(bundle);
                let file = rest.last().copied().unwrap_or_default();
                match (rest.len(), split_name(file, config)) {
                    (1, Ok(Some((name, lang, format)))) if name == "index" => push_source(pending, &abs, &path, section, bundle.to_string(), lang, format, Some(bundle_dir)),
                    (_, Err(e)) => errors.push(e.with_path(&path)),
                    // Another content file in a bundle would be copied to the output as is,
                    // front matter (and `internal:`) included: refuse it.
                    (_, Ok(Some(_))) => errors.push(Error::new(&path, "a bundle holds one item: its index.md (or index.yaml) and their translations")
                        .with_help("move this file to its own place in content/, or rename it if it is not content")),
                    (_, Ok(None)) => {
                        let name = rest.join("/");
                        let (size, raster) = image_header(&abs);
                        let before = errors.len();
                        judge(config, &abs, &path, &mut sources.inert, errors);
                        // One error per file: the active-content rules' explains a page in disguise.
                        if errors.len() == before {
                            refuse_raster(config, &abs, &path, errors);
                        }
                        sources.assets.push(BundleAsset { bundle: bundle_dir, name, data: FileData::Disk(abs), size, raster })
                    }
                }
            }
            [] => {}
        }
    }
}

/// Applies [`crate::active::classify`] to the site's copied file at `abs` (`rel` from the
/// root): a refusal becomes an error, cleaned bytes go into `inert`. Nothing is read when the
/// owner allows raw HTML.
fn judge(
    config: &Config,
    abs: &Path,
    rel: &Path,
    inert: &mut std::collections::BTreeMap<PathBuf, Inert>,
    errors: &mut Errors,
) {
    if config.allow_html {
        return;
    }
    let bytes = match read_for_judging(config, abs, rel) {
        Ok(b) => b,
        Err(e) => return errors.push(e),
    };
    match crate::active::classify(rel, &bytes, false) {
        crate::active::Verdict::Allowed => {}
        crate::active::Verdict::Sanitised(clean, removed) => {
            inert.insert(
                abs.to_path_buf(),
                Inert {
                    bytes: std::sync::Arc::new(clean),
                    removed,
                },
            );
        }
        crate::active::Verdict::Refused(e) => errors.push(e),
    }
}

/// What [`crate::active::classify`] needs of a file: the whole of an SVG (within the size
/// limit of text files), the first bytes of anything else.
fn read_for_judging(config: &Config, abs: &Path, rel: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Error::new(rel, format!("cannot read: {e}"));
    let svg = abs
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let limit = if svg {
        let len = std::fs::metadata(abs).map_err(cannot)?.len();
        if len > config.max_file_size {
            return Err(Error::new(rel, format!("this SVG image is too large to be checked for scripts: {len} bytes, the limit is {} bytes", config.max_file_size))
                .with_help("make the image smaller, or raise `limits: {max_file_size: ...}` in site.yaml"));
        }
        len
    } else {
        crate::active::SNIFF_BYTES as u64
    };
    let mut bytes = Vec::new();
    open_file(abs)
        .map_err(cannot)?
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    Ok(bytes)
}

/// Whether the preview can keep the last scan when the copied file `rel` changed: its new
/// bytes are copied as they are, as its old ones were (not cleaned, not refused).
fn still_plain(config: &Config, rel: &Path, abs: &Path, last: &Sources) -> bool {
    if config.allow_html || !(rel.starts_with("content") || rel.starts_with("static")) {
        return true;
    }
    !last.inert.contains_key(abs)
        && read_for_judging(config, abs, rel).is_ok_and(|b| {
            crate::active::classify(rel, &b, false) == crate::active::Verdict::Allowed
        })
}

/// An error for the MP4 or QuickTime file at `abs` (`rel` from the root) whose `moov` box
/// says where it was filmed, on what or by whom ([`crate::video::identifying_metadata`]):
/// only that box is read, by walking the file's top-level boxes.
fn refuse_video(abs: &Path, rel: &Path, errors: &mut Errors) {
    use std::io::{Read, Seek, SeekFrom};
    let name = rel.to_string_lossy().to_ascii_lowercase();
    if ![".mp4", ".m4v", ".mov", ".3gp"]
        .iter()
        .any(|e| name.ends_with(e))
    {
        return;
    }
    let Ok(mut file) = open_file(abs) else { return };
    let len = file.metadata().map_or(0, |m| m.len());
    let mut at = 0u64;
    let mut found = Vec::new();
    while at + 8 <= len {
        let mut head = [0u8; 16];
        if file.seek(SeekFrom::Start(at)).is_err() || file.read_exact(&mut head[..8]).is_err() {
            break;
        }
        let mut size = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
        let kind = [head[4], head[5], head[6], head[7]];
        let mut header = 8;
        if size == 1 {
            if file.read_exact(&mut head[8..16]).is_err() {
                break;
            }
            size = u64::from_be_bytes(head[8..16].try_into().unwrap_or([0; 8]));
            header = 16;
        } else if size == 0 {
            size = len - at;
        }
        if size < header {
            break;
        }
        // Metadata lives in `moov`, and at the top level in `meta`, `udta` and XMP's `uuid`.
        if matches!(&kind, b"moov" | b"meta" | b"udta" | b"uuid") {
            let mut body = Vec::new();
            // A `moov` box is kilobytes to a few megabytes; a larger one is read up to 64 MB.
            if file
                .by_ref()
                .take((size - header).min(64 << 20))
                .read_to_end(&mut body)
                .is_ok()
            {
                found.extend(crate::video::identifying_metadata(&body));
            }
        }
        at += size;
    }
    found.sort_unstable();
    found.dedup();
    if !found.is_empty() {
        errors.push(
            Error::new(rel, format!("this video records {}, and videos are published as they are", found.join(", ")))
                .with_help("remove its metadata and add the cleaned copy instead, for example: ffmpeg -i IN.mp4 -map_metadata -1 -fflags +bitexact -c copy OUT.mp4"),
        );
    }
}

/// An error for the copied file at `abs` (`rel` from the root) when it is an image the
/// image stage cannot clean, or is named like an image and is not one
/// ([`crate::images::refusal`]).
fn refuse_raster(config: &Config, abs: &Path, rel: &Path, errors: &mut Errors) {
    refuse_video(abs, rel, errors);
    use std::io::Read;
    let mut head = Vec::with_capacity(16);
    if open_file(abs)
        .and_then(|f| f.take(16).read_to_end(&mut head))
        .is_err()
    {
        return;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if let Some(why) = crate::images::refusal(&name, &head, config.allow_html) {
        errors.push(Error::new(rel, why).with_help(
            "export it as JPEG (photos) or PNG (drawings, screenshots), which the site publishes cleaned of metadata",
        ));
    }
}

/// What the first bytes of a copied file say: its shown width and height when it is an
/// image, and its facts when it is a raster image.
type ImageHeader = (Option<(u32, u32)>, Option<crate::images::Facts>);

/// The [`ImageHeader`] of the file at `path` (nothing for an unreadable file).
fn image_header(path: &Path) -> ImageHeader {
    use std::io::Read;
    let mut header = Vec::with_capacity(crate::imagesize::HEADER);
    let read = open_file(path).and_then(|f| {
        f.take(crate::imagesize::HEADER as u64)
            .read_to_end(&mut header)
    });
    if read.is_err() {
        return (None, None);
    }
    let found = header_of(&header);
    match crate::images::Format::sniff(&header) {
        // A raster image whose size is not in its first bytes (metadata larger than they
        // are, or damage): read whole. One that still says nothing is published by no one
        // but the image stage, which reports why it cannot be read.
        Some(format) if found.1.is_none() => {
            let whole = read_file(path).ok().and_then(|b| crate::images::facts(&b));
            match whole {
                Some(f) => (Some((f.width, f.height)), Some(f)),
                None => (None, Some(crate::images::Facts::unreadable(format))),
            }
        }
        _ => found,
    }
}

/// The [`ImageHeader`] of a file that starts with `header`. A raster image's size is the
/// size it is shown at (after its EXIF orientation).
fn header_of(header: &[u8]) -> ImageHeader {
    let header = &header[..header.len().min(crate::imagesize::HEADER)];
    match crate::images::facts(header) {
        Some(f) => (Some((f.width, f.height)), Some(f)),
        None => (crate::imagesize::dimensions(header), None),
    }
}

/// A bundle folder without an index is a mistake, not a set of orphan files.
fn check_bundles(sources: &mut Sources, errors: &mut Errors) {
    let with_index: std::collections::HashSet<PathBuf> = sources
        .content
        .iter()
        .chain(&sources.unreadable)
        .filter_map(|s| s.bundle.clone())
        .collect();
    let bundles: std::collections::BTreeSet<&PathBuf> =
        sources.assets.iter().map(|a| &a.bundle).collect();
    for b in bundles {
        if !with_index.contains(b) {
            errors.push(Error::new(b, "this folder has no index.md, so it is not an item").with_help("add index.md (or index.yaml) to make it a bundle, or move its files to static/"));
        }
    }
    sources.assets.retain(|a| with_index.contains(&a.bundle));
}

#[allow(clippy::too_many_arguments)]
fn push_source(
    pending: &mut Vec<(SourceFile, PathBuf)>,
    abs: &Path,
    path: &Path,
    section: &str,
    name: String,
    lang: Option<String>,
    format: Format,
    bundle: Option<PathBuf>,
) {
    let file = SourceFile {
        path: path.to_path_buf(),
        section: section.to_string(),
        name,
        lang,
        format,
        bundle,
        text: "".into(),
        serial: 0,
    };
    pending.push((file, abs.to_path_buf()));
}

trait WithPath {
    fn with_path(self, path: &Path) -> Error;
}
impl WithPath for Error {
    fn with_path(mut self, path: &Path) -> Error {
        self.path = path.to_path_buf();
        self
    }
}

/// Splits `name.ru.md` into (`name`, `Some("ru")`, Markdown). `Ok(None)`: not a content file.
fn split_name(
    file: &str,
    config: &Config,
) -> Result<Option<(String, Option<String>, Format)>, Error> {
    let (stem, format) = if let Some(s) = file.strip_suffix(".md") {
        (s, Format::Markdown)
    } else if let Some(s) = file.strip_suffix(".yaml") {
        (s, Format::Yaml)
    } else {
        return Ok(None);
    };
    if let Some((name, code)) = stem.rsplit_once('.') {
        let letters =
            (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphabetic());
        let rename = |to: &str| format!("rename the file to `{to}.{}`", format.extension());
        if letters && code.chars().all(|c| c.is_ascii_lowercase()) {
            if !config.has_language(code) {
                return Err(not_a_language(file, name, code, format, config));
            }
            // `about.ru.ru.md`, `about.en.ru.md`: one file has one language.
            if let Some((base, first)) = name.rsplit_once('.') {
                let first_lower = first.to_ascii_lowercase();
                if config.has_language(&first_lower) {
                    let (message, help) = if first_lower == code {
                        (
                            format!("the language code `{code}` is written twice in the file name"),
                            rename(&format!("{base}.{code}")),
                        )
                    } else {
                        (
                            format!("the file name has two language codes, `{first}` and `{code}`"),
                            format!(
                                "keep the one of the file's language: {}, or {}",
                                rename(&format!("{base}.{code}")),
                                rename(&format!("{base}.{first_lower}")).replacen(
                                    "rename the file to ",
                                    "",
                                    1
                                )
                            ),
                        )
                    };
                    return Err(Error::new(file, message).with_help(help));
                }
            }
            let lang = (code != config.default_language()).then(|| code.to_string());
            return Ok(Some((name.to_string(), lang, format)));
        }
        let lower = code.to_ascii_lowercase();
        if letters && config.has_language(&lower) {
            return Err(Error::new(
                file,
                format!("`{code}` in the file name is a language code written in capitals"),
            )
            .with_help(format!(
                "language codes are lowercase: rename the file to `{name}.{lower}.{}`",
                format.extension()
            )));
        }
        // `about.KZ.md`: a mix-up written in capitals is still the mix-up.
        if letters
            && MISTAKEN_CODES
                .iter()
                .any(|(c, m, _, _)| *c == lower && config.has_language(m))
        {
            return Err(not_a_language(file, name, code, format, config));
        }
        // `about.en-US.md`, `about.ru_RU.md`: a language with a region; the site's
        // languages have none (BCP 47 writes the language first).
        if let Some((language, region)) = code.split_once(['-', '_']) {
            let language = language.to_ascii_lowercase();
            let is_region = (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()))
                || (region.len() == 3 && region.chars().all(|c| c.is_ascii_digit()));
            if is_region && config.has_language(&language) {
                return Err(Error::new(
                    file,
                    format!("`{code}` in the file name is a language with a region; the site's languages are written without one"),
                )
                .with_help(rename(&format!("{name}.{language}"))));
            }
        }
    }
    Ok(Some((stem.to_string(), None, format)))
}

/// Country codes (ISO 3166-1) and three-letter language codes (ISO 639-2) written where a
/// file name takes the two-letter language code (ISO 639-1): `kz` is Kazakhstan, Kazakh is
/// `kk`. Each maps to the language code people meant: (written, meant, what the written
/// code is, the language's English name).
const MISTAKEN_CODES: &[(&str, &str, &str, &str)] = &[
    ("kz", "kk", "the country code of Kazakhstan", "Kazakh"),
    ("kaz", "kk", "a three-letter code", "Kazakh"),
    ("qaz", "kk", "not a language code", "Kazakh"),
    ("rus", "ru", "a three-letter code", "Russian"),
    ("eng", "en", "a three-letter code", "English"),
    (
        "us",
        "en",
        "the country code of the United States",
        "English",
    ),
    (
        "gb",
        "en",
        "the country code of the United Kingdom",
        "English",
    ),
    ("ua", "uk", "the country code of Ukraine", "Ukrainian"),
    ("by", "be", "the country code of Belarus", "Belarusian"),
    ("kg", "ky", "the country code of Kyrgyzstan", "Kyrgyz"),
    ("tj", "tg", "the country code of Tajikistan", "Tajik"),
    ("tm", "tk", "the country code of Turkmenistan", "Turkmen"),
    ("cn", "zh", "the country code of China", "Chinese"),
    ("jp", "ja", "the country code of Japan", "Japanese"),
    ("kr", "ko", "the country code of Korea", "Korean"),
    ("ge", "ka", "the country code of Georgia", "Georgian"),
    ("am", "hy", "the country code of Armenia", "Armenian"),
    ("ir", "fa", "the country code of Iran", "Persian"),
    ("cz", "cs", "the country code of Czechia", "Czech"),
    ("dk", "da", "the country code of Denmark", "Danish"),
    ("se", "sv", "the country code of Sweden", "Swedish"),
    ("gr", "el", "the country code of Greece", "Greek"),
    ("il", "he", "the country code of Israel", "Hebrew"),
    ("vn", "vi", "the country code of Vietnam", "Vietnamese"),
];

/// The language people meant by `code` when it is a country code or a three-letter code
/// and no language's two-letter code itself (`kz` -> `kk`; not `am`, which is Amharic as
/// well as Armenia): (meant, what `code` is, the language's English name).
pub(crate) fn mistaken_language_code(
    code: &str,
) -> Option<(&'static str, &'static str, &'static str)> {
    // ISO 639-1 codes that are also in the list as countries.
    const ALSO_LANGUAGES: [&str; 4] = ["am", "se", "kr", "kg"];
    if ALSO_LANGUAGES.contains(&code) {
        return None;
    }
    MISTAKEN_CODES
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|&(_, meant, what, language)| (meant, what, language))
}

/// The error for a file named `name.code.md` where `code` is not one of the site's
/// languages: the code people meant when it is a known mix-up or one edit away, else the
/// site's languages.
fn not_a_language(file: &str, name: &str, written: &str, format: Format, config: &Config) -> Error {
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let error = Error::new(
        file,
        format!("`{written}` in the file name is not a language of this site"),
    );
    // The mix-ups are looked up in lowercase (`KZ` is `kz`).
    let code = written.to_ascii_lowercase();
    let code = code.as_str();
    let rename = |to: &str| format!("rename the file to `{name}.{to}.{}`", format.extension());
    if let Some((_, meant, what, language)) = MISTAKEN_CODES
        .iter()
        .find(|(c, m, _, _)| *c == code && config.has_language(m))
    {
        return error.with_help(format!(
            "`{code}` is {what}; {language} is `{meant}`: {}",
            rename(meant)
        ));
    }
    if let Some(meant) = did_you_mean(code, codes.iter().copied()) {
        return error.with_help(format!(
            "if you meant `{meant}`, {}; otherwise add `{code}` under `languages:` in site.yaml",
            rename(meant)
        ));
    }
    error.with_help(format!(
        "the site's languages are {}; add `{code}` under `languages:` in site.yaml or rename the file",
        codes.join(", ")
    ))
}

/// Whether a file is an editor's temporary or hidden file, never part of the site.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || is_editor_temp(name)
}

/// Whether a file is an editor's or an OS's leftover (swap, backup, temp, desktop files).
/// `static/` keeps other hidden files (`.well-known/`, `.nojekyll`).
pub fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name == ".DS_Store"
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name.contains("__jb_tmp__")
        || name.contains("__jb_old__")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name == "Thumbs.db"
}

/// Files under `dir`, sorted, as (path relative to `dir` with `/`, absolute path).
/// Symlinks are reported as errors and not followed.
fn walk_files(root: &Path, dir: &Path, errors: &mut Errors) -> Vec<(String, PathBuf)> {
    walk_files_with(root, dir, errors, is_ignored)
}

/// Like [`walk_files`], with the test for names to skip.
fn walk_files_with(
    root: &Path,
    dir: &Path,
    errors: &mut Errors,
    skip: fn(&str) -> bool,
) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    // Not even the folder itself is followed when it is a link (`static -> ~/.ssh`): the
    // walk then yields the link, reported below.
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| relative(root, dir));
                errors.push(Error::new(p, format!("cannot read: {e}")));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if entry.path_is_symlink() {
            errors.push(
                Error::new(
                    relative(root, entry.path()),
                    "symbolic links are not followed",
                )
                .with_help("copy the file into the site instead of linking it"),
            );
            continue;
        }
        if entry.file_type().is_file() {
            match published_name(rel) {
                Ok(rel_s) => out.push((rel_s, entry.path().to_path_buf())),
                Err(e) => errors.push(e.with_path(&relative(root, entry.path()))),
            }
        }
    }
    out
}

/// The `/`-separated name of a file found under a site folder, if it can be published:
/// valid UTF-8 (a lossy name would be another file), and safe as an output path (a
/// backslash, `..` or a control character in a name must never become a path outside the
/// output, see [`crate::output::path`]). The error's path is filled in by the caller.
fn published_name(rel: &Path) -> Result<String, Error> {
    let mut parts = Vec::new();
    for c in rel.components() {
        let Some(name) = c.as_os_str().to_str() else {
            return Err(Error::new("", "the file name is not valid UTF-8 text")
                .with_help(crate::output::path::RENAME_HELP));
        };
        parts.push(name);
    }
    let joined = parts.join("/");
    crate::output::path::check(&joined).map_err(|why| {
        Error::new("", format!("this file name cannot be published: {why}"))
            .with_help(crate::output::path::RENAME_HELP)
    })?;
    Ok(joined)
}

/// Opens a file of the site for reading without following a symbolic link in its last
/// component, and only if it is a regular file. The walk refuses links with `lstat`, but
/// a file can be swapped for a link between that check and the read (or while the preview
/// runs); the open itself refuses it then (`O_NOFOLLOW`), and `O_NONBLOCK` keeps a FIFO
/// swapped in from hanging the build.
///
/// # Errors
/// The I/O error, or `InvalidInput` for a link or anything but a regular file.
pub fn open_file(abs: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(abs).map_err(|e| {
        // ELOOP is what O_NOFOLLOW answers for a link.
        if e.raw_os_error() == Some(libc::ELOOP) {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "it is a symbolic link, which is not followed",
            )
        } else {
            e
        }
    })?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file",
        ));
    }
    Ok(file)
}

/// The whole of a file of the site, read as [`open_file`] opens it.
///
/// # Errors
/// As [`open_file`], or the read's error.
pub fn read_file(abs: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open_file(abs)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Whether `abs` is a regular file itself (a symbolic link to one is not).
pub fn is_plain_file(abs: &Path) -> bool {
    std::fs::symlink_metadata(abs).is_ok_and(|m| m.file_type().is_file())
}

/// `abs` relative to `root` for messages.
pub fn relative(root: &Path, abs: &Path) -> PathBuf {
    abs.strip_prefix(root).unwrap_or(abs).to_path_buf()
}

/// Reads a text file with the size cap and decodes it.
fn read_text(config: &Config, abs: &Path) -> Result<String, Error> {
    let root = &config.root;
    let rel = relative(root, abs);
    let cannot = |e: std::io::Error| Error::new(&rel, format!("cannot read: {e}"));
    let mut file = open_file(abs).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.len() > config.max_file_size {
        return Err(Error::new(
            &rel,
            format!(
                "file too large: {} bytes, the limit is {} bytes",
                meta.len(),
                config.max_file_size
            ),
        )
        .with_help("split the text, move large data into static/, or raise `limits: {max_file_size: ...}` in site.yaml"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    {
        use std::io::Read;
        // Bounded even if the file grows after the size was checked.
        (&mut file)
            .take(config.max_file_size + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
    }
    decode_text(&rel, &bytes)
}

/// Decodes UTF-8 (BOM optional), turns CRLF into LF, and rejects binary and UTF-16 text.
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, Error> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Error::new(path, "the file is UTF-16; showcase reads UTF-8 only")
                .with_help("save the file as UTF-8 in your editor"),
        );
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        Error::at(path, line, None, "the file is not valid UTF-8 text")
            .with_help("save the file as UTF-8 in your editor")
    })?;
    if let Some(i) = text.find('\0') {
        let line = text[..i].matches('\n').count() + 1;
        return Err(Error::at(
            path,
            line,
            None,
            "the file contains a NUL byte: it is binary, not text",
        ));
    }
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

/// Where the theme's files come from: its folder, or the built-in copy of `default`.
pub enum Theme {
    /// `themes/<name>/` in the site.
    Disk(PathBuf),
    /// The default theme compiled into the binary.
    Embedded,
    /// Named in site.yaml but missing.
    Missing(String),
    /// `themes/` or the theme's folder is a symbolic link (relative to the site root): not
    /// followed, an error.
    Linked(PathBuf),
}

/// Whether `path` is a symbolic link itself (not what it points to).
fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The error for a symbolic link met where the site's files are read.
fn link_error(rel: &Path) -> Error {
    Error::new(rel, "symbolic links are not followed")
        .with_help("copy the folder or file into the site instead of linking it")
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

impl Theme {
    /// The theme `config.theme` resolves to.
    pub fn locate(config: &Config) -> Theme {
        Theme::named(&config.root, &config.theme)
    }

    /// The theme `name` of the site at `root`.
    pub fn named(root: &Path, name: &str) -> Theme {
        let themes = root.join("themes");
        let dir = themes.join(name);
        if let Some(link) = [&themes, &dir].into_iter().find(|p| is_link(p)) {
            return Theme::Linked(relative(root, link));
        }
        if dir.is_dir() {
            Theme::Disk(dir)
        } else if name == "default" {
            Theme::Embedded
        } else {
            Theme::Missing(name.to_string())
        }
    }

    /// Text files of the theme's `folder` (templates, i18n, archetypes) as (name, origin, text).
    fn files(
        &self,
        folder: &str,
        config: &Config,
        errors: &mut Errors,
        mut f: impl FnMut(String, PathBuf, String),
    ) {
        match self {
            Theme::Disk(dir) => {
                let sub = dir.join(folder);
                if sub.is_dir() {
                    for (rel, abs) in walk_files(&config.root, &sub, errors) {
                        match read_text(config, &abs) {
                            Ok(text) => f(rel, relative(&config.root, &abs), text),
                            Err(e) => errors.push(e),
                        }
                    }
                }
            }
            Theme::Embedded => {
                for (rel, bytes) in embedded_files(folder) {
                    let origin = PathBuf::from("(built-in theme)").join(folder).join(&rel);
                    match decode_text(&origin, bytes) {
                        Ok(text) => f(rel, origin, text),
                        Err(e) => errors.push(e),
                    }
                }
            }
            Theme::Missing(name) if folder == "templates" => errors.push(
                Error::new(
                    crate::config::SITE_FILE,
                    format!("theme `{name}` not found in themes/{name}/"),
                )
                .with_help("use `theme: default` for the built-in theme, or add the theme folder"),
            ),
            Theme::Missing(_) => {}
            Theme::Linked(link) if folder == "templates" => errors.push(link_error(link)),
            Theme::Linked(_) => {}
        }
    }

    fn static_files(
        &self,
        config: &Config,
        errors: &mut Errors,
    ) -> Vec<(String, PathBuf, FileData)> {
        match self {
            Theme::Disk(dir) => {
                let sub = dir.join("static");
                if !sub.is_dir() {
                    return Vec::new();
                }
                walk_files(&config.root, &sub, errors)
                    .into_iter()
                    .map(|(rel, abs)| (rel, relative(&config.root, &abs), FileData::Disk(abs)))
                    .collect()
            }
            Theme::Embedded => embedded_files("static")
                .into_iter()
                .map(|(rel, bytes)| {
                    let origin = PathBuf::from("(built-in theme)/static").join(&rel);
                    (rel, origin, FileData::Embedded(bytes))
                })
                .collect(),
            Theme::Missing(_) | Theme::Linked(_) => Vec::new(),
        }
    }

    /// The archetype for `kind` (`project`, ...), as (origin, text).
    pub fn archetype(&self, kind: &str) -> Option<(PathBuf, String)> {
        let file = format!("{kind}.md");
        match self {
            Theme::Disk(dir) => {
                let folder = dir.join("archetypes");
                let p = folder.join(&file);
                if is_link(&folder) || is_link(&p) {
                    return None;
                }
                let text = read_file(&p).ok()?;
                decode_text(&p, &text).ok().map(|t| (p, t))
            }
            Theme::Embedded => embedded_files("archetypes")
                .into_iter()
                .find(|(n, _)| *n == file)
                .and_then(|(n, b)| {
                    let origin = PathBuf::from("(built-in theme)/archetypes").join(n);
                    decode_text(&origin, b).ok().map(|t| (origin, t))
                }),
            Theme::Missing(_) | Theme::Linked(_) => None,
        }
    }
}

fn embedded_files(folder: &str) -> Vec<(String, &'static [u8])> {
    let prefix = format!("{folder}/");
    embedded::FILES
        .iter()
        .filter_map(|(p, b)| p.strip_prefix(&prefix).map(|rel| (rel.to_string(), *b)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_and_crlf() {
        let t = decode_text(Path::new("a.md"), b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n").unwrap();
        assert_eq!(t, "---\ntitle: x\n---\n");
    }

    #[test]
    fn rejects_binary_and_utf16() {
        assert!(decode_text(Path::new("a.md"), b"ab\0c").is_err());
        assert!(decode_text(Path::new("a.md"), b"\xFF\xFEa\0").is_err());
        let e = decode_text(Path::new("a.md"), b"ok\nbad \xC3\x28").unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn ignores_editor_temp_files() {
        for n in [
            ".a.md.swp",
            "a.md~",
            "#a.md#",
            "4913",
            "a.md___jb_tmp___",
            ".DS_Store",
        ] {
            assert!(is_ignored(n), "{n}");
        }
        assert!(!is_ignored("a.md"));
    }
}
