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
    /// What went wrong in the operator's words, when sidman recognised it: the error is then
    /// shown as that one sentence, with the fix.
    pub cause: Option<Box<Cause>>,
}

/// A failure the operator can cause and fix, recognised from the SDK's error
/// (`aws::errors` classifies): its [`fmt::Display`] is one sentence with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// The endpoint's host name does not resolve: for AWS's own endpoint, the region does not
    /// exist or the service is not offered there.
    UnknownHost,
    /// Nothing listens at the endpoint (connection refused or unreachable network).
    Unreachable,
    /// No connection within the connect timeout.
    ConnectTimeout { secs: u64 },
    /// Connected, but no answer within the attempt timeout.
    Timeout { secs: u64 },
    /// Something answered that is not this service (HTML, a web server's error page).
    NotTheService { status: u16 },
    /// The policy does not allow this operation.
    AccessDenied {
        action: String,
        reason: Option<String>,
    },
    /// The service did not recognise the credentials here: the region is not enabled for the
    /// account, or the key is invalid or expired.
    NotRecognized,
}

impl Cause {
    /// A word or two for where a sentence does not fit (the header's region line).
    pub fn short(&self) -> &'static str {
        match self {
            Self::UnknownHost => "no such endpoint",
            Self::Unreachable => "unreachable",
            Self::ConnectTimeout { .. } | Self::Timeout { .. } => "timed out",
            Self::NotTheService { .. } => "not the service",
            Self::AccessDenied { .. } => "access denied",
            Self::NotRecognized => "credentials refused",
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownHost => write!(
                f,
                "the service's endpoint has no address: the region does not exist or \
                 End User Messaging SMS is not offered there (check the region name, e.g. \
                 us-east-1, or --endpoint-url)"
            ),
            Self::Unreachable => write!(
                f,
                "cannot connect to the service's endpoint (check the network, a proxy or \
                 --endpoint-url)"
            ),
            Self::ConnectTimeout { secs } => write!(
                f,
                "could not connect to the service within {secs} s (check the network, a \
                 firewall or proxy, or --endpoint-url)"
            ),
            Self::Timeout { secs } => write!(
                f,
                "the service did not answer within {secs} s (try again later; if it \
                 persists, check the network, a proxy or --endpoint-url)"
            ),
            Self::NotTheService { status } => write!(
                f,
                "the endpoint answered HTTP {status} but is not End User Messaging SMS \
                 (check --endpoint-url or AWS_ENDPOINT_URL)"
            ),
            Self::AccessDenied {
                reason: Some(reason),
                ..
            } if reason == "ACCOUNT_DISABLED" => write!(
                f,
                "access denied (ACCOUNT_DISABLED): the account is disabled for End User \
                 Messaging SMS in this region (see the console or ask AWS Support)"
            ),
            Self::AccessDenied { action, .. } => write!(
                f,
                "access denied: the credentials may not call {action} (add it to the \
                 IAM policy; see the README's IAM section)"
            ),
            Self::NotRecognized => write!(
                f,
                "the service did not accept the credentials here: the region may not be \
                 enabled for the account (enable it in the console's account settings), or \
                 the access key is invalid or expired (log in again)"
            ),
        }
    }
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
            cause: None,
        }
    }

    /// The same error, recognised as `cause` (shown as its sentence).
    #[must_use]
    pub fn because(mut self, cause: Cause) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    /// A word or two for where the sentence does not fit: the cause's, or the service's code.
    pub fn short(&self) -> &str {
        match &self.cause {
            Some(cause) => cause.as_ref().short(),
            None => &self.code,
        }
    }

    /// One sentence for a failed call in `region`: the cause's sentence when it is known,
    /// otherwise `could not {what}:` and the service's code and message.
    pub fn in_region(&self, region: &str, what: &str) -> String {
        match &self.cause {
            Some(cause) => format!("{region}: {cause}"),
            None => format!("{region}: could not {what}: {self}"),
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
        if let Some(cause) = &self.cause {
            return write!(f, "{cause}");
        }
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
