//! `site.yaml`: the site's settings, read once and validated into a [`Config`].
//!
//! Invariant: a `Config` is complete: every default is filled in, the default language comes
//! first in `languages`, every fallback chain holds only languages of the site and includes
//! the default language (whose files always exist).

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::error::{did_you_mean, Error, Errors};
use crate::yaml::{self, KeyLines};

/// The file name of the settings at the site root.
pub const SITE_FILE: &str = "site.yaml";

/// Site settings with defaults applied.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root (the folder holding `site.yaml`).
    pub root: PathBuf,
    /// Site title in the default language.
    pub title: String,
    /// Site description in the default language.
    pub description: String,
    /// Absolute base URL without a trailing slash.
    pub base_url: String,
    /// The path part of `base_url`, without a trailing slash (`""` at a domain root).
    pub base_path: String,
    /// Theme name: a folder in `themes/`, or `default` for the built-in theme.
    pub theme: String,
    /// Time zone for dates and date-times written without an offset.
    pub timezone: jiff::tz::TimeZone,
    /// The time zone's name as written.
    pub timezone_name: String,
    /// Languages, the default one first.
    pub languages: Vec<Language>,
    /// Per language, the languages tried after it (in order) for a page without a
    /// translation and for a missing UI string; see [`Config::fallback_chain`].
    pub fallback: IndexMap<String, Vec<String>>,
    /// Technology areas: key -> name per language (default language always present).
    pub areas: IndexMap<String, IndexMap<String, String>>,
    /// Whether raw HTML in Markdown is passed through (sanitised) instead of escaped.
    pub allow_html: bool,
    /// News items per page of `/news/` and of each tag's page.
    pub news_per_page: usize,
    /// Cards per page of `/projects/`, of each area's and stage's page, of `/cohorts/` and
    /// of `/demos/`.
    pub projects_per_page: usize,
    /// Free map handed to templates as `site.extra`.
    pub extra: serde_json::Value,
    /// Largest text file read, in bytes (`limits.max_file_size`, default 5 MiB).
    pub max_file_size: u64,
    /// How raster images are published (`images:`).
    pub images: crate::images::Settings,
    /// What one page's render may cost (`limits.render_time`, `limits.page_size`).
    pub render_limits: crate::render::budget::Limits,
}

/// One language of the site.
#[derive(Debug, Clone)]
pub struct Language {
    /// Code used in file names and URLs (`ru` in `about.ru.md`, `/ru/about/`).
    pub code: String,
    /// Site title in this language.
    pub title: String,
    /// Site description in this language.
    pub description: String,
    /// The language's own name, for the language switcher.
    pub name: String,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "the site's settings, such as `title: ...`"
)]
struct RawConfig {
    title: String,
    base_url: Option<String>,
    theme: Option<String>,
    default_language: Option<String>,
    timezone: Option<String>,
    description: Option<String>,
    languages: Option<IndexMap<String, RawLanguage>>,
    fallback: Option<yaml::Value>,
    areas: Option<IndexMap<String, AreaName>>,
    markdown: Option<RawMarkdown>,
    news_per_page: Option<yaml::Value>,
    projects_per_page: Option<yaml::Value>,
    extra: Option<yaml::Value>,
    limits: Option<RawLimits>,
    images: Option<RawImages>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "image settings (`widths:`, `thumbnails:`, `max_size:`, `quality:` ...)"
)]
struct RawImages {
    widths: Option<Vec<u32>>,
    thumbnails: Option<Vec<u32>>,
    max_size: Option<u32>,
    quality: Option<u8>,
    warn_megapixels: Option<f64>,
    warn_size: Option<yaml::Value>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "limits (`max_file_size:`, `render_time:`, `page_size:`, `memory:`)"
)]
struct RawLimits {
    max_file_size: Option<yaml::Value>,
    render_time: Option<yaml::Value>,
    page_size: Option<yaml::Value>,
    memory: Option<yaml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(
    deny_unknown_fields,
    expecting = "a language (`title:`, `description:`, `name:`)"
)]
struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "an area's name: text, or one text per language (`en: ...`, `ru: ...`)"
)]
enum AreaName {
    One(String),
    PerLanguage(IndexMap<String, String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "Markdown settings (`allow_html:`)")]
