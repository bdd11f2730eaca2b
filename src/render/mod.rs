//! Rendering: builds the documented template context for every page of every language and
//! runs Tera over it, in parallel. Returns the finished files as data.
//!
//! Invariant: no filesystem access; `internal` fields are never put into any context; every
//! page records the items it shows (`OutputFile::items`), so the dev server can re-render only
//! the pages a change touches.
//!
//! [`search`] builds the search index and [`jsonld`] the structured data the pages embed.

pub mod jsonld;
pub mod search;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{json, Map, Value};
use tera::{Context, ErrorKind, Tera};

use crate::config::Config;
use crate::content::Kind;
use crate::error::{Error, Errors};
use crate::site::{fingerprint, item_path, BuildOptions, ItemId, Site, Version};
use crate::source::{FileData, Sources, TextFile};

/// What a file of the output holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// Rendered bytes (shared with the preview's memo of the last render).
    Bytes(Arc<Vec<u8>>),
    /// A file copied as is.
    Copy(FileData),
    /// Rendered bytes already written to the output as they were made (`build` streams
    /// its pages so that the peak memory does not grow with the site): their length.
    Streamed(u64),
}

/// The source an output file comes from: what a collision or a write error names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Made from this content file (relative to the site root): an item's page, the
    /// redirect of one of its `aliases:`, or a file of its bundle.
    Content(PathBuf),
    /// Copied from `static/` of the site or of the theme: the file (relative to the site
    /// root, or under `(built-in theme)/static/`).
    Static(PathBuf),
    /// A page the site makes itself from the template of that name (a list, a feed, the
    /// sitemap), or a search-index file (no template).
    Generated(Option<String>),
}

impl Origin {
    /// The file to name in a message about `output` (a path relative to the output folder):
    /// the source file, or `(the generated page /OUTPUT)`.
    pub fn file(&self, output: &str) -> PathBuf {
        match self {
            Origin::Content(p) | Origin::Static(p) => p.clone(),
            Origin::Generated(_) => PathBuf::from(format!("(the generated page /{output})")),
        }
    }

    /// Whether the site makes this file itself (no user file to blame).
    pub fn is_generated(&self) -> bool {
        matches!(self, Origin::Generated(_))
    }
}

/// One file of the finished site; only [`crate::output`] writes it.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated (`projects/a/index.html`).
    pub path: String,
    /// Content.
    pub data: Data,
    /// The source it comes from.
    pub origin: Origin,
    /// Template that made it, if any.
    pub template: Option<String>,
    /// Items shown on it (the page depends on their files).
    pub items: Arc<[ItemId]>,
}

/// The parsed templates and UI strings of the theme.
pub struct Templates {
    tera: Tera,
    /// UI strings of every language, resolved along the fallback chain.
    i18n: Arc<crate::i18n::Catalog>,
    origins: HashMap<String, PathBuf>,
    /// Hash of every template and UI string: a change re-renders every page.
    fingerprint: u64,
    /// What the theme lacks but the pages survive: missing UI strings and plural forms.
    pub warnings: Errors,
    /// Components that call themselves, directly or through others: (file, line of the
    /// definition, `a -> b -> a`). A recursion that ends is allowed; one that Tera stops at
    /// its depth limit is reported with this, since Tera's own message names no place.
    component_loops: Vec<(PathBuf, usize, String)>,
}

/// A hash of every template and UI string of `sources`.
pub fn templates_fingerprint(sources: &Sources) -> u64 {
    let files: Vec<_> = sources
        .templates
        .iter()
        .chain(&sources.i18n)
        .map(|t| (&t.name, &t.origin, &t.text))
        .collect();
    fingerprint(files)
}

/// Hands `file` to `sink`, if any, and keeps only its length.
fn stream(file: &mut OutputFile, sink: Option<&Sink>) {
    if let (Some(sink), Data::Bytes(b)) = (sink, &file.data) {
        let len = b.len() as u64;
        sink(file);
        file.data = Data::Streamed(len);
    }
}

/// Puts `value` into the context under `key`, converted once into Tera's value (whose lists,
/// maps and long strings are shared behind reference counts).
fn put(ctx: &mut Context, key: &'static str, value: impl Into<Value>) {
    put_value(ctx, key, tera::Value::from_serializable(&value.into()));
}

/// Puts a value already converted (a list entry built once per language and item, shared
/// by every page that shows it: cloning it is a reference count).
fn put_value(ctx: &mut Context, key: &'static str, value: tera::Value) {
    ctx.insert_value(key, value);
}

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "projects.html",
    "project.html",
    "cohorts.html",
    "cohort.html",
    "demos.html",
    "demo.html",
    "news_list.html",
    "news.html",
    "areas.html",
    "area.html",
    "page.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
];

/// Templates a theme may leave out: the pages they render are then not made.
pub const OPTIONAL_TEMPLATES: &[&str] = &["search.html", "stage.html"];

impl Templates {
    /// Parses the theme's templates and i18n files.
    pub fn load(sources: &Sources, config: &Config) -> Result<Templates, Errors> {
        let mut errors = Vec::new();
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.set_escape_fn(escape_to);
        // Tera 2 has no `get_env`: a theme cannot print the build machine's secrets, and a
        // template calling it fails to load ("unknown function").
        // UI strings first: the `plural` and `date` helpers read them (issue 7), and Tera 2
        // checks at load that every filter and function a template calls exists.
        let (i18n, warnings) = match crate::i18n::Catalog::load(&sources.i18n, config) {
            Ok((catalog, warnings)) => (Arc::new(catalog), warnings),
            Err(e) => {
                errors.extend(e);
                (Arc::default(), Vec::new())
            }
        };
        crate::i18n::register(&mut tera, Arc::clone(&i18n));
        // JSON for a `<script>` element, escaped as `crate::render::jsonld` does.
        tera.register_filter("json_encode", json_encode);
        let origins: HashMap<String, PathBuf> = sources
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        // A template written for Tera 1 gets one error saying what changed, rather than the
        // parser's first complaint.
        let mut pending: Vec<&TextFile> = Vec::new();
        for t in &sources.templates {
            match tera1_syntax(t) {
                Some(e) => errors.push(e),
                None => pending.push(t),
            }
        }
        let mut syntax_errors = !errors.is_empty();
        // Tera 2 stops at the first file that does not parse: name it, set it aside and try
        // the others, so that every file's syntax error is reported at once.
        while !pending.is_empty() {
            let batch = pending.iter().map(|t| (t.name.as_str(), t.text.as_str()));
            let Err(e) = tera.add_raw_templates(batch) else {
                break;
            };
            if let ErrorKind::SyntaxError(report) = e.kind() {
                let name = report.filename().to_string();
                errors.push(report_error(report, &e.to_string(), &origins));
                syntax_errors = true;
                let before = pending.len();
                pending.retain(|t| t.name != name);
                if pending.len() < before {
                    continue;
                }
            } else if !syntax_errors {
                // Checks across files (unknown filter, component or parent, loops) mean
                // something only once every file parses.
                errors.extend(load_errors(&e, &origins, &sources.templates));
            }
            break;
        }
        for name in REQUIRED_TEMPLATES {
            if !origins.contains_key(*name) {
                errors.push(
                    Error::new(
                        format!("themes/{}/templates/{name}", config.theme),
                        "the theme has no such template",
                    )
                    .with_help("add it to the theme, or to the site's templates/ folder"),
                );
            }
        }
        if errors.is_empty() {
            Ok(Templates {
                tera,
                i18n,
                origins,
                fingerprint: templates_fingerprint(sources),
                warnings,
                component_loops: component_loops(&sources.templates),
            })
        } else {
            Err(errors)
        }
    }

