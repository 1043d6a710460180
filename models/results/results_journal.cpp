#include "tcsim/models/results/results_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "tcsim/models/results/journal_lock.hpp"

namespace tcsim::models {
namespace {

constexpr char kMagic[] = "TCSIM-JOURNAL-1\n";
constexpr std::size_t kMagicLength = sizeof(kMagic) - 1;
enum Kind : std::uint32_t { kIdentity = 0, kMetricName = 1, kTask = 2, kWriter = 3 };
constexpr std::uint32_t kLastKind = kWriter;

std::uint64_t fnv1a(std::uint32_t kind, const char* data, std::size_t size) {
  std::uint64_t h = 14695981039346656037ull ^ kind;
  for (std::size_t i = 0; i < size; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ull;
  }
  return h;
}

template <class T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void put_text(std::string& out, const std::string& text) {
  put(out, static_cast<std::uint32_t>(text.size()));
  out += text;
}

void put_record(std::string& out, Kind kind, const std::string& payload) {
  put(out, static_cast<std::uint32_t>(kind));
  put(out, static_cast<std::uint64_t>(payload.size()));
  out += payload;
  put(out, fnv1a(kind, payload.data(), payload.size()));
}

/// Reads fixed-size values from a byte range; `ok` turns false on running past its end.
struct Reader {
  const char* at = nullptr;
  const char* end = nullptr;
  bool ok = true;

  template <class T>
  T get() {
    T value{};
    if (static_cast<std::size_t>(end - at) < sizeof value) {
      ok = false;
      return value;
    }
    std::memcpy(&value, at, sizeof value);
    at += sizeof value;
    return value;
  }
  std::string text() {
    const auto n = get<std::uint32_t>();
    if (!ok || static_cast<std::size_t>(end - at) < n) {
      ok = false;
      return {};
    }
    std::string s(at, n);
    at += n;
    return s;
  }
};

std::string system_error(const std::string& what, const std::string& path) {
  return fmt::format("{} '{}': {}", what, path, std::strerror(errno));
}

/// Reads a task record's body; false if it is malformed (a count or size the body cannot hold,
/// a metric number never named). Sizes are compared with what is left, never multiplied out
/// first, so a crafted count cannot overflow or ask for more memory than the record holds.
bool read_task(Reader& r, const std::vector<MetricValue>& names, TaskResult& t) {
  t.design_point = r.get<std::int64_t>();
  t.replication = r.get<std::int64_t>();
  const auto n = r.get<std::uint32_t>();
  if (!r.ok ||
      static_cast<std::size_t>(r.end - r.at) / (sizeof(std::uint32_t) + sizeof(double)) < n)
    return false;
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto id = r.get<std::uint32_t>();
    const auto value = r.get<double>();
    if (id >= names.size()) return false;
    MetricValue m = names[id];
    m.value = value;
    t.metrics.push_back(std::move(m));
  }
  t.days = r.get<std::uint32_t>();
  t.settings = r.get<std::uint32_t>();
  if (!r.ok) return false;
  const std::size_t left = static_cast<std::size_t>(r.end - r.at) / sizeof(double);
  if (t.settings != 0 && t.days > left / 2 / t.settings) return false;
  const std::size_t values = t.days * t.settings;
  for (auto* series : {&t.occupancy, &t.delayed}) {
    series->resize(values);
    if (values > 0) std::memcpy(series->data(), r.at, values * sizeof(double));
    r.at += values * sizeof(double);
  }
  return r.at == r.end;  // nothing left over
}

/// Reads one record's payload into `contents`; what is wrong with it, or "" if nothing.
std::string read_payload(std::uint32_t kind, Reader body, JournalContents& contents,
                         bool& has_identity) {
  if (kind == kIdentity) {
    if (has_identity) return "a second identity record";
    contents.identity = std::string(body.at, body.end);
    has_identity = true;
    return "";
  }
  if (!has_identity) return "a record before the identity";
  if (kind == kMetricName) {
    const auto id = body.get<std::uint32_t>();
    MetricValue m;
    m.scope = body.text();
    m.name = body.text();
    m.unit = body.text();
    if (!body.ok || body.at != body.end) return "a malformed metric name";
    if (id != contents.metric_names.size()) return "a metric name out of sequence";
    contents.metric_names.push_back(std::move(m));
    return "";
  }
  if (kind == kTask) {
    TaskResult t;
    if (!read_task(body, contents.metric_names, t)) return "a malformed task";
    contents.tasks.push_back(std::move(t));
    return "";
  }
  if (kind == kWriter) {
    contents.last_writer = std::string(body.at, body.end);
    return "";
  }
  return fmt::format("of an unknown kind {}", kind);
}

/// How reading records ended: at the end of the data, at a record cut short by it (what a
/// kill in the middle of a write leaves), or at a damaged record (wrong checksum, unknown kind,
/// malformed contents) - which no kill can make, since records are written whole and in order.
struct RecordsEnd {
  const char* at = nullptr;  // where the intact records end
  bool cut_short = false;
  std::string damage;  // "" unless damaged
};

/// Reads records from [at, end) into `contents`; `has_identity` says whether the identity
/// record has been read (a block of tasks has none).
RecordsEnd read_records(const char* at, const char* end, JournalContents& contents,
                        bool& has_identity) {
  constexpr std::size_t kHead = sizeof(std::uint32_t) + sizeof(std::uint64_t);
  constexpr std::size_t kTail = sizeof(std::uint64_t);
  RecordsEnd result;
  for (std::size_t number = 1;; ++number) {
    result.at = at;
    const auto left = static_cast<std::size_t>(end - at);
    if (left == 0) return result;
    Reader record{at, end};
    const auto kind = record.get<std::uint32_t>();
    const auto length = record.get<std::uint64_t>();
    // A write cut short still has a valid kind, if it got that far.
    if (left >= sizeof(std::uint32_t) && kind > kLastKind) {
      result.damage = fmt::format("record {} is of an unknown kind {}", number, kind);
      return result;
    }
    // Compared without adding to `length`, which may be anything in a damaged file.
    if (left < kHead || length > left - kHead || left - kHead - length < kTail) {
      result.cut_short = true;
      return result;
    }
    const char* payload = record.at;
    const char* payload_end = payload + length;
    record.at = payload_end;
    if (record.get<std::uint64_t>() != fnv1a(kind, payload, length)) {
      result.damage = fmt::format("record {} fails its checksum", number);
      return result;
    }
    std::string wrong = read_payload(kind, Reader{payload, payload_end}, contents, has_identity);
    if (!wrong.empty()) {
      result.damage = fmt::format("record {} is {}", number, wrong);  // e.g. "a malformed task"
      return result;
    }
    at = record.at;
  }
}

std::string read_all(int fd, const std::string& path) {
  std::string data;
  char buffer[1 << 16];
  for (off_t offset = 0;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw JournalError(system_error("cannot read the journal", path));
    if (n == 0) return data;
    data.append(buffer, static_cast<std::size_t>(n));
    offset += n;
  }
}

}  // namespace

