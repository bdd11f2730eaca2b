//! One fixture per error class: the exact `PATH:LINE:COL: message` and `help:` a user sees,
//! from `build` and `check` alike, and what a failed build leaves behind.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{assert_has, TestSite};

/// Builds the base site with `extra` files and returns stderr, asserting a failed build
/// that wrote nothing and that `check` prints the same errors.
fn errors(extra: &str) -> String {
    TestSite::base_with(extra).fails()
}

#[test]
fn yaml_syntax_error_gives_the_file_line() {
    let e = errors("-- content/projects/bad.md --\n---\ntitle: Bad\nsummary: \"unclosed\nstage: idea\n---\nBody\n");
    // The quote opens on line 3; the parser runs out of text at line 5.
    assert_has(&e, "error: content/projects/bad.md:3:10: the quote `\"` that starts this value is never closed\n  help: end the value with `\"` on the same line");
}

#[test]
fn unknown_field_is_named_with_a_suggestion() {
    let e = errors(
        "-- content/news/2025-01-02-x.md --\n---\ntitle: X\npublish_afer: 2030-01-01\n---\n",
    );
    assert_has(&e, "error: content/news/2025-01-02-x.md:3:1: unknown field `publish_afer` for a news\n  help: did you mean `publish_after`?");
}

#[test]
fn field_of_another_kind_is_an_error() {
    let e = errors("-- content/news/2025-01-02-x.md --\n---\ntitle: X\ntrl: 3\n---\n");
    assert_has(
        &e,
        "error: content/news/2025-01-02-x.md:3:1: a news has no field `trl`",
    );
}

#[test]
fn wrong_type_points_at_the_value() {
    let e = errors("-- content/projects/sky-link.md --\n---\ntitle: Sky Link\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: pilot\ntrl: \"7a\"\n---\n");
    assert_has(&e, "error: content/projects/sky-link.md:7:6: `trl` is a whole number, not the text `7a`\n  help: write digits only: `trl: 7`");
}

#[test]
fn draft_must_be_a_boolean() {
    let e = errors("-- content/pages/x.md --\n---\ntitle: X\ndraft: yes\n---\n");
    assert_has(
        &e,
        "error: content/pages/x.md:3:8: `draft` is `true` or `false`, not the text `yes`\n  help: write `draft: true`",
    );
}

#[test]
fn duplicate_keys_are_errors() {
    let e = errors("-- content/pages/x.md --\n---\ntitle: X\ndraft: true\ndraft: false\n---\n");
    assert_has(&e, "error: content/pages/x.md:4:1: `draft` is given twice\n  help: keep one of them: YAML would not know which one you meant");
}

#[test]
fn missing_required_fields_are_all_listed() {
    let e = errors("-- content/projects/x.md --\n---\ntitle: X\n---\n");
    for f in ["summary", "cohort", "areas", "stage", "trl"] {
        assert_has(
            &e,
            &format!("error: content/projects/x.md:1: the required field `{f}` is missing"),
        );
    }
}

#[test]
fn bad_enum_and_range_and_length() {
    let long = "x".repeat(281);
    let e = errors(&format!("-- content/projects/x.md --\n---\ntitle: X\nsummary: {long}\ncohort: 2025-autumn\nareas: [telecom]\nstage: pilott\ntrl: 12\ndate: 2025-02-30\n---\n"));
    assert_has(
        &e,
        "error: content/projects/x.md:3:1: the summary is 281 characters long; the limit is 280",
    );
    assert_has(
        &e,
        "error: content/projects/x.md:6:1: `pilott` is not a stage\n  help: did you mean `pilot`?",
    );
    assert_has(&e, "error: content/projects/x.md:7:1: TRL 12 is out of range\n  help: the technology readiness level is a whole number from 1 to 9");
    assert_has(
        &e,
        "error: content/projects/x.md:8:1: `2025-02-30` is not a valid date",
    );
}

#[test]
fn dangling_references_point_at_the_slug() {
    let e = errors("-- content/demos/d.md --\n---\ntitle: D\ndate: 2025-01-01\ncohort: 2025-autum\nprojects:\n  - sky-link\n  - mesh-radoi\n---\n");
    assert_has(&e, "error: content/demos/d.md:4:9: `cohort` names the cohort `2025-autum`, which does not exist\n  help: did you mean `2025-autumn`?");
    assert_has(&e, "error: content/demos/d.md:7:5: `projects` names the project `mesh-radoi`, which does not exist\n  help: did you mean `mesh-radio`?");
}

#[test]
fn unknown_area_is_an_error() {
    let e = errors("-- content/projects/x.md --\n---\ntitle: X\nsummary: S\ncohort: 2025-autumn\nareas: [telecom, satelite]\nstage: idea\ntrl: 1\n---\n");
    assert_has(&e, "error: content/projects/x.md:5:18: `satelite` is not an area of this site\n  help: did you mean `satellite`?");
}

#[test]
fn two_items_with_one_url() {
    let e = errors("-- content/projects/mesh-radio/index.md --\n---\ntitle: M\n---\n-- content/pages/x.md --\n---\ntitle: X\nslug: about\n---\n");
    assert_has(&e, "error: content/projects/mesh-radio.md: two files define the same project: content/projects/mesh-radio/index.md and content/projects/mesh-radio.md");
    assert_has(
        &e,
        "error: content/pages/x.md: the URL /about/ is also claimed by content/pages/about.md",
    );
}

#[test]
fn names_differing_only_in_case_collide() {
    let e = errors("-- content/pages/About.md --\n---\ntitle: X\n---\n");
    assert!(
        e.contains("the URL /about/ is also claimed by content/pages/About.md")
            || e.contains("the URL /About/ is also claimed by content/pages/about.md"),
        "{e}"
    );
}

