//! Persian (۰-۹) and Arabic-Indic (٠-٩) digits: accepted wherever a number is typed, and shown in
//! Persian when the interface is Persian.

/// Replaces Persian and Arabic-Indic digits with ASCII ones and the Arabic decimal and thousands
/// separators with `.` and nothing; other characters pass through.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| *c != '\u{066C}')
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '\u{066B}' => '.',
            other => other,
        })
        .collect()
}

/// Parses a whole number typed in any of the three digit sets, ignoring surrounding spaces.
pub fn parse_u32(input: &str) -> Option<u32> {
    normalize(input).trim().parse().ok()
}

/// Parses a decimal number typed in any of the three digit sets.
pub fn parse_f64(input: &str) -> Option<f64> {
    let n = normalize(input).trim().replace('/', ".");
    n.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Writes ASCII digits as Persian digits (and `.` between digits as the Persian decimal mark).
pub fn to_persian(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_and_arabic_digits_parse_as_numbers() {
        assert_eq!(parse_u32("۱۲۳"), Some(123));
        assert_eq!(parse_u32("٤٥"), Some(45));
        assert_eq!(parse_u32(" 7 "), Some(7));
        assert_eq!(parse_u32("۱2٣"), Some(123));
        assert_eq!(parse_u32("abc"), None);
    }

    #[test]
    fn decimals_accept_the_arabic_decimal_separator_and_slash() {
        assert_eq!(parse_f64("۱٫۵"), Some(1.5));
        assert_eq!(parse_f64("۲/۵"), Some(2.5));
        assert_eq!(parse_f64("NaN"), None);
    }

    #[test]
    fn ascii_digits_render_in_persian() {
        assert_eq!(to_persian("2026-11-24"), "۲۰۲۶-۱۱-۲۴");
        assert_eq!(to_persian("abc"), "abc");
    }

    #[test]
    fn normalize_then_to_persian_round_trips() {
        for n in [0u32, 9, 10, 1405, 99_999] {
            assert_eq!(parse_u32(&to_persian(&n.to_string())), Some(n));
        }
    }
}
