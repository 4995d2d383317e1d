#include "report/svg_chart.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "report/xml_check.h"

namespace tunesmith::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using xml_check::XmlWellFormedError;

struct Bar {
  int series;
  double x, y, width, height, value;
};

// Every <rect class="bar series-N" ...> of a chart, in document order.
std::vector<Bar> Bars(const std::string& svg) {
  static const std::regex kBar(
      R"re(<rect class="bar series-(\d+)" x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)" fill="[^"]*" data-value="([-\d.]+)")re");
  std::vector<Bar> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), kBar); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    out.push_back({std::stoi(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), std::stod(m[5]),
                   std::stod(m[6])});
  }
  return out;
}

// Options with every field spelled out (designated initialisers may not skip fields under -Wextra).
ChartOptions Options(std::string title, std::string x_label = "", std::string y_label = "", int width = 560,
                     std::string id = "") {
  ChartOptions o;
  o.title = std::move(title);
  o.x_label = std::move(x_label);
  o.y_label = std::move(y_label);
  o.width = width;
  o.id = std::move(id);
  return o;
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(FormatNumberTest, Table) {
  const struct {
    double value;
    int decimals;
    const char* want;
  } cases[] = {
      {1.5, 2, "1.5"},      {2, 2, "2"},          {-0.0001, 2, "0"},       {1234.5678, 2, "1234.57"},
      {0.125, 3, "0.125"},  {0.1 + 0.2, 4, "0.3"}, {-3.25, 1, "-3.2"},      {100, 0, "100"},
      {NAN, 2, "nan"},      {INFINITY, 2, "inf"},  {-INFINITY, 2, "-inf"},
  };
  for (const auto& c : cases) EXPECT_EQ(FormatNumber(c.value, c.decimals), c.want) << c.value << " " << c.decimals;
}

TEST(NiceTicksTest, StepsOfOneTwoOrFive) {
  EXPECT_THAT(NiceTicks(0, 0.37), ::testing::ElementsAre(0, 0.1, 0.2, ::testing::DoubleNear(0.3, 1e-12), 0.4));
  EXPECT_THAT(NiceTicks(0, 1), ::testing::ElementsAre(0, 0.2, 0.4, ::testing::DoubleNear(0.6, 1e-12), 0.8, 1));
  const std::vector<double> t = NiceTicks(3.2, 4.1);  // step 0.2
  ASSERT_GE(t.size(), 2u);
  EXPECT_NEAR(t.front(), 3.2, 1e-9);
  EXPECT_NEAR(t.back(), 4.2, 1e-9);
  EXPECT_NEAR(t[1] - t[0], 0.2, 1e-9);
  // One value: a unit-wide range around it.
  const std::vector<double> one = NiceTicks(5, 5);
  EXPECT_LE(one.front(), 4.5);
  EXPECT_GE(one.back(), 5.5);
  EXPECT_THAT(NiceTicks(NAN, 1), ::testing::ElementsAre(0, 1));
}

TEST(XmlEscapeTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(XmlEscape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(XmlEscape("plain ♭3"), "plain ♭3");
}

TEST(XmlCheckTest, AcceptsAndRejects) {
  EXPECT_EQ(XmlWellFormedError("<svg a=\"1\"><g/><text>x &amp; y</text></svg>"), "");
  for (const char* bad : {"<svg><g></svg>", "<svg a=1></svg>", "<svg>a & b</svg>", "<svg a=\"<\"></svg>",
                          "<svg a=\"1\" a=\"2\"></svg>", "<svg></svg><svg></svg>", "<svg>", ""}) {
    EXPECT_NE(XmlWellFormedError(bad), "") << bad;
  }
}

const std::vector<std::string> kCategories = {"C", "D", "E"};
const std::vector<BarSeries> kSeries = {{"real", {0.1, 0.4, 0.2}}, {"generated", {0.3, 0.0, 0.05}}};

TEST(SvgHistogramTest, WellFormedWithLegendAxesAndLabels) {
  const std::string svg = SvgHistogram(kCategories, kSeries, Options("Pitch classes", "degree", "share of notes", 560, "plot-pc"));
  EXPECT_EQ(XmlWellFormedError(svg), "");
  EXPECT_THAT(svg, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart histogram\" id=\"plot-pc\""));
  EXPECT_THAT(svg, HasSubstr(">Pitch classes</text>"));
  EXPECT_THAT(svg, HasSubstr(">real</text>"));
  EXPECT_THAT(svg, HasSubstr(">generated</text>"));
  EXPECT_THAT(svg, HasSubstr(">share of notes</text>"));
  EXPECT_THAT(svg, HasSubstr(">degree</text>"));
  for (const auto& c : kCategories) EXPECT_THAT(svg, HasSubstr(">" + c + "</text>"));
  // y axis from 0 to the nice top 0.4.
  EXPECT_THAT(svg, HasSubstr(">0</text>"));
  EXPECT_THAT(svg, HasSubstr(">0.4</text>"));
}

TEST(SvgHistogramTest, BarHeightsAreProportionalToValuesOnOneBaseline) {
  const std::string svg = SvgHistogram(kCategories, kSeries, Options("t"));
  const std::vector<Bar> bars = Bars(svg);
  ASSERT_EQ(bars.size(), 6u);
  const double baseline = bars[0].y + bars[0].height;
  const double per_unit = bars[1].height / bars[1].value;  // category C, "generated": 0.3
  EXPECT_GT(per_unit, 0);
  for (const Bar& b : bars) {
    EXPECT_NEAR(b.y + b.height, baseline, 0.02);
    EXPECT_NEAR(b.height, b.value * per_unit, 0.02) << b.value;
  }
  // Document order: category by category, the series side by side.
  for (std::size_t c = 0; c < 3; ++c) {
    const Bar& real = bars[2 * c];
    const Bar& generated = bars[2 * c + 1];
    EXPECT_EQ(real.series, 0);
    EXPECT_EQ(generated.series, 1);
    EXPECT_DOUBLE_EQ(real.value, kSeries[0].values[c]);
    EXPECT_NEAR(generated.x, real.x + real.width, 0.02);
    if (c > 0) {
      EXPECT_GT(real.x, bars[2 * c - 1].x);
    }
  }
  // The tallest bar (0.4) reaches the top of the axis, whose top tick is 0.4.
  EXPECT_NEAR(bars[2].height, 300 - 46 - 46, 0.02);
}

TEST(SvgHistogramTest, NegativeAndMissingValuesDrawAsZero) {
  const std::string svg = SvgHistogram({"a", "b", "c"}, {{"s", {-1, NAN}}}, Options("t"));
  const std::vector<Bar> bars = Bars(svg);
  ASSERT_EQ(bars.size(), 3u);
  for (const Bar& b : bars) EXPECT_EQ(b.height, 0);
  EXPECT_EQ(XmlWellFormedError(svg), "");
}

TEST(SvgHistogramTest, EscapesEveryText) {
  const std::string evil = "<script>alert(\"x\") & 'y'</script>";
  const std::string svg =
      SvgHistogram({evil, "a&b"}, {{evil, {1, 2}}}, Options(evil, evil, evil, 560, evil));
  EXPECT_EQ(XmlWellFormedError(svg), "");
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"));
  EXPECT_THAT(svg, HasSubstr(">a&amp;b</text>"));
}

TEST(SvgHistogramTest, CrowdedLabelsAreThinned) {
  std::vector<std::string> many;
  std::vector<double> values;
  for (int i = -12; i <= 12; ++i) {
    many.push_back(i > 0 ? std::string("+").append(std::to_string(i)) : std::to_string(i));
    values.push_back(1);
  }
  const std::string svg = SvgHistogram(many, {{"a", values}, {"b", values}}, Options("t", "", "", 300));
  // 25 categories of 9 units each cannot all hold a 3-character label.
  const std::size_t axis = svg.find("<g class=\"x-axis\">");
  ASSERT_NE(axis, std::string::npos);
  const int labels = Count(svg.substr(axis, svg.find("</g>", axis) - axis), "<text");
  EXPECT_GT(labels, 1);
  EXPECT_LT(labels, 25);
  EXPECT_EQ(Bars(svg).size(), 50u);
}

TEST(SvgHistogramTest, Deterministic) {
  EXPECT_EQ(SvgHistogram(kCategories, kSeries, Options("t")), SvgHistogram(kCategories, kSeries, Options("t")));
}

TEST(SvgHistogramTest, NoCategoriesSaysNoData) {
  const std::string svg = SvgHistogram({}, {}, Options("empty"));
  EXPECT_EQ(XmlWellFormedError(svg), "");
  EXPECT_THAT(svg, HasSubstr(">no data</text>"));
}

// The (x, y) pixel pairs of the first <polyline> of series `s`.
std::vector<std::pair<double, double>> Polyline(const std::string& svg, int s) {
  const std::string key = "<polyline class=\"line series-" + std::to_string(s) + "\"";
  const std::size_t at = svg.find(key);
  if (at == std::string::npos) return {};
  const std::size_t p = svg.find("points=\"", at) + 8;
  const std::string points = svg.substr(p, svg.find('"', p) - p);
  std::vector<std::pair<double, double>> out;
  static const std::regex kPoint(R"(([-\d.]+),([-\d.]+))");
  for (auto it = std::sregex_iterator(points.begin(), points.end(), kPoint); it != std::sregex_iterator(); ++it)
    out.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  return out;
}

TEST(SvgLineChartTest, PointsMapLinearlyAndMarkersFollowTheOption) {
  const LineSeries train{"train", {{0, 3.0}, {50, 2.0}, {100, 1.5}}, false};
  const LineSeries valid{"valid", {{50, 2.2}, {100, 1.9}}, true};
  const std::string svg =
      SvgLineChart({train, valid}, Options("Loss", "step", "nats per token"));
  EXPECT_EQ(XmlWellFormedError(svg), "");
  EXPECT_THAT(svg, HasSubstr("class=\"chart line-chart\""));
  EXPECT_THAT(svg, HasSubstr(">train</text>"));
  EXPECT_THAT(svg, HasSubstr(">valid</text>"));
  EXPECT_THAT(svg, HasSubstr(">step</text>"));
  const auto t = Polyline(svg, 0);
  ASSERT_EQ(t.size(), 3u);
  // x: equal steps give equal pixel steps; y: a lower loss is lower on the page (larger pixel y).
  EXPECT_NEAR(t[1].first - t[0].first, t[2].first - t[1].first, 0.02);
  EXPECT_LT(t[0].second, t[1].second);
  EXPECT_NEAR((t[1].second - t[0].second) / (t[2].second - t[1].second), 1.0 / 0.5, 1e-3);
  EXPECT_EQ(Polyline(svg, 1).size(), 2u);
  EXPECT_EQ(Count(svg, "<circle"), 2);  // markers on valid only
}

TEST(SvgLineChartTest, LongSeriesAreThinnedKeepingTheEnds) {
  LineSeries s{"long", {}, false};
  for (int i = 0; i < 5000; ++i) s.points.emplace_back(i, 1.0 / (1 + i));
  const std::string svg = SvgLineChart({s}, Options("t"));
  const auto pts = Polyline(svg, 0);
  EXPECT_LE(pts.size(), 1001u);
  EXPECT_GE(pts.size(), 900u);
  const auto full = Polyline(SvgLineChart({{"short", {{0, 1.0}, {4999, 1.0 / 5000}}, false}}, Options("t")), 0);
  ASSERT_EQ(full.size(), 2u);
  EXPECT_NEAR(pts.front().first, full.front().first, 0.02);
  EXPECT_NEAR(pts.back().first, full.back().first, 0.02);
  EXPECT_NEAR(pts.back().second, full.back().second, 0.02);
}

TEST(SvgLineChartTest, NonFiniteSkippedAndEmptySaysNoData) {
  const std::string svg = SvgLineChart({{"s", {{0, 1}, {1, NAN}, {2, INFINITY}, {3, 2}}, false}}, Options("t"));
  EXPECT_EQ(Polyline(svg, 0).size(), 2u);
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
  const std::string empty = SvgLineChart({{"s", {{0, NAN}}, false}}, Options("t"));
  EXPECT_EQ(XmlWellFormedError(empty), "");
  EXPECT_THAT(empty, HasSubstr(">no data</text>"));
  const std::string single = SvgLineChart({{"s", {{1, 2}}, false}}, Options("t"));
  EXPECT_EQ(XmlWellFormedError(single), "");
  EXPECT_EQ(Count(single, "<circle"), 1);  // a lone point gets its marker
}

}  // namespace
}  // namespace tunesmith::report
