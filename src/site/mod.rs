//! The site graph: items grouped with their translations, checked against each other
//! (references, duplicate URLs, internal links), resolved into one [`Version`] per item and
//! language, with the relations templates need (a cohort's projects, a project's demos, ...).
//!
//! Invariant: a [`Site`] holds only what the build publishes (drafts and embargoed items are
//! left out unless the options include them), every reference in it resolves, and it is
//! read-only after [`assemble`]. No I/O happens here.
//!
//! This file holds the model ([`Site`], [`Entry`], [`Version`]) and the parse step; the
//! `assemble` module builds a site from parsed items, [`pages`] lists its pages, `patch` puts edited items into the
//! preview's last site, and `links` resolves a body's links and renders it into a
//! [`Version`].

mod assemble;
mod links;
pub mod pages;
mod patch;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Item, Kind, Links, Member};
use crate::error::{Error, Errors};
use crate::markdown;
use crate::source::{FileData, Sources};

use assemble::assemble_cached;
use links::LinkTable;

pub use assemble::assemble;
pub use pages::{Features, Page, PageKind};
pub use patch::patch;

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
    /// Gallery alt texts and captions (projects), in this language when translated.
    pub gallery: Vec<crate::content::GalleryImage>,
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
    /// The fields shown with text in another language than `lang`, with that language:
    /// inherited from the original by a translation that does not set them, or borrowed
    /// whole on a fallback page. In [`TextField`] order; fields without text are left out.
    pub inherited: Vec<(TextField, String)>,
}

impl Version {
    /// The language field `f` is shown in when it is not the version's own (`inherited`).
    pub fn lang_of(&self, f: TextField) -> Option<&str> {
        self.inherited
            .iter()
            .find(|(x, _)| *x == f)
            .map(|(_, l)| l.as_str())
    }
}

/// A field of an item that holds text in a language: what a translation translates, and
/// inherits from the original when it does not set it (issue 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextField {
    /// `title`.
    Title,
    /// `summary`.
    Summary,
    /// `description` (meta and link previews).
    Description,
    /// The Markdown body.
    Body,
    /// A cohort's `track`.
    Track,
    /// A demo day's `venue`.
    Venue,
    /// A project's `team` (names and roles).
    Team,
    /// A project's gallery texts (`alt` and `caption`).
    Gallery,
    /// A news item's `tags`.
    Tags,
    /// `extra`, the free map handed to templates.
    Extra,
}

impl TextField {
    /// Every text field, in the order pages and the report list them.
    pub const ALL: [TextField; 10] = [
        TextField::Title,
        TextField::Summary,
        TextField::Description,
        TextField::Body,
        TextField::Track,
        TextField::Venue,
        TextField::Team,
        TextField::Gallery,
        TextField::Tags,
        TextField::Extra,
    ];

    /// The key templates see in `page.inherited` (`title`, `body`, `team`, ...).
    pub fn name(self) -> &'static str {
        match self {
            TextField::Title => "title",
            TextField::Summary => "summary",
            TextField::Description => "description",
            TextField::Body => "body",
            TextField::Track => "track",
            TextField::Venue => "venue",
            TextField::Team => "team",
            TextField::Gallery => "gallery",
            TextField::Tags => "tags",
            TextField::Extra => "extra",
        }
    }

    /// The field in plain words, for the people who translate.
    pub fn words(self) -> &'static str {
        match self {
            TextField::Title => "title",
            TextField::Summary => "summary",
            TextField::Description => "description for search engines and link previews",
            TextField::Body => "text of the page",
            TextField::Track => "track",
            TextField::Venue => "venue",
            TextField::Team => "team names and roles",
            TextField::Gallery => "photo descriptions and captions",
            TextField::Tags => "tags",
            TextField::Extra => "extra",
        }
    }
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

/// An image a page shows (a logo, a gallery image, a link preview).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    /// URL of the published file (base path included).
    pub url: String,
    /// Output path, without a leading slash: for raster images, the key of their plan in
    /// [`Site::images`].
    pub output: String,
    /// Width and height as shown, when known.
    pub size: Option<(u32, u32)>,
}

