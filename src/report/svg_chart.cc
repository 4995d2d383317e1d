#include "report/svg_chart.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>

namespace tunesmith::report {
namespace {

// Layout of every chart, in SVG user units.
constexpr double kMarginLeft = 58, kMarginRight = 16, kMarginTop = 46, kMarginBottom = 46;
constexpr double kFontSize = 11;
constexpr double kCharWidth = 6.2;  // average glyph advance at kFontSize, for label spacing
constexpr std::size_t kMaxLinePoints = 1000;

const char* SeriesColor(std::size_t i) {
  constexpr std::size_t n = sizeof(kSeriesColors) / sizeof(kSeriesColors[0]);
  return kSeriesColors[i % n];
}

// Coordinates: two decimals are far below a pixel.
std::string C(double v) { return FormatNumber(v, 2); }

// Decimals that tell ticks `step` apart (steps are 1, 2 or 5 times 10^k).
int TickDecimals(const std::vector<double>& ticks) {
  if (ticks.size() < 2) return 0;
  const double step = ticks[1] - ticks[0];
  return std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 8);
}

struct Plot {
  double left, top, right, bottom;  // the plotting area
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

Plot PlotArea(const ChartOptions& o) {
  return {kMarginLeft, kMarginTop, o.width - kMarginRight, o.height - kMarginBottom};
}

void OpenSvg(std::string& out, const ChartOptions& o, const char* kind) {
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ";
  out += kind;
  out += "\"";
  if (!o.id.empty()) out += " id=\"" + XmlEscape(o.id) + "\"";
  out += " width=\"" + std::to_string(o.width) + "\" height=\"" + std::to_string(o.height) + "\" viewBox=\"0 0 " +
         std::to_string(o.width) + " " + std::to_string(o.height) + "\" role=\"img\" font-family=\"sans-serif\" font-size=\"" +
         C(kFontSize) + "\">\n";
  out += "<title>" + XmlEscape(o.title) + "</title>\n";
  out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"" + std::to_string(o.width) + "\" height=\"" +
         std::to_string(o.height) + "\" fill=\"#ffffff\"/>\n";
  out += "<text class=\"chart-title\" x=\"" + C(kMarginLeft) + "\" y=\"16\" font-size=\"13\" font-weight=\"bold\">" +
         XmlEscape(o.title) + "</text>\n";
}

// The legend: one swatch and name per series, in a row under the title.
void Legend(std::string& out, const std::vector<std::string>& names, bool lines) {
  double x = kMarginLeft;
  const double y = 32;
  out += "<g class=\"legend\">\n";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (lines) {
      out += "<line x1=\"" + C(x) + "\" y1=\"" + C(y - 4) + "\" x2=\"" + C(x + 14) + "\" y2=\"" + C(y - 4) +
             "\" stroke=\"" + SeriesColor(i) + "\" stroke-width=\"2\"/>";
    } else {
      out += "<rect x=\"" + C(x) + "\" y=\"" + C(y - 9) + "\" width=\"10\" height=\"10\" fill=\"" + SeriesColor(i) +
             "\"/>";
    }
    out += "<text x=\"" + C(x + 18) + "\" y=\"" + C(y) + "\">" + XmlEscape(names[i]) + "</text>\n";
    x += 18 + kCharWidth * static_cast<double>(names[i].size()) + 16;
  }
  out += "</g>\n";
}

// Horizontal grid lines with their labels on the left, and the axis titles.
void YAxis(std::string& out, const Plot& p, const std::vector<double>& ticks, const ChartOptions& o) {
  const int decimals = TickDecimals(ticks);
  const double lo = ticks.front(), hi = ticks.back();
  out += "<g class=\"y-axis\">\n";
  for (double t : ticks) {
    const double y = p.bottom - (t - lo) / (hi - lo) * p.height();
    out += "<line x1=\"" + C(p.left) + "\" y1=\"" + C(y) + "\" x2=\"" + C(p.right) + "\" y2=\"" + C(y) +
           "\" stroke=\"#dddddd\" stroke-width=\"1\"/>";
    out += "<text x=\"" + C(p.left - 5) + "\" y=\"" + C(y + 4) + "\" text-anchor=\"end\">" +
           FormatNumber(t, decimals) + "</text>\n";
  }
  out += "</g>\n";
  if (!o.y_label.empty()) {
    const double cy = (p.top + p.bottom) / 2;
    out += "<text class=\"y-label\" x=\"12\" y=\"" + C(cy) + "\" text-anchor=\"middle\" transform=\"rotate(-90 12 " +
           C(cy) + ")\">" + XmlEscape(o.y_label) + "</text>\n";
  }
  if (!o.x_label.empty()) {
    out += "<text class=\"x-label\" x=\"" + C((p.left + p.right) / 2) + "\" y=\"" + C(o.height - 8.0) +
           "\" text-anchor=\"middle\">" + XmlEscape(o.x_label) + "</text>\n";
  }
}

void Frame(std::string& out, const Plot& p) {
  out += "<line class=\"axis\" x1=\"" + C(p.left) + "\" y1=\"" + C(p.bottom) + "\" x2=\"" + C(p.right) + "\" y2=\"" +
         C(p.bottom) + "\" stroke=\"#333333\" stroke-width=\"1\"/>\n";
  out += "<line class=\"axis\" x1=\"" + C(p.left) + "\" y1=\"" + C(p.top) + "\" x2=\"" + C(p.left) + "\" y2=\"" +
         C(p.bottom) + "\" stroke=\"#333333\" stroke-width=\"1\"/>\n";
}

void NoData(std::string& out, const Plot& p) {
  out += "<text class=\"no-data\" x=\"" + C((p.left + p.right) / 2) + "\" y=\"" + C((p.top + p.bottom) / 2) +
         "\" text-anchor=\"middle\" fill=\"#888888\">no data</text>\n";
}

double Finite(double v) { return std::isfinite(v) ? v : 0; }

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string FormatNumber(double value, int decimals) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed, std::max(decimals, 0));
  if (ec != std::errc()) {  // |value| beyond 1e40 or so: scientific is fine there
    end = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific, 3).ptr;
    return std::string(buf, end);
  }
  std::string s(buf, end);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::vector<double> NiceTicks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) {
    lo -= 0.5;
    hi += 0.5;
  }
  target = std::max(target, 1);
  const double raw = (hi - lo) / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double r = raw / magnitude;
  const double step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
  const double first = std::floor(lo / step + 1e-9) * step;
  const double last = std::ceil(hi / step - 1e-9) * step;
  std::vector<double> ticks;
  const int n = static_cast<int>(std::llround((last - first) / step));
  for (int i = 0; i <= n; ++i) {
    double t = first + i * step;
    if (std::abs(t) < step * 1e-9) t = 0;
    ticks.push_back(t);
  }
  if (ticks.size() < 2) ticks.push_back(first + step);
  return ticks;
}

