//! URL text helpers shared by the site model and the preview server; no I/O.

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `url` made safe inside a `srcset` list (HTML, "srcset attributes"): a space ends a
/// candidate's URL and a comma may end the candidate, so both are percent-encoded (a file
/// named `a, b 1x.jpg`).
pub fn srcset_safe(url: &str) -> String {
    url.replace(' ', "%20").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(
            percent_decode("my%20photo.jpg").as_deref(),
            Some("my photo.jpg")
        );
        assert_eq!(percent_decode("%D0%B0").as_deref(), Some("а"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
    }
}
