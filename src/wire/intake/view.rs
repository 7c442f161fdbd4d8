//! The JSON answer of an intake (schemas/intake-report.schema.json): counts, the columns read, and
//! one entry per row.

use serde::Serialize;

use super::file::FileMeta;
use crate::engine::intake::{IntakeReport, Link, Outcome, RowReport};
use crate::error::FieldError;

/// A column of a CSV file and the field it filled.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    pub header: String,
    pub field: Option<&'static str>,
}

/// A record or earlier row a row may duplicate.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    pub matched_on: &'static str,
}

/// One row's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub row: usize,
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duplicate_of: Vec<LinkView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible_duplicate_of: Vec<LinkView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The report of one intake.
#[derive(Debug, Clone, Serialize)]
pub struct IntakeReportView {
    pub kind: &'static str,
    pub dry_run: bool,
    pub format: &'static str,
    pub encoding: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<ColumnView>,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub rejected: usize,
    pub duplicates: usize,
    pub flagged: usize,
    pub batches: usize,
    pub report: Vec<RowView>,
}

fn link(l: &Link) -> LinkView {
    LinkView {
        id: l.id.clone(),
        row: l.row,
        matched_on: l.matched_on.as_str(),
    }
}

fn row(r: &RowReport) -> RowView {
    RowView {
        row: r.row,
        outcome: r.outcome.as_str(),
        id: r.id.clone(),
        errors: r.errors.clone(),
        duplicate_of: r.duplicate_of.iter().map(link).collect(),
        possible_duplicate_of: r.possible_duplicate_of.iter().map(link).collect(),
        detail: r.detail.clone(),
    }
}

impl IntakeReportView {
    /// The answer for a file read as `meta` and the engine's report of it.
    pub fn new(meta: &FileMeta, report: &IntakeReport) -> Self {
        IntakeReportView {
            kind: report.kind,
            dry_run: report.dry_run,
            format: meta.format.as_str(),
            encoding: meta.encoding.as_str(),
            columns: meta
                .columns
                .iter()
                .map(|c| ColumnView {
                    header: c.header.clone(),
                    field: c.field,
                })
                .collect(),
            rows: report.rows.len(),
            created: report.count(Outcome::Create),
            updated: report.count(Outcome::Update),
            skipped: report.count(Outcome::Skip),
            rejected: report.count(Outcome::Reject),
            duplicates: report.count(Outcome::Duplicate),
            flagged: report.flagged(),
            batches: report.batches,
            report: report.rows.iter().map(row).collect(),
        }
    }
}
