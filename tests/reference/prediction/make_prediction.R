# Predictions from glmmTMB for tests/prediction.rs: the log rate per 10,000 at chosen covariate
# values with its standard error from the fixed effects (re.form = NA), and for one LA with its
# conditional modes (re.form = NULL; the estimate only, as R's se.fit there also includes the
# modes' uncertainty).
#
# Run from the repository root:   Rscript tests/reference/prediction/make_prediction.R
# Writes tests/reference/prediction/prediction.json.

suppressPackageStartupMessages(library(glmmTMB))
script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1) dirname(normalizePath(sub("^--file=", "", arg))) else "tests/reference/prediction"
})
num <- function(x) sprintf("%.17g", x)
d <- read.csv(file.path(script_dir, "..", "data", "medium_nb2.csv"))
formula <- "count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)"
m <- glmmTMB(as.formula(formula), data = d, family = nbinom2)
points <- list(c(imd_z = 1, la_imd = 20), c(imd_z = -1.5, la_imd = 30), c(imd_z = 0, la_imd = 0))
rows <- character(0)
for (p in points) {
  nd <- data.frame(imd_z = p[["imd_z"]], la_imd = p[["la_imd"]], pop = 10000, la = "LA03")
  pop <- predict(m, newdata = nd, re.form = NA, se.fit = TRUE, type = "link")
  la <- predict(m, newdata = nd, re.form = NULL, type = "link")
  rows <- c(rows, sprintf(
    '    {"imd_z": %s, "la_imd": %s, "log_rate": %s, "std_error": %s, "la": "LA03", "la_log_rate": %s}',
    num(p[["imd_z"]]), num(p[["la_imd"]]), num(pop$fit), num(pop$se.fit), num(la)))
}
json <- paste0('{\n  "formula": "', formula, '",\n  "family": "nbinom2",\n  "data": "medium_nb2",\n',
               '  "glmmTMB": "', packageVersion("glmmTMB"), '",\n  "points": [\n',
               paste(rows, collapse = ",\n"), '\n  ]\n}\n')
writeLines(json, file.path(script_dir, "prediction.json"), sep = "")
