//! `socgrad six-las`: every value of Hood et al. 2020's Tables 2, 6 and 7 to 18 (the study of six
//! local authorities) with its citation: seed file, table, row and column. With Table 6, also the
//! same correlations computed from the DfE figures (`socgrad::rates::table6`).

use std::error::Error;
use std::io::{self, Write};

use serde::Serialize;
use socgrad::rates::table6::{comparison_about, shown, table6_comparison, Table6Comparison};
use socgrad::tables::hood2020::{table_cells, table_title, PublishedCell, DOCUMENT, SEED, TABLE_NUMBERS};

#[derive(clap::Args)]
pub struct Args {
    /// Only this table (2, 6 or 7 to 18).
    #[arg(long, value_name = "N")]
    table: Option<u8>,
    /// Print the tables as one JSON object: each cell's value, printed text and citation.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct TableCells {
    table: String,
    title: &'static str,
    cells: Vec<PublishedCell>,
}

#[derive(Serialize)]
struct Listing {
    document: &'static str,
    seed: &'static str,
    cell_count: usize,
    tables: Vec<TableCells>,
    /// With Table 6: the same correlations computed from the DfE figures, beside the published.
    #[serde(skip_serializing_if = "Option::is_none")]
    table6_computed: Option<Table6Comparison>,
}

fn write_text(out: &mut impl Write, listing: &Listing) -> io::Result<()> {
    writeln!(out, "{} (seed {}): {} cells", listing.document, listing.seed, listing.cell_count)?;
    for t in &listing.tables {
        writeln!(out, "\n{}: {}", t.table, t.title)?;
        let mut row: Option<&str> = None;
        for cell in &t.cells {
            if row != Some(cell.citation.row.as_str()) {
                row = Some(cell.citation.row.as_str());
                writeln!(out, "  {}", cell.citation.row)?;
            }
            writeln!(out, "    {:<32} {}", cell.citation.column, cell.printed)?;
        }
    }
    if let Some(c) = &listing.table6_computed {
        writeln!(out, "\nTable 6 computed from the DfE figures (deprivation: {})", c.deprivation)?;
        writeln!(
            out,
            "  {:<26} {:>5} {:>16} {:>16} {:>10}",
            "indicator", "year", "published (N)", "computed (N)", "same sign"
        )?;
        for r in &c.rows {
            for y in &r.years {
                let published =
                    y.published.map_or("–".to_string(), |p| format!("{} ({})", p.printed_rho(), p.n));
                let computed = y.computed.map_or("–".to_string(), |v| format!("{} ({})", shown(v), y.n));
                let same = y.same_sign().map_or("–", |s| if s { "yes" } else { "no" });
                writeln!(out, "  {:<26} {:>5} {published:>16} {computed:>16} {same:>10}", r.label, y.year)?;
            }
        }
        for line in comparison_about(c) {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

pub fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let numbers: Vec<u8> = match args.table {
        Some(n) if TABLE_NUMBERS.contains(&n) => vec![n],
        Some(n) => {
            return Err(format!(
                "{DOCUMENT} has no Table {n} here; the tables are 2, 6 and 7 to 18 (--table N)"
            )
            .into())
        }
        None => TABLE_NUMBERS.to_vec(),
    };
    let tables: Vec<TableCells> = numbers
        .iter()
        .map(|&n| TableCells {
            table: format!("Table {n}"),
            title: table_title(n).unwrap_or(""),
            cells: table_cells(n),
        })
        .collect();
    let listing = Listing {
        document: DOCUMENT,
        seed: SEED,
        cell_count: tables.iter().map(|t| t.cells.len()).sum(),
        tables,
        table6_computed: numbers.contains(&6).then(table6_comparison),
    };
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &listing)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &listing)?;
    }
    Ok(())
}
