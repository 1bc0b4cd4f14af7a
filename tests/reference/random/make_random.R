# Randomised agreement suite for the fitting engine: simulated neighbourhood-level data sets with
# random sizes, families, dispersion and random-effect structures, each fitted with glmmTMB.
#
# Run from the repository root:   Rscript tests/reference/random/make_random.R
# Writes tests/reference/random/data/ID.csv and tests/reference/random/golden/ID.json plus
# golden/index.json (see README.md). Each problem has its own seed, so a rerun with the same
# package versions reproduces the data byte for byte.

suppressPackageStartupMessages(library(glmmTMB))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/random"
})
data_dir <- file.path(script_dir, "data")
golden_dir <- file.path(script_dir, "golden")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(golden_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(golden_dir, pattern = "\\.json$", full.names = TRUE))
unlink(list.files(data_dir, pattern = "\\.csv$", full.names = TRUE))

versions <- list(R = R.version.string, glmmTMB = as.character(packageVersion("glmmTMB")),
                 TMB = as.character(packageVersion("TMB")))

# A small JSON writer: numbers with 17 significant digits (read back exactly), NA/NaN/Inf as null,
# I() or length != 1 vectors as arrays, matrices as arrays of rows, named lists as objects.
json <- function(x) {
  scalar <- function(v) {
    if (is.logical(v)) return(if (is.na(v)) "null" else if (v) "true" else "false")
    if (is.numeric(v)) return(if (!is.finite(v)) "null" else sprintf("%.17g", v))
    paste0("\"", gsub("\"", "\\\\\"", gsub("\\\\", "\\\\\\\\", v)), "\"")
  }
  if (is.null(x)) return("null")
  if (is.matrix(x)) return(paste0("[", paste(apply(x, 1, function(r) json(I(unname(r)))), collapse = ", "), "]"))
  if (is.list(x)) {
    inner <- vapply(x, json, "")
    if (!is.null(names(x))) return(paste0("{", paste0("\"", names(x), "\": ", inner, collapse = ", "), "}"))
    return(paste0("[", paste(inner, collapse = ", "), "]"))
  }
  v <- unclass(x)
  attributes(v) <- NULL
  if (length(v) == 1 && !inherits(x, "AsIs")) return(scalar(v))
  paste0("[", paste(vapply(v, scalar, ""), collapse = ", "), "]")
}

formulas <- list(
  ri = "count ~ xc + ladep + offset(log(pop/10000)) + (1 | la)",
  rs = "count ~ xc * ladep + offset(log(pop/10000)) + (1 + xc | la)",
  nested = "count ~ xc + ladep + rural + offset(log(pop/10000)) + (1 | la/msoa)",
  webb = "count ~ xc * ladep + xc:lagini + rural + offset(log(pop/10000)) + (1 + xc | la) + (1 | la:msoa)"
)

