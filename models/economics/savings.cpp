#include "tcsim/models/economics/savings.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tcsim/models/economics/capacity_search.hpp"
#include "tcsim/models/economics/per_replication.hpp"
#include "tcsim/models/policy/levers.hpp"
#include "tcsim/models/policy/productivity.hpp"
#include "tcsim/models/run/line_cost.hpp"
#include "tcsim/models/run/scenario_run.hpp"
#include "tcsim/models/scenario/organisation_vocabulary.hpp"
#include "tcsim/models/scenario/queries.hpp"

// run_savings is a pipeline: for each archetype, the baseline area (baseline_area), then for
// each model the release and absorb scenarios (release_scenario, absorb_scenario), run and
// priced (price_policy), added to the national sums (add_model); at the end the rows and the
// calibration (calibrate). Every national figure is a count-weighted sum per replication.

namespace tcsim::models {
namespace {

constexpr double kDaysPerYear = 365.0;

enum class Policy { Release, Absorb };
constexpr std::array<Policy, 2> kPolicies{Policy::Release, Policy::Absorb};

/// The policy as SavingsRow::policy names it.
const char* policy_name(Policy p) {
  return p == Policy::Release ? "release" : "absorb";
}

/// What every step of one run_savings shares.
struct Analysis {
  const NationalConfig& config;
  const IntegrationModels& models;
  const IntegrationModel& baseline_model;
  const SavingsSettings& cfg;
  const SavingsRun& run_length;
  const SavingsOptions& options;
  double gain = 0.0;  // the productivity gain: the options' or the config's
  Runner run;
};

/// One archetype area under direct provision with the levers off: what every model and policy
/// of the area is set against.
struct AreaBaseline {
  Scenario area;                       // the archetype as built, before any model
  std::set<std::string> levers;        // teams that exist only for a lever
  std::set<std::string> absorb_teams;  // those of them the absorb policy staffs
  Scenario base;
  RunReport report;
  std::vector<std::string> targets;  // community settings the release policy may cut
  double acute_cost_per_bed_day = 0.0;
  double acute_beds = 0.0;
  double budget = 0.0;  // community_budget of the baseline
};

/// The release policy's scenario in one area under one model, and what it freed.
struct Release {
  Scenario scenario;
  double spare_wte = 0.0;
  double spare_beds = 0.0;
  double spare_wte_cost = 0.0;  // GBP a year, at the staff groups' costs
};

/// One policy in one area, per replication.
struct PolicyOutcome {
  Values acute_bed_days_avoided;
  Values admissions_avoided;
  Values acute_beds_closed;
  Values delayed_days_change;
  Values community_cost_change;
  Values saving;
};

/// The national baseline's sums for the calibration report.
struct CalibrationSums {
  Values emergency_admissions;
  Values delayed_days;
  Values delayed_patients;
  Values community_spend;
  Values acute_stay_weighted;  // mean stay x admissions, divided at the end
  Values acute_admissions;
  double wte = 0.0;
  double direct_wte = 0.0;  // WTE x direct-care share
};

/// Everything run_savings adds up over the archetypes, each area counted `count` times.
struct NationalSums {
  std::map<std::pair<std::string, Policy>, SavingsRow> rows;
  double people = 0.0;
  double acute_cost = 0.0;      // people x GBP per acute bed-day
  double freed_wte = 0.0;       // by the baseline model's release
  double freed_wte_cost = 0.0;  // GBP a year
  CalibrationSums calibration;
};

/// A minimal-capacity search per flow pattern: the minimal capacities depend on the flows only,
/// so models whose handoffs are those of the baseline share its search.
using Searches = std::map<std::string, Capacities>;

/// What one more occupied acute bed-day costs (the line-cost rule for one occupied day).
double acute_cost_per_bed_day(const Scenario& s) {
  for (const Setting& x : s.settings) {
    if (x.service == "acute_beds") return line_cost(s, x, LineUse{.occupied_days = 1.0}).total();
  }
  return 0.0;
}

double acute_beds_of(const Scenario& s) {
  double beds = 0.0;
  for (const Setting& x : s.settings) {
    if (x.service == "acute_beds" && x.capacity != sim::kUnlimited) {
      beds += static_cast<double>(x.capacity);
    }
  }
  return beds;
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
    if (levers.contains(x.name) && !include_levers) continue;
    LineUse year{.days = kDaysPerYear};
    if (x.capacity != sim::kUnlimited && x.capacity > 0) {
      const double occupancy =
          base.find(x.name, "utilisation") ? mean_of(values(base, x.name, "utilisation")) : 0.0;
      year.place_days = static_cast<double>(x.capacity) * kDaysPerYear;
      year.occupied_days = year.place_days * (std::isfinite(occupancy) ? occupancy : 0.0);
    }
    total += line_cost(s, x, year).total();  // no handovers: their charges are in `compare`
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

/// `area` under `model`, the levers off: the flows the capacity search and both policies start
/// from.
Scenario flows_under(const Scenario& area, const IntegrationModels& models,
                     const IntegrationModel& model) {
  Scenario flows = apply_model(area, models, model);
  switch_levers(flows, Levers::Off);
  return flows;
}

/// The community settings whose capacity the release policy may cut: in use at baseline,
/// with a finite capacity, and not a lever team.
std::vector<std::string> release_targets(const Scenario& base, const RunReport& report,
                                         const std::set<std::string>& levers) {
  std::vector<std::string> targets;
  for (const Setting& s : base.settings) {
    if (!is_community_service(s.service) || levers.contains(s.name)) continue;
    if (s.capacity == sim::kUnlimited || !s.schedule.empty()) continue;
    if (mean_of(values(report, s.name, "mean_occupancy")) <= 0.0) continue;
    targets.push_back(s.name);
  }
  return targets;
}

AreaBaseline baseline_area(Analysis& a, const Archetype& archetype) {
  AreaBaseline b;
  b.area = build_archetype(a.config, archetype, a.options.area_overrides, a.run_length);
  b.levers = lever_settings(b.area);
  b.absorb_teams = lever_settings(b.area, true);
  b.base = flows_under(b.area, a.models, a.baseline_model);
  b.report = a.run(b.base);
  b.targets = release_targets(b.base, b.report, b.levers);
  b.acute_cost_per_bed_day = acute_cost_per_bed_day(b.base);
  b.acute_beds = acute_beds_of(b.base);
  b.budget = community_budget(b.base, b.report, b.levers, false);
  return b;
}

/// The minimal capacities of `b`'s targets under `flows`, searched once per `key`.
const Capacities& searched(Searches& searches, const std::string& key, const Scenario& flows,
                           const AreaBaseline& b, Analysis& a) {
  auto it = searches.find(key);
  if (it != searches.end()) return it->second;
  return searches.emplace(key, search_minimal_capacities(flows, b.targets, b.report, a.cfg, a.run))
      .first->second;
}

/// Release: `flows` with productivity raised by `gain` and the WTE (and beds) it frees cut -
/// what the baseline's minimal capacities needed at the baseline direct-care share less what
/// the model's need at the raised one.
Release release_scenario(const Scenario& flows, const AreaBaseline& b,
                         const Capacities& base_places, const Capacities& places, double gain) {
  Release r;
  r.scenario = flows;
  raise_productivity(r.scenario, gain);
  for (const std::string& t : b.targets) {
    const Setting& before = setting_named(b.base, t);
    const Setting& after = setting_named(r.scenario, t);
    if (before.workforce) {
      const double freed = wte_for(b.base, before, static_cast<double>(base_places.at(t))) -
                           wte_for(r.scenario, after, static_cast<double>(places.at(t)));
      r.spare_wte += freed;
      if (const StaffGroup* g = staff_group_of(b.base, before)) {
        r.spare_wte_cost += freed * g->cost_per_wte_year;
      }
      set_wte(r.scenario, t, after.workforce->wte - freed);
    } else {
      const auto freed = static_cast<double>(base_places.at(t) - places.at(t));
      r.spare_beds += freed;
      setting_named(r.scenario, t).capacity = before.capacity - static_cast<std::int64_t>(freed);
    }
  }
  return r;
}

/// Absorb: the release cut, with the freed WTE staffing the admission-avoidance and
/// early-discharge teams in proportion to their configured sizes; other lever teams stay
/// unstaffed.
Scenario absorb_scenario(const Release& release, const AreaBaseline& b) {
  Scenario absorb = release.scenario;
  switch_levers(absorb, Levers::Absorb);
  double lever_wte = 0.0;
  for (const std::string& l : b.absorb_teams) {
    const Setting& s = setting_named(absorb, l);
    if (s.workforce) lever_wte += s.workforce->wte;
  }
  for (const std::string& l : b.levers) {
    const Setting& s = setting_named(absorb, l);
    if (!s.workforce) continue;
    const double share =
        b.absorb_teams.contains(l) && lever_wte > 0.0 ? s.workforce->wte / lever_wte : 0.0;
    set_wte(absorb, l, std::max(0.0, release.spare_wte) * share);
  }
  return absorb;
}

/// What policy `p` (scenario `s`, run as `r`) saves in the area of `b`: the acute beds that
/// close beyond the baseline's, at the target occupancy, less the change in community budget.
PolicyOutcome price_policy(const AreaBaseline& b, const Scenario& s, const RunReport& r, Policy p,
                           const SavingsSettings& cfg) {
  const Values& base_days = values(b.report, "area", "acute_bed_days_per_year");
  const Values& bed_days = values(r, "area", "acute_bed_days_per_year");
  PolicyOutcome o;
  o.acute_bed_days_avoided = difference(base_days, bed_days);
  o.admissions_avoided = values(r, "area", "admissions_avoided_per_year");
  o.delayed_days_change = difference(values(r, "area", "acute_delayed_days_per_year"),
                                     values(b.report, "area", "acute_delayed_days_per_year"));
  const std::size_t n = o.acute_bed_days_avoided.size();
  const double budget_change =
      community_budget(s, b.report, b.levers, p == Policy::Absorb) - b.budget;
  o.community_cost_change.assign(n, budget_change);
  o.acute_beds_closed.assign(n, 0.0);
  o.saving.assign(n, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    // Only whole beds close, and only those beyond what the target occupancy needs - counted
    // against what the baseline could already close, so a policy is credited with its own
    // beds only. A closed bed saves a year at the target occupancy.
    o.acute_beds_closed[k] = closable_beds(b.acute_beds, bed_days[k], cfg.target_acute_occupancy) -
                             closable_beds(b.acute_beds, base_days[k], cfg.target_acute_occupancy);
    o.saving[k] = o.acute_beds_closed[k] * kDaysPerYear * cfg.target_acute_occupancy *
                      b.acute_cost_per_bed_day -
                  o.community_cost_change[k];
  }
  return o;
}

/// Adds `count` areas of one policy's outcome to its national row.
void add_to_row(SavingsRow& row, const Release& release, const PolicyOutcome& o, double count) {
  row.spare_wte += count * release.spare_wte;
  row.spare_beds += count * release.spare_beds;
  add_scaled(row.acute_bed_days_avoided, o.acute_bed_days_avoided, count);
  add_scaled(row.admissions_avoided, o.admissions_avoided, count);
  add_scaled(row.acute_beds_closed, o.acute_beds_closed, count);
  add_scaled(row.delayed_days_change, o.delayed_days_change, count);
  add_scaled(row.community_cost_change, o.community_cost_change, count);
  add_scaled(row.saving, o.saving, count);
}

/// One model in the area of `b`: both policies built, run, priced and added nationally.
void add_model(Analysis& a, const AreaBaseline& b, const std::string& id, Searches& searches,
               double count, NationalSums& sums) {
  const IntegrationModel& model = a.models.find(id);
  const Scenario flows = flows_under(b.area, a.models, model);
  const Capacities& base_places = searched(searches, kBaselineModel, b.base, b, a);
  const Capacities& places =
      model.interfaces.processes_reformed ? searched(searches, model.id, flows, b, a) : base_places;
  const Release release = release_scenario(flows, b, base_places, places, a.gain);
  if (id == std::string(kBaselineModel)) {
    sums.freed_wte += count * release.spare_wte;
    sums.freed_wte_cost += count * release.spare_wte_cost;
  }
  const Scenario absorb = absorb_scenario(release, b);
  const RunReport release_report = a.run(release.scenario);
  const RunReport absorb_report = a.run(absorb);
  for (const Policy p : kPolicies) {
    const bool absorbing = p == Policy::Absorb;
    const PolicyOutcome o = price_policy(b, absorbing ? absorb : release.scenario,
                                         absorbing ? absorb_report : release_report, p, a.cfg);
    SavingsRow& row = sums.rows[{id, p}];
    row.model = id;
    row.policy = policy_name(p);
    add_to_row(row, release, o, count);
  }
}

/// Adds `count` areas of the baseline `b` to the calibration sums.
void add_calibration(CalibrationSums& c, const AreaBaseline& b, double count) {
  const Values& delayed = values(b.report, "area", "acute_delayed_days_per_year");
  add_scaled(c.emergency_admissions, values(b.report, "area", "acute_admissions_per_year"), count);
  add_scaled(c.delayed_days, delayed, count);
  add_scaled(c.delayed_patients, delayed, count / kDaysPerYear);
  add_scaled(
      c.community_spend,
      Values(b.report.replications ? static_cast<std::size_t>(b.report.replications) : 0, b.budget),
      count);
  for (const Setting& s : b.base.settings) {
    if (s.service != "acute_beds") continue;
    Values weighted = values(b.report, s.name, "mean_stay");
    const Values& admissions = values(b.report, s.name, "admissions");
    for (std::size_t k = 0; k < weighted.size(); ++k)
      weighted[k] *= admissions[k];
    add_scaled(c.acute_stay_weighted, weighted, count);
    add_scaled(c.acute_admissions, admissions, count);
  }
  for (const Setting& s : b.base.settings) {
    if (!s.workforce || !is_community_service(s.service) || b.levers.contains(s.name)) continue;
    c.wte += count * s.workforce->wte;
    c.direct_wte += count * s.workforce->wte * direct_care_share(b.base, s);
  }
}

/// One archetype: its baseline, every model under both policies, its calibration figures.
void add_archetype(Analysis& a, const Archetype& archetype, const std::vector<std::string>& ids,
                   NationalSums& sums) {
  const auto count = static_cast<double>(archetype.count);
  const AreaBaseline b = baseline_area(a, archetype);
  Searches searches;
  searched(searches, kBaselineModel, b.base, b, a);  // run even if no model is asked for
  sums.people += count * archetype.population;
  sums.acute_cost += count * archetype.population * b.acute_cost_per_bed_day;
  for (const std::string& id : ids)
    add_model(a, b, id, searches, count, sums);
  add_calibration(sums.calibration, b, count);
}

/// The national baseline beside the published figures of `config.calibration`.
std::vector<CalibrationRow> calibrate(const NationalConfig& config, const CalibrationSums& c,
                                      std::int64_t replications) {
  Values stay = c.acute_stay_weighted;
  for (std::size_t k = 0; k < stay.size(); ++k)
    stay[k] = c.acute_admissions[k] > 0.0 ? stay[k] / c.acute_admissions[k] : 0.0;
  const std::map<std::string, std::pair<Values, std::string>> simulated{
      {"emergency_admissions_per_year", {c.emergency_admissions, ""}},
      {"mean_acute_stay_days", {stay, "emergency stays, delays included"}},
      {"delayed_patients_snapshot", {c.delayed_patients, "mean patients delayed at any moment"}},
      {"delayed_days_per_year", {c.delayed_days, "acute delayed days"}},
      {"community_services_spend_per_year",
       {c.community_spend, "the modelled services' spend as a share of the whole sector's"}},
      {"modelled_community_spend_per_year",
       {c.community_spend, "district nursing and intermediate-care beds, overheads included"}},
      {"direct_care_share",
       {Values(static_cast<std::size_t>(replications), c.wte > 0.0 ? c.direct_wte / c.wte : 0.0),
        "community teams' input"}},
  };
  std::vector<CalibrationRow> rows;
  for (const CalibrationTarget& t : config.calibration) {
    CalibrationRow row{t.name, {}, t.low, t.high, "not simulated", t.context};
    if (auto it = simulated.find(t.name); it != simulated.end()) {
      row.simulated = sim::estimate_mean(it->second.first);
      row.note = it->second.second;
    } else {
      row.simulated.mean = std::nan("");
    }
    rows.push_back(row);
  }
  return rows;
}

/// The models to run: those asked for, or every model of the file.
std::vector<std::string> model_ids(const IntegrationModels& models, const SavingsOptions& options) {
  std::vector<std::string> ids = options.models;
  if (ids.empty()) {
    for (const IntegrationModel& m : models.models)
      ids.push_back(m.id);
  }
  return ids;
}

/// The report from the national sums: a row per model and policy, the weighted unit costs and
/// the calibration.
void fill_report(SavingsReport& report, const NationalConfig& config, const NationalSums& sums,
                 const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    for (const Policy p : kPolicies)
      report.rows.push_back(sums.rows.at({id, p}));
  }
  report.acute_cost_per_bed_day = sums.people > 0.0 ? sums.acute_cost / sums.people : 0.0;
  report.community_cost_per_wte = sums.freed_wte > 0.0 ? sums.freed_wte_cost / sums.freed_wte : 0.0;
  report.calibration = calibrate(config, sums.calibration, report.replications);
}

}  // namespace

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
  Analysis a{config,
             models,
             models.find(kBaselineModel),
             cfg,
             run_length,
             options,
             options.productivity_gain.value_or(cfg.productivity_gain),
             Runner(run_length, options.threads)};
  const std::vector<std::string> ids = model_ids(models, options);

  SavingsReport report;
  report.config_name = config.name;
  report.config_file = config.file;
  report.productivity_gain = a.gain;
  report.replications = run_length.replications;
  report.target_acute_occupancy = cfg.target_acute_occupancy;
  NationalSums sums;
  for (const Archetype& archetype : config.archetypes)
    add_archetype(a, archetype, ids, sums);
  fill_report(report, config, sums, ids);
  report.simulated_replications = a.run.replications();
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace tcsim::models
