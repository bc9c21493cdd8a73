//! Writes a large police.uk-format street file for throughput measurements:
//! the rows of the real July 2018 West Yorkshire file, over and over, each
//! crime with an id of its own, about 30,000 rows a month going back from
//! July 2018 (so the months a file of any size covers are ordinary ones).
//!
//!   cargo run --release -p crimeboard-import --example police_uk_file -- 5000000 > /tmp/police-uk-5m.csv

use std::io::BufWriter;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: u64 = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(1_000_000);
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/police-uk/2018-07-west-yorkshire-street.csv");
    let mut reader = csv::Reader::from_path(source)?;
    let header = reader.byte_headers()?.clone();
    let real: Vec<csv::ByteRecord> = reader.byte_records().collect::<Result<_, _>>()?;
    let (id, month) = (0, 1);
    let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, std::io::stdout().lock()));
    out.write_byte_record(&header)?;
    for i in 0..rows {
        let r = &real[(i % real.len() as u64) as usize];
        // July 2018, then back a month for every 30,000 rows.
        let back = i / 30_000;
        let (y, m) = (2018 - (back + 5) as i64 / 12, (6 + 12 - (back % 12)) % 12 + 1);
        let month_text = format!("{y:04}-{m:02}");
        // 64 hex digits in no order, like the real ids (so the index of
        // imported ids grows as it would).
        let id_text = if r[id].is_empty() {
            String::new()
        } else {
            (0..4u64).map(|k| format!("{:016x}", mix(i * 4 + k))).collect::<String>()
        };
        let mut w = csv::ByteRecord::new();
        for (c, field) in r.iter().enumerate() {
            match c {
                c if c == id => w.push_field(id_text.as_bytes()),
                c if c == month => w.push_field(month_text.as_bytes()),
                _ => w.push_field(field),
            }
        }
        out.write_byte_record(&w)?;
    }
    out.flush()?;
    Ok(())
}

/// SplitMix64's finaliser: a different, well-spread number for each input.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
