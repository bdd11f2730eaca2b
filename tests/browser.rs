//! A real browser (Debian's headless Chromium, driven over the DevTools protocol) opens a
//! page of `showcase serve`, the test edits the file on disk, and the new text appears in
//! the open page with no navigation by the test: live reload as an editor sees it.
//!
//! Without Chromium the tests are ignored, with the reason, so that `cargo test` runs on a
//! machine with only the Rust toolchain; CI (`.ci/run`) installs Chromium and runs them with
//! `--include-ignored`, where a missing browser fails.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use serde_json::json;

mod support;
use support::browser::{chromium_required, launch, Page};
use support::{TestSite, BASE};

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn an_open_page_shows_the_edit_by_itself() {
    let bin = chromium_required();
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let browser = launch(&bin);
    let mut page = Page::open(
        &browser,
        &format!("http://{}/projects/sky-link/", server.addr),
    );
    assert!(page.wait_for("document.readyState === 'complete' && document.querySelector('h1').textContent.includes('Sky Link')", 20), "the page did not load");
    // Mark this document: a reload by the page itself replaces it, a test navigation would too,
    // so the marker shows which happened only together with the new text.
    page.eval("window.__before_edit = true");
    let original = std::fs::read_to_string(site.path("content/projects/sky-link.md")).unwrap();
    site.write(
        "content/projects/sky-link.md",
        &original.replace("title: Sky Link", "title: Sky Link Live"),
    );
    assert!(
        page.wait_for(
            "document.querySelector('h1').textContent.includes('Sky Link Live')",
            15
        ),
        "the open page did not show the edit: {}",
        page.eval("document.querySelector('h1').textContent")
    );
    assert_eq!(
        page.eval("window.__before_edit === undefined"),
        json!(true),
        "the page reloaded itself"
    );
    // A broken edit shows the overlay on the open page; the fix removes it.
    site.write(
        "content/projects/sky-link.md",
        &original.replace("trl: 6", "trl: [6"),
    );
    assert!(page.wait_for("!!document.getElementById('showcase-errors') && document.getElementById('showcase-errors').textContent.includes('sky-link.md')", 15), "no error overlay");
    site.write("content/projects/sky-link.md", &original);
    assert!(page.wait_for("!document.getElementById('showcase-errors') && document.querySelector('h1').textContent.trim() === 'Sky Link'", 15), "the overlay stayed after the fix");
}

/// The preview injects its live-reload script into every page: search and the filters must
/// work beside it, with no console errors.
#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn search_and_filters_work_in_the_preview() {
    let bin = chromium_required();
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    page.call("Runtime.enable", json!({}));
    page.call("Log.enable", json!({}));
    page.navigate(&format!("http://{}/ru/search/?q=скай", server.addr));
    assert!(
        page.wait_for(
            "Array.from(document.querySelectorAll('#search-results .search-link')).some(a => a.getAttribute('href') === '/ru/projects/sky-link/')",
            15
        ),
        "no result in the preview: {}",
        page.eval("document.getElementById('search-status').textContent")
    );
    page.navigate(&format!("http://{}/projects/?area=satellite", server.addr));
    assert!(page.wait_for(
        "document.getElementById('filter-status').textContent.startsWith('Shown: ')",
        10
    ));
    assert_eq!(page.errors(), Vec::<String>::new(), "console errors");
}
