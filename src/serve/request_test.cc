// Request parsing: a table of malformed and hostile bodies and queries, each
// with the status and the field the answer must name; and what good ones give.
#include "serve/request.h"

#include <gtest/gtest.h>

namespace tunesmith::serve {
namespace {

struct BadBody {
  std::string name;
  std::string body;
  int status;
  std::string field;  // "" when no one field is at fault
};

TEST(ParseTuneRequest, RejectsMalformedAndHostileBodies) {
  const std::vector<BadBody> cases = {
      {"empty", "", 400, ""},
      {"blank", "  \n", 400, ""},
      {"not json", "meter=6/8", 400, ""},
      {"truncated", "{\"meter\": \"6/8\"", 400, ""},
      {"array", "[1,2]", 400, ""},
      {"string", "\"hello\"", 400, ""},
      {"deep nesting", std::string(100000, '[') + std::string(100000, ']'), 400, ""},
      {"too big", "{\"prime\": \"" + std::string(kMaxBodyBytes, 'A') + "\"}", 413, ""},
      {"invalid utf-8", "{\"rhythm\": \"\xff\xfe\"}", 400, ""},
      {"unknown field", "{\"temprature\": 1}", 400, "temprature"},
      {"count is not offered", "{\"count\": 1000000}", 400, "count"},
      {"temperature zero", "{\"temperature\": 0}", 400, "temperature"},
      {"temperature negative", "{\"temperature\": -1}", 400, "temperature"},
      {"temperature huge", "{\"temperature\": 1e9}", 400, "temperature"},
      {"temperature string", "{\"temperature\": \"hot\"}", 400, "temperature"},
      {"temperature overflow", "{\"temperature\": 1e400}", 400, ""},
      {"top_k negative", "{\"top_k\": -5}", 400, "top_k"},
      {"top_k fraction", "{\"top_k\": 2.5}", 400, "top_k"},
      {"top_k huge", "{\"top_k\": 99999999999999999999999}", 400, "top_k"},
      {"top_p zero", "{\"top_p\": 0}", 400, "top_p"},
      {"top_p two", "{\"top_p\": 2}", 400, "top_p"},
      {"bars zero", "{\"bars\": 0}", 400, "bars"},
      {"bars negative", "{\"bars\": -4}", 400, "bars"},
      {"bars huge", "{\"bars\": 100000}", 400, "bars"},
      {"bars with free form", "{\"parts\": \"free\", \"bars\": 8}", 400, "bars"},
      {"parts lower case", "{\"parts\": \"aabb\"}", 400, "parts"},
      {"parts too long", "{\"parts\": \"AABBAABBA\"}", 400, "parts"},
      {"seed negative", "{\"seed\": -1}", 400, "seed"},
      {"seed past 2^53", "{\"seed\": 9007199254740992}", 400, "seed"},
      {"seed string", "{\"seed\": \"7\"}", 400, "seed"},
      {"chords string", "{\"chords\": \"yes\"}", 400, "chords"},
      {"instrument unknown", "{\"instrument\": \"theremin\"}", 400, "instrument"},
      {"meter with a path", "{\"meter\": \"../../etc\"}", 400, "meter"},
      {"key with a newline", "{\"key\": \"G\\nX:2\"}", 400, "key"},
      {"mode too long", "{\"mode\": \"" + std::string(100, 'a') + "\"}", 400, "mode"},
      {"prime too long", "{\"prime\": \"" + std::string(kMaxPrimeBytes + 1, 'A') + "\"}", 400, "prime"},
      {"prime control char", "{\"prime\": \"AB\\u001bc\"}", 400, "prime"},
      {"abc empty", "{\"abc\": \"\"}", 400, "abc"},
      {"abc not a string", "{\"abc\": 5}", 400, "abc"},
      {"abc with settings", "{\"abc\": \"X:1\\nK:C\\nC|\\n\", \"meter\": \"6/8\"}", 400, "meter"},
      {"abc bad parent", "{\"abc\": \"X:1\\nK:C\\nC|\\n\", \"parent\": \"../x\"}", 400, "parent"},
  };
  for (const BadBody& c : cases) {
    auto r = ParseTuneRequest(c.body);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().status, c.status) << c.name << ": " << r.error().message;
    if (!c.field.empty()) {
      EXPECT_EQ(r.error().field, c.field) << c.name << ": " << r.error().message;
    }
    EXPECT_FALSE(r.error().message.empty()) << c.name;
    const nlohmann::json body = r.error().Body();
    EXPECT_TRUE(body["error"].is_string()) << c.name;
  }
}

TEST(ParseTuneRequest, ReadsEveryField) {
  auto r = ParseTuneRequest(
      R"({"meter":"6/8","key":"G","mode":"maj","rhythm":"jig","bars":8,"parts":"AABB","prime":"GAB",)"
      R"("temperature":0.9,"top_k":20,"top_p":0.95,"seed":42,"chords":false,"instrument":"flute"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->edited);
  const generate::ComposeRequest& c = r->compose;
  EXPECT_EQ(c.meter, "6/8");
  EXPECT_EQ(c.key, "G");
  EXPECT_EQ(c.rhythm, "jig");
  EXPECT_EQ(c.bars, 8);
  EXPECT_EQ(c.parts, "AABB");
  EXPECT_EQ(c.prime, "GAB");
  EXPECT_FLOAT_EQ(c.sampling.temperature, 0.9f);
  EXPECT_EQ(c.sampling.top_k, 20);
  EXPECT_FLOAT_EQ(c.sampling.top_p, 0.95f);
  ASSERT_TRUE(c.seed.has_value());
  EXPECT_EQ(*c.seed, 42u);
  EXPECT_TRUE(r->seed_given);
  EXPECT_FALSE(c.chords);
  EXPECT_EQ(c.instrument, "flute");
  EXPECT_EQ(c.count, 1);
  // Nulls and an empty object leave the defaults.
  auto d = ParseTuneRequest(R"({"meter": null})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->compose.meter, "");
  EXPECT_FALSE(d->compose.seed.has_value());
  EXPECT_TRUE(ParseTuneRequest("{}").ok());
}

TEST(ParseTuneRequest, EditedTune) {
  auto r = ParseTuneRequest(R"({"abc": "X:1\nT:t\nK:C\nCDEF|\n", "parent": "abc123"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->edited);
  EXPECT_EQ(r->parent, "abc123");
  EXPECT_EQ(r->abc, "X:1\nT:t\nK:C\nCDEF|\n");
}

TEST(ParseVaryRequest, KeepsBarsOrThePartButNotBoth) {
  auto bars = ParseVaryRequest(R"({"keep_bars": 4, "seed": 3})");
  ASSERT_TRUE(bars.ok());
  EXPECT_EQ(bars->keep_bars, 4);
  EXPECT_EQ(*bars->seed, 3u);
  auto part = ParseVaryRequest(R"({"keep": "A", "temperature": 1.1})");
  ASSERT_TRUE(part.ok());
  EXPECT_TRUE(part->keep_a);
  for (const char* bad : {"{}", R"({"keep_bars": 0})", R"({"keep_bars": -2})", R"({"keep": "B"})",
                          R"({"keep": "A", "keep_bars": 2})", R"({"keep_bars": 2, "top_k": 3})",
                          R"({"keep_bars": 2, "temperature": 0})"}) {
    auto r = ParseVaryRequest(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().status, 400) << bad;
      EXPECT_FALSE(r.error().field.empty()) << bad;
    }
  }
}

TEST(ParseStarRequest, WantsABoolean) {
  auto yes = ParseStarRequest(R"({"starred": true})");
  ASSERT_TRUE(yes.ok());
  EXPECT_TRUE(*yes);
  EXPECT_FALSE(ParseStarRequest(R"({"starred": 1})").ok());
  EXPECT_FALSE(ParseStarRequest(R"({})").ok());
  EXPECT_EQ(ParseStarRequest(R"({"star": true})").error().field, "star");
}

TEST(ParseQuery, ListAndFileParameters) {
  auto list = ParseListQuery({{"page", "3"}, {"per_page", "5"}, {"starred", "1"}});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->page, 3);
  EXPECT_EQ(list->per_page, 5);
  EXPECT_TRUE(list->starred_only);
  for (const Query& bad : std::vector<Query>{{{"page", "0"}}, {{"page", "-1"}}, {{"page", "1e3"}},
                                             {{"per_page", "1000"}}, {{"per_page", ""}},
                                             {{"page", "99999999999999999999"}}, {{"starred", "maybe"}},
                                             {{"sort", "title"}}}) {
    auto r = ParseListQuery(bad);
    ASSERT_FALSE(r.ok()) << bad.begin()->first << "=" << bad.begin()->second;
    EXPECT_EQ(r.error().field, bad.begin()->first);
  }
  auto f = ParseFileQuery({{"transpose", "-3"}, {"tempo", "120"}, {"lilt", "swing"}, {"part", "B"}}, "wav");
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->Variant(), "-t-3-q120-s-pB");
  EXPECT_EQ(FileQuery{}.Variant(), "");
  EXPECT_FALSE(ParseFileQuery({{"tempo", "120"}}, "svg").ok());
  EXPECT_FALSE(ParseFileQuery({{"transpose", "13"}}, "abc").ok());
  EXPECT_FALSE(ParseFileQuery({{"tempo", "39"}}, "mid").ok());
  EXPECT_FALSE(ParseFileQuery({{"lilt", "shuffle"}}, "mid").ok());
  EXPECT_FALSE(ParseFileQuery({{"part", "../A"}}, "mid").ok());
}

TEST(IsTuneId, ShortLowerCaseLettersAndDigits) {
  EXPECT_TRUE(IsTuneId("t5k2m9"));
  EXPECT_TRUE(IsTuneId("abcdefgh12345678"));
  for (const char* bad : {"", "abc", "ABCDEFGH", "abc/../x", "abcdefgh123456789", "abc def", "abc.mid"}) {
    EXPECT_FALSE(IsTuneId(bad)) << bad;
  }
}

}  // namespace
}  // namespace tunesmith::serve
