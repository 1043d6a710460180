#include "tcsim/models/economics/savings.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include "tcsim/models/config/economics_config.hpp"
#include "tcsim/models/economics/per_replication.hpp"
#include "tcsim/models/network/stability.hpp"
#include "tcsim/models/policy/levers.hpp"
#include "tcsim/models/policy/productivity.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/models/scenario/organisation_vocabulary.hpp"

namespace tcsim::models {
namespace {

constexpr double kDaysPerYear = 365.0;

Setting& setting_named(Scenario& s, const std::string& name) {
  for (Setting& x : s.settings) {
    if (x.name == name) return x;
  }
  throw std::logic_error("savings: no setting " + name);
}

const Setting& setting_named(const Scenario& s, const std::string& name) {
  for (const Setting& x : s.settings) {
    if (x.name == name) return x;
  }
  throw std::logic_error("savings: no setting " + name);
}

double organisation_change(const Scenario& s, const std::string& org) {
  for (const Organisation& o : s.organisations) {
    if (o.name == org) return o.direct_care_share_change;
  }
  return 0.0;
}

/// The direct-care share a team works at in `s` (its organisation's change applied).
double direct_care_share(const Scenario& s, const Setting& setting) {
  const auto w =
      with_direct_care_change(*setting.workforce, organisation_change(s, setting.organisation));
  return w ? w->direct_care_share() : setting.workforce->direct_care_share();
}

/// WTE a team needs to carry `places` patients at its direct-care share in `s`.
double wte_for(const Scenario& s, const Setting& setting, double places) {
  const Workforce& w = *setting.workforce;
  return places * w.contact_hours_per_patient_per_week /
         (w.hours_per_week * direct_care_share(s, setting));
}

void set_wte(Scenario& s, const std::string& name, double wte) {
  Setting& setting = setting_named(s, name);
  setting.workforce->wte = std::max(0.0, wte);
  const auto w =
      with_direct_care_change(*setting.workforce, organisation_change(s, setting.organisation));
  setting.capacity = w ? w->capacity() : 0;
}

double acute_cost_per_bed_day(const Scenario& s) {
  for (const Setting& x : s.settings) {
    if (x.service != "acute_beds") continue;
    double overhead = 0.0;
    for (const Organisation& o : s.organisations) {
      if (o.name == x.organisation && !x.cost.includes_overheads) overhead = o.overhead_share;
    }
    return x.cost.per_occupied_day * (1.0 + overhead);
  }
  return 0.0;
}

class Runner {
 public:
  Runner(const SavingsRun& run, unsigned threads) : run_(run), threads_(threads) {}
  RunReport operator()(const Scenario& s) {
    RunOptions options;
    options.replications = run_.replications;
    options.threads = threads_;
    replications_ += static_cast<std::uint64_t>(run_.replications);
    return run_scenario(s, options);
  }
  [[nodiscard]] std::uint64_t replications() const { return replications_; }

