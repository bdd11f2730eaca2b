//! The theme's UI strings in every language (`themes/<theme>/i18n/<lang>.yaml`), each key
//! resolved along the site's fallback chain, and the language rules templates need: CLDR
//! plural categories and dates written with the theme's own pattern and month names (issue 7).
//! Nothing here asks the machine's locale: the same content gives the same pages everywhere.
//!
//! Invariant: a [`Catalog`] has a table for every language of the site, and every key that
//! the file of any site language defines is in every table (taken along the chain, else from
//! another language). What a language had to borrow is a warning, never an error: the page
//! still works.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::{IndexMap, IndexSet};
use jiff::civil::Date;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::error::{did_you_mean, Error, Errors};
use crate::source::TextFile;
use crate::yaml::{self, KeyLines};

/// One UI string: a text, or one text per plural form (`one`, `few`, `many`, `other`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// The same text for every number.
    Plain(String),
    /// Form name -> text; `other` is always there.
    Plural(IndexMap<String, String>),
}

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// `zero`
    Zero,
    /// `one`
    One,
    /// `two`
    Two,
    /// `few`
    Few,
    /// `many`
    Many,
    /// `other`
    Other,
}

/// The names of the plural forms, as written in i18n files.
pub const FORMS: &[&str] = &["zero", "one", "two", "few", "many", "other"];

impl Category {
    /// The form's name in i18n files.
    pub fn name(self) -> &'static str {
        match self {
            Category::Zero => "zero",
            Category::One => "one",
            Category::Two => "two",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }
}

/// The primary subtag of a language code (`ru` for `ru-KZ`), lowercased.
fn base(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The CLDR plural category of the whole number `n` (its absolute value) in `lang`. Rules
/// for integers: Russian `one` (1, 21, 101...), `few` (2-4, 22-24...), `many` (0, 5-20,
/// 25-30, 111...); Kazakh and English `one` (1) and `other`; any other language as English.
pub fn category(lang: &str, n: u64) -> Category {
    match base(lang).as_str() {
        "ru" => {
            let (m10, m100) = (n % 10, n % 100);
            if m10 == 1 && m100 != 11 {
                Category::One
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                Category::Few
            } else {
                Category::Many
            }
        }
        _ => {
            if n == 1 {
                Category::One
            } else {
                Category::Other
            }
        }
    }
}

/// The category of any number: whole numbers by [`category`], fractions are `other` in
/// all three languages (CLDR: "1,5 проекта", "1.5 projects").
pub fn category_of(lang: &str, n: f64) -> Category {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < u64::MAX as f64 {
        category(lang, n.abs() as u64)
    } else {
        Category::Other
    }
}

/// The forms whole numbers need in `lang` besides `other` (a map lacking one is warned about).
pub fn needed_forms(lang: &str) -> &'static [Category] {
    match base(lang).as_str() {
        "ru" => &[Category::One, Category::Few, Category::Many],
        _ => &[Category::One],
    }
}

/// Examples of numbers of a form, for messages.
fn examples(c: Category) -> &'static str {
    match c {
        Category::One => "1, 21, 101",
        Category::Few => "2, 3, 4, 22",
        Category::Many => "0, 5, 11, 25",
        _ => "",
    }
}

/// `n` as written in a text: whole numbers without a fraction.
fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The text of `text` for the number `n` in `lang`, with `{n}` replaced by the number.
pub fn plural_text(text: &Text, lang: &str, n: f64) -> String {
    let chosen = match text {
        Text::Plain(s) => s.as_str(),
        Text::Plural(forms) => {
            let c = category_of(lang, n);
            forms
                .get(c.name())
                .or_else(|| forms.get("other"))
                .map_or("", String::as_str)
        }
    };
    chosen.replace("{n}", &number_text(n))
}

