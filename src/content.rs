//! Typed content: splits a [`SourceFile`] into front matter and body, deserializes the fields
//! and checks each one on its own (types, enums, ranges, lengths, URL schemes, dates).
//! Rules that need other items (references, duplicates, links) live in [`crate::site`].
//!
//! Invariant: an [`Item`] holds only values that passed these checks, and remembers the line
//! of every field so that later stages can still point at it.

use std::path::PathBuf;

use jiff::civil::{Date, Time};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{did_you_mean, Error, Errors};
use crate::source::{Format, SourceFile};
use crate::video::Video;
use crate::yaml::{self, KeyLines};

/// Deepest nesting accepted in `extra` and `internal`.
pub const MAX_DEPTH: usize = 64;

/// Longest summary, in characters.
pub const MAX_SUMMARY: usize = 280;

/// The kinds of item, one per content section (plus the home intro).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A startup or student project profile (`projects/`).
    Project,
    /// An accelerator batch (`cohorts/`).
    Cohort,
    /// A demo day or showcase event (`demos/`).
    Demo,
    /// A news article (`news/`).
    News,
    /// A free page (`pages/`).
    Page,
    /// The home page intro (`content/_index.md`).
    Home,
}

impl Kind {
    /// The kind of the items in `section`.
    pub fn of_section(section: &str) -> Kind {
        match section {
            "projects" => Kind::Project,
            "cohorts" => Kind::Cohort,
            "demos" => Kind::Demo,
            "news" => Kind::News,
            "pages" => Kind::Page,
            _ => Kind::Home,
        }
    }

    /// Name used in templates (`page.kind`) and messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Project => "project",
            Kind::Cohort => "cohort",
            Kind::Demo => "demo",
            Kind::News => "news",
            Kind::Page => "page",
            Kind::Home => "home",
        }
    }

    /// The section folder and URL segment (`projects`); empty for pages and home.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Project => "projects",
            Kind::Cohort => "cohorts",
            Kind::Demo => "demos",
            Kind::News => "news",
            Kind::Page | Kind::Home => "",
        }
    }

    /// Fields this kind accepts besides the common ones.
    fn own_fields(self) -> &'static [&'static str] {
        match self {
            Kind::Project => &[
                "cohort", "areas", "stage", "trl", "team", "links", "logo", "gallery", "featured",
                "video",
            ],
            Kind::Cohort => &["start", "end", "track"],
            Kind::Demo => &["venue", "cohort", "projects", "video", "start", "end"],
            Kind::News => &["tags", "projects"],
            Kind::Page | Kind::Home => &[],
        }
    }
}

const COMMON_FIELDS: &[&str] = &[
    "title",
    "slug",
    "date",
    "updated",
    "draft",
    "publish_after",
    "weight",
    "summary",
    "description",
    "aliases",
    "internal",
    "extra",
];

/// What messages call a section's `_index.md`.
const SECTION_INTRO: &str = "section intro";

/// The fields of a section intro: it has no page of its own, so no slug, date or aliases.
const INTRO_FIELDS: &[&str] = &["title", "draft", "publish_after", "internal", "extra"];

/// What messages call an item of `kind` from the folder `section`.
fn what(kind: Kind, section: &str) -> &'static str {
    if kind == Kind::Home && !section.is_empty() {
        SECTION_INTRO
    } else {
        kind.name()
    }
}

/// The stages of a project.
pub const STAGES: &[&str] = &["idea", "prototype", "pilot", "deployed"];

/// A team member of a project.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, expecting = "a team member (`name:` and `role:`)")]
pub struct Member {
    /// Full name.
    pub name: String,
    /// Role in the team.
    #[serde(default)]
    pub role: String,
}

/// A project's links. Each is an http, https or mailto URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "named links (`website:`, `repo:`, `video:`, `contact:`)"
)]
pub struct Links {
    /// Public website.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Source code repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// A video about the project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    /// How to reach the team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// Every field any item may have, as written. One struct (no `flatten`, which would silence
/// `deny_unknown_fields`); which fields a kind accepts is checked after parsing.
#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "fields such as `title: ...`, one per line"
)]
struct RawMeta {
    title: Option<String>,
    slug: Option<String>,
    date: Option<String>,
    updated: Option<String>,
    draft: Option<bool>,
    publish_after: Option<String>,
    weight: Option<i64>,
    summary: Option<String>,
    description: Option<String>,
    aliases: Option<Vec<String>>,
    internal: Option<yaml::Value>,
    extra: Option<yaml::Value>,
    body: Option<String>,
    cohort: Option<String>,
    areas: Option<Vec<String>>,
    stage: Option<String>,
    trl: Option<i64>,
    team: Option<Vec<Member>>,
    links: Option<Links>,
    logo: Option<String>,
    gallery: Option<Vec<RawGalleryImage>>,
    featured: Option<bool>,
    start: Option<String>,
    end: Option<String>,
    track: Option<String>,
    venue: Option<String>,
    projects: Option<Vec<String>>,
    video: Option<String>,
    tags: Option<Vec<String>>,
}

/// One entry of a project's `gallery:`: a bare path (`photo.jpg`) or a map
/// (`{src: photo.jpg, alt: ..., caption: ...}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "an image: a file name, or `src:` with `alt:` and `caption:`"
)]
enum RawGalleryImage {
    Path(String),
    Entry(GalleryEntry),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an image: `src:` with `alt:` and `caption:`"
)]
struct GalleryEntry {
    src: String,
    alt: Option<String>,
    caption: Option<String>,
}

/// One image of a project's gallery.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct GalleryImage {
    /// Path of the file: in the bundle (`photo.jpg`) or in `static/` (`/images/a.jpg`).
    pub src: String,
    /// What the image shows, for readers who cannot see it (`alt`); the theme writes a
    /// generic text ("Photo 2 of Kestrel UAV") when it is missing.
    pub alt: Option<String>,
    /// A caption shown under the image.
    pub caption: Option<String>,
}

impl From<RawGalleryImage> for GalleryImage {
    fn from(raw: RawGalleryImage) -> Self {
        match raw {
            RawGalleryImage::Path(src) => GalleryImage {
                src,
                alt: None,
                caption: None,
            },
            RawGalleryImage::Entry(e) => GalleryImage {
                src: e.src,
                alt: e.alt.filter(|a| !a.trim().is_empty()),
                caption: e.caption.filter(|c| !c.trim().is_empty()),
            },
        }
    }
}

