//! The checks as plain text, for the command line.

use super::check::{p_text, ModelCheck};
use std::fmt::Write;

impl ModelCheck {
    /// The tests and their readings, one block each.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Model check: {}.", self.simulation);
        let u = &self.uniformity.test;
        let _ = writeln!(out, "\nUniformity of the scaled residuals (Kolmogorov-Smirnov)");
        let _ = writeln!(
            out,
            "  D = {:.4}, {}{}",
            u.statistic,
            p_text(u.p_value),
            if u.exact { " (exact)" } else { "" }
        );
        let _ = writeln!(out, "  {}", self.uniformity.reading);
        for (title, t) in [
            ("Dispersion (variance of y - fitted, observed / simulated)", &self.dispersion),
            ("Zero inflation (zero counts, observed / simulated)", &self.zero_inflation),
        ] {
            let _ = writeln!(out, "\n{title}");
            let _ = writeln!(
                out,
                "  observed {:.4}, simulated mean {:.4}, ratio {:.3}, {}",
                t.test.observed,
                t.test.simulated_mean,
                t.test.ratio,
                p_text(t.test.p_value)
            );
            let _ = writeln!(out, "  {}", t.reading);
        }
        let _ = writeln!(out, "\nSpatial autocorrelation of the residuals (Moran's I)");
        match (&self.spatial, &self.spatial_note) {
            (Some(s), _) => {
                let m = &s.moran.test;
                let _ = writeln!(
                    out,
                    "  coordinates '{}', '{}' ({} rows), {} nearest neighbours: I = {:.4}, expected {:.4}, sd {:.4}, {}",
                    s.columns.x,
                    s.columns.y,
                    s.rows_used,
                    m.neighbours,
                    m.observed,
                    m.expected,
                    m.sd,
                    p_text(m.p_value)
                );
                let _ = writeln!(out, "  {}", s.moran.reading);
            }
            (None, Some(note)) => {
                let _ = writeln!(out, "  {note}");
            }
            (None, None) => {}
        }
        out
    }
}
