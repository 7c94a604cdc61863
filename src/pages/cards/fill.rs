//! The card a customer fills: ratings, comments, an optional contact with consent, then a
//! thank-you. Unfinished answers are kept as a draft until the card is sent or started over.

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{all_templates, card_for, CardTabs, TemplateOptions};
use crate::{
    components::{
        question_title::QuestionTitle, rating_scale::RatingScale, text_options::TextOptions,
    },
    domain::{
        card::{Answer, Card, Contact},
        schedule,
        template::{AnswerProblem, CardTemplate, Question, QuestionKind, DEFAULT_TEMPLATE_ID},
        text, Meta,
    },
    i18n,
    router::{query_param, Route},
    state::{use_state, AppState, KioskSetup},
    store::prefs,
    web,
};

/// Where an unfinished card is kept on this device (the kiosk keeps its own).
pub const DRAFT: &str = "lp1-pref:card-draft";
pub const KIOSK_DRAFT: &str = "lp1-pref:kiosk-draft";
/// Seconds the kiosk's thank-you stays before a fresh card.
const THANKS_SECONDS: u32 = 8;

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Draft {
    template: uuid::Uuid,
    answers: BTreeMap<String, Answer>,
}

/// The unfinished answers kept under `key` for this template, if any.
pub fn draft_answers(key: &str, template: uuid::Uuid) -> BTreeMap<String, Answer> {
    prefs::get::<Draft>(key)
        .filter(|d| d.template == template)
        .map(|d| d.answers)
        .unwrap_or_default()
}

/// Stores a card with the app's state: its template too if not yet stored, and the customer
/// its contact names.
pub fn send_card(state: AppState) -> Callback<(Card, CardTemplate), bool> {
    Callback::new(move |(card, template): (Card, CardTemplate)| {
        let stored = state
            .data
            .with_untracked(|d| d.templates.contains_key(&template.meta.id));
        state.save_card(card, (!stored).then_some(template))
    })
}

/// The Cards screen: the card, and the kiosk's start.
#[component]
pub fn FillCard() -> impl IntoView {
    let state = use_state();
    let wanted = query_param("template").and_then(|t| uuid::Uuid::parse_str(&t).ok());
    let branches = Memo::new(move |_| state.settings().branches);
    // The link's branch, else this device's, else the business's first.
    let branch = RwSignal::new(
        query_param("branch")
            .or_else(|| prefs::get::<String>(prefs::BRANCH).filter(|b| !b.is_empty()))
            .or_else(|| branches.with_untracked(|b| b.first().cloned()))
            .unwrap_or_default(),
    );
    let today = web::today();
    let template = Memo::new(move |_| branch.with(|b| card_for(state, wanted, b, today)));
    let answers = RwSignal::new(draft_answers(DRAFT, template.with_untracked(|t| t.meta.id)));
    let touchpoint =
        Signal::derive(|| query_param("touchpoint").unwrap_or_else(|| "website".to_owned()));
    view! {
        <CardTabs current=Route::Cards/>
        <KioskStart asked=wanted/>
        <Show when=move || branches.with(|b| !b.is_empty())>
            <div class="field card-branch">
                <label for="card-branch">{move || state.t("card.branch")}</label>
                <select id="card-branch" on:change=move |ev| branch.set(event_target_value(&ev))>
                    <TextOptions values=branches selected=branch branches=true/>
                </select>
            </div>
        </Show>
        <CardForm template=template branch=branch touchpoint=touchpoint answers=answers draft_key=DRAFT kiosk=false send=send_card(state)/>
    }
}

