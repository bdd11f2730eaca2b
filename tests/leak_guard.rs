//! The leak guard sees what visitors see (issue 11, class 5; hostile input 44): an internal
//! value is caught in every form the pipeline gives it (smart punctuation, emphasis inside a
//! word, entities, Unicode normalisation, whitespace, JSON and percent escapes, invisible
//! characters, look-alike letters, slugs and file names), in every text encoding of a
//! copied file and in the text inside binary ones, and it is reported once per value.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::TestSite;

/// The base site with `extra`; asserts that `build` and `check` both fail and that the build
/// wrote nothing; returns the build's stderr.
fn leak(extra: &str) -> String {
    let site = TestSite::base_with(extra);
    leak_in(&site)
}

fn leak_in(site: &TestSite) -> String {
    site.fails()
}

/// The error lines of a run.
fn errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error:")).collect()
}

/// A project holding `internal: {contact: ...}` and a body.
fn project(internal: &str, body: &str) -> String {
    format!(
        "-- content/projects/falcon.md --\n---\ntitle: Falcon\nsummary: Sensors.\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 2\ninternal: {{contact: \"{internal}\"}}\n---\n{body}\n"
    )
}

const ONEILL: &str = "Major O'Neill, room 12";

#[test]
fn smart_quotes_are_caught() {
    // The body's ' becomes ’ (smart punctuation) on the page.
    let e = leak(&project(ONEILL, "Ask Major O'Neill, room 12."));
    assert!(
        errors(&e).iter().any(|l| l.starts_with(
            "error: content/projects/falcon.md:8: the value of `internal.contact` appears in "
        ) && l.contains("projects/falcon/index.html")),
        "{e}"
    );
    let site = TestSite::base_with(&project(ONEILL, "Ask someone else."));
    site.build();
    assert!(site.read("projects/falcon/index.html").contains("Falcon"));
}

#[test]
fn emphasis_inside_a_word_is_caught() {
    let e = leak(&project(ONEILL, "Ask Major O'*Nei*ll, room 12."));
    assert!(
        e.contains("the value of `internal.contact` appears in"),
        "{e}"
    );
}

#[test]
fn entities_are_caught() {
    for body in [
        "Ask Major O&rsquo;Neill, room 12.",
        "Ask Major O&#39;Neill, room&nbsp;12.",
        "Ask Major O&#x2019;Neill, room 12.",
    ] {
        let e = leak(&project(ONEILL, body));
        assert!(
            e.contains("the value of `internal.contact` appears in"),
            "{body}\n{e}"
        );
    }
    // An ampersand escaped on the page.
    let e = leak(&project(
        "Kazakh R&D Centre",
        "Visit the Kazakh R&D Centre.",
    ));
    assert!(e.contains("`internal.contact`"), "{e}");
}

#[test]
fn nfd_and_nfc_cyrillic_are_one_text() {
    // The internal value in NFC, the body in NFD (й = и + U+0306), and the other way.
    let nfc = "Майор Йорданов, кабинет 12";
    let nfd = "Маи\u{306}ор И\u{306}орданов, кабинет 12";
    let e = leak(&project(nfc, &format!("Спросите: {nfd}.")));
    assert!(e.contains("`internal.contact`"), "{e}");
    let e = leak(&project(nfd, &format!("Спросите: {nfc}.")));
    assert!(e.contains("`internal.contact`"), "{e}");
    // Kazakh letters in upper case are still the value; the same words without their
    // marks are another text and publish.
    let kk = "Әлия Ұлықбекқызы, Қазақстан";
    let e = leak(&project(kk, "ӘЛИЯ ҰЛЫҚБЕКҚЫЗЫ, ҚАЗАҚСТАН"));
    assert!(e.contains("`internal.contact`"), "{e}");
    TestSite::base_with(&project(kk, "Алия Улыкбеккызы, Казакстан")).build();
}

