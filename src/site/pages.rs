//! The page list: every page the site publishes, made once per site from its items, its
//! settings and the optional templates the theme has. Everything that needs to know which
//! pages exist reads this one list: rendering (`render::plan` adds what each page shows),
//! the sitemap, the link table (an internal link must point at a page of the list), the
//! slugs a free page may not take, and the source a collision names. Adding a page kind is
//! one edit here (and its context in `render::context`).

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::content::{Kind, STAGES};
use crate::source::Sources;

use super::{item_path, Entry, ItemId};

/// The search index's manifest at the top of each language's URL space
/// (`render::search` writes it and its shards under [`SEARCH_DIR`]).
pub const SEARCH_INDEX_FILE: &str = "search-index.json";
/// The filter index of `/projects/` in each language (`/projects/filter-index.json`): what
/// the theme's filters count and show over the whole catalogue, loaded when a visitor
/// first uses them.
pub const FILTER_INDEX_FILE: &str = "filter-index.json";
/// The folder of the search index's shards and chunks, shared with the search page.
pub const SEARCH_DIR: &str = "search";

/// What a page is; its template context is built from this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    /// The home page (`/`), with the home intro item when there is one.
    Home,
    /// Page `n` of `/projects/` (`/projects/page/2/`), with the filters.
    Projects(Paging),
    /// Page `n` of `/cohorts/` (`/cohorts/page/2/`).
    Cohorts(Paging),
    /// Page `n` of `/demos/` (`/demos/page/2/`).
    Demos(Paging),
    /// `/areas/`, every area with its project count.
    Areas,
    /// An item's own page (`/projects/a/`, `/about/`).
    Item(ItemId),
    /// Page `n` of `of` of the news list (`/news/`, `/news/page/2/`).
    NewsList {
        /// 1-based page number.
        n: usize,
        /// Number of pages.
        of: usize,
    },
    /// A redirect the site makes itself to this page path (`/news/page/1/` to `/news/`).
    Redirect(String),
    /// The redirect of one of an item's `aliases:` to the item's page.
    Alias(ItemId),
    /// The news feed (`/news/atom.xml`, Atom, RFC 4287).
    Atom,
    /// One area's projects (`/areas/<key>/`, `/areas/<key>/page/2/`).
    Area(String, Paging),
    /// `/stages/`, every stage with its project count, when the theme has `stages.html`.
    Stages,
    /// One stage's projects (`/stages/<stage>/`, then `page/2/`...), when the theme has
    /// `stage.html`.
    Stage(&'static str, Paging),
    /// `/tags/`, every tag of the language's news with its count, when the theme has
    /// `tags.html`.
    Tags,
    /// The news with one tag (`/tags/<slug>/`, then `page/2/`...), when the theme has
    /// `tag.html`. The tag is its [`tag_slug`].
    Tag(String, Paging),
    /// The feed of one tag's news (`/tags/<slug>/atom.xml`), with its tag page.
    TagFeed(String),
    /// The search page (`/search/`), when the theme has `search.html`.
    Search,
    /// A demo day's iCalendar file (`/demos/<slug>/event.ics`, RFC 5545), for a published
    /// demo day only: never a draft's or an embargoed one's, even when the build shows them.
    Event(ItemId),
    /// The calendar of every published demo day (`/demos/calendar.ics`, RFC 5545), when
    /// there is one.
    Calendar,
    /// The not-found page of a language (`/404.html`, `/ru/404.html`); the default
    /// language's, at the root, is the one static hosts serve for every missing address.
    NotFound,
    /// `/robots.txt`, once for the site.
    Robots,
    /// `/sitemap.xml`, once for the site (sitemaps.org protocol 0.9): the site's URLs, or,
    /// when the site may have more than [`SITEMAP_MAX_URLS`], the index of its parts.
    Sitemap,
    /// Part `n` of `of` of the sitemap (`/sitemap-1.xml`…), when it needs parts.
    SitemapPart {
        /// 1-based.
        n: usize,
        /// Number of parts.
        of: usize,
    },
}

/// Which page of a paginated list: page `n` (1-based) of `of` (at least 1, an empty list
/// has one page). Page 1 is at the list's own path, page `n` at `<path>page/<n>/`, and
/// `<path>page/1/` redirects to the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paging {
    /// 1-based page number.
    pub n: usize,
    /// Number of pages.
    pub of: usize,
}

