//! Markdown to HTML with pulldown-cmark: the site's dialect (tables, footnotes, strikethrough,
//! task lists, heading ids, smart punctuation), safe by default, with every link handed to a
//! resolver so that internal links are checked and rewritten.
//!
//! Invariant: pure and infallible: bad links come back as [`LinkIssue`]s, never as a panic or
//! an I/O call. Raw HTML is escaped unless the site allows it; `javascript:`, `vbscript:` and
//! `data:` URLs (except `data:image/*` in images) never reach an `href` or `src`. Every id the
//! HTML carries is unique on its page: unlike any id of the theme around it (issue 14 item 4).

use std::collections::{BTreeSet, HashMap, HashSet};

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
    /// The ids the HTML carries besides the headings' (those are in `toc`): the footnotes',
    /// then those of allowed raw HTML. See [`Rendered::ids`].
    pub other_ids: Vec<String>,
    /// The links to a fragment of another page of the site (`/projects/a/#team`), as the
    /// page will have them: the site checks them once every page's ids are known. Links
    /// within the body (`#team`) are checked here.
    pub fragment_links: Vec<FragmentLink>,
}

impl Rendered {
    /// Every id the HTML carries, each once: the headings' in document order, then the
    /// footnotes', then those of allowed raw HTML. None is one of [`Settings::reserved_ids`].
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.toc
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.other_ids.iter().map(String::as_str))
    }
}

/// A link to `#fragment` of another page, found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentLink {
    /// Byte offset of the link in the Markdown.
    pub offset: usize,
    /// The destination as written (`../other/#market`), for messages.
    pub written: String,
    /// The destination as the page has it (`/sub/projects/other/#market`): a path from the
    /// host, base path included.
    pub href: String,
}

/// How a body is rendered: the site's setting and the page it is shown on.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// Raw HTML is kept (sanitised) rather than shown as text (`markdown.allow_html`).
    pub allow_html: bool,
    /// The ids the page's template writes itself (`main`, `toc-title`): the body's headings,
    /// footnotes and raw HTML never take one of them, and a link `#main` is not broken.
    pub reserved_ids: &'a BTreeSet<String>,
}

/// No ids reserved: a body alone.
static NO_IDS: BTreeSet<String> = BTreeSet::new();

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

/// Renders `markdown` as a body alone (no ids of a page around it). `resolve` sees every link
/// and image destination.
pub fn render(
    markdown: &str,
    allow_html: bool,
    resolve: &dyn Fn(&str) -> Link,
) -> (Rendered, Vec<LinkIssue>) {
    let settings = Settings {
        allow_html,
        reserved_ids: &NO_IDS,
    };
    render_with(markdown, &settings, resolve)
}

/// Renders `markdown` for a page whose template writes `settings.reserved_ids`. `resolve`
/// sees every link and image destination. A link to `#id` that no id of the body or of the
/// page has is an error; a `{#id}` that cannot be given (another heading's, the theme's) is
/// a warning, and the heading gets the next free one.
pub fn render_with(
    markdown: &str,
    settings: &Settings<'_>,
    resolve: &dyn Fn(&str) -> Link,
) -> (Rendered, Vec<LinkIssue>) {
    let allow_html = settings.allow_html;
    let mut issues = Vec::new();
    let mut fragments = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    // The byte offset of each event (for messages about headings).
    let mut offsets: Vec<usize> = Vec::new();
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
                let dest = link_dest(
                    &dest_url,
                    range.start,
                    resolve,
                    &mut issues,
                    Some(&mut fragments),
                );
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
                    offsets.push(range.start);
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
        offsets.push(range.start);
    }
    let mut ids = PageIds::new(settings.reserved_ids);
    // With raw HTML allowed, the ids written here are marked so that the sanitiser tells
    // them from raw HTML's: a prefix no text can hold, as it depends on the text itself.
    let mark = if allow_html {
        format!("sc{:016x}-", crate::site::fingerprint(markdown))
    } else {
        String::new()
    };
    let toc = assign_heading_ids(&mut events, &offsets, &mut ids, &mark, &mut issues);
    let events = footnotes(events, &mut ids, &mark);
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
    let other_ids = if allow_html {
        let (clean, renamed) = sanitize(&html, ids, &mark);
        html = clean;
        for (raw, given) in renamed {
            issues.push(raw_id_issue(markdown, &raw, &given, settings.reserved_ids));
        }
        // What the page has: raw elements the sanitiser removed took their ids along.
        let headings: HashSet<&str> = toc.iter().map(|h| h.id.as_str()).collect();
        ids_of_clean_html(&html)
            .into_iter()
            .filter(|i| !headings.contains(i.as_str()))
            .collect()
    } else {
        // One id per heading was handed out before the footnotes'.
        let mut handed_out = ids.handed_out;
        handed_out.split_off(toc.len())
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = text.split_whitespace().count();
    let mut rendered = Rendered {
        html,
        toc,
        text,
        words,
        other_ids,
        fragment_links: Vec::new(),
    };
    fragments.retain(|f: &FragmentLink| {
        let Some(fragment) = f.href.strip_prefix('#') else {
            return true;
        };
        if !has_anchor(fragment, Some(&rendered), settings.reserved_ids) {
            issues.push(missing_anchor(
                f,
                fragment,
                &rendered,
                settings.reserved_ids,
            ));
        }
        false
    });
    rendered.fragment_links = fragments;
    (rendered, issues)
}

