//! Times: the accepted forms of `st`, `se`, `skt`, `ske`, and the validity window
//! against "now" from the [`Context`].
//!
//! Sources: "Formatting DateTime values" (date, minutes, seconds, up to 7 fractional
//! digits), the SAS pages (values in UTC), the azure-content fix that only `Z` works,
//! and "Create a user delegation SAS" (key valid up to 7 days; a SAS used after its
//! key expires fails).

use chrono::{DateTime, Duration, Utc};

use super::{Scope, at};
use crate::diag::Finding;
use crate::sas::codes;
use crate::sas::fields::ProblemKind;
use crate::sas::model::{Field, Time, TimeForm};
use crate::sas::view::{duration, relative, utc};

/// How far in the future a start may be before the token counts as not yet valid
/// rather than at risk from clock skew.
const SKEW: Duration = Duration::minutes(15);

pub(super) fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let token = scope.token;
    for (key, field) in [
        ("st", &token.start),
        ("se", &token.expiry),
        ("skt", &token.key.start),
        ("ske", &token.key.expiry),
    ] {
        if let Some(field) = field {
            form(key, field, out);
        }
    }
    window(scope, out);
    delegation_key(scope, out);
}

/// The written form: malformed, offset, date-only, hour-only, odd fraction.
fn form(key: &str, field: &Field<Time>, out: &mut Vec<Finding>) {
    let time = match &field.value {
        Ok(time) => time,
        Err(malformed) if malformed.kind == ProblemKind::Empty => return,
        Err(malformed) => {
            let (code, message, help) = malformed_text(&malformed.kind);
            out.push(
                Finding::new(code, key, malformed.span.clone())
                    .message(format!("`{key}` {message}"))
                    .help(help),
            );
            return;
        }
    };
    let finding = match time.form {
        TimeForm::Date => at(codes::TIME_DATE_ONLY, key, field)
            .message(format!(
                "`{key}` is a date without a time; it means 00:00 UTC that day"
            ))
            .help(
                "the service accepts it, but older Go, Java and AzCopy clients \
                drop it; write `YYYY-MM-DDThh:mm:ssZ`",
            ),
        TimeForm::Hour => at(codes::TIME_HOUR_ONLY, key, field)
            .message(format!(
                "`{key}` has hours but no minutes, not a documented form"
            ))
            .help("write `YYYY-MM-DDThh:mmZ` or `YYYY-MM-DDThh:mm:ssZ`"),
        TimeForm::Fraction(n) if n != 7 => at(codes::TIME_FRACTION, key, field)
            .message(format!(
                "`{key}` has {n} fractional digits; .NET accepts exactly 7 and Go \
                drops them when re-encoding"
            ))
            .help("write whole seconds (`...:ssZ`), or exactly 7 digits"),
        _ => return,
    };
    out.push(finding);
}

fn malformed_text(kind: &ProblemKind) -> (crate::diag::Code, String, &'static str) {
    let z = "write the time in UTC as `YYYY-MM-DDThh:mm:ssZ`";
    match kind {
        ProblemKind::TimeOffset => (
            codes::TIME_OFFSET,
            String::from("has a UTC offset; SAS times must end in `Z`"),
            "convert the time to UTC and end it with `Z` instead of the offset",
        ),
        ProblemKind::TimeNoZone => (
            codes::TIME_MALFORMED,
            String::from("has no `Z` at the end"),
            z,
        ),
        ProblemKind::TimeLowerCase => (
            codes::TIME_MALFORMED,
            String::from("has a lower-case `t` or `z`"),
            "write `T` and `Z` in upper case",
        ),
        ProblemKind::TimeSpace => (
            codes::TIME_MALFORMED,
            String::from("has a space instead of `T` (a `+` decoded as a space?)"),
            z,
        ),
        ProblemKind::TimeFractionDigits(n) => (
            codes::TIME_MALFORMED,
            format!("has {n} fractional digits; at most 7 are allowed"),
            "write at most 7 fractional digits, or whole seconds",
        ),
        ProblemKind::TimeImpossible => (
            codes::TIME_MALFORMED,
            String::from("is a date or time that does not exist"),
            z,
        ),
        _ => (
            codes::TIME_MALFORMED,
            String::from("is not a time the service accepts"),
            z,
        ),
    }
}

