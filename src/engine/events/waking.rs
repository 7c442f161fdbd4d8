//! Waking hours: whether a meeting falls inside a participant's local day, across daylight saving.
//!
//! A participant's window on a local day runs from the first instant their clock reads `hours.start`
//! to the first instant, after that, it reads `hours.end` (on the next day when `end <= start`).
//! "First instant" settles the days when clocks change: a wall time skipped by a spring-forward gap
//! is reached at the change itself, and a wall time repeated by a fall-back fold counts from its first
//! occurrence, when the participant's clock first shows it.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone as _, Utc};
use chrono_tz::Tz;

use crate::domain::WakingHours;

/// Whether the whole meeting `[start, end]` lies inside one local day's waking window in `zone`.
///
/// A meeting that ends before it starts is never within waking hours.
pub fn within_waking_hours(zone: Tz, hours: WakingHours, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    if end < start {
        return false;
    }
    let day = local_time(zone, start).date_naive();
    // A window that runs past midnight may have opened on the previous local day; a clock that
    // falls back across midnight may still read the day before a window it is already in.
    [day.pred_opt(), Some(day), day.succ_opt()]
        .into_iter()
        .flatten()
        .filter_map(|d| waking_window(zone, hours, d))
        .any(|(open, close)| open <= start && end <= close)
}

/// The instants at which the waking window of local day `day` in `zone` opens and closes.
///
/// `None` only at the edges of the representable calendar.
pub fn waking_window(zone: Tz, hours: WakingHours, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let close_day = if hours.end > hours.start { day } else { day.succ_opt()? };
    let open = first_instant_at(zone, day.and_time(hours.start))?;
    let close = first_instant_at(zone, close_day.and_time(hours.end))?;
    Some((open, close))
}

/// The first instant at which the wall clock of `zone` reads `local` or later.
///
/// A skipped wall time resolves to the clock change; a repeated one to its first occurrence.
pub fn first_instant_at(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => end_of_gap(zone, local),
    }
}

/// The clock change that skips `local`, found by bisection over whole seconds (changes fall on
/// whole seconds, and only one upward jump can step over a wall time that never occurs).
fn end_of_gap(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    // UTC offsets lie within ±15 h, so the change lies within 15 h of the wall time read as UTC.
    const REACH: i64 = 15 * 3600;
    let reads_at_least =
        |secs: i64| DateTime::from_timestamp(secs, 0).map(|t| t.with_timezone(&zone).naive_local() >= local);
    let naive_secs = local.and_utc().timestamp();
    let (mut before, mut after) = (naive_secs - REACH, naive_secs + REACH);
    if reads_at_least(before)? || !reads_at_least(after)? {
        return None;
    }
    while after - before > 1 {
        let mid = before + (after - before) / 2;
        if reads_at_least(mid)? {
            after = mid;
        } else {
            before = mid;
        }
    }
    DateTime::from_timestamp(after, 0)
}

/// The instant `t` as a wall time of `zone`, with the offset in force then.
pub fn local_time(zone: Tz, t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&zone)
}

