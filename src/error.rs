//! The one error type of the pipeline: a problem in a user's file, with where it is and how to fix it.
//!
//! Invariant: every error a user can cause carries the path relative to the site root, and the
//! line and column when the source gives one. `Display` is the whole user-facing format.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a user's file, printed as `PATH:LINE:COL: message` plus an optional `help:` line.
///
/// ```
/// use showcase::error::Error;
/// let e = Error::at("content/projects/a.md", 7, Some(6), "TRL 12 is out of range")
///     .with_help("the technology readiness level is a whole number from 1 to 9");
/// assert_eq!(
///     e.to_string(),
///     "content/projects/a.md:7:6: TRL 12 is out of range\n  help: the technology readiness level is a whole number from 1 to 9"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Path relative to the site root (or as given, for paths outside it).
    pub path: PathBuf,
    /// 1-based line in the file, front-matter offset included.
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when a fix can be suggested.
    pub help: Option<String>,
}

impl Error {
    /// An error about a whole file.
    pub fn new(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error {
            path: path.as_ref().to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    /// An error at a line (and column) of a file.
    pub fn at(
        path: impl AsRef<Path>,
        line: usize,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            line: Some(line.max(1)),
            column,
            ..Error::new(path, message)
        }
    }

    /// Adds a suggestion printed on its own `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The location prefix `PATH[:LINE[:COL]]`.
    pub fn location(&self) -> String {
        let mut s = printable(&self.path.display().to_string()).into_owned();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s
    }
}

impl Error {
    /// The error as one JSON object for tools (a pull-request check annotating files):
    /// `{"severity", "path", "line", "column", "message", "help"}`. `severity` is what the
    /// caller passes (`"error"` or `"warning"`); `line`, `column` (1-based) and `help` are
    /// `null` when unknown. The texts are raw: JSON escapes control characters itself, so
    /// [`printable`] is not needed here.
    ///
    /// ```
    /// use showcase::error::Error;
    /// let e = Error::new("site.yaml", "no title");
    /// assert_eq!(
    ///     e.to_json("error").to_string(),
    ///     r#"{"severity":"error","path":"site.yaml","line":null,"column":null,"message":"no title","help":null}"#
    /// );
    /// ```
    pub fn to_json(&self, severity: &str) -> serde_json::Value {
        serde_json::json!({
            "severity": severity,
            "path": self.path.to_string_lossy(),
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "help": self.help,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), printable(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", printable(help))?;
        }
        Ok(())
    }
}

/// `s` with every control character (newline, carriage return, escape, NUL, C1 controls)
/// written as a Rust escape (`\n`, `\u{1b}`): a file name or a value quoted in a message
/// can neither break the one-line `PATH:LINE: message` format nor drive the terminal
/// (erase lines, fake a success line, hide text).
///
/// ```
/// assert_eq!(showcase::error::printable("a\nb\u{1b}[2K"), "a\\nb\\u{1b}[2K");
/// ```
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return s.into();
    }
    s.chars()
        .flat_map(|c| match c.is_control() {
            true => c.escape_default().collect::<Vec<_>>(),
            false => vec![c],
        })
        .collect::<String>()
        .into()
}

impl std::error::Error for Error {}

/// Every error of a run: stages collect them all, then the pipeline stops once.
pub type Errors = Vec<Error>;

/// The suggestion for a misspelt name, if one of `candidates` is close enough: the fewest
/// edits (a swap counts as one), ties broken by the longer common prefix.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word, &c.to_lowercase()),
                -strsim::jaro_winkler(&word, c),
                c,
            )
        })
        .filter(|(d, _, _)| *d <= limit)
        .min_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal))
        .map(|(_, _, c)| c)
}

/// Sorts errors by path, line and column so output is stable whatever the thread order.
pub fn sort(errors: &mut Errors) {
    errors.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
    errors.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_location_and_help() {
        let e = Error::at("content/a.md", 3, Some(1), "unknown field `titel`")
            .with_help("did you mean `title`?");
        assert_eq!(
            e.to_string(),
            "content/a.md:3:1: unknown field `titel`\n  help: did you mean `title`?"
        );
    }

    #[test]
    fn json_keeps_every_field_and_escapes_controls() {
        let e =
            Error::at("content/a\nb.md", 3, Some(2), "bad \u{1b}[2K value").with_help("write `x`");
        let v = e.to_json("warning");
        assert_eq!(
            v,
            serde_json::json!({"severity": "warning", "path": "content/a\nb.md", "line": 3,
                "column": 2, "message": "bad \u{1b}[2K value", "help": "write `x`"})
        );
        assert!(v.to_string().contains(r"bad \u001b[2K"), "{v}");
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("publish_afer", ["title", "publish_after"]),
            Some("publish_after")
        );
        assert_eq!(did_you_mean("zzz", ["title", "publish_after"]), None);
    }
}
