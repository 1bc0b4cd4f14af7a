# Reference ("golden") values for the Social Gradient Calculator's fitting engine.
#
# Generates synthetic neighbourhood-level (LSOA) count data sets resembling the aggregate data of
# Webb et al. (2020) and Hood et al. (2021), fits Poisson / NB1 / NB2 GLMs and GLMMs to them with
# glmmTMB (and MASS::glm.nb, stats::glm, lme4::glmer for comparison) and writes every result as JSON.
#
# Run from the repository root:   Rscript tests/reference/make_golden.R
# Writes tests/reference/data/*.csv and tests/reference/golden/**.json (see README.md there).
# Everything is deterministic: each data set has its own seed and the fits are deterministic.

suppressPackageStartupMessages({
  library(glmmTMB)
  library(lme4)
  library(MASS)
})

RNGkind("Mersenne-Twister", "Inversion", "Rejection")

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference"
})
data_dir <- file.path(script_dir, "data")
golden_dir <- file.path(script_dir, "golden")
fits_dir <- file.path(golden_dir, "fits")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(fits_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(fits_dir, pattern = "\\.json$", full.names = TRUE))

versions <- list(
  R = R.version.string,
  glmmTMB = as.character(packageVersion("glmmTMB")),
  TMB = as.character(packageVersion("TMB")),
  lme4 = as.character(packageVersion("lme4")),
  MASS = as.character(packageVersion("MASS")),
  Matrix = as.character(packageVersion("Matrix"))
)

# ---------------------------------------------------------------------------------------------
# A small JSON writer: full-precision numbers (shortest of 15/16/17 significant digits that reads
# back to the same double), NA/NaN/Inf as null, I() or length != 1 vectors as arrays, matrices as
# arrays of rows, named lists as objects.
# ---------------------------------------------------------------------------------------------
json_number <- function(x) {
  if (is.na(x) || !is.finite(x)) return("null")
  if (x == round(x) && abs(x) < 1e15) return(sprintf("%.0f", x))
  for (d in 15:17) {
    s <- sprintf(paste0("%.", d, "g"), x)
    if (as.numeric(s) == x) break
  }
  s
}

json_string <- function(x) {
  if (is.na(x)) return("null")
  x <- gsub("\\\\", "\\\\\\\\", x)
  x <- gsub("\"", "\\\\\"", x)
  x <- gsub("\n", "\\\\n", x)
  x <- gsub("\t", "\\\\t", x)
  x <- gsub("[[:cntrl:]]", " ", x)
  paste0("\"", x, "\"")
}

json_scalar <- function(x) {
  if (is.logical(x)) return(if (is.na(x)) "null" else if (x) "true" else "false")
  if (is.numeric(x)) return(json_number(x))
  json_string(as.character(x))
}

to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent)
  pad1 <- strrep("  ", indent + 1)
  if (is.null(x)) return("null")
  if (is.matrix(x)) {
    rows <- vapply(seq_len(nrow(x)), function(i) to_json(I(unname(x[i, ])), indent + 1), "")
    if (length(rows) == 0) return("[]")
    return(paste0("[\n", paste0(pad1, rows, collapse = ",\n"), "\n", pad, "]"))
  }
  if (is.list(x)) {
    if (!is.null(names(x))) {
      if (length(x) == 0) return("{}")
      items <- vapply(seq_along(x), function(i) {
        paste0(pad1, json_string(names(x)[i]), ": ", to_json(x[[i]], indent + 1))
      }, "")
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", pad, "}"))
    }
    if (length(x) == 0) return("[]")
    items <- vapply(x, function(e) to_json(e, indent + 1), "")
    return(paste0("[\n", paste0(pad1, items, collapse = ",\n"), "\n", pad, "]"))
  }
  x_plain <- unclass(x)
  attributes(x_plain) <- NULL
  if (length(x_plain) == 1 && !inherits(x, "AsIs")) return(json_scalar(x_plain))
  paste0("[", paste(vapply(x_plain, json_scalar, ""), collapse = ", "), "]")
}

write_json <- function(x, path) {
  writeLines(to_json(x), path, useBytes = TRUE)
}

