// libFuzzer target for the results-file reader (models/results/results_file.hpp), as `tcsim report`
// and `tcsim merge` use it: each input is written to a file and read with read_results_file. A file
// that reads is then merged (alone) with merge_results and analysed and formatted as `tcsim
// report` would, so that what the reader lets through is shown safe for its users too. Bad input
// must come back as ResultsFileError; anything else escaping, a crash (in tcsim or inside
// libhdf5), a sanitizer report, a leak, a hang or an allocation over the limit is a finding.
//
// As it is (CI), the inputs are damaged files: every change to a real file must be stopped by
// the checksum header before libhdf5 reads a byte. With TCSIM_FUZZ_RESEAL=1 in the environment,
// an input that starts with the header's magic line and keeps the header's last byte zero is
// resealed first (its header rewritten for the bytes that follow), as a file crafted with a
// valid checksum would be: this fuzzes the checks after the checksum (types, shapes, sizes,
// links, the rows against the design) and libhdf5 1.10 itself, which fails within a minute
// (tests/fuzz/findings/results_file/): why tcsim reads only files whose checksum it can check.
// See README.md here.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "tcsim/models/report/results_report.hpp"
#include "tcsim/models/results/results_file.hpp"
#include "tcsim/models/results/results_merge.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool reseal = [] {
    const char* value = std::getenv("TCSIM_FUZZ_RESEAL");
    return value && std::string_view(value) == "1";
  }();
  std::string image(reinterpret_cast<const char*>(data), size);
  constexpr std::size_t kHeader = 512;
  if (reseal && image.size() > kHeader && image[kHeader - 1] == '\0' &&
      std::string_view(image).starts_with("TCSIM-RESULTS-CHECKSUM 1\n")) {
    tcsim::models::seal_results_image(image);
  }
  const std::string path = tcsim::fuzz::Workspace::get().write(
      "fuzz.h5", reinterpret_cast<const std::uint8_t*>(image.data()), image.size());
  tcsim::models::ResultsFile file;
  try {
    file = tcsim::models::read_results_file(path);
  } catch (const tcsim::models::ResultsFileError&) {
    return 0;  // refused, as it should be
  }
  const tcsim::models::MergedResults merged = tcsim::models::merge_results({path});
  if (merged.file.table.rows() != file.table.rows()) __builtin_trap();
  const tcsim::models::ResultsReport report = tcsim::models::analyse_results(file, path, {});
  (void)tcsim::models::format_report_markdown(report);
  (void)tcsim::models::format_results_summary_csv(report);
  (void)tcsim::models::format_results_differences_csv(report);
  (void)tcsim::models::format_savings_csv(report);
  (void)tcsim::models::format_tornado_csv(report);
  return 0;
}
