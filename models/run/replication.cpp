#include "tcsim/models/run/replication.hpp"

#include <iterator>

#include "tcsim/models/run/costing.hpp"
#include "tcsim/models/run/daily_series.hpp"
#include "tcsim/sim/network_simulation.hpp"

namespace tcsim::models {
namespace {

ReplicationOutcome reduce(const sim::NetworkResult& result, const Scenario& scenario,
                          const BuiltNetwork& network) {
  ReplicationOutcome out;
  out.metrics = collect_metrics(result, network.spec);
  std::vector<MetricValue> money = collect_economics(result, network, scenario);
  out.metrics.insert(out.metrics.end(), std::make_move_iterator(money.begin()),
                     std::make_move_iterator(money.end()));
  out.events = result.events;
  return out;
}

}  // namespace

ReplicationOutcome run_replication(const Scenario& scenario, const BuiltNetwork& network,
                                   std::uint64_t seed, std::uint64_t replication,
                                   bool daily_series) {
  if (!daily_series) {
    return reduce(sim::simulate(network.spec, seed, replication), scenario, network);
  }
  DailySeries daily(network.spec);
  const sim::NetworkResult result = sim::simulate(network.spec, seed, replication, &daily);
  daily.finish(result.end);
  ReplicationOutcome out = reduce(result, scenario, network);
  out.days = daily.occupancy().day_count();
  out.occupancy = daily.occupancy().flat();
  out.delayed = daily.delayed().flat();
  return out;
}

std::vector<std::vector<double>> rows_per_day(const std::vector<double>& flat, std::size_t days,
                                              std::size_t settings) {
  std::vector<std::vector<double>> rows(days);
  for (std::size_t d = 0; d < days; ++d) {
    rows[d].assign(flat.begin() + static_cast<std::ptrdiff_t>(d * settings),
                   flat.begin() + static_cast<std::ptrdiff_t>((d + 1) * settings));
  }
  return rows;
}

}  // namespace tcsim::models
