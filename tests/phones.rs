//! No page scrolls sideways, from a 320-px phone to a 1280-px laptop, whatever its content
//! holds (issue 14, item 6): a site whose every page kind carries hostile text (a 500-character
//! code line, a 300-character bare URL, 200-letter Kazakh and Russian words, a 12-column
//! table, a 4000-px image, quotes and lists ten deep, right-to-left text, emoji runs, long
//! titles, tags, names and venues), and every page of the park's sample site, are opened in
//! headless Chromium at six widths. A box that scrolls by itself (a code block, a table) may
//! hold wider content; a keyboard can reach it. The filter form shows every choice whole
//! (issue 14, item 9: cohort names were cut off in the Kazakh sidebar at 1280 px).
//!
//! Screenshots at 360 and 1280 px go to `target/screenshots/phones-*.png`.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

mod support;
use support::browser::{chromium_required, launch, Page};
use support::TestSite;

/// The widths a page must fit, in CSS pixels: small and common phones, a tablet upright, a
/// tablet on its side and a laptop.
const WIDTHS: [u32; 6] = [320, 360, 414, 768, 1024, 1280];

/// Everything on the page that reaches past the window's left or right edge, as lines of
/// text; empty when the page fits. Content inside a box that scrolls by itself
/// (`overflow-x: auto` or `scroll`) may be wider, but then a keyboard must reach that box
/// (it, or something in it, takes the focus: axe's `scrollable-region-focusable`). Text
/// hidden for all but screen readers (`.visually-hidden`: 1 px, clipped) is not seen.
const OVERFLOW_JS: &str = r#"(() => {
  const W = document.documentElement.clientWidth;
  const problems = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map(c => '.' + c).join('');
  const snippet = s => JSON.stringify((s || '').trim().replace(/\s+/g, ' ').slice(0, 50));
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const unseen = el => {
    const cs = getComputedStyle(el);
    return cs.position === 'absolute' && (cs.clip !== 'auto' || cs.clipPath !== 'none') &&
      el.getBoundingClientRect().width <= 1;
  };
  // Whether `el` or an element around it scrolls by itself or is hidden from sight.
  const held = (el, self) => {
    for (let a = self ? el : el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (scrolls(a) || unseen(a)) return true;
    }
    return false;
  };
  const outside = r => r.width > 0 && r.height > 0 && (r.right > W + 0.5 || r.left < -0.5);
  const span = r => `${Math.round(r.left)}..${Math.round(r.right)} px`;
  const sw = document.documentElement.scrollWidth;
  if (sw > W) problems.push(`the page is ${sw} px wide in a ${W}-px window`);
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (outside(r) && !held(el, false)) {
      problems.push(`<${name(el)}> ${snippet(el.textContent)} spans ${span(r)}`);
    }
    if (scrolls(el) && el.scrollWidth > el.clientWidth + 1 && el !== document.documentElement) {
      const focusable = e => e.tabIndex >= 0 && !e.disabled;
      const inside = el.querySelectorAll('a[href], button, input, select, textarea, [tabindex]');
      if (!focusable(el) && ![...inside].some(focusable)) {
        problems.push(`<${name(el)}> ${snippet(el.textContent)} scrolls, but no key reaches it`);
      }
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.data.trim() || !n.parentElement) continue;
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (outside(r) && !held(n.parentElement, true)) {
      problems.push(`text ${snippet(n.data)} in <${name(n.parentElement)}> spans ${span(r)}`);
    }
  }
  return problems.slice(0, 12);
})()"#;

