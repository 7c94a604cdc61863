//! Lines over time in SVG: one line per series (a dimension's gap), one point per date. Time
//! runs in the reading direction. The figures are in the table the chart points to.

use leptos::prelude::*;

use super::chart_summary;
use crate::{
    i18n::{self, Lang},
    state::use_state,
};

/// One line: its name and a value (or none) per point in time.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
    /// What follows each figure in the summary (`%`), if anything.
    pub unit: &'static str,
}

/// Height of the plot (CSS px); positions along the width are percentages, so the chart fills
/// any width and its text keeps its size on a phone.
const HEIGHT: f64 = 240.0;
const PAD_Y: f64 = 20.0;
/// The plot's ends, in percent of the width (room for the value axis and the end dates).
const FROM: f64 = 8.0;
const TO: f64 = 94.0;
const COLOURS: usize = 6;

/// The mark of series `k` at the origin: each series has its own shape as well as its own
/// colour and dash pattern, so no line is told apart by colour alone.
fn marker(k: usize) -> impl IntoView {
    const SHAPES: [&str; COLOURS] = [
        "",
        "-4,-4 4,-4 4,4 -4,4",
        "0,-5 5,4 -5,4",
        "0,-5 5,0 0,5 -5,0",
        "-5,-4 5,-4 0,5",
        "-2,-5 2,-5 2,-2 5,-2 5,2 2,2 2,5 -2,5 -2,2 -5,2 -5,-2 -2,-2",
    ];
    match SHAPES[k % COLOURS] {
        "" => view! { <circle r="4"></circle> }.into_any(),
        points => view! { <polygon points=points></polygon> }.into_any(),
    }
}

fn pct(v: f64) -> String {
    format!("{v:.2}%")
}

/// Lines over the given dates (already in order).
#[component]
pub fn TrendChart(
    /// The label of each point in time, oldest first.
    #[prop(into)]
    dates: Signal<Vec<String>>,
    #[prop(into)] series: Signal<Vec<Series>>,
    /// Id of the table that holds the same figures.
    table_id: &'static str,
    /// Locale key of the chart's name.
    label: &'static str,
    /// Decimal places of the figures in the summary.
    places: usize,
) -> impl IntoView {
    let state = use_state();
    let summary_id = chart_summary::id(label);
    let described_by = format!("{summary_id} {table_id}");
    let summary = move || {
        dates.with(|d| series.with(|s| chart_summary::trend(state.lang.get(), d, s, places)))
    };
    let body = move || {
        let dates = dates.get();
        let series = series.get();
        let lang = state.lang.get();
        let rtl = lang == Lang::Fa;
        let values = series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied());
        let (low, high) = values.fold((0.0f64, 1.0f64), |(l, h), v| (l.min(v), h.max(v)));
        let (low, high) = (low.floor(), high.ceil());
        let n = dates.len().max(1);
        // Time runs in the reading direction.
        let x = move |i: usize| {
            let t = if n == 1 {
                0.5
            } else {
                i as f64 / (n - 1) as f64
            };
            let p = FROM + t * (TO - FROM);
            if rtl {
                100.0 - p
            } else {
                p
            }
        };
        let bottom = HEIGHT - 2.0 * PAD_Y;
        let y = move |v: f64| PAD_Y + (high - v) / (high - low) * (bottom - PAD_Y);
        let (axis_x, axis_anchor) = if rtl { ("100%", "end") } else { ("0", "start") };
        let step = super::bar_chart::step(low, high);
        let grid = ((low / step).ceil() as i64..=(high / step).floor() as i64)
            .map(|k| {
                let v = k as f64 * step;
                let gy = format!("{:.1}", y(v));
                let class = if v == 0.0 { "axis" } else { "grid" };
                view! {
                    <line class=class x1=pct(FROM.min(100.0 - TO)) x2=pct(TO.max(100.0 - FROM)) y1=gy.clone() y2=gy.clone()></line>
                    <text class="tick" x=axis_x y=gy dy="4" text-anchor=axis_anchor>
                        {i18n::int_signed(lang, v as i64)}
                    </text>
                }
            })
            .collect_view();
        let ticks = dates
            .iter()
            .enumerate()
            .map(|(i, d)| {
                // The end dates lean inwards so they stay on the chart. Each reads in the
                // language's direction, where the first date's start faces the chart's edge.
                let anchor = if n == 1 || (i > 0 && i + 1 < n) {
                    "middle"
                } else if i == 0 {
                    "start"
                } else {
                    "end"
                };
                view! {
                    <text class="tick" x=pct(x(i)) y=HEIGHT - 8.0 direction=lang.dir() text-anchor=anchor>
                        {d.clone()}
                    </text>
                }
            })
            .collect_view();
        let lines = series
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let class = format!("line c{}", k % COLOURS);
                let points: Vec<(f64, f64)> = s
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| (x(i), y(v))))
                    .collect();
                let segments = points
                    .windows(2)
                    .map(|w| {
                        view! {
                            <line x1=pct(w[0].0) y1=format!("{:.1}", w[0].1) x2=pct(w[1].0) y2=format!("{:.1}", w[1].1)></line>
                        }
                    })
                    .collect_view();
                let dots = points
                    .iter()
                    .map(|(px, py)| {
                        view! {
                            <svg x=pct(*px) y=format!("{py:.1}") overflow="visible">
                                {marker(k)}
                            </svg>
                        }
                    })
                    .collect_view();
                view! { <g class=class>{segments}{dots}</g> }
            })
            .collect_view();
        view! { {grid} {ticks} {lines} }
    };
    let legend = move || {
        series
            .get()
            .into_iter()
            .enumerate()
            .map(|(k, s)| {
                view! {
                    <span class="legend-item">
                        <svg class=format!("key-line c{}", k % COLOURS) width="30" height="12" aria-hidden="true">
                            <line x1="1" y1="6" x2="29" y2="6"></line>
                            <svg x="15" y="6" overflow="visible">{marker(k)}</svg>
                        </svg>
                        {s.label}
                    </span>
                }
            })
            .collect_view()
    };
    view! {
        <figure class="chart">
            <svg
                class="trend"
                height=HEIGHT
                role="img"
                aria-label=move || state.t(label)
                aria-describedby=described_by
                direction="ltr"
            >
                {body}
            </svg>
            <figcaption class="legend">{legend}</figcaption>
            <p class="chart-summary" id=summary_id>{summary}</p>
        </figure>
    }
}
