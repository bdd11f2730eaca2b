//! The whole flow on one screen: settings -> sources -> site graph -> rendered files -> output.
//! `check` is `build` without the write.
//!
//! Invariant: each stage reports every error it finds; the pipeline stops after the first
//! stage that found any, so a failed build never reaches [`output::Staging::commit`] (its
//! staging folder, which pages reach while they are rendered, is removed).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::{self, Error, Errors};
use crate::output::{self, Written};
use crate::render::templates::{self, Templates};
use crate::render::{self, OutputFile};
use crate::site::{self, BuildOptions, HeldBack, HoldBack, Site};
use crate::source;

/// What a successful run did.
#[derive(Debug)]
pub struct Report {
    /// One line about the site's content.
    pub summary: String,
    /// Files produced.
    pub files: usize,
    /// Files and bytes written (zero for `check`).
    pub written: Written,
    /// Non-fatal problems.
    pub warnings: Errors,
    /// Items left out of the output.
    pub held_back: Vec<HeldBack>,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall time per stage (`SHOWCASE_TIMINGS=1 showcase build` prints it).
    pub timings: Timings,
}

/// A site loaded and rendered in memory.
pub struct Rendered {
    /// One line about the site's content.
    pub summary: String,
    /// Non-fatal problems, sorted.
    pub warnings: Errors,
    /// Items left out of the output.
    pub held_back: Vec<HeldBack>,
    /// Every output file.
    pub files: Vec<OutputFile>,
    /// Pages that went through a template (the rest were reused from the last render).
    pub rendered: usize,
    /// How long each stage took.
    pub timings: Timings,
}

/// Wall time per stage of a run, for the preview's log and benchmarks.
#[derive(Debug, Clone)]
pub struct Timings {
    start: Instant,
    last: Instant,
    /// (stage, milliseconds).
    pub stages: Vec<(&'static str, f64)>,
}

impl Default for Timings {
    fn default() -> Self {
        let now = Instant::now();
        Timings {
            start: now,
            last: now,
            stages: Vec::new(),
        }
    }
}

impl Timings {
    /// Ends the stage `name`.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages
            .push((name, (now - self.last).as_secs_f64() * 1000.0));
        self.last = now;
    }

    /// `scan 3 ms, load 20 ms, ...`
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .stages
            .iter()
            .map(|(n, ms)| format!("{n} {ms:.0}"))
            .collect();
        format!(
            "{} ms ({})",
            (self.last - self.start).as_millis(),
            parts.join(", ")
        )
    }
}

/// What one render leaves for the next, so that the preview redoes only what changed.
#[derive(Default)]
pub struct Cache {
    memo: Option<render::Memo>,
    parsed: site::ParseCache,
    texts: source::TextCache,
    /// Files changed since the last render, when the caller knows (the watcher does).
    changed: Option<std::collections::BTreeSet<PathBuf>>,
    /// The last good site and the settings it was made with, for edits patched into it.
    site: Option<(String, Site)>,
    /// Pages the leak guard found clean.
    guard: crate::output::guard::Memo,
    /// The leak guard's matcher, by a hash of the secrets it was built from.
    guard_matcher: Option<(u64, std::sync::Arc<crate::output::guard::Guard>)>,
    /// A hash of the output paths of the last good render: the same paths pass the
    /// collision and path checks again.
    checked_paths: Option<u64>,
    /// Parsed templates, by a hash of their texts and the UI strings.
    templates: Option<(u64, std::sync::Arc<Templates>)>,
}

impl Cache {
    /// Tells the next render which files changed (relative to the root), so that it reads
    /// only those when it can.
    pub fn changed(&mut self, paths: std::collections::BTreeSet<PathBuf>) {
        self.changed = Some(paths);
    }
}

/// Loads, validates and renders the site at `root`.
pub fn render(
    root: &Path,
    base_url: Option<&str>,
    options: &BuildOptions,
) -> Result<Rendered, Errors> {
    render_cached(root, base_url, options, &mut Cache::default())
}

/// Like [`render()`], reusing what `cache` kept from the last successful render; the result
/// is the same as a render from scratch.
pub fn render_cached(
    root: &Path,
    base_url: Option<&str>,
    options: &BuildOptions,
    cache: &mut Cache,
) -> Result<Rendered, Errors> {
    render_into(root, base_url, options, cache, None)
}

