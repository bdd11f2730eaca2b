//! The preview's front door: accepts connections, waits for each one's request head without
//! a thread, and hands only complete, bounded heads to a fixed pool of workers (which let
//! tiny_http parse the request and write the response, see [`crate::serve::server`]).
//!
//! Invariants: the accept loop never ends (an accept error, such as running out of file
//! handles, closes the oldest idle connections and retries after a pause); at most
//! [`MAX_WAITING`] connections wait for their head, each for at most [`HEAD_TIMEOUT`];
//! a head longer than [`MAX_REQUEST_LINE`] / [`MAX_HEAD`] is answered 414 / 431 and never
//! read whole; a request line in another HTTP version than 1.x is answered 505 here (tiny_http
//! would hang a worker on it, see [`check_head`]); at most [`WORKERS`] threads answer
//! requests, one request per connection. Memory is bounded by these numbers, not by what clients send.
//!
//! The heads are looked at with `MSG_PEEK` and left in the socket, so tiny_http reads exactly
//! the bytes checked here (the end of the head is known to be within [`MAX_HEAD`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mio::{Events, Interest, Poll, Token};

/// Longest request line (method, target, version), in bytes; longer gets 414.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Longest request head (request line and headers), in bytes; longer gets 431.
pub const MAX_HEAD: usize = 32 * 1024;
/// Most header lines in a head; more gets 431.
pub const MAX_HEADERS: usize = 100;
/// Time from connecting to the end of the head; then a partial head gets 408 and an
/// idle connection is closed.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Most connections waiting for their head; a new one closes the one waiting longest.
pub const MAX_WAITING: usize = 512;
/// Threads answering requests (each holds one connection until its response is written).
pub const WORKERS: usize = 16;
/// Complete requests that may wait for a worker; more get 503.
pub const QUEUE: usize = 256;
/// A response that does not move [`MIN_PROGRESS`] bytes in this long (its client stopped
/// reading, or trickles) is ended and its worker freed.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(10);
/// See [`STALL_TIMEOUT`].
pub const MIN_PROGRESS: u64 = 64 * 1024;
/// The send timeout of each write to a handed-off socket (event streams too); a backstop
/// behind the watchdog, which is stricter: a write that sent a few bytes before the
/// timeout counts as a success, and the kernel's send buffer grows by megabytes, so a
/// client that reads nothing can outlast several send timeouts.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// Reading the (already received) head in a worker; only a broken client waits this long.
const READ_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a refused connection is read and thrown away, so that the client sees the
/// answer instead of a reset, and how much of it.
const LINGER: Duration = Duration::from_secs(1);
const MAX_DRAIN: usize = 1 << 20;
/// Pause after an accept error that is not the client's (out of file handles, memory).
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);
/// Idle connections closed on such an error, to free handles for the requests in flight.
const EVICT_ON_ERROR: usize = 16;

const LISTENER: Token = Token(0);

/// What the bytes received so far say about a request head.
#[derive(Debug, PartialEq, Eq)]
pub enum Head {
    /// More bytes are needed.
    Incomplete,
    /// The head ends within the limits and has no body: hand it on.
    Complete,
    /// Answer with this status and close: 414 (request line), 431 (head), 413 (a body),
    /// 505 (an HTTP version other than 1.x).
    Refuse(u16),
}

/// Checks the start of a connection's bytes against the limits. The preview serves only
/// GET and HEAD, so a request announcing a body (`Content-Length` other than 0, or any
/// `Transfer-Encoding`) is refused before tiny_http would read or buffer it.
pub fn check_head(buf: &[u8]) -> Head {
    match find(buf, b"\r\n") {
        Some(end) if end > MAX_REQUEST_LINE => return Head::Refuse(414),
        // A line of MAX_REQUEST_LINE bytes may still be waiting for its "\r\n".
        None if buf.len() > MAX_REQUEST_LINE + 1 => return Head::Refuse(414),
        None => return Head::Incomplete,
        Some(end) if !version_served(&buf[..end]) => return Head::Refuse(505),
        Some(_) => {}
    }
    let Some(end) = find(buf, b"\r\n\r\n") else {
        return if buf.len() >= MAX_HEAD {
            Head::Refuse(431)
        } else {
            Head::Incomplete
        };
    };
    if end + 4 > MAX_HEAD {
        return Head::Refuse(431);
    }
    let headers = buf[..end].split(|&b| b == b'\n').skip(1);
    for (n, line) in headers.enumerate() {
        if n >= MAX_HEADERS {
            return Head::Refuse(431);
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue; // tiny_http answers 400
        };
        let name = line[..colon].trim_ascii();
        let value = line[colon + 1..].trim_ascii();
        if name.eq_ignore_ascii_case(b"transfer-encoding")
            || (name.eq_ignore_ascii_case(b"content-length") && value != b"0")
        {
            return Head::Refuse(413);
        }
    }
    Head::Complete
}

