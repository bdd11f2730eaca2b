//! The Atom feeds and the sitemap of the sample site, read with a real XML parser and checked
//! against what their specifications require (RFC 4287 for Atom 1.0, sitemaps.org 0.9 with
//! Google's `xhtml:link` alternates), and every address in them leads to a written page.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

mod support;
use support::TestSite;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML: &str = "http://www.w3.org/1999/xhtml";
const BASE_URL: &str = "https://showcase.example.kz";

fn build_sample() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_showcase"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "-o"])
        .arg(out.path().join("public"))
        .args(["--base-url", BASE_URL])
        .status()
        .unwrap();
    assert!(status.success());
    out
}

/// The output file an absolute URL of the site names.
fn file_of(public: &Path, url: &str) -> std::path::PathBuf {
    let rel = url
        .strip_prefix(BASE_URL)
        .unwrap_or_else(|| panic!("{url} is not under {BASE_URL}"));
    let rel = rel.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        public.join(rel).join("index.html")
    } else {
        public.join(rel)
    }
}

/// RFC 3339 date-time, as Atom requires (`2026-11-25T00:00:00Z`, an offset allowed).
fn is_rfc3339(s: &str) -> bool {
    s.parse::<jiff::Timestamp>().is_ok() && s.len() >= 20 && s.as_bytes()[10] == b'T'
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, ns: &str, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(|c| {
            c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns)
        })
        .collect()
}

#[test]
fn atom_feeds_are_valid_atom_1_0() {
    let out = build_sample();
    let public = out.path().join("public");
    for prefix in ["", "ru/", "kk/"] {
        let path = public.join(format!("{prefix}news/atom.xml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{}: not well-formed XML: {e}", path.display()));
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().name(), "feed");
        assert_eq!(feed.tag_name().namespace(), Some(ATOM));
        // atom:feed: exactly one id, title and updated; a self link; an author, since the
        // entries have none of their own.
        for name in ["id", "title", "updated"] {
            assert_eq!(child(feed, ATOM, name).len(), 1, "{prefix}: feed/{name}");
        }
        assert!(is_rfc3339(child(feed, ATOM, "updated")[0].text().unwrap()));
        let links = child(feed, ATOM, "link");
        let self_link = links
            .iter()
            .find(|l| l.attribute("rel") == Some("self"))
            .expect("a self link");
        assert_eq!(
            self_link.attribute("href"),
            Some(format!("{BASE_URL}/{prefix}news/atom.xml").as_str())
        );
        let authors = child(feed, ATOM, "author");
        assert!(!authors.is_empty() && !child(authors[0], ATOM, "name").is_empty());
        let entries = child(feed, ATOM, "entry");
        assert!(!entries.is_empty(), "{prefix}: no entries");
        assert!(entries.len() <= 20);
        let mut ids = std::collections::HashSet::new();
        for e in &entries {
            for name in ["id", "title", "updated"] {
                assert_eq!(child(*e, ATOM, name).len(), 1, "{prefix}: entry/{name}");
            }
            let id = child(*e, ATOM, "id")[0].text().unwrap().to_string();
            assert!(id.starts_with("https://"), "an id is an IRI: {id}");
            assert!(ids.insert(id.clone()), "{prefix}: duplicate entry id {id}");
            for name in ["updated", "published"] {
                for d in child(*e, ATOM, name) {
                    assert!(is_rfc3339(d.text().unwrap()), "{name}: {:?}", d.text());
                }
            }
            // No content element, or no text, means an alternate link is required.
            let alternate = child(*e, ATOM, "link")
                .into_iter()
                .find(|l| l.attribute("rel").unwrap_or("alternate") == "alternate")
                .expect("an alternate link");
            let href = alternate.attribute("href").unwrap();
            assert!(file_of(&public, href).exists(), "{href} was not written");
            for c in child(*e, ATOM, "content") {
                assert_eq!(c.attribute("type"), Some("html"));
                assert!(
                    c.text().is_some_and(|t| t.contains('<')),
                    "escaped HTML content"
                );
            }
        }
        // Newest first, as readers expect.
        let dates: Vec<String> = entries
            .iter()
            .map(|e| child(*e, ATOM, "published")[0].text().unwrap().to_string())
            .collect();
        let mut sorted = dates.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted);
    }
}

