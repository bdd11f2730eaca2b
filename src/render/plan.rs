//! The page plan: every page of the site as a [`Job`] (output path, template, language,
//! what it shows and which items it depends on), made before anything is rendered.

use std::sync::Arc;

use crate::content::Kind;
use crate::site::{item_path, ItemId, Site};

use super::{Builder, Origin};

/// One page to render: where it goes, with which template, showing what.
pub(super) struct Job {
    /// Output file (`ru/projects/a/index.html`).
    pub(super) path: String,
    /// Page path without language prefix (`/projects/a/`).
    pub(super) page_path: String,
    pub(super) template: &'static str,
    /// Language index.
    pub(super) lang: usize,
    pub(super) what: What,
    /// Items the page shows: it must be rendered again when one of them changes.
    pub(super) items: Arc<[ItemId]>,
}

impl Job {
    /// Whether the page shows item `id` whole (body included), not only its summary.
    pub(super) fn shows_whole(&self, id: ItemId, site: &Site) -> bool {
        match self.what {
            What::Item(own) => own == id,
            What::Atom => true,
            What::Home => site.entries[id].kind == Kind::Home,
            _ => false,
        }
    }
}

/// What a page shows; its context is built from this when it is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum What {
    Home,
    Projects,
    Cohorts,
    Demos,
    Areas,
    /// An item's own page.
    Item(ItemId),
    NewsList {
        n: usize,
        of: usize,
    },
    Redirect(String),
    Alias(ItemId),
    Atom,
    Area(String),
    Stage(&'static str),
    Search,
    NotFound,
    Robots,
    Sitemap,
}

