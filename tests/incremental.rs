//! The preview's incremental rebuilds give exactly what a build from scratch gives, after
//! every kind of edit, while rendering only the pages that depend on the change.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{preview_options as options, rendered_bytes as bytes, TestSite, BASE};

use std::path::PathBuf;

use showcase::pipeline::{self, Cache, Rendered};
use showcase::render::Data;
use showcase::site::BuildOptions;

/// Renders incrementally with `cache` and from scratch and asserts both are identical,
/// files and warnings; returns the incremental render.
fn render_both(site: &TestSite, cache: &mut Cache) -> Rendered {
    let inc =
        pipeline::render_cached(site.root(), None, &options(), cache).expect("incremental render");
    let full = pipeline::render(site.root(), None, &options()).expect("full render");
    let (a, b) = (bytes(&inc), bytes(&full));
    assert_eq!(a.len(), b.len(), "different file lists");
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(
            ba == bb,
            "{pa} differs between the incremental and the full render"
        );
    }
    assert_eq!(inc.warnings, full.warnings);
    inc
}

/// [`render_both`], returning how many pages went through a template.
fn same_as_full(site: &TestSite, cache: &mut Cache) -> usize {
    render_both(site, cache).rendered
}

/// Like [`same_as_full`], telling the render which file changed, as the watcher does;
/// returns the pages rendered and whether the edit was patched into the last site.
fn hinted(site: &TestSite, cache: &mut Cache, rel: &str) -> (usize, bool) {
    cache.changed(
        [
            PathBuf::from(rel),
            PathBuf::from("content/projects/sedXyZ12"),
        ]
        .into_iter()
        .collect(),
    );
    let inc = render_both(site, cache);
    (
        inc.rendered,
        inc.timings.stages.iter().any(|(n, _)| *n == "patch"),
    )
}

fn fails_hinted(site: &TestSite, cache: &mut Cache, rel: &str) -> bool {
    cache.changed([PathBuf::from(rel)].into_iter().collect());
    pipeline::render_cached(site.root(), None, &options(), cache).is_err()
}

#[test]
fn hinted_rebuilds_read_only_the_changed_files_and_still_match() {
    let site = TestSite::new(BASE);
    let mut cache = Cache::default();
    same_as_full(&site, &mut cache);
    let mesh = "content/projects/mesh-radio.md";
    site.edit(mesh, "Mesh radios.", "Mesh radios, hinted.");
    assert_eq!(
        hinted(&site, &mut cache, mesh),
        (3, true),
        "a body edit is patched in: its page in 3 languages"
    );
    site.edit(
        "content/projects/sky-link.ru.md",
        "Скай Линк работает",
        "Скай Линк теперь работает",
    );
    assert!(
        hinted(&site, &mut cache, "content/projects/sky-link.ru.md").1,
        "so is a translation's"
    );
    site.edit(
        mesh,
        "summary: A mesh network of radios.",
        "summary: Radios that mesh.",
    );
    assert!(hinted(&site, &mut cache, mesh).1, "and a summary's");
    // A title orders lists: patched, then every list sorted again (the renders are
    // compared byte for byte with a full build, lists included).
    site.edit(mesh, "title: Mesh Radio", "title: Alpha Radio");
    assert!(hinted(&site, &mut cache, mesh).1, "a title is patched in");
    site.edit(mesh, "title: Alpha Radio", "title: Zulu Radio\nweight: 1");
    assert!(hinted(&site, &mut cache, mesh).1, "so is a weight");
    let news = "content/news/2025-11-24-opening.md";
    site.edit(
        news,
        "title: The park opens",
        "title: The park opens\ndate: 2024-01-02",
    );
    assert!(hinted(&site, &mut cache, news).1, "and a date");
    let demo = "content/demos/demo-day-2025-12.md";
    site.edit(demo, "date: 2025-12-10", "date: 2031-12-10");
    assert!(
        hinted(&site, &mut cache, demo).1,
        "a demo day moved into the future (the home page's next demo day)"
    );
    let cohort = "content/cohorts/2025-autumn.yaml";
    site.edit(cohort, "start: 2025-09-01", "start: 2019-09-01");
    assert!(hinted(&site, &mut cache, cohort).1, "a cohort's start");
    site.edit(
        mesh,
        "Mesh radios, hinted.",
        "Now [broken](/projects/nope/).",
    );
    assert!(
        fails_hinted(&site, &mut cache, mesh),
        "a broken link in a patched body is an error"
    );
    // Another file edited while that one is broken: still an error (no stale good site).
    site.edit(
        "content/pages/about.md",
        "About the park.",
        "About the park!",
    );
    assert!(
        fails_hinted(&site, &mut cache, "content/pages/about.md"),
        "the broken file still fails"
    );
    site.edit(mesh, "Now [broken](/projects/nope/).", "Fixed.");
    hinted(&site, &mut cache, mesh);
    let good = std::fs::read_to_string(site.path("content/pages/about.md")).unwrap();
    site.write("content/pages/about.md", "---\ntitle: [\n---\n");
    assert!(fails_hinted(&site, &mut cache, "content/pages/about.md"));
    site.write("content/pages/about.md", &good);
    hinted(&site, &mut cache, "content/pages/about.md");
    // A new file and a removed one fall back to a full scan.
    site.write("content/pages/new.md", "---\ntitle: New\n---\n");
    assert!(!hinted(&site, &mut cache, "content/pages/new.md").1);
    site.remove("content/pages/new.md");
    hinted(&site, &mut cache, "content/pages/new.md");
}

