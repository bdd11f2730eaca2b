//! Photos as the comms team drops them in: camera JPEGs with GPS, serial numbers, authors,
//! an orientation tag and an embedded thumbnail, PNGs with text chunks, WebP with XMP. The
//! photos are made at run time; every assertion reads the published files.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::TestSite;

use exif::{Field, In, Tag, Value};
use img_parts::{ImageEXIF, ImageICC};

/// The front matter of a valid project of the base site (without its `---` lines).
macro_rules! project {
    () => {
        "title: A\nsummary: A.\ncohort: 2025-autumn\nareas: [telecom]\nstage: pilot\ntrl: 5\n"
    };
}

/// The base site's settings, to be followed by more.
macro_rules! site_yaml {
    () => {
        "-- site.yaml --\ntitle: Test Park\nbase_url: https://test.example.kz\nlanguages:\n  ru: { title: Тестовый парк }\n  kk: { title: Сынақ паркі }\nareas:\n  telecom: { en: Telecommunications, ru: Телекоммуникации }\n  satellite: Satellite solutions\n"
    };
}

const SECRETS: &[&str] = &[
    "Jane Photographer",
    "SN-4242-SECRET",
    "Test Range North",
    "PhoneMaker",
    "XMP-HIDDEN-NOTE",
    "IPTC-CAPTION-SECRET",
    "COMMENT-SECRET",
    "PNG-AUTHOR-SECRET",
];

/// EXIF (TIFF) bytes with orientation, GPS, make, model, serial, artist, and a JPEG
/// thumbnail in IFD1.
fn exif_block(orientation: u16, thumbnail: &[u8]) -> Vec<u8> {
    let ascii = |s: &str| Value::Ascii(vec![s.as_bytes().to_vec()]);
    let rational =
        |v: &[(u32, u32)]| Value::Rational(v.iter().map(|&(n, d)| (n, d).into()).collect());
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: ascii("PhoneMaker"),
        },
        Field {
            tag: Tag::Model,
            ifd_num: In::PRIMARY,
            value: ascii("PM-1 Pro"),
        },
        Field {
            tag: Tag::Artist,
            ifd_num: In::PRIMARY,
            value: ascii("Jane Photographer"),
        },
        Field {
            tag: Tag::BodySerialNumber,
            ifd_num: In::PRIMARY,
            value: ascii("SN-4242-SECRET"),
        },
        Field {
            tag: Tag::ImageDescription,
            ifd_num: In::PRIMARY,
            value: ascii("Test Range North"),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: ascii("N"),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: rational(&[(43, 1), (14, 1), (3712, 100)]),
        },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: ascii("E"),
        },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: rational(&[(76, 1), (53, 1), (1200, 100)]),
        },
    ];
    let mut w = exif::experimental::Writer::new();
    for f in &fields {
        w.push_field(f);
    }
    w.set_jpeg(thumbnail, In::THUMBNAIL);
    let mut out = std::io::Cursor::new(Vec::new());
    w.write(&mut out, false).unwrap();
    out.into_inner()
}

/// A photo-like picture (gradients and noise, so that it does not compress to nothing).
fn pixels(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        let n = (x.wrapping_mul(2654435761) ^ y.wrapping_mul(40503)) % 23;
        image::Rgb([
            (x * 255 / w) as u8,
            (y * 255 / h) as u8,
            (120 + n * 3) as u8,
        ])
    })
}

fn jpeg_bytes(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(img)
        .unwrap();
    out
}

/// A camera JPEG stored `w` x `h` with orientation `orientation`, GPS and the rest, XMP,
/// IPTC and a comment.
fn camera_jpeg(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let thumb = jpeg_bytes(&pixels(160, 120));
    let mut j = img_parts::jpeg::Jpeg::from_bytes(jpeg_bytes(&pixels(w, h)).into()).unwrap();
    j.set_exif(Some(exif_block(orientation, &thumb).into()));
    let seg = |marker: u8, bytes: Vec<u8>| {
        img_parts::jpeg::JpegSegment::new_with_contents(marker, bytes.into())
    };
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>XMP-HIDDEN-NOTE</x:xmpmeta>".to_vec();
    xmp.push(0);
    j.segments_mut().insert(2, seg(0xe1, xmp));
    j.segments_mut().insert(
        3,
        seg(0xed, b"Photoshop 3.0\08BIM IPTC-CAPTION-SECRET".to_vec()),
    );
    j.segments_mut()
        .insert(4, seg(0xfe, b"COMMENT-SECRET".to_vec()));
    j.encoder().bytes().to_vec()
}