    /// Whether the theme (or the site) has template `name`.
    pub fn has(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    /// The UI strings for `lang`, each key taken along the fallback chain.
    fn strings(&self, _config: &Config, lang: &str) -> Map<String, Value> {
        let mut t = self.i18n.json(lang);
        // Macros see only their arguments: `date(lang=t._lang)` there passes a short string,
        // where `date(t=t)` would copy every UI string for every date shown.
        t.insert("_lang".into(), Value::String(lang.to_string()));
        t
    }
}

/// Components that call themselves, directly or through others: (file and line of the
/// definition, the chain of calls), in template order.
fn component_loops(templates: &[TextFile]) -> Vec<(PathBuf, usize, String)> {
    // name -> (file, line, components called in the body)
    let mut defs: Vec<(String, PathBuf, usize, Vec<String>)> = Vec::new();
    for t in templates {
        let text = blank_comments(&t.text);
        let mut from = 0;
        while let Some(open) = text[from..].find("{%").map(|i| from + i) {
            from = open + 2;
            let rest = text[open + 2..].trim_start_matches(|c: char| c == '-' || c.is_whitespace());
            let Some(def) = rest.strip_prefix("component ") else {
                continue;
            };
            let name: String = def
                .trim_start()
                .chars()
                .take_while(|&c| is_ident(c) || c == '.')
                .collect();
            let end = text[open..]
                .find("endcomponent")
                .map_or(text.len(), |i| open + i);
            let body = &text[open..end];
            let mut calls = Vec::new();
            for (i, _) in body.match_indices('<') {
                let callee: String = body[i + 1..]
                    .chars()
                    .take_while(|&c| is_ident(c) || c == '.')
                    .collect();
                let before = body[..i].trim_end();
                if !callee.is_empty() && (before.ends_with("{{") || before.ends_with("{%")) {
                    calls.push(callee);
                }
            }
            let line = text[..open].matches('\n').count() + 1;
            defs.push((name, t.origin.clone(), line, calls));
            from = end;
        }
    }
    let mut loops = Vec::new();
    for (name, origin, line, _) in &defs {
        // Depth-first search for a path of calls back to `name`.
        let mut stack: Vec<Vec<&str>> = vec![vec![name.as_str()]];
        let mut seen = std::collections::HashSet::new();
        while let Some(path) = stack.pop() {
            let last = path.last().copied().unwrap_or_default();
            let calls = defs.iter().filter(|d| d.0 == last).flat_map(|d| &d.3);
            for callee in calls {
                if callee == name {
                    let mut chain = path.clone();
                    chain.push(callee);
                    loops.push((origin.clone(), *line, chain.join(" -> ")));
                    stack.clear();
                    break;
                }
                if seen.insert(callee.as_str()) {
                    let mut longer = path.clone();
                    longer.push(callee);
                    stack.push(longer);
                }
            }
        }
    }
    loops
}

/// Where the README explains what a theme written for Tera 1 must change.
const MIGRATION_HELP: &str =
    "see \"Migrating templates from Tera 1\" in the README: showcase now uses Tera 2";

/// The first construct of `t` that only Tera 1 understands (macros, imports, `as_str`,
/// positional test arguments), as an error naming the file and line and what changed.
fn tera1_syntax(t: &TextFile) -> Option<Error> {
    let text = blank_comments(&t.text);
    let mut found: Option<(usize, String)> = None;
    let mut note = |at: usize, what: String| {
        if found.as_ref().is_none_or(|(first, _)| at < *first) {
            found = Some((at, what));
        }
    };
    let mut from = 0;
    while let Some(open) = text[from..].find(['{']).map(|i| from + i) {
        from = open + 1;
        let close = match text.get(open..open + 2) {
            Some("{%") => "%}",
            Some("{{") => "}}",
            _ => continue,
        };
        let Some(len) = text[open + 2..].find(close) else {
            break;
        };
        let inner = &text[open + 2..open + 2 + len];
        let tag = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let keyword = tag.split_whitespace().next().unwrap_or("");
        if close == "%}" && keyword == "raw" {
            // Text between raw tags is printed as is, never parsed: skip to the endraw.
            let after = open + 2 + len + 2;
            from = text[after..]
                .match_indices("{%")
                .find(|(i, _)| {
                    text[after + i + 2..]
                        .trim_start_matches(|c: char| c == '-' || c.is_whitespace())
                        .starts_with("endraw")
                })
                .map_or(text.len(), |(i, _)| after + i);
            continue;
        }
        if close == "%}" && ["macro", "endmacro"].contains(&keyword) {
            note(
                open,
                "`{% macro %}` is gone in Tera 2: write `{% component name(args) %}…{% endcomponent name %}` \
                 and call it as `{{<name arg={value} />}}`"
                    .into(),
            );
        } else if close == "%}" && keyword == "import" {
            note(
                open,
                "`{% import %}` is gone in Tera 2: components are global, call them without a namespace"
                    .into(),
            );
        }
        if let Some(at) = macro_call(inner) {
            note(
                open + 2 + at,
                "`ns::name(...)` macro calls are gone in Tera 2: call a component, `{{<name arg={value} />}}`"
                    .into(),
            );
        }
        if let Some(at) = find_filter(inner, "as_str") {
            note(
                open + 2 + at,
                "the `as_str` filter is called `str` in Tera 2".into(),
            );
        }
        if let Some((at, test)) = positional_test(inner) {
            note(
                open + 2 + at,
                format!("tests take keyword arguments in Tera 2: `is {test}(pat=...)`, not `is {test}(...)`"),
            );
        }
        from = open + 2 + len + 2;
    }
    let (at, what) = found?;
    let line = text[..at].matches('\n').count() + 1;
    Some(
        Error::at(
            &t.origin,
            line,
            None,
            format!("this template is written for Tera 1: {what}"),
        )
        .with_help(MIGRATION_HELP),
    )
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The offset of the first `ns::name(` call in an expression.
fn macro_call(expr: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = expr[from..].find("::").map(|i| from + i) {
        let ns_start = expr[..at]
            .rfind(|c: char| !is_ident(c))
            .map_or(0, |i| i + 1);
        let after = &expr[at + 2..];
        let name_len = after.find(|c: char| !is_ident(c)).unwrap_or(after.len());
        if ns_start < at && name_len > 0 && after[name_len..].trim_start().starts_with('(') {
            return Some(ns_start);
        }
        from = at + 2;
    }
    None
}

/// The offset of `| name` (a filter applied) in an expression.
fn find_filter(expr: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(bar) = expr[from..].find('|').map(|i| from + i) {
        let rest = expr[bar + 1..].trim_start();
        let start = expr.len() - rest.len();
        if rest.starts_with(name) && !rest[name.len()..].starts_with(is_ident) {
            return Some(start);
        }
        from = bar + 1;
    }
    None
}

/// The offset and name of the first test given a positional argument: `is name("x")`.
fn positional_test(expr: &str) -> Option<(usize, String)> {
    let mut from = 0;
    while let Some(at) = expr[from..].find(" is ").map(|i| from + i) {
        let mut rest = expr[at + 4..].trim_start();
        if let Some(r) = rest.strip_prefix("not ") {
            rest = r.trim_start();
        }
        let name_len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        if let Some(args) = after.trim_start().strip_prefix('(') {
            let args = args.trim_start();
            let keyword = args.find(|c: char| !is_ident(c)).is_some_and(|n| {
                n > 0
                    && args[n..].trim_start().starts_with('=')
                    && !args[n..].trim_start().starts_with("==")
            });
            if !args.starts_with(')') && !keyword {
                return Some((expr.len() - rest.len(), name.to_string()));
            }
        }
        from = at + 4;
    }
    None
}

/// The template text with `{# comments #}` blanked out (newlines kept, so lines still count).
fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{#") {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find("#}") else {
            rest = "";
            break;
        };
        out.extend(rest[open..open + close + 2].chars().filter(|c| *c == '\n'));
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML and XML (elements and quoted attributes). Unlike Tera's default it
/// leaves `/` alone and writes `'` as `&#x27;`, so URLs printed without `| safe` stay readable
/// and the output stays what it was under Tera 1.
pub fn escape(input: &str) -> String {
    let mut out = Vec::with_capacity(input.len() + 16);
    // Writing into a Vec cannot fail.
    let _ = escape_to(input, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`escape`] as Tera's escape function: writes into `out`.
fn escape_to(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Runs without special characters are copied whole: most text has none, and this runs
    // on every printed value of every page.
    let bytes = input.as_bytes();
    let mut last = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#x27;",
            _ => continue,
        };
        out.write_all(&bytes[last..i])?;
        out.write_all(entity)?;
        last = i + 1;
    }
    out.write_all(&bytes[last..])
}

/// The `json_encode` filter (Tera 2 has none built in): `value` as JSON that is safe inside a
/// `<script>` element, `<`, `>` and `&` written as JSON escapes as in [`crate::render::jsonld`].
fn json_encode(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    serde_json::to_value(&value)
        .map(|v| crate::render::jsonld::script_safe(&v))
        .map_err(|e| tera::Error::message(format!("json_encode: {e}")))
}

/// The file of template `name` (relative to the site root), or `templates` when unknown.
fn origin_of_template(name: &str, origins: &HashMap<String, PathBuf>) -> PathBuf {
    origins
        .get(name)
        .cloned()
        .unwrap_or_else(|| PathBuf::from("templates"))
}

/// A located Tera error (syntax or render) as one of ours: the template's file, line and
/// column, the message, and the components it was called from.
fn report_error(
    report: &tera::ReportError,
    formatted: &str,
    origins: &HashMap<String, PathBuf>,
) -> Error {
    let span = report.span();
    let mut message = report.message().to_string();
    // The "called from" trail through components is only in the formatted report.
    for (name, line) in report_notes(formatted) {
        message.push_str(&format!(
            " (called from {}:{line})",
            origin_of_template(&name, origins).display()
        ));
    }
    let mut e = Error::at(
        origin_of_template(report.filename(), origins),
        span.start_line,
        Some(span.start_col + 1),
        message,
    );
    if let Some(help) = tera1_help(report.message()) {
        e = e.with_help(help);
    }
    e
}

/// `(template, line)` of every `note: called from NAME:LINE:COL` of a formatted report.
fn report_notes(text: &str) -> Vec<(String, usize)> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("note: called from "))
        .filter_map(|at| {
            let mut parts = at.trim().rsplitn(3, ':');
            let _col = parts.next()?;
            let line = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), line))
        })
        .collect()
}

