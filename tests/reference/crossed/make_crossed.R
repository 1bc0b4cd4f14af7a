# Reference fits of crossed random effects with glmmTMB: the real LA-by-year panel of children's
# social care figures (151 LAs x 13 years) with `(1 | la_code) + (1 | year)`, a simulated
# neighbourhood panel with `(1 | la) + (1 | msoa) + (1 | year)`, three crossed factors, and crossed
# effects with a random slope.
#
# Run from the repository root:   Rscript tests/reference/crossed/make_crossed.R
# Reads data/england_la_csc_rates.csv and data/england_upper_tier_las.csv; writes
# tests/reference/crossed/data/NAME.csv and golden/ID.json plus golden/index.json (see
# ../README.md, "Crossed"). A rerun with the same package versions reproduces every file byte for
# byte.

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/crossed"
})
source(file.path(script_dir, "..", "golden_lib.R"))
repo_dir <- normalizePath(file.path(script_dir, "..", "..", ".."))
data_dir <- file.path(script_dir, "data")
golden_dir <- file.path(script_dir, "golden")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(golden_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(golden_dir, pattern = "\\.json$", full.names = TRUE))
versions <- golden_versions()

# ------------------------------------------------------------------------------------------------
# 1. The real panel: every row of data/england_la_csc_rates.csv (151 LAs x 2013-2025, blank where
# DfE has no figure) with the LA's IMD 2019 average score and population-weighted rural share from
# data/england_upper_tier_las.csv, and year_c = (year - 2019) / 10.
# ------------------------------------------------------------------------------------------------
panel <- local({
  csc <- read.csv(file.path(repo_dir, "data", "england_la_csc_rates.csv"), stringsAsFactors = FALSE)
  las <- read.csv(file.path(repo_dir, "data", "england_upper_tier_las.csv"), stringsAsFactors = FALSE)
  m <- match(csc$la_code, las$la_code)
  stopifnot(!anyNA(m))
  data.frame(la_code = csc$la_code, year = csc$year, year_c = (csc$year - 2019) / 10,
             children_0_17 = csc$children_0_17, referrals = csc$referrals, cpp_starts = csc$cpp_starts,
             cla_at31 = csc$cla_at31, imd2019 = las$imd2019_avg_score[m],
             rural_share = las$rural_share_pop[m], stringsAsFactors = FALSE)
})
write_data(panel, file.path(data_dir, "la_panel.csv"))

# ------------------------------------------------------------------------------------------------
# 2. A simulated neighbourhood panel: 12 LAs of about 25 LSOAs (MSOAs of about 5 LSOAs, codes unique
# across the file) observed in 6 years (2019-2024). LSOA: imd_z ~ N(0, 1), pop = round(100 + 700
# Beta(2, 3.5)) (fixed over the years).
#   log mu = log(0.004) + 0.35 imd_z + (a0_la + a1_la imd_z) + v_msoa + w_lsoa + c_year + log(pop),
#   SDs: LA intercept 0.3, LA slope 0.1 (correlation 0.3), MSOA 0.2, LSOA 0.15, year 0.1;
#   count ~ NB2(size 8, mu).
# ------------------------------------------------------------------------------------------------
simulate_panel <- function(seed) {
  set.seed(seed)
  n_la <- 12
  size <- pmax(10, round(25 * exp(rnorm(n_la, 0, 0.3))))
  la <- rep(seq_len(n_la), size)
  n <- length(la)
  imd_z <- round(rnorm(n), 4)
  pop <- round(100 + 700 * rbeta(n, 2, 3.5))
  msoa_local <- unlist(lapply(size, function(k) sort(rep_len(seq_len(max(1, round(k / 5))), k))))
  msoa <- as.integer(factor(paste(la, msoa_local), levels = unique(paste(la, msoa_local))))
  z0 <- rnorm(n_la); z1 <- rnorm(n_la)
  a0 <- 0.3 * z0
  a1 <- 0.1 * (0.3 * z0 + sqrt(1 - 0.3^2) * z1)
  v <- rnorm(max(msoa), 0, 0.2)
  w <- rnorm(n, 0, 0.15)
  years <- 2019:2024
  cy <- rnorm(length(years), 0, 0.1)
  rows <- rep(seq_len(n), times = length(years))
  yi <- rep(seq_along(years), each = n)
  mu <- exp(log(0.004) + 0.35 * imd_z[rows] + a0[la[rows]] + a1[la[rows]] * imd_z[rows] + v[msoa[rows]] +
              w[rows] + cy[yi] + log(pop[rows]))
  count <- rnbinom(length(mu), size = 8, mu = mu)
  data.frame(lsoa = sprintf("L%04d", rows), la = sprintf("LA%02d", la[rows]), msoa = sprintf("M%03d", msoa[rows]),
             year = years[yi], imd_z = imd_z[rows], pop = pop[rows], count = count, stringsAsFactors = FALSE)
}
write_data(simulate_panel(17201), file.path(data_dir, "neighbourhood_panel.csv"))