/// The checked fields of one file. Everything is optional because a translation inherits
/// what it does not set; required fields are checked for originals in [`parse`].
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// Title.
    pub title: Option<String>,
    /// Date of the item (news, demo day, project start).
    pub date: Option<Date>,
    /// Date of the last significant update.
    pub updated: Option<Date>,
    /// Held back unless the build includes drafts.
    pub draft: Option<bool>,
    /// Embargo: not published before this instant.
    pub publish_after: Option<Timestamp>,
    /// Ordering weight (smaller first).
    pub weight: Option<i64>,
    /// Short summary (at most 280 characters).
    pub summary: Option<String>,
    /// Meta / OpenGraph description.
    pub description: Option<String>,
    /// Old URLs that redirect here.
    pub aliases: Option<Vec<String>>,
    /// Never rendered: kept to guard the output against leaks.
    pub internal: Option<yaml::Value>,
    /// Free map for templates.
    pub extra: Option<yaml::Value>,
    /// Project: cohort slug; demo: optional cohort slug.
    pub cohort: Option<String>,
    /// Project: area keys.
    pub areas: Option<Vec<String>>,
    /// Project: stage, one of [`STAGES`].
    pub stage: Option<String>,
    /// Project: technology readiness level, 1 to 9.
    pub trl: Option<u8>,
    /// Project: team.
    pub team: Option<Vec<Member>>,
    /// Project: links.
    pub links: Option<Links>,
    /// Project: logo path (bundle-relative or under static/).
    pub logo: Option<String>,
    /// Project: gallery images, in the order written.
    pub gallery: Option<Vec<GalleryImage>>,
    /// Project: shown among the home page's featured projects.
    pub featured: Option<bool>,
    /// Cohort: first day.
    pub start: Option<Date>,
    /// Cohort: last day.
    pub end: Option<Date>,
    /// Demo: the time of day it starts on its `date`, in the site's time zone (`start:`).
    pub start_time: Option<Time>,
    /// Demo: the time of day it ends, later than `start_time` on the same day (`end:`).
    pub end_time: Option<Time>,
    /// Cohort: track name.
    pub track: Option<String>,
    /// Demo: venue.
    pub venue: Option<String>,
    /// Demo: projects on stage; news: related projects.
    pub projects: Option<Vec<String>>,
    /// Project and demo: the video, checked (see [`crate::video`]).
    pub video: Option<Video>,
    /// News: free tags.
    pub tags: Option<Vec<String>>,
}

/// One parsed content file: an original or a translation.
#[derive(Debug, Clone)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// The file, relative to the root.
    pub path: PathBuf,
    /// The slug (from `slug:` or the file name).
    pub slug: String,
    /// File or bundle name without language and extension: links a translation to its original.
    pub name: String,
    /// The serial of the text it was parsed from (see `source::TextCache`).
    pub serial: u64,
    /// Language of a translation; `None` for the original (default language).
    pub lang: Option<String>,
    /// Bundle folder, when the item is `NAME/index.md`.
    pub bundle: Option<PathBuf>,
    /// Checked fields.
    pub meta: Meta,
    /// Markdown body.
    pub body: String,
    /// Line of the file where the body starts.
    pub body_line: usize,
    /// Lines of the front-matter keys, in file lines.
    pub keys: KeyLines,
    /// Line offset of the YAML inside the file (1 for front matter after `---`).
    pub yaml_offset: usize,
}

impl Item {
    /// The line (and column) in the file of `needle` inside field `key`, else of the key.
    pub fn locate(&self, key: &str, needle: &str) -> (usize, Option<usize>) {
        match self.keys.find(key, needle) {
            Some((l, c)) => (l + self.yaml_offset, c),
            None => (1, None),
        }
    }

    /// [`locate`](Self::locate) for many needles inside field `key`, given in the order they
    /// are written; linear in the field's length (see [`KeyLines::find_all`]).
    pub fn locate_all(&self, key: &str, needles: &[String]) -> Vec<(usize, Option<usize>)> {
        self.keys
            .find_all(key, needles)
            .into_iter()
            .map(|found| match found {
                Some((l, c)) => (l + self.yaml_offset, c),
                None => (1, None),
            })
            .collect()
    }

    /// The file line of field `key`, or 1.
    pub fn line_of(&self, key: &str) -> usize {
        self.keys.line(key).map_or(1, |l| l + self.yaml_offset)
    }

    /// An error pointing at field `key`.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> Error {
        let line = self.line_of(key);
        let col = self.keys.line(key).map(|_| 1);
        Error::at(&self.path, line, col, message)
    }
}

/// Whether `line` (with or without its `\n`) is a front-matter delimiter: `---` followed by
/// nothing but spaces or tabs (CRLF endings are normalised when the file is read). The same
/// rule opens and closes the block, as in Hugo and Jekyll; `----` and `--- x` are not
/// delimiters (a thematic break, or text).
fn is_delimiter(line: &str) -> bool {
    line.strip_prefix("---").is_some_and(|rest| {
        rest.trim_end_matches('\n')
            .trim_matches([' ', '\t'])
            .is_empty()
    })
}

/// Splits `---\nYAML\n---\nbody` into (YAML, body, line where the body starts). Both
/// delimiter lines follow one rule: `---` followed by nothing but spaces or tabs.
///
/// # Errors
/// The file's first line is not a delimiter, or no later line is.
pub fn split_front_matter(source: &SourceFile) -> Result<(&str, &str, usize), Error> {
    let text: &str = &source.text;
    let first = text.split_inclusive('\n').next().unwrap_or("");
    if !is_delimiter(first) {
        let help = if first.starts_with("---") {
            "the first line must be exactly `---` (nothing after it but spaces), then the fields such as `title: ...`, then another `---` line"
        } else {
            "start the file with `---`, the fields such as `title: ...`, then another `---` line"
        };
        return Err(Error::at(
            &source.path,
            1,
            Some(1),
            "the file does not start with front matter (a `---` line)",
        )
        .with_help(help));
    }
    let rest = &text[first.len()..];
    // The closing delimiter is the first delimiter line (a later `---` in the body is a
    // thematic break, not a delimiter).
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if is_delimiter(line) {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok((yaml, body, i + 3));
        }
        offset += line.len();
    }
    Err(Error::at(
        &source.path,
        1,
        Some(1),
        "the front matter is not closed: no second `---` line",
    )
    .with_help("add a line with only `---` after the last field"))
}

/// Parses and checks one content file. `today`/`now` are not needed here: embargo is a
/// property of the build, decided in [`crate::site`].
pub fn parse(source: &SourceFile, config: &Config) -> Result<Item, Errors> {
    // `_index.md` in a section folder is that list page's intro, as Hugo and Zola read it.
    let kind = if source.name == "_index" {
        Kind::Home
    } else {
        Kind::of_section(&source.section)
    };
    let what = what(kind, &source.section);
    if let Some((line, column, c)) = crate::xmlchar::find_forbidden(&source.text) {
        return Err(vec![invisible_character(&source.path, line, column, c)]);
    }
    let (yaml_text, body, body_line, yaml_offset) = match source.format {
        Format::Markdown => {
            let (y, b, l) = split_front_matter(source).map_err(|e| vec![e])?;
            (y, b.to_string(), l, 1)
        }
        Format::Yaml => (&*source.text, String::new(), 1, 0),
    };
    if source.format == Format::Yaml && yaml_text.trim().is_empty() {
        return Err(vec![Error::at(&source.path, 1, None, "the file is empty")
            .with_help("an item needs at least `title:`")]);
    }
    let fields = if what == SECTION_INTRO {
        INTRO_FIELDS
    } else {
        COMMON_FIELDS
    };
    let allowed: Vec<&str> = fields
        .iter()
        .chain(kind.own_fields())
        .copied()
        .chain((source.format == Format::Yaml).then_some("body"))
        .collect();
    let raw: RawMeta = if yaml_text.trim().is_empty() {
        RawMeta::default()
    } else {
        yaml::from_str(yaml_text)
            .map_err(|e| vec![yaml_error(e, source, what, &allowed, yaml_offset)])?
    };
    let keys = KeyLines::scan(yaml_text);
    let mut item = Item {
        kind,
        path: source.path.clone(),
        slug: String::new(),
        // Intros are grouped with their translations by name: one name per section.
        name: if kind == Kind::Home && !source.section.is_empty() {
            format!("{}/_index", source.section)
        } else {
            source.name.clone()
        },
        serial: source.serial,
        lang: source.lang.clone(),
        bundle: source.bundle.clone(),
        meta: Meta::default(),
        body,
        body_line,
        keys,
        yaml_offset,
    };
    let mut errors = Vec::new();
    check(&mut item, raw, source, config, &allowed, &mut errors);
    if errors.is_empty() {
        Ok(item)
    } else {
        Err(errors)
    }
}