#[test]
fn unsafe_slugs_are_rejected() {
    let e = errors("-- content/pages/x.md --\n---\ntitle: X\nslug: ../etc\n---\n");
    assert_has(&e, "error: content/pages/x.md:3:1: the slug `../etc` must not start with a dot or contain `..`");
}

#[test]
fn broken_internal_links_in_both_forms() {
    let e = errors("-- content/pages/x.md --\n---\ntitle: X\n---\nFirst line.\n\nSee [a](@/projects/sky-lnk.md) and\n[b](/projects/nowhere/).\n");
    assert_has(&e, "error: content/pages/x.md:6:5: the internal link `@/projects/sky-lnk.md` points to no content file\n  help: did you mean `@/projects/sky-link.md`?");
    assert_has(&e, "error: content/pages/x.md:7:1: the internal link `/projects/nowhere/` points to no page or file of the site");
}

/// Every page the site makes is a link target, whatever its kind: the one page list feeds
/// the link check, so the pages it lacked once (search, stages, feeds, the site-wide files,
/// further news pages) resolve like the rest.
#[test]
fn links_to_every_kind_of_generated_page_resolve() {
    let links = [
        "/search/",
        "/ru/search/",
        "/kk/stages/idea/",
        "/stages/pilot/",
        "/news/atom.xml",
        "/ru/news/atom.xml",
        "/news/page/1/",
        "/areas/telecom/",
        "/kk/areas/",
        "/sitemap.xml",
        "/robots.txt",
        "/404.html",
        "/search-index.json",
        // The same pages written as the files the server sends, or percent-encoded.
        "/index.html",
        "/projects/index.html",
        "/ru/news/page/1/index.html",
        "/projects/sky%2Dlink/",
        "/%70rojects/",
    ];
    let body: String = links.iter().map(|l| format!("[x]({l}) ")).collect();
    let site = TestSite::base_with(&format!(
        "-- content/pages/links.md --\n---\ntitle: L\n---\n{body}\n"
    ));
    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);

    // The pages that do not exist stay errors: one news page only, no stage `nowhere`, and
    // the sitemap is made once, not per language.
    for missing in ["/news/page/2/", "/stages/nowhere/", "/ru/sitemap.xml"] {
        let e = errors(&format!(
            "-- content/pages/links.md --\n---\ntitle: L\n---\n[x]({missing})\n"
        ));
        assert_has(
            &e,
            &format!("error: content/pages/links.md:4:1: the internal link `{missing}` points to no page or file of the site"),
        );
    }
    // With enough news for a second page, its link resolves.
    let site = TestSite::base_with(
        "-- site.yaml --\ntitle: T\nbase_url: https://t.example.kz\nnews_per_page: 1\n\
         languages: {ru: {}, kk: {}}\nareas: {telecom: Telecom, satellite: Satellite}\n\
         -- content/news/second.md --\n---\ntitle: Second\ndate: 2025-12-01\n---\nS.\n\
         -- content/pages/links.md --\n---\ntitle: L\n---\n[x](/news/page/2/)\n",
    );
    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
}

#[test]
fn every_generated_root_is_a_reserved_slug() {
    // In any letter case or Unicode form, as hosts that ignore them would serve it.
    for slug in [
        "stages",
        "search",
        "search-index.json",
        "news",
        "sitemap.xml",
        "Stages",
        "Sitemap.xml",
        "Robots.TXT",
        "404.HTML",
        "EN",
        "\u{ff50}rojects",
    ] {
        let e = errors(&format!(
            "-- content/pages/x.md --\n---\ntitle: X\nslug: {slug}\n---\n"
        ));
        assert_has(
            &e,
            &format!(
                "error: content/pages/x.md: the page slug `{slug}` is used by the site itself"
            ),
        );
    }
}

#[test]
fn an_unclosed_block_in_a_template_names_the_tag_and_its_line() {
    let e = errors("-- templates/page.html --\n{% extends \"base.html\" %}{% block content %}\n{% if page.title %}\n<h1>{{ page.title }}</h1>\n{% endblock content %}\n");
    assert_has(&e, "error: templates/page.html:4:1: `{% endblock %}` closes a `{% block %}`, but the `{% if %}` opened on line 2 is not closed yet\n  help: add `{% endif %}` before line 4, or remove the `{% if %}` of line 2");
    let e = errors("-- templates/news.html --\n{% extends \"base.html\" %}{% block content %}\n{% for t in page.tags %}{{ t }}\n{% endblock content %}\n{% endfor %}\n");
    assert_has(&e, "error: templates/news.html:3:1: `{% endblock %}` closes a `{% block %}`, but the `{% for %}` opened on line 2 is not closed yet");
}

#[test]
fn a_deep_chain_of_distinct_components_is_not_called_a_recursion() {
    let mut defs: String = (0..25)
        .map(|i| format!("{{% component c{i}(x) %}}<i>{{{{<c{} x={{x}} />}}}}</i>{{% endcomponent c{i} %}}\n", i + 1))
        .collect();
    defs.push_str("{% component c25(x) %}{{ x }}{% endcomponent c25 %}\n");
    let e = errors(&format!("-- templates/deep.html --\n{defs}-- templates/page.html --\n{{% extends \"base.html\" %}}{{% block content %}}{{{{<c0 x=\"hi\" />}}}}{{% endblock content %}}\n"));
    assert_has(&e, "error: templates/page.html: components are called inside one another more than 20 levels deep, the most Tera allows");
    assert!(!e.contains("calls itself"), "{e}");
}

