//! Three languages on a whole site (issue 7): items written in one, two and three languages
//! get a page in every language, filled along the fallback chain; fallback pages say so,
//! mark the borrowed text with its language, point `rel=canonical` at the original and stay
//! out of the sitemap; lists, feeds and the search index of every language hold every item.
//! Plural forms and dates of all three languages, missing UI strings, and the translation
//! report on the command line.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::TestSite;

/// `solo` exists in English only, `duo` in English and Russian, `trio` in all three; the
/// page `about` in English and Kazakh (Russian falls back to English).
const SITE: &str = r#"
-- site.yaml --
title: Lang Park
base_url: https://lang.example.kz
languages:
  ru: { title: Языковой парк }
  kk: { title: Тіл паркі }
fallback: { kk: [ru, en], ru: [en], en: [ru] }
areas:
  telecom: { en: Telecom, ru: Связь, kk: Байланыс }
  radio: { en: Radio, ru: Радио, kk: Радио }
  satellite: { en: Satellite, ru: Спутники, kk: Спутниктер }
-- content/_index.md --
---
title: Lang Park
---
Welcome.
-- content/cohorts/c1.md --
---
title: Cohort One
start: 2026-09-01
end: 2026-11-25
---
The first cohort.
-- content/projects/solo.md --
---
title: Solo Sensor
summary: Only in English.
cohort: c1
areas: [telecom]
stage: idea
trl: 2
updated: 2026-10-01
---
Solo body in English.
-- content/projects/duo.md --
---
title: Duo Link
summary: English and Russian.
cohort: c1
areas: [telecom, radio]
stage: pilot
trl: 5
updated: 2026-10-01
---
Duo body in English.
-- content/projects/duo.ru.md --
---
title: Дуо Линк
summary: По-английски и по-русски.
updated: 2026-09-01
---
Тело Дуо по-русски.
-- content/projects/trio.md --
---
title: Trio Mesh
summary: In all three languages.
cohort: c1
areas: [telecom, radio, satellite]
stage: deployed
trl: 8
---
Trio body in English.
-- content/projects/trio.ru.md --
---
title: Трио Меш
summary: На всех трёх языках.
---
Тело Трио по-русски.
-- content/projects/trio.kk.md --
---
title: Трио Меш KK
summary: Үш тілде де.
---
Трио денесі қазақша.
-- content/demos/day.md --
---
title: Demo Day
date: 2026-11-25
cohort: c1
projects: [solo, duo, trio]
---
Three projects on stage.
-- content/news/2026-11-25-trio-news.md --
---
title: Trio news
summary: Trio shipped.
projects: [trio]
---
Trio shipped.
-- content/news/2026-11-25-trio-news.ru.md --
---
title: Новость Трио
---
Трио вышел.
-- content/news/2026-11-25-trio-news.kk.md --
---
title: Трио жаңалығы
---
Трио шықты.
-- content/news/2026-11-20-duo-news.md --
---
title: Duo news
---
Duo shipped.
-- content/news/2026-11-20-duo-news.ru.md --
---
title: Новость Дуо
---
Дуо вышел.
-- content/news/2026-11-10-solo-news.md --
---
title: Solo news
---
Solo shipped.
-- content/pages/about.md --
---
title: About
---
About us.
-- content/pages/about.kk.md --
---
title: Біз туралы
---
Біз туралы мәтін.
"#;

const BASE_URL: &str = "https://lang.example.kz";

fn built() -> TestSite {
    let site = TestSite::new(SITE);
    site.build();
    site
}

/// The output path of `path` (`/projects/solo/`) in `lang`.
fn file(lang: &str, path: &str) -> String {
    let prefix = if lang == "en" {
        String::new()
    } else {
        format!("{lang}/")
    };
    format!("{prefix}{}index.html", path.trim_start_matches('/'))
}

/// The absolute URL of `path` in `lang`.
fn permalink(lang: &str, path: &str) -> String {
    let prefix = if lang == "en" {
        String::new()
    } else {
        format!("/{lang}")
    };
    format!("{BASE_URL}{prefix}{path}")
}