/// A project's own link preview, and the gallery image it shows (by index; `None`: its
/// logo), whose alt text then describes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Preview {
    pub picture: Picture,
    pub from_gallery: Option<usize>,
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
    /// Resolved logo per item.
    pub logos: HashMap<ItemId, Picture>,
    /// Resolved gallery images per item, in the order written (their alt texts and
    /// captions are in each [`Version`]).
    pub galleries: HashMap<ItemId, Vec<Picture>>,
    /// Every raster image to publish (bundles and `static/`), by output path, with its
    /// plan: the image stage's work list.
    pub images: BTreeMap<String, crate::images::Job>,
    /// The link preview (`og:image`) of each project with an image of its own.
    pub previews: HashMap<ItemId, Preview>,
    /// The link preview of every other page, when the theme has `og-default.svg`.
    pub default_preview: Option<Picture>,
    /// Link previews drawn from SVG files (logos, the theme's default).
    pub svg_previews: Vec<crate::images::SvgJob>,
    /// Resolved URL of each item whose `video:` is a file (root-relative).
    pub video_files: HashMap<ItemId, String>,
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
    /// Every page the site publishes ([`pages::list`]), in sitemap order.
    pub pages: Vec<Page>,
    /// The optional templates the page list was made with.
    pub features: Features,
    /// What links resolve to (for [`patch`]).
    pub(crate) links: LinkTable,
    /// Internal values of every item (held-back ones included) for the leak guard.
    pub secrets: Vec<crate::output::guard::Secret>,
}

impl Site {
    /// Drops the Markdown source of every body (`Item::body`), which only the load reads
    /// (the bodies are rendered into [`Version`]s by then): for a run that keeps nothing
    /// for a next one (`build`), once no cache shares the items. The one change made to a
    /// `Site` after [`assemble`]; nothing a page shows is touched.
    pub fn forget_markdown(&mut self) {
        for e in &mut self.entries {
            for item in std::iter::once(&mut e.original).chain(e.translations.values_mut()) {
                if let Some(item) = Arc::get_mut(item) {
                    item.body = String::new();
                }
            }
        }
    }

    /// Item ids of `kind`, in file order.
    pub fn ids_of(&self, kind: Kind) -> impl Iterator<Item = ItemId> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.kind == kind)
            .map(|(i, _)| i)
    }

    /// The intro of a list page: `content/_index.md` for `""` (the home page), else
    /// `content/SECTION/_index.md` (`"projects"`), when there is one and it is published.
    pub fn intro(&self, section: &str) -> Option<ItemId> {
        let slug = if section.is_empty() {
            None
        } else {
            Some(section)
        };
        self.ids_of(Kind::Home).find(|&id| {
            let s = self.entries[id].slug.as_str();
            crate::source::SECTIONS.contains(&s).then_some(s) == slug
        })
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
        // The home intro's slug is `_index`; a section intro's is its section.
        Kind::Home if crate::source::SECTIONS.contains(&slug) => format!("/{slug}/"),
        Kind::Home => "/".into(),
        Kind::Page => format!("/{slug}/"),
        k => format!("/{}/{slug}/", k.section()),
    }
}

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
    let secrets: Vec<crate::output::guard::Secret> = items
        .iter()
        .flat_map(|i| crate::output::guard::secrets_of(i))
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
            site.video_files.get(&id),
        )),
        refs,
    ))
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
    same!(cohort, areas, stage, trl, projects, start, end, logo);
    // A demo day's `start` and `end` are its times of day.
    for (field, t, o) in [
        ("start", m.start_time, o.start_time),
        ("end", m.end_time, o.end_time),
    ] {
        if t.is_some() {
            differs(field, t == o);
        }
    }
    // A translation may translate a gallery's alt texts and captions, not change its files.
    if let Some(g) = &m.gallery {
        let srcs = |g: &[crate::content::GalleryImage]| {
            g.iter().map(|i| i.src.clone()).collect::<Vec<_>>()
        };
        differs("gallery", Some(srcs(g)) == o.gallery.as_deref().map(srcs));
    }
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
