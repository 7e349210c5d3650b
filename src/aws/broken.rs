//! Answers the SDK could not read, named for what they mean to sidman. The SDK reports a 2xx whose
//! body is not the expected JSON as an *unhandled service error* with no code, which would read
//! as "the service refused the call"; for a release that is wrong: the service said yes and only
//! the details were lost, so the outcome is unknown and must be re-read. An answer over the size
//! limit ([`super::limits`]) and an error without any code get their own sentence too.

use super::errors::{ApiError, ErrorKind, HttpStatus};
use super::limits::too_large_in;
use aws_sdk_pinpointsmsvoicev2 as sms;
use sms::error::{DisplayErrorContext, ErrorMetadata, ProvideErrorMetadata, SdkError};
use sms::operation::RequestId;
use std::fmt;

/// The error for an answer that could not be read, or `None` when the usual mapping applies.
pub(super) fn unreadable<E, R>(err: &SdkError<E, R>) -> Option<ApiError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug + HttpStatus + 'static,
{
    if let Some(large) = too_large_in(err) {
        return Some(bad("ResponseTooLarge", large.to_string()));
    }
    let SdkError::ServiceError(se) = err else {
        return None;
    };
    let status = se.raw().status_code();
    if (200..300).contains(&status) {
        return Some(bad(
            "MalformedResponse",
            format!(
                "the service answered HTTP {status} but sidman could not read the answer ({}); \
                 whether the call took effect is unknown",
                cause(se.err())
            ),
        ));
    }
    if se.err().code().is_none() {
        let kind = if status >= 500 {
            ErrorKind::ServerFault
        } else {
            ErrorKind::Service
        };
        let request_id = se.err().meta().request_id().map(crate::sanitize::clean);
        let message = said(se.err());
        // No code and no message that could be read: not this service's answer at all (a web
        // server's error page, a proxy).
        let foreign = message.is_none();
        let out = ApiError {
            kind,
            code: "UnknownError".to_owned(),
            request_id,
            ..ApiError::local(format!(
                "the service answered HTTP {status} with an error that names no error code ({})",
                message.unwrap_or_else(|| cause(se.err()))
            ))
        };
        return Some(if foreign {
            out.because(super::errors::Cause::NotTheService { status })
        } else {
            out
        });
    }
    None
}

fn bad(code: &str, message: String) -> ApiError {
    ApiError {
        kind: ErrorKind::BadResponse,
        code: code.to_owned(),
        ..ApiError::local(message)
    }
}

/// The message an error body carried, wherever the SDK put it (an unhandled error keeps the
/// parsed metadata as its source, not as its own).
fn said(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut next = Some(e);
    while let Some(err) = next {
        let meta = err.downcast_ref::<ErrorMetadata>();
        if let Some(message) = meta.and_then(ErrorMetadata::message) {
            return Some(message.chars().take(300).collect());
        }
        next = err.source();
    }
    None
}

/// The innermost causes of an error, without the SDK's debug dumps, cut to one readable line.
fn cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = e.source();
    while let Some(s) = next {
        parts.push(s.to_string());
        next = s.source();
    }
    let text = if parts.is_empty() {
        DisplayErrorContext(e).to_string()
    } else {
        parts.join(": ")
    };
    text.chars().take(300).collect()
}
