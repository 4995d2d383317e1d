#include "corpus/novelty_index.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include "abc/reader.h"
#include "abc/transpose.h"
#include "tokens/tokenizer.h"

namespace tunesmith::corpus {
namespace {

std::vector<std::string> Split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

std::vector<BarHash> Bars(const std::string& tokens) { return BarHashesOfTokens(Split(tokens)); }

abc::Tune ReadOne(const std::string& text) {
  abc::ReadResult r = abc::ReadAbc(text, "test.abc");
  EXPECT_EQ(r.tunes.size(), 1u) << text;
  return r.tunes.empty() ? abc::Tune{} : r.tunes.front();
}

// ---- bar content ---------------------------------------------------------------

TEST(BarHasherTest, ChordSymbolsBarKindsAndHeaderDoNotCount) {
  const auto a = Bars("<s> M:4/4 K:maj R:reel \"I\" C D E F | \"V\" G A B c |] </s>");
  const auto b = Bars("<s> M:2/2 K:maj R:hornpipe C D E F || G A B c :| </s>");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a[0], a[1]);
}

TEST(BarHasherTest, EmptyBarsAndEndingsAreNotBars) {
  const auto a = Bars("<s> M:4/4 K:maj R:reel C D E F | |: G A B c :| [1 C 4 | [2 D 4 |] </s>");
  ASSERT_EQ(a.size(), 4u);
  // |: after | holds nothing; [1 and [2 are not content.
  EXPECT_EQ(a[2], Bars("<s> K:maj C 4 |")[0]);
}

TEST(BarHasherTest, ABarAnOctaveUpIsTheSameBar) {
  EXPECT_EQ(Bars("K:maj C D E G |"), Bars("K:maj c d e g |"));
  EXPECT_EQ(Bars("K:maj C D E G |"), Bars("K:maj c' d' e' g' |"));
  EXPECT_NE(Bars("K:maj C D E G |"), Bars("K:maj D E F A |"));   // a step up: other intervals
  EXPECT_NE(Bars("K:maj C D E G |"), Bars("K:maj c D E G |"));   // the first note an octave up only
}

TEST(BarHasherTest, PitchesAreAsTheySound) {
  // An accidental holds to the end of the bar.
  EXPECT_EQ(Bars("K:maj ^F G ^F |"), Bars("K:maj ^F G F |"));
  EXPECT_NE(Bars("K:maj ^F G F | F |")[1], Bars("K:maj ^F G F | ^F |")[1]);  // ... and no further
  // The mode's signature: B in C mixolydian sounds Bb.
  EXPECT_EQ(Bars("K:mix B c |"), Bars("K:maj _B c |"));
  EXPECT_NE(Bars("K:mix B c |"), Bars("K:maj B c |"));
  // An inline key changes the signature from there on.
  EXPECT_EQ(Bars("K:maj C | [K:Gmaj] F G |")[1], Bars("K:maj C | ^F G |")[1]);
}

TEST(BarHasherTest, DurationsTiesTupletsAndBrokenRhythmCount) {
  const auto base = Bars("K:maj C 2 D |");
  EXPECT_NE(base, Bars("K:maj C D 2 |"));
  EXPECT_NE(base, Bars("K:maj C 2 - D |"));
  EXPECT_NE(Bars("K:maj C > D |"), Bars("K:maj C < D |"));
  EXPECT_NE(Bars("K:maj (3 C D E |"), Bars("K:maj C D E |"));
  EXPECT_NE(Bars("K:maj z 2 C |"), Bars("K:maj C 2 C |"));
}

TEST(BarHasherTest, PendingIsWhatTheBarTokenWillReturn) {
  BarHasher h;
  for (const char* t : {"<s>", "M:6/8", "K:dor", "R:jig", "\"i\"", "D", "2", "E"}) EXPECT_FALSE(h.Push(t).has_value());
  const std::optional<BarHash> pending = h.Pending();
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(h.Push("|"), pending);
  EXPECT_FALSE(h.Pending().has_value());
  // A tune cut before its closing bar line still gives its last bar at </s>.
  h.Push("F");
  EXPECT_TRUE(h.Push("</s>").has_value());
}

TEST(BarHasherTest, ATuneAndItsTranspositionsShareEveryBar) {
  // In D; moved to G (up a fourth) its root-C stream lies an octave above
  // the D version's, which per-bar octave normalisation absorbs.
  const abc::Tune tune =
      ReadOne("X:1\nT:t\nM:6/8\nL:1/8\nK:D\nA|dfa afd|B2c d3|gfe dcB|A3- A2:|\n|:f|gfg ^gag|a2g f2e|d3 D3|]\n");
  auto original = BarHashesOfTune(tune);
  ASSERT_TRUE(original.ok()) << original.status().message();
  EXPECT_EQ(original->size(), 9u);
  for (auto [step, alter] : std::vector<std::pair<int, int>>{{4, 0}, {6, -1}, {3, 1}, {5, 0}}) {
    auto moved = abc::TransposeTo(tune, step, alter);
    ASSERT_TRUE(moved.ok()) << moved.status().message();
    auto bars = BarHashesOfTune(*moved);
    ASSERT_TRUE(bars.ok()) << bars.status().message();
    EXPECT_EQ(*bars, *original) << "to step " << step;
  }
}

TEST(BarHasherTest, TuneAndTokenStreamAgree) {
  const abc::Tune tune = ReadOne("X:1\nT:t\nM:4/4\nL:1/8\nK:Ador\n\"Am\"EAAB c2BA|\"G\"GABG dGBG|]\n");
  auto tokens = tokens::EncodeTune(tune, tokens::TokenizerKind::kAbcToken);
  ASSERT_TRUE(tokens.ok());
  // Fed one token at a time, as a sampler writes them.
  BarHasher h;
  std::vector<BarHash> streamed;
  for (const std::string& t : *tokens) {
    if (auto bar = h.Push(t)) streamed.push_back(*bar);
  }
  EXPECT_EQ(streamed, BarHashesOfTune(tune).value());
  EXPECT_EQ(streamed.size(), 2u);
}

// ---- melody windows --------------------------------------------------------------

TEST(MelodyTest, TopNotesRestsSkipped) {
  std::vector<abc::NoteEvent> events(3);
  events[0].midi = {60, 64};
  events[0].length = abc::Rational(1, 4);
  events[1].length = abc::Rational(1, 8);  // a rest
  events[2].midi = {62};
  events[2].length = abc::Rational(1, 8);
  const auto melody = MelodyOf(events);
  ASSERT_EQ(melody.size(), 2u);
  EXPECT_EQ(melody[0].midi, 64);
  EXPECT_EQ(melody[1].midi, 62);
  EXPECT_EQ(melody[1].length, abc::Rational(1, 8));
}

// A melody of n notes with no repeated 4-note window, shifted by `transpose`.
std::vector<MelodyNote> Melody(int n, int transpose = 0) {
  std::vector<MelodyNote> out;
  for (int i = 0; i < n; ++i) {
    out.push_back({60 + transpose + (3 * i * i + i) % 17, abc::Rational(i % 3 == 0 ? 1 : 2, 8)});
  }
  return out;
}

TEST(MelodyTest, WindowsAreTranspositionInvariant) {
  const auto a = NoteGramHashes(Melody(30)), b = NoteGramHashes(Melody(30, -7));
  EXPECT_EQ(a.size(), 27u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(std::set<NoteGramHash>(a.begin(), a.end()).size(), a.size());  // the helper's promise
  EXPECT_TRUE(NoteGramHashes(Melody(3)).empty());
}

// ---- the index -----------------------------------------------------------------------

NoveltyIndex SmallIndex() {
  std::vector<IndexedTune> tunes = {
      {"Zero", {1, 2, 3, 4, 5, 6}, {}},
      {"One", {7, 8, 2, 3, 9}, {}},
      {"Two", {1, 2, 3, 4, 10}, {}},
      {"Three", {5, 5, 5}, {}},
  };
  return NoveltyIndex(std::move(tunes), "test");
}

TEST(NoveltyIndexTest, LongestBarRun) {
  const NoveltyIndex index = SmallIndex();
  const SharedRun run = index.LongestBarRun({2, 3, 4, 5, 11});
  EXPECT_EQ(run.length, 4);
  EXPECT_EQ(run.tune, 0);
  EXPECT_EQ(run.query_end, 4);
  EXPECT_EQ(run.tune_end, 5);
  // A tie between Zero and Two: the earlier tune.
  EXPECT_EQ(index.LongestBarRun({1, 2, 3, 4}).tune, 0);
  // A run must be consecutive in the training tune too: 2 3 then 9 is in One.
  EXPECT_EQ(index.LongestBarRun({8, 2, 3, 9}).length, 4);
  EXPECT_EQ(index.LongestBarRun({2, 9}).length, 1);
  // Runs inside a training tune that repeats a bar: at most its length.
  EXPECT_EQ(index.LongestBarRun({5, 5, 5, 5, 5}).length, 3);
  EXPECT_EQ(index.LongestBarRun({42, 43}).length, 0);
  EXPECT_EQ(index.LongestBarRun({42, 43}).tune, -1);
  EXPECT_EQ(index.LongestBarRun({}).length, 0);
}

TEST(NoveltyIndexTest, IncrementalRunLengths) {
  const NoveltyIndex index = SmallIndex();
  BarRunMatcher m(index);
  // After each bar, the run ending there.
  const std::vector<std::pair<BarHash, int>> steps = {{7, 1}, {8, 2}, {2, 3}, {3, 4}, {4, 3}, {5, 4}, {6, 5}, {1, 1}, {2, 2}};
  for (auto [bar, expected] : steps) {
    EXPECT_EQ(m.Peek(bar).length, expected) << "bar " << bar;
    EXPECT_EQ(m.Push(bar), expected) << "bar " << bar;
    EXPECT_EQ(m.current(), expected);
    EXPECT_EQ(m.current_run().query_end, m.bars());
  }
  EXPECT_EQ(m.current_run().tune, 0);  // 1 2 after 6: Zero and Two both, Zero first
  EXPECT_EQ(m.bars(), 9);
  EXPECT_EQ(m.longest().length, 5);  // 2 3 4 5 6 of Zero
  EXPECT_EQ(m.longest().tune, 0);
  EXPECT_EQ(m.longest().query_end, 7);
}

TEST(NoveltyIndexTest, PeekLeavesTheMatcherUnchangedAndCopiesRollBack) {
  const NoveltyIndex index = SmallIndex();
  BarRunMatcher m(index);
  m.Push(1);
  m.Push(2);
  EXPECT_EQ(m.Peek(3).length, 3);
  EXPECT_EQ(m.Peek(3).tune, 0);
  EXPECT_EQ(m.Peek(99).length, 0);
  EXPECT_EQ(m.bars(), 2);
  EXPECT_EQ(m.current(), 2);
  const BarRunMatcher saved = m;
  EXPECT_EQ(m.Push(3), 3);
  m = saved;  // the sampler rejected bar 3
  EXPECT_EQ(m.Push(10), 1);
  EXPECT_EQ(m.longest().length, 2);
}

TEST(NoveltyIndexTest, NoteRuns) {
  std::vector<IndexedTune> tunes = {{"Decoy", {}, NoteGramHashes(Melody(10, 0))},
                                    {"Source", {}, {}}};
  // Source: 20 notes of Melody(30) from note 5.
  const auto full = Melody(30);
  std::vector<MelodyNote> source(full.begin() + 5, full.begin() + 25);
  tunes[1].note_grams = NoteGramHashes(source);
  const NoveltyIndex index(std::move(tunes), "test");

  // The source's notes 3..15, a fifth up: a 13-note run from the query's first note.
  std::vector<MelodyNote> query(source.begin() + 3, source.begin() + 16);
  for (auto& n : query) n.midi += 7;
  NoteMatches m = index.MatchNotes(query);
  ASSERT_EQ(m.run_from.size(), 13u);
  EXPECT_EQ(m.longest.length, 13);
  EXPECT_EQ(m.longest.tune, 1);
  EXPECT_EQ(m.longest.tune_end, 16);
  for (int i = 0; i <= 9; ++i) EXPECT_EQ(m.run_from[i], 13 - i) << i;
  for (int i = 10; i < 13; ++i) EXPECT_EQ(m.run_from[i], 0) << i;  // fewer than 4 notes left

  // The whole source with note 10 moved: notes 0..9 and 11..19 still match.
  std::vector<MelodyNote> changed = source;
  changed[10].midi += 1;
  m = index.MatchNotes(changed);
  EXPECT_EQ(m.longest.length, 10);
  EXPECT_EQ(m.run_from[0], 10);
  EXPECT_EQ(m.run_from[6], 4);
  EXPECT_EQ(m.run_from[7], 0);
  EXPECT_EQ(m.run_from[11], 9);
  // A different rhythm is a different melody.
  std::vector<MelodyNote> slower = source;
  for (auto& n : slower) n.length = n.length * abc::Rational(2);
  EXPECT_EQ(index.MatchNotes(slower).longest.length, 0);
}

TEST(NoveltyIndexTest, SerialiseRoundTrip) {
  std::vector<IndexedTune> tunes = {{"Zero", {1, 2, 3}, NoteGramHashes(Melody(12))},
                                    {"Ünïcode title", {3, 4}, NoteGramHashes(Melody(9, 2))},
                                    {"", {}, {}}};
  const NoveltyIndex index(tunes, "fingerprint-abc/train");
  const std::string bytes = index.Serialize();
  auto back = NoveltyIndex::Deserialize(bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->size(), 3);
  EXPECT_EQ(back->fingerprint(), "fingerprint-abc/train");
  EXPECT_TRUE(back->has_notes());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(back->tune(i).title, tunes[i].title);
    EXPECT_EQ(back->tune(i).bars, tunes[i].bars);
    EXPECT_EQ(back->tune(i).note_grams, tunes[i].note_grams);
  }
  EXPECT_EQ(back->LongestBarRun({2, 3, 4}).length, 2);
  EXPECT_EQ(back->MatchNotes(Melody(12)).longest.length, 12);
  EXPECT_EQ(back->Serialize(), bytes);

  // Without note windows: smaller, bars still answer, notes do not.
  const std::string bars_only = index.Serialize(/*include_notes=*/false);
  EXPECT_LT(bars_only.size(), bytes.size());
  auto light = NoveltyIndex::Deserialize(bars_only);
  ASSERT_TRUE(light.ok()) << light.status().message();
  EXPECT_FALSE(light->has_notes());
  EXPECT_EQ(light->LongestBarRun({2, 3, 4}).length, 2);
  EXPECT_EQ(light->MatchNotes(Melody(12)).longest.length, 0);
}

TEST(NoveltyIndexTest, DamagedBytesAreRejected) {
  const std::string bytes = NoveltyIndex({{"Zero", {1, 2, 3}, {5, 6}}}, "f").Serialize();
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  EXPECT_FALSE(NoveltyIndex::Deserialize(flipped).ok());
  EXPECT_FALSE(NoveltyIndex::Deserialize(bytes.substr(0, bytes.size() - 3)).ok());
  EXPECT_FALSE(NoveltyIndex::Deserialize("").ok());
  auto wrong = NoveltyIndex::Deserialize("not an index at all, no");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("magic"), std::string::npos);
}

