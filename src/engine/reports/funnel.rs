//! The funnel: registered → shortlisted → introduced → met → agreed → landed, by period,
//! channel, sector or event.
//!
//! Within the period: `registered` counts experts whose profile was created in it; `shortlisted`
//! counts distinct experts taking part in an event that starts in it or introduced in it;
//! `introduced` counts introductions proposed in it, and `met`, `agreed` and `landed` those of
//! them that reached that stage (an introduction that ended keeps the furthest stage it reached).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::history::{History, Period};
use crate::domain::{Expert, ExpertId, Need, Stage, TagId};
use crate::engine::taxonomy::Taxonomy;

/// How funnel rows are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// One row for the whole period.
    Total,
    /// By calendar month.
    Month,
    /// By calendar quarter.
    Quarter,
    /// By calendar year.
    Year,
    /// By the expert's channel.
    Channel,
    /// By top-level sector (the expert's for registrations and shortlists, the need's for
    /// introductions); a record in several sectors counts in each.
    Sector,
    /// By event (introductions from an event meeting; shortlists from event participation).
    Event,
}

/// One row of the funnel.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FunnelRow {
    /// The group (`all`, `2026-03`, `2026-Q1`, a channel id, a sector id, an event id, or `none`).
    pub group: String,
    /// Experts registered.
    pub registered: usize,
    /// Distinct experts shortlisted.
    pub shortlisted: usize,
    /// Introductions proposed.
    pub introduced: usize,
    /// ... that reached `met`.
    pub met: usize,
    /// ... that reached `agreed`.
    pub agreed: usize,
    /// ... that reached `landed`.
    pub landed: usize,
}

const NONE: &str = "none";

fn time_group(by: Grouping, d: NaiveDate) -> String {
    match by {
        Grouping::Month => format!("{:04}-{:02}", d.year(), d.month()),
        Grouping::Quarter => format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
        Grouping::Year => format!("{:04}", d.year()),
        _ => "all".into(),
    }
}

fn roots(taxonomy: &Taxonomy, tags: &[TagId]) -> Vec<String> {
    let mut out: BTreeSet<String> = tags
        .iter()
        .map(|t| taxonomy.ancestors(t).last().map_or(t.to_string(), |r| r.to_string()))
        .collect();
    if out.is_empty() {
        out.insert(NONE.into());
    }
    out.into_iter().collect()
}

fn expert_groups(by: Grouping, taxonomy: &Taxonomy, e: &Expert, day: NaiveDate) -> Vec<String> {
    match by {
        Grouping::Channel => vec![e.profile.channel.as_ref().map_or(NONE.into(), ToString::to_string)],
        Grouping::Sector => roots(taxonomy, &e.profile.sectors),
        Grouping::Event => vec![NONE.into()],
        _ => vec![time_group(by, day)],
    }
}

fn row<'a>(rows: &'a mut BTreeMap<String, FunnelRow>, g: &str) -> &'a mut FunnelRow {
    rows.entry(g.to_string()).or_insert_with(|| FunnelRow {
        group: g.to_string(),
        ..Default::default()
    })
}

/// The funnel of `history` over `period`, split by `by`; rows sorted by group.
pub fn funnel(history: &History, taxonomy: &Taxonomy, period: &Period, by: Grouping) -> Vec<FunnelRow> {
    let mut rows: BTreeMap<String, FunnelRow> = BTreeMap::new();
    let mut shortlisted: BTreeMap<String, BTreeSet<ExpertId>> = BTreeMap::new();
    let experts: BTreeMap<ExpertId, &Expert> = history.experts.iter().map(|e| (e.id, e)).collect();
    let needs: BTreeMap<_, &Need> = history.needs.iter().map(|n| (n.id, n)).collect();
    for e in history.experts.iter().filter(|e| period.holds(e.created_at)) {
        for g in expert_groups(by, taxonomy, e, period.day(e.created_at)) {
            row(&mut rows, &g).registered += 1;
        }
    }
    for ev in history.events.iter().filter(|ev| period.holds_day(ev.spec.starts_on)) {
        for x in &ev.spec.experts {
            let groups = match (by, experts.get(&x.expert)) {
                (Grouping::Event, _) => vec![ev.id.to_string()],
                (_, Some(e)) => expert_groups(by, taxonomy, e, ev.spec.starts_on),
                (Grouping::Channel | Grouping::Sector, None) => vec![NONE.into()],
                (_, None) => vec![time_group(by, ev.spec.starts_on)],
            };
            for g in groups {
                shortlisted.entry(g).or_default().insert(x.expert);
            }
        }
    }
    for i in history.introductions.iter().filter(|i| period.holds(i.created_at())) {
        let day = period.day(i.created_at());
        let groups = match by {
            Grouping::Channel => vec![experts
                .get(&i.expert)
                .and_then(|e| e.profile.channel.as_ref())
                .map_or(NONE.into(), ToString::to_string)],
            Grouping::Sector => needs
                .get(&i.need)
                .map_or(vec![NONE.into()], |n| roots(taxonomy, &n.spec.sectors)),
            Grouping::Event => vec![i.origin.event.map_or(NONE.into(), |e| e.to_string())],
            _ => vec![time_group(by, day)],
        };
        let reached = i.furthest().rank().unwrap_or(0);
        let at_least = |s: Stage| s.rank().is_some_and(|r| reached >= r);
        // An introduced expert counts as shortlisted under its own groups (its sectors, not the need's).
        let shortlist_groups = match (by, experts.get(&i.expert)) {
            (Grouping::Sector, Some(e)) => roots(taxonomy, &e.profile.sectors),
            _ => groups.clone(),
        };
        for g in shortlist_groups {
            shortlisted.entry(g).or_default().insert(i.expert);
        }
        for g in groups {
            let r = row(&mut rows, &g);
            r.introduced += 1;
            r.met += usize::from(at_least(Stage::Met));
            r.agreed += usize::from(at_least(Stage::Agreed));
            r.landed += usize::from(at_least(Stage::Landed));
        }
    }
    for (g, set) in shortlisted {
        row(&mut rows, &g).shortlisted = set.len();
    }
    if rows.is_empty() && by == Grouping::Total {
        row(&mut rows, "all");
    }
    rows.into_values().collect()
}
