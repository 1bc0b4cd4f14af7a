# Shared by the reference scripts of the spatial, binomial, crossed and zero-inflated suites and of the
# harder random campaign (spatial/make_spatial.R, binomial/make_binomial.R, crossed/make_crossed.R,
# zi/make_zi.R, random/make_random_hard.R): the JSON writer, one glmmTMB fit with its warnings and
# timing, and the record of a fit that every golden file of those suites holds (README.md,
# "Fields of a glmmTMB record").
#
# Sourced, not run: each script does `source(file.path(script_dir, "..", "golden_lib.R"))`.

# Byte-for-byte reruns. Two R processes fitting the same model can disagree in the last digits
# (about 1e-14 relative) because TMB's floating-point sums depend on where its arrays land in
# memory, which address space layout randomisation changes from process to process. With it
# switched off for the process (`setarch $(uname -m) -R`) two runs give the same bytes, so a
# script that sources this file re-runs itself that way when it is not already (on Linux with
# setarch; elsewhere it runs as it is and only the last digits may differ).
fixed_addresses <- function() {
  p <- tryCatch(readLines("/proc/self/personality", warn = FALSE), error = function(e) NA_character_)
  length(p) == 1 && !is.na(p) && bitwAnd(strtoi(p, 16L), 0x0040000L) != 0
}
local({
  file <- sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE))
  if (!fixed_addresses() && length(file) == 1 && nzchar(Sys.which("setarch")) &&
      Sys.getenv("GOLDEN_FIXED_ADDRESSES") == "") {
    Sys.setenv(GOLDEN_FIXED_ADDRESSES = "1")
    status <- system2("setarch", c(system("uname -m", intern = TRUE), "-R", file.path(R.home("bin"), "Rscript"),
                                   shQuote(file), shQuote(commandArgs(trailingOnly = TRUE))))
    quit(save = "no", status = status)
  }
})

suppressPackageStartupMessages({
  library(glmmTMB)
  library(TMB)
})
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

golden_versions <- function() list(
  R = R.version.string,
  glmmTMB = as.character(packageVersion("glmmTMB")),
  TMB = as.character(packageVersion("TMB")),
  lme4 = as.character(packageVersion("lme4")),
  Matrix = as.character(packageVersion("Matrix")),
  MASS = as.character(packageVersion("MASS"))
)

# The directory of the running script (Rscript --file=...), or `fallback` when sourced interactively.
this_script_dir <- function(fallback) {
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else fallback
}

# ------------------------------------------------------------------------------------------------
# JSON: numbers with the fewest of 15, 16 or 17 significant digits that read back to the same double
# (integers plainly), NA/NaN/Inf as null, I() or length != 1 vectors as arrays, matrices as arrays of
# rows, named lists as objects (in their order), unnamed lists as arrays.
# ------------------------------------------------------------------------------------------------
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

json_scalar <- function(v) {
  if (is.logical(v)) return(if (is.na(v)) "null" else if (v) "true" else "false")
  if (is.numeric(v)) return(json_number(v))
  json_string(as.character(v))
}

