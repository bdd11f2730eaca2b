//! The search's one word rule (issue 14, item 5), held by the index (`src/render/search.rs`)
//! and by the browser's `search.js` alike: the vectors of `tests/fixtures/search-words.json`
//! (`{note, text, words}`, every script and class the site may contain) are run against the
//! Rust tokenizer and, in headless Chromium, against `search.js` (with `Intl.Segmenter` and
//! with the fallback for browsers without it). A whole site then shows that a title written
//! with a stress mark, a Kazakh word and a word with `é` are found as visitors type them.
//!
//! Without Chromium the browser tests are ignored, with the reason (see `support::browser`).
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

mod support;
use support::browser::{chromium_required, launch, Page};
use support::TestSite;

/// The shared vectors: `(note, text, words)`.
fn vectors() -> Vec<(String, String, Vec<String>)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/search-words.json"
    );
    let all: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all.iter()
        .map(|v| {
            (
                v["note"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
                serde_json::from_value(v["words"].clone()).unwrap(),
            )
        })
        .collect()
}

/// Every vector whose words differ from `actual`'s, as one readable list.
fn mismatches(actual: &[Vec<String>]) -> Vec<String> {
    vectors()
        .into_iter()
        .zip(actual)
        .filter(|((_, _, want), got)| want != *got)
        .map(|((note, text, want), got)| format!("{note}: {text:?}: want {want:?}, got {got:?}"))
        .collect()
}

#[test]
fn the_vectors_cover_every_class() {
    let v = vectors();
    assert!(v.len() >= 40, "{} vectors", v.len());
    // Each script and class of the rule has at least one vector.
    for needle in [
        "\u{301}", "Қ", "é", "İ", "ı", "'", "\u{2019}", "-", "5G", "TRL-7", "\u{200D}", "\u{200C}",
        "\u{200B}", "\u{AD}", "\u{A0}", "東", "デ", "한", "ส", "َ", "ָ", "🚀", "Σ", "ß", "ि", "Ａ",
        "ﬁ",
    ] {
        assert!(
            v.iter().any(|(_, text, _)| text.contains(needle)),
            "no vector holds {needle:?}"
        );
    }
}

#[test]
fn the_index_splits_words_as_the_vectors_say() {
    let actual: Vec<Vec<String>> = vectors()
        .iter()
        .map(|(_, text, _)| showcase::render::search::words(text))
        .collect();
    assert_eq!(mismatches(&actual), Vec::<String>::new());
}

/// `showcaseSearch.words` of every vector, evaluated in `page`.
fn browser_words(page: &mut Page) -> Vec<Vec<String>> {
    let texts: Vec<String> = vectors().into_iter().map(|(_, t, _)| t).collect();
    let v = page.eval(&format!(
        "JSON.stringify({}.map(t => window.showcaseSearch.words(t)))",
        json!(texts)
    ));
    serde_json::from_str(v.as_str().expect("showcaseSearch.words answered")).unwrap()
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn search_js_splits_words_as_the_vectors_say() {
    let bin = chromium_required();
    let site = TestSite::new(support::BASE);
    let server = site.serve(&[]);
    let browser = launch(&bin);
    let url = format!("http://{}/search/", server.addr);

    let mut page = Page::open(&browser, "about:blank");
    page.navigate(&url);
    assert!(
        page.wait_for("!!window.showcaseSearch", 15),
        "search.js did not load"
    );
    assert_eq!(page.eval("typeof Intl.Segmenter"), json!("function"));
    assert_eq!(mismatches(&browser_words(&mut page)), Vec::<String>::new());

    // A browser without Intl.Segmenter takes the fallback, with the same words.
    let mut old = Page::open(&browser, "about:blank");
    old.call("Page.enable", json!({}));
    old.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "delete Intl.Segmenter;" }),
    );
    old.navigate(&url);
    assert!(
        old.wait_for("!!window.showcaseSearch", 15),
        "search.js did not load"
    );
    assert_eq!(old.eval("typeof Intl.Segmenter"), json!("undefined"));
    assert_eq!(mismatches(&browser_words(&mut old)), Vec::<String>::new());
}

/// A site whose titles and texts hold the classes visitors type differently.
const WORDS_SITE: &str = "
-- content/projects/zamok.md --
---
title: \"ЗА\u{301}МОК\"
summary: A lock for field equipment.
cohort: 2025-autumn
areas: [telecom]
stage: idea
trl: 2
---
Ключ и засов.
-- content/projects/kol-radio.md --
---
title: Hand radio
summary: A radio held in the hand.
cohort: 2025-autumn
areas: [telecom]
stage: idea
trl: 3
---
Radio.
-- content/projects/kol-radio.kk.md --
---
title: Қол радиосы
summary: Жерсеріктік байланысқа арналған қол радиосы.
---
Ұлттық ғарыш агенттігімен бірге.
-- content/projects/kolokol.md --
---
title: Bell
summary: A bell.
cohort: 2025-autumn
areas: [telecom]
stage: idea
trl: 3
---
Bell.
-- content/projects/kolokol.kk.md --
---
title: Кол қоңырауы
summary: Қоңырау.
---
Қоңырау.
-- content/projects/cafe-drone.md --
---
title: Café Drone
summary: Deliveries for Liam O'Brien's café, at TRL-7.
cohort: 2025-autumn
areas: [satellite]
stage: pilot
trl: 7
---
Coffee by air.
";

