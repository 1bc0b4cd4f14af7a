# Reference fits of a spatially correlated random effect (a Gaussian field with exponential
# correlation over neighbourhood centroids, as Webb et al. 2020) with glmmTMB, on real LSOA
# population-weighted centroids and simulated counts.
#
# Run from the repository root:
#   Rscript tests/reference/spatial/make_spatial.R                  # every data set and fit
#   Rscript tests/reference/spatial/make_spatial.R bristol cornwall # only these data sets' fits
# Reads data/england_lsoa11.csv and data/england_lsoa11_centroids.csv; writes
# tests/reference/spatial/data/NAME.csv and golden/ID.json for the data sets fitted (each in its own
# R process), golden/index.json, and merges the run times into timings.json (see ../README.md,
# "Spatial").
#
# The model, as glmmTMB writes it:
#   count ~ imd_z + offset(log(pop)) + exp(pos + 0 | one)    [+ (1 | msoa), (1 | la), ...]
# where the script adds two columns that are not in the CSV:
#   one <- factor(rep(1, nrow(d)))            one field over all rows;
#   pos <- numFactor(d$easting, d$northing)   a factor whose levels are "(easting,northing)",
#                                             as.character() of each coordinate, sorted by
#                                             northing then easting; rows with the same
#                                             coordinates share a level (one field value).
# glmmTMB parses the levels back to numbers, takes the Euclidean distances d_ij between them
# (metres here) and models the field as u ~ N(0, sd^2 R), R_ij = exp(-d_ij / range), with
# theta = (log sd, log range) (glmmTMB.cpp: sd = exp(theta(0)),
# corr(i,j) = exp(-dist(i,j) * exp(-theta(1)))). random_record() in ../golden_lib.R checks this
# against VarCorr() for every fit.
#
# Starting values: glmmTMB's default theta = 0 means range = 1 m, at which every correlation between
# distinct centroids is exp(-hundreds) = 0 and the gradient in log range is 0: the optimiser never
# leaves it (an iid field). Every fit therefore starts the field at log sd = 0 and
# log range = log(median distance between distinct locations); fits of the field alone with up to 200
# locations are also started at a fifth of that range and the better optimum is kept (both are in
# `starts`).
#
# Intervals: Wald intervals of log sd and log range for every fit; glmmTMB's profile intervals
# (confint(method = "profile")) for the field-alone fit in the data set's generating family where it
# has at most 330 locations; and likelihood-ratio limits found by root finding on refits
# (profile_lr_field) for those with at most 130 locations.

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/spatial"
})
source(file.path(script_dir, "..", "golden_lib.R"))
repo_dir <- normalizePath(file.path(script_dir, "..", "..", ".."))
data_dir <- file.path(script_dir, "data")
golden_dir <- file.path(script_dir, "golden")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(golden_dir, showWarnings = FALSE, recursive = TRUE)
versions <- golden_versions()

