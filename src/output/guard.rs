//! The leak guard: no value of an `internal:` field may appear in any output file, whatever
//! a theme prints, whatever an editor pastes into a body, whatever the search index holds.
//!
//! It compares what a visitor would read, not bytes: every value and every output file is
//! brought into one *canonical text* ([`canonical`]) before matching, so that smart
//! punctuation, emphasis inside a word, entities, JSON and percent escapes, Unicode
//! normalisation, invisible characters, look-alike letters, case, whitespace and the
//! file's text encoding do not hide a value. Values are plain text and are not unescaped;
//! each is also searched in the form a verbatim copy reads and, when it has two words or
//! more, as a slug (`value_forms`). Output paths are searched as well as contents, and
//! binary files (images, fonts, PDFs, archives) for the runs of text inside them.
//!
//! Invariant: runs on every build and preview after rendering and before anything is
//! published; a hit fails the run, naming the item, the field and the output files, once
//! per value. Its cost is linear in the output and in the number of values; binary files
//! are streamed.

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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
/// page's).
const MAX_DEPTH: usize = 3;

/// The canonical text of `text`, the form in which the guard compares values and output.
///
/// In order: tags are taken out of the running text (inline tags such as `em`, `a`,
/// `span`, `code` and comments leave nothing, so `O'<em>Nei</em>ll` reads `O'Neill`; other
/// tags leave a space) and kept as separate segments, so that attribute values and
/// comments are still searched; HTML entities (named HTML 4 ones, decimal, hex) and JSON
/// string escapes (`\u2019`, `\"`, `\/`) are decoded, again when decoding yields markup
/// (up to three layers), and so are percent escapes (`%20`, UTF-8); then NFKC; quotes
/// (`’ ‘ ‚ ′ “ ” „ ″ « »`) become ASCII quotes, dashes (`‐ ‑ ‒ – — ― −`) and runs of
/// dashes one `-`, `…` three dots; controls and every Default_Ignorable_Code_Point (soft
/// hyphen, zero-width characters, bidirectional controls, variation selectors, tag
/// characters) are dropped; every run of whitespace (`&nbsp;` included) is one space;
/// letters are lower case, and Cyrillic and Greek letters that look like Latin ones are
/// that Latin letter (`о` is `o`). Letters keep their marks (`й` stays `й`, NFKC only
/// composes it). Segments are joined by `U+001F`.
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

/// The canonical text of a value, trimmed; `None` when shorter than [`MIN_LEN`]
/// characters. Values are plain text (YAML strings): their backslashes, `&` and `%` are
/// characters, not escapes, so `\\fs01\projects` stays as it is written.
fn canonical_value(value: &str) -> Option<String> {
    let mut out = Vec::with_capacity(value.len());
    normalise(&value.replace(SEP, ""), &mut out);
    let c = String::from_utf8(out).ok()?;
    let c = c.trim();
    (c.chars().count() >= MIN_LEN).then(|| c.to_string())
}

/// Every form in which the value `canonical` (from [`canonical_value`]) of the raw
/// `value` is searched, each at least [`MIN_LEN`] characters: the value itself; the value
/// as the guard reads it when printed verbatim in a file (its entities, escapes and tags
/// undone like the file's, so that a literal `C:\new` in a page still matches); and, for a
/// value of two words or more, its slugs, as URLs and file names print it: words joined
/// by `-` or `_`, as they are and transliterated like [`crate::archetype::slugify`]
/// (`Operation Lima Secret` is also `operation-lima-secret`).
fn value_forms(value: &str, canonical: &str) -> Vec<String> {
    let mut forms = vec![canonical.to_string()];
    let printed = self::canonical(value);
    forms.push(printed.split(SEP).next().unwrap_or("").trim().to_string());
    let words: Vec<&str> = canonical
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() >= 2 {
        let latin = crate::archetype::slugify(value);
        for joiner in ["-", "_"] {
            forms.push(words.join(joiner));
            forms.push(latin.replace('-', joiner));
        }
    }
    let mut out: Vec<String> = forms
        .into_iter()
        .filter_map(|f| canonical_value(&f))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
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
            .position(|&b| matches!(b, b'<' | b'&' | b'\\' | b'%'))
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

/// Elements that sit inside a line of text: their tags join the text around them. The
/// phrasing elements of HTML that hold text (WHATWG HTML, 3.2.5.2.5 "Phrasing content",
/// with the ruby annotations `rb`, `rt`, `rp`, `rtc`), the obsolete ones browsers still
/// draw inline (`acronym`, `big`, `blink`, `font`, `nobr`, `strike`, `tt`), and the text
/// content child elements of SVG (`tspan`, `textPath`, `tref`). Lower case, sorted.
#[cfg(test)] // the list `is_inline` matches, kept for its test
const INLINE: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "blink", "cite", "code", "data", "del",
    "dfn", "em", "font", "i", "ins", "kbd", "label", "mark", "nobr", "output", "q", "rb", "rp",
    "rt", "rtc", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "textpath", "time", "tref", "tspan", "tt", "u", "var", "wbr",
];

/// Whether `name` (any case) is in [`INLINE`].
fn is_inline(name: &str) -> bool {
    if name.is_empty() || name.len() > 8 {
        return false;
    }
    let mut buf = [0u8; 8];
    let lower = &mut buf[..name.len()];
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    // A match on the bytes compiles to a dispatch on length, then a few comparisons: the
    // guard asks for every tag of every page. Kept equal to `INLINE` by a test.
    matches!(
        &*lower,
        b"a" | b"abbr"
            | b"acronym"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"big"
            | b"blink"
            | b"cite"
            | b"code"
            | b"data"
            | b"del"
            | b"dfn"
            | b"em"
            | b"font"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"label"
            | b"mark"
            | b"nobr"
            | b"output"
            | b"q"
            | b"rb"
            | b"rp"
            | b"rt"
            | b"rtc"
            | b"ruby"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strike"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"textpath"
            | b"time"
            | b"tref"
            | b"tspan"
            | b"tt"
            | b"u"
            | b"var"
            | b"wbr"
    )
}

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
    let inline = is_inline(name);
    Some((end, inner, inline))
}

/// Copies `text` into `out` with its entities and JSON escapes decoded.
fn decode_into(text: &str, out: &mut String, again: &mut bool) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .position(|&b| matches!(b, b'&' | b'\\' | b'%'))
            .map_or(bytes.len(), |p| i + p);
        if run > i {
            out.push_str(&text[i..run]);
            i = run;
            continue;
        }
        i = decode_at(text, i, out, again);
    }
}

