//! The Board's report as a printable A4 PDF: the title, unit and period, the
//! narrative, the scope's figures with their change, the crimes recorded in
//! each unit below it, each funnel plot's reading and table (the plot itself
//! is the page's and the workbook's), and on every page its number and the
//! report's stamp (counting rules, catalogue, journal position).
//!
//! Text is set in DejaVu Sans Condensed (Bitstream Vera licence,
//! `fonts/LICENSE-DejaVu.txt`), which covers the Azerbaijani and Cyrillic
//! letters. A character it lacks (the manat sign, U+20BC) is set in a
//! fallback face, the sign's glyph of Noto Sans (SIL Open Font License,
//! `fonts/LICENSE-OFL.txt`; the pages serve the same file). Only the glyphs
//! used are embedded (a subset per face), as CID fonts with a ToUnicode map so
//! that the text can be searched and copied.
//! Layout is done here in two passes: the pages are laid out as marks first,
//! then written once their number is known, for "page 2 of 5".

use crate::chart::units_table;
use crate::funnel::funnel_chart;
use crate::locale::{Args, Catalog, catalog};
use crate::narrative::narrative;
use crate::numbers::{amount, decimal};
use crate::period_phrase::date;
use crate::table::{Measure, Row, rows};
use crate::{Lang, name_in};
use crimeboard_stats::board::BoardReport;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;
use std::io::Write;
use subsetter::GlyphRemapper;

pub mod briefing;

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed-Bold.ttf");
/// The fallback for what DejaVu lacks: the manat sign alone.
const FALLBACK: &[u8] = include_bytes!("../fonts/NotoSans-manat.ttf");
/// The embedded fonts, in this order: the two faces and the fallback.
const FONT_DATA: [&[u8]; FONTS] = [REGULAR, BOLD, FALLBACK];
const FONTS: usize = 3;
const FALLBACK_FONT: usize = 2;
/// The indicator of the units side by side.
const UNITS_INDICATOR: &str = "crimes_recorded";
const FONT_NAME: [&str; FONTS] = ["DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "NotoSans-Regular"];
/// Subset tags: six capitals, one per embedded subset of the document.
const SUBSET_TAG: [&str; FONTS] = ["CBREGA", "CBBOLD", "CBMANA"];
/// The names the pages' resources give the fonts.
const RESOURCE_NAME: [&[u8]; FONTS] = [b"F0", b"F1", b"F2"];

/// A4 in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const LEFT: f32 = 50.0;
const RIGHT: f32 = PAGE_WIDTH - 50.0;
const TOP: f32 = PAGE_HEIGHT - 56.0;
/// The body stays above this; the footer sits below it.
const BOTTOM: f32 = 64.0;
const FOOTER: f32 = 36.0;

const BODY_SIZE: f32 = 10.0;
const BODY_LEADING: f32 = 14.0;
const TABLE_SIZE: f32 = 8.5;
const TABLE_LEADING: f32 = 11.0;
const CELL_PAD: f32 = 3.0;

/// Ink and the muted grey of the footer and table rules (both dark enough to
/// read in print: 15.8:1 and 7.4:1 on white).
const INK: [f32; 3] = [0.122, 0.137, 0.157];
const MUTED: [f32; 3] = [0.341, 0.376, 0.416];
const SHADE: [f32; 3] = [0.91, 0.925, 0.941];

/// The PDF failed: a font could not be read or subset, which the tests of
/// the shipped fonts rule out.
#[derive(Debug)]
pub struct PdfError(String);

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn pdf(report: &BoardReport, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let c = catalog(lang);
    let mut layout = Layout::new(&fonts);
    let title = heading_block(&mut layout, report, c, lang);
    layout.gap(10.0);
    layout.heading(c.text("pdf.narrative"));
    for paragraph in narrative(report, lang).split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        layout.paragraph(paragraph, Style::body());
        layout.gap(6.0);
    }
    if let Some(scope) = report.units.first() {
        layout.gap(8.0);
        layout.heading(c.text("pdf.figures"));
        let scope_rows: Vec<Row> =
            rows(report, lang).into_iter().take_while(|r| r.unit_code == scope.unit.as_str()).collect();
        let cells: Vec<Vec<String>> = scope_rows.iter().map(|r| cells(c, r)).collect();
        layout.table(&figure_columns(&fonts, c, &cells), &cells);
        layout.gap(4.0);
        layout.paragraph(
            c.text("pdf.beyond_chance"),
            Style { size: TABLE_SIZE, leading: TABLE_LEADING, ..Style::body() },
        );
    }
    units_side_by_side(&mut layout, &fonts, report, lang);
    it_section(&mut layout, &fonts, report, lang);
    funnel_tables(&mut layout, &fonts, report, lang);
    let stamp = c.fill(
        "pdf.stamp",
        &Args::new()
            .text("rules", report.counting_rules.as_str())
            .text("catalogue", report.catalogue.as_str())
            .text("position", report.position.to_string()),
    );
    layout.footers(c, &stamp);
    write_pdf(&fonts, &layout.pages, &title, lang)
}

