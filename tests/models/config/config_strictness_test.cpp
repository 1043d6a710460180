// Readers accept only what they document (issue 12, points 6 and 10): one YAML document of
// UTF-8 text; names of printable UTF-8; empirical CSV fields that are whole numbers; metric
// patterns that select something; a missing baseline model named at its line; paths confined
// to the naming file's folder on request; messages that never carry a file's raw content.

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "tcsim/models/config/config_node.hpp"
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

/// A one-setting scenario whose stay is `duration` (a flow mapping); the duration is on line 9.
std::string scenario(const std::string& duration) {
  return "name: strict\nrun: {horizon: 100}\nsettings:\n  ward: {kind: beds, capacity: 10}\n"
         "cohorts:\n  patients:\n    arrivals: {rate_per_day: 1}\n    pathway:\n"
         "      steps: {stay: {setting: ward, next: exit, duration: " +
         duration + "}}\n";
}

/// The scenario with its empirical stays read from `csv`, both written to `dir`.
Scenario load_with_csv(const test::TempDir& dir, const std::string& csv) {
  dir.write("stays.csv", csv);
  return load_scenario(dir.write("s.yaml", scenario("{distribution: empirical, file: stays.csv}")));
}

}  // namespace

TEST_CASE("a second YAML document is an error at the line that starts it", "[strict][yaml]") {
  const std::string text = scenario("{distribution: exponential, mean: 2}");
  CHECK_NOTHROW(parse_scenario("---\n" + text + "...\n", "one.yaml"));
  REQUIRE_THROWS_WITH(parse_scenario(text + "---\nname: other\n", "two.yaml"),
                      Contains("two.yaml:10:") && Contains("a second YAML document ('---')"));
  REQUIRE_THROWS_WITH(parse_scenario("---\n" + text + "---\n", "empty2.yaml"),
                      Contains("empty2.yaml:11:") && Contains("second YAML document"));
  REQUIRE_THROWS_WITH(parse_integration_models("models: {}\n---\nmodels: {}\n", "m.yaml"),
                      Contains("m.yaml:2:") && Contains("second YAML document"));
}

TEST_CASE("a stray comma is an error at its place, not an endless parse", "[strict][yaml]") {
  // yaml-cpp 0.7's LoadAll never returns on these (tests/fuzz/findings/): every reader must.
  REQUIRE_THROWS_WITH(parse_scenario("# c\n,\n", "comma.yaml"),
                      Contains("comma.yaml:2:1") && Contains("not part of the document"));
  REQUIRE_THROWS_WITH(parse_scenario(",p- #p- ", "p.yaml"), Contains("p.yaml:1:1"));
  REQUIRE_THROWS_AS(parse_integration_models(",", "m.yaml"), ConfigError);
  const test::TempDir dir("strict_comma");
  REQUIRE_THROWS_AS(load_national_config(dir.write("n.yaml", ",")), ConfigError);
  REQUIRE_THROWS_AS(load_experiment(dir.write("e.yaml", ","), kModels), ConfigError);
}

TEST_CASE("YAML input must be UTF-8 text, the error located and the bytes not shown",
          "[strict][yaml]") {
  REQUIRE_THROWS_WITH(parse_scenario("name: caf\xe9\n", "latin1.yaml"),
                      Contains("latin1.yaml:1:10") && Contains("not UTF-8 text"));
  // Overlong and surrogate encodings are not UTF-8 either.
  REQUIRE_THROWS_WITH(parse_scenario("name: a\xc0\xaf\n", "o.yaml"), Contains("o.yaml:1:8"));
  REQUIRE_THROWS_WITH(parse_scenario("name: a\xed\xa0\x80\n", "s.yaml"), Contains("s.yaml:1:8"));
  REQUIRE_THROWS_WITH(parse_scenario(std::string("name: a\0b\n", 10), "nul.yaml"),
                      Contains("nul.yaml:1:8") && Contains("control character (byte 0x00)"));
  // Multi-byte UTF-8 is fine.
  const Scenario s = parse_scenario("name: café ☕\n" + scenario("{distribution: exponential, "
                                                                "mean: 2}")
                                                           .substr(13),
                                    "utf8.yaml");
  CHECK(s.name == "café ☕");
}

