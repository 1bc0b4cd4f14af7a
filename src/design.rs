//! The numeric description of a model that the fitting engine consumes.
//!
//! A [`Design`] is what a formula becomes once it has been evaluated against a data frame:
//! the response `y`, the log offset, the fixed-effects model matrix `X` (columns named as R
//! names them) and, for every random-effect term, the raw random-effects columns `Z_k` with the
//! grouping factor that indexes them. The linear predictor of row `i` is
//!
//! `eta_i = offset_i + x_i' beta + sum_k z_ki' b_k[g_k(i)]`
//!
//! where `b_k[j]` is the random-effect vector of level `j` of grouping factor `k`,
//! `b_k[j] ~ N(0, Sigma_k)` independently over levels, and `Sigma_k` is a full (correlated)
//! covariance matrix of size `terms.len()`.

use nalgebra::DMatrix;
use serde::Serialize;

/// A model ready to fit: rows with a missing value in a used column have already been dropped.
#[derive(Debug, Clone)]
pub struct Design {
    /// Response counts (non-negative integers stored as f64), length n; for a binomial
    /// response, the successes.
    pub y: Vec<f64>,
    /// Binomial trials per row (`s + f` of `cbind(s, f)`), length n; `None` for a single
    /// response column (counts, or a 0/1 response with one trial per row).
    pub trials: Option<Vec<f64>>,
    /// Log offset per row (0 where the formula has none), length n.
    pub offset: Vec<f64>,
    /// Fixed-effects model matrix, n x p.
    pub x: DMatrix<f64>,
    /// Column names of `x`, as R's `model.matrix` names them (`(Intercept)`, `a:b`, `colLevel`).
    pub x_names: Vec<String>,
    /// What each column of `x` is (its term, variables and factor levels), aligned with `x_names`.
    pub x_columns: Vec<ModelColumn>,
    /// Random-effect terms in formula order; `(1 | a/b)` has been expanded to `(1 | a)` and
    /// `(1 | a:b)`.
    pub random: Vec<RandomTerm>,
    /// Source-file row numbers (1-based, header excluded) of the rows kept, length n.
    pub rows: Vec<usize>,
    /// How many rows were dropped because a used column was missing (R's `na.omit`).
    pub dropped_missing: usize,
}

/// One factor of a model-matrix column: a variable of the formula and, for a factor, the level
/// whose indicator the column uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnPart {
    /// The variable as R labels it (`within(imd, la)`, `factor(area)`).
    pub variable: String,
    /// The factor level (`None` for a numeric variable).
    pub level: Option<String>,
    /// The data columns the variable reads, in order of appearance.
    pub columns: Vec<String>,
    /// For `within(x, g)`, the grouping column `g`: the variable compares rows of the same group.
    pub within: Option<String>,
}

impl ColumnPart {
    /// The part's name in a column name: the variable's label followed by the level
    /// (`factor(area)urban`).
    pub fn name(&self) -> String {
        format!("{}{}", self.variable, self.level.as_deref().unwrap_or(""))
    }
}

/// What one column of the fixed-effects model matrix is, as R's `assign` attribute and
/// `terms` object record it: the formula term it belongs to and its parts, the column being
/// the product of the parts' values (a numeric variable's values, or the 0/1 indicator of a
/// factor level). The intercept has no part; a main effect one; an interaction of order `k`
/// has `k`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelColumn {
    /// Position of the column's term among the formula's fixed terms in R's order (R's
    /// `assign` minus 1); `None` for the intercept.
    pub term: Option<usize>,
    pub parts: Vec<ColumnPart>,
}

impl ModelColumn {
    /// The intercept column.
    pub fn intercept() -> ModelColumn {
        ModelColumn { term: None, parts: Vec::new() }
    }

    /// The product of numeric variables, each reading the data column of the same name, as
    /// column of term `term`.
    pub fn numeric(term: usize, variables: &[&str]) -> ModelColumn {
        let parts = variables
            .iter()
            .map(|v| ColumnPart {
                variable: (*v).to_owned(),
                level: None,
                columns: vec![(*v).to_owned()],
                within: None,
            })
            .collect();
        ModelColumn { term: Some(term), parts }
    }

    pub fn is_intercept(&self) -> bool {
        self.parts.is_empty()
    }

    /// Interaction order: the number of parts (1 for a main effect, 0 for the intercept).
    pub fn order(&self) -> usize {
        self.parts.len()
    }

