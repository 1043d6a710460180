#include "models/results_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

namespace tcsim::models {
namespace {

constexpr char kMagic[] = "TCSIM-JOURNAL-1\n";
constexpr std::size_t kMagicLength = sizeof(kMagic) - 1;
enum Kind : std::uint32_t { kIdentity = 0, kMetricName = 1, kTask = 2 };

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
  const char* at;
  const char* end;
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

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw JournalError(system_error("cannot write the journal", path));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) throw JournalError(system_error("cannot sync the journal", path));
}

/// Makes a new directory entry durable, so a crash cannot lose the file just created.
void sync_directory_of(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

TaskResult read_task(Reader& r, const std::vector<MetricValue>& names, bool& ok) {
  TaskResult t;
  t.design_point = r.get<std::int64_t>();
  t.replication = r.get<std::int64_t>();
  const auto n = r.get<std::uint32_t>();
  for (std::uint32_t i = 0; i < n && r.ok; ++i) {
    const auto id = r.get<std::uint32_t>();
    const auto value = r.get<double>();
    if (id >= names.size()) {
      ok = false;
      return t;
    }
    MetricValue m = names[id];
    m.value = value;
    t.metrics.push_back(std::move(m));
  }
  t.days = r.get<std::uint32_t>();
  t.settings = r.get<std::uint32_t>();
  const std::size_t values = t.days * t.settings;
  for (auto* series : {&t.occupancy, &t.delayed}) {
    if (!r.ok || static_cast<std::size_t>(r.end - r.at) < values * sizeof(double)) {
      ok = false;
      return t;
    }
    series->resize(values);
    if (values > 0) std::memcpy(series->data(), r.at, values * sizeof(double));
    r.at += values * sizeof(double);
  }
  ok = r.ok;
  return t;
}

/// Reads records from [at, end) into `contents` until one is cut short, fails its checksum or
/// does not belong (a task before the identity when `has_identity` is false); returns where
/// the intact records end.
const char* read_records(const char* at, const char* end, JournalContents& contents,
                         bool& has_identity) {
  Reader file{at, end};
  while (file.at < file.end) {
    Reader record = file;
    const auto kind = record.get<std::uint32_t>();
    const auto length = record.get<std::uint64_t>();
    if (!record.ok || static_cast<std::uint64_t>(record.end - record.at) < length + 8) break;
    const char* payload = record.at;
    record.at += length;
    if (record.get<std::uint64_t>() != fnv1a(kind, payload, length)) break;
    Reader body{payload, payload + length};
    bool ok = true;
    if (kind == kIdentity && !has_identity) {
      contents.identity = std::string(payload, length);
      has_identity = true;
    } else if (kind == kMetricName && has_identity) {
      const auto id = body.get<std::uint32_t>();
      MetricValue m;
      m.scope = body.text();
      m.name = body.text();
      m.unit = body.text();
      ok = body.ok && id == contents.metric_names.size();
      if (ok) contents.metric_names.push_back(std::move(m));
    } else if (kind == kTask && has_identity) {
      TaskResult t = read_task(body, contents.metric_names, ok);
      if (ok) contents.tasks.push_back(std::move(t));
    } else {
      ok = false;
    }
    if (!ok) break;
    file.at = record.at;
  }
  return file.at;
}

}  // namespace

JournalContents read_journal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw JournalError(system_error("cannot read the journal", path));
  const std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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
  const char* intact =
      read_records(data.data() + kMagicLength, data.data() + data.size(), contents, has_identity);
  contents.header_torn = !has_identity;
  contents.intact_bytes = static_cast<std::uint64_t>(intact - data.data());
  contents.dropped_bytes = data.size() - contents.intact_bytes;
  return contents;
}

JournalWriter::JournalWriter(std::string path, int fd, std::uint64_t length)
    : path_(std::move(path)), fd_(fd), length_(length) {}

JournalWriter::JournalWriter(JournalWriter&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(other.fd_),
      length_(other.length_),
      encoder_(std::move(other.encoder_)) {
  other.fd_ = -1;
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

JournalWriter JournalWriter::create(const std::string& path, const std::string& identity) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw JournalError(system_error("cannot create the journal", path));
  JournalWriter writer(path, fd, 0);
  std::string header(kMagic, kMagicLength);
  put_record(header, kIdentity, identity);
  write_all(fd, header, path);
  sync_directory_of(path);
  writer.length_ = header.size();
  return writer;
}

JournalWriter JournalWriter::resume(const std::string& path, const JournalContents& contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) throw JournalError(system_error("cannot open the journal", path));
  JournalWriter writer(path, fd, contents.intact_bytes);
  if (contents.dropped_bytes > 0 &&
      ::ftruncate(fd, static_cast<off_t>(contents.intact_bytes)) != 0) {
    throw JournalError(system_error("cannot cut the torn end off the journal", path));
  }
  writer.encoder_ = TaskEncoder(contents.metric_names);
  return writer;
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
  if (read_records(block.data(), end, contents, has_identity) != end)
    throw JournalError("a block of task records is malformed or cut short");
  return std::move(contents.tasks);
}

void JournalWriter::append(const std::vector<TaskResult>& tasks) {
  if (tasks.empty()) return;
  const TaskEncoder before = encoder_;
  std::string buffer;
  encoder_.encode(tasks, buffer);
  try {
    write_all(fd_, buffer, path_);
  } catch (const JournalError&) {
    // Leave the journal as it was after the last good flush, and forget names not recorded.
    (void)::ftruncate(fd_, static_cast<off_t>(length_));
    encoder_ = before;
    throw;
  }
  length_ += buffer.size();
}

}  // namespace tcsim::models
