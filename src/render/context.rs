//! What a template sees: the context shared by every page of a language, the values of
//! items (list entries built once and shared), and the context of each job.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;
use tera::Context;

use crate::content::Kind;
use crate::site::{item_path, ItemId, Site, Version};

use super::plan::Job;
use super::templates::Templates;
use super::Builder;
use crate::site::pages::{paged_path, tag_slug, Paging, FILTER_INDEX_FILE};
use crate::site::PageKind;

/// Puts `value` into the context under `key`, converted once into Tera's value (whose lists,
/// maps and long strings are shared behind reference counts).
fn put(ctx: &mut Context, key: &'static str, value: impl Into<Value>) {
    put_value(ctx, key, tera::Value::from_serializable(&value.into()));
}

/// Puts a value already converted (a list entry built once per language and item, shared
/// by every page that shows it: cloning it is a reference count).
fn put_value(ctx: &mut Context, key: &'static str, value: tera::Value) {
    ctx.insert_value(key, value);
}

/// Puts a typed value (one of the structs below) into the context, converted once.
fn put_typed(ctx: &mut Context, key: &'static str, value: &impl Serialize) {
    put_value(ctx, key, tera::Value::from_serializable(value));
}

/// Values every list page of a language shows, made by the first page that needs them and
/// shared by the others (cloning a Tera value is a reference count).
#[derive(Default)]
pub(super) struct Shared {
    /// `filters` of `/projects/`.
    filters: std::sync::OnceLock<tera::Value>,
    /// Every stage: key, count, and its `term`.
    stages: std::sync::OnceLock<Vec<(&'static str, usize, tera::Value)>>,
    /// Every tag: slug, count, and its `term`.
    tags: std::sync::OnceLock<Vec<(String, usize, tera::Value)>>,
}

/// `section`: a list page (or the home page) with its title in the page's language.
#[derive(Serialize)]
pub(super) struct SectionValue {
    title: String,
    url: String,
    permalink: String,
    /// HTML: the intro's body (`content/_index.md`, `content/SECTION/_index.md` on a
    /// list's first page), else empty.
    content: String,
    /// On a page with an intro: whether the intro is borrowed from another language, and which.
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_lang: Option<String>,
    /// On a page with an intro: the intro's fields in another language (as an item's `inherited`).
    inherited: indexmap::IndexMap<&'static str, String>,
}

/// An area with its projects counted (`terms` of `/areas/`, `term` of an area page,
/// `filters.areas`).
#[derive(Serialize)]
pub(super) struct AreaTerm<'a> {
    key: &'a str,
    /// The area's name in the page's language.
    name: Option<&'a str>,
    /// The language of `name` when site.yaml gives none in the page's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    url: String,
    permalink: String,
    count: usize,
}

/// A stage with its projects counted, and its page when the theme has `stage.html`.
#[derive(Serialize)]
pub(super) struct StageTerm<'a> {
    key: &'static str,
    name: &'a str,
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permalink: Option<String>,
}

/// `filters` of `/projects/`: every choice of the filter form with its count.
#[derive(Serialize)]
struct Filters<'a> {
    areas: Vec<AreaTerm<'a>>,
    stages: Vec<StageTerm<'a>>,
    cohorts: Vec<CohortChoice<'a>>,
    trl: Vec<TrlChoice>,
}

/// A cohort in the filter form.
#[derive(Serialize)]
struct CohortChoice<'a> {
    slug: &'a str,
    title: &'a str,
    /// The language of `title` when it is not the page's.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    url: &'a str,
    count: usize,
}

/// A technology readiness level (1 to 9) in the filter form.
#[derive(Serialize)]
struct TrlChoice {
    value: u8,
    count: usize,
}

/// A tag of a news item with its page (`tag_links`).
#[derive(Serialize)]
struct TagLink<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// A link of the pager (`paginator.pagers`).
#[derive(Serialize)]
struct PagerLink {
    /// 1-based.
    index: usize,
    /// Pages are left out between the one before and this one.
    gap_before: bool,
    url: String,
    current: bool,
}

/// A tag of the news with its count (`terms` of `/tags/`, `term` of a tag page).
#[derive(Serialize)]
pub(super) struct TagTerm {
    slug: String,
    /// As written (by the newest news item that has it).
    name: String,
    /// The language of `name` when it is inherited from another language's news item.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permalink: Option<String>,
    /// The tag's Atom feed.
    #[serde(skip_serializing_if = "Option::is_none")]
    feed: Option<String>,
}

/// The same page in one language (`translations`), for `hreflang` links and the switcher.
#[derive(Serialize)]
struct Translation<'a> {
    lang: &'a str,
    /// The language's name.
    title: &'a str,
    url: String,
    permalink: String,
    /// The page's own language.
    current: bool,
    /// That language's page borrows its text from another language.
    fallback: bool,
}

/// Another language of the site, on a not-found page (`other_languages`).
#[derive(Serialize)]
struct OtherLanguage<'a> {
    code: &'a str,
    /// The language's own name (`Русский`).
    name: &'a str,
    /// The site's title in that language.
    title: &'a str,
    dir: &'static str,
    /// Its UI strings, as `t` is for the page's language.
    t: &'a serde_json::Map<String, Value>,
    /// Root-relative URLs of its home page, project list and search page (when the theme
    /// has `search.html`).
    home: String,
    projects: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
}

/// An area of a project's page (`areas`), with the URL of its page.
#[derive(Serialize)]
struct AreaLink<'a> {
    key: &'a str,
    name: Option<&'a str>,
    /// The language of `name` when it is not the page's.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    url: String,
    permalink: String,
}

/// `paginator` of a paginated list (news, projects, an area, a stage, a tag), after its
/// `pages` (the items of this page).
#[derive(Serialize)]
struct Pager {
    /// 1-based.
    current_index: usize,
    number_pagers: usize,
    /// Items in the whole list (Zola's name: its items are "pages").
    total_pages: usize,
    /// Items a page (Zola's name).
    paginate_by: usize,
    /// The pages to link to: the first, the last, and one either side of this one (the
    /// pager fits a phone's width).
    pagers: Vec<PagerLink>,
    first_url: String,
    last_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<String>,
}

