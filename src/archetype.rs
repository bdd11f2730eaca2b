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
    let name = if kind == "news" {
        format!("{today}-{slug}")
    } else {
        slug.clone()
    };
    let dir = PathBuf::from("content").join(section);
    let suffix = if lang == config.default_language() {
        String::new()
    } else {
        format!(".{lang}")
    };
    let rel = dir.join(format!("{name}{suffix}.md"));
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
    std::fs::create_dir_all(root.join(&dir))
        .map_err(|e| Error::new(&dir, format!("cannot create the folder: {e}")))?;
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

/// A URL slug: Latin lowercase letters, digits and dashes; Russian and Kazakh letters
/// transliterated.
///
/// ```
/// assert_eq!(showcase::archetype::slugify("Орбита Связь: 2026"), "orbita-svyaz-2026");
/// assert_eq!(showcase::archetype::slugify("Қорғаныс хабы"), "qorganys-khaby");
/// ```
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        match latin(c) {
            Some("") => {}
            Some(t) => out.push_str(t),
            None if c.is_ascii_alphanumeric() => out.push(c),
            None => out.push('-'),
        }
    }
    let mut slug = String::new();
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(part);
    }
    slug
}

/// The Latin spelling of a lowercase Russian or Kazakh letter in slugs (`ж` is `zh`, `қ`
/// is `q`, `ь` is nothing); `None` for any other character.
pub fn latin(c: char) -> Option<&'static str> {
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
}
