//! Properties of the JSON reader (`src/json.rs`): on any text it returns (no panic),
//! every span lies inside the text on character boundaries, two reads agree, and on
//! any text `serde_json` accepts (nesting below 100) it reads the same values.
//!
//! The span, determinism and rendering checks are those of the `json` fuzz target
//! (`acr_preflight::invariants::targets::json`); the generators here reach valid and
//! nearly valid JSON far more often than random text does.

use acr_preflight::invariants::targets;
use acr_preflight::json::{self, Node, Value};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::Value as Serde;

/// Nesting the generated values stay below: under `serde_json`'s limit of 128 levels.
const MAX_AGREED_DEPTH: usize = 99;

fn check(text: &str) -> Result<(), TestCaseError> {
    targets::json(text.as_bytes()).map_err(|v| TestCaseError::fail(v.to_string()))
}

/// Any `serde_json` value: integers, finite floats, any strings, arrays and objects.
fn serde_value() -> impl Strategy<Value = Serde> {
    let leaf = prop_oneof![
        Just(Serde::Null),
        any::<bool>().prop_map(Serde::Bool),
        any::<i64>().prop_map(Serde::from),
        any::<u64>().prop_map(Serde::from),
        any::<f64>()
            .prop_filter_map("finite", serde_json::Number::from_f64)
            .prop_map(Serde::Number),
        any::<String>().prop_map(Serde::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Serde::Array),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|members| Serde::Object(members.into_iter().collect())),
        ]
    })
}

/// A value wrapped in up to `MAX_AGREED_DEPTH - 8` arrays and single-member objects,
/// so the whole stays below `MAX_AGREED_DEPTH` levels with `serde_value`'s six.
fn deep_value() -> impl Strategy<Value = Serde> {
    let wraps = prop::collection::vec(any::<bool>(), 0..MAX_AGREED_DEPTH - 8);
    (serde_value(), wraps).prop_map(|(mut value, wraps)| {
        for in_array in wraps {
            value = if in_array {
                Serde::Array(vec![value])
            } else {
                Serde::Object([(String::from("k"), value)].into_iter().collect())
            };
        }
        value
    })
}

/// Text built from JSON's own pieces, so that it is often nearly valid.
fn json_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just(","),
        Just(":"),
        Just("\""),
        Just("\\"),
        Just("\\u"),
        Just("d83d"),
        Just("de00"),
        Just("00e9"),
        Just("0"),
        Just("17"),
        Just("-"),
        Just("."),
        Just("e+"),
        Just("E"),
        Just("true"),
        Just("nul"),
        Just("null"),
        Just(" "),
        Just("\n"),
        Just("\t"),
        Just("\u{0}"),
        Just("é"),
        Just("😀"),
        Just("\"sig\":\"AbCdEfGh%2B=\""),
        Just("\"key\""),
    ];
    prop::collection::vec(piece, 0..48).prop_map(|pieces| pieces.concat())
}

/// What `serde_json` reads from `text`: the reference, rather than the value the text
/// was written from, since `serde_json` does not read every float back bit for bit.
fn serde_read(text: &str) -> Serde {
    serde_json::from_str(text).expect("serde_json reads what it wrote")
}

fn depth(value: &Serde) -> usize {
    match value {
        Serde::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Serde::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Our tree as a `serde_json` value, duplicate names keeping the last as `serde_json`
/// does, numbers read by `serde_json` from their text.
fn to_serde(node: &Node) -> Serde {
    match &node.value {
        Value::Null => Serde::Null,
        Value::Bool(b) => Serde::Bool(*b),
        Value::Number(n) => serde_json::from_str(n).expect("a number serde_json reads"),
        Value::String(s) => Serde::String(s.clone()),
        Value::Array(items) => Serde::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => Serde::Object(
            members
                .iter()
                .map(|m| (m.key.clone(), to_serde(&m.value)))
                .collect(),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/proptest_json.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_holds_the_invariants(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn json_like_text_holds_the_invariants(text in json_like()) {
        check(&text)?;
    }

    #[test]
    fn what_serde_json_writes_reads_back_the_same(value in serde_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        }
        .expect("serde_json writes any value");
        let node = json::parse(&text).map_err(|e| TestCaseError::fail(e.message))?;
        prop_assert_eq!(to_serde(&node), serde_read(&text));
        check(&text)?;
    }

    #[test]
    fn nesting_below_100_reads_as_serde_json_reads_it(value in deep_value()) {
        prop_assume!(depth(&value) < MAX_AGREED_DEPTH + 1);
        let text = serde_json::to_string(&value).expect("serde_json writes any value");
        let node = json::parse(&text).map_err(|e| TestCaseError::fail(e.message))?;
        prop_assert_eq!(to_serde(&node), serde_read(&text));
    }

    #[test]
    fn two_reads_agree(text in json_like()) {
        prop_assert_eq!(json::parse(&text), json::parse(&text));
    }
}