struct RawMarkdown {
    allow_html: Option<bool>,
}

const FIELDS: &[&str] = &[
    "title",
    "base_url",
    "theme",
    "default_language",
    "timezone",
    "description",
    "languages",
    "fallback",
    "areas",
    "markdown",
    "news_per_page",
    "projects_per_page",
    "extra",
    "limits",
    "images",
];

impl Config {
    /// Reads and validates `root/site.yaml`. `base_url` overrides the file's value.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Errors> {
        let path = root.join(SITE_FILE);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(vec![Error::new(
                SITE_FILE,
                "site.yaml is a symbolic link; symbolic links are not followed",
            )
            .with_help("replace the link with a copy of the file")]);
        }
        let text = crate::source::read_file(&path).map_err(|e| {
            vec![Error::new(SITE_FILE, format!("cannot read the site settings: {e}"))
                .with_help(format!("run showcase in the site's folder or pass --root; the folder must hold a {SITE_FILE}"))]
        })?;
        let text = crate::source::decode_text(Path::new(SITE_FILE), &text).map_err(|e| vec![e])?;
        Config::parse(root, &text, base_url)
    }

    /// Validates the text of `site.yaml`.
    pub fn parse(root: &Path, text: &str, base_url: Option<&str>) -> Result<Config, Errors> {
        if let Some((line, column, c)) = crate::xmlchar::find_forbidden(text) {
            return Err(vec![crate::content::invisible_character(
                Path::new(SITE_FILE),
                line,
                column,
                c,
            )]);
        }
        let raw: RawConfig = yaml::from_str_unique_keys(text).map_err(|e| {
            let mut err = Error {
                line: e.line,
                column: e.column,
                help: e.help.clone(),
                ..Error::new(SITE_FILE, e.message.clone())
            };
            if let yaml::Problem::Unknown { parent, name, .. } = &*e.problem {
                if parent.is_empty() {
                    err.help = did_you_mean(name, FIELDS.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .or(err.help);
                }
            }
            // A number too large for YAML's integers fails before `per_page` sees it.
            if let yaml::Problem::Type { field, .. } = &*e.problem {
                for (key, default) in [("news_per_page", 20), ("projects_per_page", 48)] {
                    if field == key {
                        err = err.with_help(per_page_help(key, default));
                    }
                }
                // `languages: ru, kk`: the shape of the group, with the codes written.
                if field == "languages" {
                    err = err.with_help("write `languages:` alone on its line, then each language on a line of its own under it, indented by two spaces: `ru: { title: ... }`");
                }
            }
            vec![err]
        })?;
        let keys = KeyLines::scan(text);
        let at = |key: &str, msg: String| match keys.line(key) {
            Some(l) => Error::at(SITE_FILE, l, None, msg),
            None => Error::new(SITE_FILE, msg),
        };
        let mut errors = Vec::new();

        let default_language = raw.default_language.unwrap_or_else(|| "en".into());
        if !valid_language_code(&default_language) {
            errors.push(
                at(
                    "default_language",
                    format!("`{default_language}` is not a language code"),
                )
                .with_help("use a lowercase ISO 639 code such as `en`, `ru` or `kk`"),
            );
        }
        let mut languages = vec![Language {
            code: default_language.clone(),
            title: raw.title.clone(),
            description: raw.description.clone().unwrap_or_default(),
            name: language_name(&default_language),
        }];
        if let Some((meant, what, language)) =
            crate::source::mistaken_language_code(&default_language)
        {
            errors.push(
                at(
                    "default_language",
                    format!("`{default_language}` is {what}; {language} is `{meant}`"),
                )
                .with_help(format!("write `default_language: {meant}`")),
            );
        }
        for (code, l) in raw.languages.unwrap_or_default() {
            // `kz:` is the country; pages would be marked with a language that does not exist.
            if let Some((meant, what, language)) = crate::source::mistaken_language_code(&code) {
                let (line, col) = keys.find("languages", &code).unwrap_or((1, None));
                errors.push(
                    Error::at(
                        SITE_FILE,
                        line,
                        col,
                        format!("`{code}` is {what}; {language} is `{meant}`"),
                    )
                    .with_help(format!(
                        "write `{meant}:` under `languages:`, and name the files `….{meant}.md`"
                    )),
                );
                continue;
            }
            if !valid_language_code(&code) {
                let (line, col) = keys.find("languages", &code).unwrap_or((1, None));
                errors.push(
                    Error::at(
                        SITE_FILE,
                        line,
                        col,
                        format!("`{code}` is not a language code"),
                    )
                    .with_help("use a lowercase ISO 639 code such as `ru` or `kk`"),
                );
                continue;
            }
            if code == default_language {
                let d = &mut languages[0];
                d.title = l.title.unwrap_or_else(|| d.title.clone());
                d.description = l.description.unwrap_or_else(|| d.description.clone());
                d.name = l.name.unwrap_or_else(|| d.name.clone());
                continue;
            }
            languages.push(Language {
                title: l.title.unwrap_or_else(|| raw.title.clone()),
                description: l
                    .description
                    .unwrap_or_else(|| raw.description.clone().unwrap_or_default()),
                name: l.name.unwrap_or_else(|| language_name(&code)),
                code,
            });
        }
        let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();

        let fallback = match &raw.fallback {
            None => default_fallback(),
            Some(v) => parse_fallback(v, &codes, &keys, &mut errors),
        };

        let mut areas = IndexMap::new();
        for (key, name) in raw.areas.unwrap_or_default() {
            if !valid_key(&key) {
                let (line, col) = keys.find("areas", &key).unwrap_or((1, None));
                errors.push(
                    Error::at(
                        SITE_FILE,
                        line,
                        col,
                        format!("area key `{key}` is not a valid key"),
                    )
                    .with_help(
                        "use lowercase letters, digits and dashes, e.g. `video-surveillance`",
                    ),
                );
                continue;
            }
            // The key is the folder of the area's page (`/areas/<key>/`).
            if let Err(why) = crate::output::path::check_component(&key) {
                let (line, col) = keys.find("areas", &key).unwrap_or((1, None));
                errors.push(
                    Error::at(
                        SITE_FILE,
                        line,
                        col,
                        format!("area key `{key}` cannot be the folder of its page: {why}"),
                    )
                    .with_help("choose another key, e.g. `console-systems`; only the key is in the address, the name is what visitors read"),
                );
                continue;
            }
            let names = match name {
                AreaName::One(n) => IndexMap::from([(default_language.clone(), n)]),
                AreaName::PerLanguage(map) => map,
            };
            for lang in names.keys() {
                if !codes.contains(&lang.as_str()) {
                    let (line, col) = keys.find("areas", lang).unwrap_or((1, None));
                    errors.push(Error::at(
                        SITE_FILE,
                        line,
                        col,
                        format!("area `{key}` is named in `{lang}`, which is not a language of the site"),
                    ));
                }
            }
            if !names.contains_key(&default_language) {
                let (line, col) = keys.find("areas", &key).unwrap_or((1, None));
                errors.push(Error::at(
                    SITE_FILE,
                    line,
                    col,
                    format!(
                        "area `{key}` has no name in the default language `{default_language}`"
                    ),
                ));
            }
            areas.insert(key, names);
        }

        let timezone_name = raw.timezone.unwrap_or_else(|| "Asia/Almaty".into());
        let timezone = match jiff::tz::TimeZone::get(&timezone_name) {
            Ok(tz) => tz,
            Err(_) => {
                errors.push(
                    at("timezone", format!("unknown time zone `{timezone_name}`"))
                        .with_help("use an IANA name such as `Asia/Almaty` or `UTC`"),
                );
                jiff::tz::TimeZone::UTC
            }
        };

        // The flag wins over the file; an error names whichever the value came from.
        let (base_url, from_flag) = match (base_url, raw.base_url) {
            (Some(flag), _) => (flag.to_string(), true),
            (None, Some(v)) => (v, false),
            (None, None) => ("http://localhost".to_string(), false),
        };
        let (base_url, base_path) = match parse_base_url(&base_url) {
            Ok(parts) => parts,
            Err(why) => {
                let shown: String = base_url
                    .chars()
                    .flat_map(|c| {
                        if c.is_control() {
                            c.escape_default().collect::<Vec<_>>()
                        } else {
                            vec![c]
                        }
                    })
                    .collect();
                let msg = format!("`{shown}` is not a usable base URL: {why}");
                let help = "write the address the site is published at, like `https://showcase.example.kz` or `https://example.kz/showcase`: http or https, no spaces, quotes, `<`, `>`, `?` or `#`";
                errors.push(if from_flag {
                    Error::new("--base-url", msg).with_help(help)
                } else {
                    at("base_url", msg).with_help(help)
                });
                (String::new(), String::new())
            }
        };

        let news_per_page = per_page("news_per_page", raw.news_per_page, 20, &keys, &mut errors);
        // 48 cards of the default theme are about 45 KB of HTML: light on a phone, and
        // a whole number of rows in one to four columns.
        let projects_per_page = per_page(
            "projects_per_page",
            raw.projects_per_page,
            48,
            &keys,
            &mut errors,
        );

        let (max_file_size, render_time, page_size, memory) = match raw.limits {
            Some(l) => (l.max_file_size, l.render_time, l.page_size, l.memory),
            None => (None, None, None, None),
        };
        let mut render_limits = crate::render::budget::Limits::default();
        if let Some(v) = render_time {
            match seconds(&v) {
                Some(t) => render_limits.time = t,
                None => {
                    let (line, col) = keys.find("limits", "render_time").unwrap_or((1, None));
                    errors.push(
                        Error::at(SITE_FILE, line, col, "`render_time` is not a time").with_help(
                            "write a number of seconds from 0.1 to 3600, such as `10` or `2.5`",
                        ),
                    );
                }
            }
        }
        if let Some(v) = page_size {
            match parse_size(&v) {
                Some(n) if n >= 1024 => render_limits.bytes = n,
                _ => {
                    let (line, col) = keys.find("limits", "page_size").unwrap_or((1, None));
                    errors.push(
                        Error::at(
                            SITE_FILE,
                            line,
                            col,
                            "`page_size` is not a size of at least 1 KiB",
                        )
                        .with_help("write a size such as `32 MiB` or `500 KB`"),
                    );
                }
            }
        }
        if let Some(v) = memory {
            match parse_size(&v) {
                Some(n) if n >= 64 * 1024 * 1024 => render_limits.memory = n,
                _ => {
                    let (line, col) = keys.find("limits", "memory").unwrap_or((1, None));
                    errors.push(
                        Error::at(
                            SITE_FILE,
                            line,
                            col,
                            "`memory` is not a size of at least 64 MiB",
                        )
                        .with_help("write a size such as `4 GiB` or `800 MiB`"),
                    );
                }
            }
        }
        let max_file_size = match max_file_size {
            None => crate::source::MAX_TEXT_BYTES,
            Some(v) => match parse_size(&v) {
                Some(n) if n > 0 => n,
                _ => {
                    let (line, col) = keys.find("limits", "max_file_size").unwrap_or((1, None));
                    errors.push(
                        Error::at(SITE_FILE, line, col, "`max_file_size` is not a size").with_help(
                            "write a number of bytes, or a size such as `5 MiB` or `800 KB`",
                        ),
                    );
                    crate::source::MAX_TEXT_BYTES
                }
            },
        };

        let images = images_settings(raw.images, &keys, &mut errors);

        let theme = raw.theme.unwrap_or_else(|| "default".into());
        if !valid_key(&theme) {
            errors.push(at("theme", format!("`{theme}` is not a theme folder name")));
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title,
            description: raw.description.unwrap_or_default(),
            base_url,
            base_path,
            theme,
            timezone,
            timezone_name,
            languages,
            fallback,
            areas,
            allow_html: raw.markdown.and_then(|m| m.allow_html).unwrap_or(false),
            news_per_page,
            projects_per_page,
            max_file_size,
            images,
            render_limits,
            extra: raw
                .extra
                .as_ref()
                .map(yaml::to_json)
                .unwrap_or(serde_json::Value::Null),
        })
    }

    /// The default language's code.
    pub fn default_language(&self) -> &str {
        &self.languages[0].code
    }

    /// Whether `code` is one of the site's languages.
    pub fn has_language(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code == code)
    }

    /// Languages to try, in order, for a page or a UI string in `lang`: `lang` itself, then
    /// the languages `fallback:` gives for it, then the default language; languages the site
    /// does not have are skipped, each language comes once.
    pub fn fallback_chain(&self, lang: &str) -> Vec<String> {
        let mut chain = vec![lang.to_string()];
        chain.extend(self.fallback.get(lang).into_iter().flatten().cloned());
        chain.push(self.default_language().to_string());
        chain.retain(|l| self.has_language(l));
        let mut seen = Vec::new();
        chain.retain(|l| {
            let new = !seen.contains(l);
            seen.push(l.clone());
            new
        });
        chain
    }

    /// The name of area `key` in `lang`, falling back along the chain.
    pub fn area_name(&self, key: &str, lang: &str) -> Option<&str> {
        let names = self.areas.get(key)?;
        self.fallback_chain(lang)
            .iter()
            .find_map(|l| names.get(l))
            .map(String::as_str)
    }

    /// The URL prefix of a language: `""` for the default language, `/ru` for others.
    pub fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_language() {
            String::new()
        } else {
            format!("/{lang}")
        }
    }
}

