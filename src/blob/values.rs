//! Property values: the date forms and the ContentMD5 forms of `grammar/blob-values.abnf`.
//!
//! Each parser function is named after its grammar rule and reads a whole value (the
//! dump readers have already cut it out). These functions say what a value *is*;
//! whether it is acceptable is for [`super::rules`] to judge.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while_m_n, take_while1};
use nom::character::complete::{alpha1, char, digit1, one_of};
use nom::combinator::{all_consuming, map_res, opt, recognize, value};
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// Reads a Last-Modified value in any form the dumps use, as a UTC instant.
///
/// `last-modified = rfc1123-date / iso-date-time / go-time / dotnet-json-date`
pub fn last_modified(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    all_consuming(alt((
        rfc1123_date,
        iso_date_time,
        go_time,
        dotnet_json_date,
    )))
    .parse(text)
    .ok()
    .map(|(_, t)| t)
}

fn digits_n(n: usize) -> impl Fn(&str) -> IResult<&str, u32> {
    move |input| {
        map_res(
            take_while_m_n(n, n, |c: char| c.is_ascii_digit()),
            str::parse,
        )
        .parse(input)
    }
}

/// `rfc1123-date = day-name "," SP day SP month-name SP year SP time-of-day SP "GMT"`
fn rfc1123_date(input: &str) -> IResult<&str, DateTime<Utc>> {
    let (input, _) = (day_name, tag(", ")).parse(input)?;
    let (input, day) = map_res(
        take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
        str::parse,
    )
    .parse(input)?;
    let (input, month) = preceded(char(' '), month_name).parse(input)?;
    let (input, year) = preceded(char(' '), digits_n(4)).parse(input)?;
    let (input, time) = preceded(char(' '), time_of_day).parse(input)?;
    let (input, _) = tag(" GMT").parse(input)?;
    let date = ymd(input, year, month, day)?;
    Ok((
        input,
        Utc.from_utc_datetime(&NaiveDateTime::new(date, time)),
    ))
}

/// `day-name = "Mon" / "Tue" / "Wed" / "Thu" / "Fri" / "Sat" / "Sun"`
fn day_name(input: &str) -> IResult<&str, &str> {
    alt((
        tag("Mon"),
        tag("Tue"),
        tag("Wed"),
        tag("Thu"),
        tag("Fri"),
        tag("Sat"),
        tag("Sun"),
    ))
    .parse(input)
}

/// `month-name = "Jan" / "Feb" / ... / "Dec"`
fn month_name(input: &str) -> IResult<&str, u32> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (rest, name) = take_while_m_n(3, 3, |c: char| c.is_ascii_alphabetic()).parse(input)?;
    match MONTHS.iter().position(|m| *m == name) {
        Some(i) => Ok((rest, i as u32 + 1)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        ))),
    }
}

/// `full-date = year "-" 2DIGIT "-" 2DIGIT`
fn full_date(input: &str) -> IResult<&str, NaiveDate> {
    let (rest, (year, _, month, _, day)) =
        (digits_n(4), char('-'), digits_n(2), char('-'), digits_n(2)).parse(input)?;
    let date = ymd(input, year, month, day)?;
    Ok((rest, date))
}

fn ymd(
    input: &str,
    year: u32,
    month: u32,
    day: u32,
) -> Result<NaiveDate, nom::Err<nom::error::Error<&str>>> {
    let year = i32::try_from(year).unwrap_or(i32::MAX);
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Verify))
    })
}

/// `time-of-day = 2DIGIT ":" 2DIGIT ":" 2DIGIT`
fn time_of_day(input: &str) -> IResult<&str, NaiveTime> {
    let (rest, (h, _, m, _, s)) =
        (digits_n(2), char(':'), digits_n(2), char(':'), digits_n(2)).parse(input)?;
    let time = NaiveTime::from_hms_opt(h, m, s).ok_or_else(|| {
        nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Verify))
    })?;
    Ok((rest, time))
}

/// `time-fraction = "." 1*DIGIT` (the fraction is dropped: the 60-day rule works in
/// seconds).
fn time_fraction(input: &str) -> IResult<&str, &str> {
    recognize(preceded(char('.'), digit1)).parse(input)
}

/// `time-offset = "Z" / "z" / ( "+" / "-" ) 2DIGIT ":" 2DIGIT`, in seconds east of UTC.
fn time_offset(input: &str) -> IResult<&str, i32> {
    let zulu = value(0, one_of("Zz"));
    let numeric = map_res(
        (one_of("+-"), digits_n(2), char(':'), digits_n(2)),
        |(sign, h, _, m)| offset_seconds(sign, h, m),
    );
    alt((zulu, numeric)).parse(input)
}

