//! The typed token: every field decoded into a value, with the spans it came from.
//!
//! Built from the raw fields of [`super::syntax`] and the value grammars of
//! [`super::fields`]. The first occurrence of a key is the one used (as the Go, Python
//! and Java SDKs do); later ones, unknown keys and keys in another case are kept so
//! the rules can report them. Nothing here judges whether the token is acceptable.

use std::fmt;
use std::net::Ipv4Addr;
use std::ops::Range;

use chrono::{DateTime, Utc};

use super::envelope::Envelope;
use super::fields::{self, Problem, ProblemKind};
use super::syntax::RawField;

/// The three kinds of SAS (or none, when the token says too little).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SasKind {
    /// Has `ss` and `srt`; signed with an account key.
    Account,
    /// Has `sr`; signed with an account key, may name a stored policy (`si`).
    Service,
    /// Has `sr` and the `sk*` key fields; signed with a user delegation key.
    UserDelegation,
    /// None of `ss`, `srt`, `sr`.
    Unknown,
}

impl SasKind {
    /// Words for the kind.
    pub fn describe(self) -> &'static str {
        match self {
            SasKind::Account => "account SAS",
            SasKind::Service => "service SAS",
            SasKind::UserDelegation => "user delegation SAS",
            SasKind::Unknown => "unknown kind of SAS",
        }
    }

    /// The stable name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SasKind::Account => "account",
            SasKind::Service => "service",
            SasKind::UserDelegation => "user-delegation",
            SasKind::Unknown => "unknown",
        }
    }
}

/// A storage service version (`sv`, `skv`), ordered by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Year.
    pub year: u16,
    /// Month.
    pub month: u8,
    /// Day.
    pub day: u8,
}

impl Version {
    /// A version from its date parts.
    pub const fn new(year: u16, month: u8, day: u8) -> Version {
        Version { year, month, day }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `sr`: what a service or user delegation SAS grants access to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `b`: one blob.
    Blob,
    /// `bv`: one blob version.
    BlobVersion,
    /// `bs`: one blob snapshot.
    BlobSnapshot,
    /// `c`: a container.
    Container,
    /// `d`: a directory (hierarchical namespace accounts).
    Directory,
    /// `f`: a file (file service).
    File,
    /// `s`: a share (file service).
    Share,
}

impl Resource {
    /// Words for the resource.
    pub fn describe(self) -> &'static str {
        match self {
            Resource::Blob => "one blob",
            Resource::BlobVersion => "one blob version",
            Resource::BlobSnapshot => "one blob snapshot",
            Resource::Container => "a container and every blob in it",
            Resource::Directory => "a directory and the blobs below it",
            Resource::File => "one file (file service)",
            Resource::Share => "a file share (file service)",
        }
    }
}

/// `spr`: the protocols a request may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `https`
    Https,
    /// `https,http`
    HttpsHttp,
    /// `http,https` (reversed; old clients wrote it)
    HttpHttps,
    /// `http` (not permitted)
    Http,
}

/// `sip`: one IPv4 address or an inclusive range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    /// First address.
    pub start: Ipv4Addr,
    /// Last address, for a range.
    pub end: Option<Ipv4Addr>,
}

/// Which of the accepted forms a time was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeForm {
    /// `YYYY-MM-DD` (midnight UTC).
    Date,
    /// `YYYY-MM-DDThhZ` (not a documented form).
    Hour,
    /// `YYYY-MM-DDThh:mmZ`
    Minute,
    /// `YYYY-MM-DDThh:mm:ssZ`
    Second,
    /// `YYYY-MM-DDThh:mm:ss.fZ`, with this many fractional digits (1 to 7).
    Fraction(usize),
}

/// A time field's instant and form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time {
    /// The instant, in UTC.
    pub instant: DateTime<Utc>,
    /// How it was written.
    pub form: TimeForm,
}

/// A GUID as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guid(pub String);

