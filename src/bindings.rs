//! JavaScript bindings (wasm32 only): the engine's functions with JSON-like objects in and out
//! (serde-wasm-bindgen), and chart drawing on an HTML canvas with plotters-canvas.
//!
//! Every function returns `Result<_, JsError>`: engine errors become JavaScript exceptions whose
//! message is the engine's plain-English message; nothing here panics on user input.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::charts::{self, ChartSpec};

/// Serialise to plain JavaScript objects (maps as objects, `None` as `null`).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("invalid {what}: {e}")))
}

/// Draw a chart described by a `ChartSpec` object on a canvas element.
#[wasm_bindgen(js_name = drawChart)]
pub fn draw_chart(canvas: HtmlCanvasElement, spec: JsValue) -> Result<(), JsError> {
    let spec: ChartSpec = from_js(spec, "chart")?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the canvas has no 2D drawing context"))?;
    charts::draw(&backend.into_drawing_area(), &spec).map_err(|e| JsError::new(&e.to_string()))
}