/// [`render_cached`], writing each page into `staging` (after the leak guard checked it) as
/// soon as it is rendered, when given: those pages are then [`render::Data::Streamed`].
fn render_into(
    root: &Path,
    base_url: Option<&str>,
    options: &BuildOptions,
    cache: &mut Cache,
    staging: Option<&output::Staging>,
) -> Result<Rendered, Errors> {
    let mut timings = Timings::default();
    let config = Config::load(root, base_url).map_err(sorted)?;
    let (mut sources, errors, edited) = match cache.changed.take() {
        Some(paths) => source::scan_changed(&config, &mut cache.texts, &paths),
        None => {
            let (s, e) = source::scan_cached(&config, &mut cache.texts);
            (s, e, None)
        }
    };
    timings.mark("scan");
    sources.templates = templates::with_builtin_templates(std::mem::take(&mut sources.templates));
    let result = render_sources(
        &config,
        &sources,
        errors.clone(),
        edited,
        options,
        cache,
        timings,
        staging,
    );
    // The next scan takes these sources back instead of reading everything again.
    cache.texts.keep(sources, errors);
    result
}

#[allow(clippy::too_many_arguments)]
fn render_sources(
    config: &Config,
    sources: &source::Sources,
    mut errors: Errors,
    edited: Option<Vec<PathBuf>>,
    options: &BuildOptions,
    cache: &mut Cache,
    mut timings: Timings,
    staging: Option<&output::Staging>,
) -> Result<Rendered, Errors> {
    let settings = format!("{config:?}{}{}", options.drafts, options.embargoed);
    // Fast path: only known content files were edited; patch them into the last site. Not
    // while an embargo may lapse (the set of items would change with the clock).
    let previous = cache.site.take().filter(|(s, site)| {
        *s == settings
            && errors.is_empty()
            && (options.embargoed
                || site
                    .held_back
                    .iter()
                    .all(|h| !matches!(h.reason, HoldBack::Embargoed { .. })))
            // An embargo that has passed changes banners and lists: start over.
            && site.entries.iter().all(|e| e.embargoed_until.is_none_or(|t| t > options.now))
    });
    let patched = match (edited, previous) {
        (Some(paths), Some((_, mut site))) => {
            match site::parse_changed(sources, &paths, config, &mut cache.parsed) {
                Ok(items) => match site::patch(&mut site, items, sources, &mut cache.parsed) {
                    Some(Ok(())) => Some(Ok(site)),
                    // The last site no longer matches the files: the next render starts over.
                    Some(Err(e)) => Some(Err(e)),
                    None => None,
                },
                Err(e) => Some(Err(e)),
            }
        }
        _ => None,
    };
    let fast = patched.is_some();
    // Templates are parsed again only when a template or UI string changed.
    let templates_key = site::fingerprint((
        templates::templates_fingerprint(sources),
        format!("{config:?}"),
    ));
    let kept = cache
        .templates
        .clone()
        .filter(|(k, _)| *k == templates_key)
        .map(|(_, t)| t);
    let load_templates = || match &kept {
        Some(t) => Ok(std::sync::Arc::clone(t)),
        None => Templates::load(sources, config).map(std::sync::Arc::new),
    };
    let (site, templates) = match patched {
        Some(site) => (site, load_templates()),
        // Templates and content are independent: report the errors of both in one run.
        None => rayon::join(
            || site::load_cached(sources, config, options, &mut cache.parsed),
            load_templates,
        ),
    };
    timings.mark(if fast { "patch" } else { "load" });
    let (site, templates) = match (site, templates) {
        (Ok(s), Ok(t)) if errors.is_empty() => (s, t),
        (s, t) => {
            errors.extend(s.err().unwrap_or_default());
            errors.extend(t.err().unwrap_or_default());
            return Err(sorted(errors));
        }
    };
    cache.templates = Some((templates_key, std::sync::Arc::clone(&templates)));
    // Pages checked and written as they are rendered: the problems found on the way, and
    // the internal values found (reported with those of the other files, once per value),
    // and the pages that could not be written (by output path: a collision explains those).
    let streamed_leaks = std::sync::Mutex::new(Vec::new());
    let unwritten = std::sync::Mutex::new(Vec::new());
    // One matcher for the streamed pages and the final check.
    let secrets_key = site::fingerprint(&site.secrets);
    let guard = match cache.guard_matcher.take() {
        Some((key, guard)) if key == secrets_key => guard,
        _ => std::sync::Arc::new(crate::output::guard::Guard::new(&site.secrets)),
    };
    let sink = |f: &OutputFile| {
        let Some(staging) = staging else {
            return;
        };
        let leaks = guard.find(&[f]);
        if !leaks.is_empty() {
            streamed_leaks
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(leaks);
        } else if let Err(e) = staging.put(f) {
            unwritten
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((f.path.clone(), e));
        }
    };
    let sink: Option<&render::Sink> = staging.map(|_| &sink as &render::Sink);
    let render = render::render_site(&site, &templates, options, cache.memo.as_mut(), sink)
        .map_err(sorted)?;
    let (mut files, rendered) = (render.files, render.rendered);
    timings.mark("render");
    for s in &sources.static_files {
        files.push(OutputFile {
            path: s.output.clone(),
            data: render::Data::Copy(s.data.clone()),
            origin: render::Origin::Static(s.origin.clone()),
            template: None,
            items: std::sync::Arc::from([]),
        });
    }
    // Two things with one output path (a static file and a page, an alias and a page, a
    // page slug that is also a file name): silently losing one is worse than an error.
    // (The preview skips both checks when the output has the paths it had last time.)
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let paths_key = site::fingerprint(files.iter().map(|f| &f.path).collect::<Vec<_>>());
    let mut involved = HashSet::new();
    if cache.checked_paths != Some(paths_key) {
        let clashes;
        (clashes, involved) = collisions(&mut files);
        errors.extend(clashes);
        // Every output path passes the one rule in `check` too, not only when it is
        // written (the writer's refusal of the same file is the same error, merged by
        // `sorted`).
        errors.extend(files.iter().filter_map(|f| output::check_path(f).err()));
    }
    // A page that could not be written because another file took its path (or its
    // folder) is explained by the collision: the write error would only add noise.
    errors.extend(
        unwritten
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .filter(|(path, _)| !involved.contains(path))
            .map(|(_, e)| e),
    );
    // Copied files the active-content rules cleaned are published with their clean bytes,
    // which the leak guard below and the writer then see.
    let cleaned = use_inert_bytes(&mut files, &sources.inert);
    // Nothing internal leaves the machine, whatever the theme or the content does.
    errors.extend(crate::output::guard::check_cached(
        &files,
        &guard,
        &mut cache.guard,
        streamed_leaks
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
    ));
    if !errors.is_empty() {
        return Err(sorted(errors));
    }
    timings.mark("check");
    cache.checked_paths = Some(paths_key);
    cache.guard_matcher = Some((secrets_key, guard));
    cache.memo = Some(render.memo);
    let mut warnings: Errors = site.warnings.iter().map(|w| w.error.clone()).collect();
    warnings.extend(templates.warnings.iter().cloned());
    warnings.extend(cleaned);
    error::sort(&mut warnings);
    let done = Rendered {
        summary: site::summary_line(&site),
        warnings,
        held_back: site.held_back.clone(),
        files,
        rendered,
        timings,
    };
    cache.site = Some((settings, site));
    Ok(done)
}

