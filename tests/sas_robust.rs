//! Bad input gives diagnostics, never a panic: generated inputs built from the pieces
//! tokens are made of (and the bytes that break them) go through the check and both
//! renderers, and every span must lie on character boundaries inside the text.

use acr_preflight::context::Context;
use acr_preflight::diag::Outcome;
use acr_preflight::diag::render::{self, HumanStyle};
use acr_preflight::input;
use acr_preflight::sas::{self, Purpose, SasOptions};
use chrono::{TimeZone, Utc};

const PIECES: &[&str] = &[
    "sv=",
    "2021-06-08",
    "sp=",
    "rawl",
    "se=",
    "2030-01-01T00:00:00Z",
    "st=",
    "sr=",
    "c",
    "ss=",
    "srt=",
    "sco",
    "sig=",
    "FAKEsigTESTonly0000000000000000000000000000%3D",
    "&",
    "=",
    "?",
    "%",
    "%2",
    "%25",
    "%3A",
    "%C3%A9",
    "%FF",
    "+",
    " ",
    "\n",
    "\"",
    "'",
    "{",
    "}",
    "\"value\": ",
    "https://",
    "a.blob.core.windows.net/",
    "127.0.0.1:10000/",
    "/",
    ";",
    "SharedAccessSignature=",
    "é",
    "\u{FFFD}",
    "skoid=",
    "ske=",
    "skt=",
    "sdd=",
    "-1",
    "sip=",
    "10.0.0.1-",
    "spr=",
    "https,http",
    "T",
    "Z",
    ".",
    "0000000000",
    "amp;",
    "#",
];

/// A small deterministic generator (64-bit LCG), so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

fn generated(rng: &mut Lcg) -> String {
    let count = rng.next() % 24;
    (0..count)
        .map(|_| PIECES[rng.next() % PIECES.len()])
        .collect()
}

#[test]
fn generated_inputs_never_panic_and_spans_stay_inside() {
    let ctx = Context::pinned(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
    let mut rng = Lcg(0x5A5_0000_0001);
    for _ in 0..800 {
        let text = generated(&mut rng);
        for (purpose, bytes) in [
            (Purpose::Any, text.clone().into_bytes()),
            (Purpose::AcrExport, [text.as_bytes(), b"\xff\xfe"].concat()),
        ] {
            let options = SasOptions {
                purpose,
                ..SasOptions::default()
            };
            let decoded = input::decode(&bytes);
            let check = sas::check("gen", &decoded, &options, &ctx);
            let report = &check.report;
            for finding in &report.findings {
                let spans =
                    std::iter::once(&finding.span).chain(finding.related.iter().map(|l| &l.span));
                for span in spans {
                    assert!(
                        span.start <= span.end && span.end <= report.text.len(),
                        "{text:?}: {finding:?}"
                    );
                    assert!(
                        report.text.is_char_boundary(span.start),
                        "{text:?}: {finding:?}"
                    );
                    assert!(
                        report.text.is_char_boundary(span.end),
                        "{text:?}: {finding:?}"
                    );
                }
                assert!(!finding.message.ends_with('.'), "{}", finding.message);
                assert!(finding.help.is_some(), "{}", finding.code.id);
            }
            let outcome = Outcome {
                command: "sas".into(),
                inputs: vec![check.report.clone()],
                ..Outcome::default()
            };
            let style = HumanStyle {
                color: false,
                width: 80,
            };
            let human = render::human(&outcome, style, &check.secrets);
            let json = render::json(&outcome, &check.secrets);
            assert!(human.contains("PASS") || human.contains("FAIL"));
            assert!(json.starts_with('{'));
        }
    }
}
