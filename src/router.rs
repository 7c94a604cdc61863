//! Hash routes (`#/data`): every screen reloads at any address and under any subpath on a plain
//! static server, with no fallback rule to configure.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

/// The screens reachable from the address bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Cards,
    CardsReceived,
    CardsDesigner,
    Assessments,
    AssessmentRun,
    AssessmentResults,
    AssessmentActions,
    AssessmentCompare,
    Feedback,
    FeedbackItem,
    FeedbackCalls,
    Customers,
    CustomerProfile,
    Dashboard,
    Data,
    Settings,
    Standards,
    Schedules,
    Sync,
    NotFound,
}

impl Route {
    /// The screens in the top navigation, in order.
    pub const NAV: [Route; 7] = [
        Route::Cards,
        Route::Assessments,
        Route::Feedback,
        Route::Customers,
        Route::Dashboard,
        Route::Data,
        Route::Settings,
    ];

    /// Reads `location.hash`; an empty hash is the first screen.
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split('?').next().unwrap_or("").trim_end_matches('/');
        match path {
            "" | "cards" => Route::Cards,
            "cards/received" => Route::CardsReceived,
            "cards/designer" => Route::CardsDesigner,
            "assessments" => Route::Assessments,
            "assessments/run" => Route::AssessmentRun,
            "assessments/results" => Route::AssessmentResults,
            "assessments/actions" => Route::AssessmentActions,
            "assessments/compare" => Route::AssessmentCompare,
            "feedback" => Route::Feedback,
            "feedback/item" => Route::FeedbackItem,
            "feedback/calls" => Route::FeedbackCalls,
            "customers" => Route::Customers,
            "customers/profile" => Route::CustomerProfile,
            "dashboard" => Route::Dashboard,
            "data" => Route::Data,
            "settings" => Route::Settings,
            "settings/standards" => Route::Standards,
            "settings/schedules" => Route::Schedules,
            "settings/sync" => Route::Sync,
            _ => Route::NotFound,
        }
    }

    pub fn href(self) -> &'static str {
        match self {
            Route::Cards => "#/cards",
            Route::CardsReceived => "#/cards/received",
            Route::CardsDesigner => "#/cards/designer",
            Route::Assessments => "#/assessments",
            Route::AssessmentRun => "#/assessments/run",
            Route::AssessmentResults => "#/assessments/results",
            Route::AssessmentActions => "#/assessments/actions",
            Route::AssessmentCompare => "#/assessments/compare",
            Route::Feedback => "#/feedback",
            Route::FeedbackItem => "#/feedback/item",
            Route::FeedbackCalls => "#/feedback/calls",
            Route::Customers => "#/customers",
            Route::CustomerProfile => "#/customers/profile",
            Route::Dashboard => "#/dashboard",
            Route::Data => "#/data",
            Route::Settings => "#/settings",
            Route::Standards => "#/settings/standards",
            Route::Schedules => "#/settings/schedules",
            Route::Sync => "#/settings/sync",
            Route::NotFound => "#/",
        }
    }

    /// The top-navigation entry this screen belongs to.
    pub fn section(self) -> Route {
        match self {
            Route::CardsReceived | Route::CardsDesigner => Route::Cards,
            Route::AssessmentRun
            | Route::AssessmentResults
            | Route::AssessmentActions
            | Route::AssessmentCompare => Route::Assessments,
            Route::FeedbackItem | Route::FeedbackCalls => Route::Feedback,
            Route::CustomerProfile => Route::Customers,
            Route::Standards | Route::Schedules | Route::Sync => Route::Settings,
            other => other,
        }
    }

    /// Locale key of the screen's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Route::Cards => "nav.cards",
            Route::CardsReceived => "nav.cards.received",
            Route::CardsDesigner => "nav.cards.designer",
            Route::Assessments => "nav.assessments",
            Route::AssessmentRun => "assess.run.title",
            Route::AssessmentResults => "assess.results.title",
            Route::AssessmentActions => "assess.actions.title",
            Route::AssessmentCompare => "assess.compare.title",
            Route::Feedback => "nav.feedback",
            Route::FeedbackItem => "fb.item.title",
            Route::FeedbackCalls => "fb.calls.title",
            Route::Customers => "nav.customers",
            Route::CustomerProfile => "cust.profile.title",
            Route::Dashboard => "nav.dashboard",
            Route::Data => "nav.data",
            Route::Settings => "nav.settings",
            Route::Standards => "std.title",
            Route::Schedules => "sched.title",
            Route::Sync => "sync.title",
            Route::NotFound => "page.not_found.title",
        }
    }
}

/// A query parameter of the address, percent-decoded: of the hash in the app
/// (`#/cards?branch=Vanak`), else of the page address (`card.html?branch=Vanak`).
pub fn query_param(name: &str) -> Option<String> {
    let hash = current_hash();
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    // `#/cards?template=…` in the app; `card.html?template=…` on the card page.
    let queries = [
        hash.split_once('?').map(|(_, q)| q),
        search.strip_prefix('?'),
    ];
    let found = queries.into_iter().flatten().find_map(|query| {
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == name).then(|| {
                js_sys::decode_uri_component(&v.replace('+', " "))
                    .ok()
                    .and_then(|s| s.as_string())
            })?
        })
    });
    found
}

/// Goes to another screen, as following a link would.
pub fn go(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(hash);
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The current route, following `hashchange`.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::from_hash(&current_hash()));
    if let Some(window) = web_sys::window() {
        let cb = Closure::<dyn Fn()>::new(move || set_route.set(Route::from_hash(&current_hash())));
        let _ = window.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
        cb.forget();
    }
    route
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn hashes_name_their_screens_and_unknown_ones_are_not_found() {
        assert_eq!(Route::from_hash(""), Route::Cards);
        assert_eq!(Route::from_hash("#/"), Route::Cards);
        assert_eq!(Route::from_hash("#/data"), Route::Data);
        assert_eq!(Route::from_hash("#/settings?x=1"), Route::Settings);
        assert_eq!(Route::from_hash("#/nope"), Route::NotFound);
        assert_eq!(Route::from_hash("#/cards/received"), Route::CardsReceived);
        assert_eq!(Route::from_hash("#/cards?branch=Vanak"), Route::Cards);
        assert_eq!(Route::from_hash("#/data/extra"), Route::NotFound);
        assert_eq!(
            Route::from_hash("#/assessments/results?id=1"),
            Route::AssessmentResults
        );
        for r in Route::NAV {
            assert_eq!(Route::from_hash(r.href()), r);
        }
    }
}
