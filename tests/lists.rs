//! Lists that stay light at any size (issue 14, items 10 and 12): `/projects/`, the area,
//! stage and tag pages, `/cohorts/` and `/demos/` are paginated with plain links (`rel=prev/next`, self-canonical
//! pages, a `page/1/` redirect), every project is on exactly one page of each list it
//! belongs to, `/stages/` and `/tags/` exist with their counts, tags have pages and feeds
//! per language, and `/projects/filter-index.json` describes the whole catalogue for the
//! filters. A site of 2,000 projects has no page over 300 KB of HTML.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

mod support;
use support::{broken_links, TestSite};

/// A site of `n` projects over `cohorts` cohorts, in three areas and four stages, with
/// `projects_per_page` and `news_per_page` set, and news tagged in English and Russian.
fn catalogue(n: usize, cohorts: usize, per_page: usize) -> TestSite {
    let site = TestSite::new(&format!(
        "-- site.yaml --
title: Lists
base_url: https://lists.example.kz
languages: {{ ru: {{ title: Списки }} }}
areas: {{ uav: UAV, iot: IoT, space: {{ en: Space, ru: Космос }} }}
projects_per_page: {per_page}
news_per_page: 2
"
    ));
    for c in 0..cohorts {
        site.write(
            &format!("content/cohorts/c{c:03}.md"),
            &format!(
                "---\ntitle: Cohort {c}\nstart: 2025-01-{:02}\nend: 2025-06-30\n---\n",
                c % 28 + 1
            ),
        );
    }
    let areas = ["uav", "iot", "space"];
    let stages = ["idea", "prototype", "pilot", "deployed"];
    for i in 0..n {
        site.write(
            &format!("content/projects/p{i:05}.md"),
            &format!(
                "---\ntitle: Project {i:05}\nsummary: What project {i} does, in one line.\n\
                 stage: {}\ntrl: {}\nareas: [{}]\ncohort: c{:03}\n---\nBody {i}.\n",
                stages[i % 4],
                i % 9 + 1,
                areas[i % 3],
                i % cohorts
            ),
        );
    }
    site.write_txtar(
        "-- content/news/2026-01-01-a.md --
---
title: Five G
summary: A.
tags: [5G, Drones, \"🚀\"]
---
A.
-- content/news/2026-01-02-b.md --
---
title: Five g again
summary: B.
tags: [5g, 5G]
---
B.
-- content/news/2026-01-03-c.md --
---
title: More 5G
summary: C.
tags: [\" 5G \", Satellites]
---
C.
-- content/news/2026-01-03-c.ru.md --
---
title: Ещё 5G
summary: В.
tags: [Спутники, 5G]
---
В.
",
    );
    site
}

/// The `href` of every `<a>`/`<link>` with `rel="{rel}"` in `html`.
fn rel_links(html: &str, rel: &str) -> Vec<String> {
    let needle = format!("rel=\"{rel}\"");
    html.split('<')
        .filter(|tag| tag.starts_with("link ") && tag.contains(&needle))
        .filter_map(|tag| tag.split("href=\"").nth(1)?.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The project slugs whose cards `html` shows (`/projects/pNNNNN/` links in the list).
fn cards(html: &str) -> Vec<String> {
    let list = html
        .split("id=\"project-list\"")
        .nth(1)
        .or_else(|| html.split("class=\"cards\"").nth(1))
        .unwrap_or("");
    let list = list.split("</ul>").next().unwrap();
    list.split("class=\"card-title\"><a href=\"/projects/")
        .skip(1)
        .map(|s| s.split('/').next().unwrap().to_string())
        .collect()
}

#[test]
fn projects_are_paginated_with_links_that_work_without_javascript() {
    let site = catalogue(25, 2, 10);
    site.build();
    // 25 projects at 10 a page: 3 pages, each project once, in title order.
    let mut seen = Vec::new();
    for (n, path) in [
        (1, "projects/index.html"),
        (2, "projects/page/2/index.html"),
        (3, "projects/page/3/index.html"),
    ] {
        let html = site.read(path);
        let shown = cards(&html);
        assert_eq!(shown.len(), if n < 3 { 10 } else { 5 }, "page {n}");
        seen.extend(shown);
        // The whole list's count, not the page's.
        assert!(html.contains("25 projects"), "page {n} counts the list");
        // Each page is its own canonical page, and names its neighbours.
        let own = if n == 1 {
            "https://lists.example.kz/projects/".to_string()
        } else {
            format!("https://lists.example.kz/projects/page/{n}/")
        };
        assert_eq!(rel_links(&html, "canonical"), vec![own], "page {n}");
        let prev = rel_links(&html, "prev");
        let next = rel_links(&html, "next");
        assert_eq!(prev.len(), usize::from(n > 1), "page {n}: {prev:?}");
        assert_eq!(next.len(), usize::from(n < 3), "page {n}: {next:?}");
        // The pager: plain links, the current page marked.
        assert!(html.contains("<nav class=\"pager\""), "page {n}");
        assert!(
            html.contains(&format!(
                "aria-current=\"page\" aria-label=\"Page {n} of 3\""
            )),
            "page {n}"
        );
        // The filter form knows the whole catalogue's size and where its index is.
        assert!(html.contains("data-index=\"/projects/filter-index.json\""));
        assert!(html.contains("data-total=\"25\""));
    }
    let expected: Vec<String> = (0..25).map(|i| format!("p{i:05}")).collect();
    assert_eq!(seen, expected);
    assert!(!site.path("public/projects/page/4/index.html").exists());
    // page/1/ leads back to the list.
    let redirect = site.read("projects/page/1/index.html");
    assert!(redirect.contains("https://lists.example.kz/projects/"));
    // Only the first page is in the sitemap.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://lists.example.kz/projects/</loc>"));
    assert!(!sitemap.contains("/projects/page/"));
    assert_eq!(broken_links(&site.path("public")), Vec::<String>::new());
}

#[test]
fn areas_and_stages_are_paginated_and_the_stages_have_an_index() {
    let site = catalogue(40, 2, 5);
    site.build();
    // 40 projects in 3 areas: uav has 14 (0, 3, ... 39): 3 pages of 5.
    let mut uav = Vec::new();
    for n in 1..=3 {
        let path = if n == 1 {
            "areas/uav/index.html".to_string()
        } else {
            format!("areas/uav/page/{n}/index.html")
        };
        let html = site.read(&path);
        assert!(html.contains("14 projects"), "{path}");
        uav.extend(cards(&html));
    }
    let expected: Vec<String> = (0..40)
        .filter(|i| i % 3 == 0)
        .map(|i| format!("p{i:05}"))
        .collect();
    assert_eq!(uav, expected);
    assert!(!site.path("public/areas/uav/page/4/index.html").exists());
    // Stages: 10 each, 2 pages.
    let pilot2 = site.read("stages/pilot/page/2/index.html");
    assert_eq!(cards(&pilot2).len(), 5);
    assert!(pilot2.contains("10 projects"));
    // `/stages/` lists every stage with its count and page, in both languages.
    for (path, name) in [
        ("stages/index.html", "Pilot"),
        ("ru/stages/index.html", "Пилот"),
    ] {
        let html = site.read(path);
        assert!(html.contains(name), "{path}");
        assert_eq!(
            html.matches("10 projects").count() + html.matches("10 проектов").count(),
            4,
            "{path}"
        );
        assert!(html.contains("/stages/deployed/\""), "{path}");
    }
    assert!(site
        .read("sitemap.xml")
        .contains("<loc>https://lists.example.kz/stages/</loc>"));
    assert_eq!(broken_links(&site.path("public")), Vec::<String>::new());
}

#[test]
fn tags_have_pages_feeds_and_an_index_per_language() {
    let site = catalogue(3, 1, 10);
    site.build();
    // `5G`, `5g` and ` 5G ` are one tag; a news item that writes it twice counts once.
    let index = site.read("tags/index.html");
    assert!(index.contains("href=\"/tags/5g/\""), "{index}");
    assert!(index.contains("href=\"/tags/drones/\""));
    // A tag of only an emoji has no page: its news item shows it as text.
    assert!(!index.contains("🚀"));
    assert!(site
        .read("news/a/index.html")
        .contains("<span class=\"tag\">🚀</span>"));
    let five_g = site.read("tags/5g/index.html");
    assert!(five_g.contains("3 news items"), "{five_g}");
    // 2 a page: newest first, then page 2.
    assert!(five_g.contains("More 5G") && five_g.contains("Five g again"));
    assert!(!five_g.contains(">Five G<"));
    assert!(site.read("tags/5g/page/2/index.html").contains(">Five G<"));
    // The tag's feed: valid Atom with its three entries.
    let feed = site.read("tags/5g/atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries = doc
        .descendants()
        .filter(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "entry")))
        .count();
    assert_eq!(entries, 3);
    assert!(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://lists.example.kz/tags/5g/atom.xml\"/>"));
    // News link their tags.
    let news = site.read("news/a/index.html");
    assert!(
        news.contains("<a class=\"tag\" href=\"/tags/5g/\">5G</a>"),
        "{news}"
    );
    // Russian tags are Russian pages with Latin paths; a tag only English has is not there.
    let ru = site.read("ru/tags/index.html");
    assert!(ru.contains("href=\"/ru/tags/sputniki/\""), "{ru}");
    assert!(site.path("public/ru/tags/sputniki/index.html").exists());
    assert!(!site.path("public/ru/tags/satellites/index.html").exists());
    // The switcher of an English-only tag leads to the Russian tags.
    let satellites = site.read("tags/satellites/index.html");
    assert!(
        satellites.contains("href=\"/ru/tags/\" hreflang=\"ru\""),
        "{satellites}"
    );
    assert!(!satellites.contains("hreflang=\"ru\" href="));
    assert_eq!(broken_links(&site.path("public")), Vec::<String>::new());
}

#[test]
fn the_filter_index_holds_the_whole_catalogue_by_keys() {
    let site = catalogue(30, 3, 10);
    site.write_txtar(
        "-- content/projects/p00001.ru.md --
---
title: Проект 1
summary: По-русски.
---
Тело.
",
    );
    site.build();
    let en: serde_json::Value =
        serde_json::from_str(&site.read("projects/filter-index.json")).unwrap();
    assert_eq!(en["v"], 1);
    assert_eq!(en["areas"], serde_json::json!(["uav", "iot", "space"]));
    assert_eq!(
        en["stages"],
        serde_json::json!(["idea", "prototype", "pilot", "deployed"])
    );
    let rows = en["projects"].as_array().unwrap();
    assert_eq!(rows.len(), 30, "every project, not one page");
    // [title, slug, summary, stage, trl, cohort, [areas], logo, lang]
    let row = &rows[5];
    assert_eq!(row[0], "Project 00005");
    assert_eq!(row[1], "p00005");
    assert_eq!(row[3], 1, "prototype");
    assert_eq!(row[4], 6);
    let cohort = row[5].as_u64().unwrap() as usize;
    assert_eq!(en["cohorts"][cohort], "c002");
    assert_eq!(row[6], serde_json::json!([2]), "space");
    assert_eq!(row[8], "");
    // The Russian index: a translated project in Russian, the others say where their
    // text comes from.
    let ru: serde_json::Value =
        serde_json::from_str(&site.read("ru/projects/filter-index.json")).unwrap();
    let ru_rows = ru["projects"].as_array().unwrap();
    let p1 = ru_rows.iter().find(|r| r[1] == "p00001").unwrap();
    assert_eq!(p1[0], "Проект 1");
    assert_eq!(p1[8], "");
    assert_eq!(ru_rows.iter().filter(|r| r[8] == "en").count(), 29);
    // Nothing internal: an `internal:` note never reaches the index.
    site.edit(
        "content/projects/p00002.md",
        "---\ntitle",
        "---\ninternal: { note: SECRET-NOTE-7 }\ntitle",
    );
    site.build();
    assert!(!site
        .read("projects/filter-index.json")
        .contains("SECRET-NOTE-7"));
}

#[test]
fn no_page_of_a_large_site_is_heavy() {
    // 2,000 projects in 60 cohorts, the default 48 a page.
    let site = catalogue(2000, 60, 48);
    site.edit("site.yaml", "projects_per_page: 48\n", "");
    site.build();
    let public = site.path("public");
    let mut sizes: BTreeMap<u64, String> = BTreeMap::new();
    for f in support::files_under(&public) {
        if f.ends_with(".html") {
            let len = std::fs::metadata(public.join(&f)).unwrap().len();
            sizes.insert(len, f);
        }
    }
    let (largest, file) = sizes.iter().next_back().unwrap();
    assert!(*largest <= 300 * 1024, "{file} is {largest} bytes");
    assert_eq!(cards(&site.read("projects/index.html")).len(), 48);
    assert!(site.path("public/projects/page/42/index.html").exists());
    // 60 cohorts: two pages of them; the catalogue beside the projects lists the twelve
    // newest and links the rest.
    assert!(site.read("cohorts/page/2/index.html").contains("Cohort 0"));
    let projects = site.read("projects/index.html");
    assert_eq!(
        projects.matches("href=\"/cohorts/c0").count(),
        12,
        "catalogue"
    );
    assert!(projects.contains("All cohorts</a> <span class=\"count-pill\">60</span>"));
    assert!(!site.path("public/projects/page/43/index.html").exists());
}

#[test]
fn a_sitemap_over_the_protocols_limit_becomes_an_index_of_parts() {
    // 16,700 free pages in three languages: 50,100 pages and the lists', over the 50,000
    // URLs one sitemap file may list (sitemaps.org). The parts are counted on that bound;
    // the Kazakh and Russian pages borrow their text, so only the English ones are listed.
    let site = TestSite::new(
        "-- site.yaml --
title: Many
base_url: https://many.example.kz
languages: { ru: { title: Много }, kk: { title: Көп } }
",
    );
    for i in 0..16_700 {
        site.write(&format!("content/pages/p{i:05}.md"), "---\ntitle: P\n---\n");
    }
    site.build();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let index = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&index).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let parts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert_eq!(
        parts,
        [
            "https://many.example.kz/sitemap-1.xml",
            "https://many.example.kz/sitemap-2.xml"
        ]
    );
    let mut urls = std::collections::BTreeSet::new();
    for n in 1..=2 {
        let text = site.read(&format!("sitemap-{n}.xml"));
        let doc = roxmltree::Document::parse(&text).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "urlset");
        let locs: Vec<&str> = doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name((ns, "url")))
            .filter_map(|u| u.children().find(|c| c.has_tag_name((ns, "loc"))))
            .filter_map(|l| l.text())
            .collect();
        assert!(
            !locs.is_empty() && locs.len() <= 50_000,
            "part {n}: {}",
            locs.len()
        );
        urls.extend(locs.into_iter().map(str::to_string));
    }
    // Every page once, over the parts; a borrowed page nowhere.
    assert!(urls.contains("https://many.example.kz/p16699/"));
    assert!(urls.contains("https://many.example.kz/p00000/"));
    assert!(urls.contains("https://many.example.kz/kk/"));
    assert!(!urls.contains("https://many.example.kz/kk/p00000/"));
    let pages = urls
        .iter()
        .filter(|u| u.contains("/p") && !u.contains("/projects/"))
        .count();
    assert_eq!(pages, 16_700);
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://many.example.kz/sitemap.xml"));
}
