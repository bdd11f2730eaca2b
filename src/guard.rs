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

/// Output files certainly not text: not scanned.
fn is_binary(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    [
        "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp", "tif", "tiff", "woff", "woff2",
        "ttf", "otf", "eot", "pdf", "mp4", "webm", "mp3", "ogg", "wav", "zip", "gz", "br", "zst",
        "7z", "wasm",
    ]
    .contains(&ext.as_str())
}

/// The forms a value takes in an output file: as written, escaped for HTML or XML (two
/// escapers' conventions), and inside a JSON string.
fn forms(value: &str) -> Vec<String> {
    let mut out = vec![value.to_string(), crate::render::escape(value)];
    out.push(
        value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;"),
    );
    if let Ok(json) = serde_json::to_string(value) {
        out.push(json[1..json.len() - 1].to_string());
    }
    out.sort();
    out.dedup();
    out
}

/// Rendered files found clean by the last check, kept alive so that their addresses stand
/// for their unchanged bytes, with the secrets they were checked against.
#[derive(Default)]
pub struct Memo {
    secrets: u64,
    clean: std::collections::HashMap<usize, std::sync::Arc<Vec<u8>>>,
}

/// Like [`check`], skipping rendered files that are the very same bytes `memo` found clean
/// against the same secrets (the preview re-renders a page or two per edit).
pub fn check_cached(files: &[OutputFile], secrets: &[Secret], memo: &mut Memo) -> Errors {
    let key = crate::site::fingerprint(secrets.iter().map(|s| &s.value).collect::<Vec<_>>());
    let same_secrets = memo.secrets == key;
    let unchanged = |f: &OutputFile| match &f.data {
        Data::Bytes(b) => {
            same_secrets
                && memo
                    .clean
                    .contains_key(&(std::sync::Arc::as_ptr(b) as usize))
        }
        _ => false,
    };
    let to_scan: Vec<&OutputFile> = files.iter().filter(|f| !unchanged(f)).collect();
    let errors = scan(&to_scan, secrets);
    if errors.is_empty() {
        memo.secrets = key;
        memo.clean = files
            .iter()
            .filter_map(|f| match &f.data {
                Data::Bytes(b) => {
                    Some((std::sync::Arc::as_ptr(b) as usize, std::sync::Arc::clone(b)))
                }
                _ => None,
            })
            .collect();
    }
    errors
}

/// Every place where a secret appears in `files`.
pub fn check(files: &[OutputFile], secrets: &[Secret]) -> Errors {
    scan(&files.iter().collect::<Vec<_>>(), secrets)
}

fn scan(files: &[&OutputFile], secrets: &[Secret]) -> Errors {
    Guard::new(secrets).scan(files)
}

/// The matcher of every form of every secret, built once and used on any number of files
/// (`build` checks each page as it is rendered, before it is written).
pub struct Guard<'a> {
    secrets: &'a [Secret],
    /// Distinct values; a pattern stands for `values[owner[pattern]]`.
    values: Vec<&'a str>,
    owner: Vec<usize>,
    matcher: Option<AhoCorasick>,
    broken: bool,
}

impl<'a> Guard<'a> {
    pub fn new(secrets: &'a [Secret]) -> Guard<'a> {
        let mut values: Vec<&str> = secrets.iter().map(|s| s.value.as_str()).collect();
        values.sort_unstable();
        values.dedup();
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        for (i, v) in values.iter().enumerate() {
            for f in forms(v) {
                patterns.push(f);
                owner.push(i);
            }
        }
        let (matcher, broken) = if patterns.is_empty() {
            (None, false)
        } else {
            match AhoCorasick::new(&patterns) {
                Ok(m) => (Some(m), false),
                Err(_) => (None, true),
            }
        };
        Guard {
            secrets,
            values,
            owner,
            matcher,
            broken,
        }
    }

    /// Every place where a secret appears in `files`.
    pub fn scan(&self, files: &[&OutputFile]) -> Errors {
        if self.broken {
            return vec![Error::new(
                "(leak guard)",
                "cannot build the matcher for internal values",
            )];
        }
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let hits: Vec<(usize, String)> = files
            .par_iter()
            .filter(|f| !is_binary(&f.path))
            .flat_map_iter(|f| {
                let bytes: Option<std::borrow::Cow<'_, [u8]>> = match &f.data {
                    Data::Bytes(b) => Some(b.as_slice().into()),
                    Data::Copy(FileData::Embedded(b)) => Some((*b).into()),
                    Data::Copy(FileData::Disk(p)) => std::fs::read(p).ok().map(Into::into),
                    // Checked before it was written.
                    Data::Streamed(_) => None,
                };
                // A copied file with NUL bytes near its start is binary whatever its name.
                let bytes = bytes.filter(|b| !b[..b.len().min(8192)].contains(&0));
                let mut found: Vec<usize> = bytes
                    .map(|b| {
                        matcher
                            .find_overlapping_iter(b.as_ref())
                            .map(|m| self.owner[m.pattern().as_usize()])
                            .collect()
                    })
                    .unwrap_or_default();
                found.sort_unstable();
                found.dedup();
                found.into_iter().map(move |p| (p, f.path.clone()))
            })
            .collect();
        let mut errors = Vec::new();
        for (value, file) in hits {
            for s in self
                .secrets
                .iter()
                .filter(|s| s.value == self.values[value])
            {
                errors.push(
                    Error::at(&s.path, s.line, None, format!("the value of `{}` appears in the output file {file}; internal fields are never published", s.field))
                        .with_help("remove the text where it is repeated (the body, another field), or fix the template that prints it"),
                );
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            data: Data::Bytes(Arc::new(text.as_bytes().to_vec())),
            origin: crate::render::Origin::Generated(None),
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
            page("contacts.vcf", "TEL:+7 700 111 22 33"),
        ];
        let mut e = check(&files, &secrets);
        e.sort_by(|a, b| a.message.cmp(&b.message));
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].to_string().lines().next().unwrap(), "content/projects/a.md:9: the value of `internal.phone` appears in the output file a/index.html; internal fields are never published");
        assert!(e[1].message.contains("contacts.vcf"));
    }

    #[test]
    fn finds_escaped_forms() {
        let secrets = vec![Secret {
            path: "a.md".into(),
            line: 1,
            field: "internal.notes".into(),
            value: "Kazakh R&D \"Centre\"".into(),
        }];
        for text in [
            "Kazakh R&amp;D &quot;Centre&quot;",
            "{\"t\":\"Kazakh R&D \\\"Centre\\\"\"}",
        ] {
            assert_eq!(check(&[page("x.html", text)], &secrets).len(), 1, "{text}");
        }
    }
}
