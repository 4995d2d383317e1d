#include "tokens/tokenizer.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "abc/reader.h"
#include "abc/timeline.h"
#include "tokens/abc_token.h"

namespace tunesmith::tokens {
namespace {

abc::Tune ReadOne(const std::string& text) {
  abc::ReadResult r = abc::ReadAbc(text, "test.abc");
  EXPECT_EQ(r.tunes.size(), 1u) << text;
  EXPECT_EQ(r.rejected, 0) << text;
  return r.tunes.empty() ? abc::Tune() : r.tunes[0];
}

std::vector<std::string> Split(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string Join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

void ExpectSameTimeline(const abc::Tune& a, const abc::Tune& b) {
  auto ta = abc::Timeline(a), tb = abc::Timeline(b);
  ASSERT_EQ(ta.size(), tb.size());
  for (size_t i = 0; i < ta.size(); ++i) {
    EXPECT_EQ(ta[i].start, tb[i].start) << "event " << i;
    EXPECT_EQ(ta[i].length, tb[i].length) << "event " << i;
    EXPECT_EQ(ta[i].midi, tb[i].midi) << "event " << i;
    EXPECT_EQ(ta[i].bar, tb[i].bar) << "event " << i;
  }
}

// Decoding the tokens gives ABC the reader accepts, and that ABC encodes to
// the same tokens.
void ExpectDecodesBack(const std::vector<std::string>& tokens) {
  auto abc_text = DecodeToAbc(tokens, TokenizerKind::kAbcToken);
  ASSERT_TRUE(abc_text.ok()) << abc_text.status().message();
  abc::ReadResult r = abc::ReadAbc(*abc_text, "decoded.abc");
  ASSERT_EQ(r.tunes.size(), 1u) << *abc_text;
  ASSERT_EQ(r.rejected, 0) << *abc_text;
  auto again = EncodeTune(r.tunes[0], TokenizerKind::kAbcToken);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(Join(*again), Join(tokens)) << *abc_text;
}

const char kDorianTune[] =
    "X:1\nT:Dorian test\nM:6/8\nL:1/8\nR:jig\nK:Ddor\n"
    "\"Dm\"DEF GAB|\"C\"c2B AGF|\"Am\"E3 \"Dm\"D3:|\n";
const char kDorianTokens[] =
    "<s> M:6/8 K:dor R:jig \"i\" C D E F G A | \"bVII\" B 2 A G F E | \"v\" D 3 \"i\" C 3 :| </s>";

const char kMajorTune[] =
    "X:2\nT:G major test\nM:4/4\nL:1/8\nR:reel\nK:G\n"
    "|:\"G\"G>A B/2c/2d (3efg \"D7\"f2|\"C\"e2 ^c2 \"D\"d4-|d2 z2 \"G/B\"B2 G,2|1\"G\"G8:|2\"G\"G6 =F2||\n";
const char kMajorTokens[] =
    "<s> M:4/4 K:maj R:reel |: \"I\" c > d e /2 f /2 g (3 a b c' \"V7\" b 2 | \"IV\" a 2 ^f 2 \"V\" g 4 - | "
    "g 2 z 2 \"I/3\" e 2 C 2 | [1 \"I\" c 8 :| [2 \"I\" c 6 _B 2 || </s>";

TEST(TokenizerTest, DorianTuneInDGoesToCDorian) {
  abc::Tune tune = ReadOne(kDorianTune);
  auto tokens = EncodeTune(tune, TokenizerKind::kAbcToken);
  ASSERT_TRUE(tokens.ok()) << tokens.status().message();
  EXPECT_EQ(Join(*tokens), kDorianTokens);
  ExpectDecodesBack(*tokens);

  auto abc_text = DecodeToAbc(*tokens, TokenizerKind::kAbcToken);
  ASSERT_TRUE(abc_text.ok());
  EXPECT_NE(abc_text->find("K:Cdor"), std::string::npos) << *abc_text;
  EXPECT_NE(abc_text->find("R:jig"), std::string::npos) << *abc_text;
  EXPECT_NE(abc_text->find("\"Bb\""), std::string::npos) << *abc_text;
}

TEST(TokenizerTest, MajorTuneInGGoesToCMajor) {
  abc::Tune tune = ReadOne(kMajorTune);
  auto tokens = EncodeTune(tune, TokenizerKind::kAbcToken);
  ASSERT_TRUE(tokens.ok()) << tokens.status().message();
  EXPECT_EQ(Join(*tokens), kMajorTokens);
  ExpectDecodesBack(*tokens);
}

TEST(TokenizerTest, DecodingIntoTheOriginalKeyGivesTheOriginalMusic) {
  const std::pair<const char*, NoteName> cases[] = {{kDorianTune, {1, 0}}, {kMajorTune, {4, 0}}};
  for (const auto& [text, tonic] : cases) {
    abc::Tune tune = ReadOne(text);
    auto tokens = EncodeTune(tune, TokenizerKind::kAbcToken);
    ASSERT_TRUE(tokens.ok());
    DecodeOptions options;
    options.tonic = tonic;
    auto back = DecodeTune(*tokens, TokenizerKind::kAbcToken, options);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->key.tonic_step, tune.key.tonic_step);
    EXPECT_EQ(back->key.mode, tune.key.mode);
    ExpectSameTimeline(*back, tune);
    auto ta = abc::Timeline(*back), tb = abc::Timeline(tune);
    for (size_t i = 0; i < ta.size() && i < tb.size(); ++i) EXPECT_EQ(ta[i].chord_symbol, tb[i].chord_symbol);
  }
}

TEST(TokenizerTest, DecodesIntoEveryKey) {
  auto tokens = EncodeTune(ReadOne(kMajorTune), TokenizerKind::kAbcToken);
  ASSERT_TRUE(tokens.ok());
  auto in_c = DecodeTune(*tokens, TokenizerKind::kAbcToken);
  ASSERT_TRUE(in_c.ok());
  const auto base = abc::Timeline(*in_c);
  const std::pair<NoteName, int> keys[] = {  // tonic and its pitch class
      {{0, 0}, 0}, {{4, 0}, 7}, {{1, 0}, 2}, {{5, 0}, 9}, {{2, 0}, 4}, {{6, 0}, 11}, {{3, 1}, 6}, {{0, 1}, 1},
      {{3, 0}, 5}, {{6, -1}, 10}, {{2, -1}, 3}, {{5, -1}, 8}, {{1, -1}, 1}, {{4, -1}, 6}, {{0, -1}, 11},
  };
  for (const auto& [tonic, pc] : keys) {
    SCOPED_TRACE("tonic step " + std::to_string(tonic.step) + " alter " + std::to_string(tonic.alter));
    DecodeOptions options;
    options.tonic = tonic;
    auto tune = DecodeTune(*tokens, TokenizerKind::kAbcToken, options);
    ASSERT_TRUE(tune.ok()) << tune.status().message();
    EXPECT_EQ(tune->key.tonic_step, tonic.step);
    EXPECT_EQ(tune->key.tonic_alter, tonic.alter);
    auto moved = abc::Timeline(*tune);
    ASSERT_EQ(moved.size(), base.size());
    const int shift = moved[0].midi.at(0) - base[0].midi.at(0);
    EXPECT_LE(std::abs(shift), 6);
    EXPECT_EQ(((shift % 12) + 12) % 12, pc);
    for (size_t i = 0; i < base.size(); ++i) {
      ASSERT_EQ(moved[i].midi.size(), base[i].midi.size());
      for (size_t k = 0; k < base[i].midi.size(); ++k) EXPECT_EQ(moved[i].midi[k] - base[i].midi[k], shift);
    }
  }
}

struct BodyCase {
  const char* name;
  const char* header;  // fields after X: and T:
  const char* body;
  const char* tokens;  // the expected stream between <s> and </s>
};

TEST(TokenizerTest, EncodesEachFeature) {
  const char* c44 = "M:4/4\nL:1/8\nK:C\n";
  const BodyCase cases[] = {
      {"durations", c44, "C C2 C3 C/2 C/ C3/2 C/4 C4 C6 C8|",
       "M:4/4 K:maj R:other C C 2 C 3 C /2 C /2 C 3/2 C /4 C 4 C 6 C 8 |"},
      {"L:1/16 normalised", "M:2/4\nL:1/16\nK:C\n", "C2 C4 C C3|", "M:2/4 K:maj R:other C C 2 C /2 C 3/2 |"},
      {"L:1/4 normalised", "M:3/4\nL:1/4\nK:C\n", "C C/2 C2|", "M:3/4 K:maj R:other C 2 C C 4 |"},
      {"no L: in 2/4 means 1/16", "M:2/4\nK:C\n", "C2 C4|", "M:2/4 K:maj R:other C C 2 |"},
      {"triplets", c44, "(3CDE (3C2D2E2 (3:2:2C2D|", "M:4/4 K:maj R:other (3 C D E (3 C 2 D 2 E 2 (3:2:2 C 2 D |"},
      {"broken rhythm", c44, "C>D C<D C>>D C<<<D|", "M:4/4 K:maj R:other C > D C < D C >> D C <<< D |"},
      {"rests", c44, "C z z2 z/2 x2|Z|", "M:4/4 K:maj R:other C z z 2 z /2 z 2 | z 8 |"},
      {"ties and chords", c44, "C2-C2 [CEG]2-[CEG]2|", "M:4/4 K:maj R:other C 2 - C 2 [ C E G ] 2 - [ C E G ] 2 |"},
      {"chord symbol on a chord", c44, "\"F\"[FA]2 \"G7\"[B,DF]6|",
       "M:4/4 K:maj R:other \"IV\" [ F A ] 2 \"V7\" [ B, D F ] 6 |"},
      {"bar kinds", c44, "|:C4 C4::C4 C4:|C4 C4||C4 C4|]",
       "M:4/4 K:maj R:other |: C 4 C 4 :: C 4 C 4 :| C 4 C 4 || C 4 C 4 |]"},
      {"endings", c44, "|:C8|1 D8:|2 E8|[3 F8|]", "M:4/4 K:maj R:other |: C 8 | [1 D 8 :| [2 E 8 | [3 F 8 |]"},
      {"accidentals and octaves", c44, "^C _D =E ^^F __G c' C, c'' C,,|",
       "M:4/4 K:maj R:other ^C _D =E ^^F __G c' C, c'' C,, |"},
      {"notation dropped", c44, "~C .D {E}F (GA) !trill!B Hc \"^annotation\"d|",
       "M:4/4 K:maj R:other C D F G A B c d |"},
      {"chord symbols", c44, "\"C\"C \"Am\"A \"G7\"G \"F/A\"F \"Bb\"B \"Edim\"E \"(G7)\"G \"D.C.\"C|",
       "M:4/4 K:maj R:other \"I\" C \"vi\" A \"V7\" G \"IV/6\" F \"bVII\" B \"iiio\" E G C |"},
      {"cleaned NMD chord spellings", c44, "\"Gd\"G \"Ca\"C \"D/f+\"D|",
       "M:4/4 K:maj R:other \"vo\" G \"I+\" C \"II/#4\" D |"},
      {"inline meter", c44, "C4 C4|[M:3/4] C6|", "M:4/4 K:maj R:other C 4 C 4 | [M:3/4] C 6 |"},
      {"meter C", "M:C\nL:1/8\nK:C\n", "C8|", "M:4/4 K:maj R:other C 8 |"},
      {"meter C|", "M:C|\nL:1/8\nK:C\n", "C8|", "M:2/2 K:maj R:other C 8 |"},
      {"key change", "M:4/4\nL:1/8\nK:G\n", "G4 G4|\nK:D\nd4 d4|", "M:4/4 K:maj R:other c 4 c 4 | [K:Gmaj] g 4 g 4 |"},
      {"a clef-only K: keeps the key", "M:4/4\nL:1/8\nK:G\n", "F4 F4|\nK:clef=bass\nF4 F4|[K:treble] F8|",
       "M:4/4 K:maj R:other B 4 B 4 | B 4 B 4 | B 8 |"},
      {"NMD body meter", "M:4/4\nL:1/8\nK:A\nM:6/8\n", "A3 c3|", "M:6/8 K:maj R:other c 3 e 3 |"},
      {"minor to C minor", "M:4/4\nL:1/8\nK:Em\n", "E2 G2 B2 e2|", "M:4/4 K:min R:other C 2 E 2 G 2 c 2 |"},
      {"C# minor down a semitone", "M:4/4\nL:1/8\nK:C#m\n", "C2 E2 G2 =B2|", "M:4/4 K:min R:other C 2 E 2 G 2 _B 2 |"},
      {"rhythm double jig", "M:6/8\nL:1/8\nR:Double Jig\nK:C\n", "C6|", "M:6/8 K:maj R:jig C 6 |"},
      {"rhythm slip jig", "M:9/8\nL:1/8\nR:slip jig\nK:C\n", "C9|", "M:9/8 K:maj R:slip-jig C 9 |"},
      {"rhythm unknown", "M:4/4\nL:1/8\nR:fling\nK:C\n", "C8|", "M:4/4 K:maj R:other C 8 |"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string text = std::string("X:1\nT:") + c.name + "\n" + c.header + c.body + "\n";
    abc::Tune tune = ReadOne(text);
    auto tokens = EncodeTune(tune, TokenizerKind::kAbcToken);
    ASSERT_TRUE(tokens.ok()) << tokens.status().message();
    EXPECT_EQ(Join(*tokens), std::string("<s> ") + c.tokens + " </s>");
    ExpectDecodesBack(*tokens);
    // Every token is one the grammar reads back.
    for (const auto& t : *tokens) EXPECT_TRUE(ParseToken(t).has_value()) << t;
  }
}

TEST(TokenizerTest, RejectsTunesItCannotEncodeWithTheReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"M:4/4\nL:1/8\nK:none\nCDEF|\n", "K:none"},
      {"M:none\nL:1/8\nK:C\nCDEF|\n", "free meter"},
      {"M:4/4\nL:1/8\nK:HP\nCDEF|\n", "Highland"},
      {"M:4/4\nL:1/8\nK:D exp ^f ^c\nCDEF|\n", "explicit accidentals"},
      {"M:4/4\nL:1/8\nK:C\n|\n", "no notes"},
  };
  for (const auto& [rest, why] : cases) {
    abc::Tune tune = ReadOne(std::string("X:1\nT:bad\n") + rest);
    for (auto kind : {TokenizerKind::kAbcToken, TokenizerKind::kChar}) {
      auto tokens = EncodeTune(tune, kind);
      ASSERT_FALSE(tokens.ok()) << rest;
      EXPECT_NE(tokens.status().message().find(why), std::string::npos) << tokens.status().message();
    }
  }
}

TEST(TokenizerTest, DecodeErrorsNameTheToken) {
  const std::pair<const char*, const char*> cases[] = {
      {"<s> M:4/4 K:maj R:other 2 </s>", "a duration must follow"},
      {"<s> M:4/4 K:maj C 2 2", "a duration must follow"},
      {"<s> K:maj C", "no M: token"},
      {"<s> M:4/4 C", "no K: token"},
      {"<s> M:4/4 K:maj H", "not an abc token"},
      {"<s> M:4/4 K:maj \"V7\" |", "a chord symbol must be followed"},
      {"<s> M:4/4 K:maj [ C |", "only pitches and ]"},
      {"<s> M:4/4 K:maj ]", "] without ["},
      {"<s> M:4/4 K:maj [ C ]", "two pitches or more"},
      {"<s> M:4/4 K:maj C - -", "a tie must follow"},
      {"<s> M:4/4 K:maj > C", "broken rhythm must follow"},
      {"<s> M:4/4 K:maj C > |", "broken rhythm must be followed"},
      {"<s> M:4/4 K:maj C >", "broken rhythm at the end"},
      {"<s> M:4/4 K:maj | [M:3/4] C", "before the first note"},
      {"<s> M:4/4 K:maj - C", "a tie must follow"},
      {"<s> M:4/4 K:maj C <unk>", "not allowed"},
      {"<s> M:4/4 K:maj C M:6/8", "header token inside"},
      {"<s> M:4/4 K:maj C \"I\"", "at the end"},
      {"<s> M:4/4 K:maj [ C E", "inside a chord"},
      // Found by tokenizer_fuzz: written as K:Cbbloc, which no reader takes.
      {"<s> M:4/4 K:maj C 2 | [K:Cbbloc] C 2 |", "two accidentals"},
  };
  for (const auto& [tokens, why] : cases) {
    auto tune = DecodeTune(Split(tokens), TokenizerKind::kAbcToken);
    ASSERT_FALSE(tune.ok()) << tokens;
    EXPECT_NE(tune.status().message().find(why), std::string::npos) << tune.status().message();
  }
  auto bad = DecodeTune(Split("<s> M:4/4 K:maj C C H"), TokenizerKind::kAbcToken);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("token 5 'H'"), std::string::npos) << bad.status().message();
}

