#include "tcsim/models/run/daily_series.hpp"

#include <algorithm>
#include <cmath>

namespace tcsim::models {

double& DailyAverage::area(std::size_t day, std::uint32_t setting) {
  const std::size_t cell = day * settings_.size() + setting;
  if (cell >= areas_.size()) areas_.resize((day + 1) * settings_.size() * 2, 0.0);
  return areas_[cell];
}

// Adds the setting's current level to each day between its last change and `now`.
void DailyAverage::advance(std::uint32_t setting, sim::Time now) {
  Level& l = settings_[setting];
  const auto level = static_cast<double>(l.level);
  while (now >= l.day_end) {  // close the days passed
    area(l.day, setting) += level * (l.day_end - l.since);
    l.since = l.day_end;
    ++l.day;
    l.day_end = static_cast<sim::Time>(l.day + 1);
  }
  area(l.day, setting) += level * (now - l.since);
  l.since = now;
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
  day_count_ = static_cast<std::size_t>(std::ceil(end));
  means_.assign(day_count_ * settings_.size(), 0.0);
  for (std::size_t d = 0; d < day_count_; ++d) {
    const double length = std::min(1.0, end - static_cast<double>(d));
    for (std::uint32_t s = 0; s < settings_.size(); ++s) {
      const std::size_t cell = d * settings_.size() + s;
      const double a = cell < areas_.size() ? areas_[cell] : 0.0;
      means_[cell] = length > 0.0 ? a / length : 0.0;
    }
  }
}

std::vector<std::vector<double>> DailyAverage::days() const {
  std::vector<std::vector<double>> out(day_count_);
  for (std::size_t d = 0; d < day_count_; ++d) {
    out[d].assign(means_.begin() + static_cast<std::ptrdiff_t>(d * settings_.size()),
                  means_.begin() + static_cast<std::ptrdiff_t>((d + 1) * settings_.size()));
  }
  return out;
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
