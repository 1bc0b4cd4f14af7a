//! JavaScript bindings (wasm32 only): the engine's functions with JSON-like objects in and out
//! (serde-wasm-bindgen), and chart drawing on an HTML canvas with plotters-canvas.
//!
//! Every function returns `Result<_, JsError>`: engine errors become JavaScript exceptions whose
//! message is the engine's plain-English message; nothing here panics on user input.
//!
//! This module holds the calculator's functions (the page's first download); [`engine`] adds the
//! fitting workflow, run in a Web Worker, in the build with the `engine` feature, and [`rates`]
//! the real figures (DfE rates, "higher or lower than expected", the Gini from income bands).

#[cfg(feature = "engine")]
mod engine;
#[cfg(feature = "engine")]
mod rates;

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::calculator::{self, ChartsRequest, GradientRequest};
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
/// Returns where the plot is (`{plot: [left, top, right, bottom], x: [lo, hi], y: [lo, hi]}`,
/// CSS pixels and data units), for pointing at its points. A chart with an aspect (a map) first
/// takes the height its data need at the canvas's width ([`charts::aspect_height`]): the
/// canvas's `height` is set to it, and its CSS height follows when that is `auto`.
#[wasm_bindgen(js_name = drawChart)]
pub fn draw_chart(canvas: HtmlCanvasElement, spec: JsValue, ratio: f64) -> Result<JsValue, JsError> {
    let spec: ChartSpec = from_js(spec, "chart")?;
    let ratio = charts::Scale::new(ratio).ratio();
    if let Some(css_h) = charts::aspect_height(&spec, canvas.width() as f64 / ratio) {
        canvas.set_height((css_h * ratio).round() as u32);
    }
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the canvas has no 2D drawing context"))?;
    let frame =
        charts::draw(&backend.into_drawing_area(), &spec, ratio).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&frame)
}

// --- Calculator on the published tables ------------------------------------------------------

/// Social-gradient score for a `GradientRequest` object (`{source: "webb2020", outcome, la_imd, ...}`
/// or `{source: "hood2021", measure, la_dep, area, density}`). An error's message is the plain
/// one a page reader gets ([`calculator::CalcError::plain`]).
#[wasm_bindgen]
pub fn gradient(request: JsValue) -> Result<JsValue, JsError> {
    let request: GradientRequest = from_js(request, "request")?;
    let result = calculator::gradient(&request).map_err(|e| JsError::new(&e.plain()))?;
    to_js(&result)
}

/// Up to `limit` LAs for what a person has typed (names, codes, names since 2019, small typos),
/// best first: `[{la_code, la_name, display_name, matched, alias_name, alias_code, alias_note}]`.
#[wasm_bindgen(js_name = searchLas)]
pub fn search_las(text: &str, limit: usize) -> Result<JsValue, JsError> {
    to_js(&crate::places::search_las(text, limit))
}

/// The LA a name or code (an April-2019 one, or one since: "E06000063", "Cumberland") stands for:
/// `{la_code, alias_name, alias_code, alias_note}`, or `null` when none does.
#[wasm_bindgen(js_name = resolveLa)]
pub fn resolve_la(text: &str) -> Result<JsValue, JsError> {
    #[derive(serde::Serialize)]
    struct Resolved {
        la_code: String,
        alias_name: Option<String>,
        alias_code: Option<String>,
        alias_note: Option<String>,
    }
    let found = crate::places::resolve_la(text).ok().map(|f| Resolved {
        la_code: f.place.la.la_code.clone(),
        alias_name: f.alias.map(|a| a.name.to_string()),
        alias_code: f.alias.and_then(|a| a.code.map(str::to_string)),
        alias_note: f.alias.map(|a| a.note(f.place.la.display_name())),
    });
    to_js(&found)
}

/// Which way score `value` differs from `reference`, as both are shown: "steeper", "flatter",
/// "higher", "lower" or "same" (`gradient`: both are social gradient scores).
#[wasm_bindgen]
pub fn direction(value: f64, reference: f64, gradient: bool) -> Result<JsValue, JsError> {
    to_js(&calculator::Direction::of(calculator::Quantity::Score, value, reference, gradient))
}

/// `x` as the calculator shows quantity `quantity` ("score", "gap", "times", "percent", "points",
/// "share", "imd", "gini", "z", "rate"; see `calculator::format`), so the page writes no number
/// format of its own.
#[wasm_bindgen(js_name = formatNumber)]
pub fn format_number(quantity: &str, x: f64) -> Result<String, JsError> {
    use calculator::Quantity::*;
    let q = match quantity {
        "score" => Score,
        "gap" => Gap,
        "times" => Times,
        "percent" => Percent,
        "points" => Points,
        "share" => Share,
        "imd" => Imd,
        "gini" => Gini,
        "z" => Z,
        "rate" => Rate,
        other => return Err(JsError::new(&format!("no quantity called '{other}'"))),
    };
    Ok(calculator::format::number(q, x))
}

/// The 151 English upper-tier local authorities with their context values and search keys.
#[wasm_bindgen]
pub fn las() -> Result<JsValue, JsError> {
    to_js(&crate::places::listings())
}

/// The context-predicted social gradient of a request's measure in every LA (for the map and
/// the ranked list): `{label, unit, source, table, items: [{la_code, la_name, estimate, ...}]}`.
#[wasm_bindgen(js_name = laGradients)]
pub fn la_gradients(request: JsValue) -> Result<JsValue, JsError> {
    let request: GradientRequest = from_js(request, "request")?;
    let result = calculator::la_gradients(&request).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&result)
}

/// The preset contexts (low / average / high) and Webb et al. 2020 Table 1's LA statistics
/// behind them (see `calculator::study_contexts`).
#[wasm_bindgen(js_name = studyContexts)]
pub fn study_contexts() -> Result<JsValue, JsError> {
    to_js(&calculator::study_contexts())
}

/// Every embedded table and its measures.
#[wasm_bindgen]
pub fn catalogue() -> Result<JsValue, JsError> {
    to_js(&calculator::catalogue())
}

/// The calculator's two charts (Webb et al. 2020 expected rates, Hood et al. 2021 relative
/// rates) for the contexts of `request` (see `calculator::calculator_charts`), each a chart view
/// (drawing specification + table) as the fitting results' charts are.
#[wasm_bindgen(js_name = calculatorCharts)]
pub fn calculator_charts(request: JsValue) -> Result<JsValue, JsError> {
    let request: ChartsRequest = from_js(request, "charts request")?;
    to_js(&calculator::calculator_charts(&request))
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