json <- function(x, indent = "") {
  if (is.null(x)) return("null")
  if (is.matrix(x)) {
    if (nrow(x) == 0) return("[]")
    return(paste0("[", paste(apply(x, 1, function(r) json(I(unname(r)))), collapse = ", "), "]"))
  }
  if (is.list(x) && !is.data.frame(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    inner <- vapply(x, json, "", indent = paste0(indent, "  "))
    if (!is.null(names(x))) {
      return(paste0("{", paste0("\"", names(x), "\": ", inner, collapse = ", "), "}"))
    }
    return(paste0("[", paste(inner, collapse = ", "), "]"))
  }
  v <- unclass(x)
  attributes(v) <- NULL
  if (is.factor(x)) v <- as.character(x)
  if (length(v) == 1 && !inherits(x, "AsIs")) return(json_scalar(v))
  paste0("[", paste(vapply(v, json_scalar, ""), collapse = ", "), "]")
}

# One JSON object per line for the top-level keys, so that diffs of a golden file stay readable.
write_json <- function(x, path) {
  stopifnot(is.list(x), !is.null(names(x)))
  lines <- paste0("  \"", names(x), "\": ", vapply(x, json, ""))
  writeLines(c("{", paste0(lines, c(rep(",", length(lines) - 1), "")), "}"), path)
}

# A CSV as R writes it, read back as the fits will read it. `na` is how a missing cell is written
# ("" for a blank cell, "NA" for R's own marker).
write_data <- function(d, path, na = "") {
  write.csv(d, path, row.names = FALSE, quote = FALSE, na = na)
}

# A data file as the fits read it: a blank cell and "NA" are both missing, in text columns too
# (read.csv's default would make a blank text cell a level "" of its own), as the engine reads them.
read_data <- function(path) read.csv(path, stringsAsFactors = FALSE, na.strings = c("", "NA"))

# ------------------------------------------------------------------------------------------------
# Families: a family name as the golden files spell it ("poisson", "nbinom1", "nbinom2",
# "binomial") and a link ("log" for the counts; "logit", "probit" or "cloglog" for binomial).
# ------------------------------------------------------------------------------------------------
family_object <- function(family, link = NULL) {
  switch(family,
    poisson = poisson(link = "log"),
    nbinom1 = nbinom1(link = "log"),
    nbinom2 = nbinom2(link = "log"),
    binomial = binomial(link = if (is.null(link)) "logit" else link),
    stop("unknown family ", family))
}

default_link <- function(family) if (family == "binomial") "logit" else "log"

# ------------------------------------------------------------------------------------------------
# One glmmTMB fit: every warning and message R raises is kept (and muffled), with the elapsed and
# CPU seconds of the call. `...` goes to glmmTMB (ziformula, start, map, control).
# ------------------------------------------------------------------------------------------------
run_glmmTMB <- function(formula, data, family, link = NULL, ...) {
  warns <- character(0)
  t0 <- proc.time()
  fit <- withCallingHandlers(
    glmmTMB(as.formula(formula), data = data, family = family_object(family, link), ...),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    },
    message = function(m) {
      warns <<- c(warns, trimws(conditionMessage(m)))
      invokeRestart("muffleMessage")
    })
  t <- proc.time() - t0
  list(fit = fit, warnings = unique(warns), elapsed = unname(t[["elapsed"]]),
       cpu = unname(t[["user.self"]] + t[["sys.self"]]))
}

# The Newton step from glmmTMB's estimate, H^{-1} g, in units of each parameter's standard error:
# how far from the exact optimum the optimiser stopped (NA when the Hessian is not positive definite).
newton_step_se <- function(fit) {
  if (!isTRUE(fit$sdr$pdHess)) return(NA)
  cov <- fit$sdr$cov.fixed
  max(abs(as.vector(cov %*% as.vector(fit$sdr$gradient.fixed))) / sqrt(diag(cov)))
}

# The optimiser's parameter vector split by TMB's parameter names (beta, betazi, betad, theta, ...),
# each in TMB's order, with the standard errors of sdreport (null where the Hessian is singular).
par_record <- function(fit) {
  par <- fit$fit$par
  se <- sqrt(pmax(diag(fit$sdr$cov.fixed), 0))
  if (!isTRUE(fit$sdr$pdHess) || length(se) != length(par)) se <- rep(NA_real_, length(par))
  out <- list()
  for (nm in unique(names(par))) {
    out[[nm]] <- I(unname(par[names(par) == nm]))
    out[[paste0(nm, "_se")]] <- I(unname(se[names(par) == nm]))
  }
  out
}

fixed_table <- function(fit, component) {
  coefs <- summary(fit)$coefficients[[component]]
  if (is.null(coefs) || nrow(coefs) == 0) return(list())
  unname(lapply(seq_len(nrow(coefs)), function(i) {
    list(name = rownames(coefs)[i], estimate = coefs[i, 1], std_error = coefs[i, 2],
         z = coefs[i, 3], p = coefs[i, 4])
  }))
}

