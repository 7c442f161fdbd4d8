//! Bounded free text: trimmed, without control characters, within a length limit.

use serde::{Deserialize, Serialize};

/// A trimmed string of bounded length without control characters (newlines and tabs allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// Parses `raw` into text of `min..=max` characters after trimming.
    pub fn parse(raw: &str, min: usize, max: usize) -> Result<Text, String> {
        let trimmed = raw.trim();
        let chars = trimmed.chars().count();
        if chars < min {
            return Err(if min == 1 {
                "must not be empty".into()
            } else {
                format!("must be at least {min} characters")
            });
        }
        if chars > max {
            return Err(format!("must be at most {max} characters, got {chars}"));
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            return Err("must not contain control characters".into());
        }
        Ok(Text(trimmed.to_string()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed() {
        assert_eq!(Text::parse("  Li Wei ", 1, 10).unwrap().as_str(), "Li Wei");
    }

    #[test]
    fn blank_text_is_rejected_when_required() {
        assert!(Text::parse("   ", 1, 10).is_err());
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(Text::parse("人工智能", 1, 4).is_ok());
        assert!(Text::parse("人工智能a", 1, 4).is_err());
    }

    #[test]
    fn control_characters_are_rejected() {
        assert!(Text::parse("a\u{0}b", 1, 10).is_err());
    }
}
