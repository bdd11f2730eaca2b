//! `showcase new`: a ready-to-fill content file from the theme's archetype, named after a slug
//! made from the title (Cyrillic transliterated).
//!
//! Invariant: never overwrites: the file is created with `create_new`, and any other form of
//! the same item (`NAME.md`, `NAME/`, `NAME.yaml`) makes it refuse.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::source::Theme;

/// Kinds `new` can create, with their section folder.
pub const KINDS: &[(&str, &str)] = &[
    ("project", "projects"),
    ("cohort", "cohorts"),
    ("demo", "demos"),
    ("news", "news"),
    ("page", "pages"),
];

/// Creates a new content file and returns its path relative to `root`.
pub fn create(
    root: &Path,
    kind: &str,
    title: &str,
    lang: Option<&str>,
    today: jiff::civil::Date,
) -> Result<PathBuf, Error> {
    let section = KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            Error::new(kind, format!("`{kind}` is not a kind of item"))
                .with_help("use one of: project, cohort, demo, news, page")
        })?;
    let config = crate::config::Config::load(root, None).map_err(|mut e| e.remove(0))?;
    let lang = lang.unwrap_or(config.default_language());
    if !config.has_language(lang) {
        return Err(Error::new(
            crate::config::SITE_FILE,
            format!("`{lang}` is not a language of this site"),
        ));
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::new(
            "(title)",
            format!("cannot make a URL slug from the title `{title}`"),
        )
        .with_help("use a title with letters or digits"));
    }
    let dir = PathBuf::from("content").join(section);
    let translation = lang != config.default_language();
    // A translation sits next to its original (same name, same form): without one it
    // would be an orphan that `check` refuses, so `new` refuses it first.
    let (name, bundle) = if translation {
        original(&root.join(&dir), kind, &slug).ok_or_else(|| {
            Error::new(
                dir.join(format!("{slug}.md")),
                format!("no original {}/{slug}.md; a translation needs one", dir.display()),
            )
            .with_help(format!(
                "create it first with `showcase new {kind} \"{title}\"` (in {}), then translate it with --lang {lang}",
                config.default_language()
            ))
        })?
    } else if kind == "news" {
        (format!("{today}-{slug}"), false)
    } else {
        (slug.clone(), false)
    };
    let suffix = if translation {
        format!(".{lang}")
    } else {
        String::new()
    };
    let rel = if bundle {
        dir.join(&name).join(format!("index{suffix}.md"))
    } else {
        dir.join(format!("{name}{suffix}.md"))
    };
    for other in [
        format!("{name}{suffix}.md"),
        format!("{name}{suffix}.yaml"),
        format!("{name}/index{suffix}.md"),
        format!("{name}/index{suffix}.yaml"),
    ] {
        if root.join(&dir).join(&other).exists() {
            return Err(Error::new(
                dir.join(&other),
                "this item already exists; nothing was written",
            )
            .with_help("choose another title, or edit the existing file"));
        }
    }
    let theme = Theme::named(root, &config.theme);
    let (origin, text) = theme.archetype(kind).ok_or_else(|| {
        Error::new(
            format!("themes/{}/archetypes/{kind}.md", config.theme),
            "the theme has no archetype for this kind",
        )
    })?;
    let mut ctx = tera::Context::new();
    ctx.insert("title", title);
    ctx.insert("slug", &slug);
    ctx.insert("date", &today.to_string());
    ctx.insert("lang", lang);
    // A translation carries only the text fields: facts come from the original.
    ctx.insert("translation", &translation);
    // Valid choices, so that the new file checks at once and its comments can list them.
    ctx.insert("areas", &config.areas.keys().collect::<Vec<_>>());
    ctx.insert("cohorts", &cohort_slugs(root));
    // `Tera::one_off` sees no custom filter: the archetypes need `json_encode`, which Tera 2
    // no longer has built in.
    let mut tera = tera::Tera::default();
    tera.register_filter("json_encode", json_encode);
    let body = tera
        .render_str(&text, &ctx, false)
        .map_err(|e| Error::new(&origin, format!("the archetype does not render: {e}")))?;
    // Never write through a link: `content/` or the section folder may point elsewhere.
    for folder in [PathBuf::from("content"), dir.clone()] {
        if std::fs::symlink_metadata(root.join(&folder)).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::new(
                &folder,
                "symbolic links are not followed; nothing was written",
            )
            .with_help("replace the link with the folder itself"));
        }
    }
    let folder = rel.parent().unwrap_or(&dir);
    std::fs::create_dir_all(root.join(folder))
        .map_err(|e| Error::new(folder, format!("cannot create the folder: {e}")))?;
    // `create_new` fails on any existing name, a dangling link included.
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(root.join(&rel))
        .map_err(|e| {
            Error::new(&rel, format!("cannot create the file: {e}"))
                .with_help("nothing was overwritten")
        })?;
    file.write_all(body.as_bytes())
        .map_err(|e| Error::new(&rel, format!("cannot write: {e}")))?;
    Ok(rel)
}