# ---------------------------------------------------------------------------------------------
# Data generation.
#
# One row per LSOA. LA-level: latent deprivation d_j ~ N(0,1); Gini g_j = 0.386 + 0.014 (0.6 d_j +
# 0.8 e_j) (mean 0.386 and SD 0.014 of the LA Gini coefficient: Webb et al. 2020, Table 1);
# probability that an LSOA is rural plogis(-1.2 - 0.8 d_j + e'_j). LSOA-level:
# imd = exp(log(imd_centre) + 0.3 d_j + 0.55 e_i) clamped to [0.5, 95], a skewed score with mean
# about 21 for imd_centre = 18 (LSOA IMD score mean 21.9: Webb et al. 2020, Table 1);
# la_imd = LA mean of imd; imd_z = (imd - la mean) / la SD; pop = round(100 + 700 Beta(2, 3.5)).
# MSOAs are consecutive blocks of about 5 LSOAs within an LA.
#
# Counts: log mu_i = x_i' beta + u0_j + u1_j imd_z_i + v_m + shift_j + log(pop_i / 10000), with
# (u0_j, u1_j) ~ N(0, [[s0^2, r s0 s1], [r s0 s1, s1^2]]), v_m ~ N(0, s_msoa^2), shift_j a fixed
# shift for the zero-heavy LAs, and
#   poisson: y ~ Poisson(mu);  nbinom2: y ~ NB(size = theta, mu) (Var = mu + mu^2/theta);
#   nbinom1: y ~ NB(size = mu/phi, mu) (Var = mu (1 + phi)).
# beta is on the raw scale of the columns, as R names the coefficients of
#   count ~ imd_z * la_imd + imd_z * gini + rural
# and is derived from effects at the centre (la_imd = 20, gini = 0.386).
# ---------------------------------------------------------------------------------------------
raw_beta <- function(rate, grad, b_laimd, b_gini, b_urban, b_imd_laimd, b_imd_gini) {
  c_laimd <- 20
  c_gini <- 0.386
  list(
    "(Intercept)" = log(rate) - b_laimd * c_laimd - b_gini * c_gini,
    "imd_z" = grad - b_imd_laimd * c_laimd - b_imd_gini * c_gini,
    "la_imd" = b_laimd,
    "gini" = b_gini,
    "ruralurban" = b_urban,
    "imd_z:la_imd" = b_imd_laimd,
    "imd_z:gini" = b_imd_gini
  )
}

dataset_configs <- list(
  list(
    name = "small_poisson", seed = 101, n_lsoa = 300, n_la = 10, codes = "ons", shuffle = FALSE,
    family = "poisson", dispersion = NULL, imd_centre = 18,
    beta = raw_beta(300, 0.45, 0.025, 3, -0.15, -0.012, 8),
    sd_la = c(0.3, 0.15), cor_la = -0.5, sd_msoa = 0.2, zero_las = 0, zero_shift = 0
  ),
  list(
    name = "medium_nb2", seed = 202, n_lsoa = 2000, n_la = 40, codes = "la", shuffle = TRUE,
    family = "nbinom2", dispersion = 6, imd_centre = 18,
    beta = raw_beta(150, 0.5, 0.02, 3, -0.1, -0.01, 8),
    sd_la = c(0.3, 0.12), cor_la = -0.4, sd_msoa = 0.25, zero_las = 0, zero_shift = 0
  ),
  list(
    name = "medium_nb1", seed = 303, n_lsoa = 1200, n_la = 24, codes = "ons", shuffle = TRUE,
    family = "nbinom1", dispersion = 1.5, imd_centre = 18,
    beta = raw_beta(120, 0.55, 0.02, 2, -0.12, -0.012, 6),
    sd_la = c(0.25, 0.15), cor_la = -0.3, sd_msoa = 0.3, zero_las = 0, zero_shift = 0
  ),
  list(
    name = "zero_heavy", seed = 404, n_lsoa = 800, n_la = 20, codes = "la", shuffle = FALSE,
    family = "nbinom2", dispersion = 3, imd_centre = 15,
    beta = raw_beta(60, 0.5, 0.02, 2, -0.1, -0.01, 6),
    sd_la = c(0.25, 0.1), cor_la = -0.3, sd_msoa = 0.2, zero_las = 5, zero_shift = -3
  ),
  list(
    name = "singular", seed = 505, n_lsoa = 500, n_la = 15, codes = "ons", shuffle = FALSE,
    family = "nbinom2", dispersion = 8, imd_centre = 18,
    beta = raw_beta(150, 0.5, 0.02, 0, 0, -0.01, 0),
    sd_la = c(0.001, 0), cor_la = 0, sd_msoa = 0, zero_las = 0, zero_shift = 0
  )
)

la_code_labels <- function(n, style) {
  if (style == "la") return(sprintf("LA%02d", seq_len(n)))
  prefix <- sample(c("E06", "E08", "E09", "E10"), n, replace = TRUE)
  sprintf("%s%06d", prefix, seq_len(n))
}

