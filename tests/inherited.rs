//! Inherited text is marked (issue 14, item 8). A translation inherits every field it does
//! not set from the original: the team, tags, a cohort's track, a demo day's venue, gallery
//! texts, even the body; an item without a translation borrows everything along the
//! fallback chain; an area named in site.yaml in one language only is shown in it. Every
//! such text, wherever a Russian or Kazakh page shows it (the item's page, cards in lists,
//! the home page, filters, the feed, search results), sits inside an element whose `lang`
//! is the text's language, and the translation report names the fields. Pages are walked
//! with a real HTML parser (scraper, html5ever).
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use scraper::{ElementRef, Html, Node};
use serde_json::{json, Value};

mod support;
use support::browser::{axe_source, axe_violations, chromium_required, launch, Page};
use support::TestSite;

/// `mast` has a Russian translation that sets its title, summary and body only: its team
/// and gallery texts are the English ones. The cohort's Russian file has no track and no
/// body, the demo day's no venue, the Russian news no summary and no tags; the Kazakh news
/// is whole. Nothing else is in Kazakh: Kazakh pages borrow the Russian text, and the
/// English where Russian has none. `radio` is named in English only, `satellite` has no
/// Kazakh name.
const SITE: &str = r#"
-- site.yaml --
title: Inherit Park
base_url: https://inherit.example.kz
languages:
  ru: { title: Парк наследования }
  kk: { title: Мұра паркі }
areas:
  telecom: { en: Telecom, ru: Связь, kk: Байланыс }
  radio: Radio
  satellite: { en: Satellite, ru: Спутники }
-- static/images/mast.svg --
<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" viewBox="0 0 40 30"><rect width="40" height="30" fill="navy"/></svg>
-- content/_index.md --
---
title: Inherit Park
---
Welcome to the English park.
-- content/_index.ru.md --
---
title: Парк наследования
---
Добро пожаловать в парк.
-- content/cohorts/c1.md --
---
title: Ground Cohort
start: 2026-01-10
end: 2026-03-10
track: Ground segment track
---
English cohort body.
-- content/cohorts/c1.ru.md --
---
title: Наземная когорта
---
-- content/projects/mast.md --
---
title: Mast Radio
summary: A radio mast that sets itself up.
description: The self-raising radio mast of the park.
cohort: c1
areas: [telecom, radio, satellite]
stage: pilot
trl: 6
featured: true
team:
  - {name: Aida Bekova, role: Chief Radio Engineer}
gallery:
  - {src: /images/mast.svg, alt: The mast folded on a truck, caption: Folded for transport}
---
Mast body in English.
-- content/projects/mast.ru.md --
---
title: Мачта Радио
summary: Радиомачта, которая ставит себя сама.
description: Самоподъёмная мачта.
---
Тело мачты по-русски.
-- content/demos/day.md --
---
title: Spring Demo Day
date: 2026-03-10
venue: House of the Army
cohort: c1
projects: [mast]
---
Demo body.
-- content/demos/day.ru.md --
---
title: Весенний демо-день
---
Демо по-русски.
-- content/news/2026-03-11-mast-news.md --
---
title: Mast news
summary: The mast stood up by itself.
tags: [masts, field-trials]
projects: [mast]
---
News body.
-- content/news/2026-03-11-mast-news.ru.md --
---
title: Новость мачты
---
Мачта встала сама.
-- content/news/2026-03-11-mast-news.kk.md --
---
title: Мачта жаңалығы
summary: Мачта өзі тұрды.
tags: [мачталар]
---
Мачта өзі тұрды.
-- content/pages/about.md --
---
title: About the English park
---
About body in English only.
"#;

/// How a marker is found in a text node (trimmed) or an `alt`.
#[derive(Clone, Copy)]
enum Find {
    /// Anywhere in the text.
    Contains,
    /// The whole text, or the text followed by ` (` (a filter option's count).
    Name,
}

/// (page language, the language of the text there).
type Shown = &'static [(&'static str, &'static str)];

