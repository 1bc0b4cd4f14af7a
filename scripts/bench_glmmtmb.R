# Times R's fits of the benchmark models on a national-size data set, as the yardstick for the
# fitting engine's own benchmarks.
#
#   cargo run --release --example bench_data -- bench-data/national.csv
#   Rscript scripts/bench_glmmtmb.R bench-data/national.csv > bench-data/glmmtmb.json
#
# (scripts/bench.sh runs both and prints the comparison table.)
# Prints one JSON object to standard output: under "seconds" the elapsed (wall-clock) seconds per
# model (glmmTMB with its default control, single-threaded; stats::glm and MASS::glm.nb for the
# GLMs), the same fits' CPU seconds under "cpu_seconds" (less sensitive to other work on the
# machine), their log-likelihoods under "loglik", the number of rows and the package versions.
# A summary of each fit (log-likelihood, estimates, SDs, dispersion) goes to standard error, to
# compare with the generating parameters that bench_data prints.

suppressPackageStartupMessages({
  library(glmmTMB)
  library(MASS)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) {
  stop("usage: Rscript scripts/bench_glmmtmb.R DATA.csv", call. = FALSE)
}
d <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = "")

fixed <- "count ~ imd_z * la_imd + offset(log(pop/10000))"
models <- list(
  "poisson_glm.glm" = list(fun = "glm", family = "poisson", random = ""),
  "poisson_glm.glmmTMB" = list(fun = "glmmTMB", family = "poisson", random = ""),
  "nb2_glm.glm.nb" = list(fun = "glm.nb", family = "nbinom2", random = ""),
  "nb2_glm.glmmTMB" = list(fun = "glmmTMB", family = "nbinom2", random = ""),
  "nb2_la_intercept.glmmTMB" = list(fun = "glmmTMB", family = "nbinom2", random = " + (1 | la)"),
  "nb2_la_slope.glmmTMB" = list(fun = "glmmTMB", family = "nbinom2", random = " + (1 + imd_z | la)"),
  "nb1_la_msoa.glmmTMB" = list(fun = "glmmTMB", family = "nbinom1", random = " + (1 | la/msoa)")
)

summarise <- function(name, formula, fit, seconds) {
  ll <- as.numeric(logLik(fit))
  beta <- if (inherits(fit, "glmmTMB")) fixef(fit)$cond else coef(fit)
  lines <- c(
    sprintf("%s: %.2f s, %s", name, seconds, formula),
    sprintf("  logLik %.4f", ll),
    sprintf("  %-14s %10.6f", names(beta), beta)
  )
  if (inherits(fit, "glmmTMB")) {
    if (fit$modelInfo$family$family != "poisson") {
      lines <- c(lines, sprintf("  dispersion     %10.6f", sigma(fit)))
    }
    for (vc in names(VarCorr(fit)$cond)) {
      v <- VarCorr(fit)$cond[[vc]]
      sds <- attr(v, "stddev")
      lines <- c(lines, sprintf("  SD %s %s %.4f", vc, names(sds), sds))
      corr <- attr(v, "correlation")
      if (length(sds) > 1) lines <- c(lines, sprintf("  correlation %s %.4f", vc, corr[1, 2]))
    }
    lines <- c(lines, sprintf("  convergence %d (%s), pdHess %s", fit$fit$convergence,
                              fit$fit$message, fit$sdr$pdHess))
  } else if (inherits(fit, "negbin")) {
    lines <- c(lines, sprintf("  theta          %10.6f", fit$theta))
  }
  writeLines(lines, stderr())
}

seconds <- list()
cpu <- list()
loglik <- list()
for (name in names(models)) {
  m <- models[[name]]
  formula <- as.formula(paste0(fixed, m$random))
  timing <- system.time({
    fit <- switch(m$fun,
      glm = glm(formula, data = d, family = poisson()),
      glm.nb = glm.nb(formula, data = d),
      glmmTMB = glmmTMB(formula, data = d,
                        family = switch(m$family, poisson = poisson(), nbinom2 = nbinom2(),
                                        nbinom1 = nbinom1()))
    )
  })
  seconds[[name]] <- timing[["elapsed"]]
  cpu[[name]] <- timing[["user.self"]] + timing[["sys.self"]]
  loglik[[name]] <- as.numeric(logLik(fit))
  summarise(name, paste0(fixed, m$random), fit, timing[["elapsed"]])
}

versions <- c(
  R = R.version.string,
  glmmTMB = as.character(packageVersion("glmmTMB")),
  TMB = as.character(packageVersion("TMB")),
  MASS = as.character(packageVersion("MASS"))
)
json_map <- function(x, fmt) {
  values <- vapply(x, function(v) if (is.na(v)) "null" else sprintf(fmt, v), "")
  paste0("{", paste(sprintf("\"%s\": %s", names(x), values), collapse = ", "), "}")
}
entries <- c(
  sprintf("  \"seconds\": %s", json_map(seconds, "%.3f")),
  sprintf("  \"cpu_seconds\": %s", json_map(cpu, "%.3f")),
  sprintf("  \"loglik\": %s", json_map(loglik, "%.6f")),
  sprintf("  \"rows\": %d", nrow(d)),
  sprintf("  \"versions\": {%s}",
          paste(sprintf("\"%s\": \"%s\"", names(versions), versions), collapse = ", "))
)
cat("{\n", paste(entries, collapse = ",\n"), "\n}\n", sep = "")