/// One field of the token with its typed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<T> {
    /// Index of the raw field in [`Token::fields`].
    pub index: usize,
    /// Byte range of the key in the input.
    pub key_span: Range<usize>,
    /// Byte range of the value in the input (the key's when the value is empty).
    pub span: Range<usize>,
    /// The decoded value text.
    pub text: String,
    /// The typed value, or what is malformed.
    pub value: Result<T, Malformed>,
}

impl<T> Field<T> {
    /// The typed value when well formed.
    pub fn ok(&self) -> Option<&T> {
        self.value.as_ref().ok()
    }
}

/// A malformed value: what is wrong and where in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// What is wrong.
    pub kind: ProblemKind,
    /// Byte range in the input.
    pub span: Range<usize>,
}

/// The user delegation key fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DelegationKey {
    /// `skoid`: object id of the principal that requested the key.
    pub object_id: Option<Field<Guid>>,
    /// `sktid`: tenant of that principal.
    pub tenant_id: Option<Field<Guid>>,
    /// `skt`: key start.
    pub start: Option<Field<Time>>,
    /// `ske`: key expiry.
    pub expiry: Option<Field<Time>>,
    /// `sks`: service the key is for.
    pub service: Option<Field<String>>,
    /// `skv`: version used to get the key.
    pub version: Option<Field<Version>>,
}

impl DelegationKey {
    fn any(&self) -> bool {
        self.object_id.is_some()
            || self.tenant_id.is_some()
            || self.start.is_some()
            || self.expiry.is_some()
            || self.service.is_some()
            || self.version.is_some()
    }
}

/// A SAS token, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// How the token arrived (bare, URL, connection string, Key Vault JSON) and, for
    /// a URL, its account, container and blob.
    pub envelope: Envelope,
    /// The kind, from which fields are present.
    pub kind: SasKind,
    /// Every field, in input order.
    pub fields: Vec<RawField>,
    /// `sv`
    pub version: Option<Field<Version>>,
    /// `ss`
    pub services: Option<Field<Vec<char>>>,
    /// `srt`
    pub resource_types: Option<Field<Vec<char>>>,
    /// `sr`
    pub resource: Option<Field<Resource>>,
    /// `sp`, as its letters
    pub permissions: Option<Field<Vec<char>>>,
    /// `st`
    pub start: Option<Field<Time>>,
    /// `se`
    pub expiry: Option<Field<Time>>,
    /// `sip`
    pub ip: Option<Field<IpRange>>,
    /// `spr`
    pub protocol: Option<Field<Protocol>>,
    /// `si`: stored access policy name
    pub policy: Option<Field<String>>,
    /// `ses`: encryption scope
    pub encryption_scope: Option<Field<String>>,
    /// `sdd`: directory depth
    pub directory_depth: Option<Field<u32>>,
    /// `sig`: the signature's bytes
    pub signature: Option<Field<Vec<u8>>>,
    /// `skoid`, `sktid`, `skt`, `ske`, `sks`, `skv`
    pub key: DelegationKey,
    /// `saoid`
    pub authorized_object_id: Option<Field<Guid>>,
    /// `suoid`
    pub unauthorized_object_id: Option<Field<Guid>>,
    /// `scid`
    pub correlation_id: Option<Field<Guid>>,
    /// `rscc`, `rscd`, `rsce`, `rscl`, `rsct` (response header overrides)
    pub headers: Vec<Field<String>>,
    /// Other SAS keys kept as text: `skdutid`, `sduoid`, `srh`, `srq`.
    pub other_sas: Vec<Field<String>>,
    /// Indexes of fields whose key is not a SAS key, in increasing order.
    pub unknown: Vec<usize>,
    /// Indexes of fields that repeat an earlier key, in increasing order.
    pub duplicates: Vec<usize>,
}

