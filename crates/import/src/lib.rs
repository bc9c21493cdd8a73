//! Brings another system's records in: a CSV export is read row by row, each
//! row mapped (by a mapping file, see `docs/import.md`) to the acts it stands
//! for, and recorded through the registry's one write path
//! (`Registry::record_batch`), under the same rules as the API.
//!
//! - Every rejected row goes to an error file beside the input: the row as
//!   it was, its line, the columns at fault, the rules broken and why.
//! - Accepted rows are committed in batches; a row and the acts that follow
//!   from it (the decisions on a case) land in one transaction.
//! - Each row keeps its source identity (`SourceRef`), recorded in the same
//!   transaction as its act: a row imported before is skipped, so importing a
//!   file again adds nothing and an interrupted import resumes where it stopped.
//! - The file is streamed: memory holds one batch, whatever the file's size,
//!   and a count for each content of the rows without an id (`identity`).

mod digest;
mod errors;
mod identity;
mod mapping;
mod row;
mod template;
mod values;

pub use errors::{EXTRA_COLUMNS, default_path as default_error_path};
pub use mapping::{Compiled, DecisionName, IdWhenEmpty, Mapping, Planned, PlannedKind, Register};
pub use row::Problem;
pub use values::{parse_bool, parse_number};

use crimeboard_domain::access::Principal;
use crimeboard_domain::act::Assigned;
use crimeboard_domain::case::CaseDecision;
use crimeboard_domain::error::{Rejected, Violation};
use crimeboard_domain::report::DecideReport;
use crimeboard_domain::rules::Rules;
use crimeboard_domain::{Command, Context, Loaded};
use crimeboard_service::audit::{Actor, Audited};
use crimeboard_service::{Registry, ServiceError, Submission, UnitsAddition};
use crimeboard_store::StoreError;
use errors::ErrorFile;
use identity::Occurrences;
use row::Row;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Something wrong with the mapping itself: the key it is about and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", if key.is_empty() { String::new() } else { format!("mapping {key}: ") })]
pub struct MappingError {
    pub key: String,
    pub message: String,
}

