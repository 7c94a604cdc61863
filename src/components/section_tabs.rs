//! Links between the screens of one section (Cards, Assessments, Feedback); the current one
//! carries `aria-current="page"`.

use leptos::prelude::*;

use crate::{router::Route, state::use_state};

/// The section's tabs, and anything the section keeps beside them.
#[component]
pub fn SectionTabs(
    /// Each tab's screen and the locale key of its name.
    tabs: &'static [(Route, &'static str)],
    /// The screen shown now.
    current: Route,
    /// Shown at the end of the row (a tool that belongs to the whole section).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let state = use_state();
    let class = if children.is_some() {
        "tabs tabs-with-tool"
    } else {
        "tabs"
    };
    view! {
        <div class=class>
            {tabs
                .iter()
                .map(|(r, key)| {
                    let (r, key) = (*r, *key);
                    view! {
                        <a href=r.href() aria-current=(r == current).then_some("page")>
                            {move || state.t(key)}
                        </a>
                    }
                })
                .collect_view()}
            {children.map(|c| c())}
        </div>
    }
}
