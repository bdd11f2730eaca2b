//! Social previews: the 1200 x 630 JPEG that messengers and social networks show for a
//! shared link (`og:image`; Open Graph protocol, ogp.me). They do not render SVG, and crop
//! other shapes unpredictably, so every preview is drawn at exactly that size: the image is
//! fitted whole (nothing cropped away), on its own average colour, or on white with a margin
//! when it has transparency (a logo). Pure.

use image::{DynamicImage, GenericImageView, Rgb, RgbImage};

use super::plan::{Format, Size};
use super::process;

/// The size of every social preview (the size Facebook, LinkedIn and Telegram recommend
/// for large link previews: 1.91:1).
pub const SIZE: Size = Size {
    width: 1200,
    height: 630,
};

/// Margin around an image with transparency, in pixels.
const MARGIN: u32 = 80;

/// The preview of `img` (8-bit RGB or RGBA, upright), as JPEG bytes at `quality`.
pub fn from_pixels(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    compose(img, img.color().has_alpha(), quality)
}

/// [`from_pixels`], on white with a margin when `transparent`.
fn compose(img: &DynamicImage, transparent: bool, quality: u8) -> Result<Vec<u8>, String> {
    let (room, background) = if transparent {
        (
            Size {
                width: SIZE.width - 2 * MARGIN,
                height: SIZE.height - 2 * MARGIN,
            },
            Rgb([255, 255, 255]),
        )
    } else {
        (SIZE, average(img))
    };
    let size = contain(
        Size {
            width: img.width(),
            height: img.height(),
        },
        room,
    );
    let fitted = process::resize(img, size)?;
    let mut canvas = RgbImage::from_pixel(SIZE.width, SIZE.height, background);
    let (x0, y0) = (
        (SIZE.width - size.width) / 2,
        (SIZE.height - size.height) / 2,
    );
    for (x, y, p) in fitted.pixels() {
        let a = u32::from(p.0[3]);
        let under = canvas.get_pixel(x0 + x, y0 + y).0;
        let mix =
            |i: usize| ((u32::from(p.0[i]) * a + u32::from(under[i]) * (255 - a)) / 255) as u8;
        canvas.put_pixel(x0 + x, y0 + y, Rgb([mix(0), mix(1), mix(2)]));
    }
    process::write(&DynamicImage::ImageRgb8(canvas), Format::Jpeg, quality)
}

/// The preview of an SVG drawing (`svg`, already cleaned of active content). External
/// files are never loaded; text is drawn with the machine's fonts when it has any.
pub fn from_svg(svg: &[u8], quality: u8) -> Result<Vec<u8>, String> {
    let options = svg_options(svg);
    let tree = resvg::usvg::Tree::from_data(svg, &options)
        .map_err(|e| format!("the SVG drawing cannot be read ({e})"))?;
    let room = Size {
        width: SIZE.width - 2 * MARGIN,
        height: SIZE.height - 2 * MARGIN,
    };
    let natural = tree.size();
    // A drawing that fills the whole preview (the theme's own) is drawn edge to edge.
    let full = (natural.width() / natural.height() - 1200.0 / 630.0).abs() < 0.01;
    let room = if full { SIZE } else { room };
    let scale = (room.width as f32 / natural.width()).min(room.height as f32 / natural.height());
    let (w, h) = (
        ((natural.width() * scale).round() as u32).max(1),
        ((natural.height() * scale).round() as u32).max(1),
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or("the SVG drawing has no size")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // tiny-skia's pixels are premultiplied; `from_pixels` wants them straight.
    let rgba = image::RgbaImage::from_fn(w, h, |x, y| {
        let p = pixmap.pixel(x, y).map(|p| p.demultiply());
        p.map_or(image::Rgba([0, 0, 0, 0]), |c| {
            image::Rgba([c.red(), c.green(), c.blue(), c.alpha()])
        })
    });
    compose(&DynamicImage::ImageRgba8(rgba), !full, quality)
}

fn svg_options(svg: &[u8]) -> resvg::usvg::Options<'static> {
    let mut options = resvg::usvg::Options {
        resources_dir: None,
        ..Default::default()
    };
    // Neither files nor URLs an untrusted drawing names are read.
    options.image_href_resolver = resvg::usvg::ImageHrefResolver {
        resolve_data: Box::new(|_, _, _| None),
        resolve_string: Box::new(|_, _| None),
    };
    if memchr_text(svg) {
        options.fontdb = std::sync::Arc::clone(system_fonts());
    }
    options
}

