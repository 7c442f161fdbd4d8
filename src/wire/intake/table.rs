//! Reading a CSV file into cells by field: the delimiter guessed from the header line (comma,
//! semicolon or tab), the header resolved to fields, one entry per non-blank record with its line.

use std::collections::BTreeMap;

use super::cells::Cells;
use super::fields::FieldSpec;
use super::mapping;
use crate::error::{Error, FieldError, Result};

/// One column of the file and the field it fills.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header as written.
    pub header: String,
    /// The field, or None when the column is left out.
    pub field: Option<&'static str>,
}

/// A CSV file read into cells.
#[derive(Debug)]
pub struct Table {
    /// The columns in file order.
    pub columns: Vec<Column>,
    /// Each non-blank record: its line and its cells, or why the record cannot be read.
    pub records: Vec<(usize, Result<Cells, FieldError>)>,
}

/// The separator the header line uses most: comma, semicolon or tab.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.chars().filter(|x| *x == c).count();
    [b';', b'\t']
        .into_iter()
        .filter(|d| count(*d as char) > count(','))
        .max_by_key(|d| count(*d as char))
        .unwrap_or(b',')
}

/// Line numbers of record starts. The reader's own count lags on CRLF files (what spreadsheets
/// write): a record's position comes before the `\n` that ends the previous line.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    newlines: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, byte: usize) -> usize {
        let bytes = text.as_bytes();
        let byte = byte.clamp(self.byte, bytes.len());
        self.newlines += bytes[self.byte..byte].iter().filter(|b| **b == b'\n').count();
        self.byte = byte;
        let ahead = bytes[byte..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|b| **b == b'\n')
            .count();
        self.newlines + ahead + 1
    }
}

fn malformed(e: csv::Error) -> Error {
    Error::Malformed(format!("the file is not readable as CSV: {e}"))
}

/// Reads `text` as CSV with a header row, mapping columns to `fields`.
pub fn read(text: &str, fields: &[FieldSpec], explicit: &BTreeMap<String, Option<String>>) -> Result<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(h) => h.map_err(malformed)?,
        None => return Err(Error::field("header", "the file is empty; a header row was expected")),
    };
    let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let resolved = mapping::resolve(&headers, fields, explicit)?;
    let mut out = Vec::new();
    let mut lines = LineCounter::default();
    for record in records {
        let record = record.map_err(malformed)?;
        let line = lines.line_at(text, record.position().map_or(0, |p| p.byte() as usize));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() > headers.len() && record.iter().skip(headers.len()).any(|c| !c.trim().is_empty()) {
            let error = FieldError::new(
                "row",
                format!("{} cells, but the header has {} columns", record.len(), headers.len()),
            );
            out.push((line, Err(error)));
            continue;
        }
        let mut cells = Cells::default();
        for (cell, field) in record.iter().zip(&resolved) {
            if let Some(f) = field {
                cells.set(f, cell);
            }
        }
        out.push((line, Ok(cells)));
    }
    let columns = headers
        .into_iter()
        .zip(resolved)
        .map(|(header, field)| Column { header, field })
        .collect();
    Ok(Table { columns, records: out })
}

#[cfg(test)]
mod tests {
    use super::super::fields::NEED_FIELDS;
    use super::*;

    const HEADER: &str = "企业名称;园区;需求标题;需求类型;技能;合作方式;紧急程度";

    #[test]
    fn the_delimiter_is_guessed_from_the_header() {
        assert_eq!(delimiter("a,b,c\n1;2"), b',');
        assert_eq!(delimiter(HEADER), b';');
        assert_eq!(delimiter("a\tb\tc"), b'\t');
    }

    #[test]
    fn records_keep_their_line_and_blank_ones_are_dropped() {
        let text = format!("{HEADER}\nA;南沙;T1;咨询;ai;远程;高\n;;;;;;\n\"B\nCo\";南沙;T2;咨询;ai;远程;高\n");
        let t = read(&text, NEED_FIELDS, &BTreeMap::new()).unwrap();
        let lines: Vec<usize> = t.records.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 4]);
        let cells = t.records[1].1.as_ref().unwrap();
        assert_eq!(cells.get("enterprise.name"), Some("B\nCo"));
    }

    #[test]
    fn lines_are_counted_right_in_crlf_files() {
        let text = format!("{HEADER}\r\nA;南沙;T1;咨询;ai;远程;高\r\n\r\nB;南沙;T2;咨询;ai;远程;高\r\n");
        let t = read(&text, NEED_FIELDS, &BTreeMap::new()).unwrap();
        let lines: Vec<usize> = t.records.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 4]);
    }

    #[test]
    fn a_record_longer_than_the_header_is_reported() {
        let text = format!("{HEADER}\nA;南沙;T1;咨询;ai;远程;高;extra\n");
        let t = read(&text, NEED_FIELDS, &BTreeMap::new()).unwrap();
        assert!(t.records[0].1.is_err());
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert!(read("", NEED_FIELDS, &BTreeMap::new()).is_err());
    }
}
