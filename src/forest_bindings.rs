//! The forest plots' own WebAssembly build (`--features forest-plots`, without the calculator's
//! bindings): the page loads it with the "Inside six local authorities" section, or with the tour
//! step that shows a forest plot, after the first score, so forest plots add nothing to the
//! calculator's first download. Same conventions as `bindings`: JSON-like objects in, errors as
//! exceptions with the engine's message, no panic on input.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::charts::{self, ForestSpec};

fn forest(spec: JsValue) -> Result<ForestSpec, JsError> {
    serde_wasm_bindgen::from_value(spec).map_err(|e| JsError::new(&format!("invalid forest plot: {e}")))
}

/// Draw a forest plot described by a `ForestSpec` object on a canvas element whose backing store
/// is `ratio` (the device pixel ratio) times its CSS size, laid out to fill it.
#[wasm_bindgen(js_name = drawChart)]
pub fn draw_chart(canvas: HtmlCanvasElement, spec: JsValue, ratio: f64) -> Result<(), JsError> {
    let spec = forest(spec)?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the canvas has no 2D drawing context"))?;
    charts::draw_forest(&backend.into_drawing_area(), &spec, ratio).map_err(|e| JsError::new(&e.to_string()))
}

/// The CSS height a forest plot needs at `width` CSS pixels: every row at its natural spacing.
#[wasm_bindgen(js_name = forestHeight)]
pub fn forest_height(spec: JsValue, width: f64) -> Result<f64, JsError> {
    charts::preferred_height(&forest(spec)?, width).map_err(|e| JsError::new(&e.to_string()))
}
