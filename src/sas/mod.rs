//! SAS tokens: parsing into typed fields with spans, and the rules that judge them.
//!
//! The phases, each in its own module:
//! 1. [`envelope`] finds the token in what was pasted (bare, `?`, URL, connection
//!    string, quotes, Key Vault JSON);
//! 2. [`syntax`] splits it into raw fields and percent-decodes each value, keeping
//!    the input span of every byte;
//! 3. [`model`] types every field ([`fields`] holds the value grammars);
//! 4. `rules` judge the model against the clock and the [`SasOptions`].
//!
//! [`check`] runs them all over one input and returns the report with the signature
//! masked and registered as a secret. Nothing here reads the clock or prints.

pub mod codes;
pub mod envelope;
pub mod fields;
pub mod model;
mod rules;
pub mod syntax;
mod view;

use std::ops::Range;
use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};

pub use model::{SasKind, Token};

use crate::context::Context;
use crate::diag::{Finding, InputReport, Severity};
use crate::input::{Decoded, Repair};
use crate::secret::{self, Secrets};

/// What the token is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    /// Generic validity only.
    #[default]
    Any,
    /// The secret of an ACR Transfer export pipeline.
    AcrExport,
    /// The secret of an ACR Transfer import pipeline.
    AcrImport,
}

impl Purpose {
    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Any => "any",
            Purpose::AcrExport => "acr-export",
            Purpose::AcrImport => "acr-import",
        }
    }
}

/// How to check a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SasOptions {
    /// What the token is for.
    pub purpose: Purpose,
    /// The import pipeline deletes source blobs after import (needs `d`).
    pub delete_source_blob_on_success: bool,
    /// Warn when the token expires sooner than this.
    pub min_validity: Duration,
}

impl Default for SasOptions {
    fn default() -> Self {
        SasOptions {
            purpose: Purpose::Any,
            delete_source_blob_on_success: false,
            min_validity: Duration::hours(24),
        }
    }
}

/// The result of checking one input.
#[derive(Debug, Clone)]
pub struct SasCheck {
    /// Findings over the masked input text, with the decoded view in `details`.
    pub report: InputReport,
    /// The signature in every form it may be printed, to scrub from output.
    pub secrets: Secrets,
    /// The decoded token, unless the input held none.
    pub token: Option<Token>,
}

/// Whether a token can serve one purpose, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitness {
    /// The purpose, e.g. `acr-export`, `acr-import+delete`.
    pub purpose: &'static str,
    /// True when checking for that purpose finds no error.
    pub fit: bool,
    /// The error findings' codes and fields, e.g. `sas-pipeline-permissions (sp)`.
    pub problems: Vec<String>,
}

impl Fitness {
    fn to_json(&self) -> Value {
        json!({ "purpose": self.purpose, "fit": self.fit, "problems": self.problems })
    }

    fn describe(&self) -> String {
        if self.fit {
            format!("  {:<18} yes", self.purpose)
        } else {
            format!("  {:<18} no: {}", self.purpose, self.problems.join(", "))
        }
    }
}

/// Checks one input holding a token.
pub fn check(name: &str, decoded: &Decoded, options: &SasOptions, ctx: &Context) -> SasCheck {
    let located = envelope::input(&decoded.text);
    let (text, envelope, in_place) = match located {
        envelope::Located::InPlace(e) => (decoded.text.clone(), e, true),
        envelope::Located::Unescaped(t, e) => (t, e, false),
    };
    let found = secret::find(&text);
    let raw_fields = fields_without_secrets(&text, &envelope.token, &found);
    let token = Token::build(envelope, raw_fields);
    let mut findings = rules::run(&token, options, ctx);
    if in_place {
        findings.extend(repairs(&decoded.repairs));
    }
    let (mut secrets, mut masked_ranges) = signature_secrets(&token);
    secrets.add_found(&text, &found);
    masked_ranges.extend(found.iter().map(|f| f.value.clone()));
    let fit = fitness(&token, ctx);
    let masked = secret::mask(&text, &masked_ranges);
    let mut report = InputReport::new(name, "sas-token", Arc::from(masked));
    report.findings = findings;
    report.details = view::details(&token, options, ctx, &fit);
    report.notes = view::notes(&token, ctx, &fit, options.purpose == Purpose::Any);
    let token = if token.fields.is_empty() {
        None
    } else {
        Some(token)
    };
    SasCheck {
        report,
        secrets,
        token,
    }
}

