//! Live reload for the preview: the state the watcher loop publishes (a generation number and
//! the current errors) and the Server-Sent Events clients it is pushed to.
//!
//! Invariants: each SSE client has its own thread blocked on its own bounded queue (no
//! spinning), so a client that never reads stalls only itself: a write to it fails after
//! [`crate::serve::front::SEND_TIMEOUT`], and a client [`QUEUE`] events behind is
//! disconnected (its page reconnects and learns the generation from `hello`). The number of
//! clients is bounded, and so is every error the pages are shown (each message, the number
//! of errors and the whole event), so memory does not grow with what a save contains.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::Error;

/// The style of the error panel: fixed over the top of the page, at most 70% of its
/// height, long words broken rather than scrolled sideways.
macro_rules! panel_style {
    () => {
        "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;background:#2b0b0e;color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;padding:12px 20px;border-bottom:3px solid #ff5c5c;white-space:pre-wrap;overflow-wrap:anywhere"
    };
}

/// Most SSE clients served at once (open tabs); more get 503.
pub const MAX_CLIENTS: usize = 64;
/// Events waiting for one client; a client further behind is disconnected.
pub const QUEUE: usize = 16;
/// Longest error message the pages are shown, in bytes (the terminal prints it whole).
pub const MAX_MESSAGE: usize = 2 * 1024;
/// Longest `help` line the pages are shown, in bytes.
const MAX_HELP: usize = 512;
/// Most errors the pages are shown; the rest are counted in a last line.
pub const MAX_ERRORS: usize = 20;
/// Largest event sent (its `data`), in bytes.
pub const MAX_EVENT: usize = 64 * 1024;
/// A comment is sent this often so that closed connections are noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// What the open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The site was rebuilt: reload the page (the token names the server and generation).
    Reload(String),
    /// Only stylesheets changed: swap them without a reload.
    Css(String),
    /// The last rebuild failed: show these errors over the page. The flag says whether
    /// the folder holds a good site from before (else the site has not built yet).
    Errors(Vec<Error>, bool),
}

impl Event {
    fn to_sse(&self) -> String {
        match self {
            Event::Reload(g) => format!("event: reload\ndata: {g}\n\n"),
            Event::Css(g) => format!("event: css\ndata: {g}\n\n"),
            // Not `error`: EventSource fires its own `error` on every dropped connection.
            Event::Errors(errors, built) => format!(
                "event: build-error\ndata: {{\"built\":{built},\"errors\":{}}}\n\n",
                errors_data(errors)
            ),
        }
    }
}

/// The errors as a JSON array of at most [`MAX_EVENT`] bytes: the errors that fit, then a
/// last entry that counts the others.
fn errors_data(errors: &[Error]) -> String {
    // Room kept for the counting entry.
    const NOTE: usize = 256;
    let mut data = String::from("[");
    let mut shown = 0;
    for e in errors {
        let item = error_json(e).to_string();
        if data.len() + item.len() + 2 > MAX_EVENT - NOTE {
            break;
        }
        if shown > 0 {
            data.push(',');
        }
        data.push_str(&item);
        shown += 1;
    }
    if shown < errors.len() {
        let note = more_errors(errors.len() - shown);
        if shown > 0 {
            data.push(',');
        }
        data.push_str(&error_json(&note).to_string());
    }
    data.push(']');
    data
}

/// An error as the overlay shows it.
pub fn error_json(e: &Error) -> serde_json::Value {
    serde_json::json!({"location": e.location(), "message": e.message, "help": e.help})
}

fn more_errors(n: usize) -> Error {
    let s = if n == 1 { "" } else { "s" };
    Error::new(
        "(preview)",
        format!("{n} more error{s} not shown here; the terminal lists them all"),
    )
}

/// `text` cut to at most `max` bytes (on a character boundary) with a note saying how much
/// is not shown.
fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let cut = (0..=max)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!(
        "{} … [{} more bytes not shown; the terminal has the whole message]",
        &text[..cut],
        text.len() - cut
    )
}

