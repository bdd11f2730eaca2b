//! The one rule for a path that may be published: every output path derived from a source
//! name (a `static/` file, a bundle file, a slug, an alias) passes [`check`] before any file
//! system call, in `build`, `check` and the preview's writer and remover.
//!
//! Invariant: a path that passes stays inside the folder it is joined to on every platform
//! and on every static host: relative, `/`-separated, normal components only, and no
//! component that another reading (a backslash as a separator, Unicode compatibility forms,
//! one round of percent-decoding) turns into a separator, `.` or `..`.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// Longest output path accepted, in bytes of UTF-8. Static hosts and archive formats (tar's
/// ustar, zip on Windows) start failing beyond a few hundred bytes.
pub const MAX_PATH_BYTES: usize = 1024;

/// Longest component accepted, in bytes of UTF-8: file systems allow 255 bytes, and the
/// writers add up to 40 bytes to a name for their temporary files (`.NAME.showcase-tmp`).
pub const MAX_COMPONENT_BYTES: usize = 200;

/// Why a path cannot be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsafe {
    /// The path is empty.
    Empty,
    /// The path starts with `/` or has an empty component (`a//b`).
    EmptyComponent,
    /// A component is `.` or `..`, or reads as one in another form (`．．`, `%2e%2e`).
    DotComponent(String),
    /// A component holds a character some system reads as a separator (`\`, `／`, `%2f`).
    Separator(String, char),
    /// A component holds a control character (NUL, newline, DEL, C1 controls).
    Control(String),
    /// The path is longer than [`MAX_PATH_BYTES`].
    TooLong(usize),
    /// A component is longer than [`MAX_COMPONENT_BYTES`].
    ComponentTooLong(String),
    /// A component Windows cannot hold: a device name (`CON`, `nul.html`, `LPT1.txt`) or a
    /// name ending in a dot or a space, which Windows strips (so `a.` and `a` collide).
    Windows(String),
    /// A name at the top of the output that would make the folder look like a site or a
    /// repository to the next build (`site.yaml`, `.git`) or fake showcase's own marker.
    Reserved(String),
}

impl fmt::Display for Unsafe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsafe::Empty => write!(f, "the path is empty"),
            Unsafe::EmptyComponent => {
                write!(f, "the path has an empty part (`//` or a leading `/`)")
            }
            Unsafe::DotComponent(c) => {
                write!(f, "the part `{c}` means the current or parent folder")
            }
            Unsafe::Separator(c, ch) => write!(
                f,
                "the part `{c}` holds `{ch}`, which some systems read as a folder separator"
            ),
            Unsafe::Control(c) => write!(
                f,
                "the part `{}` holds an invisible control character",
                c.escape_default()
            ),
            Unsafe::TooLong(n) => write!(
                f,
                "the path is {n} bytes long; the limit is {MAX_PATH_BYTES}"
            ),
            Unsafe::Windows(c) => write!(
                f,
                "the name `{c}` cannot be a file on Windows (a device name, or a trailing dot or space)"
            ),
            Unsafe::Reserved(c) => write!(
                f,
                "`{c}` at the top of the output is reserved: the next build would refuse to replace a folder holding it"
            ),
            Unsafe::ComponentTooLong(c) => write!(
                f,
                "the name `{}…` is {} bytes long; the limit is {MAX_COMPONENT_BYTES}",
                c.chars().take(40).collect::<String>(),
                c.len()
            ),
        }
    }
}

/// The help line for a source file whose name gives an unsafe output path.
pub const RENAME_HELP: &str =
    "rename the file (and its folders) using letters, digits, `-`, `_` and `.` only";

/// The form under which hosts that ignore letter case and Unicode compatibility forms
/// (Windows, macOS, many web servers) store and serve a name: NFKC (Unicode UAX #15), then
/// lower case. Two names with one folded form are one file there (`Sitemap.xml` and
/// `sitemap.xml`, `ﬁ` and `fi`).
pub fn fold(name: &str) -> String {
    // NFKC leaves ASCII as it is: most names need only the case folded.
    if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        name.nfkc().collect::<String>().to_lowercase()
    }
}

/// Checks `rel`, a `/`-separated path relative to an output folder.
///
/// ```
/// use showcase::output::path::{check, Unsafe};
/// assert!(check("projects/орбита/logo.png").is_ok());
/// assert!(matches!(check("..\\..\\victim.txt"), Err(Unsafe::Separator(..))));
/// assert!(matches!(check("a/%2e%2e/b"), Err(Unsafe::DotComponent(_))));
/// ```
///
/// # Errors
/// The first reason the path is unsafe.
pub fn check(rel: &str) -> Result<(), Unsafe> {
    if rel.is_empty() {
        return Err(Unsafe::Empty);
    }
    if rel.len() > MAX_PATH_BYTES {
        return Err(Unsafe::TooLong(rel.len()));
    }
    rel.split('/').try_for_each(check_component)?;
    let top = rel.split('/').next().unwrap_or(rel);
    if RESERVED_AT_TOP.iter().any(|r| top.eq_ignore_ascii_case(r)) {
        return Err(Unsafe::Reserved(top.to_string()));
    }
    Ok(())
}

/// Names the output folder may not hold at its top: what `output::check_output_dir` takes
/// for a site or a repository, and showcase's own marker file.
const RESERVED_AT_TOP: &[&str] = &["site.yaml", ".git", crate::output::MARKER];

/// Windows device names: a file named so, with any extension, is the device.
const WINDOWS_DEVICES: &[&str] = &["con", "prn", "aux", "nul", "conin$", "conout$"];