fn canonical(html: &str) -> &str {
    let start = html
        .find("<link rel=\"canonical\" href=\"")
        .expect("canonical link")
        + 28;
    &html[start..start + html[start..].find('"').unwrap()]
}

fn hreflangs(html: &str) -> Vec<String> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// Which language each page of an item is shown in, for items in one, two and three
/// languages: (path, [(page language, text language)]).
const CASES: &[(&str, &[(&str, &str)])] = &[
    (
        "/projects/solo/",
        &[("en", "en"), ("ru", "en"), ("kk", "en")],
    ),
    (
        "/projects/duo/",
        &[("en", "en"), ("ru", "ru"), ("kk", "ru")],
    ),
    (
        "/projects/trio/",
        &[("en", "en"), ("ru", "ru"), ("kk", "kk")],
    ),
    ("/about/", &[("en", "en"), ("ru", "en"), ("kk", "kk")]),
];

#[test]
fn every_item_has_a_page_in_every_language_with_notice_lang_and_canonical() {
    let site = built();
    for (path, langs) in CASES {
        for (lang, source) in *langs {
            let html = site.read(&file(lang, path));
            let what = format!("{lang} page of {path}");
            assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{what}");
            let fallback = lang != source;
            // The notice, in the page's language.
            assert_eq!(html.contains("banner-fallback"), fallback, "{what}: notice");
            if fallback {
                let note = match *lang {
                    "ru" => "Эта страница ещё не переведена",
                    "kk" => "Бұл бет әлі аударылмаған",
                    _ => "This page is not yet translated",
                };
                assert!(html.contains(note), "{what}: notice text\n{html}");
            }
            // The borrowed title and body carry their language; translated ones do not.
            let h1 = if fallback {
                format!("<h1 lang=\"{source}\">")
            } else {
                "<h1>".to_string()
            };
            assert!(html.contains(&h1), "{what}: {h1}\n{html}");
            let content = if fallback {
                format!("<div class=\"content\" lang=\"{source}\">")
            } else {
                "<div class=\"content\">".to_string()
            };
            assert!(html.contains(&content), "{what}: {content}");
            // rel=canonical: the original for a fallback page, the page itself otherwise.
            assert_eq!(canonical(&html), permalink(source, path), "{what}");
            // hreflang alternates: only the languages that have their own text.
            let own: Vec<String> = langs
                .iter()
                .filter(|(l, s)| l == s)
                .map(|(l, _)| l.to_string())
                .chain(std::iter::once("x-default".to_string()))
                .collect();
            assert_eq!(hreflangs(&html), own, "{what}");
        }
    }
    // The Kazakh page of `duo` shows the Russian text, `solo` the English one.
    let kk_duo = site.read("kk/projects/duo/index.html");
    assert!(kk_duo.contains("Дуо Линк") && kk_duo.contains("Тело Дуо по-русски."));
    assert!(
        kk_duo.contains("орыс тілі"),
        "the notice names the source language"
    );
    let kk_solo = site.read("kk/projects/solo/index.html");
    assert!(kk_solo.contains("Solo body in English.") && kk_solo.contains("ағылшын тілі"));
    // Only the items' own pages point elsewhere: a list page is canonical in its language.
    assert_eq!(
        canonical(&site.read("kk/projects/index.html")),
        permalink("kk", "/projects/")
    );
}

