# Golden model matrices for the formula layer, made with R and glmmTMB.
#
# Run from this directory:  Rscript make_golden.R
# Writes data.csv (the test data) and golden.json: for every formula, the rows glmmTMB keeps,
# the fixed-effects model matrix (column names and values rounded to 1e-10), the offset, and
# for every random-effect term the grouping-factor name, the term names, the level labels, the
# level of each row and the raw random-effects columns.
#
# Factor levels are sorted in the C locale (byte order), which is how the engine sorts them.
# glmmTMB builds its fixed-effects matrix from the formula rewritten by update(), which lists
# the terms in R's order; so an interaction's columns are named in order of first appearance in
# that list (count ~ ward:region + region gives regionNorth:wardeast), not always as a plain
# model.matrix call would name them.

suppressMessages({
  library(glmmTMB)
  library(jsonlite)
})
invisible(Sys.setlocale("LC_COLLATE", "C"))

# Group-mean centring, as documented for users of the formula language.
within <- function(x, g) x - ave(x, g, FUN = function(v) mean(v, na.rm = TRUE))
between <- function(x, g) ave(x, g, FUN = function(v) mean(v, na.rm = TRUE))

set.seed(20240601)
n <- 30
d <- data.frame(
  count = NA_real_,
  pop = round(runif(n, 800, 3000)),
  imd = round(rnorm(n, 20, 8), 3),
  la_imd = rep(c(15.2, 22.7, 30.1, 18.4, 26.9), each = 6),
  region = rep(c("North", "Midlands", "South"), length.out = n),
  ward = rep(c("east", "West", "north"), each = 3, length.out = n),
  dec = sample(1:5, n, replace = TRUE),
  la = rep(c("E06", "E07", "E08", "E09", "E10"), each = 6),
  msoa = rep(c("m1", "m2", "m3"), times = 10),
  la_num = rep(c(7, 10, 100000, 250, 3.5), each = 6),
  stringsAsFactors = FALSE
)
d$count <- rpois(n, d$pop / 1000 * exp(0.03 * d$imd))
# Missing values: imd in row 5, region in row 9, count in row 14 (whose region, "East",
# appears nowhere else, so it must not become a level).
d$imd[5] <- NA
d$region[9] <- NA
d$count[14] <- NA
d$region[14] <- "East"
write.csv(d, "data.csv", row.names = FALSE, na = "NA")
# Read back what was written, so R and the engine see the same numbers.
d <- read.csv("data.csv", stringsAsFactors = FALSE)

formulas <- c(
  "count ~ imd",
  "count ~ imd + offset(log(pop))",
  "count ~ imd + offset(log(pop/10000))",
  "count ~ region",
  "count ~ 0 + region",
  "count ~ region - 1 + imd",
  "count ~ imd * la_imd",
  "count ~ imd:la_imd + imd",
  "count ~ imd * region",
  "count ~ region:imd",
  "count ~ 0 + imd:region",
  "count ~ region * ward",
  "count ~ region:ward",
  "count ~ ward:region + region",
  "count ~ (imd + la_imd) * region",
  "count ~ (imd + la_imd + region)^2",
  "count ~ imd * region - region",
  "count ~ region/imd",
  "count ~ 0 + ward + region",
  "count ~ 0 + ward:region",
  "count ~ scale(imd) + log(la_imd)",
  "count ~ within(imd, la) + between(imd, la)",
  "count ~ factor(dec) + imd",
  "count ~ I(imd^2) + imd",
  "count ~ log(pop/10000) + sqrt(la_imd)",
  "count ~ imd + (1 | la)",
  "count ~ imd + (1 + imd | la)",
  "count ~ imd + (0 + imd | la)",
  "count ~ imd + (1 | la/msoa)",
  "count ~ imd + (1 | la:msoa)",
  "count ~ imd + (1 | la_num)",
  "count ~ 1 + (1 | la) + (0 + imd | la)",
  "count ~ imd + (region | la)",
  "count ~ within(imd, la) + between(imd, la) + (1 + within(imd, la) | la)",
  "count ~ imd + scale(la_imd) + offset(log(pop/1000)) + (1 | la)"
)

r10 <- function(x) round(as.numeric(x), 10)

one <- function(f) {
  obj <- glmmTMB(as.formula(f), data = d, family = poisson, doFit = FALSE,
                 control = glmmTMBControl(rank_check = "skip"))
  X <- obj$condList$X
  out <- list(
    formula = f,
    rows = I(as.integer(rownames(obj$fr))),
    x_names = I(colnames(X)),
    x = lapply(seq_len(ncol(X)), function(j) I(r10(X[, j]))),
    offset = I(r10(if (is.null(obj$condList$offset)) rep(0, nrow(X)) else obj$condList$offset)),
    random = list()
  )
  rt <- obj$condList$reTrms
  if (!is.null(rt)) {
    assign <- attr(rt$flist, "assign")
    for (k in seq_along(rt$cnms)) {
      fac <- rt$flist[[assign[k]]]
      nc <- length(rt$cnms[[k]])
      Zt <- as.matrix(rt$Ztlist[[k]])
      # Rows of Zt run over levels, the term's columns varying fastest within a level.
      z <- lapply(seq_len(nc), function(j) I(r10(colSums(Zt[seq(j, nrow(Zt), by = nc), , drop = FALSE]))))
      out$random[[k]] <- list(
        group = names(rt$cnms)[k],
        terms = I(rt$cnms[[k]]),
        levels = I(levels(fac)),
        index = I(as.integer(fac)),
        z = z
      )
    }
  }
  out
}

golden <- list(
  r_version = R.version.string,
  glmmtmb_version = as.character(packageVersion("glmmTMB")),
  models = lapply(formulas, one)
)
writeLines(toJSON(golden, auto_unbox = TRUE, digits = NA, pretty = TRUE), "golden.json")
