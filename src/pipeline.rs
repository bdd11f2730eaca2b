//! The whole flow on one screen: settings -> sources -> site graph -> rendered files -> output.
//! `check` is `build` without the write.
//!
//! Invariant: each stage reports every error it finds; the pipeline stops after the first
//! stage that found any, so a failed build never reaches [`output::Staging::commit`] (its
//! staging folder, which pages reach while they are rendered, is removed).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::{self, Error, Errors};
use crate::output::manifest::Manifest;
use crate::output::review::{self, Changes};
use crate::output::{self, Written};
use crate::render::templates::{self, Templates};
use crate::render::{self, OutputFile};
use crate::site::{self, BuildOptions, HeldBack};
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
    /// What `build` changed for the public since the output it replaced; `None` for
    /// `check` and for a first build (nothing to compare with).
    pub changes: Option<Changes>,
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
    /// The item pages of the output, for its marker: made by `build` only.
    pub manifest: Option<Manifest>,
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

/// What `build` adds to its summary about the files it left out, counted by reason, without
/// naming them: `2 drafts and 1 embargoed item held back (showcase check lists them)`.
/// `None` when nothing was held back. Each file counts once (a draft translation is a draft).
pub fn held_back_summary(held: &[HeldBack]) -> Option<String> {
    let drafts = held
        .iter()
        .filter(|h| h.reason == site::HoldBack::Draft)
        .count();
    let embargoed = held.len() - drafts;
    let plural = |n: usize, one: &str, many: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    };
    let parts: Vec<String> = [
        plural(drafts, "draft", "drafts"),
        plural(embargoed, "embargoed item", "embargoed items"),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "{} held back (showcase check lists them)",
            parts.join(" and ")
        )
    })
}

