//! iCalendar (RFC 5545) files of meetings, built with the `icalendar` crate.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

/// The `PRODID` of the files talentbridge writes.
pub const PRODID: &str = "-//talentbridge//events//EN";

/// The longest content line RFC 5545 §3.1 allows, in octets, without its CRLF.
const LINE_OCTETS: usize = 75;

/// One meeting as a calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    /// Globally unique and stable, so that a re-import updates the event instead of adding one.
    pub uid: String,
    /// Start instant.
    pub start: DateTime<Utc>,
    /// End instant.
    pub end: DateTime<Utc>,
    /// The title shown in the calendar.
    pub summary: String,
    /// The body of the event.
    pub description: String,
    /// Where it takes place, when anywhere.
    pub location: Option<String>,
}

/// A `VCALENDAR` named `name` with one `VEVENT` per entry, stamped now.
pub fn calendar(name: &str, entries: &[CalendarEntry]) -> String {
    calendar_stamped(name, entries, Utc::now())
}

/// A `VCALENDAR` named `name` with one `VEVENT` per entry, each with `DTSTAMP` `stamp`.
///
/// Times are written in UTC (`20261023T060000Z`); text is escaped, stripped of control characters
/// other than tab and newline, and lines end in CRLF and are folded at 75 octets.
pub fn calendar_stamped(name: &str, entries: &[CalendarEntry], stamp: DateTime<Utc>) -> String {
    let name = clean(name);
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("PRODID", PRODID))
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        // The crate writes NAME (RFC 7986) without escaping its text; X-WR-CALNAME it escapes.
        .append_property(Property::new("NAME", escape_text(&name)))
        .append_property(Property::new("X-WR-CALNAME", &name));
    for entry in entries {
        let mut event = Event::new();
        event
            .uid(&clean(&entry.uid))
            .timestamp(stamp)
            .starts(entry.start)
            .ends(entry.end)
            .summary(&clean(&entry.summary))
            .description(&clean(&entry.description));
        if let Some(location) = &entry.location {
            event.location(&clean(location));
        }
        cal.push(event.done());
    }
    refold(&cal.done().to_string())
}