    /// The column's name as R's `model.matrix` writes it: the parts' names joined by `:`.
    pub fn name(&self) -> String {
        if self.is_intercept() {
            return "(Intercept)".to_owned();
        }
        self.parts.iter().map(ColumnPart::name).collect::<Vec<_>>().join(":")
    }

    /// The names of the parts.
    pub fn part_names(&self) -> Vec<String> {
        self.parts.iter().map(ColumnPart::name).collect()
    }

    /// True when a part reads the data column `column`.
    pub fn reads(&self, column: &str) -> bool {
        self.parts.iter().any(|p| p.columns.iter().any(|c| c == column))
    }

    /// For a two-way interaction with a part named `part`, the other part.
    pub fn partner_part(&self, part: &str) -> Option<&ColumnPart> {
        match self.parts.as_slice() {
            [a, b] => match (a.name() == part, b.name() == part) {
                (true, false) => Some(b),
                (false, true) => Some(a),
                _ => None,
            },
            _ => None,
        }
    }

    /// For a two-way interaction with a part named `part`, the other part's name.
    pub fn partner_of(&self, part: &str) -> Option<String> {
        self.partner_part(part).map(ColumnPart::name)
    }
}

/// One random-effect term `(terms | group)`.
#[derive(Debug, Clone)]
pub struct RandomTerm {
    /// Grouping factor name as R prints it (`la`, `la:msoa`).
    pub group: String,
    /// Names of the random-effect columns (`(Intercept)`, `imd_within`).
    pub terms: Vec<String>,
    /// Raw random-effects columns, n x terms.len().
    pub z: DMatrix<f64>,
    /// Level index of each row, in `0..levels.len()`.
    pub index: Vec<usize>,
    /// Level labels.
    pub levels: Vec<String>,
    /// For a spatial field `exp(pos(x, y) + 0 | g)`, where its levels are: the term then has
    /// one column of ones and one level per distinct location of each level of `g` (rows at
    /// the same place share it), and its effects are correlated by distance (see
    /// [`FieldLocations`]) rather than independent over the levels.
    pub field: Option<FieldLocations>,
}

/// The levels of a spatial field term: each a location `(x, y)` within one level of the
/// field's grouping factor `g`. Within a level of `g` the effects are a Gaussian field with
/// `cov(u_a, u_b) = sd^2 exp(-d_ab / range)` (`d` the Euclidean distance in the coordinates'
/// units); fields of different levels of `g` are independent.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldLocations {
    /// The coordinate columns.
    pub x_column: String,
    pub y_column: String,
    /// Coordinates of each location (each level of the term).
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    /// The level of `g` of each location, in `0..groups.len()`.
    pub group: Vec<usize>,
    /// Labels of the levels of `g`.
    pub groups: Vec<String>,
}

impl FieldLocations {
    /// Number of locations.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Whether the coordinates are in metres: columns named like easting/northing, or values
    /// in the range of the British National Grid (eastings 0 to 700 km, northings 0 to
    /// 1,300 km, spread over more than a kilometre).
    pub fn in_metres(&self) -> bool {
        let name = |s: &str| {
            let s = s.to_ascii_lowercase();
            ["east", "north", "bng", "osgb", "metre", "meter"].iter().any(|k| s.contains(k))
        };
        if name(&self.x_column) && name(&self.y_column) {
            return true;
        }
        let range = |v: &[f64]| {
            v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &a| (lo.min(a), hi.max(a)))
        };
        let ((x0, x1), (y0, y1)) = (range(&self.x), range(&self.y));
        x0 >= 0.0 && x1 <= 7.0e5 && y0 >= 0.0 && y1 <= 1.3e6 && (x1 - x0).max(y1 - y0) > 1000.0
    }

    /// `"metres"` or `"coordinate units"` (see [`FieldLocations::in_metres`]).
    pub fn units(&self) -> &'static str {
        if self.in_metres() {
            "metres"
        } else {
            "coordinate units"
        }
    }
}

/// Summary of a design, for reports.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupCount {
    pub group: String,
    pub levels: usize,
}

impl Design {
    /// Number of rows.
    pub fn nobs(&self) -> usize {
        self.y.len()
    }

    /// Number of levels of every grouping factor.
    pub fn group_counts(&self) -> Vec<GroupCount> {
        self.random.iter().map(|r| GroupCount { group: r.group.clone(), levels: r.levels.len() }).collect()
    }
}
