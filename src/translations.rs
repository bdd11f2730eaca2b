//! The translation report (`showcase check --translations`, issues 7 and 14): for every
//! language besides the default one and every kind, which published items have no
//! translation, which translations leave fields untranslated (the page shows the original's
//! text for them: a team's roles, tags...) and which translations are older than their
//! original, as a table for people and as CSV for translators' spreadsheets.
//!
//! "Older" is decided from the files' fields only, never from the clock, file times or git
//! (none of them survive a checkout): a translation is outdated when its original sets
//! `updated:` and the translation's own `updated:` is absent or earlier.
//!
//! Invariant: computed from a [`Site`] alone, no I/O; rows are sorted by language (site
//! order), kind, slug, so the same content gives the same report.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::content::{Item, Kind};
use crate::site::{Entry, Site, TextField};

/// Why an item shows up in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No published translation: the page shows another language's text.
    Missing,
    /// A translation that leaves fields with text untranslated: the page shows them in the
    /// original's language (marked with it).
    Partial,
    /// The original changed after the translation was last updated.
    Outdated,
}

impl Status {
    /// `missing`, `partial` or `outdated` (the CSV's `status`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Partial => "partial",
            Status::Outdated => "outdated",
        }
    }

    /// The word of the table: `missing`, `partly`, `outdated`.
    fn label(self) -> &'static str {
        match self {
            Status::Partial => "partly",
            other => other.name(),
        }
    }
}

/// One item that needs a translator in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The language of the translation.
    pub lang: String,
    /// Kind of item.
    pub kind: Kind,
    /// Slug (the same in every language).
    pub slug: String,
    /// Title in the default language.
    pub title: String,
    /// Missing or outdated.
    pub status: Status,
    /// The original file.
    pub original: PathBuf,
    /// The translation's file, or where to create it.
    pub translation: PathBuf,
    /// What is wrong, in words.
    pub reason: String,
    /// The fields the page shows in another language than `lang`, with that language: for
    /// a missing translation every field with text, for a partial one those it does not
    /// set; empty for an outdated one.
    pub fields: Vec<(TextField, String)>,
}

/// How far one language is with one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// Language.
    pub lang: String,
    /// Kind of item.
    pub kind: Kind,
    /// Published items of this kind.
    pub items: usize,
    /// Of them, with a published translation that translates every field the page shows.
    pub translated: usize,
    /// Of them, with a published translation that leaves some shown field untranslated.
    pub partial: usize,
    /// Of those with a translation (whole or partial), outdated.
    pub outdated: usize,
}

/// The whole report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The default language (the originals').
    pub default_language: String,
    /// The other languages, in site order.
    pub languages: Vec<String>,
    /// Per language (site order) and kind.
    pub counts: Vec<Count>,
    /// What needs work, sorted by language, kind and slug.
    pub rows: Vec<Row>,
}

/// The kinds in the order the report lists them.
const KINDS: [Kind; 6] = [
    Kind::Home,
    Kind::Project,
    Kind::Cohort,
    Kind::Demo,
    Kind::News,
    Kind::Page,
];

/// The report of `site` (its published items, as `build` would publish them).
pub fn report(site: &Site) -> Report {
    let config = &site.config;
    let mut out = Report {
        default_language: config.default_language().to_string(),
        languages: config.languages[1..]
            .iter()
            .map(|l| l.code.clone())
            .collect(),
        ..Report::default()
    };
    for (l, lang) in config.languages.iter().enumerate().skip(1) {
        let lang = &lang.code;
        for kind in KINDS {
            let mut entries: Vec<(usize, &Entry)> = site
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == kind)
                .collect();
            if entries.is_empty() {
                continue;
            }
            entries.sort_by(|a, b| a.1.slug.cmp(&b.1.slug));
            let mut count = Count {
                lang: lang.clone(),
                kind,
                items: entries.len(),
                translated: 0,
                partial: 0,
                outdated: 0,
            };
            for (id, e) in entries {
                let version = site.version(l, id);
                // What the page shows in another language, as far as people read it
                // (`extra` is the theme's business: it may hold no text at all).
                let fields: Vec<(TextField, String)> = version
                    .inherited
                    .iter()
                    .filter(|(f, _)| *f != TextField::Extra)
                    .cloned()
                    .collect();
                let row = |status, translation: PathBuf, reason: String, fields| Row {
                    lang: lang.clone(),
                    kind,
                    slug: e.slug.clone(),
                    title: e.original.meta.title.clone().unwrap_or_default(),
                    status,
                    original: e.original.path.clone(),
                    translation,
                    reason,
                    fields,
                };
                match e.translations.get(lang) {
                    Some(t) => {
                        if let Some(reason) = outdated(&e.original, t) {
                            count.outdated += 1;
                            out.rows.push(row(
                                Status::Outdated,
                                t.path.clone(),
                                reason,
                                Vec::new(),
                            ));
                        }
                        if fields.is_empty() {
                            count.translated += 1;
                        } else {
                            count.partial += 1;
                            let reason = untranslated(&fields);
                            out.rows
                                .push(row(Status::Partial, t.path.clone(), reason, fields));
                        }
                    }
                    None => {
                        let shown = &version.source_lang;
                        let (path, mut reason) = missing(site, &e.original.path, lang, shown);
                        // The fields the text shown does not translate either.
                        let other: Vec<(TextField, String)> =
                            fields.iter().filter(|(_, l)| l != shown).cloned().collect();
                        for lang in languages(&other) {
                            let names: Vec<&str> = other
                                .iter()
                                .filter(|(_, l)| l == lang)
                                .map(|(f, _)| f.words())
                                .collect();
                            let _ = write!(reason, "; in `{lang}`: {}", names.join(", "));
                        }
                        out.rows.push(row(Status::Missing, path, reason, fields));
                    }
                }
            }
            out.counts.push(count);
        }
    }
    out
}

