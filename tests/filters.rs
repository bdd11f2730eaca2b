//! The filters of `/projects/` in a browser (issue 14, items 9 and 12): they work over the
//! whole catalogue from any page of the list, keep their state in the URL and across the
//! language switcher (as the search page keeps its query), read a stale shared URL sensibly, never lock a choice, and say so
//! (with a reset) when nothing matches.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use serde_json::{json, Value};
use support::browser::{chromium_required, launch, Page};
use support::TestSite;

/// 30 projects, 10 a page, in three areas; stage by `i % 4`, TRL `i % 9 + 1`.
fn site() -> TestSite {
    let site = TestSite::new(
        "-- site.yaml --
title: Filters
base_url: https://filters.example.kz
languages: { ru: { title: Фильтры }, kk: { title: Сүзгілер } }
areas: { uav: UAV, iot: IoT, space: { en: Space, ru: Космос } }
projects_per_page: 10
",
    );
    for c in ["c1", "c2"] {
        site.write(
            &format!("content/cohorts/{c}.md"),
            &format!("---\ntitle: Cohort {c}\nstart: 2025-01-01\nend: 2025-06-30\n---\n"),
        );
    }
    let areas = ["uav", "iot", "space"];
    let stages = ["idea", "prototype", "pilot", "deployed"];
    for i in 0..30 {
        site.write(
            &format!("content/projects/p{i:02}.md"),
            &format!(
                "---\ntitle: Project {i:02}\nsummary: Summary {i}.\nstage: {}\ntrl: {}\nareas: [{}]\n{}---\nBody.\n",
                stages[i % 4],
                i % 9 + 1,
                areas[i % 3],
                if i < 5 { "cohort: c1\n" } else { "cohort: c2\n" }
            ),
        );
    }
    site
}

