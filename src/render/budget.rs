//! What one page's render may cost: a time and a size. Templates are the site owner's code,
//! but a typo (a loop inside a loop over 100,000, a step of 0, a string doubled in a loop)
//! must end in an error that names the template and the page, not in a build that never
//! ends or a machine out of memory.
//!
//! Tera 2 has no hook into its loops, so the budget is checked where a render comes out to
//! us: every write of the page's text ([`Writer`]), every call of `range` (our bounded
//! [`range`] replaces Tera's), and every call of our filters and functions
//! ([`check`]). A loop that neither writes nor calls anything is left to the pipeline's
//! watchdog ([`in_flight`]).
//!
//! Invariant: the budget is per thread: [`Budget::start`] arms it for the page the thread
//! renders now, and its guard disarms it.

use std::cell::RefCell;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The bounds of one page's render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest a page may take to render (`limits.render_time`, default 10 s).
    pub time: Duration,
    /// Largest page, in bytes (`limits.page_size`, default 32 MiB).
    pub bytes: u64,
    /// Most resident memory of the process while pages render, in bytes (`limits.memory`,
    /// default half of the machine's memory; watched by [`super::watchdog`]).
    pub memory: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(10),
            bytes: 32 * 1024 * 1024,
            memory: super::watchdog::default_memory_limit(),
        }
    }
}

/// Most numbers one `range` call makes (Tera's own bound).
pub const MAX_RANGE: i128 = 100_000;

/// The deadline of this thread's render, its limit, and the flag of its run.
type Armed = (Instant, Duration, Arc<AtomicBool>);

/// Why a render was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// It ran past `limits.render_time`.
    Time(Duration),
    /// Its page grew past `limits.page_size` (bytes).
    Size(u64),
    /// Another page of the same run ran out of time first; its error says why.
    Run,
}

impl Stop {
    /// What to tell the site owner: the message and the help.
    pub fn words(self) -> (String, &'static str) {
        match self {
            Stop::Time(limit) => (
                too_long(limit),
                "look for a loop inside a loop, or a `range` far larger than the data; `limits.render_time` in site.yaml sets the time (default 10 s)",
            ),
            Stop::Run => (
                "stopped: another page of this build ran out of time".into(),
                "see that page's error",
            ),
            Stop::Size(bytes) => (
                format!(
                    "the page grew past {} MiB, the most `limits.page_size` allows: a loop writes too much",
                    bytes / (1024 * 1024)
                ),
                "look for a loop that writes the same text over and over; `limits.page_size` in site.yaml sets the size (default 32 MiB)",
            ),
        }
    }
}

thread_local! {
    static DEADLINE: RefCell<Option<Armed>> = const { RefCell::new(None) };
    static STOPPED: std::cell::Cell<Option<Stop>> = const { std::cell::Cell::new(None) };
}

/// One render of the site: once a page of it runs out of time, the pages after it stop at
/// their first check rather than each spending the whole budget (a template bug is in
/// every page it renders).
#[derive(Debug, Clone, Default)]
pub struct Run {
    tripped: Arc<AtomicBool>,
}

/// The pages being rendered now: id, template file, page, start, limits. What the
/// watchdog reads.
type Entry = (u64, String, String, Instant, Limits);
static IN_FLIGHT: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// A page being rendered now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlight {
    /// The template's file, as errors name it.
    pub template: String,
    /// The page's output path.
    pub page: String,
    /// How long it has rendered so far.
    pub elapsed: Duration,
    /// Its budget.
    pub limits: Limits,
}
static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The armed budget of this thread's render; dropping it disarms it.
pub struct Budget {
    id: u64,
}

impl Budget {
    /// Arms the time budget of `limits` for the page `page` (its output path) rendered
    /// from `template` (its file, as errors name it) on this thread, as part of `run`, and
    /// lists it for the watchdog.
    pub fn start(limits: Limits, run: &Run, template: &str, page: &str) -> Budget {
        let now = Instant::now();
        DEADLINE.with(|d| {
            *d.borrow_mut() = Some((now + limits.time, limits.time, Arc::clone(&run.tripped)))
        });
        STOPPED.with(|s| s.set(None));
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner()).push((
            id,
            template.to_string(),
            page.to_string(),
            now,
            limits,
        ));
        Budget { id }
    }
}

impl Budget {
    /// Why this render was stopped, if the budget stopped it.
    pub fn stopped(&self) -> Option<Stop> {
        STOPPED.with(std::cell::Cell::get)
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        DEADLINE.with(|d| *d.borrow_mut() = None);
        STOPPED.with(|s| s.set(None));
        IN_FLIGHT
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(id, ..)| *id != self.id);
    }
}

/// The renders running now, longest first.
pub fn in_flight() -> Vec<InFlight> {
    let list = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
    let mut out: Vec<InFlight> = list
        .iter()
        .map(|(_, template, page, started, limits)| InFlight {
            template: template.clone(),
            page: page.clone(),
            elapsed: started.elapsed(),
            limits: *limits,
        })
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.elapsed));
    out
}

/// The message of a render past its time.
fn too_long(limit: Duration) -> String {
    format!(
        "the page took longer than {} s to render, the most `limits.render_time` allows",
        limit.as_secs_f64()
    )
}

