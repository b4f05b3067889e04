//! Properties of the SAS splitter (`sas::syntax::sas_token`, the `sas-token`, `field`
//! and `pct-encoded` rules of `grammar/sas-token.abnf`): spans ordered, apart and inside
//! the input; every decoded character maps back to the input bytes it came from; and,
//! on text without `+`, the same pairs as `url::form_urlencoded::parse`, with the
//! differences by design stated in `acr_preflight::invariants::split`.
//!
//! The checks are those of the `sas_split` fuzz target; the generators here build
//! text from a token's own pieces (`&`, `=`, `%`, hex digits, bad escapes, multi-byte
//! and bidirectional characters) so that the interesting cases come often.

use acr_preflight::invariants::split;
use acr_preflight::sas::syntax::{Mark, sas_token};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn fail(v: impl ToString) -> TestCaseError {
    TestCaseError::fail(v.to_string())
}

/// Text from a token's pieces: separators, escapes good and bad, non-UTF-8 escapes,
/// `+`, and characters of one to four bytes.
fn token_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-z]{1,4}",
        2 => Just(String::from("&")),
        2 => Just(String::from("=")),
        2 => "%[0-9A-Fa-f]{2}",
        1 => "%[0-9A-Za-z%]{0,2}",
        1 => "%[89A-Fa-f][0-9A-Fa-f]",
        1 => Just(String::from("%25")),
        1 => Just(String::from("+")),
        1 => Just(String::from("?")),
        1 => prop_oneof![
            Just(String::from("é")),
            Just(String::from("\u{202E}")),
            Just(String::from("😀")),
            Just(String::from("\u{FFFD}")),
            Just(String::from("а")),
        ],
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Every byte of `value` as `%XX`, except ASCII letters and digits.
fn percent_encode(value: &[u8]) -> String {
    value
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1024,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/proptest_sas_split.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn token_like_text_keeps_the_grammar(text in token_like()) {
        split::grammar(&text).map_err(fail)?;
    }

    #[test]
    fn any_text_keeps_the_grammar(text in any::<String>()) {
        split::grammar(&text).map_err(fail)?;
    }

    #[test]
    fn token_like_text_reads_as_form_decoding_does(text in token_like()) {
        let text = text.replace('+', "");
        split::differential(&text).map_err(fail)?;
    }

    #[test]
    fn any_text_reads_as_form_decoding_does(text in any::<String>()) {
        let text = text.replace('+', "");
        split::differential(&text).map_err(fail)?;
    }

    /// Fields whose values are any bytes, percent-encoded: each value decodes to
    /// those bytes when they are UTF-8 (and is marked otherwise), at the place the
    /// field was written.
    #[test]
    fn encoded_values_decode_to_their_bytes(
        values in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..12), 1..6),
        base in 0usize..64,
    ) {
        let encoded: Vec<String> = values.iter().map(|v| percent_encode(v)).collect();
        let text = encoded
            .iter()
            .enumerate()
            .map(|(i, v)| format!("k{i}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let fields = sas_token(&text, base);
        prop_assert_eq!(fields.len(), values.len());
        let mut at = base;
        for ((field, bytes), written) in fields.iter().zip(&values).zip(&encoded) {
            prop_assert_eq!(field.key_span.start, at);
            prop_assert_eq!(&field.raw_value, written);
            let not_utf8 = field.marks.iter().any(|m| matches!(m, Mark::NotUtf8(_)));
            match std::str::from_utf8(bytes) {
                Ok(expected) => {
                    prop_assert!(!not_utf8);
                    prop_assert_eq!(field.value.as_str(), expected);
                }
                Err(_) => {
                    prop_assert!(not_utf8);
                    prop_assert_eq!(field.value.len(), bytes.len());
                }
            }
            at = field.span.end + 1;
        }
    }
}