/// The instant `t` as RFC 3339 in the wall time of `zone`, such as `2026-10-23T09:00:00+02:00`.
pub fn local_rfc3339(zone: Tz, t: DateTime<Utc>) -> String {
    local_time(zone, t).to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveTime};
    use chrono_tz::{Asia, Australia, Europe};
    use proptest::prelude::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    fn hours(start: (u32, u32), end: (u32, u32)) -> WakingHours {
        WakingHours {
            start: NaiveTime::from_hms_opt(start.0, start.1, 0).unwrap(),
            end: NaiveTime::from_hms_opt(end.0, end.1, 0).unwrap(),
        }
    }

    fn day() -> WakingHours {
        hours((8, 0), (22, 0))
    }

    #[test]
    fn fifteen_hundred_in_shanghai_is_nine_in_paris_before_the_october_change_and_eight_after() {
        assert_eq!(
            local_rfc3339(Europe::Paris, at("2026-10-23T15:00:00+08:00")),
            "2026-10-23T09:00:00+02:00"
        );
        assert_eq!(
            local_rfc3339(Europe::Paris, at("2026-10-26T15:00:00+08:00")),
            "2026-10-26T08:00:00+01:00"
        );
    }

    #[test]
    fn a_shanghai_afternoon_meeting_fits_paris_mornings_in_summer_time_only() {
        // 14:00-15:00 in Shanghai is 08:00-09:00 in Paris under CEST (UTC+2), 07:00-08:00 under CET.
        let october_before = (at("2026-10-23T14:00:00+08:00"), at("2026-10-23T15:00:00+08:00"));
        let october_after = (at("2026-10-26T14:00:00+08:00"), at("2026-10-26T15:00:00+08:00"));
        assert!(within_waking_hours(
            Europe::Paris,
            day(),
            october_before.0,
            october_before.1
        ));
        assert!(!within_waking_hours(
            Europe::Paris,
            day(),
            october_after.0,
            october_after.1
        ));

        let march_before = (at("2026-03-27T14:00:00+08:00"), at("2026-03-27T15:00:00+08:00"));
        let march_after = (at("2026-03-30T14:00:00+08:00"), at("2026-03-30T15:00:00+08:00"));
        assert!(!within_waking_hours(
            Europe::Paris,
            day(),
            march_before.0,
            march_before.1
        ));
        assert!(within_waking_hours(Europe::Paris, day(), march_after.0, march_after.1));

        for (start, end) in [october_before, october_after, march_before, march_after] {
            assert!(within_waking_hours(Asia::Shanghai, day(), start, end));
        }
    }

    #[test]
    fn a_meeting_must_fit_inside_one_window_not_straddle_its_edge() {
        let tz = Asia::Shanghai;
        assert!(within_waking_hours(
            tz,
            day(),
            at("2026-05-04T08:00:00+08:00"),
            at("2026-05-04T22:00:00+08:00")
        ));
        assert!(!within_waking_hours(
            tz,
            day(),
            at("2026-05-04T07:30:00+08:00"),
            at("2026-05-04T08:30:00+08:00")
        ));
        assert!(!within_waking_hours(
            tz,
            day(),
            at("2026-05-04T21:30:00+08:00"),
            at("2026-05-04T22:30:00+08:00")
        ));
        // Spanning two days' windows across the night is not one window.
        assert!(!within_waking_hours(
            tz,
            day(),
            at("2026-05-04T21:00:00+08:00"),
            at("2026-05-05T09:00:00+08:00")
        ));
    }

    #[test]
    fn a_meeting_that_ends_before_it_starts_is_never_within() {
        let start = at("2026-05-04T10:00:00+08:00");
        assert!(!within_waking_hours(
            Asia::Shanghai,
            day(),
            start,
            start - Duration::minutes(1)
        ));
    }

    #[test]
    fn a_night_window_runs_past_midnight_from_either_day() {
        let night = hours((20, 0), (2, 0));
        let tz = Asia::Shanghai;
        assert!(within_waking_hours(
            tz,
            night,
            at("2026-05-04T23:30:00+08:00"),
            at("2026-05-05T01:30:00+08:00")
        ));
        assert!(within_waking_hours(
            tz,
            night,
            at("2026-05-05T00:30:00+08:00"),
            at("2026-05-05T02:00:00+08:00")
        ));
        assert!(!within_waking_hours(
            tz,
            night,
            at("2026-05-05T01:30:00+08:00"),
            at("2026-05-05T02:30:00+08:00")
        ));
        assert!(!within_waking_hours(
            tz,
            night,
            at("2026-05-05T12:00:00+08:00"),
            at("2026-05-05T13:00:00+08:00")
        ));
    }

    #[test]
    fn equal_start_and_end_hours_make_a_whole_day_window() {
        let all_day = hours((6, 0), (6, 0));
        let tz = Europe::Paris;
        assert!(within_waking_hours(
            tz,
            all_day,
            at("2026-05-04T06:00:00+02:00"),
            at("2026-05-05T06:00:00+02:00")
        ));
        assert!(!within_waking_hours(
            tz,
            all_day,
            at("2026-05-04T05:00:00+02:00"),
            at("2026-05-04T07:00:00+02:00")
        ));
    }

    #[test]
    fn a_window_edge_skipped_by_spring_forward_opens_at_the_change() {
        // Paris jumps from 02:00 CET to 03:00 CEST at 01:00 UTC on 2026-03-29; 02:30 never occurs.
        let change = at("2026-03-29T01:00:00Z");
        let local = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(first_instant_at(Europe::Paris, local), Some(change));
        let early = hours((2, 30), (12, 0));
        assert!(within_waking_hours(
            Europe::Paris,
            early,
            change,
            change + Duration::hours(1)
        ));
        assert!(!within_waking_hours(
            Europe::Paris,
            early,
            change - Duration::minutes(1),
            change
        ));
    }

    #[test]
    fn a_window_edge_repeated_by_fall_back_counts_from_its_first_occurrence() {
        // Paris reads 02:00-03:00 twice on 2026-10-25: from 00:00 UTC (CEST) and from 01:00 UTC (CET).
        let night = hours((20, 0), (2, 30));
        let local = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(first_instant_at(Europe::Paris, local), Some(at("2026-10-25T00:30:00Z")));
        assert!(within_waking_hours(
            Europe::Paris,
            night,
            at("2026-10-24T23:30:00Z"),
            at("2026-10-25T00:30:00Z")
        ));
        assert!(!within_waking_hours(
            Europe::Paris,
            night,
            at("2026-10-25T01:00:00Z"),
            at("2026-10-25T01:20:00Z")
        ));
    }

    #[test]
    fn sydney_changes_clocks_in_the_other_direction_in_april() {
        // Sydney leaves AEDT (UTC+11) for AEST (UTC+10) on 2026-04-05: 21:30 UTC is 08:30, then 07:30.
        let (start, end) = (at("2026-04-03T21:30:00Z"), at("2026-04-03T22:00:00Z"));
        assert!(within_waking_hours(Australia::Sydney, day(), start, end));
        let (start, end) = (at("2026-04-06T21:30:00Z"), at("2026-04-06T22:00:00Z"));
        assert!(!within_waking_hours(Australia::Sydney, day(), start, end));
    }

    const ZONES: [Tz; 6] = [
        Tz::Asia__Shanghai,
        Tz::Europe__Paris,
        Tz::Europe__London,
        Tz::America__New_York,
        Tz::Australia__Sydney,
        Tz::Asia__Kolkata,
    ];

    /// The rule restated on wall clocks: both ends read inside the window of one local day. It agrees
    /// with the instant-based definition whenever no clock change lands on a window edge, which holds
    /// for edges from 04:00 on in these zones (their changes happen between 01:00 and 03:00).
    fn both_ends_read_inside_one_window(
        zone: Tz,
        hours: WakingHours,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> bool {
        let (first, last) = (
            start.with_timezone(&zone).naive_local(),
            end.with_timezone(&zone).naive_local(),
        );
        let night = hours.end <= hours.start;
        (-1..=0).any(|shift| {
            let open_day = first.date() + Duration::days(shift);
            let open = open_day.and_time(hours.start);
            let close = (open_day + Duration::days(i64::from(night))).and_time(hours.end);
            open <= first && first <= close && open <= last && last <= close
        })
    }

    /// Clock changes of 2026 in these zones, in minutes since the epoch.
    fn changes_2026() -> Vec<i64> {
        [
            "2026-03-08T07:00:00Z", // New York
            "2026-03-29T01:00:00Z", // Paris, London
            "2026-04-04T16:00:00Z", // Sydney
            "2026-10-03T16:00:00Z", // Sydney
            "2026-10-25T01:00:00Z", // Paris, London
            "2026-11-01T06:00:00Z", // New York
        ]
        .iter()
        .map(|t| at(t).timestamp() / 60)
        .collect()
    }

    fn start_minutes() -> impl Strategy<Value = i64> {
        // Uniform over 2000-2040, or within two days of a clock change.
        prop_oneof![
            15_778_080i64..36_816_480,
            (0..6usize, -2880i64..2880).prop_map(|(i, shift)| changes_2026()[i] + shift),
        ]
    }

    proptest! {
        #[test]
        fn within_waking_hours_means_both_ends_read_inside_one_local_window(
            zone in 0..ZONES.len(),
            start_minute in start_minutes(),
            length in 0i64..(20 * 60),
            open in (4 * 60u32)..(24 * 60),
            close in (4 * 60u32)..(24 * 60),
        ) {
            let zone = ZONES[zone];
            let hours = hours((open / 60, open % 60), (close / 60, close % 60));
            let start = DateTime::from_timestamp(start_minute * 60, 0).unwrap();
            let end = start + Duration::minutes(length);
            prop_assert_eq!(
                within_waking_hours(zone, hours, start, end),
                both_ends_read_inside_one_window(zone, hours, start, end),
                "{} {:?} {} {}", zone, hours, local_rfc3339(zone, start), local_rfc3339(zone, end)
            );
        }
    }
}