# ------------------------------------------------------------------------------------------------
# Data sets. Rows: every LSOA of the listed LAs (or the `nearest` LSOAs to a point), sorted by code,
# with their real LA, MSOA, IMD 2019 score, rural flag, children aged 0-15 (mid-2015, IoD2019) and
# population-weighted centroid. `years` > 1 repeats every LSOA once per year (rows that share
# coordinates). Counts:
#   log mu = log(rate) + beta * imd_z [+ year effect] + u(s) + a_la + v_msoa + log(pop),
#   u ~ N(0, sd^2 exp(-D / range)) over the distinct centroids (D in metres),
#   a_la ~ N(0, sd_la^2), v_msoa ~ N(0, sd_msoa^2);
#   poisson y ~ Pois(mu); nbinom2 y ~ NB(size = disp, mu); nbinom1 y ~ NB(size = mu / disp, mu).
# imd_z is the IMD score standardised over all LSOAs of its LA (n - 1 divisor; for the `nearest` sets
# too, whose LAs are only partly in the file), rounded to 4 decimals.
# ------------------------------------------------------------------------------------------------
datasets <- list(
  list(name = "blackpool", las = "E06000009", seed = 16001, family = "nbinom2", disp = 10,
       rate = 0.08, beta = 0.35, sd = 0.45, range = 2500, sd_la = 0, sd_msoa = 0.15,
       extra = "(1 | msoa)"),
  list(name = "herefordshire", las = "E06000019", seed = 16002, family = "nbinom1", disp = 2,
       rate = 0.06, beta = 0.3, sd = 0.4, range = 12000, sd_la = 0, sd_msoa = 0.15,
       extra = "(1 | msoa)"),
  list(name = "stockton", las = "E06000004", seed = 16003, family = "nbinom2", disp = 5,
       rate = 0.02, beta = 0.45, sd = 0.5, range = 3000, sd_la = 0, sd_msoa = 0.2,
       extra = "(1 | msoa)"),
  list(name = "teesside", las = c("E06000002", "E06000003"), seed = 16004, family = "nbinom2", disp = 8,
       rate = 0.07, beta = 0.3, sd = 0.4, range = 3000, sd_la = 0.25, sd_msoa = 0,
       extra = "(1 | la)"),
  list(name = "blackburn_2yr", las = "E06000008", seed = 16005, family = "nbinom2", disp = 10, years = 2,
       rate = 0.05, beta = 0.35, sd = 0.45, range = 2500, sd_la = 0, sd_msoa = 0.15, year_effect = 0.1,
       covariates = "imd_z + factor(year)", extra = "(1 | msoa)"),
  list(name = "teesvalley", las = c("E06000001", "E06000005", "E06000004"), seed = 16006, family = "nbinom1",
       disp = 1.5, rate = 0.04, beta = 0.4, sd = 0.45, range = 4000, sd_la = 0.25, sd_msoa = 0,
       extra = "(1 | la)"),
  list(name = "bristol", las = "E06000023", seed = 16007, family = "nbinom2", disp = 12,
       rate = 0.08, beta = 0.3, sd = 0.35, range = 2000, sd_la = 0, sd_msoa = 0.15,
       extra = "(1 | msoa)"),
  list(name = "tyneside", las = c("E08000021", "E08000037"), seed = 16008, family = "poisson", disp = NA,
       rate = 0.03, beta = 0.35, sd = 0.4, range = 3000, sd_la = 0.15, sd_msoa = 0.2,
       extra = "(1 | la) + (1 | la:msoa)"),
  list(name = "cornwall", las = "E06000052", seed = 16009, family = "nbinom2", disp = 6,
       rate = 0.04, beta = 0.3, sd = 0.4, range = 15000, sd_la = 0, sd_msoa = 0.15,
       extra = "(1 | msoa)"),
  list(name = "merseyside", las = c("E08000012", "E08000011", "E08000014"), seed = 16010, family = "nbinom2",
       disp = 10, rate = 0.06, beta = 0.35, sd = 0.4, range = 3000, sd_la = 0.2, sd_msoa = 0.1,
       extra = "(1 | la)", extra_families = "nbinom2"),
  # The speed comparison: the 1,000 and 2,000 LSOAs nearest to central Manchester (St Peter's
  # Square, 383850 E, 398150 N), all or part of several adjacent Greater Manchester LAs.
  list(name = "manchester_1000", nearest = 1000, centre = c(383850, 398150), seed = 16011,
       family = "nbinom2", disp = 10, rate = 0.06, beta = 0.35, sd = 0.4, range = 3000, sd_la = 0,
       sd_msoa = 0, families = c("nbinom2", "poisson"), extra = NULL, big = TRUE),
  list(name = "manchester_2000", nearest = 2000, centre = c(383850, 398150), seed = 16012,
       family = "nbinom2", disp = 10, rate = 0.06, beta = 0.35, sd = 0.4, range = 3000, sd_la = 0,
       sd_msoa = 0, families = "nbinom2", extra = NULL, big = TRUE, time_limit = 1800)
)

lsoa_table <- local({
  lsoa <- read.csv(file.path(repo_dir, "data", "england_lsoa11.csv"), stringsAsFactors = FALSE)
  cen <- read.csv(file.path(repo_dir, "data", "england_lsoa11_centroids.csv"), stringsAsFactors = FALSE)
  d <- merge(lsoa, cen, by = "lsoa11_code")
  d <- d[order(d$lsoa11_code), ]
  d$imd_z <- round(ave(d$imd2019_score, d$la_code, FUN = function(v) (v - mean(v)) / sd(v)), 4)
  d
})

