# Reference values for the general sparse Laplace objective (crossed random effects and an
# exponential spatial field): glmmTMB's optimum of a few models, with the log-likelihood, its
# gradient, the conditional modes and the conditional variances (the diagonal of the inverse
# Hessian of the random effects) there.
#
# Run from the repository root:   Rscript tests/reference/sparse/make_sparse.R
# Writes tests/reference/sparse/data/*.csv and tests/reference/sparse/golden/*.json (see README.md).

suppressPackageStartupMessages({
  library(glmmTMB)
  library(Matrix)
})

RNGkind("Mersenne-Twister", "Inversion", "Rejection")

script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/sparse"
})
root <- normalizePath(file.path(script_dir, "..", "..", ".."))
data_dir <- file.path(script_dir, "data")
golden_dir <- file.path(script_dir, "golden")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(golden_dir, showWarnings = FALSE, recursive = TRUE)
unlink(list.files(golden_dir, pattern = "\\.json$", full.names = TRUE))

versions <- list(
  R = R.version.string,
  glmmTMB = as.character(packageVersion("glmmTMB")),
  TMB = as.character(packageVersion("TMB")),
  Matrix = as.character(packageVersion("Matrix"))
)

# A small JSON writer with full-precision numbers (the shortest of 15/16/17 significant digits
# that reads back to the same double); vectors of length != 1 or wrapped in I() as arrays,
# matrices as arrays of rows, named lists as objects.
json_number <- function(x) {
  if (is.na(x) || !is.finite(x)) return("null")
  if (x == round(x) && abs(x) < 1e15) return(sprintf("%.0f", x))
  for (d in 15:17) {
    s <- sprintf(paste0("%.", d, "g"), x)
    if (as.numeric(s) == x) break
  }
  s
}
json_string <- function(x) paste0("\"", gsub("\"", "\\\\\"", gsub("\\\\", "\\\\\\\\", x)), "\"")
json_scalar <- function(x) {
  if (is.logical(x)) return(if (is.na(x)) "null" else if (x) "true" else "false")
  if (is.numeric(x)) return(json_number(x))
  json_string(as.character(x))
}
to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent)
  pad1 <- strrep("  ", indent + 1)
  if (is.null(x)) return("null")
  if (is.matrix(x)) {
    rows <- vapply(seq_len(nrow(x)), function(i) to_json(I(unname(x[i, ])), indent + 1), "")
    if (length(rows) == 0) return("[]")
    return(paste0("[\n", paste0(pad1, rows, collapse = ",\n"), "\n", pad, "]"))
  }
  if (is.list(x)) {
    if (!is.null(names(x))) {
      items <- vapply(seq_along(x), function(i) {
        paste0(pad1, json_string(names(x)[i]), ": ", to_json(x[[i]], indent + 1))
      }, "")
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", pad, "}"))
    }
    if (length(x) == 0) return("[]")
    items <- vapply(x, function(e) to_json(e, indent + 1), "")
    return(paste0("[\n", paste0(pad1, items, collapse = ",\n"), "\n", pad, "]"))
  }
  x_plain <- unclass(x)
  attributes(x_plain) <- NULL
  if (length(x_plain) == 1 && !inherits(x, "AsIs")) return(json_scalar(x_plain))
  paste0("[", paste(vapply(x_plain, json_scalar, ""), collapse = ", "), "]")
}
write_json <- function(x, path) writeLines(to_json(x), path, useBytes = TRUE)

# ---------------------------------------------------------------------------------------------
# Data.
# ---------------------------------------------------------------------------------------------

# The real LA-by-year panel: children looked after at 31 March (DfE, 2013-2025) with the LA's
# IMD 2019 average score; rows without a CLA count are left out.
csc <- read.csv(file.path(root, "data", "england_la_csc_rates.csv"), stringsAsFactors = FALSE)
las <- read.csv(file.path(root, "data", "england_upper_tier_las.csv"), stringsAsFactors = FALSE)
panel <- merge(csc[, c("la_code", "year", "cla_at31", "children_0_17")],
               las[, c("la_code", "imd2019_avg_score")], by = "la_code")
