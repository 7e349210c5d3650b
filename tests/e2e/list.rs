//! `sidman list` and the binary's start-up errors, run as a child process against the emulator on
//! 127.0.0.1 with an environment that holds nothing of the machine's AWS set-up.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use crate::common::harness::{CHILD_LIMIT, DUMMY_KEYS, isolated_env, run_sidman};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sidman::emulator::{Emulator, Faults, Seed, SeedSenderId};

const REGIONS: [&str; 2] = ["us-east-1", "eu-west-1"];
/// `--give-up-after` for the runs against a service that keeps throttling: sidman's deadline (30 s
/// by default) made short, so the test waits seconds rather than half a minute.
const GIVE_UP_AFTER: &str = "1";

/// Runs the binary with `args`, an isolated environment in `home`, and dummy keys when asked.
async fn sidman(home: &Path, keys: bool, args: &[&str]) -> Output {
    run_sidman(home, if keys { &DUMMY_KEYS } else { &[] }, args).await
}

async fn list(emulator_url: &str, home: &Path, extra: &[&str]) -> Output {
    let regions = REGIONS.join(",");
    let mut args = vec!["list", "--region", &regions, "--endpoint-url", emulator_url];
    args.extend_from_slice(extra);
    sidman(home, true, &args).await
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_success(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}; stderr: {}",
        o.status,
        stderr(o)
    );
    assert_no_panic(o);
}

fn assert_no_panic(o: &Output) {
    let err = stderr(o);
    for bad in ["panicked", "Backtrace", "backtrace", "RUST_BACKTRACE"] {
        assert!(!err.contains(bad), "{bad:?} in stderr: {err}");
    }
}

/// A user error: a non-zero exit code (not a signal), exactly one line on stderr containing
/// every one of `needles`, nothing on stdout.
fn assert_one_sentence(o: &Output, needles: &[&str]) -> String {
    assert_no_panic(o);
    let code = o.status.code().expect("exited, not killed");
    assert_ne!(code, 0, "stderr: {}", stderr(o));
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {err:?}");
    for needle in needles {
        assert!(lines[0].contains(needle), "{needle:?} in {:?}", lines[0]);
    }
    assert!(
        stdout(o).trim().is_empty(),
        "nothing on stdout: {}",
        stdout(o)
    );
    lines[0].to_owned()
}

/// The emulator's inventory of `regions`, in `sidman list` order (region, country, sender ID,
/// ARN).
fn inventory(emulator: &Emulator, regions: &[&str]) -> Vec<SeedSenderId> {
    let mut all: Vec<SeedSenderId> = regions
        .iter()
        .flat_map(|r| emulator.sender_ids(r))
        .collect();
    all.sort_by(|a, b| {
        (&a.region, &a.iso_country_code, &a.sender_id, a.arn()).cmp(&(
            &b.region,
            &b.iso_country_code,
            &b.sender_id,
            b.arn(),
        ))
    });
    all
}

/// A sender ID as `sidman list --format json` must print it: DescribeSenderIds' members, with
/// the values the service gave, plus `Region` and `Owner`.
fn expected_json(s: &SeedSenderId) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("Region".into(), json!(s.region));
    m.insert("SenderIdArn".into(), json!(s.arn()));
    m.insert("SenderId".into(), json!(s.sender_id));
    m.insert("IsoCountryCode".into(), json!(s.iso_country_code));
    m.insert("MessageTypes".into(), json!(s.message_types));
    m.insert("MonthlyLeasingPrice".into(), json!(s.monthly_leasing_price));
    m.insert(
        "DeletionProtectionEnabled".into(),
        json!(s.deletion_protection_enabled),
    );
    m.insert("Registered".into(), json!(s.registered));
    if let Some(id) = &s.registration_id {
        m.insert("RegistrationId".into(), json!(id));
    }
    if let Some(limits) = &s.messaging_limits {
        m.insert("MessagingLimits".into(), limits.clone());
    }
    if let Some(tier) = &s.pricing_tier {
        m.insert("PricingTier".into(), json!(tier));
    }
    m.insert(
        "Owner".into(),
        json!(if s.is_shared() { "SHARED" } else { "SELF" }),
    );
    Value::Object(m)
}

fn parse_json(o: &Output) -> Vec<Value> {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {}", stdout(o)))
}

/// Compares row by row so that a failure names the first differing sender ID.
fn assert_same_rows(got: &[Value], expected: &[Value], context: &str) {
    for (g, e) in got.iter().zip(expected) {
        assert_eq!(g, e, "{context}");
    }
    assert_eq!(got.len(), expected.len(), "{context}: number of rows");
}

