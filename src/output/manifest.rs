//! The output's manifest: the marker file [`MARKER`](super::MARKER) (`.showcase-output`),
//! which marks a folder as written by showcase, also lists the item pages of that output, so
//! that the next build can say which items became public, left, moved or changed
//! ([`super::review`]).
//!
//! The file is one JSON document whose first key, `note`, says in words what the folder is
//! (a person opening the file reads that first; a script reads it with one parse, `jq
//! .pages`). One page per line, in page-list order, so that two manifests diff well.
//!
//! Invariant: it holds only what the output it marks already publishes: each item page's
//! URL, title, language and whether the page is a translation (the sitemap, the pages and
//! their language switchers show all of these), never a held-back item, an internal field,
//! or a file name (a file name that differs from the slug is not published: an item is
//! named by a digest of its kind and file name). Its one other value, a digest of the
//! fields and text each item's files give (`internal` and `publish_after` left out), only
//! tells whether those changed. A marker that is not such a document (the
//! plain-text marker of earlier versions, or a damaged one) still marks the folder as ours,
//! and gives no manifest.

use serde::{Deserialize, Serialize};

use crate::content::{Kind, Meta};
use crate::site::{Entry, PageKind, Site};

/// The manifest's format; a marker of another format is read as having no manifest.
pub const FORMAT: u32 = 1;

/// What the marker says to a person who opens it.
pub const NOTE: &str = "This folder is written by `showcase build`; it is replaced whole on every build. This file marks it as such and lists its item pages, for the next build's summary of what changed.";

/// The item pages of one output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The site's language codes, the default language first (the order reports use).
    pub languages: Vec<String>,
    /// Every page of an item (project, cohort, demo, news, page) in every language, in
    /// page-list order.
    pub pages: Vec<ItemPage>,
}

/// One item's page in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPage {
    /// `project`, `cohort`, `demo`, `news` or `page`.
    pub kind: String,
    /// The item's stable id: 16 hex digits of the BLAKE3 digest of its kind and file (or
    /// bundle) name without language and extension. It stays when the slug changes (so a
    /// changed slug is a move, not one item gone and another new) and does not publish the
    /// file name.
    pub id: String,
    /// The file (or bundle) name, known for the site being built only: never written.
    #[serde(skip)]
    pub name: Option<String>,
    /// Language code of the page.
    pub lang: String,
    /// The page's root-relative URL, as published (base path and language prefix
    /// included): `/ru/projects/kestrel-uav/`.
    pub url: String,
    /// The output file, relative to the output folder: `ru/projects/kestrel-uav/index.html`.
    pub file: String,
    /// The title the page shows.
    pub title: String,
    /// Whether the page's text is written in its language (the original in the default
    /// language, or a translation), rather than borrowed along the fallback chain.
    pub translated: bool,
    /// 16 hex digits of the BLAKE3 digest of what the item's own files say, in every
    /// language (see [`source_digest`]): when it is the same, a changed page of the item
    /// shows a change of something else (another item it lists, the theme).
    pub source: String,
    /// A draft shown by a `build --drafts` (never in a build without drafts).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
}

/// The stable id of the item of `kind` whose file name is `name` (see [`ItemPage::id`]).
pub fn item_id(kind: &str, name: &str) -> String {
    let digest = blake3::hash(format!("{kind}\0{name}").as_bytes());
    digest.to_hex()[..16].to_string()
}

/// A digest of what the files of `e` say: every field of the original and of each included
/// translation but `internal` (never published) and `publish_after` (not shown), and each
/// Markdown body. Read before the build forgets the bodies. It changes with the item's
/// files only (not with the items it names); a new version of showcase that reads a
/// field differently may change it once.
pub fn source_digest(e: &Entry) -> String {
    let mut h = blake3::Hasher::new();
    // One text of the fields, hashed at once (many small updates cost more).
    let mut text = String::new();
    let files = std::iter::once(("", &e.original))
        .chain(e.translations.iter().map(|(l, t)| (l.as_str(), t)));
    for (lang, item) in files {
        // Every field by name, so that a new field of `Meta` must be placed here or left
        // out on purpose (it does not compile otherwise).
        let Meta {
            title,
            date,
            updated,
            draft,
            publish_after: _,
            weight,
            summary,
            description,
            aliases,
            internal: _,
            extra,
            cohort,
            areas,
            stage,
            trl,
            team,
            links,
            logo,
            gallery,
            featured,
            start,
            end,
            start_time,
            end_time,
            track,
            venue,
            projects,
            video,
            tags,
        } = &item.meta;
        let fields = (
            (
                title,
                date,
                updated,
                draft,
                weight,
                summary,
                description,
                aliases,
            ),
            (extra, cohort, areas, stage, trl, team, links, logo, gallery),
            (
                featured, start, end, start_time, end_time, track, venue, projects,
            ),
            (video, tags),
        );
        // The language and the body with their lengths, then the fields, then a NUL that
        // no Debug text holds: no two different items hash alike.
        for part in [lang, &item.body] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        text.clear();
        // Writing into a string cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{fields:?}"));
        h.update(text.as_bytes());
        h.update(b"\0");
    }
    h.finalize().to_hex()[..16].to_string()
}