/// Starts kiosk mode for a branch, once a staff PIN exists.
#[component]
fn KioskStart(
    /// The card asked for by link, if any: the kiosk's first choice.
    asked: Option<uuid::Uuid>,
) -> impl IntoView {
    let state = use_state();
    let has_pin = move || {
        state
            .data
            .with(|d| d.settings.as_ref().is_some_and(|s| s.pin.is_some()))
    };
    let branches = move || {
        state.data.with(|d| {
            d.settings
                .as_ref()
                .map(|s| s.branches.clone())
                .unwrap_or_default()
        })
    };
    let chosen = RwSignal::new(
        prefs::get::<String>(prefs::BRANCH)
            .filter(|b| branches().contains(b))
            .or_else(|| branches().first().cloned())
            .unwrap_or_default(),
    );
    let card = RwSignal::new(asked.unwrap_or(DEFAULT_TEMPLATE_ID));
    let cards = move || {
        all_templates(state)
            .into_iter()
            .filter(|t| !t.archived)
            .collect::<Vec<_>>()
    };
    // The campaign a kiosk started with the default card would follow now at this branch.
    let campaign = move || {
        let today = web::today();
        let (id, last) =
            schedule::campaign_card(&state.settings().schedules, &chosen.get(), today)?;
        let name = all_templates(state)
            .into_iter()
            .find(|t| t.meta.id == id)?
            .name;
        let l = state.lang.get();
        Some(i18n::tf(
            l,
            "kiosk.campaign",
            &[("card", l.pick(&name)), ("date", i18n::date(l, last))],
        ))
    };
    let start = move |_| {
        state.start_kiosk(KioskSetup {
            template: card.get_untracked(),
            branch: chosen.get_untracked(),
        });
    };
    view! {
        <details class="panel kiosk-start">
            <summary>{move || state.t("kiosk.title")}</summary>
            <p>{move || state.t("kiosk.help")}</p>
            <Show when=move || !branches().is_empty()>
                <div class="field">
                    <label for="kiosk-branch">{move || state.t("kiosk.branch")}</label>
                    <select id="kiosk-branch" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <TextOptions values=Signal::derive(branches) selected=chosen branches=true/>
                    </select>
                </div>
            </Show>
            <Show when=move || { cards().len() > 1 }>
                <div class="field">
                    <label for="kiosk-template">{move || state.t("kiosk.template")}</label>
                    <select
                        id="kiosk-template"
                        on:change=move |ev| {
                            if let Ok(id) = uuid::Uuid::parse_str(&event_target_value(&ev)) {
                                card.set(id);
                            }
                        }
                    >
                        <TemplateOptions templates=Signal::derive(cards) selected=Signal::derive(move || Some(card.get()))/>
                    </select>
                </div>
            </Show>
            <Show when=move || card.get() == DEFAULT_TEMPLATE_ID>
                {move || campaign().map(|c| view! { <p class="hint" dir="auto">{c}</p> })}
            </Show>
            <Show when=move || !has_pin()>
                <p class="muted" id="kiosk-need-pin">
                    {move || state.t("kiosk.need_pin")}
                    " "
                    <a href=Route::Settings.href()>{move || state.t("nav.settings")}</a>
                </p>
            </Show>
            <button
                type="button"
                class="primary"
                disabled=move || !has_pin()
                aria-describedby=move || (!has_pin()).then_some("kiosk-need-pin")
                on:click=start
            >
                {move || state.t("kiosk.start")}
            </button>
        </details>
    }
}

