// Every corpus tune: its tokens are all in the grammar (abc_token.h),
// decode(encode(t)) is the same music as t moved to C (pitches, durations,
// bars, repeats, endings, chords), the decoded ABC reads
// back and encodes to the same tokens, and the char tokens decode to the same
// music in the tune's own key. Prints what it rejected and why.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

#include "abc/reader.h"
#include "abc/timeline.h"
#include "abc/transpose.h"
#include "base/testing.h"
#include "tokens/abc_token.h"
#include "tokens/chord_symbol.h"
#include "tokens/tokenizer.h"

namespace tunesmith::tokens {
namespace {

namespace fs = std::filesystem;

// A chord symbol as a numeral over `tonic`; "" when it is no chord we model.
std::string Numeral(const std::string& symbol, NoteName tonic) {
  auto chord = abc::ParseChordSymbol(symbol);
  if (!chord) return "";
  auto degrees = ToDegrees(*chord, tonic);
  if (!degrees) return "";
  return RomanNumeral(*degrees).value_or("?");
}

// Bar lines and endings in order: "|", "|:", "[1", ... ("[|" counts as "||").
std::vector<std::string> Structure(const abc::Tune& tune) {
  std::vector<std::string> out;
  for (const auto& e : tune.body) {
    if (e.kind == abc::ElementKind::kBar) {
      out.push_back(std::to_string(static_cast<int>(e.bar == abc::BarKind::kStart ? abc::BarKind::kDouble : e.bar)));
    } else if (e.kind == abc::ElementKind::kEnding) {
      out.push_back("[" + e.text);
    }
  }
  return out;
}

// "" when `got` sounds like `want` (same events: start, length, MIDI notes,
// bar) with the same chords as numerals; else what differs first.
std::string CompareMusic(const abc::Tune& want, NoteName want_tonic, const abc::Tune& want_chords,
                         const abc::Tune& got, NoteName got_tonic) {
  auto a = abc::Timeline(want), b = abc::Timeline(got), chords = abc::Timeline(want_chords);
  if (a.size() != b.size()) {
    return "events: " + std::to_string(a.size()) + " expected, " + std::to_string(b.size()) + " decoded";
  }
  for (size_t i = 0; i < a.size(); ++i) {
    std::string at = "event " + std::to_string(i) + " (start " + a[i].start.ToString() + "): ";
    if (a[i].start != b[i].start) return at + "start " + b[i].start.ToString();
    if (a[i].length != b[i].length) return at + "length " + a[i].length.ToString() + " vs " + b[i].length.ToString();
    if (a[i].midi != b[i].midi) return at + "pitches differ";
    if (a[i].bar != b[i].bar) return at + "bar " + std::to_string(a[i].bar) + " vs " + std::to_string(b[i].bar);
    std::string ca = Numeral(chords[i].chord_symbol, want_tonic), cb = Numeral(b[i].chord_symbol, got_tonic);
    if (ca != cb) return at + "chord \"" + chords[i].chord_symbol + "\" vs \"" + b[i].chord_symbol + "\"";
  }
  if (Structure(want) != Structure(got)) return "bar lines or endings differ";
  return "";
}

// ABC 2.1: a K: field before the first note sets the key the notes are read
// in. The NMD has tunes with K:C in the header and K:D right after it; their
// tonic is D, and that is the tonic the tune moves to C from.
abc::Tune WithEffectiveKey(abc::Tune tune) {
  for (size_t i = 0; i < tune.body.size(); ++i) {
    const abc::Element& e = tune.body[i];
    if (e.kind == abc::ElementKind::kNote || e.kind == abc::ElementKind::kRest) break;
    if (e.kind == abc::ElementKind::kField && e.field_key == 'K' && e.key) {
      tune.key = *e.key;
      tune.body.erase(tune.body.begin() + static_cast<std::ptrdiff_t>(i));
      --i;
    }
  }
  return tune;
}

struct FolderReport {
  int tunes = 0, encoded = 0, rejected = 0, failures = 0;
  std::map<std::string, int> reasons;
  std::vector<std::string> failed;  // "tune: why"
};

void RoundTrip(const abc::Tune& tune, FolderReport& report) {
  auto fail = [&](const std::string& why) {
    ++report.failures;
    report.failed.push_back(tune.Describe() + ": " + why);
  };
  auto tokens = EncodeTune(tune, TokenizerKind::kAbcToken);
  if (!tokens.ok()) {
    ++report.rejected;
    std::string reason = tokens.status().message();
    if (reason.starts_with("line ")) reason = reason.substr(reason.find(": ") + 2);
    ++report.reasons[reason];
    return;
  }
  ++report.encoded;
  for (const auto& t : *tokens) {
    if (!ParseToken(t)) return fail("token '" + t + "' is not in the grammar");
  }
  const abc::Tune keyed = WithEffectiveKey(tune);
  const NoteName tonic{keyed.key.tonic_step, keyed.key.tonic_alter};

  // abc tokens: decoded in C against the tune moved to C.
  auto in_c = abc::TransposeTo(keyed, 0, 0);
  if (!in_c.ok()) return fail("TransposeTo failed: " + in_c.status().message());
  auto decoded = DecodeTune(*tokens, TokenizerKind::kAbcToken);
  if (!decoded.ok()) return fail("decode: " + decoded.status().message());
  if (std::string why = CompareMusic(*in_c, tonic, tune, *decoded, NoteName{0, 0}); !why.empty()) {
    return fail("abc tokens: " + why);
  }
  // The decoded ABC reads back and encodes to the same tokens.
  auto text = DecodeToAbc(*tokens, TokenizerKind::kAbcToken);
  if (!text.ok()) return fail("DecodeToAbc: " + text.status().message());
  abc::ReadResult read = abc::ReadAbc(*text, "decoded");
  if (read.tunes.size() != 1 || read.rejected != 0) return fail("decoded ABC does not read:\n" + *text);
  auto again = EncodeTune(read.tunes[0], TokenizerKind::kAbcToken);
  if (!again.ok() || *again != *tokens) return fail("decoded ABC encodes to other tokens:\n" + *text);

  // char tokens: decoded in the tune's own key against the tune.
  auto chars = EncodeTune(tune, TokenizerKind::kChar);
  if (!chars.ok()) return fail("char encode: " + chars.status().message());
  auto char_tune = DecodeTune(*chars, TokenizerKind::kChar);
  if (!char_tune.ok()) return fail("char decode: " + char_tune.status().message());
  if (std::string why = CompareMusic(tune, tonic, tune, *char_tune, tonic); !why.empty()) {
    return fail("char tokens: " + why);
  }
}

class TokensCorpusTest : public ::testing::TestWithParam<const char*> {};

TEST_P(TokensCorpusTest, EveryTuneRoundTrips) {
  if (!testing::CorpusPresent()) GTEST_SKIP() << testing::CorpusMissingMessage();
  fs::path folder = testing::CorpusDir() / GetParam();
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().extension() == ".abc") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty()) << folder;

  FolderReport report;
  int reader_rejected = 0;
  for (const auto& file : files) {
    auto read = abc::ReadAbcFile(file.string());
    ASSERT_TRUE(read.ok()) << read.status().message();
    reader_rejected += read->rejected;
    for (const auto& tune : read->tunes) {
      ++report.tunes;
      RoundTrip(tune, report);
    }
  }
  std::cout << GetParam() << ": " << report.tunes << " tunes read (" << reader_rejected
            << " rejected by the reader), " << report.encoded << " encoded, " << report.rejected
            << " not encodable, " << report.failures << " round-trip failures\n";
  for (const auto& [reason, n] : report.reasons) std::cout << "  not encodable x" << n << ": " << reason << "\n";
  for (size_t i = 0; i < report.failed.size() && i < 20; ++i) std::cout << "  FAILED " << report.failed[i] << "\n";
  EXPECT_EQ(report.failures, 0);
  EXPECT_GT(report.encoded, report.tunes * 9 / 10);
}

INSTANTIATE_TEST_SUITE_P(Folders, TokensCorpusTest,
                         ::testing::Values("nottingham", "nottingham-cleaned", "oneills1850", "ryans-mammoth"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace tunesmith::tokens