/// Help for a load error that a template written for Tera 1 meets.
fn tera1_help(message: &str) -> Option<String> {
    [
        ("`as_str`", "the `as_str` filter is called `str` in Tera 2"),
        ("`json_encode`", "`json_encode` is not built into Tera 2"),
        ("`get_env`", "`get_env` does not exist in showcase themes"),
    ]
    .iter()
    .find(|(key, _)| message.contains(key))
    .map(|(_, what)| format!("{what}; {MIGRATION_HELP}"))
}

/// Tera's load-time errors (unknown filters, functions, components or parents, include and
/// extends loops) as ours, each naming its template's file and, where Tera says, its line.
fn load_errors(
    e: &tera::Error,
    origins: &HashMap<String, PathBuf>,
    templates: &[TextFile],
) -> Errors {
    let cycle = |tpl: &str, chain: &[String], what: &str| {
        // Tera names no line: the first `include`/`extends` of the next template in the loop.
        let next = chain.get(1).map_or(tpl, String::as_str);
        let line = templates.iter().find(|t| t.name == tpl).and_then(|t| {
            let text = blank_comments(&t.text);
            let at = text.find(&format!("\"{next}\""))?;
            Some(text[..at].matches('\n').count() + 1)
        });
        let message = format!(
            "the templates {what} each other in a loop: {}",
            chain.join(" -> ")
        );
        let e = match line {
            Some(line) => Error::at(origin_of_template(tpl, origins), line, None, message),
            None => Error::new(origin_of_template(tpl, origins), message),
        };
        e.with_help("break the loop: a template must not include or extend itself")
    };
    match e.kind() {
        ErrorKind::CircularInclude { tpl, include_chain } => {
            vec![cycle(tpl, include_chain, "include")]
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let mut chain = inheritance_chain.clone();
            if chain.first() != Some(tpl) {
                chain.insert(0, tpl.clone());
            }
            if chain.last() != Some(tpl) {
                chain.push(tpl.clone());
            }
            vec![cycle(tpl, &chain, "extend")]
        }
        ErrorKind::MissingParent { current, parent } => vec![Error::new(
            origin_of_template(current, origins),
            format!("`{{% extends \"{parent}\" %}}` names a template that does not exist"),
        )],
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            vec![report_error(r, &e.to_string(), origins)]
        }
        _ => {
            let text = e.to_string();
            let found = parse_reports(&text, origins);
            if found.is_empty() {
                vec![Error::new("templates", text)]
            } else {
                found
            }
        }
    }
}

/// The reports of a formatted Tera error (`error: MESSAGE` then ` --> NAME:LINE:COL`).
fn parse_reports(text: &str, origins: &HashMap<String, PathBuf>) -> Errors {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(message) = l.strip_prefix("error: ") else {
            continue;
        };
        let Some(at) = lines
            .get(i + 1)
            .and_then(|n| n.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = at.trim().rsplitn(3, ':');
        let col = parts.next().and_then(|c| c.parse().ok());
        let line = parts.next().and_then(|c| c.parse().ok());
        let Some(name) = parts.next() else { continue };
        let path = origin_of_template(name, origins);
        let mut e = match line {
            Some(line) => Error::at(path, line, col, message),
            None => Error::new(path, message),
        };
        if let Some(help) = tera1_help(message) {
            e = e.with_help(help);
        }
        found.push(e);
    }
    found
}

