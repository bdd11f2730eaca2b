//! The search index the theme's script queries in the browser, with no server.
//!
//! A site of 10,000 projects holds about 50 MB of text: far too much for a phone. So the
//! index is split the way the browser needs it. Per language:
//! - `search-index.json`, the manifest: how many shards and chunks there are and where;
//! - `search/t<N>.json`, the shards of the inverted index: folded term -> postings. A term
//!   lives in the shard that the hash of its first two letters picks, so a query fetches one
//!   shard per word it types;
//! - `search/d<N>.json`, the documents (kind, title, URL, summary, areas, and the languages
//!   of those not in the index's language) in chunks of [`CHUNK`] ids, fetched only for the
//!   results shown.
//!
//! The terms are the words of [`each_word`], the one word rule that
//! `themes/default/static/search.js` applies to the query (tested against the shared
//! vectors of `tests/fixtures/search-words.json`), and the script picks shards with the same
//! hash ([`shard_of`]).
//!
//! Postings are `id << 3 | fields` (bit 1 title, 2 summary, areas, team or tags, 4 body),
//! sorted by id and written as deltas of the id (`(id - previous) << 3 | fields`), which
//! keeps the numbers short.
//!
//! The preview keeps the index between rebuilds and updates only the postings of terms an
//! edit added or removed, and rewrites only the shards and chunks that changed; the bytes are
//! the same as a full build's.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;

use crate::content::Kind;
use crate::site::pages::{SEARCH_DIR, SEARCH_INDEX_FILE};
use crate::site::{ItemId, Site, TextField};

/// Documents per chunk file.
pub const CHUNK: usize = 32;
/// Field bits of a posting.
const TITLE: u8 = 1;
const META: u8 = 2;
const BODY: u8 = 4;
/// Longer tokens are codes, hashes or URLs nobody types.
const MAX_TERM: usize = 32;
/// Characters of the summary kept for the result list.
const SUMMARY: usize = 200;

/// Characters that join the pieces of a word when one stands alone between two of them:
/// apostrophes (`O'Brien`, `Қазақстан’s`, `Oʼzbek`), hyphens (`кейс-стади`, `TRL-7`), the
/// period (`v2.0`), the underscore, the middle dot (`l·l`) and the Hebrew geresh and
/// gershayim with the ASCII quote typed for them (`צה"ל`). After NFKC, so the full-width
/// and non-breaking variants are among them.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}'
            | '\u{2019}'
            | '\u{02BC}'
            | '-'
            | '\u{2010}'
            | '.'
            | '_'
            | '\u{00B7}'
            | '"'
            | '\u{05F3}'
            | '\u{05F4}'
    )
}

/// Letters of the scripts written without spaces between words, by Script_Extensions (so
/// that the prolonged sound mark ー and 々 count too): Han, Hiragana, Katakana, the other
/// ideographic scripts (Tangut, Nüshu, Khitan) and those of Line_Break=SA (Thai, Lao, Khmer,
/// Myanmar, Tai Le, New Tai Lue, Tai Tham, Tai Viet, Ahom). Each is a word by itself: UAX #29
/// without a dictionary splits them so (and Katakana the rule splits too), while a
/// browser's segmenter, which has dictionaries, splits them by its own words.
fn is_solo(c: char) -> bool {
    use unicode_script::{Script, UnicodeScript};
    // None of these scripts is encoded below Thai.
    if c < '\u{E00}' {
        return false;
    }
    let scx = c.script_extension();
    [
        Script::Han,
        Script::Hiragana,
        Script::Katakana,
        Script::Tangut,
        Script::Nushu,
        Script::Khitan_Small_Script,
        Script::Thai,
        Script::Lao,
        Script::Khmer,
        Script::Myanmar,
        Script::Tai_Le,
        Script::New_Tai_Lue,
        Script::Tai_Tham,
        Script::Tai_Viet,
        Script::Ahom,
    ]
    .into_iter()
    .any(|s| scx.contains_script(s))
}

/// What a character is to the word rule.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Class {
    /// A letter or a decimal or letter digit (Nd, Nl): what a piece is made of.
    Base,
    /// A mark, a format character (soft hyphen, ZWJ, ZWNJ; not the zero width space, which
    /// separates words) or the Arabic tatweel: part of the piece it follows, ignored after
    /// anything else (as rule WB4 of UAX #29 attaches it to the character before it).
    Mark,
    /// A letter (or a letter digit, like the ideograph 〇) that is a word by itself
    /// ([`is_solo`]).
    Solo,
    /// See [`is_connector`].
    Connector,
    /// Anything else: spaces, punctuation, symbols, emoji, other numbers (`①` and `½` are
    /// digits after NFKC; the rest, like Tamil or Aegean numbers, are no word's part in
    /// UAX #29 either).
    Other,
}

