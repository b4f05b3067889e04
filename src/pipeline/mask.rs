//! Finding SAS signatures inside JSON text so they are masked before any report is
//! built: a pipeline's or a run's URI, or an error message, may carry a whole SAS URL.

use std::ops::Range;

use crate::secret::{Secrets, mask};

/// Byte ranges of every `sig=` value in `text` (the key matched without case, after
/// `?`, `&` or the start of a string), up to the next `&`, quote, backslash or space.
pub(crate) fn signature_ranges(text: &str) -> Vec<Range<usize>> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = lower.get(from..).and_then(|rest| rest.find("sig=")) {
        let key = from + found;
        let start = key + 4;
        let before = key.checked_sub(1).and_then(|i| bytes.get(i)).copied();
        let value_len = bytes
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&b| {
                !matches!(
                    b,
                    b'&' | b'"' | b'\\' | b' ' | b'\n' | b'\r' | b'\t' | b'\''
                )
            })
            .count();
        if matches!(before, None | Some(b'?' | b'&' | b'"' | b' ')) && value_len > 0 {
            out.push(start..start + value_len);
        }
        from = start;
    }
    out
}

/// Masks every signature in `text`, returning the masked text and the secrets seen.
pub(crate) fn mask_signatures(text: &str) -> (String, Secrets) {
    let ranges = signature_ranges(text);
    let mut secrets = Secrets::new();
    for r in &ranges {
        if let Some(value) = text.get(r.clone()) {
            secrets.add(value);
        }
    }
    (mask(text, &ranges), secrets)
}

#[cfg(test)]
mod tests {
    use super::{mask_signatures, signature_ranges};

    #[test]
    fn signatures_are_found_in_urls_and_messages() {
        let text = r#"{"uri": "https://a.blob.core.windows.net/c?sv=1&sig=abc%2Bdef%3D&se=2"}"#;
        let (masked, secrets) = mask_signatures(text);
        assert!(!masked.contains("abc%2Bdef"), "{masked}");
        assert_eq!(masked.len(), text.len());
        assert!(!secrets.is_empty());
        assert!(signature_ranges("design=x&xsig=y").is_empty());
        assert_eq!(signature_ranges("?SIG=zz").len(), 1);
    }
}
