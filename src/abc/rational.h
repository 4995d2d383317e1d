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

  // Arithmetic is done in 128 bits and reduced before narrowing, so that the
  // sums of a long tune never overflow on the way (and never hit undefined
  // behaviour, even on hostile input: a result beyond 64 bits wraps).
  friend constexpr Rational operator+(Rational a, Rational b) {
    return Make(Wide(a.num_) * b.den_ + Wide(b.num_) * a.den_, Wide(a.den_) * b.den_);
  }
  friend constexpr Rational operator-(Rational a, Rational b) {
    return Make(Wide(a.num_) * b.den_ - Wide(b.num_) * a.den_, Wide(a.den_) * b.den_);
  }
  friend constexpr Rational operator*(Rational a, Rational b) {
    return Make(Wide(a.num_) * b.num_, Wide(a.den_) * b.den_);
  }
  friend constexpr Rational operator/(Rational a, Rational b) {
    return Make(Wide(a.num_) * b.den_, Wide(a.den_) * b.num_);
  }
  constexpr Rational operator-() const { return Rational(-num_, den_); }
  Rational& operator+=(Rational o) { return *this = *this + o; }
  Rational& operator-=(Rational o) { return *this = *this - o; }
  Rational& operator*=(Rational o) { return *this = *this * o; }
  Rational& operator/=(Rational o) { return *this = *this / o; }

  friend constexpr bool operator==(Rational a, Rational b) { return a.num_ == b.num_ && a.den_ == b.den_; }
  friend constexpr auto operator<=>(Rational a, Rational b) {
    return Wide(a.num_) * b.den_ <=> Wide(b.num_) * a.den_;
  }
  friend std::ostream& operator<<(std::ostream& os, Rational r) { return os << r.ToString(); }

 private:
  __extension__ typedef __int128 Wide;

  static constexpr Wide Gcd(Wide a, Wide b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b != 0) {
      Wide t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
  static constexpr Rational Make(Wide n, Wide d) {
    if (d < 0) { n = -n; d = -d; }
    constexpr Wide kSmall = Wide(1) << 62;
    if (n < kSmall && n > -kSmall && d < kSmall) {
      // The common case: 64-bit division is much cheaper than 128-bit.
      int64_t g = std::gcd(static_cast<int64_t>(n), static_cast<int64_t>(d));
      if (g > 1) { n /= g; d /= g; }
    } else {
      Wide g = Gcd(n, d);
      if (g > 1) { n /= g; d /= g; }
    }
    if (n == 0) d = 1;
    if (d == 0) d = 1;  // division by zero: callers never divide by a zero length
    Rational r;
    r.num_ = static_cast<int64_t>(static_cast<unsigned __int128>(n));
    r.den_ = static_cast<int64_t>(static_cast<unsigned __int128>(d));
    return r;
  }
  constexpr void Normalise() { *this = Make(num_, den_); }
  int64_t num_ = 0;
  int64_t den_ = 1;
};

}  // namespace tunesmith::abc
