//! iCalendar files (RFC 5545) of demo days: one per demo day and language
//! (`/demos/<slug>/event.ics`), and the calendar of every published demo day per language
//! (`/demos/calendar.ics`), written as text without a template.
//!
//! Invariant: every text taken from content goes through [`escape`] (RFC 5545 3.3.11), every
//! line is folded at 75 octets on a character boundary and ends with CRLF (3.1), and nothing
//! depends on the build's clock: the stamp of an event is its `updated:` (else its `date:`),
//! its UID its slug and the site's host, so two builds of one site write the same bytes.
//! Drafts and embargoed demo days are never in a calendar (see [`in_calendars`]).

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

use crate::content::Kind;
use crate::site::pages::in_calendars;
use crate::site::{item_path, ItemId, PageKind, Version};

use super::plan::Job;
use super::Builder;

/// The longest content line, in octets without its CRLF (RFC 5545 3.1).
const MAX_LINE: usize = 75;

/// How a subscribed calendar is refreshed: demo days change rarely, a day is soon enough.
const REFRESH: &str = "P1D";

/// When an event takes place, in the site's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    /// All day (`DTSTART;VALUE=DATE`, and `DTEND` the next day).
    Day(Date),
    /// From a time of day, until another one when known (without an end the event has no
    /// length, as RFC 5545 3.6.1 reads a `DTSTART` without `DTEND`).
    Timed {
        /// Local start.
        start: DateTime,
        /// Local end, later than the start.
        end: Option<DateTime>,
    },
}

/// A text and the language (a BCP 47 tag, the `LANGUAGE` parameter) it is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Text {
    /// The text as written (escaped when written out).
    pub(super) text: String,
    /// Its language.
    pub(super) lang: String,
}

/// One event (`VEVENT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Event {
    /// Globally unique and stable: `demos/<slug>@<host>`.
    pub(super) uid: String,
    /// When the event's data last changed (`DTSTAMP`).
    pub(super) stamp: Timestamp,
    /// `LAST-MODIFIED`, when the content says when it changed (`updated:`).
    pub(super) modified: Option<Timestamp>,
    /// When it takes place.
    pub(super) when: When,
    /// `SUMMARY`: the title.
    pub(super) summary: Text,
    /// `DESCRIPTION`.
    pub(super) description: Text,
    /// `LOCATION`: the venue.
    pub(super) location: Option<Text>,
    /// `URL`: the demo day's page, a URI.
    pub(super) url: String,
}

/// What a calendar meant for subscription says about itself (RFC 7986 and the `X-WR-`
/// names that Apple, Google and Microsoft read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Feed {
    /// `NAME`, `X-WR-CALNAME`.
    pub(super) name: Text,
    /// `SOURCE`: where the calendar itself is published (a URI).
    pub(super) source: String,
    /// `URL`: the page that offers it (a URI).
    pub(super) url: String,
}

/// A calendar (`VCALENDAR`) of events in one time zone.
pub(super) struct Calendar<'a> {
    /// The site's time zone.
    pub(super) zone: &'a TimeZone,
    /// Its IANA name (`Asia/Almaty`), the `TZID`.
    pub(super) zone_name: &'a str,
    /// Set on a calendar to subscribe to.
    pub(super) feed: Option<Feed>,
    /// The events.
    pub(super) events: Vec<Event>,
}

