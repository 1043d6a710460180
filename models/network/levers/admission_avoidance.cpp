// Admission avoidance: a share of a cohort's arrivals start at another step (a rapid-response
// or crisis team) instead of the usual start, if that step's setting has room; when it is
// full they are admitted as usual. In the network: the arrival stream's first routes, and an
// overflow from the lever's step back to the start.

#include <fmt/format.h>

#include "tcsim/models/network/lever.hpp"

namespace tcsim::models {
namespace {

struct AdmissionAvoidance : LeverSettingsOf<AdmissionAvoidance> {
  std::string to;  // step that an avoided admission starts at, if its setting has room
};

class AdmissionAvoidanceLever final : public Lever {
 public:
  [[nodiscard]] const char* key() const override { return "admission_avoidance"; }

  [[nodiscard]] const char* schema() const override {
    return R"(      admission_avoidance:      # a share of arrivals start at `to` if its setting has room
        {use: false, eligible_share: 0.15, uptake: 1, to: STEP}
)";
  }

  [[nodiscard]] std::unique_ptr<LeverSettings> parse(const LeverInput& in) const override {
    in.expect_keys({"use", "eligible_share", "uptake", "to"});
    auto a = std::make_unique<AdmissionAvoidance>();
    read_lever_state(in, *a, "a share of arrivals", "a share of arrivals");
    a->to = in.text("to", "a step name of this cohort's pathway", "a step name");
    return a;
  }

  void check_steps(const Cohort& cohort, const LeverSettings& settings,
                   const LeverInput& in) const override {
    const Step& to = require_step(cohort, in, "to", settings_as<AdmissionAvoidance>(settings).to);
    if (to.name == cohort.start) {
      in.fail("to", "an avoided admission must start somewhere other than the start step");
    }
  }

  [[nodiscard]] std::vector<std::pair<std::string, std::string>> edges(
      const Cohort& cohort, const LeverSettings& settings) const override {
    return {{cohort.start, settings_as<AdmissionAvoidance>(settings).to}};
  }

  [[nodiscard]] bool absorbs_spare_capacity() const override { return true; }

  [[nodiscard]] std::string team_setting(const Cohort& cohort,
                                         const LeverSettings& settings) const override {
    const Step* to = step_named(cohort, settings_as<AdmissionAvoidance>(settings).to);
    return to ? to->setting : std::string();
  }

  void shape(const LeverSettings& settings, CohortNetwork& network) const override {
    const auto& a = settings_as<AdmissionAvoidance>(settings);
    const std::int32_t to = network.steps.at(a.to);
    const std::int32_t start = network.steps.at(network.cohort.start);
    network.spec.arrivals[network.stream].first_routes = {
        sim::Route{to, a.share(), std::nullopt}, sim::Route{start, 1.0 - a.share(), std::nullopt}};
    network.spec_step(a.to).overflow = start;  // the team is full: hospital as usual
  }

  [[nodiscard]] std::vector<LeverCounter> counters() const override {
    return {{"admissions_avoided_per_year", "patients/year"}};
  }

  void count(const LeverSettings& settings, const CohortCounts& cohort,
             std::span<double> totals) const override {
    totals[0] += cohort.starts_at(settings_as<AdmissionAvoidance>(settings).to);
  }

  [[nodiscard]] std::string describe(const LeverSettings& settings) const override {
    return fmt::format(
        "    admission avoidance ({}): arrivals start at '{}' if its setting has room\n",
        lever_state(settings), settings_as<AdmissionAvoidance>(settings).to);
  }
};

}  // namespace

const Lever& admission_avoidance_lever() {
  static const AdmissionAvoidanceLever lever;
  return lever;
}

}  // namespace tcsim::models
