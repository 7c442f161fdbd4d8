//! CSV for spreadsheets: UTF-8 with a byte-order mark, so that Excel reads Chinese and French names.

use serde::Serialize;

use crate::error::Error;

/// The UTF-8 byte-order mark Excel looks for before it will read a CSV file as UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV file of `rows`: the UTF-8 byte-order mark, a header row of field names, then one record per row.
///
/// The header comes from the first row, so no rows give the mark alone. Rows must be flat (no nested
/// structs, maps or sequences); one that is not is a bug and gives `Error::Internal`.
pub fn csv_with_bom<T: Serialize>(rows: &[T]) -> Result<Vec<u8>, Error> {
    csv_after(UTF8_BOM.to_vec(), rows)
}

/// The same CSV without the byte-order mark, for programs rather than spreadsheets.
pub fn csv_without_bom<T: Serialize>(rows: &[T]) -> Result<Vec<u8>, Error> {
    csv_after(Vec::new(), rows)
}

fn csv_after<T: Serialize>(prefix: Vec<u8>, rows: &[T]) -> Result<Vec<u8>, Error> {
    let failed = |e: ::csv::Error| Error::Internal(format!("csv export: {e}"));
    let mut writer = ::csv::Writer::from_writer(prefix);
    for row in rows {
        writer.serialize(row).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::Internal(format!("csv export: {}", e.error())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Row {
        name: String,
        note: String,
        meetings: u32,
    }

    fn parse(bytes: &[u8]) -> Vec<Row> {
        let body = bytes.strip_prefix(UTF8_BOM).expect("the file starts with the BOM");
        ::csv::Reader::from_reader(body)
            .deserialize()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn the_file_starts_with_the_bom_then_the_header() {
        let rows = [Row {
            name: "张伟".into(),
            note: "IC design".into(),
            meetings: 3,
        }];
        let bytes = csv_with_bom(&rows).unwrap();
        assert_eq!(
            std::str::from_utf8(&bytes).unwrap(),
            "\u{feff}name,note,meetings\n张伟,IC design,3\n"
        );
        assert_eq!(csv_without_bom(&rows).unwrap(), &bytes[UTF8_BOM.len()..]);
    }

    #[test]
    fn names_with_commas_quotes_and_newlines_read_back_unchanged() {
        let rows = vec![
            Row {
                name: "李娜, PhD".into(),
                note: "said \"yes\"\nthen left".into(),
                meetings: 0,
            },
            Row {
                name: "Émilie Dupont-Lévy".into(),
                note: "".into(),
                meetings: 6,
            },
        ];
        assert_eq!(parse(&csv_with_bom(&rows).unwrap()), rows);
    }

    #[test]
    fn no_rows_give_the_bom_alone() {
        assert_eq!(csv_with_bom::<Row>(&[]).unwrap(), UTF8_BOM);
    }

    #[test]
    fn a_nested_row_is_an_internal_error() {
        #[derive(Serialize)]
        struct Nested {
            inner: Vec<Row>,
        }
        let rows = [Nested {
            inner: vec![Row {
                name: "a".into(),
                note: "b".into(),
                meetings: 1,
            }],
        }];
        assert!(matches!(csv_with_bom(&rows), Err(Error::Internal(_))));
    }

    proptest! {
        #[test]
        fn any_rows_read_back_unchanged(
            rows in prop::collection::vec(
                ("[a-zA-Z 张伟李娜王芳é,;\"'\r\n\t#=]{0,16}", any::<String>(), any::<u32>())
                    .prop_map(|(name, note, meetings)| Row { name, note, meetings }),
                1..8,
            )
        ) {
            prop_assert_eq!(parse(&csv_with_bom(&rows).unwrap()), rows);
        }
    }
}
