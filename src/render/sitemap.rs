//! The sitemap's entries: every published page with its languages.

use serde_json::{json, Value};

use crate::content::Kind;
use crate::site::{item_path, ItemId};

use super::Builder;

impl Builder<'_> {
    pub(super) fn sitemap_entries(&self) -> Vec<Value> {
        let site = self.site;
        let config = self.config();
        let mut paths: Vec<(String, Option<ItemId>)> = [
            "/",
            "/projects/",
            "/cohorts/",
            "/demos/",
            "/news/",
            "/areas/",
        ]
        .iter()
        .map(|p| (p.to_string(), None))
        .collect();
        for (id, e) in site.entries.iter().enumerate() {
            if e.kind != Kind::Home {
                paths.push((item_path(e.kind, &e.slug), Some(id)));
            }
        }
        paths.extend(config.areas.keys().map(|k| (format!("/areas/{k}/"), None)));
        if self.has_stage_pages {
            // An empty stage page exists (its links stay valid) but is not worth indexing.
            let projects = self.sorted(Kind::Project);
            paths.extend(
                self.stage_terms(0, &projects)
                    .iter()
                    .filter(|t| t["count"].as_u64().unwrap_or(0) > 0)
                    .filter_map(|t| t["key"].as_str())
                    .map(|s| (format!("/stages/{s}/"), None)),
            );
        }
        let mut entries = Vec::new();
        for (path, id) in &paths {
            let updated = id.and_then(|id| {
                let m = &site.entries[id].original.meta;
                m.updated.or(m.date).map(|d| d.to_string())
            });
            // A page filled from another language is not canonical: neither listed nor an
            // alternate (issue 7).
            let own: Vec<&crate::config::Language> = config
                .languages
                .iter()
                .enumerate()
                .filter(|(l, _)| id.is_none_or(|id| !site.version(*l, id).fallback))
                .map(|(_, x)| x)
                .collect();
            let alternates: Vec<Value> = own
                .iter()
                .map(|x| json!({"lang": x.code, "permalink": site.permalink(&x.code, path)}))
                .collect();
            for x in own {
                let mut entry =
                    json!({"permalink": site.permalink(&x.code, path), "alternates": alternates});
                if let Some(u) = &updated {
                    entry["updated"] = json!(u);
                }
                entries.push(entry);
            }
        }
        entries
    }
}