simulate <- function(s) {
  if (!is.null(s$nearest)) {
    dist0 <- sqrt((lsoa_table$easting - s$centre[1])^2 + (lsoa_table$northing - s$centre[2])^2)
    keep <- order(dist0, lsoa_table$lsoa11_code)[seq_len(s$nearest)]
    base <- lsoa_table[sort(keep), ]
  } else {
    base <- lsoa_table[lsoa_table$la_code %in% s$las, ]
  }
  base <- base[order(base$lsoa11_code), ]
  n_loc <- nrow(base)
  imd_z <- base$imd_z
  set.seed(s$seed)
  D <- as.matrix(dist(cbind(base$easting, base$northing)))
  u <- drop(crossprod(chol(s$sd^2 * exp(-D / s$range)), rnorm(n_loc)))
  las <- sort(unique(base$la_code))
  a <- setNames(rnorm(length(las), 0, s$sd_la), las)
  msoas <- sort(unique(base$msoa11_code))
  v <- setNames(rnorm(length(msoas), 0, s$sd_msoa), msoas)
  years <- if (is.null(s$years)) 1 else s$years
  rows <- rep(seq_len(n_loc), times = years)
  year <- rep(2019 + seq_len(years) - 1, each = n_loc)
  year_eff <- if (is.null(s$year_effect)) 0 else s$year_effect * (year - 2019)
  eta <- log(s$rate) + s$beta * imd_z[rows] + year_eff + u[rows] + a[base$la_code[rows]] +
    v[base$msoa11_code[rows]] + log(base$children_0_15_mid2015[rows])
  mu <- exp(unname(eta))
  count <- switch(s$family,
    poisson = rpois(length(mu), mu),
    nbinom2 = rnbinom(length(mu), size = s$disp, mu = mu),
    nbinom1 = rnbinom(length(mu), size = mu / s$disp, mu = mu))
  d <- data.frame(lsoa = base$lsoa11_code[rows], la = base$la_code[rows], msoa = base$msoa11_code[rows],
                  imd = base$imd2019_score[rows], imd_z = imd_z[rows], rural = base$rural[rows],
                  pop = base$children_0_15_mid2015[rows], easting = base$easting[rows],
                  northing = base$northing[rows], count = count, stringsAsFactors = FALSE)
  if (years > 1) d <- data.frame(d[, 1:3], year = year, d[, -(1:3)])
  d
}

# ------------------------------------------------------------------------------------------------
# Fits
# ------------------------------------------------------------------------------------------------
field_term <- "exp(pos + 0 | one)"

add_field_columns <- function(d) {
  d$one <- factor(rep(1, nrow(d)))
  d$pos <- numFactor(d$easting, d$northing)
  d
}

# The start of theta: 0 for every term except the field, which gets (0, log_range0).
theta_start <- function(formula, d, family, log_range0) {
  s <- glmmTMB(as.formula(formula), data = d, family = family_object(family), doFit = FALSE)
  theta <- s$parameters$theta
  rs <- s$condReStruc
  ntheta <- vapply(rs, function(r) as.integer(r$blockNumTheta), 0L)
  ends <- cumsum(ntheta)
  for (k in seq_along(rs)) {
    if (names(rs[[k]]$blockCode) == "exp") theta[ends[k]] <- log_range0
  }
  theta
}

# The field's conditional modes and SDs per distinct location, with the LSOA at each.
field_modes <- function(fit, d) {
  re <- ranef(fit, condVar = TRUE)$cond$one
  levels_pos <- sub("^pos", "", colnames(re))
  cv <- attr(re, "condVar")[, , 1]
  key <- paste0("(", as.character(d$easting), ",", as.character(d$northing), ")")
  at <- match(levels_pos, key)
  stopifnot(!anyNA(at), identical(levels_pos, levels(d$pos)))
  list(group = "one", levels = I(levels_pos), lsoa = I(d$lsoa[at]), easting = I(d$easting[at]),
       northing = I(d$northing[at]), mode = I(unname(unlist(re[1, ]))), sd = I(sqrt(diag(cv))))
}

# glmmTMB's profile intervals of the field's log sd and log range: confint(method = "profile")
# (TMB's tmbprofile, limits read off an interpolating spline). It stops with an error on some fits
# (the error is kept, with null limits).
field_theta_pos <- function(fit) {
  terms <- re_terms(fit)
  k <- which(vapply(terms, function(t) t$covariance == "exp", TRUE))
  which(names(fit$fit$par) == "theta")[terms[[k]]$theta_index]
}

profile_field <- function(fit) {
  theta_pos <- field_theta_pos(fit)
  out <- list()
  for (j in 1:2) {
    name <- c("log_sd", "log_range")[j]
    t0 <- proc.time()
    ci <- tryCatch(suppressWarnings(confint(fit, method = "profile", parm = theta_pos[j])),
                   error = function(e) conditionMessage(e))
    el <- unname((proc.time() - t0)[["elapsed"]])
    out[[name]] <- if (is.character(ci)) {
      list(parameter = name, par_index = theta_pos[j], lower = NA, upper = NA, error = ci, elapsed = el)
    } else {
      list(parameter = name, par_index = theta_pos[j], lower = ci[1, 1], upper = ci[1, 2],
           lower_natural = exp(ci[1, 1]), upper_natural = exp(ci[1, 2]), error = NA, elapsed = el)
    }
  }
  out
}