fn offset_seconds(sign: char, hours: u32, minutes: u32) -> Result<i32, &'static str> {
    if hours > 23 || minutes > 59 {
        return Err("offset out of range");
    }
    let seconds = (hours * 3600 + minutes * 60) as i32;
    Ok(if sign == '-' { -seconds } else { seconds })
}

/// `iso-date-time = full-date ( "T" / "t" ) time-of-day [ time-fraction ] time-offset`
fn iso_date_time(input: &str) -> IResult<&str, DateTime<Utc>> {
    let (rest, (date, _, time, _, offset)) = (
        full_date,
        one_of("Tt"),
        time_of_day,
        opt(time_fraction),
        time_offset,
    )
        .parse(input)?;
    Ok((rest, at_offset(input, date, time, offset)?))
}

/// `go-time = full-date SP time-of-day [ time-fraction ] SP numeric-offset SP zone-name`
fn go_time(input: &str) -> IResult<&str, DateTime<Utc>> {
    let (rest, (date, _, time, _, _, offset, _, _)) = (
        full_date,
        char(' '),
        time_of_day,
        opt(time_fraction),
        char(' '),
        numeric_offset,
        char(' '),
        alpha1,
    )
        .parse(input)?;
    Ok((rest, at_offset(input, date, time, offset)?))
}

/// `dotnet-json-date = "/Date(" [ "-" ] 1*DIGIT [ numeric-offset ] ")/"`: milliseconds
/// since 1970 in UTC; the offset only says how the value was displayed.
fn dotnet_json_date(input: &str) -> IResult<&str, DateTime<Utc>> {
    let (rest, (_, sign, millis, _, _)) = (
        tag("/Date("),
        opt(char('-')),
        map_res(digit1, str::parse::<i64>),
        opt(numeric_offset),
        tag(")/"),
    )
        .parse(input)?;
    let millis = if sign.is_some() { -millis } else { millis };
    let at = DateTime::from_timestamp_millis(millis).ok_or_else(|| {
        nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Verify))
    })?;
    Ok((rest, at))
}

/// `numeric-offset = ( "+" / "-" ) 4DIGIT`, in seconds east of UTC.
fn numeric_offset(input: &str) -> IResult<&str, i32> {
    map_res((one_of("+-"), digits_n(2), digits_n(2)), |(sign, h, m)| {
        offset_seconds(sign, h, m)
    })
    .parse(input)
}

fn at_offset(
    input: &str,
    date: NaiveDate,
    time: NaiveTime,
    offset: i32,
) -> Result<DateTime<Utc>, nom::Err<nom::error::Error<&str>>> {
    let bad = || nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Verify));
    let zone = FixedOffset::east_opt(offset).ok_or_else(bad)?;
    let local = zone
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
        .ok_or_else(bad)?;
    Ok(local.with_timezone(&Utc))
}

/// What a ContentMD5 text turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Md5Form {
    /// Base64, with the decoded bytes (any length).
    Base64(Vec<u8>),
    /// 32 hex digits, with the 16 bytes they stand for.
    Hex(Vec<u8>),
    /// A Python bytes repr (`bytearray(b'...')`), with its bytes.
    PythonBytes(Vec<u8>),
    /// None of the forms.
    Unknown,
}

/// Classifies a ContentMD5 text.
///
/// `content-md5 = md5-hex / python-bytes / base64-text`
pub fn content_md5(text: &str) -> Md5Form {
    let text = text.trim();
    if let Ok((_, bytes)) = all_consuming(md5_hex).parse(text) {
        return Md5Form::Hex(bytes);
    }
    if let Ok((_, bytes)) = all_consuming(python_bytes).parse(text) {
        return Md5Form::PythonBytes(bytes);
    }
    if all_consuming(base64_text).parse(text).is_ok() {
        if let Ok(bytes) = STANDARD.decode(text) {
            return Md5Form::Base64(bytes);
        }
    }
    Md5Form::Unknown
}

/// `md5-hex = 32HEXDIG`
fn md5_hex(input: &str) -> IResult<&str, Vec<u8>> {
    let (rest, hex) = take_while_m_n(32, 32, |c: char| c.is_ascii_hexdigit()).parse(input)?;
    Ok((rest, hex_bytes(hex)))
}

/// The bytes of an even-length string of hex digits (already checked).
pub fn hex_bytes(hex: &str) -> Vec<u8> {
    hex.as_bytes()
        .chunks(2)
        .filter_map(|pair| std::str::from_utf8(pair).ok())
        .filter_map(|pair| u8::from_str_radix(pair, 16).ok())
        .collect()
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Base64 of `bytes`, as Azure writes ContentMD5.
pub fn to_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// `base64-text = *( 4base64-char ) [ base64-final ]`, recognised only; decoding is
/// left to the base64 crate.
fn base64_text(input: &str) -> IResult<&str, &str> {
    let is_char = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/';
    let (rest, body) =
        recognize((take_while1(is_char), opt(alt((tag("=="), tag("=")))))).parse(input)?;
    if body.len() % 4 != 0 {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, body))
}

