//! Slot windows where the most participants of an online event are awake.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::waking::{first_instant_at, within_waking_hours};
use crate::domain::WakingHours;

/// The most days searched; later days of a longer range are ignored.
pub const MAX_DAYS: u64 = 31;

/// The most candidate windows scored (31 days at 10-minute steps); later ones are ignored.
pub const MAX_CANDIDATES: usize = 31 * 24 * 6;

/// A candidate window: how many are awake, its start and its end.
type Scored = (usize, DateTime<Utc>, DateTime<Utc>);

/// A suggestion of the slot windows with the largest overlap of waking hours for the participants of
/// an online event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowSuggestion {
    /// Start instant.
    pub start: DateTime<Utc>,
    /// End instant.
    pub end: DateTime<Utc>,
    /// Participants awake for the whole window.
    pub awake: usize,
    /// All participants.
    pub total: usize,
    /// Indices, into the participants' zones, of those not awake for the whole window.
    pub asleep: Vec<usize>,
}

/// Up to `count` non-overlapping windows of `duration`, starting every `step` from local midnight of
/// `from` and ending by the end of `to` in `event_zone`, where the most participants are within
/// `hours`; best first (most awake, then earliest).
///
/// Empty when there is nothing sensible to search: no participants, `count` 0, `to` before `from`, or a
/// `step` or `duration` that is not positive.
#[allow(clippy::too_many_arguments)]
pub fn suggest_windows(
    participants: &[Tz],
    hours: WakingHours,
    event_zone: Tz,
    from: NaiveDate,
    to: NaiveDate,
    duration: Duration,
    step: Duration,
    count: usize,
) -> Vec<WindowSuggestion> {
    if participants.is_empty() || count == 0 || to < from || step <= Duration::zero() || duration <= Duration::zero() {
        return Vec::new();
    }
    let last = from
        .checked_add_days(chrono::Days::new(MAX_DAYS - 1))
        .map_or(to, |cap| cap.min(to));
    let midnight = |day: NaiveDate| first_instant_at(event_zone, day.and_time(NaiveTime::MIN));
    let (Some(first_start), Some(range_end)) = (midnight(from), last.succ_opt().and_then(midnight)) else {
        return Vec::new();
    };

    let zones = distinct_zones(participants);
    let awake_at = |start: DateTime<Utc>, end: DateTime<Utc>| -> usize {
        zones
            .iter()
            .filter(|(zone, _)| within_waking_hours(*zone, hours, start, end))
            .map(|(_, people)| people)
            .sum()
    };
    let mut candidates: Vec<Scored> = std::iter::successors(Some(first_start), |start| start.checked_add_signed(step))
        .map_while(|start| Some((start, start.checked_add_signed(duration)?)))
        .take_while(|(_, end)| *end <= range_end)
        .take(MAX_CANDIDATES)
        .map(|(start, end)| (awake_at(start, end), start, end))
        .collect();
    // Most awake first; equal scores by the earlier start, so suggestions are reproducible.
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));

    let mut chosen: Vec<Scored> = Vec::new();
    for candidate in candidates {
        if chosen.len() == count {
            break;
        }
        let (_, start, end) = candidate;
        if chosen.iter().all(|(_, s, e)| end <= *s || *e <= start) {
            chosen.push(candidate);
        }
    }
    chosen
        .into_iter()
        .map(|(awake, start, end)| WindowSuggestion {
            start,
            end,
            awake,
            total: participants.len(),
            asleep: (0..participants.len())
                .filter(|&i| !within_waking_hours(participants[i], hours, start, end))
                .collect(),
        })
        .collect()
}

