//! The sparse-objective benchmark models in WebAssembly, for `scripts/bench-sparse-wasm.mjs`,
//! which loads this module in Node and times its calls (WebAssembly has no clock of its own).
//! Built by `scripts/bench-sparse.sh`.
//!
//! Exports: `buffer(len)` reserves `len` bytes for a file and returns where to write them;
//! `prepare(model, table, table_len, panel, panel_len)` builds benchmark model number `model`
//! (see `common/sparse_panel.rs`) from the LSOA table and the LA-by-year panel, analyses its
//! structure and evaluates it once (returns the log-likelihood, NaN on failure);
//! `evaluate()` evaluates it at the next nearby point (returns the log-likelihood);
//! `rows()` and `effects()` describe the prepared model.

use std::cell::RefCell;

use socgrad::fit::sparse::{EffectTerm, ExponentialField, SparseLaplace, SparseModel};
use socgrad::fit::Family;

#[path = "../../../examples/common/sparse_panel.rs"]
mod sparse_panel;

use sparse_panel::{design, lsoa_panel, models, nearby, points, Rng, Source};

struct Prepared {
    laplace: SparseLaplace<&'static SparseModel>,
    /// The model `laplace` borrows, freed after it (see [`release`]).
    model: *mut SparseModel,
    rows: usize,
    psi: Vec<f64>,
    point: Vec<f64>,
    grad: Vec<f64>,
    rng: Rng,
}

thread_local! {
    static PREPARED: RefCell<Option<Prepared>> = const { RefCell::new(None) };
}

#[no_mangle]
pub extern "C" fn buffer(len: usize) -> *mut u8 {
    Box::leak(vec![0u8; len].into_boxed_slice()).as_mut_ptr()
}

fn build(model: usize, table: &[u8], panel: &[u8]) -> Result<Prepared, String> {
    let bench = models().into_iter().nth(model).ok_or("no such model")?;
    let mut field = None;
    let csv = match bench.source {
        Source::Panel => panel.to_vec(),
        Source::Lsoa(years) => lsoa_panel(table, years)?.into_bytes(),
        Source::Points(n) => {
            let (csv, x, y) = points(n);
            field = Some((n, ExponentialField::new(x, y)?));
            csv.into_bytes()
        }
    };
    let d = design(&csv, bench.formula)?;
    let kept: Vec<usize> = (0..d.x.ncols()).collect();
    let mut model = SparseModel::from_design(&d, &kept).map_err(|e| e.to_string())?;
    if let Some((n, field)) = field {
        let term = EffectTerm::structured("pos", (0..n).collect(), vec![1.0; n], Box::new(field));
        model = model.with_term(term).map_err(|e| e.to_string())?;
    }
    let model = Box::into_raw(Box::new(model));
    // SAFETY: the model lives until `release` frees it, after the evaluator borrowing it.
    let laplace = match SparseLaplace::new(unsafe { &*model }, Family::Nbinom2) {
        Ok(laplace) => laplace,
        Err(e) => {
            // SAFETY: nothing borrows the model any more.
            drop(unsafe { Box::from_raw(model) });
            return Err(e.to_string());
        }
    };
    let len = bench.psi.len();
    Ok(Prepared {
        laplace,
        model,
        rows: d.y.len(),
        point: bench.psi.clone(),
        psi: bench.psi,
        grad: vec![0.0; len],
        rng: Rng(7),
    })
}

/// # Safety
/// `table` and `panel` must point to `table_len` and `panel_len` bytes from [`buffer`].
#[no_mangle]
pub unsafe extern "C" fn prepare(
    model: usize,
    table: *const u8,
    table_len: usize,
    panel: *const u8,
    panel_len: usize,
) -> f64 {
    let (table, panel) = unsafe {
        (std::slice::from_raw_parts(table, table_len), std::slice::from_raw_parts(panel, panel_len))
    };
    PREPARED.with(|cell| release(cell.borrow_mut().take()));
    match build(model, table, panel) {
        Ok(mut p) => {
            let value = p.laplace.evaluate(&p.psi, &mut p.grad).unwrap_or(f64::NAN);
            PREPARED.with(|cell| *cell.borrow_mut() = Some(p));
            value
        }
        Err(_) => f64::NAN,
    }
}

/// Frees a prepared model: the evaluator first, then the model it borrows.
fn release(prepared: Option<Prepared>) {
    if let Some(p) = prepared {
        let model = p.model;
        drop(p);
        // SAFETY: `model` came from `Box::into_raw` in `build`, and its only borrower is gone.
        drop(unsafe { Box::from_raw(model) });
    }
}

#[no_mangle]
pub extern "C" fn evaluate() -> f64 {
    PREPARED.with(|cell| {
        let mut cell = cell.borrow_mut();
        let Some(p) = cell.as_mut() else { return f64::NAN };
        nearby(&p.psi, &mut p.rng, &mut p.point);
        p.laplace.evaluate(&p.point, &mut p.grad).unwrap_or(f64::NAN)
    })
}

#[no_mangle]
pub extern "C" fn rows() -> usize {
    PREPARED.with(|cell| cell.borrow().as_ref().map_or(0, |p| p.rows))
}

#[no_mangle]
pub extern "C" fn effects() -> usize {
    PREPARED.with(|cell| cell.borrow().as_ref().map_or(0, |p| p.laplace.structure_size().effects))
}