/// Whether a page that shows `body` (`None`: no body) and whose template writes `reserved`
/// has the anchor `#fragment`, as a browser finds it (HTML, "the indicated part of the
/// document"): an element with that id, else with the id it percent-decodes to; the empty
/// fragment and `top` are the top of the page.
pub fn has_anchor(fragment: &str, body: Option<&Rendered>, reserved: &BTreeSet<String>) -> bool {
    let is = |f: &str| reserved.contains(f) || body.is_some_and(|b| b.ids().any(|i| i == f));
    fragment.is_empty()
        || fragment.eq_ignore_ascii_case("top")
        || is(fragment)
        || crate::url::percent_decode(fragment).is_some_and(|d| is(&d))
}

/// The help for a link to `#fragment`, which a page does not have: the closest of its
/// anchors, else the list of them (up to eight). `body`: the body the page shows (`None`: a
/// page of the theme alone, such as a list); `reserved`: the theme's ids.
pub fn anchor_help(fragment: &str, body: Option<&Rendered>, reserved: &BTreeSet<String>) -> String {
    let decoded = crate::url::percent_decode(fragment).unwrap_or_else(|| fragment.to_string());
    let own: Vec<&str> = body.map(|b| b.ids().collect()).unwrap_or_default();
    let all = own
        .iter()
        .copied()
        .chain(reserved.iter().map(String::as_str));
    if let Some(s) = crate::error::did_you_mean(&decoded, all) {
        return format!("did you mean `#{s}`?");
    }
    let list = |ids: &mut dyn Iterator<Item = &str>, count: usize| {
        const SHOWN: usize = 8;
        let mut list: Vec<String> = ids.take(SHOWN).map(|i| format!("`#{i}`")).collect();
        if count > SHOWN {
            list.push(format!("{} more", count - SHOWN));
        }
        list.join(", ")
    };
    match body {
        Some(_) if own.is_empty() => "it has no anchors of its own: a heading gets one from \
            its text (`## Market` is `#market`) or from the `{#id}` written after it"
            .into(),
        Some(_) => format!(
            "its anchors are {}",
            list(&mut own.iter().copied(), own.len())
        ),
        None => format!(
            "its anchors are the theme's: {}",
            list(&mut reserved.iter().map(String::as_str), reserved.len())
        ),
    }
}

/// The error of a link within the body to an anchor the page does not have.
fn missing_anchor(
    f: &FragmentLink,
    fragment: &str,
    body: &Rendered,
    reserved: &BTreeSet<String>,
) -> LinkIssue {
    LinkIssue {
        offset: f.offset,
        message: format!(
            "the link `{}` points to no anchor of this page",
            short(&f.written)
        ),
        help: Some(anchor_help(fragment, Some(body), reserved)),
        warning: false,
    }
}

