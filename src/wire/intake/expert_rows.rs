//! An expert row, from a spreadsheet's cells or a JSON line (`{"id"?, "status"?, "profile"}`, the
//! shape of `seed/experts.jsonl`), through the same checks as the API, every bad field at once.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::cells::{self, Cells};
use super::values;
use crate::domain::{ExpertId, ExpertStatus, Problems, TagLookup};
use crate::engine::intake::{ExpertRow, CONSENT_REQUIRED};
use crate::error::{Error, FieldError};
use crate::wire::{decode, ConsentInput, ContactInput, ExpertInput, PreferencesInput};

/// What a request gives every row that does not say otherwise.
#[derive(Debug, Clone, Default)]
pub struct ExpertDefaults {
    /// The status of rows without one (`pending_review` for new experts when None).
    pub status: Option<ExpertStatus>,
    /// The consent text version the base attests to.
    pub consent_version: Option<String>,
}

/// One line of a JSON lines file of experts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertLine {
    /// An expert id: the row updates that expert, or creates it under this id.
    #[serde(default)]
    pub id: Option<String>,
    /// pending_review, active or inactive.
    #[serde(default)]
    pub status: Option<String>,
    /// The profile, as `POST /experts` takes it.
    pub profile: ExpertInput,
}

/// The errors a Problems collector holds.
pub fn problems(p: Problems) -> Vec<FieldError> {
    match p.finish(|| Some(())) {
        Err(Error::Invalid(list)) => list,
        _ => Vec::new(),
    }
}

/// Cell errors first, then the API's errors of fields no cell error named already.
pub fn merge(mut errors: Vec<FieldError>, parsed: Error) -> Vec<FieldError> {
    match parsed {
        Error::Invalid(list) => {
            for e in list {
                if !errors.iter().any(|x| x.field == e.field) {
                    errors.push(e);
                }
            }
        }
        other => errors.push(FieldError::new("row", other.to_string())),
    }
    errors
}

fn status(p: &mut Problems, raw: Option<&str>, default: Option<ExpertStatus>) -> Option<ExpertStatus> {
    match raw {
        Some(raw) => p.check("status", ExpertStatus::parse(&values::expert_status(raw))),
        None => default,
    }
}

fn finish(
    p: Problems,
    id: Option<ExpertId>,
    status: Option<ExpertStatus>,
    input: ExpertInput,
    names_an_id: bool,
    lookup: &dyn TagLookup,
    now: DateTime<Utc>,
) -> Result<ExpertRow, Vec<FieldError>> {
    let mut errors = problems(p);
    if input.consent.is_none() && !names_an_id {
        errors.push(FieldError::new("consent.text_version", CONSENT_REQUIRED));
    }
    match input.into_profile(lookup, false, now) {
        Ok((profile, consent)) if errors.is_empty() => Ok(ExpertRow {
            id,
            status,
            profile,
            consent,
        }),
        Ok(_) => Err(errors),
        Err(e) => Err(merge(errors, e)),
    }
}

fn consent(p: &mut Problems, given: Option<&str>, version: Option<String>) -> Option<ConsentInput> {
    let given = given.and_then(|raw| p.check("consent.given", values::yes_no(raw)));
    match (given, version) {
        (None, None) => None,
        (Some(false), _) => Some(ConsentInput {
            given: Some(false),
            text_version: None,
        }),
        (_, version) => Some(ConsentInput {
            given: Some(true),
            text_version: version,
        }),
    }
}

/// An expert row from a spreadsheet's cells.
pub fn from_cells(
    c: &Cells,
    defaults: &ExpertDefaults,
    lookup: &dyn TagLookup,
    now: DateTime<Utc>,
) -> Result<ExpertRow, Vec<FieldError>> {
    let mut p = Problems::new();
    let id = c.get("id").and_then(|raw| p.check("id", ExpertId::parse(raw)));
    let status = status(&mut p, c.get("status"), defaults.status);
    let version = c
        .text("consent.text_version")
        .or_else(|| defaults.consent_version.clone());
    let input = ExpertInput {
        name: c.text("name"),
        contact: Some(ContactInput {
            email: c.text("contact.email"),
            phone: c.text("contact.phone"),
            other: c.text("contact.other"),
        }),
        country: c.get("country").map(values::country),
        city: c.text("city"),
        timezone: c.get("timezone").map(values::time_zone),
        organisation: c.text("organisation"),
        position: c.text("position"),
        bio: c.text("bio"),
        languages: c.get("languages").map(cells::languages),
        skills: c.get("skills").map(|cell| cells::skills(&mut p, cell)),
        sectors: c.list("sectors", str::to_string).unwrap_or_default(),
        engagement_modes: c.list("engagement_modes", values::mode),
        hours_per_month: c
            .get("hours_per_month")
            .and_then(|cell| cells::number(&mut p, "hours_per_month", cell)),
        preferences: PreferencesInput {
            need_types: c.list("preferences.need_types", values::need_type).unwrap_or_default(),
            sectors: c.list("preferences.sectors", str::to_string).unwrap_or_default(),
        },
        channel: c.text("channel"),
        consent: consent(&mut p, c.get("consent.given"), version),
    };
    finish(p, id, status, input, c.get("id").is_some(), lookup, now)
}

/// The errors of a JSON line that could not be decoded.
pub fn line_errors(e: Error) -> Vec<FieldError> {
    match e {
        Error::Invalid(list) => list,
        other => vec![FieldError::new("line", other.to_string())],
    }
}

