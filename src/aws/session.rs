//! Start-up of an AWS session: load `aws-config`'s standard chain (profile, region, endpoint URL,
//! the `AWS_*` environment), settle the regions, and check before any screen appears that
//! credentials can be had and that an explicit endpoint answers. Each failure is one sentence with
//! the fix, because this is where a new user most often lands.

use super::Api;
use crate::regions::COMMERCIAL_REGIONS;
use crate::sanitize::clean;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, error::CredentialsError};
use aws_sdk_pinpointsmsvoicev2 as sms;
use std::time::Duration;

/// Where credentials came from, in the operator's words, from the name their provider gives
/// them. The SDK shows that name only in the credentials' `Debug` text (which redacts the
/// secret); only the name is taken from it, and nothing else of that text is kept or shown.
fn credentials_source(credentials: &Credentials, profile: &str) -> String {
    let debug = format!("{credentials:?}");
    let provider = debug
        .split_once("provider_name: \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("", |(name, _)| name);
    match provider {
        "EnvironmentVariable" => "environment".to_owned(),
        "SSO" => format!("SSO, profile {profile}"),
        "CredentialProcess" => format!("credential_process, profile {profile}"),
        "AssumeRoleProvider" => format!("assumed role, profile {profile}"),
        "WebIdentityToken" => "web identity".to_owned(),
        "EcsContainer" => "container role".to_owned(),
        "IMDSv2" | "Ec2InstanceMetadata" => "instance role".to_owned(),
        "sidman-demo" => "demo".to_owned(),
        _ => format!("profile {profile}"),
    }
}

/// How to reach AWS, from the command line.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub profile: Option<String>,
    pub regions: Vec<String>,
    pub all_regions: bool,
    pub endpoint_url: Option<String>,
    /// Static credentials (the demo's); `None` uses the standard chain.
    pub static_credentials: Option<(String, String)>,
    pub read_only: bool,
    /// Client-side rates per region and operation (`--max-rps`).
    pub pacing: crate::pacing::PacingConfig,
}

/// What the header shows about the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub profile: String,
    pub regions: Vec<String>,
    pub endpoint: Option<String>,
    /// Where the credentials came from, e.g. `profile prod`, `environment`, `SSO, profile
    /// prod`, `instance role` (never any part of the credentials themselves).
    pub credentials: String,
    /// The account the credentials name, when the provider says (SSO, credential_process).
    pub account: Option<String>,
}

/// A start-up failure: one sentence saying what is wrong and how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(
        "No AWS region is set: pass --region R (several: --region us-east-1,eu-west-1), use --all-regions, or set AWS_REGION; try `sidman --demo` to look around without an account."
    )]
    NoRegion,
    #[error(
        "No AWS credentials found{}: run `aws configure`{}, export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --profile NAME; try `sidman --demo` to look around without an account.", profile_note(.profile), sso_note(.profile)
    )]
    NoCredentials { profile: Option<String> },
    #[error(
        "The AWS profile '{profile}' is not defined in {files}: check the name (`aws configure list-profiles`) or create it with `aws configure --profile {profile}`; try `sidman --demo` to look around without an account."
    )]
    UnknownProfile { profile: String, files: String },
    #[error(
        "Could not get AWS credentials{}: {detail}. Check the profile in ~/.aws/config (or log in again with `aws sso login`); try `sidman --demo` to look around without an account.", profile_note(.profile)
    )]
    Credentials {
        profile: Option<String>,
        detail: String,
    },
    #[error(
        "Cannot reach the endpoint {url}: {detail}. Check --endpoint-url (or AWS_ENDPOINT_URL), or start a local one with `sidman emulator`."
    )]
    Unreachable { url: String, detail: String },
    #[error(
        "The endpoint URL {url:?} is not valid: use a form like http://127.0.0.1:4566 or https://sms-voice.us-east-1.amazonaws.com."
    )]
    BadEndpoint { url: String },
    #[error("{region:?} is not a valid region name: use names like us-east-1 or eu-west-1.")]
    BadRegion { region: String },
}

fn profile_note(profile: &Option<String>) -> String {
    profile
        .as_ref()
        .map(|p| format!(" for profile '{p}'"))
        .unwrap_or_default()
}

fn sso_note(profile: &Option<String>) -> String {
    profile
        .as_ref()
        .map(|p| format!(" (or `aws sso login --profile {p}`)"))
        .unwrap_or_default()
}

/// How long the credential chain may take before sidman says it found none. The chain's last
/// resort is the EC2 metadata service, which off EC2 only times out.
const CREDENTIALS_DEADLINE: Duration = Duration::from_secs(8);

