//! The only module that knows which YAML library parses our files (`serde_yaml`, provided by the
//! maintained `yaml_serde` crate). Swapping it touches this file alone.
//!
//! Invariant: errors come back as [`YamlError`] with 1-based line and column *within the YAML
//! text*; callers add the offset of the text inside its file.

pub mod explain;
mod lost;

pub use explain::{Expected, Found, Problem};
use serde::de::DeserializeOwned;

/// A YAML value kept as data (for `extra` and `internal`).
pub type Value = serde_yaml::Value;

/// A parse or type error inside a YAML text, in plain words ([`explain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line within the YAML text where the mistake is (not always where the parser
    /// gave up), when known.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong, without YAML's or Rust's jargon.
    pub message: String,
    /// How to write it instead, when a fix can be suggested.
    pub help: Option<String>,
    /// The kind of mistake, for callers that add advice of their own (boxed: errors stay
    /// small on the happy path's `Result`).
    pub problem: Box<Problem>,
}

/// Parses one YAML document into `T`. Several documents, aliases expanding past the parser's
/// bound and nesting past its recursion limit are errors, never a hang.
///
/// Text that parses but would be published cut (a ` #` that starts a note in the middle of
/// a value, a value that starts with `&word` or `!word`) is an error too.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let value = serde_yaml::from_str(text).map_err(|e| {
        let loc = e.location().map(|l| (l.line(), l.column()));
        explain::explain(text, &e.to_string(), loc)
    })?;
    match lost::check(text) {
        Some(e) => Err(e),
        None => Ok(value),
    }
}

/// Like [`from_str`], but a key given twice anywhere is an error even where `T` would keep
/// the last one (maps such as `areas:` or UI strings).
pub fn from_str_unique_keys<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    from_str::<Value>(text)?;
    from_str(text)
}

/// Turns a YAML value into JSON for templates. Keys that are not strings are stringified;
/// tagged values lose their tag.
pub fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(J::Number)
                    .unwrap_or(J::Null)
            }
        }
        Value::String(s) => J::String(s.clone()),
        Value::Sequence(seq) => J::Array(seq.iter().map(to_json).collect()),
        Value::Mapping(map) => J::Object(
            map.iter()
                .map(|(k, v)| (scalar_string(k), to_json(v)))
                .collect(),
        ),
        Value::Tagged(t) => to_json(&t.value),
    }
}

/// Every scalar of a value with its dotted path (`notes`, `contacts.0.phone`).
pub fn leaves(value: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Number(n) => out.push((prefix.to_string(), n.to_string())),
        Value::Sequence(seq) => seq
            .iter()
            .enumerate()
            .for_each(|(i, v)| leaves(v, &join(&i.to_string()), out)),
        Value::Mapping(map) => map
            .iter()
            .for_each(|(k, v)| leaves(v, &join(&scalar_string(k)), out)),
        Value::Tagged(t) => leaves(&t.value, prefix, out),
        Value::Null | Value::Bool(_) => {}
    }
}