/// Writes `date` by `pattern`: `YYYY` the year, `DD` the day of the month (without a leading
/// zero), `MONTH` the month's name from `months` (January first; the month's number when the
/// name is missing or empty). Everything else is copied: "DD MONTH YYYY г." -> "25 ноября 2026 г.".
pub fn format_date(date: Date, pattern: &str, months: &[&str]) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("YYYY") {
            out.push_str(&date.year().to_string());
            rest = r;
        } else if let Some(r) = rest.strip_prefix("MONTH") {
            let m = date.month() as usize;
            match months.get(m - 1).filter(|name| !name.is_empty()) {
                Some(name) => out.push_str(name),
                None => out.push_str(&m.to_string()),
            }
            rest = r;
        } else if let Some(r) = rest.strip_prefix("DD") {
            out.push_str(&date.day().to_string());
            rest = r;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The calendar day of a value templates get: `2026-11-25`, or an instant
/// (`2026-11-30T19:00:00Z`, `...+05:00`) taken in `tz`, or a date-time without an offset.
pub fn parse_date(value: &str, tz: &jiff::tz::TimeZone) -> Option<Date> {
    let value = value.trim();
    if let Ok(t) = value.parse::<jiff::Timestamp>() {
        return Some(t.to_zoned(tz.clone()).date());
    }
    if let Ok(d) = value.parse::<jiff::civil::DateTime>() {
        return Some(d.date());
    }
    value.parse::<Date>().ok()
}

/// Formats `value` with the strings `get` finds (`date_format`, `month_01`..`month_12`);
/// `pattern` overrides `date_format`.
fn date_with<'a>(
    value: &str,
    pattern: Option<&'a str>,
    get: impl Fn(&str) -> Option<&'a str>,
    tz: &jiff::tz::TimeZone,
) -> Result<String, String> {
    let date = parse_date(value, tz)
        .ok_or_else(|| format!("`{value}` is not a date (YYYY-MM-DD or an RFC 3339 date-time)"))?;
    let pattern = pattern.or_else(|| get("date_format"));
    // Without a pattern anywhere, the ISO form.
    let Some(pattern) = pattern else {
        return Ok(date.to_string());
    };
    let months: Vec<&str> = (1..=12)
        .map(|m| get(&format!("month_{m:02}")).unwrap_or(""))
        .collect();
    Ok(format_date(date, pattern, &months))
}

/// Every UI string of the theme, per language of the site, resolved along the fallback chain.
#[derive(Debug)]
pub struct Catalog {
    /// Language code -> key -> text.
    tables: HashMap<String, IndexMap<String, Text>>,
    /// The site's time zone: the day of an instant.
    timezone: jiff::tz::TimeZone,
}

/// A parsed i18n file.
struct File<'a> {
    origin: &'a Path,
    strings: IndexMap<String, Text>,
    keys: KeyLines,
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog {
            tables: HashMap::new(),
            timezone: jiff::tz::TimeZone::UTC,
        }
    }
}

