//! What a link in a body resolves to, and the rendering of one item's body in one language
//! into a [`Version`] (the links checked through [`LinkContext::resolve`]); the anchors of
//! every page ([`Anchors`]: the ids its template writes and those of the body it shows) and
//! the check of links to another page's `#fragment` ([`LinkContext::check_fragments`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::content::{Item, Kind};
use crate::error::{did_you_mean, Error, Errors};
use crate::markdown::{self, Link};
use crate::source::{Sources, TextFile};

use super::pages::{Page, PageKind};
use super::{
    fingerprint, item_path, permalink_of, url_of, Entry, ItemId, MarkdownResult, TextField, Version,
};

/// Everything a link in a body can resolve to, kept with the site so that one item can be
/// rendered again without assembling the whole site.
#[derive(Debug, Default)]
pub struct LinkTable {
    /// Content path (`projects/a.md`) -> item.
    pub(super) by_source: HashMap<String, ItemId>,
    /// Every page and file path of the output, per language prefix.
    pub(super) known_paths: BTreeSet<String>,
    /// Paths of held-back items -> why.
    pub(super) excluded_paths: HashMap<String, String>,
    /// Content paths of held-back files -> why.
    pub(super) held_sources: HashMap<String, String>,
    /// Paths (from the root) of content files that failed to read or parse.
    pub(super) failed_sources: HashSet<String>,
    /// Root-relative path of an image (`/projects/a/photo.jpg`) -> its size and copies.
    pub(super) body_images: BTreeMap<String, BodyImage>,
    /// The ids of the theme on every page, and what each page shows.
    pub(super) anchors: Anchors,
    /// Hash of all of the above and the settings links depend on.
    pub(super) fingerprint: u64,
}

impl LinkTable {
    /// The image at the root-relative path `path`, also percent-encoded.
    fn body_image(&self, path: &str) -> Option<&BodyImage> {
        self.body_images.get(path).or_else(|| {
            crate::url::percent_decode(path)
                .filter(|d| d != path)
                .and_then(|d| self.body_images.get(&d))
        })
    }

    /// Whether the root-relative URL path `path` (`/ru/projects/a/`) is a page or file of
    /// the output, also when written as the file the server sends for a page
    /// (`/projects/a/index.html`) or percent-encoded (`/projects/%D1%81%D0%BE/`).
    fn has_path(&self, path: &str) -> bool {
        let known = |p: &str| {
            self.known_paths.contains(p)
                || p.strip_suffix("index.html")
                    .is_some_and(|dir| dir.ends_with('/') && self.known_paths.contains(dir))
        };
        known(path)
            || crate::url::percent_decode(path)
                .filter(|d| d != path)
                .is_some_and(|d| known(&d))
    }
}

/// What is on each HTML page of the site, for its anchors: the ids its template writes (the
/// body's ids must avoid them, and a link may point at them), and the item whose body it
/// shows (whose [`markdown::Rendered::ids`] it has too).
#[derive(Debug, Default)]
pub struct Anchors {
    /// Template name -> the ids it writes, with those of its parents and of every component.
    by_template: HashMap<String, Arc<BTreeSet<String>>>,
    /// Page path with its language prefix, without the base path (`/ru/projects/a/`) -> what
    /// is there. Only HTML pages.
    pages: HashMap<String, PageAnchors>,
}

#[derive(Debug)]
struct PageAnchors {
    template: &'static str,
    shows: Shows,
}

/// What a page adds to its template's ids.
#[derive(Debug)]
enum Shows {
    /// The body of an item in the language at this index.
    Item(usize, ItemId),
    /// Nothing: it redirects to this page path (with the language prefix), and a redirect
    /// drops the fragment.
    Redirect(String),
    /// Nothing: a list or a page of the theme's alone.
    Theme,
}

impl Anchors {
    /// The anchors of the pages of `pages` (the site's, made from `entries`) written by
    /// `templates` (the theme's and the site's own, by name).
    pub(super) fn of(
        pages: &[Page],
        entries: &[Entry],
        config: &Config,
        templates: &[TextFile],
    ) -> Anchors {
        let by_template = template_ids(templates);
        let home = entries.iter().position(|e| {
            e.kind == Kind::Home && !crate::source::SECTIONS.contains(&e.slug.as_str())
        });
        let pages = pages
            .iter()
            .filter(|p| p.file.ends_with(".html"))
            .map(|p| {
                let lang = &config.languages[p.lang].code;
                let shows = match &p.kind {
                    PageKind::Item(id) => Shows::Item(p.lang, *id),
                    PageKind::Home => home.map_or(Shows::Theme, |id| Shows::Item(p.lang, id)),
                    PageKind::Alias(id) => Shows::Redirect(format!(
                        "{}{}",
                        config.lang_prefix(lang),
                        item_path(entries[*id].kind, &entries[*id].slug)
                    )),
                    PageKind::Redirect(to) => {
                        Shows::Redirect(format!("{}{to}", config.lang_prefix(lang)))
                    }
                    _ => Shows::Theme,
                };
                (
                    p.url_path(config),
                    PageAnchors {
                        template: p.template,
                        shows,
                    },
                )
            })
            .collect();
        Anchors { by_template, pages }
    }

