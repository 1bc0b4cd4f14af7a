//! Regenerates `www/static/six-las.json`, the page's "Inside six local authorities" views (forest
//! plots, tables and readings), from the typed tables of Hood et al. 2020 in the engine.
//!
//! ```sh
//! cargo run --example make_six_las
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = format!("{}/www/static/six-las.json", env!("CARGO_MANIFEST_DIR"));
    let json = socgrad::six_las::page_json();
    std::fs::write(&path, &json)?;
    println!(
        "wrote www/static/six-las.json: {} views, {} bytes",
        socgrad::six_las::page().views.len(),
        json.len()
    );
    Ok(())
}
