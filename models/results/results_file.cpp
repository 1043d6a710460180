#include "tcsim/models/results/results_file.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "tcsim/models/results/hdf5_handles.hpp"

namespace tcsim::models {
namespace {

constexpr std::int64_t kFormatVersion = 1;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

using hdf5::Handle;
using hdf5::Hdf5;
using hdf5::Hdf5Error;

Handle string_type(const Hdf5& h5) {
  Handle t = h5.own(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  h5.check(H5Tset_size(t, H5T_VARIABLE), "H5Tset_size");
  h5.check(H5Tset_cset(t, H5T_CSET_UTF8), "H5Tset_cset");
  return t;
}

Handle space_1d(const Hdf5& h5, std::size_t n) {
  const hsize_t dims[1] = {n};
  return h5.own(H5Screate_simple(1, dims, nullptr), H5Sclose, "H5Screate_simple");
}

void write_attribute(const Hdf5& h5, hid_t at, const char* name, const std::string& value) {
  Handle type = string_type(h5);
  Handle space = h5.own(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  Handle a =
      h5.own(H5Acreate2(at, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "H5Acreate2");
  const char* text = value.c_str();
  h5.check(H5Awrite(a, type, &text), "H5Awrite");
}

template <class T>
void write_attribute(const Hdf5& h5, hid_t at, const char* name, T value, hid_t type) {
  Handle space = h5.own(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  Handle a =
      h5.own(H5Acreate2(at, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "H5Acreate2");
  h5.check(H5Awrite(a, type, &value), "H5Awrite");
}

void write_attribute(const Hdf5& h5, hid_t at, const char* name,
                     const std::vector<std::string>& values) {
  Handle type = string_type(h5);
  Handle space = space_1d(h5, values.size());
  Handle a =
      h5.own(H5Acreate2(at, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "H5Acreate2");
  std::vector<const char*> texts;
  texts.reserve(values.size());
  for (const std::string& v : values)
    texts.push_back(v.c_str());
  if (!texts.empty()) h5.check(H5Awrite(a, type, texts.data()), "H5Awrite");
}

Handle ordered_group(const Hdf5& h5, hid_t at, const char* name) {
  // Creation order is kept so that readers can list metrics in the order tcsim reports them.
  Handle plist = h5.own(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "H5Pcreate");
  h5.check(H5Pset_link_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
           "H5Pset_link_creation_order");
  return h5.own(H5Gcreate2(at, name, H5P_DEFAULT, plist, H5P_DEFAULT), H5Gclose, "H5Gcreate2");
}

void write_text(const Hdf5& h5, hid_t at, const char* name, const std::string& text) {
  Handle type = string_type(h5);
  Handle space = h5.own(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  Handle d = h5.own(H5Dcreate2(at, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    H5Dclose, "H5Dcreate2");
  const char* p = text.c_str();
  h5.check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "H5Dwrite");
}

void write_strings(const Hdf5& h5, hid_t at, const char* name,
                   const std::vector<std::string>& values) {
  Handle type = string_type(h5);
  Handle space = space_1d(h5, values.size());
  Handle d = h5.own(H5Dcreate2(at, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    H5Dclose, "H5Dcreate2");
  std::vector<const char*> texts;
  texts.reserve(values.size());
  for (const std::string& v : values)
    texts.push_back(v.c_str());
  if (!texts.empty())
    h5.check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), "H5Dwrite");
}

template <class T>
Handle write_column(const Hdf5& h5, hid_t at, const std::string& name, const std::vector<T>& v,
                    hid_t file_type, hid_t memory_type) {
  Handle space = space_1d(h5, v.size());
  Handle d =
      h5.own(H5Dcreate2(at, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             H5Dclose, "H5Dcreate2");
  if (!v.empty())
    h5.check(H5Dwrite(d, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "H5Dwrite");
  return d;
}

/// One task's series as HDF5's shuffle + deflate filters would store it: the bytes of the
/// doubles regrouped by byte position (shuffle), then a zlib stream at kDeflateLevel.
constexpr int kDeflateLevel = 4;
std::vector<unsigned char> filtered_chunk(const double* values, std::size_t count) {
  const std::size_t bytes = count * sizeof(double);
  std::vector<unsigned char> shuffled(bytes);
  const auto* raw = reinterpret_cast<const unsigned char*>(values);
  for (std::size_t b = 0; b < sizeof(double); ++b) {
    for (std::size_t i = 0; i < count; ++i)
      shuffled[b * count + i] = raw[i * sizeof(double) + b];
  }
  uLongf size = compressBound(static_cast<uLong>(bytes));
  std::vector<unsigned char> out(size);
  if (compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(bytes), kDeflateLevel) !=
      Z_OK) {
    throw std::runtime_error("zlib could not compress a time series");
  }
  out.resize(size);
  return out;
}

void write_series(const Hdf5& h5, hid_t at, const char* name, const char* units,
                  const ResultsTable& t, const std::vector<double>& values) {
  const hsize_t dims[3] = {t.rows(), t.days, t.settings};
  Handle space = h5.own(H5Screate_simple(3, dims, nullptr), H5Sclose, "H5Screate_simple");
  Handle plist = h5.own(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "H5Pcreate");
  const hsize_t chunk[3] = {1, std::max<hsize_t>(t.days, 1), std::max<hsize_t>(t.settings, 1)};
  h5.check(H5Pset_chunk(plist, 3, chunk), "H5Pset_chunk");
  h5.check(H5Pset_shuffle(plist), "H5Pset_shuffle");
  h5.check(H5Pset_deflate(plist, kDeflateLevel), "H5Pset_deflate");
  Handle d = h5.own(H5Dcreate2(at, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, plist, H5P_DEFAULT),
                    H5Dclose, "H5Dcreate2");
  // Compressing is most of the cost of writing series; libhdf5 does it on one thread, so the
  // chunks (one per task) are filtered here on every core and handed over ready-made.
  const std::size_t block = t.days * t.settings;
  std::vector<std::vector<unsigned char>> chunks(t.rows());
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  for (unsigned w = 0; w < std::min<std::size_t>(threads, t.rows()); ++w) {
    pool.emplace_back([&] {
      for (std::size_t row = next++; row < t.rows(); row = next++) {
        try {
          chunks[row] = filtered_chunk(values.data() + row * block, block);
        } catch (...) {
          const std::lock_guard lock(failure_mutex);
          failure = std::current_exception();
        }
      }
    });
  }
  for (std::thread& thread : pool)
    thread.join();
  if (failure) std::rethrow_exception(failure);
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const hsize_t offset[3] = {row, 0, 0};
    h5.check(H5Dwrite_chunk(d, H5P_DEFAULT, 0, offset, chunks[row].size(), chunks[row].data()),
             "H5Dwrite_chunk");
  }
  write_attribute(h5, d, "units", std::string(units));
}

/// `/` separates HDF5 path parts, so it cannot appear in a dataset name.
std::string dataset_name(std::string key) {
  std::replace(key.begin(), key.end(), '/', '_');
  return key;
}

void write_contents(const Hdf5& h5, hid_t file, const ResultsMetadata& meta,
                    const ResultsTable& table) {
  write_attribute(h5, file, "format", std::string("tcsim-results"));
  write_attribute(h5, file, "format_version", kFormatVersion, H5T_STD_I64LE);
  write_attribute(h5, file, "tcsim_version", meta.tcsim_version);
  write_attribute(h5, file, "experiment_name", meta.experiment_name);
  write_attribute(h5, file, "master_seed", meta.seed, H5T_STD_U64LE);
  write_attribute(h5, file, "design_kind", meta.design_kind);
  write_attribute(h5, file, "replications", meta.replications, H5T_STD_I64LE);
  write_attribute(h5, file, "tasks_expected", meta.tasks_expected(), H5T_STD_I64LE);
  const auto present = static_cast<std::int64_t>(table.rows());
  write_attribute(h5, file, "tasks_present", present, H5T_STD_I64LE);
  write_attribute(h5, file, "complete", std::int64_t{present == meta.tasks_expected()},
                  H5T_STD_I64LE);
  if (meta.shard_count > 1) {
    write_attribute(h5, file, "shard_index", meta.shard_index, H5T_STD_I64LE);
    write_attribute(h5, file, "shard_count", meta.shard_count, H5T_STD_I64LE);
  }

  Handle config = ordered_group(h5, file, "config");
  write_text(h5, config, "experiment", meta.experiment_text);
  write_text(h5, config, "scenario", meta.scenario_text);
  if (!meta.models_text.empty()) write_text(h5, config, "integration_models", meta.models_text);
  if (!meta.inputs_text.empty()) write_text(h5, config, "inputs", meta.inputs_text);

  Handle design = ordered_group(h5, file, "design");
  write_strings(h5, design, "name", meta.point_names);
  write_strings(h5, design, "model", meta.point_models);
  write_attribute(h5, design, "factors", meta.factor_names);
  for (std::size_t f = 0; f < meta.factor_names.size(); ++f) {
    (void)write_column(h5, design, dataset_name(meta.factor_names[f]), meta.factor_values[f],
                       H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
  }

  Handle summary = ordered_group(h5, file, "summary");
  (void)write_column(h5, summary, "design_point", table.design_point, H5T_STD_I64LE,
                     H5T_NATIVE_INT64);
  (void)write_column(h5, summary, "replication", table.replication, H5T_STD_I64LE,
                     H5T_NATIVE_INT64);
  for (const MetricColumn& m : table.metrics) {
    Handle d = write_column(h5, summary, dataset_name(m.key()), m.values, H5T_IEEE_F64LE,
                            H5T_NATIVE_DOUBLE);
    write_attribute(h5, d, "units", m.unit);
    write_attribute(h5, d, "scope", m.scope);
    write_attribute(h5, d, "name", m.name);
  }

  if (!meta.settings.empty() && table.days > 0) {
    Handle series = ordered_group(h5, file, "timeseries");
    write_strings(h5, series, "settings", meta.settings);
    write_strings(h5, series, "services", meta.services);
    write_series(h5, series, "occupancy", "places", table, table.occupancy);
    write_series(h5, series, "delayed", "patients", table, table.delayed);
  }
}

/// Writes `bytes` to a new file at `path` and syncs it and its folder; throws naming the cause.
void write_bytes(const std::string& path, const std::vector<char>& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const auto fail = [&path](const char* what) {
    return std::runtime_error(
        fmt::format("results file '{}': {} failed: {}", path, what, std::strerror(errno)));
  };
  if (fd < 0) throw fail("creating it");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const auto error = fail("writing it");  // before close() changes errno
      ::close(fd);
      throw error;  // NOLINT(misc-throw-by-value-catch-by-reference): made before close()
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const auto error = fail("syncing it");  // before close() changes errno
    ::close(fd);
    throw error;  // NOLINT(misc-throw-by-value-catch-by-reference): made before close()
  }
  if (::close(fd) != 0) throw fail("closing it");
}

void sync_folder_of(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)::fsync(fd);
    ::close(fd);
  }
}

// ---- the checksum header ----

/// A results file starts with this header, 512 bytes long: HDF5's userblock, which libhdf5 and
/// every HDF5 reader skip. Three lines - the magic, "crc32 " and the CRC-32 of every byte after
/// the header in 8 lowercase hex digits, "bytes " and the file's length in decimal - then zero
/// bytes to the end of the 512. It must be exactly what checksum_header() writes.
constexpr std::size_t kHeaderBytes = 512;
constexpr std::string_view kHeaderMagic = "TCSIM-RESULTS-CHECKSUM 1\n";
constexpr std::array<unsigned char, 8> kHdf5Signature = {0x89, 'H',  'D',  'F',
                                                         '\r', '\n', 0x1a, '\n'};

std::uint32_t crc32_of(const unsigned char* data, std::size_t size) {
  return static_cast<std::uint32_t>(crc32_z(crc32_z(0, Z_NULL, 0), data, size));
}

std::string checksum_header(std::uint32_t crc, std::uint64_t bytes) {
  std::string text = fmt::format("{}crc32 {:08x}\nbytes {}\n", kHeaderMagic, crc, bytes);
  text.resize(kHeaderBytes, '\0');
  return text;
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw ResultsFileError(fmt::format("results file '{}': {}", path, what));
}

/// The whole of `path`, which must be a regular file of at most kMaxResultsFileBytes.
std::vector<unsigned char> read_whole(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) fail(path, fmt::format("cannot open it: {}", std::strerror(errno)));
  // A scope guard made and destroyed here, never copied.
  // NOLINTNEXTLINE(cppcoreguidelines-special-member-functions)
  const struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat status {};
  if (::fstat(fd, &status) != 0)
    fail(path, fmt::format("cannot read it: {}", std::strerror(errno)));
  if (S_ISDIR(status.st_mode)) fail(path, "a folder, not a results file");
  if (!S_ISREG(status.st_mode))
    fail(path, "not a regular file (a device, pipe or socket), so not a results file");
  const auto size = static_cast<std::uint64_t>(status.st_size);
  if (size > kMaxResultsFileBytes) {
    fail(path, fmt::format("{} bytes, more than the {} GiB tcsim reads", size,
                           kMaxResultsFileBytes >> 30));
  }
  std::vector<unsigned char> bytes;
  try {
    bytes.resize(size);
  } catch (const std::bad_alloc&) {
    fail(path, fmt::format("{} bytes, more than there is memory to read them into", size));
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, fmt::format("reading it failed: {}", std::strerror(errno)));
    if (n == 0) fail(path, "it became shorter while it was read");
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

/// Checks the checksum header of the file read into `bytes`, so that libhdf5 only ever reads
/// bytes that tcsim wrote. A file without the header (HDF5 from its first byte: written by hand,
/// or by tcsim before the header) is refused too: libhdf5 1.10 is not safe on damaged or crafted
/// files (a crafted string length in a file of 20 KB made it allocate and clear 1.9 GB, for
/// example: tests/fuzz/findings/results_file/).
void check_checksum(const std::string& path, const std::vector<unsigned char>& bytes) {
  const auto holds = [&bytes](std::size_t at, const void* what, std::size_t n) {
    return bytes.size() >= at + n && std::memcmp(bytes.data() + at, what, n) == 0;
  };
  if (holds(0, kHdf5Signature.data(), kHdf5Signature.size())) {
    fail(path,
         "HDF5 with no checksum header (written by hand, or by a tcsim from before the header): "
         "tcsim reads only results files it can check; docs/results-format.md says how to add "
         "the header");
  }
  if (!holds(0, kHeaderMagic.data(), kHeaderMagic.size())) {
    fail(path,
         "not a results file: it starts with neither tcsim's checksum header nor HDF5's "
         "signature (another kind of file, or one damaged in its first bytes)");
  }
  if (bytes.size() < kHeaderBytes + kHdf5Signature.size()) {
    fail(path, fmt::format("damaged: {} bytes, cut short inside or just after its 512-byte "
                           "checksum header",
                           bytes.size()));
  }
  // "crc32 XXXXXXXX\nbytes N\n" after the magic line; the rest must be as tcsim writes it.
  const std::string header(bytes.begin(), bytes.begin() + kHeaderBytes);
  std::uint32_t crc = 0;
  std::uint64_t length = 0;
  bool parsed = false;
  {
    const char* p = header.c_str() + kHeaderMagic.size();
    const char* end = header.c_str() + header.size();
    if (std::string_view(p, 6) == "crc32 ") {
      const auto [crc_end, crc_error] = std::from_chars(p + 6, end, crc, 16);
      if (crc_error == std::errc{} && crc_end == p + 14 &&
          std::string_view(crc_end, 7) == "\nbytes ") {
        const auto [length_end, length_error] = std::from_chars(crc_end + 7, end, length);
        parsed = length_error == std::errc{} && *length_end == '\n';
      }
    }
  }
  if (!parsed || header != checksum_header(crc, length)) {
    fail(path,
         "damaged: its checksum header (bytes 0 to 511) is not as tcsim writes it, so its "
         "contents cannot be checked");
  }
  if (length != bytes.size()) {
    fail(path, fmt::format("damaged: it holds {} bytes, but tcsim wrote {} (cut short or "
                           "added to)",
                           bytes.size(), length));
  }
  const std::uint32_t found = crc32_of(bytes.data() + kHeaderBytes, bytes.size() - kHeaderBytes);
  if (found != crc) {
    fail(path, fmt::format("damaged: the CRC-32 of bytes 512 to the end is {:08x}, but tcsim "
                           "wrote {:08x}: some bytes changed after it was written (by damage, or "
                           "by a program that edited it; see docs/results-format.md)",
                           found, crc));
  }
  if (!holds(kHeaderBytes, kHdf5Signature.data(), kHdf5Signature.size()))
    fail(path, "damaged: no HDF5 signature after its checksum header");
}

/// Opens the file image in memory (libhdf5's core driver), so that libhdf5 reads exactly the
/// bytes that were checked. `bytes` is handed over (libhdf5 keeps a copy) and emptied.
Handle open_image(const Hdf5& h5, std::vector<unsigned char>& bytes) {
  Handle access = h5.own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "H5Pcreate");
  h5.check(H5Pset_fapl_core(access, std::size_t{1} << 16, false), "H5Pset_fapl_core");
  h5.check(H5Pset_file_image(access, bytes.data(), bytes.size()), "H5Pset_file_image");
  std::vector<unsigned char>().swap(bytes);
  // libhdf5 refuses to open an image under the name of a file that exists, and takes an open
  // file of the same name for the same file: the name is one no file can have (a component
  // longer than NAME_MAX), different each time.
  static std::atomic<std::uint64_t> images{0};
  const std::string name = fmt::format("/{}-{}", std::string(300, '_'), images++);
  return h5.own(H5Fopen(name.c_str(), H5F_ACC_RDONLY, access), H5Fclose, "opening it as HDF5");
}

// ---- reading, each object's type and shape checked before it is read ----

/// Deflate shrinks data by at most this factor (zlib's documented limit), so a compressed
/// dataset cannot hold more than this many times the file's size.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

struct Shape {
  std::vector<hsize_t> dims;  // empty for a scalar
  std::uint64_t points = 0;
};

std::string shape_text(const std::vector<hsize_t>& dims) {
  return dims.empty() ? std::string("a scalar") : fmt::format("[{}]", fmt::join(dims, ", "));
}

/// Frees what libhdf5 allocated for variable-length strings read into `texts`. A scope guard
/// made and destroyed in one function, never copied.
// NOLINTNEXTLINE(cppcoreguidelines-special-member-functions)
struct VlenStrings {
  hid_t type;
  hid_t space;
  std::vector<char*> texts;
  ~VlenStrings() {
    if (!texts.empty()) (void)H5Dvlen_reclaim(type, space, H5P_DEFAULT, texts.data());
  }
};

class Reader {
 public:
  Reader(const Hdf5& h5, std::uint64_t file_bytes) : h5_(h5), file_bytes_(file_bytes) {}

  [[noreturn]] void fail(const std::string& what) const { models::fail(h5_.path(), what); }

  /// `parent`/`name` as written in messages ("/design/name").
  static std::string at(const std::string& parent, const std::string& name) {
    return (parent == "/" ? "/" : parent + "/") + name;
  }

  /// Whether `loc` (at path `where`) has a link `name`. Only hard links are read: a soft or
  /// external link (which could name another file) is refused.
  bool has(hid_t loc, const std::string& where, const std::string& name) const {
    const htri_t exists = H5Lexists(loc, name.c_str(), H5P_DEFAULT);
    if (exists < 0) throw Hdf5Error(h5_.path(), "looking for " + at(where, name));
    if (exists == 0) return false;
    H5L_info_t info{};
    h5_.check(H5Lget_info(loc, name.c_str(), &info, H5P_DEFAULT), "H5Lget_info");
    if (info.type != H5L_TYPE_HARD) {
      fail(fmt::format("{} is a soft or external link; a results file holds its own objects only",
                       at(where, name)));
    }
    return true;
  }

  Handle group(hid_t loc, const std::string& where, const std::string& name) const {
    if (!has(loc, where, name)) fail(fmt::format("{} is missing", at(where, name)));
    return h5_.own(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), H5Gclose,
                   ("opening the group " + at(where, name)).c_str());
  }

  Handle dataset(hid_t loc, const std::string& where, const std::string& name) const {
    if (!has(loc, where, name)) fail(fmt::format("{} is missing", at(where, name)));
    return h5_.own(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose,
                   ("opening the dataset " + at(where, name)).c_str());
  }

  /// The links of a group, in creation order where it was kept, else by name.
  std::vector<std::string> links(hid_t group, const std::string& where) const {
    struct Found {
      std::vector<std::string> names;
      bool only_hard = true;
    } found;
    const auto collect = [](hid_t, const char* name, const H5L_info_t* info, void* out) -> herr_t {
      auto* f = static_cast<Found*>(out);
      f->names.emplace_back(name);
      if (info->type != H5L_TYPE_HARD) f->only_hard = false;
      return 0;
    };
    hsize_t index = 0;
    if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, collect, &found) < 0) {
      found = Found{};
      index = 0;
      if (H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, collect, &found) < 0)
        throw Hdf5Error(h5_.path(), "listing " + where);
    }
    if (!found.only_hard)
      fail(
          fmt::format("{} holds a soft or external link; a results file holds its own objects "
                      "only",
                      where));
    return found.names;
  }

