//! The cells of one spreadsheet row by field, and the lists written inside one cell: skills as
//! `tag` or `tag:level`, need skills as `tag:weight[:must]`, languages as `code:proficiency`,
//! indicators as `name=target`, separated by `;`, `、`, `，`, `；`, `|` or line breaks (or by commas
//! in a cell without any of those).

use std::collections::BTreeMap;

use super::values;
use crate::domain::Problems;
use crate::wire::{IndicatorInput, LanguageInput, NeedSkillInput, SkillInput};

/// The level of a skill written without one: 3 of 5, a working command of it.
pub const DEFAULT_LEVEL: i64 = 3;
/// The weight of a need skill written without one: 3 of 5.
pub const DEFAULT_WEIGHT: i64 = 3;
/// The proficiency of a language written without one.
pub const DEFAULT_PROFICIENCY: &str = "working";

const MUST: &[&str] = &["must", "must have", "required", "必须", "必需", "必备", "硬性"];
const OPTIONAL: &[&str] = &["optional", "nice to have", "可选", "加分"];

/// The non-empty cells of one row, by field.
#[derive(Debug, Default, Clone)]
pub struct Cells(BTreeMap<&'static str, String>);

impl Cells {
    /// Sets a field's cell; blank cells are left out.
    pub fn set(&mut self, field: &'static str, raw: &str) {
        let v = raw.trim();
        if !v.is_empty() {
            self.0.insert(field, v.to_string());
        }
    }

    /// A field's cell, if not blank.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// A field's cell, owned.
    pub fn text(&self, field: &str) -> Option<String> {
        self.get(field).map(str::to_string)
    }

    /// A field's cell split into a list, each entry through `map`.
    pub fn list(&self, field: &str, map: fn(&str) -> String) -> Option<Vec<String>> {
        self.get(field).map(|c| split(c).into_iter().map(map).collect())
    }
}

/// Separators of list entries; a plain comma separates only in a cell that has none of them, as
/// labels such as "carbon capture, utilisation and storage" hold commas.
const SEPARATORS: [char; 6] = [';', '；', '、', '，', '|', '\n'];

/// The entries of a list cell.
pub fn split(cell: &str) -> Vec<&str> {
    let parts: Vec<&str> = if cell.contains(SEPARATORS) {
        cell.split(SEPARATORS).collect()
    } else {
        cell.split(',').collect()
    };
    parts.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect()
}

fn parts(entry: &str) -> Vec<&str> {
    entry.split([':', '：']).map(str::trim).collect()
}

fn int(p: &mut Problems, field: &str, raw: &str) -> Option<i64> {
    let n = raw.trim().strip_suffix(".0").unwrap_or(raw.trim());
    p.check(field, n.parse().map_err(|_| format!("{raw:?} is not a whole number")))
}

/// A whole number cell, such as hours per month.
pub fn number(p: &mut Problems, field: &str, raw: &str) -> Option<i64> {
    int(p, field, raw)
}

/// Expert skills: `tag` (level 3) or `tag:level`.
pub fn skills(p: &mut Problems, cell: &str) -> Vec<SkillInput> {
    split(cell)
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let (tag, level) = match parts(entry).as_slice() {
                [tag] => (tag.to_string(), Some(DEFAULT_LEVEL)),
                [tag, level] => (tag.to_string(), int(p, &format!("skills[{i}].level"), level)),
                _ => {
                    p.push(
                        format!("skills[{i}]"),
                        format!("{entry:?}: write a skill as tag or tag:level"),
                    );
                    (entry.to_string(), Some(DEFAULT_LEVEL))
                }
            };
            SkillInput {
                tag: Some(tag),
                level,
                evidence: Vec::new(),
            }
        })
        .collect()
}

fn must(p: &mut Problems, field: &str, raw: &str) -> bool {
    let key = crate::engine::taxonomy::normalize(raw);
    if MUST.contains(&key.as_str()) {
        true
    } else if OPTIONAL.contains(&key.as_str()) {
        false
    } else {
        values::yes_no(raw).unwrap_or_else(|_| {
            p.push(field, format!("{raw:?} is not must or optional"));
            false
        })
    }
}

