//! Fits built by hand from glmmTMB 1.1.5 results (R 4.2), for testing reports without the
//! fitting engine. The data are `la12.csv` in this folder: 300 neighbourhoods in 12 LAs (5 MSOAs
//! of 5 each), simulated in R with `set.seed(1)` as NB2 counts (size 15) with
//! `log mu = log(pop/10000) + 4 + b0 + (0.5 + b1 - 0.15 la_imd) imd_z + 0.2 la_imd`,
//! `b0 ~ N(0, 0.4^2)`, `b1 ~ N(0, 0.3^2)` per LA. Every number below was printed by R at 17
//! significant digits from the fit named in the function's comment.
#![allow(dead_code, clippy::excessive_precision)]

use nalgebra::DMatrix;
use socgrad::design::{Design, ModelColumn, RandomTerm};
use socgrad::fit::{Family, Fit, RandomFit};

pub const LA12_CSV: &str = include_str!("la12.csv");

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// The model columns `(Intercept)` and then one per entry of `terms`, each a product of
/// numeric variables (`["imd_z", "la_imd"]` is the interaction `imd_z:la_imd`).
pub fn columns(terms: &[&[&str]]) -> Vec<ModelColumn> {
    let mut out = vec![ModelColumn::intercept()];
    out.extend(terms.iter().enumerate().map(|(t, vars)| ModelColumn::numeric(t, vars)));
    out
}

fn base_fit(family: Family, columns: Vec<ModelColumn>, beta: Vec<f64>, cov_beta: Vec<Vec<f64>>) -> Fit {
    Fit {
        family,
        terms: columns.iter().map(ModelColumn::name).collect(),
        columns,
        beta,
        cov_beta,
        dropped_terms: Vec::new(),
        loglik: f64::NAN,
        df: 0,
        aic: f64::NAN,
        bic: f64::NAN,
        nobs: 300,
        dispersion: None,
        dispersion_se_log: None,
        random: Vec::new(),
        converged: true,
        singular: false,
        warnings: Vec::new(),
        iterations: 30,
        max_abs_gradient: 1e-9,
        fitted: Vec::new(),
        linear_predictor_fixed: Vec::new(),
        zi: None,
    }
}

pub const LA_LEVELS: [&str; 12] =
    ["LA01", "LA02", "LA03", "LA04", "LA05", "LA06", "LA07", "LA08", "LA09", "LA10", "LA11", "LA12"];

/// LA-level `la_imd` of each LA of `la12.csv`.
pub const LA_IMD: [f64; 12] =
    [0.894, -1.047, 1.971, -0.384, 1.654, 1.512, 0.083, 0.567, -1.025, 0.323, 1.044, 0.099];

/// Conditional modes (intercept, slope) and their conditional SDs, from
/// `ranef(fit_a, condVar = TRUE)$cond$la`.
pub const MODES_A: [[f64; 4]; 12] = [
    [-0.064710647263015370, 0.016632170909483476, 0.19197059262883412, 0.13214279089256947],
    [-0.023040835506977973, -0.231470408707700498, 0.28516335684947564, 0.21946741617451584],
    [0.498179838300848943, 0.234303911820057637, 0.26704217368736172, 0.14921735301390127],
    [-0.048871918994954522, 0.032680081326249326, 0.21908761567939480, 0.14743954576301416],
    [0.310225351694463691, -0.059801177808931606, 0.23678238215394784, 0.16879429743033642],
    [-0.409715431293054877, -0.039209190829506239, 0.23451540538589752, 0.15007299597675763],
    [-0.260381510405487293, -0.043982005209924700, 0.19963256747565813, 0.13219038669786032],
    [-0.688012309573920677, -0.359692060972897298, 0.20811373394096647, 0.15715633227875719],
    [0.807205107573001790, 0.419607246657988875, 0.27390740363618848, 0.16736441952185821],
    [-0.541472050069377819, -0.155656867247257968, 0.20466829453324176, 0.14034331854505602],
    [0.564580276371037915, 0.138663743477134421, 0.18552435603222117, 0.11995788952802883],
    [-0.063168336294686586, 0.062693647999495811, 0.19266882406615674, 0.13604803973827040],
];

