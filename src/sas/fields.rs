//! Field value grammars: versions, letters, times, addresses, GUIDs, signatures.
//!
//! Implements the value rules of `grammar/sas-token.abnf` over a decoded value. Each
//! function returns a typed value or a [`Problem`] saying what is malformed and where
//! (a byte range of the decoded value). Whether a well-formed value is acceptable for
//! the token's kind, version or purpose is for the rules to say, not this module.

use std::net::Ipv4Addr;
use std::ops::Range;

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use chrono::{DateTime, NaiveDate, Utc};
use nom::bytes::complete::{tag, take_while_m_n};
use nom::{IResult, Parser};

use super::model::{Guid, IpRange, Protocol, Resource, Time, TimeForm, Version};

/// Standard base64 that tolerates non-zero trailing bits and missing padding, so a
/// signature of the wrong length still decodes and its length can be reported.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// What is malformed in a value, and where (bytes of the decoded value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub kind: ProblemKind,
    /// Where, as a byte range of the decoded value.
    pub at: Range<usize>,
}

/// The kinds of malformed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The value is empty.
    Empty,
    /// Not `YYYY-MM-DD`.
    VersionFormat,
    /// A letter outside the field's alphabet.
    UnknownLetter(char),
    /// A letter given twice.
    RepeatedLetter(char),
    /// `sr` is none of the known resources.
    UnknownResource,
    /// `spr` in upper or mixed case.
    ProtocolCase,
    /// `spr` is none of the permitted values.
    UnknownProtocol,
    /// An IP range in CIDR notation.
    IpCidr,
    /// Several addresses separated by commas.
    IpList,
    /// An IPv6 address.
    IpV6,
    /// An octet with a leading zero.
    IpLeadingZero,
    /// Not a dotted-quad IPv4 address.
    IpFormat,
    /// The range's start is above its end.
    IpReversed,
    /// Not a non-negative integer.
    NotInteger,
    /// Not a GUID.
    GuidFormat,
    /// A signature with a space, where a raw `+` was read as one.
    SigSpace,
    /// A signature in the URL-safe base64 alphabet.
    SigUrlSafe,
    /// A character outside base64.
    SigChar(char),
    /// A signature whose `=` padding was removed.
    SigPaddingMissing,
    /// Base64 that does not decode.
    SigBase64,
    /// A signature that decodes to the wrong number of bytes.
    SigLength(usize),
    /// A time with a UTC offset instead of `Z`.
    TimeOffset,
    /// A time without a zone designator.
    TimeNoZone,
    /// `t` or `z` in lower case.
    TimeLowerCase,
    /// A space where `T` belongs.
    TimeSpace,
    /// More than seven fractional digits.
    TimeFractionDigits(usize),
    /// A date or time that does not exist.
    TimeImpossible,
    /// Not a time at all.
    TimeSyntax,
}

fn problem<T>(kind: ProblemKind, at: Range<usize>) -> Result<T, Problem> {
    Err(Problem { kind, at })
}

fn digits(n: usize) -> impl Fn(&str) -> IResult<&str, &str> {
    move |input| take_while_m_n(n, n, |c: char| c.is_ascii_digit()).parse(input)
}

fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.parse().ok()
}

/// `full-date = date-fullyear "-" date-month "-" date-mday`, as `(y, m, d)` text.
fn full_date(input: &str) -> IResult<&str, (&str, &str, &str)> {
    let (rest, (y, _, m, _, d)) =
        (digits(4), tag("-"), digits(2), tag("-"), digits(2)).parse(input)?;
    Ok((rest, (y, m, d)))
}

/// `signed-version = 4DIGIT "-" 2DIGIT "-" 2DIGIT` (`sv`, `skv`)
pub fn signed_version(text: &str) -> Result<Version, Problem> {
    let all = 0..text.len();
    let Ok(("", (y, m, d))) = full_date(text) else {
        return problem(ProblemKind::VersionFormat, all);
    };
    match (number(y), number(m), number(d)) {
        (Some(y), Some(m), Some(d)) => Ok(Version::new(y, m, d)),
        _ => problem(ProblemKind::VersionFormat, all),
    }
}

