#include "tcsim/models/config/scenario_loader.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "tcsim/models/config/config_node.hpp"
#include "tcsim/models/config/distribution_config.hpp"
#include "tcsim/models/config/economics_config.hpp"
#include "tcsim/models/config/reform_config.hpp"
#include "tcsim/models/scenario/derived_capacity.hpp"
#include "tcsim/models/scenario/service_vocabulary.hpp"

namespace tcsim::models {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::chrono::year_month_day parse_date(const ConfigNode& node) {
  const std::string text = node.text("a date such as 2009-04-01");
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char dash1 = 0;
  char dash2 = 0;
  std::istringstream in(text);
  in >> y >> dash1 >> m >> dash2 >> d;
  const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(m),
                                         std::chrono::day(d)};
  // Years outside 1900-2200 are typos, and would overflow the calendar arithmetic.
  if (!in || dash1 != '-' || dash2 != '-' || !in.eof() || !date.ok() || y < 1900 || y > 2200) {
    node.fail(fmt::format("expected a date as YYYY-MM-DD between 1900 and 2200, found '{}'", text));
  }
  return date;
}

RunControl parse_run(const ConfigNode& node) {
  node.expect_keys({"horizon", "warmup", "replications", "seed", "start_date", "max_patients"});
  RunControl run;
  if (auto h = node.find("horizon")) {
    run.horizon =
        h->is_word("unlimited") ? sim::kForever : h->positive("a horizon in days, or 'unlimited'");
  }
  if (auto w = node.find("warmup")) run.warmup = w->non_negative("a warm-up in days");
  if (auto r = node.find("replications")) {
    run.replications = r->positive_integer("a number of replications");
    if (run.replications > kMaxReplications) {
      r->fail(fmt::format("expected at most {} replications, found {}", kMaxReplications,
                          run.replications));
    }
  }
  if (auto s = node.find("seed")) {
    run.seed = static_cast<std::uint64_t>(s->non_negative_integer("a seed"));
  }
  if (auto d = node.find("start_date")) run.start_date = parse_date(*d);
  if (auto m = node.find("max_patients")) {
    run.max_patients = m->positive_integer("a limit on patients in the system at once");
  }
  if (std::isfinite(run.horizon) && run.warmup >= run.horizon) {
    node.at("warmup", "")
        .fail(fmt::format("the warm-up ({} days) must end before the horizon ({} days)", run.warmup,
                          run.horizon));
  }
  return run;
}

void parse_capacity(const ConfigNode& node, Setting& setting) {
  if (node.is_word("unlimited")) {
    setting.capacity = sim::kUnlimited;
    return;
  }
  if (node.is_scalar()) {
    setting.capacity = node.positive_integer("a capacity (places), 'unlimited' or a schedule");
    return;
  }
  node.expect_map("a capacity (places), 'unlimited' or {schedule: [...], repeat_every: days}");
  node.expect_keys({"schedule", "repeat_every"});
  const auto entries = node.at("schedule", "a list of {from: day, capacity: places}")
                           .items("a list of {from: day, capacity: places}");
  if (entries.empty()) node.at("schedule", "").fail("expected at least one {from, capacity}");
  double previous = -1.0;
  for (const ConfigNode& entry : entries) {
    entry.expect_keys({"from", "capacity"});
    const ConfigNode from = entry.at("from", "the day this capacity starts");
    const double at = from.non_negative("a day >= 0");
    if (at <= previous) from.fail("schedule days must increase from one entry to the next");
    previous = at;
    const ConfigNode cap = entry.at("capacity", "places from that day (0 allowed)");
    const std::int64_t places =
        cap.is_word("unlimited") ? sim::kUnlimited : cap.non_negative_integer("places");
    setting.schedule.push_back(sim::CapacityChange{at, places});
  }
  if (setting.schedule.front().at != 0.0) {
    entries.front().at("from", "").fail("the first schedule entry must start at day 0");
  }
  setting.capacity = setting.schedule.front().capacity;
  setting.schedule.erase(setting.schedule.begin());
  if (auto period = node.find("repeat_every")) {
    setting.schedule_period = period->positive("a period in days");
    if (!setting.schedule.empty() && setting.schedule.back().at >= setting.schedule_period) {
      period->fail("every schedule day must fall inside the repeat period");
    }
    // The capacity at day 0 of each cycle comes back at the start of the next cycle.
    setting.schedule.insert(setting.schedule.begin(), sim::CapacityChange{0.0, setting.capacity});
  }
}

