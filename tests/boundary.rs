//! The publication boundary (issue 11; hostile-inputs 40, 42, 43, 45 and the blame of
//! collisions): file names that would leave the output, settings that would inject markup,
//! characters that break XML, symbolic links where the site's files are read, and errors
//! that name the source at fault.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use support::{Serve, TestSite, BASE};

fn assert_has(stderr: &str, expected: &str) {
    assert!(
        stderr.contains(expected),
        "expected:\n{expected}\n\ngot:\n{stderr}"
    );
}

/// Every entry (recursively) under `dir`, to prove nothing appeared there.
fn tree(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.path().display().to_string())
        .collect();
    v.sort();
    v
}

// --- 1. Paths -------------------------------------------------------------------------

/// The example: a `static/` file named `..\..\..\victim.txt` (backslashes in the
/// name). `build` refuses it naming the file, before creating any folder.
#[test]
fn a_backslash_name_in_static_is_refused_before_any_folder_is_made() {
    let site = TestSite::new(BASE);
    // From the staging folder (ROOT/.public.staging-PID), `..\..\` is ROOT's parent.
    let nonce = format!("victim-{}", std::process::id());
    site.write(&format!("static/..\\..\\..\\{nonce}.txt"), "pwned");
    site.write(&format!("static/..\\..\\{nonce}\\here.txt"), "pwned");
    let err = site.fails();
    assert_has(
        &err,
        &format!("error: static/..\\..\\..\\{nonce}.txt: this file name cannot be published: the part `..\\..\\..\\{nonce}.txt` holds `\\`, which some systems read as a folder separator\n  help: rename the file (and its folders) using letters, digits, `-`, `_` and `.` only"),
    );
    assert_has(
        &err,
        &format!("error: static/..\\..\\{nonce}\\here.txt: this file name cannot be published"),
    );
    let parent = site.root().parent().unwrap();
    assert!(!parent.join(&nonce).exists());
    assert!(!parent
        .parent()
        .unwrap()
        .join(format!("{nonce}.txt"))
        .exists());
}

/// Other names of the class: percent-encoded and fullwidth dots, Unicode slashes, control
/// characters, names that are not UTF-8, over-long names; in static/ and in bundles.
#[test]
fn every_unsafe_file_name_is_an_error_naming_the_file() {
    let site = TestSite::base_with(
        "-- content/projects/bundle/index.md --\n---\ntitle: Bundle\nsummary: A bundle.\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 2\n---\nBody.\n",
    );
    let names = [
        "static/%2e%2e/x.txt",
        "static/．．/y.txt",
        "static/a／b.txt",
        "static/a\u{2215}b.txt",
        "static/line\nbreak.txt",
        "content/projects/bundle/img\\..\\..\\..\\evil.txt",
        "content/projects/bundle/%2E%2E%2Fx.png",
    ];
    for n in names {
        site.write(n, "x");
    }
    let long = format!("static/{}.txt", "a".repeat(220));
    site.write(&long, "x");
    let raw = site
        .root()
        .join("static")
        .join(std::ffi::OsStr::from_bytes(b"bad\xffname.txt"));
    std::fs::write(&raw, "x").unwrap();
    let err = site.fails();
    for n in names {
        // Control characters in a name are shown escaped, on one line.
        let shown = n.replace('\n', "\\n");
        assert_has(
            &err,
            &format!("error: {shown}: this file name cannot be published: the "),
        );
    }
    assert_has(
        &err,
        &format!("error: {long}: this file name cannot be published: the name `"),
    );
    assert_has(&err, "is 224 bytes long; the limit is 200");
    assert_has(
        &err,
        "bad\u{FFFD}name.txt: the file name is not valid UTF-8 text",
    );
}

