//! The YAML mistakes of people who write front matter, site.yaml and UI strings by hand, in
//! English, Russian and Kazakh (issue 15, item 1): each told in plain words at the line and
//! column of the mistake, with a help that shows how to write it; where the help shows the
//! line written right, writing it so makes the site build.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{assert_has, TestSite};

/// Builds the base site with `extra` files and returns stderr, asserting a failed build
/// that wrote nothing and that `check` prints the same errors.
fn errors(extra: &str) -> String {
    TestSite::base_with(extra).fails()
}

/// Words of YAML's, serde's or Rust's that no message may use.
const JARGON: [&str; 16] = [
    "struct",
    "invalid type",
    "scalar",
    "mapping",
    "sequence",
    "token",
    "expected a",
    "anchor",
    "alias",
    "document",
    "variant",
    "u128",
    "i64",
    "unit value",
    "boolean",
    "a map",
];

/// Asserts the one error of `extra` exactly: `PATH:LINE:COL: message` and its help.
fn assert_error(extra: &str, location: &str, message: &str, help: &str) {
    let e = errors(extra);
    assert_has(
        &e,
        &format!("error: {location}: {message}\n  help: {help}\n"),
    );
    for jargon in JARGON {
        assert!(!e.contains(jargon), "`{jargon}` in:\n{e}");
    }
}

/// A project of the base site with `lines` where its `summary:` line would be; the other
/// required fields are right.
fn project_with(lines: &str) -> String {
    format!("-- content/projects/sky-link.md --\n---\ntitle: Sky Link\n{lines}\ncohort: 2025-autumn\nareas: [telecom]\nstage: pilot\ntrl: 7\n---\nBody\n")
}

/// Builds the base site with `file` holding `text`, expecting success.
fn builds(file: &str, text: &str) -> TestSite {
    let site = TestSite::base_with(&format!("-- {file} --\n{text}"));
    let r = site.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    site
}

#[test]
fn a_colon_inside_a_list_entry() {
    assert_error(
        &project_with("summary: S\ntags:\n  - radio\n  - Note: beta"),
        "content/projects/sky-link.md:6:5",
        "entry 2 of `tags` is text, but YAML reads `Note: beta` as a field, because of its `: `",
        "put the entry in quotes: `- \"Note: beta\"`",
    );
    assert_error(
        &project_with("summary: S\ntags: [radio, Note: beta]"),
        "content/projects/sky-link.md:4:15",
        "entry 2 of `tags` is text, but YAML reads `Note: beta` as a field, because of its `: `",
        "put the entry in quotes: `tags: [radio, \"Note: beta\"]`",
    );
    // The fix, written as shown, builds; times and addresses need no quotes.
    builds(
        "content/news/2025-01-02-x.md",
        "---\ntitle: X\nsummary: Demo at 10:30, see https://park.kz/demo\ntags: [radio, \"Note: beta\"]\n---\n",
    );
}

#[test]
fn text_yaml_would_cut_is_an_error() {
    // ` #` starts a note: the summary would be published as `Radio`.
    assert_error(
        &project_with("summary: Radio #1 in Kazakhstan"),
        "content/projects/sky-link.md:3:16",
        "a `#` after a space starts a note, which YAML leaves out: `summary` would end at `Radio`, without `#1 in Kazakhstan`",
        "put the value in quotes: `summary: \"Radio #1 in Kazakhstan\"`; a note to yourself has a space after its `#`",
    );
    // `&word` is a name YAML gives the value, and leaves out of it.
    assert_error(
        &project_with("summary: &Co radios"),
        "content/projects/sky-link.md:3:10",
        "a value cannot start with `&` unless it is in quotes: YAML reads `&Co` as a name for the value and leaves it out, so `summary` would be `radios`",
        "put the value in quotes: `summary: \"&Co radios\"`",
    );
    // Notes written on purpose, and the quoted fix, build.
    builds(
        "content/pages/notes.md",
        "---\ntitle: \"Radio #1\"   # the quotes keep the sign\nsummary: Radios # a note\nweight: 3 #first\n---\n",
    );
}

#[test]
fn a_typographic_quote_does_not_close_a_value() {
    assert_error(
        &project_with("summary: \"Спутниковая связь”"),
        "content/projects/sky-link.md:3:28",
        "the quote `\"` that starts the value of `summary` is never closed: the `”` at its end is a typographic quote, which YAML reads as text",
        "end the value with a straight quote: `summary: \"Спутниковая связь\"`",
    );
    // Typographic quotes are text like any letter.
    builds(
        "content/pages/q.md",
        "---\ntitle: «Қыран» and “Kestrel”\n---\n",
    );
}

