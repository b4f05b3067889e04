//! Permissions and resources: the letters of `sp`, `ss`, `srt`, the value of `sr`
//! and `sdd`.
//!
//! Sources: "Create a service SAS" (letters must appear in a fixed order and not
//! repeat; the order `racwdxyltmeopi`, with `f` after `t` as the SDKs and a failed
//! `rwxft` report show), "Create an account SAS" (no order is required: a support
//! answer confirmed randomly ordered account permissions work), and the per-letter
//! minimum versions of the service SAS table.

use std::ops::Range;

use super::{Scope, at};
use crate::diag::{Code, Finding, Severity};
use crate::sas::codes;
use crate::sas::fields::ProblemKind;
use crate::sas::model::{Field, Resource, SasKind, Version};
use crate::sas::syntax::RawField;

/// Service and user delegation SAS letters, in the order the service requires.
pub(crate) const BLOB_ORDER: &str = "racwdxyltfmeopi";
/// Account SAS letters, in the order .NET and Java write them (not required).
pub(crate) const ACCOUNT_ORDER: &str = "rwdxylacuptfi";

/// The first `sv` each permission letter needs (service SAS table; used for the
/// account SAS too, by analogy).
const LETTER_VERSIONS: &[(char, Version)] = &[
    ('x', Version::new(2019, 12, 12)),
    ('t', Version::new(2019, 12, 12)),
    ('f', Version::new(2019, 12, 12)),
    ('y', Version::new(2020, 2, 10)),
    ('m', Version::new(2020, 2, 10)),
    ('e', Version::new(2020, 2, 10)),
    ('o', Version::new(2020, 2, 10)),
    ('p', Version::new(2020, 2, 10)),
    ('i', Version::new(2020, 6, 12)),
];

/// What each letter allows, for the decoded view and messages.
pub(crate) fn letter_meaning(c: char, kind: SasKind) -> &'static str {
    match (c, kind) {
        ('r', _) => "read",
        ('a', _) => "add (append blocks)",
        ('c', _) => "create",
        ('w', _) => "write",
        ('d', _) => "delete",
        ('x', _) => "delete versions",
        ('y', _) => "permanently delete",
        ('l', _) => "list",
        ('t', _) => "blob tags",
        ('f', _) => "find by tags",
        ('m', _) => "move",
        ('e', _) => "execute",
        ('o', _) => "change owner",
        ('p', SasKind::Account) => "process queue messages",
        ('p', _) => "change permissions (ACL)",
        ('u', _) => "update queue messages and table entities",
        ('i', _) => "set immutability policy and legal hold",
        _ => "unknown",
    }
}

pub(super) fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let token = scope.token;
    if let Some(sp) = &token.permissions {
        if !sp.text.is_empty() {
            letters(scope, sp, out);
        }
    }
    letter_field(
        "ss",
        &token.services,
        codes::SERVICES,
        "b (blob), q (queue), t (table), f (file)",
        out,
    );
    letter_field(
        "srt",
        &token.resource_types,
        codes::RESOURCE_TYPES,
        "s (service), c (container), o (object)",
        out,
    );
    resource(scope, out);
}

