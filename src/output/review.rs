//! The review before publishing: what a build changed for the public, from the previous
//! output's manifest, the new one, and what the writer found of each file. `build` prints it
//! after its last line, for the people who review what goes out before they upload it, and
//! puts it in its `--format json` document, for CI.
//!
//! Invariant: pure (no I/O). What it reports is exact for files (the writer compares every
//! file with the previous output's, byte for byte) and for items as far as the previous
//! manifest names them; an output written without a manifest (by an earlier version) gives
//! files only.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde::Serialize;

use super::manifest::{ItemPage, Manifest};

/// What the writer found of one file of the new output, compared with the previous output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// The previous output had no file at this path.
    Added,
    /// The previous output's file has other bytes.
    Changed,
    /// The same bytes.
    Unchanged,
}

/// The files of a build, compared with the previous output's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileChanges {
    /// Every file of the new output but the marker, by path relative to the output folder
    /// (`/`-separated), with what the writer found.
    pub files: BTreeMap<String, FileStatus>,
    /// The files of the previous output (its marker left out) the new one does not have.
    pub removed: BTreeSet<String>,
}

/// What a build changed for the public since the output it replaced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Whether items could be named: `false` when the previous output kept no manifest
    /// (written by an earlier version); the item lists are then empty and every page is
    /// counted in `pages`.
    pub items_known: bool,
    /// Items that became public (first published, or no longer a draft or embargoed).
    pub new: Vec<ItemChange>,
    /// Items that left (deleted, or now a draft or embargoed).
    pub removed: Vec<ItemChange>,
    /// Items whose address changed (a new slug), in the languages where it did.
    pub moved: Vec<Moved>,
    /// Pages that are now written in their language (a new translation).
    pub translations_added: Vec<Translation>,
    /// Pages that were written in their language and are not any more (the translation was
    /// deleted or made a draft: the page now borrows another language's text, or is gone).
    pub translations_removed: Vec<Translation>,
    /// Items whose files changed (their fields or text) and whose pages changed with them,
    /// at the same address.
    pub edited: Vec<ItemChange>,
    /// Items whose files did not change but whose pages did: they show something that
    /// changed elsewhere (a cohort's page lists its projects, a body links to a page that
    /// moved), or the theme changed.
    pub affected: Vec<ItemChange>,
    /// The other HTML pages (lists, the home page, redirects, not-found pages), by output
    /// path.
    pub pages: Paths,
    /// Every other file (feeds, the sitemap, the search index, images, the theme's files).
    pub files: Paths,
    /// Files of the new output with the same bytes as before.
    pub unchanged: usize,
}

/// Output paths (relative to the output folder) by what happened to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Paths {
    /// Files the previous output did not have.
    pub added: Vec<String>,
    /// Files with other bytes.
    pub changed: Vec<String>,
    /// Files of the previous output that are gone.
    pub removed: Vec<String>,
}

impl Paths {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// `14 changed, 2 new, 1 removed`, leaving out the zeros.
    fn counts(&self) -> String {
        [
            (self.changed.len(), "changed"),
            (self.added.len(), "new"),
            (self.removed.len(), "removed"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// One item in a list of [`Changes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    /// `project`, `cohort`, `demo`, `news` or `page`.
    pub kind: String,
    /// The stable id of the manifest ([`ItemPage::id`]).
    pub id: String,
    /// The item's file name without language and extension, when the item is in the site
    /// being built (`null` for an item that left: the previous output does not publish it).
    pub name: Option<String>,
    /// Its title in the first language listed (for an item that left, as it was).
    pub title: String,
    /// The title it had before, when that changed (`edited` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_title: Option<String>,
    /// A draft in a `build --drafts`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// The languages it is written in (`new`, `removed`), or whose page changed (`edited`,
    /// `affected`).
    pub languages: Vec<String>,
    /// Its pages: every language's (`new`, `removed`), or the changed ones (`edited`,
    /// `affected`).
    pub pages: Vec<Link>,
}

/// A page of an item in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Language code.
    pub lang: String,
    /// Root-relative URL, as published.
    pub url: String,
}

/// An item whose address changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    /// Kind of item.
    pub kind: String,
    /// Stable id.
    pub id: String,
    /// File name, as in [`ItemChange::name`].
    pub name: Option<String>,
    /// Its title now.
    pub title: String,
    /// The old addresses, in the languages that moved.
    pub from: Vec<Link>,
    /// The new ones, in the same languages.
    pub to: Vec<Link>,
}

/// A translation that appeared or went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Translation {
    /// Kind of item.
    pub kind: String,
    /// Stable id.
    pub id: String,
    /// File name, as in [`ItemChange::name`].
    pub name: Option<String>,
    /// The page's title (of the new page for an added translation, of the old one for a
    /// removed one).
    pub title: String,
    /// Its language.
    pub lang: String,
    /// The page's URL.
    pub url: String,
    /// For a removed translation: whether the page is still there, with another
    /// language's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub falls_back: Option<bool>,
}

