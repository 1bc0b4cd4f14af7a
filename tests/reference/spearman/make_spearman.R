# Golden values for Spearman's rank correlation (tests/spearman.rs): R's
# cor(x, y, method = "spearman", use = "complete.obs") on vectors with many ties and some
# missing values, from 3 pairs to 150 (the number of English LAs in Hood et al. 2020, Table 6).
# Run from this folder: Rscript make_spearman.R
set.seed(20261206)

draw <- function(n, kind) {
  switch(kind,
    # Small integer counts: heavy ties in both.
    counts = list(x = sample(0:4, n, replace = TRUE), y = sample(0:3, n, replace = TRUE)),
    # A monotone relation with ties and noise, as LA deprivation against a rate per 10,000.
    rates = {
      x <- round(runif(n, 5, 45), 1)
      list(x = x, y = round(300 + 8 * x + rnorm(n, sd = 60), -1))
    },
    # Negative relation, x with long runs of equal values.
    runs = {
      x <- rep(seq_len(ceiling(n / 4)), each = 4)[seq_len(n)]
      list(x = x, y = round(-x + rnorm(n, sd = 2)))
    },
    # Continuous, no ties.
    plain = list(x = rnorm(n), y = rnorm(n))
  )
}

samples <- list()
golden <- list()
case <- 0
for (n in c(3, 5, 8, 20, 57, 150)) {
  for (kind in c("counts", "rates", "runs", "plain")) {
    v <- draw(n, kind)
    # Some missing values (NA in either vector drops the pair) in the larger cases.
    if (n >= 20) {
      v$x[sample(n, 2)] <- NA
      v$y[sample(n, 1)] <- NA
    }
    rho <- suppressWarnings(cor(v$x, v$y, method = "spearman", use = "complete.obs"))
    if (is.na(rho)) next # a constant vector: no correlation (the engine says so; tested apart)
    case <- case + 1
    samples[[case]] <- data.frame(case = case, x = ifelse(is.na(v$x), "NA", sprintf("%.17g", v$x)),
                                  y = ifelse(is.na(v$y), "NA", sprintf("%.17g", v$y)))
    golden[[case]] <- data.frame(case = case, kind = kind, n = sum(complete.cases(v$x, v$y)),
                                 rho = sprintf("%.17g", rho))
  }
}
write.csv(do.call(rbind, samples), "spearman_samples.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, golden), "spearman_golden.csv", row.names = FALSE, quote = FALSE)
