//! The Settings screen: business name, branches, customer segments, feedback targets,
//! dimension weights, follow-up delay. Saved as one record that travels with exports.

use leptos::{prelude::*, task::spawn_local};

use crate::{
    components::{section_tabs::SectionTabs, text_options::TextOptions},
    domain::{
        digits,
        feedback::FeedbackKind,
        pin::{self, PinHash},
        rater::Dimension,
        settings::{Settings, MAX_HOLIDAYS, MAX_RETENTION_DAYS},
        sla::{self, Day},
        standard::Measure,
        text, Record,
    },
    i18n::{self, Lang},
    router::Route,
    state::{use_state, Tone},
    store::prefs,
    web,
};

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What to correct in one field: `(field id, sentence)`.
type FieldError = (String, String);

/// The form's fields as typed, before they are checked.
#[derive(Clone)]
struct Form {
    business: RwSignal<String>,
    branches: RwSignal<String>,
    segments: RwSignal<String>,
    /// The business's name in Persian, and each branch's, a line each in the branches' order.
    business_fa: RwSignal<String>,
    branches_fa: RwSignal<String>,
    sla: Vec<(FeedbackKind, RwSignal<String>)>,
    /// Per kind, the standard its target measures (a standard's id, or empty): as chosen, and
    /// as filled, so that only a changed choice rewrites the standards.
    measures: Vec<(FeedbackKind, RwSignal<String>, RwSignal<String>)>,
    weights: Vec<(Dimension, RwSignal<String>)>,
    follow_up: RwSignal<String>,
    kiosk_idle: RwSignal<String>,
    retention: RwSignal<String>,
    reminder: RwSignal<String>,
    hide_unconsented: RwSignal<bool>,
    /// A new staff PIN as typed; empty keeps the current one.
    pin: RwSignal<String>,
    days: Vec<(Day, RwSignal<bool>)>,
    opens: RwSignal<String>,
    closes: RwSignal<String>,
    /// One day per line, in the user's calendar.
    holidays: RwSignal<String>,
}

impl Form {
    fn new(s: &Settings, lang: Lang) -> Self {
        let form = Self {
            business: RwSignal::new(String::new()),
            branches: RwSignal::new(String::new()),
            segments: RwSignal::new(String::new()),
            business_fa: RwSignal::new(String::new()),
            branches_fa: RwSignal::new(String::new()),
            sla: FeedbackKind::ALL
                .iter()
                .map(|k| (*k, RwSignal::new(String::new())))
                .collect(),
            measures: FeedbackKind::ALL
                .iter()
                .map(|k| {
                    (
                        *k,
                        RwSignal::new(String::new()),
                        RwSignal::new(String::new()),
                    )
                })
                .collect(),
            weights: Dimension::ALL
                .iter()
                .map(|d| (*d, RwSignal::new(String::new())))
                .collect(),
            follow_up: RwSignal::new(String::new()),
            kiosk_idle: RwSignal::new(String::new()),
            retention: RwSignal::new(String::new()),
            reminder: RwSignal::new(String::new()),
            hide_unconsented: RwSignal::new(false),
            pin: RwSignal::new(String::new()),
            days: Day::ALL
                .iter()
                .map(|d| (*d, RwSignal::new(false)))
                .collect(),
            opens: RwSignal::new(String::new()),
            closes: RwSignal::new(String::new()),
            holidays: RwSignal::new(String::new()),
        };
        form.fill(s, lang);
        form
    }

