//! Markdown to HTML with pulldown-cmark: the site's dialect (tables, footnotes, strikethrough,
//! task lists, heading ids, smart punctuation), safe by default, with every link handed to a
//! resolver so that internal links are checked and rewritten.
//!
//! Invariant: pure and infallible: bad links come back as [`LinkIssue`]s, never as a panic or
//! an I/O call. Raw HTML is escaped unless the site allows it; `javascript:`, `vbscript:` and
//! `data:` URLs (except `data:image/*` in images) never reach an `href` or `src`.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// A heading of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` attribute, unique within the page.
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
}

/// The HTML of a body and what was learnt while rendering it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// HTML, safe to insert in a page.
    pub html: String,
    /// Headings in order.
    pub toc: Vec<Heading>,
    /// Plain text (for search and reading time).
    pub text: String,
    /// Words of `text` (runs between whitespace): the reading time, counted once.
    pub words: usize,
}

/// What the resolver says of a link destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Leave it as written.
    Keep,
    /// Write this URL instead.
    Rewrite(String),
    /// Write this URL instead; it is an image of known size (and perhaps WebP copies).
    Image(Image),
    /// It points nowhere: message and an optional fix.
    Broken(String, Option<String>),
    /// It points to an item held back from this build: write this URL instead and warn.
    Held(String, String),
}

/// An image a body shows, as the resolver knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The URL to write.
    pub url: String,
    /// Width and height in pixels as shown.
    pub width: u32,
    pub height: u32,
    /// WebP copies for `srcset`: URL and width in pixels, ascending.
    pub webp: Vec<(String, u32)>,
}

/// The `sizes` of images in bodies: the width the default theme gives its text column
/// (46rem, less its margins on a phone).
pub const BODY_SIZES: &str = "(max-width: 48rem) calc(100vw - 2rem), 46rem";

/// A problem with a link, at a byte offset of the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkIssue {
    /// Byte offset of the link in the Markdown.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Only a warning: the page is still built.
    pub warning: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders `markdown`. `resolve` sees every link and image destination.
pub fn render(
    markdown: &str,
    allow_html: bool,
    resolve: &dyn Fn(&str) -> Link,
) -> (Rendered, Vec<LinkIssue>) {
    let mut issues = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    // An image of known size being read: what it is, its title, its alt text so far, and
    // how many images are open inside its alt text.
    let mut picture: Option<(Image, String, String, usize)> = None;
    // Set by `link_dest` when the image it resolved is one of known size.
    let mut known: Option<Image> = None;
    let mut text = String::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = link_dest(&dest_url, false, range.start, resolve, &mut issues);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = if picture.is_some() {
                    dest_url
                } else {
                    image_dest(&dest_url, range.start, resolve, &mut issues, &mut known)
                };
                if let Some(image) = known.take() {
                    // Written whole at its end, with the alt text gathered on the way.
                    picture = Some((image, title.to_string(), String::new(), 0));
                    continue;
                }
                if let Some((_, _, _, depth)) = &mut picture {
                    *depth += 1;
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) if picture.as_ref().is_some_and(|p| p.3 == 0) => {
                if let Some((image, title, alt, _)) = picture.take() {
                    events.push(Event::InlineHtml(CowStr::from(picture_html(
                        &image, &alt, &title,
                    ))));
                }
                continue;
            }
            Event::End(TagEnd::Image) if picture.is_some() => {
                if let Some((_, _, _, depth)) = &mut picture {
                    *depth -= 1;
                }
                continue;
            }
            Event::Text(t) | Event::Code(t) if picture.is_some() => {
                text.push_str(&t);
                if let Some((_, _, alt, _)) = &mut picture {
                    alt.push_str(&t);
                }
                continue;
            }
            _ if picture.is_some() => continue,
            Event::Html(h) | Event::InlineHtml(h) if !allow_html => Event::Text(h),
            Event::Text(t) => {
                text.push_str(&t);
                Event::Text(t)
            }
            Event::Code(t) => {
                text.push_str(&t);
                Event::Code(t)
            }
            // Blocks and cells end words ("09:00" in one cell, "Demos" in the next); inline
            // tags do not ("multi*modal*" is one word).
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                event
            }
            Event::End(ref end)
                if !matches!(
                    end,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Link
                        | TagEnd::Image
                        | TagEnd::Superscript
                        | TagEnd::Subscript
                ) =>
            {
                text.push(' ');
                event
            }
            other => other,
        };
        events.push(event);
    }
    let toc = assign_heading_ids(&mut events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, scroll_boxes(events).into_iter());
    // Images in a body load when they come near the screen, without holding up the text,
    // and those of known size keep their room while they load.
    if html.contains("<img src=\"") {
        html = html.replace(
            "<img src=\"",
            "<img loading=\"lazy\" decoding=\"async\" src=\"",
        );
    }
    if allow_html {
        html = sanitize(&html);
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = text.split_whitespace().count();
    (
        Rendered {
            html,
            toc,
            text,
            words,
        },
        issues,
    )
}