/// With the preview running, the same file added and then removed: the preview refuses it
/// (the error is shown), writes nothing above its temporary folder, and deletes nothing
/// there when the file goes.
#[test]
fn the_preview_never_writes_or_deletes_outside_its_folder() {
    let site = TestSite::new(BASE);
    // TMPDIR/a/b/c: the preview's folder is TMPDIR/a/b/c/showcase-preview-XXXX/site, so `..\..\..\`
    // from it is TMPDIR/a/b.
    let tmp = tempfile::tempdir().unwrap();
    let nested = tmp.path().join("a/b/c");
    std::fs::create_dir_all(&nested).unwrap();
    for d in ["a", "a/b", "a/b/c"] {
        std::fs::write(tmp.path().join(d).join("victim.txt"), "precious").unwrap();
    }
    let before = tree(tmp.path());
    let server: Serve = site.serve_with_env(
        site.root(),
        &["--root", &site.root().display().to_string()],
        &[("TMPDIR", &nested)],
    );
    let events = server.events();
    site.write("static/..\\..\\..\\victim.txt", "pwned");
    let error = Serve::wait_event(&events, "build-error", 15);
    assert!(error.contains("victim.txt"), "{error}");
    site.remove("static/..\\..\\..\\victim.txt");
    Serve::wait_event(&events, "reload", 15);
    for d in ["a", "a/b", "a/b/c"] {
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(d).join("victim.txt")).unwrap(),
            "precious",
            "{d}"
        );
    }
    // Only the preview's own folder appeared.
    let after: Vec<String> = tree(tmp.path())
        .into_iter()
        .filter(|p| !p.contains("/a/b/c/showcase-preview-"))
        .collect();
    assert_eq!(after, before);
}

// --- 3. Settings ------------------------------------------------------------------------

#[test]
fn a_hostile_base_url_is_an_error_naming_where_it_came_from() {
    let site = TestSite::new(&BASE.replace(
        "base_url: https://test.example.kz",
        "base_url: 'https://x.kz/\"><script>alert(1)</script>'",
    ));
    let err = site.fails();
    assert_has(&err, "error: site.yaml:2: `https://x.kz/\"><script>alert(1)</script>` is not a usable base URL: it contains `\"`\n  help: write the address the site is published at");

    let site = TestSite::new(BASE);
    for (flag, why) in [
        ("https://x.kz/ a", "it contains a space"),
        ("https://x.kz/<b>", "it contains `<`"),
        ("https://x.kz/?q=1", "it has a query (`?`)"),
        ("https://x.kz/#top", "it has a fragment (`#`)"),
        (
            "javascript://x.kz/%0aalert(1)",
            "it starts with `javascript:`, not http or https",
        ),
        ("https://user:pw@x.kz", "it holds a user name or password"),
        ("x.kz", "it is not an absolute URL"),
        (
            "https://x.kz/a\tb",
            "it contains the invisible character U+0009",
        ),
    ] {
        let r = site.run(&["build", "--base-url", flag]);
        assert_eq!(r.code, 1, "{flag}");
        assert!(
            r.stderr.contains("error: --base-url: `") && r.stderr.contains(why),
            "{flag}: {}",
            r.stderr
        );
        assert!(!site.path("public").exists());
    }
}

/// A valid base URL is normalised: the host in ASCII, the path percent-encoded, as the
/// sitemap protocol requires.
#[test]
fn an_international_base_url_is_normalised() {
    let site = TestSite::new(&BASE.replace(
        "base_url: https://test.example.kz",
        "base_url: https://ПАРК.kz/витрина/",
    ));
    site.build();
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://xn--80aunf.kz/%D0%B2%D0%B8%D1%82%D1%80%D0%B8%D0%BD%D0%B0/projects/sky-link/</loc>"),
        "{sitemap}"
    );
    assert!(site
        .read("index.html")
        .contains("href=\"/%D0%B2%D0%B8%D1%82%D1%80%D0%B8%D0%BD%D0%B0/projects/\""));
}

// --- 4. XML characters ------------------------------------------------------------------

/// The example (U+000B in a news body) and others of the class: an error at the
/// line, in content and in site.yaml.
#[test]
fn characters_xml_forbids_are_errors_where_the_comms_team_wrote_them() {
    let site = TestSite::base_with(
        "-- content/news/2025-11-25-vt.md --\n---\ntitle: VT\nsummary: s\n---\nFirst line.\nA break\u{B}pasted from Word.\n-- content/pages/ff.md --\n---\ntitle: Page\u{C}break\n---\nx\n",
    );
    let err = site.fails();
    assert_has(&err, "error: content/news/2025-11-25-vt.md:6:8: this line holds an invisible control character, U+000B (vertical tab, a line break pasted from a word processor), which feeds and sitemaps cannot carry\n  help: delete it: retype the end of the line");
    assert_has(&err, "error: content/pages/ff.md:2:12: this line holds an invisible control character, U+000C (form feed, a page break)");

    let site = TestSite::new(&BASE.replace("title: Test Park\nbase", "title: Test\u{1}Park\nbase"));
    assert_has(
        &site.fails(),
        "error: site.yaml:1:12: this line holds an invisible control character, U+0001",
    );
}