/// Languages `fallback:` may name although the site does not have them: those of the
/// default chain, so that a site of two languages can keep the park's setting.
const KNOWN_LANGUAGES: &[&str] = &["kk", "ru", "en"];

/// The chains when site.yaml sets none: kk -> ru -> en, ru -> en, en -> ru.
fn default_fallback() -> IndexMap<String, Vec<String>> {
    [("kk", &["ru", "en"][..]), ("ru", &["en"]), ("en", &["ru"])]
        .into_iter()
        .map(|(l, c)| (l.to_string(), c.iter().map(|s| s.to_string()).collect()))
        .collect()
}

/// `fallback:` in either form: a list, one preference order for every language
/// (`[kk, ru, en]`: kk -> ru -> en, ru -> en), or a map of chains (`{kk: [ru, en], ru: [en]}`).
fn parse_fallback(
    value: &yaml::Value,
    codes: &[&str],
    keys: &KeyLines,
    errors: &mut Errors,
) -> IndexMap<String, Vec<String>> {
    let form_help =
        "write `fallback: { kk: [ru, en], ru: [en], en: [ru] }` or one order `fallback: [kk, ru, en]`";
    let check = |code: &str, errors: &mut Errors| {
        if !codes.contains(&code) && !KNOWN_LANGUAGES.contains(&code) {
            let (line, col) = keys.find("fallback", code).unwrap_or((1, None));
            errors.push(Error::at(
                SITE_FILE,
                line,
                col,
                format!(
                    "fallback language `{code}` is not one of the site's languages ({})",
                    codes.join(", ")
                ),
            ));
        }
    };
    let list = |v: &yaml::Value| -> Option<Vec<String>> {
        v.as_sequence()?
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect()
    };
    if let Some(order) = list(value) {
        order.iter().for_each(|c| check(c, errors));
        return order
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), order[i + 1..].to_vec()))
            .collect();
    }
    let mut chains = IndexMap::new();
    match value.as_mapping() {
        Some(map) => {
            for (k, v) in map {
                let (Some(lang), Some(chain)) = (k.as_str(), list(v)) else {
                    let line = keys.line("fallback").unwrap_or(1);
                    errors.push(
                        Error::at(
                            SITE_FILE,
                            line,
                            None,
                            "`fallback` maps each language to a list of languages",
                        )
                        .with_help(form_help),
                    );
                    continue;
                };
                check(lang, errors);
                chain.iter().for_each(|c| check(c, errors));
                chains.insert(lang.to_string(), chain);
            }
        }
        None => {
            let line = keys.line("fallback").unwrap_or(1);
            errors.push(
                Error::at(
                    SITE_FILE,
                    line,
                    None,
                    "`fallback` is neither a list nor a map of languages",
                )
                .with_help(form_help),
            );
        }
    }
    chains
}

