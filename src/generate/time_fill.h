// Which stretches of time the notes of a vocabulary can fill exactly: the
// arithmetic behind the grammar mask's promise that every bar it lets begin
// can also end on time. Lengths are in eighth notes (the abc-token unit).
#pragma once

#include <cstdint>
#include <vector>

#include "abc/rational.h"

namespace tunesmith::generate {

class TimeFill {
 public:
  TimeFill() = default;
  // `atoms`: the written lengths a note may take (each > 0; the vocabulary's
  // duration tokens and the unit 1). `max_time`: the longest stretch asked
  // about (the longest bar).
  TimeFill(std::vector<abc::Rational> atoms, abc::Rational max_time);

  const std::vector<abc::Rational>& atoms() const { return atoms_; }  // ascending
  abc::Rational smallest() const { return atoms_.front(); }

  // True when x (>= 0) is a sum of zero or more atoms; false beyond max_time.
  bool Fillable(abc::Rational x) const;

 private:
  int64_t Cells(abc::Rational x) const;  // x in grid cells, -1 when off the grid

  std::vector<abc::Rational> atoms_;
  int64_t grid_ = 1;  // cells per eighth: the lcm of the atoms' denominators
  std::vector<uint8_t> fillable_;  // per cell up to max_time
};

}  // namespace tunesmith::generate
