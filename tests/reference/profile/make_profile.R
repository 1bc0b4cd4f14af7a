# Profile-likelihood intervals from glmmTMB for a few reference models, the values that
# tests/profile_intervals.rs checks the engine's profile intervals against.
#
# Run from the repository root:   Rscript tests/reference/profile/make_profile.R
# Reads tests/reference/data/*.csv, writes tests/reference/profile/profile.json.
#
# For each model, confint(m, method = "profile", parm = i) for the parameters listed: glmmTMB
# profiles on its internal scale (log SD for a random-effect SD, log theta for nbinom2, log phi
# for nbinom1, the coefficient itself for a fixed effect) with TMB's tmbprofile and reads the
# 95% limits off an interpolating spline of the profile (the "lower" and "upper" below, on that
# internal scale). An NA limit is a profile that does not cross the 95% level (a boundary).

suppressPackageStartupMessages(library(glmmTMB))

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/profile"
})
data_dir <- file.path(script_dir, "..", "data")

num <- function(x) {
  if (is.na(x) || !is.finite(x)) return("null")
  sprintf("%.17g", x)
}

models <- list(
  list(id = "medium_nb2.ri.nbinom2", data = "medium_nb2", family = "nbinom2",
       formula = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la)",
       parm = list(imd_z = 2, dispersion = 5, "sd 1 | la" = 6)),
  list(id = "medium_nb1.ri.nbinom1", data = "medium_nb1", family = "nbinom1",
       formula = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la)",
       parm = list(dispersion = 5, "sd 1 | la" = 6)),
  list(id = "small_poisson.ri.poisson", data = "small_poisson", family = "poisson",
       formula = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la)",
       parm = list("sd 1 | la" = 5)),
  list(id = "medium_nb2.nested.nbinom2", data = "medium_nb2", family = "nbinom2",
       formula = "count ~ imd_z + offset(log(pop/10000)) + (1 | la/msoa)",
       parm = list(dispersion = 3, "sd 1 | msoa:la" = 4, "sd 1 | la" = 5)),
  list(id = "medium_nb2.glm_int.nbinom2", data = "medium_nb2", family = "nbinom2",
       formula = "count ~ imd_z * la_imd + offset(log(pop/10000))",
       parm = list(dispersion = 5))
)

entries <- character(0)
for (spec in models) {
  d <- read.csv(file.path(data_dir, paste0(spec$data, ".csv")))
  m <- glmmTMB(as.formula(spec$formula), data = d, family = spec$family)
  rows <- character(0)
  for (name in names(spec$parm)) {
    i <- spec$parm[[name]]
    ci <- suppressWarnings(confint(m, method = "profile", parm = i))
    rows <- c(rows, sprintf('      {"parameter": "%s", "internal": "%s", "estimate": %s, "lower": %s, "upper": %s}',
                            name, names(m$obj$par)[i], num(m$fit$par[i]), num(ci[1, 1]), num(ci[1, 2])))
    cat(spec$id, name, ci[1, ], "\n")
  }
  entries <- c(entries, sprintf(
    '    {"id": "%s", "data": "%s", "family": "%s", "formula": "%s", "loglik": %s,\n     "intervals": [\n%s\n     ]}',
    spec$id, spec$data, spec$family, spec$formula, num(as.numeric(logLik(m))), paste(rows, collapse = ",\n")))
}
versions <- sprintf('{"R": "%s", "glmmTMB": "%s", "TMB": "%s"}', R.version.string,
                    packageVersion("glmmTMB"), packageVersion("TMB"))
json <- paste0('{\n  "versions": ', versions, ',\n  "models": [\n', paste(entries, collapse = ",\n"), '\n  ]\n}\n')
writeLines(json, file.path(script_dir, "profile.json"), sep = "")