fn shown(page: &mut Page) -> Vec<String> {
    let v = page.eval(
        "JSON.stringify(Array.from(document.querySelectorAll('#project-list > li:not([hidden]) .card-title a')).map(a => a.textContent))",
    );
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn filters_work_over_the_whole_catalogue_from_any_page() {
    let bin = chromium_required();
    let site = site();
    let server = site.serve(&[]);
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    page.call("Runtime.enable", json!({}));
    page.call("Log.enable", json!({}));
    let base = format!("http://{}", server.addr);

    // Page 2 of the list, filtered by area: the ten uav projects of all three pages.
    page.navigate(&format!("{base}/projects/page/2/?area=uav"));
    assert!(
        page.wait_for(
            "document.getElementById('filter-status').textContent === 'Shown: 10 of 30'",
            15
        ),
        "status: {}",
        page.eval("document.getElementById('filter-status').textContent")
    );
    let uav: Vec<String> = (0..30)
        .filter(|i| i % 3 == 0)
        .map(|i| format!("Project {i:02}"))
        .collect();
    assert_eq!(shown(&mut page), uav);
    // The page's own pager is hidden while a filter is on; the cards link to their pages.
    assert_eq!(
        page.eval("document.querySelector('.listing .pager').hidden"),
        json!(true)
    );
    assert_eq!(
        page.eval("document.querySelector('#project-list .card-title a').getAttribute('href')"),
        json!(format!("{base}/projects/p00/"))
    );
    // The option counts are over the whole catalogue: stage idea among uav projects.
    assert_eq!(
        page.eval("document.querySelector('select[name=stage] option[value=idea]').textContent"),
        json!("Idea (3)")
    );
    // The language switcher keeps the choice.
    assert_eq!(
        page.eval("document.querySelector('.lang-switch a[hreflang=ru]').getAttribute('href')"),
        json!("/ru/projects/page/2/?area=uav")
    );

    // A choice that matches nothing: no option is disabled, the empty message is the
    // filters' own (not search's), and its reset button brings the page back.
    page.eval("{ const f = document.getElementById('project-filter'); f.elements.cohort.value = 'c1'; f.elements.stage.value = 'pilot'; f.dispatchEvent(new Event('change')); }");
    assert!(page.wait_for("!document.getElementById('filter-empty').hidden", 5));
    assert_eq!(
        page.eval("document.querySelectorAll('#project-filter option[disabled]').length"),
        json!(0)
    );
    let message = page.eval("document.getElementById('filter-empty').textContent");
    assert!(
        message
            .as_str()
            .unwrap()
            .contains("No projects match these filters"),
        "{message}"
    );
    assert!(!message.as_str().unwrap().contains("Try another word"));
    // uav (0, 3, ...) in c1 (0..5) at pilot (i % 4 == 2): none; choosing another stage
    // without resetting anything works.
    page.eval("{ const f = document.getElementById('project-filter'); f.elements.stage.value = 'idea'; f.dispatchEvent(new Event('change')); }");
    assert!(page.wait_for("document.getElementById('filter-empty').hidden", 5));
    assert_eq!(shown(&mut page), vec!["Project 00".to_string()]);
    page.eval("{ const f = document.getElementById('project-filter'); f.elements.stage.value = 'pilot'; f.dispatchEvent(new Event('change')); }");
    assert!(page.wait_for("!document.getElementById('filter-empty').hidden", 5));
    page.eval("document.querySelector('#filter-empty button[type=reset]').click()");
    assert!(page.wait_for("document.querySelectorAll('#project-list > li').length === 10 && !document.querySelector('.listing .pager').hidden", 5));
    assert!(page.wait_for("location.search === ''", 5));

    // A stale shared URL with the TRL range backwards reads it the right way round.
    page.navigate(&format!(
        "{base}/ru/projects/?trl_min=8&trl_max=3&area=gone"
    ));
    assert!(page.wait_for(
        "document.getElementById('filter-status').textContent.startsWith('Показано: ')",
        15
    ));
    let expected = (0..30).filter(|i| (3..=8).contains(&(i % 9 + 1))).count();
    assert_eq!(shown(&mut page).len(), 10, "a page of results first");
    assert!(
        page.wait_for("location.search === '?trl_min=3&trl_max=8'", 5),
        "{}",
        page.eval("location.search")
    );
    // "Show more" pages through the results ten at a time.
    assert_eq!(expected, 19);
    assert_eq!(
        page.eval("document.querySelectorAll('#project-list > li').length"),
        json!(10)
    );
    page.eval("document.querySelector('.filter-more').click()");
    assert!(page.wait_for("document.querySelectorAll('#project-list > li').length === 19 && document.querySelector('.filter-more').hidden", 5));
    // Russian names where there are: the area tag of a space project.
    assert!(page
        .eval("document.getElementById('project-list').textContent")
        .as_str()
        .unwrap()
        .contains("Космос"));
    // An area named only in English is marked so on the cards the script draws.
    assert_eq!(
        page.eval("(() => { const t = Array.from(document.querySelectorAll('#project-list .tag')).filter(t => t.textContent === 'UAV'); return t.length > 0 && t.every(t => t.lang === 'en'); })()"),
        json!(true)
    );

    // The search page's switcher keeps the query too.
    page.navigate(&format!("{base}/search/?q=project"));
    assert!(page.wait_for(
        "document.querySelector('.lang-switch a[hreflang=kk]').getAttribute('href') === '/kk/search/?q=project'",
        10
    ), "{}", page.eval("document.querySelector('.lang-switch a[hreflang=kk]').getAttribute('href')"));
    assert_eq!(page.errors(), Vec::<String>::new(), "console errors");
}

/// Evaluated in every document the page opens from now on: `fetch` answers the filter index
/// with `status` and `body` instead of the server (a missing, broken or tampered index).
fn fake_index(page: &mut Page, status: u16, body: &str) -> Value {
    let script = format!(
        "(() => {{ const real = window.fetch; window.fetch = (u, o) => String(u).includes('filter-index.json') ? Promise.resolve(new Response({}, {{ status: {status} }})) : real(u, o); }})()",
        json!(body)
    );
    page.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": script }),
    )["result"]["identifier"]
        .clone()
}

