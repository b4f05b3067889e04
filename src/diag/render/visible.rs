//! Text from the input made safe to print to a terminal.
//!
//! Names, values and the echoed source come from the input, and a terminal obeys the
//! control characters in what it prints: an escape sequence in a blob name can set the
//! window title, clear the screen or colour the rest of the output, and a
//! bidirectional control reorders what is shown. [`visible`] replaces each such
//! character with a printable stand-in of the same UTF-8 length, so that byte spans
//! into a text stay right after the replacement; [`brief`] also shortens a very long
//! message, label or name. Only the human output needs this: JSON escapes every
//! control character itself.

use std::borrow::Cow;

/// Longest message, label or name printed whole, in characters.
const MAX_CHARS: usize = 1_000;

/// Characters kept at each end of a text longer than [`MAX_CHARS`].
const KEPT_CHARS: usize = 200;

/// `text` with every character a terminal would act on, other than tab, line feed
/// and a carriage return before a line feed, replaced by a printable character of the
/// same UTF-8 length: `?` for C0 controls and DEL, `¿` for C1 controls and the Arabic
/// letter mark, `�` for the other bidirectional controls.
pub(super) fn visible(text: &str) -> Cow<'_, str> {
    if !text
        .char_indices()
        .any(|(at, c)| stand_in(text, at, c).is_some())
    {
        return Cow::Borrowed(text);
    }
    let shown: String = text
        .char_indices()
        .map(|(at, c)| stand_in(text, at, c).unwrap_or(c))
        .collect();
    Cow::Owned(shown)
}

/// [`visible`], with the middle of a text longer than [`MAX_CHARS`] characters left
/// out and the number of characters left out said in its place.
pub(super) fn brief(text: &str) -> String {
    let length = text.chars().count();
    if length <= MAX_CHARS {
        return visible(text).into_owned();
    }
    let head: String = text.chars().take(KEPT_CHARS).collect();
    let tail: String = text.chars().skip(length - KEPT_CHARS).collect();
    let left_out = length - 2 * KEPT_CHARS;
    format!(
        "{}…({left_out} characters left out)…{}",
        visible(&head),
        visible(&tail)
    )
}

/// The stand-in for the character `c` at byte `at` of `text`, if it needs one.
fn stand_in(text: &str, at: usize, c: char) -> Option<char> {
    let replacement = match c {
        '\t' | '\n' => return None,
        '\r' if text.as_bytes().get(at + 1) == Some(&b'\n') => return None,
        '\u{0}'..='\u{1f}' | '\u{7f}' => '?',
        '\u{80}'..='\u{9f}' | '\u{61c}' => '¿',
        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
        _ => return None,
    };
    debug_assert_eq!(replacement.len_utf8(), c.len_utf8());
    Some(replacement)
}

#[cfg(test)]
mod tests {
    use super::{brief, visible};

    #[test]
    fn controls_become_stand_ins_of_the_same_length() {
        let text = "a\u{1b}]0;t\u{7}b\u{9b}c\u{202e}d\u{61c}e\u{7f}\r\n\tf\rg";
        let shown = visible(text);
        assert_eq!(shown, "a?]0;t?b¿c\u{fffd}d¿e?\r\n\tf?g");
        assert_eq!(shown.len(), text.len());
    }

    #[test]
    fn clean_text_is_not_copied() {
        assert!(matches!(visible("sp=r\r\n"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn long_text_keeps_both_ends() {
        let text = format!("`{}` is not a SAS field", "x".repeat(70_000));
        let shown = brief(&text);
        assert!(shown.starts_with("`xxx"), "{shown}");
        assert!(shown.ends_with("xxx` is not a SAS field"), "{shown}");
        let left_out = text.chars().count() - 400;
        assert!(
            shown.contains(&format!("…({left_out} characters left out)…")),
            "{shown}"
        );
        assert!(shown.chars().count() < 500);
    }
}
