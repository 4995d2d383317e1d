#include "corpus/corpus.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "abc/reader.h"
#include "tokens/tokenizer.h"

namespace tunesmith::corpus {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system's temporary folder, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("tunesmith-corpus-test-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& text) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  fs::path path_;
};

// Tune number `i`: a distinct little reel in G (the notes spell i in base 7).
std::string Tune(int i, const std::string& title = "") {
  std::string notes;
  for (int n = i, k = 0; k < 4; ++k, n /= 7) notes += "CDEFGAB"[n % 7];
  return "X:" + std::to_string(i) + "\nT:" + (title.empty() ? "Tune " + std::to_string(i) : title) +
         "\nM:4/4\nL:1/8\nK:G\n|:GABc " + notes + "|d2B2 G4:|\n\n";
}

std::string Tunes(int from, int to) {
  std::string text;
  for (int i = from; i < to; ++i) text += Tune(i);
  return text;
}

std::map<uint64_t, Split> SplitByHash(const Corpus& c) {
  std::map<uint64_t, Split> out;
  for (const auto& t : c.tunes) out[t.hash] = t.split;
  return out;
}

TEST(CorpusTest, SplitIsDeterministicAndIndependentOfFilesAndOrder) {
  TempDir a, b;
  a.Write("one.abc", Tunes(0, 40));
  a.Write("two.abc", Tunes(40, 80));
  // The same tunes, spread over other files in another order and folder depth.
  std::string reversed;
  for (int i = 79; i >= 30; --i) reversed += Tune(i);
  b.Write("z/late.abc", reversed);
  b.Write("a.abc", Tunes(0, 30));

  LoadOptions options;
  options.valid_fraction = 0.2;
  options.test_fraction = 0.2;
  auto ca = LoadCorpus({a.path().string()}, options);
  auto cb = LoadCorpus({b.path().string()}, options);
  ASSERT_TRUE(ca.ok()) << ca.status().message();
  ASSERT_TRUE(cb.ok()) << cb.status().message();
  EXPECT_EQ(ca->stats.kept, 80);
  EXPECT_EQ(cb->stats.kept, 80);
  EXPECT_EQ(SplitByHash(*ca), SplitByHash(*cb));
  EXPECT_EQ(ca->Fingerprint(), cb->Fingerprint());
  // Every split is used with these fractions, and loading again gives the same.
  EXPECT_GT(ca->stats.train, 0);
  EXPECT_GT(ca->stats.valid, 0);
  EXPECT_GT(ca->stats.test, 0);
  EXPECT_EQ(ca->stats.train + ca->stats.valid + ca->stats.test, 80);
  auto again = LoadCorpus({a.path().string()}, options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Fingerprint(), ca->Fingerprint());
}

TEST(CorpusTest, SplitFractionsAreHonoured) {
  TempDir dir;
  dir.Write("many.abc", Tunes(0, 400));
  const std::pair<double, double> cases[] = {{0.05, 0.05}, {0.0, 0.0}, {0.5, 0.5}, {0.1, 0.3}};
  for (const auto& [valid, test] : cases) {
    LoadOptions options;
    options.valid_fraction = valid;
    options.test_fraction = test;
    auto c = LoadCorpus({dir.path().string()}, options);
    ASSERT_TRUE(c.ok());
    ASSERT_EQ(c->stats.kept, 400);
    // Hash-based: close to the fractions, not exact (400 tunes: within 6 points).
    EXPECT_NEAR(c->stats.valid / 400.0, valid, 0.06);
    EXPECT_NEAR(c->stats.test / 400.0, test, 0.06);
    if (valid == 0.0 && test == 0.0) {
      EXPECT_EQ(c->stats.train, 400);
    }
    if (valid + test == 1.0) {
      EXPECT_EQ(c->stats.train, 0);
    }
  }
}

