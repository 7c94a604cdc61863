//! A rating question as a radio group: one large target per point, each with its label, arrow
//! keys moving between points. In Persian the row runs right to left and the values stay the
//! same, so a 5 means "very satisfied" in both languages.

use leptos::prelude::*;

use crate::{
    components::{face::Face, question_title::QuestionTitle},
    domain::template::{Anchors, Scale},
    i18n,
    state::use_state,
};

/// The words under one point, if the anchors have any for it. Likelihood names only the ends
/// of its scale, once, below the row.
pub fn point_label(
    lang: i18n::Lang,
    scale: Scale,
    anchors: Anchors,
    value: u8,
) -> Option<&'static str> {
    let seven = if scale == Scale::OneToSeven { "7" } else { "" };
    match anchors {
        Anchors::Likelihood | Anchors::Numbers => None,
        _ => i18n::try_t(lang, &format!("scale.{}{seven}.{value}", anchors.code())),
    }
}

/// One rating question.
#[component]
pub fn RatingScale(
    /// Unique within the page; names the radio inputs and ids.
    name: String,
    /// The question, in the current language.
    #[prop(into)]
    question: Signal<String>,
    scale: Scale,
    anchors: Anchors,
    required: bool,
    /// The value chosen, if any.
    #[prop(into)]
    value: Signal<Option<u8>>,
    /// Called with the value the person picks.
    on_pick: Callback<u8>,
    /// Locale key of what is wrong with the answer, if anything.
    #[prop(into)]
    error: Signal<Option<&'static str>>,
    /// Names the group with its words alone, without the required/optional tag (for scales that
    /// are parts of one question, such as an assessment's Current and Desired).
    #[prop(optional)]
    plain: bool,
    /// Id of a text that explains the scale, announced with the group.
    #[prop(optional)]
    explained_by: Option<&'static str>,
) -> impl IntoView {
    let state = use_state();
    let legend_id = format!("{name}-legend");
    let labelled_by = legend_id.clone();
    let error_id = format!("{name}-error");
    let ends_id = format!("{name}-ends");
    let faces = anchors == Anchors::Satisfaction;
    let has_ends = anchors == Anchors::Likelihood;
    let class = match scale {
        Scale::ZeroToTen => "scale scale-wide",
        _ => "scale",
    };
    let described = {
        let (error_id, ends_id) = (error_id.clone(), ends_id.clone());
        move || {
            let mut ids: Vec<String> = explained_by.iter().map(|s| (*s).to_owned()).collect();
            if has_ends {
                ids.push(ends_id.clone());
                ids.push(format!("{ends_id}-high"));
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let points = scale
        .range()
        .map(|v| {
            let name = name.clone();
            let id = format!("{name}-{v}");
            let for_id = id.clone();
            let label = move || point_label(state.lang.get(), scale, anchors, v);
            view! {
                <label class="point" for=for_id>
                    <input
                        type="radio"
                        id=id
                        name=name
                        value=v.to_string()
                        required=required
                        prop:checked=move || value.get() == Some(v)
                        on:change=move |_| on_pick.run(v)
                    />
                    {faces.then(|| view! { <Face value=v/> })}
                    <span class="point-value" aria-hidden=move || label().is_some().then_some("true")>
                        {move || i18n::digits_in(state.lang.get(), &v.to_string())}
                    </span>
                    {move || label().map(|l| view! { <span class="point-label">{l}</span> })}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="question rating"
            role="radiogroup"
            aria-labelledby=labelled_by
            aria-describedby=described
            aria-required=required.then_some("true")
            aria-invalid=move || error.get().is_some().then_some("true")
        >
            <legend id=legend_id>
                {if plain {
                    view! { <span>{move || question.get()}</span> }.into_any()
                } else {
                    view! { <QuestionTitle question=question required=required/> }.into_any()
                }}
            </legend>
            // The end labels sit at the ends: under the first and last points in one row, or
            // above the first row and below the second where a phone takes two.
            <div class=if has_ends { "scale-frame with-ends" } else { "scale-frame" }>
                {has_ends
                    .then(|| {
                        view! { <span class="end end-low" id=ends_id.clone()>{move || state.t("scale.likelihood.0")}</span> }
                    })}
                <div class=class>{points}</div>
                {has_ends
                    .then(|| {
                        view! { <span class="end end-high" id=format!("{ends_id}-high")>{move || state.t("scale.likelihood.10")}</span> }
                    })}
            </div>
            {move || error.get().map(|key| view! { <p class="field-error" id=error_id.clone()>{state.t(key)}</p> })}
        </fieldset>
    }
}