Workforce parse_workforce(const ConfigNode& node) {
  node.expect_keys({"wte", "hours_per_week", "travel_share", "admin_share", "other_share",
                    "contact_hours_per_patient_per_week", "staff_group",
                    "contacts_per_patient_per_week"});
  Workforce w;
  w.wte = node.at("wte", "whole-time equivalents").positive("whole-time equivalents");
  if (auto h = node.find("hours_per_week")) w.hours_per_week = h->positive("hours per week");
  const auto share = [&](const char* key, double& out) {
    if (auto x = node.find(key)) out = x->probability("a share of working time");
  };
  share("travel_share", w.travel_share);
  share("admin_share", w.admin_share);
  share("other_share", w.other_share);
  w.contact_hours_per_patient_per_week =
      node.at("contact_hours_per_patient_per_week", "hours of contact a patient needs per week")
          .positive("hours per patient per week");
  if (auto g = node.find("staff_group")) w.staff_group = g->text("a staff group name");
  if (auto c = node.find("contacts_per_patient_per_week")) {
    w.contacts_per_patient_per_week = c->positive("contacts per patient per week");
  }
  if (!(w.direct_care_share() > 0.0)) {
    node.fail(
        fmt::format("travel, admin and other shares add up to {:.4g}: no time is left for "
                    "patients (the direct-care share must be above 0)",
                    1.0 - w.direct_care_share()));
  }
  if (w.capacity() < 1) {
    node.fail(
        fmt::format("this team gives {:.4g} direct-care hours a week, less than one "
                    "patient's {:.4g}: a capacity of 0",
                    w.direct_hours_per_week(), w.contact_hours_per_patient_per_week));
  }
  return w;
}

Setting parse_setting(const std::string& name, const ConfigNode& node, const PriceIndex& prices) {
  node.expect_keys({"kind", "service", "organisation", "cost", "capacity", "workforce", "queue"});
  Setting s;
  s.name = name;
  const ConfigNode kind = node.at("kind", "'beds' or 'caseload'");
  const std::string k = kind.text("'beds' or 'caseload'");
  if (k == "beds") {
    s.kind = SettingKind::Beds;
  } else if (k == "caseload") {
    s.kind = SettingKind::Caseload;
  } else {
    kind.fail(fmt::format("expected 'beds' or 'caseload', found '{}'", k));
  }
  s.service = "generic";
  if (auto service = node.find("service")) {
    s.service = service->text("a service tag");
    if (std::find(kServices.begin(), kServices.end(), s.service) == kServices.end()) {
      std::vector<std::string> names(kServices.begin(), kServices.end());
      service->fail(fmt::format("unknown service '{}'{}; expected one of: {}", s.service,
                                did_you_mean(s.service, names), joined(names)));
    }
  }
  if (auto org = node.find("organisation")) s.organisation = org->text("an organisation name");
  if (auto cost = node.find("cost")) s.cost = parse_setting_cost(*cost, prices);
  if (auto workforce = node.find("workforce")) {
    if (node.has("capacity")) {
      node.fail_at_key("workforce", "give either 'capacity' or 'workforce', not both");
    }
    if (s.kind != SettingKind::Caseload) {
      node.fail_at_key("workforce",
                       "a workforce gives the capacity of a caseload; beds are given as counts");
    }
    s.workforce = parse_workforce(*workforce);
    s.capacity = s.workforce->capacity();
  } else {
    parse_capacity(node.at("capacity",
                           "a capacity (places), 'unlimited', a schedule, or (for a "
                           "caseload) a workforce"),
                   s);
  }
  if (auto queue = node.find("queue")) {
    queue->expect_keys({"discipline", "limit"});
    if (auto d = queue->find("discipline")) {
      const std::string discipline = d->text("'fifo' or 'priority'");
      if (discipline == "fifo") {
        s.discipline = sim::QueueDiscipline::Fifo;
      } else if (discipline == "priority") {
        s.discipline = sim::QueueDiscipline::Priority;
      } else {
        d->fail(fmt::format("expected 'fifo' or 'priority', found '{}'", discipline));
      }
    }
    if (auto limit = queue->find("limit")) {
      s.queue_limit = limit->is_word("unlimited")
                          ? sim::kUnlimited
                          : limit->non_negative_integer("a queue length limit, or 'unlimited'");
    }
  }
  return s;
}