names(panel)[names(panel) == "imd2019_avg_score"] <- "imd2019"
panel <- panel[!is.na(panel$cla_at31) & !is.na(panel$children_0_17), ]
panel <- panel[order(panel$la_code, panel$year), ]
write.csv(panel, file.path(data_dir, "la_year_cla.csv"), row.names = FALSE, quote = FALSE)

# A synthetic neighbourhood panel: 40 LAs with 3 to 6 MSOAs each, 6 years, 10% of the
# MSOA-years missing. log mu = -4 + 0.4 x + u_la + 0.15 s_la x + v_msoa + w_year + log(pop),
# NB2 counts (theta 5).
set.seed(1701)
n_la <- 40
msoas <- unlist(lapply(seq_len(n_la), function(j) rep(j, sample(3:6, 1))))
msoa_x <- rnorm(length(msoas))
years <- 2015:2020
u_la <- rnorm(n_la, 0, 0.4)
s_la <- rnorm(n_la, 0, 0.15)
v_msoa <- rnorm(length(msoas), 0, 0.25)
w_year <- rnorm(length(years), 0, 0.15)
crossed <- expand.grid(m = seq_along(msoas), t = seq_along(years))
crossed <- crossed[runif(nrow(crossed)) > 0.1, ]
crossed$la <- sprintf("LA%02d", msoas[crossed$m])
crossed$msoa <- sprintf("M%03d", crossed$m)
crossed$year <- years[crossed$t]
crossed$x <- round(msoa_x[crossed$m] + rnorm(nrow(crossed), 0, 0.2), 4)
crossed$pop <- round(runif(nrow(crossed), 1500, 6000))
eta <- -4 + 0.4 * crossed$x + u_la[msoas[crossed$m]] + s_la[msoas[crossed$m]] * crossed$x +
  v_msoa[crossed$m] + w_year[crossed$t] + log(crossed$pop)
crossed$count <- rnbinom(nrow(crossed), size = 5, mu = exp(eta))
crossed <- crossed[order(crossed$la, crossed$msoa, crossed$year), c("la", "msoa", "year", "x", "pop", "count")]
write.csv(crossed, file.path(data_dir, "crossed_panel.csv"), row.names = FALSE, quote = FALSE)

# A synthetic spatial data set: 120 points in a 10 km square (coordinates in km), 20 of them
# with a second row; an exponential field (sd 0.5, range 2 km), six areas with intercepts
# (sd 0.3), NB2 counts (theta 8).
set.seed(2718)
n_pt <- 120
px <- round(runif(n_pt, 0, 10), 3)
py <- round(runif(n_pt, 0, 10), 3)
d <- as.matrix(dist(cbind(px, py)))
field <- drop(t(chol(0.25 * exp(-d / 2))) %*% rnorm(n_pt))
area_of <- 1 + (px >= 5) * 3 + pmin(floor(py / (10 / 3)), 2)
area_u <- rnorm(6, 0, 0.3)
pts <- c(seq_len(n_pt), sample(n_pt, 20))
spatial <- data.frame(point = pts, xc = px[pts], yc = py[pts], area = sprintf("A%d", area_of[pts]))
spatial$x <- round(rnorm(length(pts)), 4)
spatial$pop <- round(runif(length(pts), 200, 800))
spatial$one <- 1
eta <- -3 + 0.3 * spatial$x + field[pts] + area_u[area_of[pts]] + log(spatial$pop)
spatial$count <- rnbinom(length(pts), size = 8, mu = exp(eta))
write.csv(spatial[, c("point", "xc", "yc", "area", "one", "x", "pop", "count")],
          file.path(data_dir, "spatial.csv"), row.names = FALSE, quote = FALSE)

# ---------------------------------------------------------------------------------------------
# Fits.
# ---------------------------------------------------------------------------------------------

family_of <- function(name) switch(name, poisson = poisson(), nbinom2 = nbinom2(), nbinom1 = nbinom1())

