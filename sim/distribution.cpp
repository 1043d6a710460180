#include "tcsim/sim/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/random/uniform_01.hpp>

namespace tcsim::sim {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

bool positive(double x) {
  return std::isfinite(x) && x > 0.0;
}
bool non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}

}  // namespace

Distribution Distribution::exponential(double mean) {
  require(positive(mean), fmt::format("exponential mean must be > 0, got {}", mean));
  return Distribution(Exponential{boost::random::exponential_distribution<double>(1.0 / mean)});
}

Distribution Distribution::lognormal_mean_sd(double mean, double sd) {
  require(positive(mean), fmt::format("lognormal mean must be > 0, got {}", mean));
  require(positive(sd), fmt::format("lognormal sd must be > 0, got {}", sd));
  // Moments of the lognormal: sdlog^2 = ln(1 + sd^2/mean^2), meanlog = ln(mean) - sdlog^2/2.
  const double sigma2 = std::log1p((sd * sd) / (mean * mean));
  return lognormal_log(std::log(mean) - sigma2 / 2.0, std::sqrt(sigma2));
}

Distribution Distribution::lognormal_log(double meanlog, double sdlog) {
  require(std::isfinite(meanlog), fmt::format("lognormal meanlog must be finite, got {}", meanlog));
  require(positive(sdlog), fmt::format("lognormal sdlog must be > 0, got {}", sdlog));
  return Distribution(Lognormal{boost::random::lognormal_distribution<double>(meanlog, sdlog)});
}

Distribution Distribution::gamma(double shape, double scale) {
  require(positive(shape), fmt::format("gamma shape must be > 0, got {}", shape));
  require(positive(scale), fmt::format("gamma scale must be > 0, got {}", scale));
  return Distribution(Gamma{boost::random::gamma_distribution<double>(shape, scale)});
}

Distribution Distribution::gamma_mean_sd(double mean, double sd) {
  require(positive(mean), fmt::format("gamma mean must be > 0, got {}", mean));
  require(positive(sd), fmt::format("gamma sd must be > 0, got {}", sd));
  return gamma((mean * mean) / (sd * sd), (sd * sd) / mean);
}

Distribution Distribution::weibull(double shape, double scale) {
  require(positive(shape), fmt::format("weibull shape must be > 0, got {}", shape));
  require(positive(scale), fmt::format("weibull scale must be > 0, got {}", scale));
  return Distribution(Weibull{boost::random::weibull_distribution<double>(shape, scale)});
}

Distribution Distribution::uniform(double min, double max) {
  require(non_negative(min), fmt::format("uniform min must be >= 0, got {}", min));
  require(std::isfinite(max) && max > min,
          fmt::format("uniform max must be > min ({}), got {}", min, max));
  return Distribution(Uniform{boost::random::uniform_real_distribution<double>(min, max)});
}

Distribution Distribution::triangular(double min, double mode, double max) {
  require(non_negative(min), fmt::format("triangular min must be >= 0, got {}", min));
  require(std::isfinite(mode) && mode >= min,
          fmt::format("triangular mode must be >= min ({}), got {}", min, mode));
  require(
      std::isfinite(max) && max >= mode && max > min,
      fmt::format("triangular max must be >= mode ({}) and > min ({}), got {}", mode, min, max));
  return Distribution(Triangular{boost::random::triangle_distribution<double>(min, mode, max)});
}

Distribution Distribution::deterministic(double value) {
  require(non_negative(value), fmt::format("deterministic value must be >= 0, got {}", value));
  return Distribution(Deterministic{value});
}

Distribution Distribution::empirical(std::vector<double> values, std::vector<double> weights) {
  require(!values.empty(), "empirical needs at least one value");
  for (double v : values) {
    require(non_negative(v), fmt::format("empirical values must be >= 0, got {}", v));
  }
  if (weights.empty()) weights.assign(values.size(), 1.0);
  require(weights.size() == values.size(),
          fmt::format("empirical needs one weight per value: {} values, {} weights", values.size(),
                      weights.size()));
  for (double w : weights) {
    require(non_negative(w), fmt::format("empirical weights must be >= 0, got {}", w));
  }
  std::vector<double> cumulative(weights.size());
  std::partial_sum(weights.begin(), weights.end(), cumulative.begin());
  const double total = cumulative.back();
  require(total > 0.0, "empirical weights must not all be zero");
  for (double& c : cumulative)
    c /= total;
  cumulative.back() = 1.0;
  return Distribution(Empirical{std::move(values), std::move(cumulative)});
}

