#include "report/report_html.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/report_json.h"
#include "report/report_test_data.h"
#include "report/xml_check.h"

namespace tunesmith::report {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using test_data::SampleReport;

// Stands for abcjs: a version line, and a "</script>" that must not close the element.
const std::string kFakeAbcjs = "/*! abcjs_basic v9.8.7 Copyright */\nvar ABCJS = {}; var s = '</script>';\n";

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string Render(const nlohmann::json& report, const std::string& dir = "") {
  auto html = RenderReportHtml(report, kFakeAbcjs, dir);
  EXPECT_TRUE(html.ok()) << html.status().message();
  return html.ok() ? *html : "";
}

// A fresh empty folder under the test's temporary directory.
fs::path TempDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("tunesmith_report_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ReportHtmlTest, HasEveryTableWithItsNumbers) {
  const std::string html = Render(SampleReport());
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<table class=\"likelihood\">"));
  EXPECT_THAT(html, HasSubstr("<td>bits per token</td><td>1.2346</td>"));
  EXPECT_THAT(html, HasSubstr("<td>bits per tune</td><td>310.26</td>"));
  EXPECT_THAT(html, HasSubstr("<table class=\"validity\">"));
  EXPECT_THAT(html, HasSubstr("<td>read by tunesmith without error</td><td>98/100 (98%)</td>"));
  EXPECT_THAT(html, HasSubstr("<td>bars off the meter</td><td>4/1600 (0.25%)</td>"));
  EXPECT_THAT(html, HasSubstr("<td>converted by abc2midi without errors</td><td>97/100 (97%)</td>"));
  EXPECT_THAT(html, HasSubstr("<table class=\"features\">"));
  EXPECT_THAT(html, HasSubstr("<tr><td>pitch_range</td><td>0.8</td><td>0.1</td><td>13.5</td><td>12.25</td><td>3</td><td>3.5</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<td>pitch_class_histogram</td><td>0.912</td><td>0.046</td>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"#plot-pitch_class_histogram\">histogram</a>"));
  EXPECT_THAT(html, HasSubstr("<table class=\"novelty\">"));
  EXPECT_THAT(html, HasSubstr("generated tunes (98)"));
  EXPECT_THAT(html, HasSubstr("real tunes (48)"));
  EXPECT_THAT(html, HasSubstr("<tr><td>longest shared bar run (bars)</td><td>1.5</td><td>1</td><td>3</td><td>4</td>"
                              "<td>2</td><td>2</td><td>5</td><td>8</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<code>models/default.ts</code>"));
  EXPECT_THAT(html, HasSubstr("lstm, abc-token tokens, 1234567 parameters"));
  EXPECT_THAT(html, HasSubstr("train 900, valid 50, test 48"));
  EXPECT_THAT(html, HasSubstr("<tr><th>seed</th><td>7</td></tr>"));
}

TEST(ReportHtmlTest, PlotsAreInlineWellFormedSvg) {
  const std::string html = Render(SampleReport());
  // Two histograms from the report, two training charts.
  EXPECT_EQ(Count(html, "<svg xmlns"), 4);
  EXPECT_THAT(html, HasSubstr("id=\"plot-pitch_class_histogram\""));
  EXPECT_THAT(html, HasSubstr("id=\"plot-pitch_range\""));
  EXPECT_THAT(html, HasSubstr("id=\"plot-training-loss\""));
  EXPECT_THAT(html, HasSubstr("id=\"plot-training-bits-per-tune\""));
  EXPECT_THAT(html, HasSubstr(">real (test)</text>"));
  for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
    const std::size_t end = html.find("</svg>", at);
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(xml_check::XmlWellFormedError(html.substr(at, end + 6 - at)), "") << html.substr(at, 200);
  }
}

TEST(ReportHtmlTest, ExampleTunesCarryTheirAbcEscapedAndThePlayers) {
  nlohmann::json r = SampleReport();
  r["examples"][2]["title"] = "<b>bold</b> & co";
  const std::string html = Render(r);
  EXPECT_EQ(Count(html, "<article class=\"tune\""), 5);
  for (int i = 1; i <= 5; ++i) EXPECT_THAT(html, HasSubstr("<div class=\"notation\" id=\"notation-" + std::to_string(i) + "\">"));
  EXPECT_EQ(Count(html, "<pre class=\"abc-source\">"), 5);
  EXPECT_THAT(html, HasSubstr("T:Test Jig &lt;one&gt; &amp; &quot;two&quot;\nM:6/8"));
  EXPECT_THAT(html, HasSubstr("<h3>3. &lt;b&gt;bold&lt;/b&gt; &amp; co</h3>"));
  EXPECT_THAT(html, Not(HasSubstr("<b>bold")));
  // No folder to check against: the player is written, its path percent-encoded.
  EXPECT_THAT(html, HasSubstr("<audio controls preload=\"metadata\" src=\"audio/tune%201.wav\">"));
  EXPECT_EQ(Count(html, "<audio"), 1);
  EXPECT_THAT(html, HasSubstr("<a href=\"midi/tune2.mid\">MIDI file</a>"));
  EXPECT_THAT(html, HasSubstr("seed 101 · longest shared bar run 2 (The Old One) · longest shared note run 9"));
}

TEST(ReportHtmlTest, InlinesAbcjsSafelyAndTheRenderScript) {
  const std::string html = Render(SampleReport());
  EXPECT_THAT(html, HasSubstr("var ABCJS = {}; var s = '<\\/script>';"));
  EXPECT_THAT(html, Not(HasSubstr("'</script>'")));
  EXPECT_THAT(html, HasSubstr("ABCJS.renderAbc(target, abc"));
  EXPECT_THAT(html, HasSubstr("Sheet music by abcjs_basic v9.8.7, inlined."));
  // Every <script> is closed once: the bundle's text did not end one early.
  EXPECT_EQ(Count(html, "<script>"), Count(html, "</script>"));
}

