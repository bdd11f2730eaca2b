//! Which metadata blocks an image file holds, read from its container structure (not its
//! pixels): the leak guard's last look at every published image. A block is reported unless
//! it is needed to show the pixels right (JFIF, Adobe colour transform, PNG transparency,
//! gamma and colour chunks, WebP and GIF animation control). ICC profiles are reported:
//! the stage converts to sRGB and writes none, since a profile's text tags are free-form.
//!
//! Containers: JPEG segments (ITU T.81 annex B; JFIF, EXIF 2.32, XMP part 3), PNG chunks
//! (PNG 3rd edition, section 5), WebP RIFF chunks (RFC 9649), GIF blocks (GIF89a).

use super::plan::Format;

/// The names of the metadata blocks in `bytes` (`EXIF`, `XMP`, `comment`, `tEXt` ...), or
/// `None` when the bytes are not a JPEG, PNG, GIF or WebP file. A file whose structure
/// cannot be read reports that (`unreadable structure`): it cannot be vouched for.
pub fn blocks(bytes: &[u8]) -> Option<Vec<String>> {
    let found = match Format::sniff(bytes)? {
        Format::Jpeg => jpeg(bytes),
        Format::Png => png(bytes),
        Format::WebP => webp(bytes),
        Format::Gif => gif(bytes),
    };
    Some(found.unwrap_or_else(|| vec!["unreadable structure".into()]))
}

fn jpeg(bytes: &[u8]) -> Option<Vec<String>> {
    let jpeg = img_parts::jpeg::Jpeg::from_bytes(bytes.to_vec().into()).ok()?;
    let mut found = Vec::new();
    for s in jpeg.segments() {
        let c = s.contents();
        let name = match s.marker() {
            0xe0 if c.starts_with(b"JFIF\0") => continue,
            0xe2 if c.starts_with(b"ICC_PROFILE\0") => "ICC profile".to_string(),
            0xee if c.starts_with(b"Adobe") => continue,
            0xe1 if c.starts_with(b"Exif\0") => "EXIF".to_string(),
            0xe1 if c.starts_with(b"http://ns.adobe.com/") => "XMP".to_string(),
            0xed => "IPTC (Photoshop APP13)".to_string(),
            0xfe => "comment".to_string(),
            m @ 0xe0..=0xef => format!("APP{} block", m - 0xe0),
            _ => continue,
        };
        found.push(name);
    }
    Some(found)
}

fn png(bytes: &[u8]) -> Option<Vec<String>> {
    const NEEDED: &[&[u8; 4]] = &[
        b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"sRGB", b"gAMA", b"cHRM", b"sBIT", b"pHYs",
        b"bKGD", b"cICP", b"mDCV", b"cLLI", b"acTL", b"fcTL", b"fdAT",
    ];
    let png = img_parts::png::Png::from_bytes(bytes.to_vec().into()).ok()?;
    Some(
        png.chunks()
            .iter()
            .map(|c| c.kind())
            .filter(|k| !NEEDED.contains(&k))
            .map(|k| format!("{} chunk", String::from_utf8_lossy(&k)))
            .collect(),
    )
}

