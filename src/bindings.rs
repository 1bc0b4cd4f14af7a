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

use crate::calculator::{self, Area, Density, GradientRequest, Outcome};
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

// --- Calculator on the published tables ------------------------------------------------------

/// Social-gradient score for a `GradientRequest` object (`{source: "webb2020", outcome, la_imd, ...}`
/// or `{source: "hood2021", measure, la_dep, area, density}`).
#[wasm_bindgen]
pub fn gradient(request: JsValue) -> Result<JsValue, JsError> {
    let request: GradientRequest = from_js(request, "request")?;
    let result = calculator::gradient(&request).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&result)
}

/// Every embedded table and its measures.
#[wasm_bindgen]
pub fn catalogue() -> Result<JsValue, JsError> {
    to_js(&calculator::catalogue())
}

#[derive(serde::Deserialize)]
struct WebbCurveRequest {
    outcome: Outcome,
    #[serde(default)]
    la_imd_z: f64,
    #[serde(default)]
    gini_z: f64,
    points: usize,
}

/// Expected rate per 10,000 children against within-LA neighbourhood deprivation (Webb et al. 2020).
#[wasm_bindgen(js_name = webbRateCurve)]
pub fn webb_rate_curve(request: JsValue) -> Result<JsValue, JsError> {
    let r: WebbCurveRequest = from_js(request, "curve request")?;
    let curve = calculator::webb_rate_curve(r.outcome, r.la_imd_z, r.gini_z, r.points)
        .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&curve)
}

#[derive(serde::Deserialize)]
struct HoodCurveRequest {
    measure: String,
    #[serde(default)]
    la_dep: Option<f64>,
    #[serde(default)]
    area: Option<Area>,
    #[serde(default)]
    density: Option<Density>,
    points: usize,
}

/// Rate relative to an average-deprivation neighbourhood (Hood et al. 2021).
#[wasm_bindgen(js_name = hoodRelativeCurve)]
pub fn hood_relative_curve(request: JsValue) -> Result<JsValue, JsError> {
    let r: HoodCurveRequest = from_js(request, "curve request")?;
    let curve = calculator::hood_relative_curve(&r.measure, r.la_dep, r.area, r.density, r.points)
        .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&curve)
}
