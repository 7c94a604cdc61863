//! The staff screens in groups. In a split build (the `split` feature, see
//! `scripts/split-wasm.js`) each group is a wasm chunk of its own, fetched the first time one of
//! its screens opens; the Cards screen, the first one, stays in the main module. Without the
//! feature every group is ordinary code and opens at once. The groups are few and coarse: code
//! two groups share becomes a chunk of its own, and seven groups made 114 chunks where these
//! five make 48 (docs/performance.md).

use leptos::{prelude::*, reactive::computed::ScopedFuture};

use crate::{
    pages::{
        assessments::{AllActions, AssessmentList, Compare, Results, Run},
        cards::{CardDesigner, FillCard, ReceivedCards},
        customers::{CustomerList, CustomerProfile},
        dashboard::Dashboard,
        data::DataPage,
        feedback::{Calls, Inbox, ItemPage},
        not_found::NotFound,
        schedules::Schedules,
        settings::SettingsPage,
        standards::Standards,
        sync::SyncPage,
    },
    router::Route,
    split::{ready_now, split_call, ChunkMissing},
    state::use_state,
    web,
};

type Opened = Result<AnyView, ChunkMissing>;

/// Declares one group: a function from a route to its screen, a split point in a split build.
macro_rules! group {
    ($(#[$doc:meta])* $name:ident => { $($route:ident => $screen:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[cfg_attr(
            feature = "split",
            leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)
        )]
        fn $name(route: Route) -> Opened {
            Ok(match route {
                $(Route::$route => view! { <$screen/> }.into_any(),)+
                _ => view! { <NotFound/> }.into_any(),
            })
        }
    };
}

group!(
    /// Received cards and the card designer.
    cards => { CardsReceived => ReceivedCards, CardsDesigner => CardDesigner }
);
group!(
    /// RATER self-assessments: the list, a run, results, actions, comparison.
    assessments => {
        Assessments => AssessmentList,
        AssessmentRun => Run,
        AssessmentResults => Results,
        AssessmentActions => AllActions,
        AssessmentCompare => Compare,
    }
);
group!(
    /// The feedback register, and the customers with their profiles.
    feedback => {
        Feedback => Inbox,
        FeedbackItem => ItemPage,
        FeedbackCalls => Calls,
        Customers => CustomerList,
        CustomerProfile => CustomerProfile,
    }
);
group!(
    /// The managers' statistics.
    dashboard => { Dashboard => Dashboard }
);
group!(
    /// Settings, service standards, the survey schedule, sync, and the Data screen.
    settings => {
        Data => DataPage,
        Settings => SettingsPage,
        Standards => Standards,
        Schedules => Schedules,
        Sync => SyncPage,
    }
);

/// The screen for `route`, fetched first if its group is a chunk not loaded yet.
async fn open(route: Route) -> Opened {
    match route {
        Route::Cards => Ok(view! { <FillCard/> }.into_any()),
        Route::NotFound => Ok(view! { <NotFound/> }.into_any()),
        Route::CardsReceived | Route::CardsDesigner => split_call!(cards(route)),
        Route::Assessments
        | Route::AssessmentRun
        | Route::AssessmentResults
        | Route::AssessmentActions
        | Route::AssessmentCompare => split_call!(assessments(route)),
        Route::Feedback
        | Route::FeedbackItem
        | Route::FeedbackCalls
        | Route::Customers
        | Route::CustomerProfile => split_call!(feedback(route)),
        Route::Dashboard => split_call!(dashboard(route)),
        Route::Data | Route::Settings | Route::Standards | Route::Schedules | Route::Sync => {
            split_call!(settings(route))
        }
    }
}

/// Fetches every group's chunk, one after another, once the first screen has had its time, and
/// then the other language's words: a tablet that loses its connection later still opens every
/// screen and switches language, and each screen opens at once. On a first visit the service
/// worker is fetching every file of the build meanwhile, so they are taken from it once it
/// looks after the page, not fetched twice. An unsplit build has nothing to fetch.
pub fn prefetch() {
    #[cfg(feature = "split")]
    set_timeout(
        || {
            leptos::task::spawn_local(async {
                let _ = wasm_bindgen_futures::JsFuture::from(service_worker_settled(
                    SERVICE_WORKER_WAIT.as_millis() as u32,
                ))
                .await;
                // A chunk that fails now is fetched again when its screen opens.
                let _ = __wasm_split_preload_cards().await;
                let _ = __wasm_split_preload_feedback().await;
                let _ = __wasm_split_preload_assessments().await;
                let _ = __wasm_split_preload_dashboard().await;
                let _ = __wasm_split_preload_settings().await;
                // A language that fails now is fetched again when it is chosen.
                for lang in crate::i18n::Lang::ALL {
                    let _ = crate::i18n::load(lang).await;
                }
            })
        },
        PREFETCH_AFTER,
    );
}