/// A PNG with an alpha channel, a text chunk, an eXIf chunk and a colour profile.
fn png_with_text() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(300, 200, |x, y| {
        image::Rgba([x as u8, y as u8, 90, if x < 20 { 0 } else { 255 }])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    let mut p = img_parts::png::Png::from_bytes(out.into()).unwrap();
    let n = p.chunks().len();
    p.chunks_mut().insert(
        1,
        img_parts::png::PngChunk::new(*b"tEXt", b"Author\0PNG-AUTHOR-SECRET".to_vec().into()),
    );
    p.chunks_mut().insert(
        n,
        img_parts::png::PngChunk::new(*b"eXIf", exif_block(1, &[]).into()),
    );
    p.encoder().bytes().to_vec()
}

/// A WebP with EXIF and XMP chunks.
fn webp_with_xmp() -> Vec<u8> {
    let img = pixels(640, 480);
    let bytes = webp::Encoder::from_rgb(img.as_raw(), 640, 480)
        .encode(80.0)
        .to_vec();
    let mut w = img_parts::webp::WebP::from_bytes(bytes.into()).unwrap();
    w.set_exif(Some(exif_block(1, &[]).into()));
    w.set_icc_profile(None);
    let xmp = img_parts::riff::RiffChunk::new(
        *b"XMP ",
        img_parts::riff::RiffContent::Data(
            b"<x:xmpmeta>XMP-HIDDEN-NOTE</x:xmpmeta>".to_vec().into(),
        ),
    );
    w.chunks_mut().push(xmp);
    w.encoder().bytes().to_vec()
}

fn size_of(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory(bytes).unwrap();
    (img.width(), img.height())
}

/// The site of a project with a camera photo as logo, in its gallery and in its body.
fn photo_site() -> TestSite {
    let site = TestSite::base_with(
        r#"-- content/projects/kestrel/index.md --
---
title: Kestrel
summary: A drone.
cohort: 2025-autumn
areas: [telecom]
stage: prototype
trl: 4
logo: photo.jpg
gallery:
  - photo.jpg
  - src: cutout.png
    alt: The drone on a white table
    caption: The prototype, March 2026
  - /images/field.webp
---
The drone at the test range:

![Kestrel over the steppe](photo.jpg "Kestrel")
-- content/projects/kestrel/index.ru.md --
---
title: Кестрел
gallery:
  - photo.jpg
  - src: cutout.png
    alt: Дрон на белом столе
  - /images/field.webp
---
Дрон.
"#,
    );
    // Stored 1200 x 900, orientation 6: shown 900 x 1200.
    site.write_bytes(
        "content/projects/kestrel/photo.jpg",
        &camera_jpeg(1200, 900, 6),
    );
    site.write_bytes("content/projects/kestrel/cutout.png", &png_with_text());
    site.write_bytes("static/images/field.webp", &webp_with_xmp());
    site
}

#[test]
fn no_published_file_carries_the_photos_metadata() {
    let site = photo_site();
    site.build();
    let files = site.snapshot();
    for (path, bytes) in &files {
        for s in SECRETS {
            assert!(
                !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                "{path} carries {s:?}"
            );
        }
        assert!(
            !bytes.windows(6).any(|w| w == b"Exif\0\0"),
            "{path} has an EXIF block"
        );
        if let Some(blocks) = showcase::images::metadata::blocks(bytes) {
            assert!(blocks.is_empty(), "{path}: {blocks:?}");
            let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes));
            assert!(exif.is_err(), "{path} has EXIF fields");
        }
    }
    // The originals' names are published; their bytes are not.
    let original = std::fs::read(site.path("content/projects/kestrel/photo.jpg")).unwrap();
    let published: Vec<u8> = std::fs::read(site.path("public/projects/kestrel/photo.jpg")).unwrap();
    assert_ne!(original, published);
    assert!(files.iter().any(|(p, _)| p == "images/field.webp"));
}