impl Builder<'_> {
    /// The pages of language `l`: what each shows, not yet its context.
    pub(super) fn language_jobs(&self, l: usize, jobs: &mut Vec<Job>) {
        let site = self.site;
        let config = self.config();
        let lang = config.languages[l].code.clone();
        let mut push = |path: &str, template: &'static str, what: What, items: Vec<ItemId>| {
            jobs.push(Job {
                path: self.file_of(&lang, path),
                page_path: path.to_string(),
                template,
                lang: l,
                what,
                items: items.into(),
            });
        };
        let news = self.sorted(Kind::News);
        let demos = self.sorted(Kind::Demo);
        let projects = self.sorted(Kind::Project);
        let cohorts = self.sorted(Kind::Cohort);

        let (home, latest, next, last, featured) = self.home_parts(&news, &demos, &projects);
        let mut items: Vec<ItemId> = latest.clone();
        items.extend(&featured);
        items.extend(next.into_iter().chain(last));
        items.extend(home);
        push("/", "index.html", What::Home, items);

        // The filters count projects per cohort and show cohort titles.
        let mut items = projects.clone();
        items.extend(&cohorts);
        push("/projects/", "projects.html", What::Projects, items);
        for &id in &projects {
            let mut items = vec![id];
            items.extend(site.cohort_of.get(&id));
            items.extend(site.project_demos.get(&id).into_iter().flatten());
            items.extend(site.project_news.get(&id).into_iter().flatten());
            push(
                &item_path(Kind::Project, &site.entries[id].slug),
                "project.html",
                What::Item(id),
                items,
            );
        }

        push("/cohorts/", "cohorts.html", What::Cohorts, cohorts.clone());
        for &id in &cohorts {
            let mut items = vec![id];
            items.extend(site.cohort_projects.get(&id).into_iter().flatten());
            items.extend(site.cohort_demos.get(&id).into_iter().flatten());
            push(
                &item_path(Kind::Cohort, &site.entries[id].slug),
                "cohort.html",
                What::Item(id),
                items,
            );
        }

        push("/demos/", "demos.html", What::Demos, demos.clone());
        for &id in &demos {
            let mut items = vec![id];
            items.extend(site.cohort_of.get(&id));
            items.extend(site.projects_of.get(&id).into_iter().flatten());
            push(
                &item_path(Kind::Demo, &site.entries[id].slug),
                "demo.html",
                What::Item(id),
                items,
            );
        }

        let per_page = config.news_per_page.max(1);
        let pages = news.len().div_ceil(per_page).max(1);
        for n in 1..=pages {
            let chunk: Vec<ItemId> = news
                .iter()
                .skip((n - 1) * per_page)
                .take(per_page)
                .copied()
                .collect();
            push(
                &pager_path(n),
                "news_list.html",
                What::NewsList { n, of: pages },
                chunk,
            );
        }
        push(
            "/news/page/1/",
            "redirect.html",
            What::Redirect("/news/".into()),
            vec![],
        );
        for &id in &news {
            let mut items = vec![id];
            items.extend(site.projects_of.get(&id).into_iter().flatten());
            push(
                &item_path(Kind::News, &site.entries[id].slug),
                "news.html",
                What::Item(id),
                items,
            );
        }
        push(
            "/news/atom.xml",
            "atom.xml",
            What::Atom,
            news.iter().take(20).copied().collect(),
        );

        // The areas list counts projects per area.
        push("/areas/", "areas.html", What::Areas, projects.clone());
        for key in config.areas.keys() {
            let ids = site.area_projects.get(key).cloned().unwrap_or_default();
            push(
                &format!("/areas/{key}/"),
                "area.html",
                What::Area(key.clone()),
                ids,
            );
        }

        if self.has_stage_pages {
            for stage in crate::content::STAGES {
                let ids: Vec<ItemId> = projects
                    .iter()
                    .copied()
                    .filter(|&p| site.entries[p].original.meta.stage.as_deref() == Some(*stage))
                    .collect();
                push(
                    &format!("/stages/{stage}/"),
                    "stage.html",
                    What::Stage(stage),
                    ids,
                );
            }
        }
        if self.has_search_page {
            push("/search/", "search.html", What::Search, vec![]);
        }

        for id in self.sorted(Kind::Page) {
            push(
                &item_path(Kind::Page, &site.entries[id].slug),
                "page.html",
                What::Item(id),
                vec![id],
            );
        }

        // Aliases: the original's apply to every language; paths are per language.
        for (id, e) in site.entries.iter().enumerate() {
            for a in e.original.meta.aliases.iter().flatten() {
                push(
                    &crate::content::alias_page(a),
                    "redirect.html",
                    What::Alias(id),
                    vec![id],
                );
            }
        }
    }

    /// The source of the page `job` makes: the item's file for its own page and the
    /// redirects of its aliases (the translation's file when the page shows one), the
    /// template for the pages the site makes itself.
    pub(super) fn origin_of(&self, job: &Job) -> Origin {
        match job.what {
            What::Item(id) => {
                let e = &self.site.entries[id];
                let code = &self.config().languages[job.lang].code;
                let file = e
                    .translations
                    .get(code)
                    .map_or(&e.original.path, |t| &t.path);
                Origin::Content(file.clone())
            }
            What::Alias(id) => Origin::Content(self.site.entries[id].original.path.clone()),
            _ => Origin::Generated(Some(job.template.to_string())),
        }
    }

    /// Pages rendered once for the whole site.
    pub(super) fn site_jobs(&self, jobs: &mut Vec<Job>) {
        let all: Vec<ItemId> = (0..self.site.entries.len()).collect();
        for (path, template, what, items) in [
            ("/404.html", "404.html", What::NotFound, vec![]),
            ("/robots.txt", "robots.txt", What::Robots, vec![]),
            ("/sitemap.xml", "sitemap.xml", What::Sitemap, all),
        ] {
            jobs.push(Job {
                path: path.trim_start_matches('/').to_string(),
                page_path: path.to_string(),
                template,
                lang: 0,
                what,
                items: items.into(),
            });
        }
    }
}

/// The path of page `n` of the news list.
pub(super) fn pager_path(n: usize) -> String {
    if n == 1 {
        "/news/".to_string()
    } else {
        format!("/news/page/{n}/")
    }
}