generate <- function(cfg) {
  set.seed(cfg$seed)
  n <- cfg$n_lsoa
  n_la <- cfg$n_la
  w <- runif(n_la, 0.6, 1.4)
  exact <- w / sum(w) * n
  sizes <- floor(exact)
  short <- n - sum(sizes)
  if (short > 0) {
    top <- order(-(exact - sizes))[seq_len(short)]
    sizes[top] <- sizes[top] + 1
  }
  la_codes <- la_code_labels(n_la, cfg$codes)
  la_dep <- rnorm(n_la)
  gini <- round(0.386 + 0.014 * (0.6 * la_dep + 0.8 * rnorm(n_la)), 4)
  p_rural <- plogis(-1.2 - 0.8 * la_dep + rnorm(n_la))
  z1 <- rnorm(n_la)
  z2 <- rnorm(n_la)
  u0 <- cfg$sd_la[1] * z1
  u1 <- cfg$sd_la[2] * (cfg$cor_la * z1 + sqrt(1 - cfg$cor_la^2) * z2)
  shift <- rep(0, n_la)
  if (cfg$zero_las > 0) shift[sample.int(n_la, cfg$zero_las)] <- cfg$zero_shift

  la <- rep(seq_len(n_la), sizes)
  msoa_local <- unlist(lapply(sizes, function(s) sort(rep_len(seq_len(max(1, round(s / 5))), s))))
  msoa_key <- paste(la, msoa_local)
  msoa <- match(msoa_key, unique(msoa_key))
  n_msoa <- max(msoa)
  v <- rnorm(n_msoa, 0, cfg$sd_msoa)

  imd <- round(pmin(95, pmax(0.5, exp(log(cfg$imd_centre) + 0.3 * la_dep[la] + 0.55 * rnorm(n)))), 3)
  la_imd <- round(ave(imd, la), 3)
  imd_z <- round((imd - ave(imd, la)) / ave(imd, la, FUN = sd), 6)
  rural <- ifelse(runif(n) < p_rural[la], "rural", "urban")
  pop <- as.integer(round(100 + 700 * rbeta(n, 2, 3.5)))

  b <- cfg$beta
  eta <- b[["(Intercept)"]] + b[["imd_z"]] * imd_z + b[["la_imd"]] * la_imd + b[["gini"]] * gini[la] +
    b[["ruralurban"]] * (rural == "urban") + b[["imd_z:la_imd"]] * imd_z * la_imd +
    b[["imd_z:gini"]] * imd_z * gini[la] +
    u0[la] + u1[la] * imd_z + v[msoa] + shift[la] + log(pop / 10000)
  mu <- exp(eta)
  count <- switch(cfg$family,
    poisson = rpois(n, mu),
    nbinom2 = rnbinom(n, size = cfg$dispersion, mu = mu),
    nbinom1 = rnbinom(n, size = mu / cfg$dispersion, mu = mu)
  )

  order_rows <- if (cfg$shuffle) sample.int(n) else seq_len(n)
  msoa_codes <- if (cfg$codes == "ons") sprintf("E02%06d", seq_len(n_msoa)) else sprintf("M%04d", seq_len(n_msoa))
  d <- data.frame(
    lsoa = if (cfg$codes == "ons") sprintf("E01%06d", seq_len(n)) else sprintf("L%05d", seq_len(n)),
    la = la_codes[la][order_rows],
    msoa = msoa_codes[msoa][order_rows],
    count = as.integer(count)[order_rows],
    pop = pop[order_rows],
    imd = imd[order_rows],
    imd_z = imd_z[order_rows],
    la_imd = la_imd[order_rows],
    gini = gini[la][order_rows],
    rural = rural[order_rows],
    stringsAsFactors = FALSE
  )
  truth <- list(
    family = cfg$family,
    dispersion = cfg$dispersion,
    formula = "count ~ imd_z * la_imd + imd_z * gini + rural + offset(log(pop/10000)) + (1 + imd_z | la) + (1 | la:msoa)",
    beta = cfg$beta,
    sd_la = list("(Intercept)" = cfg$sd_la[1], imd_z = cfg$sd_la[2]),
    cor_la = cfg$cor_la,
    sd_msoa = cfg$sd_msoa,
    zero_heavy_las = if (cfg$zero_las > 0) I(sort(la_codes[shift != 0])) else I(character(0)),
    zero_heavy_shift = cfg$zero_shift,
    la_effects = list(
      la = I(la_codes),
      intercept = I(u0),
      imd_z = I(u1)
    )
  )
  list(data = d, truth = truth, n_msoa = n_msoa)
}

csv_cell <- function(x, fmt) ifelse(is.na(x), "", sprintf(fmt, x))

write_dataset_csv <- function(d, path) {
  out <- data.frame(
    lsoa = ifelse(is.na(d$lsoa), "", d$lsoa),
    la = ifelse(is.na(d$la), "", d$la),
    msoa = ifelse(is.na(d$msoa), "", d$msoa),
    count = csv_cell(d$count, "%d"),
    pop = csv_cell(d$pop, "%d"),
    imd = csv_cell(d$imd, "%.3f"),
    imd_z = csv_cell(d$imd_z, "%.6f"),
    la_imd = csv_cell(d$la_imd, "%.3f"),
    gini = csv_cell(d$gini, "%.4f"),
    rural = ifelse(is.na(d$rural), "", d$rural),
    stringsAsFactors = FALSE
  )
  write.csv(out, path, row.names = FALSE, quote = FALSE)
}

read_dataset <- function(file) {
  read.csv(file.path(data_dir, file), stringsAsFactors = FALSE, na.strings = "")
}

