//! `video:` of projects and demo days (issue 13, item 4), through whole builds: the player's
//! markup loads nothing from another host until the visitor clicks, a bundle's file is a
//! `<video>`, a demo day's link to another site stays a link, and every refused value is an
//! error at its file, line and column with a help line. The parser's URL forms are unit
//! tests in `src/video.rs`; the click itself is in `tests/browser.rs`.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::TestSite;

/// Sky Link with a YouTube video (its Russian translation inherits it), a bundle project
/// with a video file, and a demo day whose recording is a page of another site.
const VIDEOS: &str = r#"
-- content/projects/sky-link.md --
---
title: Sky Link
summary: Satellite links for remote sites.
cohort: 2025-autumn
areas: [satellite, telecom]
stage: pilot
trl: 6
video: https://youtu.be/aqz-KE-bpKQ
links:
  video: https://video.example.kz/sky-link
---
Sky Link.
-- content/projects/field-cam/index.md --
---
title: Field Cam
summary: A camera.
cohort: 2025-autumn
areas: [telecom]
stage: idea
trl: 2
video: flight.mp4
gallery: [still.svg]
---
Field Cam.
-- content/projects/field-cam/flight.mp4 --
not really a film, but bytes enough
-- content/projects/field-cam/still.svg --
<svg xmlns="http://www.w3.org/2000/svg" width="64" height="36"><rect width="64" height="36" fill="navy"/></svg>
-- content/demos/demo-day-2025-12.md --
---
title: Demo Day December 2025
date: 2025-12-10
cohort: 2025-autumn
projects: [sky-link, mesh-radio]
video: https://video.example.kz/demo-day
---
Demo day.
"#;

/// The values of every attribute of `html` that makes a browser fetch something as the page
/// loads: `src`, `srcset`, `poster`, `data`, and `href` of a `<link>` other than the
/// canonical and alternate addresses (which name pages, and load nothing).
fn loaded_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for (i, _) in html.match_indices('<') {
        let Some(end) = html[i..].find('>') else {
            continue;
        };
        let tag = &html[i..i + end];
        let is_link = tag.starts_with("<link")
            && !tag.contains("rel=\"canonical\"")
            && !tag.contains("rel=\"alternate\"");
        for attr in [
            " src=\"",
            " srcset=\"",
            " poster=\"",
            " data=\"",
            " href=\"",
        ] {
            if attr == " href=\"" && !is_link {
                continue;
            }
            for (j, _) in tag.match_indices(attr) {
                let value = &tag[j + attr.len()..];
                urls.push(value[..value.find('"').unwrap_or(value.len())].to_string());
            }
        }
    }
    urls
}

#[test]
fn a_youtube_video_is_a_local_poster_and_a_link_until_clicked() {
    let site = TestSite::base_with(VIDEOS);
    site.build();
    for (page, label) in [
        (
            "projects/sky-link/index.html",
            "Play video: Sky Link (YouTube)",
        ),
        (
            "ru/projects/sky-link/index.html",
            "Воспроизвести видео: Скай Линк (YouTube)",
        ),
    ] {
        let html = site.read(page);
        assert!(
            html.contains(&format!("<span class=\"video-label\">{label}</span>")),
            "{page}: {html}"
        );
        assert!(
            html.contains("<a class=\"video-poster\" href=\"https://www.youtube.com/watch?v=aqz-KE-bpKQ\" data-embed=\"https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1\""),
            "{page}: {html}"
        );
        assert!(
            html.contains("<script src=\"/video.js\" defer></script>"),
            "{page}"
        );
        assert!(!html.contains("<iframe"), "{page}");
        // Nothing on the page makes the browser fetch from another host.
        for url in loaded_urls(&html) {
            assert!(
                url.starts_with('/') && !url.starts_with("//"),
                "{page} loads {url}"
            );
        }
        // The policy lets the player in, and only the players.
        assert!(html.contains("frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://rutube.ru;"));
        // `links.video` is still a plain link.
        assert!(html.contains("<a href=\"https://video.example.kz/sky-link\" rel=\"external\">"));
    }
    // Pages without a video to embed do not load the script.
    for page in [
        "projects/mesh-radio/index.html",
        "projects/field-cam/index.html",
        "demos/demo-day-2025-12/index.html",
        "index.html",
    ] {
        assert!(!site.read(page).contains("video.js"), "{page}");
    }
    assert!(site.path("public/video.js").is_file());
}

#[test]
fn a_bundle_file_is_a_video_element_that_loads_nothing_before_play() {
    let site = TestSite::base_with(VIDEOS);
    site.build();
    let html = site.read("projects/field-cam/index.html");
    assert!(
        html.contains("<video controls preload=\"none\" playsinline width=\"640\" height=\"360\" aria-label=\"Video: Field Cam\" poster=\"/projects/field-cam/still.svg\">\n<source src=\"/projects/field-cam/flight.mp4\" type=\"video/mp4\">\n<a href=\"/projects/field-cam/flight.mp4\" download>Download the video</a>\n</video>"),
        "{html}"
    );
    assert!(!html.contains("data-embed") && !html.contains("<iframe"));
    assert_eq!(
        site.read("projects/field-cam/flight.mp4"),
        "not really a film, but bytes enough\n"
    );
    // The file is published once, in the default language's folder.
    assert!(!site
        .path("public/ru/projects/field-cam/flight.mp4")
        .exists());
    assert!(site
        .read("ru/projects/field-cam/index.html")
        .contains("<source src=\"/projects/field-cam/flight.mp4\" type=\"video/mp4\">"));
}