impl Catalog {
    /// Parses the theme's i18n files (`<code>.yaml`) and resolves every key for every language
    /// of the site. Errors: a file that does not parse, a value that is empty or neither a
    /// text nor a map of plural forms, an unknown form, a plural map without `other`. Warnings (returned
    /// with the catalog): a key or plural form a language lacks, a language without a file.
    pub fn load(files: &[TextFile], config: &Config) -> Result<(Catalog, Errors), Errors> {
        let mut errors = Vec::new();
        let mut parsed: IndexMap<String, File<'_>> = IndexMap::new();
        for f in files {
            let Some(code) = f.name.strip_suffix(".yaml") else {
                continue;
            };
            if let Some(file) = parse_file(f, &mut errors) {
                parsed.insert(code.to_string(), file);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut warnings = Vec::new();
        let site_langs: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        // Every key of a site language's file, in the order of the default language's file.
        let mut all_keys: IndexSet<&str> = IndexSet::new();
        for l in &site_langs {
            if let Some(f) = parsed.get(*l) {
                all_keys.extend(f.strings.keys().map(String::as_str));
            }
        }
        // Where a missing file would be: next to the others.
        let folder = files
            .first()
            .and_then(|f| f.origin.parent())
            .map(Path::to_path_buf);
        let mut tables = HashMap::new();
        for lang in &site_langs {
            let chain = config.fallback_chain(lang);
            let own = parsed.get(*lang);
            if own.is_none() && !parsed.is_empty() {
                let borrowed = chain.iter().find(|l| parsed.contains_key(l.as_str()));
                let path = folder
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("i18n"))
                    .join(format!("{lang}.yaml"));
                warnings.push(
                    Error::new(
                        path,
                        format!(
                            "the theme has no UI strings for `{lang}`; {}",
                            match borrowed {
                                Some(b) => format!("the `{b}` strings are used"),
                                None => "the strings of another language are used".into(),
                            }
                        ),
                    )
                    .with_help(format!(
                        "add {lang}.yaml to the theme's i18n folder, with the keys of the other files"
                    )),
                );
            }
            let mut table = IndexMap::new();
            for key in &all_keys {
                let from_chain = chain
                    .iter()
                    .find_map(|l| Some((l.as_str(), parsed.get(l)?.strings.get(*key)?)));
                let found = from_chain.or_else(|| {
                    site_langs
                        .iter()
                        .find_map(|l| Some((*l, parsed.get(*l)?.strings.get(*key)?)))
                });
                let Some((source, text)) = found else {
                    continue;
                };
                if let Some(file) = own {
                    if source != *lang {
                        let theirs = parsed.get(source).map(|f| f.origin.display().to_string());
                        warnings.push(
                            Error::new(
                                file.origin,
                                format!(
                                    "the UI string `{key}` is missing; the `{source}` text is used"
                                ),
                            )
                            .with_help(format!(
                                "add `{key}:` to this file{}",
                                theirs
                                    .map(|t| format!(" (translate it from {t})"))
                                    .unwrap_or_default()
                            )),
                        );
                    } else if let Text::Plural(forms) = text {
                        for c in needed_forms(lang) {
                            if !forms.contains_key(c.name()) {
                                let line = file.keys.line(key).unwrap_or(1);
                                warnings.push(
                                    Error::at(
                                        file.origin,
                                        line,
                                        None,
                                        format!(
                                            "`{key}` has no `{}` form, which `{lang}` needs for numbers such as {}; the `other` form is used",
                                            c.name(),
                                            examples(*c)
                                        ),
                                    )
                                    .with_help(format!("add `{}:` under `{key}:`", c.name())),
                                );
                            }
                        }
                    }
                }
                table.insert((*key).to_string(), text.clone());
            }
            tables.insert((*lang).to_string(), table);
        }
        Ok((
            Catalog {
                tables,
                timezone: config.timezone.clone(),
            },
            warnings,
        ))
    }

    /// The strings of `lang` (a language of the site).
    pub fn table(&self, lang: &str) -> Option<&IndexMap<String, Text>> {
        self.tables.get(lang)
    }

    /// The strings of `lang` as templates see them (`t`): a text for a plain string, the map
    /// of forms for a plural one.
    pub fn json(&self, lang: &str) -> Map<String, Value> {
        self.table(lang)
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                let v = match v {
                    Text::Plain(s) => Value::String(s.clone()),
                    Text::Plural(forms) => Value::Object(
                        forms
                            .iter()
                            .map(|(f, s)| (f.clone(), Value::String(s.clone())))
                            .collect(),
                    ),
                };
                (k.clone(), v)
            })
            .collect()
    }

    fn table_or_err(&self, lang: &str) -> Result<&IndexMap<String, Text>, String> {
        self.table(lang).ok_or_else(|| {
            let mut langs: Vec<&str> = self.tables.keys().map(String::as_str).collect();
            langs.sort_unstable();
            format!(
                "`{lang}` is not a language of the site ({}); pass `lang=lang`",
                langs.join(", ")
            )
        })
    }

    /// The UI string `key` for the number `n` in `lang`.
    pub fn plural(&self, lang: &str, key: &str, n: f64) -> Result<String, String> {
        let table = self.table_or_err(lang)?;
        let text = table.get(key).ok_or_else(|| {
            let hint = did_you_mean(key, table.keys().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!("no UI string `{key}` in the theme's i18n files{hint}")
        })?;
        Ok(plural_text(text, lang, n))
    }

    /// `value` (a date or an instant) written the way `lang` writes dates.
    pub fn date(&self, lang: &str, value: &str, pattern: Option<&str>) -> Result<String, String> {
        let table = self.table_or_err(lang)?;
        date_with(
            value,
            pattern,
            |k| match table.get(k) {
                Some(Text::Plain(s)) => Some(s.as_str()),
                _ => None,
            },
            &self.timezone,
        )
    }
}

