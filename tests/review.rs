//! The review before publishing (issue 15, item 9): when `build` replaces an output, it says
//! what changed for the public, in words after its `built` line and as `"changes"` in its
//! `--format json` document.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{TestSite, BASE};

/// The lines `build` prints after its `built` line.
fn review(stderr: &str) -> Vec<&str> {
    let mut lines = stderr.lines().skip_while(|l| !l.starts_with("built "));
    lines.next().expect("a built line");
    lines.collect()
}

/// `build --format json`, its document parsed.
fn build_json(site: &TestSite) -> serde_json::Value {
    let r = site.run(&["build", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The edits of a working day: a project added (with its Russian translation), a news item
/// deleted, a public project made a draft, a page's slug changed, a cohort's text edited,
/// a demo day translated into Kazakh, a project's Russian translation deleted.
fn a_day_of_edits(site: &TestSite) {
    site.write_txtar(
        r#"
-- content/projects/kestrel-uav.md --
---
title: Kestrel UAV
summary: A small mapping drone.
cohort: 2025-autumn
areas: [satellite]
stage: prototype
trl: 5
---
Kestrel.
-- content/projects/kestrel-uav.ru.md --
---
title: Кестрел
summary: Небольшой дрон.
---
Кестрел.
-- content/demos/demo-day-2025-12.kk.md --
---
title: Демо күні
---
Демо күні.
"#,
    );
    site.remove("content/news/2025-11-24-opening.md");
    site.remove("content/projects/sky-link.ru.md");
    site.edit(
        "content/projects/mesh-radio.md",
        "trl: 4\n",
        "trl: 4\ndraft: true\n",
    );
    site.edit(
        "content/pages/about.md",
        "title: About\n",
        "title: About\nslug: about-us\n",
    );
    site.edit(
        "content/cohorts/2025-autumn.yaml",
        "The autumn cohort.",
        "The autumn cohort, now with a mentor each.",
    );
}

#[test]
fn a_first_build_has_nothing_to_compare_with() {
    let site = TestSite::new(BASE);
    let r = site.build();
    let out = site.path("public");
    assert_eq!(
        review(&r.stderr),
        [format!(
            "first build into {}: nothing to compare with",
            out.display()
        )]
    );
    // Into an empty folder too.
    let other = TestSite::new(BASE);
    std::fs::create_dir_all(other.path("public")).unwrap();
    let r = other.build();
    assert!(
        review(&r.stderr)[0].starts_with("first build into "),
        "{}",
        r.stderr
    );
    assert_eq!(
        build_json(&TestSite::new(BASE))["changes"],
        serde_json::Value::Null
    );
}

#[test]
fn a_rebuild_without_changes_says_so() {
    let site = TestSite::new(BASE);
    site.build();
    let r = site.build();
    assert_eq!(
        review(&r.stderr),
        ["no changes for the public: the output is the same as the last build's"]
    );
    let json = build_json(&site);
    let changes = &json["changes"];
    assert_eq!(changes["items_known"], true);
    for list in [
        "new",
        "removed",
        "moved",
        "translations_added",
        "translations_removed",
        "edited",
        "affected",
    ] {
        assert_eq!(changes[list], serde_json::json!([]), "{list}");
    }
    assert_eq!(
        changes["pages"],
        serde_json::json!({"added": [], "changed": [], "removed": []})
    );
    assert_eq!(
        changes["unchanged"],
        site.output_files().len() - 1,
        "every file but the marker"
    );
}

#[test]
fn a_day_of_edits_is_listed_item_by_item() {
    let site = TestSite::new(BASE);
    site.build();
    a_day_of_edits(&site);
    let r = site.build();
    assert_eq!(
        review(&r.stderr),
        [
            "changes for the public since the last build:",
            "  new: project \"Kestrel UAV\" /projects/kestrel-uav/ (en, ru)",
            // A draft that was public has left the public site.
            "  removed: project \"Mesh Radio\" /projects/mesh-radio/ (en)",
            "  removed: news \"The park opens\" /news/opening/ (en)",
            "  moved: page \"About\" /about/ → /about-us/",
            "  new translation: demo \"Демо күні\" /kk/demos/demo-day-2025-12/ (kk)",
            "  translation removed: project \"Скай Линк\" /ru/projects/sky-link/ (ru, the page now shows another language's text)",
            // Its pages lost the link to the Russian text (and the Kazakh one borrows
            // English now).
            "  edited: project \"Sky Link\" /projects/sky-link/ (en, kk)",
            "  edited: cohort \"Autumn 2025\" /cohorts/2025-autumn/ (en, ru, kk)",
            "  edited: demo \"Demo Day December 2025\" /demos/demo-day-2025-12/ (en, ru)",
            // The navigation links to the page that moved: every list changed.
            "  other pages: 48 changed",
            "  other files: 18 changed",
        ],
        "{}",
        r.stderr
    );
    // Built again: nothing more.
    assert_eq!(
        review(&site.build().stderr),
        ["no changes for the public: the output is the same as the last build's"]
    );
}

#[test]
fn the_json_document_lists_every_change() {
    let site = TestSite::new(BASE);
    site.build();
    a_day_of_edits(&site);
    let json = build_json(&site);
    let c = &json["changes"];
    assert_eq!(c["items_known"], true);
    let id = |kind: &str, name: &str| {
        blake3::hash(format!("{kind}\0{name}").as_bytes()).to_hex()[..16].to_string()
    };
    assert_eq!(
        c["new"],
        serde_json::json!([{
            "kind": "project",
            "id": id("project", "kestrel-uav"),
            "name": "kestrel-uav",
            "title": "Kestrel UAV",
            "languages": ["en", "ru"],
            "pages": [
                {"lang": "en", "url": "/projects/kestrel-uav/"},
                {"lang": "ru", "url": "/ru/projects/kestrel-uav/"},
                {"lang": "kk", "url": "/kk/projects/kestrel-uav/"},
            ],
        }])
    );
    // An item that left is named by its id and title: the previous output never
    // published its file name.
    assert_eq!(c["removed"][0]["name"], serde_json::Value::Null);
    assert_eq!(c["removed"][0]["id"], id("project", "mesh-radio"));
    assert_eq!(c["removed"][1]["title"], "The park opens");
    assert_eq!(
        c["moved"],
        serde_json::json!([{
            "kind": "page",
            "id": id("page", "about"),
            "name": "about",
            "title": "About",
            "from": [
                {"lang": "en", "url": "/about/"},
                {"lang": "ru", "url": "/ru/about/"},
                {"lang": "kk", "url": "/kk/about/"},
            ],
            "to": [
                {"lang": "en", "url": "/about-us/"},
                {"lang": "ru", "url": "/ru/about-us/"},
                {"lang": "kk", "url": "/kk/about-us/"},
            ],
        }])
    );
    assert_eq!(
        c["translations_added"],
        serde_json::json!([{
            "kind": "demo",
            "id": id("demo", "demo-day-2025-12"),
            "name": "demo-day-2025-12",
            "title": "Демо күні",
            "lang": "kk",
            "url": "/kk/demos/demo-day-2025-12/",
        }])
    );
    assert_eq!(c["translations_removed"][0]["lang"], "ru");
    assert_eq!(c["translations_removed"][0]["falls_back"], true);
    let edited: Vec<&str> = c["edited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(edited, ["sky-link", "2025-autumn", "demo-day-2025-12"]);
    assert_eq!(c["pages"]["changed"].as_array().unwrap().len(), 48);
    assert!(c["files"]["changed"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("sitemap.xml")));
    // Standard error keeps only the closing line.
    let again = site.run(&["build", "--format", "json"]);
    assert!(
        again.stderr.starts_with("built ") && again.stderr.lines().count() == 1,
        "{}",
        again.stderr
    );
}

#[test]
fn an_item_that_only_shows_a_change_is_not_edited() {
    let site = TestSite::new(BASE);
    site.build();
    // The project's title is on its cohort's page and its demo day's, in every language.
    site.edit(
        "content/projects/mesh-radio.md",
        "title: Mesh Radio",
        "title: Mesh Radio Pro",
    );
    let r = site.build();
    let lines = review(&r.stderr);
    assert_eq!(
        lines[..3],
        [
            "changes for the public since the last build:",
            "  edited: project \"Mesh Radio Pro\" (was \"Mesh Radio\") /projects/mesh-radio/ (en, ru, kk)",
            "  pages of items not edited: 6 changed (they show other changes)",
        ],
        "{}",
        r.stderr
    );
    let json = build_json(&site);
    assert_eq!(
        json["changes"]["affected"],
        serde_json::json!([]),
        "built twice"
    );
}

#[test]
fn an_old_marker_without_a_manifest_compares_files_only() {
    let site = TestSite::new(BASE);
    site.build();
    // The marker of earlier versions: one line of text.
    site.write(
        "public/.showcase-output",
        "This folder is written by `showcase build`; it is replaced whole on every build.\n",
    );
    site.remove("content/news/2025-11-24-opening.md");
    let r = site.build();
    assert_eq!(
        review(&r.stderr),
        [
            "changes for the public since the last build (it kept no list of its items, so items cannot be named; the next build will):",
            "  pages: 9 changed, 3 removed",
            "  other files: 13 changed",
        ],
        "{}",
        r.stderr
    );
    // The marker now holds the manifest: the next build names items.
    let marker = site.read(".showcase-output");
    assert!(
        marker.starts_with("{\"note\":\"This folder is written by `showcase build`"),
        "{marker}"
    );
    site.edit(
        "content/pages/about.md",
        "title: About",
        "title: About the park",
    );
    let lines = review(&site.build().stderr)[..2].join("\n");
    assert_eq!(
        lines,
        "changes for the public since the last build:\n  edited: page \"About the park\" (was \"About\") /about/ (en, ru, kk)"
    );
}

#[test]
fn titles_are_shown_on_one_line_as_they_read() {
    let site = TestSite::new(BASE);
    site.build();
    site.write_txtar(
        r#"
-- content/pages/evil.md --
---
title: "Evil\n  removed: project \"All\"\u202Etxt.exe \u0085x"
---
A title that tries to forge a line of the review and to reverse what follows it.
-- content/pages/quoted.md --
---
title: 'Project "Thunder" \o/'
---
Quotes and a backslash.
"#,
    );
    let r = site.build();
    assert_eq!(
        review(&r.stderr)[1..3],
        [
            r#"  new: page "Evil\n  removed: project \"All\"\u{202e}txt.exe \u{85}x" /evil/ (en)"#,
            r#"  new: page "Project \"Thunder\" \\o/" /quoted/ (en)"#,
        ],
        "{}",
        r.stderr
    );
    // The JSON keeps them as written.
    site.remove("content/pages/evil.md");
    site.remove("content/pages/quoted.md");
    let json = build_json(&site);
    assert_eq!(
        json["changes"]["removed"][0]["title"],
        "Evil\n  removed: project \"All\"\u{202e}txt.exe \u{85}x"
    );
    assert_eq!(
        json["changes"]["removed"][1]["title"],
        "Project \"Thunder\" \\o/"
    );
}

#[test]
fn the_manifest_holds_only_what_the_output_publishes() {
    let site = TestSite::base_with(
        r#"
-- content/projects/codename-thunder.md --
---
title: Kestrel UAV
slug: kestrel
summary: A small mapping drone.
cohort: 2025-autumn
areas: [satellite]
stage: prototype
trl: 5
internal:
  contact: Colonel Ivanov, room 4417
---
Kestrel.
-- content/projects/hidden.md --
---
title: Hidden Prototype
summary: Not yet.
cohort: 2025-autumn
areas: [satellite]
stage: idea
trl: 2
draft: true
---
Hidden.
"#,
    );
    site.build();
    let marker = site.read(".showcase-output");
    assert!(marker.contains("\"url\":\"/projects/kestrel/\",\"file\":\"projects/kestrel/index.html\",\"title\":\"Kestrel UAV\""), "{marker}");
    for secret in ["codename", "thunder", "Colonel", "4417", "Hidden", "hidden"] {
        assert!(
            !marker.contains(secret),
            "{secret} in the marker:\n{marker}"
        );
    }
    // A build with drafts publishes the draft, marked, and the next one without says it left.
    let r = site.run(&["build", "--drafts"]);
    assert_eq!(
        review(&r.stderr)[1],
        "  new: project \"Hidden Prototype\" /projects/hidden/ (en) (draft)"
    );
    assert!(site
        .read(".showcase-output")
        .contains("\"title\":\"Hidden Prototype\",\"translated\":true"));
    let r = site.build();
    assert_eq!(
        review(&r.stderr)[1],
        "  removed: project \"Hidden Prototype\" /projects/hidden/ (en)"
    );
}
