# The harder randomised campaign: simulated problems in regimes the first campaign (make_random.R)
# leaves out, each fitted with glmmTMB. Groups of 1-2 rows, 90% zeros, counts in the tens of
# thousands, tiny exposures, missing covariate values, scale()/log()/I() terms, a single grouping
# factor with hundreds of levels, 200 groups, the false "singular fit" trap (NB1, (1 | msoa), about
# 650 rows in 200 groups, counts mostly 0 or 1, an interior optimum at a large SD above the SD = 0
# boundary), binomial and zero-inflated families and crossed factors.
#
# Run from the repository root:   Rscript tests/reference/random/make_random_hard.R
# Writes tests/reference/random/hard/data/ID.csv, hard/golden/ID.json and hard/golden/index.json
# (see README.md, "The harder campaign"). It touches nothing of the first campaign (data/, golden/).
# Every problem has its own seed; a rerun with the same package versions reproduces every file
# byte for byte.

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/random"
})
source(file.path(script_dir, "..", "golden_lib.R"))
hard_dir <- file.path(script_dir, "hard")
data_dir <- file.path(hard_dir, "data")
golden_dir <- file.path(hard_dir, "golden")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(golden_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(golden_dir, pattern = "\\.json$", full.names = TRUE))
unlink(list.files(data_dir, pattern = "\\.csv$", full.names = TRUE))
versions <- golden_versions()

