#include "abc/transpose.h"

#include <cctype>
#include <cstdlib>
#include <map>

#include "abc/chord_symbol.h"

namespace tunesmith::abc {
namespace {

constexpr int kNaturalPc[7] = {0, 2, 4, 5, 7, 9, 11};

Accidental AccidentalFor(int alter) {
  switch (alter) {
    case 0: return Accidental::kNatural;
    case 1: return Accidental::kSharp;
    case -1: return Accidental::kFlat;
    case 2: return Accidental::kDoubleSharp;
    case -2: return Accidental::kDoubleFlat;
  }
  return Accidental::kNone;
}

// Moves a key's tonic and explicit accidentals by the interval; the mode stays.
Key MoveKey(const Key& key, int letters, int semitones) {
  Key moved = key;
  if (key.none) return moved;
  moved.highland_pipes = false;
  MoveNoteName(letters, semitones, &moved.tonic_step, &moved.tonic_alter);
  // A tonic such as E# or Fb reads better as its neighbour F or E.
  if (moved.tonic_alter > 1 || moved.tonic_alter < -1) {
    int pc = (kNaturalPc[moved.tonic_step] + moved.tonic_alter + 12) % 12;
    int step = moved.tonic_alter > 0 ? (moved.tonic_step + 1) % 7 : (moved.tonic_step + 6) % 7;
    int alter = ((pc - kNaturalPc[step]) % 12 + 18) % 12 - 6;
    moved.tonic_step = step;
    moved.tonic_alter = alter;
  }
  for (Pitch& p : moved.extra) {
    int alter = AccidentalAlter(p.accidental);
    MoveNoteName(letters, semitones, &p.step, &alter);
    p.accidental = AccidentalFor(alter);
  }
  return moved;
}

std::string MoveChord(const std::string& text, int letters, int semitones) {
  auto chord = ParseChordSymbol(text);
  if (!chord) return text;
  MoveNoteName(letters, semitones, &chord->root_step, &chord->root_alter);
  if (chord->has_bass) MoveNoteName(letters, semitones, &chord->bass_step, &chord->bass_alter);
  // Chord roots are spelled with at most one accidental (E# -> F, Cb -> B).
  auto simplify = [](int* step, int* alter) {
    if (*alter >= -1 && *alter <= 1) return;
    int pc = (kNaturalPc[*step] + *alter + 24) % 12;
    for (int s = 0; s < 7; ++s) {
      int a = ((pc - kNaturalPc[s]) % 12 + 18) % 12 - 6;
      if (a >= -1 && a <= 1 && (a == 0 || *alter * a > 0)) {
        *step = s;
        *alter = a;
        return;
      }
    }
  };
  simplify(&chord->root_step, &chord->root_alter);
  if (chord->has_bass) simplify(&chord->bass_step, &chord->bass_alter);
  return chord->ToString();
}

// Rewrites pitches bar by bar: the sounding alteration of each source note
// (its accidental, an earlier one in the bar, or the signature) is kept, and
// an accidental is written in the new key only where the new signature and
// bar do not already give it, or where the source wrote one.
class PitchMover {
 public:
  PitchMover(int letters, int semitones) : letters_(letters), semitones_(semitones) {}

  void SetKeys(const Key& from, const Key& to) {
    from_sig_ = from.Signature();
    to_sig_ = to.Signature();
  }
  void NewBar() {
    from_bar_.clear();
    to_bar_.clear();
  }

  bool Move(Pitch* p) {
    auto where = std::make_pair(p->step, p->octave);
    if (p->accidental != Accidental::kNone) from_bar_[where] = AccidentalAlter(p->accidental);
    auto found = from_bar_.find(where);
    int alter = found != from_bar_.end() ? found->second : from_sig_[p->step];
    int midi = 12 * p->octave + kNaturalPc[p->step] + alter + semitones_;
    int step = p->step + letters_;
    int octave = p->octave;
    while (step > 6) { step -= 7; ++octave; }
    while (step < 0) { step += 7; --octave; }
    int new_alter = midi - (12 * octave + kNaturalPc[step]);
    if (new_alter < -2 || new_alter > 2) return false;
    auto to_where = std::make_pair(step, octave);
    auto to_found = to_bar_.find(to_where);
    int in_force = to_found != to_bar_.end() ? to_found->second : to_sig_[step];
    Accidental written = Accidental::kNone;
    if (p->accidental != Accidental::kNone || new_alter != in_force) {
      written = AccidentalFor(new_alter);
      to_bar_[to_where] = new_alter;
    }
    p->step = step;
    p->octave = octave;
    p->accidental = written;
    return true;
  }

