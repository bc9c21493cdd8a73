//! The error file: every rejected row as it was, with its line, the columns
//! at fault, the rules broken and what to do, so the user can fix the rows in
//! place and import the same file again.

use crate::row::Problem;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The columns added after the file's own.
pub const EXTRA_COLUMNS: [&str; 4] = ["error_line", "error_column", "error_rule", "error_message"];

/// Where rejected rows go; the file is created at the first one.
pub struct ErrorFile {
    path: Option<PathBuf>,
    header: Vec<Vec<u8>>,
    delimiter: u8,
    writer: Option<csv::Writer<Box<dyn Write>>>,
    rows: u64,
}

impl ErrorFile {
    pub fn new(path: Option<PathBuf>, header: &[String], delimiter: u8) -> ErrorFile {
        ErrorFile {
            path,
            header: header.iter().map(|h| h.as_bytes().to_vec()).collect(),
            delimiter,
            writer: None,
            rows: 0,
        }
    }

    fn start(&mut self, sink: Box<dyn Write>) -> std::io::Result<()> {
        let mut w = csv::WriterBuilder::new().delimiter(self.delimiter).flexible(true).from_writer(sink);
        let mut header = csv::ByteRecord::new();
        for h in &self.header {
            header.push_field(h);
        }
        for c in EXTRA_COLUMNS {
            header.push_field(c.as_bytes());
        }
        w.write_byte_record(&header)?;
        self.writer = Some(w);
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Writes one rejected row: its own cells (as many as the header has),
    /// then its line and its problems, several joined by " | ".
    pub fn write(&mut self, record: &csv::ByteRecord, line: u64, problems: &[Problem]) -> std::io::Result<()> {
        if self.writer.is_none() {
            let path = self.path.clone().ok_or_else(|| std::io::Error::other("no error file"))?;
            let file =
                File::create(&path).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            self.start(Box::new(BufWriter::new(file)))?;
        }
        let w = self.writer.as_mut().expect("started above");
        let mut out = csv::ByteRecord::new();
        for i in 0..self.header.len() {
            out.push_field(record.get(i).unwrap_or_default());
        }
        let join = |f: fn(&Problem) -> &str| problems.iter().map(f).collect::<Vec<_>>().join(" | ");
        out.push_field(line.to_string().as_bytes());
        out.push_field(join(|p| &p.column).as_bytes());
        out.push_field(join(|p| &p.rule).as_bytes());
        out.push_field(join(|p| &p.message).as_bytes());
        w.write_byte_record(&out)?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(&mut self) -> std::io::Result<()> {
        if let Some(w) = self.writer.as_mut() {
            w.flush()?;
        }
        Ok(())
    }
}

/// `export.csv` -> `export.errors.csv`, beside it.
pub fn default_path(input: &Path) -> PathBuf {
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "import".into());
    input.with_file_name(format!("{stem}.errors.csv"))
}