# ------------------------------------------------------------------------------------------------
# One data set. LA level: ladep ~ N(0, 1), lagini = 0.6 ladep + 0.8 N(0, 1). LSOA level: x ~
# N(0.3 ladep, 1), xc = x minus its LA mean, rural with probability plogis(-1 - 0.5 ladep),
# density = round(exp(N(log(3000), 0.8))) people per km2, pop = round(pop_lo + (pop_hi - pop_lo)
# Beta(2, 3.5)); MSOAs are blocks of about `msoa_size` LSOAs inside an LA (codes unique across the
# file); with `years` > 1 every LSOA is observed once a year (year effect c_year ~ N(0, sd_year^2)).
#   eta = log(rate / 10000) + 0.25 xc - 0.1 ladep - 0.05 xc ladep + 0.04 xc lagini - 0.15 rural
#         + 0.1 log(density / 3000) + u0_la + u1_la xc + v_msoa + c_year + log(pop),
# (u0, u1) ~ N(0, [[sd0^2, cor sd0 sd1], [., sd1^2]]), v ~ N(0, sd_msoa^2).
# Counts: poisson Pois(mu); nbinom2 NB(size = disp, mu); nbinom1 NB(size = mu / disp, mu); with
# `zi_true` = (a, b) a structural zero with probability plogis(a + b xc). Binomial (`family` binomial):
# eta without the offset and with logit(p0) for log(rate / 10000), trials = 1 + Pois(mean_trials)
# (or 1: a 0/1 response `y`), successes ~ Binomial(trials, linkinv(eta)) with the problem's link.
# `missing` = list(columns, fraction, na): that fraction of the cells of each column set missing,
# written as `na` ("NA" or "" for a blank cell).
# The trap generator (`trap`), its parameters drawn from the seed: base rate m ~ exp(U(log 0.05,
# log 0.6)) per row of 300 children, group SD sg ~ U(0, 3), NB1 phi ~ exp(U(log 0.1, log 4)), a
# fraction off ~ U(0, 0.8) of the 200 groups switched off (log rate - 5), group sizes 1 + Pois(lam),
# lam ~ U(1, 3); x ~ N(0, 1), pop as above; count ~ NB1(mu = exp(group log rate + 0.3 x) pop / 300,
# phi). The seeds were found by a search over seeds 1 to 900 for fits of 520 to 780 rows where
# glmmTMB ends at an SD of 3 to 9 with a log-likelihood less than 8 above the NB1 GLM: in 58, 369,
# 534 and 579 the SD = 0 boundary is also a local maximum (the profile dips below the GLM near
# SD 0.3, and glmmTMB started at SD 0.05 stops there) 3.3 to 4.3 below the interior optimum at
# SD 5.1 to 5.6; in 83 and 279 the profile rises from the boundary to an optimum near SD 5.
# ------------------------------------------------------------------------------------------------
simulate <- function(p) {
  set.seed(p$seed)
  if (isTRUE(p$trap)) return(simulate_trap(p))
  n_la <- p$n_la
  size <- pmax(p$min_per_la, round(p$per_la * exp(rnorm(n_la, 0, 0.3))))
  ladep <- rnorm(n_la)
  lagini <- 0.6 * ladep + 0.8 * rnorm(n_la)
  la <- rep(seq_len(n_la), size)
  n <- length(la)
  x <- rnorm(n, 0.3 * ladep[la], 1)
  xc <- round(x - ave(x, la), 4)
  n_msoa_la <- pmax(1, round(size / p$msoa_size))
  msoa_local <- unlist(lapply(seq_len(n_la), function(j) sort(rep_len(seq_len(n_msoa_la[j]), size[j]))))
  msoa_id <- as.integer(factor(paste(la, msoa_local), levels = unique(paste(la, msoa_local))))
  rural <- rbinom(n, 1, plogis(-1 - 0.5 * ladep[la]))
  density <- round(exp(rnorm(n, log(3000), 0.8)))
  pop <- round(p$pop_lo + (p$pop_hi - p$pop_lo) * rbeta(n, 2, 3.5))
  z0 <- rnorm(n_la)
  z1 <- rnorm(n_la)
  u0 <- p$sd0 * z0
  u1 <- p$sd1 * (p$cor * z0 + sqrt(1 - p$cor^2) * z1)
  v <- rnorm(max(msoa_id), 0, p$sd_msoa)
  years <- if (is.null(p$years)) 1 else p$years
  cy <- rnorm(years, 0, if (is.null(p$sd_year)) 0 else p$sd_year)
  rows <- rep(seq_len(n), times = years)
  yi <- rep(seq_len(years), each = n)
  lin <- 0.25 * xc - 0.1 * ladep[la] - 0.05 * xc * ladep[la] + 0.04 * xc * lagini[la] - 0.15 * rural +
    0.1 * log(density / 3000) + u0[la] + u1[la] * xc + v[msoa_id]
  eta <- lin[rows] + cy[yi]
  d <- data.frame(la = sprintf("LA%03d", la[rows]), msoa = sprintf("M%04d", msoa_id[rows]), stringsAsFactors = FALSE)
  if (years > 1) d$year <- 2018 + yi
  if (p$family == "binomial") {
    prob <- binomial(link = p$link)$linkinv(binomial(link = p$link)$linkfun(p$p0) + eta)
    if (isTRUE(p$binary)) {
      d$y <- rbinom(length(prob), 1, prob)
    } else {
      trials <- 1 + rpois(length(prob), p$mean_trials)
      s <- rbinom(length(prob), trials, prob)
      d$succ <- s
      d$fail <- trials - s
      d$trials <- trials
    }
  } else {
    mu <- exp(log(p$rate / 10000) + eta + log(pop[rows]))
    count <- switch(p$family,
      poisson = rpois(length(mu), mu),
      nbinom2 = rnbinom(length(mu), size = p$disp, mu = mu),
      nbinom1 = rnbinom(length(mu), size = mu / p$disp, mu = mu))
    if (!is.null(p[["zi_true"]])) {
      structural <- rbinom(length(mu), 1, plogis(p$zi_true[1] + p$zi_true[2] * xc[rows]))
      count[structural == 1] <- 0L
    }
    d$count <- count
  }
  d$pop <- pop[rows]
  d$xc <- xc[rows]
  d$ladep <- round(ladep[la[rows]], 4)
  d$lagini <- round(lagini[la[rows]], 4)
  d$rural <- ifelse(rural[rows] == 1, "rural", "urban")
  d$density <- density[rows]
  if (!is.null(p$missing)) {
    for (col in p$missing$columns) {
      k <- round(p$missing$fraction * nrow(d))
      d[[col]][sample.int(nrow(d), k)] <- NA
    }
  }
  d
}