/// An item as templates see it: `page` on its own page, and each entry of a list. The
/// fields are those the README lists for "An item" in the template context; a field whose
/// value the item lacks is left out (templates test it with `if` or `default`). The kind's
/// own fields and the body are flattened into the one map.
#[derive(Serialize, Default)]
struct ItemValue<'a> {
    kind: &'static str,
    title: &'a str,
    slug: &'a str,
    lang: &'a str,
    url: &'a str,
    permalink: &'a str,
    draft: bool,
    fallback: bool,
    source_lang: &'a str,
    /// Field (`title`, `tags`, `team`...) -> the language of its text, for the fields shown
    /// in another language than `lang` (see [`crate::site::TextField`]); always present,
    /// so that `p.inherited[f]` works in templates.
    inherited: Inherited<'a>,
    extra: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    /// `date` as an instant: the start of that day in the site's time zone, RFC 3339
    /// (`2026-03-01T00:00:00+05:00`), the rule `publish_after` and embargoes use too.
    #[serde(skip_serializing_if = "Option::is_none")]
    date_time: Option<String>,
    /// `updated` as an instant, by the same rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    /// `description:`, else the summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<i64>,
    /// RFC 3339, only on embargoed items a preview shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    embargoed_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aliases: Option<&'a [String]>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    project: Option<ProjectFields<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    cohort_fields: Option<CohortFields<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    demo: Option<DemoFields<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    news: Option<NewsFields<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    body: Option<BodyFields<'a>>,
}

/// `inherited` of an item or section: field name -> language of its text.
type Inherited<'a> = indexmap::IndexMap<&'static str, &'a str>;

/// The `inherited` map of version `v`.
fn inherited(v: &Version) -> Inherited<'_> {
    v.inherited
        .iter()
        .map(|(f, lang)| (f.name(), lang.as_str()))
        .collect()
}

/// The fields only projects have.
#[derive(Serialize)]
struct ProjectFields<'a> {
    /// The cohort's slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    cohort: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    areas: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stage: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trl: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a [crate::content::Member]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    links: Option<Value>,
    /// Root-relative URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<&'a str>,
    /// The logo with its size and thumbnails.
    #[serde(skip_serializing_if = "Option::is_none")]
    logo_image: Option<PictureValue<'a>>,
    /// Root-relative URLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    gallery: Option<Vec<&'a str>>,
    /// The gallery with sizes, WebP copies, alt texts and captions.
    #[serde(skip_serializing_if = "Option::is_none")]
    gallery_images: Option<Vec<PictureValue<'a>>>,
    featured: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    video: Option<VideoValue<'a>>,
}

/// An image as templates see it (`page.logo_image`, `page.gallery_images`): the published
/// file, its size, and the `srcset` lists of its copies (empty for SVG and GIF files).
#[derive(Serialize)]
pub(super) struct PictureValue<'a> {
    /// URL of the published file, without metadata (base path included).
    src: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
    /// WebP copies, `URL 360w, URL 720w, ...` (for `<source type="image/webp">`).
    srcset: String,
    /// Thumbnails in WebP, `URL 96w, URL 192w` (for logos shown small).
    thumbs: String,
    /// The same thumbnails in the original's format, and its media type.
    thumbs_fallback: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbs_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'a str>,
}

impl<'a> PictureValue<'a> {
    /// The WebP thumbnails, `URL 96w, URL 192w` (empty when there are none).
    pub(super) fn thumbs(&self) -> &str {
        &self.thumbs
    }

    /// The value of `picture`, with the copies its plan in `site` gives it.
    pub(super) fn of(site: &'a Site, picture: &'a crate::site::Picture) -> PictureValue<'a> {
        let plan = site.images.get(&picture.output).map(|j| &j.plan);
        let list = |role: crate::images::Role, format: Option<crate::images::Format>| -> String {
            plan.map(|plan| {
                plan.of(role, format)
                    .map(|v| {
                        format!(
                            "{} {}w",
                            crate::url::srcset_safe(&format!(
                                "{}{}",
                                picture.url,
                                &v.output[plan.output.len()..]
                            )),
                            v.size.width
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
        };
        let original = plan.map(|p| p.facts.format);
        PictureValue {
            src: &picture.url,
            width: picture.size.map(|s| s.0),
            height: picture.size.map(|s| s.1),
            srcset: list(crate::images::Role::Responsive, None),
            thumbs: list(
                crate::images::Role::Thumbnail,
                Some(crate::images::Format::WebP),
            ),
            thumbs_fallback: original
                .map(|f| list(crate::images::Role::Thumbnail, Some(f)))
                .unwrap_or_default(),
            thumbs_type: original
                .filter(|_| {
                    plan.is_some_and(|p| {
                        p.of(crate::images::Role::Thumbnail, None).next().is_some()
                    })
                })
                .map(|f| f.media_type()),
            alt: None,
            caption: None,
        }
    }
}

/// The first instant of day `d` in the site's time zone, RFC 3339 with its offset
/// (`2026-03-01T00:00:00+05:00`): one rule for every date read as a time (feeds,
/// `publish_after`, embargoes). A day that starts in a DST gap starts at its first instant.
pub(super) fn day_start(config: &crate::config::Config, d: jiff::civil::Date) -> String {
    d.to_zoned(config.timezone.clone())
        .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_else(|_| format!("{d}T00:00:00Z"))
}

/// The link preview of a page (`og_image`): absolute URL, size, and what it shows.
#[derive(Serialize)]
pub(super) struct SocialImage<'a> {
    url: String,
    width: u32,
    height: u32,
    alt: &'a str,
}

impl<'a> SocialImage<'a> {
    pub(super) fn of(site: &Site, picture: &crate::site::Picture, alt: &'a str) -> SocialImage<'a> {
        let (width, height) = picture.size.unwrap_or((0, 0));
        SocialImage {
            url: format!("{}/{}", site.config.base_url, picture.output),
            width,
            height,
            alt,
        }
    }
}

/// The fields only cohorts have.
#[derive(Serialize)]
struct CohortFields<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    track: Option<&'a str>,
}

/// The fields only demo days have.
#[derive(Serialize)]
struct DemoFields<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    venue: Option<&'a str>,
    /// The cohort's slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    cohort: Option<&'a str>,
    /// Slugs of the published projects shown, in the order written.
    #[serde(skip_serializing_if = "Option::is_none")]
    projects: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    video: Option<VideoValue<'a>>,
    /// `start:` and `end:` as written (`HH:MM`), times of day in the site's time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    /// The same as instants, RFC 3339 with the offset of that day (for `<time datetime>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time: Option<String>,
    /// That offset for people (`UTC+5`, `UTC−3:30`), when a time is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    utc_offset: Option<String>,
    /// Its day is the build's day or later, in the site's time zone (the rule of the home
    /// page's next demo day).
    upcoming: bool,
    /// Root-relative URL of its iCalendar file; absent on a draft or embargoed demo day
    /// (which no calendar holds).
    #[serde(skip_serializing_if = "Option::is_none")]
    calendar: Option<String>,
}

/// `calendar` of the demo list: the calendar of every published demo day in the page's
/// language, to download (`url`) or to subscribe to (`webcal`, the same address with the
/// `webcal:` scheme, which calendar apps open as a subscription).
#[derive(Serialize)]
struct CalendarLinks {
    url: String,
    permalink: String,
    webcal: String,
}

impl CalendarLinks {
    fn of(site: &Site, lang: &str) -> CalendarLinks {
        let path = crate::site::pages::CALENDAR_PATH;
        let permalink = site.permalink(lang, path);
        let uri = url::Url::parse(&permalink).map_or_else(|_| permalink.clone(), |u| u.to_string());
        let webcal = match uri.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => uri,
        };
        CalendarLinks {
            url: site.url(lang, path),
            permalink,
            webcal,
        }
    }
}

/// A demo day's time of day on its date, as templates see it.
struct DemoTime {
    /// `HH:MM`.
    hm: String,
    /// The instant, RFC 3339 with the day's offset in the site's time zone.
    instant: String,
    /// That offset for people: `UTC+5`, `UTC−3:30` (a minus sign), `UTC`.
    offset: String,
}

impl DemoTime {
    fn of(
        config: &crate::config::Config,
        date: jiff::civil::Date,
        t: jiff::civil::Time,
    ) -> DemoTime {
        let hm = t.strftime("%H:%M").to_string();
        // Fails only out of range (a time in a daylight-saving gap is refused on reading).
        let Ok(z) = date.to_datetime(t).to_zoned(config.timezone.clone()) else {
            return DemoTime {
                instant: format!("{date}T{hm}:00"),
                offset: String::new(),
                hm,
            };
        };
        let s = z.offset().seconds();
        let (h, m) = (s.unsigned_abs() / 3600, s.unsigned_abs() % 3600 / 60);
        let sign = if s < 0 { '\u{2212}' } else { '+' };
        let offset = match (s, m) {
            (0, _) => "UTC".to_string(),
            (_, 0) => format!("UTC{sign}{h}"),
            _ => format!("UTC{sign}{h}:{m:02}"),
        };
        DemoTime {
            hm,
            instant: z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            offset,
        }
    }
}

/// `video` of a project or demo day (see [`crate::video`]): what the theme's player needs.
/// A hosted video has `name`, `watch_url` and `embed_url`; a file `src` and `type`; a demo
/// day's link to another site (`provider: "link"`) only `watch_url`. `poster` is a local
/// image to show before playing: the first gallery image or the logo, when the item has one.
#[derive(Serialize)]
struct VideoValue<'a> {
    /// `youtube`, `vimeo`, `rutube`, `file` or `link`.
    provider: &'static str,
    /// The provider's name (`YouTube`).
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    /// The provider's page of the video, or the link.
    #[serde(skip_serializing_if = "Option::is_none")]
    watch_url: Option<String>,
    /// The provider's player, loaded only when the visitor asks for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    embed_url: Option<String>,
    /// Root-relative URL of the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    src: Option<&'a str>,
    /// MIME type of the file.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    mime: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    poster: Option<String>,
}

