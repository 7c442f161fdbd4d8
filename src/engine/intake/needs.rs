//! Need intake: each row planned against the store and the earlier rows of the file. A row naming a
//! stored need's id updates it; the same title for the same enterprise is written but flagged.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::commit::{self, Committer};
use super::dedup::{need_key, LinkIndex};
use super::ledger;
use super::plan::{duplicate, reject, skip, written, Plan};
use super::report::{IntakeReport, Link, MatchedOn, Outcome};
use super::rows::{BatchDone, IntakeOptions, NeedRow, Row};
use crate::domain::{Need, NeedId, NeedStatus};
use crate::engine::Engine;
use crate::error::Result;
use crate::store::IntakeWrite;

struct Planner<'a> {
    engine: &'a Engine,
    now: DateTime<Utc>,
    titles: LinkIndex,
    ids: HashMap<NeedId, usize>,
    contents: HashMap<[u8; 32], usize>,
}

fn link(id: Option<String>, row: Option<usize>, matched_on: MatchedOn) -> Link {
    Link { id, row, matched_on }
}

impl Planner<'_> {
    fn plan(&mut self, plan: &mut Plan<Need>, row: usize, r: NeedRow) -> Result<()> {
        let key = ledger::need_key(&r)?;
        if let Some(mark) = self.engine.store.intake_mark(&key)? {
            let when = mark.at.format("%Y-%m-%d %H:%M UTC");
            plan.push(skip(row, mark.id, format!("imported before, on {when}")), None);
            return Ok(());
        }
        if let Some(&first) = self.contents.get(&key) {
            let detail = format!("the same content as row {first}");
            plan.push(
                duplicate(row, link(None, Some(first), MatchedOn::Content), detail),
                None,
            );
            return Ok(());
        }
        if let Some(&earlier) = r.id.as_ref().and_then(|id| self.ids.get(id)) {
            let l = link(r.id.map(|i| i.to_string()), Some(earlier), MatchedOn::Id);
            plan.push(duplicate(row, l, format!("row {earlier} names the same id")), None);
            return Ok(());
        }
        let title_key = need_key(r.spec.enterprise.name.as_str(), r.spec.title.as_str());
        let current = match r.id {
            Some(id) => self.engine.store.need(id)?,
            None => None,
        };
        let (report, write) = match current {
            Some(current) => {
                let id = current.id.to_string();
                let status = r.status.unwrap_or(current.status);
                if r.spec == current.spec && status == current.status {
                    (skip(row, id, "the same as stored".into()), None)
                } else {
                    let possible = self.titles.find(&title_key, Some(&id));
                    let after = current.revise(r.spec, status, self.now);
                    let write = IntakeWrite {
                        key,
                        before: Some(current),
                        after,
                    };
                    (written(row, Outcome::Update, id, possible), Some(write))
                }
            }
            None => {
                let id = r.id.unwrap_or_else(|| {
                    let id = NeedId::generate();
                    plan.generated.insert(id.to_string());
                    id
                });
                let possible = self.titles.find(&title_key, Some(&id.to_string()));
                let need = Need::create(id, r.spec, r.status.unwrap_or(NeedStatus::Open), self.now);
                let write = IntakeWrite {
                    key,
                    before: None,
                    after: need,
                };
                (written(row, Outcome::Create, id.to_string(), possible), Some(write))
            }
        };
        if let Some(w) = &write {
            let id = w.after.id;
            self.contents.insert(key, row);
            self.ids.insert(id, row);
            let l = link(Some(id.to_string()), Some(row), MatchedOn::EnterpriseAndTitle);
            self.titles.add(title_key, l);
        }
        plan.push(report, write);
        Ok(())
    }
}

impl Engine {
    /// Imports need rows (bulk intake), as `intake_experts` does experts: planned, then committed
    /// in batches with the ledger unless `options.dry_run`.
    pub fn intake_needs(
        &self,
        rows: Vec<Row<NeedRow>>,
        options: &IntakeOptions,
        progress: &mut dyn FnMut(&BatchDone),
    ) -> Result<IntakeReport> {
        let mut titles = LinkIndex::default();
        for (id, enterprise, title) in self.store.need_titles()? {
            let l = link(Some(id.to_string()), None, MatchedOn::EnterpriseAndTitle);
            titles.add(need_key(&enterprise, &title), l);
        }
        let mut planner = Planner {
            engine: self,
            now: Utc::now(),
            titles,
            ids: HashMap::new(),
            contents: HashMap::new(),
        };
        let mut plan = Plan::new();
        for Row { row, parsed } in rows {
            match parsed {
                Ok(r) => planner.plan(&mut plan, row, r)?,
                Err(errors) => plan.push(reject(row, errors), None),
            }
        }
        let committer = Committer {
            commit: &|batch: &[IntakeWrite<Need>]| self.store.commit_need_intake(batch),
            notify: &|w: &IntakeWrite<Need>| {
                self.observers
                    .iter()
                    .for_each(|o| o.need_saved(w.before.as_ref(), &w.after))
            },
        };
        let batches = commit::run(&mut plan, options, &committer, progress)?;
        Ok(plan.into_report("needs", options.dry_run, batches))
    }
}
