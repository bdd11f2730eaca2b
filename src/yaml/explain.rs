//! Plain words for what the YAML parser (libyaml's messages, through `serde_yaml`) and serde
//! report, for people who have never heard of a "block mapping" or a Rust `struct`.
//!
//! Each of the parser's messages names a symptom at the place the parser gave up, which is
//! often a line or two after the mistake (an unclosed quote on line 2 is reported at line
//! 12). [`explain`] looks at the text around that place for the mistakes people make most
//! (a colon inside an unquoted value, a tab, an unclosed or early-closed quote, a value
//! that starts with a YAML sign, a list on one line, misaligned fields, a `---` line) and
//! says what is wrong, where, and how to write it. What it does not recognise keeps the
//! parser's words, with a general help line.
//!
//! Serde's type errors (`areas: invalid type: string "drones", expected a sequence`) become
//! [`Problem::Type`] and friends, with the field named as people write it (`entry 1 of
//! `team``) and an example built from the value they wrote (`areas: [drones]`).

use super::YamlError;

/// What kind of mistake a [`YamlError`] is, for callers that add advice of their own (the
/// shape of a team member, the fields of a kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The text is not valid YAML.
    Syntax,
    /// A value of the wrong shape. `field` is serde's path (`trl`, `team[0]`,
    /// `links.website`).
    Type {
        /// The field's path.
        field: String,
        /// What was written.
        found: Found,
        /// What the field takes.
        expected: Expected,
    },
    /// A group of fields lacks a required one.
    Missing {
        /// The group's path (`team[1]`).
        field: String,
        /// The missing field's name.
        missing: String,
    },
    /// A field name the format does not have.
    Unknown {
        /// The path of the group it is in (empty at the top level).
        parent: String,
        /// The name as written.
        name: String,
        /// The names the group has, when serde lists them.
        expected: Vec<String>,
    },
    /// A key given twice in one group.
    Duplicate {
        /// The key.
        key: String,
    },
    /// A `---` (or `...`) line splits the text into several YAML documents.
    SeveralDocuments,
}

/// A value as written, as serde saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Text (quoted or not).
    Text(String),
    /// A number (`5`, `1.5`).
    Number(String),
    /// `true` or `false`.
    Bool(String),
    /// Nothing after the colon.
    Empty,
    /// A list.
    List,
    /// A group of `key: value` fields.
    Map,
    /// Anything else, in serde's words.
    Other(String),
}

/// The shape a field takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A list (`[a, b]` or `- a` lines).
    List,
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Whole,
    /// Any number.
    Number,
    /// Text.
    Text,
    /// A shape of its own, described by the type's `#[serde(expecting = ...)]` text
    /// (`a team member (name: and role:)`).
    Shape(String),
}