# Terms of the conditional model's random effects as glmmTMB orders them: name ("1 | la"), the
# grouping factor, covariance structure ("us", "diag", "exp", ...), the positions of its theta in
# the theta vector (1-based) and its number of levels.
re_terms <- function(fit) {
  rs <- fit$modelInfo$reStruc$condReStruc
  if (length(rs) == 0) return(list())
  codes <- vapply(rs, function(r) names(r$blockCode), "")
  ntheta <- vapply(rs, function(r) as.integer(r$blockNumTheta), 0L)
  ends <- cumsum(ntheta)
  lapply(seq_along(rs), function(k) {
    list(name = names(rs)[k], group = sub("^.*\\|\\s*", "", names(rs)[k]), covariance = codes[[k]],
         theta_index = seq.int(ends[k] - ntheta[k] + 1, length.out = ntheta[k]),
         reps = rs[[k]]$blockReps, size = rs[[k]]$blockSize, dist = rs[[k]]$dist)
  })
}

# Random effects: per term, its group and terms with the SDs and correlations of VarCorr(), the
# theta of that term with their standard errors; for an exponential spatial field (covariance
# "exp") instead its sd and range and the Wald intervals of log sd and log range (see README.md).
random_record <- function(fit) {
  terms <- re_terms(fit)
  if (length(terms) == 0) return(list())
  vc <- VarCorr(fit)$cond
  theta <- fit$fit$par[names(fit$fit$par) == "theta"]
  ok <- isTRUE(fit$sdr$pdHess)
  theta_se <- if (ok) sqrt(pmax(diag(fit$sdr$cov.fixed)[names(fit$fit$par) == "theta"], 0)) else rep(NA, length(theta))
  z <- qnorm(0.975)
  lapply(seq_along(terms), function(k) {
    t <- terms[[k]]
    th <- unname(theta[t$theta_index])
    se <- unname(theta_se[t$theta_index])
    v <- vc[[k]]
    stopifnot(names(vc)[k] == t$group)
    if (t$covariance %in% c("exp", "gau", "mat")) {
      # glmmTMB: sd = exp(theta[1]); for exp, cor(u_i, u_j) = exp(-d_ij * exp(-theta[2])), so
      # range = exp(theta[2]) on the scale of the coordinates. Check that against VarCorr().
      sd <- exp(th[1]); range <- exp(th[2])
      corr <- attr(v, "correlation")
      model <- exp(-t$dist / range)
      check_corr <- max(abs(unname(as.matrix(corr)) - unname(model)))
      check_sd <- max(abs(attr(v, "stddev") - sd))
      stopifnot(check_corr < 1e-12, check_sd < 1e-12 * sd)
      return(list(
        group = t$group, term = t$name, covariance = t$covariance, locations = t$size,
        sd = sd, range = range, theta = I(th), theta_se = I(se),
        wald_log_sd = I(th[1] + c(-z, z) * se[1]), wald_log_range = I(th[2] + c(-z, z) * se[2]),
        wald_sd = I(exp(th[1] + c(-z, z) * se[1])), wald_range = I(exp(th[2] + c(-z, z) * se[2])),
        check_corr_max_abs_diff = check_corr))
    }
    corr <- attr(v, "correlation")
    sds <- attr(v, "stddev")
    if (is.null(corr)) corr <- diag(length(sds))
    list(group = t$group, term = t$name, covariance = t$covariance, levels = t$reps,
         terms = I(names(sds)), sd = I(unname(sds)), corr = unname(as.matrix(corr)),
         theta = I(th), theta_se = I(se))
  })
}