/// Decodes the entity, JSON escape or percent-encoded bytes at byte `i` (a `&`, `\` or `%`)
/// into `out`, returning where the text goes on; anything else is copied as one character.
fn decode_at(text: &str, i: usize, out: &mut String, again: &mut bool) -> usize {
    let bytes = text.as_bytes();
    if bytes[i] == b'%' {
        return percent_at(bytes, i, out);
    }
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

/// Decodes the run of `%XX` escapes at byte `i` (a `%`) as UTF-8 (RFC 3986, 2.1; WHATWG URL
/// "percent-decode"): a link to `Percent%20India%20Secret` reads `Percent India Secret`.
/// Decoded everywhere, not only in `href` and `src`: URLs are also printed as text, in
/// `srcset`, `content` and JSON-LD. A `%` that does not start valid UTF-8 stays.
fn percent_at(bytes: &[u8], i: usize, out: &mut String) -> usize {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut decoded = Vec::new();
    let mut j = i;
    while bytes.get(j) == Some(&b'%') {
        let (Some(h), Some(l)) = (
            bytes.get(j + 1).copied().and_then(hex),
            bytes.get(j + 2).copied().and_then(hex),
        ) else {
            break;
        };
        decoded.push((h * 16 + l) as u8);
        j += 3;
    }
    let valid = match std::str::from_utf8(&decoded) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&decoded[..e.valid_up_to()]).unwrap_or(""),
    };
    if valid.is_empty() {
        out.push('%');
        return i + 1;
    }
    valid.chars().for_each(|c| push_decoded(c, out));
    i + 3 * valid.len()
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
        // Cyrillic, most of the non-ASCII text here: lower case without the table.
        '\u{430}'..='\u{45f}' => c,
        '\u{410}'..='\u{42f}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        '\u{400}'..='\u{40f}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        c if c.is_control() || is_default_ignorable(c) => return,
        c => {
            for l in c.to_lowercase() {
                push_lower(out, l);
            }
            return;
        }
    };
    push_lower(out, c);
}

/// Appends a lower-case letter, or the Latin letter it looks like.
#[inline]
fn push_lower(out: &mut Vec<u8>, c: char) {
    if let Some(b) = latin_look_alike(c) {
        return push_ascii(out, b);
    }
    let mut buf = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Characters that browsers do not draw: Default_Ignorable_Code_Point of Unicode's
/// DerivedCoreProperties.txt (Unicode 16.0), among them the soft hyphen, zero-width
/// spaces and joiners, bidirectional controls and isolates, variation selectors, the
/// Hangul fillers, tag characters and the byte order mark. A value split by one is the
/// same value on the screen.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c as u32,
        0xad | 0x34f
            | 0x61c
            | 0x115f..=0x1160
            | 0x17b4..=0x17b5
            | 0x180b..=0x180f
            | 0x200b..=0x200f
            | 0x202a..=0x202e
            | 0x2060..=0x206f
            | 0x3164
            | 0xfe00..=0xfe0f
            | 0xfeff
            | 0xffa0
            | 0xfff0..=0xfff8
            | 0x1bca0..=0x1bca3
            | 0x1d173..=0x1d17a
            | 0xe0000..=0xe0fff
    )
}

/// The Latin letter that a lower-case Cyrillic or Greek letter looks like, in lower case
/// or as a capital (`о`/`О` and `o`/`O`, `н`/`Н` and `H`): the letters that Unicode's
/// confusables.txt (UTS #39, Unicode Security Mechanisms) maps to a Latin letter, taken
/// after case folding so that one skeleton holds for both cases. `Homo G`+`о`+`lf` (a
/// Cyrillic `о`) is then `homo golf`. Both sides are folded, so Russian and Kazakh text
/// still matches itself; letters with marks (`й`, `ё`, `қ`, `ү`) stay apart.
#[inline]
fn latin_look_alike(c: char) -> Option<u8> {
    Some(match c {
        // Cyrillic.
        'а' => b'a',
        'в' => b'b',
        'е' => b'e',
        'к' => b'k',
        'м' => b'm',
        'н' | 'һ' => b'h',
        'о' => b'o',
        'р' => b'p',
        'с' => b'c',
        'т' => b't',
        'у' => b'y',
        'х' => b'x',
        'ѕ' => b's',
        'і' => b'i',
        'ј' => b'j',
        'ԁ' => b'd',
        'ԛ' => b'q',
        'ԝ' => b'w',
        'ӏ' => b'l',
        // Greek.
        'α' => b'a',
        'β' => b'b',
        'ε' => b'e',
        'ζ' => b'z',
        'η' => b'h',
        'ι' => b'i',
        'κ' => b'k',
        'μ' => b'm',
        'ν' => b'n',
        'ο' => b'o',
        'ρ' => b'p',
        'τ' => b't',
        'υ' => b'y',
        'χ' => b'x',
        _ => return None,
    })
}

/// How much of a file is sniffed to tell text from binary.
const SAMPLE: usize = 8192;

/// A byte no text file holds (a NUL, or a C0 control other than tab, line and page breaks
/// and escape): a file with one is binary, UTF-16, or text with a stray byte.
fn is_odd_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)
}

/// Whether `b` (the first bytes of a file) starts with the signature of a binary format a
/// site copies: images, fonts, PDF, archives, audio and video, WebAssembly. Only strong
/// signatures count, ones no text file starts with (at least three bytes, most with a
/// byte outside printable ASCII, or checked further, as a BMP's header is): a text file
/// that starts with `BM` or `ID3` is still read as text. Binary files are searched for
/// their runs of text ([`Strings`]), not skipped.
fn is_binary(b: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff",
        b"GIF87a",
        b"GIF89a",
        b"%PDF-",
        b"wOFF",
        b"wOF2",
        b"\x00\x01\x00\x00",
        b"OTTO\x00",
        b"PK\x03\x04",
        b"\x1f\x8b\x08",
        b"7z\xbc\xaf\x27\x1c",
        b"\x00asm",
        b"\x00\x00\x01\x00",
        b"\x00\x00\x02\x00",
        b"II*\x00",
        b"MM\x00*",
        b"OggS\x00",
        b"\x1a\x45\xdf\xa3",
        b"\x28\xb5\x2f\xfd",
    ];
    let riff = b.starts_with(b"RIFF") && matches!(b.get(8..12), Some(b"WEBP" | b"WAVE" | b"AVI "));
    // ISO base media (MP4, AVIF, HEIC): a box size, then `ftyp`.
    let ftyp = b.first() == Some(&0) && b.get(4..8) == Some(b"ftyp");
    // BMP: `BM`, reserved zeros, and a known header size.
    let bmp = b.starts_with(b"BM")
        && b.get(6..10) == Some(&[0; 4])
        && matches!(
            b.get(14..18),
            Some([12 | 40 | 52 | 56 | 108 | 124, 0, 0, 0])
        );
    let id3 = b.starts_with(b"ID3") && matches!(b.get(3..5), Some([2..=4, 0]));
    let flac = b.starts_with(b"fLaC") && matches!(b.get(4), Some(0 | 0x80));
    MAGIC.iter().any(|m| b.starts_with(m)) || riff || ftyp || bmp || id3 || flac
}

