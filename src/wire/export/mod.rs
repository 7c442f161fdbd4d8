//! Spreadsheet and calendar renderings of shortlists and schedules: CSV with a BOM, iCalendar.

mod csv;
mod ics;

pub use self::csv::{csv_with_bom, csv_without_bom, UTF8_BOM};
pub use self::ics::{calendar, calendar_stamped, CalendarEntry, PRODID};
