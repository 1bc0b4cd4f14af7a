# Golden output for tests/rscript_semicolon.rs: runs the R script the engine exports for
# referrals.csv (fit.R, committed as exported) and writes what glmmTMB found to golden.csv.
# From the repository root (R 4.2.2, glmmTMB 1.1.5 on Debian: r-cran-glmmtmb):
#
#     Rscript tests/reference/semicolon/make_golden.R
setwd("tests/reference/semicolon")
source("fit.R")
est <- fixef(fit)$cond
golden <- data.frame(
  name = c(paste0("estimate:", names(est)), "theta", "loglik", "columns", "rows", "dep_is_numeric"),
  value = c(unname(est), sigma(fit), as.numeric(logLik(fit)), ncol(data), nrow(data), is.numeric(data$dep))
)
golden$value <- sprintf("%.15g", golden$value)
write.csv(golden, "golden.csv", row.names = FALSE, quote = FALSE)
