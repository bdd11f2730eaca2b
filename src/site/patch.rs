//! The preview's fast path: edited items patched into the last [`Site`] when the edit
//! changes nothing other pages depend on.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::content::Item;
use crate::error::Errors;
use crate::source::Sources;

use super::links::LinkContext;
use super::{
    check_translation, entry_fingerprint, Entry, ItemId, ParseCache, Site, Warning, WarningKind,
};

/// The facts of an item that other pages, relations, URLs or the page list depend on. An
/// edit that keeps them can be patched into the site; any other edit needs a full
/// [`assemble`].
fn structure(i: &Item) -> impl PartialEq + '_ {
    let m = &i.meta;
    (
        (&i.slug, i.kind, &i.name, &i.lang, &i.bundle),
        (
            m.draft,
            m.publish_after,
            &m.cohort,
            &m.areas,
            &m.projects,
            &m.aliases,
            &m.logo,
            &m.gallery,
            &m.video,
            // The page list counts projects per stage and news per tag (their pages).
            &m.stage,
            &m.tags,
        ),
    )
}

/// The facts lists are sorted by: an edit of one is patched, then every list sorted again.
fn sorted_by(i: &Item) -> impl PartialEq + '_ {
    let m = &i.meta;
    (m.date, m.start, m.end, m.weight, &m.title)
}

/// Fast path of the preview: puts re-parsed `items` (edits of files the site already has)
/// into `site` when no structural fact changed, rendering only their bodies again.
/// `None`: the edit is structural (or the item unknown), assemble the whole site instead.
/// `Some(Err)`: the edit has errors; the site is left as it was.
pub fn patch(
    site: &mut Site,
    items: Vec<Arc<Item>>,
    sources: &Sources,
    cache: &mut ParseCache,
) -> Option<Result<(), Errors>> {
    // The page list depends on the theme's optional templates.
    if site.features != super::Features::of(sources) {
        return None;
    }
    // Warnings about an edited item's references carry lines of its old text: a full load
    // makes them again.
    let edited: HashSet<&PathBuf> = items.iter().map(|i| &i.path).collect();
    if site
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::Reference && edited.contains(&w.error.path))
    {
        return None;
    }
    let mut places = Vec::new();
    let mut resort = false;
    for item in &items {
        let id = site
            .entries
            .iter()
            .position(|e| e.kind == item.kind && e.original.name == item.name)?;
        let e = &site.entries[id];
        let old = match &item.lang {
            None => &e.original,
            Some(l) => e.translations.get(l)?,
        };
        if structure(old) != structure(item) || old.path != item.path {
            return None;
        }
        resort |= sorted_by(old) != sorted_by(item);
        places.push(id);
    }
    // Check on a copy of the touched entries, then commit.
    let mut errors = Vec::new();
    let mut new_entries: HashMap<ItemId, Entry> = HashMap::new();
    for (item, &id) in items.iter().zip(&places) {
        let e = new_entries
            .entry(id)
            .or_insert_with(|| site.entries[id].clone());
        match &item.lang {
            None => e.original = Arc::clone(item),
            Some(l) => {
                e.translations.insert(l.clone(), Arc::clone(item));
            }
        }
    }
    // Translations are checked against their original once every edit is in place (an
    // original edited alone, or together with its translation, in any order).
    for e in new_entries.values() {
        for t in e.translations.values() {
            check_translation(&e.original, t, &mut errors);
        }
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    let mut entries_view: Vec<Entry> = Vec::new();
    let entries: &[Entry] = if new_entries.is_empty() {
        &site.entries
    } else {
        entries_view.extend(
            site.entries
                .iter()
                .enumerate()
                .map(|(i, e)| new_entries.get(&i).cloned().unwrap_or_else(|| e.clone())),
        );
        &entries_view
    };
    let ctx = LinkContext {
        config: &site.config,
        entries,
        links: &site.links,
        markdown_cache: &cache.markdown,
        sources,
    };
    let mut ids: Vec<ItemId> = new_entries.keys().copied().collect();
    ids.sort_unstable();
    let mut versions = Vec::new();
    let mut warnings = Vec::new();
    let mut cached = Vec::new();
    for &id in &ids {
        for l in 0..site.config.languages.len() {
            let (v, errs, warns, c) = ctx.version(l, id);
            errors.extend(errs);
            warnings.extend(warns);
            versions.push((l, id, v));
            cached.push(c);
        }
    }
    // Other pages may link to this one's anchors: when its ids change, check them all.
    if versions
        .iter()
        .any(|(l, id, v)| !v.body.ids().eq(site.versions[*l][*id].body.ids()))
    {
        return None;
    }
    let patched: HashMap<(usize, ItemId), &super::Version> =
        versions.iter().map(|(l, id, v)| ((*l, *id), v)).collect();
    let version_of = |l: usize, id: ItemId| {
        patched
            .get(&(l, id))
            .copied()
            .unwrap_or(&site.versions[l][id])
    };
    for (_, _, v) in &versions {
        errors.extend(ctx.check_fragments(v, &version_of));
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    drop(patched);
    drop(entries_view);
    // Commit: entries, versions, warnings of the touched files, cache, fingerprints, secrets.
    let edited: HashSet<&PathBuf> = items.iter().map(|i| &i.path).collect();
    site.secrets.retain(|s| !edited.contains(&s.path));
    site.secrets.extend(
        items
            .iter()
            .flat_map(|i| crate::output::guard::secrets_of(i)),
    );
    let files: HashSet<PathBuf> = ids
        .iter()
        .flat_map(|&id| new_entries[&id].files())
        .collect();
    // Only the link warnings of these files are made again here; reference warnings stay.
    site.warnings
        .retain(|w| !(w.kind == WarningKind::Link && files.contains(&w.error.path)));
    site.warnings
        .extend(warnings.into_iter().map(|error| Warning {
            kind: WarningKind::Link,
            error,
        }));
    for (id, e) in new_entries {
        site.entries[id] = e;
    }
    for (l, id, v) in versions {
        site.versions[l][id] = v;
    }
    for (k, m) in cached {
        cache.markdown.insert(k, m);
    }
    if resort {
        super::assemble::sort_lists(site);
    }
    let slugs: Vec<&str> = site.entries.iter().map(|e| e.slug.as_str()).collect();
    let prints: Vec<(ItemId, u64)> = ids
        .iter()
        .map(|&id| (id, entry_fingerprint(site, id, &slugs)))
        .collect();
    for (id, fp) in prints {
        site.entries[id].fingerprint = fp;
    }
    Some(Ok(()))
}
