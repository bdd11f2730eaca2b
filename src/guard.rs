//! The leak guard: no value of an `internal:` field may appear in any output file, whatever
//! a theme prints, whatever an editor pastes into a body, whatever the search index holds.
//!
//! It compares what a visitor would read, not bytes: every value and every output file is
//! brought into one *canonical text* ([`canonical`]) before matching, so that smart
//! punctuation, emphasis inside a word, entities, JSON escapes, Unicode normalisation,
//! case, whitespace and the file's text encoding do not hide a value.
//!
//! Invariant: runs on every build and preview after rendering and before anything is
//! published; a hit fails the run, naming the item, the field and the output files, once
//! per value. Its cost is linear in the output and in the number of values.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::content::Item;
use crate::error::{Error, Errors};
use crate::render::{Data, OutputFile};
use crate::source::FileData;

/// Shorter values (in characters of their canonical text) are too likely to occur by
/// chance (`yes`, `2025`) to be checked.
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

/// The internal values of an item that are long enough to check. Linear in the size of
/// the `internal:` field.
pub fn secrets_of(item: &Item) -> Vec<Secret> {
    let Some(internal) = &item.meta.internal else {
        return Vec::new();
    };
    let mut leaves = Vec::new();
    crate::yaml::leaves(internal, "internal", &mut leaves);
    leaves.retain(|(_, v)| v.trim().chars().count() >= MIN_LEN);
    // All lines in one walk down the field (values come in the order they are written):
    // looking each up from the top of the field was quadratic.
    let firsts: Vec<String> = leaves
        .iter()
        .map(|(_, v)| v.trim().lines().next().unwrap_or("").trim().to_string())
        .collect();
    let lines = item.locate_all("internal", &firsts);
    leaves
        .into_iter()
        .zip(lines)
        .map(|((field, value), (line, _))| Secret {
            path: item.path.clone(),
            line,
            field,
            value: value.trim().to_string(),
        })
        .collect()
}

/// Separates the segments of a canonical text (the visible text, the tags and comments):
/// no value is matched across it. Never taken from the input.
const SEP: char = '\u{1f}';

/// How many layers of escaping are undone (an Atom feed's HTML is escaped once more than a
/// page's; a value may itself be written escaped).
const MAX_DEPTH: usize = 3;

/// The canonical text of `text`, the form in which the guard compares values and output.
///
/// In order: tags are taken out of the running text (inline tags such as `em`, `a`,
/// `span`, `code` and comments leave nothing, so `O'<em>Nei</em>ll` reads `O'Neill`; other
/// tags leave a space) and kept as separate segments, so that attribute values and
/// comments are still searched; HTML entities (named HTML 4 ones, decimal, hex) and JSON
/// string escapes (`\u2019`, `\"`, `\/`) are decoded, again when decoding yields markup
/// (up to three layers); then NFKC; quotes (`’ ‘ ‚ ′ “ ” „ ″ « »`) become ASCII quotes,
/// dashes (`‐ ‑ ‒ – — ― −`) and runs of dashes one `-`, `…` three dots; invisible
/// characters (controls, soft hyphen, zero-width spaces and joiners) are dropped; every
/// run of whitespace (`&nbsp;` included) is one space; letters are lower case. Letters keep
/// their marks (`й` stays `й`, NFKC only composes it). Segments are joined by `U+001F`.
pub fn canonical(text: &str) -> String {
    let bytes = canonical_bytes(text);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`canonical`] as UTF-8 bytes, what the matcher reads.
fn canonical_bytes(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let text: Cow<'_, str> = if text.contains(SEP) {
        text.replace(SEP, "").into()
    } else {
        text.into()
    };
    canonical_into(&text, 0, &mut out);
    out
}

fn canonical_into(text: &str, depth: usize, out: &mut Vec<u8>) {
    let flat = flatten(text);
    if flat.again && depth + 1 < MAX_DEPTH {
        canonical_into(&flat.visible, depth + 1, out);
        out.push(SEP as u8);
        canonical_into(&flat.markup, depth + 1, out);
    } else {
        normalise(&flat.visible, out);
        out.push(SEP as u8);
        normalise(&flat.markup, out);
    }
}

/// The canonical text of a value: its visible text, trimmed; `None` when shorter than
/// [`MIN_LEN`] characters.
fn canonical_value(value: &str) -> Option<String> {
    let c = canonical(value);
    let visible = c.split(SEP).next().unwrap_or("").trim();
    (visible.chars().count() >= MIN_LEN).then(|| visible.to_string())
}

/// Text split into what is read (`visible`) and what is inside tags and comments
/// (`markup`, segments separated by [`SEP`]), escapes decoded once.
struct Flat {
    visible: String,
    markup: String,
    /// Decoding produced markup (`<`, or `&` starting another entity): decode again.
    again: bool,
}

fn flatten(text: &str) -> Flat {
    let bytes = text.as_bytes();
    let mut flat = Flat {
        visible: String::with_capacity(text.len()),
        markup: String::new(),
        again: false,
    };
    let mut i = 0;
    while i < bytes.len() {
        // Ordinary text is copied a run at a time.
        let run = bytes[i..]
            .iter()
            .position(|&b| matches!(b, b'<' | b'&' | b'\\'))
            .map_or(bytes.len(), |p| i + p);
        if run > i {
            flat.visible.push_str(&text[i..run]);
            i = run;
            continue;
        }
        if bytes[i] == b'<' {
            if let Some((end, inner, inline)) = tag_at(text, i) {
                decode_into(inner, &mut flat.markup, &mut flat.again);
                flat.markup.push(SEP);
                if !inline {
                    flat.visible.push(' ');
                }
                i = end;
                continue;
            }
            flat.visible.push('<');
            i += 1;
            continue;
        }
        i = decode_at(text, i, &mut flat.visible, &mut flat.again);
    }
    flat
}