fn class(c: char) -> Class {
    use unicode_properties::{GeneralCategory as G, UnicodeGeneralCategory};
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Base
        } else if is_connector(c) {
            Class::Connector
        } else {
            Class::Other
        };
    }
    // The Russian alphabet, the commonest letters here, kept off the table lookups.
    if ('\u{410}'..='\u{44F}').contains(&c) {
        return Class::Base;
    }
    if is_connector(c) {
        return Class::Connector;
    }
    // The tatweel only stretches the letter before it.
    if c == '\u{640}' {
        return Class::Mark;
    }
    match c.general_category() {
        G::UppercaseLetter
        | G::LowercaseLetter
        | G::TitlecaseLetter
        | G::ModifierLetter
        | G::OtherLetter
        | G::LetterNumber => {
            if is_solo(c) {
                Class::Solo
            } else {
                Class::Base
            }
        }
        G::DecimalNumber => Class::Base,
        G::NonspacingMark | G::SpacingMark | G::EnclosingMark => Class::Mark,
        G::Format if c != '\u{200B}' => Class::Mark,
        _ => Class::Other,
    }
}

/// Whether folding drops `c`: nonspacing and enclosing marks (accents, the stress mark,
/// Arabic and Hebrew vowel points, variation selectors), format characters (soft hyphen,
/// ZWJ, ZWNJ) and the Arabic tatweel, which only stretches a word.
fn dropped(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    matches!(
        c.general_category(),
        GeneralCategory::NonspacingMark | GeneralCategory::EnclosingMark | GeneralCategory::Format
    ) || c == '\u{0640}'
}

/// `c` folded, if it is a letter or digit of ASCII or of the Russian alphabet, most of any
/// text here, which need no normalisation (the same as [`fold_into`] gives).
fn fold_plain(c: char) -> Option<char> {
    match c {
        'a'..='z' | '0'..='9' | 'а'..='я' => Some(c),
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'ё' | 'Ё' => Some('е'),
        _ => None,
    }
}

/// Appends the piece `raw` folded for matching to `out` (see [`each_word`]).
fn fold_into(raw: &str, out: &mut String) {
    use unicode_normalization::UnicodeNormalization;
    let mut lower = String::with_capacity(raw.len());
    for c in raw.to_lowercase().chars() {
        match c {
            'ß' => lower.push_str("ss"),
            'ς' => lower.push('σ'),
            c => lower.push(c),
        }
    }
    // Each letter in canonical decomposition (NFD), less the marks, except the letters whose
    // mark makes a letter of its own: й (Russian, Kazakh) and the voiced kana (テ and デ
    // are two letters; their marks are kept).
    let mut stripped = String::with_capacity(lower.len());
    for c in lower.chars() {
        if c == 'й' {
            stripped.push(c);
            continue;
        }
        unicode_normalization::char::decompose_canonical(c, |d| {
            if matches!(d, '\u{3099}' | '\u{309A}') || !dropped(d) {
                stripped.push(d);
            }
        });
    }
    out.extend(stripped.nfc());
}

/// The state of splitting one text into words: characters in, compounds of folded pieces
/// out. See [`each_word`] for the rule.
#[derive(Default)]
struct Tokenizer {
    /// Where the open piece is in the segment (a piece never crosses a word boundary).
    raw: std::ops::Range<usize>,
    /// Every character of the open piece is [`plain`], and it is folded already onto
    /// `folded` from `start`.
    plain: bool,
    start: usize,
    /// A piece is open.
    open: bool,
    /// The open piece is one [`Class::Solo`] letter (and its marks).
    solo: bool,
    /// The pieces of the open compound, folded, end to end, and where each ends.
    folded: String,
    ends: Vec<usize>,
    /// One connector follows the compound's last piece.
    connector: bool,
}

impl Tokenizer {
    /// Takes the characters of one UAX #29 segment (or of a whole text in which UAX #29
    /// splits no piece).
    fn segment(&mut self, segment: &str, f: &mut impl FnMut(&str)) {
        for (i, c) in segment.char_indices() {
            match class(c) {
                Class::Base => {
                    if self.solo {
                        self.end_piece(segment, f);
                    }
                    if !self.open {
                        if !self.connector {
                            self.flush(f);
                        }
                        self.connector = false;
                        self.open_piece(i);
                    }
                    self.push(i, c);
                }
                Class::Mark => {
                    if self.open {
                        self.push(i, c);
                    }
                }
                Class::Solo => {
                    self.end_piece(segment, f);
                    self.flush(f);
                    self.open_piece(i);
                    self.solo = true;
                    self.push(i, c);
                }
                Class::Connector => {
                    self.end_piece(segment, f);
                    if self.connector || self.ends.is_empty() {
                        self.flush(f);
                    } else {
                        self.connector = true;
                    }
                }
                Class::Other => {
                    self.end_piece(segment, f);
                    self.flush(f);
                }
            }
        }
        // A word boundary inside a run of letters ends the piece; only a connector
        // continues the compound.
        self.end_piece(segment, f);
    }

