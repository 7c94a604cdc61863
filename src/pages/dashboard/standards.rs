//! The service standards section: how often each measured standard was met in the range.

use leptos::prelude::*;

use super::figure;
use crate::{
    components::data_table::DataTable,
    domain::{report::Figure, standard::Standard},
    i18n,
    pages::standards::describe_measure,
    router::Route,
    state::use_state,
};

/// The standards table's column headings.
const COLUMNS: &[&str] = &[
    "dash.standards.standard",
    "dash.dimension",
    "std.measure",
    "dash.standards.met",
    "dash.standards.chances",
];

#[component]
pub(super) fn StandardsSection(compliance: Memo<Vec<(Standard, Option<Figure>)>>) -> impl IntoView {
    let state = use_state();
    view! {
        <section class="panel report" aria-labelledby="dash-standards">
            <h2 id="dash-standards">{move || state.t("dash.standards.title")}</h2>
            {move || {
                let l = state.lang.get();
                let rows = compliance.get();
                if rows.is_empty() {
                    return view! {
                        <p class="muted">
                            {i18n::t(l, "dash.standards.none")}
                            " "
                            <a href=Route::Standards.href()>{i18n::t(l, "dash.standards.add")}</a>
                        </p>
                    }
                        .into_any();
                }
                let body = rows
                    .into_iter()
                    .map(|(s, f)| {
                        let text = l.pick(&s.text);
                        let met = f.map_or_else(|| "–".to_owned(), |f| figure(l, f, 0, "%"));
                        let n = f.map_or_else(|| "–".to_owned(), |f| i18n::int(l, f.n as u64));
                        view! {
                            <tr>
                                <th scope="row" dir="auto">{text}</th>
                                <td>{i18n::t(l, &format!("dimension.{}", s.dimension.code()))}</td>
                                <td>{describe_measure(l, s.measure.as_ref())}</td>
                                <td>{met}</td>
                                <td>{n}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <DataTable id="dash-standards-table" caption="dash.standards.title" columns=COLUMNS>
                        {body}
                    </DataTable>
                }
                    .into_any()
            }}
            <p class="hint">{move || state.t("dash.standards.hint")}</p>
        </section>
    }
}
