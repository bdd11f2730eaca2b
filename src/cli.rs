//! The command line: `showcase build | check | new`, with examples in every `--help`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Static-site generator for the Defense Tech IT Park program showcase.
#[derive(Debug, Parser)]
#[command(name = "showcase", version, about, long_about = None, after_help = "Examples:\n  showcase build                  build the site in . into public/\n  showcase check                  validate everything, write nothing\n  showcase new project \"Orbit Link\"   start a project profile\n  showcase serve                  preview at http://127.0.0.1:8000/")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into an output folder (replaced whole, only if the build succeeds),
    /// then say what changed for the public since the output it replaced.
    #[command(
        after_help = "Examples:\n  showcase build\n  showcase build --root ../site -o /tmp/out\n  showcase build --drafts --base-url http://localhost:8000\n  showcase build --format json\n\nAfter its `built` line, build lists what changed for the public since the last build\n(new, removed, moved and edited items, translations, other pages and files), to review\nbefore uploading; --format json has every change under \"changes\" (null for a first\nbuild): new, removed, moved, translations_added, translations_removed, edited, affected,\npages and files (added, changed, removed), unchanged.\n\nExit codes: 0 built, 1 content errors (nothing written), 2 usage error."
    )]
    Build {
        /// The site folder (holding site.yaml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Output folder [default: ROOT/public].
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Include drafts (every draft page says so in a banner).
        #[arg(long)]
        drafts: bool,
        /// Override `base_url` of site.yaml (e.g. for a staging host).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// How errors, warnings and what changed are printed: `human` lines on standard
        /// error, or one `json` document on standard output (for CI annotations and review).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Validate everything `build` validates; write nothing. Lists held-back items.
    #[command(
        after_help = "Examples:\n  showcase check\n  showcase check --root ../site\n  showcase check --translations                 what is missing or outdated, per language\n  showcase check --translations --csv todo.csv  the same as CSV for the translators\n  showcase check --format json                  errors as JSON for a pull-request check\n\nExit codes: 0 valid, 1 content errors, 2 usage error. Missing translations are not errors."
    )]
    Check {
        /// The site folder (holding site.yaml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Print, per language and kind, the items without a translation and the
        /// translations older than their original (by `updated:`).
        #[arg(long)]
        translations: bool,
        /// Also write the translation report as CSV to FILE (`-` for standard output).
        #[arg(long, value_name = "FILE", requires = "translations")]
        csv: Option<PathBuf>,
        /// How errors, warnings and held-back items are printed: `human` lines on standard
        /// error, or one `json` document on standard output (for CI annotations).
        #[arg(long, value_enum, default_value_t = Format::Human, conflicts_with = "translations")]
        format: Format,
    },
    /// Build the site with drafts and embargoed items (marked) into a temporary folder and
    /// serve it on 127.0.0.1. Never writes public/.
    #[command(
        after_help = "Examples:\n  showcase serve\n  showcase serve --root ../site --port 8080\n  showcase serve --bind 0.0.0.0   (shares the preview on the network: prints a warning)"
    )]
    Serve {
        /// The site folder (holding site.yaml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Port; the next free one is used when it is taken.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on. Anything but loopback shares unpublished drafts: explicit only.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: std::net::IpAddr,
        /// Leave drafts and embargoed items out, as `build` does.
        #[arg(long)]
        no_drafts: bool,
        /// Open the preview in the default browser once it is served.
        #[arg(long)]
        open: bool,
    },
    /// Create a ready-to-fill content file from the theme's archetype. Never overwrites.
    #[command(
        after_help = "Examples:\n  showcase new project \"Orbit Link\"\n  showcase new news \"Demo day in December\"\n  showcase new page \"О парке\" --lang ru\n\nKinds: project, cohort, demo, news, page. The file name is made from the title\n(Cyrillic transliterated); news files start with today's date."
    )]
    New {
        /// project, cohort, demo, news or page.
        #[arg(value_parser = ["project", "cohort", "demo", "news", "page"])]
        kind: String,
        /// The title of the new item.
        title: String,
        /// The site folder (holding site.yaml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Language of the file (a translation when not the default language).
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
    },
}

/// How `build` and `check` print what they found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `error: PATH:LINE:COL: message` lines (and `help:` lines) on standard error.
    Human,
    /// One JSON document on standard output: `{"errors", "warnings", "held_back"}`, and
    /// `"changes"` for build; the closing summary line stays on standard error.
    Json,
}