/// `signed-services = 1*( "b" / "q" / "t" / "f" )` (`ss`)
pub fn signed_services(text: &str) -> Result<Vec<char>, Problem> {
    letter_set(text, "bqtf")
}

/// `signed-resource-types = 1*( "s" / "c" / "o" )` (`srt`)
pub fn signed_resource_types(text: &str) -> Result<Vec<char>, Problem> {
    letter_set(text, "sco")
}

/// `signed-permissions = 1*ALPHA` (`sp`): the letters as written; which are allowed,
/// in which order, depends on the kind of SAS and is for the rules.
pub fn signed_permissions(text: &str) -> Result<Vec<char>, Problem> {
    Ok(text.chars().collect())
}

/// Letters from `alphabet`, each at most once.
fn letter_set(text: &str, alphabet: &str) -> Result<Vec<char>, Problem> {
    if text.is_empty() {
        return problem(ProblemKind::Empty, 0..0);
    }
    let mut seen = Vec::new();
    for (i, c) in text.char_indices() {
        let at = i..i + c.len_utf8();
        if !alphabet.contains(c) {
            return problem(ProblemKind::UnknownLetter(c), at);
        }
        if seen.contains(&c) {
            return problem(ProblemKind::RepeatedLetter(c), at);
        }
        seen.push(c);
    }
    Ok(seen)
}

/// `signed-resource = "b" / "bv" / "bs" / "c" / "d"` (plus the file service's `f`, `s`)
pub fn signed_resource(text: &str) -> Result<Resource, Problem> {
    match text {
        "b" => Ok(Resource::Blob),
        "bv" => Ok(Resource::BlobVersion),
        "bs" => Ok(Resource::BlobSnapshot),
        "c" => Ok(Resource::Container),
        "d" => Ok(Resource::Directory),
        "f" => Ok(Resource::File),
        "s" => Ok(Resource::Share),
        "" => problem(ProblemKind::Empty, 0..0),
        _ => problem(ProblemKind::UnknownResource, 0..text.len()),
    }
}

/// `signed-protocol = "https" / "https,http" / "http,https" / "http"`
pub fn signed_protocol(text: &str) -> Result<Protocol, Problem> {
    match text {
        "https" => Ok(Protocol::Https),
        "https,http" => Ok(Protocol::HttpsHttp),
        "http,https" => Ok(Protocol::HttpHttps),
        "http" => Ok(Protocol::Http),
        "" => problem(ProblemKind::Empty, 0..0),
        _ if ["https", "https,http", "http,https", "http"]
            .contains(&text.to_ascii_lowercase().as_str()) =>
        {
            problem(ProblemKind::ProtocolCase, 0..text.len())
        }
        _ => problem(ProblemKind::UnknownProtocol, 0..text.len()),
    }
}

/// `signed-ip = ipv4-address [ "-" ipv4-address ]`
pub fn signed_ip(text: &str) -> Result<IpRange, Problem> {
    let all = 0..text.len();
    if text.is_empty() {
        return problem(ProblemKind::Empty, all);
    }
    if let Some(i) = text.find(',') {
        return problem(ProblemKind::IpList, i..i + 1);
    }
    if let Some(i) = text.find('/') {
        return problem(ProblemKind::IpCidr, i..text.len());
    }
    if text.contains(':') {
        return problem(ProblemKind::IpV6, all);
    }
    let (first, second) = match text.split_once('-') {
        Some((a, b)) => (a, Some((b, a.len() + 1))),
        None => (text, None),
    };
    let start = ipv4_address(first, 0)?;
    let end = match second {
        Some((b, offset)) => Some(ipv4_address(b, offset)?),
        None => None,
    };
    if let Some(end) = end {
        if start > end {
            return problem(ProblemKind::IpReversed, all);
        }
    }
    Ok(IpRange { start, end })
}

