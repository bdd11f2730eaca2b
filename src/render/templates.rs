//! The theme's templates in Tera 2: loading them (with the UI strings and our filters), the
//! detector of templates written for Tera 1, and Tera's errors turned into ours (file, line,
//! help).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Map, Value};
use tera::{ErrorKind, Tera};

use crate::config::Config;
use crate::error::{Error, Errors};
use crate::site::fingerprint;
use crate::source::{Sources, TextFile};

/// The parsed templates and UI strings of the theme.
pub struct Templates {
    pub(super) tera: Tera,
    /// UI strings of every language, resolved along the fallback chain.
    i18n: Arc<crate::i18n::Catalog>,
    origins: HashMap<String, PathBuf>,
    /// Hash of every template and UI string: a change re-renders every page.
    pub(super) fingerprint: u64,
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
        tera.register_filter("uri", uri);
        // Tera's `range` with the render budget checked at each call (see `budget`).
        tera.register_function("range", super::budget::range);
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
                errors.push(syntax_error(
                    report,
                    &e.to_string(),
                    &origins,
                    &sources.templates,
                ));
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
    pub(super) fn strings(&self, _config: &Config, lang: &str) -> Map<String, Value> {
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
        if let Some(at) = strftime_format(inner) {
            note(
                open + 2 + at,
                "`date` takes showcase's patterns, not strftime's: `date(format=\"DD MONTH YYYY\")`, not `date(format=\"%d %B %Y\")`"
                    .into(),
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
    super::budget::check()?;
    serde_json::to_value(&value)
        .map(|v| crate::render::jsonld::script_safe(&v))
        .map_err(|e| tera::Error::message(format!("json_encode: {e}")))
}

/// The `uri` filter: an absolute URL as a URI (RFC 3986), as sitemaps, feeds and robots.txt
/// require: non-ASCII path characters percent-encoded (UTF-8), an international host in
/// punycode, by the WHATWG URL parser (`url` crate). A value that is not an absolute URL is
/// returned as it is.
fn uri(value: String, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    super::budget::check()?;
    Ok(url::Url::parse(&value).map_or(value, |u| u.to_string()))
}

impl Templates {
    /// The file of template `name` (relative to the site root, or the built-in theme's).
    pub fn origin(&self, name: &str) -> PathBuf {
        origin_of_template(name, &self.origins)
    }
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

/// A template that does not parse, as our error: a block left open shows up as some other
/// complaint further down ("Unknown tag" at the `{% endblock %}` after an unclosed
/// `{% if %}`), so an unbalanced block is named instead, with its line.
fn syntax_error(
    report: &tera::ReportError,
    formatted: &str,
    origins: &HashMap<String, PathBuf>,
    templates: &[TextFile],
) -> Error {
    let text = templates.iter().find(|t| t.name == report.filename());
    match text.and_then(|t| unbalanced(&t.text)) {
        Some((line, column, message, help)) => Error::at(
            origin_of_template(report.filename(), origins),
            line,
            Some(column),
            message,
        )
        .with_help(help),
        None => report_error(report, formatted, origins),
    }
}

/// The first block tag of `text` (a template) that is not closed, or closed by the wrong
/// end tag, or an end tag that closes nothing: `(line, column, message, help)`, 1-based.
/// Tera's parser says only "Unknown tag" when an `{% endblock %}` meets an open `{% if %}`,
/// or "Unexpected end of input"; this names the open tag, its line and the missing end.
fn unbalanced(text: &str) -> Option<(usize, usize, String, String)> {
    const PAIRS: &[(&str, &str)] = &[
        ("if", "endif"),
        ("for", "endfor"),
        ("block", "endblock"),
        ("filter", "endfilter"),
        ("component", "endcomponent"),
        ("raw", "endraw"),
    ];
    let text = blank_comments(text);
    let at = |offset: usize| {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, column)
    };
    // (opening tag, its end tag, offset)
    let mut open: Vec<(&str, &str, usize)> = Vec::new();
    let mut rest = 0;
    while let Some(start) = text[rest..].find("{%").map(|i| rest + i) {
        let Some(end) = text[start..].find("%}").map(|i| start + i + 2) else {
            break;
        };
        rest = end;
        let inner = text[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let word = inner
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        // Inside `{% raw %}` only its end counts.
        if open.last().is_some_and(|(tag, _, _)| *tag == "raw") && word != "endraw" {
            continue;
        }
        if let Some((tag, close)) = PAIRS.iter().find(|(tag, _)| *tag == word) {
            open.push((tag, close, start));
        } else if let Some((tag, close)) = PAIRS.iter().find(|(_, close)| *close == word) {
            let (line, column) = at(start);
            // An end tag whose opening tag is not open at all closes nothing, whatever else
            // is open.
            if !open.iter().any(|(_, expected, _)| expected == close) {
                return Some((
                    line,
                    column,
                    format!("`{{% {close} %}}` closes nothing: no `{{% {tag} %}}` is open here"),
                    format!("remove it, or add the `{{% {tag} ... %}}` it should close"),
                ));
            }
            if let Some((inner_tag, expected, from)) = open.pop().filter(|(_, e, _)| e != close) {
                let (open_line, _) = at(from);
                return Some((
                    line,
                    column,
                    format!("`{{% {close} %}}` closes a `{{% {tag} %}}`, but the `{{% {inner_tag} %}}` opened on line {open_line} is not closed yet"),
                    format!("add `{{% {expected} %}}` before line {line}, or remove the `{{% {inner_tag} %}}` of line {open_line}"),
                ));
            }
        }
    }
    let (tag, close, from) = open.pop()?;
    let (line, column) = at(from);
    Some((
        line,
        column,
        format!("the `{{% {tag} %}}` opened here is never closed"),
        format!("add `{{% {close} %}}` where it should end"),
    ))
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

/// Where in `inner` (a tag's text) a `date` call is given a strftime format (`%d`), which
/// Tera 1's `date` took and showcase's prints as is.
fn strftime_format(inner: &str) -> Option<usize> {
    let call = inner.find("date(")?;
    let args = &inner[call..];
    let format = args.find("format=")?;
    let value = args[format + 7..].trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &value[1..];
    let end = body.find(quote)?;
    body[..end].contains('%').then_some(call)
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
        ErrorKind::SyntaxError(r) => vec![syntax_error(r, &e.to_string(), origins, templates)],
        ErrorKind::RenderingError(r) => vec![report_error(r, &e.to_string(), origins)],
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
pub(super) fn render_error(template: &str, e: &tera::Error, templates: &Templates) -> Error {
    let origins = &templates.origins;
    match e.kind() {
        ErrorKind::RenderingError(r) | ErrorKind::SyntaxError(r) => {
            report_error(r, &e.to_string(), origins)
        }
        _ => {
            let text = e.to_string();
            if text.contains("recursion depth for components") {
                // Tera names neither template nor line: name the loop of calls it went round.
                return match templates.component_loops.first() {
                    Some((origin, line, chain)) => Error::at(
                        origin,
                        *line,
                        None,
                        format!(
                            "a component calls itself more than 20 levels deep: {chain} \
                             (while rendering {template})"
                        ),
                    )
                    .with_help("write the repetition as a `{% for %}` loop over the data"),
                    // No component calls itself: a chain of distinct ones is too deep.
                    None => Error::new(
                        origin_of_template(template, origins),
                        "components are called inside one another more than 20 levels deep, the most Tera allows",
                    )
                    .with_help("call fewer components inside one another: merge some of them, or pass their output as an argument"),
                };
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
    use super::{escape, json_encode, tera1_syntax, unbalanced, uri};
    use crate::source::TextFile;

    #[test]
    fn unbalanced_blocks_name_the_open_tag_and_its_line() {
        let t = "{% block content %}\n{% if a %}\n<p>x</p>\n{% endblock content %}\n";
        let (line, col, message, help) = unbalanced(t).unwrap();
        assert_eq!((line, col), (4, 1));
        assert_eq!(message, "`{% endblock %}` closes a `{% block %}`, but the `{% if %}` opened on line 2 is not closed yet");
        assert_eq!(
            help,
            "add `{% endif %}` before line 4, or remove the `{% if %}` of line 2"
        );
        let (line, _, message, _) = unbalanced("a\n{%- for x in y -%}\n{{ x }}\n").unwrap();
        assert_eq!(line, 2);
        assert_eq!(message, "the `{% for %}` opened here is never closed");
        let (_, _, message, _) = unbalanced("{% if a %}{% endif %}{% endfor %}").unwrap();
        assert_eq!(
            message,
            "`{% endfor %}` closes nothing: no `{% for %}` is open here"
        );
        let (_, col, message, _) = unbalanced("{% block b %}{% if a %}{% endfor %}").unwrap();
        assert_eq!(col, 24);
        assert_eq!(
            message,
            "`{% endfor %}` closes nothing: no `{% for %}` is open here"
        );
        // Balanced, with comments and raw blocks that hold tags.
        assert_eq!(
            unbalanced(
                "{# {% if %} #}{% raw %}{% if %}{% endraw %}{% if a %}{% else %}{% endif %}"
            ),
            None
        );
    }

    #[test]
    fn uri_percent_encodes_what_a_uri_cannot_hold() {
        let ctx = tera::Context::new();
        let state = tera::State::new(&ctx);
        let u = |s: &str| uri(s.into(), tera::Kwargs::default(), &state).unwrap_or_default();
        assert_eq!(
            u("https://park.kz/ru/о-парке/"),
            "https://park.kz/ru/%D0%BE-%D0%BF%D0%B0%D1%80%D0%BA%D0%B5/"
        );
        assert_eq!(u("https://парк.kz/a b/"), "https://xn--80aunf.kz/a%20b/");
        assert_eq!(u("https://park.kz/a/#x"), "https://park.kz/a/#x");
        assert_eq!(u("/relative/"), "/relative/");
    }

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
            "{{ page.date | date(format=\"DD MONTH YYYY\") }}{{ \"100%\" }}",
        ] {
            assert!(tera1_syntax(&file(ok)).is_none(), "{ok}");
        }
        for (bad, line) in [
            ("a\n{% macro m() %}{% endmacro m %}", 2),
            ("{%- import \"m.html\" as m -%}", 1),
            ("\n\n{{ m::card(p=page) }}", 3),
            ("{{ n | as_str }}", 1),
            ("{% if p.date is containing(\"T\") %}{% endif %}", 1),
            ("\n<h1>{{ page.date | date(format=\"%d %B %Y\") }}</h1>", 2),
            ("{{ date(t=page.date, format='%Y') }}", 1),
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
