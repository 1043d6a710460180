// Input files and sizes (models/config/input_file.hpp): every reader takes only a regular file of
// bounded size - a device, a FIFO or a folder is a ConfigError at once, not a hang or an
// allocation without end - and the sizes a user asks for (replications, design points, daily
// series) are refused before anything is allocated, naming the key that asked.

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/config/scenario_loader.hpp"
#include "tcsim/models/experiments/experiment.hpp"
#include "tcsim/models/policy/integration_model.hpp"
#include "tcsim/models/policy/national_config.hpp"
#include "tcsim/models/scenario/config_error.hpp"

namespace tcsim::models {
namespace {

using Catch::Matchers::Contains;

const std::string kSource = TCSIM_SOURCE_DIR;
const std::string kModels = kSource + "/configs/integration_models.yaml";
const std::string kArea = kSource + "/configs/reference/acute_community.yaml";

const ConfigLocation kCommandLine{"given.yaml", 0, 0, ""};

/// A FIFO with no writer: opening it for reading the usual way would wait forever.
std::string make_fifo(const test::TempDir& dir) {
  std::string path = (dir.path() / "pipe.yaml").string();
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  return path;
}

std::string experiment(const test::TempDir& dir, const std::string& body) {
  return dir.write("experiment.yaml",
                   "name: test\nscenario: " + kArea + "\nseed: 7\noutput: out.h5\n" + body);
}

}  // namespace

TEST_CASE("read_input_file returns a regular file's bytes", "[input]") {
  const test::TempDir dir("input_regular");
  const std::string path = dir.write("a.yaml", std::string("name: x\n\0tail", 13));
  CHECK(read_input_file(path, kCommandLine, "a scenario file") ==
        std::string("name: x\n\0tail", 13));
  CHECK(read_input_file(dir.write("empty.yaml", ""), kCommandLine, "a scenario file").empty());
}

TEST_CASE("a device, a FIFO and a folder are refused at once, saying what they are", "[input]") {
  const test::TempDir dir("input_special");
  const auto start = std::chrono::steady_clock::now();
  REQUIRE_THROWS_WITH(read_input_file("/dev/zero", kCommandLine, "a scenario file"),
                      Contains("given.yaml") && Contains("'/dev/zero' is a character device") &&
                          Contains("not a scenario file"));
  REQUIRE_THROWS_WITH(read_input_file(make_fifo(dir), kCommandLine, "a scenario file"),
                      Contains("is a FIFO (named pipe), not a scenario file"));
  REQUIRE_THROWS_WITH(read_input_file(dir.path().string(), kCommandLine, "a scenario file"),
                      Contains("is a folder, not a scenario file"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("a missing file names itself and the reason", "[input]") {
  const ConfigLocation self{"/nonexistent/x.yaml", 0, 0, ""};
  REQUIRE_THROWS_WITH(read_input_file("/nonexistent/x.yaml", self, "a scenario file"),
                      Contains("/nonexistent/x.yaml: cannot open the file for reading") &&
                          Contains("No such file"));
}

TEST_CASE("a file over the limit is refused with its size and the limit", "[input]") {
  const test::TempDir dir("input_large");
  const std::string at_limit = dir.write("limit.yaml", std::string(kMaxYamlBytes, '#'));
  CHECK(read_input_file(at_limit, kCommandLine, "a scenario file").size() == kMaxYamlBytes);
  const std::string over = dir.write("over.yaml", std::string(kMaxYamlBytes + 1, '#'));
  REQUIRE_THROWS_WITH(read_input_file(over, kCommandLine, "a scenario file"),
                      Contains("has 1048577 bytes") && Contains("at most 1 MiB"));
  // The CSV limit is larger.
  CHECK(read_input_file(over, kCommandLine, "a CSV", kMaxCsvBytes).size() == kMaxYamlBytes + 1);
}

TEST_CASE("every reader refuses a device and a FIFO", "[input]") {
  const test::TempDir dir("input_readers");
  const std::string fifo = make_fifo(dir);
  for (const std::string& path : {std::string("/dev/zero"), fifo}) {
    INFO(path);
    REQUIRE_THROWS_AS(load_scenario(path), ConfigError);
    REQUIRE_THROWS_AS(load_experiment(path, kModels), ConfigError);
    REQUIRE_THROWS_AS(load_national_config(path), ConfigError);
    REQUIRE_THROWS_AS(load_integration_models(path), ConfigError);
  }
}

TEST_CASE("files named inside inputs are read the same way, located where they are named",
          "[input]") {
  const test::TempDir dir("input_named");
  REQUIRE_THROWS_WITH(load_experiment(dir.write("e.yaml",
                                                "name: e\nscenario: /dev/zero\n"
                                                "replications: 1\nseed: 1\noutput: x.h5\n"),
                                      kModels),
                      Contains("e.yaml:2:11") && Contains("'scenario'") &&
                          Contains("'/dev/zero' is a character device"));
  REQUIRE_THROWS_WITH(load_experiment(experiment(dir,
                                                 "models: all\nmodels_file: /dev/zero\n"
                                                 "replications: 1\n"),
                                      kModels),
                      Contains("experiment.yaml:6:14") && Contains("'models_file'") &&
                          Contains("character device"));
  REQUIRE_THROWS_WITH(load_national_config(dir.write("n.yaml", "name: n\narea: /dev/zero\n")),
                      Contains("n.yaml:2:7") && Contains("'area'") && Contains("character device"));
  REQUIRE_THROWS_WITH(
      parse_scenario("name: x\nsettings:\n  s: {kind: beds, capacity: 1}\ncohorts:\n  c:\n"
                     "    arrivals: {rate_per_day: 0.1}\n    pathway:\n      steps:\n"
                     "        a: {setting: s, duration: {distribution: empirical, file: /dev/zero},"
                     " next: exit}\n",
                     (dir.path() / "s.yaml").string()),
      Contains("s.yaml:9:") && Contains("duration.file") && Contains("character device"));
}

TEST_CASE("replications above the limit are refused at their key", "[input][limits]") {
  const std::string scenario =
      "name: x\nrun: {replications: 100001}\nsettings:\n  s: {kind: beds, capacity: 1}\n"
      "cohorts:\n  c:\n    arrivals: {rate_per_day: 0.1}\n    pathway:\n      steps:\n"
      "        a: {setting: s, duration: {distribution: exponential, mean: 1}, next: exit}\n";
  REQUIRE_THROWS_WITH(parse_scenario(scenario, "r.yaml"), Contains("r.yaml:2:21") &&
                                                              Contains("run.replications") &&
                                                              Contains("at most 100000"));
  const test::TempDir dir("input_reps");
  REQUIRE_THROWS_WITH(
      load_experiment(experiment(dir, "replications: 1e12\n"), kModels),
      Contains("experiment.yaml:5:15") && Contains("'replications'") && Contains("at most 100000"));
}

TEST_CASE("design points above the limit are refused before the design is built",
          "[input][limits]") {
  const test::TempDir dir("input_points");
  REQUIRE_THROWS_WITH(
      load_experiment(experiment(dir,
                                 "design: lhs\npoints: 1e12\nfactors:\n"
                                 "  run.horizon: {range: [100, 200]}\nreplications: 1\n"),
                      kModels),
      Contains("experiment.yaml:6:9") && Contains("'points'") && Contains("at most 100000"));
  // 400 x 400 levels = 160,000 combinations: refused at factors: without making them.
  std::string levels = "[";
  for (int i = 0; i < 400; ++i)
    levels += (i ? ", " : "") + std::to_string(100 + i);
  levels += "]";
  const auto start = std::chrono::steady_clock::now();
  REQUIRE_THROWS_WITH(
      load_experiment(
          experiment(dir, "factors:\n  run.horizon: {levels: " + levels +
                              "}\n  run.warmup: {levels: " + levels + "}\nreplications: 1\n"),
          kModels),
      Contains("experiment.yaml:5") && Contains("'factors'") && Contains("160000 design points") &&
          Contains("at most 100000"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("a daily series larger than the limit is refused at run.horizon", "[input][limits]") {
  const Scenario s = parse_scenario(
      "name: x\nrun:\n  horizon: 2e7\n  replications: 2\nsettings:\n  s: {kind: beds, "
      "capacity: 1}\ncohorts:\n  c:\n    arrivals: {rate_per_day: 0.1}\n    pathway:\n"
      "      steps:\n        a: {setting: s, duration: {distribution: exponential, mean: 1}, "
      "next: exit}\n",
      "d.yaml");
  CHECK_NOTHROW(check_daily_series_size(s, 1));
  REQUIRE_THROWS_WITH(check_daily_series_size(s, 2), Contains("d.yaml:3:12") &&
                                                         Contains("'run.horizon'") &&
                                                         Contains("40000000 values"));
}

TEST_CASE("an experiment's daily series larger than the limit is refused at time_series",
          "[input][limits]") {
  const test::TempDir dir("input_time_series");
  const std::string body = "factors:\n  run.horizon: {levels: [2000000]}\nreplications: 5\n";
  // 2e6 days x 3 settings x 5 replications = 3e7: within the limit without time series too.
  CHECK_NOTHROW(load_experiment(experiment(dir, body + "time_series: true\n"), kModels));
  REQUIRE_THROWS_WITH(load_experiment(experiment(dir,
                                                 "factors:\n  run.horizon: {levels: [2000000]}\n"
                                                 "replications: 6\ntime_series: true\n"),
                                      kModels),
                      Contains("experiment.yaml:8:14") && Contains("'time_series'") &&
                          Contains("36000000 values") && Contains("more than the limit"));
  CHECK_NOTHROW(load_experiment(
      experiment(dir, "factors:\n  run.horizon: {levels: [2000000]}\nreplications: 6\n"), kModels));
}

TEST_CASE("patients at day 0 beyond run.max_patients are refused when read", "[input][limits]") {
  const std::string text =
      "name: x\nrun: {horizon: 10, max_patients: 100}\nsettings:\n  s: {kind: beds, capacity: "
      "unlimited}\ncohorts:\n  c:\n    arrivals: {rate_per_day: 0.1}\n    pathway:\n      steps:\n"
      "        a:\n          setting: s\n          duration: {distribution: exponential, mean: 1}\n"
      "          initial: {in_place: 60, waiting: INITIAL}\n          next: exit\n";
  const auto with = [&](const std::string& waiting) {
    std::string t = text;
    return t.replace(t.find("INITIAL"), 7, waiting);
  };
  CHECK_NOTHROW(parse_scenario(with("40"), "p.yaml"));
  REQUIRE_THROWS_WITH(
      parse_scenario(with("41"), "p.yaml"),
      Contains("p.yaml:13:31") && Contains("'cohorts.c.pathway.steps.a.initial.in_place'") &&
          Contains("101 patients would be present at day 0") && Contains("run.max_patients (100)"));
  // Ten million and one at the default limit: refused without allocating them.
  REQUIRE_THROWS_WITH(
      parse_scenario(with("10000000"), "p.yaml", {{"run.max_patients", "10000000"}}),
      Contains("10000060 patients"));
}

}  // namespace tcsim::models
