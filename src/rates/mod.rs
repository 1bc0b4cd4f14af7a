//! Real figures: the Department for Education's children's social care statistics for the 151
//! English upper-tier local authorities, 2013 to 2025, and what the page and the command line
//! make of them.
//!
//! - [`data`]: the figures as typed data (counts, rates, and why a figure is missing);
//! - [`england`]: England's rate of each measure and year, summed over the LAs with a figure;
//! - [`figures`]: one LA's figures beside England's, with its rank (`socgrad rates`);
//! - [`similar`], [`trend`]: the LAs most like one, and the trend chart of a measure;
//! - [`nbinom`]: the negative binomial distribution as R computes it (funnel limits);
//! - [`expected`]: "higher or lower than expected", a negative binomial model fitted by the
//!   engine, with every LA's expected count and limits (`socgrad expected`);
//! - [`views`]: what the page shows (the funnel plot, rates against deprivation, the map);
//! - [`tour`]: the guided tour's step "What actually happens in England";
//! - [`table6`]: Hood et al. 2020's Table 6 (LA deprivation against demand, by year) computed
//!   again from these figures, beside the published coefficients (`socgrad six-las --table 6`).

pub mod data;
pub mod england;
pub mod error;
pub mod expected;
pub mod figures;
pub mod nbinom;
pub mod similar;
pub mod table6;
pub mod tour;
pub mod trend;
pub mod views;
