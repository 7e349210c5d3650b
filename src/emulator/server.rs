//! The HTTP side: one axum fallback handler that takes every request through the same pipeline —
//! latency, SigV4 scope (region), method and `X-Amz-Target`, body parsing, injected faults, the
//! operation — and answers in the AWS JSON 1.0 envelope with an `x-amzn-RequestId` on every
//! response. Every request is recorded for tests. Errors an operation does not model are turned into
//! InternalServerException here as a last guard, so the SDK never sees an `Unhandled` error.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value};

use super::arn::CALLER_ACCOUNT;
use super::faults::FaultState;
use super::ops::{dispatch, lock};
use super::protocol::{
    ApiError, CONTENT_TYPE, ErrorKind, Operation, TARGET_PREFIX, region_from_authorization,
};
use super::received::{ReceivedLog, ReceivedRequest};
use super::store::Store;

/// Larger bodies are refused (the service's own limits are far lower for these operations).
const MAX_BODY_BYTES: usize = 1 << 20;

/// The state every request handler shares.
pub(crate) struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) faults: Mutex<FaultState>,
    pub(crate) received: Mutex<ReceivedLog>,
    /// Hostile mode (`Emulator::set_hostile`): when set, `hostile::answer` may answer instead.
    pub(crate) hostile: Mutex<Option<super::hostile::Hostile>>,
}

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let latency = lock(&shared.faults).latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok();
    let hostile = lock(&shared.hostile).clone();
    if let Some(answer) =
        hostile.and_then(|mode| super::hostile::answer(&mode, &parts.headers, bytes.as_deref()))
    {
        lock(&shared.received).record(answer.received());
        return answer.into_response(&request_id);
    }
    let (received, result) = process(&shared, &parts.method, &parts.headers, bytes.as_deref());
    let (status, body, error) = match result {
        Ok(body) => (200, body, None),
        Err(error) => {
            tracing::debug!(operation = %received.operation, error = error.kind.name(), message = %error.message, "emulator error");
            (
                error.kind.status(),
                error.body(&request_id).to_string(),
                Some(error.kind.name().to_owned()),
            )
        }
    };
    lock(&shared.received).record(ReceivedRequest { error, ..received });
    respond(status, body, &request_id)
}

fn respond(status: u16, body: String, request_id: &str) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-RequestId", value);
    }
    response
}

/// Parses the body: empty means `{}`; anything but a JSON object is a SerializationException.
fn parse_body(bytes: Option<&[u8]>) -> (Value, Result<Map<String, Value>, ApiError>) {
    let serialization = |message: &str| ApiError::new(ErrorKind::Serialization, message);
    let Some(bytes) = bytes else {
        return (
            Value::Null,
            Err(serialization("The request body could not be read")),
        );
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return (Value::Object(Map::new()), Ok(Map::new()));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(object)) => (Value::Object(object.clone()), Ok(object)),
        Ok(other) => (
            other,
            Err(serialization("The request body must be a JSON object")),
        ),
        Err(error) => {
            let text = Value::String(String::from_utf8_lossy(bytes).into_owned());
            (
                text,
                Err(serialization(&format!(
                    "The request body is not valid JSON: {error}"
                ))),
            )
        }
    }
}

fn process(
    shared: &Shared,
    method: &Method,
    headers: &HeaderMap,
    bytes: Option<&[u8]>,
) -> (ReceivedRequest, Result<String, ApiError>) {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::trim)
    };
    let region = region_from_authorization(text(header::AUTHORIZATION.as_str()));
    let target = text("x-amz-target");
    let operation = match target {
        Some(t) => t.strip_prefix(TARGET_PREFIX).unwrap_or(t).to_owned(),
        None => String::new(),
    };
    let (body, input) = parse_body(bytes);
    let received = ReceivedRequest {
        operation,
        region: region.as_ref().ok().cloned(),
        body,
        error: None,
    };
    let result = region.and_then(|region| {
        let known = target
            .and_then(Operation::from_target)
            .filter(|_| *method == Method::POST);
        let Some(operation) = known else {
            let named = target.unwrap_or("(no X-Amz-Target header)");
            return Err(ApiError::new(
                ErrorKind::UnknownOperation,
                format!("Operation {named} is not supported."),
            ));
        };
        let input = input?;
        if let Some(kind) = lock(&shared.faults).decide(&region, operation.name()) {
            return Err(injected(kind, operation.name()));
        }
        let result = dispatch(operation, &shared.store, &region, &input);
        match result {
            Err(error) if !operation.models(error.kind) => {
                tracing::error!(
                    operation = operation.name(),
                    error = error.kind.name(),
                    "unmodeled error"
                );
                Err(ApiError::new(
                    ErrorKind::InternalServer,
                    "Internal server error",
                ))
            }
            other => other,
        }
    });
    (received, result)
}

fn injected(kind: ErrorKind, operation: &str) -> ApiError {
    match kind {
        ErrorKind::Throttling => ApiError::new(kind, "Rate exceeded"),
        ErrorKind::AccessDenied => ApiError::new(
            kind,
            format!(
                "User: arn:aws:iam::{CALLER_ACCOUNT}:user/emulator is not authorized to perform: \
                 sms-voice:{operation} because no identity-based policy allows the \
                 sms-voice:{operation} action"
            ),
        ),
        ErrorKind::ExpiredToken => ApiError::new(
            kind,
            "The security token included in the request is expired",
        ),
        _ => ApiError::new(kind, "An internal error occurred. Try again later."),
    }
}