std::vector<NextStep> parse_next(const ConfigNode& node) {
  if (node.is_scalar()) return {NextStep{node.text("a step name or 'exit'"), 1.0}};
  std::vector<NextStep> next;
  double sum = 0.0;
  for (const ConfigNode& item : node.items("a step name, 'exit', or a list of {to, probability}")) {
    item.expect_keys({"to", "probability", "transfer_delay"});
    NextStep n;
    n.to = item.at("to", "a step name or 'exit'").text("a step name or 'exit'");
    n.probability = item.at("probability", "a probability").probability("a probability");
    if (auto delay = item.find("transfer_delay")) n.transfer_delay = parse_distribution(*delay);
    sum += n.probability;
    next.push_back(n);
  }
  if (next.empty()) node.fail("expected at least one next step");
  if (std::abs(sum - 1.0) > 1e-9) {
    node.fail(fmt::format(
        "the probabilities of the next steps must sum to 1 (within 1e-9), found {:.15g}", sum));
  }
  return next;
}

Step parse_step(const std::string& name, const ConfigNode& node) {
  node.expect_keys({"setting", "duration", "priority", "transfer_delay", "next", "initial"});
  Step step;
  step.name = name;
  step.setting = node.at("setting", "the setting where this step happens").text("a setting name");
  step.duration = parse_distribution(node.at("duration", "a duration distribution"));
  if (auto p = node.find("priority")) {
    const std::int64_t priority = p->integer("a queue priority (lower goes first)");
    if (priority < -1'000'000'000 || priority > 1'000'000'000) {
      p->fail(fmt::format("expected a queue priority between -1e9 and 1e9, found {}", priority));
    }
    step.priority = static_cast<std::int32_t>(priority);
  }
  if (auto delay = node.find("transfer_delay")) step.transfer_delay = parse_distribution(*delay);
  step.next = parse_next(node.at("next", "a step name, 'exit', or a list of {to, probability}"));
  if (auto initial = node.find("initial")) {
    initial->expect_keys({"in_place", "waiting"});
    if (auto n = initial->find("in_place")) {
      step.initial_in_place = n->non_negative_integer("patients in place at day 0");
    }
    if (auto n = initial->find("waiting")) {
      step.initial_waiting = n->non_negative_integer("patients waiting at day 0");
    }
  }
  return step;
}

template <std::size_t N>
void parse_multipliers(const ConfigNode& node, std::array<double, N>& out,
                       std::string_view expected) {
  const auto items = node.items(expected);
  if (items.size() != N) {
    node.fail(fmt::format("expected {}, found {} values", expected, items.size()));
  }
  double peak = 0.0;
  for (std::size_t i = 0; i < N; ++i) {
    out[i] = items[i].non_negative("a rate multiplier (0 allowed)");
    peak = std::max(peak, out[i]);
  }
  if (peak == 0.0) node.fail("at least one multiplier must be above 0, or nobody ever arrives");
}

