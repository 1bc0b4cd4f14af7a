//! The national spatial benchmark (`examples/common/spatial_national.rs`) in WebAssembly, for
//! `scripts/bench-spatial-national.mjs`, which loads this module in Node and times its calls
//! (WebAssembly has no clock of its own). Built by `scripts/bench-spatial-national.sh`.
//!
//! Exports: `buffer(len)` reserves `len` bytes for a file and returns where to write them;
//! `build(table, table_len, centroids, centroids_len, m)` makes the national model with `m`
//! neighbours (data, simulated counts, the field's ordering and neighbours; returns the number of
//! rows, 0 on failure); `analyse()` analyses its structure and evaluates it once at the start
//! (returns the log-likelihood, NaN on failure); `fit()` maximises it (returns the
//! log-likelihood, NaN on failure); then `estimate(k)`, `evaluations()`, `converged()` and
//! `factor_entries()` describe the fit.

use std::cell::RefCell;

use socgrad::fit::sparse::{SparseLaplace, SparseModel};
use socgrad::fit::Family;

#[path = "../../../examples/common/spatial_national.rs"]
mod spatial_national;

use spatial_national::{fit, national_model, start, Fitted};

#[derive(Default)]
struct State {
    model: Option<&'static SparseModel>,
    laplace: Option<SparseLaplace<&'static SparseModel>>,
    fitted: Option<Fitted>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

#[no_mangle]
pub extern "C" fn buffer(len: usize) -> *mut u8 {
    Box::leak(vec![0u8; len].into_boxed_slice()).as_mut_ptr()
}

/// # Safety
/// `table` and `centroids` must point to `table_len` and `centroids_len` bytes from [`buffer`].
#[no_mangle]
pub unsafe extern "C" fn build(
    table: *const u8,
    table_len: usize,
    centroids: *const u8,
    centroids_len: usize,
    m: usize,
) -> usize {
    let (table, centroids) = unsafe {
        (std::slice::from_raw_parts(table, table_len), std::slice::from_raw_parts(centroids, centroids_len))
    };
    match national_model(table, centroids, m) {
        Ok(model) => {
            // One model per process: the evaluator borrows it until the end.
            let model: &'static SparseModel = Box::leak(Box::new(model));
            STATE.with(|s| s.borrow_mut().model = Some(model));
            model.n()
        }
        Err(_) => 0,
    }
}

#[no_mangle]
pub extern "C" fn analyse() -> f64 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let Some(model) = s.model else { return f64::NAN };
        let Ok(mut laplace) = SparseLaplace::new(model, Family::Nbinom2) else { return f64::NAN };
        let psi = start(model);
        let mut grad = vec![0.0; psi.len()];
        let value = laplace.evaluate(&psi, &mut grad).unwrap_or(f64::NAN);
        s.laplace = Some(laplace);
        value
    })
}

#[no_mangle]
pub extern "C" fn fit_model() -> f64 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let Some(model) = s.model else { return f64::NAN };
        let Some(laplace) = s.laplace.as_mut() else { return f64::NAN };
        match fit(laplace, &start(model)) {
            Ok(fitted) => {
                let value = fitted.loglik;
                s.fitted = Some(fitted);
                value
            }
            Err(_) => f64::NAN,
        }
    })
}

#[no_mangle]
pub extern "C" fn estimate(k: usize) -> f64 {
    STATE.with(|s| s.borrow().fitted.as_ref().and_then(|f| f.psi.get(k).copied()).unwrap_or(f64::NAN))
}

#[no_mangle]
pub extern "C" fn evaluations() -> usize {
    STATE.with(|s| s.borrow().fitted.as_ref().map_or(0, |f| f.evaluations))
}

#[no_mangle]
pub extern "C" fn converged() -> u32 {
    STATE.with(|s| s.borrow().fitted.as_ref().map_or(0, |f| f.converged as u32))
}

#[no_mangle]
pub extern "C" fn factor_entries() -> usize {
    STATE.with(|s| s.borrow().laplace.as_ref().map_or(0, |l| l.structure_size().factor_entries))
}
