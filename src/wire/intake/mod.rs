//! Bulk intake files: CSV (UTF-8 or GB18030, English or Chinese headers, an optional header
//! mapping) and JSON lines, read into the engine's rows through the same checks as the API, and
//! the JSON report of an intake.

mod cells;
mod encoding;
mod expert_rows;
mod fields;
mod file;
mod mapping;
mod need_rows;
mod source;
mod table;
mod values;
mod view;

pub use encoding::TextEncoding;
pub use expert_rows::ExpertLine;
pub use fields::{FieldSpec, EXPERT_FIELDS, NEED_FIELDS};
pub use file::{expert_file, need_file, FileMeta, ParsedFile};
pub use need_rows::NeedLine;
pub use source::{parse_mapping, IntakeFormat, IntakeSource};
pub use table::Column;
pub use view::{ColumnView, IntakeReportView, LinkView, RowView};