#[test]
fn the_sitemap_is_valid_and_lists_every_language_with_alternates() {
    let out = build_sample();
    let public = out.path().join("public");
    let text = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let urlset = doc.root_element();
    assert_eq!(urlset.tag_name().name(), "urlset");
    assert_eq!(urlset.tag_name().namespace(), Some(SITEMAP));
    let urls = child(urlset, SITEMAP, "url");
    assert!(urls.len() <= 50_000, "a sitemap holds at most 50,000 URLs");
    let mut seen = std::collections::HashSet::new();
    for u in &urls {
        let loc = child(*u, SITEMAP, "loc");
        assert_eq!(loc.len(), 1, "url/loc");
        let loc = loc[0].text().unwrap().trim();
        assert!(loc.len() < 2048 && loc.starts_with(BASE_URL), "{loc}");
        assert!(seen.insert(loc.to_string()), "{loc} is listed twice");
        assert!(file_of(&public, loc).exists(), "{loc} was not written");
        for m in child(*u, SITEMAP, "lastmod") {
            let d = m.text().unwrap();
            assert!(
                d.parse::<jiff::civil::Date>().is_ok() || is_rfc3339(d),
                "lastmod in W3C date format: {d}"
            );
        }
        let alternates = child(*u, XHTML, "link");
        for a in &alternates {
            assert_eq!(a.attribute("rel"), Some("alternate"));
            let lang = a.attribute("hreflang").unwrap();
            assert!(["en", "ru", "kk", "x-default"].contains(&lang), "{lang}");
            let href = a.attribute("href").unwrap();
            assert!(
                file_of(&public, href).exists(),
                "alternate {href} was not written"
            );
        }
        // A page with alternates lists itself among them.
        if !alternates.is_empty() {
            assert!(
                alternates.iter().any(|a| a.attribute("href") == Some(loc)),
                "{loc} is not among its own alternates"
            );
        }
    }
    // Every language's home, projects list and a project are there.
    for prefix in ["", "/ru", "/kk"] {
        for page in ["/", "/projects/", "/projects/orbit-link/", "/stages/pilot/"] {
            let url = format!("{BASE_URL}{prefix}{page}");
            assert!(seen.contains(&url), "{url} is missing from the sitemap");
        }
    }
    // Search pages are for visitors, not for crawlers.
    assert!(!seen.iter().any(|u| u.contains("/search/")));
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {BASE_URL}/sitemap.xml")));
}

