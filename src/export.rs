//! CSV output of sender IDs, shared by the TUI's `x` export and `sidman list --format csv`: a
//! header row, one row per sender ID, the API's member names plus `Region`, values as the service
//! gave them (prices untouched), message types joined with `;`, RFC 4180 quoting by the `csv` crate.

use crate::domain::SenderIdRecord;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The CSV columns, in order.
pub const COLUMNS: [&str; 11] = [
    "Region",
    "SenderIdArn",
    "SenderId",
    "IsoCountryCode",
    "MessageTypes",
    "MonthlyLeasingPrice",
    "DeletionProtectionEnabled",
    "Registered",
    "RegistrationId",
    "PricingTier",
    "Owner",
];

/// Writes the rows as CSV to any writer.
pub fn write_rows<W: Write>(out: W, rows: &[SenderIdRecord]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for r in rows {
        let types: Vec<&str> = r.message_types.iter().map(|t| t.as_str()).collect();
        w.write_record([
            r.region.as_str(),
            r.arn.as_str(),
            r.sender_id.as_str(),
            r.country.as_str(),
            &types.join(";"),
            r.price.raw.as_str(),
            if r.deletion_protection {
                "true"
            } else {
                "false"
            },
            if r.registered { "true" } else { "false" },
            r.registration_id.as_deref().unwrap_or(""),
            r.pricing_tier.as_deref().unwrap_or(""),
            r.ownership.api_name(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the rows to a new, timestamped CSV file in `dir` and returns its path.
pub fn write_csv(dir: &Path, rows: &[SenderIdRecord]) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("sidman-export-{stamp}.csv"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("sidman-export-{stamp}-{n}.csv"));
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    write_rows(std::io::BufWriter::new(file), rows).map_err(std::io::Error::other)?;
    Ok(path)
}
