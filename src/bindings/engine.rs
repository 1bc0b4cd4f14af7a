//! The fitting workflow's bindings (run in a Web Worker): a thin JSON wrapper over the engine's
//! [`crate::pipeline::Session`] (reading a file, deriving columns, guided formulas, checking,
//! fitting, comparing and checking models, the R script), and the synthetic samples.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{from_js, to_js};
use crate::data::{BadColumn, Column, DataFrame, Delimiter, TextColumn};
use crate::diagnostics::CheckOptions;
use crate::fit_views::{RScriptRequest, ViewRequest};
use crate::pipeline::{FitRequest, Session as EngineSession};
use crate::samples::{presets, simulate, to_csv};
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

/// `object[key] = value`.
fn set(object: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    js_sys::Reflect::set(object, &JsValue::from_str(key), value).map(|_| ())
}

/// `object[key]`.
fn get(object: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(key))
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

/// What the fitting page's forms offer, in the order they show it: `{roles: [{key, label, hint,
/// required}], families: [{value, name, label, hint}], centring, units, uses, stages: [{value,
/// label}]}`.
#[wasm_bindgen(js_name = formAnswers)]
pub fn form_answers() -> Result<JsValue, JsError> {
    to_js(&crate::workflow::answers::FORM_ANSWERS)
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

/// A prediction request: `{at: [[column, value], ...], gradient_term?, group?, level?}`.
#[derive(serde::Deserialize)]
struct PagePredictRequest {
    #[serde(default)]
    at: Vec<(String, f64)>,
    /// A new row of the data's own columns; when given, `at` is not read.
    #[serde(default)]
    row: Option<crate::formula::NewRow>,
    #[serde(default)]
    gradient_term: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    level: Option<String>,
}

/// Two models to compare: `{first: {formula, family}, second: {formula, family}}`.
#[derive(serde::Deserialize)]
struct PageCompareModels {
    first: FitRequest,
    second: FitRequest,
}

/// A loaded file and what has been done with it: the engine's [`crate::pipeline::Session`]
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

    /// The session's data for another worker, read without the file (see [`Session::from_data`]):
    /// `{names, columns, derived, delimiter, bad_cells}`, each column `{values: Float64Array}`
    /// (numbers, missing as NaN) or `{codes: Uint32Array, text: Uint8Array, ends: Uint32Array}`
    /// (text: each cell's code, and the distinct labels' UTF-8 bytes one after another with the
    /// end of each, so that a million distinct labels cross as three buffers, not a million
    /// strings). The typed arrays are copies the caller may transfer.
    #[wasm_bindgen(js_name = exportData)]
    pub fn export_data(&self) -> Result<JsValue, JsValue> {
        let columns = js_sys::Array::new();
        for (_, column) in self.inner.frame().columns() {
            let entry = js_sys::Object::new();
            match column {
                Column::Numeric(values) => {
                    set(&entry, "values", &js_sys::Float64Array::from(&values[..]).into())?;
                }
                Column::Text(text) => {
                    let (labels, ends) = text.packed_labels();
                    set(&entry, "codes", &js_sys::Uint32Array::from(text.codes()).into())?;
                    set(&entry, "text", &js_sys::Uint8Array::from(&labels[..]).into())?;
                    set(&entry, "ends", &js_sys::Uint32Array::from(&ends[..]).into())?;
                }
            }
            columns.push(&entry);
        }
        let out = js_sys::Object::new();
        set(&out, "names", &to_js(&self.inner.frame().names()).map_err(plain_error)?)?;
        set(&out, "columns", &columns.into())?;
        set(&out, "derived", &to_js(&self.inner.derived()).map_err(plain_error)?)?;
        set(&out, "delimiter", &to_js(&self.inner.delimiter()).map_err(plain_error)?)?;
        set(&out, "bad_cells", &to_js(&self.inner.bad_cells()).map_err(plain_error)?)?;
        Ok(out.into())
    }

    /// A session on data another session exported ([`Session::export_data`]): the same frame,
    /// derived columns, delimiter and bad cells, without reading the file again.
    #[wasm_bindgen(js_name = fromData)]
    pub fn from_data(data: JsValue) -> Result<Session, JsValue> {
        let names: Vec<String> = from_js(get(&data, "names")?, "session data").map_err(plain_error)?;
        let entries: js_sys::Array = get(&data, "columns")?
            .dyn_into()
            .map_err(|_| JsValue::from(js_sys::Error::new("invalid session data: columns")))?;
        if entries.length() as usize != names.len() {
            return Err(js_sys::Error::new("invalid session data: one column per name").into());
        }
        let mut columns = Vec::with_capacity(names.len());
        for (name, entry) in names.into_iter().zip(entries.iter()) {
            let values = get(&entry, "values")?;
            let column = if let Some(values) = values.dyn_ref::<js_sys::Float64Array>() {
                Column::Numeric(values.to_vec())
            } else {
                let typed = |key: &str| {
                    JsValue::from(js_sys::Error::new(&format!("invalid session data: {key}")))
                };
                let codes = get(&entry, "codes")?.dyn_into::<js_sys::Uint32Array>().map_err(|_| typed("codes"))?;
                let text = get(&entry, "text")?.dyn_into::<js_sys::Uint8Array>().map_err(|_| typed("text"))?;
                let ends = get(&entry, "ends")?.dyn_into::<js_sys::Uint32Array>().map_err(|_| typed("ends"))?;
                let column = TextColumn::from_packed(codes.to_vec(), &text.to_vec(), &ends.to_vec())
                    .map_err(|e| JsValue::from(js_sys::Error::new(&format!("invalid session data: {e}"))))?;
                Column::Text(column)
            };
            columns.push((name, column));
        }
        let frame = DataFrame::from_columns(columns).map_err(|e| located_error(&e))?;
        let derived: Vec<DeriveRequest> =
            from_js(get(&data, "derived")?, "session data").map_err(plain_error)?;
        let delimiter: Delimiter = from_js(get(&data, "delimiter")?, "session data").map_err(plain_error)?;
        let bad_cells: Vec<BadColumn> =
            from_js(get(&data, "bad_cells")?, "session data").map_err(plain_error)?;
        Ok(Session { inner: EngineSession::from_read(frame, derived, delimiter, bad_cells) })
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

    /// Checks a fit request `{formula, family, nagq?}` against the data as the fit will: `{summary,
    /// validation, fit_error, value_warnings}`; the model is ready to fit when
    /// `validation.problems_total` is 0 and `fit_error` is null. A formula that cannot be parsed
    /// is an error with `span` and `term`.
    pub fn readiness(&mut self, request: JsValue) -> Result<JsValue, JsValue> {
        let request: FitRequest = from_js(request, "fit request").map_err(plain_error)?;
        let readiness = self.inner.readiness(&request).map_err(|e| located_error(&e))?;
        to_js(&readiness).map_err(plain_error)
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

    /// The random effects of the last fit by level: `{report, charts}`, each level's conditional
    /// mode with its conditional SD and interval, per-LA gradients of random slopes, and the
    /// caterpillar charts of the LA-level effects.
    #[wasm_bindgen(js_name = randomEffects)]
    pub fn random_effects(&self) -> Result<JsValue, JsValue> {
        let out = self.inner.random_effects().map_err(|e| located_error(&e))?;
        to_js(&out).map_err(plain_error)
    }

    /// Adds profile-likelihood intervals to the last fit (the dispersion, every random-effect SD
    /// and the fixed effects named in `terms`, an array) and returns its report.
    pub fn profile(&mut self, terms: JsValue) -> Result<JsValue, JsValue> {
        let terms: Vec<String> = from_js(terms, "terms to profile").map_err(plain_error)?;
        let report = self.inner.profile(&terms).map_err(|e| located_error(&e))?;
        to_js(report).map_err(plain_error)
    }

    /// What a prediction from the last fit can be asked at: `{columns: [{name, mean, indicator,
    /// default}], groups: [[group, levels]]}`.
    #[wasm_bindgen(js_name = predictionInputs)]
    pub fn prediction_inputs(&self) -> Result<JsValue, JsValue> {
        let inputs = self.inner.prediction_inputs().map_err(|e| located_error(&e))?;
        to_js(&inputs).map_err(plain_error)
    }

    /// The expected rate and social-gradient score of the last fit at `{row?, at?,
    /// gradient_term?, group?, level?}` (see `socgrad fit --predict`): `row`, a new row of the
    /// data's own columns `[[column, number or text]]`, or `at`, values of the model's columns.
    pub fn predict(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let r: PagePredictRequest = from_js(request, "prediction request").map_err(plain_error)?;
        let level = match (&r.group, &r.level) {
            (Some(g), Some(l)) => Some((g.as_str(), l.as_str())),
            _ => None,
        };
        let prediction = match &r.row {
            Some(row) => self.inner.predict_row(row, r.gradient_term.as_deref(), level),
            None => self.inner.predict(&r.at, r.gradient_term.as_deref(), level),
        }
        .map_err(|e| located_error(&e))?;
        to_js(&prediction).map_err(plain_error)
    }

    /// Fits two written models on the same rows and compares them (see `socgrad
    /// compare-models`): AIC, BIC and the likelihood-ratio test when one is nested in the other.
    #[wasm_bindgen(js_name = compareModels)]
    pub fn compare_models(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let r: PageCompareModels = from_js(request, "models to compare").map_err(plain_error)?;
        let comparison = self.inner.compare_models(&r.first, &r.second).map_err(|e| located_error(&e))?;
        to_js(&comparison).map_err(plain_error)
    }

    /// Poisson, NB2 and NB1 with and without the formula's random effects.
    pub fn compare(&self, formula: &str, progress: &js_sys::Function) -> Result<JsValue, JsValue> {
        let comparison = self
            .inner
            .compare(formula, &mut |p| report_progress(progress, p))
            .map_err(|e| located_error(&e))?;
        to_js(&comparison).map_err(plain_error)
    }

    /// The R script reproducing the last fit (`{file_name}`), or the model `{file_name,
    /// formula, family}` names; derived columns and the delimiter are the session's.
    #[wasm_bindgen(js_name = rScript)]
    pub fn r_script(&self, request: JsValue) -> Result<String, JsValue> {
        let request: RScriptRequest = from_js(request, "script request").map_err(plain_error)?;
        self.inner.r_script(&request).map_err(|e| located_error(&e))
    }
}

// --- Sample on England's real neighbourhoods -------------------------------------------------

/// The national sample on England's real places with synthetic counts: `{id, title,
/// description}`. The page fetches its three tables only when it is chosen.
#[wasm_bindgen(js_name = englandSampleEntry)]
pub fn england_sample_entry() -> Result<JsValue, JsError> {
    let s = presets::england_referrals();
    let description = format!("{} {}", s.description, crate::samples::england::FIELD_WORDS);
    to_js(&SampleEntry { id: s.id, title: s.title, description })
}

/// Simulates that sample from the bytes of `england_lsoa11.csv`, `england_upper_tier_las.csv`
/// and `england_lsoa11_centroids.csv`: `{sample: {label, attribution, parameters, ...}, csv}`.
#[wasm_bindgen(js_name = makeEnglandSample)]
pub fn make_england_sample(lsoa_csv: &[u8], la_csv: &[u8], centroid_csv: &[u8]) -> Result<JsValue, JsValue> {
    let spec = presets::england_referrals();
    let tables = crate::samples::england::Tables { lsoas: lsoa_csv, las: la_csv, centroids: centroid_csv };
    let sample = crate::samples::england::simulate_england(&spec, tables).map_err(|e| located_error(&e))?;
    let csv = to_csv(&sample.frame).map_err(|e| located_error(&e))?;
    to_js(&MadeSample { sample, csv }).map_err(plain_error)
}
