//! Lines over time in SVG: one line per series (a dimension's gap), one point per date. Time
//! runs in the reading direction. The figures are in the table the chart points to.

use leptos::prelude::*;

use crate::{
    i18n::{self, Lang},
    state::use_state,
};

/// One line: its name and a value (or none) per point in time.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 240.0;
const PAD: f64 = 36.0;
const COLOURS: usize = 6;

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
) -> impl IntoView {
    let state = use_state();
    let body = move || {
        let dates = dates.get();
        let series = series.get();
        let lang = state.lang.get();
        let values = series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied());
        let (mut low, mut high) = values.fold((0.0f64, 1.0f64), |(l, h), v| (l.min(v), h.max(v)));
        low = low.floor();
        high = high.ceil();
        let n = dates.len().max(1);
        let x = move |i: usize| {
            let t = if n == 1 {
                0.5
            } else {
                i as f64 / (n - 1) as f64
            };
            let v = PAD + t * (WIDTH - 2.0 * PAD);
            if lang == Lang::Fa {
                WIDTH - v
            } else {
                v
            }
        };
        let y = move |v: f64| HEIGHT - PAD - (v - low) / (high - low) * (HEIGHT - 2.0 * PAD);
        let grid = ((low as i32)..=(high as i32))
            .map(|v| {
                let gy = y(f64::from(v));
                let class = if v == 0 { "axis" } else { "grid" };
                let tick_x = if lang == Lang::Fa { WIDTH - 6.0 } else { 6.0 };
                view! {
                    <line class=class x1=PAD x2=WIDTH - PAD y1=format!("{gy:.1}") y2=format!("{gy:.1}")></line>
                    <text class="tick" x=tick_x y=format!("{:.1}", gy + 4.0) text-anchor="middle">
                        {i18n::digits_in(lang, &v.to_string())}
                    </text>
                }
            })
            .collect_view();
        let ticks = dates
            .iter()
            .enumerate()
            .map(|(i, d)| {
                // The end labels lean inwards so long dates stay on the chart.
                let left = x(i) < WIDTH / 2.0;
                let anchor = match (i == 0 || i + 1 == n, left) {
                    (false, _) => "middle",
                    (true, true) if n > 1 => "start",
                    (true, false) if n > 1 => "end",
                    _ => "middle",
                };
                let tx = match anchor {
                    "start" => x(i) - 8.0,
                    "end" => x(i) + 8.0,
                    _ => x(i),
                };
                view! {
                    <text class="tick" x=format!("{tx:.1}") y=HEIGHT - 10.0 text-anchor=anchor>
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
                let path = points
                    .iter()
                    .map(|(px, py)| format!("{px:.1},{py:.1}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let dots = points
                    .iter()
                    .map(|(px, py)| view! { <circle cx=format!("{px:.1}") cy=format!("{py:.1}") r="3.5"></circle> })
                    .collect_view();
                view! {
                    <g class=class>
                        <polyline points=path></polyline>
                        {dots}
                    </g>
                }
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
                        <span class=format!("key c{}", k % COLOURS)></span>
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
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=move || state.t(label)
                aria-describedby=table_id
                direction="ltr"
            >
                {body}
            </svg>
            <figcaption class="legend">{legend}</figcaption>
        </figure>
    }
}