/// The errors as the pages are shown them: at most [`MAX_ERRORS`], each message and help cut
/// to [`MAX_MESSAGE`] and 512 bytes, and a last line counting the rest.
pub fn bounded(errors: &[Error]) -> Vec<Error> {
    let mut out: Vec<Error> = errors
        .iter()
        .take(MAX_ERRORS)
        .map(|e| {
            let mut e = e.clone();
            e.message = truncate(&e.message, MAX_MESSAGE);
            e.help = e.help.as_deref().map(|h| truncate(h, MAX_HELP));
            e
        })
        .collect();
    if errors.len() > MAX_ERRORS {
        out.push(more_errors(errors.len() - MAX_ERRORS));
    }
    out
}

struct Client {
    queue: SyncSender<Arc<str>>,
    /// Set by the client's thread when it ends.
    gone: Arc<AtomicBool>,
}

#[derive(Default)]
struct State {
    /// Tells this server process from an earlier one on the same port.
    instance: u64,
    generation: u64,
    /// The errors of the last rebuild, already [`bounded`].
    errors: Vec<Error>,
    /// Their event, sent again to each page that connects while they last.
    errors_event: Option<Arc<str>>,
    /// The folder holds a good site: a build succeeded, or the process this one replaced
    /// left one.
    built: bool,
    clients: Vec<Client>,
}

/// Shared between the rebuild loop (which publishes) and the server (which streams).
#[derive(Default, Clone)]
pub struct Live {
    state: Arc<Mutex<State>>,
}