/// The crimes recorded in each unit directly below the scope, largest
/// first: the same table the report page prints under its units chart.
fn units_side_by_side(layout: &mut Layout, fonts: &Fonts, report: &BoardReport, lang: Lang) {
    let table = units_table(report, UNITS_INDICATOR, lang);
    if table.rows.is_empty() {
        return;
    }
    layout.gap(10.0);
    layout.heading(&table.caption);
    let rows: Vec<Vec<String>> =
        table.rows.into_iter().map(|r| std::iter::once(r.label).chain(r.values).collect()).collect();
    let numeric: Vec<bool> = (0..table.columns.len()).map(|i| i > 0).collect();
    layout.table(&fit_columns(fonts, table.columns, &numeric, &rows), &rows);
}

/// The section on crimes committed with information technologies: its
/// tables as the report page prints them, and what the brackets hold.
fn it_section(layout: &mut Layout, fonts: &Fonts, report: &BoardReport, lang: Lang) {
    let tables = crate::it::tables(report, lang);
    if tables.is_empty() {
        return;
    }
    let c = catalog(lang);
    layout.gap(10.0);
    layout.heading(c.text("it.heading"));
    layout.paragraph(c.text("it.note"), Style { size: TABLE_SIZE, leading: TABLE_LEADING, ..Style::body() });
    for table in tables {
        layout.gap(6.0);
        layout.paragraph(&table.caption, Style { face: Face::Bold, ..Style::body() });
        let rows: Vec<Vec<String>> =
            table.rows.into_iter().map(|r| std::iter::once(r.label).chain(r.values).collect()).collect();
        let numeric: Vec<bool> = (0..table.columns.len()).map(|i| i > 0).collect();
        layout.table(&fit_columns(fonts, table.columns, &numeric, &rows), &rows);
    }
}

/// Each share marked for a funnel plot, when the scope has units below it:
/// the plot's reading and its table, the band in words.
fn funnel_tables(layout: &mut Layout, fonts: &Fonts, report: &BoardReport, lang: Lang) {
    let Some(scope) = report.units.first() else { return };
    if !report.units.iter().any(|u| u.parent.as_ref() == Some(&scope.unit)) {
        return;
    }
    for share in report.funnel_shares() {
        let Some(chart) = funnel_chart(report, &share.code, lang, "funnel") else { continue };
        layout.gap(10.0);
        layout.heading(&chart.title);
        for paragraph in &chart.reading {
            layout.paragraph(paragraph, Style::body());
            layout.gap(4.0);
        }
        let table = chart.table;
        if table.rows.is_empty() {
            continue;
        }
        let rows: Vec<Vec<String>> =
            table.rows.into_iter().map(|r| std::iter::once(r.label).chain(r.values).collect()).collect();
        let last = table.columns.len() - 1;
        let numeric: Vec<bool> = (0..table.columns.len()).map(|i| i > 0 && i < last).collect();
        layout.table(&fit_columns(fonts, table.columns, &numeric, &rows), &rows);
    }
}

