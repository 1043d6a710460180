// Early supported discharge: a share of the stays at one step end some days early, the patient
// moving to another step (a community team) if its setting has room then; otherwise the stay
// ends as usual. In the network: an early exit from the lever's step.

#include <fmt/format.h>

#include "tcsim/models/network/lever.hpp"

namespace tcsim::models {
namespace {

struct EarlySupportedDischarge : LeverSettingsOf<EarlySupportedDischarge> {
  std::string at;  // step whose stay ends early
  sim::Distribution days_earlier;
  std::string to;  // step the patient moves to, if its setting has room then
};

class EarlySupportedDischargeLever final : public Lever {
 public:
  [[nodiscard]] const char* key() const override { return "early_supported_discharge"; }

  [[nodiscard]] const char* schema() const override {
    return R"(      early_supported_discharge:   # a share leave `at` early for `to` if it has room then
        {use: false, eligible_share: 0.2, at: STEP, days_earlier: {...}, to: STEP}
)";
  }

  [[nodiscard]] std::unique_ptr<LeverSettings> parse(const LeverInput& in) const override {
    in.expect_keys({"use", "eligible_share", "uptake", "at", "days_earlier", "to"});
    auto e = std::make_unique<EarlySupportedDischarge>();
    read_lever_state(in, *e, "a share of stays", "a share of stays");
    e->at = in.text("at", "a step name of this cohort's pathway", "a step name");
    e->days_earlier = in.distribution("days_earlier", "a distribution of days");
    e->to = in.text("to", "a step name of this cohort's pathway", "a step name");
    return e;
  }

  void check_steps(const Cohort& cohort, const LeverSettings& settings,
                   const LeverInput& in) const override {
    const auto& e = settings_as<EarlySupportedDischarge>(settings);
    const Step& at = require_step(cohort, in, "at", e.at);
    const Step& to = require_step(cohort, in, "to", e.to);
    if (at.setting == to.setting) {
      in.fail("to", "early discharge must lead to a step at another setting");
    }
  }

  [[nodiscard]] std::vector<std::pair<std::string, std::string>> edges(
      const Cohort& /*cohort*/, const LeverSettings& settings) const override {
    const auto& e = settings_as<EarlySupportedDischarge>(settings);
    return {{e.at, e.to}};
  }

  [[nodiscard]] bool absorbs_spare_capacity() const override { return true; }

  [[nodiscard]] std::string team_setting(const Cohort& cohort,
                                         const LeverSettings& settings) const override {
    const Step* to = step_named(cohort, settings_as<EarlySupportedDischarge>(settings).to);
    return to ? to->setting : std::string();
  }

  void shape(const LeverSettings& settings, CohortNetwork& network) const override {
    const auto& e = settings_as<EarlySupportedDischarge>(settings);
    network.spec_step(e.at).early_exit =
        sim::EarlyExit{e.share(), e.days_earlier, network.steps.at(e.to)};
  }

  [[nodiscard]] std::vector<LeverCounter> counters() const override {
    return {{"early_discharges_per_year", "patients/year"},
            {"early_discharge_days_per_year", "days/year"}};
  }

  void count(const LeverSettings& settings, const CohortCounts& cohort,
             std::span<double> totals) const override {
    if (const sim::StepResult* at =
            cohort.step(settings_as<EarlySupportedDischarge>(settings).at)) {
      totals[0] += static_cast<double>(at->early_exits);
      totals[1] += at->early_days;
    }
  }

  [[nodiscard]] std::string describe(const LeverSettings& settings) const override {
    const auto& e = settings_as<EarlySupportedDischarge>(settings);
    return fmt::format(
        "    early supported discharge ({}): '{}' ends {} days early for '{}' if it has room\n",
        lever_state(settings), e.at, e.days_earlier.describe(), e.to);
  }
};

}  // namespace

const Lever& early_supported_discharge_lever() {
  static const EarlySupportedDischargeLever lever;
  return lever;
}

}  // namespace tcsim::models
