//! Splitting a JSON array read from a stream into its elements, so a listing of any
//! size is read with memory bounded by its largest element.
//!
//! This is only the `array` rule of `grammar/json.abnf` at the top level: it tracks
//! strings and nesting to find where each element ends, and leaves reading each
//! element (and reporting its syntax errors with exact spans) to [`crate::json`].
//! Offsets and line numbers are of the whole input, so the caller can set
//! `InputReport::base_offset` and `base_line` for an element's window.

use std::io::BufRead;

/// One element of the array, with where it starts in the whole input.
///
/// When the element does not start a line, `bytes` begins with as many spaces as there
/// are bytes before it on its line (up to [`MAX_PADDING`]), so columns within the
/// element are those of the whole input and the bytes still read as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The element's bytes, after any padding.
    pub bytes: Vec<u8>,
    /// Byte offset of `bytes`' first byte (the start of the padded line).
    pub offset: usize,
    /// 1-based line of its first byte.
    pub line: usize,
}

/// Why the array could not be split further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    /// What is wrong.
    pub message: String,
    /// The text near the problem (at most a line or so), for rendering.
    pub window: Vec<u8>,
    /// Byte offset of `window` in the whole input.
    pub offset: usize,
    /// 1-based line of `window`'s first byte.
    pub line: usize,
    /// Offset of the problem within `window`.
    pub at: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the opening `[`.
    Start,
    /// After `[` or `,`: a value or (after `[` only) `]`.
    Value { first: bool },
    /// Inside an element.
    In,
    /// After an element: `,` or `]`.
    After,
    /// After the closing `]`.
    Done,
}

/// Iterates over the elements of the JSON array in `reader`.
pub struct ArrayElements<R> {
    reader: R,
    scan: Scanner,
    failed: bool,
}

/// Where the split is: everything but the reader, so a buffer borrowed from the reader
/// can be fed to it.
struct Scanner {
    state: State,
    /// Offset and line of the next byte to read.
    offset: usize,
    line: usize,
    /// Bytes since the last line feed.
    column: usize,
    element: Element,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// An element that is a bare scalar (number, literal) rather than `{`, `[` or `"`.
    scalar: bool,
}

/// Most bytes before an element on its line that are replaced by padding; past this (a
/// listing on one line) columns on an element's first line count from the element.
pub const MAX_PADDING: usize = 256;

/// Longest element accepted; far beyond any blob record, low enough that a broken
/// file (an unclosed string) cannot exhaust memory.
pub const MAX_ELEMENT_BYTES: usize = 16 * 1024 * 1024;

impl<R: BufRead> ArrayElements<R> {
    /// Starts reading; `offset` and `line` are where `reader`'s first byte is in the input.
    pub fn new(reader: R, offset: usize, line: usize) -> Self {
        let scan = Scanner {
            state: State::Start,
            offset,
            line,
            column: 0,
            element: Element {
                bytes: Vec::new(),
                offset: 0,
                line: 0,
            },
            depth: 0,
            in_string: false,
            escaped: false,
            scalar: false,
        };
        ArrayElements {
            reader,
            scan,
            failed: false,
        }
    }

    /// The next element, `None` at the end, or why the listing cannot be read further.
    pub fn next_element(&mut self) -> Option<Result<Element, SplitError>> {
        if self.failed {
            return None;
        }
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(self.scan.error(&format!("reading stopped: {e}"), None)));
                }
            };
            if chunk.is_empty() {
                self.failed = true;
                return self.scan.at_end();
            }
            let (used, result) = self.scan.feed(chunk);
            self.reader.consume(used);
            match result {
                Some(Ok(element)) => return Some(Ok(element)),
                Some(Err(e)) => {
                    self.failed = true;
                    return Some(Err(e));
                }
                None => {}
            }
        }
    }
}

