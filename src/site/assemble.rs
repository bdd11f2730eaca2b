//! Building a [`Site`] from parsed items: grouping translations, holding back drafts and
//! embargoed items, checking references and URLs, rendering bodies, relations and orders.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Item, Kind};
use crate::error::{did_you_mean, Error, Errors};
use crate::source::{FileData, Sources};

use super::links::BodyImage;
use super::links::{Anchors, LinkContext, LinkTable};
use super::{
    check_translation, entry_fingerprint, fingerprint, item_path, pages, sort_key, url_of,
    BuildOptions, Entry, Features, HeldBack, HoldBack, ItemId, MarkdownResult, Page, Picture,
    Preview, Site, Version, Warning, WarningKind,
};

/// Groups, filters, checks and resolves parsed items.
pub fn assemble(
    items: Vec<Arc<Item>>,
    sources: &Sources,
    config: &Config,
    options: &BuildOptions,
    failed: &HashSet<(Kind, String)>,
) -> Result<Site, Errors> {
    assemble_cached(items, sources, config, options, failed, &mut HashMap::new())
}

pub(super) fn assemble_cached(
    items: Vec<Arc<Item>>,
    sources: &Sources,
    config: &Config,
    options: &BuildOptions,
    failed: &HashSet<(Kind, String)>,
    markdown_cache: &mut HashMap<(PathBuf, usize), MarkdownResult>,
) -> Result<Site, Errors> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut held_back = Vec::new();

    // 1. Group translations with their originals by (kind, name).
    let (originals, grouped) = group(items, config, failed, &mut errors);

    // 2. Leave out drafts and embargoed items.
    let (entries, excluded) = hold_back(originals, grouped, config, options, &mut held_back);

    // 3. The pages, and one URL, one item.
    let features = Features::of(sources);
    let pages = pages::list(&entries, config, features);
    check_urls(&entries, config, &mut errors);

    // 4. References.
    let (cohort_of, projects_of) = resolve_references(
        &entries,
        config,
        failed,
        &excluded,
        &mut errors,
        &mut warnings,
    );

    // 5. Logos, galleries and bundle files.
    let BundleFiles {
        assets,
        images,
        body_images,
        logos,
        galleries,
        previews,
        mut svg_previews,
        video_files,
    } = bundle_files(&entries, sources, config, &mut errors);
    let default_preview = default_preview(sources, config, &mut svg_previews);

    // 6. Render every body in every language, checking internal links.
    let links = link_table(
        &entries,
        &pages,
        sources,
        config,
        failed,
        &excluded,
        &held_back,
        &assets,
        &images,
        body_images,
    );
    let jobs: Vec<(usize, ItemId)> = (0..config.languages.len())
        .flat_map(|l| (0..entries.len()).map(move |i| (l, i)))
        .collect();
    let ctx = LinkContext {
        config,
        entries: &entries,
        links: &links,
        markdown_cache: &*markdown_cache,
        sources,
    };
    let rendered: Vec<_> = jobs.par_iter().map(|&(l, id)| ctx.version(l, id)).collect();
    let mut versions: Vec<Vec<Version>> =
        vec![Vec::with_capacity(entries.len()); config.languages.len()];
    let mut next_cache = HashMap::with_capacity(rendered.len());
    for (v, errs, warns, (k, m)) in rendered {
        next_cache.insert(k, m);
        errors.extend(errs);
        warnings.extend(warns.into_iter().map(|error| Warning {
            kind: WarningKind::Link,
            error,
        }));
        let l = config
            .languages
            .iter()
            .position(|x| x.code == v.lang)
            .unwrap_or(0);
        versions[l].push(v);
    }

    // 6b. Links to another page's `#fragment`, now that every page's ids are known.
    let version_of = |l: usize, id: ItemId| &versions[l][id];
    errors.extend(
        versions
            .iter()
            .flatten()
            .flat_map(|v| ctx.check_fragments(v, &version_of)),
    );
    *markdown_cache = next_cache;

    if !errors.is_empty() {
        return Err(errors);
    }
    let mut site = Site {
        config: config.clone(),
        entries,
        versions,
        logos,
        galleries,
        images,
        previews,
        default_preview,
        svg_previews,
        video_files,
        // Made by step 7 below.
        cohort_projects: HashMap::new(),
        cohort_demos: HashMap::new(),
        project_demos: HashMap::new(),
        project_news: HashMap::new(),
        area_projects: BTreeMap::new(),
        cohort_of,
        projects_of,
        assets,
        warnings,
        held_back,
        order: HashMap::new(),
        pages,
        features,
        links,
        secrets: Vec::new(),
    };
    // 7. Relations and list orders.
    sort_lists(&mut site);
    let slugs: Vec<&str> = site.entries.iter().map(|e| e.slug.as_str()).collect();
    let prints: Vec<u64> = (0..site.entries.len())
        .map(|id| entry_fingerprint(&site, id, &slugs))
        .collect();
    drop(slugs);
    for (e, fp) in site.entries.iter_mut().zip(prints) {
        e.fingerprint = fp;
    }
    Ok(site)
}