#[test]
fn photos_are_published_upright_with_copies_no_larger_than_needed() {
    let site = photo_site();
    site.build();
    let out = site.path("public");
    let read = |rel: &str| std::fs::read(out.join(rel)).unwrap();
    // Orientation 6 applied: the stored 1200 x 900 photo is shown 900 x 1200.
    assert_eq!(size_of(&read("projects/kestrel/photo.jpg")), (900, 1200));
    let html = site.read("projects/kestrel/index.html");
    let body = html.split("class=\"content\"").nth(1).unwrap();
    assert!(body.contains("width=\"900\" height=\"1200\""), "{body}");
    assert!(body.contains("alt=\"Kestrel over the steppe\""));
    // Every srcset candidate exists, has the width it claims, and none is wider than the
    // published photo.
    let mut candidates = 0;
    for srcset in html.split("srcset=\"").skip(1) {
        let list = &srcset[..srcset.find('"').unwrap()];
        for c in list.split(", ") {
            let (url, w) = c.rsplit_once(' ').unwrap();
            let w: u32 = w.trim_end_matches('w').parse().unwrap();
            let bytes = read(url.trim_start_matches('/'));
            let (aw, _) = size_of(&bytes);
            assert_eq!(aw, w, "{url}");
            candidates += 1;
        }
    }
    assert!(candidates >= 6, "{candidates} candidates");
    let webp: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("projects/kestrel/photo.jpg.") && f.ends_with("w.webp"))
        .collect();
    let widths: Vec<u32> = webp.iter().map(|f| size_of(&read(f)).0).collect();
    assert_eq!(widths.iter().max(), Some(&900), "{webp:?}");
    assert!(widths.contains(&360) && widths.contains(&720), "{widths:?}");
    // The gallery keeps each image's own shape, with its alt text and caption, translated.
    assert!(
        html.contains("alt=\"The drone on a white table\" width=\"300\" height=\"200\""),
        "{html}"
    );
    assert!(html.contains("<figcaption>The prototype, March 2026</figcaption>"));
    let ru = site.read("ru/projects/kestrel/index.html");
    assert!(ru.contains("alt=\"Дрон на белом столе\""));
}

