// The results file's checksum header and what read_results_file refuses (docs/results-format.md):
// every changed, missing or added byte of a file tcsim wrote is caught before libhdf5 reads it,
// a file without the header is refused, and the refusals name the file and what is wrong.
// tests/cli/damaged_results_test.py does the same end to end, on many more offsets. And what a
// file holds: the rows sorted, metrics in first-seen order, NaN for gaps, a failed write leaving
// the old file.

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "tcsim/models/results/results_file.hpp"

namespace tcsim::models {
namespace {

using Catch::Contains;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A small results file of 2 design points x 2 replications, one task missing, with series.
std::string small_file(const test::TempDir& dir, const std::string& name = "r.h5") {
  ResultsMetadata meta;
  meta.tcsim_version = "tcsim test";
  meta.experiment_name = "checksum";
  meta.design_kind = "grid";
  meta.experiment_text = "name: checksum\n";
  meta.scenario_text = "scenario";
  meta.seed = 3;
  meta.replications = 2;
  meta.point_names = {"a", "b"};
  meta.point_models = {"", ""};
  meta.factor_names = {"run.horizon"};
  meta.factor_values = {{10.0, 20.0}};
  meta.settings = {"ward"};
  meta.services = {"acute_beds"};
  std::vector<TaskResult> tasks;
  for (const auto& [p, r] : {std::pair{0, 0}, {0, 1}, {1, 0}}) {
    TaskResult t;
    t.design_point = p;
    t.replication = r;
    t.metrics = {{"area", "cost_per_year", "GBP/year", 1000.0 + 10 * p + r}};
    t.days = 3;
    t.settings = 1;
    t.occupancy = {1.0, 2.0, 3.0};
    t.delayed = {0.0, 1.0, 0.0};
    tasks.push_back(t);
  }
  std::string path = (dir.path() / name).string();
  write_results_file(path, meta, tabulate(tasks, 1));
  return path;
}

TaskResult task(std::int64_t point, std::int64_t replication, double value) {
  TaskResult t;
  t.design_point = point;
  t.replication = replication;
  t.metrics.push_back(MetricValue{"area", "cost_per_year", "GBP/year", value});
  return t;
}

TEST_CASE("a results file starts with its checksum header and reads back",
          "[results_file][checksum]") {
  const test::TempDir dir("results_checksum");
  const std::string path = small_file(dir);
  const std::string bytes = read_bytes(path);
  REQUIRE(bytes.size() > 1024);
  // "TCSIM-RESULTS-CHECKSUM 1\ncrc32 XXXXXXXX\nbytes N\n", zeros to byte 512, then HDF5.
  CHECK(bytes.starts_with("TCSIM-RESULTS-CHECKSUM 1\ncrc32 "));
  CHECK(bytes.substr(39, 7 + std::to_string(bytes.size()).size() + 1) ==
        "\nbytes " + std::to_string(bytes.size()) + "\n");
  const std::size_t text_end = bytes.find('\0');
  CHECK(text_end < 512);
  CHECK(bytes.substr(text_end, 512 - text_end) == std::string(512 - text_end, '\0'));
  CHECK(bytes.compare(512, 8, "\x89HDF\r\n\x1a\n") == 0);

  std::string resealed = bytes;
  seal_results_image(resealed);  // the header is exactly what the contents call for
  CHECK(resealed == bytes);

  const ResultsFile file = read_results_file(path);
  CHECK(file.meta.point_names == std::vector<std::string>{"a", "b"});
  CHECK(file.table.rows() == 3);
  CHECK_FALSE(file.complete);
  CHECK(file.table.days == 3);
  CHECK(file.table.occupancy.size() == 9);
}

TEST_CASE("a changed, cut or longer results file is refused as damaged before libhdf5 reads it",
          "[results_file][checksum]") {
  const test::TempDir dir("results_damaged");
  const std::string bytes = read_bytes(small_file(dir));
  const auto refused = [&](const std::string& name, const std::string& content) {
    const std::string path = dir.write(name, content);
    try {
      (void)read_results_file(path);
    } catch (const ResultsFileError& e) {
      CHECK_THAT(e.what(), Contains("results file '" + path + "'"));
      return std::string(e.what());
    }
    FAIL("read_results_file accepted " << name);
    return std::string();
  };

  // One byte anywhere after the header: a metric value, HDF5's structures, the end.
  for (const std::size_t at :
       {std::size_t{512}, std::size_t{600}, bytes.size() / 2, bytes.size() - 1}) {
    std::string changed = bytes;
    changed[at] = static_cast<char>(changed[at] ^ 0x01);
    CHECK_THAT(refused("flip.h5", changed),
               Contains("damaged: the CRC-32 of bytes 512 to the end is"));
  }
  // The header itself: its numbers, its padding.
  for (const std::size_t at : {std::size_t{33}, std::size_t{47}, std::size_t{200}}) {
    std::string changed = bytes;
    changed[at] = static_cast<char>(changed[at] ^ 0x01);
    CHECK_THAT(refused("header.h5", changed), Contains("damaged"));
  }
  std::string magic = bytes;
  magic[3] = 'X';
  CHECK_THAT(refused("magic.h5", magic), Contains("not a results file"));
  CHECK_THAT(refused("cut.h5", bytes.substr(0, bytes.size() - 100)),
             Contains("damaged: it holds " + std::to_string(bytes.size() - 100) +
                      " bytes, but tcsim wrote " + std::to_string(bytes.size())));
  CHECK_THAT(refused("longer.h5", bytes + "x"), Contains("(cut short or added to)"));
  CHECK_THAT(refused("header_only.h5", bytes.substr(0, 300)), Contains("damaged"));
  CHECK_THAT(refused("empty.h5", ""), Contains("not a results file"));
  // Without the header: HDF5 from byte 0, as tcsim wrote it before the header.
  CHECK_THAT(refused("old.h5", bytes.substr(512)), Contains("HDF5 with no checksum header"));
}

TEST_CASE("what is not a regular file is refused without waiting", "[results_file][checksum]") {
  const test::TempDir dir("results_special");
  CHECK_THROWS_WITH(read_results_file(dir.path().string()), Contains("a folder"));
  CHECK_THROWS_WITH(read_results_file("/dev/zero"), Contains("not a regular file"));
  CHECK_THROWS_WITH(read_results_file((dir.path() / "missing.h5").string()),
                    Contains("cannot open it: No such file or directory"));
  CHECK_THROWS_AS(read_results_file("/dev/null"), ResultsFileError);
}

TEST_CASE("the results file holds the rows sorted, metrics in first-seen order, NaN for gaps",
          "[batch][results_file]") {
  TaskResult extra = task(0, 1, 3.0);
  extra.metrics.push_back(MetricValue{"acute", "mean_occupancy", "places", 40.0});
  const ResultsTable t = tabulate({task(1, 0, 5.0), extra, task(0, 0, 1.0), task(0, 0, 99.0)}, 0);
  REQUIRE(t.rows() == 3);  // the repeated (0, 0) keeps its first copy
  CHECK(t.design_point == std::vector<std::int64_t>{0, 0, 1});
  CHECK(t.replication == std::vector<std::int64_t>{0, 1, 0});
  REQUIRE(t.metrics.size() == 2);
  CHECK(t.metrics[0].values == std::vector<double>{1.0, 3.0, 5.0});
  CHECK(t.metrics[1].key() == "acute.mean_occupancy");
  CHECK(std::isnan(t.metrics[1].values[0]));
  CHECK(t.metrics[1].values[1] == 40.0);

  const test::TempDir dir("batch_h5");
  const std::string path = (dir.path() / "r.h5").string();
  ResultsMetadata meta;
  meta.tcsim_version = "tcsim test";
  meta.experiment_name = "round trip";
  meta.design_kind = "grid";
  meta.experiment_text = "name: round trip\n";
  meta.scenario_text = "scenario text";
  meta.seed = 18446744073709551615ull;
  meta.replications = 2;
  meta.point_names = {"a", "b"};
  meta.point_models = {"", ""};
  meta.factor_names = {"run.horizon"};
  meta.factor_values = {{100.0, 200.0}};
  write_results_file(path, meta, t);
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
  const ResultsFile back = read_results_file(path);
  CHECK_FALSE(back.complete);  // 3 of 4 tasks
  CHECK(back.meta.seed == meta.seed);
  CHECK(back.meta.experiment_text == meta.experiment_text);
  CHECK(back.meta.point_names == meta.point_names);
  CHECK(back.meta.factor_values == meta.factor_values);
  CHECK(back.table.design_point == t.design_point);
  REQUIRE(back.table.metrics.size() == 2);
  CHECK(back.table.metrics[0].key() == "area.cost_per_year");  // creation order kept
  CHECK(back.table.metrics[0].unit == "GBP/year");
  CHECK(back.table.metrics[0].values == t.metrics[0].values);

  // A failed write leaves the existing file as it was.
  meta.experiment_name = "second";
  const std::string blocked = (dir.path() / "r.h5.tmp").string();
  std::filesystem::create_directory(blocked);  // the temporary file cannot be created
  CHECK_THROWS_WITH(write_results_file(path, meta, t), Catch::Contains("r.h5.tmp"));
  CHECK(read_results_file(path).meta.experiment_name == "round trip");
}

}  // namespace
}  // namespace tcsim::models