/// The card itself: questions, submit, thank-you. Used on the Cards screen and in the kiosk.
#[component]
pub fn CardForm(
    template: Memo<CardTemplate>,
    /// Branch stored with each card.
    #[prop(into)]
    branch: Signal<String>,
    /// Touchpoint stored with each card (website, kiosk, ...).
    #[prop(into)]
    touchpoint: Signal<String>,
    /// The answers so far; the owner may clear them (a kiosk after a long pause).
    answers: RwSignal<BTreeMap<String, Answer>>,
    /// Where the unfinished answers are kept.
    draft_key: &'static str,
    /// In a kiosk the thank-you counts down to a fresh card.
    kiosk: bool,
    /// Stores a card answered on a template (storing the template too if it is not yet);
    /// true once stored. On failure it has told the user why.
    send: Callback<(Card, CardTemplate), bool>,
    /// What the thank-you says of the card, when not that it is stored (a card on its way to
    /// the shop).
    #[prop(optional_no_strip)]
    thanks: Option<ViewFn>,
) -> impl IntoView {
    let state = use_state();
    let template_id = template.with_untracked(|t| t.meta.id);
    let restored = RwSignal::new(answers.with_untracked(|a| !a.is_empty()));
    let problems = RwSignal::new(Vec::<(String, AnswerProblem)>::new());
    let sent = RwSignal::new(false);
    let countdown = RwSignal::new(0u32);

    // Keep the draft in step with every answer, so a reload loses nothing.
    Effect::new(move |_| {
        let answers = answers.get();
        if answers.is_empty() {
            prefs::remove(draft_key);
        } else {
            prefs::set(
                draft_key,
                &Draft {
                    template: template_id,
                    answers,
                },
            );
        }
    });

    if kiosk {
        // The kiosk's thank-you counts down, then a fresh card opens.
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if sent.get_untracked() {
                    match countdown.get_untracked() {
                        0 | 1 => sent.set(false),
                        n => countdown.set(n - 1),
                    }
                }
            },
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }

    let start_over = move |_| {
        answers.set(BTreeMap::new());
        problems.set(Vec::new());
        restored.set(false);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = template.get_untracked();
        let mut given = answers.get_untracked();
        // Blank texts are no answer; a contact without a value is no contact.
        given.retain(|_, a| match a {
            Answer::Text(t) => !t.trim().is_empty(),
            Answer::Contact(c) => !c.value.trim().is_empty(),
            _ => true,
        });
        let found = t.check_answers(&given);
        if !found.is_empty() {
            problems.set(found);
            // Where the customer is looking: the first question still to answer.
            web::reveal_first_invalid("form.card-form");
            return;
        }
        let card = Card {
            meta: Meta::new(chrono::Utc::now()),
            template: t.meta.id,
            template_version: t.version,
            lang: state.lang.get_untracked().code().to_owned(),
            branch: branch.get_untracked().chars().take(text::SHORT).collect(),
            touchpoint: touchpoint
                .get_untracked()
                .chars()
                .take(text::SHORT)
                .collect(),
            answers: given,
        };
        if send.run((card, t)) {
            answers.set(BTreeMap::new());
            problems.set(Vec::new());
            restored.set(false);
            countdown.set(THANKS_SECONDS);
            sent.set(true);
        }
    };

    view! {
        <Show
            when=move || !sent.get()
            fallback=move || {
                view! {
                    <section class="thanks" aria-live="polite">
                        <h1>{move || state.t("card.thanks.title")}</h1>
                        {match thanks.clone() {
                            Some(thanks) => thanks.run(),
                            None => view! { <p class="lead">{move || state.t("card.thanks.body")}</p> }.into_any(),
                        }}
                        {kiosk
                            .then(|| {
                                view! {
                                    <p class="muted">
                                        {move || {
                                            state
                                                .tf(
                                                    "kiosk.next",
                                                    &[("n", crate::i18n::int(state.lang.get(), u64::from(countdown.get())))],
                                                )
                                        }}
                                    </p>
                                }
                            })}
                        <button type="button" class="primary big" on:click=move |_| sent.set(false)>
                            {move || state.t("card.thanks.again")}
                        </button>
                    </section>
                }
            }
        >
            <form class="card-form" on:submit=on_submit novalidate>
                <h1>{move || state.t("card.title")}</h1>
                <p class="lead">{move || state.t("card.intro")}</p>
                <Show when=move || restored.get() && answers.with(|a| !a.is_empty())>
                    <div class="notice notice-info">
                        <p>{move || state.t("card.draft_kept")}</p>
                        <button type="button" class="ghost" on:click=start_over>
                            {move || state.t("card.discard")}
                        </button>
                    </div>
                </Show>
                <Show when=move || problems.with(|p| !p.is_empty())>
                    <p class="problems" role="alert">{move || state.t("card.error.summary")}</p>
                </Show>
                <Questions questions=Signal::derive(move || template.get().questions) answers=answers problems=problems/>
                <div class="actions">
                    <button type="submit" class="primary big">{move || state.t("card.submit")}</button>
                    <button type="button" class="secondary" on:click=start_over>
                        {move || state.t("card.discard")}
                    </button>
                </div>
            </form>
        </Show>
    }
}

/// Scopes the ids of the questions beneath it, so that two cards can share a page (the
/// designer's previews, one per language).
#[derive(Clone, Copy)]
pub struct IdPrefix(pub &'static str);

fn id_prefix() -> &'static str {
    use_context::<IdPrefix>().map_or("", |p| p.0)
}

