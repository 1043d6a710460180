#pragma once
// Duration distributions (days). A Distribution is an immutable value: copy it freely and
// sample it from any thread with that thread's own engine.

#include <string>
#include <variant>
#include <vector>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>

#include "tcsim/sim/random.hpp"

namespace tcsim::sim {

class Distribution {
 public:
  /// Factories check their parameters and throw std::invalid_argument saying which is wrong.
  static Distribution exponential(double mean);
  static Distribution lognormal_mean_sd(double mean, double sd);
  static Distribution lognormal_log(double meanlog, double sdlog);
  static Distribution gamma(double shape, double scale);
  static Distribution gamma_mean_sd(double mean, double sd);
  static Distribution weibull(double shape, double scale);
  static Distribution uniform(double min, double max);
  static Distribution triangular(double min, double mode, double max);
  static Distribution deterministic(double value);
  /// Draws one of `values`, with probability proportional to `weights` (equal if empty).
  static Distribution empirical(std::vector<double> values, std::vector<double> weights = {});

  Distribution() : Distribution(deterministic(0.0)) {}

  [[nodiscard]] double sample(RandomEngine& engine) const {
    // The exponential is by far the most common: keep it off the visit.
    if (const auto* e = std::get_if<Exponential>(&impl_)) {
      auto d = e->dist;
      return d(engine);
    }
    return sample_other(engine);
  }

  /// Analytic mean and variance, for validation and stability checks.
  [[nodiscard]] double mean() const;
  [[nodiscard]] double variance() const;
  /// E.g. "lognormal(mean=5, sd=3)".
  [[nodiscard]] std::string describe() const;

 private:
  struct Exponential {
    boost::random::exponential_distribution<double> dist;
  };
  struct Lognormal {
    boost::random::lognormal_distribution<double> dist;
  };
  struct Gamma {
    boost::random::gamma_distribution<double> dist;
  };
  struct Weibull {
    boost::random::weibull_distribution<double> dist;
  };
  struct Uniform {
    boost::random::uniform_real_distribution<double> dist;
  };
  struct Triangular {
    boost::random::triangle_distribution<double> dist;
  };
  struct Deterministic {
    double value;
  };
  struct Empirical {
    std::vector<double> values;
    std::vector<double> cumulative;  // normalised to end at 1
  };
  using Impl = std::variant<Exponential, Lognormal, Gamma, Weibull, Uniform, Triangular,
                            Deterministic, Empirical>;

  explicit Distribution(Impl impl) : impl_(std::move(impl)) {}
  [[nodiscard]] double sample_other(RandomEngine& engine) const;

  Impl impl_;
};

}  // namespace tcsim::sim