/// Steps that no path from the start reaches are almost always a typo in a `next:`.
/// A step reached only through a reform lever (e.g. a rapid-response episode) counts as reached.
void check_reachable(const Cohort& c, const ConfigNode& steps_node) {
  std::set<std::string> reached{c.start};
  std::vector<std::string> frontier{c.start};
  const auto edges = reform_edges(c);
  while (!frontier.empty()) {
    const std::string name = frontier.back();
    frontier.pop_back();
    for (const Step& s : c.steps) {
      if (s.name != name) continue;
      for (const NextStep& n : s.next) {
        if (n.to != "exit" && reached.insert(n.to).second) frontier.push_back(n.to);
      }
    }
    for (const auto& [from, to] : edges) {
      if (from == name && reached.insert(to).second) frontier.push_back(to);
    }
  }
  for (const Step& s : c.steps) {
    if (!reached.contains(s.name)) {
      steps_node.at(s.name, "")
          .fail(
              fmt::format("step '{}' cannot be reached from the start step '{}': check the `next:` "
                          "entries that should lead here",
                          s.name, c.start));
    }
  }
}

/// Steps from which no path leads to `exit` would keep patients for ever (and make the traffic
/// equations singular): name them.
void check_can_exit(const Cohort& c, const ConfigNode& steps_node) {
  std::set<std::string> can_exit;
  for (bool grew = true; grew;) {
    grew = false;
    for (const Step& s : c.steps) {
      if (can_exit.contains(s.name)) continue;
      for (const NextStep& n : s.next) {
        if (n.probability > 0.0 && (n.to == "exit" || can_exit.contains(n.to))) {
          can_exit.insert(s.name);
          grew = true;
          break;
        }
      }
    }
  }
  std::string stuck;
  for (const Step& s : c.steps) {
    if (!can_exit.contains(s.name)) stuck += (stuck.empty() ? "" : ", ") + s.name;
  }
  for (const Step& s : c.steps) {
    if (!can_exit.contains(s.name)) {
      steps_node.at(s.name, "")
          .fail(fmt::format(
              "no path from step(s) {} leads to 'exit': patients would go round for ever", stuck));
    }
  }
}

/// `arrivals:`: the rate (per day, or per 1,000 population per year), an arrival limit and the
/// weekday and monthly multipliers.
void parse_arrivals(const ConfigNode& node, std::optional<double> population, Cohort& c) {
  const ConfigNode arrivals = node.at("arrivals", "{rate_per_day: number}");
  arrivals.expect_keys({"rate_per_day", "rate_per_1000_per_year", "max_arrivals",
                        "weekday_multipliers", "monthly_multipliers"});
  if (auto per_1000 = arrivals.find("rate_per_1000_per_year")) {
    if (arrivals.has("rate_per_day")) {
      arrivals.fail_at_key("rate_per_1000_per_year",
                           "give either rate_per_day or rate_per_1000_per_year, not both");
    }
    if (!population) {
      arrivals.fail_at_key("rate_per_1000_per_year",
                           "a rate per 1,000 population needs the scenario's `population:`");
    }
    c.rate_per_day =
        per_1000->positive("arrivals per 1,000 population per year") * *population / 1000.0 / 365.0;
  } else {
    c.rate_per_day =
        arrivals.at("rate_per_day", "a mean arrival rate per day (or rate_per_1000_per_year)")
            .positive("arrivals per day");
  }
  if (auto m = arrivals.find("max_arrivals")) {
    c.max_arrivals = m->positive_integer("a number of arrivals after which the cohort stops");
  }
  if (auto w = arrivals.find("weekday_multipliers")) {
    parse_multipliers(*w, c.weekday_multipliers, "7 multipliers, Monday to Sunday");
  }
  if (auto m = arrivals.find("monthly_multipliers")) {
    parse_multipliers(*m, c.month_multipliers, "12 multipliers, January to December");
  }
}

