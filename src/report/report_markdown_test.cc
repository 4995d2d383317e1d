#include "report/report_markdown.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/report_json.h"
#include "report/report_test_data.h"

namespace tunesmith::report {
namespace {

using ::testing::HasSubstr;
using test_data::SampleReport;

nlohmann::json Baseline() {
  nlohmann::json r = SampleReport();
  r["model"]["path"] = "models/seed-baseline.ts";
  r["model"]["tokenizer"] = "char";
  r["likelihood"]["bits_per_token"] = 2.5;
  r["likelihood"]["bits_per_tune"] = 420;
  r["features"]["comparison"][1]["overlap_area"] = 0.6;
  r.erase("validity");
  return r;
}

TEST(ReportMarkdownTest, TwoReportsSideBySide) {
  auto md = WriteReportsMarkdown({{"default", SampleReport()}, {"seed|baseline", Baseline()}});
  ASSERT_TRUE(md.ok()) << md.status().message();
  const std::string& s = *md;
  EXPECT_THAT(s, HasSubstr("### Held-out likelihood (test split; lower is better)"));
  EXPECT_THAT(s, HasSubstr("| figure | default | seed\\|baseline |\n|---|---:|---:|\n"));
  EXPECT_THAT(s, HasSubstr("| bits per token | 1.2346 | 2.5 |"));
  EXPECT_THAT(s, HasSubstr("| bits per tune | 310.26 | 420 |"));
  EXPECT_THAT(s, HasSubstr("| model | `models/default.ts` | `models/seed-baseline.ts` |"));
  EXPECT_THAT(s, HasSubstr("| network | lstm, abc-token tokens, 1234567 parameters | lstm, char tokens, 1234567 parameters |"));
  EXPECT_THAT(s, HasSubstr("| tunes train / valid / test | 900 / 50 / 48 | 900 / 50 / 48 |"));
  EXPECT_THAT(s, HasSubstr("| seed | 7 | 7 |"));
  // The baseline has no validity section.
  EXPECT_THAT(s, HasSubstr("| read by tunesmith without error | 98/100 (98%) | — |"));
  EXPECT_THAT(s, HasSubstr("| feature | default OA | default KL | seed\\|baseline OA | seed\\|baseline KL |"));
  EXPECT_THAT(s, HasSubstr("| `pitch_range` | 0.8 | 0.1 | 0.6 | 0.1 |"));
  EXPECT_THAT(s, HasSubstr("| real / generated tunes | 48 / 98 |  | 48 / 98 |  |"));
  EXPECT_THAT(s, HasSubstr("| longest shared bar run, bars | 1.5 / 1 / 3 / 4 | 2 / 2 / 5 / 8 |"));
  EXPECT_THAT(s, HasSubstr("| 8-note windows found, share | 0.4 / 0.4 / 0.6 / 0.8 | 0.5 / 0.5 / 0.7 / 0.9 |"));
  EXPECT_THAT(s, HasSubstr("| best valid bits per tune (epoch) | 350.25 (2) | 350.25 (2) |"));
  EXPECT_THAT(s, HasSubstr("| optimiser steps | 40 | 40 |"));
  EXPECT_THAT(s, HasSubstr("| stopped by | epochs | epochs |"));
}

TEST(ReportMarkdownTest, OneReportIsNamedAfterItsModel) {
  auto md = WriteReportMarkdown(SampleReport());
  ASSERT_TRUE(md.ok());
  EXPECT_THAT(*md, HasSubstr("| figure | models/default.ts |"));
  auto empty = WriteReportMarkdown(NewReport());
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(*empty, HasSubstr("| bits per token | — |"));
}

TEST(ReportMarkdownTest, ErrorsNameTheReportAndTheKey) {
  nlohmann::json bad = Baseline();
  bad["novelty"]["real"]["window8_share"]["p90"] = "high";
  auto md = WriteReportsMarkdown({{"default", SampleReport()}, {"baseline", bad}});
  ASSERT_FALSE(md.ok());
  EXPECT_THAT(md.status().message(), HasSubstr("baseline: "));
  EXPECT_THAT(md.status().message(), HasSubstr("novelty.real.window8_share.p90 must be a number"));
  EXPECT_FALSE(WriteReportsMarkdown(std::vector<NamedReport>{}).ok());
  nlohmann::json other = SampleReport();
  other["format_version"] = 2;
  EXPECT_FALSE(WriteReportMarkdown(other).ok());
}

}  // namespace
}  // namespace tunesmith::report