/// The template value of item `id`'s video, if it has one.
fn video_value(site: &Site, id: ItemId) -> Option<VideoValue<'_>> {
    use crate::video::Video;
    // A photo's WebP copy about as wide as the player (not the 2400-px original).
    let picture = site
        .galleries
        .get(&id)
        .and_then(|g| g.first())
        .or_else(|| site.logos.get(&id));
    let poster_url = picture.map(|p| {
        let copy = site.images.get(&p.output).and_then(|job| {
            let copies: Vec<_> = job.plan.of(crate::images::Role::Responsive, None).collect();
            copies
                .iter()
                .find(|v| v.size.width >= 1080)
                .or(copies.last())
                .map(|v| v.output[job.plan.output.len()..].to_string())
        });
        format!("{}{}", p.url, copy.unwrap_or_default())
    });
    let poster = poster_url;
    let value = match site.entries[id].original.meta.video.as_ref()? {
        Video::Hosted(h) => VideoValue {
            provider: h.provider.key(),
            name: Some(h.provider.name()),
            watch_url: Some(h.watch_url()),
            embed_url: Some(h.embed_url()),
            src: None,
            mime: None,
            poster: poster.clone(),
        },
        Video::File(path) => VideoValue {
            provider: "file",
            name: None,
            watch_url: None,
            embed_url: None,
            // Absent only if the build failed (the file is checked in `assemble`).
            src: Some(site.video_files.get(&id)?),
            mime: crate::video::file_type(path),
            poster,
        },
        Video::Link(url) => VideoValue {
            provider: "link",
            name: None,
            watch_url: Some(url.clone()),
            embed_url: None,
            src: None,
            mime: None,
            poster: None,
        },
    };
    Some(value)
}

/// The fields only news have.
#[derive(Serialize)]
struct NewsFields<'a> {
    tags: &'a [String],
    /// The tags with the URL of their page (none for a tag without letters or digits, or
    /// when the theme has no `tag.html`).
    tag_links: Vec<TagLink<'a>>,
    /// Slugs of the published projects named, in the order written.
    #[serde(skip_serializing_if = "Option::is_none")]
    projects: Option<Vec<&'a str>>,
}

/// `site`: the site's settings in the page's language.
#[derive(Serialize)]
struct SiteValue<'a> {
    title: &'a str,
    description: &'a str,
    /// Absolute, without a trailing slash.
    base_url: &'a str,
    /// The path of `base_url` (`/sub`), or empty.
    base_path: &'a str,
    default_language: &'a str,
    languages: Vec<LanguageValue<'a>>,
    /// Area key -> name in this language.
    areas: indexmap::IndexMap<&'a str, Option<&'a str>>,
    /// Area key -> the language of its name, for the areas site.yaml names in no text of
    /// this language (the name is taken along the fallback chain).
    area_langs: indexmap::IndexMap<&'a str, &'a str>,
    extra: &'a Value,
    year: i16,
}

/// A language of the site (`site.languages`).
#[derive(Serialize)]
struct LanguageValue<'a> {
    code: &'a str,
    title: &'a str,
    name: &'a str,
    /// Its home page.
    url: String,
}

/// `urls`: root-relative URLs of the language's pages, base path included.
#[derive(Serialize)]
struct Urls<'a> {
    home: String,
    projects: String,
    cohorts: String,
    demos: String,
    news: String,
    areas: String,
    feed: String,
    search_index: String,
    /// Free page slug -> URL.
    pages: indexmap::IndexMap<&'a str, &'a str>,
    /// When the theme has `search.html`.
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    /// Stage -> URL, when the theme has `stage.html`.
    #[serde(skip_serializing_if = "Option::is_none")]
    stages: Option<indexmap::IndexMap<&'static str, String>>,
    /// `/stages/`, when the theme has `stages.html`.
    #[serde(skip_serializing_if = "Option::is_none")]
    stages_index: Option<String>,
    /// `/tags/`, when the theme has `tags.html`.
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<String>,
}

/// The body, on the page that shows the whole item.
#[derive(Serialize)]
struct BodyFields<'a> {
    /// Sanitised HTML.
    content: &'a str,
    toc: &'a [crate::markdown::Heading],
    /// Minutes, at 200 words a minute, at least 1.
    reading_time: usize,
}

