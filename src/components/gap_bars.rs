//! Horizontal bars of gaps (desired − current) per dimension, in SVG: each dimension's name on
//! its own line, its bar below, growing from zero towards the reading direction's end for a gap
//! and the other way when the dimension is already above its target. Positions along the width
//! are percentages, so the chart fills any width and its text keeps its size on a phone. The
//! figures are in the table the chart points to.

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

/// Height of one dimension: its name, then its bar (CSS px).
const ROW: f64 = 46.0;
const BAR: f64 = 16.0;
/// Gaps on a 1–7 scale run from −6 to 6; the axis shows at least −2 … 6.
const HIGH: f64 = 6.0;
/// Where the bar area starts and ends, in percent of the width (room for the figures).
const FROM: f64 = 3.0;
const TO: f64 = 90.0;

/// Where a value falls along the bar area, in percent from the start of the reading direction.
fn along(value: f64, low: f64) -> f64 {
    FROM + (value.clamp(low, HIGH) - low) / (HIGH - low) * (TO - FROM)
}

/// The lowest value the axis shows: −2, or lower to fit a larger negative gap.
fn axis_low(bars: &[Bar]) -> f64 {
    bars.iter()
        .filter_map(|b| b.gap)
        .fold(-2.0f64, f64::min)
        .floor()
        .max(-HIGH)
}

fn pct(v: f64) -> String {
    format!("{v:.2}%")
}

/// Gap bars, in the order given.
#[component]
pub fn GapBars(
    #[prop(into)] bars: Signal<Vec<Bar>>,
    /// Id of the table that holds the same figures.
    table_id: &'static str,
) -> impl IntoView {
    let state = use_state();
    let chart = move || {
        let bars = bars.get();
        let lang = state.lang.get();
        let rtl = lang == Lang::Fa;
        // Mirrored along the width in right-to-left reading.
        let x = move |p: f64| if rtl { 100.0 - p } else { p };
        let start = if rtl { "end" } else { "start" };
        let low = axis_low(&bars);
        let height = ROW * bars.len() as f64 + 26.0;
        let grid = ((low as i32)..=(HIGH as i32))
            .map(|v| {
                let gx = pct(x(along(f64::from(v), low)));
                let class = if v == 0 { "axis" } else { "grid" };
                view! {
                    <line class=class x1=gx.clone() x2=gx.clone() y1="0" y2=format!("{:.0}", height - 22.0)></line>
                    <text class="tick" x=gx y=format!("{:.0}", height - 6.0) text-anchor="middle">
                        {i18n::digits_in(lang, &v.to_string())}
                    </text>
                }
            })
            .collect_view();
        let zero = along(0.0, low);
        let rows = bars
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let top = ROW * i as f64;
                let bar = b.gap.map(|g| {
                    let tip = along(g, low);
                    let (a, z) = (x(zero), x(tip));
                    let class = if g < 0.0 { "bar above" } else { "bar" };
                    // The figure sits just past the bar's tip, on the side it grows towards.
                    let grows_right = if (tip - zero).abs() < 0.01 { !rtl } else { z > a };
                    let (dx, anchor) = if grows_right { ("6", "start") } else { ("-6", "end") };
                    view! {
                        <rect
                            class=class
                            x=pct(a.min(z))
                            y=format!("{:.0}", top + 22.0)
                            width=pct((a - z).abs().max(0.4))
                            height=BAR
                            rx="3"
                        ></rect>
                        <text class="value" x=pct(z) dx=dx y=format!("{:.0}", top + 35.0) text-anchor=anchor>
                            {i18n::decimal(lang, g, 1)}
                        </text>
                    }
                });
                view! {
                    <text class="label" x=pct(x(0.5)) y=format!("{:.0}", top + 15.0) text-anchor=start>
                        {b.label}
                    </text>
                    {bar}
                }
            })
            .collect_view();
        view! {
            <svg
                class="bars"
                height=format!("{height:.0}")
                role="img"
                aria-label=move || state.t("chart.gaps")
                aria-describedby=table_id
                direction="ltr"
            >
                {grid}
                {rows}
            </svg>
        }
    };
    view! { <figure class="chart">{chart}</figure> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_spans_minus_two_to_six_and_widens_for_larger_negatives() {
        let bar = |gap| Bar {
            label: String::new(),
            gap,
        };
        assert_eq!(axis_low(&[bar(Some(3.0)), bar(None)]), -2.0);
        assert_eq!(axis_low(&[bar(Some(-3.4))]), -4.0);
        assert_eq!(axis_low(&[bar(Some(-9.0))]), -6.0);
        assert!((along(-2.0, -2.0) - FROM).abs() < 1e-9);
        assert!((along(HIGH, -2.0) - TO).abs() < 1e-9);
        assert!((along(50.0, -2.0) - TO).abs() < 1e-9);
    }
}