# Likelihood-ratio limits of the field's log sd and log range found directly: the parameter is held
# at v (glmmTMB `map`, every other parameter re-estimated from the optimum) and v solves
# 2 (objective(v) - objective_min) = qchisq(0.95, 1) by uniroot (tol 1e-5), bracketed by stepping
# out from the estimate by max(SE, 0.25) at a time up to 6 log units; a side that does not reach
# the critical value within that is null (no limit: the profile stays within it).
profile_lr_field <- function(run, formula, d, family) {
  fit <- run$fit
  par <- fit$fit$par
  theta_hat <- unname(par[names(par) == "theta"])
  theta_pos <- field_theta_pos(fit) - min(which(names(par) == "theta")) + 1
  se_all <- if (isTRUE(fit$sdr$pdHess)) sqrt(diag(fit$sdr$cov.fixed)) else rep(NA, length(par))
  obj_min <- fit$fit$objective
  crit <- qchisq(0.95, 1) / 2
  out <- list()
  for (j in 1:2) {
    name <- c("log_sd", "log_range")[j]
    at <- theta_pos[j]
    est <- theta_hat[at]
    evals <- 0
    g <- function(v) {
      th <- theta_hat
      th[at] <- v
      start <- list(beta = unname(par[names(par) == "beta"]), theta = th)
      if (any(names(par) == "betad")) start$betad <- unname(par[names(par) == "betad"])
      mp <- factor(ifelse(seq_along(th) == at, NA, seq_along(th)))
      r <- run_glmmTMB(formula, d, family, start = start, map = list(theta = mp))
      evals <<- evals + 1
      r$fit$fit$objective - obj_min - crit
    }
    se <- se_all[which(names(par) == "theta")[at]]
    step <- if (is.na(se)) 0.5 else max(se, 0.25)
    t0 <- proc.time()
    limits <- c(NA, NA)
    errors <- c(NA, NA)
    for (side in 1:2) {
      dir <- c(-1, 1)[side]
      prev <- est; fprev <- -crit
      res <- tryCatch({
        found <- NA
        for (i in 1:100) {
          v <- est + dir * step * i
          if (abs(v - est) > 6) break
          fv <- g(v)
          if (fv > 0) {
            found <- uniroot(g, sort(c(prev, v)), f.lower = if (dir < 0) fv else fprev,
                             f.upper = if (dir < 0) fprev else fv, tol = 1e-5)$root
            break
          }
          prev <- v; fprev <- fv
        }
        found
      }, error = function(e) { errors[side] <<- conditionMessage(e); NA })
      limits[side] <- res
    }
    out[[name]] <- list(parameter = name, estimate = est, lower = limits[1], upper = limits[2],
                        lower_natural = exp(limits[1]), upper_natural = exp(limits[2]),
                        errors = I(errors), refits = evals,
                        elapsed = unname((proc.time() - t0)[["elapsed"]]))
  }
  out
}

# What one evaluation of glmmTMB's objective costs on a big data set (for the speed comparison
# when the fit itself is too slow): seconds to tape the model (MakeADFun), then for one value
# (inner Laplace mode finding from zero) and one gradient at the start.
time_evaluation <- function(formula, d, family, theta0) {
  s <- glmmTMB(as.formula(formula), data = d, family = family_object(family), doFit = FALSE,
               start = list(theta = theta0))
  tape <- system.time(obj <- with(s, TMB::MakeADFun(data.tmb, parameters, map = mapArg, random = randomArg,
                                                  profile = NULL, silent = TRUE, DLL = "glmmTMB")))
  fn <- system.time(obj$fn(obj$par))
  gr <- system.time(obj$gr(obj$par))
  list(tape_elapsed = tape[["elapsed"]], fn_elapsed = fn[["elapsed"]], gr_elapsed = gr[["elapsed"]])
}

formula_of <- function(s, model) {
  cov <- if (is.null(s$covariates)) "imd_z" else s$covariates
  f <- paste0("count ~ ", cov, " + offset(log(pop)) + ", field_term)
  if (model == "field") f else paste(f, "+", s$extra)
}

