//! Bulk intake routes: operators import experts and needs from CSV or JSON lines. A dry run unless
//! `dry_run=false`: a bulk write of personal data is previewed first.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;

use crate::engine::intake::IntakeOptions;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::http::{auth::Caller, blocking::run, upload::Upload};
use crate::wire::intake::{expert_file, need_file, IntakeFormat, IntakeReportView, IntakeSource};

/// The header that may carry the column mapping instead of the `mapping` parameter.
const MAPPING_HEADER: &str = "x-column-mapping";

/// Query of `POST /intake/experts` and `POST /intake/needs`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeQuery {
    dry_run: Option<bool>,
    format: Option<String>,
    encoding: Option<String>,
    mapping: Option<String>,
    consent_version: Option<String>,
    status: Option<String>,
}

fn source(req: &HttpRequest, upload: &Upload, q: IntakeQuery) -> Result<IntakeSource> {
    let format = match q.format.as_deref() {
        Some(raw) => IntakeFormat::parse(raw).map_err(Error::BadParameter)?,
        None => upload
            .media_type
            .as_deref()
            .and_then(IntakeFormat::of_media_type)
            .ok_or_else(|| {
                Error::BadParameter(
                    "send the file as text/csv or application/x-ndjson, or say format=csv or format=jsonl".into(),
                )
            })?,
    };
    let header = req
        .headers()
        .get(MAPPING_HEADER)
        .map(|v| v.to_str())
        .transpose()
        .map_err(|_| Error::BadParameter("X-Column-Mapping must be ASCII JSON (write \\uXXXX escapes)".into()))?;
    let mapping = match (q.mapping.as_deref(), header) {
        (Some(_), Some(_)) => {
            return Err(Error::BadParameter(
                "give the mapping as the mapping parameter or the X-Column-Mapping header, not both".into(),
            ))
        }
        (m, h) => m.or(h),
    };
    IntakeSource::from_parameters(format, q.encoding.as_deref(), mapping, q.consent_version, q.status)
}

fn answer(report: IntakeReportView) -> HttpResponse {
    tracing::info!(
        kind = report.kind,
        dry_run = report.dry_run,
        rows = report.rows,
        created = report.created,
        updated = report.updated,
        skipped = report.skipped,
        rejected = report.rejected,
        duplicates = report.duplicates,
        "intake"
    );
    HttpResponse::Ok().json(report)
}

/// `POST /intake/experts`.
pub async fn experts(
    engine: web::Data<Engine>,
    caller: Caller,
    req: HttpRequest,
    query: web::Query<IntakeQuery>,
    upload: Upload,
) -> Result<HttpResponse> {
    caller.operator()?;
    let options = IntakeOptions::new(query.dry_run.unwrap_or(true));
    let source = source(&req, &upload, query.into_inner())?;
    let report = run(&engine, move |e| {
        let file = expert_file(&upload.bytes, &source, &*e.taxonomy(), Utc::now())?;
        let report = e.intake_experts(file.rows, &options, &mut |_| {})?;
        Ok(IntakeReportView::new(&file.meta, &report))
    })
    .await?;
    Ok(answer(report))
}

/// `POST /intake/needs`.
pub async fn needs(
    engine: web::Data<Engine>,
    caller: Caller,
    req: HttpRequest,
    query: web::Query<IntakeQuery>,
    upload: Upload,
) -> Result<HttpResponse> {
    caller.operator()?;
    let options = IntakeOptions::new(query.dry_run.unwrap_or(true));
    let source = source(&req, &upload, query.into_inner())?;
    let report = run(&engine, move |e| {
        let file = need_file(&upload.bytes, &source, &*e.taxonomy())?;
        let report = e.intake_needs(file.rows, &options, &mut |_| {})?;
        Ok(IntakeReportView::new(&file.meta, &report))
    })
    .await?;
    Ok(answer(report))
}
