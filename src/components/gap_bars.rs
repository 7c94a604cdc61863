//! Horizontal bars of gaps (desired − current) per dimension, in SVG: a bar grows from zero
//! towards the reading direction's end for a gap, and the other way when a dimension is already
//! above its target. The figures are in the table the chart points to.

use leptos::prelude::*;

use crate::{
    i18n::{self, Lang},
    state::use_state,
};

/// One bar: its name and its gap, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub gap: Option<f64>,
}

const WIDTH: f64 = 560.0;
const LABEL: f64 = 170.0;
const ROW: f64 = 34.0;
/// Gaps run from −6 to 6 on a 1–7 scale; the chart shows −2 … 6, widening for larger negatives.
const SPAN_MAX: f64 = 6.0;

/// Where a value falls along the bar area, measured from the start of the reading direction.
fn along(value: f64, low: f64) -> f64 {
    let area = WIDTH - LABEL - 40.0;
    LABEL + (value - low) / (SPAN_MAX - low) * area
}

/// Gap bars, in the order given.
#[component]
pub fn GapBars(
    #[prop(into)] bars: Signal<Vec<Bar>>,
    /// Id of the table that holds the same figures.
    table_id: &'static str,
) -> impl IntoView {
    let state = use_state();
    let body = move || {
        let bars = bars.get();
        let lang = state.lang.get();
        // Mirror along the width in right-to-left reading.
        let x = move |v: f64| if lang == Lang::Fa { WIDTH - v } else { v };
        let low = bars
            .iter()
            .filter_map(|b| b.gap)
            .fold(-2.0f64, f64::min)
            .floor()
            .max(-SPAN_MAX);
        let zero = along(0.0, low);
        let height = ROW * bars.len() as f64 + 30.0;
        let grid = ((low as i32)..=(SPAN_MAX as i32))
            .map(|v| {
                let gx = x(along(f64::from(v), low));
                let class = if v == 0 { "axis" } else { "grid" };
                view! {
                    <line class=class x1=format!("{gx:.1}") x2=format!("{gx:.1}") y1="0" y2=format!("{:.1}", height - 22.0)></line>
                    <text class="tick" x=format!("{gx:.1}") y=format!("{:.1}", height - 6.0) text-anchor="middle">
                        {i18n::digits_in(lang, &v.to_string())}
                    </text>
                }
            })
            .collect_view();
        let rows = bars
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let y = ROW * i as f64 + 6.0;
                let label_x = x(LABEL - 10.0);
                let anchor = if lang == Lang::Fa { "start" } else { "end" };
                let bar = b.gap.map(|g| {
                    let (a, z) = (x(zero), x(along(g, low)));
                    let (left, width) = (a.min(z), (a - z).abs());
                    let class = if g < 0.0 { "bar above" } else { "bar" };
                    // The figure sits just past the bar's end, on the side it grows towards.
                    let outward = if (z - a).abs() < 0.5 { x(1.0) - x(0.0) } else { z - a };
                    let (value_x, value_anchor) =
                        if outward > 0.0 { (z + 6.0, "start") } else { (z - 6.0, "end") };
                    view! {
                        <rect class=class x=format!("{left:.1}") y=format!("{y:.1}") width=format!("{:.1}", width.max(1.5)) height="20" rx="3"></rect>
                        <text class="value" x=format!("{value_x:.1}") y=format!("{:.1}", y + 15.0) text-anchor=value_anchor>
                            {i18n::decimal(lang, g, 1)}
                        </text>
                    }
                });
                view! {
                    <text class="label" x=format!("{label_x:.1}") y=format!("{:.1}", y + 15.0) text-anchor=anchor>
                        {b.label}
                    </text>
                    {bar}
                }
            })
            .collect_view();
        (height, view! { {grid} {rows} })
    };
    view! {
        <figure class="chart">
            {move || {
                let (height, content) = body();
                view! {
                    <svg
                        class="bars"
                        viewBox=format!("0 0 {WIDTH} {height:.0}")
                        role="img"
                        aria-label=move || state.t("chart.gaps")
                        aria-describedby=table_id
                        direction="ltr"
                    >
                        {content}
                    </svg>
                }
            }}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_the_largest_gap_fall_inside_the_bar_area() {
        let zero = along(0.0, -2.0);
        assert!(zero > LABEL && zero < WIDTH);
        assert!((along(SPAN_MAX, -2.0) - (WIDTH - 40.0)).abs() < 1e-9);
        assert!((along(-2.0, -2.0) - LABEL).abs() < 1e-9);
    }
}
