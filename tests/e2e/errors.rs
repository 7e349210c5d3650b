//! Every error a user can cause is one sentence with the fix, as `sidman list` prints it (stderr
//! only, nothing on stdout, exit 3 for a region that failed, 2 at start-up) and as the SDK client
//! classifies it: an endpoint that is not this service, an unknown region, access denied naming
//! the IAM action, a typo in `AWS_PROFILE`. No Rust debug text ever reaches the operator.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Output;
use std::time::Duration;

use crate::common::harness::{CHILD_LIMIT, DUMMY_KEYS as KEYS, run_sidman as sidman};
use sidman::domain::{Cause, Ownership};
use sidman::emulator::{Emulator, Faults, Seed};

/// Exactly one line on stderr, holding every needle and no debug text; nothing on stdout; the
/// exit code `code`.
fn one_sentence(o: &Output, code: i32, needles: &[&str]) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert!(out.is_empty(), "nothing on stdout: {out:?}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {err:?}");
    for needle in needles {
        assert!(lines[0].contains(needle), "{needle:?} in {:?}", lines[0]);
    }
    for debug in ["{", "(\"", "Error(", "Some(", "DispatchFailure", "‹", "<"] {
        assert!(
            !lines[0].contains(debug),
            "debug text {debug:?} in {:?}",
            lines[0]
        );
    }
    lines[0].to_owned()
}

/// A web server that is not the service: every request is answered `HTTP/1.0 501` with an HTML
/// page, as `python3 -m http.server` answers a POST. Serves until the test ends.
fn not_the_service() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                // The headers (the body, if any, is left unread, as a careless server does).
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = "<!DOCTYPE HTML><html><head><title>Error response</title></head>\
                            <body><h1>Error response</h1><p>Error code: 501</p>\
                            <p>Message: Unsupported method ('POST').</p></body></html>\n";
                let _ = write!(
                    stream,
                    "HTTP/1.0 501 Unsupported method ('POST')\r\nServer: SimpleHTTP/0.6\r\n\
                     Content-Type: text/html;charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread")]
async fn list_against_an_endpoint_that_is_not_the_service_is_one_line_and_exit_3() {
    let url = not_the_service();
    let home = tempfile::tempdir().expect("tempdir");
    let out = sidman(
        home.path(),
        &KEYS,
        &["list", "--region", "us-east-1", "--endpoint-url", &url],
    )
    .await;
    let line = one_sentence(
        &out,
        3,
        &[
            "us-east-1",
            "HTTP 501",
            "not End User Messaging SMS",
            "--endpoint-url",
        ],
    );
    eprintln!("{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_names_the_missing_iam_action() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    emulator.set_faults(Faults {
        denied_operations: vec!["DescribeSenderIds".to_owned()],
        ..Faults::default()
    });
    let home = tempfile::tempdir().expect("tempdir");
    let url = emulator.endpoint_url();
    let out = sidman(
        home.path(),
        &KEYS,
        &["list", "--region", "eu-west-1", "--endpoint-url", &url],
    )
    .await;
    let line = one_sentence(
        &out,
        3,
        &[
            "eu-west-1",
            "access denied",
            "sms-voice:DescribeSenderIds",
            "IAM",
        ],
    );
    eprintln!("{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_typo_in_aws_profile_names_the_profile_as_the_flag_does() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let home = tempfile::tempdir().expect("tempdir");
    let config = home.path().join("config");
    std::fs::write(&config, "[profile prod]\nregion = us-east-1\n").expect("config");
    let config = config.display().to_string();
    let url = emulator.endpoint_url();
    let args = ["list", "--region", "us-east-1", "--endpoint-url", &url];
    let by_env = sidman(
        home.path(),
        &[("AWS_CONFIG_FILE", &config), ("AWS_PROFILE", "prodd")],
        &args,
    )
    .await;
    let env_line = one_sentence(&by_env, 2, &["'prodd'", "not defined", &config]);
    let mut with_flag = args.to_vec();
    with_flag.extend(["--profile", "prodd"]);
    let by_flag = sidman(home.path(), &[("AWS_CONFIG_FILE", &config)], &with_flag).await;
    let flag_line = one_sentence(&by_flag, 2, &["'prodd'"]);
    assert_eq!(env_line, flag_line, "the same sentence either way");
    assert_eq!(emulator.received().total(), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_region_is_one_sentence_naming_the_region() {
    // AWS's own endpoint of a region that does not exist has no address. Resolving the name is
    // all that happens (`.invalid` never resolves): nothing is sent to AWS.
    let sdk = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("xx-nowhere-9"))
        .endpoint_url("http://sms-voice.xx-nowhere-9.invalid")
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new("AKIDTEST", "secret", None, None, "test"),
            ),
        )
        .build();
    let region = "xx-nowhere-9".to_owned();
    let api = sidman::aws::Api::from_sdk_config(&sdk, std::slice::from_ref(&region), true);
    let error = tokio::time::timeout(
        CHILD_LIMIT,
        api.list_page(&region, Ownership::Own, &Default::default(), None),
    )
    .await
    .expect("bounded")
    .expect_err("no such host");
    assert_eq!(
        error.cause.as_deref(),
        Some(&Cause::UnknownHost),
        "{error:?}"
    );
    let line = error.in_region(&region, "list sender IDs");
    assert!(line.starts_with("xx-nowhere-9: "), "{line}");
    assert!(line.contains("region does not exist"), "{line}");
    assert!(
        !line.contains("DispatchFailure") && !line.contains('{'),
        "{line}"
    );
    // Nothing of the SDK's text is left in the sentence.
    assert_eq!(line.lines().count(), 1);
}
