//! What the image stage will publish for one raster image, decided from its header alone:
//! the sizes and names of every variant, so that pages can be written (`srcset`, `width`,
//! `height`) before, or while, the pixels are processed. Pure.

use std::io::Cursor;

use image::ImageDecoder;

/// The raster formats the stage reads and writes. A file is one of them by its bytes, not
/// by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    WebP,
}

impl Format {
    /// The file extension written for this format (`jpg`, `png`, `gif`, `webp`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::WebP => "webp",
        }
    }

    /// The format's name for people (`JPEG`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Gif => "GIF",
            Format::WebP => "WebP",
        }
    }

    /// The media type (`image/jpeg`), for `<source type>`.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::WebP => "image/webp",
        }
    }

    /// The format whose signature `bytes` start with.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(Format::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Format::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Format::WebP)
        } else {
            None
        }
    }
}

/// Why a copied file named `name` that starts with `head` (its first bytes) cannot be
/// published, when it is a raster image the stage cannot clean (TIFF and camera raw files,
/// HEIC, AVIF, JPEG XL, JPEG 2000, BMP, ICO, PSD: each can carry EXIF, XMP or a profile),
/// or is named like an image but is not one (a text saved as `photo.jpg`; allowed when
/// `disguise_allowed`: an owner who allows raw HTML publishes pages named as images too).
pub fn refusal(name: &str, head: &[u8], disguise_allowed: bool) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let brand: Option<[u8; 4]> = head
        .get(8..12)
        .filter(|_| head.get(4..8) == Some(b"ftyp"))
        .and_then(|b| b.try_into().ok());
    let by_bytes = if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        Some("a TIFF image (or a camera raw file)")
    } else if brand.is_some_and(|b| [*b"avif", *b"avis"].contains(&b)) {
        Some("an AVIF image")
    } else if brand.is_some_and(|b| {
        [
            *b"heic", *b"heix", *b"hevc", *b"heim", *b"heis", *b"hevm", *b"mif1", *b"msf1",
        ]
        .contains(&b)
    }) {
        Some("a HEIC image")
    } else if head.starts_with(&[0xff, 0x0a]) || head.starts_with(b"\0\0\0\x0cJXL ") {
        Some("a JPEG XL image")
    } else if head.starts_with(b"\0\0\0\x0cjP  ") {
        Some("a JPEG 2000 image")
    } else if head.starts_with(b"BM") && matches!(ext, "bmp" | "dib") {
        Some("a BMP image")
    } else if head.starts_with(&[0, 0, 1, 0]) && ext == "ico" {
        Some("an ICO icon")
    } else if head.starts_with(b"8BPS") {
        Some("a Photoshop file")
    } else {
        None
    };
    let by_name = match ext {
        "tif" | "tiff" | "dng" | "cr2" | "cr3" | "nef" | "arw" | "orf" | "rw2" | "raf" => {
            Some("a TIFF image (or a camera raw file)")
        }
        "heic" | "heif" => Some("a HEIC image"),
        "avif" => Some("an AVIF image"),
        "jxl" => Some("a JPEG XL image"),
        "jp2" | "j2k" => Some("a JPEG 2000 image"),
        "bmp" | "dib" => Some("a BMP image"),
        "ico" | "cur" => Some("an ICO icon"),
        "psd" => Some("a Photoshop file"),
        _ => None,
    };
    if let Some(kind) = by_bytes.or(by_name) {
        return Some(format!(
            "this file is {kind}, which showcase cannot clean of its metadata (GPS position, camera serial, author), so it is not published"
        ));
    }
    let named_raster = matches!(ext, "jpg" | "jpeg" | "png" | "gif" | "webp");
    if named_raster && !disguise_allowed && Format::sniff(head).is_none() {
        return Some(format!(
            "this file is named like a .{ext} image, but its content is not one"
        ));
    }
    None
}

/// What the first bytes of a raster image say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Facts {
    pub format: Format,
    /// Width and height in pixels as the image is shown: after its EXIF orientation.
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation (1-8, TIFF 6.0 tag 274; 1 when absent).
    pub orientation: u8,
}

impl Facts {
    /// The facts of a file that starts like a raster image of `format` but whose size
    /// cannot be read: a zero size, which plans nothing but the published file, and which
    /// the stage then reports as an image it cannot read.
    pub fn unreadable(format: Format) -> Facts {
        Facts {
            format,
            width: 0,
            height: 0,
            orientation: 1,
        }
    }
}