/// Texts the pages show in another language than their own: (text, how to find it, the
/// page languages it is inherited on, its language there).
const MARKERS: &[(&str, Find, Shown)] = &[
    // The team and gallery texts of `mast`, on its Russian and (borrowed) Kazakh page.
    (
        "Chief Radio Engineer",
        Find::Contains,
        &[("ru", "en"), ("kk", "en")],
    ),
    ("Aida Bekova", Find::Contains, &[("ru", "en"), ("kk", "en")]),
    (
        "The mast folded on a truck",
        Find::Contains,
        &[("ru", "en"), ("kk", "en")],
    ),
    (
        "Folded for transport",
        Find::Contains,
        &[("ru", "en"), ("kk", "en")],
    ),
    // The cohort's track and body, the demo day's venue.
    (
        "Ground segment track",
        Find::Contains,
        &[("ru", "en"), ("kk", "en")],
    ),
    (
        "English cohort body.",
        Find::Contains,
        &[("ru", "en"), ("kk", "en")],
    ),
    (
        "House of the Army",
        Find::Contains,
        &[("ru", "en"), ("kk", "en")],
    ),
    // The Russian news inherits its summary and tags; the Kazakh one has its own.
    (
        "The mast stood up by itself.",
        Find::Contains,
        &[("ru", "en")],
    ),
    ("masts", Find::Name, &[("ru", "en")]),
    ("field-trials", Find::Name, &[("ru", "en")]),
    // A page in English only.
    (
        "About the English park",
        Find::Contains,
        &[("ru", "en"), ("kk", "en")],
    ),
    (
        "About body in English only.",
        Find::Contains,
        &[("ru", "en"), ("kk", "en")],
    ),
    // Russian text on Kazakh pages, borrowed along the chain kk -> ru -> en.
    ("Мачта Радио", Find::Contains, &[("kk", "ru")]),
    (
        "Радиомачта, которая ставит себя сама.",
        Find::Contains,
        &[("kk", "ru")],
    ),
    ("Тело мачты по-русски.", Find::Contains, &[("kk", "ru")]),
    ("Наземная когорта", Find::Contains, &[("kk", "ru")]),
    ("Весенний демо-день", Find::Contains, &[("kk", "ru")]),
    ("Добро пожаловать в парк.", Find::Contains, &[("kk", "ru")]),
    // Area names site.yaml gives in one language only.
    ("Radio", Find::Name, &[("ru", "en"), ("kk", "en")]),
    ("Спутники", Find::Name, &[("kk", "ru")]),
];

/// Texts each page language has of its own: never marked with another language there.
const OWN: &[(&str, &str)] = &[
    ("ru", "Тело мачты по-русски."),
    ("ru", "Связь"),
    ("ru", "Спутники"),
    ("kk", "мачталар"),
    ("kk", "Мачта өзі тұрды."),
    ("kk", "Байланыс"),
];

fn found(text: &str, marker: &str, how: Find) -> bool {
    let text = text.trim();
    match how {
        Find::Contains => text.contains(marker),
        Find::Name => text == marker || text.starts_with(&format!("{marker} (")),
    }
}

/// The language `e` is read in: its own `lang` or its nearest ancestor's.
fn lang_of(e: ElementRef<'_>) -> String {
    std::iter::once(e)
        .chain(e.ancestors().filter_map(ElementRef::wrap))
        .find_map(|x| x.value().attr("lang"))
        .unwrap_or("")
        .to_string()
}