/// Every way the bytes of a text file may be read.
///
/// Decided by content, not by name: a byte order mark names the encoding (UTF-8, UTF-16
/// LE or BE); a file whose first 8 KiB hold no NUL or control byte is UTF-8; one that
/// holds some is read three ways (UTF-8 with the odd bytes dropped, UTF-16 LE, UTF-16
/// BE), since UTF-16 without a byte order mark and text with a stray NUL look alike. A
/// file that is not valid UTF-8 is also read in the legacy 8-bit encodings of the
/// languages published here (windows-1251 and KOI8-R for Russian and Kazakh notes,
/// windows-1252 for Latin-1 ones; WHATWG Encoding, by `encoding_rs`): a byte has a
/// meaning in each, so all three are searched.
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
    let utf8 = std::str::from_utf8(bytes);
    let mut out: Vec<Cow<'_, str>> = Vec::new();
    if !sample.iter().copied().any(is_odd_byte) {
        if let Ok(text) = utf8 {
            return vec![Cow::Borrowed(text)];
        }
        out.push(String::from_utf8_lossy(bytes));
    } else {
        out.extend([
            String::from_utf8_lossy(bytes),
            utf16(bytes, u16::from_le_bytes).into(),
            utf16(bytes, u16::from_be_bytes).into(),
        ]);
    }
    if utf8.is_err() {
        for encoding in [
            encoding_rs::WINDOWS_1251,
            encoding_rs::KOI8_R,
            encoding_rs::WINDOWS_1252,
        ] {
            out.push(encoding.decode_without_bom_handling(bytes).0);
        }
    }
    out
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    char::decode_utf16(bytes.chunks_exact(2).map(|p| unit([p[0], p[1]])))
        .map(|c| c.unwrap_or('\u{fffd}'))
        .collect()
}

/// How many bytes of a binary file are read at a time: binary files are streamed, never
/// held whole.
const CHUNK: usize = 64 * 1024;

/// The runs of text inside a binary file, as `strings` finds them: runs of at least
/// [`MIN_LEN`] printable characters in UTF-8 (ASCII included), and in UTF-16 LE at either
/// byte alignment (Windows metadata, fonts' name tables). Images and documents carry
/// text: a PNG `tEXt` chunk, JPEG EXIF and XMP, a PDF's metadata. Fed a chunk at a time
/// (only the unfinished runs are kept between chunks); the runs are collected, separated
/// by [`SEP`] so that no value is matched across two, and handed to the search in batches.
/// Text inside compressed data (a PNG `zTXt`, a PDF's Flate streams, a ZIP's members) is
/// not seen.
struct Strings {
    /// The bytes not yet done with: the unfinished runs and the new chunk.
    buf: Vec<u8>,
    /// The offset in the file of `buf[0]`.
    base: usize,
    /// The UTF-8 reader, then the UTF-16 LE ones at even and odd offsets.
    readers: [Reader; 3],
    batch: String,
}

/// A run longer than this many bytes is handed on in parts that overlap by [`OVERLAP`]
/// bytes, so that memory stays bounded on a file that is one long text.
const MAX_RUN: usize = 64 * 1024;
const OVERLAP: usize = 4 * 1024;

/// Where one reader of [`Strings`] is in `buf`.
#[derive(Default, Clone, Copy)]
struct Reader {
    /// The next byte to read.
    at: usize,
    /// The start of the current run, and its length in characters.
    run: Option<usize>,
    chars: usize,
}

impl Reader {
    fn shift(&mut self, by: usize) {
        self.at -= by;
        if let Some(r) = &mut self.run {
            *r -= by;
        }
    }

    /// The first byte this reader still needs.
    fn keep(&self) -> usize {
        self.run.unwrap_or(self.at)
    }
}

/// The UTF-16 code units taken as text: the scripts and punctuation published here
/// (Latin, Greek, Cyrillic, general punctuation). Random bytes read as UTF-16 would
/// otherwise make runs of CJK characters out of any image.
fn text_unit(u: u16) -> bool {
    matches!(u, 0x09 | 0x20..=0x7e | 0xa0..=0x52f | 0x2010..=0x205e)
}

impl Strings {
    fn new() -> Strings {
        Strings {
            buf: Vec::new(),
            base: 0,
            readers: [Reader::default(); 3],
            batch: String::new(),
        }
    }

    /// Reads the next bytes of the file; hands full batches of runs to `search`.
    fn feed(&mut self, bytes: &[u8], search: &mut dyn FnMut(&[u8])) {
        for part in bytes.chunks(CHUNK) {
            self.buf.extend_from_slice(part);
            self.read(false);
            let keep = self.readers.iter().map(Reader::keep).min().unwrap_or(0);
            self.buf.drain(..keep);
            self.base += keep;
            self.readers.iter_mut().for_each(|r| r.shift(keep));
            if self.batch.len() >= CHUNK {
                self.flush(search);
            }
        }
    }

    /// Ends the last runs and hands on what is left.
    fn finish(mut self, search: &mut dyn FnMut(&[u8])) {
        self.read(true);
        self.flush(search);
    }

    fn read(&mut self, last: bool) {
        let [r8, r16a, r16b] = &mut self.readers;
        utf8_runs(&self.buf, r8, last, &mut self.batch);
        // The UTF-16 reader of even file offsets, then of odd ones.
        for (parity, r) in [(0, r16a), (1, r16b)] {
            if (self.base + r.at) % 2 != parity {
                r.at += 1;
            }
            utf16_runs(&self.buf, r, last, &mut self.batch);
        }
    }

    fn flush(&mut self, search: &mut dyn FnMut(&[u8])) {
        if self.batch.is_empty() {
            return;
        }
        // The runs hold no control character, so the separators are the only ones
        // (`canonical_bytes` would remove them).
        let mut out = Vec::with_capacity(self.batch.len());
        canonical_into(&self.batch, 0, &mut out);
        search(&out);
        self.batch.clear();
    }
}

/// Ends `r`'s run at byte `end` of `buf`, adding it to `batch` if long enough.
fn end_run(buf: &[u8], r: &mut Reader, end: usize, batch: &mut String, utf16le: bool) {
    if let Some(start) = r.run.take() {
        if r.chars >= MIN_LEN {
            let bytes = &buf[start..end];
            if utf16le {
                let units = bytes
                    .chunks_exact(2)
                    .map(|p| u16::from_le_bytes([p[0], p[1]]));
                batch.extend(char::decode_utf16(units).map(|c| c.unwrap_or(' ')));
            } else {
                batch.push_str(&String::from_utf8_lossy(bytes));
            }
            batch.push(SEP);
        }
    }
    r.chars = 0;
}

/// A run past [`MAX_RUN`] bytes is handed on, and goes on from its last [`OVERLAP`] bytes.
#[inline]
fn cut_long_run(buf: &[u8], r: &mut Reader, at: usize, batch: &mut String, utf16le: bool) {
    if let Some(start) = r.run.filter(|&s| at - s > MAX_RUN) {
        end_run(buf, r, at, batch, utf16le);
        let mut from = at - OVERLAP;
        // A UTF-8 run goes on at a character's start; a UTF-16 one at its own parity.
        while !utf16le && from < at && buf[from] & 0xc0 == 0x80 {
            from += 1;
        }
        if utf16le && (from - start) % 2 == 1 {
            from += 1;
        }
        r.run = Some(from);
        r.chars = MIN_LEN;
    }
}

/// The bytes that printable UTF-8 may hold: printable ASCII and tab, continuation bytes,
/// and the lead bytes of valid sequences.
const UTF8_TEXT_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b as u8, b'\t' | 0x20..=0x7e | 0x80..=0xbf | 0xc2..=0xf4);
        b += 1;
    }
    t
};

