// Discharge to assess: for a share of the moves from one step to the assessed destinations,
// the assessment (the move's written transfer delay) happens at another setting (e.g. at home)
// instead of in the bed the patient leaves. In the network: for each destination a step
// "cohort.d2a_<destination>" at the lever's setting, and each such move split in two routes.

#include <algorithm>

#include <fmt/format.h>

#include "tcsim/models/network/lever.hpp"
#include "tcsim/models/network/network_builder.hpp"
#include "tcsim/models/scenario/config_error.hpp"

namespace tcsim::models {
namespace {

struct DischargeToAssess : LeverSettingsOf<DischargeToAssess> {
  std::string at;
  std::vector<std::string> destinations;  // steps whose assessment moves out of hospital
  std::string setting;                    // where the patient waits and is assessed instead
  std::optional<sim::Distribution> referral_delay{};  // to arrange that place, bed held
};

/// The assessment steps: the assessment (the move's written delay) now happens at the lever's
/// setting, holding its place; the move on is an ordinary handoff, no delay.
void add_assessment_steps(const DischargeToAssess& d, CohortNetwork& network) {
  const Step& at = network.step(d.at);
  for (const std::string& destination : d.destinations) {
    std::optional<sim::Distribution> assessment = at.transfer_delay;
    for (const NextStep& n : at.next) {
      if (n.to == destination && n.transfer_delay) assessment = n.transfer_delay;
    }
    sim::StepSpec step;
    step.station = network.station_of.at(d.setting);
    step.duration = assessment.value_or(sim::Distribution::deterministic(0.0));
    step.routes = {sim::Route{network.steps.at(destination), 1.0, std::nullopt}};
    network.add_step(d2a_step_name(destination), std::move(step));
  }
}

/// The destination of an assessed route from the lever's step, or nullptr.
const std::string* assessed(const DischargeToAssess& d, const CohortNetwork& network,
                            const sim::Route& route) {
  if (route.to == sim::kExit) return nullptr;
  for (const std::string& destination : d.destinations) {
    if (network.steps.at(destination) == route.to) return &destination;
  }
  return nullptr;
}

class DischargeToAssessLever final : public Lever {
 public:
  [[nodiscard]] const char* key() const override { return "discharge_to_assess"; }

  [[nodiscard]] const char* schema() const override {
    return R"(      discharge_to_assess:      # a share of moves to `destinations` wait and are assessed at
        use: false              # `setting` instead of in the bed they leave
        eligible_share: 0.5
        at: STEP
        destinations: [STEP]
        setting: NAME
        referral_delay: {distribution: lognormal, mean: 0.5, sd: 0.5}   # optional
)";
  }

  [[nodiscard]] std::unique_ptr<LeverSettings> parse(const LeverInput& in) const override {
    in.expect_keys(
        {"use", "eligible_share", "uptake", "at", "destinations", "setting", "referral_delay"});
    auto d = std::make_unique<DischargeToAssess>();
    read_lever_state(in, *d, "a share of moves", "a share of the moves");
    d->at = in.text("at", "a step name of this cohort's pathway", "a step name");
    d->destinations = in.texts("destinations", "a list of step names", "a step name");
    if (d->destinations.empty()) in.fail("destinations", "expected at least one destination step");
    d->setting = in.text("setting", "the setting where patients are assessed", "a setting");
    d->referral_delay = in.optional_distribution("referral_delay");
    return d;
  }

  void check_steps(const Cohort& cohort, const LeverSettings& settings,
                   const LeverInput& in) const override {
    const auto& d = settings_as<DischargeToAssess>(settings);
    const Step& at = require_step(cohort, in, "at", d.at);
    for (std::size_t i = 0; i < d.destinations.size(); ++i) {
      const std::string& destination = d.destinations[i];
      if (!step_named(cohort, destination)) {
        in.fail_item("destinations", i, no_such_step(cohort, destination));
      }
      const bool routed = std::any_of(at.next.begin(), at.next.end(),
                                      [&](const NextStep& n) { return n.to == destination; });
      if (!routed) {
        in.fail_item("destinations", i,
                     fmt::format("step '{}' has no `next:` route to '{}' to assess at home", d.at,
                                 destination));
      }
      if (step_named(cohort, d2a_step_name(destination))) {
        in.fail_item("destinations", i,
                     fmt::format("the pathway already has a step '{}', the name this lever "
                                 "gives its assessment step: rename that step",
                                 d2a_step_name(destination)));
      }
    }
  }

  void check_settings(const std::vector<Setting>& settings, const LeverSettings& lever,
                      const LeverInput& in) const override {
    const auto& d = settings_as<DischargeToAssess>(lever);
    std::vector<std::string> names;
    names.reserve(settings.size());
    for (const Setting& s : settings)
      names.push_back(s.name);
    if (std::find(names.begin(), names.end(), d.setting) == names.end()) {
      in.fail("setting",
              fmt::format("no setting '{}'{}", d.setting, did_you_mean(d.setting, names)));
    }
  }

  [[nodiscard]] bool absorbs_spare_capacity() const override { return false; }

  [[nodiscard]] std::string team_setting(const Cohort& /*cohort*/,
                                         const LeverSettings& settings) const override {
    return settings_as<DischargeToAssess>(settings).setting;
  }

  void shape(const LeverSettings& settings, CohortNetwork& network) const override;

  [[nodiscard]] std::vector<LeverCounter> counters() const override {
    return {{"assessed_at_home_per_year", "patients/year"}};
  }

  void count(const LeverSettings& settings, const CohortCounts& cohort,
             std::span<double> totals) const override {
    for (const std::string& d : settings_as<DischargeToAssess>(settings).destinations)
      totals[0] += cohort.starts_at(d2a_step_name(d));
  }

  [[nodiscard]] std::string describe(const LeverSettings& settings) const override {
    const auto& d = settings_as<DischargeToAssess>(settings);
    std::string destinations;
    for (const std::string& x : d.destinations)
      destinations += (destinations.empty() ? "" : ", ") + x;
    return fmt::format(
        "    discharge to assess ({}): from '{}' to {} via an assessment place at '{}'{}\n",
        lever_state(settings), d.at, destinations, d.setting,
        d.referral_delay ? ", referral " + d.referral_delay->describe() : std::string());
  }
};

// The eligible share of each assessed move goes to the assessment place first; the two routes
// stand side by side where the one route stood, so a routing draw leads to the same
// destination family as without the lever (common random numbers).
void DischargeToAssessLever::shape(const LeverSettings& settings, CohortNetwork& network) const {
  const auto& d = settings_as<DischargeToAssess>(settings);
  add_assessment_steps(d, network);
  const std::string& from = network.step(d.at).setting;
  sim::StepSpec& at = network.spec_step(d.at);
  std::vector<sim::Route> routes;
  for (const sim::Route& r : at.routes) {
    const std::string* destination = assessed(d, network, r);
    if (!destination) {
      routes.push_back(r);
      continue;
    }
    routes.push_back(sim::Route{network.steps.at(d2a_step_name(*destination)),
                                r.probability * d.share(),
                                network.handoff(from, d.setting, d.referral_delay)});
    routes.push_back(sim::Route{r.to, r.probability * (1.0 - d.share()), r.delay});
  }
  at.routes = std::move(routes);
}

}  // namespace

std::string d2a_step_name(const std::string& destination) {
  return "d2a_" + destination;
}

const Lever& discharge_to_assess_lever() {
  static const DischargeToAssessLever lever;
  return lever;
}

}  // namespace tcsim::models
