//! Sender-ID ARNs: building them and taking them apart. The emulator keys every sender ID by its
//! ARN (`arn:aws:sms-voice:{region}:{account}:sender-id/{SenderId}/{IsoCountryCode}`), so region
//! and owner travel with the identifier; this file is the only place that knows the format, which
//! keeps DescribeSenderIds, ReleaseSenderId, UpdateSenderId and the tagging operations in step.

/// The account every request is made as.
pub const CALLER_ACCOUNT: &str = "111122223333";
/// The account that owns the shared sender IDs of the demo seed.
pub const SHARING_ACCOUNT: &str = "444455556666";

/// The resource types of the service's `ResourceType` enum: an ARN naming one of these is well
/// formed even when the emulator does not model it (the answer is then ResourceNotFound).
pub(crate) const RESOURCE_TYPES: [&str; 19] = [
    "account",
    "phone-number",
    "sender-id",
    "pool",
    "configuration-set",
    "opt-out-list",
    "event-destination",
    "keyword",
    "opted-out-number",
    "registration",
    "registration-attachment",
    "verified-destination-number",
    "protect-configuration",
    "notify-configuration",
    "notify-template",
    "message-template",
    "policy",
    "message",
    "rcs-agent",
];

/// The ARN of a sender ID.
pub fn sender_id_arn(region: &str, account: &str, sender_id: &str, country: &str) -> String {
    format!("arn:aws:sms-voice:{region}:{account}:sender-id/{sender_id}/{country}")
}

/// An ARN of this service, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceArn<'a> {
    pub(crate) region: &'a str,
    pub(crate) account: &'a str,
    pub(crate) resource_type: &'a str,
    pub(crate) resource_id: &'a str,
}

impl<'a> ServiceArn<'a> {
    /// Parses `arn:{partition}:sms-voice:{region}:{account}:{type}/{id}`; `None` when the text is
    /// not an ARN of this service with a known resource type.
    pub(crate) fn parse(arn: &'a str) -> Option<ServiceArn<'a>> {
        let mut parts = arn.splitn(6, ':');
        let (prefix, partition, service) = (parts.next()?, parts.next()?, parts.next()?);
        let (region, account, resource) = (parts.next()?, parts.next()?, parts.next()?);
        let (resource_type, resource_id) = resource.split_once('/')?;
        let valid = prefix == "arn"
            && matches!(partition, "aws" | "aws-us-gov" | "aws-cn" | "aws-eusc")
            && service == "sms-voice"
            && !region.is_empty()
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && account.len() == 12
            && account.bytes().all(|b| b.is_ascii_digit())
            && RESOURCE_TYPES.contains(&resource_type)
            && !resource_id.is_empty();
        valid.then_some(ServiceArn {
            region,
            account,
            resource_type,
            resource_id,
        })
    }

    /// For a sender-ID ARN, the sender ID and country code it names.
    pub(crate) fn sender_id_parts(&self) -> Option<(&'a str, &'a str)> {
        if self.resource_type != "sender-id" {
            return None;
        }
        let (sender_id, country) = self.resource_id.split_once('/')?;
        let ok = !sender_id.is_empty()
            && country.len() == 2
            && country.bytes().all(|b| b.is_ascii_uppercase());
        ok.then_some((sender_id, country))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let arn = sender_id_arn("eu-west-1", CALLER_ACCOUNT, "ACMEBANK", "GB");
        assert_eq!(
            arn,
            "arn:aws:sms-voice:eu-west-1:111122223333:sender-id/ACMEBANK/GB"
        );
        let parsed = ServiceArn::parse(&arn).expect("parses");
        assert_eq!(parsed.region, "eu-west-1");
        assert_eq!(parsed.account, CALLER_ACCOUNT);
        assert_eq!(parsed.sender_id_parts(), Some(("ACMEBANK", "GB")));
    }

    #[test]
    fn rejects_other_services_and_shapes() {
        for bad in [
            "arn:aws:s3:::my-bucket-name",
            "arn:aws:sms-voice:us-east-1:111122223333:widget/x",
            "arn:aws:sms-voice:us-east-1:1111:sender-id/A/GB",
            "arn:aws:sms-voice:us-east-1:111122223333:sender-id",
        ] {
            assert!(ServiceArn::parse(bad).is_none(), "{bad}");
        }
        let pool = ServiceArn::parse("arn:aws:sms-voice:us-east-1:111122223333:pool/pool-1");
        assert_eq!(pool.and_then(|p| p.sender_id_parts()), None);
    }
}
