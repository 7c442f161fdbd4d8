//! IANA time zones, checked against the tz database that chrono-tz ships.

use serde::{Deserialize, Serialize};

/// An IANA time zone such as `Europe/Paris` or `Asia/Shanghai`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    /// Parses an IANA zone name (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self, String> {
        chrono_tz::Tz::from_str_insensitive(raw.trim())
            .map(TimeZone)
            .map_err(|_| format!("{raw:?} is not an IANA time zone such as Europe/Paris"))
    }

    /// The zone for date arithmetic.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.0
    }

    /// The zone's canonical name.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }
}

impl TryFrom<String> for TimeZone {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        TimeZone::parse(&raw)
    }
}

impl From<TimeZone> for String {
    fn from(z: TimeZone) -> String {
        z.name().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_parse_in_any_case() {
        assert_eq!(TimeZone::parse("europe/paris").unwrap().name(), "Europe/Paris");
    }

    #[test]
    fn offsets_and_made_up_zones_are_rejected() {
        assert!(TimeZone::parse("GMT+8 Beijing").is_err());
        assert!(TimeZone::parse("Mars/Olympus").is_err());
    }
}
