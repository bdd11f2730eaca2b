//! The sitemap's entries: the pages of the page list worth indexing, each with its
//! languages as alternates (sitemaps.org protocol 0.9 with `xhtml:link` alternates, as
//! Google documents for localized versions).

use serde_json::{json, Value};

use crate::content::Kind;
use crate::site::{Page, PageKind};

use super::Builder;

impl Builder<'_> {
    /// Whether `page` belongs in the sitemap: the home page, the first page of each list,
    /// every item's page, the area and stage pages that list a project, the stages index.
    /// Not the further pages of lists, the feeds, the search page, redirects, the site-wide
    /// files, or the tag pages (whose tags, and so paths, differ from language to language,
    /// where the sitemap pairs each page with the same path in the other languages).
    fn indexable(&self, page: &Page) -> bool {
        if !page.may_be_indexed() {
            return false;
        }
        match &page.kind {
            // Like an empty stage page, an area without projects is not worth indexing.
            PageKind::Area(key, _) => self
                .site
                .area_projects
                .get(key)
                .is_some_and(|p| !p.is_empty()),
            PageKind::Item(id) => self.site.entries[*id].kind != Kind::Home,
            // An empty stage page exists (its links stay valid) but is not worth indexing.
            PageKind::Stage(stage, _) => self.site.entries.iter().any(|e| {
                e.kind == Kind::Project && e.original.meta.stage.as_deref() == Some(*stage)
            }),
            _ => true,
        }
    }

    /// One entry per indexable page and language: `permalink`, `alternates` (`lang`,
    /// `permalink`) and `updated` (an item's `updated:` or `date:`), in page-list order.
    pub(super) fn sitemap_entries(&self) -> Vec<Value> {
        let site = self.site;
        let config = self.config();
        let mut entries = Vec::new();
        // Every language has the same pages: list them once, from the first language.
        for page in site.pages.iter().filter(|p| p.lang == 0) {
            if !self.indexable(page) {
                continue;
            }
            let id = page.item();
            let updated = id.and_then(|id| {
                let m = &site.entries[id].original.meta;
                m.updated.or(m.date).map(|d| d.to_string())
            });
            // A page filled from another language is not canonical: neither listed nor an
            // alternate (issue 7). A draft (shown by `--drafts` builds and the preview) is
            // not for search engines.
            let own: Vec<&crate::config::Language> = config
                .languages
                .iter()
                .enumerate()
                .filter(|(l, _)| {
                    id.is_none_or(|id| {
                        let v = site.version(*l, id);
                        !v.fallback && !v.draft
                    })
                })
                .map(|(_, x)| x)
                .collect();
            let alternates: Vec<Value> = own
                .iter()
                .map(|x| json!({"lang": x.code, "permalink": site.permalink(&x.code, &page.path)}))
                .collect();
            for x in own {
                let mut entry = json!({"permalink": site.permalink(&x.code, &page.path), "alternates": alternates});
                if let Some(u) = &updated {
                    entry["updated"] = json!(u);
                }
                entries.push(entry);
            }
        }
        entries
    }
}
