//! The `k` nearest neighbours of every point in the plane, found through a uniform grid: points
//! are binned into square cells holding about two points each, and each point's search visits
//! rings of cells around its own until the next ring cannot hold anything nearer than the
//! `k`-th neighbour found. For spread-out points (neighbourhood centroids) this takes about
//! `O(n k log k)` time instead of the `O(n^2)` of comparing every pair.

/// `k` nearest neighbours of every point (excluding itself), nearest first, ties broken by the
/// lower index; `k` is reduced to `n - 1` for fewer points. Coordinates must be finite.
pub fn nearest_neighbours(x: &[f64], y: &[f64], k: usize) -> Vec<Vec<usize>> {
    let n = x.len();
    let k = k.min(n.saturating_sub(1));
    if k == 0 {
        return vec![Vec::new(); n];
    }
    let grid = Grid::new(x, y);
    (0..n).map(|i| grid.nearest(x, y, i, k)).collect()
}

struct Grid {
    x0: f64,
    y0: f64,
    cell: f64,
    nx: usize,
    ny: usize,
    /// Point indices of cell `c` are `points[start[c]..start[c + 1]]`.
    start: Vec<usize>,
    points: Vec<usize>,
}

impl Grid {
    fn new(x: &[f64], y: &[f64]) -> Grid {
        let n = x.len();
        let (x0, x1) = x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let (y0, y1) = y.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let (w, h) = ((x1 - x0).max(0.0), (y1 - y0).max(0.0));
        // About two points per cell over the bounding box.
        let area = (w.max(f64::MIN_POSITIVE) * h.max(f64::MIN_POSITIVE)).max(f64::MIN_POSITIVE);
        let mut cell = (2.0 * area / n as f64).sqrt();
        if !(cell > 0.0 && cell.is_finite()) || w.max(h) / cell > 4096.0 {
            cell = w.max(h) / 4096.0;
        }
        if cell.is_nan() || cell <= 0.0 {
            cell = 1.0;
        }
        let nx = (w / cell) as usize + 1;
        let ny = (h / cell) as usize + 1;
        let cell_of = |i: usize| {
            let cx = (((x[i] - x0) / cell) as usize).min(nx - 1);
            let cy = (((y[i] - y0) / cell) as usize).min(ny - 1);
            cy * nx + cx
        };
        let mut start = vec![0usize; nx * ny + 1];
        for i in 0..n {
            start[cell_of(i) + 1] += 1;
        }
        for c in 0..nx * ny {
            start[c + 1] += start[c];
        }
        let mut fill = start.clone();
        let mut points = vec![0; n];
        for i in 0..n {
            let c = cell_of(i);
            points[fill[c]] = i;
            fill[c] += 1;
        }
        Grid { x0, y0, cell, nx, ny, start, points }
    }

    fn nearest(&self, x: &[f64], y: &[f64], i: usize, k: usize) -> Vec<usize> {
        let cx = (((x[i] - self.x0) / self.cell) as usize).min(self.nx - 1) as isize;
        let cy = (((y[i] - self.y0) / self.cell) as usize).min(self.ny - 1) as isize;
        // Best candidates so far as (squared distance, index), sorted.
        let mut best: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
        let max_ring = self.nx.max(self.ny) as isize;
        for ring in 0..=max_ring {
            if best.len() == k {
                // Every point in this ring or beyond is at least (ring - 1) cells away.
                let reach = (ring - 1) as f64 * self.cell;
                if reach * reach > best[k - 1].0 {
                    break;
                }
            }
            for gy in (cy - ring)..=(cy + ring) {
                if gy < 0 || gy >= self.ny as isize {
                    continue;
                }
                let edge = gy == cy - ring || gy == cy + ring;
                let step = if edge || ring == 0 { 1 } else { 2 * ring as usize };
                let mut gx = cx - ring;
                while gx <= cx + ring {
                    if gx >= 0 && gx < self.nx as isize {
                        let c = gy as usize * self.nx + gx as usize;
                        for &j in &self.points[self.start[c]..self.start[c + 1]] {
                            if j != i {
                                let d = (x[j] - x[i]).powi(2) + (y[j] - y[i]).powi(2);
                                insert(&mut best, k, (d, j));
                            }
                        }
                    }
                    gx += step as isize;
                }
            }
        }
        best.into_iter().map(|(_, j)| j).collect()
    }
}

/// Inserts `candidate` into the sorted list `best` of at most `k` entries.
fn insert(best: &mut Vec<(f64, usize)>, k: usize, candidate: (f64, usize)) {
    let less = |a: &(f64, usize), b: &(f64, usize)| a.0 < b.0 || (a.0 == b.0 && a.1 < b.1);
    if best.len() == k && !less(&candidate, &best[k - 1]) {
        return;
    }
    let at = best.iter().position(|b| less(&candidate, b)).unwrap_or(best.len());
    best.insert(at, candidate);
    best.truncate(k);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Rng;

    /// Every pair compared: the reference the grid must match.
    fn brute_force(x: &[f64], y: &[f64], k: usize) -> Vec<Vec<usize>> {
        (0..x.len())
            .map(|i| {
                let mut d: Vec<(f64, usize)> = (0..x.len())
                    .filter(|&j| j != i)
                    .map(|j| ((x[j] - x[i]).powi(2) + (y[j] - y[i]).powi(2), j))
                    .collect();
                d.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                d.into_iter().take(k).map(|(_, j)| j).collect()
            })
            .collect()
    }

    #[test]
    fn grid_matches_every_pair_on_random_layouts() {
        let mut rng = Rng::new(11);
        for case in 0..30 {
            let n = rng.int_between(2, 400);
            let k = rng.int_between(1, 10);
            // Uniform, clustered, on a line, and on a coarse lattice with repeated points.
            let (x, y): (Vec<f64>, Vec<f64>) = (0..n)
                .map(|i| match case % 4 {
                    0 => (rng.uniform() * 1000.0, rng.uniform() * 50.0),
                    1 => ((i % 3) as f64 * 1e4 + rng.normal(), (i % 3) as f64 * 1e4 + rng.normal()),
                    2 => (rng.uniform(), 5.0),
                    _ => (rng.int_between(0, 5) as f64, rng.int_between(0, 5) as f64),
                })
                .unzip();
            let fast = nearest_neighbours(&x, &y, k);
            let slow = brute_force(&x, &y, k);
            for i in 0..n {
                // Equal distances may be split differently only at the k-th place; compare distances.
                let dist = |js: &Vec<usize>| -> Vec<f64> {
                    js.iter().map(|&j| (x[j] - x[i]).powi(2) + (y[j] - y[i]).powi(2)).collect()
                };
                assert_eq!(dist(&fast[i]), dist(&slow[i]), "case {case}, point {i}");
            }
        }
    }

    #[test]
    fn fewer_points_than_k() {
        assert_eq!(
            nearest_neighbours(&[0.0, 1.0, 3.0], &[0.0; 3], 8),
            vec![vec![1, 2], vec![0, 2], vec![1, 0]]
        );
        assert_eq!(nearest_neighbours(&[0.0], &[0.0], 8), vec![Vec::<usize>::new()]);
    }
}