#[test]
fn whitespace_and_line_breaks_are_caught() {
    for body in [
        "Ask Major\nO'Neill,\nroom 12.",
        "Ask Major    O'Neill,   room 12.",
        "Ask Major O'Neill,  \nroom 12 (a hard break).",
    ] {
        let e = leak(&project(ONEILL, body));
        assert!(e.contains("`internal.contact`"), "{body:?}\n{e}");
    }
}

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = std::iter::once(0xfeff)
        .filter(|_| bom)
        .chain(text.encode_utf16());
    for u in units {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn copied_files_in_any_text_encoding_are_caught() {
    let text = "Contact: Major O'Neill, room 12\n";
    let mut nul = b"\0v1\0".to_vec();
    nul.extend(text.as_bytes());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("static/notes-le-bom.txt", utf16(text, true, true)),
        ("static/notes-be.txt", utf16(text, false, false)),
        ("static/notes-nul.txt", nul.clone()),
        // A text file with an image's name is refused before anything is published
        // (tests/images.rs); as `.txt` it is read by its content.
        ("static/img/scan.txt", text.as_bytes().to_vec()),
        ("content/projects/falcon/notes-nul.csv", nul),
        (
            "content/projects/falcon/notes-le-bom.txt",
            utf16(text, true, true),
        ),
    ];
    for (path, bytes) in cases {
        let site = TestSite::base_with(&project(ONEILL, "Nothing here.").replace(
            "content/projects/falcon.md",
            "content/projects/falcon/index.md",
        ));
        site.write_bytes(path, &bytes);
        let e = leak_in(&site);
        let out = path
            .trim_start_matches("static/")
            .replace("content/projects/falcon/", "projects/falcon/");
        assert!(
            e.contains(&format!(
                "the value of `internal.contact` appears in the output file {out};"
            )),
            "{path}\n{e}"
        );
    }
    // An image's text never reaches the output: the image stage publishes its pixels
    // only (a text chunk with the value is dropped, not reported), and refuses a file that
    // only starts like one.
    let mut img = Vec::new();
    image::DynamicImage::new_rgb8(4, 4)
        .write_to(&mut std::io::Cursor::new(&mut img), image::ImageFormat::Png)
        .unwrap();
    let mut p = img_parts::png::Png::from_bytes(img.into()).unwrap();
    let mut chunk = b"Comment\0".to_vec();
    chunk.extend(text.as_bytes());
    p.chunks_mut()
        .insert(1, img_parts::png::PngChunk::new(*b"tEXt", chunk.into()));
    let img = p.encoder().bytes().to_vec();
    let site = TestSite::base_with(&project(ONEILL, "Nothing here."));
    site.write_bytes("static/img/logo.png", &img);
    site.build();
    let published = std::fs::read(site.path("public/img/logo.png")).unwrap();
    assert!(!published.windows(12).any(|w| w == b"Major O'Neil"));
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(text.as_bytes());
    let site = TestSite::base_with(&project(ONEILL, "Nothing here."));
    site.write_bytes("static/img/logo.png", &png);
    assert!(site
        .fails()
        .contains("static/img/logo.png: this image cannot be published"));
}

#[test]
fn json_escaped_values_in_the_search_index_are_caught() {
    // A draft's internal value with quotes and an ampersand, copied into a published
    // item's summary: the search index holds it JSON-escaped (\"), the pages as entities.
    let e = leak(concat!(
        "-- content/pages/secret.md --\n---\ntitle: S\ndraft: true\ninternal: {code: 'Codename \"Steppe & Eagle\"'}\n---\n",
        "-- content/pages/about.md --\n---\ntitle: About\nsummary: 'Codename \"Steppe & Eagle\"'\n---\n",
    ));
    let lines = errors(&e);
    assert_eq!(lines.len(), 1, "{e}");
    assert!(
        lines[0].starts_with(
            "error: content/pages/secret.md:4: the value of `internal.code` appears in "
        ) && lines[0].contains("search/d0.json"),
        "{e}"
    );
}

