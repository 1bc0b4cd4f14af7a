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

// --- Fitting workflow (run in a Web Worker) ---------------------------------------------------

use crate::diagnostics::CheckOptions;
use crate::fit_views::{RScriptRequest, ViewRequest};
use crate::report::FitRequest;
use crate::samples::{presets, simulate, to_csv};
use crate::session::Session as EngineSession;
use crate::workflow::derive::DeriveRequest;
use crate::workflow::guided::{presets as model_presets, ModelChoices};
use crate::workflow::roles::Roles;
use std::fmt::Display;

/// A JavaScript `Error` whose message is the engine's message and which also carries the
/// error's fields (`kind`, `row`, `column`, `term`, `span`, ...), so the page can point at the
/// problem.
fn located_error<E: Serialize + Display>(e: &E) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    if let Ok(fields) = e.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        if let Some(fields) = fields.dyn_ref::<js_sys::Object>() {
            js_sys::Object::assign(&error, fields);
        }
    }
    error.into()
}

fn plain_error(e: JsError) -> JsValue {
    e.into()
}

/// Calls the page's progress callback; a failing callback never stops the engine.
fn report_progress<T: Serialize>(callback: &js_sys::Function, value: &T) {
    if let Ok(v) = to_js(value) {
        let _ = callback.call1(&JsValue::NULL, &v);
    }
}

#[derive(serde::Serialize)]
struct SampleEntry {
    id: String,
    title: String,
    description: String,
}

/// The synthetic data sets on offer: `[{id, title, description}]`.
#[wasm_bindgen(js_name = sampleCatalogue)]
pub fn sample_catalogue() -> Result<JsValue, JsError> {
    let list: Vec<SampleEntry> = presets::all()
        .into_iter()
        .map(|s| SampleEntry { id: s.id, title: s.title, description: s.description })
        .collect();
    to_js(&list)
}

#[derive(serde::Serialize)]
struct MadeSample {
    sample: crate::samples::Sample,
    csv: String,
}

/// Simulates the data set `id`: `{sample: {title, parameters, model, derive, roles, ...}, csv}`.
#[wasm_bindgen(js_name = makeSample)]
pub fn make_sample(id: &str) -> Result<JsValue, JsValue> {
    let spec = presets::by_id(id)
        .ok_or_else(|| JsValue::from(js_sys::Error::new(&format!("there is no sample called '{id}'"))))?;
    let sample = simulate(&spec).map_err(|e| located_error(&e))?;
    let csv = to_csv(&sample.frame).map_err(|e| located_error(&e))?;
    to_js(&MadeSample { sample, csv }).map_err(plain_error)
}

/// The model presets that mirror the studies: `[{id, title, description, choices}]`.
#[wasm_bindgen(js_name = modelPresets)]
pub fn model_presets_js() -> Result<JsValue, JsError> {
    to_js(&model_presets())
}

#[derive(serde::Deserialize)]
struct PageFitRequest {
    fit: FitRequest,
    #[serde(default)]
    view: ViewRequest,
}

/// A loaded file and what has been done with it: the engine's [`crate::session::Session`]
/// with JavaScript objects in and out.
#[wasm_bindgen]
pub struct Session {
    inner: EngineSession,
}

