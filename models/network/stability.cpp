#include "tcsim/models/network/stability.hpp"

#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/scenario/config_error.hpp"
#include "tcsim/sim/rate_profile.hpp"

namespace tcsim::models {
namespace {

double long_run_capacity(const Setting& s) {
  const auto places = [](std::int64_t c) {
    return c == sim::kUnlimited ? std::numeric_limits<double>::infinity() : static_cast<double>(c);
  };
  if (s.schedule.empty()) return places(s.capacity);
  if (s.schedule_period <= 0.0) return places(s.schedule.back().capacity);  // holds forever
  // Repeating: the time-average over one period. The schedule starts at day 0 with `capacity`
  // (the loader puts that first entry back at the start of each cycle).
  double area = 0.0;
  for (std::size_t i = 0; i < s.schedule.size(); ++i) {
    const double until = i + 1 < s.schedule.size() ? s.schedule[i + 1].at : s.schedule_period;
    const double c = places(s.schedule[i].capacity);
    if (std::isinf(c)) return c;
    area += c * (until - s.schedule[i].at);
  }
  return area / s.schedule_period;
}

}  // namespace

bool StabilityReport::stable() const {
  for (const SettingLoad& s : settings)
    if (!s.stable()) return false;
  return true;
}

std::string StabilityReport::unstable_settings() const {
  std::string out;
  for (const SettingLoad& s : settings) {
    if (s.stable()) continue;
    out += fmt::format("{}{} (offered load {:.4g} places, capacity {:.4g})",
                       out.empty() ? "" : ", ", s.setting, s.offered_load, s.capacity);
  }
  return out;
}

StabilityReport analyse_stability(const Scenario& scenario) {
  StabilityReport report;
  for (const Setting& s : scenario.settings) {
    report.settings.push_back(
        SettingLoad{s.name, 0.0, long_run_capacity(s), 0.0, s.queue_limit != sim::kUnlimited});
  }
  // The network as it will run, so reform levers in use (first routes, early exits, the
  // discharge-to-assess steps) count. Offered loads are upper bounds where a lever only acts
  // when its target has room (admission avoidance, early discharge).
  const BuiltNetwork built = build_network(scenario);
  const sim::NetworkSpec& spec = built.spec;
  std::size_t first = 0;  // the builder lays each cohort's steps out together, in order
  for (std::size_t k = 0; k < scenario.cohorts.size(); ++k) {
    const Cohort& c = scenario.cohorts[k];
    const sim::ArrivalSpec& arrivals = spec.arrivals[k];
    const double rate =
        c.rate_per_day *
        sim::RateProfile(c.weekday_multipliers, c.month_multipliers, scenario.run.start_date)
            .mean();
    report.cohort_rates.emplace_back(c.name, rate);
    const std::size_t last = built.steps_end_of_cohort[k];  // its levers' steps included
    const auto n = static_cast<Eigen::Index>(last - first);
    const auto local = [first](std::int32_t step) {
      return static_cast<Eigen::Index>(static_cast<std::size_t>(step) - first);
    };
    // (I - P^T) v = arrivals, with P[i][j] the probability of going from step i to j.
    Eigen::MatrixXd a = Eigen::MatrixXd::Identity(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const sim::StepSpec& step = spec.steps[first + static_cast<std::size_t>(i)];
      const double early = step.early_exit ? step.early_exit->probability : 0.0;
      for (const sim::Route& r : step.routes) {
        if (r.to != sim::kExit) a(local(r.to), i) -= r.probability * (1.0 - early);
      }
      if (step.early_exit) a(local(step.early_exit->to), i) -= early;
    }
    Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
    if (arrivals.first_routes.empty()) {
      b(local(arrivals.first_step)) = rate;
    } else {
      for (const sim::Route& r : arrivals.first_routes)
        b(local(r.to)) += rate * r.probability;
    }
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
    if (!lu.isInvertible()) {
      throw ConfigError(ConfigLocation{scenario.file, 0, 0, "cohorts." + c.name + ".pathway"},
                        "this pathway can loop for ever with no way to 'exit': no patient "
                        "would ever leave");
    }
    const Eigen::VectorXd visits = lu.solve(b);
    for (Eigen::Index i = 0; i < n; ++i) {
      const sim::StepSpec& step = spec.steps[first + static_cast<std::size_t>(i)];
      SettingLoad& load = report.settings[step.station];
      load.offered_load += visits(i) * step.duration.mean();
      load.arrivals_per_day += visits(i);
    }
    first = last;
  }
  return report;
}

std::string format_stability(const StabilityReport& report) {
  std::string out = fmt::format("{:<28} {:>14} {:>12} {:>10}  {}\n", "setting", "offered load",
                                "capacity", "load/cap", "status");
  for (const SettingLoad& s : report.settings) {
    const bool unlimited = std::isinf(s.capacity);
    out += fmt::format(
        "{:<28} {:>14.4g} {:>12} {:>10}  {}\n", s.setting, s.offered_load,
        unlimited ? std::string("unlimited") : fmt::format("{:.4g}", s.capacity),
        unlimited ? std::string("-") : fmt::format("{:.3f}", s.offered_load / s.capacity),
        !s.stable() ? "UNSTABLE: load >= capacity"
        : s.queue_limited && s.offered_load >= s.capacity
            ? "ok: the queue limit turns the excess away"
            : "ok");
  }
  out += "offered load = admissions per day x mean stay (before any waiting or blocking)\n";
  return out;
}

void require_stable(const StabilityReport& report, const std::string& subject,
                    const std::string& advice) {
  if (report.stable()) return;
  throw UnstableScenario(fmt::format(
      "{}unstable: offered load reaches capacity at {}{}", subject.empty() ? "" : subject + ": ",
      report.unstable_settings(), advice.empty() ? "" : ". " + advice));
}

sim::SimulationStopped patient_limit_stop(const Scenario& scenario,
                                          const sim::SimulationStopped& stop) {
  if (stop.reason() != sim::SimulationStopped::Reason::EntityLimit) return stop;
  return sim::SimulationStopped(
      stop.reason(), stop.at(),
      fmt::format("more than {} patients in the system at once at day {:.2f} (the limit "
                  "run.max_patients): the scenario is probably overloaded - see `tcsim check` "
                  "for the load on each setting",
                  scenario.run.max_patients, stop.at()));
}

}  // namespace tcsim::models