impl Paging {
    /// The pages of a list of `items` items at `per_page` a page.
    pub fn all(items: usize, per_page: usize) -> impl Iterator<Item = Paging> {
        let of = items.div_ceil(per_page.max(1)).max(1);
        (1..=of).map(move |n| Paging { n, of })
    }

    /// The items of this page among `items` at `per_page` a page: the range of their
    /// positions.
    pub fn range(&self, items: usize, per_page: usize) -> std::ops::Range<usize> {
        let per_page = per_page.max(1);
        let start = ((self.n - 1) * per_page).min(items);
        start..(start + per_page).min(items)
    }
}

/// The path of page `n` of the list at `base` (`/projects/`, `/projects/page/2/`).
pub fn paged_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

pub use crate::content::tag_slug;

/// The tags of `entry`'s news in language `lang`, as its [`super::Version`] shows them:
/// those of the first language of `lang`'s fallback chain the news is written in (a Kazakh
/// page without a Kazakh translation shows the Russian one's), else the original's.
pub fn tags_in<'a>(entry: &'a Entry, config: &Config, lang: &str) -> &'a [String] {
    let source = config
        .fallback_chain(lang)
        .iter()
        .find_map(|c| {
            if c == config.default_language() {
                Some(&entry.original)
            } else {
                entry.translations.get(c)
            }
        })
        .unwrap_or(&entry.original);
    source
        .meta
        .tags
        .as_deref()
        .or(entry.original.meta.tags.as_deref())
        .unwrap_or_default()
}

/// One page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// What the page is.
    pub kind: PageKind,
    /// Index into `config.languages`; 0 for the pages made once for the whole site.
    pub lang: usize,
    /// The page's path without the language prefix (`/projects/a/`, `/404.html`).
    pub path: String,
    /// The output file, relative to the output folder (`ru/projects/a/index.html`).
    pub file: String,
    /// The template that renders it; for the iCalendar files, which `render::ical` writes
    /// without a template, their file name.
    pub template: &'static str,
}

impl Page {
    /// The item whose file the page comes from: the item's own page and the redirects of
    /// its aliases. `None` for the pages the site makes itself.
    pub fn item(&self) -> Option<ItemId> {
        match self.kind {
            PageKind::Item(id) | PageKind::Alias(id) | PageKind::Event(id) => Some(id),
            _ => None,
        }
    }

    /// Whether the page is made once for the whole site rather than once per language.
    pub fn is_site_wide(&self) -> bool {
        matches!(
            self.kind,
            PageKind::Robots | PageKind::Sitemap | PageKind::SitemapPart { .. }
        )
    }

    /// Whether the page's kind may be in the sitemap: the home page, the first page of each
    /// list, the stages index, items' pages. (The sitemap leaves out some of these too: an
    /// area or stage without projects, a language's page that borrows its text, a draft.)
    pub fn may_be_indexed(&self) -> bool {
        matches!(
            self.kind,
            PageKind::Home
                | PageKind::Projects(Paging { n: 1, .. })
                | PageKind::Cohorts(Paging { n: 1, .. })
                | PageKind::Demos(Paging { n: 1, .. })
                | PageKind::Areas
                | PageKind::NewsList { n: 1, .. }
                | PageKind::Area(_, Paging { n: 1, .. })
                | PageKind::Stage(_, Paging { n: 1, .. })
                | PageKind::Stages
                | PageKind::Item(_)
        )
    }

    /// The root-relative URL path the page is served at, without the base path
    /// (`/ru/projects/a/`, `/404.html`): what an internal link names.
    pub fn url_path(&self, config: &Config) -> String {
        if self.is_site_wide() {
            self.path.clone()
        } else {
            format!(
                "{}{}",
                config.lang_prefix(&config.languages[self.lang].code),
                self.path
            )
        }
    }
}

/// The optional templates of the theme, which add pages when present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Features {
    /// `stage.html`: a page per project stage.
    pub stage_pages: bool,
    /// `search.html`: the search page.
    pub search_page: bool,
    /// `stages.html`: the stages index.
    pub stages_index: bool,
    /// `tag.html`: a page (and a feed) per tag of the news.
    pub tag_pages: bool,
    /// `tags.html`: the tags index.
    pub tags_index: bool,
}