#[test]
fn every_kind_of_edit_gives_the_full_build() {
    let site = TestSite::new(BASE);
    let mut cache = Cache::default();
    let all = same_as_full(&site, &mut cache);
    assert!(all > 20);

    // Nothing changed: nothing is rendered again.
    assert_eq!(same_as_full(&site, &mut cache), 0);

    // A body edit: that project's pages (3 languages) and the pages listing it.
    site.edit(
        "content/projects/mesh-radio.md",
        "Mesh radios.",
        "Mesh radios, now with relays.",
    );
    let n = same_as_full(&site, &mut cache);
    assert!(
        n > 0 && n < all / 2,
        "{n} of {all} pages rendered for one body edit"
    );

    site.edit(
        "content/projects/mesh-radio.md",
        "title: Mesh Radio",
        "title: Another Radio",
    );
    same_as_full(&site, &mut cache);
    site.edit(
        "content/projects/mesh-radio.md",
        "areas: [telecom]",
        "areas: [satellite]",
    );
    same_as_full(&site, &mut cache);
    site.edit(
        "content/projects/sky-link.ru.md",
        "title: Скай Линк",
        "title: Скай Линк 2",
    );
    same_as_full(&site, &mut cache);
    site.write(
        "content/projects/mesh-radio.kk.md",
        "---\ntitle: Меш радио\n---\nҚазақша мәтін.\n",
    );
    same_as_full(&site, &mut cache);
    site.write("content/projects/new-one.md", "---\ntitle: New One\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 2\n---\nNew, linking [Sky](@/projects/sky-link.md).\n");
    same_as_full(&site, &mut cache);
    site.edit(
        "content/projects/new-one.md",
        "trl: 2",
        "trl: 2\ndraft: true",
    );
    same_as_full(&site, &mut cache);
    site.remove("content/projects/new-one.md");
    same_as_full(&site, &mut cache);
    site.edit(
        "content/demos/demo-day-2025-12.md",
        "projects: [sky-link, mesh-radio]",
        "projects: [sky-link]",
    );
    same_as_full(&site, &mut cache);
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}!</h1>{% endblock content %}\n");
    let every = pipeline::render(site.root(), None, &options())
        .unwrap()
        .rendered;
    assert_eq!(
        same_as_full(&site, &mut cache),
        every,
        "a template edit renders every page again"
    );
    site.edit("site.yaml", "title: Test Park", "title: Test Park Two");
    same_as_full(&site, &mut cache);
    // A new static file can be a link target, so bodies are checked again; editing one
    // renders no page.
    site.write("static/extra.css", "a { color: red }\n");
    same_as_full(&site, &mut cache);
    site.write("static/extra.css", "a { color: blue }\n");
    assert_eq!(
        same_as_full(&site, &mut cache),
        0,
        "editing a static file renders no page"
    );
}

#[test]
fn a_failed_rebuild_keeps_the_cache_usable() {
    let site = TestSite::new(BASE);
    let mut cache = Cache::default();
    same_as_full(&site, &mut cache);
    let good = std::fs::read_to_string(site.path("content/pages/about.md")).unwrap();
    site.write("content/pages/about.md", "---\ntitle: [\n---\n");
    assert!(pipeline::render_cached(site.root(), None, &options(), &mut cache).is_err());
    site.write(
        "content/pages/about.md",
        &good.replace("About the park.", "About us."),
    );
    same_as_full(&site, &mut cache);
}