#[test]
#[cfg_attr(
    not(showcase_browser),
    ignore = "needs headless Chromium (Debian's `chromium`), not found when the tests were built"
)]
fn issue_14_hostile_urls_text_and_indexes_leave_the_filters_safe() {
    let bin = chromium_required();
    let site = site();
    let title = "<img src=x onerror=\"window.__pwned=1\"> & co";
    let summary = "<script>window.__pwned=2</script>";
    site.write(
        "content/projects/p00.md",
        &format!(
            "---\ntitle: {}\nsummary: {}\nstage: idea\ntrl: 1\nareas: [uav]\ncohort: c1\n---\nBody.\n",
            json!(title),
            json!(summary)
        ),
    );
    let server = site.serve(&[]);
    let browser = launch(&bin);
    let mut page = Page::open(&browser, "about:blank");
    page.call("Runtime.enable", json!({}));
    page.call("Page.enable", json!({}));
    let base = format!("http://{}", server.addr);

    // A shared URL gone wrong: a repeated area, a TRL that is no number, markup as a stage
    // and a cohort, a parameter of another page with markup, and 6,000 characters of
    // padding. The known choices are kept once, the rest of the query is left alone, and
    // the cards the script draws show the project's text as text.
    let pad = "a".repeat(6000);
    page.navigate(&format!(
        "{base}/projects/page/2/?area=uav&area=iot&trl_min=abc&trl_max=9&stage=%3Cscript%3E&cohort=%22%3E%3Cimg&x=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D3%3E&pad={pad}"
    ));
    assert!(
        page.wait_for(
            "document.getElementById('filter-status').textContent === 'Shown: 10 of 30'",
            15
        ),
        "status: {}",
        page.eval("document.getElementById('filter-status').textContent")
    );
    let params = page.eval(
        "(() => { const p = new URLSearchParams(location.search); return [p.getAll('area'), p.get('trl_min'), p.get('trl_max'), p.get('stage'), p.get('cohort'), p.get('x'), p.get('pad').length]; })()",
    );
    assert_eq!(
        params,
        json!([
            ["uav"],
            null,
            "9",
            null,
            null,
            "<img src=x onerror=window.__pwned=3>",
            6000
        ])
    );
    assert_eq!(
        page.eval("document.querySelector('#project-list .card-title a').textContent"),
        json!(title)
    );
    assert_eq!(
        page.eval("document.querySelector('#project-list .card-text').textContent"),
        json!(summary)
    );
    assert_eq!(
        page.eval("document.querySelectorAll('#project-list img, #project-list script, .lang-switch img').length"),
        json!(0)
    );
    assert_eq!(page.eval("typeof window.__pwned"), json!("undefined"));
    assert_eq!(page.errors(), Vec::<String>::new(), "console errors");

    // The index missing (404) or broken: the filters work on the page's own cards and say
    // so. Page 2 holds projects 10 to 19, of which 12, 15 and 18 are uav.
    let failed = page.eval("document.getElementById('project-filter').dataset.tFailed");
    let failed = failed.as_str().unwrap().to_string();
    for (status, body) in [
        (404, ""),
        (200, "{\"v\":1,\"projects\":[["),
        (200, "{\"v\":1}"),
    ] {
        let id = fake_index(&mut page, status, body);
        page.navigate(&format!("{base}/projects/page/2/?area=uav"));
        let expected = format!("Shown: 3 of 30 {failed}");
        assert!(
            page.wait_for(
                &format!(
                    "document.getElementById('filter-status').textContent === {}",
                    json!(expected)
                ),
                15
            ),
            "{status} {body}: {}",
            page.eval("document.getElementById('filter-status').textContent")
        );
        assert_eq!(shown(&mut page), ["Project 12", "Project 15", "Project 18"]);
        assert_eq!(
            page.eval("document.querySelector('.listing .pager').hidden"),
            json!(true)
        );
        page.call(
            "Page.removeScriptToEvaluateOnNewDocument",
            json!({ "identifier": id }),
        );
    }

    // A tampered index: markup is text, and a card's link stays a page of /projects/.
    let id = fake_index(
        &mut page,
        200,
        r#"{"v":1,"areas":["uav"],"stages":["idea"],"cohorts":[],"projects":[["<b>x</b>","javascript:window.__pwned=4//","s",0,5,-1,[0],0,"en\" onclick=\"x",""]]}"#,
    );
    page.navigate(&format!("{base}/projects/?area=uav"));
    assert!(page.wait_for(
        "document.getElementById('filter-status').textContent === 'Shown: 1 of 1'",
        15
    ));
    let card = page.eval(
        "(() => { const a = document.querySelector('#project-list .card-title a'); return [a.textContent, a.querySelectorAll('*').length, a.href.startsWith(location.origin + '/projects/'), a.closest('h3').getAttribute('onclick')]; })()",
    );
    assert_eq!(card, json!(["<b>x</b>", 0, true, null]));
    page.call(
        "Page.removeScriptToEvaluateOnNewDocument",
        json!({ "identifier": id }),
    );
    assert_eq!(page.eval("typeof window.__pwned"), json!("undefined"));
}