/// Turns the parser's `message` (with its `at line N column M` marks still in) about `text`
/// into plain words. `location` is the parser's 1-based (line, column), when it has one.
pub fn explain(text: &str, message: &str, location: Option<(usize, usize)>) -> YamlError {
    let marks = marks(message);
    let words = strip_marks(message);
    let lines: Vec<&str> = text.lines().collect();
    let at = location.or_else(|| marks.first().copied());
    let error =
        |line: usize, column: Option<usize>, message: String, help: Option<String>| YamlError {
            line: Some(line),
            column,
            message,
            help,
            problem: Box::new(Problem::Syntax),
        };
    if let Some(e) = serde_problem(&words, text, location) {
        return YamlError {
            line: e.line.or(at.map(|a| a.0)),
            column: e.column.or(at.map(|a| a.1)),
            ..e
        };
    }
    if words.contains("more than one document") {
        let line = lines
            .iter()
            .position(|l| matches!(l.trim_end(), "---" | "..."))
            .map_or(1, |i| i + 1);
        return YamlError {
            problem: Box::new(Problem::SeveralDocuments),
            ..error(
                line,
                Some(1),
                "a `---` line splits this file in two; YAML reads only files of one part".into(),
                Some("remove the `---` line".into()),
            )
        };
    }
    // The parser's bounds on hostile input: say which, without its terms.
    for (symptom, message, help) in [
        (
            "recursion limit exceeded",
            "the values here nest too deeply for YAML to read",
            "flatten the structure: no data needs more than a few levels",
        ),
        (
            "repetition limit exceeded",
            "the `&` and `*` references here expand to too much text",
            "write the values out instead of repeating references",
        ),
    ] {
        if words.contains(symptom) {
            return YamlError {
                line: Some(at.map_or(1, |a| a.0)),
                column: at.map(|a| a.1),
                message: message.into(),
                help: Some(help.into()),
                problem: Box::new(Problem::Syntax),
            };
        }
    }
    let Some((line, column)) = at else {
        return YamlError {
            line: None,
            column: None,
            message: "YAML cannot read this text".into(),
            help: Some(GENERAL_HELP.into()),
            problem: Box::new(Problem::Syntax),
        };
    };
    let context = marks.get(1).copied();
    let get = |n: usize| lines.get(n.wrapping_sub(1)).copied().unwrap_or("");

    // A tab anywhere in the indentation of the lines the parser read last: YAML indents
    // with spaces only, and libyaml's words for it vary with what the tab interrupts.
    let from = context
        .map_or(line, |c| c.0)
        .min(line)
        .max(line.saturating_sub(2));
    if let Some(l) = (from..=line).find(|&l| leading_tab(get(l)).is_some()) {
        let col = leading_tab(get(l)).map(|c| c + 1);
        return error(
            l,
            col,
            "this line is indented with a tab; YAML indents with spaces only".into(),
            Some(
                "replace the tab at the start of the line with spaces (two for each level)".into(),
            ),
        );
    }
    if words.contains("tab character") {
        return error(
            line,
            Some(column),
            "a tab here breaks the layout; YAML lines up fields with spaces only".into(),
            Some("replace the tab with spaces".into()),
        );
    }

    if words.contains("while scanning a quoted scalar")
        || words.contains("while parsing a quoted scalar")
    {
        let (l, c) = context.unwrap_or((line, column));
        if words.contains("end of stream") {
            let q = char_at(get(l), c).unwrap_or('"');
            return error(
                l,
                Some(c),
                format!("the quote `{q}` that starts this value is never closed"),
                Some(format!("end the value with `{q}` on the same line")),
            );
        }
        if words.contains("escape") || words.contains("hexadecimal") {
            let field = field_of(get(l));
            let help = field.map_or_else(
                || "use single quotes ('...'), where a backslash is just a backslash, or write each backslash twice".to_string(),
                |(key, value)| format!("use single quotes, where a backslash is just a backslash: `{key}: {}`", single_quoted(unquote(value))),
            );
            return error(
                line,
                Some(column),
                "a backslash `\\` inside double quotes starts a special sign (like `\\n` for a new line), and this one is not one".into(),
                Some(help),
            );
        }
    }

    if words.starts_with("mapping values are not allowed") {
        return colon_in_value(&lines, line, column);
    }

    if words.starts_with("did not find expected key")
        || words.starts_with("did not find expected node content")
    {
        if let Some(e) = quote_trouble(&lines, line) {
            return e;
        }
    }

    if words.starts_with("could not find expected ':'") {
        let l = context.map_or(line, |c| c.0);
        let text = get(l).trim();
        return match text.split_once(' ') {
            Some((first, rest)) if looks_like_field(first) => error(
                l,
                Some(1),
                "this line has no `:` after its field name".into(),
                Some(format!("write `{first}: {rest}`; if this text belongs to the value above, indent it like that value or put the value in quotes")),
            ),
            _ => error(
                l,
                Some(1),
                "this line has no `field:` name before its text".into(),
                Some("each line is `field: value`; if this text belongs to the value above, indent it like that value or put the value in quotes; a note to yourself starts with `#`".into()),
            ),
        };
    }

    if words.contains("while parsing a flow node")
        || (words.starts_with("found unexpected ':'") && words.contains("plain scalar"))
    {
        return error(
            line,
            Some(column),
            "an entry of this list is empty, or holds a sign YAML reads as its own (`:`, `,`, `-`, `*`, `!`)".into(),
            Some("write the list as `[a, b]`, with one comma between entries; an entry with one of those signs goes in quotes: `[\"a: b\", c]`".into()),
        );
    }

    let sign_at = if words.starts_with("unknown anchor") {
        // `*name` refers to an anchor `&name`; the parser may not say where.
        location.or_else(|| {
            lines.iter().enumerate().find_map(|(i, l)| {
                let t = l.trim_start().trim_start_matches("- ");
                let v = field_of(l).map_or(t, |(_, v)| v);
                v.starts_with('*')
                    .then(|| (i + 1, l.find(v).map_or(1, |b| l[..b].chars().count() + 1)))
            })
        })
    } else if words.contains("while scanning an alias")
        || words.contains("while scanning an anchor")
        || words.contains("while scanning a tag")
    {
        context
    } else if words.contains("while scanning a directive") {
        Some((context.map_or(line, |c| c.0), 1))
    } else if words.starts_with("found character that cannot start any token")
        || words.contains("while parsing a block node")
    {
        Some((line, column))
    } else {
        None
    };
    if let Some((l, c)) = sign_at {
        let sign = char_at(get(l), c).unwrap_or('?');
        let named = if sign == '`' {
            "a backtick (`)".to_string()
        } else {
            format!("`{sign}`")
        };
        let help = match field_of(get(l)) {
            Some((key, value)) if !value.is_empty() => {
                format!("put the value in quotes: `{key}: {}`", quoted(value))
            }
            _ => "put the text in quotes".into(),
        };
        return error(
            l,
            Some(c),
            format!("a value cannot start with {named} unless it is in quotes: YAML gives that sign a meaning of its own"),
            Some(help),
        );
    }

    if words.starts_with("block sequence entries are not allowed") {
        let key = field_of(get(line)).map_or("field".to_string(), |(k, _)| k.to_string());
        return error(
            line,
            Some(column),
            "a list entry (`- `) must start a line of its own".into(),
            Some(format!("write `{key}: [a, b]` on one line, or each `- a` on a line of its own under `{key}:`, indented by two spaces")),
        );
    }

    for (open, close, what) in [("sequence", ']', "list"), ("mapping", '}', "group")] {
        if words.contains(&format!("while parsing a flow {open}")) {
            let (l, c) = context.unwrap_or((line, column));
            return error(
                l,
                Some(c),
                format!("the {what} opened here is not closed with `{close}` on this line"),
                Some(format!("close it with `{close}` on the same line, with commas between the entries; text that starts with `[` or `{{` goes in quotes")),
            );
        }
    }

    if words.contains("while parsing a block collection")
        || words.starts_with("did not find expected '-' indicator")
    {
        return error(
            line,
            Some(column),
            "this line is not lined up with the entry above it".into(),
            Some("the fields of one list entry start in the same column: put this field right under the first one (after `- `)".into()),
        );
    }

    if words.contains("while scanning a block scalar") {
        return error(
            line,
            Some(column),
            "nothing may follow `|` or `>` on its line".into(),
            Some("start the text on the next line, indented by two spaces".into()),
        );
    }

    if words.starts_with("did not find expected key") {
        // A line indented less or more than the fields around it.
        return error(
            line,
            Some(column),
            "this line is not lined up with the fields above it".into(),
            Some("fields of one group start in the same column; a value that goes on over several lines is indented further or put in quotes".into()),
        );
    }

    error(
        line,
        Some(column),
        "YAML cannot read this line".into(),
        Some(GENERAL_HELP.into()),
    )
}

