//! `sidman list`: the inventory of every chosen region, loaded side by side, with the filters sent
//! to the service as DescribeSenderIds `Filters`. JSON (one array, the API's member names plus
//! `Region`), CSV, or an aligned table followed by exact totals per region, per country and
//! overall. A region that fails is reported on its own line and makes the exit code non-zero
//! without stopping the others.

use crate::aws::{self, Api, ApiError, ListFilters};
use crate::cli::{Format, GlobalArgs, ListArgs};
use crate::domain::{Ownership, SenderIdRecord, Total};
use crate::record_out::SenderIdOut;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

/// Exit code when some region could not be listed.
pub const EXIT_PARTIAL: u8 = 3;
/// The error code of a listing that left out sender IDs the service did not identify.
const INCOMPLETE: &str = "IncompleteSenderIds";

/// [`list`], until Ctrl-C: then the calls in flight are dropped (a listing changes nothing)
/// and sidman exits 130 at once, having printed nothing more.
pub async fn run(global: &GlobalArgs, args: &ListArgs) -> Result<ExitCode, String> {
    tokio::select! {
        result = list(global, args) => result,
        _ = tokio::signal::ctrl_c() => {
            eprintln!("sidman: interrupted; nothing more was listed");
            Ok(ExitCode::from(crate::run::EXIT_SIGNAL))
        }
    }
}

