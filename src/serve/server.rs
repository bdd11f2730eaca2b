//! The preview's HTTP server: serves one folder (the preview build). Connections come in
//! through [`crate::serve::front`] (limits on heads, connections, threads and time);
//! tiny_http parses each request and makes the response's head, and the front door sends
//! the response.
//!
//! Invariants: it only reads files under its folder: paths are percent-decoded, checked
//! component by component (no `..`, backslashes, NUL bytes or drive prefixes), then the
//! resolved file is canonicalised and must still lie inside the folder, so symlinks pointing
//! out give 404. It never writes anything. Files are streamed from their open handle, never
//! read whole, and no response is longer than the `Content-Length` it announced. A redirect
//! is built from the checked path, so it always names a path on the preview's own origin.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::TcpStream;
use std::net::{IpAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, LazyLock};

use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::serve::front::{self, Outbox, Outgoing, Part};
use crate::serve::live::Live;

/// A bound listening socket, ready to serve.
pub struct Preview {
    listener: TcpListener,
    root: PathBuf,
    live: Option<Live>,
    /// The address it listens on.
    pub addr: std::net::SocketAddr,
}

impl Preview {
    /// Binds `addr:port`, trying the next ports when it is taken (up to 20). With `live`, HTML
    /// pages get the reload script and the error overlay, and `/__showcase/events` streams.
    pub fn bind(
        addr: IpAddr,
        port: u16,
        root: &Path,
        live: Option<Live>,
    ) -> std::io::Result<Preview> {
        let mut last = None;
        for p in port..port.saturating_add(20) {
            match TcpListener::bind((addr, p)) {
                Ok(listener) => {
                    let local = listener.local_addr().unwrap_or_else(|_| (addr, p).into());
                    return Ok(Preview {
                        listener,
                        root: root.to_path_buf(),
                        live,
                        addr: local,
                    });
                }
                Err(e) => last = Some(e),
            }
        }
        Err(std::io::Error::other(format!(
            "no free port from {port}: {}",
            last.map(|e| e.to_string()).unwrap_or_default()
        )))
    }

    /// Serves requests until the process ends, within the limits of [`front`].
    pub fn run(self) {
        let ctx = Arc::new(Ctx {
            root: std::fs::canonicalize(&self.root).unwrap_or(self.root.clone()),
            live: self.live,
            port: self.addr.port(),
            check_host: self.addr.ip().is_loopback(),
        });
        front::serve(self.listener, move |stream, outbox| {
            // The front door sends the response through a handle of its own.
            let conn = match stream.try_clone() {
                Ok(conn) => conn,
                Err(e) => {
                    if front::out_of_handles(&e) {
                        front::short_of_handles();
                        let _ = (&stream).write_all(front::refusal(503).as_bytes());
                    }
                    return;
                }
            };
            tiny_http::serve_one(stream, |request| handle(request, &ctx, conn, outbox));
        });
    }
}

struct Ctx {
    root: PathBuf,
    live: Option<Live>,
    port: u16,
    /// On loopback, refuse other Host names (DNS rebinding would let a web page read drafts).
    check_host: bool,
}

fn header_value(request: &Request, name: &'static str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str().to_string())
}

