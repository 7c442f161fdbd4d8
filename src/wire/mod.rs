//! Wire types: the JSON shapes of `schemas/`, one to one, and their conversion into domain values.
//! Used by `http` and by the seed loader; no actix here.

mod adhoc;
mod channel;
mod decode;
mod expert_input;
mod expert_view;
pub mod export;
mod fields;
pub mod limits;
mod matching;
mod need_input;
mod need_view;
mod patch;
mod tag;

use serde::{Deserialize, Serialize};

pub use adhoc::AdhocNeedInput;
pub use channel::{ChannelInput, ChannelView};
pub use decode::decode;
pub use expert_input::{ConsentInput, ContactInput, ExpertInput, LanguageInput, PreferencesInput, SkillInput};
pub use expert_view::{ConsentView, ExpertView, Registration};
pub use matching::{
    BatchError, BatchRequest, BatchResponse, BatchResult, ExpertMatches, ExpertSummary, Explanation, GateView,
    MatchItem, MatchList, NeedMatchItem, PairView, ReverseFitView, TagCreditView,
};
pub use need_input::{EnterpriseContactInput, EnterpriseInput, IndicatorInput, NeedInput, NeedSkillInput};
pub use need_view::NeedView;
pub use patch::{patch_expert, patch_need};
pub use tag::{
    ConceptInput, Resolution, ResolveRequest, ResolveResponse, SuggestionView, TagHitView, TagRef, TagSearchResponse,
    TagView,
};

/// One page of a list, with the cursor of the next page when there is one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}