#[test]
fn sitemap_lists_only_pages_with_their_own_text() {
    let site = built();
    let sitemap = site.read("sitemap.xml");
    let urls: Vec<&str> = sitemap.split("<url>").skip(1).collect();
    let entry = |loc: &str| -> Option<&str> {
        urls.iter()
            .copied()
            .find(|u| u.contains(&format!("<loc>{loc}</loc>")))
    };
    for (path, langs) in CASES {
        let own: Vec<&str> = langs
            .iter()
            .filter(|(l, s)| l == s)
            .map(|(l, _)| *l)
            .collect();
        for (lang, _) in *langs {
            let loc = permalink(lang, path);
            match entry(&loc) {
                Some(u) => {
                    assert!(
                        own.contains(lang),
                        "{loc} is a fallback page in the sitemap"
                    );
                    for other in ["en", "ru", "kk"] {
                        let alt =
                            format!("hreflang=\"{other}\" href=\"{}\"", permalink(other, path));
                        assert_eq!(
                            u.contains(&alt),
                            own.contains(&other) && own.len() > 1,
                            "{loc}: alternate {other}\n{u}"
                        );
                    }
                }
                None => assert!(!own.contains(lang), "{loc} missing from the sitemap"),
            }
            if !own.contains(lang) {
                assert!(!sitemap.contains(&loc), "{loc} appears in the sitemap");
            }
        }
    }
    // Lists and other pages of every language stay in.
    for lang in ["en", "ru", "kk"] {
        assert!(entry(&permalink(lang, "/projects/")).is_some(), "{lang}");
    }
}

#[test]
fn lists_feeds_and_search_index_of_every_language_hold_every_item() {
    let site = built();
    for (lang, solo, duo, trio) in [
        ("en", "Solo Sensor", "Duo Link", "Trio Mesh"),
        ("ru", "Solo Sensor", "Дуо Линк", "Трио Меш"),
        ("kk", "Solo Sensor", "Дуо Линк", "Трио Меш KK"),
    ] {
        let list = site.read(&file(lang, "/projects/"));
        for title in [solo, duo, trio] {
            assert!(list.contains(&format!(">{title}</a>")), "{lang}: {title}");
        }
        // Cards mark borrowed titles with their language.
        let card = |slug: &str| -> String {
            let at = list
                .find(&format!("/projects/{slug}/\">"))
                .unwrap_or_else(|| panic!("{lang}: card {slug}"));
            let start = list[..at].rfind("<h3").unwrap();
            list[start..at].to_string()
        };
        let expect = |slug: &str, source: &str| {
            let c = card(slug);
            if source == lang {
                assert!(!c.contains("lang="), "{lang} {slug}: {c}");
            } else {
                assert!(
                    c.contains(&format!("lang=\"{source}\"")),
                    "{lang} {slug}: {c}"
                );
            }
        };
        expect("solo", "en");
        expect("duo", if lang == "en" { "en" } else { "ru" });
        expect("trio", lang);

        // The search index's documents (chunk files): kind, title, URL, summary, areas.
        let root = if lang == "en" {
            String::new()
        } else {
            format!("{lang}/")
        };
        let manifest: serde_json::Value =
            serde_json::from_str(&site.read(&format!("{root}search-index.json"))).unwrap();
        let mut docs = Vec::new();
        for c in 0..manifest["chunks"].as_u64().unwrap() {
            let chunk: serde_json::Value =
                serde_json::from_str(&site.read(&format!("{root}search/d{c}.json"))).unwrap();
            docs.extend(
                chunk
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|d| !d.is_null())
                    .cloned(),
            );
        }
        let titles: Vec<&str> = docs
            .iter()
            .filter(|d| d[0] == "project")
            .map(|d| d[1].as_str().unwrap())
            .collect();
        assert_eq!(titles.len(), 3, "{lang}: {titles:?}");
        for title in [solo, duo, trio] {
            assert!(titles.contains(&title), "{lang}: {title} in {titles:?}");
        }

        let feed = site.read(&format!(
            "{}news/atom.xml",
            if lang == "en" {
                String::new()
            } else {
                format!("{lang}/")
            }
        ));
        assert_eq!(feed.matches("<entry").count(), 3, "{lang}");
        assert!(feed.contains("<title>Solo news</title>"), "{lang}");
        if lang == "kk" {
            assert!(feed.contains("<entry xml:lang=\"ru\">\n<title>Новость Дуо</title>"));
            assert!(feed.contains("<entry xml:lang=\"en\">\n<title>Solo news</title>"));
            assert!(feed.contains("<entry>\n<title>Трио жаңалығы</title>"));
        }
    }
}

