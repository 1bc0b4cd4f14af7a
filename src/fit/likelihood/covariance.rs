//! Parametrisation of a random-effect covariance matrix, as glmmTMB's unstructured (`us`)
//! covariance.
//!
//! A term with `q` columns has `q (q + 1) / 2` parameters: `q` log standard deviations
//! followed by `q (q - 1) / 2` unconstrained correlation parameters `x`. The correlation
//! matrix is `R = N^-1/2 L L' N^-1/2`, where `L` is unit lower triangular with its
//! sub-diagonal entries filled row by row from `x` (`L[1,0] = x_0`, `L[2,0] = x_1`,
//! `L[2,1] = x_2`, ...) and `N = diag(L L')`. For `q = 2` this is `rho = x / sqrt(1 + x^2)`.
//! Then `Sigma = D R D` with `D = diag(exp(log sd))`.

/// Number of covariance parameters of a term with `q` columns.
pub fn parameter_count(q: usize) -> usize {
    q * (q + 1) / 2
}

/// The covariance matrix of one term and its derivatives, all `q x q` row-major.
#[derive(Clone, Debug)]
pub struct TermCovariance {
    pub q: usize,
    pub sd: Vec<f64>,
    pub corr: Vec<f64>,
    pub sigma: Vec<f64>,
    /// `d Sigma / d theta_k` for every parameter `k` in the order described above.
    pub dsigma: Vec<Vec<f64>>,
}

impl TermCovariance {
    /// Builds `Sigma` and its derivatives from the parameters `theta` of a `q`-column term.
    pub fn new(theta: &[f64], q: usize) -> TermCovariance {
        let sd: Vec<f64> = theta[..q].iter().map(|t| t.exp()).collect();
        let x = &theta[q..];
        // Unit lower-triangular L, filled row by row.
        let mut l = vec![0.0; q * q];
        let mut position = vec![(0usize, 0usize); x.len()];
        let mut k = 0;
        for i in 0..q {
            l[i * q + i] = 1.0;
            for j in 0..i {
                l[i * q + j] = x[k];
                position[k] = (i, j);
                k += 1;
            }
        }
        let mut c = vec![0.0; q * q];
        for a in 0..q {
            for b in 0..q {
                c[a * q + b] = (0..q).map(|m| l[a * q + m] * l[b * q + m]).sum();
            }
        }
        let mut corr = vec![0.0; q * q];
        for a in 0..q {
            for b in 0..q {
                corr[a * q + b] = c[a * q + b] / (c[a * q + a] * c[b * q + b]).sqrt();
            }
        }
        let mut sigma = vec![0.0; q * q];
        for a in 0..q {
            for b in 0..q {
                sigma[a * q + b] = sd[a] * sd[b] * corr[a * q + b];
            }
        }
        let mut dsigma = Vec::with_capacity(parameter_count(q));
        for m in 0..q {
            let mut d = vec![0.0; q * q];
            for a in 0..q {
                for b in 0..q {
                    let factor = (a == m) as u8 as f64 + (b == m) as u8 as f64;
                    d[a * q + b] = factor * sigma[a * q + b];
                }
            }
            dsigma.push(d);
        }
        for &(i, j) in &position {
            // dC = E_ij L' + L E_ji: (dC)_ab = [a == i] L_bj + L_aj [b == i].
            let mut dc = vec![0.0; q * q];
            for a in 0..q {
                for b in 0..q {
                    let mut v = 0.0;
                    if a == i {
                        v += l[b * q + j];
                    }
                    if b == i {
                        v += l[a * q + j];
                    }
                    dc[a * q + b] = v;
                }
            }
            let mut d = vec![0.0; q * q];
            for a in 0..q {
                for b in 0..q {
                    let caa = c[a * q + a];
                    let cbb = c[b * q + b];
                    let dr = dc[a * q + b] / (caa * cbb).sqrt()
                        - 0.5 * corr[a * q + b] * (dc[a * q + a] / caa + dc[b * q + b] / cbb);
                    d[a * q + b] = sd[a] * sd[b] * dr;
                }
            }
            dsigma.push(d);
        }
        TermCovariance { q, sd, corr, sigma, dsigma }
    }

    /// Smallest eigenvalue of the correlation matrix (1 for a scalar term; 0 if it cannot be
    /// computed).
    pub fn min_corr_eigenvalue(&self) -> f64 {
        let q = self.q;
        if q < 2 {
            return 1.0;
        }
        let m = nalgebra::DMatrix::from_row_slice(q, q, &self.corr);
        if m.iter().any(|v| !v.is_finite()) {
            return 0.0;
        }
        match nalgebra::SymmetricEigen::try_new(m, f64::EPSILON, 1000) {
            Some(e) => e.eigenvalues.iter().cloned().fold(f64::INFINITY, f64::min),
            None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_by_two_matches_closed_form() {
        let theta = [0.2f64.ln(), 1.5f64.ln(), 0.75];
        let c = TermCovariance::new(&theta, 2);
        let rho = 0.75 / (1.0f64 + 0.75 * 0.75).sqrt();
        assert!((c.corr[1] - rho).abs() < 1e-15);
        assert!((c.sigma[0] - 0.04).abs() < 1e-15);
        assert!((c.sigma[3] - 2.25).abs() < 1e-14);
        assert!((c.sigma[1] - 0.2 * 1.5 * rho).abs() < 1e-15);
        assert!((c.min_corr_eigenvalue() - (1.0 - rho)).abs() < 1e-12);
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let theta = [0.1, -0.3, 0.4, 0.5, -1.2, 0.3];
        let c = TermCovariance::new(&theta, 3);
        assert_eq!(c.dsigma.len(), 6);
        for k in 0..6 {
            let h = 1e-6;
            let mut up = theta;
            up[k] += h;
            let mut down = theta;
            down[k] -= h;
            let su = TermCovariance::new(&up, 3).sigma;
            let sdn = TermCovariance::new(&down, 3).sigma;
            for e in 0..9 {
                let fd = (su[e] - sdn[e]) / (2.0 * h);
                assert!((fd - c.dsigma[k][e]).abs() < 1e-8, "parameter {k}, entry {e}");
            }
        }
        for a in 0..3 {
            assert!((c.corr[a * 3 + a] - 1.0).abs() < 1e-15);
        }
    }
}
