//! Enterprise needs: recording, changes under optimistic concurrency, closing, listing.

use chrono::Utc;

use super::core::Engine;
use super::page::{collect_page, Page};
use super::version::check_version;
use crate::domain::{Need, NeedId, NeedSpec, NeedStatus, NeedType, TagId};
use crate::error::{Error, Result};

/// Filters of the need list.
#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    /// Asks for this skill or a narrower one.
    pub tag: Option<TagId>,
    /// In this sector or a narrower one.
    pub sector: Option<TagId>,
    /// Of this status.
    pub status: Option<NeedStatus>,
    /// Of this type.
    pub need_type: Option<NeedType>,
}

impl Engine {
    /// Records a need.
    pub fn create_need(&self, spec: NeedSpec, status: NeedStatus) -> Result<Need> {
        self.load_need(NeedId::generate(), spec, status)
    }

    /// Records a need with a given id (seed and bulk intake).
    pub fn load_need(&self, id: NeedId, spec: NeedSpec, status: NeedStatus) -> Result<Need> {
        let need = Need::create(id, spec, status, Utc::now());
        self.store.insert_need(&need)?;
        self.observers.iter().for_each(|o| o.need_saved(None, &need));
        Ok(need)
    }

    /// One need.
    pub fn need(&self, id: NeedId) -> Result<Need> {
        self.store.need(id)?.ok_or_else(|| Error::not_found("need", id))
    }

    /// Changes a need: `change` gets the current record and returns the new spec and status.
    pub fn update_need(
        &self,
        id: NeedId,
        expected: Option<u64>,
        change: impl FnOnce(&Need) -> Result<(NeedSpec, NeedStatus)>,
    ) -> Result<Need> {
        let current = self.need(id)?;
        check_version(expected, current.version)?;
        let (spec, status) = change(&current)?;
        let updated = current.revise(spec, status, Utc::now());
        self.store.update_need(&current, &updated)?;
        self.observers
            .iter()
            .for_each(|o| o.need_saved(Some(&current), &updated));
        Ok(updated)
    }

    /// Deletes a need.
    pub fn delete_need(&self, id: NeedId, expected: Option<u64>) -> Result<()> {
        let current = self.need(id)?;
        check_version(expected, current.version)?;
        self.store.delete_need(&current)?;
        self.observers.iter().for_each(|o| o.need_removed(id, &current));
        Ok(())
    }

    /// A page of needs in id order that pass `filter`.
    pub fn list_needs(&self, filter: &NeedFilter, after: Option<NeedId>, limit: usize) -> Result<Page<Need, NeedId>> {
        let taxonomy = self.taxonomy();
        let keep = |n: &Need| {
            let s = &n.spec;
            filter
                .tag
                .as_ref()
                .is_none_or(|t| s.skills.iter().any(|k| taxonomy.is_within(&k.tag, t)))
                && filter
                    .sector
                    .as_ref()
                    .is_none_or(|t| s.sectors.iter().any(|x| taxonomy.is_within(x, t)))
                && filter.status.is_none_or(|st| n.status == st)
                && filter.need_type.is_none_or(|nt| s.need_type == nt)
        };
        collect_page(self.store.needs_after(after), limit, keep, |n| n.id)
    }
}