/// Every key the model knows, with its meaning in words.
pub const KNOWN_KEYS: &[(&str, &str)] = &[
    (
        "sv",
        "signed version: the storage service version that signs and serves requests",
    ),
    ("ss", "signed services the account SAS covers"),
    ("srt", "signed resource types the account SAS covers"),
    ("sr", "signed resource the SAS grants access to"),
    ("sp", "signed permissions"),
    ("st", "start: the SAS is not valid before this time"),
    ("se", "expiry: the SAS is not valid after this time"),
    ("sip", "allowed client IP addresses"),
    ("spr", "allowed protocols"),
    (
        "si",
        "signed identifier: a stored access policy on the container",
    ),
    ("ses", "encryption scope that writes must use"),
    ("sdd", "directory depth of the directory the SAS is for"),
    ("sig", "signature, an HMAC-SHA256 of the signed fields"),
    (
        "skoid",
        "object id of the principal that requested the delegation key",
    ),
    ("sktid", "tenant id of that principal"),
    ("skt", "delegation key start"),
    ("ske", "delegation key expiry"),
    ("sks", "service the delegation key is for"),
    ("skv", "version used to request the delegation key"),
    (
        "saoid",
        "principal pre-authorised to use the SAS (no ACL check)",
    ),
    (
        "suoid",
        "principal whose ACLs are checked when the SAS is used",
    ),
    ("scid", "correlation id for storage logs"),
    ("skdutid", "tenant of the delegated user"),
    ("sduoid", "object id of the delegated user"),
    ("srh", "signed request headers"),
    ("srq", "signed request query parameters"),
    ("rscc", "Cache-Control returned with the blob"),
    ("rscd", "Content-Disposition returned with the blob"),
    ("rsce", "Content-Encoding returned with the blob"),
    ("rscl", "Content-Language returned with the blob"),
    ("rsct", "Content-Type returned with the blob"),
];

/// The meaning of a known key.
pub fn meaning(key: &str) -> Option<&'static str> {
    KNOWN_KEYS.iter().find(|(k, _)| *k == key).map(|(_, m)| *m)
}

/// The key a raw field stands for: lower case, without an HTML-escaped `amp;` prefix.
pub fn canonical_key(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase();
    match lower.strip_prefix("amp;") {
        Some(rest) => rest.to_string(),
        None => lower,
    }
}

/// True when a field name may be the signature in any disguise the service or a
/// reader could see through: any case, percent-encoded, HTML-escaped, behind a `?`,
/// quotes or whitespace. Wider than [`canonical_key`] on purpose: it decides what is
/// masked, and masking too much is harmless.
pub fn is_signature_key(raw: &str) -> bool {
    let decoded = percent_decode_key(raw);
    let trimmed = decoded.trim_matches(|c: char| c.is_whitespace() || "?\"'{},;".contains(c));
    canonical_key(trimmed).trim() == "sig"
}