/// The pages of one item, by language.
type Pages<'a> = IndexMap<&'a str, &'a ItemPage>;

/// The pages of every item of `m` by (kind, id), in manifest order.
fn by_item(m: &Manifest) -> IndexMap<(&str, &str), Pages<'_>> {
    let mut items: IndexMap<(&str, &str), Pages<'_>> = IndexMap::new();
    for p in &m.pages {
        items
            .entry((p.kind.as_str(), p.id.as_str()))
            .or_default()
            .insert(p.lang.as_str(), p);
    }
    items
}

/// The first page of `pages` in the order of `languages` (the default language first).
fn first<'a>(pages: &Pages<'a>, languages: &[String]) -> Option<&'a ItemPage> {
    languages
        .iter()
        .find_map(|l| pages.get(l.as_str()).copied())
        .or_else(|| pages.values().next().copied())
}

/// `pages` sorted by `languages` (others after, as they come).
fn ordered<'a>(pages: &Pages<'a>, languages: &[String]) -> Vec<&'a ItemPage> {
    let rank = |l: &str| languages.iter().position(|x| x == l).unwrap_or(usize::MAX);
    let mut v: Vec<&ItemPage> = pages.values().copied().collect();
    v.sort_by_key(|p| rank(&p.lang));
    v
}

fn link(p: &ItemPage) -> Link {
    Link {
        lang: p.lang.clone(),
        url: p.url.clone(),
    }
}

/// An item with all its pages (`new`, `removed`).
fn whole(pages: &Pages<'_>, languages: &[String]) -> Option<ItemChange> {
    let head = first(pages, languages)?;
    let all = ordered(pages, languages);
    Some(ItemChange {
        kind: head.kind.clone(),
        id: head.id.clone(),
        name: head.name.clone(),
        title: head.title.clone(),
        old_title: None,
        draft: head.draft,
        languages: all
            .iter()
            .filter(|p| p.translated)
            .map(|p| p.lang.clone())
            .collect(),
        pages: all.iter().map(|p| link(p)).collect(),
    })
}

/// What changed between the output described by `old` (`None`: an output whose marker
/// has no manifest) and the one described by `new`, whose files the writer compared
/// (`files`). Items are listed in manifest order (the page list's: by kind, then as the
/// site orders them); paths sorted.
pub fn changes(old: Option<&Manifest>, new: &Manifest, files: &FileChanges) -> Changes {
    let mut c = Changes {
        items_known: old.is_some(),
        unchanged: files
            .files
            .values()
            .filter(|s| **s == FileStatus::Unchanged)
            .count(),
        ..Changes::default()
    };
    // The files of item pages, which the item lists stand for; without an old manifest,
    // every page is only a page.
    let mut item_files: BTreeSet<&str> = BTreeSet::new();
    if let Some(old) = old {
        item_files.extend(old.pages.iter().map(|p| p.file.as_str()));
        item_files.extend(new.pages.iter().map(|p| p.file.as_str()));
        compare_items(old, new, &files.files, &mut c);
    }
    for (path, status) in &files.files {
        if !item_files.contains(path.as_str()) {
            let p = c.other(path);
            match status {
                FileStatus::Added => p.added.push(path.clone()),
                FileStatus::Changed => p.changed.push(path.clone()),
                FileStatus::Unchanged => {}
            }
        }
    }
    for path in &files.removed {
        if !item_files.contains(path.as_str()) {
            c.other(path).removed.push(path.clone());
        }
    }
    c
}

