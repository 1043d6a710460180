#include "tcsim/models/config/economics_config.hpp"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "tcsim/models/scenario/organisation_vocabulary.hpp"

namespace tcsim::models {
namespace {

constexpr std::string_view kYearExpected = "a financial year such as 2009/10";

/// "2009/10" -> true: four digits, a slash, the next year's last two digits.
bool is_financial_year(const std::string& text) {
  int first = 0;
  int second = 0;
  char slash = 0;
  int consumed = 0;
  if (text.size() != 7 ||
      std::sscanf(text.c_str(), "%4d%c%2d%n", &first, &slash, &second, &consumed) != 3) {
    return false;
  }
  return consumed == 7 && slash == '/' && (first + 1) % 100 == second;
}

std::string financial_year(const ConfigNode& node) {
  std::string year = node.text(kYearExpected);
  if (!is_financial_year(year)) {
    node.fail(fmt::format("expected {}, found '{}'", kYearExpected, year));
  }
  return year;
}

std::string joined(const auto& names) {
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

}  // namespace

PriceIndex::PriceIndex(const std::optional<ConfigNode>& node) {
  index_[kPriceBaseYear] = 1.0;
  if (!node) return;
  node->expect_keys({"index"});
  const ConfigNode table = node->at("index", "a map of financial years to index values");
  table.expect_map("a map of financial years to index values, e.g. 2009/10: 268.6");
  index_.clear();
  for (const auto& [year, value] : table.entries()) {
    if (!is_financial_year(year)) {
      table.fail_at_key(year, fmt::format("expected {}, found '{}'", kYearExpected, year));
    }
    index_[year] = value.positive("an index value");
  }
  if (!index_.contains(kPriceBaseYear)) {
    table.fail(fmt::format("the index must give {} (tcsim's price base)", kPriceBaseYear));
  }
}

double PriceIndex::to_base(double value, const ConfigNode& year_node) const {
  const std::string year = financial_year(year_node);
  const auto it = index_.find(year);
  if (it == index_.end()) {
    std::vector<std::string> years;
    for (const auto& [y, v] : index_)
      years.push_back(y);
    year_node.fail(fmt::format(
        "no price index for {}: add it to price_index.index (years given: {}) or give the cost "
        "in {} prices",
        year, joined(years), kPriceBaseYear));
  }
  return value * index_.at(kPriceBaseYear) / it->second;
}

std::vector<StaffGroup> parse_staff_groups(const ConfigNode& node, const PriceIndex& prices) {
  node.expect_map("a map of staff-group names to {cost_per_wte_year: £}");
  std::vector<StaffGroup> groups;
  for (const auto& [name, group] : node.entries()) {
    group.expect_keys({"cost_per_wte_year", "price_year"});
    double cost = group.at("cost_per_wte_year", "£ per whole-time equivalent per year")
                      .positive("£ per WTE per year");
    if (auto year = group.find("price_year")) cost = prices.to_base(cost, *year);
    groups.push_back(StaffGroup{name, cost});
  }
  return groups;
}

Organisation parse_organisation(const std::string& name, const ConfigNode& node) {
  node.expect_keys({"kind", "legal_form", "overhead_share", "direct_care_share_change",
                    "annual_transaction_share"});
  Organisation org;
  org.name = name;
  const ConfigNode kind = node.at("kind", "an organisation kind");
  org.kind = kind.text("an organisation kind");
  if (std::find(kOrganisationKinds.begin(), kOrganisationKinds.end(), org.kind) ==
      kOrganisationKinds.end()) {
    const std::vector<std::string> kinds(kOrganisationKinds.begin(), kOrganisationKinds.end());
    kind.fail(fmt::format("unknown organisation kind '{}'{}; expected one of: {}", org.kind,
                          did_you_mean(org.kind, kinds), joined(kinds)));
  }
  if (auto form = node.find("legal_form")) {
    if (org.kind != "social_enterprise") {
      node.fail_at_key("legal_form", "only a social_enterprise has a legal_form");
    }
    org.legal_form = form->text("a legal form");
    if (std::find(kSocialEnterpriseForms.begin(), kSocialEnterpriseForms.end(), org.legal_form) ==
        kSocialEnterpriseForms.end()) {
      const std::vector<std::string> forms(kSocialEnterpriseForms.begin(),
                                           kSocialEnterpriseForms.end());
      form->fail(fmt::format("unknown legal form '{}'{}; expected one of: {}", org.legal_form,
                             did_you_mean(org.legal_form, forms), joined(forms)));
    }
  }
  if (auto x = node.find("overhead_share")) {
    org.overhead_share = x->non_negative("a share of direct cost (0.1 = 10%)");
  }
  if (auto x = node.find("direct_care_share_change")) {
    org.direct_care_share_change =
        x->number("a change in the direct-care share (0.05 = +5 points)");
    if (org.direct_care_share_change <= -1.0 || org.direct_care_share_change >= 1.0) {
      x->fail("expected a change in the direct-care share between -1 and 1 (0.05 = +5 points)");
    }
  }
  if (auto x = node.find("annual_transaction_share")) {
    org.annual_transaction_share = x->non_negative("a share of direct cost per year");
  }
  return org;
}

SettingCost parse_setting_cost(const ConfigNode& node, const PriceIndex& prices) {
  node.expect_keys({"per_occupied_day", "per_place_day", "price_year", "includes_overheads"});
  if (!node.has("per_occupied_day") && !node.has("per_place_day")) {
    node.fail("expected per_occupied_day and/or per_place_day (£)");
  }
  SettingCost cost;
  if (auto x = node.find("per_occupied_day")) {
    cost.per_occupied_day = x->non_negative("£ per occupied place-day");
  }
  if (auto x = node.find("per_place_day")) cost.per_place_day = x->non_negative("£ per place-day");
  if (auto full = node.find("includes_overheads")) {
    if (full->is_word("true")) {
      cost.includes_overheads = true;
    } else if (!full->is_word("false")) {
      full->fail(fmt::format("expected true or false, found '{}'", full->text("true or false")));
    }
  }
  if (auto year = node.find("price_year")) {
    cost.per_occupied_day = prices.to_base(cost.per_occupied_day, *year);
    cost.per_place_day = prices.to_base(cost.per_place_day, *year);
  }
  return cost;
}

void resolve_organisations(Scenario& scenario, const ConfigNode& root) {
  const bool declared = !scenario.organisations.empty();
  for (Setting& s : scenario.settings) {
    const auto known = [&scenario](const std::string& name) {
      return std::any_of(scenario.organisations.begin(), scenario.organisations.end(),
                         [&name](const Organisation& o) { return o.name == name; });
    };
    if (s.organisation.empty()) {
      s.organisation = std::string(default_organisation(s.service));
      if (!known(s.organisation)) {
        scenario.organisations.push_back(
            Organisation{s.organisation, s.organisation, "", 0.0, 0.0, 0.0});
      }
    } else if (!known(s.organisation)) {
      std::vector<std::string> names;
      for (const Organisation& o : scenario.organisations)
        names.push_back(o.name);
      const ConfigNode node = root.at("settings", "").at(s.name, "").at("organisation", "");
      node.fail(declared ? fmt::format("no organisation '{}'{}; organisations: {}", s.organisation,
                                       did_you_mean(s.organisation, names), joined(names))
                         : fmt::format("no organisation '{}': declare it under `organisations:`",
                                       s.organisation));
    }
  }
}

}  // namespace tcsim::models
