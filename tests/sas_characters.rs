//! Characters a token cannot hold but a paste can bring in: look-alikes from other
//! scripts, bidirectional controls and zero-width characters. Every SAS field is
//! ASCII (sas-token.abnf), so each is an error that names the character.

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_acr-preflight");
const GOOD: &str = "sv=2022-11-02&ss=b&srt=sco&sp=rwla&se=2027-03-01T00:00:00Z&spr=https&sig=KlsuJOqRRckrQrKdYPsbJ6DsfImmWieJLKrej/LGzug%3D";

fn findings(token: &str) -> Vec<Value> {
    let out = Command::new(BIN)
        .args([
            "sas",
            "--format",
            "json",
            "--now",
            "2026-12-01T00:00:00Z",
            token,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{token}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["inputs"][0]["findings"].as_array().unwrap().clone()
}

fn suspicious(token: &str) -> Value {
    findings(token)
        .into_iter()
        .find(|f| f["code"] == "sas-suspicious-character")
        .unwrap_or_else(|| panic!("no sas-suspicious-character for {token:?}"))
}

#[test]
fn a_cyrillic_letter_in_the_permissions_is_named_and_pointed_at() {
    let token = GOOD.replace("sp=rwla", "sp=rwl\u{0430}");
    let f = suspicious(&token);
    assert_eq!(f["field"], "sp");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("U+0430 CYRILLIC SMALL LETTER A")
    );
    assert!(f["message"].as_str().unwrap().contains("looks like `a`"));
    // The span covers the two bytes of the letter, after `sp=rwl`.
    let at = token.find('\u{0430}').unwrap();
    assert_eq!(f["span"]["offset"], at);
    assert_eq!(f["span"]["length"], 2);
}

#[test]
fn a_percent_encoded_right_to_left_override_is_named_at_its_escapes() {
    let token = GOOD.replace("spr=https", "spr=https%E2%80%AE");
    let f = suspicious(&token);
    assert_eq!(f["field"], "spr");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("U+202E RIGHT-TO-LEFT OVERRIDE")
    );
    let at = token.find("%E2").unwrap();
    assert_eq!(f["span"]["offset"], at);
    assert_eq!(f["span"]["length"], 9);
}

#[test]
fn a_zero_width_space_in_a_field_name_is_named() {
    let token = GOOD.replace("&se=", "&\u{200B}se=");
    let f = suspicious(&token);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("U+200B ZERO WIDTH SPACE")
    );
}

#[test]
fn an_en_dash_in_a_date_is_named() {
    let token = GOOD.replace("se=2027-03-01", "se=2027\u{2013}03-01");
    let f = suspicious(&token);
    assert_eq!(f["field"], "se");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("U+2013 EN DASH, which looks like `-`")
    );
}