#[test]
fn patched_edits_recheck_translations_and_notice_vanished_folders() {
    let site = TestSite::new(BASE);
    let mut cache = Cache::default();
    // A translation repeating a fact, then the original changing it: an error, as in a full build.
    site.edit(
        "content/projects/sky-link.ru.md",
        "title: Скай Линк",
        "title: Скай Линк\nstage: pilot",
    );
    same_as_full(&site, &mut cache);
    site.edit(
        "content/projects/sky-link.md",
        "stage: pilot",
        "stage: deployed",
    );
    assert!(
        fails_hinted(&site, &mut cache, "content/projects/sky-link.md"),
        "the translation now differs"
    );
    assert!(pipeline::render(site.root(), None, &options()).is_err());
    // Both changed together, in either order of the watcher's list: fine again.
    site.edit(
        "content/projects/sky-link.ru.md",
        "stage: pilot",
        "stage: deployed",
    );
    cache.changed(
        [
            PathBuf::from("content/projects/sky-link.ru.md"),
            PathBuf::from("content/projects/sky-link.md"),
        ]
        .into_iter()
        .collect(),
    );
    pipeline::render_cached(site.root(), None, &options(), &mut cache).expect("consistent again");
    // A bundle folder moved out of the site (a file manager's delete) is noticed.
    site.write("content/projects/zeta/index.md", "---\ntitle: Zeta\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\n---\n");
    hinted(&site, &mut cache, "content/projects/zeta/index.md");
    let outside = tempfile::tempdir().unwrap();
    std::fs::rename(
        site.path("content/projects/zeta"),
        outside.path().join("zeta"),
    )
    .unwrap();
    let (_, patched) = hinted(&site, &mut cache, "content/projects/zeta");
    assert!(!patched);
}

#[test]
fn a_lapsed_embargo_is_not_patched_over() {
    let site = TestSite::base_with("-- content/pages/later.md --\n---\ntitle: Later\npublish_after: 2026-11-25T12:00:00Z\n---\nSoon.\n");
    let before = BuildOptions {
        drafts: true,
        embargoed: true,
        now: "2026-11-25T11:00:00Z".parse().unwrap(),
    };
    let after = BuildOptions {
        now: "2026-11-25T13:00:00Z".parse().unwrap(),
        ..before.clone()
    };
    let mut cache = Cache::default();
    pipeline::render_cached(site.root(), None, &before, &mut cache).unwrap();
    site.edit("content/pages/later.md", "Soon.", "Now.");
    cache.changed(
        [PathBuf::from("content/pages/later.md")]
            .into_iter()
            .collect(),
    );
    let inc = pipeline::render_cached(site.root(), None, &after, &mut cache).unwrap();
    let full = pipeline::render(site.root(), None, &after).unwrap();
    assert_eq!(bytes(&inc), bytes(&full));
}

#[test]
fn the_leak_guard_sees_every_patched_page() {
    let site = TestSite::base_with("-- content/pages/about.md --\n---\ntitle: About\ninternal: {phone: \"+7 702 000 11 22\"}\n---\nAbout the park.\n");
    let mut cache = Cache::default();
    same_as_full(&site, &mut cache);
    site.edit(
        "content/pages/about.md",
        "About the park.",
        "Call +7 702 000 11 22.",
    );
    assert!(fails_hinted(&site, &mut cache, "content/pages/about.md"));
    site.edit(
        "content/pages/about.md",
        "Call +7 702 000 11 22.",
        "About the park.",
    );
    hinted(&site, &mut cache, "content/pages/about.md");
    // A new internal value that a page already shows is found although no page changed.
    site.edit(
        "content/pages/about.md",
        "phone: \"+7 702 000 11 22\"",
        "phone: \"+7 702 000 11 22\", motto: \"About the park\"",
    );
    assert!(fails_hinted(&site, &mut cache, "content/pages/about.md"));
}