/// A Tera error met while rendering page template `template`: where Tera located it (which
/// may be a parent template or a component's file), else the page's template.
fn render_error(template: &str, e: &tera::Error, templates: &Templates) -> Error {
    let origins = &templates.origins;
    match e.kind() {
        ErrorKind::RenderingError(r) | ErrorKind::SyntaxError(r) => {
            report_error(r, &e.to_string(), origins)
        }
        _ => {
            let text = e.to_string();
            if text.contains("recursion depth for components") {
                // Tera names neither template nor line: name the loop of calls it went round.
                let e = match templates.component_loops.first() {
                    Some((origin, line, chain)) => Error::at(
                        origin,
                        *line,
                        None,
                        format!(
                            "a component calls itself more than 20 levels deep: {chain} \
                             (while rendering {template})"
                        ),
                    ),
                    None => Error::new(
                        origin_of_template(template, origins),
                        "a component calls itself, directly or through others, more than 20 levels deep",
                    ),
                };
                return e.with_help("write the repetition as a `{% for %}` loop over the data");
            }
            let mut found = parse_reports(&text, origins);
            if found.is_empty() {
                Error::new(origin_of_template(template, origins), text)
            } else {
                found.swap_remove(0)
            }
        }
    }
}

/// A page that did not render: template, output path, error.
type Failure = (String, String, Error);

/// One page to render: where it goes, with which template, showing what.
struct Job {
    /// Output file (`ru/projects/a/index.html`).
    path: String,
    /// Page path without language prefix (`/projects/a/`).
    page_path: String,
    template: &'static str,
    /// Language index.
    lang: usize,
    what: What,
    /// Items the page shows: it must be rendered again when one of them changes.
    items: Arc<[ItemId]>,
}