impl Scanner {
    /// Feeds bytes until an element ends or an error; returns how many were used.
    fn feed(&mut self, chunk: &[u8]) -> (usize, Option<Result<Element, SplitError>>) {
        let mut i = 0;
        while i < chunk.len() {
            if self.state == State::In && !self.scalar {
                // The bulk of the input: scan a run of an element at once.
                let rest = &chunk[i..];
                let (used, done) = self.scan_element(rest);
                self.advance(&rest[..used]);
                i += used;
                if self.element.bytes.len() > MAX_ELEMENT_BYTES {
                    return (
                        i,
                        Some(Err(self.error(
                            "an element of the listing is larger than 16 MiB",
                            None,
                        ))),
                    );
                }
                if done {
                    self.state = State::After;
                    return (i, Some(Ok(self.take_element())));
                }
                continue;
            }
            let b = chunk[i];
            let result = self.step(b);
            self.advance(&chunk[i..i + 1]);
            i += 1;
            match result {
                Ok(Some(element)) => return (i, Some(Ok(element))),
                Ok(None) => {}
                Err(e) => return (i, Some(Err(e))),
            }
        }
        (chunk.len(), None)
    }

    /// Moves the position past `bytes`.
    fn advance(&mut self, bytes: &[u8]) {
        self.offset += bytes.len();
        self.line += memchr::memchr_iter(b'\n', bytes).count();
        self.column = match memchr::memrchr(b'\n', bytes) {
            Some(at) => bytes.len() - at - 1,
            None => self.column + bytes.len(),
        };
    }

    fn take_element(&mut self) -> Element {
        std::mem::replace(
            &mut self.element,
            Element {
                bytes: Vec::new(),
                offset: 0,
                line: 0,
            },
        )
    }

