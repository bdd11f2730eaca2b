//! The lists, tag pages, feeds and filter index of issue 14 (items 9, 10 and 12) under
//! hostile content and settings: tags that are script, punctuation, reserved words, device
//! names, other scripts or thousands of letters; a thousand tags; held-back news whose tags
//! must leave no trace; wrong `*_per_page` values; a list of hundreds of pages; and the
//! preview adding and removing list pages as tags and stages change.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{broken_links, files_under, preview_options, rendered_bytes, TestSite};

use showcase::pipeline::{self, Cache};

/// A site in English and Russian with one cohort and `projects` projects in area `uav` at
/// stage `pilot`, `per_page` a page, and the news of `news` (txtar).
fn site(projects: usize, per_page: usize, news: &str) -> TestSite {
    let site = TestSite::new(&format!(
        "-- site.yaml --
title: Hostile
base_url: https://hostile.example.kz
languages: {{ ru: {{ title: Враждебный }} }}
areas: {{ uav: UAV, iot: IoT }}
projects_per_page: {per_page}
news_per_page: 2
-- content/cohorts/c1.md --
---
title: Cohort 1
start: 2025-01-01
end: 2025-06-30
---
"
    ));
    for i in 0..projects {
        site.write(
            &format!("content/projects/p{i:04}.md"),
            &format!(
                "---\ntitle: Project {i:04}\nsummary: S {i}.\ncohort: c1\nareas: [uav]\nstage: pilot\ntrl: 5\n---\nBody.\n"
            ),
        );
    }
    site.write_txtar(news);
    site
}

const HOSTILE_TAGS: &str = r#"-- content/news/2026-01-01-a.md --
---
title: A
summary: A.
tags: ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "!!!", "Tom & Jerry"]
---
A.
"#;

