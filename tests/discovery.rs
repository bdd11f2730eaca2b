//! The sample site as a visitor meets it, in headless Chromium: the built `public/` folder
//! served as a static host would, searched in Russian and Kazakh, filtered, scanned with
//! axe-core for accessibility, and photographed at 360 and 1280 px into
//! `target/screenshots/` for a person to look at.
//!
//! Without Chromium the tests are ignored, with the reason (see `support::browser`). The
//! accessibility scan needs npm's `axe-core`: `.ci/run` installs it into `target/npm/`; `AXE_CORE=path/axe.min.js`
//! points elsewhere.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

mod support;
use support::browser::{chromium_required, launch, Browser, Page};

/// The sample site built into a temporary folder and served over HTTP like a static host.
struct Served {
    addr: String,
    /// Set, the server answers 503 to everything: the site as a visitor without network meets it.
    offline: std::sync::Arc<std::sync::atomic::AtomicBool>,
    _out: tempfile::TempDir,
}

fn serve_sample_site() -> Served {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_showcase"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "-o"])
        .arg(&public)
        .status()
        .unwrap();
    assert!(status.success(), "the sample site did not build");
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap().to_string();
    let offline = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let off = offline.clone();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            if off.load(std::sync::atomic::Ordering::SeqCst) {
                // What a visitor's failing network or a host that is down gives.
                let _ = request.respond(
                    tiny_http::Response::from_data(b"unavailable".to_vec()).with_status_code(503),
                );
                continue;
            }
            let path = request
                .url()
                .split(['?', '#'])
                .next()
                .unwrap_or("/")
                .to_string();
            let path = showcase::url::percent_decode(&path).unwrap_or_default();
            let mut file = public.join(path.trim_start_matches('/'));
            if path.ends_with('/') {
                file = file.join("index.html");
            }
            let response = match std::fs::read(&file) {
                Ok(bytes) if !path.contains("..") => {
                    let kind = match file.extension().and_then(|e| e.to_str()) {
                        Some("html") => "text/html; charset=utf-8",
                        Some("css") => "text/css",
                        Some("js") => "text/javascript",
                        Some("json") => "application/json",
                        Some("svg") => "image/svg+xml",
                        Some("xml") => "application/xml",
                        Some("png") => "image/png",
                        _ => "application/octet-stream",
                    };
                    tiny_http::Response::from_data(bytes)
                        .with_header(tiny_http::Header::from_bytes("Content-Type", kind).unwrap())
                }
                _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    Served {
        addr,
        offline,
        _out: out,
    }
}

fn open(browser: &Browser, url: &str) -> Page {
    let mut page = Page::open(browser, "about:blank");
    page.call("Runtime.enable", json!({}));
    page.call("Log.enable", json!({}));
    page.navigate(url);
    page
}

/// Types `text` into the element matched by `selector`, as a keyboard would.
fn type_into(page: &mut Page, selector: &str, text: &str) {
    page.eval(&format!(
        "(e => {{ e.focus(); e.select(); }})(document.querySelector({}))",
        json!(selector)
    ));
    page.call("Input.insertText", json!({ "text": text }));
}

fn result_titles(page: &mut Page) -> Vec<String> {
    let v = page.eval("Array.from(document.querySelectorAll('#search-results .search-title')).map(e => e.textContent)");
    serde_json::from_value(v).unwrap_or_default()
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn searching_in_russian_and_kazakh_finds_the_project() {
    let bin = chromium_required();
    let site = serve_sample_site();
    let browser = launch(&bin);
    let mut page = open(&browser, &format!("http://{}/ru/search/", site.addr));

    // A Russian query, the last word still being typed: a prefix.
    type_into(&mut page, "#search-q", "наземный термин");
    assert!(
        page.wait_for(
            "document.querySelectorAll('#search-results li').length > 0",
            10
        ),
        "no results for a Russian query: {:?}",
        page.eval("document.getElementById('search-status').textContent")
    );
    assert_eq!(
        result_titles(&mut page).first().map(String::as_str),
        Some("Orbit Link")
    );
    // The query is in the URL, so the search can be linked to.
    let url = page
        .eval("location.search")
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(url.starts_with("?q="), "{url}");
    let linked = format!("http://{}/ru/search/{url}", site.addr);

    // With a typo, the same project.
    type_into(&mut page, "#search-q", "спутнековыми");
    assert!(
        page.wait_for("Array.from(document.querySelectorAll('#search-results .search-title')).some(e => e.textContent === 'Orbit Link')", 10),
        "a typo was not forgiven: {:?}",
        result_titles(&mut page)
    );

    // Keyboard: the down arrow moves from the field to the first result.
    page.eval("document.getElementById('search-q').focus()");
    for kind in ["keyDown", "keyUp"] {
        page.call(
            "Input.dispatchKeyEvent",
            json!({"type": kind, "key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40}),
        );
    }
    assert_eq!(
        page.eval("document.activeElement.classList.contains('search-link')"),
        json!(true),
        "ArrowDown did not reach the results"
    );

    // The linked search shows its results on arrival.
    page.navigate(&linked);
    assert!(
        page.wait_for(
            "document.querySelectorAll('#search-results li').length > 0",
            10
        ),
        "a linked search showed nothing"
    );
    assert_eq!(
        page.eval("document.getElementById('search-q').value"),
        json!("наземный термин")
    );

    // Kazakh: with its own letters, and typed on a Russian keyboard without them.
    for query in ["жерсеріктік терминал", "жерсериктик терминал", "ҒАРЫШ"]
    {
        page.navigate(&format!("http://{}/kk/search/", site.addr));
        type_into(&mut page, "#search-q", query);
        let found = page.wait_for("Array.from(document.querySelectorAll('#search-results .search-title')).some(e => e.textContent === 'Orbit Link')", 10);
        if query == "ҒАРЫШ" {
            // Nothing in the sample says "space" in Kazakh: the page says so, politely.
            assert!(!found);
            assert!(page.wait_for(
                "document.getElementById('search-status').textContent.includes('Ештеңе')",
                10
            ));
        } else {
            assert!(found, "{query}: {:?}", result_titles(&mut page));
        }
    }
    assert_eq!(page.errors(), Vec::<String>::new(), "console errors");
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn two_filters_narrow_the_projects_and_the_url_keeps_them() {
    let bin = chromium_required();
    let site = serve_sample_site();
    let browser = launch(&bin);
    let mut page = open(&browser, &format!("http://{}/projects/", site.addr));
    // What a person sees: cards that take up space on the screen.
    let visible = "Array.from(document.querySelectorAll('#project-list > li')).filter(e => e.getClientRects().length > 0).map(e => e.querySelector('.card-title').textContent.trim())";
    let all: Vec<String> = serde_json::from_value(page.eval(visible)).unwrap();
    assert!(all.len() >= 12, "{all:?}");
    assert_eq!(
        page.eval("document.getElementById('project-filter').hidden"),
        json!(false)
    );

    let choose = |page: &mut Page, name: &str, value: &str| {
        page.eval(&format!(
            "(f => {{ f.value = {}; f.dispatchEvent(new Event('change', {{bubbles: true}})); }})(document.querySelector('#project-filter [name={name}]'))",
            json!(value)
        ));
    };
    choose(&mut page, "area", "telecom");
    // The first choice loads the catalogue's filter index (issue 14, item 12).
    let filtered = "document.getElementById('filter-status').textContent.startsWith('Shown: ')";
    assert!(page.wait_for(filtered, 10));
    let one: Vec<String> = serde_json::from_value(page.eval(visible)).unwrap();
    choose(&mut page, "stage", "prototype");
    let two: Vec<String> = serde_json::from_value(page.eval(visible)).unwrap();
    assert!(one.len() < all.len() && !one.is_empty(), "{one:?}");
    assert!(
        two.len() < one.len() && !two.is_empty(),
        "{two:?} of {one:?}"
    );
    assert!(two.contains(&"Orbit Link".to_string()), "{two:?}");
    let search = page.eval("location.search").as_str().unwrap().to_string();
    assert_eq!(search, "?area=telecom&stage=prototype");
    // The counts follow: the status and each option say what a choice would show.
    let status = page.eval("document.getElementById('filter-status').textContent");
    assert_eq!(
        status,
        json!(format!("Shown: {} of {}", two.len(), all.len()))
    );

    // The shared URL opens the same view.
    page.navigate(&format!("http://{}/projects/{search}", site.addr));
    assert!(page.wait_for(filtered, 10));
    let shared: Vec<String> = serde_json::from_value(page.eval(visible)).unwrap();
    assert_eq!(shared, two);
    assert_eq!(page.errors(), Vec::<String>::new(), "console errors");
}

fn axe_source() -> Option<String> {
    let path = std::env::var_os("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            assert!(
                std::env::var_os("SHOWCASE_REQUIRE_BROWSER").is_none(),
                "axe-core is required (SHOWCASE_REQUIRE_BROWSER) but {} is missing: run \
                 `npm install --no-save --prefix target/npm axe-core@4`",
                path.display()
            );
            eprintln!(
                "SKIPPED: no axe-core at {}; the accessibility scan did not run",
                path.display()
            );
            None
        }
    }
}

/// Serious and critical axe-core violations of the page loaded in `page`.
fn axe_violations(page: &mut Page, axe: &str) -> Vec<Value> {
    page.eval(axe);
    let r = page.call(
        "Runtime.evaluate",
        json!({
            "expression": "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))",
            "awaitPromise": true,
            "returnByValue": true,
        }),
    );
    let v = &r["result"]["result"]["value"];
    assert!(v.is_array(), "axe did not run: {r}");
    v.as_array().unwrap().clone()
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn key_pages_are_accessible_error_free_and_photographed() {
    let bin = chromium_required();
    let axe = axe_source();
    let site = serve_sample_site();
    let browser = launch(&bin);
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let pages = [
        ("home", "/"),
        ("projects", "/projects/"),
        (
            "projects-filtered",
            "/projects/?area=telecom&stage=prototype",
        ),
        ("project", "/projects/orbit-link/"),
        // A project with a video: the player's poster, with its logo.
        ("project-video", "/ru/projects/kestrel-uav/"),
        ("demo", "/demos/demo-day-2026-06/"),
        ("news", "/news/demo-day-report/"),
        ("search", "/ru/search/?q=радио"),
        ("project-kk", "/kk/projects/orbit-link/"),
    ];
    let mut problems = Vec::new();
    for width in [360, 1280] {
        let mut page = open(&browser, "about:blank");
        page.set_width(width);
        for (name, path) in pages {
            page.navigate(&format!("http://{}{path}", site.addr));
            if name == "search" {
                page.wait_for(
                    "document.querySelectorAll('#search-results li').length > 0",
                    10,
                );
            }
            // Nothing is wider than the screen: no sideways scrolling on a phone.
            let overflow = page.eval(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth",
            );
            if overflow != json!(0) {
                problems.push(format!(
                    "{path} at {width} px scrolls sideways by {overflow} px"
                ));
            }
            page.screenshot(&shots.join(format!("{name}-{width}.png")));
            if let Some(axe) = &axe {
                for v in axe_violations(&mut page, axe) {
                    problems.push(format!("{path} at {width} px: {v}"));
                }
            }
        }
        for e in page.errors() {
            problems.push(format!("console at {width} px: {e}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Once visited, pages open without network: the service worker keeps what was fetched,
/// and the home page and project list from the first visit.
#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn visited_pages_open_offline() {
    let bin = chromium_required();
    let site = serve_sample_site();
    // Browsers allow service workers on http://localhost (and HTTPS) only.
    let base = format!("http://localhost:{}", site.addr.rsplit(':').next().unwrap());
    let browser = launch(&bin);
    let mut page = open(&browser, &format!("{base}/"));
    let ready = page.call(
        "Runtime.evaluate",
        json!({"expression": "navigator.serviceWorker.ready.then(r => !!r.active)", "awaitPromise": true, "returnByValue": true}),
    );
    assert_eq!(ready["result"]["result"]["value"], json!(true), "{ready}");
    page.navigate(&format!("{base}/projects/orbit-link/"));
    assert!(page.wait_for("navigator.serviceWorker.controller !== null", 10));

    site.offline
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let h1 = "document.querySelector('h1') && document.querySelector('h1').textContent.trim()";
    page.navigate(&format!("{base}/projects/orbit-link/"));
    assert_eq!(page.eval(h1), json!("Orbit Link"), "a visited page offline");
    page.navigate(&format!("{base}/projects/"));
    assert_eq!(page.eval(h1), json!("Projects"), "the project list offline");
    // A page never visited falls back to the home page rather than the browser's error.
    page.navigate(&format!("{base}/cohorts/"));
    assert_eq!(
        page.eval("document.querySelector('.hero') !== null"),
        json!(true),
        "an unvisited page offline"
    );
}
