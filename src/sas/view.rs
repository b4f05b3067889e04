//! The decoded view of a token: every field with its meaning in words, times in UTC
//! and relative to now, and the purposes the token is fit for.
//!
//! Produces the JSON `details` and the human notes. The signature's value is never
//! put in either: it is shown as [`REDACTED`] with its length.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::model::{Field, Protocol, SasKind, Token, Version, is_signature_key, meaning};
use super::rules::permissions::letter_meaning;
use super::{Fitness, SasOptions};
use crate::context::Context;
use crate::secret::REDACTED;

/// Longest value shown in full in the human view.
const SHOWN_VALUE_CHARS: usize = 48;
/// Longest key shown in full in the human view; a longer key pushes its value right.
const SHOWN_KEY_CHARS: usize = 24;
/// Widest value column; longer values push their meaning further right.
const VALUE_COLUMN: usize = 36;
/// Most fields listed in the decoded view, human and JSON; a token with thousands of
/// fields is broken anyway, and its findings already name the fields that matter.
const SHOWN_FIELDS: usize = 100;

/// A UTC instant as `2027-01-31 00:00:00 UTC`.
pub(crate) fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `t` relative to `now`: `in 57 days`, `33 days ago`, `in 5 seconds`.
pub(crate) fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if t == now {
        return String::from("now");
    }
    let amount = duration((t - now).abs());
    if t > now {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// A duration in its largest whole unit: `57 days`, `3 hours`, `90 minutes`.
pub(crate) fn duration(d: Duration) -> String {
    let seconds = d.num_seconds().abs();
    let (n, unit) = if seconds >= 2 * 86_400 {
        (seconds / 86_400, "day")
    } else if seconds >= 2 * 3_600 {
        (seconds / 3_600, "hour")
    } else if seconds >= 2 * 60 {
        (seconds / 60, "minute")
    } else {
        (seconds, "second")
    };
    let s = if n == 1 { "" } else { "s" };
    format!("{n} {unit}{s}")
}

/// What a field's value means, in words.
fn value_meaning(token: &Token, index: usize, ctx: &Context) -> String {
    let key = token.key_at(index);
    let typed = if token.duplicates.contains(&index) {
        None
    } else {
        time_meaning(token, index, ctx.now()).or_else(|| typed_meaning(token, &key))
    };
    typed
        .or_else(|| meaning(&key).map(str::to_string))
        .unwrap_or_else(|| String::from("not a SAS field"))
}

/// A time field's instant in UTC and relative to now.
fn time_meaning(token: &Token, index: usize, now: DateTime<Utc>) -> Option<String> {
    let fields = [
        &token.start,
        &token.expiry,
        &token.key.start,
        &token.key.expiry,
    ];
    let time = fields
        .into_iter()
        .flatten()
        .find(|f| f.index == index)
        .and_then(|f| f.ok())?;
    Some(format!(
        "{}, {}",
        utc(time.instant),
        relative(time.instant, now)
    ))
}

/// The typed value of a well-formed field, in words.
fn typed_meaning(token: &Token, key: &str) -> Option<String> {
    match key {
        "sp" => token.permissions.as_ref().map(|f| {
            names(&f.text.chars().collect::<Vec<_>>(), |c| {
                letter_meaning(c.to_ascii_lowercase(), token.kind)
            })
        }),
        "ss" => ok(&token.services).map(|s| names(s, service_name)),
        "srt" => ok(&token.resource_types).map(|s| names(s, type_name)),
        "sr" => ok(&token.resource).map(|r| r.describe().to_string()),
        "spr" => ok(&token.protocol).map(|p| protocol_words(*p).to_string()),
        "sv" => ok(&token.version).map(|v| version_words(*v)),
        "sig" => token.signature.as_ref().map(|f| match f.ok() {
            Some(bytes) => format!("signature, {} bytes", bytes.len()),
            None => String::from("signature, malformed"),
        }),
        _ => None,
    }
}

fn ok<T>(field: &Option<Field<T>>) -> Option<&T> {
    field.as_ref().and_then(Field::ok)
}

fn version_words(version: Version) -> String {
    let known = if super::rules::version::is_known(version) {
        "known"
    } else {
        "not known to this tool"
    };
    format!("storage service version, {known}")
}

fn names(letters: &[char], name: impl Fn(char) -> &'static str) -> String {
    letters
        .iter()
        .map(|&c| name(c))
        .collect::<Vec<_>>()
        .join(", ")
}

fn service_name(c: char) -> &'static str {
    match c {
        'b' => "blob",
        'q' => "queue",
        't' => "table",
        'f' => "file",
        _ => "unknown",
    }
}

fn type_name(c: char) -> &'static str {
    match c {
        's' => "service",
        'c' => "container",
        'o' => "object",
        _ => "unknown",
    }
}

fn protocol_words(p: Protocol) -> &'static str {
    match p {
        Protocol::Https => "HTTPS only",
        Protocol::HttpsHttp | Protocol::HttpHttps => "HTTPS or HTTP",
        Protocol::Http => "HTTP only (not permitted)",
    }
}

fn shown_value(token: &Token, index: usize) -> String {
    match token.fields.get(index) {
        Some(raw) if is_signature_key(&raw.key) => REDACTED.to_string(),
        Some(raw) => raw.value.clone(),
        None => String::new(),
    }
}

