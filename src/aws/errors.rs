//! Turns the SDK's errors into [`ApiError`]: the error code, the modeled reason, message, request
//! ID and resource it names, and above all whether the call is known not to have taken effect.
//! That last bit decides whether a release may be retried (throttled, refused) or must be re-read
//! first (timeout, lost connection, 5xx, unreadable response).

pub use crate::domain::error::{ApiError, CREDENTIALS_ERROR, Cause, ErrorKind};
use crate::sanitize::clean;
use aws_sdk_pinpointsmsvoicev2 as sms;
use sms::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use sms::operation::RequestId;
use sms::operation::describe_pools::DescribePoolsError;
use sms::operation::describe_sender_ids::DescribeSenderIdsError;
use sms::operation::list_pool_origination_identities::ListPoolOriginationIdentitiesError;
use sms::operation::list_tags_for_resource::ListTagsForResourceError;
use sms::operation::release_sender_id::ReleaseSenderIdError;
use sms::operation::update_sender_id::UpdateSenderIdError;
use std::fmt;

/// True when a credentials provider's error is somewhere in this error's chain.
fn caused_by_credentials(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(e) = next {
        if e.is::<aws_credential_types::provider::error::CredentialsError>() {
            return true;
        }
        next = e.source();
    }
    false
}

/// The parts every SDK error shares; the modeled members are filled in by the callers below.
fn common<E, R>(err: &SdkError<E, R>) -> ApiError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug + HttpStatus + 'static,
{
    if let Some(unreadable) = super::broken::unreadable(err) {
        return unreadable;
    }
    match err {
        SdkError::ServiceError(se) => {
            let e = se.err();
            let status = se.raw().status_code();
            let code = e.code().unwrap_or("UnknownError");
            let kind = if code == "ThrottlingException" {
                ErrorKind::Throttled
            } else if status >= 500 {
                ErrorKind::ServerFault
            } else {
                ErrorKind::Service
            };
            let out = ApiError {
                kind,
                request_id: e.meta().request_id().map(clean),
                ..ApiError::bare(kind, &clean(code), e.message().unwrap_or_default())
            };
            if matches!(code, "UnrecognizedClientException" | "InvalidClientTokenId") {
                out.because(Cause::NotRecognized)
            } else {
                out
            }
        }
        SdkError::ConstructionFailure(_) | SdkError::DispatchFailure(_)
            if caused_by_credentials(err) =>
        {
            ApiError::bare(ErrorKind::NotSent, CREDENTIALS_ERROR, detail(err))
        }
        SdkError::ConstructionFailure(_) => {
            ApiError::bare(ErrorKind::NotSent, "RequestNotSent", detail(err))
        }
        SdkError::TimeoutError(_) => ApiError::bare(ErrorKind::NoAnswer, "Timeout", detail(err))
            .because(Cause::Timeout {
                secs: super::ATTEMPT_TIMEOUT.as_secs(),
            }),
        SdkError::DispatchFailure(d) => {
            let never_connected = d
                .as_connector_error()
                .and_then(|c| c.connection_metadata())
                .is_none()
                && d.is_io()
                && detail(err).contains("connect");
            let text = detail(err);
            if text.contains("dns error") || text.contains("failed to lookup address") {
                ApiError::bare(ErrorKind::NotSent, "RequestNotSent", text)
                    .because(Cause::UnknownHost)
            } else if never_connected {
                ApiError::bare(ErrorKind::NotSent, "RequestNotSent", text)
                    .because(Cause::Unreachable)
            } else if d.is_user() {
                ApiError::bare(ErrorKind::NotSent, "RequestNotSent", text)
            } else if d.is_timeout() {
                let secs = super::CONNECT_TIMEOUT.as_secs();
                let cause = if d
                    .as_connector_error()
                    .and_then(|c| c.connection_metadata())
                    .is_none()
                {
                    Cause::ConnectTimeout { secs }
                } else {
                    Cause::Timeout {
                        secs: super::ATTEMPT_TIMEOUT.as_secs(),
                    }
                };
                ApiError::bare(ErrorKind::NoAnswer, "Timeout", text).because(cause)
            } else {
                ApiError::bare(ErrorKind::NoAnswer, "ConnectionError", detail(err))
            }
        }
        SdkError::ResponseError(r) => {
            let status = r.raw().status_code();
            let kind = if status >= 500 {
                ErrorKind::ServerFault
            } else {
                ErrorKind::BadResponse
            };
            ApiError::bare(kind, "MalformedResponse", detail(err))
        }
        _ => ApiError::bare(ErrorKind::NoAnswer, "UnknownError", detail(err)),
    }
}

