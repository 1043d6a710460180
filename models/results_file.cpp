#include "models/results_file.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include <fmt/format.h>

namespace tcsim::models {
namespace {

constexpr std::int64_t kFormatVersion = 1;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The innermost HDF5 error description (e.g. the system's "File too large"), for messages.
std::string hdf5_cause() {
  std::string cause;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
        if (n == 0 && e->desc) *static_cast<std::string*>(out) = e->desc;
        return 0;
      },
      &cause);
  return cause.empty() ? "unknown HDF5 error" : cause;
}

/// An HDF5 failure while working on `path`.
struct Hdf5Error : std::runtime_error {
  Hdf5Error(const std::string& path, const std::string& what)
      : std::runtime_error(
            fmt::format("results file '{}': {} failed: {}", path, what, hdf5_cause())) {}
};

/// Owns one HDF5 identifier and closes it with the matching function.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, -1)), close_(o.close_) {}
  Handle& operator=(Handle&& o) noexcept {
    reset();
    id_ = std::exchange(o.id_, -1);
    close_ = o.close_;
    return *this;
  }
  ~Handle() { reset(); }
  operator hid_t() const { return id_; }  // NOLINT: a handle is used where an id is
  hid_t release() { return std::exchange(id_, -1); }
  void reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = -1;
  }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

/// Checks HDF5 calls against one file, naming it in errors.
class Hdf5 {
 public:
  explicit Hdf5(std::string path) : path_(std::move(path)) {}
  Handle own(hid_t id, herr_t (*close)(hid_t), const char* what) const {
    if (id < 0) throw Hdf5Error(path_, what);
    return Handle(id, close);
  }
  void check(herr_t status, const char* what) const {
    if (status < 0) throw Hdf5Error(path_, what);
  }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

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
      const auto error = fail("writing it");
      ::close(fd);
      throw error;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const auto error = fail("syncing it");
    ::close(fd);
    throw error;
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

// ---- reading ----

std::vector<std::string> read_strings(const Hdf5& h5, hid_t d, bool attr) {
  Handle type = h5.own(attr ? H5Aget_type(d) : H5Dget_type(d), H5Tclose, "get_type");
  Handle space = h5.own(attr ? H5Aget_space(d) : H5Dget_space(d), H5Sclose, "get_space");
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) throw Hdf5Error(h5.path(), "H5Sget_simple_extent_npoints");
  std::vector<std::string> out;
  if (H5Tget_class(type) != H5T_STRING)
    throw Hdf5Error(h5.path(), "a string was expected; reading");
  if (H5Tis_variable_str(type) > 0) {
    Handle memory = string_type(h5);
    std::vector<char*> texts(static_cast<std::size_t>(n), nullptr);
    if (n > 0) {
      h5.check(attr ? H5Aread(d, memory, texts.data())
                    : H5Dread(d, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()),
               "reading strings");
    }
    for (char* t : texts)
      out.emplace_back(t ? t : "");
    if (n > 0) (void)H5Dvlen_reclaim(memory, space, H5P_DEFAULT, texts.data());
  } else {
    const std::size_t size = H5Tget_size(type);
    std::vector<char> buffer(size * static_cast<std::size_t>(n) + 1, '\0');
    if (n > 0) {
      h5.check(attr ? H5Aread(d, type, buffer.data())
                    : H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
               "reading strings");
    }
    for (hssize_t i = 0; i < n; ++i) {
      const char* at = buffer.data() + static_cast<std::size_t>(i) * size;
      out.emplace_back(at, strnlen(at, size));
    }
  }
  return out;
}

bool exists(hid_t at, const char* name) {
  return H5Lexists(at, name, H5P_DEFAULT) > 0;
}

std::string read_text(const Hdf5& h5, hid_t at, const char* name) {
  if (!exists(at, name)) return {};
  Handle d = h5.own(H5Dopen2(at, name, H5P_DEFAULT), H5Dclose, "H5Dopen2");
  const std::vector<std::string> v = read_strings(h5, d, false);
  return v.empty() ? std::string{} : v.front();
}

