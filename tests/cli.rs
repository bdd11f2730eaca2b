//! The command line as a user meets it: exit codes, `new`, output-folder safety, drafts.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{TestSite, BASE};

#[test]
fn exit_codes() {
    let site = TestSite::new(BASE);
    assert_eq!(site.run(&["check"]).code, 0);
    assert_eq!(site.run(&["build"]).code, 0);
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    site.write("content/pages/bad.md", "---\ntitle: [\n---\n");
    assert_eq!(site.run(&["check"]).code, 1);
}

#[test]
fn help_has_examples_for_every_command() {
    for cmd in ["build", "check", "new", "serve"] {
        let r = support::run(
            std::process::Command::new(env!("CARGO_BIN_EXE_showcase"))
                .args([cmd, "--help"])
                .output()
                .unwrap(),
        );
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.contains("Examples:"),
            "{cmd} --help:\n{}",
            r.stdout
        );
    }
}

#[test]
fn new_writes_a_draft_from_the_archetype_and_never_overwrites() {
    let site = TestSite::new(BASE);
    let r = site.run(&["new", "project", "Орбита Связь"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(site.path("content/projects/orbita-svyaz.md")).unwrap();
    assert!(text.contains("Орбита Связь"), "{text}");
    assert!(text.contains("draft: true"));
    // Once its blank summary is written, the new file is valid content: the site still
    // checks (the draft is held back).
    std::fs::write(
        site.path("content/projects/orbita-svyaz.md"),
        text.replace("summary: \"\"", "summary: \"Radio links.\""),
    )
    .unwrap();
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("held back: content/projects/orbita-svyaz.md (draft)"),
        "{}",
        check.stderr
    );

    std::fs::write(site.path("content/projects/orbita-svyaz.md"), "mine").unwrap();
    let again = site.run(&["new", "project", "Orbita svyaz"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(site.path("content/projects/orbita-svyaz.md")).unwrap(),
        "mine"
    );
}

#[test]
fn new_names_files_with_every_letter_of_the_title() {
    let site = TestSite::new(BASE);
    let r = site.run(&["new", "project", "Straße & Café"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rel = "content/projects/strasse-cafe.md";
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    assert!(text.contains("title: \"Straße & Café\""), "{text}");
    // Filled in and published, the file is a valid project at /projects/strasse-cafe/.
    let filled = text
        .replace("summary: \"\"", "summary: \"Maps for cafés.\"")
        .replace("draft: true", "draft: false");
    std::fs::write(site.path(rel), filled).unwrap();
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("held back"), "{}", check.stderr);
    site.build();
    assert!(site
        .read("projects/strasse-cafe/index.html")
        .contains("Straße &amp; Café"));

    // A script without a Latin spelling here keeps its letters; the draft is checked
    // under that name (and fails only for its blank summary).
    let r = site.run(&["new", "project", "Ελλάδα Drone"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.path("content/projects/ελλάδα-drone.md").exists());
    let check = site.run(&["check"]);
    assert!(
        check
            .stderr
            .contains("content/projects/ελλάδα-drone.md:11:1: `summary` is empty"),
        "{}",
        check.stderr
    );
    site.remove("content/projects/ελλάδα-drone.md");

    // A title of emoji alone has no letter to name a file by: nothing is written.
    let before = std::fs::read_dir(site.path("content/projects"))
        .unwrap()
        .count();
    let r = site.run(&["new", "project", "🚀🛰"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("cannot make a URL slug from the title `🚀🛰`")
            && r.stderr.contains("use a title with letters or digits"),
        "{}",
        r.stderr
    );
    let after = std::fs::read_dir(site.path("content/projects"))
        .unwrap()
        .count();
    assert_eq!(before, after);
}

#[test]
fn new_news_is_named_by_date_and_every_kind_checks() {
    let site = TestSite::new(BASE);
    for (kind, title) in [
        ("news", "Demo day: December"),
        ("cohort", "Spring 2027"),
        ("demo", "Demo Day 2027"),
        ("page", "Partners"),
    ] {
        let r = site.run(&["new", kind, title]);
        assert_eq!(r.code, 0, "{kind}: {}", r.stderr);
        // Each kind leaves one text field blank for the editor to write.
        let rel = created(&r);
        let text = std::fs::read_to_string(site.path(&rel)).unwrap();
        let filled: String = text
            .lines()
            .map(|l| match l.strip_suffix(": \"\"") {
                Some(key) if !l.starts_with('#') => format!("{key}: \"Written.\"\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        site.write(&rel, &filled);
    }
    let news: Vec<_> = std::fs::read_dir(site.path("content/news"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        news.iter()
            .any(|n| n.ends_with("-demo-day-december.md") && n.as_bytes()[4] == b'-'),
        "{news:?}"
    );
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn refuses_an_output_folder_it_did_not_write() {
    let site = TestSite::new(BASE);
    site.write("mine/notes.txt", "keep me");
    let r = site.run(&["build", "-o", site.path("mine").to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("refusing to write the site here"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.path("mine/notes.txt")).unwrap(),
        "keep me"
    );
    for bad in [".", "content"] {
        let r = site.run(&["build", "-o", site.path(bad).to_str().unwrap()]);
        assert_eq!(r.code, 1, "{bad}");
    }
}

#[test]
fn rebuilding_removes_pages_of_deleted_items() {
    let site = TestSite::new(BASE);
    site.build();
    assert!(site.path("public/about/index.html").exists());
    site.remove("content/pages/about.md");
    site.build();
    assert!(!site.path("public/about/index.html").exists());
    assert!(site.path("public/.showcase-output").exists());
}

#[test]
fn drafts_are_held_back_unless_asked_for() {
    let site = TestSite::base_with(
        "-- content/pages/secret.md --\n---\ntitle: Secret plan\ndraft: true\n---\nDraft body.\n",
    );
    site.build();
    assert!(!site.path("public/secret/index.html").exists());
    let r = site.run(&["build", "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.read("secret/index.html").contains("Secret plan"));
}

#[test]
fn build_says_how_many_items_were_held_back_and_why() {
    // Issue 15, item 8: the summary counts what was left out without naming it.
    let site = TestSite::base_with("-- content/pages/secret.md --\n---\ntitle: Secret plan\ndraft: true\n---\n-- content/pages/secret2.md --\n---\ntitle: Second secret\ndraft: true\n---\n-- content/pages/later.md --\n---\ntitle: Later\npublish_after: 2999-01-01\n---\n");
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stderr.lines().find(|l| l.starts_with("built ")).unwrap();
    assert!(
        line.ends_with("; 2 drafts and 1 embargoed item held back (showcase check lists them)"),
        "{line}"
    );
    assert!(
        !r.stderr.contains("secret") && !r.stderr.contains("later"),
        "{}",
        r.stderr
    );
    // With drafts included only the embargoed page is held back.
    let r = site.run(&["build", "--drafts"]);
    assert!(
        r.stderr
            .contains("(drafts included); 1 embargoed item held back (showcase check lists them)"),
        "{}",
        r.stderr
    );
    // Nothing held back: nothing said.
    let site = TestSite::base_with("");
    let r = site.run(&["build"]);
    assert!(!r.stderr.contains("held back"), "{}", r.stderr);
}

#[test]
fn embargo_uses_the_site_time_zone() {
    let site = TestSite::base_with("-- content/pages/later.md --\n---\ntitle: Later\npublish_after: 2999-01-01\n---\n-- content/pages/earlier.md --\n---\ntitle: Earlier\npublish_after: 2000-01-01T00:00:00+05:00\n---\n");
    let r = site.run(&["check"]);
    assert!(
        r.stderr.contains(
            "held back: content/pages/later.md (embargoed until 2999-01-01 00:00 +05:00)"
        ),
        "{}",
        r.stderr
    );
    site.build();
    assert!(site.path("public/earlier/index.html").exists());
    assert!(!site.path("public/later/index.html").exists());
}

#[test]
fn reference_to_a_held_back_item_is_a_warning_not_an_error() {
    let site = TestSite::base_with("-- content/projects/mesh-radio.md --\n---\ntitle: Mesh Radio\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 2\ndraft: true\n---\n");
    let r = site.build();
    assert!(
        r.stderr
            .contains("warning: content/demos/demo-day-2025-12.md:6:"),
        "{}",
        r.stderr
    );
    assert!(!site
        .read("demos/demo-day-2025-12/index.html")
        .contains("mesh-radio"));
}

#[test]
fn languages_and_fallback() {
    let site = TestSite::new(BASE);
    site.build();
    // The Kazakh page of a project without a kk translation falls back to Russian.
    let kk = site.read("kk/projects/sky-link/index.html");
    assert!(kk.contains("Скай Линк"), "kk page should show the ru text");
    assert!(kk.contains("lang=\"kk\""));
    // Without ru either, it falls back to English.
    assert!(site
        .read("kk/projects/mesh-radio/index.html")
        .contains("Mesh Radio"));
    // Links inside a translation are rewritten to the same language.
    assert!(site
        .read("ru/projects/sky-link/index.html")
        .contains("href=\"/projects/mesh-radio/\""));
    assert!(site
        .read("projects/sky-link/index.html")
        .contains("href=\"/projects/mesh-radio/\""));
}

#[test]
fn accepts_bom_crlf_and_ignores_editor_temp_files() {
    let site = TestSite::new(BASE);
    site.write_bytes(
        "content/pages/win.md",
        b"\xEF\xBB\xBF---\r\ntitle: Windows page\r\n---\r\nBody\r\n",
    );
    site.write("content/pages/.win.md.swp", "junk");
    site.write("content/pages/win.md~", "junk");
    site.build();
    assert!(site.read("win/index.html").contains("Windows page"));
}

#[test]
fn templates_never_see_held_back_slugs() {
    // A theme that dumps its whole context must not print the slug of a draft.
    let site = TestSite::base_with(concat!(
        "-- content/projects/secret-drone.md --\n---\ntitle: Secret drone\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\ndraft: true\n---\n",
        "-- content/demos/demo-day-2025-12.md --\n---\ntitle: Demo Day\ndate: 2025-12-10\ncohort: 2025-autumn\nprojects: [sky-link, secret-drone]\n---\nSee [it](@/projects/secret-drone.md).\n",
        "-- templates/demo.html --\n{{ __tera_context }}\n",
    ));
    site.build();
    for f in site.output_files() {
        let text = std::fs::read_to_string(site.path("public").join(&f)).unwrap_or_default();
        assert!(
            !text.contains("secret-drone") && !text.contains("Secret drone"),
            "{f} leaks the draft"
        );
    }
}

#[test]
fn static_keeps_hidden_files_and_bundles_accept_dot_slash() {
    let site = TestSite::base_with(concat!(
        "-- static/.well-known/security.txt --\nContact: mailto:security@example.kz\n",
        "-- content/projects/orbit/index.md --\n---\ntitle: Orbit\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\nlogo: ./logo.svg\n---\n![logo](./logo.svg) ![photo](my%20photo.svg)\n",
        "-- content/projects/orbit/logo.svg --\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        "-- content/projects/orbit/my photo.svg --\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    ));
    site.build();
    assert!(site.read(".well-known/security.txt").contains("Contact"));
    let page = site.read("projects/orbit/index.html");
    assert!(page.contains("src=\"/projects/orbit/logo.svg\""), "{page}");
    assert!(site.path("public/projects/orbit/my photo.svg").exists());
}

#[test]
fn links_to_a_translation_file_go_to_that_language() {
    let site = TestSite::base_with("-- content/pages/about.md --\n---\ntitle: About\n---\nIn Russian: [here](@/projects/sky-link.ru.md).\n");
    site.build();
    assert!(site
        .read("about/index.html")
        .contains("href=\"/ru/projects/sky-link/\""));
}

#[test]
fn a_drafts_build_says_so_on_every_page() {
    let site = TestSite::new(BASE);
    let r = site.run(&["build", "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in site
        .output_files()
        .iter()
        .filter(|f| f.ends_with(".html") && !f.contains("old-") && !f.contains("page/1/"))
    {
        let html = site.read(f);
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        assert!(
            html.contains("class=\"drafts-notice\""),
            "{f} has no drafts notice"
        );
    }
    site.build();
    assert!(!site.read("index.html").contains("drafts-notice"));
}

#[test]
fn every_forbidden_output_folder_is_refused_before_anything_is_touched() {
    let site = TestSite::new(BASE);
    site.write("other/site.yaml", "title: x\n");
    site.write("repo/.git/HEAD", "ref\n");
    site.write("notes/keep.txt", "mine");
    let root = site.root().to_path_buf();
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let cases: Vec<(String, &str)> = vec![
        (
            root.display().to_string(),
            "it is the site folder or contains it",
        ),
        (
            root.join(".").display().to_string(),
            "it is the site folder or contains it",
        ),
        (
            root.join("content/x/..").display().to_string(),
            "it lies inside content/",
        ),
        (
            root.parent().unwrap().display().to_string(),
            "it is the site folder or contains it",
        ),
        ("/".to_string(), "filesystem root"),
        (home, ""),
        (
            root.join("content/out").display().to_string(),
            "it lies inside content/",
        ),
        (
            root.join("static/out").display().to_string(),
            "it lies inside static/",
        ),
        (
            root.join("themes/out").display().to_string(),
            "it lies inside themes/",
        ),
        (
            root.join("templates/out").display().to_string(),
            "it lies inside templates/",
        ),
        (root.join("other").display().to_string(), ""),
        (root.join("repo").display().to_string(), ""),
        (
            root.join("notes").display().to_string(),
            "was not written by showcase",
        ),
    ];
    for (out, why) in cases {
        let r = site.run(&["build", "-o", &out]);
        assert_eq!(r.code, 1, "{out} was accepted:\n{}", r.stderr);
        assert!(
            r.stderr.contains("refusing to write the site here") && r.stderr.contains(why),
            "{out}: {}",
            r.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(site.path("notes/keep.txt")).unwrap(),
        "mine"
    );
    assert!(site.path("repo/.git/HEAD").exists() && site.path("other/site.yaml").exists());
}

#[test]
fn held_back_items_are_absent_from_every_list_feed_index_and_sitemap() {
    let site = TestSite::base_with(concat!(
        "-- content/projects/hidden-drone.md --\n---\ntitle: Hidden Drone\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\nfeatured: true\ndraft: true\naliases: [/projects/old-hidden/]\n---\n",
        "-- content/projects/hidden-drone/logo.svg --\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        "-- content/news/2025-12-01-secret-news.md --\n---\ntitle: Secret news\npublish_after: 2999-01-01\nprojects: [hidden-drone]\n---\n",
        "-- content/demos/demo-day-2025-12.md --\n---\ntitle: Demo Day December 2025\ndate: 2025-12-10\ncohort: 2025-autumn\nprojects: [sky-link, hidden-drone]\n---\nSee [it](@/projects/hidden-drone.md).\n",
    ));
    // The logo sits in a folder without index.md: the bundle is the draft's.
    std::fs::rename(
        site.path("content/projects/hidden-drone.md"),
        site.path("content/projects/hidden-drone/index.md"),
    )
    .unwrap();
    site.build();
    for f in site.output_files() {
        let text = std::fs::read_to_string(site.path("public").join(&f)).unwrap_or_default();
        for s in [
            "hidden-drone",
            "Hidden Drone",
            "secret-news",
            "Secret news",
            "old-hidden",
        ] {
            assert!(!text.contains(s), "{f} mentions `{s}`");
        }
        assert!(
            !f.contains("hidden") && !f.contains("secret"),
            "{f} was written"
        );
    }
}

/// A rebuild keeps the files whose bytes did not change (same inode, same modification
/// time), so that `rsync` or a CDN sync sends only what changed; changed files are new.
#[test]
fn a_rebuild_keeps_unchanged_files_for_incremental_deploys() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::new(BASE);
    let first = site.build();
    assert!(!first.stderr.contains("unchanged"), "{}", first.stderr);
    let meta = |rel: &str| std::fs::metadata(site.path("public").join(rel)).unwrap();
    let (cohort, project) = (
        meta("cohorts/2025-autumn/index.html"),
        meta("projects/mesh-radio/index.html"),
    );
    let before = site.snapshot();
    // Only Mesh Radio's page (and what lists its text) changes.
    let text = std::fs::read_to_string(site.path("content/projects/mesh-radio.md")).unwrap();
    assert!(text.contains("Mesh Radio"));
    site.write(
        "content/projects/mesh-radio.md",
        &format!("{text}\nA new closing line.\n"),
    );
    let second = site.build();
    assert!(second.stderr.contains(" unchanged)"), "{}", second.stderr);
    let (cohort2, project2) = (
        meta("cohorts/2025-autumn/index.html"),
        meta("projects/mesh-radio/index.html"),
    );
    assert_eq!(
        (cohort.ino(), cohort.mtime_nsec()),
        (cohort2.ino(), cohort2.mtime_nsec())
    );
    assert_ne!(project.ino(), project2.ino());
    assert!(site
        .read("projects/mesh-radio/index.html")
        .contains("A new closing line."));
    // Everything else is byte for byte what it was, and the previous output is gone.
    let after = site.snapshot();
    assert_eq!(before.len(), after.len());
    let changed: Vec<&String> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert!(
        changed.iter().any(|p| p.contains("mesh-radio")),
        "{changed:?}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty());
}

/// A failed rebuild changes nothing published, even where the new output would have kept
/// unchanged files by linking them: an alias that claims a generated page fails the build,
/// and the published page keeps its bytes.
#[test]
fn a_failed_rebuild_never_writes_through_kept_files() {
    let site = TestSite::new(BASE);
    site.build();
    let before = site.snapshot();
    let page = std::fs::read_to_string(site.path("content/pages/about.md")).unwrap();
    site.write(
        "content/pages/about.md",
        &page.replacen("---\n", "---\naliases: [/projects/, /areas/telecom/]\n", 1),
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("projects/index.html"), "{}", r.stderr);
    let after = site.snapshot();
    let changed: Vec<&String> = before
        .iter()
        .filter(|(p, b)| !after.iter().any(|(q, c)| q == p && c == b))
        .map(|(p, _)| p)
        .collect();
    assert!(changed.is_empty(), "published files changed: {changed:?}");
    assert_eq!(after.len(), before.len());
}

/// Two builds into one folder at once take turns: the output ends complete and marked.
#[test]
fn concurrent_builds_into_one_folder_take_turns() {
    let site = TestSite::new(BASE);
    site.build();
    let expected = site.snapshot();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_showcase"))
            .args(["build", "--root"])
            .arg(site.root())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let children: Vec<_> = (0..4).map(|_| spawn()).collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(site.snapshot(), expected);
    assert!(site.path("public/.showcase-output").is_file());
}

/// Tera 2 errors on `a.b.c` when `b` is absent: the default theme must render items that set
/// only their required fields (and one that sets some links but not others), with and without
/// drafts, and a site with no news, demo days or pages at all.
#[test]
fn the_default_theme_renders_items_with_only_their_required_fields() {
    let site = TestSite::new(concat!(
        "-- site.yaml --\ntitle: Bare\nbase_url: https://bare.example.kz\nlanguages:\n  ru: { title: Парк }\nareas:\n  telecom: Telecom\n",
        "-- content/cohorts/c.yaml --\ntitle: C\nstart: 2025-09-01\nend: 2025-12-15\n",
        "-- content/projects/p.md --\n---\ntitle: P\nsummary: S\ncohort: c\nareas: [telecom]\nstage: idea\ntrl: 1\n---\n",
        "-- content/projects/q.md --\n---\ntitle: Q\nsummary: S\ncohort: c\nareas: [telecom]\nstage: idea\ntrl: 2\nlinks:\n  website: https://q.example.kz/\n---\n",
        "-- content/demos/d.md --\n---\ntitle: D\ndate: 2025-12-10\n---\n",
        "-- content/news/2025-11-24-n.md --\n---\ntitle: N\ndate: 2025-11-24\n---\n",
        "-- content/pages/x.md --\n---\ntitle: X\n---\n",
    ));
    for args in [&["build"][..], &["build", "--drafts"][..]] {
        let r = site.run(args);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let page = std::fs::read_to_string(site.path("public/projects/q/index.html")).unwrap();
    assert!(page.contains("href=\"https://q.example.kz/\" rel=\"external\""));
    let empty = TestSite::new(
        "-- site.yaml --\ntitle: Empty\nbase_url: https://empty.example.kz\nareas:\n  telecom: Telecom\n-- content/_index.md --\n---\ntitle: Empty\n---\n",
    );
    let r = empty.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `doc` without the `"changes"` of a `build` (tests/review.rs tests it), which is `null`
/// here: a failed build, or a first one.
fn without_changes(cmd: &str, mut doc: serde_json::Value) -> serde_json::Value {
    if cmd == "build" {
        let changes = doc.as_object_mut().unwrap().remove("changes");
        assert_eq!(changes, Some(serde_json::Value::Null));
    }
    doc
}

#[test]
fn check_format_json_lists_errors_with_file_line_column_and_help() {
    // Issue 15, item 10: a pull-request check annotates files from this document.
    let site = TestSite::new(BASE);
    site.edit("content/projects/sky-link.md", "trl: 6", "trl: 12");
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\ntitel: About us\n---\n",
    );
    for cmd in ["check", "build"] {
        let r = site.run(&[cmd, "--format", "json"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        let doc = without_changes(cmd, serde_json::from_str(&r.stdout).unwrap());
        assert_eq!(
            doc,
            serde_json::json!({
                "errors": [
                    {"severity": "error", "path": "content/pages/about.md", "line": 3,
                     "column": 1, "message": "unknown field `titel` for a page",
                     "help": "did you mean `title`?"},
                    {"severity": "error", "path": "content/projects/sky-link.md", "line": 7,
                     "column": 1, "message": "TRL 12 is out of range",
                     "help": "the technology readiness level is a whole number from 1 to 9"},
                ],
                "warnings": [],
                "held_back": [],
            }),
            "{cmd}: {}",
            r.stdout
        );
        // Standard error keeps only the closing line; the errors are not printed twice.
        assert!(!r.stderr.contains("error:"), "{}", r.stderr);
        assert!(r.stderr.starts_with("failed: 2 errors: "), "{}", r.stderr);
    }
}

#[test]
fn check_format_json_of_a_valid_site_has_no_errors() {
    let site = TestSite::new(BASE);
    let r = site.run(&["check", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        doc,
        serde_json::json!({"errors": [], "warnings": [], "held_back": []})
    );
    assert!(r.stderr.starts_with("ok: "), "{}", r.stderr);

    // A warning and held-back items: still exit 0, both listed with their fields.
    site.write_txtar("-- content/projects/mesh-radio.md --\n---\ntitle: Mesh Radio\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 2\ndraft: true\n---\n-- content/pages/later.md --\n---\ntitle: Later\npublish_after: 2999-01-01\n---\n");
    for cmd in ["check", "build"] {
        let r = site.run(&[cmd, "--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let doc = without_changes(cmd, serde_json::from_str(&r.stdout).unwrap());
        assert_eq!(
            doc,
            serde_json::json!({
                "errors": [],
                "warnings": [
                    {"severity": "warning", "path": "content/demos/demo-day-2025-12.md",
                     "line": 6, "column": 22,
                     "message": "`projects` names the project `mesh-radio`, which is a draft; the link is left out of this build",
                     "help": null},
                    {"severity": "warning", "path": "content/projects/sky-link.md",
                     "line": 9, "column": 19,
                     "message": "the link `@/projects/mesh-radio.md` points to an item that is a draft; in this build it links to the list it would be in",
                     "help": null},
                    {"severity": "warning", "path": "content/projects/sky-link.ru.md",
                     "line": 5, "column": 22,
                     "message": "the link `/projects/mesh-radio/` points to an item that is a draft; it links to its section in this build",
                     "help": null},
                ],
                "held_back": [
                    {"path": "content/projects/mesh-radio.md", "reason": "draft", "until": null},
                    {"path": "content/pages/later.md", "reason": "embargoed",
                     "until": "2999-01-01T00:00:00+05:00"},
                ],
            }),
            "{cmd}: {}",
            r.stdout
        );
        assert!(!r.stderr.contains("warning:"), "{}", r.stderr);
    }
    // JSON is for `check` and `build`; the translation report has its own formats.
    assert_eq!(
        site.run(&["check", "--translations", "--format", "json"])
            .code,
        2
    );
}

/// Where `new` leaves text to write, per kind: the field it writes blank.
const BLANK_FIELD: &[(&str, &str, &str)] = &[
    ("project", "projects", "summary"),
    ("cohort", "cohorts", "track"),
    ("demo", "demos", "venue"),
    ("news", "news", "summary"),
    ("page", "pages", "description"),
];

/// The path `new` reports (`created PATH: ...` on stderr), relative to the site.
fn created(r: &support::Run) -> String {
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("created "))
        .unwrap();
    line["created ".len()..]
        .split(": ")
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn new_writes_files_that_fail_while_blank_and_check_once_filled_in_every_language() {
    for &(kind, section, field) in BLANK_FIELD {
        let site = TestSite::new(BASE);
        // The original first (default language), then each translation.
        for lang in [None, Some("ru"), Some("kk")] {
            let mut args = vec!["new", kind, "Field Day"];
            if let Some(l) = lang {
                args.extend(["--lang", l]);
            }
            let r = site.run(&args);
            assert_eq!(r.code, 0, "{kind} {lang:?}: {}", r.stderr);
            let rel = created(&r);
            assert!(rel.starts_with(&format!("content/{section}/")), "{rel}");
            let text = std::fs::read_to_string(site.path(&rel)).unwrap();
            let blank = format!("{field}: \"\"");
            let line = 1 + text
                .lines()
                .position(|l| l == blank)
                .unwrap_or_else(|| panic!("{kind} {lang:?}: no `{blank}` in\n{text}"));
            if lang.is_some() {
                // Only text fields: a fact field would contradict the original.
                for l in text.lines().skip(1).take_while(|l| *l != "---") {
                    if l.starts_with('#') || l.starts_with(' ') || l.is_empty() {
                        continue;
                    }
                    let key = l.split(':').next().unwrap();
                    assert!(
                        [
                            "title",
                            "summary",
                            "description",
                            "track",
                            "venue",
                            "team",
                            "gallery",
                            "tags",
                            "draft"
                        ]
                        .contains(&key),
                        "{kind} {lang:?}: fact field `{key}` in the translation\n{text}"
                    );
                }
            }
            let check = site.run(&["check"]);
            assert_eq!(check.code, 1, "{kind} {lang:?} passed while blank");
            let want = format!("{rel}:{line}:1: `{field}` is empty");
            assert!(
                check.stderr.contains(&want),
                "{kind} {lang:?}: want {want}\n{}",
                check.stderr
            );
            assert!(check.stderr.contains("help: write "), "{}", check.stderr);
            site.write(
                &rel,
                &text.replace(&blank, &format!("{field}: \"Filled in {kind}\"")),
            );
            let check = site.run(&["check"]);
            assert_eq!(check.code, 0, "{kind} {lang:?} filled:\n{}", check.stderr);
        }
    }
}

#[test]
fn new_translation_without_an_original_says_to_create_it_first() {
    for &(kind, section, _) in BLANK_FIELD {
        let site = TestSite::new(BASE);
        let r = site.run(&["new", kind, "Lone Item", "--lang", "kk"]);
        assert_eq!(r.code, 1, "{kind}: {}", r.stdout);
        assert!(
            r.stderr
                .contains(&format!("no original content/{section}/lone-item.md"))
                && r.stderr.contains(&format!(
                    "create it first with `showcase new {kind} \"Lone Item\"`"
                )),
            "{kind}: {}",
            r.stderr
        );
        assert!(!site
            .path(&format!("content/{section}"))
            .join("lone-item.kk.md")
            .exists());
    }
}