/// `python-bytes = [ "bytearray(" ] "b" python-quoted [ ")" ]`
fn python_bytes(input: &str) -> IResult<&str, Vec<u8>> {
    let (rest, wrapped) = opt(tag("bytearray(")).parse(input)?;
    let (rest, _) = char('b').parse(rest)?;
    let (rest, bytes) = python_quoted(rest)?;
    let (rest, _) = if wrapped.is_some() {
        tag(")").parse(rest)?
    } else {
        (rest, "")
    };
    Ok((rest, bytes))
}

/// `python-quoted = "'" *python-char "'" / DQUOTE *python-char DQUOTE`
fn python_quoted(input: &str) -> IResult<&str, Vec<u8>> {
    let fail = || nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Char));
    let quote = input
        .chars()
        .next()
        .filter(|c| *c == '\'' || *c == '"')
        .ok_or_else(fail)?;
    let mut bytes = Vec::new();
    let mut chars = input.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((&input[i + 1..], bytes)),
            '\\' => bytes.push(python_escape(&mut chars).ok_or_else(fail)?),
            ' '..='~' => bytes.push(c as u8),
            _ => return Err(fail()),
        }
    }
    Err(fail())
}

/// `python-char`'s escapes: `\xHH`, `\\`, `\'`, `\"`, `\n`, `\r`, `\t`, `\0`.
fn python_escape(chars: &mut impl Iterator<Item = (usize, char)>) -> Option<u8> {
    let (_, c) = chars.next()?;
    match c {
        'x' => {
            let high = chars.next()?.1.to_digit(16)?;
            let low = chars.next()?.1.to_digit(16)?;
            u8::try_from(high * 16 + low).ok()
        }
        '\\' | '\'' | '"' => Some(c as u8),
        'n' => Some(b'\n'),
        'r' => Some(b'\r'),
        't' => Some(b'\t'),
        '0' => Some(0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Md5Form, content_md5, last_modified};

    fn at(text: &str) -> String {
        last_modified(text)
            .map(|t| t.to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn last_modified_reads_every_dump_form() {
        let want = "2026-03-02T08:17:09+00:00";
        assert_eq!(at("Mon, 02 Mar 2026 08:17:09 GMT"), want);
        assert_eq!(at("2026-03-02T08:17:09+00:00"), want);
        assert_eq!(at("2026-03-02T08:17:09.0000000+00:00"), want);
        assert_eq!(at("2026-03-02T09:17:09+01:00"), want);
        assert_eq!(at("2026-03-02T08:17:09.000Z"), want);
        assert_eq!(at("2026-03-02 08:17:09 +0000 GMT"), want);
        assert_eq!(at("2026-03-02 08:17:09.5 +0000 UTC"), want);
        assert_eq!(at("/Date(1772439429000)/"), want);
        assert_eq!(at("/Date(1772439429000+0100)/"), want);
    }

    #[test]
    fn last_modified_refuses_what_is_not_a_date() {
        for text in [
            "",
            "yesterday",
            "2026-02-30T00:00:00Z",
            "Mon, 02 Foo 2026 08:17:09 GMT",
            "2026-03-02T08:17:09",
            "2026-03-02T25:17:09Z",
            "2026-03-02T08:17:09+24:00",
        ] {
            assert_eq!(last_modified(text), None, "{text}");
        }
    }

    #[test]
    fn content_md5_tells_the_forms_apart() {
        // MD5("") in base64 and in hex, from the List Blobs test vector.
        let empty = super::hex_bytes("d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            content_md5("1B2M2Y8AsgTpgAmY7PhCfg=="),
            Md5Form::Base64(empty.clone())
        );
        assert_eq!(
            content_md5("d41d8cd98f00b204e9800998ecf8427e"),
            Md5Form::Hex(empty.clone())
        );
        assert_eq!(
            content_md5("D41D8CD98F00B204E9800998ECF8427E"),
            Md5Form::Hex(empty.clone())
        );
        assert_eq!(
            content_md5(r"bytearray(b'\xd4\x1d\x8c\xd9\x8f\x00\xb2\x04\xe9\x80\t\x98\xec\xf8B~')"),
            Md5Form::PythonBytes(empty)
        );
        assert_eq!(content_md5("not base64!"), Md5Form::Unknown);
        assert_eq!(content_md5("abc"), Md5Form::Unknown);
        assert!(matches!(content_md5("YWJj"), Md5Form::Base64(b) if b == b"abc"));
    }
}
