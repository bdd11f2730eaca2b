//! Active content from contributors (hostile input 41): bundle and `static/` files that would
//! run script on the site's origin are refused or made inert unless the owner allows raw
//! HTML, in `build`, `check` and the preview alike; every page carries the
//! Content-Security-Policy. The browser test at the end opens what a hostile bundle gets
//! published in headless Chromium and checks that nothing ran.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::json;

mod support;
use support::browser::{chromium_required, launch, Page};
use support::{files_under, Serve, TestSite};

/// A bundle project of the base site.
const BUNDLE: &str = r##"
-- content/projects/hostile/index.md --
---
title: Hostile
summary: A bundle with active files.
cohort: 2025-autumn
areas: [telecom]
stage: idea
trl: 2
logo: logo.svg
---
See [the drawing](evil.svg). <script>document.title = 'PWNED-BODY'</script>

<img src="x" onerror="document.title = 'PWNED-IMG'">
-- content/projects/hostile/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10"><rect width="10" height="10" fill="#123456"/></svg>
"##;

/// SVG payloads: each would tell the recording server (and set the title) if it ran.
const EVIL_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100" onload="fetch('/__pwned?onload');document.title='PWNED'">
<script>fetch('/__pwned?script'); document.title = 'PWNED';</script>
<script><![CDATA[ new Image().src = '/__pwned?cdata'; ]]></script>
<svg:script xmlns:svg="http://www.w3.org/2000/svg">fetch('/__pwned?prefixed')</svg:script>
<foreignObject width="100" height="100"><body xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="fetch('/__pwned?foreign')"/></body></foreignObject>
<a xlink:href="javascript:fetch('/__pwned?xlink')"><rect id="r1" width="10" height="10"/></a>
<a href="javascript:fetch('/__pwned?href')"><rect width="10" height="10"/></a>
<a><set attributeName="href" to="javascript:fetch('/__pwned?set')"/><rect width="5" height="5"/></a>
<a><animate attributeName="href" values="javascript:fetch('/__pwned?animate')"/><rect width="5" height="5"/></a>
<image href="http://127.0.0.1:1/__pwned?external" width="1" height="1"/>
<rect width="50" height="50" style="fill:url(/__pwned?css)" onclick="fetch('/__pwned?click')"/>
<style>@import url(/__pwned?import);</style>
<circle cx="50" cy="50" r="20" fill="#0b1f3a"/>
</svg>
"##;

fn has(stderr: &str, expected: &str) {
    assert!(
        stderr.contains(expected),
        "expected:\n{expected}\n\ngot:\n{stderr}"
    );
}

const HELP: &str = "  help: link to the page where it is published elsewhere, or turn it into a PDF or an image; if the site's owner trusts every contributor's HTML, set `markdown: {allow_html: true}` in site.yaml";

#[test]
fn pages_scripts_and_disguised_pages_in_a_bundle_are_refused_by_name() {
    let site = TestSite::base_with(BUNDLE);
    site.write("content/projects/hostile/evil.svg", EVIL_SVG);
    site.write(
        "content/projects/hostile/page.html",
        "<script>alert(1)</script>",
    );
    site.write("content/projects/hostile/x.js", "alert(1)");
    site.write(
        "content/projects/hostile/a.xhtml",
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>",
    );
    site.write(
        "content/projects/hostile/photo.png",
        "<!DOCTYPE html><script>alert(1)</script>",
    );
    site.write("content/projects/hostile/img/deep.svgz", "\x1f\u{8b}");
    let e = site.fails();
    has(&e, &format!("error: content/projects/hostile/page.html: `page.html` is a web page or XML document; published as is, a script in it would run on the site's own address\n{HELP}"));
    has(&e, &format!("error: content/projects/hostile/x.js: `x.js` is program code for the browser; published on the site's own address it could act with the site's rights\n{HELP}"));
    has(
        &e,
        "error: content/projects/hostile/a.xhtml: `a.xhtml` is a web page or XML document",
    );
    has(&e, "error: content/projects/hostile/photo.png: `photo.png` is named like another kind of file but holds a web page (HTML); a browser may open it as a page and run its scripts\n  help: save the real file under this name, or give it its true extension; link to the page");
    has(&e, "error: content/projects/hostile/img/deep.svgz: `deep.svgz` is a compressed SVG image, which cannot be checked for scripts\n  help: save it as a plain .svg file");
    // The SVG is not refused: it is cleaned.
    assert!(!e.contains("evil.svg"), "{e}");
    assert!(e.contains("failed: 5 errors"), "{e}");
}

