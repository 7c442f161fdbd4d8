//! Email addresses: the one contact every expert must give, and the key for duplicate registrations.

use serde::{Deserialize, Serialize};

/// A syntactically valid email address, lowercased so that one mailbox has one spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses `local@domain` with a dotted domain, no spaces, at most 254 characters.
    pub fn parse(raw: &str) -> Result<Email, String> {
        let s = raw.trim().to_lowercase();
        let bad = || format!("{raw:?} is not a valid email address");
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(Email(s))
        } else {
            Err(bad())
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Email::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_lowercased_and_trimmed() {
        assert_eq!(
            Email::parse(" Li.Wei@Example.DE ").unwrap().as_str(),
            "li.wei@example.de"
        );
    }

    #[test]
    fn an_email_needs_an_at_sign_and_a_dotted_domain() {
        for bad in [
            "liwei",
            "li@localhost",
            "@example.org",
            "li@@example.org",
            "li wei@example.org",
            "li@.org",
            "li..wei@example.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn international_domains_are_accepted() {
        assert!(Email::parse("zhang@清华.中国").is_ok());
    }
}