/// Elements that sit inside a line of text: their tags join the text around them.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
    "tt", "u", "var", "wbr",
];

/// The tag or comment starting at byte `i` (a `<`): (end, inner text, inline?). A `<` not
/// followed by a letter, `/`, `!` or `?` is text, as in HTML. An unclosed tag runs to the
/// end of the text (it is still searched, as markup).
fn tag_at(text: &str, i: usize) -> Option<(usize, &str, bool)> {
    let rest = &text[i + 1..];
    if let Some(comment) = rest.strip_prefix("!--") {
        let end = comment.find("-->").map_or(text.len(), |p| i + 4 + p + 3);
        let inner = &comment[..comment.find("-->").unwrap_or(comment.len())];
        return Some((end, inner, true));
    }
    let first = *rest.as_bytes().first()?;
    if !(first.is_ascii_alphabetic() || matches!(first, b'/' | b'!' | b'?')) {
        return None;
    }
    let close = rest.find('>');
    let inner = &rest[..close.unwrap_or(rest.len())];
    let end = close.map_or(text.len(), |p| i + 1 + p + 1);
    let name = inner.trim_start_matches('/');
    let name_len = name
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    let name = &name[..name_len];
    let inline = INLINE.iter().any(|t| t.eq_ignore_ascii_case(name));
    Some((end, inner, inline))
}

/// Copies `text` into `out` with its entities and JSON escapes decoded.
fn decode_into(text: &str, out: &mut String, again: &mut bool) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .position(|&b| matches!(b, b'&' | b'\\'))
            .map_or(bytes.len(), |p| i + p);
        if run > i {
            out.push_str(&text[i..run]);
            i = run;
            continue;
        }
        i = decode_at(text, i, out, again);
    }
}

/// Decodes the entity or JSON escape at byte `i` (a `&` or `\`) into `out`, returning where
/// the text goes on; anything else is copied as one character.
fn decode_at(text: &str, i: usize, out: &mut String, again: &mut bool) -> usize {
    let bytes = text.as_bytes();
    let (c, end) = match bytes[i] {
        b'&' => entity_at(bytes, i),
        _ => json_escape_at(bytes, i),
    }
    .unwrap_or((bytes[i] as char, i + 1));
    if end > i + 1 {
        let next = bytes.get(end).copied().unwrap_or(b' ');
        if c == '<' || (c == '&' && (next.is_ascii_alphanumeric() || next == b'#')) {
            *again = true;
        }
        push_decoded(c, out);
    } else {
        out.push(c);
    }
    end
}

/// A decoded character: control characters never reach the canonical text as such.
fn push_decoded(c: char, out: &mut String) {
    if c.is_whitespace() {
        out.push(' ');
    } else if !c.is_control() {
        out.push(c);
    }
}

fn entity_at(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    let rest = &bytes[i + 1..];
    if let Some(num) = rest.strip_prefix(b"#") {
        let (hex, digits) = match num.first() {
            Some(b'x' | b'X') => (true, &num[1..]),
            _ => (false, num),
        };
        let len = digits
            .iter()
            .take(8)
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if len == 0 {
            return None;
        }
        let s = std::str::from_utf8(&digits[..len]).ok()?;
        let n = u32::from_str_radix(s, if hex { 16 } else { 10 }).ok()?;
        let c = char::from_u32(n)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}');
        let mut end = i + 2 + usize::from(hex) + len;
        if bytes.get(end) == Some(&b';') {
            end += 1;
        }
        return Some((c, end));
    }
    let len = rest
        .iter()
        .take(10)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if rest.get(len) != Some(&b';') {
        return None;
    }
    let name = std::str::from_utf8(&rest[..len]).ok()?;
    let c = ENTITIES
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|k| ENTITIES[k].1)?;
    Some((c, i + 1 + len + 1))
}

fn json_escape_at(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    let unit = |at: usize| -> Option<u32> {
        let hex = bytes.get(at..at + 4)?;
        u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    match bytes.get(i + 1)? {
        b'u' => {
            let hi = unit(i + 2)?;
            if (0xD800..0xDC00).contains(&hi) && bytes.get(i + 6..i + 8) == Some(b"\\u") {
                if let Some(lo) = unit(i + 8).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                    let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                    return Some((c.unwrap_or('\u{fffd}'), i + 12));
                }
            }
            Some((char::from_u32(hi).unwrap_or('\u{fffd}'), i + 6))
        }
        b'"' => Some(('"', i + 2)),
        b'/' => Some(('/', i + 2)),
        b'\\' => Some(('\\', i + 2)),
        b'n' | b't' | b'r' | b'b' | b'f' => Some((' ', i + 2)),
        _ => None,
    }
}

/// Appends the canonical characters of decoded text to `out` (see [`canonical`]).
fn normalise(text: &str, out: &mut Vec<u8>) {
    out.reserve(text.len());
    // ASCII is its own NFKC and never composes with what comes before it, so NFKC is
    // applied only to each run of other characters with the ASCII character before it (a
    // combining mark may follow a Latin letter): most of a page is ASCII.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let j = bytes[i..]
            .iter()
            .position(|b| !b.is_ascii())
            .map_or(bytes.len(), |p| i + p);
        let unit_start = if j > i && j < bytes.len() { j - 1 } else { j };
        push_ascii_run(out, &bytes[i..unit_start]);
        if unit_start == bytes.len() {
            break;
        }
        let k = bytes[j..]
            .iter()
            .position(|b| b.is_ascii())
            .map_or(bytes.len(), |p| j + p);
        let unit = &text[unit_start..k];
        // Basic Cyrillic letters are their own NFKC: skip the check for them.
        let cyrillic = |c: char| c.is_ascii() || ('\u{400}'..='\u{45f}').contains(&c);
        if unit.chars().all(cyrillic) || is_nfkc_quick(unit.chars()) == IsNormalized::Yes {
            unit.chars().for_each(|c| push_char(out, c));
        } else {
            unit.nfkc().for_each(|c| push_char(out, c));
        }
        i = k;
    }
}