/// Found by a hostile review: extensions that servers map to XHTML or JavaScript beyond
/// any block-list (`.xhtm`, `.xpdl`, `.es`, which a service worker accepts). Only types on
/// the allow-list are published.
#[test]
fn only_known_inert_types_are_published() {
    let site = TestSite::base_with(BUNDLE);
    site.write(
        "content/projects/hostile/evil.xhtm",
        "<x:html xmlns:x=\"http://www.w3.org/1999/xhtml\"><x:script>document.title='PWNED'</x:script></x:html>",
    );
    site.write("content/projects/hostile/evil.xpdl", "<x:html/>");
    site.write("static/pwn.es", "self.addEventListener('fetch', e => {});");
    site.write("static/feed.ATOM", "<feed/>");
    let e = site.fails();
    has(
        &e,
        "error: content/projects/hostile/evil.xhtm: `evil.xhtm` is a web page or XML document",
    );
    has(&e, "error: content/projects/hostile/evil.xpdl: `evil.xpdl`: files of type `.xpdl` are not published, since a web server may serve them as a page or a script on the site's own address\n  help: publish it in one of the accepted types: images (png, jpg");
    has(
        &e,
        "error: static/pwn.es: `pwn.es` is program code for the browser",
    );
    has(
        &e,
        "error: static/feed.ATOM: `feed.ATOM`: files of type `.atom` are not published",
    );
    // Ordinary files still are.
    let site = TestSite::base_with(BUNDLE);
    site.write("content/projects/hostile/evil.svg", EVIL_SVG);
    site.write("content/projects/hostile/report.PDF", "%PDF-1.4\n");
    site.write("content/projects/hostile/clip.webm", "\u{1a}E");
    site.write("static/CNAME", "showcase.example.kz\n");
    site.build();
    assert_eq!(site.read("CNAME"), "showcase.example.kz\n");
}

#[test]
fn an_svg_that_cannot_be_read_is_refused() {
    let site = TestSite::base_with(BUNDLE);
    site.write(
        "content/projects/hostile/broken.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</svg>",
    );
    site.write(
        "content/projects/hostile/laughs.svg",
        "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&b;</text></svg>",
    );
    let e = site.fails();
    has(&e, "error: content/projects/hostile/broken.svg: `broken.svg` cannot be checked for scripts: it is not well-formed XML");
    has(&e, "  help: open it in a drawing program (Inkscape, Illustrator) or a browser and export it again as a plain SVG");
    has(&e, "error: content/projects/hostile/laughs.svg: `laughs.svg` cannot be checked for scripts: it declares its own entities");
}

