//! The preview's HTTP server: serves one folder (the preview build) with tiny_http.
//!
//! Invariant: it only reads files under its folder: paths are percent-decoded, checked
//! component by component (no `..`, backslashes, NUL bytes or drive prefixes), then the
//! resolved file is canonicalised and must still lie inside the folder, so symlinks pointing
//! out give 404. It never writes anything.

use std::io::Cursor;
use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response, Server};

use crate::serve::live::Live;

/// A running server.
pub struct Preview {
    server: Arc<Server>,
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
            match Server::http((addr, p)) {
                Ok(server) => {
                    let local = server
                        .server_addr()
                        .to_ip()
                        .unwrap_or_else(|| (addr, p).into());
                    return Ok(Preview {
                        server: Arc::new(server),
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

    /// Serves requests on `threads` worker threads until the process ends.
    pub fn run(self, threads: usize) {
        let ctx = Arc::new(Ctx {
            root: std::fs::canonicalize(&self.root).unwrap_or(self.root.clone()),
            live: self.live,
            port: self.addr.port(),
            check_host: self.addr.ip().is_loopback(),
        });
        let mut handles = Vec::new();
        for _ in 0..threads.max(1) {
            let server = Arc::clone(&self.server);
            let ctx = Arc::clone(&ctx);
            handles.push(std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    handle(request, &ctx);
                }
            }));
        }
        for h in handles {
            let _ = h.join();
        }
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

fn handle(request: Request, ctx: &Ctx) {
    if ctx.check_host && !header_value(&request, "Host").is_some_and(|h| local_host(&h, ctx.port)) {
        let _ = request.respond(to_response(Reply::text(
            403,
            "forbidden: unexpected Host header\n",
        )));
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
                let _ =
                    request.respond(to_response(Reply::text(403, "forbidden: foreign Origin\n")));
                return;
            }
            live.attach(request.into_writer());
            return;
        }
        (Method::Get | Method::Head, Some(_), "/__showcase/live.js") => Reply {
            status: 200,
            content_type: "text/javascript; charset=utf-8",
            body: crate::serve::live::SCRIPT.as_bytes().to_vec(),
            location: None,
        },
        (Method::Get | Method::Head, live, _) => {
            let mut reply = respond(&ctx.root, request.url());
            if let Some(live) = live {
                if reply.content_type.starts_with("text/html") {
                    reply.body = inject(&reply.body, &live.errors());
                }
            }
            reply
        }
        _ => Reply::text(405, "method not allowed\n"),
    };
    let _ = request.respond(to_response(reply));
}

/// Adds the reload script (and the error overlay) before `</body>`.
fn inject(html: &[u8], errors: &[crate::error::Error]) -> Vec<u8> {
    let mut extra = String::new();
    if !errors.is_empty() {
        extra.push_str(&crate::serve::live::overlay_html(errors));
    }
    extra.push_str("<script src=\"/__showcase/live.js\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

/// A response as data, turned into tiny_http's type at the edge.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content-Type.
    pub content_type: &'static str,
    /// Body.
    pub body: Vec<u8>,
    /// Location header for redirects.
    pub location: Option<String>,
}

impl Reply {
    fn text(status: u16, body: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
            location: None,
        }
    }
}

fn to_response(r: Reply) -> Response<Cursor<Vec<u8>>> {
    let mut resp = Response::from_data(r.body)
        .with_status_code(r.status)
        .with_header(header("Content-Type", r.content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        // The pages carry the policy in a <meta>; the header also covers what has none (an
        // SVG opened by itself) and adds what a <meta> cannot say (who may frame the page).
        .with_header(header(
            "Content-Security-Policy",
            &format!("{}; frame-ancestors 'self'", crate::active::CSP),
        ));
    if let Some(l) = r.location {
        resp = resp.with_header(header("Location", &l));
    }
    resp
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
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
            r.location = Some(format!("{path}/"));
            return r;
        }
        return serve_file(root, &candidate.join("index.html"), 200)
            .unwrap_or_else(|| not_found(root, &rel));
    }
    serve_file(root, &candidate, 200).unwrap_or_else(|| not_found(root, &rel))
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
    if !real.starts_with(root) || !real.is_file() {
        return None;
    }
    let body = std::fs::read(&real).ok()?;
    Some(Reply {
        status,
        content_type: content_type(&real),
        body,
        location: None,
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
    fn injection_goes_before_the_body_end() {
        let out = String::from_utf8(inject(b"<html><body>x</body></html>", &[])).unwrap();
        assert_eq!(
            out,
            "<html><body>x<script src=\"/__showcase/live.js\"></script></body></html>"
        );
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
        assert_eq!(respond(&root, "/nope").status, 404);
        assert_eq!(respond(&root, "/nope").body, b"gone");
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
                (r.status, r.body.as_slice()),
                (404, "нет".as_bytes()),
                "{missing}"
            );
        }
        assert_eq!(respond(&root, "/rus/nope").body, b"gone");
        assert_eq!(respond(&root, "/a/nope").body, b"gone");
        assert_eq!(respond(&root, "/../x").status, 400);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("out")).unwrap();
            assert_eq!(respond(&root, "/out/passwd").status, 404);
        }
    }
}