#[test]
fn counts_and_dates_in_each_language() {
    let site = built();
    let cases = [
        (
            "en",
            ["3 projects", "2 projects", "1 project"],
            "25 November 2026",
        ),
        (
            "ru",
            ["3 проекта", "2 проекта", "1 проект"],
            "25 ноября 2026 г.",
        ),
        ("kk", ["3 жоба", "2 жоба", "1 жоба"], "2026 жылғы 25 қараша"),
    ];
    for (lang, [three, two, one], date) in cases {
        let list = site.read(&file(lang, "/projects/"));
        assert!(
            list.contains(&format!("<p class=\"count\">{three}</p>")),
            "{lang}\n{list}"
        );
        let areas = site.read(&file(lang, "/areas/"));
        for count in [three, two, one] {
            assert!(
                areas.contains(&format!("<p class=\"card-foot\">{count}</p>")),
                "{lang}: {count}"
            );
        }
        let area = site.read(&file(lang, "/areas/satellite/"));
        assert!(
            area.contains(&format!("<p class=\"count\">{one}</p>")),
            "{lang}"
        );
        // The demo day's card counts its projects; its date is written the local way.
        let demos = site.read(&file(lang, "/demos/"));
        assert!(
            demos.contains(&format!("<p class=\"card-foot\">{three}</p>")),
            "{lang}"
        );
        assert!(
            demos.contains(&format!("<time datetime=\"2026-11-25\">{date}</time>")),
            "{lang}: {date}\n{demos}"
        );
        let news = site.read(&file(lang, "/news/trio-news/"));
        assert!(news.contains(&format!(">{date}</time>")), "{lang}");
    }
}

/// A site whose own page template prints the helpers for the numbers of the issue. They
/// read the page's language from the render; a component takes it with `@lang`; an explicit
/// `lang=` (Tera 1 themes passed `lang=lang`) or `t=t` still chooses.
const HELPERS: &str = r#"
-- templates/page.html --
{% for n in [0, 1, 2, 5, 11, 21, 22, 25, 101, 111] %}{{ plural(key="n_projects", n=n) }}|{% endfor %}
filter: {{ 22 | plural(key="n_projects") }}
date: {{ "2026-11-25" | date }}
month: {{ "2026-11-25" | date(format="MONTH YYYY") }}
instant: {{ "2026-11-30T19:00:00Z" | date }}
t: {{ "2026-01-05" | date(t=t) }}
component: {{<when d="2026-11-25" />}}
explicit: {{ "2026-11-25" | date(lang="ru") }} {{ plural(key="n_projects", n=5, lang=lang) }}
-- templates/when.html --
{% component when(d, @lang) %}{{ d | date }}, {{ plural(key="n_projects", n=1) }}{% endcomponent when %}
"#;

#[test]
fn plural_and_date_helpers_for_every_number_in_three_languages() {
    let site = TestSite::new(SITE);
    site.write_txtar(HELPERS);
    site.build();
    // The page is the template's text alone, after the policy the generator puts first.
    let page = |lang: &str| {
        site.read(&file(lang, "/about/")).replacen(
            &format!(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
                showcase::active::CSP
            ),
            "",
            1,
        )
    };
    assert_eq!(
        page("en"),
        "0 projects|1 project|2 projects|5 projects|11 projects|21 projects|22 projects|25 projects|101 projects|111 projects|\nfilter: 22 projects\ndate: 25 November 2026\nmonth: November 2026\ninstant: 1 December 2026\nt: 5 January 2026\ncomponent: 25 November 2026, 1 project\nexplicit: 25 ноября 2026 г. 5 projects\n"
    );
    assert_eq!(
        page("ru"),
        "0 проектов|1 проект|2 проекта|5 проектов|11 проектов|21 проект|22 проекта|25 проектов|101 проект|111 проектов|\nfilter: 22 проекта\ndate: 25 ноября 2026 г.\nmonth: ноября 2026\ninstant: 1 декабря 2026 г.\nt: 5 января 2026 г.\ncomponent: 25 ноября 2026 г., 1 проект\nexplicit: 25 ноября 2026 г. 5 проектов\n"
    );
    assert_eq!(
        page("kk"),
        "0 жоба|1 жоба|2 жоба|5 жоба|11 жоба|21 жоба|22 жоба|25 жоба|101 жоба|111 жоба|\nfilter: 22 жоба\ndate: 2026 жылғы 25 қараша\nmonth: қараша 2026\ninstant: 2026 жылғы 1 желтоқсан\nt: 2026 жылғы 5 қаңтар\ncomponent: 2026 жылғы 25 қараша, 1 жоба\nexplicit: 25 ноября 2026 г. 5 жоба\n"
    );
}