#[test]
fn unsafe_link_schemes_in_profile_links() {
    let e = errors("-- content/projects/x.md --\n---\ntitle: X\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\nlinks:\n  website: javascript:alert(1)\n---\n");
    assert_has(&e, "error: content/projects/x.md:9:12: `website` must be an http, https or mailto URL, not `javascript:alert(1)`");
}

#[test]
fn translation_may_not_change_facts() {
    let e = errors("-- content/projects/mesh-radio.ru.md --\n---\ntitle: Меш\ntrl: 5\n---\n");
    assert_has(&e, "error: content/projects/mesh-radio.ru.md:3:1: `trl` differs from the original content/projects/mesh-radio.md:7\n  help: a translation inherits `trl`; remove it here, or make both files say the same");
}

#[test]
fn unclosed_front_matter_is_reported_at_line_1() {
    let e = errors("-- content/pages/x.md --\n---\ntitle: X\n\nBody\n");
    assert_has(
        &e,
        "error: content/pages/x.md:1:1: the front matter is not closed: no second `---` line",
    );
}

#[test]
fn delimiters_with_trailing_blanks_open_and_close_alike() {
    // Issue 15, item 2: `---` followed by spaces, a tab or CRLF is a delimiter on either line.
    let site = TestSite::base_with(
        "-- content/pages/spaces.md --\n---  \ntitle: Spaces\n---  \nBody one.\n-- content/pages/tab.md --\n---\t\ntitle: Tab\n---\t\nBody two.\n-- content/pages/crlf.md --\n--- \r\ntitle: CRLF\r\n--- \r\nBody three.\r\n",
    );
    site.build();
    assert!(site.read("spaces/index.html").contains("Body one."));
    assert!(site.read("tab/index.html").contains("Body two."));
    assert!(site.read("crlf/index.html").contains("Body three."));
}

#[test]
fn lines_that_only_look_like_delimiters_are_not_delimiters() {
    // `----` opening the file: no front matter.
    let e = errors("-- content/pages/x.md --\n----\ntitle: X\n---\n");
    assert_has(&e, "error: content/pages/x.md:1:1: the file does not start with front matter (a `---` line)\n  help: the first line must be exactly `---` (nothing after it but spaces), then the fields such as `title: ...`, then another `---` line");
    // `--- x` opening the file: the same.
    let e = errors("-- content/pages/x.md --\n--- x\ntitle: X\n---\n");
    assert_has(
        &e,
        "error: content/pages/x.md:1:1: the file does not start with front matter (a `---` line)",
    );
    // `--- x` or `----` meant as the closing line: the block stays open.
    for close in ["--- x", "----"] {
        let e = errors(&format!(
            "-- content/pages/x.md --\n---\ntitle: X\n{close}\nBody\n"
        ));
        assert_has(&e, "error: content/pages/x.md:1:1: the front matter is not closed: no second `---` line\n  help: add a line with only `---` after the last field");
    }
}

#[test]
fn a_date_in_a_news_file_name_that_is_not_a_date_says_why() {
    // Issue 15, item 5: the name's date is checked and explained, once, at line 1.
    let help = "  help: name the file YYYY-MM-DD-slug.md with a real date (e.g. 2026-01-13-opening.md), or remove the date from the name and set `date: YYYY-MM-DD`";
    for (name, why) in [
        ("2026-13-01-x", "13 is not a month (months are 01 to 12)"),
        ("2026-00-10-x", "00 is not a month (months are 01 to 12)"),
        ("9999-99-99-x", "99 is not a month (months are 01 to 12)"),
        ("2026-02-30-x", "February 2026 has 28 days, not 30"),
        ("2026-04-31-x", "April 2026 has 30 days, not 31"),
        ("2026-04-00-x", "00 is not a day (days start at 01)"),
    ] {
        let e = errors(&format!(
            "-- content/news/{name}.md --\n---\ntitle: X\n---\n"
        ));
        assert_has(
            &e,
            &format!(
                "error: content/news/{name}.md:1: the file name starts with the date `{}`, but {why}\n{help}",
                &name[..10]
            ),
        );
        assert!(
            !e.contains("`date` is missing"),
            "one mistake, one error:\n{e}"
        );
    }
    // With `date:` set, the name's bad date is still a mistake (it would become the URL).
    let e = errors("-- content/news/2026-13-01-x.md --\n---\ntitle: X\ndate: 2026-01-13\n---\n");
    assert_has(&e, "error: content/news/2026-13-01-x.md:1: the file name starts with the date `2026-13-01`, but 13 is not a month");
    // No date in the name and no `date:`: today's message.
    let e = errors("-- content/news/x.md --\n---\ntitle: X\n---\n");
    assert_has(&e, "error: content/news/x.md:1: the required field `date` is missing\n  help: add `date: YYYY-MM-DD`, or name the file YYYY-MM-DD-slug.md");
}

#[test]
fn template_errors_name_the_template() {
    let e = errors("-- templates/page.html --\n{% extends \"base.html\" %}\n{% block content %}{{ page.nope }}{% endblock content %}\n");
    // Tera 2 locates render errors: file, line and column of the undefined field.
    assert_has(
        &e,
        "error: templates/page.html:2:28: Field `nope` is not defined.",
    );
    let e = errors("-- templates/page.html --\nline one\n{% if %}\n");
    assert_has(&e, "error: templates/page.html:2:");
}

#[test]
fn every_template_that_does_not_parse_is_named_without_noise_from_the_others() {
    // Tera 2 stops at the first file that does not parse; each is set aside and the rest
    // parsed again, so both are named, and the pages extending the broken base.html add
    // no "missing parent" errors of their own.
    let e = errors(concat!(
        "-- templates/base.html --\n<html>\n{% if %}\n",
        "-- templates/page.html --\n{% extends \"base.html\" %}\n{% block content %}{{ page.title }\n{% endblock content %}\n",
    ));
    assert_has(&e, "error: templates/base.html:2:");
    assert_has(&e, "error: templates/page.html:2:");
    assert_eq!(
        e.lines().filter(|l| l.starts_with("error:")).count(),
        2,
        "{e}"
    );
}

