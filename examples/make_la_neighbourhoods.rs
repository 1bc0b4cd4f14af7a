//! Regenerates `data/la_neighbourhoods.csv` (per-LA percentiles of neighbourhood deprivation,
//! embedded in the engine) from `data/england_lsoa11.csv`.
//!
//! ```sh
//! cargo run --example make_la_neighbourhoods
//! ```

use socgrad::places::spread::{summarise_lsoas, to_csv};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let lsoas = std::fs::read_to_string(format!("{root}/data/england_lsoa11.csv"))?;
    let spreads = summarise_lsoas(&lsoas)?;
    std::fs::write(format!("{root}/data/la_neighbourhoods.csv"), to_csv(&spreads))?;
    println!("wrote data/la_neighbourhoods.csv: {} LAs", spreads.len());
    Ok(())
}
