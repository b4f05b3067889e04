//! Characters that are not what they look like.
//!
//! A value pasted from a chat, a document or a web page can carry characters that
//! change how text is shown (bidirectional controls), cannot be seen at all
//! (zero-width characters), or look like ASCII letters and punctuation but are other
//! code points (Cyrillic `а` for `a`, an en dash for `-`). Every field of a SAS token
//! and every name the checks compare is ASCII, so such a character is a fault whose
//! cause the user cannot see: [`suspicious`] finds them and names them.

/// What is wrong with a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trait {
    /// A bidirectional formatting control: it changes the order text is shown in.
    Bidi,
    /// A character with no visible glyph.
    Invisible,
    /// A control character (C0, DEL or C1) other than tab, line feed and return.
    Control,
    /// A character that looks like the given ASCII character.
    LooksLike(char),
}

/// A suspicious character found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspicion {
    /// Byte offset of the character in the text searched.
    pub offset: usize,
    /// The character.
    pub character: char,
    /// Its Unicode name, when the table knows it.
    pub name: Option<&'static str>,
    /// Why it is suspicious.
    pub kind: Trait,
}

impl Suspicion {
    /// Byte length of the character.
    pub fn len(&self) -> usize {
        self.character.len_utf8()
    }

    /// Always false: a character is never empty (present for clippy's sake).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// `U+202E RIGHT-TO-LEFT OVERRIDE`, or `U+0007` when the name is not known.
    pub fn code_point(&self) -> String {
        match self.name {
            Some(name) => format!("U+{:04X} {name}", u32::from(self.character)),
            None => format!("U+{:04X}", u32::from(self.character)),
        }
    }

    /// What the character is and why it matters, in a few words.
    pub fn describe(&self) -> String {
        let what = self.code_point();
        match self.kind {
            Trait::Bidi => format!("{what}, an invisible control that reorders how text is shown"),
            Trait::Invisible => format!("{what}, a character that cannot be seen"),
            Trait::Control => format!("{what}, a control character"),
            Trait::LooksLike(ascii) => format!("{what}, which looks like `{ascii}`"),
        }
    }
}

/// Bidirectional formatting controls (Unicode's Bidi_Control property).
const BIDI: &[(char, &str)] = &[
    ('\u{061C}', "ARABIC LETTER MARK"),
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
];

/// Characters with no glyph that editors and chat clients insert.
const INVISIBLE: &[(char, &str)] = &[
    ('\u{00AD}', "SOFT HYPHEN"),
    ('\u{180E}', "MONGOLIAN VOWEL SEPARATOR"),
    ('\u{200B}', "ZERO WIDTH SPACE"),
    ('\u{200C}', "ZERO WIDTH NON-JOINER"),
    ('\u{200D}', "ZERO WIDTH JOINER"),
    ('\u{2060}', "WORD JOINER"),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE"),
];