#[test]
fn a_hostile_svg_is_published_clean_with_a_warning() {
    let site = TestSite::base_with(BUNDLE);
    site.write("content/projects/hostile/evil.svg", EVIL_SVG);
    site.write("static/images/badge.svg", EVIL_SVG);
    let r = site.build();
    for (file, source) in [
        (
            "projects/hostile/evil.svg",
            "content/projects/hostile/evil.svg",
        ),
        ("images/badge.svg", "static/images/badge.svg"),
    ] {
        let out = site.read(file);
        let lower = out.to_ascii_lowercase();
        for bad in [
            "script",
            "pwned",
            "onload",
            "onclick",
            "foreignobject",
            "javascript",
            "@import",
            "127.0.0.1",
        ] {
            assert!(!lower.contains(bad), "{file}: `{bad}` in\n{out}");
        }
        assert!(
            out.contains(r##"<circle cx="50" cy="50" r="20" fill="#0b1f3a"/>"##),
            "{out}"
        );
        roxmltree::Document::parse(&out).expect("well-formed SVG");
        has(&r.stderr, &format!("warning: {source}: parts that could run script or load files from other sites were removed from the published copy: the event handler onload, the element <script>, the element <foreignObject>, the link `javascript:fetch('/__pwned?xlink')` on <a>"));
    }
    // A clean drawing is copied byte for byte, without a warning.
    assert_eq!(
        site.read("projects/hostile/logo.svg"),
        std::fs::read_to_string(site.path("content/projects/hostile/logo.svg")).unwrap()
    );
    assert!(!r.stderr.contains("logo.svg"), "{}", r.stderr);
}

#[test]
fn the_same_files_are_refused_in_static() {
    let site = TestSite::base_with("");
    site.write("static/tracker.js", "alert(1)");
    site.write("static/verify.html", "<p>hi</p>");
    let e = site.fails();
    has(
        &e,
        "error: static/tracker.js: `tracker.js` is program code for the browser",
    );
    has(
        &e,
        "error: static/verify.html: `verify.html` is a web page or XML document",
    );
}

#[test]
fn with_allow_html_the_owner_publishes_them_as_they_are() {
    let site = TestSite::base_with(BUNDLE);
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}markdown:\n  allow_html: true\n"),
    );
    site.write("content/projects/hostile/evil.svg", EVIL_SVG);
    site.write("content/projects/hostile/page.html", "<p>owner's page</p>");
    site.write("content/projects/hostile/x.js", "console.log(1)");
    site.write("content/projects/hostile/a.xhtml", "<html/>");
    site.write("content/projects/hostile/photo.png", "<html></html>");
    site.write("static/tracker.js", "console.log(2)");
    let r = site.build();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    for (out, src) in [
        (
            "projects/hostile/evil.svg",
            "content/projects/hostile/evil.svg",
        ),
        (
            "projects/hostile/page.html",
            "content/projects/hostile/page.html",
        ),
        ("projects/hostile/x.js", "content/projects/hostile/x.js"),
        (
            "projects/hostile/a.xhtml",
            "content/projects/hostile/a.xhtml",
        ),
        (
            "projects/hostile/photo.png",
            "content/projects/hostile/photo.png",
        ),
        ("tracker.js", "static/tracker.js"),
    ] {
        assert_eq!(
            site.read(out),
            std::fs::read_to_string(site.path(src)).unwrap(),
            "{out}"
        );
    }
}

#[test]
fn the_default_themes_own_scripts_are_trusted() {
    let site = TestSite::base_with("");
    site.build();
    for f in [
        "search.js",
        "filters.js",
        "video.js",
        "offline.js",
        "sw.js",
        "favicon.svg",
    ] {
        assert!(site.path("public").join(f).is_file(), "{f}");
    }
}

#[test]
fn every_page_of_the_sample_site_carries_the_policy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let r = support::run(
        std::process::Command::new(env!("CARGO_BIN_EXE_showcase"))
            .args(["build", "--root"])
            .arg(root)
            .arg("-o")
            .arg(&public)
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = format!(
        "<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        showcase::active::CSP
    );
    let pages: Vec<String> = files_under(&public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() > 100, "{}", pages.len());
    for f in &pages {
        let html = std::fs::read_to_string(public.join(f)).unwrap();
        assert!(
            html.contains(&meta),
            "{f} has no CSP right after its charset"
        );
        // Nothing the policy would block: no inline script but JSON-LD data, no handlers.
        for part in html.split("<script").skip(1) {
            let tag = &part[..part.find('>').unwrap()];
            assert!(
                tag.contains(" src=\"/") || tag.contains("type=\"application/ld+json\""),
                "{f}: inline script <script{tag}>"
            );
        }
        assert!(
            !html.contains(" onclick=") && !html.contains(" onload="),
            "{f}"
        );
    }
}