# One data set. LA level: deprivation ladep ~ N(0, 1), inequality lagini = 0.6 ladep + 0.8 N(0, 1).
# LSOA level: deprivation x ~ N(0.3 ladep, 1), xc = x minus its LA mean (within-LA deprivation),
# rural with probability plogis(-1 - 0.5 ladep), pop = round(100 + 700 Beta(2, 3.5)); MSOAs are
# blocks of about 5 LSOAs inside an LA. Counts:
#   log mu = log(rate) + 0.25 xc - 0.1 ladep - 0.05 xc ladep + 0.04 xc lagini - 0.15 rural
#            + u0_la + u1_la xc + v_msoa + log(pop / 10000),
# (u0, u1) ~ N(0, [[sd0^2, cor sd0 sd1], [cor sd0 sd1, sd1^2]]), v ~ N(0, sd_msoa^2);
# poisson y ~ Pois(mu); nbinom2 y ~ NB(size = disp, mu); nbinom1 y ~ NB(size = mu / disp, mu).
simulate <- function(p) {
  set.seed(p$seed)
  n_la <- p$n_la
  size <- pmax(4, round(p$per_la * exp(rnorm(n_la, 0, 0.3))))
  ladep <- rnorm(n_la)
  lagini <- 0.6 * ladep + 0.8 * rnorm(n_la)
  la <- rep(seq_len(n_la), size)
  x <- rnorm(length(la), 0.3 * ladep[la], 1)
  xc <- round(x - ave(x, la), 4)
  msoa_local <- unlist(lapply(size, function(s) sort(rep_len(seq_len(max(1, round(s / 5))), s))))
  msoa_id <- as.integer(factor(paste(la, msoa_local), levels = unique(paste(la, msoa_local))))
  rural <- rbinom(length(la), 1, plogis(-1 - 0.5 * ladep[la]))
  pop <- round(100 + 700 * rbeta(length(la), 2, 3.5))
  z0 <- rnorm(n_la)
  z1 <- rnorm(n_la)
  u0 <- p$sd0 * z0
  u1 <- p$sd1 * (p$cor * z0 + sqrt(1 - p$cor^2) * z1)
  v <- rnorm(max(msoa_id), 0, p$sd_msoa)
  eta <- log(p$rate) + 0.25 * xc - 0.1 * ladep[la] - 0.05 * xc * ladep[la] + 0.04 * xc * lagini[la] -
    0.15 * rural + u0[la] + u1[la] * xc + v[msoa_id] + log(pop / 10000)
  mu <- exp(eta)
  count <- switch(p$family,
    poisson = rpois(length(mu), mu),
    nbinom2 = rnbinom(length(mu), size = p$disp, mu = mu),
    nbinom1 = rnbinom(length(mu), size = mu / p$disp, mu = mu))
  data.frame(
    la = sprintf("LA%02d", la), msoa = sprintf("M%04d", msoa_id), count = count, pop = pop, xc = xc,
    ladep = round(ladep[la], 4), lagini = round(lagini[la], 4),
    rural = ifelse(rural == 1, "rural", "urban"), stringsAsFactors = FALSE
  )
}

# The problems: every structure with every family in three settings, each setting's sizes and
# parameters drawn from its ranges with the problem's own seed:
#   typical  - 8 to 40 LAs of 10 to 50 LSOAs, moderate rates, clear variances;
#   sparse   - low rates (many zeros), 5 to 25 LAs;
#   boundary - 3 to 6 LAs or near-zero true variances (a slope or MSOA SD of 0 to 0.02);
# and the pattern that used to end at a false boundary: NB1, 15 LAs of about 150 LSOAs, the
# Webb-style model with slope SD 0.05, intercept SD 0.13, MSOA SD 0.05, phi 3.
draw_problem <- function(structure, family, setting, seed) {
  set.seed(seed)
  r <- function(lo, hi) runif(1, lo, hi)
  p <- list(structure = structure, family = family, setting = setting, seed = seed)
  p$disp <- switch(family, poisson = NA, nbinom2 = r(2, 15), nbinom1 = r(0.5, 4))
  p$cor <- r(-0.6, 0.6)
  if (setting == "typical") {
    p$n_la <- sample(8:40, 1); p$per_la <- r(10, 50); p$rate <- exp(r(log(100), log(800)))
    p$sd0 <- r(0.1, 0.4); p$sd1 <- r(0.05, 0.2); p$sd_msoa <- r(0.05, 0.25)
  } else if (setting == "sparse") {
    p$n_la <- sample(5:25, 1); p$per_la <- r(10, 40); p$rate <- exp(r(log(5), log(40)))
    p$sd0 <- r(0.1, 0.5); p$sd1 <- r(0.05, 0.3); p$sd_msoa <- r(0.05, 0.3)
  } else {
    few <- runif(1) < 0.5
    p$n_la <- if (few) sample(3:6, 1) else sample(10:30, 1)
    p$per_la <- r(15, 60); p$rate <- exp(r(log(50), log(500)))
    p$sd0 <- if (few) r(0.05, 0.3) else r(0, 0.03)
    p$sd1 <- r(0, 0.02); p$sd_msoa <- r(0, 0.02)
  }
  p
}