    /// Opens a piece at byte `i` of the segment.
    fn open_piece(&mut self, i: usize) {
        self.open = true;
        self.plain = true;
        self.start = self.folded.len();
        self.raw = i..i;
    }

    /// Adds `c`, at byte `i` of the segment, to the open piece.
    fn push(&mut self, i: usize, c: char) {
        self.raw.end = i + c.len_utf8();
        if self.plain {
            match fold_plain(c) {
                Some(l) => self.folded.push(l),
                None => self.plain = false,
            }
        }
    }

    fn end_piece(&mut self, segment: &str, f: &mut impl FnMut(&str)) {
        if !self.open {
            return;
        }
        self.open = false;
        if !self.plain {
            self.folded.truncate(self.start);
            fold_into(&segment[self.raw.clone()], &mut self.folded);
        }
        if self.folded.len() > self.start {
            self.ends.push(self.folded.len());
        }
        if self.solo {
            self.solo = false;
            self.flush(f);
        }
    }

    /// Ends the compound: its pieces joined, then each piece; each only if it is at most
    /// [`MAX_TERM`] characters long.
    fn flush(&mut self, f: &mut impl FnMut(&str)) {
        let mut emit = |w: &str| {
            if w.len() <= MAX_TERM || w.chars().nth(MAX_TERM).is_none() {
                f(w)
            }
        };
        if self.ends.len() > 1 {
            emit(&self.folded);
        }
        let mut start = 0;
        for &end in &self.ends {
            emit(&self.folded[start..end]);
            start = end;
        }
        self.folded.clear();
        self.ends.clear();
        self.connector = false;
    }
}

/// Whether UAX #29 splits no piece of a text made of `c`s: in Latin, Greek, Cyrillic and
/// Armenian letters, digits, marks and format characters it puts no boundary
/// between two of them (rule WB4, which [`Class::Mark`] follows, joins the marks to what
/// comes before), so such a text needs no segmenter. `the_fast_path_agrees_with_uax_29`
/// tests this against the segmenter.
fn needs_no_segmenter(c: char) -> bool {
    c <= '\u{58F}'
        || ('\u{1E00}'..='\u{1EFF}').contains(&c)
        || ('\u{2000}'..='\u{206F}').contains(&c)
}

/// `text` in NFKC; almost all text is already, which is checked quickly.
fn nfkc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
    // Characters that NFKC keeps and that combine with nothing before them: a text of
    // them needs no look-up.
    let stable = |c: char| {
        c.is_ascii()
            || matches!(c, 'À'..='ÿ' | '\u{400}'..='\u{482}' | '\u{48A}'..='\u{52F}'
                | '«' | '»' | '·' | '©' | '°' | '±' | '\u{2010}' | '\u{2012}'..='\u{2016}'
                | '\u{2018}'..='\u{2023}')
    };
    if text.chars().all(stable) {
        return text.into();
    }
    match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => text.into(),
        _ => text.nfkc().collect::<String>().into(),
    }
}