/// Reads the facts of a raster image from the first bytes of its file (`header`, up to
/// [`crate::imagesize::HEADER`] bytes: enough for JPEG files whose size marker follows their
/// metadata). `None` when the bytes are not a JPEG, PNG, GIF or WebP image whose size is in
/// them.
pub fn facts(header: &[u8]) -> Option<Facts> {
    let format = Format::sniff(header)?;
    let image_format = match format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::Gif => image::ImageFormat::Gif,
        Format::WebP => image::ImageFormat::WebP,
    };
    let mut decoder = image::ImageReader::with_format(Cursor::new(header), image_format)
        .into_decoder()
        .ok()?;
    let (w, h) = decoder.dimensions();
    let orientation = decoder
        .orientation()
        .map(|o| o.to_exif())
        .unwrap_or(1)
        .clamp(1, 8);
    if w == 0 || h == 0 {
        return None;
    }
    // Orientations 5-8 turn the image a quarter: its shown width is its stored height.
    let (width, height) = if orientation >= 5 { (h, w) } else { (w, h) };
    Some(Facts {
        format,
        width,
        height,
        orientation,
    })
}

/// The image settings of `site.yaml` (`images:`); see the README's "Images and video".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    /// Widths in pixels of the responsive WebP copies (`images.widths`), ascending.
    pub widths: Vec<u32>,
    /// Widths in pixels of the thumbnails of logos (`images.thumbnails`): a 48-px card logo
    /// and a 96-px page logo, each at 2x density.
    pub thumbnails: Vec<u32>,
    /// The longer side in pixels of the largest published copy (`images.max_size`).
    pub max_size: u32,
    /// JPEG and WebP quality, 1-100 (`images.quality`).
    pub quality: u8,
    /// Originals above this many pixels are a warning (`images.warn_megapixels`).
    pub warn_pixels: u64,
    /// Originals above this many bytes are a warning (`images.warn_size`).
    pub warn_bytes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            widths: vec![360, 720, 1080, 1440, 1920],
            thumbnails: vec![96, 192],
            max_size: 2400,
            quality: 80,
            warn_pixels: 24_000_000,
            warn_bytes: 8_000_000,
        }
    }
}

/// The longer side in pixels below which an image makes no link preview of its own (a
/// favicon-sized logo blown up to 1200 x 630 helps no one): the page keeps the default.
pub const MIN_SOCIAL_SIDE: u32 = 200;

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

impl Size {
    /// This size scaled so that its width is `width` (never below one pixel high).
    pub fn with_width(self, width: u32) -> Size {
        let height = (u64::from(self.height) * u64::from(width) + u64::from(self.width) / 2)
            / u64::from(self.width);
        Size {
            width,
            height: (height as u32).max(1),
        }
    }

    /// This size scaled down, never up, so that its longer side is at most `side`.
    pub fn fit(self, side: u32) -> Size {
        if self.width.max(self.height) <= side || self.width == 0 || self.height == 0 {
            self
        } else if self.width >= self.height {
            self.with_width(side)
        } else {
            let width = (u64::from(self.width) * u64::from(side) + u64::from(self.height) / 2)
                / u64::from(self.height);
            Size {
                width: (width as u32).max(1),
                height: side,
            }
        }
    }
}

/// What a variant is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The cleaned original, at the original's path and in its format (the `src` of every
    /// `<img>`, and what browsers without WebP show).
    Published,
    /// A WebP copy of this width for `srcset`.
    Responsive,
    /// A small copy for a logo, in WebP or in the original's format.
    Thumbnail,
    /// The 1200 x 630 JPEG link preview (`og:image`) of a page that shows the image first.
    Social,
}

/// One file the stage writes for an image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// Output path (`projects/a/photo.jpg.720w.webp`).
    pub output: String,
    pub size: Size,
    pub format: Format,
    pub role: Role,
}

/// Everything the stage publishes for one raster image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Plan {
    /// Output path of the original (`projects/a/photo.jpg`).
    pub output: String,
    pub facts: Facts,
    /// Every file, the published original first. Responsive copies ascend by width, and so
    /// do the thumbnails of each format.
    pub variants: Vec<Variant>,
}