fit_record <- function(id, file, formula, family, rust_formula, field = NULL) {
  data <- read.csv(file.path(data_dir, file), stringsAsFactors = FALSE)
  if (!is.null(field)) {
    data$pos <- numFactor(data$xc, data$yc)
    data$one <- factor(data$one)
  }
  for (g in c("la", "msoa", "la_code", "area")) if (!is.null(data[[g]])) data[[g]] <- factor(data[[g]])
  fit <- glmmTMB(as.formula(formula), data = data, family = family_of(family))
  obj <- fit$obj
  par <- fit$fit$par
  value <- obj$fn(par)
  gradient <- -drop(obj$gr(par))
  # The Hessian of -log joint density in the random effects at the modes, and its inverse.
  last <- obj$env$last.par.best
  h <- obj$env$spHess(last, random = TRUE)
  condvar <- diag(solve(as.matrix(h)))
  b <- last[obj$env$random]
  re <- ranef(fit)$cond
  terms <- list()
  offset <- 0
  for (k in seq_along(re)) {
    r <- re[[k]]
    q <- ncol(r)
    nl <- nrow(r)
    idx <- offset + seq_len(nl * q)
    terms[[k]] <- list(
      group = names(re)[k],
      columns = I(colnames(r)),
      levels = I(rownames(r)),
      modes = matrix(b[idx], nrow = nl, byrow = TRUE),
      condvar = matrix(condvar[idx], nrow = nl, byrow = TRUE)
    )
    offset <- offset + nl * q
  }
  stopifnot(offset == length(b))
  # The modes stored per term agree with ranef() (level-major order inside a term).
  for (k in seq_along(re)) stopifnot(max(abs(terms[[k]]$modes - as.matrix(re[[k]]))) < 1e-8)
  rec <- list(
    id = id,
    data = paste0("data/", file),
    formula = formula,
    rust_formula = rust_formula,
    family = family,
    versions = versions,
    nobs = nrow(data),
    loglik = as.numeric(logLik(fit)),
    objective = value,
    par_names = I(names(par)),
    par = I(unname(par)),
    gradient = I(unname(gradient)),
    convergence = fit$fit$convergence,
    message = fit$fit$message,
    terms = terms
  )
  if (!is.null(field)) {
    # The field's levels in glmmTMB's order, with their coordinates.
    lv <- levels(data$pos)
    coords <- parseNumLevels(lv)
    rec$field <- list(term = field, levels = I(lv), x = I(coords[, 1]), y = I(coords[, 2]),
                      row_level = I(as.integer(data$pos)))
  }
  write_json(rec, file.path(golden_dir, paste0(id, ".json")))
  cat(sprintf("%-22s logLik %.6f  max|grad| %.2e  convergence %d\n", id, rec$loglik,
              max(abs(gradient)), fit$fit$convergence))
}

fit_record("la_year.nbinom2", "la_year_cla.csv",
           "cla_at31 ~ scale(imd2019) + offset(log(children_0_17)) + (1 | la_code) + (1 | year)",
           "nbinom2",
           "cla_at31 ~ scale(imd2019) + offset(log(children_0_17)) + (1 | la_code) + (1 | year)")
fit_record("crossed2.poisson", "crossed_panel.csv",
           "count ~ x + offset(log(pop)) + (1 | la) + (1 | year)", "poisson",
           "count ~ x + offset(log(pop)) + (1 | la) + (1 | year)")
fit_record("crossed_slope.nbinom1", "crossed_panel.csv",
           "count ~ x + offset(log(pop)) + (1 + x | la) + (1 | year)", "nbinom1",
           "count ~ x + offset(log(pop)) + (1 + x | la) + (1 | year)")
fit_record("crossed3.nbinom2", "crossed_panel.csv",
           "count ~ x + offset(log(pop)) + (1 | la) + (1 | msoa) + (1 | year)", "nbinom2",
           "count ~ x + offset(log(pop)) + (1 | la) + (1 | msoa) + (1 | year)")
fit_record("field.poisson", "spatial.csv",
           "count ~ x + offset(log(pop)) + exp(pos + 0 | one)", "poisson",
           "count ~ x + offset(log(pop))", field = 1)
fit_record("field_area.nbinom2", "spatial.csv",
           "count ~ x + offset(log(pop)) + (1 | area) + exp(pos + 0 | one)", "nbinom2",
           "count ~ x + offset(log(pop)) + (1 | area)", field = 2)
