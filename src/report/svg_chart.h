// Small SVG charts written by the program for report.html: grouped bars
// (real and generated histograms side by side) and line charts (training
// curves). Each returns one standalone <svg> element, inline-able in HTML or
// saved as a .svg file. Output is deterministic (same input, same bytes: fixed
// number formatting, no clock, no random ids) and every text is XML-escaped.
//
//   std::string svg = SvgHistogram({"C", "D"}, {{"real", {0.5, 0.5}}, {"generated", {0.7, 0.3}}},
//                                  {.title = "Pitch classes", .y_label = "share of notes"});
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tunesmith::report {

// Colour-blind-safe colours (Paul Tol's "bright" scheme), in series order:
// blue for the first series (real tunes), red for the second (generated).
inline constexpr const char* kSeriesColors[] = {"#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377"};

struct BarSeries {
  std::string name;            // shown in the legend and in each bar's tooltip
  std::vector<double> values;  // one per category; negative and non-finite values draw as 0
};

struct ChartOptions {
  std::string title;    // above the plot
  std::string x_label;  // under the x axis
  std::string y_label;  // beside the y axis, rotated
  int width = 560;      // SVG user units (the page scales it down to fit)
  int height = 300;
  std::string id;       // the <svg> id attribute, when not empty
};

// Vertical bars, the series side by side within each category, on a y axis
// starting at 0 (top: the largest value rounded up to a "nice" tick). Each bar
// is a <rect class="bar series-N"> with data-value holding its value; its
// height is proportional to the value. Categories whose labels would overlap
// are labelled every k-th. A series shorter than the categories draws 0 for
// the missing ones.
std::string SvgHistogram(const std::vector<std::string>& categories, const std::vector<BarSeries>& series,
                         const ChartOptions& options);

struct LineSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), drawn in the given order; non-finite ones skipped
  bool markers = false;                           // a circle on each point (for sparse series, e.g. per epoch)
};

// Lines on linear axes covering every finite point (y padded by 5%, both
// axes on "nice" ticks). A series of more than 1,000 points is thinned by a
// fixed stride (keeping the first and last) so the file stays small. With no
// finite point at all, the chart says "no data".
std::string SvgLineChart(const std::vector<LineSeries>& series, const ChartOptions& options);

// Text escaped for XML/HTML content and double-quoted attributes: & < > " '.
std::string XmlEscape(std::string_view text);

// A number as the charts and the report print it: at most `decimals`
// decimals, trailing zeros and a trailing point dropped, "-0" printed as "0",
// "nan"/"inf" for non-finite values. Locale-independent.
std::string FormatNumber(double value, int decimals);

// Evenly spaced "nice" tick values (steps of 1, 2 or 5 times a power of ten)
// covering [lo, hi] with about `target` intervals: the first tick <= lo, the
// last >= hi. lo == hi gives a unit-wide range around it.
std::vector<double> NiceTicks(double lo, double hi, int target = 5);

}  // namespace tunesmith::report