double Distribution::sample_other(RandomEngine& engine) const {
  struct Sampler {
    RandomEngine& engine;
    double operator()(const Exponential& e) const {
      auto d = e.dist;
      return d(engine);
    }
    double operator()(const Lognormal& l) const {
      auto d = l.dist;
      return d(engine);
    }
    double operator()(const Gamma& g) const {
      auto d = g.dist;
      return d(engine);
    }
    double operator()(const Weibull& w) const {
      auto d = w.dist;
      return d(engine);
    }
    double operator()(const Uniform& u) const {
      auto d = u.dist;
      return d(engine);
    }
    double operator()(const Triangular& t) const {
      auto d = t.dist;
      return d(engine);
    }
    double operator()(const Deterministic& d) const { return d.value; }
    double operator()(const Empirical& e) const {
      const double u = boost::random::uniform_01<double>()(engine);
      const auto it = std::upper_bound(e.cumulative.begin(), e.cumulative.end(), u);
      const auto index = std::min<std::size_t>(static_cast<std::size_t>(it - e.cumulative.begin()),
                                               e.values.size() - 1);
      return e.values[index];
    }
  };
  return std::visit(Sampler{engine}, impl_);
}

double Distribution::mean() const {
  struct Mean {
    double operator()(const Exponential& e) const { return 1.0 / e.dist.lambda(); }
    double operator()(const Lognormal& l) const {
      return std::exp(l.dist.m() + l.dist.s() * l.dist.s() / 2.0);
    }
    double operator()(const Gamma& g) const { return g.dist.alpha() * g.dist.beta(); }
    double operator()(const Weibull& w) const {
      return w.dist.b() * std::tgamma(1.0 + 1.0 / w.dist.a());
    }
    double operator()(const Uniform& u) const { return (u.dist.a() + u.dist.b()) / 2.0; }
    double operator()(const Triangular& t) const {
      return (t.dist.a() + t.dist.b() + t.dist.c()) / 3.0;
    }
    double operator()(const Deterministic& d) const { return d.value; }
    double operator()(const Empirical& e) const {
      double m = 0.0;
      double previous = 0.0;
      for (std::size_t i = 0; i < e.values.size(); ++i) {
        m += e.values[i] * (e.cumulative[i] - previous);
        previous = e.cumulative[i];
      }
      return m;
    }
  };
  return std::visit(Mean{}, impl_);
}

double Distribution::variance() const {
  struct Variance {
    double operator()(const Exponential& e) const {
      return 1.0 / (e.dist.lambda() * e.dist.lambda());
    }
    double operator()(const Lognormal& l) const {
      const double s2 = l.dist.s() * l.dist.s();
      return std::expm1(s2) * std::exp(2.0 * l.dist.m() + s2);
    }
    double operator()(const Gamma& g) const {
      return g.dist.alpha() * g.dist.beta() * g.dist.beta();
    }
    double operator()(const Weibull& w) const {
      const double g1 = std::tgamma(1.0 + 1.0 / w.dist.a());
      const double g2 = std::tgamma(1.0 + 2.0 / w.dist.a());
      return w.dist.b() * w.dist.b() * (g2 - g1 * g1);
    }
    double operator()(const Uniform& u) const {
      const double w = u.dist.b() - u.dist.a();
      return w * w / 12.0;
    }
    double operator()(const Triangular& t) const {
      const double a = t.dist.a();
      const double b = t.dist.b();
      const double c = t.dist.c();
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
    }
    double operator()(const Deterministic&) const { return 0.0; }
    double operator()(const Empirical& e) const {
      double m = 0.0;
      double m2 = 0.0;
      double previous = 0.0;
      for (std::size_t i = 0; i < e.values.size(); ++i) {
        const double p = e.cumulative[i] - previous;
        m += e.values[i] * p;
        m2 += e.values[i] * e.values[i] * p;
        previous = e.cumulative[i];
      }
      return m2 - m * m;
    }
  };
  return std::visit(Variance{}, impl_);
}

std::string Distribution::describe() const {
  struct Describe {
    std::string operator()(const Exponential& e) const {
      return fmt::format("exponential(mean={:g})", 1.0 / e.dist.lambda());
    }
    std::string operator()(const Lognormal& l) const {
      return fmt::format("lognormal(meanlog={:g}, sdlog={:g})", l.dist.m(), l.dist.s());
    }
    std::string operator()(const Gamma& g) const {
      return fmt::format("gamma(shape={:g}, scale={:g})", g.dist.alpha(), g.dist.beta());
    }
    std::string operator()(const Weibull& w) const {
      return fmt::format("weibull(shape={:g}, scale={:g})", w.dist.a(), w.dist.b());
    }
    std::string operator()(const Uniform& u) const {
      return fmt::format("uniform(min={:g}, max={:g})", u.dist.a(), u.dist.b());
    }
    std::string operator()(const Triangular& t) const {
      return fmt::format("triangular(min={:g}, mode={:g}, max={:g})", t.dist.a(), t.dist.b(),
                         t.dist.c());
    }
    std::string operator()(const Deterministic& d) const {
      return fmt::format("deterministic({:g})", d.value);
    }
    std::string operator()(const Empirical& e) const {
      return fmt::format("empirical({} values)", e.values.size());
    }
  };
  return std::visit(Describe{}, impl_);
}

}  // namespace tcsim::sim