impl MappingError {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> MappingError {
        MappingError { key: key.into(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error("reading the file: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the mapping's units: {0}")]
    Units(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Rows per transaction.
    pub batch_size: usize,
    /// Where rejected rows are written; created only if a row is rejected.
    pub errors: PathBuf,
    /// The input's size, if known, for progress.
    pub total_bytes: Option<u64>,
    /// Checks each row against the rules before its batch is sent, so that a
    /// refused row costs no rolled-back transaction (the registry checks
    /// again, as always). Off, a refused row rolls its batch back and the
    /// batch is sent again without it.
    pub check_first: bool,
    /// Who the audit trail names for each batch written (`import.batch`,
    /// in the batch's transaction); None records no audit (tests). The acts
    /// themselves are recorded by the system principal the mapping's
    /// `acts.actor` names, which the journal and the record name too.
    pub audit_as: Option<Actor>,
}

/// How far an import has got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows read.
    pub rows: u64,
    /// Rows recorded in this run.
    pub imported: u64,
    /// Rows skipped because they were imported before.
    pub already_imported: u64,
    /// Rows written to the error file.
    pub rejected: u64,
    /// Acts recorded (a row is one act, or more when decisions follow).
    pub acts: u64,
    /// Bytes of the input read, and the input's size if known.
    pub bytes: u64,
    pub total_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub progress: Progress,
    /// The error file, if any row was rejected.
    pub errors: Option<PathBuf>,
    pub elapsed: Duration,
}

/// Imports a file, writing rejected rows to `errors` (by default
/// `NAME.errors.csv` beside it), which is replaced: it holds what this run
/// refused, and is not created when nothing was.
pub fn import_file(
    registry: &Registry,
    path: &Path,
    mapping: &Mapping,
    batch_size: usize,
    errors: Option<PathBuf>,
    by: &Actor,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportSummary, ImportError> {
    let file =
        std::fs::File::open(path).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    let total_bytes = file.metadata().ok().map(|m| m.len());
    let errors = errors.unwrap_or_else(|| errors::default_path(path));
    if std::fs::canonicalize(&errors).ok() == std::fs::canonicalize(path).ok() {
        return Err(
            std::io::Error::other(format!("{}: the error file cannot be the file imported", errors.display())).into()
        );
    }
    // The error file says what this run refused: one left by an earlier run goes.
    match std::fs::remove_file(&errors) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(std::io::Error::new(e.kind(), format!("{}: {e}", errors.display())).into());
        }
        _ => {}
    }
    let options = ImportOptions { batch_size, errors, total_bytes, check_first: true, audit_as: Some(by.clone()) };
    import(registry, std::io::BufReader::with_capacity(1 << 20, file), mapping, &options, progress)
}

/// Imports the rows of a CSV stream (its first line names the columns).
pub fn import(
    registry: &Registry,
    input: impl Read,
    mapping: &Mapping,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportSummary, ImportError> {
    let started = Instant::now();
    // The header first: a file the mapping does not fit changes nothing, not even the units.
    let mut rows = PlannedRows::new(input, mapping)?;
    let principal = registry.system(mapping.actor());
    add_missing_units(registry, &principal, mapping)?;
    let compiled = rows.compiled().clone();
    let mut run = Run {
        registry,
        mapping,
        compiled: &compiled,
        errors: ErrorFile::new(Some(options.errors.clone()), compiled.own_header(), mapping.delimiter()?),
        check_first: options.check_first,
        progress: Progress { total_bytes: options.total_bytes, ..Progress::default() },
        batch: Batch::default(),
        rejected: Vec::new(),
        audit_as: options.audit_as.as_ref(),
        principal,
    };
    let batch_size = options.batch_size.max(1);
    let rules = registry.jurisdiction().rules.clone();
    while let Some(row) = rows.next_row(&rules)? {
        run.progress.rows += 1;
        match row.plan {
            Ok(planned) => run.batch.push(planned, row.record),
            Err(problems) => run.reject(&row.record, row.line, problems),
        }
        if run.batch.len() + run.rejected.len() >= batch_size {
            run.progress.bytes = row.end;
            run.flush()?;
            progress(&run.progress);
        } else if run.progress.rows.is_multiple_of(1000) {
            run.progress.bytes = row.end;
            progress(&run.progress);
        }
    }
    run.flush()?;
    run.progress.bytes = rows.bytes_read();
    run.errors.finish()?;
    progress(&run.progress);
    Ok(ImportSummary {
        errors: (run.errors.rows() > 0).then(|| options.errors.clone()),
        progress: run.progress,
        elapsed: started.elapsed(),
    })
}

/// A CSV stream read against a mapping, row by row: each row mapped to the
/// acts it stands for, or the problems that keep it out. Nothing here
/// touches a registry; the rules that need one are checked when the row's
/// batch is sent.
pub struct PlannedRows<R> {
    reader: csv::Reader<R>,
    compiled: Compiled,
    /// The line of the row before (the header's is 1).
    last_line: u64,
    /// The contents of the rows without an id so far, for their identities.
    seen: Occurrences,
}

/// One row of the file as read, and what it maps to.
pub struct PlannedRow {
    /// The line the row starts on.
    pub line: u64,
    /// The row's cells, as read (for the error file).
    pub record: csv::ByteRecord,
    /// Where the row ends, in bytes from the start of the stream.
    pub end: u64,
    pub plan: Result<Planned, Vec<Problem>>,
}

impl<R: Read> PlannedRows<R> {
    /// Reads the header (its first line names the columns) and compiles the mapping against it.
    pub fn new(input: R, mapping: &Mapping) -> Result<PlannedRows<R>, ImportError> {
        let delimiter = mapping.delimiter()?;
        let mut reader =
            csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(input);
        let header: Vec<String> = reader
            .byte_headers()?
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
                if i == 0 { h.trim_start_matches('\u{feff}').to_string() } else { h.into_owned() }
            })
            .collect();
        let compiled = mapping.compile(&header)?;
        Ok(PlannedRows { reader, compiled, last_line: 1, seen: Occurrences::default() })
    }