#[test]
fn one_message_per_value_with_count_and_two_examples() {
    // A city printed by many pages, also written in an internal note: one error, not one
    // per page.
    let mut extra = String::new();
    for i in 0..30 {
        extra.push_str(&format!(
            "-- content/news/2025-11-{:02}-n{i}.md --\n---\ntitle: News {i}\nsummary: Opened in Ust-Kamenogorsk.\n---\nBody.\n",
            i % 28 + 1
        ));
    }
    extra.push_str(&project("Ust-Kamenogorsk", "Body."));
    extra.push_str(
        "-- content/pages/about.md --\n---\ntitle: About\ninternal: {city: Ust-Kamenogorsk}\n---\nAbout.\n",
    );
    let e = leak(&extra);
    let lines = errors(&e);
    assert_eq!(lines.len(), 1, "{e}");
    let line = lines[0];
    // The first item by path names the value; the other is named with its line.
    assert!(
        line.starts_with(
            "error: content/pages/about.md:3: the value of `internal.city` appears in "
        ),
        "{line}"
    );
    let n: usize = line
        .split("appears in ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count: {line}"));
    assert!(n > 30, "{line}");
    assert!(line.contains(" output files, for example "), "{line}");
    assert!(
        line.ends_with(
            "internal fields are never published (also internal in content/projects/falcon.md:8)"
        ),
        "{line}"
    );
    assert!(
        e.contains("  help: if that text is meant to be public, reword the internal note so that it is not a copy of it; if not, remove it where it is published"),
        "{e}"
    );
}

/// A project whose `internal.contact` is `value` as written (YAML single quotes: no
/// escapes), with `body`.
fn project_raw(value: &str, body: &str) -> String {
    project("x", body).replace(
        "internal: {contact: \"x\"}",
        &format!("internal: {{contact: '{value}'}}"),
    )
}

/// Asserts that the site with `extra` fails with the value of `internal.contact` found.
fn leaks_contact(extra: &str) -> String {
    let e = leak(extra);
    assert!(
        e.contains("the value of `internal.contact` appears in "),
        "{extra}\n{e}"
    );
    e
}

#[test]
fn invisible_characters_in_a_body_are_caught() {
    for c in [
        '\u{2066}',
        '\u{202c}',
        '\u{34f}',
        '\u{fe0f}',
        '\u{2063}',
        '\u{e0041}',
        '\u{180b}',
        '\u{3164}',
    ] {
        leaks_contact(&project(
            "Bidi Alpha Secret",
            &format!("Ask Bidi Al{c}pha Secret."),
        ));
    }
    // In the value instead of the body.
    leaks_contact(&project(
        "Bidi Al\u{2066}pha Secret",
        "Ask Bidi Alpha Secret.",
    ));
}

#[test]
fn copied_files_in_legacy_encodings_are_caught() {
    // "Майор Петров кабинет" in windows-1251 and KOI8-R, "Müller Straße sieben" in Latin-1.
    let cp1251 = b"\xcc\xe0\xe9\xee\xf0 \xcf\xe5\xf2\xf0\xee\xe2 \xea\xe0\xe1\xe8\xed\xe5\xf2";
    let koi8 = b"\xed\xc1\xca\xcf\xd2 \xf0\xc5\xd4\xd2\xcf\xd7 \xcb\xc1\xc2\xc9\xce\xc5\xd4";
    let latin1 = b"M\xfcller Stra\xdfe sieben";
    for (value, path, bytes) in [
        ("Майор Петров кабинет", "static/notes-1251.txt", &cp1251[..]),
        ("Майор Петров кабинет", "static/notes-koi8.txt", &koi8[..]),
        ("Müller Straße sieben", "static/notiz.txt", &latin1[..]),
    ] {
        let site = TestSite::base_with(&project(value, "Nothing here."));
        let mut data = b"note: ".to_vec();
        data.extend(bytes);
        data.push(b'\n');
        site.write_bytes(path, &data);
        let e = leak_in(&site);
        assert!(e.contains("`internal.contact`"), "{path}\n{e}");
    }
}

#[test]
fn binary_files_are_searched_for_their_text() {
    let value = "PNG Kilo Secret";
    let mut png =
        b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
            .to_vec();
    png.extend(b"\0\0\0\x17tEXtComment\0PNG Kilo Secret\xde\xad\xbe\xef\0\0\0\0IEND\xaeB`\x82");
    let mut jpeg = b"\xff\xd8\xff\xe1\x00\x30Exif\0\0II*\0\x08\0\0\0\x01\0\x0e\x01\x02\0".to_vec();
    jpeg.extend(b"PNG Kilo Secret\0\xff\xdb\x00\x43\x00\x10");
    // Images never reach the output as they are: the image stage refuses these (damaged:
    // no pixels), and never publishes the metadata of one it can read (tests/images.rs).
    for (path, bytes) in [
        ("static/img/logo.png", &png),
        ("static/img/photo.jpg", &jpeg),
    ] {
        let site = TestSite::base_with(&project(value, "Nothing here."));
        site.write_bytes(path, bytes);
        let e = site.fails();
        assert!(
            e.contains(&format!("{path}: this image cannot be published")),
            "{path}\n{e}"
        );
    }
    let mut pdf = b"%PDF-1.7\n\x02\x03 fleet notes: PNG Kilo Secret\n".to_vec();
    pdf.extend(vec![0u8; 2000]);
    let mut bin = png.clone();
    bin.splice(0..8, *b"NOTPNG\r\n");
    for (path, bytes) in [("static/notes.pdf", pdf), ("static/data.txt", bin)] {
        let site = TestSite::base_with(&project(value, "Nothing here."));
        site.write_bytes(path, &bytes);
        let e = leak_in(&site);
        let out = path.trim_start_matches("static/");
        assert!(
            e.contains(&format!("appears in the output file {out};")),
            "{path}\n{e}"
        );
    }
}