impl Job {
    /// Whether the page shows item `id` whole (body included), not only its summary.
    fn shows_whole(&self, id: ItemId, site: &Site) -> bool {
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
enum What {
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

/// What a render produced, kept by the preview so that the next render redoes only the pages
/// whose items, template or settings changed.
#[derive(Default)]
pub struct Memo {
    /// Per item id: a fingerprint of everything a template can see of the item.
    fingerprints: Vec<u64>,
    /// Per language and item: the item's list entry.
    summaries: Vec<Vec<Arc<Value>>>,
    /// The same entries as Tera values, converted once.
    summary_values: Vec<Vec<tera::Value>>,
    /// Per item id: a fingerprint of its summary (what lists show).
    summary_fingerprints: Vec<u64>,
    /// The search index, updated in place by the next render.
    search: search::Index,
    /// Per item id: kind and slug, to notice items added, removed or renamed.
    keys: Vec<(Kind, String)>,
    /// Fingerprint of what every page sees: settings, UI strings, templates, the date.
    global: u64,
    /// Per output path: template, items shown, bytes.
    pages: HashMap<String, MemoPage>,
}

/// A page as the memo keeps it: template, items shown, bytes.
type MemoPage = (&'static str, Arc<[ItemId]>, Arc<Vec<u8>>);

/// Takes each page as soon as it is rendered (`build` checks and writes it at once, so that
/// the pages need not all be held in memory); the page is then [`Data::Streamed`].
pub type Sink<'a> = dyn Fn(&OutputFile) + Sync + 'a;

/// The result of a render.
pub struct Render {
    /// Every file of the site, sorted by path.
    pub files: Vec<OutputFile>,
    /// Pages that went through a template this time (the others were reused).
    pub rendered: usize,
    /// What the next incremental render compares with.
    pub memo: Memo,
}

/// Renders every page of the site (the files sorted by path). With `previous`, a page whose
/// template, items and settings are unchanged is taken from it instead of being rendered
/// again: the result is the same as a full render.
pub fn render_site(
    site: &Site,
    templates: &Templates,
    options: &BuildOptions,
    previous: Option<&mut Memo>,
    sink: Option<&Sink>,
) -> Result<Render, Errors> {
    let today = options.now.to_zoned(site.config.timezone.clone()).date();
    let common = (0..site.config.languages.len())
        .map(|l| Builder::common_context(site, templates, l, options.drafts, today))
        .collect();
    let strings = site
        .config
        .languages
        .iter()
        .map(|x| templates.strings(&site.config, &x.code))
        .collect();
    let mut builder = Builder {
        site,
        today,
        common,
        strings,
        summaries: Vec::new(),
        summary_values: Vec::new(),
        has_stage_pages: templates.has("stage.html"),
        has_search_page: templates.has("search.html"),
    };

    let memo_keys: Vec<(Kind, String)> = site
        .entries
        .iter()
        .map(|e| (e.kind, e.slug.clone()))
        .collect();
    let fingerprints: Vec<u64> = site.entries.iter().map(|e| e.fingerprint).collect();
    let global = fingerprint((
        format!("{:?}", site.config),
        templates.fingerprint,
        options.drafts,
        today.to_string(),
    ));
    // Everything must be rendered again when the settings or the set of items changed.
    let mut previous = previous.filter(|p| p.global == global && p.keys == memo_keys);
    let previous_search = previous.as_mut().map(|p| std::mem::take(&mut p.search));
    let previous = previous.map(|p| &*p);
    let unchanged = |id: ItemId| previous.is_some_and(|p| p.fingerprints[id] == fingerprints[id]);
    // Lists show the same items again and again: build each list entry once, and keep it
    // (with its fingerprint) while the item does not change.
    builder.summaries = (0..site.config.languages.len())
        .map(|l| {
            (0..site.entries.len())
                .into_par_iter()
                .map(|id| match previous {
                    Some(p) if unchanged(id) => Arc::clone(&p.summaries[l][id]),
                    _ => Arc::new(builder.build_item_json(l, id, false)),
                })
                .collect()
        })
        .collect();
    builder.summary_values = (0..site.config.languages.len())
        .map(|l| {
            (0..site.entries.len())
                .into_par_iter()
                .map(|id| match previous {
                    Some(p) if unchanged(id) => p.summary_values[l][id].clone(),
                    _ => tera::Value::from_serializable(&*builder.summaries[l][id]),
                })
                .collect()
        })
        .collect();
    // A list shows an item's summary only: a change to its body alone leaves lists alone.
    let summary_fingerprints: Vec<u64> = (0..site.entries.len())
        .into_par_iter()
        .map(|id| match previous {
            Some(p) if unchanged(id) => p.summary_fingerprints[id],
            _ => fingerprint(
                (0..site.config.languages.len())
                    .map(|l| builder.summaries[l][id].to_string())
                    .collect::<Vec<_>>(),
            ),
        })
        .collect();
    let differs = |now: &[u64], before: Option<&Vec<u64>>| -> Vec<bool> {
        match before {
            Some(b) => now.iter().zip(b).map(|(a, b)| a != b).collect(),
            None => vec![true; now.len()],
        }
    };
    let changed = differs(&fingerprints, previous.map(|p| &p.fingerprints));
    let changed_summary = differs(
        &summary_fingerprints,
        previous.map(|p| &p.summary_fingerprints),
    );

    let mut jobs = Vec::new();
    for l in 0..site.config.languages.len() {
        builder.language_jobs(l, &mut jobs);
    }
    builder.site_jobs(&mut jobs);
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<OutputFile, Box<Failure>>> = jobs
        .into_par_iter()
        .map(|job| {
            let reuse =
                previous
                    .and_then(|p| p.pages.get(&job.path))
                    .filter(|(template, items, _)| {
                        *template == job.template
                            && *items == job.items
                            && !job.items.iter().any(|&i| {
                                if job.shows_whole(i, site) {
                                    changed[i]
                                } else {
                                    changed_summary[i]
                                }
                            })
                    });
            let bytes = match reuse {
                Some((_, _, bytes)) => Arc::clone(bytes),
                None => {
                    rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    match templates.tera.render(job.template, &builder.context(&job)) {
                        // A theme's text may still carry a character XML forbids: no page
                        // or feed ever holds one (see `crate::xmlchar`).
                        Ok(html) => Arc::new(match crate::xmlchar::strip(html.as_bytes()) {
                            std::borrow::Cow::Borrowed(_) => html.into_bytes(),
                            std::borrow::Cow::Owned(clean) => clean,
                        }),
                        Err(e) => {
                            return Err(Box::new((
                                job.template.to_string(),
                                job.path,
                                render_error(job.template, &e, templates),
                            )));
                        }
                    }
                }
            };
            let origin = builder.origin_of(&job);
            let mut file = OutputFile {
                path: job.path,
                data: Data::Bytes(bytes),
                origin,
                template: Some(job.template.to_string()),
                items: job.items,
            };
            stream(&mut file, sink);
            Ok(file)
        })
        .collect();
    let mut files = Vec::new();
    // One template bug breaks many pages: report it once, with the first page and a count.
    let mut failures: BTreeMap<(String, String), (String, usize, Error)> = BTreeMap::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(failure) => {
                let (template, page, err) = *failure;
                let slot = failures
                    .entry((template, err.message.clone()))
                    .or_insert((page, 0, err));
                slot.1 += 1;
            }
        }
    }
    if !failures.is_empty() {
        return Err(failures
            .into_values()
            .map(|(page, n, mut e)| {
                let others = if n > 1 {
                    format!(" and {} other pages", n - 1)
                } else {
                    String::new()
                };
                e.message = format!("{} (while rendering /{page}{others})", e.message);
                e
            })
            .collect());
    }
    let mut pages = HashMap::with_capacity(files.len());
    for f in &files {
        if let (Data::Bytes(b), Some(t)) = (&f.data, &f.template) {
            if let Some(template) = REQUIRED_TEMPLATES
                .iter()
                .chain(OPTIONAL_TEMPLATES)
                .chain(["redirect.html"].iter())
                .find(|x| **x == t.as_str())
            {
                pages.insert(
                    f.path.clone(),
                    (*template, Arc::clone(&f.items), Arc::clone(b)),
                );
            }
        }
    }
    // The search index: the preview updates the previous one in place.
    let (search, index_files) = search::Index::build(site, &changed, previous_search);
    for f in index_files {
        let mut file = OutputFile {
            path: f.path,
            data: Data::Bytes(f.bytes),
            origin: Origin::Generated(None),
            template: None,
            items: Arc::from([]),
        };
        stream(&mut file, sink);
        files.push(file);
    }
    for (path, data) in &site.assets {
        let origin = match data {
            FileData::Disk(p) => crate::source::relative(&site.config.root, p),
            FileData::Embedded(_) => PathBuf::from(path),
        };
        files.push(OutputFile {
            path: path.clone(),
            data: Data::Copy(data.clone()),
            origin: Origin::Content(origin),
            template: None,
            items: Arc::from([]),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let rendered = rendered.into_inner();
    Ok(Render {
        files,
        rendered,
        memo: Memo {
            summaries: builder.summaries,
            summary_values: builder.summary_values,
            fingerprints,
            summary_fingerprints,
            keys: memo_keys,
            global,
            pages,
            search,
        },
    })
}

struct Builder<'a> {
    site: &'a Site,
    /// Per language: the context shared by all its pages.
    common: Vec<Context>,
    /// Per language: the UI strings.
    strings: Vec<Map<String, Value>>,
    /// Per language and item: the item's list entry (no body).
    summaries: Vec<Vec<Arc<Value>>>,
    /// The same entries as Tera values, converted once and shared by every page showing
    /// them (the largest cost of list pages under Tera 1 was copying these per page).
    summary_values: Vec<Vec<tera::Value>>,
    /// The build's date in the site's time zone: splits next and past demo days.
    today: jiff::civil::Date,
    /// The theme has `stage.html` and `search.html`: their pages are made.
    has_stage_pages: bool,
    has_search_page: bool,
}

impl Builder<'_> {
    fn config(&self) -> &Config {
        &self.site.config
    }

    /// The part of the context that is the same on every page of language `l`.
    fn common_context(
        site: &Site,
        templates: &Templates,
        l: usize,
        drafts: bool,
        today: jiff::civil::Date,
    ) -> Context {
        let config = &site.config;
        let lang = &config.languages[l];
        let mut ctx = Context::new();
        let areas: Map<String, Value> = config
            .areas
            .keys()
            .map(|k| (k.clone(), json!(config.area_name(k, &lang.code))))
            .collect();
        let languages: Vec<Value> = config
            .languages
            .iter()
            .map(|x| json!({"code": x.code, "title": x.title, "name": x.name, "url": site.url(&x.code, "/")}))
            .collect();
        ctx.insert(
            "site",
            &json!({
                "title": lang.title,
                "description": lang.description,
                "base_url": config.base_url,
                "base_path": config.base_path,
                "default_language": config.default_language(),
                "languages": languages,
                "areas": areas,
                "extra": config.extra,
                "year": today.year(),
            }),
        );
        ctx.insert("lang", &lang.code);
        ctx.insert("dir", "ltr");
        ctx.insert("t", &templates.strings(config, &lang.code));
        ctx.insert("home_url", &site.url(&lang.code, "/"));
        let pages: Map<String, Value> = site
            .ids_of(Kind::Page)
            .map(|id| {
                (
                    site.entries[id].slug.clone(),
                    json!(site.version(l, id).url),
                )
            })
            .collect();
        let mut urls = json!({
                "home": site.url(&lang.code, "/"),
                "projects": site.url(&lang.code, "/projects/"),
                "cohorts": site.url(&lang.code, "/cohorts/"),
                "demos": site.url(&lang.code, "/demos/"),
                "news": site.url(&lang.code, "/news/"),
                "areas": site.url(&lang.code, "/areas/"),
                "feed": site.url(&lang.code, "/news/atom.xml"),
                "search_index": site.url(&lang.code, "/search-index.json"),
                "pages": pages,
        });
        if templates.has("search.html") {
            urls["search"] = json!(site.url(&lang.code, "/search/"));
        }
        if templates.has("stage.html") {
            urls["stages"] = crate::content::STAGES
                .iter()
                .map(|s| {
                    (
                        s.to_string(),
                        json!(site.url(&lang.code, &format!("/stages/{s}/"))),
                    )
                })
                .collect::<Map<String, Value>>()
                .into();
        }
        ctx.insert("urls", &urls);
        ctx.insert("drafts", &drafts);
        ctx.insert("stylesheet", &format!("{}/style.css", config.base_path));
        ctx
    }

    /// Output file path for a page path (`/projects/a/` -> `projects/a/index.html`) in `lang`.
    fn file_of(&self, lang: &str, path: &str) -> String {
        let full = format!("{}{path}", self.config().lang_prefix(lang));
        let rel = full.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        }
    }

    /// The context every template gets.
    fn base_context(&self, l: usize, path: &str) -> Context {
        let site = self.site;
        let config = self.config();
        let lang = &config.languages[l];
        let mut ctx = self.common[l].clone();
        put(&mut ctx, "current_url", site.permalink(&lang.code, path));
        put(&mut ctx, "current_path", site.url(&lang.code, path));
        let translations: Vec<Value> = config.languages.iter().enumerate().map(|(i, x)| json!({
            "lang": x.code, "title": x.name, "url": site.url(&x.code, path), "permalink": site.permalink(&x.code, path), "current": i == l, "fallback": false,
        })).collect();
        put(&mut ctx, "translations", translations);
        ctx
    }

    /// An item's list entry as templates see it, shared (see `summary_values`).
    fn item_value(&self, l: usize, id: ItemId) -> tera::Value {
        self.summary_values[l][id].clone()
    }

    /// The list entries of `ids`, shared.
    fn items_value(&self, l: usize, ids: &[ItemId]) -> tera::Value {
        ids.iter()
            .map(|&id| self.item_value(l, id))
            .collect::<Vec<_>>()
            .into()
    }

    fn build_item_json(&self, l: usize, id: ItemId, full: bool) -> Value {
        let site = self.site;
        let e = &site.entries[id];
        let v: &Version = site.version(l, id);
        let m = &e.original.meta;
        let mut o = Map::new();
        o.insert("kind".into(), json!(e.kind.name()));
        o.insert("title".into(), json!(v.title));
        o.insert("slug".into(), json!(e.slug));
        o.insert("lang".into(), json!(v.lang));
        o.insert("url".into(), json!(v.url));
        o.insert("permalink".into(), json!(v.permalink));
        o.insert("draft".into(), json!(v.draft));
        o.insert("fallback".into(), json!(v.fallback));
        o.insert("source_lang".into(), json!(v.source_lang));
        o.insert("extra".into(), v.extra.clone());
        let date = |d: &Option<jiff::civil::Date>| d.map(|d| d.to_string());
        // References as published: a held-back item's slug never reaches a template.
        let resolved_cohort = site
            .cohort_of
            .get(&id)
            .map(|&c| json!(site.entries[c].slug));
        let resolved_projects = site.projects_of.get(&id).map(|ps| {
            json!(ps
                .iter()
                .map(|&p| &site.entries[p].slug)
                .collect::<Vec<_>>())
        });
        let mut opt = |k: &str, val: Option<Value>| {
            if let Some(val) = val {
                o.insert(k.into(), val);
            }
        };
        opt("date", date(&m.date).map(Value::from));
        opt("updated", date(&m.updated).map(Value::from));
        opt("summary", v.summary.clone().map(Value::from));
        opt(
            "description",
            v.description
                .clone()
                .or_else(|| v.summary.clone())
                .map(Value::from),
        );
        opt("weight", m.weight.map(Value::from));
        opt(
            "embargoed_until",
            e.embargoed_until.map(|t| json!(t.to_string())),
        );
        opt("aliases", m.aliases.clone().map(|a| json!(a)));
        match e.kind {
            Kind::Project => {
                opt("cohort", resolved_cohort.clone());
                opt("areas", m.areas.clone().map(|a| json!(a)));
                opt("stage", m.stage.clone().map(Value::from));
                opt("trl", m.trl.map(Value::from));
                if !v.team.is_empty() {
                    opt("team", Some(json!(v.team)));
                }
                opt("links", m.links.as_ref().map(crate::site::links_json));
                opt("logo", site.logos.get(&id).map(|u| json!(u)));
                opt("gallery", site.galleries.get(&id).map(|g| json!(g)));
                opt("featured", Some(json!(m.featured.unwrap_or(false))));
            }
            Kind::Cohort => {
                opt("start", date(&m.start).map(Value::from));
                opt("end", date(&m.end).map(Value::from));
                opt("track", v.track.clone().map(Value::from));
            }
            Kind::Demo => {
                opt("venue", v.venue.clone().map(Value::from));
                opt("cohort", resolved_cohort.clone());
                opt("projects", resolved_projects.clone());
                opt("video", m.video.clone().map(Value::from));
            }
            Kind::News => {
                opt("tags", Some(json!(v.tags)));
                opt("projects", resolved_projects.clone());
            }
            Kind::Page | Kind::Home => {}
        }
        if full {
            o.insert("content".into(), json!(v.body.html));
            o.insert("toc".into(), json!(v.body.toc));
            let words = v.body.text.split_whitespace().count();
            o.insert("reading_time".into(), json!(words.div_ceil(200).max(1)));
        }
        Value::Object(o)
    }

    /// Whole items (body included), built for the one page that shows them.
    fn items_json(&self, l: usize, ids: &[ItemId]) -> Vec<Value> {
        ids.iter()
            .map(|&id| self.build_item_json(l, id, true))
            .collect()
    }

    fn section(&self, l: usize, path: &str, key: &str, default: &str, content: &str) -> Value {
        let lang = &self.config().languages[l].code;
        let t = &self.strings[l];
        let title = t
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string();
        json!({"title": title, "url": self.site.url(lang, path), "permalink": self.site.permalink(lang, path), "content": content})
    }

    /// The items of `kind` in list order.
    fn sorted(&self, kind: Kind) -> Vec<ItemId> {
        self.site.order.get(&kind).cloned().unwrap_or_default()
    }

    fn area_terms(&self, l: usize) -> Vec<Value> {
        let site = self.site;
        let lang = &self.config().languages[l].code;
        self.config().areas.keys().map(|k| {
            let path = format!("/areas/{k}/");
            json!({"key": k, "name": self.config().area_name(k, lang), "url": site.url(lang, &path), "permalink": site.permalink(lang, &path),
                   "count": site.area_projects.get(k).map_or(0, Vec::len)})
        }).collect()
    }

    /// The pages of language `l`: what each shows, not yet its context.
    fn language_jobs(&self, l: usize, jobs: &mut Vec<Job>) {
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
                let a = if a.ends_with('/') || a.rsplit('/').next().is_some_and(|x| x.contains('.'))
                {
                    a.clone()
                } else {
                    format!("{a}/")
                };
                push(&a, "redirect.html", What::Alias(id), vec![id]);
            }
        }
    }