impl Live {
    /// A new state at generation 0 without errors.
    pub fn new() -> Live {
        let live = Live::default();
        live.lock().instance = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        live
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The current generation (bumped on every successful rebuild).
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// The errors of the last rebuild as the pages show them ([`bounded`]), empty when it
    /// succeeded.
    pub fn errors(&self) -> Vec<Error> {
        self.lock().errors.clone()
    }

    /// A rebuild succeeded: clear the errors and tell every page.
    pub fn rebuilt(&self, css_only: bool) {
        let mut s = self.lock();
        s.built = true;
        s.generation += 1;
        let had_errors = !s.errors.is_empty();
        s.errors.clear();
        s.errors_event = None;
        let token = format!("{}-{}", s.instance, s.generation);
        let event = if css_only && !had_errors {
            Event::Css(token)
        } else {
            Event::Reload(token)
        };
        broadcast(&mut s, event.to_sse().into());
    }

    /// The folder already holds a good site (the one a replaced preview process left).
    pub fn has_site(&self) {
        self.lock().built = true;
    }

    /// Whether the folder holds a good site: a build succeeded, or [`Live::has_site`].
    pub fn built(&self) -> bool {
        self.lock().built
    }

    /// The panel to write into a page served now, when the last rebuild failed.
    pub fn overlay(&self) -> Option<String> {
        let s = self.lock();
        (!s.errors.is_empty()).then(|| overlay_html(&s.errors, s.built))
    }

    /// A rebuild failed: keep the last good site, show the errors (bounded).
    pub fn failed(&self, errors: Vec<Error>) {
        let errors = bounded(&errors);
        let mut s = self.lock();
        let event: Arc<str> = Event::Errors(errors.clone(), s.built).to_sse().into();
        s.errors = errors;
        s.errors_event = Some(Arc::clone(&event));
        broadcast(&mut s, event);
    }

    /// Number of connected event clients.
    pub fn clients(&self) -> usize {
        let mut s = self.lock();
        s.clients.retain(|c| !c.gone.load(Ordering::Relaxed));
        s.clients.len()
    }

    /// Streams events to `out` (an HTTP connection whose response head is not yet written) on a
    /// thread of its own. Returns false when too many clients are connected.
    pub fn attach(&self, mut out: Box<dyn Write + Send>) -> bool {
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let gone = Arc::new(AtomicBool::new(false));
        {
            let mut s = self.lock();
            s.clients.retain(|c| !c.gone.load(Ordering::Relaxed));
            if s.clients.len() >= MAX_CLIENTS {
                let _ = out.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return false;
            }
            // The page learns the generation at once, so that after a server restart it
            // notices it is stale and reloads.
            let hello = format!(
                "retry: 1000\nevent: hello\ndata: {}-{}\n\n",
                s.instance, s.generation
            );
            let _ = tx.try_send(hello.into());
            if let Some(errors) = &s.errors_event {
                let _ = tx.try_send(Arc::clone(errors));
            }
            s.clients.push(Client {
                queue: tx,
                gone: Arc::clone(&gone),
            });
        }
        std::thread::spawn(move || {
            stream(out, rx);
            gone.store(true, Ordering::Relaxed);
        });
        true
    }
}

/// Queues `text` for every client; one whose queue is full (it does not read) is dropped.
fn broadcast(s: &mut State, text: Arc<str>) {
    s.clients
        .retain(|c| !c.gone.load(Ordering::Relaxed) && c.queue.try_send(Arc::clone(&text)).is_ok());
}

fn stream(mut out: Box<dyn Write + Send>, rx: Receiver<Arc<str>>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let chunk = match rx.recv_timeout(HEARTBEAT) {
            Ok(text) => text,
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".into(),
            // Dropped by `broadcast` (too far behind) or the server is going away.
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // The socket's write timeout ends a client that stopped reading.
        if out
            .write_all(chunk.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
    }
}

/// The script injected into every HTML page of the preview (never into `build` output).
pub const SCRIPT: &str = concat!(
    "(() => {\n  const PANEL = \"",
    panel_style!(),
    "\";\n",
    r#"  const es = new EventSource("/__showcase/events");
  let generation = null;
  // `hello` comes on every (re)connection with "instance-generation": a new server or a
  // rebuild missed while disconnected means the page is stale.
  es.addEventListener("hello", (e) => {
    if (generation !== null && generation !== e.data) location.reload();
    generation = e.data;
    // A failing build says so again right after hello; otherwise the panel is stale.
    const box = document.getElementById("showcase-errors");
    if (box) box.remove();
  });
  es.addEventListener("reload", () => location.reload());
  es.addEventListener("css", (e) => {
    generation = e.data;
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("v", e.data);
      const next = link.cloneNode();
      next.href = url.href;
      next.onload = () => link.remove();
      link.after(next);
    }
  });
  es.addEventListener("build-error", (e) => {
    const data = JSON.parse(e.data);
    const old = document.getElementById("showcase-errors");
    const box = document.createElement("details");
    box.id = "showcase-errors";
    box.setAttribute("role", "alert");
    box.style.cssText = PANEL;
    // Open on every new error, even if the last panel was folded away.
    box.open = true;
    const title = document.createElement("summary");
    title.style.cssText = "cursor:pointer;font-weight:bold";
    title.textContent = heading(data.built, data.errors.length);
    box.append(title);
    for (const err of data.errors) {
      const p = document.createElement("p");
      p.style.margin = "8px 0 0";
      p.textContent = "error: " + err.location + ": " + err.message + (err.help ? "\n  help: " + err.help : "");
      box.append(p);
    }
    if (old) old.replaceWith(box); else document.body.prepend(box);
  });
  function heading(built, n) {
    const count = n === 1 ? "1 error" : n + " errors";
    return (built
      ? "The last change did not build; this page shows the last good version"
      : "The site has not built yet: fix the errors and this page loads by itself")
      + " (" + count + "; click to fold)";
  }
})();
"#
);

