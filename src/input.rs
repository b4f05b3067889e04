//! Reading an input's bytes and turning them into text without losing track of where
//! anything was.
//!
//! Inputs come from files, standard input, arguments and environment variables. Text
//! in UTF-16 (with a byte-order mark, or recognised by its NUL bytes) is converted, a UTF-8 byte-order mark is dropped,
//! and bytes that are not UTF-8 are replaced by U+FFFD with a note of where they were,
//! so a check can report them instead of the tool refusing to run.

use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

/// Where an input came from, as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file path.
    File(String),
    /// Standard input.
    Stdin,
    /// A command-line argument.
    Argument,
    /// An environment variable, by name.
    Env(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => f.write_str(path),
            Origin::Stdin => f.write_str("<stdin>"),
            Origin::Argument => f.write_str("<argument>"),
            Origin::Env(name) => write!(f, "${name}"),
        }
    }
}

/// Something in the raw bytes that decoding had to repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// Bytes that are not UTF-8, now one U+FFFD each run, at this range of the text.
    InvalidUtf8(Range<usize>),
    /// The input began with a UTF-8 byte-order mark, which was dropped.
    Utf8Bom,
    /// The input was UTF-16 (little or big endian, by its byte-order mark).
    Utf16 {
        /// True for big endian.
        big_endian: bool,
    },
    /// The input had no byte-order mark but was UTF-16 by its pattern of NUL bytes
    /// (every other byte NUL), as some Windows tools write it.
    Utf16WithoutBom {
        /// True for big endian.
        big_endian: bool,
    },
}

/// An input as text, with what decoding repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Repairs, in order of position.
    pub repairs: Vec<Repair>,
}

/// Decodes raw input bytes to text, repairing rather than refusing.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let mut decoded = decode_utf8(rest);
        decoded.repairs.insert(0, Repair::Utf8Bom);
        return decoded;
    }
    for (bom, big_endian) in [([0xFF, 0xFE], false), ([0xFE, 0xFF], true)] {
        if let Some(rest) = bytes.strip_prefix(&bom) {
            return Decoded {
                text: decode_utf16(rest, big_endian),
                repairs: vec![Repair::Utf16 { big_endian }],
            };
        }
    }
    if let Some(big_endian) = utf16_by_nul_pattern(bytes) {
        return Decoded {
            text: decode_utf16(bytes, big_endian),
            repairs: vec![Repair::Utf16WithoutBom { big_endian }],
        };
    }
    decode_utf8(bytes)
}

/// Bytes looked at to recognise UTF-16 without a byte-order mark.
const UTF16_SAMPLE: usize = 4096;

/// Whether `bytes` look like UTF-16 text without a byte-order mark, and in which byte
/// order: in the first [`UTF16_SAMPLE`] bytes, at least three pairs in four are an
/// ASCII character's byte and a NUL, always in the same order. UTF-8 text holds no NUL,
/// so this does not take UTF-8 for UTF-16.
fn utf16_by_nul_pattern(bytes: &[u8]) -> Option<bool> {
    let sample = bytes.get(..UTF16_SAMPLE).unwrap_or(bytes);
    let pairs = sample.len() / 2;
    let count = |big_endian: bool| {
        sample
            .chunks_exact(2)
            .filter(|pair| {
                let (high, low) = if big_endian {
                    (pair[0], pair[1])
                } else {
                    (pair[1], pair[0])
                };
                high == 0 && low != 0 && low.is_ascii()
            })
            .count()
    };
    let enough = |n: usize| pairs >= 2 && n * 4 >= pairs * 3;
    let (le, be) = (count(false), count(true));
    if enough(le) && be == 0 {
        Some(false)
    } else if enough(be) && le == 0 {
        Some(true)
    } else {
        None
    }
}

fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks(2).map(|pair| {
        let (a, b) = (pair[0], *pair.get(1).unwrap_or(&0));
        if big_endian {
            u16::from_be_bytes([a, b])
        } else {
            u16::from_le_bytes([a, b])
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect()
}

fn decode_utf8(bytes: &[u8]) -> Decoded {
    let mut text = String::with_capacity(bytes.len());
    let mut repairs = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            let start = text.len();
            text.push('\u{FFFD}');
            match repairs.last_mut() {
                Some(Repair::InvalidUtf8(range)) if range.end == start => range.end = text.len(),
                _ => repairs.push(Repair::InvalidUtf8(start..text.len())),
            }
        }
    }
    Decoded { text, repairs }
}

/// Why an input could not be read at all (the tool then exits with 2).
#[derive(Debug)]
pub struct ReadError {
    /// What was being read.
    pub origin: Origin,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.origin, self.message)
    }
}

impl std::error::Error for ReadError {}

/// Largest input read whole into memory: far above any token, dump or manifest a person
/// collects, low enough that a wrong file cannot exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a whole file, refusing what [`open_file`] refuses and anything over
/// [`MAX_INPUT_BYTES`].
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    let file = open_file(path)?;
    read_bounded(file).map_err(|message| ReadError {
        origin: Origin::File(path.display().to_string()),
        message,
    })
}

/// Opens a regular file (or a link to one) for reading. A directory, FIFO, socket or
/// device is refused before it is opened: opening a FIFO waits for a writer, and a
/// device may never end. Every reader of a named path opens it through here.
pub fn open_file(path: &Path) -> Result<std::fs::File, ReadError> {
    let fail = |message: String| ReadError {
        origin: Origin::File(path.display().to_string()),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if let Some(what) = not_regular(&meta.file_type()) {
        return Err(fail(format!(
            "it is {what}, not a regular file; save the input to a file and name that"
        )));
    }
    std::fs::File::open(path).map_err(|e| fail(e.to_string()))
}

/// What a file type is when it is not a regular file, for messages.
pub fn not_regular(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
    }
    Some("a special file")
}

/// Reads standard input to its end, up to [`MAX_INPUT_BYTES`].
pub fn read_stdin() -> Result<Vec<u8>, ReadError> {
    read_bounded(std::io::stdin().lock()).map_err(|message| ReadError {
        origin: Origin::Stdin,
        message,
    })
}

fn read_bounded(reader: impl Read) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "larger than {} MiB",
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::{Repair, decode};

    #[test]
    fn invalid_utf8_is_replaced_and_located() {
        let decoded = decode(b"sp=r\xff\xfe&x");
        assert_eq!(decoded.text, "sp=r\u{FFFD}\u{FFFD}&x");
        assert_eq!(decoded.repairs, vec![Repair::InvalidUtf8(4..10)]);
    }

    #[test]
    fn utf16_with_bom_is_converted() {
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("sv=1".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let decoded = decode(&bytes);
        assert_eq!(decoded.text, "sv=1");
        assert_eq!(decoded.repairs, vec![Repair::Utf16 { big_endian: false }]);
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFsv").text, "sv");
    }

    #[test]
    fn utf16_without_bom_is_recognised_by_its_nul_bytes() {
        let text = "se=2027-01-31&sig=abc\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let decoded = decode(&le);
        assert_eq!(decoded.text, text);
        assert_eq!(
            decoded.repairs,
            vec![Repair::Utf16WithoutBom { big_endian: false }]
        );
        let decoded = decode(&be);
        assert_eq!(decoded.text, text);
        assert_eq!(
            decoded.repairs,
            vec![Repair::Utf16WithoutBom { big_endian: true }]
        );
    }

    #[test]
    fn nul_bytes_without_the_pattern_stay_utf8() {
        assert!(decode(b"\0\0\0\0").repairs.is_empty());
        assert!(decode(b"sp=r\0&x=1").repairs.is_empty());
        assert!(decode(b"a\0").repairs.is_empty());
    }
}
