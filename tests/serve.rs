//! `showcase serve` over real HTTP: pages change after edits, SSE events arrive, a broken edit
//! keeps the last good site, and no request reaches a file outside the preview.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{Serve, TestSite, BASE};

#[test]
fn an_edit_reloads_the_page() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    assert!(server.get("/projects/sky-link/").body.contains("Sky Link"));
    let events = server.events();
    site.write(
        "content/projects/sky-link.md",
        &std::fs::read_to_string(site.path("content/projects/sky-link.md"))
            .unwrap()
            .replace("title: Sky Link", "title: Sky Link Two"),
    );
    Serve::wait_event(&events, "reload", 10);
    let page = server.get("/projects/sky-link/");
    assert!(page.body.contains("Sky Link Two"), "{}", page.body);
    assert!(
        page.body.contains("/__showcase/live.js"),
        "the reload script is injected"
    );
    assert!(!site.path("public").exists(), "serve never writes public/");
    // The event can arrive before the server's log line is read from its stderr.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let log = loop {
        let log = server.log.lock().unwrap().join("\n");
        if log.contains("changed content/projects/sky-link.md:")
            || std::time::Instant::now() > deadline
        {
            break log;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(
        log.contains("changed content/projects/sky-link.md:") && log.contains(" ms"),
        "{log}"
    );
}

#[test]
fn files_added_renamed_and_deleted() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let events = server.events();
    site.write(
        "content/pages/team.md",
        "---\ntitle: Our team\n---\nHello.\n",
    );
    Serve::wait_event(&events, "reload", 10);
    assert!(server.get("/team/").body.contains("Our team"));
    std::fs::rename(
        site.path("content/pages/team.md"),
        site.path("content/pages/people.md"),
    )
    .unwrap();
    Serve::wait_event(&events, "reload", 10);
    assert_eq!(server.get("/team/").status, 404);
    assert!(server.get("/people/").body.contains("Our team"));
    site.remove("content/pages/people.md");
    Serve::wait_event(&events, "reload", 10);
    assert_eq!(server.get("/people/").status, 404);
}

#[test]
fn a_safe_save_is_one_change_not_an_error() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let events = server.events();
    // vim / VS Code style: write a temp file, then rename it over the original.
    let text = std::fs::read_to_string(site.path("content/pages/about.md"))
        .unwrap()
        .replace("About the park.", "About the park, saved safely.");
    site.write("content/pages/.about.md.swp", "swap");
    site.write("content/pages/about.md.tmp~", &text);
    std::fs::rename(
        site.path("content/pages/about.md.tmp~"),
        site.path("content/pages/about.md"),
    )
    .unwrap();
    let _ = std::fs::remove_file(site.path("content/pages/.about.md.swp"));
    Serve::wait_event(&events, "reload", 10);
    assert!(server.get("/about/").body.contains("saved safely"));
    // No error event followed.
    std::thread::sleep(std::time::Duration::from_millis(300));
    while let Ok((name, data)) = events.try_recv() {
        assert_ne!(name, "build-error", "{data}");
    }
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_shows_the_error() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let events = server.events();
    let good = std::fs::read_to_string(site.path("content/projects/mesh-radio.md")).unwrap();
    site.write(
        "content/projects/mesh-radio.md",
        &good.replace("trl: 4", "trl: [4"),
    );
    let data = Serve::wait_event(&events, "build-error", 10);
    assert!(data.contains("content/projects/mesh-radio.md:7"), "{data}");
    let page = server.get("/projects/mesh-radio/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Mesh Radio"),
        "the old page is still served"
    );
    assert!(
        page.body.contains("showcase-errors")
            && page.body.contains("content/projects/mesh-radio.md:7"),
        "overlay with the error"
    );
    site.write("content/projects/mesh-radio.md", &good);
    Serve::wait_event(&events, "reload", 10);
    assert!(
        !server
            .get("/projects/mesh-radio/")
            .body
            .contains("showcase-errors"),
        "the fix removes the overlay"
    );
}

#[test]
fn a_css_change_swaps_the_stylesheet() {
    let site = TestSite::new(BASE);
    site.write("static/extra.css", "body { color: black }\n");
    let server = site.serve(&[]);
    let events = server.events();
    site.write("static/extra.css", "body { color: navy }\n");
    Serve::wait_event(&events, "css", 10);
    assert!(server.get("/extra.css").body.contains("navy"));
}