/// The original of a translation of the item `slug` in the section folder `dir`: its file
/// name without extension (a news item's starts with its date, whatever day it was) and
/// whether it is a bundle (`NAME/index.md`). `None` when there is no original.
fn original(dir: &Path, kind: &str, slug: &str) -> Option<(String, bool)> {
    let names = std::fs::read_dir(dir).into_iter().flatten().flatten();
    names.into_iter().find_map(|e| {
        let file = e.file_name().to_string_lossy().to_string();
        let path = e.path();
        let bundle = path.is_dir();
        let stem = if bundle {
            let has_index = ["index.md", "index.yaml"]
                .iter()
                .any(|i| path.join(i).is_file());
            has_index.then_some(file.as_str())?
        } else {
            file.strip_suffix(".md")
                .or_else(|| file.strip_suffix(".yaml"))?
        };
        let name_slug = match stem.get(10..) {
            Some(rest) if kind == "news" && rest.starts_with('-') && stem.as_bytes()[4] == b'-' => {
                &rest[1..]
            }
            _ => stem,
        };
        (name_slug == slug).then(|| (stem.to_string(), bundle))
    })
}

/// The `json_encode` filter of archetypes: `value` as JSON text, which is also a quoted YAML
/// scalar (the new file keeps its characters as typed, as under Tera 1).
fn json_encode(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    serde_json::to_string(&value).map_err(|e| tera::Error::message(format!("json_encode: {e}")))
}

/// Slugs of the cohorts on disk, newest name first (cohort files are usually named by date).
fn cohort_slugs(root: &Path) -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(root.join("content/cohorts"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let stem = name
                .strip_suffix(".md")
                .or_else(|| name.strip_suffix(".yaml"))
                .unwrap_or(&name);
            (!stem.contains('.') && !crate::source::is_ignored(&name)).then(|| stem.to_string())
        })
        .collect();
    slugs.sort();
    slugs.dedup();
    slugs.reverse();
    slugs
}

/// A URL slug of `title` (also the file name `showcase new` writes): NFKC (Unicode UAX #15:
/// fullwidth `５Ｇ` is `5g`), lower case, words joined by `-`. Every letter and digit is kept,
/// spelt by [`latin`] where it has a Latin spelling: Russian and Kazakh letters by the
/// project's table (`Связь` is `svyaz`, `Қорғаныс` is `qorganys`), Latin and other Cyrillic
/// letters without their accents (`Café` is `cafe`, `Łódź` is `lodz`, `Straße` is
/// `strasse`). Letters of other scripts are kept as written, with their marks (`无人机`,
/// `ελλάδα`): a letter is never dropped. Anything else separates words. Empty for a title
/// with no letter or digit (`🚀`, `!!!`). The result is NFC, as [`crate::content::check_slug`]
/// wants; its length is not bounded here. [`crate::content::tag_slug`] is this rule too.
///
/// ```
/// use showcase::archetype::slugify;
/// assert_eq!(slugify("Орбита Связь: 2026"), "orbita-svyaz-2026");
/// assert_eq!(slugify("Қорғаныс хабы"), "qorganys-khaby");
/// assert_eq!(slugify("Straße & Café"), "strasse-cafe");
/// assert_eq!(slugify("Kırşehir Łódź"), "kirsehir-lodz");
/// assert_eq!(slugify("Ελλάδα 2025"), "ελλάδα-2025");
/// assert_eq!(slugify("🚀"), "");
/// ```
pub fn slugify(title: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    // Whether the last letter is kept as written: its marks are part of it (Devanagari's
    // vowel signs), where a transliterated letter's accents are dropped.
    let mut kept = false;
    for c in title.nfkc().flat_map(char::to_lowercase) {
        if is_combining_mark(c) {
            if kept {
                out.push(c);
            }
            continue;
        }
        // A letter with accents (`é`, `ѐ`), read as its base letter.
        let base = c
            .nfd()
            .next()
            .filter(|_| c.nfd().skip(1).all(is_combining_mark))
            .unwrap_or(c);
        kept = false;
        if let Some(t) = latin(base) {
            // deunicode writes a few lowercase letters in capitals (`ґ` is `G`).
            out.extend(t.chars().map(|c| c.to_ascii_lowercase()));
        } else if base.is_ascii_alphanumeric() {
            out.push(base);
        } else if c.is_alphanumeric() {
            out.push(c);
            kept = true;
        } else {
            out.push('-');
        }
    }
    out.split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .nfc()
        .collect()
}

