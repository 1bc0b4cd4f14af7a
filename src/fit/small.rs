//! Dense linear algebra on small row-major matrices held in slices, without allocation.
//!
//! Used for the per-level random-effect blocks (a few rows each) in the inner loops, where
//! allocating a matrix per level and iteration would dominate the cost. A symmetric matrix is
//! stored in full; only its lower triangle is read by [`cholesky`].

/// Overwrites the lower triangle of the `n x n` matrix `a` with its Cholesky factor `L`
/// (`a = L L'`). Returns `false`, leaving `a` partly overwritten, when `a` is not positive
/// definite.
pub fn cholesky(a: &mut [f64], n: usize) -> bool {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d.is_nan() || d <= 0.0 || d.is_infinite() {
            return false;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    true
}

/// Solves `L L' x = b` in place, with `L` from [`cholesky`].
pub fn cholesky_solve(l: &[f64], n: usize, b: &mut [f64]) {
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * n + k] * b[k];
        }
        b[i] = s / l[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= l[k * n + i] * b[k];
        }
        b[i] = s / l[i * n + i];
    }
}

/// `ln |L L'|` from the factor `L`.
pub fn cholesky_logdet(l: &[f64], n: usize) -> f64 {
    (0..n).map(|i| l[i * n + i].ln()).sum::<f64>() * 2.0
}

/// Writes `(L L')^-1` into `out` (`n x n`, full).
pub fn cholesky_inverse(l: &[f64], n: usize, out: &mut [f64]) {
    for j in 0..n {
        let col = &mut out[j * n..(j + 1) * n];
        col.iter_mut().for_each(|v| *v = 0.0);
        col[j] = 1.0;
        cholesky_solve(l, n, col);
    }
    // Rows were filled as columns of the symmetric inverse; symmetric, so nothing to transpose.
}

/// `x' (L L')^-1 x`, using `work` (length `n`) as scratch.
pub fn cholesky_quadratic(l: &[f64], n: usize, x: &[f64], work: &mut [f64]) -> f64 {
    // With L w = x, x' (L L')^-1 x = w'w.
    let mut s = 0.0;
    for i in 0..n {
        let mut v = x[i];
        for k in 0..i {
            v -= l[i * n + k] * work[k];
        }
        v /= l[i * n + i];
        work[i] = v;
        s += v * v;
    }
    s
}

/// Adds `w x x'` to the lower triangle of the `n x n` matrix `a`.
#[inline]
pub fn add_outer_lower(a: &mut [f64], n: usize, w: f64, x: &[f64]) {
    for i in 0..n {
        let wi = w * x[i];
        for k in 0..=i {
            a[i * n + k] += wi * x[k];
        }
    }
}

/// Copies the lower triangle of the `n x n` matrix `a` to its upper triangle.
pub fn symmetrize_from_lower(a: &mut [f64], n: usize) {
    for i in 0..n {
        for k in 0..i {
            a[k * n + i] = a[i * n + k];
        }
    }
}

/// `x' A y` for a full `n x n` matrix `a`.
pub fn bilinear(a: &[f64], n: usize, x: &[f64], y: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..n {
        let mut r = 0.0;
        for k in 0..n {
            r += a[i * n + k] * y[k];
        }
        s += x[i] * r;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_and_inverts() {
        // A = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]]
        let a = [4.0, 2.0, 0.4, 2.0, 5.0, 1.0, 0.4, 1.0, 3.0];
        let mut l = a;
        assert!(cholesky(&mut l, 3));
        // det A = 4 (15 - 1) - 2 (6 - 0.4) + 0.4 (2 - 2) = 44.8
        assert!((cholesky_logdet(&l, 3) - 44.8f64.ln()).abs() < 1e-14);
        let mut b = [1.0, 2.0, 3.0];
        cholesky_solve(&l, 3, &mut b);
        for i in 0..3 {
            let r: f64 = (0..3).map(|k| a[i * 3 + k] * b[k]).sum();
            assert!((r - [1.0, 2.0, 3.0][i]).abs() < 1e-14);
        }
        let mut inv = [0.0; 9];
        cholesky_inverse(&l, 3, &mut inv);
        for i in 0..3 {
            for j in 0..3 {
                let r: f64 = (0..3).map(|k| a[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!((r - if i == j { 1.0 } else { 0.0 }).abs() < 1e-14);
            }
        }
        let x = [0.3, -1.0, 2.0];
        let mut work = [0.0; 3];
        let q = cholesky_quadratic(&l, 3, &x, &mut work);
        assert!((q - bilinear(&inv, 3, &x, &x)).abs() < 1e-14);
    }

    #[test]
    fn cholesky_rejects_indefinite() {
        let mut a = [1.0, 2.0, 2.0, 1.0];
        assert!(!cholesky(&mut a, 2));
    }
}