    /// The ids the template of the page at `path` (language prefix, no base path) writes.
    pub(super) fn theme_ids(&self, path: &str) -> Arc<BTreeSet<String>> {
        self.pages
            .get(path)
            .and_then(|p| self.by_template.get(p.template))
            .cloned()
            .unwrap_or_default()
    }

    /// A hash of the templates' ids (the pages are in the link table's known paths).
    pub(super) fn fingerprint(&self) -> u64 {
        fingerprint(
            self.by_template
                .iter()
                .map(|(t, ids)| (t, &**ids))
                .collect::<BTreeMap<_, _>>(),
        )
    }
}

/// The ids each template writes on its pages, by template name: the literal `id="…"` of
/// its file, of the files it extends or includes, and of every file that defines components
/// (Tera 2's components are global: any page may call one). An id written with an
/// expression (`id="{{ h.id }}"`) is not known before rendering and is left out; an id in a
/// branch the page does not take is in (it only keeps a body's heading off that id).
fn template_ids(templates: &[TextFile]) -> HashMap<String, Arc<BTreeSet<String>>> {
    let scans: HashMap<&str, TemplateScan> = templates
        .iter()
        .map(|t| (t.name.as_str(), TemplateScan::of(&t.text)))
        .collect();
    let components: BTreeSet<String> = scans
        .values()
        .filter(|s| s.components)
        .flat_map(|s| s.ids.iter().cloned())
        .collect();
    scans
        .keys()
        .map(|&name| {
            let mut ids = components.clone();
            let mut stack = vec![name];
            let mut seen = HashSet::new();
            while let Some(t) = stack.pop() {
                if !seen.insert(t) {
                    continue; // a loop is the templates' own error
                }
                if let Some(scan) = scans.get(t) {
                    ids.extend(scan.ids.iter().cloned());
                    stack.extend(scan.parents.iter().map(String::as_str));
                }
            }
            (name.to_string(), Arc::new(ids))
        })
        .collect()
}

/// What one template file says about ids.
#[derive(Debug, Default, PartialEq)]
struct TemplateScan {
    /// Literal values of its `id` attributes.
    ids: BTreeSet<String>,
    /// The templates it extends or includes.
    parents: Vec<String>,
    /// Whether it defines components.
    components: bool,
}

impl TemplateScan {
    fn of(text: &str) -> TemplateScan {
        let mut scan = TemplateScan::default();
        // Attributes: ` id="x"` or ` id='x'` (an attribute follows whitespace in a tag).
        let bytes = text.as_bytes();
        for (at, _) in text.match_indices("id") {
            if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
                continue;
            }
            let rest = text[at + 2..].trim_start();
            let Some(rest) = rest.strip_prefix('=').map(str::trim_start) else {
                continue;
            };
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let value = &rest[1..];
            let Some(end) = value.find(quote) else {
                continue;
            };
            let value = &value[..end];
            let literal = !value.is_empty()
                && !value.contains(['{', '}'])
                && !value.contains(|c: char| c.is_ascii_whitespace());
            if literal {
                scan.ids.insert(value.to_string());
            }
        }
        // Tags: `{% extends "base.html" %}`, `{%- include "a.html" -%}`, `{% component x() %}`.
        for tag in text.split("{%").skip(1) {
            let inner = tag.split("%}").next().unwrap_or("");
            let inner = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
            let (word, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
            match word {
                "extends" | "include" => {
                    // Every quoted name (`include ["a.html", "b.html"]` names two).
                    for (i, part) in rest.split(['"', '\'']).enumerate() {
                        if i % 2 == 1 && !part.is_empty() {
                            scan.parents.push(part.to_string());
                        }
                    }
                }
                "component" => scan.components = true,
                _ => {}
            }
        }
        scan
    }
}

