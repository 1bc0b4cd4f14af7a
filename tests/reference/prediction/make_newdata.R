# Predictions from glmmTMB at new rows of data given on the data's own scale, for
# tests/prediction_newdata.rs: R's predict(newdata = ...) transforms every term as the fit
# transformed its data (scale() with the fitted centre and scale, log(), I(), factor levels),
# adds the offset at the row's own population, and (re.form = NULL) the LA's conditional modes.
# Each model's rows are drawn at random within the data's ranges.
#
# Run from the repository root:   Rscript tests/reference/prediction/make_newdata.R
# Writes tests/reference/prediction/newdata.json.

suppressPackageStartupMessages({ library(glmmTMB); library(jsonlite) })
script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/prediction"
})
data_of <- function(name) read.csv(file.path(script_dir, "..", "data", paste0(name, ".csv")))

models <- list(
  list(data = "medium_nb2", family = "nbinom2",
       formula = "count ~ scale(imd) * la_imd + rural + log(gini) + offset(log(pop/10000)) + (1 + scale(imd) | la)"),
  list(data = "small_poisson", family = "poisson",
       formula = "count ~ log(imd) + I((la_imd - 20)/10) + factor(rural) + I(imd^2/100) + offset(log(pop))"),
  list(data = "medium_nb1", family = "nbinom1",
       formula = "count ~ scale(imd_z) + sqrt(la_imd) + rural:imd + offset(log(pop)) + offset(log(gini)) + (1 | la)")
)

set.seed(20261207)
out <- lapply(models, function(spec) {
  d <- data_of(spec$data)
  fam <- switch(spec$family, poisson = poisson, nbinom2 = nbinom2, nbinom1 = nbinom1)
  m <- glmmTMB(as.formula(spec$formula), data = d, family = fam)
  las <- sort(unique(d$la))
  n <- 6
  nd <- data.frame(
    imd = round(runif(n, min(d$imd), max(d$imd)), 3),
    imd_z = round(runif(n, min(d$imd_z), max(d$imd_z)), 4),
    la_imd = round(runif(n, min(d$la_imd), max(d$la_imd)), 3),
    gini = round(runif(n, min(d$gini), max(d$gini)), 4),
    rural = sample(c("urban", "rural"), n, replace = TRUE),
    pop = sample(100:3000, n),
    la = sample(las, n, replace = TRUE),
    stringsAsFactors = FALSE)
  pop <- predict(m, newdata = nd, re.form = NA, se.fit = TRUE, type = "link")
  has_re <- length(m$modelInfo$reTrms$cond$flist) > 0
  la <- if (has_re) predict(m, newdata = nd, re.form = NULL, type = "link") else rep(NA, n)
  # The same linear predictor by hand, from the model frame's predvars: R's predict must agree.
  tt <- delete.response(terms(m))
  mf <- model.frame(tt, nd, xlev = m$modelInfo$xlevels$cond)
  X <- model.matrix(tt, mf, contrasts.arg = m$modelInfo$contrasts)
  off <- model.offset(mf)
  by_hand <- drop(X %*% fixef(m)$cond) + (if (is.null(off)) 0 else off)
  stopifnot(max(abs(by_hand - pop$fit)) < 1e-8)
  if (has_re) {
    # And with the LA: its conditional modes times the random columns, taken from the fixed
    # model matrix (the random slopes here are fixed terms too), so R's predict must agree.
    re <- ranef(m)$cond$la
    z <- sapply(colnames(re), function(col) if (col == "(Intercept)") rep(1, n) else X[, col])
    z <- matrix(z, nrow = n)
    la_by_hand <- by_hand + rowSums(as.matrix(re[nd$la, , drop = FALSE]) * z)
    stopifnot(max(abs(la_by_hand - la)) < 1e-6)
  }
  rows <- lapply(seq_len(n), function(i) list(
    imd = nd$imd[i], imd_z = nd$imd_z[i], la_imd = nd$la_imd[i], gini = nd$gini[i],
    rural = nd$rural[i], pop = nd$pop[i], la = nd$la[i],
    link = unname(pop$fit[i]), se = unname(pop$se.fit[i]),
    offset = if (is.null(off)) 0 else unname(off[i]),
    la_link = if (has_re) unname(la[i]) else NULL))
  list(data = spec$data, family = spec$family, formula = spec$formula, rows = rows)
})
json <- toJSON(list(glmmTMB = as.character(packageVersion("glmmTMB")), models = out),
               auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null")
writeLines(json, file.path(script_dir, "newdata.json"))
