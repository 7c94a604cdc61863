//! Service standards: the business's written promises with their guarantees, each under a RATER
//! dimension and, where the app can tell, measured by a feedback target or a mystery-shopper
//! checklist item. Kept with the settings; the dashboard shows how often each was met.

use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    components::{
        confirm_dialog::{AskButton, ConfirmDialog},
        section_tabs::SectionTabs,
    },
    domain::{
        feedback::FeedbackKind,
        model,
        rater::Dimension,
        standard::{Measure, Standard, MAX_STANDARDS},
        text::Bilingual,
    },
    i18n::{self, Lang},
    router::Route,
    state::{use_state, Tone},
};

/// The Settings section's screens.
pub const TABS: &[(Route, &str)] = &[
    (Route::Settings, "settings.title"),
    (Route::Standards, "std.title"),
    (Route::Schedules, "sched.title"),
    (Route::Sync, "sync.title"),
];

/// A measure as the select's value: `feedback:complaint`, `checklist:greeted_promptly`, or empty.
fn measure_code(m: Option<&Measure>) -> String {
    match m {
        Some(Measure::FeedbackTarget { kind }) => format!("feedback:{}", kind.code()),
        Some(Measure::Checklist { item }) => format!("checklist:{item}"),
        None => String::new(),
    }
}

fn measure_of(code: &str) -> Option<Measure> {
    let (by, what) = code.split_once(':')?;
    match by {
        "feedback" => FeedbackKind::ALL
            .into_iter()
            .find(|k| k.code() == what)
            .map(|kind| Measure::FeedbackTarget { kind }),
        "checklist" => Some(Measure::Checklist {
            item: what.to_owned(),
        }),
        _ => None,
    }
}

/// A measure in words.
pub fn describe_measure(lang: Lang, m: Option<&Measure>) -> String {
    match m {
        Some(Measure::FeedbackTarget { kind }) => i18n::tf(
            lang,
            "std.measure.feedback",
            &[(
                "kind",
                i18n::t(lang, &format!("feedback.kind.{}", kind.code())).to_owned(),
            )],
        ),
        Some(Measure::Checklist { item }) => i18n::tf(
            lang,
            "std.measure.checklist",
            &[(
                "item",
                i18n::t(lang, &format!("model.mystery.q.{item}")).to_owned(),
            )],
        ),
        None => i18n::t(lang, "std.measure.none").to_owned(),
    }
}