/// Originals by (kind, name).
type Originals = BTreeMap<(Kind, String), Arc<Item>>;
/// Translations of each original by (kind, name), then by language.
type Translations = BTreeMap<(Kind, String), BTreeMap<String, Arc<Item>>>;

/// Step 1 of [`assemble`]: groups translations with their originals by (kind, name). A
/// translation without an original, or a second one in the same language, is an error.
fn group(
    items: Vec<Arc<Item>>,
    config: &Config,
    failed: &HashSet<(Kind, String)>,
    errors: &mut Errors,
) -> (Originals, Translations) {
    let mut originals: BTreeMap<(Kind, String), Arc<Item>> = BTreeMap::new();
    let mut translations: Vec<Arc<Item>> = Vec::new();
    for item in items {
        if item.lang.is_some() {
            translations.push(item);
            continue;
        }
        let key = (item.kind, item.name.clone());
        if originals.contains_key(&key) {
            continue; // reported by `load` from the file names
        }
        originals.insert(key, item);
    }
    let mut grouped: BTreeMap<(Kind, String), BTreeMap<String, Arc<Item>>> = BTreeMap::new();
    for t in translations {
        let lang = t.lang.clone().unwrap_or_default();
        let key = (t.kind, t.name.clone());
        let Some(original) = originals.get(&key) else {
            if failed.contains(&key) {
                continue;
            }
            errors.push(
                Error::new(
                    &t.path,
                    format!(
                        "this translation has no original in the default language `{}`",
                        config.default_language()
                    ),
                )
                .with_help(format!(
                    "add the original file (the same name without `.{lang}`) or rename this one"
                )),
            );
            continue;
        };
        check_translation(original, &t, errors);
        let slot = grouped.entry(key).or_default();
        if let Some(other) = slot.get(&lang) {
            errors.push(Error::new(
                &t.path,
                format!(
                    "two `{lang}` translations of the same item: {} and {}",
                    other.path.display(),
                    t.path.display()
                ),
            ));
            continue;
        }
        slot.insert(lang, t);
    }
    (originals, grouped)
}

/// Step 2 of [`assemble`]: leaves out drafts and embargoed items (originals with their
/// translations, or single translations) unless the options include them. Returns the
/// entries kept and, for each item left out, why (for the warnings of references to it).
fn hold_back(
    originals: Originals,
    mut grouped: Translations,
    config: &Config,
    options: &BuildOptions,
    held_back: &mut Vec<HeldBack>,
) -> (Vec<Entry>, HashMap<(Kind, String), String>) {
    let mut entries = Vec::new();
    let mut excluded: HashMap<(Kind, String), String> = HashMap::new();
    for (key, original) in originals {
        let mut trs = grouped.remove(&key).unwrap_or_default();
        let draft = original.meta.draft.unwrap_or(false);
        let until = original.meta.publish_after.filter(|t| *t > options.now);
        if draft && !options.drafts {
            let reason = HoldBack::Draft;
            excluded.insert((key.0, original.slug.clone()), reason.as_status());
            held_back.push(HeldBack {
                path: original.path.clone(),
                reason,
            });
            continue;
        }
        if let Some(t) = until.filter(|_| !options.embargoed) {
            let reason = HoldBack::Embargoed {
                until: Some(t.to_zoned(config.timezone.clone())),
            };
            excluded.insert((key.0, original.slug.clone()), reason.as_status());
            held_back.push(HeldBack {
                path: original.path.clone(),
                reason,
            });
            continue;
        }
        trs.retain(|_, t| {
            let t_draft = t.meta.draft.unwrap_or(false) && !options.drafts;
            let t_until =
                t.meta.publish_after.is_some_and(|p| p > options.now) && !options.embargoed;
            if t_draft || t_until {
                held_back.push(HeldBack {
                    path: t.path.clone(),
                    reason: if t_draft {
                        HoldBack::Draft
                    } else {
                        HoldBack::Embargoed { until: None }
                    },
                });
            }
            !(t_draft || t_until)
        });
        entries.push(Entry {
            kind: key.0,
            slug: original.slug.clone(),
            draft,
            embargoed_until: until,
            fingerprint: 0,
            original,
            translations: trs,
        });
    }
    (entries, excluded)
}