/// One i18n file: a map of key -> text or key -> {form: text}.
fn parse_file<'a>(f: &'a TextFile, errors: &mut Errors) -> Option<File<'a>> {
    let raw: IndexMap<String, yaml::Value> = if f.text.trim().is_empty() {
        IndexMap::new()
    } else {
        match yaml::from_str_unique_keys(&f.text) {
            Ok(m) => m,
            Err(e) => {
                errors.push(Error {
                    line: e.line,
                    column: e.column,
                    help: e.help,
                    ..Error::new(&f.origin, e.message)
                });
                return None;
            }
        }
    };
    let keys = KeyLines::scan(&f.text);
    let mut strings = IndexMap::new();
    let before = errors.len();
    for (key, value) in raw {
        let line = keys.line(&key).unwrap_or(1);
        let scalar = |v: &yaml::Value| match v {
            yaml::Value::String(s) => Some(s.clone()),
            yaml::Value::Number(n) => Some(n.to_string()),
            yaml::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        // A UI string is text: a number or `True` is kept as written (`1.10`, not `1.1`).
        let written = || {
            let text = f.text.lines().nth(line.checked_sub(1)?)?;
            let v = text
                .strip_prefix(key.as_str())?
                .trim_start()
                .strip_prefix(':')?;
            let v = v.split(" #").next()?.trim();
            (!v.is_empty()).then(|| v.to_string())
        };
        if matches!(value, yaml::Value::Number(_) | yaml::Value::Bool(_)) {
            if let Some(s) = written() {
                strings.insert(key, Text::Plain(s));
                continue;
            }
        }
        if let Some(s) = scalar(&value) {
            strings.insert(key, Text::Plain(s));
            continue;
        }
        let Some(map) = value.as_mapping() else {
            // An empty value is the likelier slip than a list: name what was written.
            let what = match value {
                yaml::Value::Null => "has no text",
                yaml::Value::Sequence(_) => "is a list, not a text or one text per plural form",
                _ => "is neither a text nor one text per plural form",
            };
            errors.push(
                Error::at(&f.origin, line, None, format!("`{key}` {what}"))
                    .with_help(format!("write `{key}: \"text\"`, or `{key}: {{one: \"{{n}} item\", other: \"{{n}} items\"}}`")),
            );
            continue;
        };
        let mut forms = IndexMap::new();
        for (form, text) in map {
            let (Some(form), Some(text)) = (form.as_str(), scalar(text)) else {
                errors.push(
                    Error::at(
                        &f.origin,
                        line,
                        None,
                        format!("`{key}`: each plural form is a name and a text"),
                    )
                    .with_help("write `one: \"{n} item\"` under the key, one line per form"),
                );
                continue;
            };
            if !FORMS.contains(&form) {
                let (l, c) = keys.find(&key, form).unwrap_or((line, None));
                let mut e = Error::at(
                    &f.origin,
                    l,
                    c,
                    format!("`{key}`: `{form}` is not a plural form"),
                );
                e = match did_you_mean(form, FORMS.iter().copied()) {
                    Some(s) => e.with_help(format!("did you mean `{s}`?")),
                    None => e.with_help(format!("the forms are {}", FORMS.join(", "))),
                };
                errors.push(e);
                continue;
            }
            forms.insert(form.to_string(), text);
        }
        if !forms.contains_key("other") {
            errors.push(
                Error::at(&f.origin, line, None, format!("`{key}` has no `other` form"))
                    .with_help("every plural text needs `other:`, used for fractions and for any form a language lacks"),
            );
            continue;
        }
        strings.insert(key, Text::Plural(forms));
    }
    (errors.len() == before).then_some(File {
        origin: &f.origin,
        strings,
        keys,
    })
}

/// A number argument of a template helper (`n=3`, `n=pages | length`, `n="3"`, or a list,
/// counted).
fn number_arg(v: Option<&tera::Value>, what: &str) -> tera::TeraResult<f64> {
    let Some(v) = v else {
        return Err(tera::Error::message(format!(
            "{what}: the number `n` is missing"
        )));
    };
    if let Some(n) = v.as_f64() {
        return Ok(n);
    }
    if let Some(s) = v.as_str() {
        return s
            .trim()
            .parse()
            .map_err(|_| tera::Error::message(format!("{what}: `{s}` is not a number")));
    }
    if let Some(a) = v.as_array() {
        return Ok(a.len() as f64);
    }
    Err(tera::Error::message(format!(
        "{what}: expected a number, got {v}"
    )))
}