/// The panel written into a page served while the last rebuild failed: a `<details>`
/// element, so that it folds away to one line without JavaScript. `built`: the folder
/// holds a good site from before (else it says the site has not built yet).
pub fn overlay_html(errors: &[Error], built: bool) -> String {
    let count = match errors.len() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    };
    let title = if built {
        "The last change did not build; this page shows the last good version"
    } else {
        "The site has not built yet: fix the errors and this page loads by itself"
    };
    let mut s = format!(
        "<details open id=\"showcase-errors\" role=\"alert\" style=\"{}\"><summary style=\"cursor:pointer;font-weight:bold\">{title} ({count}; click to fold)</summary>",
        panel_style!()
    );
    for e in errors {
        s.push_str("<p style=\"margin:8px 0 0\">error: ");
        s.push_str(&crate::render::templates::escape(&e.to_string()));
        s.push_str("</p>");
    }
    s.push_str("</details>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::Sender;

    #[test]
    fn events_reach_clients_and_errors_are_replayed() {
        let live = Live::new();
        live.failed(vec![Error::at("content/a.md", 3, Some(1), "bad <x>")]);
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        struct Pipe(Sender<Vec<u8>>);
        impl Write for Pipe {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0
                    .send(b.to_vec())
                    .map_err(|_| std::io::ErrorKind::BrokenPipe)?;
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        assert!(live.attach(Box::new(Pipe(tx))));
        live.rebuilt(false);
        let mut all = String::new();
        while !all.contains("event: reload") {
            all.push_str(
                &String::from_utf8(rx.recv_timeout(Duration::from_secs(2)).unwrap()).unwrap(),
            );
        }
        assert!(all.contains("text/event-stream"));
        assert!(
            all.contains("event: hello\ndata: ") && all.contains("-0\n"),
            "{all}"
        );
        assert!(
            all.contains("event: build-error\ndata: {\"built\":false,\"errors\":[")
                && all.contains("\"location\":\"content/a.md:3:1\""),
            "{all}"
        );
        assert!(live.errors().is_empty());
        let panel = overlay_html(&[Error::new("a", "<script>")], true);
        assert!(panel.contains("&lt;script&gt;"));
        assert!(panel.contains("shows the last good version (1 error; click to fold)"));
        assert!(overlay_html(&[], false).contains("The site has not built yet"));
    }

    #[test]
    fn huge_errors_are_cut_and_events_bounded() {
        let big = "x".repeat(1 << 20);
        let errors: Vec<Error> = (0..100)
            .map(|i| {
                Error::at(format!("content/{i}.md"), 1, None, big.clone()).with_help(big.clone())
            })
            .collect();
        let shown = bounded(&errors);
        assert_eq!(shown.len(), MAX_ERRORS + 1);
        assert!(shown[0].message.len() < MAX_MESSAGE + 100);
        assert!(shown[0]
            .message
            .ends_with("… [1046528 more bytes not shown; the terminal has the whole message]"));
        assert!(shown[0].help.as_ref().unwrap().len() < MAX_HELP + 100);
        assert!(shown[MAX_ERRORS]
            .message
            .starts_with("80 more errors not shown"));
        let sse = Event::Errors(shown, true).to_sse();
        let data = sse
            .strip_prefix("event: build-error\ndata: ")
            .unwrap()
            .trim_end();
        assert!(data.len() <= MAX_EVENT, "{}", data.len());
        let parsed: serde_json::Value = serde_json::from_str(data).unwrap();
        assert_eq!(parsed["errors"].as_array().unwrap().len(), MAX_ERRORS + 1);
        // Control characters grow sixfold in JSON: the event stays bounded, and says what
        // it left out.
        let ctl = vec![Error::new("a", "\u{1}".repeat(MAX_MESSAGE)); MAX_ERRORS];
        let data = errors_data(&bounded(&ctl));
        assert!(data.len() <= MAX_EVENT, "{}", data.len());
        assert!(data.contains("more errors not shown here"), "{data}");
        // Text is cut on a character boundary.
        assert!(truncate(&"ж".repeat(2000), 101).starts_with(&format!("{} …", "ж".repeat(50))));
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn a_client_that_does_not_read_is_dropped_not_buffered() {
        // A connection whose every write blocks until the test ends.
        struct Stuck(Receiver<()>);
        impl Write for Stuck {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                let _ = self.0.recv();
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let live = Live::new();
        let (release, stuck) = mpsc::channel();
        assert!(live.attach(Box::new(Stuck(stuck))));
        assert_eq!(live.clients(), 1);
        for i in 0..QUEUE {
            live.failed(vec![Error::new("a", format!("error {i}"))]);
        }
        assert_eq!(live.clients(), 0, "dropped once {QUEUE} events behind");
        drop(release);
    }
}
