//! Expert profiles: registration, review, changes under optimistic concurrency, listing.

use chrono::Utc;

use super::auth::{hash_token, new_expert_token};
use super::core::Engine;
use super::page::{collect_page, Page};
use super::version::check_version;
use crate::domain::{
    ChannelId, Consent, CountryCode, EngagementMode, Expert, ExpertId, ExpertProfile, ExpertStatus, LanguageCode, TagId,
};
use crate::error::{Error, Result};

/// Filters of the expert list; all given filters must hold.
#[derive(Debug, Clone, Default)]
pub struct ExpertFilter {
    /// Holds this skill or a narrower one.
    pub tag: Option<TagId>,
    /// Works in this sector or a narrower one.
    pub sector: Option<TagId>,
    /// Lives in this country.
    pub country: Option<CountryCode>,
    /// Accepts this mode.
    pub mode: Option<EngagementMode>,
    /// Speaks this language.
    pub language: Option<LanguageCode>,
    /// Has this status.
    pub status: Option<ExpertStatus>,
    /// Came through this channel.
    pub channel: Option<ChannelId>,
}

impl Engine {
    /// Registers an expert (public): pending review, with a new secret token returned once.
    pub fn register_expert(&self, profile: ExpertProfile, consent: Consent) -> Result<(Expert, String)> {
        self.check_channel(profile.channel.as_ref())?;
        let expert = Expert::register(ExpertId::generate(), profile, consent, Utc::now());
        let token = new_expert_token(expert.id);
        self.store.insert_expert(&expert, &hash_token(&token))?;
        self.observers.iter().for_each(|o| o.expert_saved(None, &expert));
        Ok((expert, token))
    }

    /// Stores an expert with a given id and status (seed and bulk intake); no usable token.
    pub fn load_expert(
        &self,
        id: ExpertId,
        status: ExpertStatus,
        profile: ExpertProfile,
        consent: Consent,
    ) -> Result<Expert> {
        self.check_channel(profile.channel.as_ref())?;
        let mut expert = Expert::register(id, profile, consent, Utc::now());
        expert.status = status;
        self.store.insert_expert(&expert, &[])?;
        self.observers.iter().for_each(|o| o.expert_saved(None, &expert));
        Ok(expert)
    }

    /// One expert; 410 `erased` for an erased one.
    pub fn expert(&self, id: ExpertId) -> Result<Expert> {
        match self.store.expert(id)? {
            Some(expert) => Ok(expert),
            None if self.store.erased_at(id)?.is_some() => Err(Error::Erased {
                what: "expert",
                id: id.to_string(),
            }),
            None => Err(Error::not_found("expert", id)),
        }
    }

    /// Changes an expert: `change` gets the current record and returns the new profile and status.
    /// `expected` is the `If-Match` version; the write fails with 412 if another write came first.
    pub fn update_expert(
        &self,
        id: ExpertId,
        expected: Option<u64>,
        change: impl FnOnce(&Expert) -> Result<(ExpertProfile, ExpertStatus, Option<Consent>)>,
    ) -> Result<Expert> {
        let current = self.expert(id)?;
        check_version(expected, current.version)?;
        let (profile, status, consent) = change(&current)?;
        if profile.channel != current.profile.channel {
            self.check_channel(profile.channel.as_ref())?;
        }
        let mut updated = current.revise(profile, status, Utc::now());
        if let Some(c) = consent {
            updated.consent = c;
        }
        self.store.update_expert(&updated, current.version)?;
        self.observers
            .iter()
            .for_each(|o| o.expert_saved(Some(&current), &updated));
        Ok(updated)
    }

    /// Erases an expert: its personal data, token and vectors go, its key is destroyed, and an
    /// id-only placeholder stays (reads answer 410, the id is never reused).
    pub fn delete_expert(&self, id: ExpertId, expected: Option<u64>) -> Result<()> {
        let current = self.expert(id)?;
        check_version(expected, current.version)?;
        let erased = self.store.erase_expert(id, current.version, Utc::now());
        // Destroying the key comes after the record is gone; if only that failed, the index must
        // still drop the expert (the next start destroys the key).
        if erased.is_ok() || self.store.erased_at(id)?.is_some() {
            self.observers.iter().for_each(|o| o.expert_removed(id, &current));
        }
        erased.map(|_| ())
    }

    /// A page of experts in id order that pass `filter`, after the cursor `after`.
    pub fn list_experts(
        &self,
        filter: &ExpertFilter,
        after: Option<ExpertId>,
        limit: usize,
    ) -> Result<Page<Expert, ExpertId>> {
        let taxonomy = self.taxonomy();
        let keep = |e: &Expert| {
            let p = &e.profile;
            filter
                .tag
                .as_ref()
                .is_none_or(|t| p.skills.iter().any(|s| taxonomy.is_within(&s.tag, t)))
                && filter
                    .sector
                    .as_ref()
                    .is_none_or(|t| p.sectors.iter().any(|s| taxonomy.is_within(s, t)))
                && filter.country.as_ref().is_none_or(|c| &p.country == c)
                && filter.mode.is_none_or(|m| p.engagement_modes.contains(&m))
                && filter.language.as_ref().is_none_or(|l| e.speaks(l))
                && filter.status.is_none_or(|s| e.status == s)
                && filter.channel.as_ref().is_none_or(|c| p.channel.as_ref() == Some(c))
        };
        collect_page(self.store.experts_after(after), limit, keep, |e| e.id)
    }
}