/// The warning for an id of raw HTML that another element of the page has: where it is in
/// the Markdown (its first `id="…"`, else the body's start) and what it became.
fn raw_id_issue(markdown: &str, raw: &str, given: &str, reserved: &BTreeSet<String>) -> LinkIssue {
    let offset = [
        format!("id=\"{raw}\""),
        format!("id='{raw}'"),
        format!("id={raw}"),
    ]
    .iter()
    .filter_map(|p| markdown.find(p.as_str()))
    .min()
    .unwrap_or(0);
    let whose = if reserved.contains(raw) {
        "the theme's"
    } else {
        "another element's of this body"
    };
    LinkIssue {
        offset,
        message: format!("the HTML id `{raw}` is {whose} too; this one is published as `{given}`"),
        help: Some("give the element an id of its own".into()),
        warning: true,
    }
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
    link_dest(dest, offset, resolve, issues, None)
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

/// The URL a link (`fragments` given) or an image (`None`) is written with; a link that keeps
/// a `#fragment` is added to `fragments`.
fn link_dest<'a>(
    dest: &CowStr<'a>,
    offset: usize,
    resolve: &dyn Fn(&str) -> Link,
    issues: &mut Vec<LinkIssue>,
    fragments: Option<&mut Vec<FragmentLink>>,
) -> CowStr<'a> {
    let image = fragments.is_none();
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
    let checked = |url: CowStr<'a>| {
        // Only links that reach a page keep their fragment to check: broken and held ones
        // are reported already, and a path from the host is the only form of the site's.
        let on_site = url.starts_with('#') || (url.starts_with('/') && !url.starts_with("//"));
        if let Some(fragments) = fragments.filter(|_| on_site && url.contains('#')) {
            fragments.push(FragmentLink {
                offset,
                written: dest.to_string(),
                href: url.to_string(),
            });
        }
        url
    };
    match resolve(dest) {
        Link::Keep => checked(dest.clone()),
        Link::Rewrite(url) => checked(CowStr::from(url)),
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
/// frames or script-running URLs survive; the tags Markdown itself produces do. The ids
/// written here carry `mark` (which is removed); an id of raw HTML that the page has already
/// gets the next free one. Returns the HTML and each renamed raw id with its new name.
fn sanitize(html: &str, ids: PageIds<'_>, mark: &str) -> (String, Vec<(String, String)>) {
    // The filter is called in document order; it is shared with ammonia's builder, which
    // wants it `'static`.
    let state = std::sync::Arc::new(std::sync::Mutex::new((ids.owned(), Vec::new())));
    let filter_state = std::sync::Arc::clone(&state);
    let mark_owned = mark.to_string();
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
    // `role` for the footnotes' `doc-noteref` and `doc-backlink` (no role runs script).
    .add_tag_attributes("a", ["href", "title", "role"])
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
    .link_rel(None)
    .attribute_filter(move |_element, attribute, value| {
        if attribute != "id" {
            return Some(value.into());
        }
        if let Some(own) = value
            .strip_prefix(mark_owned.as_str())
            .filter(|_| !mark_owned.is_empty())
        {
            return Some(own.to_string().into());
        }
        let mut guard = filter_state.lock().unwrap_or_else(|e| e.into_inner());
        let (taken, renamed) = &mut *guard;
        let given = taken.claim(value);
        if given != value {
            renamed.push((value.to_string(), given.clone()));
        }
        Some(given.into())
    });
    let clean = b.clean(html).to_string();
    drop(b);
    let renamed = std::mem::take(&mut state.lock().unwrap_or_else(|e| e.into_inner()).1);
    (clean, renamed)
}

/// The ids of HTML as the sanitiser writes it (every attribute `name="value"`, no `"` in a
/// value, no `<` in text, no comments): what the page really has, elements the sanitiser
/// removed with their ids left out.
fn ids_of_clean_html(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        // The tag's name, then its attributes up to `>`, skipping quoted values.
        let mut i = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        loop {
            let tail = &rest[i..];
            let trimmed = tail.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            i += tail.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('>') {
                break;
            }
            let name_end = trimmed
                .find(|c: char| c == '=' || c == '>' || c.is_ascii_whitespace())
                .unwrap_or(trimmed.len());
            let name = &trimmed[..name_end];
            i += name_end;
            if let Some(value) = rest[i..].strip_prefix("=\"") {
                let end = value.find('"').unwrap_or(value.len());
                if name == "id" {
                    ids.push(html_unescape(&value[..end]));
                }
                i += 2 + end + 1;
            }
            if i >= rest.len() {
                break;
            }
        }
        rest = &rest[i.min(rest.len())..];
    }
    ids
}

/// The text of an attribute value as the sanitiser escapes it (`&amp;`, `&quot;`, `&nbsp;`,
/// `&lt;`, `&gt;`).
fn html_unescape(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    v.replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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

/// The ids of one page as they are handed out: the theme's are taken before the body starts.
/// Every id handed out is unique on the page.
struct PageIds<'a> {
    /// The ids the page's template writes.
    reserved: &'a BTreeSet<String>,
    /// Ids handed out, in order.
    handed_out: Vec<String>,
    taken: HashSet<String>,
    /// Per base, the next suffix to try: `n` headings "Notes" cost `n` tries, not `n²`.
    next: HashMap<String, usize>,
}