TEST_CASE("names must be printable UTF-8, wherever they come from", "[strict][names]") {
  const std::string text = scenario("{distribution: exponential, mean: 2}");
  REQUIRE_THROWS_WITH(parse_scenario(text, "n.yaml", {{"name", "bad\xff"}}),
                      Contains("--set") && Contains("'name'") && Contains("not valid UTF-8") &&
                          Contains("found 'bad\\xff'"));
  REQUIRE_THROWS_WITH(parse_scenario(text, "n.yaml", {{"name", "a\x1b[2Jb"}}),
                      Contains("control character") && Contains("a\\x1b[2Jb"));
  std::string quoted_key = text;
  quoted_key.replace(quoted_key.find("  ward:"), 7, R"(  "ward\r":)");
  REQUIRE_THROWS_WITH(parse_scenario(quoted_key, "k.yaml"),
                      Contains("k.yaml:4:3") && Contains("'settings.ward\\x0d'") &&
                          Contains("expected a name of printable UTF-8 text"));
}

TEST_CASE("no message carries a control character, whatever the reader quotes",
          "[strict][untrusted]") {
  const std::string text = scenario("{distribution: exponential, mean: 2}");
  try {
    (void)parse_scenario(text, "c.yaml", {{"settings.ward.kind", "be\x1b[31mds"}});
    FAIL("accepted");
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Contains("'be\\x1b[31mds'"));
    CHECK(message.find('\x1b') == std::string::npos);
  }
}

TEST_CASE("a problem inside a national config's template names the template's place",
          "[strict][national]") {
  const test::TempDir dir("strict_template");
  dir.write("area.yaml", "name: a\nrun: {seed: -1}\n");
  REQUIRE_THROWS_WITH(
      load_national_config(dir.write(
          "n.yaml",
          "name: n\narea: area.yaml\ntemplate_population: 1000\nengland: {population: 1000, "
          "areas: 1}\narchetypes:\n  one: {count: 1, population: 1000}\nsavings: "
          "{productivity_gain: 0.1}\n")),
      Contains("n.yaml:6:8") && Contains("'archetypes.one'") && Contains("in the template") &&
          Contains("area.yaml:2:13") && Contains("'run.seed'"));
}