/// A real 2 x 2 PNG of one grey.
fn tiny_png(grey: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(2, 2, image::Luma([grey])))
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn the_preview_applies_the_same_rules_and_sends_the_policy() {
    let site = TestSite::base_with(BUNDLE);
    site.write("content/projects/hostile/evil.svg", EVIL_SVG);
    site.write_bytes("content/projects/hostile/photo.png", &tiny_png(10));
    let server = site.serve(&[]);
    let svg = server.get("/projects/hostile/evil.svg");
    assert_eq!(svg.status, 200);
    assert!(
        !svg.body.contains("script") && svg.body.contains("<circle"),
        "{}",
        svg.body
    );
    let page = server.get("/projects/hostile/");
    for r in [&svg, &page] {
        assert!(
            r.headers.contains(&format!(
                "Content-Security-Policy: {}",
                showcase::active::CSP
            )),
            "{}",
            r.headers
        );
    }
    assert!(page.body.contains("http-equiv=\"Content-Security-Policy\""));
    // The reload script is a same-origin file: the policy needs no exception for it.
    assert!(page
        .body
        .contains("<script src=\"/__showcase/live.js\"></script>"));
    let events = server.events();
    // An edit that turns a copied image into a page is refused as in a build, even though
    // the preview keeps its last scan for edits of copied files.
    site.write(
        "content/projects/hostile/photo.png",
        "<html><script>alert(1)</script>",
    );
    let errors = Serve::wait_event(&events, "build-error", 15);
    assert!(
        errors.contains("content/projects/hostile/photo.png"),
        "{errors}"
    );
    site.write_bytes("content/projects/hostile/photo.png", &tiny_png(200));
    Serve::wait_event(&events, "reload", 15);
    // A page added to the bundle is refused, and never served.
    site.write(
        "content/projects/hostile/page.html",
        "<script>alert(1)</script>",
    );
    let errors = Serve::wait_event(&events, "build-error", 15);
    assert!(
        errors.contains("content/projects/hostile/page.html"),
        "{errors}"
    );
    assert_eq!(server.get("/projects/hostile/page.html").status, 404);
    // An edit of the SVG is cleaned too.
    site.remove("content/projects/hostile/page.html");
    Serve::wait_event(&events, "reload", 15);
    site.write(
        "content/projects/hostile/evil.svg",
        &EVIL_SVG.replace("<circle", "<ellipse rx=\"1\" ry=\"2\"/><circle"),
    );
    Serve::wait_event(&events, "reload", 15);
    let svg = server.get("/projects/hostile/evil.svg");
    assert!(
        svg.body.contains("<ellipse") && !svg.body.contains("script"),
        "{}",
        svg.body
    );
}