    /// The home page's parts: intro, latest news, next and last demo day, featured projects.
    #[allow(clippy::type_complexity)]
    fn home_parts(
        &self,
        news: &[ItemId],
        demos: &[ItemId],
        projects: &[ItemId],
    ) -> (
        Option<ItemId>,
        Vec<ItemId>,
        Option<ItemId>,
        Option<ItemId>,
        Vec<ItemId>,
    ) {
        let site = self.site;
        let today = self.today;
        let date = |d: ItemId| site.entries[d].original.meta.date;
        let home = site.ids_of(Kind::Home).next();
        let latest = news.iter().take(10).copied().collect();
        let next = demos
            .iter()
            .rev()
            .copied()
            .find(|&d| date(d).is_some_and(|x| x >= today));
        let last = demos
            .iter()
            .copied()
            .find(|&d| date(d).is_some_and(|x| x < today));
        let mut featured: Vec<ItemId> = projects
            .iter()
            .copied()
            .filter(|&p| site.entries[p].original.meta.featured == Some(true))
            .collect();
        if featured.is_empty() {
            featured = projects.iter().take(6).copied().collect();
        }
        (home, latest, next, last, featured)
    }

    /// The context of one page, built when the page is rendered.
    fn context(&self, job: &Job) -> Context {
        let site = self.site;
        let config = self.config();
        let l = job.lang;
        let lang = &config.languages[l].code;
        let mut ctx = self.base_context(l, &job.page_path);
        match &job.what {
            What::Home => {
                let news = self.sorted(Kind::News);
                let (home, latest, next, last, featured) =
                    self.home_parts(&news, &self.sorted(Kind::Demo), &self.sorted(Kind::Project));
                let intro = home
                    .map(|id| site.version(l, id).body.html.clone())
                    .unwrap_or_default();
                let mut section = self.section(l, "/", "home", &config.languages[l].title, &intro);
                if let Some(id) = home {
                    let v = site.version(l, id);
                    section["title"] = json!(v.title);
                    // The intro may be borrowed from another language (issue 7).
                    section["fallback"] = json!(v.fallback);
                    section["source_lang"] = json!(v.source_lang);
                }
                put(&mut ctx, "section", section);
                put_value(&mut ctx, "latest_news", self.items_value(l, &latest));
                if let Some(d) = next {
                    put_value(&mut ctx, "next_demo", self.item_value(l, d));
                }
                if let Some(d) = last {
                    put_value(&mut ctx, "last_demo", self.item_value(l, d));
                }
                put_value(&mut ctx, "featured", self.items_value(l, &featured));
                let search = self
                    .has_search_page
                    .then(|| site.permalink(lang, "/search/"));
                put(
                    &mut ctx,
                    "structured_data",
                    crate::render::jsonld::home(site, l, search.as_deref()),
                );
            }
            What::Projects => {
                let projects = self.sorted(Kind::Project);
                put(
                    &mut ctx,
                    "section",
                    self.section(l, "/projects/", "projects", "Projects", ""),
                );
                put_value(&mut ctx, "pages", self.items_value(l, &projects));
                put(&mut ctx, "filters", self.filters(l, &projects));
            }
            What::Cohorts => {
                put(
                    &mut ctx,
                    "section",
                    self.section(l, "/cohorts/", "cohorts", "Cohorts", ""),
                );
                put_value(&mut ctx, "pages", self.items_value(l, &job.items));
            }
            What::Demos => {
                put(
                    &mut ctx,
                    "section",
                    self.section(l, "/demos/", "demos", "Demo days", ""),
                );
                put_value(&mut ctx, "pages", self.items_value(l, &job.items));
            }
            What::Item(id) => {
                let id = *id;
                let e = &site.entries[id];
                put(&mut ctx, "page", self.build_item_json(l, id, true));
                if let Some(data) = crate::render::jsonld::item(site, l, id) {
                    put(&mut ctx, "structured_data", data);
                }
                // A page filled from another language points search engines at the original,
                // and is not offered as an alternate of it (issue 7).
                put(&mut ctx, "current_url", site.canonical(l, id));
                put(&mut ctx, "translations", item_translations(site, l, id));
                let list =
                    |m: &HashMap<ItemId, Vec<ItemId>>| m.get(&id).cloned().unwrap_or_default();
                match e.kind {
                    Kind::Project => {
                        if let Some(&c) = site.cohort_of.get(&id) {
                            put_value(&mut ctx, "cohort", self.item_value(l, c));
                        }
                        let areas: Vec<Value> = e.original.meta.areas.iter().flatten().map(|k| {
                            let p = format!("/areas/{k}/");
                            json!({"key": k, "name": config.area_name(k, lang), "url": site.url(lang, &p), "permalink": site.permalink(lang, &p)})
                        }).collect();
                        put(&mut ctx, "areas", areas);
                        put_value(
                            &mut ctx,
                            "demos",
                            self.items_value(l, &list(&site.project_demos)),
                        );
                        put_value(
                            &mut ctx,
                            "news",
                            self.items_value(l, &list(&site.project_news)),
                        );
                    }
                    Kind::Cohort => {
                        put_value(
                            &mut ctx,
                            "projects",
                            self.items_value(l, &list(&site.cohort_projects)),
                        );
                        put_value(
                            &mut ctx,
                            "demos",
                            self.items_value(l, &list(&site.cohort_demos)),
                        );
                    }
                    Kind::Demo => {
                        if let Some(&c) = site.cohort_of.get(&id) {
                            put_value(&mut ctx, "cohort", self.item_value(l, c));
                        }
                        put_value(
                            &mut ctx,
                            "projects",
                            self.items_value(l, &list(&site.projects_of)),
                        );
                    }
                    Kind::News => {
                        put_value(
                            &mut ctx,
                            "projects",
                            self.items_value(l, &list(&site.projects_of)),
                        );
                    }
                    Kind::Page | Kind::Home => {}
                }
            }
            What::NewsList { n, of } => {
                let (n, of) = (*n, *of);
                put(
                    &mut ctx,
                    "section",
                    self.section(l, "/news/", "news", "News", ""),
                );
                let mut pg = json!({
                    "current_index": n,
                    "number_pagers": of,
                    "first_url": site.url(lang, "/news/"),
                    "last_url": site.url(lang, &pager_path(of)),
                });
                if n > 1 {
                    pg["previous"] = json!(site.permalink(lang, &pager_path(n - 1)));
                    pg["previous_url"] = json!(site.url(lang, &pager_path(n - 1)));
                }
                if n < of {
                    pg["next"] = json!(site.permalink(lang, &pager_path(n + 1)));
                    pg["next_url"] = json!(site.url(lang, &pager_path(n + 1)));
                }
                // `pages` first, as the theme's context dump has always shown it.
                let mut paginator = tera::Map::new();
                paginator.insert("pages".into(), self.items_value(l, &job.items));
                if let Some(rest) = tera::Value::from_serializable(&pg).into_map() {
                    paginator.extend(rest);
                }
                put_value(&mut ctx, "paginator", paginator.into());
            }
            What::Redirect(to) => put(&mut ctx, "redirect_to", site.permalink(lang, to)),
            What::Alias(id) => put(
                &mut ctx,
                "redirect_to",
                site.version(l, *id).permalink.as_str(),
            ),
            What::Atom => {
                put(&mut ctx, "pages", self.items_json(l, &job.items));
                put(&mut ctx, "feed_url", site.permalink(lang, "/news/atom.xml"));
                let updated = job
                    .items
                    .iter()
                    .filter_map(|&id| {
                        let m = &site.entries[id].original.meta;
                        m.updated.or(m.date)
                    })
                    .max();
                put(
                    &mut ctx,
                    "updated",
                    updated
                        .map(|d| format!("{d}T00:00:00Z"))
                        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
                );
            }
            What::Areas => {
                put(
                    &mut ctx,
                    "section",
                    self.section(l, "/areas/", "areas", "Areas", ""),
                );
                put(&mut ctx, "terms", self.area_terms(l));
            }
            What::Area(key) => {
                let term = self
                    .area_terms(l)
                    .into_iter()
                    .find(|t| t["key"] == json!(key))
                    .unwrap_or_default();
                put(&mut ctx, "term", term);
                put_value(&mut ctx, "pages", self.items_value(l, &job.items));
            }
            What::Stage(key) => {
                let term = self
                    .stage_terms(l, &self.sorted(Kind::Project))
                    .into_iter()
                    .find(|t| t["key"] == json!(key))
                    .unwrap_or_default();
                put(&mut ctx, "term", term);
                put_value(&mut ctx, "pages", self.items_value(l, &job.items));
            }
            What::Search => {
                put(
                    &mut ctx,
                    "section",
                    self.section(l, "/search/", "search", "Search", ""),
                );
            }
            What::NotFound | What::Robots => {}
            What::Sitemap => put(&mut ctx, "entries", self.sitemap_entries()),
        }
        ctx
    }

