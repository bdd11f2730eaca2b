//! Active content: what a contributor's file may publish on the site's origin. Bundle files
//! and the site's `static/` are copied to the output; a file that a browser would run as a
//! page or a script there could act with the site's rights (read what the visitor sees,
//! post forms, install a service worker). Unless the site owner trusts contributors'
//! HTML (`markdown.allow_html: true`), such files are refused, and SVG images, which
//! browsers run as documents when opened directly, are rewritten with only their
//! drawing kept.
//!
//! Pure: [`crate::source`] reads the bytes, the pipeline puts the cleaned bytes into the
//! output. The theme's own files are trusted code and never pass through here.

use std::path::Path;

use crate::error::Error;

/// How many leading bytes [`classify`] needs of a file that is not an SVG image.
pub const SNIFF_BYTES: usize = 1024;

/// The Content-Security-Policy of every page of the default theme (its `<meta>` in
/// `base.html` and `redirect.html` says the same) and of the preview's responses.
/// `style-src` allows inline styles: Markdown tables align their cells with `style=`
/// attributes, and CSS cannot run script; the markup that could abuse it is sanitised.
/// `frame-src` names the players of [`crate::video`] (a frame opens only when the visitor
/// clicks play); `media-src` is the site's own video files.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://rutube.ru; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/// `html` with the site's Content-Security-Policy as its first element, when the page does
/// not already carry it before any script: a theme or a site's own template that drops
/// or weakens the `<meta>` cannot lift the policy (browsers enforce every policy a page
/// declares, so an added one only restricts). Placed right after the doctype, where the
/// parser opens the head for it, so that nothing before it can run. `None`: unchanged.
pub fn ensure_csp(html: &[u8]) -> Option<Vec<u8>> {
    static META: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">")
    });
    // Which comes first, the policy or a script: one pass that stops there (the policy
    // is near the top), where two searches of the whole page cost a full scan each.
    static FIRST: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build([META.as_str(), "<script"])
                .ok()
        });
    let meta = META.as_str();
    let protected = match FIRST.as_ref() {
        Some(ac) => ac.find(html).is_some_and(|m| m.pattern().as_usize() == 0),
        // Not reached (two fixed patterns build); adding the policy again is safe.
        None => false,
    };
    if protected {
        return None;
    }
    let start = html
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(html.len());
    let doctype = html[start..]
        .get(..9)
        .is_some_and(|d| d.eq_ignore_ascii_case(b"<!doctype"));
    let at = match doctype {
        true => html[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(0, |i| start + i + 1),
        false => 0,
    };
    let mut out = Vec::with_capacity(html.len() + meta.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(meta.as_bytes());
    out.extend_from_slice(&html[at..]);
    Some(out)
}

/// What may be published of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Copy the file as it is.
    Allowed,
    /// Publish these bytes instead (an SVG with only its drawing kept), and say what was
    /// removed (empty when only harmless editor data went).
    Sanitised(Vec<u8>, Vec<String>),
    /// Refuse the file: the error names it and says what to do.
    Refused(Error),
}

/// Extensions of files that no browser runs and no static host executes, grouped for the
/// message that lists them: everything else is refused unless `allow_html`. An allow-list,
/// since servers map far more extensions to pages and scripts than any list of dangerous
/// ones keeps up with (Debian's `/etc/mime.types` serves `.xhtm` as XHTML and `.es` as
/// JavaScript, which a service worker accepts).
const PUBLISHABLE: &[(&str, &[&str])] = &[
    (
        "images",
        &[
            "png", "jpg", "jpeg", "jpe", "gif", "webp", "avif", "ico", "bmp", "tif", "tiff",
            "heic", "heif", "jxl", "svg",
        ],
    ),
    (
        "audio and video",
        &[
            "mp4", "m4v", "webm", "ogv", "mov", "mp3", "m4a", "aac", "oga", "ogg", "opus", "wav",
            "flac", "vtt", "srt",
        ],
    ),
    (
        "documents",
        &[
            "pdf", "txt", "md", "csv", "tsv", "rtf", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
            "odt", "ods", "odp", "epub", "ics",
        ],
    ),
    (
        "data and styles",
        &["json", "geojson", "webmanifest", "css"],
    ),
    ("fonts", &["woff", "woff2", "ttf", "otf", "eot"]),
    (
        "archives",
        &["zip", "gz", "tgz", "tar", "7z", "bz2", "xz", "zst"],
    ),
];