/// Code blocks and tables as boxes that scroll sideways by themselves (issue 14, item 6:
/// a long line never widens the page): `<pre tabindex="0">`, and a table inside
/// `<div class="table-scroll" tabindex="0">` (the table keeps its table semantics). The
/// `tabindex` lets a keyboard reach and scroll them (WCAG 2.1.1; axe's
/// `scrollable-region-focusable`). Runs after the text is collected: these are the
/// renderer's own tags, never the author's HTML.
fn scroll_boxes(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    use crate::render::templates::escape;
    let mut out = Vec::with_capacity(events.len() + 2);
    for event in events {
        match event {
            // What pulldown-cmark writes, with the tabindex.
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match &kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split(' ').next().unwrap_or("")
                    }
                    pulldown_cmark::CodeBlockKind::Indented => "",
                };
                let open = if lang.is_empty() {
                    "<pre tabindex=\"0\"><code>".to_string()
                } else {
                    format!(
                        "<pre tabindex=\"0\"><code class=\"language-{}\">",
                        escape(lang)
                    )
                };
                out.push(Event::Html(CowStr::from(open)));
            }
            Event::End(TagEnd::CodeBlock) => {
                out.push(Event::Html(CowStr::Borrowed("</code></pre>\n")));
            }
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-scroll\" tabindex=\"0\">",
                )));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            other => out.push(other),
        }
    }
    out
}

/// [`link_dest`] for an image: an image of known size is handed back in `known`.
fn image_dest<'a>(
    dest: &CowStr<'a>,
    offset: usize,
    resolve: &dyn Fn(&str) -> Link,
    issues: &mut Vec<LinkIssue>,
    known: &mut Option<Image>,
) -> CowStr<'a> {
    if safe_url(dest, true) {
        if let Link::Image(i) = resolve(dest) {
            let url = CowStr::from(i.url.clone());
            *known = Some(i);
            return url;
        }
    }
    link_dest(dest, true, offset, resolve, issues)
}

/// An image of known size: `<img>` with its `width` and `height` (so that the page does not
/// move as it loads), inside a `<picture>` offering its WebP copies when it has them.
fn picture_html(image: &Image, alt: &str, title: &str) -> String {
    use crate::render::templates::escape;
    let mut img = format!(
        "<img loading=\"lazy\" decoding=\"async\" src=\"{}\" alt=\"{}\"",
        escape(&image.url),
        escape(alt)
    );
    if !title.is_empty() {
        img.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    img.push_str(&format!(
        " width=\"{}\" height=\"{}\">",
        image.width, image.height
    ));
    if image.webp.is_empty() {
        return img;
    }
    let srcset: Vec<String> = image
        .webp
        .iter()
        .map(|(url, w)| format!("{} {w}w", escape(url)))
        .collect();
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{BODY_SIZES}\">{img}</picture>",
        srcset.join(", ")
    )
}

fn link_dest<'a>(
    dest: &CowStr<'a>,
    image: bool,
    offset: usize,
    resolve: &dyn Fn(&str) -> Link,
    issues: &mut Vec<LinkIssue>,
) -> CowStr<'a> {
    if !safe_url(dest, image) {
        issues.push(LinkIssue {
            offset,
            message: format!(
                "the link `{}` uses a scheme that can run code; it was removed",
                short(dest)
            ),
            help: Some("links may use http, https, mailto, tel or a path on the site".into()),
            warning: false,
        });
        return CowStr::Borrowed("#");
    }
    match resolve(dest) {
        Link::Keep => dest.clone(),
        Link::Rewrite(url) => CowStr::from(url),
        Link::Image(i) => CowStr::from(i.url),
        Link::Held(url, message) => {
            issues.push(LinkIssue {
                offset,
                message,
                help: None,
                warning: true,
            });
            CowStr::from(url)
        }
        Link::Broken(message, help) => {
            issues.push(LinkIssue {
                offset,
                message,
                help,
                warning: false,
            });
            dest.clone()
        }
    }
}

