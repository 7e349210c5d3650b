//! The regions where the service exists, for `--all-regions`. From botocore's endpoints data
//! (service key `sms-voice`, partition `aws`); see `reference/api.md` section 6. GovCloud and the
//! European sovereign cloud need their own credentials and are not part of "all".

/// Every commercial (`aws` partition) region of `pinpoint-sms-voice-v2`.
pub const COMMERCIAL_REGIONS: [&str; 31] = [
    "af-south-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-6",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];