std::string SvgHistogram(const std::vector<std::string>& categories, const std::vector<BarSeries>& series,
                         const ChartOptions& options) {
  std::string out;
  OpenSvg(out, options, "histogram");
  const Plot p = PlotArea(options);
  std::vector<std::string> names;
  for (const auto& s : series) names.push_back(s.name);
  Legend(out, names, /*lines=*/false);

  double max_value = 0;
  for (const auto& s : series)
    for (double v : s.values) max_value = std::max(max_value, Finite(v));
  const std::vector<double> ticks = NiceTicks(0, max_value > 0 ? max_value : 1);
  const double top_value = ticks.back();
  YAxis(out, p, ticks, options);

  const std::size_t n = categories.size();
  if (n == 0 || series.empty()) {
    NoData(out, p);
  } else {
    const double category_width = p.width() / static_cast<double>(n);
    const double group_width = category_width * 0.8;
    const double bar_width = group_width / static_cast<double>(series.size());
    out += "<g class=\"bars\">\n";
    for (std::size_t c = 0; c < n; ++c) {
      const double group_left = p.left + category_width * static_cast<double>(c) + (category_width - group_width) / 2;
      for (std::size_t s = 0; s < series.size(); ++s) {
        const double v = c < series[s].values.size() ? std::max(Finite(series[s].values[c]), 0.0) : 0.0;
        const double h = v / top_value * p.height();
        const double x = group_left + bar_width * static_cast<double>(s);
        out += "<rect class=\"bar series-" + std::to_string(s) + "\" x=\"" + C(x) + "\" y=\"" + C(p.bottom - h) +
               "\" width=\"" + C(bar_width) + "\" height=\"" + C(h) + "\" fill=\"" + SeriesColor(s) +
               "\" data-value=\"" + FormatNumber(v, 6) + "\"><title>" + XmlEscape(series[s].name) + ", " +
               XmlEscape(categories[c]) + ": " + FormatNumber(v, 4) + "</title></rect>\n";
      }
    }
    out += "</g>\n";
    // Category labels, every k-th when they would overlap.
    std::size_t widest = 1;
    for (const auto& c : categories) widest = std::max(widest, c.size());
    const double label_width = kCharWidth * static_cast<double>(widest) + 6;
    const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(label_width / category_width)));
    out += "<g class=\"x-axis\">\n";
    for (std::size_t c = 0; c < n; c += every) {
      const double x = p.left + category_width * (static_cast<double>(c) + 0.5);
      out += "<text x=\"" + C(x) + "\" y=\"" + C(p.bottom + 15) + "\" text-anchor=\"middle\">" +
             XmlEscape(categories[c]) + "</text>\n";
    }
    out += "</g>\n";
  }
  Frame(out, p);
  out += "</svg>\n";
  return out;
}