/// The pathway's steps, its start, and every `next:` naming a step of it (or exit).
void parse_pathway(const ConfigNode& pathway, const ConfigNode& steps, Cohort& c) {
  std::map<std::string, ConfigNode> next_nodes;
  for (const auto& [step_name, step_node] : steps.entries()) {
    if (step_name == "exit") {
      steps.fail_at_key(step_name,
                        "'exit' is reserved: in `next:` it means leaving the system; name the step "
                        "otherwise");
    }
    if (step_name.find_first_of("/#") != std::string::npos) {
      steps.fail_at_key(step_name,
                        "a step name may not contain '/' or '#' (they name its random "
                        "streams)");
    }
    c.steps.push_back(parse_step(step_name, step_node));
    next_nodes.emplace(step_name, step_node.at("next", ""));
  }
  if (c.steps.empty()) steps.fail("expected at least one step");
  std::vector<std::string> names;
  for (const Step& s : c.steps)
    names.push_back(s.name);
  c.start = c.steps.front().name;
  if (auto start = pathway.find("start")) {
    c.start = start->text("a step name");
    if (std::find(names.begin(), names.end(), c.start) == names.end()) {
      start->fail(fmt::format("no step '{}' in this pathway{}; steps: {}", c.start,
                              did_you_mean(c.start, names), joined(names)));
    }
  }
  for (const Step& s : c.steps) {
    for (const NextStep& n : s.next) {
      if (n.to != "exit" && std::find(names.begin(), names.end(), n.to) == names.end()) {
        next_nodes.at(s.name).fail(
            fmt::format("no step '{}' in this pathway{}; steps: {} (or 'exit')", n.to,
                        did_you_mean(n.to, names), joined(names)));
      }
    }
  }
}

Cohort parse_cohort(const std::string& name, const ConfigNode& node,
                    std::optional<double> population) {
  node.expect_keys({"arrivals", "pathway", "reforms"});
  Cohort c;
  c.name = name;
  parse_arrivals(node, population, c);
  const ConfigNode pathway = node.at("pathway", "{steps: {...}}");
  pathway.expect_keys({"start", "steps"});
  const ConfigNode steps = pathway.at("steps", "a mapping of step names to steps");
  steps.expect_map("a mapping of step names to steps");
  parse_pathway(pathway, steps, c);
  if (auto reforms = node.find("reforms")) {
    c.reforms = parse_reforms(*reforms);
    check_reform_steps(c, *reforms);
  }
  check_reachable(c, steps);
  check_can_exit(c, steps);
  return c;
}

/// Metric scopes are setting, cohort and organisation names plus "system" and "area": two
/// things with one name would mix their metrics.
void check_scope_names(const Scenario& scenario, const ConfigNode& root) {
  std::map<std::string, std::string> owner{{"system", "reserved"}, {"area", "reserved"}};
  const auto claim = [&](const std::string& name, const std::string& what, const char* section) {
    const auto [it, fresh] = owner.emplace(name, what);
    if (!fresh) {
      root.at(section, "")
          .fail_at_key(
              name, fmt::format("'{}' is already the name of {}: setting, cohort and organisation "
                                "names must differ (and not be 'system' or 'area')",
                                name, it->second == "reserved" ? "a built-in scope" : it->second));
    }
  };
  for (const Setting& s : scenario.settings)
    claim(s.name, "a setting", "settings");
  for (const Cohort& c : scenario.cohorts)
    claim(c.name, "a cohort", "cohorts");
  // Organisations a setting uses without declaring them are named after their kind.
  const bool declared = root.has("organisations");
  for (const Organisation& o : scenario.organisations)
    claim(o.name, "an organisation", declared ? "organisations" : "settings");
}

void check_staff_groups(const Scenario& scenario, const ConfigNode& root) {
  std::vector<std::string> names;
  for (const StaffGroup& g : scenario.staff_groups)
    names.push_back(g.name);
  for (const Setting& s : scenario.settings) {
    if (!s.workforce || s.workforce->staff_group.empty()) continue;
    if (std::find(names.begin(), names.end(), s.workforce->staff_group) == names.end()) {
      root.at("settings", "")
          .at(s.name, "")
          .at("workforce", "")
          .at("staff_group", "")
          .fail(fmt::format("no staff group '{}'{} under `staff_groups:`", s.workforce->staff_group,
                            did_you_mean(s.workforce->staff_group, names)));
    }
  }
}

