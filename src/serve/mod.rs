//! The preview, `showcase serve`: [`preview`] runs the loop (watch, rebuild, publish),
//! [`watcher`] turns file events into batches, [`server`] serves the built folder over HTTP
//! behind [`front`] (which bounds connections, request heads, threads and time), and [`live`]
//! pushes reloads and errors to the open pages.
//!
//! Nothing here is used by `build` or `check`: the preview drives the same
//! [`crate::pipeline`] and only adds the loop around it.

pub mod front;
pub mod live;
pub mod preview;
pub mod server;
pub mod watcher;