/// Why `t` is older than `original`, if it is.
fn outdated(original: &Item, t: &Item) -> Option<String> {
    let changed = original.meta.updated?;
    match t.meta.updated {
        None => Some(format!(
            "the original was updated on {changed}; the translation has no `updated:`"
        )),
        Some(own) if own < changed => Some(format!(
            "the original was updated on {changed}, the translation on {own}"
        )),
        Some(_) => None,
    }
}

/// What a partial translation leaves untranslated, in words: "not translated: team names
/// and roles, tags; the page shows the `en` text".
fn untranslated(fields: &[(TextField, String)]) -> String {
    match languages(fields).as_slice() {
        [lang] => {
            let names: Vec<&str> = fields.iter().map(|(f, _)| f.words()).collect();
            format!(
                "not translated: {}; the page shows the `{lang}` text",
                names.join(", ")
            )
        }
        _ => format!("not translated: {}", in_languages(fields)),
    }
}

/// The languages of `fields`, sorted, once each.
fn languages(fields: &[(TextField, String)]) -> Vec<&str> {
    let mut langs: Vec<&str> = fields.iter().map(|(_, l)| l.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    langs
}

/// `fields` grouped by language: "team names and roles, tags in `en`; title in `ru`".
fn in_languages(fields: &[(TextField, String)]) -> String {
    languages(fields)
        .iter()
        .map(|lang| {
            let names: Vec<&str> = fields
                .iter()
                .filter(|(_, l)| l == lang)
                .map(|(f, _)| f.words())
                .collect();
            format!("{} in `{lang}`", names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Where the `lang` translation of `original` goes (`a.md` -> `a.kk.md`).
fn translation_path(original: &Path, lang: &str, ext: Option<&str>) -> PathBuf {
    let name = original
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, own_ext) = name.rsplit_once('.').unwrap_or((&name, "md"));
    original.with_file_name(format!("{stem}.{lang}.{}", ext.unwrap_or(own_ext)))
}

/// The file a missing translation would be, and why it is missing: none written, or written
/// but held back (a draft, an embargo).
fn missing(site: &Site, original: &Path, lang: &str, shown: &str) -> (PathBuf, String) {
    for ext in ["md", "yaml"] {
        let path = translation_path(original, lang, Some(ext));
        if let Some(h) = site.held_back.iter().find(|h| h.path == path) {
            let why = h.reason.as_status();
            return (
                path,
                format!("the translation is {why}; the page shows the `{shown}` text"),
            );
        }
    }
    (
        translation_path(original, lang, None),
        format!("no translation; the page shows the `{shown}` text"),
    )
}

impl Report {
    /// Whether nothing is missing or outdated.
    pub fn is_complete(&self) -> bool {
        self.rows.is_empty()
    }

    /// The report as a table grouped by language and kind, for the terminal.
    pub fn table(&self) -> String {
        let mut out = String::new();
        if self.languages.is_empty() {
            let _ = writeln!(
                out,
                "translations: the site has one language ({}); nothing to translate",
                self.default_language
            );
            return out;
        }
        let slug_width = self
            .rows
            .iter()
            .map(|r| r.slug.chars().count())
            .max()
            .unwrap_or(0);
        for (i, lang) in self.languages.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let counts: Vec<&Count> = self.counts.iter().filter(|c| c.lang == *lang).collect();
            let items: usize = counts.iter().map(|c| c.items).sum();
            let translated: usize = counts.iter().map(|c| c.translated).sum();
            let partial: usize = counts.iter().map(|c| c.partial).sum();
            let outdated: usize = counts.iter().map(|c| c.outdated).sum();
            let _ = writeln!(
                out,
                "{lang}: {translated} of {items} items translated, {partial} partly translated, {} missing, {outdated} outdated",
                items - translated - partial
            );
            for c in counts {
                let mut line = format!(
                    "  {:<8} {} of {} translated",
                    c.kind.name(),
                    c.translated,
                    c.items
                );
                if c.partial > 0 {
                    let _ = write!(line, ", {} partly translated", c.partial);
                }
                let missing = c.items - c.translated - c.partial;
                if missing > 0 {
                    let _ = write!(line, ", {missing} missing");
                }
                if c.outdated > 0 {
                    let _ = write!(line, ", {} outdated", c.outdated);
                }
                let _ = writeln!(out, "{line}");
                for r in self
                    .rows
                    .iter()
                    .filter(|r| r.lang == *lang && r.kind == c.kind)
                {
                    let _ = writeln!(
                        out,
                        "    {:<8}  {:<slug_width$}  {}: {}",
                        r.status.label(),
                        r.slug,
                        r.translation.display(),
                        r.reason
                    );
                }
            }
        }
        out
    }

    /// The rows as CSV (RFC 4180 quoting, `\n` line ends), with a header line:
    /// `lang,kind,slug,title,status,original,translation,reason,fields`; `fields` names the
    /// fields shown in another language, `;`-separated (`summary;tags`).
    pub fn csv(&self) -> String {
        let mut out =
            String::from("lang,kind,slug,title,status,original,translation,reason,fields\n");
        for r in &self.rows {
            let fields: Vec<&str> = r.fields.iter().map(|(f, _)| f.name()).collect();
            let fields = [
                r.lang.clone(),
                r.kind.name().to_string(),
                r.slug.clone(),
                r.title.clone(),
                r.status.name().to_string(),
                slashes(&r.original),
                slashes(&r.translation),
                r.reason.clone(),
                fields.join(";"),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        out
    }
}

/// A path with `/` separators on every system.
fn slashes(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// One CSV field: quoted when it holds a comma, a quote or a line break (quotes doubled).
/// A field that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is quoted and
/// prefixed with `'`, so that opening the file never runs anything.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with('\'') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::site::{load, BuildOptions};
    use crate::source::{Format, SourceFile, Sources};

    /// A site from (path, text) pairs of content files.
    fn site(files: &[(&str, &str)]) -> Site {
        let config = Config::parse(
            Path::new("."),
            "title: T\nlanguages: {ru: {}, kk: {}}\nareas: {telecom: Telecom}\n",
            None,
        )
        .unwrap();
        let content = files
            .iter()
            .enumerate()
            .map(|(i, (path, text))| {
                let rel = path.strip_prefix("content/").unwrap();
                let (section, file) = rel.split_once('/').unwrap_or(("", rel));
                let (stem, ext) = file.rsplit_once('.').unwrap();
                let (name, lang) = match stem.rsplit_once('.') {
                    Some((n, l)) => (n, Some(l.to_string())),
                    None => (stem, None),
                };
                SourceFile {
                    path: PathBuf::from(path),
                    section: section.to_string(),
                    name: name.to_string(),
                    lang,
                    format: if ext == "yaml" {
                        Format::Yaml
                    } else {
                        Format::Markdown
                    },
                    bundle: None,
                    text: (*text).into(),
                    serial: i as u64,
                }
            })
            .collect();
        let sources = Sources {
            content,
            ..Sources::default()
        };
        load(&sources, &config, &BuildOptions::default()).unwrap()
    }

    const COHORT: (&str, &str) = (
        "content/cohorts/c1.md",
        "---\ntitle: C1\nstart: 2025-01-01\nend: 2025-02-01\nupdated: 2025-03-01\n---\n",
    );

    fn project(slug: &str, extra: &str) -> (String, String) {
        (
            format!("content/projects/{slug}.md"),
            format!("---\ntitle: {slug}\nsummary: S\ncohort: c1\nareas: [telecom]\nstage: idea\ntrl: 1\n{extra}---\n"),
        )
    }

    #[test]
    fn missing_outdated_and_current_translations() {
        let one = project("one", "");
        let two = project("two", "updated: 2025-06-01\n");
        let three = project("three", "updated: 2025-06-01\n");
        let files = [
            COHORT,
            (
                "content/cohorts/c1.ru.md",
                "---\ntitle: К1\nupdated: 2025-03-01\n---\n",
            ),
            ("content/cohorts/c1.kk.md", "---\ntitle: Т1\n---\n"),
            (one.0.as_str(), one.1.as_str()),
            (two.0.as_str(), two.1.as_str()),
            (
                "content/projects/two.ru.md",
                "---\ntitle: Два\nsummary: С\nupdated: 2025-05-01\n---\n",
            ),
            (three.0.as_str(), three.1.as_str()),
            (
                "content/projects/three.ru.md",
                "---\ntitle: Три\nsummary: С\nupdated: 2025-06-01\n---\n",
            ),
            (
                "content/projects/three.kk.md",
                "---\ntitle: Үш\ndraft: true\n---\n",
            ),
        ];
        let r = report(&site(&files));
        let rows: Vec<(&str, &str, &str, &str)> = r
            .rows
            .iter()
            .map(|r| {
                (
                    r.lang.as_str(),
                    r.kind.name(),
                    r.slug.as_str(),
                    r.status.name(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("ru", "project", "one", "missing"),
                ("ru", "project", "two", "outdated"),
                ("kk", "project", "one", "missing"),
                ("kk", "project", "three", "missing"),
                ("kk", "project", "two", "missing"),
                ("kk", "cohort", "c1", "outdated"),
            ]
        );
        let find = |lang: &str, slug: &str| {
            r.rows
                .iter()
                .find(|r| r.lang == lang && r.slug == slug)
                .unwrap()
        };
        assert_eq!(
            find("ru", "two").reason,
            "the original was updated on 2025-06-01, the translation on 2025-05-01"
        );
        assert_eq!(
            find("kk", "c1").reason,
            "the original was updated on 2025-03-01; the translation has no `updated:`"
        );
        let one = find("kk", "one");
        assert_eq!(one.translation, PathBuf::from("content/projects/one.kk.md"));
        assert_eq!(one.reason, "no translation; the page shows the `en` text");
        let three = find("kk", "three");
        assert_eq!(
            three.reason,
            "the translation is a draft; the page shows the `ru` text"
        );
        assert_eq!(
            r.counts
                .iter()
                .map(|c| (
                    c.lang.as_str(),
                    c.kind.name(),
                    c.items,
                    c.translated,
                    c.outdated
                ))
                .collect::<Vec<_>>(),
            [
                ("ru", "project", 3, 2, 1),
                ("ru", "cohort", 1, 1, 0),
                ("kk", "project", 3, 0, 0),
                ("kk", "cohort", 1, 1, 1),
            ]
        );
        let table = r.table();
        assert!(
            table.starts_with("ru: 3 of 4 items translated, 0 partly translated, 1 missing, 1 outdated\n  project  2 of 3 translated, 1 missing, 1 outdated\n    missing   one    content/projects/one.ru.md: no translation; the page shows the `en` text\n"),
            "{table}"
        );
        assert!(
            table.contains(
                "\nkk: 1 of 4 items translated, 0 partly translated, 3 missing, 1 outdated\n"
            ),
            "{table}"
        );
    }

    #[test]
    fn a_translation_that_leaves_fields_untranslated_is_partial() {
        let full = project("full", "team: [{name: Aida, role: Engineer}]\n");
        let part = project(
            "part",
            "description: D\nteam: [{name: Aida, role: Engineer}]\n",
        );
        let files = [
            COHORT,
            (
                "content/cohorts/c1.ru.md",
                "---\ntitle: К1\nupdated: 2025-03-01\n---\nТекст.\n",
            ),
            (full.0.as_str(), full.1.as_str()),
            (
                "content/projects/full.ru.md",
                "---\ntitle: Полный\nsummary: С\nteam: [{name: Аида, role: Инженер}]\n---\n",
            ),
            (part.0.as_str(), part.1.as_str()),
            // Sets the title and the body only: the summary, description and team are the
            // original's.
            (
                "content/projects/part.ru.md",
                "---\ntitle: Часть\n---\nТекст.\n",
            ),
            (
                "content/news/2025-01-02-n.md",
                "---\ntitle: N\ntags: [drones, radio]\n---\nBody.\n",
            ),
            // No body: it inherits the original's, and says so.
            (
                "content/news/2025-01-02-n.ru.md",
                "---\ntitle: Н\ntags: [дроны]\n---\n",
            ),
        ];
        let site = site(&files);
        let r = report(&site);
        let ru: Vec<(&str, &str, Vec<&str>)> = r
            .rows
            .iter()
            .filter(|r| r.lang == "ru")
            .map(|r| {
                let fields = r.fields.iter().map(|(f, _)| f.name()).collect();
                (r.slug.as_str(), r.status.name(), fields)
            })
            .collect();
        assert_eq!(
            ru,
            [
                ("part", "partial", vec!["summary", "description", "team"]),
                ("n", "partial", vec!["body"]),
            ]
        );
        let part = r.rows.iter().find(|r| r.slug == "part").unwrap();
        assert_eq!(
            part.reason,
            "not translated: summary, description for search engines and link previews, team names and roles; the page shows the `en` text"
        );
        assert!(part.fields.iter().all(|(_, l)| l == "en"));
        let ru_counts: Vec<(&str, usize, usize, usize)> = r
            .counts
            .iter()
            .filter(|c| c.lang == "ru")
            .map(|c| (c.kind.name(), c.items, c.translated, c.partial))
            .collect();
        assert_eq!(
            ru_counts,
            [("project", 2, 1, 1), ("cohort", 1, 1, 0), ("news", 1, 0, 1)]
        );
        let table = r.table();
        assert!(
            table.starts_with("ru: 2 of 4 items translated, 2 partly translated, 0 missing, 0 outdated\n  project  1 of 2 translated, 1 partly translated\n    partly    part  content/projects/part.ru.md: not translated: summary, "),
            "{table}"
        );
        assert!(
            table.contains("    partly    n     content/news/2025-01-02-n.ru.md: not translated: text of the page; the page shows the `en` text\n"),
            "{table}"
        );
        // The same fields are what the page marks (`page.inherited`).
        let v = site.version(1, site.entries.iter().position(|e| e.slug == "n").unwrap());
        assert_eq!(v.inherited, [(TextField::Body, "en".to_string())]);
        assert_eq!(v.tags, ["дроны"]);
        // A missing translation lists every field with text, in the language shown.
        let kk_part = r
            .rows
            .iter()
            .find(|r| r.lang == "kk" && r.slug == "part")
            .unwrap();
        assert_eq!(kk_part.status, Status::Missing);
        let kk_fields: Vec<(&str, &str)> = kk_part
            .fields
            .iter()
            .map(|(f, l)| (f.name(), l.as_str()))
            .collect();
        assert_eq!(
            kk_fields,
            [
                ("title", "ru"),
                ("summary", "en"),
                ("description", "en"),
                ("body", "ru"),
                ("team", "en")
            ]
        );
        assert!(
            r.csv().contains(",summary;description;team\n"),
            "{}",
            r.csv()
        );
    }

    #[test]
    fn a_site_of_one_language_has_nothing_to_translate() {
        let r = Report {
            default_language: "en".into(),
            ..Report::default()
        };
        assert!(r.is_complete());
        assert_eq!(
            r.table(),
            "translations: the site has one language (en); nothing to translate\n"
        );
        assert_eq!(
            r.csv(),
            "lang,kind,slug,title,status,original,translation,reason,fields\n"
        );
    }

    #[test]
    fn translation_paths_keep_the_form_of_the_original() {
        let p = |s: &str, ext| translation_path(Path::new(s), "kk", ext);
        assert_eq!(
            p("content/projects/a.md", None),
            PathBuf::from("content/projects/a.kk.md")
        );
        assert_eq!(
            p("content/projects/a.yaml", None),
            PathBuf::from("content/projects/a.kk.yaml")
        );
        assert_eq!(
            p("content/projects/a/index.md", None),
            PathBuf::from("content/projects/a/index.kk.md")
        );
        assert_eq!(
            p("content/news/2025-01-02-x.md", Some("yaml")),
            PathBuf::from("content/news/2025-01-02-x.kk.yaml")
        );
        assert_eq!(
            p("content/_index.md", None),
            PathBuf::from("content/_index.kk.md")
        );
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        let r = Report {
            default_language: "en".into(),
            languages: vec!["kk".into()],
            counts: vec![],
            rows: vec![Row {
                lang: "kk".into(),
                kind: Kind::News,
                slug: "opening".into(),
                title: "Doors open, finally".into(),
                status: Status::Missing,
                original: PathBuf::from("content/news/2025-11-24-opening.md"),
                translation: PathBuf::from("content/news/2025-11-24-opening.kk.md"),
                reason: "no translation; the page shows the `ru` text".into(),
                fields: vec![(TextField::Title, "ru".into())],
            }],
        };
        assert_eq!(
            r.csv(),
            "lang,kind,slug,title,status,original,translation,reason,fields\nkk,news,opening,\"Doors open, finally\",missing,content/news/2025-11-24-opening.md,content/news/2025-11-24-opening.kk.md,no translation; the page shows the `ru` text,title\n"
        );
    }
}
