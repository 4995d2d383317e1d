#include "report/report_structure.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "abc/reader.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "report/report_markdown.h"
#include "report/report_test_data.h"
#include "report/report_view.h"

namespace tunesmith::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using test_data::SampleReport;

std::vector<abc::Tune> ReadTunes(const std::string& text) {
  return abc::ReadAbc(text, "test.abc").tunes;
}

std::vector<const abc::Tune*> Pointers(const std::vector<abc::Tune>& tunes) {
  std::vector<const abc::Tune*> out;
  for (const abc::Tune& t : tunes) out.push_back(&t);
  return out;
}

constexpr const char* kTwoJigs =
    "X:1\nT:a\nM:6/8\nL:1/8\nK:D\n|:DFA dAF|GBd gdB|DFA dAF|E3 D3:|\n\n"
    "X:2\nT:b\nM:6/8\nL:1/8\nK:G\n|:GBd gdB|ABc dcA|GBd gdB|A3 G3:|\n";
constexpr const char* kTwoReels =
    "X:1\nT:c\nM:4/4\nL:1/8\nK:C\nCDEF GABc|cBAG FEDC|\n\nX:2\nT:d\nM:4/4\nL:1/8\nK:C\nCEGc BGEC|DFAd cAFD|\n";

TEST(ReportStructureTest, StructureJsonHoldsEveryRowOfTheJudgement) {
  const std::vector<abc::Tune> gen = ReadTunes(kTwoReels), real = ReadTunes(kTwoJigs);
  const eval::SetJudgement j = eval::JudgeSets(Pointers(gen), Pointers(real));
  const nlohmann::json s = StructureToJson(j);
  EXPECT_EQ(s["real_tunes"], 2);
  EXPECT_EQ(s["generated_tunes"], 2);
  EXPECT_EQ(s["similar_bar_threshold"], 0.75);
  EXPECT_EQ(s["instrument_range"]["highest"], 83);
  ASSERT_EQ(s["figures"].size(), j.structure.size());
  for (std::size_t i = 0; i < j.structure.size(); ++i) {
    const nlohmann::json& f = s["figures"][i];
    const eval::StructureRow& row = j.structure[i];
    EXPECT_EQ(f["key"], row.key);
    EXPECT_EQ(f["generated_count"], row.generated_count);
    if (row.generated) EXPECT_DOUBLE_EQ(f["generated"].get<double>(), *row.generated) << row.key;
    else EXPECT_TRUE(f["generated"].is_null()) << row.key;
    if (row.real) EXPECT_DOUBLE_EQ(f["real"].get<double>(), *row.real) << row.key;
    else EXPECT_TRUE(f["real"].is_null()) << row.key;
  }
}

TEST(ReportStructureTest, ClassifierJsonSaysWhyATestDidNotRun) {
  const std::vector<abc::Tune> gen = ReadTunes(kTwoReels), real = ReadTunes(kTwoJigs);
  eval::JudgeOptions o;
  o.seed = 9;
  const nlohmann::json c = ClassifierToJson(eval::JudgeSets(Pointers(gen), Pointers(real), o), o);
  EXPECT_EQ(c["seed"], 9);
  EXPECT_EQ(c["folds"], 5);
  EXPECT_EQ(c["features"].size(), eval::ClassifierFeatureNames().size());
  ASSERT_TRUE(c.contains("generated_vs_real"));
  EXPECT_EQ(c["generated_vs_real"]["tunes_a"], 2);
  EXPECT_EQ(c["generated_vs_real"]["folds"], 2);  // no more folds than tunes in a set
  ASSERT_TRUE(c.contains("generated_vs_real_key_free"));
  EXPECT_FALSE(c.contains("real_vs_real"));       // 2 real tunes cannot be halved into sets of 2
  EXPECT_THAT(c["real_vs_real_error"].get<std::string>(), HasSubstr("fewer than 4"));
}

struct CellCase {
  nlohmann::json value;
  const char* unit;
  const char* cell;
};

TEST(ReportStructureTest, FigureCells) {
  const CellCase cases[] = {
      {0.195, "share of bar pairs", "19.5%"},
      {0.004, "share of tunes", "0.4%"},
      {0, "share of tunes", "0%"},
      {1, "share of tunes", "100%"},
      {2.1666, "median over tunes, semitones", "2.17"},
      {81, "median over tunes, MIDI", "81"},
      {nullptr, "share of tunes", "—"},
  };
  for (const CellCase& c : cases) EXPECT_EQ(FigureCell(&c.value, c.unit, "x"), c.cell) << c.value.dump();
  EXPECT_EQ(FigureCell(nullptr, "share", "x"), "—");
  const nlohmann::json text = "high";
  EXPECT_THROW(FigureCell(&text, "share", "x"), ReportError);
}

