//! Demo days in calendars (issue 14, item 11): every `.ics` file the sample site and the
//! fixtures publish is read with a real iCalendar parser (the `icalendar` crate) and checked
//! against RFC 5545's line and text grammar; UIDs stay put across builds and edits; times
//! carry the site's time zone with a `VTIMEZONE` that agrees with the tz database; hostile
//! titles and venues round-trip; drafts and embargoed demo days are in no calendar; bad
//! `start`/`end` values are errors with file, line and help.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike};
use support::TestSite;

mod support;

/// The RFC 5545 3.1 rules every physical line of `text` must follow: each ends with CRLF
/// (no bare CR or LF), holds at most 75 octets, and a continuation starts with one space;
/// nothing follows the last CRLF.
fn check_lines(name: &str, text: &str) {
    assert!(text.ends_with("\r\n"), "{name}: does not end with CRLF");
    let body = &text[..text.len() - 2];
    for (i, line) in body.split("\r\n").enumerate() {
        assert!(
            !line.contains(['\r', '\n']),
            "{name}:{}: a bare CR or LF",
            i + 1
        );
        assert!(
            line.len() <= 75,
            "{name}:{}: {} octets: {line}",
            i + 1,
            line.len()
        );
        assert!(!line.is_empty(), "{name}:{}: an empty line", i + 1);
    }
}

/// The content lines of `text`, unfolded.
fn unfolded(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for l in text.trim_end_matches("\r\n").split("\r\n") {
        match l.strip_prefix(' ') {
            Some(rest) => lines.last_mut().unwrap().push_str(rest),
            None => lines.push(l.to_string()),
        }
    }
    lines
}

/// Whether `value` is a TEXT value by the grammar of RFC 5545 3.3.11: no control character
/// but tab, no bare `;` or `,`, and a backslash only before `\`, `;`, `,`, `n` or `N`.
fn is_text(value: &str) -> bool {
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        let ok = match c {
            '\\' => matches!(chars.next(), Some('\\' | ';' | ',' | 'n' | 'N')),
            ';' | ',' => false,
            '\t' => true,
            c => !c.is_control(),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Reads one published `.ics` file: checks its lines, that every TEXT property is written
/// by the grammar, and parses it. Returns the calendar.
fn parse(name: &str, text: &str) -> icalendar::Calendar {
    check_lines(name, text);
    for line in unfolded(text) {
        let (head, value) = line.split_once(':').unwrap();
        let prop = head.split(';').next().unwrap();
        if [
            "SUMMARY",
            "DESCRIPTION",
            "LOCATION",
            "NAME",
            "X-WR-CALNAME",
            "TZNAME",
        ]
        .contains(&prop)
        {
            assert!(is_text(value), "{name}: not TEXT: {line}");
        }
    }
    let cal: icalendar::Calendar = text
        .parse()
        .unwrap_or_else(|e| panic!("{name} does not parse: {e}\n{text}"));
    // The raw parse keeps every component: one VCALENDAR, VERSION 2.0 and a PRODID.
    let unfolded_text = icalendar::parser::unfold(text);
    let raw = icalendar::parser::read_calendar(&unfolded_text).unwrap();
    let prop = |n: &str| {
        raw.properties
            .iter()
            .find(|p| p.name.as_str() == n)
            .map(|p| p.val.as_str().to_string())
    };
    assert_eq!(prop("VERSION").as_deref(), Some("2.0"), "{name}");
    assert!(prop("PRODID").is_some(), "{name}");
    assert!(
        cal.events().count() > 0,
        "{name}: a calendar without events"
    );
    for e in cal.events() {
        for key in ["UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL"] {
            assert!(
                e.property_value(key).is_some(),
                "{name}: an event without {key}"
            );
        }
        assert!(e.get_timestamp().is_some(), "{name}: DTSTAMP is not UTC");
    }
    cal
}

/// Every `.ics` file under `out`, parsed, by output path.
fn calendars(out: &Path) -> BTreeMap<String, (String, icalendar::Calendar)> {
    support::files_under(out)
        .into_iter()
        .filter(|f| f.ends_with(".ics"))
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{f} is not UTF-8"));
            let cal = parse(&f, &text);
            (f, (text, cal))
        })
        .collect()
}