/// A number of items a page (`news_per_page`, `projects_per_page`): a whole number from 1,
/// `default` when absent. Anything else is an error at the setting's line, and the default
/// stands in so that the other settings are still checked.
fn per_page(
    key: &str,
    value: Option<yaml::Value>,
    default: usize,
    keys: &KeyLines,
    errors: &mut Errors,
) -> usize {
    let Some(v) = value.filter(|v| !v.is_null()) else {
        return default;
    };
    match v.as_u64().and_then(|n| usize::try_from(n).ok()) {
        Some(n) if n >= 1 => n,
        _ => {
            let shown = match v.as_str() {
                Some(s) => format!("\"{}\"", s.chars().take(40).collect::<String>()),
                None => serde_json::to_string(&yaml::to_json(&v)).unwrap_or_default(),
            };
            errors.push(
                Error::at(
                    SITE_FILE,
                    keys.line(key).unwrap_or(1),
                    None,
                    format!("`{key}` is {shown}; it must be a whole number from 1"),
                )
                .with_help(per_page_help(key, default)),
            );
            default
        }
    }
}

/// The help of a wrong `news_per_page` or `projects_per_page`.
fn per_page_help(key: &str, default: usize) -> String {
    format!("write how many a page shows, a whole number such as `{key}: {default}` (the default)")
}