/// The help for a syntax error nobody has seen before.
const GENERAL_HELP: &str = "look at this line and the one above it: each line is `field: value`, lists are `[a, b]` or `- a` lines, and a value with `: `, ` #` or a quote in it, or one that starts with `[`, `{`, `*`, `&`, `!`, `@`, `%` or a backtick, goes in quotes";

/// Serde's errors: a type, a missing or unknown field, a key given twice, a shape of the
/// type's own (`expecting`). Positions come from the caller's location.
fn serde_problem(words: &str, text: &str, location: Option<(usize, usize)>) -> Option<YamlError> {
    let (path, rest) = split_path(words);
    let make = |message: String, help: Option<String>, problem: Problem| YamlError {
        line: None,
        column: None,
        message,
        help,
        problem: Box::new(problem),
    };
    if let Some(t) = rest
        .strip_prefix("invalid type: ")
        .or_else(|| rest.strip_prefix("invalid value: "))
    {
        let (found, expected) = t.rsplit_once(", expected ")?;
        let found = parse_found(found);
        let expected = parse_expected(expected);
        let (mut message, mut help) = type_words(path, &found, &expected);
        // Text that YAML took for a list or a group because of its first sign.
        let written = location
            .and_then(|(l, _)| text.lines().nth(l - 1))
            .and_then(field_of)
            .filter(|(k, _)| *k == last_key(path));
        if let (Expected::Text, Found::List | Found::Map, Some((key, value))) =
            (&expected, &found, written)
        {
            if let Some(open @ ('[' | '{')) = value.chars().next() {
                let end = closing(value, open, if open == '[' { ']' } else { '}' })
                    .map_or(value.len(), |i| i + 1);
                let what = if open == '[' {
                    "a list"
                } else {
                    "a group of fields"
                };
                message = format!(
                    "{} is text, but YAML reads `{}` at its start as {what}",
                    describe(path),
                    &value[..end]
                );
                help = Some(format!(
                    "put the whole value in quotes: `{key}: {}`",
                    quoted(value)
                ));
            }
        }
        return Some(make(
            message,
            help,
            Problem::Type {
                field: path.to_string(),
                found,
                expected,
            },
        ));
    }
    if let Some(t) = rest.strip_prefix("missing field `") {
        let missing = t.split('`').next().unwrap_or_default().to_string();
        let whole = if path.is_empty() {
            "this file".to_string()
        } else {
            describe(path)
        };
        return Some(make(
            format!("{whole} has no `{missing}`"),
            Some(format!("add `{missing}: ...` to it")),
            Problem::Missing {
                field: path.to_string(),
                missing,
            },
        ));
    }
    if let Some(t) = rest.strip_prefix("unknown field `") {
        let (name, tail) = t.split_once('`')?;
        let expected: Vec<String> = tail
            .split("expected one of")
            .nth(1)
            .or_else(|| tail.split("expected ").nth(1))
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        let message = if path.is_empty() {
            format!("unknown field `{name}`")
        } else {
            format!("unknown field `{name}` in {}", describe(path))
        };
        let help = crate::error::did_you_mean(name, expected.iter().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| {
                (!expected.is_empty())
                    .then(|| format!("the fields here are: {}", expected.join(", ")))
            });
        return Some(make(
            message,
            help,
            Problem::Unknown {
                parent: path.to_string(),
                name: name.to_string(),
                expected,
            },
        ));
    }
    let duplicate = rest
        .strip_prefix("duplicate field `")
        .and_then(|t| t.split('`').next())
        .or_else(|| {
            rest.strip_prefix("duplicate entry with key \"")
                .and_then(|t| t.strip_suffix('"'))
        });
    if let Some(key) = duplicate {
        let mut e = make(
            format!("`{key}` is given twice"),
            Some("keep one of them: YAML would not know which one you meant".into()),
            Problem::Duplicate {
                key: key.to_string(),
            },
        );
        // The parser points at the group; the second time the key is written is what to fix.
        if let Some(l) = second_key_line(text, key) {
            e.line = Some(l);
            e.column = Some(1);
        }
        return Some(e);
    }
    // A type's own `expecting` text (an untagged enum that matched no form).
    if !path.is_empty() && (rest.starts_with("an ") || rest.starts_with("a ")) {
        let expected = Expected::Shape(rest.to_string());
        let (message, help) = type_words(path, &Found::Other(String::new()), &expected);
        return Some(make(
            message,
            help,
            Problem::Type {
                field: path.to_string(),
                found: Found::Other(String::new()),
                expected,
            },
        ));
    }
    None
}

