# Reference fits of zero-inflated Poisson, NB1 and NB2 models with glmmTMB: `ziformula = ~1` and
# `~ imd_z`, without and with an LA random intercept, on simulated neighbourhood counts with
# structural zeros.
#
# Run from the repository root:   Rscript tests/reference/zi/make_zi.R
# Writes tests/reference/zi/data/NAME.csv and golden/ID.json plus golden/index.json (see
# ../README.md, "Zero inflation"). A rerun with the same package versions reproduces every file
# byte for byte.

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/zi"
})
source(file.path(script_dir, "..", "golden_lib.R"))
data_dir <- file.path(script_dir, "data")
golden_dir <- file.path(script_dir, "golden")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(golden_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(golden_dir, pattern = "\\.json$", full.names = TRUE))
versions <- golden_versions()

# ------------------------------------------------------------------------------------------------
# Data: `n_la` LAs of about `per_la` LSOAs (MSOAs of about 5 LSOAs). LA: ladep ~ N(0, 1). LSOA:
# imd_z ~ N(0, 1), rural with probability plogis(-1 - 0.5 ladep), pop = round(100 + 700 Beta(2, 3.5)).
#   log mu = log(rate) + 0.4 imd_z - 0.1 ladep + u0_la + u1_la imd_z + log(pop / 10000),
#   u0 ~ N(0, sd0^2), u1 ~ N(0, sd1^2);
#   a structural zero with probability plogis(zi0 + zi_imd imd_z + zi_rural rural), otherwise
#   poisson Pois(mu), nbinom2 NB(size = disp, mu), nbinom1 NB(size = mu / disp, mu).
# ------------------------------------------------------------------------------------------------
simulate <- function(s) {
  set.seed(s$seed)
  size <- pmax(5, round(s$per_la * exp(rnorm(s$n_la, 0, 0.3))))
  la <- rep(seq_len(s$n_la), size)
  n <- length(la)
  ladep <- round(rnorm(s$n_la), 4)
  imd_z <- round(rnorm(n), 4)
  msoa_local <- unlist(lapply(size, function(k) sort(rep_len(seq_len(max(1, round(k / 5))), k))))
  msoa <- as.integer(factor(paste(la, msoa_local), levels = unique(paste(la, msoa_local))))
  rural <- rbinom(n, 1, plogis(-1 - 0.5 * ladep[la]))
  pop <- round(100 + 700 * rbeta(n, 2, 3.5))
  u0 <- rnorm(s$n_la, 0, s$sd0)
  u1 <- rnorm(s$n_la, 0, s$sd1)
  mu <- exp(log(s$rate) + 0.4 * imd_z - 0.1 * ladep[la] + u0[la] + u1[la] * imd_z + log(pop / 10000))
  y <- switch(s$family,
    poisson = rpois(n, mu),
    nbinom2 = rnbinom(n, size = s$disp, mu = mu),
    nbinom1 = rnbinom(n, size = mu / s$disp, mu = mu))
  structural <- rbinom(n, 1, plogis(s$zi[1] + s$zi[2] * imd_z + s$zi[3] * rural))
  data.frame(la = sprintf("LA%02d", la), msoa = sprintf("M%04d", msoa), imd_z = imd_z, ladep = ladep[la],
             rural = ifelse(rural == 1, "rural", "urban"), pop = pop, count = ifelse(structural == 1, 0L, y),
             stringsAsFactors = FALSE)
}

datasets <- list(
  list(name = "zi_poisson", family = "poisson", seed = 17301, n_la = 20, per_la = 30, rate = 150, disp = NA,
       sd0 = 0.3, sd1 = 0, zi = c(-1.0, -0.6, 0.5)),
  list(name = "zi_nbinom1", family = "nbinom1", seed = 17302, n_la = 20, per_la = 30, rate = 150, disp = 1.5,
       sd0 = 0.3, sd1 = 0, zi = c(-1.0, -0.6, 0.5)),
  list(name = "zi_nbinom2", family = "nbinom2", seed = 17303, n_la = 25, per_la = 30, rate = 150, disp = 4,
       sd0 = 0.3, sd1 = 0.2, zi = c(-1.0, -0.6, 0.5))
)
for (s in datasets) write_data(simulate(s), file.path(data_dir, paste0(s$name, ".csv")))

cond <- "count ~ imd_z + ladep + offset(log(pop/10000))"
models <- list(
  zi1 = list(formula = cond, zi = "~1"),
  zix = list(formula = cond, zi = "~imd_z"),
  zi1_ri = list(formula = paste(cond, "+ (1 | la)"), zi = "~1"),
  zix_ri = list(formula = paste(cond, "+ (1 | la)"), zi = "~imd_z")
)

index <- list()
fit_one <- function(s, family, model, formula, zi) {
  id <- paste(s$name, model, family, sep = ".")
  d <- read_data(file.path(data_dir, paste0(s$name, ".csv")))
  run <- run_glmmTMB(formula, d, family, ziformula = as.formula(zi))
  rec <- c(list(id = id, data = file.path("data", paste0(s$name, ".csv")), formula = formula, ziformula = zi,
                family = family, link = "log", zi_link = "logit", variables = formula_variables(formula, zi),
                truth = modifyList(s[c("seed", "family", "n_la", "per_la", "rate", "disp", "sd0", "sd1")],
                                   list(zi = I(s$zi))),
                rows = nrow(d), zero_fraction = mean(d$count == 0), versions = versions),
           fit_record(run, family))
  write_json(rec, file.path(golden_dir, paste0(id, ".json")))
  index[[length(index) + 1]] <<- id
  cat(sprintf("%-32s rows %5d zeros %.2f logLik %12.4f code %d pdHess %-5s step %.2g\n", id, nrow(d),
              rec$zero_fraction, rec$loglik, rec$convergence$code, rec$convergence$pd_hess,
              rec$convergence$newton_step_se))
}
for (s in datasets) {
  for (model in names(models)) fit_one(s, s$family, model, models[[model]]$formula, models[[model]]$zi)
}
# Webb-style structure with a two-covariate zero-inflation model.
fit_one(datasets[[3]], "nbinom2", "zi2_rs", paste(cond, "+ (1 + imd_z | la)"), "~imd_z + rural")
write_json(list(versions = versions, fits = I(unlist(index))), file.path(golden_dir, "index.json"))