/// Each zone once, with how many participants sit in it: many participants share a few zones.
fn distinct_zones(participants: &[Tz]) -> Vec<(Tz, usize)> {
    let mut zones: Vec<(Tz, usize)> = Vec::new();
    for zone in participants {
        match zones.iter_mut().find(|(z, _)| z == zone) {
            Some((_, people)) => *people += 1,
            None => zones.push((*zone, 1)),
        }
    }
    zones
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::events::waking::local_rfc3339;
    use chrono_tz::{Asia, Europe};
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    fn shanghai_and_paris_on(day: NaiveDate, count: usize) -> Vec<WindowSuggestion> {
        let zones = [Asia::Shanghai, Europe::Paris];
        let (hour, half) = (Duration::hours(1), Duration::minutes(30));
        suggest_windows(
            &zones,
            WakingHours::default(),
            Asia::Shanghai,
            day,
            day,
            hour,
            half,
            count,
        )
    }

    #[test]
    fn shanghai_and_paris_meet_in_the_shanghai_afternoon_and_the_paris_morning() {
        let best = shanghai_and_paris_on(date(2026, 10, 23), 3);
        let starts: Vec<_> = best.iter().map(|w| local_rfc3339(Asia::Shanghai, w.start)).collect();
        assert_eq!(
            starts,
            [
                "2026-10-23T14:00:00+08:00",
                "2026-10-23T15:00:00+08:00",
                "2026-10-23T16:00:00+08:00"
            ]
        );
        assert_eq!(local_rfc3339(Europe::Paris, best[0].start), "2026-10-23T08:00:00+02:00");
        for window in &best {
            assert_eq!((window.awake, window.total, window.asleep.as_slice()), (2, 2, &[][..]));
        }
    }

    #[test]
    fn the_october_change_in_paris_moves_the_best_window_an_hour_later_in_utc() {
        let before = shanghai_and_paris_on(date(2026, 10, 23), 1);
        let after = shanghai_and_paris_on(date(2026, 10, 26), 1);
        assert_eq!(before[0].start, at("2026-10-23T06:00:00Z"));
        assert_eq!(after[0].start, at("2026-10-26T07:00:00Z"));
        assert_eq!(
            local_rfc3339(Europe::Paris, after[0].start),
            "2026-10-26T08:00:00+01:00"
        );
    }

    #[test]
    fn everyone_in_one_zone_is_awake_for_every_window_of_the_local_day() {
        let zones = [Europe::Paris; 3];
        let hour = Duration::hours(1);
        let day = date(2026, 6, 10);
        let all = suggest_windows(&zones, WakingHours::default(), Europe::Paris, day, day, hour, hour, 100);
        assert_eq!(all.len(), 24);
        let (awake, asleep) = all.split_at(14);
        for (window, hour) in awake.iter().zip(8..) {
            assert_eq!((window.awake, window.total), (3, 3));
            assert_eq!(
                local_rfc3339(Europe::Paris, window.start),
                format!("2026-06-10T{hour:02}:00:00+02:00")
            );
        }
        for window in asleep {
            assert_eq!((window.awake, window.asleep.as_slice()), (0, &[0, 1, 2][..]));
        }
    }

    #[test]
    fn asleep_lists_the_indices_of_the_participants_outside_their_hours() {
        let zones = [Asia::Shanghai, Europe::Paris, Asia::Shanghai];
        let (hour, day) = (Duration::hours(1), date(2026, 10, 23));
        let all = suggest_windows(&zones, WakingHours::default(), Asia::Shanghai, day, day, hour, hour, 24);
        let paris_asleep = all.iter().find(|w| w.awake == 2).unwrap();
        assert_eq!(paris_asleep.asleep, [1]);
        assert!(within_waking_hours(
            Asia::Shanghai,
            WakingHours::default(),
            paris_asleep.start,
            paris_asleep.end
        ));
    }

    /// A description, the participants, the last day, the duration, the step and the count.
    type Case<'a> = (&'a str, &'a [Tz], NaiveDate, Duration, Duration, usize);

    #[test]
    fn absurd_inputs_give_no_suggestions_instead_of_a_panic() {
        let zones = [Asia::Shanghai];
        let (h, day) = (WakingHours::default(), date(2026, 10, 23));
        let (hour, zero) = (Duration::hours(1), Duration::zero());
        let cases: [Case; 7] = [
            ("no participants", &[], day, hour, hour, 3),
            ("to before from", &zones, date(2026, 10, 22), hour, hour, 3),
            ("count 0", &zones, day, hour, hour, 0),
            ("zero step", &zones, day, hour, zero, 3),
            ("negative step", &zones, day, hour, -hour, 3),
            ("zero duration", &zones, day, zero, hour, 3),
            ("longer than the range", &zones, day, Duration::days(2), hour, 3),
        ];
        for (description, zones, to, duration, step, count) in cases {
            let got = suggest_windows(zones, h, Asia::Shanghai, day, to, duration, step, count);
            assert!(got.is_empty(), "{description}: {got:?}");
        }
        let huge = suggest_windows(
            &zones,
            h,
            Asia::Shanghai,
            day,
            day,
            Duration::MAX,
            Duration::MAX,
            usize::MAX,
        );
        assert!(huge.is_empty());
    }

    #[test]
    fn a_long_range_is_searched_for_its_first_31_days_only() {
        let (from, to) = (date(2026, 1, 1), date(2030, 1, 1));
        let hour = Duration::hours(1);
        let h = WakingHours::default();
        let all = suggest_windows(&[Asia::Shanghai], h, Asia::Shanghai, from, to, hour, hour, usize::MAX);
        assert_eq!(all.len(), 31 * 24);
        assert!(all.iter().all(|w| w.end <= at("2026-02-01T00:00:00+08:00")));
    }

    #[test]
    fn fine_steps_are_cut_at_the_candidate_cap() {
        let day = date(2026, 1, 1);
        let minute = Duration::minutes(1);
        let h = WakingHours::default();
        let all = suggest_windows(
            &[Asia::Shanghai],
            h,
            Asia::Shanghai,
            day,
            day,
            minute,
            minute,
            usize::MAX,
        );
        assert_eq!(all.len(), 24 * 60);
        let to = date(2026, 1, 31);
        let all = suggest_windows(
            &[Asia::Shanghai],
            h,
            Asia::Shanghai,
            day,
            to,
            minute,
            minute,
            usize::MAX,
        );
        assert_eq!(all.len(), MAX_CANDIDATES);
    }

    proptest! {
        #[test]
        fn suggestions_never_overlap_and_come_best_first(
            step_minutes in 1i64..180,
            duration_minutes in 1i64..300,
            count in 0usize..40,
            paris in 0usize..4,
        ) {
            let mut zones = vec![Asia::Shanghai, Asia::Kolkata];
            zones.extend(std::iter::repeat_n(Europe::Paris, paris));
            let day = date(2026, 3, 29);
            let (step, duration) = (Duration::minutes(step_minutes), Duration::minutes(duration_minutes));
            let got = suggest_windows(&zones, WakingHours::default(), Europe::Paris, day, day, duration, step, count);
            prop_assert!(got.len() <= count);
            for (i, a) in got.iter().enumerate() {
                prop_assert_eq!(a.end - a.start, duration);
                prop_assert_eq!(a.awake + a.asleep.len(), a.total);
                for b in &got[i + 1..] {
                    prop_assert!(a.end <= b.start || b.end <= a.start, "{:?} overlaps {:?}", a, b);
                    prop_assert!(a.awake > b.awake || (a.awake == b.awake && a.start < b.start));
                }
            }
        }
    }
}