impl<'a> PageIds<'a> {
    fn new(reserved: &'a BTreeSet<String>) -> Self {
        PageIds {
            reserved,
            handed_out: Vec::new(),
            taken: HashSet::new(),
            next: HashMap::new(),
        }
    }

    /// Takes `id` if it is free.
    fn take(&mut self, id: &str) -> bool {
        if self.reserved.contains(id) || self.taken.contains(id) {
            return false;
        }
        self.taken.insert(id.to_string());
        self.handed_out.push(id.to_string());
        true
    }

    /// `base` if it is free, else the first free of `base-1`, `base-2`, ... (a literal
    /// heading "Notes 1" may hold `notes-1` already: the next "Notes" gets `notes-2`).
    fn claim(&mut self, base: &str) -> String {
        if self.take(base) {
            return base.to_string();
        }
        let mut n = self.next.get(base).copied().unwrap_or(1);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if self.take(&candidate) {
                self.next.insert(base.to_string(), n);
                return candidate;
            }
        }
    }

    /// The same ids, owning the theme's (for the sanitiser's `'static` filter).
    fn owned(self) -> PageIds<'static> {
        let mut taken = self.taken;
        taken.extend(self.reserved.iter().cloned());
        PageIds {
            reserved: &NO_IDS,
            handed_out: self.handed_out,
            taken,
            next: self.next,
        }
    }
}

/// Gives every heading an id and collects the toc. The ids come in this order of
/// precedence, so that the ids other pages link to move as little as possible: the theme's
/// (taken before), each `{#id}` as written (the author chose it; when the theme or an earlier
/// `{#id}` has it, a warning and the next free suffix), each heading's own slug where it is
/// the first to want it, then a suffix for the repeats (`header-1` when free, else the next
/// free). Footnotes come after headings ([`footnotes`]): their links are all on the page.
fn assign_heading_ids(
    events: &mut [Event<'_>],
    offsets: &[usize],
    ids: &mut PageIds<'_>,
    mark: &str,
    issues: &mut Vec<LinkIssue>,
) -> Vec<Heading> {
    // (event index, level, `{#id}`, text)
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level;
            let given = id.as_ref().map(|s| s.to_string()).filter(|s| !s.is_empty());
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    title.push_str(t);
                }
                j += 1;
            }
            headings.push((i, level, given, title));
            i = j;
        }
        i += 1;
    }
    let mut assigned: Vec<Option<String>> = vec![None; headings.len()];
    for (k, (at, _, given, _)) in headings.iter().enumerate() {
        let Some(given) = given else { continue };
        if ids.take(given) {
            assigned[k] = Some(given.clone());
            continue;
        }
        let got = ids.claim(given);
        let whose = if ids.reserved.contains(given) {
            "the theme uses it on this page"
        } else {
            "an earlier heading of this body has it"
        };
        issues.push(LinkIssue {
            offset: offsets.get(*at).copied().unwrap_or(0),
            message: format!(
                "the heading id `{given}` cannot be used: {whose}; this heading gets `{got}`"
            ),
            help: Some(format!(
                "choose another id, e.g. `{{#{given}-section}}`, and link to that"
            )),
            warning: true,
        });
        assigned[k] = Some(got);
    }
    let slugs: Vec<String> = headings.iter().map(|h| heading_slug(&h.3)).collect();
    for (k, slug) in slugs.iter().enumerate() {
        if assigned[k].is_none() && ids.take(slug) {
            assigned[k] = Some(slug.clone());
        }
    }
    for (k, slug) in slugs.iter().enumerate() {
        if assigned[k].is_none() {
            assigned[k] = Some(ids.claim(slug));
        }
    }
    let mut toc = Vec::with_capacity(headings.len());
    for ((at, level, _, title), unique) in headings.into_iter().zip(assigned) {
        let unique = unique.unwrap_or_default();
        if let Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) = &mut events[at]
        {
            *id = Some(CowStr::from(format!("{mark}{unique}")));
            // `{.class key=value}` would let content set `onclick=`: only the id is kept.
            classes.clear();
            attrs.clear();
        }
        toc.push(Heading {
            level: level_number(level),
            id: unique,
            title: title.trim().to_string(),
        });
    }
    toc
}

