#pragma once
// A cohort's pathway-reform levers as plain values. What each lever is - its own settings, how
// it is read, checked, built into the network, counted and described - lives in one file per
// lever (network/levers/, behind network/lever.hpp); here is only what every lever shares and
// the cohort's collection of them, so that a scenario holds levers it does not know.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tcsim::models {

/// One lever's settings in one cohort. Each lever is off unless `use` (set in the area file
/// for a redesign, or by an integration model); `uptake` is the share of the eligible patients
/// a model actually diverts. A lever adds its own fields in a type derived from this one
/// (LeverSettingsOf below).
struct LeverSettings {
  LeverSettings() = default;
  LeverSettings(const LeverSettings&) = default;
  LeverSettings& operator=(const LeverSettings&) = default;
  LeverSettings(LeverSettings&&) = default;
  LeverSettings& operator=(LeverSettings&&) = default;
  virtual ~LeverSettings() = default;
  [[nodiscard]] virtual std::unique_ptr<LeverSettings> clone() const = 0;

  /// The share of the lever's patients it acts on: eligible x uptake.
  [[nodiscard]] double share() const { return eligible_share * uptake; }

  bool use = false;
  double eligible_share = 0.0;  // of the patients the lever looks at (arrivals, stays, moves)
  double uptake = 1.0;
};

/// The base of a lever's own settings type `Derived`, copied by clone().
template <class Derived>
struct LeverSettingsOf : LeverSettings {
  [[nodiscard]] std::unique_ptr<LeverSettings> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

/// The levers a cohort names under `reforms:`, by key (e.g. "admission_avoidance"). Copies
/// are deep: a transformed scenario never shares a lever with the one it came from.
class Reforms {
 public:
  Reforms() = default;
  Reforms(const Reforms& other);
  Reforms& operator=(const Reforms& other);
  Reforms(Reforms&&) noexcept = default;
  Reforms& operator=(Reforms&&) noexcept = default;
  ~Reforms() = default;

  /// The settings of lever `key`, or nullptr if the cohort does not name it.
  [[nodiscard]] const LeverSettings* find(std::string_view key) const;
  [[nodiscard]] LeverSettings* find(std::string_view key);
  /// Sets lever `key`'s settings, replacing any it had.
  void set(std::string key, std::unique_ptr<LeverSettings> settings);
  [[nodiscard]] bool empty() const noexcept { return levers_.empty(); }

 private:
  std::vector<std::pair<std::string, std::unique_ptr<LeverSettings>>> levers_;
};

}  // namespace tcsim::models