/// Expired, not yet valid, start after expiry, start within clock skew, expires soon.
fn window(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let now = scope.ctx.now();
    let start = instant(&scope.token.start);
    let expiry = instant(&scope.token.expiry);
    if let (Some((sf, st)), Some((ef, se))) = (start, expiry) {
        if st >= se {
            out.push(
                at(codes::START_AFTER_EXPIRY, "st", sf)
                    .message(format!(
                        "`st` ({}) is not before `se` ({}): the token is never valid",
                        utc(st),
                        utc(se)
                    ))
                    .related(ef.span.clone(), "expiry")
                    .help("set `st` before `se`, or leave `st` out"),
            );
            return;
        }
    }
    if let Some((ef, se)) = expiry {
        expiry_rules(scope, ef, se, now, out);
    }
    if let Some((sf, st)) = start {
        out.extend(start_rules(sf, st, now));
    }
}

/// A well-formed time field with its instant.
fn instant(field: &Option<Field<Time>>) -> Option<(&Field<Time>, DateTime<Utc>)> {
    let field = field.as_ref()?;
    Some((field, field.ok()?.instant))
}

/// A start far in the future (not yet valid) or just ahead (clock skew).
fn start_rules(field: &Field<Time>, st: DateTime<Utc>, now: DateTime<Utc>) -> Option<Finding> {
    if st > now + SKEW {
        let message = format!(
            "the token is not valid until {} ({})",
            utc(st),
            relative(st, now)
        );
        Some(
            at(codes::NOT_YET_VALID, "st", field)
                .message(message)
                .help("wait until then, or generate a token whose `st` is in the past"),
        )
    } else if st > now {
        let message = format!(
            "the token starts {} (`st`), with no margin for clock skew",
            relative(st, now)
        );
        Some(at(codes::START_SKEW, "st", field).message(message).help(
            "set `st` 15 minutes in the past, or leave it out (the token is then valid \
            from when a request arrives)",
        ))
    } else {
        None
    }
}

fn expiry_rules(
    scope: &Scope<'_>,
    field: &Field<Time>,
    se: DateTime<Utc>,
    now: DateTime<Utc>,
    out: &mut Vec<Finding>,
) {
    let min = scope.options.min_validity;
    if se <= now {
        out.push(
            at(codes::EXPIRED, "se", field)
                .message(format!(
                    "the token expired at {} ({})",
                    utc(se),
                    relative(se, now)
                ))
                .label("expiry")
                .help("generate a new token with a later `se` and update the Key Vault secret"),
        );
    } else if se - now < min {
        out.push(
            at(codes::EXPIRES_SOON, "se", field)
                .message(format!(
                    "the token expires at {} ({}), within {}",
                    utc(se),
                    relative(se, now),
                    duration(min)
                ))
                .label("expiry")
                .help("generate a token that outlives the transfer, or lower `--min-validity`"),
        );
    }
}

/// The user delegation key: expired, shorter than the token, longer than 7 days.
fn delegation_key(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let now = scope.ctx.now();
    let Some((ske_field, ske)) = instant(&scope.token.key.expiry) else {
        return;
    };
    if ske <= now {
        let message = format!(
            "the delegation key expired at {} ({})",
            utc(ske),
            relative(ske, now)
        );
        out.push(
            at(codes::KEY_EXPIRED, "ske", ske_field)
                .message(message)
                .help("request a new user delegation key and sign a new token with it"),
        );
    } else if let Some((se_field, _)) = instant(&scope.token.expiry).filter(|(_, se)| *se > ske) {
        let message = format!(
            "`se` is after the key's expiry `ske` ({}); the token stops working then",
            utc(ske)
        );
        out.push(
            at(codes::KEY_EXPIRES_FIRST, "se", se_field)
                .message(message)
                .related(ske_field.span.clone(), "key expiry")
                .help(
                    "set `se` no later than `ske`, or sign with a key that lives longer \
                    (at most 7 days)",
                ),
        );
    }
    if let Some((skt_field, skt)) = instant(&scope.token.key.start) {
        if ske - skt > Duration::days(7) {
            let message = format!(
                "the delegation key spans {}, more than the 7 days allowed",
                duration(ske - skt)
            );
            out.push(
                at(codes::KEY_TOO_LONG, "ske", ske_field)
                    .message(message)
                    .related(skt_field.span.clone(), "key start")
                    .help("a user delegation key is valid for at most 7 days; request one within that"),
            );
        }
    }
}
