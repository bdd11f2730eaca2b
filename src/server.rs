//! The preview's HTTP server: serves one folder (the preview build) with tiny_http.
//!
//! Invariant: it only reads files under its folder: paths are percent-decoded, checked
//! component by component (no `..`, backslashes, NUL bytes or drive prefixes), then the
//! resolved file is canonicalised and must still lie inside the folder, so symlinks pointing
//! out give 404. It never writes anything.

use std::io::Cursor;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response, Server};

/// A running server.
pub struct Preview {
    server: Arc<Server>,
    root: PathBuf,
    /// The address it listens on.
    pub addr: std::net::SocketAddr,
}

impl Preview {
    /// Binds `addr:port`, trying the next ports when it is taken (up to 20).
    pub fn bind(addr: std::net::IpAddr, port: u16, root: &Path) -> std::io::Result<Preview> {
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
        let root = Arc::new(std::fs::canonicalize(&self.root).unwrap_or(self.root.clone()));
        let mut handles = Vec::new();
        for _ in 0..threads.max(1) {
            let server = Arc::clone(&self.server);
            let root = Arc::clone(&root);
            handles.push(std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    handle(request, &root);
                }
            }));
        }
        for h in handles {
            let _ = h.join();
        }
    }
}

fn handle(request: Request, root: &Path) {
    let response = match request.method() {
        Method::Get | Method::Head => respond(root, request.url()),
        _ => text(405, "method not allowed\n"),
    };
    let _ = request.respond(response);
}

type Reply = Response<Cursor<Vec<u8>>>;

fn text(status: u16, body: &str) -> Reply {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// What to send for a request target.
pub fn respond(root: &Path, target: &str) -> Reply {
    let Some(rel) = request_path(target) else {
        return text(400, "bad request\n");
    };
    let candidate = root.join(&rel);
    if candidate.is_dir() {
        if !target.split(['?', '#']).next().unwrap_or("").ends_with('/') {
            let location = format!("{}/", target.split('?').next().unwrap_or(""));
            return Response::from_data(Vec::new())
                .with_status_code(301)
                .with_header(header("Location", &location));
        }
        return serve_file(root, &candidate.join("index.html"), 200)
            .unwrap_or_else(|| not_found(root));
    }
    serve_file(root, &candidate, 200).unwrap_or_else(|| not_found(root))
}

fn not_found(root: &Path) -> Reply {
    serve_file(root, &root.join("404.html"), 404).unwrap_or_else(|| text(404, "not found\n"))
}

fn serve_file(root: &Path, path: &Path, status: u16) -> Option<Reply> {
    let real = std::fs::canonicalize(path).ok()?;
    if !real.starts_with(root) || !real.is_file() {
        return None;
    }
    let bytes = std::fs::read(&real).ok()?;
    Some(
        Response::from_data(bytes)
            .with_status_code(status)
            .with_header(header("Content-Type", content_type(&real)))
            .with_header(header("Cache-Control", "no-store"))
            .with_header(header("X-Content-Type-Options", "nosniff")),
    )
}

/// The relative file path of a request target, or `None` when it tries to leave the folder.
pub fn request_path(target: &str) -> Option<PathBuf> {
    if !target.starts_with('/') {
        return None; // absolute-form and other odd targets
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
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

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(respond(&root, "/a/").status_code().0, 200);
        assert_eq!(respond(&root, "/a").status_code().0, 301);
        assert_eq!(respond(&root, "/nope").status_code().0, 404);
        assert_eq!(respond(&root, "/../x").status_code().0, 400);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("out")).unwrap();
            assert_eq!(respond(&root, "/out/passwd").status_code().0, 404);
        }
    }
}