/// The code point of the UTF-8 sequence of `len` bytes at the start of `s` (a lead byte
/// of that length first), if it is complete, valid (no overlong form, no surrogate) and
/// printable; decoded by hand, as this runs over every byte of every image.
#[inline]
fn utf8_char(s: &[u8], len: usize) -> Option<u32> {
    let s = s.get(..len)?;
    if !s[1..].iter().all(|&b| b & 0xc0 == 0x80) {
        return None;
    }
    let tail = s[1..]
        .iter()
        .fold(0u32, |acc, &b| (acc << 6) | u32::from(b & 0x3f));
    let c = match len {
        2 => (u32::from(s[0] & 0x1f) << 6) | tail,
        3 => (u32::from(s[0] & 0x0f) << 12) | tail,
        _ => (u32::from(s[0] & 0x07) << 18) | tail,
    };
    let valid = match len {
        // C1 controls (U+0080 to U+009F) are not text.
        2 => c >= 0xa0,
        3 => c >= 0x800 && !(0xd800..0xe000).contains(&c),
        _ => (0x10000..0x110000).contains(&c),
    };
    valid.then_some(c)
}

/// Reads UTF-8 runs in `buf` from `r.at`; stops before an incomplete character at the
/// end unless this is the `last` of the file.
fn utf8_runs(buf: &[u8], r: &mut Reader, last: bool, batch: &mut String) {
    let n = buf.len();
    let mut i = r.at;
    while i < n {
        // Outside a run, a byte that no printable UTF-8 holds in the next [`MIN_LEN`] bytes
        // means no run long enough starts before it: skip past it (most of an image).
        if r.run.is_none() {
            if let Some(p) = buf
                .get(i..i + MIN_LEN)
                .and_then(|w| w.iter().rposition(|&b| !UTF8_TEXT_BYTE[usize::from(b)]))
            {
                i += p + 1;
                continue;
            }
        }
        let b = buf[i];
        // Printable ASCII, most of any run, a stretch at a time without decoding.
        if matches!(b, 0x20..=0x7e | b'\t') {
            if r.run.is_none() {
                r.run = Some(i);
            }
            let run_end = buf[i..]
                .iter()
                .position(|&b| !matches!(b, 0x20..=0x7e | b'\t'))
                .map_or(n, |p| i + p);
            r.chars += run_end - i;
            i = run_end;
            cut_long_run(buf, r, i, batch, false);
            continue;
        }
        let len = match b {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => 0,
        };
        if len > 0 && i + len > n && !last {
            break;
        }
        if len > 0 && utf8_char(&buf[i..], len).is_some() {
            if r.run.is_none() {
                r.run = Some(i);
            }
            r.chars += 1;
            i += len;
        } else {
            if r.run.is_some() {
                end_run(buf, r, i, batch, false);
            }
            i += 1;
        }
    }
    if last {
        end_run(buf, r, i.min(n), batch, false);
    }
    r.at = i;
}

/// Reads UTF-16 LE runs in `buf` from `r.at` (at this reader's parity), two bytes a step.
fn utf16_runs(buf: &[u8], r: &mut Reader, last: bool, batch: &mut String) {
    let mut i = r.at;
    let unit = |i: usize| u16::from_le_bytes([buf[i], buf[i + 1]]);
    while i + 1 < buf.len() {
        // As in `utf8_runs`: past the last unit in the next six that is not text.
        if r.run.is_none() && i + 2 * MIN_LEN <= buf.len() {
            if let Some(k) = (0..MIN_LEN).rev().find(|k| !text_unit(unit(i + 2 * k))) {
                i += 2 * (k + 1);
                continue;
            }
        }
        if text_unit(u16::from_le_bytes([buf[i], buf[i + 1]])) {
            if r.run.is_none() {
                r.run = Some(i);
            }
            r.chars += 1;
            i += 2;
            cut_long_run(buf, r, i, batch, true);
        } else {
            if r.run.is_some() {
                end_run(buf, r, i, batch, true);
            }
            i += 2;
        }
    }
    if last {
        end_run(buf, r, i.min(buf.len()), batch, true);
    }
    r.at = i;
}

/// Searches a file held in memory: its runs of text if it is binary, else every reading
/// of it, and the payload of each `data:` URL in it.
fn scan_bytes(bytes: &[u8], search: &mut dyn FnMut(&[u8])) {
    if is_binary(&bytes[..bytes.len().min(SAMPLE)]) {
        let mut strings = Strings::new();
        strings.feed(bytes, search);
        strings.finish(search);
        return;
    }
    scan_text(bytes, search);
}

/// Searches every reading of (a part of) a text file, and its `data:` URLs.
fn scan_text(bytes: &[u8], search: &mut dyn FnMut(&[u8])) {
    for text in readings(bytes) {
        search(&canonical_bytes(&text));
        scan_data_urls(&text, search);
    }
}

/// A copied text file (copies have no size limit) is read this many bytes at a time,
/// each part overlapping the one before by [`TEXT_OVERLAP`] bytes so that a value across
/// two parts is in one; both even, so that UTF-16 stays aligned.
const TEXT_PART: usize = 8 * 1024 * 1024;
const TEXT_OVERLAP: usize = 64 * 1024;

/// Searches a copied file on disk, never holding more than a part of it: a binary one is
/// streamed a chunk at a time through [`Strings`]; a text one is read in overlapping
/// parts of [`TEXT_PART`] bytes (most files are one part). An unreadable file is skipped:
/// writing it fails the build anyway.
fn scan_disk(path: &std::path::Path, search: &mut dyn FnMut(&[u8])) -> std::io::Result<()> {
    let file = crate::source::open_file(path)?;
    scan_reader(file, TEXT_PART, TEXT_OVERLAP, search)
}

fn scan_reader(
    mut file: impl Read,
    part_len: usize,
    overlap: usize,
    search: &mut dyn FnMut(&[u8]),
) -> std::io::Result<()> {
    let mut part = Vec::new();
    (&mut file).take(SAMPLE as u64).read_to_end(&mut part)?;
    if !is_binary(&part) {
        loop {
            let want = part_len.saturating_sub(part.len()) as u64;
            (&mut file).take(want).read_to_end(&mut part)?;
            if part.len() < part_len {
                scan_text(&part, search);
                return Ok(());
            }
            scan_text(&part, search);
            part.drain(..part.len() - overlap);
        }
    }
    let mut strings = Strings::new();
    strings.feed(&part, search);
    let mut buf = vec![0; CHUNK];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        strings.feed(&buf[..n], search);
    }
    strings.finish(search);
    Ok(())
}