/// Writes footnote references and definitions with ids of their own namespace, as most
/// tools do: the note is `fn-NAME`, its references `fnref-NAME` (`fnref-NAME-1` for the
/// second), so that `## 1` and `[^1]` no longer both claim `id="1"`; each id is still claimed
/// on the page (a heading "Fn 1" holds `fn-1` first). A definition links back to each of its
/// references. Labels are matched without case, as CommonMark matches them.
fn footnotes<'a>(events: Vec<Event<'a>>, ids: &mut PageIds<'_>, mark: &str) -> Vec<Event<'a>> {
    use crate::render::templates::escape;
    let key = |name: &str| name.to_lowercase();
    // Number of each label in order of first appearance (reference or definition).
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut defined: HashSet<String> = HashSet::new();
    let mut definitions = 0;
    for e in &events {
        let name = match e {
            Event::FootnoteReference(n) => n,
            Event::Start(Tag::FootnoteDefinition(n)) => {
                defined.insert(key(n));
                definitions += 1;
                n
            }
            _ => continue,
        };
        let next = numbers.len() + 1;
        numbers.entry(key(name)).or_insert(next);
    }
    if numbers.is_empty() {
        return events;
    }
    let slug_of = |k: &str| {
        let s = slug_words(k);
        if s.is_empty() {
            numbers[k].to_string()
        } else {
            s
        }
    };
    // Definitions first (references link to them), each occurrence (a repeated definition is
    // shown too, without references).
    let mut definition_ids: Vec<String> = Vec::with_capacity(definitions);
    let mut first_definition: HashMap<String, String> = HashMap::new();
    for e in &events {
        if let Event::Start(Tag::FootnoteDefinition(n)) = e {
            let k = key(n);
            let id = ids.claim(&format!("fn-{}", slug_of(&k)));
            first_definition.entry(k).or_insert_with(|| id.clone());
            definition_ids.push(id);
        }
    }
    // The ids of each label's references, and of every reference in order (`None`: the
    // label has no note).
    let mut references: HashMap<String, Vec<String>> = HashMap::new();
    let mut reference_ids: Vec<Option<String>> = Vec::new();
    for e in &events {
        if let Event::FootnoteReference(n) = e {
            let k = key(n);
            if !defined.contains(&k) {
                reference_ids.push(None);
                continue;
            }
            let id = ids.claim(&format!("fnref-{}", slug_of(&k)));
            references.entry(k).or_default().push(id.clone());
            reference_ids.push(Some(id));
        }
    }
    let mut out = Vec::with_capacity(events.len() + references.len());
    let (mut definition_ids, mut reference_ids) =
        (definition_ids.into_iter(), reference_ids.into_iter());
    // The labels of the definitions being written (a definition can hold another).
    let mut open: Vec<(String, bool)> = Vec::new();
    for e in events {
        match e {
            Event::FootnoteReference(n) => match reference_ids.next().flatten() {
                Some(id) => {
                    let k = key(&n);
                    out.push(Event::InlineHtml(CowStr::from(format!(
                        "<sup class=\"footnote-reference\">\
                         <a href=\"#{}\" id=\"{mark}{}\" role=\"doc-noteref\">{}</a></sup>",
                        escape(&first_definition[&k]),
                        escape(&id),
                        numbers[&k]
                    ))));
                }
                // Not a footnote (pulldown-cmark gives such labels as text): as written.
                None => out.push(Event::Text(CowStr::from(format!("[^{n}]")))),
            },
            Event::Start(Tag::FootnoteDefinition(n)) => {
                let k = key(&n);
                let id = definition_ids.next().unwrap_or_default();
                let first = first_definition.get(&k) == Some(&id);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"{mark}{}\">\
                     <sup class=\"footnote-definition-label\">{}</sup>",
                    escape(&id),
                    numbers[&k]
                ))));
                open.push((k, first));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let (k, first) = open.pop().unwrap_or_default();
                let refs = if first { references.get(&k) } else { None };
                let backrefs: String = refs
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(n, r)| {
                        let count = if n == 0 {
                            String::new()
                        } else {
                            format!("<sup>{}</sup>", n + 1)
                        };
                        // U+FE0E: the arrow as text, not as an emoji.
                        format!(
                            " <a href=\"#{}\" class=\"footnote-backref\" \
                             role=\"doc-backlink\">\u{21a9}\u{fe0e}{count}</a>",
                            escape(r)
                        )
                    })
                    .collect();
                if !backrefs.is_empty() {
                    // Inside the note's last paragraph, where the text ends.
                    let end_paragraph = matches!(out.last(), Some(Event::End(TagEnd::Paragraph)));
                    let last = end_paragraph.then(|| out.pop()).flatten();
                    out.push(Event::InlineHtml(CowStr::from(backrefs)));
                    out.extend(last);
                }
                out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            other => out.push(other),
        }
    }
    out
}

fn level_number(l: HeadingLevel) -> u8 {
    l as u8
}

