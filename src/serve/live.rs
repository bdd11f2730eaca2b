//! Live reload for the preview: the state the watcher loop publishes (a generation number and
//! the current errors) and the Server-Sent Events clients it is pushed to.
//!
//! Invariant: each SSE client has its own thread blocked on its own channel (no spinning),
//! so a client that never reads stalls only itself; the number of clients is bounded.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::Error;

/// Most SSE clients served at once (open tabs); more get 503.
pub const MAX_CLIENTS: usize = 64;
/// A comment is sent this often so that closed connections are noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// What the open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The site was rebuilt: reload the page (the token names the server and generation).
    Reload(String),
    /// Only stylesheets changed: swap them without a reload.
    Css(String),
    /// The last rebuild failed: show these errors over the page.
    Errors(Vec<Error>),
}

impl Event {
    fn to_sse(&self) -> String {
        match self {
            Event::Reload(g) => format!("event: reload\ndata: {g}\n\n"),
            Event::Css(g) => format!("event: css\ndata: {g}\n\n"),
            // Not `error`: EventSource fires its own `error` on every dropped connection.
            Event::Errors(errors) => {
                let list: Vec<serde_json::Value> = errors.iter().map(error_json).collect();
                format!(
                    "event: build-error\ndata: {}\n\n",
                    serde_json::Value::Array(list)
                )
            }
        }
    }
}

/// An error as the overlay shows it.
pub fn error_json(e: &Error) -> serde_json::Value {
    serde_json::json!({"location": e.location(), "message": e.message, "help": e.help})
}

#[derive(Default)]
struct State {
    /// Tells this server process from an earlier one on the same port.
    instance: u64,
    generation: u64,
    errors: Vec<Error>,
    clients: Vec<Sender<String>>,
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

    /// The errors of the last rebuild, empty when it succeeded.
    pub fn errors(&self) -> Vec<Error> {
        self.lock().errors.clone()
    }

    /// A rebuild succeeded: clear the errors and tell every page.
    pub fn rebuilt(&self, css_only: bool) {
        let mut s = self.lock();
        s.generation += 1;
        let had_errors = !s.errors.is_empty();
        s.errors.clear();
        let token = format!("{}-{}", s.instance, s.generation);
        let event = if css_only && !had_errors {
            Event::Css(token)
        } else {
            Event::Reload(token)
        };
        broadcast(&mut s, &event);
    }

    /// A rebuild failed: keep the last good site, show the errors.
    pub fn failed(&self, errors: Vec<Error>) {
        let mut s = self.lock();
        s.errors = errors.clone();
        broadcast(&mut s, &Event::Errors(errors));
    }

    /// Number of connected event clients.
    pub fn clients(&self) -> usize {
        self.lock().clients.len()
    }

    /// Streams events to `out` (an HTTP connection whose response head is not yet written) on a
    /// thread of its own. Returns false when too many clients are connected.
    pub fn attach(&self, mut out: Box<dyn Write + Send>) -> bool {
        let (tx, rx) = mpsc::channel();
        {
            let mut s = self.lock();
            s.clients.retain(|c| c.send(String::new()).is_ok());
            if s.clients.len() >= MAX_CLIENTS {
                let _ = out.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return false;
            }
            // The page learns the generation at once, so that after a server restart it
            // notices it is stale and reloads.
            let _ = tx.send(format!(
                "retry: 1000\nevent: hello\ndata: {}-{}\n\n",
                s.instance, s.generation
            ));
            if !s.errors.is_empty() {
                let _ = tx.send(Event::Errors(s.errors.clone()).to_sse());
            }
            s.clients.push(tx);
        }
        std::thread::spawn(move || stream(out, rx));
        true
    }
}

fn broadcast(s: &mut State, event: &Event) {
    let text = event.to_sse();
    s.clients.retain(|c| c.send(text.clone()).is_ok());
}

fn stream(mut out: Box<dyn Write + Send>, rx: Receiver<String>) {
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
            Ok(text) if text.is_empty() => continue, // liveness probe from `attach`
            Ok(text) => text,
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(chunk.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return; // the page was closed; dropping `rx` removes us at the next broadcast
        }
    }
}

/// The script injected into every HTML page of the preview (never into `build` output).
pub const SCRIPT: &str = r#"(() => {
  const es = new EventSource("/__showcase/events");
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
    let box = document.getElementById("showcase-errors");
    if (!box) {
      box = document.createElement("div");
      box.id = "showcase-errors";
      document.body.prepend(box);
    }
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;" +
      "background:#2b0b0e;color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;padding:16px 20px;border-bottom:3px solid #ff5c5c";
    box.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = "The last change did not build; this page shows the last good version.";
    box.append(title);
    for (const err of JSON.parse(e.data)) {
      const p = document.createElement("p");
      p.style.margin = "8px 0 0";
      p.textContent = "error: " + err.location + ": " + err.message + (err.help ? "\n  help: " + err.help : "");
      p.style.whiteSpace = "pre-wrap";
      box.append(p);
    }
  });
})();
"#;

/// The overlay written into a page served while the last rebuild failed (works without JS).
pub fn overlay_html(errors: &[Error]) -> String {
    let mut s = String::from("<div id=\"showcase-errors\" role=\"alert\" style=\"position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;background:#2b0b0e;color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;padding:16px 20px;border-bottom:3px solid #ff5c5c;white-space:pre-wrap\"><strong>The last change did not build; this page shows the last good version.</strong>");
    for e in errors {
        s.push_str("<p style=\"margin:8px 0 0\">error: ");
        s.push_str(&crate::render::templates::escape(&e.to_string()));
        s.push_str("</p>");
    }
    s.push_str("</div>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
            all.contains("event: build-error\ndata: [")
                && all.contains("\"location\":\"content/a.md:3:1\""),
            "{all}"
        );
        assert!(live.errors().is_empty());
        assert!(overlay_html(&[Error::new("a", "<script>")]).contains("&lt;script&gt;"));
    }
}