/// Searches the payload of every `data:…;base64,` URL in `text` (an inline image or
/// document), decoded, as a file of its own. Not recursive: a payload's own `data:` URLs
/// are not decoded.
fn scan_data_urls(text: &str, search: &mut dyn FnMut(&[u8])) {
    let mut rest = text;
    while let Some(p) = rest.find(";base64,") {
        let payload = &rest[p + 8..];
        let is_data_url = rest[..p]
            .rfind("data:")
            .is_some_and(|d| !rest[d..p].contains(|c: char| c.is_whitespace() || c == '"'));
        let len = payload
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
            .unwrap_or(payload.len());
        if is_data_url {
            let decoded = base64(&payload.as_bytes()[..len]);
            if is_binary(&decoded[..decoded.len().min(SAMPLE)]) {
                let mut strings = Strings::new();
                strings.feed(&decoded, search);
                strings.finish(search);
            } else {
                for t in readings(&decoded) {
                    search(&canonical_bytes(&t));
                }
            }
        }
        rest = &payload[len..];
    }
}

/// Standard base64 (RFC 4648, section 4) decoded up to its padding or its end.
pub(crate) fn base64(text: &[u8]) -> Vec<u8> {
    let value = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.iter().map_while(|&b| value(b)) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Searches the output file `f`: its path (a bundle file's name, a slug) and its bytes.
fn scan(f: &OutputFile, search: &mut dyn FnMut(&[u8])) {
    search(&canonical_bytes(&f.path));
    // The image stage's files are pixels it encoded itself, with no text of the original:
    // runs of text in compressed pixels are noise. Their structure is checked instead
    // (`image_metadata`).
    if matches!(f.origin, crate::render::Origin::Image(_)) {
        return;
    }
    match &f.data {
        Data::Bytes(b) => scan_bytes(b, search),
        Data::Copy(FileData::Embedded(b)) => scan_bytes(b, search),
        Data::Copy(FileData::Disk(p)) => {
            let _unreadable = scan_disk(p, search);
        }
        // Checked before it was written.
        Data::Streamed(_) => {}
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
/// for their unchanged bytes, and copied files found clean, by output path with what they
/// were copied from; with the secrets they were checked against.
#[derive(Default)]
pub struct Memo {
    secrets: u64,
    clean: std::collections::HashMap<usize, std::sync::Arc<Vec<u8>>>,
    copies: std::collections::HashMap<String, Stamp>,
}

/// What a copied file was when it was checked: a file on disk with its length and
/// modification time (the rule the preview's reader uses for texts), or built-in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stamp {
    Disk(PathBuf, u64, std::time::SystemTime),
    Embedded(usize, usize),
}

/// The [`Stamp`] of a copied file now; `None` for a rendered one or an unreadable file.
fn stamp(f: &OutputFile) -> Option<Stamp> {
    match &f.data {
        Data::Copy(FileData::Disk(p)) => {
            let m = std::fs::symlink_metadata(p).ok()?;
            Some(Stamp::Disk(p.clone(), m.len(), m.modified().ok()?))
        }
        Data::Copy(FileData::Embedded(b)) => Some(Stamp::Embedded(b.as_ptr() as usize, b.len())),
        _ => None,
    }
}

/// Like [`check`] with `guard`, adding the leaks found `earlier` (in pages checked as they
/// were rendered) and skipping those pages (`checked`: the addresses of their bytes),
/// rendered files that are the very same bytes `memo` found clean
/// against the same secrets (the preview re-renders a page or two per edit), and copied
/// files with the same output path, source, length and modification time. `build` starts
/// from an empty memo: what is published is always read whole.
pub fn check_cached(
    files: &[OutputFile],
    guard: &Guard,
    memo: &mut Memo,
    earlier: Vec<Leak>,
    checked: &std::collections::HashSet<usize>,
) -> Errors {
    let key = crate::site::fingerprint(guard.secrets.iter().map(|s| &s.value).collect::<Vec<_>>());
    let same_secrets = memo.secrets == key;
    // Taken before the files are read, so that a file changed while it is read is read
    // again next time.
    let stamps: Vec<Option<Stamp>> = files.par_iter().map(stamp).collect();
    let unchanged = |(f, stamp): &(&OutputFile, &Option<Stamp>)| {
        if let Data::Bytes(b) = &f.data {
            if checked.contains(&(std::sync::Arc::as_ptr(b) as usize)) {
                return true;
            }
        }
        same_secrets
            && match (&f.data, stamp) {
                (Data::Bytes(b), _) => memo
                    .clean
                    .contains_key(&(std::sync::Arc::as_ptr(b) as usize)),
                (_, Some(s)) => memo.copies.get(&f.path) == Some(s),
                _ => false,
            }
    };
    let to_scan: Vec<&OutputFile> = files
        .iter()
        .zip(&stamps)
        .filter(|pair| !unchanged(pair))
        .map(|(f, _)| f)
        .collect();
    let mut leaks = guard.find(&to_scan);
    leaks.extend(earlier);
    let mut errors = guard.report(leaks);
    errors.extend(image_metadata(&to_scan));
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
        memo.copies = files
            .iter()
            .zip(stamps)
            .filter_map(|(f, s)| Some((f.path.clone(), s?)))
            .collect();
    }
    errors
}

/// One error per published image that still holds a metadata block (EXIF, XMP, IPTC,
/// comments, text chunks: [`crate::images::metadata`]), whatever its name: the image stage
/// writes none, so one found here is a file it did not process, and is never published.
fn image_metadata(files: &[&OutputFile]) -> Errors {
    files
        .par_iter()
        .filter_map(|f| {
            let bytes: std::borrow::Cow<'_, [u8]> = match &f.data {
                Data::Copy(FileData::Embedded(b)) => (*b).into(),
                Data::Copy(FileData::Disk(p)) => {
                    let mut head = [0u8; 12];
                    let mut file = crate::source::open_file(p).ok()?;
                    file.read_exact(&mut head).ok()?;
                    crate::images::Format::sniff(&head)?;
                    crate::source::read_file(p).ok()?.into()
                }
                _ => return None,
            };
            let blocks = crate::images::metadata::blocks(&bytes)?;
            if blocks.is_empty() {
                return None;
            }
            Some(
                Error::new(
                    f.origin.file(&f.path),
                    format!(
                        "the published file `{}` would carry image metadata ({}); nothing was published",
                        f.path,
                        blocks.join(", ")
                    ),
                )
                .with_help("metadata can hold a GPS position, a camera serial number or an author's name: remove it from the file (for example `exiftool -all= FILE`), or export the image again"),
            )
        })
        .collect()
}

/// Every internal value that appears in `files`: one error per value.
pub fn check(files: &[OutputFile], secrets: &[Secret]) -> Errors {
    let guard = Guard::new(secrets);
    guard.report(guard.find(&files.iter().collect::<Vec<_>>()))
}

/// The matcher of the canonical text of every secret, built once and used on any number
/// of files (`build` checks each page as it is rendered, before it is written).
pub struct Guard {
    secrets: Vec<Secret>,
    /// Distinct canonical values, sorted: what a message is about.
    values: Vec<String>,
    /// For each value, the secrets that have it (indices into `secrets`), first by file
    /// and line.
    owners: Vec<Vec<usize>>,
    /// For each pattern of the matcher (the forms of the values, [`value_forms`]), the
    /// values it stands for (indices into `values`).
    pattern_values: Vec<Vec<usize>>,
    matcher: Option<AhoCorasick>,
    broken: bool,
}

impl Guard {
    /// Builds the matcher; linear in the total length of the values. The guard keeps a
    /// copy of `secrets` (for its messages), so that the preview can keep it between
    /// renders while the secrets stay the same.
    pub fn new(secrets: &[Secret]) -> Guard {
        let canon: Vec<Option<(String, Vec<String>)>> = secrets
            .par_iter()
            .map(|s| {
                let c = canonical_value(&s.value)?;
                let forms = value_forms(&s.value, &c);
                Some((c, forms))
            })
            .collect();
        let mut by_value: BTreeMap<String, (Vec<usize>, BTreeSet<String>)> = BTreeMap::new();
        for (i, c) in canon.into_iter().enumerate() {
            if let Some((c, forms)) = c {
                let entry = by_value.entry(c).or_default();
                entry.0.push(i);
                entry.1.extend(forms);
            }
        }
        let mut values = Vec::with_capacity(by_value.len());
        let mut owners = Vec::with_capacity(by_value.len());
        let mut by_pattern: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (v, (value, (mut o, forms))) in by_value.into_iter().enumerate() {
            o.sort_by(|&a, &b| {
                let (a, b) = (&secrets[a], &secrets[b]);
                (&a.path, a.line, &a.field).cmp(&(&b.path, b.line, &b.field))
            });
            values.push(value);
            owners.push(o);
            for f in forms {
                by_pattern.entry(f).or_default().push(v);
            }
        }
        let (patterns, pattern_values): (Vec<String>, Vec<Vec<usize>>) =
            by_pattern.into_iter().unzip();
        let (matcher, broken) = if patterns.is_empty() {
            (None, false)
        } else {
            match AhoCorasick::new(&patterns) {
                Ok(m) => (Some(m), false),
                Err(_) => (None, true),
            }
        };
        Guard {
            secrets: secrets.to_vec(),
            values,
            owners,
            pattern_values,
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
                scan(f, &mut |canon: &[u8]| {
                    for m in matcher.find_overlapping_iter(canon) {
                        found.extend(&self.pattern_values[m.pattern().as_usize()]);
                    }
                });
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
            // The other items that hold the value, each by its first field: up to three
            // by path and line, then how many more.
            let mut seen: BTreeSet<&PathBuf> = BTreeSet::from([&first.path]);
            let others: Vec<&Secret> = owners
                .iter()
                .map(|&i| &self.secrets[i])
                .filter(|s| seen.insert(&s.path))
                .collect();
            let named: Vec<String> = others
                .iter()
                .take(3)
                .map(|s| format!("{}:{}", s.path.display(), s.line))
                .collect();
            let also = match (named.as_slice(), others.len().saturating_sub(3)) {
                ([], _) => String::new(),
                ([one], _) => format!(" (also internal in {one})"),
                (named, 0) => {
                    let (last, rest) = named
                        .split_last()
                        .map_or(("", &[][..]), |(l, r)| (l.as_str(), r));
                    format!(" (also internal in {} and {last})", rest.join(", "))
                }
                (named, 1) => format!(" (also internal in {} and 1 other item)", named.join(", ")),
                (named, n) => format!(
                    " (also internal in {} and {n} other items)",
                    named.join(", ")
                ),
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

    #[test]
    fn is_inline_is_the_inline_list() {
        for name in INLINE {
            assert!(is_inline(name), "{name}");
            assert!(is_inline(&name.to_uppercase()), "{name}");
        }
        for name in ["div", "p", "script", "", "abbrx", "spa", "textpaths", "li"] {
            assert!(!is_inline(name), "{name}");
        }
    }
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
        assert_eq!(e[0].to_string().lines().next().unwrap(), "content/projects/a.md:9: the value of `internal.contact` appears in the output file x.html; internal fields are never published (also internal in content/projects/b.md:3 and content/projects/c.md:3)");
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
        // Look-alike letters are folded to Latin ones (о is o), marked ones kept.
        assert_eq!(canonical("Йод ё").split(SEP).next(), Some("йoд ё"));
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
        // A real image is searched for its runs of text, whatever its name.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(text.as_bytes());
        assert_eq!(check(&[bytes("logo.png", png.clone())], &s).len(), 1);
        assert_eq!(check(&[bytes("logo.txt", png)], &s).len(), 1);
        let clean = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\x01Major O'Neill\0room 12".to_vec();
        assert!(check(&[bytes("logo.png", clean)], &s).is_empty());
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
        assert!(canonical_value("a\u{2066}b\u{200b}c\u{ad}d\u{fe0f}e").is_none());
        // A value is plain text: its markup and escapes are characters.
        assert_eq!(canonical_value("<b></b>xx").as_deref(), Some("<b></b>xx"));
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

    #[test]
    fn default_ignorable_characters_are_dropped_on_both_sides() {
        let v = "Bidi Alpha Secret";
        for c in [
            '\u{2066}',
            '\u{202c}',
            '\u{34f}',
            '\u{fe0f}',
            '\u{2063}',
            '\u{e0041}',
            '\u{180b}',
            '\u{3164}',
            '\u{61c}',
            '\u{ffa0}',
            '\u{1d173}',
            '\u{1bca0}',
            '\u{17b4}',
        ] {
            let text = format!("<p>Bidi Al{c}pha Secret</p>");
            assert!(caught(v, &text), "{c:?} in the page");
            assert!(
                caught(&format!("Bidi Al{c}pha Secret"), "Bidi Alpha Secret"),
                "{c:?} in the value"
            );
            // Written as an entity too.
            let entity = format!("Bidi Al&#x{:x};pha Secret", u32::from(c));
            assert!(caught(v, &entity), "{entity}");
        }
        // A bidirectional isolate around the whole value.
        assert!(caught(v, "\u{2066}Bidi Alpha Secret\u{2069}"));
        // Characters that are drawn still separate words.
        assert!(!caught(v, "Bidi Al\u{2022}pha Secret"));
    }

    #[test]
    fn every_inline_element_joins_the_text() {
        for tag in [
            "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "blink", "cite", "code", "data",
            "del", "dfn", "em", "font", "i", "ins", "kbd", "label", "mark", "nobr", "output", "q",
            "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span", "strike", "strong",
            "sub", "sup", "textPath", "TIME", "tref", "tspan", "tt", "u", "var",
        ] {
            let text = format!("<p>Major O'<{tag} x=\"1\">Nei</{tag}>ll, room 12</p>");
            assert!(caught("Major O'Neill, room 12", &text), "{tag}");
        }
        assert!(caught(
            "Майор О'Нил комната",
            "<svg><text x=\"0\">Майор О'<tspan dy=\"2\">Нил</tspan> комната</text></svg>"
        ));
        assert!(caught(
            "Major O'Neill, room 12",
            "<ruby><rb>Major O'</rb><rp>(</rp><rt></rt><rp>)</rp><rb>Neill, room 12</rb></ruby>"
                .replace("<rp>(</rp><rt></rt><rp>)</rp>", "")
                .as_str()
        ));
        // Block elements still break words.
        for tag in ["div", "p", "li", "td", "text", "br", "title"] {
            let text = format!("Major O'<{tag}>Nei</{tag}>ll, room 12");
            assert!(!caught("Major O'Neill, room 12", &text), "{tag}");
        }
        let mut sorted = INLINE.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, INLINE, "INLINE is searched by bisection");
        assert!(INLINE
            .iter()
            .all(|t| t.len() <= 8 && *t == t.to_lowercase()));
    }

    #[test]
    fn values_are_plain_text_and_files_are_decoded() {
        let unc = "\\\\fs01\\projects\\blackwing";
        assert_eq!(
            canonical_value(unc).as_deref(),
            Some("\\\\fs01\\projects\\blackwing")
        );
        // Its JSON copy (the search index), as HTML text, and verbatim.
        assert!(caught(
            unc,
            "{\"p\":\"\\\\\\\\fs01\\\\projects\\\\blackwing\"}"
        ));
        assert!(caught(unc, "<p>\\\\fs01\\projects\\blackwing</p>"));
        assert!(caught(
            unc,
            "<p>&#92;&#92;fs01&#92;projects&#92;blackwing</p>"
        ));
        // Entities and percent signs in a value are the value's own characters.
        assert!(caught("R&amp;D Centre", "<p>R&amp;amp;D Centre</p>"));
        assert!(caught("R&amp;D Centre", "R&amp;D Centre"));
        assert!(caught("growth 100%20 plan", "<p>growth 100%20 plan</p>"));
        assert!(!caught(
            "\\\\fs01\\projects\\blackwing",
            "fs01 projects blackwing"
        ));
    }

    #[test]
    fn urls_paths_and_slugs() {
        let v = "Percent India Secret";
        assert!(caught(
            v,
            "<a href=\"https://example.com/Percent%20India%20Secret\">x</a>"
        ));
        assert!(caught(
            v,
            "<img srcset=\"/a/Percent%20India%20Secret.png 2x\">"
        ));
        assert!(caught(
            v,
            "see https://example.com/Percent%20India%20Secret"
        ));
        assert!(caught(
            "Майор Петров кабинет",
            "<a href=\"/%D0%9C%D0%B0%D0%B9%D0%BE%D1%80%20%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2%20%D0%BA%D0%B0%D0%B1%D0%B8%D0%BD%D0%B5%D1%82\">"
        ));
        // Not UTF-8 after decoding, or not an escape: the % stays.
        assert!(caught("100%zz done", "100%zz done"));
        assert!(caught("rate %FF high", "rate %FF high"));
        // A file's path is searched, and so is a value's slug.
        let s = secret("Mike Secret Plan");
        let pdf = bytes("projects/x/Mike Secret Plan.pdf", b"%PDF-1.4\n".to_vec());
        let e = check(&[pdf], &s);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].message.contains("projects/x/Mike Secret Plan.pdf"));
        assert!(caught(
            "Mike Secret Plan",
            "<a href=\"Mike%20Secret%20Plan.pdf\">"
        ));
        let s = secret("Operation Lima Secret");
        for path in [
            "news/operation-lima-secret/index.html",
            "news/operation_lima_secret.html",
            "news/OPERATION-LIMA-SECRET/index.html",
        ] {
            assert_eq!(check(&[page(path, "x")], &s).len(), 1, "{path}");
        }
        assert!(caught(
            "Operation Lima Secret",
            "<a href=\"/news/operation-lima-secret/\">News</a>"
        ));
        // Transliterated, as archetype::slugify makes slugs.
        assert!(caught("Орбита Связь плюс", "/projects/orbita-svyaz-plyus/"));
        assert!(caught("Орбита Связь плюс", "/projects/орбита-связь-плюс/"));
        // One word has no slug of its own; a slug of other words is no match.
        assert_eq!(
            value_forms("Blackwing", "blackwing"),
            vec!["blackwing".to_string()]
        );
        assert!(!caught("Operation Lima Secret", "/news/operation-lima/"));
        assert!(check(&[page("news/lima/index.html", "x")], &s).is_empty());
    }

    #[test]
    fn look_alike_letters_fold_to_one_skeleton() {
        let v = "Homo Golf Secret";
        for text in [
            "Homo G\u{43e}lf Secret",
            "H\u{43e}m\u{43e} G\u{43e}lf S\u{435}\u{441}r\u{435}t",
            "HOMO G\u{41e}LF SECRET",
            "\u{41d}\u{41e}\u{41c}\u{41e} GOLF SECRET",
            "Homo G\u{3bf}lf Secret",
            "Homo G\u{39f}lf Secret",
        ] {
            assert!(caught(v, text), "{text}");
        }
        assert!(caught("Homo G\u{43e}lf Secret", "Homo Golf Secret"));
        // Russian and Kazakh still match themselves, in either case.
        for ru in ["Майор Петров кабинет", "Қазақстан өңірі, Әлия"]
        {
            assert!(caught(ru, ru));
            assert!(caught(ru, &ru.to_uppercase()));
            assert!(caught(&ru.to_uppercase(), ru));
        }
        // ... and not words that differ by a letter that does not look Latin.
        assert!(!caught("Майор Петров кабинет", "Маиор Петров кабинет"));
        assert!(!caught("Майор Петров кабинет", "Майор Петров кабинёт"));
        assert!(!caught("Қазақстан өңірі", "Казакстан оңірі"));
        assert!(!caught("Түркістан облысы", "Туркістан облысы"));
        // Latin words do not match Cyrillic ones that merely share letters.
        assert!(!caught("Major Petrov", "Майор Петров"));
        assert!(!caught("Майор Петров", "Major Petrov"));
    }

    #[test]
    fn legacy_eight_bit_encodings() {
        let ru = "Майор Петров кабинет";
        let de = "Müller Straße sieben";
        let enc = |e: &'static encoding_rs::Encoding, t: &str| {
            let text = format!("Notiz: {t}.\n");
            let (b, _, bad) = e.encode(&text);
            assert!(!bad);
            b.into_owned()
        };
        for (value, data) in [
            (ru, enc(encoding_rs::WINDOWS_1251, ru)),
            (ru, enc(encoding_rs::KOI8_R, ru)),
            (de, enc(encoding_rs::WINDOWS_1252, de)),
        ] {
            assert!(std::str::from_utf8(&data).is_err());
            assert_eq!(
                check(&[bytes("note.txt", data.clone())], &secret(value)).len(),
                1
            );
            // With a stray control byte too.
            let mut odd = b"\x01".to_vec();
            odd.extend(&data);
            assert_eq!(check(&[bytes("n.dat", odd)], &secret(value)).len(), 1);
        }
        // Valid UTF-8 is read only as UTF-8.
        assert_eq!(readings("Müller".as_bytes()).len(), 1);
    }

    #[test]
    fn weak_signatures_and_text_inside_binary_files() {
        let v = "PNG Kilo Secret";
        let s = secret(v);
        // Text that starts like a bitmap, with a control byte late in it.
        let mut bm = b"BMW fleet notes: PNG Kilo Secret\n".to_vec();
        bm.extend(std::iter::repeat_n(b'x', 3000));
        bm.push(0x01);
        assert!(!is_binary(&bm));
        assert_eq!(check(&[bytes("notes.bmp", bm)], &s).len(), 1);
        // A PNG with a tEXt chunk.
        let mut png =
            b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
                .to_vec();
        png.extend(b"\0\0\0\x17tEXtComment\0PNG Kilo Secret\xde\xad\xbe\xef\0\0\0\0IEND\xaeB`\x82");
        assert!(is_binary(&png));
        assert_eq!(check(&[bytes("logo.png", png)], &s).len(), 1);
        // A JPEG with an APP1 Exif segment, the value in UTF-8 and in UTF-16 LE (XP tags).
        let mut jpeg = b"\xff\xd8\xff\xe1\x00\x40Exif\0\0II*\0\x08\0\0\0".to_vec();
        jpeg.extend(b"\x01\0\x0e\x01\x02\0PNG Kilo Secret\0");
        jpeg.extend(b"\xff\xdb\x00\x43\x00\x10\x0b");
        assert_eq!(check(&[bytes("photo.jpg", jpeg.clone())], &s).len(), 1);
        let mut xp = b"\xff\xd8\xff\xe1\x00\x40Exif\0\0II*\0\x09".to_vec();
        xp.extend(utf16("PNG Kilo Secret", true, false));
        assert_eq!(check(&[bytes("photo.jpg", xp.clone())], &s).len(), 1);
        // At the other alignment.
        xp.insert(5, 0x07);
        assert_eq!(check(&[bytes("photo.jpg", xp)], &s).len(), 1);
        // A binary file of random bytes with no such run is clean.
        let noise: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let mut img = b"\x89PNG\r\n\x1a\n".to_vec();
        img.extend(&noise);
        assert!(check(&[bytes("noise.png", img)], &s).is_empty());
    }

    #[test]
    fn long_runs_in_binary_files_are_searched_in_overlapping_parts() {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend(std::iter::repeat_n(b'a', MAX_RUN - 20));
        pdf.extend(b" PNG Kilo Secret ");
        pdf.extend(std::iter::repeat_n(b'b', 3 * MAX_RUN));
        assert_eq!(
            check(&[bytes("a.pdf", pdf)], &secret("PNG Kilo Secret")).len(),
            1
        );
        let mut strings = Strings::new();
        let mut sizes = Vec::new();
        strings.feed(&vec![b'z'; 10 * MAX_RUN], &mut |b: &[u8]| {
            sizes.push(b.len())
        });
        strings.finish(&mut |b: &[u8]| sizes.push(b.len()));
        assert!(sizes.iter().all(|&n| n <= CHUNK + 2 * MAX_RUN), "{sizes:?}");
    }

    #[test]
    fn strings_read_in_chunks_as_in_one_go() {
        let mut data = b"\x89PNG\r\n\x1a\n\0\x01".to_vec();
        for i in 0..300u32 {
            data.extend(format!("run {i} \u{439}\u{434} Major O'Neill").as_bytes());
            data.extend((i.to_le_bytes()).iter().map(|b| b | 0x80));
            data.extend(utf16(&format!("unit {i} Майор"), true, false));
            data.extend([0, 0xff, (i % 7) as u8]);
        }
        let all = |step: usize| {
            let mut out = Vec::new();
            let mut strings = Strings::new();
            for part in data.chunks(step) {
                strings.feed(part, &mut |b: &[u8]| out.extend_from_slice(b));
            }
            strings.finish(&mut |b: &[u8]| out.extend_from_slice(b));
            let mut runs: Vec<String> = String::from_utf8(out)
                .unwrap()
                .split(SEP)
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect();
            runs.sort();
            runs
        };
        let whole = all(data.len());
        // Cyrillic look-alikes read as Latin letters (м is m).
        assert!(whole.iter().any(|r| r == "unit 299 maйop"));
        assert!(whole.iter().any(|r| r.ends_with("major o'neill")));
        for step in [1, 2, 3, 7, 64, 1000] {
            assert!(all(step) == whole, "{step}");
        }
    }

    #[test]
    fn large_text_files_are_read_in_overlapping_parts() {
        let found = |data: &[u8], value: &str| {
            let guard_secrets = secret(value);
            let guard = Guard::new(&guard_secrets);
            let matcher = guard.matcher.as_ref().unwrap();
            let mut hits = 0;
            scan_reader(data, 1000, 100, &mut |c: &[u8]| {
                hits += matcher.find_overlapping_iter(c).count()
            })
            .unwrap();
            hits
        };
        let mut text = "filler text. ".repeat(500);
        // Across the boundary of the first two parts (bytes 900 to 1000 are in both).
        text.replace_range(985..1005, "Major O'Neill, rm 12");
        assert!(found(text.as_bytes(), "Major O'Neill, rm 12") >= 1);
        // UTF-16 stays aligned from part to part.
        let mut wide = utf16(&"filler text. ".repeat(300), true, true);
        wide.extend(utf16("Майор Петров кабинет", true, false));
        wide.extend(utf16(&"more. ".repeat(300), true, false));
        assert!(found(&wide, "Майор Петров кабинет") >= 1);
    }

    #[test]
    fn data_urls_are_decoded() {
        // "Data Uniform Secret" in base64, as text and as a PNG's tEXt.
        let b64 = "RGF0YSBVbmlmb3JtIFNlY3JldA==";
        assert_eq!(base64(b64.as_bytes()), b"Data Uniform Secret");
        let v = "Data Uniform Secret";
        assert!(caught(
            v,
            &format!("<a href=\"data:text/plain;base64,{b64}\">x</a>")
        ));
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x13tEXtComment\0".to_vec();
        png.extend(v.as_bytes());
        let encoded = encode64(&png);
        assert!(caught(
            v,
            &format!("<img src=\"data:image/png;base64,{encoded}\">")
        ));
        assert!(!caught(v, &format!("<p>base64,{b64}</p>")));
    }

    fn encode64(data: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in data.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for k in 0..=c.len() {
                out.push(char::from(A[(n >> (18 - 6 * k) & 63) as usize]));
            }
        }
        out
    }

    #[test]
    fn others_holding_the_value_are_named() {
        let mut secrets = Vec::new();
        for (i, p) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
            secrets.push(Secret {
                path: format!("content/projects/{p}.md").into(),
                line: i + 2,
                field: "internal.who".into(),
                value: "Major O'Neill, room 12".into(),
            });
        }
        let line = |n: usize| {
            let e = check(&[page("x.html", "Major O'Neill, room 12")], &secrets[..n]);
            assert_eq!(e.len(), 1);
            e[0].message.clone()
        };
        assert!(line(1).ends_with("never published"), "{}", line(1));
        assert!(line(2).ends_with("(also internal in content/projects/b.md:3)"));
        assert!(line(3)
            .ends_with("(also internal in content/projects/b.md:3 and content/projects/c.md:4)"));
        assert!(line(4).ends_with("(also internal in content/projects/b.md:3, content/projects/c.md:4 and content/projects/d.md:5)"));
        assert!(line(5).ends_with("(also internal in content/projects/b.md:3, content/projects/c.md:4, content/projects/d.md:5 and 1 other item)"));
        assert!(line(6).ends_with("(also internal in content/projects/b.md:3, content/projects/c.md:4, content/projects/d.md:5 and 2 other items)"));
    }
}
