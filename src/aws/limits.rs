//! Bounds on what a server may make sidman hold in memory. The SDK reads a whole response body
//! before parsing it, so a broken or hostile endpoint could send gigabytes in one answer; the
//! [`ResponseSizeLimit`] interceptor refuses an answer whose `Content-Length` is over
//! [`MAX_RESPONSE_BYTES`] before reading it, and caps the body as it streams in when the length is
//! not declared (chunked). Either way the call fails with [`ResponseTooLarge`], which
//! `errors::common` turns into one clear sentence. A real page of 100 sender IDs is about 50 KB.

use aws_sdk_pinpointsmsvoicev2 as sms;
use aws_smithy_types::body::SdkBody;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use sms::config::interceptors::BeforeDeserializationInterceptorContextMut;
use sms::config::{ConfigBag, Intercept, RuntimeComponents};
use std::fmt;

/// The largest response body sidman reads: 16 MiB, over 300 times a full page of the real service.
pub const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A response larger than [`MAX_RESPONSE_BYTES`]: declared so by its `Content-Length`, or found
/// so while reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseTooLarge {
    pub limit: u64,
    pub declared: Option<u64>,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mib = self.limit / (1024 * 1024);
        match self.declared {
            Some(n) => write!(
                f,
                "the service's answer is {n} bytes, over sidman's limit of {mib} MiB; it was not read"
            ),
            None => write!(
                f,
                "the service's answer grew past sidman's limit of {mib} MiB; reading it was stopped"
            ),
        }
    }
}

impl std::error::Error for ResponseTooLarge {}

/// Finds a [`ResponseTooLarge`] anywhere in an error's chain of sources.
pub fn too_large_in(err: &(dyn std::error::Error + 'static)) -> Option<ResponseTooLarge> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<ResponseTooLarge>() {
            return Some(*found);
        }
        current = e.source();
    }
    None
}

/// The SDK interceptor that enforces [`MAX_RESPONSE_BYTES`] on every response.
#[derive(Debug, Clone, Copy)]
pub struct ResponseSizeLimit {
    pub limit: u64,
}

impl Default for ResponseSizeLimit {
    fn default() -> Self {
        Self {
            limit: MAX_RESPONSE_BYTES,
        }
    }
}

impl Intercept for ResponseSizeLimit {
    fn name(&self) -> &'static str {
        "sidman::ResponseSizeLimit"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response_mut();
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(n) = declared.filter(|n| *n > self.limit) {
            return Err(Box::new(ResponseTooLarge {
                limit: self.limit,
                declared: Some(n),
            }));
        }
        let body = std::mem::replace(response.body_mut(), SdkBody::taken());
        *response.body_mut() = capped(body, self.limit);
        Ok(())
    }
}

/// The body, failing with [`ResponseTooLarge`] once more than `limit` bytes have streamed in.
fn capped(body: SdkBody, limit: u64) -> SdkBody {
    let max = usize::try_from(limit).unwrap_or(usize::MAX);
    let limited = Limited::new(body, max).map_err(move |e: BoxError| -> BoxError {
        if e.is::<LengthLimitError>() {
            Box::new(ResponseTooLarge {
                limit,
                declared: None,
            })
        } else {
            e
        }
    });
    SdkBody::from_body_1_x(limited)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error that names another as its source, as the SDK's wrappers do.
    #[derive(Debug)]
    struct Wrapper(BoxError);

    impl fmt::Display for Wrapper {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("wrapper")
        }
    }

    impl std::error::Error for Wrapper {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&*self.0)
        }
    }

    #[test]
    fn the_error_is_found_through_wrappers() {
        let inner = ResponseTooLarge {
            limit: MAX_RESPONSE_BYTES,
            declared: Some(20 << 20),
        };
        let wrapped = Wrapper(Box::new(Wrapper(Box::new(inner))));
        assert_eq!(too_large_in(&wrapped), Some(inner));
        assert!(inner.to_string().contains("16 MiB"));
        assert_eq!(too_large_in(&Wrapper("x".into())), None);
    }

    #[tokio::test]
    async fn a_streamed_body_is_cut_at_the_limit() {
        let body = capped(SdkBody::from(vec![b'x'; 100]), 10);
        let err = body.collect().await.err().map(|e| too_large_in(&*e));
        assert_eq!(
            err,
            Some(Some(ResponseTooLarge {
                limit: 10,
                declared: None
            }))
        );
        let ok = capped(SdkBody::from(vec![b'x'; 10]), 10).collect().await;
        assert_eq!(ok.map(|c| c.to_bytes().len()).ok(), Some(10));
    }
}
