//! The page list: every page the site publishes, made once per site from its items, its
//! settings and the optional templates the theme has. Everything that needs to know which
//! pages exist reads this one list: rendering (`render::plan` adds what each page shows),
//! the sitemap, the link table (an internal link must point at a page of the list), the
//! slugs a free page may not take, and the source a collision names. Adding a page kind is
//! one edit here (and its context in `render::context`).

use std::collections::BTreeSet;

use crate::config::Config;
use crate::content::{Kind, STAGES};
use crate::source::Sources;

use super::{item_path, Entry, ItemId};

/// The search index's manifest at the top of each language's URL space
/// (`render::search` writes it and its shards under [`SEARCH_DIR`]).
pub const SEARCH_INDEX_FILE: &str = "search-index.json";
/// The folder of the search index's shards and chunks, shared with the search page.
pub const SEARCH_DIR: &str = "search";

/// What a page is; its template context is built from this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    /// The home page (`/`), with the home intro item when there is one.
    Home,
    /// `/projects/`, with the filters.
    Projects,
    /// `/cohorts/`.
    Cohorts,
    /// `/demos/`.
    Demos,
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
    /// One area's projects (`/areas/<key>/`).
    Area(String),
    /// One stage's projects (`/stages/<stage>/`), when the theme has `stage.html`.
    Stage(&'static str),
    /// The search page (`/search/`), when the theme has `search.html`.
    Search,
    /// The not-found page of a language (`/404.html`, `/ru/404.html`); the default
    /// language's, at the root, is the one static hosts serve for every missing address.
    NotFound,
    /// `/robots.txt`, once for the site.
    Robots,
    /// `/sitemap.xml`, once for the site (sitemaps.org protocol 0.9).
    Sitemap,
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
    /// The template that renders it.
    pub template: &'static str,
}

impl Page {
    /// The item whose file the page comes from: the item's own page and the redirects of
    /// its aliases. `None` for the pages the site makes itself.
    pub fn item(&self) -> Option<ItemId> {
        match self.kind {
            PageKind::Item(id) | PageKind::Alias(id) => Some(id),
            _ => None,
        }
    }

    /// Whether the page is made once for the whole site rather than once per language.
    pub fn is_site_wide(&self) -> bool {
        matches!(self.kind, PageKind::Robots | PageKind::Sitemap)
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
}

impl Features {
    /// Every optional page: what reserved slugs are derived from, so that whether a slug
    /// is free does not depend on the theme.
    pub const ALL: Features = Features {
        stage_pages: true,
        search_page: true,
    };

    /// The features of the templates in `sources` (the theme's and the site's).
    pub fn of(sources: &Sources) -> Features {
        let has = |name: &str| sources.templates.iter().any(|t| t.name == name);
        Features {
            stage_pages: has("stage.html"),
            search_page: has("search.html"),
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

/// The path of page `n` of the news list (`/news/`, `/news/page/2/`).
pub fn pager_path(n: usize) -> String {
    if n == 1 {
        "/news/".to_string()
    } else {
        format!("/news/page/{n}/")
    }
}

/// Every page of a site with these (published) `entries`, per language in
/// `config.languages` order, then the site-wide pages. Within a language: the home page,
/// the lists, every item's page in entry order, the areas and stages, the search page,
/// the not-found page, the further news pages, the feed, the redirects. The sitemap keeps this order.
pub fn list(entries: &[Entry], config: &Config, features: Features) -> Vec<Page> {
    let news = entries.iter().filter(|e| e.kind == Kind::News).count();
    let news_pages = news.div_ceil(config.news_per_page.max(1)).max(1);
    let mut pages = Vec::new();
    for (l, lang) in config.languages.iter().enumerate() {
        let mut push = |path: String, template: &'static str, kind: PageKind| {
            pages.push(Page {
                file: output_file(config, &lang.code, &path),
                path,
                template,
                lang: l,
                kind,
            });
        };
        push("/".into(), "index.html", PageKind::Home);
        push("/projects/".into(), "projects.html", PageKind::Projects);
        push("/cohorts/".into(), "cohorts.html", PageKind::Cohorts);
        push("/demos/".into(), "demos.html", PageKind::Demos);
        push(
            pager_path(1),
            "news_list.html",
            PageKind::NewsList {
                n: 1,
                of: news_pages,
            },
        );
        push("/areas/".into(), "areas.html", PageKind::Areas);
        for (id, e) in entries.iter().enumerate() {
            let template = match e.kind {
                Kind::Home => continue,
                Kind::Project => "project.html",
                Kind::Cohort => "cohort.html",
                Kind::Demo => "demo.html",
                Kind::News => "news.html",
                Kind::Page => "page.html",
            };
            push(item_path(e.kind, &e.slug), template, PageKind::Item(id));
        }
        for key in config.areas.keys() {
            push(
                format!("/areas/{key}/"),
                "area.html",
                PageKind::Area(key.clone()),
            );
        }
        if features.stage_pages {
            for stage in STAGES {
                push(
                    format!("/stages/{stage}/"),
                    "stage.html",
                    PageKind::Stage(stage),
                );
            }
        }
        if features.search_page {
            push(format!("/{SEARCH_DIR}/"), "search.html", PageKind::Search);
        }
        // Each language its own, for hosts that serve one per folder (issue 14).
        push("/404.html".into(), "404.html", PageKind::NotFound);
        for n in 2..=news_pages {
            push(
                pager_path(n),
                "news_list.html",
                PageKind::NewsList { n, of: news_pages },
            );
        }
        push(
            "/news/page/1/".into(),
            "redirect.html",
            PageKind::Redirect(pager_path(1)),
        );
        push("/news/atom.xml".into(), "atom.xml", PageKind::Atom);
        // The original's aliases apply to every language; the paths are per language.
        for (id, e) in entries.iter().enumerate() {
            for a in e.original.meta.aliases.iter().flatten() {
                push(
                    crate::content::alias_page(a),
                    "redirect.html",
                    PageKind::Alias(id),
                );
            }
        }
    }
    for (path, template, kind) in [
        ("/robots.txt", "robots.txt", PageKind::Robots),
        ("/sitemap.xml", "sitemap.xml", PageKind::Sitemap),
    ] {
        pages.push(Page {
            kind,
            lang: 0,
            path: path.into(),
            file: path.trim_start_matches('/').into(),
            template,
        });
    }
    pages
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