/// The events of a calendar by UID.
fn by_uid(cal: &icalendar::Calendar) -> BTreeMap<String, &icalendar::Event> {
    cal.events()
        .map(|e| (e.get_uid().unwrap().to_string(), e))
        .collect()
}

/// The one event of a demo day's file.
fn only_event(cal: &icalendar::Calendar) -> &icalendar::Event {
    let events: Vec<_> = cal.events().collect();
    assert_eq!(events.len(), 1);
    events[0]
}

/// A `DTSTART`/`DTEND` as `(local time, TZID)`, or the day of an all-day one.
fn when(t: Option<DatePerhapsTime>) -> (String, Option<String>) {
    match t.unwrap() {
        DatePerhapsTime::Date(d) => (d.to_string(), None),
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            (date_time.to_string(), Some(tzid))
        }
        other => panic!("neither a day nor a time with TZID: {other:?}"),
    }
}

/// The `LANGUAGE` parameter of property `key`.
fn language(e: &icalendar::Event, key: &str) -> String {
    e.properties()[key].params()["LANGUAGE"].value().to_string()
}

/// The observances of a file's `VTIMEZONE` (read with the parser): (onset as written,
/// offset before, offset after).
fn observances(text: &str) -> Vec<(String, String, String)> {
    let unfolded_text = icalendar::parser::unfold(text);
    let raw = icalendar::parser::read_calendar(&unfolded_text).unwrap();
    let zones: Vec<_> = raw
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VTIMEZONE")
        .collect();
    assert!(zones.len() <= 1);
    zones
        .iter()
        .flat_map(|z| z.components.iter())
        .map(|o| {
            let p = |n: &str| {
                o.properties
                    .iter()
                    .find(|p| p.name.as_str() == n)
                    .map(|p| p.val.as_str().to_string())
                    .unwrap()
            };
            (p("DTSTART"), p("TZOFFSETFROM"), p("TZOFFSETTO"))
        })
        .collect()
}

/// The UTC offset (`+0500`) that `local` (`2026-12-11 14:00:00`) has by the observances of
/// a `VTIMEZONE`, read as RFC 5545 3.6.5 says: the last onset at or before it.
fn offset_by_observances(obs: &[(String, String, String)], local: &str) -> String {
    let key: String = local.chars().filter(char::is_ascii_digit).collect();
    let mut best: Option<&(String, String, String)> = None;
    for o in obs {
        let onset: String = o.0.chars().filter(char::is_ascii_digit).collect();
        if onset <= key && best.is_none_or(|b| b.0 < o.0) {
            best = Some(o);
        }
    }
    best.unwrap_or_else(|| panic!("no observance for {local}"))
        .2
        .clone()
}

/// The offset of `local` in `zone` by the tz database (jiff), as a UTC-OFFSET value.
fn offset_by_database(zone: &str, local: &str) -> String {
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    let dt: jiff::civil::DateTime = local.replace(' ', "T").parse().unwrap();
    let s = tz.to_zoned(dt).unwrap().offset().seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    format!("{sign}{:02}{:02}", a / 3600, a % 3600 / 60)
}

