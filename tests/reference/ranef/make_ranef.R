# Conditional modes of the random effects and their conditional SDs from glmmTMB, for
# tests/ranef.rs: `ranef(m, condVar = TRUE)` (TMB's sdreport of the random effects, whose variance
# adds the uncertainty of the fixed parameters to the inverse Hessian of the random effects), and
# for the model with a random slope of imd_z by LA, each LA's log social gradient
# B_imd_z + B_imd_z:la_imd * la_imd + b_la with its standard error from the joint covariance of all
# parameters and random effects (the inverse of sdreport's joint precision).
#
# Run from the repository root:   Rscript tests/reference/ranef/make_ranef.R
# Writes tests/reference/ranef/ranef.json.

suppressPackageStartupMessages({
  library(glmmTMB)
  library(TMB)
  library(jsonlite)
})
script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/ranef"
})
data_file <- function(name) read.csv(file.path(script_dir, "..", "data", paste0(name, ".csv")))

models <- list(
  list(id = "poisson_ri", data = "small_poisson", family = "poisson",
       formula = "count ~ imd_z + offset(log(pop/10000)) + (1 | la)"),
  list(id = "nb2_slope", data = "medium_nb2", family = "nbinom2",
       formula = "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)",
       gradient = list(term = "imd_z", moderator = "la_imd", group = "la")),
  list(id = "nb1_nested", data = "medium_nb1", family = "nbinom1",
       formula = "count ~ imd_z + offset(log(pop/10000)) + (1 | la/msoa)"),
  list(id = "nb2_zero_heavy", data = "zero_heavy", family = "nbinom2",
       formula = "count ~ imd_z + rural + offset(log(pop/10000)) + (1 + imd_z | la)")
)

fits <- lapply(models, function(spec) {
  d <- data_file(spec$data)
  fam <- switch(spec$family, poisson = poisson, nbinom2 = nbinom2, nbinom1 = nbinom1)
  m <- glmmTMB(as.formula(spec$formula), data = d, family = fam)
  re <- ranef(m, condVar = TRUE)$cond
  terms <- lapply(names(re), function(group) {
    modes <- re[[group]]
    sds <- sqrt(apply(attr(modes, "condVar"), 3, diag))
    if (is.null(dim(sds))) sds <- matrix(sds, nrow = 1)
    list(group = group, terms = I(colnames(modes)), levels = rownames(modes),
         modes = unname(as.matrix(modes)), sds = unname(t(sds)))
  })
  out <- list(id = spec$id, data = spec$data, family = spec$family, formula = spec$formula,
              loglik = as.numeric(logLik(m)), terms = terms)
  if (!is.null(spec$gradient)) {
    g <- spec$gradient
    sdr <- sdreport(m$obj, par.fixed = m$fit$par, getJointPrecision = TRUE)
    joint <- solve(sdr$jointPrecision)
    names_joint <- rownames(sdr$jointPrecision)
    beta_pos <- which(names_joint == "beta")
    b_pos <- which(names_joint == "b")
    fe <- names(fixef(m)$cond)
    j_term <- beta_pos[match(g$term, fe)]
    j_inter <- beta_pos[match(paste0(g$term, ":", g$moderator), fe)]
    modes <- re[[g$group]]
    q <- ncol(modes)
    slope <- match(g$term, colnames(modes))
    la_values <- tapply(d[[g$moderator]], d[[g$group]], mean)
    rows <- lapply(seq_len(nrow(modes)), function(j) {
      level <- rownames(modes)[j]
      k <- b_pos[(j - 1) * q + slope]
      weights <- c(1, la_values[[level]], 1)
      idx <- c(j_term, j_inter, k)
      est <- fixef(m)$cond[[g$term]] + fixef(m)$cond[[paste0(g$term, ":", g$moderator)]] *
        la_values[[level]] + modes[j, slope]
      se <- sqrt(drop(t(weights) %*% joint[idx, idx] %*% weights))
      # The joint covariance's random-effect block is what ranef's condVar reports.
      stopifnot(abs(sqrt(joint[k, k]) - sqrt(attr(modes, "condVar")[slope, slope, j])) < 1e-8)
      list(level = level, moderator = la_values[[level]], log_score = est, std_error = se)
    })
    out$gradient <- list(term = g$term, moderator = g$moderator, group = g$group, levels = rows)
  }
  out
})

json <- list(glmmTMB = as.character(packageVersion("glmmTMB")),
             TMB = as.character(packageVersion("TMB")), fits = fits)
writeLines(toJSON(json, auto_unbox = TRUE, digits = I(17), pretty = TRUE),
           file.path(script_dir, "ranef.json"))
