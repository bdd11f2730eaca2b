//! The park's sample site (`content/`, `themes/default/`) builds without warnings, has every
//! page of the content model in every language, and no internal link in it is broken.

use std::path::Path;

mod support;

fn build_sample() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
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
    let r = support::run(o);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (out, public, r.stderr)
}

#[test]
fn builds_without_warnings() {
    let (_tmp, _public, stderr) = build_sample();
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn every_page_of_the_model_in_every_language() {
    let (_tmp, public, _) = build_sample();
    let files = support::files_under(&public);
    let has = |p: &str| files.iter().any(|f| f == p);
    let slugs = |dir: &str| -> Vec<String> {
        std::fs::read_dir(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("content")
                .join(dir),
        )
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.contains(".ru.") && !n.contains(".kk."))
        .map(|n| {
            n.trim_end_matches(".md")
                .trim_end_matches(".yaml")
                .to_string()
        })
        .collect()
    };
    for prefix in ["", "ru/", "kk/"] {
        for page in [
            "index.html",
            "projects/index.html",
            "cohorts/index.html",
            "demos/index.html",
            "news/index.html",
            "areas/index.html",
            "about/index.html",
            "news/atom.xml",
            "search-index.json",
        ] {
            assert!(has(&format!("{prefix}{page}")), "missing {prefix}{page}");
        }
        for s in slugs("cohorts") {
            assert!(
                has(&format!("{prefix}cohorts/{s}/index.html")),
                "missing {prefix}cohorts/{s}"
            );
        }
        for s in slugs("demos") {
            assert!(
                has(&format!("{prefix}demos/{s}/index.html")),
                "missing {prefix}demos/{s}"
            );
        }
        for s in slugs("news") {
            let slug = &s[11..];
            assert!(
                has(&format!("{prefix}news/{slug}/index.html")),
                "missing {prefix}news/{slug}"
            );
        }
        for area in [
            "video-surveillance",
            "data-analytics",
            "telecom",
            "satellite",
        ] {
            assert!(
                has(&format!("{prefix}areas/{area}/index.html")),
                "missing {prefix}areas/{area}"
            );
        }
    }
    for p in [
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "projects/old-name/index.html",
    ] {
        assert!(has(p), "missing {p}");
    }
    let projects = files
        .iter()
        .filter(|f| {
            f.starts_with("projects/") && f.ends_with("/index.html") && f.matches('/').count() == 2
        })
        .count();
    assert!(
        projects >= 13,
        "{projects} project pages (12 and the alias)"
    );
}

#[test]
fn no_internal_link_is_broken() {
    let (_tmp, public, _) = build_sample();
    let broken = support::broken_links(&public);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn pages_link_their_translations_with_hreflang() {
    let (_tmp, public, _) = build_sample();
    for f in support::files_under(&public)
        .iter()
        .filter(|f| f.ends_with("index.html") && !f.contains("old-name") && !f.contains("page/1/"))
    {
        let html = std::fs::read_to_string(public.join(f)).unwrap();
        for lang in ["en", "ru", "kk"] {
            assert!(
                html.contains(&format!("hreflang=\"{lang}\"")),
                "{f} has no hreflang={lang}"
            );
        }
    }
}

#[test]
fn drafts_embargoed_and_internal_never_reach_the_output() {
    let (_tmp, public, _) = build_sample();
    for f in support::files_under(&public) {
        let Ok(text) = std::fs::read_to_string(public.join(&f)) else {
            continue;
        };
        for secret in [
            "echo-locator",
            "Echo Locator",
            "polar-relay",
            "Polar Relay",
            "+7 700 000 00 00",
            "agreement signed",
        ] {
            assert!(!text.contains(secret), "{f} contains `{secret}`");
        }
    }
}