    pub fn header(&self) -> &[String] {
        self.compiled.header()
    }

    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The next row, or None at the end of the stream. A row with another
    /// number of cells than the header is refused whole (`csv.field_count`).
    pub fn next_row(&mut self, rules: &Rules) -> Result<Option<PlannedRow>, ImportError> {
        let mut record = csv::ByteRecord::new();
        if !self.reader.read_byte_record(&mut record)? {
            return Ok(None);
        }
        // The reader counts line feeds only: rows ended by a bare carriage
        // return (old Mac spreadsheets) would all share one line in the error
        // file. Each row gets a line of its own.
        let line = record.position().map_or(0, |p| p.line()).max(self.last_line + 1);
        self.last_line = line;
        let end = self.reader.position().byte();
        let header = self.compiled.header();
        let plan = if record.len() != header.len() {
            Err(vec![Problem {
                column: String::new(),
                rule: "csv.field_count".into(),
                message: format!("the row has {} cells, the header {}", record.len(), header.len()),
            }])
        } else {
            self.compiled
                .plan(&Row::new(&record, line), &record, rules, &mut self.seen)
                .map_err(|problems| dedup(problems.iter().map(|p| p.problem(header)).collect()))
        };
        Ok(Some(PlannedRow { line, record, end, plan }))
    }

    /// Bytes of the stream read so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }
}

/// Adds the units the mapping declares that the registry lacks, parents
/// first: the source's structure, in force on every day so that its rows of
/// any year are recorded in them, unless the mapping dates them.
fn add_missing_units(registry: &Registry, by: &Principal, mapping: &Mapping) -> Result<(), ImportError> {
    let tree = registry.units();
    let missing: Vec<_> = mapping.unit_tree().iter().filter(|u| tree.get(&u.code).is_none()).cloned().collect();
    if missing.is_empty() {
        return Ok(());
    }
    let addition =
        UnitsAddition { effective_from: mapping.units_in_force(), legal_ground: mapping.legal_ground().to_string() };
    match registry.add_units(by, &missing, &addition) {
        Ok(_) => Ok(()),
        // Another import added them meanwhile.
        Err(_) if missing.iter().all(|u| registry.units().get(&u.code).is_some()) => Ok(()),
        Err(ServiceError::BatchItem { index, rejected }) => {
            Err(ImportError::Units(format!("unit {}: {rejected}", missing[index].code)))
        }
        Err(other) => Err(ImportError::Units(other.to_string())),
    }
}

/// Rows mapped and waiting for their transaction, with their cells as read
/// (for the error file) and what follows each.
#[derive(Default)]
struct Batch {
    submissions: Vec<Submission>,
    rows: Vec<Waiting>,
}

struct Waiting {
    line: u64,
    record: csv::ByteRecord,
    source_id: String,
    /// The identity the row had under the rule before, if it is known by its content.
    line_identity: Option<String>,
    then: Then,
}

/// What follows a row's first act, once its entity has an id.
enum Then {
    Case { decisions: Vec<crimeboard_domain::case::Procedural>, decided_at: chrono::DateTime<chrono::Utc> },
    Report { decision: Option<crimeboard_domain::report::ReportOutcome>, decided_at: chrono::DateTime<chrono::Utc> },
}

impl Then {
    fn commands(&self, id: Uuid) -> Vec<Command> {
        match self {
            Then::Case { decisions, decided_at } => decisions
                .iter()
                .map(|d| {
                    Command::DecideCase(CaseDecision { case_id: id, decided_at: *decided_at, decision: d.clone() })
                })
                .collect(),
            Then::Report { decision, decided_at } => decision
                .iter()
                .map(|o| {
                    Command::DecideReport(DecideReport {
                        report_id: id,
                        decided_at: *decided_at,
                        outcome: o.clone(),
                        late_reason: None,
                    })
                })
                .collect(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Then::Case { decisions, .. } => decisions.len(),
            Then::Report { decision, .. } => usize::from(decision.is_some()),
        }
    }
}

impl Batch {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn push(&mut self, planned: Planned, record: csv::ByteRecord) {
        let source_id = planned.source().id.clone();
        let (line, line_identity) = (planned.line, planned.line_identity.clone());
        let (command, then) = acts_of(planned);
        // Actor and ground are filled in when the batch is sent.
        self.submissions.push(Submission { actor: String::new(), legal_ground: String::new(), command, late: None });
        self.rows.push(Waiting { line, record, source_id, line_identity, then });
    }

    fn remove(&mut self, i: usize) -> Waiting {
        self.submissions.remove(i);
        self.rows.remove(i)
    }