  Shape shape(hid_t space, const std::string& what) const {
    const H5S_class_t kind = H5Sget_simple_extent_type(space);
    if (kind == H5S_NULL) return Shape{{}, 0};
    if (kind != H5S_SCALAR && kind != H5S_SIMPLE)
      throw Hdf5Error(h5_.path(), "the shape of " + what);
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 0 || rank > H5S_MAX_RANK) throw Hdf5Error(h5_.path(), "the rank of " + what);
    Shape s{std::vector<hsize_t>(static_cast<std::size_t>(rank)), 1};
    if (rank > 0 && H5Sget_simple_extent_dims(space, s.dims.data(), nullptr) != rank)
      throw Hdf5Error(h5_.path(), "the shape of " + what);
    for (const hsize_t d : s.dims) {
      if (d != 0 && s.points > std::numeric_limits<std::uint64_t>::max() / d)
        fail(fmt::format("{} claims a shape of {}: more values than can exist", what,
                         shape_text(s.dims)));
      s.points *= d;
    }
    return s;
  }

  /// Refuses `points` values of `bytes_each` bytes if the file cannot hold them (stored as
  /// they are, or compressed if `compressed`): a crafted dimension must not make tcsim try to
  /// allocate terabytes.
  void check_fits(std::uint64_t points, std::size_t bytes_each, bool compressed,
                  const std::string& what, const std::vector<hsize_t>& dims) const {
    const std::uint64_t limit = compressed ? file_bytes_ * kMaxDeflateRatio : file_bytes_;
    if (bytes_each == 0 || points > limit / bytes_each) {
      fail(
          fmt::format("{} claims {} values of {} bytes (shape {}), more than a file of {} "
                      "bytes can hold",
                      what, points, bytes_each, shape_text(dims), file_bytes_));
    }
  }

