//! Golden tests: a small fixture site whose templates print the documented context, compared
//! with `tests/fixtures/golden/expected/`. Set `UPDATE_GOLDEN=1` to rewrite the expected files
//! after a deliberate change, then review the diff.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::path::Path;

mod support;

const PAGES: &[&str] = &[
    "projects/orbit/index.html",
    "ru/projects/orbit/index.html",
    "news/index.html",
    "news/page/2/index.html",
    "projects/old-orbit/index.html",
    "sitemap.xml",
    "news/atom.xml",
];

#[test]
fn rendered_pages_match_the_golden_files() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_showcase"))
        .args(["build", "--root"])
        .arg(&fixture)
        .arg("-o")
        .arg(&public)
        .output()
        .unwrap();
    let r = support::run(o);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for page in PAGES {
        let got =
            std::fs::read_to_string(public.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        let expected_path = fixture.join("expected").join(page.replace('/', "__"));
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
            panic!(
                "missing {}; run with UPDATE_GOLDEN=1",
                expected_path.display()
            )
        });
        assert_eq!(
            got,
            expected,
            "{page} differs from {}",
            expected_path.display()
        );
    }
    // The bundle's file is copied next to the page, once.
    assert!(public.join("projects/orbit/logo.svg").is_file());
    assert!(!public.join("ru/projects/orbit/logo.svg").exists());
}
