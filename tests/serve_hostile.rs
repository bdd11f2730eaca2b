//! `showcase serve` against hostile or broken clients (issue 16): stalled downloads, event
//! streams that never read, endless request lines, thousands of idle connections, redirects
//! that would leave the preview, and running out of file handles. Each test drives raw TCP
//! sockets on 127.0.0.1 and checks that other requests are answered within 2 s while the
//! hostile clients are connected, and that the server's memory and threads stay bounded
//! (read from `/proc/PID/status` of the `showcase serve` process; Linux only).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

mod support;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use support::{Serve, TestSite, BASE};

/// Most threads the preview may run: main, Ctrl-C, watcher, rebuild pool, the front door,
/// 16 workers (README, Preview), without event streams.
const MAX_THREADS: u64 = 40;
/// Each event stream adds one thread while it lasts; 64 streams at most.
const MAX_THREADS_WITH_STREAMS: u64 = MAX_THREADS + 64;
/// Resident memory the hostile clients may add to the idle server's.
const MAX_GROWTH_KIB: u64 = 48 * 1024;

/// Resident memory (KiB) and thread count of process `pid`.
fn usage(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {status}"))
    };
    (field("VmRSS:"), field("Threads:"))
}

/// Sends `request` on a fresh connection and reads the answer until the server closes,
/// within `limit` in all. Returns the status (0 when nothing came) and the whole answer.
fn exchange(addr: &str, request: &[u8], limit: Duration) -> (u16, Vec<u8>) {
    let start = Instant::now();
    let sock = addr.parse().unwrap();
    let Ok(mut s) = TcpStream::connect_timeout(&sock, limit) else {
        return (0, Vec::new());
    };
    s.set_write_timeout(Some(limit)).unwrap();
    if s.write_all(request).is_err() {
        return (0, Vec::new());
    }
    let mut buf = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let left = limit.saturating_sub(start.elapsed());
        if left.is_zero() {
            break;
        }
        s.set_read_timeout(Some(left)).unwrap();
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let status = String::from_utf8_lossy(&buf)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, buf)
}

/// GETs `path`; panics unless the whole answer, with status `want`, came within 2 s.
fn get_within_2s(addr: &str, path: &str, want: u16) -> Vec<u8> {
    let start = Instant::now();
    let request = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    let (status, body) = exchange(addr, request.as_bytes(), Duration::from_secs(2));
    assert_eq!(
        status,
        want,
        "GET {path}: {status} after {:?}",
        start.elapsed()
    );
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "GET {path} too slow"
    );
    body
}

/// Opens a connection and sends `request` without reading anything back.
fn send_only(addr: &str, request: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    s
}

/// Stops the server with SIGTERM when dropped (declared after the `Serve`, it is dropped
/// first, even when the test fails), so that the server removes its temporary folder: the
/// kill of `Serve`'s drop would leave a 64 MiB file behind.
struct Terminate(u32);

