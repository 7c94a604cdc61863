//! Horizontal bars in SVG (gaps per dimension, counts, means): each name on its own line, its
//! bar below, growing from zero towards the reading direction's end, and the other way for a
//! negative value (a dimension already above its target). Positions along the width are
//! percentages, so the chart fills any width and its text keeps its size on a phone. The figures
//! are in the table the chart points to.

use leptos::prelude::*;

use super::chart_summary;
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
/// Gaps on a 1–7 scale run from −6 to 6; their axis shows at least −2 … 6.
const GAP_HIGH: f64 = 6.0;
/// Where the bar area starts and ends, in percent of the width (room for the figures).
const FROM: f64 = 3.0;
const TO: f64 = 90.0;

/// Where a value falls along the bar area, in percent from the start of the reading direction.
fn along(value: f64, low: f64, high: f64) -> f64 {
    FROM + (value.clamp(low, high) - low) / (high - low) * (TO - FROM)
}

/// The lowest value the axis shows: `floor`, or lower to fit a larger negative value, but never
/// below −`high`.
fn axis_low(bars: &[Bar], floor: f64, high: f64) -> f64 {
    bars.iter()
        .filter_map(|b| b.gap)
        .fold(floor, f64::min)
        .floor()
        .max(-high)
}

/// Grid steps that keep an axis to about eight lines.
pub(crate) fn step(low: f64, high: f64) -> f64 {
    let span = (high - low).max(1.0);
    [
        1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0,
    ]
    .into_iter()
    .find(|s| span / s <= 8.0)
    .unwrap_or((span / 8.0).ceil())
}

fn pct(v: f64) -> String {
    format!("{v:.2}%")
}

/// Gap bars (−2 … 6, widening for larger negative gaps), in the order given.
#[component]
pub fn GapBars(
    #[prop(into)] bars: Signal<Vec<Bar>>,
    /// Id of the table that holds the same figures.
    table_id: &'static str,
) -> impl IntoView {
    view! { <BarChart bars=bars table_id=table_id label="chart.gaps" floor=-2.0 high=Signal::derive(|| GAP_HIGH) places=1/> }
}

/// Bars from `floor` (or lower, for negative values) to `high`, in the order given.
#[component]
pub fn BarChart(
    #[prop(into)] bars: Signal<Vec<Bar>>,
    /// Id of the table that holds the same figures.
    table_id: &'static str,
    /// Locale key of the chart's name.
    label: &'static str,
    /// The lowest value the axis shows at least (0 for counts).
    floor: f64,
    /// The axis's end.
    #[prop(into)]
    high: Signal<f64>,
    /// Decimal places of the figures.
    places: usize,
    /// What follows each figure in the summary (`%`), if anything.
    #[prop(optional)]
    unit: &'static str,
) -> impl IntoView {
    let state = use_state();
    let summary_id = chart_summary::id(label);
    let described_by = format!("{summary_id} {table_id}");
    let summary = move || bars.with(|b| chart_summary::bars(state.lang.get(), b, places, unit));
    let chart = move || {
        let bars = bars.get();
        let lang = state.lang.get();
        let rtl = lang == Lang::Fa;
        // Mirrored along the width in right-to-left reading.
        let x = move |p: f64| if rtl { 100.0 - p } else { p };
        let high = high.get().max(1.0);
        let low = axis_low(&bars, floor, high);
        let height = ROW * bars.len() as f64 + 26.0;
        let step = step(low, high);
        let ticks = ((low / step).ceil() as i64..=(high / step).floor() as i64)
            .map(move |k| k as f64 * step);
        let grid = ticks
            .map(|v| {
                let gx = pct(x(along(v, low, high)));
                let class = if v == 0.0 { "axis" } else { "grid" };
                view! {
                    <line class=class x1=gx.clone() x2=gx.clone() y1="0" y2=format!("{:.0}", height - 22.0)></line>
                    <text class="tick" x=gx y=format!("{:.0}", height - 6.0) text-anchor="middle">
                        {i18n::int_signed(lang, v as i64)}
                    </text>
                }
            })
            .collect_view();
        let zero = along(0.0, low, high);
        let rows = bars
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let top = ROW * i as f64;
                let bar = b.gap.map(|g| {
                    let tip = along(g, low, high);
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
                            {i18n::decimal(lang, g, places)}
                        </text>
                    }
                });
                view! {
                    <text class="label" x=pct(x(0.5)) y=format!("{:.0}", top + 15.0) direction=lang.dir() text-anchor="start">
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
                aria-label=move || state.t(label)
                aria-describedby=described_by.clone()
                direction="ltr"
            >
                {grid}
                {rows}
            </svg>
        }
    };
    view! {
        <figure class="chart">
            {chart}
            <p class="chart-summary" id=summary_id>{summary}</p>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gap_axis_spans_minus_two_to_six_and_widens_for_larger_negatives() {
        let bar = |gap| Bar {
            label: String::new(),
            gap,
        };
        assert_eq!(axis_low(&[bar(Some(3.0)), bar(None)], -2.0, GAP_HIGH), -2.0);
        assert_eq!(axis_low(&[bar(Some(-3.4))], -2.0, GAP_HIGH), -4.0);
        assert_eq!(axis_low(&[bar(Some(-9.0))], -2.0, GAP_HIGH), -6.0);
        assert_eq!(axis_low(&[bar(Some(12.0))], 0.0, 40.0), 0.0);
        assert!((along(-2.0, -2.0, GAP_HIGH) - FROM).abs() < 1e-9);
        assert!((along(GAP_HIGH, -2.0, GAP_HIGH) - TO).abs() < 1e-9);
        assert!((along(50.0, -2.0, GAP_HIGH) - TO).abs() < 1e-9);
    }

    #[test]
    fn grid_steps_keep_the_axis_readable() {
        assert_eq!(step(-2.0, 6.0), 1.0);
        assert_eq!(step(0.0, 40.0), 5.0);
        assert_eq!(step(0.0, 1234.0), 250.0);
    }
}