/// A number of seconds from 0.1 to 3600 (`10`, `2.5`), as a duration.
fn seconds(v: &yaml::Value) -> Option<std::time::Duration> {
    let n = v.as_f64()?;
    (0.1..=3600.0)
        .contains(&n)
        .then(|| std::time::Duration::from_secs_f64(n))
}

/// A size: a whole number of bytes, or a number with KB, MB, GB, KiB, MiB or GiB.
fn parse_size(v: &yaml::Value) -> Option<u64> {
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    let s = v.as_str()?.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = (
        s[..split].trim().parse::<f64>().ok()?,
        s[split..].trim().to_ascii_lowercase(),
    );
    let factor = match unit.as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some((num * factor) as u64)
}

/// The `images:` settings, each checked, defaults for those not given.
fn images_settings(
    raw: Option<RawImages>,
    keys: &KeyLines,
    errors: &mut Errors,
) -> crate::images::Settings {
    let mut s = crate::images::Settings::default();
    let Some(raw) = raw else { return s };
    let mut bad = |key: &str, message: &str, help: &str| {
        let (line, col) = keys.find("images", key).unwrap_or((1, None));
        errors
            .push(Error::at(SITE_FILE, line, col, message.to_string()).with_help(help.to_string()));
    };
    let widths_ok =
        |w: &[u32]| !w.is_empty() && w.len() <= 12 && w.iter().all(|&x| (16..=8192).contains(&x));
    if let Some(w) = raw.widths {
        if widths_ok(&w) {
            s.widths = w;
        } else {
            bad(
                "widths",
                "`images.widths` must list 1 to 12 widths from 16 to 8192 pixels",
                "for example `widths: [360, 720, 1080, 1440, 1920]`",
            );
        }
    }
    if let Some(t) = raw.thumbnails {
        if widths_ok(&t) {
            s.thumbnails = t;
        } else {
            bad(
                "thumbnails",
                "`images.thumbnails` must list 1 to 12 sizes from 16 to 8192 pixels",
                "for example `thumbnails: [96, 192]` (a 48-px and a 96-px logo at 2x density)",
            );
        }
    }
    if let Some(m) = raw.max_size {
        if (16..=16384).contains(&m) {
            s.max_size = m;
        } else {
            bad(
                "max_size",
                "`images.max_size` must be from 16 to 16384 pixels",
                "the longer side of the largest published copy, for example `max_size: 2400`",
            );
        }
    }
    if let Some(q) = raw.quality {
        if (1..=100).contains(&q) {
            s.quality = q;
        } else {
            bad(
                "quality",
                "`images.quality` must be from 1 to 100",
                "80 keeps photos sharp at a quarter of their size",
            );
        }
    }
    if let Some(m) = raw.warn_megapixels {
        if m.is_finite() && m > 0.0 {
            s.warn_pixels = (m * 1e6) as u64;
        } else {
            bad(
                "warn_megapixels",
                "`images.warn_megapixels` must be a positive number",
                "for example `warn_megapixels: 24`",
            );
        }
    }
    if let Some(v) = raw.warn_size {
        match parse_size(&v) {
            Some(n) if n > 0 => s.warn_bytes = n,
            _ => bad(
                "warn_size",
                "`images.warn_size` is not a size",
                "write a number of bytes, or a size such as `8 MB`",
            ),
        }
    }
    s
}