async fn list(global: &GlobalArgs, args: &ListArgs) -> Result<ExitCode, String> {
    let (opts, _emulator) = crate::run::connect_options(global).await?;
    let (api, info) = aws::connect(&opts).await.map_err(|e| e.to_string())?;
    let filters = filters(args)?;
    let results = list_regions(&api, &info.regions, &filters).await;
    let mut records = Vec::new();
    let mut failed = 0;
    for (region, result) in results {
        match result {
            Ok(mut r) => records.append(&mut r),
            Err((errors, mut kept)) => {
                failed += 1;
                records.append(&mut kept);
                for e in errors {
                    eprintln!("sidman: {}", e.in_region(&region, "list sender IDs"));
                }
            }
        }
    }
    records.sort_by(|a, b| {
        (
            a.region.as_str(),
            a.country.as_str(),
            a.sender_id.as_str(),
            a.arn.as_str(),
        )
            .cmp(&(
                b.region.as_str(),
                b.country.as_str(),
                b.sender_id.as_str(),
                b.arn.as_str(),
            ))
    });
    if records.is_empty() && failed > 0 {
        // Nothing was listed: stdout stays empty (no `[]`, no totals of nothing); stderr said why.
        return Ok(ExitCode::from(EXIT_PARTIAL));
    }
    // Buffered: stdout is line-buffered, and pretty JSON of 6,000 sender IDs is 80,000 lines.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = match args.format {
        Format::Json => write_json(&mut out, &records),
        Format::Csv => {
            crate::export::write_rows(&mut out, &records).map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(io) => io,
                _ => std::io::Error::other("the CSV could not be written"),
            })
        }
        Format::Table => write_table(&mut out, &records),
    }
    .and_then(|()| out.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(format!("cannot write the output: {e}"));
    }
    let unreadable = records.iter().filter(|r| r.price.value.is_none()).count();
    if unreadable > 0 {
        eprintln!(
            "sidman: {unreadable} price(s) could not be read as numbers and are left out of the totals"
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

fn filters(args: &ListArgs) -> Result<ListFilters, String> {
    let message_types = match args.message_type.as_deref().map(str::to_uppercase) {
        None => Vec::new(),
        Some(t) if t == "TRANSACTIONAL" || t == "PROMOTIONAL" => vec![t],
        Some(t) => {
            return Err(format!(
                "--message-type {t:?} is not TRANSACTIONAL or PROMOTIONAL"
            ));
        }
    };
    let countries: Vec<String> = args
        .country
        .iter()
        .map(|c| c.trim().to_uppercase())
        .collect();
    if let Some(bad) = countries
        .iter()
        .find(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
    {
        return Err(format!(
            "--country {bad:?} is not a two-letter ISO country code (e.g. GB, DE)"
        ));
    }
    Ok(ListFilters {
        countries,
        message_types,
        registered: args.registered,
        protected: args.protected,
    })
}

/// What one region's listing gave: its sender IDs, or the error that stopped it together with the
/// sender IDs still worth printing (those of a listing that ran to its end but left out sender
/// IDs the service did not identify; none for a listing cut short).
pub type RegionResult = Result<Vec<SenderIdRecord>, (Vec<ApiError>, Vec<SenderIdRecord>)>;

/// Lists every region side by side (own and shared sender IDs), in the given order.
pub async fn list_regions(
    api: &Api,
    regions: &[String],
    filters: &ListFilters,
) -> Vec<(String, RegionResult)> {
    let tasks: Vec<_> = regions
        .iter()
        .map(|region| {
            let (api, region, filters) = (api.clone(), region.clone(), filters.clone());
            tokio::spawn(async move {
                let mut own = Vec::new();
                let mut shared = Vec::new();
                let (a, b) = tokio::join!(
                    api.list_all(&region, Ownership::Own, &filters, |p| own.extend(p)),
                    api.list_all(&region, Ownership::Shared, &filters, |p| shared.extend(p)),
                );
                own.append(&mut shared);
                let errors: Vec<ApiError> = [a.err(), b.err()].into_iter().flatten().collect();
                let result = match errors.iter().find(|e| e.code != INCOMPLETE) {
                    Some(cut_short) => Err((vec![cut_short.clone()], Vec::new())),
                    None if errors.is_empty() => Ok(own),
                    None => Err((errors, own)),
                };
                (region, result)
            })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for (task, region) in tasks.into_iter().zip(regions) {
        out.push(task.await.unwrap_or_else(|e| {
            (
                region.clone(),
                Err((vec![ApiError::local(e.to_string())], Vec::new())),
            )
        }));
    }
    out
}

fn write_json(out: &mut impl Write, records: &[SenderIdRecord]) -> std::io::Result<()> {
    // Streamed from borrowed fields: the same text as `json_of` gives, without building a
    // `Value` (a dozen allocations) per sender ID.
    let array: Vec<SenderIdOut<'_>> = records.iter().map(SenderIdOut::from).collect();
    serde_json::to_writer_pretty(&mut *out, &array).map_err(|e| match e.io_error_kind() {
        // A closed pipe (`| head`) stays recognisable as one.
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e),
    })?;
    writeln!(out)
}

fn write_table(out: &mut impl Write, records: &[SenderIdRecord]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<14} {:<2} {:<11} {:<25} {:>12} {:<4} {:<4} {:<6} REGISTRATION ID",
        "REGION", "CC", "SENDER ID", "MESSAGE TYPES", "PRICE/MO USD", "REG", "PROT", "OWNER"
    )?;
    let mut by_region: BTreeMap<&str, Total> = BTreeMap::new();
    let mut by_country: BTreeMap<&str, Total> = BTreeMap::new();
    let mut overall = Total::default();
    for r in records {
        writeln!(
            out,
            "{:<14} {:<2} {:<11} {:<25} {:>12} {:<4} {:<4} {:<6} {}",
            r.region,
            r.country,
            r.sender_id,
            r.message_type_label(),
            r.price.raw,
            if r.registered { "yes" } else { "no" },
            if r.deletion_protection { "yes" } else { "no" },
            r.ownership.api_name(),
            r.registration_id.as_deref().unwrap_or("-")
        )?;
        by_region.entry(&r.region).or_default().add(&r.price);
        by_country.entry(&r.country).or_default().add(&r.price);
        overall.add(&r.price);
    }
    writeln!(out)?;
    writeln!(out, "TOTALS (monthly leasing, USD)")?;
    for (region, t) in &by_region {
        writeln!(
            out,
            "  region  {region:<14} {:>6} {}  {:>16}",
            t.count,
            sender_ids(t.count),
            t.money()
        )?;
    }
    for (country, t) in &by_country {
        writeln!(
            out,
            "  country {country:<14} {:>6} {}  {:>16}",
            t.count,
            sender_ids(t.count),
            t.money()
        )?;
    }
    writeln!(
        out,
        "  overall {:<14} {:>6} {}  {:>16}",
        "",
        overall.count,
        sender_ids(overall.count),
        overall.money()
    )
}

/// `sender ID ` or `sender IDs`, as wide as each other, for a count.
fn sender_ids(n: usize) -> &'static str {
    if n == 1 { "sender ID " } else { "sender IDs" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MessageType, MessagingLimits, Price};

    /// The reference the streamed JSON is checked against: built member by member as a
    /// `serde_json::Value`, independently of [`SenderIdOut`].
    fn json_of(r: &SenderIdRecord) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("Region".into(), r.region.clone().into());
        m.insert("SenderIdArn".into(), r.arn.clone().into());
        m.insert("SenderId".into(), r.sender_id.clone().into());
        m.insert("IsoCountryCode".into(), r.country.clone().into());
        let types: Vec<serde_json::Value> =
            r.message_types.iter().map(|t| t.as_str().into()).collect();
        m.insert("MessageTypes".into(), types.into());
        m.insert("MonthlyLeasingPrice".into(), r.price.raw.clone().into());
        m.insert(
            "DeletionProtectionEnabled".into(),
            r.deletion_protection.into(),
        );
        m.insert("Registered".into(), r.registered.into());
        if let Some(id) = &r.registration_id {
            m.insert("RegistrationId".into(), id.clone().into());
        }
        if let Some(l) = &r.messaging_limits {
            // Each member only when the service gave it, as describe-sender-ids prints it.
            let mut limits = serde_json::Map::new();
            if !l.rate_limits.is_empty() {
                limits.insert("RateLimits".into(), serde_json::json!(l.rate_limits));
            }
            if !l.daily_message_caps.is_empty() {
                limits.insert(
                    "DailyMessageCaps".into(),
                    serde_json::json!(l.daily_message_caps),
                );
            }
            m.insert("MessagingLimits".into(), limits.into());
        }
        if let Some(t) = &r.pricing_tier {
            m.insert("PricingTier".into(), t.clone().into());
        }
        m.insert("Owner".into(), r.ownership.api_name().into());
        serde_json::Value::Object(m)
    }

    fn record(n: u8) -> SenderIdRecord {
        let mut limits = MessagingLimits::default();
        if n.is_multiple_of(2) {
            limits.rate_limits.insert("SMS".into(), 20);
        }
        if n.is_multiple_of(3) {
            limits.daily_message_caps.insert("DEFAULT".into(), 1000);
        }
        SenderIdRecord {
            region: "eu-west-1".into(),
            arn: format!("arn:aws:sms-voice:eu-west-1:111122223333:sender-id/S{n}/GB"),
            sender_id: format!("S{n}\"\\ é"),
            country: "GB".into(),
            message_types: match n % 3 {
                0 => vec![],
                1 => vec![MessageType::Transactional],
                _ => vec![MessageType::Promotional, MessageType::Other("NEW".into())],
            },
            price: Price::parse(if n.is_multiple_of(2) { "1.50" } else { "n/a" }),
            deletion_protection: n % 2 == 1,
            registered: n.is_multiple_of(4),
            registration_id: (n.is_multiple_of(4)).then(|| format!("registration-{n}")),
            ownership: if n.is_multiple_of(5) {
                Ownership::Shared
            } else {
                Ownership::Own
            },
            messaging_limits: (!n.is_multiple_of(7)).then_some(limits),
            pricing_tier: (n.is_multiple_of(2)).then(|| "STANDARD".into()),
        }
    }

    #[test]
    fn streamed_json_is_the_same_text_as_json_of() {
        let records: Vec<SenderIdRecord> = (0..30).map(record).collect();
        let mut streamed = Vec::new();
        write_json(&mut streamed, &records).expect("write");
        let values: Vec<serde_json::Value> = records.iter().map(json_of).collect();
        let mut built = serde_json::to_vec_pretty(&values).expect("json");
        built.push(b'\n');
        assert_eq!(
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&built)
        );
    }
}