    /// Scans part of an array or object element (strings skipped with memchr); returns
    /// how many bytes belong to it and whether it ended.
    fn scan_element(&mut self, bytes: &[u8]) -> (usize, bool) {
        let mut i = 0;
        let mut done = false;
        if self.escaped {
            self.escaped = false;
            i = 1.min(bytes.len());
        }
        while i < bytes.len() {
            if self.in_string {
                match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
                    None => i = bytes.len(),
                    Some(k) if bytes[i + k] == b'\\' => {
                        // Skip the escaped byte, which may be in the next chunk.
                        i += k + 2;
                        if i > bytes.len() {
                            self.escaped = true;
                            i = bytes.len();
                        }
                    }
                    Some(k) => {
                        self.in_string = false;
                        i += k + 1;
                        if self.depth == 0 {
                            // The element was a string.
                            done = true;
                            break;
                        }
                    }
                }
                continue;
            }
            let b = bytes[i];
            i += 1;
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        done = true;
                        break;
                    }
                }
                _ => {}
            }
        }
        self.element.bytes.extend_from_slice(&bytes[..i]);
        (i, done)
    }

    fn error(&self, message: &str, byte: Option<u8>) -> SplitError {
        let mut window = if self.state == State::In {
            self.element.bytes.clone()
        } else {
            Vec::new()
        };
        let (offset, line) = if self.state == State::In {
            (self.element.offset, self.element.line)
        } else {
            (self.offset, self.line)
        };
        let at = window.len();
        window.extend(byte);
        SplitError {
            message: message.to_string(),
            window,
            offset,
            line,
            at,
        }
    }

    /// Feeds one byte; returns a finished element or an error.
    fn step(&mut self, b: u8) -> Result<Option<Element>, SplitError> {
        match self.state {
            State::Start | State::Value { .. } | State::After | State::Done if is_ws(b) => Ok(None),
            State::Start if b == b'[' => {
                self.state = State::Value { first: true };
                Ok(None)
            }
            State::Start => Err(self.error("expected '[' to start the listing", Some(b))),
            State::Value { first: true } if b == b']' => {
                self.state = State::Done;
                Ok(None)
            }
            State::Value { .. } => {
                self.begin(b);
                Ok(None)
            }
            State::In => self.inside(b),
            State::After if b == b',' => {
                self.state = State::Value { first: false };
                Ok(None)
            }
            State::After if b == b']' => {
                self.state = State::Done;
                Ok(None)
            }
            State::After => Err(self.error(
                "expected ',' or ']' after an element of the listing",
                Some(b),
            )),
            State::Done => {
                Err(self.error("unexpected text after the listing's closing ']'", Some(b)))
            }
        }
    }

    fn begin(&mut self, b: u8) {
        self.state = State::In;
        let padding = if self.column <= MAX_PADDING {
            self.column
        } else {
            0
        };
        let mut bytes = vec![b' '; padding];
        bytes.push(b);
        self.element = Element {
            bytes,
            offset: self.offset - padding,
            line: self.line,
        };
        self.depth = usize::from(b == b'{' || b == b'[');
        self.in_string = b == b'"';
        self.escaped = false;
        self.scalar = !matches!(b, b'{' | b'[' | b'"');
    }

    /// A bare scalar (number, `true`, `null`...) ends at the first byte that cannot be
    /// part of it; the other elements are scanned by [`Scanner::scan_element`].
    fn inside(&mut self, b: u8) -> Result<Option<Element>, SplitError> {
        if is_ws(b) || b == b',' || b == b']' {
            self.state = State::After;
            let done = self.take_element();
            // The byte that ended the scalar is itself a separator or the end.
            let _ = self.step(b)?;
            return Ok(Some(done));
        }
        if self.element.bytes.len() >= MAX_ELEMENT_BYTES {
            return Err(self.error("an element of the listing is larger than 16 MiB", None));
        }
        self.element.bytes.push(b);
        Ok(None)
    }

    fn at_end(&mut self) -> Option<Result<Element, SplitError>> {
        match self.state {
            State::Done => None,
            State::In if self.scalar => {
                self.state = State::After;
                let done = std::mem::take(&mut self.element.bytes);
                let element = Element {
                    bytes: done,
                    offset: self.element.offset,
                    line: self.element.line,
                };
                Some(Ok(element))
            }
            State::Start => Some(Err(
                self.error("the input is empty; expected a JSON array", None)
            )),
            _ => Some(Err(self.error(
                "the listing ends early; expected more elements or ']'",
                None,
            ))),
        }
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::ArrayElements;

    fn split(text: &str) -> (Vec<(String, usize, usize)>, Option<String>) {
        let mut it =
            ArrayElements::new(std::io::BufReader::with_capacity(3, text.as_bytes()), 0, 1);
        let mut out = Vec::new();
        while let Some(next) = it.next_element() {
            match next {
                Ok(e) => out.push((String::from_utf8(e.bytes).unwrap(), e.offset, e.line)),
                Err(e) => return (out, Some(e.message)),
            }
        }
        (out, None)
    }

    #[test]
    fn splits_elements_with_offsets_and_lines() {
        let text = "[\n {\"a\": \"}]\\\"\"},\n [1, [2]] , 3,\"x\" ,null]\n";
        let (elements, error) = split(text);
        assert_eq!(error, None);
        let texts: Vec<&str> = elements.iter().map(|e| e.0.trim_start()).collect();
        assert_eq!(
            texts,
            ["{\"a\": \"}]\\\"\"}", "[1, [2]]", "3", "\"x\"", "null"]
        );
        for (element, offset, _) in &elements {
            // Padding stands for the bytes before the element on its line.
            let end = offset + element.len();
            let trimmed = element.trim_start();
            assert_eq!(&text[end - trimmed.len()..end], trimmed);
            assert!(*offset == 0 || text.as_bytes()[offset - 1] == b'\n');
        }
        assert_eq!(elements[0].2, 2);
        assert_eq!(elements[1].2, 3);
    }

    #[test]
    fn empty_array_and_errors() {
        assert_eq!(split(" [ ] "), (vec![], None));
        assert!(split("").1.unwrap().contains("empty"));
        assert!(split("[{}").1.unwrap().contains("ends early"));
        assert!(split("[{} {}]").1.unwrap().contains("','"));
        assert!(split("[] x").1.unwrap().contains("after"));
    }
}