/// The language a helper works in: its `lang=` argument when given (a demo card may show an
/// item in another language than the page's), else the page's `lang` from the render state.
/// A component sees only its arguments: it declares `@lang` to take the caller's.
fn lang_of(kwargs: &tera::Kwargs, state: &tera::State, what: &str) -> tera::TeraResult<String> {
    if let Some(v) = kwargs.get::<tera::Value>("lang")? {
        return match v.as_str() {
            Some(s) => Ok(s.to_string()),
            None => Err(tera::Error::message(format!(
                "{what}: `lang` must be a string, got {v}"
            ))),
        };
    }
    match state.get::<tera::Value>("lang")? {
        Some(v) if v.as_str().is_some() => Ok(v.as_str().unwrap_or_default().to_string()),
        _ => Err(tera::Error::message(format!(
            "{what}: the page's language is not visible here; inside a component, declare \
             `@lang` among its arguments (`{{% component name(value, @lang) %}}`)"
        ))),
    }
}

/// Registers the template helpers over `catalog`:
/// - `plural(key=KEY, n=N)` (function) and `N | plural(key=KEY)` (filter): the UI string KEY
///   for the number N, `{n}` replaced;
/// - `VALUE | date` (filter), optional `format="MONTH YYYY"`: a date or instant written the
///   way the language writes dates.
///
/// Both work in the page's language, read from the render state (`lang` of the context); an
/// explicit `lang=CODE` (or, for `date`, `t=t`) still chooses another.
pub(crate) fn register(tera: &mut tera::Tera, catalog: Arc<Catalog>) {
    let c = Arc::clone(&catalog);
    tera.register_function(
        "plural",
        move |args: tera::Kwargs, state: &tera::State| -> tera::TeraResult<String> {
            crate::render::budget::check()?;
            let key: &str = args.must_get("key").map_err(|e| in_helper("plural", e))?;
            let lang = lang_of(&args, state, "plural")?;
            let n = number_arg(args.get::<tera::Value>("n")?.as_ref(), "plural")?;
            c.plural(&lang, key, n)
                .map_err(|e| tera::Error::message(format!("plural: {e}")))
        },
    );
    let c = Arc::clone(&catalog);
    tera.register_filter(
        "plural",
        move |value: tera::Value,
              args: tera::Kwargs,
              state: &tera::State|
              -> tera::TeraResult<String> {
            crate::render::budget::check()?;
            let key: &str = args.must_get("key").map_err(|e| in_helper("plural", e))?;
            let lang = lang_of(&args, state, "plural")?;
            let n = number_arg(Some(&value), "plural")?;
            c.plural(&lang, key, n)
                .map_err(|e| tera::Error::message(format!("plural: {e}")))
        },
    );
    let c = catalog;
    tera.register_filter(
        "date",
        move |value: tera::Value,
              args: tera::Kwargs,
              state: &tera::State|
              -> tera::TeraResult<String> {
            crate::render::budget::check()?;
            let Some(value) = value.as_str() else {
                return Err(tera::Error::message(format!(
                    "date: expected a date such as \"2026-11-25\", got {value}"
                )));
            };
            let pattern = match args.get::<tera::Value>("format")? {
                None => None,
                Some(v) => match v.as_str() {
                    Some(s) => Some(s.to_string()),
                    None => {
                        return Err(tera::Error::message(format!(
                            "date: `format` must be a string, got {v}"
                        )))
                    }
                },
            };
            let result = match args.get::<tera::Value>("t")? {
                Some(t) if t.as_map().is_some() => date_with(
                    value,
                    pattern.as_deref(),
                    |k| {
                        t.as_map()
                            .and_then(|m| m.iter().find(|(key, _)| key.as_str() == Some(k)))
                            .and_then(|(_, v)| v.as_str())
                    },
                    &c.timezone,
                ),
                _ => {
                    let lang = lang_of(&args, state, "date")?;
                    c.date(&lang, value, pattern.as_deref())
                }
            };
            result.map_err(|e| tera::Error::message(format!("date: {e}")))
        },
    );
}