/// Need skills: `tag`, `tag:weight`, `tag:must` or `tag:weight:must` (weight 3 when not given).
pub fn need_skills(p: &mut Problems, cell: &str) -> Vec<NeedSkillInput> {
    split(cell)
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let weight_field = format!("skills[{i}].weight");
            let must_field = format!("skills[{i}].must_have");
            let (tag, weight, must_have) = match parts(entry).as_slice() {
                [tag] => (tag.to_string(), Some(DEFAULT_WEIGHT), false),
                [tag, second] if second.parse::<i64>().is_err() && !second.is_empty() => {
                    (tag.to_string(), Some(DEFAULT_WEIGHT), must(p, &must_field, second))
                }
                [tag, weight] => (tag.to_string(), int(p, &weight_field, weight), false),
                [tag, weight, flag] => (
                    tag.to_string(),
                    int(p, &weight_field, weight),
                    must(p, &must_field, flag),
                ),
                _ => {
                    p.push(
                        format!("skills[{i}]"),
                        format!("{entry:?}: write a skill as tag:weight:must"),
                    );
                    (entry.to_string(), Some(DEFAULT_WEIGHT), false)
                }
            };
            NeedSkillInput {
                tag: Some(tag),
                weight,
                must_have,
            }
        })
        .collect()
}

/// Languages spoken: `code` or a language's name, optionally `:proficiency` (working when not given).
pub fn languages(cell: &str) -> Vec<LanguageInput> {
    split(cell)
        .into_iter()
        .map(|entry| {
            let (code, level) = match entry.split_once([':', '：']) {
                Some((code, level)) => (code, values::proficiency(level)),
                None => (entry, DEFAULT_PROFICIENCY.to_string()),
            };
            LanguageInput {
                code: Some(values::language(code)),
                proficiency: Some(level),
            }
        })
        .collect()
}

/// Indicators: `name=target` (or `name:target`).
pub fn indicators(p: &mut Problems, cell: &str) -> Vec<IndicatorInput> {
    split(cell)
        .into_iter()
        .enumerate()
        .map(|(i, entry)| match entry.split_once(['=', ':', '：']) {
            Some((name, target)) => IndicatorInput {
                name: Some(name.trim().to_string()),
                target: Some(target.trim().to_string()),
            },
            None => {
                p.push(
                    format!("indicators[{i}]"),
                    format!("{entry:?}: write an indicator as name=target"),
                );
                IndicatorInput {
                    name: Some(entry.to_string()),
                    target: Some("?".into()),
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_cells_split_on_english_and_chinese_separators() {
        assert_eq!(
            split("机器学习；NLP、固态电池， ai;"),
            vec!["机器学习", "NLP", "固态电池", "ai"]
        );
        assert_eq!(split("remote, consulting"), vec!["remote", "consulting"]);
    }

    #[test]
    fn a_comma_inside_a_label_is_kept_when_another_separator_is_used() {
        assert_eq!(
            split("carbon capture, utilisation and storage:4; ai:3"),
            vec!["carbon capture, utilisation and storage:4", "ai:3"]
        );
    }

    #[test]
    fn a_skill_without_a_level_gets_the_default_level() {
        let mut p = Problems::new();
        let s = skills(&mut p, "machine learning:5; 固态电池");
        assert_eq!((s[0].tag.as_deref(), s[0].level), (Some("machine learning"), Some(5)));
        assert_eq!(s[1].level, Some(DEFAULT_LEVEL));
        assert!(p.is_empty());
    }

    #[test]
    fn a_level_that_is_no_number_names_its_skill() {
        let mut p = Problems::new();
        skills(&mut p, "ml:4;nlp：high");
        let err = p.finish(|| Some(())).unwrap_err();
        match err {
            crate::Error::Invalid(list) => assert_eq!(list[0].field, "skills[1].level"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn need_skills_take_weight_and_must_in_either_language() {
        let mut p = Problems::new();
        let s = need_skills(&mut p, "ai.ml:5:must；NLP:2、海洋腐蚀:必须");
        assert_eq!((s[0].weight, s[0].must_have), (Some(5), true));
        assert_eq!((s[1].weight, s[1].must_have), (Some(2), false));
        assert_eq!((s[2].weight, s[2].must_have), (Some(DEFAULT_WEIGHT), true));
        assert!(p.is_empty());
    }

    #[test]
    fn languages_take_names_and_proficiencies() {
        let l = languages("中文:母语; en:fluent; 法语");
        let got: Vec<(String, String)> = l
            .into_iter()
            .map(|l| (l.code.unwrap(), l.proficiency.unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("zh".into(), "native".into()),
                ("en".into(), "fluent".into()),
                ("fr".into(), DEFAULT_PROFICIENCY.into())
            ]
        );
    }

    #[test]
    fn indicators_are_name_equals_target() {
        let mut p = Problems::new();
        let i = indicators(&mut p, "defect recall=99%; 成本：降低20%");
        assert_eq!(i[1].name.as_deref(), Some("成本"));
        assert_eq!(i[1].target.as_deref(), Some("降低20%"));
        assert!(p.is_empty());
    }
}