# ------------------------------------------------------------------------------------------------
# 3. Three crossed factors: children looked after by LA x year x age band (5 bands), 40 LAs x 8 years
# (2017-2024). pop = children in the band, round(exp(N(log(4000), 0.5))) scaled by the band's width.
#   log mu = log(0.006) + 0.25 ladep + a_la + c_year + g_age + h_la:year + log(pop),
#   SDs: LA 0.3, year 0.08, age 0.5, LA:year 0.05; count ~ NB2(size 30, mu).
# ------------------------------------------------------------------------------------------------
simulate_age <- function(seed) {
  set.seed(seed)
  n_la <- 40
  years <- 2017:2024
  ages <- c("under1", "1-4", "5-9", "10-15", "16-17")
  width <- c(1, 4, 5, 6, 2)
  base <- round(exp(rnorm(n_la, log(4000), 0.5)))
  ladep <- round(rnorm(n_la), 4)
  a <- rnorm(n_la, 0, 0.3)
  cy <- rnorm(length(years), 0, 0.08)
  g <- rnorm(length(ages), 0, 0.5)
  h <- matrix(rnorm(n_la * length(years), 0, 0.05), n_la)
  grid <- expand.grid(age = seq_along(ages), year = seq_along(years), la = seq_len(n_la))
  pop <- round(base[grid$la] * width[grid$age] * exp(rnorm(nrow(grid), 0, 0.05)))
  mu <- exp(log(0.006) + 0.25 * ladep[grid$la] + a[grid$la] + cy[grid$year] + g[grid$age] +
              h[cbind(grid$la, grid$year)] + log(pop))
  count <- rnbinom(nrow(grid), size = 30, mu = mu)
  data.frame(la = sprintf("LA%02d", grid$la), year = years[grid$year], age = ages[grid$age],
             ladep = ladep[grid$la], pop = pop, count = count, stringsAsFactors = FALSE)
}
write_data(simulate_age(17202), file.path(data_dir, "la_year_age.csv"))

