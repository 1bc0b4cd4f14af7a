# Golden values for the model checks (tests/diagnostics.rs):
# - R's ks.test(x, "punif") on uniform and non-uniform samples, exact (n < 100) and asymptotic;
# - ape::Moran.I of values at random points with row-standardised k-nearest-neighbour weights
#   (k = 3 and 8; neighbours by distance, ties by row order).
# Run from this folder: Rscript make_golden.R
library(ape)
set.seed(20261124)

sizes <- c(5, 12, 40, 99, 100, 250, 1000)
samples <- list()
golden <- list()
case <- 0
for (n in sizes) {
  for (shape in c(1, 1.4)) {
    case <- case + 1
    x <- runif(n)^shape
    t <- ks.test(x, "punif")
    samples[[case]] <- data.frame(case = case, value = sprintf("%.17g", x))
    golden[[case]] <- data.frame(case = case, n = n, statistic = sprintf("%.17g", t$statistic),
                                 p_value = sprintf("%.17g", t$p.value), exact = n < 100)
  }
}
write.csv(do.call(rbind, samples), "ks_samples.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, golden), "ks_golden.csv", row.names = FALSE, quote = FALSE)

n <- 60
pts <- data.frame(easting = round(runif(n, 0, 10000), 1), northing = round(runif(n, 0, 6000), 1))
# A smooth trend plus noise: spatially autocorrelated values.
pts$value <- round(0.4 * sin(pts$easting / 2500) + pts$northing / 20000 + rnorm(n, sd = 0.5), 4)
write.csv(pts, "moran_points.csv", row.names = FALSE, quote = FALSE)
d <- as.matrix(dist(pts[, c("easting", "northing")]))
rows <- list()
for (k in c(3, 8)) {
  w <- matrix(0, n, n)
  for (i in 1:n) {
    others <- setdiff(1:n, i)
    nb <- others[order(d[i, others], others)][1:k]
    w[i, nb] <- 1 / k
  }
  m <- Moran.I(pts$value, w)
  rows[[length(rows) + 1]] <- data.frame(k = k, observed = sprintf("%.17g", m$observed),
    expected = sprintf("%.17g", m$expected), sd = sprintf("%.17g", m$sd), p_value = sprintf("%.17g", m$p.value))
}
write.csv(do.call(rbind, rows), "moran_golden.csv", row.names = FALSE, quote = FALSE)