void check_references(const Scenario& scenario, const ConfigNode& root) {
  std::vector<std::string> setting_names;
  for (const Setting& s : scenario.settings)
    setting_names.push_back(s.name);
  for (const Cohort& c : scenario.cohorts) {
    if (auto reforms = root.at("cohorts", "").at(c.name, "").find("reforms")) {
      check_reform_settings(c, scenario.settings, *reforms);
    }
  }
  for (const Cohort& c : scenario.cohorts) {
    for (const Step& s : c.steps) {
      if (std::find(setting_names.begin(), setting_names.end(), s.setting) == setting_names.end()) {
        const ConfigNode node = root.at("cohorts", "")
                                    .at(c.name, "")
                                    .at("pathway", "")
                                    .at("steps", "")
                                    .at(s.name, "")
                                    .at("setting", "");
        node.fail(fmt::format("no setting '{}'{}; settings: {}", s.setting,
                              did_you_mean(s.setting, setting_names), joined(setting_names)));
      }
    }
  }
  if (!std::isfinite(scenario.run.horizon)) {
    for (const Cohort& c : scenario.cohorts) {
      if (c.max_arrivals == sim::kUnlimited) {
        root.at("cohorts", "")
            .at(c.name, "")
            .at("arrivals", "")
            .fail(
                "with run.horizon 'unlimited' every cohort needs max_arrivals, or the run never "
                "ends");
      }
    }
  }
  // Patients placed at day 0 must fit the places there at day 0.
  for (const Setting& setting : scenario.settings) {
    std::int64_t placed = 0;
    for (const Cohort& c : scenario.cohorts) {
      for (const Step& s : c.steps) {
        if (s.setting == setting.name) placed += s.initial_in_place;
      }
    }
    if (setting.capacity != sim::kUnlimited && placed > setting.capacity) {
      root.at("settings", "")
          .at(setting.name, "")
          .at("capacity", "")
          .fail(fmt::format(
              "{} patients are placed here at day 0 (steps' initial.in_place) but it has "
              "only {} places then",
              placed, setting.capacity));
    }
  }
}