/// Letters and punctuation that look like ASCII, with the ASCII they pass for.
const LOOKALIKES: &[(char, &str, char)] = &[
    ('\u{00A0}', "NO-BREAK SPACE", ' '),
    ('\u{0391}', "GREEK CAPITAL LETTER ALPHA", 'A'),
    ('\u{0392}', "GREEK CAPITAL LETTER BETA", 'B'),
    ('\u{0395}', "GREEK CAPITAL LETTER EPSILON", 'E'),
    ('\u{0396}', "GREEK CAPITAL LETTER ZETA", 'Z'),
    ('\u{0397}', "GREEK CAPITAL LETTER ETA", 'H'),
    ('\u{0399}', "GREEK CAPITAL LETTER IOTA", 'I'),
    ('\u{039A}', "GREEK CAPITAL LETTER KAPPA", 'K'),
    ('\u{039C}', "GREEK CAPITAL LETTER MU", 'M'),
    ('\u{039D}', "GREEK CAPITAL LETTER NU", 'N'),
    ('\u{039F}', "GREEK CAPITAL LETTER OMICRON", 'O'),
    ('\u{03A1}', "GREEK CAPITAL LETTER RHO", 'P'),
    ('\u{03A4}', "GREEK CAPITAL LETTER TAU", 'T'),
    ('\u{03A5}', "GREEK CAPITAL LETTER UPSILON", 'Y'),
    ('\u{03A7}', "GREEK CAPITAL LETTER CHI", 'X'),
    ('\u{03B1}', "GREEK SMALL LETTER ALPHA", 'a'),
    ('\u{03BD}', "GREEK SMALL LETTER NU", 'v'),
    ('\u{03BF}', "GREEK SMALL LETTER OMICRON", 'o'),
    ('\u{03C1}', "GREEK SMALL LETTER RHO", 'p'),
    ('\u{0405}', "CYRILLIC CAPITAL LETTER DZE", 'S'),
    (
        '\u{0406}',
        "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I",
        'I',
    ),
    ('\u{0408}', "CYRILLIC CAPITAL LETTER JE", 'J'),
    ('\u{0410}', "CYRILLIC CAPITAL LETTER A", 'A'),
    ('\u{0412}', "CYRILLIC CAPITAL LETTER VE", 'B'),
    ('\u{0415}', "CYRILLIC CAPITAL LETTER IE", 'E'),
    ('\u{041A}', "CYRILLIC CAPITAL LETTER KA", 'K'),
    ('\u{041C}', "CYRILLIC CAPITAL LETTER EM", 'M'),
    ('\u{041D}', "CYRILLIC CAPITAL LETTER EN", 'H'),
    ('\u{041E}', "CYRILLIC CAPITAL LETTER O", 'O'),
    ('\u{0420}', "CYRILLIC CAPITAL LETTER ER", 'P'),
    ('\u{0421}', "CYRILLIC CAPITAL LETTER ES", 'C'),
    ('\u{0422}', "CYRILLIC CAPITAL LETTER TE", 'T'),
    ('\u{0425}', "CYRILLIC CAPITAL LETTER HA", 'X'),
    ('\u{0430}', "CYRILLIC SMALL LETTER A", 'a'),
    ('\u{0435}', "CYRILLIC SMALL LETTER IE", 'e'),
    ('\u{043E}', "CYRILLIC SMALL LETTER O", 'o'),
    ('\u{0440}', "CYRILLIC SMALL LETTER ER", 'p'),
    ('\u{0441}', "CYRILLIC SMALL LETTER ES", 'c'),
    ('\u{0443}', "CYRILLIC SMALL LETTER U", 'y'),
    ('\u{0445}', "CYRILLIC SMALL LETTER HA", 'x'),
    ('\u{0455}', "CYRILLIC SMALL LETTER DZE", 's'),
    (
        '\u{0456}',
        "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I",
        'i',
    ),
    ('\u{0458}', "CYRILLIC SMALL LETTER JE", 'j'),
    ('\u{04CF}', "CYRILLIC SMALL LETTER PALOCHKA", 'l'),
    ('\u{0501}', "CYRILLIC SMALL LETTER KOMI DE", 'd'),
    ('\u{2010}', "HYPHEN", '-'),
    ('\u{2011}', "NON-BREAKING HYPHEN", '-'),
    ('\u{2012}', "FIGURE DASH", '-'),
    ('\u{2013}', "EN DASH", '-'),
    ('\u{2014}', "EM DASH", '-'),
    ('\u{2018}', "LEFT SINGLE QUOTATION MARK", '\''),
    ('\u{2019}', "RIGHT SINGLE QUOTATION MARK", '\''),
    ('\u{201C}', "LEFT DOUBLE QUOTATION MARK", '"'),
    ('\u{201D}', "RIGHT DOUBLE QUOTATION MARK", '"'),
    ('\u{2044}', "FRACTION SLASH", '/'),
    ('\u{2212}', "MINUS SIGN", '-'),
    ('\u{2215}', "DIVISION SLASH", '/'),
    ('\u{2236}', "RATIO", ':'),
];

/// Classifies one character; `None` for an ordinary one.
pub fn classify(c: char) -> Option<(Option<&'static str>, Trait)> {
    if c.is_ascii() {
        return match c {
            '\t' | '\n' | '\r' => None,
            '\u{7F}' => Some((Some("DELETE"), Trait::Control)),
            _ if c.is_ascii_control() => Some((None, Trait::Control)),
            _ => None,
        };
    }
    if let Some((_, name)) = BIDI.iter().find(|(b, _)| *b == c) {
        return Some((Some(name), Trait::Bidi));
    }
    if let Some((_, name)) = INVISIBLE.iter().find(|(b, _)| *b == c) {
        return Some((Some(name), Trait::Invisible));
    }
    if let Some((_, name, ascii)) = LOOKALIKES.iter().find(|(b, _, _)| *b == c) {
        return Some((Some(name), Trait::LooksLike(*ascii)));
    }
    if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        let ascii = char::from_u32(u32::from(c) - 0xFEE0).unwrap_or('?');
        return Some((None, Trait::LooksLike(ascii)));
    }
    if c.is_control() {
        return Some((None, Trait::Control));
    }
    None
}

/// Every suspicious character in `text`, in order.
pub fn suspicious(text: &str) -> impl Iterator<Item = Suspicion> + '_ {
    text.char_indices().filter_map(|(offset, character)| {
        classify(character).map(|(name, kind)| Suspicion {
            offset,
            character,
            name,
            kind,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::{Trait, suspicious};

    #[test]
    fn names_what_hides_in_a_value() {
        let found: Vec<String> = suspicious("r\u{0430}w\u{202E}l\u{200B}\u{FF1D}\u{7}")
            .map(|s| s.describe())
            .collect();
        assert_eq!(
            found,
            [
                "U+0430 CYRILLIC SMALL LETTER A, which looks like `a`",
                "U+202E RIGHT-TO-LEFT OVERRIDE, an invisible control that reorders how text is shown",
                "U+200B ZERO WIDTH SPACE, a character that cannot be seen",
                "U+FF1D, which looks like `=`",
                "U+0007, a control character",
            ]
        );
    }

    #[test]
    fn plain_text_and_other_scripts_are_left_alone() {
        assert_eq!(suspicious("rawl 2027-01-31T00:00Z\tok\n").count(), 0);
        // Letters with no ASCII twin are not lookalikes.
        assert_eq!(suspicious("żółw ß 東京").count(), 0);
        let s = suspicious("é").next();
        assert!(s.is_none());
        let offsets: Vec<usize> = suspicious("ab\u{0441}d").map(|s| s.offset).collect();
        assert_eq!(offsets, [2]);
        assert_eq!(
            suspicious("\u{0441}").next().unwrap().kind,
            Trait::LooksLike('c')
        );
    }
}