 private:
  SavingsRun run_;
  unsigned threads_;
  std::uint64_t replications_ = 0;
};

/// Does `trial` keep `base`'s service level: the 95th-percentile wait for `setting` and the
/// acute delayed transfer days no worse, within the tolerances?
bool keeps_service_level(const RunReport& trial, const RunReport& base, const std::string& setting,
                         const SavingsSettings& cfg) {
  const auto defined_mean = [](const Values& v) {
    double sum = 0.0;
    std::size_t n = 0;
    for (double x : v) {
      if (std::isfinite(x)) {
        sum += x;
        ++n;
      }
    }
    return n == 0 ? 0.0 : sum / static_cast<double>(n);
  };
  const double wait = defined_mean(values(trial, setting, "p95_wait"));
  const double base_wait = defined_mean(values(base, setting, "p95_wait"));
  const double delayed = mean_of(values(trial, "area", "acute_delayed_days_per_year"));
  const double base_delayed = mean_of(values(base, "area", "acute_delayed_days_per_year"));
  // Waits and delays are recorded when a patient gets the place, so a patient still waiting at
  // the end counts in neither. The line's mean length does count them: by Little's law a rise
  // of `wait_tolerance_days` in the mean wait is a rise of (admissions a day) x that in it.
  const double queue = mean_of(values(trial, setting, "mean_queue"));
  const double base_queue = mean_of(values(base, setting, "mean_queue"));
  const double per_day = mean_of(values(base, setting, "admissions")) /
                         std::max(1.0, mean_of(values(base, "system", "measured_days")));
  return wait <= base_wait + cfg.wait_tolerance_days &&
         queue <= base_queue + per_day * cfg.wait_tolerance_days + 1e-9 &&
         delayed <= base_delayed * (1.0 + cfg.delayed_days_tolerance) + 1e-9;
}

/// minimal_capacity (savings.hpp), counting its replications in `run`.
std::int64_t search_capacity(const Scenario& x, const std::string& setting, const RunReport& base,
                             const SavingsSettings& cfg, Runner& run) {
  std::int64_t hi = setting_named(x, setting).capacity;
  std::int64_t lo = 0;
  for (const SettingLoad& load : analyse_stability(x).settings) {
    if (load.setting == setting) lo = static_cast<std::int64_t>(std::floor(load.offered_load));
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    Scenario trial = x;
    setting_named(trial, setting).capacity = mid;
    if (keeps_service_level(run(trial), base, setting, cfg)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return hi;
}

/// The community budget a year of `s`: what its community service lines cost to keep open -
/// staff (WTE x the staff group's cost) and beds (every place, at the occupancy the baseline
/// `base` had), with the running organisation's overhead and transaction shares. It changes
/// only when staff or places are cut or added: a bed-day avoided in a bed that stays open saves
/// nothing that can be banked. Lever teams count only if `include_levers` (they do not exist
/// unless the levers are used). Handover charges are left out (they are in `tcsim compare`).
double community_budget(const Scenario& s, const RunReport& base,
                        const std::set<std::string>& levers, bool include_levers) {
  double total = 0.0;
  for (const Setting& x : s.settings) {
    if (!is_community_service(x.service)) continue;
    if (levers.count(x.name) && !include_levers) continue;
    double direct = 0.0;
    if (x.workforce) {
      for (const StaffGroup& g : s.staff_groups) {
        if (g.name == x.workforce->staff_group) direct += x.workforce->wte * g.cost_per_wte_year;
      }
    }
    if (x.capacity != sim::kUnlimited && x.capacity > 0) {
      const double places = static_cast<double>(x.capacity);
      const double occupancy =
          base.find(x.name, "utilisation") ? mean_of(values(base, x.name, "utilisation")) : 0.0;
      direct += places * kDaysPerYear *
                (x.cost.per_place_day +
                 x.cost.per_occupied_day * (std::isfinite(occupancy) ? occupancy : 0.0));
    }
    double shares = 1.0;
    for (const Organisation& o : s.organisations) {
      if (o.name != x.organisation) continue;
      shares += (x.cost.includes_overheads ? 0.0 : o.overhead_share) + o.annual_transaction_share;
    }
    total += direct * shares;
  }
  return total;
}

/// Acute beds that could close with `bed_days` occupied a year, keeping occupancy at `target`:
/// today's beds less those needed (never below zero - an area already above the target
/// closes none until its occupancy falls to it).
double closable_beds(double beds, double bed_days, double target) {
  const double needed = std::ceil(bed_days / kDaysPerYear / target - 1e-9);
  return std::max(0.0, beds - needed);
}

struct Search {
  std::map<std::string, std::int64_t> places;  // minimal places per target setting
};

}  // namespace

std::int64_t minimal_capacity(const Scenario& scenario, const std::string& setting,
                              const RunReport& base, const SavingsSettings& cfg,
                              const SavingsRun& run, unsigned threads) {
  Runner runner(run, threads);
  return search_capacity(scenario, setting, base, cfg, runner);
}

const SavingsRow* SavingsReport::find(const std::string& model, const std::string& policy) const {
  for (const SavingsRow& r : rows) {
    if (r.model == model && r.policy == policy) return &r;
  }
  return nullptr;
}

SavingsReport run_savings(const NationalConfig& config, const IntegrationModels& models,
                          const SavingsOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const SavingsSettings& cfg = config.savings;
  const SavingsRun& run_length = options.quick ? cfg.quick : cfg.full;
  const double gain = options.productivity_gain.value_or(cfg.productivity_gain);
  Runner run(run_length, options.threads);

  std::vector<std::string> ids = options.models;
  if (ids.empty()) {
    for (const IntegrationModel& m : models.models)
      ids.push_back(m.id);
  }
  const IntegrationModel& baseline_model = models.find(kBaselineModel);

  SavingsReport report;
  report.config_name = config.name;
  report.config_file = config.file;
  report.productivity_gain = gain;
  report.replications = run_length.replications;
  report.target_acute_occupancy = cfg.target_acute_occupancy;
  std::map<std::pair<std::string, std::string>, SavingsRow> rows;
  std::map<std::string, Values> calibration;
  double people = 0.0;
  double acute_cost = 0.0;
  double freed_wte = 0.0;
  double freed_wte_cost = 0.0;
  double baseline_wte = 0.0;
  double baseline_direct_wte = 0.0;

  for (const Archetype& archetype : config.archetypes) {
    const auto count = static_cast<double>(archetype.count);
    const Scenario area = build_archetype(config, archetype, options.area_overrides, run_length);
    const std::set<std::string> levers = lever_settings(area);
    const std::set<std::string> absorb_teams = lever_settings(area, true);

    Scenario base = apply_model(area, models, baseline_model);
    switch_levers(base, Levers::Off);
    const RunReport base_report = run(base);

    // The community settings whose capacity the release policy may cut: in use at baseline,
    // with a finite capacity, and not a lever team.
    std::vector<std::string> targets;
    for (const Setting& s : base.settings) {
      if (!is_community_service(s.service) || levers.count(s.name)) continue;
      if (s.capacity == sim::kUnlimited || !s.schedule.empty()) continue;
      if (mean_of(values(base_report, s.name, "mean_occupancy")) <= 0.0) continue;
      targets.push_back(s.name);
    }

    // The minimal capacities depend on the flows only, so models whose handoffs are those of
    // the baseline share its search.
    std::map<std::string, Search> searches;
    const auto search_for = [&](const Scenario& flows, const std::string& key) -> const Search& {
      auto it = searches.find(key);
      if (it != searches.end()) return it->second;
      Search found;
      Scenario x = flows;
      for (const std::string& t : targets) {
        found.places[t] = search_capacity(x, t, base_report, cfg, run);
        setting_named(x, t).capacity = found.places[t];  // later searches keep this one's cut
      }
      return searches.emplace(key, std::move(found)).first->second;
    };
    const Search& base_search = search_for(base, kBaselineModel);

    const double area_acute_cost = acute_cost_per_bed_day(base);
    double acute_beds = 0.0;
    for (const Setting& s : base.settings) {
      if (s.service == "acute_beds" && s.capacity != sim::kUnlimited) {
        acute_beds += static_cast<double>(s.capacity);
      }
    }
    people += count * archetype.population;
    acute_cost += count * archetype.population * area_acute_cost;

    for (const std::string& id : ids) {
      const IntegrationModel& model = models.find(id);
      Scenario flows = apply_model(area, models, model);
      switch_levers(flows, Levers::Off);
      const Search& search =
          model.interfaces.processes_reformed ? search_for(flows, model.id) : base_search;

      // Release: cut the WTE (and beds) the raised productivity frees.
      Scenario release = flows;
      raise_productivity(release, gain);
      double spare_wte = 0.0;
      double spare_beds = 0.0;
      double spare_wte_cost = 0.0;
      for (const std::string& t : targets) {
        const Setting& before = setting_named(base, t);
        const Setting& after = setting_named(release, t);
        if (before.workforce) {
          const double freed =
              wte_for(base, before, static_cast<double>(base_search.places.at(t))) -
              wte_for(release, after, static_cast<double>(search.places.at(t)));
          spare_wte += freed;
          for (const StaffGroup& g : base.staff_groups) {
            if (g.name == before.workforce->staff_group)
              spare_wte_cost += freed * g.cost_per_wte_year;
          }
          set_wte(release, t, after.workforce->wte - freed);
        } else {
          const double freed = static_cast<double>(base_search.places.at(t) - search.places.at(t));
          spare_beds += freed;
          setting_named(release, t).capacity = before.capacity - static_cast<std::int64_t>(freed);
        }
      }
      if (id == std::string(kBaselineModel)) {
        freed_wte += count * spare_wte;
        freed_wte_cost += count * spare_wte_cost;
      }

      // Absorb: the same cut, with the freed WTE staffing the admission-avoidance and
      // early-discharge teams in proportion to their configured sizes; other lever teams stay
      // unstaffed.
      Scenario absorb = release;
      switch_levers(absorb, Levers::Absorb);
      double lever_wte = 0.0;
      for (const std::string& l : absorb_teams) {
        const Setting& s = setting_named(absorb, l);
        if (s.workforce) lever_wte += s.workforce->wte;
      }
      for (const std::string& l : levers) {
        const Setting& s = setting_named(absorb, l);
        if (!s.workforce) continue;
        const double share =
            absorb_teams.count(l) && lever_wte > 0.0 ? s.workforce->wte / lever_wte : 0.0;
        set_wte(absorb, l, std::max(0.0, spare_wte) * share);
      }

      const RunReport release_report = run(release);
      const RunReport absorb_report = run(absorb);
      const double base_budget = community_budget(base, base_report, levers, false);
      const Values& base_bed_days = values(base_report, "area", "acute_bed_days_per_year");
      const Values& base_delayed = values(base_report, "area", "acute_delayed_days_per_year");
      for (const auto& [policy, r, s] : {std::tuple<const char*, const RunReport&, const Scenario&>{
                                             "release", release_report, release},
                                         std::tuple<const char*, const RunReport&, const Scenario&>{
                                             "absorb", absorb_report, absorb}}) {
        const bool absorbing = std::string(policy) == "absorb";
        SavingsRow& row = rows[{id, policy}];
        row.model = id;
        row.policy = policy;
        row.spare_wte += count * spare_wte;
        row.spare_beds += count * spare_beds;
        const Values avoided =
            difference(base_bed_days, values(r, "area", "acute_bed_days_per_year"));
        const double budget_change =
            community_budget(s, base_report, levers, absorbing) - base_budget;
        const Values& bed_days = values(r, "area", "acute_bed_days_per_year");
        const Values& base_days = values(base_report, "area", "acute_bed_days_per_year");
        Values cost_change(avoided.size(), budget_change);
        Values closed(avoided.size(), 0.0);
        Values saving(avoided.size(), 0.0);
        for (std::size_t k = 0; k < avoided.size(); ++k) {
          // Only whole beds close, and only those beyond what the target occupancy needs -
          // counted against what the baseline could already close, so a policy is credited
          // with its own beds only. A closed bed saves a year at the target occupancy.
          closed[k] = closable_beds(acute_beds, bed_days[k], cfg.target_acute_occupancy) -
                      closable_beds(acute_beds, base_days[k], cfg.target_acute_occupancy);
          saving[k] = closed[k] * kDaysPerYear * cfg.target_acute_occupancy * area_acute_cost -
                      cost_change[k];
        }
        add_scaled(row.acute_bed_days_avoided, avoided, count);
        add_scaled(row.admissions_avoided, values(r, "area", "admissions_avoided_per_year"), count);
        add_scaled(row.acute_beds_closed, closed, count);
        add_scaled(row.delayed_days_change,
                   difference(values(r, "area", "acute_delayed_days_per_year"), base_delayed),
                   count);
        add_scaled(row.community_cost_change, cost_change, count);
        add_scaled(row.saving, saving, count);
      }
    }

    // Calibration: the national baseline beside the published figures.
    add_scaled(calibration["emergency_admissions_per_year"],
               values(base_report, "area", "acute_admissions_per_year"), count);
    add_scaled(calibration["delayed_days_per_year"],
               values(base_report, "area", "acute_delayed_days_per_year"), count);
    add_scaled(calibration["delayed_patients_snapshot"],
               values(base_report, "area", "acute_delayed_days_per_year"), count / kDaysPerYear);
    add_scaled(
        calibration["community_services_spend_per_year"],
        Values(base_report.replications ? static_cast<std::size_t>(base_report.replications) : 0,
               community_budget(base, base_report, levers, false)),
        count);
    for (const Setting& s : base.settings) {
      if (s.service != "acute_beds") continue;
      // Mean stay weighted by admissions: sum of stay x admissions, divided at the end.
      Values weighted = values(base_report, s.name, "mean_stay");
      const Values& admissions = values(base_report, s.name, "admissions");
      for (std::size_t k = 0; k < weighted.size(); ++k)
        weighted[k] *= admissions[k];
      add_scaled(calibration["acute_stay_weighted"], weighted, count);
      add_scaled(calibration["acute_admissions"], admissions, count);
    }
    for (const Setting& s : base.settings) {
      if (!s.workforce || !is_community_service(s.service) || levers.count(s.name)) continue;
      baseline_wte += count * s.workforce->wte;
      baseline_direct_wte += count * s.workforce->wte * direct_care_share(base, s);
    }
  }

  for (const std::string& id : ids) {
    for (const char* policy : {"release", "absorb"})
      report.rows.push_back(rows.at({id, policy}));
  }
  report.acute_cost_per_bed_day = people > 0.0 ? acute_cost / people : 0.0;
  report.community_cost_per_wte = freed_wte > 0.0 ? freed_wte_cost / freed_wte : 0.0;

  Values stay = calibration["acute_stay_weighted"];
  const Values& admissions = calibration["acute_admissions"];
  for (std::size_t k = 0; k < stay.size(); ++k)
    stay[k] = admissions[k] > 0.0 ? stay[k] / admissions[k] : 0.0;
  const std::map<std::string, std::pair<Values, std::string>> simulated{
      {"emergency_admissions_per_year", {calibration["emergency_admissions_per_year"], ""}},
      {"mean_acute_stay_days", {stay, "emergency stays, delays included"}},
      {"delayed_patients_snapshot",
       {calibration["delayed_patients_snapshot"], "mean patients delayed at any moment"}},
      {"delayed_days_per_year", {calibration["delayed_days_per_year"], "acute delayed days"}},
      {"community_services_spend_per_year",
       {calibration["community_services_spend_per_year"],
        "the modelled services' spend as a share of the whole sector's"}},
      {"modelled_community_spend_per_year",
       {calibration["community_services_spend_per_year"],
        "district nursing and intermediate-care beds, overheads included"}},
      {"direct_care_share",
       {Values(static_cast<std::size_t>(report.replications),
               baseline_wte > 0.0 ? baseline_direct_wte / baseline_wte : 0.0),
        "community teams' input"}},
  };
  for (const CalibrationTarget& t : config.calibration) {
    CalibrationRow row{t.name, {}, t.low, t.high, "not simulated", t.context};
    if (auto it = simulated.find(t.name); it != simulated.end()) {
      row.simulated = sim::estimate_mean(it->second.first);
      row.note = it->second.second;
    } else {
      row.simulated.mean = std::nan("");
    }
    report.calibration.push_back(row);
  }
  report.simulated_replications = run.replications();
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace tcsim::models
