//! The changes sidman sends: ReleaseSenderId, and UpdateSenderId for deletion protection, each
//! through the region's lane of its operation; refused here, before anything is sent, when the session is
//! read-only (the one gate of read-only mode). The response's fields are kept in the API's
//! member names for the detail pane and the journal.

use super::{Api, errors};
use crate::domain::{ApiError, Key, Mutation, Response};
use crate::pacing::Op;
use crate::sanitize::clean;
use aws_sdk_pinpointsmsvoicev2::operation::RequestId;

impl Api {
    /// Sends one change (ReleaseSenderId, or UpdateSenderId for deletion protection) through the
    /// region's lane of changes, sent again only while throttled. Whether to send again after an
    /// unknown outcome is the caller's decision (after a re-read). Refused without sending (and
    /// without waiting) when this `Api` is read-only: this is the one gate of read-only mode.
    pub async fn mutate(&self, key: &Key, mutation: Mutation) -> Result<Response, ApiError> {
        if self.read_only {
            return Err(ApiError::read_only());
        }
        let client = self
            .write
            .get(&key.region)
            .ok_or_else(|| ApiError::local(format!("region {} is not loaded", key.region)))?;
        match mutation {
            Mutation::Release => {
                let out = self
                    .paced(&key.region, Op::Release, || {
                        let request = client
                            .release_sender_id()
                            .sender_id(&key.id)
                            .iso_country_code(&key.country);
                        async move { request.send().await.map_err(|e| errors::from_release(&e)) }
                    })
                    .await?;
                let types: Vec<&str> = out.message_types().iter().map(|t| t.as_str()).collect();
                let mut fields = vec![
                    ("SenderIdArn", clean(out.sender_id_arn())),
                    ("SenderId", clean(out.sender_id())),
                    ("IsoCountryCode", clean(out.iso_country_code())),
                    ("MessageTypes", clean(&types.join(", "))),
                    ("MonthlyLeasingPrice", clean(out.monthly_leasing_price())),
                    ("Registered", out.registered().to_string()),
                ];
                if let Some(reg) = out.registration_id() {
                    fields.push(("RegistrationId", clean(reg)));
                }
                Ok(Response {
                    fields,
                    request_id: out.request_id().map(clean),
                })
            }
            Mutation::SetProtection(on) => {
                let out = self
                    .paced(&key.region, Op::Update, || {
                        let request = client
                            .update_sender_id()
                            .sender_id(&key.id)
                            .iso_country_code(&key.country)
                            .deletion_protection_enabled(on);
                        async move { request.send().await.map_err(|e| errors::from_update(&e)) }
                    })
                    .await?;
                let types: Vec<&str> = out.message_types().iter().map(|t| t.as_str()).collect();
                let mut fields = vec![
                    ("SenderIdArn", clean(out.sender_id_arn())),
                    ("SenderId", clean(out.sender_id())),
                    ("IsoCountryCode", clean(out.iso_country_code())),
                    ("MessageTypes", clean(&types.join(", "))),
                    ("MonthlyLeasingPrice", clean(out.monthly_leasing_price())),
                    (
                        "DeletionProtectionEnabled",
                        out.deletion_protection_enabled().to_string(),
                    ),
                    ("Registered", out.registered().to_string()),
                ];
                if let Some(reg) = out.registration_id() {
                    fields.push(("RegistrationId", clean(reg)));
                }
                Ok(Response {
                    fields,
                    request_id: out.request_id().map(clean),
                })
            }
        }
    }
}