TEST(ReportHtmlTest, RefusesABundleThatCannotBeInlined) {
  auto html = RenderReportHtml(SampleReport(), "var a = '<!--';", "");
  ASSERT_FALSE(html.ok());
  EXPECT_THAT(html.status().message(), HasSubstr("cannot be inlined"));
}

TEST(ReportHtmlTest, MissingSectionsSayNotMeasured) {
  const std::string html = Render(NewReport());
  EXPECT_GE(Count(html, "<p class=\"missing\">not measured</p>"), 4);
  EXPECT_THAT(html, HasSubstr("no metrics log was found beside the model"));
  EXPECT_THAT(html, HasSubstr("no example tunes"));
}

TEST(ReportHtmlTest, WrongTypesAndVersionsAreNamed) {
  nlohmann::json r = SampleReport();
  r["likelihood"]["bits_per_token"] = "low";
  auto html = RenderReportHtml(r, kFakeAbcjs, "");
  ASSERT_FALSE(html.ok());
  EXPECT_THAT(html.status().message(), HasSubstr("likelihood.bits_per_token must be a number, found string"));

  r = SampleReport();
  r["histograms"][1]["real"][0] = true;
  html = RenderReportHtml(r, kFakeAbcjs, "");
  ASSERT_FALSE(html.ok());
  EXPECT_THAT(html.status().message(), HasSubstr("histograms[1].real[0] must be a number"));

  r = SampleReport();
  r["format_version"] = 99;
  html = RenderReportHtml(r, kFakeAbcjs, "");
  ASSERT_FALSE(html.ok());
  EXPECT_THAT(html.status().message(), HasSubstr("format_version 99, this build reads version 1"));

  html = RenderReportHtml(nlohmann::json::array(), kFakeAbcjs, "");
  ASSERT_FALSE(html.ok());
  EXPECT_THAT(html.status().message(), HasSubstr("expected a JSON object"));
}

TEST(ReportHtmlTest, AudioMustStayInTheReportFolder) {
  for (const char* bad : {"/tmp/x.wav", "../x.wav", "audio/../../x.wav", "http://example.org/x.wav"}) {
    nlohmann::json r = SampleReport();
    r["examples"][1]["audio"] = bad;
    auto html = RenderReportHtml(r, kFakeAbcjs, "");
    ASSERT_FALSE(html.ok()) << bad;
    EXPECT_THAT(html.status().message(), HasSubstr("examples[1].audio must")) << bad;
  }
}

TEST(ReportHtmlTest, MissingAudioFileGetsANoteInsteadOfAPlayer) {
  const fs::path dir = TempDir("audio");
  std::string html = Render(SampleReport(), dir.string());
  EXPECT_EQ(Count(html, "<audio"), 0);
  EXPECT_THAT(html, HasSubstr("audio file audio/tune 1.wav is missing from the report folder"));
  fs::create_directories(dir / "audio");
  std::ofstream(dir / "audio" / "tune 1.wav") << "RIFF";
  html = Render(SampleReport(), dir.string());
  EXPECT_EQ(Count(html, "<audio"), 1);
  fs::remove_all(dir);
}

TEST(ReportHtmlTest, WriteReportFilesWritesJsonAndHtml) {
  const fs::path dir = TempDir("files") / "nested";
  const fs::path abcjs = dir.parent_path() / "abcjs-basic-min.js";
  std::ofstream(abcjs) << kFakeAbcjs;
  HtmlOptions options;
  options.abcjs_path = abcjs.string();
  options.title = "My report";
  ASSERT_TRUE(WriteReportFiles(SampleReport(), dir.string(), options).ok());
  EXPECT_EQ(nlohmann::json::parse(ReadAll(dir / "report.json")), SampleReport());
  const std::string html = ReadAll(dir / "report.html");
  EXPECT_THAT(html, HasSubstr("<title>My report</title>"));
  EXPECT_THAT(html, HasSubstr("<table class=\"likelihood\">"));
  EXPECT_FALSE(fs::exists(dir / "report.html.tmp"));

  // A report that cannot be drawn writes nothing.
  nlohmann::json bad = SampleReport();
  bad["validity"] = "all good";
  fs::remove(dir / "report.json");
  const Status st = WriteReportFiles(bad, dir.string(), options);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("validity must be an object"));
  EXPECT_FALSE(fs::exists(dir / "report.json"));
  fs::remove_all(dir.parent_path());
}

TEST(ReportHtmlTest, WithoutAbcjsTheMessageSaysNpmCi) {
  auto found = PickAbcjs({"/nonexistent/a/abcjs-basic-min.js", "/nonexistent/b/abcjs-basic-min.js"});
  ASSERT_FALSE(found.ok());
  EXPECT_THAT(found.status().message(), HasSubstr("npm ci"));
  EXPECT_THAT(found.status().message(), HasSubstr("/nonexistent/b/abcjs-basic-min.js"));
  auto explicit_missing = FindAbcjs("/nonexistent/abcjs.js");
  EXPECT_FALSE(explicit_missing.ok());
  HtmlOptions options;
  options.abcjs_path = "/nonexistent/abcjs.js";
  EXPECT_FALSE(WriteReportHtml(SampleReport(), TempDir("noabcjs").string(), options).ok());
}

TEST(ReportHtmlTest, Deterministic) {
  EXPECT_EQ(Render(SampleReport()), Render(SampleReport()));
}

}  // namespace
}  // namespace tunesmith::report
