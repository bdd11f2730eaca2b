//! The preview's front door: accepts connections, waits for each one's request head without
//! a thread, hands only complete, bounded heads to a fixed pool of workers (which let
//! tiny_http parse the request and make the response, see [`crate::serve::server`]), and
//! sends the responses back without a thread: a client that does not read holds no worker.
//!
//! Invariants: the accept loop never ends (an accept error, such as running out of file
//! handles, closes the oldest idle connections and retries after a pause); at most
//! [`MAX_WAITING`] connections wait for their head, each for at most [`HEAD_TIMEOUT`];
//! a head longer than [`MAX_REQUEST_LINE`] / [`MAX_HEAD`] is answered 414 / 431 and never
//! read whole; a request line in another HTTP version than 1.x is answered 505 here (tiny_http
//! would hang a worker on it, see [`check_head`]); at most [`WORKERS`] threads answer
//! requests, one request per connection, and never wait for a client: the responses are
//! sent from this loop, at most [`MAX_SENDING`] at once, each dropped when it does not move
//! [`MIN_PROGRESS`] bytes in [`STALL_TIMEOUT`]. Memory is bounded by these numbers, not by
//! what clients send (files are read as they are sent, into one buffer for all).
//!
//! The heads are looked at with `MSG_PEEK` and left in the socket, so tiny_http reads exactly
//! the bytes checked here (the end of the head is known to be within [`MAX_HEAD`]).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mio::{Events, Interest, Poll, Token, Waker};

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
/// Threads answering requests: each reads one request and makes its response, which the
/// front door then sends (a worker never waits for a client to read).
pub const WORKERS: usize = 16;
/// Complete requests that may wait for a worker; more get 503.
pub const QUEUE: usize = 256;
/// Most responses being sent at once (each holds its socket and file, no thread); a new one
/// drops the one that moved least recently.
pub const MAX_SENDING: usize = 128;
/// A response that does not move [`MIN_PROGRESS`] bytes in this long (its client stopped
/// reading, or trickles) is dropped.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(10);
/// See [`STALL_TIMEOUT`].
pub const MIN_PROGRESS: u64 = 64 * 1024;
/// Most bytes of one response sent in one turn of the loop (then the others get theirs).
const SEND_PER_TURN: u64 = 1 << 20;
/// Most bytes of a file read for one write (into the loop's one buffer).
const SEND_PER_WRITE: usize = 64 * 1024;
/// The send timeout of the writes workers still make themselves (tiny_http's answers to
/// requests it cannot read, the event streams' threads).
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
const WAKER: Token = Token(usize::MAX);

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
/// tiny_http finds it: the third word of the trimmed line; `HTTP/` and two digits is a
/// version, anything else is left to tiny_http.
fn version_served(line: &[u8]) -> bool {
    let Some(version) = line.trim_ascii().split(|&b| b == b' ').nth(2) else {
        return true;
    };
    let other = matches!(version, [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
        if major.is_ascii_digit() && minor.is_ascii_digit());
    !other || [&b"HTTP/1.1"[..], b"HTTP/1.0", b"HTTP/0.9"].contains(&version)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The whole answer for a refused connection (and 503 for a worker out of file handles).
pub(crate) fn refusal(status: u16) -> String {
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

/// Set by a worker that ran out of file handles; the loop then frees some.
static SHORT_OF_HANDLES: AtomicBool = AtomicBool::new(false);

/// Tells the loop that a request found no file handle left (to clone its connection or
/// open its file): it closes idle connections and the responses that moved least recently,
/// as when accepting fails.
pub fn short_of_handles() {
    SHORT_OF_HANDLES.store(true, Ordering::Relaxed);
}

/// Whether `e` says the process or the system is out of file handles (EMFILE, ENFILE).
pub fn out_of_handles(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Serves `listener` until the process ends: `handle` is called on a worker thread with
/// each connection whose head is complete (blocking, with read and write timeouts set) and
/// the [`Outbox`] to hand its response to.
pub fn serve(listener: TcpListener, handle: impl Fn(TcpStream, &Outbox) + Send + Sync + 'static) {
    let (work, queue) = mpsc::sync_channel::<TcpStream>(QUEUE);
    let queue = Arc::new(Mutex::new(queue));
    let handle = Arc::new(handle);
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
    for _ in 0..WORKERS {
        let queue = Arc::clone(&queue);
        let handle = Arc::clone(&handle);
        let outbox = front.outbox.clone();
        std::thread::spawn(move || worker(&queue, &*handle, &outbox));
    }
    loop {
        front.turn();
    }
}

/// A piece of a response.
#[derive(Debug)]
pub enum Part {
    /// Bytes in memory (the head, short texts, the script put into a page).
    Bytes(Vec<u8>),
    /// `len` bytes of `file` from byte `start`, read as they are sent (several parts may
    /// share one open file).
    File {
        /// The open file.
        file: Arc<File>,
        /// The first byte sent.
        start: u64,
        /// How many bytes are sent.
        len: u64,
    },
}

impl Part {
    fn len(&self) -> u64 {
        match self {
            Part::Bytes(b) => b.len() as u64,
            Part::File { len, .. } => *len,
        }
    }
}

/// A whole response for the front door to send.
pub struct Outgoing {
    /// The last handle on the connection: written to without blocking, and closed (which
    /// ends the response) when all is sent or the client is dropped.
    pub conn: TcpStream,
    /// The head and the body, in order.
    pub parts: Vec<Part>,
}

/// Where workers hand their responses to the front door's loop.
#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::Sender<Outgoing>,
    waker: Arc<Waker>,
}

impl Outbox {
    /// Queues `response` and wakes the loop, which sends it.
    pub fn send(&self, response: Outgoing) {
        if self.tx.send(response).is_ok() {
            let _ = self.waker.wake();
        }
    }
}

fn worker(
    queue: &Mutex<Receiver<TcpStream>>,
    handle: &(dyn Fn(TcpStream, &Outbox) + Sync),
    outbox: &Outbox,
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
        // A bug in one request must not take a worker away for good.
        let run = std::panic::AssertUnwindSafe(|| handle(stream, outbox));
        if std::panic::catch_unwind(run).is_err() {
            warn("a request of the preview failed (see above); serving on");
        }
    }
}

/// Reads from `file` at `offset` without moving a shared position (parts of one response
/// may share a file).
pub(crate) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        std::os::windows::fs::FileExt::seek_read(file, buf, offset)
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

/// A response being sent.
struct Sending {
    stream: mio::net::TcpStream,
    parts: VecDeque<Part>,
    /// Bytes of the first part already sent.
    done: u64,
    /// Bytes sent since the deadline last moved.
    moved: u64,
    /// When it is dropped unless it moves [`MIN_PROGRESS`] bytes first.
    deadline: Instant,
}

struct Front {
    poll: Poll,
    listener: mio::net::TcpListener,
    work: SyncSender<TcpStream>,
    outbox: Outbox,
    outgoing: Receiver<Outgoing>,
    /// Connections not handed on, oldest first (tokens only grow).
    conns: BTreeMap<usize, Waiting>,
    /// Responses being sent.
    sending: BTreeMap<usize, Sending>,
    /// Responses that can take more without waiting for the socket (a turn sends at most
    /// [`SEND_PER_TURN`] of each, so that one fast download does not hold up the rest).
    busy: BTreeSet<usize>,
    /// When each waiting connection or response times out.
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
        let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
        let (tx, outgoing) = mpsc::channel();
        Ok(Front {
            poll,
            listener,
            work,
            outbox: Outbox { tx, waker },
            outgoing,
            conns: BTreeMap::new(),
            sending: BTreeMap::new(),
            busy: BTreeSet::new(),
            deadlines: BTreeSet::new(),
            next: 1,
            pending: true,
            paused_until: None,
            last_warning: None,
            scratch: vec![0; SEND_PER_WRITE.max(MAX_HEAD + 1)],
        })
    }

    fn turn(&mut self) {
        let now = Instant::now();
        let wake = [
            self.deadlines.first().map(|d| d.0),
            self.paused_until,
            // More to accept or send than one turn takes: come straight back.
            (self.pending && self.paused_until.is_none() || !self.busy.is_empty()).then_some(now),
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
                WAKER => self.take_outgoing(),
                Token(t) if self.sending.contains_key(&t) => self.send(t),
                Token(t) => self.ready(t),
            }
        }
        for token in std::mem::take(&mut self.busy) {
            self.send(token);
        }
        if SHORT_OF_HANDLES.swap(false, Ordering::Relaxed) {
            self.warn("the preview ran out of file handles; closing idle connections and stalled downloads");
            self.shed();
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
                    self.shed();
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

    /// Starts sending the responses the workers made.
    fn take_outgoing(&mut self) {
        while let Ok(out) = self.outgoing.try_recv() {
            while self.sending.len() >= MAX_SENDING {
                self.drop_stalest();
            }
            if out.conn.set_nonblocking(true).is_err() {
                continue;
            }
            let mut stream = mio::net::TcpStream::from_std(out.conn);
            let token = self.next;
            self.next += 1;
            if self
                .poll
                .registry()
                .register(&mut stream, Token(token), Interest::WRITABLE)
                .is_err()
            {
                continue;
            }
            let deadline = Instant::now() + STALL_TIMEOUT;
            self.sending.insert(
                token,
                Sending {
                    stream,
                    parts: out.parts.into_iter().filter(|p| p.len() > 0).collect(),
                    done: 0,
                    moved: 0,
                    deadline,
                },
            );
            self.deadlines.insert((deadline, token));
            self.send(token);
        }
    }

    /// Sends what the socket of response `token` takes now, up to [`SEND_PER_TURN`]; ends
    /// the response when all is sent or the client is gone.
    fn send(&mut self, token: usize) {
        let mut sent = 0;
        loop {
            let Some(out) = self.sending.get_mut(&token) else {
                return;
            };
            let Some(part) = out.parts.front() else {
                self.finish(token);
                return;
            };
            if sent >= SEND_PER_TURN {
                self.busy.insert(token);
                return;
            }
            let part_len = part.len();
            let written = match part {
                Part::Bytes(b) => out.stream.write(&b[out.done as usize..]),
                Part::File { file, start, .. } => {
                    let left = usize::try_from(part_len - out.done).unwrap_or(usize::MAX);
                    let buf = &mut self.scratch[..left.min(SEND_PER_WRITE)];
                    match read_at(file, buf, start + out.done) {
                        Ok(n) if n > 0 => out.stream.write(&buf[..n]),
                        // The file shrank since it was opened: the announced length cannot
                        // be kept, so the response ends early.
                        Ok(_) => Err(ErrorKind::UnexpectedEof.into()),
                        Err(e) => Err(e),
                    }
                }
            };
            match written {
                Ok(n) if n > 0 => {
                    let n = n as u64;
                    sent += n;
                    out.done += n;
                    out.moved += n;
                    if out.done == part_len {
                        out.parts.pop_front();
                        out.done = 0;
                    }
                    if out.moved >= MIN_PROGRESS {
                        out.moved = 0;
                        let old =
                            std::mem::replace(&mut out.deadline, Instant::now() + STALL_TIMEOUT);
                        self.deadlines.remove(&(old, token));
                        self.deadlines.insert((out.deadline, token));
                    }
                }
                // Full: the socket says when it takes more.
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                _ => {
                    self.finish(token);
                    return;
                }
            }
        }
    }

    /// Ends response `token`: all sent, its client gone or too slow.
    fn finish(&mut self, token: usize) {
        let Some(mut out) = self.sending.remove(&token) else {
            return;
        };
        self.busy.remove(&token);
        self.deadlines.remove(&(out.deadline, token));
        let _ = self.poll.registry().deregister(&mut out.stream);
    }

    /// Frees file handles: closes [`EVICT_ON_ERROR`] connections, those waiting longest for
    /// their head first, then the responses that moved least recently.
    fn shed(&mut self) {
        for _ in 0..EVICT_ON_ERROR {
            if self.conns.is_empty() {
                self.drop_stalest();
            } else {
                self.close_oldest();
            }
        }
    }

    /// Drops the response that moved least recently, to make room.
    fn drop_stalest(&mut self) {
        if let Some(token) = self
            .sending
            .iter()
            .min_by_key(|(_, s)| s.deadline)
            .map(|(&t, _)| t)
        {
            self.finish(token);
        }
    }

    fn expire(&mut self, now: Instant) {
        while let Some((deadline, token)) = self.deadlines.pop_first() {
            if deadline > now {
                self.deadlines.insert((deadline, token));
                break;
            }
            if self.sending.contains_key(&token) {
                // Its client stopped reading, or trickles.
                self.finish(token);
                continue;
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
            "GET / HTTP/1.2\r\n\r\n",
        ] {
            assert_eq!(check_head(h2.as_bytes()), Head::Refuse(505), "{h2}");
        }
        // A line that only ends at a later CRLF is no version: it waits for its end.
        let cr_only = "GET / HTTP/1.1\rHost: x\r\n\r\r";
        assert_eq!(check_head(cr_only.as_bytes()), Head::Incomplete);
        for other in [
            "GET / HTTP/1.0\r\n\r\n",
            "GET / HTTP/0.9\r\n\r\n",
            "GET / http/2.0\r\n\r\n",
            "GET /\r\n\r\n",
            "GET  /  HTTP/2.0\r\n\r\n",
            "GET / HTTP/2.0x\r\n\r\n",
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
    fn responses_are_sent_from_the_loop_in_parts_and_whole() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (work, _queue) = mpsc::sync_channel(1);
        // Its own listener (the test accepts on `listener`, blocking).
        let unused = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut front = Front::new(unused, work).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("f");
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let file = Arc::new(File::open(&path).unwrap());
        // The file grows after it was opened: what was announced is sent, no more.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"later")
            .unwrap();
        let client = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            let mut got = Vec::new();
            s.read_to_end(&mut got).unwrap();
            got
        });
        let (conn, _) = listener.accept().unwrap();
        front.outbox.send(Outgoing {
            conn,
            parts: vec![
                Part::Bytes(b"head|".to_vec()),
                Part::File {
                    file: Arc::clone(&file),
                    start: 10,
                    len: 2_000_000,
                },
                Part::Bytes(Vec::new()),
                Part::Bytes(b"|mid|".to_vec()),
                Part::File {
                    file,
                    start: 0,
                    len: 5,
                },
            ],
        });
        // The first turn takes the response, the next ones send it as the client reads.
        front.turn();
        while !front.sending.is_empty() {
            front.turn();
        }
        let got = client.join().unwrap();
        let mut want = b"head|".to_vec();
        want.extend_from_slice(&data[10..2_000_010]);
        want.extend_from_slice(b"|mid|");
        want.extend_from_slice(&data[..5]);
        assert_eq!(got.len(), want.len());
        assert!(got == want);
        assert!(front.sending.is_empty() && front.deadlines.is_empty());
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