/// The standards screen.
#[component]
pub fn Standards() -> impl IntoView {
    let state = use_state();
    let editing = RwSignal::new(None::<Uuid>);
    let to_delete = RwSignal::new(None::<Uuid>);
    let confirm = RwSignal::new(false);
    let standards = Memo::new(move |_| state.settings().standards);
    let on_delete = Callback::new(move |()| {
        let Some(id) = to_delete.get_untracked() else {
            return;
        };
        if state.update_settings(|st| st.standards.retain(|s| s.id != id)) {
            state.notify(Tone::Success, state.t("std.deleted"));
        }
    });
    view! {
        <SectionTabs tabs=TABS current=Route::Standards/>
        <h1>{move || state.t("std.title")}</h1>
        <p class="hint">{move || state.t("std.intro")}</p>
        <Show
            when=move || !standards.with(Vec::is_empty)
            fallback=move || view! { <p class="empty">{move || state.t("std.none")}</p> }
        >
            <ul class="standards">
                {move || {
                    let l = state.lang.get();
                    standards
                        .get()
                        .into_iter()
                        .map(|s| {
                            let id = s.id;
                            let text = l.pick(&s.text);
                            let guarantee = l.pick(&s.guarantee);
                            view! {
                                <li class="panel">
                                    <h2 dir="auto">{text.clone()}</h2>
                                    <dl class="answers">
                                        <dt>{i18n::t(l, "std.dimension")}</dt>
                                        <dd>{i18n::t(l, &format!("dimension.{}", s.dimension.code()))}</dd>
                                        <dt>{i18n::t(l, "std.guarantee")}</dt>
                                        <dd dir="auto">{guarantee}</dd>
                                        <dt>{i18n::t(l, "std.measure")}</dt>
                                        <dd>{describe_measure(l, s.measure.as_ref())}</dd>
                                    </dl>
                                    <div class="actions">
                                        <button type="button" class="secondary" aria-label=i18n::tf(l, "std.edit.named", &[("name", text.clone())]) on:click=move |_| editing.set(Some(id))>
                                            {i18n::t(l, "std.edit")}
                                        </button>
                                        <AskButton label="std.delete" named="std.delete.named" name=text id=id chosen=to_delete open=confirm/>
                                    </div>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
        {move || {
            let current = editing.get().and_then(|id| standards.with(|l| l.iter().find(|s| s.id == id).cloned()));
            view! { <StandardForm existing=current editing=editing/> }
        }}
        <ConfirmDialog open=confirm title="std.delete.title" body="std.delete.body" confirm="std.delete" on_confirm=on_delete/>
    }
}

/// Adds a standard, or edits `existing`.
#[component]
fn StandardForm(existing: Option<Standard>, editing: RwSignal<Option<Uuid>>) -> impl IntoView {
    let state = use_state();
    let e = existing.clone();
    let text_en = RwSignal::new(e.as_ref().map(|s| s.text.en.clone()).unwrap_or_default());
    let text_fa = RwSignal::new(e.as_ref().map(|s| s.text.fa.clone()).unwrap_or_default());
    let g_en = RwSignal::new(
        e.as_ref()
            .map(|s| s.guarantee.en.clone())
            .unwrap_or_default(),
    );
    let g_fa = RwSignal::new(
        e.as_ref()
            .map(|s| s.guarantee.fa.clone())
            .unwrap_or_default(),
    );
    let dimension = RwSignal::new(e.as_ref().map_or(Dimension::Reliability, |s| s.dimension));
    let measure = RwSignal::new(measure_code(e.as_ref().and_then(|s| s.measure.as_ref())));
    let error = RwSignal::new(None::<&'static str>);
    let is_edit = existing.is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let standard = Standard {
            id: existing.as_ref().map_or_else(Uuid::new_v4, |s| s.id),
            text: Bilingual::new(
                text_en.get_untracked().trim(),
                text_fa.get_untracked().trim(),
            ),
            guarantee: Bilingual::new(g_en.get_untracked().trim(), g_fa.get_untracked().trim()),
            dimension: dimension.get_untracked(),
            measure: measure_of(&measure.get_untracked()),
        };
        if standard.validate().is_err() {
            error.set(Some("std.error"));
            return;
        }
        if !is_edit && state.settings().standards.len() >= MAX_STANDARDS {
            error.set(Some("std.error.many"));
            return;
        }
        error.set(None);
        let id = standard.id;
        let saved =
            state.update_settings(|st| match st.standards.iter_mut().find(|s| s.id == id) {
                Some(s) => *s = standard,
                None => st.standards.push(standard),
            });
        if saved {
            state.notify(
                Tone::Success,
                state.t(if is_edit { "std.updated" } else { "std.added" }),
            );
            editing.set(None);
            for f in [text_en, text_fa, g_en, g_fa] {
                f.set(String::new());
            }
            measure.set(String::new());
        }
    };
    let field =
        move |id: &'static str, key: &'static str, value: RwSignal<String>, dir: &'static str| {
            view! {
                <div class="field">
                    <label for=id>{move || state.t(key)}</label>
                    <input id=id type="text" dir=dir maxlength="200" bind:value=value/>
                </div>
            }
        };
    let checklist = model::get("mystery")
        .map(|m| m.items.clone())
        .unwrap_or_default();
    view! {
        <form class="panel" on:submit=submit novalidate>
            <h2>{move || state.t(if is_edit { "std.edit.title" } else { "std.add.title" })}</h2>
            <div class="grid-fields two">
                {field("std-text-en", "std.text.en", text_en, "ltr")}
                {field("std-text-fa", "std.text.fa", text_fa, "rtl")}
                {field("std-guarantee-en", "std.guarantee.en", g_en, "ltr")}
                {field("std-guarantee-fa", "std.guarantee.fa", g_fa, "rtl")}
                <div class="field">
                    <label for="std-dimension">{move || state.t("std.dimension")}</label>
                    <select id="std-dimension" on:change=move |ev| {
                        if let Some(d) = Dimension::ALL.into_iter().find(|d| d.code() == event_target_value(&ev)) {
                            dimension.set(d);
                        }
                    }>
                        {Dimension::ALL
                            .into_iter()
                            .map(|d| view! {
                                <option value=d.code() selected=move || dimension.get() == d>
                                    {move || state.t(&format!("dimension.{}", d.code()))}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="std-measure">{move || state.t("std.measure")}</label>
                    <select id="std-measure" on:change=move |ev| measure.set(event_target_value(&ev))>
                        <option value="" selected=move || measure.get().is_empty()>{move || state.t("std.measure.none")}</option>
                        <optgroup label=move || state.t("std.measure.feedback_group")>
                            {FeedbackKind::ALL
                                .into_iter()
                                .map(|k| {
                                    let code = format!("feedback:{}", k.code());
                                    let c = code.clone();
                                    view! {
                                        <option value=code selected=move || measure.get() == c>
                                            {move || describe_measure(state.lang.get(), Some(&Measure::FeedbackTarget { kind: k }))}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </optgroup>
                        <optgroup label=move || state.t("std.measure.checklist_group")>
                            {checklist
                                .into_iter()
                                .map(|item| {
                                    let code = format!("checklist:{}", item.id);
                                    let c = code.clone();
                                    let key = format!("model.mystery.q.{}", item.id);
                                    view! {
                                        <option value=code selected=move || measure.get() == c>
                                            {move || state.t(&key)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </optgroup>
                    </select>
                </div>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get().map(|k| state.t(k)).unwrap_or_default()}</p>
            </Show>
            <div class="actions">
                <button type="submit" class="primary">{move || state.t(if is_edit { "std.save" } else { "std.add" })}</button>
                {is_edit.then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| editing.set(None)>{move || state.t("confirm.cancel")}</button>
                })}
            </div>
        </form>
    }
}
