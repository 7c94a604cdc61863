//! A face for a satisfaction point: from a frown (1) to a broad smile (5). Decorative: the
//! point's words carry the meaning, so colour and shape are never the only sign.

use leptos::prelude::*;

/// The face for a value from 1 to 5.
#[component]
pub fn Face(value: u8) -> impl IntoView {
    // The mouth's middle, in tenths of a unit: 2.2 lower for each point above 3, a smile at
    // 5, a frown at 1. Whole numbers keep floating-point formatting out of the card page.
    let tenths = 160 + (i32::from(value) - 3) * 22;
    let mouth = format!("M8.5 16 Q12 {}.{} 15.5 16", tenths / 10, tenths % 10);
    let class = format!("face face-{value}");
    view! {
        <svg class=class viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r="10.5"></circle>
            <circle class="eye" cx="8.6" cy="9.6" r="1.3"></circle>
            <circle class="eye" cx="15.4" cy="9.6" r="1.3"></circle>
            <path d=mouth></path>
        </svg>
    }
}
