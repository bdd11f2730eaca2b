//! Characters that XML 1.0 forbids (<https://www.w3.org/TR/xml/#charsets>: C0 controls other
//! than tab, LF and CR; U+FFFE; U+FFFF; surrogates cannot occur in a Rust `str`).
//!
//! The rule, one for the whole site: text the comms team writes (content files, site.yaml)
//! that holds one is an error at its line, since it is invisible and usually pasted from a
//! word processor (Word writes U+000B for a line break); whatever else could carry one into
//! a page (a theme's template or strings, a YAML escape such as `"\v"`, an HTML entity such
//! as `&#11;`) is stripped from every file rendered from a template (pages, feeds, the
//! sitemap), so a feed or sitemap always parses.

/// Whether XML 1.0 forbids `c` in a document.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The first forbidden character of `text` as (1-based line, 1-based column, character).
pub fn find_forbidden(text: &str) -> Option<(usize, usize, char)> {
    if !may_hold_forbidden(text.as_bytes()) {
        return None;
    }
    let at = text.find(is_forbidden)?;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    text[at..].chars().next().map(|c| (line, column, c))
}

/// A plain-words name of a forbidden character for messages (`U+000B (vertical tab)`).
pub fn describe(c: char) -> String {
    let name = match c {
        '\u{0}' => " (NUL)",
        '\u{8}' => " (backspace)",
        '\u{B}' => " (vertical tab, a line break pasted from a word processor)",
        '\u{C}' => " (form feed, a page break)",
        '\u{1B}' => " (escape)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// Whether `bytes` may hold a forbidden character: a C0 control other than tab, LF and CR,
/// or the lead byte `EF` of U+FFFE/U+FFFF (and of other characters: a cheap, sure "no").
/// Branch-free over blocks of 64 bytes so that the compiler vectorises it: pages are
/// scanned whole, and almost none holds one.
fn may_hold_forbidden(bytes: &[u8]) -> bool {
    let suspect = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') || b == 0xEF;
    let mut blocks = bytes.chunks_exact(64);
    let found = blocks
        .by_ref()
        .any(|block| block.iter().fold(false, |acc, &b| acc | suspect(b)));
    found || blocks.remainder().iter().any(|&b| suspect(b))
}

/// `text` without the characters XML forbids; borrowed when it has none (the usual case).
pub fn strip(text: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    // Forbidden bytes: C0 controls but tab, LF, CR; and U+FFFE/U+FFFF, which UTF-8 writes as
    // EF BF BE / EF BF BF.
    let bad_c0 = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    let nonchar = |t: &[u8], i: usize| {
        t[i] == 0xEF && t.get(i + 1) == Some(&0xBF) && matches!(t.get(i + 2), Some(0xBE | 0xBF))
    };
    if !may_hold_forbidden(text) || !(0..text.len()).any(|i| bad_c0(text[i]) || nonchar(text, i)) {
        return text.into();
    }
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if bad_c0(text[i]) {
            i += 1;
        } else if nonchar(text, i) {
            i += 3;
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_and_column() {
        assert_eq!(find_forbidden("ok\ttab\r\n"), None);
        assert_eq!(find_forbidden("a\nbб\u{B}c"), Some((2, 3, '\u{B}')));
        assert_eq!(find_forbidden("x\u{FFFF}"), Some((1, 2, '\u{FFFF}')));
        assert_eq!(find_forbidden("\u{0}"), Some((1, 1, '\u{0}')));
        assert_eq!(
            find_forbidden("\u{7F}\u{85}\u{FFFD}"),
            None,
            "XML 1.0 allows these"
        );
    }

    #[test]
    fn strips_forbidden_characters_only() {
        let dirty = "<a>x\u{B}y\u{1}\u{FFFE}z\u{FFFF}\tа\n</a>";
        assert_eq!(&*strip(dirty.as_bytes()), "<a>xyz\tа\n</a>".as_bytes());
        // Long texts go through the block scan: a forbidden character in any block, or in
        // the remainder, is still found.
        for at in [0, 63, 64, 127, 200, 260] {
            let mut long = "x".repeat(261);
            long.replace_range(at..at + 1, "\u{1}");
            assert_eq!(strip(long.as_bytes()).len(), 260, "at {at}");
            assert_eq!(find_forbidden(&long).map(|f| f.1), Some(at + 1));
        }
        let clean = "<a>\u{FFFD}\u{FFFC}ok</a>".as_bytes();
        assert!(matches!(strip(clean), std::borrow::Cow::Borrowed(_)));
    }
}