TEST(TokenizerTest, DecodingStopsAtTheEndToken) {
  auto a = DecodeToAbc(Split("<s> M:4/4 K:maj R:other C 8 |] </s> D E F"), TokenizerKind::kAbcToken);
  auto b = DecodeToAbc(Split("M:4/4 K:maj C 8 |]"), TokenizerKind::kAbcToken);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(TokenizerTest, CharTokensAreTheNormalisedTuneInItsOwnKey) {
  abc::Tune tune = ReadOne(kMajorTune);
  auto tokens = EncodeTune(tune, TokenizerKind::kChar);
  ASSERT_TRUE(tokens.ok()) << tokens.status().message();
  ASSERT_GE(tokens->size(), 3u);
  EXPECT_EQ(tokens->front(), "<s>");
  EXPECT_EQ(tokens->back(), "</s>");
  std::string text;
  for (size_t i = 1; i + 1 < tokens->size(); ++i) {
    ASSERT_EQ((*tokens)[i].size(), 1u);
    text += (*tokens)[i];
  }
  EXPECT_TRUE(text.starts_with("M:4/4\nL:1/8\nR:reel\nK:G\n")) << text;
  EXPECT_EQ(text.find("X:"), std::string::npos) << text;
  EXPECT_EQ(text.find("T:"), std::string::npos) << text;
  EXPECT_NE(text.find("\"D7\""), std::string::npos) << text;  // own key, chords kept

  auto back = DecodeTune(*tokens, TokenizerKind::kChar);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ExpectSameTimeline(*back, tune);
  EXPECT_EQ(back->key, tune.key);
}

TEST(TokenizerTest, CharTokensDropWhatAbcTokensDrop) {
  abc::Tune tune = ReadOne(
      "X:7\nT:Ornamented\nS:a source\nZ:a transcriber\nN:a note\nM:C|\nL:1/8\nR:Reel\nK:D\n"
      "% a comment\n~D2 {E}F(GA) \"Gd\"B2 \"^slower\"A2 \"D.C.\"d2|]\n");
  auto tokens = EncodeTune(tune, TokenizerKind::kChar);
  ASSERT_TRUE(tokens.ok());
  std::string text;
  for (size_t i = 1; i + 1 < tokens->size(); ++i) text += (*tokens)[i];
  for (const char* gone : {"~", "{", "(", "slower", "D.C.", "source", "transcriber", "comment", "Ornamented", "C|"}) {
    EXPECT_EQ(text.find(gone), std::string::npos) << gone << " in\n" << text;
  }
  EXPECT_NE(text.find("M:2/2"), std::string::npos) << text;
  EXPECT_NE(text.find("R:reel"), std::string::npos) << text;
  EXPECT_NE(text.find("\"Gdim\""), std::string::npos) << text;
}

TEST(TokenizerTest, CharDecodeReportsTheReader) {
  std::vector<std::string> tokens = {"<s>"};
  for (char c : std::string("M:4/4\nL:1/8\nK:C\n[CE|\n")) tokens.emplace_back(1, c);
  tokens.push_back("</s>");
  auto tune = DecodeTune(tokens, TokenizerKind::kChar);
  ASSERT_FALSE(tune.ok());
  EXPECT_NE(tune.status().message().find("unclosed chord"), std::string::npos) << tune.status().message();
  auto two_chars = DecodeTune({"<s>", "M:", "</s>"}, TokenizerKind::kChar);
  ASSERT_FALSE(two_chars.ok());
  EXPECT_NE(two_chars.status().message().find("one character"), std::string::npos);
}

}  // namespace
}  // namespace tunesmith::tokens

