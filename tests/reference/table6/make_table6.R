# Golden values for Hood et al. 2020's Table 6 computed from the DfE figures (tests/rates_table6.rs):
# R's cor(imd2015_avg_score, rate, method = "spearman", use = "complete.obs") across the English
# LAs with a figure, for each DfE measure that is a Table 6 row and each year both cover, the rate
# being the LA's count over its children aged 0-17 (per 10,000: the scale does not change ranks).
# Run from this folder: Rscript make_table6.R
las <- read.csv("../../../data/england_upper_tier_las.csv", stringsAsFactors = FALSE)
csc <- read.csv("../../../data/england_la_csc_rates.csv", stringsAsFactors = FALSE,
                colClasses = c(la_code = "character", note = "character", suppressed = "character"))
count <- function(v) suppressWarnings(as.numeric(v)) # "c", "x", "u", "z" and blanks are no figure
measures <- c("referrals", "cin_at31", "cpp_starts", "cpp_at31")
out <- NULL
for (m in measures) {
  for (y in 2013:2017) {
    d <- merge(las[, c("la_code", "imd2015_avg_score")], csc[csc$year == y, c("la_code", "children_0_17", m)],
               by = "la_code", all.x = TRUE)
    rate <- count(d[[m]]) / count(d$children_0_17) * 10000
    ok <- is.finite(d$imd2015_avg_score) & is.finite(rate)
    rho <- cor(d$imd2015_avg_score, rate, method = "spearman", use = "complete.obs")
    out <- rbind(out, data.frame(measure = m, year = y, n = sum(ok), rho = sprintf("%.17g", rho)))
  }
}
write.csv(out, "table6_golden.csv", row.names = FALSE, quote = FALSE)
print(out)