/// What no one typed but still arrives (a YAML escape, an HTML entity, a theme's template)
/// never reaches a feed or the sitemap: every XML output parses.
#[test]
fn no_xml_output_holds_a_forbidden_character() {
    let site = TestSite::base_with(concat!(
        "-- content/news/2025-11-26-esc.md --\n---\ntitle: \"Escaped\\vtitle\\x01\"\nsummary: \"s\\u000Bs\\uFFFF\"\n---\nAn entity &#11; and &#x1F; here.\n",
        "-- templates/sitemap.xml --\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><!-- theme text\u{B} --><url><loc>{{ site.base_url }}/</loc></url></urlset>\n",
    ));
    site.build();
    for f in site.output_files() {
        if !(f.ends_with(".xml") || f.ends_with(".html")) {
            continue;
        }
        let text = site.read(&f);
        assert!(
            !text.chars().any(showcase::xmlchar::is_forbidden),
            "{f} holds a forbidden character"
        );
        if f.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
        }
    }
    assert!(site.read("news/atom.xml").contains("Escapedtitle"));
}

// --- 7. Symbolic links ------------------------------------------------------------------

#[test]
fn a_linked_theme_or_settings_file_is_refused() {
    use std::os::unix::fs::symlink;
    let elsewhere = tempfile::tempdir().unwrap();
    let theme = elsewhere.path().join("theme");
    std::fs::create_dir_all(theme.join("templates")).unwrap();
    std::fs::write(theme.join("templates/index.html"), "secret template").unwrap();

    // The theme folder is a link.
    let site = TestSite::new(&BASE.replace(
        "title: Test Park\nbase",
        "title: Test Park\ntheme: linked\nbase",
    ));
    std::fs::create_dir_all(site.path("themes")).unwrap();
    symlink(&theme, site.path("themes/linked")).unwrap();
    assert_has(
        &site.fails(),
        "error: themes/linked: symbolic links are not followed\n  help: copy the folder or file into the site instead of linking it",
    );

    // themes/ itself is a link.
    let site = TestSite::new(&BASE.replace(
        "title: Test Park\nbase",
        "title: Test Park\ntheme: theme\nbase",
    ));
    symlink(elsewhere.path(), site.path("themes")).unwrap();
    assert_has(
        &site.fails(),
        "error: themes: symbolic links are not followed",
    );

    // site.yaml is a link.
    let site = TestSite::new(BASE);
    std::fs::write(elsewhere.path().join("site.yaml"), "title: Elsewhere\n").unwrap();
    std::fs::remove_file(site.path("site.yaml")).unwrap();
    symlink(elsewhere.path().join("site.yaml"), site.path("site.yaml")).unwrap();
    assert_has(
        &site.fails(),
        "error: site.yaml: site.yaml is a symbolic link; symbolic links are not followed",
    );

    // static/ and templates/ are links.
    for folder in ["static", "templates"] {
        let site = TestSite::new(BASE);
        symlink(elsewhere.path(), site.path(folder)).unwrap();
        assert_has(
            &site.fails(),
            &format!("error: {folder}: symbolic links are not followed"),
        );
    }
}

// --- 8. Errors name the file at fault ---------------------------------------------------

/// The example: an alias equal to a generated page is blamed on the page that
/// declares it, not on an unrelated project.
#[test]
fn an_alias_over_a_generated_page_names_its_own_file() {
    let site = TestSite::base_with(
        "-- content/pages/about.md --\n---\ntitle: About\naliases: [/sitemap.xml, /news/atom.xml]\n---\nAbout.\n",
    );
    let err = site.fails();
    assert_has(&err, "error: content/pages/about.md: this and the page the site makes from sitemap.xml both produce /sitemap.xml\n  help: rename one of them (or change its `slug:` or `aliases:`)");
    assert_has(&err, "error: content/pages/about.md: this and the page the site makes from atom.xml both produce /news/atom.xml");
    assert!(!err.contains("sky-link"), "{err}");
}

/// Two users' files: the message names both, whichever kind of page they make.
#[test]
fn collisions_between_files_name_both() {
    let site = TestSite::base_with(concat!(
        "-- static/about --\na file where a page needs a folder\n",
        "-- static/news/opening --\nanother one\n",
    ));
    let err = site.fails();
    assert_has(&err, "error: static/about: /about is a file, but content/pages/about.md needs it to be a folder for /about/index.html\n  help: rename one of them");
    assert_has(&err, "error: static/news/opening: /news/opening is a file, but content/news/2025-11-24-opening.md needs it to be a folder for /news/opening/index.html");
}