    /// Keeps the rows for which `keep` says so; returns the others.
    fn retain(&mut self, mut keep: impl FnMut(usize, &Waiting, &Submission) -> bool) -> Vec<(Waiting, Submission)> {
        let rows = std::mem::take(&mut self.rows);
        let subs = std::mem::take(&mut self.submissions);
        let mut dropped = Vec::new();
        for (i, (w, s)) in rows.into_iter().zip(subs).enumerate() {
            if keep(i, &w, &s) {
                self.rows.push(w);
                self.submissions.push(s);
            } else {
                dropped.push((w, s));
            }
        }
        dropped
    }
}

struct Run<'a> {
    registry: &'a Registry,
    mapping: &'a Mapping,
    compiled: &'a Compiled,
    errors: ErrorFile,
    progress: Progress,
    batch: Batch,
    /// Rows refused since the last batch was written: (line, cells, problems).
    rejected: Vec<(u64, csv::ByteRecord, Vec<Problem>)>,
    check_first: bool,
    audit_as: Option<&'a Actor>,
    /// Who records the acts: the system, under the mapping's `acts.actor`.
    principal: Principal,
}

/// One problem per column and rule (a month that is both the date of the
/// crime and of its registration is wrong once).
fn dedup(problems: Vec<Problem>) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::with_capacity(problems.len());
    for p in problems {
        if !out.iter().any(|q| q.column == p.column && q.rule == p.rule) {
            out.push(p);
        }
    }
    out
}