/// The Latin spelling of a lowercase non-ASCII letter in slugs, ASCII letters: a Russian
/// or Kazakh letter by the project's table (`ж` is `zh`, `қ` is `q`, `ь` is nothing), any
/// other Latin or Cyrillic letter as the `deunicode` crate spells it (`ß` is `ss`, `ø` is
/// `o`, `ı` is `i`, `є` is `ie`). `None` for ASCII, for letters of other scripts (which
/// slugs keep as written) and for anything that is not a letter.
pub fn latin(c: char) -> Option<&'static str> {
    if let Some(t) = russian_kazakh(c) {
        return Some(t);
    }
    use unicode_script::{Script, UnicodeScript};
    if c.is_ascii() || !c.is_alphabetic() || !matches!(c.script(), Script::Latin | Script::Cyrillic)
    {
        return None;
    }
    // deunicode marks a few spellings with an apostrophe (`ґ` is `g'`), which a slug has not.
    deunicode::deunicode_char(c)
        .map(|t| t.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The Latin spelling of a lowercase Russian or Kazakh letter, as the project has always
/// spelt them (`х` is `kh`, `й` is `i`, `қ` is `q`), where `deunicode` would differ.
fn russian_kazakh(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ғ' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "i",
        'к' => "k",
        'қ' => "q",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'ң' => "n",
        'о' => "o",
        'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ұ' => "u",
        'ү' => "u",
        'ф' => "f",
        'х' => "kh",
        'һ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' => "",
        'ы' => "y",
        'і' => "i",
        'ь' => "",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates() {
        assert_eq!(slugify("Орбита-Связь 2025!"), "orbita-svyaz-2025");
        assert_eq!(slugify("Қазақ ұлттық"), "qazaq-ulttyq");
        assert_eq!(slugify("  SkyEye: Mesh radio  "), "skyeye-mesh-radio");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn keeps_every_letter_of_every_language() {
        for (title, slug) in [
            // Russian and Kazakh: the project's own spellings, every letter of the table.
            ("Щука, Хабр и Цифра", "shchuka-khabr-i-tsifra"),
            ("Йошкар-Ола Съезд Объём", "ioshkar-ola-sezd-obem"),
            ("Әлем Ғарыш Өнер Үміт Һ Ң І", "alem-garysh-oner-umit-h-n-i"),
            // German, Turkish, Polish, Czech, French, Nordic, Vietnamese.
            ("Straße & Café", "strasse-cafe"),
            ("Größe Übung", "grosse-ubung"),
            ("Kırşehir Łódź", "kirsehir-lodz"),
            ("İstanbul Ağ Güç", "istanbul-ag-guc"),
            ("Żółć Gęślą Jaźń", "zolc-gesla-jazn"),
            ("Příliš žluťoučký kůň", "prilis-zlutoucky-kun"),
            ("Œuvre Française", "oeuvre-francaise"),
            ("Ærø Ørsted Åland", "aero-orsted-aland"),
            ("Þórður Ðiđ", "thordur-did"),
            ("Việt Nam Đà Nẵng", "viet-nam-da-nang"),
            // Other Cyrillic alphabets, as deunicode spells them.
            ("Київ Ґанок", "kiiv-ganok"),
            // Scripts without a Latin spelling here: kept, marks and all, never dropped.
            ("Ελλάδα 2025", "ελλάδα-2025"),
            ("无人机 Pro", "无人机-pro"),
            ("طائرة بدون طيار", "طائرة-بدون-طيار"),
            ("हिन्दी", "हिन्दी"),
            // Decomposed input (e + U+0301) and compatibility forms are one spelling.
            ("Cafe\u{301} ５Ｇ", "cafe-5g"),
            ("🚀🛰", ""),
        ] {
            let got = slugify(title);
            assert_eq!(got, slug, "{title}");
            if !got.is_empty() {
                assert_eq!(
                    crate::content::check_slug(&got).as_deref(),
                    Ok(slug),
                    "{title}"
                );
            }
        }
    }

    #[test]
    fn latin_spells_only_latin_and_cyrillic_letters() {
        for (c, t) in [
            ('ß', Some("ss")),
            ('æ', Some("ae")),
            ('ø', Some("o")),
            ('ł', Some("l")),
            ('đ', Some("d")),
            ('þ', Some("th")),
            ('ı', Some("i")),
            ('œ', Some("oe")),
            ('х', Some("kh")),
            ('є', Some("ie")),
            ('ґ', Some("g")),
            ('ь', Some("")),
            ('a', None),
            ('α', None),
            ('无', None),
            ('🚀', None),
            ('-', None),
        ] {
            assert_eq!(latin(c), t, "{c}");
        }
    }
}