/// Fills the item lists of `c`.
fn compare_items(
    old: &Manifest,
    new: &Manifest,
    status: &BTreeMap<String, FileStatus>,
    c: &mut Changes,
) {
    let languages = &new.languages;
    let old_items = by_item(old);
    let new_items = by_item(new);
    for (key, now) in &new_items {
        let Some(was) = old_items.get(key) else {
            c.new.extend(whole(now, languages));
            continue;
        };
        let Some(head) = first(now, languages) else {
            continue;
        };
        let mut from = Vec::new();
        let mut to = Vec::new();
        let mut edited = Vec::new();
        let langs: Vec<&str> = {
            let mut seen: IndexMap<&str, ()> = IndexMap::new();
            for p in ordered(now, languages)
                .into_iter()
                .chain(ordered(was, languages))
            {
                seen.insert(p.lang.as_str(), ());
            }
            seen.into_keys().collect()
        };
        for lang in langs {
            let (a, b) = (was.get(lang).copied(), now.get(lang).copied());
            let translation = |p: &ItemPage, falls_back: Option<bool>| Translation {
                kind: p.kind.clone(),
                id: p.id.clone(),
                name: head.name.clone(),
                title: p.title.clone(),
                lang: p.lang.clone(),
                url: p.url.clone(),
                falls_back,
            };
            let was_written = a.is_some_and(|p| p.translated);
            let is_written = b.is_some_and(|p| p.translated);
            match (a, b) {
                (_, Some(b)) if is_written && !was_written => {
                    c.translations_added.push(translation(b, None));
                }
                (Some(a), _) if was_written && !is_written => {
                    c.translations_removed
                        .push(translation(a, Some(b.is_some())));
                }
                (Some(a), Some(b)) if a.url != b.url => {
                    from.push(link(a));
                    to.push(link(b));
                }
                (Some(_), Some(b)) => {
                    if status.get(&b.file) == Some(&FileStatus::Changed) {
                        edited.push(b);
                    }
                }
                // A language's page (borrowing another's text) that came or went with the
                // site's languages.
                (None, Some(b)) => edited.push(b),
                (Some(a), None) => edited.push(a),
                (None, None) => {}
            }
        }
        if !from.is_empty() {
            c.moved.push(Moved {
                kind: head.kind.clone(),
                id: head.id.clone(),
                name: head.name.clone(),
                title: head.title.clone(),
                from,
                to,
            });
        }
        let before = first(was, languages);
        let old_title = before
            .filter(|p| p.lang == head.lang && p.title != head.title)
            .map(|p| p.title.clone());
        if edited.is_empty() && old_title.is_none() {
            continue;
        }
        let own = before.is_some_and(|p| p.source != head.source);
        let change = ItemChange {
            kind: head.kind.clone(),
            id: head.id.clone(),
            name: head.name.clone(),
            title: head.title.clone(),
            old_title,
            draft: head.draft,
            languages: edited.iter().map(|p| p.lang.clone()).collect(),
            pages: edited.iter().map(|p| link(p)).collect(),
        };
        // A changed title is the item's own change, whatever its digest says.
        if own || change.old_title.is_some() {
            c.edited.push(change);
        } else {
            c.affected.push(change);
        }
    }
    let old_languages = &old.languages;
    for (key, was) in &old_items {
        if !new_items.contains_key(key) {
            c.removed.extend(whole(was, old_languages));
        }
    }
}

/// Bidirectional controls (Unicode's Trojan Source set): they reorder what a terminal
/// shows, so a title could make a line read as something else.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` safe to print on one terminal line: control and bidirectional characters escaped
/// (`\n`, `\u{1b}`, `\u{202e}`).
fn shown(s: &str) -> String {
    crate::error::printable(s)
        .chars()
        .flat_map(|c| match is_bidi_control(c) {
            true => c.escape_unicode().collect::<Vec<_>>(),
            false => vec![c],
        })
        .collect()
}