/// Whether files with this (lowercase) extension may be published.
fn publishable(ext: &str) -> bool {
    PUBLISHABLE.iter().any(|(_, exts)| exts.contains(&ext))
}

/// The accepted extensions, for a help line.
fn publishable_list() -> String {
    PUBLISHABLE
        .iter()
        .map(|(kind, exts)| format!("{kind} ({})", exts.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The help line of every refusal.
const HELP: &str = "link to the page where it is published elsewhere, or turn it into a PDF or an image; if the site's owner trusts every contributor's HTML, set `markdown: {allow_html: true}` in site.yaml";

/// Decides what may be published of the file at `path` (relative to the site root, for
/// messages) whose bytes are `bytes`: the whole file for an `.svg`, at least its first
/// [`SNIFF_BYTES`] otherwise. With `allow_html` everything is copied as is.
pub fn classify(path: &Path, bytes: &[u8], allow_html: bool) -> Verdict {
    if allow_html {
        return Verdict::Allowed;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let refuse = |message: String| Verdict::Refused(Error::new(path, message).with_help(HELP));
    const PAGES: &[&str] = &["html", "htm", "xhtml", "xht", "xhtm", "shtml", "xml"];
    if PAGES.contains(&ext.as_str()) {
        return refuse(format!("`{name}` is a web page or XML document; published as is, a script in it would run on the site's own address"));
    }
    if ["js", "mjs", "cjs", "es", "wasm"].contains(&ext.as_str()) {
        return refuse(format!("`{name}` is program code for the browser; published on the site's own address it could act with the site's rights"));
    }
    if ext == "svgz" {
        return Verdict::Refused(Error::new(path, format!("`{name}` is a compressed SVG image, which cannot be checked for scripts")).with_help("save it as a plain .svg file: showcase then publishes it with its scripts and outside links removed"));
    }
    // A file without an extension (`CNAME`, `_headers`) is served as plain data; it is
    // still sniffed below.
    if !ext.is_empty() && ext != "svg" && !publishable(&ext) {
        return Verdict::Refused(
            Error::new(
                path,
                format!("`{name}`: files of type `.{ext}` are not published, since a web server may serve them as a page or a script on the site's own address"),
            )
            .with_help(format!("publish it in one of the accepted types: {}; {HELP}", publishable_list())),
        );
    }
    if ext == "svg" {
        return match sanitize_svg(bytes) {
            Ok((clean, removed)) => Verdict::Sanitised(clean, removed),
            Err(why) => Verdict::Refused(Error::new(path, format!("`{name}` cannot be checked for scripts: {why}")).with_help("open it in a drawing program (Inkscape, Illustrator) or a browser and export it again as a plain SVG")),
        };
    }
    // A static host picks the type by the extension, but a file of an unknown type, opened
    // from disk or sent without a type, is sniffed by browsers: a page under an image's name
    // would run as a page.
    if let Some(kind) = sniff_markup(bytes) {
        return Verdict::Refused(
            Error::new(
                path,
                format!("`{name}` is named like another kind of file but holds {kind}; a browser may open it as a page and run its scripts"),
            )
            .with_help(format!("save the real file under this name, or give it its true extension; {HELP}")),
        );
    }
    Verdict::Allowed
}

/// What a browser's content sniffing would take the first bytes for, when it is a document
/// that can run script: the signatures of the WHATWG MIME Sniffing standard for HTML and XML,
/// and an SVG root.
fn sniff_markup(bytes: &[u8]) -> Option<&'static str> {
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let start = b
        .iter()
        .position(|c| !matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '))?;
    let b = &b[start..];
    let lower: Vec<u8> = b.iter().take(16).map(u8::to_ascii_lowercase).collect();
    const TAGS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    for tag in TAGS {
        if lower.starts_with(tag) {
            // A tag-terminating byte must follow (`<a ` or `<a>`, not `<abc`).
            let next = lower.get(tag.len()).copied();
            if *tag == b"<!--" || matches!(next, Some(b' ' | b'>')) {
                return Some("a web page (HTML)");
            }
        }
    }
    if lower.starts_with(b"<?xml") {
        return Some("an XML document");
    }
    if lower.starts_with(b"<svg")
        && matches!(lower.get(4), Some(b' ' | b'>' | b'\t' | b'\n' | b'\r'))
    {
        return Some("an SVG image");
    }
    None
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// SVG elements kept: shapes, text, paint servers, filters, structure and declarative
/// animation. Everything else (script, foreignObject, iframe, audio, video, handler,
/// discard, cursor, font elements, elements of other namespaces) is dropped with its
/// children.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "desc",
    "title",
    "symbol",
    "use",
    "image",
    "switch",
    "a",
    "view",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "style",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "animate",
    "animateTransform",
    "animateMotion",
    "mpath",
    "set",
];

/// Attributes kept (without a namespace), besides `href`, whose value is checked by element.
/// No event handler (`on…`) is on the list.
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "style",
    "lang",
    "version",
    "baseProfile",
    "role",
    "aria-label",
    "aria-labelledby",
    "aria-describedby",
    "aria-hidden",
    "focusable",
    "systemLanguage",
    "transform",
    "viewBox",
    "preserveAspectRatio",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "fr",
    "d",
    "points",
    "pathLength",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "color",
    "display",
    "visibility",
    "overflow",
    "clip",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "mask",
    "maskUnits",
    "maskContentUnits",
    "filter",
    "filterUnits",
    "primitiveUnits",
    "marker-start",
    "marker-mid",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "offset",
    "stop-color",
    "stop-opacity",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "font-family",
    "font-size",
    "font-size-adjust",
    "font-style",
    "font-weight",
    "font-variant",
    "font-stretch",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "word-spacing",
    "text-decoration",
    "writing-mode",
    "direction",
    "unicode-bidi",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "startOffset",
    "method",
    "spacing",
    "side",
    "mix-blend-mode",
    "isolation",
    "shape-rendering",
    "text-rendering",
    "image-rendering",
    "color-interpolation",
    "color-interpolation-filters",
    "vector-effect",
    "paint-order",
    "flood-color",
    "flood-opacity",
    "lighting-color",
    "in",
    "in2",
    "result",
    "stdDeviation",
    "mode",
    "type",
    "values",
    "operator",
    "k1",
    "k2",
    "k3",
    "k4",
    "baseFrequency",
    "numOctaves",
    "seed",
    "stitchTiles",
    "scale",
    "xChannelSelector",
    "yChannelSelector",
    "radius",
    "amplitude",
    "exponent",
    "intercept",
    "slope",
    "tableValues",
    "kernelMatrix",
    "order",
    "divisor",
    "bias",
    "targetX",
    "targetY",
    "edgeMode",
    "preserveAlpha",
    "surfaceScale",
    "diffuseConstant",
    "specularConstant",
    "specularExponent",
    "kernelUnitLength",
    "azimuth",
    "elevation",
    "z",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "limitingConeAngle",
    "media",
    "title",
    "dur",
    "begin",
    "end",
    "repeatCount",
    "repeatDur",
    "from",
    "to",
    "by",
    "keyTimes",
    "keySplines",
    "keyPoints",
    "calcMode",
    "additive",
    "accumulate",
    "attributeName",
    "attributeType",
    "restart",
    "min",
    "max",
    "path",
    "requiredExtensions",
    "requiredFeatures",
];

/// Attributes whose value is CSS or a paint, which can name other files: checked by
/// [`unsafe_css`].
const CSS_VALUED: &[&str] = &[
    "style",
    "fill",
    "stroke",
    "clip-path",
    "mask",
    "filter",
    "marker-start",
    "marker-mid",
    "marker-end",
    "from",
    "to",
    "by",
    "values",
];

/// Attributes an animation (`animate`, `set`) may change: those whose every value is
/// harmless once checked like a kept attribute. Never `href`, `style` or an event handler.
fn animatable(name: &str) -> bool {
    name != "style" && name != "id" && name != "class" && ATTRIBUTES.contains(&name)
}

/// The SVG document `bytes` with only allowed elements and attributes, and what dangerous
/// parts were removed; or why it cannot be read.
pub fn sanitize_svg(bytes: &[u8]) -> Result<(Vec<u8>, Vec<String>), String> {
    let text = std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes))
        .map_err(|_| "it is not UTF-8 text".to_string())?;
    let text = without_doctype(text)?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 1_000_000,
    };
    let doc = roxmltree::Document::parse_with_options(&text, options)
        .map_err(|e| format!("it is not well-formed XML ({e})"))?;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(SVG_NS) || root.tag_name().name() != "svg" {
        return Err("its root element is not an SVG <svg> element".into());
    }
    let mut w = Writer::default();
    w.element(root);
    let mut out = String::with_capacity(text.len());
    out.push_str(&w.out);
    if text.ends_with('\n') {
        out.push('\n');
    }
    // The namespace declarations go on the root, which was written first.
    let mut decl = format!(" xmlns=\"{SVG_NS}\"");
    if w.uses_xlink {
        decl.push_str(&format!(" xmlns:xlink=\"{XLINK_NS}\""));
    }
    out.insert_str("<svg".len(), &decl);
    Ok((out.into_bytes(), w.removed))
}