fn letters(scope: &Scope<'_>, sp: &Field<Vec<char>>, out: &mut Vec<Finding>) {
    let kind = scope.token.kind;
    let alphabet = if kind == SasKind::Account {
        ACCOUNT_ORDER
    } else {
        BLOB_ORDER
    };
    let Some(raw) = scope.token.raw(sp) else {
        return;
    };
    let bad = sort_letters(&sp.text, raw, alphabet);
    let fixed = canonical(&sp.text.to_ascii_lowercase(), alphabet);
    if let Some(finding) = grouped(codes::PERMISSION_UNKNOWN, &bad.upper, "upper case") {
        let (names, plural) = listed(&bad.upper);
        let verb = if plural { "are" } else { "is" };
        out.push(
            finding
                .message(format!("{names} {verb} in upper case"))
                .help(format!(
                    "write `{fixed}`; only SDKs lower-case permissions, the service does not"
                )),
        );
    }
    if let Some(finding) = grouped(codes::PERMISSION_UNKNOWN, &bad.unknown, "unknown letter") {
        let (names, plural) = listed(&bad.unknown);
        let what = if plural {
            "are not permissions"
        } else {
            "is not a permission"
        };
        out.push(
            finding
                .message(format!(
                    "{names} {what} of {}",
                    with_article(kind.describe())
                ))
                .help(format!("use only letters from `{alphabet}`")),
        );
    }
    if let Some(finding) = grouped(codes::PERMISSION_REPEATED, &bad.repeated, "repeated") {
        let (names, plural) = listed(&bad.repeated);
        let verb = if plural { "are" } else { "is" };
        out.push(
            finding
                .message(format!("{names} {verb} given more than once"))
                .help(format!("write `{fixed}`; each letter at most once")),
        );
    }
    order(scope, sp, alphabet, out);
    versions(scope, sp, out);
}

/// A permission letter and its span in the input.
type Letter = (char, Range<usize>);

/// The letters of `sp` that are wrong, by the way they are wrong.
#[derive(Default)]
struct BadLetters {
    upper: Vec<Letter>,
    unknown: Vec<Letter>,
    repeated: Vec<Letter>,
}

fn sort_letters(text: &str, raw: &RawField, alphabet: &str) -> BadLetters {
    let mut bad = BadLetters::default();
    let mut seen: Vec<char> = Vec::new();
    for (i, c) in text.char_indices() {
        let letter = (c, raw.input_span(i..i + c.len_utf8()));
        if c.is_ascii_uppercase() && alphabet.contains(c.to_ascii_lowercase()) {
            bad.upper.push(letter);
        } else if !alphabet.contains(c) {
            bad.unknown.push(letter);
        } else if seen.contains(&c) {
            bad.repeated.push(letter);
        }
        seen.push(c);
    }
    bad
}

/// One finding for several letters: the first labelled as primary, the rest related.
fn grouped(code: Code, letters: &[Letter], label: &str) -> Option<Finding> {
    let ((_, first), rest) = letters.split_first()?;
    let mut finding = Finding::new(code, "sp", first.clone()).label(label);
    for (_, span) in rest {
        finding = finding.related(span.clone(), label);
    }
    Some(finding)
}

