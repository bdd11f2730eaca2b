//! The image stage: every raster image the site publishes (bundle files, `static/`, logos,
//! galleries, images in bodies) is decoded, turned upright by its EXIF orientation and
//! encoded again, so that no original, and none of its metadata (GPS position, camera
//! serial, author, XMP, IPTC, comments, PNG text), is ever published; only the pixels and
//! an RGB colour profile are kept. Each image also gets WebP copies for `srcset`, logo
//! thumbnails and, where a page uses it, a 1200 x 630 link preview.
//!
//! - [`plan`]: what is published for an image, from its header alone (pure);
//! - [`process`]: pixels in, clean files out (pure);
//! - [`social`]: link previews, from pixels or SVG (pure);
//! - [`metadata`]: which metadata blocks a file holds (the leak guard's check);
//! - [`cache`]: the edge: originals read, processed files cached, in parallel.

pub mod cache;
pub mod metadata;
pub mod plan;
pub mod process;
pub mod social;

pub use cache::{publish, Job, Memo, Outcome, Published, SvgJob, CACHE_DIR};
pub use plan::{facts, refusal, Facts, Format, Plan, Role, Settings, Size, Variant};