/// Fails when this thread's render is past its deadline. Cheap (one clock read): called by
/// every filter and function.
///
/// # Errors
/// A Tera error saying the page took too long; Tera adds where it was.
pub fn check() -> tera::TeraResult<()> {
    DEADLINE.with(|d| match &*d.borrow() {
        Some((deadline, limit, tripped)) => {
            let stop = if Instant::now() > *deadline {
                tripped.store(true, Ordering::Relaxed);
                Stop::Time(*limit)
            } else if tripped.load(Ordering::Relaxed) {
                Stop::Run
            } else {
                return Ok(());
            };
            STOPPED.with(|s| s.set(Some(stop)));
            Err(tera::Error::message(stop.words().0))
        }
        None => Ok(()),
    })
}

/// Tera's `range(start=0, end, step_by=1)` with the budget checked at each call: a loop
/// over `range` inside another loop calls it once per outer turn.
///
/// # Errors
/// A step of 0, a range of more than [`MAX_RANGE`] numbers, or the render past its time.
pub fn range(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i128>> {
    check()?;
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "`range` was called with `step_by=0`, which would never reach `end`",
        ));
    }
    // Numbers are counted before any is made: `end=10**30` costs nothing.
    let count = if (step > 0 && end > start) || (step < 0 && end < start) {
        (end.abs_diff(start) - 1) / step.unsigned_abs() + 1
    } else {
        0
    };
    if count > MAX_RANGE as u128 {
        return Err(tera::Error::message(format!(
            "`range` would make {count} numbers; a page may loop over at most {MAX_RANGE}"
        )));
    }
    Ok((0..count as i128).map(|i| start + i * step).collect())
}

/// Collects a page's bytes, failing the render once they pass the size budget or the time
/// runs out.
pub struct Writer {
    /// The page so far.
    pub bytes: Vec<u8>,
    limit: u64,
    /// Writes since the clock was last read.
    writes: u32,
}

/// The clock is read once per this many writes: a page makes hundreds of small writes, and
/// a loop that runs away makes millions.
const WRITES_PER_CHECK: u32 = 64;

impl Writer {
    /// An empty page bounded by `limits`.
    pub fn new(limits: Limits) -> Writer {
        Writer {
            bytes: Vec::new(),
            limit: limits.bytes,
            writes: 0,
        }
    }
}

impl Write for Writer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if (self.bytes.len() + buf.len()) as u64 > self.limit {
            STOPPED.with(|s| s.set(Some(Stop::Size(self.limit))));
            return Err(std::io::Error::other("page too large"));
        }
        self.writes += 1;
        if self.writes >= WRITES_PER_CHECK {
            self.writes = 0;
            check().map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range_of(args: &[(&str, i64)]) -> tera::TeraResult<Vec<i128>> {
        let mut tera = tera::Tera::default();
        tera.register_function("range", range);
        let call = args
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        tera.add_raw_template("t", &format!("{{{{ range({call}) | join(sep=',') }}}}"))?;
        let out = tera.render("t", &tera::Context::new())?;
        Ok(out
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap_or_default())
            .collect())
    }

    #[test]
    fn range_is_tera_s_within_bounds() {
        assert_eq!(range_of(&[("end", 3)]).unwrap(), [0, 1, 2]);
        assert_eq!(
            range_of(&[("start", 1), ("end", 7), ("step_by", 3)]).unwrap(),
            [1, 4]
        );
        assert_eq!(
            range_of(&[("start", 5), ("end", 0), ("step_by", -2)]).unwrap(),
            [5, 3, 1]
        );
        assert!(range_of(&[("start", 5), ("end", 0)]).unwrap().is_empty());
        assert!(range_of(&[("end", 1), ("step_by", 0)]).is_err());
        assert!(range_of(&[("end", 100_000_000)]).is_err());
        assert!(range_of(&[("start", i64::MIN), ("end", i64::MAX)]).is_err());
    }

    #[test]
    fn the_budget_stops_a_render_past_its_time_and_is_per_thread() {
        let limits = Limits {
            time: Duration::from_millis(50),
            ..Limits::default()
        };
        let run = Run::default();
        let budget = Budget::start(limits, &run, "page.html", "about/index.html");
        assert!(check().is_ok());
        let ours = |r: &InFlight| r.template == "page.html" && r.page == "about/index.html";
        assert!(in_flight().iter().any(ours));
        std::thread::sleep(Duration::from_millis(60));
        let e = check().unwrap_err().to_string();
        assert!(e.contains("longer than 0.05 s"), "{e}");
        // The next page of the run stops at once; a page of another run does not.
        drop(budget);
        let budget = Budget::start(limits, &run, "page.html", "contacts/index.html");
        assert!(check().is_err());
        drop(budget);
        let budget = Budget::start(limits, &Run::default(), "page.html", "about/index.html");
        assert!(check().is_ok());
        // Another thread has no budget armed.
        assert!(std::thread::spawn(check).join().unwrap().is_ok());
        drop(budget);
        assert!(check().is_ok());
        assert!(!in_flight().iter().any(ours));
    }

    #[test]
    fn the_writer_stops_at_the_size() {
        let mut w = Writer::new(Limits {
            bytes: 10,
            ..Limits::default()
        });
        assert!(w.write_all(b"0123456789").is_ok());
        assert!(w.write_all(b"x").is_err());
    }
}
