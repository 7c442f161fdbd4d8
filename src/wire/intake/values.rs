//! Cell values as the base's spreadsheets write them, turned into the API's words: Chinese and
//! English names of statuses, modes, need types, languages, countries and time zones. A value not
//! in a table is passed on as written, for the API's own check to accept or report.

use crate::engine::taxonomy::normalize;

type Table = &'static [(&'static str, &'static str)];

const EXPERT_STATUS: Table = &[
    ("待审核", "pending_review"),
    ("pending", "pending_review"),
    ("审核中", "pending_review"),
    ("有效", "active"),
    ("已审核", "active"),
    ("活跃", "active"),
    ("正常", "active"),
    ("停用", "inactive"),
    ("无效", "inactive"),
];

const NEED_STATUS: Table = &[
    ("开放", "open"),
    ("进行中", "open"),
    ("征集中", "open"),
    ("暂停", "paused"),
    ("已满足", "filled"),
    ("已对接", "filled"),
    ("关闭", "closed"),
    ("已关闭", "closed"),
];

const MODES: Table = &[
    ("远程", "remote"),
    ("线上", "remote"),
    ("兼职", "part_time"),
    ("咨询", "consulting"),
    ("顾问", "consulting"),
    ("技术咨询", "consulting"),
    ("联合研究", "joint_research"),
    ("联合研发", "joint_research"),
    ("合作研发", "joint_research"),
    ("技术转移", "tech_transfer"),
    ("技术转让", "tech_transfer"),
    ("成果转化", "tech_transfer"),
    ("全职", "relocation"),
    ("全职引进", "relocation"),
    ("来华工作", "relocation"),
];

const NEED_TYPES: Table = &[
    ("联合研究", "joint_research"),
    ("联合研发", "joint_research"),
    ("合作研发", "joint_research"),
    ("技术转移", "tech_transfer"),
    ("技术转让", "tech_transfer"),
    ("成果转化", "tech_transfer"),
    ("人才引进", "talent_introduction"),
    ("引进人才", "talent_introduction"),
    ("咨询", "consulting"),
    ("技术咨询", "consulting"),
    ("培训", "training"),
    ("技术培训", "training"),
];

const URGENCY: Table = &[
    ("高", "high"),
    ("紧急", "high"),
    ("中", "medium"),
    ("一般", "medium"),
    ("低", "low"),
];

const PROFICIENCY: Table = &[
    ("母语", "native"),
    ("流利", "fluent"),
    ("熟练", "fluent"),
    ("精通", "fluent"),
    ("工作", "working"),
    ("工作语言", "working"),
    ("良好", "working"),
    ("基础", "basic"),
    ("一般", "basic"),
    ("入门", "basic"),
];

const LANGUAGES: Table = &[
    ("中文", "zh"),
    ("汉语", "zh"),
    ("普通话", "zh"),
    ("chinese", "zh"),
    ("mandarin", "zh"),
    ("英语", "en"),
    ("英文", "en"),
    ("english", "en"),
    ("法语", "fr"),
    ("法文", "fr"),
    ("french", "fr"),
    ("français", "fr"),
    ("德语", "de"),
    ("german", "de"),
    ("日语", "ja"),
    ("japanese", "ja"),
    ("韩语", "ko"),
    ("korean", "ko"),
    ("西班牙语", "es"),
    ("spanish", "es"),
    ("俄语", "ru"),
    ("russian", "ru"),
    ("意大利语", "it"),
    ("italian", "it"),
    ("葡萄牙语", "pt"),
    ("portuguese", "pt"),
    ("阿拉伯语", "ar"),
    ("arabic", "ar"),
];

const COUNTRIES: Table = &[
    ("中国", "CN"),
    ("china", "CN"),
    ("德国", "DE"),
    ("germany", "DE"),
    ("法国", "FR"),
    ("france", "FR"),
    ("英国", "GB"),
    ("united kingdom", "GB"),
    ("uk", "GB"),
    ("美国", "US"),
    ("united states", "US"),
    ("usa", "US"),
    ("加拿大", "CA"),
    ("canada", "CA"),
    ("澳大利亚", "AU"),
    ("australia", "AU"),
    ("日本", "JP"),
    ("japan", "JP"),
    ("韩国", "KR"),
    ("south korea", "KR"),
    ("新加坡", "SG"),
    ("singapore", "SG"),
    ("荷兰", "NL"),
    ("netherlands", "NL"),
    ("瑞士", "CH"),
    ("switzerland", "CH"),
    ("瑞典", "SE"),
    ("sweden", "SE"),
    ("意大利", "IT"),
    ("italy", "IT"),
    ("西班牙", "ES"),
    ("spain", "ES"),
    ("比利时", "BE"),
    ("belgium", "BE"),
    ("奥地利", "AT"),
    ("austria", "AT"),
    ("丹麦", "DK"),
    ("denmark", "DK"),
    ("芬兰", "FI"),
    ("finland", "FI"),
    ("挪威", "NO"),
    ("norway", "NO"),
    ("爱尔兰", "IE"),
    ("ireland", "IE"),
    ("以色列", "IL"),
    ("israel", "IL"),
    ("俄罗斯", "RU"),
    ("russia", "RU"),
    ("新西兰", "NZ"),
    ("new zealand", "NZ"),
    ("葡萄牙", "PT"),
    ("portugal", "PT"),
    ("波兰", "PL"),
    ("poland", "PL"),
];

