//! Hostile sizes and shapes: every case gives a clear error or renders, within a time and
//! memory ceiling (measured on the child process, so the test's own threads do not count).
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{TestSite, BASE};

use std::time::{Duration, Instant};

/// Time and peak memory ceilings per run of `showcase check` (debug build with optimised
/// dependencies, on the project's 2-core machine).
const MAX_TIME: Duration = Duration::from_secs(10);
const MAX_RSS_MIB: i64 = 768;

/// Runs `showcase check` on `site`, returning (exit code, stderr, seconds, peak RSS MiB).
// The child is reaped by `wait4` below, which also reports its peak memory.
#[allow(clippy::zombie_processes)]
fn check_measured(site: &TestSite) -> (i32, String, Duration, i64) {
    use std::io::Read;
    let start = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_showcase"))
        .args(["check", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child.
    #[allow(unsafe_code)]
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    #[allow(unsafe_code)]
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, stderr, start.elapsed(), usage.ru_maxrss / 1024)
}

fn within_bounds(site: &TestSite, expect_code: i32) -> String {
    let (code, stderr, took, rss) = check_measured(site);
    assert_eq!(code, expect_code, "{stderr}");
    assert!(took < MAX_TIME, "took {took:?}");
    assert!(rss < MAX_RSS_MIB, "peak memory {rss} MiB");
    stderr
}

#[test]
fn hostile_yaml_gives_errors_quickly() {
    let site = TestSite::new(BASE);
    let deep = format!("{}x{}", "[".repeat(10_000), "]".repeat(10_000));
    site.write(
        "content/pages/deep.md",
        &format!("---\ntitle: Deep\nextra: {deep}\n---\n"),
    );
    let mut laughs = String::from(
        "---\ntitle: Laughs\nextra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        laughs.push_str(&format!(
            "  a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(", ")
        ));
    }
    laughs.push_str("---\n");
    site.write("content/pages/laughs.md", &laughs);
    let nested = format!(
        "---\ntitle: Nested\nextra: {}1{}\n---\n",
        "{a: ".repeat(70),
        "}".repeat(70)
    );
    site.write("content/pages/nested.md", &nested);
    site.write_bytes("content/pages/big.md", &vec![b'a'; 6 * 1024 * 1024]);
    site.write_bytes(
        "content/pages/zero-byte.md",
        b"---\ntitle: N\n---\nbody \0 here\n",
    );
    site.write("content/pages/multi.yaml", "title: A\n---\ntitle: B\n");
    site.write("content/pages/empty.md", "");
    let e = within_bounds(&site, 1);
    for (file, what) in [
        ("deep.md", "nest too deeply for YAML to read"),
        ("laughs.md", "references here expand to too much text"),
        ("nested.md", "nests deeper than 64 levels"),
        ("big.md", "file too large"),
        ("zero-byte.md", "NUL byte"),
        (
            "multi.yaml",
            "a .yaml item is its fields only, without `---` lines",
        ),
        ("empty.md", "does not start with front matter"),
    ] {
        assert!(
            e.lines()
                .any(|l| l.contains(&format!("content/pages/{file}")) && l.contains(what)),
            "{file}: {what}\n{e}"
        );
    }
}

#[test]
fn pathological_markdown_renders_in_bounded_time() {
    let site = TestSite::new(BASE);
    let page = |name: &str, body: String| {
        site.write(
            &format!("content/pages/{name}.md"),
            &format!("---\ntitle: {name}\n---\n{body}\n"),
        )
    };
    page("long-line", "word ".repeat(20_000));
    page("backticks", "`".repeat(50_000));
    page("quotes", ">".repeat(10_000) + " deep");
    page(
        "lists",
        (0..10_000)
            .map(|i| format!("{}- item\n", "  ".repeat(i % 200)))
            .collect(),
    );
    page("a4-links", "[a](<b".repeat(50_000));
    page("a4-emphasis", "a***".repeat(80_000));
    page("a4-brackets", "[ (](".repeat(40_000));
    page(
        "references",
        format!(
            "{}\n\n[r]: https://example.kz/{}\n",
            "[x][r] ".repeat(30_000),
            "long/".repeat(2_000)
        ),
    );
    within_bounds(&site, 0);
}

#[test]
fn many_internal_values_are_checked_in_linear_time() {
    // 100,000 values under one `internal:` (20,000 took 12 s when each value's line was
    // searched from the top of the field); the last one is pasted into the body.
    let site = TestSite::new(BASE);
    let n = 100_000;
    let mut page = String::from("---\ntitle: Many\ninternal:\n");
    for i in 0..n {
        page.push_str(&format!("  k{i}: value-{i:06}-kept-inside\n"));
    }
    page.push_str(&format!("---\nSee value-{:06}-kept-inside.\n", n - 1));
    site.write("content/pages/many.md", &page);
    let e = within_bounds(&site, 1);
    // One error, at the exact line of the value: every value was located, in one walk.
    let errors: Vec<&str> = e.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{e}");
    assert!(
        errors[0].starts_with(&format!(
            "error: content/pages/many.md:{}: the value of `internal.k{}` appears in ",
            n + 3,
            n - 1
        )),
        "{e}"
    );
}