fn price(text: &str) -> Decimal {
    text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// `$1,234.50` as an exact decimal.
fn money(text: &str) -> Decimal {
    let digits: String = text
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    price(&digits)
}

#[tokio::test(flavor = "multi_thread")]
async fn json_equals_the_inventory_field_for_field() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let home = tempfile::tempdir().expect("tempdir");
    let out = list(&emulator.endpoint_url(), home.path(), &["--format", "json"]).await;
    assert_success(&out);
    let expected: Vec<Value> = inventory(&emulator, &REGIONS)
        .iter()
        .map(expected_json)
        .collect();
    assert!(expected.len() > 40);
    assert_same_rows(&parse_json(&out), &expected, "list --format json");
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_parses_back_to_the_same_rows() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let home = tempfile::tempdir().expect("tempdir");
    let out = list(&emulator.endpoint_url(), home.path(), &["--format", "csv"]).await;
    assert_success(&out);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header row")
        .iter()
        .map(ToOwned::to_owned)
        .collect();
    assert_eq!(header, sidman::export::COLUMNS);
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(ToOwned::to_owned))
                .collect()
        })
        .collect();
    let expected: Vec<BTreeMap<String, String>> = inventory(&emulator, &REGIONS)
        .iter()
        .map(|s| {
            let cells = [
                ("Region", s.region.clone()),
                ("SenderIdArn", s.arn()),
                ("SenderId", s.sender_id.clone()),
                ("IsoCountryCode", s.iso_country_code.clone()),
                ("MessageTypes", s.message_types.join(";")),
                ("MonthlyLeasingPrice", s.monthly_leasing_price.clone()),
                (
                    "DeletionProtectionEnabled",
                    s.deletion_protection_enabled.to_string(),
                ),
                ("Registered", s.registered.to_string()),
                (
                    "RegistrationId",
                    s.registration_id.clone().unwrap_or_default(),
                ),
                ("PricingTier", s.pricing_tier.clone().unwrap_or_default()),
                (
                    "Owner",
                    (if s.is_shared() { "SHARED" } else { "SELF" }).to_owned(),
                ),
            ];
            cells.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
        })
        .collect();
    assert_eq!(rows.len(), expected.len());
    for (got, want) in rows.iter().zip(&expected) {
        assert_eq!(got, want);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn table_totals_are_exact_decimal_sums() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let home = tempfile::tempdir().expect("tempdir");
    let out = list(
        &emulator.endpoint_url(),
        home.path(),
        &["--format", "table"],
    )
    .await;
    assert_success(&out);
    let text = stdout(&out);
    let inventory = inventory(&emulator, &REGIONS);

    let mut lines = text.lines();
    let header = lines.next().expect("a header line");
    assert!(header.starts_with("REGION"), "{header}");
    let mut rows = Vec::new();
    for line in lines.by_ref() {
        if line.trim().is_empty() {
            break;
        }
        rows.push(line.split_whitespace().collect::<Vec<_>>());
    }
    assert_eq!(rows.len(), inventory.len(), "one line per sender ID");
    for (row, s) in rows.iter().zip(&inventory) {
        assert_eq!(row.len(), 9, "{row:?}");
        assert_eq!(
            (row[0], row[1], row[2]),
            (
                s.region.as_str(),
                s.iso_country_code.as_str(),
                s.sender_id.as_str()
            )
        );
        assert_eq!(row[4], s.monthly_leasing_price);
    }

    // Exact sums of the service's price strings, per region, per country and overall.
    let mut by_region: BTreeMap<String, (usize, Decimal)> = BTreeMap::new();
    let mut by_country: BTreeMap<String, (usize, Decimal)> = BTreeMap::new();
    let mut overall = (0, Decimal::ZERO);
    for s in &inventory {
        let p = price(&s.monthly_leasing_price);
        for (map, name) in [
            (&mut by_region, &s.region),
            (&mut by_country, &s.iso_country_code),
        ] {
            let e = map.entry(name.clone()).or_insert((0, Decimal::ZERO));
            e.0 += 1;
            e.1 += p;
        }
        overall.0 += 1;
        overall.1 += p;
    }
    let totals: Vec<Vec<&str>> = lines
        .skip_while(|l| !l.starts_with("TOTALS"))
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    let mut got_region = BTreeMap::new();
    let mut got_country = BTreeMap::new();
    let mut got_overall = None;
    for t in &totals {
        match t.as_slice() {
            ["region", name, n, "sender", "IDs" | "ID", m] => {
                got_region.insert((*name).to_owned(), (n.parse().expect("count"), money(m)));
            }
            ["country", name, n, "sender", ids @ ("IDs" | "ID"), m] => {
                assert_eq!(*ids == "ID", *n == "1", "one sender ID, or several: {t:?}");
                got_country.insert((*name).to_owned(), (n.parse().expect("count"), money(m)));
            }
            ["overall", n, "sender", "IDs" | "ID", m] => {
                got_overall = Some((n.parse::<usize>().expect("count"), money(m)));
            }
            other => panic!("unexpected totals line {other:?}"),
        }
    }
    assert_eq!(got_region, by_region);
    assert_eq!(got_country, by_country);
    assert_eq!(got_overall, Some(overall));
    assert!(overall.1 > Decimal::ZERO);
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_are_sent_to_the_service_and_narrow_the_output() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let home = tempfile::tempdir().expect("tempdir");
    type Keep = fn(&SeedSenderId) -> bool;
    let cases: [(&[&str], Value, Keep); 5] = [
        (
            &["--country", "GB"],
            json!([{"Name": "iso-country-code", "Values": ["GB"]}]),
            |s| s.iso_country_code == "GB",
        ),
        (
            &["--message-type", "PROMOTIONAL"],
            json!([{"Name": "message-type", "Values": ["PROMOTIONAL"]}]),
            |s| s.message_types.iter().any(|t| t == "PROMOTIONAL"),
        ),
        (
            &["--registered", "true"],
            json!([{"Name": "registered", "Values": ["true"]}]),
            |s| s.registered,
        ),
        (
            &["--protected", "false"],
            json!([{"Name": "deletion-protection-enabled", "Values": ["false"]}]),
            |s| !s.deletion_protection_enabled,
        ),
        (
            &["--country", "GB,DE", "--protected", "false"],
            json!([
                {"Name": "iso-country-code", "Values": ["GB", "DE"]},
                {"Name": "deletion-protection-enabled", "Values": ["false"]}
            ]),
            |s| {
                ["GB", "DE"].contains(&s.iso_country_code.as_str())
                    && !s.deletion_protection_enabled
            },
        ),
    ];
    let everything = inventory(&emulator, &REGIONS);
    for (flags, filters, keep) in cases {
        emulator.clear_received();
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(flags);
        let out = list(&emulator.endpoint_url(), home.path(), &args).await;
        assert_success(&out);
        let expected: Vec<Value> = everything
            .iter()
            .filter(|s| keep(s))
            .map(expected_json)
            .collect();
        assert!(
            !expected.is_empty() && expected.len() < everything.len(),
            "{flags:?} narrows"
        );
        assert_same_rows(&parse_json(&out), &expected, &format!("{flags:?}"));

        let received = emulator.received();
        let describes: Vec<_> = received
            .requests()
            .iter()
            .filter(|r| r.operation == "DescribeSenderIds")
            .collect();
        // Own and shared listings in each region, at least one page each.
        assert!(describes.len() >= 2 * REGIONS.len(), "{flags:?}");
        for region in REGIONS {
            assert!(
                received.count_in("DescribeSenderIds", region) >= 2,
                "{flags:?} {region}"
            );
        }
        for r in describes {
            assert_eq!(r.body["Filters"], filters, "{flags:?}: {}", r.body);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_region_leaves_the_others_listed_and_the_exit_code_non_zero() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    emulator.set_faults(Faults {
        throttled_regions: vec!["eu-west-1".to_owned()],
        ..Faults::default()
    });
    let home = tempfile::tempdir().expect("tempdir");
    let regions = "us-east-1,eu-west-1,ap-southeast-2";
    let out = sidman(
        home.path(),
        true,
        &[
            "list",
            "--region",
            regions,
            "--endpoint-url",
            &emulator.endpoint_url(),
            "--format",
            "json",
            "--give-up-after",
            GIVE_UP_AFTER,
        ],
    )
    .await;
    assert_no_panic(&out);
    let received = emulator.received();
    assert!(
        received.count_in("DescribeSenderIds", "eu-west-1") > 0,
        "eu-west-1 was asked and refused"
    );
    let code = out.status.code().expect("exited");
    assert_ne!(code, 0, "a failed region makes the run fail");
    let expected: Vec<Value> = inventory(&emulator, &["us-east-1", "ap-southeast-2"])
        .iter()
        .map(expected_json)
        .collect();
    assert_same_rows(&parse_json(&out), &expected, "the other regions are listed");
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.contains("eu-west-1") && l.contains("ThrottlingException")),
        "{err}"
    );
    assert!(
        !err.contains("us-east-1") && !err.contains("ap-southeast-2"),
        "{err}"
    );
    // Every request for eu-west-1 was answered ThrottlingException: none succeeded.
    let eu: Vec<_> = received
        .requests()
        .iter()
        .filter(|r| r.region.as_deref() == Some("eu-west-1"))
        .collect();
    assert_eq!(
        eu.len(),
        received.count_in("DescribeSenderIds", "eu-west-1"),
        "every eu-west-1 request is in the log, and all are DescribeSenderIds"
    );
    for r in eu {
        assert_eq!(r.error.as_deref(), Some("ThrottlingException"), "{r:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_request_throttled_fails_every_region_without_a_panic() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    emulator.set_faults(Faults {
        throttle_probability: 1.0,
        ..Faults::default()
    });
    let home = tempfile::tempdir().expect("tempdir");
    let out = list(
        &emulator.endpoint_url(),
        home.path(),
        &["--format", "json", "--give-up-after", GIVE_UP_AFTER],
    )
    .await;
    assert_no_panic(&out);
    assert_ne!(out.status.code(), Some(0));
    assert!(out.status.code().is_some(), "exited, not killed");
    assert_eq!(out.status.code(), Some(3), "every region failed: exit 3");
    assert!(
        out.stdout.is_empty(),
        "nothing was listed, so nothing is printed (no `[]`): {:?}",
        stdout(&out)
    );
    let err = stderr(&out);
    for region in REGIONS {
        assert!(
            err.lines()
                .any(|l| l.contains(region) && l.contains("ThrottlingException")),
            "{region}: {err}"
        );
    }
    // The deadline given on the command line is the one sidman kept.
    assert!(err.contains(&format!("over {GIVE_UP_AFTER} s")), "{err}");
    // Reads are retried on throttling.
    for region in REGIONS {
        assert!(emulator.received().count_in("DescribeSenderIds", region) > 2);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_credentials_is_one_line_that_mentions_demo() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let home = tempfile::tempdir().expect("tempdir");
    let config = home.path().join("empty-aws-config");
    std::fs::write(&config, "").expect("empty config");
    let url = emulator.endpoint_url();
    for args in [
        vec!["list", "--region", "us-east-1", "--endpoint-url", &url],
        vec!["--region", "us-east-1", "--endpoint-url", &url],
    ] {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_sidman"));
        isolated_env(&mut cmd, home.path());
        cmd.env("AWS_CONFIG_FILE", &config)
            .args(&args)
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let out = tokio::time::timeout(CHILD_LIMIT, cmd.output())
            .await
            .expect("exits")
            .expect("runs");
        let line = assert_one_sentence(&out, &["--demo"]);
        assert!(line.to_lowercase().contains("credentials"), "{line}");
    }
    assert_eq!(
        emulator.received().total(),
        0,
        "nothing was sent without credentials"
    );
}

/// The metadata service is the credential chain's last resort. Here it is switched on but
/// pointed at a loopback port that accepts and never answers: sidman still ends with the
/// no-credentials sentence instead of waiting on it.
#[tokio::test(flavor = "multi_thread")]
async fn no_credentials_with_a_silent_metadata_service_is_one_line() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let imds = format!("http://{}", silent.local_addr().expect("address"));
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&accepted);
    let holder = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            open.push(stream);
        }
    });
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let home = tempfile::tempdir().expect("tempdir");
    let config = home.path().join("empty-aws-config");
    std::fs::write(&config, "").expect("empty config");
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_sidman"));
    isolated_env(&mut cmd, home.path());
    cmd.env_remove("AWS_EC2_METADATA_DISABLED")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds)
        .env("AWS_CONFIG_FILE", &config)
        .args([
            "list",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &emulator.endpoint_url(),
        ])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let out = tokio::time::timeout(CHILD_LIMIT, cmd.output())
        .await
        .expect("exits")
        .expect("runs");
    holder.abort();
    let line = assert_one_sentence(&out, &["--demo"]);
    assert!(line.contains("No AWS credentials"), "{line}");
    assert!(
        accepted.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "the metadata service (on loopback) was asked"
    );
    assert_eq!(emulator.received().total(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_endpoint_is_one_sentence() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = sidman(
        home.path(),
        true,
        &[
            "list",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "http://127.0.0.1:1",
        ],
    )
    .await;
    assert_one_sentence(&out, &["http://127.0.0.1:1", "--endpoint-url"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_profile_is_one_sentence() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let home = tempfile::tempdir().expect("tempdir");
    let out = sidman(
        home.path(),
        false,
        &[
            "list",
            "--profile",
            "nosuch",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &emulator.endpoint_url(),
        ],
    )
    .await;
    let line = assert_one_sentence(&out, &["nosuch"]);
    assert!(line.contains("profile"), "{line}");
    assert_eq!(emulator.received().total(), 0);
}