impl Builder<'_> {
    /// The iCalendar file of `job`'s page: one demo day, or the calendar of them all.
    pub(super) fn ical(&self, job: &Job<'_>) -> String {
        let config = self.config();
        let l = job.page.lang;
        let lang = &config.languages[l].code;
        let feed = match job.page.kind {
            PageKind::Calendar => {
                let title = self.strings[l]
                    .get("demos")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("Demo days");
                Some(Feed {
                    name: Text {
                        text: format!("{} · {title}", config.languages[l].title),
                        lang: lang.clone(),
                    },
                    source: uri(&self.site.permalink(lang, &job.page.path)),
                    url: uri(&self.site.permalink(lang, "/demos/")),
                })
            }
            _ => None,
        };
        let calendar = Calendar {
            zone: &config.timezone,
            zone_name: config.timezone.iana_name().unwrap_or(&config.timezone_name),
            feed,
            events: job
                .items
                .iter()
                .filter_map(|&id| self.event(l, id))
                .collect(),
        };
        write(&calendar)
    }

    /// Demo day `id` as an event in language `l`; `None` if it is not one calendars show.
    fn event(&self, l: usize, id: ItemId) -> Option<Event> {
        let site = self.site;
        let config = self.config();
        let e = &site.entries[id];
        if !in_calendars(e) {
            return None;
        }
        let m = &e.original.meta;
        let date = m.date?;
        let v = self.calendar_version(l, id);
        // The page in the file's language, whichever text it shows.
        let url = uri(&site.version(l, id).permalink);
        let default = config.default_language();
        // The file the text comes from: a field it leaves out is the original's, in the
        // default language.
        let source = e
            .translations
            .get(&v.source_lang)
            .filter(|_| v.source_lang != default)
            .unwrap_or(&e.original);
        let text = |text: &str, own: bool| Text {
            text: text.to_string(),
            lang: if own { &v.source_lang } else { default }.to_string(),
        };
        let s = &source.meta;
        let about = v.description.as_deref().or(v.summary.as_deref());
        // Calendar apps seldom show `URL`: the description ends with the page's address.
        let description = match about {
            Some(a) => text(
                &format!("{a}\n\n{url}"),
                s.description.is_some() || (v.description.is_none() && s.summary.is_some()),
            ),
            None => text(&url, true),
        };
        let updated = [m.updated, s.updated].into_iter().flatten().max();
        let day_start = |d: Date| {
            d.to_zoned(config.timezone.clone())
                .map(|z| z.timestamp())
                .unwrap_or_default()
        };
        let when = match m.start_time {
            Some(start) => When::Timed {
                start: date.to_datetime(start),
                end: m.end_time.map(|t| date.to_datetime(t)),
            },
            None => When::Day(date),
        };
        Some(Event {
            uid: self.uid(&e.slug),
            stamp: day_start(updated.unwrap_or(date)),
            modified: updated.map(day_start),
            when,
            summary: text(&v.title, s.title.is_some()),
            description,
            location: v
                .venue
                .as_deref()
                .map(|venue| text(venue, s.venue.is_some())),
            url,
        })
    }

    /// The version of demo day `id` a calendar in language `l` shows: the page's, unless its
    /// text is a translation held back from a published build (a draft, or embargoed, which
    /// the preview shows): then the original's.
    fn calendar_version(&self, l: usize, id: ItemId) -> &Version {
        let site = self.site;
        let v = site.version(l, id);
        let held = site.entries[id]
            .translations
            .get(&v.source_lang)
            .is_some_and(|t| {
                t.meta.draft == Some(true) || t.meta.publish_after.is_some_and(|p| p > self.now)
            });
        if held {
            site.version(0, id)
        } else {
            v
        }
    }

    /// The UID of demo day `slug`: its path (base path included, percent-encoded) at the
    /// site's host, the same in every language and every build (`demos/x@park.kz`).
    fn uid(&self, slug: &str) -> String {
        let config = self.config();
        let page = format!("{}{}", config.base_url, item_path(Kind::Demo, slug));
        match url::Url::parse(&page) {
            Ok(u) => format!(
                "{}@{}",
                u.path().trim_matches('/'),
                u.host_str().unwrap_or_default()
            ),
            Err(_) => page,
        }
    }
}

/// An absolute URL as a URI (RFC 3986: non-ASCII percent-encoded, the host in punycode), as
/// the `uri` filter writes it.
fn uri(url: &str) -> String {
    url::Url::parse(url).map_or_else(|_| url.to_string(), |u| u.to_string())
}

