//! How to read an uploaded file: its format, its encoding, the header mapping, and the values a
//! request gives every row (consent version, status). Built from query parameters or CLI flags.

use std::collections::BTreeMap;

use super::encoding::TextEncoding;
use crate::domain::Text;
use crate::error::{Error, Result};
use crate::wire::limits::VERSION_CHARS;

/// The format of an uploaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeFormat {
    /// Comma-, semicolon- or tab-separated values with a header row.
    Csv,
    /// JSON lines: one record per line.
    Jsonl,
}

impl IntakeFormat {
    /// Parses `csv` or `jsonl` (also `ndjson`, `tsv`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "csv" | "tsv" => Ok(IntakeFormat::Csv),
            "jsonl" | "ndjson" | "jsonlines" => Ok(IntakeFormat::Jsonl),
            _ => Err(format!("{raw:?} is not a format: csv or jsonl")),
        }
    }

    /// The format a media type names: text/csv (or text/tab-separated-values), or
    /// application/x-ndjson, application/jsonl, application/x-jsonlines.
    pub fn of_media_type(media: &str) -> Option<Self> {
        let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match m.as_str() {
            "text/csv" | "application/csv" | "text/tab-separated-values" => Some(IntakeFormat::Csv),
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines" => Some(IntakeFormat::Jsonl),
            _ => None,
        }
    }

    /// The format a file name's extension names.
    pub fn of_file_name(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "txt" => Some(IntakeFormat::Csv),
            "jsonl" | "ndjson" => Some(IntakeFormat::Jsonl),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            IntakeFormat::Csv => "csv",
            IntakeFormat::Jsonl => "jsonl",
        }
    }
}

/// Everything besides the bytes that says how to read a file.
#[derive(Debug, Clone)]
pub struct IntakeSource {
    /// CSV or JSON lines.
    pub format: IntakeFormat,
    /// How the bytes are encoded.
    pub encoding: TextEncoding,
    /// Column header → field (None or "" leaves the column out); CSV only.
    pub mapping: BTreeMap<String, Option<String>>,
    /// The consent text version the base attests to for rows that carry none.
    pub consent_version: Option<String>,
    /// The status of rows that give none.
    pub status: Option<String>,
}

/// Parses a header mapping given as a JSON object `{"Column header": "field"}`.
pub fn parse_mapping(raw: &str) -> Result<BTreeMap<String, Option<String>>> {
    serde_json::from_str(raw).map_err(|e| {
        Error::BadParameter(format!(
            "the mapping must be a JSON object {{\"Column header\": \"field\"}}: {e}"
        ))
    })
}

impl IntakeSource {
    /// A source from the raw parameters; 400 naming the first bad one.
    pub fn from_parameters(
        format: IntakeFormat,
        encoding: Option<&str>,
        mapping: Option<&str>,
        consent_version: Option<String>,
        status: Option<String>,
    ) -> Result<Self> {
        let encoding = encoding
            .map(TextEncoding::parse)
            .transpose()
            .map_err(Error::BadParameter)?
            .unwrap_or(TextEncoding::Auto);
        let mapping = mapping.map(parse_mapping).transpose()?.unwrap_or_default();
        if let Some(v) = &consent_version {
            Text::parse(v, 1, VERSION_CHARS).map_err(|m| Error::BadParameter(format!("consent_version {m}")))?;
        }
        Ok(IntakeSource {
            format,
            encoding,
            mapping,
            consent_version,
            status,
        })
    }
}
