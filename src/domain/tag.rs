//! Concepts of the taxonomy: skills and sectors with labels in zh, en and fr.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The id of a concept, such as `ai.nlp` or `biomed.regenerative-medicine`. Shared text: a clone
/// (every explanation names the tags it matched) copies a pointer, not the id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TagId(Arc<str>);

impl TagId {
    /// Parses dot-separated segments of lowercase ascii letters and digits with inner hyphens.
    pub fn parse(raw: &str) -> Result<Self, String> {
        // Dot-separated segments of a-z, 0-9 and inner single hyphens, in one pass over the bytes: no
        // separator (dot or hyphen) next to another, nor at either end.
        let mut after_separator = true;
        let mut ok = !raw.is_empty() && raw.len() <= 120;
        for &c in raw.as_bytes() {
            let separator = c == b'.' || c == b'-';
            ok &= if separator {
                !after_separator
            } else {
                c.is_ascii_lowercase() || c.is_ascii_digit()
            };
            after_separator = separator;
        }
        let ok = ok && !after_separator;
        if ok {
            Ok(TagId(Arc::from(raw)))
        } else {
            Err(format!("{raw:?} is not a tag id such as ai.nlp"))
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Maps keyed by tag id can be searched with the id's text (the derived hash and equality are the
/// text's).
impl std::borrow::Borrow<str> for TagId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TagId {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        TagId::parse(&raw)
    }
}

impl From<TagId> for String {
    fn from(t: TagId) -> String {
        t.0.to_string()
    }
}

impl Serialize for TagId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Parsed from the text as it is read (borrowed from the input when it can be), not from a
/// `String` made first.
impl<'de> Deserialize<'de> for TagId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = TagId;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, raw: &str) -> Result<TagId, E> {
                TagId::parse(raw).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Text)
    }
}

impl std::fmt::Display for TagId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a concept is a skill or a sector of the economy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    /// Something a person can do.
    Skill,
    /// A field of industry.
    Sector,
}

impl TagKind {
    /// Parses `skill` or `sector`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "skill" => Ok(TagKind::Skill),
            "sector" => Ok(TagKind::Sector),
            _ => Err(format!("{raw:?} is not one of skill, sector")),
        }
    }
}

/// The three languages of the taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    En,
    /// Chinese (simplified).
    Zh,
    /// French.
    Fr,
}

impl Lang {
    /// Every language.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Zh, Lang::Fr];

    /// Parses `en`, `zh` or `fr`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "en" => Ok(Lang::En),
            "zh" => Ok(Lang::Zh),
            "fr" => Ok(Lang::Fr),
            _ => Err(format!("{raw:?} is not one of en, zh, fr")),
        }
    }
}

/// One label per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// English label.
    pub en: String,
    /// Chinese label.
    pub zh: String,
    /// French label.
    pub fr: String,
}

impl Labels {
    /// The label in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
            Lang::Fr => &self.fr,
        }
    }
}

/// Other names per language: abbreviations, synonyms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aliases {
    /// English aliases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub en: Vec<String>,
    /// Chinese aliases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zh: Vec<String>,
    /// French aliases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fr: Vec<String>,
}

impl Aliases {
    /// The aliases in `lang`.
    pub fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
            Lang::Fr => &self.fr,
        }
    }
}

/// One concept of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// Stable id.
    pub id: TagId,
    /// Skill or sector.
    pub kind: TagKind,
    /// The broader concept, if any.
    #[serde(default)]
    pub parent: Option<TagId>,
    /// Labels in en, zh and fr.
    pub labels: Labels,
    /// Other names.
    #[serde(default)]
    pub aliases: Aliases,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_ids_are_dotted_lowercase_segments() {
        assert!(TagId::parse("biomed.regenerative-medicine").is_ok());
        assert!(TagId::parse("ai").is_ok());
    }

    #[test]
    fn the_one_pass_check_equals_the_rule_per_segment() {
        let by_segment = |raw: &str| {
            let segment_ok = |s: &str| {
                !s.is_empty()
                    && !s.starts_with('-')
                    && !s.ends_with('-')
                    && !s.contains("--")
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            };
            raw.len() <= 120 && raw.split('.').all(segment_ok)
        };
        let alphabet = ['a', '1', '-', '.', 'A'];
        let mut words = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            for w in words.iter().chain(&longer) {
                assert_eq!(TagId::parse(w).is_ok(), by_segment(w), "{w:?}");
            }
            words = longer;
        }
        assert!(TagId::parse(&"a".repeat(120)).is_ok() && TagId::parse(&"a".repeat(121)).is_err());
    }

    #[test]
    fn malformed_tag_ids_are_rejected() {
        for bad in ["", "AI", "ai.", ".ai", "ai..nlp", "ai.-x", "ai nlp", "人工智能"] {
            assert!(TagId::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