model_name <- function(extra) {
  switch(extra, "(1 | msoa)" = "field_msoa", "(1 | la)" = "field_la",
         "(1 | la) + (1 | la:msoa)" = "field_la_lamsoa", stop("model name for ", extra))
}

# Run times go to timings.json, merged under a lock (a directory) so that two runs of this script at
# once (say the big data sets beside the small ones) keep each other's entries.
timings_file <- file.path(script_dir, "timings.json")
timings_lock <- file.path(script_dir, "timings.lock")
timings_new <- list()
save_timings <- function() {
  while (!dir.create(timings_lock, showWarnings = FALSE)) Sys.sleep(0.2)
  on.exit(unlink(timings_lock, recursive = TRUE))
  timings <- if (file.exists(timings_file)) jsonlite::fromJSON(timings_file, simplifyVector = FALSE) else list()
  timings$versions <- versions
  fits <- if (is.null(timings$fits)) list() else timings$fits
  fits[names(timings_new)] <- timings_new
  fits <- fits[order(names(fits))]
  timings$fits <- lapply(fits, function(f) f[!vapply(f, is.null, TRUE)])
  writeLines(jsonlite::toJSON(timings, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
             paste0(timings_file, ".tmp"))
  file.rename(paste0(timings_file, ".tmp"), timings_file)
}

# The fits of a data set: "NAME.MODEL.FAMILY".
fits_of <- function(s) {
  families <- if (is.null(s$families)) c("poisson", "nbinom1", "nbinom2") else s$families
  models <- if (is.null(s$extra)) "field" else c("field", model_name(s$extra))
  unlist(lapply(models, function(model) {
    fams <- if (model == "field" || is.null(s$extra_families)) families else s$extra_families
    paste(s$name, model, fams, sep = ".")
  }))
}

# Without arguments, or with several data set names: one R process per data set, in order (so that
# a data set's golden files never depend on what was fitted before it in the same process), then
# the index of every fit. With one name: that data set's fits, in this process.
only <- commandArgs(trailingOnly = TRUE)
all_names <- vapply(datasets, function(s) s$name, "")
if (length(only) != 1) {
  todo <- if (length(only) == 0) all_names else only
  stopifnot(all(todo %in% all_names))
  script_file <- sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE))
  for (name in todo) {
    status <- system2(file.path(R.home("bin"), "Rscript"), c(shQuote(script_file), name))
    if (status != 0) stop("the fits of ", name, " failed")
  }
  write_json(list(versions = versions, fits = I(unlist(lapply(datasets, fits_of)))),
             file.path(golden_dir, "index.json"))
  quit(save = "no")
}