/// Percent-decodes a field name once, keeping a `%` not followed by two hex digits.
pub(crate) fn percent_decode_key(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|&h| (h as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.extend(u8::try_from(h * 16 + l).ok());
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Token {
    /// Builds the typed token from the raw fields.
    pub fn build(envelope: Envelope, fields: Vec<RawField>) -> Token {
        let mut token = Token {
            envelope,
            kind: SasKind::Unknown,
            fields: Vec::new(),
            version: None,
            services: None,
            resource_types: None,
            resource: None,
            permissions: None,
            start: None,
            expiry: None,
            ip: None,
            protocol: None,
            policy: None,
            encryption_scope: None,
            directory_depth: None,
            signature: None,
            key: DelegationKey::default(),
            authorized_object_id: None,
            unauthorized_object_id: None,
            correlation_id: None,
            headers: Vec::new(),
            other_sas: Vec::new(),
            unknown: Vec::new(),
            duplicates: Vec::new(),
        };
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for (index, raw) in fields.iter().enumerate() {
            let key = canonical_key(&raw.key);
            if seen.contains(&key) {
                token.duplicates.push(index);
                continue;
            }
            seen.insert(key.clone());
            if !token.assign(&key, index, raw) {
                token.unknown.push(index);
            }
        }
        token.fields = fields;
        token.kind = token.classify();
        token
    }

    /// Stores one field under its key; false when the key is not a SAS key.
    fn assign(&mut self, key: &str, index: usize, raw: &RawField) -> bool {
        let text = |_: &str| -> Result<String, Problem> { Ok(raw.value.clone()) };
        match key {
            "sv" => self.version = Some(typed(index, raw, fields::signed_version)),
            "ss" => self.services = Some(typed(index, raw, fields::signed_services)),
            "srt" => self.resource_types = Some(typed(index, raw, fields::signed_resource_types)),
            "sr" => self.resource = Some(typed(index, raw, fields::signed_resource)),
            "sp" => self.permissions = Some(typed(index, raw, fields::signed_permissions)),
            "st" => self.start = Some(typed(index, raw, fields::sas_time)),
            "se" => self.expiry = Some(typed(index, raw, fields::sas_time)),
            "sip" => self.ip = Some(typed(index, raw, fields::signed_ip)),
            "spr" => self.protocol = Some(typed(index, raw, fields::signed_protocol)),
            "si" => self.policy = Some(typed(index, raw, text)),
            "ses" => self.encryption_scope = Some(typed(index, raw, text)),
            "sdd" => {
                self.directory_depth = Some(typed(index, raw, fields::signed_directory_depth));
            }
            "sig" => self.signature = Some(typed(index, raw, fields::signature)),
            "skoid" => self.key.object_id = Some(typed(index, raw, fields::guid)),
            "sktid" => self.key.tenant_id = Some(typed(index, raw, fields::guid)),
            "skt" => self.key.start = Some(typed(index, raw, fields::sas_time)),
            "ske" => self.key.expiry = Some(typed(index, raw, fields::sas_time)),
            "sks" => self.key.service = Some(typed(index, raw, text)),
            "skv" => self.key.version = Some(typed(index, raw, fields::signed_version)),
            "saoid" => self.authorized_object_id = Some(typed(index, raw, fields::guid)),
            "suoid" => self.unauthorized_object_id = Some(typed(index, raw, fields::guid)),
            "scid" => self.correlation_id = Some(typed(index, raw, fields::guid)),
            "rscc" | "rscd" | "rsce" | "rscl" | "rsct" => {
                self.headers.push(typed(index, raw, text));
            }
            "skdutid" | "sduoid" | "srh" | "srq" => self.other_sas.push(typed(index, raw, text)),
            _ => return false,
        }
        true
    }

    /// Account when `ss` or `srt` is present; otherwise service or user delegation
    /// by the key fields, when `sr` is present.
    fn classify(&self) -> SasKind {
        if self.services.is_some() || self.resource_types.is_some() {
            SasKind::Account
        } else if self.key.any() {
            SasKind::UserDelegation
        } else if self.resource.is_some() {
            SasKind::Service
        } else {
            SasKind::Unknown
        }
    }

    /// The raw field behind a typed one.
    pub fn raw<T>(&self, field: &Field<T>) -> Option<&RawField> {
        self.fields.get(field.index)
    }

    /// The canonical key of the raw field at `index`.
    pub fn key_at(&self, index: usize) -> String {
        self.fields
            .get(index)
            .map(|f| canonical_key(&f.key))
            .unwrap_or_default()
    }

    /// True when the token has a field with this canonical key.
    pub fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|f| canonical_key(&f.key) == key)
    }

    /// The input span of the first field with this canonical key.
    pub fn span_of(&self, key: &str) -> Option<Range<usize>> {
        self.fields
            .iter()
            .find(|f| canonical_key(&f.key) == key)
            .map(|f| f.span.clone())
    }
}

fn typed<T>(index: usize, raw: &RawField, parse: impl Fn(&str) -> Result<T, Problem>) -> Field<T> {
    let value = parse(&raw.value).map_err(|p| Malformed {
        kind: p.kind,
        span: raw.input_span(p.at.clone()),
    });
    let value = value.map_err(|m| widen_empty(m, raw));
    Field {
        index,
        key_span: raw.key_span.clone(),
        span: raw.value_or_key_span(),
        text: raw.value.clone(),
        value,
    }
}

/// An empty problem range points at the whole field instead.
fn widen_empty(mut malformed: Malformed, raw: &RawField) -> Malformed {
    if malformed.span.is_empty() {
        malformed.span = raw.value_or_key_span();
    }
    malformed
}
