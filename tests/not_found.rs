//! Not-found pages in every language (issue 14, item 7): each language has its own
//! `/<code>/404.html` in that language, with its navigation, switcher and search, `noindex`
//! and never in the sitemap; the root `/404.html`, which static hosts serve for every
//! missing address, speaks every language, each part marked with its `lang`, and its script
//! (optional) puts the visitor's language first; `showcase serve` answers a missing
//! `/ru/...` with the Russian page and status 404. The pages are read with a real HTML
//! parser (scraper, html5ever).
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};
use serde_json::json;

mod support;
use support::browser::{axe_source, axe_violations, chromium_required, launch, Page};
use support::{TestSite, BASE};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The elements of `doc` matching `css`.
fn all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(css)).collect()
}

fn one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    let found = all(doc, css);
    assert_eq!(found.len(), 1, "{css}: {} found", found.len());
    found[0]
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The language `e` is read in: its own `lang` or its nearest ancestor's.
fn lang_of(e: ElementRef<'_>) -> String {
    std::iter::once(e)
        .chain(e.ancestors().filter_map(ElementRef::wrap))
        .find_map(|x| x.value().attr("lang"))
        .unwrap_or("")
        .to_string()
}

/// (language, output file, title, the nav's "Projects", the home page) of each 404 page.
const PAGES: &[(&str, &str, &str, &str, &str)] = &[
    ("en", "404.html", "Page not found", "Projects", "/"),
    (
        "ru",
        "ru/404.html",
        "Страница не найдена",
        "Проекты",
        "/ru/",
    ),
    ("kk", "kk/404.html", "Бет табылмады", "Жобалар", "/kk/"),
];

#[test]
fn each_language_has_its_own_not_found_page() {
    let site = TestSite::new(BASE);
    site.build();
    for &(lang, file, title, projects, home) in PAGES {
        let doc = Html::parse_document(&site.read(file));
        let what = file;
        assert_eq!(one(&doc, "html").value().attr("lang"), Some(lang), "{what}");
        assert_eq!(
            one(&doc, "meta[name=robots]").value().attr("content"),
            Some("noindex"),
            "{what}"
        );
        let h1 = one(&doc, "main h1");
        assert_eq!((text(h1), lang_of(h1)), (title.to_string(), lang.into()));
        // The site's navigation, in the page's language.
        let nav = one(&doc, &format!("nav.site-nav a[href=\"{home}projects/\"]"));
        assert_eq!(text(nav), projects, "{what}");
        // The switcher leads to every language's home page, this one marked current.
        let switch: Vec<(String, String, bool)> = all(&doc, "nav.lang-switch a")
            .iter()
            .map(|a| {
                let v = a.value();
                (
                    v.attr("hreflang").unwrap().to_string(),
                    v.attr("href").unwrap().to_string(),
                    v.attr("aria-current") == Some("true"),
                )
            })
            .collect();
        assert_eq!(
            switch,
            [
                ("en".to_string(), "/".to_string(), lang == "en"),
                ("ru".into(), "/ru/".into(), lang == "ru"),
                ("kk".into(), "/kk/".into(), lang == "kk"),
            ],
            "{what}"
        );
        // A search box that searches this language, and the way home.
        let form = one(&doc, "main form[role=search]");
        assert_eq!(
            form.value().attr("action"),
            Some(format!("{home}search/").as_str())
        );
        one(&doc, "main form[role=search] input[name=q]");
        assert!(
            all(&doc, "main a")
                .iter()
                .any(|a| a.value().attr("href") == Some(home)),
            "{what}: no link home"
        );
        // Not an alternate of anything, and not in the sitemap.
        assert!(
            all(&doc, "link[rel=alternate][hreflang]").is_empty(),
            "{what}"
        );
    }
    let sitemap = site.read("sitemap.xml");
    let xml = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("loc") || n.has_tag_name("link"))
        .filter_map(|n| n.text().or(n.attribute("href")))
        .collect();
    assert!(locs.len() > 10, "{locs:?}");
    assert!(!locs.iter().any(|l| l.contains("404")), "{locs:?}");
}