/// The letters as `` `x`, `y` ``, each once, and whether there are several.
fn listed(letters: &[Letter]) -> (String, bool) {
    let mut names: Vec<String> = Vec::new();
    for (c, _) in letters {
        let name = format!("`{c}`");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    (names.join(", "), names.len() > 1)
}

/// The letters in `alphabet` order, each once, dropping unknown ones.
pub(crate) fn canonical(text: &str, alphabet: &str) -> String {
    alphabet.chars().filter(|c| text.contains(*c)).collect()
}

fn order(scope: &Scope<'_>, sp: &Field<Vec<char>>, alphabet: &str, out: &mut Vec<Finding>) {
    let Some(raw) = scope.token.raw(sp) else {
        return;
    };
    let mut last: Option<(usize, char)> = None;
    for (i, c) in sp.text.char_indices() {
        let Some(rank) = alphabet.find(c) else {
            continue;
        };
        if let Some((last_rank, last_c)) = last {
            if rank < last_rank {
                out.push(misordered(
                    scope,
                    raw.input_span(i..i + 1),
                    c,
                    last_c,
                    &sp.text,
                    alphabet,
                ));
                return;
            }
        }
        last = Some((rank, c));
    }
}

fn misordered(
    scope: &Scope<'_>,
    span: Range<usize>,
    c: char,
    before: char,
    text: &str,
    alphabet: &str,
) -> Finding {
    let fixed = canonical(text, alphabet);
    if scope.token.kind == SasKind::Account {
        // The service does not enforce an order for account SAS; only worth knowing.
        return Finding::new(codes::PERMISSION_ORDER, "sp", span)
            .severity(Severity::Advice)
            .message(format!(
                "account SAS permissions are not in the usual order `{ACCOUNT_ORDER}`"
            ))
            .label("out of order")
            .help(format!(
                "the service accepts any order for an account SAS; SDKs write `{fixed}`"
            ));
    }
    Finding::new(codes::PERMISSION_ORDER, "sp", span)
        .message(format!(
            "`{c}` must come before `{before}`: a {} lists permissions in the \
            order `{BLOB_ORDER}`",
            scope.token.kind.describe()
        ))
        .label("out of order")
        .help(format!(
            "write `{fixed}`; the service answers \"Signature fields not well \
            formed\" otherwise, and the signature must be made again"
        ))
}

fn versions(scope: &Scope<'_>, sp: &Field<Vec<char>>, out: &mut Vec<Finding>) {
    let Some(sv) = scope.token.version.as_ref().and_then(|f| f.ok().copied()) else {
        return;
    };
    let Some(raw) = scope.token.raw(sp) else {
        return;
    };
    for (i, c) in sp.text.char_indices() {
        let needed = LETTER_VERSIONS
            .iter()
            .find(|(l, _)| *l == c)
            .map(|(_, v)| *v);
        // `p` on an account SAS means "process", which is as old as account SAS.
        let needed = needed.filter(|_| !(c == 'p' && scope.token.kind == SasKind::Account));
        if let Some(needed) = needed.filter(|v| sv < *v) {
            out.push(
                Finding::new(codes::PERMISSION_VERSION, "sp", raw.input_span(i..i + 1))
                    .message(format!(
                        "permission `{c}` ({}) needs `sv` {needed} or later, but `sv` is {sv}",
                        letter_meaning(c, scope.token.kind)
                    ))
                    .label("too new for sv")
                    .help(format!(
                        "generate the token with `sv` {needed} or later, or drop `{c}`"
                    )),
            );
        }
    }
}

fn letter_field(
    key: &str,
    field: &Option<Field<Vec<char>>>,
    code: Code,
    alphabet: &str,
    out: &mut Vec<Finding>,
) {
    let Some(field) = field else {
        return;
    };
    let Err(malformed) = &field.value else {
        return;
    };
    let message = match &malformed.kind {
        ProblemKind::UnknownLetter(c) => format!("`{c}` is not allowed in `{key}`"),
        ProblemKind::RepeatedLetter(c) => format!("`{c}` is repeated in `{key}`"),
        _ => return,
    };
    out.push(
        Finding::new(code, key, malformed.span.clone())
            .message(message)
            .help(format!("`{key}` takes each of {alphabet} at most once")),
    );
}

fn resource(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let token = scope.token;
    if let Some(sdd) = token.directory_depth.as_ref().filter(|f| f.value.is_err()) {
        out.push(
            at(codes::DIRECTORY_DEPTH, "sdd", sdd)
                .message(format!("`sdd={}` is not a non-negative integer", sdd.text))
                .help("write the directory depth as a whole number (0 for the container root)"),
        );
    }
    let Some(sr) = &token.resource else {
        return;
    };
    if let Err(malformed) = &sr.value {
        if malformed.kind != ProblemKind::Empty {
            out.push(
                at(codes::RESOURCE, "sr", sr)
                    .message(format!("`sr={}` is not a known resource", sr.text))
                    .help("use `c` (container), `b` (blob), `bv`, `bs` or `d` (directory)"),
            );
        }
        return;
    }
    let directory = sr.ok() == Some(&Resource::Directory) && token.kind != SasKind::Account;
    if directory && token.directory_depth.is_none() {
        out.push(
            at(codes::DIRECTORY_DEPTH, "sdd", sr)
                .message("`sr=d` needs `sdd`, the directory's depth")
                .help("add `sdd` (0 for the container root, 2 for `/c/d1/d2`)"),
        );
    }
}

/// `a service SAS`, `an account SAS`.
fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}
