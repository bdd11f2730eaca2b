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
        // The line that splits is the first `---` or `...` after some field: a `---` above
        // every field only opens the text.
        let is_marker = |l: &&str| matches!(l.trim_end(), "---" | "...");
        let has_content = |l: &&str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
        let first_field = lines.iter().position(|l| has_content(l) && !is_marker(l));
        let at = lines
            .iter()
            .enumerate()
            .position(|(i, l)| is_marker(l) && first_field.is_some_and(|f| f < i))
            .or_else(|| lines.iter().position(is_marker));
        let marker = at.map_or("---", |i| lines[i].trim_end());
        return YamlError {
            problem: Box::new(Problem::SeveralDocuments),
            ..error(
                at.map_or(1, |i| i + 1),
                Some(1),
                format!(
                    "a `{marker}` line splits this file in two; YAML reads only files of one part"
                ),
                Some(format!("remove the `{marker}` line")),
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
            if let Some(e) = typographic_close(get(l), l, q) {
                return e;
            }
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
                |(key, value)| format!("use single quotes, where a backslash is just a backslash: {}", fix(key, &single_quoted(unquote(value)))),
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
        if let Some(e) = colon_unseen(&lines, l) {
            return e;
        }
        let indent = indent_of(get(l));
        let above = (1..l).rev().find(|&a| !get(a).trim().is_empty());
        if let Some(a) = above {
            let over = get(a);
            // `summary: |` then text at the field's own indentation: the text block ended
            // before it began.
            if let Some((key, value)) = field_of(over).filter(|(_, v)| is_block_indicator(v)) {
                if indent <= indent_of(over) {
                    return error(
                        l,
                        Some(indent + 1),
                        format!("the text under `{key}: {value}` must be indented further than `{key}:`"),
                        Some(format!("indent each line of the text by two spaces more than `{key}:`")),
                    );
                }
            }
            // `- telecom` then `satellite` in the same column: an entry without its dash.
            if over.trim_start().starts_with("- ") && indent_of(over) == indent {
                let entry = get(l).trim();
                return error(
                    l,
                    Some(indent + 1),
                    "this line is in a list, but has no `- ` before it like the entries above"
                        .into(),
                    Some(format!("write {}", code(&format!("- {entry}")))),
                );
            }
        }
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
            Some(flow_list_fix(get(line)).unwrap_or_else(|| "write the list as `[a, b]`, with one comma between entries; an entry with one of those signs goes in quotes, like `[\"a: b\", c]`".into())),
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
        // `summary: ? why`: `? ` starts a field name written the long way.
        || words.starts_with("mapping keys are not allowed")
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
            // `projects: [@/projects/a.md]`: the sign starts an entry of a list.
            Some((_, value))
                if value.starts_with(['[', '{'])
                    && sign != value.chars().next().unwrap_or(sign) =>
            {
                flow_list_fix(get(l)).unwrap_or_else(|| "put the entry in quotes".into())
            }
            Some((key, value)) if !value.is_empty() => {
                format!("put the value in quotes: {}", fix(key, &quoted(value)))
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
        let (key, value) = field_of(get(line)).unwrap_or(("field", ""));
        // `summary: - fast radio` may be text that starts with a dash: say both ways; not
        // `team: - name: A`, a list entry that lost its line.
        let entry_is_field = value.strip_prefix("- ").and_then(field_of).is_some();
        let text = if value.is_empty() || entry_is_field {
            String::new()
        } else {
            format!(
                "; if it is text that starts with a dash, put it in quotes: {}",
                fix(key, &quoted(value))
            )
        };
        return error(
            line,
            Some(column),
            "a list entry (`- `) must start a line of its own".into(),
            Some(format!("write `{key}: [a, b]` on one line, or each `- a` on a line of its own under `{key}:`, indented by two spaces{text}")),
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
        // `summary: > 50 km` may be text that starts with the sign: say both ways.
        let quote = field_of(get(line))
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| {
                format!(
                    "; if it is text that starts with `|` or `>`, put it in quotes: {}",
                    fix(k, &quoted(v))
                )
            })
            .unwrap_or_default();
        return error(
            line,
            Some(column),
            "nothing may follow `|` or `>` on its line".into(),
            Some(format!(
                "start the text on the next line, indented by two spaces{quote}"
            )),
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
        let (found_words, expected) = t.rsplit_once(", expected ")?;
        let mut found = parse_found(found_words);
        let expected = parse_expected(expected);
        let (mut message, mut help) = type_words(path, &found, &expected);
        let type_problem = |found: Found, expected: Expected| Problem::Type {
            field: path.to_string(),
            found,
            expected,
        };
        // A number past the largest YAML reads (`news_per_page: 99999999999999999999999`).
        if found_words.ends_with(" as u128") || found_words.ends_with(" as i128") {
            let shown = match &found {
                Found::Number(n) => code(n),
                other => shown(other),
            };
            let field = if path.is_empty() {
                "this file".to_string()
            } else {
                describe(path)
            };
            return Some(make(
                format!("{field} is a number too large to read: {shown}"),
                Some("write a smaller number".into()),
                type_problem(found, expected),
            ));
        }
        let line_text = location
            .and_then(|(l, _)| text.lines().nth(l.checked_sub(1)?))
            .unwrap_or("");
        // serde names a list entry `areas[1]`; `written` is the field itself, on its line.
        let entry = path.ends_with(']');
        let written = field_of(line_text).filter(|(k, _)| *k == last_key(path) && !entry);
        // A number as written (`1e3`, not serde's `1000.0`).
        if let (Found::Number(n), Some((_, v))) = (&mut found, written) {
            if v.parse::<f64>().is_ok() {
                *n = v.to_string();
                (message, help) = type_words(path, &found, &expected);
            }
        }
        if let Some(e) = written_slip(text, path, line_text, &found, &expected, location) {
            return Some(e);
        }
        if let (Expected::Text, Found::Map, true) = (&expected, &found, entry) {
            // `- Note: x` or `[a, Note: x]`: an entry of a list of texts holds `: `.
            if let Some(e) = entry_with_colon(path, line_text, location.map_or(1, |l| l.1)) {
                return Some(make(e.0, Some(e.1), type_problem(found, expected)));
            }
        }
        if let (Expected::List, Found::Text(s)) = (&expected, &found) {
            // `areas:` with its entries on the lines under it, but without `- `.
            if field_of(line_text).is_none()
                && !s.contains([',', ';'])
                && !line_text.trim().is_empty()
            {
                let key = last_key(path);
                message = format!(
                    "{} is a list: each entry is on a line of its own, after `- `",
                    describe(path)
                );
                help = Some(format!(
                    "write {} under `{key}:`, and each other entry the same way",
                    code(&format!("- {}", line_text.trim()))
                ));
            }
        }
        // Text that YAML took for a list or a group because of its first sign.
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
                    "{} is text, but YAML reads {} at its start as {what}",
                    describe(path),
                    code(&value[..end])
                );
                help = Some(format!(
                    "put the whole value in quotes: {}",
                    fix(key, &quoted(value))
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
        // `  - name:` indented with non-breaking spaces is one odd field name to serde.
        if name.contains(NBSP) {
            let l = location.map_or(1, |l| l.0);
            if let Some(e) = colon_unseen(&text.lines().collect::<Vec<_>>(), l) {
                return Some(e);
            }
        }
        let message = if path.is_empty() {
            format!("unknown field {}", code(name))
        } else {
            format!("unknown field {} in {}", code(name), describe(path))
        };
        let help = other_script(name)
            .or_else(|| {
                crate::error::did_you_mean(name, expected.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"))
            })
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
        // The parser points at the group; the second time the key is written is what to fix.
        let second = location.and_then(|at| second_key_line(text, key, at));
        // In an entry of a list (`- name: A`), a second `name:` is most often the next
        // entry without its `- `.
        let in_entry = path.ends_with(']')
            || location
                .and_then(|(l, _)| text.lines().nth(l.checked_sub(1)?))
                .is_some_and(|x| x.trim_start().starts_with("- "));
        let help = if in_entry {
            format!("keep one of them; if this line starts the next entry of the list, write `- ` before `{key}:` and line it up with the `- ` above")
        } else {
            "keep one of them: YAML would not know which one you meant".to_string()
        };
        let mut e = make(
            format!("{} is given twice", code(key)),
            Some(help),
            Problem::Duplicate {
                key: key.to_string(),
            },
        );
        // Column 1: the whole line is what to remove or fix (tests/errors.rs asserts it).
        if let Some((l, _)) = second {
            e.line = Some(l);
            e.column = Some(1);
        }
        return Some(e);
    }
    // A type's own `expecting` text (an untagged enum that matched no form).
    if !path.is_empty() && (rest.starts_with("an ") || rest.starts_with("a ")) {
        let expected = Expected::Shape(rest.to_string());
        // serde reports it at the group that holds the value (`areas`); the parser's line
        // has the field itself: name it, `telecom` in `areas`.
        let line_text = location
            .and_then(|(l, _)| text.lines().nth(l.checked_sub(1)?))
            .unwrap_or("");
        let path = match field_of(line_text) {
            // Not a list entry (`- src: a.jpg` of `gallery`): its line names no field of its own.
            Some((k, _))
                if !path.ends_with(']')
                    && k != last_key(path)
                    && indent_of(line_text) > 0
                    && !line_text.trim_start().starts_with("- ") =>
            {
                format!("{path}.{k}")
            }
            _ => path.to_string(),
        };
        let path = path.as_str();
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

/// A slip in how the line serde points at is written, which made a value of the wrong
/// shape: a list entry without the space after its dash (`-telecom`, `-name: A`), or a
/// field without the space after its colon (`- name:A`). Told as the slip it is.
fn written_slip(
    text: &str,
    path: &str,
    line_text: &str,
    found: &Found,
    expected: &Expected,
    location: Option<(usize, usize)>,
) -> Option<YamlError> {
    let (l, _) = location?;
    let t = line_text.trim_start();
    let indent = line_text.chars().count() - t.chars().count();
    if *expected == Expected::List {
        let after = t.strip_prefix('-')?.chars().next()?;
        if after == '-' || (after.is_whitespace() && after != NBSP) {
            return None;
        }
        let entry = t[1..].trim_start_matches(NBSP).trim();
        let why = if after == NBSP {
            "the space after its dash is a non-breaking space, which YAML does not count as a space"
        } else {
            "its dash has no space after it"
        };
        return Some(YamlError {
            line: Some(l),
            column: Some(indent + 2),
            message: format!(
                "{} is a list, and each entry starts with `- ` (a dash and a space): {why}",
                describe(path)
            ),
            help: Some(format!("write {}", code(&format!("- {entry}")))),
            // A slip of writing, not of shape: callers' advice on the shape would miss it.
            problem: Box::new(Problem::Syntax),
        });
    }
    if matches!(found, Found::Text(_)) && matches!(expected, Expected::Shape(_)) {
        return colon_unseen(&text.lines().collect::<Vec<_>>(), l);
    }
    None
}

/// The message and help for an entry of a list of texts that YAML read as a field because
/// it holds `: ` (`- Note: x`, `[a, Note: x]`), with the entry put in quotes. `column` is
/// where serde says the entry starts.
fn entry_with_colon(path: &str, line: &str, column: usize) -> Option<(String, String)> {
    let message = |entry: &str| {
        format!(
            "{} is text, but YAML reads {} as a field, because of its `: `",
            describe(path),
            code(entry)
        )
    };
    if let Some(entry) = line.trim_start().strip_prefix("- ") {
        let entry = entry.trim();
        return Some((
            message(entry),
            format!(
                "put the entry in quotes: {}",
                code(&format!("- {}", quoted(entry)))
            ),
        ));
    }
    // A list on one line: the entry runs from serde's column to the next `,` or `]`.
    let (key, value) = field_of(line)?;
    if !value.starts_with('[') {
        return None;
    }
    let start = line.char_indices().nth(column.checked_sub(1)?)?.0;
    let rest = &line[start..];
    let entry = rest[..rest.find([',', ']']).unwrap_or(rest.len())].trim_end();
    let fixed = format!(
        "{}{}{}",
        &line[..start],
        quoted(entry),
        &rest[entry.len()..]
    );
    let (_, fixed_value) = field_of(&fixed)?;
    Some((
        message(entry),
        format!("put the entry in quotes: {}", fix(key, fixed_value)),
    ))
}

/// Cyrillic letters that look like Latin ones, with the Latin letter: a field name typed
/// on a Russian or Kazakh keyboard layout looks right and is not (`summаry`).
const LOOKALIKES: [(char, char); 13] = [
    ('а', 'a'),
    ('с', 'c'),
    ('ԁ', 'd'),
    ('е', 'e'),
    ('һ', 'h'),
    ('і', 'i'),
    ('ј', 'j'),
    ('к', 'k'),
    ('о', 'o'),
    ('р', 'p'),
    ('ѕ', 's'),
    ('у', 'y'),
    ('х', 'x'),
];

/// The help for a field name with Cyrillic letters among Latin ones (`summаry`): which
/// letters, and the name typed in Latin. `None` for a name in one script.
pub fn other_script(name: &str) -> Option<String> {
    if !name.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut odd = Vec::new();
    let latin: String = name
        .chars()
        .map(|c| match LOOKALIKES.iter().find(|(cy, _)| *cy == c) {
            Some(&(cy, la)) => {
                odd.push(format!("`{cy}`"));
                la
            }
            None => c,
        })
        .collect();
    (!odd.is_empty() && latin.is_ascii()).then(|| {
        format!(
            "{} has the Cyrillic {} {} among its Latin letters: type it in Latin letters, `{latin}`",
            code(name),
            if odd.len() == 1 { "letter" } else { "letters" },
            odd.join(", ")
        )
    })
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
                    // Entries split by commas, or by semicolons when there is no comma.
                    let by = if !s.contains(',') && s.contains(';') { ';' } else { ',' };
                    let items: Vec<String> = s
                        .split(by)
                        .map(str::trim)
                        .filter(|i| !i.is_empty())
                        .map(flow_item)
                        .collect();
                    Some(format!("write {}", fix(key, &format!("[{}]", items.join(", ")))))
                }
                Found::Number(s) | Found::Bool(s) => Some(format!("write {}", fix(key, &format!("[{s}]")))),
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
            // `draft: "true"`: the right word, in quotes, which make it text.
            if let Found::Text(s) = found {
                if matches!(s.as_str(), "true" | "false") {
                    return (format!("{field} is `true` or `false`, written without quotes"), Some(help));
                }
            }
            (format!("{field} is `true` or `false`, not {shown}"), Some(help))
        }
        Expected::Whole | Expected::Number => {
            let whole = *expected == Expected::Whole;
            let noun = if whole { "a whole number" } else { "a number" };
            match found {
                Found::Text(s) if is_number(s.trim(), whole) => (
                    format!("{field} is {noun}, written without quotes"),
                    Some(format!("write {}", fix(key, s.trim()))),
                ),
                _ => {
                    let digits: String = match found {
                        Found::Text(s) => s.chars().filter(char::is_ascii_digit).collect(),
                        _ => String::new(),
                    };
                    let help = if digits.is_empty() {
                        format!("write {noun} in digits after `{key}:`, without quotes or words")
                    } else {
                        format!("write digits only: {}", fix(key, &digits))
                    };
                    (format!("{field} is {noun}, not {shown}"), Some(help))
                }
            }
        }
        Expected::Text => match found {
            Found::Number(s) | Found::Bool(s) => (
                format!("{field} is text, but YAML reads {} as {}", code(s), if matches!(found, Found::Bool(_)) { "yes-or-no" } else { "a number" }),
                Some(format!("put it in quotes: {}", fix(key, &format!("\"{s}\"")))),
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
        Found::Text(s) => format!("the text {}", code(s)),
        Found::Number(s) => format!("the number {}", code(s)),
        Found::Bool(s) => code(s),
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
        // `integer `99999999999999999999999` as u128`: too large for the usual types.
        let t = t
            .strip_suffix(" as u128")
            .or_else(|| t.strip_suffix(" as i128"))
            .unwrap_or(t);
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
        // serde's words for a map (site.yaml's `languages:`, `areas:`).
        "a map" => Expected::Shape("a group of fields".into()),
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

/// The number of spaces before a line's text.
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Whether a value is the sign that starts a text block on the lines under it (`|`, `>`,
/// `|-`, `>+`, `|2`).
fn is_block_indicator(value: &str) -> bool {
    let value = value.split(" #").next().unwrap_or(value).trim_end();
    let mut chars = value.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+') || c.is_ascii_digit())
}

/// The non-breaking space (U+00A0) that word processors and chats paste for a space; YAML
/// does not count it as one.
const NBSP: char = '\u{a0}';

/// A field whose `:` YAML does not see as one, on line `l` of `lines`: no space after the
/// colon (`summary:Radio`), a non-breaking space after it or before the field, or a
/// full-width colon (`summary： Radio`).
fn colon_unseen(lines: &[&str], l: usize) -> Option<YamlError> {
    let text = *lines.get(l.checked_sub(1)?)?;
    let make = |column: usize, message: String, help: String| YamlError {
        line: Some(l),
        column: Some(column),
        message,
        help: Some(help),
        problem: Box::new(Problem::Syntax),
    };
    let lead = text
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect::<String>();
    if let Some(at) = lead.chars().position(|c| c == NBSP) {
        return Some(make(
            at + 1,
            "this line is indented with a non-breaking space, which YAML does not count as a space".into(),
            "replace the spaces at the start of the line with ordinary ones (text pasted from a word processor or a chat brings the other kind)".into(),
        ));
    }
    let mut t = text.trim_start();
    while let Some(rest) = t.strip_prefix("- ") {
        t = rest.trim_start();
    }
    let at = t.find([':', '：'])?;
    let (key, rest) = t.split_at(at);
    if !is_key(key) {
        return None;
    }
    let sign = rest.chars().next()?;
    let rest = &rest[sign.len_utf8()..];
    let column = text.len() - t.len() + at;
    let column = text[..column].chars().count() + 2;
    if sign == '：' {
        return Some(make(
            column - 1,
            format!("the `：` after `{key}` is a full-width colon, which YAML does not count as a colon"),
            format!("write an ordinary colon: {}", fix(key, &as_value(rest.trim()))),
        ));
    }
    if let Some(value) = rest.strip_prefix(NBSP) {
        let help = if value.trim().is_empty() {
            format!("delete the space after `{key}:`")
        } else {
            format!(
                "type an ordinary space after the colon: {}",
                fix(key, &as_value(value.trim()))
            )
        };
        return Some(make(
            column,
            format!("the space after `{key}:` is a non-breaking space, which YAML does not count as a space"),
            help,
        ));
    }
    // `http://…` is a value with a colon, not a field without its space.
    let first = rest.chars().next()?;
    if first.is_whitespace() || first == '/' {
        return None;
    }
    // `team:-` with the members on the lines under it: the sign is a stray key press.
    let below = lines[l..].iter().find(|x| !x.trim().is_empty());
    if below.is_some_and(|b| indent_of(b) > indent_of(text) || b.trim_start().starts_with("- ")) {
        return Some(make(
            column,
            format!(
                "{} after `{key}:` is left over: the value of `{key}` is on the lines under it",
                code(rest.trim())
            ),
            format!("write `{key}:` alone on its line"),
        ));
    }
    Some(()).map(|()| {
        make(
            column,
            format!(
                "a space is missing after `{key}:`, so YAML reads {} as text, not as a field",
                code(&format!("{key}:{rest}"))
            ),
            format!("write {}", fix(key, &as_value(rest.trim()))),
        )
    })
}

/// The help for a list on one line (`areas: [uav,, :telecom]`) that YAML cannot read: the
/// list written again, without empty entries and with each entry that holds a sign in
/// quotes.
fn flow_list_fix(line: &str) -> Option<String> {
    let (key, value) = field_of(line)?;
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    if inner.contains(['[', ']', '{', '}', '"', '\'']) && !inner.starts_with(['{', '}']) {
        // Nested lists and quoted entries: too varied to write again safely.
        return None;
    }
    let items: Vec<String> = inner
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(flow_item)
        .collect();
    Some(format!(
        "write the list with one comma between entries, and an entry that holds a sign in quotes: {}",
        fix(key, &format!("[{}]", items.join(", ")))
    ))
}

/// `text` written as a value after `key: `: as it is when YAML reads it back the same
/// (plain text, or a value already quoted whole), else in quotes.
fn as_value(text: &str) -> String {
    let whole_quote = text
        .chars()
        .next()
        .is_some_and(|q| matches!(q, '"' | '\'') && closing(text, q, q) == Some(text.len() - 1));
    let plain = text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || !"\"'[]{}-*&!|>#%@`,?:~".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':');
    if whole_quote || plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// The 0-based character column of a tab in the line's indentation.
fn leading_tab(line: &str) -> Option<usize> {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .position(|c| c == '\t')
        .or_else(|| {
            // `- \tname: x`: a tab after a list dash is indentation too.
            let rest = line.trim_start_matches(' ').strip_prefix('-')?;
            let after = rest.trim_start_matches(' ');
            after.starts_with('\t').then(|| line.len() - after.len())
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
pub(super) fn field_of(line: &str) -> Option<(&str, &str)> {
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

/// How many characters of what someone wrote a message quotes back: a 1 MB value is named
/// by its start and end, never echoed whole.
const SHOWN: usize = 80;

/// `text` as a code span for a message: at most 80 characters (its start and its
/// end, with `…` between, so a quoted fix still shows both quotes), on one line.
pub fn code(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let n = flat.chars().count();
    let shown = if n > SHOWN {
        let head: String = flat.chars().take(SHOWN - 20).collect();
        let tail: String = flat.chars().skip(n - 19).collect();
        format!("{head}…{tail}")
    } else {
        flat
    };
    format!("`{shown}`")
}

/// A field written with `value` as a code span: `` `key: value` ``.
fn fix(key: &str, value: &str) -> String {
    code(&format!("{key}: {value}"))
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
        && !item.ends_with(':')
        && !item.contains(" #")
        && !item.contains(['[', ']', '{', '}', ',']);
    if plain {
        item.to_string()
    } else {
        quoted(item)
    }
}

/// Where the second `key:` of a group is written (line, column). The parser reports a
/// duplicate at the group's first field (`at`), so the group is the lines from there that
/// are indented as far, up to the next entry of its list or a line indented less.
fn second_key_line(text: &str, key: &str, at: (usize, usize)) -> Option<(usize, usize)> {
    let group = at.1.saturating_sub(1);
    let mut seen = false;
    for (i, line) in text.lines().enumerate().skip(at.0.saturating_sub(1)) {
        let mut t = line.trim_start_matches(' ');
        if t.trim().is_empty() || t.starts_with('#') {
            continue;
        }
        let mut indent = line.len() - t.len();
        let dash = t.starts_with("- ");
        if dash {
            let rest = t[2..].trim_start_matches(' ');
            indent += t.len() - rest.len();
            t = rest;
        }
        let first = i + 1 == at.0;
        if indent < group || (dash && indent == group && !first) {
            break;
        }
        let is_key = t
            .strip_prefix(key)
            .or_else(|| t.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| t.strip_prefix(&format!("'{key}'")))
            .is_some_and(|r| r.trim_start_matches(' ').starts_with(':'));
        if indent == group && is_key {
            if seen {
                return Some((i + 1, group + 1));
            }
            seen = true;
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
        // `summary: Our goals:`: the colon ends the line, and no space follows it.
        let at_end = this.chars().skip(column).all(char::is_whitespace);
        let message = if at_end {
            format!("the value of `{key}` ends with a colon, which YAML reads as the start of another field")
        } else {
            format!("the value of `{key}` has a colon and a space (`: `) in it, which YAML reads as the start of another field")
        };
        let mut help = format!("put the value in quotes: {}", fix(key, &quoted(value)));
        // `- name: Aigerim, role: CEO`: two fields written on one line.
        if let Some((_, field)) = before.trim_end_matches(':').rsplit_once(", ") {
            if looks_like_field(field) {
                help = format!("if `{field}:` is a field of its own, write it on a line of its own, lined up with `{key}:`; if it is text, {help}");
            }
        }
        return make(line, Some(column), message, help);
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
    // `team:-` above a member: the line above is no field only because of a slip.
    if let Some(e) = above
        .filter(|&l| field_of(get(l)).is_none())
        .and_then(|l| colon_unseen(lines, l))
    {
        return e;
    }
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
                if let Some(e) = typographic_close(get(l), l, open) {
                    return Some(e);
                }
                return Some(YamlError {
                    line: Some(l),
                    column: Some(column),
                    message: format!("the quote `{open}` that starts the value of `{key}` is not closed on its line"),
                    help: Some(format!("end the value with `{open}`: {}", fix(key, &quoted(value.trim_start_matches(open))))),
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
                // Name the end by its last word (`'Kazakhstan'`), or by the whole start when
                // that word is the quote alone (`"It's the "`).
                let end_word = head.rsplit(' ').next().unwrap_or(head);
                let end_word = if end_word.chars().count() < 2 {
                    head
                } else {
                    end_word
                };
                let mut message = format!(
                    "the value of `{key}` starts with {what}, which ends at {}, and the text after it ({}) is left over",
                    code(end_word),
                    code(tail.trim())
                );
                // `'Kazakhstan's first'`: the quote is followed by a letter, so it was meant
                // as an apostrophe.
                if open == '\'' && !tail.starts_with(char::is_whitespace) {
                    message.push_str(": an apostrophe inside single quotes ends them");
                }
                // `'It\'s'`: a backslash, as in code, does not keep an apostrophe in.
                let meant = if open == '\'' && head.ends_with("\\'") {
                    message.push_str(" (a backslash does not change that)");
                    unquote(value).replace("\\'", "'")
                } else {
                    unquote(value).to_string()
                };
                return Some(YamlError {
                    line: Some(l),
                    column: Some(column),
                    message,
                    help: Some(format!(
                        "put the whole value in quotes: {}",
                        fix(key, &quoted(&meant))
                    )),
                    problem: Box::new(Problem::Syntax),
                });
            }
            _ => {}
        }
    }
    None
}

/// Typographic quotes, which YAML reads as text like any letter (`title: «Kestrel»` is
/// fine), so a value opened with `"` and ended with `”` is never closed.
const TYPOGRAPHIC: [char; 9] = ['“', '”', '„', '«', '»', '‘', '’', '‚', '‛'];

/// The error for a value on `text` (line `l`) that opens with the quote `open` and ends
/// with a typographic quote instead, with the value written with straight quotes.
fn typographic_close(text: &str, l: usize, open: char) -> Option<YamlError> {
    let (key, value) = field_of(text)?;
    let inner = value.strip_prefix(open)?.trim_end();
    let last = inner
        .chars()
        .next_back()
        .filter(|c| TYPOGRAPHIC.contains(c))?;
    let body = &inner[..inner.len() - last.len_utf8()];
    // The typographic quote ends the line: point at it.
    let column = text.trim_end().chars().count();
    Some(YamlError {
        line: Some(l),
        column: Some(column),
        message: format!("the quote `{open}` that starts the value of `{key}` is never closed: the `{last}` at its end is a typographic quote, which YAML reads as text"),
        help: Some(format!("end the value with a straight quote: {}", fix(key, &quoted(body)))),
        problem: Box::new(Problem::Syntax),
    })
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

    /// The fields of a typical front matter, as content declares them.
    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields, expecting = "fields such as `title: ...`")]
    #[allow(dead_code)]
    struct Meta {
        title: Option<String>,
        summary: Option<String>,
        areas: Option<Vec<String>>,
        tags: Option<Vec<String>>,
        trl: Option<i64>,
        draft: Option<bool>,
        team: Option<Vec<Member>>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields, expecting = "a team member (`name:` and `role:`)")]
    #[allow(dead_code)]
    struct Member {
        name: String,
        role: Option<String>,
    }

    /// Line, column, message and help of `text` read as [`Meta`].
    fn says_meta(text: &str) -> (usize, usize, String, String) {
        let e = crate::yaml::from_str::<Meta>(text).unwrap_err();
        (
            e.line.unwrap_or(0),
            e.column.unwrap_or(0),
            e.message,
            e.help.unwrap_or_default(),
        )
    }

    /// The literal fix a help suggests (`put the value in quotes: `k: "v"``), when it has
    /// one that is shown whole.
    fn suggested<'a>(message: &str, help: &'a str) -> Option<&'a str> {
        let markers = [
            "in quotes: `",
            "with a straight quote: `",
            "`: `",
            "after the colon: `",
            "ordinary colon: `",
            "just a backslash: `",
        ];
        let start = markers
            .iter()
            .find_map(|m| help.find(m).map(|i| i + m.len()))
            .or_else(|| {
                (message.contains("a space is missing") && help.starts_with("write `"))
                    .then_some("write `".len())
            })?;
        let rest = &help[start..];
        let end = rest
            .find("`; ")
            .or_else(|| rest.strip_suffix('`').map(str::len))?;
        Some(&rest[..end]).filter(|f| !f.contains('…'))
    }

    /// `text` with the fix written over line `line`, from where its field (or `- `) starts.
    fn apply(text: &str, line: usize, fix: &str) -> Option<String> {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let target = lines.get(line.checked_sub(1)?)?.clone();
        let start = if fix.starts_with("- ") {
            target.find('-')?
        } else {
            let key = fix.split([':', ' ']).next()?;
            target.find(key)?
        };
        lines[line - 1] = format!("{}{fix}", &target[..start]);
        Some(lines.join("\n") + "\n")
    }

    /// Words of YAML's, serde's or Rust's that no message may use.
    const JARGON: [&str; 22] = [
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
        "u128",
        "unit value",
        "simple key",
        "anchor",
        "alias",
        "document",
        "variant",
        "a map",
        "boolean",
        "integer",
        "string ",
        "yaml value",
    ];

    /// Every one-character slip in a typical front matter, in English and in Russian and
    /// Kazakh (a sign typed, a tab, a non-breaking space, a typographic quote, a character
    /// lost) is told in plain words, with a line and a help; and where the help shows the
    /// line written right, writing it so makes the file read.
    #[test]
    fn every_slip_is_told_in_plain_words() {
        let samples = [
            "title: Kestrel UAV\nsummary: A small drone\nareas: [uav, telecom]\ntrl: 5\ndraft: false\nteam:\n  - name: Aigerim\n    role: CEO\n  - name: Arman\n",
            "title: Кестрел БПЛА\nsummary: Шағын дрон «Қыран» үшін\nareas: [uav, telecom]\ntags: [дроны, радио]\ntrl: 5\nteam:\n  - name: Айгерим Сәдуақасова\n    role: Бас директор\n",
        ];
        let mut seen = 0;
        let mut fixed = 0;
        let mut failures = Vec::new();
        for good in samples {
            for (i, _) in good.char_indices() {
                let mut texts: Vec<String> = ":\"'\t[]{}-*&!|>#%@`,?\u{a0}”«："
                    .chars()
                    .map(|c| format!("{}{c}{}", &good[..i], &good[i..]))
                    .collect();
                let next = good[i..].chars().next().map_or(1, char::len_utf8);
                texts.push(format!("{}{}", &good[..i], &good[i + next..]));
                for text in texts {
                    let Err(e) = crate::yaml::from_str::<Meta>(&text) else {
                        continue;
                    };
                    seen += 1;
                    let help = e.help.as_deref().unwrap_or("");
                    let said = format!("{} {help}", e.message);
                    let bad = e.line.is_none()
                        || e.help.is_none()
                        || JARGON.iter().any(|w| said.to_lowercase().contains(w));
                    if bad {
                        failures.push(format!("{text:?}\n  => {:?} {said}", e.line));
                        continue;
                    }
                    let Some(fix) = suggested(&e.message, help) else {
                        continue;
                    };
                    let line = e.line.unwrap_or(0);
                    match apply(&text, line, fix) {
                        Some(after) => match crate::yaml::from_str::<crate::yaml::Value>(&after) {
                            Ok(_) => fixed += 1,
                            Err(again) => failures.push(format!(
                                "{text:?}\n  => {said}\n  fixed as {after:?}\n  => {:?} {}",
                                again.line, again.message
                            )),
                        },
                        None => failures
                            .push(format!("{text:?}\n  => {said}\n  fix not on line {line}")),
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {seen}:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert!(seen > 1000, "{seen}");
        assert!(fixed > 100, "{fixed}");
    }

    #[test]
    fn typographic_quotes_are_text_and_do_not_close_a_quote() {
        let (line, message, help) = says("title: \"Kestrel”\nsummary: x\n");
        assert_eq!(line, 1);
        assert_eq!(message, "the quote `\"` that starts the value of `title` is never closed: the `”` at its end is a typographic quote, which YAML reads as text");
        assert_eq!(
            help,
            "end the value with a straight quote: `title: \"Kestrel\"`"
        );
        let e = explain_text("title: \"Kestrel”\nsummary: x\n");
        assert_eq!(e.column, Some(16));
        for fine in [
            "title: «Kestrel»\n",
            "title: “Kestrel”\n",
            "title: ‘Kestrel’s’\n",
        ] {
            assert!(crate::yaml::from_str::<Meta>(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn entries_with_a_colon_go_in_quotes() {
        let (line, column, message, help) = says_meta("areas:\n  - telecom\n  - Note: x\n");
        assert_eq!((line, column), (3, 5));
        assert_eq!(
            message,
            "entry 2 of `areas` is text, but YAML reads `Note: x` as a field, because of its `: `"
        );
        assert_eq!(help, "put the entry in quotes: `- \"Note: x\"`");
        let (line, column, _, help) = says_meta("areas: [telecom, Note: x]\n");
        assert_eq!((line, column), (1, 18));
        assert_eq!(
            help,
            "put the entry in quotes: `areas: [telecom, \"Note: x\"]`"
        );
        assert!(crate::yaml::from_str::<Meta>("areas: [telecom, \"Note: x\"]\n").is_ok());
    }

    #[test]
    fn list_entries_without_their_dash() {
        let (line, column, message, help) = says_meta("areas:\n  telecom\n  satellite\n");
        assert_eq!((line, column), (2, 3));
        assert_eq!(
            message,
            "`areas` is a list: each entry is on a line of its own, after `- `"
        );
        assert_eq!(
            help,
            "write `- telecom` under `areas:`, and each other entry the same way"
        );
        let (line, message, help) = says("areas:\n  - telecom\n  satellite\n");
        assert_eq!(line, 3);
        assert_eq!(
            message,
            "this line is in a list, but has no `- ` before it like the entries above"
        );
        assert_eq!(help, "write `- satellite`");
        let (line, column, message, help) = says_meta("areas:\n  -telecom\n");
        assert_eq!((line, column), (2, 4));
        assert_eq!(message, "`areas` is a list, and each entry starts with `- ` (a dash and a space): its dash has no space after it");
        assert_eq!(help, "write `- telecom`");
        let (_, _, message, help) = says_meta("team:\n  -\u{a0}name: A\n");
        assert!(message.ends_with("the space after its dash is a non-breaking space, which YAML does not count as a space"), "{message}");
        assert_eq!(help, "write `- name: A`");
        let (_, _, _, help) = says_meta("areas: telecom; satellite\n");
        assert_eq!(help, "write `areas: [telecom, satellite]`");
    }

    #[test]
    fn colons_yaml_does_not_see() {
        let (line, message, help) = says("summary:Radio\ntrl: 5\n");
        assert_eq!(line, 1);
        assert_eq!(message, "a space is missing after `summary:`, so YAML reads `summary:Radio` as text, not as a field");
        assert_eq!(help, "write `summary: Radio`");
        let (_, _, message, help) = says_meta("team:\n  - name:A\n");
        assert_eq!(
            message,
            "a space is missing after `name:`, so YAML reads `name:A` as text, not as a field"
        );
        assert_eq!(help, "write `name: A`");
        let (_, message, help) = says("summary:\u{a0}Radio\ntrl: 5\n");
        assert_eq!(message, "the space after `summary:` is a non-breaking space, which YAML does not count as a space");
        assert_eq!(
            help,
            "type an ordinary space after the colon: `summary: Radio`"
        );
        let (_, message, help) = says("summary： Radio\ntrl: 5\n");
        assert_eq!(
            message,
            "the `：` after `summary` is a full-width colon, which YAML does not count as a colon"
        );
        assert_eq!(help, "write an ordinary colon: `summary: Radio`");
        let (line, column, message, _) = says_meta("team:\n\u{a0}\u{a0}- name: A\n");
        assert_eq!((line, column), (2, 1));
        assert_eq!(
            message,
            "this line is indented with a non-breaking space, which YAML does not count as a space"
        );
        // A stray sign after a field whose value is on the lines under it.
        let (line, message, help) = says("team:-\n  - name: A\n");
        assert_eq!(line, 1);
        assert_eq!(
            message,
            "`-` after `team:` is left over: the value of `team` is on the lines under it"
        );
        assert_eq!(help, "write `team:` alone on its line");
        // A colon at the end of a value.
        let (_, message, help) = says("title: A\nsummary: Our goals:\n");
        assert_eq!(message, "the value of `summary` ends with a colon, which YAML reads as the start of another field");
        assert_eq!(help, "put the value in quotes: `summary: \"Our goals:\"`");
    }

    #[test]
    fn text_blocks_and_signs_that_may_start_text() {
        let (line, message, help) = says("summary: |\nOur system\ntrl: 5\n");
        assert_eq!(line, 2);
        assert_eq!(
            message,
            "the text under `summary: |` must be indented further than `summary:`"
        );
        assert_eq!(
            help,
            "indent each line of the text by two spaces more than `summary:`"
        );
        let (_, _, help) = says("summary: > 50 km range\n");
        assert!(help.ends_with("if it is text that starts with `|` or `>`, put it in quotes: `summary: \"> 50 km range\"`"), "{help}");
        let (_, _, help) = says("summary: - fast radio\n");
        assert!(
            help.ends_with("put it in quotes: `summary: \"- fast radio\"`"),
            "{help}"
        );
        let (_, message, help) = says("summary: ? why\n");
        assert!(
            message.starts_with("a value cannot start with `?`"),
            "{message}"
        );
        assert_eq!(help, "put the value in quotes: `summary: \"? why\"`");
    }

    #[test]
    fn true_in_quotes_is_text() {
        let (_, _, message, help) = says_meta("draft: \"true\"\n");
        assert_eq!(
            message,
            "`draft` is `true` or `false`, written without quotes"
        );
        assert_eq!(help, "write `draft: true`");
    }

    #[test]
    fn a_second_field_of_a_list_entry_may_be_the_next_entry() {
        let (line, _, message, help) = says_meta("team:\n  - name: A\n    role: B\n    name: C\n");
        assert_eq!(line, 4);
        assert_eq!(message, "`name` is given twice");
        assert_eq!(help, "keep one of them; if this line starts the next entry of the list, write `- ` before `name:` and line it up with the `- ` above");
        // The same key in two entries is no duplicate: the second entry's is.
        let (line, _, _, _) =
            says_meta("team:\n  - name: A\n  - name: B\n    role: x\n    name: C\n");
        assert_eq!(line, 5);
    }

    #[test]
    fn several_documents_name_the_line_that_splits() {
        let e = explain_text("title: A\n...\nsummary: x\n");
        assert_eq!(e.line, Some(2));
        assert_eq!(
            e.message,
            "a `...` line splits this file in two; YAML reads only files of one part"
        );
        // A `---` above every field opens the text; the one after a field splits it.
        let e = explain_text("---\ntitle: A\n---\nsummary: x\n");
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn lists_on_one_line_are_written_again() {
        let (_, message, help) = says("areas: [uav,, telecom]\n");
        assert!(
            message.starts_with("an entry of this list is empty"),
            "{message}"
        );
        assert_eq!(help, "write the list with one comma between entries, and an entry that holds a sign in quotes: `areas: [uav, telecom]`");
        let (_, _, help) = says("areas: [uav:, telecom]\n");
        assert!(help.ends_with("`areas: [\"uav:\", telecom]`"), "{help}");
    }

    #[test]
    fn serde_words_for_maps_and_huge_numbers_are_plain() {
        let e = explain(
            "",
            "languages: invalid type: string \"ru, kk\", expected a map",
            Some((1, 1)),
        );
        assert_eq!(
            e.message,
            "`languages` must be a group of fields, not the text `ru, kk`"
        );
        let e = explain(
            "",
            "news_per_page: invalid type: integer `99999999999999999999999` as u128, expected any YAML value",
            Some((1, 1)),
        );
        assert_eq!(
            e.message,
            "`news_per_page` is a number too large to read: `99999999999999999999999`"
        );
        // An untagged shape reported at its group is named by the field on the line.
        let text = "title: P\nareas:\n  telecom: { en: A, ru: [x] }\n";
        let e = explain(
            text,
            "areas: an area's name: text, or one text per language",
            Some((3, 3)),
        );
        assert_eq!(
            e.message,
            "`telecom` in `areas` must be an area's name: text, or one text per language"
        );
    }

    #[test]
    fn columns_count_characters() {
        let e = explain_text("summary: Наша система: быстрая\n");
        assert_eq!(e.column, Some(22));
        let e = explain_text("summary: 🚀🚀 Ракета: 🚀\n");
        assert_eq!(e.column, Some(19));
        let e = explain_text("title: \"Қыран”\n");
        assert_eq!(e.column, Some(14));
    }

    #[test]
    fn field_names_typed_on_a_cyrillic_layout() {
        let (_, _, message, help) = says_meta("team:\n  - namе: A\n");
        assert_eq!(message, "unknown field `namе` in entry 1 of `team`");
        assert_eq!(help, "`namе` has the Cyrillic letter `е` among its Latin letters: type it in Latin letters, `name`");
        assert_eq!(other_script("команда"), None);
        assert_eq!(other_script("title"), None);
    }

    #[test]
    fn two_fields_on_one_line() {
        let (line, message, help) = says("team:\n  - name: Aigerim, role: CEO\n");
        assert_eq!(line, 2);
        assert!(
            message.starts_with("the value of `name` has a colon"),
            "{message}"
        );
        assert_eq!(help, "if `role:` is a field of its own, write it on a line of its own, lined up with `name:`; if it is text, put the value in quotes: `name: \"Aigerim, role: CEO\"`");
    }

    #[test]
    fn a_backslash_does_not_keep_an_apostrophe_in_single_quotes() {
        let (_, message, help) = says("summary: 'It\\'s ours'\n");
        assert!(
            message.ends_with("(a backslash does not change that)"),
            "{message}"
        );
        assert_eq!(
            help,
            "put the whole value in quotes: `summary: \"It's ours\"`"
        );
    }

    #[test]
    fn numbers_are_named_as_written() {
        let (_, _, message, _) = says_meta("trl: 1e3\n");
        assert_eq!(message, "`trl` is a whole number, not the number `1e3`");
    }

    /// A 1 MB value is named by its start and end in every kind of message, never echoed.
    #[test]
    fn long_values_are_not_echoed_whole() {
        let long = "я".repeat(1_000_000);
        for text in [
            format!("summary: a: {long}\n"),
            format!("summary: @{long}\n"),
            format!("summary: \"{long}\" x\n"),
            format!("title: \"{long}”\n"),
            format!("areas: {long}\n"),
            format!("draft: {long}\n"),
            format!("trl: \"{long}\"\n"),
            format!("team: [{long}]\n"),
            format!("summary: \"C:\\x{long}\"\n"),
            format!("summary:{long}\ntrl: 5\n"),
            format!("areas: [{long}:, b]\n"),
            format!("summary: {long} #1\n"),
        ] {
            let e = crate::yaml::from_str::<Meta>(&text).unwrap_err();
            let said = format!("{} {}", e.message, e.help.unwrap_or_default());
            assert!(
                said.chars().count() < 500,
                "{}: {}",
                said.chars().count(),
                &said[..200]
            );
            assert!(said.contains('…'), "{said}");
        }
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
