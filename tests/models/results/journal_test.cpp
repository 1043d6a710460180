// The batch journal's guarantees: what was appended reads back (NaN and series included), a
// record cut short at the end (what a kill leaves) is dropped, any other damage is refused with
// its place and the file left untouched, crafted sizes neither crash nor allocate, and one
// writer holds the journal at a time.

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "tcsim/models/results/journal_lock.hpp"
#include "tcsim/models/results/results_journal.hpp"

namespace tcsim::models {
namespace {

TaskResult task(std::int64_t point, std::int64_t replication, double value) {
  TaskResult t;
  t.design_point = point;
  t.replication = replication;
  t.metrics.push_back(MetricValue{"area", "cost_per_year", "GBP/year", value});
  return t;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A journal of three tasks, written and closed; returns its bytes.
std::string three_task_journal(const std::string& path) {
  {
    JournalWriter writer = JournalWriter::create(path, "identity text");
    writer.append({task(0, 0, 1.0), task(1, 0, 2.0)});
    writer.append({task(0, 1, 3.0)});
  }
  return slurp(path);
}

std::string damage_message(const std::string& bytes) {
  try {
    (void)parse_journal(bytes, "x.journal");
  } catch (const JournalDamaged& e) {
    return e.what();
  }
  return "not refused";
}

}  // namespace

TEST_CASE("a journal cut short anywhere keeps every whole task before the cut",
          "[batch][journal]") {
  const test::TempDir dir("journal_cut");
  const std::string whole = three_task_journal((dir.path() / "x.journal").string());
  const JournalContents full = parse_journal(whole, "x.journal");
  REQUIRE(full.tasks.size() == 3);
  CHECK(full.dropped_bytes == 0);
  std::size_t header_torn = 0;
  for (std::size_t cut = 0; cut < whole.size(); ++cut) {
    const JournalContents c = parse_journal(std::string_view(whole).substr(0, cut), "x.journal");
    CHECK(c.intact_bytes + c.dropped_bytes == cut);
    CHECK(c.tasks.size() <= 3);
    if (c.header_torn) {
      ++header_torn;
      CHECK(c.tasks.empty());
    }
  }
  CHECK(header_torn > 16);  // every cut inside magic and identity
}

TEST_CASE("damage that no interrupted write can leave is refused, saying where",
          "[batch][journal]") {
  const test::TempDir dir("journal_damage");
  const std::string path = (dir.path() / "x.journal").string();
  const std::string whole = three_task_journal(path);
  const std::size_t magic = std::strlen("TCSIM-JOURNAL-1\n");

  // A flipped byte in the last record's value: a whole record with a wrong checksum.
  std::string flipped = whole;
  flipped[whole.size() - 12] = static_cast<char>(flipped[whole.size() - 12] ^ 0x01);
  const std::string message = damage_message(flipped);
  CHECK_THAT(message, Catch::Contains("damaged at byte") && Catch::Contains("checksum") &&
                          Catch::Contains("no task in it is lost") &&
                          Catch::Contains("2 task(s) before byte") && Catch::Contains("--resume"));

  // Garbage after the last record that is long enough to be a whole record.
  std::string garbage = whole + std::string(64, '\x07');
  CHECK_THAT(damage_message(garbage),
             Catch::Contains("damaged at byte " + std::to_string(whole.size())));

  // A flipped byte in the identity record: the header is whole, so this is damage too.
  std::string identity = whole;
  identity[magic + 14] = static_cast<char>(identity[magic + 14] ^ 0x20);
  CHECK_THAT(damage_message(identity), Catch::Contains("byte " + std::to_string(magic)));

  // The refusal leaves the file as it was.
  { std::ofstream(path, std::ios::binary | std::ios::trunc) << flipped; }
  CHECK_THROWS_AS(read_journal(path), JournalDamaged);
  CHECK(slurp(path) == flipped);
}

TEST_CASE("crafted record lengths and counts neither crash nor allocate", "[batch][journal]") {
  const test::TempDir dir("journal_crafted");
  const std::string whole = three_task_journal((dir.path() / "x.journal").string());
  // A record header claiming 2^64 - 1 bytes (the length plus the checksum wraps around) is a
  // record cut short, not a crash.
  std::string huge = whole;
  const std::uint32_t kind = 2;
  const std::uint64_t length = ~std::uint64_t{0};
  huge.append(reinterpret_cast<const char*>(&kind), sizeof kind);
  huge.append(reinterpret_cast<const char*>(&length), sizeof length);
  huge += "0123456789abcdef";
  const JournalContents cut = parse_journal(huge, "x.journal");
  CHECK(cut.tasks.size() == 3);
  CHECK(cut.dropped_bytes == 4 + 8 + 16);

  // A task whose series claim 2^32 x 2^32 values: refused as malformed.
  std::string payload;
  const auto put = [&payload](auto v) {
    payload.append(reinterpret_cast<const char*>(&v), sizeof v);
  };
  put(std::int64_t{0});
  put(std::int64_t{9});
  put(std::uint32_t{0});
  put(std::uint32_t{0xffffffffu});
  put(std::uint32_t{0xffffffffu});
  std::string block;
  const auto put_block = [&block](auto v) {
    block.append(reinterpret_cast<const char*>(&v), sizeof v);
  };
  put_block(std::uint32_t{2});
  put_block(static_cast<std::uint64_t>(payload.size()));
  block += payload;
  std::uint64_t h = 14695981039346656037ull ^ 2u;  // FNV-1a, as the journal computes it
  for (const char ch : payload) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ull;
  }
  put_block(h);
  CHECK_THAT(damage_message(whole + block), Catch::Contains("a malformed task"));
  CHECK_THROWS_AS(decode_tasks(block), JournalError);
}

TEST_CASE("one writer at a time: a second one is refused while the first holds the journal",
          "[batch][journal][lock]") {
  const test::TempDir dir("journal_lock");
  const std::string path = (dir.path() / "x.journal").string();
  std::optional<JournalWriter> first = JournalWriter::create(path, "identity text");
  first->append({task(0, 0, 1.0)});
  CHECK_THROWS_AS(JournalWriter::create(path, "identity text"), JournalBusy);

  // Another process (flock locks belong to open files, so a child is a true second writer).
  const auto child_sees = [&path]() {
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
      int code = 0;
      try {
        code = JournalWriter::open_existing(path) ? 0 : 3;
      } catch (const JournalBusy&) {
        code = 1;
      } catch (...) {
        code = 2;
      }
      ::_exit(code);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  CHECK(child_sees() == 1);  // busy
  const std::string holder = journal_holder(path);
  CHECK_THAT(holder, Catch::Contains("pid " + std::to_string(::getpid())));

  first.reset();  // the first writer ends: the journal is free
  CHECK(journal_holder(path).empty());
  CHECK(child_sees() == 0);
  std::optional<JournalWriter> second = JournalWriter::open_existing(path);
  REQUIRE(second);
  second->resume(second->read());
  second->append({task(0, 1, 2.0)});
  CHECK(second->read().tasks.size() == 2);
  CHECK(second->still_named());
  std::filesystem::rename(path, path + ".moved");
  CHECK_FALSE(second->still_named());
}

TEST_CASE("the journal returns what was appended, and drops a torn last record",
          "[batch][journal]") {
  const test::TempDir dir("batch_journal");
  const std::string path = (dir.path() / "x.h5.journal").string();
  TaskResult with_series = task(1, 0, 2.5);
  with_series.days = 2;
  with_series.settings = 2;
  with_series.occupancy = {1.0, 2.0, 3.0, 4.0};
  with_series.delayed = {0.5, 0.0, 0.25, 1.0};
  {
    JournalWriter writer = JournalWriter::create(path, "identity text");
    writer.append({task(0, 0, 1.0), task(0, 1, std::numeric_limits<double>::quiet_NaN())});
    writer.append({with_series});
  }
  JournalContents read = read_journal(path);
  CHECK(read.identity == "identity text");
  REQUIRE(read.tasks.size() == 3);
  CHECK(read.tasks[0].metrics[0].value == 1.0);
  CHECK(std::isnan(read.tasks[1].metrics[0].value));
  CHECK(read.tasks[2].metrics[0].unit == "GBP/year");
  CHECK(read.tasks[2].occupancy == with_series.occupancy);
  CHECK(read.tasks[2].delayed == with_series.delayed);
  CHECK(read.tasks[2].days == 2);
  CHECK(read.tasks[2].settings == 2);
  CHECK(read.dropped_bytes == 0);
  REQUIRE_THROWS_AS(JournalWriter::create(path, "again"), JournalError);  // never overwrites

  // A kill in the middle of a write leaves part of a record: every whole one survives.
  const auto whole = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, whole - 5);
  read = read_journal(path);
  CHECK(read.tasks.size() == 2);
  CHECK(read.dropped_bytes > 0);
  {
    std::optional<JournalWriter> writer = JournalWriter::open_existing(path);
    REQUIRE(writer);
    writer->resume(writer->read());  // cuts the torn end off
    writer->append({task(1, 0, 9.0)});
  }
  read = read_journal(path);
  REQUIRE(read.tasks.size() == 3);
  CHECK(read.tasks[2].metrics[0].value == 9.0);
  CHECK(read.dropped_bytes == 0);

  // Killed while the header was written: no task can be in it. Not a journal at all: an error.
  CHECK(read_journal(dir.write("empty.journal", "")).header_torn);
  CHECK(read_journal(dir.write("torn.journal", "TCSIM-JOUR")).header_torn);
  CHECK_FALSE(read.header_torn);
  CHECK_THROWS_AS(read_journal(dir.write("other.journal", "something else entirely")),
                  JournalError);
}

}  // namespace tcsim::models