/// Whether `host` (`name[:port]`) names this machine's loopback on our port.
fn local_host(host: &str, port: u16) -> bool {
    let (name, p) = match host.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(']') || host.starts_with('[') => (n, p.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    ["localhost", "127.0.0.1", "[::1]"].contains(&name) && p == Some(port)
}

fn handle(request: Request, ctx: &Ctx, conn: TcpStream, outbox: &Outbox) {
    if ctx.check_host && !header_value(&request, "Host").is_some_and(|h| local_host(&h, ctx.port)) {
        let reply = Reply::text(403, "forbidden: unexpected Host header\n");
        send(request, reply, conn, outbox);
        return;
    }
    let path = request.url().split('?').next().unwrap_or("").to_string();
    let reply = match (request.method(), ctx.live.as_ref(), path.as_str()) {
        (Method::Get, Some(live), "/__showcase/events") => {
            let origin_ok = header_value(&request, "Origin").is_none_or(|o| {
                o.strip_prefix("http://")
                    .is_some_and(|h| local_host(h, ctx.port))
            });
            if !origin_ok {
                send(
                    request,
                    Reply::text(403, "forbidden: foreign Origin\n"),
                    conn,
                    outbox,
                );
                return;
            }
            live.attach(request.into_writer());
            return;
        }
        (Method::Get | Method::Head, Some(_), "/__showcase/live.js") => Reply {
            status: 200,
            content_type: "text/javascript; charset=utf-8",
            body: Body::Bytes(crate::serve::live::SCRIPT.as_bytes().to_vec()),
            location: None,
            content_range: None,
        },
        (Method::Get | Method::Head, live, _) => {
            let mut reply = respond(&ctx.root, request.url());
            // Pages first: a page with the script put in is answered whole (`partial` leaves
            // it), never as a part of the file with the script after it.
            if let Some(live) = live {
                if reply.content_type.starts_with("text/html") {
                    reply.body = inject(reply.body, live.overlay());
                }
            }
            if let Some(range) = header_value(&request, "Range") {
                reply = partial(reply, &range);
            }
            reply
        }
        _ => Reply::text(405, "method not allowed\n"),
    };
    send(request, reply, conn, outbox);
}

/// Hands `reply` to the front door, which sends it on `conn` without holding this thread
/// (see [`front`]): tiny_http makes the head as it would have written it (status line in
/// the request's version, `Date`, `Server`, `Content-Length`), the body follows unchanged;
/// for HEAD, the head alone.
fn send(request: Request, reply: Reply, conn: TcpStream, outbox: &Outbox) {
    let head_only = *request.method() == Method::Head;
    let mut head = Vec::new();
    let len = usize::try_from(reply.body.len()).unwrap_or(usize::MAX);
    // No request headers: a `TE: chunked` from the client would make tiny_http announce
    // chunks that the body, sent as is, does not have.
    let made = Response::new(
        StatusCode(reply.status),
        headers(&reply),
        std::io::empty(),
        Some(len),
        None,
    )
    .with_chunked_threshold(usize::MAX)
    .raw_print(&mut head, request.http_version().clone(), &[], true, None);
    if made.is_err() || !head.ends_with(b"\r\n\r\n") {
        return;
    }
    // One request per connection, said as RFC 9112 (9.6) asks (tiny_http leaves out a
    // `Connection` header given to it).
    head.truncate(head.len() - 2);
    head.extend_from_slice(b"Connection: close\r\n\r\n");
    let mut parts = vec![Part::Bytes(head)];
    if !head_only {
        parts.extend(reply.body.into_parts());
    }
    // Taken, and dropped unused: a request dropped with its writer answers 500. The
    // connection stays open on `conn` (see `tiny_http::serve_one`).
    drop(request.into_writer());
    outbox.send(Outgoing { conn, parts });
}

/// Adds the reload script (and the error overlay) before the last `</body>`, or at the end.
fn inject(body: Body, overlay: Option<String>) -> Body {
    let mut extra = overlay.unwrap_or_default();
    extra.push_str("<script src=\"/__showcase/live.js\"></script>");
    let extra = extra.into_bytes();
    match body {
        Body::Bytes(mut bytes) => {
            let at = BODY_END
                .find_iter(&bytes)
                .last()
                .map_or(bytes.len(), |m| m.start());
            bytes.splice(at..at, extra);
            Body::Bytes(bytes)
        }
        Body::File(mut file, len) => match last_body_end(&mut file) {
            Ok(at) => Body::Spliced {
                file,
                len,
                at: at.unwrap_or(len).min(len),
                extra,
            },
            Err(_) => Body::File(file, len),
        },
        spliced @ Body::Spliced { .. } => spliced,
    }
}

static BODY_END: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(["</body>"]).expect("a plain pattern always builds")
});