TEST_CASE("printable and invalid_utf8_at", "[strict][names]") {
  CHECK(printable("plain text") == "plain text");
  CHECK(printable("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(printable("\xc2\x9b") == "\\xc2\\x9b");  // C1 control (CSI)
  CHECK(printable("é\xff") == "é\\xff");
  CHECK(printable(std::string(100, 'x'), 10) == std::string(10, 'x') + "...");
  CHECK(invalid_utf8_at("ascii é ☕ 𝄞") == std::string_view::npos);
  CHECK(invalid_utf8_at("ab\x80") == 2);
  CHECK(invalid_utf8_at("\xe2\x98") == 0);          // cut short
  CHECK(invalid_utf8_at("\xf4\x90\x80\x80") == 0);  // above U+10FFFF
}

TEST_CASE("the empirical CSV takes whole-field numbers only", "[strict][csv]") {
  const test::TempDir dir("strict_csv");
  const auto rejects = [&](const std::string& csv, const std::string& line,
                           const std::string& what) {
    INFO(csv);
    REQUIRE_THROWS_WITH(load_with_csv(dir, csv),
                        Contains("s.yaml:9:") && Contains("duration.file") &&
                            Contains("stays.csv:" + line + ": ") && Contains(what));
  };
  rejects("days\n2\n4abc\n", "3", "expected a duration in days (a number), found '4abc'");
  rejects("1e3x\n2\n", "1", "expected a duration in days (a number)");
  rejects("1,1\n2,2x\n", "2", "expected a weight (a number), found '2x'");
  rejects("1,1\n2,1,0\n", "2", "3 fields: expected a value, or value,weight");
  rejects("1,1\n2\n", "2", "give a weight on every line or on none");
  rejects("1\ninf\n", "2", "expected a duration in days (a number), found 'inf'");
  rejects("1,weight\n2,1\n", "1", "expected a weight (a number)");
  rejects("0x10\n", "1", "expected a duration in days (a number)");
  rejects("1\n-2\n", "2", "a duration of -2 days: expected >= 0");
  rejects("1,1\n2,-1\n", "2", "a weight of -1: expected >= 0");
  // What the format allows: a header naming the columns, comments, blanks, CRLF, '+'.
  const Scenario s = load_with_csv(dir, "# stays\r\ndays,weight\r\n 2 ,1\r\n\r\n+4, 3\r\n");
  CHECK(s.cohorts[0].steps[0].duration.mean() == Approx((2.0 + 12.0) / 4.0));
  // A numeric first row is data, not a header.
  CHECK(load_with_csv(dir, "10\n20\n").cohorts[0].steps[0].duration.mean() == Approx(15.0));
}

TEST_CASE("a CSV that is not a CSV of numbers is never quoted", "[strict][csv][untrusted]") {
  const test::TempDir dir("strict_csv_quote");
  // Password-file-like: the first line passes as a header, the second is refused unshown.
  try {
    (void)load_with_csv(dir, "root:x:0:0:root:/root:/bin/bash\nsecret:x:1:1::/:/bin/sh\n");
    FAIL("accepted");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Contains("stays.csv:2: expected a duration in days"));
    CHECK_THAT(e.what(), !Contains("secret") && !Contains("root") && !Contains("found"));
  }
  // Once numbers were read, a short plain field is shown; a long or odd one is not.
  CHECK_THROWS_WITH(load_with_csv(dir, "1\n2\nx9\n"), Contains("found 'x9'"));
  CHECK_THROWS_WITH(load_with_csv(dir, "1\n" + std::string(40, 'y') + "\n"),
                    !Contains("yyyy") && Contains("stays.csv:2:"));
  CHECK_THROWS_WITH(load_with_csv(dir, "1\npass=word\n"), !Contains("word"));
}

TEST_CASE("a YAML file that is not a tcsim input is not quoted", "[strict][untrusted]") {
  REQUIRE_THROWS_WITH(parse_scenario("root:x:0:0:root:/root:/bin/bash\nbin:x:2:2\n", "p.yaml"),
                      Contains("found a single text") && !Contains("root") && !Contains("bin"));
  REQUIRE_THROWS_WITH(parse_scenario("token: s3cr3t\nuser: admin\n", "f.yaml"),
                      Contains("f.yaml:1:1") && Contains("none of the keys at the top") &&
                          !Contains("s3cr3t") && !Contains("token") && !Contains("admin"));
  // yaml-cpp's appended snippet ("unknown escape character: q") is left out.
  REQUIRE_THROWS_WITH(
      parse_scenario("name: \"a\\qb\"\n", "e.yaml"),
      Contains("e.yaml:1:") && Contains("unknown escape character") && !Contains(": q"));
  // A quoted value is sanitised and cut short.
  REQUIRE_THROWS_WITH(
      parse_scenario(scenario("{distribution: exponential, mean: " + std::string(200, 'z') + "}"),
                     "z.yaml"),
      Contains("found 'zzzz") && Contains("...'") && !Contains(std::string(61, 'z')));
}

TEST_CASE("with confine, a named file must stay in the naming file's folder",
          "[strict][untrusted]") {
  const test::TempDir dir("strict_confine");
  const std::filesystem::path inner = dir.path() / "inner";
  std::filesystem::create_directories(inner / "sub");
  const std::string file = (inner / "s.yaml").string();
  const ConfigLocation at{file, 9, 5, "x.file"};
  const InputOptions open{false};
  const InputOptions confined{true};
  // Resolved against the folder of the naming file, confined or not.
  CHECK(resolve_named_file("sub/a.csv", file, at, open) == (inner / "sub/a.csv").string());
  CHECK(resolve_named_file("sub/a.csv", file, at, confined) == (inner / "sub/a.csv").string());
  CHECK(resolve_named_file("../out.csv", file, at, open) == (dir.path() / "out.csv").string());
  REQUIRE_THROWS_WITH(resolve_named_file("../out.csv", file, at, confined),
                      Contains("s.yaml:9:5") && Contains("'x.file'") &&
                          Contains("'../out.csv' is outside the folder of"));
  REQUIRE_THROWS_WITH(resolve_named_file("/etc/passwd", file, at, confined),
                      Contains("outside the folder"));
  // A symlink inside the folder to a file outside it leaves the folder.
  dir.write("outside.csv", "1\n");
  std::filesystem::create_symlink(dir.path() / "outside.csv", inner / "link.csv");
  CHECK_NOTHROW(resolve_named_file("link.csv", file, at, open));
  REQUIRE_THROWS_WITH(resolve_named_file("link.csv", file, at, confined),
                      Contains("'link.csv' is outside the folder"));
  // A symlinked folder that stays inside is fine.
  std::filesystem::create_directory_symlink(inner / "sub", inner / "alias");
  CHECK_NOTHROW(resolve_named_file("alias/a.csv", file, at, confined));
}

TEST_CASE("loaders pass confinement on to the files they name", "[strict][untrusted]") {
  const test::TempDir dir("strict_confine_loaders");
  const std::filesystem::path inner = dir.path() / "inner";
  std::filesystem::create_directories(inner);
  dir.write("stays.csv", "1\n2\n");
  const std::string s = (inner / "s.yaml").string();
  { std::ofstream(s) << scenario("{distribution: empirical, file: ../stays.csv}"); }
  CHECK_NOTHROW(load_scenario(s));
  REQUIRE_THROWS_WITH(load_scenario(s, {}, InputOptions{true}),
                      Contains("s.yaml:9:") && Contains("outside the folder"));
  // An experiment's scenario inside its folder, whose CSV is outside the scenario's folder.
  const std::string e = (inner / "e.yaml").string();
  { std::ofstream(e) << "name: e\nscenario: s.yaml\nreplications: 1\nseed: 1\noutput: x.h5\n"; }
  CHECK_NOTHROW(load_experiment(e, kModels));
  REQUIRE_THROWS_WITH(load_experiment(e, kModels, InputOptions{true}),
                      Contains("outside the folder"));
  // A national config's area: outside its folder.
  const std::string n = (inner / "n.yaml").string();
  { std::ofstream(n) << "name: n\narea: ../area.yaml\n"; }
  REQUIRE_THROWS_WITH(load_national_config(n, InputOptions{true}),
                      Contains("n.yaml:2:7") && Contains("'area'") && Contains("outside"));
}

TEST_CASE("metrics: patterns must select a metric of some design point", "[strict][experiment]") {
  const test::TempDir dir("strict_metrics");
  const auto load = [&](const std::string& metrics) {
    return load_experiment(
        dir.write("e.yaml", "name: m\nscenario: " + kSource +
                                "/configs/reference/acute_community.yaml\nreplications: 1\n"
                                "seed: 1\noutput: x.h5\nmetrics: " +
                                metrics + "\n"),
        kModels);
  };
  CHECK(load("[system.throughput, acute.*, '*.mean_wait']").metrics.size() == 3);
  REQUIRE_THROWS_WITH(load("[system.throughput, acute.mean_wiat]"),
                      Contains("e.yaml:6:30") && Contains("'metrics[1]'") &&
                          Contains("'acute.mean_wiat' matches no metric") &&
                          Contains("did you mean 'acute.mean_wait'"));
  // Costs exist only for a scenario with costs or a model: not here.
  REQUIRE_THROWS_WITH(load("[area.cost_per_year]"), Contains("matches no metric"));
  // Under an integration model the area's costs exist.
  const Experiment with_models = load_experiment(
      dir.write("e2.yaml", "name: m\nscenario: " + kSource +
                               "/configs/examples/area.yaml\nmodels: [direct_provision]\n"
                               "replications: 1\nseed: 1\noutput: x.h5\n"
                               "metrics: [area.cost_per_year]\n"),
      kModels);
  CHECK(with_models.metrics.size() == 1);
}

TEST_CASE("a models file without the baseline is named at its models: line", "[strict][models]") {
  const IntegrationModels set = parse_integration_models(
      "# comment\ncontract: {overhead_allowance: 0.1}\nmodels:\n  only:\n    organisations:\n"
      "      trust: {kind: acute_trust}\n    services: {acute_beds: trust}\n"
      "    interfaces: {processes_reformed: false}\n",
      "m.yaml");
  REQUIRE_THROWS_WITH(set.find(kBaselineModel),
                      Contains("m.yaml:3:1") && Contains("'models'") &&
                          Contains("no integration model 'direct_provision' (the baseline") &&
                          Contains("models: only"));
  REQUIRE_THROWS_WITH(set.find("onyl"), Contains("m.yaml:3:1") && Contains("did you mean 'only'"));
}

}  // namespace tcsim::models
