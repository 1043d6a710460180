#pragma once
// A per-patient event log of one replication as CSV (`tcsim run --trace FILE`):
// time,event,patient,cohort,step,setting,value - one row per arrival, queueing, start, fit,
// leave, exit, loss and capacity change. Patients are numbered in order of arrival from 1.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tcsim/sim/network_spec.hpp"
#include "tcsim/sim/observer.hpp"

namespace tcsim::models {

class TraceWriter : public sim::Observer {
 public:
  /// Streams rows to "<path>.tmp"; finish() renames it to `path`. If finish() is never
  /// reached (the run failed), the temporary is removed and `path` is left as it was.
  TraceWriter(const sim::NetworkSpec& spec, std::string path);
  ~TraceWriter() override;
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  /// Flushes and moves the trace into place; throws std::runtime_error on a write failure.
  void finish();

  void on_arrival(sim::Time, sim::EntityId, std::uint32_t stream) override;
  void on_queue(sim::Time, sim::EntityId, std::uint32_t step, std::uint32_t station) override;
  void on_start(sim::Time, sim::EntityId, std::uint32_t step, std::uint32_t station) override;
  void on_fit(sim::Time, sim::EntityId, std::uint32_t step) override;
  void on_leave(sim::Time, sim::EntityId, std::uint32_t station) override;
  void on_exit(sim::Time, sim::EntityId) override;
  void on_loss(sim::Time, sim::EntityId, std::uint32_t station) override;
  void on_capacity(sim::Time, std::uint32_t station, std::int64_t capacity) override;

 private:
  void row(sim::Time t, const char* event, sim::EntityId id, const std::string& step,
           const std::string& setting, const std::string& value = "");

  const sim::NetworkSpec& spec_;
  std::vector<std::uint64_t> serial_;  // entity id -> patient number (ids are reused)
  std::vector<std::uint32_t> stream_;  // entity id -> arrival stream
  std::uint64_t next_serial_ = 1;
  std::string path_;
  std::string temporary_;
  std::FILE* out_ = nullptr;
};

}  // namespace tcsim::models