/// A demo day's `video:` has always taken any http(s) address (the sample site and the
/// benchmark corpus have them): another site's page stays a link, as before.
#[test]
fn a_demo_days_link_to_another_site_stays_a_link() {
    let site = TestSite::base_with(VIDEOS);
    site.build();
    let html = site.read("demos/demo-day-2025-12/index.html");
    assert!(
        html.contains("<p class=\"video-link-row\" id=\"video-player\"><a class=\"button button-primary\" href=\"https://video.example.kz/demo-day\" rel=\"external\">Watch the recording</a></p>"),
        "{html}"
    );
    // Its card (on the project pages) links there too; a hosted video's card links to the
    // player on the demo day's page.
    let card = "<a class=\"video-link\" href=\"https://video.example.kz/demo-day\">";
    assert!(site.read("projects/sky-link/index.html").contains(card));
    site.edit(
        "content/demos/demo-day-2025-12.md",
        "video: https://video.example.kz/demo-day",
        "video: https://vimeo.com/76979871",
    );
    site.build();
    assert!(site
        .read("projects/sky-link/index.html")
        .contains("<a class=\"video-link\" href=\"/demos/demo-day-2025-12/#video-player\">"));
    let html = site.read("demos/demo-day-2025-12/index.html");
    assert!(html.contains("data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1\""));
    assert!(html.contains("Play video: Demo Day December 2025 (Vimeo)"));
}

/// Builds the base site with `extra` and returns the build's errors, asserting that it
/// failed and that `check` says the same.
fn errors(extra: &str) -> String {
    TestSite::base_with(extra).fails()
}

fn project(video: &str) -> String {
    format!("-- content/projects/x.md --\n---\ntitle: X\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\nvideo: {video}\n---\n")
}

#[test]
fn refused_values_are_errors_at_their_line_with_what_is_accepted() {
    let accepted = "  help: write the address of a YouTube video (https://www.youtube.com/watch?v=ID or https://youtu.be/ID), a Vimeo video (https://vimeo.com/ID) or a RuTube video (https://rutube.ru/video/ID/), or the name of a video file next to index.md (.mp4, .webm, .m4v or .ogv)";
    let cases = [
        (
            "https://video.example.kz/x",
            format!("error: content/projects/x.md:8:8: `https://video.example.kz/x` is not a YouTube, Vimeo or RuTube address or a video file\n{accepted}; for a link to a video on another site use `links: {{video: URL}}`"),
        ),
        (
            "https://youtube.com.evil.example/watch?v=aqz-KE-bpKQ",
            "error: content/projects/x.md:8:8: `https://youtube.com.evil.example/watch?v=aqz-KE-bpKQ` is not a YouTube, Vimeo or RuTube address or a video file".to_string(),
        ),
        (
            "\"https://www.youtube.com/watch?v=<script>\"",
            "error: content/projects/x.md:8:9: `https://www.youtube.com/watch?v=<script>` is not the address of a YouTube video\n  help: copy the address from the video's Share button: https://www.youtube.com/watch?v=ID".to_string(),
        ),
        (
            "javascript:alert(1)",
            format!("error: content/projects/x.md:8:8: `javascript:alert(1)` is not a video address or a video file\n{accepted}"),
        ),
        (
            "//youtube.com/watch?v=aqz-KE-bpKQ",
            "error: content/projects/x.md:8:8: `//youtube.com/watch?v=aqz-KE-bpKQ` is not a full address\n  help: write it with https: at the start".to_string(),
        ),
        (
            "clip.avi",
            format!("error: content/projects/x.md:8:8: `clip.avi` is not a video file that browsers play\n{accepted}"),
        ),
        (
            "missing.mp4",
            "error: content/projects/x.md:8:8: the video file `missing.mp4` was not found in static/\n  help: a video file of its own needs a bundle".to_string(),
        ),
    ];
    for (value, expected) in cases {
        let e = errors(&project(value));
        assert!(
            e.contains(&expected),
            "{value}:\nexpected:\n{expected}\n\ngot:\n{e}"
        );
    }
    // In a bundle, the file must be next to index.md.
    let e = errors("-- content/projects/y/index.md --\n---\ntitle: Y\nsummary: S\ncohort: 2025-autumn\nareas: [telecom]\nstage: idea\ntrl: 1\nvideo: demo.webm\n---\n");
    assert!(e.contains("error: content/projects/y/index.md:8:8: the video file `demo.webm` was not found in the bundle folder or in static/\n  help: put the file next to index.md and write its name (`video: demo.mp4`)"), "{e}");
    // A demo day takes another site's page, but not a script or a broken YouTube address.
    let e = errors("-- content/demos/d.md --\n---\ntitle: D\ndate: 2025-01-01\nvideo: javascript:alert(1)\n---\n-- content/demos/e.md --\n---\ntitle: E\ndate: 2025-01-01\nvideo: https://youtu.be/nope\n---\n");
    assert!(e.contains("error: content/demos/d.md:4:8: `javascript:alert(1)` is not a video address or a video file"), "{e}");
    assert!(e.contains("error: content/demos/e.md:4:8: `https://youtu.be/nope` is not the address of a YouTube video"), "{e}");
    // Cohorts, news and pages have no video.
    let e = errors("-- content/news/2025-01-02-n.md --\n---\ntitle: N\nvideo: https://youtu.be/aqz-KE-bpKQ\n---\n");
    assert!(
        e.contains("error: content/news/2025-01-02-n.md:3:1: a news has no field `video`"),
        "{e}"
    );
}