s <- datasets[[match(only, all_names)]]
stopifnot(!is.null(s))
{
  d0 <- simulate(s)
  file <- paste0(s$name, ".csv")
  write_data(d0, file.path(data_dir, file))
  d <- add_field_columns(read_data(file.path(data_dir, file)))
  locs <- unique(cbind(d$easting, d$northing))
  D <- as.matrix(dist(locs))
  log_range0 <- log(median(D[upper.tri(D)]))
  for (id in fits_of(s)) {
    model <- strsplit(id, ".", fixed = TRUE)[[1]][2]
    family <- strsplit(id, ".", fixed = TRUE)[[1]][3]
    formula <- formula_of(s, model)
    starts <- list(log_range0)
    if (model == "field" && nrow(locs) <= 200) starts[[2]] <- log_range0 - log(5)
    runs <- lapply(starts, function(lr) {
      theta0 <- theta_start(formula, d, family, lr)
      if (!is.null(s$time_limit)) setTimeLimit(elapsed = s$time_limit, transient = TRUE)
      r <- tryCatch(run_glmmTMB(formula, d, family, start = list(theta = theta0)),
                    error = function(e) list(error = conditionMessage(e)))
      setTimeLimit(elapsed = Inf)
      r$theta0 <- theta0
      r
    })
    if (!is.null(runs[[1]]$error)) {
      cat(sprintf("%-40s not fitted: %s\n", id, runs[[1]]$error))
      flush(stdout())
      timings_new[[id]] <- list(rows = nrow(d), locations = nrow(locs), fitted = FALSE,
                                 error = runs[[1]]$error, time_limit = s$time_limit)
      if (isTRUE(s$big)) timings_new[[id]]$evaluation <- time_evaluation(formula, d, family, runs[[1]]$theta0)
      save_timings()
      write_json(list(id = id, data = file.path("data", file), formula = formula, family = family,
                      rows = nrow(d), locations = nrow(locs), fitted = FALSE, reason = runs[[1]]$error,
                      time_limit = s$time_limit, versions = versions),
                 file.path(golden_dir, paste0(id, ".json")))
      next
    }
    # The best of the starts that fitted; a negative binomial fit whose log dispersion went past
    # +-15 (the Poisson limit, where TMB's NB densities lose their precision and can return
    # absurd values) is only taken when no start gave anything else.
    objectives <- vapply(runs, function(r) if (is.null(r$error)) r$fit$fit$objective else NA_real_, 0)
    extreme <- vapply(runs, function(r) {
      if (!is.null(r$error)) return(TRUE)
      bd <- r$fit$fit$par[names(r$fit$fit$par) == "betad"]
      length(bd) == 1 && abs(bd) > 15
    }, TRUE)
    pool <- if (any(!extreme)) which(!extreme) else which(!is.na(objectives))
    best <- pool[which.min(objectives[pool])]
    run <- runs[[best]]
    fit <- run$fit
    rec <- c(
      list(id = id, data = file.path("data", file), formula = formula, family = family, link = "log",
           variables = I(c(setdiff(all.vars(as.formula(formula)), c("pos", "one")), "easting", "northing")),
           field = list(group = "one", x = "easting", y = "northing", units = "metres",
                        columns_added = "one <- factor(rep(1, nrow(d))); pos <- numFactor(easting, northing)",
                        distance_min = min(D[upper.tri(D)]), distance_median = median(D[upper.tri(D)]),
                        distance_max = max(D)),
           truth = modifyList(s[intersect(names(s), c("las", "nearest", "centre", "seed", "family", "disp", "rate", "beta",
                                            "sd", "range", "sd_la", "sd_msoa", "years", "year_effect"))],
                              list(las = if (is.null(s$las)) NULL else I(s$las))),
           rows = nrow(d), locations = nrow(locs), las = I(sort(unique(d$la))),
           zero_fraction = mean(d$count == 0), versions = versions,
           starts = lapply(seq_along(runs), function(i) {
             list(theta = I(runs[[i]]$theta0), objective = objectives[i], chosen = i == best,
                  error = if (is.null(runs[[i]]$error)) NA else runs[[i]]$error,
                  log_dispersion = if (is.null(runs[[i]]$error)) {
                    bd <- runs[[i]]$fit$fit$par[names(runs[[i]]$fit$fit$par) == "betad"]
                    if (length(bd) == 1) unname(bd) else NA
                  } else NA)
           })),
      fit_record(run, family))
    rec$field_modes <- field_modes(fit, d)
    do_profile <- model == "field" && family == s$family && nrow(locs) <= 330
    profile <- if (do_profile) profile_field(fit) else NULL
    if (do_profile) rec$profile <- lapply(profile, function(p) p[names(p) != "elapsed"])
    do_lr <- model == "field" && family == s$family && nrow(locs) <= 130
    profile_lr <- if (do_lr) profile_lr_field(run, formula, d, family) else NULL
    if (do_lr) rec$profile_lr <- lapply(profile_lr, function(p) p[names(p) != "elapsed"])
    write_json(rec, file.path(golden_dir, paste0(id, ".json")))
    field <- rec$random[[which(vapply(rec$random, function(r) identical(r$covariance, "exp"), TRUE))]]
    timings_new[[id]] <- list(rows = nrow(d), locations = nrow(locs), fitted = TRUE,
                               elapsed = run$elapsed, cpu = run$cpu,
                               elapsed_all_starts = sum(vapply(runs, function(r) if (is.null(r$error)) r$elapsed else NA, 0)),
                               profile_elapsed = if (do_profile) lapply(profile, function(p) p$elapsed) else NULL,
                               profile_lr_elapsed = if (do_lr) lapply(profile_lr, function(p) p$elapsed) else NULL,
                               evaluation = if (isTRUE(s$big)) time_evaluation(formula, d, family, run$theta0) else NULL,
                               evaluations = I(unname(fit$fit$evaluations)))
    save_timings()
    cat(sprintf("%-40s rows %4d logLik %11.4f sd %.4f range %9.1f code %d pdHess %-5s %6.1f s%s\n", id, nrow(d),
                -fit$fit$objective, field$sd, field$range, fit$fit$convergence, fit$sdr$pdHess, run$elapsed,
                if (length(runs) > 1) sprintf(" (starts: %s)", paste(sprintf("%.4f", -objectives), collapse = " ")) else ""))
    flush(stdout())
  }
}
