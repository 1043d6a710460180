#include "tcsim/models/results/trace_writer.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "tcsim/models/results/file_output.hpp"

namespace tcsim::models {

TraceWriter::TraceWriter(const sim::NetworkSpec& spec, std::string path)
    : spec_(spec),
      path_(std::move(path)),
      // A device or pipe (/dev/stdout) is written in place; a file through a temporary one.
      temporary_(is_special_file(path_) ? "" : path_ + ".tmp"),
      out_(std::fopen(temporary_.empty() ? path_.c_str() : temporary_.c_str(), "wb")) {
  if (!out_) {
    throw std::runtime_error(
        fmt::format("cannot write the trace '{}': {}", path_, std::strerror(errno)));
  }
  fmt::print(out_, "time,event,patient,cohort,step,setting,value\n");
}

TraceWriter::~TraceWriter() {
  if (out_) {
    std::fclose(out_);
    if (!temporary_.empty()) std::remove(temporary_.c_str());
  }
}

void TraceWriter::finish() {
  std::FILE* out = std::exchange(out_, nullptr);
  try {
    close_checked(out, path_);
  } catch (const std::runtime_error& e) {
    if (!temporary_.empty()) std::remove(temporary_.c_str());
    throw std::runtime_error(fmt::format("the trace was not written: {}", e.what()));
  }
  if (temporary_.empty()) return;
  std::error_code error;
  std::filesystem::rename(temporary_, path_, error);
  if (error) {
    std::remove(temporary_.c_str());
    throw std::runtime_error(
        fmt::format("cannot write the trace '{}': {}", path_, error.message()));
  }
}

void TraceWriter::row(sim::Time t, const char* event, sim::EntityId id, const std::string& step,
                      const std::string& setting, const std::string& value) {
  if (id == static_cast<sim::EntityId>(-1)) {
    fmt::print(out_, "{},{},,,{},{},{}\n", t, event, step, setting, value);
    return;
  }
  fmt::print(out_, "{},{},{},{},{},{},{}\n", t, event, serial_[id],
             spec_.arrivals[stream_[id]].name, step, setting, value);
}

void TraceWriter::on_arrival(sim::Time t, sim::EntityId id, std::uint32_t stream) {
  if (id >= serial_.size()) {
    serial_.resize(id + 1);
    stream_.resize(id + 1);
  }
  serial_[id] = next_serial_++;
  stream_[id] = stream;
  row(t, "arrival", id, "", "");
}

void TraceWriter::on_queue(sim::Time t, sim::EntityId id, std::uint32_t step,
                           std::uint32_t station) {
  row(t, "queue", id, spec_.steps[step].name, spec_.stations[station].name);
}

void TraceWriter::on_start(sim::Time t, sim::EntityId id, std::uint32_t step,
                           std::uint32_t station) {
  row(t, "start", id, spec_.steps[step].name, spec_.stations[station].name);
}

void TraceWriter::on_fit(sim::Time t, sim::EntityId id, std::uint32_t step) {
  row(t, "fit", id, spec_.steps[step].name, spec_.stations[spec_.steps[step].station].name);
}

void TraceWriter::on_leave(sim::Time t, sim::EntityId id, std::uint32_t station) {
  row(t, "leave", id, "", spec_.stations[station].name);
}

void TraceWriter::on_exit(sim::Time t, sim::EntityId id) {
  row(t, "exit", id, "", "");
}

void TraceWriter::on_loss(sim::Time t, sim::EntityId id, std::uint32_t station) {
  row(t, "loss", id, "", spec_.stations[station].name);
}

void TraceWriter::on_capacity(sim::Time t, std::uint32_t station, std::int64_t capacity) {
  row(t, "capacity", static_cast<sim::EntityId>(-1), "", spec_.stations[station].name,
      capacity == sim::kUnlimited ? std::string("unlimited") : fmt::format("{}", capacity));
}

}  // namespace tcsim::models
