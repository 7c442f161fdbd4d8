//! Event matchmaking routes: shortlists, the schedule (draft, change, publish, discard), exports as
//! JSON, CSV and iCalendar, and slot windows for online events.

use actix_web::{web, HttpResponse};
use chrono::Duration;
use serde::Deserialize;

use super::download::attachment;
use super::events::event_id;
use super::query::date;
use crate::domain::{AuditAction, EventId, ExpertId, MeetingId, NeedId};
use crate::engine::events::{DraftOptions, EventRecords, MeetingChange, MetBefore, ShortlistOptions};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::http::{
    auth::Caller,
    blocking::run,
    body::Body,
    precondition::{etag, IfMatch},
};
use crate::wire::export::calendar;
use crate::wire::{
    calendar_entries, csv_file, meeting_rows, shortlist_rows, MeetingInput, ParsedMeeting, ScheduleView,
    ShortlistsView, SuggestionsView,
};

/// Most experts per shortlist.
const MAX_K: usize = 50;

/// The formats of an export.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Json,
    Csv,
    Ics,
}

fn format(raw: Option<&str>, allowed: &[Format]) -> Result<Format> {
    let f = match raw.unwrap_or("json") {
        "json" => Format::Json,
        "csv" => Format::Csv,
        "ics" => Format::Ics,
        other => {
            return Err(Error::BadParameter(format!(
                "format must be json, csv or ics, got {other:?}"
            )))
        }
    };
    if allowed.contains(&f) {
        Ok(f)
    } else {
        Err(Error::BadParameter(format!(
            "format {raw:?} is not offered here",
            raw = raw.unwrap_or("")
        )))
    }
}

fn met_before(raw: Option<&str>) -> Result<MetBefore> {
    match raw.unwrap_or("mark") {
        "mark" => Ok(MetBefore::Mark),
        "exclude" => Ok(MetBefore::Exclude),
        other => Err(Error::BadParameter(format!(
            "met_before must be mark or exclude, got {other:?}"
        ))),
    }
}

/// Records who saw the contacts of the experts shown with names: a `contacts_read` for the JSON
/// view, an `export` for a file, one entry per expert.
fn audit_named(
    e: &Engine,
    actor: &str,
    fmt: Format,
    experts: impl Iterator<Item = ExpertId>,
    what: &str,
) -> Result<()> {
    let mut ids: Vec<ExpertId> = experts.collect();
    ids.sort_unstable();
    ids.dedup();
    let (action, detail) = match fmt {
        Format::Json => (AuditAction::ContactsRead, what.to_string()),
        Format::Csv => (AuditAction::Export, format!("{what} as CSV")),
        Format::Ics => (AuditAction::Export, format!("{what} as iCalendar")),
    };
    e.audit_each(
        actor,
        action,
        ids.iter().map(|x| format!("expert:{x}")).collect(),
        &detail,
    )
}

/// Query of `GET /events/{id}/shortlists`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortlistQuery {
    k: Option<usize>,
    cap: Option<usize>,
    met_before: Option<String>,
    anonymised: Option<bool>,
    format: Option<String>,
}

/// `GET /events/{id}/shortlists`.
pub async fn shortlists(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<ShortlistQuery>,
) -> Result<HttpResponse> {
    let (me, id) = caller.reader_of(event_id(&path))?;
    let q = query.into_inner();
    let k = q.k.unwrap_or(5);
    if !(1..=MAX_K).contains(&k) {
        return Err(Error::BadParameter(format!("k must be from 1 to {MAX_K}, got {k}")));
    }
    let met = met_before(q.met_before.as_deref())?;
    // A viewer sees anonymised lists whatever it asks for.
    let anonymised = me.is_viewer() || q.anonymised.unwrap_or(false);
    let fmt = format(q.format.as_deref(), &[Format::Json, Format::Csv])?;
    let options = ShortlistOptions {
        k,
        cap: q.cap,
        met_before: met,
    };
    let view = run(&engine, move |e| {
        let lists = e.shortlists(id, options)?;
        let event = e.event(id)?;
        if !anonymised {
            let shown = lists.lists.iter().flat_map(|l| l.entries.iter().map(|x| x.expert.id));
            audit_named(e, &me.actor(), fmt, shown, &format!("shortlists of event {id}"))?;
        }
        Ok(ShortlistsView::new(&event, &lists, k, options.cap, met, anonymised))
    })
    .await?;
    Ok(match fmt {
        Format::Csv => attachment(
            "text/csv; charset=utf-8",
            &format!("shortlists-{id}{}.csv", if anonymised { "-anonymised" } else { "" }),
            csv_file(&shortlist_rows(&view))?,
        ),
        _ => HttpResponse::Ok().json(view),
    })
}