  /// Checks how a dataset is stored: in the file (no external raw data, no virtual dataset),
  /// filtered by nothing but shuffle, deflate and Fletcher-32, and in chunks the file could
  /// hold. True if it is compressed.
  bool check_storage(hid_t d, const Shape& s, std::size_t bytes_each,
                     const std::string& what) const {
    Handle create = h5_.own(H5Dget_create_plist(d), H5Pclose, "H5Dget_create_plist");
    const H5D_layout_t layout = H5Pget_layout(create);
    if (layout != H5D_COMPACT && layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED)
      fail(fmt::format("{} is a virtual dataset or of an unknown layout", what));
    const int external = H5Pget_external_count(create);
    if (external != 0) fail(fmt::format("{} keeps its values in other files", what));
    const int filters = H5Pget_nfilters(create);
    if (filters < 0) throw Hdf5Error(h5_.path(), "the filters of " + what);
    bool compressed = false;
    for (int i = 0; i < filters; ++i) {
      unsigned flags = 0;
      std::size_t values = 0;
      unsigned config = 0;
      const H5Z_filter_t id = H5Pget_filter2(create, static_cast<unsigned>(i), &flags, &values,
                                             nullptr, 0, nullptr, &config);
      if (id == H5Z_FILTER_DEFLATE) {
        compressed = true;
      } else if (id != H5Z_FILTER_SHUFFLE && id != H5Z_FILTER_FLETCHER32) {
        fail(fmt::format("{} is stored through a filter ({}) tcsim does not use", what, id));
      }
    }
    if (layout == H5D_CHUNKED) {
      std::vector<hsize_t> chunk(std::max<std::size_t>(s.dims.size(), 1));
      if (H5Pget_chunk(create, static_cast<int>(chunk.size()), chunk.data()) !=
          static_cast<int>(s.dims.size())) {
        throw Hdf5Error(h5_.path(), "the chunks of " + what);
      }
      chunk.resize(s.dims.size());
      const Shape c = shape_of(chunk, what + "'s chunks");
      check_fits(c.points, bytes_each, compressed, what + "'s chunks", chunk);
    }
    return compressed;
  }

