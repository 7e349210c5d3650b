//! Input validation by the service model's rules. The Rust SDK sends whatever it is given
//! (api.md section 1), so the emulator is where lengths, patterns, ranges, enum values, required
//! members and JSON types are checked. A `Checker` walks a request, collects every violation with
//! its field path (`Filters[0].Values[1]`) and turns them into one ValidationException whose
//! `Reason` is `MISSING_PARAMETER`, `CANNOT_PARSE` (wrong JSON type), or the shared reason of the
//! violations, else `FIELD_VALIDATION_FAILED`. A JSON `null` counts as absent, as in AWS.

use serde_json::{Map, Value};

use super::protocol::{ApiError, ErrorKind, FieldError};

pub(crate) const FIELD_VALIDATION_FAILED: &str = "FIELD_VALIDATION_FAILED";
pub(crate) const MISSING_PARAMETER: &str = "MISSING_PARAMETER";
pub(crate) const CANNOT_PARSE: &str = "CANNOT_PARSE";

pub(crate) use super::rules::{
    CLIENT_TOKEN, FILTER_VALUE, ISO_COUNTRY_CODE, NEXT_TOKEN, POOL_ID_OR_ARN, RESOURCE_ARN,
    SENDER_ID, SENDER_ID_OR_ARN, StrRule, TAG_KEY, TAG_VALUE,
};

/// Collects the violations found in one request.
#[derive(Default)]
pub(crate) struct Checker {
    violations: Vec<(FieldError, &'static str)>,
}

/// A member of an object, with `null` read as absent.
pub(crate) fn member<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

impl Checker {
    pub(crate) fn new() -> Checker {
        Checker::default()
    }

    pub(crate) fn push(&mut self, name: &str, message: impl Into<String>, reason: &'static str) {
        let field = FieldError {
            name: name.to_owned(),
            message: message.into(),
        };
        self.violations.push((field, reason));
    }

    pub(crate) fn invalid(&mut self, name: &str, message: impl Into<String>) {
        self.push(name, message, FIELD_VALIDATION_FAILED);
    }

    pub(crate) fn missing(&mut self, name: &str) {
        self.push(name, "Member is required", MISSING_PARAMETER);
    }

    pub(crate) fn wrong_type(&mut self, name: &str, expected: &str) {
        self.push(name, format!("Value must be {expected}"), CANNOT_PARSE);
    }

    pub(crate) fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }

    /// How many violations were found so far (to tell whether a check just added one).
    pub(crate) fn count(&self) -> usize {
        self.violations.len()
    }