/// Step 3 of [`assemble`]: one URL, one item. Page slugs the site uses itself, and URLs or
/// aliases claimed twice (ignoring case and Unicode normal form), are errors.
fn check_urls(entries: &[Entry], config: &Config, errors: &mut Errors) {
    let reserved = pages::reserved_slugs(config);
    let mut by_url: HashMap<String, PathBuf> = HashMap::new();
    let mut claim = |url: String, path: &PathBuf, errors: &mut Errors, what: &str| {
        let key = crate::output::path::fold(&url);
        if let Some(other) = by_url.get(&key) {
            errors.push(Error::new(path, format!("{what} {url} is also claimed by {}", other.display()))
                .with_help("give one of them another `slug:` (URLs are compared ignoring case and Unicode normal form)"));
        } else {
            by_url.insert(key, path.clone());
        }
    };
    for e in entries {
        if e.kind == Kind::Home {
            continue;
        }
        // Compared as hosts that ignore case and Unicode forms would (`Sitemap.xml`).
        let folded = crate::output::path::fold(&e.slug);
        if e.kind == Kind::Page && (reserved.contains(&folded) || config.has_language(&folded)) {
            errors.push(
                Error::new(
                    &e.original.path,
                    format!("the page slug `{}` is used by the site itself", e.slug),
                )
                .with_help(
                    "choose another slug; reserved: ".to_string()
                        + &reserved
                            .iter()
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                            .join(", "),
                ),
            );
        }
        claim(
            item_path(e.kind, &e.slug),
            &e.original.path,
            errors,
            "the URL",
        );
    }
    for e in entries {
        for a in e.original.meta.aliases.iter().flatten() {
            claim(
                crate::content::alias_page(a),
                &e.original.path,
                errors,
                "the alias",
            );
        }
    }
}