/// Whether `s` is a usable key (area, theme): lowercase letters, digits, dashes.
pub fn valid_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn valid_language_code(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase())
}

fn language_name(code: &str) -> String {
    match code {
        "en" => "English",
        "ru" => "Русский",
        "kk" => "Қазақша",
        other => other,
    }
    .to_string()
}

/// Characters refused anywhere in `base_url`: it is printed into attributes, XML and
/// scripts by every theme, so nothing in it may end a quoted value or a tag (RFC 3986
/// excludes them from URLs too), and `&` would have to be escaped in XML.
const BASE_URL_FORBIDDEN: &[char] = &['"', '\'', '<', '>', '`', '\\', '{', '}', '|', '^', '&'];

/// Checks `base_url` and returns it normalised (lowercase scheme and host, the host in
/// ASCII (IDNA), non-ASCII path characters percent-encoded, no trailing slash) with its path
/// (`https://x.kz/sub/` -> (`https://x.kz/sub`, `/sub`); `""` at a domain root). Parsing
/// follows the WHATWG URL standard (the `url` crate), as browsers do.
///
/// # Errors
/// Why the value is not an absolute http(s) URL without credentials, query or fragment.
pub fn parse_base_url(raw: &str) -> Result<(String, String), String> {
    if let Some(c) = raw.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it contains {}", describe_char(c)));
    }
    if let Some(c) = raw.chars().find(|c| BASE_URL_FORBIDDEN.contains(c)) {
        return Err(format!("it contains `{c}`"));
    }
    if raw.contains('?') {
        return Err("it has a query (`?`)".into());
    }
    if raw.contains('#') {
        return Err("it has a fragment (`#`)".into());
    }
    let url = url::Url::parse(raw).map_err(|e| format!("it is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "it starts with `{}:`, not http or https",
            url.scheme()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it holds a user name or password".into());
    }
    let host = url.host_str().unwrap_or("");
    if host.is_empty() {
        return Err("it has no host name".into());
    }
    if host.trim_end_matches('.').split('.').any(str::is_empty) {
        return Err(format!("the host name `{host}` has an empty part"));
    }
    if url.port() == Some(0) {
        return Err("port 0 cannot be reached".into());
    }
    // The path is copied into every URL as written: a `%` must start an escape.
    let bytes = raw.as_bytes();
    if let Some(i) = (0..bytes.len()).find(|&i| {
        bytes[i] == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    }) {
        return Err(format!(
            "`{}` is not a percent escape (write `%25` for a percent sign)",
            raw[i..].chars().take(3).collect::<String>()
        ));
    }
    let origin = url.origin().ascii_serialization();
    let path = url.path().trim_end_matches('/').to_string();
    Ok((format!("{origin}{path}"), path))
}

