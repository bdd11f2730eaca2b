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

/// CPU time (user + system) of process `pid` so far, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, a)| a);
    let f: Vec<&str> = after.split_whitespace().collect();
    f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
}

/// Waits until the preview's log has `count` lines containing `text`.
fn wait_log(serve: &support::Serve, text: &str, count: usize, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        let n = serve
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(text))
            .count();
        if n >= count {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "no {count} × `{text}` within {secs} s: {:#?}",
        serve.log.lock().unwrap()
    );
}

#[test]
#[cfg(target_os = "linux")]
fn the_preview_survives_a_runaway_template_and_picks_up_the_fix() {
    let good = "<p>About page: {{ page.title }}</p>";
    let site = site_with(good);
    let serve = site.serve(&[]);
    assert!(serve.get("/about/").body.contains("About page: About"));
    // A loop the budget cannot see: the watchdog restarts the preview after 2 × 1 s + 5 s.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% set l = range(end=100000) %}{% for i in l %}{% for j in l %}{% endfor %}{% endfor %}\n{% endblock content %}\n",
    );
    wait_log(&serve, "restarting the preview", 1, 30);
    wait_log(&serve, "serving http://", 2, 10);
    // The same process id (replaced in place), the last good site, and an idle CPU.
    let page = serve.get("/about/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("About page: About"), "{}", page.body);
    let before = cpu_ticks(serve.pid());
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        cpu_ticks(serve.pid()) - before < 30,
        "the runaway loop still burns the CPU"
    );
    // The fix is picked up.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>Fixed: {{ page.title }}</p>\n{% endblock content %}\n",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !serve.get("/about/").body.contains("Fixed: About") {
        assert!(
            Instant::now() < deadline,
            "the fix was not picked up: {:#?}",
            serve.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn the_preview_reports_a_loop_the_budget_stops_and_keeps_the_last_good_site() {
    let site = site_with("<p>About page: {{ page.title }}</p>");
    let serve = site.serve(&[]);
    let events = serve.events();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}\n{% endblock content %}\n",
    );
    let error = support::Serve::wait_event(&events, "build-error", 20);
    assert!(error.contains("took longer than 1 s to render"), "{error}");
    assert!(serve.get("/about/").body.contains("About page: About"));
}

/// The free page's template with `body` as its content.
fn page_template(body: &str) -> String {
    format!(
        "{{% extends \"base.html\" %}}\n{{% block content %}}\n{body}\n{{% endblock content %}}\n"
    )
}

/// A loop only the watchdog stops (1 s budget: the preview restarts after 7 s).
const SILENT_LOOP: &str =
    "{% set l = range(end=100000) %}{% for i in l %}{% for j in l %}{% endfor %}{% endfor %}";

/// Waits until GET `path` has `text` in its body; panics after `secs`.
fn wait_body(serve: &support::Serve, path: &str, text: &str, secs: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let page = serve.get(path);
        if page.body.contains(text) {
            return page.body;
        }
        assert!(
            Instant::now() < deadline,
            "no `{text}` in {path} within {secs} s: {} {}\n{:#?}",
            page.status,
            page.body,
            serve.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_fix_saved_while_the_runaway_still_renders_is_built_after_the_restart() {
    let site = site_with("<p>About page: {{ page.title }}</p>");
    let serve = site.serve(&[]);
    site.write("templates/page.html", &page_template(SILENT_LOOP));
    // The editor sees the CPU spin and fixes the template before the watchdog gives up.
    std::thread::sleep(Duration::from_millis(1500));
    site.write(
        "templates/page.html",
        &page_template("<p>Fixed: {{ page.title }}</p>"),
    );
    wait_log(&serve, "restarting the preview", 1, 15);
    // No further save: the restarted preview builds the fix by itself, serving the last
    // good site meanwhile (a large site takes a while to build).
    wait_body(&serve, "/about/", "Fixed: About", 10);
    // The log is read on another thread: wait for the build's line, which must come after
    // the restarted preview began serving.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = serve.log.lock().unwrap().clone();
        let last = |text: &str| log.iter().rposition(|l| l.starts_with(text));
        if last("serving http://") < last("built ") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the restarted preview served only after building: {log:#?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_runaway_in_the_first_build_says_the_site_has_not_built_yet() {
    let site = site_with(SILENT_LOOP);
    // The first build runs away: the preview restarts before it serves anything.
    let serve = site.serve(&[]);
    wait_log(&serve, "restarting the preview", 1, 15);
    // There is no last good site to speak of: a page that says so, with the error and the
    // script that loads the fix.
    let page = serve.get("/");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("The site has not built yet") && !page.body.contains("last good"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("took far longer than 1 s"),
        "{}",
        page.body
    );
    assert!(page.body.contains("/__showcase/live.js"), "{}", page.body);
    site.write(
        "templates/page.html",
        &page_template("<p>Fixed: {{ page.title }}</p>"),
    );
    wait_body(&serve, "/about/", "Fixed: About", 15);
}