TEST(CorpusTest, ExactDuplicatesAfterNormalisationAreDropped) {
  TempDir dir;
  std::string text = Tune(1) + Tune(2);
  // The same tune as 1 with another title, a decoration, a grace note and a slur:
  text += "X:3\nT:Other name\nS:someone\nM:4/4\nL:1/8\nK:G\n|:~GA{c}Bc (DC)CC|d2B2 G4:|\n\n";
  // Tune 2 ("|:GABc ECCC|d2B2 G4:|" in G) a tone higher, in A: the token
  // stream is in C, so it is the same tune.
  text += "X:4\nT:Tune 2 in A\nM:4/4\nL:1/8\nK:A\n|:ABcd FDDD|e2c2 A4:|\n\n";
  // The same tune written with L:1/16.
  text += "X:5\nT:Tune 1 in sixteenths\nM:4/4\nL:1/16\nK:G\n|:G2A2B2c2 D2C2C2C2|d4B4 G8:|\n\n";
  dir.Write("dups.abc", text);

  auto c = LoadCorpus({dir.path().string()});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->stats.tunes_seen, 5);
  EXPECT_EQ(c->stats.duplicates, 3);
  EXPECT_EQ(c->stats.kept, 2);
  ASSERT_EQ(c->tunes.size(), 2u);
  EXPECT_EQ(c->tunes[0].tune.x, 1);  // the first copy is kept
  EXPECT_EQ(c->tunes[1].tune.x, 2);
  int warnings = 0;
  for (const auto& d : c->diagnostics) {
    if (d.message.find("duplicate of") != std::string::npos) ++warnings;
  }
  EXPECT_EQ(warnings, 3);
}

TEST(CorpusTest, FingerprintChangesWhenATuneChanges) {
  TempDir a, b;
  a.Write("t.abc", Tunes(0, 20));
  std::string changed = Tunes(0, 20);
  size_t at = changed.find("d2B2 G4");
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, 7, "d2B2 A4");  // one note of the first tune
  b.Write("t.abc", changed);
  auto ca = LoadCorpus({a.path().string()});
  auto cb = LoadCorpus({b.path().string()});
  ASSERT_TRUE(ca.ok() && cb.ok());
  EXPECT_EQ(ca->stats.kept, cb->stats.kept);
  EXPECT_NE(ca->Fingerprint(), cb->Fingerprint());
  EXPECT_NE(ca->tunes[0].hash, cb->tunes[0].hash);
  EXPECT_EQ(ca->tunes[1].hash, cb->tunes[1].hash);

  // Changing only a split fraction moves tunes between splits: another fingerprint.
  LoadOptions options;
  options.valid_fraction = 0.5;
  auto cc = LoadCorpus({a.path().string()}, options);
  ASSERT_TRUE(cc.ok());
  EXPECT_NE(cc->Fingerprint(), ca->Fingerprint());
  EXPECT_EQ(ca->Fingerprint().size(), 16u);
}

TEST(CorpusTest, RejectedTunesAreCountedWithTheirReason) {
  TempDir dir;
  std::string text = Tune(1);
  text += "X:2\nT:No key\nM:4/4\nL:1/8\nK:none\nGABc|\n\n";
  text += "X:3\nT:Free meter\nM:none\nL:1/8\nK:G\nGABc dedB|\n\n";
  text += "X:4\nT:Broken\nM:4/4\nL:1/8\nK:G\n[GAB|\n\n";  // unclosed chord: the reader rejects it
  dir.Write("mixed.abc", text);
  auto c = LoadCorpus({dir.path().string()});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->stats.tunes_seen, 4);
  EXPECT_EQ(c->stats.kept, 1);
  EXPECT_EQ(c->stats.rejected_by_reader, 1);
  EXPECT_EQ(c->stats.rejected_by_tokenizer, 2);
  EXPECT_EQ(c->stats.rejected, 3);
  bool none = false, free_meter = false;
  for (const auto& [reason, n] : c->stats.rejection_reasons) {
    none = none || reason.find("K:none") != std::string::npos;
    free_meter = free_meter || reason.find("free meter") != std::string::npos;
  }
  EXPECT_TRUE(none);
  EXPECT_TRUE(free_meter);
}