/// Cleans HTML that may hold the author's raw HTML: no scripts, event handlers, styles,
/// frames or script-running URLs survive; the tags Markdown itself produces do.
fn sanitize(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "input",
        "del",
        "sup",
        "section",
        "figure",
        "figcaption",
        "details",
        "summary",
    ])
    .add_tag_attributes("input", ["type", "checked", "disabled"])
    .add_generic_attributes(["id", "class", "title", "lang", "dir"])
    .add_tag_attributes("a", ["href", "title"])
    .add_tags(["picture", "source"])
    .add_tag_attributes(
        "img",
        [
            "src", "alt", "title", "width", "height", "loading", "decoding",
        ],
    )
    // Only the copies a body image gets (same-origin URLs, the CSP's img-src).
    .add_tag_attributes("source", ["type", "srcset", "sizes"])
    .add_tag_attributes("th", ["style"])
    .add_tag_attributes("td", ["style"])
    // The scroll boxes of code blocks and tables (`scroll_boxes`); the author's own `<pre>`
    // is one too, and a table of raw HTML (which the theme makes its own scroll box) may
    // be made one with `tabindex="0"`.
    .set_tag_attribute_value("pre", "tabindex", "0")
    .add_tag_attribute_values("div", "tabindex", ["0"])
    .add_tag_attribute_values("table", "tabindex", ["0"])
    .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
    .url_relative(ammonia::UrlRelative::PassThrough)
    .link_rel(None);
    b.clean(html).to_string()
}

/// Whether a URL is safe in an `href` (or an image `src`): no script-running schemes, with
/// the obfuscations browsers forgive (case, whitespace and control characters inside).
pub fn safe_url(url: &str, image: bool) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    // Entities such as `&#x09;` are decoded by the parser already; a leftover `&` in the
    // scheme part is suspicious enough to refuse.
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    let Some(i) = scheme_end.filter(|&i| cleaned[i..].starts_with(':')) else {
        return true; // relative URL
    };
    let scheme = &cleaned[..i];
    match scheme {
        "http" | "https" | "mailto" | "tel" => true,
        "data" => {
            image && cleaned.starts_with("data:image/") && !cleaned.starts_with("data:image/svg")
        }
        _ => false,
    }
}

/// Gives every heading an id (its own `{#id}` or one made from its text) and collects the toc.
fn assign_heading_ids(events: &mut [Event<'_>]) -> Vec<Heading> {
    let mut toc = Vec::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level;
            let given = id.as_ref().map(|s| s.to_string());
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    title.push_str(t);
                }
                j += 1;
            }
            let base = given.unwrap_or_else(|| heading_slug(&title));
            let n = used.entry(base.clone()).or_insert(0);
            let unique = if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            if let Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) = &mut events[i]
            {
                *id = Some(CowStr::from(unique.clone()));
                // `{.class key=value}` would let content set `onclick=`: only the id is kept.
                classes.clear();
                attrs.clear();
            }
            toc.push(Heading {
                level: level_number(level),
                id: unique,
                title: title.trim().to_string(),
            });
            i = j;
        }
        i += 1;
    }
    toc
}

fn level_number(l: HeadingLevel) -> u8 {
    l as u8
}

