//! The AWS JSON 1.0 wire protocol as the service speaks it: which operation an `X-Amz-Target`
//! names, which region a SigV4 `Authorization` header's credential scope names, which errors each
//! operation models, and how an error becomes a `__type` body with its status code. Keeping this
//! apart from the handlers means every operation answers in exactly the same envelope and no
//! handler can return an error its operation does not model (the SDK would call it `Unhandled`).

use serde_json::{Map, Value, json};

/// The `X-Amz-Target` prefix of the service.
pub(crate) const TARGET_PREFIX: &str = "PinpointSMSVoiceV2.";
/// The Smithy namespace put in front of every error name in `__type`.
pub(crate) const ERROR_NAMESPACE: &str = "com.amazonaws.pinpointsmsvoicev2#";
/// The content type of every request and response.
pub(crate) const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// The operations the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Operation {
    DescribeSenderIds,
    ReleaseSenderId,
    RequestSenderId,
    UpdateSenderId,
    ListTagsForResource,
    TagResource,
    UntagResource,
    DescribePools,
    ListPoolOriginationIdentities,
}

impl Operation {
    pub(crate) const ALL: [Operation; 9] = [
        Operation::DescribeSenderIds,
        Operation::ReleaseSenderId,
        Operation::RequestSenderId,
        Operation::UpdateSenderId,
        Operation::ListTagsForResource,
        Operation::TagResource,
        Operation::UntagResource,
        Operation::DescribePools,
        Operation::ListPoolOriginationIdentities,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Operation::DescribeSenderIds => "DescribeSenderIds",
            Operation::ReleaseSenderId => "ReleaseSenderId",
            Operation::RequestSenderId => "RequestSenderId",
            Operation::UpdateSenderId => "UpdateSenderId",
            Operation::ListTagsForResource => "ListTagsForResource",
            Operation::TagResource => "TagResource",
            Operation::UntagResource => "UntagResource",
            Operation::DescribePools => "DescribePools",
            Operation::ListPoolOriginationIdentities => "ListPoolOriginationIdentities",
        }
    }

    /// The operation an `X-Amz-Target` value names (exact, case-sensitive as in AWS).
    pub(crate) fn from_target(target: &str) -> Option<Operation> {
        let name = target.strip_prefix(TARGET_PREFIX)?;
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }

    /// Whether the service model lists `kind` among this operation's errors.
    pub(crate) fn models(self, kind: ErrorKind) -> bool {
        use ErrorKind as K;
        match kind {
            K::Throttling | K::AccessDenied | K::Validation | K::InternalServer => true,
            K::ResourceNotFound => self != Operation::RequestSenderId,
            K::Conflict => matches!(
                self,
                Operation::ReleaseSenderId | Operation::RequestSenderId
            ),
            K::ServiceQuotaExceeded => {
                matches!(self, Operation::RequestSenderId | Operation::TagResource)
            }
            K::Serialization
            | K::UnknownOperation
            | K::MissingAuthenticationToken
            | K::IncompleteSignature
            | K::ExpiredToken => true,
        }
    }
}

/// Every error the emulator can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    Throttling,
    AccessDenied,
    ResourceNotFound,
    Validation,
    Conflict,
    ServiceQuotaExceeded,
    InternalServer,
    Serialization,
    UnknownOperation,
    MissingAuthenticationToken,
    IncompleteSignature,
    /// The request's credentials have expired (fault knob `expired_credentials`).
    ExpiredToken,
}

impl ErrorKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ErrorKind::Throttling => "ThrottlingException",
            ErrorKind::AccessDenied => "AccessDeniedException",
            ErrorKind::ResourceNotFound => "ResourceNotFoundException",
            ErrorKind::Validation => "ValidationException",
            ErrorKind::Conflict => "ConflictException",
            ErrorKind::ServiceQuotaExceeded => "ServiceQuotaExceededException",
            ErrorKind::InternalServer => "InternalServerException",
            ErrorKind::Serialization => "SerializationException",
            ErrorKind::UnknownOperation => "UnknownOperationException",
            ErrorKind::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            ErrorKind::IncompleteSignature => "IncompleteSignatureException",
            ErrorKind::ExpiredToken => "ExpiredTokenException",
        }
    }

    /// Client errors are 400, the one server fault is 500 (Smithy's defaults, api.md section 3).
    pub(crate) fn status(self) -> u16 {
        match self {
            ErrorKind::InternalServer => 500,
            ErrorKind::ExpiredToken => 403,
            _ => 400,
        }
    }
}

/// One entry of a ValidationException's `Fields`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) name: String,
    pub(crate) message: String,
}

/// An error answer: its kind, message and the members its shape carries.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
    pub(crate) reason: Option<&'static str>,
    pub(crate) resource: Option<(&'static str, String)>,
    pub(crate) fields: Vec<FieldError>,
}