JournalContents parse_journal(std::string_view data, const std::string& path) {
  JournalContents contents;
  if (data.size() < kMagicLength && std::string_view(kMagic).starts_with(data)) {
    contents.header_torn = true;  // killed while creating it: nothing was flushed
    contents.dropped_bytes = data.size();
    return contents;
  }
  if (data.compare(0, kMagicLength, kMagic) != 0) {
    throw JournalError(
        fmt::format("'{}' is not a tcsim journal; move it away or choose another --out", path));
  }
  bool has_identity = false;
  const RecordsEnd stop =
      read_records(data.data() + kMagicLength, data.data() + data.size(), contents, has_identity);
  contents.intact_bytes = static_cast<std::uint64_t>(stop.at - data.data());
  contents.dropped_bytes = data.size() - contents.intact_bytes;
  if (!stop.damage.empty()) {
    throw JournalDamaged(fmt::format(
        "the journal '{}' is damaged at byte {}: {}. It was left as it is, so no task in it is "
        "lost: the {} task(s) before byte {} are intact. Keep a copy; to continue from them, cut "
        "the file there (truncate -s {} '{}') and run again with --resume",
        path, contents.intact_bytes, stop.damage, contents.tasks.size(), contents.intact_bytes,
        contents.intact_bytes, path));
  }
  // Only a journal that ends inside its header (magic and identity) is torn as a whole: the
  // run that made it was killed before it could flush any task.
  contents.header_torn = !has_identity;
  return contents;
}

