# Reference fits of binomial GLMs and GLMMs with glmmTMB: neighbourhood proportions (re-referrals
# out of referrals, repeat plans out of plans) as `cbind(successes, failures)` and a 0/1 response,
# with LA random intercepts, random slopes and nested MSOA effects; logit link throughout, probit and
# cloglog once each.
#
# Run from the repository root:   Rscript tests/reference/binomial/make_binomial.R
# Writes tests/reference/binomial/data/NAME.csv and golden/ID.json plus golden/index.json
# (see ../README.md, "Binomial"). Every data set has its own seed; a rerun with the same package
# versions reproduces every file byte for byte.

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/binomial"
})
source(file.path(script_dir, "..", "golden_lib.R"))
data_dir <- file.path(script_dir, "data")
golden_dir <- file.path(script_dir, "golden")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(golden_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(golden_dir, pattern = "\\.json$", full.names = TRUE))
versions <- golden_versions()

# ------------------------------------------------------------------------------------------------
# Data: one row per neighbourhood (LSOA) in `n_la` LAs of about `per_la` LSOAs, MSOAs of about 5
# LSOAs (codes unique across the file). LA level: deprivation ladep ~ N(0, 1). LSOA level:
# imd_z ~ N(0, 1) (deprivation standardised within LA), rural with probability plogis(-1 - 0.5 ladep),
# trials (`trials_kind`): "referrals" = 1 + Poisson(mean_trials * exp(0.3 imd_z)) (so between a few and
# about a hundred), "plans" = 1 + Poisson(mean_trials) (small), "binary" = 1 (a 0/1 response).
#   eta = b0 + b_imd imd_z + b_la ladep + b_rural rural + u0_la + u1_la imd_z + v_msoa,
#   (u0, u1) ~ N(0, [[sd0^2, cor sd0 sd1], [., sd1^2]]), v ~ N(0, sd_msoa^2),
#   successes ~ Binomial(trials, linkinv(eta)) with the data set's generating link.
# ------------------------------------------------------------------------------------------------
simulate <- function(s) {
  set.seed(s$seed)
  size <- pmax(4, round(s$per_la * exp(rnorm(s$n_la, 0, 0.3))))
  la <- rep(seq_len(s$n_la), size)
  n <- length(la)
  ladep <- round(rnorm(s$n_la), 4)
  imd_z <- round(rnorm(n), 4)
  msoa_local <- unlist(lapply(size, function(k) sort(rep_len(seq_len(max(1, round(k / 5))), k))))
  msoa <- as.integer(factor(paste(la, msoa_local), levels = unique(paste(la, msoa_local))))
  rural <- rbinom(n, 1, plogis(-1 - 0.5 * ladep[la]))
  trials <- switch(s$trials_kind,
    referrals = 1 + rpois(n, s$mean_trials * exp(0.3 * imd_z)),
    plans = 1 + rpois(n, s$mean_trials),
    binary = rep(1L, n))
  z0 <- rnorm(s$n_la)
  z1 <- rnorm(s$n_la)
  u0 <- s$sd0 * z0
  u1 <- s$sd1 * (s$cor * z0 + sqrt(1 - s$cor^2) * z1)
  v <- rnorm(max(msoa), 0, s$sd_msoa)
  eta <- s$beta[1] + s$beta[2] * imd_z + s$beta[3] * ladep[la] + s$beta[4] * rural + u0[la] + u1[la] * imd_z +
    v[msoa]
  p <- binomial(link = s$link)$linkinv(eta)
  successes <- rbinom(n, trials, p)
  d <- data.frame(la = sprintf("LA%02d", la), msoa = sprintf("M%04d", msoa), imd_z = imd_z,
                  ladep = ladep[la], rural = ifelse(rural == 1, "rural", "urban"), stringsAsFactors = FALSE)
  if (s$trials_kind == "binary") {
    d[[s$response]] <- successes
  } else {
    d[[s$response]] <- successes
    d[[s$trials_name]] <- trials
    d[[s$failures_name]] <- trials - successes
  }
  d
}

datasets <- list(
  list(name = "rereferrals", seed = 17101, n_la = 24, per_la = 35, trials_kind = "referrals", mean_trials = 25,
       link = "logit", beta = c(-1.3, 0.15, -0.1, -0.1), sd0 = 0.3, sd1 = 0.15, cor = 0.3, sd_msoa = 0.15,
       response = "rereferrals", trials_name = "referrals", failures_name = "not_rereferred"),
  list(name = "repeat_plans", seed = 17102, n_la = 15, per_la = 30, trials_kind = "plans", mean_trials = 3,
       link = "logit", beta = c(-1.6, 0.2, 0.1, 0), sd0 = 0.35, sd1 = 0.15, cor = -0.2, sd_msoa = 0.3,
       response = "repeat_plans", trials_name = "plans", failures_name = "first_plans"),
  list(name = "any_cla", seed = 17103, n_la = 30, per_la = 40, trials_kind = "binary",
       link = "logit", beta = c(-0.4, 0.8, 0.2, -0.3), sd0 = 0.5, sd1 = 0.2, cor = 0.2, sd_msoa = 0,
       response = "any_cla"),
  list(name = "ceased_3m", seed = 17104, n_la = 20, per_la = 30, trials_kind = "referrals", mean_trials = 15,
       link = "cloglog", beta = c(-1.0, -0.1, 0.05, 0.1), sd0 = 0.25, sd1 = 0.05, cor = 0, sd_msoa = 0.1,
       response = "ceased", trials_name = "episodes", failures_name = "continued")
)

