// Costs (models/run/costing.hpp): service-line, organisation and area costs in £ a year at 2009/10
// prices.
//   - They add up: settings to their organisation, organisations to the area, per replication.
//   - Hand-computed: a ward whose occupancy is fixed, a team costed by its workforce, prices
//     deflated by the price index; and, for a stochastic toy under two models, every line's cost
//     from the engine's own occupancy, capacity and moves between organisations.
// Sums are compared to rounding (relative 1e-12), never with a tolerance for error.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/run/costing.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/sim/network_result.hpp"
#include "tcsim/sim/network_simulation.hpp"

using Catch::Matchers::Contains;
using namespace tcsim;
using models::Scenario;

namespace {

constexpr double kRounding = 1e-12;

models::RunReport run(const Scenario& s, std::int64_t replications) {
  models::RunOptions options;
  options.replications = replications;
  options.threads = 0;
  return models::run_scenario(s, options);
}

const std::vector<double>& values(const models::RunReport& report, const std::string& scope,
                                  const std::string& name) {
  const models::MetricSummary* m = report.find(scope, name);
  INFO("metric " << scope << "." << name);
  REQUIRE(m != nullptr);
  return m->values;
}

/// One replication's economics metrics by "scope.name".
std::map<std::string, double> economics(const sim::NetworkResult& r,
                                        const models::BuiltNetwork& network, const Scenario& s) {
  std::map<std::string, double> out;
  for (const models::MetricValue& m : models::collect_economics(r, network, s))
    out[m.scope + "." + m.name] = m.value;
  return out;
}

/// Per replication: each organisation's cost is the sum of its settings' costs and of its
/// direct, overhead and transaction costs; the area's is the sum of the organisations'.
void require_costs_add_up(const Scenario& s, const models::RunReport& report) {
  REQUIRE_FALSE(s.organisations.empty());
  const std::vector<double>& area = values(report, "area", "cost_per_year");
  for (std::size_t k = 0; k < area.size(); ++k) {
    INFO("model '" << s.model << "', replication " << k);
    double organisations = 0.0;
    for (const models::Organisation& o : s.organisations) {
      INFO("organisation " << o.name);
      const double cost = values(report, o.name, "cost_per_year")[k];
      double settings = 0.0;
      int count = 0;
      for (const models::Setting& setting : s.settings) {
        if (setting.organisation != o.name) continue;
        settings += values(report, setting.name, "cost_per_year")[k];
        ++count;
      }
      CHECK(count > 0);
      CHECK(cost > 0.0);
      CHECK(settings == Approx(cost).epsilon(kRounding));
      const double parts = values(report, o.name, "direct_cost_per_year")[k] +
                           values(report, o.name, "overhead_per_year")[k] +
                           values(report, o.name, "transaction_cost_per_year")[k];
      CHECK(parts == Approx(cost).epsilon(kRounding));
      organisations += cost;
    }
    CHECK(organisations == Approx(area[k]).epsilon(kRounding));
  }
}

}  // namespace

// --- Costs add up -------------------------------------------------------------------------------

TEST_CASE("costs add up: settings to organisations to the area in the shipped area",
          "[costing][shipped]") {
  Scenario area = models::load_scenario(TCSIM_SOURCE_DIR "/configs/examples/area.yaml");
  area.run.warmup = 50;
  area.run.horizon = 200;
  const models::IntegrationModels set =
      models::load_integration_models(TCSIM_SOURCE_DIR "/configs/integration_models.yaml");
  // The area as written, the baseline, a reformed merger (transaction shares, internal moves,
  // levers) and a social enterprise (an organisation the area does not have).
  require_costs_add_up(area, run(area, 3));
  for (const char* id : {"direct_provision", "vertical_acute", "se_community_interest_company"}) {
    const Scenario s = models::apply_model(area, set, set.find(id));
    require_costs_add_up(s, run(s, 3));
  }
}