    /// `Ok(())` when nothing was found, else the ValidationException.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        let Some((_, first_reason)) = self.violations.first() else {
            return Ok(());
        };
        let reason = if self.violations.iter().all(|(_, r)| r == first_reason) {
            *first_reason
        } else {
            FIELD_VALIDATION_FAILED
        };
        let count = self.violations.len();
        let details: Vec<String> = self
            .violations
            .iter()
            .map(|(f, _)| format!("{}: {}", f.name, f.message))
            .collect();
        let noun = if count == 1 { "error" } else { "errors" };
        let message = format!("{count} validation {noun} detected: {}", details.join("; "));
        let mut error = ApiError::new(ErrorKind::Validation, message).with_reason(reason);
        error.fields = self.violations.into_iter().map(|(f, _)| f).collect();
        Err(error)
    }

    /// Checks a string value against a rule; `Some` only when it is a string (even if invalid).
    pub(crate) fn check_str<'a>(
        &mut self,
        value: &'a Value,
        name: &str,
        rule: &StrRule,
    ) -> Option<&'a str> {
        let Some(text) = value.as_str() else {
            self.wrong_type(name, "a string");
            return None;
        };
        let length = text.chars().count();
        if length < rule.min || length > rule.max {
            let message = if rule.min == rule.max {
                format!("Length must be exactly {} characters", rule.min)
            } else {
                format!(
                    "Length must be between {} and {} characters",
                    rule.min, rule.max
                )
            };
            self.invalid(name, message);
        } else if let Some((shown, allowed)) = rule.pattern {
            let prefix_ok = !shown.starts_with("arn:") || text.starts_with("arn:");
            if !prefix_ok || !text.chars().all(allowed) {
                self.invalid(name, format!("Value must match the pattern {shown}"));
            }
        }
        Some(text)
    }

    /// A string member; `None` when absent, of the wrong type or (if required) missing.
    pub(crate) fn string<'a>(
        &mut self,
        object: &'a Map<String, Value>,
        key: &str,
        path: &str,
        rule: &StrRule,
        required: bool,
    ) -> Option<&'a str> {
        match member(object, key) {
            Some(value) => self.check_str(value, path, rule),
            None => {
                if required {
                    self.missing(path);
                }
                None
            }
        }
    }

    /// A string member that must be one of `allowed`.
    pub(crate) fn enumeration<'a>(
        &mut self,
        value: &'a Value,
        name: &str,
        allowed: &[&str],
    ) -> Option<&'a str> {
        let Some(text) = value.as_str() else {
            self.wrong_type(name, "a string");
            return None;
        };
        if allowed.contains(&text) {
            Some(text)
        } else {
            self.invalid(
                name,
                format!("Value must be one of: {}", allowed.join(", ")),
            );
            None
        }
    }

    /// An integer member within `min..=max`.
    pub(crate) fn integer(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let value = member(object, key)?;
        let number = value.as_i64().or_else(|| value.as_u64().map(|_| i64::MAX));
        let Some(number) = number else {
            self.wrong_type(key, "an integer");
            return None;
        };
        if number < min || number > max {
            self.invalid(key, format!("Value must be between {min} and {max}"));
            return None;
        }
        Some(number)
    }

    /// A boolean member.
    pub(crate) fn boolean(&mut self, object: &Map<String, Value>, key: &str) -> Option<bool> {
        let value = member(object, key)?;
        let flag = value.as_bool();
        if flag.is_none() {
            self.wrong_type(key, "a boolean");
        }
        flag
    }

    /// A list member with `min..=max` entries; returned whenever it is a list.
    pub(crate) fn list<'a>(
        &mut self,
        object: &'a Map<String, Value>,
        key: &str,
        path: &str,
        (min, max): (usize, usize),
        required: bool,
    ) -> Option<&'a [Value]> {
        let Some(value) = member(object, key) else {
            if required {
                self.missing(path);
            }
            return None;
        };
        let Some(items) = value.as_array() else {
            self.wrong_type(path, "a list");
            return None;
        };
        if items.len() < min || items.len() > max {
            self.invalid(
                path,
                format!("List must contain between {min} and {max} items"),
            );
        }
        Some(items)
    }

    /// A list entry that must be a JSON object.
    pub(crate) fn object<'a>(
        &mut self,
        value: &'a Value,
        path: &str,
    ) -> Option<&'a Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            self.wrong_type(path, "a structure");
        }
        object
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn range_and_reason() {
        let body = object(json!({"MaxResults": 0}));
        let mut checker = Checker::new();
        assert_eq!(checker.integer(&body, "MaxResults", 1, 100), None);
        let error = checker.finish().expect_err("fails");
        assert_eq!(error.reason, Some(FIELD_VALIDATION_FAILED));
        assert_eq!(error.fields[0].name, "MaxResults");
        assert_eq!(error.fields[0].message, "Value must be between 1 and 100");
    }

    #[test]
    fn missing_wrong_type_and_pattern() {
        let body = object(json!({"IsoCountryCode": "gb", "SenderId": 7, "Extra": null}));
        let mut checker = Checker::new();
        checker.string(&body, "ReleaseId", "ReleaseId", &SENDER_ID, true);
        let reason = {
            let mut only_missing = Checker::new();
            only_missing.string(&body, "Absent", "Absent", &SENDER_ID, true);
            only_missing.finish().err().and_then(|e| e.reason)
        };
        assert_eq!(reason, Some(MISSING_PARAMETER));
        checker.string(&body, "SenderId", "SenderId", &SENDER_ID, true);
        checker.string(
            &body,
            "IsoCountryCode",
            "IsoCountryCode",
            &ISO_COUNTRY_CODE,
            true,
        );
        let error = checker.finish().expect_err("fails");
        assert_eq!(error.fields.len(), 3);
        assert_eq!(error.reason, Some(FIELD_VALIDATION_FAILED));
    }

    #[test]
    fn arn_pattern_needs_prefix() {
        let mut checker = Checker::new();
        checker.check_str(
            &json!("xrn:aws:sms-voice:us-east-1:1:x"),
            "ResourceArn",
            &RESOURCE_ARN,
        );
        assert!(!checker.is_clean());
    }
}
