//! Decoding JSON bodies: malformed JSON (400) told apart from well-formed JSON of the wrong shape (422,
//! naming the field).

use serde::de::DeserializeOwned;

use crate::error::{Error, FieldError};

/// Decodes JSON, telling malformed JSON (400) from well-formed JSON of the wrong shape (422, with the field).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Malformed(
            "the request body is empty; a JSON object was expected".into(),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => Error::Invalid(vec![field_error(&path, &inner)]),
            _ => Error::Malformed(format!("the body is not valid JSON: {inner}")),
        }
    })?;
    de.end()
        .map_err(|e| Error::Malformed(format!("the body is not valid JSON: {e}")))?;
    Ok(value)
}

fn field_error(path: &str, e: &serde_json::Error) -> FieldError {
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    let base = if path == "." { String::new() } else { path.to_string() };
    // serde names a missing field in its message, not its path.
    let field = match message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        Some(name) if base.is_empty() => name.to_string(),
        Some(name) => format!("{base}.{name}"),
        None if base.is_empty() => "body".to_string(),
        None => base,
    };
    FieldError::new(field, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        level: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        skills: Vec<Inner>,
    }

    fn field_of(json: &str) -> String {
        match decode::<Outer>(json.as_bytes()) {
            Err(Error::Invalid(list)) => list[0].field.clone(),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_type_names_its_field() {
        assert_eq!(
            field_of(r#"{"name":"a","skills":[{"level":"five"}]}"#),
            "skills[0].level"
        );
    }

    #[test]
    fn a_missing_field_names_the_field() {
        assert_eq!(field_of(r#"{"skills":[]}"#), "name");
        assert_eq!(field_of(r#"{"name":"a","skills":[{}]}"#), "skills[0].level");
    }

    #[test]
    fn an_unknown_field_is_reported() {
        let f = field_of(r#"{"name":"a","skills":[],"salary":3}"#);
        assert!(f == "salary" || f == "body", "{f}");
    }

    #[test]
    fn broken_json_is_malformed_not_invalid() {
        assert!(matches!(decode::<Outer>(b"{\"name\":"), Err(Error::Malformed(_))));
        assert!(matches!(decode::<Outer>(b""), Err(Error::Malformed(_))));
        assert!(matches!(
            decode::<Outer>(b"{\"name\":\"a\",\"skills\":[]} x"),
            Err(Error::Malformed(_))
        ));
    }
}
