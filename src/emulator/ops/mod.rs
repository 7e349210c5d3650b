//! The operation handlers, one file per family: `describe` (DescribeSenderIds and its filters and
//! pagination), `lifecycle` (RequestSenderId, UpdateSenderId, ReleaseSenderId), `pools`
//! (DescribePools, ListPoolOriginationIdentities) and `tagging` (ListTagsForResource, TagResource,
//! UntagResource, on sender IDs and pools). Each handler validates its input first,
//! then takes the store lock only for the lookup or change, and returns the response body JSON.

mod describe;
mod lifecycle;
mod pools;
mod tagging;

use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};

use super::protocol::{ApiError, ErrorKind, Operation};
use super::store::Store;
use super::tokens::After;

/// Runs `operation` in `region` on an input that is already a JSON object.
pub(crate) fn dispatch(
    operation: Operation,
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    match operation {
        Operation::DescribeSenderIds => describe::describe_sender_ids(store, region, input),
        Operation::ReleaseSenderId => lifecycle::release_sender_id(store, region, input),
        Operation::RequestSenderId => lifecycle::request_sender_id(store, region, input),
        Operation::UpdateSenderId => lifecycle::update_sender_id(store, region, input),
        Operation::ListTagsForResource => tagging::list_tags_for_resource(store, region, input),
        Operation::TagResource => tagging::tag_resource(store, region, input),
        Operation::UntagResource => tagging::untag_resource(store, region, input),
        Operation::DescribePools => pools::describe_pools(store, region, input),
        Operation::ListPoolOriginationIdentities => {
            pools::list_pool_origination_identities(store, region, input)
        }
    }
}

/// Locks a mutex; a poisoned lock is still usable because no handler leaves state half-changed.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A member validation has already proven present.
fn present<T>(value: Option<T>, name: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| {
        ApiError::new(
            ErrorKind::InternalServer,
            format!("{name} was validated but not found"),
        )
    })
}

/// A stable hash of request parameters, for token and idempotency binding.
fn fingerprint(parts: &impl std::hash::Hash) -> u64 {
    use std::hash::{DefaultHasher, Hasher};
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

/// The cursor a request's NextToken stands for, if it has one; an unknown token, or one issued for
/// another region or query, is a ValidationException (INVALID_NEXT_TOKEN).
fn resume(
    store: &Store,
    token: Option<&str>,
    region: &str,
    fingerprint: u64,
) -> Result<Option<After>, ApiError> {
    token
        .map(|token| {
            store
                .tokens
                .cursor(token, region, fingerprint)
                .cloned()
                .ok_or_else(invalid_next_token)
        })
        .transpose()
}

fn invalid_next_token() -> ApiError {
    ApiError::validation(
        "INVALID_NEXT_TOKEN",
        "NextToken",
        "The pagination token is invalid, expired, or was issued for a different request",
    )
}

/// ResourceNotFoundException for a sender ID named by `SenderId` (plain or ARN) and country.
fn sender_not_found(sender_id: &str, country: &str) -> ApiError {
    let mut error = ApiError::not_found("sender-id", sender_id);
    error.message = if sender_id.starts_with("arn:") {
        format!("Sender ID {sender_id} was not found in this region.")
    } else {
        format!(
            "Sender ID {sender_id} in {country} was not found in this account and region \
             (a sender ID shared with you must be named by its full ARN)."
        )
    };
    error
}
