//! `showcase`: the static-site generator of the Defense Tech IT Park program showcase.
//!
//! The pipeline (see [`pipeline`]) runs one way: files ([`source`]) -> typed content
//! ([`content`]) -> validated site graph ([`site`]) -> rendered pages ([`render`]) -> output
//! folder ([`output`]).

pub mod active;
pub mod archetype;
pub mod config;
pub mod content;
pub mod error;
pub mod i18n;
pub mod images;
pub mod imagesize;
pub mod incremental;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod site;
pub mod source;
pub mod translations;
pub mod url;
pub mod video;
pub mod xmlchar;
pub mod yaml;