TEST_CASE("the shipped acute cost is 255 GBP a bed-day at 2010/11 prices as a full cost",
          "[costing][shipped]") {
  Scenario area = models::load_scenario(TCSIM_SOURCE_DIR "/configs/examples/area.yaml");
  area.run.warmup = 50;
  area.run.horizon = 200;
  const models::IntegrationModels set =
      models::load_integration_models(TCSIM_SOURCE_DIR "/configs/integration_models.yaml");
  // 2010/11 -> 2009/10 by the area's HCHS index, 281.8 -> 275.6. The figure already includes
  // overheads, so the acute trust's overhead share is not added; nobody moves into acute from
  // another setting, so it bears no handover cost; and a transaction share (0.007 under
  // vertical_acute) falls on the community lines the trust took on, not on its beds.
  const double per_bed_day = 255.0 * 275.6 / 281.8;
  REQUIRE(area.settings[0].name == "acute");
  CHECK(area.settings[0].cost.per_occupied_day == Approx(per_bed_day).epsilon(kRounding));
  CHECK(area.settings[0].cost.includes_overheads);
  for (const char* id : {"direct_provision", "vertical_acute"}) {
    const Scenario s = models::apply_model(area, set, set.find(id));
    const models::RunReport report = run(s, 2);
    const std::vector<double>& occupancy = values(report, "acute", "mean_occupancy");
    const std::vector<double>& cost = values(report, "acute", "cost_per_year");
    for (std::size_t k = 0; k < cost.size(); ++k) {
      INFO(id << ", replication " << k);
      CHECK(cost[k] == Approx(per_bed_day * occupancy[k] * 365.0).epsilon(kRounding));
    }
  }
  // Under direct provision the acute trust runs acute beds alone: no overhead on top at all.
  const Scenario direct = models::apply_model(area, set, set.find("direct_provision"));
  const models::RunReport direct_report = run(direct, 2);
  for (const double x : values(direct_report, "acute_trust", "overhead_per_year"))
    CHECK(x == 0.0);
}

// --- Hand-computed costs ------------------------------------------------------------------------

namespace {

// Ten patients in a 12-bed ward at day 0 who stay far beyond the horizon, arrivals so rare that
// none comes: occupancy is 10 throughout. A district-nursing team of 12 WTE with nobody on its
// caseload costs its workforce alone. Prices: 2010/11 = 1.1 x 2009/10.
const std::string kFixedCosts = R"(name: toy fixed costs
run: {horizon: 200, seed: 5}
price_index:
  index: {2009/10: 100, 2010/11: 110}
staff_groups:
  nurse: {cost_per_wte_year: 44000, price_year: 2010/11}
organisations:
  hospital: {kind: acute_trust, overhead_share: 0.08}
  provider: {kind: pct_provider_arm, overhead_share: 0.1, annual_transaction_share: 0.02}
settings:
  ward:
    kind: beds
    service: acute_beds
    organisation: hospital
    capacity: 12
    cost: {per_occupied_day: 220, per_place_day: 55, price_year: 2010/11}
  team:
    kind: caseload
    service: district_nursing
    organisation: provider
    workforce: {wte: 12, hours_per_week: 37.5, admin_share: 0.7,
                contact_hours_per_patient_per_week: 1, staff_group: nurse}
cohorts:
  long_stay:
    arrivals: {rate_per_day: 0.000001}
    pathway:
      steps:
        bed:
          setting: ward
          duration: {distribution: deterministic, value: 100000}
          next: exit
          initial: {in_place: 10}
)";

}  // namespace