/// Patients present at day 0 are allocated at once: more than run.max_patients could only
/// stop the run at day 0 (or fill the memory first), so they are refused at the step that
/// takes the count over the limit.
void check_initial_patients(const Scenario& scenario, const ConfigNode& root) {
  double present = 0.0;
  for (const Cohort& c : scenario.cohorts) {
    for (const Step& s : c.steps) {
      present += static_cast<double>(s.initial_in_place) + static_cast<double>(s.initial_waiting);
      if (present <= static_cast<double>(scenario.run.max_patients)) continue;
      const ConfigNode initial = root.at("cohorts", "")
                                     .at(c.name, "")
                                     .at("pathway", "")
                                     .at("steps", "")
                                     .at(s.name, "")
                                     .at("initial", "");
      initial.at(s.initial_in_place > 0 ? "in_place" : "waiting", "")
          .fail(fmt::format("{:.0f} patients would be present at day 0, more than "
                            "run.max_patients ({}): expected at most that many",
                            present, scenario.run.max_patients));
    }
  }
}

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& file,
                        const Overrides& overrides, const InputOptions& options) {
  const ConfigNode root = ConfigNode::parse(text, file, overrides, options);
  root.expect_keys({"name", "description", "population", "run", "price_index", "staff_groups",
                    "organisations", "settings", "cohorts"});
  Scenario scenario;
  scenario.file = file;
  scenario.text = text;
  scenario.overrides = overrides;
  scenario.name = root.at("name", "a scenario name").name("a scenario name");
  if (auto d = root.find("description")) scenario.description = d->text("a description");
  if (auto run = root.find("run")) scenario.run = parse_run(*run);
  if (auto p = root.find("population")) scenario.population = p->positive("people served");

  const PriceIndex prices(root.find("price_index"));
  if (auto groups = root.find("staff_groups")) {
    scenario.staff_groups = parse_staff_groups(*groups, prices);
  }
  if (auto orgs = root.find("organisations")) {
    orgs->expect_map("a mapping of organisation names to {kind: ...}");
    for (const auto& [name, node] : orgs->entries()) {
      scenario.organisations.push_back(parse_organisation(name, node));
    }
  }
  const ConfigNode settings = root.at("settings", "a mapping of setting names to settings");
  settings.expect_map("a mapping of setting names to settings");
  for (const auto& [name, node] : settings.entries()) {
    scenario.settings.push_back(parse_setting(name, node, prices));
  }
  if (scenario.settings.empty()) settings.fail("expected at least one setting");

  const ConfigNode cohorts = root.at("cohorts", "a mapping of cohort names to cohorts");
  cohorts.expect_map("a mapping of cohort names to cohorts");
  for (const auto& [name, node] : cohorts.entries()) {
    scenario.cohorts.push_back(parse_cohort(name, node, scenario.population));
  }
  if (scenario.cohorts.empty()) cohorts.fail("expected at least one cohort");

  check_references(scenario, root);
  check_initial_patients(scenario, root);
  check_staff_groups(scenario, root);
  resolve_organisations(scenario, root);
  check_scope_names(scenario, root);
  std::map<std::string, ConfigLocation> where_organisation;
  if (auto orgs = root.find("organisations")) {
    for (const auto& [name, node] : orgs->entries())
      where_organisation.emplace(name, node.location());
  }
  derive_capacities(scenario, where_organisation, root.location());
  root.check_overrides_used();
  root.collect_provenance(scenario.provenance);
  scenario.input_files = root.inputs_read();
  return scenario;
}

Scenario load_scenario(const std::string& path, const Overrides& overrides,
                       const InputOptions& options) {
  const std::string text = read_input_file(path, ConfigLocation{path, 0, 0, ""}, "a scenario file");
  return parse_scenario(text, path, overrides, options);
}

ConfigLocation scenario_key_location(const Scenario& scenario, const std::string& dotted_path) {
  try {
    std::optional<ConfigNode> node =
        ConfigNode::parse(scenario.text, scenario.file, scenario.overrides);
    std::size_t start = 0;
    while (node && start <= dotted_path.size()) {
      const std::size_t dot = std::min(dotted_path.find('.', start), dotted_path.size());
      node = node->find(std::string_view(dotted_path).substr(start, dot - start));
      start = dot + 1;
    }
    if (node) return node->location();
  } catch (const ConfigError&) {
    // The scenario was loaded from this text: it parses. Fall back to the file alone anyway.
  }
  return ConfigLocation{scenario.file, 0, 0, dotted_path};
}

void check_daily_series_size(const Scenario& scenario, std::int64_t replications) {
  if (!std::isfinite(scenario.run.horizon)) return;
  const double values = std::ceil(scenario.run.horizon) *
                        static_cast<double>(scenario.settings.size()) *
                        static_cast<double>(replications);
  if (values <= kMaxDailyValues) return;
  throw ConfigError(
      scenario_key_location(scenario, "run.horizon"),
      fmt::format("the daily series of this run would hold {:.0f} values ({} days x {} settings x "
                  "{} replications), more than the limit of {:.0f}: shorten the horizon, run "
                  "fewer replications, or leave out --out",
                  values, std::ceil(scenario.run.horizon), scenario.settings.size(), replications,
                  kMaxDailyValues));
}

ConfigError out_of_memory_error(const Scenario& scenario) {
  return ConfigError(scenario_key_location(scenario, "run.max_patients"),
                     fmt::format("ran out of memory while simulating: the run needs more than "
                                 "this machine has - lower run.max_patients (now {}), the "
                                 "horizon or the replications",
                                 scenario.run.max_patients));
}

}  // namespace tcsim::models
