//! The card designer: create, edit, duplicate and archive card templates; every text in both
//! languages with a preview in each side by side; questions reordered by drag or by keyboard.

use std::collections::BTreeMap;

use leptos::{context::Provider, prelude::*};
use uuid::Uuid;

use super::{
    all_templates,
    fill::{IdPrefix, Questions},
    CardTabs,
};
use crate::{
    domain::{
        template::{Anchors, CardTemplate, Choice, Question, QuestionKind, Scale},
        text::Bilingual,
        Meta, Record,
    },
    i18n::{self, Lang},
    router::Route,
    state::{use_state, AppState, Tone},
};

/// The question types offered, by locale-key suffix.
const TYPES: [&str; 8] = [
    "rating5", "nps", "rating7", "single", "multi", "short", "long", "contact",
];
const LABELS: [Anchors; 4] = [
    Anchors::Numbers,
    Anchors::Satisfaction,
    Anchors::Agreement,
    Anchors::Likelihood,
];

fn type_of(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Rating {
            scale: Scale::OneToFive,
            ..
        } => "rating5",
        QuestionKind::Rating {
            scale: Scale::ZeroToTen,
            ..
        } => "nps",
        QuestionKind::Rating {
            scale: Scale::OneToSeven,
            ..
        } => "rating7",
        QuestionKind::Single { .. } => "single",
        QuestionKind::Multi { .. } => "multi",
        QuestionKind::ShortText => "short",
        QuestionKind::LongText => "long",
        QuestionKind::Contact => "contact",
    }
}

fn short_id() -> String {
    Uuid::new_v4().simple().to_string()[..8].to_owned()
}

/// One question as it is being edited.
#[derive(Clone, Copy)]
struct QuestionEdit {
    /// Stable while editing, for keyed rendering and drag and drop.
    key: StoredValue<String>,
    id: StoredValue<String>,
    kind: RwSignal<&'static str>,
    anchors: RwSignal<Anchors>,
    text_en: RwSignal<String>,
    text_fa: RwSignal<String>,
    required: RwSignal<bool>,
    options_en: RwSignal<String>,
    options_fa: RwSignal<String>,
    option_ids: StoredValue<Vec<String>>,
    dimension: StoredValue<Option<crate::domain::rater::Dimension>>,
}

impl QuestionEdit {
    fn from(q: &Question) -> Self {
        let (options, anchors) = match &q.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options } => {
                (options.clone(), Anchors::Numbers)
            }
            QuestionKind::Rating { anchors, .. } => (Vec::new(), *anchors),
            _ => (Vec::new(), Anchors::Numbers),
        };
        let lines = |f: fn(&Choice) -> &str| options.iter().map(f).collect::<Vec<_>>().join("\n");
        Self {
            key: StoredValue::new(short_id()),
            id: StoredValue::new(q.id.clone()),
            kind: RwSignal::new(type_of(&q.kind)),
            anchors: RwSignal::new(anchors),
            text_en: RwSignal::new(q.text.en.clone()),
            text_fa: RwSignal::new(q.text.fa.clone()),
            required: RwSignal::new(q.required),
            options_en: RwSignal::new(lines(|c| &c.text.en)),
            options_fa: RwSignal::new(lines(|c| &c.text.fa)),
            option_ids: StoredValue::new(options.iter().map(|c| c.id.clone()).collect()),
            dimension: StoredValue::new(q.dimension),
        }
    }

    fn blank() -> Self {
        let q = Question {
            id: format!("q{}", short_id()),
            text: Bilingual::default(),
            kind: QuestionKind::Rating {
                scale: Scale::OneToFive,
                anchors: Anchors::Agreement,
            },
            required: false,
            dimension: None,
        };
        Self::from(&q)
    }

    /// The question as edited, or the locale key of what is missing.
    fn build(&self) -> Result<Question, &'static str> {
        let text = Bilingual::new(self.text_en.get().trim(), self.text_fa.get().trim());
        if text.en.is_empty() || text.fa.is_empty() {
            return Err("designer.error.words");
        }
        let lines = |s: String| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let choices = || -> Result<Vec<Choice>, &'static str> {
            let (en, fa) = (lines(self.options_en.get()), lines(self.options_fa.get()));
            if en.is_empty() || en.len() != fa.len() {
                return Err("designer.error.options");
            }
            let known = self.option_ids.get_value();
            let mut used = std::collections::BTreeSet::new();
            Ok(en
                .into_iter()
                .zip(fa)
                .enumerate()
                .map(|(i, (en, fa))| {
                    let id = known
                        .get(i)
                        .cloned()
                        .filter(|k| used.insert(k.clone()))
                        .unwrap_or_else(|| {
                            let id = format!("o{}", short_id());
                            used.insert(id.clone());
                            id
                        });
                    Choice {
                        id,
                        text: Bilingual::new(en, fa),
                    }
                })
                .collect())
        };
        let anchors = self.anchors.get();
        let kind = match self.kind.get() {
            "rating5" => QuestionKind::Rating {
                scale: Scale::OneToFive,
                anchors,
            },
            "nps" => QuestionKind::Rating {
                scale: Scale::ZeroToTen,
                anchors,
            },
            "rating7" => QuestionKind::Rating {
                scale: Scale::OneToSeven,
                anchors,
            },
            "single" => QuestionKind::Single {
                options: choices()?,
            },
            "multi" => QuestionKind::Multi {
                options: choices()?,
            },
            "short" => QuestionKind::ShortText,
            "long" => QuestionKind::LongText,
            _ => QuestionKind::Contact,
        };
        Ok(Question {
            id: self.id.get_value(),
            text,
            kind,
            required: self.required.get(),
            dimension: self.dimension.get_value(),
        })
    }
}

