//! One HTTP exchange with the shop's database, behind a trait: the browser sends it with
//! `fetch`, the tests with a server on loopback or an in-memory fake that injects faults.

use std::future::Future;

/// The HTTP methods the protocol uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// A request to the database, its path relative to the database's address (`_changes?since=0`,
/// `_bulk_docs`, a document id).
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub method: Method,
    pub path: String,
    /// A JSON body, for POST and PUT.
    pub body: Option<String>,
}

impl Request {
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: Method::Get,
            path: path.into(),
            body: None,
        }
    }

    pub fn post(path: impl Into<String>, body: &serde_json::Value) -> Self {
        Self::post_text(path, body.to_string())
    }

    pub fn put(path: impl Into<String>, body: &serde_json::Value) -> Self {
        Self::put_text(path, body.to_string())
    }

    /// A PUT whose JSON body is already written.
    pub fn put_text(path: impl Into<String>, body: String) -> Self {
        Self {
            method: Method::Put,
            path: path.into(),
            body: Some(body),
        }
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Self {
            method: Method::Delete,
            path: path.into(),
            body: None,
        }
    }

    /// A POST whose JSON body is already written.
    pub fn post_text(path: impl Into<String>, body: String) -> Self {
        Self {
            method: Method::Post,
            path: path.into(),
            body: Some(body),
        }
    }
}

/// The server's answer: its status and body.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// Why no answer came back at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The network is down, or the server cannot be reached.
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
}

/// Sends requests to one database of one server, with this device's credentials.
pub trait Transport {
    fn send(&self, request: Request) -> impl Future<Output = Result<Response, TransportError>>;
}

/// A future its caller polls through a pointer: its code stays one function of its own module,
/// not copied into each caller's (which is what a card page or a pass that runs it twice pays).
pub type Boxed<'a, T> = std::pin::Pin<Box<dyn Future<Output = T> + 'a>>;

/// Runs a sync pass to its end outside the browser, where a transport answers before its
/// future is first polled (a blocking client, the in-memory fake): no executor is needed.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// Runs futures side by side (requests in flight together) and gives their outputs in order.
pub async fn all<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut pending: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (f, o) in pending.iter_mut().zip(out.iter_mut()) {
            if o.is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => *o = Some(v),
                    Poll::Pending => done = false,
                }
            }
        }
        if done {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    out.into_iter().flatten().collect()
}
