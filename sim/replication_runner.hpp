#pragma once
// Runs independent replications on a pool of threads. Replication k's result lands in slot k
// whatever thread ran it or when, so the output is the same for any thread count as long as
// each replication's randomness depends only on (master seed, k) - which the streams ensure.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tcsim::sim {

/// Calls `run(k)` for k in [0, count) on up to `threads` threads (0: one per core) and returns
/// the results in order of k. The first exception thrown by any replication is rethrown.
template <class Run>
auto run_replications(std::size_t count, unsigned threads, Run run)
    -> std::vector<decltype(run(std::size_t{}))> {
  using Result = decltype(run(std::size_t{}));
  std::vector<Result> results(count);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(threads, count));

  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::size_t k = next++; k < count; k = next++) {
      try {
        results[k] = run(k);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;  // stop handing out work
      }
    }
  };
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(workers);
    for (unsigned i = 0; i < workers; ++i)
      pool.emplace_back(work);
    for (std::thread& t : pool)
      t.join();
  }
  if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace tcsim::sim
