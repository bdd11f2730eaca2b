//! `TestSite`: a small site written from a txtar-like string into a temporary folder, built
//! with the real binary. Shared by the whole-site tests.
#![allow(dead_code)]
// Test helpers fail the test by panicking, which is what a failed setup should do.
#![allow(clippy::unwrap_used)]

pub mod browser;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A valid little site: one cohort, two projects, a demo, a news item, a page, in en and ru.
pub const BASE: &str = r#"
-- site.yaml --
title: Test Park
base_url: https://test.example.kz
languages:
  ru: { title: Тестовый парк }
  kk: { title: Сынақ паркі }
areas:
  telecom: { en: Telecommunications, ru: Телекоммуникации }
  satellite: Satellite solutions
-- content/_index.md --
---
title: Test Park
---
Welcome to the **test** park.
-- content/cohorts/2025-autumn.yaml --
title: Autumn 2025
start: 2025-09-01
end: 2025-12-15
track: Telecom
body: |
  The autumn cohort.
-- content/projects/sky-link.md --
---
title: Sky Link
summary: Satellite links for remote sites.
cohort: 2025-autumn
areas: [satellite, telecom]
stage: pilot
trl: 6
---
Sky Link talks to [Mesh Radio](@/projects/mesh-radio.md).
-- content/projects/sky-link.ru.md --
---
title: Скай Линк
summary: Спутниковая связь для удалённых объектов.
---
Скай Линк работает с [Mesh Radio](/projects/mesh-radio/).
-- content/projects/mesh-radio.md --
---
title: Mesh Radio
summary: A mesh network of radios.
cohort: 2025-autumn
areas: [telecom]
stage: prototype
trl: 4
---
Mesh radios.
-- content/demos/demo-day-2025-12.md --
---
title: Demo Day December 2025
date: 2025-12-10
venue: House of the Army
cohort: 2025-autumn
projects: [sky-link, mesh-radio]
---
Demo day.
-- content/news/2025-11-24-opening.md --
---
title: The park opens
summary: It opened.
projects: [sky-link]
---
Opened.
-- content/pages/about.md --
---
title: About
---
About the park.
"#;

/// Asserts that `stderr` holds `expected`, showing both when it does not.
pub fn assert_has(stderr: &str, expected: &str) {
    assert!(
        stderr.contains(expected),
        "expected:\n{expected}\n\ngot:\n{stderr}"
    );
}

/// A site in a temporary folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// What a run of the binary printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestSite {
    /// Writes every `-- path --` section of `txtar` into a new temporary site.
    pub fn new(txtar: &str) -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        site.write_txtar(txtar);
        site
    }

    /// The base site plus (or overriding) the files of `extra`.
    pub fn base_with(extra: &str) -> TestSite {
        let site = TestSite::new(BASE);
        site.write_txtar(extra);
        site
    }

    /// Replaces the first `from` in the file `rel` with `to`; `from` must be there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Adds or replaces files from a txtar string.
    pub fn write_txtar(&self, txtar: &str) {
        let mut current: Option<(String, String)> = None;
        let mut files = Vec::new();
        for line in txtar.split_inclusive('\n') {
            let trimmed = line.trim_end_matches('\n');
            if let Some(name) = trimmed
                .strip_prefix("-- ")
                .and_then(|r| r.strip_suffix(" --"))
            {
                if let Some(f) = current.take() {
                    files.push(f);
                }
                current = Some((name.to_string(), String::new()));
            } else if let Some((_, text)) = current.as_mut() {
                text.push_str(line);
            }
        }
        files.extend(current);
        for (name, text) in files {
            self.write(&name, &text);
        }
    }

    /// Writes one file (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Writes raw bytes.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Removes a file.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    /// Absolute path of `rel`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `showcase ARGS --root ROOT`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_showcase"));
        cmd.args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1");
        run(cmd.output().expect("run showcase"))
    }

    /// `showcase build`, asserting success.
    pub fn build(&self) -> Run {
        let r = self.run(&["build"]);
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        r
    }

    /// `showcase build`, asserting that it fails and writes nothing, and that `check` fails
    /// with the same errors; returns the build's stderr.
    pub fn fails(&self) -> String {
        let build = self.run(&["build"]);
        assert_eq!(build.code, 1, "expected a failed build:\n{}", build.stderr);
        assert!(
            !self.path("public").exists(),
            "a failed build writes nothing"
        );
        let check = self.run(&["check"]);
        assert_eq!(check.code, 1, "{}", check.stderr);
        let errors = |s: &str| {
            s.lines()
                .filter(|l| l.starts_with("error:") || l.starts_with("  help:"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            errors(&build.stderr),
            errors(&check.stderr),
            "check and build must report the same errors"
        );
        build.stderr
    }

    /// A file of the output (`public/REL`).
    pub fn read(&self, rel: &str) -> String {
        let p = self.path("public").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| {
            panic!(
                "{}: {e}\noutput has: {:?}",
                p.display(),
                self.output_files()
            )
        })
    }

    /// Every file of the output, relative, sorted.
    pub fn output_files(&self) -> Vec<String> {
        files_under(&self.path("public"))
    }

    /// Every file of the output with its bytes: to compare outputs exactly.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let out = self.path("public");
        files_under(&out)
            .into_iter()
            .map(|f| {
                let b = std::fs::read(out.join(&f)).unwrap();
                (f, b)
            })
            .collect()
    }
}

/// Files under `dir`, relative with `/`, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

