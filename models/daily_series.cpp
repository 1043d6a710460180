#include "models/daily_series.hpp"

#include <algorithm>
#include <cmath>

namespace tcsim::models {

// Adds the setting's current level to each day between its last change and `now`.
void DailyOccupancy::advance(std::uint32_t setting, sim::Time now) {
  Level& level = settings_[setting];
  sim::Time t = level.since;
  while (t < now) {
    const auto day = static_cast<std::size_t>(std::floor(t));
    const sim::Time until = std::min(now, static_cast<sim::Time>(day + 1));
    if (day >= days_.size()) days_.resize(day + 1, std::vector<double>(settings_.size(), 0.0));
    days_[day][setting] += static_cast<double>(level.occupancy) * (until - t);
    t = until;
  }
  level.since = now;
}

void DailyOccupancy::on_occupancy(sim::Time now, std::uint32_t setting, std::int64_t occupancy) {
  advance(setting, now);
  settings_[setting].occupancy = occupancy;
}

void DailyOccupancy::finish(sim::Time end) {
  end_ = end;
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

}  // namespace tcsim::models
