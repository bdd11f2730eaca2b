//! Pixels in, clean files out: decodes an original, turns it upright by its EXIF
//! orientation, and encodes each variant of its [`Plan`] afresh. Nothing of the original's
//! container survives (EXIF with GPS, maker notes and thumbnails, XMP, IPTC, comments, PNG
//! text chunks, colour profiles): only the pixels are carried over, converted to sRGB. Pure:
//! bytes in, bytes out.

use std::io::Cursor;

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageEncoder};

use super::plan::{Format, Plan, Size};

/// Images above this many pixels are not decoded at all (a 10,000 x 10,000 scan; about
/// 400 MB once decoded): a larger one is more likely a decompression bomb than a photo.
pub const MAX_PIXELS: u64 = 100_000_000;

/// Frames times pixels of a GIF above which it is refused, for the same reason.
const MAX_GIF_PIXELS: u64 = 400_000_000;

/// Encodes the variants `wanted` (indexes into `plan.variants`) of the image `original`,
/// with JPEG and WebP at `quality` (1-100). Returns each variant's bytes, in the order of
/// `wanted`. Errors are plain sentences for the editor ("the image data is damaged...").
pub fn encode(
    original: &[u8],
    plan: &Plan,
    wanted: &[usize],
    quality: u8,
) -> Result<Vec<Vec<u8>>, String> {
    let facts = &plan.facts;
    if facts.width == 0 || facts.height == 0 {
        return Err(format!(
            "it starts like a {} image, but its size cannot be read",
            facts.format.name()
        ));
    }
    let pixels = u64::from(facts.width) * u64::from(facts.height);
    if pixels > MAX_PIXELS {
        return Err(format!(
            "the image is {} x {} pixels ({} megapixels), more than showcase opens ({} megapixels)",
            facts.width,
            facts.height,
            pixels / 1_000_000,
            MAX_PIXELS / 1_000_000
        ));
    }
    if facts.format == Format::Gif {
        // A GIF's one variant is itself, cleaned; its link preview is its first frame.
        return wanted
            .iter()
            .map(|&i| match plan.variants[i].role {
                super::plan::Role::Social => {
                    let first =
                        image::load_from_memory_with_format(original, image::ImageFormat::Gif)
                            .map_err(|e| format!("the image data cannot be read ({e})"))?;
                    super::social::from_pixels(
                        &DynamicImage::ImageRgba8(first.into_rgba8()),
                        quality,
                    )
                }
                _ => clean_gif(original),
            })
            .collect();
    }
    let image_format = match facts.format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::WebP => image::ImageFormat::WebP,
        Format::Gif => image::ImageFormat::Gif,
    };
    // A JPEG cut short decodes "successfully" to grey: its end-of-image marker says it
    // is whole (ITU T.81, B.2.1).
    if facts.format == Format::Jpeg && !jpeg_is_whole(original) {
        return Err("the file is cut short (a JPEG ends with an end-of-image marker)".into());
    }
    let damaged = |e: image::ImageError| format!("the image data cannot be read ({e})");
    let mut decoder = image::ImageReader::with_format(Cursor::new(original), image_format)
        .into_decoder()
        .map_err(damaged)?;
    let icc = decoder.icc_profile().ok().flatten();
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    img.apply_orientation(orientation);
    if (img.width(), img.height()) != (facts.width, facts.height) {
        return Err(format!(
            "the image's header says {} x {} pixels but its data is {} x {}",
            facts.width,
            facts.height,
            img.width(),
            img.height()
        ));
    }
    // Eight bits per channel, with alpha only when the original has it.
    let mut img = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    };
    if let Some(profile) = &icc {
        to_srgb(&mut img, profile);
    }
    // Every copy is made from the published size (made once from the original), which
    // keeps the work per image near one resize of the original.
    let published = resize(&img, plan.published().size)?;
    drop(img);
    wanted
        .iter()
        .map(|&i| {
            let v = &plan.variants[i];
            if v.role == super::plan::Role::Social {
                return super::social::from_pixels(&published, quality);
            }
            let pixels = if v.size == plan.published().size {
                std::borrow::Cow::Borrowed(&published)
            } else {
                std::borrow::Cow::Owned(resize(&published, v.size)?)
            };
            write(&pixels, v.format, quality)
        })
        .collect()
}

/// `img` scaled to `size` (Lanczos 3; alpha is premultiplied while it is scaled).
pub(super) fn resize(img: &DynamicImage, size: Size) -> Result<DynamicImage, String> {
    if (img.width(), img.height()) == (size.width, size.height) {
        return Ok(img.clone());
    }
    let mut out = match img {
        DynamicImage::ImageRgba8(_) => DynamicImage::new_rgba8(size.width, size.height),
        _ => DynamicImage::new_rgb8(size.width, size.height),
    };
    fr::Resizer::new()
        .resize(
            img,
            &mut out,
            &fr::ResizeOptions::new()
                .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3)),
        )
        .map_err(|e| format!("the image could not be resized ({e})"))?;
    Ok(out)
}

/// Converts `img` (8-bit RGB or RGBA) from the colour space of the ICC profile `profile`
/// to sRGB, the web's default, so that no profile is published: a profile is free-form
/// data (device names, serial numbers, owners in its text tags) that the stage cannot
/// vouch for. An unreadable or non-RGB profile leaves the pixels as they are (read as
/// sRGB, as browsers do). Colour management by Mozilla's `qcms`.
fn to_srgb(img: &mut DynamicImage, profile: &[u8]) {
    let (Some(input), true) = (
        qcms::Profile::new_from_slice(profile, false),
        is_rgb_profile(profile),
    ) else {
        return;
    };
    let mut output = qcms::Profile::new_sRGB();
    output.precache_output_transform();
    let (kind, data) = match img {
        DynamicImage::ImageRgba8(b) => (qcms::DataType::RGBA8, &mut **b),
        DynamicImage::ImageRgb8(b) => (qcms::DataType::RGB8, &mut **b),
        _ => return,
    };
    if let Some(t) = qcms::Transform::new(&input, &output, kind, qcms::Intent::Perceptual) {
        t.apply(data);
    }
}