/// A YAML error of a content file, with the advice only content knows: the fields of this
/// kind, the shape of a team member or a link, and what a `.yaml` item is.
fn yaml_error(
    e: yaml::YamlError,
    source: &SourceFile,
    what: &str,
    allowed: &[&str],
    yaml_offset: usize,
) -> Error {
    let mut err = Error {
        line: e.line.map(|l| l + yaml_offset).or(Some(1)),
        column: e.column,
        ..Error::new(&source.path, e.message)
    };
    err.help = e.help;
    let yaml_text = &source.text;
    match *e.problem {
        yaml::Problem::Unknown { parent, name, .. } if parent.is_empty() => {
            err.message = format!("unknown field {} for a {what}", yaml::explain::code(&name));
            let line = e.line.unwrap_or(1);
            err.help = Some(
                yaml::explain::other_script(&name)
                    .or_else(|| out_of_its_group(&name, yaml_text, line + yaml_offset, allowed))
                    .or_else(|| {
                        did_you_mean(&name, allowed.iter().copied())
                            .map(|s| format!("did you mean `{s}`?"))
                    })
                    .unwrap_or_else(|| format!("a {what} has the fields: {}", allowed.join(", "))),
            );
        }
        yaml::Problem::SeveralDocuments if source.format == Format::Yaml => {
            // Both lines go, so point at the first; `...` is the other line YAML ends on.
            let first = yaml_text
                .lines()
                .position(|l| matches!(l.trim_end(), "---" | "..."));
            let marker = first.map_or("---", |i| {
                yaml_text.lines().nth(i).unwrap_or("---").trim_end()
            });
            err.line = Some(first.map_or(1, |i| i + 1));
            err.message = format!("a .yaml item is its fields only, without `{marker}` lines");
            err.help = Some(format!(
                "remove the `{marker}` lines; or, to write the body in Markdown under the fields, rename the file to `{}.md`",
                source.path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned())
            ));
        }
        yaml::Problem::Type {
            field,
            found,
            expected,
        } => {
            if let (yaml::Expected::Shape(desc), "gallery") = (&expected, field.as_str()) {
                // serde names the list when no form of an entry fits; the line is the entry's.
                err.message = format!("this entry of `gallery` must be {desc}");
            }
            if field.is_empty() {
                err.help = Some("each line is `field: value`, starting with `title: ...`".into());
            } else if let Some(help) = shape_help(&field, &found, &expected) {
                err.help = Some(help);
            }
        }
        _ => {}
    }
    err
}

/// How to write the fields whose values are groups (a team member, the links, a gallery
/// image), from what was written instead.
fn shape_help(field: &str, found: &yaml::Found, expected: &yaml::Expected) -> Option<String> {
    let top = field.split(['.', '[']).next().unwrap_or(field);
    let text = match found {
        yaml::Found::Text(s) => s.as_str(),
        _ => "",
    };
    let nested = field.contains(['.', '[']);
    let code = yaml::explain::code;
    match top {
        "team" if !field.contains('.') => {
            let name = text.split(',').next().map(str::trim).filter(|t| !t.is_empty()).unwrap_or("Name Surname");
            Some(format!("write each member on a line of its own under `team:`, as {}, with `role: ...` on the next line under `name:`", code(&format!("- name: {name}"))))
        }
        "links" if !nested => {
            let url = if text.is_empty() { "https://..." } else { text };
            Some(format!("write `links:`, then on the next line, indented by two spaces, {} (a link is named website, repo, video or contact)", code(&format!("website: {url}"))))
        }
        // `gallery: photo.jpg` or `gallery:` with `src:` under it: a list, or an entry that fits no form.
        "gallery"
            if !field.contains('.')
                && matches!(expected, yaml::Expected::Shape(_) | yaml::Expected::List) =>
        {
            Some("write `- photo.jpg` (a file of the bundle), or `- src: photo.jpg` with `alt: ...` (what the image shows) and `caption: ...` on the lines under `src:`".into())
        }
        _ => None,
    }
}

/// The fields written inside a group of a project, with their group, for a field that
/// slipped out of its group to the left edge.
const GROUP_FIELDS: &[(&str, &str)] = &[
    ("name", "team"),
    ("role", "team"),
    ("website", "links"),
    ("repo", "links"),
    ("contact", "links"),
    ("src", "gallery"),
    ("alt", "gallery"),
    ("caption", "gallery"),
];

/// Advice for an unknown top-level field that belongs inside a group: a field of a team
/// member, a link or an image written at the left edge (when this kind has that group),
/// or any field under a `key:` line left without a value (`links:` then `website:` not
/// indented). `line` is the field's line in `text`.
fn out_of_its_group(name: &str, text: &str, line: usize, allowed: &[&str]) -> Option<String> {
    if let Some((_, group)) = GROUP_FIELDS
        .iter()
        .find(|(f, group)| *f == name && allowed.contains(group))
    {
        return Some(match *group {
            "team" => format!("`{name}` is a field of a member of `team`: indent it to line up with `name:` of its member"),
            "links" => format!("`{name}` is a field of `links`: indent it by two spaces under `links:`"),
            _ if name == "src" => "`src` is a field of an image of `gallery`: write it as `- src: ...` under `gallery:`".into(),
            _ => format!("`{name}` is a field of an image of `gallery`: indent it to line up with `src:` of its image"),
        });
    }
    let above = text
        .lines()
        .take(line.saturating_sub(1))
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .last()?;
    let is_key = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    };
    if let Some(key) = above.trim_end().strip_suffix(':').filter(|k| is_key(k)) {
        return Some(format!(
            "if `{name}` belongs to `{key}` above, indent it by two spaces under `{key}:`"
        ));
    }
    // `summary: Our system` then `is fast: yes`: text going on at the left edge.
    let (key, value) = above.split_once(": ")?;
    (name.contains(' ') && is_key(key) && !value.trim().is_empty()).then(|| {
        format!("if this line goes on with the value of `{key}` above, indent it by two spaces and put the whole value in quotes")
    })
}