pub fn run(o: Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Every internal `href` and `src` of every HTML file under `out` that names no output file.
/// `base_path` is stripped first (links are root-relative).
pub fn broken_links(out: &Path) -> Vec<String> {
    let files = files_under(out);
    let set: std::collections::HashSet<&str> = files.iter().map(String::as_str).collect();
    let mut broken = Vec::new();
    for f in files.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(out.join(f)).unwrap();
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let url = &part[..part.find('"').unwrap_or(0)];
                let url = url.replace("&amp;", "&");
                if !url.starts_with('/') || url.starts_with("//") {
                    continue;
                }
                let path = url.split(['#', '?']).next().unwrap();
                let target = path.trim_start_matches('/');
                let ok = if target.is_empty() || target.ends_with('/') {
                    set.contains(format!("{target}index.html").as_str())
                } else {
                    set.contains(target)
                };
                if !ok {
                    broken.push(format!("{f}: {url}"));
                }
            }
        }
    }
    broken
}

/// A running `showcase serve` on a free port; killed on drop.
pub struct Serve {
    child: std::process::Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
    /// Lines the server printed so far.
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl TestSite {
    /// Starts `showcase serve` for this site and waits until it serves.
    pub fn serve(&self, extra: &[&str]) -> Serve {
        let root = self.root().display().to_string();
        let mut args = vec!["--root", root.as_str()];
        args.extend(extra);
        self.serve_in(self.root(), &args)
    }

    /// Starts `showcase serve ARGS` with `dir` as the working folder (without `--root` in
    /// ARGS the site is `.`, as an editor runs it).
    pub fn serve_in(&self, dir: &Path, extra: &[&str]) -> Serve {
        self.serve_with_env(dir, extra, &[])
    }

    /// [`TestSite::serve_in`] with extra environment variables (`TMPDIR`: where the preview
    /// makes its temporary folder).
    pub fn serve_with_env(&self, dir: &Path, extra: &[&str], env: &[(&str, &Path)]) -> Serve {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_showcase"))
            .args(["serve", "--port", &port.to_string()])
            .args(extra)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start serve");
        let stderr = child.stderr.take().unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let log2 = log.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(rest) = line.strip_prefix("serving http://") {
                    let _ = tx.send(rest.split('/').next().unwrap_or("").to_string());
                }
                log2.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("serve did not start: {:?}", log.lock().unwrap()));
        Serve { child, addr, log }
    }
}

impl Drop for Serve {
    /// SIGTERM first, as an editor's Ctrl-C: the preview removes its temporary folder (a
    /// kill leaves one in the system's temporary folder per test), then a kill if it hangs.
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let pid = self.child.id().to_string();
            let _ = Command::new("kill").args(["-TERM", &pid]).status();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while std::time::Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP response.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Serve {
    /// The server's process id (for `/proc/PID/status`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// GET `path` with a plain HTTP/1.0 request (the path is sent exactly as given).
    pub fn get(&self, path: &str) -> HttpResponse {
        self.request("GET", path, &format!("Host: {}", self.addr))
    }

    /// Any request, with one extra header line.
    pub fn request(&self, method: &str, path: &str, header: &str) -> HttpResponse {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        s.write_all(format!("{method} {path} HTTP/1.0\r\n{header}\r\n\r\n").as_bytes())
            .unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let text = String::from_utf8_lossy(&buf).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        HttpResponse {
            status,
            headers: head.to_string(),
            body: body.to_string(),
        }
    }

    /// Opens `/__showcase/events`; events arrive as `(name, data)` on the receiver.
    pub fn events(&self) -> std::sync::mpsc::Receiver<(String, String)> {
        use std::io::{BufRead, Write};
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "GET /__showcase/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in std::io::BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    if tx.send((name.clone(), d.to_string())).is_err() {
                        return;
                    }
                }
            }
        });
        // The first event says hello with the generation.
        let (name, _) = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("hello event");
        assert_eq!(name, "hello");
        rx
    }

    /// Waits for the next event named `name`, skipping others; panics after `secs`.
    pub fn wait_event(
        rx: &std::sync::mpsc::Receiver<(String, String)>,
        name: &str,
        secs: u64,
    ) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok((n, d)) if n == name => return d,
                Ok(_) => continue,
                Err(_) => panic!("no `{name}` event within {secs} s"),
            }
        }
    }
}

/// The preview's options (drafts and embargoed items in), on 2026-11-25 at noon.
pub fn preview_options() -> showcase::site::BuildOptions {
    showcase::site::BuildOptions {
        drafts: true,
        embargoed: true,
        now: "2026-11-25T12:00:00Z".parse().unwrap(),
    }
}

/// Every file of an in-memory render with its bytes (copied files read), sorted as the
/// render sorts them: what an incremental and a full render are compared by.
pub fn rendered_bytes(r: &showcase::pipeline::Rendered) -> Vec<(String, Vec<u8>)> {
    use showcase::render::Data;
    use showcase::source::FileData;
    r.files
        .iter()
        .map(|f| {
            let b = match &f.data {
                Data::Bytes(b) => b.to_vec(),
                Data::Copy(FileData::Disk(p)) => std::fs::read(p).unwrap(),
                Data::Copy(FileData::Embedded(b)) => b.to_vec(),
                Data::Streamed(_) => panic!("{}: renders in memory never stream", f.path),
            };
            (f.path.clone(), b)
        })
        .collect()
}

/// The repository's sample site, built into a temporary folder: (the folder, its output
/// folder, what the build printed on standard error).
pub fn build_sample() -> (tempfile::TempDir, PathBuf, String) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_showcase"))
        .args(["build", "--root"])
        .arg(root)
        .arg("-o")
        .arg(&public)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let r = run(o);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (out, public, r.stderr)
}
