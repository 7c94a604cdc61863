//! Rating an assessment: for every guiding question, where the team is now and where it wants to
//! be (1–7), with an optional note. Each choice is saved at once, so a reload, a closed tab or
//! another day picks up where the assessor left off.

use leptos::prelude::*;
use uuid::Uuid;

use super::{from_address, link, model_of, title_of, update, AssessTabs, Missing};
use crate::{
    components::rating_scale::RatingScale,
    domain::{
        assessment::Assessment,
        gap,
        model::{Item, Layout, Model},
        template::{Anchors, Scale},
    },
    i18n,
    router::Route,
    state::use_state,
};

/// The rating screen of the assessment the address names.
#[component]
pub fn Run() -> impl IntoView {
    let state = use_state();
    let assessment = from_address(state);
    // The screen is built once per assessment; the ratings inside follow the store.
    let shown = Memo::new(move |_| assessment.with(|a| a.as_ref().map(|a| a.meta.id)));
    view! {
        <AssessTabs current=Route::AssessmentRun/>
        {move || match shown.get() {
            Some(id) => {
                let a = assessment.get_untracked();
                a.as_ref()
                    .and_then(model_of)
                    .map(|model| view! { <RunForm id=id model=model assessment=assessment/> }.into_any())
                    .unwrap_or_else(|| view! { <Missing/> }.into_any())
            }
            None => view! { <h1>{move || state.t("assess.run.title")}</h1> <Missing/> }.into_any(),
        }}
    }
}

/// The questions of one assessment.
#[component]
fn RunForm(
    id: Uuid,
    model: &'static Model,
    /// The stored assessment, kept current.
    assessment: Memo<Option<Assessment>>,
) -> impl IntoView {
    let state = use_state();
    let progress = move || {
        assessment.with(|a| {
            a.as_ref()
                .map(|a| gap::progress(model, &a.ratings))
                .unwrap_or((0, model.items.len()))
        })
    };
    let title = move || {
        assessment.with(|a| {
            a.as_ref()
                .map(|a| title_of(state.lang.get(), a))
                .unwrap_or_default()
        })
    };
    let sections = match model.layout {
        Layout::ByDimension => model
            .dimensions
            .iter()
            .map(|d| {
                let key = model.dimension_key(d);
                let items: Vec<&'static Item> = model.items_of(d).collect();
                let heading_id = format!("dim-{d}");
                let labelled_by = heading_id.clone();
                view! {
                    <section class="dimension" aria-labelledby=labelled_by>
                        <h2 id=heading_id>{move || state.t(&key)}</h2>
                        {items
                            .into_iter()
                            .map(|item| view! { <ItemRow id=id model=model item=item assessment=assessment tagged=false/> })
                            .collect_view()}
                    </section>
                }
            })
            .collect_view()
            .into_any(),
        Layout::Checklist => view! {
            <section class="dimension">
                {model
                    .items
                    .iter()
                    .map(|item| view! { <ItemRow id=id model=model item=item assessment=assessment tagged=true/> })
                    .collect_view()}
            </section>
        }
        .into_any(),
    };
    let name_key = model.name_key();
    view! {
        <h1>{move || state.t(&name_key)}</h1>
        <p class="muted" dir="auto">{title}</p>
        <div class="panel run-intro">
            <p id="scale-explained">{move || state.t("assess.scale")}</p>
            <label class="progress-line">
                <span>
                    {move || {
                        let (done, total) = progress();
                        let lang = state.lang.get();
                        i18n::tf(
                            lang,
                            "assess.progress",
                            &[("done", i18n::int(lang, done as u64)), ("total", i18n::int(lang, total as u64))],
                        )
                    }}
                </span>
                <progress max=move || progress().1 value=move || progress().0></progress>
            </label>
            <p class="hint">{move || state.t("assess.autosave")}</p>
        </div>
        {sections}
        <div class="actions sticky-actions">
            <a class="button primary" href=link(Route::AssessmentResults, id)>
                {move || state.t("assess.show_results")}
            </a>
        </div>
    }
}

/// One guiding question: its Current and Desired scales, the gap between them, and a note.
#[component]
fn ItemRow(
    id: Uuid,
    model: &'static Model,
    item: &'static Item,
    assessment: Memo<Option<Assessment>>,
    /// Shows the item's dimension beside it (checklists mix dimensions).
    tagged: bool,
) -> impl IntoView {
    let state = use_state();
    let rating = Memo::new(move |_| {
        assessment.with(|a| {
            a.as_ref()
                .and_then(|a| a.ratings.get(&item.id).cloned())
                .unwrap_or_default()
        })
    });
    let text_key = model.item_key(&item.id);
    let dim_key = model.dimension_key(&item.dimension);
    let question = Signal::derive(move || state.t(&text_key).to_owned());
    let group_id = format!("q-{}", item.id);
    let note_id = format!("note-{}", item.id);
    let pick = move |desired: bool| {
        Callback::new(move |v: u8| {
            update(state, id, |a| {
                let r = a.ratings.entry(item.id.clone()).or_default();
                if desired {
                    r.desired = Some(v);
                } else {
                    r.current = Some(v);
                }
            });
        })
    };
    let gap_text = move || {
        let r = rating.get();
        let lang = state.lang.get();
        r.current.zip(r.desired).map(|(c, d)| {
            i18n::tf(
                lang,
                "assess.item_gap",
                &[(
                    "gap",
                    i18n::digits_in(lang, &(i32::from(d) - i32::from(c)).to_string()),
                )],
            )
        })
    };
    let labelled = format!("{group_id}-label");
    let label_id = labelled.clone();
    view! {
        <div class="panel gap-item" role="group" aria-labelledby=labelled>
            <p class="gap-question">
                <span id=label_id dir="auto">{move || question.get()}</span>
                {tagged.then(|| view! { " " <span class="tag dim-tag">{move || state.t(&dim_key)}</span> })}
            </p>
            <div class="gap-scales">
                <RatingScale
                    name=format!("{group_id}-current")
                    question=Signal::derive(move || state.t("assess.current").to_owned())
                    scale=Scale::OneToSeven
                    anchors=Anchors::Numbers
                    required=false
                    value=Signal::derive(move || rating.get().current)
                    on_pick=pick(false)
                    error=Signal::derive(|| None)
                    plain=true
                    explained_by="scale-explained"
                />
                <RatingScale
                    name=format!("{group_id}-desired")
                    question=Signal::derive(move || state.t("assess.desired").to_owned())
                    scale=Scale::OneToSeven
                    anchors=Anchors::Numbers
                    required=false
                    value=Signal::derive(move || rating.get().desired)
                    on_pick=pick(true)
                    error=Signal::derive(|| None)
                    plain=true
                    explained_by="scale-explained"
                />
            </div>
            <p class="item-gap" aria-live="polite">{gap_text}</p>
            <details class="note" open=move || !rating.with(|r| r.note.is_empty())>
                <summary>{move || state.t("assess.note")}</summary>
                <label class="sr-only" for=note_id.clone()>{move || state.t("assess.note")}</label>
                <textarea
                    id=note_id
                    rows="2"
                    maxlength="5000"
                    dir="auto"
                    prop:value=move || rating.with(|r| r.note.clone())
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        update(state, id, |a| a.ratings.entry(item.id.clone()).or_default().note = text);
                    }
                ></textarea>
            </details>
        </div>
    }
}