/// A card's questions, answerable: the same in the card customers fill and in the designer's
/// preview of it.
#[component]
pub fn Questions(
    /// The questions, in order.
    #[prop(into)]
    questions: Signal<Vec<Question>>,
    /// The answers so far, by question id.
    answers: RwSignal<BTreeMap<String, Answer>>,
    /// What is wrong with which answer, after a submit.
    problems: RwSignal<Vec<(String, AnswerProblem)>>,
) -> impl IntoView {
    let state = use_state();
    let prefix = id_prefix();
    let problem_of = move |id: &str| {
        problems.with(|p| {
            p.iter()
                .find(|(q, _)| q == id)
                .map(|(_, problem)| problem.message_key())
        })
    };
    let set_answer = move |id: String, answer: Option<Answer>| {
        answers.update(|a| match answer {
            Some(v) => {
                a.insert(id.clone(), v);
            }
            None => {
                a.remove(&id);
            }
        });
        problems.update(|p| p.retain(|(q, _)| *q != id));
    };
    let list = move || {
        questions
            .get()
            .into_iter()
            .map(|q| {
                let id = q.id.clone();
                let text = q.text.clone();
                let question = Signal::derive(move || state.lang.get().pick(&text));
                let error = Signal::derive({
                    let id = id.clone();
                    move || problem_of(&id)
                });
                let multiple = matches!(q.kind, QuestionKind::Multi { .. });
                match q.kind {
                    QuestionKind::Rating { scale, anchors } => {
                        let value = Signal::derive({
                            let id = id.clone();
                            move || {
                                answers.with(|a| match a.get(&id) {
                                    Some(Answer::Rating(v)) => Some(*v),
                                    _ => None,
                                })
                            }
                        });
                        let pick = Callback::new({
                            let id = id.clone();
                            move |v: u8| set_answer(id.clone(), Some(Answer::Rating(v)))
                        });
                        view! {
                            <RatingScale
                                name=format!("{prefix}q-{id}")
                                question=question
                                scale=scale
                                anchors=anchors
                                required=q.required
                                value=value
                                on_pick=pick
                                error=error
                            />
                        }
                        .into_any()
                    }
                    QuestionKind::ShortText | QuestionKind::LongText => {
                        view! { <TextQuestion id=id question=question long=matches!(q.kind, QuestionKind::LongText) required=q.required answers=answers set_answer=set_answer error=error/> }
                            .into_any()
                    }
                    QuestionKind::Contact => {
                        view! { <ContactQuestion id=id question=question answers=answers set_answer=set_answer error=error/> }
                            .into_any()
                    }
                    QuestionKind::Single { options } | QuestionKind::Multi { options } => {
                        view! { <ChoiceQuestion id=id question=question options=options multiple=multiple required=q.required answers=answers set_answer=set_answer error=error/> }
                            .into_any()
                    }
                }
            })
            .collect_view()
    };
    view! { {list} }
}