/// For which ACR Transfer purposes the token is fit: export, import, and import
/// with DeleteSourceBlobOnSuccess.
pub fn fitness(token: &Token, ctx: &Context) -> Vec<Fitness> {
    let variants = [
        ("acr-export", Purpose::AcrExport, false),
        ("acr-import", Purpose::AcrImport, false),
        ("acr-import+delete", Purpose::AcrImport, true),
    ];
    variants
        .into_iter()
        .map(|(label, purpose, delete)| {
            let options = SasOptions {
                purpose,
                delete_source_blob_on_success: delete,
                ..SasOptions::default()
            };
            let problems = fitness_problems(
                rules::run(token, &options, ctx)
                    .into_iter()
                    .filter(|f| f.severity == Severity::Error)
                    .map(|f| format!("{} ({})", f.code.id, f.field)),
            );
            Fitness {
                purpose: label,
                fit: problems.is_empty(),
                problems,
            }
        })
        .collect()
}

/// Most problems named per purpose in the fitness list.
const MAX_FITNESS_PROBLEMS: usize = 20;

/// Each problem once, in order; past [`MAX_FITNESS_PROBLEMS`], how many more. A token
/// of thousands of bad fields named every one of them for every purpose.
fn fitness_problems(all: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut problems: Vec<String> = all.filter(|p| seen.insert(p.clone())).collect();
    if problems.len() > MAX_FITNESS_PROBLEMS {
        let more = problems.len() - MAX_FITNESS_PROBLEMS;
        problems.truncate(MAX_FITNESS_PROBLEMS);
        problems.push(format!("{more} more"));
    }
    problems
}

/// Cheap sniffing: does this text look like a SAS token, SAS URL, connection string
/// or a Key Vault secret holding one?
pub fn looks_like_token(text: &str) -> bool {
    const MAX_TOKEN_INPUT: usize = 64 * 1024;
    if text.len() > MAX_TOKEN_INPUT {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    lower.contains("sig=")
        || lower.contains("sharedaccesssignature=")
        || (lower.contains("sv=") && (lower.contains("se=") || lower.contains("sp=")))
}

/// The signature in every form, and the input ranges to mask.
fn signature_secrets(token: &Token) -> (Secrets, Vec<Range<usize>>) {
    let mut secrets = Secrets::new();
    let mut ranges = Vec::new();
    for raw in &token.fields {
        if model::is_signature_key(&raw.key) {
            secrets.add(&raw.raw_value);
            secrets.add(&raw.value);
            ranges.push(raw.value_span.clone());
        }
    }
    (secrets, ranges)
}

/// The token's raw fields, split from `text` with every secret masked except the value
/// of a well-formed `sig` field, which the signature rules need. A secret anywhere else
/// (a `sig` whose `=` is missing or encoded and so became part of a field's name, a
/// `sig` after `;` inside another field's value) is masked before any rule can quote
/// it, even cut short.
fn fields_without_secrets(
    text: &str,
    token: &Range<usize>,
    found: &[secret::Found],
) -> Vec<syntax::RawField> {
    let split = |text: &str| syntax::sas_token(text.get(token.clone()).unwrap_or(""), token.start);
    let fields = split(text);
    let hidden: Vec<Range<usize>> = found
        .iter()
        .map(|f| f.value.clone())
        .filter(|value| !fields.iter().any(|raw| is_signature_value(raw, value)))
        .collect();
    if hidden.is_empty() {
        return fields;
    }
    split(&secret::mask(text, &hidden))
}

/// True when `range` lies inside the value of a `sig=` field.
fn is_signature_value(raw: &syntax::RawField, range: &Range<usize>) -> bool {
    raw.has_equals
        && model::is_signature_key(&raw.key)
        && raw.value_span.start <= range.start
        && range.end <= raw.value_span.end
}

/// Bytes that were not UTF-8 in the input itself.
fn repairs(repairs: &[Repair]) -> Vec<Finding> {
    repairs
        .iter()
        .filter_map(|r| match r {
            Repair::InvalidUtf8(span) => Some(
                Finding::new(codes::NOT_UTF8, "token", span.clone())
                    .message("the input has bytes that are not UTF-8")
                    .label("replaced")
                    .help("a SAS token is ASCII; copy it again from its source"),
            ),
            Repair::Utf8Bom | Repair::Utf16 { .. } | Repair::Utf16WithoutBom { .. } => None,
        })
        .collect()
}
