//! Every record a report counts, read once, and the period a report covers.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{Event, Expert, Introduction, Need, TimeZone};
use crate::engine::core::Engine;
use crate::error::Result;

/// A report's period: calendar days from `from` to `to` (both included) in `zone`.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The zone the days are counted in.
    pub zone: TimeZone,
}

impl Period {
    /// The local day of an instant.
    pub fn day(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.zone.tz()).date_naive()
    }

    /// True when the instant falls on a day of the period.
    pub fn holds(&self, t: DateTime<Utc>) -> bool {
        self.holds_day(self.day(t))
    }

    /// True when the day is in the period.
    pub fn holds_day(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// The records reports are counted from.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Every expert (erased ones are gone).
    pub experts: Vec<Expert>,
    /// Every need.
    pub needs: Vec<Need>,
    /// Every event.
    pub events: Vec<Event>,
    /// Every introduction.
    pub introductions: Vec<Introduction>,
}

impl Engine {
    /// Reads every record a report counts.
    pub fn history(&self) -> Result<History> {
        Ok(History {
            experts: self.store.experts_after(None).collect::<Result<_>>()?,
            needs: self.store.needs_after(None).collect::<Result<_>>()?,
            events: self.store.events_after(None).collect::<Result<_>>()?,
            introductions: self.store.introductions_after(None).collect::<Result<_>>()?,
        })
    }
}