/// The message and help for a value of the wrong shape.
fn type_words(path: &str, found: &Found, expected: &Expected) -> (String, Option<String>) {
    let field = if path.is_empty() {
        "this file".to_string()
    } else {
        describe(path)
    };
    let key = last_key(path);
    let shown = shown(found);
    match expected {
        Expected::List => {
            let help = match found {
                Found::Text(s) => {
                    let items: Vec<String> = s
                        .split(',')
                        .map(str::trim)
                        .filter(|i| !i.is_empty())
                        .map(flow_item)
                        .collect();
                    Some(format!("write `{key}: [{}]`", items.join(", ")))
                }
                Found::Number(s) | Found::Bool(s) => Some(format!("write `{key}: [{s}]`")),
                _ => Some(format!("write `{key}: [a, b]`, or each `- a` on a line of its own under `{key}:`")),
            };
            (format!("{field} is a list, even with one entry"), help)
        }
        Expected::Bool => {
            let value = match found {
                Found::Text(s) => match s.trim().to_lowercase().as_str() {
                    "yes" | "y" | "on" | "true" | "да" | "иә" => Some("true"),
                    "no" | "n" | "off" | "false" | "нет" | "жоқ" => Some("false"),
                    _ => None,
                },
                Found::Number(n) if n == "1" => Some("true"),
                Found::Number(n) if n == "0" => Some("false"),
                _ => None,
            };
            let help = match value {
                Some(v) => format!("write `{key}: {v}`"),
                None => format!("write `{key}: true` or `{key}: false`"),
            };
            (format!("{field} is `true` or `false`, not {shown}"), Some(help))
        }
        Expected::Whole | Expected::Number => {
            let whole = *expected == Expected::Whole;
            let noun = if whole { "a whole number" } else { "a number" };
            match found {
                Found::Text(s) if is_number(s.trim(), whole) => (
                    format!("{field} is {noun}, written without quotes"),
                    Some(format!("write `{key}: {}`", s.trim())),
                ),
                _ => {
                    let digits: String = match found {
                        Found::Text(s) => s.chars().filter(char::is_ascii_digit).collect(),
                        _ => String::new(),
                    };
                    let help = if digits.is_empty() {
                        format!("write {noun} in digits after `{key}:`, without quotes or words")
                    } else {
                        format!("write digits only: `{key}: {digits}`")
                    };
                    (format!("{field} is {noun}, not {shown}"), Some(help))
                }
            }
        }
        Expected::Text => match found {
            Found::Number(s) | Found::Bool(s) => (
                format!("{field} is text, but YAML reads `{s}` as {}", if matches!(found, Found::Bool(_)) { "yes-or-no" } else { "a number" }),
                Some(format!("put it in quotes: `{key}: \"{s}\"`")),
            ),
            Found::List => (
                format!("{field} is text, not a list"),
                Some(format!("write the text right after `{key}:`; if it starts with `[` or `- `, put it in quotes")),
            ),
            Found::Map => (
                format!("{field} is text, not a group of fields"),
                Some(format!("write the text on the same line as `{key}:`; if it holds `: `, put it in quotes")),
            ),
            _ => (format!("{field} is text, not {shown}"), Some(format!("write the text after `{key}:`"))),
        },
        Expected::Shape(desc) => {
            let message = match found {
                Found::Other(s) if s.is_empty() => format!("{field} must be {desc}"),
                _ => format!("{field} must be {desc}, not {shown}"),
            };
            let help = if path.is_empty() {
                "each line is `field: value`, starting with `title: ...`".to_string()
            } else {
                format!("write `{key}:` alone on its line, and its fields on the lines under it, indented by two spaces")
            };
            (message, Some(help))
        }
    }
}

/// How a found value is named in a message.
fn shown(found: &Found) -> String {
    match found {
        Found::Text(s) => format!("the text `{s}`"),
        Found::Number(s) => format!("the number `{s}`"),
        Found::Bool(s) => format!("`{s}`"),
        Found::Empty => "empty".into(),
        Found::List => "a list".into(),
        Found::Map => "a group of fields".into(),
        Found::Other(s) => s.clone(),
    }
}

fn is_number(s: &str, whole: bool) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if whole {
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    } else {
        digits.parse::<f64>().is_ok()
    }
}

/// Serde's `Unexpected` as written (`string "yes"`, ``integer `5` ``, `sequence`).
fn parse_found(s: &str) -> Found {
    let quoted = |t: &str| {
        t.strip_prefix('`')
            .and_then(|t| t.strip_suffix('`'))
            .unwrap_or(t)
            .to_string()
    };
    if let Some(t) = s.strip_prefix("string ") {
        let inner = t
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(t);
        return Found::Text(unescape_debug(inner));
    }
    if let Some(t) = s
        .strip_prefix("integer ")
        .or_else(|| s.strip_prefix("floating point "))
    {
        return Found::Number(quoted(t));
    }
    if let Some(t) = s.strip_prefix("boolean ") {
        return Found::Bool(quoted(t));
    }
    match s {
        "unit value" => Found::Empty,
        "sequence" => Found::List,
        "map" => Found::Map,
        other => Found::Other(other.to_string()),
    }
}

/// Serde's expected shape, with Rust's numeric type names as people say them.
fn parse_expected(s: &str) -> Expected {
    match s {
        "a sequence" => Expected::List,
        "a boolean" => Expected::Bool,
        "a string" => Expected::Text,
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize"
        | "a whole number" => Expected::Whole,
        "f32" | "f64" => Expected::Number,
        other => Expected::Shape(
            // A type without an `expecting` text would show its Rust name: never say it.
            if other.starts_with("struct ")
                || other.starts_with("enum ")
                || other.starts_with("tuple")
            {
                "a group of fields".to_string()
            } else {
                other.to_string()
            },
        ),
    }
}

