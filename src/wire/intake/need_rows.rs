//! A need row, from a spreadsheet's cells or a JSON line (`{"id"?, "need"}`, the shape of
//! `seed/needs.jsonl`), through the same checks as the API, every bad field at once.

use serde::Deserialize;

use super::cells::{self, Cells};
use super::expert_rows::{line_errors, merge, problems};
use super::values;
use crate::domain::{NeedId, NeedStatus, Problems, TagLookup};
use crate::engine::intake::NeedRow;
use crate::error::FieldError;
use crate::wire::{decode, EnterpriseContactInput, EnterpriseInput, NeedInput};

/// One line of a JSON lines file of needs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedLine {
    /// A need id: the row updates that need, or creates it under this id.
    #[serde(default)]
    pub id: Option<String>,
    /// The need, as `POST /needs` takes it.
    pub need: NeedInput,
}

fn status(p: &mut Problems, raw: Option<&str>, default: Option<NeedStatus>) -> Option<NeedStatus> {
    match raw {
        Some(raw) => p.check("status", NeedStatus::parse(&values::need_status(raw))),
        None => default,
    }
}

fn finish(
    p: Problems,
    id: Option<NeedId>,
    status: Option<NeedStatus>,
    input: NeedInput,
    lookup: &dyn TagLookup,
) -> Result<NeedRow, Vec<FieldError>> {
    let errors = problems(p);
    match input.into_spec(lookup) {
        Ok((spec, _)) if errors.is_empty() => Ok(NeedRow { id, status, spec }),
        Ok(_) => Err(errors),
        Err(e) => Err(merge(errors, e)),
    }
}

/// A need row from a spreadsheet's cells.
pub fn from_cells(
    c: &Cells,
    default_status: Option<NeedStatus>,
    lookup: &dyn TagLookup,
) -> Result<NeedRow, Vec<FieldError>> {
    let mut p = Problems::new();
    let id = c.get("id").and_then(|raw| p.check("id", NeedId::parse(raw)));
    let status = status(&mut p, c.get("status"), default_status);
    let input = NeedInput {
        enterprise: Some(EnterpriseInput {
            name: c.text("enterprise.name"),
            zone: c.text("enterprise.zone"),
            contact: EnterpriseContactInput {
                name: c.text("enterprise.contact.name"),
                email: c.text("enterprise.contact.email"),
                phone: c.text("enterprise.contact.phone"),
            },
        }),
        title: c.text("title"),
        description: c.text("description").unwrap_or_default(),
        need_type: c.get("need_type").map(values::need_type),
        skills: c.get("skills").map(|cell| cells::need_skills(&mut p, cell)),
        sectors: c.list("sectors", str::to_string).unwrap_or_default(),
        engagement_modes: c.list("engagement_modes", values::mode),
        languages: c.list("languages", values::language).unwrap_or_default(),
        urgency: c.get("urgency").map(values::urgency),
        deadline: c.get("deadline").map(values::date),
        hours_per_month: c
            .get("hours_per_month")
            .and_then(|cell| cells::number(&mut p, "hours_per_month", cell)),
        indicators: c
            .get("indicators")
            .map(|cell| cells::indicators(&mut p, cell))
            .unwrap_or_default(),
        status: None,
    };
    finish(p, id, status, input, lookup)
}

/// A need row from one JSON line.
pub fn from_line(
    line: &str,
    default_status: Option<NeedStatus>,
    lookup: &dyn TagLookup,
) -> Result<NeedRow, Vec<FieldError>> {
    let parsed: NeedLine = decode(line.as_bytes()).map_err(line_errors)?;
    let mut p = Problems::new();
    let id = parsed.id.as_deref().and_then(|raw| p.check("id", NeedId::parse(raw)));
    let mut input = parsed.need;
    let status = status(&mut p, input.status.take().as_deref(), default_status);
    finish(p, id, status, input, lookup)
}
