//! Hostile mode: the emulator turned into a broken or malicious server, to prove that a client
//! survives what a compromised endpoint, a bad proxy or a future version of the service could
//! send. While a mode is set (`Emulator::set_hostile`), DescribeSenderIds, ReleaseSenderId and
//! ListTagsForResource are answered here instead of by the store (the error modes answer every
//! operation); nothing in the store changes, and every request is still counted in `received`.
//! The answers themselves are built in `hostile/items.rs` (and, for DescribePools and
//! ListPoolOriginationIdentities in the modes that touch them, `hostile/pools.rs`);
//! `hostile/names.rs` parses the mode names of `sidman emulator --hostile`.

mod items;
mod names;
mod pools;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::protocol::{CONTENT_TYPE, Operation, TARGET_PREFIX, region_from_authorization};
use super::received::ReceivedRequest;

pub use items::PAYLOADS;

/// How a hostile server misbehaves. One mode at a time; `None` is the faithful emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hostile {
    /// Escape sequences, C0/C1 controls and bidi overrides in every string of the answers:
    /// SenderId, SenderIdArn, IsoCountryCode, MessageTypes, MonthlyLeasingPrice, RegistrationId,
    /// PricingTier, MessagingLimits keys, the page token, tags (a `Name` among them), the
    /// ReleaseSenderId result, pool IDs, ARNs and members. Releasing a sender ID whose name holds `FAIL` is refused with a ConflictException whose
    /// Message, Reason, ResourceType and ResourceId carry them too.
    Escapes,
    /// Every call refused (400) with its operation's modeled error (ValidationException,
    /// ConflictException, AccessDeniedException) with escape sequences in every member.
    ErrorBodies,
    /// Every call answered 500 InternalServerException, escapes in Message and RequestId, and
    /// an `x-amzn-RequestId` header carrying a C1 CSI and a bidi override.
    ServerFault,
    /// Every call refused (400) with escape sequences in the error code itself (`__type`); with
    /// `header`, also an `x-amzn-ErrorType` header (which the SDK prefers) carrying a C1 CSI and
    /// a bidi override, the only such bytes an HTTP header can hold.
    ErrorType { header: bool },
    /// Every call refused (400) with a body that names no error code at all.
    ErrorWithoutType,
    /// A 200 whose body is not the JSON the model describes.
    Malformed(Malformed),
    /// Required members left out: a sender ID without SenderId, one without IsoCountryCode, a
    /// shared one without its ARN, one with only its identity, an empty object; `{}` for a
    /// release; a pool without PoolId and PoolArn, a pool member without its ARN.
    MissingMembers,
    /// Values the model does not know: message types `CONVERSATIONAL` and `FUTURE_TYPE`; a release
    /// refused with a ConflictException whose Reason and ResourceType are new.
    UnknownEnums,
    /// One sender ID whose RegistrationId is `chars` characters long, and a release refused with a
    /// Message that long.
    HugeField { chars: usize },
    /// One page holding `items` sender IDs, whatever MaxResults asked for.
    HugePage { items: usize },
    /// A DescribeSenderIds answer of `bytes` bytes (valid JSON padded with spaces) streamed in
    /// chunks without a `Content-Length`, so only reading it reveals its size.
    HugeChunked { bytes: usize },
    /// A page (of sender IDs or of pools) whose NextToken is `chars` characters long.
    HugeToken { chars: usize },
    /// Page tokens (of sender IDs or of pools) that cycle: none → `loop-a` → `loop-b` → `loop-a` …
    RepeatingToken,
    /// A fresh page token on every page, forever, with `items_per_page` new sender IDs each.
    EndlessToken { items_per_page: usize },
}

/// The ways a 200 body can be broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// JSON cut off in the middle of a sender ID.
    Truncated,
    /// An HTML error page (with escape sequences) instead of JSON.
    NotJson,
    /// Valid JSON with members of the wrong types.
    WrongTypes,
    /// Bytes that are not UTF-8 inside a JSON string.
    InvalidUtf8,
}