#[test]
fn cards_use_thumbnails_and_pages_a_raster_link_preview() {
    let site = photo_site();
    site.build();
    let list = site.read("projects/index.html");
    let at = list
        .find("class=\"card-logo\"")
        .unwrap_or_else(|| panic!("{list}"));
    let card = &list[list[..at].rfind("<picture>").unwrap()..at + 400];
    assert!(card.contains("type=\"image/webp\" srcset=\"/projects/kestrel/photo.jpg.t96.webp 72w, /projects/kestrel/photo.jpg.t192.webp 144w\""), "{card}");
    assert!(card.contains("sizes=\"48px\""), "{card}");
    // The 96-px thumbnail of an upright 900 x 1200 photo is 72 x 96.
    let thumb = std::fs::read(site.path("public/projects/kestrel/photo.jpg.t96.webp")).unwrap();
    assert_eq!(size_of(&thumb), (72, 96));
    assert!(thumb.len() < 10_000, "{} bytes", thumb.len());

    let page = site.read("projects/kestrel/index.html");
    let og = page
        .split("property=\"og:image\" content=\"")
        .nth(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .unwrap();
    assert_eq!(
        og,
        "https://test.example.kz/projects/kestrel/photo.jpg.og.jpg"
    );
    assert!(page.contains("<meta property=\"og:image:width\" content=\"1200\">"));
    assert!(page.contains("<meta property=\"og:image:height\" content=\"630\">"));
    let preview = std::fs::read(site.path("public/projects/kestrel/photo.jpg.og.jpg")).unwrap();
    assert!(preview.starts_with(&[0xff, 0xd8, 0xff]), "a JPEG");
    assert_eq!(size_of(&preview), (1200, 630));
    // Pages without an image of their own get the theme's, drawn as a JPEG.
    let home = site.read("index.html");
    assert!(home.contains("content=\"https://test.example.kz/og-default.svg.og.jpg\""));
    let default = std::fs::read(site.path("public/og-default.svg.og.jpg")).unwrap();
    assert_eq!(size_of(&default), (1200, 630));
}

#[test]
fn a_second_build_takes_every_image_from_the_cache() {
    let site = photo_site();
    site.build();
    let cache = site.path(".showcase-cache/images");
    let stamps = |dir: &std::path::Path| -> Vec<(String, std::time::SystemTime)> {
        support::files_under(dir)
            .into_iter()
            .filter(|f| f != "stamps.tsv")
            .map(|f| {
                let t = std::fs::metadata(dir.join(&f)).unwrap().modified().unwrap();
                (f, t)
            })
            .collect()
    };
    let before = stamps(&cache);
    assert!(before.len() > 10, "{before:?}");
    let first = site.snapshot();
    site.build();
    assert_eq!(stamps(&cache), before, "a cached file was written again");
    assert_eq!(site.snapshot(), first, "the output changed");
    // A changed photo is processed again; the cache is safe to delete.
    site.write_bytes(
        "content/projects/kestrel/photo.jpg",
        &camera_jpeg(800, 600, 1),
    );
    site.build();
    assert_eq!(
        size_of(&std::fs::read(site.path("public/projects/kestrel/photo.jpg")).unwrap()),
        (800, 600)
    );
    std::fs::remove_dir_all(site.path(".showcase-cache")).unwrap();
    site.build();
    assert!(site.path(".showcase-cache/.gitignore").is_file());
}

#[test]
fn an_image_that_cannot_be_read_is_an_error_naming_it() {
    let site = TestSite::base_with(concat!(
        "-- content/projects/a/index.md --\n---\n",
        project!(),
        "---\nA.\n"
    ));
    // A JPEG signature and a size, then garbage.
    let mut broken = jpeg_bytes(&pixels(64, 64));
    broken.truncate(200);
    broken.extend(std::iter::repeat_n(0x55, 400));
    site.write_bytes("content/projects/a/broken.jpg", &broken);
    // Not a JPEG by its name, a JPEG by its bytes, with GPS: processed like any photo.
    site.write_bytes("content/projects/a/notes.txt", &camera_jpeg(64, 48, 1));
    let err = site.fails();
    assert!(err.contains("content/projects/a/broken.jpg"), "{err}");
    assert!(err.contains("cannot be published"), "{err}");
    assert!(!err.contains("notes.txt"), "{err}");
    site.remove("content/projects/a/broken.jpg");
    site.build();
    let notes = std::fs::read(site.path("public/projects/a/notes.txt")).unwrap();
    assert_eq!(showcase::images::metadata::blocks(&notes), Some(vec![]));
}

#[test]
fn a_large_original_is_a_warning_that_says_what_is_published() {
    let site = TestSite::base_with(concat!(
        site_yaml!(),
        "images:\n  max_size: 800\n  warn_megapixels: 1\n-- content/projects/a/index.md --\n---\n",
        project!(),
        "---\n![big](big.jpg)\n"
    ));
    site.write_bytes("content/projects/a/big.jpg", &camera_jpeg(1600, 1200, 1));
    let r = site.build();
    assert!(
        r.stderr.contains("content/projects/a/big.jpg"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("1600 x 1200"), "{}", r.stderr);
    assert!(
        r.stderr.contains("publishes a 800 x 600 JPEG"),
        "{}",
        r.stderr
    );
    assert_eq!(
        size_of(&std::fs::read(site.path("public/projects/a/big.jpg")).unwrap()),
        (800, 600)
    );
}

#[test]
fn image_settings_are_checked() {
    let site = TestSite::base_with(concat!(
        site_yaml!(),
        "images:\n  quality: 0\n  widths: [10]\n"
    ));
    let err = site.fails();
    assert!(err.contains("site.yaml:11:"), "{err}");
    assert!(
        err.contains("`images.quality` must be from 1 to 100"),
        "{err}"
    );
    assert!(err.contains("`images.widths` must list"), "{err}");
}

#[test]
fn a_missing_image_in_a_single_file_item_is_an_error_with_its_line() {
    let site = TestSite::base_with(
        "-- content/news/2026-01-01-x.md --\n---\ntitle: X\nsummary: x\n---\nText.\n\n![plan](/images/missing.png)\n",
    );
    let err = site.fails();
    assert!(err.contains("content/news/2026-01-01-x.md:7:"), "{err}");
    assert!(err.contains("/images/missing.png"), "{err}");
}

#[test]
fn images_the_stage_cannot_clean_are_refused_by_bytes_and_by_name() {
    let site = TestSite::base_with(concat!(
        "-- content/projects/a/index.md --\n---\n",
        project!(),
        "---\nA.\n"
    ));
    let exif = exif_block(1, &[]);
    // A TIFF is an EXIF block with pixels: GPS and all.
    site.write_bytes("content/projects/a/scan.tif", &exif);
    site.write_bytes(
        "static/images/phone.jpg",
        &[&[0, 0, 0, 24][..], b"ftypheic\0\0\0\0mif1heic", &exif].concat(),
    );
    site.write_bytes(
        "static/images/photo.avif",
        &[&[0, 0, 0, 24][..], b"ftypavif\0\0\0\0mif1avif"].concat(),
    );
    site.write("content/projects/a/notes.png", "not a picture at all\n");
    let err = site.fails();
    for (file, what) in [
        ("content/projects/a/scan.tif", "a TIFF image"),
        ("static/images/phone.jpg", "a HEIC image"),
        ("static/images/photo.avif", "an AVIF image"),
        ("content/projects/a/notes.png", "named like a .png image"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(what)),
            "{file}: {err}"
        );
    }
}

#[test]
fn colour_profiles_are_not_published_whatever_their_text() {
    let site = TestSite::base_with(concat!(
        "-- content/projects/a/index.md --\n---\n",
        project!(),
        "---\n![p](p.jpg) ![q](q.png)\n"
    ));
    // A profile header that says RGB, then free text.
    let mut profile = vec![0u8; 128];
    profile[16..20].copy_from_slice(b"RGB ");
    profile.extend_from_slice(b"PROFILE-OWNER-SECRET serial 99");
    let mut j = img_parts::jpeg::Jpeg::from_bytes(jpeg_bytes(&pixels(300, 200)).into()).unwrap();
    j.set_icc_profile(Some(profile.clone().into()));
    site.write_bytes("content/projects/a/p.jpg", &j.encoder().bytes());
    let mut p = img_parts::png::Png::from_bytes(png_with_text().into()).unwrap();
    p.set_icc_profile(Some(profile.into()));
    site.write_bytes("content/projects/a/q.png", &p.encoder().bytes());
    site.build();
    for (path, bytes) in site.snapshot() {
        assert!(
            !bytes.windows(20).any(|w| w == b"PROFILE-OWNER-SECRET"),
            "{path} carries the profile's text"
        );
    }
}

#[test]
fn odd_file_names_give_working_srcset_lists() {
    let site = TestSite::base_with(concat!(
        "-- content/projects/a/index.md --\n---\n",
        project!(),
        "---\n![c](<a, b 1x.jpg>)\n"
    ));
    site.write_bytes(
        "content/projects/a/a, b 1x.jpg",
        &jpeg_bytes(&pixels(800, 600)),
    );
    site.build();
    let html = site.read("projects/a/index.html");
    let srcset = html.split("srcset=\"").nth(1).unwrap();
    let srcset = &srcset[..srcset.find('"').unwrap()];
    for candidate in srcset.split(", ") {
        let parts: Vec<&str> = candidate.split(' ').collect();
        assert_eq!(parts.len(), 2, "{srcset}");
        let file = parts[0].replace("%20", " ").replace("%2C", ",");
        assert!(
            site.path("public")
                .join(file.trim_start_matches('/'))
                .is_file(),
            "{file}"
        );
    }
}

#[test]
fn two_images_for_one_path_are_an_error_naming_both() {
    let site = TestSite::base_with(concat!(
        "-- content/projects/a/index.md --\n---\n",
        project!(),
        "---\nA.\n"
    ));
    site.write_bytes("content/projects/a/photo.jpg", &jpeg_bytes(&pixels(64, 48)));
    site.write_bytes("static/projects/a/photo.jpg", &jpeg_bytes(&pixels(48, 64)));
    let err = site.fails();
    assert!(err.contains("static/projects/a/photo.jpg"), "{err}");
    assert!(err.contains("content/projects/a/photo.jpg"), "{err}");
    assert!(err.contains("both produce /projects/a/photo.jpg"), "{err}");
}

#[test]
fn a_photo_cut_short_is_an_error() {
    let site = TestSite::base_with(concat!(
        "-- content/projects/a/index.md --\n---\n",
        project!(),
        "---\nA.\n"
    ));
    let whole = camera_jpeg(400, 300, 1);
    site.write_bytes("content/projects/a/cut.jpg", &whole[..whole.len() * 2 / 3]);
    let err = site.fails();
    assert!(err.contains("content/projects/a/cut.jpg"), "{err}");
    assert!(err.contains("cut short"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_cache_folder_that_is_a_link_is_not_followed() {
    let site = photo_site();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.path(".showcase-cache")).unwrap();
    let err = site.fails();
    assert!(err.contains("symbolic links are not followed"), "{err}");
    assert!(support::files_under(elsewhere.path()).is_empty());
}

#[test]
fn a_photo_embedded_in_an_svg_is_removed_with_its_metadata() {
    let site = TestSite::base_with(concat!(
        "-- content/projects/a/index.md --\n---\n",
        project!(),
        "logo: logo.svg\n---\nA.\n"
    ));
    let b64 = |bytes: &[u8]| -> String {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in bytes.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= c.len() {
                    out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    };
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/><image width=\"10\" height=\"10\" href=\"data:image/jpeg;base64,{}\"/></svg>",
        b64(&camera_jpeg(32, 24, 1))
    );
    site.write("content/projects/a/logo.svg", &svg);
    let r = site.build();
    assert!(
        r.stderr.contains("content/projects/a/logo.svg"),
        "{}",
        r.stderr
    );
    let published = site.read("projects/a/logo.svg");
    assert!(!published.contains("data:image/jpeg"), "{published}");
    assert!(published.contains("<rect"), "{published}");
}

/// An MP4 of boxes: `ftyp`, a `moov` holding `extra` (its `mvhd` aside), and `mdat`.
fn mp4(extra: &[u8]) -> Vec<u8> {
    let boxed = |kind: &[u8; 4], body: &[u8]| -> Vec<u8> {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(body);
        b
    };
    let mut moov_body = boxed(b"mvhd", &[0; 100]);
    moov_body.extend_from_slice(extra);
    [
        boxed(b"ftyp", b"isom\0\0\x02\0isomiso2mp41"),
        boxed(b"moov", &moov_body),
        boxed(b"mdat", &[7; 4000]),
    ]
    .concat()
}

#[test]
fn a_video_that_records_where_it_was_filmed_is_refused() {
    let site = TestSite::base_with(concat!(
        "-- content/projects/a/index.md --\n---\n",
        project!(),
        "video: flight.mp4\n---\nA.\n"
    ));
    let mut xyz = b"\0\0\0\x1e\xa9xyz\0\x12\x15\xc7+51.1285+071.4169/".to_vec();
    xyz.extend_from_slice(b"\0\0\0\x10\xa9mak\0\x08\0\0Phone");
    let udta = [&((xyz.len() + 8) as u32).to_be_bytes()[..], b"udta", &xyz].concat();
    site.write_bytes("content/projects/a/flight.mp4", &mp4(&udta));
    let err = site.fails();
    assert!(err.contains("content/projects/a/flight.mp4: this video records the camera's make, the place it was filmed (GPS)"), "{err}");
    assert!(err.contains("ffmpeg -i IN.mp4 -map_metadata -1"), "{err}");
    // Without them it is published as it is.
    site.write_bytes("content/projects/a/flight.mp4", &mp4(b""));
    site.build();
    assert!(site.path("public/projects/a/flight.mp4").is_file());
}
