// Internal to the grammar mask (grammar_mask.cc, grammar_rules.cc,
// grammar_finish.cc): constants and helpers the three files share.
#pragma once

#include <cstdint>
#include <string_view>

#include "abc/rational.h"
#include "abc/tune.h"
#include "generate/grammar_mask.h"

namespace tunesmith::generate::internal {

constexpr uint32_t Bit(abc::BarKind k) { return 1u << static_cast<int>(k); }

constexpr int kMaxTupletNotes = 9;
// The tune's last note (the tonic) sounds at least an eighth: no 1/64 tonic
// squeezed in after the melody has stopped elsewhere.
inline const abc::Rational kMinFinalNote(1);
constexpr int64_t kMaxBarEighths = 48;

// Whether R:`rhythm` may stand with M:num/den under `options`: abc2midi plays
// hornpipes only in 2/4 and 4/4; with rhythm_meter, RhythmHasMeter.
bool RhythmFitsMeter(const GrammarOptions& options, std::string_view rhythm, int num, int den);

}  // namespace tunesmith::generate::internal

namespace tunesmith::generate {

// The names the three grammar files use unqualified.
using abc::BarKind;
using abc::Rational;
using tokens::TokenClass;
using internal::Bit;
using internal::kMinFinalNote;

}  // namespace tunesmith::generate
