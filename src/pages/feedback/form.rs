//! The form that registers a feedback item, quick enough to fill by keyboard while the customer
//! is still on the phone, and that corrects an item's details later.

use chrono::{NaiveTime, Utc};
use leptos::{html, prelude::*};

use super::{link, me, update};
use crate::{
    components::{
        date_field::{DateField, DateInput},
        text_options::TextOptions,
    },
    domain::{
        card::{self, Contact},
        feedback::{Channel, FeedbackItem, FeedbackKind},
        rater::Dimension,
        sla, text, Meta, Record,
    },
    i18n,
    router::go,
    state::{use_state, Tone},
    store::prefs,
    web,
};

/// The form that registers a new item, or corrects the details of one. Kind is focused first;
/// the rest can be filled and saved with the keyboard alone.
#[component]
pub(super) fn ItemForm(
    /// The item whose details are corrected; none to register a new one.
    #[prop(optional)]
    existing: Option<FeedbackItem>,
    /// Closes the form.
    on_close: Callback<()>,
) -> impl IntoView {
    let state = use_state();
    let lang = state.lang.get_untracked();
    let offset = web::local_offset();
    let base = existing.clone();
    let editing = existing.is_some();
    let kind = RwSignal::new(base.as_ref().map_or(FeedbackKind::Complaint, |i| i.kind));
    let channel = RwSignal::new(base.as_ref().map_or(Channel::Phone, |i| i.channel));
    let dimension = RwSignal::new(base.as_ref().and_then(|i| i.dimension));
    let text_of =
        |f: fn(&FeedbackItem) -> String| RwSignal::new(base.as_ref().map(f).unwrap_or_default());
    let segment = text_of(|i| i.segment.clone());
    // A new item starts at this device's branch.
    let branch = RwSignal::new(match &base {
        Some(i) => i.branch.clone(),
        None => prefs::get::<String>(prefs::BRANCH).unwrap_or_default(),
    });
    let branches = Memo::new(move |_| state.settings().branches);
    let customer = text_of(|i| i.customer.clone());
    let contact = text_of(|i| {
        i.contact
            .as_ref()
            .map(|c| c.value.clone())
            .unwrap_or_default()
    });
    let consent = RwSignal::new(
        base.as_ref()
            .and_then(|i| i.contact.as_ref())
            .is_some_and(|c| c.consent),
    );
    let description = text_of(|i| i.description.clone());
    let when = base
        .as_ref()
        .map_or_else(Utc::now, |i| i.occurred)
        .with_timezone(&offset);
    let day = DateField::with_day(lang, when.date_naive());
    let time = RwSignal::new(i18n::digits_in(lang, &when.format("%H:%M").to_string()));
    let error = RwSignal::new(None::<&'static str>);
    let first = NodeRef::<html::Select>::new();
    Effect::new(move |_| {
        if let Some(el) = first.get() {
            let _ = el.focus();
        }
    });
    let segments = Memo::new(move |_| state.settings().segments);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = state.lang.get_untracked();
        let text = description.get_untracked();
        if text.trim().is_empty() {
            error.set(Some("fb.error.description"));
            return;
        }
        let occurred = match (day.day(), sla::parse_time(&time.get_untracked())) {
            (Ok(Some(d)), Some(minutes)) => {
                let t = NaiveTime::from_hms_opt(
                    u32::from(minutes.min(1439) / 60),
                    u32::from(minutes.min(1439) % 60),
                    0,
                )
                .unwrap_or(NaiveTime::MIN);
                d.and_time(t)
                    .and_local_timezone(web::local_offset())
                    .single()
                    .map(|t| t.with_timezone(&Utc))
            }
            _ => None,
        };
        let Some(occurred) = occurred.filter(|o| *o <= Utc::now() + chrono::Duration::minutes(5))
        else {
            error.set(Some("fb.error.when"));
            return;
        };
        let typed_contact = contact.get_untracked().trim().to_owned();
        if !typed_contact.is_empty()
            && !card::is_phone(&typed_contact)
            && !card::is_email(&typed_contact)
        {
            error.set(Some("fb.error.contact"));
            return;
        }
        if text::check("customer", &customer.get_untracked(), text::SHORT).is_err() {
            error.set(Some("fb.error.customer"));
            return;
        }
        let now = Utc::now();
        let details = FeedbackItem {
            dimension: dimension.get_untracked(),
            segment: segment.get_untracked(),
            customer: customer.get_untracked().trim().to_owned(),
            branch: branch.get_untracked(),
            contact: (!typed_contact.is_empty()).then(|| Contact {
                value: typed_contact,
                consent: consent.get_untracked(),
            }),
            ..FeedbackItem::reported(
                Meta::new(now),
                kind.get_untracked(),
                channel.get_untracked(),
                text.trim().to_owned(),
                occurred,
            )
        };
        if let Some(old) = &existing {
            if update(state, old.meta.id, |i| {
                i.correct(details, &me(), now);
                Ok(())
            }) {
                state.notify(Tone::Success, i18n::t(lang, "fb.updated"));
                on_close.run(());
            }
            return;
        }
        let item = details.register(&me(), now);
        if let Err(e) = item.validate() {
            state.notify(Tone::Error, i18n::t(lang, e.message_key()));
            return;
        }
        let id = item.meta.id;
        if state.save(Record::Feedback(item)).is_ok() {
            state.notify_next(Tone::Success, i18n::t(lang, "fb.saved"));
            on_close.run(());
            go(&link(id));
        }
    };

    view! {
        <form class="panel new-feedback" on:submit=save novalidate aria-labelledby="fb-new-heading">
            <h2 id="fb-new-heading">{move || state.t(if editing { "fb.edit.title" } else { "fb.new.title" })}</h2>
            <div class="grid-fields two">
                <div class="field">
                    <label for="fb-kind">{move || state.t("fb.kind")}</label>
                    <select
                        id="fb-kind"
                        node_ref=first
                        on:change=move |ev| {
                            if let Some(k) = FeedbackKind::ALL.into_iter().find(|k| k.code() == event_target_value(&ev)) {
                                kind.set(k);
                            }
                        }
                    >
                        {FeedbackKind::ALL
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.code() selected=move || kind.get() == k>
                                        {move || state.t(&format!("feedback.kind.{}", k.code()))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="fb-channel">{move || state.t("fb.channel")}</label>
                    <select
                        id="fb-channel"
                        on:change=move |ev| {
                            if let Some(c) = Channel::ALL.into_iter().find(|c| c.code() == event_target_value(&ev)) {
                                channel.set(c);
                            }
                        }
                    >
                        {Channel::ALL
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <option value=c.code() selected=move || channel.get() == c>
                                        {move || state.t(&format!("feedback.channel.{}", c.code()))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="fb-description">{move || state.t("fb.description")}</label>
                <textarea id="fb-description" rows="4" maxlength="5000" dir="auto" bind:value=description></textarea>
            </div>
            <div class="grid-fields">
                <DateInput id="fb-day" label="fb.when" field=day/>
                <div class="field field-number">
                    <label for="fb-time">{move || state.t("fb.time")}</label>
                    <input id="fb-time" type="text" inputmode="numeric" dir="ltr" maxlength="5" bind:value=time/>
                </div>
                <div class="field">
                    <label for="fb-dimension">{move || state.t("fb.dimension")}</label>
                    <select id="fb-dimension" on:change=move |ev| dimension.set(Dimension::from_code(&event_target_value(&ev)))>
                        <option value="">{move || state.t("fb.none_chosen")}</option>
                        {Dimension::ALL
                            .into_iter()
                            .map(|d| view! { <option value=d.code()>{move || state.t(&format!("dimension.{}", d.code()))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="fb-segment">{move || state.t("fb.segment")}</label>
                    <select id="fb-segment" on:change=move |ev| segment.set(event_target_value(&ev))>
                        <option value="">{move || state.t("fb.none_chosen")}</option>
                        <TextOptions values=segments selected=segment/>
                    </select>
                </div>
                <Show when=move || branches.with(|b| !b.is_empty()) || !branch.get().is_empty()>
                    <div class="field">
                        <label for="fb-branch">{move || state.t("fb.branch")}</label>
                        <select id="fb-branch" on:change=move |ev| branch.set(event_target_value(&ev))>
                            <option value="" selected=move || branch.get().is_empty()>{move || state.t("fb.none_chosen")}</option>
                            // A branch since renamed in Settings stays choosable on its items.
                            <TextOptions
                                values=Signal::derive(move || {
                                    let mut all = branches.get();
                                    let b = branch.get();
                                    if !b.is_empty() && !all.contains(&b) {
                                        all.push(b);
                                    }
                                    all
                                })
                                selected=branch
                                branches=true
                            />
                        </select>
                    </div>
                </Show>
            </div>
            <div class="grid-fields two">
                <div class="field">
                    <label for="fb-customer">{move || state.t("fb.customer")}</label>
                    <input id="fb-customer" type="text" maxlength="200" dir="auto" bind:value=customer/>
                </div>
                <div class="field">
                    <label for="fb-contact">{move || state.t("fb.contact")}</label>
                    <input id="fb-contact" type="text" maxlength="200" dir="ltr" inputmode="email" bind:value=contact/>
                </div>
            </div>
            <label class="check" for="fb-consent">
                <input type="checkbox" id="fb-consent" bind:checked=consent/>
                {move || state.t("fb.consent")}
            </label>
            {move || error.get().map(|key| view! { <p class="field-error" role="alert">{state.t(key)}</p> })}
            <div class="actions">
                <button type="submit" class="primary">{move || state.t("fb.save")}</button>
                <button type="button" class="ghost" on:click=move |_| on_close.run(())>{move || state.t("fb.cancel")}</button>
            </div>
        </form>
    }
}
