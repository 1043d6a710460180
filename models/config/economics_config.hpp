#pragma once
// Reading the money and organisation parts of a scenario or integration-model file: the price
// index, staff groups, organisations and setting costs. All money comes out in 2009/10 prices.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tcsim/models/config/config_node.hpp"
#include "tcsim/models/scenario/scenario.hpp"

namespace tcsim::models {

/// The financial year all tcsim money is expressed in.
inline constexpr const char* kPriceBaseYear = "2009/10";

/// An index of prices by financial year ("2010/11" -> value, any base), for converting a cost
/// quoted in one year's prices to 2009/10 prices.
class PriceIndex {
 public:
  PriceIndex() = default;
  /// `node` is the scenario's `price_index:` map, or nothing (then only 2009/10 is known).
  explicit PriceIndex(const std::optional<ConfigNode>& node);
  /// `value` in 2009/10 prices; fails at `year_node` if the index lacks that year.
  [[nodiscard]] double to_base(double value, const ConfigNode& year_node) const;

 private:
  std::map<std::string, double> index_;
};

[[nodiscard]] std::vector<StaffGroup> parse_staff_groups(const ConfigNode& node,
                                                         const PriceIndex& prices);
[[nodiscard]] Organisation parse_organisation(const std::string& name, const ConfigNode& node);
[[nodiscard]] SettingCost parse_setting_cost(const ConfigNode& node, const PriceIndex& prices);

/// Fails at the scenario's `organisations` (or the setting's `organisation`) if a setting
/// names an organisation that is not declared; adds the default organisations (named after
/// their kind) that settings use without declaring them.
void resolve_organisations(Scenario& scenario, const ConfigNode& root);

}  // namespace tcsim::models
