//! Every visible word: the locale files, the interface language, and numbers and dates written
//! the way each language writes them (Persian digits and the Jalali calendar in Persian).
//!
//! The catalogues are compiled in from `locales/*.json`; a test checks that both hold the same
//! keys and that every key the code asks for exists.

use std::{collections::HashMap, sync::OnceLock};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{
    digits,
    jalali::JalaliDate,
    period::{Calendar, Span},
};

#[cfg(not(any(feature = "card-page", feature = "fetched-locales")))]
pub const EN_JSON: &str = include_str!("../locales/en.json");
#[cfg(not(any(feature = "card-page", feature = "fetched-locales")))]
pub const FA_JSON: &str = include_str!("../locales/fa.json");
// The card page carries only the keys it shows, picked by build.rs.
#[cfg(feature = "card-page")]
pub const EN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/card-en.json"));
#[cfg(feature = "card-page")]
pub const FA_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/card-fa.json"));
// The staff app's release build fetches the interface language's file (see `load`) and carries
// only the words it must have in both languages at any time, picked by build.rs: the card (for
// the designer's previews and the first start's default card), the poster, the crash screen and
// the message for a language file that cannot be fetched.
#[cfg(all(feature = "fetched-locales", not(feature = "card-page")))]
pub const EN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/both-en.json"));
#[cfg(all(feature = "fetched-locales", not(feature = "card-page")))]
pub const FA_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/both-fa.json"));

/// The interface languages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fa,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fa];

    /// The text of a business's own wording (a card, a standard) in this language.
    pub fn pick(self, text: &crate::domain::text::Bilingual) -> String {
        match self {
            Lang::En => text.en.clone(),
            Lang::Fa => text.fa.clone(),
        }
    }

    /// BCP 47 code, for `<html lang>` and the card's stored language.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fa => "fa",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Writing direction, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "ltr",
            Lang::Fa => "rtl",
        }
    }

    /// The browser's preferred language if it is one of ours.
    pub fn from_browser(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("fa") {
            Lang::Fa
        } else {
            Lang::En
        }
    }
}

type Catalog = HashMap<String, String>;

fn parse(json: &str) -> Catalog {
    // The compiled-in files are checked by tests, so a parse failure there is a build defect;
    // an empty catalogue then shows keys instead of crashing the page. `load` refuses a fetched
    // file that reads as empty.
    serde_json::from_str(json).unwrap_or_default()
}

fn catalog(lang: Lang) -> &'static Catalog {
    static EN: OnceLock<Catalog> = OnceLock::new();
    static FA: OnceLock<Catalog> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| parse(EN_JSON)),
        Lang::Fa => FA.get_or_init(|| parse(FA_JSON)),
    }
}

/// The text of `key` in `lang`, from the fetched file, else from what is compiled in.
fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    fetched::get(lang)
        .and_then(|c| c.get(key))
        .or_else(|| catalog(lang).get(key))
        .map(String::as_str)
}

/// The text of `key` in `lang`; the key itself if it is missing (a test keeps that from happening).
pub fn t(lang: Lang, key: &str) -> &'static str {
    lookup(lang, key).unwrap_or_else(|| Box::leak(key.to_owned().into_boxed_str()))
}

/// The text of `key`, or `None` when the catalogue has no such key (for optional labels).
pub fn try_t(lang: Lang, key: &str) -> Option<&'static str> {
    lookup(lang, key)
}

pub use fetched::{is_loaded, load};

/// The staff app's release build: each language's file, fetched once and kept for the visit.
#[cfg(feature = "fetched-locales")]
mod fetched {
    use std::sync::OnceLock;

    use wasm_bindgen::prelude::*;

    use super::{parse, Catalog, Lang};

    // The page's loader (scripts/finish-dist.js) names each language's file and has already
    // asked for the one the device reads: the first call takes that answer, and any later call
    // fetches again, so a failed fetch is tried afresh.
    #[wasm_bindgen(inline_js = "export function fetchLocale(code) {
        const l = globalThis.lpLocales;
        if (!l || !l.urls[code]) return Promise.reject(new Error('no language file is named for ' + code));
        const early = l.pending[code];
        delete l.pending[code];
        return early || l.fetch(code);
    }")]
    extern "C" {
        #[wasm_bindgen(js_name = fetchLocale, catch)]
        fn fetch_locale(code: &str) -> Result<js_sys::Promise, JsValue>;
    }

    static EN: OnceLock<Catalog> = OnceLock::new();
    static FA: OnceLock<Catalog> = OnceLock::new();

    fn slot(lang: Lang) -> &'static OnceLock<Catalog> {
        match lang {
            Lang::En => &EN,
            Lang::Fa => &FA,
        }
    }

    pub(super) fn get(lang: Lang) -> Option<&'static Catalog> {
        slot(lang).get()
    }

    /// Whether every word of `lang` is here.
    pub fn is_loaded(lang: Lang) -> bool {
        get(lang).is_some()
    }

    /// Fetches `lang`'s file unless it is here. The error says what went wrong, for the console.
    pub async fn load(lang: Lang) -> Result<(), String> {
        if is_loaded(lang) {
            return Ok(());
        }
        let described = |e: JsValue| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .or_else(|| e.as_string())
                .unwrap_or_else(|| format!("{e:?}"))
        };
        let promise = fetch_locale(lang.code()).map_err(described)?;
        let text = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(described)?
            .as_string()
            .ok_or_else(|| "the language file is not text".to_owned())?;
        let catalog = parse(&text);
        if catalog.is_empty() {
            return Err(format!("the {} language file holds no words", lang.code()));
        }
        let _ = slot(lang).set(catalog);
        Ok(())
    }
}