/// `img` (8-bit RGB or RGBA) encoded as `format`, with no metadata of any kind.
pub(super) fn write(img: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = (img.width(), img.height());
    let color = img.color().into();
    let failed = |e: image::ImageError| format!("the image could not be encoded ({e})");
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            let rgb;
            let bytes = if img.color().has_alpha() {
                rgb = DynamicImage::ImageRgb8(img.to_rgb8());
                rgb.as_bytes()
            } else {
                img.as_bytes()
            };
            let e =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
            e.write_image(bytes, w, h, image::ExtendedColorType::Rgb8)
                .map_err(failed)?;
        }
        Format::Png => {
            let e = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            );
            e.write_image(img.as_bytes(), w, h, color).map_err(failed)?;
        }
        Format::WebP => {
            // libwebp: the `image` crate writes lossless WebP only, several times larger
            // for photographs.
            let encoder = if img.color().has_alpha() {
                webp::Encoder::from_rgba(img.as_bytes(), w, h)
            } else {
                webp::Encoder::from_rgb(img.as_bytes(), w, h)
            };
            let mut config = webp::WebPConfig::new()
                .map_err(|()| "the WebP encoder could not be set up".to_string())?;
            config.quality = f32::from(quality.clamp(1, 100));
            // Method 2 of 0-6: about twice as fast as libwebp's default (4), for files a
            // few percent larger.
            config.method = 2;
            out = encoder
                .encode_advanced(&config)
                .map_err(|e| format!("the image could not be encoded ({e:?})"))?
                .to_vec();
        }
        Format::Gif => {
            image::codecs::gif::GifEncoder::new(&mut out)
                .encode(&img.to_rgba8(), w, h, image::ExtendedColorType::Rgba8)
                .map_err(failed)?;
        }
    }
    Ok(out)
}

/// A GIF with every frame kept (and its timing, and looping forever) and nothing else:
/// comments and application blocks (XMP) are not written again.
fn clean_gif(original: &[u8]) -> Result<Vec<u8>, String> {
    use image::AnimationDecoder;
    let decoder = image::codecs::gif::GifDecoder::new(Cursor::new(original))
        .map_err(|e| format!("the image data cannot be read ({e})"))?;
    let (w, h) = decoder.dimensions();
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new_with_speed(&mut out, 10);
        encoder
            .set_repeat(image::codecs::gif::Repeat::Infinite)
            .map_err(|e| format!("the image could not be encoded ({e})"))?;
        let mut budget = MAX_GIF_PIXELS;
        for frame in decoder.into_frames() {
            let frame = frame.map_err(|e| format!("the image data cannot be read ({e})"))?;
            budget = budget
                .checked_sub(u64::from(w) * u64::from(h))
                .ok_or("the animation has more frames than showcase opens")?;
            encoder
                .encode_frame(frame)
                .map_err(|e| format!("the image could not be encoded ({e})"))?;
        }
    }
    Ok(out)
}

/// Whether a JPEG's scan data is followed by its end-of-image marker: the segments before
/// the first start-of-scan are skipped by their lengths (an EXIF thumbnail has an end
/// marker of its own).
fn jpeg_is_whole(b: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xff {
            return false;
        }
        match b[i + 1] {
            0xff => i += 1,
            0xda => return b[i..].windows(2).any(|w| w == [0xff, 0xd9]),
            _ => i += 2 + usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]])),
        }
    }
    false
}

/// Whether an ICC profile describes RGB data (ICC.1:2022, header bytes 16-19: the data
/// colour space `RGB `). The pixels are always written as RGB: a CMYK or grey profile
/// would misdescribe them.
fn is_rgb_profile(profile: &[u8]) -> bool {
    profile.get(16..20) == Some(b"RGB ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::plan::{facts, Settings};

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }));
        write(&img, Format::Jpeg, 90).unwrap()
    }

    #[test]
    fn every_variant_has_its_planned_size_and_format() {
        let original = jpeg(800, 500);
        let f = facts(&original).unwrap();
        let plan = Plan::new("a.jpg", f, &Settings::default());
        let wanted: Vec<usize> = (0..plan.variants.len()).collect();
        let out = encode(&original, &plan, &wanted, 80).unwrap();
        for (v, bytes) in plan.variants.iter().zip(&out) {
            assert_eq!(Format::sniff(bytes), Some(v.format), "{}", v.output);
            let got = facts(bytes).unwrap();
            assert_eq!(
                (got.width, got.height),
                (v.size.width, v.size.height),
                "{}",
                v.output
            );
        }
    }

    #[test]
    fn damaged_data_is_an_error_not_a_panic() {
        let mut original = jpeg(64, 64);
        let f = facts(&original).unwrap();
        original.truncate(300);
        let plan = Plan::new("a.jpg", f, &Settings::default());
        let r = std::panic::catch_unwind(|| encode(&original, &plan, &[0], 80));
        assert!(r.is_ok(), "panicked");
    }

    #[test]
    fn a_bomb_is_refused_before_it_is_decoded() {
        let f = crate::images::plan::Facts {
            format: Format::Png,
            width: 50_000,
            height: 50_000,
            orientation: 1,
        };
        let plan = Plan::new("b.png", f, &Settings::default());
        let e = encode(b"\x89PNG\r\n\x1a\n", &plan, &[0], 80).unwrap_err();
        assert!(e.contains("2500 megapixels"), "{e}");
    }
}
