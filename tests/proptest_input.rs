//! Properties of input decoding (`src/input.rs`): any bytes decode (no panic) with the
//! invariants of the `input_decode` fuzz target; text in UTF-8, UTF-8 with a
//! byte-order mark, or UTF-16 with a byte-order mark comes back exactly; and bytes
//! that are not UTF-8 are replaced and located where they were.

use std::ops::Range;

use acr_preflight::input::{Repair, decode};
use acr_preflight::invariants::targets;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// A string that does not itself begin with U+FEFF (which would read as a mark).
fn text() -> impl Strategy<Value = String> {
    any::<String>().prop_filter("no leading U+FEFF", |s| !s.starts_with('\u{FEFF}'))
}

/// Pieces of valid text and bad bytes, with the text and repairs decoding must give.
fn mixed() -> impl Strategy<Value = (Vec<u8>, String, Vec<Range<usize>>)> {
    let bad = prop_oneof![
        Just(vec![0xFF]),
        Just(vec![0xC3]),
        Just(vec![0xE2, 0x82]),
        Just(vec![0xFE])
    ];
    let piece = prop_oneof![text().prop_map(Err), bad.prop_map(Ok)];
    prop::collection::vec(piece, 0..12)
        .prop_map(|pieces| {
            let (mut bytes, mut expected, mut ranges) =
                (Vec::new(), String::new(), Vec::<Range<usize>>::new());
            for piece in pieces {
                match piece {
                    Err(s) if !s.is_empty() => {
                        bytes.extend_from_slice(s.as_bytes());
                        expected.push_str(&s);
                    }
                    Err(_) => {}
                    Ok(b) => {
                        bytes.extend_from_slice(&b);
                        let start = expected.len();
                        expected.push('\u{FFFD}');
                        match ranges.last_mut() {
                            Some(last) if last.end == start => last.end = expected.len(),
                            _ => ranges.push(start..expected.len()),
                        }
                    }
                }
            }
            (bytes, expected, ranges)
        })
        .prop_filter("no leading mark", |(bytes, _, _)| {
            !bytes.starts_with(&[0xEF, 0xBB, 0xBF])
                && !bytes.starts_with(&[0xFF, 0xFE])
                && !bytes.starts_with(&[0xFE, 0xFF])
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/proptest_input.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_bytes_hold_the_invariants(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        targets::input_decode(&bytes).map_err(|v| TestCaseError::fail(v.to_string()))?;
    }

    #[test]
    fn utf8_comes_back_unchanged(s in text()) {
        let decoded = decode(s.as_bytes());
        prop_assert_eq!(decoded.text, s);
        prop_assert!(decoded.repairs.is_empty());
    }

    #[test]
    fn a_utf8_mark_is_dropped_and_noted(s in text()) {
        let bytes = [&[0xEF, 0xBB, 0xBF][..], s.as_bytes()].concat();
        let decoded = decode(&bytes);
        prop_assert_eq!(decoded.text, s);
        prop_assert_eq!(decoded.repairs, vec![Repair::Utf8Bom]);
    }

    #[test]
    fn utf16_with_a_mark_comes_back_unchanged(s in text(), big_endian in any::<bool>()) {
        let (mark, units): ([u8; 2], Vec<u8>) = if big_endian {
            ([0xFE, 0xFF], s.encode_utf16().flat_map(u16::to_be_bytes).collect())
        } else {
            ([0xFF, 0xFE], s.encode_utf16().flat_map(u16::to_le_bytes).collect())
        };
        let decoded = decode(&[&mark[..], &units].concat());
        prop_assert_eq!(decoded.text, s);
        prop_assert_eq!(decoded.repairs, vec![Repair::Utf16 { big_endian }]);
    }

    #[test]
    fn bad_bytes_are_replaced_where_they_were((bytes, expected, ranges) in mixed()) {
        let decoded = decode(&bytes);
        prop_assert_eq!(&decoded.text, &expected);
        let found: Vec<Range<usize>> = decoded
            .repairs
            .iter()
            .map(|r| match r {
                Repair::InvalidUtf8(range) => range.clone(),
                other => panic!("unexpected repair {other:?}"),
            })
            .collect();
        prop_assert_eq!(found, ranges);
    }
}