#[test]
fn a_helper_used_wrongly_fails_the_build_naming_the_template() {
    let site = TestSite::new(SITE);
    site.write(
        "templates/page.html",
        "{{ plural(key=\"n_project\", n=2, lang=lang) }}\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: templates/page.html")
            && r.stderr.contains(
                "no UI string `n_project` in the theme's i18n files; did you mean `n_projects`?"
            ),
        "{}",
        r.stderr
    );
    site.write("templates/page.html", "{{ \"soon\" | date(lang=lang) }}\n");
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("`soon` is not a date"), "{}", r.stderr);
    // A component sees only its arguments: without `@lang` it cannot know the page's.
    site.write_txtar(concat!(
        "-- templates/page.html --\n{{<when d=\"2026-11-25\" />}}\n",
        "-- templates/when.html --\n{% component when(d) %}\n{{ d | date }}{% endcomponent when %}\n",
    ));
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: templates/when.html:2:")
            && r.stderr.contains(
                "the page's language is not visible here; inside a component, declare `@lang`"
            )
            && r.stderr.contains("(called from templates/page.html:1)"),
        "{}",
        r.stderr
    );
}

/// The default theme copied into the site, to edit its i18n files.
fn with_theme_copy(site: &TestSite) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for f in support::files_under(&from) {
        let bytes = std::fs::read(from.join(&f)).unwrap();
        site.write_bytes(&format!("themes/default/{f}"), &bytes);
    }
}

#[test]
fn a_missing_ui_string_falls_back_along_the_chain_and_check_warns() {
    let site = TestSite::new(SITE);
    with_theme_copy(&site);
    let kk = site.path("themes/default/i18n/kk.yaml");
    let text = std::fs::read_to_string(&kk).unwrap();
    let line = text.lines().find(|l| l.starts_with("news:")).unwrap();
    std::fs::write(&kk, text.replace(&format!("{line}\n"), "")).unwrap();
    let ru = site.path("themes/default/i18n/ru.yaml");
    let text = std::fs::read_to_string(&ru).unwrap();
    std::fs::write(&ru, text.replace("  few: \"{n} проекта\"\n", "")).unwrap();

    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "a missing string is not an error:\n{}", r.stderr);
    assert!(r.stderr.contains("warning: themes/default/i18n/kk.yaml: the UI string `news` is missing; the `ru` text is used\n  help: add `news:` to this file (translate it from themes/default/i18n/ru.yaml)"), "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: themes/default/i18n/ru.yaml:") && r.stderr.contains("`n_projects` has no `few` form, which `ru` needs for numbers such as 2, 3, 4, 22; the `other` form is used"),
        "{}",
        r.stderr
    );
    let b = site.build();
    assert!(
        b.stderr.contains("the UI string `news` is missing"),
        "build warns too"
    );
    // The Kazakh pages use the Russian word.
    assert!(site.read("kk/index.html").contains(">Новости</a></li>"));
}

