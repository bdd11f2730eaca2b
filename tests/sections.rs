//! Section intros (issue 15): `content/SECTION/_index.md` opens that section's list page, as
//! Hugo's and Zola's `_index.md` do, per language with the home intro's fallback chain.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::TestSite;

/// Two projects a page apart, an English and a Russian intro of `/projects/`, an English
/// intro without title of `/news/`, and a draft intro of `/demos/`.
const SITE: &str = r#"
-- site.yaml --
title: Intro Park
base_url: https://intro.example.kz
projects_per_page: 1
languages:
  ru: { title: Парк }
  kk: { title: Парк kk }
fallback: { kk: [ru, en], ru: [en], en: [ru] }
areas:
  radio: { en: Radio }
-- content/cohorts/c1.md --
---
title: Cohort One
start: 2026-09-01
end: 2026-11-25
---
-- content/projects/a.md --
---
title: Alpha
summary: A.
cohort: c1
areas: [radio]
stage: idea
trl: 2
---
-- content/projects/b.md --
---
title: Beta
summary: B.
cohort: c1
areas: [radio]
stage: idea
trl: 3
---
-- content/projects/_index.md --
---
title: Our startups
internal:
  note: SECRET-INTRO-NOTE
---
Startups of the **park**.
-- content/projects/_index.ru.md --
---
title: Наши стартапы
---
Стартапы парка.
-- content/news/_index.md --
---
---
News of the park.
-- content/demos/_index.md --
---
draft: true
---
Draft intro of demo days.
"#;

#[test]
fn an_intro_opens_the_first_page_of_its_list_in_every_language() {
    let site = TestSite::new(SITE);
    site.build();
    let en = site.read("projects/index.html");
    assert!(en.contains("<h1>Our startups</h1>"), "{en}");
    assert!(
        en.contains("Startups of the <strong>park</strong>."),
        "{en}"
    );
    // Not a project: no page of its own, no card.
    assert!(!site.path("public/projects/_index").exists());
    assert!(!en.contains("/projects/_index/"));
    let page2 = site.read("projects/page/2/index.html");
    assert!(!page2.contains("Startups of the"), "{page2}");
    assert!(page2.contains("Beta") || en.contains("Beta"));

    let ru = site.read("ru/projects/index.html");
    assert!(ru.contains("<h1>Наши стартапы</h1>"), "{ru}");
    assert!(ru.contains("Стартапы парка."), "{ru}");
    // kk falls back to ru first, and marks the borrowed text with its language.
    let kk = site.read("kk/projects/index.html");
    assert!(kk.contains(r#"<h1 lang="ru">Наши стартапы</h1>"#), "{kk}");
    assert!(
        kk.contains(r#"<div class="content lead" lang="ru">"#),
        "{kk}"
    );
    assert!(kk.contains("Стартапы парка."), "{kk}");

    // An intro without a title keeps the theme's; Russian borrows the English body.
    let news = site.read("news/index.html");
    assert!(news.contains("<h1>News</h1>"), "{news}");
    assert!(news.contains("News of the park."), "{news}");
    let ru = site.read("ru/news/index.html");
    assert!(
        ru.contains(r#"<div class="content lead" lang="en">"#),
        "{ru}"
    );

    // A draft intro is held back; `internal:` never reaches the output.
    assert!(!site.read("demos/index.html").contains("Draft intro"));
    for f in [
        "projects/index.html",
        "ru/projects/index.html",
        "search-index.json",
    ] {
        if site.path(&format!("public/{f}")).exists() {
            assert!(!site.read(f).contains("SECRET-INTRO-NOTE"), "{f}");
        }
    }
}

#[test]
fn a_wrong_field_in_an_intro_is_an_error_at_its_line() {
    // A misspelt field: suggested.
    let site = TestSite::new(&format!(
        "{SITE}-- content/cohorts/_index.md --\n---\ntitle: Batches\ntitel: Batches\n---\nText.\n"
    ));
    let err = site.fails();
    assert!(
        err.contains("content/cohorts/_index.md:3")
            && err.contains("unknown field `titel` for a section intro")
            && err.contains("did you mean `title`?"),
        "{err}"
    );
    // A field of a project, not of an intro (an intro has no page, so no slug either).
    for field in ["stage: idea", "slug: x"] {
        let site = TestSite::new(&format!(
            "{SITE}-- content/cohorts/_index.md --\n---\ntitle: Batches\n{field}\n---\nText.\n"
        ));
        let err = site.fails();
        let name = field.split(':').next().unwrap();
        assert!(
            err.contains("content/cohorts/_index.md:3")
                && err.contains(&format!("a section intro has no field `{name}`"))
                && err.contains("help: a section intro has the fields: title, draft"),
            "{err}"
        );
        // Read as an intro, not as a cohort missing its dates.
        assert!(!err.contains("start"), "{err}");
    }
}

#[test]
fn pages_have_no_list_and_so_no_intro() {
    let site = TestSite::new(&format!(
        "{SITE}-- content/pages/_index.md --\n---\ntitle: X\n---\nText.\n"
    ));
    let err = site.fails();
    assert!(
        err.contains("content/pages/_index.md") && err.contains("no list page"),
        "{err}"
    );
}

#[test]
fn a_cohorts_intro_shows_on_the_cohorts_list() {
    let site = TestSite::new(&format!(
        "{SITE}-- content/cohorts/_index.md --\n---\ntitle: Batches\n---\nAbout batches.\n-- content/cohorts/_index.kk.md --\n---\ntitle: Топтар\n---\nТоптар туралы.\n"
    ));
    site.build();
    let kk = site.read("kk/cohorts/index.html");
    assert!(
        kk.contains("<h1>Топтар</h1>") && kk.contains("Топтар туралы."),
        "{kk}"
    );
    // Russian has no intro of its own: its chain leads to English.
    let ru = site.read("ru/cohorts/index.html");
    assert!(
        ru.contains(r#"<h1 lang="en">Batches</h1>"#) && ru.contains("About batches."),
        "{ru}"
    );
}
