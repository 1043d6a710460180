#include "tcsim/sim/network_spec.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace tcsim::sim {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::invalid_argument(what);
}

void validate_station(const StationSpec& s) {
  if (s.capacity < 0) fail(fmt::format("station '{}': capacity must be >= 0", s.name));
  if (s.queue_limit < 0) fail(fmt::format("station '{}': queue limit must be >= 0", s.name));
  Time previous = 0.0;
  for (const CapacityChange& c : s.schedule) {
    if (!std::isfinite(c.at) || c.at < previous) {
      fail(fmt::format("station '{}': schedule times must be finite, >= 0 and in order", s.name));
    }
    if (c.capacity < 0) fail(fmt::format("station '{}': scheduled capacity must be >= 0", s.name));
    previous = c.at;
  }
  if (s.schedule_period < 0.0 || !std::isfinite(s.schedule_period)) {
    fail(fmt::format("station '{}': schedule period must be finite and >= 0", s.name));
  }
  if (s.schedule_period > 0.0 && !s.schedule.empty() && s.schedule.back().at >= s.schedule_period) {
    fail(fmt::format("station '{}': every schedule time must be inside the period ({} days)",
                     s.name, s.schedule_period));
  }
}

void validate_step(const NetworkSpec& spec, const StepSpec& s) {
  // Step names name random streams ("delay/<step>/<next step>", "delay/<step>/exit"), which
  // must not collide.
  if (s.name == "exit" || s.name.find_first_of("/#") != std::string::npos) {
    fail(fmt::format("step '{}': a step name may not be 'exit' or contain '/' or '#'", s.name));
  }
  if (s.station >= spec.stations.size()) {
    fail(fmt::format("step '{}': no station {}", s.name, s.station));
  }
  if (s.routes.empty()) fail(fmt::format("step '{}': needs at least one route", s.name));
  double sum = 0.0;
  for (const Route& r : s.routes) {
    if (r.to != kExit && (r.to < 0 || static_cast<std::size_t>(r.to) >= spec.steps.size())) {
      fail(fmt::format("step '{}': route to unknown step {}", s.name, r.to));
    }
    if (!(r.probability >= 0.0 && r.probability <= 1.0)) {
      fail(fmt::format("step '{}': route probability {} is not in [0, 1]", s.name, r.probability));
    }
    sum += r.probability;
  }
  if (std::abs(sum - 1.0) > 1e-9) {
    fail(fmt::format("step '{}': route probabilities sum to {}, not 1", s.name, sum));
  }
  const auto is_step = [&spec](std::int32_t i) {
    return i >= 0 && static_cast<std::size_t>(i) < spec.steps.size();
  };
  if (s.overflow && !is_step(*s.overflow)) {
    fail(fmt::format("step '{}': overflow to unknown step {}", s.name, *s.overflow));
  }
  if (s.early_exit) {
    const EarlyExit& e = *s.early_exit;
    if (!is_step(e.to)) fail(fmt::format("step '{}': early exit to unknown step {}", s.name, e.to));
    if (!(e.probability >= 0.0 && e.probability <= 1.0)) {
      fail(fmt::format("step '{}': early-exit probability {} is not in [0, 1]", s.name,
                       e.probability));
    }
    if (spec.steps[static_cast<std::size_t>(e.to)].station == s.station) {
      fail(fmt::format("step '{}': an early exit must lead to another station", s.name));
    }
  }
}

/// Overflow links must not loop, or an entity finding every station of the loop full would be
/// sent round it for ever.
void validate_overflow_chains(const NetworkSpec& spec) {
  for (const StepSpec& start : spec.steps) {
    std::size_t hops = 0;
    for (std::optional<std::int32_t> next = start.overflow; next;
         next = spec.steps[static_cast<std::size_t>(*next)].overflow) {
      if (++hops > spec.steps.size()) {
        fail(fmt::format("step '{}': following its overflow steps leads round a loop", start.name));
      }
    }
  }
}

void validate_routes_from_arrivals(const NetworkSpec& spec, const ArrivalSpec& a) {
  double sum = 0.0;
  for (const Route& r : a.first_routes) {
    if (r.to < 0 || static_cast<std::size_t>(r.to) >= spec.steps.size()) {
      fail(fmt::format("arrivals '{}': first route to unknown step {}", a.name, r.to));
    }
    if (!(r.probability >= 0.0 && r.probability <= 1.0)) {
      fail(fmt::format("arrivals '{}': first-route probability {} is not in [0, 1]", a.name,
                       r.probability));
    }
    if (r.delay) fail(fmt::format("arrivals '{}': first routes cannot have delays", a.name));
    sum += r.probability;
  }
  if (!a.first_routes.empty() && std::abs(sum - 1.0) > 1e-9) {
    fail(fmt::format("arrivals '{}': first-route probabilities sum to {}, not 1", a.name, sum));
  }
}

}  // namespace

void validate(const NetworkSpec& spec) {
  for (const StationSpec& s : spec.stations)
    validate_station(s);
  for (const StepSpec& s : spec.steps)
    validate_step(spec, s);
  validate_overflow_chains(spec);
  bool all_limited = true;
  for (const ArrivalSpec& a : spec.arrivals) {
    if (!(std::isfinite(a.rate_per_day) && a.rate_per_day > 0.0)) {
      fail(fmt::format("arrivals '{}': rate must be > 0 per day, got {}", a.name, a.rate_per_day));
    }
    if (a.max_arrivals < 0) fail(fmt::format("arrivals '{}': max_arrivals must be >= 0", a.name));
    if (a.first_step < 0 || static_cast<std::size_t>(a.first_step) >= spec.steps.size()) {
      fail(fmt::format("arrivals '{}': first step {} does not exist", a.name, a.first_step));
    }
    validate_routes_from_arrivals(spec, a);
    if (a.max_arrivals == kUnlimited) all_limited = false;
    if (!(a.profile.peak() > 0.0)) {
      fail(fmt::format("arrivals '{}': every rate multiplier is zero", a.name));
    }
    for (double m : a.profile.weekday()) {
      if (!(m >= 0.0 && std::isfinite(m)))
        fail(fmt::format("arrivals '{}': multipliers must be >= 0", a.name));
    }
    for (double m : a.profile.month()) {
      if (!(m >= 0.0 && std::isfinite(m)))
        fail(fmt::format("arrivals '{}': multipliers must be >= 0", a.name));
    }
  }
  for (const InitialEntities& i : spec.initial) {
    if (i.stream >= spec.arrivals.size()) fail("initial entities: unknown arrival stream");
    if (i.step < 0 || static_cast<std::size_t>(i.step) >= spec.steps.size()) {
      fail("initial entities: unknown step");
    }
    if (i.in_place < 0 || i.waiting < 0) fail("initial entities: counts must be >= 0");
  }
  if (spec.max_entities <= 0) fail("max_entities must be > 0");
  if (!(spec.warmup >= 0.0) || !std::isfinite(spec.warmup)) {
    fail("warm-up must be finite and >= 0 days");
  }
  if (!(spec.horizon > 0.0)) fail("horizon must be > 0 days");
  if (spec.warmup >= spec.horizon) fail("warm-up must end before the horizon");
  if (!std::isfinite(spec.horizon) && !all_limited) {
    fail("with no horizon every arrival stream needs max_arrivals, or the run never ends");
  }
}

}  // namespace tcsim::sim
