//! The site graph: items grouped with their translations, checked against each other
//! (references, duplicate URLs, internal links), resolved into one [`Version`] per item and
//! language, with the relations templates need (a cohort's projects, a project's demos, ...).
//!
//! Invariant: a [`Site`] holds only what the build publishes (drafts and embargoed items are
//! left out unless the options include them), every reference in it resolves, and it is
//! read-only after [`assemble`]. No I/O happens here.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::content::{Item, Kind, Links, Member};
use crate::error::{did_you_mean, Error, Errors};
use crate::markdown::{self, Link};
use crate::source::{FileData, Sources};

/// What a build includes besides published items.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Include items with `draft: true` (marked as drafts).
    pub drafts: bool,
    /// Include items whose `publish_after` is in the future (marked as embargoed).
    pub embargoed: bool,
    /// The instant the embargo is compared with.
    pub now: Timestamp,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            drafts: false,
            embargoed: false,
            now: Timestamp::now(),
        }
    }
}

/// Index of an [`Entry`] in [`Site::entries`].
pub type ItemId = usize;

/// One logical item: the original file and its translations.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Kind of item.
    pub kind: Kind,
    /// Slug shared by all languages.
    pub slug: String,
    /// The default-language file.
    pub original: Arc<Item>,
    /// Translations by language code.
    pub translations: BTreeMap<String, Arc<Item>>,
    /// Included although it is a draft (only with drafts on).
    pub draft: bool,
    /// Included although embargoed until this instant (only with embargoed on).
    pub embargoed_until: Option<Timestamp>,
    /// Changes whenever anything a template can see of this item may have changed: its
    /// files, what it references, the site's link table. Set by [`assemble`].
    pub fingerprint: u64,
}

impl Entry {
    /// The files this item is made of (for the dev server's dependency tracking).
    pub fn files(&self) -> Vec<PathBuf> {
        std::iter::once(self.original.path.clone())
            .chain(self.translations.values().map(|t| t.path.clone()))
            .collect()
    }
}

/// An item as shown in one language: the translation's fields over the original's.
#[derive(Debug, Clone)]
pub struct Version {
    /// The entry it shows.
    pub id: ItemId,
    /// Language of the page.
    pub lang: String,
    /// Language the text comes from (differs from `lang` on fallback pages).
    pub source_lang: String,
    /// Text taken from another language because there is no translation.
    pub fallback: bool,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Meta description.
    pub description: Option<String>,
    /// Track (cohorts).
    pub track: Option<String>,
    /// Venue (demos).
    pub venue: Option<String>,
    /// Team (projects).
    pub team: Vec<Member>,
    /// Tags (news).
    pub tags: Vec<String>,
    /// Free map for templates.
    pub extra: serde_json::Value,
    /// The rendered body: HTML, headings, plain text (shared with the preview's cache).
    pub body: Arc<markdown::Rendered>,
    /// Root-relative URL (base path and language prefix included).
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Draft marker (translation or original is a draft).
    pub draft: bool,
}

/// An item left out of this build, and why.
#[derive(Debug, Clone)]
pub struct HeldBack {
    /// The file.
    pub path: PathBuf,
    /// Why it is left out; `Display` gives the text `check` prints (`draft`,
    /// `embargoed until ...`).
    pub reason: HoldBack,
}

/// Why an item is left out of a build. Code branches on the variant; the text is only for
/// people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldBack {
    /// `draft: true` and drafts are not built.
    Draft,
    /// `publish_after` is still ahead and embargoed items are not built.
    Embargoed {
        /// When the embargo ends, in the site's time zone. `None` for a translation: its
        /// message has never named the date, and keeping the text keeps `check`'s output.
        until: Option<jiff::Zoned>,
    },
}

impl HoldBack {
    /// The reason as the end of a sentence ("... points to an item that is {this}"):
    /// `a draft`, `embargoed until ...`.
    pub fn as_status(&self) -> String {
        match self {
            HoldBack::Draft => "a draft".to_string(),
            other => other.to_string(),
        }
    }
}

impl std::fmt::Display for HoldBack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HoldBack::Draft => f.write_str("draft"),
            HoldBack::Embargoed { until: Some(t) } => {
                write!(f, "embargoed until {}", t.strftime("%Y-%m-%d %H:%M %:z"))
            }
            HoldBack::Embargoed { until: None } => f.write_str("embargoed"),
        }
    }
}

/// A non-fatal problem of the site, tagged with what made it: the preview's patch makes the
/// link warnings of the files it touches again and must keep the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Which step made it.
    pub kind: WarningKind,
    /// The message, as printed.
    pub error: Error,
}

/// The step of [`assemble`] a [`Warning`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningKind {
    /// A front-matter reference (`cohort:`, `projects:`) names a held-back item.
    Reference,
    /// A link in a body points to a held-back item (made while rendering the body).
    Link,
}