/// An id from heading text: lowercase letters and digits of any script, dashes between words.
pub fn heading_slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "section".into()
    } else {
        s
    }
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, false, &|_| Link::Keep).0.html
    }

    #[test]
    fn dialect() {
        let h = html("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"q\"\n\n- [x] done\n\nNote[^1]\n\n[^1]: foot\n");
        assert!(h.contains("<h1 id=\"title\">Title</h1>"), "{h}");
        assert!(h.contains("<table>"));
        assert!(h.contains("<del>x</del>"));
        assert!(h.contains("“q”"));
        assert!(h.contains("checkbox"));
        assert!(h.contains("footnote-definition"));
    }

    #[test]
    fn body_images_load_lazily_and_text_keeps_block_boundaries() {
        let (r, _) = render(
            "![A map](map.png)\n\n| 09:00 | Demos |\n|---|---|\n| a*b*c | x |\n",
            false,
            &|_| Link::Keep,
        );
        assert!(
            r.html
                .contains("<img loading=\"lazy\" decoding=\"async\" src=\"map.png\""),
            "{}",
            r.html
        );
        assert!(r.text.contains("09:00 Demos"), "{}", r.text);
        assert!(r.text.contains("abc"), "{}", r.text);
        let (r, _) = render("![A map](map.png)", true, &|_| Link::Keep);
        assert!(r.html.contains("decoding=\"async\""), "{}", r.html);
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        assert!(html("<script>alert(1)</script>").contains("&lt;script&gt;"));
        assert!(html("a <img src=x onerror=alert(1)> b").contains("&lt;img"));
        let (r, _) = render("<b>x</b>", true, &|_| Link::Keep);
        assert!(r.html.contains("<b>x</b>"));
        // Allowed HTML is still sanitised.
        let (r, _) = render("<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">j</a> <iframe src=x></iframe>\n\n- [x] task\n\n| a |\n|---|\n| b |\n", true, &|_| Link::Keep);
        let h = r.html.to_lowercase();
        for bad in ["<script", "onerror", "javascript:", "<iframe"] {
            assert!(!h.contains(bad), "{bad} in {h}");
        }
        assert!(
            h.contains("type=\"checkbox\"") && h.contains("<table>"),
            "{h}"
        );
    }

    #[test]
    fn code_blocks_and_tables_scroll_in_boxes_a_keyboard_reaches() {
        for allow_html in [false, true] {
            let (r, _) = render(
                "```rust \"x\"\nlet a = 1 < 2;\n```\n\n    indented\n\n| a |\n|---|\n| b |\n\n- item\n\n  ```\n  in a list\n  ```\n",
                allow_html,
                &|_| Link::Keep,
            );
            let h = r.html;
            assert!(
                h.contains("<pre tabindex=\"0\"><code class=\"language-rust\">let a = 1 &lt; 2;\n</code></pre>"),
                "{h}"
            );
            assert!(
                h.contains("<pre tabindex=\"0\"><code>indented\n</code></pre>"),
                "{h}"
            );
            assert!(
                h.contains("<pre tabindex=\"0\"><code>in a list\n</code></pre>"),
                "{h}"
            );
            assert!(
                h.contains("<div class=\"table-scroll\" tabindex=\"0\"><table>"),
                "{h}"
            );
            assert!(h.contains("</table>\n</div>"), "{h}");
            // The boxes are not text: search and reading time see only the code.
            assert_eq!(
                r.text, "let a = 1 < 2; indented a b item in a list",
                "{allow_html}"
            );
        }
        // An author's own tabindex stays out: only 0, the document order, is kept; the
        // author's `<pre>` scrolls by itself as the theme's do, so a key reaches it too.
        let (r, _) = render(
            "<div tabindex=\"5\">x</div>\n\n<table tabindex=\"0\"><tr><td>t</td></tr></table>\n\n<pre tabindex=\"-1\">raw</pre>\n",
            true,
            &|_| Link::Keep,
        );
        assert!(r.html.contains("<div>x</div>"), "{}", r.html);
        assert!(r.html.contains("<table tabindex=\"0\">"), "{}", r.html);
        assert!(
            r.html.contains("<pre tabindex=\"0\">raw</pre>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn heading_attributes_cannot_add_handlers() {
        let h = html("# Hello {onclick=alert(1) style=color:red .x}");
        assert!(h.contains("<h1 id=\"hello\">Hello</h1>"), "{h}");
    }

    #[test]
    fn dangerous_urls_never_reach_href() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: vbscript:x",
            "[x](data:text/html,<script>)",
        ] {
            let (r, issues) = render(md, false, &|_| Link::Keep);
            let h = r.html.to_lowercase();
            assert!(
                !h.contains("href=\"java")
                    && !h.contains("href=\"vb")
                    && !h.contains("href=\"data"),
                "{md} -> {h}"
            );
            assert!(h.contains("href=\"#\""), "{md} -> {h}");
            assert_eq!(issues.len(), 1, "{md}");
        }
        assert!(html("![i](data:image/png;base64,AAAA)").contains("src=\"data:image/png"));
    }

    #[test]
    fn heading_ids_are_unique_and_cyrillic() {
        let (r, _) = render(
            "## Рынок\n\n## Рынок\n\n## Custom {#mine}\n",
            false,
            &|_| Link::Keep,
        );
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["рынок", "рынок-1", "mine"]);
    }

    #[test]
    fn resolver_rewrites_and_reports() {
        let resolve = |d: &str| match d {
            "@/projects/a.md" => Link::Rewrite("/projects/a/".into()),
            "/nowhere/" => Link::Broken("broken".into(), None),
            _ => Link::Keep,
        };
        let (r, issues) = render(
            "[a](@/projects/a.md)\n\nline [b](/nowhere/)",
            false,
            &resolve,
        );
        assert!(r.html.contains("href=\"/projects/a/\""));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].offset, 27);
    }
}