/// Step 4 of [`assemble`]: resolves `cohort:` and `projects:` (a reference to a held-back
/// item is a warning, to an unknown one an error) and checks `areas:`. Returns each item's
/// cohort and projects.
fn resolve_references(
    entries: &[Entry],
    config: &Config,
    failed: &HashSet<(Kind, String)>,
    excluded: &HashMap<(Kind, String), String>,
    errors: &mut Errors,
    warnings: &mut Vec<Warning>,
) -> (HashMap<ItemId, ItemId>, HashMap<ItemId, Vec<ItemId>>) {
    let index: HashMap<(Kind, &str), ItemId> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.kind, e.slug.as_str()), i))
        .collect();
    let slugs_of = |kind: Kind| -> Vec<&str> {
        entries
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.slug.as_str())
            .collect()
    };
    let mut cohort_of: HashMap<ItemId, ItemId> = HashMap::new();
    let mut projects_of: HashMap<ItemId, Vec<ItemId>> = HashMap::new();
    let reference = |id: ItemId,
                     field: &str,
                     kind: Kind,
                     slug: &str,
                     errors: &mut Errors,
                     warnings: &mut Vec<Warning>|
     -> Option<ItemId> {
        let item = &entries[id].original;
        if let Some(&target) = index.get(&(kind, slug)) {
            return Some(target);
        }
        if failed.contains(&(kind, slug.to_string())) {
            return None; // its own file's error says enough
        }
        let (line, col) = item.locate(field, slug);
        if let Some(why) = excluded.get(&(kind, slug.to_string())) {
            warnings.push(Warning {
                kind: WarningKind::Reference,
                error: Error::at(&item.path, line, col, format!("`{field}` names the {} `{slug}`, which is {why}; the link is left out of this build", kind.name())),
            });
            return None;
        }
        let mut e = Error::at(
            &item.path,
            line,
            col,
            format!(
                "`{field}` names the {} `{slug}`, which does not exist",
                kind.name()
            ),
        );
        let all = slugs_of(kind);
        let near = did_you_mean(slug, all.iter().copied());
        e = e.with_help(super::links::missing_item_help(
            &super::links::item_file(kind, slug),
            near,
        ));
        errors.push(e);
        None
    };
    for (id, entry) in entries.iter().enumerate() {
        let kind = entry.kind;
        let meta = &entry.original.meta;
        if let Some(c) = &meta.cohort {
            if let Some(t) = reference(id, "cohort", Kind::Cohort, c, errors, warnings) {
                cohort_of.insert(id, t);
            }
        }
        if let Some(ps) = &meta.projects {
            let resolved: Vec<ItemId> = ps
                .iter()
                .filter_map(|p| reference(id, "projects", Kind::Project, p, errors, warnings))
                .collect();
            projects_of.insert(id, resolved);
        }
        if kind == Kind::Project {
            for a in meta.areas.iter().flatten() {
                if !config.areas.contains_key(a) {
                    let item = &entries[id].original;
                    let (line, col) = item.locate("areas", a);
                    let mut e = Error::at(
                        &item.path,
                        line,
                        col,
                        format!("`{a}` is not an area of this site"),
                    );
                    e = match did_you_mean(a, config.areas.keys().map(String::as_str)) {
                        Some(s) => e.with_help(format!("did you mean `{s}`?")),
                        None => e.with_help(format!(
                            "areas are the keys of `areas:` in site.yaml: {}",
                            config.areas.keys().cloned().collect::<Vec<_>>().join(", ")
                        )),
                    };
                    errors.push(e);
                }
            }
        }
    }
    (cohort_of, projects_of)
}

/// What step 5 finds in the bundles and `static/`.
struct BundleFiles {
    /// Bundle files to copy as they are (not raster images): output path and data.
    assets: Vec<(String, FileData)>,
    /// Every raster image of the bundles and `static/`, by output path: the image stage
    /// publishes them.
    images: BTreeMap<String, crate::images::Job>,
    /// Root-relative path (`/projects/a/photo.jpg`) -> what a body needs to show it.
    body_images: BTreeMap<String, BodyImage>,
    /// Resolved logo per item.
    logos: HashMap<ItemId, Picture>,
    /// Resolved gallery images per item, in the order written.
    galleries: HashMap<ItemId, Vec<Picture>>,
    /// The link preview of each project that has an image of its own.
    previews: HashMap<ItemId, Preview>,
    /// Link previews drawn from SVG files.
    svg_previews: Vec<crate::images::SvgJob>,
    /// Resolved URL of each video file (`video: demo.mp4`).
    video_files: HashMap<ItemId, String>,
}