impl Run<'_> {
    /// Sets a row aside for the error file, written in line order when the batch is.
    fn reject(&mut self, record: &csv::ByteRecord, line: u64, problems: Vec<Problem>) {
        self.rejected.push((line, record.clone(), dedup(problems)));
        self.progress.rejected += 1;
    }

    fn write_rejected(&mut self) -> Result<(), ImportError> {
        self.rejected.sort_by_key(|(line, _, _)| *line);
        for (line, record, problems) in self.rejected.drain(..) {
            self.errors.write(&record, line, &problems)?;
        }
        Ok(())
    }

    fn violations(&self, rejected: &Rejected) -> Vec<Problem> {
        rejected.0.iter().map(|v| self.problem(v)).collect()
    }

    fn problem(&self, v: &Violation) -> Problem {
        Problem {
            column: self.compiled.columns_of(&v.field).shown(self.compiled.header()),
            rule: v.rule.clone(),
            message: v.to_string(),
        }
    }

    /// Records the waiting rows: those imported before are skipped, those the
    /// rules refuse go to the error file, the rest are committed together.
    fn flush(&mut self) -> Result<(), ImportError> {
        self.record_batch()?;
        self.write_rejected()
    }

    fn record_batch(&mut self) -> Result<(), ImportError> {
        if self.batch.len() == 0 {
            return Ok(());
        }
        let mut batch = std::mem::take(&mut self.batch);
        // The same record twice in the file: the second is already imported.
        let mut seen = HashSet::new();
        let twice = batch.retain(|_, w, _| seen.insert(w.source_id.clone()));
        self.progress.already_imported += twice.len() as u64;
        // Records a committed batch (this run or an earlier one) holds, under
        // their identity or, imported before rows were known by their content, their line's.
        let ids: Vec<String> =
            batch.rows.iter().flat_map(|w| std::iter::once(&w.source_id).chain(&w.line_identity)).cloned().collect();
        let known: HashSet<String> = self
            .registry
            .store()
            .imported(self.mapping.system(), &ids)
            .map_err(ServiceError::from)?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let before = batch.retain(|_, w, _| {
            !known.contains(&w.source_id) && !w.line_identity.as_ref().is_some_and(|l| known.contains(l))
        });
        self.progress.already_imported += before.len() as u64;
        // The rules, checked here first, so that a batch is rarely refused whole.
        let refused = if self.check_first { self.precheck(&batch) } else { Vec::new() };
        for (w, _) in batch.retain(|i, _, _| !refused.iter().any(|(j, _)| *j == i)) {
            let rejected = &refused.iter().find(|(_, r)| r.line == w.line).expect("refused row").1.rejected;
            let problems = self.violations(rejected);
            self.reject(&w.record, w.line, problems);
        }
        for s in &mut batch.submissions {
            s.actor = self.mapping.actor().to_string();
            s.legal_ground = self.mapping.legal_ground().to_string();
        }
        self.submit(batch)
    }

    /// Which rows the rules refuse, by their place in the batch.
    fn precheck(&self, batch: &Batch) -> Vec<(usize, Refusal)> {
        let units = self.registry.units();
        let reference = self.registry.jurisdiction();
        let ctx = Context {
            catalogue: &reference.catalogue,
            rules: &reference.rules,
            units: &units,
            now: self.registry.now(),
        };
        let mut refused = Vec::new();
        for (i, (w, s)) in batch.rows.iter().zip(&batch.submissions).enumerate() {
            if let Err(rejected) = precheck(&s.command, &w.then, &ctx) {
                refused.push((i, Refusal { line: w.line, rejected }));
            }
        }
        refused
    }

    fn submit(&mut self, mut batch: Batch) -> Result<(), ImportError> {
        let actor = self.mapping.actor().to_string();
        let ground = self.mapping.legal_ground().to_string();
        loop {
            if batch.len() == 0 {
                return Ok(());
            }
            let rows = &batch.rows;
            let mut then = |i: usize, receipt: &crimeboard_service::Receipt| {
                rows[i]
                    .then
                    .commands(receipt.entity_id)
                    .into_iter()
                    .map(|command| Submission {
                        actor: actor.clone(),
                        legal_ground: ground.clone(),
                        command,
                        late: None,
                    })
                    .collect()
            };
            let lines = batch.rows.iter().map(|w| w.line);
            let (first, last) = (lines.clone().min().unwrap_or(0), lines.max().unwrap_or(0));
            let audited = match self.audit_as {
                None => Audited::No,
                Some(by) => Audited::Batch {
                    by,
                    action: "import.batch",
                    target: self.mapping.system(),
                    detail: format!("lines={first}-{last} rows={}", batch.len()),
                },
            };
            match self.registry.record_batch(&self.principal, &batch.submissions, Some(&mut then), &audited) {
                Ok(_) => {
                    self.progress.imported += batch.len() as u64;
                    self.progress.acts += batch.rows.iter().map(|w| 1 + w.then.len() as u64).sum::<u64>();
                    return Ok(());
                }
                Err(ServiceError::BatchItem { index, rejected }) => {
                    let w = batch.remove(index);
                    let problems = self.violations(&rejected);
                    self.reject(&w.record, w.line, problems);
                }
                Err(ServiceError::Store(StoreError::AlreadyImported { id, .. })) => {
                    // Imported meanwhile by someone else, or twice in this batch.
                    let at: Vec<usize> =
                        batch.rows.iter().enumerate().filter(|(_, w)| w.source_id == id).map(|(i, _)| i).collect();
                    let Some(&i) = at.get(1).or(at.first()) else {
                        return Err(ServiceError::Store(StoreError::AlreadyImported {
                            system: self.mapping.system().into(),
                            id,
                        })
                        .into());
                    };
                    batch.remove(i);
                    self.progress.already_imported += 1;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

struct Refusal {
    line: u64,
    rejected: Rejected,
}

/// A row's first act, and what follows it once its entity has an id.
fn acts_of(planned: Planned) -> (Command, Then) {
    match planned.kind {
        PlannedKind::Case { case, decisions, decided_at } => {
            (Command::OpenCase(case), Then::Case { decisions, decided_at })
        }
        PlannedKind::Report { report, decision, decided_at } => {
            (Command::RegisterReport(report), Then::Report { decision, decided_at })
        }
    }
}

/// The rules a planned row's acts must satisfy on the row alone, as
/// `import` checks them before sending its batch (the registry checks again).
pub fn check_planned(planned: &Planned, ctx: &Context) -> Result<(), Rejected> {
    let (first, then) = acts_of(planned.clone());
    precheck(&first, &then, ctx)
}

/// The rules a row's acts must satisfy, checked on the row alone (the acts
/// that follow see the entity the first one creates), as the registry will.
fn precheck(first: &Command, then: &Then, ctx: &Context) -> Result<(), Rejected> {
    first.check(&Loaded::new(), ctx)?;
    if then.len() == 0 {
        return Ok(());
    }
    let id = Uuid::from_u128(1);
    let persons = match first {
        Command::OpenCase(c) => c.persons.len(),
        Command::RegisterReport(r) => usize::from(r.applicant.is_some()),
        _ => 0,
    };
    let assigned = Assigned {
        id,
        number: String::new(),
        person_ids: (0..persons).map(|_| Uuid::from_u128(2)).collect(),
        ..Assigned::default()
    };
    let mut loaded = Loaded::new();
    first.apply(&assigned, &mut loaded, ctx);
    for command in then.commands(id) {
        command.check(&loaded, ctx)?;
        let assigned = Assigned { id, ..Assigned::default() };
        command.apply(&assigned, &mut loaded, ctx);
    }
    Ok(())
}