/// What a body needs to show an image: its size as shown, and its WebP copies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyImage {
    pub width: u32,
    pub height: u32,
    /// Each WebP copy: the suffix its path adds to the image's (`.720w.webp`), its width.
    pub webp: Vec<(String, u32)>,
}

impl BodyImage {
    /// The [`BodyImage`] of a raster image the stage publishes by `plan`.
    pub fn of(plan: &crate::images::Plan) -> BodyImage {
        let published = plan.published();
        BodyImage {
            width: published.size.width,
            height: published.size.height,
            webp: plan
                .of(crate::images::Role::Responsive, None)
                .map(|v| (v.output[plan.output.len()..].to_string(), v.size.width))
                .collect(),
        }
    }

    /// The [`markdown::Link`] of this image at `url`.
    fn link(&self, url: String) -> Link {
        // The copies' URLs are the image's path with a suffix (not its query or fragment).
        let path = url.split(['?', '#']).next().unwrap_or(&url);
        let srcset = self
            .webp
            .iter()
            .map(|(suffix, w)| (crate::url::srcset_safe(&format!("{path}{suffix}")), *w))
            .collect();
        Link::Image(markdown::Image {
            url,
            width: self.width,
            height: self.height,
            webp: srcset,
        })
    }
}

pub(super) struct LinkContext<'a> {
    pub(super) config: &'a Config,
    pub(super) entries: &'a [Entry],
    pub(super) links: &'a LinkTable,
    /// Bodies rendered by the last load.
    pub(super) markdown_cache: &'a HashMap<(PathBuf, usize), MarkdownResult>,
    pub(super) sources: &'a Sources,
}

