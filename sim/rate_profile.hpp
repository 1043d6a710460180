#pragma once
// A time-varying arrival rate: a base rate per day times a day-of-week multiplier and a
// month-of-year multiplier, on a calendar that fixes the date of day 0. Arrivals under it are
// sampled exactly by thinning (Lewis & Shedler 1979): candidates at the peak rate, each kept
// with probability rate(t) / peak.

#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>

#include "tcsim/sim/time.hpp"

namespace tcsim::sim {

class RateProfile {
 public:
  /// Multipliers: Monday..Sunday and January..December; 1 everywhere by default. Day 0 is
  /// `start` (by default 1 April 2009, the start of the 2009/10 financial year).
  RateProfile() = default;
  RateProfile(const std::array<double, 7>& weekday, const std::array<double, 12>& month,
              std::chrono::year_month_day start)
      : weekday_(weekday), month_(month), start_(std::chrono::sys_days(start)) {}

  /// True when every multiplier is 1: arrivals are homogeneous and need no thinning.
  [[nodiscard]] bool constant() const noexcept {
    for (double m : weekday_)
      if (m != 1.0) return false;
    for (double m : month_)
      if (m != 1.0) return false;
    return true;
  }

  /// The multiplier in force at time `t` (days since day 0).
  [[nodiscard]] double at(Time t) const noexcept {
    const std::chrono::sys_days day = start_ + std::chrono::days(static_cast<long>(std::floor(t)));
    const unsigned weekday = std::chrono::weekday(day).iso_encoding() - 1;  // Monday = 0
    const unsigned month = static_cast<unsigned>(std::chrono::year_month_day(day).month()) - 1;
    return weekday_[weekday] * month_[month];
  }

  /// An upper bound of at(t): the largest weekday multiplier times the largest month one.
  [[nodiscard]] double peak() const noexcept {
    double w = 0.0;
    double m = 0.0;
    for (double x : weekday_)
      w = x > w ? x : w;
    for (double x : month_)
      m = x > m ? x : m;
    return w * m;
  }

  /// The long-run mean multiplier over whole weeks and a whole (non-leap) year, assuming the
  /// weekday and month patterns are independent: for effective mean rates and stability.
  [[nodiscard]] double mean() const noexcept {
    static constexpr std::array<double, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
    double w = 0.0;
    for (double x : weekday_)
      w += x;
    double m = 0.0;
    for (std::size_t i = 0; i < 12; ++i)
      m += month_[i] * kDays[i];
    return (w / 7.0) * (m / 365.0);
  }

  [[nodiscard]] const std::array<double, 7>& weekday() const noexcept { return weekday_; }
  [[nodiscard]] const std::array<double, 12>& month() const noexcept { return month_; }

 private:
  std::array<double, 7> weekday_{1, 1, 1, 1, 1, 1, 1};
  std::array<double, 12> month_{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  std::chrono::sys_days start_ = std::chrono::sys_days(std::chrono::year_month_day(
      std::chrono::year(2009), std::chrono::April, std::chrono::day(1)));
};

}  // namespace tcsim::sim