/// Puts the cleaned bytes of `inert` in place of the files they stand for, and returns a
/// warning for each published file from which something dangerous was removed.
fn use_inert_bytes(
    files: &mut [OutputFile],
    inert: &std::collections::BTreeMap<PathBuf, source::Inert>,
) -> Errors {
    let mut warnings = Vec::new();
    if inert.is_empty() {
        return warnings;
    }
    for f in files.iter_mut() {
        let render::Data::Copy(source::FileData::Disk(p)) = &f.data else {
            continue;
        };
        let Some(clean) = inert.get(p) else {
            continue;
        };
        if !clean.removed.is_empty() {
            warnings.push(
                Error::new(
                    f.origin.file(&f.path),
                    format!(
                        "parts that could run script or load files from other sites were removed from the published copy: {}",
                        clean.removed.join(", ")
                    ),
                )
                .with_help("the file in the site is unchanged; draw it without them to silence this warning"),
            );
        }
        f.data = render::Data::Bytes(std::sync::Arc::clone(&clean.bytes));
    }
    warnings
}

/// Output paths claimed twice, used both as a file and as a folder, or differing only in
/// letter case or Unicode form (one file on Windows, macOS and hosts that ignore case).
/// Each error is located at the file a user can rename (content or the site's `static/`
/// before a theme's file, before a page the site makes) and names the other source in its
/// message. Returns the errors and the output paths involved.
fn collisions(files: &mut [OutputFile]) -> (Errors, HashSet<String>) {
    use unicode_normalization::UnicodeNormalization;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let rank = |f: &OutputFile| match &f.origin {
        render::Origin::Content(_) => 0,
        render::Origin::Static(p)
            if !p.starts_with("(built-in theme)") && !p.starts_with("themes") =>
        {
            0
        }
        render::Origin::Static(_) => 1,
        render::Origin::Generated(_) => 2,
    };
    let describe = |f: &OutputFile| match &f.origin {
        render::Origin::Generated(Some(t)) => format!("the page the site makes from {t}"),
        render::Origin::Generated(None) => "a file the site makes itself".to_string(),
        o => o.file(&f.path).display().to_string(),
    };
    // (the file to blame, the other) in that order.
    let order = |a: usize, b: usize| {
        if rank(&files[b]) < rank(&files[a]) {
            (b, a)
        } else {
            (a, b)
        }
    };
    let mut errors = Vec::new();
    let mut involved = HashSet::new();
    for i in 1..files.len() {
        if files[i].path == files[i - 1].path {
            let (blame, other) = order(i - 1, i);
            involved.insert(files[i].path.clone());
            errors.push(
                Error::new(
                    files[blame].origin.file(&files[blame].path),
                    format!(
                        "this and {} both produce /{}",
                        describe(&files[other]),
                        files[i].path
                    ),
                )
                .with_help("rename one of them (or change its `slug:` or `aliases:`)"),
            );
        }
    }
    let index: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    for (inner, f) in files.iter().enumerate() {
        let mut dir = f.path.as_str();
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            let Some(&owner) = index.get(dir) else {
                continue;
            };
            involved.insert(dir.to_string());
            involved.insert(f.path.clone());
            let (blame, other) = order(owner, inner);
            let message = if blame == owner {
                format!(
                    "/{dir} is a file, but {} needs it to be a folder for /{}",
                    describe(&files[other]),
                    f.path
                )
            } else {
                format!(
                    "this needs /{dir} to be a folder for /{}, but {} makes /{dir} a file",
                    f.path,
                    describe(&files[other])
                )
            };
            errors.push(
                Error::new(files[blame].origin.file(&files[blame].path), message).with_help(
                    "rename one of them; a slug must not be the name of a file such as favicon.svg",
                ),
            );
        }
    }
    // Paths equal once letter case and Unicode compatibility forms are folded.
    let mut folded: HashMap<String, usize> = HashMap::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        // NFKC leaves ASCII as it is: most paths need only the case folded.
        let key = if f.path.is_ascii() {
            f.path.to_ascii_lowercase()
        } else {
            f.path.nfkc().collect::<String>().to_lowercase()
        };
        match folded.get(&key) {
            Some(&j) if files[j].path != f.path => {
                let (blame, other) = order(j, i);
                involved.insert(f.path.clone());
                involved.insert(files[j].path.clone());
                errors.push(
                    Error::new(
                        files[blame].origin.file(&files[blame].path),
                        format!(
                            "this produces /{} and {} produces /{}: they differ only in letter case or in how a letter is encoded, so on Windows, macOS and many hosts one would replace the other",
                            files[blame].path,
                            describe(&files[other]),
                            files[other].path
                        ),
                    )
                    .with_help("rename one of them so that the names differ in more than case"),
                );
            }
            Some(_) => {}
            None => {
                folded.insert(key, i);
            }
        }
    }
    (errors, involved)
}

