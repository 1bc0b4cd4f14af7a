//! JavaScript bindings (wasm32 only): the engine's functions with JSON-like objects in and out
//! (serde-wasm-bindgen), and chart drawing on an HTML canvas with plotters-canvas.
//!
//! Every function returns `Result<_, JsError>`: engine errors become JavaScript exceptions whose
//! message is the engine's plain-English message; nothing here panics on user input.
//!
//! This module holds the calculator's functions (the page's first download); [`engine`] adds the
//! fitting workflow, run in a Web Worker, in the build with the `engine` feature.

#[cfg(feature = "engine")]
mod engine;

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::calculator::{self, Area, Density, GradientRequest, Outcome};
use crate::charts::{self, ChartSpec};

/// Serialise to plain JavaScript objects (maps as objects, `None` as `null`).
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("invalid {what}: {e}")))
}

/// Draw a chart described by a `ChartSpec` object on a canvas element whose backing store is
/// `ratio` (the device pixel ratio) times its CSS size; text, margins and lines are scaled to match.
#[wasm_bindgen(js_name = drawChart)]
pub fn draw_chart(canvas: HtmlCanvasElement, spec: JsValue, ratio: f64) -> Result<(), JsError> {
    let spec: ChartSpec = from_js(spec, "chart")?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the canvas has no 2D drawing context"))?;
    charts::draw(&backend.into_drawing_area(), &spec, ratio).map_err(|e| JsError::new(&e.to_string()))
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

/// The 151 English upper-tier local authorities with their context values and search keys.
#[wasm_bindgen]
pub fn las() -> Result<JsValue, JsError> {
    to_js(&crate::places::listings())
}

/// Text normalised as LA names are for matching (lower case, "&" as "and", no punctuation).
#[wasm_bindgen(js_name = normaliseName)]
pub fn normalise_name(text: &str) -> String {
    crate::places::normalise_name(text)
}

/// The context-predicted social gradient of a request's measure in every LA (for the map and
/// the ranked list): `{label, unit, source, table, items: [{la_code, la_name, estimate, ...}]}`.
#[wasm_bindgen(js_name = laGradients)]
pub fn la_gradients(request: JsValue) -> Result<JsValue, JsError> {
    let request: GradientRequest = from_js(request, "request")?;
    let result = calculator::la_gradients(&request).map_err(|e| JsError::new(&e.to_string()))?;
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

// --- Guided tour ------------------------------------------------------------------------------

#[derive(serde::Deserialize, Default)]
struct TourRequest {
    #[serde(default)]
    la: Option<String>,
}

/// The guided tour's steps (`{la_code, la_name, steps: [{number, key, title, body, question,
/// answer, chart, table, citations}]}`) for `{la}`, an LA name or code (or none).
#[wasm_bindgen(js_name = tourSteps)]
pub fn tour_steps(request: JsValue) -> Result<JsValue, JsError> {
    let r: TourRequest = if request.is_undefined() || request.is_null() {
        TourRequest::default()
    } else {
        from_js(request, "tour request")?
    };
    let tour = crate::tour::tour(r.la.as_deref()).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&tour)
}