TEST(CorpusTest, ReadsAbcFilesOfFoldersRecursivelyAndNamedFiles) {
  TempDir dir;
  dir.Write("a.abc", Tunes(0, 2));
  dir.Write("deep/er/b.ABC", Tunes(2, 4));
  dir.Write("notes.txt", Tunes(4, 6));  // not .abc: skipped in a folder
  std::string named = dir.Write("named.txt", Tunes(6, 7));
  auto c = LoadCorpus({dir.path().string(), named});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->stats.files, 3);
  EXPECT_EQ(c->stats.kept, 5);

  auto missing = LoadCorpus({(dir.path() / "nowhere").string()});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("does not exist"), std::string::npos);
}

TEST(CorpusTest, VocabularyAndEncodedSplitsCoverEveryTune) {
  TempDir dir;
  dir.Write("t.abc", Tunes(0, 60) + "X:99\nT:Chords\nM:6/8\nL:1/8\nK:D\n\"D\"DEF \"A7\"A2c|\"G\"B3 \"D\"d3|]\n\n");
  LoadOptions options;
  options.valid_fraction = 0.2;
  options.test_fraction = 0.2;
  auto c = LoadCorpus({dir.path().string()}, options);
  ASSERT_TRUE(c.ok());
  for (auto kind : {tokens::TokenizerKind::kAbcToken, tokens::TokenizerKind::kChar}) {
    SCOPED_TRACE(tokens::TokenizerKindName(kind));
    tokens::Vocabulary vocab = BuildVocabulary(*c, kind);
    EXPECT_EQ(vocab.kind(), kind);
    int total = 0;
    for (Split split : {Split::kTrain, Split::kValid, Split::kTest}) {
      EncodedSplit encoded = EncodeSplit(*c, vocab, split);
      ASSERT_EQ(encoded.tunes.size(), encoded.corpus_index.size());
      for (size_t i = 0; i < encoded.tunes.size(); ++i) {
        const auto& ids = encoded.tunes[i];
        const CorpusTune& t = c->tunes[encoded.corpus_index[i]];
        EXPECT_EQ(t.split, split);
        ASSERT_GE(ids.size(), 3u);
        EXPECT_EQ(ids.front(), tokens::kBosId);
        EXPECT_EQ(ids.back(), tokens::kEosId);
        for (int32_t id : ids) EXPECT_NE(id, tokens::kUnkId);
        // The ids are those of EncodeTune on the tune as read.
        auto direct = tokens::EncodeTune(t.tune, kind);
        ASSERT_TRUE(direct.ok());
        EXPECT_EQ(vocab.Tokens(ids), *direct);
      }
      total += static_cast<int>(encoded.tunes.size());
    }
    EXPECT_EQ(total, c->stats.kept);
  }
  auto abc_vocab = BuildVocabulary(*c, tokens::TokenizerKind::kAbcToken);
  EXPECT_TRUE(abc_vocab.Contains("\"V7\""));
  EXPECT_TRUE(abc_vocab.Contains("M:6/8"));
  EXPECT_TRUE(abc_vocab.Contains("K:maj"));
  // A vocabulary without a token gives <unk> for it.
  tokens::Vocabulary small(tokens::TokenizerKind::kAbcToken, {"M:4/4", "K:maj", "|"});
  EncodedSplit encoded = EncodeSplit(*c, small, Split::kTrain);
  ASSERT_FALSE(encoded.tunes.empty());
  EXPECT_NE(std::find(encoded.tunes[0].begin(), encoded.tunes[0].end(), tokens::kUnkId), encoded.tunes[0].end());
}

}  // namespace
}  // namespace tunesmith::corpus
