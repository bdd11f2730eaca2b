//! Text that YAML reads without a word of complaint, but not as it was written: a ` #` in
//! the middle of a value starts a note and cuts the value there (`summary: Radio #1 in KZ`
//! keeps `Radio`), and a value that starts with `&word ` or `!word ` loses the word (YAML
//! takes it for a name or a type of the value). The parser is silent, so the site would
//! publish the text cut; [`check`] finds such lines and makes it an error, with the value
//! in quotes as the fix.
//!
//! Invariant: a line is reported only when the parsed values confirm that its text is gone
//! (no text of the file holds it), so quoted values, text blocks (`|`, `>`) and notes
//! written on purpose (`trl: 5  # pilot`, `# note` with a space) are never reported.

use super::explain::{code, field_of, quoted};
use super::{Problem, Value, YamlError};

/// At most this many suspect lines are confirmed against the parsed values: each check reads
/// every text of the file, and a file is wrong at its first lost text anyway.
const MAX_SUSPECTS: usize = 64;

/// The first line of `text` (which parsed) whose written text YAML leaves out, as an error.
pub(super) fn check(text: &str) -> Option<YamlError> {
    // Most files have none of the three signs: nothing to scan.
    if !text.contains(['#', '&', '!']) {
        return None;
    }
    let suspects = suspects(text);
    if suspects.is_empty() {
        return None;
    }
    let value: Value = serde_yaml::from_str(text).ok()?;
    let mut texts = Vec::new();
    super::leaves(&value, "", &mut texts);
    suspects
        .into_iter()
        .take(MAX_SUSPECTS)
        .find(|s| !texts.iter().any(|(_, t)| t.contains(&s.written)))
        .map(|s| s.error)
}

/// A line whose text YAML may leave out: `written` is the part that would be gone.
struct Suspect {
    written: String,
    error: YamlError,
}

/// The lines that may lose text, in order. Lines inside a text block or a quoted value that
/// runs over several lines are skipped: YAML keeps `#`, `&` and `!` there.
fn suspects(text: &str) -> Vec<Suspect> {
    let mut out = Vec::new();
    // The indentation of the field that opened a text block (`summary: |`).
    let mut block: Option<usize> = None;
    // The quote of a quoted value still open at the end of the line before.
    let mut open: Option<char> = None;
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().copied().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(b) = block {
            if line.trim().is_empty() || indent > b {
                continue;
            }
            block = None;
        }
        if let Some(q) = open {
            if closes(line, q) {
                open = None;
            }
            continue;
        }
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        // The value: after `key: `, after `- `, or the whole line of a value going on.
        let (key, value) = match field_of(line) {
            Some((k, v)) => (Some(k), v),
            None => {
                let mut v = t;
                while let Some(rest) = v.strip_prefix("- ") {
                    v = rest.trim_start();
                }
                (None, v.trim_end())
            }
        };
        match value.chars().next() {
            None | Some('[' | '{') => continue,
            Some(q @ ('"' | '\'')) => {
                if !closes(&value[1..], q) {
                    open = Some(q);
                }
                continue;
            }
            Some('|' | '>') => {
                block = Some(indent);
                continue;
            }
            _ => {}
        }
        let at = |part: &str| {
            // `part` is a slice of `line`: its column in characters.
            let byte = part.as_ptr() as usize - line.as_ptr() as usize;
            line[..byte].chars().count() + 1
        };
        let fix = match key {
            Some(k) => format!(
                "put the value in quotes: {}",
                code(&format!("{k}: {}", quoted(value)))
            ),
            None if t.starts_with("- ") => format!(
                "put the value in quotes: {}",
                code(&format!("- {}", quoted(value)))
            ),
            None => "put the whole value in quotes, from its first line to its last".into(),
        };
        let whose = key.map_or("this value".to_string(), |k| format!("`{k}`"));
        // `&word` alone may name a group written on the lines under it.
        let group_below = lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.len() - l.trim_start_matches(' ').len() > indent);
        if let Some((sign, word, rest)) =
            sign_word(value).filter(|s| !(s.2.is_empty() && group_below))
        {
            let what = if sign == '&' {
                "a name for the value"
            } else {
                "a type of the value"
            };
            let would = if rest.is_empty() {
                "empty".to_string()
            } else {
                code(rest)
            };
            out.push(Suspect {
                written: value.to_string(),
                error: error(
                    i + 1,
                    at(value),
                    format!(
                        "a value cannot start with `{sign}` unless it is in quotes: YAML reads {} as {what} and leaves it out, so {whose} would be {would}",
                        code(word),
                    ),
                    fix.clone(),
                ),
            });
        }
        if let Some(note) = cut_by_note(value) {
            let kept = value[..value.len() - note.len()].trim_end();
            let would = if kept.is_empty() {
                format!("{whose} would be empty")
            } else {
                format!("{whose} would end at {}", code(kept))
            };
            out.push(Suspect {
                written: note.to_string(),
                error: error(
                    i + 1,
                    at(note),
                    format!(
                        "a `#` after a space starts a note, which YAML leaves out: {would}, without {}",
                        code(note)
                    ),
                    format!("{fix}; a note to yourself has a space after its `#`"),
                ),
            });
        }
    }
    out
}

fn error(line: usize, column: usize, message: String, help: String) -> YamlError {
    YamlError {
        line: Some(line),
        column: Some(column),
        message,
        help: Some(help),
        problem: Box::new(Problem::Syntax),
    }
}

