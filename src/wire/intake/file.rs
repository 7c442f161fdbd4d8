//! A whole uploaded file into rows: decoded, read as CSV (through the header mapping) or JSON lines,
//! each row parsed on its own so that one bad row never hides the others.

use chrono::{DateTime, Utc};

use super::cells::Cells;
use super::encoding::{decode, TextEncoding};
use super::expert_rows::{self, ExpertDefaults};
use super::fields::{FieldSpec, EXPERT_FIELDS, NEED_FIELDS};
use super::need_rows;
use super::source::{IntakeFormat, IntakeSource};
use super::table::{self, Column};
use super::values;
use crate::domain::{ExpertStatus, NeedStatus, TagLookup};
use crate::engine::intake::{ExpertRow, NeedRow, Row};
use crate::error::{Error, FieldError, Result};

/// What was read besides the rows: the format, the encoding found, and the columns' fields.
#[derive(Debug, Clone)]
pub struct FileMeta {
    /// CSV or JSON lines.
    pub format: IntakeFormat,
    /// The encoding the bytes were read with.
    pub encoding: TextEncoding,
    /// CSV: every column and its field (None: left out).
    pub columns: Vec<Column>,
}

/// A file read into rows.
#[derive(Debug)]
pub struct ParsedFile<T> {
    /// How it was read.
    pub meta: FileMeta,
    /// Its rows, in file order.
    pub rows: Vec<Row<T>>,
}

fn rows<T>(
    bytes: &[u8],
    source: &IntakeSource,
    fields: &[FieldSpec],
    from_cells: impl Fn(&Cells) -> Result<T, Vec<FieldError>>,
    from_line: impl Fn(&str) -> Result<T, Vec<FieldError>>,
) -> Result<ParsedFile<T>> {
    let (text, encoding) = decode(bytes, source.encoding)?;
    let (columns, rows) = match source.format {
        IntakeFormat::Csv => {
            let t = table::read(&text, fields, &source.mapping)?;
            let rows = t
                .records
                .into_iter()
                .map(|(row, cells)| Row {
                    row,
                    parsed: cells.map_err(|e| vec![e]).and_then(|c| from_cells(&c)),
                })
                .collect();
            (t.columns, rows)
        }
        IntakeFormat::Jsonl => {
            if !source.mapping.is_empty() {
                return Err(Error::BadParameter("a column mapping applies to CSV files only".into()));
            }
            let rows = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| Row {
                    row: i + 1,
                    parsed: from_line(l),
                })
                .collect();
            (Vec::new(), rows)
        }
    };
    Ok(ParsedFile {
        meta: FileMeta {
            format: source.format,
            encoding,
            columns,
        },
        rows,
    })
}

/// Reads a file of experts; 400 or 422 when the file as a whole cannot be read.
pub fn expert_file(
    bytes: &[u8],
    source: &IntakeSource,
    lookup: &dyn TagLookup,
    now: DateTime<Utc>,
) -> Result<ParsedFile<ExpertRow>> {
    let status = source
        .status
        .as_deref()
        .map(|s| ExpertStatus::parse(&values::expert_status(s)))
        .transpose()
        .map_err(|m| Error::BadParameter(format!("status: {m}")))?;
    let defaults = ExpertDefaults {
        status,
        consent_version: source.consent_version.clone(),
    };
    rows(
        bytes,
        source,
        EXPERT_FIELDS,
        |c| expert_rows::from_cells(c, &defaults, lookup, now),
        |l| expert_rows::from_line(l, &defaults, lookup, now),
    )
}

/// Reads a file of needs; 400 or 422 when the file as a whole cannot be read.
pub fn need_file(bytes: &[u8], source: &IntakeSource, lookup: &dyn TagLookup) -> Result<ParsedFile<NeedRow>> {
    if source.consent_version.is_some() {
        return Err(Error::BadParameter("consent_version applies to experts only".into()));
    }
    let status = source
        .status
        .as_deref()
        .map(|s| NeedStatus::parse(&values::need_status(s)))
        .transpose()
        .map_err(|m| Error::BadParameter(format!("status: {m}")))?;
    rows(
        bytes,
        source,
        NEED_FIELDS,
        |c| need_rows::from_cells(c, status, lookup),
        |l| need_rows::from_line(l, status, lookup),
    )
}