simulate_trap <- function(p) {
  q <- list(m = exp(runif(1, log(0.05), log(0.6))), sg = runif(1, 0, 3), phi = exp(runif(1, log(0.1), log(4))),
            off = runif(1, 0, 0.8), lam = runif(1, 1, 3))
  G <- p$groups
  sizes <- 1 + rpois(G, q$lam)
  g <- rep(seq_len(G), sizes)
  n <- length(g)
  x <- round(rnorm(n), 4)
  pop <- round(100 + 700 * rbeta(n, 2, 3.5))
  off <- rbinom(G, 1, q$off)
  lr <- log(q$m) + rnorm(G, 0, q$sg) + ifelse(off == 1, -5, 0)
  mu <- exp(lr[g] + 0.3 * x + log(pop / 300))
  count <- rnbinom(n, size = mu / q$phi, mu = mu)
  d <- data.frame(msoa = sprintf("M%03d", g), count = count, pop = pop, x = x, stringsAsFactors = FALSE)
  attr(d, "drawn") <- q
  d
}

# ------------------------------------------------------------------------------------------------
# The problems. `draw` fills a regime's sizes and parameters from the problem's seed; the formula
# and family are the regime's.
# ------------------------------------------------------------------------------------------------
off <- "offset(log(pop/10000))"
base_p <- function(seed, family) {
  set.seed(seed)
  r <- function(lo, hi) runif(1, lo, hi)
  list(seed = seed, family = family, link = default_link(family),
       disp = switch(family, poisson = NA, nbinom2 = r(2, 15), nbinom1 = r(0.5, 4), binomial = NA),
       cor = r(-0.5, 0.5), min_per_la = 4, msoa_size = 5, pop_lo = 100, pop_hi = 800,
       n_la = sample(10:30, 1), per_la = r(15, 40), rate = exp(r(log(100), log(800))), p0 = r(0.1, 0.4),
       mean_trials = r(5, 40), sd0 = r(0.15, 0.4), sd1 = r(0.05, 0.2), sd_msoa = r(0.1, 0.3))
}

problems <- list()
add <- function(regime, model, family, seed, formula, ziformula = NULL, ...) {
  p <- modifyList(base_p(seed, family), list(...))
  p$regime <- regime
  p$model <- model
  p$formula <- formula
  p["ziformula"] <- list(ziformula)
  problems[[length(problems) + 1]] <<- p
}
count_families <- c("poisson", "nbinom1", "nbinom2")
seed <- 9000

# Groups of 1-2 rows: MSOAs of 1.5 LSOAs on average.
for (fam in count_families) {
  seed <- seed + 1
  add("tiny_groups", "msoa_ri", fam, seed, paste("count ~ xc + ladep +", off, "+ (1 | msoa)"),
      msoa_size = 1.5, n_la = 12, per_la = 30, sd_msoa = 0.35)
}
seed <- seed + 1
add("tiny_groups", "nested", "nbinom2", seed, paste("count ~ xc + ladep +", off, "+ (1 | la/msoa)"),
    msoa_size = 1.5, n_la = 15, per_la = 25, sd_msoa = 0.3)

# About 90% zeros: rates of 2 to 5 per 10,000 children.
for (fam in count_families) {
  seed <- seed + 1
  add("zeros90", "ri", fam, seed, paste("count ~ xc + ladep +", off, "+ (1 | la)"),
      rate = exp(runif(1, log(2), log(5))), n_la = 20, per_la = 40)
}
seed <- seed + 1
add("zeros90", "rs", "nbinom2", seed, paste("count ~ xc * ladep +", off, "+ (1 + xc | la)"),
    rate = 3, n_la = 25, per_la = 40, sd1 = 0.3)

# Counts in the tens of thousands: populations of 100,000 to 900,000 (whole districts).
for (fam in count_families) {
  seed <- seed + 1
  add("huge_counts", "ri", fam, seed, paste("count ~ xc + ladep + offset(log(pop)) + (1 | la)"),
      pop_lo = 1e5, pop_hi = 9e5, rate = exp(runif(1, log(300), log(1200))), n_la = 15, per_la = 8,
      min_per_la = 3, disp = if (fam == "nbinom2") 40 else if (fam == "nbinom1") 30 else NA)
}