/// Query of `GET /events/{id}/schedule`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleQuery {
    anonymised: Option<bool>,
    format: Option<String>,
    need: Option<String>,
    expert: Option<String>,
}

fn no_schedule(id: EventId) -> Error {
    Error::NotFound {
        what: "schedule of event",
        id: id.to_string(),
    }
}

fn schedule_response(records: &EventRecords) -> Result<HttpResponse> {
    let view = ScheduleView::new(records, false).ok_or_else(|| no_schedule(records.event.id))?;
    Ok(HttpResponse::Ok().insert_header(etag(records.event.version)).json(view))
}

/// `GET /events/{id}/schedule`: JSON, CSV, or one participant's iCalendar file.
pub async fn get(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<ScheduleQuery>,
) -> Result<HttpResponse> {
    let (me, id) = caller.reader_of(event_id(&path))?;
    let q = query.into_inner();
    // A viewer sees an anonymised schedule whatever it asks for.
    let anonymised = me.is_viewer() || q.anonymised.unwrap_or(false);
    let fmt = format(q.format.as_deref(), &[Format::Json, Format::Csv, Format::Ics])?;
    let need = q
        .need
        .as_deref()
        .map(NeedId::parse)
        .transpose()
        .map_err(Error::BadParameter)?;
    let expert = q
        .expert
        .as_deref()
        .map(ExpertId::parse)
        .transpose()
        .map_err(Error::BadParameter)?;
    let records = run(&engine, move |e| {
        let records = e.event_records(id)?;
        if !anonymised {
            let shown = records
                .event
                .schedule
                .iter()
                .flat_map(|s| s.meetings.iter().map(|m| m.expert));
            audit_named(e, &me.actor(), fmt, shown, &format!("schedule of event {id}"))?;
        }
        Ok(records)
    })
    .await?;
    let view = ScheduleView::new(&records, anonymised).ok_or_else(|| no_schedule(id))?;
    let suffix = if anonymised { "-anonymised" } else { "" };
    match fmt {
        Format::Json => Ok(HttpResponse::Ok().insert_header(etag(records.event.version)).json(view)),
        Format::Csv => Ok(attachment(
            "text/csv; charset=utf-8",
            &format!("schedule-{id}{suffix}.csv"),
            csv_file(&meeting_rows(&view))?,
        )),
        Format::Ics => {
            // One participant's meetings: a need by its id, an expert by its label (anonymised
            // views keep the label and drop the id).
            let (file, need_id, label) = match (need, expert) {
                (Some(n), None) => (format!("need-{n}"), Some(n.to_string()), None),
                (None, Some(x)) => (format!("expert-{x}"), None, Some(crate::wire::expert_label(id, x))),
                _ => {
                    return Err(Error::BadParameter(
                        "an iCalendar export is for one participant: give need=<id> or expert=<id>".into(),
                    ))
                }
            };
            let keep = |m: &crate::wire::MeetingView| {
                need_id.as_ref().is_some_and(|n| *n == m.need.id)
                    || label.as_ref().is_some_and(|l| *l == m.expert.label)
            };
            let title = records.event.spec.title.to_string();
            let entries = calendar_entries(&view, &title, keep);
            Ok(attachment(
                "text/calendar; charset=utf-8",
                &format!("{file}{suffix}.ics"),
                calendar(&title, &entries).into_bytes(),
            ))
        }
    }
}

/// Query of `POST /events/{id}/schedule`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftQuery {
    keep_manual: Option<bool>,
    met_before: Option<String>,
}

