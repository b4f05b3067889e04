//! Versions: the form of `sv` and `skv`, known versions, each kind's minimum and each
//! feature's minimum.
//!
//! Sources: "Previous Azure Storage service versions" and the .NET
//! `BlobClientOptions.ServiceVersion` enum for the known list; the SAS pages for the
//! minimums (account SAS 2015-04-05, user delegation SAS 2018-11-09, `ses`
//! 2020-12-06, ...).

use super::{Scope, at};
use crate::diag::Finding;
use crate::sas::codes;
use crate::sas::model::{Resource, SasKind, Version};

/// Every storage service version known to this tool.
///
/// 2009-04-14 to 2019-02-02 from "Previous Azure Storage service versions";
/// 2019-07-07 to 2026-02-06 from the .NET SDK's `BlobClientOptions.ServiceVersion`;
/// 2020-01-10 from the OneLake SAS page (it has its own string-to-sign);
/// 2026-04-06 is what Azure CLI 2.91.0 writes (tokens in `tests/corpus/real`), and
/// with 2026-06-06 is listed on "Versioning for the Azure Storage services"
/// (learn.microsoft.com, June 2026) and in the .NET storage SDK release notes
/// ("Added support for service version 2026-06-06", 12.26.0-beta.1).
pub(crate) const KNOWN_VERSIONS: &[&str] = &[
    "2009-04-14",
    "2009-07-17",
    "2009-09-19",
    "2011-08-18",
    "2012-02-12",
    "2013-08-15",
    "2014-02-14",
    "2015-02-21",
    "2015-04-05",
    "2015-07-08",
    "2015-12-11",
    "2016-05-31",
    "2017-04-17",
    "2017-07-29",
    "2017-11-09",
    "2018-03-28",
    "2018-11-09",
    "2019-02-02",
    "2019-07-07",
    "2019-12-12",
    "2020-01-10",
    "2020-02-10",
    "2020-04-08",
    "2020-06-12",
    "2020-08-04",
    "2020-10-02",
    "2020-12-06",
    "2021-02-12",
    "2021-04-10",
    "2021-06-08",
    "2021-08-06",
    "2021-10-04",
    "2021-12-02",
    "2022-11-02",
    "2023-01-03",
    "2023-05-03",
    "2023-08-03",
    "2023-11-03",
    "2024-02-04",
    "2024-05-04",
    "2024-08-04",
    "2024-11-04",
    "2025-01-05",
    "2025-05-05",
    "2025-07-05",
    "2025-11-05",
    "2026-02-06",
    "2026-04-06",
];

/// Versions from this one on are recent enough that a sovereign or disconnected
/// cloud may not serve them yet.
const RECENT: Version = Version::new(2025, 1, 5);

/// Endpoint suffixes of sovereign clouds, which can lag behind public Azure.
const SOVEREIGN_SUFFIXES: &[&str] = &["core.usgovcloudapi.net", "core.chinacloudapi.cn"];

const SAS_VERSIONING: Version = Version::new(2012, 2, 12);
const ACCOUNT_SAS: Version = Version::new(2015, 4, 5);
const USER_DELEGATION: Version = Version::new(2018, 11, 9);

/// Fields and the first `sv` that knows them.
const FEATURES: &[(&str, Version, &str)] = &[
    ("ses", Version::new(2020, 12, 6), "an encryption scope"),
    ("sdd", Version::new(2020, 2, 10), "a directory depth"),
    (
        "saoid",
        Version::new(2020, 2, 10),
        "an authorized object id",
    ),
    (
        "suoid",
        Version::new(2020, 2, 10),
        "an unauthorized object id",
    ),
    ("scid", Version::new(2020, 2, 10), "a correlation id"),
    ("sip", Version::new(2015, 4, 5), "an IP restriction"),
    ("spr", Version::new(2015, 4, 5), "a protocol restriction"),
    ("rscc", Version::new(2013, 8, 15), "a header override"),
    ("rscd", Version::new(2013, 8, 15), "a header override"),
    ("rsce", Version::new(2013, 8, 15), "a header override"),
    ("rscl", Version::new(2013, 8, 15), "a header override"),
    ("rsct", Version::new(2013, 8, 15), "a header override"),
    (
        "skdutid",
        Version::new(2025, 7, 5),
        "a delegated user tenant",
    ),
    (
        "sduoid",
        Version::new(2025, 7, 5),
        "a delegated user object id",
    ),
];

/// True when `version` is in [`KNOWN_VERSIONS`].
pub(crate) fn is_known(version: Version) -> bool {
    KNOWN_VERSIONS.contains(&version.to_string().as_str())
}