# Tiny exposures: 1 to 25 children per row, high rates.
for (fam in count_families) {
  seed <- seed + 1
  add("tiny_exposure", "ri", fam, seed, paste("count ~ xc + ladep +", off, "+ (1 | la)"),
      pop_lo = 1, pop_hi = 25, rate = exp(runif(1, log(1000), log(3000))), n_la = 20, per_la = 40)
}

# Missing covariate values: written as NA, or as blank cells.
for (fam in count_families) {
  seed <- seed + 1
  add("missing", "ri", fam, seed, paste("count ~ xc + ladep + rural +", off, "+ (1 | la)"),
      missing = list(columns = c("xc", "rural"), fraction = 0.06, na = if (fam == "nbinom1") "" else "NA"))
}
seed <- seed + 1
add("missing", "rs", "nbinom2", seed, paste("count ~ xc * ladep +", off, "+ (1 + xc | la)"),
    missing = list(columns = c("xc", "ladep", "pop"), fraction = 0.04, na = "NA"))

# scale(), log() and I() terms.
transform_formulas <- c(
  poisson = "count ~ scale(xc) + log(density) + I(xc^2) + offset(log(pop/10000)) + (1 | la)",
  nbinom1 = "count ~ scale(xc) * scale(ladep) + log(density/1000) + offset(log(pop)) + (1 | la)",
  nbinom2 = "count ~ xc + I(ladep * 2 - 1) + I(log(density)) + offset(log(pop) - log(10000)) + (1 + scale(xc) | la)"
)
for (fam in count_families) {
  seed <- seed + 1
  add("transforms", "ri", fam, seed, transform_formulas[[fam]], sd1 = 0.1)
}

# A single grouping factor with hundreds of levels (MSOAs of about 4 LSOAs, 2,000 to 3,000 rows).
for (fam in count_families) {
  seed <- seed + 1
  add("many_levels", "msoa_ri", fam, seed, paste("count ~ xc + ladep + rural +", off, "+ (1 | msoa)"),
      n_la = 60, per_la = 40, msoa_size = 4, sd0 = 0)
}

# 200 groups (LAs of 4 to 10 rows).
for (fam in count_families) {
  seed <- seed + 1
  add("groups200", "ri", fam, seed, paste("count ~ xc + ladep +", off, "+ (1 | la)"),
      n_la = 200, per_la = 6, min_per_la = 4)
}
seed <- seed + 1
add("groups200", "rs", "nbinom2", seed, paste("count ~ xc * ladep +", off, "+ (1 + xc | la)"),
    n_la = 200, per_la = 7, min_per_la = 4, sd1 = 0.2)

# The false "singular fit" trap: NB1, (1 | msoa) only (seeds chosen where glmmTMB's interior
# optimum at a large SD beats the SD = 0 boundary by about 3; see `boundary` in the golden).
trap_seeds <- c(58, 369, 534, 579, 83, 279)
for (trap_seed in trap_seeds) {
  add("trap", "msoa_ri", "nbinom1", trap_seed, "count ~ x + offset(log(pop/10000)) + (1 | msoa)",
      trap = TRUE, groups = 200)
}

# Binomial: proportions (successes, failures) and a 0/1 response.
bin <- function(model, link, formula, ...) {
  seed <<- seed + 1
  add("binomial", model, "binomial", seed, formula, link = link, ...)
}
bin("ri", "logit", "cbind(succ, fail) ~ xc + ladep + (1 | la)")
bin("rs", "logit", "cbind(succ, fail) ~ xc * ladep + (1 + xc | la)", sd1 = 0.25)
bin("nested", "logit", "cbind(succ, fail) ~ xc + rural + (1 | la/msoa)")
bin("ri", "probit", "cbind(succ, fail) ~ xc + ladep + (1 | la)")
bin("ri", "cloglog", "cbind(succ, fail) ~ xc + ladep + (1 | la)")
bin("binary_ri", "logit", "y ~ xc + ladep + rural + (1 | la)", binary = TRUE, n_la = 30, per_la = 40, sd0 = 0.5)
bin("tiny_groups", "logit", "cbind(succ, fail) ~ xc + (1 | msoa)", msoa_size = 1.5, n_la = 12, per_la = 30,
    sd_msoa = 0.5, mean_trials = 4)