/// A single-choice (radio) or multiple-choice (checkbox) question.
#[component]
fn ChoiceQuestion(
    id: String,
    #[prop(into)] question: Signal<String>,
    options: Vec<crate::domain::template::Choice>,
    multiple: bool,
    required: bool,
    answers: RwSignal<BTreeMap<String, Answer>>,
    set_answer: impl Fn(String, Option<Answer>) + Copy + Send + Sync + 'static,
    #[prop(into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let state = use_state();
    let p = id_prefix();
    let legend_id = format!("{p}q-{id}-legend");
    let labelled_by = legend_id.clone();
    let error_id = format!("{p}q-{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    let chosen = {
        let id = id.clone();
        move || {
            answers.with(|a| match a.get(&id) {
                Some(Answer::Choices(c)) => c.clone(),
                _ => Vec::new(),
            })
        }
    };
    let items = options
        .into_iter()
        .map(|o| {
            let input_id = format!("{p}q-{id}-{}", o.id);
            let for_id = input_id.clone();
            let (qid, oid, oid2) = (id.clone(), o.id.clone(), o.id.clone());
            let chosen = chosen.clone();
            let chosen2 = chosen.clone();
            let text = o.text.clone();
            view! {
                <label class="choice" for=for_id>
                    <input
                        id=input_id
                        type=if multiple { "checkbox" } else { "radio" }
                        name=format!("{p}q-{id}")
                        prop:checked=move || chosen().contains(&oid)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let mut list = if multiple { chosen2() } else { Vec::new() };
                            list.retain(|c| *c != oid2);
                            if on {
                                list.push(oid2.clone());
                            }
                            set_answer(qid.clone(), (!list.is_empty()).then_some(Answer::Choices(list)));
                        }
                    />
                    <span dir="auto">{move || state.lang.get().pick(&text)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="question choices"
            role=(!multiple).then_some("radiogroup")
            aria-labelledby=labelled_by
            aria-describedby=described
            aria-invalid=move || error.get().is_some().then_some("true")
        >
            <legend id=legend_id>
                <QuestionTitle question=question required=required/>
            </legend>
            <div class="choice-list">{items}</div>
            {move || error.get().map(|key| view! { <p class="field-error" id=error_id.clone()>{state.t(key)}</p> })}
        </fieldset>
    }
}

/// A free-text question.
#[component]
fn TextQuestion(
    id: String,
    #[prop(into)] question: Signal<String>,
    long: bool,
    required: bool,
    answers: RwSignal<BTreeMap<String, Answer>>,
    set_answer: impl Fn(String, Option<Answer>) + Copy + Send + Sync + 'static,
    #[prop(into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let state = use_state();
    let p = id_prefix();
    let input_id = format!("{p}q-{id}");
    let error_id = format!("{p}q-{id}-error");
    let value = {
        let id = id.clone();
        move || {
            answers.with(|a| match a.get(&id) {
                Some(Answer::Text(t)) => t.clone(),
                _ => String::new(),
            })
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        set_answer(id.clone(), (!text.is_empty()).then_some(Answer::Text(text)));
    };
    let max = if long { "5000" } else { "200" };
    let described = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    view! {
        <div class="question field">
            <label for=input_id.clone()>
                <QuestionTitle question=question required=required/>
            </label>
            {if long {
                view! {
                    <textarea
                        id=input_id
                        rows="3"
                        dir="auto"
                        maxlength=max
                        aria-describedby=described
                        aria-invalid=move || error.get().is_some().then_some("true")
                        prop:value=value
                        on:input=on_input
                    ></textarea>
                }
                    .into_any()
            } else {
                view! {
                    <input
                        id=input_id
                        type="text"
                        dir="auto"
                        maxlength=max
                        aria-describedby=described
                        aria-invalid=move || error.get().is_some().then_some("true")
                        prop:value=value
                        on:input=on_input
                    />
                }
                    .into_any()
            }}
            {move || error.get().map(|key| view! { <p class="field-error" id=error_id.clone()>{state.t(key)}</p> })}
        </div>
    }
}

/// Phone or email, with an explicit consent to be contacted.
#[component]
fn ContactQuestion(
    id: String,
    #[prop(into)] question: Signal<String>,
    answers: RwSignal<BTreeMap<String, Answer>>,
    set_answer: impl Fn(String, Option<Answer>) + Copy + Send + Sync + 'static,
    #[prop(into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let state = use_state();
    let current = {
        let id = id.clone();
        move || {
            answers.with(|a| match a.get(&id) {
                Some(Answer::Contact(c)) => c.clone(),
                _ => Contact {
                    value: String::new(),
                    consent: false,
                },
            })
        }
    };
    let update = {
        let (id, current) = (id.clone(), current.clone());
        move |value: Option<String>, consent: Option<bool>| {
            let mut c = current();
            if let Some(v) = value {
                c.value = v;
            }
            if let Some(k) = consent {
                c.consent = k;
            }
            let keep = !c.value.is_empty() || c.consent;
            set_answer(id.clone(), keep.then_some(Answer::Contact(c)));
        }
    };
    let (value_now, consent_now) = (current.clone(), current);
    let update_value = update.clone();
    let p = id_prefix();
    let (value_id, hint_id) = (format!("{p}q-contact-value"), format!("{p}q-contact-hint"));
    view! {
        <div class="question field contact">
            <label for=value_id.clone()>
                <span dir="auto">{move || question.get()}</span>
                <span class="tag">{move || state.t("card.optional")}</span>
            </label>
            <input
                id=value_id
                type="text"
                dir="ltr"
                inputmode="email"
                autocomplete="email"
                maxlength="200"
                aria-describedby=hint_id.clone()
                aria-invalid=move || error.get().is_some().then_some("true")
                prop:value=move || value_now().value
                on:input=move |ev| update_value(Some(event_target_value(&ev)), None)
            />
            <p class="hint" id=hint_id>{move || state.t("card.contact.hint")}</p>
            {move || error.get().map(|key| view! { <p class="field-error" role="alert">{state.t(key)}</p> })}
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || consent_now().consent
                    on:change=move |ev| update(None, Some(event_target_checked(&ev)))
                />
                <span>{move || state.t("card.consent")}</span>
            </label>
        </div>
    }
}
