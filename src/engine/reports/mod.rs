//! The base's figures, counted from the records: the funnel from registration to landed projects
//! by period, channel, sector or event; the yearly summary; and what is due for renewal.
//! Periods are calendar days in a report zone (the base's own, Asia/Shanghai, by default).

mod funnel;
mod history;
mod renewal;
mod yearly;

pub use funnel::{FunnelRow, Grouping};
pub use history::{History, Period};
pub use renewal::{RenewalDue, StaleExpert, StaleNeed};
pub use yearly::YearSummary;

use chrono::Utc;

use crate::domain::TimeZone;
use crate::engine::core::Engine;
use crate::error::Result;

impl Engine {
    /// The funnel over `period`, split by `by`.
    pub fn funnel_report(&self, period: &Period, by: Grouping) -> Result<Vec<FunnelRow>> {
        Ok(funnel::funnel(&self.history()?, &self.taxonomy(), period, by))
    }

    /// The summary of one calendar year in `zone`.
    pub fn year_report(&self, year: i32, zone: TimeZone) -> Result<YearSummary> {
        Ok(yearly::year_summary(&self.history()?, year, zone))
    }

    /// What is due for follow-up now.
    pub fn renewal_report(&self, stale_after_days: i64, zone: TimeZone) -> Result<RenewalDue> {
        let now = Utc::now();
        let today = now.with_timezone(&zone.tz()).date_naive();
        Ok(renewal::renewal_due(&self.history()?, now, today, stale_after_days))
    }
}