TEST_CASE("hand-computed costs: occupied and available bed-days and a workforce with overheads",
          "[costing]") {
  const Scenario s = models::parse_scenario(kFixedCosts, "costs.yaml");
  // 2010/11 prices / 1.1.
  CHECK(s.settings[0].cost.per_occupied_day == Approx(200.0).epsilon(kRounding));
  CHECK(s.settings[0].cost.per_place_day == Approx(50.0).epsilon(kRounding));
  REQUIRE(s.staff_groups.size() == 1u);
  CHECK(s.staff_groups[0].cost_per_wte_year == Approx(40000.0).epsilon(kRounding));

  const models::RunReport report = run(s, 2);
  for (std::size_t k = 0; k < 2; ++k) {
    INFO("replication " << k);
    REQUIRE(values(report, "system", "arrivals")[k] == 0.0);
    REQUIRE(values(report, "ward", "mean_occupancy")[k] == 10.0);
    // Ward: 200 x 10 occupied + 50 x 12 available bed-days a day, x 365, + 8% overhead.
    const double ward = (200.0 * 10.0 + 50.0 * 12.0) * 365.0 * 1.08;
    CHECK(ward == Approx(1'024'920.0));
    CHECK(values(report, "ward", "cost_per_year")[k] == Approx(ward).epsilon(kRounding));
    CHECK(values(report, "hospital", "cost_per_year")[k] == Approx(ward).epsilon(kRounding));
    CHECK(values(report, "hospital", "overhead_per_year")[k] ==
          Approx(0.08 * (200.0 * 10.0 + 50.0 * 12.0) * 365.0).epsilon(kRounding));
    // Team: 12 WTE x £40,000 a year, + 10% overhead + 2% transaction.
    CHECK(values(report, "provider", "direct_cost_per_year")[k] ==
          Approx(12.0 * 40000.0).epsilon(kRounding));
    CHECK(values(report, "provider", "overhead_per_year")[k] == Approx(48000.0).epsilon(kRounding));
    CHECK(values(report, "provider", "transaction_cost_per_year")[k] ==
          Approx(9600.0).epsilon(kRounding));
    CHECK(values(report, "team", "cost_per_year")[k] == Approx(537'600.0).epsilon(kRounding));
    CHECK(values(report, "provider", "wte")[k] == 12.0);
    CHECK(values(report, "hospital", "wte")[k] == 0.0);
    // Its capacity, 12 x 37.5 x 0.3 = 135 places, all spare.
    CHECK(values(report, "team", "spare_slot_days_per_year")[k] ==
          Approx(135.0 * 365.0).epsilon(kRounding));
    CHECK(values(report, "area", "cost_per_year")[k] ==
          Approx(ward + 537'600.0).epsilon(kRounding));
  }
}

TEST_CASE("price_year: a cost in another year's prices is deflated by the price index",
          "[costing][prices]") {
  // Not given: taken as 2009/10 prices. 2009/10 given: unchanged. The index may have any base.
  std::string text = kFixedCosts;
  const auto swap = [&text](const std::string& from, const std::string& to) {
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), to);
  };
  swap("cost: {per_occupied_day: 220, per_place_day: 55, price_year: 2010/11}",
       "cost: {per_occupied_day: 220, per_place_day: 55}");
  swap("nurse: {cost_per_wte_year: 44000, price_year: 2010/11}",
       "nurse: {cost_per_wte_year: 44000, price_year: 2009/10}");
  swap("{2009/10: 100, 2010/11: 110}", "{2008/09: 2.5, 2009/10: 2.6, 2010/11: 2.86}");
  const Scenario plain = models::parse_scenario(text, "costs.yaml");
  CHECK(plain.settings[0].cost.per_occupied_day == 220.0);
  CHECK(plain.settings[0].cost.per_place_day == 55.0);
  CHECK(plain.staff_groups[0].cost_per_wte_year == 44000.0);
  // 2008/09 prices are 2.6 / 2.5 = 1.04 times lower.
  swap("cost: {per_occupied_day: 220, per_place_day: 55}",
       "cost: {per_occupied_day: 250, price_year: 2008/09}");
  const Scenario older = models::parse_scenario(text, "costs.yaml");
  CHECK(older.settings[0].cost.per_occupied_day == Approx(260.0).epsilon(kRounding));
  // A year the index lacks is an error naming it and the years given.
  swap("price_year: 2008/09", "price_year: 2011/12");
  REQUIRE_THROWS_WITH(models::parse_scenario(text, "costs.yaml"),
                      Contains("costs.yaml:16") && Contains("settings.ward.cost.price_year") &&
                          Contains("no price index for 2011/12") &&
                          Contains("2008/09, 2009/10, 2010/11"));
}

namespace {

// Acute -> district nursing (a workforce), intermediate care (beds with a fixed cost) or home
// care, and intermediate care -> district nursing: moves inside the provider arm and across
// organisations, all costed.
const std::string kFlowCosts = R"(name: toy cost flows
run: {horizon: 300, warmup: 50, seed: 9}
staff_groups:
  nurse: {cost_per_wte_year: 38000}
organisations:
  hospital: {kind: acute_trust, overhead_share: 0.08}
  provider: {kind: pct_provider_arm, overhead_share: 0.11}
  council: {kind: local_authority, overhead_share: 0.1}
settings:
  acute:
    kind: beds
    service: acute_beds
    organisation: hospital
    capacity: 60
    cost: {per_occupied_day: 250, includes_overheads: true}
  nursing:
    kind: caseload
    service: district_nursing
    organisation: provider
    workforce: {wte: 10, admin_share: 0.7, contact_hours_per_patient_per_week: 1,
                staff_group: nurse, contacts_per_patient_per_week: 2}
  rehab:
    kind: beds
    service: intermediate_care_beds
    organisation: provider
    capacity: 15
    cost: {per_occupied_day: 180, per_place_day: 20}
  care:
    kind: caseload
    service: social_care_packages
    organisation: council
    capacity: 80
    cost: {per_occupied_day: 26}
cohorts:
  patients:
    arrivals: {rate_per_day: 8}
    pathway:
      steps:
        stay:
          setting: acute
          duration: {distribution: lognormal, mean: 5, sd: 4}
          next:
            - {to: visits, probability: 0.3, transfer_delay: {distribution: lognormal, mean: 0.5, sd: 0.5}}
            - {to: recover, probability: 0.1, transfer_delay: {distribution: lognormal, mean: 2, sd: 1.5}}
            - {to: package, probability: 0.15, transfer_delay: {distribution: lognormal, mean: 3, sd: 3}}
            - {to: exit, probability: 0.45}
        visits: {setting: nursing, duration: {distribution: exponential, mean: 20}, next: exit}
        recover:
          setting: rehab
          duration: {distribution: exponential, mean: 14}
          next:
            - {to: visits, probability: 0.5, transfer_delay: {distribution: lognormal, mean: 0.5, sd: 0.5}}
            - {to: exit, probability: 0.5}
        package: {setting: care, duration: {distribution: exponential, mean: 30}, next: exit}
)";

const std::string kFlowModels = R"(contract: {overhead_allowance: 0.12}
models:
  direct_provision:
    organisations:
      hospital: {kind: acute_trust, overhead_share: 0.08}
      provider: {kind: pct_provider_arm, overhead_share: 0.11}
      council: {kind: local_authority, overhead_share: 0.1}
    services: {acute_beds: hospital, district_nursing: provider, intermediate_care_beds: provider,
               social_care_packages: council}
    interfaces: {processes_reformed: false, cost_per_cross_organisation_transfer: 35}
  vertical:
    organisations:
      hospital: {kind: acute_trust, overhead_share: 0.08, annual_transaction_share: 0.007}
      council: {kind: local_authority, overhead_share: 0.1}
    services: {acute_beds: hospital, district_nursing: hospital, intermediate_care_beds: hospital,
               social_care_packages: council}
    interfaces:
      processes_reformed: true
      internal_delay: {distribution: lognormal, mean: 0.5, sd: 0.5}
      cost_per_cross_organisation_transfer: 35
)";

}  // namespace