/// One hostile answer.
pub(crate) struct Answer {
    status: u16,
    body: Vec<u8>,
    /// Spaces streamed after `body` in chunks, with the closing `}` last and no Content-Length.
    padding: usize,
    error_type: Option<String>,
    request_id: Option<String>,
    received: ReceivedRequest,
}

impl Answer {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status,
            body: body.into(),
            padding: 0,
            error_type: None,
            request_id: None,
            received: ReceivedRequest {
                operation: String::new(),
                region: None,
                body: Value::Null,
                error: None,
            },
        }
    }

    fn json(status: u16, value: &Value) -> Answer {
        Answer::new(status, value.to_string())
    }

    /// The request as the received log keeps it.
    pub(crate) fn received(&self) -> ReceivedRequest {
        self.received.clone()
    }

    pub(crate) fn into_response(self, request_id: &str) -> Response {
        let mut response = Response::new(body(self.body, self.padding));
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        let id = self.request_id.as_deref().unwrap_or(request_id);
        if let Ok(value) = HeaderValue::from_bytes(id.as_bytes()) {
            headers.insert("x-amzn-RequestId", value);
        }
        if let Some(value) = self
            .error_type
            .and_then(|t| HeaderValue::from_bytes(t.as_bytes()).ok())
        {
            headers.insert("x-amzn-ErrorType", value);
        }
        response
    }
}

/// The hostile answer to a request, or `None` when this mode leaves the operation to the store.
pub(crate) fn answer(mode: &Hostile, headers: &HeaderMap, bytes: Option<&[u8]>) -> Option<Answer> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let target = text("x-amz-target").unwrap_or_default();
    let operation = Operation::from_target(target);
    let region = region_from_authorization(text(header::AUTHORIZATION.as_str())).ok();
    let body: Value = bytes
        .and_then(|b| serde_json::from_slice(b).ok())
        .unwrap_or(Value::Object(Map::new()));
    let input = body.as_object().cloned().unwrap_or_default();
    let in_region = region.as_deref().unwrap_or("us-east-1");
    let mut answer = match mode {
        Hostile::ErrorBodies => error_bodies(operation),
        Hostile::ServerFault => server_fault(),
        Hostile::ErrorType { header } => error_type(*header),
        Hostile::ErrorWithoutType => Answer::json(400, &json!({"Message": items::HOSTILE_TEXT})),
        _ => match operation? {
            Operation::DescribeSenderIds => describe(mode, in_region, &input),
            Operation::ReleaseSenderId => release(mode, in_region, &input),
            Operation::ListTagsForResource => list_tags(mode, &input),
            Operation::DescribePools => {
                let token = input.get("NextToken").and_then(Value::as_str);
                Answer::new(200, pools::describe(mode, in_region, token)?)
            }
            Operation::ListPoolOriginationIdentities => {
                let pool = input.get("PoolId").and_then(Value::as_str);
                Answer::new(
                    200,
                    pools::members(mode, in_region, pool.unwrap_or_default())?,
                )
            }
            _ => return None,
        },
    };
    answer.received = ReceivedRequest {
        operation: target
            .strip_prefix(TARGET_PREFIX)
            .unwrap_or(target)
            .to_owned(),
        region,
        body,
        error: (answer.status >= 300).then(|| "Hostile".to_owned()),
    };
    Some(answer)
}

fn describe(mode: &Hostile, region: &str, input: &Map<String, Value>) -> Answer {
    let owner = match input.get("Owner").and_then(Value::as_str) {
        Some("SHARED") => items::Owner::Shared,
        Some(_) => items::Owner::Own,
        None if input.contains_key("SenderIds") => items::Owner::Either,
        None => items::Owner::Own,
    };
    let token = input.get("NextToken").and_then(Value::as_str);
    match mode {
        Hostile::Malformed(kind) => Answer::new(200, items::malformed(*kind)),
        Hostile::HugeChunked { bytes } => {
            let mut answer = Answer::new(200, "{\"SenderIds\":[]");
            answer.padding = *bytes;
            answer
        }
        _ => Answer::new(200, items::page(mode, region, owner, token)),
    }
}