impl Builder<'_> {
    /// The part of the context that is the same on every page of language `l`.
    pub(super) fn common_context(
        site: &Site,
        templates: &Templates,
        l: usize,
        drafts: bool,
        today: jiff::civil::Date,
    ) -> Context {
        let config = &site.config;
        let lang = &config.languages[l];
        let mut ctx = Context::new();
        let code = lang.code.as_str();
        let site_value = SiteValue {
            title: &lang.title,
            description: &lang.description,
            base_url: &config.base_url,
            base_path: &config.base_path,
            default_language: config.default_language(),
            languages: config
                .languages
                .iter()
                .map(|x| LanguageValue {
                    code: &x.code,
                    title: &x.title,
                    name: &x.name,
                    url: site.url(&x.code, "/"),
                })
                .collect(),
            areas: config
                .areas
                .keys()
                .map(|k| (k.as_str(), config.area_name(k, code)))
                .collect(),
            area_langs: config
                .areas
                .keys()
                .filter_map(|k| Some((k.as_str(), area_lang(config, k, code)?)))
                .collect(),
            extra: &config.extra,
            year: today.year(),
        };
        put_typed(&mut ctx, "site", &site_value);
        ctx.insert("lang", &lang.code);
        ctx.insert("dir", "ltr");
        ctx.insert("t", &templates.strings(config, &lang.code));
        ctx.insert("home_url", &site.url(&lang.code, "/"));
        let urls = Urls {
            home: site.url(code, "/"),
            projects: site.url(code, "/projects/"),
            cohorts: site.url(code, "/cohorts/"),
            demos: site.url(code, "/demos/"),
            news: site.url(code, "/news/"),
            areas: site.url(code, "/areas/"),
            feed: site.url(code, "/news/atom.xml"),
            search_index: site.url(code, &format!("/{}", crate::site::pages::SEARCH_INDEX_FILE)),
            pages: site
                .ids_of(Kind::Page)
                .map(|id| {
                    (
                        site.entries[id].slug.as_str(),
                        site.version(l, id).url.as_str(),
                    )
                })
                .collect(),
            search: site
                .features
                .search_page
                .then(|| site.url(code, "/search/")),
            stages: site.features.stage_pages.then(|| {
                crate::content::STAGES
                    .iter()
                    .map(|s| (*s, site.url(code, &format!("/stages/{s}/"))))
                    .collect()
            }),
            stages_index: site
                .features
                .stages_index
                .then(|| site.url(code, "/stages/")),
            tags: site.features.tags_index.then(|| site.url(code, "/tags/")),
        };
        put_typed(&mut ctx, "urls", &urls);
        ctx.insert("drafts", &drafts);
        ctx.insert("stylesheet", &format!("{}/style.css", config.base_path));
        if let Some(p) = &site.default_preview {
            put_typed(&mut ctx, "og_image", &SocialImage::of(site, p, &lang.title));
        }
        ctx
    }

    /// The context every template gets.
    pub(super) fn base_context(&self, l: usize, path: &str) -> Context {
        let site = self.site;
        let config = self.config();
        let lang = &config.languages[l];
        let mut ctx = self.common[l].clone();
        put(&mut ctx, "current_url", site.permalink(&lang.code, path));
        put(&mut ctx, "current_path", site.url(&lang.code, path));
        put_typed(
            &mut ctx,
            "translations",
            &translations(site, l, path, |_| false),
        );
        ctx
    }

    /// An item's list entry as templates see it, shared (see `summary_values`).
    pub(super) fn item_value(&self, l: usize, id: ItemId) -> tera::Value {
        self.summary_values[l][id].clone()
    }

    /// The list entries of `ids`, shared.
    pub(super) fn items_value(&self, l: usize, ids: &[ItemId]) -> tera::Value {
        ids.iter()
            .map(|&id| self.item_value(l, id))
            .collect::<Vec<_>>()
            .into()
    }

    /// The value of item `id` in language `l` as templates see it (`page`, list entries),
    /// with its body, table of contents and reading time when `full`.
    pub(super) fn build_item_json(&self, l: usize, id: ItemId, full: bool) -> Value {
        let site = self.site;
        let e = &site.entries[id];
        let v: &Version = site.version(l, id);
        let m = &e.original.meta;
        let date = |d: &Option<jiff::civil::Date>| d.map(|d| d.to_string());
        // References as published: a held-back item's slug never reaches a template.
        let cohort = site
            .cohort_of
            .get(&id)
            .map(|&c| site.entries[c].slug.as_str());
        let projects = || {
            site.projects_of
                .get(&id)
                .map(|ps| ps.iter().map(|&p| site.entries[p].slug.as_str()).collect())
        };
        let mut item = ItemValue {
            kind: e.kind.name(),
            title: &v.title,
            slug: &e.slug,
            lang: &v.lang,
            url: &v.url,
            permalink: &v.permalink,
            draft: v.draft,
            fallback: v.fallback,
            source_lang: &v.source_lang,
            inherited: inherited(v),
            extra: &v.extra,
            date: date(&m.date),
            updated: date(&m.updated),
            date_time: m.date.map(|d| day_start(&site.config, d)),
            updated_time: m.updated.map(|d| day_start(&site.config, d)),
            summary: v.summary.as_deref(),
            description: v.description.as_deref().or(v.summary.as_deref()),
            weight: m.weight,
            embargoed_until: e.embargoed_until.map(|t| t.to_string()),
            aliases: m.aliases.as_deref(),
            ..ItemValue::default()
        };
        match e.kind {
            Kind::Project => {
                item.project = Some(ProjectFields {
                    cohort,
                    areas: m.areas.as_deref(),
                    stage: m.stage.as_deref(),
                    trl: m.trl,
                    team: (!v.team.is_empty()).then_some(v.team.as_slice()),
                    links: m.links.as_ref().map(crate::site::links_json),
                    logo: site.logos.get(&id).map(|p| p.url.as_str()),
                    logo_image: site.logos.get(&id).map(|p| PictureValue::of(site, p)),
                    gallery: site
                        .galleries
                        .get(&id)
                        .map(|g| g.iter().map(|p| p.url.as_str()).collect()),
                    gallery_images: site.galleries.get(&id).map(|g| {
                        g.iter()
                            .enumerate()
                            .map(|(i, p)| {
                                let text = v.gallery.get(i);
                                PictureValue {
                                    alt: text.and_then(|t| t.alt.as_deref()),
                                    caption: text.and_then(|t| t.caption.as_deref()),
                                    ..PictureValue::of(site, p)
                                }
                            })
                            .collect()
                    }),
                    featured: m.featured.unwrap_or(false),
                    video: video_value(site, id),
                })
            }
            Kind::Cohort => {
                item.cohort_fields = Some(CohortFields {
                    start: date(&m.start),
                    end: date(&m.end),
                    track: v.track.as_deref(),
                })
            }
            Kind::Demo => {
                let time =
                    |t: Option<jiff::civil::Time>| Some(DemoTime::of(&site.config, m.date?, t?));
                let (start, end) = (time(m.start_time), time(m.end_time));
                item.demo = Some(DemoFields {
                    venue: v.venue.as_deref(),
                    cohort,
                    projects: projects(),
                    video: video_value(site, id),
                    utc_offset: start.as_ref().map(|t| t.offset.clone()),
                    start_time: start.as_ref().map(|t| t.instant.clone()),
                    end_time: end.as_ref().map(|t| t.instant.clone()),
                    start: start.map(|t| t.hm),
                    end: end.map(|t| t.hm),
                    upcoming: m.date.is_some_and(|d| d >= self.today),
                    calendar: crate::site::pages::in_calendars(e)
                        .then(|| format!("{}{}", v.url, crate::site::pages::EVENT_FILE)),
                })
            }
            Kind::News => {
                item.news = Some(NewsFields {
                    tags: &v.tags,
                    tag_links: v
                        .tags
                        .iter()
                        .map(|t| TagLink {
                            name: t,
                            url: tag_slug(t)
                                .filter(|_| site.features.tag_pages)
                                .map(|s| site.url(&v.lang, &format!("/tags/{s}/"))),
                        })
                        .collect(),
                    projects: projects(),
                })
            }
            Kind::Page | Kind::Home => {}
        }
        if full {
            item.body = Some(BodyFields {
                content: &v.body.html,
                toc: &v.body.toc,
                reading_time: v.body.words.div_ceil(200).max(1),
            });
        }
        // Every field is a string, number, list or map: this cannot fail.
        serde_json::to_value(&item).unwrap_or_default()
    }

    /// Whole items (body included), built for the one page that shows them.
    pub(super) fn items_json(&self, l: usize, ids: &[ItemId]) -> Vec<Value> {
        ids.iter()
            .map(|&id| self.build_item_json(l, id, true))
            .collect()
    }

    /// `section` of the page at `path` opened by the intro `intro` (see [`Site::intro`]),
    /// shown when `first` (the first page of a list): the intro's body is `content`, and its
    /// title replaces the theme's (always on the home page, where an empty one means the
    /// site's title; on a list only when given). Fields borrowed from another language are
    /// marked as an item's are (issue 7).
    fn intro_section(
        &self,
        l: usize,
        path: &str,
        key: &str,
        default: &str,
        intro: Option<ItemId>,
        first: bool,
    ) -> SectionValue {
        let Some(id) = intro.filter(|_| first) else {
            return self.section(l, path, key, default, "");
        };
        let v = self.site.version(l, id);
        let mut section = self.section(l, path, key, default, &v.body.html);
        if path == "/" || !v.title.is_empty() {
            section.title = v.title.clone();
        }
        section.fallback = Some(v.fallback);
        section.source_lang = Some(v.source_lang.clone());
        section.inherited = inherited(v)
            .into_iter()
            .map(|(f, l)| (f, l.to_string()))
            .collect();
        section
    }

    pub(super) fn section(
        &self,
        l: usize,
        path: &str,
        key: &str,
        default: &str,
        content: &str,
    ) -> SectionValue {
        let lang = &self.config().languages[l].code;
        let t = &self.strings[l];
        let title = t
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string();
        SectionValue {
            title,
            url: self.site.url(lang, path),
            permalink: self.site.permalink(lang, path),
            content: content.to_string(),
            fallback: None,
            source_lang: None,
            inherited: Default::default(),
        }
    }

    /// The items of `kind` in list order.
    pub(super) fn sorted(&self, kind: Kind) -> Vec<ItemId> {
        self.site.order.get(&kind).cloned().unwrap_or_default()
    }

    pub(super) fn area_terms(&self, l: usize) -> Vec<AreaTerm<'_>> {
        let site = self.site;
        let lang = &self.config().languages[l].code;
        self.config()
            .areas
            .keys()
            .map(|k| {
                let path = format!("/areas/{k}/");
                AreaTerm {
                    key: k,
                    name: self.config().area_name(k, lang),
                    lang: area_lang(self.config(), k, lang),
                    url: site.url(lang, &path),
                    permalink: site.permalink(lang, &path),
                    count: site.area_projects.get(k).map_or(0, Vec::len),
                }
            })
            .collect()
    }

    /// The home page's parts: intro, latest news, next and last demo day, featured projects.
    #[allow(clippy::type_complexity)]
    pub(super) fn home_parts(
        &self,
        news: &[ItemId],
        demos: &[ItemId],
        projects: &[ItemId],
    ) -> (
        Option<ItemId>,
        Vec<ItemId>,
        Option<ItemId>,
        Option<ItemId>,
        Vec<ItemId>,
    ) {
        let site = self.site;
        let today = self.today;
        let date = |d: ItemId| site.entries[d].original.meta.date;
        let home = site.intro("");
        let latest = news.iter().take(10).copied().collect();
        let next = demos
            .iter()
            .rev()
            .copied()
            .find(|&d| date(d).is_some_and(|x| x >= today));
        let last = demos
            .iter()
            .copied()
            .find(|&d| date(d).is_some_and(|x| x < today));
        let mut featured: Vec<ItemId> = projects
            .iter()
            .copied()
            .filter(|&p| site.entries[p].original.meta.featured == Some(true))
            .collect();
        if featured.is_empty() {
            featured = projects.iter().take(6).copied().collect();
        }
        (home, latest, next, last, featured)
    }

    /// The context of one page, built when the page is rendered.
    pub(super) fn context(&self, job: &Job) -> Context {
        let site = self.site;
        let config = self.config();
        let l = job.page.lang;
        let lang = &config.languages[l].code;
        let mut ctx = self.base_context(l, &job.page.path);
        match &job.page.kind {
            PageKind::Home => {
                let news = self.sorted(Kind::News);
                let (home, latest, next, last, featured) =
                    self.home_parts(&news, &self.sorted(Kind::Demo), &self.sorted(Kind::Project));
                let section =
                    self.intro_section(l, "/", "home", &config.languages[l].title, home, true);
                put_typed(&mut ctx, "section", &section);
                put_value(&mut ctx, "latest_news", self.items_value(l, &latest));
                if let Some(d) = next {
                    put_value(&mut ctx, "next_demo", self.item_value(l, d));
                }
                if let Some(d) = last {
                    put_value(&mut ctx, "last_demo", self.item_value(l, d));
                }
                put_value(&mut ctx, "featured", self.items_value(l, &featured));
                let search = site
                    .features
                    .search_page
                    .then(|| site.permalink(lang, "/search/"));
                put(
                    &mut ctx,
                    "structured_data",
                    crate::render::jsonld::home(site, l, search.as_deref()),
                );
            }
            PageKind::Projects(p) => {
                let projects = self.sorted(Kind::Project);
                let intro = site.intro("projects");
                put_typed(
                    &mut ctx,
                    "section",
                    &self.intro_section(l, "/projects/", "projects", "Projects", intro, p.n == 1),
                );
                let listed = job.listed(site);
                let shown = &listed[..listed.len() - self.sorted(Kind::Cohort).len()];
                self.put_list(
                    &mut ctx,
                    l,
                    "/projects/",
                    *p,
                    shown,
                    projects.len(),
                    Kind::Project,
                );
                let filters = self.shared[l]
                    .filters
                    .get_or_init(|| tera::Value::from_serializable(&self.filters(l, &projects)));
                put_value(&mut ctx, "filters", filters.clone());
                put(
                    &mut ctx,
                    "filter_index",
                    site.url(lang, &format!("/projects/{FILTER_INDEX_FILE}")),
                );
            }
            PageKind::Cohorts(p) => {
                let intro = site.intro("cohorts");
                put_typed(
                    &mut ctx,
                    "section",
                    &self.intro_section(l, "/cohorts/", "cohorts", "Cohorts", intro, p.n == 1),
                );
                let total = site.order.get(&Kind::Cohort).map_or(0, Vec::len);
                self.put_list(
                    &mut ctx,
                    l,
                    "/cohorts/",
                    *p,
                    job.listed(site),
                    total,
                    Kind::Cohort,
                );
            }
            PageKind::Demos(p) => {
                let intro = site.intro("demos");
                put_typed(
                    &mut ctx,
                    "section",
                    &self.intro_section(l, "/demos/", "demos", "Demo days", intro, p.n == 1),
                );
                let total = site.order.get(&Kind::Demo).map_or(0, Vec::len);
                self.put_list(
                    &mut ctx,
                    l,
                    "/demos/",
                    *p,
                    job.listed(site),
                    total,
                    Kind::Demo,
                );
                if site.entries.iter().any(crate::site::pages::in_calendars) {
                    put_typed(&mut ctx, "calendar", &CalendarLinks::of(site, lang));
                }
            }
            PageKind::Item(id) => {
                let id = *id;
                let e = &site.entries[id];
                put(&mut ctx, "page", self.build_item_json(l, id, true));
                if let Some(p) = site.previews.get(&id) {
                    let v = site.version(l, id);
                    // A gallery image's alt text says what the preview shows; a logo is
                    // named by the title.
                    let alt = p
                        .from_gallery
                        .and_then(|i| v.gallery.get(i))
                        .and_then(|g| g.alt.as_deref())
                        .unwrap_or(&v.title);
                    let p = &p.picture;
                    put_typed(&mut ctx, "og_image", &SocialImage::of(site, p, alt));
                }
                if let Some(data) = crate::render::jsonld::item(site, l, id) {
                    put(&mut ctx, "structured_data", data);
                }
                // A page filled from another language points search engines at the original,
                // and is not offered as an alternate of it (issue 7).
                put(&mut ctx, "current_url", site.canonical(l, id));
                let path = item_path(e.kind, &e.slug);
                let borrowed = |i: usize| site.version(i, id).fallback;
                put_typed(
                    &mut ctx,
                    "translations",
                    &translations(site, l, &path, borrowed),
                );
                let list =
                    |m: &HashMap<ItemId, Vec<ItemId>>| m.get(&id).cloned().unwrap_or_default();
                match e.kind {
                    Kind::Project => {
                        if let Some(&c) = site.cohort_of.get(&id) {
                            put_value(&mut ctx, "cohort", self.item_value(l, c));
                        }
                        let areas: Vec<AreaLink> = e
                            .original
                            .meta
                            .areas
                            .iter()
                            .flatten()
                            .map(|k| {
                                let p = format!("/areas/{k}/");
                                AreaLink {
                                    key: k,
                                    name: config.area_name(k, lang),
                                    lang: area_lang(config, k, lang),
                                    url: site.url(lang, &p),
                                    permalink: site.permalink(lang, &p),
                                }
                            })
                            .collect();
                        put_typed(&mut ctx, "areas", &areas);
                        put_value(
                            &mut ctx,
                            "demos",
                            self.items_value(l, &list(&site.project_demos)),
                        );
                        put_value(
                            &mut ctx,
                            "news",
                            self.items_value(l, &list(&site.project_news)),
                        );
                    }
                    Kind::Cohort => {
                        put_value(
                            &mut ctx,
                            "projects",
                            self.items_value(l, &list(&site.cohort_projects)),
                        );
                        put_value(
                            &mut ctx,
                            "demos",
                            self.items_value(l, &list(&site.cohort_demos)),
                        );
                    }
                    Kind::Demo => {
                        if let Some(&c) = site.cohort_of.get(&id) {
                            put_value(&mut ctx, "cohort", self.item_value(l, c));
                        }
                        put_value(
                            &mut ctx,
                            "projects",
                            self.items_value(l, &list(&site.projects_of)),
                        );
                    }
                    Kind::News => {
                        put_value(
                            &mut ctx,
                            "projects",
                            self.items_value(l, &list(&site.projects_of)),
                        );
                    }
                    Kind::Page | Kind::Home => {}
                }
            }
            PageKind::NewsList { n, of } => {
                let intro = site.intro("news");
                put_typed(
                    &mut ctx,
                    "section",
                    &self.intro_section(l, "/news/", "news", "News", intro, *n == 1),
                );
                let total = site.order.get(&Kind::News).map_or(0, Vec::len);
                let p = Paging { n: *n, of: *of };
                let pages = self.items_value(l, job.listed(site));
                put_value(
                    &mut ctx,
                    "paginator",
                    self.paginator(l, "/news/", p, pages, total, config.news_per_page),
                );
            }
            PageKind::Redirect(to) => put(&mut ctx, "redirect_to", site.permalink(lang, to)),
            PageKind::Alias(id) => put(
                &mut ctx,
                "redirect_to",
                site.version(l, *id).permalink.as_str(),
            ),
            PageKind::Atom => {
                put(&mut ctx, "pages", self.items_json(l, &job.items));
                put(&mut ctx, "feed_url", site.permalink(lang, "/news/atom.xml"));
                put(&mut ctx, "updated", self.feed_updated(&job.items));
            }
            PageKind::Areas => {
                put_typed(
                    &mut ctx,
                    "section",
                    &self.section(l, "/areas/", "areas", "Areas", ""),
                );
                put_typed(&mut ctx, "terms", &self.area_terms(l));
            }
            PageKind::Area(key, p) => {
                let mut total = 0;
                if let Some(term) = self.area_terms(l).into_iter().find(|t| t.key == key) {
                    total = term.count;
                    put_typed(&mut ctx, "term", &term);
                }
                self.put_list(
                    &mut ctx,
                    l,
                    &format!("/areas/{key}/"),
                    *p,
                    &job.items,
                    total,
                    Kind::Project,
                );
            }
            PageKind::Stages => {
                put_typed(
                    &mut ctx,
                    "section",
                    &self.section(l, "/stages/", "stages", "Stages", ""),
                );
                let terms: Vec<tera::Value> = self
                    .stage_values(l)
                    .iter()
                    .map(|(_, _, v)| v.clone())
                    .collect();
                put_value(&mut ctx, "terms", terms.into());
            }
            PageKind::Stage(key, p) => {
                let mut total = 0;
                if let Some((_, count, term)) = self.stage_values(l).iter().find(|t| t.0 == *key) {
                    total = *count;
                    put_value(&mut ctx, "term", term.clone());
                }
                self.put_list(
                    &mut ctx,
                    l,
                    &format!("/stages/{key}/"),
                    *p,
                    &job.items,
                    total,
                    Kind::Project,
                );
            }
            PageKind::Tags => {
                put_typed(
                    &mut ctx,
                    "section",
                    &self.section(l, "/tags/", "tags", "Tags", ""),
                );
                let terms: Vec<tera::Value> = self
                    .tag_values(l)
                    .iter()
                    .map(|(_, _, v)| v.clone())
                    .collect();
                put_value(&mut ctx, "terms", terms.into());
            }
            PageKind::Tag(slug, p) => {
                // Tags are per language: where the other language has no such tag, its
                // switcher link goes to that language's tags.
                let path = format!("/tags/{slug}/");
                let mut tr = translations(site, l, &path, |_| false);
                for (i, t) in tr.iter_mut().enumerate() {
                    let code = &config.languages[i].code;
                    if i != l && !self.lists.has_tag(i, slug) {
                        t.url = site.url(code, "/tags/");
                        t.permalink = site.permalink(code, "/tags/");
                        // Not the same page: no `hreflang` alternate.
                        t.fallback = true;
                    }
                }
                put_typed(&mut ctx, "translations", &tr);
                let mut total = 0;
                if let Some((_, count, term)) = self.tag_values(l).iter().find(|t| t.0 == *slug) {
                    total = *count;
                    put_value(&mut ctx, "term", term.clone());
                }
                self.put_list(
                    &mut ctx,
                    l,
                    &format!("/tags/{slug}/"),
                    *p,
                    &job.items,
                    total,
                    Kind::News,
                );
            }
            PageKind::TagFeed(slug) => {
                put(&mut ctx, "pages", self.items_json(l, &job.items));
                let base = format!("/tags/{slug}/");
                put(
                    &mut ctx,
                    "feed_url",
                    site.permalink(lang, &format!("{base}atom.xml")),
                );
                if let Some((_, _, term)) = self.tag_values(l).iter().find(|t| t.0 == *slug) {
                    put_value(&mut ctx, "term", term.clone());
                }
                put(&mut ctx, "updated", self.feed_updated(&job.items));
            }
            PageKind::Search => {
                put_typed(
                    &mut ctx,
                    "section",
                    &self.section(l, "/search/", "search", "Search", ""),
                );
            }
            PageKind::NotFound => {
                // The switcher leads to each language's home: the same address in another
                // language would not be found either (issue 14).
                put_typed(
                    &mut ctx,
                    "translations",
                    &translations(site, l, "/", |_| false),
                );
                put_typed(&mut ctx, "other_languages", &self.other_languages(l));
            }
            // Written without a template (see `render::ical`).
            PageKind::Robots | PageKind::Event(_) | PageKind::Calendar => {}
            PageKind::Sitemap => {
                let parts: Vec<String> = site
                    .pages
                    .iter()
                    .filter(|p| matches!(p.kind, PageKind::SitemapPart { .. }))
                    .map(|p| format!("{}{}", config.base_url, p.path))
                    .collect();
                if parts.is_empty() {
                    put(&mut ctx, "entries", self.sitemap_entries());
                } else {
                    put(&mut ctx, "sitemaps", parts);
                }
            }
            PageKind::SitemapPart { n, of } => {
                let all = self.sitemap_entries();
                // Even parts: each under the limit, none empty while the bound holds.
                let size = all.len().div_ceil(*of).max(1);
                let part: Vec<Value> = all.into_iter().skip((n - 1) * size).take(size).collect();
                put(&mut ctx, "entries", part);
            }
        }
        ctx
    }

    /// A feed's `updated`: the latest `updated:` or `date:` of its `items`, as an instant.
    fn feed_updated(&self, items: &[ItemId]) -> String {
        items
            .iter()
            .filter_map(|&id| {
                let m = &self.site.entries[id].original.meta;
                m.updated.or(m.date)
            })
            .max()
            .map(|d| day_start(self.config(), d))
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
    }

    /// Puts page `p` of the list at `base` into the context: `paginator` (see [`Pager`])
    /// with `items` (the page's) and `total` (the whole list's count), and the same items as
    /// `pages`. News are listed `news_per_page` a page, the other cards (projects,
    /// cohorts, demo days) `projects_per_page`.
    #[allow(clippy::too_many_arguments)]
    fn put_list(
        &self,
        ctx: &mut Context,
        l: usize,
        base: &str,
        p: Paging,
        items: &[ItemId],
        total: usize,
        kind: Kind,
    ) {
        let per_page = match kind {
            Kind::News => self.config().news_per_page,
            _ => self.config().projects_per_page,
        };
        // One value, shared by both names.
        let pages = self.items_value(l, items);
        put_value(ctx, "pages", pages.clone());
        put_value(
            ctx,
            "paginator",
            self.paginator(l, base, p, pages, total, per_page),
        );
    }

    /// `paginator` of page `p` of the list at `base` showing `pages` (the list entries of
    /// its items) of `total`, at `per_page` a page.
    fn paginator(
        &self,
        l: usize,
        base: &str,
        p: Paging,
        pages: tera::Value,
        total: usize,
        per_page: usize,
    ) -> tera::Value {
        let site = self.site;
        let lang = &self.config().languages[l].code;
        let (n, of) = (p.n, p.of);
        let (before, after) = (n > 1, n < of);
        let at = |n| paged_path(base, n);
        let pg = Pager {
            current_index: n,
            number_pagers: of,
            total_pages: total,
            paginate_by: per_page,
            first_url: site.url(lang, base),
            last_url: site.url(lang, &at(of)),
            previous: before.then(|| site.permalink(lang, &at(n - 1))),
            previous_url: before.then(|| site.url(lang, &at(n - 1))),
            next: after.then(|| site.permalink(lang, &at(n + 1))),
            next_url: after.then(|| site.url(lang, &at(n + 1))),
            pagers: (1..=of)
                .filter(|&i| i == 1 || i == of || i.abs_diff(n) <= 1)
                .scan(0, |last, i| {
                    let gap = i > *last + 1;
                    *last = i;
                    Some((i, gap))
                })
                .map(|(i, gap_before)| PagerLink {
                    index: i,
                    gap_before,
                    url: site.url(lang, &at(i)),
                    current: i == n,
                })
                .collect(),
        };
        // `pages` first, as the theme's context dump has always shown it.
        let mut paginator = tera::Map::new();
        paginator.insert("pages".into(), pages);
        if let Some(rest) = tera::Value::from_serializable(&pg).into_map() {
            paginator.extend(rest);
        }
        paginator.into()
    }

    /// [`Self::stage_terms`] of language `l` over every project, made once: key, count,
    /// value.
    fn stage_values(&self, l: usize) -> &[(&'static str, usize, tera::Value)] {
        self.shared[l].stages.get_or_init(|| {
            self.stage_terms(l, &self.sorted(Kind::Project))
                .iter()
                .map(|t| (t.key, t.count, tera::Value::from_serializable(t)))
                .collect()
        })
    }

    /// [`Self::tag_terms`] of language `l`, made once: slug, count, value.
    fn tag_values(&self, l: usize) -> &[(String, usize, tera::Value)] {
        self.shared[l].tags.get_or_init(|| {
            self.tag_terms(l)
                .iter()
                .map(|t| (t.slug.clone(), t.count, tera::Value::from_serializable(t)))
                .collect()
        })
    }

    /// Every tag of language `l`'s news: slug, name (as the newest news item writes it),
    /// count, and the URLs of its page and feed when the theme has `tag.html`; by name.
    pub(super) fn tag_terms(&self, l: usize) -> Vec<TagTerm> {
        let site = self.site;
        let lang = &self.config().languages[l].code;
        let mut names: HashMap<String, (String, Option<String>)> = HashMap::new();
        for id in self.sorted(Kind::News) {
            let v = site.version(l, id);
            let from = v.lang_of(crate::site::TextField::Tags);
            for t in &v.tags {
                if let Some(slug) = tag_slug(t) {
                    names
                        .entry(slug)
                        .or_insert_with(|| (t.trim().to_string(), from.map(str::to_string)));
                }
            }
        }
        let page = site.features.tag_pages;
        let mut terms: Vec<TagTerm> =
            crate::site::pages::tag_counts(&site.entries, self.config(), lang)
                .into_iter()
                .map(|(slug, count)| {
                    let path = format!("/tags/{slug}/");
                    let (name, from) = names.remove(&slug).unwrap_or_else(|| (slug.clone(), None));
                    TagTerm {
                        name,
                        lang: from,
                        count,
                        url: page.then(|| site.url(lang, &path)),
                        permalink: page.then(|| site.permalink(lang, &path)),
                        feed: page.then(|| site.url(lang, &format!("{path}atom.xml"))),
                        slug,
                    }
                })
                .collect();
        // As lists "by title" sort: lowercased.
        terms.sort_by_cached_key(|t| (t.name.to_lowercase(), t.slug.clone()));
        terms
    }

    /// `other_languages` of a not-found page in language `l`: every other language with
    /// its UI strings and the addresses a lost visitor needs, so that the page a static
    /// host serves for every missing address can speak to each reader.
    fn other_languages(&self, l: usize) -> Vec<OtherLanguage<'_>> {
        let site = self.site;
        self.config()
            .languages
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != l)
            .map(|(i, x)| OtherLanguage {
                code: &x.code,
                name: &x.name,
                title: &x.title,
                dir: "ltr",
                t: &self.strings[i],
                home: site.url(&x.code, "/"),
                projects: site.url(&x.code, "/projects/"),
                search: site
                    .features
                    .search_page
                    .then(|| site.url(&x.code, "/search/")),
            })
            .collect()
    }

    /// Each stage: key, name, count among `projects`, and the URL of its page if it has one.
    pub(super) fn stage_terms(&self, l: usize, projects: &[ItemId]) -> Vec<StageTerm<'_>> {
        let site = self.site;
        let lang = &self.config().languages[l].code;
        crate::content::STAGES
            .iter()
            .map(|s| {
                let count = projects
                    .iter()
                    .filter(|&&p| site.entries[p].original.meta.stage.as_deref() == Some(*s))
                    .count();
                let name = self.strings[l]
                    .get(&format!("stage_{s}"))
                    .and_then(Value::as_str)
                    .unwrap_or(s);
                let path = format!("/stages/{s}/");
                let page = site.features.stage_pages;
                StageTerm {
                    key: s,
                    name,
                    count,
                    url: page.then(|| site.url(lang, &path)),
                    permalink: page.then(|| site.permalink(lang, &path)),
                }
            })
            .collect()
    }

    fn filters(&self, l: usize, projects: &[ItemId]) -> Filters<'_> {
        let site = self.site;
        let cohorts = self
            .sorted(Kind::Cohort)
            .into_iter()
            .map(|c| {
                let v = site.version(l, c);
                CohortChoice {
                    slug: &site.entries[c].slug,
                    title: &v.title,
                    lang: v
                        .inherited
                        .iter()
                        .find(|(f, _)| *f == crate::site::TextField::Title)
                        .map(|(_, l)| l.as_str()),
                    url: &v.url,
                    count: site.cohort_projects.get(&c).map_or(0, Vec::len),
                }
            })
            .collect();
        let trl = (1..=9u8)
            .map(|n| TrlChoice {
                value: n,
                count: projects
                    .iter()
                    .filter(|&&p| site.entries[p].original.meta.trl == Some(n))
                    .count(),
            })
            .collect();
        Filters {
            areas: self.area_terms(l),
            stages: self.stage_terms(l, projects),
            cohorts,
            trl,
        }
    }
}

/// The language of area `key`'s name on a page in `lang`, when it is another: site.yaml
/// names the area in the default language only, or not in `lang` (the name is then taken
/// along `lang`'s fallback chain, as [`crate::config::Config::area_name`] does).
pub(super) fn area_lang<'a>(
    config: &'a crate::config::Config,
    key: &str,
    lang: &str,
) -> Option<&'a str> {
    let names = config.areas.get(key)?;
    let (from, _) = config
        .fallback_chain(lang)
        .iter()
        .find_map(|l| names.get_key_value(l.as_str()))?;
    (from != lang).then_some(from.as_str())
}

/// `translations` of page `path` shown in language `l`: the page in every language, marked
/// `fallback` where `fallback(language index)` says its text is borrowed from another.
fn translations<'a>(
    site: &'a Site,
    l: usize,
    path: &str,
    fallback: impl Fn(usize) -> bool,
) -> Vec<Translation<'a>> {
    site.config
        .languages
        .iter()
        .enumerate()
        .map(|(i, x)| Translation {
            lang: &x.code,
            title: &x.name,
            url: site.url(&x.code, path),
            permalink: site.permalink(&x.code, path),
            current: i == l,
            fallback: fallback(i),
        })
        .collect()
}