#[test]
fn a_translation_may_not_change_a_fact_and_the_error_names_both_files() {
    let site = TestSite::new(SITE);
    site.write(
        "content/projects/trio.kk.md",
        "---\ntitle: Трио\nslug: trio-kk\ncohort: c2\nareas: [telecom]\ntrl: 7\n---\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    for expected in [
        "error: content/projects/trio.kk.md:3:1: `slug` differs from the original content/projects/trio.md\n",
        "error: content/projects/trio.kk.md:4:1: `cohort` differs from the original content/projects/trio.md:4\n",
        "error: content/projects/trio.kk.md:5:1: `areas` differs from the original content/projects/trio.md:5\n",
        "error: content/projects/trio.kk.md:6:1: `trl` differs from the original content/projects/trio.md:7\n  help: a translation inherits `trl`; remove it here, or make both files say the same",
    ] {
        assert!(r.stderr.contains(expected), "{expected}\n---\n{}", r.stderr);
    }
    // Repeating a fact unchanged is fine, and a translation keeps its own `updated:`.
    site.write(
        "content/projects/trio.kk.md",
        "---\ntitle: Трио\ncohort: c1\ntrl: 8\nupdated: 2026-11-01\n---\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn check_translations_prints_the_report_per_language_and_kind() {
    let site = TestSite::new(SITE);
    let r = site.run(&["check", "--translations"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = "\
ru: 3 of 10 items translated, 1 partly translated, 6 missing, 1 outdated
  home     0 of 1 translated, 1 missing
    missing   _index     content/_index.ru.md: no translation; the page shows the `en` text
  project  2 of 3 translated, 1 missing, 1 outdated
    outdated  duo        content/projects/duo.ru.md: the original was updated on 2026-10-01, the translation on 2026-09-01
    missing   solo       content/projects/solo.ru.md: no translation; the page shows the `en` text
  cohort   0 of 1 translated, 1 missing
    missing   c1         content/cohorts/c1.ru.md: no translation; the page shows the `en` text
";
    assert!(r.stdout.starts_with(expected), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "\nkk: 2 of 10 items translated, 1 partly translated, 7 missing, 0 outdated\n"
        ),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("    missing   duo        content/projects/duo.kk.md: no translation; the page shows the `ru` text\n"), "{}", r.stdout);
    // A translation that leaves a field with text untranslated is not counted as translated
    // (issue 14): the Russian news sets its title and body, not the summary.
    assert!(
        r.stdout
            .contains("  news     1 of 3 translated, 1 partly translated, 1 missing\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("    partly    trio-news  content/news/2026-11-25-trio-news.ru.md: not translated: summary; the page shows the `en` text\n"), "{}", r.stdout);
    assert!(
        r.stdout.contains("  page     1 of 1 translated\n"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("ok: 3 projects"), "{}", r.stderr);
    // Without --translations, check prints no report.
    assert_eq!(site.run(&["check"]).stdout, "");
}

#[test]
fn check_translations_writes_csv_for_the_translators() {
    let site = TestSite::new(SITE);
    let csv = site.path("todo.csv");
    let r = site.run(&["check", "--translations", "--csv", csv.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("wrote 16 rows to"), "{}", r.stderr);
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "lang,kind,slug,title,status,original,translation,reason,fields"
    );
    assert_eq!(lines.len(), 17, "{text}");
    assert!(lines.contains(&"ru,project,duo,Duo Link,outdated,content/projects/duo.md,content/projects/duo.ru.md,\"the original was updated on 2026-10-01, the translation on 2026-09-01\","), "{text}");
    assert!(lines.contains(&"kk,project,solo,Solo Sensor,missing,content/projects/solo.md,content/projects/solo.kk.md,no translation; the page shows the `en` text,title;summary;body"), "{text}");
    assert!(lines.contains(&"kk,news,duo-news,Duo news,missing,content/news/2026-11-20-duo-news.md,content/news/2026-11-20-duo-news.kk.md,no translation; the page shows the `ru` text,title;body"), "{text}");
    // `-` writes the CSV to standard output instead of the table.
    let r = site.run(&["check", "--translations", "--csv", "-"]);
    assert_eq!(r.stdout, text);
    // --csv alone is a usage error.
    assert_eq!(site.run(&["check", "--csv", "x.csv"]).code, 2);
    // A site with errors gives no report.
    site.write(
        "content/projects/trio.kk.md",
        "---\ntitle: Трио\ntrl: 3\n---\n",
    );
    let r = site.run(&["check", "--translations"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
}
