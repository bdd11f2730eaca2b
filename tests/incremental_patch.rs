//! The preview's patch of sort facts (title, date, start, end, weight): after each
//! edit, hinted as the watcher hints it, the incremental render must equal a full render
//! byte for byte, warnings included; and a failed incremental render must report the errors
//! a full render reports.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{preview_options as options, rendered_bytes as bytes, TestSite, BASE};

use std::path::PathBuf;

use showcase::error::Errors;
use showcase::pipeline::{self, Cache};
use showcase::site::BuildOptions;

/// `showcase serve --no-drafts`: drafts left out, as `build` does.
fn no_drafts() -> BuildOptions {
    BuildOptions {
        drafts: false,
        embargoed: false,
        ..options()
    }
}

fn texts(errors: &Errors) -> Vec<String> {
    errors.iter().map(|e| e.to_string()).collect()
}

/// Tells the cache that `changed` were edited (plus an editor's temp file that came and
/// went, as `hinted` in tests/incremental.rs), renders incrementally and from scratch with
/// `opts`, and asserts both agree: the same files, bytes and warnings, or the same errors.
/// Returns whether the edit was patched into the last site, and whether the render failed.
fn check_with(
    site: &TestSite,
    cache: &mut Cache,
    changed: &[&str],
    opts: &BuildOptions,
) -> (bool, bool) {
    let mut paths: std::collections::BTreeSet<PathBuf> =
        changed.iter().map(PathBuf::from).collect();
    paths.insert(PathBuf::from("content/projects/sedXyZ12"));
    cache.changed(paths);
    let inc = pipeline::render_cached(site.root(), None, opts, cache);
    let full = pipeline::render(site.root(), None, opts);
    match (inc, full) {
        (Ok(inc), Ok(full)) => {
            let (a, b) = (bytes(&inc), bytes(&full));
            let names =
                |v: &[(String, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
            assert_eq!(
                names(&a),
                names(&b),
                "different file lists after editing {changed:?}"
            );
            for ((pa, ba), (_, bb)) in a.iter().zip(&b) {
                assert!(
                    ba == bb,
                    "{pa} differs between the incremental and the full render after editing {changed:?}:\n--- incremental\n{}\n--- full\n{}",
                    String::from_utf8_lossy(ba),
                    String::from_utf8_lossy(bb)
                );
            }
            assert_eq!(
                texts(&inc.warnings),
                texts(&full.warnings),
                "warnings differ after editing {changed:?}"
            );
            let patched = inc.timings.stages.iter().any(|(n, _)| *n == "patch");
            (patched, false)
        }
        (Err(inc), Err(full)) => {
            assert_eq!(
                texts(&inc),
                texts(&full),
                "errors differ after editing {changed:?}"
            );
            (false, true)
        }
        (Ok(_), Err(full)) => panic!(
            "the incremental render succeeded, the full render failed: {:?}",
            texts(&full)
        ),
        (Err(inc), Ok(_)) => panic!(
            "the incremental render failed, the full render succeeded: {:?}",
            texts(&inc)
        ),
    }
}

/// [`check_with`] with the preview's options; asserts the render succeeded and returns
/// whether it was patched.
fn check(site: &TestSite, cache: &mut Cache, changed: &[&str]) -> bool {
    let (patched, failed) = check_with(site, cache, changed, &options());
    assert!(!failed, "the edit of {changed:?} should build");
    patched
}

/// The first render, with an empty cache (a full one).
fn start(site: &TestSite, cache: &mut Cache, opts: &BuildOptions) {
    pipeline::render_cached(site.root(), None, opts, cache).expect("first render");
}

const MESH: &str = "content/projects/mesh-radio.md";
const SKY: &str = "content/projects/sky-link.md";
const SKY_RU: &str = "content/projects/sky-link.ru.md";
const DEMO: &str = "content/demos/demo-day-2025-12.md";
const NEWS: &str = "content/news/2025-11-24-opening.md";
const COHORT: &str = "content/cohorts/2025-autumn.yaml";
const ABOUT: &str = "content/pages/about.md";

fn project(slug: &str, title: &str, extra: &str) -> String {
    format!(
        "-- content/projects/{slug}.md --\n---\ntitle: {title}\nsummary: S {slug}\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 2\n{extra}---\nBody of {slug}.\n"
    )
}

#[test]
fn title_edits_in_originals_and_translations_and_ties() {
    let site = TestSite::base_with(&format!(
        "{}{}-- content/projects/mesh-radio.ru.md --\n---\ntitle: Меш радио\n---\nРусский.\n",
        project("alpha", "Alpha", ""),
        project("zulu", "Zulu", "")
    ));
    let mut cache = Cache::default();
    start(&site, &mut cache, &options());
    // A tie: two projects with one title (then the slug orders them).
    site.edit(MESH, "title: Mesh Radio", "title: Sky Link");
    assert!(check(&site, &mut cache, &[MESH]), "a title edit is patched");
    // A tie ignoring case.
    site.edit(MESH, "title: Sky Link", "title: sky link");
    assert!(check(&site, &mut cache, &[MESH]));
    // A translation's title (lists in ru show it, ordered by the original's).
    site.edit(SKY_RU, "title: Скай Линк", "title: Аааа");
    assert!(check(&site, &mut cache, &[SKY_RU]));
    site.edit(
        "content/projects/mesh-radio.ru.md",
        "title: Меш радио",
        "title: Яяя",
    );
    assert!(check(
        &site,
        &mut cache,
        &["content/projects/mesh-radio.ru.md"]
    ));
    // The original and its translation at once, in both orders of the hint.
    site.edit(SKY, "title: Sky Link", "title: Aardvark");
    site.edit(SKY_RU, "title: Аааа", "title: Скай Линк");
    assert!(check(&site, &mut cache, &[SKY_RU, SKY]));
    // The cohort page lists its projects by title; the home page features the first six.
    site.edit("content/projects/zulu.md", "title: Zulu", "title: Aaa");
    site.edit("content/projects/alpha.md", "title: Alpha", "title: Zzz");
    assert!(check(
        &site,
        &mut cache,
        &["content/projects/zulu.md", "content/projects/alpha.md"]
    ));
    // And back.
    site.edit("content/projects/zulu.md", "title: Aaa", "title: Zulu");
    site.edit("content/projects/alpha.md", "title: Zzz", "title: Alpha");
    site.edit(SKY, "title: Aardvark", "title: Sky Link");
    site.edit(MESH, "title: sky link", "title: Mesh Radio");
    assert!(check(
        &site,
        &mut cache,
        &[
            "content/projects/zulu.md",
            "content/projects/alpha.md",
            SKY,
            MESH
        ]
    ));
    // Page titles order `pages` too.
    site.edit(ABOUT, "title: About", "title: Zzz About");
    assert!(check(&site, &mut cache, &[ABOUT]));
}

#[test]
fn weights_added_removed_and_tied() {
    let site = TestSite::base_with(&format!(
        "{}{}-- content/pages/contact.md --\n---\ntitle: Contact\n---\nCall.\n",
        project("alpha", "Alpha", ""),
        project("zulu", "Zulu", "")
    ));
    let mut cache = Cache::default();
    start(&site, &mut cache, &options());
    let zulu = "content/projects/zulu.md";
    site.edit(zulu, "title: Zulu", "title: Zulu\nweight: 1");
    assert!(
        check(&site, &mut cache, &[zulu]),
        "a weight added is patched"
    );
    site.edit(MESH, "title: Mesh Radio", "title: Mesh Radio\nweight: 1");
    assert!(check(&site, &mut cache, &[MESH]), "a tie on weight");
    site.edit(MESH, "weight: 1", "weight: -5");
    assert!(check(&site, &mut cache, &[MESH]), "a negative weight");
    site.edit(zulu, "title: Zulu\nweight: 1", "title: Zulu");
    site.edit(MESH, "weight: -5", "weight: 9223372036854775807");
    assert!(
        check(&site, &mut cache, &[zulu, MESH]),
        "removed, and the largest"
    );
    site.edit(MESH, "\nweight: 9223372036854775807", "");
    assert!(check(&site, &mut cache, &[MESH]), "removed again");
    site.edit(ABOUT, "title: About", "title: About\nweight: 2");
    site.edit(
        "content/pages/contact.md",
        "title: Contact",
        "title: Contact\nweight: 1",
    );
    assert!(check(
        &site,
        &mut cache,
        &[ABOUT, "content/pages/contact.md"]
    ));
}

#[test]
fn demo_dates_moved_across_today() {
    // Today is 2026-11-25 in the test options.
    let site = TestSite::base_with(
        "-- content/demos/spring.md --\n---\ntitle: Spring demo\ndate: 2026-12-01\ncohort: 2025-autumn\nprojects: [mesh-radio]\n---\nSoon.\n",
    );
    let mut cache = Cache::default();
    start(&site, &mut cache, &options());
    let spring = "content/demos/spring.md";
    for (from, to) in [
        ("2026-12-01", "2026-11-24"), // next demo gone: it is the last one now
        ("2026-11-24", "2026-11-25"), // today counts as next
        ("2026-11-25", "2025-12-10"), // a tie with the other demo day, both past
    ] {
        site.edit(spring, &format!("date: {from}"), &format!("date: {to}"));
        assert!(check(&site, &mut cache, &[spring]), "{from} -> {to}");
    }
    // Both moved at once, across each other and across today.
    site.edit(spring, "date: 2025-12-10", "date: 2020-01-01");
    site.edit(DEMO, "date: 2025-12-10", "date: 2030-01-01");
    assert!(check(&site, &mut cache, &[spring, DEMO]));
    // And back.
    site.edit(spring, "date: 2020-01-01", "date: 2026-12-01");
    site.edit(DEMO, "date: 2030-01-01", "date: 2025-12-10");
    assert!(check(&site, &mut cache, &[DEMO, spring]));
}

#[test]
fn news_dates_reorder_the_pagination() {
    let mut extra = String::from("-- site.yaml --\ntitle: Test Park\nbase_url: https://test.example.kz/sub/\nnews_per_page: 1\nlanguages:\n  ru: { title: Тестовый парк }\n  kk: { title: Сынақ паркі }\nareas:\n  telecom: { en: Telecommunications, ru: Телекоммуникации }\n  satellite: Satellite solutions\n");
    for (d, slug) in [("2025-10-01", "second"), ("2025-09-01", "third")] {
        extra.push_str(&format!(
            "-- content/news/{d}-{slug}.md --\n---\ntitle: {slug}\nprojects: [mesh-radio]\n---\nNews {slug}.\n"
        ));
    }
    extra.push_str(
        "-- content/news/2025-10-01-second.ru.md --\n---\ntitle: второй\n---\nНовость.\n",
    );
    let site = TestSite::base_with(&extra);
    let mut cache = Cache::default();
    start(&site, &mut cache, &options());
    let third = "content/news/2025-09-01-third.md";
    let second = "content/news/2025-10-01-second.md";
    // The oldest becomes the newest (page 3 -> page 1), with a `date:` over the file name's.
    site.edit(third, "title: third", "title: third\ndate: 2026-01-01");
    assert!(check(&site, &mut cache, &[third]));
    // A tie on date: the slug orders them.
    site.edit(third, "date: 2026-01-01", "date: 2025-11-24");
    assert!(check(&site, &mut cache, &[third]));
    // Two at once, the second with a translation (which keeps its file name's date).
    site.edit(second, "title: second", "title: second\ndate: 2024-01-01");
    site.edit(
        NEWS,
        "title: The park opens",
        "title: The park opens\ndate: 2027-01-01",
    );
    assert!(check(&site, &mut cache, &[second, NEWS]));
    // `updated:` moves the feed's and the sitemap's dates, not the order.
    site.edit(
        NEWS,
        "date: 2027-01-01",
        "date: 2027-01-01\nupdated: 2027-02-02",
    );
    assert!(check(&site, &mut cache, &[NEWS]));
    // Back to the file names' dates.
    site.edit(NEWS, "\ndate: 2027-01-01\nupdated: 2027-02-02", "");
    site.edit(second, "\ndate: 2024-01-01", "");
    site.edit(third, "\ndate: 2025-11-24", "");
    assert!(check(&site, &mut cache, &[NEWS, second, third]));
}

#[test]
fn cohort_start_and_end_reorder_the_cohorts() {
    let site = TestSite::base_with(
        "-- content/cohorts/2026-spring.yaml --\ntitle: Spring 2026\nstart: 2026-02-01\nend: 2026-05-01\ntrack: Space\nbody: |\n  Spring.\n-- content/cohorts/2026-spring.ru.yaml --\ntitle: Весна 2026\nbody: |\n  Весна.\n",
    );
    let mut cache = Cache::default();
    start(&site, &mut cache, &options());
    let spring = "content/cohorts/2026-spring.yaml";
    site.edit(COHORT, "start: 2025-09-01", "start: 2027-01-01");
    site.edit(COHORT, "end: 2025-12-15", "end: 2027-06-01");
    assert!(check(&site, &mut cache, &[COHORT]), "autumn now first");
    site.edit(spring, "start: 2026-02-01", "start: 2027-01-01");
    site.edit(spring, "end: 2026-05-01", "end: 2027-06-01");
    assert!(check(&site, &mut cache, &[spring]), "a tie on start");
    site.edit(spring, "end: 2027-06-01", "end: 2027-01-01");
    assert!(check(&site, &mut cache, &[spring]), "an end edit");
    // An end before the start: an error in both renders.
    site.edit(spring, "end: 2027-01-01", "end: 2026-12-31");
    assert!(check_with(&site, &mut cache, &[spring], &options()).1);
    site.edit(spring, "end: 2026-12-31", "end: 2027-01-01");
    check(&site, &mut cache, &[spring]);
    site.edit(COHORT, "start: 2027-01-01", "start: 2025-09-01");
    site.edit(COHORT, "end: 2027-06-01", "end: 2025-12-15");
    site.edit(spring, "start: 2027-01-01", "start: 2026-02-01");
    site.edit(spring, "end: 2027-01-01", "end: 2026-05-01");
    assert!(check(&site, &mut cache, &[spring, COHORT]), "and back");
}

#[test]
fn a_title_edit_with_a_body_error_then_back() {
    let site = TestSite::new(BASE);
    let mut cache = Cache::default();
    start(&site, &mut cache, &options());
    site.edit(MESH, "title: Mesh Radio", "title: Aaa Radio");
    site.edit(MESH, "Mesh radios.", "Mesh [radios](/projects/nope/).");
    let (_, failed) = check_with(&site, &mut cache, &[MESH], &options());
    assert!(failed, "a broken link fails");
    // Fixed, title kept: the next render starts over and still matches.
    site.edit(MESH, "Mesh [radios](/projects/nope/).", "Mesh radios.");
    check(&site, &mut cache, &[MESH]);
    // Back, patched again.
    site.edit(MESH, "title: Aaa Radio", "title: Mesh Radio");
    assert!(
        check(&site, &mut cache, &[MESH]),
        "patched once the site is good again"
    );
    // A date error in one file and a title edit in another.
    site.edit(DEMO, "date: 2025-12-10", "date: 2025-13-10");
    site.edit(SKY, "title: Sky Link", "title: Aaa Link");
    let (_, failed) = check_with(&site, &mut cache, &[DEMO, SKY], &options());
    assert!(failed);
    site.edit(DEMO, "date: 2025-13-10", "date: 2025-12-10");
    site.edit(SKY, "title: Aaa Link", "title: Sky Link");
    check(&site, &mut cache, &[DEMO, SKY]);
}

#[test]
fn featured_and_stage_edits_are_patched_like_a_full_build() {
    let site = TestSite::base_with(&project("alpha", "Alpha", ""));
    let mut cache = Cache::default();
    start(&site, &mut cache, &options());
    site.edit(
        MESH,
        "title: Mesh Radio",
        "title: Mesh Radio\nfeatured: true",
    );
    check(&site, &mut cache, &[MESH]);
    site.edit(MESH, "stage: prototype", "stage: deployed");
    check(&site, &mut cache, &[MESH]);
    site.edit(MESH, "stage: deployed", "stage: prototype");
    site.edit(MESH, "\nfeatured: true", "");
    check(&site, &mut cache, &[MESH]);
}

// --- Failed on 695e7ab (review of the patch path); fixed since. ---

/// The preview with drafts left out (`serve --no-drafts`): a reference to a draft is a
/// warning at the line of `projects:`. An edit that moves that line must give the new line
/// (as a full render does): such an edit takes the full load, not the patch.
#[test]
fn reference_warnings_follow_a_patched_edit() {
    let site = TestSite::base_with(&project("secret", "Secret", "draft: true\n"));
    site.edit(
        DEMO,
        "projects: [sky-link, mesh-radio]",
        "projects: [sky-link, mesh-radio, secret]",
    );
    let mut cache = Cache::default();
    start(&site, &mut cache, &no_drafts());
    site.edit(
        DEMO,
        "title: Demo Day December 2025",
        "title: Demo Day December 2025\nweight: 3",
    );
    let (patched, failed) = check_with(&site, &mut cache, &[DEMO], &no_drafts());
    assert!(!failed && !patched);
}

/// Two files edited at once, one that no longer parses and one with a broken link: a full
/// render reports both; the patch stops at the parse error.
#[test]
fn errors_of_several_edited_files_are_all_reported() {
    let site = TestSite::new(BASE);
    let mut cache = Cache::default();
    start(&site, &mut cache, &options());
    site.edit(ABOUT, "title: About", "title: [");
    site.edit(MESH, "Mesh radios.", "Mesh [radios](/projects/nope/).");
    let (_, failed) = check_with(&site, &mut cache, &[ABOUT, MESH], &options());
    assert!(failed);
}

/// A translation that now differs from its original and has a broken link: a full render
/// reports both; the patch stops at the translation check.
#[test]
fn a_translation_mismatch_and_a_body_error_are_both_reported() {
    let site = TestSite::new(BASE);
    let mut cache = Cache::default();
    start(&site, &mut cache, &options());
    site.edit(
        SKY_RU,
        "title: Скай Линк",
        "title: Скай Линк\nstage: deployed",
    );
    site.edit(
        SKY_RU,
        "Скай Линк работает",
        "Скай Линк [работает](/projects/nope/)",
    );
    let (_, failed) = check_with(&site, &mut cache, &[SKY_RU], &options());
    assert!(failed);
}