impl LinkContext<'_> {
    /// The entry `id` as shown in language `l`, with its body rendered.
    pub(super) fn version(
        &self,
        l: usize,
        id: ItemId,
    ) -> (Version, Errors, Errors, ((PathBuf, usize), MarkdownResult)) {
        let config = self.config;
        let lang = &config.languages[l].code;
        let e = &self.entries[id];
        let chain = config.fallback_chain(lang);
        let (source_lang, item) = chain
            .iter()
            .find_map(|c| {
                if c == config.default_language() {
                    Some((c.clone(), &e.original))
                } else {
                    e.translations.get(c).map(|t| (c.clone(), t))
                }
            })
            .unwrap_or((config.default_language().to_string(), &e.original));
        let o = &e.original.meta;
        let m = &item.meta;
        let path = item_path(e.kind, &e.slug);
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let bundle_dir = e
            .original
            .bundle
            .as_ref()
            .map(|_| url_of(config, config.default_language(), &path));
        let resolve = |dest: &str| self.resolve(dest, lang, bundle_dir.as_deref(), e);
        // A translation without a body inherits the original's, as it inherits every
        // field it does not set (issue 14); the page marks it with its language.
        let body_inherited = item.lang.is_some() && item.body.trim().is_empty();
        let body_item = if body_inherited { &e.original } else { item };
        // The HTML depends on the body (its file's serial stands for it), where it is shown
        // and the site's link table.
        let key = fingerprint((
            self.links.fingerprint,
            body_item.serial,
            &body_item.path,
            l,
            &e.slug,
            e.kind,
            &e.original.bundle,
        ));
        let cache_key = (body_item.path.clone(), l);
        let (rendered, issues) =
            match self
                .markdown_cache
                .get(&cache_key)
                .filter(|(k, _, _)| *k == key)
            {
                Some((_, r, i)) => (Arc::clone(r), i.clone()),
                None => match std::panic::catch_unwind(|| {
                    // The body's ids avoid those of the template of its page (the same in
                    // every language, which the link table's fingerprint stands for).
                    let reserved = self
                        .links
                        .anchors
                        .theme_ids(&format!("{}{path}", config.lang_prefix(lang)));
                    let settings = markdown::Settings {
                        allow_html: config.allow_html,
                        reserved_ids: &reserved,
                    };
                    markdown::render_with(&body_item.body, &settings, &resolve)
                }) {
                    Ok((r, i)) => (Arc::new(r), i),
                    Err(_) => {
                        errors.push(
                        Error::new(&body_item.path, "the Markdown renderer crashed on this body")
                            .with_help(
                            "simplify the body; please report this file to the showcase developers",
                        ),
                    );
                        Default::default()
                    }
                },
            };
        let cached = (cache_key, (key, Arc::clone(&rendered), issues.clone()));
        for issue in issues {
            let (line, col) = body_position(body_item, issue.offset);
            let mut err = Error::at(&body_item.path, line, Some(col), issue.message);
            if let Some(h) = issue.help {
                err = err.with_help(h);
            }
            if issue.warning {
                warnings.push(err);
            } else {
                errors.push(err);
            }
        }
        let pick = |t: &Option<String>, o: &Option<String>| t.clone().or_else(|| o.clone());
        let mut version = Version {
            id,
            lang: lang.clone(),
            fallback: &source_lang != lang,
            source_lang,
            title: pick(&m.title, &o.title).unwrap_or_default(),
            summary: pick(&m.summary, &o.summary),
            description: pick(&m.description, &o.description),
            track: pick(&m.track, &o.track),
            venue: pick(&m.venue, &o.venue),
            team: m
                .team
                .clone()
                .or_else(|| o.team.clone())
                .unwrap_or_default(),
            gallery: m
                .gallery
                .clone()
                .or_else(|| o.gallery.clone())
                .unwrap_or_default(),
            tags: m
                .tags
                .clone()
                .or_else(|| o.tags.clone())
                .unwrap_or_default(),
            extra: m
                .extra
                .as_ref()
                .or(o.extra.as_ref())
                .map(crate::yaml::to_json)
                .unwrap_or(serde_json::Value::Object(Default::default())),
            body: rendered,
            url: url_of(config, lang, &path),
            permalink: permalink_of(config, lang, &path),
            draft: e.draft || item.meta.draft.unwrap_or(false),
            inherited: Vec::new(),
        };
        let default = config.default_language();
        let body_lang = if body_inherited {
            default
        } else {
            &version.source_lang
        };
        version.inherited = inherited_fields(&version, m, default, body_lang);
        (version, errors, warnings, cached)
    }

    /// The links of `version`'s body to a `#fragment` of another page of the site that the
    /// page does not have (Zola's "anchor not found"), as errors at their line. `version_of`
    /// gives the version of any item in any language (the site's, or the preview's patched
    /// ones). A link through a redirect (an alias, `/news/page/1/`) loses its fragment in
    /// the browser, so it is an error too.
    pub(super) fn check_fragments<'v>(
        &self,
        version: &Version,
        version_of: &dyn Fn(usize, ItemId) -> &'v Version,
    ) -> Errors {
        let config = self.config;
        let mut errors = Vec::new();
        for f in &version.body.fragment_links {
            let Some(href) = f.href.strip_prefix(config.base_path.as_str()) else {
                continue;
            };
            let Some((path, fragment)) = href.split_once('#') else {
                continue;
            };
            if fragment.is_empty() {
                continue;
            }
            let path = path.split('?').next().unwrap_or(path);
            let page_path = |p: &str| {
                let p = p
                    .strip_suffix("index.html")
                    .filter(|d| d.ends_with('/'))
                    .unwrap_or(p);
                self.links.anchors.pages.get(p).map(|a| (p.to_string(), a))
            };
            let Some((shown, page)) = page_path(path)
                .or_else(|| crate::url::percent_decode(path).and_then(|d| page_path(&d)))
            else {
                continue; // a file, a feed: its fragments are not ids of a page
            };
            let Some((message, help)) =
                self.missing_fragment(&f.written, &shown, page, fragment, version_of)
            else {
                continue;
            };
            let item = self.body_item(&self.entries[version.id], &version.source_lang);
            let (line, col) = body_position(item, f.offset);
            errors.push(Error::at(&item.path, line, Some(col), message).with_help(help));
        }
        errors
    }

    /// What is wrong with a link (`written`) to `#fragment` of the page at `shown`: `None`
    /// when the page has that anchor, else the message and the help.
    fn missing_fragment<'v>(
        &self,
        written: &str,
        shown: &str,
        page: &PageAnchors,
        fragment: &str,
        version_of: &dyn Fn(usize, ItemId) -> &'v Version,
    ) -> Option<(String, String)> {
        let theme = self
            .links
            .anchors
            .by_template
            .get(page.template)
            .cloned()
            .unwrap_or_default();
        let missing =
            || format!("the link `{written}` points to {shown}, which has no anchor `#{fragment}`");
        match &page.shows {
            Shows::Redirect(to) => Some((
                format!(
                    "the link `{written}` points to {shown}, which only redirects to {to}: \
                     the browser drops `#{fragment}` on the way"
                ),
                format!("link to `{}{to}#{fragment}`", self.config.base_path),
            )),
            Shows::Theme if markdown::has_anchor(fragment, None, &theme) => None,
            Shows::Theme => Some((missing(), markdown::anchor_help(fragment, None, &theme))),
            Shows::Item(l, id) => {
                let target = version_of(*l, *id);
                if markdown::has_anchor(fragment, Some(&target.body), &theme) {
                    return None;
                }
                let mut help = markdown::anchor_help(fragment, Some(&target.body), &theme);
                // The same page in another language has it: its text is another file, whose
                // headings have ids of their own.
                let none = BTreeSet::new();
                let elsewhere = (0..self.config.languages.len())
                    .map(|other| version_of(other, *id))
                    .find(|v| {
                        v.source_lang != target.source_lang
                            && markdown::has_anchor(fragment, Some(&v.body), &none)
                    });
                if let Some(v) = elsewhere {
                    let file = self.body_item(&self.entries[*id], &target.source_lang);
                    help.push_str(&format!(
                        "; the {} page has it, but this one shows the text of {}: give that \
                         heading the same id in every language with `{{#{fragment}}}`",
                        v.source_lang,
                        file.path.display()
                    ));
                }
                Some((missing(), help))
            }
        }
    }

    /// The file whose body an entry shows in `source_lang`.
    fn body_item<'e>(&self, e: &'e Entry, source_lang: &str) -> &'e Item {
        if source_lang == self.config.default_language() {
            &e.original
        } else {
            e.translations.get(source_lang).unwrap_or(&e.original)
        }
    }

    /// Checks and rewrites one link destination of a body shown in `lang`.
    pub(super) fn resolve(
        &self,
        dest: &str,
        lang: &str,
        bundle_url: Option<&str>,
        from: &Entry,
    ) -> Link {
        let config = self.config;
        let (path_part, fragment) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        if let Some(target) = dest.strip_prefix("@/") {
            let target = target.split(['#', '?']).next().unwrap_or("");
            // `@/projects/a.ru.md` names the Russian file: link the item in that language.
            let (target, link_lang) = match translation_target(target, config) {
                Some((original, l)) => (original, l),
                None => (target.to_string(), lang.to_string()),
            };
            // `@/projects/a.md` also finds the bundle `a/index.md` and the YAML item `a.yaml`.
            let forms = [
                target.clone(),
                target.replace(".md", "/index.md"),
                target.replace(".md", ".yaml"),
            ];
            let found = forms.iter().find_map(|f| self.links.by_source.get(f));
            return match found {
                Some(&id) => {
                    let e = &self.entries[id];
                    Link::Rewrite(format!(
                        "{}{fragment}",
                        url_of(config, &link_lang, &item_path(e.kind, &e.slug))
                    ))
                }
                None => {
                    let fallback_url = held_fallback(config, lang, &target);
                    if let Some(why) = forms.iter().find_map(|f| self.links.held_sources.get(f)) {
                        return Link::Held(
                            fallback_url,
                            format!("the link `{dest}` points to an item that is {why}; in this build it links to the list it would be in"),
                        );
                    }
                    if forms
                        .iter()
                        .any(|f| self.links.failed_sources.contains(&format!("content/{f}")))
                    {
                        // The file exists but does not parse: its own error says enough.
                        return Link::Rewrite(fallback_url);
                    }
                    let suggestion =
                        did_you_mean(&target, self.links.by_source.keys().map(String::as_str));
                    Link::Broken(
                        format!("the internal link `{dest}` points to no content file"),
                        // Already an `@/` link: the file it names is gone (or mistyped).
                        Some(missing_item_help(
                            &format!("content/{target}"),
                            suggestion.map(|s| format!("@/{s}")).as_deref(),
                        )),
                    )
                }
            };
        }
        if path_part.starts_with('/') && !path_part.starts_with("//") {
            let p = path_part;
            if let Some(image) = self.links.body_image(p) {
                return image.link(format!("{}{dest}", config.base_path));
            }
            if self.links.has_path(p) {
                return if config.base_path.is_empty() {
                    Link::Keep
                } else {
                    Link::Rewrite(format!("{}{dest}", config.base_path))
                };
            }
            let decoded = crate::url::percent_decode(p);
            if let Some(why) = self.links.excluded_paths.get(p).or_else(|| {
                decoded
                    .as_ref()
                    .and_then(|d| self.links.excluded_paths.get(d))
            }) {
                let section = p.trim_start_matches('/').split('/').next().unwrap_or("");
                let list = if ["projects", "cohorts", "demos", "news"].contains(&section) {
                    format!("/{section}/")
                } else {
                    "/".to_string()
                };
                return Link::Held(
                    url_of(config, lang, &list),
                    format!("the link `{dest}` points to an item that is {why}; it links to its section in this build"),
                );
            }
            let with_slash = format!("{p}/");
            let near = did_you_mean(p, self.links.known_paths.iter().map(String::as_str));
            let help = if self.links.known_paths.contains(&with_slash) {
                format!("did you mean `{with_slash}`? Page URLs end with a slash")
            } else if let Some((kind, slug)) = item_page_of(config, p) {
                missing_item_help(&item_file(kind, slug), near)
            } else {
                match near {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "link to a page of the site such as /projects/skyeye/, or to a file in static/".into(),
                }
            };
            return Link::Broken(
                format!("the internal link `{dest}` points to no page or file of the site"),
                Some(help),
            );
        }
        let is_relative = !dest.is_empty()
            && !dest.starts_with('#')
            && !dest.starts_with("//")
            && !dest.contains(':');
        if is_relative {
            if let Some(base) = bundle_url {
                // `./photo.jpg` and `my%20photo.jpg` name the files `photo.jpg`, `my photo.jpg`.
                let name = crate::url::percent_decode(path_part.trim_start_matches("./"))
                    .unwrap_or_default();
                let path_part = name.as_str();
                let dest = dest.trim_start_matches("./");
                let own = format!(
                    "/{}{path_part}",
                    item_path(from.kind, &from.slug).trim_start_matches('/')
                );
                if let Some(image) = self.links.body_images.get(&own) {
                    return image.link(format!("{base}{dest}"));
                }
                let exists = from.original.bundle.as_ref().is_some_and(|b| {
                    self.links.known_paths.contains(&own)
                        || self
                            .sources
                            .assets
                            .iter()
                            .any(|a| &a.bundle == b && a.name == path_part)
                });
                if exists {
                    return Link::Rewrite(format!("{base}{dest}"));
                }
                // Not a file of the bundle, but another page read from this one
                // (`../other/#team`): written from the root, as for a single file.
                let page = item_path(from.kind, &from.slug);
                let resolved = join_relative(&page, dest.split(['#', '?']).next().unwrap_or(""));
                if !resolved.starts_with(&page) {
                    if let Some(image) = self.links.body_image(&resolved) {
                        return image.link(format!("{}{resolved}{fragment}", config.base_path));
                    }
                    if self.links.has_path(&resolved) {
                        return Link::Rewrite(format!("{}{resolved}{fragment}", config.base_path));
                    }
                }
                return Link::Broken(
                    format!("`{dest}` is not a file of this bundle"),
                    Some(
                        "put the file next to index.md, or link to a page with /section/slug/"
                            .into(),
                    ),
                );
            }
            // A single-file item has no files of its own: a relative link is read from its
            // page (`/projects/a/`), where the browser would read it in the default language
            // only (the same link on `/ru/projects/a/` means another URL). Checked like an
            // absolute one, and written absolute so that it works in every language.
            let page = item_path(from.kind, &from.slug);
            let resolved = join_relative(&page, path_part);
            if let Some(image) = self.links.body_image(&resolved) {
                return image.link(format!("{}{resolved}{fragment}", config.base_path));
            }
            if self.links.has_path(&resolved) {
                return Link::Rewrite(format!("{}{resolved}{fragment}", config.base_path));
            }
            let shown = crate::url::percent_decode(&resolved).unwrap_or_else(|| resolved.clone());
            return Link::Broken(
                format!(
                    "the relative link `{dest}` points to no page or file of the site (read from {page}, it is {shown})"
                ),
                Some(match item_page_of(config, &resolved) {
                    Some((kind, slug)) => missing_item_help(&item_file(kind, slug), None),
                    None => "write the path from the site's root, such as /projects/skyeye/ or /images/photo.jpg (a file in static/), or make the item a bundle folder to keep its files next to it".into(),
                }),
            );
        }
        let _ = lang;
        Link::Keep
    }
}

