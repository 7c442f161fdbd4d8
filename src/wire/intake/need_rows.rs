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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Taxonomy;

    fn taxonomy() -> Taxonomy {
        Taxonomy::build(crate::seed::concepts().unwrap()).unwrap()
    }

    #[test]
    fn a_chinese_need_row_parses_with_weights_must_haves_and_a_spreadsheet_date() {
        let mut c = Cells::default();
        for (f, v) in [
            ("enterprise.name", "南沙海洋科技有限公司"),
            ("enterprise.zone", "南沙"),
            ("title", "水下机器人导航"),
            ("need_type", "联合研发"),
            ("skills", "ai.ml:5:必须；自然语言处理:2"),
            ("engagement_modes", "远程"),
            ("languages", "中文"),
            ("urgency", "高"),
            ("deadline", "2027年6月30日"),
            ("status", "暂停"),
        ] {
            c.set(f, v);
        }
        let row = from_cells(&c, None, &taxonomy()).unwrap();
        assert_eq!(row.status, Some(NeedStatus::Paused));
        assert!(row.spec.skills[0].must_have && !row.spec.skills[1].must_have);
        assert_eq!(row.spec.deadline.unwrap().to_string(), "2027-06-30");
        assert_eq!(row.spec.languages[0].as_str(), "zh");
    }

    #[test]
    fn a_need_line_keeps_its_status_apart_so_an_update_without_one_keeps_the_stored_status() {
        let line = crate::seed::NEEDS.lines().next().unwrap();
        let row = from_line(line, None, &taxonomy()).unwrap();
        assert!(row.id.is_some());
        let bare = serde_json::json!({"need": {"title": "x"}}).to_string();
        let errors = from_line(&bare, None, &taxonomy()).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "enterprise"), "{errors:?}");
    }
}
