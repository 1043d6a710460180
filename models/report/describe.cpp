#include "tcsim/models/report/describe.hpp"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "tcsim/models/network/lever.hpp"
#include "tcsim/models/scenario/queries.hpp"

namespace tcsim::models {
namespace {

std::string places(std::int64_t c) {
  return c == sim::kUnlimited ? std::string("unlimited") : fmt::format("{}", c);
}

std::string capacity_text(const Scenario& scenario, const Setting& s) {
  if (s.workforce) {
    const double change = direct_care_share_change(scenario, s);
    const Workforce w = effective_workforce(scenario, s).value_or(*s.workforce);
    return fmt::format(
        "{} patients = {:g} WTE x {:g} h/week x direct-care share {:.3g} (1 - travel {:g} - "
        "admin {:g} - other {:g}{}) / {:g} contact h per patient per week",
        s.capacity, w.wte, w.hours_per_week, w.direct_care_share(), w.travel_share, w.admin_share,
        w.other_share,
        change != 0.0
            ? fmt::format("; {:+g} from {}'s direct-care share change", change, s.organisation)
            : std::string(),
        w.contact_hours_per_patient_per_week);
  }
  if (s.schedule.empty()) return places(s.capacity);
  std::string out = fmt::format("{} from day 0", places(s.capacity));
  for (const sim::CapacityChange& c : s.schedule) {
    if (c.at == 0.0) continue;  // the repeat marker of the day-0 capacity
    out += fmt::format(", {} from day {:g}", places(c.capacity), c.at);
  }
  if (s.schedule_period > 0.0) out += fmt::format(", repeating every {:g} days", s.schedule_period);
  return out;
}

std::string date_text(const std::chrono::year_month_day& d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

/// Each lever the cohort names, in registry order, as the lever describes itself.
std::string describe_reforms(const Reforms& r) {
  std::string out;
  for (const Lever* lever : levers()) {
    if (const LeverSettings* settings = r.find(lever->key())) out += lever->describe(*settings);
  }
  return out;
}

// Name, file, description, --set overrides and the run control.
std::string describe_header(const Scenario& scenario) {
  std::string out = fmt::format("scenario: {}\nfile: {}\n", scenario.name, scenario.file);
  if (!scenario.description.empty()) out += fmt::format("description: {}\n", scenario.description);
  for (const auto& [path, value] : scenario.overrides) {
    out += fmt::format("override: {} = {}\n", path, value);
  }
  const RunControl& run = scenario.run;
  out += fmt::format(
      "\nrun: horizon {}, warm-up {:g} days, {} replication(s), seed {}, day 0 = {}, at most {} "
      "patients in the system\n",
      std::isfinite(run.horizon) ? fmt::format("{:g} days", run.horizon)
                                 : std::string("unlimited (until every cohort stops and drains)"),
      run.warmup, run.replications, run.seed, date_text(run.start_date), run.max_patients);
  return out;
}

// The integration model's handoff rules and income allowance; empty without a model.
std::string describe_model(const Scenario& scenario) {
  if (scenario.model.empty()) return {};
  std::string out = fmt::format("\nintegration model: {}\n", scenario.model);
  if (scenario.interfaces) {
    const InterfaceRules& r = *scenario.interfaces;
    out += fmt::format(
        "  handoffs: {}; {:g} GBP per patient handed over between organisations\n",
        r.processes_reformed && r.internal_delay
            ? "within one organisation " + r.internal_delay->describe() +
                  ", between organisations the written transfer delay"
            : std::string("every move keeps its written transfer delay (processes unchanged)"),
        r.cost_per_cross_organisation_transfer);
  }
  if (scenario.contract_overhead_allowance) {
    out += fmt::format("  community service income: direct cost x (1 + {:g})\n",
                       *scenario.contract_overhead_allowance);
  }
  return out;
}

std::string describe_organisations(const Scenario& scenario) {
  std::string out = "\norganisations:\n";
  for (const Organisation& o : scenario.organisations) {
    out += fmt::format(
        "  {}: {}{}, overhead {:g} of direct cost, transaction {:g} a year of direct cost{}\n",
        o.name, o.kind, o.legal_form.empty() ? "" : " (" + o.legal_form + ")", o.overhead_share,
        o.annual_transaction_share,
        o.direct_care_share_change != 0.0
            ? fmt::format(", direct-care share {:+g}", o.direct_care_share_change)
            : std::string());
  }
  if (!scenario.staff_groups.empty()) {
    out += "\nstaff groups (2009/10 prices):\n";
    for (const StaffGroup& g : scenario.staff_groups) {
      out += fmt::format("  {}: {:.0f} GBP per WTE a year\n", g.name, g.cost_per_wte_year);
    }
  }
  return out;
}

// The cost rates of a setting as a ", ..." suffix (empty if it has none).
std::string setting_cost_text(const Setting& s) {
  std::string cost;
  if (s.cost.per_occupied_day > 0.0) {
    cost += fmt::format(", {:.2f} GBP per occupied day", s.cost.per_occupied_day);
  }
  if (s.cost.per_place_day > 0.0) {
    cost += fmt::format(", {:.2f} GBP per place-day", s.cost.per_place_day);
  }
  if (s.workforce && !s.workforce->staff_group.empty()) {
    cost += fmt::format(", staff costed as {}", s.workforce->staff_group);
  }
  return cost;
}

std::string describe_settings(const Scenario& scenario) {
  std::string out = "\nsettings:\n";
  for (const Setting& s : scenario.settings) {
    out += fmt::format("  {}: {} ({}), run by {}, capacity {}{}{}\n", s.name,
                       s.kind == SettingKind::Beds ? "beds" : "caseload", s.service, s.organisation,
                       capacity_text(scenario, s),
                       s.discipline == sim::QueueDiscipline::Priority ? ", priority queue" : "",
                       setting_cost_text(s));
  }
  return out;
}

// One line per step: duration, routing and transfer delay.
std::string describe_step(const Step& s) {
  std::string next;
  for (const NextStep& n : s.next) {
    next += fmt::format("{}{} {:g}", next.empty() ? "" : ", ", n.to, n.probability);
  }
  return fmt::format(
      "    {} at {}: {} (mean {:.4g} days); next: {}{}\n", s.name, s.setting, s.duration.describe(),
      s.duration.mean(), next,
      s.transfer_delay ? "; transfer delay " + s.transfer_delay->describe() : std::string());
}

// Each cohort with its effective arrival rate (from the traffic equations), steps and reforms.
std::string describe_cohorts(const Scenario& scenario, const StabilityReport& stability) {
  std::string out = "\ncohorts:\n";
  for (std::size_t i = 0; i < scenario.cohorts.size(); ++i) {
    const Cohort& c = scenario.cohorts[i];
    out += fmt::format("  {}: {:g} per day base, effective mean {:.4g} per day{}; starts at '{}'\n",
                       c.name, c.rate_per_day, stability.cohort_rates[i].second,
                       c.max_arrivals == sim::kUnlimited
                           ? std::string()
                           : fmt::format(", stops after {} arrivals", c.max_arrivals),
                       c.start);
    for (const Step& s : c.steps)
      out += describe_step(s);
    out += describe_reforms(c.reforms);
  }
  return out;
}

std::string describe_sources(const Scenario& scenario) {
  std::string out = "\nsources and assumptions:\n";
  if (scenario.provenance.empty()) out += "  (none given)\n";
  for (const auto& [path, text] : scenario.provenance) {
    out += fmt::format("  {}: {}\n", path, text);
  }
  return out;
}

}  // namespace

std::string describe_scenario(const Scenario& scenario, const StabilityReport& stability) {
  return describe_header(scenario) + describe_model(scenario) + describe_organisations(scenario) +
         describe_settings(scenario) + describe_cohorts(scenario, stability) +
         "\nload before running (traffic equations):\n" + format_stability(stability) +
         describe_sources(scenario);
}

}  // namespace tcsim::models