/// The title, the unit and the period; returns the document's title.
fn heading_block(layout: &mut Layout, report: &BoardReport, c: &Catalog, lang: Lang) -> String {
    let title = c.text("pdf.title");
    layout.paragraph(title, Style { face: Face::Bold, size: 18.0, leading: 24.0, colour: INK });
    layout.gap(4.0);
    let unit = report.units.first().map_or("", |u| name_in(&u.name, lang, &report.name_fallback));
    if !unit.is_empty() {
        layout.paragraph(&c.fill("pdf.unit", &Args::new().text("unit", unit)), Style::body());
    }
    let args = Args::new()
        .text("from", date(c, report.period.from))
        .text("to", date(c, report.period.to))
        .text("previous_from", date(c, report.previous.from))
        .text("previous_to", date(c, report.previous.to));
    layout.paragraph(&c.fill("pdf.period", &args), Style::body());
    if unit.is_empty() { title.to_string() } else { format!("{title}: {unit}") }
}

struct Column {
    header: String,
    width: f32,
    numeric: bool,
}

/// The figure table's columns: the indicator, this period, the year before,
/// the change, in per cent, beyond chance.
fn figure_columns(fonts: &Fonts, c: &Catalog, rows: &[Vec<String>]) -> Vec<Column> {
    let keys =
        ["table.indicator", "table.current", "table.previous", "table.absolute", "table.percent", "table.significant"];
    let headers = keys.iter().map(|k| c.text(k).to_string()).collect();
    fit_columns(fonts, headers, &[false, true, true, true, true, false], rows)
}

/// Each column after the first as wide as its widest cell or header word
/// needs; the first (a name) takes the rest of the line.
fn fit_columns(fonts: &Fonts, headers: Vec<String>, numeric: &[bool], rows: &[Vec<String>]) -> Vec<Column> {
    let widest = |texts: &mut dyn Iterator<Item = (&str, Face)>| {
        texts.map(|(text, face)| fonts.width(Style::table(face), text)).fold(0.0f32, f32::max)
    };
    let mut columns: Vec<Column> = headers
        .into_iter()
        .zip(numeric)
        .map(|(header, numeric)| Column { header, width: 0.0, numeric: *numeric })
        .collect();
    for (i, column) in columns.iter_mut().enumerate().skip(1) {
        let header_words = column.header.split(' ').map(|w| (w, Face::Bold));
        let cells = rows.iter().filter_map(|r| r.get(i)).map(|t| (t.as_str(), Face::Regular));
        // At least room for a short header word per line, and a point to
        // spare so that float rounding never breaks the widest cell.
        column.width = widest(&mut header_words.chain(cells)).max(28.0) + 2.0 * CELL_PAD + 1.0;
    }
    let taken: f32 = columns.iter().skip(1).map(|c| c.width).sum();
    if let Some(first) = columns.first_mut() {
        first.width = (RIGHT - LEFT - taken).max(140.0);
    }
    columns
}

/// A figure's cells: its name with what it is measured in, the values as the
/// language writes numbers, changes signed.
fn cells(c: &Catalog, row: &Row) -> Vec<String> {
    let label = row.measure_label;
    let name = if label.is_empty() { row.name.to_string() } else { format!("{}, {label}", row.name) };
    let value = |x: Option<f64>| x.map(|x| number(c, row.measure, x)).unwrap_or_default();
    let signed = |x: Option<f64>, measure: Measure| {
        x.map(|x| {
            let text = number(c, measure, x);
            if x > 0.0 { format!("+{text}") } else { text }
        })
        .unwrap_or_default()
    };
    let significant = match row.significant {
        Some(true) => c.text("table.yes"),
        Some(false) => c.text("table.no"),
        None => "",
    };
    vec![
        name,
        value(row.current),
        value(row.previous),
        signed(row.absolute, row.measure),
        signed(row.percent, Measure::Share),
        significant.to_string(),
    ]
}