fn check(
    item: &mut Item,
    raw: RawMeta,
    source: &SourceFile,
    config: &Config,
    allowed: &[&str],
    errors: &mut Errors,
) {
    let kind = item.kind;
    // Fields valid for some kind but not this one.
    let present = present_fields(&raw);
    for &field in &present {
        if !allowed.contains(&field) {
            let msg = if field == "body" {
                "`body:` is only for items written as .yaml; in a .md file the body follows the front matter".to_string()
            } else {
                format!("a {} has no field `{field}`", what(kind, &source.section))
            };
            errors.push(item.error_at(field, msg).with_help(format!(
                "a {} has the fields: {}",
                what(kind, &source.section),
                allowed.join(", ")
            )));
        }
    }

    if item.lang.is_some() {
        for field in ["aliases", "weight", "featured"] {
            if present.contains(&field) {
                errors.push(
                    item.error_at(
                        field,
                        format!("`{field}` belongs in the original, not in a translation"),
                    )
                    .with_help("set it once in the original file; it applies to every language"),
                );
            }
        }
    }
    for (field, v) in [("extra", &raw.extra), ("internal", &raw.internal)] {
        if v.as_ref().is_some_and(|v| yaml::depth(v) > MAX_DEPTH) {
            errors.push(
                item.error_at(
                    field,
                    format!("`{field}` nests deeper than {MAX_DEPTH} levels"),
                )
                .with_help("flatten the structure; templates cannot use data that deep anyway"),
            );
        }
    }
    if raw.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        errors.push(
            item.error_at("title", "the title is empty")
                .with_help("write the title after `title:`"),
        );
    }
    // A field written but left blank (`summary: ""`, as `showcase new` writes it) would
    // publish an empty card or line: it is filled in or removed, never published empty.
    for (field, value) in [
        ("summary", &raw.summary),
        ("description", &raw.description),
        ("track", &raw.track),
        ("venue", &raw.venue),
        ("cohort", &raw.cohort),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            let need = match item.lang {
                Some(_) => Need::Inherited,
                None if required(kind).contains(&field) => Need::Required,
                None => Need::Optional,
            };
            errors.push(
                item.error_at(field, format!("`{field}` is empty"))
                    .with_help(empty_help(field, need)),
            );
        }
    }

    if let Some(b) = raw.body {
        item.body = b;
        item.body_line = item.line_of("body") + 1;
    }

    // Slug: from the field, else the file name; news drop a leading date.
    let mut name = source.name.clone();
    let mut date_from_name = None;
    // A mis-dated file name is one mistake: it is reported once, not again as a missing date.
    let mut name_date_error = false;
    if kind == Kind::News {
        match split_date_prefix(&name) {
            Some(Ok((d, rest))) => {
                date_from_name = Some(d);
                name = rest.to_string();
            }
            Some(Err(why)) => {
                name_date_error = true;
                errors.push(
                    Error::at(
                        &item.path,
                        1,
                        None,
                        format!(
                            "the file name starts with the date `{}`, but {why}",
                            &name[..10]
                        ),
                    )
                    .with_help(
                        "name the file YYYY-MM-DD-slug.md with a real date (e.g. 2026-01-13-opening.md), or remove the date from the name and set `date: YYYY-MM-DD`",
                    ),
                );
            }
            None => {}
        }
    }
    let slug = raw.slug.clone().unwrap_or(name);
    if kind == Kind::Home && !source.section.is_empty() {
        // A section intro is not a page of its own: its slug is the section it opens.
        item.slug = source.section.clone();
    } else {
        match check_slug(&slug) {
            Ok(s) => item.slug = s,
            Err(msg) => {
                let e = if raw.slug.is_some() {
                    item.error_at("slug", msg)
                } else {
                    Error::new(&item.path, msg)
                };
                errors.push(
                    e.with_help("use lowercase letters, digits and dashes, e.g. `orbit-link`"),
                );
            }
        }
    }

    let m = &mut item.meta;
    m.title = raw.title;
    m.draft = raw.draft;
    m.weight = raw.weight;
    m.description = raw.description;
    m.internal = raw.internal;
    m.extra = raw.extra;
    m.cohort = raw.cohort;
    m.areas = raw.areas;
    m.team = raw.team;
    m.featured = raw.featured;
    m.track = raw.track;
    m.venue = raw.venue;
    m.projects = raw.projects;
    m.tags = raw.tags;
    m.logo = raw.logo;
    m.gallery = raw
        .gallery
        .map(|g| g.into_iter().map(GalleryImage::from).collect());

    let item_ref = &*item;
    let date = |key: &str, v: Option<String>, errors: &mut Errors| -> Option<Date> {
        let v = v?;
        match parse_date(&v) {
            Some(d) => Some(d),
            None => {
                errors.push(
                    item_ref
                        .error_at(key, format!("`{v}` is not a valid date"))
                        .with_help("write dates as YYYY-MM-DD, e.g. 2025-11-24"),
                );
                None
            }
        }
    };
    let d = date("date", raw.date, errors);
    let updated = date("updated", raw.updated, errors);
    // A cohort's `start`/`end` are days, a demo day's the times of day it runs.
    let (start, end, start_time, end_time) = if kind == Kind::Demo {
        let time = |key: &str, v: Option<String>, errors: &mut Errors| -> Option<Time> {
            let v = v?;
            match parse_time(&v) {
                Some(t) => Some(t),
                None => {
                    errors.push(
                        item_ref
                            .error_at(key, format!("`{v}` is not a time of day"))
                            .with_help(format!(
                                "write it as HH:MM on a 24-hour clock, e.g. `{key}: \"{}\"`; it is read in {}",
                                if key == "start" { "14:00" } else { "17:30" },
                                config.timezone_name
                            )),
                    );
                    None
                }
            }
        };
        let start_time = time("start", raw.start, errors);
        let end_time = time("end", raw.end, errors);
        // A translation repeats the original's times or none (`site` compares them).
        if item_ref.lang.is_none() {
            check_demo_times(item_ref, d, start_time, end_time, config, errors);
        }
        (None, None, start_time, end_time)
    } else {
        let start = date("start", raw.start, errors);
        let end = date("end", raw.end, errors);
        (start, end, None, None)
    };
    let publish_after = raw.publish_after.and_then(|v| match parse_instant(&v, &config.timezone) {
        Some(t) => Some(t),
        None => {
            errors.push(item_ref.error_at("publish_after", format!("`{v}` is not a date or date-time"))
                .with_help(format!("write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+05:00; without an offset it is read in {}", config.timezone_name)));
            None
        }
    });
    if item_ref.meta.areas.as_ref().is_some_and(Vec::is_empty) {
        errors.push(
            item_ref
                .error_at("areas", "`areas` is empty; a project has at least one area")
                .with_help("add `areas: [key]` with keys from `areas:` in site.yaml"),
        );
    }
    if let Some(tags) = &item_ref.meta.tags {
        check_tags(item_ref, tags, errors);
    }
    if let Some(s) = &raw.summary {
        let n = s.chars().count();
        if n > MAX_SUMMARY {
            errors.push(
                item_ref
                    .error_at(
                        "summary",
                        format!("the summary is {n} characters long; the limit is {MAX_SUMMARY}"),
                    )
                    .with_help("shorten it; put the details in the body"),
            );
        }
    }
    let stage = raw.stage.and_then(|s| {
        if STAGES.contains(&s.as_str()) {
            Some(s)
        } else {
            let mut e = item_ref.error_at("stage", format!("`{s}` is not a stage"));
            e = match did_you_mean(&s, STAGES.iter().copied()) {
                Some(x) => e.with_help(format!(
                    "did you mean `{x}`? Stages are: {}",
                    STAGES.join(", ")
                )),
                None => e.with_help(format!("stages are: {}", STAGES.join(", "))),
            };
            errors.push(e);
            None
        }
    });
    let trl = raw.trl.and_then(|t| {
        if (1..=9).contains(&t) {
            Some(t as u8)
        } else {
            errors.push(
                item_ref
                    .error_at("trl", format!("TRL {t} is out of range"))
                    .with_help("the technology readiness level is a whole number from 1 to 9"),
            );
            None
        }
    });
    let check_url = |key: &str, sub: &str, url: &str, errors: &mut Errors| {
        if !safe_link_url(url) {
            let (line, col) = item_ref.locate(key, url);
            errors.push(
                Error::at(
                    &item_ref.path,
                    line,
                    col,
                    format!(
                        "`{sub}` must be an http, https or mailto URL, not `{}`",
                        shorten(url)
                    ),
                )
                .with_help(
                    "write a full address such as https://example.kz/ or mailto:team@example.kz",
                ),
            );
        }
    };
    if let Some(l) = &raw.links {
        for (sub, v) in [
            ("website", &l.website),
            ("repo", &l.repo),
            ("video", &l.video),
            ("contact", &l.contact),
        ] {
            if let Some(v) = v {
                check_url("links", sub, v, errors);
            }
        }
    }
    let video = raw.video.as_deref().and_then(|v| {
        let refused = |message: String, help: String| {
            let (line, col) = item_ref.locate("video", v);
            Error::at(&item_ref.path, line, col, message).with_help(help)
        };
        match crate::video::parse(v) {
            // Another site's page: a demo day's `video:` has always been a link, a project
            // has `links.video` for one.
            Ok(Video::Link(_)) if kind == Kind::Project => {
                errors.push(refused(
                    format!(
                        "`{}` is not a YouTube, Vimeo or RuTube address or a video file",
                        shorten(v)
                    ),
                    format!(
                        "{}; for a link to a video on another site use `links: {{video: URL}}`",
                        crate::video::ACCEPTED
                    ),
                ));
                None
            }
            Ok(video) => Some(video),
            Err(r) => {
                errors.push(refused(r.message, r.help));
                None
            }
        }
    });
    if let Some(aliases) = &raw.aliases {
        for a in aliases {
            if !a.starts_with('/') || a.contains("..") || a.contains(['?', '#', '\\']) {
                let (line, col) = item_ref.locate("aliases", a);
                errors.push(
                    Error::at(
                        &item_ref.path,
                        line,
                        col,
                        format!("alias `{a}` is not a site path"),
                    )
                    .with_help(
                        "write old URLs as paths from the site root, e.g. /projects/old-name/",
                    ),
                );
                continue;
            }
            // The redirect page's file, in the longest language prefix (`/kk/`).
            let page = alias_page(a);
            let file = match page.strip_suffix('/') {
                Some(dir) => format!("xxx{dir}/index.html"),
                None => format!("xxx{page}"),
            };
            if let Err(why) = crate::output::path::check(&file) {
                let (line, col) = item_ref.locate("aliases", a);
                errors.push(
                    Error::at(
                        &item_ref.path,
                        line,
                        col,
                        format!("alias `{}` cannot be published: {why}", shorten(a)),
                    )
                    .with_help("shorten the alias to the old URL's path, e.g. /projects/old-name/"),
                );
            }
        }
    }
    if let (Some(s), Some(e)) = (start, end) {
        if s > e {
            errors.push(item_ref.error_at(
                "end",
                format!("the cohort ends ({e}) before it starts ({s})"),
            ));
        }
    }
    let m = &mut item.meta;
    m.date = d.or(date_from_name);
    m.updated = updated;
    m.start = start;
    m.end = end;
    m.start_time = start_time;
    m.end_time = end_time;
    m.publish_after = publish_after;
    m.summary = raw.summary;
    m.stage = stage;
    m.trl = trl;
    m.links = raw.links;
    m.video = video;
    m.aliases = raw.aliases;

    // Required fields, for originals only: a translation inherits them.
    if item.lang.is_none() {
        let missing: Vec<&str> = required(kind)
            .iter()
            .copied()
            .filter(|f| !has_field(&item.meta, f) && !present.contains(f))
            .filter(|f| !(name_date_error && *f == "date"))
            .collect();
        for f in missing {
            // `summary:` with nothing after it (or only a note): written, but empty.
            if item.keys.line(f).is_some() {
                if f == "title" {
                    errors.push(
                        item.error_at("title", "the title is empty")
                            .with_help("write the title after `title:`"),
                    );
                    continue;
                }
                let help = if ["summary", "description", "track", "venue", "cohort"].contains(&f) {
                    empty_help(f, Need::Required)
                } else {
                    format!(
                        "{}; it is required",
                        required_help(kind, f).replacen("add `", "fill in `", 1)
                    )
                };
                errors.push(item.error_at(f, format!("`{f}` is empty")).with_help(help));
                continue;
            }
            let line = 1;
            errors.push(
                Error::at(
                    &item.path,
                    line,
                    None,
                    format!("the required field `{f}` is missing"),
                )
                .with_help(required_help(kind, f)),
            );
        }
    }
}

