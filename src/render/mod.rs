//! Rendering: builds the documented template context for every page of every language and
//! runs Tera over it, in parallel. Returns the finished files as data.
//!
//! Invariant: no filesystem access; `internal` fields are never put into any context; every
//! page records the items it shows (`OutputFile::items`), so the dev server can re-render only
//! the pages a change touches.
//!
//! The stage is split by concern: [`templates`] loads the theme into Tera and turns Tera's
//! errors into ours, `plan` lists the pages to make (one job each), `context` builds
//! what a template sees, `sitemap` the sitemap's entries; [`search`] builds the search
//! index and [`jsonld`] the structured data the pages embed, `ical` the demo days' iCalendar
//! files (written without a template). This file runs the jobs and keeps the memo of the last
//! render for the preview.

pub mod budget;
mod context;
mod filter_index;
mod ical;
pub mod jsonld;
mod plan;
pub mod search;
mod sitemap;
pub mod templates;
pub mod watchdog;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Map, Value};
use tera::Context;

use crate::config::Config;
use crate::content::Kind;
use crate::error::{Error, Errors};
use crate::site::{fingerprint, BuildOptions, ItemId, PageKind, Site};
use crate::source::FileData;

use templates::{render_error, Templates};

/// What a file of the output holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// Rendered bytes (shared with the preview's memo of the last render).
    Bytes(Arc<Vec<u8>>),
    /// A file copied as is.
    Copy(FileData),
    /// Rendered bytes already written to the output as they were made (`build` streams
    /// its pages so that the peak memory does not grow with the site): their length.
    Streamed(u64),
}

/// The source an output file comes from: what a collision or a write error names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Made from this content file (relative to the site root): an item's page, the
    /// redirect of one of its `aliases:`, or a file of its bundle.
    Content(PathBuf),
    /// Copied from `static/` of the site or of the theme: the file (relative to the site
    /// root, or under `(built-in theme)/static/`).
    Static(PathBuf),
    /// A page the site makes itself from the template of that name (a list, a feed, the
    /// sitemap), or a search-index file (no template).
    Generated(Option<String>),
    /// Encoded by the image stage from this original (relative to the site root): a
    /// cleaned image, a copy, a thumbnail or a link preview.
    Image(PathBuf),
}

impl Origin {
    /// The file to name in a message about `output` (a path relative to the output folder):
    /// the source file, or `(the generated page /OUTPUT)`.
    pub fn file(&self, output: &str) -> PathBuf {
        match self {
            Origin::Content(p) | Origin::Static(p) | Origin::Image(p) => p.clone(),
            Origin::Generated(_) => PathBuf::from(format!("(the generated page /{output})")),
        }
    }

    /// Whether the site makes this file itself (no user file to blame).
    pub fn is_generated(&self) -> bool {
        matches!(self, Origin::Generated(_))
    }
}

/// One file of the finished site; only [`crate::output`] writes it.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated (`projects/a/index.html`).
    pub path: String,
    /// Content.
    pub data: Data,
    /// The source it comes from.
    pub origin: Origin,
    /// Template that made it, if any.
    pub template: Option<String>,
    /// Items shown on it (the page depends on their files).
    pub items: Arc<[ItemId]>,
}

/// Hands `file` to `sink`, if any; when the sink took its bytes, keeps only their length.
fn stream(file: &mut OutputFile, sink: Option<&Sink>) {
    if let (Some(sink), Data::Bytes(b)) = (sink, &file.data) {
        let len = b.len() as u64;
        if sink(file) {
            file.data = Data::Streamed(len);
        }
    }
}