fits <- list(
  list("la_panel", "cla", "cla_at31 ~ scale(imd2019) + offset(log(children_0_17)) + (1 | la_code) + (1 | year)", "nbinom2"),
  list("la_panel", "cla", "cla_at31 ~ scale(imd2019) + offset(log(children_0_17)) + (1 | la_code) + (1 | year)", "poisson"),
  list("la_panel", "cla", "cla_at31 ~ scale(imd2019) + offset(log(children_0_17)) + (1 | la_code) + (1 | year)", "nbinom1"),
  list("la_panel", "referrals", "referrals ~ scale(imd2019) + rural_share + offset(log(children_0_17)) + (1 | la_code) + (1 | year)", "nbinom2"),
  list("la_panel", "cpp_starts", "cpp_starts ~ scale(imd2019) + offset(log(children_0_17)) + (1 | la_code) + (1 | year)", "nbinom2"),
  list("la_panel", "cla_slope", "cla_at31 ~ scale(imd2019) * year_c + offset(log(children_0_17)) + (1 + year_c | la_code) + (1 | year)", "nbinom2"),
  list("neighbourhood_panel", "la_msoa_year", "count ~ imd_z + offset(log(pop)) + (1 | la) + (1 | msoa) + (1 | year)", "poisson"),
  list("neighbourhood_panel", "la_msoa_year", "count ~ imd_z + offset(log(pop)) + (1 | la) + (1 | msoa) + (1 | year)", "nbinom2"),
  list("neighbourhood_panel", "la_msoa_year", "count ~ imd_z + offset(log(pop)) + (1 | la) + (1 | msoa) + (1 | year)", "nbinom1"),
  list("neighbourhood_panel", "lsoa_year", "count ~ imd_z + offset(log(pop)) + (1 | lsoa) + (1 | year)", "poisson"),
  list("neighbourhood_panel", "la_lsoa_year", "count ~ imd_z + offset(log(pop)) + (1 | la) + (1 | msoa) + (1 | lsoa) + (1 | year)", "poisson"),
  list("neighbourhood_panel", "slope_year", "count ~ imd_z + offset(log(pop)) + (1 + imd_z | la) + (1 | year)", "nbinom2"),
  list("neighbourhood_panel", "slope_msoa_year", "count ~ imd_z + offset(log(pop)) + (1 + imd_z | la) + (1 | msoa) + (1 | year)", "nbinom2"),
  list("la_year_age", "three", "count ~ ladep + offset(log(pop)) + (1 | la) + (1 | year) + (1 | age)", "poisson"),
  list("la_year_age", "three", "count ~ ladep + offset(log(pop)) + (1 | la) + (1 | year) + (1 | age)", "nbinom2"),
  list("la_year_age", "three_layear", "count ~ ladep + offset(log(pop)) + (1 | la) + (1 | year) + (1 | age) + (1 | la:year)", "nbinom2")
)

truths <- list(
  la_panel = list(source = "data/england_la_csc_rates.csv joined to data/england_upper_tier_las.csv"),
  neighbourhood_panel = list(seed = 17201, n_la = 12, years = I(2019:2024), rate = 0.004, beta_imd = 0.35,
                             sd_la = 0.3, sd_la_slope = 0.1, cor_la = 0.3, sd_msoa = 0.2, sd_lsoa = 0.15,
                             sd_year = 0.1, family = "nbinom2", disp = 8),
  la_year_age = list(seed = 17202, n_la = 40, years = I(2017:2024), rate = 0.006, beta_ladep = 0.25,
                     sd_la = 0.3, sd_year = 0.08, sd_age = 0.5, sd_la_year = 0.05, family = "nbinom2", disp = 30)
)

# The centre and scale R used for each scale(x) of a formula: over every row of the file where x is
# present, before rows with other missing values are dropped.
scale_terms <- function(formula, d) {
  vars <- regmatches(formula, gregexpr("scale\\(([A-Za-z0-9_.]+)\\)", formula))[[1]]
  lapply(unique(vars), function(term) {
    v <- d[[sub("^scale\\((.*)\\)$", "\\1", term)]]
    sc <- scale(v)
    list(term = term, center = attr(sc, "scaled:center"), scale = attr(sc, "scaled:scale"),
         rows_used = sum(!is.na(v)))
  })
}

index <- list()
for (f in fits) {
  names(f) <- c("data", "model", "formula", "family")
  id <- paste(f$data, f$model, f$family, sep = ".")
  d <- read_data(file.path(data_dir, paste0(f$data, ".csv")))
  run <- run_glmmTMB(f$formula, d, f$family)
  rec <- c(list(id = id, data = file.path("data", paste0(f$data, ".csv")), formula = f$formula,
                family = f$family, link = "log", variables = formula_variables(f$formula),
                truth = truths[[f$data]], rows = nrow(d),
                rows_dropped = rows_dropped(f$formula, d), scale_terms = scale_terms(f$formula, d),
                versions = versions),
           fit_record(run, f$family))
  stopifnot(rec$nobs == rec$rows - rec$rows_dropped)
  write_json(rec, file.path(golden_dir, paste0(id, ".json")))
  index[[length(index) + 1]] <- id
  cat(sprintf("%-44s rows %5d used %5d logLik %12.4f code %d pdHess %-5s step %.2g %5.1f s\n", id, nrow(d),
              rec$nobs, rec$loglik, rec$convergence$code, rec$convergence$pd_hess,
              rec$convergence$newton_step_se, run$elapsed))
}
write_json(list(versions = versions, fits = I(unlist(index))), file.path(golden_dir, "index.json"))
