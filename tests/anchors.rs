//! Ids and anchors (issue 14 item 4): every id on every HTML page is unique, every in-page
//! link (`href="#x"`) and every link to `#x` of another page of the site finds its element,
//! on the park's sample site and on a hostile fixture; `check` and `build` report a link to
//! a missing anchor of another page at its file, line and column, with the anchors there.
//!
//! The pages are read with html5ever's tokenizer (the WHATWG HTML tokenizer), switched into
//! raw text for `<script>`, `<style>` and `<title>` as the tree builder does, so that an
//! `id="…"` in a script or in text is not taken for an attribute.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use support::TestSite;

/// The ids of one HTML page and the `href`s of its links (`<a>`, `<area>`), in order.
#[derive(Default, Debug)]
struct Scan {
    ids: Vec<String>,
    links: Vec<String>,
}

#[derive(Default)]
struct Collect(RefCell<Scan>);

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let mut scan = self.0.borrow_mut();
        for a in &tag.attrs {
            match &*a.name.local {
                "id" => scan.ids.push(a.value.to_string()),
                "href" if matches!(&*tag.name, "a" | "area") => {
                    scan.links.push(a.value.to_string())
                }
                _ => {}
            }
        }
        // What the tree builder tells the tokenizer (HTML, "the rules for parsing tokens in
        // HTML content"): the text of these elements is not markup.
        match &*tag.name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            _ => TokenSinkResult::Continue,
        }
    }
}