#[test]
fn text_split_by_inline_and_svg_elements_is_caught() {
    let value = "Майор О'Нил комната";
    let site = TestSite::base_with(&project(value, "Nothing here."));
    site.write(
        "static/img/plan.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><text x=\"1\" y=\"10\">Майор О'<tspan dy=\"1\">Нил</tspan> комната</text></svg>",
    );
    let e = leak_in(&site);
    assert!(
        e.contains("appears in the output file img/plan.svg;"),
        "{e}"
    );
    for tag in ["acronym", "big", "label", "nobr", "rb", "bdi", "font", "tt"] {
        leaks_contact(&project(
            ONEILL,
            &format!("Ask Major O'<{tag}>Nei</{tag}>ll, room 12."),
        ));
    }
}

#[test]
fn a_value_with_backslashes_is_not_unescaped() {
    // A UNC path: the search index holds it JSON-escaped, the page as it is.
    let e = leak(&format!(
        "{}-- content/pages/about.md --\n---\ntitle: About\nsummary: '\\\\fs01\\projects\\blackwing'\n---\nAbout.\n",
        project_raw("\\\\fs01\\projects\\blackwing", "Nothing here.")
    ));
    assert!(e.contains("`internal.contact`"), "{e}");
    assert!(e.contains("search/"), "{e}");
}

#[test]
fn urls_file_names_and_slugs_are_caught() {
    leaks_contact(&project(
        "Percent India Secret",
        "See [the plan](https://example.com/Percent%20India%20Secret).",
    ));
    // A bundle file's name.
    let site = TestSite::base_with(
        &project(
            "Mike Secret Plan",
            "See [the plan](Mike%20Secret%20Plan.pdf).",
        )
        .replace(
            "content/projects/falcon.md",
            "content/projects/falcon/index.md",
        ),
    );
    site.write_bytes(
        "content/projects/falcon/Mike Secret Plan.pdf",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    );
    let e = leak_in(&site);
    assert!(e.contains("projects/falcon/Mike Secret Plan.pdf"), "{e}");
    // A news item's slug.
    let e = leak(&format!(
        "{}-- content/news/2026-09-01-operation-lima-secret.md --\n---\ntitle: Exercise\n---\nDone.\n",
        project("Operation Lima Secret", "Nothing here.")
    ));
    // Linked from the home page, the news list and the sitemap, and its own path.
    assert!(e.contains("`internal.contact` appears in "), "{e}");
    assert!(e.contains("sitemap.xml"), "{e}");
}

#[test]
fn look_alike_letters_are_caught_and_russian_still_matches_russian() {
    leaks_contact(&project("Homo Golf Secret", "Ask Homo G\u{43e}lf Secret."));
    leaks_contact(&project("Homo G\u{43e}lf Secret", "Ask Homo Golf Secret."));
    leaks_contact(&project("Майор Петров кабинет", "МАЙОР ПЕТРОВ КАБИНЕТ."));
    // Another word publishes.
    TestSite::base_with(&project("Майор Петров кабинет", "Маиор Петров кабинет.")).build();
    TestSite::base_with(&project("Major Petrov office", "Майор Петров офис.")).build();
}

#[test]
fn data_urls_in_text_are_decoded() {
    // "Data Uniform Secret" in base64.
    leaks_contact(&project(
        "Data Uniform Secret",
        "Pasted: data:text/plain;base64,RGF0YSBVbmlmb3JtIFNlY3JldA==",
    ));
}
