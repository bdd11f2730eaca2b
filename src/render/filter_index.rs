//! The filter index of `/projects/`: one compact JSON file per language
//! (`/projects/filter-index.json`, [`FILTER_INDEX_FILE`]) with what the theme's filters
//! need to count and show every project of the catalogue, whichever page of the list the
//! visitor is on. The list pages stay light (a page of cards each); the index is loaded
//! only when a visitor first picks a filter, as the search index is.
//!
//! Shape (version 1): `{"v": 1, "areas": [key...], "stages": [key...], "cohorts": [slug...],
//! "projects": [[title, slug, summary, stage, trl, cohort, [area...], logo, title_lang,
//! summary_lang]...]}`, the
//! projects in list order. `stage`, `cohort` and each `area` are positions in the lists
//! above (-1 for none); `trl` is 1 to 9 (0 for none); the project's page is `<slug>/`
//! relative to the index (the slug alone keeps the file small); `logo` is `[src, width, height, webp srcset]` or 0; `lang` is the language the
//! text is borrowed from when the project has no translation, else "". Names (of areas,
//! stages and cohorts) are those of the page's filter form: the index holds only keys.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::content::{Kind, STAGES};
use crate::site::pages::FILTER_INDEX_FILE;
use crate::site::{Site, TextField};

use super::search::IndexFile;

/// Version of the shape above: a theme's script checks it.
const VERSION: u32 = 1;

/// The filter index of every language: one file each, at the language's `/projects/`.
pub fn build(site: &Site) -> Vec<IndexFile> {
    let config = &site.config;
    let projects = site
        .order
        .get(&Kind::Project)
        .map_or(&[][..], Vec::as_slice);
    let cohorts = site.order.get(&Kind::Cohort).map_or(&[][..], Vec::as_slice);
    let area_keys: Vec<&str> = config.areas.keys().map(String::as_str).collect();
    let cohort_slugs: Vec<&str> = cohorts
        .iter()
        .map(|&c| site.entries[c].slug.as_str())
        .collect();
    // Positions by key: a site has hundreds of cohorts.
    let positions = |list: &[&str]| -> std::collections::HashMap<String, i64> {
        list.iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), i as i64))
            .collect()
    };
    let (area_at, cohort_at) = (positions(&area_keys), positions(&cohort_slugs));
    config
        .languages
        .iter()
        .enumerate()
        .map(|(l, lang)| {
            let rows: Vec<Value> = projects
                .iter()
                .map(|&id| {
                    let e = &site.entries[id];
                    let m = &e.original.meta;
                    let v = site.version(l, id);
                    let stage = m
                        .stage
                        .as_deref()
                        .and_then(|s| STAGES.iter().position(|x| *x == s))
                        .map_or(-1, |i| i as i64);
                    let cohort = site
                        .cohort_of
                        .get(&id)
                        .and_then(|&c| cohort_at.get(&site.entries[c].slug).copied())
                        .unwrap_or(-1);
                    let areas: Vec<i64> = m
                        .areas
                        .iter()
                        .flatten()
                        .filter_map(|a| area_at.get(a).copied())
                        .collect();
                    let logo = site.logos.get(&id).map_or(json!(0), |p| {
                        let pic = super::context::PictureValue::of(site, p);
                        let (w, h) = p.size.unwrap_or((0, 0));
                        json!([p.url, w, h, pic.thumbs()])
                    });
                    json!([
                        v.title,
                        e.slug,
                        v.summary.as_deref().unwrap_or(""),
                        stage,
                        m.trl.unwrap_or(0),
                        cohort,
                        areas,
                        logo,
                        v.lang_of(TextField::Title).unwrap_or(""),
                        v.lang_of(TextField::Summary).unwrap_or(""),
                    ])
                })
                .collect();
            let index = json!({
                "v": VERSION,
                "areas": area_keys,
                "stages": STAGES,
                "cohorts": cohort_slugs,
                "projects": rows,
            });
            let path = super::super::site::pages::output_file(
                config,
                &lang.code,
                &format!("/projects/{FILTER_INDEX_FILE}"),
            );
            IndexFile {
                path,
                // A map of plain values: this cannot fail.
                bytes: Arc::new(serde_json::to_vec(&index).unwrap_or_default()),
            }
        })
        .collect()
}