#[test]
fn the_sample_site_offers_valid_calendars_of_its_demo_days() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_showcase"))
        .args(["build", "--root"])
        .arg(root)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let r = support::run(o);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all = calendars(&out);
    // Each demo day in each language, and the calendar of them all in each language.
    for prefix in ["", "ru/", "kk/"] {
        for file in [
            "demos/calendar.ics",
            "demos/demo-day-2026-06/event.ics",
            "demos/demo-day-2026-12/event.ics",
        ] {
            assert!(
                all.contains_key(&format!("{prefix}{file}")),
                "{prefix}{file}"
            );
        }
    }
    assert_eq!(all.len(), 9, "{:?}", all.keys());
    let (text, cal) = &all["demos/demo-day-2026-12/event.ics"];
    let e = only_event(cal);
    assert_eq!(
        e.get_uid(),
        Some("demos/demo-day-2026-12@showcase.example.kz")
    );
    assert_eq!(
        when(e.get_start()),
        ("2026-12-11 14:00:00".into(), Some("Asia/Almaty".into()))
    );
    assert_eq!(
        when(e.get_end()),
        ("2026-12-11 17:30:00".into(), Some("Asia/Almaty".into()))
    );
    assert_eq!(e.get_location(), Some("House of the Army, Almaty"));
    assert_eq!(
        e.get_url(),
        Some("https://showcase.example.kz/demos/demo-day-2026-12/")
    );
    assert_eq!(e.get_summary(), Some("Demo day — December 2026"));
    // The database says Almaty is at +05:00 (since March 2024); the file says so too.
    let obs = observances(text);
    assert_eq!(
        offset_by_observances(&obs, "2026-12-11 14:00:00"),
        offset_by_database("Asia/Almaty", "2026-12-11 14:00:00")
    );
    assert_eq!(offset_by_observances(&obs, "2026-12-11 14:00:00"), "+0500");
    // The Russian file: the Russian text and page, the same UID.
    let ru = only_event(&all["ru/demos/demo-day-2026-12/event.ics"].1);
    assert_eq!(ru.get_summary(), Some("Демо-день — декабрь 2026"));
    assert_eq!(language(ru, "SUMMARY"), "ru");
    assert_eq!(ru.get_location(), Some("Дом армии, Алматы"));
    assert_eq!(
        ru.get_url(),
        Some("https://showcase.example.kz/ru/demos/demo-day-2026-12/")
    );
    assert_eq!(ru.get_uid(), e.get_uid());
    // Kazakh has no translation of it: Russian text (marked so) on the Kazakh page's URL.
    let kk = only_event(&all["kk/demos/demo-day-2026-12/event.ics"].1);
    assert_eq!(language(kk, "SUMMARY"), "ru");
    assert_eq!(
        kk.get_url(),
        Some("https://showcase.example.kz/kk/demos/demo-day-2026-12/")
    );
    // The calendar holds both demo days, past and upcoming, with the same UIDs.
    for prefix in ["", "ru/", "kk/"] {
        let cal = &all[&format!("{prefix}demos/calendar.ics")].1;
        let uids: Vec<String> = by_uid(cal).into_keys().collect();
        assert_eq!(
            uids,
            [
                "demos/demo-day-2026-06@showcase.example.kz",
                "demos/demo-day-2026-12@showcase.example.kz"
            ]
        );
    }
    // The pages link the files and show the time; every link resolves.
    let page = std::fs::read_to_string(out.join("demos/demo-day-2026-12/index.html")).unwrap();
    assert!(page.contains(
        "<time datetime=\"2026-12-11T14:00:00+05:00\">14:00</time>–<time datetime=\"2026-12-11T17:30:00+05:00\">17:30</time>"
    ));
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"text/calendar\" title=\"Demo day — December 2026 (iCalendar)\" href=\"/demos/demo-day-2026-12/event.ics\">"
    ));
    // The structured data says the same time.
    assert!(
        page.contains("\"startDate\":\"2026-12-11T14:00:00+05:00\""),
        "{page}"
    );
    assert!(page.contains("\"endDate\":\"2026-12-11T17:30:00+05:00\""));
    let list = std::fs::read_to_string(out.join("kk/demos/index.html")).unwrap();
    assert!(list.contains("href=\"webcal://showcase.example.kz/kk/demos/calendar.ics\""));
    assert!(list.contains("Демо-күндер күнтізбесіне жазылу"));
    assert!(list.contains("href=\"/kk/demos/calendar.ics\" download="));
    let broken = support::broken_links(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // Never in the sitemap: calendars are not pages.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains(".ics"));
}

/// A hostile title, venue and description, a long Kazakh title and Russian text, a draft,
/// an embargoed and an all-day demo day, on the base test site.
const HOSTILE: &str = r#"
-- content/demos/hostile.md --
---
title: 'Demo; day, with \ a backslash and \n not a newline'
date: 2099-05-20
start: 14:00
end: "17:30"
updated: 2026-03-01
venue: "Hall 1, floor 2;\nRoom \"A\" \\ B"
description: "Line one;\r\nline two, and a tab\there"
---
Body.
-- content/demos/hostile.ru.md --
---
title: Демо-день; «точка с запятой», запятая \ обратная черта
venue: Дом армии, Алматы
---
-- content/demos/long.md --
---
title: Қорғаныс технологиялары паркінің күзгі акселератор тобының қорытынды демо-күні және серіктестермен кездесулер, ұшу сынақтары мен байланыс жүйелерінің көрсетілімдері
date: 2099-10-02
start: "9:30"
venue: Армия үйі, Алматы қаласы, Қазақстан Республикасы
description: Итоговый демо-день осенней когорты акселератора парка оборонных технологий, на котором команды покажут беспилотники, системы спутниковой связи, средства радиоэлектронной разведки и геопространственной аналитики, а также проведут встречи с представителями Министерства обороны, промышленности и вузов-партнёров; вход по приглашениям.
---
-- content/demos/secret-draft.md --
---
title: Secret draft demo
date: 2099-01-10
draft: true
start: "14:00"
---
-- content/demos/secret-embargo.md --
---
title: Secret embargoed demo
date: 2099-01-11
publish_after: 2098-12-01
---
"#;