problems <- list()
seed <- 7000
for (setting in c("typical", "sparse", "boundary")) {
  for (structure in names(formulas)) {
    for (family in c("poisson", "nbinom1", "nbinom2")) {
      seed <- seed + 1
      problems[[length(problems) + 1]] <- draw_problem(structure, family, setting, seed)
    }
  }
}
for (seed in c(2020, 2021, 2022, 2023)) {
  problems[[length(problems) + 1]] <- list(
    structure = "webb", family = "nbinom1", setting = "trap", seed = seed, disp = 3, cor = 0,
    n_la = 15, per_la = 150, rate = 200, sd0 = 0.13, sd1 = 0.05, sd_msoa = 0.05)
}

index <- list()
for (p in problems) {
  id <- sprintf("%s_%s_%s_%d", p$setting, p$structure, p$family, p$seed)
  d <- simulate(p)
  file <- paste0(id, ".csv")
  write.csv(d, file.path(data_dir, file), row.names = FALSE, quote = FALSE)
  d <- read.csv(file.path(data_dir, file), stringsAsFactors = FALSE)
  fam <- switch(p$family, poisson = poisson(), nbinom2 = nbinom2(), nbinom1 = nbinom1())
  warns <- character(0)
  fit <- withCallingHandlers(
    glmmTMB(as.formula(formulas[[p$structure]]), data = d, family = fam),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  vc <- VarCorr(fit)$cond
  random <- unname(lapply(names(vc), function(g) {
    v <- vc[[g]]
    corr <- attr(v, "correlation")
    if (is.null(corr)) corr <- diag(length(attr(v, "stddev")))
    list(group = g, terms = I(names(attr(v, "stddev"))), sd = I(unname(attr(v, "stddev"))),
         corr = unname(as.matrix(corr)))
  }))
  coefs <- summary(fit)$coefficients$cond
  ll <- logLik(fit)
  # How far glmmTMB stopped from the exact optimum: the largest component of the Newton step
  # H^{-1} g in units of the parameter's standard error (as make_golden.R).
  step <- if (fit$sdr$pdHess) {
    max(abs(as.vector(fit$sdr$cov.fixed %*% fit$sdr$gradient.fixed)) / sqrt(diag(fit$sdr$cov.fixed)))
  } else NA
  # TMB's NB2 density loses all precision when log theta is very large (the lgamma terms cancel):
  # at log theta = 33 the log-likelihood can be off by hundreds. Where the estimate is there (the
  # Poisson limit), record the log-likelihood with log theta = 20 as well, which is the limit
  # to within 1e-3.
  betad <- fit$fit$par[names(fit$fit$par) == "betad"]
  loglik_stable <- if (p$family == "nbinom2" && betad > 20) {
    par <- fit$fit$par
    par[names(par) == "betad"] <- 20
    -fit$obj$fn(par)
  } else NA
  rec <- list(
    id = id, data = file.path("data", file), formula = formulas[[p$structure]], family = p$family,
    truth = p[c("setting", "n_la", "per_la", "rate", "disp", "sd0", "sd1", "cor", "sd_msoa")],
    rows = nrow(d), zero_fraction = mean(d$count == 0), versions = versions,
    loglik = as.numeric(ll), objective = fit$fit$objective, loglik_stable = loglik_stable,
    fixed = unname(lapply(seq_len(nrow(coefs)), function(i) {
      list(name = rownames(coefs)[i], estimate = coefs[i, 1], std_error = coefs[i, 2])
    })),
    dispersion = if (p$family == "poisson") NA else sigma(fit),
    random = random,
    convergence = list(code = fit$fit$convergence, message = fit$fit$message,
                       pd_hess = fit$sdr$pdHess, newton_step_se = step, warnings = I(unique(warns)))
  )
  writeLines(json(rec), file.path(golden_dir, paste0(id, ".json")))
  index[[length(index) + 1]] <- id
  cat(sprintf("%-34s rows %5d zeros %4.2f logLik %12.4f code %d pdHess %s\n", id, nrow(d),
              rec$zero_fraction, -fit$fit$objective, fit$fit$convergence, fit$sdr$pdHess))
}
writeLines(json(list(versions = versions, problems = I(unlist(index)))), file.path(golden_dir, "index.json"))