/// A too-long alias is an error at its line in the item's file, not a bare output path.
#[test]
fn a_too_long_alias_names_its_line() {
    let long = format!("/{}/", "x".repeat(300));
    let site = TestSite::base_with(&format!(
        "-- content/pages/about.md --\n---\ntitle: About\naliases:\n  - /old/\n  - {long}\n---\nAbout.\n"
    ));
    let err = site.fails();
    assert_has(&err, "error: content/pages/about.md:5:5: alias `/xxxxxxxx");
    assert_has(&err, "cannot be published: the name `xxxx");
    assert_has(&err, "help: shorten the alias to the old URL's path");
}

// --- Found by a hostile review of the fixes above ---------------------------------------

/// A file the preview already knows, replaced by a symbolic link while it runs: refused
/// (the walk and every open refuse links), and the outside text is never served.
#[test]
fn the_preview_does_not_follow_a_link_that_replaces_a_known_file() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "OUTSIDE-CANARY").unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: OUTSIDE-CANARY\n---\nOUTSIDE-CANARY\n",
    )
    .unwrap();
    let site = TestSite::base_with("-- static/plain.txt --\nhello\n");
    let server = site.serve(&[]);
    let events = server.events();
    assert_eq!(server.get("/plain.txt").body, "hello\n");
    site.remove("static/plain.txt");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path("static/plain.txt"),
    )
    .unwrap();
    let error = Serve::wait_event(&events, "build-error", 15);
    assert!(
        error.contains("static/plain.txt") && error.contains("symbolic links are not followed"),
        "{error}"
    );
    assert!(!server.get("/plain.txt").body.contains("OUTSIDE-CANARY"));

    site.remove("static/plain.txt");
    Serve::wait_event(&events, "reload", 15);
    site.remove("content/pages/about.md");
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path("content/pages/about.md"),
    )
    .unwrap();
    let error = Serve::wait_event(&events, "build-error", 15);
    assert!(error.contains("content/pages/about.md"), "{error}");
    assert!(!server.get("/about/").body.contains("OUTSIDE-CANARY"));
}