/// Every other build compiles both languages in.
#[cfg(not(feature = "fetched-locales"))]
mod fetched {
    use super::{Catalog, Lang};

    pub(super) fn get(_: Lang) -> Option<&'static Catalog> {
        None
    }

    /// Whether every word of `lang` is here: always, since both files are compiled in.
    pub fn is_loaded(_: Lang) -> bool {
        true
    }

    /// Nothing to fetch.
    pub async fn load(_: Lang) -> Result<(), String> {
        Ok(())
    }
}

/// The text of `key` with each `{name}` replaced by its value. Counted words follow their
/// number: `{name:one|other}` becomes `one` when that argument is 1 and `other` otherwise
/// ("{n} {n:card|cards}"), and where the count `{n}` is one and the catalogue has a `key.one`,
/// that whole wording is used instead.
pub fn tf(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let is_one = |value: &str| digits::normalize(value) == "1";
    let one = args
        .iter()
        .any(|(name, value)| *name == "n" && is_one(value));
    let text = one
        .then(|| try_t(lang, &format!("{key}.one")))
        .flatten()
        .unwrap_or_else(|| t(lang, key));
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = &after[..close];
        let (name, forms) = match inner.split_once(':') {
            Some((name, forms)) => (name, Some(forms)),
            None => (inner, None),
        };
        match (args.iter().find(|(n, _)| *n == name), forms) {
            (Some((_, value)), None) => out.push_str(value),
            (Some((_, value)), Some(forms)) => {
                let (singular, plural) = forms.split_once('|').unwrap_or((forms, forms));
                out.push_str(if is_one(value) { singular } else { plural });
            }
            // Not an argument: left as written.
            (None, _) => {
                out.push('{');
                out.push_str(inner);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

impl Lang {
    /// The calendar the language reads dates and periods in: Jalali in Persian, Gregorian in
    /// English.
    pub fn calendar(self) -> Calendar {
        match self {
            Lang::Fa => Calendar::Jalali,
            Lang::En => Calendar::Gregorian,
        }
    }
}

/// A touchpoint in words: the ones the app writes (`website`, `kiosk`, `qr`, `staff`) have a
/// label in each language; a code a shop made up for its own links is shown as written.
pub fn touchpoint(lang: Lang, code: String) -> String {
    try_t(lang, &format!("touchpoint.{code}")).map_or(code, str::to_owned)
}

/// Writes a number's ASCII form in the language's digits.
pub fn digits_in(lang: Lang, ascii: &str) -> String {
    match lang {
        Lang::En => ascii.to_owned(),
        Lang::Fa => digits::to_persian(ascii),
    }
}

/// A whole number with thousands grouped: `12,345` in English, `۱۲٬۳۴۵` in Persian.
pub fn int(lang: Lang, n: u64) -> String {
    let s = n.to_string();
    let sep = match lang {
        Lang::En => ',',
        Lang::Fa => '٬',
    };
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    digits_in(lang, &out)
}

/// A whole number that may be negative, in the language's digits, without separators.
pub fn int_signed(lang: Lang, n: i64) -> String {
    signed(lang, digits_in(lang, &n.to_string()))
}

/// Wraps text of unknown or the other direction (a file name, the other language's name) so it
/// cannot reorder the sentence around it (U+2068 … U+2069, invisible).
pub fn isolate(text: &str) -> String {
    format!("\u{2068}{text}\u{2069}")
}

/// A negative number in right-to-left text keeps its minus sign in front: the number is
/// isolated as left-to-right (U+2066 … U+2069, invisible).
fn signed(lang: Lang, text: String) -> String {
    if lang == Lang::Fa && text.starts_with('-') {
        format!("\u{2066}{text}\u{2069}")
    } else {
        text
    }
}

/// A decimal with `places` digits after the point (`٫` in Persian).
pub fn decimal(lang: Lang, value: f64, places: usize) -> String {
    let s = format!("{value:.places$}");
    match lang {
        Lang::En => s,
        Lang::Fa => signed(lang, digits::to_persian(&s.replace('.', "٫"))),
    }
}

/// A calendar day: Gregorian in English (`24 November 2026`), Jalali in Persian (`۳ آذر ۱۴۰۵`).
pub fn date(lang: Lang, day: NaiveDate) -> String {
    let (d, m, y) = match lang {
        Lang::En => (day.day(), format!("month.g.{}", day.month()), day.year()),
        Lang::Fa => match JalaliDate::from_gregorian(day) {
            Some(j) => (j.day, format!("month.j.{}", j.month), j.year),
            None => return digits_in(lang, &day.format("%Y-%m-%d").to_string()),
        },
    };
    tf(
        lang,
        "date.format",
        &[
            ("day", digits_in(lang, &d.to_string())),
            ("month", t(lang, &m).to_owned()),
            ("year", digits_in(lang, &y.to_string())),
        ],
    )
}

/// A reporting period named in the language's calendar, from its first day: `November 2026`,
/// `Q4 2026` or `Week of 23 November 2026` in English; `آذر ۱۴۰۵`, `پاییز ۱۴۰۵` (quarters are
/// the seasons) or `هفتهٔ ۱ آذر ۱۴۰۵` in Persian.
pub fn period(lang: Lang, start: NaiveDate, span: Span) -> String {
    let (prefix, month, year) = match (lang, JalaliDate::from_gregorian(start)) {
        (Lang::Fa, Some(j)) => ("j", j.month, j.year),
        (Lang::Fa, None) => return date(lang, start),
        (Lang::En, _) => ("g", start.month(), start.year()),
    };
    let year = digits_in(lang, &year.to_string());
    let q = (month - 1) / 3 + 1;
    match span {
        Span::Week => tf(lang, "period.week.format", &[("date", date(lang, start))]),
        Span::Month => tf(
            lang,
            "period.month.format",
            &[
                (
                    "month",
                    t(lang, &format!("month.{prefix}.{month}")).to_owned(),
                ),
                ("year", year),
            ],
        ),
        Span::Quarter => tf(
            lang,
            "period.quarter.format",
            &[
                ("quarter", t(lang, &format!("quarter.{q}")).to_owned()),
                ("year", year),
            ],
        ),
    }
}

/// A moment, shown in the device's time zone (`offset`).
pub fn datetime(lang: Lang, at: DateTime<Utc>, offset: FixedOffset) -> String {
    let local = at.with_timezone(&offset);
    let time = digits_in(lang, &format!("{:02}:{:02}", local.hour(), local.minute()));
    tf(
        lang,
        "datetime.format",
        &[("date", date(lang, local.date_naive())), ("time", time)],
    )
}

/// A day as typed in the language's calendar: `1405/09/03` (Jalali) in Persian, `2026-11-24`
/// in English. Persian and Arabic digits are accepted, and `/`, `-` or `.` between the parts.
/// A year below 1700 is read as Jalali and one above as Gregorian, in either language, since no
/// year of one calendar in use today looks like a year of the other; a day outside 1900–2199 is
/// refused as a slip.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let text = digits::normalize(input);
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).map(str::trim).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let day = if y < 1700 {
        JalaliDate::new(y, m, d)?.to_gregorian()?
    } else {
        NaiveDate::from_ymd_opt(y, m, d)?
    };
    // Days this far off are typing slips, not dates anyone records.
    (1900..2200).contains(&day.year()).then_some(day)
}

/// A day written the way [`parse_date`] reads it back.
pub fn date_input(lang: Lang, day: NaiveDate) -> String {
    match (lang, JalaliDate::from_gregorian(day)) {
        (Lang::Fa, Some(j)) => {
            digits::to_persian(&format!("{:04}/{:02}/{:02}", j.year, j.month, j.day))
        }
        _ => day.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_each_languages_digits_and_separators() {
        assert_eq!(int(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(int(Lang::Fa, 1_234_567), "۱٬۲۳۴٬۵۶۷");
        assert_eq!(int(Lang::En, 999), "999");
        assert_eq!(decimal(Lang::Fa, 4.25, 1), "۴٫۲");
        assert_eq!(decimal(Lang::Fa, -55.0, 0), "\u{2066}-۵۵\u{2069}");
        assert_eq!(int_signed(Lang::En, -3), "-3");
    }

    #[test]
    fn every_counted_word_follows_its_own_number() {
        let nps = |p: u64, m: u64, d: u64| {
            tf(
                Lang::En,
                "dash.nps.note",
                &[
                    ("p", int(Lang::En, p)),
                    ("m", int(Lang::En, m)),
                    ("d", int(Lang::En, d)),
                ],
            )
        };
        assert_eq!(nps(1, 1, 1), "1 promoter, 1 passive, 1 detractor");
        assert_eq!(nps(2, 0, 11), "2 promoters, 0 passives, 11 detractors");
        assert_eq!(
            tf(Lang::En, "kiosk.next", &[("n", int(Lang::En, 1))]),
            "A fresh card opens in 1 second."
        );
        assert_eq!(
            tf(Lang::Fa, "kiosk.next", &[("n", int(Lang::Fa, 1))]),
            tf(Lang::Fa, "kiosk.next", &[("n", "۱".into())])
        );
    }

    #[test]
    fn a_count_of_one_takes_the_singular_where_the_language_has_one() {
        let n = |lang, v: u64| tf(lang, "cust.count", &[("n", int(lang, v))]);
        assert_eq!(n(Lang::En, 1), "1 customer shown");
        assert_eq!(n(Lang::En, 0), "0 customers shown");
        assert_eq!(n(Lang::En, 11), "11 customers shown");
        assert_eq!(n(Lang::Fa, 1), "۱ مشتری نمایش داده شده");
        // Only the count `n` decides; other numbers do not.
        assert_eq!(
            tf(
                Lang::En,
                "fb.summary",
                &[("n", "2".into()), ("late", "1".into())]
            ),
            "2 items match, 1 overdue"
        );
    }

    #[test]
    fn dates_are_gregorian_in_english_and_jalali_in_persian() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(date(Lang::En, d), "24 November 2026");
        assert_eq!(date(Lang::Fa, d), "۳ آذر ۱۴۰۵");
    }

    #[test]
    fn periods_are_named_in_each_languages_calendar() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            period(Lang::En, day(2026, 11, 1), Span::Month),
            "November 2026"
        );
        assert_eq!(period(Lang::Fa, day(2026, 11, 22), Span::Month), "آذر ۱۴۰۵");
        assert_eq!(period(Lang::En, day(2026, 10, 1), Span::Quarter), "Q4 2026");
        // 1 Mehr 1405, the first day of autumn.
        assert_eq!(
            period(Lang::Fa, day(2026, 9, 23), Span::Quarter),
            "پاییز ۱۴۰۵"
        );
        // 1 Farvardin 1406 opens a new year and a new spring.
        assert_eq!(
            period(Lang::Fa, day(2027, 3, 21), Span::Quarter),
            "بهار ۱۴۰۶"
        );
        assert_eq!(
            period(Lang::En, day(2026, 11, 23), Span::Week),
            "Week of 23 November 2026"
        );
        assert_eq!(
            period(Lang::Fa, day(2026, 11, 21), Span::Week),
            "هفتهٔ ۳۰ آبان ۱۴۰۵"
        );
    }

    #[test]
    fn times_are_shown_in_the_devices_time_zone() {
        let at = DateTime::parse_from_rfc3339("2026-03-20T21:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let tehran = FixedOffset::east_opt(3 * 3600 + 1800).unwrap();
        // 00:30 on 21 March in Tehran: already Nowruz 1405.
        assert_eq!(datetime(Lang::Fa, at, tehran), "۱ فروردین ۱۴۰۵، ساعت ۰۰:۳۰");
        assert_eq!(
            datetime(Lang::En, at, FixedOffset::east_opt(0).unwrap()),
            "20 March 2026, 21:00"
        );
    }

    #[test]
    fn typed_dates_are_read_in_the_languages_calendar() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(parse_date("۱۴۰۵/۰۹/۰۳"), Some(d));
        assert_eq!(parse_date("1405-9-3"), Some(d));
        assert_eq!(parse_date("2026/11/24"), Some(d));
        assert_eq!(parse_date("2026-11-24"), Some(d));
        assert_eq!(parse_date("٢٠٢٦-١١-٢٤"), Some(d));
        assert_eq!(parse_date("1404/12/30"), None);
        assert_eq!(parse_date("24/11"), None);
        // Either calendar in either language; years far from ours are slips.
        assert_eq!(parse_date("1405/09/03"), Some(d));
        assert_eq!(parse_date("0026-11-24"), None);
        assert_eq!(parse_date("20266-11-24"), None);
        for lang in Lang::ALL {
            assert_eq!(parse_date(&date_input(lang, d)), Some(d));
        }
        assert_eq!(date_input(Lang::Fa, d), "۱۴۰۵/۰۹/۰۳");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(tf(Lang::En, "fb.hours", &[("h", "3".into())]), "3 h");
    }

    #[test]
    fn browser_language_picks_persian_only_for_fa() {
        assert_eq!(Lang::from_browser("fa-IR"), Lang::Fa);
        assert_eq!(Lang::from_browser("en-US"), Lang::En);
        assert_eq!(Lang::from_browser("ar"), Lang::En);
    }
}