  Shape shape_of(const std::vector<hsize_t>& dims, const std::string& what) const {
    Shape s{dims, 1};
    for (const hsize_t d : dims) {
      if (d != 0 && s.points > std::numeric_limits<std::uint64_t>::max() / d)
        fail(fmt::format("{} claim a shape of {}: more values than can exist", what,
                         shape_text(dims)));
      s.points *= d;
    }
    return s;
  }

  Shape dataset_shape(hid_t d, const std::string& what) const {
    Handle space = h5_.own(H5Dget_space(d), H5Sclose, "H5Dget_space");
    return shape(space, what);
  }

  /// The numbers of dataset `d`, which must have the shape `dims` and hold integers or IEEE
  /// floating-point numbers.
  template <class T>
  std::vector<T> numbers(hid_t d, const std::string& what, hid_t memory_type,
                         const std::vector<hsize_t>& dims) const {
    Handle type = h5_.own(H5Dget_type(d), H5Tclose, "H5Dget_type");
    if (!is_number(type)) fail(fmt::format("{} does not hold numbers", what));
    const Shape s = dataset_shape(d, what);
    if (s.dims != dims) {
      fail(fmt::format("{} has the shape {}, expected {}", what, shape_text(s.dims),
                       shape_text(dims)));
    }
    const std::size_t size = H5Tget_size(type);
    const bool compressed = check_storage(d, s, size, what);
    check_fits(s.points, size, compressed, what, s.dims);
    std::vector<T> values(static_cast<std::size_t>(s.points));
    if (!values.empty()) {
      h5_.check(H5Dread(d, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                ("reading " + what).c_str());
    }
    return values;
  }

  /// The strings of a dataset (or, if `attribute`, an attribute) `obj`: all of them, in order.
  std::vector<std::string> strings(hid_t obj, bool attribute, const std::string& what,
                                   Shape* shape_out = nullptr) const {
    Handle type = h5_.own(attribute ? H5Aget_type(obj) : H5Dget_type(obj), H5Tclose, "get_type");
    if (H5Tget_class(type) != H5T_STRING) fail(fmt::format("{} does not hold text", what));
    Handle space =
        h5_.own(attribute ? H5Aget_space(obj) : H5Dget_space(obj), H5Sclose, "get_space");
    const Shape s = shape(space, what);
    if (shape_out) *shape_out = s;
    const htri_t variable = H5Tis_variable_str(type);
    if (variable < 0) throw Hdf5Error(h5_.path(), "the string type of " + what);
    // A variable-length string takes 16 bytes where the dataset or attribute is stored.
    const std::size_t stored = variable ? 16 : H5Tget_size(type);
    const bool compressed = attribute ? false : check_storage(obj, s, stored, what);
    check_fits(s.points, stored, compressed, what, s.dims);
    std::vector<std::string> out;
    if (s.points == 0) return out;
    const auto read = [&](hid_t memory, void* buffer) {
      h5_.check(attribute ? H5Aread(obj, memory, buffer)
                          : H5Dread(obj, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer),
                ("reading " + what).c_str());
    };
    if (variable) {
      Handle memory = h5_.own(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
      h5_.check(H5Tset_size(memory, H5T_VARIABLE), "H5Tset_size");
      const H5T_cset_t cset = H5Tget_cset(type);
      if (cset != H5T_CSET_ASCII && cset != H5T_CSET_UTF8)
        fail(fmt::format("{} holds text of an unknown character set", what));
      h5_.check(H5Tset_cset(memory, cset), "H5Tset_cset");
      VlenStrings texts{memory, space, std::vector<char*>(static_cast<std::size_t>(s.points))};
      read(memory, texts.texts.data());
      for (const char* t : texts.texts)
        out.emplace_back(t ? t : "");
    } else {
      std::vector<char> buffer(stored * static_cast<std::size_t>(s.points) + 1, '\0');
      read(type, buffer.data());
      for (std::uint64_t i = 0; i < s.points; ++i) {
        const char* text = buffer.data() + i * stored;
        out.emplace_back(text, strnlen(text, stored));
      }
    }
    return out;
  }

  /// The one string of a scalar (or one-element) dataset or attribute.
  std::string text(hid_t obj, bool attribute, const std::string& what) const {
    Shape s;
    std::vector<std::string> v = strings(obj, attribute, what, &s);
    if (v.size() != 1)
      fail(fmt::format("{} has the shape {}, expected one text", what, shape_text(s.dims)));
    return std::move(v.front());
  }

  /// A list of strings: a one-dimensional dataset or attribute (a scalar holds one).
  std::vector<std::string> string_list(hid_t obj, bool attribute, const std::string& what) const {
    Shape s;
    std::vector<std::string> v = strings(obj, attribute, what, &s);
    if (s.dims.size() > 1)
      fail(fmt::format("{} has the shape {}, expected a list", what, shape_text(s.dims)));
    return v;
  }

  std::optional<Handle> attribute(hid_t loc, const std::string& where, const char* name) const {
    const htri_t exists = H5Aexists(loc, name);
    if (exists < 0)
      throw Hdf5Error(h5_.path(), fmt::format("looking for {}'s attribute {}", where, name));
    if (exists == 0) return std::nullopt;
    return h5_.own(H5Aopen(loc, name, H5P_DEFAULT), H5Aclose, "H5Aopen");
  }

  std::optional<std::string> text_attribute(hid_t loc, const std::string& where,
                                            const char* name) const {
    const auto a = attribute(loc, where, name);
    if (!a) return std::nullopt;
    return text(*a, true, fmt::format("{}'s attribute {}", where, name));
  }

  std::vector<std::string> list_attribute(hid_t loc, const std::string& where,
                                          const char* name) const {
    const auto a = attribute(loc, where, name);
    if (!a) return {};
    return string_list(*a, true, fmt::format("{}'s attribute {}", where, name));
  }

  /// A whole number held by a scalar (or one-element) integer attribute.
  template <class T>
  std::optional<T> integer_attribute(hid_t loc, const std::string& where, const char* name,
                                     hid_t memory_type) const {
    const auto a = attribute(loc, where, name);
    if (!a) return std::nullopt;
    const std::string what = fmt::format("{}'s attribute {}", where, name);
    Handle type = h5_.own(H5Aget_type(*a), H5Tclose, "H5Aget_type");
    if (H5Tget_class(type) != H5T_INTEGER || !is_number(type))
      fail(fmt::format("{} is not a whole number", what));
    Handle space = h5_.own(H5Aget_space(*a), H5Sclose, "H5Aget_space");
    const Shape s = shape(space, what);
    if (s.points != 1)
      fail(fmt::format("{} has the shape {}, expected one number", what, shape_text(s.dims)));
    T value{};
    h5_.check(H5Aread(*a, memory_type, &value), ("reading " + what).c_str());
    return value;
  }

  /// Integers of 1 to 8 bytes and IEEE floats of 4 or 8, in either byte order: the types that
  /// h5py, R or MATLAB write for numbers (tcsim writes 8-byte ones).
  bool is_number(hid_t type) const {
    static const hid_t kTypes[] = {H5T_STD_I8LE,   H5T_STD_I8BE,   H5T_STD_U8LE,   H5T_STD_U8BE,
                                   H5T_STD_I16LE,  H5T_STD_I16BE,  H5T_STD_U16LE,  H5T_STD_U16BE,
                                   H5T_STD_I32LE,  H5T_STD_I32BE,  H5T_STD_U32LE,  H5T_STD_U32BE,
                                   H5T_STD_I64LE,  H5T_STD_I64BE,  H5T_STD_U64LE,  H5T_STD_U64BE,
                                   H5T_IEEE_F32LE, H5T_IEEE_F32BE, H5T_IEEE_F64LE, H5T_IEEE_F64BE};
    for (const hid_t known : kTypes) {
      const htri_t same = H5Tequal(type, known);
      if (same < 0) throw Hdf5Error(h5_.path(), "H5Tequal");
      if (same > 0) return true;
    }
    return false;
  }

  ResultsFile read(hid_t file) const;

 private:
  // The steps of read(), in the order the file is checked.
  void read_identity(hid_t file, ResultsMetadata& meta) const;
  void read_shard(hid_t file, ResultsMetadata& meta) const;
  void read_config(hid_t file, ResultsMetadata& meta) const;
  void read_design(hid_t file, ResultsMetadata& meta) const;
  std::vector<hsize_t> read_task_columns(hid_t summary, ResultsTable& t) const;
  void check_tasks(const ResultsMetadata& meta, const ResultsTable& t) const;
  void read_metrics(hid_t summary, const std::vector<hsize_t>& per_row, ResultsTable& t) const;
  void read_timeseries(hid_t file, ResultsMetadata& meta, ResultsTable& t) const;
  void check_counts(hid_t file, const ResultsFile& out) const;

  const Hdf5& h5_;
  std::uint64_t file_bytes_;
};

// The root's identity: format, version, what wrote it, the experiment and its seed.
void Reader::read_identity(hid_t file, ResultsMetadata& meta) const {
  const std::string root = "/";
  if (text_attribute(file, root, "format").value_or("") != "tcsim-results") {
    fail("not a tcsim results file (no format=\"tcsim-results\")");
  }
  if (const auto version =
          integer_attribute<std::int64_t>(file, root, "format_version", H5T_NATIVE_INT64);
      version && (*version < 1 || *version > kFormatVersion)) {
    fail(fmt::format("format_version {}: this tcsim reads versions 1 to {}", *version,
                     kFormatVersion));
  }
  meta.tcsim_version = text_attribute(file, root, "tcsim_version").value_or("");
  meta.experiment_name = text_attribute(file, root, "experiment_name").value_or("");
  meta.design_kind = text_attribute(file, root, "design_kind").value_or("");
  meta.seed =
      integer_attribute<std::uint64_t>(file, root, "master_seed", H5T_NATIVE_UINT64).value_or(0);
}

// The replications per design point, and the shard (if any) the file holds.
void Reader::read_shard(hid_t file, ResultsMetadata& meta) const {
  const std::string root = "/";
  const auto replications =
      integer_attribute<std::int64_t>(file, root, "replications", H5T_NATIVE_INT64);
  if (!replications || *replications < 1 || *replications > kMaxResultsTasks) {
    fail(fmt::format("the attribute replications is {}, expected a whole number from 1 to {}",
                     replications ? std::to_string(*replications) : "missing", kMaxResultsTasks));
  }
  meta.replications = *replications;
  const auto shard_index =
      integer_attribute<std::int64_t>(file, root, "shard_index", H5T_NATIVE_INT64);
  const auto shard_count =
      integer_attribute<std::int64_t>(file, root, "shard_count", H5T_NATIVE_INT64);
  if (shard_index || shard_count) {
    if (!shard_index || !shard_count || *shard_count < 1 || *shard_count > kMaxResultsTasks ||
        *shard_index < 1 || *shard_index > *shard_count) {
      fail(
          fmt::format("shard_index {} and shard_count {} do not name a shard (1 <= index <= "
                      "count)",
                      shard_index ? std::to_string(*shard_index) : "missing",
                      shard_count ? std::to_string(*shard_count) : "missing"));
    }
    meta.shard_index = *shard_index;
    meta.shard_count = *shard_count;
  }
}

// The input files' texts kept in /config, each optional.
void Reader::read_config(hid_t file, ResultsMetadata& meta) const {
  const std::string root = "/";
  if (!has(file, root, "config")) return;
  const Handle config = group(file, root, "config");
  for (const auto& [name, text_out] :
       {std::pair<const char*, std::string*>{"experiment", &meta.experiment_text},
        {"scenario", &meta.scenario_text},
        {"integration_models", &meta.models_text},
        {"inputs", &meta.inputs_text}}) {
    if (has(config, "/config", name))
      *text_out = text(dataset(config, "/config", name), false, at("/config", name));
  }
}

// The design: P points, each with a name, a model and one value per factor.
void Reader::read_design(hid_t file, ResultsMetadata& meta) const {
  const Handle design = group(file, "/", "design");
  meta.point_names = string_list(dataset(design, "/design", "name"), false, "/design/name");
  const std::size_t points = meta.point_names.size();
  if (points == 0) fail("/design/name lists no design point");
  if (static_cast<std::int64_t>(points) > kMaxResultsTasks / meta.replications) {
    fail(
        fmt::format("{} design points x {} replications: more than the {} tasks a results file "
                    "may hold",
                    points, meta.replications, kMaxResultsTasks));
  }
  const std::vector<hsize_t> per_point{points};
  if (has(design, "/design", "model")) {
    meta.point_models = string_list(dataset(design, "/design", "model"), false, "/design/model");
    if (meta.point_models.size() != points) {
      fail(fmt::format("/design/model has {} rows, /design/name has {}", meta.point_models.size(),
                       points));
    }
  } else {
    meta.point_models.assign(points, "");
  }
  meta.factor_names = list_attribute(design, "/design", "factors");
  if (meta.factor_names.empty()) {
    for (const std::string& n : links(design, "/design")) {
      if (n != "name" && n != "model") meta.factor_names.push_back(n);
    }
  }
  for (const std::string& f : meta.factor_names) {
    const std::string name = dataset_name(f);
    meta.factor_values.push_back(numbers<double>(
        dataset(design, "/design", name), at("/design", name), H5T_NATIVE_DOUBLE, per_point));
  }
}

// The (design point, replication) columns of /summary; returns their shape (one column).
std::vector<hsize_t> Reader::read_task_columns(hid_t summary, ResultsTable& t) const {
  const Handle design_point = dataset(summary, "/summary", "design_point");
  const Shape rows_shape = dataset_shape(design_point, "/summary/design_point");
  if (rows_shape.dims.size() != 1)
    fail(fmt::format("/summary/design_point has the shape {}, expected a column",
                     shape_text(rows_shape.dims)));
  std::vector<hsize_t> per_row = rows_shape.dims;
  t.design_point =
      numbers<std::int64_t>(design_point, "/summary/design_point", H5T_NATIVE_INT64, per_row);
  t.replication = numbers<std::int64_t>(dataset(summary, "/summary", "replication"),
                                        "/summary/replication", H5T_NATIVE_INT64, per_row);
  return per_row;
}

// Each row must be a distinct task of the design (and of the shard).
void Reader::check_tasks(const ResultsMetadata& meta, const ResultsTable& t) const {
  const std::size_t points = meta.point_names.size();
  std::vector<std::pair<std::int64_t, std::int64_t>> tasks;
  tasks.reserve(t.rows());
  for (std::size_t row = 0; row < t.rows(); ++row) {
    const std::int64_t p = t.design_point[row];
    const std::int64_t r = t.replication[row];
    if (p < 0 || p >= static_cast<std::int64_t>(points) || r < 0 || r >= meta.replications) {
      fail(
          fmt::format("/summary row {} is design point {}, replication {}: not a task of the "
                      "design ({} points x {} replications)",
                      row, p, r, points, meta.replications));
    }
    if (!meta.in_shard(p, r)) {
      fail(
          fmt::format("/summary row {} (design point {}, replication {}) is not a task of shard "
                      "{}/{}",
                      row, p, r, meta.shard_index, meta.shard_count));
    }
    tasks.emplace_back(p, r);
  }
  std::sort(tasks.begin(), tasks.end());
  if (const auto twice = std::adjacent_find(tasks.begin(), tasks.end()); twice != tasks.end()) {
    fail(fmt::format("/summary holds design point {}, replication {} twice", twice->first,
                     twice->second));
  }
}

// Every other dataset of /summary is a metric column, one value per row.
void Reader::read_metrics(hid_t summary, const std::vector<hsize_t>& per_row,
                          ResultsTable& t) const {
  for (const std::string& n : links(summary, "/summary")) {
    if (n == "design_point" || n == "replication") continue;
    const std::string where = at("/summary", n);
    const Handle d = dataset(summary, "/summary", n);
    MetricColumn c;
    c.unit = text_attribute(d, where, "units").value_or("");
    c.scope = text_attribute(d, where, "scope").value_or("");
    c.name = text_attribute(d, where, "name").value_or("");
    if (c.scope.empty() && c.name.empty()) {
      const auto dot = n.find('.');
      c.scope = dot == std::string::npos ? std::string{} : n.substr(0, dot);
      c.name = dot == std::string::npos ? n : n.substr(dot + 1);
    }
    c.values = numbers<double>(d, where, H5T_NATIVE_DOUBLE, per_row);
    t.metrics.push_back(std::move(c));
  }
}

// Daily series (optional): [row][day][setting], the settings named in /timeseries/settings.
void Reader::read_timeseries(hid_t file, ResultsMetadata& meta, ResultsTable& t) const {
  if (!has(file, "/", "timeseries")) return;
  const Handle series = group(file, "/", "timeseries");
  meta.settings =
      string_list(dataset(series, "/timeseries", "settings"), false, "/timeseries/settings");
  if (has(series, "/timeseries", "services")) {
    meta.services =
        string_list(dataset(series, "/timeseries", "services"), false, "/timeseries/services");
    if (meta.services.size() != meta.settings.size()) {
      fail(fmt::format("/timeseries/services has {} rows, /timeseries/settings has {}",
                       meta.services.size(), meta.settings.size()));
    }
  } else {
    meta.services.assign(meta.settings.size(), "");
  }
  const Handle occupancy = dataset(series, "/timeseries", "occupancy");
  const Shape s = dataset_shape(occupancy, "/timeseries/occupancy");
  if (s.dims.size() != 3 || s.dims[0] != t.rows() || s.dims[2] != meta.settings.size()) {
    fail(fmt::format(
        "/timeseries/occupancy has the shape {}, expected [{}, days, {}] ({} rows "
        "in /summary, {} settings)",
        shape_text(s.dims), t.rows(), meta.settings.size(), t.rows(), meta.settings.size()));
  }
  t.occupancy = numbers<double>(occupancy, "/timeseries/occupancy", H5T_NATIVE_DOUBLE, s.dims);
  if (has(series, "/timeseries", "delayed")) {
    t.delayed = numbers<double>(dataset(series, "/timeseries", "delayed"), "/timeseries/delayed",
                                H5T_NATIVE_DOUBLE, s.dims);
  }
  if (s.dims[1] > 0 && s.dims[2] > 0) {
    t.days = static_cast<std::size_t>(s.dims[1]);
    t.settings = static_cast<std::size_t>(s.dims[2]);
  } else {
    t.occupancy.clear();
    t.delayed.clear();
  }
}

// What the file says of itself (task counts, completeness) must agree with what it holds.
void Reader::check_counts(hid_t file, const ResultsFile& out) const {
  const auto present = static_cast<std::int64_t>(out.table.rows());
  const ResultsMetadata& meta = out.meta;
  for (const auto& [name, value] : {std::pair<const char*, std::int64_t>{"tasks_present", present},
                                    {"tasks_expected", meta.tasks_expected()},
                                    {"complete", std::int64_t{out.complete}}}) {
    const auto found = integer_attribute<std::int64_t>(file, "/", name, H5T_NATIVE_INT64);
    if (found && *found != value) {
      fail(fmt::format("its attribute {} is {}, but it holds {} of {} tasks", name, *found, present,
                       meta.tasks_expected()));
    }
  }
}

ResultsFile Reader::read(hid_t file) const {
  ResultsFile out;
  read_identity(file, out.meta);
  read_shard(file, out.meta);
  read_config(file, out.meta);
  read_design(file, out.meta);
  // The rows: N tasks, each a distinct (design point, replication) of the design (and shard).
  const Handle summary = group(file, "/", "summary");
  const std::vector<hsize_t> per_row = read_task_columns(summary, out.table);
  check_tasks(out.meta, out.table);
  read_metrics(summary, per_row, out.table);
  read_timeseries(file, out.meta, out.table);
  out.complete = static_cast<std::int64_t>(out.table.rows()) == out.meta.tasks_expected();
  check_counts(file, out);
  return out;
}

}  // namespace

void seal_results_image(std::string& image) {
  if (image.size() < kHeaderBytes) {
    throw std::invalid_argument(
        fmt::format("a results file image of {} bytes has no room for its header", image.size()));
  }
  const std::string header =
      checksum_header(crc32_of(reinterpret_cast<const unsigned char*>(image.data()) + kHeaderBytes,
                               image.size() - kHeaderBytes),
                      image.size());
  image.replace(0, kHeaderBytes, header);
}

std::int64_t ResultsMetadata::tasks_expected() const {
  const std::int64_t all = static_cast<std::int64_t>(point_names.size()) * replications;
  if (shard_count <= 1) return all;
  const std::int64_t first = shard_index - 1;  // the shard's first task number
  return first >= all ? 0 : (all - first + shard_count - 1) / shard_count;
}

const MetricColumn* ResultsTable::find(const std::string& key) const {
  for (const MetricColumn& m : metrics) {
    if (m.key() == key) return &m;
  }
  return nullptr;
}

ResultsTable tabulate(std::vector<TaskResult> tasks, std::size_t settings) {
  std::stable_sort(tasks.begin(), tasks.end(), [](const TaskResult& a, const TaskResult& b) {
    return std::tie(a.design_point, a.replication) < std::tie(b.design_point, b.replication);
  });
  tasks.erase(std::unique(tasks.begin(), tasks.end(),
                          [](const TaskResult& a, const TaskResult& b) {
                            return a.design_point == b.design_point &&
                                   a.replication == b.replication;
                          }),
              tasks.end());
  ResultsTable t;
  std::map<std::pair<std::string, std::string>, std::size_t> column_of;
  for (const TaskResult& task : tasks) {
    for (const MetricValue& m : task.metrics) {
      if (column_of.emplace(std::make_pair(m.scope, m.name), t.metrics.size()).second)
        t.metrics.push_back(MetricColumn{m.scope, m.name, m.unit, {}});
    }
    if (!task.occupancy.empty()) t.days = std::max(t.days, task.days);
  }
  t.settings = t.days > 0 ? settings : 0;
  for (MetricColumn& c : t.metrics)
    c.values.assign(tasks.size(), kNaN);
  const std::size_t block = t.days * t.settings;
  t.occupancy.assign(tasks.size() * block, kNaN);
  t.delayed.assign(tasks.size() * block, kNaN);
  for (std::size_t row = 0; row < tasks.size(); ++row) {
    const TaskResult& task = tasks[row];
    t.design_point.push_back(task.design_point);
    t.replication.push_back(task.replication);
    for (const MetricValue& m : task.metrics)
      t.metrics[column_of.at({m.scope, m.name})].values[row] = m.value;
    if (task.occupancy.empty()) continue;
    for (std::size_t d = 0; d < task.days; ++d) {
      for (std::size_t s = 0; s < std::min(t.settings, task.settings); ++s) {
        t.occupancy[row * block + d * t.settings + s] = task.occupancy[d * task.settings + s];
        t.delayed[row * block + d * t.settings + s] = task.delayed[d * task.settings + s];
      }
    }
  }
  return t;
}

void write_results_file(const std::string& path, const ResultsMetadata& meta,
                        const ResultsTable& table) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with their cause
  const std::string temporary = path + ".tmp";
  // The file is built in memory (HDF5's core driver, no backing store) and written with plain
  // write() calls: a disk that fills or a file-size limit then fails a write tcsim checks, and
  // libhdf5 is never left holding a half-written file it cannot close.
  std::vector<char> image;
  {
    const Hdf5 h5(path);
    Handle access = h5.own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "H5Pcreate");
    h5.check(H5Pset_fapl_core(access, std::size_t{1} << 20, false), "H5Pset_fapl_core");
    // HDF5 starts after a userblock of kHeaderBytes, which the checksum header fills.
    Handle create = h5.own(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "H5Pcreate");
    h5.check(H5Pset_userblock(create, kHeaderBytes), "H5Pset_userblock");
    Handle file = h5.own(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, create, access), H5Fclose,
                         "building it in memory");
    write_contents(h5, file, meta, table);
    h5.check(H5Fflush(file, H5F_SCOPE_GLOBAL), "H5Fflush");
    // The image libhdf5 gives starts at its superblock, without the userblock.
    const ssize_t size = H5Fget_file_image(file, nullptr, 0);
    if (size < 0) throw Hdf5Error(path, "H5Fget_file_image");
    image.resize(kHeaderBytes + static_cast<std::size_t>(size));
    if (H5Fget_file_image(file, image.data() + kHeaderBytes, static_cast<std::size_t>(size)) !=
        size) {
      throw Hdf5Error(path, "H5Fget_file_image");
    }
  }
  const std::string header =
      checksum_header(crc32_of(reinterpret_cast<const unsigned char*>(image.data()) + kHeaderBytes,
                               image.size() - kHeaderBytes),
                      image.size());
  std::copy(header.begin(), header.end(), image.begin());
  try {
    write_bytes(temporary, image);
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
      throw std::runtime_error(fmt::format("results file '{}': cannot rename '{}' to it: {}", path,
                                           temporary, std::strerror(errno)));
    }
    sync_folder_of(path);
  } catch (...) {
    std::remove(temporary.c_str());
    throw;
  }
}

ResultsFile read_results_file(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with their cause
  // A file names filters by number; none may make libhdf5 load a plugin library.
  (void)H5PLset_loading_state(0);
  std::vector<unsigned char> bytes = read_whole(path);
  const std::uint64_t file_bytes = bytes.size();
  check_checksum(path, bytes);
  const Hdf5 h5(path);
  const Handle file = open_image(h5, bytes);
  return Reader(h5, file_bytes).read(file);
}

}  // namespace tcsim::models