impl Manifest {
    /// The item pages `site` publishes, from its page list (home and section intros are
    /// not items: their pages are lists). Made before the bodies are forgotten
    /// ([`Site::forget_markdown`]).
    pub fn of(site: &Site) -> Manifest {
        use rayon::prelude::*;
        // Only the pages' items (not the intros), each once, on every core.
        let digests: Vec<Option<String>> = site
            .entries
            .par_iter()
            .map(|e| (e.kind != Kind::Home).then(|| source_digest(e)))
            .collect();
        let pages = site
            .pages
            .iter()
            .filter_map(|p| {
                let PageKind::Item(id) = p.kind else {
                    return None;
                };
                let e = &site.entries[id];
                if e.kind == Kind::Home {
                    return None;
                }
                let v = site.version(p.lang, id);
                let source = digests[id].clone().unwrap_or_default();
                Some(ItemPage {
                    kind: e.kind.name().to_string(),
                    id: item_id(e.kind.name(), &e.original.name),
                    name: Some(e.original.name.clone()),
                    lang: site.config.languages[p.lang].code.clone(),
                    url: v.url.clone(),
                    file: p.file.clone(),
                    title: v.title.clone(),
                    translated: !v.fallback,
                    source,
                    draft: v.draft,
                })
            })
            .collect();
        Manifest {
            languages: site
                .config
                .languages
                .iter()
                .map(|l| l.code.clone())
                .collect(),
            pages,
        }
    }

    /// The marker file's bytes: `{"note": …, "format": 1, "languages": […], "pages": [` then
    /// one page a line, then `]}`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let head = serde_json::json!({"note": NOTE, "format": FORMAT, "languages": self.languages});
        let mut text = head.to_string();
        // The head is an object: open its last member, the page list, by hand.
        text.pop();
        text.push_str(",\"pages\":[");
        for (i, p) in self.pages.iter().enumerate() {
            text.push_str(if i == 0 { "\n" } else { ",\n" });
            // A struct of strings and bools always serialises.
            text.push_str(&serde_json::to_string(p).unwrap_or_default());
        }
        text.push_str("\n]}\n");
        text.into_bytes()
    }

    /// Reads a marker file: `None` for a marker without a manifest (plain text, another
    /// format, or damaged).
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        #[derive(Deserialize)]
        struct Doc {
            format: u32,
            languages: Vec<String>,
            pages: Vec<ItemPage>,
        }
        let doc: Doc = serde_json::from_slice(bytes).ok()?;
        (doc.format == FORMAT).then_some(Manifest {
            languages: doc.languages,
            pages: doc.pages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(kind: &str, name: &str, lang: &str, title: &str) -> ItemPage {
        ItemPage {
            kind: kind.into(),
            id: item_id(kind, name),
            name: Some(name.into()),
            lang: lang.into(),
            url: format!("/{lang}/public-slug/"),
            file: format!("{lang}/public-slug/index.html"),
            title: title.into(),
            translated: lang == "en",
            source: "0".repeat(16),
            draft: false,
        }
    }

    #[test]
    fn reads_what_it_writes_without_the_file_names() {
        let m = Manifest {
            languages: vec!["en".into(), "ru".into()],
            pages: vec![
                page("project", "secret-codename", "en", "Say \"hi\"\nnow"),
                page("project", "secret-codename", "ru", "Скажи"),
            ],
        };
        let bytes = m.to_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("{\"note\":\"This folder is written by `showcase build`"));
        assert!(!text.contains("secret-codename"), "{text}");
        assert_eq!(text.lines().count(), 4, "one page a line: {text}");
        let back = Manifest::parse(&bytes).unwrap();
        assert_eq!(back.languages, m.languages);
        assert_eq!(back.pages.len(), 2);
        assert_eq!(back.pages[0].title, "Say \"hi\"\nnow");
        assert_eq!(back.pages[0].name, None);
        assert_eq!(back.pages[0].id, m.pages[0].id);
    }

    #[test]
    fn an_old_or_damaged_marker_has_no_manifest() {
        let old =
            b"This folder is written by `showcase build`; it is replaced whole on every build.\n";
        assert_eq!(Manifest::parse(old), None);
        assert_eq!(
            Manifest::parse(b"{\"format\": 99, \"languages\": [], \"pages\": []}"),
            None
        );
        assert_eq!(
            Manifest::parse(b"{\"note\": \"x\", \"pages\": [{\"kind\": 1}]}"),
            None
        );
        assert_eq!(Manifest::parse(b""), None);
    }

    #[test]
    fn ids_are_stable_and_depend_on_kind_and_name() {
        assert_eq!(item_id("project", "a"), item_id("project", "a"));
        assert_ne!(item_id("project", "a"), item_id("news", "a"));
        assert_ne!(item_id("project", "a"), item_id("project", "b"));
        assert_eq!(item_id("project", "a").len(), 16);
        // Fixed across builds and versions: the digest of the bytes `project\0a`.
        assert_eq!(
            item_id("project", "a"),
            blake3::hash(b"project\0a").to_hex()[..16]
        );
    }
}