std::string SvgLineChart(const std::vector<LineSeries>& series, const ChartOptions& options) {
  std::string out;
  OpenSvg(out, options, "line-chart");
  const Plot p = PlotArea(options);
  std::vector<std::string> names;
  for (const auto& s : series) names.push_back(s.name);
  Legend(out, names, /*lines=*/true);

  // The finite points of each series, thinned past kMaxLinePoints.
  std::vector<std::vector<std::pair<double, double>>> shown(series.size());
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::vector<std::pair<double, double>> finite;
    for (const auto& [x, y] : series[s].points)
      if (std::isfinite(x) && std::isfinite(y)) finite.emplace_back(x, y);
    const std::size_t stride = (finite.size() + kMaxLinePoints - 1) / kMaxLinePoints;
    for (std::size_t i = 0; i < finite.size(); ++i)
      if (stride <= 1 || i % stride == 0 || i + 1 == finite.size()) shown[s].push_back(finite[i]);
    for (const auto& [x, y] : shown[s]) {
      x_lo = std::min(x_lo, x);
      x_hi = std::max(x_hi, x);
      y_lo = std::min(y_lo, y);
      y_hi = std::max(y_hi, y);
    }
  }
  if (!std::isfinite(x_lo)) {
    YAxis(out, p, {0, 1}, options);
    NoData(out, p);
    Frame(out, p);
    out += "</svg>\n";
    return out;
  }
  const double pad = (y_hi - y_lo) * 0.05;
  const std::vector<double> y_ticks = NiceTicks(y_lo - pad, y_hi + pad);
  const std::vector<double> x_ticks = NiceTicks(x_lo, x_hi, 6);
  YAxis(out, p, y_ticks, options);
  const double x0 = x_ticks.front(), x1 = x_ticks.back(), y0 = y_ticks.front(), y1 = y_ticks.back();
  auto px = [&](double x) { return p.left + (x - x0) / (x1 - x0) * p.width(); };
  auto py = [&](double y) { return p.bottom - (y - y0) / (y1 - y0) * p.height(); };

  const int x_decimals = TickDecimals(x_ticks);
  out += "<g class=\"x-axis\">\n";
  for (double t : x_ticks) {
    out += "<line x1=\"" + C(px(t)) + "\" y1=\"" + C(p.bottom) + "\" x2=\"" + C(px(t)) + "\" y2=\"" + C(p.bottom + 4) +
           "\" stroke=\"#333333\" stroke-width=\"1\"/>";
    out += "<text x=\"" + C(px(t)) + "\" y=\"" + C(p.bottom + 15) + "\" text-anchor=\"middle\">" +
           FormatNumber(t, x_decimals) + "</text>\n";
  }
  out += "</g>\n";

  for (std::size_t s = 0; s < series.size(); ++s) {
    if (shown[s].empty()) continue;
    const std::string cls = "series-" + std::to_string(s);
    out += "<polyline class=\"line " + cls + "\" fill=\"none\" stroke=\"" + SeriesColor(s) +
           "\" stroke-width=\"1.5\" points=\"";
    for (std::size_t i = 0; i < shown[s].size(); ++i) {
      if (i) out += ' ';
      out += C(px(shown[s][i].first)) + "," + C(py(shown[s][i].second));
    }
    out += "\"><title>" + XmlEscape(series[s].name) + "</title></polyline>\n";
    if (series[s].markers || shown[s].size() == 1) {
      out += "<g class=\"markers " + cls + "\">\n";
      for (const auto& [x, y] : shown[s]) {
        out += "<circle cx=\"" + C(px(x)) + "\" cy=\"" + C(py(y)) + "\" r=\"3\" fill=\"" + SeriesColor(s) +
               "\"><title>" + XmlEscape(series[s].name) + ": " + FormatNumber(x, 4) + ", " + FormatNumber(y, 4) +
               "</title></circle>\n";
      }
      out += "</g>\n";
    }
  }
  Frame(out, p);
  out += "</svg>\n";
  return out;
}

}  // namespace tunesmith::report
