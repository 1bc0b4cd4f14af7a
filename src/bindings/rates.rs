//! The real figures' bindings (engine build, run in a Web Worker): the Department for
//! Education's figures for an LA with England's, the trend, "higher or lower than expected"
//! and rates against deprivation (`ratesView`), the map's values (`ratesMap`), the tour step
//! (`ratesTourStep`), the Gini coefficient from income bands (`giniFromBands`) and the LA-by-year
//! panel of real counts as a sample to fit. Each is one call into `crate::rates` or
//! `crate::gini`, JSON-like objects in and out.

use wasm_bindgen::prelude::*;

use super::{from_js, to_js};
use crate::gini::{estimate_gini, GiniRequest};
use crate::rates::views::{map_view, rates_view, MapRequest, RatesRequest};

fn error<E: std::fmt::Display>(e: E) -> JsError {
    JsError::new(&e.to_string())
}

/// Everything the page shows for `{la, measure, year, covariates}` (each optional).
#[wasm_bindgen(js_name = ratesView)]
pub fn rates_view_js(request: JsValue) -> Result<JsValue, JsError> {
    let request: RatesRequest = if request.is_undefined() || request.is_null() {
        RatesRequest::default()
    } else {
        from_js(request, "request")?
    };
    to_js(&rates_view(&request).map_err(error)?)
}

/// Every LA's rate, or observed ÷ expected, for `{measure, year, mode: "rate" | "ratio"}`.
#[wasm_bindgen(js_name = ratesMap)]
pub fn rates_map(request: JsValue) -> Result<JsValue, JsError> {
    let request: MapRequest = from_js(request, "map request")?;
    to_js(&map_view(&request).map_err(error)?)
}

#[derive(serde::Deserialize, Default)]
struct StepRequest {
    #[serde(default)]
    la: Option<String>,
}

/// The tour's step "What actually happens in England", with `{la}` marked on its funnel.
#[wasm_bindgen(js_name = ratesTourStep)]
pub fn rates_tour_step(request: JsValue) -> Result<JsValue, JsError> {
    let r: StepRequest = if request.is_undefined() || request.is_null() {
        StepRequest::default()
    } else {
        from_js(request, "request")?
    };
    to_js(&crate::rates::tour::tour_step(r.la.as_deref()).map_err(error)?)
}

/// The Gini coefficient of `{bands, mean_income?, sample_size?}` with its bootstrap interval;
/// an error names the line of the bands at fault.
#[wasm_bindgen(js_name = giniFromBands)]
pub fn gini_from_bands(request: JsValue) -> Result<JsValue, JsError> {
    let request: GiniRequest = from_js(request, "bands")?;
    to_js(&estimate_gini(&request).map_err(error)?)
}

#[derive(serde::Serialize)]
struct Entry {
    id: &'static str,
    title: &'static str,
    description: &'static str,
}

/// The LA-by-year panel in the list of samples: `{id, title, description}`.
#[wasm_bindgen(js_name = laPanelSampleEntry)]
pub fn la_panel_sample_entry() -> Result<JsValue, JsError> {
    let (id, title, description) = crate::samples::la_panel::entry();
    to_js(&Entry { id, title, description })
}

#[derive(serde::Serialize)]
struct Made {
    sample: crate::samples::la_panel::PanelSample,
    csv: String,
}

/// The panel: `{sample: {title, formula, roles, real_counts, ...}, csv}`.
#[wasm_bindgen(js_name = makeLaPanelSample)]
pub fn make_la_panel_sample() -> Result<JsValue, JsError> {
    let (sample, csv) = crate::samples::la_panel::la_panel().map_err(error)?;
    to_js(&Made { sample, csv })
}
