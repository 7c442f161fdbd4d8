//! Expert intake: each row planned against the store and the earlier rows of the file. An email
//! already registered (or given by an earlier row) makes the row a `duplicate` linked to that
//! expert, unless the row names that expert's id (then it is an update); the same name at the same
//! organisation is written but flagged. Nothing is ever merged.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::commit::{self, Committer};
use super::dedup::{person_key, LinkIndex};
use super::ledger::expert_key;
use super::plan::{duplicate, reject, skip, written, Plan};
use super::report::{IntakeReport, Link, MatchedOn, Outcome, RowReport};
use super::rows::{BatchDone, ExpertRow, IntakeOptions, Row};
use crate::domain::{ChannelId, Expert, ExpertId, ExpertStatus};
use crate::engine::Engine;
use crate::error::{FieldError, Result};
use crate::store::IntakeWrite;

/// What the planner knows besides the store: the earlier rows of the file.
struct Planner<'a> {
    engine: &'a Engine,
    now: DateTime<Utc>,
    names: LinkIndex,
    channels: HashSet<ChannelId>,
    emails: HashMap<String, Link>,
    ids: HashMap<ExpertId, usize>,
    contents: HashMap<[u8; 32], usize>,
}

fn link(id: Option<String>, row: Option<usize>, matched_on: MatchedOn) -> Link {
    Link { id, row, matched_on }
}

impl Planner<'_> {
    fn plan(&mut self, plan: &mut Plan<Expert>, row: usize, r: ExpertRow) -> Result<()> {
        let key = expert_key(&r)?;
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
        if let Some(c) = r.profile.channel.as_ref().filter(|c| !self.channels.contains(*c)) {
            let error = FieldError::new("channel", format!("channel {c} does not exist"));
            plan.push(reject(row, vec![error]), None);
            return Ok(());
        }
        if let Some(&earlier) = r.id.as_ref().and_then(|id| self.ids.get(id)) {
            let l = link(r.id.map(|i| i.to_string()), Some(earlier), MatchedOn::Id);
            plan.push(duplicate(row, l, format!("row {earlier} names the same id")), None);
            return Ok(());
        }
        let email = r.profile.contact.email.as_str().to_string();
        if let Some(earlier) = self.emails.get(&email) {
            let detail = format!("row {} has the same email", earlier.row.unwrap_or(0));
            plan.push(duplicate(row, earlier.clone(), detail), None);
            return Ok(());
        }
        let owner = self.engine.store.expert_with_email(&email)?;
        if let Some(owner) = owner.filter(|o| Some(*o) != r.id) {
            let detail = format!("expert {owner} has this email; to update it, give its id in the row");
            let l = link(Some(owner.to_string()), None, MatchedOn::Email);
            plan.push(duplicate(row, l, detail), None);
            return Ok(());
        }
        let current = match r.id {
            Some(id) => self.engine.store.expert(id)?,
            None => None,
        };
        let (report, write) = match current {
            Some(current) => self.update(row, key, current, r),
            None => self.create(plan, row, key, r),
        };
        if let Some(w) = &write {
            let id = w.after.id;
            self.contents.insert(key, row);
            self.ids.insert(id, row);
            self.emails
                .insert(email, link(Some(id.to_string()), Some(row), MatchedOn::Email));
            let p = &w.after.profile;
            let l = link(Some(id.to_string()), Some(row), MatchedOn::NameAndOrganisation);
            self.names.add(person_key(p.name.as_str(), p.organisation.as_str()), l);
        }
        plan.push(report, write);
        Ok(())
    }

    fn possible(&self, r: &ExpertRow, id: &str) -> Vec<Link> {
        let p = &r.profile;
        self.names
            .find(&person_key(p.name.as_str(), p.organisation.as_str()), Some(id))
    }

    fn update(
        &self,
        row: usize,
        key: [u8; 32],
        current: Expert,
        r: ExpertRow,
    ) -> (RowReport, Option<IntakeWrite<Expert>>) {
        let id = current.id.to_string();
        let status = r.status.unwrap_or(current.status);
        // A withdrawn consent is the expert's to give again (PUT or PATCH), never a spreadsheet's: the
        // version a file carries predates the withdrawal.
        let withdrawn = !current.consent.is_given();
        let consent = r.consent.clone().filter(|_| !withdrawn);
        let same_consent = consent
            .as_ref()
            .is_none_or(|c| c.text_version == current.consent.text_version);
        if r.profile == current.profile && status == current.status && same_consent {
            return (skip(row, id, "the same as stored".into()), None);
        }
        let possible = self.possible(&r, &id);
        let mut after = current.revise(r.profile, status, self.now);
        if let Some(c) = consent {
            after.consent = c;
        }
        let write = IntakeWrite {
            key,
            before: Some(current),
            after,
        };
        let mut report = written(row, Outcome::Update, id, possible);
        if withdrawn {
            let note = "the expert withdrew consent: it stays withdrawn, and the expert stays out of matching";
            report.detail = Some(match report.detail {
                Some(d) => format!("{d}; {note}"),
                None => note.to_string(),
            });
        }
        (report, Some(write))
    }

    fn create(
        &self,
        plan: &mut Plan<Expert>,
        row: usize,
        key: [u8; 32],
        r: ExpertRow,
    ) -> (RowReport, Option<IntakeWrite<Expert>>) {
        let Some(consent) = r.consent.clone() else {
            let error = FieldError::new("consent.text_version", super::CONSENT_REQUIRED);
            return (reject(row, vec![error]), None);
        };
        let id = r.id.unwrap_or_else(|| {
            let id = ExpertId::generate();
            plan.generated.insert(id.to_string());
            id
        });
        let possible = self.possible(&r, &id.to_string());
        let mut expert = Expert::register(id, r.profile, consent, self.now);
        expert.status = r.status.unwrap_or(ExpertStatus::PendingReview);
        let write = IntakeWrite {
            key,
            before: None,
            after: expert,
        };
        (written(row, Outcome::Create, id.to_string(), possible), Some(write))
    }
}

impl Engine {
    /// Imports expert rows (bulk intake): plans every row against the store and the earlier rows,
    /// then, unless `options.dry_run`, commits the creations and updates in batches, each one
    /// transaction with its ledger entries and one flush, so that an interrupted intake loses no
    /// committed batch and a re-run skips the rows done before. `progress` hears of each batch.
    pub fn intake_experts(
        &self,
        rows: Vec<Row<ExpertRow>>,
        options: &IntakeOptions,
        progress: &mut dyn FnMut(&BatchDone),
    ) -> Result<IntakeReport> {
        let mut names = LinkIndex::default();
        for (id, name, organisation) in self.store.expert_names()? {
            let l = link(Some(id.to_string()), None, MatchedOn::NameAndOrganisation);
            names.add(person_key(&name, &organisation), l);
        }
        let mut planner = Planner {
            engine: self,
            now: Utc::now(),
            names,
            channels: self.store.channels()?.into_iter().map(|c| c.id).collect(),
            emails: HashMap::new(),
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
            commit: &|batch: &[IntakeWrite<Expert>]| self.store.commit_expert_intake(batch),
            notify: &|w: &IntakeWrite<Expert>| {
                self.observers
                    .iter()
                    .for_each(|o| o.expert_saved(w.before.as_ref(), &w.after))
            },
        };
        let batches = commit::run(&mut plan, options, &committer, progress)?;
        Ok(plan.into_report("experts", options.dry_run, batches))
    }
}
