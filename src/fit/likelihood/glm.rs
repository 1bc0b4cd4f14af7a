//! The exact log-likelihood of a model without random effects, with its gradient and
//! information (negative Hessian) in `(beta, tau)`, `tau = ln(dispersion)` for the negative
//! binomial families: the sums over rows of the family kernels of [`super::family`].
//!
//! Its maximisation by Newton's method is [`crate::fit::optimise::glm`].

use super::family::{EtaDerivatives, Kernel, Response};
use super::layout::Layout;
use crate::fit::small;
use crate::fit::{Family, Link};
use std::sync::Arc;

/// Bounds on `tau`: beyond them the negative binomial is indistinguishable from the Poisson
/// (or from a degenerate distribution) for any realistic data.
pub const TAU_BOUNDS: (f64, f64) = (-20.0, 20.0);

/// Log-likelihood, gradient and information (negative Hessian, row-major) at `(beta, tau)`.
pub struct Evaluation {
    pub loglik: f64,
    pub grad: Vec<f64>,
    pub info: Vec<f64>,
}

/// The log-likelihood at `(beta, tau)` (`tau` given for the negative binomial families), `None`
/// where it or its derivatives are not finite.
pub fn evaluate(layout: &Layout, family: Family, beta: &[f64], tau: Option<f64>) -> Option<Evaluation> {
    let response = &layout.response;
    match family {
        Family::Poisson => by_width(layout, beta, tau, &PoissonRows(response)),
        Family::Nbinom2 => {
            let kernel = Kernel::new(family, tau.unwrap_or(0.0), response);
            by_width(layout, beta, tau, &Nb2Rows(&kernel, response))
        }
        Family::Nbinom1 => {
            let kernel = Kernel::new(family, tau.unwrap_or(0.0), response);
            by_width(layout, beta, tau, &Nb1Rows(&kernel, response))
        }
        Family::Binomial(link) => by_width(layout, beta, None, &BinomialRows(link, response)),
    }
}

/// One family's derivatives of row `i`'s log-likelihood at `eta`, inlined into [`accumulate`].
trait Rows {
    fn at(&self, i: usize, eta: f64) -> EtaDerivatives;
}

struct PoissonRows<'a>(&'a Response);
struct Nb2Rows<'a>(&'a Kernel, &'a Response);
struct Nb1Rows<'a>(&'a Kernel, &'a Response);
struct BinomialRows<'a>(Link, &'a Response);

impl Rows for BinomialRows<'_> {
    #[inline(always)]
    fn at(&self, i: usize, eta: f64) -> EtaDerivatives {
        Kernel::binomial_full(self.0, self.1, i, eta)
    }
}

impl Rows for PoissonRows<'_> {
    #[inline(always)]
    fn at(&self, i: usize, eta: f64) -> EtaDerivatives {
        Kernel::poisson(self.0, i, eta)
    }
}

impl Rows for Nb2Rows<'_> {
    #[inline(always)]
    fn at(&self, i: usize, eta: f64) -> EtaDerivatives {
        self.0.nb2_full(self.1, i, eta)
    }
}

impl Rows for Nb1Rows<'_> {
    #[inline(always)]
    fn at(&self, i: usize, eta: f64) -> EtaDerivatives {
        self.0.nb1_full(self.1, i, eta)
    }
}

/// [`accumulate`] with the number of columns fixed at compile time for the usual small models,
/// so that the loops over columns are unrolled.
fn by_width(layout: &Layout, beta: &[f64], tau: Option<f64>, rows: &impl Rows) -> Option<Evaluation> {
    match layout.p {
        1 => accumulate::<1>(layout, beta, tau, rows),
        2 => accumulate::<2>(layout, beta, tau, rows),
        3 => accumulate::<3>(layout, beta, tau, rows),
        4 => accumulate::<4>(layout, beta, tau, rows),
        5 => accumulate::<5>(layout, beta, tau, rows),
        6 => accumulate::<6>(layout, beta, tau, rows),
        _ => accumulate::<0>(layout, beta, tau, rows),
    }
}

/// The sums behind [`evaluate`], with `rows.at(i, eta)` the derivatives of row `i`'s
/// log-likelihood: `l = sum l_i`, `grad_a = sum d1_i x_ia` (and `sum dt_i` for `tau`),
/// `info_ab = -sum d2_i x_ia x_ib`, `info_tau,a = -sum d1t_i x_ia`, `info_tau,tau = -sum dtt_i`.
/// `P` is the number of columns, or 0 to take it from `layout` at run time.
#[inline(always)]
fn accumulate<const P: usize>(
    layout: &Layout,
    beta: &[f64],
    tau: Option<f64>,
    rows: &impl Rows,
) -> Option<Evaluation> {
    let p = if P == 0 { layout.p } else { P };
    let beta = &beta[..p];
    let mut loglik = 0.0;
    let mut grad = vec![0.0; p];
    // Lower triangle of the beta block, row by row; the tau row; the tau diagonal.
    let mut lower = vec![0.0; p * (p + 1) / 2];
    let mut cross = vec![0.0; p];
    let mut grad_tau = 0.0;
    let mut info_tau = 0.0;
    for (i, (x, &offset)) in layout.x.chunks_exact(p).zip(&layout.offset).enumerate() {
        let eta = offset + x.iter().zip(beta).map(|(a, b)| a * b).sum::<f64>();
        let d = rows.at(i, eta);
        loglik += d.l;
        for (g, &xa) in grad.iter_mut().zip(x) {
            *g += d.d1 * xa;
        }
        let mut start = 0;
        for (a, &xa) in x.iter().enumerate() {
            let wa = -d.d2 * xa;
            for (v, &xb) in lower[start..start + a + 1].iter_mut().zip(x) {
                *v += wa * xb;
            }
            start += a + 1;
        }
        if tau.is_some() {
            grad_tau += d.dt;
            for (v, &xa) in cross.iter_mut().zip(x) {
                *v -= d.d1t * xa;
            }
            info_tau -= d.dtt;
        }
    }
    let dim = p + tau.is_some() as usize;
    let mut info = vec![0.0; dim * dim];
    let mut start = 0;
    for a in 0..p {
        info[a * dim..=a * dim + a].copy_from_slice(&lower[start..start + a + 1]);
        start += a + 1;
    }
    if tau.is_some() {
        grad.push(grad_tau);
        info[p * dim..p * dim + p].copy_from_slice(&cross);
        info[p * dim + p] = info_tau;
    }
    small::symmetrize_from_lower(&mut info, dim);
    (loglik.is_finite() && grad.iter().chain(&info).all(|v| v.is_finite())).then_some(Evaluation {
        loglik,
        grad,
        info,
    })
}

/// The exact GLM log-likelihood in `psi = (beta, tau)` (`tau` for the negative binomial families
/// only), as the profile-likelihood search holds one parameter at a value.
#[derive(Clone, Debug)]
pub struct GlmLikelihood {
    pub layout: Arc<Layout>,
    pub family: Family,
}

impl super::LogLikelihood for GlmLikelihood {
    fn loglik(&mut self, psi: &[f64], grad: &mut [f64]) -> Option<f64> {
        let p = self.layout.p;
        let tau = self.family.has_dispersion().then(|| psi[p]);
        let ev = evaluate(&self.layout, self.family, &psi[..p], tau)?;
        grad.copy_from_slice(&ev.grad[..psi.len()]);
        Some(ev.loglik)
    }
}