bin("groups200", "logit", "cbind(succ, fail) ~ xc + ladep + (1 | la)", n_la = 200, per_la = 6, min_per_la = 4,
    mean_trials = 8)
bin("rare", "logit", "cbind(succ, fail) ~ xc + ladep + (1 | la)", p0 = 0.015, mean_trials = 20)

# Zero inflation.
zi <- function(model, family, formula, ziformula, ...) {
  seed <<- seed + 1
  add("zi", model, family, seed, formula, ziformula = ziformula, ...)
}
zi("ri_zi1", "poisson", paste("count ~ xc + ladep +", off, "+ (1 | la)"), "~1", zi_true = c(-1, 0))
zi("ri_zix", "nbinom1", paste("count ~ xc + ladep +", off, "+ (1 | la)"), "~xc", zi_true = c(-1, -0.7))
zi("rs_zix", "nbinom2", paste("count ~ xc * ladep +", off, "+ (1 + xc | la)"), "~xc", zi_true = c(-0.8, -0.5), sd1 = 0.25)
zi("nested_zi1", "nbinom2", paste("count ~ xc + ladep +", off, "+ (1 | la/msoa)"), "~1", zi_true = c(-1.5, 0))
# No zero inflation in the data: the zero-inflation probability goes to 0 (logit to -infinity).
zi("none_zi1", "nbinom2", paste("count ~ xc + ladep +", off, "+ (1 | la)"), "~1", zi_true = NULL)

# Crossed factors.
cr <- function(model, family, formula, ...) {
  seed <<- seed + 1
  add("crossed", model, family, seed, formula, ...)
}
cr("la_year", "poisson", paste("count ~ xc + ladep +", off, "+ (1 | la) + (1 | year)"), years = 5, sd_year = 0.15,
   n_la = 15, per_la = 15)
cr("la_msoa_year", "nbinom2", paste("count ~ xc + ladep +", off, "+ (1 | la) + (1 | msoa) + (1 | year)"), years = 4,
   sd_year = 0.1, n_la = 12, per_la = 20)
cr("slope_year", "nbinom1", paste("count ~ xc + ladep +", off, "+ (1 + xc | la) + (1 | year)"), years = 6,
   sd_year = 0.12, n_la = 15, per_la = 12, sd1 = 0.2)

# ------------------------------------------------------------------------------------------------
# Fits
# ------------------------------------------------------------------------------------------------
scale_terms <- function(formula, d) {
  vars <- regmatches(formula, gregexpr("scale\\(([A-Za-z0-9_.]+)\\)", formula))[[1]]
  lapply(unique(vars), function(term) {
    v <- d[[sub("^scale\\((.*)\\)$", "\\1", term)]]
    sc <- scale(v)
    list(term = term, center = attr(sc, "scaled:center"), scale = attr(sc, "scaled:scale"),
         rows_used = sum(!is.na(v)))
  })
}