#[test]
fn the_root_not_found_page_speaks_every_language() {
    let site = TestSite::new(BASE);
    site.build();
    let doc = Html::parse_document(&site.read("404.html"));
    // The default language's text, then each other language's, marked with its lang.
    let others: Vec<(String, String, Vec<String>)> = all(&doc, "main section.not-found-other")
        .iter()
        .map(|s| {
            let doc = Html::parse_fragment(&s.html());
            (
                s.value().attr("lang").unwrap().to_string(),
                text(one(&doc, "h2")),
                all(&doc, "a")
                    .iter()
                    .map(|a| a.value().attr("href").unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        others,
        [
            (
                "ru".to_string(),
                "Страница не найдена".to_string(),
                vec![
                    "/ru/".to_string(),
                    "/ru/projects/".into(),
                    "/ru/search/".into()
                ]
            ),
            (
                "kk".into(),
                "Бет табылмады".into(),
                vec!["/kk/".into(), "/kk/projects/".into(), "/kk/search/".into()]
            ),
        ]
    );
    // Every piece of text in <main> is in the language it is marked with: the Cyrillic
    // messages are never read as English.
    for e in all(
        &doc,
        "main h1, main h2, main p, main a, main label, main button",
    ) {
        let cyrillic = text(e)
            .chars()
            .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap()));
        let lang = lang_of(e);
        assert_eq!(cyrillic, lang != "en", "{:?} is read as {lang}", text(e));
    }
    // The per-language pages speak their own language only.
    for file in ["ru/404.html", "kk/404.html"] {
        let doc = Html::parse_document(&site.read(file));
        assert!(all(&doc, ".not-found-other").is_empty(), "{file}");
    }
    // The script is optional (the links above work without it), the site's own file,
    // deferred: the Content-Security-Policy allows only the site's scripts.
    let script = one(&doc, "script[src$=\"not-found.js\"]");
    assert_eq!(script.value().attr("src"), Some("/not-found.js"));
    assert!(script.value().attr("defer").is_some());
    assert!(
        all(&doc, "script:not([src])").is_empty(),
        "no inline script"
    );
    let csp = one(&doc, "meta[http-equiv=Content-Security-Policy]");
    assert!(csp
        .value()
        .attr("content")
        .unwrap()
        .contains("script-src 'self';"));
    assert!(site.read("not-found.js").contains("data-prefix"));
}

#[test]
fn not_found_pages_follow_the_base_path() {
    let site = TestSite::new(BASE);
    site.edit(
        "site.yaml",
        "base_url: https://test.example.kz",
        "base_url: https://test.example.kz/park",
    );
    site.build();
    let doc = Html::parse_document(&site.read("404.html"));
    let prefixes: Vec<&str> = all(&doc, ".not-found-other")
        .iter()
        .map(|s| s.value().attr("data-prefix").unwrap())
        .collect();
    assert_eq!(prefixes, ["/park/ru/", "/park/kk/"]);
    assert_eq!(
        one(&doc, "script[src$=\"not-found.js\"]")
            .value()
            .attr("src"),
        Some("/park/not-found.js")
    );
    let ru = Html::parse_document(&site.read("ru/404.html"));
    assert_eq!(
        one(&ru, "main form[role=search]").value().attr("action"),
        Some("/park/ru/search/")
    );
}

#[test]
fn serve_answers_a_missing_address_with_its_languages_page() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    for (path, lang, title) in [
        ("/ru/missing/", "ru", "Страница не найдена"),
        ("/kk/missing/", "kk", "Бет табылмады"),
        ("/ru/projects/missing/", "ru", "Страница не найдена"),
        ("/kk/news/2020/x.html", "kk", "Бет табылмады"),
        ("/missing/", "en", "Page not found"),
        ("/rux/missing", "en", "Page not found"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.headers.contains("text/html"), "{path}: {}", r.headers);
        let doc = Html::parse_document(&r.body);
        assert_eq!(one(&doc, "html").value().attr("lang"), Some(lang), "{path}");
        assert_eq!(text(one(&doc, "main h1")), title, "{path}");
    }
    // Pages that exist are still served.
    assert_eq!(server.get("/ru/").status, 200);
    assert_eq!(server.get("/ru/404.html").status, 200);
}

