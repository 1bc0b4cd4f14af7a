//! Evaluating formula variables on a data frame.
