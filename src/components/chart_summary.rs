//! One or two sentences that say what a chart shows, for readers who cannot see it and for
//! anyone who wants the gist: the highest and lowest bars, where each line starts, ends and
//! peaks. Every chart shows its summary under it and points to it with `aria-describedby`.

use crate::i18n::{self, Lang};

use super::{bar_chart::Bar, trend_chart::Series};

/// The id of the summary of the chart named by the locale key `label` (unique on a screen).
pub fn id(label: &str) -> String {
    format!("{}-summary", label.replace('.', "-"))
}

fn value(lang: Lang, v: f64, places: usize, unit: &str) -> String {
    format!("{}{unit}", i18n::decimal(lang, v, places))
}

/// The names holding the extreme value (more than one when tied), and that value.
fn extreme<'a>(
    points: &[(&'a str, f64)],
    better: impl Fn(f64, f64) -> bool,
) -> Option<(Vec<&'a str>, f64)> {
    let mut best: Option<(Vec<&str>, f64)> = None;
    for &(name, v) in points {
        match &mut best {
            Some((names, b)) if (v - *b).abs() < 1e-9 => names.push(name),
            Some((_, b)) if !better(v, *b) => {}
            _ => best = Some((vec![name], v)),
        }
    }
    best
}

fn names(lang: Lang, names: &[&str]) -> String {
    names.join(i18n::t(lang, "list.separator"))
}

/// Highest and lowest of a set of bars; ties name every bar that shares the value.
pub fn bars(lang: Lang, bars: &[Bar], places: usize, unit: &str) -> String {
    let points: Vec<(&str, f64)> = bars
        .iter()
        .filter_map(|b| Some((b.label.as_str(), b.gap?)))
        .collect();
    let (Some((high, hv)), Some((low, lv))) = (
        extreme(&points, |a, b| a > b),
        extreme(&points, |a, b| a < b),
    ) else {
        return i18n::t(lang, "chart.summary.empty").to_owned();
    };
    if points.len() == 1 {
        return i18n::tf(
            lang,
            "chart.summary.single",
            &[
                ("name", high.join("")),
                ("value", value(lang, hv, places, unit)),
            ],
        );
    }
    if (hv - lv).abs() < 1e-9 {
        return i18n::tf(
            lang,
            "chart.summary.level",
            &[
                ("names", names(lang, &high)),
                ("value", value(lang, hv, places, unit)),
            ],
        );
    }
    i18n::tf(
        lang,
        "chart.summary.bars",
        &[
            ("high", names(lang, &high)),
            ("high_value", value(lang, hv, places, unit)),
            ("low", names(lang, &low)),
            ("low_value", value(lang, lv, places, unit)),
        ],
    )
}

/// Per line: its first and last values with their periods, and its peak. Lines that run
/// exactly alike are told once, with all their names.
pub fn trend(lang: Lang, dates: &[String], series: &[Series], places: usize) -> String {
    let mut groups: Vec<(Vec<&str>, &Series)> = Vec::new();
    for s in series {
        match groups
            .iter_mut()
            .find(|(_, g)| g.values == s.values && g.unit == s.unit)
        {
            Some((names, _)) => names.push(&s.label),
            None => groups.push((vec![&s.label], s)),
        }
    }
    let lines: Vec<String> = groups
        .iter()
        .map(|(labels, s)| {
            let label = names(lang, labels);
            let points: Vec<(&str, f64)> = s
                .values
                .iter()
                .zip(dates)
                .filter_map(|(v, d)| Some((d.as_str(), (*v)?)))
                .collect();
            let v = |x| value(lang, x, places, s.unit);
            match (
                points.first(),
                points.last(),
                extreme(&points, |a, b| a > b),
            ) {
                (Some(first), Some(last), Some((peak, pv))) if points.len() > 1 => i18n::tf(
                    lang,
                    "chart.summary.line",
                    &[
                        ("series", label),
                        ("first", v(first.1)),
                        ("first_at", first.0.to_owned()),
                        ("last", v(last.1)),
                        ("last_at", last.0.to_owned()),
                        ("peak", v(pv)),
                        ("peak_at", names(lang, &peak)),
                    ],
                ),
                (Some(only), ..) => i18n::tf(
                    lang,
                    "chart.summary.point",
                    &[
                        ("series", label),
                        ("value", v(only.1)),
                        ("at", only.0.to_owned()),
                    ],
                ),
                _ => i18n::tf(lang, "chart.summary.no_line", &[("series", label)]),
            }
        })
        .collect();
    if lines.is_empty() {
        return i18n::t(lang, "chart.summary.empty").to_owned();
    }
    lines.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, gap: Option<f64>) -> Bar {
        Bar {
            label: label.into(),
            gap,
        }
    }

    #[test]
    fn bars_name_the_highest_and_lowest_with_ties_and_skip_missing_values() {
        let set = [
            bar("Reliability", Some(1.5)),
            bar("Assurance", Some(0.25)),
            bar("Tangibles", None),
            bar("Empathy", Some(1.5)),
        ];
        assert_eq!(
            bars(Lang::En, &set, 2, ""),
            "Highest: Reliability, Empathy (1.50). Lowest: Assurance (0.25)."
        );
        assert_eq!(
            bars(
                Lang::En,
                &[bar("A", Some(3.0)), bar("B", Some(3.0))],
                0,
                "%"
            ),
            "A, B: 3% each."
        );
        assert_eq!(
            bars(Lang::En, &[bar("A", None), bar("B", Some(3.2))], 2, ""),
            "Only B has a figure: 3.20."
        );
        assert_eq!(
            bars(Lang::En, &[bar("A", None)], 0, ""),
            "No figures to show yet."
        );
        assert_eq!(
            bars(
                Lang::Fa,
                &[bar("همدلی", Some(4.0)), bar("اطمینان", Some(2.0))],
                1,
                ""
            ),
            "بیشترین: همدلی (۴٫۰). کمترین: اطمینان (۲٫۰)."
        );
    }

    #[test]
    fn lines_give_their_start_end_and_peak_over_the_points_they_have() {
        let dates: Vec<String> = ["Sep", "Oct", "Nov", "Dec"].map(String::from).into();
        let series = [
            Series {
                label: "CSAT".into(),
                values: vec![None, Some(60.0), Some(80.0), Some(70.0)],
                unit: "%",
            },
            Series {
                label: "NPS".into(),
                values: vec![None, None, Some(12.0), None],
                unit: "",
            },
            Series {
                label: "Empty".into(),
                values: vec![None; 4],
                unit: "",
            },
            Series {
                label: "Also empty".into(),
                values: vec![None; 4],
                unit: "",
            },
        ];
        assert_eq!(
            trend(Lang::En, &dates, &series, 0),
            "CSAT: from 60% in Oct to 70% in Dec; highest 80% in Nov. NPS: 12 in Nov. \
             Empty, Also empty: not enough answers in any period."
        );
    }
}