/// `ipv4-address = dec-octet "." dec-octet "." dec-octet "." dec-octet`
fn ipv4_address(text: &str, offset: usize) -> Result<Ipv4Addr, Problem> {
    let at = offset..offset + text.len();
    let octets: Vec<&str> = text.split('.').collect();
    if octets.len() != 4 {
        return problem(ProblemKind::IpFormat, at);
    }
    let mut values = [0u8; 4];
    for (slot, octet) in values.iter_mut().zip(&octets) {
        *slot = dec_octet(octet).map_err(|kind| Problem {
            kind,
            at: at.clone(),
        })?;
    }
    Ok(Ipv4Addr::from(values))
}

/// `dec-octet = 1*3DIGIT`, 0 to 255 without a leading zero.
fn dec_octet(text: &str) -> Result<u8, ProblemKind> {
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ProblemKind::IpFormat);
    }
    if text.len() > 1 && text.starts_with('0') {
        return Err(ProblemKind::IpLeadingZero);
    }
    text.parse().map_err(|_| ProblemKind::IpFormat)
}

/// `signed-directory-depth = 1*DIGIT`
pub fn signed_directory_depth(text: &str) -> Result<u32, Problem> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(depth) = number(text) {
            return Ok(depth);
        }
    }
    problem(ProblemKind::NotInteger, 0..text.len())
}

/// `guid = 8HEXDIG "-" 4HEXDIG "-" 4HEXDIG "-" 4HEXDIG "-" 12HEXDIG`
pub fn guid(text: &str) -> Result<Guid, Problem> {
    let hex = |n: usize| take_while_m_n(n, n, |c: char| c.is_ascii_hexdigit());
    let parsed: IResult<&str, _> = (
        hex(8),
        tag("-"),
        hex(4),
        tag("-"),
        hex(4),
        tag("-"),
        hex(4),
        tag("-"),
        hex(12),
    )
        .parse(text);
    match parsed {
        Ok(("", _)) => Ok(Guid(text.to_string())),
        _ => problem(ProblemKind::GuidFormat, 0..text.len()),
    }
}

/// `signature = *( ALPHA / DIGIT / "+" / "/" ) *2"="`, decoded to its bytes.
pub fn signature(text: &str) -> Result<Vec<u8>, Problem> {
    if text.is_empty() {
        return problem(ProblemKind::Empty, 0..0);
    }
    let body = text.trim_end_matches('=');
    for (i, c) in text.char_indices() {
        let at = i..i + c.len_utf8();
        match c {
            ' ' => return problem(ProblemKind::SigSpace, at),
            '-' | '_' => return problem(ProblemKind::SigUrlSafe, at),
            '=' if i < body.len() => return problem(ProblemKind::SigChar(c), at),
            c if c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=' => {}
            c => return problem(ProblemKind::SigChar(c), at),
        }
    }
    let all = 0..text.len();
    if text.len() % 4 != 0 && body.len() == text.len() {
        return match LENIENT_BASE64.decode(text) {
            Ok(_) => problem(ProblemKind::SigPaddingMissing, all),
            Err(_) => problem(ProblemKind::SigBase64, all),
        };
    }
    let bytes = LENIENT_BASE64.decode(text).map_err(|_| Problem {
        kind: ProblemKind::SigBase64,
        at: all.clone(),
    })?;
    if bytes.len() != 32 {
        return problem(ProblemKind::SigLength(bytes.len()), all);
    }
    Ok(bytes)
}

