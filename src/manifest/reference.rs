//! Digests and artifact references (`grammar/transfer-values.abnf`, rules `digest`
//! and `artifact-reference`).
//!
//! These functions only say what a string is made of; whether that is acceptable for a
//! transfer is decided by the rules that call them.

/// A digest split into its parts (`digest = algorithm ":" encoded`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The algorithm, e.g. `sha256`.
    pub algorithm: String,
    /// The encoded hash.
    pub encoded: String,
}

/// Why a string is not a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestError {
    /// No `:` between algorithm and hash.
    NoColon,
    /// The algorithm part breaks the grammar.
    BadAlgorithm,
    /// The hash part is empty or has characters outside `[a-zA-Z0-9=_-]`.
    BadEncoded,
    /// `sha256` with anything but 64 lower-case hex digits.
    BadSha256,
    /// `sha512` with anything but 128 lower-case hex digits.
    BadSha512,
}

impl DigestError {
    /// What is wrong, for a message.
    pub fn describe(self) -> &'static str {
        match self {
            DigestError::NoColon => "has no ':' between algorithm and hash",
            DigestError::BadAlgorithm => "has an algorithm that is not lower-case [a-z0-9+._-]",
            DigestError::BadEncoded => {
                "has an empty hash or one with characters outside [a-zA-Z0-9=_-]"
            }
            DigestError::BadSha256 => "is sha256 but not 64 lower-case hex digits",
            DigestError::BadSha512 => "is sha512 but not 128 lower-case hex digits",
        }
    }
}

/// `digest = algorithm ":" encoded`, plus the length rules of the registered
/// algorithms `sha256` and `sha512`.
pub fn digest(text: &str) -> Result<Digest, DigestError> {
    let (alg, enc) = text.split_once(':').ok_or(DigestError::NoColon)?;
    if !algorithm(alg) {
        return Err(DigestError::BadAlgorithm);
    }
    if !encoded(enc) {
        return Err(DigestError::BadEncoded);
    }
    match alg {
        "sha256" if !is_lowhex(enc, 64) => Err(DigestError::BadSha256),
        "sha512" if !is_lowhex(enc, 128) => Err(DigestError::BadSha512),
        _ => Ok(Digest {
            algorithm: alg.to_string(),
            encoded: enc.to_string(),
        }),
    }
}

/// `algorithm = algorithm-component *( algorithm-separator algorithm-component )`
fn algorithm(text: &str) -> bool {
    text.split(['+', '.', '_', '-']).all(algorithm_component)
}

/// `algorithm-component = 1*( %x61-7A / DIGIT )`
fn algorithm_component(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// `encoded = 1*( ALPHA / DIGIT / "=" / "_" / "-" )`
fn encoded(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'=' | b'_' | b'-'))
}

/// `n lowhex`
fn is_lowhex(text: &str, n: usize) -> bool {
    text.len() == n
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// An artifact of an export PipelineRun, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactReference {
    /// The repository, e.g. `samples/hello`.
    pub repository: String,
    /// The tag, if one was written.
    pub tag: Option<String>,
    /// The digest, if one was written.
    pub digest: Option<String>,
}

impl ArtifactReference {
    /// True when neither tag nor digest was written, so the service takes `:latest`.
    pub fn is_bare(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }
}

/// Why a string is not an artifact reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceError {
    /// Empty string.
    Empty,
    /// The repository part breaks the grammar (upper case, bad separators, ...).
    BadRepository,
    /// The tag part breaks the grammar.
    BadTag,
    /// The digest after `@` is not `sha256:<64 hex>`.
    BadDigest(DigestError),
    /// A digest with an algorithm other than sha256.
    NotSha256,
    /// Both a tag and a digest.
    TagAndDigest,
}

impl ReferenceError {
    /// What is wrong, for a message.
    pub fn describe(&self) -> String {
        match self {
            ReferenceError::Empty => String::from("is empty"),
            ReferenceError::BadRepository => String::from(
                "has a repository name that is not lower-case letters and digits \
                 joined by '.', '_', '__', '-' or '/'",
            ),
            ReferenceError::BadTag => String::from(
                "has a tag that is not 1 to 128 letters, digits, '_', '.' or '-' \
                 (not starting with '.' or '-')",
            ),
            ReferenceError::BadDigest(e) => format!("has a digest that {}", e.describe()),
            ReferenceError::NotSha256 => String::from("has a digest that is not sha256"),
            ReferenceError::TagAndDigest => String::from("has both a tag and a digest"),
        }
    }
}