    /// Each stage: key, name, count among `projects`, and the URL of its page if it has one.
    fn stage_terms(&self, l: usize, projects: &[ItemId]) -> Vec<Value> {
        let site = self.site;
        let lang = &self.config().languages[l].code;
        crate::content::STAGES
            .iter()
            .map(|s| {
                let count = projects
                    .iter()
                    .filter(|&&p| site.entries[p].original.meta.stage.as_deref() == Some(*s))
                    .count();
                let name = self.strings[l]
                    .get(&format!("stage_{s}"))
                    .and_then(Value::as_str)
                    .unwrap_or(s);
                let mut term = json!({"key": s, "name": name, "count": count});
                if self.has_stage_pages {
                    let path = format!("/stages/{s}/");
                    term["url"] = json!(site.url(lang, &path));
                    term["permalink"] = json!(site.permalink(lang, &path));
                }
                term
            })
            .collect()
    }

    fn filters(&self, l: usize, projects: &[ItemId]) -> Value {
        let site = self.site;
        let stages = self.stage_terms(l, projects);
        let cohorts: Vec<Value> = self.sorted(Kind::Cohort).into_iter().map(|c| {
            let v = site.version(l, c);
            json!({"slug": site.entries[c].slug, "title": v.title, "url": v.url, "count": site.cohort_projects.get(&c).map_or(0, Vec::len)})
        }).collect();
        let trl: Vec<Value> = (1..=9u8).map(|n| {
            json!({"value": n, "count": projects.iter().filter(|&&p| site.entries[p].original.meta.trl == Some(n)).count()})
        }).collect();
        json!({"areas": self.area_terms(l), "stages": stages, "cohorts": cohorts, "trl": trl})
    }

