#include "tcsim/models/config/reform_config.hpp"

#include <fmt/format.h>

#include "tcsim/models/config/distribution_config.hpp"
#include "tcsim/models/network/lever.hpp"

namespace tcsim::models {
namespace {

/// A lever's YAML mapping as the lever reads it: every read and complaint located.
class ConfigLeverInput final : public LeverInput {
 public:
  explicit ConfigLeverInput(ConfigNode node) : node_(std::move(node)) {}

  void expect_keys(std::initializer_list<std::string_view> allowed) const override {
    node_.expect_keys(allowed);
  }
  [[nodiscard]] bool flag(std::string_view key) const override {
    if (auto value = node_.find(key)) {
      if (value->is_word("true")) return true;
      if (value->is_word("false")) return false;
      value->fail(fmt::format("expected true or false, found '{}'", value->text("true or false")));
    }
    return false;
  }
  [[nodiscard]] double share(std::string_view key, std::string_view missing,
                             std::string_view expected) const override {
    return node_.at(key, missing).probability(expected);
  }
  [[nodiscard]] std::optional<double> optional_share(std::string_view key,
                                                     std::string_view expected) const override {
    if (auto value = node_.find(key)) return value->probability(expected);
    return std::nullopt;
  }
  [[nodiscard]] std::string text(std::string_view key, std::string_view missing,
                                 std::string_view expected) const override {
    return node_.at(key, missing).text(expected);
  }
  [[nodiscard]] std::vector<std::string> texts(std::string_view key, std::string_view missing,
                                               std::string_view expected) const override {
    std::vector<std::string> out;
    for (const ConfigNode& item : node_.at(key, missing).items(missing))
      out.push_back(item.text(expected));
    return out;
  }
  [[nodiscard]] sim::Distribution distribution(std::string_view key,
                                               std::string_view missing) const override {
    return parse_distribution(node_.at(key, missing));
  }
  [[nodiscard]] std::optional<sim::Distribution> optional_distribution(
      std::string_view key) const override {
    if (auto value = node_.find(key)) return parse_distribution(*value);
    return std::nullopt;
  }
  [[noreturn]] void fail(std::string_view key, const std::string& problem) const override {
    node_.at(key, "").fail(problem);
  }
  [[noreturn]] void fail_item(std::string_view key, std::size_t index,
                              const std::string& problem) const override {
    node_.at(key, "").items("")[index].fail(problem);
  }

 private:
  ConfigNode node_;
};

}  // namespace

std::vector<std::string_view> lever_keys() {
  std::vector<std::string_view> keys;
  for (const Lever* lever : levers())
    keys.emplace_back(lever->key());
  return keys;
}

Reforms parse_reforms(const ConfigNode& node) {
  node.expect_keys(lever_keys());
  Reforms r;
  for (const Lever* lever : levers()) {
    if (auto n = node.find(lever->key())) r.set(lever->key(), lever->parse(ConfigLeverInput(*n)));
  }
  return r;
}

void check_reform_steps(const Cohort& cohort, const ConfigNode& reforms_node) {
  for (const Lever* lever : levers()) {
    if (const LeverSettings* settings = cohort.reforms.find(lever->key())) {
      lever->check_steps(cohort, *settings, ConfigLeverInput(reforms_node.at(lever->key(), "")));
    }
  }
}

void check_reform_settings(const Cohort& cohort, const std::vector<Setting>& settings,
                           const ConfigNode& reforms_node) {
  for (const Lever* lever : levers()) {
    if (const LeverSettings* s = cohort.reforms.find(lever->key())) {
      lever->check_settings(settings, *s, ConfigLeverInput(reforms_node.at(lever->key(), "")));
    }
  }
}

std::vector<std::pair<std::string, std::string>> reform_edges(const Cohort& cohort) {
  std::vector<std::pair<std::string, std::string>> edges;
  for (const Lever* lever : levers()) {
    if (const LeverSettings* settings = cohort.reforms.find(lever->key())) {
      for (auto& edge : lever->edges(cohort, *settings))
        edges.push_back(std::move(edge));
    }
  }
  return edges;
}

}  // namespace tcsim::models