/// Every text a reader meets in the body of `html` (text nodes and `alt`s), with the
/// element that holds it. `<head>` (the document title, meta tags) is left out: it has no
/// place for a `lang` of its own.
fn texts(doc: &Html) -> Vec<(String, ElementRef<'_>)> {
    let mut out = Vec::new();
    for node in doc.root_element().descendants() {
        let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
            continue;
        };
        if parent
            .ancestors()
            .filter_map(ElementRef::wrap)
            .chain(std::iter::once(parent))
            .any(|e| ["head", "script", "style", "template"].contains(&e.value().name()))
        {
            continue;
        }
        match node.value() {
            Node::Text(t) if !t.trim().is_empty() => out.push((t.to_string(), parent)),
            Node::Element(e) => {
                if let (Some(alt), Some(me)) = (e.attr("alt"), ElementRef::wrap(node)) {
                    out.push((alt.to_string(), me));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_inherited_text_on_every_page_carries_its_language() {
    let site = TestSite::new(SITE);
    let r = site.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut own_seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let files = site.output_files();
    for file in files.iter().filter(|f| f.ends_with(".html")) {
        let page_lang = match file.split('/').next() {
            Some("ru") => "ru",
            Some("kk") => "kk",
            _ => "en",
        };
        let doc = Html::parse_document(&site.read(file));
        for (text, holder) in texts(&doc) {
            for &(marker, how, langs) in MARKERS {
                if !found(&text, marker, how) {
                    continue;
                }
                let expected = langs
                    .iter()
                    .find(|(on, _)| *on == page_lang)
                    .map_or(page_lang, |(_, l)| l);
                assert_eq!(
                    lang_of(holder),
                    expected,
                    "{file}: {marker:?} in <{}> is read as the wrong language",
                    holder.value().name()
                );
                *seen.entry((page_lang, marker)).or_default() += 1;
            }
            for &(lang, own) in OWN {
                if lang == page_lang && found(&text, own, Find::Name) {
                    assert_eq!(lang_of(holder), lang, "{file}: {own:?}");
                    *own_seen.entry((lang, own)).or_default() += 1;
                }
            }
        }
    }
    // Every marker was met where it is inherited, on its item's page and in lists: the
    // test looked at real text, not at nothing.
    for &(marker, _, langs) in MARKERS {
        for (on, _) in langs.iter() {
            let n = seen.get(&(*on, marker)).copied().unwrap_or(0);
            assert!(n >= 1, "{marker:?} never shown on a {on} page");
        }
    }
    for &(lang, own) in OWN {
        assert!(
            own_seen.contains_key(&(lang, own)),
            "{own:?} never on a {lang} page"
        );
    }
    // Where each is shown: the team on the item's page, the track on the cohorts list, the
    // venue on the home page's demo card, the tags in the news list, area names on cards.
    for (lang, marker, least) in [
        ("ru", "Chief Radio Engineer", 1),
        ("ru", "Ground segment track", 2),
        ("ru", "House of the Army", 3),
        ("ru", "masts", 3),
        ("ru", "Radio", 6),
        ("kk", "Спутники", 6),
    ] {
        let n = seen[&(lang, marker)];
        assert!(n >= least, "{marker:?} shown {n} times on {lang} pages");
    }
}

#[test]
fn the_template_sees_which_fields_are_inherited() {
    let site = TestSite::new(SITE);
    site.write(
        "templates/project.html",
        "{% for f, l in page.inherited %}{{ f }}={{ l }};{% endfor %}|{% for a in areas %}{{ a.key }}={{ a.lang | default(value='') }};{% endfor %}|{% for k, l in site.area_langs %}{{ k }}={{ l }};{% endfor %}",
    );
    site.build();
    // (The build puts the Content-Security-Policy first in every page: the ends are read.)
    let en = site.read("projects/mast/index.html");
    assert!(en.ends_with(">|telecom=;radio=;satellite=;|"), "{en}");
    let ru = site.read("ru/projects/mast/index.html");
    assert!(
        ru.ends_with("team=en;gallery=en;|telecom=;radio=en;satellite=;|radio=en;"),
        "{ru}"
    );
    let kk = site.read("kk/projects/mast/index.html");
    assert!(
        kk.ends_with("title=ru;summary=ru;description=ru;body=ru;team=en;gallery=en;|telecom=;radio=en;satellite=ru;|radio=en;satellite=ru;"),
        "{kk}"
    );
}

#[test]
fn feeds_and_search_indexes_mark_inherited_text() {
    let site = TestSite::new(SITE);
    site.build();
    let feed = site.read("ru/news/atom.xml");
    let xml = roxmltree::Document::parse(&feed).unwrap();
    let entry = xml.descendants().find(|n| n.has_tag_name("entry")).unwrap();
    let xml_lang = |n: roxmltree::Node<'_, '_>| {
        n.ancestors()
            .find_map(|a| a.attribute(("http://www.w3.org/XML/1998/namespace", "lang")))
            .unwrap_or("")
            .to_string()
    };
    let child = |name: &str| entry.children().find(|c| c.has_tag_name(name)).unwrap();
    assert_eq!(xml_lang(child("title")), "ru");
    assert_eq!(xml_lang(child("summary")), "en");
    assert_eq!(xml_lang(child("content")), "ru");
    for c in entry.children().filter(|c| c.has_tag_name("category")) {
        assert_eq!(xml_lang(c), "en", "{:?}", c.attribute("term"));
    }
    // Search results: the document of `mast` in Kazakh names the languages of what it
    // shows that is not Kazakh.
    let docs = |lang: &str| -> Vec<Value> {
        let manifest: Value =
            serde_json::from_str(&site.read(&format!("{lang}/search-index.json"))).unwrap();
        let chunks = manifest["chunks"].as_u64().unwrap();
        (0..chunks)
            .flat_map(|n| {
                let chunk: Value =
                    serde_json::from_str(&site.read(&format!("{lang}/search/d{n}.json"))).unwrap();
                chunk.as_array().unwrap().clone()
            })
            .filter(|d| !d.is_null())
            .collect()
    };
    let kk = docs("kk");
    let mast = kk.iter().find(|d| d[1] == "Мачта Радио").unwrap();
    assert_eq!(
        mast[5],
        json!({"title": "ru", "summary": "ru", "areas": ["", "en", "ru"]})
    );
    let ru = docs("ru");
    let news = ru.iter().find(|d| d[1] == "Новость мачты").unwrap();
    assert_eq!(news[5], json!({"summary": "en"}));
    // A document with nothing in another language has no sixth element.
    let kk_news = kk.iter().find(|d| d[1] == "Мачта жаңалығы").unwrap();
    assert_eq!(kk_news.as_array().unwrap().len(), 5, "{kk_news}");
}

#[test]
fn the_report_names_the_untranslated_fields() {
    let site = TestSite::new(SITE);
    let r = site.run(&["check", "--translations"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "ru: 1 of 6 items translated, 4 partly translated, 1 missing, 0 outdated\n",
        "    partly    c1         content/cohorts/c1.ru.md: not translated: text of the page, track; the page shows the `en` text\n",
        "    partly    day        content/demos/day.ru.md: not translated: venue; the page shows the `en` text\n",
        "    partly    mast       content/projects/mast.ru.md: not translated: team names and roles, photo descriptions and captions; the page shows the `en` text\n",
        "    partly    mast-news  content/news/2026-03-11-mast-news.ru.md: not translated: summary, tags; the page shows the `en` text\n",
        "  news     1 of 1 translated\n",
        "    missing   mast       content/projects/mast.kk.md: no translation; the page shows the `ru` text; in `en`: team names and roles, photo descriptions and captions\n",
        "    missing   c1         content/cohorts/c1.kk.md: no translation; the page shows the `ru` text; in `en`: text of the page, track\n",
    ] {
        assert!(r.stdout.contains(line), "{line}\nin\n{}", r.stdout);
    }
    let r = site.run(&["check", "--translations", "--csv", "-"]);
    assert!(
        r.stdout.contains("\nru,news,mast-news,Mast news,partial,content/news/2026-03-11-mast-news.md,content/news/2026-03-11-mast-news.ru.md,\"not translated: summary, tags; the page shows the `en` text\",summary;tags\n"),
        "{}",
        r.stdout
    );
}

/// search.js marks what a result shows in another language, as the index says.
#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn search_results_carry_the_language_of_their_text() {
    let bin = chromium_required();
    let site = TestSite::new(SITE);
    let server = site.serve(&[]);
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    page.call("Runtime.enable", json!({}));
    page.navigate(&format!("http://{}/kk/search/?q=мачта", server.addr));
    assert!(
        page.wait_for(
            "document.querySelectorAll('#search-results .search-result').length >= 2",
            20
        ),
        "no results"
    );
    let marks = page.eval(
        "Array.from(document.querySelectorAll('#search-results [lang]')).map(e => e.className + ':' + e.lang + ':' + e.textContent)",
    );
    let marks: Vec<&str> = marks
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for expected in [
        "search-title:ru:Мачта Радио",
        "search-summary:ru:Радиомачта, которая ставит себя сама.",
        ":en:Radio",
        ":ru:Спутники",
    ] {
        assert!(marks.contains(&expected), "{expected} not in {marks:?}");
    }
    // The Kazakh news is Kazakh: nothing of it is marked.
    assert!(
        !marks.iter().any(|m| m.contains("Мачта жаңалығы")),
        "{marks:?}"
    );
    // The marked pages as a visitor sees them, and as axe-core reads them (`valid-lang`).
    let axe = axe_source();
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    for path in [
        "/kk/projects/mast/",
        "/ru/news/mast-news/",
        "/ru/cohorts/c1/",
    ] {
        for width in [360, 1280] {
            page.set_width(width);
            page.navigate(&format!("http://{}{path}", server.addr));
            assert_eq!(
                page.eval("document.documentElement.scrollWidth <= window.innerWidth"),
                json!(true),
                "{path} scrolls sideways at {width} px"
            );
            let name = path.trim_matches('/').replace('/', "-");
            page.screenshot(&shots.join(format!("inherited-{name}-{width}.png")));
        }
        if let Some(axe) = &axe {
            let v = axe_violations(&mut page, axe);
            assert!(v.is_empty(), "{path}: {v:#?}");
        }
    }
    assert!(page.errors().is_empty(), "{:?}", page.errors());
}
