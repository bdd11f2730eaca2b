//! Runaway templates (issue 16, item 6): a loop that runs too long, writes too much or
//! grows a value without end stops the build with an error naming the template and the
//! page, within its budget, and nothing is published.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use std::time::{Duration, Instant};
use support::TestSite;

/// The base site with a 1 s render budget, 256 MiB of memory, and `body` in the free
/// page's template.
fn site_with(body: &str) -> TestSite {
    let site = TestSite::base_with(&format!(
        "-- templates/page.html --\n{{% extends \"base.html\" %}}\n{{% block content %}}\n{body}\n{{% endblock content %}}\n"
    ));
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}limits:\n  render_time: 1\n  page_size: 1 MiB\n  memory: 256 MiB\n"),
    );
    site
}

/// Builds, asserting a failure within `within`, nothing published and no staging folder
/// left; returns stderr.
fn stops(site: &TestSite, within: Duration) -> String {
    let start = Instant::now();
    let r = site.run(&["build"]);
    let took = start.elapsed();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(took < within, "took {took:?}:\n{}", r.stderr);
    assert!(!site.path("public").exists());
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    r.stderr
}

#[test]
fn a_loop_inside_a_loop_stops_at_the_line_that_loops() {
    let site = site_with(
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    let e = stops(&site, Duration::from_secs(8));
    assert!(
        e.contains("error: templates/page.html:")
            && e.contains("the page took longer than 1 s to render, the most `limits.render_time` allows (while rendering /"),
        "{e}"
    );
    assert!(e.contains("help: look for a loop inside a loop"), "{e}");
    // One error for the template, not one per page.
    assert_eq!(
        e.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{e}"
    );
}

#[test]
fn a_range_that_cannot_end_is_an_error_at_once() {
    for call in [
        "range(end=1, step_by=0)",
        "range(end=100000000)",
        "range(start=-9223372036854775807, end=9223372036854775807)",
    ] {
        let site = site_with(&format!("{{% for i in {call} %}}{{{{ i }}}}{{% endfor %}}"));
        let e = stops(&site, Duration::from_secs(8));
        assert!(e.contains("error: templates/page.html:3:"), "{call}: {e}");
        assert!(e.contains("`range`"), "{call}: {e}");
    }
}

#[test]
fn a_page_that_grows_past_its_size_stops() {
    let site = site_with("{% for i in range(end=100000) %}{{ \"0123456789\" ~ i }}{% endfor %}{% for i in range(end=100000) %}{{ \"0123456789\" ~ i }}{% endfor %}");
    let e = stops(&site, Duration::from_secs(8));
    assert!(e.contains("error: templates/page.html: the page grew past 1 MiB, the most `limits.page_size` allows: a loop writes too much (while rendering /"), "{e}");
}

#[test]
fn a_loop_that_neither_writes_nor_calls_is_stopped_by_the_watchdog() {
    // One `range` call, then 10^10 turns that call nothing: only the watchdog sees it,
    // after twice the budget and 5 s.
    let site = site_with(
        "{% set l = range(end=100000) %}{% for i in l %}{% for j in l %}{% endfor %}{% endfor %}",
    );
    let e = stops(&site, Duration::from_secs(20));
    assert!(e.contains("error: templates/page.html: the page took far longer than 1 s to render and was stopped (while rendering /"), "{e}");
    // `check` renders too, and is stopped the same way.
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("took far longer than 1 s"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_value_doubled_in_a_loop_is_stopped_by_its_memory() {
    let site = site_with("{% set_global s = \"x\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}");
    let e = stops(&site, Duration::from_secs(20));
    assert!(e.contains("error: templates/page.html: rendering took more than 256 MiB of memory and was stopped (while rendering /"), "{e}");
}

#[test]
fn limits_are_checked_in_site_yaml() {
    let site = TestSite::base_with("");
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}limits:\n  render_time: forever\n  page_size: 12\n  memory: 1 MiB\n"),
    );
    let e = site.fails();
    for m in [
        "`render_time` is not a time",
        "`page_size` is not a size of at least 1 KiB",
        "`memory` is not a size of at least 64 MiB",
    ] {
        assert!(e.contains(m), "{m}: {e}");
    }
}