/// Loads the configuration, checks it, and opens an [`Api`] for the chosen regions.
pub async fn connect(opts: &ConnectOptions) -> Result<(Api, SessionInfo), StartupError> {
    for r in &opts.regions {
        if !valid_region_name(r) {
            return Err(StartupError::BadRegion { region: r.clone() });
        }
    }
    // `AWS_PROFILE` names a profile as `--profile` does: a typo in either is said as such.
    let env_profile = std::env::var("AWS_PROFILE")
        .ok()
        .filter(|p| !p.is_empty() && p != "default");
    if opts.static_credentials.is_none()
        && let Some(p) = opts.profile.as_ref().or(env_profile.as_ref())
    {
        check_profile_defined(p)?;
    }
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(first) = opts.regions.first() {
        loader = loader.region(Region::new(first.clone()));
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some((akid, secret)) = &opts.static_credentials {
        loader = loader.credentials_provider(sms::config::Credentials::new(
            akid,
            secret,
            None,
            None,
            "sidman-demo",
        ));
    }
    let sdk = loader.load().await;

    let regions: Vec<String> = if opts.all_regions {
        COMMERCIAL_REGIONS.iter().map(|r| (*r).to_owned()).collect()
    } else if !opts.regions.is_empty() {
        opts.regions.clone()
    } else if let Some(r) = sdk.region() {
        vec![r.to_string()]
    } else {
        return Err(StartupError::NoRegion);
    };

    let credentials =
        check_credentials(&sdk, opts.profile.clone().or_else(|| env_profile.clone())).await?;
    // The endpoint actually in force: the flag, or what aws-config read from the environment.
    let endpoint = opts
        .endpoint_url
        .clone()
        .or_else(|| sdk.endpoint_url().map(ToOwned::to_owned));
    if let Some(url) = &endpoint {
        check_reachable(url).await?;
    }
    let profile = opts
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".to_owned());
    let api = Api::from_sdk_config(&sdk, &regions, opts.read_only).with_pacing(opts.pacing.clone());
    Ok((
        api,
        SessionInfo {
            credentials: credentials_source(&credentials, &profile),
            account: credentials.account_id().map(|a| clean(a.as_str())),
            profile,
            regions,
            endpoint,
        },
    ))
}

async fn check_credentials(
    sdk: &aws_config::SdkConfig,
    profile: Option<String>,
) -> Result<Credentials, StartupError> {
    let Some(provider) = sdk.credentials_provider() else {
        return Err(StartupError::NoCredentials { profile });
    };
    match tokio::time::timeout(CREDENTIALS_DEADLINE, provider.provide_credentials()).await {
        Err(_) => Err(StartupError::NoCredentials { profile }),
        Ok(Ok(credentials)) => Ok(credentials),
        Ok(Err(CredentialsError::CredentialsNotLoaded(_))) => {
            Err(StartupError::NoCredentials { profile })
        }
        Ok(Err(e)) => {
            let detail = error_chain(&e);
            // The metadata service is the chain's last resort: when it is what failed, nothing
            // else in the chain had credentials either.
            if detail.contains("IMDS") {
                Err(StartupError::NoCredentials { profile })
            } else {
                Err(StartupError::Credentials { profile, detail })
            }
        }
    }
}

/// An error and its sources as one line, without debug dumps.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    crate::sanitize::clean(&parts.join(": "))
}

/// The shared config and credentials files, as the AWS CLI and SDKs find them.
fn profile_files() -> Vec<std::path::PathBuf> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let from = |var: &str, default: &str| {
        std::env::var_os(var)
            .map(std::path::PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(default)))
    };
    [
        from("AWS_CONFIG_FILE", "config"),
        from("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Refuses a `--profile` that neither shared file defines, so that a typo is named as such
/// instead of surfacing as missing credentials.
fn check_profile_defined(profile: &str) -> Result<(), StartupError> {
    let files = profile_files();
    let defined = files.iter().any(|path| {
        std::fs::read_to_string(path).is_ok_and(|text| {
            text.lines().any(|line| {
                let l = line.trim();
                let Some(inner) = l.strip_prefix('[').and_then(|x| x.strip_suffix(']')) else {
                    return false;
                };
                let name = inner.trim();
                name == profile
                    || name
                        .strip_prefix("profile")
                        .filter(|rest| rest.starts_with(char::is_whitespace))
                        .map(str::trim)
                        == Some(profile)
            })
        })
    });
    if defined {
        Ok(())
    } else {
        Err(StartupError::UnknownProfile {
            profile: profile.to_owned(),
            files: files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" or "),
        })
    }
}

fn valid_region_name(r: &str) -> bool {
    !r.is_empty()
        && r.len() <= 32
        && r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && r.chars().any(|c| c.is_ascii_digit())
}

/// Opens (and closes) a TCP connection to the endpoint's host, so that a wrong URL is one clear
/// sentence at start-up instead of an error in every region.
async fn check_reachable(url: &str) -> Result<(), StartupError> {
    let bad = || StartupError::BadEndpoint {
        url: url.to_owned(),
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    let default_port = match scheme {
        "http" => 80,
        "https" => 443,
        _ => return Err(bad()),
    };
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() {
        return Err(bad());
    }
    let target = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        authority.to_owned()
    } else {
        format!("{authority}:{default_port}")
    };
    let attempt = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::TcpStream::connect(target),
    )
    .await;
    match attempt {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(StartupError::Unreachable {
            url: url.to_owned(),
            detail: e.to_string(),
        }),
        Err(_) => Err(StartupError::Unreachable {
            url: url.to_owned(),
            detail: "no answer within 5 seconds".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_checked() {
        assert!(valid_region_name("us-east-1"));
        assert!(valid_region_name("eusc-de-east-1"));
        assert!(!valid_region_name("US-EAST-1"));
        assert!(!valid_region_name("useast"));
        assert!(!valid_region_name("us east 1"));
    }
}