# Conditional modes and conditional SDs (ranef(condVar = TRUE)) of every non-spatial term with at
# most `max_levels` levels.
modes_record <- function(fit, max_levels = 200) {
  terms <- re_terms(fit)
  if (length(terms) == 0) return(list())
  re <- ranef(fit, condVar = TRUE)$cond
  out <- list()
  for (k in seq_along(terms)) {
    t <- terms[[k]]
    if (t$covariance %in% c("exp", "gau", "mat") || t$reps > max_levels) next
    m <- re[[k]]
    stopifnot(names(re)[k] == t$group)
    # condVar: a q x q x levels array; its diagonals are the conditional variances.
    sds <- apply(attr(m, "condVar"), 3, function(s) sqrt(diag(as.matrix(s))))
    sds <- if (is.matrix(sds)) t(sds) else matrix(sds, ncol = 1)
    out[[length(out) + 1]] <- list(group = names(re)[k], terms = I(colnames(m)), levels = I(rownames(m)),
                                   modes = unname(as.matrix(m)), sds = unname(as.matrix(sds)))
  }
  out
}

dispersion_name <- function(family) switch(family, nbinom1 = "phi", nbinom2 = "theta", NA)

# TMB's NB2 density loses its precision when log theta is very large (the lgamma terms cancel):
# where the estimate is past 20 (the Poisson limit), the log-likelihood with log theta = 20, which is
# the limit to within 1e-3 (as the first random suite).
loglik_stable <- function(fit, family) {
  betad <- fit$fit$par[names(fit$fit$par) == "betad"]
  if (family != "nbinom2" || length(betad) != 1 || betad <= 20) return(NA)
  par <- fit$fit$par
  par[names(par) == "betad"] <- 20
  -fit$obj$fn(par)
}

# The record of one glmmTMB fit (README.md, "Fields of a glmmTMB record").
fit_record <- function(run, family, link = NULL, modes = TRUE) {
  fit <- run$fit
  ll <- logLik(fit)
  zi <- fixed_table(fit, "zi")
  disp <- if (family %in% c("nbinom1", "nbinom2")) sigma(fit) else NA
  betad <- fit$fit$par[names(fit$fit$par) == "betad"]
  rec <- list(
    loglik = as.numeric(ll), objective = fit$fit$objective, df = attr(ll, "df"),
    aic = AIC(fit), bic = BIC(fit), nobs = nobs(fit),
    loglik_stable = loglik_stable(fit, family),
    fixed = fixed_table(fit, "cond"),
    zi = zi,
    dispersion_name = dispersion_name(family),
    dispersion = disp,
    log_dispersion = if (length(betad) == 1) {
      se <- if (isTRUE(fit$sdr$pdHess)) sqrt(diag(fit$sdr$cov.fixed)[names(fit$fit$par) == "betad"]) else NA
      list(estimate = unname(betad), std_error = unname(se))
    } else NULL,
    random = random_record(fit),
    par = par_record(fit),
    convergence = list(
      code = fit$fit$convergence, message = fit$fit$message, iterations = fit$fit$iterations,
      evaluations = I(unname(fit$fit$evaluations)), pd_hess = isTRUE(fit$sdr$pdHess),
      max_abs_gradient = max(abs(fit$sdr$gradient.fixed)), newton_step_se = newton_step_se(fit),
      converged = fit$fit$convergence == 0 && isTRUE(fit$sdr$pdHess),
      warnings = I(run$warnings))
  )
  if (modes) rec$modes <- modes_record(fit)
  rec
}

# The data columns a model uses (all.vars of its formulas), as the golden files list them.
formula_variables <- function(formula, ziformula = NULL) {
  vars <- all.vars(as.formula(formula))
  if (!is.null(ziformula) && !is.na(ziformula)) vars <- c(vars, all.vars(as.formula(ziformula)))
  I(unique(vars))
}

# How many rows of `d` a formula leaves out because a variable it uses is missing (as R's
# model.frame with na.action = na.omit does).
rows_dropped <- function(formula, d, ziformula = NULL) {
  vars <- all.vars(as.formula(formula))
  if (!is.null(ziformula)) vars <- c(vars, all.vars(as.formula(ziformula)))
  vars <- intersect(unique(vars), names(d))
  sum(!complete.cases(d[, vars, drop = FALSE]))
}
