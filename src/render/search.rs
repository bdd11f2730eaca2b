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
//! Folding and splitting into terms here must match `themes/default/static/search.js`
//! exactly: the script folds the query with the same rules and the same hash.
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

/// Folds one character as search.js does: lower case, Kazakh letters to their Russian
/// neighbours (ә->а, ғ->г, қ->к, ң->н, ө->о, ұ ү->у, һ->х, і->и), ё->е, and accents dropped
/// from Latin letters (é->e); й stays й.
fn fold_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    // Russian capitals: the commonest non-ASCII letters, kept off the slow path.
    if ('А'..='Я').contains(&c) {
        out.push(char::from_u32(c as u32 + 32).unwrap_or(c));
        return;
    }
    if ('а'..='я').contains(&c) && c != 'й' {
        out.push(c);
        return;
    }
    for l in c.to_lowercase() {
        let m = match l {
            'ә' => 'а',
            'ғ' => 'г',
            'қ' => 'к',
            'ң' => 'н',
            'ө' => 'о',
            'ұ' | 'ү' => 'у',
            'һ' => 'х',
            'і' => 'и',
            'ё' => 'е',
            'й' => 'й',
            _ => {
                unicode_normalization::char::decompose_canonical(l, |d| {
                    if !unicode_normalization::char::is_combining_mark(d) {
                        out.push(d);
                    }
                });
                continue;
            }
        };
        out.push(m);
    }
}

/// `s` folded for search (see `fold_into`).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_into(c, &mut out);
    }
    out
}

/// Calls `f` with each folded term of `s`: a run of letters and digits.
pub fn each_term(s: &str, f: impl FnMut(&str)) {
    each_term_composed(&composed(s), f)
}

/// `s` in composed form (NFC), so that "é" written as e + accent is one letter, as
/// search.js sees it. Almost all text is composed already: that is checked quickly.
fn composed(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => s.into(),
        _ => s.nfc().collect::<String>().into(),
    }
}

fn each_term_composed(s: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    each_span(s, &mut word, |w, start| {
        f(&w[start..]);
        w.truncate(start);
    });
}

/// Folds the terms of `s` onto the end of `buf`, calling `f(buf, start)` after each one
/// (the term is `buf[start..]`); terms longer than [`MAX_TERM`] are dropped.
fn each_span(s: &str, buf: &mut String, mut f: impl FnMut(&mut String, usize)) {
    let mut start = buf.len();
    let mut chars = 0;
    let mut end_word = |buf: &mut String, chars: &mut usize, start: &mut usize| {
        if *chars > MAX_TERM {
            buf.truncate(*start);
        } else if buf.len() > *start {
            f(buf, *start);
        }
        *start = buf.len();
        *chars = 0;
    };
    for c in s.chars() {
        if c.is_ascii_alphanumeric()
            || (!c.is_ascii() && (('А'..='я').contains(&c) || c.is_alphanumeric()))
        {
            fold_into(c, buf);
            chars += 1;
        } else if chars > 0 {
            end_word(buf, &mut chars, &mut start);
        }
    }
    end_word(buf, &mut chars, &mut start);
}

/// The shard of a term: FNV-1a of the code points of its first two letters, modulo `shards`.
pub fn shard_of(term: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for c in term.chars().take(2) {
        h ^= c as u32;
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
        each_span(&composed(text), &mut buf, |b, start| {
            spans.push((start as u32, b.len() as u32, field))
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

    fn terms(s: &str) -> Vec<String> {
        let mut v = Vec::new();
        each_term(s, |t| v.push(t.to_string()));
        v
    }

    #[test]
    fn folds_kazakh_russian_and_accents() {
        assert_eq!(fold("Қазақстан"), "казакстан");
        assert_eq!(fold("ӘҒҚҢӨҰҮҺІ"), "агкноуухи");
        assert_eq!(fold("Ёлка"), "елка");
        assert_eq!(fold("Йод"), "йод");
        assert_eq!(fold("Café NAÏVE"), "cafe naive");
        assert_eq!(fold("Спутник"), "спутник");
    }

    #[test]
    fn decomposed_text_gives_the_same_terms() {
        // "résumé" and "йод" with combining accents, as some editors write them.
        assert_eq!(terms("re\u{301}sume\u{301}"), ["resume"]);
        assert_eq!(terms("и\u{306}од"), ["йод"]);
    }

    #[test]
    fn splits_into_terms() {
        assert_eq!(
            terms("Satellite-link (LEO), v2.0; ғарыш!"),
            ["satellite", "link", "leo", "v2", "0", "гарыш"]
        );
        assert!(terms(&"a".repeat(MAX_TERM + 1)).is_empty());
        assert_eq!(terms(&"a".repeat(MAX_TERM)).len(), 1);
    }

    #[test]
    fn shards_by_first_two_letters() {
        assert_eq!(shard_of("спутник", 64), shard_of("спектр", 64));
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