fn scan(html: &str) -> Scan {
    let tokenizer = Tokenizer::new(Collect::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// Every HTML page of the output folder `out`, by its URL path without the base path
/// (`/projects/a/`, `/404.html`).
fn pages(out: &Path) -> BTreeMap<String, Scan> {
    support::files_under(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            let html = std::fs::read_to_string(out.join(&f)).unwrap();
            let path = match f.strip_suffix("index.html") {
                Some(dir) => format!("/{dir}"),
                None => format!("/{f}"),
            };
            (path, scan(&html))
        })
        .collect()
}

/// What is wrong with the ids and anchors of the site built into `out` (its `base_url` has
/// the path `base_path`): duplicate ids, and links (in-page, relative or from the root,
/// within the site) to a `#fragment` that the target page has no element for, or to a page
/// that does not exist. Also returns how many fragment links were followed.
fn anchor_problems(out: &Path, base_path: &str) -> (Vec<String>, usize) {
    let pages = pages(out);
    let mut problems = Vec::new();
    let mut followed = 0;
    let site = url::Url::parse("https://site.invalid").unwrap();
    for (path, page) in &pages {
        let mut seen = BTreeSet::new();
        for id in &page.ids {
            if !seen.insert(id) {
                problems.push(format!("{path}: the id `{id}` is on the page twice"));
            }
        }
        let here = site.join(&format!("{base_path}{path}")).unwrap();
        for href in &page.links {
            let Ok(target) = here.join(href) else {
                continue;
            };
            let Some(fragment) = target.fragment() else {
                continue;
            };
            if target.host_str() != Some("site.invalid") {
                continue;
            }
            let Some(target_path) = target.path().strip_prefix(base_path) else {
                problems.push(format!("{path}: `{href}` leaves the site's base path"));
                continue;
            };
            let target_path = showcase::url::percent_decode(target_path).unwrap();
            // The page's file is the page.
            let target_path = match target_path.strip_suffix("index.html") {
                Some(dir) if dir.ends_with('/') => dir.to_string(),
                _ => target_path,
            };
            let Some(target_page) = pages.get(&target_path) else {
                if !out.join(target_path.trim_start_matches('/')).is_file() {
                    problems.push(format!("{path}: `{href}` points to no file"));
                }
                continue;
            };
            followed += 1;
            let decoded = showcase::url::percent_decode(fragment).unwrap();
            let found = fragment.is_empty()
                || fragment.eq_ignore_ascii_case("top")
                || target_page
                    .ids
                    .iter()
                    .any(|i| *i == decoded || i == fragment);
            if !found {
                problems.push(format!(
                    "{path}: `{href}` points to {target_path}, which has no id `{decoded}`"
                ));
            }
        }
    }
    (problems, followed)
}

/// The repository's sample site, built into a temporary folder: (the folder, its output).
fn build_sample() -> (tempfile::TempDir, PathBuf) {
    let (out, public, _) = support::build_sample();
    (out, public)
}

#[test]
fn the_sample_site_has_unique_ids_and_every_anchor_resolves() {
    let (_tmp, public) = build_sample();
    let (problems, followed) = anchor_problems(&public, "");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every page's skip link, the tables of contents and the footnotes of the about page.
    let pages = pages(&public);
    assert!(pages.len() > 100, "{}", pages.len());
    assert!(followed >= pages.len() - 2, "{followed} of {}", pages.len());
    for lang in ["", "ru/", "kk/"] {
        let about = &pages[&format!("/{lang}about/")];
        assert!(
            about.links.iter().any(|l| l == "#fn-1") && about.ids.iter().any(|i| i == "fn-1"),
            "{lang}: {about:?}"
        );
    }
}

/// A site whose bodies try every way of making two elements share an id, with the theme
/// and with each other, and link across pages and languages (base path `/sub`, raw HTML
/// allowed).
const HOSTILE: &str = r##"
-- site.yaml --
title: Hostile Park
base_url: https://hostile.example.kz/sub
languages:
  ru: { title: Парк }
  kk: { title: Парк }
areas:
  telecom: Telecommunications
markdown:
  allow_html: true
-- content/_index.md --
---
title: Hostile Park
---
## Hero title

## Demos title {#demos-title}

## Featured title

## News title

## Main

<p id="hero-q">A raw id the theme has.</p>

A note.[^1]

[^1]: The home's note.
-- content/cohorts/c.md --
---
title: Cohort
start: 2026-01-01
end: 2026-06-01
---
## Projects title

## Demos title

Back to [the numbers](/projects/numbers/#header-1).
-- content/projects/numbers.md --
---
title: Numbers
summary: Every id at once.
cohort: c
areas: [telecom]
stage: idea
trl: 2
aliases: [/projects/old-numbers/]
---
## 1

A note[^1] and the same note again[^1], another[^Note].

## 2

# Header

# Header 1

# Header

## Header 2 {#header-2}

## Intro {#main}

## Team {#all-title}

## Facts title

## Toc title

## Team title

## Contents {#toc-title}

## Fn 1

## Рынок и команда

## Қазақстан: әуе, ғарыш, құрлық — ңө ұүһі

## ЗА́МОК

## 🚀🛰️

## ???

## ???

## Market size {#market}

<div id="main">raw</div> <span id="header">raw</span> <span id="fn-1">raw</span> <span id="own">own</span>

Links: [one](#1), [note](#fn-note), [header](#header-1), [market](#market),
[top](#top), [skip](#main), [facts](#facts-title), [own](#own), [кз](#қазақстан-әуе-ғарыш-құрлық-ңө-ұүһі).

[^1]: The first note.
[^note]: A note.
[^unused]: Never cited.
-- content/projects/numbers.ru.md --
---
title: Числа
summary: Все id сразу.
---
## 1

Сноска[^1].

## Рынок {#market}

## Рынок

[Сюда](#рынок), [туда](@/projects/other.md#team).

[^1]: Первая.
-- content/projects/other/index.md --
---
title: Other
summary: Links to the numbers.
cohort: c
areas: [telecom]
stage: pilot
trl: 5
---
## Team

To [header 1](../numbers/#header-1), [the first](/projects/numbers/#1),
[the market](@/projects/numbers.md#market), [the note](/projects/numbers/index.html#fn-note),
[Рынок](/projects/numbers/#%D1%80%D1%8B%D0%BD%D0%BE%D0%BA-%D0%B8-%D0%BA%D0%BE%D0%BC%D0%B0%D0%BD%D0%B4%D0%B0),
[the list](/projects/#all-title), [the Russian market](/ru/projects/numbers/#рынок),
[the news](@/news/2026-01-01-n.md#fn-a), [home](/#hero-title-1), [a file](/style.css#x).
-- content/news/2026-01-01-n.md --
---
title: News
summary: With notes.
projects: [numbers]
---
## Related title

Said[^a] and said again[^a], see [the notes](#fn-a) and [Header 2](/projects/numbers/#header-2).

[^a]: A source.
-- content/demos/d.md --
---
title: Demo
date: 2026-02-01
cohort: c
projects: [numbers, other]
---
## Projects title

## Projects title
-- content/pages/p.md --
---
title: Plain
---
## Main

## Skip to content

## Contents

## All title {#all-title}
"##;

#[test]
fn a_hostile_site_has_unique_ids_and_every_anchor_resolves() {
    let site = TestSite::new(HOSTILE);
    let run = site.build();
    let public = site.path("public");
    let (problems, followed) = anchor_problems(&public, "/sub");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(followed > 150, "{followed}");
    let pages = pages(&public);
    let ids = |p: &str| pages[p].ids.clone();
    let has = |p: &str, id: &str| pages[p].ids.iter().any(|i| i == id);

    // Headings: numbers, repeats, literal suffixes, any script, none at all.
    let numbers = ids("/projects/numbers/");
    for id in [
        "1",
        "2",
        "header",
        "header-1",
        "header-3",
        "header-2",
        "рынок-и-команда",
        "қазақстан-әуе-ғарыш-құрлық-ңө-ұүһі",
        "за\u{301}мок",
        "section",
        "section-1",
        "market",
        "fn-1",
        "main",
    ] {
        assert!(numbers.iter().any(|i| i == id), "{id}: {numbers:?}");
    }
    // Footnotes in their namespace: the heading "Fn 1" had `fn-1` first.
    let numbers_links = &pages["/projects/numbers/"].links;
    for link in [
        "#fn-1-1",
        "#fnref-1",
        "#fnref-1-1",
        "#fn-note",
        "#fnref-note",
    ] {
        assert!(
            numbers_links.iter().any(|l| l == link),
            "{link}: {numbers_links:?}"
        );
    }
    // The theme's ids stay the theme's: the skip link lands on <main>.
    let main = std::fs::read_to_string(public.join("projects/numbers/index.html")).unwrap();
    assert!(main.contains("<main id=\"main\""), "{main}");
    assert!(main.contains("<h2 id=\"main-1\">Intro</h2>"), "{main}");
    // `all-title` is the project list's, not the project page's: the body may have it.
    assert!(main.contains("<h2 id=\"all-title\">Team</h2>"), "{main}");
    assert!(
        main.contains("<h2 id=\"toc-title-1\">Contents</h2>"),
        "{main}"
    );
    // Each page's body dodges its own template's ids.
    assert!(has("/", "hero-title-1") && has("/", "hero-q-1") && has("/", "demos-title-1"));
    assert!(has("/cohorts/c/", "projects-title-1") && has("/cohorts/c/", "demos-title-1"));
    assert!(has("/news/n/", "related-title-1"));
    // ... and only those: a page without a list has no `all-title`.
    assert!(has("/p/", "all-title") && has("/p/", "main-1") && has("/p/", "contents"));
    // The translation keeps the id the original's links use.
    assert!(has("/ru/projects/numbers/", "market") && has("/ru/projects/numbers/", "рынок"));

    // Lists show no body: none of its ids is on a list page.
    for list in [
        "/projects/",
        "/ru/projects/",
        "/news/",
        "/demos/",
        "/cohorts/",
        "/areas/telecom/",
    ] {
        for id in [
            "1",
            "header-1",
            "fn-1-1",
            "fnref-1",
            "market",
            "рынок-и-команда",
            "section",
            "fn-a",
        ] {
            assert!(!has(list, id), "{list} has the body id {id}");
        }
    }

    // The warnings name each `{#id}` the theme has, at its line, and each raw id.
    let numbers_md = HOSTILE
        .split("-- content/projects/numbers.md --\n")
        .nth(1)
        .unwrap();
    let line_of = |needle: &str| numbers_md.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (id, got) in [("main", "main-1"), ("toc-title", "toc-title-1")] {
        let warning = format!(
            "warning: content/projects/numbers.md:{}:1: the heading id `{id}` cannot be used: the theme uses it on this page; this heading gets `{got}`",
            line_of(&format!("{{#{id}}}"))
        );
        assert!(run.stderr.contains(&warning), "{warning}\n{}", run.stderr);
    }
    let warning = format!(
        "warning: content/projects/numbers.md:{}:6: the HTML id `main` is the theme's too; this one is published as `main-2`",
        line_of("<div id=\"main\">")
    );
    assert!(run.stderr.contains(&warning), "{warning}\n{}", run.stderr);
    assert!(run.stderr.contains("the HTML id `header` is another element's of this body too; this one is published as `header-4`"), "{}", run.stderr);
    // Pages without the list may say `{#all-title}`.
    assert!(!run.stderr.contains("content/pages/p.md"), "{}", run.stderr);
    assert!(!run.stderr.contains("`all-title`"), "{}", run.stderr);

    // The feed's entries link to the page's anchors, which exist there.
    let feed = std::fs::read_to_string(public.join("news/atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let content = doc
        .descendants()
        .find(|n| n.has_tag_name("content"))
        .unwrap()
        .text()
        .unwrap();
    let permalink = "https://hostile.example.kz/sub/news/n/";
    let fragments: Vec<String> = scan(content)
        .links
        .iter()
        .filter_map(|l| l.strip_prefix(permalink))
        .map(|l| l.trim_start_matches('#').to_string())
        .collect();
    // The link to the notes, two references, two ways back.
    assert_eq!(fragments.len(), 5, "{content}");
    for f in fragments {
        assert!(has("/news/n/", &f), "{f}");
    }
}

/// The base site with a project whose headings other pages link to, in English and Russian.
const LINKED: &str = r#"
-- content/projects/mesh-radio.md --
---
title: Mesh Radio
summary: A mesh network of radios.
cohort: 2025-autumn
areas: [telecom]
stage: prototype
trl: 4
aliases: [/projects/old-mesh/]
---
## Market size

## Team

## Roadmap
-- content/projects/mesh-radio.ru.md --
---
title: Меш Радио
summary: Сеть радиостанций.
---
## Рынок

## Команда
"#;

#[test]
fn a_link_to_a_missing_anchor_of_another_page_is_an_error_with_the_anchors_there() {
    let site = TestSite::base_with(&format!(
        "{LINKED}{}",
        r#"
-- content/projects/sky-link.md --
---
title: Sky Link
summary: Satellite links for remote sites.
cohort: 2025-autumn
areas: [satellite, telecom]
stage: pilot
trl: 6
---
Relative: [a](../mesh-radio/#no-such-heading).
From the root: [b](/projects/mesh-radio/#market-sise), [c](/projects/mesh-radio/index.html#nope-nope-nope-nope).
By file: [d](@/projects/mesh-radio.md#nope).
A list: [e](/projects/#nope), [ok](/projects/#all-title).
An alias: [f](/projects/old-mesh/#team).
In the page: [g](#nowhere).
-- content/projects/sky-link.ru.md --
---
title: Скай Линк
summary: Спутниковая связь для удалённых объектов.
---
По-русски: [h](@/projects/mesh-radio.md#market-size), [i](/projects/mesh-radio/#market-size).
"#
    ));
    let stderr = site.fails();
    let expected = [
        "error: content/projects/sky-link.md:9:11: the link `../mesh-radio/#no-such-heading` points to /projects/mesh-radio/, which has no anchor `#no-such-heading`",
        "  help: its anchors are `#market-size`, `#team`, `#roadmap`",
        "error: content/projects/sky-link.md:10:16: the link `/projects/mesh-radio/#market-sise` points to /projects/mesh-radio/, which has no anchor `#market-sise`",
        "  help: did you mean `#market-size`?",
        "error: content/projects/sky-link.md:10:56: the link `/projects/mesh-radio/index.html#nope-nope-nope-nope` points to /projects/mesh-radio/, which has no anchor `#nope-nope-nope-nope`",
        "  help: its anchors are `#market-size`, `#team`, `#roadmap`",
        "error: content/projects/sky-link.md:11:10: the link `@/projects/mesh-radio.md#nope` points to /projects/mesh-radio/, which has no anchor `#nope`",
        "error: content/projects/sky-link.md:12:9: the link `/projects/#nope` points to /projects/, which has no anchor `#nope`",
        "error: content/projects/sky-link.md:13:11: the link `/projects/old-mesh/#team` points to /projects/old-mesh/, which only redirects to /projects/mesh-radio/: the browser drops `#team` on the way",
        "  help: link to `/projects/mesh-radio/#team`",
        "error: content/projects/sky-link.md:14:14: the link `#nowhere` points to no anchor of this page",
        "  help: it has no anchors of its own: a heading gets one from its text (`## Market` is `#market`) or from the `{#id}` written after it",
        "error: content/projects/sky-link.ru.md:5:12: the link `@/projects/mesh-radio.md#market-size` points to /ru/projects/mesh-radio/, which has no anchor `#market-size`",
        "  help: its anchors are `#рынок`, `#команда`; the en page has it, but this one shows the text of content/projects/mesh-radio.ru.md: give that heading the same id in every language with `{#market-size}`",
        // The Kazakh page shows the Russian text: the same link, to the Kazakh page.
        "error: content/projects/sky-link.ru.md:5:12: the link `@/projects/mesh-radio.md#market-size` points to /kk/projects/mesh-radio/, which has no anchor `#market-size`",
    ];
    for line in expected {
        assert!(stderr.contains(line), "missing:\n{line}\nin:\n{stderr}");
    }
    // The list's help names the theme's anchors there.
    assert!(
        stderr.contains(
            "  help: its anchors are the theme's: `#all-title`, `#f-areas`, `#f-cohorts`"
        ),
        "{stderr}"
    );
    // The valid links are not reported: the list's own id, the English page from Russian.
    assert!(!stderr.contains("#all-title` points"), "{stderr}");
    assert!(
        !stderr.contains("`/projects/mesh-radio/#market-size`"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error:").count(), 9, "{stderr}");
}

#[test]
fn the_same_anchor_links_from_a_bundle_a_translation_and_a_fallback_page() {
    // The Russian text sets `{#market-size}`: the links of every language find it; the
    // Kazakh page, without a translation, shows the Russian text and has it too.
    let site = TestSite::base_with(&format!(
        "{}{}",
        LINKED.replace("## Рынок\n", "## Рынок {#market-size}\n"),
        r#"
-- content/projects/sky-link/index.md --
---
title: Sky Link
summary: Satellite links for remote sites.
cohort: 2025-autumn
areas: [satellite, telecom]
stage: pilot
trl: 6
---
[a](../mesh-radio/#team) [b](@/projects/mesh-radio.md#market-size) [c](/kk/projects/mesh-radio/#команда)
-- content/projects/sky-link/index.ru.md --
---
title: Скай Линк
summary: Спутниковая связь для удалённых объектов.
---
[h](@/projects/mesh-radio.md#market-size) [i](../mesh-radio/#team) [j](/ru/projects/mesh-radio/#команда)
"#
    ));
    site.remove("content/projects/sky-link.md");
    site.remove("content/projects/sky-link.ru.md");
    site.build();
    let (problems, followed) = anchor_problems(&site.path("public"), "");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(followed > 0);
    let en = site.read("projects/sky-link/index.html");
    assert!(en.contains("href=\"/projects/mesh-radio/#team\""), "{en}");
    assert!(
        en.contains("href=\"/projects/mesh-radio/#market-size\""),
        "{en}"
    );
    let ru = site.read("ru/projects/sky-link/index.html");
    assert!(
        ru.contains("href=\"/ru/projects/mesh-radio/#market-size\""),
        "{ru}"
    );
    let kk = site.read("kk/projects/sky-link/index.html");
    assert!(
        kk.contains("href=\"/kk/projects/mesh-radio/#market-size\""),
        "{kk}"
    );
}

#[test]
fn the_preview_catches_a_heading_renamed_under_a_link() {
    use showcase::pipeline::{self, Cache};
    let site = TestSite::base_with(&format!(
        "{LINKED}{}",
        r#"
-- content/projects/sky-link.md --
---
title: Sky Link
summary: Satellite links for remote sites.
cohort: 2025-autumn
areas: [satellite, telecom]
stage: pilot
trl: 6
---
See [the market](/projects/mesh-radio/#market-size).
"#
    ));
    let options = support::preview_options();
    let mut cache = Cache::default();
    let render = |cache: &mut Cache, changed: &str| {
        cache.changed([PathBuf::from(changed)].into_iter().collect());
        let incremental = pipeline::render_cached(site.root(), None, &options, cache);
        let full = pipeline::render(site.root(), None, &options);
        let messages = |r: &Result<pipeline::Rendered, showcase::error::Errors>| match r {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|e| e.to_string()).collect(),
        };
        assert_eq!(messages(&incremental), messages(&full));
        messages(&incremental)
    };
    pipeline::render_cached(site.root(), None, &options, &mut cache).unwrap();
    // The linked page's heading changes: the other page's link is broken now.
    site.edit(
        "content/projects/mesh-radio.md",
        "## Market size",
        "## Prices",
    );
    let errors = render(&mut cache, "content/projects/mesh-radio.md");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("content/projects/sky-link.md:9:5: the link `/projects/mesh-radio/#market-size` points to /projects/mesh-radio/, which has no anchor `#market-size`"), "{errors:?}");
    // The link follows.
    site.edit("content/projects/sky-link.md", "#market-size", "#prices");
    assert!(render(&mut cache, "content/projects/sky-link.md").is_empty());
    // An edit of the linking page alone (patched into the last site) is checked too.
    site.edit("content/projects/sky-link.md", "#prices", "#price");
    let errors = render(&mut cache, "content/projects/sky-link.md");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("has no anchor `#price`"), "{errors:?}");
}

#[test]
fn the_checker_finds_what_it_is_for() {
    // A hand-made output: two elements with one id, links to ids that are not there, and
    // ids and links inside a script and a comment, which are not elements.
    let out = tempfile::tempdir().unwrap();
    let write = |rel: &str, html: &str| {
        let p = out.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, html).unwrap();
    };
    write(
        "sub-root/index.html",
        r##"<!DOCTYPE html><title>id="t"</title><p id="a">a</p><h2 id=a>b</h2>
<a href="#a">ok</a> <a href="#b">no</a> <a href="#top">top</a> <a href="projects/x/#y">rel</a>
<a href="/projects/x/#z">abs</a> <a href="/projects/x/index.html#%D1%8F">enc</a> <a href="/nowhere/#q">gone</a>
<a href="https://elsewhere.example/#q">away</a> <a href="/style.css#q">file</a>
<script>var s = '<a href="#script-only" id="b">';</script><!-- <p id="b"> -->"##,
    );
    write("sub-root/style.css", "p {}");
    write(
        "sub-root/projects/x/index.html",
        "<!DOCTYPE html><h1 id=\"y\">Y</h1><h2 id=\"я\">Я</h2>",
    );
    let (problems, followed) = anchor_problems(&out.path().join("sub-root"), "");
    assert_eq!(
        problems,
        [
            "/: the id `a` is on the page twice",
            "/: `#b` points to /, which has no id `b`",
            "/: `/projects/x/#z` points to /projects/x/, which has no id `z`",
            "/: `/nowhere/#q` points to no file",
        ]
    );
    assert_eq!(followed, 6);
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn in_a_browser_the_footnote_link_lands_on_the_note_not_on_the_heading() {
    use support::browser::{chromium_required, launch, Page};
    // The issue's example: a heading `## 1` and a footnote `[^1]` on one page (three
    // headings: the theme shows a table of contents).
    let bin = chromium_required();
    let site = TestSite::base_with(
        "-- content/projects/sky-link.md --\n---\ntitle: Sky Link\nsummary: S.\ncohort: 2025-autumn\n\
         areas: [telecom]\nstage: pilot\ntrl: 6\n---\n## 1\n\nA claim.[^1]\n\n## 2\n\n\
         Text.\n\n## 3\n\nMore.\n\n[^1]: The source.\n",
    );
    let server = site.serve(&[]);
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    page.navigate(&format!("http://{}/projects/sky-link/", server.addr));
    // Every id of the live page (the theme's, the body's, anything a script added) once.
    assert_eq!(
        page.eval("(() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id); return ids.length === new Set(ids).size; })()"),
        serde_json::json!(true),
        "{}",
        page.eval("[...document.querySelectorAll('[id]')].map(e => e.id).join(' ')")
    );
    let target = |page: &mut Page| {
        page.eval("(() => { const t = document.querySelector(':target'); return t ? t.tagName + '#' + t.id : null; })()")
    };
    page.click("a[role=doc-noteref]");
    assert!(page.wait_for("location.hash === '#fn-1'", 5));
    assert_eq!(target(&mut page), "DIV#fn-1");
    assert!(page
        .eval("document.querySelector(':target').textContent")
        .as_str()
        .unwrap()
        .contains("The source."));
    page.click("a.footnote-backref");
    assert!(page.wait_for("location.hash === '#fnref-1'", 5));
    assert_eq!(target(&mut page), "A#fnref-1");
    // The table of contents reaches the heading `1`, the skip link the main content.
    page.click(".toc a[href='#1']");
    assert!(page.wait_for("location.hash === '#1'", 5));
    assert_eq!(target(&mut page), "H2#1");
    page.eval("document.querySelector('.skip-link').focus()");
    page.press("Enter");
    assert!(page.wait_for("location.hash === '#main'", 5));
    assert_eq!(target(&mut page), "MAIN#main");
}
