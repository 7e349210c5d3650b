//! The per-country facts RequestSenderId and the synthetic generator need: whether a country
//! supports alphanumeric sender IDs, whether it first requires a registration, and the monthly
//! leasing price in US dollars (the service's string form). The figures are plausible stand-ins,
//! not AWS's price list; keeping them in one table keeps new and synthetic sender IDs consistent.

/// How a country treats alphanumeric sender IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Support {
    /// RequestSenderId works.
    Open,
    /// Only through a registration (RequestSenderId answers SENDER_ID_REQUIRES_REGISTRATION).
    Registration,
    /// Not at all (SENDER_ID_NOT_SUPPORTED).
    Unsupported,
}

/// (ISO country code, support, monthly leasing price in USD).
pub(crate) const COUNTRIES: &[(&str, Support, &str)] = &[
    ("AE", Support::Registration, "40.00"),
    ("AT", Support::Open, "0.00"),
    ("AU", Support::Open, "3.00"),
    ("BE", Support::Open, "0.00"),
    ("BR", Support::Unsupported, "0.00"),
    ("CA", Support::Unsupported, "0.00"),
    ("CH", Support::Open, "0.00"),
    ("CN", Support::Unsupported, "0.00"),
    ("CZ", Support::Open, "0.00"),
    ("DE", Support::Open, "0.00"),
    ("DK", Support::Open, "0.00"),
    ("EG", Support::Registration, "35.00"),
    ("ES", Support::Open, "0.00"),
    ("FI", Support::Open, "0.00"),
    ("FR", Support::Open, "3.50"),
    ("GB", Support::Open, "0.00"),
    ("GR", Support::Open, "0.00"),
    ("HK", Support::Open, "6.50"),
    ("HU", Support::Open, "0.00"),
    ("ID", Support::Registration, "30.00"),
    ("IE", Support::Open, "0.00"),
    ("IL", Support::Open, "2.00"),
    ("IN", Support::Registration, "0.00"),
    ("IT", Support::Open, "0.00"),
    ("JO", Support::Registration, "28.00"),
    ("JP", Support::Unsupported, "0.00"),
    ("KE", Support::Open, "12.00"),
    ("KW", Support::Registration, "30.00"),
    ("MX", Support::Unsupported, "0.00"),
    ("MY", Support::Open, "0.00"),
    ("NG", Support::Open, "8.00"),
    ("NL", Support::Open, "0.00"),
    ("NO", Support::Open, "0.00"),
    ("NZ", Support::Open, "0.00"),
    ("PH", Support::Registration, "20.00"),
    ("PL", Support::Open, "2.00"),
    ("PT", Support::Open, "0.00"),
    ("QA", Support::Registration, "25.00"),
    ("RO", Support::Open, "0.00"),
    ("SA", Support::Registration, "50.00"),
    ("SE", Support::Open, "0.00"),
    ("SG", Support::Registration, "25.00"),
    ("TH", Support::Registration, "15.00"),
    ("TR", Support::Registration, "18.00"),
    ("US", Support::Unsupported, "0.00"),
    ("VN", Support::Registration, "45.00"),
    ("ZA", Support::Open, "0.00"),
];

/// The support and price of a country; `None` for a code the emulator does not know.
pub(crate) fn country(code: &str) -> Option<(Support, &'static str)> {
    COUNTRIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, support, price)| (*support, *price))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_known() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(country("GB"), Some((Support::Open, "0.00")));
        assert_eq!(country("US").map(|c| c.0), Some(Support::Unsupported));
        assert_eq!(country("ZZ"), None);
    }
}