/// The titles of the results of `query`, typed into the search field as a keyboard would.
fn results(page: &mut Page, query: &str) -> Vec<String> {
    // The status is written when a search has its results (a stale one is dropped), the
    // list once their documents are loaded: an emptied status and list show when this
    // query's results are in.
    page.eval(
        "(e => { e.focus(); e.select(); document.getElementById('search-status').textContent = ''; document.getElementById('search-results').textContent = ''; })(document.getElementById('search-q'))",
    );
    page.call("Input.insertText", json!({ "text": query }));
    assert!(
        page.wait_for(
            &format!(
                "new URLSearchParams(location.search).get('q') === {} && (!!document.querySelector('#search-results li') || document.getElementById('search-status').textContent === document.getElementById('search-form').dataset.none)",
                json!(query)
            ),
            10,
        ),
        "{query}: no results shown: {}",
        page.eval("JSON.stringify([location.href, document.getElementById('search-q').value, document.getElementById('search-status').textContent, document.readyState])")
    );
    let v = page.eval(
        "JSON.stringify(Array.from(document.querySelectorAll('#search-results .search-title')).map(e => e.textContent))",
    );
    serde_json::from_str(v.as_str().unwrap_or("[]")).unwrap()
}

#[test]
fn a_word_with_a_stress_mark_is_indexed_whole() {
    let site = TestSite::base_with(WORDS_SITE);
    site.build();
    let mut terms = Vec::new();
    for f in site.output_files() {
        if f.starts_with("search/t") {
            let shard: serde_json::Map<String, Value> =
                serde_json::from_str(&site.read(&f)).unwrap();
            terms.extend(shard.keys().cloned());
        }
    }
    assert!(terms.iter().any(|t| t == "замок"), "{terms:?}");
    for broken in ["за", "мок"] {
        assert!(!terms.iter().any(|t| t == broken), "{broken} in {terms:?}");
    }
    // Compounds: joined and in pieces.
    for t in ["obriens", "brien", "trl7", "trl"] {
        assert!(terms.iter().any(|x| x == t), "{t} not in {terms:?}");
    }
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn visitors_find_stressed_kazakh_and_accented_words() {
    let bin = chromium_required();
    let site = TestSite::base_with(WORDS_SITE);
    let server = site.serve(&[]);
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    page.call("Runtime.enable", json!({}));
    page.call("Log.enable", json!({}));

    page.navigate(&format!("http://{}/search/", server.addr));
    assert!(page.wait_for("!!window.showcaseSearch", 15));
    // The title is "ЗА́МОК": typed without the mark, in any case, with it, or as a prefix.
    for q in ["замок", "ЗАМОК", "за\u{301}мок", "зам"] {
        assert_eq!(
            results(&mut page, q).first().map(String::as_str),
            Some("ЗА\u{301}МОК"),
            "{q}"
        );
    }
    // é typed or not; an apostrophe typed or not; a hyphenated level.
    for q in ["cafe", "Café", "CAFÉ", "cafe\u{301}"] {
        assert_eq!(results(&mut page, q), ["Café Drone"], "{q}");
    }
    for q in [
        "O'Brien",
        "obrien",
        "O\u{2019}Brien\u{2019}s",
        "brien",
        "TRL-7",
        "trl7",
    ] {
        assert_eq!(results(&mut page, q), ["Café Drone"], "{q}");
    }

    page.navigate(&format!("http://{}/kk/search/", server.addr));
    assert!(page.wait_for("!!window.showcaseSearch", 15));
    // Kazakh words with their own letters, and in capitals.
    for q in ["жерсеріктік", "ЖЕРСЕРІКТІК", "ғарыш", "ұлттық"] {
        assert_eq!(results(&mut page, q), ["Қол радиосы"], "{q}");
    }
    // қол and кол are two words: each finds its own first, and the other (typed as on a
    // Russian keyboard) after it.
    assert_eq!(results(&mut page, "қол"), ["Қол радиосы", "Кол қоңырауы"]);
    assert_eq!(results(&mut page, "кол"), ["Кол қоңырауы", "Қол радиосы"]);
    // A Russian keyboard without Kazakh letters still finds the word.
    assert_eq!(results(&mut page, "жерсериктик"), ["Қол радиосы"]);
    assert_eq!(page.errors(), Vec::<String>::new(), "console errors");
}