/// Everything `build` validates and renders, without writing.
pub fn check(root: &Path, options: &BuildOptions) -> Result<Report, Errors> {
    let start = Instant::now();
    let r = render(root, None, options)?;
    Ok(report(r, Written::default(), start))
}

/// [`check`], and the translation report of the checked site (`check --translations`).
pub fn check_translations(
    root: &Path,
    options: &BuildOptions,
) -> Result<(Report, crate::translations::Report), Errors> {
    let start = Instant::now();
    let mut cache = Cache::default();
    let r = render_cached(root, None, options, &mut cache)?;
    let translations = cache
        .site
        .as_ref()
        .map(|(_, site)| crate::translations::report(site))
        .unwrap_or_default();
    Ok((report(r, Written::default(), start), translations))
}

/// Builds the site at `root` into `out`, replacing it atomically.
pub fn build(
    root: &Path,
    out: &Path,
    base_url: Option<&str>,
    options: &BuildOptions,
) -> Result<Report, Errors> {
    let start = Instant::now();
    // Refuses a dangerous output folder before spending time on the build. The pages go
    // into the staging folder as they are rendered (the peak memory then does not grow
    // with the site); an error anywhere drops the staging folder, and the published output
    // is untouched.
    let staging = output::Staging::create(root, out).map_err(sorted)?;
    let mut r = render_into(
        root,
        base_url,
        options,
        &mut Cache::default(),
        Some(&staging),
    )?;
    let written = staging.commit(&r.files).map_err(sorted)?;
    r.timings.mark("write");
    Ok(report(r, written, start))
}

fn report(r: Rendered, written: Written, start: Instant) -> Report {
    Report {
        summary: r.summary,
        files: r.files.len(),
        written,
        warnings: r.warnings,
        held_back: r.held_back,
        elapsed: start.elapsed(),
        timings: r.timings,
    }
}

fn sorted(mut errors: Errors) -> Errors {
    error::sort(&mut errors);
    errors
}