/// A title in double quotes, its own quotes and backslashes escaped: `"Say \"hi\""`.
fn quoted(title: &str) -> String {
    format!(
        "\"{}\"",
        shown(&title.replace('\\', "\\\\").replace('"', "\\\""))
    )
}

impl Changes {
    /// The list a file that is not an item page goes in: `pages` for HTML, else `files`.
    fn other(&mut self, path: &str) -> &mut Paths {
        if path.ends_with(".html") {
            &mut self.pages
        } else {
            &mut self.files
        }
    }

    /// Whether the new output is the same, file for file and byte for byte, as the one it
    /// replaced.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
            && self.files.is_empty()
            && self.new.is_empty()
            && self.removed.is_empty()
            && self.moved.is_empty()
            && self.translations_added.is_empty()
            && self.translations_removed.is_empty()
            && self.edited.is_empty()
            && self.affected.is_empty()
    }

    /// The summary for people, one line each, the first without indent: what became public,
    /// what left, what moved, translations, edited items (at most `cap` of these lines, then
    /// how many more), then counts of the other pages and files.
    pub fn lines(&self, cap: usize) -> Vec<String> {
        if self.is_empty() {
            return vec![
                "no changes for the public: the output is the same as the last build's".into(),
            ];
        }
        let mut out = vec![if self.items_known {
            "changes for the public since the last build:".to_string()
        } else {
            "changes for the public since the last build (it kept no list of its items, so items cannot be named; the next build will):".to_string()
        }];
        let langs = |v: &[String]| match v.len() {
            0 => String::new(),
            _ => format!(" ({})", v.join(", ")),
        };
        let url = |pages: &[Link]| {
            pages
                .first()
                .map_or(String::new(), |l| format!(" {}", shown(&l.url)))
        };
        let draft = |d: bool| if d { " (draft)" } else { "" };
        let mut items = Vec::new();
        for i in &self.new {
            items.push(format!(
                "  new: {} {}{}{}{}",
                i.kind,
                quoted(&i.title),
                url(&i.pages),
                langs(&i.languages),
                draft(i.draft)
            ));
        }
        for i in &self.removed {
            items.push(format!(
                "  removed: {} {}{}{}",
                i.kind,
                quoted(&i.title),
                url(&i.pages),
                langs(&i.languages)
            ));
        }
        for m in &self.moved {
            let (Some(a), Some(b)) = (m.from.first(), m.to.first()) else {
                continue;
            };
            items.push(format!(
                "  moved: {} {} {} → {}",
                m.kind,
                quoted(&m.title),
                shown(&a.url),
                shown(&b.url)
            ));
        }
        for t in &self.translations_added {
            items.push(format!(
                "  new translation: {} {} {} ({})",
                t.kind,
                quoted(&t.title),
                shown(&t.url),
                shown(&t.lang)
            ));
        }
        for t in &self.translations_removed {
            let then = if t.falls_back == Some(true) {
                ", the page now shows another language's text"
            } else {
                ""
            };
            items.push(format!(
                "  translation removed: {} {} {} ({}{then})",
                t.kind,
                quoted(&t.title),
                shown(&t.url),
                shown(&t.lang)
            ));
        }
        for i in &self.edited {
            let was = i
                .old_title
                .as_ref()
                .map_or(String::new(), |t| format!(" (was {})", quoted(t)));
            items.push(format!(
                "  edited: {} {}{was}{}{}",
                i.kind,
                quoted(&i.title),
                url(&i.pages),
                langs(&i.languages)
            ));
        }
        let more = items.len().saturating_sub(cap);
        out.extend(items.into_iter().take(cap));
        if more > 0 {
            out.push(format!(
                "  and {more} more: `showcase build --format json` lists them all"
            ));
        }
        if !self.affected.is_empty() {
            let n: usize = self.affected.iter().map(|i| i.pages.len()).sum();
            out.push(format!(
                "  pages of items not edited: {n} changed (they show other changes)"
            ));
        }
        let pages = if self.items_known {
            "other pages"
        } else {
            "pages"
        };
        if !self.pages.is_empty() {
            out.push(format!("  {pages}: {}", self.pages.counts()));
        }
        if !self.files.is_empty() {
            out.push(format!("  other files: {}", self.files.counts()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::manifest::item_id;
    use FileStatus::*;

    /// A page of item `name` (kind project unless `kind/name`), at `/{lang prefix}/{slug}/`.
    fn page(item: &str, slug: &str, lang: &str, title: &str, translated: bool) -> ItemPage {
        let (kind, name) = item.split_once('/').unwrap_or(("project", item));
        let prefix = if lang == "en" {
            String::new()
        } else {
            format!("/{lang}")
        };
        let url = format!("{prefix}/projects/{slug}/");
        ItemPage {
            kind: kind.into(),
            id: item_id(kind, name),
            name: Some(name.into()),
            lang: lang.into(),
            file: format!("{}index.html", url.trim_start_matches('/')),
            url,
            title: title.into(),
            translated,
            source: item_id("text", title),
            draft: false,
        }
    }

    fn manifest(pages: Vec<ItemPage>) -> Manifest {
        Manifest {
            languages: vec!["en".into(), "ru".into()],
            pages,
        }
    }

    /// The old manifest as read from disk: without names.
    fn read_back(m: Manifest) -> Manifest {
        Manifest::parse(&m.to_bytes()).unwrap()
    }

    fn files(list: &[(&str, FileStatus)], removed: &[&str]) -> FileChanges {
        FileChanges {
            files: list.iter().map(|(p, s)| (p.to_string(), *s)).collect(),
            removed: removed.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn names_items_that_came_left_moved_and_changed() {
        let old = read_back(manifest(vec![
            page("a", "a", "en", "Alpha", true),
            page("a", "a", "ru", "Alpha", false),
            page("gone", "gone", "en", "Gone", true),
            page("gone", "gone", "ru", "Ушёл", true),
            page("slugged", "old-slug", "en", "Slugged", true),
            page("slugged", "old-slug", "ru", "Slugged", false),
            page("tr", "tr", "en", "Tr", true),
            page("tr", "tr", "ru", "Тр", true),
            page("same", "same", "en", "Same", true),
        ]));
        let new = manifest(vec![
            page("a", "a", "en", "Alpha 2", true),
            page("a", "a", "ru", "Альфа", true),
            page("fresh", "fresh", "en", "Fresh", true),
            page("fresh", "fresh", "ru", "Fresh", false),
            page("slugged", "new-slug", "en", "Slugged", true),
            page("slugged", "new-slug", "ru", "Slugged", false),
            page("tr", "tr", "en", "Tr", true),
            page("tr", "tr", "ru", "Tr", false),
            page("same", "same", "en", "Same", true),
        ]);
        let f = files(
            &[
                ("projects/a/index.html", Changed),
                ("ru/projects/a/index.html", Changed),
                ("projects/fresh/index.html", Added),
                ("ru/projects/fresh/index.html", Added),
                ("projects/new-slug/index.html", Added),
                ("ru/projects/new-slug/index.html", Added),
                ("projects/tr/index.html", Unchanged),
                ("ru/projects/tr/index.html", Changed),
                ("projects/same/index.html", Changed),
                ("projects/index.html", Changed),
                ("projects/page/2/index.html", Added),
                ("sitemap.xml", Changed),
                ("style.css", Unchanged),
            ],
            &[
                "projects/gone/index.html",
                "ru/projects/gone/index.html",
                "projects/old-slug/index.html",
                "ru/projects/old-slug/index.html",
                "projects/gone/logo.png",
            ],
        );
        let c = changes(Some(&old), &new, &f);
        assert_eq!(
            c.lines(20),
            [
                "changes for the public since the last build:",
                "  new: project \"Fresh\" /projects/fresh/ (en)",
                "  removed: project \"Gone\" /projects/gone/ (en, ru)",
                "  moved: project \"Slugged\" /projects/old-slug/ → /projects/new-slug/",
                "  new translation: project \"Альфа\" /ru/projects/a/ (ru)",
                "  translation removed: project \"Тр\" /ru/projects/tr/ (ru, the page now shows another language's text)",
                "  edited: project \"Alpha 2\" (was \"Alpha\") /projects/a/ (en)",
                "  pages of items not edited: 1 changed (they show other changes)",
                "  other pages: 1 changed, 1 new",
                "  other files: 1 changed, 1 removed",
            ]
        );
        assert_eq!(c.new[0].name.as_deref(), Some("fresh"));
        assert_eq!(c.removed[0].name, None, "the old manifest has no names");
        assert_eq!(c.moved[0].from.len(), 2, "both languages moved");
        assert_eq!(c.unchanged, 2);
        assert_eq!(c.affected[0].pages[0].url, "/projects/same/");
        assert_eq!(c.files.removed, ["projects/gone/logo.png"]);
        assert_eq!(c.pages.added, ["projects/page/2/index.html"]);
    }

    #[test]
    fn the_same_output_is_no_change() {
        let m = manifest(vec![page("a", "a", "en", "A", true)]);
        let f = files(
            &[("projects/a/index.html", Unchanged), ("x.css", Unchanged)],
            &[],
        );
        let c = changes(Some(&read_back(m.clone())), &m, &f);
        assert!(c.is_empty());
        assert_eq!(
            c.lines(20),
            ["no changes for the public: the output is the same as the last build's"]
        );
        assert_eq!(c.unchanged, 2);
    }

    #[test]
    fn without_an_old_manifest_only_files_are_counted() {
        let new = manifest(vec![page("a", "a", "en", "A", true)]);
        let f = files(
            &[
                ("projects/a/index.html", Added),
                ("index.html", Changed),
                ("a.css", Changed),
            ],
            &["projects/b/index.html", "b.png"],
        );
        let c = changes(None, &new, &f);
        assert!(!c.items_known && c.new.is_empty());
        assert_eq!(
            c.lines(20),
            [
                "changes for the public since the last build (it kept no list of its items, so items cannot be named; the next build will):",
                "  pages: 1 changed, 1 new, 1 removed",
                "  other files: 1 changed, 1 removed",
            ]
        );
    }

    #[test]
    fn long_lists_are_cut_and_point_at_the_json() {
        let new = manifest(
            (0..25)
                .map(|i| page(&format!("p{i}"), &format!("p{i}"), "en", "P", true))
                .collect(),
        );
        let c = changes(Some(&Manifest::default()), &new, &FileChanges::default());
        let lines = c.lines(20);
        assert_eq!(lines.len(), 22);
        assert_eq!(
            lines[21],
            "  and 5 more: `showcase build --format json` lists them all"
        );
        assert_eq!(c.new.len(), 25);
    }

    #[test]
    fn titles_cannot_break_or_fake_a_line() {
        let old = read_back(manifest(vec![page(
            "x",
            "x",
            "en",
            "Evil\n  removed: project \"All\"\u{1b}[2J\u{202e}txt.exe",
            true,
        )]));
        let new = manifest(vec![page("y", "y", "en", "Say \"hi\" \\o/", true)]);
        let c = changes(Some(&old), &new, &FileChanges::default());
        assert_eq!(
            c.lines(20),
            [
                "changes for the public since the last build:",
                "  new: project \"Say \\\"hi\\\" \\\\o/\" /projects/y/ (en)",
                "  removed: project \"Evil\\n  removed: project \\\"All\\\"\\u{1b}[2J\\u{202e}txt.exe\" /projects/x/ (en)",
            ]
        );
        // The JSON keeps the title as it is.
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["new"][0]["title"], "Say \"hi\" \\o/");
    }

    #[test]
    fn a_language_added_to_the_site_affects_its_items() {
        let old = read_back(Manifest {
            languages: vec!["en".into()],
            pages: vec![page("a", "a", "en", "A", true)],
        });
        let new = manifest(vec![
            page("a", "a", "en", "A", true),
            page("a", "a", "ru", "A", false),
        ]);
        let f = files(
            &[
                ("projects/a/index.html", Changed),
                ("ru/projects/a/index.html", Added),
            ],
            &[],
        );
        let c = changes(Some(&old), &new, &f);
        assert!(c.edited.is_empty());
        assert_eq!(c.affected[0].languages, ["en", "ru"]);
        assert!(c.translations_added.is_empty());
    }
}