# The SD = 0 boundary of a trap problem: the NB1 GLM without the random effect, a coarse profile of
# the log-likelihood over the SD (glmmTMB with theta held at log sd by `map`), whether the boundary is
# a local maximum (the profile dips below the GLM at a small SD), and glmmTMB's own fit started at
# SD = 0.05, which stops at the boundary where it is one.
boundary_record <- function(p, d) {
  glm_formula <- "count ~ x + offset(log(pop/10000))"
  g <- run_glmmTMB(glm_formula, d, "nbinom1")
  sds <- c(0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 15)
  prof <- lapply(sds, function(s) {
    r <- run_glmmTMB(p$formula, d, "nbinom1", start = list(theta = log(s)), map = list(theta = factor(NA)))
    list(sd = s, loglik = -r$fit$fit$objective)
  })
  glm_ll <- -g$fit$fit$objective
  near <- run_glmmTMB(p$formula, d, "nbinom1", start = list(theta = log(0.05)))
  list(glm_formula = glm_formula, glm_loglik = glm_ll,
       glm_fixed = fixed_table(g$fit, "cond"), glm_dispersion = sigma(g$fit), profile = prof,
       local_max = any(vapply(prof, function(r) r$sd <= 0.5 && r$loglik < glm_ll - 1e-6, TRUE)),
       from_small_sd = list(sd = exp(unname(near$fit$fit$par[names(near$fit$fit$par) == "theta"])),
                            loglik = -near$fit$fit$objective, code = near$fit$fit$convergence,
                            pd_hess = isTRUE(near$fit$sdr$pdHess)))
}

index <- list()
for (p in problems) {
  id <- sprintf("hard_%s_%s_%s_%d", p$regime, p$model,
                if (p$family == "binomial") paste0("binomial_", p$link) else p$family, p$seed)
  d <- simulate(p)
  drawn <- attr(d, "drawn")
  file <- paste0(id, ".csv")
  na <- if (is.null(p$missing)) "" else p$missing$na
  write_data(d, file.path(data_dir, file), na = na)
  d <- read_data(file.path(data_dir, file))
  zif <- if (is.null(p$ziformula)) NULL else as.formula(p$ziformula)
  run <- if (is.null(zif)) run_glmmTMB(p$formula, d, p$family, link = p$link) else
    run_glmmTMB(p$formula, d, p$family, link = p$link, ziformula = zif)
  truth <- if (isTRUE(p$trap)) c(list(regime = p$regime, seed = p$seed, groups = p$groups), drawn) else
    p[intersect(names(p), c("regime", "seed", "n_la", "per_la", "msoa_size", "rate", "p0", "mean_trials", "disp",
                            "pop_lo", "pop_hi", "sd0", "sd1", "cor", "sd_msoa", "years", "sd_year"))]
  if (p$family == "binomial") truth$disp <- NULL
  if (!is.null(p[["zi_true"]])) truth$zi <- I(p$zi_true)
  if (!is.null(p$missing)) truth$missing <- list(columns = I(p$missing$columns), fraction = p$missing$fraction,
                                                 written_as = p$missing$na)
  rec <- c(list(id = id, data = file.path("hard", "data", file), formula = p$formula,
                ziformula = if (is.null(p$ziformula)) NA else p$ziformula,
                family = p$family, link = p$link, variables = formula_variables(p$formula, p$ziformula),
                regime = p$regime, truth = truth, rows = nrow(d),
                rows_dropped = rows_dropped(p$formula, d, p$ziformula),
                zero_fraction = if (!is.null(d$count)) mean(d$count == 0, na.rm = TRUE) else NA,
                scale_terms = scale_terms(p$formula, d), versions = versions),
           fit_record(run, p$family, modes = FALSE))
  if (p$regime == "trap") {
    rec$boundary <- boundary_record(p, d)
    rec$boundary$gap <- rec$loglik - rec$boundary$glm_loglik
  }
  stopifnot(rec$nobs == rec$rows - rec$rows_dropped)
  write_json(rec, file.path(golden_dir, paste0(id, ".json")))
  index[[length(index) + 1]] <- id
  sds <- unlist(lapply(rec$random, function(r) r$sd))
  cat(sprintf("%-46s rows %5d used %5d zeros %4.2f logLik %12.4f code %d pdHess %-5s step %8.2g sd %s%s\n",
              id, nrow(d), rec$nobs, rec$zero_fraction, -run$fit$fit$objective, run$fit$fit$convergence,
              run$fit$sdr$pdHess, rec$convergence$newton_step_se, paste(sprintf("%.3g", sds), collapse = ","),
              if (p$regime == "trap") sprintf(" gap %.3f", rec$boundary$gap) else ""))
  flush(stdout())
}
write_json(list(versions = versions, problems = I(unlist(index))), file.path(golden_dir, "index.json"))