#[test]
fn a_translation_may_repeat_the_video_but_not_change_it() {
    let site = TestSite::base_with(VIDEOS);
    site.write(
        "content/projects/sky-link.ru.md",
        "---\ntitle: Скай Линк\nvideo: https://www.youtube.com/watch?v=aqz-KE-bpKQ\n---\nТекст.\n",
    );
    // The same video written another way is the same video.
    site.build();
    site.write(
        "content/projects/sky-link.ru.md",
        "---\ntitle: Скай Линк\nvideo: https://vimeo.com/76979871\n---\nТекст.\n",
    );
    std::fs::remove_dir_all(site.path("public")).unwrap();
    let e = site.fails();
    assert!(e.contains("error: content/projects/sky-link.ru.md:3:1: `video` differs from the original content/projects/sky-link.md:8\n  help: a translation inherits `video`; remove it here, or make both files say the same"), "{e}");
}

/// The preview after each edit of a `video:` (added, changed to another provider, to a
/// file, removed) gives the very bytes of a full render: the player, the demo cards that
/// link to it and the script on the page follow the edit.
#[test]
fn video_edits_in_the_preview_equal_a_full_render() {
    use showcase::pipeline::{self, Cache};
    let site = TestSite::base_with(VIDEOS);
    let opts = support::preview_options();
    let mut cache = Cache::default();
    pipeline::render_cached(site.root(), None, &opts, &mut cache).expect("first render");
    let demo = "content/demos/demo-day-2025-12.md";
    let sky = "content/projects/sky-link.md";
    let cam = "content/projects/field-cam/index.md";
    let rutube = "video: https://rutube.ru/video/0123456789abcdef0123456789abcdef/";
    let steps = [
        (
            demo,
            "video: https://video.example.kz/demo-day",
            "video: https://youtu.be/aqz-KE-bpKQ",
            "demos/demo-day-2025-12/index.html",
            "youtube-nocookie.com/embed/aqz-KE-bpKQ",
        ),
        (
            sky,
            "video: https://youtu.be/aqz-KE-bpKQ",
            "video: https://vimeo.com/76979871",
            "projects/sky-link/index.html",
            "player.vimeo.com/video/76979871",
        ),
        (
            cam,
            "video: flight.mp4",
            rutube,
            "projects/field-cam/index.html",
            "rutube.ru/play/embed/0123456789abcdef0123456789abcdef",
        ),
        (
            cam,
            rutube,
            "video: flight.mp4",
            "projects/field-cam/index.html",
            "<source src=\"/projects/field-cam/flight.mp4\"",
        ),
        (
            sky,
            "video: https://vimeo.com/76979871\n",
            "",
            "projects/sky-link/index.html",
            "<a href=\"https://video.example.kz/sky-link\"",
        ),
    ];
    for (file, from, to, page, shows) in steps {
        site.edit(file, from, to);
        cache.changed([std::path::PathBuf::from(file)].into());
        let inc = pipeline::render_cached(site.root(), None, &opts, &mut cache).unwrap();
        let full = pipeline::render(site.root(), None, &opts).unwrap();
        let (inc, full) = (
            support::rendered_bytes(&inc),
            support::rendered_bytes(&full),
        );
        let html = inc
            .iter()
            .find(|(p, _)| p == page)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        assert!(html.contains(shows), "{page} after `{to}`: {html}");
        assert!(
            inc == full,
            "the preview differs from a full render after `{to}`"
        );
    }
    // The last edit removed Sky Link's video: its page has no player nor script any more.
    let html = site_page(&site, &opts, "projects/sky-link/index.html");
    assert!(!html.contains("video-poster") && !html.contains("video.js"));
}

fn site_page(site: &TestSite, opts: &showcase::site::BuildOptions, page: &str) -> String {
    let r = showcase::pipeline::render(site.root(), None, opts).unwrap();
    support::rendered_bytes(&r)
        .into_iter()
        .find(|(p, _)| p == page)
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .unwrap()
}