std::vector<std::string> read_string_column(const Hdf5& h5, hid_t at, const char* name) {
  if (!exists(at, name)) return {};
  Handle d = h5.own(H5Dopen2(at, name, H5P_DEFAULT), H5Dclose, "H5Dopen2");
  return read_strings(h5, d, false);
}

std::string read_string_attribute(const Hdf5& h5, hid_t at, const char* name) {
  if (H5Aexists(at, name) <= 0) return {};
  Handle a = h5.own(H5Aopen(at, name, H5P_DEFAULT), H5Aclose, "H5Aopen");
  const std::vector<std::string> v = read_strings(h5, a, true);
  return v.empty() ? std::string{} : v.front();
}

std::vector<std::string> read_string_list_attribute(const Hdf5& h5, hid_t at, const char* name) {
  if (H5Aexists(at, name) <= 0) return {};
  Handle a = h5.own(H5Aopen(at, name, H5P_DEFAULT), H5Aclose, "H5Aopen");
  return read_strings(h5, a, true);
}

template <class T>
T read_number_attribute(const Hdf5& h5, hid_t at, const char* name, hid_t memory_type) {
  T value{};
  if (H5Aexists(at, name) <= 0) return value;
  Handle a = h5.own(H5Aopen(at, name, H5P_DEFAULT), H5Aclose, "H5Aopen");
  h5.check(H5Aread(a, memory_type, &value), "H5Aread");
  return value;
}

