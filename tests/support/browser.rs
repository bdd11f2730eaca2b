//! Headless Chromium driven over the DevTools protocol (CDP), for the browser tests.
//!
//! The browser tests carry `#[cfg_attr(not(showcase_browser), ignore = ...)]`: `build.rs` sets
//! `showcase_browser` when Chromium is installed, so on a machine with only the Rust toolchain
//! `cargo test` lists them as ignored, with the reason. CI (`.ci/run`) installs Chromium and
//! runs `cargo test -- --include-ignored`, where a missing browser fails the test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The browser to use; a test that needs it fails when there is none (it is `#[ignore]`d
/// unless Chromium was found when the tests were built, or run with `--include-ignored`).
pub fn chromium_required() -> String {
    chromium().expect(
        "Chromium is required for this test but was not found: install Debian's `chromium` or set CHROMIUM",
    )
}

pub fn chromium() -> Option<String> {
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

pub struct Browser {
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

pub fn launch(bin: &str) -> Browser {
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

pub struct Page {
    ws: tungstenite::WebSocket<TcpStream>,
    next_id: u64,
    /// Events received so far (method and params), in order.
    pub events: Vec<Value>,
}

impl Page {
    pub fn open(browser: &Browser, url: &str) -> Page {
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
        Page {
            ws,
            next_id: 1,
            events: Vec::new(),
        }
    }

    pub fn call(&mut self, method: &str, params: Value) -> Value {
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
                if v.get("method").is_some() {
                    self.events.push(v);
                }
            }
        }
    }

    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true}),
        );
        r["result"]["result"]["value"].clone()
    }

    /// Polls `expr` until it is true, for at most `secs`.
    pub fn wait_for(&mut self, expr: &str, secs: u64) -> bool {
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

impl Page {
    /// Loads `url` in this page and waits until it has loaded.
    pub fn navigate(&mut self, url: &str) {
        self.eval("window.__navigating = true");
        self.call("Page.navigate", json!({ "url": url }));
        assert!(
            self.wait_for(
                "window.__navigating === undefined && document.readyState === 'complete'",
                20
            ),
            "{url} did not load"
        );
    }

    /// Lays the page out `width` CSS pixels wide, as a phone (under 600) or a desktop.
    pub fn set_width(&mut self, width: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600}),
        );
    }

    /// Writes a PNG of the whole page (not only the viewport) to `path`.
    pub fn screenshot(&mut self, path: &std::path::Path) {
        let width = self.eval("document.documentElement.clientWidth");
        let height = self.eval("document.documentElement.scrollHeight");
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true,
                   "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}),
        );
        let data = r["result"]["data"].as_str().expect("screenshot data");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, base64_decode(data)).unwrap();
    }

    /// Console errors, uncaught exceptions and failed loads seen so far
    /// (after `Runtime.enable` and `Log.enable`).
    pub fn errors(&mut self) -> Vec<String> {
        self.eval("0"); // collects the events that arrived meanwhile
        self.events
            .iter()
            .filter_map(|e| match e["method"].as_str() {
                Some("Runtime.exceptionThrown") => {
                    Some(e["params"]["exceptionDetails"].to_string())
                }
                Some("Runtime.consoleAPICalled") if e["params"]["type"] == "error" => {
                    Some(e["params"]["args"].to_string())
                }
                Some("Log.entryAdded") if e["params"]["entry"]["level"] == "error" => {
                    Some(e["params"]["entry"].to_string())
                }
                _ => None,
            })
            .collect()
    }
}

impl Page {
    /// The URL of every request the page (and its frames) started since `Network.enable`, in
    /// order, from `Network.requestWillBeSent`: what a visitor's browser asked for, whether
    /// or not it was answered.
    pub fn requests(&mut self) -> Vec<String> {
        self.eval("0"); // collects the events that arrived meanwhile
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_string))
            .collect()
    }

    /// Presses and releases `key` (`"Enter"`, `" "`, `"Tab"`) where the focus is, as a
    /// keyboard does: the browser runs its default action (Enter follows a link).
    pub fn press(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "Enter" => ("Enter", 13, "\r"),
            " " => ("Space", 32, " "),
            "Tab" => ("Tab", 9, ""),
            other => panic!("press: no key code for {other:?}"),
        };
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk,
                   "nativeVirtualKeyCode": vk, "text": text, "unmodifiedText": text}),
        );
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk,
                   "nativeVirtualKeyCode": vk}),
        );
    }

    /// Scrolls the first element matching `selector` into view and clicks its middle with
    /// the mouse's left button.
    pub fn click(&mut self, selector: &str) {
        let at = self.eval(&format!(
            "(e => {{ e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})(document.querySelector({}))",
            json!(selector)
        ));
        let (x, y) = (
            at[0].as_f64().expect("element to click"),
            at[1].as_f64().unwrap(),
        );
        self.call(
            "Input.dispatchMouseEvent",
            json!({"type": "mouseMoved", "x": x, "y": y}),
        );
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1}),
            );
        }
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => 0,
        }
    };
    let bytes: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0, |n, (i, &c)| n | value(c) << (18 - 6 * i));
        let pads = chunk.iter().filter(|&&c| c == b'=').count();
        let keep = 3 - pads.min(2);
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8][..keep]);
    }
    out
}

/// npm's axe-core, as `tests/discovery.rs` finds it (`.ci/run` installs it): `None`, with a
/// note, when it is missing and not required.
pub fn axe_source() -> Option<String> {
    let path = std::env::var_os("AXE_CORE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            assert!(
                std::env::var_os("SHOWCASE_REQUIRE_BROWSER").is_none(),
                "axe-core is required (SHOWCASE_REQUIRE_BROWSER) but {} is missing",
                path.display()
            );
            eprintln!("SKIPPED: no axe-core at {}", path.display());
            None
        }
    }
}

/// Serious and critical axe-core violations of the page loaded in `page`.
pub fn axe_violations(page: &mut Page, axe: &str) -> Vec<serde_json::Value> {
    page.eval(axe);
    let r = page.call(
        "Runtime.evaluate",
        json!({
            "expression": "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))",
            "awaitPromise": true,
            "returnByValue": true,
        }),
    );
    let v = &r["result"]["result"]["value"];
    assert!(v.is_array(), "axe did not run: {r}");
    v.as_array().unwrap().clone()
}