#[test]
fn list_entries_without_their_dash() {
    assert_error(
        &project_with("summary: S").replace("areas: [telecom]", "areas:\n  telecom\n  satellite"),
        "content/projects/sky-link.md:6:3",
        "`areas` is a list: each entry is on a line of its own, after `- `",
        "write `- telecom` under `areas:`, and each other entry the same way",
    );
    assert_error(
        &project_with("summary: S").replace("areas: [telecom]", "areas:\n  - telecom\n  satellite"),
        "content/projects/sky-link.md:7:3",
        "this line is in a list, but has no `- ` before it like the entries above",
        "write `- satellite`",
    );
    assert_error(
        &project_with("summary: S\nteam:\n  -name: Aigerim"),
        "content/projects/sky-link.md:5:4",
        "`team` is a list, and each entry starts with `- ` (a dash and a space): its dash has no space after it",
        "write `- name: Aigerim`",
    );
    // A second `name:` in one member: most often the next member without its `- `.
    assert_error(
        &project_with("summary: S\nteam:\n  - name: Aigerim\n    role: CEO\n    name: Arman"),
        "content/projects/sky-link.md:7:1",
        "`name` is given twice",
        "keep one of them; if this line starts the next entry of the list, write `- ` before `name:` and line it up with the `- ` above",
    );
}

#[test]
fn colons_yaml_does_not_see() {
    assert_error(
        &project_with("summary:Satellite links"),
        "content/projects/sky-link.md:3:9",
        "a space is missing after `summary:`, so YAML reads `summary:Satellite links` as text, not as a field",
        "write `summary: Satellite links`",
    );
    // Pasted from a word processor or a chat.
    assert_error(
        &project_with("summary:\u{a0}Спутниковая связь"),
        "content/projects/sky-link.md:3:9",
        "the space after `summary:` is a non-breaking space, which YAML does not count as a space",
        "type an ordinary space after the colon: `summary: Спутниковая связь`",
    );
    assert_error(
        &project_with("summary：Спутник"),
        "content/projects/sky-link.md:3:8",
        "the `：` after `summary` is a full-width colon, which YAML does not count as a colon",
        "write an ordinary colon: `summary: Спутник`",
    );
    assert_error(
        &project_with("summary: S\nteam:\n\u{a0}\u{a0}- name: Aigerim"),
        "content/projects/sky-link.md:5:1",
        "this line is indented with a non-breaking space, which YAML does not count as a space",
        "replace the spaces at the start of the line with ordinary ones (text pasted from a word processor or a chat brings the other kind)",
    );
}

#[test]
fn an_empty_required_field_is_named_at_its_line() {
    assert_error(
        &project_with("summary:"),
        "content/projects/sky-link.md:3:1",
        "`summary` is empty",
        "write one or two sentences for cards, lists and previews after `summary:`; it is required",
    );
    assert_error(
        &project_with("summary: S").replace("trl: 7", "trl:"),
        "content/projects/sky-link.md:7:1",
        "`trl` is empty",
        "fill in `trl:` with a whole number from 1 to 9; it is required",
    );
    assert_error(
        "-- content/pages/x.md --\n---\ntitle:\n---\n",
        "content/pages/x.md:2:1",
        "the title is empty",
        "write the title after `title:`",
    );
}

#[test]
fn fields_that_slipped_out_of_their_group() {
    assert_error(
        &project_with("summary: S\nlinks:\nwebsite: https://sky.kz"),
        "content/projects/sky-link.md:5:1",
        "unknown field `website` for a project",
        "`website` is a field of `links`: indent it by two spaces under `links:`",
    );
    assert_error(
        &project_with("summary: S\nteam:\n  - name: Aigerim\nrole: CEO"),
        "content/projects/sky-link.md:6:1",
        "unknown field `role` for a project",
        "`role` is a field of a member of `team`: indent it to line up with `name:` of its member",
    );
    // Text going on at the left edge.
    assert_error(
        &project_with("summary: Satellite links\nfor remote sites: and ships"),
        "content/projects/sky-link.md:4:1",
        "unknown field `for remote sites` for a project",
        "if this line goes on with the value of `summary` above, indent it by two spaces and put the whole value in quotes",
    );
    assert_error(
        &project_with("summary: S\ngallery:\n  src: a.jpg"),
        "content/projects/sky-link.md:5:3",
        "`gallery` is a list, even with one entry",
        "write `- photo.jpg` (a file of the bundle), or `- src: photo.jpg` with `alt: ...` (what the image shows) and `caption: ...` on the lines under `src:`",
    );
}