/// What [`push_ascii`] does with each ASCII byte.
const KEEP: u8 = 0;
const UPPER: u8 = 1;
const SPACE: u8 = 2;
const DROP: u8 = 3;
const DASH: u8 = 4;
const SEPARATE: u8 = 5;
const ASCII_CLASS: [u8; 128] = {
    let mut t = [KEEP; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'A'..=b'Z' => UPPER,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => SPACE,
            0x1f => SEPARATE,
            0..=0x1e | 0x7f => DROP,
            b'-' => DASH,
            _ => KEEP,
        };
        b += 1;
    }
    t
};

/// [`push_ascii`] for a run of bytes: plain text (letters, digits, punctuation, single
/// spaces between them), most of it, is copied lower-cased in one go.
fn push_ascii_run(out: &mut Vec<u8>, run: &[u8]) {
    let mut i = 0;
    while i < run.len() {
        let mut prev_plain = !matches!(out.last(), None | Some(b' ' | 0x1f | b'-'));
        let mut j = i;
        while j < run.len() {
            let b = run[j];
            if ASCII_CLASS[usize::from(b & 0x7f)] <= UPPER {
                prev_plain = true;
            } else if b == b' ' && prev_plain {
                prev_plain = false;
            } else {
                break;
            }
            j += 1;
        }
        out.extend(run[i..j].iter().map(u8::to_ascii_lowercase));
        if let Some(&b) = run.get(j) {
            push_ascii(out, b);
            j += 1;
        }
        i = j;
    }
}

/// Appends an ASCII byte of decoded text: lower case; whitespace as one space, none at the
/// start of a segment; a dash after a dash dropped; controls dropped.
#[inline]
fn push_ascii(out: &mut Vec<u8>, b: u8) {
    match ASCII_CLASS[usize::from(b & 0x7f)] {
        KEEP => out.push(b),
        UPPER => out.push(b | 0x20),
        SPACE if !matches!(out.last(), None | Some(b' ' | 0x1f)) => out.push(b' '),
        DASH if out.last() != Some(&b'-') => out.push(b'-'),
        SEPARATE => out.push(0x1f),
        _ => {}
    }
}

/// Appends a character of decoded text (see [`canonical`] for the mapping).
fn push_char(out: &mut Vec<u8>, c: char) {
    if c.is_ascii() {
        return push_ascii(out, c as u8);
    }
    if c.is_whitespace() {
        return push_ascii(out, b' ');
    }
    let c = match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{02bc}' => {
            return push_ascii(out, b'\'')
        }
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' => {
            return push_ascii(out, b'"')
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' => return push_ascii(out, b'-'),
        '\u{2026}' => return out.extend_from_slice(b"..."),
        // Invisible: a soft hyphen, zero-width spaces and joiners, a byte order mark.
        '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' => return,
        c if c.is_control() => return,
        // Cyrillic, most of the non-ASCII text here: lower case without the table.
        '\u{430}'..='\u{45f}' => c,
        '\u{410}'..='\u{42f}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        '\u{400}'..='\u{40f}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        c => {
            let mut buf = [0; 4];
            for l in c.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
            return;
        }
    };
    let mut buf = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// How much of a file is sniffed to tell text from binary.
const SAMPLE: usize = 8192;

/// A byte no text file holds (a NUL, or a C0 control other than tab, line and page breaks
/// and escape): a file with one is binary, UTF-16, or text with a stray byte.
fn is_odd_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)
}

/// The signatures of the binary formats a site copies (images, fonts, PDF, archives,
/// audio and video, WebAssembly).
fn has_binary_magic(b: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\x89PNG",
        b"\xff\xd8\xff",
        b"GIF8",
        b"%PDF",
        b"RIFF",
        b"wOFF",
        b"wOF2",
        b"\x00\x01\x00\x00",
        b"OTTO",
        b"PK\x03\x04",
        b"\x1f\x8b",
        b"7z\xbc\xaf",
        b"\x00asm",
        b"\x00\x00\x01\x00",
        b"\x00\x00\x02\x00",
        b"BM",
        b"II*\x00",
        b"MM\x00*",
        b"ID3",
        b"OggS",
        b"\x1a\x45\xdf\xa3",
        b"fLaC",
        b"\x28\xb5\x2f\xfd",
    ];
    MAGIC.iter().any(|m| b.starts_with(m)) || b.get(4..8) == Some(b"ftyp")
}

/// Every way the bytes of an output file may be read as text; empty for a binary file.
///
/// Decided by content, not by name: a byte order mark names the encoding (UTF-8, UTF-16
/// LE or BE); a file whose first 8 KiB hold no NUL or control byte is UTF-8; a file that
/// holds some is binary when it starts with a known signature, and is otherwise read all
/// three ways (UTF-8 with the odd bytes dropped, UTF-16 LE, UTF-16 BE), since UTF-16
/// without a byte order mark and text with a stray NUL look alike. Invalid UTF-8 is read
/// with replacement characters.
fn readings(bytes: &[u8]) -> Vec<Cow<'_, str>> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return vec![String::from_utf8_lossy(rest)];
    }
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return vec![utf16(rest, u16::from_le_bytes).into()];
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return vec![utf16(rest, u16::from_be_bytes).into()];
    }
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if !sample.iter().copied().any(is_odd_byte) {
        return vec![std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .unwrap_or_else(|_| String::from_utf8_lossy(bytes))];
    }
    if has_binary_magic(sample) {
        return Vec::new();
    }
    vec![
        String::from_utf8_lossy(bytes),
        utf16(bytes, u16::from_le_bytes).into(),
        utf16(bytes, u16::from_be_bytes).into(),
    ]
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    char::decode_utf16(bytes.chunks_exact(2).map(|p| unit([p[0], p[1]])))
        .map(|c| c.unwrap_or('\u{fffd}'))
        .collect()
}