fn webp(bytes: &[u8]) -> Option<Vec<String>> {
    const NEEDED: &[&[u8; 4]] = &[b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"];
    let webp = img_parts::webp::WebP::from_bytes(bytes.to_vec().into()).ok()?;
    Some(
        webp.chunks()
            .iter()
            .map(|c| c.id())
            .filter(|id| !NEEDED.contains(&id))
            .map(|id| format!("{} chunk", String::from_utf8_lossy(&id).trim_end()))
            .collect(),
    )
}

/// Walks the GIF89a block stream (section 15 onwards).
fn gif(b: &[u8]) -> Option<Vec<String>> {
    let mut found = Vec::new();
    let flags = *b.get(10)?;
    let mut at = 13 + colour_table(flags);
    // Skips data sub-blocks (a length byte, then that many bytes; 0 ends them).
    let sub_blocks = |mut at: usize| -> Option<usize> {
        loop {
            let n = *b.get(at)? as usize;
            at += 1 + n;
            if n == 0 {
                return Some(at);
            }
        }
    };
    loop {
        match *b.get(at)? {
            0x3b => return Some(found),
            0x2c => {
                let flags = *b.get(at + 9)?;
                at = sub_blocks(at + 10 + colour_table(flags) + 1)?;
            }
            0x21 => {
                let label = *b.get(at + 1)?;
                match label {
                    0xf9 => {}
                    0xff => {
                        let id = b.get(at + 3..at + 14)?;
                        if id != b"NETSCAPE2.0" && id != b"ANIMEXTS1.0" {
                            found
                                .push(format!("application block {}", String::from_utf8_lossy(id)));
                        }
                    }
                    0xfe => found.push("comment".into()),
                    _ => found.push(format!("extension block {label:#04x}")),
                }
                at = sub_blocks(at + 2)?;
            }
            _ => return None,
        }
    }
}

/// Bytes of the colour table a GIF descriptor's flags announce.
fn colour_table(flags: u8) -> usize {
    if flags & 0x80 != 0 {
        3 << ((flags & 0x07) + 1)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use img_parts::{ImageEXIF, ImageICC};

    fn clean_jpeg() -> Vec<u8> {
        let img = image::DynamicImage::new_rgb8(8, 8);
        super::super::process::write(&img, Format::Jpeg, 80).unwrap()
    }

    #[test]
    fn encoded_files_hold_no_metadata() {
        let img = image::DynamicImage::new_rgba8(8, 8);
        for f in [Format::Jpeg, Format::Png, Format::WebP, Format::Gif] {
            let b = super::super::process::write(&img, f, 80).unwrap();
            assert_eq!(blocks(&b), Some(vec![]), "{f:?}");
        }
        assert_eq!(blocks(b"%PDF-1.7"), None);
    }

    #[test]
    fn exif_xmp_comments_and_text_chunks_are_found() {
        let mut j = img_parts::jpeg::Jpeg::from_bytes(clean_jpeg().into()).unwrap();
        j.set_exif(Some(b"MM\0*\0\0\0\x08\0\0".to_vec().into()));
        j.segments_mut().insert(
            1,
            img_parts::jpeg::JpegSegment::new_with_contents(0xfe, b"secret".to_vec().into()),
        );
        let b = j.encoder().bytes().to_vec();
        assert_eq!(blocks(&b), Some(vec!["comment".into(), "EXIF".into()]));

        let img = image::DynamicImage::new_rgb8(4, 4);
        let png = super::super::process::write(&img, Format::Png, 80).unwrap();
        let mut p = img_parts::png::Png::from_bytes(png.into()).unwrap();
        let n = p.chunks().len();
        p.chunks_mut().insert(
            n - 1,
            img_parts::png::PngChunk::new(*b"tEXt", b"Author\0X".to_vec().into()),
        );
        p.set_icc_profile(Some(vec![0; 140].into()));
        let b = p.encoder().bytes().to_vec();
        assert_eq!(
            blocks(&b),
            Some(vec!["iCCP chunk".into(), "tEXt chunk".into()])
        );

        let webp = super::super::process::write(&img, Format::WebP, 80).unwrap();
        let mut w = img_parts::webp::WebP::from_bytes(webp.into()).unwrap();
        w.set_exif(Some(b"MM\0*\0\0\0\x08\0\0".to_vec().into()));
        let b = w.encoder().bytes().to_vec();
        assert_eq!(blocks(&b), Some(vec!["EXIF chunk".into()]));
    }

    #[test]
    fn gif_comments_and_xmp_are_found() {
        let img = image::DynamicImage::new_rgba8(2, 2);
        let gif = super::super::process::write(&img, Format::Gif, 80).unwrap();
        let trailer = gif.len() - 1;
        let mut b = gif[..trailer].to_vec();
        b.extend_from_slice(&[0x21, 0xfe, 3, b'a', b'b', b'c', 0]);
        b.extend_from_slice(&[0x21, 0xff, 11]);
        b.extend_from_slice(b"XMP DataXMP");
        b.extend_from_slice(&[2, b'<', b'x', 0, 0x3b]);
        assert_eq!(
            blocks(&b),
            Some(vec![
                "comment".into(),
                "application block XMP DataXMP".into()
            ])
        );
    }
}