/// The text fields of version `v` shown in another language than its own, with that
/// language. `m` is the file the page shows (in `v.source_lang`); what it does not set comes
/// from the original, in `default`; the body is in `body_lang`. Fields without text (no
/// summary, a gallery without alt texts or captions) are left out: nothing to translate.
fn inherited_fields(
    v: &Version,
    m: &crate::content::Meta,
    default: &str,
    body_lang: &str,
) -> Vec<(TextField, String)> {
    let text = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
    let extra = |x: &serde_json::Value| match x {
        serde_json::Value::Object(map) => !map.is_empty(),
        serde_json::Value::Null => false,
        _ => true,
    };
    let gallery = v.gallery.iter().any(|g| text(&g.alt) || text(&g.caption));
    // (field, whether the shown file sets it, whether the value shown has text)
    let fields = [
        (
            TextField::Title,
            m.title.is_some(),
            !v.title.trim().is_empty(),
        ),
        (TextField::Summary, m.summary.is_some(), text(&v.summary)),
        (
            TextField::Description,
            m.description.is_some(),
            text(&v.description),
        ),
        (TextField::Body, true, !v.body.html.trim().is_empty()),
        (TextField::Track, m.track.is_some(), text(&v.track)),
        (TextField::Venue, m.venue.is_some(), text(&v.venue)),
        (TextField::Team, m.team.is_some(), !v.team.is_empty()),
        (TextField::Gallery, m.gallery.is_some(), gallery),
        (TextField::Tags, m.tags.is_some(), !v.tags.is_empty()),
        (TextField::Extra, m.extra.is_some(), extra(&v.extra)),
    ];
    fields
        .into_iter()
        .filter(|&(_, _, has_text)| has_text)
        .filter_map(|(field, own, _)| {
            let from = match field {
                TextField::Body => body_lang,
                _ if own => &v.source_lang,
                _ => default,
            };
            (from != v.lang).then(|| (field, from.to_string()))
        })
        .collect()
}