#[test]
fn no_request_reads_outside_the_preview() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
        "/..%5c..%5c..%5cetc%5cpasswd",
        "/a%00b",
        "//etc/passwd",
        "http://x/../../etc/passwd",
        "/../public-old/",
    ] {
        let r = server.get(path);
        assert!([400, 404].contains(&r.status), "{path}: {}", r.status);
        assert!(!r.body.contains("root:"), "{path} leaked /etc/passwd");
    }
    let foreign = server.request("GET", "/", "Host: evil.example");
    assert_eq!(foreign.status, 403);
    let origin = server.request(
        "GET",
        "/__showcase/events",
        &format!("Host: {}\r\nOrigin: http://evil.example", server.addr),
    );
    assert_eq!(origin.status, 403);
}

#[test]
fn content_types_head_and_redirects() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    for (path, ty) in [
        ("/", "text/html"),
        ("/style.css", "text/css"),
        ("/sitemap.xml", "application/xml"),
        ("/favicon.svg", "image/svg+xml"),
        ("/search-index.json", "application/json"),
        ("/robots.txt", "text/plain"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers
                .to_lowercase()
                .contains(&format!("content-type: {ty}")),
            "{path}: {}",
            r.headers
        );
    }
    let head = server.request("HEAD", "/", &format!("Host: {}", server.addr));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let dir = server.get("/projects");
    assert_eq!(dir.status, 301);
    assert!(
        dir.headers.contains("Location: /projects/"),
        "{}",
        dir.headers
    );
    let missing = server.get("/nope/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the theme's 404 page");
}

#[test]
fn drafts_are_shown_and_marked() {
    let site = TestSite::base_with(
        "-- content/pages/plan.md --\n---\ntitle: Secret plan\ndraft: true\n---\nBody.\n",
    );
    let server = site.serve(&[]);
    let page = server.get("/plan/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Secret plan"));
    assert!(page.body.contains("banner-draft"), "marked as a draft");
    let without = site.serve(&["--no-drafts"]);
    assert_eq!(without.get("/plan/").status, 404);
}

#[test]
fn idle_event_clients_do_not_block_pages() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let idle: Vec<_> = (0..20)
        .map(|_| {
            use std::io::Write;
            let mut s = std::net::TcpStream::connect(&server.addr).unwrap();
            write!(
                s,
                "GET /__showcase/events HTTP/1.1\r\nHost: {}\r\n\r\n",
                server.addr
            )
            .unwrap();
            s
        })
        .collect();
    let start = std::time::Instant::now();
    for i in 0..10 {
        let t = std::time::Instant::now();
        let r = server.get("/");
        assert_eq!(r.status, 200, "request {i} after {:?}: {r:?}", t.elapsed());
    }
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "pages stalled behind idle event clients"
    );
    drop(idle);
}

#[test]
fn hostile_clients_do_not_stall_the_server() {
    use std::io::Write;
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let addr = server.addr.clone();
    // 200 idle connections and a slow drip of headers.
    let idle: Vec<_> = (0..200)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    let drip_addr = addr.clone();
    let drip = std::thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(&drip_addr).unwrap();
        let _ = s.write_all(b"GET / HTTP/1.1\r\n");
        for _ in 0..20 {
            if s.write_all(b"X-Slow: a\r\n").is_err() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    });
    // A 1 MB header line and 10,000 headers.
    for request in [
        format!(
            "GET / HTTP/1.0\r\nHost: {addr}\r\nX-Big: {}\r\n\r\n",
            "a".repeat(1 << 20)
        ),
        format!(
            "GET / HTTP/1.0\r\nHost: {addr}\r\n{}\r\n",
            "X-Many: b\r\n".repeat(10_000)
        ),
    ] {
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            let _ = s.set_write_timeout(Some(std::time::Duration::from_secs(5)));
            let _ = s.write_all(request.as_bytes());
        }
    }
    let start = std::time::Instant::now();
    for _ in 0..20 {
        assert_eq!(server.get("/projects/").status, 200);
    }
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "pages stalled: {:?}",
        start.elapsed()
    );
    drop(idle);
    let _ = drip.join();
    assert_eq!(server.get("/").status, 200, "the server is still up");
}

#[test]
fn with_the_default_root_static_edits_reach_the_preview() {
    let site = TestSite::base_with("-- static/css/extra.css --\nbody { color: red }\n");
    let server = site.serve_in(site.root(), &[]);
    let events = server.events();
    site.write("static/css/extra.css", "body { color: blue }\n");
    Serve::wait_event(&events, "css", 10);
    assert!(server.get("/css/extra.css").body.contains("blue"));
}