/// Step 5 of [`assemble`]: the bundle files to copy, the raster images to publish (with
/// their plans), and `logo:` and `gallery:` resolved to a file of the bundle or of
/// `static/` (a missing or escaping file is an error).
fn bundle_files(
    entries: &[Entry],
    sources: &Sources,
    config: &Config,
    errors: &mut Errors,
) -> BundleFiles {
    let mut files = BundleFiles {
        assets: Vec::new(),
        images: BTreeMap::new(),
        body_images: BTreeMap::new(),
        logos: HashMap::new(),
        galleries: HashMap::new(),
        previews: HashMap::new(),
        svg_previews: Vec::new(),
        video_files: HashMap::new(),
    };
    // Output path -> shown size, of every image copied or published (SVG included).
    let mut sizes: HashMap<String, Option<(u32, u32)>> = HashMap::new();
    let mut origins: HashMap<String, (FileData, PathBuf)> = HashMap::new();
    // `static/`: only its raster images are the stage's; the rest is copied by the
    // pipeline as it is.
    let static_paths: BTreeSet<&str> = sources
        .static_files
        .iter()
        .map(|s| s.output.as_str())
        .collect();
    for s in &sources.static_files {
        add_image(
            &mut files,
            &mut sizes,
            &mut origins,
            config,
            errors,
            s.output.clone(),
            &s.data,
            s.origin.clone(),
            (s.size, s.raster),
        );
    }
    let mut assets_of: HashMap<&PathBuf, Vec<&crate::source::BundleAsset>> = HashMap::new();
    for a in &sources.assets {
        assets_of.entry(&a.bundle).or_default().push(a);
    }
    for (id, e) in entries.iter().enumerate() {
        let bundle_assets: Vec<&crate::source::BundleAsset> = e
            .original
            .bundle
            .as_ref()
            .and_then(|b| assets_of.get(b).cloned())
            .unwrap_or_default();
        let dir = item_path(e.kind, &e.slug);
        for a in &bundle_assets {
            let path = format!("{}{}", dir.trim_start_matches('/'), a.name);
            let origin = match &a.data {
                FileData::Disk(p) => crate::source::relative(&config.root, p),
                FileData::Embedded(_) => PathBuf::from(&path),
            };
            add_image(
                &mut files,
                &mut sizes,
                &mut origins,
                config,
                errors,
                path.clone(),
                &a.data,
                origin,
                (a.size, a.raster),
            );
            if a.raster.is_none() {
                files.assets.push((path, a.data.clone()));
            }
        }
        let resolve_file = |field: &str, p: &str, errors: &mut Errors| -> Option<Picture> {
            if p.contains("..") || p.contains('\\') || p.contains("://") {
                let (line, col) = e.original.locate(field, p);
                errors.push(Error::at(&e.original.path, line, col, format!("`{p}` must be a file of the bundle or of static/")).with_help("write `logo.png` for a file next to index.md, or `/images/logo.png` for static/images/logo.png"));
                return None;
            }
            let p = p.trim_start_matches("./");
            let output = if !p.starts_with('/') && bundle_assets.iter().any(|a| a.name == p) {
                Some(format!("{}{p}", dir.trim_start_matches('/')))
            } else {
                let s = p.trim_start_matches('/');
                static_paths.contains(s).then(|| s.to_string())
            };
            if let Some(output) = output {
                return Some(Picture {
                    url: url_of(config, config.default_language(), &format!("/{output}")),
                    size: sizes.get(&output).copied().flatten(),
                    output,
                });
            }
            let (line, col) = e.original.locate(field, p);
            let where_ = if e.original.bundle.is_some() {
                "in the bundle folder or in static/"
            } else {
                "in static/ (or make the item a bundle folder)"
            };
            errors.push(Error::at(
                &e.original.path,
                line,
                col,
                format!("the file `{p}` was not found {where_}"),
            ));
            None
        };
        if let Some(l) = &e.original.meta.logo {
            if let Some(u) = resolve_file("logo", l, errors) {
                files.logos.insert(id, u);
            }
        }
        if let Some(g) = &e.original.meta.gallery {
            let pictures: Vec<Picture> = g
                .iter()
                .filter_map(|img| resolve_file("gallery", &img.src, errors))
                .collect();
            files.galleries.insert(id, pictures);
        }
        if let Some(crate::video::Video::File(p)) = &e.original.meta.video {
            // The same lookup as a logo's, with an error that says what `video:` takes.
            match resolve_file("video", p, &mut Vec::new()) {
                Some(picture) => {
                    files.video_files.insert(id, picture.url);
                }
                None => errors.push(video_not_found(&e.original, p)),
            }
        }
    }
    // A project's link preview: from its logo, else from its first gallery image that
    // can make one (raster and large enough, or SVG).
    let ids: BTreeSet<ItemId> = files
        .logos
        .keys()
        .chain(files.galleries.keys())
        .copied()
        .collect();
    for id in ids {
        let candidates: Vec<(Picture, Option<usize>)> = files
            .logos
            .get(&id)
            .map(|l| (l.clone(), None))
            .into_iter()
            .chain(
                files
                    .galleries
                    .get(&id)
                    .into_iter()
                    .flatten()
                    .cloned()
                    .enumerate()
                    .map(|(i, p)| (p, Some(i))),
            )
            .collect();
        for (picture, from_gallery) in candidates {
            let output = match files.images.get_mut(&picture.output) {
                Some(job) => job
                    .plan
                    .add_social()
                    .then(|| job.plan.social().map(|v| v.output.clone()))
                    .flatten(),
                None => svg_preview(&picture.output, &origins, sources).map(|svg| {
                    let output = svg.output.clone();
                    if !files.svg_previews.iter().any(|s| s.output == output) {
                        files.svg_previews.push(svg);
                    }
                    output
                }),
            };
            if let Some(output) = output {
                files.previews.insert(
                    id,
                    Preview {
                        picture: preview(config, output),
                        from_gallery,
                    },
                );
                break;
            }
        }
    }
    files
}