/// Every choice of every select of the project filter (`filters.js`) that the select would
/// not show whole, as lines of text; empty when all show. A select that may wrap its text
/// (customizable select, `appearance: base-select`) must be as tall as the wrapped text; any
/// other must fit the text on its one line.
const SELECTS_JS: &str = r#"(() => {
  const problems = [];
  const probe = document.createElement('div');
  document.body.append(probe);
  for (const s of document.querySelectorAll('#project-filter select')) {
    const keep = s.value;
    for (const o of s.options) {
      s.value = o.value;
      const cs = getComputedStyle(s);
      const base = cs.appearance === 'base-select';
      const icon = getComputedStyle(s, '::picker-icon');
      const px = v => parseFloat(v) || 0;
      // The room for the text: the content box less the drop-down arrow (its own width in
      // a customizable select; 20 px, Chromium's, in a native one).
      const arrow = base ? px(icon.width) + px(icon.marginRight) + px(cs.columnGap) : 20;
      const room = s.clientWidth - px(cs.paddingLeft) - px(cs.paddingRight) - arrow;
      const height = s.clientHeight - px(cs.paddingTop) - px(cs.paddingBottom);
      const label = o.textContent.trim();
      probe.style.cssText = `position:absolute;left:0;top:0;visibility:hidden;font:${cs.font};` +
        `letter-spacing:${cs.letterSpacing};line-height:${cs.lineHeight};white-space:nowrap`;
      probe.textContent = label;
      const line = probe.getBoundingClientRect();
      probe.style.whiteSpace = 'normal';
      probe.style.overflowWrap = 'anywhere';
      probe.style.width = room + 'px';
      const wrapped = probe.getBoundingClientRect().height;
      const whole = line.width <= room + 0.5 || (base && height + 0.5 >= wrapped);
      if (!whole) {
        problems.push(`${s.name}: ${JSON.stringify(label)} needs ${Math.round(line.width)} px ` +
          `on one line (${Math.round(wrapped)} px high wrapped); the select shows ` +
          `${Math.round(room)} x ${Math.round(height)} px`);
      }
    }
    s.value = keep;
  }
  probe.remove();
  return problems;
})()"#;

/// A static host for `dir`, as a site is published: `/a/` is `a/index.html`, a missing
/// file is `/404.html` with status 404. Returns `http://127.0.0.1:PORT`; it serves until
/// the test ends.
fn host(dir: PathBuf) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", server.server_addr().to_ip().unwrap());
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = percent_decode(request.url().split(['?', '#']).next().unwrap_or("/"));
            let mut file = dir.join(path.trim_start_matches('/'));
            if path.ends_with('/') {
                file.push("index.html");
            }
            let (status, file) = if !path.contains("..") && file.is_file() {
                (200, file)
            } else {
                (404, dir.join("404.html"))
            };
            let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
                "html" => "text/html; charset=utf-8",
                "css" => "text/css",
                "js" => "text/javascript",
                "json" => "application/json",
                "svg" => "image/svg+xml",
                "png" => "image/png",
                "jpg" | "jpeg" => "image/jpeg",
                "webp" => "image/webp",
                "gif" => "image/gif",
                "xml" => "application/xml",
                _ => "application/octet-stream",
            };
            let response = tiny_http::Response::from_data(std::fs::read(&file).unwrap_or_default())
                .with_status_code(status)
                .with_header(tiny_http::Header::from_bytes("Content-Type", kind).unwrap());
            let _ = request.respond(response);
        }
    });
    addr
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL path of every page of the built site in `public` (redirect pages left out: they
/// leave at once), with `/404.html` as a path that does not exist.
fn pages(public: &Path) -> Vec<String> {
    let mut paths: Vec<String> = support::files_under(public)
        .into_iter()
        .filter(|f| f.ends_with("index.html"))
        .filter(|f| {
            !std::fs::read_to_string(public.join(f))
                .unwrap()
                .contains("http-equiv=\"refresh\"")
        })
        .map(|f| format!("/{}", f.trim_end_matches("index.html")))
        .collect();
    paths.sort();
    paths.push("/no-such-page/".into());
    paths
}

/// Opens each path once and lays it out at every width; returns each problem found, as
/// `PATH at WIDTH px: WHAT`.
fn overflows(page: &mut Page, origin: &str, paths: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for path in paths {
        page.set_width(1280);
        page.navigate(&format!("{origin}{path}"));
        if path.contains("?q=") {
            // search.js writes its results after it has fetched the index.
            page.wait_for(
                "document.getElementById('search-status').textContent.trim() !== ''",
                10,
            );
        }
        for width in WIDTHS {
            page.set_width(width);
            let Value::Array(problems) = page.eval(OVERFLOW_JS) else {
                panic!("{path}: the check did not run");
            };
            found.extend(
                problems
                    .iter()
                    .map(|p| format!("{path} at {width} px: {}", p.as_str().unwrap_or(""))),
            );
        }
    }
    found
}

/// npm's axe-core (`.ci/run` installs it into `target/npm/`; `AXE_CORE=path/axe.min.js`
/// points elsewhere); without it the scan is skipped, with a line saying so, unless
/// `SHOWCASE_REQUIRE_BROWSER` is set (as in CI).
fn axe_source() -> Option<String> {
    let path = std::env::var_os("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/axe-core/axe.min.js")
        });
    let source = std::fs::read_to_string(&path).ok();
    assert!(
        source.is_some() || std::env::var_os("SHOWCASE_REQUIRE_BROWSER").is_none(),
        "axe-core is required (SHOWCASE_REQUIRE_BROWSER) but {} is missing",
        path.display()
    );
    if source.is_none() {
        eprintln!(
            "SKIPPED: no axe-core at {}; the accessibility scan did not run",
            path.display()
        );
    }
    source
}

