//! Fitness for an ACR Transfer pipeline: permissions, HTTPS, service, scope.
//!
//! Sources: the ACR Transfer troubleshooting guide (export needs r, w, l, a; import
//! r, l and d with DeleteSourceBlobOnSuccess; `srt=sco`; `spr=https`), the
//! prerequisites guide (a container SAS made with `az storage container
//! generate-sas`), and the documented disagreement between the two.

use super::{Scope, at};
use crate::diag::{Finding, Severity};
use crate::sas::Purpose;
use crate::sas::codes;
use crate::sas::model::{Protocol, Resource, SasKind};
use crate::sas::rules::permissions::{ACCOUNT_ORDER, BLOB_ORDER, canonical};

pub(super) fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    permissions(scope, out);
    https(scope, out);
    match scope.token.kind {
        SasKind::Account => account(scope, out),
        SasKind::Service | SasKind::UserDelegation => service(scope, out),
        SasKind::Unknown => {}
    }
    if let Some(sip) = &scope.token.ip {
        out.push(
            at(codes::PIPELINE_IP, "sip", sip)
                .message(
                    "`sip` limits the token to some addresses, but the pipeline calls \
                    storage from Azure's own",
                )
                .help(
                    "leave `sip` out of a pipeline token; the addresses ACR Transfer \
                    uses are not published",
                ),
        );
    }
}

/// The letters the purpose needs.
pub(crate) fn required_letters(purpose: Purpose, delete: bool) -> &'static str {
    match (purpose, delete) {
        (Purpose::Any, _) => "",
        (Purpose::AcrExport, _) => "rwla",
        (Purpose::AcrImport, false) => "rl",
        (Purpose::AcrImport, true) => "rdl",
    }
}

fn permissions(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(sp) = &scope.token.permissions else {
        return;
    };
    let needed = required_letters(
        scope.options.purpose,
        scope.options.delete_source_blob_on_success,
    );
    let missing: String = needed.chars().filter(|c| !sp.text.contains(*c)).collect();
    if missing.is_empty() {
        return;
    }
    let names: Vec<String> = missing
        .chars()
        .map(|c| {
            format!(
                "{} (`{c}`)",
                super::permissions::letter_meaning(c, scope.token.kind)
            )
        })
        .collect();
    let alphabet = if scope.token.kind == SasKind::Account {
        ACCOUNT_ORDER
    } else {
        BLOB_ORDER
    };
    let wanted = canonical(&format!("{}{needed}", sp.text), alphabet);
    let why = match scope.options.purpose {
        Purpose::AcrImport if missing.contains('d') => {
            "an import pipeline with DeleteSourceBlobOnSuccess needs read, list and delete"
        }
        Purpose::AcrImport => {
            "an import pipeline needs read and list (list also for the source trigger)"
        }
        _ => "an export pipeline needs read, write, list and add",
    };
    out.push(
        at(codes::PIPELINE_PERMISSIONS, "sp", sp)
            .message(format!(
                "`sp={}` lacks {}; {why}",
                sp.text,
                names.join(", ")
            ))
            .help(format!("generate the token with `sp={wanted}`")),
    );
}

fn https(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let finding = match &scope.token.protocol {
        None => Finding::new(codes::PIPELINE_HTTPS, "spr", scope.token_span())
            .message("no `spr`: the token also allows HTTP, but ACR Transfer wants `spr=https`")
            .label("in this token")
            .help("generate the token with `--https-only` (adds `spr=https`)"),
        Some(spr) => match spr.ok() {
            Some(Protocol::HttpsHttp | Protocol::HttpHttps) => {
                at(codes::PIPELINE_HTTPS, "spr", spr)
                    .message(format!(
                        "`spr={}` allows HTTP, but ACR Transfer wants `spr=https`",
                        spr.text
                    ))
                    .help("generate the token with `--https-only` (`spr=https`)")
            }
            _ => return,
        },
    };
    out.push(finding);
}

fn account(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let token = scope.token;
    if let Some(ss) = &token.services {
        if ss.ok().is_some_and(|s| !s.contains(&'b')) {
            out.push(
                at(codes::PIPELINE_SERVICE, "ss", ss)
                    .message(format!(
                        "`ss={}` does not include the blob service (`b`)",
                        ss.text
                    ))
                    .help(
                        "generate the token with `--services b`; the service answers \
                        AuthorizationServiceMismatch otherwise",
                    ),
            );
        }
    }
    let Some(srt) = &token.resource_types else {
        return;
    };
    let Some(types) = srt.ok() else {
        return;
    };
    let lacks: String = "co".chars().filter(|c| !types.contains(c)).collect();
    if !lacks.is_empty() {
        out.push(
            at(codes::PIPELINE_RESOURCE_TYPES, "srt", srt)
                .message(format!(
                    "`srt={}` lacks `{lacks}`: listing needs container (`c`), blobs \
                    need object (`o`)",
                    srt.text
                ))
                .help(
                    "generate the token with `--resource-types sco`; the service \
                    answers AuthorizationResourceTypeMismatch otherwise",
                ),
        );
    } else if !types.contains(&'s') {
        out.push(
            at(codes::PIPELINE_RESOURCE_TYPES, "srt", srt)
                .severity(Severity::Warning)
                .message(format!(
                    "`srt={}` lacks service (`s`); the ACR Transfer troubleshooting \
                    guide asks for `srt=sco`",
                    srt.text
                ))
                .help("generate the token with `--resource-types sco`"),
        );
    }
}

fn service(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let token = scope.token;
    if token.kind == SasKind::UserDelegation {
        out.push(
            Finding::new(codes::PIPELINE_USER_DELEGATION, "token", scope.token_span())
                .message(
                    "a user delegation SAS: ACR Transfer support is not documented, \
                    and its key lasts at most 7 days",
                )
                .label("user delegation SAS")
                .help(
                    "prefer a key-signed container or account SAS for a long-lived \
                    pipeline secret",
                ),
        );
    }
    let Some(sr) = &token.resource else {
        return;
    };
    match sr.ok() {
        Some(Resource::Container) => out.push(
            at(codes::PIPELINE_CONTAINER_SAS, "sr", sr)
                .message(
                    "a container SAS (`sr=c`): the ACR guides disagree on whether a \
                    pipeline needs an account SAS with `srt=sco`",
                )
                .help(
                    "the prerequisites guide makes a container SAS and it usually \
                    works; if the pipeline fails with 403, use `az storage account \
                    generate-sas --services b --resource-types sco`",
                ),
        ),
        Some(other) => out.push(
            at(codes::PIPELINE_SCOPE, "sr", sr)
                .message(format!(
                    "`sr={}` grants {}, but a pipeline reads and writes the whole \
                    container",
                    sr.text,
                    other.describe()
                ))
                .help(
                    "generate a container SAS (`az storage container generate-sas`) \
                    or an account SAS",
                ),
        ),
        None => {}
    }
}