datasets_meta <- list()
for (cfg in dataset_configs) {
  g <- generate(cfg)
  file <- paste0(cfg$name, ".csv")
  write_dataset_csv(g$data, file.path(data_dir, file))
  datasets_meta[[cfg$name]] <- list(
    file = paste0("data/", file), seed = cfg$seed, rows = nrow(g$data), las = cfg$n_la,
    msoas = g$n_msoa, zero_count_rows = sum(g$data$count == 0), truth = g$truth
  )
  if (cfg$name == "small_poisson") {
    # The same data with blank cells, for R's na.omit semantics: rows with a blank in a column a
    # formula uses are dropped (the `la` blank only matters to formulas with an LA term).
    m <- g$data
    m$count[c(7, 150)] <- NA
    m$imd_z[c(23, 288)] <- NA
    m$pop[200] <- NA
    m$la[99] <- NA
    m$la_imd[250] <- NA
    write_dataset_csv(m, file.path(data_dir, "small_missing.csv"))
    datasets_meta[["small_missing"]] <- list(
      file = "data/small_missing.csv", seed = cfg$seed, rows = nrow(m), las = cfg$n_la,
      msoas = g$n_msoa, zero_count_rows = sum(m$count == 0, na.rm = TRUE),
      blank_cells = list(
        list(row = 7, column = "count"), list(row = 150, column = "count"),
        list(row = 23, column = "imd_z"), list(row = 288, column = "imd_z"),
        list(row = 200, column = "pop"), list(row = 99, column = "la"),
        list(row = 250, column = "la_imd")
      ),
      truth = g$truth
    )
  }
}

# ---------------------------------------------------------------------------------------------
# Fitting and recording.
# ---------------------------------------------------------------------------------------------
formulas <- list(
  glm_main = "count ~ imd_z + la_imd + offset(log(pop/10000))",
  glm_rural = "count ~ imd_z + la_imd + rural + offset(log(pop/10000))",
  glm_int = "count ~ imd_z * la_imd + offset(log(pop/10000))",
  ri = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la)",
  rs = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)",
  nested = "count ~ imd_z + offset(log(pop/10000)) + (1 | la/msoa)",
  webb = "count ~ imd_z * la_imd + imd_z * gini + offset(log(pop/10000)) + (1 + imd_z | la) + (1 | la:msoa)",
  scale_glm = "count ~ imd_z * scale(la_imd) + offset(log(pop/10000))",
  scale_ri = "count ~ imd_z * scale(la_imd) + offset(log(pop/10000)) + (1 | la)",
  msoa_ri = "count ~ imd_z + offset(log(pop/10000)) + (1 | msoa)"
)

with_warnings <- function(expr) {
  warns <- character(0)
  value <- withCallingHandlers(expr, warning = function(w) {
    warns <<- c(warns, conditionMessage(w))
    invokeRestart("muffleWarning")
  }, message = function(m) {
    warns <<- c(warns, trimws(conditionMessage(m)))
    invokeRestart("muffleMessage")
  })
  list(value = value, warnings = unique(warns))
}

fixed_table <- function(coefs) {
  lapply(seq_len(nrow(coefs)), function(i) {
    list(
      name = rownames(coefs)[i],
      estimate = coefs[i, 1],
      std_error = coefs[i, 2],
      z = coefs[i, 3],
      p = coefs[i, 4]
    )
  })
}

info_criteria <- function(fit) {
  ll <- logLik(fit)
  list(loglik = as.numeric(ll), df = attr(ll, "df"), aic = AIC(fit), bic = BIC(fit), nobs = nobs(fit))
}

random_from_varcorr <- function(vc) {
  lapply(names(vc), function(g) {
    v <- vc[[g]]
    sds <- attr(v, "stddev")
    corr <- attr(v, "correlation")
    if (is.null(corr)) corr <- diag(length(sds))
    list(group = g, terms = I(names(sds)), sd = I(unname(sds)), corr = unname(as.matrix(corr)))
  })
}

modes_table <- function(re) {
  out <- list()
  for (g in names(re)) {
    tab <- re[[g]]
    if (nrow(tab) > 100) next
    out[[length(out) + 1]] <- list(
      group = g, terms = I(colnames(tab)), levels = I(rownames(tab)),
      values = unname(as.matrix(tab))
    )
  }
  out
}

# Centre and scale that R used for each scale() term, read from the model frame.
scale_terms <- function(mf) {
  out <- list()
  for (nm in names(mf)) {
    a <- attributes(mf[[nm]])
    if (!is.null(a[["scaled:center"]])) {
      out[[length(out) + 1]] <- list(term = nm, center = unname(a[["scaled:center"]]),
                                     scale = unname(a[["scaled:scale"]]))
    }
  }
  out
}

# How far the reported optimum is from the exact one: the largest component of the Newton step
# -H^{-1} g, in units of the parameter's standard error (cov = H^{-1}). The raw gradient is not a
# useful yardstick here because the parameters are on very different scales (la_imd is a raw
# score), so a fit is kept when every parameter is within `newton_tolerance` SEs of the optimum.
newton_tolerance <- 1e-3
newton_step_in_se <- function(grad, cov) {
  step <- as.vector(cov %*% grad)
  max(abs(step) / sqrt(diag(cov)))
}

fits <- list()
excluded <- list()
fitted_models <- list()

record <- function(id, rec, ok, reason = NULL) {
  if (ok) {
    write_json(rec, file.path(fits_dir, paste0(id, ".json")))
    fits[[length(fits) + 1]] <<- id
  } else {
    excluded[[length(excluded) + 1]] <<- list(id = id, reason = reason)
    cat("EXCLUDED", id, ":", reason, "\n")
  }
}