/// `&word rest` or `!word rest`: the sign, the word YAML takes for a name or a type, and
/// the text it keeps. Standard types (`!!str`) and values that start a list, a group or a
/// quote after the word are written on purpose.
fn sign_word(value: &str) -> Option<(char, &str, &str)> {
    let sign = value.chars().next().filter(|c| matches!(c, '&' | '!'))?;
    if value.starts_with("!!") || value.starts_with("!<") {
        return None;
    }
    let (word, rest) = value.split_once([' ', '\t']).unwrap_or((value, ""));
    let rest = rest.trim_start();
    // A name or a type given to a list, a group, a quoted or a block text is written on
    // purpose; the caller checks a word alone (a group may follow on the lines under it).
    let on_purpose = rest.starts_with(['[', '{', '"', '\'', '|', '>', '#', '*', '&', '!']);
    (word.chars().count() > 1 && !on_purpose).then_some((sign, word, rest))
}

/// The note at the end of a plain value that cuts it: ` #` followed by a letter or a digit
/// (`Radio #1 in KZ`, `#drones`), when what comes before is text, not a number or `true`
/// with a note after it. A note written with a space after `#` is on purpose.
fn cut_by_note(value: &str) -> Option<&str> {
    let mut from = 0;
    let pos = loop {
        let rest = &value[from..];
        let i = rest.find('#')?;
        let at = from + i;
        let before = value[..at].chars().next_back();
        if before.is_none_or(|c| c == ' ' || c == '\t') {
            break at;
        }
        from = at + 1;
    };
    let after = value[pos + 1..].chars().next()?;
    if after.is_whitespace() || after == '#' {
        return None;
    }
    let kept = value[..pos].trim_end();
    let is_scalar = kept.parse::<f64>().is_ok()
        || matches!(kept, "true" | "false" | "null" | "~" | "True" | "False");
    (!is_scalar).then_some(&value[pos..])
}

/// Whether `text` holds the quote `q` that closes a value opened before it (a doubled `''`
/// inside single quotes and `\"` inside double quotes do not close).
fn closes(text: &str, q: char) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek() == Some(&'\'') {
                chars.next();
            } else {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lost(text: &str) -> Option<(usize, usize, String, String)> {
        let e = check(text)?;
        Some((
            e.line.unwrap_or(0),
            e.column.unwrap_or(0),
            e.message,
            e.help.unwrap_or_default(),
        ))
    }

    #[test]
    fn a_note_in_the_middle_of_a_value_is_an_error() {
        let (line, column, message, help) = lost("title: A\nsummary: Radio #1 in KZ\n").unwrap();
        assert_eq!((line, column), (2, 16));
        assert_eq!(message, "a `#` after a space starts a note, which YAML leaves out: `summary` would end at `Radio`, without `#1 in KZ`");
        assert_eq!(help, "put the value in quotes: `summary: \"Radio #1 in KZ\"`; a note to yourself has a space after its `#`");
        let (_, column, message, _) = lost("summary: #1 radio\n").unwrap();
        assert_eq!(column, 10);
        assert!(message.contains("`summary` would be empty"), "{message}");
        let (line, _, _, help) = lost("tags:\n  - радио\n  - #дроны\n").unwrap();
        assert_eq!(line, 3);
        assert!(help.contains("`- \"#дроны\"`"), "{help}");
    }

    #[test]
    fn notes_written_on_purpose_are_fine() {
        for text in [
            "trl: 5 #pilot\n",
            "draft: true #later\n",
            "summary: Radio # the old name\n",
            "summary: \"Radio #1\" # quoted\n",
            "summary: 'Radio #1'\n",
            "summary: |\n  Radio #1\n  in KZ\ntitle: A\n",
            "summary: >\n  Radio #1\n",
            "summary: \"Radio\n  #1 in KZ\"\n",
            "base_url: https://x.kz/#top\n",
            "# a note\ntitle: C#\n",
            "tags: [a, b] #x\n",
            "summary: R&D and C#\n",
        ] {
            assert_eq!(lost(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_value_that_starts_with_a_name_or_a_type_loses_it() {
        let (line, column, message, help) = lost("title: A\nsummary: &co radio\n").unwrap();
        assert_eq!((line, column), (2, 10));
        assert_eq!(message, "a value cannot start with `&` unless it is in quotes: YAML reads `&co` as a name for the value and leaves it out, so `summary` would be `radio`");
        assert_eq!(help, "put the value in quotes: `summary: \"&co radio\"`");
        let (_, _, message, _) = lost("summary: !important radio\n").unwrap();
        assert!(message.contains("`!important` as a type"), "{message}");
        // Standard types and a name given to a group are written on purpose.
        assert_eq!(lost("a: !!str 5\n"), None);
        assert_eq!(lost("base: &b {x: 1}\n"), None);
        assert_eq!(lost("base: &b\n  x: 1\nother: *b\n"), None);
        // A value that is only the word is lost whole.
        let (_, _, message, help) = lost("summary: !Important\n").unwrap();
        assert!(
            message.ends_with("so `summary` would be empty"),
            "{message}"
        );
        assert_eq!(help, "put the value in quotes: `summary: \"!Important\"`");
    }

    #[test]
    fn a_long_value_is_not_echoed_whole() {
        let text = format!("summary: {} #1\n", "я".repeat(100_000));
        let (_, _, message, help) = lost(&text).unwrap();
        assert!(message.chars().count() < 300, "{}", message.len());
        assert!(help.chars().count() < 300, "{}", help.len());
    }
}