TEST(ReportStructureTest, HtmlTablesShowBothSets) {
  const std::string html = StructureSectionsHtml(SampleReport());
  EXPECT_THAT(html, HasSubstr("<tr class=\"group\"><th colspan=\"6\">repetition</th></tr>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>bar n+4 repeats bar n exactly</td><td>1.6%</td><td>19.5%</td>"
                              "<td>share of bar pairs</td><td>1200</td><td>600</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<td>part 2 minus part 1, mean pitch</td><td>0.9</td><td>2</td>"));
  EXPECT_THAT(html, HasSubstr("<td>6/8 bars made of classic jig figures</td><td>—</td><td>86%</td>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>generated vs real</td><td>0.912</td><td>98 / 48</td><td>0.88–0.95</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>generated vs real, without the key-dependent features</td><td>0.85</td>"));
  EXPECT_THAT(html, HasSubstr("<td>0.48 (mean 0.51 over 3 halvings, 0.48–0.55)</td><td>24 / 24</td><td>0.4–0.6</td>"));
  EXPECT_THAT(html, HasSubstr("2 features</summary>"));

  nlohmann::json partial = SampleReport();
  partial.erase("structure");
  partial["classifier"].erase("real_vs_real");
  partial["classifier"]["real_vs_real_error"] = "too <few> tunes";
  const std::string missing = StructureSectionsHtml(partial);
  EXPECT_THAT(missing, HasSubstr("<h2>Musical structure: generated against real tunes</h2>\n<p class=\"missing\">not measured</p>"));
  EXPECT_THAT(missing, HasSubstr("too &lt;few&gt; tunes"));
  EXPECT_THAT(StructureSectionsHtml(NewReport()), Not(HasSubstr("<table")));
}

TEST(ReportStructureTest, PageCarriesTheSectionsAndNamesWrongTypes) {
  auto page = RenderReportHtml(SampleReport(), "/* abcjs */", "");
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_THAT(*page, HasSubstr("<section id=\"structure\">"));
  EXPECT_THAT(*page, HasSubstr("<section id=\"classifier\">"));
  EXPECT_THAT(*page, HasSubstr("<a href=\"#structure\">"));

  nlohmann::json bad = SampleReport();
  bad["structure"]["figures"][0]["real"] = "a lot";
  auto failed = RenderReportHtml(bad, "/* abcjs */", "");
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.status().message(), HasSubstr("structure.figures.bar_repeat_exact_4 must be a number"));
  bad = SampleReport();
  bad["classifier"]["generated_vs_real"]["fold_auc"][1] = "x";
  failed = RenderReportHtml(bad, "/* abcjs */", "");
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.status().message(), HasSubstr("classifier.generated_vs_real.fold_auc[1] must be a number"));
}

TEST(ReportStructureTest, MarkdownPutsReportsSideBySide) {
  nlohmann::json other = SampleReport();
  other.erase("structure");
  other["classifier"]["generated_vs_real"]["auc"] = 0.75;
  auto md = WriteReportsMarkdown({{"default", SampleReport()}, {"baseline", other}});
  ASSERT_TRUE(md.ok()) << md.status().message();
  EXPECT_THAT(*md, HasSubstr("| figure | of | default generated | default real | baseline generated | baseline real |\n"
                             "|---|---|---:|---:|---:|---:|\n| tunes | | 98 | 48 | — | — |\n"
                             "| **repetition** | | | | | |\n"));
  EXPECT_THAT(*md, HasSubstr("| bar n+4 repeats bar n exactly | share of bar pairs | 1.6% | 19.5% | — | — |\n"));
  EXPECT_THAT(*md, HasSubstr("| test | default | baseline |\n|---|---:|---:|\n"
                             "| generated vs real | 0.912 (98 / 48 tunes) | 0.75 (98 / 48 tunes) |\n"));
  EXPECT_THAT(*md, HasSubstr("| real vs real (two random halves of the real set) | 0.48 (24 / 24 tunes; mean 0.51 over "
                             "3 halvings, 0.48–0.55) |"));
  other = SampleReport();
  other["classifier"].erase("generated_vs_real_key_free");
  auto without = WriteReportMarkdown(other);
  ASSERT_TRUE(without.ok());
  EXPECT_THAT(*without, Not(HasSubstr("without the key-dependent features")));
}

}  // namespace
}  // namespace tunesmith::report
