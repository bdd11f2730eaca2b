//! A real browser (Debian's headless Chromium, driven over the DevTools protocol) opens a
//! page of `showcase serve`, the test edits the file on disk, and the new text appears in
//! the open page with no navigation by the test: live reload as an editor sees it.
//!
//! Without Chromium the test says so and passes, so that `cargo test` runs on a machine with
//! only the Rust toolchain; CI (`.ci/run`) installs Chromium and sets
//! `SHOWCASE_REQUIRE_BROWSER=1`, which turns a missing browser into a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod support;
use support::{TestSite, BASE};

fn chromium() -> Option<String> {
    if let Ok(p) = std::env::var("CHROMIUM") {
        return Some(p);
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())
    .map(str::to_string)
}

struct Browser {
    child: std::process::Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn launch(bin: &str) -> Browser {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=0",
            "about:blank",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("DevTools listening on ws://127.0.0.1:") {
                let _ = tx.send(
                    rest.split('/')
                        .next()
                        .unwrap_or("")
                        .parse::<u16>()
                        .unwrap_or(0),
                );
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("chromium's DevTools port");
    Browser {
        child,
        port,
        _profile: profile,
    }
}

/// One plain HTTP request to the DevTools endpoint; returns the JSON body.
fn devtools_http(port: u16, method: &str, path: &str) -> Value {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    // Read the head, then exactly Content-Length bytes (the connection may stay open).
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head.lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            });
            if len.is_some_and(|n| body.len() >= n) {
                return serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {text}"));
            }
        }
        let n = s.read(&mut chunk).expect("devtools answer");
        assert!(n > 0, "devtools closed: {}", String::from_utf8_lossy(&buf));
        buf.extend_from_slice(&chunk[..n]);
    }
}

struct Page {
    ws: tungstenite::WebSocket<TcpStream>,
    next_id: u64,
}

impl Page {
    fn open(browser: &Browser, url: &str) -> Page {
        let target = devtools_http(browser.port, "PUT", &format!("/json/new?{url}"));
        let ws_url = target["webSocketDebuggerUrl"]
            .as_str()
            .expect("page target")
            .to_string();
        let stream = TcpStream::connect(("127.0.0.1", browser.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let (ws, _) = tungstenite::client(ws_url.as_str(), stream).expect("websocket");
        Page { ws, next_id: 1 }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.ws
            .send(tungstenite::Message::text(
                json!({"id": id, "method": method, "params": params}).to_string(),
            ))
            .unwrap();
        loop {
            let msg = self.ws.read().expect("devtools reply");
            if let Ok(v) = serde_json::from_str::<Value>(msg.to_text().unwrap_or("")) {
                if v["id"] == json!(id) {
                    return v;
                }
            }
        }
    }

    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true}),
        );
        r["result"]["result"]["value"].clone()
    }

    /// Polls `expr` until it is true, for at most `secs`.
    fn wait_for(&mut self, expr: &str, secs: u64) -> bool {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if self.eval(expr) == json!(true) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }
}

#[test]
fn an_open_page_shows_the_edit_by_itself() {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var_os("SHOWCASE_REQUIRE_BROWSER").is_none(),
            "Chromium is required (SHOWCASE_REQUIRE_BROWSER) but was not found"
        );
        eprintln!(
            "SKIPPED: no Chromium found; install Debian's `chromium` to run the browser test"
        );
        return;
    };
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
