//! Wire types: the JSON shapes of `schemas/`, one to one, and their conversion into domain values.
//! Used by `http` and by the seed loader; no actix here.

mod adhoc;
mod channel;
mod decode;
mod event_input;
mod event_rows;
mod event_view;
mod expert_input;
mod expert_view;
pub mod export;
mod fields;
pub mod intake;
mod introduction;
pub mod limits;
mod matching;
mod meeting_input;
mod need_input;
mod need_view;
mod patch;
mod personal_data;
mod schedule_view;
mod shortlist_view;
mod suggestion_view;
mod tag;
mod viewer_token;

use serde::{Deserialize, Serialize};

pub use adhoc::AdhocNeedInput;
pub use channel::{ChannelInput, ChannelView};
pub use decode::decode;
pub use event_input::{
    instant_in, EventExpertInput, EventInput, EventNeedInput, PreferenceInput, QuotaInput, SlotInput, WakingHoursInput,
};
pub use event_rows::{calendar_entries, cell, csv_file, meeting_rows, shortlist_rows, MeetingRow, ShortlistRow};
pub use event_view::{expert_label, EventExpertView, EventNeedView, EventView};
pub use expert_input::{ConsentInput, ContactInput, ExpertInput, LanguageInput, PreferencesInput, SkillInput};
pub use expert_view::{ConsentView, ExpertView, Registration};
pub use introduction::{
    operator_actor, ContactView, IntroductionInput, IntroductionView, ReleasedContactsView, StepView, TransitionInput,
};
pub use matching::{
    BatchError, BatchRequest, BatchResponse, BatchResult, ExpertMatches, ExpertSummary, Explanation, GateView,
    MatchItem, MatchList, NeedMatchItem, PairView, ReverseFitView, TagCreditView,
};
pub use meeting_input::{MeetingInput, ParsedMeeting};
pub use need_input::{EnterpriseContactInput, EnterpriseInput, IndicatorInput, NeedInput, NeedSkillInput};
pub use need_view::NeedView;
pub use patch::{patch_channel, patch_event, patch_expert, patch_need};
pub use personal_data::{OwnEvent, OwnMeeting, PersonalDataView};
pub use schedule_view::{LocalSpan, MeetingView, ScheduleSummary, ScheduleView, UnplacedView};
pub use shortlist_view::{ExposureView, ShortlistItem, ShortlistView, ShortlistsView};
pub use suggestion_view::{AsleepView, SuggestionsView, WindowView};
pub use tag::{
    ConceptInput, Resolution, ResolveRequest, ResolveResponse, SuggestionView, TagHitView, TagRef, TagSearchResponse,
    TagView,
};
pub use viewer_token::{ViewerTokenCreated, ViewerTokenInput, ViewerTokenList, ViewerTokenView};

/// One page of a list, with the cursor of the next page when there is one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}