impl Features {
    /// Every optional page: what reserved slugs are derived from, so that whether a slug
    /// is free does not depend on the theme.
    pub const ALL: Features = Features {
        stage_pages: true,
        search_page: true,
        stages_index: true,
        tag_pages: true,
        tags_index: true,
    };

    /// The features of the templates in `sources` (the theme's and the site's).
    pub fn of(sources: &Sources) -> Features {
        let has = |name: &str| sources.templates.iter().any(|t| t.name == name);
        Features {
            stage_pages: has("stage.html"),
            search_page: has("search.html"),
            stages_index: has("stages.html"),
            tag_pages: has("tag.html"),
            tags_index: has("tags.html"),
        }
    }
}

/// The output file of page path `path` in language `lang` (`/projects/a/` in `ru` is
/// `ru/projects/a/index.html`; `/news/atom.xml` stays a file).
pub fn output_file(config: &Config, lang: &str, path: &str) -> String {
    let full = format!("{}{path}", config.lang_prefix(lang));
    let rel = full.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// The file name of a demo day's iCalendar file, in its page's folder.
pub const EVENT_FILE: &str = "event.ics";
/// The path of the calendar of all demo days.
pub const CALENDAR_PATH: &str = "/demos/calendar.ics";

/// Whether entry `e` is a demo day that calendars show: a published one (a draft or an
/// embargoed one, which a `--drafts` build or the preview shows, is never in a calendar).
pub fn in_calendars(e: &Entry) -> bool {
    e.kind == Kind::Demo && !e.draft && e.embargoed_until.is_none()
}

/// The path of page `n` of the news list (`/news/`, `/news/page/2/`).
pub fn pager_path(n: usize) -> String {
    paged_path("/news/", n)
}

/// Every page of a site with these (published) `entries`, per language in
/// `config.languages` order, then the site-wide pages. Within a language: the home page,
/// the first page of each list, every item's page in entry order (a demo day's followed by
/// its iCalendar file), the areas, stages and tags, the search page, the not-found page,
/// the further pages of the lists, the feeds and the calendar of demo days, the
/// redirects. The sitemap keeps this order.
pub fn list(entries: &[Entry], config: &Config, features: Features) -> Vec<Page> {
    let count = |kind: Kind| entries.iter().filter(|e| e.kind == kind).count();
    let projects = || entries.iter().filter(|e| e.kind == Kind::Project);
    let per_project = config.projects_per_page;
    let mut pages = Vec::new();
    for (l, lang) in config.languages.iter().enumerate() {
        let mut first = Vec::new();
        let mut further = Vec::new();
        let mut feeds = Vec::new();
        let mut redirects = Vec::new();
        // A paginated list: its first page among the lists, the others after the items.
        let mut paged = |first: &mut Vec<(String, &'static str, PageKind)>,
                         base: &str,
                         template: &'static str,
                         items: usize,
                         per_page: usize,
                         kind: &dyn Fn(Paging) -> PageKind| {
            for p in Paging::all(items, per_page) {
                let page = (paged_path(base, p.n), template, kind(p));
                if p.n == 1 {
                    first.push(page);
                } else {
                    further.push(page);
                }
            }
            if items > per_page.max(1) || base == "/news/" {
                redirects.push((
                    format!("{base}page/1/"),
                    "redirect.html",
                    PageKind::Redirect(base.to_string()),
                ));
            }
        };
        first.push(("/".into(), "index.html", PageKind::Home));
        paged(
            &mut first,
            "/projects/",
            "projects.html",
            count(Kind::Project),
            per_project,
            &PageKind::Projects,
        );
        // Cohorts and demo days are cards too, as many a page as projects.
        paged(
            &mut first,
            "/cohorts/",
            "cohorts.html",
            count(Kind::Cohort),
            per_project,
            &PageKind::Cohorts,
        );
        paged(
            &mut first,
            "/demos/",
            "demos.html",
            count(Kind::Demo),
            per_project,
            &PageKind::Demos,
        );
        paged(
            &mut first,
            "/news/",
            "news_list.html",
            count(Kind::News),
            config.news_per_page,
            &|p| PageKind::NewsList { n: p.n, of: p.of },
        );
        first.push(("/areas/".into(), "areas.html", PageKind::Areas));
        for (id, e) in entries.iter().enumerate() {
            let template = match e.kind {
                Kind::Home => continue,
                Kind::Project => "project.html",
                Kind::Cohort => "cohort.html",
                Kind::Demo => "demo.html",
                Kind::News => "news.html",
                Kind::Page => "page.html",
            };
            first.push((item_path(e.kind, &e.slug), template, PageKind::Item(id)));
            if in_calendars(e) {
                let path = format!("{}{EVENT_FILE}", item_path(e.kind, &e.slug));
                first.push((path, EVENT_FILE, PageKind::Event(id)));
            }
        }
        for key in config.areas.keys() {
            let n = projects()
                .filter(|e| e.original.meta.areas.iter().flatten().any(|a| a == key))
                .count();
            paged(
                &mut first,
                &format!("/areas/{key}/"),
                "area.html",
                n,
                per_project,
                &|p| PageKind::Area(key.clone(), p),
            );
        }
        if features.stages_index {
            first.push(("/stages/".into(), "stages.html", PageKind::Stages));
        }
        if features.stage_pages {
            for stage in STAGES {
                let n = projects()
                    .filter(|e| e.original.meta.stage.as_deref() == Some(stage))
                    .count();
                paged(
                    &mut first,
                    &format!("/stages/{stage}/"),
                    "stage.html",
                    n,
                    per_project,
                    &|p| PageKind::Stage(stage, p),
                );
            }
        }
        if features.tags_index {
            first.push(("/tags/".into(), "tags.html", PageKind::Tags));
        }
        if features.tag_pages {
            for (slug, n) in tag_counts(entries, config, &lang.code) {
                let base = format!("/tags/{slug}/");
                paged(
                    &mut first,
                    &base,
                    "tag.html",
                    n,
                    config.news_per_page,
                    &|p| PageKind::Tag(slug.clone(), p),
                );
                feeds.push((
                    format!("{base}atom.xml"),
                    "atom.xml",
                    PageKind::TagFeed(slug),
                ));
            }
        }
        if features.search_page {
            first.push((format!("/{SEARCH_DIR}/"), "search.html", PageKind::Search));
        }
        // Each language its own, for hosts that serve one per folder (issue 14).
        first.push(("/404.html".into(), "404.html", PageKind::NotFound));
        feeds.insert(0, ("/news/atom.xml".into(), "atom.xml", PageKind::Atom));
        // RFC 5545 wants at least one event in a calendar: none without a demo day.
        if entries.iter().any(in_calendars) {
            feeds.push((CALENDAR_PATH.into(), "calendar.ics", PageKind::Calendar));
        }
        // The original's aliases apply to every language; the paths are per language.
        for (id, e) in entries.iter().enumerate() {
            for a in e.original.meta.aliases.iter().flatten() {
                redirects.push((
                    crate::content::alias_page(a),
                    "redirect.html",
                    PageKind::Alias(id),
                ));
            }
        }
        for (path, template, kind) in first
            .into_iter()
            .chain(further)
            .chain(feeds)
            .chain(redirects)
        {
            pages.push(Page {
                file: output_file(config, &lang.code, &path),
                path,
                template,
                lang: l,
                kind,
            });
        }
    }
    // At most every page that may be indexed, in every language: the sitemap's parts are
    // counted on this bound, so that none is over the protocol's limit.
    let urls = pages
        .iter()
        .filter(|p| p.lang == 0 && p.may_be_indexed())
        .count()
        * config.languages.len();
    let parts = urls.div_ceil(SITEMAP_MAX_URLS);
    let mut site_wide = vec![
        ("/robots.txt".to_string(), "robots.txt", PageKind::Robots),
        ("/sitemap.xml".to_string(), "sitemap.xml", PageKind::Sitemap),
    ];
    if parts > 1 {
        for n in 1..=parts {
            site_wide.push((
                format!("/sitemap-{n}.xml"),
                "sitemap.xml",
                PageKind::SitemapPart { n, of: parts },
            ));
        }
    }
    for (path, template, kind) in site_wide {
        pages.push(Page {
            kind,
            lang: 0,
            file: path.trim_start_matches('/').into(),
            path,
            template,
        });
    }
    pages
}

/// Most URLs one sitemap file may list (sitemaps.org protocol 0.9); a site with more has a
/// sitemap index at `/sitemap.xml` and its parts at `/sitemap-1.xml`….
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// The tags of the news in language `lang` by [`tag_slug`], with how many news carry each
/// (a news item that writes a tag twice, or as `5G` and `5g`, counts once), in slug order.
pub fn tag_counts(entries: &[Entry], config: &Config, lang: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for e in entries.iter().filter(|e| e.kind == Kind::News) {
        let slugs: BTreeSet<String> = tags_in(e, config, lang)
            .iter()
            .filter_map(|t| tag_slug(t))
            .collect();
        for s in slugs {
            *counts.entry(s).or_insert(0) += 1;
        }
    }
    counts
}

/// The first path segments the site's own pages and files take (`projects`, `news`,
/// `404.html`, `search-index.json`, ...), whatever the theme: a free page may not use one
/// as its slug.
pub fn reserved_slugs(config: &Config) -> BTreeSet<String> {
    let mut roots: BTreeSet<String> = list(&[], config, Features::ALL)
        .iter()
        .filter_map(|p| p.path.trim_start_matches('/').split('/').next())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    roots.extend([SEARCH_INDEX_FILE.to_string(), SEARCH_DIR.to_string()]);
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let text = "title: T\nlanguages: {ru: {}, kk: {}}\nareas: {uav: UAV}\n";
        Config::parse(std::path::Path::new("."), text, None).unwrap()
    }

    #[test]
    fn reserved_slugs_are_the_roots_of_the_generated_pages() {
        let r = reserved_slugs(&config());
        for s in [
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
        ] {
            assert!(r.contains(s), "{s} not reserved: {r:?}");
        }
        assert!(!r.contains("about"));
    }

    #[test]
    fn optional_pages_follow_the_templates() {
        let c = config();
        let none = list(&[], &c, Features::default());
        assert!(!none.iter().any(|p| p.path.starts_with("/stages/")));
        assert!(!none.iter().any(|p| p.kind == PageKind::Search));
        let all = list(&[], &c, Features::ALL);
        let stages = all.iter().filter(|p| p.template == "stage.html").count();
        assert_eq!(stages, STAGES.len() * c.languages.len());
    }

    #[test]
    fn paging_covers_every_item_once() {
        assert_eq!(
            Paging::all(0, 10).collect::<Vec<_>>(),
            [Paging { n: 1, of: 1 }]
        );
        for (items, per_page, pages) in [(1, 10, 1), (10, 10, 1), (11, 10, 2), (25, 3, 9)] {
            let all: Vec<Paging> = Paging::all(items, per_page).collect();
            assert_eq!(all.len(), pages);
            let covered: Vec<usize> = all.iter().flat_map(|p| p.range(items, per_page)).collect();
            assert_eq!(covered, (0..items).collect::<Vec<_>>());
        }
        assert_eq!(paged_path("/areas/uav/", 1), "/areas/uav/");
        assert_eq!(paged_path("/areas/uav/", 3), "/areas/uav/page/3/");
    }

    #[test]
    fn tags_are_one_page_however_written() {
        assert_eq!(tag_slug("5G").as_deref(), Some("5g"));
        assert_eq!(tag_slug(" 5g ").as_deref(), Some("5g"));
        assert_eq!(tag_slug("Қорғаныс").as_deref(), Some("qorganys"));
        assert_eq!(tag_slug("🚀"), None);
        assert_eq!(tag_slug("../.."), None);
    }

    #[test]
    fn every_page_has_one_output_file() {
        let c = config();
        let pages = list(&[], &c, Features::ALL);
        let files: BTreeSet<&str> = pages.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(files.len(), pages.len());
        assert!(files.contains("news/atom.xml"));
        assert!(files.contains("404.html"));
        assert!(files.contains("ru/404.html") && files.contains("kk/404.html"));
        assert!(files.contains("news/index.html"));
    }
}
