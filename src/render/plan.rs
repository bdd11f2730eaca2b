//! The render plan: every page of the site's page list ([`crate::site::pages`]) as a
//! [`Job`], with the items it shows: what its context is built from, and what the preview
//! compares to know whether the page must be rendered again.

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::Kind;
use crate::site::pages::tag_slug;
use crate::site::{ItemId, Page, PageKind, Site};

/// Entries of a feed: the newest news.
pub(super) const FEED_ENTRIES: usize = 20;

use super::{Builder, Origin};

/// One page to render, and the items it shows.
pub(super) struct Job<'a> {
    /// The page.
    pub(super) page: &'a Page,
    /// Items the page shows: it must be rendered again when one of them changes.
    pub(super) items: Arc<[ItemId]>,
    /// A fingerprint of what else the page shows of the site: it must be rendered again
    /// when it changes (the sitemap shows every item's dates, not its summary).
    pub(super) key: u64,
}

impl Job<'_> {
    /// The items of a list page without the section intro that ends them on the first page.
    pub(super) fn listed(&self, site: &Site) -> &[ItemId] {
        match self.items.split_last() {
            Some((&last, rest)) if site.entries[last].kind == Kind::Home => rest,
            _ => &self.items,
        }
    }

    /// Whether the page shows item `id` whole (body included), not only its summary.
    pub(super) fn shows_whole(&self, id: ItemId, site: &Site) -> bool {
        match self.page.kind {
            PageKind::Item(own) => own == id,
            // A calendar shows what a translation leaves to the original, and its dates.
            PageKind::Atom | PageKind::TagFeed(_) | PageKind::Event(_) | PageKind::Calendar => true,
            // The intro of the home page or of a list's first page.
            PageKind::Home
            | PageKind::Projects(_)
            | PageKind::Cohorts(_)
            | PageKind::Demos(_)
            | PageKind::NewsList { .. } => site.entries[id].kind == Kind::Home,
            _ => false,
        }
    }
}

/// What the list pages share, made once a render rather than once a page (a site of 30,000
/// projects has over 600 pages of `/projects/` and as many of areas and stages).
#[derive(Default)]
pub(super) struct Lists {
    /// The projects at each stage, in list order.
    stage_projects: HashMap<&'static str, Vec<ItemId>>,
    /// Per language: the news of each tag (by slug), newest first.
    tag_news: Vec<HashMap<String, Vec<ItemId>>>,
    /// A fingerprint of what the project lists count by: stages, TRLs, areas, cohorts.
    counted: u64,
    /// Per language: a fingerprint of the news' tags.
    tags: Vec<u64>,
}

impl Lists {
    /// Whether language `l`'s news have the tag of slug `slug`.
    pub(super) fn has_tag(&self, l: usize, slug: &str) -> bool {
        self.tag_news[l].contains_key(slug)
    }

    /// The lists of `site`.
    pub(super) fn of(site: &Site) -> Lists {
        use std::hash::{Hash, Hasher};
        let sorted = |kind: Kind| site.order.get(&kind).map_or(&[][..], Vec::as_slice);
        let mut stage_projects: HashMap<&'static str, Vec<ItemId>> = HashMap::new();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for &id in sorted(Kind::Project) {
            let m = &site.entries[id].original.meta;
            (m.stage.as_deref(), m.trl, &m.areas, site.cohort_of.get(&id)).hash(&mut h);
            if let Some(stage) = m.stage.as_deref() {
                if let Some(&s) = crate::content::STAGES.iter().find(|s| **s == stage) {
                    stage_projects.entry(s).or_default().push(id);
                }
            }
        }
        let counted = h.finish();
        let (tag_news, tags) = (0..site.versions.len())
            .map(|l| {
                let mut news: HashMap<String, Vec<ItemId>> = HashMap::new();
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for &id in sorted(Kind::News) {
                    let tags = &site.version(l, id).tags;
                    tags.hash(&mut h);
                    let slugs: std::collections::BTreeSet<String> =
                        tags.iter().filter_map(|t| tag_slug(t)).collect();
                    for slug in slugs {
                        news.entry(slug).or_default().push(id);
                    }
                }
                (news, h.finish())
            })
            .unzip();
        Lists {
            stage_projects,
            tag_news,
            counted,
            tags,
        }
    }
}

