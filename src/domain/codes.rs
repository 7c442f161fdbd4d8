//! ISO language (639-1) and country (3166-1 alpha-2) codes, as closed sets.

use serde::{Deserialize, Serialize};

/// Every ISO 639-1 language code.
const LANGUAGES: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Every ISO 3166-1 alpha-2 country code.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A closed set of two-letter codes, one bit per pair of letters, built at compile time from a
/// space-separated list: parsing a code is one bit test, not a search of the list.
struct CodeSet([u64; 11]);

impl CodeSet {
    const fn of(list: &str) -> CodeSet {
        let b = list.as_bytes();
        let mut bits = [0u64; 11];
        let mut i = 0;
        while i + 1 < b.len() {
            let n = Self::number(b[i], b[i + 1]);
            bits[n / 64] |= 1 << (n % 64);
            i += 3;
        }
        CodeSet(bits)
    }

    /// The number of two ASCII letters of any case, from 0 to 675.
    const fn number(a: u8, b: u8) -> usize {
        (a.to_ascii_lowercase() - b'a') as usize * 26 + (b.to_ascii_lowercase() - b'a') as usize
    }

    fn contains(&self, code: &str) -> bool {
        match code.as_bytes() {
            &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                let n = Self::number(a, b);
                self.0[n / 64] & (1 << (n % 64)) != 0
            }
            _ => false,
        }
    }
}

static LANGUAGE_SET: CodeSet = CodeSet::of(LANGUAGES);
static COUNTRY_SET: CodeSet = CodeSet::of(COUNTRIES);

/// An ISO 639-1 language code such as `zh`, `en` or `fr`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageCode(String);

impl LanguageCode {
    /// Parses a two-letter ISO 639-1 code, in any case.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim();
        if LANGUAGE_SET.contains(code) {
            Ok(LanguageCode(code.to_ascii_lowercase()))
        } else {
            Err(format!(
                "{raw:?} is not an ISO 639-1 language code such as zh, en or fr"
            ))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LanguageCode {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        LanguageCode::parse(&raw)
    }
}

impl From<LanguageCode> for String {
    fn from(c: LanguageCode) -> String {
        c.0
    }
}

/// An ISO 3166-1 alpha-2 country code such as `DE` or `CN`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    /// Parses a two-letter ISO 3166-1 code, in any case.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim();
        if COUNTRY_SET.contains(code) {
            Ok(CountryCode(code.to_ascii_uppercase()))
        } else {
            Err(format!(
                "{raw:?} is not an ISO 3166-1 alpha-2 country code such as DE or CN"
            ))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CountryCode {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        CountryCode::parse(&raw)
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_are_lowercased() {
        assert_eq!(LanguageCode::parse("ZH").unwrap().as_str(), "zh");
    }

    #[test]
    fn unknown_language_codes_are_rejected() {
        assert!(LanguageCode::parse("xx").is_err());
        assert!(LanguageCode::parse("eng").is_err());
    }

    #[test]
    fn country_codes_are_uppercased() {
        assert_eq!(CountryCode::parse("de").unwrap().as_str(), "DE");
    }

    #[test]
    fn every_listed_code_parses_and_no_other_pair_of_letters_does() {
        for (list, parses) in [
            (
                LANGUAGES,
                (|c: &str| LanguageCode::parse(c).is_ok()) as fn(&str) -> bool,
            ),
            (COUNTRIES, |c: &str| CountryCode::parse(c).is_ok()),
        ] {
            let listed: Vec<String> = list.split(' ').map(str::to_ascii_lowercase).collect();
            for a in 'a'..='z' {
                for b in 'a'..='z' {
                    let code = format!("{a}{b}");
                    assert_eq!(parses(&code), listed.contains(&code), "{code}");
                    assert_eq!(parses(&code.to_ascii_uppercase()), listed.contains(&code), "{code}");
                }
            }
            assert!(!parses("1a") && !parses("é") && !parses("") && !parses("a"));
        }
    }

    #[test]
    fn unknown_country_codes_are_rejected() {
        assert!(CountryCode::parse("XX").is_err());
        assert!(CountryCode::parse("Germany").is_err());
    }
}