/// A field name typed on a Russian or Kazakh keyboard layout looks right and is not.
#[test]
fn a_field_name_with_cyrillic_letters() {
    assert_error(
        &project_with("summаry: S"),
        "content/projects/sky-link.md:3:1",
        "unknown field `summаry` for a project",
        "`summаry` has the Cyrillic letter `а` among its Latin letters: type it in Latin letters, `summary`",
    );
}

/// serde names the gallery when no form of an entry fits; the line is the entry's.
#[test]
fn a_gallery_entry_that_fits_no_form() {
    assert_error(
        &project_with("summary: S\ngallery:\n  - src: a.jpg\n    title: Drone"),
        "content/projects/sky-link.md:5:3",
        "this entry of `gallery` must be an image: a file name, or `src:` with `alt:` and `caption:`",
        "write `- photo.jpg` (a file of the bundle), or `- src: photo.jpg` with `alt: ...` (what the image shows) and `caption: ...` on the lines under `src:`",
    );
}

#[test]
fn true_in_quotes_is_text() {
    assert_error(
        "-- content/pages/x.md --\n---\ntitle: X\ndraft: \"true\"\n---\n",
        "content/pages/x.md:3:8",
        "`draft` is `true` or `false`, written without quotes",
        "write `draft: true`",
    );
}

#[test]
fn a_yaml_item_with_an_end_line() {
    assert_error(
        "-- content/cohorts/spring.yaml --\ntitle: Spring\nstart: 2026-03-01\n...\nend: 2026-05-01\n",
        "content/cohorts/spring.yaml:3:1",
        "a .yaml item is its fields only, without `...` lines",
        "remove the `...` lines; or, to write the body in Markdown under the fields, rename the file to `spring.md`",
    );
}

#[test]
fn language_suffixes_people_write() {
    let e = errors("-- content/pages/about.en-US.md --\n---\ntitle: About\n---\n");
    assert_has(&e, "error: content/pages/about.en-US.md: `en-US` in the file name is a language with a region; the site's languages are written without one\n  help: rename the file to `about.en.md`");
    let e = errors("-- content/pages/about.ru.ru.md --\n---\ntitle: О нас\n---\n");
    assert_has(&e, "error: content/pages/about.ru.ru.md: the language code `ru` is written twice in the file name\n  help: rename the file to `about.ru.md`");
    let e = errors("-- content/pages/about.en.kk.md --\n---\ntitle: Біз туралы\n---\n");
    assert_has(&e, "error: content/pages/about.en.kk.md: the file name has two language codes, `en` and `kk`\n  help: keep the one of the file's language: rename the file to `about.kk.md`, or `about.en.md`");
    let e = errors("-- content/pages/about.KZ.md --\n---\ntitle: Біз туралы\n---\n");
    assert_has(&e, "error: content/pages/about.KZ.md: `KZ` in the file name is not a language of this site\n  help: `kz` is the country code of Kazakhstan; Kazakh is `kk`: rename the file to `about.kk.md`");
    // A version in a name is no language.
    builds(
        "content/pages/release-1.2.md",
        "---\ntitle: Release 1.2\n---\n",
    );
}

