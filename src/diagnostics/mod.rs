//! Checks of a fitted model by simulation, as the DHARMa package makes them: scaled quantile
//! residuals from data sets simulated from the fit ([`residuals`]), their uniformity
//! ([`kolmogorov`]), dispersion and zero-inflation tests, and, when the file holds neighbourhood
//! coordinates ([`coordinates`]), Moran's I of the residuals over the nearest neighbours
//! ([`moran`], [`neighbours`]). [`check_model`] runs them all with a reading of each in words.

mod check;
pub mod coordinates;
pub mod kolmogorov;
pub mod moran;
pub mod neighbours;
pub mod residuals;
mod text;

pub use check::{check_model, p_text, CheckError, CheckOptions, FittedBin, ModelCheck, Read, SpatialCheck};