#[test]
fn hostile_text_round_trips_and_long_lines_fold_on_characters() {
    let site = TestSite::base_with(HOSTILE);
    site.build();
    let all = calendars(&site.path("public"));
    let e = only_event(&all["demos/hostile/event.ics"].1);
    assert_eq!(
        e.get_summary(),
        Some("Demo; day, with \\ a backslash and \\n not a newline")
    );
    assert_eq!(e.get_location(), Some("Hall 1, floor 2;\nRoom \"A\" \\ B"));
    assert_eq!(
        e.get_description(),
        Some("Line one;\nline two, and a tab\there\n\nhttps://test.example.kz/demos/hostile/")
    );
    let raw = &all["demos/hostile/event.ics"].0;
    assert!(raw.contains("SUMMARY;LANGUAGE=en:Demo\\; day\\, with \\\\ a backslash and \\\\n not"));
    // Russian: its own title and venue, marked Russian.
    let ru = only_event(&all["ru/demos/hostile/event.ics"].1);
    assert_eq!(
        ru.get_summary(),
        Some("Демо-день; «точка с запятой», запятая \\ обратная черта")
    );
    assert_eq!(language(ru, "LOCATION"), "ru");
    // The description is the original's: marked English although the file is Russian.
    assert_eq!(language(ru, "DESCRIPTION"), "en");
    // Long Kazakh and Russian text: folded into lines of at most 75 octets (checked for
    // every file by `parse`), never inside a letter, and read back whole.
    let (text, cal) = &all["demos/long/event.ics"];
    let e = only_event(cal);
    assert!(e
        .get_summary()
        .unwrap()
        .starts_with("Қорғаныс технологиялары"));
    assert!(e.get_summary().unwrap().ends_with("көрсетілімдері"));
    assert!(e
        .get_description()
        .unwrap()
        .contains("вход по приглашениям."));
    assert!(text.lines().filter(|l| l.starts_with(' ')).count() > 10);
    assert_eq!(when(e.get_start()).0, "2099-10-02 09:30:00");
    assert!(e.get_end().is_none(), "no end, no DTEND");
}