/// Calls `f` with each word of `text`, in order, under the one word rule that the index
/// and `themes/default/static/search.js` share (tests/fixtures/search-words.json holds
/// the vectors both are tested against):
///
/// 1. The text is normalised to NFKC (Unicode Standard Annex #15): full-width letters,
///    ligatures (`ﬁ`), superscripts (`m²`), Arabic presentation forms and non-breaking spaces
///    become their plain forms.
/// 2. It is split at the word boundaries of Unicode Standard Annex #29 (the crate
///    `unicode-segmentation`; in the browser `Intl.Segmenter`). A *piece* is a run of
///    letters and digits with their marks and format characters (soft hyphen, ZWJ, ZWNJ),
///    with no boundary inside: emoji, symbols and punctuation are never words, `5G` is one
///    (a mark after anything else belongs to it, as rule WB4 says).
/// 3. A letter of a script written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar,
///    Tai Le, New Tai Lue, Tai Tham, Tai Viet, Ahom, Tangut, Nüshu, Khitan), with its marks,
///    is a piece and a word by itself; so is a Han numeral (`〇`).
/// 4. Pieces with one connector between them (the apostrophes `'` `‘` `’` `ʼ`, the hyphens `-`
///    `‐`, the period, the underscore, the middle dot `·`, the Hebrew geresh `׳` and gershayim
///    `״` and `"` typed for it) make a compound, whose words are the pieces joined, then each
///    piece: `O'Brien` gives `obrien`, `o`, `brien`; `TRL-7` gives `trl7`, `trl`, `7`.
/// 5. Each word is folded: lower case (Unicode's default, for every language: `İ` gives `i`
///    and a dot that the next step drops, `I` gives `i`, `ı` stays `ı`), `ß` to `ss`, `ς` to
///    `σ`, then in canonical decomposition (NFD) nonspacing and enclosing marks, format
///    characters and the tatweel are dropped, except the breve of `й` and the kana voicing
///    marks (`デ`), and the rest is composed again (NFC). So `ЗА́МОК`, `за́мок` and `замок`
///    are one word, `é` is `e` and `ё` is `е`, while letters that are no accented form of
///    another (Kazakh `ә ғ қ ң ө ұ ү һ і`, `й`, `ı`, `ł`, `ø`) stay themselves.
/// 6. Words longer than 32 characters (codes, hashes) are left out.
pub fn each_word(text: &str, f: impl FnMut(&str)) {
    let text = nfkc(text);
    let segmented = !text.chars().all(needs_no_segmenter);
    each_word_normal(&text, segmented, f)
}

/// [`each_word`] of a text in NFKC, split at the word boundaries of UAX #29 or not.
fn each_word_normal(text: &str, segmented: bool, mut f: impl FnMut(&str)) {
    use unicode_segmentation::UnicodeSegmentation;
    let mut t = Tokenizer::default();
    if segmented {
        for segment in text.split_word_bounds() {
            t.segment(segment, &mut f);
        }
    } else {
        t.segment(text, &mut f);
    }
    t.flush(&mut f);
}

/// The words of `text` (see [`each_word`]).
pub fn words(text: &str) -> Vec<String> {
    let mut v = Vec::new();
    each_word(text, |w| v.push(w.to_string()));
    v
}

/// Kazakh letters as a Russian keyboard types them (ә->а, ғ->г, қ->к, ң->н, ө->о, ұ ү->у,
/// һ->х, і->и). Not part of the word rule: words keep these letters. `search.js` matches a
/// query word typed so against the word with Kazakh letters (below an exact match), and the
/// shard of a term is picked by its first two letters folded so, which puts both in one
/// shard.
fn keyboard(c: char) -> char {
    match c {
        'ә' => 'а',
        'ғ' => 'г',
        'қ' => 'к',
        'ң' => 'н',
        'ө' => 'о',
        'ұ' | 'ү' => 'у',
        'һ' => 'х',
        'і' => 'и',
        c => c,
    }
}