const TIME_ZONES: Table = &[
    ("北京时间", "Asia/Shanghai"),
    ("中国标准时间", "Asia/Shanghai"),
    ("东八区", "Asia/Shanghai"),
];

const YES: &[&str] = &["yes", "y", "true", "1", "是", "同意", "已同意", "有", "✓", "√", "x"];
const NO: &[&str] = &["no", "n", "false", "0", "否", "不同意", "无"];

fn look(table: Table, raw: &str) -> Option<&'static str> {
    let key = normalize(raw);
    table.iter().find(|(k, _)| normalize(k) == key).map(|(_, v)| *v)
}

/// A vocabulary word: a synonym's word, or the value with spaces and hyphens as underscores
/// ("Part time" is `part_time`).
fn word(table: Table, raw: &str) -> String {
    look(table, raw).map_or_else(|| normalize(raw).replace(' ', "_"), str::to_string)
}

/// An expert status.
pub fn expert_status(raw: &str) -> String {
    word(EXPERT_STATUS, raw)
}

/// A need status.
pub fn need_status(raw: &str) -> String {
    word(NEED_STATUS, raw)
}

/// An engagement mode.
pub fn mode(raw: &str) -> String {
    word(MODES, raw)
}

/// A need type.
pub fn need_type(raw: &str) -> String {
    word(NEED_TYPES, raw)
}

/// An urgency.
pub fn urgency(raw: &str) -> String {
    word(URGENCY, raw)
}

/// A proficiency.
pub fn proficiency(raw: &str) -> String {
    word(PROFICIENCY, raw)
}

/// A language code, from a code or a language's name.
pub fn language(raw: &str) -> String {
    look(LANGUAGES, raw).map_or_else(|| raw.trim().to_string(), str::to_string)
}

/// A country code, from a code or a country's name.
pub fn country(raw: &str) -> String {
    look(COUNTRIES, raw).map_or_else(|| raw.trim().to_string(), str::to_string)
}

/// A time zone, from an IANA name or a common Chinese name.
pub fn time_zone(raw: &str) -> String {
    look(TIME_ZONES, raw).map_or_else(|| raw.trim().to_string(), str::to_string)
}

/// Yes or no, in English or Chinese.
pub fn yes_no(raw: &str) -> Result<bool, String> {
    let key = normalize(raw);
    if YES.contains(&key.as_str()) {
        Ok(true)
    } else if NO.contains(&key.as_str()) {
        Ok(false)
    } else {
        Err(format!("{raw:?} is not yes or no"))
    }
}

/// A date as spreadsheets write it (`2027-06-30`, `2027/6/30`, `2027.6.30`, `2027年6月30日`), in
/// the API's form `2027-06-30`; anything else as written.
pub fn date(raw: &str) -> String {
    let parts: Vec<&str> = raw
        .trim()
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .collect();
    match parts.as_slice() {
        [y, m, d]
            if [y, m, d]
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) =>
        {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        _ => raw.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_words_become_the_api_words() {
        assert_eq!(mode("远程"), "remote");
        assert_eq!(need_type("人才引进"), "talent_introduction");
        assert_eq!(proficiency("母语"), "native");
        assert_eq!(expert_status("待审核"), "pending_review");
        assert_eq!(urgency("高"), "high");
        assert_eq!(language("英语"), "en");
        assert_eq!(country("德国"), "DE");
        assert_eq!(time_zone("北京时间"), "Asia/Shanghai");
    }

    #[test]
    fn english_words_are_folded_to_the_api_spelling() {
        assert_eq!(mode("Part time"), "part_time");
        assert_eq!(mode("JOINT-RESEARCH"), "joint_research");
        assert_eq!(country("United Kingdom"), "GB");
        assert_eq!(language("French"), "fr");
    }

    #[test]
    fn unknown_values_pass_through_for_the_api_to_report() {
        assert_eq!(country("Atlantis"), "Atlantis");
        assert_eq!(mode("telepathy"), "telepathy");
    }

    #[test]
    fn yes_and_no_are_read_in_both_languages() {
        assert_eq!(yes_no("是"), Ok(true));
        assert_eq!(yes_no("No"), Ok(false));
        assert!(yes_no("maybe").is_err());
    }

    #[test]
    fn spreadsheet_dates_become_iso_dates() {
        assert_eq!(date("2027/6/30"), "2027-06-30");
        assert_eq!(date("2027年6月30日"), "2027-06-30");
        assert_eq!(date("2027-06-30"), "2027-06-30");
        assert_eq!(date("next year"), "next year");
    }
}