/// Names of binary formats: such a copied file is read whole only if its first bytes do
/// not show it binary (a text file named `.png` is still read).
fn binary_name(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    [
        "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp", "tif", "tiff", "woff", "woff2",
        "ttf", "otf", "eot", "pdf", "mp4", "webm", "mp3", "ogg", "wav", "zip", "gz", "br", "zst",
        "7z", "wasm",
    ]
    .contains(&ext.as_str())
}

/// The bytes of an output file to check; `None` when there is nothing to read (a page
/// checked before it was streamed out, an unreadable file, a binary file by its name and
/// its first bytes).
fn bytes_of(f: &OutputFile) -> Option<Cow<'_, [u8]>> {
    match &f.data {
        Data::Bytes(b) => Some(b.as_slice().into()),
        Data::Copy(FileData::Embedded(b)) => Some((*b).into()),
        Data::Copy(FileData::Disk(p)) => {
            let mut file = crate::source::open_file(p).ok()?;
            let mut bytes = Vec::new();
            if binary_name(&f.path) {
                // Images and fonts are most of a site's bytes: sniff before reading them.
                (&mut file)
                    .take(SAMPLE as u64)
                    .read_to_end(&mut bytes)
                    .ok()?;
                if readings(&bytes).is_empty() {
                    return None;
                }
            }
            file.read_to_end(&mut bytes).ok()?;
            Some(bytes.into())
        }
        // Checked before it was written.
        Data::Streamed(_) => None,
    }
}

/// An internal value found in an output file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Leak {
    /// The canonical text of the value.
    value: String,
    /// The output file (relative path).
    file: String,
}

/// Rendered files found clean by the last check, kept alive so that their addresses stand
/// for their unchanged bytes, with the secrets they were checked against.
#[derive(Default)]
pub struct Memo {
    secrets: u64,
    clean: std::collections::HashMap<usize, std::sync::Arc<Vec<u8>>>,
}

/// Like [`check`] with `guard`, adding the leaks found `earlier` (in pages streamed out
/// before) and skipping rendered files that are the very same bytes `memo` found clean
/// against the same secrets (the preview re-renders a page or two per edit).
pub fn check_cached(
    files: &[OutputFile],
    guard: &Guard<'_>,
    memo: &mut Memo,
    earlier: Vec<Leak>,
) -> Errors {
    let key = crate::site::fingerprint(guard.secrets.iter().map(|s| &s.value).collect::<Vec<_>>());
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
    let mut leaks = guard.find(&to_scan);
    leaks.extend(earlier);
    let errors = guard.report(leaks);
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

/// Every internal value that appears in `files`: one error per value.
pub fn check(files: &[OutputFile], secrets: &[Secret]) -> Errors {
    let guard = Guard::new(secrets);
    guard.report(guard.find(&files.iter().collect::<Vec<_>>()))
}

/// The matcher of the canonical text of every secret, built once and used on any number
/// of files (`build` checks each page as it is rendered, before it is written).
pub struct Guard<'a> {
    secrets: &'a [Secret],
    /// Distinct canonical values, sorted: the matcher's patterns.
    values: Vec<String>,
    /// For each value, the secrets that have it (indices into `secrets`), first by file
    /// and line.
    owners: Vec<Vec<usize>>,
    matcher: Option<AhoCorasick>,
    broken: bool,
}

impl<'a> Guard<'a> {
    /// Builds the matcher; linear in the total length of the values.
    pub fn new(secrets: &'a [Secret]) -> Guard<'a> {
        let canon: Vec<Option<String>> = secrets
            .par_iter()
            .map(|s| canonical_value(&s.value))
            .collect();
        let mut by_value: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, c) in canon.into_iter().enumerate() {
            if let Some(c) = c {
                by_value.entry(c).or_default().push(i);
            }
        }
        let (values, mut owners): (Vec<String>, Vec<Vec<usize>>) = by_value.into_iter().unzip();
        for o in &mut owners {
            o.sort_by(|&a, &b| {
                let (a, b) = (&secrets[a], &secrets[b]);
                (&a.path, a.line, &a.field).cmp(&(&b.path, b.line, &b.field))
            });
        }
        let (matcher, broken) = if values.is_empty() {
            (None, false)
        } else {
            match AhoCorasick::new(&values) {
                Ok(m) => (Some(m), false),
                Err(_) => (None, true),
            }
        };
        Guard {
            secrets,
            values,
            owners,
            matcher,
            broken,
        }
    }

