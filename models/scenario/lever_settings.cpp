#include "tcsim/models/scenario/lever_settings.hpp"

namespace tcsim::models {

Reforms::Reforms(const Reforms& other) {
  levers_.reserve(other.levers_.size());
  for (const auto& [key, settings] : other.levers_)
    levers_.emplace_back(key, settings->clone());
}

Reforms& Reforms::operator=(const Reforms& other) {
  if (this != &other) {
    Reforms copy(other);
    levers_ = std::move(copy.levers_);
  }
  return *this;
}

const LeverSettings* Reforms::find(std::string_view key) const {
  for (const auto& [name, settings] : levers_) {
    if (name == key) return settings.get();
  }
  return nullptr;
}

LeverSettings* Reforms::find(std::string_view key) {
  for (auto& [name, settings] : levers_) {
    if (name == key) return settings.get();
  }
  return nullptr;
}

void Reforms::set(std::string key, std::unique_ptr<LeverSettings> settings) {
  for (auto& [name, held] : levers_) {
    if (name == key) {
      held = std::move(settings);
      return;
    }
  }
  levers_.emplace_back(std::move(key), std::move(settings));
}

}  // namespace tcsim::models