/// A static host as GitHub Pages or Netlify are by default: the files of `root`, and
/// `/404.html` with status 404 for every missing address. Returns its address.
fn static_host(root: PathBuf) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let root = root.clone();
            std::thread::spawn(move || serve_one(stream, &root));
        }
    });
    addr
}

fn serve_one(mut stream: std::net::TcpStream, root: &Path) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // The rest of the request head.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split(' ').nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/");
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if !path.contains("..") && file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let body = std::fs::read(&file).unwrap();
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// In a browser, on a host that serves `/404.html` for everything: the message of the
/// address's language comes first, the search gets the address's words, nothing scrolls
/// sideways at 360 or 1280 px, and the console stays clean.
#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn in_a_browser_the_visitors_language_comes_first() {
    let bin = chromium_required();
    let axe = axe_source();
    let site = TestSite::new(BASE);
    site.build();
    let host = static_host(site.path("public"));
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    page.call("Runtime.enable", json!({}));
    page.call("Log.enable", json!({}));
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    for (path, first, words) in [
        ("/ru/projects/sky-lnk/", "ru", "sky lnk"),
        ("/kk/news/opening-day", "kk", "opening day"),
        ("/projects/old%20name.html", "en", "old name"),
    ] {
        for width in [360, 1280] {
            page.set_width(width);
            page.navigate(&format!("http://{host}{path}"));
            assert!(
                page.wait_for(
                    "document.readyState === 'complete' && !!document.querySelector('.not-found')",
                    20
                ),
                "{path}: the page did not load"
            );
            // The script ran (it is deferred: complete means it has).
            let shown = page.eval(
                "(() => { const c = document.querySelector('.not-found-page').firstElementChild; \
                 return c.getAttribute('lang') || document.documentElement.lang; })()",
            );
            assert_eq!(shown, json!(first), "{path} at {width}");
            assert_eq!(
                page.eval("document.querySelector('.not-found-search input[name=q]').value"),
                json!(words),
                "{path}"
            );
            let search = page.eval(
                "Array.from(document.querySelectorAll('.not-found-other a[data-search]')).map(a => a.getAttribute('href')).sort()",
            );
            let q = words.replace(' ', "%20");
            assert_eq!(
                search,
                json!([format!("/kk/search/?q={q}"), format!("/ru/search/?q={q}")]),
                "{path}"
            );
            assert_eq!(
                page.eval("document.documentElement.scrollWidth <= window.innerWidth"),
                json!(true),
                "{path} scrolls sideways at {width} px"
            );
            page.screenshot(&shots.join(format!("not-found-{first}-{width}.png")));
        }
        if let Some(axe) = &axe {
            let v = axe_violations(&mut page, axe);
            assert!(v.is_empty(), "{path}: {v:#?}");
        }
    }
    // The Russian page itself (a host that serves /ru/404.html for /ru/...).
    page.set_width(360);
    page.navigate(&format!("http://{host}/ru/404.html"));
    assert!(page.wait_for("document.readyState === 'complete'", 20));
    // Nothing to guess from the address: neither `ru` nor `404` is a search.
    assert_eq!(
        page.eval("document.querySelector('.not-found-search input[name=q]').value"),
        json!("")
    );
    assert_eq!(
        page.eval("document.documentElement.scrollWidth <= window.innerWidth"),
        json!(true)
    );
    page.screenshot(&shots.join("not-found-ru-page-360.png"));
    if let Some(axe) = &axe {
        let v = axe_violations(&mut page, axe);
        assert!(v.is_empty(), "/ru/404.html: {v:#?}");
    }
    let errors: Vec<String> = page
        .errors()
        .into_iter()
        // The pages are missing on purpose: their 404 status is logged as a failed load.
        .filter(|e| !e.contains("404"))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
