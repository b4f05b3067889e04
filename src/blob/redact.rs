//! Masking SAS signatures that a dump may carry: a copy source URL
//! (`properties.copy.source`, `<CopySource>`, `x-ms-copy-source`) can hold a SAS token,
//! and its `sig` must never reach the output, not even as context around a finding.
//!
//! Every text window is masked here before a report holds it; offsets do not change
//! ([`crate::secret::mask`]), and the values found are handed to the renderer to scrub.

use std::ops::Range;

use crate::secret::{self, Secrets};

/// Where `sig=` values are in `text`: `sig` after a character that cannot be part of a
/// longer name, its value up to `&`, a quote, `<`, `\` or white space.
pub fn signature_spans(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    for at in memchr::memmem::find_iter(bytes, b"sig=") {
        let named = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if !named {
            continue;
        }
        let start = at + 4;
        let len = bytes[start..]
            .iter()
            .position(|b| {
                matches!(b, b'&' | b'"' | b'\'' | b'<' | b'\\') || b.is_ascii_whitespace()
            })
            .unwrap_or(bytes.len() - start);
        if len > 0 {
            spans.push(start..start + len);
        }
    }
    spans
}

/// Masks every signature in `text`, adding the values to `secrets`; returns the text
/// unchanged (without copying) when there is none.
pub fn mask_signatures(text: String, secrets: &mut Secrets) -> String {
    let spans = signature_spans(&text);
    if spans.is_empty() {
        return text;
    }
    for span in &spans {
        if let Some(value) = text.get(span.clone()) {
            secrets.add(value);
        }
    }
    secret::mask(&text, &spans)
}

#[cfg(test)]
mod tests {
    use super::mask_signatures;
    use crate::secret::Secrets;

    #[test]
    fn masks_sig_in_urls_and_escaped_xml() {
        let mut secrets = Secrets::new();
        let text = String::from(
            "\"source\": \"https://a/b?sv=2022&sig=abc%2Bdef%3D&se=1\" \
                <CopySource>x?sp=r&amp;sig=Zm9vYmFy</CopySource> design=x",
        );
        let masked = mask_signatures(text.clone(), &mut secrets);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("abc%2Bdef%3D"));
        assert!(!masked.contains("Zm9vYmFy"));
        assert!(masked.contains("design=x"));
        assert!(!secrets.is_empty());
    }
}
