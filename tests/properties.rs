//! Property tests: random front matter and Markdown never make the loader or the renderer
//! panic or hang, and every error names the file it is about.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use showcase::config::Config;
use showcase::source::{Format, SourceFile};

fn config() -> Config {
    Config::parse(
        Path::new("."),
        "title: T\nlanguages: {ru: {}}\nareas: {telecom: Telecom}\n",
        None,
    )
    .unwrap()
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("title".to_string()),
        Just("summary".to_string()),
        Just("cohort".to_string()),
        Just("areas".to_string()),
        Just("stage".to_string()),
        Just("trl".to_string()),
        Just("team".to_string()),
        Just("links".to_string()),
        Just("date".to_string()),
        Just("draft".to_string()),
        Just("publish_after".to_string()),
        Just("internal".to_string()),
        Just("extra".to_string()),
        Just("slug".to_string()),
        Just("aliases".to_string()),
        Just("body".to_string()),
        "[a-z_]{1,12}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[ -~]{0,20}".prop_map(|s| format!("{s:?}")),
        "[a-z0-9 :#&*!|>'\"%@`-]{0,20}",
        any::<i64>().prop_map(|n| n.to_string()),
        Just("[1, 2, [3]]".to_string()),
        Just("{a: 1, b: [x, y]}".to_string()),
        Just("&a [*a]".to_string()),
        Just("2025-02-30".to_string()),
        Just("yes".to_string()),
        Just("~".to_string()),
        Just("\"\\u0000\"".to_string()),
        Just("javascript:alert(1)".to_string()),
    ];
    leaf
}

fn front_matter() -> impl Strategy<Value = String> {
    prop::collection::vec((key(), value(), 0usize..3), 0..10).prop_map(|fields| {
        fields
            .into_iter()
            .map(|(k, v, indent)| format!("{}{k}: {v}\n", "  ".repeat(indent)))
            .collect()
    })
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[ -~\\n]{0,40}",
            Just("[a](@/projects/x.md)".to_string()),
            Just("[b](/projects/y/)".to_string()),
            Just("![c](data:text/html,x)".to_string()),
            Just("<script>alert(1)</script>".to_string()),
            Just("# H {onclick=x}\n".to_string()),
            Just("> > > - - - 1. ".to_string()),
            Just("```\ncode\n".to_string()),
            Just("[^1]\n\n[^1]: note\n".to_string()),
            Just("| a | b |\n|---|---|\n| 1 |\n".to_string()),
            Just("---\n".to_string()),
            Just("Казахский: әғқңөұүһі\n".to_string()),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn the_loader_never_panics_and_names_the_file(fm in front_matter(), body in markdown(), yaml_form in any::<bool>()) {
        let path = PathBuf::from("content/projects/random.md");
        let text = if yaml_form { fm.clone() } else { format!("---\n{fm}---\n{body}") };
        let source = SourceFile {
            path: path.clone(),
            section: "projects".into(),
            name: "random".into(),
            lang: None,
            format: if yaml_form { Format::Yaml } else { Format::Markdown },
            bundle: None,
            text: text.clone().into(),
            serial: 0,
        };
        match std::panic::catch_unwind(|| showcase::content::parse(&source, &config())) {
            Ok(Ok(_)) => {}
            Ok(Err(errors)) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert_eq!(&e.path, &path);
                    prop_assert!(!e.message.is_empty());
                }
            }
            Err(_) => prop_assert!(false, "the loader panicked on:\n{}", text),
        }
    }

    #[test]
    fn the_renderer_never_panics_and_never_lets_script_through(body in markdown(), allow_html in any::<bool>()) {
        let start = std::time::Instant::now();
        let (rendered, _) = showcase::markdown::render(&body, allow_html, &|_| showcase::markdown::Link::Keep);
        prop_assert!(start.elapsed() < std::time::Duration::from_secs(2));
        let html = rendered.html.to_lowercase();
        prop_assert!(!html.contains("<script"), "{}", html);
        // Inside tags (text may mention `onclick=` harmlessly, escaped).
        for tag in html.split('<').skip(1).filter_map(|t| t.split('>').next()) {
            prop_assert!(!tag.contains("onclick="), "{}", html);
            prop_assert!(!tag.contains("href=\"javascript:") && !tag.contains("src=\"data:text"), "{}", html);
        }
    }
}