/// A value in the unit shown (the currency's units with their minor units,
/// kilograms, per cent).
fn number(c: &Catalog, measure: Measure, x: f64) -> String {
    match measure {
        Measure::Money { minor_units } => {
            amount(c, minor_units, (x * 10f64.powi(i32::from(minor_units))).round() as i64).text
        }
        Measure::Count | Measure::Kilogram | Measure::Share => decimal(c, x).text,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular = 0,
    Bold = 1,
}

#[derive(Debug, Clone, Copy)]
struct Style {
    face: Face,
    size: f32,
    leading: f32,
    colour: [f32; 3],
}

impl Style {
    fn body() -> Style {
        Style { face: Face::Regular, size: BODY_SIZE, leading: BODY_LEADING, colour: INK }
    }

    fn table(face: Face) -> Style {
        Style { face, size: TABLE_SIZE, leading: TABLE_LEADING, colour: INK }
    }
}

struct Fonts {
    /// The regular face, the bold one and the fallback, as `FONT_DATA` lists them.
    fonts: [ttf_parser::Face<'static>; FONTS],
}

impl Fonts {
    fn load() -> Result<Fonts, PdfError> {
        let mut fonts = Vec::with_capacity(FONTS);
        for (data, name) in FONT_DATA.iter().zip(FONT_NAME) {
            fonts
                .push(ttf_parser::Face::parse(data, 0).map_err(|e| PdfError(format!("reading the font {name}: {e}")))?);
        }
        Ok(Fonts { fonts: fonts.try_into().map_err(|_| PdfError("the fonts".into()))? })
    }

    fn font(&self, font: usize) -> &ttf_parser::Face<'static> {
        &self.fonts[font]
    }

    /// The font and glyph a character is set in: the face's own, else the
    /// fallback's; None when neither has it.
    fn set_in(&self, face: Face, ch: char) -> Option<(usize, u16)> {
        [face as usize, FALLBACK_FONT].into_iter().find_map(|font| Some((font, self.font(font).glyph_index(ch)?.0)))
    }

    /// As [`Fonts::set_in`]; a character no font has shows as the face's "?".
    fn glyph(&self, face: Face, ch: char) -> (usize, u16) {
        self.set_in(face, ch).unwrap_or_else(|| {
            let f = self.font(face as usize);
            (face as usize, f.glyph_index('?').map_or(0, |g| g.0))
        })
    }

    /// A glyph's advance in thousandths of the font size, as PDF widths are given.
    fn advance(&self, font: usize, glyph: u16) -> f32 {
        let f = self.font(font);
        let units = f.glyph_hor_advance(ttf_parser::GlyphId(glyph)).unwrap_or(0);
        f32::from(units) * 1000.0 / f32::from(f.units_per_em())
    }

    fn width(&self, style: Style, text: &str) -> f32 {
        let advance = |ch| {
            let (font, glyph) = self.glyph(style.face, ch);
            self.advance(font, glyph)
        };
        text.chars().map(advance).sum::<f32>() * style.size / 1000.0
    }
}

/// What is drawn on a page, in points from its bottom-left corner.
enum Mark {
    Text { style: Style, x: f32, y: f32, text: String },
    Rule { x1: f32, x2: f32, y: f32 },
    Shade { x: f32, y: f32, width: f32, height: f32 },
}

struct Layout<'a> {
    fonts: &'a Fonts,
    pages: Vec<Vec<Mark>>,
    /// The top of the next line's box.
    y: f32,
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a Fonts) -> Layout<'a> {
        Layout { fonts, pages: vec![Vec::new()], y: TOP }
    }

    fn page(&mut self) -> &mut Vec<Mark> {
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits above the bottom margin;
    /// true when it did.
    fn make_room(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM && self.y < TOP {
            self.new_page();
            return true;
        }
        false
    }

    fn gap(&mut self, height: f32) {
        self.y -= height;
    }

    fn text(&mut self, style: Style, x: f32, top: f32, text: &str) {
        // The baseline sits about four fifths of the line below its top.
        let y = top - style.leading * 0.8;
        self.page().push(Mark::Text { style, x, y, text: text.to_string() });
    }

    /// A heading kept with at least two lines of what follows.
    fn heading(&mut self, text: &str) {
        let style = Style { face: Face::Bold, size: 12.0, leading: 18.0, colour: INK };
        self.make_room(style.leading + 2.0 * BODY_LEADING);
        self.paragraph(text, style);
        self.gap(2.0);
    }

    fn paragraph(&mut self, text: &str, style: Style) {
        for line in wrap(self.fonts, style, text, RIGHT - LEFT) {
            self.make_room(style.leading);
            self.text(style, LEFT, self.y, &line);
            self.y -= style.leading;
        }
    }

    /// A table with its header repeated on every page it runs over.
    fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let header: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
        self.make_room(self.row_height(columns, &header, Face::Bold) + 3.0 * TABLE_LEADING);
        self.row(columns, &header, Face::Bold);
        for cells in rows {
            if self.make_room(self.row_height(columns, cells, Face::Regular)) {
                self.row(columns, &header, Face::Bold);
            }
            self.row(columns, cells, Face::Regular);
        }
    }

    fn row_height(&self, columns: &[Column], cells: &[String], face: Face) -> f32 {
        let lines = columns
            .iter()
            .zip(cells)
            .map(|(column, cell)| wrap(self.fonts, Style::table(face), cell, column.width - 2.0 * CELL_PAD).len())
            .max()
            .unwrap_or(1)
            .max(1);
        lines as f32 * TABLE_LEADING + 2.0 * CELL_PAD
    }

    /// One row: a shaded band under a header, a rule under every row, numbers
    /// right-aligned.
    fn row(&mut self, columns: &[Column], cells: &[String], face: Face) {
        let height = self.row_height(columns, cells, face);
        let style = Style::table(face);
        if face == Face::Bold {
            let y = self.y - height;
            self.page().push(Mark::Shade { x: LEFT, y, width: RIGHT - LEFT, height });
        }
        let mut x = LEFT;
        for (column, cell) in columns.iter().zip(cells) {
            let inner = column.width - 2.0 * CELL_PAD;
            let mut top = self.y - CELL_PAD;
            for line in wrap(self.fonts, style, cell, inner) {
                let shift = if column.numeric { inner - self.fonts.width(style, &line) } else { 0.0 };
                self.text(style, x + CELL_PAD + shift, top, &line);
                top -= TABLE_LEADING;
            }
            x += column.width;
        }
        self.y -= height;
        let y = self.y;
        self.page().push(Mark::Rule { x1: LEFT, x2: RIGHT, y });
    }

    /// The stamp and "page n of m" under every page.
    fn footers(&mut self, c: &Catalog, stamp: &str) {
        let style = Style { face: Face::Regular, size: 7.5, leading: 10.0, colour: MUTED };
        let count = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let number =
                c.fill("pdf.page", &Args::new().text("page", (i + 1).to_string()).text("pages", count.to_string()));
            let x = RIGHT - self.fonts.width(style, &number);
            page.push(Mark::Rule { x1: LEFT, x2: RIGHT, y: FOOTER + 12.0 });
            page.push(Mark::Text { style, x: LEFT, y: FOOTER, text: stamp.to_string() });
            page.push(Mark::Text { style, x, y: FOOTER, text: number });
        }
    }
}