/// A Tera argument error, said in the helper's name.
fn in_helper(what: &str, e: tera::Error) -> tera::Error {
    tera::Error::message(format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERS: [u64; 10] = [0, 1, 2, 5, 11, 21, 22, 25, 101, 111];

    fn forms(pairs: &[(&str, &str)]) -> Text {
        Text::Plural(
            pairs
                .iter()
                .map(|(f, t)| (f.to_string(), t.to_string()))
                .collect(),
        )
    }

    #[test]
    fn russian_plural_categories() {
        use Category::*;
        let got: Vec<Category> = NUMBERS.iter().map(|&n| category("ru", n)).collect();
        assert_eq!(
            got,
            [Many, One, Few, Many, Many, One, Few, Many, One, Many],
            "0 1 2 5 11 21 22 25 101 111"
        );
        assert_eq!(category("ru", 12), Many);
        assert_eq!(category("ru", 14), Many);
        assert_eq!(category("ru", 1004), Few);
        assert_eq!(category_of("ru", 1.5), Other);
        assert_eq!(category_of("ru", -21.0), One);
    }

    #[test]
    fn kazakh_english_and_unknown_languages_have_one_and_other() {
        for lang in ["kk", "en", "de", "ru"] {
            if lang == "ru" {
                continue;
            }
            for n in NUMBERS {
                let expected = if n == 1 {
                    Category::One
                } else {
                    Category::Other
                };
                assert_eq!(category(lang, n), expected, "{lang} {n}");
            }
            assert_eq!(category_of(lang, 1.5), Category::Other);
        }
    }

    #[test]
    fn plural_texts_for_every_number_in_three_languages() {
        let ru = forms(&[
            ("one", "{n} проект"),
            ("few", "{n} проекта"),
            ("many", "{n} проектов"),
            ("other", "{n} проекта"),
        ]);
        let kk = forms(&[("one", "{n} жоба"), ("other", "{n} жоба")]);
        let en = forms(&[("one", "{n} project"), ("other", "{n} projects")]);
        let all = |text: &Text, lang: &str| -> Vec<String> {
            NUMBERS
                .iter()
                .map(|&n| plural_text(text, lang, n as f64))
                .collect()
        };
        assert_eq!(
            all(&ru, "ru"),
            [
                "0 проектов",
                "1 проект",
                "2 проекта",
                "5 проектов",
                "11 проектов",
                "21 проект",
                "22 проекта",
                "25 проектов",
                "101 проект",
                "111 проектов"
            ]
        );
        assert_eq!(plural_text(&ru, "ru", 3.0), "3 проекта");
        assert_eq!(plural_text(&ru, "ru", 1.5), "1.5 проекта");
        assert_eq!(
            all(&en, "en"),
            [
                "0 projects",
                "1 project",
                "2 projects",
                "5 projects",
                "11 projects",
                "21 projects",
                "22 projects",
                "25 projects",
                "101 projects",
                "111 projects"
            ]
        );
        assert_eq!(
            all(&kk, "kk"),
            NUMBERS
                .iter()
                .map(|n| format!("{n} жоба"))
                .collect::<Vec<_>>()
        );
        // A map without the form a number needs uses `other`; a plain text fits every number.
        let short = forms(&[("one", "{n} проект"), ("other", "{n} пр.")]);
        assert_eq!(plural_text(&short, "ru", 5.0), "5 пр.");
        assert_eq!(
            plural_text(&Text::Plain("Проектов: {n}".into()), "ru", 21.0),
            "Проектов: 21"
        );
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const RU: [&str; 12] = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    const KK: [&str; 12] = [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ];

    #[test]
    fn dates_in_three_languages() {
        let day = d("2026-11-25");
        assert_eq!(format_date(day, "DD MONTH YYYY", &EN), "25 November 2026");
        assert_eq!(
            format_date(day, "DD MONTH YYYY г.", &RU),
            "25 ноября 2026 г."
        );
        assert_eq!(
            format_date(day, "YYYY жылғы DD MONTH", &KK),
            "2026 жылғы 25 қараша"
        );
        // No leading zero; every month by its own name.
        assert_eq!(
            format_date(d("2026-01-05"), "DD MONTH YYYY г.", &RU),
            "5 января 2026 г."
        );
        for (i, name) in KK.iter().enumerate() {
            let date = Date::new(2025, i as i8 + 1, 1).unwrap();
            assert_eq!(
                format_date(date, "YYYY жылғы DD MONTH", &KK),
                format!("2025 жылғы 1 {name}")
            );
        }
        // Missing month names: the month's number.
        assert_eq!(format_date(day, "DD.MONTH.YYYY", &[]), "25.11.2026");
    }

    #[test]
    fn instants_are_days_in_the_site_time_zone() {
        let almaty = jiff::tz::TimeZone::get("Asia/Almaty").unwrap();
        // 19:00 UTC on the 30th is already December 1st in Almaty (UTC+5).
        assert_eq!(
            parse_date("2026-11-30T19:00:00Z", &almaty),
            Some(d("2026-12-01"))
        );
        assert_eq!(
            parse_date("2026-12-01T09:00:00+05:00", &almaty),
            Some(d("2026-12-01"))
        );
        assert_eq!(
            parse_date("2026-12-01T09:00", &almaty),
            Some(d("2026-12-01"))
        );
        assert_eq!(parse_date("2026-02-30", &almaty), None);
        assert_eq!(parse_date("soon", &almaty), None);
    }

    fn catalog(files: &[(&str, &str)], site: &str) -> Result<(Catalog, Errors), Errors> {
        let config = Config::parse(Path::new("."), site, None).unwrap();
        let files: Vec<TextFile> = files
            .iter()
            .map(|(name, text)| TextFile {
                name: name.to_string(),
                origin: PathBuf::from("themes/t/i18n").join(name),
                text: text.to_string(),
            })
            .collect();
        Catalog::load(&files, &config)
    }

    const SITE: &str = "title: T\nlanguages: {ru: {}, kk: {}}\n";

    #[test]
    fn missing_keys_follow_the_chain_and_are_warned_about() {
        let (c, warnings) = catalog(
            &[
                ("en.yaml", "projects: Projects\nnews: News\nonly_en: E\n"),
                ("ru.yaml", "projects: Проекты\nnews: Новости\n"),
                ("kk.yaml", "projects: Жобалар\n"),
            ],
            SITE,
        )
        .unwrap();
        let kk = c.json("kk");
        assert_eq!(kk["projects"], "Жобалар");
        assert_eq!(kk["news"], "Новости", "kk -> ru");
        assert_eq!(kk["only_en"], "E", "kk -> ru -> en");
        assert_eq!(c.json("ru")["only_en"], "E");
        let text: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert!(text.contains(&"themes/t/i18n/kk.yaml: the UI string `news` is missing; the `ru` text is used\n  help: add `news:` to this file (translate it from themes/t/i18n/ru.yaml)".to_string()), "{text:#?}");
        assert!(text
            .iter()
            .any(|w| w.starts_with("themes/t/i18n/ru.yaml: the UI string `only_en`")));
        assert_eq!(warnings.len(), 3, "{text:#?}");
    }

    #[test]
    fn numbers_and_true_are_kept_as_written() {
        let (c, _) = catalog(
            &[(
                "en.yaml",
                "version: 1.10\nflag: True  # a note\nyear: 2026\n",
            )],
            "title: T\n",
        )
        .unwrap();
        let en = c.json("en");
        assert_eq!(
            (&en["version"], &en["flag"], &en["year"]),
            (&"1.10".into(), &"True".into(), &"2026".into())
        );
    }

    #[test]
    fn a_key_only_later_in_no_chain_is_still_found() {
        // en falls back to nothing but itself here, yet kk's key is used rather than failing.
        let (c, w) = catalog(
            &[("en.yaml", "a: A\n"), ("kk.yaml", "a: А\nb: Б\n")],
            "title: T\nlanguages: {kk: {}}\nfallback: {en: []}\n",
        )
        .unwrap();
        assert_eq!(c.json("en")["b"], "Б");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn a_language_without_a_file_borrows_along_the_chain() {
        let (c, w) = catalog(&[("en.yaml", "a: A\n"), ("ru.yaml", "a: Б\n")], SITE).unwrap();
        assert_eq!(c.json("kk")["a"], "Б");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, PathBuf::from("themes/t/i18n/kk.yaml"));
        assert!(
            w[0].message.contains("the `ru` strings are used"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn plural_maps_are_checked() {
        let (c, w) = catalog(
            &[
                (
                    "en.yaml",
                    "n_projects: {one: \"{n} project\", other: \"{n} projects\"}\n",
                ),
                (
                    "ru.yaml",
                    "n_projects:\n  one: \"{n} проект\"\n  other: \"{n} проекта\"\n",
                ),
                (
                    "kk.yaml",
                    "n_projects: {one: \"{n} жоба\", other: \"{n} жоба\"}\n",
                ),
            ],
            SITE,
        )
        .unwrap();
        assert_eq!(c.plural("ru", "n_projects", 21.0).unwrap(), "21 проект");
        assert_eq!(c.plural("ru", "n_projects", 5.0).unwrap(), "5 проекта");
        assert_eq!(c.plural("kk", "n_projects", 5.0).unwrap(), "5 жоба");
        let text: Vec<String> = w.iter().map(|w| w.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:#?}");
        assert!(text[0].starts_with("themes/t/i18n/ru.yaml:1: `n_projects` has no `few` form"));
        assert!(c.json("en")["n_projects"].is_object());
        assert!(c
            .plural("en", "n_project", 1.0)
            .unwrap_err()
            .contains("did you mean `n_projects`?"));
        assert!(c.plural("de", "n_projects", 1.0).is_err());

        let e = catalog(
            &[(
                "en.yaml",
                "a:\n  one: x\n  fev: y\n  other: z\nb: {one: x}\nc: [x]\n",
            )],
            SITE,
        )
        .unwrap_err();
        let text: Vec<String> = e.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            text,
            [
                "themes/t/i18n/en.yaml:3:3: `a`: `fev` is not a plural form\n  help: did you mean `few`?",
                "themes/t/i18n/en.yaml:5: `b` has no `other` form\n  help: every plural text needs `other:`, used for fractions and for any form a language lacks",
                "themes/t/i18n/en.yaml:6: `c` is a list, not a text or one text per plural form\n  help: write `c: \"text\"`, or `c: {one: \"{n} item\", other: \"{n} items\"}`",
            ]
        );
    }

    #[test]
    fn dates_from_the_catalog() {
        let (c, _) = catalog(
            &[
                (
                    "en.yaml",
                    "date_format: DD MONTH YYYY\nmonth_11: November\n",
                ),
                (
                    "ru.yaml",
                    "date_format: DD MONTH YYYY г.\nmonth_11: ноября\n",
                ),
                (
                    "kk.yaml",
                    "date_format: YYYY жылғы DD MONTH\nmonth_11: қараша\n",
                ),
            ],
            SITE,
        )
        .unwrap();
        assert_eq!(
            c.date("en", "2026-11-25", None).unwrap(),
            "25 November 2026"
        );
        assert_eq!(
            c.date("ru", "2026-11-25", None).unwrap(),
            "25 ноября 2026 г."
        );
        assert_eq!(
            c.date("kk", "2026-11-25", None).unwrap(),
            "2026 жылғы 25 қараша"
        );
        // A month without a name: its number.
        assert_eq!(c.date("en", "2026-10-25", None).unwrap(), "25 10 2026");
        let (c, _) = catalog(
            &[(
                "kk.yaml",
                &format!(
                    "date_format: YYYY жылғы DD MONTH\n{}",
                    KK.iter()
                        .enumerate()
                        .map(|(i, m)| format!("month_{:02}: {m}\n", i + 1))
                        .collect::<String>()
                ),
            )],
            "title: T\ndefault_language: kk\n",
        )
        .unwrap();
        assert_eq!(
            c.date("kk", "2026-11-25", None).unwrap(),
            "2026 жылғы 25 қараша"
        );
        assert_eq!(
            c.date("kk", "2026-11-25", Some("MONTH YYYY")).unwrap(),
            "қараша 2026"
        );
        assert!(c.date("kk", "25.11.2026", None).is_err());
    }
}
