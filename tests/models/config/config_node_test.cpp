// ConfigNode: typed reads that say where they failed and what was expected, unknown keys with
// "did you mean", overrides, and the source:/assumption: texts of a document.

#include <catch2/catch.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tcsim/models/config/config_node.hpp"

namespace tcsim::models {
namespace {

using Catch::Matchers::Contains;

const std::string kText = R"(name: toy
run:
  horizon: 365
  seed: 7
settings:
  ward:
    capacity: 12
    share: 0.25
    source: a made-up table, 2009
  team:
    capacity: unlimited
    assumption: a round number
list: [1, 2, 3]
)";

/// The ConfigError `read` throws (the test fails if it throws none).
ConfigError error_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("no ConfigError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("typed reads give values and their dotted paths", "[config_node]") {
  const ConfigNode root = ConfigNode::parse(kText, "toy.yaml");
  CHECK(root.at("name", "a name").text("a name") == "toy");
  const ConfigNode ward = root.at("settings", "settings").at("ward", "a setting");
  CHECK(ward.path() == "settings.ward");
  CHECK(ward.at("capacity", "places").positive_integer("places") == 12);
  CHECK(ward.at("share", "a share").probability("a share") == Approx(0.25));
  CHECK(root.at("settings", "").at("team", "").at("capacity", "").is_word("unlimited"));
  CHECK_FALSE(root.find("absent").has_value());
  // source: and assumption: document a map's numbers; they are not its entries.
  const auto entries = ward.entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].first == "capacity");
  CHECK(entries[1].first == "share");
  CHECK(root.at("list", "").items("numbers").size() == 3);
}

TEST_CASE("a bad value names file, line, key and what was expected", "[config_node]") {
  const ConfigNode root = ConfigNode::parse(kText, "toy.yaml");
  const ConfigNode run = root.at("run", "");
  const ConfigError e =
      error_of([&] { (void)run.at("horizon", "").probability("a probability (0 to 1)"); });
  CHECK(e.where().file == "toy.yaml");
  CHECK(e.where().line == 3);
  CHECK(e.where().key == "run.horizon");
  CHECK_THAT(e.problem(), Contains("a probability (0 to 1)"));

  const ConfigError missing = error_of([&] { (void)run.at("warmup", "a warm-up in days"); });
  CHECK(missing.where().key == "run");  // the map that lacks it
  CHECK_THAT(missing.problem(), Contains("missing key 'warmup'"));
  CHECK_THAT(missing.problem(), Contains("a warm-up in days"));

  const ConfigError fractional = error_of(
      [&] { (void)root.at("settings", "").at("ward", "").at("share", "").integer("whole"); });
  CHECK(fractional.where().line == 8);  // share: 0.25 is not a whole number
}

TEST_CASE("an unknown key is refused with the nearest allowed one", "[config_node]") {
  const ConfigNode run = ConfigNode::parse(kText, "toy.yaml").at("run", "");
  CHECK_NOTHROW(run.expect_keys({"horizon", "seed", "warmup"}));
  const ConfigError e = error_of([&] { run.expect_keys({"horizons", "seed"}); });
  CHECK(e.where().line == 3);
  CHECK_THAT(e.problem(), Contains("horizons"));  // did you mean
}

TEST_CASE("overrides stand in for values, and one never read is an error", "[config_node]") {
  const ConfigNode root =
      ConfigNode::parse(kText, "toy.yaml", {{"run.seed", "11"}, {"run.warmup", "30"}});
  const ConfigNode run = root.at("run", "");
  CHECK(run.at("seed", "").integer("a seed") == 11);
  CHECK(run.at("warmup", "").number("days") == Approx(30.0));  // a key the file lacks
  CHECK_NOTHROW(root.check_overrides_used());

  const ConfigNode unused = ConfigNode::parse(kText, "toy.yaml", {{"run.sede", "11"}});
  (void)unused.at("run", "").at("seed", "").integer("a seed");
  const ConfigError e = error_of([&] { unused.check_overrides_used(); });
  CHECK_THAT(e.what(), Contains("run.sede"));
}

TEST_CASE("source: and assumption: texts are collected with their paths", "[config_node]") {
  const ConfigNode root = ConfigNode::parse(kText, "toy.yaml");
  std::vector<std::pair<std::string, std::string>> found;
  root.collect_provenance(found);
  REQUIRE(found.size() == 2);
  CHECK(found[0] ==
        std::make_pair(std::string("settings.ward"), std::string("source: a made-up table, 2009")));
  CHECK(found[1] ==
        std::make_pair(std::string("settings.team"), std::string("assumption: a round number")));
}

TEST_CASE("text that is not one YAML mapping is refused at its line", "[config_node]") {
  const ConfigError syntax =
      error_of([] { (void)ConfigNode::parse("a: [1, 2\nb: 3\n", "x.yaml"); });
  CHECK(syntax.where().file == "x.yaml");
  CHECK(syntax.where().line >= 1);
  CHECK_THROWS_AS(ConfigNode::parse("- 1\n- 2\n", "list.yaml"), ConfigError);
  CHECK_THROWS_AS(ConfigNode::parse("a: 1\n---\nb: 2\n", "two.yaml"), ConfigError);
}

}  // namespace tcsim::models