fn required(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Project => &["title", "summary", "cohort", "areas", "stage", "trl"],
        Kind::Cohort => &["title", "start", "end"],
        Kind::Demo => &["title", "date"],
        Kind::News => &["title", "date"],
        Kind::Page => &["title"],
        Kind::Home => &[],
    }
}

fn required_help(kind: Kind, field: &str) -> String {
    match (kind, field) {
        (Kind::News, "date") => {
            "add `date: YYYY-MM-DD`, or name the file YYYY-MM-DD-slug.md".into()
        }
        (_, "areas") => "add `areas: [key]` with keys from `areas:` in site.yaml".into(),
        (_, "stage") => format!("add `stage:` with one of {}", STAGES.join(", ")),
        (_, "trl") => "add `trl:` with a whole number from 1 to 9".into(),
        (_, "cohort") => "add `cohort:` with the slug of a file in content/cohorts/".into(),
        (_, f) if ["date", "start", "end"].contains(&f) => format!("add `{f}: YYYY-MM-DD`"),
        (_, f) => format!("add `{f}:` to the front matter"),
    }
}

/// Whether an item needs a field: required, optional, or inherited from the original.
enum Need {
    Required,
    Optional,
    Inherited,
}

/// What to write in the text field `field` left blank.
fn empty_help(field: &str, need: Need) -> String {
    let what = match field {
        "summary" => "one or two sentences for cards, lists and previews",
        "description" => "a sentence for search engines and link previews",
        "track" => "the cohort's focus, e.g. \"Drones and geospatial data\"",
        "venue" => "where it takes place, e.g. \"House of the Army, Almaty\"",
        "cohort" => "the name of a file in content/cohorts/ without its extension",
        _ => "its text",
    };
    match need {
        Need::Required => format!("write {what} after `{field}:`; it is required"),
        Need::Optional => {
            format!("write {what} after `{field}:`, or remove the line: it is optional")
        }
        Need::Inherited => format!(
            "write {what} in this language after `{field}:`, or remove the line to show the original's"
        ),
    }
}

fn has_field(m: &Meta, f: &str) -> bool {
    match f {
        "title" => m.title.as_deref().is_some_and(|t| !t.trim().is_empty()),
        "summary" => m.summary.is_some(),
        "cohort" => m.cohort.is_some(),
        "areas" => m.areas.as_ref().is_some_and(|a| !a.is_empty()),
        "stage" => m.stage.is_some(),
        "trl" => m.trl.is_some(),
        "start" => m.start.is_some(),
        "end" => m.end.is_some(),
        "date" => m.date.is_some(),
        _ => true,
    }
}

fn present_fields(raw: &RawMeta) -> Vec<&'static str> {
    let mut v = Vec::new();
    macro_rules! p {
        ($($f:ident),*) => { $( if raw.$f.is_some() { v.push(stringify!($f)); } )* };
    }
    p!(
        title,
        slug,
        date,
        updated,
        draft,
        publish_after,
        weight,
        summary,
        description,
        aliases,
        internal,
        extra,
        body,
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
        track,
        venue,
        projects,
        video,
        tags
    );
    v
}