/// An expert row from one JSON line.
pub fn from_line(
    line: &str,
    defaults: &ExpertDefaults,
    lookup: &dyn TagLookup,
    now: DateTime<Utc>,
) -> Result<ExpertRow, Vec<FieldError>> {
    let parsed: ExpertLine = decode(line.as_bytes()).map_err(line_errors)?;
    let mut p = Problems::new();
    let id = parsed.id.as_deref().and_then(|raw| p.check("id", ExpertId::parse(raw)));
    let status = status(&mut p, parsed.status.as_deref(), defaults.status);
    let mut input = parsed.profile;
    if input.consent.is_none() {
        input.consent = defaults.consent_version.clone().map(|v| ConsentInput {
            given: Some(true),
            text_version: Some(v),
        });
    }
    finish(p, id, status, input, parsed.id.is_some(), lookup, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Taxonomy;

    fn taxonomy() -> Taxonomy {
        Taxonomy::build(crate::seed::concepts().unwrap()).unwrap()
    }

    fn cells(pairs: &[(&'static str, &str)]) -> Cells {
        let mut c = Cells::default();
        for (field, value) in pairs {
            c.set(field, value);
        }
        c
    }

    const GOOD: &[(&str, &str)] = &[
        ("name", "陈雨婷"),
        ("contact.email", "Chen@Example.de"),
        ("country", "德国"),
        ("city", "Munich"),
        ("timezone", "Europe/Berlin"),
        ("organisation", "TUM"),
        ("position", "研究员"),
        ("languages", "中文:母语；英语"),
        ("skills", "机器学习:4；自然语言处理"),
        ("engagement_modes", "远程、联合研发"),
        ("hours_per_month", "16"),
    ];

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_chinese_row_parses_into_the_profile_the_api_would_store() {
        let defaults = ExpertDefaults {
            status: None,
            consent_version: Some("2026-01".into()),
        };
        let row = from_cells(&cells(GOOD), &defaults, &taxonomy(), Utc::now()).unwrap();
        let p = &row.profile;
        assert_eq!(
            (p.contact.email.as_str(), p.country.as_str()),
            ("chen@example.de", "DE")
        );
        assert_eq!(p.skills[0].tag.as_str(), "ai.ml");
        assert_eq!(p.skills[1].level.get(), cells::DEFAULT_LEVEL as u8);
        assert_eq!(p.languages[1].proficiency.as_str(), cells::DEFAULT_PROFICIENCY);
        assert_eq!(row.consent.unwrap().text_version.as_str(), "2026-01");
        assert_eq!((row.id, row.status), (None, None));
    }

    #[test]
    fn every_bad_cell_of_a_row_is_reported_once() {
        let mut bad = GOOD.to_vec();
        bad.retain(|(f, _)| !matches!(*f, "country" | "skills" | "hours_per_month" | "city"));
        bad.extend([
            ("country", "Atlantis"),
            ("skills", "ml:high；不存在的技能"),
            ("hours_per_month", "many"),
        ]);
        let defaults = ExpertDefaults {
            status: None,
            consent_version: Some("v".into()),
        };
        let errors = from_cells(&cells(&bad), &defaults, &taxonomy(), Utc::now()).unwrap_err();
        let f = fields(&errors);
        for expected in ["skills[0].level", "hours_per_month", "city", "country", "skills[1].tag"] {
            assert_eq!(f.iter().filter(|x| **x == expected).count(), 1, "{expected} in {f:?}");
        }
    }

    #[test]
    fn a_new_expert_without_consent_is_rejected_but_an_update_by_id_is_not() {
        let defaults = ExpertDefaults::default();
        let errors = from_cells(&cells(GOOD), &defaults, &taxonomy(), Utc::now()).unwrap_err();
        assert_eq!(fields(&errors), vec!["consent.text_version"]);
        let mut with_id = GOOD.to_vec();
        with_id.push(("id", "ef53d48a-5218-4ea1-b45b-a2e11e1185d9"));
        assert!(from_cells(&cells(&with_id), &defaults, &taxonomy(), Utc::now()).is_ok());
    }

    #[test]
    fn a_consent_column_saying_no_is_refused() {
        let mut no = GOOD.to_vec();
        no.push(("consent.given", "否"));
        let defaults = ExpertDefaults {
            status: None,
            consent_version: Some("v".into()),
        };
        let errors = from_cells(&cells(&no), &defaults, &taxonomy(), Utc::now()).unwrap_err();
        assert_eq!(fields(&errors), vec!["consent.given"]);
    }

    #[test]
    fn a_json_line_takes_the_seed_shape_and_the_request_consent() {
        let line = crate::seed::EXPERTS.lines().next().unwrap();
        let defaults = ExpertDefaults {
            status: Some(ExpertStatus::Inactive),
            consent_version: Some("2026-01".into()),
        };
        let row = from_line(line, &defaults, &taxonomy(), Utc::now()).unwrap();
        assert_eq!(row.status, Some(ExpertStatus::Active), "the line's status wins");
        assert!(row.id.is_some());
        let errors = from_line("{\"profile\": 5}", &defaults, &taxonomy(), Utc::now()).unwrap_err();
        assert_eq!(errors[0].field, "profile");
        let errors = from_line("{not json", &defaults, &taxonomy(), Utc::now()).unwrap_err();
        assert_eq!(errors[0].field, "line");
    }
}