/// The serious and critical axe-core violations of the page loaded in `page`.
fn axe_violations(page: &mut Page, axe: &str) -> Value {
    page.eval(axe);
    let r = page.call(
        "Runtime.evaluate",
        json!({
            "expression": "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({id: v.id, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))",
            "awaitPromise": true,
            "returnByValue": true,
        }),
    );
    let v = r["result"]["result"]["value"].clone();
    assert!(v.is_array(), "axe did not run: {r}");
    v
}

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

/// `n` copies of `s`, with no space between them.
fn word(s: &str, n: usize) -> String {
    s.repeat(n)
}

/// The first `n` characters of `s`.
fn prefix(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// A body with everything that has widened pages elsewhere (its images are files of the
/// site's `static/`, so that every kind of item can show them).
fn hostile_body() -> String {
    let kk = word("Қорғаныстехнологияларыныңинновациялықпаркі", 5);
    let ru = word("Высокотехнологичныйоборонныйинновационныйпарк", 5);
    let url = format!("https://example.kz/files/{}", word("0123456789abcdef", 18));
    let code = word(
        "let signal_strength_over_the_steppe = measure(antenna); ",
        9,
    );
    let header: Vec<String> = (1..=12).map(|i| format!("Column {i}")).collect();
    let rule = ["---"; 12].join("|");
    let row: Vec<String> = (1..=12)
        .map(|i| match i {
            3 => url.clone(),
            7 => prefix(&kk, 80),
            _ => format!("cell {i} with a few words"),
        })
        .collect();
    let quotes = format!("{}{ru}", "> ".repeat(10));
    let list: String = (0..10)
        .map(|depth| {
            format!(
                "{}- level {depth} {}\n",
                "  ".repeat(depth),
                prefix(&kk, 60)
            )
        })
        .collect();
    let deep_ol: String = (0..10)
        .map(|depth| {
            format!(
                "{}1. item {depth} {}\n",
                "   ".repeat(depth),
                prefix(&ru, 60)
            )
        })
        .collect();
    format!(
        "## {kk}\n\n\
         A bare address: {url} and an autolink <{url}>.\n\n\
         Words without a space: {kk} — {ru}.\n\n\
         Inline code: `{inline}`.\n\n\
         A [{aaaa}](https://example.kz/) link and [∑∫∂√{math}](https://example.kz/math).\n\n\
         ```rust\n{code}\n```\n\n\
         |{h}|\n|{rule}|\n|{r}|\n|{r}|\n\n\
         {quotes}\n\n\
         {list}\n\
         {deep_ol}\n\
         Right to left: {arabic} {hebrew}.\n\n\
         Emoji: {emoji}\n\n\
         ### {latin}\n\n\
         ![A wide strip](/images/wide.png)\n\n\
         ![A wide drawing](/images/wide.svg)\n\n\
         A footnote.[^far]\n\n\
         [^far]: See {url} and {kk}.\n",
        inline = word("inline_code_span_", 20),
        aaaa = "a".repeat(300),
        math = "x".repeat(200),
        h = header.join("|"),
        r = row.join("|"),
        arabic = word("مرحبابالعالمالعربي", 12),
        hebrew = word("שלוםעולםהעברית", 14),
        emoji = word("🚀🛰️📡🛡️🇰🇿", 50),
        latin = word("Supercalifragilistic", 10),
    )
}

/// A site whose every page kind carries hostile text: titles, summaries, tags, team names,
/// venues, tracks, area names, the site's title and address, and the bodies. It allows raw
/// HTML (`markdown.allow_html`), and one page holds some: a wide table, a `<pre>`, images
/// with their width written, a `<details>` and a `<figure>`.
fn hostile_site() -> TestSite {
    let kk = word("Бағдарламаларкөрмесі", 10);
    let ru = word("Демонстрационныйдень", 10);
    let en = word("Showcase", 25);
    let url = format!("https://example.kz/{}", word("0123456789", 25));
    let body = hostile_body();
    let indent = |s: &str| s.lines().map(|l| format!("  {l}\n")).collect::<String>();
    let site = TestSite::new(&format!(
        r##"
-- site.yaml --
title: Park {en}
base_url: https://test.example.kz
news_per_page: 1
markdown:
  allow_html: true
languages:
  ru: {{ title: Парк {ru} }}
  kk: {{ title: Парк {kk} }}
areas:
  telecom: {{ en: Telecom {en}, ru: Связь {ru}, kk: Байланыс {kk} }}
  satellite: Satellite solutions
extra:
  contact_email: {en}@example.kz
  address: {kk}
-- content/_index.md --
---
title: Hostile {en}
---
{body}
-- content/cohorts/long.yaml --
title: Cohort {kk}
start: 2025-09-01
end: 2025-12-15
track: Track {ru}
summary: Summary {en}
body: |
{body_yaml}
-- content/cohorts/short.yaml --
title: Spring
start: 2026-03-01
end: 2026-05-31
-- content/projects/hostile/index.md --
---
title: Hostile {kk}
summary: Summary {ru}
cohort: long
areas: [telecom, satellite]
stage: pilot
trl: 6
team:
  - {{ name: {kk}, role: {ru} }}
  - {{ name: Аида {en}, role: Lead }}
links:
  website: {url}
  repo: {url}
  contact: mailto:{en}@example.kz
gallery:
  - {{ src: /images/wide.png, alt: A wide strip, caption: Caption {kk} }}
---
{body}
-- static/images/wide.svg --
<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="120" viewBox="0 0 4000 120"><rect width="4000" height="120" fill="#14b8a6"/></svg>
-- content/projects/video/index.md --
---
title: Hostile video {ru}
summary: A video poster with a long title.
cohort: short
areas: [satellite]
stage: idea
trl: 2
video: https://www.youtube.com/watch?v=aqz-KE-bpKQ
---
Short.
-- content/demos/demo.md --
---
title: Hostile demo {en}
date: 2026-06-10
venue: Venue {kk}
cohort: long
projects: [hostile, video]
video: {url}
---
{body}
-- content/news/2025-11-24-hostile.md --
---
title: Hostile news {ru}
summary: Summary {kk}
tags: [{kk}, {ru}, short]
projects: [hostile]
---
{body}
-- content/news/2025-11-25-second.md --
---
title: Second {en}
tags: [{en}]
---
The second page of the news list.
-- content/pages/about.md --
---
title: About {kk}
---
{body}
-- content/pages/raw.md --
---
title: Raw HTML
---
<table tabindex="0"><tr>{cells}</tr></table>

<pre>{code}</pre>

<p><img src="/images/wide.png" alt="A wide strip" width="4000" height="60"></p>

<details open><summary>{kk}</summary><p>{url}</p></details>

<figure><img src="/images/wide.svg" alt="A wide drawing" width="4000" height="120"><figcaption>{ru}</figcaption></figure>
"##,
        body_yaml = indent(&body),
        cells = format!("<td>{url}</td>").repeat(12),
        code = word("raw_code_without_breaks ", 25).replace(' ', "_"),
    ));
    // A raster strip 4000 px wide (the image stage publishes it, and copies, as they are).
    let mut png = Vec::new();
    image::RgbImage::from_pixel(4000, 60, image::Rgb([20, 184, 166]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    site.write_bytes("static/images/wide.png", &png);
    site
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn hostile_content_never_makes_a_page_scroll_sideways() {
    let bin = chromium_required();
    let site = hostile_site();
    site.build();
    let origin = host(site.path("public"));
    let paths = pages(&site.path("public"));
    // Every page kind, in every language.
    for kind in [
        "/",
        "/projects/",
        "/projects/hostile/",
        "/cohorts/",
        "/cohorts/long/",
        "/demos/",
        "/demos/demo/",
        "/news/",
        "/news/page/2/",
        "/news/hostile/",
        "/about/",
        "/raw/",
        "/areas/",
        "/areas/telecom/",
        "/stages/pilot/",
        "/search/",
    ] {
        for lang in ["", "/ru", "/kk"] {
            let path = format!("{lang}{kind}");
            assert!(paths.contains(&path), "no page {path}: {paths:?}");
        }
    }
    // The raw HTML is there, its own scroll boxes a key reaches.
    let raw = site.read("raw/index.html");
    for tag in [
        "<table tabindex=\"0\">",
        "<pre tabindex=\"0\">",
        "<details>",
        "<figure>",
    ] {
        assert!(raw.contains(tag), "no {tag} in {raw}");
    }
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    let mut paths = paths;
    // The search page with results, which search.js writes.
    paths.extend(["/search/?q=hostile", "/kk/search/?q=hostile"].map(String::from));
    let found = overflows(&mut page, &origin, &paths);
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );

    // Without JavaScript the sidebar is the catalogue of links, the long names in it too.
    page.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    );
    let catalogue = ["/projects/", "/ru/projects/", "/kk/projects/"].map(String::from);
    let found = overflows(&mut page, &origin, &catalogue);
    assert!(
        found.is_empty(),
        "without JavaScript:\n{}",
        found.join("\n")
    );
    assert_eq!(
        page.eval("getComputedStyle(document.querySelector('.catalogue')).display"),
        json!("block"),
        "the catalogue was not shown"
    );
    page.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": false}),
    );

    // Search results are there to be checked.
    page.navigate(&format!("{origin}/search/?q=hostile"));
    assert!(
        page.wait_for(
            "document.querySelectorAll('#search-results .search-link').length >= 3",
            10
        ),
        "no search results"
    );
    // The code block and the table scroll inside their own boxes, which a key reaches.
    page.set_width(360);
    page.navigate(&format!("{origin}/projects/hostile/"));
    for selector in [".content pre", ".content .table-scroll"] {
        let state = page.eval(&format!(
            "(e => [e.scrollWidth > e.clientWidth, e.getBoundingClientRect().right <= document.documentElement.clientWidth, e.tabIndex, (e.focus(), document.activeElement === e)])(document.querySelector({}))",
            json!(selector)
        ));
        assert_eq!(state, json!([true, true, 0, true]), "{selector}");
    }
    // The filter form shows every choice whole, the long cohort name too.
    for width in WIDTHS {
        for lang in ["", "/ru", "/kk"] {
            page.set_width(width);
            page.navigate(&format!("{origin}{lang}/projects/"));
            let problems = page.eval(SELECTS_JS);
            assert_eq!(problems, json!([]), "{lang}/projects/ at {width} px");
        }
    }
    // What the hostile text does to the pages passes axe-core: scroll boxes a key reaches
    // (`scrollable-region-focusable`), code and tables on the dark home hero that keep
    // their contrast.
    if let Some(axe) = axe_source() {
        for width in [360, 1280] {
            for path in ["/", "/projects/hostile/", "/kk/projects/", "/news/hostile/"] {
                page.set_width(width);
                page.navigate(&format!("{origin}{path}"));
                assert_eq!(
                    axe_violations(&mut page, &axe),
                    json!([]),
                    "{path} at {width} px"
                );
            }
        }
    }
    for width in [360, 1280] {
        page.set_width(width);
        page.navigate(&format!("{origin}/projects/hostile/"));
        page.screenshot(&screenshots().join(format!("phones-hostile-project-{width}.png")));
        page.navigate(&format!("{origin}/kk/projects/?cohort=long"));
        page.screenshot(&screenshots().join(format!("phones-hostile-kk-projects-{width}.png")));
    }
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn no_page_of_the_sample_site_scrolls_sideways() {
    let bin = chromium_required();
    let (_out, public, _) = support::build_sample();
    let origin = host(public.clone());
    let paths = pages(&public);
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    let found = overflows(&mut page, &origin, &paths);
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );

    // Issue 14, item 9: the cohort names were cut off in the Kazakh sidebar at 1280 px.
    for width in [1280, 1024, 360] {
        for lang in ["", "/ru", "/kk"] {
            page.set_width(width);
            page.navigate(&format!("{origin}{lang}/projects/"));
            assert!(
                page.wait_for("!document.getElementById('project-filter').hidden", 10),
                "filters.js did not show the form"
            );
            let problems = page.eval(SELECTS_JS);
            assert_eq!(problems, json!([]), "{lang}/projects/ at {width} px");
        }
    }
    for width in [360, 1280] {
        page.set_width(width);
        page.navigate(&format!("{origin}/kk/projects/?cohort=hub-2026-spring"));
        page.screenshot(&screenshots().join(format!("phones-sample-kk-projects-{width}.png")));
    }
}