/// The line and column (in characters) in `item`'s file of the byte `offset` of its body.
fn body_position(item: &Item, offset: usize) -> (usize, usize) {
    let before = &item.body[..offset.min(item.body.len())];
    let line = item.body_line + before.matches('\n').count();
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// `rel` (a relative reference: `photo.jpg`, `../b/`, `./x`) read from the page `base`
/// (`/projects/a/`) as browsers read it (WHATWG URL, by the `url` crate; `..` above the root
/// stays at the root): the root-relative path, percent-encoded (`/projects/a/photo.jpg`).
fn join_relative(base: &str, rel: &str) -> String {
    url::Url::parse("https://site.invalid")
        .and_then(|root| root.join(base))
        .and_then(|page| page.join(rel))
        .map_or_else(|_| base.to_string(), |u| u.path().to_string())
}

/// `projects/a.ru.md` -> (`projects/a.md`, `ru`) when `ru` is a language of the site.
fn translation_target(target: &str, config: &Config) -> Option<(String, String)> {
    let (stem, ext) = target.rsplit_once('.')?;
    let (name, code) = stem.rsplit_once('.')?;
    config
        .has_language(code)
        .then(|| (format!("{name}.{ext}"), code.to_string()))
}

/// The help for a `cohort:`/`projects:` reference or a link that names an item with no
/// file: `file` is the file it would be (`content/projects/x.md`), `suggestion` a near name
/// as the user would write it. Every place that names a deleted item gets the same words,
/// so a dozen errors after one deletion read as one cause with one way out: keep the file
/// as `draft: true`, which turns each of them into a warning (see `hold_back`).
pub(super) fn missing_item_help(file: &str, suggestion: Option<&str>) -> String {
    let near = suggestion.map_or(String::new(), |s| format!("did you mean `{s}`? "));
    format!(
        "{near}{file} does not exist (deleted or renamed?); to take an item down while \
         others still name it, keep its file and set `draft: true`"
    )
}

/// The file an item of `kind` with `slug` would be, as [`missing_item_help`] names it: a
/// news file may also start with its date.
pub(super) fn item_file(kind: Kind, slug: &str) -> String {
    match kind {
        Kind::News => format!("content/news/{slug}.md (or DATE-{slug}.md)"),
        Kind::Page => format!("content/pages/{slug}.md"),
        k => format!("content/{}/{slug}.md", k.section()),
    }
}

/// The kind and slug of the item whose page a root-relative path (`/projects/x/`,
/// `/ru/news/x/`, also `.../index.html`) would be, if it has that shape.
fn item_page_of<'p>(config: &Config, path: &'p str) -> Option<(Kind, &'p str)> {
    let p = path.strip_suffix("index.html").unwrap_or(path);
    let p = p.strip_prefix('/')?.strip_suffix('/')?;
    let mut parts: Vec<&str> = p.split('/').collect();
    if parts.len() == 3 && config.has_language(parts[0]) {
        parts.remove(0);
    }
    let kind = match parts.as_slice() {
        ["projects", _] => Kind::Project,
        ["cohorts", _] => Kind::Cohort,
        ["demos", _] => Kind::Demo,
        ["news", _] => Kind::News,
        _ => return None,
    };
    Some((kind, parts[1])).filter(|(_, s)| !s.is_empty())
}