/// Whether tiny_http may be handed a request line with this version: it answers HTTP/2.0
/// and HTTP/3.0 (an HTTP/2 client's `PRI * HTTP/2.0` preface) with 505 while it still holds
/// the request's writer, and so waits for itself for ever; a worker lost per request. Other
/// lines go on (tiny_http answers 400 to what it cannot read). The version is found as
/// tiny_http finds it: the third word of the trimmed line.
fn version_served(line: &[u8]) -> bool {
    let Some(version) = line.trim_ascii().split(|&b| b == b' ').nth(2) else {
        return true;
    };
    !version.starts_with(b"HTTP/")
        || [&b"HTTP/1.1"[..], b"HTTP/1.0", b"HTTP/0.9"].contains(&version)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The whole answer for a refused connection.
fn refusal(status: u16) -> String {
    let (reason, text) = match status {
        408 => (
            "Request Timeout",
            "the request head did not arrive in time\n".to_string(),
        ),
        413 => (
            "Content Too Large",
            "the preview takes no request bodies\n".to_string(),
        ),
        414 => (
            "URI Too Long",
            format!("the request line is longer than {MAX_REQUEST_LINE} bytes\n"),
        ),
        431 => (
            "Request Header Fields Too Large",
            format!("the request head is longer than {MAX_HEAD} bytes or has more than {MAX_HEADERS} headers\n"),
        ),
        505 => (
            "HTTP Version Not Supported",
            "the preview speaks HTTP/1.1\n".to_string(),
        ),
        _ => (
            "Service Unavailable",
            "the preview is busy; try again\n".to_string(),
        ),
    };
    let retry = if status == 503 {
        "Retry-After: 1\r\n"
    } else {
        ""
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n{retry}\r\n{text}",
        text.len()
    )
}

/// Serves `listener` until the process ends: `handle` is called on a worker thread with
/// each connection whose head is complete (blocking, with read and write timeouts set) and
/// the worker's [`Progress`], to be ticked as the response's bytes go out.
pub fn serve(listener: TcpListener, handle: impl Fn(TcpStream, &Progress) + Send + Sync + 'static) {
    let (work, queue) = mpsc::sync_channel::<TcpStream>(QUEUE);
    let queue = Arc::new(Mutex::new(queue));
    let handle = Arc::new(handle);
    let start = Instant::now();
    let slots: Vec<Progress> = (0..WORKERS).map(|_| Progress::new(start)).collect();
    for slot in &slots {
        let queue = Arc::clone(&queue);
        let handle = Arc::clone(&handle);
        let slot = slot.clone();
        std::thread::spawn(move || worker(&queue, &*handle, &slot));
    }
    std::thread::spawn(move || watchdog(&slots));
    let mut front = loop {
        match listener
            .try_clone()
            .and_then(|l| Front::new(l, work.clone()))
        {
            Ok(front) => break front,
            Err(e) => {
                warn(&format!("the preview cannot poll its connections: {e}"));
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    };
    loop {
        front.turn();
    }
}

/// A worker's connection and when its response last moved, for the watchdog.
#[derive(Clone)]
pub struct Progress(Arc<Slot>);

struct Slot {
    start: Instant,
    /// Milliseconds from `start` to when the response last moved [`MIN_PROGRESS`] bytes.
    last: AtomicU64,
    /// Bytes of the response taken by its writer so far, and at `last`.
    sent: AtomicU64,
    mark: AtomicU64,
    /// A handle on the socket being answered (shut down to end a stalled response).
    conn: Mutex<Option<TcpStream>>,
}

impl Progress {
    fn new(start: Instant) -> Progress {
        Progress(Arc::new(Slot {
            start,
            last: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            mark: AtomicU64::new(0),
            conn: Mutex::new(None),
        }))
    }

    /// Milliseconds since the response last moved [`MIN_PROGRESS`] bytes.
    fn stalled_for(&self) -> u64 {
        let now = self.0.start.elapsed().as_millis() as u64;
        now.saturating_sub(self.0.last.load(Ordering::Relaxed))
    }

    /// The response's writer took `bytes` more (tiny_http asks for the next piece once the
    /// last one is written).
    pub fn moved(&self, bytes: u64) {
        let slot = &self.0;
        let sent = slot.sent.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if sent - slot.mark.load(Ordering::Relaxed) >= MIN_PROGRESS {
            slot.mark.store(sent, Ordering::Relaxed);
            slot.last
                .store(slot.start.elapsed().as_millis() as u64, Ordering::Relaxed);
        }
    }

    fn set(&self, conn: Option<TcpStream>) {
        let slot = &self.0;
        slot.sent.store(0, Ordering::Relaxed);
        slot.mark.store(0, Ordering::Relaxed);
        slot.last
            .store(slot.start.elapsed().as_millis() as u64, Ordering::Relaxed);
        *slot.conn.lock().unwrap_or_else(|p| p.into_inner()) = conn;
    }
}

/// Ends the responses that did not move [`MIN_PROGRESS`] bytes in [`STALL_TIMEOUT`]: a
/// blocked write returns at once when its socket is shut down.
fn watchdog(slots: &[Progress]) {
    loop {
        std::thread::sleep(Duration::from_millis(250));
        for slot in slots {
            if slot.stalled_for() <= STALL_TIMEOUT.as_millis() as u64 {
                continue;
            }
            let mut conn = slot.0.conn.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(stream) = conn.take() {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }
}

fn worker(
    queue: &Mutex<Receiver<TcpStream>>,
    handle: &(dyn Fn(TcpStream, &Progress) + Sync),
    slot: &Progress,
) {
    loop {
        let next = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(stream) = next else { return };
        let ready = stream
            .set_nonblocking(false)
            .and_then(|_| stream.set_read_timeout(Some(READ_TIMEOUT)))
            .and_then(|_| stream.set_write_timeout(Some(SEND_TIMEOUT)));
        if ready.is_err() {
            continue;
        }
        let _ = stream.set_nodelay(true);
        slot.set(stream.try_clone().ok());
        // A bug in one request must not take a worker away for good.
        let run = std::panic::AssertUnwindSafe(|| handle(stream, slot));
        if std::panic::catch_unwind(run).is_err() {
            warn("a request of the preview failed (see above); serving on");
        }
        slot.set(None);
    }
}

/// One line on the terminal, in the form the preview's own log uses.
fn warn(message: &str) {
    eprintln!("warning: {message}");
}

struct Waiting {
    stream: mio::net::TcpStream,
    deadline: Instant,
    /// Bytes of head seen so far (0: nothing came yet); `None` once refused (then the rest
    /// is read and thrown away until the deadline).
    seen: Option<usize>,
    drained: usize,
}

struct Front {
    poll: Poll,
    listener: mio::net::TcpListener,
    work: SyncSender<TcpStream>,
    /// Connections not handed on, oldest first (tokens only grow).
    conns: BTreeMap<usize, Waiting>,
    deadlines: BTreeSet<(Instant, usize)>,
    next: usize,
    /// The listener may have connections to accept (it is edge-triggered).
    pending: bool,
    paused_until: Option<Instant>,
    last_warning: Option<Instant>,
    scratch: Vec<u8>,
}

impl Front {
    fn new(listener: TcpListener, work: SyncSender<TcpStream>) -> std::io::Result<Front> {
        listener.set_nonblocking(true)?;
        let poll = Poll::new()?;
        let mut listener = mio::net::TcpListener::from_std(listener);
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        Ok(Front {
            poll,
            listener,
            work,
            conns: BTreeMap::new(),
            deadlines: BTreeSet::new(),
            next: 1,
            pending: true,
            paused_until: None,
            last_warning: None,
            scratch: vec![0; MAX_HEAD + 1],
        })
    }

    fn turn(&mut self) {
        let now = Instant::now();
        let wake = [
            self.deadlines.first().map(|d| d.0),
            self.paused_until,
            // More to accept than one turn takes: come straight back.
            (self.pending && self.paused_until.is_none()).then_some(now),
        ]
        .into_iter()
        .flatten()
        .min();
        let timeout = wake.map(|w| w.saturating_duration_since(now));
        let mut events = Events::with_capacity(256);
        if let Err(e) = self.poll.poll(&mut events, timeout) {
            if e.kind() != ErrorKind::Interrupted {
                self.warn(&format!("the preview cannot poll its connections: {e}"));
                std::thread::sleep(ACCEPT_PAUSE);
            }
            return;
        }
        for event in &events {
            match event.token() {
                LISTENER => self.pending = true,
                Token(t) => self.ready(t),
            }
        }
        if self.pending {
            self.accept();
        }
        self.expire(Instant::now());
    }

    fn accept(&mut self) {
        if let Some(until) = self.paused_until {
            if Instant::now() < until {
                return;
            }
            self.paused_until = None;
        }
        // A bounded batch per turn, so that waiting connections are served too.
        for _ in 0..256 {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    while self.conns.len() >= MAX_WAITING {
                        self.close_oldest();
                    }
                    if let Some(token) = self.register(stream, HEAD_TIMEOUT) {
                        // Bytes that came before the registration may raise no new edge.
                        self.ready(token);
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    self.pending = false;
                    return;
                }
                // The client's doing (it left before we took it), not ours: go on.
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::ConnectionAborted
                            | ErrorKind::ConnectionReset
                            | ErrorKind::Interrupted
                    ) => {}
                // Out of file handles or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM) or
                // anything else: tiny_http's own loop ended here and the preview went
                // deaf (tiny-http issue 283). Free what idle connections hold, pause, retry.
                Err(e) => {
                    self.warn(&format!(
                        "the preview cannot accept connections ({e}); closing idle ones and trying again"
                    ));
                    for _ in 0..EVICT_ON_ERROR {
                        self.close_oldest();
                    }
                    self.paused_until = Some(Instant::now() + ACCEPT_PAUSE);
                    return;
                }
            }
        }
    }

    /// Starts watching `stream` for its head, until `within` from now.
    fn register(&mut self, mut stream: mio::net::TcpStream, within: Duration) -> Option<usize> {
        let token = self.next;
        self.next += 1;
        self.poll
            .registry()
            .register(&mut stream, Token(token), Interest::READABLE)
            .ok()?;
        let deadline = Instant::now() + within;
        let conn = Waiting {
            stream,
            deadline,
            seen: Some(0),
            drained: 0,
        };
        self.conns.insert(token, conn);
        self.deadlines.insert((deadline, token));
        Some(token)
    }

    fn ready(&mut self, token: usize) {
        let Some(conn) = self.conns.get_mut(&token) else {
            return;
        };
        if conn.seen.is_none() {
            self.drain(token);
            return;
        }
        match conn.stream.peek(&mut self.scratch) {
            Ok(0) => self.close(token),
            Ok(n) => match check_head(&self.scratch[..n]) {
                Head::Incomplete => conn.seen = Some(n),
                Head::Complete => self.hand_off(token),
                Head::Refuse(status) => self.refuse(token, status),
            },
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(_) => self.close(token),
        }
    }

    fn forget(&mut self, token: usize) -> Option<mio::net::TcpStream> {
        let mut conn = self.conns.remove(&token)?;
        self.deadlines.remove(&(conn.deadline, token));
        let _ = self.poll.registry().deregister(&mut conn.stream);
        Some(conn.stream)
    }

    fn close(&mut self, token: usize) {
        drop(self.forget(token));
    }

    fn close_oldest(&mut self) {
        if let Some(&oldest) = self.conns.keys().next() {
            self.close(oldest);
        }
    }

    fn hand_off(&mut self, token: usize) {
        let Some(stream) = self.forget(token) else {
            return;
        };
        match self.work.try_send(TcpStream::from(stream)) {
            Ok(()) => {}
            // Every worker is busy and the queue is full: say so at once.
            Err(TrySendError::Full(stream)) => {
                let stream = mio::net::TcpStream::from_std(stream);
                if let Some(token) = self.register(stream, LINGER) {
                    self.refuse(token, 503);
                }
            }
            Err(TrySendError::Disconnected(_)) => {}
        }
    }

    /// Answers `status`, stops sending, and reads what the client still sends for a moment.
    fn refuse(&mut self, token: usize, status: u16) {
        let Some(conn) = self.conns.get_mut(&token) else {
            return;
        };
        // A few hundred bytes into an empty socket buffer: a non-blocking write takes them.
        let _ = conn.stream.write_all(refusal(status).as_bytes());
        let _ = conn.stream.shutdown(Shutdown::Write);
        conn.seen = None;
        let old = std::mem::replace(&mut conn.deadline, Instant::now() + LINGER);
        let new = conn.deadline;
        self.deadlines.remove(&(old, token));
        self.deadlines.insert((new, token));
        self.drain(token);
    }

    fn drain(&mut self, token: usize) {
        let Some(conn) = self.conns.get_mut(&token) else {
            return;
        };
        loop {
            match conn.stream.read(&mut self.scratch) {
                Ok(0) => break,
                Ok(n) => {
                    conn.drained += n;
                    if conn.drained > MAX_DRAIN {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        self.close(token);
    }

    fn expire(&mut self, now: Instant) {
        while let Some((deadline, token)) = self.deadlines.pop_first() {
            if deadline > now {
                self.deadlines.insert((deadline, token));
                break;
            }
            match self.conns.get(&token).map(|c| c.seen) {
                // Part of a head came: say why the connection ends.
                Some(Some(seen)) if seen > 0 => self.refuse(token, 408),
                _ => self.close(token),
            }
        }
    }

    /// At most one warning every 10 s: a flood must not flood the terminal too.
    fn warn(&mut self, message: &str) {
        let now = Instant::now();
        if self
            .last_warning
            .is_none_or(|t| now.duration_since(t) > Duration::from_secs(10))
        {
            self.last_warning = Some(now);
            warn(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_checked_against_the_limits() {
        assert_eq!(check_head(b"GET / HTTP/1.1\r\nHost: x"), Head::Incomplete);
        assert_eq!(check_head(b"GET / HTTP/1.1\r\n\r\n"), Head::Complete);
        assert_eq!(
            check_head(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
            Head::Complete
        );
        let line = |n: usize| format!("GET /{} HTTP/1.1", "a".repeat(n - 14));
        assert_eq!(line(MAX_REQUEST_LINE).len(), MAX_REQUEST_LINE);
        let ok = format!("{}\r\n\r\n", line(MAX_REQUEST_LINE));
        assert_eq!(check_head(ok.as_bytes()), Head::Complete);
        assert_eq!(
            check_head(line(MAX_REQUEST_LINE).as_bytes()),
            Head::Incomplete
        );
        let long = format!("{}\r\n\r\n", line(MAX_REQUEST_LINE + 1));
        assert_eq!(check_head(long.as_bytes()), Head::Refuse(414));
        assert_eq!(
            check_head(line(MAX_REQUEST_LINE + 2).as_bytes()),
            Head::Refuse(414)
        );
        let big = format!("GET / HTTP/1.1\r\nCookie: {}", "c".repeat(MAX_HEAD));
        assert_eq!(check_head(big.as_bytes()), Head::Refuse(431));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(check_head(many.as_bytes()), Head::Refuse(431));
        let enough = format!("GET / HTTP/1.1\r\n{}\r\n", "A: b\r\n".repeat(MAX_HEADERS));
        assert_eq!(check_head(enough.as_bytes()), Head::Complete);
        for h2 in [
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "GET / HTTP/3.0\r\n\r\n",
            "GET / HTTP/2.0 x\r\n\r\n",
        ] {
            assert_eq!(check_head(h2.as_bytes()), Head::Refuse(505), "{h2}");
        }
        for other in [
            "GET / HTTP/1.0\r\n\r\n",
            "GET / HTTP/0.9\r\n\r\n",
            "GET / http/2.0\r\n\r\n",
            "GET /\r\n\r\n",
            "GET  /  HTTP/2.0\r\n\r\n",
        ] {
            assert_eq!(check_head(other.as_bytes()), Head::Complete, "{other}");
        }
        for body in [
            "POST / HTTP/1.1\r\nContent-Length: 400000000\r\n\r\n",
            "POST / HTTP/1.1\r\ncontent-length : 1\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        ] {
            assert_eq!(check_head(body.as_bytes()), Head::Refuse(413), "{body}");
        }
    }

    #[test]
    fn progress_counts_only_whole_steps() {
        let start = Instant::now() - Duration::from_secs(60);
        let p = Progress::new(start);
        p.set(None);
        assert!(p.stalled_for() < 1000);
        p.0.last.store(0, Ordering::Relaxed); // as if set a minute ago
                                              // A trickle does not count as progress...
        for _ in 0..10 {
            p.moved(MIN_PROGRESS / 16);
        }
        assert!(p.stalled_for() >= 59_000);
        // ...until it adds up to a step.
        p.moved(MIN_PROGRESS);
        assert!(p.stalled_for() < 1000);
    }

    #[test]
    fn refusals_are_whole_answers() {
        for status in [408, 413, 414, 431, 503, 505] {
            let r = refusal(status);
            let (head, body) = r.split_once("\r\n\r\n").unwrap();
            assert!(head.starts_with(&format!("HTTP/1.1 {status} ")));
            assert!(head.contains(&format!("Content-Length: {}", body.len())));
        }
    }
}