impl Drop for Terminate {
    fn drop(&mut self) {
        let pid = self.0;
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while std::fs::read_to_string(format!("/proc/{pid}/status"))
            .is_ok_and(|s| !s.contains("State:\tZ"))
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn report(what: &str, server: &Serve, before: (u64, u64)) -> (u64, u64) {
    let now = usage(server.pid());
    eprintln!(
        "{what}: memory {} -> {} MiB, threads {} -> {}",
        before.0 / 1024,
        now.0 / 1024,
        before.1,
        now.1
    );
    now
}

#[test]
fn stalled_downloads_do_not_block_pages_and_are_dropped() {
    let site = TestSite::new(BASE);
    let size = 64 << 20;
    site.write_bytes("static/big.zip", &vec![b'x'; size]);
    let server = site.serve(&[]);
    let _terminate = Terminate(server.pid());
    let addr = server.addr.clone();
    let before = usage(server.pid());
    let start = Instant::now();
    // Eight clients ask for 64 MiB and never read.
    let stalled: Vec<TcpStream> = (0..8)
        .map(|_| {
            send_only(
                &addr,
                &format!("GET /big.zip HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
            )
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..10 {
        get_within_2s(&addr, "/", 200);
        get_within_2s(&addr, "/style.css", 200);
    }
    let (rss, threads) = report("8 stalled downloads of 64 MiB", &server, before);
    assert!(rss < before.0 + MAX_GROWTH_KIB, "memory grew to {rss} KiB");
    assert!(threads <= MAX_THREADS, "{threads} threads");
    // A download that does not move 64 KiB in 10 s is dropped (counted from when the
    // socket buffers filled, within a second or two): what was already in the buffers
    // arrives, then the end, long before 64 MiB.
    std::thread::sleep(Duration::from_secs(13).saturating_sub(start.elapsed()));
    for mut s in stalled {
        s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        let mut got = 0usize;
        let mut chunk = vec![0u8; 1 << 20];
        let ended = loop {
            match s.read(&mut chunk) {
                Ok(0) => break true,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
                Err(_) => break false,
            }
        };
        assert!(
            ended && got < size,
            "stalled download not dropped ({got} bytes, ended: {ended}, after {:?})",
            start.elapsed()
        );
    }
    get_within_2s(&addr, "/", 200);
    // A client that reads gets the whole file, streamed.
    let (status, body) = exchange(
        &addr,
        format!("GET /big.zip HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes(),
        Duration::from_secs(10),
    );
    assert_eq!(status, 200);
    assert!(body.ends_with(&vec![b'x'; 1000]) && body.len() > size);
    // A dropped media download resumes where it was: one range, answered in part.
    let (status, part) = exchange(
        &addr,
        format!("GET /big.zip HTTP/1.1\r\nHost: {addr}\r\nRange: bytes=1000-1999\r\n\r\n")
            .as_bytes(),
        Duration::from_secs(2),
    );
    let text = String::from_utf8_lossy(&part);
    assert_eq!(status, 206, "{text}");
    assert!(text.contains(&format!("Content-Range: bytes 1000-1999/{size}")));
    assert!(text.ends_with(&format!("\r\n\r\n{}", "x".repeat(1000))));
}

#[test]
fn more_stalled_readers_than_workers_do_not_block_pages() {
    let site = TestSite::new(BASE);
    let size = 16 << 20;
    site.write_bytes("static/big.zip", &vec![b'x'; size]);
    let server = site.serve(&[]);
    let _terminate = Terminate(server.pid());
    let addr = server.addr.clone();
    let before = usage(server.pid());
    // Twice as many clients as there are workers (16) ask for 16 MiB, a part of it, or a
    // page, and never read. Each used to hold a worker until it was dropped.
    let stalled: Vec<TcpStream> = (0..32)
        .map(|i| {
            let extra = match i % 4 {
                0 => "Range: bytes=5-\r\n",
                _ => "",
            };
            let path = if i % 8 == 7 { "/" } else { "/big.zip" };
            send_only(
                &addr,
                &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}\r\n"),
            )
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..5 {
        get_within_2s(&addr, "/", 200);
        get_within_2s(&addr, "/style.css", 200);
        get_within_2s(&addr, "/big.zip", 200);
    }
    let (rss, threads) = report("32 stalled readers", &server, before);
    assert!(rss < before.0 + MAX_GROWTH_KIB, "memory grew to {rss} KiB");
    assert!(threads <= MAX_THREADS, "{threads} threads");
    drop(stalled);
}

#[test]
fn event_streams_that_never_read_and_huge_errors_stay_bounded() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let addr = server.addr.clone();
    let before = usage(server.pid());
    let events = server.events();
    let silent: Vec<TcpStream> = (0..63)
        .map(|_| {
            send_only(
                &addr,
                &format!("GET /__showcase/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
            )
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // The 65th stream is refused, not queued.
    let (status, _) = exchange(
        &addr,
        format!("GET /__showcase/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
        Duration::from_secs(2),
    );
    assert_eq!(status, 503);
    let good = std::fs::read_to_string(site.path("content/projects/mesh-radio.md")).unwrap();
    // A dozen saves that fail, each with a 1 MB value echoed in the error.
    for i in 0..12 {
        let value = format!("{i}{}", "x".repeat(1 << 20));
        site.write(
            "content/projects/mesh-radio.md",
            &good.replace("stage: prototype", &format!("stage: {value}")),
        );
        let data = Serve::wait_event(&events, "build-error", 30);
        assert!(data.len() <= 64 * 1024, "event of {} bytes", data.len());
        assert!(
            data.contains("not shown"),
            "{}",
            &data[..200.min(data.len())]
        );
    }
    let page = get_within_2s(&addr, "/projects/sky-link/", 200);
    assert!(
        page.len() < 256 * 1024,
        "the overlay echoes the error whole: {} bytes",
        page.len()
    );
    assert!(String::from_utf8_lossy(&page).contains("showcase-errors"));
    let (rss, threads) = report(
        "64 event streams (63 not reading), 12 failed saves of 1 MB",
        &server,
        before,
    );
    assert!(rss < before.0 + MAX_GROWTH_KIB, "memory grew to {rss} KiB");
    assert!(threads <= MAX_THREADS_WITH_STREAMS, "{threads} threads");
    site.write("content/projects/mesh-radio.md", &good);
    Serve::wait_event(&events, "reload", 30);
    drop(silent);
}

#[test]
fn long_request_lines_and_headers_are_refused() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let addr = server.addr.clone();
    let before = usage(server.pid());
    // Two clients send a request line that never ends (up to 256 MiB each, until cut off).
    let floods: Vec<_> = (0..2)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(&addr).unwrap();
                s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
                let chunk = vec![b'a'; 1 << 20];
                let mut sent = s.write_all(b"GET /").map_or(0, |_| 5);
                while sent < 256 << 20 && s.write_all(&chunk).is_ok() {
                    sent += chunk.len();
                }
                sent
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    get_within_2s(&addr, "/", 200);
    for flood in floods {
        let sent = flood.join().unwrap();
        assert!(sent < 256 << 20, "the server read a 256 MiB request line");
    }
    let (rss, threads) = report("two endless request lines", &server, before);
    assert!(rss < before.0 + MAX_GROWTH_KIB, "memory grew to {rss} KiB");
    assert!(threads <= MAX_THREADS, "{threads} threads");

    let limit = Duration::from_secs(3);
    let long_line = format!("GET /{} HTTP/1.1\r\nHost: {addr}\r\n\r\n", "a".repeat(9000));
    assert_eq!(exchange(&addr, long_line.as_bytes(), limit).0, 414);
    let no_end = format!("GET /{}", "a".repeat(20_000));
    assert_eq!(exchange(&addr, no_end.as_bytes(), limit).0, 414);
    let big_header = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\nCookie: {}\r\n\r\n",
        "c".repeat(40_000)
    );
    assert_eq!(exchange(&addr, big_header.as_bytes(), limit).0, 431);
    let many = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\n{}\r\n",
        "X-Many: b\r\n".repeat(200)
    );
    assert_eq!(exchange(&addr, many.as_bytes(), limit).0, 431);
    let body = format!("POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 400000000\r\n\r\n");
    assert_eq!(exchange(&addr, body.as_bytes(), limit).0, 413);
    // Under the limits: a 7,000-byte target and 20 KB of cookies are answered as usual.
    let near = format!("GET /{} HTTP/1.0\r\nHost: {addr}\r\n\r\n", "a".repeat(7000));
    assert_eq!(exchange(&addr, near.as_bytes(), limit).0, 404);
    let cookies = format!(
        "GET / HTTP/1.0\r\nHost: {addr}\r\nCookie: {}\r\n\r\n",
        "c".repeat(20_000)
    );
    assert_eq!(exchange(&addr, cookies.as_bytes(), limit).0, 200);
}

#[test]
fn idle_connections_take_no_threads_and_slow_heads_time_out() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let addr = server.addr.clone();
    let before = usage(server.pid());
    let start = Instant::now();
    let idle: Vec<TcpStream> = (0..3000)
        .map(|_| TcpStream::connect(&addr).unwrap())
        .collect();
    // Slowloris: a header byte every half second, never the end of the head.
    let drips: Vec<_> = (0..20)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(&addr).unwrap();
                let _ = s.write_all(b"GET / HTTP/1.1\r\nX-Slow: ");
                let begun = Instant::now();
                while s.write_all(b"a").is_ok() && begun.elapsed() < Duration::from_secs(15) {
                    std::thread::sleep(Duration::from_millis(500));
                }
                let mut answer = Vec::new();
                s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                let _ = s.read_to_end(&mut answer);
                (
                    begun.elapsed(),
                    String::from_utf8_lossy(&answer).to_string(),
                )
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..10 {
        get_within_2s(&addr, "/", 200);
    }
    let (rss, threads) = report("3000 idle connections and 20 slow heads", &server, before);
    assert!(rss < before.0 + MAX_GROWTH_KIB, "memory grew to {rss} KiB");
    assert!(threads <= MAX_THREADS, "{threads} threads");
    for drip in drips {
        let (took, answer) = drip.join().unwrap();
        assert!(
            took < Duration::from_secs(13),
            "slow head kept for {took:?}"
        );
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{answer}"
        );
    }
    // Idle connections are closed after the head timeout (or earlier, to make room).
    let mut last = &idle[2999];
    let left = Duration::from_secs(13).saturating_sub(start.elapsed());
    last.set_read_timeout(Some(left.max(Duration::from_millis(10))))
        .unwrap();
    let closed = match last.read(&mut [0u8; 16]) {
        Ok(n) => n == 0,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(closed, "an idle connection outlived the head timeout");
    drop(idle);
    get_within_2s(&addr, "/", 200);
}

#[test]
fn redirects_stay_on_the_preview() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let addr = server.addr.clone();
    for (path, want) in [
        ("/projects", Some("/projects/")),
        ("//projects", Some("/projects/")),
        ("///projects", Some("/projects/")),
        ("/%2F%2Fprojects", Some("/projects/")),
        ("/%2fprojects", Some("/projects/")),
        ("/./projects", Some("/projects/")),
        ("/projects?x=1", Some("/projects/?x=1")),
        ("/\\evil.com", None),
        ("/%5Cevil.com", None),
        ("/%2F%2Fevil", None),
        ("///x", None),
        ("//evil.com/", None),
        ("/%2F%2Fevil.com%2F", None),
        ("/%09/evil.com", None),
    ] {
        let (status, answer) = exchange(
            &addr,
            format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes(),
            Duration::from_secs(2),
        );
        let head = String::from_utf8_lossy(&answer);
        let location = head
            .lines()
            .find_map(|l| l.strip_prefix("Location: "))
            .map(str::to_string);
        if let Some(l) = &location {
            let b = l.as_bytes();
            assert!(
                b.first() == Some(&b'/') && !matches!(b.get(1), Some(b'/' | b'\\')),
                "{path} redirects off the preview: {l}"
            );
        }
        assert_eq!(location.as_deref(), want, "{path}: {status}");
        if want.is_none() {
            assert!([400, 404].contains(&status), "{path}: {status}");
        }
    }
}

#[test]
fn the_preview_survives_running_out_of_file_handles() {
    let site = TestSite::new(BASE);
    site.write_bytes("static/big.zip", &vec![b'x'; 8 << 20]);
    let server = site.serve(&[]);
    let addr = server.addr.clone();
    let pid = server.pid();
    let open = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count();
    // Room for a few more handles than the idle server holds, then a flood of connections.
    let limit = open + 12;
    let prlimit = std::process::Command::new("prlimit")
        .args([
            "--pid",
            &pid.to_string(),
            &format!("--nofile={limit}:{limit}"),
        ])
        .status()
        .expect("prlimit (util-linux)");
    assert!(prlimit.success());
    let flood: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(&addr).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    // Accepting failed (EMFILE) and the server said so.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.log.lock().unwrap().join("\n").contains("open files") && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = server.log.lock().unwrap().join("\n");
    assert!(
        log.contains("open files"),
        "no accept error provoked: {log}"
    );
    // It still answers during the flood (idle connections make room) and after it, also
    // while downloads that are not read hold handles (each its socket and file).
    get_within_2s(&addr, "/", 200);
    let stalled: Vec<TcpStream> = (0..30)
        .filter_map(|_| {
            let mut s = TcpStream::connect(&addr).ok()?;
            s.write_all(format!("GET /big.zip HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
                .ok()?;
            Some(s)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut answers = Vec::new();
    for _ in 0..10 {
        let request = format!("GET / HTTP/1.0\r\nHost: {addr}\r\n\r\n");
        answers.push(exchange(&addr, request.as_bytes(), Duration::from_secs(2)).0);
    }
    eprintln!("answers while out of handles: {answers:?}");
    // Each is answered: the page, or "busy, try again" when no handle was left for it (the
    // stalled downloads are then dropped to make room), never a 404 or nothing.
    assert!(
        answers.iter().all(|s| [200, 503].contains(s)),
        "{answers:?}"
    );
    assert!(answers.contains(&200), "{answers:?}");
    drop(stalled);
    std::thread::sleep(Duration::from_millis(200));
    get_within_2s(&addr, "/", 200);
    drop(flood);
    std::thread::sleep(Duration::from_millis(200));
    for _ in 0..5 {
        get_within_2s(&addr, "/projects/", 200);
    }
    // Connections it could not take were closed, quietly: no request panicked on the way.
    let log = server.log.lock().unwrap().join("\n");
    assert!(!log.contains("panicked"), "{log}");
}

#[test]
fn other_http_versions_and_bytes_outside_ascii_are_answered() {
    let site = TestSite::new(BASE);
    site.write("static/файл.txt", "файл");
    let server = site.serve(&[]);
    let addr = server.addr.clone();
    let limit = Duration::from_secs(2);
    // An HTTP/2 client's preface and other versions: tiny_http answered 505 while it held
    // the request's writer, and waited for itself for ever. More than the 16 workers.
    for i in 0..20 {
        let request = if i % 2 == 0 {
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_string()
        } else {
            format!("GET / HTTP/3.0\r\nHost: {addr}\r\n\r\n")
        };
        let (status, answer) = exchange(&addr, request.as_bytes(), limit);
        assert_eq!(status, 505, "{}", String::from_utf8_lossy(&answer));
    }
    get_within_2s(&addr, "/", 200);
    // A cookie in UTF-8 (Chromium sends the ones another app on the same host set, such
    // as a name in Cyrillic) was answered with nothing at all: the page could not load.
    let cookie = format!("GET / HTTP/1.0\r\nHost: {addr}\r\nCookie: name=Иван\r\n\r\n");
    let (status, answer) = exchange(&addr, cookie.as_bytes(), limit);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    // A target in raw UTF-8 (browsers encode it, other clients may not) names the file.
    let raw = format!("GET /файл.txt HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    let (status, answer) = exchange(&addr, raw.as_bytes(), limit);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&answer).ends_with("\r\n\r\nфайл"));
}

#[test]
fn a_range_of_a_page_gets_the_whole_page_with_its_script() {
    let site = TestSite::new(BASE);
    let server = site.serve(&[]);
    let addr = server.addr.clone();
    let whole = get_within_2s(&addr, "/", 200);
    let request = format!("GET / HTTP/1.0\r\nHost: {addr}\r\nRange: bytes=100-110\r\n\r\n");
    let (status, answer) = exchange(&addr, request.as_bytes(), Duration::from_secs(2));
    // Not 206 with bytes 0-10 of the file and the script after them, under a header that
    // says bytes 100-110.
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let text = String::from_utf8_lossy(&answer);
    let whole = String::from_utf8_lossy(&whole);
    let body = |t: &str| t.split_once("\r\n\r\n").map(|(_, b)| b.to_string());
    assert_eq!(body(&text), body(&whole));
    assert!(text.contains("/__showcase/live.js") && !text.contains("Content-Range"));
    // One request per connection, and the client is told so.
    assert!(text.contains("\r\nConnection: close\r\n"), "{text}");
}

/// Sends `request` and resets the connection at once (SO_LINGER 0: an RST, not a FIN).
fn send_and_reset(addr: &str, request: &str) {
    use std::os::fd::AsRawFd;
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket and a `linger` of the size given.
    #[allow(unsafe_code)]
    let r = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::from_ref(&linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(r, 0);
}

#[test]
fn clients_that_reset_after_their_request_leave_no_trace() {
    let site = TestSite::new(BASE);
    // As many editors have it: a panic would print its backtrace and load debug
    // information to do so.
    let server = site.serve_with_env(
        site.root(),
        &["--root", &site.root().display().to_string()],
        &[("RUST_BACKTRACE", std::path::Path::new("1"))],
    );
    let addr = server.addr.clone();
    let before = usage(server.pid());
    for _ in 0..200 {
        send_and_reset(&addr, &format!("GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n"));
    }
    std::thread::sleep(Duration::from_millis(500));
    get_within_2s(&addr, "/", 200);
    let (rss, threads) = report("200 requests reset at once", &server, before);
    assert!(rss < before.0 + MAX_GROWTH_KIB, "memory grew to {rss} KiB");
    assert!(threads <= MAX_THREADS, "{threads} threads");
    let log = server.log.lock().unwrap().join("\n");
    assert!(!log.contains("panicked"), "{}", &log[..log.len().min(2000)]);
}