/// Undoes Rust's `{:?}` escaping of a string (`\"`, `\\`, `\n`, `\t`, `\u{..}`).
fn unescape_debug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Splits serde_yaml's `path: rest` (`team[0]: missing field ...`). Paths are keys joined
/// by `.` with `[i]` for list entries.
fn split_path(words: &str) -> (&str, &str) {
    if let Some((path, rest)) = words.split_once(": ") {
        let is_path = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'));
        if is_path {
            return (path, rest);
        }
    }
    ("", words)
}

/// A field's path as people say it: `trl` -> ``the field `trl` ``, `team[0]` -> ``entry 1 of
/// `team` ``, `team[0].name` -> ``field `name` of entry 1 of `team` ``.
pub fn describe(path: &str) -> String {
    if let Some(open) = path.rfind('[') {
        if path.ends_with(']') {
            if let Ok(i) = path[open + 1..path.len() - 1].parse::<usize>() {
                let parent = &path[..open];
                return format!("entry {} of `{}`", i + 1, parent);
            }
        }
    }
    match path.rsplit_once('.') {
        Some((parent, last)) => format!("`{last}` in {}", describe(parent)),
        None => format!("`{path}`"),
    }
}

/// The last key of a path (`team[0].role` -> `role`, `team[0]` -> `team`).
fn last_key(path: &str) -> &str {
    let base = match path.rfind('[') {
        Some(i) if path.ends_with(']') => &path[..i],
        _ => path,
    };
    let key = base.rsplit('.').next().unwrap_or(base);
    if key.is_empty() {
        "field"
    } else {
        key
    }
}

/// The 1-based (line, column) marks in a parser message, in order: where it gave up, then
/// what it was reading.
fn marks(message: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        rest = &rest[i + " at line ".len()..];
        let line: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = &rest[line.len()..];
        let column: String = after
            .strip_prefix(" column ")
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let (Ok(l), Ok(c)) = (line.parse(), column.parse()) {
            out.push((l, c));
        }
    }
    out
}

/// The message without its `at line N column M` marks (they count in the YAML text, not the
/// file; the caller shifts the error's own position).
pub(super) fn strip_marks(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let tail = &after[digits..];
        rest = match tail.strip_prefix(" column ") {
            Some(t) => t.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => tail,
        };
    }
    out.push_str(rest);
    out
}

/// The 0-based character column of a tab in the line's indentation.
fn leading_tab(line: &str) -> Option<usize> {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .position(|c| c == '\t')
        .or_else(|| {
            // `- \tname: x`: a tab after a list dash is indentation too.
            let rest = line.trim_start_matches(' ').strip_prefix('-')?;
            rest.starts_with('\t').then(|| line.len() - rest.len())
        })
}

/// The character at a 1-based column.
fn char_at(line: &str, column: usize) -> Option<char> {
    line.chars().nth(column.checked_sub(1)?)
}