#[test]
fn issue_14_tags_with_markup_are_text_on_every_page_and_feed() {
    let site = site(1, 10, HOSTILE_TAGS);
    site.build();
    let script = "script-alert-1-script";
    let img = "img-src-x-onerror-alert-1";
    // No file holds the markup as markup: every page, the feeds, the sitemap.
    let public = site.path("public");
    for f in files_under(&public) {
        let text = String::from_utf8_lossy(&std::fs::read(public.join(&f)).unwrap()).into_owned();
        if f.ends_with(".json") {
            continue; // JSON strings, which the scripts show as text (tests/filters.rs)
        }
        assert!(!text.contains("<script>alert"), "{f}");
        assert!(!text.contains("<img src=x"), "{f}");
    }
    // The tag page: title, heading, feed link, as text.
    let page = site.read(&format!("tags/{script}/index.html"));
    assert!(page.contains("<title>Tags: &lt;script&gt;alert(1)&lt;/script&gt; · Hostile</title>"));
    assert!(
        page.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"),
        "{page}"
    );
    let page = site.read(&format!("tags/{img}/index.html"));
    assert!(page.contains("title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""));
    // The index and the news item link them by slug.
    let index = site.read("tags/index.html");
    assert!(index.contains(&format!(
        "<a class=\"tag\" href=\"/tags/{script}/\">&lt;script&gt;alert(1)&lt;/script&gt;</a>"
    )));
    assert!(index.contains("href=\"/tags/tom-jerry/\">Tom &amp; Jerry</a>"));
    // Punctuation only: no page, shown as text.
    assert!(!index.contains("!!!"));
    assert!(site
        .read("news/a/index.html")
        .contains("<span class=\"tag\">!!!</span>"));
    // The feeds parse, and give the tags back as written.
    for feed in [
        format!("tags/{script}/atom.xml"),
        format!("tags/{img}/atom.xml"),
        "news/atom.xml".to_string(),
    ] {
        let xml = site.read(&feed);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let terms: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "category")))
            .filter_map(|n| n.attribute("term"))
            .collect();
        assert!(terms.contains(&"<script>alert(1)</script>"), "{feed}");
        assert!(terms.contains(&"\"><img src=x onerror=alert(1)>"), "{feed}");
    }
    let feed = site.read(&format!("tags/{script}/atom.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let title = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "title")))
        .unwrap();
    assert_eq!(
        title.text(),
        Some("Hostile · News · <script>alert(1)</script>")
    );
    assert_eq!(broken_links(&public), Vec::<String>::new());
}

#[test]
fn issue_14_a_tag_too_long_for_a_file_name_is_an_error_at_its_line() {
    // 5,000 letters: its page's folder would pass the 255-byte limit of file names. An item's
    // slug may be 200 bytes; a tag's slug follows the same rule, at the tag's line.
    let long = "a".repeat(5000);
    let site = site(
        1,
        10,
        &format!(
            "-- content/news/2026-01-01-a.md --\n---\ntitle: A\nsummary: A.\ntags:\n  - fine\n  - {long}\n  - \"   \"\n---\nA.\n"
        ),
    );
    let stderr = site.fails();
    assert!(
        stderr.contains(&format!(
            "error: content/news/2026-01-01-a.md:6:5: the tag `{}…` is too long for the address of its page: its slug is 5000 bytes; the limit is 200\n  help: shorten the tag",
            "a".repeat(60)
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: content/news/2026-01-01-a.md:4:1: a tag is empty\n  help: remove it from `tags:`, or write the tag"),
        "{stderr}"
    );
    // Said once, briefly: not once per language and file, nor the whole tag.
    assert_eq!(stderr.matches("error:").count(), 2, "{stderr}");
    assert!(stderr.len() < 1000, "{} bytes of errors", stderr.len());
    // At 200 bytes it is a tag with a page (100 Cyrillic letters, two bytes each).
    site.write(
        "content/news/2026-01-01-a.md",
        &format!(
            "---\ntitle: A\nsummary: A.\ntags: [{}]\n---\nA.\n",
            "ж".repeat(100)
        ),
    );
    site.build();
    assert!(site
        .path(&format!("public/tags/{}/atom.xml", "zh".repeat(100)))
        .exists());
}

#[test]
fn issue_14_tag_slugs_are_file_names_everywhere_and_scripts_do_not_merge() {
    let site = site(
        1,
        10,
        r#"-- content/news/2026-01-01-a.md --
---
title: A
summary: A.
tags: [con, NUL, Com1, AUX, page, atom.xml, index, Tags, "无人机 2025", "ドローン 2025", Défense, "５Ｇ", 5G, Кибер, кибер, kiber]
---
A.
"#,
    );
    site.build();
    let dirs: Vec<String> = files_under(&site.path("public/tags"))
        .into_iter()
        .filter_map(|f| f.strip_suffix("/index.html").map(str::to_string))
        .filter(|d| !d.contains('/'))
        .collect();
    assert_eq!(
        dirs,
        [
            "5g",
            "atom-xml",
            "aux_",
            "com1_",
            "con_",
            "defense",
            "index",
            "kiber",
            "nul_",
            "page",
            "tags",
            "ドローン-2025",
            "无人机-2025"
        ]
    );
    for d in &dirs {
        assert!(
            site.path(&format!("public/tags/{d}/atom.xml")).exists(),
            "{d}"
        );
        assert_eq!(
            showcase::output::path::check(&format!("ru/tags/{d}/index.html")),
            Ok(()),
            "{d}"
        );
    }
    // `Кибер`, `кибер` and `kiber` are one tag with three news links to it, named as the
    // news item first writes it.
    let index = site.read("tags/index.html");
    assert!(index.contains("href=\"/tags/kiber/\">Кибер</a>"), "{index}");
    assert_eq!(
        site.read("news/a/index.html")
            .matches("href=\"/tags/kiber/\"")
            .count(),
        3
    );
    // The reserved words are tags like any other: `/tags/index/` beside `/tags/index.html`.
    assert!(site.read("tags/page/index.html").contains("<h1>page</h1>"));
    assert!(site
        .read("tags/index/index.html")
        .contains("<h1>index</h1>"));
    assert_eq!(broken_links(&site.path("public")), Vec::<String>::new());
    assert_eq!(site.run(&["check"]).code, 0);
}

#[test]
fn issue_14_held_back_news_leave_no_tag_behind() {
    let site = site(
        3,
        10,
        "-- content/news/2026-01-01-a.md --
---
title: A
summary: A.
tags: [public-tag]
internal: { note: SECRET-NEWS-NOTE }
---
A.
-- content/news/2026-01-02-draft.md --
---
title: Draft
summary: D.
draft: true
tags: [Draftonlytag, public-tag]
---
D.
-- content/news/2026-01-03-later.md --
---
title: Later
summary: E.
publish_after: 2099-01-01
tags: [Embargoonlytag, public-tag]
---
E.
-- content/news/2026-01-01-a.ru.md --
---
title: А
summary: А.
tags: [публичный]
---
А.
-- content/news/2026-01-04-b.md --
---
title: B
summary: B.
tags: [public-tag]
---
B.
-- content/news/2026-01-04-b.ru.md --
---
title: Б
summary: Б.
draft: true
tags: [Черновойтег]
---
Б.
-- content/projects/secret-draft.md --
---
title: Secretdraftproject
summary: S.
cohort: c1
areas: [iot]
stage: idea
trl: 2
draft: true
internal: { owner: SECRET-OWNER }
---
S.
-- content/cohorts/secret-cohort.md --
---
title: Secretcohorttitle
start: 2026-01-01
end: 2026-06-30
draft: true
---
-- content/projects/secret-later.md --
---
title: Secretlaterproject
summary: S.
cohort: c1
areas: [iot]
stage: idea
trl: 2
publish_after: 2099-01-01
---
S.
",
    );
    site.edit(
        "content/projects/p0001.md",
        "trl: 5\n",
        "trl: 5\ninternal: { note: SECRET-PROJECT-NOTE }\n",
    );
    site.build();
    let public = site.path("public");
    let files = files_under(&public);
    for secret in [
        "draftonlytag",
        "embargoonlytag",
        "chernovoiteg",
        "черновойтег",
        "secret-news-note",
        "secret-owner",
        "secret-project-note",
        "secretdraftproject",
        "secretlaterproject",
        "secret-draft",
        "secret-later",
        "secret-cohort",
        "secretcohorttitle",
    ] {
        for f in &files {
            assert!(
                !f.to_lowercase().contains(secret),
                "{f} is named after {secret}"
            );
            let text =
                String::from_utf8_lossy(&std::fs::read(public.join(f)).unwrap()).to_lowercase();
            assert!(!text.contains(secret), "{f} holds {secret}");
        }
    }
    // The counts are the published news' only.
    let index = site.read("tags/index.html");
    assert!(
        index.contains(
            "href=\"/tags/public-tag/\">public-tag</a> <span class=\"count-pill\">2</span>"
        ),
        "{index}"
    );
    assert!(site
        .read("tags/public-tag/index.html")
        .contains("2 news items"));
    let feed = site.read("tags/public-tag/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 2);
    // The Russian tags: the published translation's, and the draft translation falls back
    // to the original's.
    let ru: Vec<String> = files_under(&public.join("ru/tags"))
        .into_iter()
        .filter(|f| f.ends_with("/index.html"))
        .collect();
    assert_eq!(ru, ["public-tag/index.html", "publichnyi/index.html"]);
    let filters: serde_json::Value =
        serde_json::from_str(&site.read("projects/filter-index.json")).unwrap();
    assert_eq!(filters["projects"].as_array().unwrap().len(), 3);
    assert_eq!(filters["cohorts"], serde_json::json!(["c1"]));
}

#[test]
fn issue_14_a_list_of_hundreds_of_pages_at_one_a_page() {
    let site = site(150, 1, "");
    site.build();
    let public = site.path("public");
    // 150 pages of the area, of the stage and of the projects, in both languages.
    for list in ["projects", "areas/uav", "stages/pilot", "ru/areas/uav"] {
        let pages = files_under(&public.join(list).join("page"))
            .into_iter()
            .filter(|f| f.ends_with("/index.html"))
            .count();
        // page/2/ to page/150/, and page/1/, the redirect.
        assert_eq!(pages, 150, "{list}");
        let redirect = site.read(&format!("{list}/page/1/index.html"));
        assert!(
            redirect.contains(&format!("url=https://hostile.example.kz/{list}/\"")),
            "{list}: {redirect}"
        );
    }
    assert!(!public.join("areas/uav/page/151").exists());
    // The empty area has one page and no further ones.
    assert!(!public.join("areas/iot/page").exists());
    // A middle page links to its neighbours, the ends, and marks itself.
    let html = site.read("areas/uav/page/75/index.html");
    let pager = html
        .split("<nav class=\"pager\"")
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    let links: Vec<&str> = pager
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(
        links,
        [
            "/areas/uav/page/74/",
            "/areas/uav/",
            "/areas/uav/page/74/",
            "/areas/uav/page/75/",
            "/areas/uav/page/76/",
            "/areas/uav/page/150/",
            "/areas/uav/page/76/"
        ]
    );
    assert!(pager.contains("aria-current=\"page\" aria-label=\"Page 75 of 150\""));
    assert!(
        html.contains("<link rel=\"prev\" href=\"https://hostile.example.kz/areas/uav/page/74/\">")
    );
    assert!(
        html.contains("<link rel=\"next\" href=\"https://hostile.example.kz/areas/uav/page/76/\">")
    );
    // The sitemap has the first page of each list only.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://hostile.example.kz/areas/uav/</loc>"));
    assert!(!sitemap.contains("/page/"));
    assert!(!sitemap.contains("/areas/iot/"));
    assert_eq!(broken_links(&public), Vec::<String>::new());
}

#[test]
fn issue_14_a_thousand_tags_and_a_news_item_with_five_hundred() {
    let site = TestSite::new(
        "-- site.yaml --
title: Tags
base_url: https://tags.example.kz
",
    );
    for i in 0..100 {
        let tags: Vec<String> = (0..10)
            .map(|j| format!("topic {:04}", i * 10 + j))
            .collect();
        site.write(
            &format!("content/news/2026-01-01-n{i:03}.md"),
            &format!(
                "---\ntitle: News {i}\nsummary: S.\ntags: [{}, common]\n---\nN.\n",
                tags.join(", ")
            ),
        );
    }
    let many: Vec<String> = (0..500).map(|j| format!("many {j:03}")).collect();
    site.write(
        "content/news/2026-02-01-many.md",
        &format!(
            "---\ntitle: Many\nsummary: S.\ntags: [{}]\n---\nM.\n",
            many.join(", ")
        ),
    );
    site.build();
    let public = site.path("public");
    let tag_pages = files_under(&public.join("tags"))
        .into_iter()
        .filter(|f| f.ends_with("/atom.xml"))
        .count();
    assert_eq!(tag_pages, 1501);
    let index = site.read("tags/index.html");
    assert_eq!(index.matches("class=\"tag\"").count(), 1501);
    assert!(
        index.contains("href=\"/tags/common/\">common</a> <span class=\"count-pill\">100</span>")
    );
    // The news item links all 500 of its tags, and every page stays light.
    assert_eq!(
        site.read("news/many/index.html")
            .matches("href=\"/tags/many-")
            .count(),
        500
    );
    for f in files_under(&public) {
        let len = std::fs::metadata(public.join(&f)).unwrap().len();
        if f.ends_with(".html") || f.ends_with(".xml") {
            assert!(len <= 300 * 1024, "{f} is {len} bytes");
        }
    }
    // 100 news at the default 20 a page.
    assert!(public.join("tags/common/page/5/index.html").exists());
    assert!(!public.join("tags/common/page/6").exists());
}

#[test]
fn issue_14_items_a_page_say_file_line_and_help() {
    for (value, message) in [
        (
            "0",
            "`projects_per_page` is 0; it must be a whole number from 1",
        ),
        (
            "-1",
            "`projects_per_page` is -1; it must be a whole number from 1",
        ),
        (
            "ten",
            "`projects_per_page` is \"ten\"; it must be a whole number from 1",
        ),
        (
            "1.5",
            "`projects_per_page` is 1.5; it must be a whole number from 1",
        ),
    ] {
        let site = site(1, 10, "");
        site.edit(
            "site.yaml",
            "projects_per_page: 10",
            &format!("projects_per_page: {value}"),
        );
        let stderr = site.fails();
        assert!(
            stderr.contains(&format!(
                "error: site.yaml:5: {message}\n  help: write how many a page shows, a whole number such as `projects_per_page: 48` (the default)"
            )),
            "{value}: {stderr}"
        );
    }
    // A billion a page is one page, however large the site.
    let site = site(3, 1_000_000_000, "");
    site.build();
    assert!(!site.path("public/projects/page").exists());
    assert!(site.read("projects/index.html").contains("Project 0002"));
}

/// The preview (`showcase serve`) renders only what an edit touches: after each edit, the
/// incremental render must have the same files, with the same bytes, as a full render, so
/// that the pages an edit adds (a tag, a stage's further page) appear and those it removes
/// disappear.
#[test]
fn issue_14_the_preview_adds_and_removes_list_pages() {
    // Two news a page; `alpha` is on three news (two pages), `solo` only on the English of
    // d, whose Russian has its own tags.
    let site = site(
        3,
        1,
        "-- content/news/2026-01-01-a.md --
---
title: A
summary: A.
tags: [alpha, beta]
---
A.
-- content/news/2026-01-02-b.md --
---
title: B
summary: B.
tags: [alpha]
---
B.
-- content/news/2026-01-03-c.md --
---
title: C
summary: C.
tags: [alpha]
---
C.
-- content/news/2026-01-04-d.md --
---
title: D
summary: D.
tags: [solo]
---
D.
-- content/news/2026-01-04-d.ru.md --
---
title: Д
summary: Д.
tags: [другой]
---
Д.
",
    );
    let opts = preview_options();
    let mut cache = Cache::default();
    pipeline::render_cached(site.root(), None, &opts, &mut cache).unwrap();
    let files = |cache: &mut Cache, changed: &str| -> Vec<String> {
        cache.changed([std::path::PathBuf::from(changed)].into_iter().collect());
        let inc = pipeline::render_cached(site.root(), None, &opts, cache).unwrap();
        let full = pipeline::render(site.root(), None, &opts).unwrap();
        let (a, b) = (rendered_bytes(&inc), rendered_bytes(&full));
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b), "files after editing {changed}");
        for ((f, x), (_, y)) in a.iter().zip(&b) {
            assert!(
                x == y,
                "{f} differs from a build's after editing {changed}:\n--- preview\n{}\n--- build\n{}",
                String::from_utf8_lossy(x),
                String::from_utf8_lossy(y)
            );
        }
        a.into_iter().map(|(p, _)| p).collect()
    };
    let has = |files: &[String], f: &str| files.iter().any(|x| x == f);
    let news = "content/news/2026-01-01-a.md";
    // The oldest news (page 2 of alpha) drops its tags: beta's pages and feed go, gamma's
    // come, and page 1 of alpha, whose news are the same, counts two and has no page 2.
    site.edit(news, "tags: [alpha, beta]", "tags: [gamma]");
    let now = files(&mut cache, news);
    assert!(!has(&now, "tags/beta/index.html") && !has(&now, "tags/beta/atom.xml"));
    assert!(has(&now, "tags/gamma/index.html") && has(&now, "ru/tags/gamma/atom.xml"));
    assert!(!has(&now, "tags/alpha/page/2/index.html"));
    // A tag only the Russian translation has.
    site.write(
        "content/news/2026-01-02-b.ru.md",
        "---\ntitle: Б\nsummary: Б.\ntags: [только, solo]\n---\nБ.\n",
    );
    let now = files(&mut cache, "content/news/2026-01-02-b.ru.md");
    assert!(has(&now, "ru/tags/tolko/index.html"));
    assert!(!has(&now, "tags/tolko/index.html"));
    // ... and `solo` is now Russian too: the English page's switcher leads to it.
    assert!(has(&now, "ru/tags/solo/index.html"));
    // A stage changed: the pilot list loses a page, the idea list gains its first.
    let p = "content/projects/p0002.md";
    site.edit(p, "stage: pilot", "stage: idea");
    let now = files(&mut cache, p);
    assert!(!has(&now, "stages/pilot/page/3/index.html"));
    assert!(has(&now, "stages/pilot/page/2/index.html"));
    assert!(!has(&now, "stages/idea/page/1/index.html"));
    // An area changed: uav loses its last page.
    site.edit(p, "areas: [uav]", "areas: [iot]");
    let now = files(&mut cache, p);
    assert!(!has(&now, "areas/uav/page/3/index.html"));
    assert!(has(&now, "areas/iot/index.html"));
    // A draft's tag is shown by the preview, and goes with the draft.
    let d = "content/news/2026-01-05-e.md";
    site.write(
        d,
        "---\ntitle: E\nsummary: E.\ndraft: true\ntags: [delta]\n---\nE.\n",
    );
    assert!(has(&files(&mut cache, d), "tags/delta/index.html"));
    site.remove(d);
    assert!(!has(&files(&mut cache, d), "tags/delta/index.html"));
}

#[test]
fn issue_14_tag_pages_follow_the_fallback_chain() {
    // Kazakh falls back to Russian, then English (the default chains): a news item with a
    // Russian translation shows the Russian tags on its Kazakh page, so the Kazakh tag
    // pages are the Russian tags', each listing it.
    let site = TestSite::new(
        "-- site.yaml --
title: Chain
base_url: https://chain.example.kz
languages: { ru: { title: Цепочка }, kk: { title: Тізбек } }
news_per_page: 1
-- content/news/2026-01-01-a.md --
---
title: A
summary: A.
tags: [alpha]
---
A.
-- content/news/2026-01-01-a.ru.md --
---
title: А
summary: А.
tags: [бета]
---
А.
-- content/news/2026-01-02-b.md --
---
title: B
summary: B.
tags: [alpha]
---
B.
",
    );
    site.build();
    let public = site.path("public");
    let tags = |lang: &str| -> Vec<String> {
        files_under(&public.join(lang).join("tags"))
            .into_iter()
            .filter(|f| f.ends_with("/atom.xml"))
            .collect()
    };
    assert_eq!(tags("kk"), ["alpha/atom.xml", "beta/atom.xml"]);
    assert_eq!(tags("ru"), ["alpha/atom.xml", "beta/atom.xml"]);
    assert!(site
        .read("kk/news/a/index.html")
        .contains("href=\"/kk/tags/beta/\""));
    // Each page counts and lists what it links: beta has a, alpha has b only.
    let beta = site.read("kk/tags/beta/index.html");
    assert!(beta.contains("<h1 lang=\"ru\">бета</h1>"), "{beta}");
    assert!(beta.contains("href=\"/kk/news/a/\""));
    let alpha = site.read("kk/tags/alpha/index.html");
    assert!(alpha.contains("href=\"/kk/news/b/\"") && !alpha.contains("href=\"/kk/news/a/\""));
    assert!(!public.join("kk/tags/alpha/page/2").exists());
    let feed = site.read("kk/tags/beta/atom.xml");
    assert_eq!(feed.matches("<entry xml:lang=\"ru\">").count(), 1, "{feed}");
    assert_eq!(broken_links(&public), Vec::<String>::new());
}

#[test]
fn issue_14_an_area_key_that_cannot_be_a_folder_is_an_error_in_site_yaml() {
    // `con` is a device on Windows: `/areas/con/` failed the build naming no file, once per
    // language, with the help of a content file.
    let site = site(1, 10, "");
    site.edit("site.yaml", "iot: IoT", "iot: IoT, con: Console");
    let stderr = site.fails();
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("error: site.yaml:4:30: area key `con` cannot be the folder of its page: the name `con` cannot be a file on Windows"),
        "{stderr}"
    );
    assert!(stderr.contains("  help: choose another key"), "{stderr}");
}