/// Where a link to a held-back or broken item points instead: its section's list, or the
/// home page for free pages.
fn held_fallback(config: &Config, lang: &str, target: &str) -> String {
    let section = target.split('/').next().unwrap_or("");
    if ["projects", "cohorts", "demos", "news"].contains(&section) {
        url_of(config, lang, &format!("/{section}/"))
    } else {
        url_of(config, lang, "/")
    }
}

#[cfg(test)]
mod tests {
    use super::{item_file, item_page_of, join_relative, missing_item_help, template_ids};
    use crate::config::Config;
    use crate::content::Kind;
    use crate::source::TextFile;

    #[test]
    fn an_item_page_path_names_the_item_it_would_be() {
        let c = Config::parse(
            std::path::Path::new("."),
            "title: T\nbase_url: https://x.kz/\nlanguages:\n  ru: {}\n",
            None,
        )
        .unwrap();
        assert_eq!(item_page_of(&c, "/projects/x/"), Some((Kind::Project, "x")));
        assert_eq!(
            item_page_of(&c, "/ru/news/x/index.html"),
            Some((Kind::News, "x"))
        );
        assert_eq!(item_page_of(&c, "/projects/"), None);
        assert_eq!(item_page_of(&c, "/projects/x"), None); // a file, not a page
        assert_eq!(item_page_of(&c, "/xx/projects/x/"), None);
        assert_eq!(item_page_of(&c, "/about/"), None);
        assert_eq!(
            item_file(Kind::News, "x"),
            "content/news/x.md (or DATE-x.md)"
        );
        assert_eq!(
            missing_item_help("content/projects/x.md", Some("y")),
            "did you mean `y`? content/projects/x.md does not exist (deleted or renamed?); to take \
             an item down while others still name it, keep its file and set `draft: true`"
        );
    }