/// `fit_a <- glmmTMB(count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la),
/// family = nbinom2, data = la12)`.
pub fn fit_a() -> Fit {
    let mut f = base_fit(
        Family::Nbinom2,
        columns(&[&["imd_z"][..], &["la_imd"], &["imd_z", "la_imd"]]),
        vec![4.00905156779365, 0.341643387252425, 0.24641900706787, -0.210738890959707],
        vec![
            vec![0.024935895446742, 0.00709463545811854, -0.0105767146075128, -0.00282787053148127],
            vec![0.00709463545811854, 0.00881442631350853, -0.00285241795756313, -0.00396939172395368],
            vec![-0.0105767146075128, -0.00285241795756312, 0.0215745133525937, 0.00658396760396721],
            vec![-0.00282787053148127, -0.00396939172395368, 0.00658396760396721, 0.00706765339981805],
        ],
    );
    f.loglik = -593.09955963432;
    f.df = 8;
    f.aic = 1202.19911926864;
    f.bic = 1231.82937906589;
    f.dispersion = Some(11.4418440910278);
    f.dispersion_se_log = Some(0.410363705444253324);
    f.random = vec![RandomFit {
        group: "la".into(),
        terms: names(&["(Intercept)", "imd_z"]),
        sd: vec![0.463200205072578, 0.228332714946238],
        corr: vec![vec![1.0, 0.71119716200461], vec![0.71119716200461, 1.0]],
        levels: names(&LA_LEVELS),
        modes: MODES_A.iter().map(|m| vec![m[0], m[1]]).collect(),
        mode_sd: MODES_A.iter().map(|m| vec![m[2], m[3]]).collect(),
        mode_cov_fixed: vec![vec![vec![0.0; 4]; 2]; LA_LEVELS.len()],
        field: None,
    }];
    f
}

/// `glmmTMB(count ~ imd_z + la_imd + offset(log(pop/10000)), family = poisson, data = la12)`.
pub fn fit_b() -> Fit {
    let mut f = base_fit(
        Family::Poisson,
        columns(&[&["imd_z"][..], &["la_imd"]]),
        vec![4.26740902915532, 0.457923448892125, 0.0563312040236952],
        vec![
            vec![0.00146253273497053, -0.000517024370900985, -0.000561251943431535],
            vec![-0.000517024370900985, 0.00102788486215686, 4.12100838178917e-05],
            vec![-0.000561251943431535, 4.12100838178917e-05, 0.00107828111064068],
        ],
    );
    f.loglik = -849.279906979899;
    f.df = 3;
    f.aic = 1704.5598139598;
    f.bic = 1715.67116138377;
    f
}

/// `glmmTMB(count ~ imd_z + offset(log(pop/10000)) + (1 | la/msoa), family = nbinom1,
/// data = la12)`; R names the groups `msoa:la` (60 levels) and `la` (12 levels).
pub fn fit_c() -> Fit {
    let mut f = base_fit(
        Family::Nbinom1,
        columns(&[&["imd_z"]]),
        vec![4.16022871506925, 0.359330382706068],
        vec![
            vec![0.0279541930837736, -0.000819777304070819],
            vec![-0.00081977730407082, 0.00186412055821211],
        ],
    );
    f.loglik = -634.773807747189;
    f.df = 5;
    f.aic = 1279.54761549438;
    f.bic = 1298.06652786766;
    f.dispersion = Some(0.728917640155009);
    let scalar = |group: &str, sd: f64, levels: usize| RandomFit {
        group: group.into(),
        terms: names(&["(Intercept)"]),
        sd: vec![sd],
        corr: vec![vec![1.0]],
        levels: (1..=levels).map(|i| format!("{group}{i}")).collect(),
        modes: vec![vec![0.0]; levels],
        mode_sd: vec![vec![0.2]; levels],
        mode_cov_fixed: vec![vec![vec![0.0; 2]]; levels],
        field: None,
    };
    f.random = vec![scalar("msoa:la", 0.247064332576942, 60), scalar("la", 0.539263905672987, 12)];
    f
}

/// A design without rows, for reports that only need the count of rows left out.
pub fn empty_design(dropped_missing: usize) -> Design {
    Design {
        trials: None,
        y: Vec::new(),
        offset: Vec::new(),
        x: DMatrix::zeros(0, 0),
        x_names: Vec::new(),
        x_columns: Vec::new(),
        random: Vec::new(),
        rows: Vec::new(),
        dropped_missing,
    }
}

/// A design shaped like fit A's (two rows per LA, `imd_z` = -1 and +1, the LA's `la_imd`, and
/// the random term `(1 + imd_z | la)`), for the per-LA views.
pub fn design_a() -> Design {
    let n = 2 * LA_IMD.len();
    let imd = |i: usize| if i % 2 == 0 { -1.0 } else { 1.0 };
    let la_imd = |i: usize| LA_IMD[i / 2];
    let x = DMatrix::from_fn(n, 4, |i, j| match j {
        0 => 1.0,
        1 => imd(i),
        2 => la_imd(i),
        _ => imd(i) * la_imd(i),
    });
    let z = DMatrix::from_fn(n, 2, |i, j| if j == 0 { 1.0 } else { imd(i) });
    Design {
        trials: None,
        y: vec![10.0; n],
        offset: vec![0.0; n],
        x,
        x_names: names(&["(Intercept)", "imd_z", "la_imd", "imd_z:la_imd"]),
        x_columns: columns(&[&["imd_z"][..], &["la_imd"], &["imd_z", "la_imd"]]),
        random: vec![RandomTerm {
            group: "la".into(),
            terms: names(&["(Intercept)", "imd_z"]),
            z,
            index: (0..n).map(|i| i / 2).collect(),
            levels: names(&LA_LEVELS),
            field: None,
        }],
        rows: (1..=n).collect(),
        dropped_missing: 0,
    }
}