/// `POST /events/{id}/schedule`: drafts the schedule anew.
pub async fn draft(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    query: web::Query<DraftQuery>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    let options = DraftOptions {
        keep_manual: query.keep_manual.unwrap_or(true),
        met_before: met_before(query.met_before.as_deref())?,
    };
    let records = run(&engine, move |e| {
        e.draft_schedule(id, if_match.0, options)?;
        e.event_records(id)
    })
    .await?;
    schedule_response(&records)
}

/// `DELETE /events/{id}/schedule`.
pub async fn discard(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    run(&engine, move |e| e.discard_schedule(id, if_match.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /events/{id}/schedule/publish`.
pub async fn publish(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    let records = run(&engine, move |e| {
        e.publish_schedule(id, if_match.0)?;
        e.event_records(id)
    })
    .await?;
    schedule_response(&records)
}

fn meeting_id(raw: &str) -> Result<MeetingId> {
    MeetingId::parse(raw).map_err(Error::BadParameter)
}

/// `POST /events/{id}/schedule/meetings`: places a meeting by hand.
pub async fn add_meeting(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    if_match: IfMatch,
    Body(input): Body<MeetingInput>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    let records = run(&engine, move |e| {
        let ParsedMeeting { slot, pair, table } = input.parse(e.event(id)?.spec.time_zone, true)?;
        let (need, expert) = pair.ok_or_else(|| Error::Internal("a parsed meeting lost its pair".into()))?;
        e.change_meeting(
            id,
            if_match.0,
            MeetingChange::Add {
                slot,
                need,
                expert,
                table,
            },
        )?;
        e.event_records(id)
    })
    .await?;
    let mut response = schedule_response(&records)?;
    *response.status_mut() = actix_web::http::StatusCode::CREATED;
    Ok(response)
}

/// `PATCH /events/{id}/schedule/meetings/{meeting_id}`: moves a meeting to another slot or table.
pub async fn move_meeting(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    Body(input): Body<MeetingInput>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let (id, meeting) = (event_id(&path.0)?, meeting_id(&path.1)?);
    let records = run(&engine, move |e| {
        let ParsedMeeting { slot, table, .. } = input.parse(e.event(id)?.spec.time_zone, false)?;
        e.change_meeting(
            id,
            if_match.0,
            MeetingChange::Move {
                id: meeting,
                slot,
                table,
            },
        )?;
        e.event_records(id)
    })
    .await?;
    schedule_response(&records)
}

/// `DELETE /events/{id}/schedule/meetings/{meeting_id}`.
pub async fn remove_meeting(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse> {
    caller.operator()?;
    let (id, meeting) = (event_id(&path.0)?, meeting_id(&path.1)?);
    let records = run(&engine, move |e| {
        e.change_meeting(id, if_match.0, MeetingChange::Remove { id: meeting })?;
        e.event_records(id)
    })
    .await?;
    schedule_response(&records)
}

/// Query of `GET /events/{id}/slot-suggestions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestQuery {
    duration_minutes: Option<i64>,
    count: Option<usize>,
    from: Option<String>,
    to: Option<String>,
}

/// `GET /events/{id}/slot-suggestions`: the windows where most participants are awake.
pub async fn suggestions(
    engine: web::Data<Engine>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<SuggestQuery>,
) -> Result<HttpResponse> {
    caller.operator()?;
    let id = event_id(&path)?;
    let q = query.into_inner();
    let minutes = q.duration_minutes.unwrap_or(60);
    if !(15..=480).contains(&minutes) {
        return Err(Error::BadParameter(format!(
            "duration_minutes must be from 15 to 480, got {minutes}"
        )));
    }
    let count = q.count.unwrap_or(5);
    if !(1..=20).contains(&count) {
        return Err(Error::BadParameter(format!("count must be from 1 to 20, got {count}")));
    }
    let view = run(&engine, move |e| {
        let days = e.event(id)?.spec;
        let from = date(q.from.as_deref(), days.starts_on, "from")?;
        let to = date(q.to.as_deref(), days.ends_on, "to")?;
        if to < from || (to - from).num_days() > 30 {
            return Err(Error::BadParameter("to must be from `from` to 30 days after it".into()));
        }
        let found = e.slot_suggestions(id, from, to, Duration::minutes(minutes), count)?;
        Ok(SuggestionsView::new(&id.to_string(), &found))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