base_record <- function(id, dataset, model, family, method, nagq) {
  list(
    id = id, dataset = dataset, data = datasets_meta[[dataset]]$file, model = model,
    formula = formulas[[model]], family = family, method = method, nagq = nagq, versions = versions
  )
}

fit_glmmtmb <- function(dataset, model, family, expect_singular = FALSE) {
  id <- paste(dataset, model, family, "glmmTMB", sep = ".")
  d <- read_dataset(paste0(dataset, ".csv"))
  fam <- switch(family, poisson = poisson(), nbinom2 = nbinom2(), nbinom1 = nbinom1())
  res <- with_warnings(glmmTMB(as.formula(formulas[[model]]), data = d, family = fam))
  fit <- res$value
  fitted_models[[id]] <<- fit
  post <- with_warnings(tmb_record(fit, id, dataset, model, family, expect_singular))
  rec <- post$value
  rec$convergence$warnings <- I(unique(c(res$warnings, post$warnings)))
  step <- rec$convergence$newton_step_se
  problems <- c(
    if (fit$fit$convergence != 0) paste("optimiser code", fit$fit$convergence, fit$fit$message),
    if (!fit$sdr$pdHess && !expect_singular) "Hessian not positive definite",
    if (!is.na(step) && step > newton_tolerance) sprintf("Newton step %.2g standard errors", step)
  )
  record(id, rec, length(problems) == 0, paste(problems, collapse = "; "))
  invisible(fit)
}

tmb_record <- function(fit, id, dataset, model, family, expect_singular) {
  has_re <- length(VarCorr(fit)$cond) > 0
  rec <- base_record(id, dataset, model, family, "glmmTMB", if (has_re) 1L else NULL)
  rec <- c(rec, info_criteria(fit))
  rec$fixed <- fixed_table(summary(fit)$coefficients$cond)
  if (family == "poisson") {
    rec["dispersion_name"] <- list(NULL)
    rec["dispersion"] <- list(NULL)
    rec["log_dispersion"] <- list(NULL)
  } else {
    rec$dispersion_name <- if (family == "nbinom2") "theta" else "phi"
    rec$dispersion <- sigma(fit)
    se_all <- sqrt(pmax(diag(fit$sdr$cov.fixed), 0))
    betad <- which(names(fit$fit$par) == "betad")
    rec$log_dispersion <- list(estimate = unname(fit$fit$par[betad]),
                               std_error = if (fit$sdr$pdHess) unname(se_all[betad]) else NA)
  }
  rec$random <- if (has_re) random_from_varcorr(VarCorr(fit)$cond) else list()
  rec$modes <- if (has_re) modes_table(ranef(fit)$cond) else list()
  rec$scale_terms <- scale_terms(model.frame(fit))
  grad <- as.vector(fit$sdr$gradient.fixed)
  step <- if (fit$sdr$pdHess) newton_step_in_se(grad, fit$sdr$cov.fixed) else NA
  rec$par <- list(names = I(names(fit$fit$par)), values = I(unname(fit$fit$par)))
  rec$objective <- fit$fit$objective
  # glmmTMB's standard errors invert a Hessian that optimHess() differentiates from the exact
  # gradient with its default step of 1e-3; with a covariate on a large scale (la_imd is a raw
  # score) that step costs up to ~2e-3 relative accuracy. Record the standard errors from the same
  # Hessian with a 1e-5 step as well: the engine is compared with these.
  if (fit$sdr$pdHess) {
    par <- fit$fit$par
    h <- optimHess(par, fit$obj$fn, fit$obj$gr, control = list(ndeps = rep(1e-5, length(par))))
    rec$fixed_std_error_precise <- I(unname(sqrt(diag(solve(h)))[names(par) == "beta"]))
  }
  rec$convergence <- list(
    code = fit$fit$convergence, message = fit$fit$message, pd_hess = fit$sdr$pdHess,
    max_abs_gradient = max(abs(grad)), newton_step_se = step, singular = expect_singular,
    warnings = I(character(0))
  )
  rec
}

fit_glm_poisson <- function(dataset, model) {
  id <- paste(dataset, model, "poisson", "glm", sep = ".")
  d <- read_dataset(paste0(dataset, ".csv"))
  res <- with_warnings(glm(as.formula(formulas[[model]]), data = d, family = poisson(),
                           control = glm.control(epsilon = 1e-12, maxit = 100)))
  fit <- res$value
  rec <- base_record(id, dataset, model, "poisson", "glm", NULL)
  rec <- c(rec, info_criteria(fit))
  rec$fixed <- fixed_table(coef(summary(fit)))
  rec$deviance <- deviance(fit)
  rec$null_deviance <- fit$null.deviance
  rec$df_residual <- fit$df.residual
  rec$random <- list()
  rec$modes <- list()
  rec$scale_terms <- scale_terms(model.frame(fit))
  rec$convergence <- list(code = if (fit$converged) 0L else 1L, message = sprintf("IRLS iterations: %d", fit$iter),
                          pd_hess = TRUE, singular = FALSE, warnings = I(res$warnings))
  record(id, rec, fit$converged, "IRLS did not converge")
}