/// `2025-11-24-opening` -> (date, `opening`). `None` when the name does not start with the
/// shape `DDDD-DD-DD-` (or is not exactly `DDDD-DD-DD`); `Some(Err(why))` when it has the
/// shape but is no calendar date, `why` saying which part is wrong in plain words
/// ([`why_not_a_date`]).
fn split_date_prefix(name: &str) -> Option<Result<(Date, &str), String>> {
    let d = name.get(..10)?;
    let rest = name.get(10..)?;
    let shaped = d.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    if !shaped || !(rest.is_empty() || rest.starts_with('-')) {
        return None;
    }
    match parse_date(d) {
        Some(date) if !rest.is_empty() => Some(Ok((date, &rest[1..]))),
        // A bare date is a valid slug and a valid date: keep the old reading (no split).
        Some(_) => None,
        None => Some(Err(why_not_a_date(d))),
    }
}

/// Why `YYYY-MM-DD` (digits in that shape) is not a calendar date: `13 is not a month`,
/// `February 2026 has 28 days, not 30`, `00 is not a day`.
fn why_not_a_date(d: &str) -> String {
    let (y, m, day) = (&d[..4], &d[5..7], &d[8..10]);
    let (Ok(year), Ok(month), Ok(dd)) = (y.parse::<i16>(), m.parse::<i8>(), day.parse::<i8>())
    else {
        return format!("`{d}` is not a date");
    };
    if !(1..=12).contains(&month) {
        return format!("{m} is not a month (months are 01 to 12)");
    }
    if dd == 0 {
        return format!("{day} is not a day (days start at 01)");
    }
    match Date::new(year, month, 1) {
        Ok(first) => format!(
            "{} has {} days, not {dd}",
            first.strftime("%B %Y"),
            first.days_in_month()
        ),
        Err(_) => format!("`{d}` is not a date"),
    }
}

/// A calendar date written `YYYY-MM-DD` (February 30th is not one).
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    s.parse::<Date>().ok()
}

/// A time of day written `HH:MM` (or `H:MM`) on a 24-hour clock, `00:00` to `23:59`.
pub fn parse_time(s: &str) -> Option<Time> {
    let (h, m) = s.trim().split_once(':')?;
    let digits = |x: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

/// A demo day's `start` and `end` together: no end without a start, the end after the start
/// (RFC 5545 requires an event's end to be later than its start; the event is one day, so an
/// end after midnight cannot be written), and a start that exists on that day in the site's
/// time zone (not inside a daylight-saving gap, when clocks skip it).
fn check_demo_times(
    item: &Item,
    date: Option<Date>,
    start: Option<Time>,
    end: Option<Time>,
    config: &Config,
    errors: &mut Errors,
) {
    let hm = |t: Time| t.strftime("%H:%M").to_string();
    match (start, end) {
        (None, Some(_)) => errors.push(
            item.error_at("end", "`end` is given without `start`")
                .with_help("add `start: \"HH:MM\"`, the time the demo day begins; without both it is an all-day event"),
        ),
        (Some(s), Some(e)) if e <= s => errors.push(
            item.error_at(
                "end",
                if e == s {
                    format!("the demo day ends when it starts ({})", hm(s))
                } else {
                    format!("the demo day ends ({}) before it starts ({})", hm(e), hm(s))
                },
            )
            .with_help("`end` is a later time on the same day as `start`, both HH:MM on a 24-hour clock"),
        ),
        _ => {}
    }
    for (key, t) in [("start", start), ("end", end)] {
        let (Some(d), Some(t)) = (date, t) else {
            continue;
        };
        let offset = config
            .timezone
            .to_ambiguous_timestamp(d.to_datetime(t))
            .offset();
        if matches!(offset, jiff::tz::AmbiguousOffset::Gap { .. }) {
            errors.push(
                item.error_at(
                    key,
                    format!(
                        "{} does not exist on {d} in {}: the clocks skip it",
                        hm(t),
                        config.timezone_name
                    ),
                )
                .with_help("pick a time outside the daylight-saving change"),
            );
        }
    }
}

/// An instant: RFC 3339 with offset, or a date / date-time read in `tz`.
pub fn parse_instant(s: &str, tz: &jiff::tz::TimeZone) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    if let Some(d) = parse_date(s) {
        return tz
            .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .ok();
    }
    let dt = s
        .replacen(' ', "T", 1)
        .parse::<jiff::civil::DateTime>()
        .ok()?;
    tz.to_timestamp(dt).ok()
}

/// The page path an alias stands for: a folder page (`/old/` for `/old`) unless its last
/// part names a file (`/old.html`). Used wherever an alias becomes a path.
pub fn alias_page(alias: &str) -> String {
    if alias.ends_with('/') || alias.rsplit('/').next().is_some_and(|l| l.contains('.')) {
        alias.to_string()
    } else {
        format!("{alias}/")
    }
}

/// The error for a character that no page or feed may hold (see [`crate::xmlchar`]).
pub fn invisible_character(path: &std::path::Path, line: usize, column: usize, c: char) -> Error {
    Error::at(
        path,
        line,
        Some(column),
        format!(
            "this line holds an invisible control character, {}, which feeds and sitemaps cannot carry",
            crate::xmlchar::describe(c)
        ),
    )
    .with_help("delete it: retype the end of the line (it often comes with text pasted from a word processor)")
}

/// Checks a slug: one path segment of letters (with their combining marks), digits, `-`,
/// `_`, `.`, at most
/// [`crate::output::path::MAX_COMPONENT_BYTES`] bytes; NFC-normalised.
pub fn check_slug(slug: &str) -> Result<String, String> {
    use unicode_normalization::UnicodeNormalization;
    let s: String = slug.nfc().collect();
    if s.is_empty() {
        return Err("the slug is empty".into());
    }
    if s.len() > crate::output::path::MAX_COMPONENT_BYTES {
        return Err(format!(
            "the slug is {} bytes long; the limit is {}",
            s.len(),
            crate::output::path::MAX_COMPONENT_BYTES
        ));
    }
    if s.starts_with('.') || s.contains("..") {
        return Err(format!(
            "the slug `{s}` must not start with a dot or contain `..`"
        ));
    }
    // A combining mark is part of the letter before it (Devanagari's virama in `हिन्दी`).
    let mut after_letter = false;
    if let Some(c) = s.chars().find(|&c| {
        let ok = c.is_alphanumeric()
            || ['-', '_', '.'].contains(&c)
            || (after_letter && unicode_normalization::char::is_combining_mark(c));
        after_letter = c.is_alphanumeric() || (after_letter && !['-', '_', '.'].contains(&c));
        !ok
    }) {
        return Err(format!(
            "the slug `{s}` contains `{c}`, which cannot be part of a URL segment"
        ));
    }
    Ok(s)
}

