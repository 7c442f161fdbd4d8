//! The text of an uploaded file: UTF-8 (with or without a BOM) or GB18030 (what Excel on a Chinese
//! Windows writes as "CSV"), told apart when not given: valid UTF-8 is UTF-8, anything else GB18030.

use crate::error::{Error, Result};

/// The encoding of an uploaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 when the bytes are valid UTF-8, else GB18030.
    Auto,
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// GB18030 (a superset of GBK and GB2312).
    Gb18030,
}

impl TextEncoding {
    /// Parses `auto`, `utf-8` or `gb18030` (also `utf8`, `gbk`, `gb2312`, any case).
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(TextEncoding::Auto),
            "utf-8" | "utf8" => Ok(TextEncoding::Utf8),
            "gb18030" | "gbk" | "gb2312" => Ok(TextEncoding::Gb18030),
            _ => Err(format!("{raw:?} is not an encoding: auto, utf-8 or gb18030")),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Auto => "auto",
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Gb18030 => "gb18030",
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        Error::Malformed(format!(
            "the file is not valid UTF-8 (at byte {}); for a GB18030 file give encoding=gb18030",
            e.valid_up_to()
        ))
    })
}

fn gb18030(bytes: &[u8]) -> Result<String> {
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or_else(|| Error::Malformed("the file is neither UTF-8 nor GB18030 text".into()))
}

/// Decodes `bytes` as `encoding`, returning the text and the encoding it was read with.
pub fn decode(bytes: &[u8], encoding: TextEncoding) -> Result<(String, TextEncoding)> {
    match encoding {
        TextEncoding::Utf8 => Ok((utf8(bytes)?, TextEncoding::Utf8)),
        TextEncoding::Gb18030 => Ok((gb18030(bytes)?, TextEncoding::Gb18030)),
        TextEncoding::Auto => match utf8(bytes) {
            Ok(text) => Ok((text, TextEncoding::Utf8)),
            Err(_) => Ok((gb18030(bytes)?, TextEncoding::Gb18030)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gb(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn valid_utf8_is_read_as_utf8_and_its_bom_dropped() {
        let (text, enc) = decode("\u{feff}姓名,邮箱".as_bytes(), TextEncoding::Auto).unwrap();
        assert_eq!((text.as_str(), enc), ("姓名,邮箱", TextEncoding::Utf8));
    }

    #[test]
    fn a_gb18030_file_with_chinese_headers_is_detected() {
        let bytes = gb("姓名,邮箱,单位\n陈雨婷,chen@example.de,慕尼黑工业大学\n");
        assert!(std::str::from_utf8(&bytes).is_err(), "the test file must not be UTF-8");
        let (text, enc) = decode(&bytes, TextEncoding::Auto).unwrap();
        assert_eq!(enc, TextEncoding::Gb18030);
        assert!(text.starts_with("姓名,邮箱,单位\n陈雨婷"), "{text}");
    }

    #[test]
    fn an_explicit_gb18030_reads_gbk_bytes() {
        let (text, _) = decode(&gb("技能"), TextEncoding::Gb18030).unwrap();
        assert_eq!(text, "技能");
    }

    #[test]
    fn an_explicit_utf8_refuses_other_bytes_naming_the_offset() {
        let err = decode(&gb("ab技能"), TextEncoding::Utf8).unwrap_err().to_string();
        assert!(err.contains("at byte 2") && err.contains("gb18030"), "{err}");
    }

    #[test]
    fn bytes_that_are_no_text_are_refused() {
        assert!(decode(&[0x81, 0x20, 0xff, 0xff], TextEncoding::Auto).is_err());
    }

    #[test]
    fn encoding_names_parse_in_any_case() {
        assert_eq!(TextEncoding::parse("UTF8").unwrap(), TextEncoding::Utf8);
        assert_eq!(TextEncoding::parse("gbk").unwrap(), TextEncoding::Gb18030);
        assert!(TextEncoding::parse("latin1").is_err());
    }
}
