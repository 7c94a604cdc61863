//! Checks shared by every record's free text: length limits and characters that have no place in
//! a customer's words (control characters other than newline and tab).

use super::ValidationError;

/// Longest single-line field (names, branches, assignees), in characters.
pub const SHORT: usize = 200;
/// Longest free-text field (comments, descriptions, notes), in characters.
pub const LONG: usize = 5_000;

/// Checks one text field: at most `max` characters, no control characters but `\n` and `\t`.
pub fn check(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::TooLong { field, max, len });
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(ValidationError::ControlCharacter { field });
    }
    Ok(())
}

/// Like [`check`], and the field may not be blank.
pub fn check_required(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::Empty { field });
    }
    check(field, value, max)
}

/// A text in both of the app's languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Bilingual {
    pub en: String,
    pub fa: String,
}

impl Bilingual {
    pub fn new(en: impl Into<String>, fa: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            fa: fa.into(),
        }
    }

    /// Both languages must be filled.
    pub fn check(&self, field: &'static str, max: usize) -> Result<(), ValidationError> {
        check_required(field, &self.en, max)?;
        check_required(field, &self.fa, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_multiline_persian_text() {
        assert!(check("note", "سلام\nخوب بود\tممنون", LONG).is_ok());
    }

    #[test]
    fn refuses_text_over_the_limit_counting_characters_not_bytes() {
        let ok = "ب".repeat(SHORT);
        assert!(check("name", &ok, SHORT).is_ok());
        let long = "ب".repeat(SHORT + 1);
        assert_eq!(
            check("name", &long, SHORT),
            Err(ValidationError::TooLong {
                field: "name",
                max: SHORT,
                len: SHORT + 1
            })
        );
    }

    #[test]
    fn refuses_control_characters_that_could_hide_text() {
        assert_eq!(
            check("name", "a\u{0}b", SHORT),
            Err(ValidationError::ControlCharacter { field: "name" })
        );
        assert_eq!(
            check("name", "a\u{1b}[31m", SHORT),
            Err(ValidationError::ControlCharacter { field: "name" })
        );
    }

    #[test]
    fn required_text_may_not_be_blank() {
        assert_eq!(
            check_required("name", "  \n", SHORT),
            Err(ValidationError::Empty { field: "name" })
        );
    }
}