fn detail<E: std::error::Error + 'static, R: fmt::Debug>(err: &SdkError<E, R>) -> String {
    DisplayErrorContext(err).to_string()
}

/// The HTTP status of a raw response, whatever the SDK's response type.
pub trait HttpStatus {
    fn status_code(&self) -> u16;
}

type Raw = sms::config::http::HttpResponse;

impl HttpStatus for Raw {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}

/// An AccessDeniedException on a read is the policy missing `action`: said so, with the fix.
/// (A change refused is left as the service said it: a shared sender ID is refused that way.)
fn denied(out: ApiError, action: &str) -> ApiError {
    if out.is_access_denied() {
        let reason = out.reason.clone();
        out.because(Cause::AccessDenied {
            action: action.to_owned(),
            reason,
        })
    } else {
        out
    }
}

pub fn from_describe(err: &SdkError<DescribeSenderIdsError, Raw>) -> ApiError {
    let mut out = common(err);
    if let Some(e) = err.as_service_error() {
        match e {
            DescribeSenderIdsError::ResourceNotFoundException(x) => {
                out.resource_type = x.resource_type().map(|t| clean(t.as_str()));
                out.resource_id = x.resource_id().map(clean);
            }
            DescribeSenderIdsError::ValidationException(x) => {
                out.reason = x.reason().map(|r| clean(r.as_str()));
                out.fields = validation_fields(x.fields());
            }
            DescribeSenderIdsError::AccessDeniedException(x) => {
                out.reason = x.reason().map(|r| clean(r.as_str()));
            }
            DescribeSenderIdsError::InternalServerException(x) => {
                out.request_id = out.request_id.or_else(|| x.request_id().map(clean));
            }
            _ => {}
        }
    }
    denied(out, "sms-voice:DescribeSenderIds")
}

pub fn from_release(err: &SdkError<ReleaseSenderIdError, Raw>) -> ApiError {
    let mut out = common(err);
    if let Some(e) = err.as_service_error() {
        match e {
            ReleaseSenderIdError::ConflictException(x) => {
                out.reason = x.reason().map(|r| clean(r.as_str()));
                out.resource_type = x.resource_type().map(|t| clean(t.as_str()));
                out.resource_id = x.resource_id().map(clean);
            }
            ReleaseSenderIdError::ResourceNotFoundException(x) => {
                out.resource_type = x.resource_type().map(|t| clean(t.as_str()));
                out.resource_id = x.resource_id().map(clean);
            }
            ReleaseSenderIdError::ValidationException(x) => {
                out.reason = x.reason().map(|r| clean(r.as_str()));
                out.fields = validation_fields(x.fields());
            }
            ReleaseSenderIdError::AccessDeniedException(x) => {
                out.reason = x.reason().map(|r| clean(r.as_str()));
            }
            ReleaseSenderIdError::InternalServerException(x) => {
                out.request_id = out.request_id.or_else(|| x.request_id().map(clean));
            }
            _ => {}
        }
    }
    out
}

