//! `video:` of projects and demo days, parsed into a typed [`Video`]: a video of YouTube,
//! Vimeo or RuTube (provider and id), a video file of the item's bundle, or, on a demo day
//! only, a page of another site shown as a plain link (what `video:` always accepted there).
//! The theme plays a hosted video in the provider's frame only after the visitor clicks;
//! before that the page loads nothing from the provider.
//!
//! Pure: the file is found in the bundle by `site::assemble`, like `logo:`.
//!
//! Invariant: a [`Hosted`] id and hash hold only ASCII letters, digits, `-` and `_`, so
//! the URLs made from them ([`Hosted::watch_url`], [`Hosted::embed_url`]) need no escaping
//! and can point nowhere but at the provider's video.

use url::Url;

/// A site that hosts videos and offers a player to embed in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// youtube.com, youtu.be; played from youtube-nocookie.com.
    YouTube,
    /// vimeo.com; played from player.vimeo.com.
    Vimeo,
    /// rutube.ru.
    RuTube,
}

impl Provider {
    /// The key templates see (`video.provider`): `youtube`, `vimeo`, `rutube`.
    pub fn key(self) -> &'static str {
        match self {
            Provider::YouTube => "youtube",
            Provider::Vimeo => "vimeo",
            Provider::RuTube => "rutube",
        }
    }

    /// The provider's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Provider::YouTube => "YouTube",
            Provider::Vimeo => "Vimeo",
            Provider::RuTube => "RuTube",
        }
    }

    /// The addresses of this provider that `video:` accepts, for a help line.
    fn forms(self) -> &'static str {
        match self {
            Provider::YouTube => "https://www.youtube.com/watch?v=ID, https://youtu.be/ID, https://www.youtube.com/shorts/ID, /embed/ID or /live/ID, where ID is the video's 11 letters, digits, - and _",
            Provider::Vimeo => "https://vimeo.com/ID or https://player.vimeo.com/video/ID, where ID is the number in the address",
            Provider::RuTube => "https://rutube.ru/video/ID/ or https://rutube.ru/play/embed/ID, where ID is the 32 letters and digits in the address",
        }
    }

    /// The provider whose site `host` (lowercase, as the `url` crate gives it) is.
    fn of_host(host: &str) -> Option<Provider> {
        match host {
            "youtube.com"
            | "www.youtube.com"
            | "m.youtube.com"
            | "youtu.be"
            | "youtube-nocookie.com"
            | "www.youtube-nocookie.com" => Some(Provider::YouTube),
            "vimeo.com" | "www.vimeo.com" | "player.vimeo.com" => Some(Provider::Vimeo),
            "rutube.ru" | "www.rutube.ru" => Some(Provider::RuTube),
            _ => None,
        }
    }
}

/// A video on a provider's site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hosted {
    /// Whose site.
    pub provider: Provider,
    /// The video's id on that site.
    pub id: String,
    /// Vimeo only: the key of an unlisted video (`vimeo.com/ID/KEY`, `?h=KEY`).
    pub key: Option<String>,
}

impl Hosted {
    /// The provider's own page of the video: the link that works without JavaScript.
    pub fn watch_url(&self) -> String {
        let id = &self.id;
        match (self.provider, &self.key) {
            (Provider::YouTube, _) => format!("https://www.youtube.com/watch?v={id}"),
            (Provider::Vimeo, Some(key)) => format!("https://vimeo.com/{id}/{key}"),
            (Provider::Vimeo, None) => format!("https://vimeo.com/{id}"),
            (Provider::RuTube, _) => format!("https://rutube.ru/video/{id}/"),
        }
    }

    /// The provider's player, for the frame the theme opens when the visitor clicks play
    /// (so it starts playing at once). YouTube's is its no-cookie domain. Every host here is
    /// in `frame-src` of [`crate::active::CSP`].
    pub fn embed_url(&self) -> String {
        let id = &self.id;
        match (self.provider, &self.key) {
            (Provider::YouTube, _) => {
                format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1")
            }
            (Provider::Vimeo, Some(key)) => {
                format!("https://player.vimeo.com/video/{id}?h={key}&autoplay=1")
            }
            (Provider::Vimeo, None) => format!("https://player.vimeo.com/video/{id}?autoplay=1"),
            (Provider::RuTube, _) => format!("https://rutube.ru/play/embed/{id}"),
        }
    }
}

