//! The HTTP side of `serve`: static files from the serve folder through tower-http (MIME
//! types, ranges, `index.html` for folders, no path outside the folder), `404.html` with status
//! 404, and a server-sent-events stream that tells browsers to reload or show errors.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The path under which serve's own endpoints live (never a site path).
pub const PREFIX: &str = "/__rolebook";
/// The tag injected into served HTML.
pub const SCRIPT_TAG: &str = "<script src=\"/__rolebook/live.js\"></script>";
const LIVE_JS: &str = include_str!("live.js");

/// A message to browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Reload,
    Css,
    Errors(String),
}

/// Shared between the rebuild loop and the server.
#[derive(Clone)]
pub struct Live {
    pub tx: broadcast::Sender<Notice>,
    /// The errors of the latest rebuild, shown to browsers that connect later.
    pub errors: Arc<Mutex<Option<String>>>,
}

impl Live {
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(64);
        Live {
            tx,
            errors: Arc::new(Mutex::new(None)),
        }
    }

    pub fn notify(&self, n: Notice) {
        if let Ok(mut e) = self.errors.lock() {
            *e = match &n {
                Notice::Errors(t) => Some(t.clone()),
                _ => None,
            };
        }
        let _ = self.tx.send(n);
    }
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Clone)]
struct AppState {
    live: Live,
    dir: PathBuf,
}

/// The router serving `dir`.
pub fn app(dir: PathBuf, live: Live) -> Router {
    let state = AppState {
        live,
        dir: dir.clone(),
    };
    let not_found = get(not_found).with_state(state.clone());
    let files = ServeDir::new(&dir)
        .append_index_html_on_directories(true)
        .not_found_service(not_found);
    // A preview must never be served from the browser's cache: Last-Modified has one-second
    // resolution, and two saves within a second would otherwise show the older page.
    let no_store = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    Router::new()
        .route("/__rolebook/live.js", get(live_js))
        .route("/__rolebook/events", get(events))
        .fallback_service(files)
        .layer(no_store)
        .with_state(state)
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

async fn not_found(State(s): State<AppState>) -> Response {
    match tokio::fs::read(s.dir.join("404.html")).await {
        Ok(body) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "404 Not Found").into_response(),
    }
}

async fn events(
    State(s): State<AppState>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let current = s.live.errors.lock().ok().and_then(|e| e.clone());
    let first = tokio_stream::iter(current.map(|t| Ok(Event::default().event("errors").data(t))));
    let rest = BroadcastStream::new(s.live.tx.subscribe()).filter_map(|m| {
        m.ok().map(|n| {
            Ok(match n {
                Notice::Reload => Event::default().event("reload").data("reload"),
                Notice::Css => Event::default().event("css").data("css"),
                Notice::Errors(t) => Event::default().event("errors").data(t),
            })
        })
    });
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Binds `bind:port`, trying the next ports when one is taken.
pub async fn bind(bind: &str, port: u16) -> Result<(tokio::net::TcpListener, SocketAddr), String> {
    let mut last = String::new();
    for p in port..port.saturating_add(20) {
        match tokio::net::TcpListener::bind((bind, p)).await {
            Ok(l) => {
                let addr = l.local_addr().map_err(|e| e.to_string())?;
                if p != port {
                    eprintln!("port {port} is taken; serving on {p} instead");
                }
                return Ok((l, addr));
            }
            Err(e) => last = format!("cannot listen on {bind}:{p}: {e}"),
        }
        if port == 0 {
            break;
        }
    }
    Err(last)
}
