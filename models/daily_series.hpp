#pragma once
// Daily time-average occupancy of every setting in one replication, recorded through the
// engine's Observer: for the --out CSV series and plots.

#include <cstdint>
#include <vector>

#include "sim/observer.hpp"

namespace tcsim::models {

class DailyOccupancy : public sim::Observer {
 public:
  explicit DailyOccupancy(std::size_t settings) : settings_(settings) {}

  void on_occupancy(sim::Time now, std::uint32_t setting, std::int64_t occupancy) override;
  /// Closes the series at `end`; a last partial day is averaged over its length.
  void finish(sim::Time end);

  /// days()[d][s]: mean occupancy of setting s over day d ([d, d+1)).
  [[nodiscard]] const std::vector<std::vector<double>>& days() const noexcept { return days_; }

 private:
  struct Level {
    sim::Time since = 0.0;
    std::int64_t occupancy = 0;
  };
  void advance(std::uint32_t setting, sim::Time now);

  std::vector<Level> settings_;
  std::vector<std::vector<double>> days_;  // area per day, divided by the day's length at finish
  sim::Time end_ = 0.0;
};

}  // namespace tcsim::models