/// The text in lines no wider than `width`, broken at spaces (a no-break
/// space holds its neighbours together); a word wider than a line is broken
/// between letters.
fn wrap(fonts: &Fonts, style: Style, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if fonts.width(style, &candidate) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for ch in word.chars() {
            if !line.is_empty() && fonts.width(style, &format!("{line}{ch}")) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(ch);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The glyphs each font uses, with the character each stands for.
type Used = [BTreeMap<u16, char>; FONTS];

fn write_pdf(fonts: &Fonts, pages: &[Vec<Mark>], title: &str, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let mut used: Used = Default::default();
    for mark in pages.iter().flatten() {
        if let Mark::Text { style, text, .. } = mark {
            for ch in text.chars() {
                let (font, glyph) = fonts.glyph(style.face, ch);
                used[font].entry(glyph).or_insert(ch);
            }
        }
    }
    let remappers = used.each_ref().map(|glyphs| {
        let mut remapper = GlyphRemapper::new();
        for glyph in glyphs.keys() {
            remapper.remap(*glyph);
        }
        remapper
    });

    let mut next = Ref::new(1);
    let catalog_id = next.bump();
    let tree_id = next.bump();
    let info_id = next.bump();
    // A font no text is set in (the fallback, mostly) is not embedded.
    let font_ids = used.each_ref().map(|glyphs| (!glyphs.is_empty()).then(|| next.bump()));
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (next.bump(), next.bump())).collect();

    let mut pdf = Pdf::new();
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(tree_id).lang(TextStr(lang.code()));
    catalog.viewer_preferences().display_doc_title(true);
    catalog.finish();
    pdf.document_info(info_id).title(TextStr(title)).producer(TextStr("crimeboard"));
    pdf.pages(tree_id).kids(page_ids.iter().map(|(page, _)| *page)).count(pages.len() as i32);
    for ((page_id, content_id), marks) in page_ids.iter().zip(pages) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).parent(tree_id).contents(*content_id);
        let mut resources = page.resources();
        let mut names = resources.fonts();
        for (name, id) in RESOURCE_NAME.into_iter().zip(font_ids) {
            if let Some(id) = id {
                names.pair(Name(name), id);
            }
        }
        names.finish();
        resources.finish();
        page.finish();
        let content = content(fonts, marks, &remappers);
        pdf.stream(*content_id, &deflate(&content)).filter(Filter::FlateDecode);
    }
    for (font, id) in font_ids.into_iter().enumerate() {
        if let Some(id) = id {
            embed_font(&mut pdf, &mut next, fonts, font, id, &used[font], &remappers[font])?;
        }
    }
    Ok(pdf.finish())
}