/// The validated site.
#[derive(Debug)]
pub struct Site {
    /// Settings.
    pub config: Config,
    /// Included items (home intro included, kind [`Kind::Home`]).
    pub entries: Vec<Entry>,
    /// `versions[lang_index][item_id]`, languages in `config.languages` order.
    pub versions: Vec<Vec<Version>>,
    /// Resolved logo URL per item (root-relative).
    pub logos: HashMap<ItemId, String>,
    /// Resolved gallery URLs per item.
    pub galleries: HashMap<ItemId, Vec<String>>,
    /// Projects of each cohort (by title).
    pub cohort_projects: HashMap<ItemId, Vec<ItemId>>,
    /// Demo days of each cohort (newest first).
    pub cohort_demos: HashMap<ItemId, Vec<ItemId>>,
    /// Demo days each project was shown at (newest first).
    pub project_demos: HashMap<ItemId, Vec<ItemId>>,
    /// News mentioning each project (newest first).
    pub project_news: HashMap<ItemId, Vec<ItemId>>,
    /// Projects of each area key (by title).
    pub area_projects: BTreeMap<String, Vec<ItemId>>,
    /// Resolved `cohort:` of projects and demos.
    pub cohort_of: HashMap<ItemId, ItemId>,
    /// Resolved `projects:` of demos and news (published ones, in the order written).
    pub projects_of: HashMap<ItemId, Vec<ItemId>>,
    /// Bundle files to copy: output path and data.
    pub assets: Vec<(String, FileData)>,
    /// Non-fatal problems (references and links to held-back items).
    pub warnings: Vec<Warning>,
    /// Items left out.
    pub held_back: Vec<HeldBack>,
    /// Items of each kind in list order: projects and pages by weight then title, cohorts
    /// newest start first, demos and news newest first.
    pub order: HashMap<Kind, Vec<ItemId>>,
    /// What links resolve to (for [`patch`]).
    pub(crate) links: LinkTable,
    /// Internal values of every item (held-back ones included) for the leak guard.
    pub secrets: Vec<crate::guard::Secret>,
}

impl Site {
    /// Item ids of `kind`, in file order.
    pub fn ids_of(&self, kind: Kind) -> impl Iterator<Item = ItemId> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.kind == kind)
            .map(|(i, _)| i)
    }

    /// The version of `id` in the language at `lang_index`.
    pub fn version(&self, lang_index: usize, id: ItemId) -> &Version {
        &self.versions[lang_index][id]
    }

    /// The absolute URL search engines should index for `id` shown in the language at
    /// `lang_index`: its own permalink, or the page of the language its text is borrowed
    /// from when it has no translation (issue 7).
    pub fn canonical(&self, lang_index: usize, id: ItemId) -> &str {
        let v = self.version(lang_index, id);
        if !v.fallback {
            return &v.permalink;
        }
        match self
            .config
            .languages
            .iter()
            .position(|x| x.code == v.source_lang)
        {
            Some(source) => &self.versions[source][id].permalink,
            None => &v.permalink,
        }
    }

    /// Root-relative URL of `path` (starting with `/`) in `lang`.
    pub fn url(&self, lang: &str, path: &str) -> String {
        url_of(&self.config, lang, path)
    }

    /// Absolute URL of `path` in `lang`.
    pub fn permalink(&self, lang: &str, path: &str) -> String {
        permalink_of(&self.config, lang, path)
    }
}

fn url_of(config: &Config, lang: &str, path: &str) -> String {
    format!("{}{}{}", config.base_path, config.lang_prefix(lang), path)
}

fn permalink_of(config: &Config, lang: &str, path: &str) -> String {
    format!("{}{}{}", config.base_url, config.lang_prefix(lang), path)
}

/// The path of an item in the default language, without base path (`/projects/a/`).
pub fn item_path(kind: Kind, slug: &str) -> String {
    match kind {
        Kind::Home => "/".into(),
        Kind::Page => format!("/{slug}/"),
        k => format!("/{}/{slug}/", k.section()),
    }
}

/// Paths the generator itself uses; a free page may not take them.
pub const RESERVED_PATHS: &[&str] = &[
    "projects",
    "cohorts",
    "demos",
    "news",
    "areas",
    "stages",
    "search",
    "404.html",
    "sitemap.xml",
    "robots.txt",
    "search-index.json",
];

/// Parses every content file and assembles the site. Reports all errors of all files.
pub fn load(sources: &Sources, config: &Config, options: &BuildOptions) -> Result<Site, Errors> {
    load_cached(sources, config, options, &mut ParseCache::default())
}

/// What the last load parsed and rendered, by file: the preview's next load redoes only the
/// files that changed (and every Markdown body when the set of pages changed).
///
/// Invariant: used only with sources from one `source::TextCache`, whose serials say
/// whether a text changed.
#[derive(Default)]
pub struct ParseCache {
    /// File -> (fingerprint of its text and the settings, parse result).
    items: HashMap<PathBuf, (u64, Result<Arc<Item>, Errors>)>,
    /// (file, language index) -> (fingerprint of what the body's HTML depends on, result).
    markdown: HashMap<(PathBuf, usize), MarkdownResult>,
}