/// A character named for a message: visible ones as themselves, others by code point.
fn describe_char(c: char) -> String {
    if c == ' ' {
        "a space".to_string()
    } else {
        format!("the invisible character U+{:04X}", u32::from(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Errors> {
        Config::parse(Path::new("."), text, None)
    }

    #[test]
    fn defaults_and_languages() {
        let c = parse(
            "title: T\nbase_url: https://x.kz/sub/\nlanguages:\n  ru: {title: Т}\n  kk: {}\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "https://x.kz/sub");
        assert_eq!(c.base_path, "/sub");
        assert_eq!(
            c.languages
                .iter()
                .map(|l| l.code.as_str())
                .collect::<Vec<_>>(),
            ["en", "ru", "kk"]
        );
        assert_eq!(c.fallback_chain("kk"), ["kk", "ru", "en"]);
        assert_eq!(c.fallback_chain("ru"), ["ru", "en"]);
        assert_eq!(c.fallback_chain("en"), ["en", "ru"]);
        assert_eq!(c.lang_prefix("ru"), "/ru");
    }

    #[test]
    fn fallback_as_a_list_or_a_map() {
        let three = "title: T\nlanguages: {ru: {}, kk: {}}\n";
        let c = parse(three).unwrap();
        assert_eq!(c.fallback_chain("kk"), ["kk", "ru", "en"]);
        assert_eq!(c.fallback_chain("ru"), ["ru", "en"]);
        assert_eq!(c.fallback_chain("en"), ["en", "ru"]);
        let c = parse(&format!("{three}fallback: [kk, ru, en]\n")).unwrap();
        assert_eq!(c.fallback_chain("kk"), ["kk", "ru", "en"]);
        assert_eq!(c.fallback_chain("en"), ["en"]);
        let c = parse(&format!("{three}fallback: {{kk: [en], ru: [kk]}}\n")).unwrap();
        assert_eq!(c.fallback_chain("kk"), ["kk", "en"]);
        assert_eq!(c.fallback_chain("ru"), ["ru", "kk", "en"]);
        assert_eq!(c.fallback_chain("en"), ["en"]);
        // A language the site does not have is skipped; kk, ru and en may be named anyway.
        let c =
            parse("title: T\nlanguages: {ru: {}}\nfallback: {kk: [ru, en], ru: [en]}\n").unwrap();
        assert_eq!(c.fallback_chain("ru"), ["ru", "en"]);
        let e = parse(&format!("{three}fallback:\n  kk: [de]\n")).unwrap_err();
        assert_eq!(e[0].line, Some(4));
        assert!(e[0].message.contains("`de`"), "{}", e[0].message);
        let e = parse(&format!("{three}fallback: kk\n")).unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].help.as_deref().unwrap().contains("kk: [ru, en]"));
    }

    #[test]
    fn items_a_page_are_whole_numbers_from_one() {
        let c = parse("title: T\nprojects_per_page: 1\nnews_per_page: ~\n").unwrap();
        assert_eq!((c.projects_per_page, c.news_per_page), (1, 20));
        let c = parse("title: T\nprojects_per_page: 1000000000\n").unwrap();
        assert_eq!(c.projects_per_page, 1_000_000_000);
        for (value, shown) in [
            ("0", "0"),
            ("-1", "-1"),
            ("ten", "\"ten\""),
            ("\"48\"", "\"48\""),
            ("1.5", "1.5"),
            ("[]", "[]"),
            // Too large for YAML's integers: refused by the parser, with the same help.
            ("100000000000000000000000", "100000000000000000000000"),
        ] {
            let e = parse(&format!("title: T\nprojects_per_page: {value}\n")).unwrap_err();
            assert_eq!(e[0].line, Some(2), "{value}");
            assert!(e[0].message.contains(shown), "{value}: {}", e[0].message);
            assert_eq!(
                e[0].help.as_deref(),
                Some("write how many a page shows, a whole number such as `projects_per_page: 48` (the default)"),
                "{value}"
            );
        }
        let e = parse("title: T\nnews_per_page: 0\n").unwrap_err();
        assert!(e[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`news_per_page: 20`"));
    }

    #[test]
    fn area_keys_are_folder_names_on_every_system() {
        let e = parse(&format!(
            "title: T\nareas:\n  uav: UAV\n  con: Console\n  {}: Long\n",
            "a".repeat(201)
        ))
        .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!((e[0].line, e[0].column), (Some(4), Some(3)));
        assert!(e[0].message.starts_with("area key `con` cannot be the folder of its page: the name `con` cannot be a file on Windows"), "{}", e[0].message);
        assert!(e[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("choose another key"));
        assert_eq!(e[1].line, Some(5));
        assert!(parse("title: T\nareas: {console: Console, com10: X}\n").is_ok());
    }

    #[test]
    fn misspelt_field_gets_a_suggestion() {
        let e = parse("title: T\nthme: x\n").unwrap_err();
        assert_eq!(e[0].line, Some(2));
        assert_eq!(e[0].help.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn file_size_limit() {
        assert_eq!(parse("title: T\n").unwrap().max_file_size, 5 * 1024 * 1024);
        assert_eq!(
            parse("title: T\nlimits: {max_file_size: 1 MiB}\n")
                .unwrap()
                .max_file_size,
            1024 * 1024
        );
        assert_eq!(
            parse("title: T\nlimits: {max_file_size: 2000}\n")
                .unwrap()
                .max_file_size,
            2000
        );
        assert!(parse("title: T\nlimits: {max_file_size: lots}\n").is_err());
    }

    #[test]
    fn area_names_per_language() {
        let c = parse("title: T\nlanguages: {ru: {}}\nareas:\n  telecom: {en: Telecom, ru: Телеком}\n  satellite: Satellite\n").unwrap();
        assert_eq!(c.area_name("telecom", "ru"), Some("Телеком"));
        assert_eq!(c.area_name("satellite", "ru"), Some("Satellite"));
    }
}