/// Records the image at `output`: a raster image becomes a job of the image stage, with
/// its plan; any image gets its size for the bodies that show it.
#[allow(clippy::too_many_arguments)] // the step's tables, each filled here
fn add_image(
    files: &mut BundleFiles,
    sizes: &mut HashMap<String, Option<(u32, u32)>>,
    origins: &mut HashMap<String, (FileData, PathBuf)>,
    config: &Config,
    errors: &mut Errors,
    output: String,
    data: &FileData,
    origin: PathBuf,
    (size, raster): (Option<(u32, u32)>, Option<crate::images::Facts>),
) {
    if let Some(other) = files.images.get(&output) {
        // Two images for one path (a bundle's and static/'s): both are named, none wins.
        errors.push(
            Error::new(
                &origin,
                format!("this and {} both produce /{output}", other.origin.display()),
            )
            .with_help("rename one of them"),
        );
        return;
    }
    sizes.insert(output.clone(), size);
    match raster {
        Some(facts) => {
            let plan = crate::images::Plan::new(&output, facts, &config.images);
            files
                .body_images
                .insert(format!("/{output}"), BodyImage::of(&plan));
            files.images.insert(
                output,
                crate::images::Job {
                    plan,
                    source: data.clone(),
                    origin,
                },
            );
        }
        None => {
            if let Some((width, height)) = size {
                files.body_images.insert(
                    format!("/{output}"),
                    BodyImage {
                        width,
                        height,
                        webp: Vec::new(),
                    },
                );
            }
            origins.insert(output, (data.clone(), origin));
        }
    }
}

/// The link preview at `output` (always [`crate::images::social::SIZE`]).
fn preview(config: &Config, output: String) -> Picture {
    let size = crate::images::social::SIZE;
    Picture {
        url: url_of(config, config.default_language(), &format!("/{output}")),
        output,
        size: Some((size.width, size.height)),
    }
}

/// The job drawing the link preview of the SVG file published at `output`, when it is one.
pub(super) fn svg_preview(
    output: &str,
    origins: &HashMap<String, (FileData, PathBuf)>,
    sources: &Sources,
) -> Option<crate::images::SvgJob> {
    if !output.to_ascii_lowercase().ends_with(".svg") {
        return None;
    }
    let (data, origin) = origins.get(output)?;
    // The cleaned copy when the active-content rules removed something from it.
    let cleaned = match data {
        FileData::Disk(p) => sources.inert.get(p).map(|i| Arc::clone(&i.bytes)),
        FileData::Embedded(_) => None,
    };
    Some(crate::images::SvgJob {
        output: format!("{output}.og.jpg"),
        source: data.clone(),
        cleaned,
        origin: origin.clone(),
    })
}

/// The link preview of pages without an image of their own: drawn from the theme's
/// `og-default.svg` (a file of its `static/`, or the site's), when there is one.
fn default_preview(
    sources: &Sources,
    config: &Config,
    svg_previews: &mut Vec<crate::images::SvgJob>,
) -> Option<Picture> {
    let file = sources
        .static_files
        .iter()
        .find(|s| s.output == DEFAULT_PREVIEW_SOURCE)?;
    let origins = HashMap::from([(
        file.output.clone(),
        (file.data.clone(), file.origin.clone()),
    )]);
    let job = svg_preview(&file.output, &origins, sources)?;
    let picture = preview(config, job.output.clone());
    svg_previews.push(job);
    Some(picture)
}

/// The drawing the default link preview is made from (a file of a theme's `static/`).
pub const DEFAULT_PREVIEW_SOURCE: &str = "og-default.svg";