#[wasm_bindgen]
impl Session {
    /// Reads a CSV file's bytes. Errors carry `kind: "data_file"`, `reason` and `row` where known.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Session, JsValue> {
        let inner = EngineSession::open(bytes).map_err(|e| located_error(&e))?;
        Ok(Session { inner })
    }

    /// Rows, column summaries, the first `rows` rows, the guessed column roles and warnings
    /// about a file that looks wrong.
    pub fn overview(&self, rows: usize) -> Result<JsValue, JsError> {
        to_js(&self.inner.overview(rows))
    }

    /// Adds a derived LA-level column (`{value, weight, group, name}`); deriving a name again
    /// replaces the earlier derivation.
    pub fn derive(&mut self, request: JsValue) -> Result<JsValue, JsValue> {
        let request: DeriveRequest = from_js(request, "derivation").map_err(plain_error)?;
        let derived = self.inner.derive(&request).map_err(|e| located_error(&e))?;
        to_js(&derived).map_err(plain_error)
    }

    /// The formula for column roles and guided choices, with the meaning of every coefficient.
    pub fn guide(&self, roles: JsValue, choices: JsValue) -> Result<JsValue, JsValue> {
        let roles: Roles = from_js(roles, "column roles").map_err(plain_error)?;
        let choices: ModelChoices = from_js(choices, "model choices").map_err(plain_error)?;
        let model = self.inner.guide(&roles, &choices).map_err(|e| located_error(&e))?;
        to_js(&model).map_err(plain_error)
    }

    /// Parses a formula and checks it against the data: its structure and every problem with
    /// row numbers. A formula that cannot be parsed is an error with `span` and `term`.
    #[wasm_bindgen(js_name = checkFormula)]
    pub fn check_formula(&mut self, formula: &str) -> Result<JsValue, JsValue> {
        let check = self.inner.check_formula(formula).map_err(|e| located_error(&e))?;
        to_js(&check).map_err(plain_error)
    }

    /// Fits `{fit: {formula, family, nagq?}, view: {roles, gradient_term, gradient_step, moderators}}`,
    /// calling `progress` once per iteration; returns `{report, views}` and keeps the model for
    /// `views`, `rScript`.
    pub fn fit(&mut self, request: JsValue, progress: &js_sys::Function) -> Result<JsValue, JsValue> {
        let request: PageFitRequest = from_js(request, "fit request").map_err(plain_error)?;
        let out = self
            .inner
            .fit(&request.fit, &request.view, &mut |p| report_progress(progress, p))
            .map_err(|e| located_error(&e))?;
        to_js(&out).map_err(plain_error)
    }

    /// Fits `{formula, family, nagq?}` and returns the report alone, without the page's views:
    /// the engine's `run_fit` for scripts and the benchmark. The session's last model is unchanged.
    #[wasm_bindgen(js_name = fitReport)]
    pub fn fit_report(&self, request: JsValue, progress: &js_sys::Function) -> Result<JsValue, JsValue> {
        let request: FitRequest = from_js(request, "fit request").map_err(plain_error)?;
        let report = self
            .inner
            .fit_report(&request, &mut |p| report_progress(progress, p))
            .map_err(|e| located_error(&e))?;
        to_js(&report).map_err(plain_error)
    }

    /// The views of the last fit for another request (another gradient term, say).
    pub fn views(&self, view: JsValue) -> Result<JsValue, JsValue> {
        let view: ViewRequest = from_js(view, "view request").map_err(plain_error)?;
        let views = self.inner.views(&view).map_err(|e| located_error(&e))?;
        to_js(&views).map_err(plain_error)
    }

    /// Checks the last fit (`{simulations?, seed?}`, default 250 and 1): `{check, charts}`, the
    /// residual tests with their readings and the QQ and residual-against-fitted charts.
    #[wasm_bindgen(js_name = checkModel)]
    pub fn check_model(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let options: CheckOptions = if options.is_undefined() || options.is_null() {
            CheckOptions::default()
        } else {
            from_js(options, "check options").map_err(plain_error)?
        };
        let checked = self.inner.check_model(&options).map_err(|e| located_error(&e))?;
        to_js(&checked).map_err(plain_error)
    }

    /// Poisson, NB2 and NB1 with and without the formula's random effects.
    pub fn compare(&self, formula: &str, progress: &js_sys::Function) -> Result<JsValue, JsValue> {
        let comparison = self
            .inner
            .compare(formula, &mut |p| report_progress(progress, p))
            .map_err(|e| located_error(&e))?;
        to_js(&comparison).map_err(plain_error)
    }

    /// The R script reproducing the last fit (`{file_name, formula, family}`; derived columns
    /// and the delimiter are the session's).
    #[wasm_bindgen(js_name = rScript)]
    pub fn r_script(&self, request: JsValue) -> Result<String, JsValue> {
        let request: RScriptRequest = from_js(request, "script request").map_err(plain_error)?;
        Ok(self.inner.r_script(&request))
    }
}

// --- Sample on England's real neighbourhoods -------------------------------------------------

/// The national sample on England's real places with synthetic counts: `{id, title,
/// description}`. The page fetches its two tables only when it is chosen.
#[wasm_bindgen(js_name = englandSampleEntry)]
pub fn england_sample_entry() -> Result<JsValue, JsError> {
    let s = presets::england_referrals();
    to_js(&SampleEntry { id: s.id, title: s.title, description: s.description })
}

/// Simulates that sample from the bytes of `england_lsoa11.csv` and
/// `england_upper_tier_las.csv`: `{sample: {label, attribution, parameters, ...}, csv}`.
#[wasm_bindgen(js_name = makeEnglandSample)]
pub fn make_england_sample(lsoa_csv: &[u8], la_csv: &[u8]) -> Result<JsValue, JsValue> {
    let spec = presets::england_referrals();
    let sample =
        crate::samples::england::simulate_england(&spec, lsoa_csv, la_csv).map_err(|e| located_error(&e))?;
    let csv = to_csv(&sample.frame).map_err(|e| located_error(&e))?;
    to_js(&MadeSample { sample, csv }).map_err(plain_error)
}