fn content(fonts: &Fonts, marks: &[Mark], remappers: &[GlyphRemapper; FONTS]) -> Vec<u8> {
    let mut content = Content::new();
    for mark in marks {
        match mark {
            Mark::Shade { x, y, width, height } => {
                let [r, g, b] = SHADE;
                content.set_fill_rgb(r, g, b).rect(*x, *y, *width, *height).fill_nonzero();
            }
            Mark::Rule { x1, x2, y } => {
                let [r, g, b] = MUTED;
                content.set_stroke_rgb(r, g, b).set_line_width(0.4).move_to(*x1, *y).line_to(*x2, *y).stroke();
            }
            Mark::Text { style, x, y, text } => {
                let [r, g, b] = style.colour;
                content.set_fill_rgb(r, g, b);
                let line = content.begin_text();
                line.next_line(*x, *y);
                // Each run of characters set in one font is shown in it; the
                // next run starts where the last ended.
                for (font, glyphs) in runs(fonts, style.face, text) {
                    let codes: Vec<u8> =
                        glyphs.iter().flat_map(|g| remappers[font].get(*g).unwrap_or(0).to_be_bytes()).collect();
                    line.set_font(Name(RESOURCE_NAME[font]), style.size).show(Str(&codes));
                }
                line.end_text();
            }
        }
    }
    content.finish().into_vec()
}

/// The text as runs of glyphs, each run in one font.
fn runs(fonts: &Fonts, face: Face, text: &str) -> Vec<(usize, Vec<u16>)> {
    let mut runs: Vec<(usize, Vec<u16>)> = Vec::new();
    for ch in text.chars() {
        let (font, glyph) = fonts.glyph(face, ch);
        match runs.last_mut() {
            Some((last, glyphs)) if *last == font => glyphs.push(glyph),
            _ => runs.push((font, vec![glyph])),
        }
    }
    runs
}