#[test]
fn errors_in_three_files_are_all_reported_with_a_count() {
    let e = errors(concat!(
        "-- content/pages/a.md --\n---\ntitle: A\ndrat: true\n---\n",
        "-- content/news/2025-01-01-b.md --\n---\ntitle: B\nprojects: [nope]\n---\n",
        "-- content/cohorts/c.yaml --\ntitle: C\nstart: 2025-13-01\nend: 2025-12-01\n",
    ));
    assert_has(
        &e,
        "error: content/cohorts/c.yaml:2:1: `2025-13-01` is not a valid date",
    );
    assert_has(&e, "error: content/news/2025-01-01-b.md:3:12: `projects` names the project `nope`, which does not exist");
    assert_has(
        &e,
        "error: content/pages/a.md:3:1: unknown field `drat` for a page",
    );
    assert_has(
        &e,
        "failed: 3 errors: the build failed; the output folder was not changed",
    );
}

#[test]
fn a_failed_build_leaves_the_old_output_byte_identical() {
    let site = TestSite::new(support::BASE);
    site.build();
    let before = site.snapshot();
    site.write(
        "content/projects/mesh-radio.md",
        "---\ntitle: Mesh Radio\ntrl: 99\n---\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    assert_eq!(site.snapshot(), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn invalid_utf8_and_empty_files_are_named() {
    let site = TestSite::new(support::BASE);
    site.write_bytes("content/pages/bin.md", b"---\ntitle: \xff\xfe\n---\n");
    site.write("content/pages/empty.yaml", "");
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert_has(
        &r.stderr,
        "error: content/pages/bin.md:2: the file is not valid UTF-8 text",
    );
    assert_has(
        &r.stderr,
        "error: content/pages/empty.yaml:1: the file is empty",
    );
}

#[test]
fn other_content_files_in_a_bundle_are_errors_not_copies() {
    let e = errors(concat!(
        "-- content/projects/orbit/index.md --\n---\ntitle: Orbit\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\n---\n",
        "-- content/projects/orbit/notes.md --\n---\ntitle: Notes\ninternal: {secret: CANARY}\n---\n",
        "-- content/projects/orbit/index.de.md --\n---\ntitle: Orbit\n---\n",
    ));
    assert_has(&e, "error: content/projects/orbit/notes.md: a bundle holds one item: its index.md (or index.yaml) and their translations");
    assert_has(&e, "error: content/projects/orbit/index.de.md: `de` in the file name is not a language of this site");
}

#[test]
fn empty_title_and_translation_only_fields() {
    let e = errors("-- content/pages/x.md --\n---\ntitle: \"  \"\n---\n-- content/pages/about.ru.md --\n---\ntitle: О парке\naliases: [/ru/o-parke/]\n---\n");
    assert_has(&e, "error: content/pages/x.md:2:1: the title is empty");
    assert_has(&e, "error: content/pages/about.ru.md:3:1: `aliases` belongs in the original, not in a translation");
}

#[test]
fn nested_unknown_field_suggests_from_its_own_fields() {
    let e = errors("-- content/projects/x.md --\n---\ntitle: X\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\nlinks:\n  webiste: https://x.kz/\n---\n");
    assert_has(&e, "unknown field `webiste`");
    assert_has(&e, "help: did you mean `website`?");
}

#[test]
fn duplicate_keys_in_site_yaml_maps() {
    let site = TestSite::base_with(
        "-- site.yaml --\ntitle: T\nareas:\n  telecom: Telecom\n  telecom: { en: Telecom }\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert_has(&r.stderr, "error: site.yaml:4:1: `telecom` is given twice\n  help: keep one of them: YAML would not know which one you meant");
}

#[test]
fn template_include_loops_are_errors_not_crashes() {
    let e = errors("-- templates/page.html --\nbefore\n{% include \"page.html\" %}\n");
    assert_has(&e, "error: templates/page.html:2: the templates include each other in a loop: page.html -> page.html");
}

#[test]
fn recursive_components_are_errors_not_crashes() {
    // A component calling itself: Tera 2 stops at a depth of 20, a clean error (Tera 1's
    // macros recursed until the stack overflowed and the process aborted).
    let e = errors(concat!(
        "-- templates/page.html --\n{% extends \"base.html\" %}",
        "{% block content %}{{<down n={1} />}}{% endblock content %}\n",
        "-- templates/loop.html --\n{% component down(n) %}\n{{<down n={n} />}}\n{% endcomponent down %}\n",
    ));
    assert_has(
        &e,
        "error: templates/loop.html:1: a component calls itself more than 20 levels deep: down -> down (while rendering page.html)",
    );
    // Two components of two files calling each other.
    let e = errors(concat!(
        "-- templates/page.html --\n{% extends \"base.html\" %}",
        "{% block content %}{{<ping />}}{% endblock content %}\n",
        "-- templates/a.html --\n{% component ping() %}{{<pong />}}{% endcomponent ping %}\n",
        "-- templates/b.html --\n{% component pong() %}{{<ping />}}{% endcomponent pong %}\n",
    ));
    assert_has(
        &e,
        "error: templates/a.html:1: a component calls itself more than 20 levels deep: ping -> pong -> ping",
    );
}

#[test]
fn templates_extending_each_other_are_errors_not_crashes() {
    let e = errors(concat!(
        "-- templates/a.html --\n{% extends \"b.html\" %}\n",
        "-- templates/b.html --\n\n{% extends \"a.html\" %}\n",
    ));
    assert_has(&e, "error: templates/a.html:1: the templates extend each other in a loop: a.html -> b.html -> a.html");
}

#[test]
fn templates_written_for_tera_1_say_what_changed() {
    let help =
        "  help: see \"Migrating templates from Tera 1\" in the README: showcase now uses Tera 2";
    let e = errors(concat!(
        "-- templates/page.html --\n{% extends \"base.html\" %}\n{% import \"my.html\" as my %}\n",
        "{% block content %}{{ my::box(p=page) }}{% endblock content %}\n",
        "-- templates/my.html --\n{# helpers #}\n{% macro box(p) %}{{ p.title }}{% endmacro box %}\n",
        "-- templates/news.html --\n{% extends \"base.html\" %}{% block content %}\n",
        "{{ page.reading_time | as_str }}{% endblock content %}\n",
        "-- templates/demo.html --\n{% extends \"base.html\" %}{% block content %}\n\n",
        "{% if current_path is starting_with(\"/demos\") %}x{% endif %}{% endblock content %}\n",
    ));
    assert_has(&e, &format!("error: templates/page.html:2: this template is written for Tera 1: `{{% import %}}` is gone in Tera 2: components are global, call them without a namespace\n{help}"));
    assert_has(&e, "error: templates/my.html:2: this template is written for Tera 1: `{% macro %}` is gone in Tera 2: write `{% component name(args) %}…{% endcomponent name %}` and call it as `{{<name arg={value} />}}`");
    assert_has(&e, "error: templates/news.html:2: this template is written for Tera 1: the `as_str` filter is called `str` in Tera 2");
    assert_has(&e, "error: templates/demo.html:3: this template is written for Tera 1: tests take keyword arguments in Tera 2: `is starting_with(pat=...)`, not `is starting_with(...)`");
    // An unknown filter found by Tera itself gets the same pointer.
    let e = errors("-- templates/page.html --\n{% extends \"base.html\" %}{% block content %}\n{{ get_env(name=\"HOME\") }}{% endblock content %}\n");
    assert_has(&e, "error: templates/page.html:2:4: Unknown function `get_env`\n  help: `get_env` does not exist in showcase themes; see \"Migrating templates from Tera 1\"");
}

#[test]
fn page_slugs_that_collide_with_languages_or_files() {
    let e = errors("-- content/pages/ru.md --\n---\ntitle: R\n---\n");
    assert_has(
        &e,
        "error: content/pages/ru.md: the page slug `ru` is used by the site itself",
    );
    let e = errors("-- content/pages/fav.md --\n---\ntitle: F\nslug: favicon.svg\n---\n");
    assert_has(&e, "error: content/pages/fav.md: this needs /favicon.svg to be a folder for /favicon.svg/index.html, but (built-in theme)/static/favicon.svg makes /favicon.svg a file");
}

#[test]
fn alias_colliding_with_a_page_names_both() {
    let e = errors("-- content/pages/x.md --\n---\ntitle: X\naliases: [/projects/]\n---\n");
    assert_has(&e, "content/pages/x.md");
    assert_has(&e, "both produce /projects/index.html");
}

#[test]
fn internal_values_never_reach_the_output() {
    // Pasted into the body of the same item.
    let e = errors("-- content/pages/x.md --\n---\ntitle: X\ninternal:\n  phone: \"+7 701 555 12 34\"\n---\nCall +7 701 555 12 34.\n");
    // Once per value, however many pages show it (here the page and its two borrowed
    // translations).
    assert_has(&e, "error: content/pages/x.md:4: the value of `internal.phone` appears in 3 output files, for example x/index.html and kk/x/index.html; internal fields are never published");
    assert_eq!(
        e.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{e}"
    );
    // Printed by a theme through `extra`, and copied into another item's summary.
    let e = errors(concat!(
        "-- content/pages/x.md --\n---\ntitle: X\nextra: {note: NDA-signed-2026}\ninternal:\n  notes: NDA-signed-2026\n---\n",
        "-- templates/page.html --\n{% extends \"base.html\" %}{% block content %}{{ page.extra.note | default(value=\"\") }}{% endblock content %}\n",
    ));
    assert_has(
        &e,
        "the value of `internal.notes` appears in 3 output files, for example x/index.html",
    );
    // A draft's internal value in a published item's text (and so in the search index).
    let e = errors(concat!(
        "-- content/pages/secret.md --\n---\ntitle: S\ndraft: true\ninternal: {code: OPERATION-STEPPE}\n---\n",
        "-- content/pages/about.md --\n---\ntitle: About\nsummary: Mentions OPERATION-STEPPE\n---\n",
    ));
    assert_has(
        &e,
        "error: content/pages/secret.md:4: the value of `internal.code` appears in ",
    );
    assert_has(&e, "about/index.html");
    assert_has(&e, "search/d0.json");
}

/// Found by a hostile review: one mistake in base.html, shown on pages whose lists of
/// available names differ, is one error, not one per list.
#[test]
fn one_template_mistake_is_one_error() {
    let site = TestSite::base_with("");
    let theme =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html");
    let base = std::fs::read_to_string(theme).unwrap();
    site.write(
        "templates/base.html",
        &base.replacen("</body>", "{{ nope_b }}</body>", 1),
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(
        errors[0].contains("templates/base.html:")
            && errors[0].contains("nope_b")
            && errors[0].contains("other pages"),
        "{}",
        errors[0]
    );
}

/// The sitemap is for search engines: a `--drafts` build (a staging copy) lists no draft,
/// and an area without projects is left out like an empty stage page.
#[test]
fn the_sitemap_leaves_out_drafts_and_empty_areas() {
    let site = TestSite::base_with(concat!(
        "-- site.yaml --\ntitle: T\nbase_url: https://t.example.kz\nlanguages: {ru: {}}\n",
        "areas: {telecom: Telecom, satellite: Satellite, space: Space}\n",
        "-- content/projects/draft-one.md --\n---\ntitle: Draft One\nsummary: S\ncohort: 2025-autumn\n",
        "areas: [telecom]\nstage: idea\ntrl: 1\ndraft: true\n---\nD.\n",
        "-- content/projects/kk-draft.md --\n---\ntitle: Public\nsummary: S\ncohort: 2025-autumn\n",
        "areas: [telecom]\nstage: idea\ntrl: 1\n---\nP.\n",
        "-- content/projects/kk-draft.ru.md --\n---\ntitle: Черновик\ndraft: true\n---\nЧ.\n",
    ));
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sitemap = site.read("sitemap.xml");
    assert!(site
        .output_files()
        .contains(&"projects/draft-one/index.html".to_string()));
    assert!(!sitemap.contains("/projects/draft-one/"), "{sitemap}");
    assert!(sitemap.contains("https://t.example.kz/projects/kk-draft/"));
    assert!(!sitemap.contains("/ru/projects/kk-draft/"), "{sitemap}");
    assert!(sitemap.contains("/areas/telecom/"));
    assert!(!sitemap.contains("/areas/space/"), "{sitemap}");
}

/// A relative link in a single-file item is read from its page, checked like an absolute
/// one, and written absolute so that it works in every language (on `/ru/projects/a/` the
/// browser would read it elsewhere).
#[test]
fn relative_links_in_single_file_items_are_checked_and_made_absolute() {
    let site = TestSite::base_with(
        "-- content/news/2025-12-01-rel.md --\n---\ntitle: Rel\nsummary: S\n---\nSee [the radio](../../projects/mesh-radio/) and [news](../#top).\n",
    );
    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
    for page in ["news/rel/index.html", "ru/news/rel/index.html"] {
        let html = site.read(page);
        assert!(
            html.contains("href=\"/projects/mesh-radio/\""),
            "{page}: {html}"
        );
        assert!(html.contains("href=\"/news/#top\""), "{page}");
    }
    let e = errors(
        "-- content/pages/p.md --\n---\ntitle: P\n---\n![Map](map.png) and [up](../../x/)\n",
    );
    assert_has(&e, "error: content/pages/p.md:4:1: the relative link `map.png` points to no page or file of the site (read from /p/, it is /p/map.png)");
    assert_has(&e, "the relative link `../../x/` points to no page or file of the site (read from /p/, it is /x/)");
}

/// Issue 15, item 7: a project that a demo, a news item and two body links name is deleted.
/// Each place is its own error, and every help names the missing file and the same way out
/// (`draft: true`), never "write `@/`" to a link that is one already; with the file kept as a
/// draft, the same site builds with a warning per place.
#[test]
fn deleting_a_referenced_item_says_which_file_and_suggests_a_draft() {
    let site = TestSite::base_with(
        "-- content/projects/radar-net.md --\n---\ntitle: Radar Net\nsummary: Radars.\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 2\n---\nRadars.\n\
-- content/demos/d.md --\n---\ntitle: D\ndate: 2025-12-11\nprojects: [radar-net]\n---\nD.\n\
-- content/news/2025-12-01-n.md --\n---\ntitle: N\nsummary: S\nprojects:\n  - radar-net\n---\nN.\n\
-- content/pages/links.md --\n---\ntitle: L\n---\nSee [a](@/projects/radar-net.md).\n\nAnd [b](/projects/radar-net/).\n",
    );
    site.build();
    std::fs::remove_dir_all(site.path("public")).unwrap();
    site.remove("content/projects/radar-net.md");
    let e = site.fails();
    let way_out = "does not exist (deleted or renamed?); to take an item down while others still name it, keep its file and set `draft: true`";
    let help = format!("\n  help: content/projects/radar-net.md {way_out}");
    for place in [
        "content/demos/d.md:4:12: `projects` names the project `radar-net`, which does not exist",
        "content/news/2025-12-01-n.md:5:5: `projects` names the project `radar-net`, which does not exist",
        "content/pages/links.md:4:5: the internal link `@/projects/radar-net.md` points to no content file",
        "content/pages/links.md:6:5: the internal link `/projects/radar-net/` points to no page or file of the site",
    ] {
        assert!(e.contains(&format!("error: {place}{help}")), "{place}\n{e}");
    }
    assert!(!e.contains("write `@/`"), "{e}");
    assert_eq!(e.matches("error: ").count(), 4, "{e}");

    site.write(
        "content/projects/radar-net.md",
        "---\ntitle: Radar Net\nsummary: Radars.\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 2\ndraft: true\n---\nRadars.\n",
    );
    let r = site.build();
    for place in [
        "warning: content/demos/d.md:4:12: `projects` names the project `radar-net`, which is a draft",
        "warning: content/news/2025-12-01-n.md:5:5: `projects` names the project `radar-net`, which is a draft",
        "warning: content/pages/links.md:4:5: the link `@/projects/radar-net.md` points to an item that is a draft",
        "warning: content/pages/links.md:6:5: the link `/projects/radar-net/` points to an item that is a draft",
    ] {
        assert!(r.stderr.contains(place), "{place}\n{}", r.stderr);
    }
    assert!(!site.path("public/projects/radar-net").exists());
}

/// A typo in an `@/` link still gets the near name first, then the same way out.
#[test]
fn a_misspelt_at_link_suggests_the_near_file() {
    let e = errors("-- content/pages/x.md --\n---\ntitle: X\n---\n[a](@/projects/mesh-radoi.md)\n");
    assert_has(&e, "error: content/pages/x.md:4:1: the internal link `@/projects/mesh-radoi.md` points to no content file\n  help: did you mean `@/projects/mesh-radio.md`? content/projects/mesh-radoi.md does not exist (deleted or renamed?)");
}

// The YAML mistakes people make most, each told in plain words at the line of the mistake,
// with how to write it (issue 15, item 1). No parser jargon, no Rust type names.

/// A project of the base site whose front matter has `lines` where its `summary:` line
/// would be; the other required fields are right.
fn project_with(lines: &str) -> String {
    format!("-- content/projects/sky-link.md --\n---\ntitle: Sky Link\n{lines}\ncohort: 2025-autumn\nareas: [telecom]\nstage: pilot\ntrl: 7\n---\nBody\n")
}

/// Asserts the one error of `extra` exactly: `PATH:LINE:COL: message` and its help.
fn assert_error(extra: &str, location: &str, message: &str, help: &str) {
    let e = errors(extra);
    assert_has(
        &e,
        &format!("error: {location}: {message}\n  help: {help}\n"),
    );
    for jargon in [
        "struct",
        "invalid type",
        "scalar",
        "mapping",
        "sequence",
        "token",
        "expected a",
    ] {
        assert!(!e.contains(jargon), "`{jargon}` in:\n{e}");
    }
}

#[test]
fn colon_inside_an_unquoted_value() {
    assert_error(
        &project_with("summary: Our radio: fast and cheap"),
        "content/projects/sky-link.md:3:19",
        "the value of `summary` has a colon and a space (`: `) in it, which YAML reads as the start of another field",
        "put the value in quotes: `summary: \"Our radio: fast and cheap\"`",
    );
    // The same in a team member's role, and with quotes already in the text.
    assert_error(
        &project_with("summary: S\nteam:\n  - name: Aigerim\n    role: Lead: radio \"Kestrel\""),
        "content/projects/sky-link.md:6:15",
        "the value of `role` has a colon and a space (`: `) in it, which YAML reads as the start of another field",
        "put the value in quotes: `role: 'Lead: radio \"Kestrel\"'`",
    );
}

#[test]
fn tab_indentation() {
    assert_error(
        &project_with("summary: S\nteam:\n\t- name: Aigerim"),
        "content/projects/sky-link.md:5:1",
        "this line is indented with a tab; YAML indents with spaces only",
        "replace the tab at the start of the line with spaces (two for each level)",
    );
    assert_error(
        &project_with("summary: S\nlinks:\n  website: https://a.kz\n\trepo: https://b.kz"),
        "content/projects/sky-link.md:6:1",
        "this line is indented with a tab; YAML indents with spaces only",
        "replace the tab at the start of the line with spaces (two for each level)",
    );
}

#[test]
fn unclosed_quote_is_reported_where_it_opens() {
    // Line 2 opens a quote; the parser only gives up at the end of the front matter.
    let mut extra = String::from("-- content/projects/sky-link.md --\n---\ntitle: \"Sky Link\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: pilot\ntrl: 7\nteam:\n");
    for n in 0..4 {
        extra.push_str(&format!("  - name: Member {n}\n"));
    }
    extra.push_str("---\nBody\n");
    assert_error(
        &extra,
        "content/projects/sky-link.md:2:8",
        "the quote `\"` that starts this value is never closed",
        "end the value with `\"` on the same line",
    );
    // Closed by the next value's quote: still the line that opened it.
    assert_error(
        &project_with("summary: \"Sky radio\nvenue: \"x\""),
        "content/projects/sky-link.md:3:1",
        "the quote `\"` that starts the value of `summary` is not closed on its line",
        "end the value with `\"`: `summary: \"Sky radio\"`",
    );
    // An apostrophe inside single quotes.
    assert_error(
        &project_with("summary: 'Kazakhstan's first radio'"),
        "content/projects/sky-link.md:3:1",
        "the value of `summary` starts with the quote `'`, which ends at `'Kazakhstan'`, and the text after it (`s first radio'`) is left over: an apostrophe inside single quotes ends them",
        "put the whole value in quotes: `summary: \"Kazakhstan's first radio\"`",
    );
}

#[test]
fn a_list_written_as_one_value() {
    assert_error(
        &project_with("summary: S").replace("areas: [telecom]", "areas: telecom"),
        "content/projects/sky-link.md:5:8",
        "`areas` is a list, even with one entry",
        "write `areas: [telecom]`",
    );
    assert_error(
        &project_with("summary: S").replace("areas: [telecom]", "areas: telecom, data-analytics"),
        "content/projects/sky-link.md:5:8",
        "`areas` is a list, even with one entry",
        "write `areas: [telecom, data-analytics]`",
    );
    assert_error(
        "-- content/news/2025-01-02-x.md --\n---\ntitle: X\ntags: radio\n---\n",
        "content/news/2025-01-02-x.md:3:7",
        "`tags` is a list, even with one entry",
        "write `tags: [radio]`",
    );
}

#[test]
fn team_members_written_as_names() {
    let help = "write each member on a line of its own under `team:`, as `- name: Aigerim Sadykova`, with `role: ...` on the next line under `name:`";
    assert_error(
        &project_with("summary: S\nteam: [Aigerim Sadykova]"),
        "content/projects/sky-link.md:4:8",
        "entry 1 of `team` must be a team member (`name:` and `role:`), not the text `Aigerim Sadykova`",
        help,
    );
    assert_error(
        &project_with("summary: S\nteam:\n  - name: Arman\n  - Aigerim Sadykova"),
        "content/projects/sky-link.md:6:5",
        "entry 2 of `team` must be a team member (`name:` and `role:`), not the text `Aigerim Sadykova`",
        help,
    );
    assert_error(
        &project_with("summary: S\nteam: Aigerim Sadykova"),
        "content/projects/sky-link.md:4:7",
        "`team` is a list, even with one entry",
        help,
    );
    assert_error(
        &project_with("summary: S\nteam:\n  - role: CEO"),
        "content/projects/sky-link.md:5:5",
        "entry 1 of `team` has no `name`",
        "add `name: ...` to it",
    );
    assert_error(
        &project_with("summary: S\nlinks: https://sky.kz"),
        "content/projects/sky-link.md:4:8",
        "`links` must be named links (`website:`, `repo:`, `video:`, `contact:`), not the text `https://sky.kz`",
        "write `links:`, then on the next line, indented by two spaces, `website: https://sky.kz` (a link is named website, repo, video or contact)",
    );
}

#[test]
fn yes_and_no_for_true_and_false() {
    assert_error(
        "-- content/pages/x.md --\n---\ntitle: X\ndraft: no\n---\n",
        "content/pages/x.md:3:8",
        "`draft` is `true` or `false`, not the text `no`",
        "write `draft: false`",
    );
    assert_error(
        &project_with("summary: S\nfeatured: yes"),
        "content/projects/sky-link.md:4:11",
        "`featured` is `true` or `false`, not the text `yes`",
        "write `featured: true`",
    );
}

#[test]
fn numbers_in_quotes_and_text_read_as_numbers() {
    assert_error(
        &project_with("summary: S").replace("trl: 7", "trl: \"5\""),
        "content/projects/sky-link.md:7:6",
        "`trl` is a whole number, written without quotes",
        "write `trl: 5`",
    );
    assert_error(
        &project_with("summary: S").replace("trl: 7", "trl: seven"),
        "content/projects/sky-link.md:7:6",
        "`trl` is a whole number, not the text `seven`",
        "write a whole number in digits after `trl:`, without quotes or words",
    );
}

#[test]
fn values_that_start_with_a_yaml_sign() {
    for (value, sign) in [
        ("@skylink on Telegram", "`@`"),
        ("*New* radio", "`*`"),
        ("`beta` radio", "a backtick (`)"),
        ("%100 local", "`%`"),
    ] {
        assert_error(
            &project_with(&format!("summary: {value}")),
            "content/projects/sky-link.md:3:10",
            &format!("a value cannot start with {sign} unless it is in quotes: YAML gives that sign a meaning of its own"),
            &format!("put the value in quotes: `summary: \"{value}\"`"),
        );
    }
    assert_error(
        &project_with("summary: [Beta] Sky radio"),
        "content/projects/sky-link.md:3:10",
        "`summary` is text, but YAML reads `[Beta]` at its start as a list",
        "put the whole value in quotes: `summary: \"[Beta] Sky radio\"`",
    );
}

#[test]
fn fields_out_of_line() {
    assert_error(
        &project_with("summary: S\n  venue: Hall"),
        "content/projects/sky-link.md:4:3",
        "`venue:` is indented, so YAML reads it as part of `summary` above, which already has a value",
        "line `venue:` up with `summary:` (or with the first field of its group)",
    );
    assert_error(
        &project_with("summary Sky radio"),
        "content/projects/sky-link.md:3:1",
        "this line has no `:` after its field name",
        "write `summary: Sky radio`; if this text belongs to the value above, indent it like that value or put the value in quotes",
    );
}

#[test]
fn a_yaml_item_with_front_matter_lines() {
    assert_error(
        "-- content/projects/sky-link.yaml --\n---\ntitle: Sky Link\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: pilot\ntrl: 7\n---\n",
        "content/projects/sky-link.yaml:1:1",
        "a .yaml item is its fields only, without `---` lines",
        "remove the `---` lines; or, to write the body in Markdown under the fields, rename the file to `sky-link.md`",
    );
}

#[test]
fn country_codes_for_language_codes() {
    let e = errors("-- content/pages/about.kz.md --\n---\ntitle: Біз туралы\n---\n");
    assert_has(&e, "error: content/pages/about.kz.md: `kz` in the file name is not a language of this site\n  help: `kz` is the country code of Kazakhstan; Kazakh is `kk`: rename the file to `about.kk.md`");
    let e = errors("-- content/pages/about.rus.md --\n---\ntitle: О нас\n---\n");
    assert_has(
        &e,
        "help: `rus` is a three-letter code; Russian is `ru`: rename the file to `about.ru.md`",
    );
    let e = errors("-- content/pages/about.RU.md --\n---\ntitle: О нас\n---\n");
    assert_has(&e, "error: content/pages/about.RU.md: `RU` in the file name is a language code written in capitals\n  help: language codes are lowercase: rename the file to `about.ru.md`");
}

#[test]
fn site_yaml_and_ui_strings_get_the_same_plain_words() {
    let site = TestSite::base_with("-- site.yaml --\ntitle: Park: showcase\n");
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert_has(&r.stderr, "error: site.yaml:1:12: the value of `title` has a colon and a space (`: `) in it, which YAML reads as the start of another field\n  help: put the value in quotes: `title: \"Park: showcase\"`");
    let site = TestSite::base_with("-- site.yaml --\ntitle: Park\nmarkdown:\n  allow_html: yes\n");
    let r = site.run(&["check"]);
    assert_has(&r.stderr, "error: site.yaml:3:15: `allow_html` in `markdown` is `true` or `false`, not the text `yes`\n  help: write `allow_html: true`");
}
