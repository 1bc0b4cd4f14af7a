# Golden outputs of R for "higher or lower than expected" (src/rates/expected.rs):
#
#   count ~ z + offset(log(children_0_17)),  MASS::glm.nb,
#
# fitted to the DfE figures of the LAs with a figure for each measure in 2015, 2020 and 2025, where
# z is the LA's IMD 2019 average score standardised over those LAs (mean and sample SD); two
# models also with the IDACI 2019 score and the rural share; the expected counts (fitted values)
# and their limits, qnbinom(c(0.025, 0.975, 0.001, 0.999), size = theta, mu = expected); and
# qnbinom on random (p, size, mu) to check the engine's quantiles.
#
# Run from the repository root:   Rscript tests/reference/rates/make_rates.R
# Writes tests/reference/rates/golden/*.json and tests/reference/rates/qnbinom.csv.

suppressPackageStartupMessages({
  library(MASS)
  library(jsonlite)
})

out_dir <- "tests/reference/rates/golden"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(out_dir, pattern = "\\.json$", full.names = TRUE))

rates <- read.csv("data/england_la_csc_rates.csv", stringsAsFactors = FALSE)
las <- read.csv("data/england_upper_tier_las.csv", stringsAsFactors = FALSE)
las <- las[, c("la_code", "imd2019_avg_score", "idaci2019_avg_score", "rural_share_pop")]

versions <- list(R = R.version.string, MASS = as.character(packageVersion("MASS")))
covariate_source <- c(z = "imd2019_avg_score", idaci_z = "idaci2019_avg_score", rural_z = "rural_share_pop")

fit_one <- function(measure, year, covariates) {
  d <- rates[rates$year == year & !is.na(rates[[measure]]) & !is.na(rates$children_0_17), ]
  d <- merge(d, las, by = "la_code", sort = TRUE)
  d$count <- d[[measure]]
  for (col in covariates) {
    x <- d[[covariate_source[[col]]]]
    d[[col]] <- (x - mean(x)) / sd(x)
  }
  formula <- paste("count ~", paste(covariates, collapse = " + "), "+ offset(log(children_0_17))")
  # A tight tolerance, so that the estimates are the maximum-likelihood ones to many digits.
  fit <- glm.nb(as.formula(formula), data = d, control = glm.control(epsilon = 1e-12, maxit = 100))
  s <- coef(summary(fit))
  mu <- unname(fitted(fit))
  th <- fit$theta
  list(
    id = paste(measure, year, paste(covariates, collapse = "+"), sep = "."),
    measure = measure,
    year = year,
    formula = formula,
    versions = versions,
    converged = fit$converged && is.null(fit$th.warn),
    n = nrow(d),
    theta = th,
    theta_se = fit$SE.theta,
    twologlik = fit$twologlik,
    coefficients = lapply(seq_len(nrow(s)), function(k) list(
      term = rownames(s)[k], estimate = unname(s[k, 1]), std_error = unname(s[k, 2]))),
    standardised = lapply(covariates, function(col) {
      x <- d[[covariate_source[[col]]]]
      list(column = col, mean = mean(x), sd = sd(x))
    }),
    las = lapply(seq_len(nrow(d)), function(i) list(
      la_code = d$la_code[i],
      observed = d$count[i],
      expected = mu[i],
      limits_95 = qnbinom(c(0.025, 0.975), size = th, mu = mu[i]),
      limits_998 = qnbinom(c(0.001, 0.999), size = th, mu = mu[i])))
  )
}

measures <- c("referrals", "cin_at31", "cpp_starts", "cpp_at31", "cla_at31")
fits <- list()
for (measure in measures) for (year in c(2015, 2020, 2025)) {
  fits[[length(fits) + 1]] <- fit_one(measure, year, "z")
}
fits[[length(fits) + 1]] <- fit_one("cla_at31", 2025, c("z", "idaci_z", "rural_z"))
fits[[length(fits) + 1]] <- fit_one("referrals", 2020, c("z", "rural_z"))
for (f in fits) {
  writeLines(toJSON(f, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out_dir, paste0(f$id, ".json")))
}
writeLines(toJSON(list(versions = versions, fits = vapply(fits, function(f) f$id, "")), auto_unbox = TRUE,
                  pretty = TRUE), file.path(out_dir, "index.json"))

# qnbinom on random parameters: sizes from 0.3 to 10,000 and means from 0.1 to 100,000 (both
# log-uniform), at the funnel's probabilities and at random ones.
set.seed(20250331)
k <- 3000
size <- exp(runif(k, log(0.3), log(1e4)))
mu <- exp(runif(k, log(0.1), log(1e5)))
p <- ifelse(runif(k) < 0.8, sample(c(0.001, 0.025, 0.975, 0.999), k, replace = TRUE), runif(k))
q <- qnbinom(p, size = size, mu = mu)
write.csv(data.frame(size = sprintf("%.17g", size), mu = sprintf("%.17g", mu), p = sprintf("%.17g", p), q = q),
          "tests/reference/rates/qnbinom.csv", row.names = FALSE, quote = FALSE)
cat("wrote", length(fits), "fits and", k, "quantiles\n")
