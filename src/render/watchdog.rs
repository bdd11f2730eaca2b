//! The render budget's last line: a thread that watches the renders in flight and the
//! process's memory, for the runaway loops that [`super::budget`] cannot see (a loop that
//! neither writes nor calls a function, a string doubled in a loop with `set_global`).
//!
//! Such a loop cannot be stopped from outside its thread, so the watchdog only says which
//! page and template ran away; its caller ends the process (`build`: nothing was published)
//! or starts it again (`serve`).
//!
//! Memory is read from `/proc/self/statm` (Linux); elsewhere only time is watched.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
use crate::render::budget;

/// How often the watchdog looks.
const EVERY: Duration = Duration::from_millis(100);

/// A render the watchdog gave up on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runaway {
    /// It kept running past [`hard_limit`] of its time budget.
    Time {
        /// The template's file.
        template: PathBuf,
        /// The page's output path.
        page: String,
        /// Its `limits.render_time`.
        limit: Duration,
    },
    /// The process grew past `limits.memory` (bytes) while it rendered.
    Memory {
        /// The template's file.
        template: PathBuf,
        /// The page's output path.
        page: String,
        /// The limit, in bytes.
        limit: u64,
    },
}

impl Runaway {
    /// The error to show: the template's file, the page, what ran away, how to fix it.
    pub fn error(&self) -> Error {
        match self {
            Runaway::Time { template, page, limit } => Error::new(
                template,
                format!(
                    "the page took far longer than {} s to render and was stopped (while rendering /{page})",
                    limit.as_secs_f64()
                ),
            )
            .with_help("a loop runs too long without writing anything: look for a loop inside a loop over large data; `limits.render_time` in site.yaml sets the time (default 10 s)"),
            Runaway::Memory { template, page, limit } => Error::new(
                template,
                format!(
                    "rendering took more than {} MiB of memory and was stopped (while rendering /{page})",
                    limit / (1024 * 1024)
                ),
            )
            .with_help("a value grows in a loop (such as `set_global s = s ~ s`): build it from the data instead; `limits.memory` in site.yaml sets the bound (default half of this machine's memory)"),
        }
    }
}

/// How long past its budget a render may run before the watchdog gives up on it: twice
/// the budget and 5 s more, so that the budget's own check, which names the line, comes
/// first whenever the loop lets it.
pub fn hard_limit(limit: Duration) -> Duration {
    limit * 2 + Duration::from_secs(5)
}

/// The watching thread; dropping this stops it.
pub struct Watchdog {
    stop: Arc<AtomicBool>,
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts watching; `on_runaway` is called once, on the watchdog's thread, with the first
/// runaway render.
pub fn spawn(on_runaway: impl FnOnce(Runaway) + Send + 'static) -> Watchdog {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    let _ = std::thread::Builder::new()
        .name("render-watchdog".into())
        .spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(EVERY);
                if let Some(r) = look(&budget::in_flight(), resident_bytes()) {
                    on_runaway(r);
                    return;
                }
            }
        });
    Watchdog { stop }
}

/// The runaway among `renders` (in flight, longest first), given the process's resident
/// memory.
fn look(renders: &[budget::InFlight], resident: Option<u64>) -> Option<Runaway> {
    let budget::InFlight {
        template,
        page,
        elapsed,
        limits,
    } = renders.first()?.clone();
    let template = PathBuf::from(template);
    if elapsed > hard_limit(limits.time) {
        return Some(Runaway::Time {
            template,
            page,
            limit: limits.time,
        });
    }
    match resident {
        Some(bytes) if bytes > limits.memory => Some(Runaway::Memory {
            template,
            page,
            limit: limits.memory,
        }),
        _ => None,
    }
}

/// The process's resident memory in bytes (Linux: `/proc/self/statm`, in pages).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}

fn page_size() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf has no preconditions; it only reads a system constant.
        #[allow(unsafe_code)]
        let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if n > 0 {
            return n as u64;
        }
    }
    4096
}

/// Half of the machine's memory (Linux: `/proc/meminfo`), at least 1 GiB; 4 GiB where the
/// system does not say. The default of `limits.memory`.
pub fn default_memory_limit() -> u64 {
    const GIB: u64 = 1024 * 1024 * 1024;
    let total = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        let line = m.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    });
    total.map_or(4 * GIB, |t| (t / 2).max(GIB))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::budget::Limits;

    #[test]
    fn a_render_past_its_hard_limit_or_memory_is_a_runaway() {
        assert_eq!(hard_limit(Duration::from_secs(10)), Duration::from_secs(25));
        let limits = Limits {
            time: Duration::from_millis(1),
            memory: 1 << 20,
            ..Limits::default()
        };
        let page = |elapsed| budget::InFlight {
            template: "templates/page.html".into(),
            page: "about/index.html".into(),
            elapsed,
            limits,
        };
        // Time: not yet (5 s of grace), then yes.
        assert_eq!(look(&[page(Duration::from_secs(1))], Some(0)), None);
        assert!(matches!(
            look(&[page(Duration::from_secs(6))], Some(0)),
            Some(Runaway::Time { .. })
        ));
        assert_eq!(look(&[], Some(u64::MAX)), None);
        // Memory: over the bound while a page renders.
        let r = look(&[page(Duration::ZERO)], Some(2 << 20));
        assert!(matches!(r, Some(Runaway::Memory { .. })), "{r:?}");
        let e = r.map(|r| r.error().to_string()).unwrap_or_default();
        assert!(
            e.starts_with("templates/page.html: rendering took more than 1 MiB"),
            "{e}"
        );
        assert!(e.contains("(while rendering /about/index.html)"), "{e}");
    }

    #[test]
    fn memory_is_read() {
        if cfg!(target_os = "linux") {
            assert!(resident_bytes().is_some_and(|b| b > 0));
            assert!(default_memory_limit() >= 1 << 30);
        }
    }
}
