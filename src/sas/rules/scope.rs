//! Field combinations: which fields belong to which kind of SAS, stored policies,
//! and the user delegation key's identity fields.
//!
//! Sources: "Create an account SAS" (no `si`), "Create a service SAS" (`si`; `sp`
//! and `se` must be left out when the policy defines them), "Create a user
//! delegation SAS" (no `si`; only one of `saoid`/`suoid`; `scid` a lower-case GUID;
//! `sks` is `b` for the blob service).

use super::{Scope, at};
use crate::diag::Finding;
use crate::sas::codes;
use crate::sas::fields::ProblemKind;
use crate::sas::model::{Field, Guid, SasKind};

pub(super) fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    match scope.token.kind {
        SasKind::Account => account(scope, out),
        SasKind::Service => service(scope, out),
        SasKind::UserDelegation => user_delegation(scope, out),
        SasKind::Unknown => {}
    }
    guids(scope, out);
}

fn not_for_kind(scope: &Scope<'_>, key: &str, out: &mut Vec<Finding>, why: &str) {
    if let Some(span) = scope.token.span_of(key) {
        out.push(
            Finding::new(codes::FIELD_NOT_FOR_KIND, key, span)
                .message(format!(
                    "a {} cannot have `{key}`",
                    scope.token.kind.describe()
                ))
                .help(why.to_string()),
        );
    }
}

fn account(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    not_for_kind(
        scope,
        "si",
        out,
        "stored access policies exist only for service SAS; remove `si`",
    );
    for key in [
        "skoid", "sktid", "skt", "ske", "sks", "skv", "saoid", "suoid", "scid", "sdd",
    ] {
        not_for_kind(
            scope,
            key,
            out,
            "this field belongs to a service or user delegation SAS; remove it",
        );
    }
    if let Some(sr) = &scope.token.resource {
        out.push(
            at(codes::STRAY_FIELD, "sr", sr)
                .message("`sr` belongs to a service SAS, but `ss`/`srt` make this an account SAS")
                .help(
                    "remove `sr`; the service is believed to ignore it on an account \
                    SAS, but the token mixes two kinds",
                ),
        );
    }
}

fn service(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    for key in ["saoid", "suoid", "scid"] {
        not_for_kind(
            scope,
            key,
            out,
            "this field belongs to a user delegation SAS; remove it",
        );
    }
    let token = scope.token;
    let Some(si) = &token.policy else {
        return;
    };
    let also: Vec<&str> = [
        ("sp", token.permissions.is_some()),
        ("se", token.expiry.is_some()),
        ("st", token.start.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, present)| present.then_some(k))
    .collect();
    let message = if also.is_empty() {
        format!(
            "`si={}` names a stored access policy that cannot be checked offline",
            si.text
        )
    } else {
        format!(
            "`si={}` names a stored access policy; if it also defines {} the \
                service rejects the token",
            si.text,
            also.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    out.push(at(codes::STORED_POLICY, "si", si).message(message).help(
        "check the container's access policy (`az storage container \
                policy show`): its permissions and expiry apply, and fields it \
                defines must be left out of the token",
    ));
}

fn user_delegation(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let token = scope.token;
    not_for_kind(
        scope,
        "si",
        out,
        "stored access policies cannot be used with a user delegation SAS; remove `si`",
    );
    if let (Some(_), Some(suoid)) = (&token.authorized_object_id, &token.unauthorized_object_id) {
        let mut finding = at(codes::OBJECT_IDS, "suoid", suoid)
            .message("a user delegation SAS may have `saoid` or `suoid`, not both")
            .help("keep the one you need and sign the token again");
        if let Some(span) = token.span_of("saoid") {
            finding = finding.related(span, "also given");
        }
        out.push(finding);
    }
    if let Some(sks) = &token.key.service {
        if !sks.text.is_empty() && sks.text != "b" {
            out.push(
                at(codes::KEY_SERVICE, "sks", sks)
                    .message(format!(
                        "`sks={}`: a blob user delegation key has `sks=b`",
                        sks.text
                    ))
                    .help("sign with a user delegation key from the blob service"),
            );
        }
    }
}

fn guids(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let token = scope.token;
    let fields: [(&str, &Option<Field<Guid>>); 5] = [
        ("skoid", &token.key.object_id),
        ("sktid", &token.key.tenant_id),
        ("saoid", &token.authorized_object_id),
        ("suoid", &token.unauthorized_object_id),
        ("scid", &token.correlation_id),
    ];
    for (key, field) in fields {
        let Some(field) = field else {
            continue;
        };
        match &field.value {
            Err(m) if m.kind == ProblemKind::Empty || field.text.is_empty() => {}
            Err(_) => out.push(
                at(codes::GUID, key, field)
                    .message(format!("`{key}` is not a GUID"))
                    .help("write it as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, without braces"),
            ),
            Ok(guid) if key == "scid" && guid.0.chars().any(|c| c.is_ascii_uppercase()) => out
                .push(
                    at(codes::GUID, key, field)
                        .message("`scid` must be a lower-case GUID")
                        .help("write the correlation id in lower case"),
                ),
            Ok(_) => {}
        }
    }
}