pub(super) fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    key_version(scope, out);
    let Some(sv_field) = &scope.token.version else {
        return;
    };
    let sv = match &sv_field.value {
        Ok(sv) => *sv,
        Err(_) if sv_field.text.is_empty() => return,
        Err(_) => {
            out.push(
                at(codes::VERSION_MALFORMED, "sv", sv_field)
                    .message(format!(
                        "`sv={}` is not a version (`YYYY-MM-DD`)",
                        sv_field.text
                    ))
                    .help(
                        "generate the token again; the service answers \"sv is either not \
                        in the correct format...\"",
                    ),
            );
            return;
        }
    };
    if let Some((minimum, what)) = kind_minimum(scope.token.kind).filter(|(m, _)| sv < *m) {
        out.push(
            at(codes::VERSION_TOO_OLD, "sv", sv_field)
                .message(format!(
                    "{what} needs `sv` {minimum} or later, but `sv` is {sv}"
                ))
                .help(format!(
                    "generate the token with a current version (at least {minimum})"
                )),
        );
    } else if !is_known(sv) {
        out.push(
            at(codes::VERSION_UNKNOWN, "sv", sv_field)
                .message(format!(
                    "`sv={sv}` is not a storage version this tool knows"
                ))
                .help(
                    "check the version: the service rejects one it does not know \
                    (\"sv is either not in the correct format...\"); newer than this \
                    tool is fine",
                ),
        );
    }
    features(scope, sv, out);
    sovereign(scope, sv, sv_field, out);
}

fn kind_minimum(kind: SasKind) -> Option<(Version, &'static str)> {
    match kind {
        SasKind::Account => Some((ACCOUNT_SAS, "an account SAS")),
        SasKind::UserDelegation => Some((USER_DELEGATION, "a user delegation SAS")),
        SasKind::Service | SasKind::Unknown => Some((SAS_VERSIONING, "a SAS")),
    }
}

fn features(scope: &Scope<'_>, sv: Version, out: &mut Vec<Finding>) {
    for (key, minimum, what) in FEATURES {
        if sv >= *minimum {
            continue;
        }
        if let Some(span) = scope.token.span_of(key) {
            out.push(
                Finding::new(codes::FEATURE_VERSION, *key, span)
                    .message(format!(
                        "`{key}` ({what}) needs `sv` {minimum} or later, but `sv` is {sv}"
                    ))
                    .help(format!(
                        "generate the token with `sv` {minimum} or later, or drop \
                        `{key}`; the service refuses it (403)"
                    )),
            );
        }
    }
    let Some(sr) = &scope.token.resource else {
        return;
    };
    let minimum = match sr.ok() {
        Some(Resource::BlobSnapshot | Resource::BlobVersion) => Version::new(2018, 11, 9),
        Some(Resource::Directory) => Version::new(2020, 2, 10),
        _ => return,
    };
    if sv < minimum {
        out.push(
            at(codes::FEATURE_VERSION, "sr", sr)
                .message(format!(
                    "`sr={}` needs `sv` {minimum} or later, but `sv` is {sv}",
                    sr.text
                ))
                .help(format!("generate the token with `sv` {minimum} or later")),
        );
    }
}

fn key_version(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(skv) = &scope.token.key.version else {
        return;
    };
    match &skv.value {
        Err(_) if skv.text.is_empty() => {}
        Err(_) => out.push(
            at(codes::VERSION_MALFORMED, "skv", skv)
                .message(format!(
                    "`skv={}` is not a version (`YYYY-MM-DD`)",
                    skv.text
                ))
                .help("use the key version returned by Get User Delegation Key"),
        ),
        Ok(v) if *v < USER_DELEGATION => out.push(
            at(codes::VERSION_TOO_OLD, "skv", skv)
                .message(format!(
                    "`skv={v}` is older than {USER_DELEGATION}, the first version \
                    with user delegation keys"
                ))
                .help("request the user delegation key with a current version"),
        ),
        Ok(_) => {}
    }
}

/// A very recent `sv` on a sovereign cloud's endpoint may not be served yet.
fn sovereign(
    scope: &Scope<'_>,
    sv: Version,
    field: &crate::sas::model::Field<Version>,
    out: &mut Vec<Finding>,
) {
    let suffix = scope
        .token
        .envelope
        .url
        .as_ref()
        .and_then(|u| u.endpoint_suffix.clone())
        .unwrap_or_default();
    if sv >= RECENT && SOVEREIGN_SUFFIXES.contains(&suffix.as_str()) {
        out.push(
            at(codes::VERSION_SOVEREIGN, "sv", field)
                .message(format!(
                    "`sv={sv}` is recent, and `{suffix}` is a sovereign cloud that \
                    may not serve it yet"
                ))
                .help(
                    "if requests fail with \"sv is either not in the correct \
                    format...\", generate the token with an older `sv`",
                ),
        );
    }
}