/// `new` does not write through a linked section folder.
#[test]
fn new_does_not_write_through_a_link() {
    let outside = tempfile::tempdir().unwrap();
    let site = TestSite::new(BASE);
    std::fs::rename(site.path("content/news"), outside.path().join("news")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("news"), site.path("content/news")).unwrap();
    let r = site.run(&["new", "news", "Escape test"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_has(
        &r.stderr,
        "content/news: symbolic links are not followed; nothing was written",
    );
    assert_eq!(
        std::fs::read_dir(outside.path().join("news"))
            .unwrap()
            .count(),
        1
    );
}

/// Names that would make the published folder look like a site or a repository (so every
/// later build refused it) are refused, naming the source.
#[test]
fn reserved_names_at_the_top_of_the_output_are_refused() {
    let site = TestSite::base_with(concat!(
        "-- static/site.yaml --\nx\n",
        "-- static/.git/HEAD --\nref\n",
    ));
    let err = site.fails();
    assert_has(&err, "error: static/site.yaml: this file name cannot be published: `site.yaml` at the top of the output is reserved");
    assert_has(&err, "error: static/.git/HEAD: this file name cannot be published: `.git` at the top of the output is reserved");
    let site = TestSite::base_with(
        "-- content/pages/about.md --\n---\ntitle: About\naliases: [/.showcase-output]\n---\nAbout.\n",
    );
    let err = site.fails();
    assert_has(&err, "error: content/pages/about.md: this file cannot be published as /.showcase-output: `.showcase-output` at the top of the output is reserved");
}

/// Windows cannot hold device names or names ending in a dot or space.
#[test]
fn names_windows_cannot_hold_are_refused() {
    let site = TestSite::base_with(
        "-- static/CON --\nx\n-- static/docs/nul.pdf --\nx\n-- static/note. --\nx\n",
    );
    let err = site.fails();
    for n in ["static/CON", "static/docs/nul.pdf", "static/note."] {
        assert_has(
            &err,
            &format!("error: {n}: this file name cannot be published: the name `"),
        );
    }
}

/// Values quoted in messages cannot drive the terminal or break the one-line format.
#[test]
fn messages_escape_control_characters() {
    let site = TestSite::base_with(
        "-- content/pages/x.md --\n---\ntitle: X\nslug: \"a\\e[2J\\e]0;PWNED\\a\"\naliases: [\"x\\e[31mRED\", \"/a\\nb\"]\n---\nx\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'),
        "{:?}",
        r.stderr
    );
    assert_has(&r.stderr, "a\\u{1b}[2J");
    assert!(
        r.stderr.lines().all(|l| l.starts_with("error: ")
            || l.starts_with("  help: ")
            || l.starts_with("failed: ")),
        "{}",
        r.stderr
    );
}

/// A page that gives way to a file of its name, while the preview runs.
#[test]
fn the_preview_survives_a_page_becoming_a_file() {
    let site = TestSite::base_with("-- content/pages/zed.md --\n---\ntitle: Zed\n---\nZed.\n");
    let server = site.serve(&[]);
    let events = server.events();
    assert!(server.get("/zed/").body.contains("Zed"));
    site.remove("content/pages/zed.md");
    site.write("static/zed", "now a file\n");
    Serve::wait_event(&events, "reload", 15);
    assert_eq!(server.get("/zed").body, "now a file\n");
    site.write("static/other.txt", "still alive\n");
    Serve::wait_event(&events, "reload", 15);
    assert_eq!(server.get("/other.txt").body, "still alive\n");
}

/// Paths that differ only in case or Unicode form are one file on many systems.
#[test]
fn paths_differing_only_in_case_or_form_collide() {
    let site = TestSite::base_with(concat!(
        "-- static/Style.css --\nbody{}\n",
        "-- content/pages/projects-page.md --\n---\ntitle: P\naliases: [/Projects/]\n---\nx\n",
        "-- static/fi.txt --\nx\n",
        "-- static/\u{FB01}.txt --\ny\n",
    ));
    let err = site.fails();
    assert_has(&err, "error: static/Style.css: this produces /Style.css and (built-in theme)/static/style.css produces /style.css: they differ only in letter case");
    assert_has(&err, "content/pages/projects-page.md: this produces /Projects/index.html and the page the site makes from projects.html produces /projects/index.html");
    assert!(err.contains("/ﬁ.txt") && err.contains("/fi.txt"), "{err}");
    // Two items' URLs folded the same way are named earlier, at the URLs, with both files.
    let site = TestSite::base_with(concat!(
        "-- content/pages/fi.md --\n---\ntitle: F\n---\nx\n",
        "-- content/pages/ligature.md --\n---\ntitle: L\nslug: \u{FB01}\n---\nx\n",
    ));
    assert_has(
        &site.fails(),
        "error: content/pages/ligature.md: the URL /ﬁ/ is also claimed by content/pages/fi.md",
    );
}

/// An alias under a generated file: the sentence reads the right way round, located at the
/// page that declares it, with no write error added.
#[test]
fn an_alias_under_a_generated_file_is_one_clear_error() {
    let site = TestSite::base_with(
        "-- content/pages/about.md --\n---\ntitle: About\naliases: [/robots.txt/x/]\n---\nAbout.\n",
    );
    let err = site.fails();
    assert_has(&err, "error: content/pages/about.md: this needs /robots.txt to be a folder for /robots.txt/x/index.html, but the page the site makes from robots.txt makes /robots.txt a file");
    assert!(
        !err.contains("cannot write") && !err.contains("cannot create"),
        "{err}"
    );
}

#[test]
fn settings_are_checked_whole() {
    let site = TestSite::new(&BASE.replace(
        "title: Test Park\nbase",
        "title: Test Park\ndefault_language: \"zz\\\"><svg>\"\nbase",
    ));
    assert_has(
        &site.fails(),
        "error: site.yaml:2: `zz\"><svg>` is not a language code",
    );
    let site = TestSite::new(BASE);
    for (flag, why) in [
        ("https://x.kz:0", "port 0 cannot be reached"),
        ("http://x..kz", "the host name `x..kz` has an empty part"),
        ("http://x.kz/%zz", "`%zz` is not a percent escape"),
        ("http://x.kz/a%", "`%` is not a percent escape"),
        ("http://x.kz/%ж", "`%ж` is not a percent escape"),
    ] {
        let r = site.run(&["build", "--base-url", flag]);
        assert_eq!(r.code, 1, "{flag}");
        assert_has(&r.stderr, why);
    }
}

/// A file where another needs a folder, with names that differ only in letter case: one
/// name on hosts that ignore case.
#[test]
fn a_file_and_a_folder_differing_only_in_case_collide() {
    let site = TestSite::base_with("-- static/Favicon.svg/readme.txt --\nhello\n");
    let err = site.fails();
    assert_has(&err, "error: static/Favicon.svg/readme.txt: this needs /favicon.svg to be a folder for /Favicon.svg/readme.txt, but (built-in theme)/static/favicon.svg makes /favicon.svg a file");
}