TEST_CASE("every line's cost from the engine's occupancy and capacity and handovers", "[costing]") {
  const Scenario area = models::parse_scenario(kFlowCosts, "flows.yaml");
  const models::IntegrationModels set =
      models::parse_integration_models(kFlowModels, "flow_models.yaml");
  for (const char* id : {"direct_provision", "vertical"}) {
    const Scenario s = models::apply_model(area, set, set.find(id));
    const models::BuiltNetwork network = models::build_network(s);
    const sim::NetworkSpec& spec = network.spec;
    const std::size_t n = s.settings.size();
    REQUIRE(spec.stations.size() == n);
    for (std::uint64_t k = 0; k < 3; ++k) {
      INFO("model " << id << ", replication " << k);
      const sim::NetworkResult r = sim::simulate(spec, s.run.seed, k);
      const std::map<std::string, double> m = economics(r, network, s);
      const double period = r.end - r.start;
      REQUIRE(period == 250.0);
      const double per_year = 365.0 / period;
      double cross_moves = 0.0;
      std::map<std::string, double> org_cost;
      for (std::size_t i = 0; i < n; ++i) {
        const models::Setting& setting = s.settings[i];
        INFO("setting " << setting.name);
        const sim::StationResult& st = r.stations[i];
        double staff = 0.0;
        if (setting.workforce) staff = setting.workforce->wte * 38000.0;
        const double direct = setting.cost.per_occupied_day * st.occupancy.mean() * period +
                              setting.cost.per_place_day * st.capacity_area +
                              staff * period / 365.0;
        double moves_in = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
          if (s.settings[j].organisation != setting.organisation) {
            moves_in += static_cast<double>(r.stations[j].moves_to[i]);
          }
        }
        cross_moves += moves_in;
        const bool community = setting.name == "nursing" || setting.name == "rehab";
        double overhead = 0.0;
        double transaction = 0.0;
        for (const models::Organisation& o : s.organisations) {
          if (o.name == setting.organisation) {
            // A full cost (acute here) carries no overhead on top; the transaction share falls
            // on community lines only.
            overhead = setting.name == "acute" ? 0.0 : o.overhead_share;
            transaction = community ? o.annual_transaction_share : 0.0;
          }
        }
        const double total = direct * (1.0 + overhead + transaction) + 35.0 * moves_in;
        CHECK(m.at(setting.name + ".cost_per_year") == Approx(total * per_year).epsilon(kRounding));
        CHECK(m.at(setting.name + ".cost_per_episode") ==
              Approx(total / static_cast<double>(st.stay.count())).epsilon(kRounding));
        org_cost[setting.organisation] += total * per_year;
        // Community lines earn their direct cost x 1.12 under the block contract.
        CHECK(m.count(setting.name + ".income_per_year") == (community ? 1u : 0u));
        if (community) {
          CHECK(m.at(setting.name + ".income_per_year") ==
                Approx(direct * 1.12 * per_year).epsilon(kRounding));
          CHECK(m.at(setting.name + ".surplus_per_year") ==
                Approx((direct * 1.12 - total) * per_year).epsilon(kRounding));
        }
      }
      // District nursing's cost per contact: 2 contacts a patient a week.
      const double contacts = r.stations[1].occupancy.mean() * period / 7.0 * 2.0;
      CHECK(m.at("nursing.cost_per_contact") * contacts ==
            Approx(m.at("nursing.cost_per_year") / per_year).epsilon(kRounding));
      for (const auto& [org, cost] : org_cost)
        CHECK(m.at(org + ".cost_per_year") == Approx(cost).epsilon(kRounding));
      CHECK(m.at("area.cross_organisation_transfers_per_year") ==
            Approx(cross_moves * per_year).epsilon(kRounding));
      CHECK(cross_moves > 0.0);
    }
    require_costs_add_up(s, run(s, 3));
  }
}