    /// The values found in `files`, once per value and file, in no particular order (see
    /// [`Guard::report`]). Every reading of every text file is put in canonical form
    /// ([`canonical`]) and searched.
    pub fn find(&self, files: &[&OutputFile]) -> Vec<Leak> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        files
            .par_iter()
            .flat_map_iter(|f| {
                let mut found: Vec<usize> = Vec::new();
                if let Some(bytes) = bytes_of(f) {
                    for text in readings(&bytes) {
                        let canon = canonical_bytes(&text);
                        found.extend(
                            matcher
                                .find_overlapping_iter(&canon)
                                .map(|m| m.pattern().as_usize()),
                        );
                    }
                }
                found.sort_unstable();
                found.dedup();
                found.into_iter().map(move |v| Leak {
                    value: self.values[v].clone(),
                    file: f.path.clone(),
                })
            })
            .collect()
    }

    /// One error per value found: the first item and field that hold it, the number of
    /// output files it is in with two of them, how many other items hold it too.
    pub fn report(&self, mut leaks: Vec<Leak>) -> Errors {
        if self.broken {
            return vec![Error::new(
                "(leak guard)",
                "cannot build the matcher for internal values",
            )];
        }
        leaks.sort_unstable();
        leaks.dedup();
        let mut files_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for l in &leaks {
            files_of.entry(&l.value).or_default().push(&l.file);
        }
        let mut errors = Vec::new();
        for (value, mut files) in files_of {
            // Shallow paths first: the default language's pages before the translations'.
            files.sort_by_key(|f| (f.matches('/').count(), *f));
            let Ok(v) = self.values.binary_search_by(|x| x.as_str().cmp(value)) else {
                continue;
            };
            let owners = &self.owners[v];
            let Some(first) = owners.first().map(|&i| &self.secrets[i]) else {
                continue;
            };
            let where_ = match files.as_slice() {
                [one] => format!("the output file {one}"),
                [a, b] => format!("2 output files, {a} and {b}"),
                [a, b, ..] => format!("{} output files, for example {a} and {b}", files.len()),
                [] => continue,
            };
            let others: BTreeSet<&PathBuf> = owners
                .iter()
                .map(|&i| &self.secrets[i].path)
                .filter(|p| **p != first.path)
                .collect();
            let also = match others.len() {
                0 => String::new(),
                1 => " (1 other item has the same internal value)".to_string(),
                n => format!(" ({n} other items have the same internal value)"),
            };
            errors.push(
                Error::at(
                    &first.path,
                    first.line,
                    None,
                    format!(
                        "the value of `{}` appears in {where_}; internal fields are never published{also}",
                        first.field
                    ),
                )
                .with_help(
                    "if that text is meant to be public, reword the internal note so that it is not a copy of it; if not, remove it where it is published (a body, another field, a template that prints it)",
                ),
            );
        }
        errors
    }
}