/// The JSON `details` of a token check.
pub(crate) fn details(
    token: &Token,
    options: &SasOptions,
    ctx: &Context,
    fit: &[Fitness],
) -> Value {
    let fields: Vec<Value> = (0..token.fields.len().min(SHOWN_FIELDS))
        .map(|i| {
            let raw = token.fields.get(i);
            json!({
                "key": raw.map(|r| r.key.clone()),
                "value": shown_value(token, i),
                "meaning": value_meaning(token, i, ctx),
                "offset": raw.map(|r| r.span.start),
                "length": raw.map(|r| r.span.len()),
            })
        })
        .collect();
    let url = token.envelope.url.as_ref().map(|u| {
        json!({
            "scheme": u.scheme, "host": u.host, "account": u.account, "service": u.service,
            "endpoint_suffix": u.endpoint_suffix, "container": u.container, "blob": u.blob,
            "path_style": u.path_style,
        })
    });
    json!({
        "kind": token.kind.as_str(),
        "form": token.envelope.form.as_str(),
        "key_vault": token.envelope.key_vault,
        "url": url,
        "purpose": options.purpose.as_str(),
        "now": ctx.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "fields": fields,
        "fields_not_listed": token.fields.len().saturating_sub(SHOWN_FIELDS),
        "fitness": fit.iter().map(Fitness::to_json).collect::<Vec<_>>(),
    })
}

/// The human lines of the decoded view.
pub(crate) fn notes(
    token: &Token,
    ctx: &Context,
    fit: &[Fitness],
    show_fitness: bool,
) -> Vec<String> {
    let mut lines = vec![format!(
        "Decoded token: {}{}",
        token.kind.describe(),
        given_as(token)
    )];
    if let Some(url) = &token.envelope.url {
        let parts = [
            ("account", &url.account),
            ("container", &url.container),
            ("blob", &url.blob),
        ];
        let named: Vec<String> = parts
            .iter()
            .filter_map(|(what, v)| v.as_ref().map(|v| format!("{what} {v}")))
            .collect();
        if !named.is_empty() {
            lines.push(format!("  for {} on {}", named.join(", "), url.host));
        }
    }
    let shown = token.fields.len().min(SHOWN_FIELDS);
    let keys: Vec<String> = (0..shown)
        .map(|i| {
            let key = token.fields.get(i).map_or("", |f| f.key.as_str());
            shorten(key, SHOWN_KEY_CHARS)
        })
        .collect();
    let values: Vec<String> = (0..shown)
        .map(|i| shorten(&shown_value(token, i), SHOWN_VALUE_CHARS))
        .collect();
    let key_width = column_width(&keys, SHOWN_KEY_CHARS);
    let value_width = column_width(&values, VALUE_COLUMN);
    for (i, (key, value)) in keys.iter().zip(&values).enumerate() {
        let meaning = value_meaning(token, i, ctx);
        lines.push(format!(
            "  {}  {}  {meaning}",
            padded(key, key_width),
            padded(value, value_width)
        ));
    }
    if let Some(more) = token.fields.len().checked_sub(shown).filter(|&n| n > 0) {
        lines.push(format!("  ... and {more} more fields not listed"));
    }
    if show_fitness && token.kind != SasKind::Unknown {
        lines.push(String::from("Fit for ACR Transfer (--for):"));
        lines.extend(fit.iter().map(Fitness::describe));
    }
    lines
}

fn given_as(token: &Token) -> String {
    use super::envelope::Form;
    let form = match token.envelope.form {
        Form::Bare => "",
        Form::Query => ", given with a leading `?`",
        Form::Url => ", given as a SAS URL",
        Form::ConnectionString => ", given in a connection string",
    };
    let vault = if token.envelope.key_vault {
        " (from a Key Vault secret's `value`)"
    } else {
        ""
    };
    format!("{form}{vault}")
}

/// The widest of `cells` in characters, but at most `limit`.
fn column_width(cells: &[String], limit: usize) -> usize {
    cells
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .min(limit)
}

/// `cell` followed by spaces up to `width` characters.
///
/// Padding by hand rather than with a `{:<width$}` argument: the formatter refuses a
/// width above 65,535 with a panic, and a width comes from the input.
fn padded(cell: &str, width: usize) -> String {
    let fill = width.saturating_sub(cell.chars().count());
    format!("{cell}{}", " ".repeat(fill))
}

/// `text` with control characters as `?`; when longer than `limit` characters, its
/// first `limit` characters, an ellipsis and the full length.
fn shorten(text: &str, limit: usize) -> String {
    let printable: String = text
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let length = printable.chars().count();
    if length <= limit {
        return printable;
    }
    let cut: String = printable.chars().take(limit).collect();
    format!("{cut}… ({length} characters)")
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use super::{duration, relative};

    #[test]
    fn relative_times_use_the_largest_unit() {
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 16, 0, 0).unwrap();
        assert_eq!(relative(now + Duration::days(57), now), "in 57 days");
        assert_eq!(relative(now - Duration::hours(33 * 24), now), "33 days ago");
        assert_eq!(relative(now + Duration::seconds(5), now), "in 5 seconds");
        assert_eq!(duration(Duration::hours(24)), "24 hours");
        assert_eq!(duration(Duration::minutes(90)), "90 minutes");
    }
}