/// A template as it is being edited: the stored one it started from (none for a new one).
#[derive(Clone, Copy)]
struct TemplateEdit {
    base: StoredValue<Option<CardTemplate>>,
    name_en: RwSignal<String>,
    name_fa: RwSignal<String>,
    questions: RwSignal<Vec<QuestionEdit>>,
}

impl TemplateEdit {
    fn from(t: Option<CardTemplate>) -> Self {
        let (name, questions) = match &t {
            Some(t) => (
                t.name.clone(),
                t.questions.iter().map(QuestionEdit::from).collect(),
            ),
            None => (Bilingual::default(), vec![QuestionEdit::blank()]),
        };
        Self {
            base: StoredValue::new(t),
            name_en: RwSignal::new(name.en),
            name_fa: RwSignal::new(name.fa),
            questions: RwSignal::new(questions),
        }
    }

    fn name(&self) -> Bilingual {
        Bilingual::new(self.name_en.get().trim(), self.name_fa.get().trim())
    }

    /// The questions as edited, or the locale key of the first thing missing.
    fn build(&self) -> Result<Vec<Question>, &'static str> {
        let name = self.name();
        if name.en.is_empty() || name.fa.is_empty() {
            return Err("designer.error.words");
        }
        let questions = self.questions.get();
        if questions.is_empty() {
            return Err("designer.error.none");
        }
        questions.iter().map(QuestionEdit::build).collect()
    }
}

/// The Card designer screen.
#[component]
pub fn CardDesigner() -> impl IntoView {
    let state = use_state();
    let editing = RwSignal::new(None::<TemplateEdit>);
    // The editor's signals belong to this screen, not to the list or editor that asks for them:
    // those are replaced while the signals are still in use.
    let owner = Owner::current().expect("the designer is rendered inside the app");
    let open = Callback::new({
        let owner = owner.clone();
        move |t: Option<CardTemplate>| editing.set(Some(owner.with(|| TemplateEdit::from(t))))
    });
    let add_question = Callback::new(move |()| {
        let q = owner.with(QuestionEdit::blank);
        editing.with_untracked(|e| {
            if let Some(e) = e {
                e.questions.update(|qs| qs.push(q));
            }
        });
    });
    view! {
        <CardTabs current=Route::CardsDesigner/>
        <h1>{move || state.t("designer.title")}</h1>
        <p class="lead">{move || state.t("designer.intro")}</p>
        {move || match editing.get() {
            Some(edit) => view! { <Editor edit=edit editing=editing add_question=add_question/> }.into_any(),
            None => view! { <TemplateList open=open/> }.into_any(),
        }}
    }
}