/// Text with line breaks as `\n` and without the control characters RFC 5545 forbids in TEXT.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// RFC 5545 §3.3.11 TEXT escaping, for the one property the crate leaves alone.
fn escape_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds every content line at 75 octets on character boundaries. The crate folds too, but lets the
/// last piece of a long line reach 76 octets with its leading space, so its folding is undone first.
fn refold(ics: &str) -> String {
    let mut out = String::with_capacity(ics.len() + ics.len() / LINE_OCTETS * 3);
    for line in ics.replace("\r\n ", "").split_terminator("\r\n") {
        let mut room = LINE_OCTETS;
        for c in line.chars() {
            if c.len_utf8() > room {
                out.push_str("\r\n ");
                room = LINE_OCTETS - 1;
            }
            out.push(c);
            room -= c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    fn entry(uid: &str, summary: &str) -> CalendarEntry {
        CalendarEntry {
            uid: uid.into(),
            start: at("2026-10-23T14:00:00+08:00"),
            end: at("2026-10-23T14:30:00+08:00"),
            summary: summary.into(),
            description: "Need: 海洋传感器, Expert: Dr. Martin; room 2\nBring slides".into(),
            location: Some("Online; link in mail".into()),
        }
    }

    fn unfold(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split_terminator("\r\n")
            .map(String::from)
            .collect()
    }

    fn value<'a>(lines: &'a [String], key: &str) -> Vec<&'a str> {
        lines
            .iter()
            .filter_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
            .collect()
    }

    fn unescape(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        }
        out
    }

    fn stamp() -> DateTime<Utc> {
        at("2026-10-01T00:00:00Z")
    }

    #[test]
    fn every_entry_is_one_vevent_with_its_uid_and_utc_times() {
        let entries = [entry("m-1@talentbridge", "A"), entry("m-2@talentbridge", "B")];
        let ics = calendar_stamped("Event", &entries, stamp());
        let lines = unfold(&ics);
        assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
        assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
        assert_eq!(value(&lines, "PRODID"), [PRODID]);
        assert_eq!(value(&lines, "VERSION"), ["2.0"]);
        assert_eq!(value(&lines, "BEGIN"), ["VCALENDAR", "VEVENT", "VEVENT"]);
        assert_eq!(value(&lines, "UID"), ["m-1@talentbridge", "m-2@talentbridge"]);
        assert_eq!(value(&lines, "DTSTART"), ["20261023T060000Z"; 2]);
        assert_eq!(value(&lines, "DTEND"), ["20261023T063000Z"; 2]);
        assert_eq!(value(&lines, "DTSTAMP"), ["20261001T000000Z"; 2]);
    }

    #[test]
    fn lines_end_in_crlf_and_fold_at_75_octets_even_in_chinese() {
        let summary = "与海洋传感器企业的技术对接会议，讨论深海压力传感器的封装、标定和长期漂移问题".repeat(3);
        let ics = calendar_stamped(&"长名称".repeat(40), &[entry("m-1", &summary)], stamp());
        assert!(ics.ends_with("\r\n"));
        assert!(!ics.replace("\r\n", "").contains(['\r', '\n']), "a bare CR or LF");
        for line in ics.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let lines = unfold(&ics);
        assert_eq!(
            value(&lines, "SUMMARY").iter().map(|s| unescape(s)).collect::<Vec<_>>(),
            [summary]
        );
    }

    #[test]
    fn refolding_keeps_the_last_piece_of_a_150_octet_line_within_75_octets() {
        // icalendar 0.17.17 folds this line into 75 octets and then a space plus 75 octets.
        let line = format!("SUMMARY:{}", "x".repeat(75 + 75 - 8));
        let folded = refold(&format!("{line}\r\n"));
        assert!(folded.split_terminator("\r\n").all(|l| l.len() <= 75));
        assert_eq!(unfold(&folded), [line]);
    }

    #[test]
    fn commas_semicolons_backslashes_and_newlines_are_escaped_and_read_back() {
        let mut e = entry("m-1", "Dr. Martin, 李娜; C:\\data\r\nsecond line");
        e.location = None;
        let ics = calendar_stamped("Salon, Paris; 2026", &[e.clone()], stamp());
        let lines = unfold(&ics);
        let summary = value(&lines, "SUMMARY")[0];
        assert_eq!(summary, "Dr. Martin\\, 李娜\\; C:\\\\data\\nsecond line");
        assert_eq!(unescape(summary), "Dr. Martin, 李娜; C:\\data\nsecond line");
        assert_eq!(unescape(value(&lines, "DESCRIPTION")[0]), e.description);
        assert_eq!(value(&lines, "NAME"), ["Salon\\, Paris\\; 2026"]);
        assert_eq!(value(&lines, "X-WR-CALNAME"), ["Salon\\, Paris\\; 2026"]);
        assert!(value(&lines, "LOCATION").is_empty());
    }

    #[test]
    fn a_location_is_written_when_given() {
        let ics = calendar_stamped("Event", &[entry("m-1", "A")], stamp());
        assert_eq!(value(&unfold(&ics), "LOCATION"), ["Online\\; link in mail"]);
    }

    #[test]
    fn control_characters_are_dropped() {
        let ics = calendar_stamped("Event", &[entry("m-1", "a\u{0}b\u{7}c\td")], stamp());
        assert_eq!(value(&unfold(&ics), "SUMMARY"), ["abc\td"]);
    }

    #[test]
    fn no_entries_give_an_empty_calendar() {
        let ics = calendar("Event", &[]);
        assert!(!ics.contains("BEGIN:VEVENT"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    }
}