fn memchr_text(svg: &[u8]) -> bool {
    svg.windows(5).any(|w| w == b"<text")
}

/// The machine's fonts, loaded once per run (only for drawings with text).
fn system_fonts() -> &'static std::sync::Arc<resvg::usvg::fontdb::Database> {
    static FONTS: std::sync::OnceLock<std::sync::Arc<resvg::usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_system_fonts();
        // fontdb's generic families name fonts a Linux machine rarely has (Arial, Times
        // New Roman): each is given the first family of its kind that is installed.
        let installed: std::collections::HashSet<String> = db
            .faces()
            .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
            .collect();
        let first =
            |families: &[&'static str]| families.iter().copied().find(|f| installed.contains(*f));
        if let Some(f) = first(&["Arial", "Noto Sans", "DejaVu Sans", "Liberation Sans"]) {
            db.set_sans_serif_family(f);
        }
        if let Some(f) = first(&[
            "Times New Roman",
            "Noto Serif",
            "DejaVu Serif",
            "Liberation Serif",
        ]) {
            db.set_serif_family(f);
        }
        if let Some(f) = first(&[
            "Courier New",
            "Noto Sans Mono",
            "DejaVu Sans Mono",
            "Liberation Mono",
        ]) {
            db.set_monospace_family(f);
        }
        std::sync::Arc::new(db)
    })
}

/// `size` scaled to fit inside `room`, whole, up or down.
fn contain(size: Size, room: Size) -> Size {
    let by_width = u64::from(room.width) * u64::from(size.height)
        <= u64::from(room.height) * u64::from(size.width);
    if by_width {
        let height =
            (u64::from(size.height) * u64::from(room.width) / u64::from(size.width)) as u32;
        Size {
            width: room.width,
            height: height.clamp(1, room.height),
        }
    } else {
        let width =
            (u64::from(size.width) * u64::from(room.height) / u64::from(size.height)) as u32;
        Size {
            width: width.clamp(1, room.width),
            height: room.height,
        }
    }
}

/// The average colour of `img`, darkened a little so that the image stands out on it.
fn average(img: &DynamicImage) -> Rgb<u8> {
    let small = img.thumbnail(16, 16).to_rgb8();
    let n = u64::from(small.width() * small.height()).max(1);
    let mut sum = [0u64; 3];
    for p in small.pixels() {
        for (s, c) in sum.iter_mut().zip(p.0) {
            *s += u64::from(c);
        }
    }
    Rgb(sum.map(|s| (s / n * 3 / 4) as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size_of(jpeg: &[u8]) -> (u32, u32) {
        let f = crate::images::plan::facts(jpeg).unwrap();
        (f.width, f.height)
    }

    #[test]
    fn previews_are_1200_by_630_whatever_the_shape() {
        for (w, h) in [(4000, 3000), (300, 1200), (1200, 630), (10, 10)] {
            let img = DynamicImage::new_rgb8(w, h);
            assert_eq!(size_of(&from_pixels(&img, 80).unwrap()), (1200, 630));
        }
        let logo = DynamicImage::new_rgba8(64, 64);
        assert_eq!(size_of(&from_pixels(&logo, 80).unwrap()), (1200, 630));
    }

    #[test]
    fn svg_drawings_are_rasterised_without_reading_files() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><rect width="10" height="10" fill="red"/><image href="/etc/passwd" width="5" height="5"/><image xlink:href="file:///etc/hostname" width="5" height="5"/></svg>"#;
        let jpeg = from_svg(svg, 80).unwrap();
        assert_eq!(size_of(&jpeg), (1200, 630));
        assert!(from_svg(b"<svg", 80).is_err());
    }
}
