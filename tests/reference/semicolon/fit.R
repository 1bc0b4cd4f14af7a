# Reproduces a fit of the Social Gradient Calculator in R with glmmTMB.
# Put this script next to the data file (or change the path below) and run it.
library(glmmTMB)

# Factor levels sorted as the calculator sorts them (byte order).
invisible(Sys.setlocale("LC_COLLATE", "C"))

# Formula helpers: within(x, g) is x minus its mean in group g; between(x, g) is that mean.
within <- function(x, g) x - ave(x, g, FUN = function(v) mean(v, na.rm = TRUE))
between <- function(x, g) ave(x, g, FUN = function(v) mean(v, na.rm = TRUE))

data <- read.csv2("referrals.csv", check.names = FALSE, strip.white = TRUE, na.strings = c("", "NA", "NaN", "N/A", "."), fileEncoding = "UTF-8-BOM")

fit <- glmmTMB(
  referrals ~ dep + offset(log(children / 10000)) + (1 | la),
  family = nbinom2,
  data = data
)
summary(fit)

# Rate ratios with 95% Wald intervals, as the calculator shows them.
est <- fixef(fit)$cond
se <- sqrt(diag(vcov(fit)$cond))
round(exp(cbind(rate_ratio = est, lower = est - qnorm(0.975) * se, upper = est + qnorm(0.975) * se)), 4)