/// How long after the start the chunks are fetched ahead: the first screen's own requests and
/// drawing come first, and a connection that drops soon after finds the app whole.
#[cfg(feature = "split")]
const PREFETCH_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

/// The longest the fetching ahead waits for a service worker still fetching the build: past it,
/// the page fetches for itself.
#[cfg(feature = "split")]
const SERVICE_WORKER_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

// Settles at once where no service worker is being set up (none, refused, blocked, or one that
// already looks after the page); on a first visit, once the worker the page's loader registered
// (`lpServiceWorker`, scripts/finish-dist.js) has kept every file and looks after the page; in
// any case after `ms`.
#[cfg(feature = "split")]
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "export function serviceWorkerSettled(ms) {
    const sw = navigator.serviceWorker;
    const registering = globalThis.lpServiceWorker;
    if (!sw || !registering || sw.controller) return Promise.resolve();
    return new Promise((resolve) => {
        setTimeout(resolve, ms);
        sw.addEventListener('controllerchange', () => resolve(), { once: true });
        registering.then((reg) => { if (!reg || sw.controller) resolve(); }, () => resolve());
    });
}")]
extern "C" {
    #[wasm_bindgen(js_name = serviceWorkerSettled)]
    fn service_worker_settled(ms: u32) -> js_sys::Promise;
}

/// The screen `route` names. A group already fetched opens in the same frame; one being fetched
/// says so after a moment; one that cannot be fetched says why, with a reload button.
#[component]
pub fn Screen(
    route: Route,
    /// True when the person moved here from another screen: the heading takes focus once the
    /// screen is there.
    navigated: bool,
) -> impl IntoView {
    // Polled under this screen's owner, so the screen finds the app's context however late
    // its code arrives; untracked, so nothing it reads re-renders the shell.
    let mut opening = Box::pin(ScopedFuture::new_untracked(open(route)));
    // A group already loaded (and every group in an unsplit build) is ready on the first poll.
    if let Some(opened) = ready_now(opening.as_mut()) {
        return shown(opened).into_any();
    }
    let ready = RwSignal::new(false);
    let slot = StoredValue::new_local(None::<Opened>);
    leptos::task::spawn_local(async move {
        let opened = opening.await;
        // The person may have moved on while it was fetched.
        let kept = slot.try_update_value(|s| *s = Some(opened)).is_some();
        if kept && ready.try_set(true).is_none() && navigated {
            web::start_screen();
        }
    });
    (move || {
        if ready.get() {
            slot.try_update_value(Option::take).flatten().map(shown)
        } else {
            Some(view! { <Loading/> }.into_any())
        }
    })
    .into_any()
}

fn shown(opened: Opened) -> AnyView {
    match opened {
        Ok(view) => view,
        Err(ChunkMissing) => view! { <Missing/> }.into_any(),
    }
}

/// Said only if fetching takes longer than a blink, so a fast load shows no flash of text.
#[component]
fn Loading() -> impl IntoView {
    let state = use_state();
    view! {
        <p class="screen-loading" role="status">
            <span>{move || state.t("screen.loading")}</span>
        </p>
    }
}

/// A screen's code could not be fetched: the app is older than the server's copy, or offline
/// without it. A reload fetches the current version.
#[component]
fn Missing() -> impl IntoView {
    let state = use_state();
    view! {
        <section class="screen-missing" role="alert" aria-labelledby="screen-missing-title">
            <h1 id="screen-missing-title">{move || state.t("screen.missing.title")}</h1>
            <p>{move || state.t("screen.missing.body")}</p>
            <button type="button" class="primary" on:click=|_| web::reload()>
                {move || state.t("screen.missing.reload")}
            </button>
        </section>
    }
}