/// The shard of a term: FNV-1a of the code points of its first two letters, Kazakh letters
/// as a Russian keyboard types them (ә as а, ғ as г, қ as к, ң as н, ө as о, ұ and ү as у,
/// һ as х, і as и), modulo `shards`.
pub fn shard_of(term: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for c in term.chars().take(2) {
        h ^= keyboard(c) as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h as usize % shards
}

/// How many shards an index of `docs` documents gets: about 48 documents' terms a shard,
/// a power of two, at most 256. A function of the document count only, so that an edit
/// never reshuffles the shards.
pub fn shard_count(docs: usize) -> usize {
    (docs / 48).clamp(1, 256).next_power_of_two().min(256)
}

/// One document of the index: its terms and its entry in the chunk files.
#[derive(Debug, PartialEq)]
pub struct Doc {
    /// Folded terms, sorted and unique, each ended by a newline: one allocation per
    /// document rather than one per term keeps a large site's index small.
    terms: String,
    /// The field bits of each term.
    bits: Vec<u8>,
    /// `[kind, title, url, summary, areas]` as JSON, and a sixth element,
    /// `{title, summary, areas}`, with the languages of those shown in another language.
    entry: String,
}

impl Doc {
    /// Terms and their field bits.
    fn terms(&self) -> impl Iterator<Item = (&str, u8)> {
        self.terms
            .split_terminator('\n')
            .zip(self.bits.iter().copied())
    }
}

/// The document of item `id` in language `l`; the home page has none.
pub fn doc(site: &Site, l: usize, id: ItemId) -> Option<Doc> {
    let e = &site.entries[id];
    if e.kind == Kind::Home {
        return None;
    }
    let lang = &site.config.languages[l].code;
    let v = site.version(l, id);
    let areas: Vec<&str> = e
        .original
        .meta
        .areas
        .iter()
        .flatten()
        .filter_map(|a| site.config.area_name(a, lang))
        .collect();
    // Every term of every field, folded into one buffer, then deduplicated.
    let mut buf = String::new();
    let mut spans: Vec<(u32, u32, u8)> = Vec::new();
    let mut add = |text: &str, field: u8| {
        each_word(text, |w| {
            let start = buf.len();
            buf.push_str(w);
            spans.push((start as u32, buf.len() as u32, field))
        })
    };
    add(&v.title, TITLE);
    add(v.summary.as_deref().unwrap_or(""), META);
    for a in &areas {
        add(a, META);
    }
    for m in &v.team {
        add(&m.name, META);
    }
    for t in &v.tags {
        add(t, META);
    }
    add(&v.body.text, BODY);
    let mut unique: FxHashMap<&str, u8> = FxHashMap::default();
    for &(a, b, field) in &spans {
        *unique.entry(&buf[a as usize..b as usize]).or_default() |= field;
    }
    let mut unique: Vec<(&str, u8)> = unique.into_iter().collect();
    unique.sort_unstable();
    let mut terms = String::with_capacity(unique.iter().map(|(t, _)| t.len() + 1).sum());
    for (t, _) in &unique {
        terms.push_str(t);
        terms.push('\n');
    }
    let bits = unique.iter().map(|(_, b)| *b).collect();
    let summary: String = v
        .summary
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(SUMMARY)
        .collect();
    let mut entry = json!([e.kind.name(), v.title, v.url, summary, areas.join(", ")]);
    // The languages of what a result shows when it is not this index's (issue 14): title
    // and summary inherited or borrowed, area names site.yaml gives in another language
    // only (one per area, "" for this language's).
    let mut langs = serde_json::Map::new();
    for (field, key) in [(TextField::Title, "title"), (TextField::Summary, "summary")] {
        if let Some((_, l)) = v.inherited.iter().find(|(f, _)| *f == field) {
            langs.insert(key.into(), json!(l));
        }
    }
    let area_langs: Vec<&str> = e
        .original
        .meta
        .areas
        .iter()
        .flatten()
        .filter(|a| site.config.area_name(a, lang).is_some())
        .map(|a| super::context::area_lang(&site.config, a, lang).unwrap_or(""))
        .collect();
    if area_langs.iter().any(|l| !l.is_empty()) {
        langs.insert("areas".into(), json!(area_langs));
    }
    if !langs.is_empty() {
        if let Some(a) = entry.as_array_mut() {
            a.push(langs.into());
        }
    }
    let entry = entry.to_string();
    Some(Doc { terms, bits, entry })
}

/// The index of one language.
#[derive(Default)]
struct LangIndex {
    /// Per item id: its document.
    docs: Vec<Option<Arc<Doc>>>,
    /// Per shard: term -> postings (`id << 3 | fields`, sorted).
    shards: Vec<BTreeMap<Box<str>, Vec<u32>>>,
    /// Per shard and chunk: the file's bytes.
    shard_bytes: Vec<Arc<Vec<u8>>>,
    chunk_bytes: Vec<Arc<Vec<u8>>>,
}

/// The search index of every language, kept by the preview for the next rebuild.
#[derive(Default)]
pub struct Index {
    langs: Vec<LangIndex>,
}

/// One file of the index: path in the output folder and bytes.
pub struct IndexFile {
    pub path: String,
    pub bytes: Arc<Vec<u8>>,
}

impl Index {
    /// Builds the index of `site`. With `previous` (the same items with the same ids) only
    /// the documents of `changed` items are made again, and only the files they touch.
    pub fn build(
        site: &Site,
        changed: &[bool],
        previous: Option<Index>,
    ) -> (Index, Vec<IndexFile>) {
        let count = site.config.languages.len();
        let mut previous: Vec<Option<LangIndex>> = match previous {
            Some(p) if p.langs.len() == count => p.langs.into_iter().map(Some).collect(),
            _ => (0..count).map(|_| None).collect(),
        };
        let mut langs = Vec::with_capacity(count);
        let mut files = Vec::new();
        for (l, prev) in previous.iter_mut().enumerate() {
            let index = match prev.take() {
                Some(p) if p.docs.len() == site.entries.len() => p.update(site, l, changed),
                _ => LangIndex::full(site, l),
            };
            files.extend(index.files(site, l));
            langs.push(index);
        }
        (Index { langs }, files)
    }
}

impl LangIndex {
    fn full(site: &Site, l: usize) -> LangIndex {
        let docs: Vec<Option<Arc<Doc>>> = (0..site.entries.len())
            .into_par_iter()
            .map(|id| doc(site, l, id).map(Arc::new))
            .collect();
        let n = shard_count(docs.iter().flatten().count());
        // Bucket the postings by shard, then build each shard's map in parallel. A bucket
        // entry is the document and where its term starts in the document's term list, with
        // the field bits in the top three bits: 8 bytes, since there are millions of them.
        let mut buckets: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
        for (id, d) in docs.iter().enumerate() {
            let Some(d) = d else { continue };
            let mut at = 0;
            for (t, bits) in d.terms() {
                buckets[shard_of(t, n)].push((id as u32, at as u32 | (bits as u32) << 29));
                at += t.len() + 1;
            }
        }
        let term_at = |id: u32, at: u32| -> &str {
            let terms = docs[id as usize]
                .as_deref()
                .map_or("", |d| d.terms.as_str());
            let rest = &terms[(at & 0x1fff_ffff) as usize..];
            &rest[..rest.find('\n').unwrap_or(rest.len())]
        };
        let shards: Vec<BTreeMap<Box<str>, Vec<u32>>> = buckets
            .into_par_iter()
            .map(|bucket| {
                let mut map: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
                for (id, at) in bucket {
                    map.entry(term_at(id, at))
                        .or_default()
                        .push(id << 3 | at >> 29);
                }
                map.into_iter().map(|(t, p)| (Box::from(t), p)).collect()
            })
            .collect();
        let shard_bytes = shards.par_iter().map(|s| Arc::new(shard_json(s))).collect();
        let chunk_bytes = docs
            .par_chunks(CHUNK)
            .map(|c| Arc::new(chunk_json(c)))
            .collect();
        LangIndex {
            docs,
            shards,
            shard_bytes,
            chunk_bytes,
        }
    }

    /// The index after the documents of `changed` items were made again.
    fn update(mut self, site: &Site, l: usize, changed: &[bool]) -> LangIndex {
        let n = self.shards.len();
        let ids: Vec<ItemId> = (0..site.entries.len()).filter(|&i| changed[i]).collect();
        let fresh: Vec<Option<Arc<Doc>>> = ids
            .par_iter()
            .map(|&id| doc(site, l, id).map(Arc::new))
            .collect();
        let removed = ids.iter().filter(|&&i| self.docs[i].is_some()).count();
        let documents =
            self.docs.iter().flatten().count() - removed + fresh.iter().flatten().count();
        if shard_count(documents) != n {
            return LangIndex::full(site, l);
        }
        let mut dirty_shards = vec![false; n];
        let mut dirty_chunks = vec![false; self.chunk_bytes.len()];
        for (id, new) in ids.into_iter().zip(fresh) {
            let old = self.docs[id].take();
            if old == new {
                self.docs[id] = old;
                continue;
            }
            dirty_chunks[id / CHUNK] = true;
            let before: FxHashMap<&str, u8> = old.iter().flat_map(|d| d.terms()).collect();
            let after: FxHashMap<&str, u8> = new.iter().flat_map(|d| d.terms()).collect();
            let id32 = id as u32;
            for (t, b) in &before {
                if after.get(t) != Some(b) {
                    let s = shard_of(t, n);
                    dirty_shards[s] = true;
                    if let Some(list) = self.shards[s].get_mut(*t) {
                        list.retain(|p| p >> 3 != id32);
                        if list.is_empty() {
                            self.shards[s].remove(*t);
                        }
                    }
                }
            }
            for (t, b) in &after {
                if before.get(t) != Some(b) {
                    let s = shard_of(t, n);
                    dirty_shards[s] = true;
                    let list = self.shards[s].entry(Box::from(*t)).or_default();
                    let at = list.partition_point(|p| p >> 3 < id32);
                    list.insert(at, id32 << 3 | *b as u32);
                }
            }
            self.docs[id] = new;
        }
        for (s, dirty) in dirty_shards.iter().enumerate() {
            if *dirty {
                self.shard_bytes[s] = Arc::new(shard_json(&self.shards[s]));
            }
        }
        for (c, dirty) in dirty_chunks.iter().enumerate() {
            if *dirty {
                let end = ((c + 1) * CHUNK).min(self.docs.len());
                self.chunk_bytes[c] = Arc::new(chunk_json(&self.docs[c * CHUNK..end]));
            }
        }
        self
    }

    /// The manifest, the shards and the chunks.
    fn files(&self, site: &Site, l: usize) -> Vec<IndexFile> {
        let lang = &site.config.languages[l].code;
        let prefix = site.config.lang_prefix(lang);
        let root = match prefix.trim_start_matches('/') {
            "" => String::new(),
            p => format!("{p}/"),
        };
        let dir = format!("{root}{SEARCH_DIR}/");
        let manifest = json!({
            "lang": lang,
            "version": 2,
            "documents": self.docs.iter().flatten().count(),
            "shards": self.shards.len(),
            "chunk": CHUNK,
            "chunks": self.chunk_bytes.len(),
            "base": site.url(lang, &format!("/{SEARCH_DIR}/")),
        });
        let mut files = vec![IndexFile {
            path: format!("{root}{SEARCH_INDEX_FILE}"),
            bytes: Arc::new(manifest.to_string().into_bytes()),
        }];
        for (s, b) in self.shard_bytes.iter().enumerate() {
            files.push(IndexFile {
                path: format!("{dir}t{s}.json"),
                bytes: Arc::clone(b),
            });
        }
        for (c, b) in self.chunk_bytes.iter().enumerate() {
            files.push(IndexFile {
                path: format!("{dir}d{c}.json"),
                bytes: Arc::clone(b),
            });
        }
        files
    }
}

/// A shard as JSON: `{"term":[delta-encoded postings],...}`, terms sorted.
fn shard_json(shard: &BTreeMap<Box<str>, Vec<u32>>) -> Vec<u8> {
    let mut out = String::from("{");
    for (i, (term, postings)) in shard.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(term).unwrap_or_default());
        out.push_str(":[");
        let mut previous = 0;
        for (j, p) in postings.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            let id = p >> 3;
            let _ = write!(out, "{}", (id - previous) << 3 | (p & 7));
            previous = id;
        }
        out.push(']');
    }
    out.push('}');
    out.into_bytes()
}