/// Whether `s` can be a field name (`title`, `publish_after`, `read-more`).
fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Whether a word written alone is more likely a field name missing its colon than text:
/// field names are lowercase ASCII (`title`, `publish_after`).
fn looks_like_field(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The field name and raw value of a `key: value` line (after any `- ` list dashes).
fn field_of(line: &str) -> Option<(&str, &str)> {
    let mut t = line.trim_start();
    while let Some(rest) = t.strip_prefix("- ") {
        t = rest.trim_start();
    }
    let (key, value) = t.split_once(':')?;
    if !is_key(key) {
        return None;
    }
    let value = value
        .strip_prefix(' ')
        .or_else(|| value.strip_prefix('\t'))
        .unwrap_or(value);
    (value.is_empty() || t.as_bytes()[key.len() + 1].is_ascii_whitespace())
        .then(|| (key, value.trim()))
}

/// `value` with one pair of matching outer quotes removed.
fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

/// `text` as a quoted YAML scalar that reads back as exactly `text`: double quotes when it
/// has none, else single quotes when it has none of those, else double quotes with escapes.
pub fn quoted(text: &str) -> String {
    if !text.contains('"') && !text.contains('\\') {
        format!("\"{text}\"")
    } else if !text.contains('\'') {
        format!("'{text}'")
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// `text` in single quotes (an apostrophe written twice).
fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// An entry of a `[a, b]` list, quoted when YAML would read it otherwise.
fn flow_item(item: &str) -> String {
    let plain = item
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '.' || c == '_')
        && !item.contains(": ")
        && !item.contains(" #")
        && !item.contains(['[', ']', '{', '}', ',']);
    if plain {
        item.to_string()
    } else {
        quoted(item)
    }
}

/// The line of the second `key:` of the group that first writes `key` (same indentation).
fn second_key_line(text: &str, key: &str) -> Option<usize> {
    let mut first_indent = None;
    for (i, line) in text.lines().enumerate() {
        let mut t = line.trim_start_matches(' ');
        let mut indent = line.len() - t.len();
        if let Some(rest) = t.strip_prefix("- ") {
            indent += 2;
            t = rest;
        }
        let is_key = t
            .strip_prefix(key)
            .is_some_and(|r| r.starts_with(':') || r.starts_with(" :"));
        let is_key = is_key
            || t.strip_prefix(&format!("\"{key}\""))
                .is_some_and(|r| r.starts_with(':'));
        if !is_key {
            continue;
        }
        match first_indent {
            None => first_indent = Some(indent),
            Some(f) if f == indent => return Some(i + 1),
            Some(_) => {}
        }
    }
    None
}

/// "mapping values are not allowed here": the parser met `: ` where a value was going on.
/// Either the value itself holds `: ` (on its line or a line it continues onto), or a field
/// is indented under a field that holds a value.
fn colon_in_value(lines: &[&str], line: usize, column: usize) -> YamlError {
    let get = |n: usize| lines.get(n.wrapping_sub(1)).copied().unwrap_or("");
    let this = get(line);
    let before: String = this.chars().take(column.saturating_sub(1)).collect();
    let make = |l: usize, c: Option<usize>, message: String, help: String| YamlError {
        line: Some(l),
        column: c,
        message,
        help: Some(help),
        problem: Box::new(Problem::Syntax),
    };
    // `summary: Our system: fast`, `- role: CEO: founder`.
    if let Some((key, value)) = field_of(this).filter(|_| {
        before.trim_start().trim_start_matches("- ").contains(": ")
            || before.trim_end().ends_with(':') && before.matches(':').count() > 1
    }) {
        return make(
            line,
            Some(column),
            format!("the value of `{key}` has a colon and a space (`: `) in it, which YAML reads as the start of another field"),
            format!("put the value in quotes: `{key}: {}`", quoted(value)),
        );
    }
    let first = before.trim_start().trim_start_matches("- ");
    let indent = this.len() - this.trim_start().len();
    // The value above goes on over this line, and this line has `: ` in its text.
    let above = (1..line).rev().find(|&l| !get(l).trim().is_empty());
    let above_field = above.and_then(|l| field_of(get(l)).map(|f| (l, f)));
    if !is_key(first.trim_end_matches(':').trim()) || first.contains(' ') {
        let (key, l) = above_field.map_or(("field", line), |(l, (k, _))| (k, l));
        return make(
            line,
            Some(column),
            format!("this line goes on with the value of `{key}` (line {l}), and its `: ` makes YAML read a new field"),
            format!("put the whole value of `{key}` in quotes, on one line"),
        );
    }
    let key = first.trim_end_matches(':').trim();
    match above.map(|l| (l, get(l))) {
        // `title A` then `summary: x`: the line above has no colon, so YAML took it as text
        // going on into this line.
        Some((l, text)) if field_of(text).is_none() && indent == 0 => {
            let t = text.trim();
            let help = match t.split_once(' ') {
                Some((w, rest)) if looks_like_field(w) => format!("write `{w}: {rest}`"),
                _ => "each line is `field: value`".into(),
            };
            make(
                l,
                Some(1),
                "this line has no `:` after its field name".into(),
                help,
            )
        }
        Some((_, text)) if indent > 0 => {
            let above_key = field_of(text).map_or("field", |f| f.0);
            make(
                line,
                Some(indent + 1),
                format!("`{key}:` is indented, so YAML reads it as part of `{above_key}` above, which already has a value"),
                format!("line `{key}:` up with `{above_key}:` (or with the first field of its group)"),
            )
        }
        _ => make(
            line,
            Some(column),
            format!("YAML cannot read `{key}:` here"),
            GENERAL_HELP.into(),
        ),
    }
}

/// Where a value that starts with a quote, `[` or `{` ends before its line does: an
/// apostrophe inside single quotes, text after a closing quote, or a quote opened on an
/// earlier line and never closed there.
fn quote_trouble(lines: &[&str], line: usize) -> Option<YamlError> {
    let get = |n: usize| lines.get(n.wrapping_sub(1)).copied().unwrap_or("");
    // The nearest line at or above with a value that opens a quote and does not close it,
    // within a few lines: a quoted value runs on until its quote closes.
    for l in (line.saturating_sub(20).max(1)..=line).rev() {
        let Some((key, value)) = field_of(get(l)) else {
            continue;
        };
        let Some(open) = value
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '[' | '{'))
        else {
            continue;
        };
        let close = match open {
            '[' => ']',
            '{' => '}',
            q => q,
        };
        let end = closing(value, open, close);
        let column = get(l).len() - get(l).trim_start().len() + 1;
        match end {
            None if l < line && matches!(open, '"' | '\'') => {
                return Some(YamlError {
                    line: Some(l),
                    column: Some(column),
                    message: format!("the quote `{open}` that starts the value of `{key}` is not closed on its line"),
                    help: Some(format!("end the value with `{open}`: `{key}: {}`", quoted(value.trim_start_matches(open)))),
                    problem: Box::new(Problem::Syntax),
                });
            }
            Some(end) if end + 1 < value.len() && l == line => {
                let (head, tail) = value.split_at(end + 1);
                let what = match open {
                    '[' => "a list".to_string(),
                    '{' => "a group of fields".to_string(),
                    q => format!("the quote `{q}`"),
                };
                let mut message = format!(
                    "the value of `{key}` starts with {what}, which ends at `{}`, and the text after it (`{}`) is left over",
                    head.rsplit(' ').next().unwrap_or(head),
                    tail.trim()
                );
                if open == '\'' {
                    message.push_str(": an apostrophe inside single quotes ends them");
                }
                return Some(YamlError {
                    line: Some(l),
                    column: Some(column),
                    message,
                    help: Some(format!(
                        "put the whole value in quotes: `{key}: {}`",
                        quoted(unquote(value))
                    )),
                    problem: Box::new(Problem::Syntax),
                });
            }
            _ => {}
        }
    }
    None
}