 private:
  int letters_, semitones_;
  std::array<int, 7> from_sig_{}, to_sig_{};
  std::map<std::pair<int, int>, int> from_bar_, to_bar_;
};

}  // namespace

Result<Tune> TransposeTo(const Tune& tune, int tonic_step, int tonic_alter) {
  if (tune.key.none) return Status::NotSupported("cannot transpose " + tune.Describe() + ": it has no key (K:none)");
  if (tonic_step < 0 || tonic_step > 6 || tonic_alter < -2 || tonic_alter > 2)
    return Status::InvalidArgument("bad target tonic");
  int from_pc = tune.key.TonicPitchClass();
  int to_pc = ((kNaturalPc[tonic_step] + tonic_alter) % 12 + 12) % 12;
  int semitones_up = ((to_pc - from_pc) % 12 + 12) % 12;
  int letters_up = ((tonic_step - tune.key.tonic_step) % 7 + 7) % 7;
  // The smallest move (at most a tritone up or down), with the letter step
  // that fits it best: E to Eb is one semitone down on the same letter, C to
  // B# no move at all one letter down.
  int semitones = 0, letters = 0, best = -1;
  for (int s : {semitones_up, semitones_up - 12}) {
    if (s > 6 || s < -6) continue;
    for (int l : {letters_up, letters_up - 7}) {
      int cost = 1000 * (s < 0 ? -s : s) + std::abs(12 * l - 7 * s);
      if (best < 0 || cost < best) {
        best = cost;
        semitones = s;
        letters = l;
      }
    }
  }
  Tune out = tune;
  out.key = MoveKey(tune.key, letters, semitones);
  out.key.tonic_step = tonic_step;
  out.key.tonic_alter = tonic_alter;
  for (Field& f : out.header) {
    if (f.key == 'K') f.value = out.key.ToString();
  }
  PitchMover mover(letters, semitones);
  Key from_key = tune.key, to_key = out.key;
  mover.SetKeys(from_key, to_key);
  for (Element& e : out.body) {
    switch (e.kind) {
      case ElementKind::kBar:
        mover.NewBar();
        break;
      case ElementKind::kField:
        if (e.key) {
          from_key = *e.key;
          to_key = MoveKey(*e.key, letters, semitones);
          e.key = to_key;
          e.text = to_key.ToString();
          mover.SetKeys(from_key, to_key);
        }
        break;
      case ElementKind::kNote:
      case ElementKind::kRest:
        for (Pitch& g : e.grace_notes) {
          if (!mover.Move(&g)) return Status::InvalidArgument("cannot spell a grace note of " + tune.Describe() + " in the new key");
        }
        for (Pitch& p : e.pitches) {
          if (!mover.Move(&p)) return Status::InvalidArgument("cannot spell a note of " + tune.Describe() + " in the new key");
        }
        if (!e.chord_symbol.empty()) e.chord_symbol = MoveChord(e.chord_symbol, letters, semitones);
        break;
      default:
        break;
    }
  }
  return out;
}

bool ParseTonic(std::string_view name, int* tonic_step, int* tonic_alter) {
  if (name.empty()) return false;
  const std::string_view letters = "CDEFGAB";
  size_t step = letters.find(static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))));
  if (step == std::string_view::npos) return false;
  int alter = 0;
  size_t i = 1;
  if (i < name.size() && (name[i] == '#' || name[i] == 'b')) {
    alter = name[i] == '#' ? 1 : -1;
    ++i;
  }
  std::string_view rest = name.substr(i);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (!ParseMode(rest)) return false;
  *tonic_step = static_cast<int>(step);
  *tonic_alter = alter;
  return true;
}

}  // namespace tunesmith::abc