/// Whether Windows cannot hold a file of this name.
fn windows_unsafe(c: &str) -> bool {
    if c.ends_with('.') && c != "." && c != ".." || c.ends_with(' ') {
        return true;
    }
    let stem = c.split('.').next().unwrap_or(c).trim_end().to_lowercase();
    if WINDOWS_DEVICES.contains(&stem.as_str()) {
        return true;
    }
    // COM0-9 and LPT0-9, also with superscript digits.
    ["com", "lpt"].iter().any(|p| {
        stem.strip_prefix(p).is_some_and(|d| {
            let mut it = d.chars();
            matches!(
                (it.next(), it.next()),
                (Some('0'..='9' | '¹' | '²' | '³'), None)
            )
        })
    })
}

/// Checks one component (a file or folder name) of an output path.
///
/// # Errors
/// The first reason the name is unsafe.
pub fn check_component(c: &str) -> Result<(), Unsafe> {
    if c.is_empty() {
        return Err(Unsafe::EmptyComponent);
    }
    if c.len() > MAX_COMPONENT_BYTES {
        return Err(Unsafe::ComponentTooLong(c.to_string()));
    }
    if c.chars().any(char::is_control) {
        return Err(Unsafe::Control(c.to_string()));
    }
    // The name as written, as Unicode compatibility folding reads it (fullwidth `．`, `／`,
    // `＼`), and as a host that percent-decodes once reads it.
    // Plain ASCII without `%` reads the same in every way (most names of a site): one form.
    let (folded, decoded, refolded) = if c.is_ascii() && !c.contains('%') {
        (String::new(), String::new(), String::new())
    } else {
        let folded: String = c.nfkc().collect();
        let decoded = percent_decode_lossy(&folded);
        // A host may also fold after decoding (`%EF%BC%8E` is `．`, which folds to `.`).
        let refolded: String = decoded.nfkc().collect();
        (folded, decoded, refolded)
    };
    for form in [c, folded.as_str(), decoded.as_str(), refolded.as_str()] {
        if form == "." || form == ".." {
            return Err(Unsafe::DotComponent(c.to_string()));
        }
        if let Some(ch) = form.chars().find(|ch| is_separator(*ch)) {
            let shown = c.chars().find(|x| is_separator(*x)).unwrap_or(ch);
            return Err(Unsafe::Separator(c.to_string(), shown));
        }
        if form.chars().any(char::is_control) {
            return Err(Unsafe::Control(c.to_string()));
        }
        if windows_unsafe(form) {
            return Err(Unsafe::Windows(c.to_string()));
        }
    }
    Ok(())
}

/// `%XX` escapes decoded once, bad escapes kept as written, bytes that are not UTF-8 replaced:
/// what a lenient static host could make of the name.
fn percent_decode_lossy(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Characters read as a path separator by some file system, shell or server: `/` and `\`,
/// Windows' drive and stream separator `:`, and the slashes that look like them (`∕`, `⁄`,
/// `⧵`), which NFKC does not fold but some normalisers do.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '/' | '\\' | ':' | '\u{2215}' | '\u{2044}' | '\u{29F5}' | '\u{FF0F}' | '\u{FF3C}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_paths() {
        for p in [
            "index.html",
            "projects/orbit-link/index.html",
            "kk/жобалар/қорғаныс/logo.png",
            ".well-known/security.txt",
            "a b/c d.pdf",
            "100%.txt",
            "news/2026-03-01-x/index.html",
            "console.log",
            "com10.txt",
            "a/site.yaml",
            "a/.git/x",
            "nuls/index.html",
        ] {
            assert_eq!(check(p), Ok(()), "{p}");
        }
    }

    #[test]
    fn refuses_every_way_out() {
        for p in [
            "",
            "/etc/passwd",
            "a//b",
            "a/",
            "..",
            "a/../b",
            "./a",
            "..\\..\\..\\victim.txt",
            "a\\b",
            "．．/x",
            "a/．．",
            "%2e%2e/x",
            "%2E%2e",
            "a%2fb",
            "a%5c..",
            "a\u{2215}b",
            "a／b",
            "a＼b",
            "C:x",
            "a\0b",
            "a\nb",
            "a\u{7f}",
            "a\u{85}",
            "%00",
            "%ff%2e%2e%2fx",
            "%EF%BC%8E%EF%BC%8E",
            "a/%E2%80%A5",
            "CON",
            "static/nul.html",
            "LPT1.txt",
            "com¹",
            "a.",
            "b ",
            "a/trailing./b",
            "site.yaml",
            ".git/HEAD",
            ".GIT",
            ".showcase-output",
            "…/x",
            "‥",
        ] {
            assert!(check(p).is_err(), "{p:?}");
        }
    }

    #[test]
    fn fold_is_case_and_compatibility_insensitive() {
        assert_eq!(fold("Sitemap.XML"), "sitemap.xml");
        assert_eq!(fold("\u{FB01}le"), "file");
        assert_eq!(fold("\u{FF50}rojects"), "projects");
        assert_eq!(fold("Сокол"), "сокол");
    }

    #[test]
    fn bounds_lengths() {
        assert!(matches!(
            check(&"a".repeat(MAX_COMPONENT_BYTES + 1)),
            Err(Unsafe::ComponentTooLong(_))
        ));
        assert_eq!(check(&"a".repeat(MAX_COMPONENT_BYTES)), Ok(()));
        let long = vec!["abcdefghi"; 110].join("/");
        assert!(matches!(check(&long), Err(Unsafe::TooLong(_))));
    }

    #[test]
    fn messages_name_the_part() {
        let e = check("static/..\\..\\v.txt").unwrap_err().to_string();
        assert_eq!(
            e,
            "the part `..\\..\\v.txt` holds `\\`, which some systems read as a folder separator"
        );
    }
}