/// Where the last `</body>` of a file starts, read in pieces (a page is not held whole);
/// the file is left at its start.
fn last_body_end(file: &mut File) -> std::io::Result<Option<u64>> {
    const KEEP: usize = "</body>".len() - 1;
    let mut buf = vec![0u8; 64 * 1024];
    let (mut offset, mut kept, mut last) = (0u64, 0usize, None);
    loop {
        let n = file.read(&mut buf[kept..])?;
        if n == 0 {
            break;
        }
        let filled = kept + n;
        if let Some(m) = BODY_END.find_iter(&buf[..filled]).last() {
            last = Some(offset + m.start() as u64);
        }
        // Keep the tail, where a `</body>` cut in two may start.
        let keep = filled.min(KEEP);
        buf.copy_within(filled - keep..filled, 0);
        offset += (filled - keep) as u64;
        kept = keep;
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(last)
}

/// A response as data, turned into tiny_http's type at the edge.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content-Type.
    pub content_type: &'static str,
    /// Body.
    pub body: Body,
    /// Location header for redirects: always a path on this origin (`/a/b/`).
    pub location: Option<String>,
    /// Content-Range header of a partial answer (206, 416).
    pub content_range: Option<String>,
}

/// What a response sends: small texts in memory, files from their open handle.
#[derive(Debug)]
pub enum Body {
    /// Bytes in memory (the script, short messages).
    Bytes(Vec<u8>),
    /// A file and its length when opened; streamed.
    File(File, u64),
    /// An HTML file of `len` bytes with `extra` put in at byte `at`; streamed.
    Spliced {
        /// The open file.
        file: File,
        /// Its length when opened.
        len: u64,
        /// Where `extra` goes.
        at: u64,
        /// The bytes put in (the reload script and the overlay).
        extra: Vec<u8>,
    },
}

impl Body {
    /// Length in bytes (what `Content-Length` says).
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::File(_, len) => *len,
            Body::Spliced { len, extra, .. } => len + extra.len() as u64,
        }
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, read whole (for tests and small bodies).
    pub fn into_bytes(self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        for part in self.into_parts() {
            match part {
                Part::Bytes(b) => out.extend_from_slice(&b),
                Part::File { file, start, len } => {
                    let mut at = 0;
                    let mut buf = vec![0; 64 * 1024];
                    while at < len {
                        let want = usize::try_from(len - at)
                            .unwrap_or(usize::MAX)
                            .min(buf.len());
                        let n = front::read_at(&file, &mut buf[..want], start + at)?;
                        if n == 0 {
                            break;
                        }
                        out.extend_from_slice(&buf[..n]);
                        at += n as u64;
                    }
                }
            }
        }
        Ok(out)
    }

    /// The body as the front door sends it: never more than [`Body::len`] bytes (a file that
    /// grew after it was opened is cut at its length then), a file from where
    /// [`partial`] put it.
    fn into_parts(self) -> Vec<Part> {
        match self {
            Body::Bytes(b) => vec![Part::Bytes(b)],
            Body::File(mut file, len) => {
                let start = file.stream_position().unwrap_or(0);
                vec![Part::File {
                    file: Arc::new(file),
                    start,
                    len,
                }]
            }
            Body::Spliced {
                file,
                len,
                at,
                extra,
            } => {
                // One open file on both sides of `extra`: one version of the page.
                let file = Arc::new(file);
                vec![
                    Part::File {
                        file: Arc::clone(&file),
                        start: 0,
                        len: at,
                    },
                    Part::Bytes(extra),
                    Part::File {
                        file,
                        start: at,
                        len: len - at,
                    },
                ]
            }
        }
    }
}

impl Reply {
    fn text(status: u16, body: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Body::Bytes(body.as_bytes().to_vec()),
            location: None,
            content_range: None,
        }
    }
}