/// The calendar as an iCalendar file: CRLF line endings, folded lines.
pub(super) fn write(cal: &Calendar<'_>) -> String {
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//showcase//static site generator//EN");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    if let Some(feed) = &cal.feed {
        out.text("NAME", &feed.name);
        out.text("X-WR-CALNAME", &feed.name);
        out.line(&format!("X-WR-TIMEZONE:{}", escape(cal.zone_name)));
        out.line(&format!("REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}"));
        out.line(&format!("X-PUBLISHED-TTL:{REFRESH}"));
        out.line(&format!("SOURCE;VALUE=URI:{}", feed.source));
        out.line(&format!("URL;VALUE=URI:{}", feed.url));
    }
    // The time zone's rules over the span of the timed events, when there are any.
    let span = cal
        .events
        .iter()
        .filter_map(|e| match e.when {
            When::Timed { start, end } => Some((start, end.unwrap_or(start))),
            When::Day(_) => None,
        })
        .fold(None, |span: Option<(DateTime, DateTime)>, (s, e)| {
            Some(span.map_or((s, e), |(a, b)| (a.min(s), b.max(e))))
        });
    if let Some((from, to)) = span {
        vtimezone(&mut out, cal.zone, cal.zone_name, from, to);
    }
    let tzid = format!(";TZID={}", param(cal.zone_name));
    for e in &cal.events {
        out.line("BEGIN:VEVENT");
        out.line(&format!("UID:{}", escape(&e.uid)));
        out.line(&format!("DTSTAMP:{}", utc(e.stamp)));
        if let Some(m) = e.modified {
            out.line(&format!("LAST-MODIFIED:{}", utc(m)));
        }
        match e.when {
            When::Day(d) => {
                out.line(&format!("DTSTART;VALUE=DATE:{}", day(d)));
                // DTEND is exclusive: an all-day event ends at the start of the next day.
                let next = d.tomorrow().unwrap_or(d);
                out.line(&format!("DTEND;VALUE=DATE:{}", day(next)));
            }
            When::Timed { start, end } => {
                out.line(&format!("DTSTART{tzid}:{}", local(start)));
                if let Some(end) = end {
                    out.line(&format!("DTEND{tzid}:{}", local(end)));
                }
            }
        }
        out.text("SUMMARY", &e.summary);
        out.text("DESCRIPTION", &e.description);
        if let Some(l) = &e.location {
            out.text("LOCATION", l);
        }
        out.line(&format!("URL;VALUE=URI:{}", e.url));
        out.line("END:VEVENT");
    }
    out.line("END:VCALENDAR");
    out.0
}

/// The `VTIMEZONE` of `zone` from the time zone database: one observance per offset change
/// from the one in force at `from` to the last one before `to` (local times), so that a
/// client without the zone reads every event of the file at the offset the database gives.
/// Each observance is one onset (no `RRULE`): exact for the span, whatever the zone's rules.
fn vtimezone(out: &mut Lines, zone: &TimeZone, name: &str, from: DateTime, to: DateTime) {
    let instant = |dt: DateTime| {
        zone.to_ambiguous_timestamp(dt)
            .compatible()
            .unwrap_or_default()
    };
    let (from, to) = (instant(from), instant(to));
    out.line("BEGIN:VTIMEZONE");
    out.line(&format!("TZID:{}", escape(name)));
    // The change in force at `from` (an event may start at the instant of one).
    let first = from
        .checked_add(jiff::SignedDuration::from_nanos(1))
        .ok()
        .and_then(|t| zone.preceding(t).next());
    let mut onsets: Vec<(Timestamp, Offset, bool, String)> = Vec::new();
    let after = match &first {
        Some(t) => t.timestamp(),
        None => from,
    };
    if let Some(t) = first {
        onsets.push((
            t.timestamp(),
            t.offset(),
            t.dst().is_dst(),
            t.abbreviation().to_string(),
        ));
    }
    onsets.extend(
        zone.following(after)
            .take_while(|t| t.timestamp() <= to)
            .map(|t| {
                (
                    t.timestamp(),
                    t.offset(),
                    t.dst().is_dst(),
                    t.abbreviation().to_string(),
                )
            }),
    );
    if onsets.is_empty() {
        // A zone that never changed offset (UTC): one observance since 1970.
        let info = zone.to_offset_info(from);
        let offset = info.offset();
        out.line("BEGIN:STANDARD");
        out.line("DTSTART:19700101T000000");
        out.line(&format!("TZOFFSETFROM:{}", utc_offset(offset)));
        out.line(&format!("TZOFFSETTO:{}", utc_offset(offset)));
        out.line(&format!("TZNAME:{}", escape(info.abbreviation())));
        out.line("END:STANDARD");
    }
    for (at, offset, dst, abbreviation) in onsets {
        // The offset before the change: the onset is written in the local time it had.
        let before = at
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .map_or(offset, |t| zone.to_offset(t));
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        out.line(&format!("BEGIN:{kind}"));
        out.line(&format!("DTSTART:{}", local(before.to_datetime(at))));
        out.line(&format!("TZOFFSETFROM:{}", utc_offset(before)));
        out.line(&format!("TZOFFSETTO:{}", utc_offset(offset)));
        out.line(&format!("TZNAME:{}", escape(&abbreviation)));
        out.line(&format!("END:{kind}"));
    }
    out.line("END:VTIMEZONE");
}