/// The named character references of HTML 4 (and `&apos;`), sorted by name: the ones
/// editors, escapers and sanitisers write.
const ENTITIES: &[(&str, char)] = &[
    ("AElig", '\u{c6}'),
    ("Aacute", '\u{c1}'),
    ("Acirc", '\u{c2}'),
    ("Agrave", '\u{c0}'),
    ("Alpha", '\u{391}'),
    ("Aring", '\u{c5}'),
    ("Atilde", '\u{c3}'),
    ("Auml", '\u{c4}'),
    ("Beta", '\u{392}'),
    ("Ccedil", '\u{c7}'),
    ("Chi", '\u{3a7}'),
    ("Dagger", '\u{2021}'),
    ("Delta", '\u{394}'),
    ("ETH", '\u{d0}'),
    ("Eacute", '\u{c9}'),
    ("Ecirc", '\u{ca}'),
    ("Egrave", '\u{c8}'),
    ("Epsilon", '\u{395}'),
    ("Eta", '\u{397}'),
    ("Euml", '\u{cb}'),
    ("Gamma", '\u{393}'),
    ("Iacute", '\u{cd}'),
    ("Icirc", '\u{ce}'),
    ("Igrave", '\u{cc}'),
    ("Iota", '\u{399}'),
    ("Iuml", '\u{cf}'),
    ("Kappa", '\u{39a}'),
    ("Lambda", '\u{39b}'),
    ("Mu", '\u{39c}'),
    ("Ntilde", '\u{d1}'),
    ("Nu", '\u{39d}'),
    ("OElig", '\u{152}'),
    ("Oacute", '\u{d3}'),
    ("Ocirc", '\u{d4}'),
    ("Ograve", '\u{d2}'),
    ("Omega", '\u{3a9}'),
    ("Omicron", '\u{39f}'),
    ("Oslash", '\u{d8}'),
    ("Otilde", '\u{d5}'),
    ("Ouml", '\u{d6}'),
    ("Phi", '\u{3a6}'),
    ("Pi", '\u{3a0}'),
    ("Prime", '\u{2033}'),
    ("Psi", '\u{3a8}'),
    ("Rho", '\u{3a1}'),
    ("Scaron", '\u{160}'),
    ("Sigma", '\u{3a3}'),
    ("THORN", '\u{de}'),
    ("Tau", '\u{3a4}'),
    ("Theta", '\u{398}'),
    ("Uacute", '\u{da}'),
    ("Ucirc", '\u{db}'),
    ("Ugrave", '\u{d9}'),
    ("Upsilon", '\u{3a5}'),
    ("Uuml", '\u{dc}'),
    ("Xi", '\u{39e}'),
    ("Yacute", '\u{dd}'),
    ("Yuml", '\u{178}'),
    ("Zeta", '\u{396}'),
    ("aacute", '\u{e1}'),
    ("acirc", '\u{e2}'),
    ("acute", '\u{b4}'),
    ("aelig", '\u{e6}'),
    ("agrave", '\u{e0}'),
    ("alefsym", '\u{2135}'),
    ("alpha", '\u{3b1}'),
    ("amp", '\u{26}'),
    ("and", '\u{2227}'),
    ("ang", '\u{2220}'),
    ("apos", '\u{27}'),
    ("aring", '\u{e5}'),
    ("asymp", '\u{2248}'),
    ("atilde", '\u{e3}'),
    ("auml", '\u{e4}'),
    ("bdquo", '\u{201e}'),
    ("beta", '\u{3b2}'),
    ("brvbar", '\u{a6}'),
    ("bull", '\u{2022}'),
    ("cap", '\u{2229}'),
    ("ccedil", '\u{e7}'),
    ("cedil", '\u{b8}'),
    ("cent", '\u{a2}'),
    ("chi", '\u{3c7}'),
    ("circ", '\u{2c6}'),
    ("clubs", '\u{2663}'),
    ("cong", '\u{2245}'),
    ("copy", '\u{a9}'),
    ("crarr", '\u{21b5}'),
    ("cup", '\u{222a}'),
    ("curren", '\u{a4}'),
    ("dArr", '\u{21d3}'),
    ("dagger", '\u{2020}'),
    ("darr", '\u{2193}'),
    ("deg", '\u{b0}'),
    ("delta", '\u{3b4}'),
    ("diams", '\u{2666}'),
    ("divide", '\u{f7}'),
    ("eacute", '\u{e9}'),
    ("ecirc", '\u{ea}'),
    ("egrave", '\u{e8}'),
    ("empty", '\u{2205}'),
    ("emsp", '\u{2003}'),
    ("ensp", '\u{2002}'),
    ("epsilon", '\u{3b5}'),
    ("equiv", '\u{2261}'),
    ("eta", '\u{3b7}'),
    ("eth", '\u{f0}'),
    ("euml", '\u{eb}'),
    ("euro", '\u{20ac}'),
    ("exist", '\u{2203}'),
    ("fnof", '\u{192}'),
    ("forall", '\u{2200}'),
    ("frac12", '\u{bd}'),
    ("frac14", '\u{bc}'),
    ("frac34", '\u{be}'),
    ("frasl", '\u{2044}'),
    ("gamma", '\u{3b3}'),
    ("ge", '\u{2265}'),
    ("gt", '\u{3e}'),
    ("hArr", '\u{21d4}'),
    ("harr", '\u{2194}'),
    ("hearts", '\u{2665}'),
    ("hellip", '\u{2026}'),
    ("iacute", '\u{ed}'),
    ("icirc", '\u{ee}'),
    ("iexcl", '\u{a1}'),
    ("igrave", '\u{ec}'),
    ("image", '\u{2111}'),
    ("infin", '\u{221e}'),
    ("int", '\u{222b}'),
    ("iota", '\u{3b9}'),
    ("iquest", '\u{bf}'),
    ("isin", '\u{2208}'),
    ("iuml", '\u{ef}'),
    ("kappa", '\u{3ba}'),
    ("lArr", '\u{21d0}'),
    ("lambda", '\u{3bb}'),
    ("lang", '\u{2329}'),
    ("laquo", '\u{ab}'),
    ("larr", '\u{2190}'),
    ("lceil", '\u{2308}'),
    ("ldquo", '\u{201c}'),
    ("le", '\u{2264}'),
    ("lfloor", '\u{230a}'),
    ("lowast", '\u{2217}'),
    ("loz", '\u{25ca}'),
    ("lrm", '\u{200e}'),
    ("lsaquo", '\u{2039}'),
    ("lsquo", '\u{2018}'),
    ("lt", '\u{3c}'),
    ("macr", '\u{af}'),
    ("mdash", '\u{2014}'),
    ("micro", '\u{b5}'),
    ("middot", '\u{b7}'),
    ("minus", '\u{2212}'),
    ("mu", '\u{3bc}'),
    ("nabla", '\u{2207}'),
    ("nbsp", '\u{a0}'),
    ("ndash", '\u{2013}'),
    ("ne", '\u{2260}'),
    ("ni", '\u{220b}'),
    ("not", '\u{ac}'),
    ("notin", '\u{2209}'),
    ("nsub", '\u{2284}'),
    ("ntilde", '\u{f1}'),
    ("nu", '\u{3bd}'),
    ("oacute", '\u{f3}'),
    ("ocirc", '\u{f4}'),
    ("oelig", '\u{153}'),
    ("ograve", '\u{f2}'),
    ("oline", '\u{203e}'),
    ("omega", '\u{3c9}'),
    ("omicron", '\u{3bf}'),
    ("oplus", '\u{2295}'),
    ("or", '\u{2228}'),
    ("ordf", '\u{aa}'),
    ("ordm", '\u{ba}'),
    ("oslash", '\u{f8}'),
    ("otilde", '\u{f5}'),
    ("otimes", '\u{2297}'),
    ("ouml", '\u{f6}'),
    ("para", '\u{b6}'),
    ("part", '\u{2202}'),
    ("permil", '\u{2030}'),
    ("perp", '\u{22a5}'),
    ("phi", '\u{3c6}'),
    ("pi", '\u{3c0}'),
    ("piv", '\u{3d6}'),
    ("plusmn", '\u{b1}'),
    ("pound", '\u{a3}'),
    ("prime", '\u{2032}'),
    ("prod", '\u{220f}'),
    ("prop", '\u{221d}'),
    ("psi", '\u{3c8}'),
    ("quot", '\u{22}'),
    ("rArr", '\u{21d2}'),
    ("radic", '\u{221a}'),
    ("rang", '\u{232a}'),
    ("raquo", '\u{bb}'),
    ("rarr", '\u{2192}'),
    ("rceil", '\u{2309}'),
    ("rdquo", '\u{201d}'),
    ("real", '\u{211c}'),
    ("reg", '\u{ae}'),
    ("rfloor", '\u{230b}'),
    ("rho", '\u{3c1}'),
    ("rlm", '\u{200f}'),
    ("rsaquo", '\u{203a}'),
    ("rsquo", '\u{2019}'),
    ("sbquo", '\u{201a}'),
    ("scaron", '\u{161}'),
    ("sdot", '\u{22c5}'),
    ("sect", '\u{a7}'),
    ("shy", '\u{ad}'),
    ("sigma", '\u{3c3}'),
    ("sigmaf", '\u{3c2}'),
    ("sim", '\u{223c}'),
    ("spades", '\u{2660}'),
    ("sub", '\u{2282}'),
    ("sube", '\u{2286}'),
    ("sum", '\u{2211}'),
    ("sup", '\u{2283}'),
    ("sup1", '\u{b9}'),
    ("sup2", '\u{b2}'),
    ("sup3", '\u{b3}'),
    ("supe", '\u{2287}'),
    ("szlig", '\u{df}'),
    ("tau", '\u{3c4}'),
    ("there4", '\u{2234}'),
    ("theta", '\u{3b8}'),
    ("thetasym", '\u{3d1}'),
    ("thinsp", '\u{2009}'),
    ("thorn", '\u{fe}'),
    ("tilde", '\u{2dc}'),
    ("times", '\u{d7}'),
    ("trade", '\u{2122}'),
    ("uArr", '\u{21d1}'),
    ("uacute", '\u{fa}'),
    ("uarr", '\u{2191}'),
    ("ucirc", '\u{fb}'),
    ("ugrave", '\u{f9}'),
    ("uml", '\u{a8}'),
    ("upsih", '\u{3d2}'),
    ("upsilon", '\u{3c5}'),
    ("uuml", '\u{fc}'),
    ("weierp", '\u{2118}'),
    ("xi", '\u{3be}'),
    ("yacute", '\u{fd}'),
    ("yen", '\u{a5}'),
    ("yuml", '\u{ff}'),
    ("zeta", '\u{3b6}'),
    ("zwj", '\u{200d}'),
    ("zwnj", '\u{200c}'),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn page(path: &str, text: &str) -> OutputFile {
        bytes(path, text.as_bytes().to_vec())
    }

    fn bytes(path: &str, data: Vec<u8>) -> OutputFile {
        OutputFile {
            path: path.into(),
            data: Data::Bytes(Arc::new(data)),
            origin: crate::render::Origin::Generated(None),
            template: None,
            items: Arc::from([]),
        }
    }

    fn secret(value: &str) -> Vec<Secret> {
        vec![Secret {
            path: "content/projects/a.md".into(),
            line: 9,
            field: "internal.contact".into(),
            value: value.into(),
        }]
    }

    /// Whether `value` is found in a file holding `text`.
    fn caught(value: &str, text: &str) -> bool {
        !check(&[page("x.html", text)], &secret(value)).is_empty()
    }

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for u in std::iter::once(0xfeff)
            .filter(|_| bom)
            .chain(text.encode_utf16())
        {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn finds_values_in_text_files_one_message_per_value() {
        let secrets = secret("+7 700 111 22 33");
        let files = [
            page("a/index.html", "call +7 700 111 22 33"),
            page("b/index.html", "nothing"),
            page("img.png", "+7 700 111 22 33"),
            page("contacts.vcf", "TEL:+7 700 111 22 33"),
        ];
        let e = check(&files, &secrets);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].to_string().lines().next().unwrap(), "content/projects/a.md:9: the value of `internal.contact` appears in 3 output files, for example contacts.vcf and img.png; internal fields are never published");
        assert!(e[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("if that text is meant to be public, reword the internal note"));
        let e = check(&files[..1], &secrets);
        assert!(
            e[0].message
                .contains("appears in the output file a/index.html;"),
            "{}",
            e[0].message
        );
        let e = check(&files[..2], &secrets);
        assert_eq!(e.len(), 1);
        let e = check(&[files[0].clone(), files[3].clone()], &secrets);
        assert!(
            e[0].message
                .contains("appears in 2 output files, contacts.vcf and a/index.html;"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn one_message_for_a_value_internal_in_several_items() {
        let mut secrets = secret("Major O'Neill, room 12");
        for (p, v) in [
            ("content/projects/b.md", "Major O’Neill,  room 12"),
            ("content/projects/c.md", "major o'neill, room 12"),
        ] {
            secrets.push(Secret {
                path: p.into(),
                line: 3,
                field: "internal.who".into(),
                value: v.into(),
            });
        }
        secrets.push(Secret {
            path: "content/projects/a.md".into(),
            line: 10,
            field: "internal.again".into(),
            value: "Major O'Neill, room 12".into(),
        });
        let e = check(&[page("x.html", "Major O'Neill, room 12")], &secrets);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].to_string().lines().next().unwrap(), "content/projects/a.md:9: the value of `internal.contact` appears in the output file x.html; internal fields are never published (2 other items have the same internal value)");
    }

    #[test]
    fn finds_escaped_forms() {
        for text in [
            "Kazakh R&amp;D &quot;Centre&quot;",
            "Kazakh R&#38;D &#x22;Centre&#34;",
            "{\"t\":\"Kazakh R&D \\\"Centre\\\"\"}",
            "{\"t\":\"Kazakh R\\u0026D \\u0022Centre\\u0022\"}",
            "<content type=\"html\">Kazakh R&amp;amp;D &amp;quot;Centre&amp;quot;</content>",
        ] {
            assert!(caught("Kazakh R&D \"Centre\"", text), "{text}");
        }
    }

    #[test]
    fn smart_punctuation_emphasis_and_entities() {
        let v = "Major O'Neill, room 12";
        for text in [
            "<p>Major O’Neill, room 12</p>",
            "<p>Major O&rsquo;Neill, room 12</p>",
            "<p>Major O&#39;Neill, room 12</p>",
            "<p>Major O&#x27;Neill, room 12</p>",
            "<p>Major O&#8217;Neill, room 12</p>",
            "<p>Major O’<em>Nei</em>ll, room 12</p>",
            "<p>Major <a href=\"/x/\">O’<strong>Nei</strong>ll</a>, room<!-- c --> 12</p>",
            "<p>MAJOR O’NEILL, ROOM 12</p>",
            "<td>Major</td><td>O'Neill, room 12</td>",
            "<img alt=\"Major O&#39;Neill, room 12\">",
            "<!-- Major O'Neill, room 12 -->",
            "{\"b\":\"Major O\\u2019Neill, room 12\"}",
            "&lt;p&gt;Major O’&lt;em&gt;Nei&lt;/em&gt;ll, room 12&lt;/p&gt;",
        ] {
            assert!(caught(v, text), "{text}");
        }
        assert!(caught("Quote: \"hello world\"", "Quote: “hello world”"));
        assert!(caught("Quote: \"hello world\"", "Quote: «hello world»"));
        assert!(caught("phases 2024--2025", "phases 2024–2025"));
        assert!(caught("wait --- then go", "wait — then go"));
        assert!(caught("wait... then go", "wait… then go"));
        assert!(caught("Kazakh R&D centre", "Kazakh R&amp;D centre"));
        // Not a word split by a block: a paragraph break is a space.
        assert!(!caught("Major O'Neill", "<p>Major O'Ne</p><p>ill</p>"));
        assert!(!caught("Major O'Neill, room 12", "Major O'Neill, room 13"));
    }

    #[test]
    fn whitespace_and_invisible_characters() {
        let v = "Major O'Neill, room 12";
        for text in [
            "Major\nO'Neill,\n   room\t12",
            "Major&nbsp;O'Neill,&#160;room\u{a0}12",
            "Major O'Ne\u{ad}ill, ro\u{200b}om 12",
            "Major O'Neill,\u{202f}room 12",
        ] {
            assert!(caught(v, text), "{text:?}");
        }
        assert!(caught("room  12\n  east wing", "room 12 east wing"));
    }

    #[test]
    fn unicode_normalisation_keeps_cyrillic_letters() {
        let nfc = "Майор Йорданов, кабинет 12";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert!(caught(nfc, &nfd));
        assert!(caught(&nfd, nfc));
        assert!(caught(nfc, "МАЙОР ЙОРДАНОВ, КАБИНЕТ 12"));
        // й is not и, ё is not е: marks are kept.
        assert!(!caught("Майор Йорданов", "Маиор Иорданов"));
        assert!(!caught("Королёв центр", "Королев центр"));
        let kk = "Қазақстан өңірі, Әлия Ұлықбекқызы";
        assert!(caught(kk, &kk.nfd().collect::<String>()));
        assert!(caught(kk, &kk.to_uppercase()));
        assert!(!caught(kk, "Казакстан онiрi, Алия Улыкбеккызы"));
        // Compatibility forms: full-width letters, ligatures.
        assert!(caught("office 12", "ｏｆｆｉｃｅ 12"));
        assert!(caught("final offer", "ﬁnal oﬀer"));
        assert_eq!(
            canonical("Йод ё"),
            canonical(&"Йод ё".nfd().collect::<String>())
        );
        assert_eq!(canonical("Йод ё").split(SEP).next(), Some("йод ё"));
    }

    #[test]
    fn text_encodings_of_copied_files() {
        let v = "Major O'Neill, room 12";
        let text = "note: Major O'Neill, room 12\n";
        let s = secret(v);
        let mut nul = b"\0\0head".to_vec();
        nul.extend(text.as_bytes());
        for (name, data) in [
            ("a.txt", utf16(text, true, true)),
            ("b.txt", utf16(text, false, true)),
            ("c.txt", utf16(text, true, false)),
            ("d.txt", utf16(text, false, false)),
            ("e.txt", nul),
            ("f.png", text.as_bytes().to_vec()),
            ("g.png", utf16(text, true, false)),
            (
                "h.txt",
                [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
            ),
            ("i.txt", utf16("Майор Йорданов, кабинет 12", true, false)),
        ] {
            let value = if name == "i.txt" {
                "Майор Йорданов, кабинет 12"
            } else {
                v
            };
            assert_eq!(
                check(&[bytes(name, data)], &secret(value)).len(),
                1,
                "{name}"
            );
        }
        // A real image is not read as text.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(text.as_bytes());
        assert!(check(&[bytes("logo.png", png.clone())], &s).is_empty());
        assert!(check(&[bytes("logo.txt", png)], &s).is_empty());
    }

    #[test]
    fn ascii_runs_equal_byte_by_byte() {
        for text in [
            "A  b--c\t\nD -- e\x01f\x1fG  ",
            "  x",
            "a - b",
            "--a",
            "Ab Cd  Ef",
            "",
        ] {
            let (mut run, mut one) = (b"q".to_vec(), b"q".to_vec());
            push_ascii_run(&mut run, text.as_bytes());
            text.bytes().for_each(|b| push_ascii(&mut one, b));
            assert_eq!(run, one, "{text:?}");
        }
    }

    #[test]
    fn short_values_are_not_checked() {
        assert!(canonical_value("a  b c").is_none());
        assert!(canonical_value("<b></b>xx").is_none());
        assert!(check(&[page("x.html", "yes yes")], &secret("  yes  ")).is_empty());
    }

    #[test]
    fn canonical_text_is_stable_on_plain_text() {
        assert_eq!(canonical("Hello,   World"), format!("hello, world{SEP}"));
        let c = canonical("a <em>b</em> <p class=\"x\">c &amp; d</p>");
        assert_eq!(
            c,
            format!("a b c & d {SEP}em{SEP}/em{SEP}p class=\"x\"{SEP}/p{SEP}")
        );
        // An input separator cannot split a value.
        assert!(caught("Major O'Neill", "Maj\u{1f}or O'Neill"));
    }
}
