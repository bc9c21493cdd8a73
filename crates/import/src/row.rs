//! One row of the file and what can be wrong with it: every problem names
//! the column it is in (or the mapping key it comes from) and a rule code.

use csv::ByteRecord;

/// A row as read, with the line it starts on.
pub struct Row<'a> {
    record: &'a ByteRecord,
    pub line: u64,
}

impl<'a> Row<'a> {
    pub fn new(record: &'a ByteRecord, line: u64) -> Row<'a> {
        Row { record, line }
    }

    /// A cell as text; a cell that is not UTF-8, or holds a NUL character
    /// (which PostgreSQL cannot store and C libraries cut text at, and the
    /// API refuses too), is an error of its column.
    pub fn cell(&self, index: usize) -> Result<&'a str, CellError> {
        let bytes = self.record.get(index).unwrap_or_default();
        let error = |rule, message: &str| CellError { column: ColumnRef::Index(index), rule, message: message.into() };
        let text = std::str::from_utf8(bytes)
            .map_err(|_| error("cell.encoding", "the cell is not UTF-8 text: save the file as UTF-8"))?;
        if text.contains('\0') {
            return Err(error("text.nul", "the cell holds a NUL character, which no text may"));
        }
        Ok(text)
    }
}

/// Where a problem is: columns of the file, or a key of the mapping when the
/// value came from the mapping itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRef {
    Index(usize),
    Names(Vec<String>),
    Mapping(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub column: ColumnRef,
    pub rule: &'static str,
    pub message: String,
}

/// A rejected row's problem as the error file shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub column: String,
    pub rule: String,
    pub message: String,
}

impl ColumnRef {
    pub fn shown(&self, header: &[String]) -> String {
        match self {
            ColumnRef::Index(i) => header.get(*i).cloned().unwrap_or_else(|| format!("#{}", i + 1)),
            ColumnRef::Names(n) => n.join(" + "),
            ColumnRef::Mapping(key) => format!("mapping:{key}"),
        }
    }
}

impl CellError {
    pub fn problem(&self, header: &[String]) -> Problem {
        Problem { column: self.column.shown(header), rule: self.rule.to_string(), message: self.message.clone() }
    }
}