type MarkdownResult = (u64, Arc<markdown::Rendered>, Vec<markdown::LinkIssue>);

/// A hash of `parts`, to tell cheaply whether something changed between two runs.
pub(crate) fn fingerprint(parts: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// Parses one file, or takes it from `cache` when its text (serial) and the settings are
/// the same as when it was parsed.
fn parse_one(
    s: &crate::source::SourceFile,
    config: &Config,
    settings: u64,
    cache: &ParseCache,
) -> (u64, Result<Arc<Item>, Errors>) {
    // The serial stands for the text: equal serials, equal texts (see `TextCache`).
    let key = fingerprint((
        settings,
        s.serial,
        &s.section,
        &s.name,
        &s.lang,
        &s.bundle,
        s.format == crate::source::Format::Yaml,
    ));
    if let Some((k, r)) = cache.items.get(&s.path) {
        if *k == key {
            return (key, r.clone());
        }
    }
    let r = std::panic::catch_unwind(|| crate::content::parse(s, config)).unwrap_or_else(|_| {
        Err(vec![Error::new(&s.path, "the parser crashed on this file")
            .with_help("simplify the file's front matter; please report this file to the showcase developers")])
    });
    (key, r.map(Arc::new))
}

/// Parses the files at `paths` (from `sources`) for [`patch`], updating `cache`.
pub fn parse_changed(
    sources: &Sources,
    paths: &[PathBuf],
    config: &Config,
    cache: &mut ParseCache,
) -> Result<Vec<Arc<Item>>, Errors> {
    let settings = fingerprint(format!("{config:?}"));
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let Some(s) = sources.content.iter().find(|s| &s.path == p) else {
            continue;
        };
        let (key, r) = parse_one(s, config, settings, cache);
        cache.items.insert(s.path.clone(), (key, r.clone()));
        match r {
            Ok(i) => items.push(i),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// Like [`load`], reusing `cache` for files whose text did not change.
pub fn load_cached(
    sources: &Sources,
    config: &Config,
    options: &BuildOptions,
    cache: &mut ParseCache,
) -> Result<Site, Errors> {
    let settings = fingerprint(format!("{config:?}"));
    let parsed: Vec<(u64, Result<Arc<Item>, Errors>)> = sources
        .content
        .par_iter()
        .map(|s| parse_one(s, config, settings, cache))
        .collect();
    cache.items = sources
        .content
        .iter()
        .zip(&parsed)
        .map(|(s, (k, r))| (s.path.clone(), (*k, r.clone())))
        .collect();
    let parsed: Vec<Result<Arc<Item>, Errors>> = parsed.into_iter().map(|(_, r)| r).collect();
    let mut errors = Vec::new();
    let mut items = Vec::new();
    // Items whose file failed to parse: references to them are not reported again.
    let mut failed = HashSet::new();
    for (r, s) in parsed.into_iter().zip(&sources.content) {
        match r {
            Ok(i) => items.push(i),
            Err(e) => {
                errors.extend(e);
                if s.lang.is_none() {
                    failed.insert((Kind::of_section(&s.section), s.name.clone()));
                }
            }
        }
    }
    for s in &sources.unreadable {
        if s.lang.is_none() {
            failed.insert((Kind::of_section(&s.section), s.name.clone()));
        }
    }
    // Two files for one item: found on the file names, so it is reported even when one of
    // them does not parse.
    let mut seen: HashMap<(&str, &str, Option<&str>), &PathBuf> = HashMap::new();
    for s in &sources.content {
        if let Some(other) = seen.insert(
            (s.section.as_str(), s.name.as_str(), s.lang.as_deref()),
            &s.path,
        ) {
            errors.push(
                Error::new(
                    &s.path,
                    format!(
                        "two files define the same {}: {} and {}",
                        Kind::of_section(&s.section).name(),
                        other.display(),
                        s.path.display()
                    ),
                )
                .with_help(
                    "keep one of them: an item is NAME.md, NAME/index.md or NAME.yaml, not several",
                ),
            );
        }
    }
    // Every internal value, drafts' and embargoed items' included, for the leak guard.
    let secrets: Vec<crate::guard::Secret> = items
        .iter()
        .flat_map(|i| crate::guard::secrets_of(i))
        .collect();
    match assemble_cached(
        items,
        sources,
        config,
        options,
        &failed,
        &mut cache.markdown,
    ) {
        Ok(mut site) if errors.is_empty() => {
            site.secrets = secrets;
            Ok(site)
        }
        Ok(_) => Err(errors),
        Err(e) => {
            errors.extend(e);
            Err(errors)
        }
    }
}

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

fn assemble_cached(
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
        check_translation(original, &t, &mut errors);
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

    // 2. Leave out drafts and embargoed items.
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

    // 3. One URL, one item.
    let mut by_url: HashMap<String, PathBuf> = HashMap::new();
    let mut claim = |url: String, path: &PathBuf, errors: &mut Errors, what: &str| {
        let key: String = if url.is_ascii() {
            url.to_ascii_lowercase()
        } else {
            url.nfc().collect::<String>().to_lowercase()
        };
        if let Some(other) = by_url.get(&key) {
            errors.push(Error::new(path, format!("{what} {url} is also claimed by {}", other.display()))
                .with_help("give one of them another `slug:` (URLs are compared ignoring case and Unicode normal form)"));
        } else {
            by_url.insert(key, path.clone());
        }
    };
    for e in &entries {
        if e.kind == Kind::Home {
            continue;
        }
        if e.kind == Kind::Page
            && (RESERVED_PATHS.contains(&e.slug.as_str()) || config.has_language(&e.slug))
        {
            errors.push(
                Error::new(
                    &e.original.path,
                    format!("the page slug `{}` is used by the site itself", e.slug),
                )
                .with_help(
                    "choose another slug; reserved: ".to_string() + &RESERVED_PATHS.join(", "),
                ),
            );
        }
        claim(
            item_path(e.kind, &e.slug),
            &e.original.path,
            &mut errors,
            "the URL",
        );
    }
    for e in &entries {
        for a in e.original.meta.aliases.iter().flatten() {
            let a = if a.ends_with('/') || a.rsplit('/').next().is_some_and(|l| l.contains('.')) {
                a.clone()
            } else {
                format!("{a}/")
            };
            claim(a, &e.original.path, &mut errors, "the alias");
        }
    }

    // 4. References.
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
    let mut cohort_of = HashMap::new();
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
        e = match did_you_mean(slug, all.iter().copied()) {
            Some(s) => e.with_help(format!("did you mean `{s}`?")),
            None => e.with_help(format!(
                "use the slug of a file in content/{}/",
                kind.section()
            )),
        };
        errors.push(e);
        None
    };
    for (id, entry) in entries.iter().enumerate() {
        let kind = entry.kind;
        let meta = &entry.original.meta;
        if let Some(c) = &meta.cohort {
            if let Some(t) = reference(id, "cohort", Kind::Cohort, c, &mut errors, &mut warnings) {
                cohort_of.insert(id, t);
            }
        }
        if let Some(ps) = &meta.projects {
            let resolved: Vec<ItemId> = ps
                .iter()
                .filter_map(|p| {
                    reference(id, "projects", Kind::Project, p, &mut errors, &mut warnings)
                })
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

    // 5. Logos, galleries and bundle files.
    let static_paths: BTreeSet<&str> = sources
        .static_files
        .iter()
        .map(|s| s.output.as_str())
        .collect();
    let mut assets = Vec::new();
    // Output path (`/projects/a/photo.jpg`) -> width and height, for images in bodies.
    let mut image_sizes: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut logos = HashMap::new();
    let mut galleries = HashMap::new();
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
            if let Some(size) = a.size {
                image_sizes.insert(format!("/{path}"), size);
            }
            assets.push((path, a.data.clone()));
        }
        let resolve_file = |field: &str, p: &str, errors: &mut Errors| -> Option<String> {
            if p.contains("..") || p.contains('\\') || p.contains("://") {
                let (line, col) = e.original.locate(field, p);
                errors.push(Error::at(&e.original.path, line, col, format!("`{p}` must be a file of the bundle or of static/")).with_help("write `logo.png` for a file next to index.md, or `/images/logo.png` for static/images/logo.png"));
                return None;
            }
            let p = p.trim_start_matches("./");
            if !p.starts_with('/') && bundle_assets.iter().any(|a| a.name == p) {
                return Some(url_of(
                    config,
                    config.default_language(),
                    &format!("{dir}{p}"),
                ));
            }
            let s = p.trim_start_matches('/');
            if static_paths.contains(s) {
                return Some(url_of(config, config.default_language(), &format!("/{s}")));
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
            if let Some(u) = resolve_file("logo", l, &mut errors) {
                logos.insert(id, u);
            }
        }
        if let Some(g) = &e.original.meta.gallery {
            let urls: Vec<String> = g
                .iter()
                .filter_map(|p| resolve_file("gallery", p, &mut errors))
                .collect();
            galleries.insert(id, urls);
        }
    }

    // 6. Render every body in every language, checking internal links.
    let mut known_paths: BTreeSet<String> = BTreeSet::new();
    for (i, lang) in config.languages.iter().enumerate() {
        let _ = i;
        for p in [
            "/",
            "/projects/",
            "/cohorts/",
            "/demos/",
            "/news/",
            "/areas/",
        ] {
            known_paths.insert(format!("{}{p}", config.lang_prefix(&lang.code)));
        }
        for e in &entries {
            known_paths.insert(format!(
                "{}{}",
                config.lang_prefix(&lang.code),
                item_path(e.kind, &e.slug)
            ));
        }
        for key in config.areas.keys() {
            known_paths.insert(format!("{}/areas/{key}/", config.lang_prefix(&lang.code)));
        }
        known_paths.insert(format!("{}/news/atom.xml", config.lang_prefix(&lang.code)));
    }
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
    for (p, _) in &assets {
        known_paths.insert(format!("/{p}"));
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

    let jobs: Vec<(usize, ItemId)> = (0..config.languages.len())
        .flat_map(|l| (0..entries.len()).map(move |i| (l, i)))
        .collect();
    let links_fingerprint = fingerprint((
        &known_paths,
        by_source.keys().collect::<BTreeSet<_>>(),
        held_sources.iter().collect::<BTreeMap<_, _>>(),
        &excluded_paths.iter().collect::<BTreeMap<_, _>>(),
        failed_sources.iter().collect::<BTreeSet<_>>(),
        config.allow_html,
        &config.base_path,
        &image_sizes,
    ));
    let links = LinkTable {
        by_source,
        known_paths,
        excluded_paths,
        held_sources,
        failed_sources,
        image_sizes,
        fingerprint: links_fingerprint,
    };
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

    *markdown_cache = next_cache;

    // 7. Relations.
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

    if !errors.is_empty() {
        return Err(errors);
    }
    let mut site = Site {
        config: config.clone(),
        entries,
        versions,
        logos,
        galleries,
        cohort_projects,
        cohort_demos,
        project_demos,
        project_news,
        area_projects,
        cohort_of,
        projects_of,
        assets,
        warnings,
        held_back,
        order: HashMap::new(),
        links,
        secrets: Vec::new(),
    };
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

/// The facts of an item that other pages, relations or URLs depend on. An edit that keeps
/// them can be patched into the site; any other edit needs a full [`assemble`].
fn structure(i: &Item) -> impl PartialEq + '_ {
    let m = &i.meta;
    (
        (&i.slug, i.kind, &i.name, &i.lang, &i.bundle),
        (
            m.draft,
            m.publish_after,
            &m.cohort,
            &m.areas,
            &m.projects,
            &m.aliases,
            &m.logo,
            &m.gallery,
        ),
        (m.date, m.start, m.end, m.weight, &m.title),
    )
}

/// Fast path of the preview: puts re-parsed `items` (edits of files the site already has)
/// into `site` when no structural fact changed, rendering only their bodies again.
/// `None`: the edit is structural (or the item unknown), assemble the whole site instead.
/// `Some(Err)`: the edit has errors; the site is left as it was.
pub fn patch(
    site: &mut Site,
    items: Vec<Arc<Item>>,
    sources: &Sources,
    cache: &mut ParseCache,
) -> Option<Result<(), Errors>> {
    let mut places = Vec::new();
    for item in &items {
        let id = site
            .entries
            .iter()
            .position(|e| e.kind == item.kind && e.original.name == item.name)?;
        let e = &site.entries[id];
        let old = match &item.lang {
            None => &e.original,
            Some(l) => e.translations.get(l)?,
        };
        if structure(old) != structure(item) || old.path != item.path {
            return None;
        }
        places.push(id);
    }
    // Check on a copy of the touched entries, then commit.
    let mut errors = Vec::new();
    let mut new_entries: HashMap<ItemId, Entry> = HashMap::new();
    for (item, &id) in items.iter().zip(&places) {
        let e = new_entries
            .entry(id)
            .or_insert_with(|| site.entries[id].clone());
        match &item.lang {
            None => e.original = Arc::clone(item),
            Some(l) => {
                e.translations.insert(l.clone(), Arc::clone(item));
            }
        }
    }
    // Translations are checked against their original once every edit is in place (an
    // original edited alone, or together with its translation, in any order).
    for e in new_entries.values() {
        for t in e.translations.values() {
            check_translation(&e.original, t, &mut errors);
        }
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    let mut entries_view: Vec<Entry> = Vec::new();
    let entries: &[Entry] = if new_entries.is_empty() {
        &site.entries
    } else {
        entries_view.extend(
            site.entries
                .iter()
                .enumerate()
                .map(|(i, e)| new_entries.get(&i).cloned().unwrap_or_else(|| e.clone())),
        );
        &entries_view
    };
    let ctx = LinkContext {
        config: &site.config,
        entries,
        links: &site.links,
        markdown_cache: &cache.markdown,
        sources,
    };
    let mut ids: Vec<ItemId> = new_entries.keys().copied().collect();
    ids.sort_unstable();
    let mut versions = Vec::new();
    let mut warnings = Vec::new();
    let mut cached = Vec::new();
    for &id in &ids {
        for l in 0..site.config.languages.len() {
            let (v, errs, warns, c) = ctx.version(l, id);
            errors.extend(errs);
            warnings.extend(warns);
            versions.push((l, id, v));
            cached.push(c);
        }
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    drop(entries_view);
    // Commit: entries, versions, warnings of the touched files, cache, fingerprints, secrets.
    let edited: HashSet<&PathBuf> = items.iter().map(|i| &i.path).collect();
    site.secrets.retain(|s| !edited.contains(&s.path));
    site.secrets
        .extend(items.iter().flat_map(|i| crate::guard::secrets_of(i)));
    let files: HashSet<PathBuf> = ids
        .iter()
        .flat_map(|&id| new_entries[&id].files())
        .collect();
    // Only the link warnings of these files are made again here; reference warnings stay.
    site.warnings
        .retain(|w| !(w.kind == WarningKind::Link && files.contains(&w.error.path)));
    site.warnings
        .extend(warnings.into_iter().map(|error| Warning {
            kind: WarningKind::Link,
            error,
        }));
    for (id, e) in new_entries {
        site.entries[id] = e;
    }
    for (l, id, v) in versions {
        site.versions[l][id] = v;
    }
    for (k, m) in cached {
        cache.markdown.insert(k, m);
    }
    let slugs: Vec<&str> = site.entries.iter().map(|e| e.slug.as_str()).collect();
    let prints: Vec<(ItemId, u64)> = ids
        .iter()
        .map(|&id| (id, entry_fingerprint(site, id, &slugs)))
        .collect();
    for (id, fp) in prints {
        site.entries[id].fingerprint = fp;
    }
    Some(Ok(()))
}

/// The fingerprint of entry `id` (see [`Entry::fingerprint`]).
fn entry_fingerprint(site: &Site, id: ItemId, slugs: &[&str]) -> u64 {
    let e = &site.entries[id];
    let refs: Vec<&str> = site
        .cohort_of
        .get(&id)
        .into_iter()
        .chain(site.projects_of.get(&id).into_iter().flatten())
        .map(|&r| slugs[r])
        .collect();
    fingerprint((
        fingerprint((
            site.links.fingerprint,
            e.original.serial,
            e.translations
                .iter()
                .map(|(l, t)| (l, t.serial))
                .collect::<Vec<_>>(),
            e.draft,
            e.embargoed_until.map(|t| t.as_second()),
            &e.slug,
            site.cohort_of.get(&id).copied(),
            site.projects_of.get(&id),
            site.logos.get(&id),
            site.galleries.get(&id),
        )),
        refs,
    ))
}

/// The items of `kind` in list order (see [`Site::order`]). A patch keeps it valid: the
/// facts it sorts by are structural.
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

/// Sort key of lists "by title": weight first (items without one last), then title.
pub fn sort_key(e: &Entry) -> (i64, String, String) {
    let title = e
        .original
        .meta
        .title
        .clone()
        .unwrap_or_default()
        .to_lowercase();
    (
        e.original.meta.weight.unwrap_or(i64::MAX),
        title,
        e.slug.clone(),
    )
}

/// Non-text fields a translation may repeat but not change.
fn check_translation(original: &Item, t: &Item, errors: &mut Errors) {
    let (o, m) = (&original.meta, &t.meta);
    let mut differs = |field: &str, same: bool| {
        if !same {
            // Name both files, the original with the line of its value when it has one.
            let there = match original.keys.line(field) {
                Some(_) => format!("{}:{}", original.path.display(), original.line_of(field)),
                None => original.path.display().to_string(),
            };
            errors.push(t.error_at(field, format!("`{field}` differs from the original {there}"))
                .with_help(format!("a translation inherits `{field}`; remove it here, or make both files say the same")));
        }
    };
    if t.keys.line("slug").is_some() {
        differs("slug", t.slug == original.slug);
    }
    macro_rules! same {
        ($($f:ident),*) => { $( if m.$f.is_some() { differs(stringify!($f), m.$f == o.$f); } )* };
    }
    same!(cohort, areas, stage, trl, projects, start, end, logo, gallery);
    if m.date.is_some() && t.keys.line("date").is_some() {
        differs("date", m.date == o.date);
    }
    if m.links.is_some() {
        differs("links", m.links == o.links);
    }
    if m.video.is_some() {
        differs("video", m.video == o.video);
    }
}

/// Everything a link in a body can resolve to, kept with the site so that one item can be
/// rendered again without assembling the whole site.
#[derive(Debug, Default)]
pub struct LinkTable {
    /// Content path (`projects/a.md`) -> item.
    by_source: HashMap<String, ItemId>,
    /// Every page and file path of the output, per language prefix.
    known_paths: BTreeSet<String>,
    /// Paths of held-back items -> why.
    excluded_paths: HashMap<String, String>,
    /// Content paths of held-back files -> why.
    held_sources: HashMap<String, String>,
    /// Paths (from the root) of content files that failed to read or parse.
    failed_sources: HashSet<String>,
    /// Output path of a bundle image -> its width and height.
    image_sizes: BTreeMap<String, (u32, u32)>,
    /// Hash of all of the above and the settings links depend on.
    fingerprint: u64,
}

struct LinkContext<'a> {
    config: &'a Config,
    entries: &'a [Entry],
    links: &'a LinkTable,
    /// Bodies rendered by the last load.
    markdown_cache: &'a HashMap<(PathBuf, usize), MarkdownResult>,
    sources: &'a Sources,
}

impl LinkContext<'_> {
    /// The entry `id` as shown in language `l`, with its body rendered.
    fn version(
        &self,
        l: usize,
        id: ItemId,
    ) -> (Version, Errors, Errors, ((PathBuf, usize), MarkdownResult)) {
        let config = self.config;
        let lang = &config.languages[l].code;
        let e = &self.entries[id];
        let chain = config.fallback_chain(lang);
        let (source_lang, item) = chain
            .iter()
            .find_map(|c| {
                if c == config.default_language() {
                    Some((c.clone(), &e.original))
                } else {
                    e.translations.get(c).map(|t| (c.clone(), t))
                }
            })
            .unwrap_or((config.default_language().to_string(), &e.original));
        let o = &e.original.meta;
        let m = &item.meta;
        let path = item_path(e.kind, &e.slug);
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let bundle_dir = e
            .original
            .bundle
            .as_ref()
            .map(|_| url_of(config, config.default_language(), &path));
        let resolve = |dest: &str| self.resolve(dest, lang, bundle_dir.as_deref(), e);
        // The HTML depends on the body (its file's serial stands for it), where it is shown
        // and the site's link table.
        let key = fingerprint((
            self.links.fingerprint,
            item.serial,
            &item.path,
            l,
            &e.slug,
            e.kind,
            &e.original.bundle,
        ));
        let cache_key = (item.path.clone(), l);
        let (rendered, issues) = match self
            .markdown_cache
            .get(&cache_key)
            .filter(|(k, _, _)| *k == key)
        {
            Some((_, r, i)) => (Arc::clone(r), i.clone()),
            None => match std::panic::catch_unwind(|| {
                markdown::render(&item.body, config.allow_html, &resolve)
            }) {
                Ok((r, i)) => (Arc::new(r), i),
                Err(_) => {
                    errors.push(
                        Error::new(&item.path, "the Markdown renderer crashed on this body")
                            .with_help(
                            "simplify the body; please report this file to the showcase developers",
                        ),
                    );
                    Default::default()
                }
            },
        };
        let cached = (cache_key, (key, Arc::clone(&rendered), issues.clone()));
        for issue in issues {
            let before = &item.body[..issue.offset.min(item.body.len())];
            let line = item.body_line + before.matches('\n').count();
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            let mut err = Error::at(&item.path, line, Some(col), issue.message);
            if let Some(h) = issue.help {
                err = err.with_help(h);
            }
            if issue.warning {
                warnings.push(err);
            } else {
                errors.push(err);
            }
        }
        let pick = |t: &Option<String>, o: &Option<String>| t.clone().or_else(|| o.clone());
        let version = Version {
            id,
            lang: lang.clone(),
            fallback: &source_lang != lang,
            source_lang,
            title: pick(&m.title, &o.title).unwrap_or_default(),
            summary: pick(&m.summary, &o.summary),
            description: pick(&m.description, &o.description),
            track: pick(&m.track, &o.track),
            venue: pick(&m.venue, &o.venue),
            team: m
                .team
                .clone()
                .or_else(|| o.team.clone())
                .unwrap_or_default(),
            tags: m
                .tags
                .clone()
                .or_else(|| o.tags.clone())
                .unwrap_or_default(),
            extra: m
                .extra
                .as_ref()
                .or(o.extra.as_ref())
                .map(crate::yaml::to_json)
                .unwrap_or(serde_json::Value::Object(Default::default())),
            body: rendered,
            url: url_of(config, lang, &path),
            permalink: permalink_of(config, lang, &path),
            draft: e.draft || item.meta.draft.unwrap_or(false),
        };
        (version, errors, warnings, cached)
    }

    /// Checks and rewrites one link destination of a body shown in `lang`.
    fn resolve(&self, dest: &str, lang: &str, bundle_url: Option<&str>, from: &Entry) -> Link {
        let config = self.config;
        let (path_part, fragment) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        if let Some(target) = dest.strip_prefix("@/") {
            let target = target.split(['#', '?']).next().unwrap_or("");
            // `@/projects/a.ru.md` names the Russian file: link the item in that language.
            let (target, link_lang) = match translation_target(target, config) {
                Some((original, l)) => (original, l),
                None => (target.to_string(), lang.to_string()),
            };
            // `@/projects/a.md` also finds the bundle `a/index.md` and the YAML item `a.yaml`.
            let forms = [
                target.clone(),
                target.replace(".md", "/index.md"),
                target.replace(".md", ".yaml"),
            ];
            let found = forms.iter().find_map(|f| self.links.by_source.get(f));
            return match found {
                Some(&id) => {
                    let e = &self.entries[id];
                    Link::Rewrite(format!(
                        "{}{fragment}",
                        url_of(config, &link_lang, &item_path(e.kind, &e.slug))
                    ))
                }
                None => {
                    let fallback_url = held_fallback(config, lang, &target);
                    if let Some(why) = forms.iter().find_map(|f| self.links.held_sources.get(f)) {
                        return Link::Held(
                            fallback_url,
                            format!("the link `{dest}` points to an item that is {why}; in this build it links to the list it would be in"),
                        );
                    }
                    if forms
                        .iter()
                        .any(|f| self.links.failed_sources.contains(&format!("content/{f}")))
                    {
                        // The file exists but does not parse: its own error says enough.
                        return Link::Rewrite(fallback_url);
                    }
                    let suggestion =
                        did_you_mean(&target, self.links.by_source.keys().map(String::as_str));
                    Link::Broken(
                        format!("the internal link `{dest}` points to no content file"),
                        Some(match suggestion {
                            Some(s) => format!("did you mean `@/{s}`?"),
                            None => "write `@/` followed by the path inside content/, e.g. `@/projects/skyeye.md`".into(),
                        }),
                    )
                }
            };
        }
        if path_part.starts_with('/') && !path_part.starts_with("//") {
            let p = path_part;
            if self.links.known_paths.contains(p) {
                return if config.base_path.is_empty() {
                    Link::Keep
                } else {
                    Link::Rewrite(format!("{}{dest}", config.base_path))
                };
            }
            if let Some(why) = self.links.excluded_paths.get(p) {
                let section = p.trim_start_matches('/').split('/').next().unwrap_or("");
                let list = if ["projects", "cohorts", "demos", "news"].contains(&section) {
                    format!("/{section}/")
                } else {
                    "/".to_string()
                };
                return Link::Held(
                    url_of(config, lang, &list),
                    format!("the link `{dest}` points to an item that is {why}; it links to its section in this build"),
                );
            }
            let with_slash = format!("{p}/");
            let help = if self.links.known_paths.contains(&with_slash) {
                format!("did you mean `{with_slash}`? Page URLs end with a slash")
            } else {
                match did_you_mean(p, self.links.known_paths.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "link to a page of the site such as /projects/skyeye/, or to a file in static/".into(),
                }
            };
            return Link::Broken(
                format!("the internal link `{dest}` points to no page or file of the site"),
                Some(help),
            );
        }
        let is_relative = !dest.is_empty()
            && !dest.starts_with('#')
            && !dest.starts_with("//")
            && !dest.contains(':');
        if is_relative {
            if let Some(base) = bundle_url {
                // `./photo.jpg` and `my%20photo.jpg` name the files `photo.jpg`, `my photo.jpg`.
                let name = crate::url::percent_decode(path_part.trim_start_matches("./"))
                    .unwrap_or_default();
                let path_part = name.as_str();
                let dest = dest.trim_start_matches("./");
                let own = format!(
                    "/{}{path_part}",
                    item_path(from.kind, &from.slug).trim_start_matches('/')
                );
                if let Some(&(w, h)) = self.links.image_sizes.get(&own) {
                    return Link::Sized(format!("{base}{dest}"), w, h);
                }
                let exists = from.original.bundle.as_ref().is_some_and(|b| {
                    self.links.known_paths.contains(&own)
                        || self
                            .sources
                            .assets
                            .iter()
                            .any(|a| &a.bundle == b && a.name == path_part)
                });
                if exists {
                    return Link::Rewrite(format!("{base}{dest}"));
                }
                return Link::Broken(
                    format!("`{dest}` is not a file of this bundle"),
                    Some(
                        "put the file next to index.md, or link to a page with /section/slug/"
                            .into(),
                    ),
                );
            }
        }
        let _ = lang;
        Link::Keep
    }
}

/// `projects/a.ru.md` -> (`projects/a.md`, `ru`) when `ru` is a language of the site.
fn translation_target(target: &str, config: &Config) -> Option<(String, String)> {
    let (stem, ext) = target.rsplit_once('.')?;
    let (name, code) = stem.rsplit_once('.')?;
    config
        .has_language(code)
        .then(|| (format!("{name}.{ext}"), code.to_string()))
}

/// Where a link to a held-back or broken item points instead: its section's list, or the
/// home page for free pages.
fn held_fallback(config: &Config, lang: &str, target: &str) -> String {
    let section = target.split('/').next().unwrap_or("");
    if ["projects", "cohorts", "demos", "news"].contains(&section) {
        url_of(config, lang, &format!("/{section}/"))
    } else {
        url_of(config, lang, "/")
    }
}

/// One line about what the site holds, for the command line.
pub fn summary_line(site: &Site) -> String {
    let count = |k: Kind| site.ids_of(k).count();
    format!(
        "{} projects, {} cohorts, {} demo days, {} news, {} pages in {} languages",
        count(Kind::Project),
        count(Kind::Cohort),
        count(Kind::Demo),
        count(Kind::News),
        count(Kind::Page),
        site.config.languages.len()
    )
}

/// A project's links, for templates.
pub fn links_json(l: &Links) -> serde_json::Value {
    serde_json::to_value(l).unwrap_or_default()
}