TEST(NoveltyIndexTest, BuildFromACorpusFolder) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("novelty_index_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream out(dir / "tunes.abc");
    // Twenty different tunes (each bar different), so every split gets some.
    for (int x = 1; x <= 20; ++x) {
      const char* notes = "CDEFGABc";
      out << "X:" << x << "\nT:Tune " << x << "\nM:4/4\nL:1/8\nK:G\n";
      for (int bar = 0; bar < 4; ++bar) {
        for (int k = 0; k < 8; ++k) out << notes[(x * 3 + bar * 5 + k * (x % 5 + 1)) % 8];
        out << "|";
      }
      out << "]\n\n";
    }
  }
  auto corpus = LoadCorpus({dir.string()});
  fs::remove_all(dir);
  ASSERT_TRUE(corpus.ok()) << corpus.status().message();
  int skipped = -1;
  const NoveltyIndex index = BuildNoveltyIndex(*corpus, Split::kTrain, &skipped);
  EXPECT_EQ(skipped, 0);
  EXPECT_EQ(index.size(), corpus->stats.train);
  EXPECT_NE(index.fingerprint().find("train"), std::string::npos);
  // Each training tune finds itself whole.
  for (const CorpusTune& t : corpus->tunes) {
    if (t.split != Split::kTrain) continue;
    auto bars = BarHashesOfTune(t.tune);
    ASSERT_TRUE(bars.ok());
    const SharedRun run = index.LongestBarRun(*bars);
    EXPECT_EQ(run.length, static_cast<int>(bars->size()));
    EXPECT_EQ(index.tune(run.tune).title, t.tune.Title());
  }
}

}  // namespace
}  // namespace tunesmith::corpus
