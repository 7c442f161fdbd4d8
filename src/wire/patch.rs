//! JSON merge patch (RFC 7396) over the writable document of an expert, a need or an event.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{decode, ChannelInput, ChannelView, EventInput, ExpertInput, NeedInput};
use crate::domain::{
    Channel, Consent, Event, EventSpec, Expert, ExpertProfile, ExpertStatus, Need, NeedSpec, NeedStatus, RecordLookup,
    TagLookup,
};
use crate::error::{Error, Result};

fn merged<T: serde::Serialize>(current: &T, patch: &Value) -> Result<Value> {
    if !patch.is_object() {
        return Err(Error::field("body", "a merge patch must be a JSON object"));
    }
    let mut doc = serde_json::to_value(current).map_err(|e| Error::Internal(e.to_string()))?;
    json_patch::merge(&mut doc, patch);
    Ok(doc)
}

fn parse<T: serde::de::DeserializeOwned>(doc: &Value) -> Result<T> {
    let bytes = serde_json::to_vec(doc).map_err(|e| Error::Internal(e.to_string()))?;
    decode(&bytes)
}

/// The expert's profile, status and (if given) consent after `patch`; the patch may set `status`.
pub fn patch_expert(
    current: &Expert,
    patch: &Value,
    lookup: &dyn TagLookup,
    now: DateTime<Utc>,
) -> Result<(ExpertProfile, ExpertStatus, Option<Consent>)> {
    let mut doc = merged(&ExpertInput::from_expert(current), &patch_without_status(patch))?;
    let status = match patch.get("status") {
        None => current.status,
        Some(Value::String(s)) => ExpertStatus::parse(s).map_err(|m| Error::field("status", m))?,
        Some(_) => {
            return Err(Error::field(
                "status",
                "must be one of pending_review, active, inactive",
            ))
        }
    };
    if let Some(o) = doc.as_object_mut() {
        o.remove("status");
    }
    let input: ExpertInput = parse(&doc)?;
    let (profile, consent) = input.into_profile(lookup, false, now)?;
    Ok((profile, status, consent))
}

fn patch_without_status(patch: &Value) -> Value {
    let mut p = patch.clone();
    if let Some(o) = p.as_object_mut() {
        o.remove("status");
    }
    p
}

/// The need's spec and status after `patch`.
pub fn patch_need(current: &Need, patch: &Value, lookup: &dyn TagLookup) -> Result<(NeedSpec, NeedStatus)> {
    let doc = merged(&NeedInput::from_need(current), patch)?;
    parse::<NeedInput>(&doc)?.into_spec(lookup)
}

/// The channel after `patch` (its id may not change).
pub fn patch_channel(current: &Channel, patch: &Value) -> Result<Channel> {
    let doc = merged(&ChannelView::from(current), patch)?;
    let mut view: ChannelView = parse(&doc)?;
    view.created_at = None;
    ChannelInput {
        id: view.id,
        name: view.name,
        country: view.country,
        kind: view.kind,
        url: view.url,
    }
    .into_channel(current.created_at)
}

/// The event's spec after `patch`.
pub fn patch_event(current: &Event, patch: &Value, records: &dyn RecordLookup) -> Result<EventSpec> {
    let doc = merged(&EventInput::from_event(current), patch)?;
    parse::<EventInput>(&doc)?.into_spec(records)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::{TagId, TagKind};

    struct AnyTag;

    impl TagLookup for AnyTag {
        fn lookup(&self, input: &str, _: Option<TagKind>) -> Result<TagId, Vec<String>> {
            TagId::parse(input).map_err(|_| vec![])
        }
    }

    fn expert() -> Expert {
        let input: ExpertInput = serde_json::from_value(json!({
            "name": "Li", "contact": {"email": "li@example.org", "phone": "123"}, "country": "DE", "city": "Bonn",
            "timezone": "Europe/Berlin", "organisation": "Uni Bonn", "position": "Professor",
            "languages": [{"code": "zh", "proficiency": "native"}], "skills": [{"tag": "ai.ml", "level": 3}],
            "engagement_modes": ["remote"], "hours_per_month": 10,
            "consent": {"given": true, "text_version": "v1"}
        }))
        .unwrap();
        let (profile, consent) = input.into_profile(&AnyTag, true, Utc::now()).unwrap();
        Expert::register(
            crate::domain::ExpertId::generate(),
            profile,
            consent.unwrap(),
            Utc::now(),
        )
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let e = expert();
        let (profile, status, _) = patch_expert(&e, &json!({"city": "Köln"}), &AnyTag, Utc::now()).unwrap();
        assert_eq!(profile.city.as_str(), "Köln");
        assert_eq!(profile.name.as_str(), "Li");
        assert_eq!(status, ExpertStatus::PendingReview);
    }

    #[test]
    fn null_removes_an_optional_member() {
        let (profile, _, _) =
            patch_expert(&expert(), &json!({"contact": {"phone": null}}), &AnyTag, Utc::now()).unwrap();
        assert!(profile.contact.phone.is_none());
    }

    #[test]
    fn a_patch_may_set_the_status() {
        let (_, status, _) = patch_expert(&expert(), &json!({"status": "active"}), &AnyTag, Utc::now()).unwrap();
        assert_eq!(status, ExpertStatus::Active);
    }

    #[test]
    fn removing_a_required_member_is_a_field_error() {
        match patch_expert(&expert(), &json!({"name": null}), &AnyTag, Utc::now()) {
            Err(Error::Invalid(list)) => assert_eq!(list[0].field, "name"),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_patch_that_is_not_an_object_is_refused() {
        assert!(patch_expert(&expert(), &json!([1]), &AnyTag, Utc::now()).is_err());
    }
}