impl Plan {
    /// The plan for the image at `output` (a path of the output, no leading slash). Copies
    /// are never larger than the original; an animated-capable GIF is only cleaned (a
    /// resized still would stop its animation).
    pub fn new(output: &str, facts: Facts, settings: &Settings) -> Plan {
        let shown = Size {
            width: facts.width,
            height: facts.height,
        };
        // A GIF is published whole (resizing every frame is not worth its animation).
        let published = if facts.format == Format::Gif {
            shown
        } else {
            shown.fit(settings.max_size)
        };
        let mut variants = vec![Variant {
            output: output.to_string(),
            size: published,
            format: facts.format,
            role: Role::Published,
        }];
        if facts.format != Format::Gif && facts.width > 0 && facts.height > 0 {
            let mut widths: Vec<u32> = settings
                .widths
                .iter()
                .copied()
                .filter(|&w| w > 0 && w < published.width)
                .collect();
            // The image's own width tops the list when it is within the settings' widest:
            // a copy wider than that is for no display the settings foresee.
            if settings.widths.iter().any(|&w| w >= published.width) || widths.is_empty() {
                widths.push(published.width);
            }
            widths.sort_unstable();
            widths.dedup();
            for w in widths {
                variants.push(Variant {
                    output: format!("{output}.{w}w.webp"),
                    size: published.with_width(w),
                    format: Format::WebP,
                    role: Role::Responsive,
                });
            }
            let mut sides: Vec<u32> = settings
                .thumbnails
                .iter()
                .copied()
                .filter(|&s| s > 0)
                .collect();
            sides.sort_unstable();
            sides.dedup();
            let formats: &[Format] = if facts.format == Format::WebP {
                &[Format::WebP]
            } else {
                &[Format::WebP, facts.format]
            };
            for &format in formats {
                let mut last = None;
                for &side in &sides {
                    let size = published.fit(side);
                    // A small image's thumbnails would all be the image itself: one is kept.
                    if last == Some(size) {
                        continue;
                    }
                    last = Some(size);
                    variants.push(Variant {
                        output: format!("{output}.t{side}.{}", format.extension()),
                        size,
                        format,
                        role: Role::Thumbnail,
                    });
                }
            }
        }
        Plan {
            output: output.to_string(),
            facts,
            variants,
        }
    }

    /// Adds the link preview ([`Role::Social`], `photo.jpg.og.jpg`), once, when the image
    /// is large enough to make one ([`MIN_SOCIAL_SIDE`]); says whether it has one.
    pub fn add_social(&mut self) -> bool {
        let side = self.facts.width.max(self.facts.height);
        if self.social().is_none() && side >= MIN_SOCIAL_SIDE {
            self.variants.push(Variant {
                output: format!("{}.og.jpg", self.output),
                size: super::social::SIZE,
                format: Format::Jpeg,
                role: Role::Social,
            });
        }
        self.social().is_some()
    }

    /// The link preview, when a page uses one.
    pub fn social(&self) -> Option<&Variant> {
        self.variants.iter().find(|v| v.role == Role::Social)
    }

    /// The published original's variant.
    pub fn published(&self) -> &Variant {
        &self.variants[0]
    }

    /// The variants of one role (and, for thumbnails, one format).
    pub fn of(&self, role: Role, format: Option<Format>) -> impl Iterator<Item = &Variant> {
        self.variants
            .iter()
            .filter(move |v| v.role == role && format.is_none_or(|f| v.format == f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(width: u32, height: u32, format: Format) -> Facts {
        Facts {
            format,
            width,
            height,
            orientation: 1,
        }
    }

    #[test]
    fn copies_are_never_upscaled_and_keep_the_aspect_ratio() {
        let p = Plan::new(
            "a/p.jpg",
            facts(4000, 3000, Format::Jpeg),
            &Settings::default(),
        );
        assert_eq!(
            p.published().size,
            Size {
                width: 2400,
                height: 1800
            }
        );
        let widths: Vec<u32> = p.of(Role::Responsive, None).map(|v| v.size.width).collect();
        assert_eq!(widths, [360, 720, 1080, 1440, 1920]);
        assert!(p
            .of(Role::Responsive, None)
            .all(|v| v.size.width * 3 == v.size.height * 4));
        assert_eq!(p.variants[1].output, "a/p.jpg.360w.webp");

        let small = Plan::new("s.png", facts(500, 1000, Format::Png), &Settings::default());
        let widths: Vec<u32> = small
            .of(Role::Responsive, None)
            .map(|v| v.size.width)
            .collect();
        assert_eq!(widths, [360, 500]);
        let thumbs: Vec<(String, Size)> = small
            .of(Role::Thumbnail, Some(Format::Png))
            .map(|v| (v.output.clone(), v.size))
            .collect();
        assert_eq!(
            thumbs,
            [
                (
                    "s.png.t96.png".to_string(),
                    Size {
                        width: 48,
                        height: 96
                    }
                ),
                (
                    "s.png.t192.png".to_string(),
                    Size {
                        width: 96,
                        height: 192
                    }
                )
            ]
        );

        let tiny = Plan::new("t.jpg", facts(40, 30, Format::Jpeg), &Settings::default());
        assert!(tiny.variants.iter().all(|v| v.size
            == Size {
                width: 40,
                height: 30
            }));
    }

    #[test]
    fn gifs_are_only_cleaned() {
        let p = Plan::new("a.gif", facts(800, 600, Format::Gif), &Settings::default());
        assert_eq!(p.variants.len(), 1);
    }

    #[test]
    fn extreme_ratios_keep_a_pixel() {
        let s = Size {
            width: 100_000,
            height: 1,
        }
        .fit(2400);
        assert_eq!(
            s,
            Size {
                width: 2400,
                height: 1
            }
        );
        let s = Size {
            width: 1,
            height: 100_000,
        }
        .fit(96);
        assert_eq!(
            s,
            Size {
                width: 1,
                height: 96
            }
        );
    }
}
