#include "models/daily_series.hpp"

#include <algorithm>
#include <cmath>

namespace tcsim::models {

// Adds the setting's current level to each day between its last change and `now`.
void DailyAverage::advance(std::uint32_t setting, sim::Time now) {
  Level& level = settings_[setting];
  sim::Time t = level.since;
  while (t < now) {
    const auto day = static_cast<std::size_t>(std::floor(t));
    const sim::Time until = std::min(now, static_cast<sim::Time>(day + 1));
    if (day >= days_.size()) days_.resize(day + 1, std::vector<double>(settings_.size(), 0.0));
    days_[day][setting] += static_cast<double>(level.level) * (until - t);
    t = until;
  }
  level.since = now;
}

void DailyAverage::set(sim::Time now, std::uint32_t setting, std::int64_t level) {
  advance(setting, now);
  settings_[setting].level = level;
}

void DailyAverage::add(sim::Time now, std::uint32_t setting, std::int64_t change) {
  advance(setting, now);
  settings_[setting].level += change;
}

void DailyAverage::finish(sim::Time end) {
  for (std::uint32_t s = 0; s < settings_.size(); ++s)
    advance(s, end);
  const auto whole_days = static_cast<std::size_t>(std::ceil(end));
  if (days_.size() < whole_days)
    days_.resize(whole_days, std::vector<double>(settings_.size(), 0.0));
  for (std::size_t d = 0; d < days_.size(); ++d) {
    const double length = std::min(1.0, end - static_cast<double>(d));
    for (double& area : days_[d])
      area = length > 0.0 ? area / length : 0.0;
  }
}

DailySeries::DailySeries(const sim::NetworkSpec& spec)
    : occupancy_(spec.stations.size()), delayed_(spec.stations.size()) {
  for (const sim::StepSpec& step : spec.steps)
    step_station_.push_back(step.station);
}

void DailySeries::on_occupancy(sim::Time now, std::uint32_t setting, std::int64_t occupancy) {
  occupancy_.set(now, setting, occupancy);
}

void DailySeries::on_fit(sim::Time now, sim::EntityId entity, std::uint32_t step) {
  if (entity >= delayed_at_.size()) delayed_at_.resize(entity + 1, 0);
  end_delay(now, entity);
  const std::uint32_t setting = step_station_[step];
  delayed_at_[entity] = setting + 1;
  delayed_.add(now, setting, +1);
}

void DailySeries::end_delay(sim::Time now, sim::EntityId entity) {
  if (entity >= delayed_at_.size() || delayed_at_[entity] == 0) return;
  delayed_.add(now, delayed_at_[entity] - 1, -1);
  delayed_at_[entity] = 0;
}

// A stay that goes on at the same setting (a next step there) ends the wait to move.
void DailySeries::on_start(sim::Time now, sim::EntityId entity, std::uint32_t, std::uint32_t) {
  end_delay(now, entity);
}

void DailySeries::on_leave(sim::Time now, sim::EntityId entity, std::uint32_t) {
  end_delay(now, entity);
}

void DailySeries::on_exit(sim::Time now, sim::EntityId entity) {
  end_delay(now, entity);
}

void DailySeries::finish(sim::Time end) {
  occupancy_.finish(end);
  delayed_.finish(end);
}

}  // namespace tcsim::models