/// The slug of a tag in URLs (`/tags/<slug>/`), the same however the tag is written: NFKC
/// (Unicode UAX #15: fullwidth `５Ｇ` is `5G`), lower case, letters spelt as
/// [`crate::archetype::slugify`] spells them (`Спутники` is `sputniki`, `Défense` is
/// `defense`, `Straße` is `strasse`), the letters and digits of other scripts kept with their
/// marks (`无人机`, `Ελλάδα`), anything else a `-` between words. So `5G`, ` 5g ` and `５Ｇ` are one tag, and tags in scripts without a Latin
/// spelling here neither lose their page nor merge. A slug that Windows cannot hold as a
/// file name (`con`, `aux`, `com1`) ends in `_`, which no other slug has. `None` for a tag
/// with no letter or digit (`🚀`, `!!!`), which has no page. The length is not bounded here:
/// parsing refuses a tag whose slug is longer than a file name may be.
///
/// ```
/// use showcase::content::tag_slug;
/// assert_eq!(tag_slug(" 5G ").as_deref(), Some("5g"));
/// assert_eq!(tag_slug("Қорғаныс").as_deref(), Some("qorganys"));
/// assert_eq!(tag_slug("Défense").as_deref(), Some("defense"));
/// assert_eq!(tag_slug("AUX").as_deref(), Some("aux_"));
/// assert_eq!(tag_slug("🚀"), None);
/// ```
pub fn tag_slug(tag: &str) -> Option<String> {
    let mut slug = crate::archetype::slugify(tag);
    if slug.is_empty() {
        return None;
    }
    if matches!(
        crate::output::path::check_component(&slug),
        Err(crate::output::path::Unsafe::Windows(_))
    ) {
        slug.push('_');
    }
    Some(slug)
}

/// Checks the `tags` of `item`: a tag is not blank (`""`, `"  "`), and its [`tag_slug`]
/// fits in a file name ([`crate::output::path::MAX_COMPONENT_BYTES`] bytes, the limit of
/// an item's slug), since every tag with a slug has a page `/tags/<slug>/`.
fn check_tags(item: &Item, tags: &[String], errors: &mut Errors) {
    let max = crate::output::path::MAX_COMPONENT_BYTES;
    for (t, (line, col)) in tags.iter().zip(item.locate_all("tags", tags)) {
        if t.trim().is_empty() {
            errors.push(
                item.error_at("tags", "a tag is empty")
                    .with_help("remove it from `tags:`, or write the tag"),
            );
            continue;
        }
        let Some(slug) = tag_slug(t) else { continue };
        if slug.len() > max {
            errors.push(
                Error::at(
                    &item.path,
                    line,
                    col,
                    format!(
                        "the tag `{}` is too long for the address of its page: its slug is {} bytes; the limit is {max}",
                        shorten(t),
                        slug.len()
                    ),
                )
                .with_help("shorten the tag to a few words (its page is /tags/<slug>/); longer text belongs in the summary or the body"),
            );
        }
    }
}

