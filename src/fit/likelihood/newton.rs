//! The step-length search of the inner Newton iteration for the conditional modes, shared by the
//! dense (`laplace`) and sparse (`crate::fit::sparse`) Laplace objectives.
//!
//! The inner problem maximises `h(b) = log p(y | b) + log p(b)` over the random effects `b`. From
//! the modes `b0` and a Newton direction `u`, the step `b0 + t u` is taken with the first of
//! `t = 1, 1/2, 1/4, ...` at which `h` does not fall (allowing a relative rounding of 1e-12); below
//! `t = 1e-12` the search gives up.

/// Tries `at(t)` for `t = 1, 1/2, 1/4, ...` until it gives an objective `h_t` with
/// `h_t >= h - 1e-12 (1 + |h|)`, and returns that `(h_t, observed)`. `at` moves the modes to
/// `b0 + t u` and evaluates there (`None` where the objective cannot be evaluated); `observed`
/// is whatever the evaluation reports with its value (whether the Hessian is the observed one).
pub(crate) fn backtrack(h: f64, mut at: impl FnMut(f64) -> Option<(f64, bool)>) -> Option<(f64, bool)> {
    let mut t = 1.0;
    loop {
        match at(t) {
            Some((ht, observed)) if ht >= h - 1e-12 * (1.0 + h.abs()) => return Some((ht, observed)),
            _ => {
                t *= 0.5;
                if t < 1e-12 {
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backtrack;

    #[test]
    fn halves_the_step_until_the_objective_does_not_fall() {
        // h(t) = -(t - 0.3)^2 from h(0) = -0.09: t = 1 falls to -0.49, t = 1/2 rises to -0.04.
        let mut tried = Vec::new();
        let got = backtrack(-0.09, |t| {
            tried.push(t);
            Some((-(t - 0.3f64).powi(2), true))
        });
        assert_eq!(tried, vec![1.0, 0.5]);
        assert_eq!(got, Some((-(0.5f64 - 0.3).powi(2), true)));
    }

    #[test]
    fn gives_up_when_no_step_is_accepted() {
        let mut n = 0;
        assert_eq!(backtrack(0.0, |_| { n += 1; None }), None);
        assert_eq!(n, 40, "t = 1 down to 2^-39 (the last above 1e-12)");
    }
}
