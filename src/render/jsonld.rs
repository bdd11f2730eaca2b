//! schema.org structured data (JSON-LD) that search engines read: the park as an Organization
//! and a WebSite with its search on the home page, demo days as Events, news as
//! NewsArticles. Built here rather than in templates so that every value is JSON-escaped and
//! nothing in content can close the `<script>` element it sits in.

use serde_json::{json, Map, Value};

use crate::content::Kind;
use crate::site::{ItemId, Site};

/// `value` as text safe inside `<script type="application/ld+json">`: `<`, `>` and `&` are
/// written as JSON escapes, so `</script>` in a title stays text.
pub(crate) fn script_safe(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The park as an Organization, in language `l`.
fn organization(site: &Site, l: usize) -> Value {
    let config = &site.config;
    let lang = &config.languages[l].code;
    let mut org = Map::new();
    org.insert("@type".into(), json!("Organization"));
    org.insert("name".into(), json!(config.languages[l].title));
    org.insert("url".into(), json!(site.permalink(lang, "/")));
    org.insert(
        "logo".into(),
        json!(format!("{}/favicon.svg", config.base_url)),
    );
    let extra = &config.extra;
    if let Some(email) = extra.get("contact_email").and_then(Value::as_str) {
        org.insert("email".into(), json!(email));
    }
    let address = extra
        .get(format!("address_{lang}"))
        .or_else(|| extra.get("address"))
        .and_then(Value::as_str);
    if let Some(a) = address {
        org.insert("address".into(), json!(a));
    }
    Value::Object(org)
}

/// The home page's data: the Organization and the WebSite, with its search if it has one.
pub fn home(site: &Site, l: usize, search_url: Option<&str>) -> String {
    let lang = &site.config.languages[l].code;
    let mut website = json!({
        "@type": "WebSite",
        "name": site.config.languages[l].title,
        "url": site.permalink(lang, "/"),
        "inLanguage": lang,
    });
    if let Some(search) = search_url {
        website["potentialAction"] = json!({
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": format!("{search}?q={{search_term_string}}")},
            "query-input": "required name=search_term_string",
        });
    }
    script_safe(&json!({
        "@context": "https://schema.org",
        "@graph": [organization(site, l), website],
    }))
}

/// The data of item `id`'s page in language `l`: demo days and news have some.
pub fn item(site: &Site, l: usize, id: ItemId) -> Option<String> {
    let e = &site.entries[id];
    let v = site.version(l, id);
    let meta = &e.original.meta;
    let mut data = match e.kind {
        Kind::Demo => {
            let mut event = json!({
                "@type": "Event",
                "name": v.title,
                "url": v.permalink,
                "eventStatus": "https://schema.org/EventScheduled",
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "organizer": organization(site, l),
            });
            if let Some(d) = meta.date {
                // With a time of day, an instant with the site's offset (as the page shows it).
                let at = |t: Option<jiff::civil::Time>| {
                    let z = d
                        .to_datetime(t?)
                        .to_zoned(site.config.timezone.clone())
                        .ok()?;
                    Some(z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
                };
                event["startDate"] = json!(at(meta.start_time).unwrap_or_else(|| d.to_string()));
                if let Some(end) = at(meta.end_time) {
                    event["endDate"] = json!(end);
                }
            }
            if let Some(venue) = &v.venue {
                event["location"] = json!({"@type": "Place", "name": venue, "address": venue});
            }
            event
        }
        Kind::News => {
            let headline: String = v.title.chars().take(110).collect();
            let park = organization(site, l);
            let mut article = json!({
                "@type": "NewsArticle",
                "headline": headline,
                "url": v.permalink,
                "mainEntityOfPage": v.permalink,
                "inLanguage": v.source_lang,
                "image": [format!("{}/og-default.svg", site.config.base_url)],
                "author": park.clone(),
                "publisher": park,
            });
            if let Some(d) = meta.date {
                article["datePublished"] = json!(d.to_string());
                article["dateModified"] = json!(meta.updated.unwrap_or(d).to_string());
            }
            article
        }
        _ => return None,
    };
    if let Some(s) = &v.summary {
        data["description"] = json!(s);
    }
    let mut out = Map::new();
    out.insert("@context".into(), json!("https://schema.org"));
    out.extend(data.as_object_mut().map(std::mem::take).unwrap_or_default());
    Some(script_safe(&Value::Object(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_closes_the_script_element() {
        let s = script_safe(&json!({"name": "</script><script>alert(1)</script> & co"}));
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & co");
    }
}
