//! Report routes: the funnel, the yearly summary (JSON or CSV) and the records due for renewal.

use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::download::attachment;
use super::query::date;
use crate::domain::TimeZone;
use crate::engine::reports::{FunnelRow, Grouping, Period};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::http::{auth::Caller, blocking::run};
use crate::wire::csv_file;

/// The zone reports count days in unless told otherwise: the base's.
const BASE_ZONE: &str = "Asia/Shanghai";

fn zone(raw: Option<&str>) -> Result<TimeZone> {
    TimeZone::parse(raw.unwrap_or(BASE_ZONE)).map_err(Error::BadParameter)
}

fn csv_requested(raw: Option<&str>) -> Result<bool> {
    match raw.unwrap_or("json") {
        "json" => Ok(false),
        "csv" => Ok(true),
        other => Err(Error::BadParameter(format!(
            "format must be json or csv, got {other:?}"
        ))),
    }
}

fn csv_attachment(name: &str, body: Vec<u8>) -> HttpResponse {
    attachment("text/csv; charset=utf-8", name, body)
}

/// Query of `GET /reports/funnel`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelQuery {
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
    time_zone: Option<String>,
    format: Option<String>,
}

/// The funnel answer.
#[derive(Debug, Serialize)]
struct FunnelReport {
    from: NaiveDate,
    to: NaiveDate,
    time_zone: String,
    by: String,
    rows: Vec<FunnelRow>,
}

fn grouping(raw: Option<&str>) -> Result<(Grouping, String)> {
    let name = raw.unwrap_or("total");
    let by = match name {
        "total" => Grouping::Total,
        "month" => Grouping::Month,
        "quarter" => Grouping::Quarter,
        "year" => Grouping::Year,
        "channel" => Grouping::Channel,
        "sector" => Grouping::Sector,
        "event" => Grouping::Event,
        other => {
            return Err(Error::BadParameter(format!(
                "by must be total, month, quarter, year, channel, sector or event, got {other:?}"
            )))
        }
    };
    Ok((by, name.to_string()))
}

/// `GET /reports/funnel`: from the first day of this year to today unless told otherwise.
pub async fn funnel(engine: web::Data<Engine>, caller: Caller, query: web::Query<FunnelQuery>) -> Result<HttpResponse> {
    caller.operator()?;
    let q = query.into_inner();
    let zone = zone(q.time_zone.as_deref())?;
    let today = Utc::now().with_timezone(&zone.tz()).date_naive();
    let start_of_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let from = date(q.from.as_deref(), start_of_year, "from")?;
    let to = date(q.to.as_deref(), today, "to")?;
    if to < from {
        return Err(Error::BadParameter("to is before from".into()));
    }
    let (by, by_name) = grouping(q.by.as_deref())?;
    let csv = csv_requested(q.format.as_deref())?;
    let period = Period { from, to, zone };
    let rows = run(&engine, move |e| e.funnel_report(&period, by)).await?;
    if csv {
        return Ok(csv_attachment(
            &format!("funnel-{from}-{to}-{by_name}.csv"),
            csv_file(&rows)?,
        ));
    }
    Ok(HttpResponse::Ok().json(FunnelReport {
        from,
        to,
        time_zone: zone.name().to_string(),
        by: by_name,
        rows,
    }))
}

/// Query of `GET /reports/yearly`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    year: Option<i32>,
    time_zone: Option<String>,
    format: Option<String>,
}

/// One line of the yearly CSV.
#[derive(Debug, Default, Serialize)]
struct Figure {
    figure: String,
    value: String,
}

/// `GET /reports/yearly`: this year unless told otherwise.
pub async fn yearly(engine: web::Data<Engine>, caller: Caller, query: web::Query<YearQuery>) -> Result<HttpResponse> {
    caller.operator()?;
    let q = query.into_inner();
    let zone = zone(q.time_zone.as_deref())?;
    let year = q.year.unwrap_or_else(|| Utc::now().with_timezone(&zone.tz()).year());
    if !(2000..=2100).contains(&year) {
        return Err(Error::BadParameter(format!(
            "year must be from 2000 to 2100, got {year}"
        )));
    }
    let csv = csv_requested(q.format.as_deref())?;
    let summary = run(&engine, move |e| e.year_report(year, zone)).await?;
    if csv {
        let value = serde_json::to_value(&summary).map_err(|e| Error::Internal(e.to_string()))?;
        let figures: Vec<Figure> = value
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| Figure {
                        figure: k.clone(),
                        value: v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    })
                    .collect()
            })
            .unwrap_or_default();
        return Ok(csv_attachment(&format!("summary-{year}.csv"), csv_file(&figures)?));
    }
    Ok(HttpResponse::Ok().json(summary))
}

/// Query of `GET /reports/renewal`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalQuery {
    stale_after_days: Option<i64>,
    time_zone: Option<String>,
}

/// `GET /reports/renewal`: profiles not updated for `stale_after_days` (365 by default) and
/// needs past their deadline.
pub async fn renewal(
    engine: web::Data<Engine>,
    caller: Caller,
    query: web::Query<RenewalQuery>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let q = query.into_inner();
    let zone = zone(q.time_zone.as_deref())?;
    let days = q.stale_after_days.unwrap_or(365);
    if !(0..=3650).contains(&days) {
        return Err(Error::BadParameter(format!(
            "stale_after_days must be from 0 to 3650, got {days}"
        )));
    }
    let due = run(&engine, move |e| e.renewal_report(days, zone)).await?;
    Ok(HttpResponse::Ok().json(due))
}