/// `artifact-reference = repository [ ":" tag ] / repository "@" sha256-digest`
pub fn artifact_reference(text: &str) -> Result<ArtifactReference, ReferenceError> {
    if text.is_empty() {
        return Err(ReferenceError::Empty);
    }
    let (name, digest_part) = match text.split_once('@') {
        Some((name, d)) => (name, Some(d)),
        None => (text, None),
    };
    // A ':' after the last '/' separates the tag; one before it would be a host port.
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag_part) = match name.get(last_slash..).and_then(|t| t.find(':')) {
        Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
        None => (name, None),
    };
    if !repository(repo) {
        return Err(ReferenceError::BadRepository);
    }
    if let Some(t) = tag_part {
        if !tag(t) {
            return Err(ReferenceError::BadTag);
        }
    }
    if let Some(d) = digest_part {
        if tag_part.is_some() {
            return Err(ReferenceError::TagAndDigest);
        }
        let parsed = digest(d).map_err(ReferenceError::BadDigest)?;
        if parsed.algorithm != "sha256" {
            return Err(ReferenceError::NotSha256);
        }
    }
    Ok(ArtifactReference {
        repository: repo.to_string(),
        tag: tag_part.map(str::to_string),
        digest: digest_part.map(str::to_string),
    })
}

/// `repository = path-component *( "/" path-component )`
fn repository(text: &str) -> bool {
    text.split('/').all(path_component)
}

/// `path-component = alphanum *( component-separator 1*alphanum )`
fn path_component(text: &str) -> bool {
    let bytes = text.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !alnum(first) || !alnum(last) {
        return false;
    }
    // Between alphanumerics: `.`, `_`, `__` or any run of `-`.
    let mut run = String::new();
    for &b in bytes {
        if alnum(b) {
            if !component_separator(&run) {
                return false;
            }
            run.clear();
        } else {
            run.push(b as char);
        }
    }
    true
}

/// `component-separator = "." / "_" / "__" / 1*"-"` (or nothing, between two
/// alphanumerics).
fn component_separator(run: &str) -> bool {
    matches!(run, "" | "." | "_" | "__") || run.bytes().all(|b| b == b'-')
}

/// `tag = ( ALPHA / DIGIT / "_" ) 0*127( ALPHA / DIGIT / "_" / "." / "-" )`
fn tag(text: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    match text.as_bytes().split_first() {
        Some((&first, rest)) => {
            word(first)
                && rest.len() <= 127
                && rest.iter().all(|&b| word(b) || b == b'.' || b == b'-')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{DigestError, ReferenceError, artifact_reference, digest};

    const HEX: &str = "61ecea56947ef1bf2c2df6bdacdd2d0ee1edbc14ac31c65ae1fa0a1dd8e55d39";

    #[test]
    fn digests_follow_the_oci_grammar() {
        assert!(digest(&format!("sha256:{HEX}")).is_ok());
        assert!(digest("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8").is_ok());
        assert_eq!(digest(HEX), Err(DigestError::NoColon));
        assert_eq!(digest("SHA256:abc"), Err(DigestError::BadAlgorithm));
        assert_eq!(digest("sha256:"), Err(DigestError::BadEncoded));
        assert_eq!(digest("sha256:abc"), Err(DigestError::BadSha256));
        let upper = HEX.to_uppercase();
        assert_eq!(
            digest(&format!("sha256:{upper}")),
            Err(DigestError::BadSha256)
        );
        assert_eq!(digest("sha512:00"), Err(DigestError::BadSha512));
    }

    #[test]
    fn references_take_the_three_documented_forms() {
        let bare = artifact_reference("samples/hello-fake").unwrap();
        assert!(bare.is_bare());
        let tagged = artifact_reference("samples/hello-fake:1.0").unwrap();
        assert_eq!(tagged.tag.as_deref(), Some("1.0"));
        let pinned = artifact_reference(&format!("tools/cli@sha256:{HEX}")).unwrap();
        assert_eq!(pinned.repository, "tools/cli");
        assert!(artifact_reference("a__b/c-----d/e.f:_x").is_ok());
    }

    #[test]
    fn references_that_break_the_grammar_say_why() {
        for (text, want) in [
            ("", ReferenceError::Empty),
            ("Samples/hello", ReferenceError::BadRepository),
            ("samples//hello", ReferenceError::BadRepository),
            ("samples/hello-", ReferenceError::BadRepository),
            ("a___b", ReferenceError::BadRepository),
            ("hello:", ReferenceError::BadTag),
            ("hello:.x", ReferenceError::BadTag),
            (
                "hello@sha256:abc",
                ReferenceError::BadDigest(DigestError::BadSha256),
            ),
            (
                "hello@sha512:abc",
                ReferenceError::BadDigest(DigestError::BadSha512),
            ),
            ("hello@md5:abc", ReferenceError::NotSha256),
        ] {
            assert_eq!(artifact_reference(text), Err(want), "{text}");
        }
        let both = format!("hello:1@sha256:{HEX}");
        assert_eq!(artifact_reference(&both), Err(ReferenceError::TagAndDigest));
        let long_tag = format!("hello:{}", "a".repeat(129));
        assert_eq!(artifact_reference(&long_tag), Err(ReferenceError::BadTag));
    }
}