JournalContents read_journal(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw JournalError(system_error("cannot read the journal", path));
  std::string data;
  try {
    data = read_all(fd, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return parse_journal(data, path);
}

JournalWriter::JournalWriter(std::string path, LockedFile file, std::uint64_t length)
    : path_(std::move(path)), file_(std::move(file)), length_(length) {}

JournalWriter JournalWriter::create(const std::string& path, const std::string& identity) {
  std::string header(kMagic, kMagicLength);
  put_record(header, kIdentity, identity);
  put_record(header, kWriter, this_writer());
  const std::uint64_t length = header.size();
  return JournalWriter(path, LockedFile::create(path, header), length);
}

std::optional<JournalWriter> JournalWriter::open_existing(const std::string& path) {
  std::optional<LockedFile> file = LockedFile::open(path);
  if (!file) return std::nullopt;
  return JournalWriter(path, std::move(*file), 0);
}

JournalContents JournalWriter::read() const {
  return parse_journal(read_all(file_.fd(), path_), path_);
}

void JournalWriter::resume(const JournalContents& contents) {
  if (contents.dropped_bytes > 0 &&
      ::ftruncate(file_.fd(), static_cast<off_t>(contents.intact_bytes)) != 0) {
    throw JournalError(system_error("cannot cut the torn end off the journal", path_));
  }
  length_ = contents.intact_bytes;
  encoder_ = TaskEncoder(contents.metric_names);
  std::string record;
  put_record(record, kWriter, this_writer());
  write_synced(file_.fd(), record, path_);
  length_ += record.size();
}

void JournalWriter::start_afresh(const std::string& identity) {
  std::string header(kMagic, kMagicLength);
  put_record(header, kIdentity, identity);
  put_record(header, kWriter, this_writer());
  if (::ftruncate(file_.fd(), 0) != 0)
    throw JournalError(system_error("cannot start the journal afresh", path_));
  write_synced(file_.fd(), header, path_);
  length_ = header.size();
  encoder_ = TaskEncoder();
}

bool JournalWriter::still_named() const {
  return is_file_at(file_.fd(), path_);
}

std::string journal_holder(const std::string& path) {
  if (!is_locked(path)) return "";
  try {
    std::string writer = read_journal(path).last_writer;
    if (!writer.empty()) return writer;
  } catch (const JournalError&) {
  }
  return "another process";
}

TaskEncoder::TaskEncoder(const std::vector<MetricValue>& names) {
  for (std::uint32_t id = 0; id < names.size(); ++id)
    ids_.emplace(std::make_tuple(names[id].scope, names[id].name), id);
}

std::uint32_t TaskEncoder::metric_id(const MetricValue& m, std::string& out) {
  const auto key = std::make_tuple(m.scope, m.name);
  const auto it = ids_.find(key);
  if (it != ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(ids_.size());
  std::string payload;
  put(payload, id);
  put_text(payload, m.scope);
  put_text(payload, m.name);
  put_text(payload, m.unit);
  put_record(out, kMetricName, payload);
  ids_.emplace(key, id);
  return id;
}

void TaskEncoder::encode(const std::vector<TaskResult>& tasks, std::string& out) {
  for (const TaskResult& t : tasks) {
    std::string payload;
    put(payload, t.design_point);
    put(payload, t.replication);
    put(payload, static_cast<std::uint32_t>(t.metrics.size()));
    for (const MetricValue& m : t.metrics) {
      put(payload, metric_id(m, out));
      put(payload, m.value);
    }
    const bool kept = !t.occupancy.empty();
    put(payload, static_cast<std::uint32_t>(kept ? t.days : 0));
    put(payload, static_cast<std::uint32_t>(kept ? t.settings : 0));
    for (const auto* series : {&t.occupancy, &t.delayed}) {
      payload.append(reinterpret_cast<const char*>(series->data()),
                     series->size() * sizeof(double));
    }
    put_record(out, kTask, payload);
  }
}

std::string encode_tasks(const std::vector<TaskResult>& tasks) {
  std::string block;
  TaskEncoder().encode(tasks, block);
  return block;
}

std::vector<TaskResult> decode_tasks(const std::string& block) {
  JournalContents contents;
  bool has_identity = true;  // a block has no identity record
  const char* end = block.data() + block.size();
  const RecordsEnd stop = read_records(block.data(), end, contents, has_identity);
  if (stop.at != end || !stop.damage.empty())
    throw JournalError("a block of task records is malformed or cut short");
  return std::move(contents.tasks);
}

void JournalWriter::append(const std::vector<TaskResult>& tasks) {
  if (tasks.empty()) return;
  const TaskEncoder before = encoder_;
  std::string buffer;
  encoder_.encode(tasks, buffer);
  try {
    write_synced(file_.fd(), buffer, path_);
  } catch (const JournalError&) {
    // Leave the journal as it was after the last good flush, and forget names not recorded.
    (void)::ftruncate(file_.fd(), static_cast<off_t>(length_));
    encoder_ = before;
    throw;
  }
  length_ += buffer.size();
}

}  // namespace tcsim::models