TEST_CASE("cost metrics only for scenarios with costs or models or levers", "[costing]") {
  // A queueing benchmark says nothing about money: no cost, organisation or area metrics.
  const std::string plain = R"(name: plain
run: {horizon: 50}
settings:
  ward: {kind: beds, capacity: 5}
cohorts:
  patients:
    arrivals: {rate_per_day: 1}
    pathway:
      steps:
        stay: {setting: ward, duration: {distribution: exponential, mean: 2}, next: exit}
)";
  const Scenario s = models::parse_scenario(plain, "plain.yaml");
  CHECK_FALSE(models::has_economics(s));
  const models::RunReport report = run(s, 1);
  CHECK(report.find("area", "cost_per_year") == nullptr);
  CHECK(report.find("ward", "cost_per_year") == nullptr);
  std::string costed = plain;
  costed.replace(costed.find("capacity: 5}"), 12, "capacity: 5, cost: {per_place_day: 10}}");
  const Scenario c = models::parse_scenario(costed, "costed.yaml");
  CHECK(models::has_economics(c));
  // 5 places x £10 a day, every day of the year, whatever the occupancy.
  const models::RunReport priced = run(c, 1);
  REQUIRE(priced.find("area", "cost_per_year") != nullptr);
  CHECK(priced.find("area", "cost_per_year")->values[0] == Approx(5 * 10 * 365.0));
}
