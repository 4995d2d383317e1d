// The grammar mask's promise, tested as a property: whatever the logits
// (random, flat, or built to break it: always end, never end, overflow the
// bar, pile up ties, tuplets and broken rhythm), every walk through the mask
// finishes within GrammarRules::MaxTokens, never meets a state where no token
// is allowed, and gives a tune that tokens::DecodeToAbc writes, abc::ReadAbc
// reads without errors, abc::CheckBars finds no bar off the meter in, that
// keeps the structure asked for, and (a sample) abc2midi converts without errors.
#include <algorithm>
#include <cmath>
#include <map>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "abc/bar_check.h"
#include "abc/reader.h"
#include "abc/timeline.h"
#include "generate/grammar_mask.h"
#include "generate/sampler.h"
#include "generate/test_vocabulary.h"
#include "render/render.h"
#include "tokens/tokenizer.h"

namespace tunesmith::generate {
namespace {

using tokens::TokenClass;

enum class Logits { kRandom, kFlat, kEndEarly, kNeverEnd, kOverflow, kOrnate, kPeaky };
constexpr Logits kAllLogits[] = {Logits::kRandom,   Logits::kFlat,     Logits::kEndEarly, Logits::kNeverEnd,
                                 Logits::kOverflow, Logits::kOrnate,   Logits::kPeaky};

// Per-token biases that push a walk toward trouble.
std::vector<float> Bias(const GrammarRules& rules, Logits kind) {
  std::vector<float> bias(rules.size(), 0.0f);
  for (int32_t id = 0; id < rules.size(); ++id) {
    const auto& info = rules.info(id);
    const auto& t = info.token;
    const std::string& text = rules.vocabulary().Token(id);
    switch (kind) {
      case Logits::kEndEarly:
        if (text == "</s>" || text == "|]") bias[id] = 12;
        if (t.cls == TokenClass::kBar) bias[id] += 6;
        if (t.cls == TokenClass::kDuration) bias[id] = 3 + static_cast<float>(t.duration.ToDouble());
        break;
      case Logits::kNeverEnd:
        if (text == "</s>" || text == "|]" || text == "||") bias[id] = -30;
        if (t.cls == TokenClass::kPitch) bias[id] = 2;
        if (text == "/4" || text == "/2") bias[id] = 4;
        break;
      case Logits::kOverflow:
        if (t.cls == TokenClass::kDuration) bias[id] = static_cast<float>(t.duration.ToDouble());
        if (t.cls == TokenClass::kBroken || t.cls == TokenClass::kTuplet) bias[id] = 3;
        break;
      case Logits::kOrnate:
        if (t.cls == TokenClass::kTie || t.cls == TokenClass::kTuplet || t.cls == TokenClass::kBroken ||
            t.cls == TokenClass::kChordStart || t.cls == TokenClass::kChordSymbol || t.cls == TokenClass::kEnding) {
          bias[id] = 6;
        }
        if (t.cls == TokenClass::kChordEnd) bias[id] = -4;  // chords as full as they can be
        break;
      default: break;
    }
  }
  return bias;
}

struct WalkResult {
  std::vector<std::string> tokens;  // <s> ... </s>
  bool ok = false;
  int window_bar = -1;  // the window was set at the start of this bar (0: before the header); -1: never
};

// A pitch window to set during a walk (GrammarState::SetPitchRange).
struct Window {
  int lowest = 0, highest = 0;
  int at_bar = -1;  // set before the header (0) or at the start of that bar; -1: no window
};

WalkResult Walk(const GrammarRules& rules, Logits kind, uint64_t seed, bool cross_check, const Window& window = {}) {
  WalkResult out;
  std::mt19937_64 noise(seed);
  std::normal_distribution<float> normal(0.0f, kind == Logits::kPeaky ? 6.0f : 1.5f);
  const std::vector<float> bias = Bias(rules, kind);
  SamplerChain chain({.temperature = 1.0f});
  Rng rng(seed * 7919 + 1);
  GrammarState state(&rules);
  std::vector<uint8_t> allowed;
  std::vector<float> logits(rules.size());
  out.tokens.push_back("<s>");
  int bars_with_music = 0;  // counted as abc::Timeline counts bars
  bool music_in_bar = false;
  if (window.at_bar == 0) {
    Status s = state.SetPitchRange(window.lowest, window.highest);
    if (!s.ok()) {
      ADD_FAILURE() << s.message();
      return out;
    }
    out.window_bar = 0;
  }
  for (int64_t step = 0; !state.done(); ++step) {
    // Mid-tune, at a bar start (a tie open to a pitch outside refuses it: try the next bar).
    if (window.at_bar > 0 && out.window_bar < 0 && state.at_bar_start() && bars_with_music >= window.at_bar &&
        state.SetPitchRange(window.lowest, window.highest).ok()) {
      out.window_bar = bars_with_music;
    }
    if (step > rules.MaxTokens()) {
      ADD_FAILURE() << "no end after " << step << " tokens (bound " << rules.MaxTokens() << "): " << state.Describe();
      return out;
    }
    state.Allowed(&allowed);
    bool any = false;
    for (uint8_t a : allowed) any |= a != 0;
    if (!any) {
      std::string tail;
      for (size_t i = out.tokens.size() > 30 ? out.tokens.size() - 30 : 0; i < out.tokens.size(); ++i)
        tail += out.tokens[i] + " ";
      ADD_FAILURE() << "the mask allows nothing: " << state.Describe() << "\n  after: " << tail;
      return out;
    }
    if (cross_check && step % 7 == 0) {
      for (int32_t id = 0; id < rules.size(); ++id) {
        if ((allowed[id] != 0) != state.IsAllowed(id)) {
          ADD_FAILURE() << "grouped and per-token masks differ on '" << rules.vocabulary().Token(id)
                        << "': " << state.Describe();
          return out;
        }
      }
    }
    for (int32_t id = 0; id < rules.size(); ++id) {
      logits[id] = kind == Logits::kFlat ? 0.0f : normal(noise) + bias[id];
    }
    const int id = chain.Sample(logits, allowed, rng);
    if (id < 0) {
      ADD_FAILURE() << "the chain drew nothing";
      return out;
    }
    Status s = state.Accept(id);
    if (!s.ok()) {
      ADD_FAILURE() << s.message();
      return out;
    }
    out.tokens.push_back(rules.vocabulary().Token(id));
    const auto& info = rules.info(id);
    if (info.token.cls == TokenClass::kPitch || info.token.cls == TokenClass::kRest ||
        info.token.cls == TokenClass::kChordStart) {
      music_in_bar = true;
    }
    if (info.token.cls == TokenClass::kBar) {
      bars_with_music += music_in_bar;
      music_in_bar = false;
    }
  }
  out.ok = true;
  return out;
}

std::string Joined(const std::vector<std::string>& tokens) {
  std::string s;
  for (const auto& t : tokens) s += t + " ";
  return s;
}

// The rules of the music (GrammarOptions, all on by default), checked on the
// tokens and the tune read back rather than through the mask. True when the
// tune has a form and chord symbols (so the final-chord rule was met).
bool ExpectMusicRules(const std::vector<std::string>& walk, const abc::Tune& tune, const GrammarOptions& options) {
  const auto meter = tokens::ParseToken(walk[1]), mode = tokens::ParseToken(walk[2]), rhythm = tokens::ParseToken(walk[3]);
  if (!meter || !mode || !rhythm) {
    ADD_FAILURE() << "no header: " << Joined(walk);
    return false;
  }
  const int num = meter->meter.num, den = meter->meter.den;
  EXPECT_TRUE(RhythmHasMeter(rhythm->rhythm, num, den)) << walk[3] << " in " << walk[1];
  const abc::Mode m = mode->mode;
  const bool minor_third = m == abc::Mode::kMinor || m == abc::Mode::kDorian || m == abc::Mode::kPhrygian || m == abc::Mode::kLocrian;
  std::string last_chord;
  for (const std::string& t : walk) {
    auto token = tokens::ParseToken(t);
    if (!token) continue;
    if (token->cls == TokenClass::kDuration) {
      EXPECT_GE(token->duration, abc::Rational(1, 2)) << Joined(walk);
    }
    if (token->cls != TokenClass::kChordSymbol) continue;
    last_chord = t;
    const tokens::ChordDegree& c = token->chord;
    if (c.root.degree != 0 || c.root.alter != 0) continue;
    using Q = tokens::ChordQuality;
    if (minor_third) {
      EXPECT_TRUE(c.quality != Q::kMajor && c.quality != Q::kDominant7 && c.quality != Q::kMajor6 &&
                  c.quality != Q::kMajor7 && c.quality != Q::kAugmented && c.quality != Q::kAugmented7)
          << t << " in " << walk[2];
    } else {
      EXPECT_TRUE(c.quality != Q::kMinor && c.quality != Q::kMinor7 && c.quality != Q::kMinor6) << t << " in " << walk[2];
    }
  }
  if (!options.structure.free() && !last_chord.empty()) {
    EXPECT_EQ(last_chord, minor_third ? "\"i\"" : "\"I\"") << Joined(walk);
  }
  // A note tied over a bar line sounds at least a beat.
  const abc::Rational beat = den >= 8 && num % 3 == 0 ? abc::Rational(3, den) : den <= 4 ? abc::Rational(1, 4) : abc::Rational(1, den);
  const std::vector<abc::Rational> lengths = abc::SoundingLengths(tune);
  for (size_t k = 0; k < tune.body.size(); ++k) {
    if (tune.body[k].kind != abc::ElementKind::kNote || !tune.body[k].tie) continue;
    size_t next = k + 1;
    while (next < tune.body.size() && tune.body[next].kind == abc::ElementKind::kLineBreak) ++next;
    if (next < tune.body.size() && tune.body[next].kind == abc::ElementKind::kBar) {
      EXPECT_GE(lengths[k], beat) << "a short note tied over a bar line\n" << Joined(walk);
    }
  }
  return !options.structure.free() && !last_chord.empty();
}

struct Setting {
  std::string name;
  GrammarOptions options;
  int walks;
};

std::vector<Setting> Settings() {
  std::vector<Setting> out;
  out.push_back({"free", {}, 900});
  GrammarOptions jig;
  jig.meter = "M:6/8";
  jig.rhythm = "R:jig";
  out.push_back({"6/8 jig", jig, 250});
  GrammarOptions waltz;
  waltz.meter = "M:3/4";
  waltz.mode = "K:min";
  out.push_back({"3/4 minor", waltz, 200});
  GrammarOptions short_tunes;
  short_tunes.min_bars = 2;
  short_tunes.soft_max_tokens = 30;
  out.push_back({"short", short_tunes, 250});
  GrammarOptions no_chords;
  no_chords.chord_symbols = false;
  no_chords.meter = "M:9/8";
  out.push_back({"9/8 no chords", no_chords, 100});
  for (const char* parts : {"AABB", "AB", "AABBCC", "AAB", "A"}) {
    for (int bars : {8, 4, 2}) {
      GrammarOptions s;
      s.structure = *ParseStructure(parts, bars);
      out.push_back({std::string(parts) + " x" + std::to_string(bars), s, bars == 8 ? 60 : 30});
    }
  }
  return out;
}

TEST(GrammarProperty, EveryWalkGivesAValidTune) {
  const tokens::Vocabulary vocab = testing::TestVocabulary();
  int tunes = 0, pickups = 0, endings = 0, tuplets = 0, broken = 0, ties = 0, chords = 0, tonic_endings = 0;
  int final_chords = 0;  // structured tunes with chord symbols: their last one is the tonic triad
  for (const Setting& setting : Settings()) {
    auto rules = GrammarRules::Make(vocab, setting.options);
    ASSERT_TRUE(rules.ok()) << rules.status().message();
    for (int w = 0; w < setting.walks; ++w) {
      const Logits kind = kAllLogits[w % std::size(kAllLogits)];
      const uint64_t seed = 1000003ull * (tunes + 1);
      WalkResult walk = Walk(**rules, kind, seed, w % 10 == 0);
      ASSERT_TRUE(walk.ok) << setting.name << " walk " << w << ": " << Joined(walk.tokens);
      ++tunes;
      auto abc_text = tokens::DecodeToAbc(walk.tokens, tokens::TokenizerKind::kAbcToken);
      ASSERT_TRUE(abc_text.ok()) << abc_text.status().message() << "\n" << Joined(walk.tokens);
      abc::ReadResult read = abc::ReadAbc(*abc_text, "<walk>");
      ASSERT_EQ(read.tunes.size(), 1u) << *abc_text;
      for (const auto& d : read.diagnostics) {
        ASSERT_NE(d.severity, abc::Severity::kError) << d.Format() << "\n" << *abc_text;
      }
      const abc::BarCheck bars = abc::CheckBars(read.tunes[0]);
      ASSERT_EQ(bars.off_meter, 0) << setting.name << ": " << (bars.diagnostics.empty() ? "" : bars.diagnostics[0].Format())
                                   << "\n" << *abc_text << "\n" << Joined(walk.tokens);
      Status structure = CheckStructure(walk.tokens, setting.options.structure);
      ASSERT_TRUE(structure.ok()) << setting.name << ": " << structure.message() << "\n" << Joined(walk.tokens);
      final_chords += ExpectMusicRules(walk.tokens, read.tunes[0], setting.options);
      if (!setting.options.structure.free()) {
        // A structured tune ends on the tonic: its last event is a C (any octave).
        std::string last_event;
        abc::Rational last_length(1);  // written, in eighths
        bool in_chord = false;
        for (const std::string& t : walk.tokens) {
          auto token = tokens::ParseToken(t);
          if (!token) continue;
          if (token->cls == TokenClass::kChordStart) in_chord = true, last_event = "[chord]";
          if (token->cls == TokenClass::kChordEnd) in_chord = false;
          if (token->cls == TokenClass::kRest) last_event = t;
          if (token->cls == TokenClass::kPitch && !in_chord) last_event = t, last_length = abc::Rational(1);
          if (token->cls == TokenClass::kDuration && !in_chord) last_length = token->duration;
        }
        ASSERT_GE(last_length, abc::Rational(1)) << setting.name << ": a last note shorter than an eighth\n"
                                                 << Joined(walk.tokens);
        const std::string letter = last_event.substr(last_event.starts_with("=") ? 1 : 0, 1);
        ASSERT_TRUE(letter == "C" || letter == "c") << setting.name << ": ends on " << last_event << "\n" << Joined(walk.tokens);
        ++tonic_endings;
      }
      const std::string joined = Joined(walk.tokens);
      pickups += !bars.bars.empty() && bars.bars[0].length < bars.bars[0].expected;
      endings += joined.find("[2 ") != std::string::npos;
      tuplets += joined.find(" (") != std::string::npos;
      broken += joined.find(" > ") != std::string::npos || joined.find(" < ") != std::string::npos;
      ties += joined.find(" - ") != std::string::npos;
      chords += joined.find(" ] ") != std::string::npos;
    }
  }
  // The walks did reach the hard parts of the grammar.
  EXPECT_GT(pickups, 50);
  EXPECT_GT(endings, 50);
  EXPECT_GT(tuplets, 50);
  EXPECT_GT(broken, 50);
  EXPECT_GT(ties, 50);
  EXPECT_GT(chords, 50);
  EXPECT_GT(tonic_endings, 500);
  EXPECT_GT(final_chords, 200);
  std::printf("%d tunes: %d with a pickup, %d with endings, %d tuplets, %d broken rhythm, %d ties, %d chords, "
              "%d with a form ending on the tonic chord\n",
              tunes, pickups, endings, tuplets, broken, ties, chords, final_chords);
}

// Pitch windows (GrammarState::SetPitchRange) of random place and width, set
// before the header or at a random bar: no walk dead-ends, and no note of the
// decoded tune (its timeline, which knows keys and accidentals on its own)
// sounds outside the window from that bar on.
TEST(GrammarProperty, PitchWindowsHoldAndNeverDeadEnd) {
  const tokens::Vocabulary vocab = testing::TestVocabulary();
  const std::vector<Setting> settings = Settings();
  std::mt19937_64 pick(2024);
  int tunes = 0, mid_tune = 0, notes_checked = 0;
  for (int w = 0; w < 420; ++w) {
    const Setting& setting = settings[w % settings.size()];
    auto rules = GrammarRules::Make(vocab, setting.options);
    ASSERT_TRUE(rules.ok()) << rules.status().message();
    Window window;
    window.lowest = 48 + static_cast<int>(pick() % 25);               // C3 .. C5
    window.highest = window.lowest + 12 + static_cast<int>(pick() % 19);  // an octave to two and a half
    // The test vocabulary's Cs are 60, 72 and 84: keep one inside.
    if (window.highest < 72 && window.lowest > 60) window.lowest = 60;
    window.at_bar = w % 3 == 0 ? 0 : 1 + static_cast<int>(pick() % 6);
    WalkResult walk = Walk(**rules, kAllLogits[w % std::size(kAllLogits)], 99991ull * (w + 1), w % 10 == 0, window);
    ASSERT_TRUE(walk.ok) << setting.name << " window " << window.lowest << ".." << window.highest << ": "
                         << Joined(walk.tokens);
    ++tunes;
    if (walk.window_bar < 0) continue;  // the tune ended before that bar
    mid_tune += walk.window_bar > 0;
    auto tune = tokens::DecodeTune(walk.tokens, tokens::TokenizerKind::kAbcToken);
    ASSERT_TRUE(tune.ok()) << tune.status().message();
    for (const abc::NoteEvent& e : abc::Timeline(*tune)) {
      if (e.bar < walk.window_bar) continue;
      for (int midi : e.midi) {
        ++notes_checked;
        ASSERT_GE(midi, window.lowest) << setting.name << ", bar " << e.bar << ", window from bar " << walk.window_bar
                                       << "\n" << Joined(walk.tokens);
        ASSERT_LE(midi, window.highest) << setting.name << ", bar " << e.bar << ", window from bar " << walk.window_bar
                                        << "\n" << Joined(walk.tokens);
      }
    }
    if (!setting.options.structure.free()) {
      ASSERT_TRUE(CheckStructure(walk.tokens, setting.options.structure).ok()) << Joined(walk.tokens);
    }
  }
  EXPECT_EQ(tunes, 420);
  EXPECT_GT(mid_tune, 150);
  EXPECT_GT(notes_checked, 10000);
  std::printf("%d tunes with a pitch window (%d set mid-tune), %d notes inside it\n", tunes, mid_tune, notes_checked);
}

// A model trained on a few tunes may lack bar kinds (only | |: :|, say):
// the mask must still end every tune.
TEST(GrammarProperty, SparseBarVocabularies) {
  const std::vector<std::vector<std::string>> bar_sets = {
      {"|", "|:", ":|"}, {"|", "|]"}, {"|", "||"}, {"|", "|:", ":|", "[1", "[2"}};
  int tunes = 0;
  for (const auto& bars : bar_sets) {
    std::vector<std::string> t;
    const tokens::Vocabulary full = testing::TestVocabulary();
    for (int32_t id = 0; id < full.size(); ++id) {
      const std::string& text = full.Token(id);
      auto token = tokens::ParseToken(text);
      const bool bar_like = token && (token->cls == TokenClass::kBar || token->cls == TokenClass::kEnding);
      if (text.starts_with("<")) continue;  // the vocabulary adds its specials
      if (!bar_like || std::find(bars.begin(), bars.end(), text) != bars.end()) t.push_back(text);
    }
    const tokens::Vocabulary vocab(tokens::TokenizerKind::kAbcToken, t);
    GrammarOptions short_tunes;
    short_tunes.min_bars = 2;
    short_tunes.soft_max_tokens = 30;
    for (const Setting& setting : {Setting{"free", {}, 0}, Setting{"short", short_tunes, 0}}) {
      auto rules = GrammarRules::Make(vocab, setting.options);
      ASSERT_TRUE(rules.ok()) << rules.status().message();
      for (int w = 0; w < 70; ++w) {
        WalkResult walk = Walk(**rules, kAllLogits[w % std::size(kAllLogits)], 4242 + 17ull * w, w % 10 == 0);
        ASSERT_TRUE(walk.ok) << "bars {" << Joined(bars) << "} " << setting.name << " walk " << w << ": "
                             << Joined(walk.tokens);
        auto abc_text = tokens::DecodeToAbc(walk.tokens, tokens::TokenizerKind::kAbcToken);
        ASSERT_TRUE(abc_text.ok()) << abc_text.status().message();
        abc::ReadResult read = abc::ReadAbc(*abc_text, "<walk>");
        ASSERT_EQ(read.tunes.size(), 1u) << *abc_text;
        EXPECT_EQ(abc::CheckBars(read.tunes[0]).off_meter, 0) << *abc_text;
        ++tunes;
      }
    }
  }
  EXPECT_EQ(tunes, 4 * 2 * 70);
  // | and :| alone cannot end a tune once a :| has been used: refused up front.
  auto refused = GrammarRules::Make(
      tokens::Vocabulary(tokens::TokenizerKind::kAbcToken, {"M:4/4", "K:maj", "R:reel", "A", "2", "|", ":|"}), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("way to close a tune"), std::string::npos) << refused.status().message();
}

// abc2midi converts every tune of the sample without an error or a warning:
// a warning (a bar of the wrong length, an unknown chord, a tie to nothing)
// is something the mask let through.
TEST(GrammarProperty, Abc2midiConvertsASample) {
  const tokens::Vocabulary vocab = testing::TestVocabulary();
  const std::vector<Setting> settings = Settings();
  int converted = 0, warned = 0;
  for (int i = 0; i < 140; ++i) {
    const Setting& setting = settings[i % settings.size()];
    auto rules = GrammarRules::Make(vocab, setting.options);
    ASSERT_TRUE(rules.ok());
    WalkResult walk = Walk(**rules, kAllLogits[i % std::size(kAllLogits)], 77 + 31ull * i, false);
    ASSERT_TRUE(walk.ok);
    auto abc_text = tokens::DecodeToAbc(walk.tokens, tokens::TokenizerKind::kAbcToken);
    ASSERT_TRUE(abc_text.ok());
    render::MidiOptions midi;
    midi.chords = true;
    auto result = render::AbcToMidi(*abc_text, midi);
    if (!result.ok() && result.status().message().find("abcmidi") != std::string::npos &&
        result.status().message().find("not found") != std::string::npos) {
      GTEST_SKIP() << result.status().message();
    }
    ASSERT_TRUE(result.ok()) << result.status().message() << "\n" << *abc_text;
    for (const auto& m : result->messages) {
      ADD_FAILURE() << setting.name << " walk " << i << ": abc2midi: "
                    << render::FormatToolMessage(m, *abc_text, {"<walk " + std::to_string(i) + ">", 1}) << "\n"
                    << *abc_text;
    }
    if (!result->messages.empty()) ++warned;
    ++converted;
  }
  std::printf("abc2midi: %d tunes converted, %d with warnings\n", converted, warned);
  EXPECT_EQ(warned, 0);
}

}  // namespace
}  // namespace tunesmith::generate