/// How deeply a value nests (a scalar is 0).
pub fn depth(value: &Value) -> usize {
    match value {
        Value::Sequence(seq) => 1 + seq.iter().map(depth).max().unwrap_or(0),
        Value::Mapping(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Tagged(t) => depth(&t.value),
        _ => 0,
    }
}

fn scalar_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Lines of the top-level keys of a YAML mapping, so that semantic errors (a TRL out of range,
/// a dangling reference) can point at the line that holds the value.
#[derive(Debug, Default, Clone)]
pub struct KeyLines {
    keys: Vec<(String, usize)>,
    lines: Vec<String>,
}

impl KeyLines {
    /// Scans `text` for keys written at column 0 (`key:`).
    pub fn scan(text: &str) -> Self {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let keys = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let key = l.split_once(':')?.0;
                let ok = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
                ok.then(|| (key.to_string(), i + 1))
            })
            .collect();
        KeyLines { keys, lines }
    }

    /// The 1-based line of top-level `key`.
    pub fn line(&self, key: &str) -> Option<usize> {
        self.keys.iter().find(|(k, _)| k == key).map(|(_, l)| *l)
    }

    /// Line and column of `needle` inside the value of `key` (which may span lines until the
    /// next top-level key); falls back to the key's own line.
    pub fn find(&self, key: &str, needle: &str) -> Option<(usize, Option<usize>)> {
        let start = self.line(key)?;
        let end = self
            .keys
            .iter()
            .map(|(_, l)| *l)
            .filter(|l| *l > start)
            .min()
            .unwrap_or(self.lines.len() + 1);
        for line_no in start..end {
            let line = &self.lines[line_no - 1];
            let from = if line_no == start { key.len() + 1 } else { 0 };
            if let Some(pos) = line.get(from..).and_then(|rest| find_word(rest, needle)) {
                let col = line[..from + pos].chars().count() + 1;
                return Some((line_no, Some(col)));
            }
        }
        Some((start, None))
    }

    /// [`find`](Self::find) for many needles of field `key` at once, given in the order they
    /// are written: each is looked for from the line of the one found before, at most 64
    /// lines on, so the cost is linear in the field's length (finding each from the key's
    /// line was quadratic: 20,000 internal values took seconds). A needle not found there
    /// gets the key's line. `None` for each needle when there is no such key.
    pub fn find_all(&self, key: &str, needles: &[String]) -> Vec<Option<(usize, Option<usize>)>> {
        const WINDOW: usize = 64;
        let Some(start) = self.line(key) else {
            return vec![None; needles.len()];
        };
        let end = self
            .keys
            .iter()
            .map(|(_, l)| *l)
            .filter(|l| *l > start)
            .min()
            .unwrap_or(self.lines.len() + 1);
        let mut cursor = start;
        needles
            .iter()
            .map(|needle| {
                let found = (cursor..end.min(cursor + WINDOW)).find_map(|line_no| {
                    let line = &self.lines[line_no - 1];
                    let from = if line_no == start { key.len() + 1 } else { 0 };
                    let pos = line.get(from..).and_then(|rest| find_word(rest, needle))?;
                    Some((line_no, line[..from + pos].chars().count() + 1))
                });
                match found {
                    Some((line_no, col)) => {
                        cursor = line_no;
                        Some((line_no, Some(col)))
                    }
                    None => Some((start, None)),
                }
            })
            .collect()
    }
}

/// Finds `needle` as a whole token (not inside a longer slug).
fn find_word(hay: &str, needle: &str) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            return Some(at);
        }
        from = at + needle.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        a: u8,
        b: Option<bool>,
    }

    #[test]
    fn type_errors_carry_line_and_clean_message() {
        let e = from_str::<T>("a: 1\nb: yes\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert_eq!(e.message, "`b` is `true` or `false`, not the text `yes`");
        assert_eq!(e.help.as_deref(), Some("write `b: true`"));
        assert_eq!(explain::strip_marks("did not find expected key at line 7 column 1, while parsing a block mapping at line 2 column 1"), "did not find expected key, while parsing a block mapping");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = from_str::<T>("a: 1\nb: true\nb: false\n").unwrap_err();
        assert_eq!(e.message, "`b` is given twice");
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn duplicate_map_keys_are_errors_everywhere() {
        let e = from_str_unique_keys::<std::collections::BTreeMap<String, String>>(
            "a: 1\nb: 2\na: 3\n",
        )
        .unwrap_err();
        assert_eq!(e.message, "`a` is given twice");
    }

    #[test]
    fn billion_laughs_is_bounded() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            doc.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 9].join(", ")));
        }
        assert!(from_str::<Value>(&doc).is_err());
    }

    #[test]
    fn key_lines_find_values() {
        let k = KeyLines::scan("title: x\nprojects:\n  - alpha\n  - beta\ntrl: 3\n");
        assert_eq!(k.line("trl"), Some(5));
        assert_eq!(k.find("projects", "beta"), Some((4, Some(5))));
        assert_eq!(k.find("projects", "alph"), Some((2, None)));
        let all = k.find_all("projects", &["alpha".into(), "beta".into(), "gamma".into()]);
        assert_eq!(
            all,
            [Some((3, Some(5))), Some((4, Some(5))), Some((2, None))]
        );
        assert_eq!(k.find_all("nope", &["x".into()]), [None]);
    }
}