/// `text` with a `<!DOCTYPE>` without internal subset blanked out (drawing programs write
/// one); an internal subset (entity declarations, the "billion laughs") is refused, so no
/// entity is ever expanded.
fn without_doctype(text: &str) -> Result<std::borrow::Cow<'_, str>, String> {
    let Some(start) = text.find("<!DOCTYPE") else {
        return Ok(text.into());
    };
    let mut quote = None;
    for (i, c) in text[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => {
                return Err(
                    "it declares its own entities (a DOCTYPE with an internal subset)".into(),
                )
            }
            (None, '>') => {
                let end = start + i + 1;
                let mut s = String::with_capacity(text.len());
                s.push_str(&text[..start]);
                s.push_str(&" ".repeat(end - start));
                s.push_str(&text[end..]);
                return Ok(s.into());
            }
            _ => {}
        }
    }
    Err("its DOCTYPE is not closed".into())
}

#[derive(Default)]
struct Writer {
    out: String,
    uses_xlink: bool,
    removed: Vec<String>,
}

impl Writer {
    fn removed(&mut self, what: String) {
        if !self.removed.contains(&what) {
            self.removed.push(what);
        }
    }

    fn element(&mut self, node: roxmltree::Node) {
        let tag = node.tag_name();
        let name = tag.name();
        if tag.namespace() != Some(SVG_NS) || !ELEMENTS.contains(&name) {
            // Editors' own data (Inkscape, Sodipodi, RDF metadata) goes silently; anything
            // else is reported.
            if tag
                .namespace()
                .is_none_or(|ns| ns == SVG_NS || ns.contains("xhtml"))
            {
                self.removed(format!("the element <{name}>"));
            }
            return;
        }
        if matches!(name, "animate" | "set") {
            let target = node.attribute("attributeName").unwrap_or("");
            if !animatable(target) {
                self.removed(format!("the <{name}> animating `{target}`"));
                return;
            }
        }
        if name == "style" {
            let css: String = node.children().filter_map(|c| c.text()).collect();
            if let Some(why) = unsafe_css(&css) {
                self.removed(format!("a <style> with {why}"));
                return;
            }
        }
        self.out.push('<');
        self.out.push_str(name);
        for a in node.attributes() {
            self.attribute(name, a);
        }
        let mut children = node.children().peekable();
        if children.peek().is_none() {
            self.out.push_str("/>");
            return;
        }
        self.out.push('>');
        for child in children {
            if child.is_element() {
                self.element(child);
            } else if child.is_text() {
                escape_into(&mut self.out, child.text().unwrap_or(""), false);
            }
            // Comments and processing instructions (`xml-stylesheet`) are dropped.
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn attribute(&mut self, element: &str, a: roxmltree::Attribute) {
        let (ns, name, value) = (a.namespace(), a.name(), a.value());
        let written = match ns {
            None if name == "href" => self.href(element, value).then_some("href"),
            Some(XLINK_NS) if name == "href" => {
                let ok = self.href(element, value);
                self.uses_xlink |= ok;
                ok.then_some("xlink:href")
            }
            Some(XML_NS) if matches!(name, "space" | "lang") => Some(if name == "space" {
                "xml:space"
            } else {
                "xml:lang"
            }),
            None if ATTRIBUTES.contains(&name) => match CSS_VALUED
                .contains(&name)
                .then(|| unsafe_css(value))
                .flatten()
            {
                // `style`, paints and animation values may hold `url(...)` and other
                // resource functions; the other kept attributes cannot load anything.
                Some(why) => {
                    self.removed(format!("the attribute {name} with {why}"));
                    None
                }
                None if name == "attributeName" && !animatable(value) => None,
                None => Some(name),
            },
            None if name.to_ascii_lowercase().starts_with("on") => {
                self.removed(format!("the event handler {name}"));
                None
            }
            // Other namespaces (editors' data) and unknown attributes go silently.
            _ => None,
        };
        if let Some(written) = written {
            self.out.push(' ');
            self.out.push_str(written);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
    }

    /// Whether a link may stay on `element`: a fragment of this file for references, and
    /// for `<a>` also web and mail links; for images, same-site files and raster data.
    fn href(&mut self, element: &str, value: &str) -> bool {
        let url: String = value
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
            .collect::<String>()
            .to_ascii_lowercase();
        let fragment = url.starts_with('#');
        let relative = !url.starts_with("//")
            && !url.starts_with("\\")
            && !url.contains('\\')
            && url
                .split(['/', '?', '#'])
                .next()
                .is_none_or(|first| !first.contains(':'));
        let raster = ["png", "jpeg", "jpg", "gif", "webp"].iter().any(|t| {
            url.starts_with(&format!("data:image/{t};base64,"))
                && clean_raster(&value[value.find(',').map_or(0, |i| i + 1)..])
        });
        let ok = match element {
            "a" => {
                fragment
                    || relative
                    || url.starts_with("https:")
                    || url.starts_with("http:")
                    || url.starts_with("mailto:")
            }
            "image" | "feImage" => fragment || relative || raster,
            _ => fragment,
        };
        if !ok {
            let shown: String = value.trim().chars().take(40).collect();
            self.removed(format!("the link `{shown}` on <{element}>"));
        }
        ok
    }
}

/// Why a CSS text (a `<style>` element, a `style=` or presentation attribute) could load
/// from another site or run script, if it could: resource functions other than `url(#id)`,
/// `@import`, escapes that could hide either, and old script hooks.
fn unsafe_css(css: &str) -> Option<&'static str> {
    let lower = css.to_ascii_lowercase();
    if lower.contains('\\') {
        return Some("a CSS escape");
    }
    if lower.contains("@import") || lower.contains("@font-face") {
        return Some("an @-rule that loads files");
    }
    for f in ["image-set(", "image(", "cross-fade(", "element(", "src("] {
        if lower.contains(f) {
            return Some("a function that loads files");
        }
    }
    if lower.contains("expression(")
        || lower.contains("javascript:")
        || lower.contains("vbscript:")
        || lower.contains("-moz-binding")
        || lower.contains("behavior")
    {
        return Some("a script hook");
    }
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let arg = rest.trim_start().trim_start_matches(['"', '\'']);
        if !arg.starts_with('#') {
            return Some("a link to a file");
        }
    }
    None
}

/// Escapes `s` for XML text (`attr`: also for a `"`-quoted attribute value).
/// Whether the base64 data of a raster image embedded in an SVG holds no metadata block
/// ([`crate::images::metadata`]): the image stage does not reach inside an SVG, so one
/// that does (a photo with its GPS position) is removed instead of published.
fn clean_raster(base64: &str) -> bool {
    let text: Vec<u8> = base64
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let bytes = crate::output::guard::base64(&text);
    crate::images::metadata::blocks(&bytes).is_some_and(|b| b.is_empty())
}

fn escape_into(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> (String, Vec<String>) {
        let (b, removed) = sanitize_svg(svg.as_bytes()).unwrap();
        (String::from_utf8(b).unwrap(), removed)
    }

    /// No way for the output to run script or load from elsewhere, checked on the text and
    /// on a real parse of it.
    fn assert_inert(out: &str) {
        let lower = out
            .replace(SVG_NS, "")
            .replace(XLINK_NS, "")
            .to_ascii_lowercase();
        for bad in [
            "<script",
            "script>",
            "javascript:",
            "foreignobject",
            " on",
            "https:",
            "http:",
            "//evil",
            "@import",
            "<!entity",
            "<!doctype",
            "<?",
            "alert",
        ] {
            assert!(!lower.contains(bad), "`{bad}` in {out}");
        }
        let doc = roxmltree::Document::parse(out).expect("the output is well-formed");
        for n in doc.descendants().filter(|n| n.is_element()) {
            assert!(ELEMENTS.contains(&n.tag_name().name()), "{out}");
            assert_eq!(n.tag_name().namespace(), Some(SVG_NS), "{out}");
            for a in n.attributes() {
                assert!(!a.name().to_ascii_lowercase().starts_with("on"), "{out}");
            }
        }
    }

    const BENIGN: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img" aria-label="Logo">
  <title>Logo &amp; mark</title>
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="1" y2="1" gradientUnits="objectBoundingBox">
      <stop offset="0" stop-color="#0b1f3a"/>
      <stop offset="1" stop-color="#14b8a6" stop-opacity="0.8"/>
    </linearGradient>
  </defs>
  <rect width="64" height="64" rx="12" fill="url(#g)"/>
  <path d="M8 32 Q32 10 56 32 Q32 54 8 32 Z" fill="#e9d8a6" style="stroke:#000;stroke-width:2"/>
  <g transform="rotate(-25 32 32)"><circle cx="32" cy="32" r="9" fill="#1f3b2d"/></g>
  <text x="32" y="60" font-family="sans-serif" font-size="8" text-anchor="middle">a &lt; b</text>
</svg>
"##;

    #[test]
    fn a_benign_drawing_is_kept_byte_for_byte() {
        let (out, removed) = clean(BENIGN);
        assert_eq!(out, BENIGN);
        assert!(removed.is_empty(), "{removed:?}");
    }

    #[test]
    fn the_sample_sites_drawings_are_kept_byte_for_byte() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for f in [
            "content/projects/steppe-eye/logo.svg",
            "content/projects/steppe-eye/a.svg",
            "content/projects/orbit-link/logo.svg",
            "static/images/logo.svg",
        ] {
            let text = std::fs::read_to_string(root.join(f)).unwrap();
            assert_eq!(clean(&text).0, text, "{f}");
        }
    }