/// `sas-time = full-date [ time-part ]` (`st`, `se`, `skt`, `ske`)
pub fn sas_time(text: &str) -> Result<Time, Problem> {
    let all = 0..text.len();
    let Ok((rest, (y, m, d))) = full_date(text) else {
        return problem(ProblemKind::TimeSyntax, all);
    };
    let date = match (number(y), number(m), number(d)) {
        (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    };
    let Some(date) = date else {
        return problem(ProblemKind::TimeImpossible, 0..10);
    };
    if rest.is_empty() {
        let instant = date.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        return match instant {
            Some(instant) => Ok(Time {
                instant,
                form: TimeForm::Date,
            }),
            None => problem(ProblemKind::TimeImpossible, all),
        };
    }
    time_part(text, rest, date)
}

/// `time-part = time-sep time-hour [ ":" time-minute [ ":" time-second
///              [ "." time-fraction ] ] ] [ time-zone ]`
fn time_part(text: &str, rest: &str, date: NaiveDate) -> Result<Time, Problem> {
    let at = |part: &str| {
        let start = text.len() - part.len();
        start..start + part.chars().next().map_or(0, char::len_utf8)
    };
    let Some(sep) = rest.chars().next() else {
        return problem(ProblemKind::TimeSyntax, at(rest));
    };
    match sep {
        'T' => {}
        't' => return problem(ProblemKind::TimeLowerCase, at(rest)),
        ' ' => return problem(ProblemKind::TimeSpace, at(rest)),
        _ => return problem(ProblemKind::TimeSyntax, at(rest)),
    }
    let clock = rest.strip_prefix('T').unwrap_or(rest);
    let (zone, (hms, fraction, form)) = clock_parts(clock).map_err(|part| Problem {
        kind: ProblemKind::TimeSyntax,
        at: at(part),
    })?;
    time_zone(zone).map_err(|kind| Problem {
        kind,
        at: at(zone).start..text.len(),
    })?;
    if fraction.len() > 7 {
        let start = text.len() - zone.len() - fraction.len();
        return problem(
            ProblemKind::TimeFractionDigits(fraction.len()),
            start..start + fraction.len(),
        );
    }
    let nanos = fraction_nanos(fraction);
    let instant: Option<DateTime<Utc>> = date
        .and_hms_nano_opt(hms.0, hms.1, hms.2, nanos)
        .map(|t| t.and_utc());
    match instant {
        Some(instant) => Ok(Time { instant, form }),
        None => problem(ProblemKind::TimeImpossible, 0..text.len() - zone.len()),
    }
}

/// Two digits and what follows them.
fn two(s: &str) -> Option<(u32, &str)> {
    let (rest, d) = digits(2)(s).ok()?;
    Some((number(d)?, rest))
}

type Clock<'a> = ((u32, u32, u32), &'a str, TimeForm);

/// `time-hour [ ":" time-minute [ ":" time-second [ "." time-fraction ] ] ]`;
/// returns what follows (the zone) and the parts, or the text where it stopped.
fn clock_parts(clock: &str) -> Result<(&str, Clock<'_>), &str> {
    let (hour, rest) = two(clock).ok_or(clock)?;
    let Some(after_colon) = rest.strip_prefix(':') else {
        return Ok((rest, ((hour, 0, 0), "", TimeForm::Hour)));
    };
    let (minute, rest) = two(after_colon).ok_or(after_colon)?;
    let Some(after_colon) = rest.strip_prefix(':') else {
        return Ok((rest, ((hour, minute, 0), "", TimeForm::Minute)));
    };
    let (second, rest) = two(after_colon).ok_or(after_colon)?;
    let Some(after_dot) = rest.strip_prefix('.') else {
        return Ok((rest, ((hour, minute, second), "", TimeForm::Second)));
    };
    let len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 {
        return Err(after_dot);
    }
    let (fraction, rest) = after_dot.split_at(len);
    let form = TimeForm::Fraction(len);
    Ok((rest, ((hour, minute, second), fraction, form)))
}

/// `time-zone = "Z" / "z" / ( ( "+" / "-" ) 2DIGIT ":" 2DIGIT )`; only `Z` passes.
fn time_zone(zone: &str) -> Result<(), ProblemKind> {
    match zone {
        "Z" => Ok(()),
        "z" => Err(ProblemKind::TimeLowerCase),
        "" => Err(ProblemKind::TimeNoZone),
        _ if zone.starts_with('+') || zone.starts_with('-') => Err(ProblemKind::TimeOffset),
        _ => Err(ProblemKind::TimeSyntax),
    }
}