    #[test]
    fn a_templates_ids_are_its_own_its_parents_and_every_components() {
        let file = |name: &str, text: &str| TextFile {
            name: name.into(),
            origin: name.into(),
            text: text.into(),
        };
        let templates = [
            file(
                "base.html",
                "<main id=\"main\" class=\"wrap\">{% block content %}{% endblock content %}</main>",
            ),
            file(
                "list.html",
                "{%- extends \"base.html\" -%}{% block content %}<h2 id='all-title'>x</h2>\
                 <p data-id=\"nope\" id=\"{{ p.slug }}\" aria-labelledby=\"all-title\"></p>\
                 <ul\n  id = \"project-list\">{% include \"part.html\" %}{% endblock content %}",
            ),
            file(
                "part.html",
                "<li id=\"part\">{% if id == 1 %}{% endif %}</li>",
            ),
            file(
                "macros.html",
                "{% component toc(toc) %}<h2 id=\"toc-title\">{% endcomponent toc %}",
            ),
            file("page.html", "{% extends \"base.html\" %}"),
            // A loop is the templates' own error; here it ends.
            file("a.html", "{% extends \"b.html\" %}<i id=\"a\">"),
            file("b.html", "{% extends \"a.html\" %}<i id=\"b\">"),
        ];
        let ids = template_ids(&templates);
        let of = |t: &str| ids[t].iter().map(String::as_str).collect::<Vec<_>>();
        assert_eq!(
            of("list.html"),
            ["all-title", "main", "part", "project-list", "toc-title"]
        );
        assert_eq!(of("page.html"), ["main", "toc-title"]);
        assert_eq!(of("a.html"), ["a", "b", "toc-title"]);
    }

    #[test]
    fn relative_paths_resolve_from_the_page_as_browsers_do() {
        let page = "/projects/a/";
        assert_eq!(join_relative(page, "photo.jpg"), "/projects/a/photo.jpg");
        assert_eq!(join_relative(page, "./x/"), "/projects/a/x/");
        assert_eq!(join_relative(page, "../b/"), "/projects/b/");
        assert_eq!(join_relative(page, "../.."), "/");
        assert_eq!(join_relative(page, ".."), "/projects/");
        assert_eq!(join_relative(page, ""), "/projects/a/");
        assert_eq!(join_relative(page, "../../../etc/passwd"), "/etc/passwd");
        assert_eq!(
            join_relative(page, "сокол/"),
            "/projects/a/%D1%81%D0%BE%D0%BA%D0%BE%D0%BB/"
        );
    }
}