/// The error of a `video:` file that is neither in the item's bundle nor in `static/`.
fn video_not_found(item: &Item, p: &str) -> Error {
    let (line, col) = item.locate("video", p);
    let (where_, help) = match item.bundle {
        Some(_) => (
            "in the bundle folder or in static/",
            "put the file next to index.md and write its name (`video: demo.mp4`), or write the address of its YouTube, Vimeo or RuTube page",
        ),
        None => (
            "in static/",
            "a video file of its own needs a bundle: move this file to NAME/index.md and put the video next to it; or write the address of its YouTube, Vimeo or RuTube page",
        ),
    };
    Error::at(
        &item.path,
        line,
        col,
        format!("the video file `{p}` was not found {where_}"),
    )
    .with_help(help)
}

/// Step 6 of [`assemble`], first half: everything a link in a body can resolve to (pages and
/// files of the output, content files, held-back and failed items, image sizes).
#[allow(clippy::too_many_arguments)] // the step's inputs, each named where it is built
fn link_table(
    entries: &[Entry],
    pages: &[Page],
    sources: &Sources,
    config: &Config,
    failed: &HashSet<(Kind, String)>,
    excluded: &HashMap<(Kind, String), String>,
    held_back: &[HeldBack],
    assets: &[(String, FileData)],
    images: &BTreeMap<String, crate::images::Job>,
    body_images: BTreeMap<String, BodyImage>,
) -> LinkTable {
    let mut known_paths: BTreeSet<String> = pages.iter().map(|p| p.url_path(config)).collect();
    // The search index's manifest is a file of each language too (its shards are not
    // known yet, and nobody links to them).
    known_paths.extend(config.languages.iter().map(|l| {
        format!(
            "{}/{}",
            config.lang_prefix(&l.code),
            pages::SEARCH_INDEX_FILE
        )
    }));
    for s in &sources.static_files {
        known_paths.insert(format!("/{}", s.output));
    }
    for (kind, name) in failed {
        for lang in &config.languages {
            known_paths.insert(format!(
                "{}{}",
                config.lang_prefix(&lang.code),
                item_path(*kind, name)
            ));
        }
    }
    for (p, _) in assets {
        known_paths.insert(format!("/{p}"));
    }
    for job in images.values() {
        known_paths.extend(job.plan.variants.iter().map(|v| format!("/{}", v.output)));
    }
    let by_source: HashMap<String, ItemId> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let rel = e
                .original
                .path
                .strip_prefix("content")
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, i))
        })
        .collect();
    let excluded_paths: HashMap<String, String> = excluded
        .iter()
        .map(|((k, s), why)| (item_path(*k, s), why.clone()))
        .collect();
    let failed_sources: HashSet<String> = sources
        .content
        .iter()
        .chain(&sources.unreadable)
        .filter(|s| failed.contains(&(Kind::of_section(&s.section), s.name.clone())))
        .map(|s| s.path.to_string_lossy().replace('\\', "/"))
        .collect();
    let held_sources: HashMap<String, String> = held_back
        .iter()
        .filter_map(|h| {
            let rel = h
                .path
                .strip_prefix("content")
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, h.reason.as_status()))
        })
        .collect();

    let anchors = Anchors::of(pages, entries, config, &sources.templates);
    let links_fingerprint = fingerprint((
        anchors.fingerprint(),
        &known_paths,
        by_source.keys().collect::<BTreeSet<_>>(),
        held_sources.iter().collect::<BTreeMap<_, _>>(),
        &excluded_paths.iter().collect::<BTreeMap<_, _>>(),
        failed_sources.iter().collect::<BTreeSet<_>>(),
        config.allow_html,
        &config.base_path,
        &body_images,
    ));
    LinkTable {
        by_source,
        known_paths,
        excluded_paths,
        held_sources,
        failed_sources,
        body_images,
        anchors,
        fingerprint: links_fingerprint,
    }
}

/// The relations step 7 finds, as the [`Site`] fields of the same names.
struct Relations {
    cohort_projects: HashMap<ItemId, Vec<ItemId>>,
    cohort_demos: HashMap<ItemId, Vec<ItemId>>,
    project_demos: HashMap<ItemId, Vec<ItemId>>,
    project_news: HashMap<ItemId, Vec<ItemId>>,
    area_projects: BTreeMap<String, Vec<ItemId>>,
}