/// A chunk as JSON: one entry (or `null`) per id.
fn chunk_json(docs: &[Option<Arc<Doc>>]) -> Vec<u8> {
    let mut out = String::from("[");
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match d {
            Some(d) => out.push_str(&d.entry),
            None => out.push_str("null"),
        }
    }
    out.push(']');
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stress_mark_does_not_split_a_word() {
        // U+0301 on a Cyrillic letter has no composed form: it was a word boundary.
        assert_eq!(words("ЗА\u{301}МОК"), ["замок"]);
        assert_eq!(words("за\u{301}мок замок"), ["замок", "замок"]);
    }

    #[test]
    fn folds_case_and_accents_but_keeps_letters() {
        assert_eq!(words("Café NAÏVE"), ["cafe", "naive"]);
        assert_eq!(words("Ёлка Йод"), ["елка", "йод"]);
        assert_eq!(words("ҚАЗАҚСТАН әғқңөұүһі"), ["қазақстан", "әғқңөұүһі"]);
        assert_eq!(
            words("İSTANBUL Istanbul ırmak"),
            ["istanbul", "istanbul", "ırmak"]
        );
        assert_eq!(words("STRASSE Straße ΟΔΟΣ"), ["strasse", "strasse", "οδοσ"]);
    }

    #[test]
    fn decomposed_text_gives_the_same_words() {
        // "résumé" and "йод" with combining accents, as some editors write them.
        assert_eq!(words("re\u{301}sume\u{301}"), ["resume"]);
        assert_eq!(words("и\u{306}од"), ["йод"]);
    }

    #[test]
    fn splits_into_words_and_compounds() {
        assert_eq!(
            words("Satellite-link (LEO), v2; ғарыш!"),
            ["satellitelink", "satellite", "link", "leo", "v2", "ғарыш"]
        );
        assert_eq!(words("O'Brien 5G"), ["obrien", "o", "brien", "5g"]);
        assert_eq!(words("東京"), ["東", "京"]);
        assert!(words(&"a".repeat(MAX_TERM + 1)).is_empty());
        assert_eq!(words(&"a".repeat(MAX_TERM)).len(), 1);
        // The joined word is too long; its pieces are words.
        assert_eq!(words(&format!("{0}-{0}", "a".repeat(20))).len(), 2);
    }

    #[test]
    fn the_fast_path_folds_as_the_general_one() {
        for c in ('\0'..='\u{7F}').chain('\u{400}'..='\u{4FF}') {
            if let Some(l) = fold_plain(c) {
                let mut general = String::new();
                fold_into(&c.to_string(), &mut general);
                assert_eq!(general, l.to_string(), "{c}");
            }
        }
    }

    /// Characters of every class the rule knows, so that random texts meet them often.
    const ALPHABET: &[char] = &[
        'a', 'Z', 'é', 'ж', 'Ё', 'й', 'И', 'ә', 'Қ', 'İ', 'ı', 'ß', 'Σ', 'ς', 'ש', 'ա', '7', '٣',
        '\u{301}', '\u{306}', '\u{308}', '\u{483}', '\u{5B8}', '\u{93F}', '\u{AD}', '\u{200B}',
        '\u{200C}', '\u{200D}', '\u{200E}', '\u{2060}', '\'', '’', '‘', 'ʼ', '-', '‐', '‑', '.',
        '_', '·', '"', '׳', '״', ' ', '\u{A0}', '\n', ',', ':', ';', '/', '@', '«', '—', '‧', '²',
        '½', '\u{2C2}', '\u{55A}', '\u{58A}', '東', 'デ', 'ー', 'ส', '\u{E31}', '한', 'ـ', '🚀',
        '\u{FE0F}', '\u{20E3}', 'ﬁ', 'Ａ',
    ];

    /// Texts of up to 24 characters, half of them from `alphabet`.
    fn text_of(
        alphabet: Vec<char>,
        strategy: impl proptest::strategy::Strategy<Value = char>,
    ) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![proptest::sample::select(alphabet), strategy],
            0..24,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// In the scripts where the index skips the segmenter, UAX #29 splits no piece: the
        /// words are the same with it.
        #[test]
        fn the_fast_path_agrees_with_uax_29(text in text_of(
            ALPHABET.iter().copied().filter(|&c| needs_no_segmenter(c)).collect(),
            proptest::char::ranges(
                vec!['\0'..='\u{58F}', '\u{1E00}'..='\u{1EFF}', '\u{2000}'..='\u{206F}'].into(),
            ),
        )) {
            let text = nfkc(&text);
            proptest::prop_assume!(text.chars().all(needs_no_segmenter));
            let (mut fast, mut uax) = (Vec::new(), Vec::new());
            each_word_normal(&text, false, |w| fast.push(w.to_string()));
            each_word_normal(&text, true, |w| uax.push(w.to_string()));
            proptest::prop_assert_eq!(fast, uax);
        }

        /// A word is its own only word: a query that repeats a word of the index (copied
        /// from a page, or typed as the index holds it) finds it.
        /// (In the blocks of the scripts a site here may contain, not in the whole of
        /// Unicode: the crates' versions, 17 and 18, differ on the letters added since.)
        #[test]
        fn a_word_is_folded_once_and_for_all(text in text_of(ALPHABET.to_vec(), proptest::char::ranges(
            vec![
                '\0'..='\u{58F}',       // Latin, Greek, Cyrillic, Armenian
                '\u{5D0}'..='\u{5F4}',  // Hebrew letters
                '\u{600}'..='\u{6FF}',  // Arabic
                '\u{900}'..='\u{97F}',  // Devanagari
                '\u{E00}'..='\u{E5B}',  // Thai
                '\u{1E00}'..='\u{1FFE}', // Latin and Greek extended
                '\u{2000}'..='\u{218B}', // punctuation, super- and subscripts, letterlike, numbers
                '\u{3000}'..='\u{30FF}', // CJK punctuation, kana
                '\u{4E00}'..='\u{9FFF}', // CJK ideographs
                '\u{AC00}'..='\u{D7A3}', // Hangul
                '\u{FB00}'..='\u{FB4F}', // ligatures
                '\u{FE70}'..='\u{FEFC}', // Arabic presentation forms
                '\u{FF00}'..='\u{FFEF}', // full and half width
                '\u{1F300}'..='\u{1F64F}', // emoji
            ]
            .into(),
        ))) {
            for w in words(&text) {
                proptest::prop_assert_eq!(words(&w), vec![w.clone()], "{:?}", text);
            }
        }
    }

    #[test]
    fn shards_by_first_two_letters() {
        assert_eq!(shard_of("спутник", 64), shard_of("спектр", 64));
        // Kazakh letters pick the shard of the Russian keyboard's letters.
        assert_eq!(shard_of("ғарыш", 64), shard_of("гарыш", 64));
        assert_eq!(shard_of("a", 1), 0);
        // The same numbers as search.js computes (FNV-1a over code points).
        assert_eq!(
            shard_of("ab", 1 << 30),
            (((0x811c9dc5u32 ^ 97).wrapping_mul(16777619) ^ 98).wrapping_mul(16777619) as usize)
                % (1 << 30)
        );
    }

    #[test]
    fn shard_count_depends_on_documents_only() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(14), 1);
        assert_eq!(shard_count(1000), 32);
        assert_eq!(shard_count(12_300), 256);
        assert_eq!(shard_count(1_000_000), 256);
    }

    #[test]
    fn shard_json_writes_deltas() {
        let mut s = BTreeMap::new();
        s.insert(Box::from("leo"), vec![3 << 3 | 1, 10 << 3 | 4]);
        assert_eq!(
            String::from_utf8(shard_json(&s)).unwrap(),
            r#"{"leo":[25,60]}"#
        );
    }
}