pub fn from_update(err: &SdkError<UpdateSenderIdError, Raw>) -> ApiError {
    let mut out = common(err);
    if let Some(e) = err.as_service_error() {
        match e {
            UpdateSenderIdError::ResourceNotFoundException(x) => {
                out.resource_type = x.resource_type().map(|t| clean(t.as_str()));
                out.resource_id = x.resource_id().map(clean);
            }
            UpdateSenderIdError::ValidationException(x) => {
                out.reason = x.reason().map(|r| clean(r.as_str()));
                out.fields = validation_fields(x.fields());
            }
            UpdateSenderIdError::AccessDeniedException(x) => {
                out.reason = x.reason().map(|r| clean(r.as_str()));
            }
            UpdateSenderIdError::InternalServerException(x) => {
                out.request_id = out.request_id.or_else(|| x.request_id().map(clean));
            }
            _ => {}
        }
    }
    out
}

/// The modeled members of the errors the read-only operations share (their error enums differ
/// only in name): ResourceNotFound, Validation, AccessDenied and InternalServer.
enum Modeled<'a> {
    NotFound(&'a sms::types::error::ResourceNotFoundException),
    Validation(&'a sms::types::error::ValidationException),
    Denied(&'a sms::types::error::AccessDeniedException),
    Internal(&'a sms::types::error::InternalServerException),
    Other,
}

fn with_modeled(mut out: ApiError, modeled: Modeled<'_>) -> ApiError {
    match modeled {
        Modeled::NotFound(x) => {
            out.resource_type = x.resource_type().map(|t| clean(t.as_str()));
            out.resource_id = x.resource_id().map(clean);
        }
        Modeled::Validation(x) => {
            out.reason = x.reason().map(|r| clean(r.as_str()));
            out.fields = validation_fields(x.fields());
        }
        Modeled::Denied(x) => out.reason = x.reason().map(|r| clean(r.as_str())),
        Modeled::Internal(x) => {
            out.request_id = out.request_id.or_else(|| x.request_id().map(clean));
        }
        Modeled::Other => {}
    }
    out
}

pub fn from_describe_pools(err: &SdkError<DescribePoolsError, Raw>) -> ApiError {
    let modeled = match err.as_service_error() {
        Some(DescribePoolsError::ResourceNotFoundException(x)) => Modeled::NotFound(x),
        Some(DescribePoolsError::ValidationException(x)) => Modeled::Validation(x),
        Some(DescribePoolsError::AccessDeniedException(x)) => Modeled::Denied(x),
        Some(DescribePoolsError::InternalServerException(x)) => Modeled::Internal(x),
        _ => Modeled::Other,
    };
    denied(
        with_modeled(common(err), modeled),
        "sms-voice:DescribePools",
    )
}

pub fn from_list_pool_members(err: &SdkError<ListPoolOriginationIdentitiesError, Raw>) -> ApiError {
    use ListPoolOriginationIdentitiesError as E;
    let modeled = match err.as_service_error() {
        Some(E::ResourceNotFoundException(x)) => Modeled::NotFound(x),
        Some(E::ValidationException(x)) => Modeled::Validation(x),
        Some(E::AccessDeniedException(x)) => Modeled::Denied(x),
        Some(E::InternalServerException(x)) => Modeled::Internal(x),
        _ => Modeled::Other,
    };
    denied(
        with_modeled(common(err), modeled),
        "sms-voice:ListPoolOriginationIdentities",
    )
}

pub fn from_list_tags(err: &SdkError<ListTagsForResourceError, Raw>) -> ApiError {
    let modeled = match err.as_service_error() {
        Some(ListTagsForResourceError::ResourceNotFoundException(x)) => Modeled::NotFound(x),
        Some(ListTagsForResourceError::ValidationException(x)) => Modeled::Validation(x),
        Some(ListTagsForResourceError::AccessDeniedException(x)) => Modeled::Denied(x),
        Some(ListTagsForResourceError::InternalServerException(x)) => Modeled::Internal(x),
        _ => Modeled::Other,
    };
    denied(
        with_modeled(common(err), modeled),
        "sms-voice:ListTagsForResource",
    )
}

fn validation_fields(fields: &[sms::types::ValidationExceptionField]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| (clean(f.name()), clean(f.message())))
        .collect()
}
