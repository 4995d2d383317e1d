#include "eval/stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tunesmith::eval {
namespace {

TEST(StatsTest, QuantilesInterpolateBetweenOrderStatistics) {
  const std::vector<double> sorted = {1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(SortedQuantile(sorted, 0), 1);
  EXPECT_DOUBLE_EQ(SortedQuantile(sorted, 0.5), 3);
  EXPECT_DOUBLE_EQ(SortedQuantile(sorted, 1), 5);
  // Position 0.9 * 4 = 3.6: 4 + 0.6 * (5 - 4).
  EXPECT_DOUBLE_EQ(SortedQuantile(sorted, 0.9), 4.6);
  EXPECT_DOUBLE_EQ(SortedQuantile(std::vector<double>{}, 0.5), 0);
}

TEST(StatsTest, SummaryOfKnownValues) {
  const Summary s = Summarise({4, 1, 3, 2});
  EXPECT_EQ(s.count, 4u);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(s.std_dev, std::sqrt(5.0 / 3.0));  // squares of deviations: 2.25+0.25+0.25+2.25
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.median, 2.5);
  EXPECT_DOUBLE_EQ(s.p90, 3.7);
  EXPECT_DOUBLE_EQ(s.max, 4);
}

TEST(StatsTest, EmptySummaryIsZero) {
  const Summary s = Summarise({});
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.max, 0);
}

}  // namespace
}  // namespace tunesmith::eval