/// The byte index of the `close` that ends a value opening with `open` (escapes in double
/// quotes, doubled apostrophes in single quotes, nesting for brackets).
fn closing(value: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = value.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match open {
            '"' if c == '\\' => {
                chars.next();
            }
            '"' if c == '"' => return Some(i),
            '\'' if c == '\'' => {
                if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                } else {
                    return Some(i);
                }
            }
            '[' | '{' if c == open => depth += 1,
            '[' | '{' if c == close => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `text` as any YAML value and explains the error.
    fn explain_text(text: &str) -> YamlError {
        let e = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        explain(
            text,
            &e.to_string(),
            e.location().map(|l| (l.line(), l.column())),
        )
    }

    fn says(text: &str) -> (usize, String, String) {
        let e = explain_text(text);
        (e.line.unwrap_or(0), e.message, e.help.unwrap_or_default())
    }

    #[test]
    fn colon_in_an_unquoted_value() {
        let (line, message, help) = says("title: A\nsummary: Our system: fast and cheap\n");
        assert_eq!(line, 2);
        assert_eq!(message, "the value of `summary` has a colon and a space (`: `) in it, which YAML reads as the start of another field");
        assert_eq!(
            help,
            "put the value in quotes: `summary: \"Our system: fast and cheap\"`"
        );
        let (line, _, help) = says("team:\n  - name: A\n    role: CEO: founder\n");
        assert_eq!(line, 3);
        assert_eq!(help, "put the value in quotes: `role: \"CEO: founder\"`");
        let (line, message, _) = says("summary: Our system\n  does this: fast\n");
        assert_eq!(line, 2);
        assert!(
            message.contains("goes on with the value of `summary`"),
            "{message}"
        );
    }

    #[test]
    fn indentation_mistakes() {
        let (line, message, help) = says("title: A\n  summary: x\n");
        assert_eq!(line, 2);
        assert_eq!(message, "`summary:` is indented, so YAML reads it as part of `title` above, which already has a value");
        assert_eq!(
            help,
            "line `summary:` up with `title:` (or with the first field of its group)"
        );
        let (line, message, _) = says("team:\n  - name: A\n   role: B\n");
        assert_eq!(
            (line, message.as_str()),
            (3, "this line is not lined up with the entry above it")
        );
        let (line, message, help) = says("title A\nsummary: x\n");
        assert_eq!(
            (line, message.as_str(), help.as_str()),
            (
                1,
                "this line has no `:` after its field name",
                "write `title: A`"
            )
        );
        let (line, message, _) = says("title: A\nSome text line\nsummary: x\n");
        assert_eq!(
            (line, message.as_str()),
            (2, "this line has no `field:` name before its text")
        );
    }

    #[test]
    fn tabs() {
        for text in [
            "team:\n\t- name: A\n",
            "links:\n  website: a\n\trepo: b\n",
            "team:\n  - name: A\n \trole: B\n",
        ] {
            let (line, message, help) = says(text);
            assert_eq!(
                message, "this line is indented with a tab; YAML indents with spaces only",
                "{text:?}"
            );
            assert_eq!(
                line,
                text.lines().position(|l| l.contains('\t')).unwrap() + 1
            );
            assert!(help.starts_with("replace the tab"));
        }
    }

    #[test]
    fn quotes() {
        // Unclosed, reported where it opens, not where the parser ran out.
        let (line, message, _) = says("title: \"Unclosed\nsummary: x\nteam:\n  - name: A\n");
        assert_eq!(
            (line, message.as_str()),
            (1, "the quote `\"` that starts this value is never closed")
        );
        let (line, message, help) = says("title: \"Unclosed\nsummary: \"x\"\ntrl: 3\n");
        assert_eq!(line, 1);
        assert_eq!(
            message,
            "the quote `\"` that starts the value of `title` is not closed on its line"
        );
        assert_eq!(help, "end the value with `\"`: `title: \"Unclosed\"`");
        // An apostrophe inside single quotes.
        let (line, message, help) = says("title: 'Don't stop'\nsummary: x\n");
        assert_eq!(line, 1);
        assert!(
            message.ends_with("an apostrophe inside single quotes ends them"),
            "{message}"
        );
        assert_eq!(
            help,
            "put the whole value in quotes: `title: \"Don't stop\"`"
        );
        let (_, _, help) = says("summary: \"A\" stands for alpha\n");
        assert_eq!(
            help,
            "put the whole value in quotes: `summary: '\"A\" stands for alpha'`"
        );
        let (_, message, help) = says("summary: [beta] A radio\n");
        assert!(
            message.starts_with("the value of `summary` starts with a list"),
            "{message}"
        );
        assert_eq!(
            help,
            "put the whole value in quotes: `summary: \"[beta] A radio\"`"
        );
        let (line, message, help) = says("path: \"C:\\new\\x\"\n");
        assert_eq!(line, 1);
        assert!(message.starts_with("a backslash"), "{message}");
        assert_eq!(
            help,
            "use single quotes, where a backslash is just a backslash: `path: 'C:\\new\\x'`"
        );
    }

    #[test]
    fn signs_at_the_start_of_a_value() {
        for (text, sign) in [
            ("summary: @handle\n", '@'),
            ("summary: `code`\n", '`'),
            ("summary: *bold* text\n", '*'),
            ("summary: %x\n", '%'),
        ] {
            let (line, message, help) = says(text);
            assert_eq!(line, 1);
            let named = if sign == '`' {
                "a backtick (`)".to_string()
            } else {
                format!("`{sign}`")
            };
            assert_eq!(message, format!("a value cannot start with {named} unless it is in quotes: YAML gives that sign a meaning of its own"));
            assert_eq!(
                help,
                format!(
                    "put the value in quotes: `summary: \"{}\"`",
                    &text[9..text.len() - 1]
                )
            );
        }
    }

    #[test]
    fn lists_and_blocks() {
        let (_, message, help) = says("areas: - a\n");
        assert_eq!(message, "a list entry (`- `) must start a line of its own");
        assert!(help.starts_with("write `areas: [a, b]`"), "{help}");
        let (line, message, _) = says("areas: [a, b\ntrl: 3\n");
        assert_eq!(
            (line, message.as_str()),
            (
                1,
                "the list opened here is not closed with `]` on this line"
            )
        );
        let (_, message, _) = says("summary: |x\n  a\n");
        assert_eq!(message, "nothing may follow `|` or `>` on its line");
    }

    #[test]
    fn several_documents_point_at_the_line() {
        let e = explain_text("title: A\n---\nsummary: x\n");
        assert_eq!(e.line, Some(2));
        assert_eq!(*e.problem, Problem::SeveralDocuments);
    }

    #[test]
    fn serde_types_in_plain_words() {
        let cases = [
            ("areas: invalid type: string \"drones\", expected a sequence", "`areas` is a list, even with one entry", "write `areas: [drones]`"),
            ("tags: invalid type: string \"drones, radio: rf\", expected a sequence", "`tags` is a list, even with one entry", "write `tags: [drones, \"radio: rf\"]`"),
            ("draft: invalid type: string \"yes\", expected a boolean", "`draft` is `true` or `false`, not the text `yes`", "write `draft: true`"),
            ("featured: invalid type: string \"maybe\", expected a boolean", "`featured` is `true` or `false`, not the text `maybe`", "write `featured: true` or `featured: false`"),
            ("trl: invalid type: string \"5\", expected i64", "`trl` is a whole number, written without quotes", "write `trl: 5`"),
            ("trl: invalid type: string \"7a\", expected i64", "`trl` is a whole number, not the text `7a`", "write digits only: `trl: 7`"),
            ("title: invalid type: integer `2026`, expected a string", "`title` is text, but YAML reads `2026` as a number", "put it in quotes: `title: \"2026\"`"),
            ("team[0]: missing field `name`", "entry 1 of `team` has no `name`", "add `name: ...` to it"),
            ("links: unknown field `site`, expected one of `website`, `repo`, `video`, `contact`", "unknown field `site` in `links`", "the fields here are: website, repo, video, contact"),
            ("links: unknown field `webiste`, expected one of `website`, `repo`", "unknown field `webiste` in `links`", "did you mean `website`?"),
        ];
        for (raw, message, help) in cases {
            let e = explain("", raw, Some((1, 1)));
            assert_eq!(e.message, message, "{raw}");
            assert_eq!(e.help.as_deref(), Some(help), "{raw}");
        }
        let e = explain(
            "",
            "team[1]: invalid type: string \"A B\", expected struct Member",
            Some((1, 1)),
        );
        assert_eq!(
            e.message,
            "entry 2 of `team` must be a group of fields, not the text `A B`"
        );
        assert!(!e.message.contains("struct"));
        assert_eq!(describe("team[0].name"), "`name` in entry 1 of `team`");
    }

    #[test]
    fn duplicates_point_at_the_second_one() {
        let text = "team:\n  - name: A\n  - name: B\ntitle: x\nsummary: y\ntitle: z\n";
        let e = explain(
            text,
            "duplicate entry with key \"title\" at line 1 column 1",
            Some((1, 1)),
        );
        assert_eq!(
            (e.line, e.message.as_str()),
            (Some(6), "`title` is given twice")
        );
    }

    /// Every one-character slip in a typical front matter (a sign typed, a tab, a character
    /// lost) is told in plain words, with a line and a help.
    #[test]
    fn every_slip_is_told_in_plain_words() {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields, expecting = "fields such as `title: ...`")]
        #[allow(dead_code)]
        struct Meta {
            title: Option<String>,
            summary: Option<String>,
            areas: Option<Vec<String>>,
            trl: Option<i64>,
            draft: Option<bool>,
            team: Option<Vec<Member>>,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields, expecting = "a team member (`name:` and `role:`)")]
        #[allow(dead_code)]
        struct Member {
            name: String,
            role: Option<String>,
        }
        let good = "title: Kestrel UAV\nsummary: A small drone\nareas: [uav, telecom]\ntrl: 5\ndraft: false\nteam:\n  - name: Aigerim\n    role: CEO\n  - name: Arman\n";
        let jargon = [
            "struct",
            "enum ",
            "scalar",
            "mapping",
            "sequence",
            "token",
            "stream",
            "indicator",
            "u8",
            "i64",
            "unit value",
            "simple key",
            "anchor",
            "alias",
            "document",
            "variant",
        ];
        let mut seen = 0;
        let mut failures = Vec::new();
        for (i, _) in good.char_indices() {
            let mut texts: Vec<String> = ":\"'\t[]{}-*&!|>#%@`,"
                .chars()
                .map(|c| format!("{}{c}{}", &good[..i], &good[i..]))
                .collect();
            texts.push(format!("{}{}", &good[..i], &good[i + 1..]));
            for text in texts {
                let Err(e) = crate::yaml::from_str::<Meta>(&text) else {
                    continue;
                };
                seen += 1;
                let said = format!("{} {}", e.message, e.help.as_deref().unwrap_or(""));
                let bad = e.line.is_none()
                    || e.help.is_none()
                    || jargon.iter().any(|w| said.to_lowercase().contains(w));
                if bad {
                    failures.push(format!("{text:?}\n  => {:?} {said}", e.line));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {seen}:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert!(seen > 100, "{seen}");
    }

    #[test]
    fn quoting_reads_back_as_the_text() {
        for text in [
            "plain: text",
            "it's",
            "say \"hi\"",
            "both ' and \"",
            "back\\slash",
        ] {
            let yaml = format!("k: {}\n", quoted(text));
            let v: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(v["k"], text, "{yaml}");
        }
    }
}
