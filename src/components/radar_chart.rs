//! A radar chart of two series on a 1–7 scale (current and desired per dimension), drawn in SVG.
//! The figures themselves are in a table the chart points to, for readers who cannot see it.

use leptos::prelude::*;

use super::{bar_chart::Bar, chart_summary};
use crate::{i18n, state::use_state};

/// One spoke of the radar: its name and the two values (absent when not rated).
#[derive(Clone, Debug, PartialEq)]
pub struct Spoke {
    pub label: String,
    pub current: Option<f64>,
    pub desired: Option<f64>,
}

const SIZE: f64 = 360.0;
const CENTRE: f64 = SIZE / 2.0;
const RADIUS: f64 = 118.0;
const MAX: f64 = 7.0;

/// The point of spoke `i` of `n` at `value` (0 at the centre, 7 on the rim). The first spoke
/// points up; the rest follow clockwise.
fn point(i: usize, n: usize, value: f64) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    let r = RADIUS * value.clamp(0.0, MAX) / MAX;
    (CENTRE + r * angle.cos(), CENTRE + r * angle.sin())
}

/// A spoke's name on one line, or on two split at the space nearest the middle when long.
fn wrap(label: &str) -> Vec<String> {
    const LONG: usize = 16;
    if label.chars().count() <= LONG {
        return vec![label.to_owned()];
    }
    let middle = label.len() / 2;
    label
        .match_indices(' ')
        .map(|(i, _)| i)
        .min_by_key(|i| i.abs_diff(middle))
        .map(|i| vec![label[..i].to_owned(), label[i + 1..].to_owned()])
        .unwrap_or_else(|| vec![label.to_owned()])
}

fn polygon(points: impl Iterator<Item = (f64, f64)>) -> String {
    points
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Current against desired, one spoke per dimension.
#[component]
pub fn RadarChart(
    #[prop(into)] spokes: Signal<Vec<Spoke>>,
    /// Id of the table that holds the same figures.
    table_id: &'static str,
) -> impl IntoView {
    let state = use_state();
    let summary_id = chart_summary::id("chart.radar");
    let described_by = format!("{summary_id} {table_id}");
    let summary = move || {
        let lang = state.lang.get();
        spokes.with(|spokes| {
            [
                (
                    "assess.current",
                    spokes.iter().map(|s| s.current).collect::<Vec<_>>(),
                ),
                ("assess.desired", spokes.iter().map(|s| s.desired).collect()),
            ]
            .map(|(key, values)| {
                let bars: Vec<Bar> = spokes
                    .iter()
                    .zip(values)
                    .map(|(s, gap)| Bar {
                        label: s.label.clone(),
                        gap,
                    })
                    .collect();
                i18n::tf(
                    lang,
                    "chart.series.format",
                    &[
                        ("series", i18n::t(lang, key).to_owned()),
                        ("summary", chart_summary::bars(lang, &bars, 2, "")),
                    ],
                )
            })
            .join(" ")
        })
    };
    let body = move || {
        let spokes = spokes.get();
        let n = spokes.len().max(3);
        let lang = state.lang.get();
        let rings = (1..=7)
            .map(|v| {
                let ring = polygon((0..n).map(|i| point(i, n, f64::from(v))));
                view! { <polygon class="grid" points=ring></polygon> }
            })
            .collect_view();
        let axes = (0..n)
            .map(|i| {
                let (x, y) = point(i, n, MAX);
                view! { <line class="grid" x1=CENTRE y1=CENTRE x2=format!("{x:.1}") y2=format!("{y:.1}")></line> }
            })
            .collect_view();
        let labels = spokes
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (x, y) = point(i, n, MAX + 1.1);
                let anchor = if (x - CENTRE).abs() < 4.0 {
                    "middle"
                } else if x > CENTRE {
                    "start"
                } else {
                    "end"
                };
                let lines = wrap(&s.label);
                // Labels above the centre grow upwards, so their last line sits by the spoke.
                let first_dy = if y < CENTRE {
                    -(lines.len() as f64 - 1.0) * 17.0
                } else {
                    0.0
                };
                let tx = format!("{x:.1}");
                let spans = lines
                    .into_iter()
                    .enumerate()
                    .map(|(k, line)| {
                        let dy = if k == 0 { first_dy } else { 17.0 };
                        view! { <tspan x=tx.clone() dy=format!("{dy:.0}")>{line}</tspan> }
                    })
                    .collect_view();
                // On a phone the names would shrink below 12 px with the chart: each spoke
                // shows its number instead, and the key under the chart names it.
                let (nx, ny) = point(i, n, MAX + 0.9);
                view! {
                    <text class="label" y=format!("{:.1}", y + 5.0) text-anchor=anchor>
                        {spans}
                    </text>
                    <text class="label-num" x=format!("{nx:.1}") y=format!("{:.1}", ny + 10.0) text-anchor="middle">
                        {i18n::digits_in(lang, &(i + 1).to_string())}
                    </text>
                }
            })
            .collect_view();
        let series = |f: fn(&Spoke) -> Option<f64>| {
            polygon(
                spokes
                    .iter()
                    .enumerate()
                    .map(|(i, s)| point(i, n, f(s).unwrap_or(0.0))),
            )
        };
        let ticks = [1u8, 4, 7]
            .into_iter()
            .map(|v| {
                let (x, y) = point(0, n, f64::from(v));
                view! {
                    <text class="tick" x=format!("{:.1}", x + 5.0) y=format!("{:.1}", y + 12.0)>
                        {i18n::digits_in(lang, &v.to_string())}
                    </text>
                }
            })
            .collect_view();
        view! {
            {rings}
            {axes}
            <polygon class="series desired" points=series(|s| s.desired)></polygon>
            <polygon class="series current" points=series(|s| s.current)></polygon>
            {ticks}
            {labels}
        }
    };
    view! {
        <figure class="chart">
            <svg
                class="radar"
                viewBox=format!("-80 24 {} {}", SIZE + 160.0, SIZE - 44.0)
                role="img"
                aria-label=move || state.t("chart.radar")
                aria-describedby=described_by
                direction="ltr"
            >
                {body}
            </svg>
            <ol class="radar-key" aria-hidden="true">
                {move || {
                    let lang = state.lang.get();
                    spokes
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, s)| {
                            view! {
                                <li>
                                    <span class="num">{i18n::digits_in(lang, &(i + 1).to_string())}</span>
                                    " "
                                    <span dir="auto">{s.label}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <figcaption class="legend">
                <span class="key current"></span>
                {move || state.t("assess.current")}
                <span class="key desired"></span>
                {move || state.t("assess.desired")}
            </figcaption>
            <p class="chart-summary" id=summary_id>{summary}</p>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_spoke_points_up_and_values_scale_to_the_rim() {
        let (x, y) = point(0, 5, MAX);
        assert!((x - CENTRE).abs() < 1e-9);
        assert!((y - (CENTRE - RADIUS)).abs() < 1e-9);
        assert_eq!(point(3, 5, 0.0), (CENTRE, CENTRE));
        // Out-of-range values stay on the chart.
        assert_eq!(wrap("Empathy"), ["Empathy"]);
        assert_eq!(
            wrap("Reliability: standards with guarantees"),
            ["Reliability: standards", "with guarantees"]
        );
        assert_eq!(point(0, 5, 12.0), point(0, 5, MAX));
    }
}