fit_glm_nb <- function(dataset, model) {
  id <- paste(dataset, model, "nbinom2", "glm.nb", sep = ".")
  d <- read_dataset(paste0(dataset, ".csv"))
  res <- with_warnings(glm.nb(as.formula(formulas[[model]]), data = d,
                              control = glm.control(epsilon = 1e-12, maxit = 100)))
  fit <- res$value
  rec <- base_record(id, dataset, model, "nbinom2", "glm.nb", NULL)
  rec <- c(rec, info_criteria(fit))
  rec$fixed <- fixed_table(coef(summary(fit)))
  rec$dispersion_name <- "theta"
  rec$dispersion <- fit$theta
  rec$dispersion_se <- fit$SE.theta
  rec$twologlik <- fit$twologlik
  rec$deviance <- deviance(fit)
  rec$random <- list()
  rec$modes <- list()
  rec$scale_terms <- scale_terms(model.frame(fit))
  ok <- fit$converged && is.null(fit$th.warn)
  rec$convergence <- list(code = if (ok) 0L else 1L,
                          message = if (is.null(fit$th.warn)) "theta converged" else fit$th.warn,
                          pd_hess = TRUE, singular = FALSE, warnings = I(res$warnings))
  record(id, rec, ok, "glm.nb did not converge")
}

# Marginal log-likelihood of a Poisson GLMM with one scalar random intercept `(1 | g)`, computed
# independently of lme4 at the fitted (beta, sigma):
#   log L = sum_j log \int prod_{i in j} Pois(y_i; exp(eta_i + b)) N(b; 0, sigma^2) db.
# Each integral is centred on the mode b_j of its integrand h_j(b) = log(...) and scaled by
# s_j = (-h_j''(b_j))^(-1/2). With `nagq` Gauss-Hermite nodes (lme4::GHrule: nodes z_k, weights w_k
# for the standard normal density phi) it is
#   log sum_k w_k exp(h_j(b_j + s_j z_k)) s_j / phi(z_k)       (nagq = 1 is the Laplace approximation);
# with nagq = NULL it is the exact integral by stats::integrate.
poisson_ri_loglik <- function(y, eta0, group, sigma, nagq) {
  rule <- if (is.null(nagq)) NULL else GHrule(nagq)
  total <- 0
  for (g in split(seq_along(y), group)) {
    yy <- y[g]
    e0 <- eta0[g]
    h <- function(b) vapply(b, function(bb) {
      sum(dpois(yy, exp(e0 + bb), log = TRUE)) + dnorm(bb, 0, sigma, log = TRUE)
    }, 0)
    b <- 0
    for (it in 1:100) {
      mu <- exp(e0 + b)
      step <- (sum(yy - mu) - b / sigma^2) / (sum(mu) + 1 / sigma^2)
      b <- b + step
      if (abs(step) < 1e-13) break
    }
    s <- 1 / sqrt(sum(exp(e0 + b)) + 1 / sigma^2)
    hmax <- h(b)
    if (is.null(rule)) {
      val <- integrate(function(z) exp(h(b + s * z) - hmax), -Inf, Inf, rel.tol = 1e-12)$value
      total <- total + hmax + log(val * s)
    } else {
      z <- rule[, "z"]
      w <- rule[, "w"]
      total <- total + hmax + log(sum(w * exp(h(b + s * z) - hmax) * s / dnorm(z)))
    }
  }
  total
}

# Central-difference gradient and Hessian of f at x, with steps h.
numeric_derivatives <- function(f, x, h) {
  k <- length(x)
  f0 <- f(x)
  at <- function(i, si, j = NULL, sj = 0) {
    z <- x
    z[i] <- z[i] + si * h[i]
    if (!is.null(j)) z[j] <- z[j] + sj * h[j]
    f(z)
  }
  grad <- numeric(k)
  hess <- matrix(0, k, k)
  for (i in seq_len(k)) {
    fp <- at(i, 1)
    fm <- at(i, -1)
    grad[i] <- (fp - fm) / (2 * h[i])
    hess[i, i] <- (fp - 2 * f0 + fm) / h[i]^2
    for (j in seq_len(i - 1)) {
      hess[i, j] <- (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) /
        (4 * h[i] * h[j])
      hess[j, i] <- hess[i, j]
    }
  }
  list(gradient = grad, hessian = hess)
}

