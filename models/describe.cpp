#include "models/describe.hpp"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

namespace tcsim::models {
namespace {

std::string places(std::int64_t c) {
  return c == sim::kUnlimited ? std::string("unlimited") : fmt::format("{}", c);
}

std::string capacity_text(const Setting& s) {
  if (s.workforce) {
    const Workforce& w = *s.workforce;
    return fmt::format(
        "{} patients = {:g} WTE x {:g} h/week x direct-care share {:.3g} (1 - travel {:g} - "
        "admin {:g} - other {:g}) / {:g} contact h per patient per week",
        s.capacity, w.wte, w.hours_per_week, w.direct_care_share(), w.travel_share, w.admin_share,
        w.other_share, w.contact_hours_per_patient_per_week);
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

}  // namespace

std::string describe_scenario(const Scenario& scenario, const StabilityReport& stability) {
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

  out += "\nsettings:\n";
  for (const Setting& s : scenario.settings) {
    out +=
        fmt::format("  {}: {} ({}), capacity {}{}\n", s.name,
                    s.kind == SettingKind::Beds ? "beds" : "caseload", s.service, capacity_text(s),
                    s.discipline == sim::QueueDiscipline::Priority ? ", priority queue" : "");
  }

  out += "\ncohorts:\n";
  for (std::size_t i = 0; i < scenario.cohorts.size(); ++i) {
    const Cohort& c = scenario.cohorts[i];
    out += fmt::format("  {}: {:g} per day base, effective mean {:.4g} per day{}; starts at '{}'\n",
                       c.name, c.rate_per_day, stability.cohort_rates[i].second,
                       c.max_arrivals == sim::kUnlimited
                           ? std::string()
                           : fmt::format(", stops after {} arrivals", c.max_arrivals),
                       c.start);
    for (const Step& s : c.steps) {
      std::string next;
      for (const NextStep& n : s.next) {
        next += fmt::format("{}{} {:g}", next.empty() ? "" : ", ", n.to, n.probability);
      }
      out += fmt::format(
          "    {} at {}: {} (mean {:.4g} days); next: {}{}\n", s.name, s.setting,
          s.duration.describe(), s.duration.mean(), next,
          s.transfer_delay ? "; transfer delay " + s.transfer_delay->describe() : std::string());
    }
  }

  out += "\nload before running (traffic equations):\n" + format_stability(stability);

  out += "\nsources and assumptions:\n";
  if (scenario.provenance.empty()) out += "  (none given)\n";
  for (const auto& [path, text] : scenario.provenance) {
    out += fmt::format("  {}: {}\n", path, text);
  }
  return out;
}

}  // namespace tcsim::models