    /// Puts the stored settings into the fields, in the language's digits.
    fn fill(&self, s: &Settings, lang: Lang) {
        let n = |v: u32| i18n::digits_in(lang, &v.to_string());
        self.business.set(s.business_name.clone());
        self.branches.set(s.branches.join("\n"));
        self.business_fa.set(s.business_name_fa.clone());
        self.branches_fa.set(
            s.branches
                .iter()
                .map(|b| s.branch_names_fa.get(b).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end()
                .to_owned(),
        );
        self.segments.set(s.segments.join("\n"));
        for (k, v) in &self.sla {
            v.set(n(s
                .sla_hours
                .get(k)
                .copied()
                .unwrap_or(k.default_sla_hours())));
        }
        for (k, chosen, filled) in &self.measures {
            let id = s
                .standards
                .iter()
                .find(|st| st.measure == Some(Measure::FeedbackTarget { kind: *k }))
                .map(|st| st.id.to_string())
                .unwrap_or_default();
            chosen.set(id.clone());
            filled.set(id);
        }
        for (d, v) in &self.weights {
            let w = s.weights.get(d).copied().unwrap_or(d.default_weight());
            v.set(i18n::digits_in(lang, &format!("{w}")));
        }
        self.follow_up.set(n(s.follow_up_days));
        self.kiosk_idle.set(n(s.kiosk_idle_seconds));
        self.retention.set(n(s.retention_days));
        self.reminder.set(n(s.export_reminder_days));
        self.hide_unconsented.set(s.hide_unconsented);
        self.pin.set(String::new());
        for (d, v) in &self.days {
            v.set(s.work_days.contains(d));
        }
        self.opens
            .set(i18n::digits_in(lang, &sla::format_time(s.opens)));
        self.closes
            .set(i18n::digits_in(lang, &sla::format_time(s.closes)));
        self.holidays.set(
            s.holidays
                .iter()
                .map(|d| i18n::date_input(lang, *d))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }

    /// Writes what is typed again in `lang`'s digits and calendar, keeping every value: the
    /// language changed while the form was open.
    fn rewrite_in(&self, lang: Lang) {
        let numbers = self
            .sla
            .iter()
            .map(|(_, v)| *v)
            .chain(self.weights.iter().map(|(_, v)| *v))
            .chain([
                self.follow_up,
                self.kiosk_idle,
                self.retention,
                self.reminder,
                self.opens,
                self.closes,
            ]);
        for v in numbers {
            v.update(|t| *t = i18n::digits_in(lang, &digits::normalize(t)));
        }
        self.holidays.update(|text| {
            *text = text
                .lines()
                .map(|line| match i18n::parse_date(line) {
                    Some(day) => i18n::date_input(lang, day),
                    None => line.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n");
        });
    }

    /// The settings the form describes and a new PIN if one was typed, or what to correct:
    /// `(field id, sentence)`.
    fn read(
        &self,
        base: &Settings,
        lang: Lang,
    ) -> Result<(Settings, Option<String>), Vec<FieldError>> {
        let mut s = base.clone();
        s.hide_unconsented = self.hide_unconsented.get_untracked();
        let mut errors: Vec<(String, String)> = Vec::new();
        let label = |key: &str| i18n::t(lang, key).to_owned();
        s.business_name = self.business.get_untracked().trim().to_owned();
        s.business_name_fa = self.business_fa.get_untracked().trim().to_owned();
        for (id, key, name) in [
            ("business-name", "settings.business", &s.business_name),
            (
                "business-name-fa",
                "settings.business_fa",
                &s.business_name_fa,
            ),
        ] {
            if text::check("business", name, text::SHORT).is_err() {
                errors.push((
                    id.into(),
                    i18n::tf(lang, "settings.error.text", &[("field", label(key))]),
                ));
            }
        }
        s.branches = lines(&self.branches.get_untracked());
        s.segments = lines(&self.segments.get_untracked());
        // The n-th line names the n-th branch in Persian; an empty line keeps it as it is.
        let persian: Vec<String> = self
            .branches_fa
            .get_untracked()
            .lines()
            .map(|l| l.trim().to_owned())
            .collect();
        let named = persian.iter().filter(|l| !l.is_empty()).count();
        s.branch_names_fa = s
            .branches
            .iter()
            .zip(&persian)
            .filter(|(_, fa)| !fa.is_empty())
            .map(|(b, fa)| (b.clone(), fa.clone()))
            .collect();
        let too_long = s
            .branch_names_fa
            .values()
            .any(|fa| text::check("branches", fa, text::SHORT).is_err());
        if s.branch_names_fa.len() < named || too_long {
            errors.push((
                "branches-fa".into(),
                i18n::t(lang, "settings.branches_fa.error").to_owned(),
            ));
        }
        for (id, key, list) in [
            ("branches", "settings.branches", &s.branches),
            ("segments", "settings.segments", &s.segments),
        ] {
            let mut probe = Settings::defaults(base.meta.created);
            probe.branches = list.clone();
            if probe.validate().is_err() {
                errors.push((
                    id.into(),
                    i18n::tf(lang, "settings.error.list", &[("field", label(key))]),
                ));
            }
        }
        for (kind, value) in &self.sla {
            match digits::parse_u32(&value.get_untracked()).filter(|h| (1..=2_000).contains(h)) {
                Some(h) => {
                    s.sla_hours.insert(*kind, h);
                }
                None => errors.push((
                    format!("sla-{}", kind.code()),
                    i18n::tf(
                        lang,
                        "settings.error.number",
                        &[
                            ("field", label(&format!("feedback.kind.{}", kind.code()))),
                            ("min", i18n::int(lang, 1)),
                            ("max", i18n::int(lang, 2_000)),
                        ],
                    ),
                )),
            }
        }
        for (kind, chosen, filled) in &self.measures {
            let (chosen, filled) = (chosen.get_untracked(), filled.get_untracked());
            if chosen == filled {
                continue;
            }
            let target = Some(Measure::FeedbackTarget { kind: *kind });
            for st in &mut s.standards {
                if st.measure == target {
                    st.measure = None;
                }
                if st.id.to_string() == chosen {
                    st.measure = target.clone();
                }
            }
        }
        // A standard is measured one way: two targets naming the same one is a mistake.
        for (kind, chosen, _) in &self.measures {
            let chosen = chosen.get_untracked();
            let kept = s.standards.iter().any(|st| {
                st.id.to_string() == chosen
                    && st.measure == Some(Measure::FeedbackTarget { kind: *kind })
            });
            if !chosen.is_empty() && !kept {
                errors.push((
                    format!("measures-{}", kind.code()),
                    i18n::t(lang, "settings.sla.standard.twice").to_owned(),
                ));
            }
        }
        for (dim, value) in &self.weights {
            match digits::parse_f64(&value.get_untracked()).filter(|w| (0.0..=100.0).contains(w)) {
                Some(w) => {
                    s.weights.insert(*dim, w);
                }
                None => errors.push((
                    format!("weight-{}", dim.code()),
                    i18n::tf(
                        lang,
                        "settings.error.weight",
                        &[("field", label(&format!("dimension.{}", dim.code())))],
                    ),
                )),
            }
        }
        // Whole numbers, each within its range.
        for (id, key, field, range, value) in [
            (
                "follow-up",
                "settings.follow_up",
                self.follow_up,
                0..=365,
                &mut s.follow_up_days,
            ),
            (
                "kiosk-idle",
                "settings.kiosk_idle",
                self.kiosk_idle,
                15..=3_600,
                &mut s.kiosk_idle_seconds,
            ),
            (
                "retention",
                "settings.retention",
                self.retention,
                0..=MAX_RETENTION_DAYS,
                &mut s.retention_days,
            ),
            (
                "export-reminder",
                "settings.export_reminder",
                self.reminder,
                0..=365,
                &mut s.export_reminder_days,
            ),
        ] {
            match digits::parse_u32(&field.get_untracked()).filter(|d| range.contains(d)) {
                Some(d) => *value = d,
                None => errors.push((
                    id.into(),
                    i18n::tf(
                        lang,
                        "settings.error.number",
                        &[
                            ("field", label(key)),
                            ("min", i18n::int(lang, u64::from(*range.start()))),
                            ("max", i18n::int(lang, u64::from(*range.end()))),
                        ],
                    ),
                )),
            }
        }
        s.work_days = self
            .days
            .iter()
            .filter(|(_, v)| v.get_untracked())
            .map(|(d, _)| *d)
            .collect();
        if s.work_days.is_empty() {
            errors.push((
                "work-days".into(),
                i18n::t(lang, "settings.error.days").to_owned(),
            ));
        }
        match (
            sla::parse_time(&self.opens.get_untracked()),
            sla::parse_time(&self.closes.get_untracked()),
        ) {
            (Some(a), Some(b)) if a < b => (s.opens, s.closes) = (a, b),
            _ => errors.push((
                "opens".into(),
                i18n::t(lang, "settings.error.hours").to_owned(),
            )),
        }
        let typed = lines(&self.holidays.get_untracked());
        let days: Vec<_> = typed.iter().filter_map(|l| i18n::parse_date(l)).collect();
        if days.len() != typed.len() || days.len() > MAX_HOLIDAYS {
            errors.push((
                "holidays".into(),
                i18n::t(lang, "settings.error.holidays").to_owned(),
            ));
        } else {
            s.holidays = days.into_iter().collect();
        }
        let typed_pin = self.pin.get_untracked();
        let new_pin = if typed_pin.trim().is_empty() {
            None
        } else {
            let p = pin::normalize(&typed_pin);
            if p.is_none() {
                errors.push((
                    "staff-pin".into(),
                    i18n::t(lang, "settings.pin.error").to_owned(),
                ));
            }
            p
        };
        if errors.is_empty() {
            Ok((s, new_pin))
        } else {
            Err(errors)
        }
    }
}

/// The Settings screen.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = use_state();
    let current = move || {
        state
            .data
            .with_untracked(|d| d.settings.clone())
            .unwrap_or_else(|| Settings::defaults(chrono::Utc::now()))
    };
    let stored_updated = move || {
        state
            .data
            .with(|d| d.settings.as_ref().map(|s| s.meta.updated))
    };
    let form = Form::new(&current(), state.lang.get_untracked());
    let standards = Memo::new(move |_| state.settings().standards);
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let invalid = move |id: &str| {
        errors
            .with(|e| e.iter().any(|(f, _)| f == id))
            .then_some("true")
    };
    // What is wrong with one field, said beside it and announced with it.
    let problem =
        move |id: &str| errors.with(|e| e.iter().find(|(f, _)| f == id).map(|(_, m)| m.clone()));
    let field_error = move |id: String| {
        let error_id = format!("{id}-error");
        move || problem(&id).map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })
    };
    // The ids that describe a field: its help, and its error while it has one.
    let described = move |id: String, help: Option<String>| {
        move || {
            let error = problem(&id).map(|_| format!("{id}-error"));
            let ids: Vec<String> = help.iter().cloned().chain(error).collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    // When the form was filled from storage; another tab saving settings makes it stale, and a
    // stale form is never saved over the newer settings.
    let loaded = RwSignal::new(stored_updated());
    let stale = move || stored_updated() != loaded.get();

    // Numbers and days already typed follow a change of language.
    let lang_form = form.clone();
    Effect::new(move |previous: Option<Lang>| {
        let lang = state.lang.get();
        if previous.is_some_and(|p| p != lang) {
            lang_form.rewrite_in(lang);
        }
        lang
    });

    let reload_form = form.clone();
    let show_latest = move |_| {
        reload_form.fill(&current(), state.lang.get_untracked());
        loaded.set(stored_updated());
        errors.set(Vec::new());
    };

    let submit_form = form.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if stale() {
            return;
        }
        let lang = state.lang.get_untracked();
        let save = move |mut s: Settings| {
            s.meta.touch(chrono::Utc::now());
            let updated = s.meta.updated;
            if state.save(Record::Settings(s)).is_ok() {
                loaded.set(Some(updated));
                state.notify(Tone::Success, i18n::t(lang, "settings.saved"));
            }
        };
        match submit_form.read(&current(), lang) {
            Ok((s, None)) => {
                errors.set(Vec::new());
                save(s);
            }
            Ok((mut s, Some(new_pin))) => {
                errors.set(Vec::new());
                submit_form.pin.set(String::new());
                // Only a salted slow hash of the PIN is kept.
                spawn_local(async move {
                    let mut salt = [0u8; 16];
                    let hashed = match getrandom::fill(&mut salt) {
                        Ok(()) => web::pbkdf2(&new_pin, &salt, pin::ITERATIONS).await.ok(),
                        Err(_) => None,
                    };
                    match hashed {
                        Some(hash) => {
                            s.pin = Some(PinHash {
                                salt: pin::to_hex(&salt),
                                hash: pin::to_hex(&hash),
                                iterations: pin::ITERATIONS,
                            });
                            save(s);
                        }
                        None => state.notify(Tone::Error, i18n::t(lang, "pin.unavailable")),
                    }
                });
            }
            Err(list) => {
                errors.set(list);
                web::reveal_first_invalid("form.settings");
            }
        }
    };

    let text_field = move |id: &'static str, key: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{move || state.t(key)}</label>
                <input
                    id=id
                    type="text"
                    dir="auto"
                    maxlength="200"
                    aria-invalid=move || invalid(id)
                    aria-describedby=described(id.to_owned(), None)
                    bind:value=value
                />
                {field_error(id.to_owned())}
            </div>
        }
    };
    let list_field =
        move |id: &'static str, key: &'static str, help: &'static str, value: RwSignal<String>| {
            let help_id = format!("{id}-help");
            view! {
                <div class="field">
                    <label for=id>{move || state.t(key)}</label>
                    <textarea
                        id=id
                        rows="4"
                        dir="auto"
                        aria-describedby=described(id.to_owned(), Some(help_id.clone()))
                        aria-invalid=move || invalid(id)
                        bind:value=value
                    ></textarea>
                    <p class="hint" id=help_id>{move || state.t(help)}</p>
                    {field_error(id.to_owned())}
                </div>
            }
        };
    // A number typed in the user's digits; `help`, when given, is announced with the field.
    let number_field = move |id: String,
                             key: String,
                             value: RwSignal<String>,
                             mode: &'static str,
                             help: Option<&'static str>| {
        let help_id = format!("{id}-help");
        view! {
            <div class="field field-number">
                <label for=id.clone()>{move || state.t(&key)}</label>
                <input
                    id=id.clone()
                    type="text"
                    inputmode=mode
                    dir="ltr"
                    maxlength="8"
                    aria-describedby=described(id.clone(), help.map(|_| help_id.clone()))
                    aria-invalid={
                        let id = id.clone();
                        move || invalid(&id)
                    }
                    bind:value=value
                />
                {help.map(|h| view! { <p class="hint" id=help_id.clone()>{move || state.t(h)}</p> })}
                {field_error(id.clone())}
            </div>
        }
    };

    view! {
        <SectionTabs tabs=crate::pages::standards::TABS current=Route::Settings/>
        <h1>{move || state.t("settings.title")}</h1>
        <p class="lead">{move || state.t("settings.intro")}</p>
        <form class="settings" on:submit=on_submit novalidate>
            <Show when=stale>
                <div class="panel warn" role="alert">
                    <p>{move || state.t("settings.stale")}</p>
                    <button type="button" class="secondary" on:click=show_latest.clone()>
                        {move || state.t("settings.stale.load")}
                    </button>
                </div>
            </Show>
            <section class="panel">
                <div class="grid-fields two">
                    {text_field("business-name", "settings.business", form.business)}
                    {text_field("business-name-fa", "settings.business_fa", form.business_fa)}
                </div>
                <div class="grid-fields two">
                    {list_field("branches", "settings.branches", "settings.one_per_line", form.branches)}
                    {list_field("branches-fa", "settings.branches_fa", "settings.branches_fa.help", form.branches_fa)}
                </div>
                <DeviceBranch/>
                {list_field("segments", "settings.segments", "settings.segments.help", form.segments)}
                {number_field("follow-up".into(), "settings.follow_up".into(), form.follow_up, "numeric", None)}
            </section>
            <section class="panel">
                <div class="field">
                    <label for="staff-pin">{move || state.t("settings.pin")}</label>
                    <input
                        id="staff-pin"
                        type="password"
                        inputmode="numeric"
                        autocomplete="new-password"
                        dir="ltr"
                        maxlength="24"
                        aria-describedby=described("staff-pin".into(), Some("staff-pin-help staff-pin-state".into()))
                        aria-invalid=move || invalid("staff-pin")
                        bind:value=form.pin
                    />
                    <p class="hint" id="staff-pin-help">{move || state.t("settings.pin.help")}</p>
                    <p class="hint" id="staff-pin-state">
                        {move || {
                            let set = state.data.with(|d| d.settings.as_ref().is_some_and(|s| s.pin.is_some()));
                            state.t(if set { "settings.pin.is_set" } else { "settings.pin.not_set" })
                        }}
                    </p>
                    {field_error("staff-pin".to_owned())}
                </div>
                {number_field("kiosk-idle".into(), "settings.kiosk_idle".into(), form.kiosk_idle, "numeric", None)}
                <label class="check">
                    <input type="checkbox" bind:checked=form.hide_unconsented/>
                    {move || state.t("settings.hide_unconsented")}
                </label>
            </section>
            <section class="panel" aria-labelledby="guard-title">
                <h2 id="guard-title">{move || state.t("settings.guard.title")}</h2>
                {number_field("retention".into(), "settings.retention".into(), form.retention, "numeric", Some("settings.retention.help"))}
                <RetentionLog/>
                {number_field("export-reminder".into(), "settings.export_reminder".into(), form.reminder, "numeric", Some("settings.export_reminder.help"))}
            </section>
            <fieldset class="panel">
                <legend>{move || state.t("settings.sla.title")}</legend>
                <p class="hint">{move || state.t("settings.sla.help")}</p>
                <div class="grid-fields">
                    {form
                        .sla
                        .iter()
                        .map(|(k, v)| {
                            number_field(format!("sla-{}", k.code()), format!("feedback.kind.{}", k.code()), *v, "numeric", None)
                        })
                        .collect_view()}
                </div>
                <fieldset class="nested">
                <legend>{move || state.t("settings.sla.standards")}</legend>
                <Show
                    when=move || !standards.with(Vec::is_empty)
                    fallback=move || view! {
                        <p class="hint">
                            {move || state.t("settings.sla.no_standards")}
                            " "
                            <a href=Route::Standards.href()>{move || state.t("settings.sla.add_standard")}</a>
                        </p>
                    }
                >
                    <p class="hint">{move || state.t("settings.sla.standards.help")}</p>
                    <div class="grid-fields">
                        {form
                            .measures
                            .iter()
                            .map(|(k, chosen, _)| {
                                let (k, chosen) = (*k, *chosen);
                                let id = format!("measures-{}", k.code());
                                let (for_id, invalid_id) = (id.clone(), id.clone());
                                view! {
                                    <div class="field">
                                        <label for=for_id>
                                            {move || state.tf("settings.sla.standard.format", &[("kind", state.t(&format!("feedback.kind.{}", k.code())).to_owned())])}
                                        </label>
                                        <select
                                            id=id
                                            aria-invalid=move || invalid(&invalid_id)
                                            on:change=move |ev| chosen.set(event_target_value(&ev))
                                        >
                                            <option value="" selected=move || chosen.get().is_empty()>{move || state.t("settings.sla.standard.none")}</option>
                                            {move || {
                                                let l = state.lang.get();
                                                standards
                                                    .get()
                                                    .into_iter()
                                                    .map(|st| {
                                                        let value = st.id.to_string();
                                                        let v = value.clone();
                                                        view! {
                                                            <option value=value selected=move || chosen.get() == v>
                                                                {l.pick(&st.text)}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()
                                            }}
                                        </select>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </Show>
                </fieldset>
            </fieldset>
            <fieldset class="panel">
                <legend>{move || state.t("settings.hours.title")}</legend>
                <p class="hint">{move || state.t("settings.hours.help")}</p>
                <fieldset
                    class="days"
                    id="work-days"
                    aria-invalid=move || invalid("work-days")
                    aria-describedby=described("work-days".into(), None)
                >
                    <legend>{move || state.t("settings.days")}</legend>
                    {form
                        .days
                        .iter()
                        .map(|(d, v)| {
                            let (v, id) = (*v, format!("day-{}", d.code()));
                            let key = format!("day.{}", d.code());
                            let for_id = id.clone();
                            view! {
                                <label class="check" for=for_id>
                                    <input type="checkbox" id=id bind:checked=v/>
                                    {move || state.t(&key)}
                                </label>
                            }
                        })
                        .collect_view()}
                    {field_error("work-days".to_owned())}
                </fieldset>
                <div class="grid-fields">
                    {number_field("opens".into(), "settings.opens".into(), form.opens, "numeric", None)}
                    {number_field("closes".into(), "settings.closes".into(), form.closes, "numeric", None)}
                </div>
                {list_field("holidays", "settings.holidays", "settings.holidays.help", form.holidays)}
            </fieldset>
            <fieldset class="panel">
                <legend>{move || state.t("settings.weights.title")}</legend>
                <p class="hint">{move || state.t("settings.weights.help")}</p>
                <div class="grid-fields">
                    {form
                        .weights
                        .iter()
                        .map(|(d, v)| {
                            number_field(format!("weight-{}", d.code()), format!("dimension.{}", d.code()), *v, "decimal", None)
                        })
                        .collect_view()}
                </div>
            </fieldset>
            // The list of problems sits by the Save button, where the person is looking.
            <Show when=move || errors.with(|e| !e.is_empty())>
                <div class="problems" role="alert">
                    <ul>{move || errors.get().into_iter().map(|(_, e)| view! { <li>{e}</li> }).collect_view()}</ul>
                </div>
            </Show>
            <div class="actions">
                <button type="submit" class="primary">{move || state.t("settings.save")}</button>
            </div>
        </form>
    }
}

/// The runs of the retention rule that erased something, newest first.
#[component]
fn RetentionLog() -> impl IntoView {
    let state = use_state();
    let runs = move || {
        state.data.with(|d| {
            d.settings
                .as_ref()
                .map(|s| s.retention_log.iter().rev().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=move || !runs().is_empty()>
            <h3 id="retention-log-title">{move || state.t("settings.retention.log")}</h3>
            <ul class="plain" aria-labelledby="retention-log-title">
                {move || {
                    let lang = state.lang.get();
                    runs()
                        .into_iter()
                        .map(|run| {
                            let when = i18n::datetime(lang, run.at, web::local_offset());
                            view! {
                                <li>
                                    <span class="muted">{when}</span>
                                    " "
                                    {crate::state::retention_text(lang, &run)}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
}

/// The branch this device stands in, kept on this device only: the first choice for the cards
/// and feedback logged here, and for a kiosk started here.
#[component]
fn DeviceBranch() -> impl IntoView {
    let state = use_state();
    let branches = Memo::new(move |_| state.settings().branches);
    let chosen = RwSignal::new(prefs::get::<String>(prefs::BRANCH).unwrap_or_default());
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let kept = if value.is_empty() {
            prefs::remove(prefs::BRANCH);
            true
        } else {
            prefs::set(prefs::BRANCH, &value)
        };
        chosen.set(value);
        if kept {
            state.notify(Tone::Success, state.t("settings.device_branch.saved"));
        } else {
            state.notify(Tone::Error, state.t("settings.device_branch.failed"));
        }
    };
    view! {
        <Show when=move || branches.with(|b| !b.is_empty())>
            <div class="field">
                <label for="device-branch">{move || state.t("settings.device_branch")}</label>
                <select id="device-branch" aria-describedby="device-branch-help" on:change=on_change>
                    <option value="" selected=move || chosen.get().is_empty()>
                        {move || state.t("settings.device_branch.none")}
                    </option>
                    <TextOptions values=branches selected=chosen branches=true/>
                </select>
                <p class="hint" id="device-branch-help">{move || state.t("settings.device_branch.help")}</p>
            </div>
        </Show>
    }
}