/// The lines of a file being written, folded and ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// Appends one content line, folded.
    fn line(&mut self, line: &str) {
        fold_into(line, &mut self.0);
    }

    /// Appends a TEXT property with its language.
    fn text(&mut self, name: &str, t: &Text) {
        self.line(&format!(
            "{name};LANGUAGE={}:{}",
            param(&t.lang),
            escape(&t.text)
        ));
    }
}

/// Writes `line` folded (RFC 5545 3.1): at most 75 octets a line, a continuation starting with
/// one space, never inside a UTF-8 sequence; each line ends with CRLF.
fn fold_into(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > MAX_LINE {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

/// `text` as an iCalendar TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma
/// escaped, a line break (LF, CRLF or CR) written `\n`; other control characters, which
/// TEXT cannot hold, dropped (content files refuse them; a YAML escape could still make one).
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push(c),
            c if c.is_control() && (c as u32) < 0x80 => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (`TZID`, `LANGUAGE`), quoted when it holds `:`, `;` or `,` (3.2);
/// `"` and control characters, which no parameter value may hold, dropped.
fn param(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|&c| c != '"' && !c.is_control())
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// A DATE value: `20261211`.
fn day(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// A local DATE-TIME value: `20261211T140000`.
fn local(dt: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        day(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// A UTC DATE-TIME value: `20261210T190000Z`.
fn utc(t: Timestamp) -> String {
    format!("{}Z", local(Offset::UTC.to_datetime(t)))
}

/// A UTC-OFFSET value (3.3.14): `+0500`, `-0330`, with seconds only when it has some;
/// never `-0000`.
fn utc_offset(o: Offset) -> String {
    let s = o.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    let (h, m, sec) = (a / 3600, a % 3600 / 60, a % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(when: When) -> Event {
        let text = |t: &str| Text {
            text: t.into(),
            lang: "en".into(),
        };
        Event {
            uid: "demos/x@park.kz".into(),
            stamp: "2026-11-30T19:00:00Z".parse().unwrap(),
            modified: None,
            when,
            summary: text("Demo"),
            description: text("About"),
            location: Some(text("Hall")),
            url: "https://park.kz/demos/x/".into(),
        }
    }

    fn file(zone: &str, events: Vec<Event>) -> String {
        let tz = TimeZone::get(zone).unwrap();
        write(&Calendar {
            zone: &tz,
            zone_name: zone,
            feed: None,
            events,
        })
    }

    fn timed(zone: &str, start: &str, end: Option<&str>) -> String {
        let when = When::Timed {
            start: start.parse().unwrap(),
            end: end.map(|e| e.parse().unwrap()),
        };
        file(zone, vec![event(when)])
    }

    /// The lines between `BEGIN:VTIMEZONE` and `END:VTIMEZONE`.
    fn zone_lines(ics: &str) -> Vec<&str> {
        ics.split("\r\n")
            .skip_while(|l| *l != "BEGIN:VTIMEZONE")
            .take_while(|l| *l != "END:VTIMEZONE")
            .collect()
    }

    #[test]
    fn text_escapes_the_four_specials_and_drops_controls() {
        assert_eq!(escape("a;b,c\\d"), "a\\;b\\,c\\\\d");
        assert_eq!(
            escape("one\ntwo\r\nthree\rfour"),
            "one\\ntwo\\nthree\\nfour"
        );
        assert_eq!(escape("tab\there\u{b}\u{7f}"), "tab\there");
        assert_eq!(escape("Дом армии: зал №1"), "Дом армии: зал №1");
    }

    #[test]
    fn folding_keeps_utf8_sequences_whole_and_lines_short() {
        let line = format!("SUMMARY:{}", "Қазақстан Республикасы ".repeat(12));
        let mut out = String::new();
        fold_into(&line, &mut out);
        for l in out.strip_suffix("\r\n").unwrap().split("\r\n") {
            assert!(l.len() <= MAX_LINE, "{} octets: {l}", l.len());
        }
        // Unfolding gives the line back (every continuation starts with one space).
        assert_eq!(out.strip_suffix("\r\n").unwrap().replace("\r\n ", ""), line);
        // A short line is not folded.
        let mut short = String::new();
        fold_into("VERSION:2.0", &mut short);
        assert_eq!(short, "VERSION:2.0\r\n");
        // Exactly 75 octets stay on one line; 76 fold.
        let mut at = String::new();
        fold_into(&"x".repeat(75), &mut at);
        assert_eq!(at.matches("\r\n").count(), 1);
        let mut over = String::new();
        fold_into(&"x".repeat(76), &mut over);
        assert_eq!(over, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    #[test]
    fn all_day_events_end_the_next_day_and_need_no_zone() {
        let ics = file(
            "Asia/Almaty",
            vec![event(When::Day("2026-12-31".parse().unwrap()))],
        );
        assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
        assert!(!ics.contains("VTIMEZONE"));
    }

    #[test]
    fn timed_events_carry_the_zone_and_its_offset_from_the_database() {
        let ics = timed("Asia/Almaty", "2026-12-11T14:00", Some("2026-12-11T17:30"));
        assert!(ics.contains("\r\nDTSTART;TZID=Asia/Almaty:20261211T140000\r\n"));
        assert!(ics.contains("\r\nDTEND;TZID=Asia/Almaty:20261211T173000\r\n"));
        // Almaty moved from +06 to +05 on 2024-03-01 and has kept it.
        assert_eq!(
            zone_lines(&ics),
            [
                "BEGIN:VTIMEZONE",
                "TZID:Asia/Almaty",
                "BEGIN:STANDARD",
                "DTSTART:20240301T000000",
                "TZOFFSETFROM:+0600",
                "TZOFFSETTO:+0500",
                "TZNAME:+05",
                "END:STANDARD",
            ]
        );
    }

    #[test]
    fn a_zone_with_daylight_saving_lists_every_change_the_events_span() {
        let a = event(When::Timed {
            start: "2026-01-15T10:00".parse().unwrap(),
            end: None,
        });
        let b = event(When::Timed {
            start: "2026-07-01T10:00".parse().unwrap(),
            end: None,
        });
        let ics = file("Europe/Berlin", vec![a, b]);
        let lines = zone_lines(&ics);
        let onsets: Vec<&&str> = lines.iter().filter(|l| l.starts_with("DTSTART")).collect();
        // In force on 15 January: the change of October 2025; then March 2026.
        assert_eq!(
            onsets,
            [&"DTSTART:20251026T030000", &"DTSTART:20260329T020000"]
        );
        assert!(lines.contains(&"BEGIN:DAYLIGHT") && lines.contains(&"TZOFFSETTO:+0200"));
        assert!(lines.contains(&"TZNAME:CET") && lines.contains(&"TZNAME:CEST"));
    }

    #[test]
    fn a_zone_without_changes_has_one_observance() {
        let ics = timed("UTC", "2026-12-11T14:00", None);
        assert!(zone_lines(&ics).contains(&"TZOFFSETTO:+0000"));
        assert!(!ics.contains("DTEND"), "no end, no DTEND");
    }

    #[test]
    fn offsets_are_written_as_utc_offset_values() {
        let o = |s: i32| utc_offset(Offset::from_seconds(s).unwrap());
        assert_eq!(o(5 * 3600), "+0500");
        assert_eq!(o(-(3 * 3600 + 1800)), "-0330");
        assert_eq!(o(0), "+0000");
        assert_eq!(o(5 * 3600 + 10 * 60 + 48), "+051048");
    }

    #[test]
    fn parameter_values_are_quoted_when_they_must_be() {
        assert_eq!(param("Asia/Almaty"), "Asia/Almaty");
        assert_eq!(param("a;b\"c"), "\"a;bc\"");
    }
}