#[test]
fn the_leak_guard_reads_a_copied_file_again_when_it_changes() {
    let site = TestSite::base_with("-- content/pages/about.md --\n---\ntitle: About\ninternal: {code: \"Operation Nightjar\"}\n---\nAbout the park.\n-- static/notes.txt --\nNothing to see here, friends.\n");
    let mut cache = Cache::default();
    same_as_full(&site, &mut cache);
    // Unchanged copies are not read again; a changed one is, same length or not.
    hinted(&site, &mut cache, "content/pages/about.md");
    site.write("static/notes.txt", "Operation Nightjar, friends!!\n");
    assert!(fails_hinted(&site, &mut cache, "static/notes.txt"));
    site.write("static/notes.txt", "Nothing to see here, friends.\n");
    hinted(&site, &mut cache, "static/notes.txt");
    site.write("static/notes.txt", "The Operation Nightjar notes.\n");
    assert!(fails_hinted(&site, &mut cache, "static/notes.txt"));
}

#[test]
fn the_sharded_search_index_updates_to_the_full_builds_bytes() {
    // Enough projects for several shards of the search index (about 48 documents a shard).
    let mut text = String::from(BASE);
    for i in 0..120 {
        text.push_str(&format!(
            "-- content/projects/p{i:03}.md --\n---\ntitle: Project {i}\nsummary: Sensor number {i}\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 2\n---\nWord{i} body text with радиосвязь and ғарыш.\n"
        ));
    }
    let site = TestSite::new(&text);
    let mut cache = Cache::default();
    let first = render_both(&site, &mut cache);
    let shards = first
        .files
        .iter()
        .filter(|f| f.path.starts_with("search/t"))
        .count();
    assert!(shards > 1, "{shards} shard(s)");
    // The index files, by path, with the address of their bytes.
    let index = |r: &Rendered| -> Vec<(String, usize)> {
        r.files
            .iter()
            .filter(|f| f.path.ends_with(".json") && f.path.starts_with("search/"))
            .map(|f| match &f.data {
                Data::Bytes(b) => (f.path.clone(), std::sync::Arc::as_ptr(b) as usize),
                _ => (f.path.clone(), 0),
            })
            .collect()
    };
    let before = index(&first);
    // A body edit adds and removes terms; a summary edit changes a chunk and the field bits.
    site.edit("content/projects/p007.md", "Word7 body", "Newword body");
    cache.changed(
        [PathBuf::from("content/projects/p007.md")]
            .into_iter()
            .collect(),
    );
    let after = index(&render_both(&site, &mut cache));
    // Updated in place: the files the edit did not touch are the very same bytes, kept.
    let kept = before.iter().filter(|f| after.contains(f)).count();
    assert!(
        kept > 0 && kept < before.len(),
        "{kept} of {} index files kept",
        before.len()
    );
    site.edit(
        "content/projects/p042.md",
        "Sensor number 42",
        "Radio relay",
    );
    hinted(&site, &mut cache, "content/projects/p042.md");
    site.edit("content/projects/p042.md", "радиосвязь and ғарыш", "");
    hinted(&site, &mut cache, "content/projects/p042.md");
    // A new file changes the set of documents: the index is made again.
    site.write(
        "content/projects/zz.md",
        "---\ntitle: Zed\nsummary: Last\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\n---\nZed body.\n",
    );
    same_as_full(&site, &mut cache);
}

#[test]
fn a_resized_image_resizes_its_place_in_the_bodies() {
    let site = TestSite::new(&format!(
        "{BASE}-- content/projects/bundle/index.md --\n---\ntitle: Bundle\nsummary: B\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\n---\n![Map](map.svg)\n-- content/projects/bundle/map.svg --\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"></svg>\n"
    ));
    let mut cache = Cache::default();
    let first = render_both(&site, &mut cache);
    let page = |r: &Rendered| -> String {
        r.files
            .iter()
            .find(|f| f.path == "projects/bundle/index.html")
            .map(|f| match &f.data {
                Data::Bytes(b) => String::from_utf8_lossy(b).to_string(),
                _ => String::new(),
            })
            .unwrap()
    };
    assert!(
        page(&first).contains("width=\"40\" height=\"20\""),
        "{}",
        page(&first)
    );
    site.write(
        "content/projects/bundle/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"80\" height=\"30\"></svg>\n",
    );
    hinted(&site, &mut cache, "content/projects/bundle/map.svg");
    let again = render_both(&site, &mut cache);
    assert!(
        page(&again).contains("width=\"80\" height=\"30\""),
        "{}",
        page(&again)
    );
}