fit_glmer <- function(dataset, nagq, model = "ri") {
  id <- paste(dataset, model, "poisson", paste0("glmer_nAGQ", nagq), sep = ".")
  d <- read_dataset(paste0(dataset, ".csv"))
  # lme4's default PIRLS tolerance (tolPwrss = 1e-7) leaves the Laplace log-likelihood of small
  # clusters off by ~5e-3; a tight tolerance makes nAGQ = 1 agree with glmmTMB.
  res <- with_warnings({
    fit <- glmer(as.formula(formulas[[model]]), data = d, family = poisson(), nAGQ = nagq,
                 control = glmerControl(tolPwrss = 1e-12))
    list(fit = fit, coefs = coef(summary(fit)))
  })
  fit <- res$value$fit
  rec <- base_record(id, dataset, model, "poisson", paste0("glmer_nAGQ", nagq), nagq)
  rec$control <- "glmerControl(tolPwrss = 1e-12)"
  rec <- c(rec, info_criteria(fit))
  rec$fixed <- fixed_table(res$value$coefs)
  rec$random <- random_from_varcorr(VarCorr(fit))
  rec$modes <- modes_table(ranef(fit))
  rec$scale_terms <- list()
  # lme4 reports nAGQ > 1 log-likelihoods (and so AIC and BIC) without the saturated model's
  # log-likelihood sum_i log Pois(y_i; y_i) (lme4 issues #161, #567); `loglik_full` is the
  # marginal log-likelihood with every constant, comparable with glmmTMB and nAGQ = 1.
  y <- fit@resp$y
  x <- getME(fit, "X")
  offset <- fit@resp$offset
  group <- getME(fit, "flist")[[1]]
  loglik_at <- function(par, quadrature) {
    p <- ncol(x)
    poisson_ri_loglik(y, as.vector(x %*% par[1:p]) + offset, group, exp(par[p + 1]), quadrature)
  }
  par <- c(unname(fixef(fit)), log(attr(VarCorr(fit)[[1]], "stddev")[[1]]))
  rec$saturated_loglik <- sum(dpois(y, y, log = TRUE))
  rec$loglik_full <- loglik_at(par, nagq)
  rec$loglik_integrated <- loglik_at(par, NULL)
  reported <- rec$loglik + if (nagq > 1) rec$saturated_loglik else 0
  if (abs(reported - rec$loglik_full) > 1e-6 * abs(rec$loglik_full)) {
    stop(sprintf("%s: lme4 log-likelihood %.10f does not match the independent AGQ %.10f",
                 id, reported, rec$loglik_full))
  }
  # Convergence is judged on the independent log-likelihood rather than on lme4's own
  # finite-difference derivatives, which are noisy for this badly scaled design.
  deriv <- numeric_derivatives(function(p) loglik_at(p, nagq), par, 1e-4 * pmax(abs(par), 0.1))
  cov <- solve(-deriv$hessian)
  rec$hessian_std_error <- I(sqrt(diag(cov))[seq_len(ncol(x))])
  step <- newton_step_in_se(deriv$gradient, cov)
  msgs <- fit@optinfo$conv$lme4$messages
  rec$convergence <- list(
    code = fit@optinfo$conv$opt, message = if (is.null(msgs)) "" else paste(msgs, collapse = "; "),
    pd_hess = all(eigen(-deriv$hessian, only.values = TRUE)$values > 0),
    max_abs_gradient = max(abs(deriv$gradient)), newton_step_se = step,
    singular = isSingular(fit), warnings = I(res$warnings)
  )
  record(id, rec, fit@optinfo$conv$opt == 0 && step <= newton_tolerance,
         sprintf("glmer: optimiser code %d, Newton step %.2g standard errors", fit@optinfo$conv$opt, step))
  invisible(fit)
}

t0 <- proc.time()
tmb_plan <- list(
  small_poisson = list(
    glm_main = c("poisson", "nbinom2", "nbinom1"), glm_rural = c("poisson", "nbinom2", "nbinom1"),
    glm_int = c("poisson", "nbinom2", "nbinom1"), ri = c("poisson", "nbinom2", "nbinom1"),
    rs = c("poisson", "nbinom2", "nbinom1"), nested = c("poisson", "nbinom2", "nbinom1"),
    scale_glm = "poisson", scale_ri = "poisson"
  ),
  medium_nb2 = list(
    glm_main = c("poisson", "nbinom2", "nbinom1"), glm_rural = c("poisson", "nbinom2", "nbinom1"),
    glm_int = c("poisson", "nbinom2", "nbinom1"), ri = c("poisson", "nbinom2", "nbinom1"),
    rs = c("poisson", "nbinom2", "nbinom1"), nested = c("poisson", "nbinom2", "nbinom1"),
    webb = c("nbinom1", "nbinom2"), scale_glm = "nbinom2", scale_ri = "nbinom2"
  ),
  medium_nb1 = list(
    glm_int = c("poisson", "nbinom2", "nbinom1"), ri = c("poisson", "nbinom2", "nbinom1"),
    rs = c("nbinom2", "nbinom1"), nested = c("nbinom2", "nbinom1"), webb = c("nbinom1", "nbinom2")
  ),
  zero_heavy = list(
    glm_int = c("poisson", "nbinom2", "nbinom1"), ri = c("poisson", "nbinom2", "nbinom1"),
    rs = c("poisson", "nbinom2"), nested = c("nbinom2")
  ),
  small_missing = list(glm_main = "poisson", ri = "poisson", scale_glm = "poisson")
)
for (ds in names(tmb_plan)) {
  for (model in names(tmb_plan[[ds]])) {
    for (family in tmb_plan[[ds]][[model]]) fit_glmmtmb(ds, model, family)
  }
}
# Deliberately singular fits: the LA variance is (almost) zero in the generating model.
fit_glmmtmb("singular", "glm_int", "nbinom2")
fit_glmmtmb("singular", "ri", "nbinom2", expect_singular = TRUE)
fit_glmmtmb("singular", "rs", "nbinom2", expect_singular = TRUE)
fit_glm_nb("singular", "glm_int")