fn cards_of(state: AppState, id: Uuid) -> usize {
    state
        .data
        .with(|d| d.cards.values().filter(|c| c.template == id).count())
}

/// Every template with its actions.
#[component]
fn TemplateList(
    /// Opens the editor on a template, or on a new one.
    open: Callback<Option<CardTemplate>>,
) -> impl IntoView {
    let state = use_state();
    let sync = crate::sync::device::use_sync();
    let inbox_ready = move || sync.keys.with(Option::is_some);
    let save = move |t: CardTemplate, message: String| {
        if state.save(Record::Template(t)).is_ok() {
            state.notify(Tone::Success, message);
        }
    };
    view! {
        <div class="actions">
            <button type="button" class="primary" on:click=move |_| open.run(None)>
                {move || state.t("designer.new")}
            </button>
        </div>
        <ul class="template-list">
            {move || {
                let lang = state.lang.get();
                all_templates(state)
                    .into_iter()
                    .map(|t| {
                        let name = lang.pick(&t.name);
                        let heading_id = format!("tpl-{}", t.meta.id);
                        let labelled = heading_id.clone();
                        let link = format!("card.html?template={}", t.meta.id);
                        let (edit_t, dup_t, arch_t) = (t.clone(), t.clone(), t.clone());
                        let id = t.meta.id;
                        view! {
                            <li class="panel" aria-labelledby=labelled>
                                <h2 id=heading_id dir="auto">{name}</h2>
                                <p class="muted">
                                    {i18n::tf(lang, "designer.version", &[("n", i18n::int(lang, u64::from(t.version)))])}
                                    {move || state.t("list.dot.format")}
                                    {i18n::tf(lang, "designer.cards", &[("n", i18n::int(lang, cards_of(state, t.meta.id) as u64))])}
                                    {t.archived.then(|| format!("{}{}", i18n::t(lang, "list.dot.format"), i18n::t(lang, "designer.archived")))}
                                </p>
                                <p class="muted small">
                                    {i18n::t(lang, "designer.link")}
                                    " "
                                    <bdi dir="ltr">{link}</bdi>
                                </p>
                                <p class="small">
                                    {move || {
                                        if inbox_ready() {
                                            view! { <a href=format!("{}?card={id}", Route::Sync.href())>{move || state.t("designer.phones")}</a> }.into_any()
                                        } else {
                                            view! { <span>{move || state.t("designer.phones.none")}</span> }.into_any()
                                        }
                                    }}
                                </p>
                                <div class="actions">
                                    <button
                                        type="button"
                                        class="secondary"
                                        aria-describedby=format!("tpl-{}", t.meta.id)
                                        on:click=move |_| open.run(Some(edit_t.clone()))
                                    >
                                        {i18n::t(lang, "designer.edit")}
                                    </button>
                                    <button
                                        type="button"
                                        class="secondary"
                                        aria-describedby=format!("tpl-{}", t.meta.id)
                                        on:click=move |_| {
                                            let lang = state.lang.get_untracked();
                                            let suffix = |l: Lang| i18n::t(l, "designer.copy_suffix");
                                            let name = Bilingual::new(
                                                format!("{}{}", dup_t.name.en, suffix(Lang::En)),
                                                format!("{}{}", dup_t.name.fa, suffix(Lang::Fa)),
                                            );
                                            let copy = dup_t.duplicate(Meta::new(chrono::Utc::now()), name);
                                            let message = i18n::tf(lang, "designer.duplicated", &[("name", lang.pick(&copy.name))]);
                                            save(copy, message);
                                        }
                                    >
                                        {i18n::t(lang, "designer.duplicate")}
                                    </button>
                                    <button
                                        type="button"
                                        class="secondary"
                                        aria-describedby=format!("tpl-{}", t.meta.id)
                                        on:click=move |_| {
                                            let mut t = arch_t.clone();
                                            t.archived = !t.archived;
                                            t.meta.touch(chrono::Utc::now());
                                            save(t, state.t("designer.saved").to_owned());
                                        }
                                    >
                                        {i18n::t(lang, if t.archived { "designer.restore" } else { "designer.archive" })}
                                    </button>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

/// Editing one template, with the two previews beside it.
#[component]
fn Editor(
    edit: TemplateEdit,
    /// Set to `None` to close the editor.
    editing: RwSignal<Option<TemplateEdit>>,
    /// Appends a blank question.
    add_question: Callback<()>,
) -> impl IntoView {
    let state = use_state();
    let error = RwSignal::new(None::<String>);
    let announce = RwSignal::new(String::new());
    let dragging = RwSignal::new(None::<String>);

    let move_to = move |key: String, to: usize| {
        edit.questions.update(|qs| {
            if let Some(from) = qs.iter().position(|q| q.key.get_value() == key) {
                let q = qs.remove(from);
                let to = to.min(qs.len());
                qs.insert(to, q);
                let lang = state.lang.get_untracked();
                announce.set(i18n::tf(
                    lang,
                    "designer.moved",
                    &[("n", i18n::int(lang, to as u64 + 1))],
                ));
            }
        });
    };
    let position = move |key: &str| {
        edit.questions
            .with(|qs| qs.iter().position(|q| q.key.get_value() == key))
    };

    let preview = Signal::derive(move || {
        let questions = edit
            .questions
            .get()
            .iter()
            .filter_map(|q| q.build().ok())
            .collect::<Vec<_>>();
        (edit.name(), questions)
    });

    let save = move |_| {
        let lang = state.lang.get_untracked();
        let questions = match edit.build() {
            Ok(q) => q,
            Err(key) => {
                error.set(Some(i18n::t(lang, key).to_owned()));
                return;
            }
        };
        let now = chrono::Utc::now();
        let template = match edit.base.get_value() {
            Some(base) => {
                let answered = state.data.with_untracked(|d| {
                    d.cards
                        .values()
                        .any(|c| c.template == base.meta.id && c.template_version == base.version)
                });
                base.revise(edit.name(), questions, answered, now)
            }
            None => CardTemplate {
                meta: Meta::new(now),
                name: edit.name(),
                version: 1,
                archived: false,
                questions,
                previous: Vec::new(),
            },
        };
        if let Err(e) = template.validate() {
            error.set(Some(i18n::tf(
                lang,
                "designer.error.invalid",
                &[("reason", i18n::t(lang, e.message_key()).to_owned())],
            )));
            return;
        }
        let grew = edit
            .base
            .get_value()
            .is_some_and(|b| b.version != template.version);
        let version = template.version;
        if state.save(Record::Template(template)).is_ok() {
            let message = if grew {
                i18n::tf(
                    lang,
                    "designer.saved_version",
                    &[("n", i18n::int(lang, u64::from(version)))],
                )
            } else {
                i18n::t(lang, "designer.saved").to_owned()
            };
            state.notify(Tone::Success, message);
            editing.set(None);
        }
    };

    let text_input = move |id: String, key: &'static str, value: RwSignal<String>, lang: Lang| {
        let for_id = id.clone();
        view! {
            <div class="field">
                <label for=for_id>{move || state.t(key)}</label>
                <input id=id type="text" lang=lang.code() dir=lang.dir() maxlength="200" bind:value=value/>
            </div>
        }
    };

    view! {
        <div class="designer">
            <form class="designer-form" on:submit=move |ev| ev.prevent_default()>
                <h2>
                    {move || {
                        let name = edit.name();
                        let shown = state.lang.get().pick(&name);
                        let shown = if shown.is_empty() { state.t("designer.untitled").to_owned() } else { shown };
                        state.tf("designer.editing", &[("name", shown)])
                    }}
                </h2>
                <div class="grid-fields two">
                    {text_input("tpl-name-en".into(), "designer.name_en", edit.name_en, Lang::En)}
                    {text_input("tpl-name-fa".into(), "designer.name_fa", edit.name_fa, Lang::Fa)}
                </div>
                <p class="sr-only" role="status" aria-live="polite">{move || announce.get()}</p>
                <For each=move || edit.questions.get() key=|q| q.key.get_value() let:q>
                    {
                        let key = q.key.get_value();
                        let (k_drop, k_drag, k_remove) = (key.clone(), key.clone(), key.clone());
                        let k_pos = StoredValue::new(key.clone());
                        let index = move || k_pos.with_value(|k| position(k)).unwrap_or(0);
                        let is_last = move || index() + 1 >= edit.questions.with(Vec::len);
                        let base_id = format!("qe-{key}");
                        view! {
                            <fieldset
                                class="panel question-edit"
                                class:dragging=move || dragging.get().as_deref() == Some(k_drag.as_str())
                                on:dragover=move |ev| ev.prevent_default()
                                on:drop=move |ev| {
                                    ev.prevent_default();
                                    if let Some(from) = dragging.get_untracked() {
                                        if let Some(to) = position(&k_drop) {
                                            move_to(from, to);
                                        }
                                    }
                                    dragging.set(None);
                                }
                            >
                                <legend>
                                    <span
                                        class="drag-handle"
                                        draggable="true"
                                        title=move || state.t("designer.drag")
                                        aria-hidden="true"
                                        on:dragstart={
                                            let key = key.clone();
                                            move |ev: leptos::ev::DragEvent| {
                                                // Some browsers start a drag only when it carries data.
                                                if let Some(dt) = ev.data_transfer() {
                                                    let _ = dt.set_data("text/plain", &key);
                                                    dt.set_effect_allowed("move");
                                                }
                                                dragging.set(Some(key.clone()));
                                            }
                                        }
                                        on:dragend=move |_| dragging.set(None)
                                    >
                                        "⠿"
                                    </span>
                                    {move || state.tf("designer.question", &[("n", i18n::int(state.lang.get(), index() as u64 + 1))])}
                                </legend>
                                <QuestionFields q=q base_id=base_id/>
                                <div class="actions">
                                    <button
                                        type="button"
                                        class="secondary"
                                        disabled=move || index() == 0
                                        on:click=move |_| move_to(k_pos.get_value(), index().saturating_sub(1))
                                    >
                                        {move || state.t("designer.up")}
                                    </button>
                                    <button
                                        type="button"
                                        class="secondary"
                                        disabled=is_last
                                        on:click=move |_| move_to(k_pos.get_value(), index() + 1)
                                    >
                                        {move || state.t("designer.down")}
                                    </button>
                                    <button
                                        type="button"
                                        class="ghost"
                                        on:click=move |_| edit.questions.update(|qs| qs.retain(|x| x.key.get_value() != k_remove))
                                    >
                                        {move || state.t("designer.remove")}
                                    </button>
                                </div>
                            </fieldset>
                        }
                    }
                </For>
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| add_question.run(())>
                        {move || state.t("designer.add")}
                    </button>
                </div>
                <Show when=move || error.get().is_some()>
                    <p class="problems" role="alert">{move || error.get()}</p>
                </Show>
                <div class="actions">
                    <button type="button" class="primary" on:click=save>{move || state.t("designer.save")}</button>
                    <button type="button" class="secondary" on:click=move |_| editing.set(None)>
                        {move || state.t("designer.cancel")}
                    </button>
                </div>
            </form>
            <div class="previews">
                <Preview lang=Lang::En content=preview/>
                <Preview lang=Lang::Fa content=preview/>
            </div>
        </div>
    }
}

/// The fields of one question.
#[component]
fn QuestionFields(q: QuestionEdit, base_id: String) -> impl IntoView {
    let state = use_state();
    let id = move |suffix: &str| format!("{base_id}-{suffix}");
    let is_rating = move || matches!(q.kind.get(), "rating5" | "nps" | "rating7");
    let is_choice = move || matches!(q.kind.get(), "single" | "multi");
    let (type_id, labels_id, en_id, fa_id, req_id, oen_id, ofa_id) = (
        id("type"),
        id("labels"),
        id("en"),
        id("fa"),
        id("required"),
        id("options-en"),
        id("options-fa"),
    );
    let (type_for, labels_for, en_for, fa_for, req_for, oen_for, ofa_for) = (
        type_id.clone(),
        labels_id.clone(),
        en_id.clone(),
        fa_id.clone(),
        req_id.clone(),
        oen_id.clone(),
        ofa_id.clone(),
    );
    view! {
        <div class="grid-fields two">
            <div class="field">
                <label for=type_for>{move || state.t("designer.type")}</label>
                <select
                    id=type_id
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(t) = TYPES.iter().find(|t| **t == v) {
                            q.kind.set(t);
                            q.anchors.set(match *t {
                                "nps" => Anchors::Likelihood,
                                "rating5" | "rating7" => Anchors::Agreement,
                                _ => Anchors::Numbers,
                            });
                        }
                    }
                >
                    {TYPES
                        .iter()
                        .map(|t| {
                            view! {
                                <option value=*t selected=move || q.kind.get() == *t>
                                    {move || state.t(&format!("designer.type.{t}"))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <Show when=is_rating>
                <div class="field">
                    <label for=labels_for.clone()>{move || state.t("designer.labels")}</label>
                    <select
                        id=labels_id.clone()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(a) = LABELS.iter().find(|a| a.code() == v) {
                                q.anchors.set(*a);
                            }
                        }
                    >
                        {LABELS
                            .iter()
                            .map(|a| {
                                let a = *a;
                                view! {
                                    <option value=a.code() selected=move || q.anchors.get() == a>
                                        {move || state.t(&format!("designer.labels.{}", a.code()))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </Show>
        </div>
        <div class="grid-fields two">
            <div class="field">
                <label for=en_for>{move || state.t("designer.text_en")}</label>
                <textarea id=en_id rows="2" lang="en" dir="ltr" maxlength="5000" bind:value=q.text_en></textarea>
            </div>
            <div class="field">
                <label for=fa_for>{move || state.t("designer.text_fa")}</label>
                <textarea id=fa_id rows="2" lang="fa" dir="rtl" maxlength="5000" bind:value=q.text_fa></textarea>
            </div>
        </div>
        <Show when=is_choice>
            <div class="grid-fields two">
                <div class="field">
                    <label for=oen_for.clone()>{move || state.t("designer.options_en")}</label>
                    <textarea id=oen_id.clone() rows="4" lang="en" dir="ltr" bind:value=q.options_en></textarea>
                </div>
                <div class="field">
                    <label for=ofa_for.clone()>{move || state.t("designer.options_fa")}</label>
                    <textarea id=ofa_id.clone() rows="4" lang="fa" dir="rtl" bind:value=q.options_fa></textarea>
                </div>
            </div>
        </Show>
        <label class="check" for=req_for>
            <input id=req_id type="checkbox" bind:checked=q.required/>
            <span>{move || state.t("designer.required")}</span>
        </label>
    }
}

/// The card as customers will see it in one language: the same questions, scales and choices,
/// which can be tried here without anything being stored.
#[component]
fn Preview(lang: Lang, content: Signal<(Bilingual, Vec<Question>)>) -> impl IntoView {
    let state = use_state();
    let title = match lang {
        Lang::En => "designer.preview_en",
        Lang::Fa => "designer.preview_fa",
    };
    // Within the card the language is `lang`, whatever language the designer is in, and its
    // ids cannot meet the other preview's. Each `Provider` scopes its value to what it wraps.
    let card_state = AppState {
        lang: RwSignal::new(lang),
        ..state
    };
    let prefix = IdPrefix(match lang {
        Lang::En => "preview-en-",
        Lang::Fa => "preview-fa-",
    });
    let answers = RwSignal::new(BTreeMap::new());
    let problems = RwSignal::new(Vec::new());
    let name = move || {
        Some(lang.pick(&content.with(|c| c.0.clone())))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| i18n::t(lang, "designer.untitled").to_owned())
    };
    view! {
        <section class="panel preview-card">
            <h2>{move || state.t(title)}</h2>
            <div lang=lang.code() dir=lang.dir() class="preview-body card-form">
                <p class="preview-name">{name}</p>
                <Provider value=card_state>
                    <Provider value=prefix>
                        <Questions
                            questions=Signal::derive(move || content.with(|c| c.1.clone()))
                            answers=answers
                            problems=problems
                        />
                    </Provider>
                </Provider>
            </div>
        </section>
    }
}
