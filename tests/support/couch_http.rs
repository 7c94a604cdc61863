//! An HTTP transport for the sync engine outside the browser: plain HTTP to a CouchDB-protocol
//! server on loopback, for `tests/couch.rs` and the sync figures (`examples/sync.rs`).

use std::{
    cell::Cell,
    future::{ready, Future},
};

pub use listening_post::sync::transport::block_on;
use listening_post::sync::transport::{Method, Request, Response, Transport, TransportError};

/// One device's credentials against one database, over plain HTTP.
pub struct Http {
    pub agent: ureq::Agent,
    pub db: String,
    pub auth: String,
    /// Request bodies sent so far, in bytes.
    pub sent: Cell<usize>,
    /// Response bodies received so far, in bytes.
    pub received: Cell<usize>,
}

impl Http {
    pub fn new(url: &str, db: &str, user: &str) -> Self {
        Http {
            agent: ureq::AgentBuilder::new()
                .timeout(std::time::Duration::from_secs(60))
                .build(),
            db: format!("{url}/{db}/"),
            auth: format!("Basic {}", base64(user.as_bytes())),
            sent: Cell::new(0),
            received: Cell::new(0),
        }
    }

    pub fn exchange(&self, request: Request) -> Result<Response, TransportError> {
        let method = match request.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        };
        let call = self
            .agent
            .request(method, &format!("{}{}", self.db, request.path))
            .set("Authorization", &self.auth)
            .set("Accept", "application/json")
            .set("Content-Type", "application/json");
        let answer = match request.body {
            Some(body) => {
                self.sent.set(self.sent.get() + body.len());
                call.send_string(&body)
            }
            None => call.call(),
        };
        match answer {
            Ok(r) | Err(ureq::Error::Status(_, r)) => {
                let status = r.status();
                let body = r.into_string().unwrap_or_default();
                self.received.set(self.received.get() + body.len());
                Ok(Response { status, body })
            }
            Err(e) => Err(TransportError::Unreachable(e.to_string())),
        }
    }
}

impl Transport for Http {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, TransportError>> {
        ready(self.exchange(request))
    }
}

/// Basic authentication needs base64; a dozen lines here spare a dependency.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            let c = ABC[((n >> shift) & 63) as usize] as char;
            out.push(if i <= chunk.len() { c } else { '=' });
        }
    }
    out
}
