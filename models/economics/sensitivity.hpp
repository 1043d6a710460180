#pragma once
// Uncertainty in the savings from uncertain inputs (the national config's `uncertain:`):
//   probabilistic sensitivity analysis - N draws of every input by Latin hypercube sampling,
//     the whole savings analysis per draw; each row's saving as mean, 95% CI and 5th-95th
//     percentile range over the draws;
//   tornado - each input alone at its 5th and 95th percentile, the others at their central
//     values; the inputs ranked by how far they move the baseline model's savings.

#include <cstdint>
#include <string>
#include <vector>

#include "tcsim/models/economics/savings.hpp"

namespace tcsim::models {

struct PsaRow {
  std::string model;
  std::string policy;
  std::vector<double> savings;  // one per draw: the mean saving across replications
};

struct PsaReport {
  std::vector<std::string> inputs;
  std::vector<std::vector<double>> draws;  // draws[j][i]: input i in draw j
  std::vector<PsaRow> rows;
  double wall_seconds = 0.0;
};

struct TornadoBar {
  std::string input;
  double low_value = 0.0;
  double high_value = 0.0;
  double release_at_low = 0.0, release_at_high = 0.0;  // the baseline model's savings, GBP
  double absorb_at_low = 0.0, absorb_at_high = 0.0;
  [[nodiscard]] double swing() const;  // the larger of the two policies' ranges
};

struct TornadoReport {
  double release_central = 0.0;
  double absorb_central = 0.0;
  std::vector<TornadoBar> bars;  // largest swing first
};

/// The value below which `share` of `v` lies, interpolating linearly between order statistics
/// (NaN for no values).
[[nodiscard]] double percentile(std::vector<double> v, double share);

/// The value below which `share` of the distribution lies, from 20,000 seeded draws (exact
/// enough for sensitivity ranges, and the same for every distribution kind).
[[nodiscard]] double distribution_quantile(const sim::Distribution& d, double share);

[[nodiscard]] PsaReport run_psa(const NationalConfig& config, const IntegrationModels& models,
                                const SavingsOptions& options, std::size_t draws,
                                std::uint64_t seed);

[[nodiscard]] TornadoReport run_tornado(const NationalConfig& config,
                                        const IntegrationModels& models,
                                        const SavingsOptions& options);

}  // namespace tcsim::models