/// The headers of `r` besides those tiny_http adds.
fn headers(r: &Reply) -> Vec<Header> {
    let mut headers = vec![
        header("Content-Type", r.content_type),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
        // The pages carry the policy in a <meta>; the header also covers what has none (an
        // SVG opened by itself) and adds what a <meta> cannot say (who may frame the page).
        header(
            "Content-Security-Policy",
            &format!("{}; frame-ancestors 'self'", crate::active::CSP),
        ),
    ];
    if let Some(l) = &r.location {
        headers.push(header("Location", l));
    }
    if let Some(range) = &r.content_range {
        headers.push(header("Content-Range", range));
    }
    if matches!(r.body, Body::File(..)) {
        headers.push(header("Accept-Ranges", "bytes"));
    }
    headers
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// The part of a file a `Range` header asks for (RFC 9110, 14.2): one range of bytes gets
/// 206 with `Content-Range`, one that starts past the end gets 416; several ranges, other
/// units and anything unreadable get the whole file, as the RFC allows. Only plain files
/// answer in parts (pages get the reload script put in). Media players ask for parts, so a
/// paused video whose connection was dropped (see [`front::STALL_TIMEOUT`]) resumes where
/// it was.
fn partial(reply: Reply, range: &str) -> Reply {
    let Reply {
        status,
        content_type,
        body,
        location,
        content_range,
    } = reply;
    let (file, len) = match body {
        Body::File(file, len) if status == 200 => (file, len),
        body => {
            return Reply {
                status,
                content_type,
                body,
                location,
                content_range,
            }
        }
    };
    let part = |status, body, range| Reply {
        status,
        content_type,
        body,
        location: None,
        content_range: range,
    };
    let mut file = file;
    match byte_range(range, len) {
        None => part(200, Body::File(file, len), None),
        Some((start, _)) if start >= len => {
            part(416, Body::Bytes(Vec::new()), Some(format!("bytes */{len}")))
        }
        Some((start, end)) => match file.seek(SeekFrom::Start(start)) {
            Ok(_) => part(
                206,
                Body::File(file, end - start + 1),
                Some(format!("bytes {start}-{end}/{len}")),
            ),
            Err(_) => part(200, Body::File(file, len), None),
        },
    }
}

/// The first and last byte of a single `bytes=` range of a `len`-byte file; a range that
/// starts at or past `len` comes back with that start (to be answered 416). `None` for
/// several ranges or anything unreadable.
fn byte_range(header: &str, len: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    let (first, last) = spec.split_once('-')?;
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if first.trim().is_empty() {
        // `-N`: the last N bytes.
        let n = number(last)?;
        return Some(match len.checked_sub(1) {
            Some(end) if n > 0 => (len.saturating_sub(n), end),
            _ => (len, len),
        });
    }
    let start = number(first)?;
    let end = match last.trim() {
        "" => u64::MAX,
        l => number(l)?,
    };
    if end < start {
        return None;
    }
    Some((start, end.min(len.saturating_sub(1))))
}

/// What to send for a request target (GET or HEAD).
pub fn respond(root: &Path, target: &str) -> Reply {
    let Some(rel) = request_path(target) else {
        return Reply::text(400, "bad request\n");
    };
    let candidate = root.join(&rel);
    if candidate.is_dir() {
        let path = target.split(['?', '#']).next().unwrap_or("");
        if !path.ends_with('/') {
            let mut r = Reply::text(301, "");
            r.location = Some(dir_location(&rel, target));
            return r;
        }
        return serve_file(root, &candidate.join("index.html"), 200)
            .unwrap_or_else(|| not_found(root, &rel));
    }
    serve_file(root, &candidate, 200).unwrap_or_else(|| not_found(root, &rel))
}

/// The address of folder `rel` with its slash, and the target's query: made from the checked
/// path, segment by segment, never from the raw target, so that `//projects` (which a
/// browser reads as the host `projects`), `/%2F%2Fevil` or `/\evil` cannot send the browser
/// to another site. Always `/` followed by a segment or nothing.
fn dir_location(rel: &Path, target: &str) -> String {
    let mut url = url::Url::parse("http://preview.invalid/").expect("a valid URL");
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.clear();
        segments.extend(rel.components().map(|c| c.as_os_str().to_string_lossy()));
        segments.push("");
    }
    let query = target
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""));
    url.set_query(query.filter(|q| !q.is_empty()));
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// The not-found page of the folder nearest to the missing `rel` that has one (`ru/404.html`
/// for `/ru/projects/x/`: each language's own, issue 14), else the root's, as Cloudflare
/// Pages does and as the README shows for nginx and Netlify. Only the output folder is read.
fn not_found(root: &Path, rel: &Path) -> Reply {
    rel.ancestors()
        .find_map(|dir| serve_file(root, &root.join(dir).join("404.html"), 404))
        .unwrap_or_else(|| Reply::text(404, "not found\n"))
}