impl Builder<'_> {
    /// Every page of the site with the items it shows.
    pub(super) fn jobs(&self) -> Vec<Job<'_>> {
        self.site
            .pages
            .iter()
            .map(|page| Job {
                page,
                items: self.shows(page).into(),
                key: self.key(page),
            })
            .collect()
    }

    /// The items `page` shows, in the order it shows them; a list's first page ends with
    /// its section's intro, when there is one (see [`Job::listed`]).
    fn shows(&self, page: &Page) -> Vec<ItemId> {
        let mut items = self.shows_items(page);
        let intro = match &page.kind {
            PageKind::Projects(p) if p.n == 1 => self.site.intro("projects"),
            PageKind::Cohorts(p) if p.n == 1 => self.site.intro("cohorts"),
            PageKind::Demos(p) if p.n == 1 => self.site.intro("demos"),
            PageKind::NewsList { n: 1, .. } => self.site.intro("news"),
            _ => None,
        };
        items.extend(intro);
        items
    }

    /// The items `page` shows besides a list's intro.
    fn shows_items(&self, page: &Page) -> Vec<ItemId> {
        let site = self.site;
        let related = |id: ItemId, lists: &[&std::collections::HashMap<ItemId, Vec<ItemId>>]| {
            let mut items = vec![id];
            for list in lists {
                items.extend(list.get(&id).into_iter().flatten());
            }
            items
        };
        match &page.kind {
            PageKind::Home => {
                let (home, latest, next, last, featured) = self.home_parts(
                    &self.sorted(Kind::News),
                    &self.sorted(Kind::Demo),
                    &self.sorted(Kind::Project),
                );
                let mut items = latest;
                items.extend(&featured);
                items.extend(next.into_iter().chain(last));
                items.extend(home);
                items
            }
            // The filters show cohort titles; their counts are in `key`.
            PageKind::Projects(p) => {
                let all = site
                    .order
                    .get(&Kind::Project)
                    .map_or(&[][..], Vec::as_slice);
                let mut items = all[p.range(all.len(), self.config().projects_per_page)].to_vec();
                items.extend(self.sorted(Kind::Cohort));
                items
            }
            PageKind::Cohorts(p) => {
                let all = site.order.get(&Kind::Cohort).map_or(&[][..], Vec::as_slice);
                all[p.range(all.len(), self.config().projects_per_page)].to_vec()
            }
            PageKind::Demos(p) => {
                let all = site.order.get(&Kind::Demo).map_or(&[][..], Vec::as_slice);
                all[p.range(all.len(), self.config().projects_per_page)].to_vec()
            }
            PageKind::Item(id) => {
                let mut items = match site.entries[*id].kind {
                    Kind::Project => related(*id, &[&site.project_demos, &site.project_news]),
                    Kind::Cohort => related(*id, &[&site.cohort_projects, &site.cohort_demos]),
                    Kind::Demo | Kind::News => related(*id, &[&site.projects_of]),
                    Kind::Page | Kind::Home => vec![*id],
                };
                // A project or demo day shows its cohort, after itself.
                if let Some(c) = site.cohort_of.get(id) {
                    items.insert(1, *c);
                }
                items
            }
            PageKind::NewsList { n, of } => {
                let all = self.sorted(Kind::News);
                let p = crate::site::pages::Paging { n: *n, of: *of };
                all[p.range(all.len(), self.config().news_per_page)].to_vec()
            }
            PageKind::Redirect(_) | PageKind::Search | PageKind::NotFound | PageKind::Robots => {
                vec![]
            }
            PageKind::Alias(id) => vec![*id],
            PageKind::Event(id) => vec![*id],
            // Oldest first, as a calendar reads.
            PageKind::Calendar => self
                .sorted(Kind::Demo)
                .into_iter()
                .rev()
                .filter(|&d| crate::site::pages::in_calendars(&site.entries[d]))
                .collect(),
            PageKind::Atom => self
                .sorted(Kind::News)
                .into_iter()
                .take(FEED_ENTRIES)
                .collect(),
            // The areas and stages lists count projects; the counts are in `key`.
            PageKind::Areas | PageKind::Stages | PageKind::Tags => vec![],
            PageKind::Area(key, p) => {
                let all = site.area_projects.get(key).map_or(&[][..], Vec::as_slice);
                all[p.range(all.len(), self.config().projects_per_page)].to_vec()
            }
            PageKind::Stage(stage, p) => {
                let all = self.stage_projects(stage);
                all[p.range(all.len(), self.config().projects_per_page)].to_vec()
            }
            PageKind::Tag(slug, p) => {
                let all = self.tag_news(page.lang, slug);
                all[p.range(all.len(), self.config().news_per_page)].to_vec()
            }
            PageKind::TagFeed(slug) => self
                .tag_news(page.lang, slug)
                .iter()
                .copied()
                .take(FEED_ENTRIES)
                .collect(),
            // The sitemap shows no item's text: see `key`.
            PageKind::Sitemap | PageKind::SitemapPart { .. } => vec![],
        }
    }

    /// The projects at `stage`, in list order.
    pub(super) fn stage_projects(&self, stage: &str) -> &[ItemId] {
        self.lists
            .stage_projects
            .get(stage)
            .map_or(&[][..], Vec::as_slice)
    }

    /// The news of language `l` tagged with the tag of slug `slug`, newest first.
    pub(super) fn tag_news(&self, l: usize, slug: &str) -> &[ItemId] {
        self.lists.tag_news[l]
            .get(slug)
            .map_or(&[][..], Vec::as_slice)
    }

    /// What the page shows of the site besides its items' summaries and bodies: for the
    /// sitemap, every item's dates, stage, areas, and untranslated and draft languages
    /// (which decide its `lastmod`, whether a stage or area page is listed, and the
    /// alternates), so that a title edit leaves it alone; for the lists that count
    /// projects (the filters and the catalogue of `/projects/`, `/areas/`, `/stages/`),
    /// what they count by; for `/tags/`, the tags; for a page of an area's, a stage's or a
    /// tag's list, the whole list's length (its count and pager), and for a tag's, also how
    /// its news write the tag (its name) and which languages have it (the switcher). 0 for
    /// the other pages.
    fn key(&self, page: &Page) -> u64 {
        use std::hash::{Hash, Hasher};
        let site = self.site;
        match &page.kind {
            PageKind::Projects(_) | PageKind::Areas | PageKind::Stages => self.lists.counted,
            PageKind::Tags => self.lists.tags[page.lang],
            // The page's items are one page of the list: a project or news item leaving a
            // later page changes the count and the pager of the first.
            PageKind::Area(key, _) => site.area_projects.get(key).map_or(0, Vec::len) as u64,
            PageKind::Stage(stage, _) => self.stage_projects(stage).len() as u64,
            PageKind::Tag(slug, _) => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for &id in self.tag_news(page.lang, slug) {
                    let v = site.version(page.lang, id);
                    (id, &v.tags, v.lang_of(crate::site::TextField::Tags)).hash(&mut h);
                }
                for l in 0..site.versions.len() {
                    self.lists.has_tag(l, slug).hash(&mut h);
                }
                h.finish()
            }
            PageKind::Sitemap | PageKind::SitemapPart { .. } => {
                // Hashed as it is read: this runs on every rebuild of the preview.
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for (id, e) in site.entries.iter().enumerate() {
                    let m = &e.original.meta;
                    (m.date, m.updated, m.stage.as_deref(), &m.areas).hash(&mut h);
                    for l in 0..site.versions.len() {
                        let v = site.version(l, id);
                        (v.fallback, v.draft).hash(&mut h);
                    }
                }
                h.finish()
            }
            _ => 0,
        }
    }

    /// The source of the page `job` makes: the item's file for its own page and the
    /// redirects of its aliases (the translation's file when the page shows one), the
    /// template for the pages the site makes itself.
    pub(super) fn origin_of(&self, page: &Page) -> Origin {
        match page.kind {
            PageKind::Item(id) | PageKind::Event(id) => {
                let e = &self.site.entries[id];
                let code = &self.config().languages[page.lang].code;
                let file = e
                    .translations
                    .get(code)
                    .map_or(&e.original.path, |t| &t.path);
                Origin::Content(file.clone())
            }
            PageKind::Alias(id) => Origin::Content(self.site.entries[id].original.path.clone()),
            // Written without a template.
            PageKind::Calendar => Origin::Generated(None),
            _ => Origin::Generated(Some(page.template.to_string())),
        }
    }
}