    /// The source of the page `job` makes: the item's file for its own page and the
    /// redirects of its aliases (the translation's file when the page shows one), the
    /// template for the pages the site makes itself.
    fn origin_of(&self, job: &Job) -> Origin {
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
    fn site_jobs(&self, jobs: &mut Vec<Job>) {
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

    fn sitemap_entries(&self) -> Vec<Value> {
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

/// `translations` of an item's page: the page in every language, each marked `fallback` when
/// its text is borrowed from another language.
fn item_translations(site: &Site, l: usize, id: ItemId) -> Vec<Value> {
    let e = &site.entries[id];
    let path = item_path(e.kind, &e.slug);
    site.config
        .languages
        .iter()
        .enumerate()
        .map(|(i, x)| {
            json!({
                "lang": x.code, "title": x.name, "url": site.url(&x.code, &path),
                "permalink": site.permalink(&x.code, &path), "current": i == l,
                "fallback": site.version(i, id).fallback,
            })
        })
        .collect()
}

/// The path of page `n` of the news list.
fn pager_path(n: usize) -> String {
    if n == 1 {
        "/news/".to_string()
    } else {
        format!("/news/page/{n}/")
    }
}

/// The built-in redirect page, used when a theme has no `redirect.html`.
pub const REDIRECT_TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ redirect_to }}</title>
<link rel="canonical" href="{{ redirect_to | safe }}"><meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{ redirect_to | safe }}"></head>
<body><p><a href="{{ redirect_to | safe }}">{{ redirect_to }}</a></p></body></html>
"#;

/// Adds the built-in templates a theme may leave out.
pub fn with_builtin_templates(mut templates: Vec<TextFile>) -> Vec<TextFile> {
    if !templates.iter().any(|t| t.name == "redirect.html") {
        templates.push(TextFile {
            name: "redirect.html".into(),
            origin: PathBuf::from("(built-in)/redirect.html"),
            text: REDIRECT_TEMPLATE.into(),
        });
    }
    templates
}

#[cfg(test)]
mod tests {
    use super::{escape, json_encode, tera1_syntax};
    use crate::source::TextFile;

    #[test]
    fn json_encode_cannot_close_a_script_element() {
        let ctx = tera::Context::new();
        let state = tera::State::new(&ctx);
        let v = tera::Value::from("</script><b>&");
        assert_eq!(
            json_encode(v, tera::Kwargs::default(), &state).unwrap(),
            r#""\u003c/script\u003e\u003cb\u003e\u0026""#
        );
    }

    #[test]
    fn tera_2_templates_are_not_taken_for_tera_1() {
        let file = |text: &str| TextFile {
            name: "x.html".into(),
            origin: "templates/x.html".into(),
            text: text.into(),
        };
        for ok in [
            "{% component card(p, @t) %}{{ p.title }}{% endcomponent card %}{{<card p={page} />}}",
            "{% if a is starting_with(pat=b) %}{% endif %}{{ x | str }}{# {% macro m() %} #}",
            "{% if a is defined %}{{ a::b }}{% endif %}{{ n | plural(key=\"k\") }}",
            "{% raw %}{% macro m() %}{{ x | as_str }}{% endraw %}{% if a is odd %}{% endif %}",
        ] {
            assert!(tera1_syntax(&file(ok)).is_none(), "{ok}");
        }
        for (bad, line) in [
            ("a\n{% macro m() %}{% endmacro m %}", 2),
            ("{%- import \"m.html\" as m -%}", 1),
            ("\n\n{{ m::card(p=page) }}", 3),
            ("{{ n | as_str }}", 1),
            ("{% if p.date is containing(\"T\") %}{% endif %}", 1),
            (
                "{% raw %}{{ x }}{%- endraw %}\n{% import \"m.html\" as m %}",
                2,
            ),
        ] {
            let e = tera1_syntax(&file(bad)).expect(bad);
            assert_eq!(e.line, Some(line), "{bad}");
        }
    }

    #[test]
    fn escape_replaces_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#x27;s&lt;/a&gt;"
        );
        assert_eq!(escape("Қазақстан — ok"), "Қазақстан — ok");
        assert_eq!(escape(""), "");
        assert_eq!(escape("<"), "&lt;");
        assert_eq!(escape("ә<ә"), "ә&lt;ә");
    }
}