fn fraction_nanos(fraction: &str) -> u32 {
    let padded: String = fraction
        .chars()
        .chain("000000000".chars())
        .take(9)
        .collect();
    number(&padded).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{ProblemKind, guid, sas_time, signature, signed_ip, signed_version};
    use crate::sas::model::TimeForm;

    fn time_problem(text: &str) -> ProblemKind {
        match sas_time(text) {
            Err(p) => p.kind,
            Ok(t) => panic!("{text} parsed as {t:?}"),
        }
    }

    #[test]
    fn time_forms() {
        let form = |t: &str| sas_time(t).map(|t| t.form);
        assert_eq!(form("2030-01-01"), Ok(TimeForm::Date));
        assert_eq!(form("2030-01-01T00Z"), Ok(TimeForm::Hour));
        assert_eq!(form("2030-01-01T00:00Z"), Ok(TimeForm::Minute));
        assert_eq!(form("2030-01-01T00:00:00Z"), Ok(TimeForm::Second));
        assert_eq!(
            form("2030-01-01T00:00:00.0000000Z"),
            Ok(TimeForm::Fraction(7))
        );
    }

    #[test]
    fn time_problems() {
        assert_eq!(
            time_problem("2030-01-01T00:00:00+02:00"),
            ProblemKind::TimeOffset
        );
        assert_eq!(time_problem("2030-01-01T00:00:00"), ProblemKind::TimeNoZone);
        assert_eq!(
            time_problem("2030-01-01t00:00:00z"),
            ProblemKind::TimeLowerCase
        );
        assert_eq!(
            time_problem("2030-02-30T00:00:00Z"),
            ProblemKind::TimeImpossible
        );
        assert_eq!(time_problem("2030-01-01 00:00:00Z"), ProblemKind::TimeSpace);
        assert_eq!(
            time_problem("2030-01-01T00:00:00.12345678Z"),
            ProblemKind::TimeFractionDigits(8)
        );
        assert_eq!(time_problem("soon"), ProblemKind::TimeSyntax);
        assert_eq!(
            time_problem("2030-01-01T25:00Z"),
            ProblemKind::TimeImpossible
        );
    }

    #[test]
    fn versions_and_guids() {
        assert!(signed_version("2021-06-08").is_ok());
        assert!(signed_version("21-06-08").is_err());
        assert!(signed_version("2021-6-8").is_err());
        assert!(guid("6a1f2b3c-0000-4000-8000-00000000abcd").is_ok());
        assert!(guid("{6a1f2b3c-0000-4000-8000-00000000abcd}").is_err());
    }

    #[test]
    fn signatures() {
        let good = "FAKEsigTESTonly0000000000000000000000000000=";
        assert_eq!(signature(good).map(|b| b.len()), Ok(32));
        let kind = |t: &str| signature(t).err().map(|p| p.kind);
        assert_eq!(
            kind(good.trim_end_matches('=')),
            Some(ProblemKind::SigPaddingMissing)
        );
        assert_eq!(
            kind("FAKE-SIG_TEST00000000000000000000000000000A="),
            Some(ProblemKind::SigUrlSafe)
        );
        assert_eq!(
            kind("FAKE SIG/TEST00000000000000000000000000000A="),
            Some(ProblemKind::SigSpace)
        );
        assert_eq!(
            kind("FAKEsigTESTonly000000000000000000000000000=="),
            Some(ProblemKind::SigLength(31))
        );
    }

    #[test]
    fn protocols() {
        use super::signed_protocol;
        let kind = |t: &str| signed_protocol(t).err().map(|p| p.kind);
        assert_eq!(kind("https"), None);
        assert_eq!(kind("HTTPS"), Some(ProblemKind::ProtocolCase));
        assert_eq!(kind("ftp"), Some(ProblemKind::UnknownProtocol));
    }

    #[test]
    fn ip_forms() {
        let kind = |t: &str| signed_ip(t).err().map(|p| p.kind);
        assert_eq!(kind("10.0.0.1"), None);
        assert_eq!(kind("10.0.0.1-10.0.0.9"), None);
        assert_eq!(kind("10.0.0.10-10.0.0.1"), Some(ProblemKind::IpReversed));
        assert_eq!(kind("10.0.0.0/24"), Some(ProblemKind::IpCidr));
        assert_eq!(kind("2001:db8::1"), Some(ProblemKind::IpV6));
        assert_eq!(kind("10.0.0.1,10.0.0.2"), Some(ProblemKind::IpList));
        assert_eq!(kind("010.000.000.001"), Some(ProblemKind::IpLeadingZero));
        assert_eq!(kind("300.0.0.1"), Some(ProblemKind::IpFormat));
    }
}