fn serve_file(root: &Path, path: &Path, status: u16) -> Option<Reply> {
    let real = std::fs::canonicalize(path).ok()?;
    if !real.starts_with(root) {
        return None;
    }
    // Open once and answer from that handle: a rebuild that replaces the file meanwhile
    // (by rename) cannot mix two versions or change the length.
    let file = match File::open(&real) {
        Ok(file) => file,
        // The file is there: say so ("try again"), not 404.
        Err(e) if front::out_of_handles(&e) => {
            front::short_of_handles();
            return Some(Reply::text(
                503,
                "the preview is out of file handles; try again\n",
            ));
        }
        Err(_) => return None,
    };
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    Some(Reply {
        status,
        content_type: content_type(&real),
        body: Body::File(file, meta.len()),
        location: None,
        content_range: None,
    })
}

/// The relative file path of a request target, or `None` when it tries to leave the folder.
pub fn request_path(target: &str) -> Option<PathBuf> {
    if !target.starts_with('/') {
        return None; // absolute-form and other odd targets
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = crate::url::percent_decode(path)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut out = PathBuf::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => continue,
            ".." => return None,
            s => {
                let p = Path::new(s);
                if p.components().count() != 1
                    || !matches!(p.components().next(), Some(Component::Normal(_)))
                {
                    return None;
                }
                out.push(s);
            }
        }
    }
    Some(out)
}

