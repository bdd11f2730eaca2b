//! What the preview keeps from one render for the next, and the rules for reusing it. Each
//! rule reuses a stage's result only when what the stage read is unchanged, so that an
//! incremental render equals a render from scratch (`tests/incremental.rs` and
//! `tests/incremental_patch.rs` compare them byte for byte, errors and warnings included):
//!
//! - texts: by size and modification time ([`source::TextCache`]);
//! - the site: edited content files are patched into the last good [`Site`] when the
//!   settings are the same, the scan found no error, and no embargo can lapse
//!   ([`site::patch`] then refuses edits that change what other pages or the page list
//!   depend on, re-sorts the lists after a title, date or weight edit, and an edit with
//!   errors takes the full load, which reports every file's errors);
//! - templates: by a hash of their texts and the settings;
//! - pages: by template, items shown, their fingerprints and the page's key
//!   ([`render::Memo`]);
//! - the leak guard: its matcher while the secrets are the same, the pages it found clean
//!   while their bytes are the very same, and copied files while their source, length and
//!   modification time are ([`guard::Memo`]);
//! - the collision and path checks: skipped when the output has the same paths as the last
//!   good render.
//!
//! `build` and `check` start from an empty [`Cache`], which reuses nothing.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::output::guard::{self, Guard};
use crate::render::templates::{self, Templates};
use crate::render::{self, OutputFile};
use crate::site::{self, BuildOptions, HoldBack, Site};
use crate::source::{self, Sources};

/// What one render leaves for the next, so that the preview redoes only what changed.
#[derive(Default)]
pub struct Cache {
    /// The pages of the last render.
    pub(crate) memo: Option<render::Memo>,
    /// Parsed items and rendered bodies, by file.
    pub(crate) parsed: site::ParseCache,
    /// Texts read, by file.
    pub(crate) texts: source::TextCache,
    /// Files changed since the last render, when the caller knows (the watcher does).
    pub(crate) changed: Option<BTreeSet<PathBuf>>,
    /// The last good site and the settings it was made with, for edits patched into it.
    site: Option<(String, Site)>,
    /// Pages the leak guard found clean.
    pub(crate) guard: guard::Memo,
    /// The leak guard's matcher, by a hash of the secrets it was built from.
    matcher: Option<(u64, Arc<Guard>)>,
    /// A hash of the output paths of the last good render.
    checked_paths: Option<u64>,
    /// Parsed templates, by a hash of their texts and the settings.
    templates: Option<(u64, Arc<Templates>)>,
    /// The content hashes of image originals, by size and time.
    pub(crate) images: crate::images::Memo,
}

impl Cache {
    /// Tells the next render which files changed (relative to the root), so that it reads
    /// only those when it can.
    pub fn changed(&mut self, paths: BTreeSet<PathBuf>) {
        self.changed = Some(paths);
    }

    /// The last good site, if any.
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref().map(|(_, s)| s)
    }

    /// The site with the `edited` content files patched in, when the last good site can
    /// take them: `None` when a full load is needed (no last site, other settings, errors
    /// in the scan, an embargo that may lapse, an edit the patch refuses, or errors in the
    /// edited files, which the full load reports with every other file's). Takes the last
    /// site out of the cache either way.
    pub(crate) fn patched(
        &mut self,
        sources: &Sources,
        edited: Option<Vec<PathBuf>>,
        config: &Config,
        options: &BuildOptions,
        scan_ok: bool,
    ) -> Option<Site> {
        let settings = settings_key(config, options);
        let (_, mut site) = self.site.take().filter(|(s, site)| {
            *s == settings
                && scan_ok
                // Not while an embargo may lapse (the set of items would change with the
                // clock), nor once one has (banners and lists change): start over.
                && (options.embargoed
                    || site
                        .held_back
                        .iter()
                        .all(|h| !matches!(h.reason, HoldBack::Embargoed { .. })))
                && site
                    .entries
                    .iter()
                    .all(|e| e.embargoed_until.is_none_or(|t| t > options.now))
        })?;
        let paths = edited?;
        let items = site::parse_changed(sources, &paths, config, &mut self.parsed).ok()?;
        site::patch(&mut site, items, sources, &mut self.parsed)?.ok()?;
        Some(site)
    }

    /// The templates parsed last time, if their texts and the settings are the same; and
    /// the key to [`Cache::keep_templates`] them under.
    pub(crate) fn templates(
        &self,
        sources: &Sources,
        config: &Config,
    ) -> (Option<Arc<Templates>>, u64) {
        let key = site::fingerprint((
            templates::templates_fingerprint(sources),
            format!("{config:?}"),
        ));
        let kept = self
            .templates
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, t)| Arc::clone(t));
        (kept, key)
    }

    /// Keeps `templates`, parsed from texts with hash `key`.
    pub(crate) fn keep_templates(&mut self, key: u64, templates: &Arc<Templates>) {
        self.templates = Some((key, Arc::clone(templates)));
    }

    /// The leak guard's matcher for `secrets`: the last one while they are the same.
    pub(crate) fn guard(&mut self, secrets: &[guard::Secret]) -> Arc<Guard> {
        let key = site::fingerprint(secrets);
        let guard = match self.matcher.take() {
            Some((k, g)) if k == key => g,
            _ => Arc::new(Guard::new(secrets)),
        };
        self.matcher = Some((key, Arc::clone(&guard)));
        guard
    }

    /// Whether `files` (sorted by path) have the very paths of the last good render, which
    /// passed the collision and path checks; and the key to remember them by.
    pub(crate) fn same_paths(&self, files: &[OutputFile]) -> (bool, u64) {
        let key = site::fingerprint(files.iter().map(|f| &f.path).collect::<Vec<_>>());
        (self.checked_paths == Some(key), key)
    }

    /// Keeps what a good render leaves: its pages, its site and its output paths.
    pub(crate) fn keep(
        &mut self,
        memo: render::Memo,
        site: Site,
        config: &Config,
        options: &BuildOptions,
        paths_key: u64,
    ) {
        self.memo = Some(memo);
        self.site = Some((settings_key(config, options), site));
        self.checked_paths = Some(paths_key);
    }
}

/// The settings a site was made with: a patch needs the same.
fn settings_key(config: &Config, options: &BuildOptions) -> String {
    format!("{config:?}{}{}", options.drafts, options.embargoed)
}