/// The relations of step 7 ([`sort_lists`]): a cohort's projects and demo days, a project's demo days and
/// news, an area's projects; projects by title, demo days and news newest first.
fn relations(
    entries: &[Entry],
    config: &Config,
    cohort_of: &HashMap<ItemId, ItemId>,
    projects_of: &HashMap<ItemId, Vec<ItemId>>,
) -> Relations {
    let title_order = |ids: &mut Vec<ItemId>| ids.sort_by_cached_key(|a| sort_key(&entries[*a]));
    let newest_first = |ids: &mut Vec<ItemId>| {
        ids.sort_by(|a, b| {
            entries[*b]
                .original
                .meta
                .date
                .cmp(&entries[*a].original.meta.date)
                .then(entries[*a].slug.cmp(&entries[*b].slug))
        })
    };
    let mut cohort_projects: HashMap<ItemId, Vec<ItemId>> = HashMap::new();
    let mut cohort_demos: HashMap<ItemId, Vec<ItemId>> = HashMap::new();
    let mut project_demos: HashMap<ItemId, Vec<ItemId>> = HashMap::new();
    let mut project_news: HashMap<ItemId, Vec<ItemId>> = HashMap::new();
    let mut area_projects: BTreeMap<String, Vec<ItemId>> = config
        .areas
        .keys()
        .map(|k| (k.clone(), Vec::new()))
        .collect();
    for (id, e) in entries.iter().enumerate() {
        match e.kind {
            Kind::Project => {
                if let Some(c) = cohort_of.get(&id) {
                    cohort_projects.entry(*c).or_default().push(id);
                }
                for a in e.original.meta.areas.iter().flatten() {
                    area_projects.entry(a.clone()).or_default().push(id);
                }
            }
            Kind::Demo => {
                if let Some(c) = cohort_of.get(&id) {
                    cohort_demos.entry(*c).or_default().push(id);
                }
                for p in projects_of.get(&id).into_iter().flatten() {
                    project_demos.entry(*p).or_default().push(id);
                }
            }
            Kind::News => {
                for p in projects_of.get(&id).into_iter().flatten() {
                    project_news.entry(*p).or_default().push(id);
                }
            }
            _ => {}
        }
    }
    cohort_projects.values_mut().for_each(title_order);
    area_projects.values_mut().for_each(title_order);
    cohort_demos.values_mut().for_each(newest_first);
    project_demos.values_mut().for_each(newest_first);
    project_news.values_mut().for_each(newest_first);
    Relations {
        cohort_projects,
        cohort_demos,
        project_demos,
        project_news,
        area_projects,
    }
}

/// Step 7 of [`assemble`], and again after a [`super::patch`] changed what lists sort by
/// (a title, a date, a weight): the relations and the list orders of `site`, from its
/// entries and resolved references.
pub(super) fn sort_lists(site: &mut Site) {
    let Relations {
        cohort_projects,
        cohort_demos,
        project_demos,
        project_news,
        area_projects,
    } = relations(
        &site.entries,
        &site.config,
        &site.cohort_of,
        &site.projects_of,
    );
    site.cohort_projects = cohort_projects;
    site.cohort_demos = cohort_demos;
    site.project_demos = project_demos;
    site.project_news = project_news;
    site.area_projects = area_projects;
    site.order = [
        Kind::Project,
        Kind::Cohort,
        Kind::Demo,
        Kind::News,
        Kind::Page,
    ]
    .into_iter()
    .map(|k| (k, list_order(&site.entries, k)))
    .collect();
}

/// The items of `kind` in list order (see [`Site::order`]).
fn list_order(entries: &[Entry], kind: Kind) -> Vec<ItemId> {
    let mut ids: Vec<ItemId> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == kind)
        .map(|(i, _)| i)
        .collect();
    let by = |a: &ItemId, b: &ItemId, f: fn(&Entry) -> Option<jiff::civil::Date>| {
        let (ea, eb) = (&entries[*a], &entries[*b]);
        f(eb).cmp(&f(ea)).then(ea.slug.cmp(&eb.slug))
    };
    match kind {
        Kind::Project | Kind::Page => ids.sort_by_cached_key(|&id| sort_key(&entries[id])),
        Kind::Cohort => ids.sort_by(|a, b| by(a, b, |e| e.original.meta.start)),
        _ => ids.sort_by(|a, b| by(a, b, |e| e.original.meta.date)),
    }
    ids
}