#[test]
fn uids_and_bytes_stay_put_across_builds_and_edits() {
    let site = TestSite::base_with(HOSTILE);
    site.build();
    let ics = |site: &TestSite| -> Vec<(String, Vec<u8>)> {
        site.snapshot()
            .into_iter()
            .filter(|(f, _)| f.ends_with(".ics"))
            .collect()
    };
    let first = ics(&site);
    assert!(
        first.len() >= 12,
        "{:?}",
        first.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    // Built again: the same bytes (no build time in them).
    site.build();
    assert_eq!(ics(&site), first);
    // DTSTAMP and LAST-MODIFIED come from `updated:` (the start of that day in Almaty).
    let text = site.read("demos/hostile/event.ics");
    assert!(text.contains("\r\nDTSTAMP:20260228T190000Z\r\n"), "{text}");
    assert!(text.contains("\r\nLAST-MODIFIED:20260228T190000Z\r\n"));
    // Without `updated:`, from `date:`.
    let base = site.read("demos/demo-day-2025-12/event.ics");
    assert!(base.contains("\r\nDTSTAMP:20251209T190000Z\r\n"), "{base}");
    // A new title, venue and time keep the UID; the calendar still has one event for it.
    let before = by_uid(&parse("", &site.read("demos/calendar.ics")))
        .into_keys()
        .collect::<Vec<_>>();
    site.edit(
        "content/demos/long.md",
        "title: Қорғаныс",
        "title: Жаңа атау. Қорғаныс",
    );
    site.edit(
        "content/demos/long.md",
        "start: \"9:30\"",
        "start: \"11:00\"",
    );
    site.build();
    let cal = parse("", &site.read("demos/calendar.ics"));
    assert_eq!(by_uid(&cal).into_keys().collect::<Vec<_>>(), before);
    let e = by_uid(&cal)["demos/long@test.example.kz"];
    assert!(e.get_summary().unwrap().starts_with("Жаңа атау."));
    assert_eq!(when(e.get_start()).0, "2099-10-02 11:00:00");
}

#[test]
fn drafts_and_embargoed_demo_days_are_in_no_calendar() {
    let site = TestSite::base_with(HOSTILE);
    for args in [&["build"][..], &["build", "--drafts"][..]] {
        let r = site.run(args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let all = calendars(&site.path("public"));
        for (f, (text, _)) in &all {
            assert!(!f.contains("secret"), "{args:?}: {f}");
            assert!(!text.contains("Secret"), "{args:?}: {f}");
            assert!(!text.contains("secret-"), "{args:?}: {f}");
        }
        let cal = &all["demos/calendar.ics"].1;
        assert_eq!(
            by_uid(cal).into_keys().collect::<Vec<_>>(),
            [
                "demos/demo-day-2025-12@test.example.kz",
                "demos/hostile@test.example.kz",
                "demos/long@test.example.kz"
            ],
            "{args:?}"
        );
    }
    // The draft's page, which `--drafts` shows, offers no calendar file.
    let page = site.read("demos/secret-draft/index.html");
    assert!(!page.contains(".ics"), "{page}");
}

#[test]
fn a_draft_translation_leaves_the_original_text_in_calendars() {
    let site = TestSite::base_with(
        r#"
-- content/demos/demo-day-2025-12.ru.md --
---
title: Черновик перевода
draft: true
---
"#,
    );
    let r = site.run(&["build", "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let e = only_event(&parse(
        "",
        &site.read("ru/demos/demo-day-2025-12/event.ics"),
    ))
    .clone();
    assert_eq!(e.get_summary(), Some("Demo Day December 2025"));
    assert_eq!(language(&e, "SUMMARY"), "en");
    assert_eq!(
        e.get_url(),
        Some("https://test.example.kz/ru/demos/demo-day-2025-12/")
    );
}

#[test]
fn all_day_events_end_the_next_day_and_past_ones_offer_no_button() {
    let site = TestSite::base_with(
        r#"
-- content/demos/new-year.md --
---
title: New Year demo
date: 2099-12-31
---
"#,
    );
    site.build();
    let (text, cal) = {
        let t = site.read("demos/new-year/event.ics");
        let c = parse("new-year", &t);
        (t, c)
    };
    let e = only_event(&cal);
    assert_eq!(when(e.get_start()), ("2099-12-31".into(), None));
    assert_eq!(when(e.get_end()), ("2100-01-01".into(), None));
    assert!(!text.contains("VTIMEZONE"), "no time, no zone");
    // An upcoming demo day offers its file; a past one (2025) keeps it but shows no button.
    let upcoming = site.read("demos/new-year/index.html");
    assert!(upcoming.contains(
        "<a class=\"button\" href=\"/demos/new-year/event.ics\" download=\"new-year.ics\" type=\"text/calendar\">Add to calendar</a>"
    ));
    let past = site.read("demos/demo-day-2025-12/index.html");
    assert!(!past.contains("Add to calendar"));
    assert!(past.contains("href=\"/demos/demo-day-2025-12/event.ics\""));
    // Translated in Russian and Kazakh.
    assert!(site
        .read("ru/demos/new-year/index.html")
        .contains(">Добавить в календарь</a>"));
    assert!(site
        .read("kk/demos/new-year/index.html")
        .contains(">Күнтізбеге қосу</a>"));
}

#[test]
fn times_carry_a_zone_with_daylight_saving_that_agrees_with_the_database() {
    let site = TestSite::base_with(
        r#"
-- site.yaml --
title: Test Park
base_url: https://парк.example.kz/sub/
timezone: Europe/Berlin
languages:
  ru: { title: Тестовый парк }
areas:
  telecom: Telecommunications
  satellite: Satellite solutions
-- content/demos/winter.md --
---
title: Winter demo
date: 2099-01-15
start: "10:00"
end: "12:00"
---
-- content/demos/summer.md --
---
title: Summer demo
date: 2099-07-01
start: "18:00"
end: "21:15"
---
-- content/demos/орбита.md --
---
title: Orbita demo
date: 2099-10-25
start: "02:30"
---
"#,
    );
    site.build();
    let text = site.read("demos/calendar.ics");
    let cal = parse("calendar", &text);
    let obs = observances(&text);
    // Standard and daylight time are both there, and every event's local time reads at the
    // offset the database gives it (2:30 on the last Sunday of October occurs twice: the
    // first, summer time, as RFC 5545 and jiff both read it).
    assert!(obs.iter().any(|o| o.2 == "+0200") && obs.iter().any(|o| o.2 == "+0100"));
    let timed: Vec<_> = cal
        .events()
        .filter(|e| e.get_summary() != Some("Demo Day December 2025"))
        .collect();
    assert_eq!(timed.len(), 3);
    for e in timed {
        for t in [e.get_start(), e.get_end()].into_iter().flatten() {
            let (local, tzid) = when(Some(t));
            assert_eq!(tzid.as_deref(), Some("Europe/Berlin"));
            assert_eq!(
                offset_by_observances(&obs, &local),
                offset_by_database("Europe/Berlin", &local),
                "{local}"
            );
        }
    }
    // The UID: the page's path (percent-encoded, with the base path) at the host (punycode).
    let uids: Vec<String> = by_uid(&cal).into_keys().collect();
    assert!(
        uids.contains(&"sub/demos/summer@xn--80aunf.example.kz".to_string()),
        "{uids:?}"
    );
    assert!(uids.contains(
        &"sub/demos/%D0%BE%D1%80%D0%B1%D0%B8%D1%82%D0%B0@xn--80aunf.example.kz".to_string()
    ));
    let e = by_uid(&cal)["sub/demos/summer@xn--80aunf.example.kz"];
    assert_eq!(
        e.get_url(),
        Some("https://xn--80aunf.example.kz/sub/demos/summer/")
    );
    // The page shows the time with the day's offset.
    let page = site.read("demos/summer/index.html");
    assert!(page.contains("<time datetime=\"2099-07-01T18:00:00+02:00\">18:00</time>"));
    assert!(page.contains("(UTC+2)"));
    let list = site.read("demos/index.html");
    assert!(list.contains("href=\"webcal://xn--80aunf.example.kz/sub/demos/calendar.ics\""));
}

#[test]
fn a_site_without_demo_days_has_no_calendar() {
    let site = TestSite::base_with("");
    site.remove("content/demos/demo-day-2025-12.md");
    site.build();
    assert!(!site.output_files().iter().any(|f| f.ends_with(".ics")));
    assert!(!site.read("demos/index.html").contains("calendar"));
}

#[test]
fn bad_times_are_errors_with_the_file_and_line() {
    let demo = |fields: &str| {
        format!(
            "\n-- content/demos/demo-day-2025-12.md --\n---\ntitle: Demo\ndate: 2025-12-10\n{fields}\n---\n"
        )
    };
    let cases = [
        (
            "start: \"2pm\"",
            "content/demos/demo-day-2025-12.md:4:1: `2pm` is not a time of day",
            "help: write it as HH:MM on a 24-hour clock, e.g. `start: \"14:00\"`; it is read in Asia/Almaty",
        ),
        (
            "start: \"14:00\"\nend: \"24:00\"",
            "content/demos/demo-day-2025-12.md:5:1: `24:00` is not a time of day",
            "help: write it as HH:MM",
        ),
        (
            "end: \"17:30\"",
            "content/demos/demo-day-2025-12.md:4:1: `end` is given without `start`",
            "help: add `start: \"HH:MM\"`",
        ),
        (
            "start: \"14:00\"\nend: \"13:00\"",
            "content/demos/demo-day-2025-12.md:5:1: the demo day ends (13:00) before it starts (14:00)",
            "help: `end` is a later time on the same day as `start`",
        ),
        (
            "start: \"14:00\"\nend: \"14:00\"",
            "the demo day ends when it starts (14:00)",
            "help: `end` is a later time",
        ),
    ];
    for (fields, error, help) in cases {
        let site = TestSite::base_with(&demo(fields));
        let stderr = site.fails();
        assert!(stderr.contains(error), "{fields}:\n{stderr}");
        assert!(stderr.contains(help), "{fields}:\n{stderr}");
    }
    // A cohort's `start` stays a date; a demo day's is a time.
    let site = TestSite::base_with(&demo("start: 2025-12-10"));
    assert!(site.fails().contains("`2025-12-10` is not a time of day"));
    // A time the clocks skip (spring forward in Berlin) does not exist.
    let site = TestSite::base_with(
        "\n-- site.yaml --\ntitle: T\nbase_url: https://t.kz\ntimezone: Europe/Berlin\nareas: {telecom: T, satellite: S}\n\
         -- content/demos/demo-day-2025-12.md --\n---\ntitle: Demo\ndate: 2027-03-28\nstart: \"02:30\"\n---\n",
    );
    let stderr = site.fails();
    assert!(
        stderr.contains(
            "demo-day-2025-12.md:4:1: 02:30 does not exist on 2027-03-28 in Europe/Berlin"
        ),
        "{stderr}"
    );
    // A translation may not move the time.
    let site = TestSite::base_with(
        "\n-- content/demos/demo-day-2025-12.md --\n---\ntitle: Demo\ndate: 2025-12-10\nstart: \"14:00\"\n---\n\
         -- content/demos/demo-day-2025-12.ru.md --\n---\ntitle: Демо\nstart: \"15:00\"\n---\n",
    );
    let stderr = site.fails();
    assert!(
        stderr.contains("demo-day-2025-12.ru.md:3:1: `start` differs from the original"),
        "{stderr}"
    );
}

#[test]
fn a_bundle_file_named_like_the_calendar_file_is_a_collision() {
    let site = TestSite::base_with(
        "\n-- content/demos/bundle/index.md --\n---\ntitle: Bundle\ndate: 2099-01-01\n---\n-- content/demos/bundle/event.ics --\nBEGIN:VCALENDAR\n",
    );
    let stderr = site.fails();
    assert!(stderr.contains("event.ics"), "{stderr}");
}

#[test]
fn the_preview_serves_calendars_as_text_calendar_without_its_drafts() {
    let site = TestSite::base_with(HOSTILE);
    let server = site.serve(&[]);
    let r = server.get("/demos/calendar.ics");
    assert_eq!(r.status, 200);
    assert!(
        r.headers
            .to_lowercase()
            .contains("content-type: text/calendar; charset=utf-8"),
        "{}",
        r.headers
    );
    // The preview shows drafts and embargoed items (marked); calendars still leave them out.
    assert!(!r.body.contains("Secret"), "{}", r.body);
    assert_eq!(server.get("/demos/secret-draft/").status, 200);
    assert_eq!(server.get("/demos/secret-draft/event.ics").status, 404);
    assert_eq!(server.get("/demos/secret-embargo/event.ics").status, 404);
    assert_eq!(server.get("/ru/demos/hostile/event.ics").status, 200);
}

#[test]
fn the_preview_renders_calendars_again_when_a_demo_day_changes() {
    use showcase::pipeline::{self, Cache};
    let site = TestSite::base_with(HOSTILE);
    let options = support::preview_options();
    let mut cache = Cache::default();
    pipeline::render_cached(site.root(), None, &options, &mut cache).unwrap();
    let (long, ru) = ("content/demos/long.md", "content/demos/hostile.ru.md");
    site.edit(long, "start: \"9:30\"", "start: \"10:15\"");
    site.edit(ru, "venue: Дом армии", "venue: Новый зал");
    cache.changed([long, ru].into_iter().map(Into::into).collect());
    let inc = pipeline::render_cached(site.root(), None, &options, &mut cache).unwrap();
    let full = pipeline::render(site.root(), None, &options).unwrap();
    let ics = |r: &pipeline::Rendered| -> Vec<(String, Vec<u8>)> {
        support::rendered_bytes(r)
            .into_iter()
            .filter(|(f, _)| f.ends_with(".ics"))
            .collect()
    };
    assert_eq!(ics(&inc), ics(&full));
    let text = |f: &str| {
        let all = ics(&inc);
        String::from_utf8(all.into_iter().find(|(p, _)| p == f).unwrap().1).unwrap()
    };
    assert!(text("demos/long/event.ics").contains(":20991002T101500\r\n"));
    assert!(text("demos/calendar.ics").contains(":20991002T101500\r\n"));
    assert!(text("ru/demos/calendar.ics").contains("LOCATION;LANGUAGE=ru:Новый зал\\, Алматы\r\n"));
}
