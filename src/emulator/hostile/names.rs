//! The names of the hostile modes on the command line (`sidman emulator --hostile MODE`), so a
//! client other than sidman's own tests (the AWS CLI, a script) can be tried against a broken or
//! malicious server too. A mode with a size takes it after a colon: `huge-page:100000`.

use super::{Hostile, Malformed};

impl std::str::FromStr for Hostile {
    type Err = String;

    /// The `sidman emulator --hostile MODE` names: `escapes`, `error-bodies`, `server-fault`,
    /// `error-type`, `error-type-header`, `error-without-type`, `truncated`, `not-json`,
    /// `wrong-types`, `invalid-utf8`, `missing-members`, `unknown-enums`, `repeating-token`, and
    /// with a size `huge-field:N`, `huge-page:N`, `huge-chunked:N`, `huge-token:N`,
    /// `endless-token:N`.
    fn from_str(text: &str) -> Result<Hostile, String> {
        let (name, size) = match text.split_once(':') {
            Some((name, n)) => (
                name,
                Some(n.parse::<usize>().map_err(|e| format!("{n}: {e}"))?),
            ),
            None => (text, None),
        };
        let mode = match (name, size) {
            ("escapes", None) => Hostile::Escapes,
            ("error-bodies", None) => Hostile::ErrorBodies,
            ("server-fault", None) => Hostile::ServerFault,
            ("error-type", None) => Hostile::ErrorType { header: false },
            ("error-type-header", None) => Hostile::ErrorType { header: true },
            ("error-without-type", None) => Hostile::ErrorWithoutType,
            ("truncated", None) => Hostile::Malformed(Malformed::Truncated),
            ("not-json", None) => Hostile::Malformed(Malformed::NotJson),
            ("wrong-types", None) => Hostile::Malformed(Malformed::WrongTypes),
            ("invalid-utf8", None) => Hostile::Malformed(Malformed::InvalidUtf8),
            ("missing-members", None) => Hostile::MissingMembers,
            ("unknown-enums", None) => Hostile::UnknownEnums,
            ("repeating-token", None) => Hostile::RepeatingToken,
            ("huge-field", Some(chars)) => Hostile::HugeField { chars },
            ("huge-page", Some(items)) => Hostile::HugePage { items },
            ("huge-chunked", Some(bytes)) => Hostile::HugeChunked { bytes },
            ("huge-token", Some(chars)) => Hostile::HugeToken { chars },
            ("endless-token", Some(items_per_page)) => Hostile::EndlessToken { items_per_page },
            _ => return Err(format!("{text:?} is not a hostile mode (see --help)")),
        };
        Ok(mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mode_has_a_name() {
        let names = [
            "escapes",
            "error-bodies",
            "server-fault",
            "error-type",
            "error-type-header",
            "error-without-type",
            "truncated",
            "not-json",
            "wrong-types",
            "invalid-utf8",
            "missing-members",
            "unknown-enums",
            "repeating-token",
            "huge-field:5242880",
            "huge-page:100000",
            "huge-chunked:20000000",
            "huge-token:1048576",
            "endless-token:100",
        ];
        let modes: Vec<Hostile> = names.iter().filter_map(|n| n.parse().ok()).collect();
        assert_eq!(modes.len(), names.len());
        assert_eq!(modes[16], Hostile::HugeToken { chars: 1 << 20 });
        assert!(
            "huge-page".parse::<Hostile>().is_err(),
            "a size is required"
        );
        assert!("escapes:3".parse::<Hostile>().is_err());
        assert!("nonsense".parse::<Hostile>().is_err());
    }
}
