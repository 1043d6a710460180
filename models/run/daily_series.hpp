#pragma once
// Daily series of one replication, recorded through the engine's Observer: per setting, the
// time-average number of places held (occupancy) and of patients fit to move but still holding
// their place (delayed transfers: handoff delays and waits for a full next setting). For the
// --out CSV series, the results file's time series and the report's plots.

#include <cstdint>
#include <vector>

#include "tcsim/sim/network_spec.hpp"
#include "tcsim/sim/observer.hpp"

namespace tcsim::models {

/// Time-average of a piecewise-constant level per setting, day by day.
class DailyAverage {
 public:
  explicit DailyAverage(std::size_t settings) : settings_(settings) {}
  void set(sim::Time now, std::uint32_t setting, std::int64_t level);
  void add(sim::Time now, std::uint32_t setting, std::int64_t change);
  /// Closes the series at `end`; a last partial day is averaged over its length.
  void finish(sim::Time end);
  /// days()[d][s]: mean level of setting s over day d ([d, d+1)); after finish().
  [[nodiscard]] std::vector<std::vector<double>> days() const;
  /// The same, day-major in one vector: day d, setting s at [d * settings + s].
  [[nodiscard]] const std::vector<double>& flat() const noexcept { return means_; }
  [[nodiscard]] std::size_t day_count() const noexcept { return day_count_; }

 private:
  struct Level {
    sim::Time since = 0.0;
    std::int64_t level = 0;
    std::size_t day = 0;      // the day `since` falls in
    sim::Time day_end = 1.0;  // its end
  };
  void advance(std::uint32_t setting, sim::Time now);
  double& area(std::size_t day, std::uint32_t setting);

  std::vector<Level> settings_;
  // Level x time per (day, setting), flat and day-major: an event adds to one cell, so the
  // observer costs little per event; days_ is laid out at finish().
  std::vector<double> areas_;
  std::vector<double> means_;  // areas_ over each day's length, at finish()
  std::size_t day_count_ = 0;
};

class DailySeries : public sim::Observer {
 public:
  explicit DailySeries(const sim::NetworkSpec& spec);

  void on_occupancy(sim::Time now, std::uint32_t setting, std::int64_t occupancy) override;
  void on_fit(sim::Time now, sim::EntityId entity, std::uint32_t step) override;
  void on_start(sim::Time now, sim::EntityId entity, std::uint32_t step,
                std::uint32_t station) override;
  void on_leave(sim::Time now, sim::EntityId entity, std::uint32_t station) override;
  void on_exit(sim::Time now, sim::EntityId entity) override;
  void finish(sim::Time end);

  [[nodiscard]] const DailyAverage& occupancy() const noexcept { return occupancy_; }
  [[nodiscard]] const DailyAverage& delayed() const noexcept { return delayed_; }

 private:
  /// The entity, fit to move, no longer waits at the setting it was counted at.
  void end_delay(sim::Time now, sim::EntityId entity);

  std::vector<std::uint32_t> step_station_;
  // delayed_at_[entity]: 1 + the setting where the fit entity holds a place, 0 if none. Sized
  // by entity id, which the pool reuses, so it grows with patients in the system only.
  std::vector<std::uint32_t> delayed_at_;
  DailyAverage occupancy_;
  DailyAverage delayed_;
};

}  // namespace tcsim::models