    #[test]
    fn script_elements_go_in_every_spelling() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script><![CDATA[alert(1)]]></script></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><SCRIPT>alert(1)</SCRIPT></svg>"#,
            r#"<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>alert(1)</svg:script><svg:rect width="1"/></svg:svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script xlink:href="https://evil.example/x.js" xmlns:xlink="http://www.w3.org/1999/xlink"/></svg>"#,
        ] {
            let (out, removed) = clean(svg);
            assert_inert(&out);
            assert!(!removed.is_empty(), "{svg}");
        }
        // A prefixed SVG is written back with the default namespace, its drawing kept.
        let (out, _) = clean(
            r#"<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:rect width="1"/></svg:svg>"#,
        );
        assert_eq!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>"#
        );
    }

    #[test]
    fn event_handlers_go_in_every_case() {
        let (out, removed) = clean(
            r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect ONLOAD="alert(2)" onClick="alert(3)" width="5"/><g onmouseover="alert(4)"/></svg>"#,
        );
        assert_inert(&out);
        assert_eq!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="5"/><g/></svg>"#
        );
        assert!(removed.iter().any(|r| r.contains("onload")), "{removed:?}");
    }

    #[test]
    fn foreign_object_goes_with_its_html() {
        let (out, _) = clean(
            r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="100" height="100"><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="javascript:alert(1)"/><img src="x" onerror="alert(1)"/></body></foreignObject></svg>"#,
        );
        assert_inert(&out);
        assert_eq!(out, r#"<svg xmlns="http://www.w3.org/2000/svg"></svg>"#);
    }

    #[test]
    fn script_links_and_outside_references_go() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<a xlink:href="javascript:alert(1)"><rect width="1"/></a>
<a href="  JaVa&#x09;script:alert(1)"><rect width="2"/></a>
<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"><rect width="3"/></a>
<use href="https://evil.example/sprite.svg#x"/>
<use xlink:href="//evil.example/sprite.svg#x"/>
<use href="other.svg#x"/>
<image href="http://evil.example/track.png"/>
<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>
<feImage href="https://evil.example/a.png"/>
<use href="#ok"/>
<a href="https://park.example/"><rect id="ok" width="4"/></a>
<image href="photo.png" width="1" height="1"/>
<image xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==" width="1" height="1"/>
</svg>"##;
        let (out, removed) = clean(svg);
        let lower = out.to_ascii_lowercase();
        for bad in ["javascript", "data:text", "evil", "other.svg", "svg+xml"] {
            assert!(!lower.contains(bad), "`{bad}` in {out}");
        }
        for kept in [
            r##"<use href="#ok"/>"##,
            r#"<a href="https://park.example/">"#,
            r#"<image href="photo.png" width="1" height="1"/>"#,
            r#"xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==""#,
            r#"xmlns:xlink="http://www.w3.org/1999/xlink""#,
        ] {
            assert!(out.contains(kept), "`{kept}` missing in {out}");
        }
        assert!(removed.len() >= 8, "{removed:?}");
    }

    #[test]
    fn css_that_loads_or_runs_goes() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="background:url(https://evil.example/x.png)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:URL( 'https://evil.example/x' )"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/p.svg#g)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:\75rl(https://evil.example/x)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="background:image-set('https://evil.example/x.png' 1x)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://evil.example/x.css";</style></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style><![CDATA[rect{fill:url(//evil.example/x)}]]></style></svg>"#,
        ] {
            let (out, removed) = clean(svg);
            assert_inert(&out);
            assert!(!out.contains("evil"), "{out}");
            assert!(!removed.is_empty(), "{svg}");
        }
        let kept = r##"<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(#g) } a &gt; b { stroke: red }</style><rect clip-path="url(#c)" style="fill:url('#g')"/></svg>"##;
        assert_eq!(clean(kept).0, kept);
    }

    #[test]
    fn animations_cannot_set_links_or_handlers() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" to="javascript:alert(1)"/><rect width="1"/></a></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a><set attributeName="xlink:href" to="javascript:alert(1)"/></a></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="HREF" values="javascript:alert(1)"/></a></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect><set attributeName="onclick" to="alert(1)"/></rect></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect><set attributeName="fill" to="url(https://evil.example/x#g)"/></rect></svg>"#,
        ] {
            let (out, removed) = clean(svg);
            assert_inert(&out);
            assert!(!out.contains("evil"), "{out}");
            assert!(!removed.is_empty(), "{svg}");
        }
        let kept = r#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"><animate attributeName="opacity" from="0" to="1" dur="2s" repeatCount="indefinite"/></rect></svg>"#;
        assert_eq!(clean(kept).0, kept);
    }

    #[test]
    fn entities_doctypes_and_instructions_go() {
        let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>"#;
        assert!(sanitize_svg(laughs.as_bytes())
            .unwrap_err()
            .contains("entities"));
        let external = r#"<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"#;
        assert!(sanitize_svg(external.as_bytes()).is_err());
        // An exporter's DOCTYPE without declarations is harmless and dropped.
        let (out, _) = clean(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<?xml-stylesheet href="https://evil.example/x.css" type="text/css"?>
<!-- a comment -->
<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>"#,
        );
        assert_eq!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>"#
        );
        // An undeclared entity is an error, never expanded.
        assert!(sanitize_svg(br#"<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>"#).is_err());
    }

    #[test]
    fn editors_data_goes_silently() {
        let (out, removed) = clean(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" inkscape:version="1.2" width="10"><sodipodi:namedview id="n"/><rect inkscape:label="r" width="1"/></svg>"#,
        );
        assert_eq!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10"><rect width="1"/></svg>"#
        );
        assert!(removed.is_empty(), "{removed:?}");
    }

    #[test]
    fn what_cannot_be_read_is_refused() {
        for bad in [
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>"[..],
            b"not xml at all",
            b"<html><script>alert(1)</script></html>",
            b"<svg><rect/></svg>", // no SVG namespace: a browser would not draw it either
            b"\xff\xfe<\0s\0v\0g\0",
        ] {
            assert!(
                sanitize_svg(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn files_are_judged_by_name_and_content() {
        let v = |name: &str, bytes: &[u8]| classify(Path::new(name), bytes, false);
        for name in [
            "content/projects/a/page.html",
            "content/projects/a/PAGE.HTM",
            "content/projects/a/a.xhtml",
            "content/projects/a/a.xht",
            "content/projects/a/feed.xml",
            "content/projects/a/x.js",
            "content/projects/a/x.mjs",
            "content/projects/a/x.wasm",
            "content/projects/a/x.php",
            "content/projects/a/x.shtml",
            "content/projects/a/x.svgz",
            "content/projects/a/evil.xhtm",
            "content/projects/a/evil.XPDL",
            "static/pwn.es",
            "static/feed.atom",
            "static/x.kml",
            "static/x.xul",
            "static/x.html.txt.xsl",
        ] {
            assert!(matches!(v(name, b"hello"), Verdict::Refused(_)), "{name}");
        }
        for (name, bytes) in [
            ("photo.png", &b"<html><script>alert(1)</script>"[..]),
            ("photo.png", b"\xEF\xBB\xBF  \n<!DOCTYPE HTML><p>x"),
            ("photo.jpg", b"<script>alert(1)</script>"),
            ("notes", b"<p>hi</p>"),
            ("data.txt", b"<?xml version=\"1.0\"?><gpx/>"),
            (
                "logo.png",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>",
            ),
            ("x.txt", b"<!-- x --><b>bold</b>"),
        ] {
            match v(name, bytes) {
                Verdict::Refused(e) => assert!(e.message.contains("holds"), "{}", e.message),
                other => panic!("{name}: {other:?}"),
            }
        }
        for (name, bytes) in [
            ("photo.png", &b"\x89PNG\r\n\x1a\n...."[..]),
            ("doc.pdf", b"%PDF-1.7 <html>"),
            ("data.csv", b"a,b\n1,2\n"),
            ("notes.txt", b"<abc> is not a tag a browser knows"),
            ("style.css", b"a { color: red }"),
            ("CNAME", b"showcase.example.kz\n"),
            ("Report.PDF", b"%PDF-1.4"),
            ("clip.webm", b"\x1a\x45\xdf\xa3"),
        ] {
            assert_eq!(v(name, bytes), Verdict::Allowed, "{name}");
        }
        assert!(matches!(
            v(
                "logo.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>"
            ),
            Verdict::Sanitised(..)
        ));
        let e = match v("content/projects/a/page.html", b"") {
            Verdict::Refused(e) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!(e.path, Path::new("content/projects/a/page.html"));
        assert!(e.help.unwrap().contains("allow_html: true"));
        // The owner trusts contributors: everything is copied as is.
        for name in ["page.html", "x.js", "evil.svg", "x.svgz", "photo.png"] {
            assert_eq!(
                classify(Path::new(name), b"<html><script>x</script>", true),
                Verdict::Allowed
            );
        }
    }

    #[test]
    fn a_page_without_the_policy_gets_it_first() {
        let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">");
        let good = format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\">{meta}<script src=\"/a.js\"></script>");
        assert_eq!(ensure_csp(good.as_bytes()), None);
        let cases = [
            ("<!DOCTYPE html><html><head><script>x()</script></head>", 15),
            ("\n<!doctype html>\n<title>t</title>", 16),
            ("<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"script-src *\">", 0),
        ];
        for (page, at) in cases {
            let out = String::from_utf8(ensure_csp(page.as_bytes()).unwrap()).unwrap();
            assert_eq!(&out[at..at + meta.len()], meta, "{page}");
            assert_eq!(out.replacen(&meta, "", 1), page);
        }
        // The policy placed after a script does not count.
        let late = format!("<html><script>x()</script>{meta}");
        assert!(ensure_csp(late.as_bytes()).is_some());
    }

    #[test]
    fn the_default_theme_carries_the_policy() {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        for t in ["base.html", "redirect.html"] {
            let text = std::fs::read_to_string(theme.join(t)).unwrap();
            assert!(
                text.contains(&format!(
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
                )),
                "{t}"
            );
        }
    }
}
