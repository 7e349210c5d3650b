//! An error of one call to the service, in the domain's words: what kind of failure it was (which
//! decides whether the call may be sent again, must be re-read first, or nothing happened), the
//! service's code, modeled reason, message, request ID and the resource it names, every string
//! already made safe to print. The questions asked of an error ("not found?", "credentials
//! expired?", "may it have taken effect?") are answered here, and only here.

use crate::sanitize::clean;
use std::fmt;

/// How an error happened, which says what may be done next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The service answered with a modeled or unmodeled error: the call did not take effect.
    Service,
    /// The service refused the call for rate: it did not take effect and may be sent again.
    Throttled,
    /// A 5xx from the service: the outcome is unknown.
    ServerFault,
    /// No answer in time, or the connection broke: the outcome is unknown.
    NoAnswer,
    /// An answer that could not be read: the outcome is unknown.
    BadResponse,
    /// The call could not be built or signed (credentials, configuration): nothing was sent.
    NotSent,
    /// Refused by sidman itself (read-only mode, unknown region): nothing was sent.
    Local,
}

/// An error of one call, in the domain's words, every string made safe to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub code: String,
    pub reason: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub fields: Vec<(String, String)>,
}

impl ApiError {
    pub fn local(message: impl Into<String>) -> Self {
        Self::bare(ErrorKind::Local, "LocalError", message)
    }

    pub fn read_only() -> Self {
        Self::bare(
            ErrorKind::Local,
            "ReadOnly",
            "sidman runs read-only (--read-only): nothing that changes AWS is sent",
        )
    }

    /// An error of `kind` with `code` and `message` and nothing else.
    pub fn bare(kind: ErrorKind, code: &str, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: code.to_owned(),
            reason: None,
            message: clean(&message.into()),
            request_id: None,
            resource_type: None,
            resource_id: None,
            fields: Vec::new(),
        }
    }

    /// A call throttled for longer than sidman waits: `last` is the final ThrottlingException.
    pub fn gave_up_throttled(last: &ApiError, attempts: u32, waited: std::time::Duration) -> Self {
        Self {
            message: clean(&format!(
                "the service throttled {attempts} attempts over {} s; sidman gave up on this call \
                 (try again later, lower --max-rps, or ask AWS to raise the quota). Last answer: {}",
                waited.as_secs(),
                last.message
            )),
            ..last.clone()
        }
    }

    /// True when the credentials are expired or no longer accepted (the service said so, or the
    /// credentials provider failed): nothing took effect, and logging in again fixes it.
    pub fn credentials_expired(&self) -> bool {
        CREDENTIAL_CODES.contains(&self.code.as_str())
    }

    /// True when the service said the sender ID (or resource) does not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::Service && self.code == "ResourceNotFoundException"
    }

    /// True when the service refused the call for want of permission (AccessDeniedException):
    /// the caller's policy does not allow the operation, or the account is not in good standing.
    pub fn is_access_denied(&self) -> bool {
        self.kind == ErrorKind::Service && self.code == "AccessDeniedException"
    }

    /// True for a throttled error that reached the caller: the API's retry loop gave up on it
    /// (the call never took effect).
    pub fn gave_up(&self) -> bool {
        self.kind == ErrorKind::Throttled
    }

    /// True when a read that failed this way is worth sending again: a 5xx, or a connection
    /// lost for another reason than the client's own timeout.
    pub fn worth_reading_again(&self) -> bool {
        self.kind == ErrorKind::ServerFault
            || (self.kind == ErrorKind::NoAnswer && self.code != "Timeout")
    }

    /// True when the call may have taken effect although no success was seen.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::ServerFault | ErrorKind::NoAnswer | ErrorKind::BadResponse
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(r) = &self.reason {
            write!(f, " ({r})")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Error codes that mean "log in again": the service's answers to expired or unknown credentials,
/// and sidman's own code for a credentials provider that failed ([`CREDENTIALS_ERROR`]).
const CREDENTIAL_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "InvalidClientTokenId",
    CREDENTIALS_ERROR,
];

/// The code of an error raised because the credentials provider failed (nothing was sent).
pub const CREDENTIALS_ERROR: &str = "CredentialsError";
