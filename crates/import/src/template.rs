//! Text built from a row: `"{Crime type}, {Location}"` names columns in
//! braces and keeps everything else as written (`{{` and `}}` for braces).
//! A template without braces is a constant: the default for what a file lacks.

use crate::MappingError;
use crate::row::{CellError, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Column(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
    /// The names of the columns it reads, in order.
    names: Vec<String>,
}

impl Template {
    /// Parses a template, resolving column names against the file's header.
    pub fn parse(source: &str, header: &[String], key: &str) -> Result<Template, MappingError> {
        let mut parts = Vec::new();
        let mut names = Vec::new();
        let mut text = String::new();
        let mut chars = source.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => name.push(c),
                            None => {
                                return Err(MappingError::new(key, format!("{source:?}: a '{{' is not closed")));
                            }
                        }
                    }
                    let index = header.iter().position(|h| *h == name).ok_or_else(|| {
                        MappingError::new(
                            key,
                            format!("column {name:?} is not in the file; its columns are {}", quoted(header)),
                        )
                    })?;
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Column(index));
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                '}' => {
                    return Err(MappingError::new(key, format!("{source:?}: a '}}' without its '{{' (write '}}}}')")));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { parts, names })
    }

    /// The columns a template reads, e.g. `Crime type + Location`; empty for a constant.
    pub fn columns(&self) -> &[String] {
        &self.names
    }

    pub fn is_constant(&self) -> bool {
        self.names.is_empty()
    }

    /// The text for a row, trimmed.
    pub fn render(&self, row: &Row) -> Result<String, CellError> {
        match self.parts.as_slice() {
            [] => Ok(String::new()),
            [Part::Text(t)] => Ok(t.trim().to_string()),
            [Part::Column(i)] => Ok(row.cell(*i)?.trim().to_string()),
            parts => {
                let mut out = String::new();
                for p in parts {
                    match p {
                        Part::Text(t) => out.push_str(t),
                        Part::Column(i) => out.push_str(row.cell(*i)?),
                    }
                }
                Ok(out.trim().to_string())
            }
        }
    }
}

pub(crate) fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Vec<String> {
        ["Crime ID", "Month", "Crime type", "Location"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn columns_in_braces_and_text_as_written() {
        let t = Template::parse("{Crime type}, {Location} {{x}}", &header(), "k").unwrap();
        assert_eq!(t.columns(), ["Crime type", "Location"]);
        let record = csv::ByteRecord::from(vec!["a", "2018-07", "Burglary", "On or near Park Lane"]);
        let row = Row::new(&record, 2);
        assert_eq!(t.render(&row).unwrap(), "Burglary, On or near Park Lane {x}");
        assert!(Template::parse("police.uk", &header(), "k").unwrap().is_constant());
    }

    #[test]
    fn an_unknown_column_names_the_known_ones() {
        let e = Template::parse("{Crime Type}", &header(), "category.value").unwrap_err();
        assert_eq!(e.key, "category.value");
        assert!(e.message.contains("\"Crime Type\" is not in the file") && e.message.contains("\"Crime type\""));
        assert!(Template::parse("{Month", &header(), "k").is_err());
        assert!(Template::parse("Month}", &header(), "k").is_err());
    }
}
