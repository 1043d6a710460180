// tcsim::models from outside: loads a scenario file (the installed reference M/M/c, given as
// the one argument) through the domain library, so the package's link interface - yaml-cpp,
// OpenSSL, HDF5 and the rest that a static tcsim_models needs - is proved complete by a link
// that uses it. Exits 0 if the scenario loads with its settings and cohorts, 1 otherwise.

#include <cstdio>
#include <exception>

#include <tcsim/models/config/scenario_loader.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: scenario_consumer SCENARIO.yaml\n");
    return 1;
  }
  try {
    const tcsim::models::Scenario scenario = tcsim::models::load_scenario(argv[1]);
    std::printf("%s: %zu settings, %zu cohorts\n", scenario.name.c_str(), scenario.settings.size(),
                scenario.cohorts.size());
    return scenario.settings.empty() || scenario.cohorts.empty() ? 1 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "scenario_consumer: %s\n", e.what());
    return 1;
  }
}