pub use crate::incremental::Cache;

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
        &mut sources,
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
    sources: &mut source::Sources,
    mut errors: Errors,
    edited: Option<Vec<PathBuf>>,
    options: &BuildOptions,
    cache: &mut Cache,
    mut timings: Timings,
    staging: Option<&output::Staging>,
) -> Result<Rendered, Errors> {
    // Fast path: only known content files were edited; patch them into the last site.
    let patched = cache.patched(sources, edited, config, options, errors.is_empty());
    let fast = patched.is_some();
    // Templates are parsed again only when a template or UI string changed.
    let (kept, templates_key) = cache.templates(sources, config);
    let load_templates = || match &kept {
        Some(t) => Ok(Arc::clone(t)),
        None => Templates::load(sources, config).map(Arc::new),
    };
    let (site, templates) = match patched {
        Some(site) => (Ok(site), load_templates()),
        // Templates and content are independent: report the errors of both in one run.
        None => rayon::join(
            || site::load_cached(sources, config, options, &mut cache.parsed),
            load_templates,
        ),
    };
    timings.mark(if fast { "patch" } else { "load" });
    let (mut site, templates) = match (site, templates) {
        (Ok(s), Ok(t)) if errors.is_empty() => (s, t),
        (s, t) => {
            errors.extend(s.err().unwrap_or_default());
            errors.extend(t.err().unwrap_or_default());
            return Err(sorted(errors));
        }
    };
    cache.keep_templates(templates_key, &templates);
    // What the output's marker lists, while the bodies are still known.
    let manifest = staging.is_some().then(|| Manifest::of(&site));
    // `build` makes one render: the texts of the content files and the Markdown of the
    // bodies are not read past the load, and need not stay in memory while every page is
    // rendered (about a quarter of the peak at 10,000 projects).
    if staging.is_some() {
        sources.forget_content_texts();
        cache.texts = source::TextCache::default();
        cache.parsed = site::ParseCache::default();
        site.forget_markdown();
    }
    let sources = &*sources;
    let site = site;
    // Pages checked and written as they are rendered: the problems found on the way, and
    // the internal values found (reported with those of the other files, once per value),
    // and the pages that could not be written (by output path: a collision explains those).
    let streamed_leaks = std::sync::Mutex::new(Vec::new());
    let unwritten = std::sync::Mutex::new(Vec::new());
    // One matcher for the streamed pages and the final check.
    let guard = cache.guard(&site.secrets);
    // Rendered pages the sink found clean, by the address of their bytes (the preview keeps
    // them in the render; the final check skips them).
    let checked = std::sync::Mutex::new(HashSet::new());
    // Each page is checked by the thread that rendered it, while the other renders: the
    // largest pages are not rendered first and read afterwards.
    let sink = |f: &OutputFile| -> bool {
        let leaks = guard.find(&[f]);
        if !leaks.is_empty() {
            streamed_leaks
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(leaks);
            return staging.is_some();
        }
        match (staging, &f.data) {
            (Some(staging), _) => {
                if let Err(e) = staging.put(f) {
                    unwritten
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((f.path.clone(), e));
                }
                true
            }
            (None, render::Data::Bytes(b)) => {
                checked
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(Arc::as_ptr(b) as usize);
                false
            }
            (None, _) => false,
        }
    };
    // Pages and images are independent: the image stage processes what changed while
    // the pages are rendered.
    let image_jobs: Vec<&crate::images::Job> = site.images.values().collect();
    let (render, images) = rayon::join(
        || {
            render::render_site(
                &site,
                &templates,
                options,
                cache.memo.as_mut(),
                Some(&sink as &render::Sink),
            )
        },
        || {
            crate::images::publish(
                &config.root,
                &image_jobs,
                &site.svg_previews,
                &config.images,
                &mut cache.images,
            )
        },
    );
    let render = render.map_err(sorted)?;
    let (mut files, rendered) = (render.files, render.rendered);
    timings.mark("render");
    errors.extend(images.errors);
    for p in images.files {
        files.push(OutputFile {
            path: p.output,
            data: render::Data::Copy(source::FileData::Disk(p.file)),
            origin: render::Origin::Image(p.origin),
            template: None,
            items: std::sync::Arc::from([]),
        });
    }
    // Raster images are published by the image stage, never as they are.
    for s in sources.static_files.iter().filter(|s| s.raster.is_none()) {
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
    let (same_paths, paths_key) = cache.same_paths(&files);
    let mut involved = HashSet::new();
    if !same_paths {
        let clashes;
        (clashes, involved) = output::collisions::find(&mut files);
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
        &checked.into_inner().unwrap_or_else(|e| e.into_inner()),
    ));
    if !errors.is_empty() {
        return Err(sorted(errors));
    }
    timings.mark("check");
    let mut warnings: Errors = site.warnings.iter().map(|w| w.error.clone()).collect();
    warnings.extend(templates.warnings.iter().cloned());
    warnings.extend(cleaned);
    warnings.extend(images.warnings);
    error::sort(&mut warnings);
    let done = Rendered {
        summary: site::summary_line(&site),
        warnings,
        held_back: site.held_back.clone(),
        files,
        rendered,
        manifest,
        timings,
    };
    cache.keep(render.memo, site, config, options, paths_key);
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

/// Everything `build` validates and renders, without writing.
pub fn check(root: &Path, options: &BuildOptions) -> Result<Report, Errors> {
    let start = Instant::now();
    let r = render(root, None, options)?;
    Ok(report(r, Written::default(), None, start))
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
        .site()
        .map(crate::translations::report)
        .unwrap_or_default();
    Ok((report(r, Written::default(), None, start), translations))
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
    let manifest = r.manifest.take().unwrap_or_default();
    let committed = staging.commit(&r.files, &manifest).map_err(sorted)?;
    r.timings.mark("write");
    // What changed for the public, for the people who review it before uploading.
    let changes = committed
        .previous
        .map(|p| review::changes(p.manifest.as_ref(), &manifest, &p.files));
    r.timings.mark("review");
    Ok(report(r, committed.written, changes, start))
}

fn report(r: Rendered, written: Written, changes: Option<Changes>, start: Instant) -> Report {
    Report {
        summary: r.summary,
        files: r.files.len(),
        written,
        warnings: r.warnings,
        held_back: r.held_back,
        changes,
        elapsed: start.elapsed(),
        timings: r.timings,
    }
}

fn sorted(mut errors: Errors) -> Errors {
    error::sort(&mut errors);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::HoldBack;

    fn held(reasons: &[HoldBack]) -> Vec<HeldBack> {
        reasons
            .iter()
            .map(|r| HeldBack {
                path: "content/pages/x.md".into(),
                reason: r.clone(),
            })
            .collect()
    }

    #[test]
    fn held_back_items_are_counted_by_reason() {
        let later = HoldBack::Embargoed { until: None };
        assert_eq!(held_back_summary(&[]), None);
        assert_eq!(
            held_back_summary(&held(&[HoldBack::Draft])).as_deref(),
            Some("1 draft held back (showcase check lists them)")
        );
        assert_eq!(
            held_back_summary(&held(&[HoldBack::Draft, later.clone(), HoldBack::Draft])).as_deref(),
            Some("2 drafts and 1 embargoed item held back (showcase check lists them)")
        );
        assert_eq!(
            held_back_summary(&held(&[later.clone(), later])).as_deref(),
            Some("2 embargoed items held back (showcase check lists them)")
        );
    }
}
