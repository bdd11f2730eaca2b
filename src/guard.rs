//! The leak guard: no value of an `internal:` field may appear in any output file, whatever
//! a theme prints, whatever an editor pastes into a body, whatever the search index holds.
//!
//! Invariant: runs on every build and preview after rendering and before anything is
//! written; a hit fails the run, naming the item, the field and the output file.

use std::path::PathBuf;

use aho_corasick::AhoCorasick;
use rayon::prelude::*;

use crate::content::Item;
use crate::error::{Error, Errors};
use crate::render::{Data, OutputFile};
use crate::source::FileData;

/// Shorter values are too likely to occur by chance (`yes`, `2025`) to be checked.
pub const MIN_LEN: usize = 6;

/// One internal value to keep out of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// The content file that holds it.
    pub path: PathBuf,
    /// Its line in that file.
    pub line: usize,
    /// Dotted field path (`internal.contact_phone`).
    pub field: String,
    /// The value.
    pub value: String,
}

/// The internal values of an item that are long enough to check.
pub fn secrets_of(item: &Item) -> Vec<Secret> {
    let Some(internal) = &item.meta.internal else {
        return Vec::new();
    };
    let mut leaves = Vec::new();
    crate::yaml::leaves(internal, "internal", &mut leaves);
    leaves
        .into_iter()
        .filter(|(_, v)| v.trim().chars().count() >= MIN_LEN)
        .map(|(field, value)| {
            let first_line = value.lines().next().unwrap_or("").trim().to_string();
            let (line, _) = item.locate("internal", &first_line);
            Secret {
                path: item.path.clone(),
                line,
                field,
                value: value.trim().to_string(),
            }
        })
        .collect()
}

/// Output files that are text (pages, feeds, indexes, styles, scripts).
fn is_text(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    [
        "html",
        "htm",
        "xml",
        "json",
        "txt",
        "css",
        "js",
        "svg",
        "webmanifest",
        "md",
        "csv",
    ]
    .contains(&ext.as_str())
}

/// Every place where a secret appears in `files`.
pub fn check(files: &[OutputFile], secrets: &[Secret]) -> Errors {
    if secrets.is_empty() {
        return Vec::new();
    }
    let mut values: Vec<&str> = secrets.iter().map(|s| s.value.as_str()).collect();
    values.sort_unstable();
    values.dedup();
    let Ok(matcher) = AhoCorasick::new(&values) else {
        return vec![Error::new(
            "(leak guard)",
            "cannot build the matcher for internal values",
        )];
    };
    let hits: Vec<(usize, String)> = files
        .par_iter()
        .filter(|f| is_text(&f.path))
        .flat_map_iter(|f| {
            let bytes: Option<std::borrow::Cow<'_, [u8]>> = match &f.data {
                Data::Bytes(b) => Some(b.as_slice().into()),
                Data::Copy(FileData::Embedded(b)) => Some((*b).into()),
                Data::Copy(FileData::Disk(p)) => std::fs::read(p).ok().map(Into::into),
            };
            let mut found: Vec<usize> = bytes
                .map(|b| {
                    matcher
                        .find_overlapping_iter(b.as_ref())
                        .map(|m| m.pattern().as_usize())
                        .collect()
                })
                .unwrap_or_default();
            found.sort_unstable();
            found.dedup();
            found.into_iter().map(move |p| (p, f.path.clone()))
        })
        .collect();
    let mut errors = Vec::new();
    for (pattern, file) in hits {
        for s in secrets.iter().filter(|s| s.value == values[pattern]) {
            errors.push(
                Error::at(&s.path, s.line, None, format!("the value of `{}` appears in the output file {file}; internal fields are never published", s.field))
                    .with_help("remove the text where it is repeated (the body, another field), or fix the template that prints it"),
            );
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            data: Data::Bytes(Arc::new(text.as_bytes().to_vec())),
            template: None,
            items: Arc::from([]),
        }
    }

    #[test]
    fn finds_values_in_text_files_only() {
        let secrets = vec![Secret {
            path: "content/projects/a.md".into(),
            line: 9,
            field: "internal.phone".into(),
            value: "+7 700 111 22 33".into(),
        }];
        let files = [
            page("a/index.html", "call +7 700 111 22 33"),
            page("b/index.html", "nothing"),
            page("img.png", "+7 700 111 22 33"),
        ];
        let e = check(&files, &secrets);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].to_string().lines().next().unwrap(), "content/projects/a.md:9: the value of `internal.phone` appears in the output file a/index.html; internal fields are never published");
    }
}
