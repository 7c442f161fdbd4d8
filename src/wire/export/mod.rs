//! Spreadsheet and calendar renderings of shortlists and schedules: CSV with a BOM, iCalendar.