/// An id from heading text: its words in lowercase (letters and digits of any script, with
/// their combining marks: `за́мок` keeps its stress mark), joined by dashes, in Unicode NFC
/// so that a link typed elsewhere matches; `section` when nothing is left (a heading of
/// emoji or punctuation).
pub fn heading_slug(text: &str) -> String {
    let s = slug_words(text);
    if s.is_empty() {
        "section".into()
    } else {
        s
    }
}

/// The words of `text` in lowercase joined by dashes (NFC); empty when it has none.
fn slug_words(text: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    let mut s = String::new();
    // ASCII needs no normalising (most headings of most sites).
    let nfc: Box<dyn Iterator<Item = char>> = if text.is_ascii() {
        Box::new(text.chars())
    } else {
        Box::new(text.nfc())
    };
    for c in nfc.flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || (is_combining_mark(c) && !s.is_empty() && !s.ends_with('-')) {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    if s.is_ascii() {
        s.to_string()
    } else {
        s.nfc().collect()
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

    /// The theme ids of a page in these tests: a few of the default theme's.
    fn theme() -> BTreeSet<String> {
        ["main", "all-title", "toc-title", "team-title"]
            .map(String::from)
            .into()
    }

    fn page(md: &str) -> (Rendered, Vec<LinkIssue>) {
        let reserved = theme();
        let settings = Settings {
            allow_html: false,
            reserved_ids: &reserved,
        };
        render_with(md, &settings, &|_| Link::Keep)
    }

    /// Every `id="…"` of `html`, in order.
    fn html_ids(html: &str) -> Vec<String> {
        html.split(" id=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect()
    }

    /// The ids of the HTML are the ones reported, unique, and none is the theme's.
    fn assert_unique(r: &Rendered) {
        let found = html_ids(&r.html);
        let mut sorted = found.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            found.len(),
            "duplicate ids: {found:?}\n{}",
            r.html
        );
        let mut reported: Vec<String> = r.ids().map(String::from).collect();
        reported.sort();
        assert_eq!(reported, sorted, "{}", r.html);
        for id in &found {
            assert!(!theme().contains(id), "{id} is the theme's: {}", r.html);
        }
    }

    fn toc_ids(r: &Rendered) -> Vec<&str> {
        r.toc.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn numeric_headings_and_footnotes_have_ids_of_their_own() {
        let (r, issues) =
            page("## 1\n\nText.[^1] [Note](#fn-1), [heading](#1).\n\n## 2\n\n[^1]: The note.\n");
        assert!(issues.is_empty(), "{issues:?}");
        assert_unique(&r);
        assert_eq!(toc_ids(&r), ["1", "2"]);
        assert!(
            r.html.contains("<sup class=\"footnote-reference\"><a href=\"#fn-1\" id=\"fnref-1\" role=\"doc-noteref\">1</a></sup>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<div class=\"footnote-definition\" id=\"fn-1\"><sup class=\"footnote-definition-label\">1</sup>"),
            "{}",
            r.html
        );
        // The way back, inside the note's paragraph.
        assert!(
            r.html.contains("The note. <a href=\"#fnref-1\" class=\"footnote-backref\" role=\"doc-backlink\">\u{21a9}\u{fe0e}</a></p>"),
            "{}",
            r.html
        );
        assert_eq!(r.ids().collect::<Vec<_>>(), ["1", "2", "fn-1", "fnref-1"]);
    }

    #[test]
    fn repeated_headings_take_the_next_free_suffix() {
        let (r, _) = page("# Header\n\n# Header 1\n\n# Header\n");
        assert_eq!(toc_ids(&r), ["header", "header-1", "header-2"]);
        assert_unique(&r);
        // A literal "Header 1" keeps its own id wherever it is.
        let (r, _) = page("# Header\n\n# Header\n\n# Header 1\n\n# Header\n");
        assert_eq!(toc_ids(&r), ["header", "header-2", "header-1", "header-3"]);
        assert_unique(&r);
        let (r, _) = page("## A\n\n## A-1\n\n## A 1\n\n## A\n\n## a-2\n\n## A\n");
        assert_eq!(toc_ids(&r), ["a", "a-1", "a-1-1", "a-3", "a-2", "a-4"]);
        assert_unique(&r);
        // Many repeats stay linear.
        let (r, _) = page(&"## Notes\n\n".repeat(3000));
        assert_eq!(r.toc[2999].id, "notes-2999");
        assert_unique(&r);
    }

    #[test]
    fn custom_ids_come_first_and_never_take_the_themes() {
        // A `{#id}` wins over a generated id, wherever it is.
        let (r, issues) = page("# Intro\n\n## Other {#intro}\n");
        assert_eq!(toc_ids(&r), ["intro-1", "intro"]);
        assert!(issues.is_empty(), "{issues:?}");
        // A generated id never takes the theme's; a `{#id}` that would is told.
        let (r, issues) =
            page("## Main\n\n## All title\n\n## Intro {#main}\n\n## Team {#all-title}\n");
        // (The `{#id}`s are handed out first.)
        assert_eq!(
            toc_ids(&r),
            ["main-2", "all-title-2", "main-1", "all-title-1"]
        );
        assert_unique(&r);
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert!(issues.iter().all(|i| i.warning));
        assert_eq!(
            issues[0].message,
            "the heading id `main` cannot be used: the theme uses it on this page; this heading gets `main-1`"
        );
        assert_eq!(issues[0].offset, "## Main\n\n## All title\n\n".len());
        // Two headings with one `{#id}`: the second is told.
        let (r, issues) = page("## A {#x}\n\n## B {#x}\n\n## X\n");
        assert_eq!(toc_ids(&r), ["x", "x-1", "x-2"]);
        assert_eq!(issues.len(), 1);
        assert!(issues[0]
            .message
            .contains("an earlier heading of this body has it"));
        // A footnote's namespace is the footnotes' only when no heading holds it.
        let (r, _) = page("## Fn 1\n\n## Fnref 1\n\nA.[^1]\n\n[^1]: N.\n");
        assert_eq!(toc_ids(&r), ["fn-1", "fnref-1"]);
        assert!(
            r.html.contains("href=\"#fn-1-1\" id=\"fnref-1-1\""),
            "{}",
            r.html
        );
        assert_unique(&r);
    }

    #[test]
    fn headings_in_any_script_and_headings_without_words() {
        let (r, _) = page(
            "## Рынок и команда\n\n## Қазақстан: әуе, ғарыш, құрлық, ңө, ұүһі\n\n## ЗА\u{301}МОК\n\n## 🚀🚀\n\n## ???\n\n## `code` — *x*\n",
        );
        assert_eq!(
            toc_ids(&r),
            [
                "рынок-и-команда",
                "қазақстан-әуе-ғарыш-құрлық-ңө-ұүһі",
                "за\u{301}мок",
                "section",
                "section-1",
                "code-x"
            ]
        );
        assert_unique(&r);
        // Decomposed text gives the composed id, as a link typed elsewhere would be.
        assert_eq!(heading_slug("Ри\u{306}с"), "рйс");
        assert_eq!(heading_slug("İstanbul"), "i\u{307}stanbul");
    }

    #[test]
    fn footnotes_unreferenced_referenced_twice_and_undefined() {
        let (r, issues) = page(
            "One[^a], two[^A], three[^b] and [^none].\n\n[^a]: Alpha.\n[^b]: Beta.\n[^c]: Never cited.\n[^a]: Again.\n",
        );
        assert!(issues.is_empty(), "{issues:?}");
        assert_unique(&r);
        // The second reference has an id of its own, and the note links back to both.
        assert!(
            r.html.contains("<a href=\"#fn-a\" id=\"fnref-a\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<a href=\"#fn-a\" id=\"fnref-a-1\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("Alpha. <a href=\"#fnref-a\" class=\"footnote-backref\" role=\"doc-backlink\">\u{21a9}\u{fe0e}</a> <a href=\"#fnref-a-1\" class=\"footnote-backref\" role=\"doc-backlink\">\u{21a9}\u{fe0e}<sup>2</sup></a></p>"),
            "{}",
            r.html
        );
        // A note nobody cites is shown, without a way back; a repeated definition too.
        assert!(
            r.html
                .contains("id=\"fn-c\"><sup class=\"footnote-definition-label\">3</sup>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("href=\"#fnref-c"), "{}", r.html);
        assert!(r.html.contains("id=\"fn-a-1\""), "{}", r.html);
        assert!(r.html.contains("[^none]"), "{}", r.html);
        // Every in-page link of the body resolves.
        for href in r.html.split("href=\"#").skip(1) {
            let id = &href[..href.find('"').unwrap()];
            assert!(r.ids().any(|i| i == id), "#{id}: {}", r.html);
        }
        // A label that gives no slug is numbered.
        let (r, _) = page("X[^*].\n\n[^*]: Star.\n");
        assert!(
            r.html.contains("href=\"#fn-1\" id=\"fnref-1\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn links_within_the_body_must_find_their_anchor() {
        let md = "## Market size\n\n[a](#market-size) [b](#main) [c](#top) [d](#) [e](#%D0%BA) [f](#fn-1)[^1]\n\n## к\n\nSee [g](#market-sise) and [h](#nothing-like-it).\n\n[^1]: N.\n";
        let (r, issues) = page(md);
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert!(issues.iter().all(|i| !i.warning));
        assert_eq!(
            issues[0].message,
            "the link `#market-sise` points to no anchor of this page"
        );
        assert_eq!(
            issues[0].help.as_deref(),
            Some("did you mean `#market-size`?")
        );
        assert_eq!(issues[0].offset, md.find("[g]").unwrap());
        assert_eq!(
            issues[1].help.as_deref(),
            Some("its anchors are `#market-size`, `#к`, `#fn-1`, `#fnref-1`")
        );
        // In-page links are not left for the site to check; links to other pages are.
        assert!(r.fragment_links.is_empty());
        let (r, issues) =
            page("[x](/projects/a/#team) [y](/projects/a/) [z](https://e.example/#a)");
        assert!(issues.is_empty());
        assert_eq!(
            r.fragment_links,
            [FragmentLink {
                offset: 0,
                written: "/projects/a/#team".into(),
                href: "/projects/a/#team".into()
            }]
        );
        let (_, issues) = page("Text [x](#nowhere).");
        assert_eq!(
            issues[0].help.as_deref(),
            Some("it has no anchors of its own: a heading gets one from its text (`## Market` is `#market`) or from the `{#id}` written after it")
        );
    }

    #[test]
    fn raw_html_ids_are_unique_too() {
        let reserved = theme();
        let settings = Settings {
            allow_html: true,
            reserved_ids: &reserved,
        };
        let md = "## Intro\n\n<div id=\"main\">m</div>\n\n<p id=\"intro\">p</p> <span id=\"own\">o</span>\n\n<script id=\"gone\">x</script>\n\nA[^1] [to own](#own) [to gone](#gone).\n\n[^1]: <b id=\"fn-1\">N</b>\n";
        let (r, issues) = render_with(md, &settings, &|_| Link::Keep);
        assert_unique(&r);
        assert!(r.html.contains("<h2 id=\"intro\">Intro</h2>"), "{}", r.html);
        assert!(r.html.contains("<div id=\"main-1\">m</div>"), "{}", r.html);
        assert!(r.html.contains("<p id=\"intro-1\">p</p>"), "{}", r.html);
        assert!(r.html.contains("<span id=\"own\">"), "{}", r.html);
        assert!(r.html.contains("id=\"fn-1\"><sup"), "{}", r.html);
        assert!(r.html.contains("<b id=\"fn-1-1\">"), "{}", r.html);
        assert!(r.html.contains("role=\"doc-noteref\""), "{}", r.html);
        // A removed element's id is not an anchor.
        assert!(!r.ids().any(|i| i == "gone"), "{:?}", r.other_ids);
        let messages: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the HTML id `main` is the theme's too; this one is published as `main-1`",
                "the HTML id `intro` is another element's of this body too; this one is published as `intro-1`",
                "the HTML id `fn-1` is another element's of this body too; this one is published as `fn-1-1`",
                "the link `#gone` points to no anchor of this page",
            ]
        );
        assert_eq!(issues[0].offset, md.find("id=\"main\"").unwrap());
    }

    #[test]
    fn ids_stay_unique_whatever_the_mix() {
        // Every mix of repeated, literal-suffix, custom, theme-like and footnote headings.
        let parts = [
            "## A\n",
            "## A 1\n",
            "## A-2\n",
            "## 1\n",
            "## Fn 1\n",
            "## Fnref 1\n",
            "## Main\n",
            "## B {#a}\n",
            "## C {#a-1}\n",
            "## D {#main}\n",
            "## E {#fn-1}\n",
            "## 🙂\n",
            "## Section\n",
            "X[^1]\n",
            "Y[^1]\n",
            "Z[^a]\n",
        ];
        let mut seed: u64 = 14;
        for _ in 0..400 {
            let mut md = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                md.push_str(parts[(seed >> 33) as usize % parts.len()]);
                md.push('\n');
            }
            md.push_str("[^1]: One.\n\n[^a]: A.\n");
            let (r, _) = page(&md);
            assert_unique(&r);
            for href in r.html.split("href=\"#").skip(1) {
                let id = &href[..href.find('"').unwrap()];
                assert!(r.ids().any(|i| i == id), "#{id} in {md}");
            }
        }
    }
}
