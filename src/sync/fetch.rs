//! The browser's transport: `fetch` with an explicit `Authorization: Basic` header and
//! `credentials: 'omit'`, so no cookie is sent or kept (cross-site cookies fail in Safari, and a
//! CouchDB session expires after ten minutes).

use std::future::Future;

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::transport::{Method, Request, Response, Transport, TransportError};

/// How long one request may take before it counts as the server being unreachable: a network
/// that swallows packets would otherwise hold a pass, and every later one, for ever.
const TIMEOUT_MS: i32 = 60_000;

/// One database of one server, with this device's user name and password.
pub struct FetchTransport {
    /// The database's address, ending in `/`.
    db: String,
    /// None for a stranger (a customer's phone writing to the inbox).
    authorization: Option<String>,
}

impl FetchTransport {
    /// `server` is the server's address (`https://couch.example.com` or a same-origin path such
    /// as `/couchdb`), `db` the database's name.
    pub fn new(server: &str, db: &str, user: &str, password: &str) -> Result<Self, JsValue> {
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        let token = window.btoa(&latin1_utf8(&format!("{user}:{password}")))?;
        Ok(Self {
            db: format!("{}/{}/", server.trim_end_matches('/'), urlencode(db)),
            authorization: Some(format!("Basic {token}")),
        })
    }

    /// A database by its full address (`https://couch.example.com/shop-inbox`), as a stranger.
    pub fn anonymous(db_address: &str) -> Self {
        Self {
            db: format!("{}/", db_address.trim_end_matches('/')),
            authorization: None,
        }
    }

    /// A database beside this one on the same server (the shop's inbox), as the same user.
    pub fn sibling(&self, db: &str) -> Self {
        let server = self
            .db
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(s, _)| s);
        Self {
            db: format!("{server}/{}/", urlencode(db)),
            authorization: self.authorization.clone(),
        }
    }

    async fn exchange(&self, request: Request) -> Result<Response, TransportError> {
        let unreachable = |e: JsValue| {
            TransportError::Unreachable(e.as_string().unwrap_or_else(|| format!("{e:?}")))
        };
        let init = web_sys::RequestInit::new();
        init.set_method(match request.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        });
        init.set_credentials(web_sys::RequestCredentials::Omit);
        init.set_mode(web_sys::RequestMode::Cors);
        let headers = web_sys::Headers::new().map_err(unreachable)?;
        if let Some(authorization) = &self.authorization {
            headers
                .set("Authorization", authorization)
                .map_err(unreachable)?;
        }
        headers
            .set("Accept", "application/json")
            .map_err(unreachable)?;
        if let Some(body) = &request.body {
            headers
                .set("Content-Type", "application/json")
                .map_err(unreachable)?;
            init.set_body(&JsValue::from_str(body));
        }
        init.set_headers(&headers);
        let url = format!("{}{}", self.db, request.path);
        let window =
            web_sys::window().ok_or_else(|| unreachable(JsValue::from_str("no window")))?;
        // Aborted after TIMEOUT_MS, the answer's body included.
        let controller = web_sys::AbortController::new().map_err(unreachable)?;
        init.set_signal(Some(&controller.signal()));
        let abort = Closure::once(move || controller.abort());
        let timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.as_ref().unchecked_ref(),
                TIMEOUT_MS,
            )
            .map_err(unreachable)?;
        let answer = async {
            let response: web_sys::Response =
                JsFuture::from(window.fetch_with_str_and_init(&url, &init))
                    .await
                    .map_err(unreachable)?
                    .dyn_into()
                    .map_err(unreachable)?;
            let text = JsFuture::from(response.text().map_err(unreachable)?)
                .await
                .map_err(unreachable)?;
            Ok(Response {
                status: response.status(),
                body: text.as_string().unwrap_or_default(),
            })
        }
        .await;
        window.clear_timeout_with_handle(timer);
        drop(abort);
        answer
    }
}

impl Transport for FetchTransport {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, TransportError>> {
        self.exchange(request)
    }
}

/// `btoa` takes Latin-1: a password with other letters (Persian) goes as its UTF-8 bytes, which
/// is how CouchDB reads a Basic header.
fn latin1_utf8(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

/// A database name in a URL path: CouchDB names may hold `/`, `+`, `$` and parentheses.
pub fn urlencode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
