# Reference fits of zero-inflated models with crossed random effects (an LA by year panel of
# neighbourhood counts with structural zeros) with glmmTMB.
#
# Run from the repository root:   Rscript tests/reference/zi/make_zi_crossed.R
# Writes tests/reference/zi/crossed/data/NAME.csv and crossed/golden/ID.json plus
# crossed/golden/index.json, in the format of make_zi.R (see ../README.md). make_zi.R's files
# are left untouched.

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/zi"
})
source(file.path(script_dir, "..", "golden_lib.R"))
data_dir <- file.path(script_dir, "crossed", "data")
golden_dir <- file.path(script_dir, "crossed", "golden")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(golden_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(golden_dir, pattern = "\\.json$", full.names = TRUE))
versions <- golden_versions()

# ------------------------------------------------------------------------------------------------
# Data: `n_la` LAs of `per_la` LSOAs observed in `n_year` years. imd_z ~ N(0, 1) per LSOA,
# pop = round(100 + 700 Beta(2, 3.5)).
#   log mu = log(rate) + 0.4 imd_z + u_la + w_year + log(pop / 10000), u ~ N(0, sd_la^2),
#   w ~ N(0, sd_year^2);
#   a structural zero with probability plogis(zi0 + zi_imd imd_z), otherwise Pois(mu) or
#   NB(size = disp, mu).
# ------------------------------------------------------------------------------------------------
simulate <- function(s) {
  set.seed(s$seed)
  la <- rep(seq_len(s$n_la), each = s$per_la)
  imd <- round(rnorm(length(la)), 4)
  pop0 <- round(100 + 700 * rbeta(length(la), 2, 3.5))
  u <- rnorm(s$n_la, 0, s$sd_la)
  w <- rnorm(s$n_year, 0, s$sd_year)
  d <- do.call(rbind, lapply(seq_len(s$n_year), function(t) {
    mu <- exp(log(s$rate) + 0.4 * imd + u[la] + w[t] + log(pop0 / 10000))
    y <- if (s$family == "poisson") rpois(length(mu), mu) else rnbinom(length(mu), size = s$disp, mu = mu)
    structural <- rbinom(length(mu), 1, plogis(s$zi[1] + s$zi[2] * imd))
    data.frame(la = sprintf("LA%02d", la), year = 2014 + t, imd_z = imd, pop = pop0,
               count = ifelse(structural == 1, 0L, y), stringsAsFactors = FALSE)
  }))
  d
}

datasets <- list(
  list(name = "zi_panel_poisson", family = "poisson", seed = 17311, n_la = 15, per_la = 12, n_year = 6,
       rate = 120, disp = NA, sd_la = 0.3, sd_year = 0.15, zi = c(-1.2, -0.5)),
  list(name = "zi_panel_nbinom2", family = "nbinom2", seed = 17312, n_la = 18, per_la = 10, n_year = 5,
       rate = 150, disp = 5, sd_la = 0.3, sd_year = 0.2, zi = c(-1.0, -0.6))
)
for (s in datasets) write_data(simulate(s), file.path(data_dir, paste0(s$name, ".csv")))

index <- list()
for (s in datasets) {
  for (zi in c("~1", "~imd_z")) {
    model <- if (zi == "~1") "zi1_crossed" else "zix_crossed"
    formula <- "count ~ imd_z + offset(log(pop/10000)) + (1 | la) + (1 | year)"
    id <- paste(s$name, model, s$family, sep = ".")
    d <- read_data(file.path(data_dir, paste0(s$name, ".csv")))
    run <- run_glmmTMB(formula, d, s$family, ziformula = as.formula(zi))
    rec <- c(list(id = id, data = file.path("data", paste0(s$name, ".csv")), formula = formula, ziformula = zi,
                  family = s$family, link = "log", zi_link = "logit", variables = formula_variables(formula, zi),
                  truth = s[c("seed", "family", "n_la", "per_la", "n_year", "rate", "disp", "sd_la", "sd_year")],
                  rows = nrow(d), zero_fraction = mean(d$count == 0), versions = versions),
             fit_record(run, s$family))
    write_json(rec, file.path(golden_dir, paste0(id, ".json")))
    index[[length(index) + 1]] <- id
    cat(sprintf("%-40s rows %5d zeros %.2f logLik %12.4f code %d pdHess %-5s step %.2g\n", id, nrow(d),
                rec$zero_fraction, rec$loglik, rec$convergence$code, rec$convergence$pd_hess,
                rec$convergence$newton_step_se))
  }
}
write_json(list(versions = versions, fits = I(unlist(index))), file.path(golden_dir, "index.json"))