/// The Content-Type for a file name.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("webmanifest") => "application/manifest+json",
        Some("pdf") => "application/pdf",
        Some("mp4" | "m4v") => "video/mp4",
        Some("webm") => "video/webm",
        Some("ogv") => "video/ogg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_checked() {
        assert!(local_host("127.0.0.1:8000", 8000));
        assert!(local_host("localhost:8000", 8000));
        assert!(local_host("[::1]:8000", 8000));
        assert!(!local_host("evil.example:8000", 8000));
        assert!(!local_host("127.0.0.1:9000", 8000));
        assert!(!local_host("localhost", 8000));
    }

    #[test]
    fn injection_goes_before_the_last_body_end_and_streams_from_the_file() {
        let script = "<script src=\"/__showcase/live.js\"></script>";
        let out = inject(Body::Bytes(b"<html><body>x</body></html>".to_vec()), None);
        assert_eq!(
            String::from_utf8(out.into_bytes().unwrap()).unwrap(),
            format!("<html><body>x{script}</body></html>")
        );
        let tmp = tempfile::tempdir().unwrap();
        // A `</body>` cut by the 64 KiB pieces, one inside the text, one at the end.
        let mut page = "a".repeat(64 * 1024 - 3);
        page.push_str("</body>");
        page.push_str(&"b".repeat(100_000));
        page.push_str("</body></html>");
        let path = tmp.path().join("p.html");
        std::fs::write(&path, &page).unwrap();
        let open = || {
            let f = File::open(&path).unwrap();
            let len = f.metadata().unwrap().len();
            Body::File(f, len)
        };
        let body = inject(open(), None);
        assert_eq!(body.len(), (page.len() + script.len()) as u64);
        let at = page.rfind("</body>").unwrap();
        let want = format!("{}{script}{}", &page[..at], &page[at..]);
        assert_eq!(String::from_utf8(body.into_bytes().unwrap()).unwrap(), want);
        let mut f = File::open(&path).unwrap();
        assert_eq!(last_body_end(&mut f).unwrap(), Some(at as u64));
        std::fs::write(&path, "<p>no end").unwrap();
        let out = inject(open(), None).into_bytes().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<p>no end{script}")
        );
        std::fs::write(&path, "a</body>").unwrap();
        let mut f = File::open(&path).unwrap();
        assert_eq!(last_body_end(&mut f).unwrap(), Some(1));
    }

    #[test]
    fn bodies_stop_at_their_length() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.html");
        std::fs::write(&path, "<body>x</body>").unwrap();
        let f = File::open(&path).unwrap();
        let body = inject(Body::File(f, 14), None);
        // The file grows after it was opened: the body is still what was announced.
        std::fs::write(&path, "<body>x</body> and much more").unwrap();
        let len = body.len();
        let bytes = body.into_bytes().unwrap();
        assert_eq!(bytes.len() as u64, len);
        assert!(bytes.ends_with(b"</script></body>"));
    }

    /// The one change to the vendored tiny_http (vendor/tiny_http/PATCHED.md).
    #[test]
    fn tiny_http_serves_one_request_of_a_connection_accepted_here() {
        use std::io::Write;
        use std::net::TcpStream;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let ask = move |request: &'static [u8]| {
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(addr).unwrap();
                s.write_all(request).unwrap();
                let mut out = String::new();
                let _ = s.read_to_string(&mut out);
                out
            })
        };
        // A request is read, answered, and the connection closed after it.
        let client = ask(b"GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n");
        let (stream, _) = listener.accept().unwrap();
        let mut url = None;
        assert!(tiny_http::serve_one(stream, |rq| {
            url = Some(rq.url().to_string());
            rq.respond(Response::from_string("hi")).unwrap();
        }));
        assert_eq!(url.as_deref(), Some("/a?b"));
        let out = client.join().unwrap();
        assert!(
            out.starts_with("HTTP/1.1 200 OK\r\n") && out.ends_with("\r\n\r\nhi"),
            "{out}"
        );
        // A writer taken from the request outlives the call (the event stream).
        let client = ask(b"GET /__showcase/events HTTP/1.1\r\n\r\n");
        let (stream, _) = listener.accept().unwrap();
        let mut writer = None;
        assert!(tiny_http::serve_one(stream, |rq| writer = Some(rq.into_writer())));
        let mut writer = writer.unwrap();
        writer.write_all(b"later").unwrap();
        writer.flush().unwrap();
        drop(writer);
        assert_eq!(client.join().unwrap(), "later");
        // Bytes outside ASCII are percent-encoded, not a reason to answer nothing.
        let client = ask("GET /é HTTP/1.1\r\nCookie: n=Иван\r\n\r\n".as_bytes());
        let (stream, _) = listener.accept().unwrap();
        let mut seen = None;
        assert!(tiny_http::serve_one(stream, |rq| {
            seen = Some((rq.url().to_string(), rq.headers()[0].value.to_string()));
            rq.respond(Response::from_string("ok")).unwrap();
        }));
        assert_eq!(
            seen,
            Some(("/%C3%A9".into(), "n=%D0%98%D0%B2%D0%B0%D0%BD".into()))
        );
        assert!(client.join().unwrap().ends_with("ok"));
        // What is not a request is answered by tiny_http itself.
        let client = ask(b"NOT A REQUEST\r\n\r\n");
        let (stream, _) = listener.accept().unwrap();
        assert!(!tiny_http::serve_one(stream, |_| panic!("no request")));
        assert!(client.join().unwrap().starts_with("HTTP/1.1 400"));
    }

    #[test]
    fn single_byte_ranges_are_answered_in_part() {
        assert_eq!(byte_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(byte_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=90-500", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=-500", 100), Some((0, 99)));
        assert_eq!(byte_range("bytes=100-", 100), Some((100, 99)));
        assert_eq!(byte_range("bytes=-0", 100), Some((100, 100)));
        for ignored in [
            "bytes=0-1,5-6",
            "bytes=9-1",
            "items=0-1",
            "bytes=a-b",
            "bytes=-",
            "",
        ] {
            assert_eq!(byte_range(ignored, 100), None, "{ignored}");
        }
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        std::fs::write(root.join("v.mp4"), "0123456789").unwrap();
        let part = partial(respond(&root, "/v.mp4"), "bytes=2-4");
        assert_eq!(part.status, 206);
        assert_eq!(part.content_range.as_deref(), Some("bytes 2-4/10"));
        assert_eq!(part.body.into_bytes().unwrap(), b"234");
        let past = partial(respond(&root, "/v.mp4"), "bytes=10-");
        assert_eq!(
            (past.status, past.content_range.as_deref()),
            (416, Some("bytes */10"))
        );
        let whole = partial(respond(&root, "/v.mp4"), "bytes=0-1,3-4");
        assert_eq!((whole.status, whole.body.len()), (200, 10));
        let missing = partial(respond(&root, "/nope"), "bytes=0-1");
        assert_eq!(missing.status, 404);
    }

    #[test]
    fn redirects_name_paths_on_this_origin() {
        for (rel, target, want) in [
            ("projects", "//projects", "/projects/"),
            ("projects", "/%2F%2Fprojects?x=1", "/projects/?x=1"),
            ("a b/%", "/a%20b/%25", "/a%20b/%25/"),
            (
                "ru/проекты",
                "/ru/проекты",
                "/ru/%D0%BF%D1%80%D0%BE%D0%B5%D0%BA%D1%82%D1%8B/",
            ),
            ("a", "/a?<x>\"y\"", "/a/?%3Cx%3E%22y%22"),
        ] {
            assert_eq!(dir_location(Path::new(rel), target), want, "{target}");
        }
    }

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/..%2f..%2fetc",
            "/..%5c..%5cwin",
            "/a%00b",
            "http://x/../",
            "/%zz",
        ] {
            assert_eq!(request_path(bad), None, "{bad}");
        }
        assert_eq!(
            request_path("/%252e%252e%252f"),
            Some(PathBuf::from("%2e%2e%2f"))
        );
        assert_eq!(
            request_path("/ru/projects/a/?q=1"),
            Some(PathBuf::from("ru/projects/a"))
        );
        assert_eq!(
            request_path("//etc/passwd"),
            Some(PathBuf::from("etc/passwd"))
        );
    }

    #[test]
    fn serves_files_dirs_and_404() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/index.html"), "A").unwrap();
        std::fs::write(root.join("404.html"), "gone").unwrap();
        assert_eq!(respond(&root, "/a/").status, 200);
        assert_eq!(respond(&root, "/a").status, 301);
        assert_eq!(respond(&root, "/a").location.as_deref(), Some("/a/"));
        assert_eq!(respond(&root, "//a").location.as_deref(), Some("/a/"));
        assert_eq!(respond(&root, "/%2F%2Fa").location.as_deref(), Some("/a/"));
        assert_eq!(respond(&root, "/nope").status, 404);
        let body = |r: Reply| r.body.into_bytes().unwrap();
        assert_eq!(body(respond(&root, "/nope")), b"gone");
        // A folder's own not-found page wins for the addresses under it (issue 14).
        std::fs::create_dir_all(root.join("ru/projects")).unwrap();
        std::fs::write(root.join("ru/404.html"), "нет").unwrap();
        for missing in [
            "/ru/nope",
            "/ru/projects/nope/",
            "/ru/a/b/c",
            "/ru/projects/",
        ] {
            let r = respond(&root, missing);
            assert_eq!(
                (r.status, body(r)),
                (404, "нет".as_bytes().to_vec()),
                "{missing}"
            );
        }
        assert_eq!(body(respond(&root, "/rus/nope")), b"gone");
        assert_eq!(body(respond(&root, "/a/nope")), b"gone");
        assert_eq!(respond(&root, "/../x").status, 400);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("out")).unwrap();
            assert_eq!(respond(&root, "/out/passwd").status, 404);
        }
    }
}
