// Writes the binary seeds of the journal and results-file fuzz targets through tcsim's own
// writers (JournalWriter, encode_tasks, write_results_file), so that each seed is a real file of
// the current format: build/fuzz/bin/make_fuzz_corpus tests/fuzz/corpus (see README.md here).
// Existing files of the same names are replaced; nothing else is touched.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "tcsim/models/results/results_file.hpp"
#include "tcsim/models/results/results_journal.hpp"

namespace {

using tcsim::models::MetricValue;
using tcsim::models::TaskResult;
namespace fs = std::filesystem;

TaskResult task(std::int64_t point, std::int64_t replication, std::size_t days,
                std::size_t settings) {
  TaskResult t;
  t.design_point = point;
  t.replication = replication;
  const auto x = static_cast<double>(point * 10 + replication);
  t.metrics = {{"acute", "mean_occupancy", "patients", 40.5 + x},
               {"acute", "mean_wait", "days", 0.25 * x},
               {"area", "cost_per_year", "GBP/year", 1.2e6 + 1000 * x},
               {"system", "loss_probability", "", std::numeric_limits<double>::quiet_NaN()}};
  t.days = days;
  t.settings = settings;
  for (std::size_t i = 0; i < days * settings; ++i) {
    t.occupancy.push_back(10.0 + static_cast<double>(i) + x);
    t.delayed.push_back(static_cast<double>(i % 3));
  }
  return t;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
  std::cout << path.string() << ": " << bytes.size() << " bytes\n";
}

void journals(const fs::path& folder) {
  const std::string identity =
      "tcsim 0.1.0 (fuzz seed)\nseed 7\nexperiment\nname: seed\nreplications: 2\n";
  const fs::path scratch = folder / "scratch.journal";
  const auto journal = [&](const std::vector<TaskResult>& tasks) {
    fs::remove(scratch);
    {
      auto writer = tcsim::models::JournalWriter::create(scratch.string(), identity);
      if (!tasks.empty()) writer.append(tasks);
    }
    std::string bytes = read(scratch);
    fs::remove(scratch);
    return bytes;
  };
  write(folder / "valid_header_only.journal", journal({}));
  write(folder / "valid_two_tasks_no_series.journal",
        journal({task(0, 0, 0, 0), task(1, 0, 0, 0)}));
  const std::string series = journal({task(0, 0, 3, 2), task(0, 1, 3, 2), task(1, 1, 3, 2)});
  write(folder / "valid_three_tasks_with_series.journal", series);
  write(folder / "torn_last_record.journal", series.substr(0, series.size() - 5));
  write(folder / "valid_task_block.bin",
        tcsim::models::encode_tasks({task(2, 0, 2, 1), task(2, 1, 2, 1)}));
}

void results_files(const fs::path& folder) {
  tcsim::models::ResultsMetadata meta;
  meta.tcsim_version = "tcsim 0.1.0 (fuzz seed)";
  meta.experiment_name = "seed";
  meta.design_kind = "grid";
  meta.experiment_text = "name: seed\n";
  meta.scenario_text = "name: seed scenario\n";
  meta.seed = 7;
  meta.replications = 2;
  meta.point_names = {"a", "b"};
  meta.point_models = {"", ""};
  meta.factor_names = {"settings.ward.capacity"};
  meta.factor_values = {{10, 12}};
  const fs::path scratch = folder / "scratch.h5";
  const auto file = [&](const tcsim::models::ResultsMetadata& m,
                        const std::vector<TaskResult>& tasks) {
    tcsim::models::write_results_file(scratch.string(), m,
                                      tcsim::models::tabulate(tasks, m.settings.size()));
    std::string bytes = read(scratch);
    fs::remove(scratch);
    return bytes;
  };
  write(folder / "valid_sealed_no_series.h5",
        file(meta, {task(0, 0, 0, 0), task(0, 1, 0, 0), task(1, 0, 0, 0), task(1, 1, 0, 0)}));
  tcsim::models::ResultsMetadata with_series = meta;
  with_series.settings = {"ward", "home"};
  with_series.services = {"acute_beds", "district_nursing"};
  const std::string sealed =
      file(with_series, {task(0, 0, 4, 2), task(0, 1, 4, 2), task(1, 0, 4, 2)});
  write(folder / "valid_sealed_with_series_incomplete.h5", sealed);
  // The same without its checksum header, as tcsim wrote files before it: refused.
  write(folder / "refused_no_header_with_series.h5", sealed.substr(512));
  tcsim::models::ResultsMetadata shard = meta;
  shard.shard_index = 2;
  shard.shard_count = 3;
  write(folder / "valid_sealed_shard_2_of_3.h5", file(shard, {task(1, 0, 0, 0)}));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_fuzz_corpus CORPUS_FOLDER (e.g. tests/fuzz/corpus)\n";
    return 2;
  }
  const fs::path corpus = argv[1];
  journals(corpus / "journal");
  results_files(corpus / "results_file");
  return 0;
}