/// The JSON-LD of a page, parsed.
fn structured_data(public: &Path, page: &str) -> serde_json::Value {
    let html = std::fs::read_to_string(public.join(page)).unwrap();
    let start = html
        .find("<script type=\"application/ld+json\">")
        .unwrap_or_else(|| panic!("{page} has no JSON-LD"));
    let rest = &html[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{page}: {e}: {body}"))
}

#[test]
fn pages_carry_schema_org_data_for_the_park_demo_days_and_news() {
    let out = build_sample();
    let public = out.path().join("public");
    let home = structured_data(&public, "index.html");
    assert_eq!(home["@context"], "https://schema.org");
    let graph = home["@graph"].as_array().unwrap();
    let org = graph.iter().find(|n| n["@type"] == "Organization").unwrap();
    assert_eq!(org["url"], format!("{BASE_URL}/"));
    assert!(org["name"]
        .as_str()
        .unwrap()
        .contains("Defense Tech IT Park"));
    let website = graph.iter().find(|n| n["@type"] == "WebSite").unwrap();
    assert_eq!(
        website["potentialAction"]["target"]["urlTemplate"],
        format!("{BASE_URL}/search/?q={{search_term_string}}")
    );

    let event = structured_data(&public, "ru/demos/demo-day-2026-12/index.html");
    assert_eq!(event["@type"], "Event");
    // The sample demo day starts at 14:00 in Almaty (issue 14, item 11).
    assert_eq!(event["startDate"], "2026-12-11T14:00:00+05:00");
    assert_eq!(
        event["url"],
        format!("{BASE_URL}/ru/demos/demo-day-2026-12/")
    );
    assert!(event["location"]["name"].is_string());
    assert!(event["name"].as_str().unwrap().contains("Демо-день"));

    let article = structured_data(&public, "news/demo-day-report/index.html");
    assert_eq!(article["@type"], "NewsArticle");
    for field in [
        "headline",
        "datePublished",
        "dateModified",
        "image",
        "publisher",
        "author",
    ] {
        assert!(!article[field].is_null(), "NewsArticle.{field}");
    }
    assert_eq!(article["datePublished"], "2026-06-08");
    // A project page is not an event or an article.
    let project = std::fs::read_to_string(public.join("projects/orbit-link/index.html")).unwrap();
    assert!(!project.contains("application/ld+json"));
}

/// A site of one news item, in `timezone`, whose body links within itself; its feed.
fn news_site(timezone: &str) -> (TestSite, String) {
    let site = TestSite::new(&format!(
        "-- site.yaml --\ntitle: Park\nbase_url: https://park.example.kz/sub\ntimezone: {timezone}\n\
         -- content/_index.md --\n---\ntitle: Park\n---\nHi.\n\
         -- content/news/2026-03-01-range.md --\n---\ntitle: Range day\nsummary: S.\ndate: 2026-03-01\nupdated: 2026-03-02\n---\n\
         See [the results](#results) and a note.[^1]\n\n## Results\n\nGood.\n\n[^1]: The note.\n"
    ));
    site.build();
    let feed = site.read("news/atom.xml");
    (site, feed)
}

#[test]
fn feed_dates_are_days_in_the_sites_time_zone() {
    for (tz, offset) in [
        ("Asia/Almaty", "+05:00"),
        ("UTC", "+00:00"),
        ("America/New_York", "-05:00"),
    ] {
        let (_dir, feed) = news_site(tz);
        let doc = roxmltree::Document::parse(&feed).unwrap();
        let entry = child(doc.root_element(), ATOM, "entry")[0];
        let text = |name: &str| child(entry, ATOM, name)[0].text().unwrap().to_string();
        assert_eq!(
            text("published"),
            format!("2026-03-01T00:00:00{offset}"),
            "{tz}"
        );
        assert_eq!(
            text("updated"),
            format!("2026-03-02T00:00:00{offset}"),
            "{tz}"
        );
        assert!(is_rfc3339(&text("published")));
        // The same instant `publish_after: 2026-03-01` means in that zone.
        let instant: jiff::Timestamp = text("published").parse().unwrap();
        let zoned = jiff::civil::date(2026, 3, 1)
            .to_zoned(jiff::tz::TimeZone::get(tz).unwrap())
            .unwrap();
        assert_eq!(instant, zoned.timestamp(), "{tz}");
        let feed_updated = child(doc.root_element(), ATOM, "updated")[0]
            .text()
            .unwrap();
        assert_eq!(feed_updated, format!("2026-03-02T00:00:00{offset}"));
    }
}

#[test]
fn in_page_links_of_feed_entries_point_at_the_page() {
    let (_dir, feed) = news_site("Asia/Almaty");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entry = child(doc.root_element(), ATOM, "entry")[0];
    let content = child(entry, ATOM, "content")[0];
    let page = "https://park.example.kz/sub/news/range/";
    assert_eq!(
        content.attribute(("http://www.w3.org/XML/1998/namespace", "base")),
        Some(page)
    );
    let html = content.text().unwrap();
    assert!(!html.contains("href=\"#"), "{html}");
    let links: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert!(
        links.contains(&format!("{page}#results").as_str()),
        "{links:?}"
    );
    // The footnote reference is a link to the note on the page.
    assert!(
        links.contains(&format!("{page}#fn-1").as_str()),
        "{links:?}"
    );
    assert!(links.iter().all(|l| l.starts_with(page)), "{links:?}");
}

#[test]
fn sitemap_feed_and_robots_write_uris_percent_encoded() {
    let site = TestSite::new(
        "-- site.yaml --\ntitle: Park\nbase_url: https://парк.example.kz/витрина\n\
         -- content/_index.md --\n---\ntitle: Park\n---\nHi.\n\
         -- content/pages/о-парке.md --\n---\ntitle: О парке\n---\nText.\n\
         -- content/news/2026-03-01-день-полигона.md --\n---\ntitle: День полигона\nsummary: S.\n---\n\
         See [below](#итоги).\n\n## Итоги\n",
    );
    site.build();
    let out = site.path("public");
    let is_uri = |u: &str| u.is_ascii() && !u.contains(' ') && url::Url::parse(u).is_ok();
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let mut locs = 0;
    for n in doc.descendants().filter(|n| n.is_element()) {
        for u in [
            n.text().filter(|_| n.tag_name().name() == "loc"),
            n.attribute("href"),
        ]
        .into_iter()
        .flatten()
        {
            assert!(is_uri(u), "{u}");
            locs += 1;
        }
    }
    assert!(locs >= 3);
    assert!(sitemap.contains("https://xn--80aunf.example.kz/%D0%B2%D0%B8%D1%82%D1%80%D0%B8%D0%BD%D0%B0/%D0%BE-%D0%BF%D0%B0%D1%80%D0%BA%D0%B5/"), "{sitemap}");
    let feed = std::fs::read_to_string(out.join("news/atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    for n in doc.descendants().filter(|n| n.is_element()) {
        if n.tag_name().name() == "id" {
            assert!(is_uri(n.text().unwrap()), "{:?}", n.text());
        }
        if let Some(h) = n.attribute("href") {
            assert!(is_uri(h), "{h}");
        }
    }
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    let line = robots.lines().find(|l| l.starts_with("Sitemap: ")).unwrap();
    assert!(is_uri(&line["Sitemap: ".len()..]), "{line}");
}