namespace tunesmith::tokens {
namespace {

// Any token sequence either fails to decode with a message or decodes to a
// tune whose ABC the reader takes back and that encodes to the same tokens.
TEST(TokenizerTest, RandomTokenSequencesDecodeOrFailCleanly) {
  const std::vector<std::string> pool = {
      "C",  "^F", "=B,", "c'", "_e", "z",   "2",  "/2", "3/2", "4",  "-",   "|",    "||",    "|]",     "|:",
      ":|", "::", "[1",  "[2", "(3", "(2",  ">",  "<",  ">>",  "[",  "]",   "\"I\"", "\"V7\"", "\"bVII\"",
      "\"ii/3\"", "[M:3/4]", "[K:Fmaj]", "[K:Amin]", "M:6/8", "K:dor", "R:jig", "<s>", "</s>", "<pad>", "H"};
  std::mt19937 rng(12345);
  int decoded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::string> tokens = {"<s>", "M:4/4", "K:maj", "R:reel"};
    int n = static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) tokens.push_back(pool[rng() % pool.size()]);
    auto text = DecodeToAbc(tokens, TokenizerKind::kAbcToken);
    if (!text.ok()) {
      EXPECT_FALSE(text.status().message().empty());
      continue;
    }
    ++decoded;
    abc::ReadResult r = abc::ReadAbc(*text, "random.abc");
    ASSERT_EQ(r.tunes.size(), 1u) << Join(tokens) << "\n" << *text;
    EXPECT_EQ(r.rejected, 0) << Join(tokens) << "\n" << *text;
    // What decodes re-encodes to itself (without <pad> and what follows </s>),
    // unless it has no note at all.
    auto again = EncodeTune(r.tunes[0], TokenizerKind::kAbcToken);
    if (!again.ok()) {
      EXPECT_NE(again.status().message().find("no notes"), std::string::npos) << again.status().message();
      continue;
    }
    std::vector<std::string> want;
    for (const auto& t : tokens) {
      if (t == "</s>") break;
      if (t != "<pad>") want.push_back(t);
    }
    want.push_back("</s>");
    EXPECT_EQ(Join(*again), Join(want)) << *text;
  }
  EXPECT_GT(decoded, 100);  // the pool is not so hostile that nothing decodes
}

}  // namespace
}  // namespace tunesmith::tokens