/// Whether a link URL uses an allowed scheme: http, https or mailto.
pub fn safe_link_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && lower.len() > 8
        || lower.starts_with("mailto:") && lower.len() > 7
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        Config::parse(
            Path::new("."),
            "title: T\nlanguages: {ru: {}}\nareas: {telecom: Telecom}\n",
            None,
        )
        .unwrap()
    }

    fn source(section: &str, name: &str, text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(format!("content/{section}/{name}.md")),
            section: section.into(),
            name: name.into(),
            lang: None,
            format: Format::Markdown,
            bundle: None,
            text: text.into(),
            serial: 0,
        }
    }

    #[test]
    fn parses_a_project() {
        let s = source("projects", "sky", "---\ntitle: Sky\nsummary: S\ncohort: c\nareas: [telecom]\nstage: pilot\ntrl: 6\n---\nBody\n---\nmore\n");
        let item = parse(&s, &config()).unwrap();
        assert_eq!(item.slug, "sky");
        assert_eq!(item.meta.trl, Some(6));
        assert_eq!(item.body, "Body\n---\nmore\n");
        assert_eq!(item.body_line, 9);
    }

    #[test]
    fn blank_text_fields_are_errors_at_their_line_saying_what_to_write() {
        // Empty and whitespace-only alike; required or not, a blank field is never published.
        for (section, text, field, line, help) in [
            ("projects", "---\ntitle: Sky\nsummary: \"\"\ncohort: c\nareas: [telecom]\nstage: pilot\ntrl: 6\n---\n", "summary", 3, "it is required"),
            ("projects", "---\ntitle: Sky\nsummary: \"  \"\ncohort: c\nareas: [telecom]\nstage: pilot\ntrl: 6\n---\n", "summary", 3, "it is required"),
            ("projects", "---\ntitle: Sky\nsummary: S\ncohort: \"\"\nareas: [telecom]\nstage: pilot\ntrl: 6\n---\n", "cohort", 4, "content/cohorts/"),
            ("news", "---\ntitle: N\ndate: 2025-01-01\nsummary: \"\"\n---\n", "summary", 4, "remove the line: it is optional"),
            ("cohorts", "---\ntitle: C\nstart: 2025-01-01\nend: 2025-02-01\ntrack: \"\"\n---\n", "track", 5, "cohort's focus"),
            ("demos", "---\ntitle: D\ndate: 2025-01-01\nvenue: \" \"\n---\n", "venue", 4, "where it takes place"),
            ("pages", "---\ntitle: P\ndescription: \"\"\n---\n", "description", 3, "search engines"),
        ] {
            let e = parse(&source(section, "x", text), &config()).unwrap_err();
            assert_eq!(e.len(), 1, "{e:?}");
            assert_eq!(e[0].line, Some(line), "{field}");
            assert_eq!(e[0].message, format!("`{field}` is empty"));
            assert!(e[0].help.as_deref().is_some_and(|h| h.contains(help)), "{:?}", e[0].help);
        }
        // A translation's blank field would hide the original's: say so.
        let mut s = source("projects", "x", "---\nsummary: \"\"\n---\n");
        s.lang = Some("kk".into());
        let e = parse(&s, &config()).unwrap_err();
        assert!(
            e[0].help
                .as_deref()
                .is_some_and(|h| h.contains("the original's")),
            "{e:?}"
        );
    }

    #[test]
    fn yaml_errors_point_at_file_lines() {
        let s = source("projects", "sky", "---\ntitle: Sky\ntrl: \"7a\"\n---\n");
        let e = parse(&s, &config()).unwrap_err();
        assert_eq!((e[0].line, e[0].column), (Some(3), Some(6)), "{}", e[0]);
    }

    #[test]
    fn unknown_field_suggests() {
        let s = source("news", "2025-01-01-a", "---\ntitle: A\ndrat: true\n---\n");
        let e = parse(&s, &config()).unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert_eq!(e[0].help.as_deref(), Some("did you mean `draft`?"));
    }

    #[test]
    fn news_date_from_file_name() {
        let s = source("news", "2025-11-24-opening", "---\ntitle: A\n---\n");
        let item = parse(&s, &config()).unwrap();
        assert_eq!(item.slug, "opening");
        assert_eq!(item.meta.date.unwrap().to_string(), "2025-11-24");
    }

    #[test]
    fn value_errors_are_all_reported() {
        let s = source("projects", "x", "---\ntitle: X\nsummary: S\ncohort: c\nareas: [telecom]\nstage: pilott\ntrl: 12\ndate: 2025-02-30\nlinks: {website: \"javascript:alert(1)\"}\n---\n");
        let e = parse(&s, &config()).unwrap_err();
        let lines: Vec<_> = e.iter().map(|e| e.line.unwrap()).collect();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            lines.contains(&6) && lines.contains(&7) && lines.contains(&8) && lines.contains(&9)
        );
    }

    #[test]
    fn delimiters_open_and_close_by_one_rule() {
        for d in ["---", "---  ", "---\t", "--- \t "] {
            assert!(is_delimiter(d), "{d:?}");
            assert!(is_delimiter(&format!("{d}\n")), "{d:?}");
            let s = source("pages", "a", &format!("{d}\ntitle: A\n{d}\nBody\n"));
            let (yaml, body, line) = split_front_matter(&s).unwrap();
            assert_eq!((yaml, body, line), ("title: A\n", "Body\n", 4), "{d:?}");
        }
        for not in ["----", "--- x", "---x", " ---", "-- -", ""] {
            assert!(!is_delimiter(not), "{not:?}");
        }
        let s = source("pages", "a", "----\ntitle: A\n---\n");
        assert!(split_front_matter(&s).is_err());
    }

    #[test]
    fn date_prefixes_that_are_not_dates_say_which_part_is_wrong() {
        fn why(n: &str) -> Option<Result<(String, &str), String>> {
            split_date_prefix(n).map(|r| r.map(|(d, s)| (d.to_string(), s)))
        }
        assert_eq!(why("2026-01-13-x"), Some(Ok(("2026-01-13".into(), "x"))));
        assert_eq!(
            why("2026-13-01-x"),
            Some(Err("13 is not a month (months are 01 to 12)".into()))
        );
        assert_eq!(
            why("2026-00-10-x"),
            Some(Err("00 is not a month (months are 01 to 12)".into()))
        );
        assert_eq!(
            why("9999-99-99-x"),
            Some(Err("99 is not a month (months are 01 to 12)".into()))
        );
        assert_eq!(
            why("2026-02-30-x"),
            Some(Err("February 2026 has 28 days, not 30".into()))
        );
        assert_eq!(
            why("2024-02-30"),
            Some(Err("February 2024 has 29 days, not 30".into()))
        );
        assert_eq!(
            why("2026-04-00-x"),
            Some(Err("00 is not a day (days start at 01)".into()))
        );
        // Not the shape of a date prefix: the name is the slug, as before.
        for n in [
            "2026-1-13-x",
            "2026-01-13x",
            "opening",
            "2026-01-13",
            "20260113-x",
        ] {
            assert_eq!(why(n), None, "{n}");
        }
    }

    #[test]
    fn unclosed_front_matter() {
        let s = source("pages", "a", "---\ntitle: A\n");
        assert_eq!(parse(&s, &config()).unwrap_err()[0].line, Some(1));
    }

    #[test]
    fn slugs() {
        assert!(check_slug("../x").is_err());
        assert!(check_slug("a/b").is_err());
        assert!(check_slug("%2e").is_err());
        assert!(check_slug("").is_err());
        assert!(check_slug(&"ж".repeat(101)).is_err(), "202 bytes");
        assert!(check_slug(&"ж".repeat(100)).is_ok());
        assert_eq!(check_slug("орбита").unwrap(), "орбита");
        assert_eq!(check_slug("हिन्दी").unwrap(), "हिन्दी");
        assert!(check_slug("\u{301}a").is_err(), "a mark of no letter");
        assert!(check_slug("a-\u{301}").is_err(), "a mark of no letter");
    }

    #[test]
    fn tag_slugs_are_one_however_written_and_never_merge_scripts() {
        for (tag, slug) in [
            ("5G", Some("5g")),
            (" 5g ", Some("5g")),
            ("５Ｇ", Some("5g")),
            ("Кибер", Some("kiber")),
            ("кибер", Some("kiber")),
            ("Қорғаныс", Some("qorganys")),
            ("ЗА́МОК", Some("zamok")),
            ("Défense", Some("defense")),
            ("无人机", Some("无人机")),
            ("无人机 2025", Some("无人机-2025")),
            ("ドローン 2025", Some("ドローン-2025")),
            ("हिन्दी", Some("हिन्दी")),
            ("con", Some("con_")),
            ("NUL", Some("nul_")),
            ("Com1", Some("com1_")),
            ("CON.txt", Some("con-txt")),
            ("page", Some("page")),
            ("atom.xml", Some("atom-xml")),
            ("<script>alert(1)</script>", Some("script-alert-1-script")),
            ("🚀", None),
            ("!!!", None),
            ("../..", None),
            ("   ", None),
        ] {
            assert_eq!(tag_slug(tag).as_deref(), slug, "{tag}");
        }
        // Every slug is a file name any system can hold, up to the length limit.
        for tag in [
            "aux",
            "ＡＵＸ",
            "LPT9",
            "com²",
            "a.",
            "x:y",
            "a/b",
            "%2e%2e",
        ] {
            let slug = tag_slug(tag).unwrap();
            assert_eq!(crate::output::path::check_component(&slug), Ok(()), "{tag}");
        }
    }

    #[test]
    fn blank_and_overlong_tags_are_errors_at_their_line() {
        let long = "ж".repeat(101);
        let s = source(
            "news",
            "2025-01-01-a",
            &format!("---\ntitle: A\ntags:\n  - ok\n  - \"  \"\n  - {long}\n---\n"),
        );
        let e = parse(&s, &config()).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].message, "a tag is empty");
        assert_eq!(e[1].line, Some(6));
        assert_eq!(e[1].column, Some(5));
        assert!(
            e[1].message
                .contains("its slug is 202 bytes; the limit is 200"),
            "{}",
            e[1].message
        );
        assert!(e[1].help.as_deref().unwrap().starts_with("shorten the tag"));
        // 100 letters (200 bytes of slug) are a tag.
        let s = source(
            "news",
            "2025-01-01-a",
            &format!("---\ntitle: A\ntags: [{}]\n---\n", "ж".repeat(100)),
        );
        assert!(parse(&s, &config()).is_ok());
    }

    #[test]
    fn times_of_day_are_hh_mm_on_a_24_hour_clock() {
        assert_eq!(parse_time("14:00"), Time::new(14, 0, 0, 0).ok());
        assert_eq!(parse_time("9:30"), Time::new(9, 30, 0, 0).ok());
        assert_eq!(parse_time(" 00:00 "), Some(Time::midnight()));
        for bad in [
            "24:00",
            "14:60",
            "1400",
            "14:0",
            "14:00:00",
            "2pm",
            "",
            ":30",
            "+1:00",
            "١٤:٠٠",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_demo_day_has_times_where_a_cohort_has_days() {
        let s = source(
            "demos",
            "d",
            "---\ntitle: D\ndate: 2026-12-11\nstart: 14:00\nend: \"17:30\"\n---\n",
        );
        let item = parse(&s, &config()).unwrap();
        assert_eq!(item.meta.start_time, Time::new(14, 0, 0, 0).ok());
        assert_eq!(item.meta.end_time, Time::new(17, 30, 0, 0).ok());
        assert_eq!((item.meta.start, item.meta.end), (None, None));
        let s = source(
            "demos",
            "d",
            "---\ntitle: D\ndate: 2026-12-11\nend: \"17:30\"\n---\n",
        );
        let e = parse(&s, &config()).unwrap_err();
        assert_eq!((e[0].line, e[0].column), (Some(4), Some(1)));
    }

    #[test]
    fn instants_use_the_site_zone() {
        let tz = jiff::tz::TimeZone::get("Asia/Almaty").unwrap();
        let t = parse_instant("2030-01-01", &tz).unwrap();
        assert_eq!(t.to_string(), "2029-12-31T19:00:00Z");
        assert!(parse_instant("soon", &tz).is_none());
    }
}