for (ds in c("small_poisson", "medium_nb2")) {
  for (model in c("glm_main", "glm_rural", "glm_int")) {
    fit_glm_poisson(ds, model)
    fit_glm_nb(ds, model)
  }
}
fit_glm_poisson("small_poisson", "scale_glm")
fit_glm_poisson("small_missing", "glm_main")
fit_glm_poisson("small_missing", "scale_glm")
fit_glm_nb("medium_nb1", "glm_int")
fit_glm_nb("zero_heavy", "glm_int")

for (ds in c("small_poisson", "zero_heavy")) {
  fit_glmer(ds, 1)
  fit_glmer(ds, 9)
}
# Small clusters (about 5 LSOAs per MSOA, low counts), where quadrature moves the estimates.
fit_glmmtmb("zero_heavy", "msoa_ri", "poisson")
fit_glmer("zero_heavy", 1, "msoa_ri")
fit_glmer("zero_heavy", 9, "msoa_ri")
cat(sprintf("model fits: %.1f s\n", (proc.time() - t0)[["elapsed"]]))

# ---------------------------------------------------------------------------------------------
# Likelihood-ratio tests between nested glmmTMB fits (anova(); the p-value is the naive
# chi-square one, not corrected for a variance on the boundary).
# ---------------------------------------------------------------------------------------------
lr_tests <- list()
lr_pairs <- list(
  list(dataset = "medium_nb2", family = "nbinom2", null = "glm_int", alt = "ri"),
  list(dataset = "medium_nb2", family = "nbinom2", null = "ri", alt = "rs"),
  list(dataset = "medium_nb1", family = "nbinom1", null = "glm_int", alt = "ri"),
  list(dataset = "medium_nb1", family = "nbinom2", null = "glm_int", alt = "ri"),
  list(dataset = "small_poisson", family = "poisson", null = "glm_int", alt = "ri"),
  list(dataset = "small_poisson", family = "poisson", null = "ri", alt = "rs"),
  list(dataset = "zero_heavy", family = "nbinom2", null = "ri", alt = "rs")
)
for (pr in lr_pairs) {
  id0 <- paste(pr$dataset, pr$null, pr$family, "glmmTMB", sep = ".")
  id1 <- paste(pr$dataset, pr$alt, pr$family, "glmmTMB", sep = ".")
  if (!(id0 %in% fits) || !(id1 %in% fits)) {
    cat("LR test skipped (a fit was excluded):", id0, "vs", id1, "\n")
    next
  }
  a <- anova(fitted_models[[id0]], fitted_models[[id1]])
  lr_tests[[length(lr_tests) + 1]] <- list(
    dataset = pr$dataset, family = pr$family,
    null_fit = id0, alternative_fit = id1,
    null_formula = formulas[[pr$null]], alternative_formula = formulas[[pr$alt]],
    loglik = I(a$logLik), df = I(a$Df), aic = I(a$AIC), bic = I(a$BIC),
    chisq = a$Chisq[2], chisq_df = a[["Chi Df"]][2], p = a[["Pr(>Chisq)"]][2]
  )
}
write_json(list(versions = versions, tests = lr_tests), file.path(golden_dir, "lr_tests.json"))

# ---------------------------------------------------------------------------------------------
# Separate Poisson GLM per LA (as Hood et al. 2021, Fig. 5): the within-LA deprivation gradient.
# ---------------------------------------------------------------------------------------------
per_la_dataset <- "medium_nb2"
per_la_formula <- "count ~ imd_z + offset(log(pop/10000))"
d <- read_dataset(paste0(per_la_dataset, ".csv"))
per_la <- lapply(sort(unique(d$la)), function(code) {
  sub <- d[d$la == code, ]
  m <- glm(as.formula(per_la_formula), data = sub, family = poisson(),
           control = glm.control(epsilon = 1e-12, maxit = 100))
  cf <- coef(summary(m))
  list(
    la = code, rows = nrow(sub), mean_imd = mean(sub$imd), la_imd = sub$la_imd[1],
    intercept = cf["(Intercept)", 1], intercept_se = cf["(Intercept)", 2],
    imd_z = cf["imd_z", 1], imd_z_se = cf["imd_z", 2], converged = m$converged
  )
})
write_json(list(versions = versions, dataset = per_la_dataset,
                data = datasets_meta[[per_la_dataset]]$file, formula = per_la_formula,
                family = "poisson", method = "glm", fits = per_la),
           file.path(golden_dir, "per_la_poisson.json"))

write_json(list(
  versions = versions,
  datasets = datasets_meta,
  fits = I(unlist(fits)),
  excluded = excluded
), file.path(golden_dir, "index.json"))

cat(sprintf("%d fits written, %d excluded, %.1f s in all\n", length(fits), length(excluded),
            (proc.time() - t0)[["elapsed"]]))