/// A checked `video:` value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Video {
    /// A video of YouTube, Vimeo or RuTube.
    Hosted(Hosted),
    /// A video file, as written (without a leading `./`): a file of the bundle, or with a
    /// leading `/` a file of `static/`. Whether it exists is checked with the bundle's files.
    File(String),
    /// An http(s) address on another site. Accepted on demo days only, shown as a link.
    Link(String),
}

/// The extensions of the video files `video:` accepts, with their MIME types: the formats
/// browsers play in a `<video>` element.
pub const FILE_TYPES: &[(&str, &str)] = &[
    ("mp4", "video/mp4"),
    ("m4v", "video/mp4"),
    ("webm", "video/webm"),
    ("ogv", "video/ogg"),
];

/// The MIME type of a video file by its extension (`None`: not a video `video:` accepts).
pub fn file_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    FILE_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, mime)| *mime)
}

/// What `video:` accepts, for the help line of every refusal.
pub const ACCEPTED: &str = "write the address of a YouTube video (https://www.youtube.com/watch?v=ID or https://youtu.be/ID), a Vimeo video (https://vimeo.com/ID) or a RuTube video (https://rutube.ru/video/ID/), or the name of a video file next to index.md (.mp4, .webm, .m4v or .ogv)";

/// Why a `video:` value was refused: the message and the help line of the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What is wrong, quoting the value.
    pub message: String,
    /// What to write instead.
    pub help: String,
}

impl Refusal {
    fn new(message: String, help: impl Into<String>) -> Refusal {
        Refusal {
            message,
            help: help.into(),
        }
    }
}

/// Parses a `video:` value. An http(s) address on a site other than the three providers is
/// a [`Video::Link`]; whether that is allowed is the caller's rule (demo days only).
pub fn parse(value: &str) -> Result<Video, Refusal> {
    let v = value.trim();
    let quoted = shorten(v);
    if v.is_empty() {
        return Err(Refusal::new("`video` is empty".into(), ACCEPTED));
    }
    let url = match Url::parse(v) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => return parse_path(v),
        Err(e) => {
            return Err(Refusal::new(
                format!("`{quoted}` is not a valid address ({e})"),
                ACCEPTED,
            ))
        }
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refusal::new(
            format!("`{quoted}` is not a video address or a video file"),
            ACCEPTED,
        ));
    }
    let host = url.host_str().unwrap_or_default();
    let Some(provider) = Provider::of_host(host) else {
        return Ok(Video::Link(v.to_string()));
    };
    let not_a_video = || {
        Refusal::new(
            format!(
                "`{quoted}` is not the address of a {} video",
                provider.name()
            ),
            format!(
                "copy the address from the video's Share button: {}",
                provider.forms()
            ),
        )
    };
    // Only the video's id is kept; an address that says more than a page of the provider
    // (a user name, a port) is not one people copy from a browser.
    if !url.username().is_empty() || url.password().is_some() || url.port().is_some() {
        return Err(not_a_video());
    }
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let query = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let hosted = match provider {
        Provider::YouTube => youtube(host, &segments, query("v")),
        Provider::Vimeo => vimeo(host, &segments, query("h")),
        Provider::RuTube => rutube(&segments),
    };
    hosted.map(Video::Hosted).ok_or_else(not_a_video)
}

/// A YouTube id: 11 letters, digits, `-` or `_`.
fn youtube_id(id: &str) -> Option<String> {
    (id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| id.to_string())
}

fn youtube(host: &str, segments: &[&str], v: Option<String>) -> Option<Hosted> {
    let id = match (host, segments) {
        ("youtu.be", [id]) => youtube_id(id)?,
        ("youtube-nocookie.com" | "www.youtube-nocookie.com", ["embed", id]) => youtube_id(id)?,
        (h, _) if h.contains("nocookie") || h == "youtu.be" => return None,
        (_, ["watch"]) => youtube_id(&v?)?,
        (_, ["shorts" | "embed" | "live", id]) => youtube_id(id)?,
        _ => return None,
    };
    Some(Hosted {
        provider: Provider::YouTube,
        id,
        key: None,
    })
}