/// A font as a Type0 font over a CID font of the subset, with the glyph
/// widths, a descriptor, the font program and the map back to Unicode.
fn embed_font(
    pdf: &mut Pdf,
    next: &mut Ref,
    fonts: &Fonts,
    font: usize,
    font_id: Ref,
    used: &BTreeMap<u16, char>,
    remapper: &GlyphRemapper,
) -> Result<(), PdfError> {
    let (cid_id, descriptor_id, file_id, cmap_id) = (next.bump(), next.bump(), next.bump(), next.bump());
    let name = format!("{}+{}", SUBSET_TAG[font], FONT_NAME[font]);
    let subset =
        subsetter::subset(FONT_DATA[font], 0, remapper).map_err(|e| PdfError(format!("subsetting {name}: {e}")))?;
    let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

    pdf.type0_font(font_id)
        .base_font(Name(name.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    let widths: Vec<f32> = remapper.remapped_gids().map(|old| fonts.advance(font, old)).collect();
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(name.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();

    let f = fonts.font(font);
    let scale = |v: i16| f32::from(v) * 1000.0 / f32::from(f.units_per_em());
    let bbox = f.global_bounding_box();
    pdf.font_descriptor(descriptor_id)
        .name(Name(name.as_bytes()))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(scale(bbox.x_min), scale(bbox.y_min), scale(bbox.x_max), scale(bbox.y_max)))
        .italic_angle(0.0)
        .ascent(scale(f.ascender()))
        .descent(scale(f.descender()))
        .cap_height(scale(f.capital_height().unwrap_or(f.ascender())))
        .stem_v(if font == Face::Bold as usize { 120.0 } else { 80.0 })
        .font_file2(file_id);
    pdf.stream(file_id, &deflate(&subset)).filter(Filter::FlateDecode).pair(Name(b"Length1"), subset.len() as i32);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
    for (old, ch) in used {
        if let Some(new) = remapper.get(*old) {
            cmap.pair(new, *ch);
        }
    }
    pdf.cmap(cmap_id, &cmap.finish());
    Ok(())
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() / 2), Compression::default());
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::tests::seed;
    use std::process::Command;

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// The text a reader extracts, with no-break spaces as spaces; None when
    /// poppler's pdftotext is not installed.
    pub(crate) fn extracted(bytes: &[u8], name: &str) -> Option<String> {
        let path = std::env::temp_dir().join(format!("crimeboard-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let output = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output();
        let _ = std::fs::remove_file(&path);
        match output {
            Ok(out) => {
                assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
                Some(String::from_utf8(out.stdout).unwrap().replace('\u{a0}', " "))
            }
            Err(_) => {
                eprintln!("pdftotext not installed (Debian poppler-utils): the text of the PDF was not checked");
                None
            }
        }
    }

    #[test]
    fn a_pdf_with_subset_fonts_embedded() {
        let bytes = pdf(&seed(), Lang::Az).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.ends_with(b"%%EOF\n") || bytes.ends_with(b"%%EOF"));
        assert!(contains(&bytes, b"/FontFile2"), "the font program is embedded");
        assert!(contains(&bytes, b"/ToUnicode"), "text maps back to Unicode");
        assert!(contains(&bytes, b"+DejaVuSansCondensed"), "a subset");
        assert!(contains(&bytes, b"/Lang (az)"));
        assert!(bytes.len() < 120_000, "{} bytes: the fonts are subset and the streams compressed", bytes.len());
        let pages = bytes.windows(b"/Type /Page\n".len()).filter(|w| *w == b"/Type /Page\n").count();
        assert!(pages >= 2, "the figures run over a second page: {pages}");
    }

    #[test]
    fn a_report_in_pounds_prints_pounds() {
        let report = BoardReport { currency: crate::tests::pounds(), ..seed() };
        let bytes = pdf(&report, Lang::En).unwrap();
        assert!(!contains(&bytes, b"NotoSans"), "no fallback face: DejaVu has the pound sign");
        let Some(text) = extracted(&bytes, "pounds") else { return };
        assert!(text.contains("77,668,996 pounds") && text.contains("pound sterling"), "{text}");
        assert!(!text.contains("manat"), "{text}");
    }

    #[test]
    fn the_text_is_extractable_in_every_language() {
        let expected = [
            (
                Lang::Az,
                vec![
                    "Kollegiya üçün hesabat",
                    "Əsas nəticələr",
                    "77 668 996 manat",
                    "8 930",
                    "Səhifə 1 /",
                    "jurnal mövqeyi 12345",
                    "Qeydə alınmış cinayətlər",
                ],
            ),
            (Lang::Ru, vec!["Отчёт для коллегии", "77 668 996", "Страница 1 из", "Зарегистрировано"]),
            (
                Lang::En,
                vec![
                    "Report to the Board",
                    "77,668,996 manats",
                    "Page 2 of",
                    "Counting rules counting-2024.4",
                    "Republic of Azerbaijan",
                    "Crimes recorded by unit, Republic of Azerbaijan",
                    "Baku City Main Police Department",
                ],
            ),
        ];
        for (lang, phrases) in expected {
            let bytes = pdf(&seed(), lang).unwrap();
            let Some(text) = extracted(&bytes, lang.code()) else { return };
            for phrase in phrases {
                assert!(text.contains(phrase), "{lang}: {phrase:?} missing in\n{text}");
            }
        }
    }

    /// A share marked for a funnel plot prints its reading and table.
    #[test]
    fn the_funnel_reading_and_table_are_printed() {
        let bytes = pdf(&crate::funnel::tests::adjusted(), Lang::En).unwrap();
        let Some(text) = extracted(&bytes, "funnel") else { return };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for phrase in [
            "Solved share: each unit against all units, Baku",
            "District 4: its share, 70 % of 100, lies above the 95 % limit.",
            "τ² = 0.0058",
            "above the 95 % limit",
            "left out: nothing counted",
        ] {
            assert!(text.contains(phrase), "{phrase:?} missing in\n{text}");
        }
    }

    #[test]
    fn an_empty_report_is_still_a_document() {
        let mut report = seed();
        report.units.clear();
        let bytes = pdf(&report, Lang::En).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        if let Some(text) = extracted(&bytes, "empty") {
            assert!(text.contains("Report to the Board") && text.contains("Page 1 of 1"), "{text}");
        }
    }

    /// A report whose text holds the manat sign, in its title and its table.
    fn with_manat() -> BoardReport {
        let mut report = seed();
        for unit in report.units.iter_mut().take(2) {
            unit.name.en = format!("{} (₼ 1,000)", unit.name.en);
        }
        report
    }

    #[test]
    fn every_character_written_is_set_in_a_font_that_has_it() {
        let fonts = Fonts::load().unwrap();
        assert!(fonts.font(Face::Regular as usize).glyph_index('₼').is_none(), "DejaVu lacks the manat sign");
        let report = with_manat();
        let mut layout = Layout::new(&fonts);
        heading_block(&mut layout, &report, catalog(Lang::En), Lang::En);
        units_side_by_side(&mut layout, &fonts, &report, Lang::En);
        let mut manats = 0;
        for mark in layout.pages.iter().flatten() {
            let Mark::Text { style, text, .. } = mark else { continue };
            for ch in text.chars() {
                let found = fonts.set_in(style.face, ch);
                assert!(found.is_some(), "{ch:?} in {text:?} has no glyph in any font");
                if ch == '₼' {
                    assert_eq!(found.map(|(font, _)| font), Some(FALLBACK_FONT));
                    manats += 1;
                }
            }
        }
        assert!(manats >= 2, "the sign is written, in regular and bold text: {manats}");
    }

    #[test]
    fn the_manat_sign_is_embedded_and_extracts_as_itself() {
        let bytes = pdf(&with_manat(), Lang::En).unwrap();
        assert!(contains(&bytes, b"+NotoSans-Regular"), "the fallback's subset is embedded");
        let plain = pdf(&seed(), Lang::En).unwrap();
        assert!(!contains(&plain, b"NotoSans"), "a PDF without the sign does not carry the fallback");
        if let Some(text) = extracted(&bytes, "manat") {
            assert!(text.contains("(₼ 1,000)"), "{text}");
            assert!(!text.contains("(? 1,000)"), "{text}");
        }
    }

    #[test]
    fn long_words_break_and_lines_fit() {
        let fonts = Fonts::load().unwrap();
        let style = Style::body();
        let lines = wrap(&fonts, style, "a bb ccc Əsas nəticələr 77\u{a0}668\u{a0}996 ₼", 60.0);
        assert!(lines.iter().all(|l| fonts.width(style, l) <= 60.0), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("77\u{a0}668")), "a no-break space keeps a number whole: {lines:?}");
        let long = "x".repeat(200);
        assert!(wrap(&fonts, style, &long, 100.0).len() > 1);
        assert_eq!(wrap(&fonts, style, "", 100.0), [""]);
    }
}