/// The body: the bytes as they are, or followed by `padding` spaces and `}` as a chunked stream.
fn body(bytes: Vec<u8>, padding: usize) -> Body {
    if padding == 0 {
        return Body::from(bytes);
    }
    const CHUNK: usize = 64 * 1024;
    let spaces = axum::body::Bytes::from(vec![b' '; CHUNK]);
    let chunks = std::iter::once(axum::body::Bytes::from(bytes))
        .chain((0..padding.div_ceil(CHUNK)).map(move |_| spaces.clone()))
        .chain(std::iter::once(axum::body::Bytes::from_static(b"}")))
        .map(Ok::<_, std::io::Error>);
    Body::from_stream(futures_util::stream::iter(chunks))
}

fn release(mode: &Hostile, region: &str, input: &Map<String, Value>) -> Answer {
    let id = input
        .get("SenderId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let country = input
        .get("IsoCountryCode")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match mode {
        Hostile::Escapes if id.contains("FAIL") => Answer::json(400, &items::hostile_conflict()),
        Hostile::Escapes => Answer::json(200, &items::hostile_release(region, id, country)),
        Hostile::Malformed(kind) => Answer::new(200, items::malformed(*kind)),
        Hostile::MissingMembers => Answer::new(200, "{}"),
        Hostile::UnknownEnums => Answer::json(
            400,
            &json!({
                "__type": items::typed("ConflictException"),
                "Message": "The sender ID cannot be released for a reason new to this client.",
                "Reason": "SOME_FUTURE_REASON",
                "ResourceType": "future-resource-type",
                "ResourceId": id,
            }),
        ),
        Hostile::HugeField { chars } => Answer::json(
            400,
            &json!({
                "__type": items::typed("ConflictException"),
                "Message": items::huge(*chars),
                "Reason": "DELETION_PROTECTION_ENABLED",
            }),
        ),
        _ => Answer::json(200, &items::plain_release(region, id, country)),
    }
}

fn list_tags(mode: &Hostile, input: &Map<String, Value>) -> Answer {
    let arn = input.get("ResourceArn").cloned().unwrap_or(Value::Null);
    match mode {
        Hostile::Malformed(kind) => Answer::new(200, items::malformed(*kind)),
        Hostile::MissingMembers => Answer::new(200, "{}"),
        _ => Answer::json(
            200,
            &json!({"ResourceArn": arn, "Tags": items::hostile_tags()}),
        ),
    }
}

fn error_bodies(operation: Option<Operation>) -> Answer {
    let body = match operation {
        Some(Operation::ReleaseSenderId) => items::hostile_conflict(),
        Some(Operation::DescribeSenderIds) => json!({
            "__type": items::typed("ValidationException"),
            "Message": items::HOSTILE_TEXT,
            "Reason": "OTHER\u{1b}[31m",
            "Fields": [{"Name": "Sender\u{1b}]0;pwned\u{7}Ids", "Message": items::HOSTILE_TEXT}],
        }),
        _ => json!({
            "__type": items::typed("AccessDeniedException"),
            "Message": items::HOSTILE_TEXT,
            "Reason": "ACCOUNT_DISABLED\u{9b}2J",
        }),
    };
    Answer::json(400, &body)
}

fn server_fault() -> Answer {
    let mut answer = Answer::json(
        500,
        &json!({
            "__type": items::typed("InternalServerException"),
            "Message": items::HOSTILE_TEXT,
            "RequestId": "req-\u{1b}]0;pwned\u{7}-id",
        }),
    );
    answer.request_id = Some("req-\u{9b}31m\u{202e}-hdr".to_owned());
    answer
}

fn error_type(header: bool) -> Answer {
    let mut answer = Answer::json(
        400,
        &json!({
            "__type": "com.amazonaws.pinpointsmsvoicev2#\u{1b}]0;pwned\u{7}Throttling\u{1b}[2JException",
            "Message": items::HOSTILE_TEXT,
        }),
    );
    if header {
        answer.error_type =
            Some("\u{9b}31mAccessDenied\u{202e}Exception:http://internal.example/".to_owned());
    }
    answer
}