impl ApiError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> ApiError {
        ApiError {
            kind,
            message: message.into(),
            reason: None,
            resource: None,
            fields: Vec::new(),
        }
    }

    pub(crate) fn with_reason(mut self, reason: &'static str) -> ApiError {
        self.reason = Some(reason);
        self
    }

    pub(crate) fn with_resource(mut self, resource_type: &'static str, id: &str) -> ApiError {
        self.resource = Some((resource_type, id.to_owned()));
        self
    }

    /// A ValidationException with a reason and one entry in `Fields`.
    pub(crate) fn validation(reason: &'static str, field: &str, message: &str) -> ApiError {
        let fields = vec![FieldError {
            name: field.to_owned(),
            message: message.to_owned(),
        }];
        let mut error = ApiError::new(ErrorKind::Validation, format!("{field}: {message}"));
        error.reason = Some(reason);
        error.fields = fields;
        error
    }

    /// ResourceNotFoundException for a sender ID (or other resource) as the caller named it.
    pub(crate) fn not_found(resource_type: &'static str, id: &str) -> ApiError {
        ApiError::new(
            ErrorKind::ResourceNotFound,
            format!("The {resource_type} {id} was not found."),
        )
        .with_resource(resource_type, id)
    }

    /// The JSON body: `__type` with the full shape ID, PascalCase members.
    pub(crate) fn body(&self, request_id: &str) -> Value {
        let mut body = Map::new();
        body.insert(
            "__type".into(),
            json!(format!("{ERROR_NAMESPACE}{}", self.kind.name())),
        );
        body.insert("Message".into(), json!(self.message));
        if let Some(reason) = self.reason {
            body.insert("Reason".into(), json!(reason));
        }
        if let Some((resource_type, id)) = &self.resource {
            body.insert("ResourceType".into(), json!(resource_type));
            body.insert("ResourceId".into(), json!(id));
        }
        if !self.fields.is_empty() {
            let fields: Vec<Value> = self
                .fields
                .iter()
                .map(|f| json!({"Name": f.name, "Message": f.message}))
                .collect();
            body.insert("Fields".into(), Value::Array(fields));
        }
        if self.kind == ErrorKind::InternalServer {
            body.insert("RequestId".into(), json!(request_id));
        }
        Value::Object(body)
    }
}

/// The region named by the credential scope of a SigV4 `Authorization` header:
/// `AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/REGION/SERVICE/aws4_request, SignedHeaders=…`.
/// The signature itself is not checked.
pub(crate) fn region_from_authorization(header: Option<&str>) -> Result<String, ApiError> {
    let Some(header) = header.map(str::trim).filter(|h| !h.is_empty()) else {
        return Err(ApiError::new(
            ErrorKind::MissingAuthenticationToken,
            "Request is missing Authentication Token",
        ));
    };
    let incomplete = |what: &str| {
        ApiError::new(
            ErrorKind::IncompleteSignature,
            format!("Authorization header {what}. Authorization={header}"),
        )
    };
    let Some(rest) = header.strip_prefix("AWS4-HMAC-SHA256") else {
        return Err(incomplete("must use the AWS4-HMAC-SHA256 algorithm"));
    };
    let credential = rest
        .split([',', ' '])
        .map(str::trim)
        .find_map(|part| part.strip_prefix("Credential="))
        .ok_or_else(|| incomplete("requires 'Credential' parameter"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let valid_region = |r: &str| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    match scope.as_slice() {
        [key, date, region, service, "aws4_request"]
            if !key.is_empty()
                && date.len() == 8
                && !service.is_empty()
                && valid_region(region) =>
        {
            Ok((*region).to_owned())
        }
        _ => Err(incomplete("has a malformed credential scope")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_comes_from_the_scope() {
        let header = "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/sms-voice/aws4_request, \
                      SignedHeaders=host;x-amz-date, Signature=abc";
        assert_eq!(
            region_from_authorization(Some(header)).ok().as_deref(),
            Some("eu-west-1")
        );
    }

    #[test]
    fn missing_and_malformed_headers() {
        let missing = region_from_authorization(None).err().map(|e| e.kind);
        assert_eq!(missing, Some(ErrorKind::MissingAuthenticationToken));
        for bad in [
            "Basic abc",
            "AWS4-HMAC-SHA256 Signature=x",
            "AWS4-HMAC-SHA256 Credential=a/b",
        ] {
            let kind = region_from_authorization(Some(bad)).err().map(|e| e.kind);
            assert_eq!(kind, Some(ErrorKind::IncompleteSignature), "{bad}");
        }
    }

    #[test]
    fn targets() {
        assert_eq!(
            Operation::from_target("PinpointSMSVoiceV2.ReleaseSenderId"),
            Some(Operation::ReleaseSenderId)
        );
        assert_eq!(
            Operation::from_target("PinpointSMSVoiceV2.DescribePhoneNumbers"),
            None
        );
        assert_eq!(Operation::from_target("Other.DescribeSenderIds"), None);
        assert!(!Operation::UpdateSenderId.models(ErrorKind::Conflict));
        assert!(!Operation::RequestSenderId.models(ErrorKind::ResourceNotFound));
        for pools in [
            Operation::DescribePools,
            Operation::ListPoolOriginationIdentities,
        ] {
            assert_eq!(
                Operation::from_target(&format!("{TARGET_PREFIX}{}", pools.name())),
                Some(pools)
            );
            assert!(pools.models(ErrorKind::ResourceNotFound));
            assert!(!pools.models(ErrorKind::Conflict));
            assert!(!pools.models(ErrorKind::ServiceQuotaExceeded));
        }
    }
}
