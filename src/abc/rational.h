// Exact musical time. Note lengths are fractions of a whole note (1/8 is a
// quaver), always kept in lowest terms with a positive denominator, so that
// bar lengths compare exactly (1/8 + 1/8 + 1/4 == 1/2, never 0.4999).
#pragma once

#include <cstdint>
#include <numeric>
#include <ostream>
#include <string>

namespace tunesmith::abc {

class Rational {
 public:
  constexpr Rational() = default;
  constexpr Rational(int64_t n) : num_(n), den_(1) {}  // NOLINT: implicit on purpose
  constexpr Rational(int64_t n, int64_t d) : num_(n), den_(d) { Normalise(); }

  constexpr int64_t num() const { return num_; }
  constexpr int64_t den() const { return den_; }
  constexpr double ToDouble() const { return static_cast<double>(num_) / static_cast<double>(den_); }
  // "3/8", "1", "-1/2".
  std::string ToString() const {
    return den_ == 1 ? std::to_string(num_) : std::to_string(num_) + "/" + std::to_string(den_);
  }

  friend constexpr Rational operator+(Rational a, Rational b) {
    return Rational(a.num_ * b.den_ + b.num_ * a.den_, a.den_ * b.den_);
  }
  friend constexpr Rational operator-(Rational a, Rational b) {
    return Rational(a.num_ * b.den_ - b.num_ * a.den_, a.den_ * b.den_);
  }
  friend constexpr Rational operator*(Rational a, Rational b) {
    return Rational(a.num_ * b.num_, a.den_ * b.den_);
  }
  friend constexpr Rational operator/(Rational a, Rational b) {
    return Rational(a.num_ * b.den_, a.den_ * b.num_);
  }
  constexpr Rational operator-() const { return Rational(-num_, den_); }
  Rational& operator+=(Rational o) { return *this = *this + o; }
  Rational& operator-=(Rational o) { return *this = *this - o; }
  Rational& operator*=(Rational o) { return *this = *this * o; }
  Rational& operator/=(Rational o) { return *this = *this / o; }

  friend constexpr bool operator==(Rational a, Rational b) { return a.num_ == b.num_ && a.den_ == b.den_; }
  friend constexpr auto operator<=>(Rational a, Rational b) {
    return a.num_ * b.den_ <=> b.num_ * a.den_;
  }
  friend std::ostream& operator<<(std::ostream& os, Rational r) { return os << r.ToString(); }

 private:
  constexpr void Normalise() {
    if (den_ < 0) { num_ = -num_; den_ = -den_; }
    int64_t g = std::gcd(num_ < 0 ? -num_ : num_, den_);
    if (g > 1) { num_ /= g; den_ /= g; }
    if (num_ == 0) den_ = 1;
  }
  int64_t num_ = 0;
  int64_t den_ = 1;
};

}  // namespace tunesmith::abc