template <class T>
std::vector<T> read_numbers(const Hdf5& h5, hid_t at, const std::string& name, hid_t memory_type,
                            std::vector<hsize_t>* dims_out = nullptr) {
  Handle d = h5.own(H5Dopen2(at, name.c_str(), H5P_DEFAULT), H5Dclose, "H5Dopen2");
  Handle space = h5.own(H5Dget_space(d), H5Sclose, "H5Dget_space");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<T> values(static_cast<std::size_t>(std::max<hssize_t>(n, 0)));
  if (n > 0)
    h5.check(H5Dread(d, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "H5Dread");
  if (dims_out) *dims_out = dims;
  return values;
}

/// Names of the links in a group, in creation order where it was kept, else by name.
std::vector<std::string> link_names(hid_t group) {
  std::vector<std::string> names;
  const auto collect = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
  };
  hsize_t index = 0;
  if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, collect, &names) < 0) {
    names.clear();
    index = 0;
    H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, collect, &names);
  }
  return names;
}

}  // namespace

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
    h5.check(H5Pset_fapl_core(access, std::size_t{1} << 20, 0), "H5Pset_fapl_core");
    Handle file = h5.own(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access), H5Fclose,
                         "building it in memory");
    write_contents(h5, file, meta, table);
    h5.check(H5Fflush(file, H5F_SCOPE_GLOBAL), "H5Fflush");
    const ssize_t size = H5Fget_file_image(file, nullptr, 0);
    if (size < 0) throw Hdf5Error(path, "H5Fget_file_image");
    image.resize(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file, image.data(), image.size()) != size)
      throw Hdf5Error(path, "H5Fget_file_image");
  }
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
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const Hdf5 h5(path);
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw std::runtime_error(fmt::format(
        "results file '{}': not readable as HDF5 (missing or not a results file)", path));
  }
  Handle file = h5.own(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "opening it");
  ResultsFile out;
  ResultsMetadata& meta = out.meta;
  if (read_string_attribute(h5, file, "format") != "tcsim-results") {
    throw std::runtime_error(fmt::format(
        "results file '{}': not a tcsim results file (no format=\"tcsim-results\")", path));
  }
  meta.tcsim_version = read_string_attribute(h5, file, "tcsim_version");
  meta.experiment_name = read_string_attribute(h5, file, "experiment_name");
  meta.design_kind = read_string_attribute(h5, file, "design_kind");
  meta.seed = read_number_attribute<std::uint64_t>(h5, file, "master_seed", H5T_NATIVE_UINT64);
  meta.replications =
      read_number_attribute<std::int64_t>(h5, file, "replications", H5T_NATIVE_INT64);
  out.complete = read_number_attribute<std::int64_t>(h5, file, "complete", H5T_NATIVE_INT64) != 0;
  if (H5Aexists(file, "shard_count") > 0) {
    meta.shard_index =
        read_number_attribute<std::int64_t>(h5, file, "shard_index", H5T_NATIVE_INT64);
    meta.shard_count =
        read_number_attribute<std::int64_t>(h5, file, "shard_count", H5T_NATIVE_INT64);
  }
  if (exists(file, "config")) {
    Handle config = h5.own(H5Gopen2(file, "config", H5P_DEFAULT), H5Gclose, "H5Gopen2");
    meta.experiment_text = read_text(h5, config, "experiment");
    meta.scenario_text = read_text(h5, config, "scenario");
    meta.models_text = read_text(h5, config, "integration_models");
  }
  Handle design = h5.own(H5Gopen2(file, "design", H5P_DEFAULT), H5Gclose, "opening /design");
  meta.point_names = read_string_column(h5, design, "name");
  meta.point_models = read_string_column(h5, design, "model");
  meta.point_models.resize(meta.point_names.size());
  meta.factor_names = read_string_list_attribute(h5, design, "factors");
  if (meta.factor_names.empty()) {
    for (const std::string& n : link_names(design)) {
      if (n != "name" && n != "model") meta.factor_names.push_back(n);
    }
  }
  for (const std::string& f : meta.factor_names)
    meta.factor_values.push_back(
        read_numbers<double>(h5, design, dataset_name(f), H5T_NATIVE_DOUBLE));

  ResultsTable& t = out.table;
  Handle summary = h5.own(H5Gopen2(file, "summary", H5P_DEFAULT), H5Gclose, "opening /summary");
  t.design_point = read_numbers<std::int64_t>(h5, summary, "design_point", H5T_NATIVE_INT64);
  t.replication = read_numbers<std::int64_t>(h5, summary, "replication", H5T_NATIVE_INT64);
  if (t.design_point.size() != t.replication.size())
    throw std::runtime_error(
        fmt::format("results file '{}': /summary columns differ in length", path));
  for (const std::string& n : link_names(summary)) {
    if (n == "design_point" || n == "replication") continue;
    Handle d = h5.own(H5Dopen2(summary, n.c_str(), H5P_DEFAULT), H5Dclose, "H5Dopen2");
    MetricColumn c;
    c.unit = read_string_attribute(h5, d, "units");
    c.scope = read_string_attribute(h5, d, "scope");
    c.name = read_string_attribute(h5, d, "name");
    if (c.scope.empty() && c.name.empty()) {
      const auto dot = n.find('.');
      c.scope = dot == std::string::npos ? std::string{} : n.substr(0, dot);
      c.name = dot == std::string::npos ? n : n.substr(dot + 1);
    }
    c.values = read_numbers<double>(h5, summary, n, H5T_NATIVE_DOUBLE);
    if (c.values.size() != t.rows()) {
      throw std::runtime_error(
          fmt::format("results file '{}': /summary/{} has {} rows, design_point has {}", path, n,
                      c.values.size(), t.rows()));
    }
    t.metrics.push_back(std::move(c));
  }
  if (exists(file, "timeseries")) {
    Handle series = h5.own(H5Gopen2(file, "timeseries", H5P_DEFAULT), H5Gclose, "H5Gopen2");
    meta.settings = read_string_column(h5, series, "settings");
    meta.services = read_string_column(h5, series, "services");
    std::vector<hsize_t> dims;
    t.occupancy = read_numbers<double>(h5, series, "occupancy", H5T_NATIVE_DOUBLE, &dims);
    if (dims.size() == 3 && dims[0] == t.rows()) {
      t.days = dims[1];
      t.settings = dims[2];
    }
    if (exists(series, "delayed"))
      t.delayed = read_numbers<double>(h5, series, "delayed", H5T_NATIVE_DOUBLE);
  }
  return out;
}

}  // namespace tcsim::models