/// Serves `dir` as a static host does (type by extension, no headers of ours) and records
/// every request path.
fn static_host(dir: std::path::PathBuf) -> (String, Arc<Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap().to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let url = request.url().to_string();
            log.lock().unwrap().push(url.clone());
            let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
            let mut file = dir.join(path.trim_start_matches('/'));
            if path.ends_with('/') {
                file = file.join("index.html");
            }
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("json") => "application/json",
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                Some("jpg") => "image/jpeg",
                Some("webp") => "image/webp",
                _ => "application/octet-stream",
            };
            let response = match std::fs::read(&file) {
                Ok(bytes) if !path.contains("..") => tiny_http::Response::from_data(bytes)
                    .with_header(tiny_http::Header::from_bytes("Content-Type", kind).unwrap()),
                _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    (addr, seen)
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn nothing_a_hostile_bundle_publishes_runs_in_a_browser() {
    let bin = chromium_required();
    let site = TestSite::base_with(BUNDLE);
    site.write("content/projects/hostile/evil.svg", EVIL_SVG);
    site.write(
        "content/projects/hostile/onload.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"document.title='PWNED';fetch('/__pwned?root')\"><rect width=\"9\" height=\"9\"/></svg>",
    );
    site.build();
    let public = site.path("public");
    let (addr, seen) = static_host(public.clone());
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    page.call("Runtime.enable", json!({}));
    let published: Vec<String> = files_under(&public.join("projects/hostile"))
        .into_iter()
        .map(|f| format!("/projects/hostile/{f}"))
        .collect();
    assert!(
        published.iter().any(|f| f.ends_with("evil.svg")),
        "{published:?}"
    );
    for url in &published {
        page.navigate(&format!("http://{addr}{url}"));
        // Click every link and shape, as a visitor would.
        page.eval("document.querySelectorAll('*').forEach(e => e.dispatchEvent(new MouseEvent('click', {bubbles: true})))");
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(
            !page
                .eval("document.title")
                .as_str()
                .unwrap_or("")
                .contains("PWNED"),
            "{url} ran a script"
        );
        assert!(
            page.eval("location.href")
                .as_str()
                .unwrap_or("")
                .starts_with("http://"),
            "{url} navigated away"
        );
    }
    // The project page: the body's raw HTML is text, and an inline script or handler put
    // into the page (as an injection would) is blocked by the policy.
    page.navigate(&format!("http://{addr}/projects/hostile/"));
    page.eval("window.__blocked = 0; document.addEventListener('securitypolicyviolation', () => window.__blocked++)");
    page.eval("const s = document.createElement('script'); s.textContent = \"document.title = 'PWNED-INLINE'; fetch('/__pwned?inline')\"; document.body.append(s)");
    page.eval("document.body.insertAdjacentHTML('beforeend', '<img src=\"/nothing.png\" onerror=\"document.title=`PWNED-HANDLER`\">')");
    page.eval("document.body.insertAdjacentHTML('beforeend', '<a id=\"js\" href=\"javascript:document.title=`PWNED-LINK`\">x</a>'); document.getElementById('js').click()");
    assert!(
        page.wait_for("window.__blocked >= 3", 10),
        "the policy did not report the blocked script, handler and link: {}",
        page.eval("window.__blocked")
    );
    assert!(
        !page
            .eval("document.title")
            .as_str()
            .unwrap_or("")
            .contains("PWNED"),
        "an inline script ran: {}",
        page.eval("document.title")
    );
    // The theme's own scripts still run under the policy.
    page.navigate(&format!("http://{addr}/projects/?area=telecom"));
    assert!(page.wait_for(
        "document.getElementById('filter-status') !== null && document.getElementById('filter-status').textContent.startsWith('Shown: ')",
        10
    ));
    let pwned: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|u| u.contains("pwned"))
        .cloned()
        .collect();
    assert_eq!(pwned, Vec::<String>::new(), "requests made by payloads");
}

/// Found by a hostile review: a site's own `base.html` without the policy (and with an
/// inline script) still publishes every page with it, first in the document.
#[test]
fn a_template_cannot_drop_the_policy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = std::fs::read_to_string(root.join("themes/default/templates/base.html")).unwrap();
    let meta = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        showcase::active::CSP
    );
    assert!(base.contains(&meta));
    let hostile = base
        .replace(&meta, "")
        .replace("</head>", "<script>document.title='PWNED'</script></head>");
    let site = TestSite::base_with("");
    site.write("templates/base.html", &hostile);
    site.build();
    let page = site.read("projects/sky-link/index.html");
    let at = page.find(&meta).expect("the policy was added");
    assert!(at < page.find("<script").unwrap(), "{page}");
    // Nothing but the doctype comes before it.
    let before = page[..at].trim();
    assert!(
        before.to_ascii_lowercase().starts_with("<!doctype html")
            && before.ends_with('>')
            && before.matches('<').count() == 1,
        "{page}"
    );
    // With raw HTML allowed, the owner's templates are taken as they are.
    let site = TestSite::base_with("");
    site.write("templates/base.html", &hostile);
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}markdown: {{allow_html: true}}\n"),
    );
    site.build();
    assert!(!site.read("projects/sky-link/index.html").contains(&meta));
}
