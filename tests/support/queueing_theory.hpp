#pragma once
// Closed-form results of elementary queueing theory, written independently of the engine so the
// validation tests can compare the simulation with them. Rates are per day, durations in days.

#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace tcsim::test {

/// Erlang B: the probability that an arrival to an M/G/c/c loss system finds every place taken,
/// with offered load a = lambda * E[S] erlangs. Stable recursion: B(0) = 1,
/// B(k) = a B(k-1) / (k + a B(k-1)).
inline double erlang_b(std::int64_t c, double a) {
  if (c < 0 || !(a >= 0.0)) throw std::invalid_argument("erlang_b: needs c >= 0 and a >= 0");
  double b = 1.0;
  for (std::int64_t k = 1; k <= c; ++k)
    b = a * b / (static_cast<double>(k) + a * b);
  return b;
}

/// Erlang C: the probability that an arrival to an M/M/c queue has to wait, from Erlang B:
/// C = B / (1 - rho (1 - B)) with rho = a / c. Needs a < c (a stable queue).
inline double erlang_c(std::int64_t c, double a) {
  const auto servers = static_cast<double>(c);
  if (c < 1 || !(a >= 0.0 && a < servers)) {
    throw std::invalid_argument("erlang_c: needs c >= 1 and 0 <= a < c");
  }
  const double b = erlang_b(c, a);
  const double rho = a / servers;
  return b / (1.0 - rho * (1.0 - b));
}

/// Steady state of the M/M/c queue with arrival rate lambda and mean service time 1/mu.
struct MmcTheory {
  double rho = 0.0;     // utilisation lambda / (c mu)
  double p_wait = 0.0;  // Erlang C
  double wq = 0.0;      // mean wait in queue: C / (c mu - lambda)
  double lq = 0.0;      // mean queue length: lambda Wq (Little)
  double w = 0.0;       // mean time in system: Wq + 1/mu
  double l = 0.0;       // mean number in system: Lq + lambda/mu
};

inline MmcTheory mmc(std::int64_t c, double lambda, double mean_service) {
  const double mu = 1.0 / mean_service;
  const double a = lambda / mu;
  MmcTheory t;
  t.rho = a / static_cast<double>(c);
  t.p_wait = erlang_c(c, a);
  t.wq = t.p_wait / (static_cast<double>(c) * mu - lambda);
  t.lq = lambda * t.wq;
  t.w = t.wq + mean_service;
  t.l = t.lq + a;
  return t;
}

/// The q-quantile of the wait in queue of M/M/c (FIFO): P(W > t) = C e^{-(c mu - lambda) t},
/// with C the Erlang C probability of waiting, so the quantile is 0 when C <= 1 - q and
/// ln(C / (1 - q)) / (c mu - lambda) otherwise. Needs lambda < c mu.
inline double mmc_wait_quantile(std::int64_t c, double lambda, double mean_service, double q) {
  if (!(q > 0.0 && q < 1.0)) throw std::invalid_argument("mmc_wait_quantile: needs 0 < q < 1");
  const double mu = 1.0 / mean_service;
  const double p_wait = erlang_c(c, lambda / mu);
  if (p_wait <= 1.0 - q) return 0.0;
  return std::log(p_wait / (1.0 - q)) / (static_cast<double>(c) * mu - lambda);
}

}  // namespace tcsim::test
