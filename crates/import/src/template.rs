//! Text built from a row: `"{Crime type}, {Location}"` names columns in
//! braces and keeps everything else as written (`{{` and `}}` for braces).
//! A template without braces is a constant: the default for what a file lacks.
//! `{sha256:Month|Location}` stands for the SHA-256 of the named cells (see
//! `digest`), in 64 lowercase hexadecimal digits: an identity of bounded
//! length made of cells of any length.

use crate::MappingError;
use crate::digest;
use crate::row::{CellError, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Column(usize),
    /// The hash of these cells, in order.
    Sha256(Vec<usize>),
}

/// What `{sha256:...}` opens with.
const SHA256: &str = "sha256:";
/// The characters a hash is written in.
const SHA256_CHARS: usize = 64;

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
                    // `{sha256:A|B}` reads the columns it lists, `{A}` its one.
                    let (read, hashed) = match name.strip_prefix(SHA256) {
                        Some(list) => (list.split('|').collect::<Vec<_>>(), true),
                        None => (vec![name.as_str()], false),
                    };
                    if hashed && read == [""] {
                        return Err(MappingError::new(
                            key,
                            format!("{source:?}: name the columns to hash, e.g. {{sha256:Month|Location}}"),
                        ));
                    }
                    let indexes = read.iter().map(|n| column(n, header, key)).collect::<Result<Vec<_>, _>>()?;
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(if hashed { Part::Sha256(indexes) } else { Part::Column(indexes[0]) });
                    for n in read {
                        if !names.iter().any(|m| m == n) {
                            names.push(n.to_string());
                        }
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

    /// The characters the template gives whatever the row: its text and hashes.
    pub fn fixed_chars(&self) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.chars().count(),
                Part::Sha256(_) => SHA256_CHARS,
                Part::Column(_) => 0,
            })
            .sum()
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
                        Part::Sha256(columns) => out.push_str(&sha256(row, columns)?),
                    }
                }
                Ok(out.trim().to_string())
            }
        }
    }
}

/// The hash of cells as read (not trimmed), each length-prefixed.
fn sha256(row: &Row, columns: &[usize]) -> Result<String, CellError> {
    let cells = columns.iter().map(|i| row.cell(*i)).collect::<Result<Vec<_>, _>>()?;
    Ok(digest::hex(&digest::fields(cells.iter().map(|c| c.as_bytes()))))
}

/// A column of the header, by its name.
fn column(name: &str, header: &[String], key: &str) -> Result<usize, MappingError> {
    header.iter().position(|h| h == name).ok_or_else(|| {
        MappingError::new(key, format!("column {name:?} is not in the file; its columns are {}", quoted(header)))
    })
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

    #[test]
    fn sha256_hashes_the_named_cells_each_length_prefixed() {
        let record = csv::ByteRecord::from(vec!["a", "2018-07", "Burglary", "On or near Park Lane"]);
        let row = Row::new(&record, 2);
        let t = Template::parse("uk-{sha256:Crime type|Location}", &header(), "source.id").unwrap();
        // sha256(be64(8) "Burglary" be64(20) "On or near Park Lane"), computed apart from this code.
        let expected = "eb934d80d35f8b1ef7695c7f4df56e4e6c563ca88cb94f73d6653d2de698a0f5";
        assert_eq!(t.render(&row).unwrap(), format!("uk-{expected}"));
        assert_eq!(t.columns(), ["Crime type", "Location"]);
        assert_eq!(t.fixed_chars(), 67, "text and a hash");
        let raw = Template::parse("{Crime ID}-{sha256:Month}", &header(), "source.id").unwrap();
        assert_eq!(raw.fixed_chars(), 65, "a raw cell counts for nothing");
    }

    #[test]
    fn a_hash_of_an_unknown_column_or_of_nothing_is_a_mapping_error() {
        let e = Template::parse("{sha256:Month|Crime Type}", &header(), "source.id").unwrap_err();
        assert_eq!(e.key, "source.id");
        assert!(e.message.contains("\"Crime Type\" is not in the file"), "{}", e.message);
        let e = Template::parse("{sha256:}", &header(), "source.id").unwrap_err();
        assert!(e.message.contains("name the columns to hash"), "{}", e.message);
    }

    #[test]
    fn no_template_makes_the_parser_or_the_renderer_panic() {
        // Every string of up to five of these pieces: braces, pipes, the hash's
        // prefix, names known and unknown, multi-byte text.
        let pieces = ["{", "}", "|", "sha256:", "Month", "Crime type", "x", "é", "{{"];
        let record = csv::ByteRecord::from(vec!["a", "2018-07", "Burglary", "On or near Park Lane"]);
        let row = Row::new(&record, 2);
        let mut sources = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> =
                sources.iter().flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}"))).collect();
            for source in &longer {
                if let Ok(t) = Template::parse(source, &header(), "k") {
                    t.render(&row).unwrap_or_else(|e| panic!("{source:?}: {e:?}"));
                }
            }
            sources = longer;
        }
    }
}