fn vimeo(host: &str, segments: &[&str], h: Option<String>) -> Option<Hosted> {
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.to_string())
    };
    // The key of an unlisted video: lowercase hexadecimal.
    let key = |s: &str| {
        (!s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| s.to_ascii_lowercase())
    };
    let (id, k) = match (host, segments) {
        ("player.vimeo.com", ["video", id]) => (number(id)?, h.as_deref().map(key)),
        ("player.vimeo.com", _) => return None,
        (_, [id]) => (number(id)?, None),
        (_, [id, k]) => (number(id)?, Some(key(k))),
        _ => return None,
    };
    Some(Hosted {
        provider: Provider::Vimeo,
        id,
        // A key given but not one: refused, not dropped (the video would not play).
        key: match k {
            Some(Some(k)) => Some(k),
            Some(None) => return None,
            None => None,
        },
    })
}

fn rutube(segments: &[&str]) -> Option<Hosted> {
    let id = match segments {
        ["video", id] | ["play", "embed", id] => id,
        _ => return None,
    };
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Hosted {
        provider: Provider::RuTube,
        id: id.to_ascii_lowercase(),
        key: None,
    })
}

/// A value without a scheme: a video file's path.
fn parse_path(v: &str) -> Result<Video, Refusal> {
    let quoted = shorten(v);
    if v.starts_with("//") {
        return Err(Refusal::new(
            format!("`{quoted}` is not a full address"),
            "write it with https: at the start, e.g. https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        ));
    }
    // `youtube.com/watch?v=…` typed without its scheme.
    if let Ok(url) = Url::parse(&format!("https://{v}")) {
        if url.host_str().and_then(Provider::of_host).is_some() {
            return Err(Refusal::new(
                format!("`{quoted}` is not a full address"),
                format!("write it with https:// at the start: https://{v}"),
            ));
        }
    }
    if v.contains("..") || v.contains(['\\', '?', '#']) || v.chars().any(char::is_control) {
        return Err(Refusal::new(
            format!("`{quoted}` is not a file of the bundle"),
            ACCEPTED,
        ));
    }
    if file_type(v).is_none() {
        return Err(Refusal::new(
            format!("`{quoted}` is not a video file that browsers play"),
            ACCEPTED,
        ));
    }
    Ok(Video::File(v.trim_start_matches("./").to_string()))
}

fn shorten(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// What identifies a place, a device or a person in the `moov` box of an MP4 or QuickTime
/// file (ISO/IEC 14496-12 and the QuickTime file format), by the names of the atoms and
/// keys that hold it: the position a phone records (`©xyz`, 3GPP `loci`, Apple's
/// `com.apple.quicktime.location.ISO6709`), the device (`©mak`, `©mod`, Apple's make and
/// model keys), the author (`©aut`, `©ART`, `auth`) and XMP. Videos are published as they
/// are, so one holding any of these is refused. Pure: `moov` is the box's bytes.
pub fn identifying_metadata(moov: &[u8]) -> Vec<&'static str> {
    const MARKS: &[(&[u8], &str)] = &[
        (b"\xa9xyz", "the place it was filmed (GPS)"),
        (b"loci", "the place it was filmed (GPS)"),
        (
            b"com.apple.quicktime.location",
            "the place it was filmed (GPS)",
        ),
        (b"\xa9mak", "the camera's make"),
        (b"\xa9mod", "the camera's model"),
        (b"com.apple.quicktime.make", "the camera's make"),
        (b"com.apple.quicktime.model", "the camera's model"),
        (b"com.apple.quicktime.software", "the camera's software"),
        (b"\xa9aut", "the author"),
        (b"\xa9ART", "the author"),
        (b"auth", "the author"),
        (b"com.apple.quicktime.author", "the author"),
        (b"<x:xmpmeta", "XMP metadata"),
    ];
    let mut found: Vec<&'static str> = MARKS
        .iter()
        .filter(|(mark, _)| moov.windows(mark.len()).any(|w| w == *mark))
        .map(|(_, what)| *what)
        .collect();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosted(v: &str) -> Hosted {
        match parse(v) {
            Ok(Video::Hosted(h)) => h,
            other => panic!("{v}: {other:?}"),
        }
    }

    fn refused(v: &str) -> Refusal {
        match parse(v) {
            Err(r) => r,
            Ok(other) => panic!("{v} was accepted: {other:?}"),
        }
    }

    const YT: &str = "aqz-KE-bpKQ";

    #[test]
    fn every_youtube_form() {
        for v in [
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "https://youtube.com/watch?v=aqz-KE-bpKQ",
            "http://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "https://m.youtube.com/watch?v=aqz-KE-bpKQ",
            "https://www.youtube.com/watch?feature=share&v=aqz-KE-bpKQ&t=42s",
            "https://youtu.be/aqz-KE-bpKQ",
            "https://youtu.be/aqz-KE-bpKQ?si=abc&t=10",
            "https://www.youtube.com/shorts/aqz-KE-bpKQ",
            "https://www.youtube.com/embed/aqz-KE-bpKQ",
            "https://www.youtube.com/live/aqz-KE-bpKQ?feature=shared",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
            "HTTPS://WWW.YOUTUBE.COM/watch?v=aqz-KE-bpKQ",
            "https://WWW.YouTube.com/watch?v=aqz-KE-bpKQ",
            "  https://youtu.be/aqz-KE-bpKQ  ",
            "https://www.youtube.com/watch/?v=aqz-KE-bpKQ",
        ] {
            let h = hosted(v);
            assert_eq!((h.provider, h.id.as_str()), (Provider::YouTube, YT), "{v}");
            assert_eq!(h.watch_url(), "https://www.youtube.com/watch?v=aqz-KE-bpKQ");
            assert_eq!(
                h.embed_url(),
                "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1"
            );
        }
    }

    #[test]
    fn every_vimeo_form() {
        for v in [
            "https://vimeo.com/76979871",
            "https://www.vimeo.com/76979871",
            "https://vimeo.com/76979871/",
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?badge=0",
        ] {
            let h = hosted(v);
            assert_eq!(
                (h.provider, h.id.as_str(), h.key.as_deref()),
                (Provider::Vimeo, "76979871", None),
                "{v}"
            );
            assert_eq!(h.watch_url(), "https://vimeo.com/76979871");
            assert_eq!(
                h.embed_url(),
                "https://player.vimeo.com/video/76979871?autoplay=1"
            );
        }
        // An unlisted video keeps its key.
        for v in [
            "https://vimeo.com/76979871/1a2b3c4d5e",
            "https://player.vimeo.com/video/76979871?h=1a2b3c4d5e",
        ] {
            let h = hosted(v);
            assert_eq!(h.key.as_deref(), Some("1a2b3c4d5e"), "{v}");
            assert_eq!(h.watch_url(), "https://vimeo.com/76979871/1a2b3c4d5e");
            assert_eq!(
                h.embed_url(),
                "https://player.vimeo.com/video/76979871?h=1a2b3c4d5e&autoplay=1"
            );
        }
    }

    #[test]
    fn every_rutube_form() {
        let id = "0123456789abcdef0123456789abcdef";
        for v in [
            format!("https://rutube.ru/video/{id}/"),
            format!("https://rutube.ru/video/{id}"),
            format!("https://www.rutube.ru/video/{id}/?r=wd"),
            format!("https://rutube.ru/play/embed/{id}"),
            format!("https://rutube.ru/video/{}/", id.to_ascii_uppercase()),
        ] {
            let h = hosted(&v);
            assert_eq!((h.provider, h.id.as_str()), (Provider::RuTube, id), "{v}");
            assert_eq!(h.watch_url(), format!("https://rutube.ru/video/{id}/"));
            assert_eq!(h.embed_url(), format!("https://rutube.ru/play/embed/{id}"));
        }
    }

    #[test]
    fn bundle_files() {
        for (v, path) in [
            ("demo.mp4", "demo.mp4"),
            ("./demo.mp4", "demo.mp4"),
            ("clips/Flight Test.WEBM", "clips/Flight Test.WEBM"),
            ("teaser.m4v", "teaser.m4v"),
            ("teaser.ogv", "teaser.ogv"),
            ("/videos/park.mp4", "/videos/park.mp4"),
            ("видео.mp4", "видео.mp4"),
        ] {
            assert_eq!(parse(v), Ok(Video::File(path.into())), "{v}");
        }
        assert_eq!(file_type("a.MP4"), Some("video/mp4"));
        assert_eq!(file_type("a.ogv"), Some("video/ogg"));
        assert_eq!(file_type("a.webm"), Some("video/webm"));
        for v in [
            "clip.avi",
            "clip.mov",
            "clip",
            "../other/demo.mp4",
            "a\\demo.mp4",
            "demo.mp4?x=1",
            "demo.mp4#t=10",
            "photo.jpg",
        ] {
            let r = refused(v);
            assert!(r.help.contains(".mp4, .webm"), "{v}: {r:?}");
        }
    }

    #[test]
    fn other_sites_are_links_for_the_caller_to_judge() {
        for v in [
            "https://video.example.kz/demo-day",
            // Look-alikes of the providers are other sites.
            "https://youtube.com.evil.example/watch?v=aqz-KE-bpKQ",
            "https://evil-youtube.com/watch?v=aqz-KE-bpKQ",
            "https://youtube.com@evil.example/watch?v=aqz-KE-bpKQ",
            "https://notyoutu.be/aqz-KE-bpKQ",
            "https://vimeo.com.evil.example/76979871",
            "https://rutube.ru.evil.example/video/0123456789abcdef0123456789abcdef/",
        ] {
            assert_eq!(parse(v), Ok(Video::Link(v.to_string())), "{v}");
        }
    }

    #[test]
    fn hostile_and_broken_values_are_refused() {
        for v in [
            // Ids that are not ids: quotes, markup, too short or long, path tricks.
            "https://www.youtube.com/watch?v=aqz-KE-bpK\"",
            "https://www.youtube.com/watch?v=%22onmouseover%3Dx",
            "https://www.youtube.com/watch?v=<script>x",
            "https://www.youtube.com/watch?v=aqz-KE-bp<Q",
            "https://www.youtube.com/watch?v=aqz'KE-bpKQ",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=aqz-KE-bpKQX",
            "https://www.youtube.com/watch",
            "https://www.youtube.com/",
            "https://www.youtube.com/channel/UCabc",
            "https://www.youtube.com/playlist?list=PL123",
            "https://www.youtube.com/embed/aqz-KE-bpKQ/../x",
            "https://youtu.be/",
            "https://youtu.be/watch?v=aqz-KE-bpKQ",
            "https://www.youtube-nocookie.com/watch?v=aqz-KE-bpKQ",
            "https://user:pw@www.youtube.com/watch?v=aqz-KE-bpKQ",
            "https://www.youtube.com:8443/watch?v=aqz-KE-bpKQ",
            "https://vimeo.com/abc",
            "https://vimeo.com/76979871/not-a-key",
            "https://vimeo.com/channels/staffpicks",
            "https://player.vimeo.com/76979871",
            "https://player.vimeo.com/video/76979871?h=zz",
            "https://vimeo.com/1234567890123456",
            "https://rutube.ru/video/123/",
            "https://rutube.ru/video/0123456789abcdef0123456789abcdeg/",
            "https://rutube.ru/video/private/0123456789abcdef0123456789abcdef/",
            "https://rutube.ru/channel/123/",
        ] {
            let r = refused(v);
            assert!(r.message.starts_with('`'), "{v}: {r:?}");
            assert!(r.help.contains("https://"), "{v}: {r:?}");
        }
        // Addresses that are not http(s), or not full, or not anything.
        for v in [
            "javascript:alert(1)",
            "JavaScript:alert('https://youtu.be/aqz-KE-bpKQ')",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "mailto:team@example.kz",
            "ftp://youtube.com/watch?v=aqz-KE-bpKQ",
            "//youtube.com/watch?v=aqz-KE-bpKQ",
            "//evil.example/x.mp4",
            "youtube.com/watch?v=aqz-KE-bpKQ",
            "www.youtube.com/watch?v=aqz-KE-bpKQ",
            "https://",
            "",
            "   ",
        ] {
            let r = refused(v);
            assert!(r.help.contains("https://"), "{v}: {r:?}");
        }
        assert_eq!(
            refused("youtu.be/aqz-KE-bpKQ").help,
            "write it with https:// at the start: https://youtu.be/aqz-KE-bpKQ"
        );
    }

    #[test]
    fn made_urls_hold_only_the_checked_id() {
        // Whatever the value held around the id, the URLs are built from the id alone.
        let h = hosted("https://www.youtube.com/watch?v=aqz-KE-bpKQ&x=\"><script>");
        assert_eq!(
            h.embed_url(),
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1"
        );
        let long = format!("https://example.kz/{}", "x".repeat(500));
        assert!(matches!(parse(&long), Ok(Video::Link(_))));
        assert!(refused(&format!("{}.avi", "x".repeat(500)))
            .message
            .ends_with("…` is not a video file that browsers play"));
    }
}