#[test]
fn site_yaml_mistakes() {
    let run = |text: &str| {
        let site = TestSite::base_with(&format!("-- site.yaml --\n{text}"));
        let r = site.run(&["check"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        r.stderr
    };
    let e = run("title: Park\nlanguages:\n  ru: { title: Парк }\n  kz: { title: Парк }\n");
    assert_has(&e, "error: site.yaml:4:3: `kz` is the country code of Kazakhstan; Kazakh is `kk`\n  help: write `kk:` under `languages:`, and name the files `….kk.md`");
    let e = run("title: Park\nlanguages: ru, kk\n");
    assert_has(
        &e,
        "error: site.yaml:2:12: `languages` must be a group of fields, not the text `ru, kk`\n  help: write `languages:` alone on its line, then each language on a line of its own under it, indented by two spaces: `ru: { title: ... }`",
    );
    let e = run("title: Park\nnews_per_page: 99999999999999999999999\n");
    assert_has(&e, "error: site.yaml:2:16: `news_per_page` is a number too large to read: `99999999999999999999999`");
    let e = run("title: Park\nareas:\n  telecom: { en: Telecom, ru: [Связь] }\n");
    assert_has(&e, "error: site.yaml:3:3: `telecom` in `areas` must be an area's name: text, or one text per language (`en: ...`, `ru: ...`)");
    let e = run("title: Defense Tech Park #1\n");
    assert_has(&e, "error: site.yaml:1:26: a `#` after a space starts a note, which YAML leaves out: `title` would end at `Defense Tech Park`, without `#1`\n  help: put the value in quotes: `title: \"Defense Tech Park #1\"`; a note to yourself has a space after its `#`");
    for e in [&e] {
        for jargon in JARGON {
            assert!(!e.contains(jargon), "`{jargon}` in:\n{e}");
        }
    }
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
fn ui_string_mistakes() {
    let site = TestSite::base_with("");
    with_theme_copy(&site);
    let rel = "themes/default/i18n/ru.yaml";
    let original = std::fs::read_to_string(site.path(rel)).unwrap();
    let line = original
        .lines()
        .position(|l| l.starts_with("about:"))
        .unwrap()
        + 1;
    let check = |about: &str| {
        site.write(rel, &original.replacen("about: \"О парке\"", about, 1));
        let r = site.run(&["check"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        r.stderr
    };
    assert_has(
        &check("about: О парке: история"),
        &format!("error: {rel}:{line}:15: the value of `about` has a colon and a space (`: `) in it, which YAML reads as the start of another field\n  help: put the value in quotes: `about: \"О парке: история\"`"),
    );
    assert_has(
        &check("about: \"О парке”"),
        &format!("error: {rel}:{line}:16: the quote `\"` that starts the value of `about` is never closed: the `”` at its end is a typographic quote, which YAML reads as text\n  help: end the value with a straight quote: `about: \"О парке\"`"),
    );
    assert_has(
        &check("about:"),
        &format!("error: {rel}:{line}: `about` has no text\n  help: write `about: \"text\"`"),
    );
}

/// CRLF line endings and a byte-order mark change neither the line nor the column, which
/// count characters, not bytes.
#[test]
fn crlf_and_a_bom_keep_lines_and_columns() {
    let text = "\u{feff}---\r\ntitle: Қыран\r\nsummary: Ұшқыш: жылдам әрі арзан\r\ncohort: 2025-autumn\r\nareas: [telecom]\r\nstage: pilot\r\ntrl: 7\r\n---\r\nBody\r\n";
    let site = TestSite::base_with("");
    site.write("content/projects/kyran.md", text);
    let r = site.run(&["check"]);
    assert_has(&r.stderr, "error: content/projects/kyran.md:3:15: the value of `summary` has a colon and a space (`: `) in it, which YAML reads as the start of another field\n  help: put the value in quotes: `summary: \"Ұшқыш: жылдам әрі арзан\"`");
    // The fix as shown builds.
    site.write(
        "content/projects/kyran.md",
        &text.replace(
            "summary: Ұшқыш: жылдам әрі арзан",
            "summary: \"Ұшқыш: жылдам әрі арзан\"",
        ),
    );
    assert_eq!(site.build().code, 0);
}

/// A megabyte in one value is named by its start and end, never echoed whole.
#[test]
fn a_huge_value_is_not_echoed() {
    let huge = "ж".repeat(1_000_000);
    for lines in [
        format!("summary: {huge}: x"),
        format!("summary: S\nteam: [{huge}]"),
        format!("summary: S\ndraft: {huge}"),
        format!("summary: \"{huge}”"),
    ] {
        let e = errors(&project_with(&lines));
        let error_lines: Vec<&str> = e
            .lines()
            .filter(|l| l.starts_with("error:") || l.starts_with("  help:"))
            .collect();
        assert!(!error_lines.is_empty(), "{}", &e[..e.len().min(500)]);
        for l in error_lines {
            assert!(l.chars().count() < 400, "{}", &l[..300]);
        }
    }
}

/// Each fix a help shows in full, written into the file as shown, makes the site build.
#[test]
fn each_fix_shown_builds_when_written_as_shown() {
    for summary in [
        "summary: Our radio: fast and cheap",
        "summary: @skylink on Telegram",
        "summary: Radio #1 in Kazakhstan",
        "summary: &Co radios",
        "summary: \"Спутниковая связь”",
        "summary: 'Kazakhstan's first radio'",
        "summary: 'It\\'s \"ours\"' now",
        "summary: \"C:\\data\\radio\"",
        "summary: Our goals:",
        "summary: [Beta] Sky radio",
        "summary:Satellite links",
        "summary:\u{a0}Спутник",
        "summary: > 50 km range",
        "summary: ? why not",
    ] {
        let site = TestSite::base_with(&project_with(summary));
        let r = site.run(&["check"]);
        assert_eq!(r.code, 1, "{summary}: {}", r.stderr);
        let help = r
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("  help: "))
            .unwrap();
        let start = help
            .rfind("`summary")
            .unwrap_or_else(|| panic!("{summary}: {help}"))
            + 1;
        let end = help[start..]
            .find("`; ")
            .map_or(help.len() - 1, |i| start + i);
        let fixed = &help[start..end];
        site.edit("content/projects/sky-link.md", summary, fixed);
        let r = site.build();
        assert_eq!(r.code, 0, "{summary} -> {fixed}: {}", r.stderr);
    }
}
