//! Two files of the output with one path, or with paths that differ only in letter case
//! or Unicode form, or a file where another needs a folder: silently losing one is worse
//! than an error. Each collision blames the file the comms team can rename (content and
//! the site's `static/` before the theme's files, before the pages the site makes).

use std::collections::{HashMap, HashSet};

use crate::error::{Error, Errors};
use crate::render::{self, OutputFile};

/// Output paths claimed twice, used both as a file and as a folder, or differing only in
/// letter case or Unicode form (one file on Windows, macOS and hosts that ignore case).
/// Each error is located at the file a user can rename (content or the site's `static/`
/// before a theme's file, before a page the site makes) and names the other source in its
/// message. Returns the errors and the output paths involved.
pub fn find(files: &mut [OutputFile]) -> (Errors, HashSet<String>) {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let rank = |f: &OutputFile| match &f.origin {
        render::Origin::Content(_) | render::Origin::Image(_) => 0,
        render::Origin::Static(p)
            if !p.starts_with("(built-in theme)") && !p.starts_with("themes") =>
        {
            0
        }
        render::Origin::Static(_) => 1,
        render::Origin::Generated(_) => 2,
    };
    let describe = |f: &OutputFile| match &f.origin {
        render::Origin::Generated(Some(t)) => format!("the page the site makes from {t}"),
        render::Origin::Generated(None) => "a file the site makes itself".to_string(),
        o => o.file(&f.path).display().to_string(),
    };
    // (the file to blame, the other) in that order.
    let order = |a: usize, b: usize| {
        if rank(&files[b]) < rank(&files[a]) {
            (b, a)
        } else {
            (a, b)
        }
    };
    let mut errors = Vec::new();
    let mut involved = HashSet::new();
    for i in 1..files.len() {
        if files[i].path == files[i - 1].path {
            let (blame, other) = order(i - 1, i);
            involved.insert(files[i].path.clone());
            errors.push(
                Error::new(
                    files[blame].origin.file(&files[blame].path),
                    format!(
                        "this and {} both produce /{}",
                        describe(&files[other]),
                        files[i].path
                    ),
                )
                .with_help("rename one of them (or change its `slug:` or `aliases:`)"),
            );
        }
    }
    // A file where another needs a folder, also when the two names differ only in letter
    // case or Unicode form (one name on Windows, macOS and hosts that ignore case).
    let keys: Vec<String> = files.iter().map(|f| super::path::fold(&f.path)).collect();
    let index: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    for (inner, f) in files.iter().enumerate() {
        let mut dir = keys[inner].as_str();
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            let Some(&owner) = index.get(dir) else {
                continue;
            };
            let file = &files[owner].path;
            involved.insert(file.clone());
            involved.insert(f.path.clone());
            let (blame, other) = order(owner, inner);
            let message = if blame == owner {
                format!(
                    "/{file} is a file, but {} needs it to be a folder for /{}",
                    describe(&files[other]),
                    f.path
                )
            } else {
                format!(
                    "this needs /{file} to be a folder for /{}, but {} makes /{file} a file",
                    f.path,
                    describe(&files[other])
                )
            };
            errors.push(
                Error::new(files[blame].origin.file(&files[blame].path), message).with_help(
                    "rename one of them; a slug must not be the name of a file such as favicon.svg",
                ),
            );
        }
    }
    // Paths equal once letter case and Unicode compatibility forms are folded.
    let mut folded: HashMap<String, usize> = HashMap::with_capacity(files.len());
    for (i, (f, key)) in files.iter().zip(keys).enumerate() {
        match folded.get(&key) {
            Some(&j) if files[j].path != f.path => {
                let (blame, other) = order(j, i);
                involved.insert(f.path.clone());
                involved.insert(files[j].path.clone());
                errors.push(
                    Error::new(
                        files[blame].origin.file(&files[blame].path),
                        format!(
                            "this produces /{} and {} produces /{}: they differ only in letter case or in how a letter is encoded, so on Windows, macOS and many hosts one would replace the other",
                            files[blame].path,
                            describe(&files[other]),
                            files[other].path
                        ),
                    )
                    .with_help("rename one of them so that the names differ in more than case"),
                );
            }
            Some(_) => {}
            None => {
                folded.insert(key, i);
            }
        }
    }
    (errors, involved)
}
