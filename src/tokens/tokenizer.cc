#include "tokens/tokenizer.h"

#include <utility>

#include "abc/reader.h"
#include "abc/transpose.h"
#include "abc/writer.h"
#include "tokens/abc_token.h"

namespace tunesmith::tokens {
namespace {

const abc::Rational kEighth{1, 8};
// Decoded tunes get a line break after this many bars, so the ABC reads well.
constexpr int kBarsPerLine = 4;

std::string TokenError(size_t index, const std::string& token, const std::string& why) {
  return "token " + std::to_string(index) + " '" + token + "': " + why;
}

// abc::TransposeTo, and when it fails, the same move made in two steps through
// D. Works around TransposeTo failing for every tune moved by a semitone on the
// same letter downwards or by an enharmonic respelling (C# -> C, C -> Cb,
// C -> B#, G -> Gb ...); through D each step is an ordinary one and the total
// is the same smallest interval.
Result<abc::Tune> Transpose(const abc::Tune& tune, NoteName tonic) {
  auto direct = abc::TransposeTo(tune, tonic.step, tonic.alter);
  if (direct.ok()) return direct;
  auto via_d = abc::TransposeTo(tune, 1, 0);
  if (!via_d.ok()) return direct;
  auto moved = abc::TransposeTo(*via_d, tonic.step, tonic.alter);
  if (!moved.ok()) return direct;
  return moved;
}

// ---- abc-token ------------------------------------------------------------

// The abc tokens of a tune the normaliser has already seen.
Result<std::vector<std::string>> AbcTokensOf(const abc::Tune& n) {
  // Chord symbols become numerals against the tune's own tonic, before the
  // transposition, so the numerals do not depend on how chords are transposed.
  const NoteName tonic{n.key.tonic_step, n.key.tonic_alter};
  std::vector<std::string> chord_tokens(n.body.size());
  for (size_t i = 0; i < n.body.size(); ++i) {
    if (n.body[i].chord_symbol.empty()) continue;
    auto chord = abc::ParseChordSymbol(n.body[i].chord_symbol);
    auto degrees = chord ? ToDegrees(*chord, tonic) : std::nullopt;
    auto token = degrees ? FormatChordSymbol(*degrees) : std::nullopt;
    if (!token) return Status::InvalidArgument("chord symbol \"" + n.body[i].chord_symbol + "\" has no numeral");
    chord_tokens[i] = *token;
  }

  auto in_c = Transpose(n, NoteName{0, 0});
  if (!in_c.ok()) return in_c.status().WithPrefix("cannot transpose to C: ");
  if (in_c->body.size() != n.body.size()) {
    return Status::InvalidArgument("transposition changed the number of elements (" + std::to_string(n.body.size()) +
                         " -> " + std::to_string(in_c->body.size()) + ")");
  }

  std::vector<std::string> out;
  out.reserve(n.body.size() * 2 + 6);
  out.push_back("<s>");
  out.push_back(FormatMeter(n.meter));
  out.push_back(FormatMode(n.key.mode));
  auto rhythms = n.FieldValues('R');
  out.push_back(FormatRhythm(NormaliseRhythm(rhythms.empty() ? "" : rhythms.front())));

  for (size_t i = 0; i < in_c->body.size(); ++i) {
    const abc::Element& e = in_c->body[i];
    switch (e.kind) {
      case abc::ElementKind::kNote:
      case abc::ElementKind::kRest: {
        if (!chord_tokens[i].empty()) out.push_back(chord_tokens[i]);
        if (e.kind == abc::ElementKind::kRest) {
          out.push_back("z");
        } else if (e.pitches.size() == 1) {
          out.push_back(FormatPitch(e.pitches[0]));
        } else {
          out.push_back("[");
          for (const auto& p : e.pitches) out.push_back(FormatPitch(p));
          out.push_back("]");
        }
        auto duration = FormatDuration(e.length / kEighth);
        if (!duration) return Status::InvalidArgument("a note of length " + e.length.ToString() + " has no duration token");
        if (!duration->empty()) out.push_back(*duration);
        if (e.tie && e.kind == abc::ElementKind::kNote) out.push_back("-");
        break;
      }
      case abc::ElementKind::kBar: out.push_back(FormatBar(e.bar)); break;
      case abc::ElementKind::kEnding: out.push_back(FormatEnding(e.text)); break;
      case abc::ElementKind::kTuplet: out.push_back(FormatTuplet(e.tuplet)); break;
      case abc::ElementKind::kBrokenRhythm:
        if (e.broken != 0) out.push_back(FormatBroken(e.broken));
        break;
      case abc::ElementKind::kField:
        if (e.field_key == 'K' && e.key) {
          out.push_back(FormatInlineKey(NoteName{e.key->tonic_step, e.key->tonic_alter}, e.key->mode));
        } else if (e.field_key == 'M' && e.meter) {
          out.push_back(FormatInlineMeter(*e.meter));
        }
        break;
      default:
        break;  // the normaliser removed everything else
    }
  }
  out.push_back("</s>");
  return out;
}

abc::Tune EmptyTune(const DecodeOptions& options) {
  abc::Tune t;
  t.file = "<tokens>";
  t.x = options.x;
  t.unit_length = kEighth;
  return t;
}

// The tune in C and, per body element, the chord numeral written on it.
struct DecodedAbcTokens {
  abc::Tune tune;
  std::vector<std::optional<ChordDegree>> chords;
};

Result<DecodedAbcTokens> DecodeAbcTokens(const std::vector<std::string>& tokens, const DecodeOptions& options) {
  abc::Tune t = EmptyTune(options);
  std::vector<std::optional<ChordDegree>> chords;
  std::optional<abc::Meter> meter;
  std::optional<abc::Mode> mode;
  std::string rhythm = "other";
  bool header_done = false;

  std::optional<ChordDegree> pending_chord;
  size_t pending_chord_index = 0;
  bool in_chord = false;
  std::vector<abc::Pitch> chord_pitches;
  int sizable = -1;  // the note or rest a duration token may follow
  int tieable = -1;  // the note a tie may follow
  bool sounded = false;                 // a note or rest has been read
  std::optional<size_t> pending_broken;  // a broken-rhythm token waiting for its second note

  auto add = [&](abc::Element e) {
    t.body.push_back(std::move(e));
    chords.push_back(std::nullopt);
  };
  auto add_sounding = [&](abc::Element e) {
    e.length = kEighth;
    const bool is_note = e.kind == abc::ElementKind::kNote;
    if (pending_chord) {
      e.chord_symbol = WithoutDoubleAccidentals(FromDegrees(*pending_chord, NoteName{0, 0})).ToString();
      chords.push_back(pending_chord);
      pending_chord.reset();
    } else {
      chords.push_back(std::nullopt);
    }
    t.body.push_back(std::move(e));
    sizable = static_cast<int>(t.body.size()) - 1;
    tieable = is_note ? sizable : -1;
    sounded = true;
    pending_broken.reset();
  };

  size_t i = 0;
  if (!tokens.empty() && tokens[0] == "<s>") i = 1;
  for (; i < tokens.size(); ++i) {
    const std::string& text = tokens[i];
    if (text == "</s>") break;
    if (text == "<pad>") continue;
    if (text == "<s>" || text == "<unk>") return Status::InvalidArgument(TokenError(i, text, "not allowed inside a tune"));
    auto token = ParseToken(text);
    if (!token) return Status::InvalidArgument(TokenError(i, text, "not an abc token"));

    if (!header_done) {
      if (token->cls == TokenClass::kMeter && !meter) {
        meter = token->meter;
        continue;
      }
      if (token->cls == TokenClass::kMode && !mode) {
        mode = token->mode;
        continue;
      }
      if (token->cls == TokenClass::kRhythm && rhythm == "other") {
        rhythm = token->rhythm;
        continue;
      }
      if (!meter) return Status::InvalidArgument(TokenError(i, text, "the tune has no M: token before its body"));
      if (!mode) return Status::InvalidArgument(TokenError(i, text, "the tune has no K: token before its body"));
      header_done = true;
    }

    const bool keeps_tie = token->cls == TokenClass::kDuration;
    if (in_chord && token->cls != TokenClass::kPitch && token->cls != TokenClass::kChordEnd) {
      return Status::InvalidArgument(TokenError(i, text, "only pitches and ] may follow ["));
    }
    if (pending_chord && !in_chord && token->cls != TokenClass::kPitch && token->cls != TokenClass::kRest &&
        token->cls != TokenClass::kChordStart) {
      return Status::InvalidArgument(TokenError(pending_chord_index, tokens[pending_chord_index],
                                      "a chord symbol must be followed by a note, a rest or ["));
    }
    // The reader drops a broken-rhythm mark without a note or rest on each side
    // (tuplet marks may stand between), so the decoder refuses one.
    if (pending_broken && token->cls != TokenClass::kPitch && token->cls != TokenClass::kRest &&
        token->cls != TokenClass::kChordStart && token->cls != TokenClass::kChordEnd &&
        token->cls != TokenClass::kChordSymbol && token->cls != TokenClass::kTuplet) {
      return Status::InvalidArgument(TokenError(*pending_broken, tokens[*pending_broken],
                                      "broken rhythm must be followed by a note or rest"));
    }
    // A meter or key before any note is the tune's own: it belongs in the header.
    if (!sounded && (token->cls == TokenClass::kInlineMeter || token->cls == TokenClass::kInlineKey)) {
      return Status::InvalidArgument(TokenError(i, text, "a meter or key change before the first note"));
    }

    abc::Element e;
    switch (token->cls) {
      case TokenClass::kSpecial:
      case TokenClass::kMeter:
      case TokenClass::kMode:
      case TokenClass::kRhythm:
        return Status::InvalidArgument(TokenError(i, text, "a header token inside the body"));
      case TokenClass::kPitch:
        if (in_chord) {
          chord_pitches.push_back(token->pitch);
          continue;  // nothing is sizable until ]
        }
        e.kind = abc::ElementKind::kNote;
        e.pitches = {token->pitch};
        add_sounding(std::move(e));
        continue;
      case TokenClass::kChordStart:
        in_chord = true;
        chord_pitches.clear();
        sizable = tieable = -1;
        continue;
      case TokenClass::kChordEnd:
        if (!in_chord) return Status::InvalidArgument(TokenError(i, text, "] without ["));
        // One pitch in brackets is a plain note: the encoder never writes it.
        if (chord_pitches.size() < 2) return Status::InvalidArgument(TokenError(i, text, "a chord [ ] holds two pitches or more"));
        in_chord = false;
        e.kind = abc::ElementKind::kNote;
        e.pitches = std::move(chord_pitches);
        chord_pitches.clear();
        add_sounding(std::move(e));
        continue;
      case TokenClass::kRest:
        e.kind = abc::ElementKind::kRest;
        add_sounding(std::move(e));
        continue;
      case TokenClass::kDuration:
        if (sizable < 0) return Status::InvalidArgument(TokenError(i, text, "a duration must follow a note, rest or ]"));
        t.body[sizable].length = kEighth * token->duration;
        break;
      case TokenClass::kTie:
        if (tieable < 0) return Status::InvalidArgument(TokenError(i, text, "a tie must follow a note or ]"));
        t.body[tieable].tie = true;
        break;
      case TokenClass::kBar:
        e.kind = abc::ElementKind::kBar;
        e.bar = token->bar;
        add(std::move(e));
        break;
      case TokenClass::kEnding:
        e.kind = abc::ElementKind::kEnding;
        e.text = token->ending;
        add(std::move(e));
        break;
      case TokenClass::kTuplet:
        e.kind = abc::ElementKind::kTuplet;
        e.tuplet = token->tuplet;
        add(std::move(e));
        break;
      case TokenClass::kBroken:
        if (t.body.empty() || (t.body.back().kind != abc::ElementKind::kNote &&
                               t.body.back().kind != abc::ElementKind::kRest)) {
          return Status::InvalidArgument(TokenError(i, text, "broken rhythm must follow a note or rest"));
        }
        pending_broken = i;
        e.kind = abc::ElementKind::kBrokenRhythm;
        e.broken = token->broken;
        add(std::move(e));
        break;
      case TokenClass::kInlineMeter:
        e.kind = abc::ElementKind::kField;
        e.field_key = 'M';
        e.meter = token->meter;
        e.text = token->meter.ToString();
        add(std::move(e));
        break;
      case TokenClass::kInlineKey: {
        // ABC spells a key's tonic with one accidental at most (K:Cb, not
        // K:Cbb); the encoder never writes more (abc::Transpose respells).
        if (token->key_tonic.alter > 1 || token->key_tonic.alter < -1) {
          return Status::InvalidArgument(TokenError(i, text, "a key ABC cannot write (a tonic with two accidentals)"));
        }
        abc::Key key;
        key.tonic_step = token->key_tonic.step;
        key.tonic_alter = token->key_tonic.alter;
        key.mode = token->mode;
        e.kind = abc::ElementKind::kField;
        e.field_key = 'K';
        e.text = key.ToString();
        e.key = key;
        add(std::move(e));
        break;
      }
      case TokenClass::kChordSymbol:
        pending_chord = token->chord;
        pending_chord_index = i;
        break;
    }
    sizable = -1;  // one duration per note, right after it
    if (!keeps_tie) tieable = -1;
  }
  if (!header_done) {
    if (!meter) return Status::InvalidArgument("the tokens have no M: token");
    if (!mode) return Status::InvalidArgument("the tokens have no K: token");
  }
  if (in_chord) return Status::InvalidArgument("the tokens end inside a chord [ ...");
  if (pending_broken) {
    return Status::InvalidArgument(TokenError(*pending_broken, tokens[*pending_broken], "broken rhythm at the end, on no note"));
  }
  if (pending_chord) {
    return Status::InvalidArgument(TokenError(pending_chord_index, tokens[pending_chord_index],
                                    "a chord symbol at the end, on no note"));
  }

  t.meter = *meter;
  t.key.mode = *mode;
  t.header.push_back({'X', std::to_string(options.x), {}});
  t.header.push_back({'T', options.title, {}});
  t.header.push_back({'M', t.meter.ToString(), {}});
  t.header.push_back({'L', "1/8", {}});
  std::string r_value = RhythmFieldValue(rhythm);
  if (!r_value.empty()) t.header.push_back({'R', r_value, {}});
  t.header.push_back({'K', t.key.ToString(), {}});

  DecodedAbcTokens out{std::move(t), std::move(chords)};
  return out;
}

// Breaks the music line every kBarsPerLine bars (not between a bar and its
// ending), keeping `chords` aligned with the body.
void AddLineBreaks(DecodedAbcTokens& d) {
  std::vector<abc::Element> body;
  std::vector<std::optional<ChordDegree>> chords;
  int bars = 0;
  const auto& in = d.tune.body;
  for (size_t i = 0; i < in.size(); ++i) {
    body.push_back(in[i]);
    chords.push_back(d.chords[i]);
    if (in[i].kind != abc::ElementKind::kBar) continue;
    ++bars;
    bool ending_next = i + 1 < in.size() && in[i + 1].kind == abc::ElementKind::kEnding;
    if (bars >= kBarsPerLine && !ending_next && i + 1 < in.size()) {
      abc::Element br;
      br.kind = abc::ElementKind::kLineBreak;
      body.push_back(br);
      chords.push_back(std::nullopt);
      bars = 0;
    }
  }
  d.tune.body = std::move(body);
  d.chords = std::move(chords);
}

// Moves a decoded tune to `tonic`; chord names are spelled again from their
// numerals so that they agree with the new key whatever the transposition does.
Result<abc::Tune> MoveToKey(const abc::Tune& tune, const std::vector<std::optional<ChordDegree>>& chords,
                            NoteName tonic) {
  auto moved = Transpose(tune, tonic);
  if (!moved.ok()) return moved.status();
  if (moved->body.size() == chords.size()) {
    for (size_t i = 0; i < chords.size(); ++i) {
      if (chords[i]) moved->body[i].chord_symbol = WithoutDoubleAccidentals(FromDegrees(*chords[i], tonic)).ToString();
    }
  }
  return moved;
}

// ---- char -------------------------------------------------------------------

abc::WriteOptions CharWriteOptions(const abc::Tune& tune) {
  abc::WriteOptions w;
  w.unit_length = tune.unit_length;
  w.keep_line_breaks = false;
  w.header_only_music = true;
  return w;
}

std::string CharTextOf(const abc::Tune& normalised) {
  return abc::WriteTune(normalised, CharWriteOptions(normalised));
}

std::vector<std::string> CharTokensOf(const std::string& text) {
  std::vector<std::string> out;
  out.reserve(text.size() + 2);
  out.push_back("<s>");
  for (char c : text) out.emplace_back(1, c);
  out.push_back("</s>");
  return out;
}

Result<abc::Tune> DecodeChars(const std::vector<std::string>& tokens, const DecodeOptions& options) {
  std::string text;
  size_t i = 0;
  if (!tokens.empty() && tokens[0] == "<s>") i = 1;
  for (; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (t == "</s>") break;
    if (t == "<pad>") continue;
    if (t.size() != 1) return Status::InvalidArgument(TokenError(i, t, "a char token is one character"));
    text += t;
  }
  std::string abc_text = "X:" + std::to_string(options.x) + "\nT:" + options.title + "\n" + text;
  if (abc_text.back() != '\n') abc_text += '\n';
  abc::ReadResult read = abc::ReadAbc(abc_text, "<tokens>");
  if (read.tunes.size() != 1 || read.rejected > 0) {
    std::string why = "the characters do not read as one tune";
    for (const auto& d : read.diagnostics) {
      if (d.severity == abc::Severity::kError) {
        why += ":\n" + d.Format();
        break;
      }
    }
    return Status::InvalidArgument(why);
  }
  abc::Tune tune = std::move(read.tunes[0]);
  if (options.tonic) return Transpose(tune, *options.tonic);
  return tune;
}

}  // namespace

Result<std::vector<std::string>> EncodeTune(const abc::Tune& tune, TokenizerKind kind, NormaliseStats* stats) {
  auto normalised = Normalise(tune, stats);
  if (!normalised.ok()) return normalised.status();
  if (kind == TokenizerKind::kAbcToken) return AbcTokensOf(*normalised);
  return CharTokensOf(CharTextOf(*normalised));
}

Result<TuneEncodings> EncodeTuneBothKinds(const abc::Tune& tune, NormaliseStats* stats) {
  auto normalised = Normalise(tune, stats);
  if (!normalised.ok()) return normalised.status();
  auto abc_tokens = AbcTokensOf(*normalised);
  if (!abc_tokens.ok()) return abc_tokens.status();
  TuneEncodings out;
  out.abc_tokens = std::move(abc_tokens).value();
  out.char_text = CharTextOf(*normalised);
  return out;
}

Result<abc::Tune> DecodeTune(const std::vector<std::string>& tokens, TokenizerKind kind,
                             const DecodeOptions& options) {
  if (kind == TokenizerKind::kChar) return DecodeChars(tokens, options);
  auto decoded = DecodeAbcTokens(tokens, options);
  if (!decoded.ok()) return decoded.status();
  AddLineBreaks(decoded.value());
  if (options.tonic) return MoveToKey(decoded->tune, decoded->chords, *options.tonic);
  return std::move(decoded->tune);
}

Result<std::string> DecodeToAbc(const std::vector<std::string>& tokens, TokenizerKind kind,
                                const DecodeOptions& options) {
  auto tune = DecodeTune(tokens, kind, options);
  if (!tune.ok()) return tune.status();
  abc::WriteOptions w;
  w.unit_length = kind == TokenizerKind::kChar ? tune->unit_length : kEighth;
  w.beam_by_beat = kind == TokenizerKind::kAbcToken;  // abc tokens have no blanks; char tokens keep theirs
  return abc::WriteTune(*tune, w);
}

}  // namespace tunesmith::tokens
