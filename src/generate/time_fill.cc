#include "generate/time_fill.h"

#include <algorithm>
#include <numeric>

namespace tunesmith::generate {

using abc::Rational;

TimeFill::TimeFill(std::vector<Rational> atoms, Rational max_time) : atoms_(std::move(atoms)) {
  std::sort(atoms_.begin(), atoms_.end());
  atoms_.erase(std::unique(atoms_.begin(), atoms_.end()), atoms_.end());
  std::erase_if(atoms_, [](Rational a) { return a <= Rational(0); });
  if (atoms_.empty()) atoms_.push_back(Rational(1));
  for (Rational a : atoms_) grid_ = std::lcm(grid_, a.den());
  const int64_t cells = Cells(max_time);
  fillable_.assign(static_cast<size_t>(std::max<int64_t>(cells, 0)) + 1, 0);
  fillable_[0] = 1;
  for (size_t c = 1; c < fillable_.size(); ++c) {
    for (Rational a : atoms_) {
      const int64_t step = Cells(a);
      if (step <= static_cast<int64_t>(c) && fillable_[c - step]) {
        fillable_[c] = 1;
        break;
      }
    }
  }
}

int64_t TimeFill::Cells(Rational x) const {
  const Rational c = x * Rational(grid_);
  return c.den() == 1 ? c.num() : -1;
}

bool TimeFill::Fillable(Rational x) const {
  const int64_t c = Cells(x);
  return c >= 0 && c < static_cast<int64_t>(fillable_.size()) && fillable_[c];
}

}  // namespace tunesmith::generate
