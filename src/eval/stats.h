// Small descriptive statistics shared by the metrics and the report.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace tunesmith::eval {

// The q-quantile (0 <= q <= 1) of sorted values by linear interpolation
// between order statistics (NumPy's default "linear" method): position
// q * (n - 1). 0 for an empty input.
double SortedQuantile(std::span<const double> sorted, double q);

// Mean and sample standard deviation (ddof 1; 0 for fewer than two values).
double Mean(std::span<const double> values);
double SampleStdDev(std::span<const double> values);

// What the report prints for a distribution of per-tune figures.
struct Summary {
  std::size_t count = 0;
  double mean = 0, std_dev = 0;
  double min = 0, median = 0, p90 = 0, p95 = 0, max = 0;
};

// All zero for an empty input.
Summary Summarise(std::vector<double> values);

}  // namespace tunesmith::eval