/// A hash of `value` as JSON text, written straight into the hasher (no string is made).
fn hash_json(value: &Value) -> u64 {
    use std::hash::Hasher;
    struct Sink(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut sink = Sink(std::collections::hash_map::DefaultHasher::new());
    // Writing into a hasher cannot fail; a value JSON cannot hold is not made here.
    let _ = serde_json::to_writer(&mut sink, value);
    sink.0.finish()
}

/// A page that did not render: template, output path, error (none when another page's
/// error says why: see [`render_page`]).
type Failure = (String, String, Option<Error>);

/// What rendering one page gives: the file and what the memo keeps of it (nothing when the
/// sink took its bytes), or why it failed.
type PageResult = Result<(OutputFile, Option<MemoPage>), Box<Failure>>;

/// What a render produced, kept by the preview so that the next render redoes only the pages
/// whose items, template or settings changed.
#[derive(Default)]
pub struct Memo {
    /// Per item id: a fingerprint of everything a template can see of the item.
    fingerprints: Vec<u64>,
    /// Per language and item: the item's list entry as a Tera value, converted once.
    summary_values: Vec<Vec<tera::Value>>,
    /// Per item id: a fingerprint of its summary (what lists show).
    summary_fingerprints: Vec<u64>,
    /// The search index, updated in place by the next render.
    search: search::Index,
    /// Per item id: kind and slug, to notice items added, removed or renamed.
    keys: Vec<(Kind, String)>,
    /// Fingerprint of what every page sees: settings, UI strings, templates, the date.
    global: u64,
    /// Per output path: template, items shown, bytes.
    pages: HashMap<String, MemoPage>,
}

/// A page as the memo keeps it: template, items shown, key (see `plan::Job::key`), bytes.
type MemoPage = (&'static str, Arc<[ItemId]>, u64, Arc<Vec<u8>>);

/// Sees each page as soon as it is rendered, on the thread that rendered it, and says
/// whether it took the bytes: `build` checks and writes each page at once (so that the
/// pages need not all be held in memory; a page taken is then [`Data::Streamed`]), the
/// preview checks it and leaves it in the render.
pub type Sink<'a> = dyn Fn(&OutputFile) -> bool + Sync + 'a;

/// The result of a render.
pub struct Render {
    /// Every file of the site, sorted by path.
    pub files: Vec<OutputFile>,
    /// Pages that went through a template this time (the others were reused).
    pub rendered: usize,
    /// What the next incremental render compares with.
    pub memo: Memo,
}

/// Renders every page of the site (the files sorted by path). With `previous`, a page whose
/// template, items and settings are unchanged is taken from it instead of being rendered
/// again: the result is the same as a full render.
pub fn render_site(
    site: &Site,
    templates: &Templates,
    options: &BuildOptions,
    previous: Option<&mut Memo>,
    sink: Option<&Sink>,
) -> Result<Render, Errors> {
    let today = options.now.to_zoned(site.config.timezone.clone()).date();
    let common = (0..site.config.languages.len())
        .map(|l| Builder::common_context(site, templates, l, options.drafts, today))
        .collect();
    let strings = site
        .config
        .languages
        .iter()
        .map(|x| templates.strings(&site.config, &x.code))
        .collect();
    let mut builder = Builder {
        site,
        today,
        now: options.now,
        common,
        strings,
        summary_values: Vec::new(),
        lists: plan::Lists::of(site),
        shared: (0..site.config.languages.len())
            .map(|_| context::Shared::default())
            .collect(),
    };

    let memo_keys: Vec<(Kind, String)> = site
        .entries
        .iter()
        .map(|e| (e.kind, e.slug.clone()))
        .collect();
    let fingerprints: Vec<u64> = site.entries.iter().map(|e| e.fingerprint).collect();
    let global = fingerprint((
        format!("{:?}", site.config),
        templates.fingerprint,
        options.drafts,
        today.to_string(),
    ));
    // Everything must be rendered again when the settings or the set of items changed.
    let mut previous = previous.filter(|p| p.global == global && p.keys == memo_keys);
    let previous_search = previous.as_mut().map(|p| std::mem::take(&mut p.search));
    let previous = previous.map(|p| &*p);
    let unchanged = |id: ItemId| previous.is_some_and(|p| p.fingerprints[id] == fingerprints[id]);
    // Lists show the same items again and again: build each list entry once, as a Tera
    // value, and keep it (with its fingerprint) while the item does not change. The JSON it
    // is made from is hashed as it is written out, then dropped.
    let langs = site.config.languages.len();
    let entries: Vec<Vec<(tera::Value, u64)>> = (0..langs)
        .map(|l| {
            (0..site.entries.len())
                .into_par_iter()
                .map(|id| match previous {
                    Some(p) if unchanged(id) => (p.summary_values[l][id].clone(), 0),
                    _ => {
                        let json = builder.build_item_json(l, id, false);
                        (tera::Value::from_serializable(&json), hash_json(&json))
                    }
                })
                .collect()
        })
        .collect();
    // A list shows an item's summary only: a change to its body alone leaves lists alone.
    let summary_fingerprints: Vec<u64> = (0..site.entries.len())
        .map(|id| match previous {
            Some(p) if unchanged(id) => p.summary_fingerprints[id],
            _ => fingerprint((0..langs).map(|l| entries[l][id].1).collect::<Vec<_>>()),
        })
        .collect();
    builder.summary_values = entries
        .into_iter()
        .map(|l| l.into_iter().map(|(v, _)| v).collect())
        .collect();
    let differs = |now: &[u64], before: Option<&Vec<u64>>| -> Vec<bool> {
        match before {
            Some(b) => now.iter().zip(b).map(|(a, b)| a != b).collect(),
            None => vec![true; now.len()],
        }
    };
    let changed = differs(&fingerprints, previous.map(|p| &p.fingerprints));
    let changed_summary = differs(
        &summary_fingerprints,
        previous.map(|p| &p.summary_fingerprints),
    );

    let jobs = builder.jobs();
    let run = budget::Run::default();
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<PageResult> = jobs
        .into_par_iter()
        .map(|job| {
            let reuse = previous.and_then(|p| p.pages.get(&job.page.file)).filter(
                |(template, items, key, _)| {
                    *template == job.page.template
                        && *key == job.key
                        && *items == job.items
                        && !job.items.iter().any(|&i| {
                            if job.shows_whole(i, site) {
                                changed[i]
                            } else {
                                changed_summary[i]
                            }
                        })
                },
            );
            let fresh = reuse.is_none();
            let bytes = match reuse {
                Some((_, _, _, bytes)) => Arc::clone(bytes),
                None => {
                    rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let made = match job.page.kind {
                        PageKind::Event(_) | PageKind::Calendar => {
                            Ok(builder.ical(&job).into_bytes())
                        }
                        _ => render_page(
                            templates,
                            &job,
                            &builder.context(&job),
                            site.config.render_limits,
                            &run,
                        ),
                    };
                    match made {
                        // A theme's text may still carry a character XML forbids: no page
                        // or feed ever holds one (see `crate::xmlchar`).
                        Ok(html) => {
                            let bytes = match crate::xmlchar::strip(&html) {
                                std::borrow::Cow::Borrowed(_) => html,
                                std::borrow::Cow::Owned(clean) => clean,
                            };
                            // Every page carries the site's policy before any script,
                            // whatever its template wrote (see `crate::active::CSP`).
                            let policed = (!site.config.allow_html
                                && job.page.file.ends_with(".html"))
                            .then(|| crate::active::ensure_csp(&bytes))
                            .flatten();
                            Arc::new(policed.unwrap_or(bytes))
                        }
                        Err(e) => {
                            return Err(Box::new((
                                job.page.template.to_string(),
                                job.page.file.clone(),
                                e,
                            )));
                        }
                    }
                }
            };
            let origin = builder.origin_of(job.page);
            let mut file = OutputFile {
                path: job.page.file.clone(),
                data: Data::Bytes(bytes),
                origin,
                template: Some(job.page.template.to_string()),
                items: job.items,
            };
            // The sink sees what was rendered now; a reused page was seen when it was made.
            if fresh {
                stream(&mut file, sink);
            }
            // The memo keeps the bytes of a page the sink did not take.
            let kept = match &file.data {
                Data::Bytes(b) => Some((
                    job.page.template,
                    Arc::clone(&file.items),
                    job.key,
                    Arc::clone(b),
                )),
                _ => None,
            };
            Ok((file, kept))
        })
        .collect();
    let mut files = Vec::new();
    // One template bug breaks many pages: report it once, with the first page and a count.
    let mut failures: BTreeMap<String, (String, usize, Error)> = BTreeMap::new();
    let mut pages = HashMap::with_capacity(results.len());
    for r in results {
        match r {
            Ok((f, kept)) => {
                if let Some(page) = kept {
                    pages.insert(f.path.clone(), page);
                }
                files.push(f);
            }
            Err(failure) => {
                // The error's file is the template at fault (a parent or a component of
                // the page's own template), so the page's template is not in the key.
                let (_, page, err) = *failure;
                // A page stopped because another ran out of time: that one says why.
                let Some(err) = err else { continue };
                // Tera lists the names a page has after the message; pages differ there,
                // the mistake does not: one error per template position.
                let mistake = err
                    .message
                    .split(" Available ")
                    .next()
                    .unwrap_or_default()
                    .to_string();
                let key = format!(
                    "{}:{:?}:{:?}: {mistake}",
                    err.path.display(),
                    err.line,
                    err.column
                );
                let slot = failures.entry(key).or_insert((page, 0, err));
                slot.1 += 1;
            }
        }
    }
    if !failures.is_empty() {
        return Err(failures
            .into_values()
            .map(|(page, n, mut e)| {
                let others = if n > 1 {
                    format!(" and {} other pages", n - 1)
                } else {
                    String::new()
                };
                e.message = format!("{} (while rendering /{page}{others})", e.message);
                e
            })
            .collect());
    }
    // The search index: the preview updates the previous one in place, and keeps the
    // files of the last render that did not change (the final check knows those). The
    // filter index is small next to the pages: made again on every render.
    let incremental = previous_search.is_some();
    let (search, index_files) = search::Index::build(site, &changed, previous_search);
    let indexes = index_files
        .into_iter()
        .map(|f| (f, !incremental))
        .chain(filter_index::build(site).into_iter().map(|f| (f, true)));
    for (f, new) in indexes {
        let mut file = OutputFile {
            path: f.path,
            data: Data::Bytes(f.bytes),
            origin: Origin::Generated(None),
            template: None,
            items: Arc::from([]),
        };
        if new {
            stream(&mut file, sink);
        }
        files.push(file);
    }
    for (path, data) in &site.assets {
        let origin = match data {
            FileData::Disk(p) => crate::source::relative(&site.config.root, p),
            FileData::Embedded(_) => PathBuf::from(path),
        };
        files.push(OutputFile {
            path: path.clone(),
            data: Data::Copy(data.clone()),
            origin: Origin::Content(origin),
            template: None,
            items: Arc::from([]),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let rendered = rendered.into_inner();
    Ok(Render {
        files,
        rendered,
        memo: Memo {
            summary_values: builder.summary_values,
            fingerprints,
            summary_fingerprints,
            keys: memo_keys,
            global,
            pages,
            search,
        },
    })
}

struct Builder<'a> {
    site: &'a Site,
    /// Per language: the context shared by all its pages.
    common: Vec<Context>,
    /// Per language: the UI strings.
    strings: Vec<Map<String, Value>>,
    /// Per language and item: the item's list entry (no body) as a Tera value, converted
    /// once and shared by every page showing it (the largest cost of list pages under Tera
    /// 1 was copying these per page).
    summary_values: Vec<Vec<tera::Value>>,
    /// The build's date in the site's time zone: splits next and past demo days.
    today: jiff::civil::Date,
    /// The instant embargoes are compared with (the build's).
    now: jiff::Timestamp,
    /// What the list pages share.
    lists: plan::Lists,
    /// Per language: values every list page of the language shows, made at first use.
    shared: Vec<context::Shared>,
}

impl Builder<'_> {
    fn config(&self) -> &Config {
        &self.site.config
    }
}

/// Renders `job`'s template with `context` within `limits` (see [`budget`]). `Err(None)`:
/// stopped because another page of `run` ran out of time first (that page's error says
/// why, once).
fn render_page(
    templates: &Templates,
    job: &plan::Job<'_>,
    context: &tera::Context,
    limits: budget::Limits,
    run: &budget::Run,
) -> Result<Vec<u8>, Option<Error>> {
    let template = job.page.template;
    let origin = templates.origin(template).display().to_string();
    let guard = budget::Budget::start(limits, run, &origin, &job.page.file);
    let mut page = budget::Writer::new(limits);
    match templates.tera.render_to(template, context, &mut page) {
        Ok(()) => Ok(page.bytes),
        Err(e) => match guard.stopped() {
            Some(budget::Stop::Run) => Err(None),
            // Stopped in a function call, Tera knows the line: keep its located error.
            Some(budget::Stop::Time(_)) if !matches!(e.kind(), tera::ErrorKind::Io(_)) => {
                let (_, help) = budget::Stop::Time(limits.time).words();
                Err(Some(render_error(template, &e, templates).with_help(help)))
            }
            Some(stop) => {
                let (message, help) = stop.words();
                Err(Some(
                    Error::new(templates.origin(template), message).with_help(help),
                ))
            }
            None => Err(Some(render_error(template, &e, templates))),
        },
    }
}