# The fits: id suffix, data set, formula, link.
fits <- list(
  list("rereferrals", "glm", "cbind(rereferrals, not_rereferred) ~ imd_z + ladep + rural", "logit"),
  list("rereferrals", "ri", "cbind(rereferrals, not_rereferred) ~ imd_z + ladep + (1 | la)", "logit"),
  list("rereferrals", "ri_trials", "cbind(rereferrals, referrals - rereferrals) ~ imd_z + ladep + (1 | la)", "logit"),
  list("rereferrals", "rs", "cbind(rereferrals, not_rereferred) ~ imd_z * ladep + (1 + imd_z | la)", "logit"),
  list("rereferrals", "nested", "cbind(rereferrals, not_rereferred) ~ imd_z + ladep + (1 | la/msoa)", "logit"),
  list("rereferrals", "webb", "cbind(rereferrals, not_rereferred) ~ imd_z * ladep + rural + (1 + imd_z | la) + (1 | la:msoa)", "logit"),
  list("rereferrals", "ri", "cbind(rereferrals, not_rereferred) ~ imd_z + ladep + (1 | la)", "probit"),
  list("repeat_plans", "glm", "cbind(repeat_plans, first_plans) ~ imd_z + ladep", "logit"),
  list("repeat_plans", "ri", "cbind(repeat_plans, first_plans) ~ imd_z + ladep + (1 | la)", "logit"),
  list("repeat_plans", "rs", "cbind(repeat_plans, first_plans) ~ imd_z + ladep + (1 + imd_z | la)", "logit"),
  list("repeat_plans", "nested", "cbind(repeat_plans, first_plans) ~ imd_z + (1 | la/msoa)", "logit"),
  list("any_cla", "glm", "any_cla ~ imd_z + ladep + rural", "logit"),
  list("any_cla", "ri", "any_cla ~ imd_z + ladep + rural + (1 | la)", "logit"),
  list("any_cla", "rs", "any_cla ~ imd_z + ladep + (1 + imd_z | la)", "logit"),
  list("any_cla", "ri", "any_cla ~ imd_z + ladep + rural + (1 | la)", "probit"),
  list("ceased_3m", "glm", "cbind(ceased, continued) ~ imd_z + ladep + rural", "cloglog"),
  list("ceased_3m", "ri", "cbind(ceased, continued) ~ imd_z + ladep + rural + (1 | la)", "cloglog"),
  list("ceased_3m", "ri", "cbind(ceased, continued) ~ imd_z + ladep + rural + (1 | la)", "logit"),
  list("ceased_3m", "nested", "cbind(ceased, continued) ~ imd_z + (1 | la/msoa)", "cloglog")
)

for (s in datasets) write_data(simulate(s), file.path(data_dir, paste0(s$name, ".csv")))

index <- list()
for (f in fits) {
  names(f) <- c("data", "model", "formula", "link")
  s <- datasets[[which(vapply(datasets, function(x) x$name, "") == f$data)]]
  id <- paste(f$data, f$model, paste0("binomial_", f$link), sep = ".")
  d <- read_data(file.path(data_dir, paste0(f$data, ".csv")))
  run <- run_glmmTMB(f$formula, d, "binomial", link = f$link)
  rec <- c(list(id = id, data = file.path("data", paste0(f$data, ".csv")), formula = f$formula,
                family = "binomial", link = f$link, variables = formula_variables(f$formula),
                truth = s[c("seed", "n_la", "per_la", "trials_kind", "link", "beta", "sd0", "sd1", "cor", "sd_msoa")],
                rows = nrow(d), versions = versions),
           fit_record(run, "binomial"))
  rec$truth$beta <- I(rec$truth$beta)
  if (f$model == "glm") {
    # glmmTMB's binomial log-likelihood includes log choose(n, s), as glm's does.
    g <- glm(as.formula(f$formula), data = d, family = binomial(link = f$link),
             control = glm.control(epsilon = 1e-12, maxit = 100))
    rec$glm_loglik <- as.numeric(logLik(g))
    stopifnot(abs(rec$glm_loglik - rec$loglik) < 1e-6)
  }
  write_json(rec, file.path(golden_dir, paste0(id, ".json")))
  index[[length(index) + 1]] <- id
  cat(sprintf("%-36s rows %5d logLik %12.4f code %d pdHess %-5s step %.2g\n", id, nrow(d), rec$loglik,
              rec$convergence$code, rec$convergence$pd_hess, rec$convergence$newton_step_se))
}
write_json(list(versions = versions, fits = I(unlist(index))), file.path(golden_dir, "index.json"))
