//! From a file's header to fields: the default headers of `fields.rs`, overridden by an explicit
//! mapping `{"Column header": "field"}` (a field name, a known header, or "" to ignore the column).

use std::collections::BTreeMap;

use super::fields::FieldSpec;
use crate::domain::Problems;
use crate::engine::intake::without_asides;
use crate::engine::taxonomy::normalize;
use crate::error::Result;

/// The key headers are compared by: case, width, punctuation, spacing and bracketed asides such as
/// `(必填)` do not matter.
pub fn header_key(raw: &str) -> String {
    normalize(&without_asides(raw))
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn field_for(key: &str, fields: &[FieldSpec]) -> Option<&'static str> {
    fields
        .iter()
        .find(|f| header_key(f.name) == key || f.headers.iter().any(|h| header_key(h) == key))
        .map(|f| f.name)
}

fn is_ignore(target: Option<&str>) -> bool {
    target.is_none_or(|t| matches!(t.trim(), "" | "-" | "ignore"))
}

/// The field of each column, or None for a column left out; 422 naming every problem of the header
/// and the mapping (a mapped header that is not in the file, an unknown field, two columns for one
/// field, a required field without a column).
pub fn resolve(
    headers: &[String],
    fields: &[FieldSpec],
    mapping: &BTreeMap<String, Option<String>>,
) -> Result<Vec<Option<&'static str>>> {
    let mut p = Problems::new();
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let mut columns: Vec<Option<&'static str>> = keys.iter().map(|k| field_for(k, fields)).collect();
    for (header, target) in mapping {
        let at = headers
            .iter()
            .position(|h| h.trim() == header.trim())
            .or_else(|| keys.iter().position(|k| *k == header_key(header)));
        let Some(at) = at else {
            p.push(
                format!("mapping[{header:?}]"),
                format!("no column {header:?} in the header ({})", headers.join(", ")),
            );
            continue;
        };
        columns[at] = match target.as_deref() {
            t if is_ignore(t) => None,
            Some(t) => match fields.iter().find(|f| f.name == t.trim()).map(|f| f.name) {
                Some(name) => Some(name),
                None => field_for(&header_key(t), fields).or_else(|| {
                    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
                    p.push(
                        format!("mapping[{header:?}]"),
                        format!("unknown field {t:?}; fields are {}", names.join(", ")),
                    );
                    None
                }),
            },
            None => None,
        };
    }
    for field in fields {
        let at: Vec<usize> = (0..columns.len()).filter(|&i| columns[i] == Some(field.name)).collect();
        if at.len() > 1 {
            let names: Vec<String> = at.iter().map(|&i| format!("{:?}", headers[i])).collect();
            p.push(
                "header",
                format!(
                    "columns {} all fill {}; map all but one to \"\" to leave them out",
                    names.join(" and "),
                    field.name
                ),
            );
        } else if at.is_empty() && field.required {
            p.push(
                "header",
                format!(
                    "no column for {} (a header such as {}, or a mapping)",
                    field.name,
                    field.headers.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
    p.finish(|| Some(columns))
}

#[cfg(test)]
mod tests {
    use super::super::fields::{EXPERT_FIELDS, NEED_FIELDS};
    use super::*;
    use crate::error::Error;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    const ZH: &[&str] = &[
        "姓名",
        "邮箱",
        "国家",
        "城市",
        "时区",
        "单位",
        "职称",
        "语言",
        "技能",
        "合作方式",
        "每月小时",
        "备注",
    ];

    fn messages(err: Error) -> Vec<String> {
        match err {
            Error::Invalid(list) => list
                .into_iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn chinese_headers_map_to_fields_without_a_mapping() {
        let columns = resolve(&strings(ZH), EXPERT_FIELDS, &BTreeMap::new()).unwrap();
        assert_eq!(columns[0], Some("name"));
        assert_eq!(columns[1], Some("contact.email"));
        assert_eq!(columns[5], Some("organisation"));
        assert_eq!(columns[11], None, "an unknown header is left out");
    }

    #[test]
    fn english_headers_match_in_any_case_and_spelling() {
        let headers = strings(&[
            "Full Name",
            "E-Mail",
            "Country",
            "City",
            "Time_Zone",
            "Organization",
            "Job title",
            "Languages",
            "Skills",
            "Engagement modes",
            "Hours per month (h)",
        ]);
        let columns = resolve(&headers, EXPERT_FIELDS, &BTreeMap::new()).unwrap();
        assert_eq!(columns[4], Some("timezone"));
        assert_eq!(columns[10], Some("hours_per_month"));
    }

    #[test]
    fn an_explicit_mapping_overrides_the_default_and_can_leave_columns_out() {
        let mut headers = strings(ZH);
        headers.push("Wohnort".into());
        let mapping = BTreeMap::from([
            ("Wohnort".to_string(), Some("city".to_string())),
            ("城市".to_string(), Some(String::new())),
            ("备注".to_string(), Some("邮箱".to_string())),
            ("邮箱".to_string(), None),
        ]);
        let columns = resolve(&headers, EXPERT_FIELDS, &mapping).unwrap();
        assert_eq!(columns[12], Some("city"));
        assert_eq!(columns[3], None);
        assert_eq!(columns[11], Some("contact.email"), "a known header names its field");
        assert_eq!(columns[1], None);
    }

    #[test]
    fn two_columns_for_one_field_are_refused() {
        let mut headers = strings(ZH);
        headers.push("机构".into());
        let err = messages(resolve(&headers, EXPERT_FIELDS, &BTreeMap::new()).unwrap_err());
        assert!(
            err[0].contains("\"单位\" and \"机构\" all fill organisation"),
            "{err:?}"
        );
    }

    #[test]
    fn missing_required_columns_and_bad_mappings_are_all_reported() {
        let headers = strings(&["姓名", "邮箱"]);
        let mapping = BTreeMap::from([
            ("Nope".to_string(), Some("name".to_string())),
            ("姓名".to_string(), Some("shoe_size".to_string())),
        ]);
        let err = messages(resolve(&headers, EXPERT_FIELDS, &mapping).unwrap_err());
        assert!(
            err.iter().any(|e| e.starts_with("mapping[\"Nope\"]: no column")),
            "{err:?}"
        );
        assert!(err.iter().any(|e| e.contains("unknown field \"shoe_size\"")), "{err:?}");
        assert!(err.iter().any(|e| e.contains("no column for country")), "{err:?}");
    }

    #[test]
    fn need_headers_in_chinese_map_to_need_fields() {
        let headers = strings(&[
            "企业名称",
            "园区",
            "联系人",
            "需求标题",
            "需求描述",
            "需求类型",
            "技能",
            "合作方式",
            "紧急程度",
            "截止日期",
        ]);
        let columns = resolve(&headers, NEED_FIELDS, &BTreeMap::new()).unwrap();
        assert_eq!(columns[0], Some("enterprise.name"));
        assert_eq!(columns[2], Some("enterprise.contact.name"));
        assert_eq!(columns[9], Some("deadline"));
    }
}
