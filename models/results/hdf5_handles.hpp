#pragma once
// Owning and checking libhdf5 identifiers (hid_t) for the results file's reader and writer.
// Internal to models/results/: it includes <hdf5.h>, which tcsim_models links privately, so no
// public header may include this one.

#include <hdf5.h>

#include <string>
#include <utility>

#include <fmt/format.h>

#include "tcsim/models/results/results_file.hpp"

namespace tcsim::models::hdf5 {

/// The innermost HDF5 error description (e.g. the system's "File too large"), for messages.
inline std::string hdf5_cause() {
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
struct Hdf5Error : ResultsFileError {
  Hdf5Error(const std::string& path, const std::string& what)
      : ResultsFileError(
            fmt::format("results file '{}': {} failed: {}", path, what, hdf5_cause())) {}
};

/// Owns one HDF5 identifier and closes it with the matching function.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
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

}  // namespace tcsim::models::hdf5
