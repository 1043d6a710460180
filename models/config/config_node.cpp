#include "tcsim/models/config/config_node.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace tcsim::models {
namespace {

bool is_provenance_key(std::string_view key) {
  return key == "source" || key == "assumption";
}

std::string join_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

/// Why `name` cannot be a name, or "" if it can.
std::string name_problem(std::string_view name) {
  if (invalid_utf8_at(name) != std::string_view::npos) return "it is not valid UTF-8";
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "it holds a control character";
  }
  return "";
}

// "a.b.0.c" -> "a.b[0].c": the form ConfigNode gives list items' paths.
std::string normalise_path(const std::string& path) {
  std::string out;
  std::string part;
  const auto flush = [&] {
    const bool index = !part.empty() && std::all_of(part.begin(), part.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; });
    if (index && !out.empty()) {
      out += "[" + part + "]";
    } else {
      out += (out.empty() ? "" : ".") + part;
    }
    part.clear();
  };
  for (const char c : path) {
    if (c == '.') {
      flush();
    } else {
      part += c;
    }
  }
  flush();
  return out;
}

/// Where in `text` byte `offset` is, 1-based, for a message.
ConfigLocation location_of(const std::string& file, std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const std::size_t line_start = before.rfind('\n');
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const std::size_t column =
      line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return ConfigLocation{file, static_cast<int>(line), static_cast<int>(column), ""};
}

/// Binary files and text in another encoding stop here, before yaml-cpp sees them: the YAML
/// read by tcsim is UTF-8 text (names end up in HDF5 strings that must decode), and a message
/// about a file that is not text never quotes it.
void check_text(const std::string& text, const std::string& file) {
  const std::size_t bad = invalid_utf8_at(text);
  if (bad != std::string::npos) {
    throw ConfigError(location_of(file, text, bad),
                      "the file is not UTF-8 text (a byte here is not valid UTF-8): expected a "
                      "YAML file");
  }
  const auto control = std::find_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t') ||
           c == 0x7f;
  });
  if (control != text.end()) {
    throw ConfigError(
        location_of(file, text, static_cast<std::size_t>(control - text.begin())),
        fmt::format("the file holds a control character (byte {:#04x}): expected a YAML text file",
                    static_cast<unsigned char>(*control)));
  }
}

/// yaml-cpp's message without what it appends from the file (an escape, a version text): the
/// fixed phrase and the line and column say enough, and the file may not be a tcsim input.
std::string syntax_problem(const std::string& message) {
  return message.substr(0, message.find(": "));
}

/// Records where documents start; nothing else.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  std::vector<YAML::Mark> marks;
};

/// The line of the second document's start ("---"), 1-based, or 0 if not found.
int second_document_line(const std::string& text) {
  int line = 0;
  bool content = false;  // a document begun: its content, or its own '---'
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string_view row(text.data() + at, end - at);
    ++line;
    if (row.starts_with("---") && (row.size() == 3 || row[3] == ' ' || row[3] == '\r')) {
      if (content) return line;
      content = true;
    } else if (!row.empty() && row[0] != '#' && row[0] != '%' && row[0] != '\r') {
      content = true;
    }
    at = end + 1;
  }
  return 0;
}

/// A second document would be silently ignored: the reader may think it counts. The parser is
/// asked for at most two documents - never for all (YAML::LoadAll): yaml-cpp 0.7 finds a new,
/// empty document at a stray ',' again and again without moving on, so LoadAll never ends.
void check_one_document(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  if (!parser.HandleNextDocument(starts) || !parser.HandleNextDocument(starts)) return;
  const int marker = second_document_line(text);
  if (marker > 0) {
    throw ConfigError(ConfigLocation{file, marker, 1, ""},
                      "a second YAML document ('---') begins here: expected one document");
  }
  const YAML::Mark& at = starts.marks.back();
  throw ConfigError(ConfigLocation{file, at.line + 1, at.column + 1, ""},
                    "YAML syntax error: this is not part of the document (a stray ',', ']' or "
                    "'}', or a second document): expected one YAML document");
}

}  // namespace

ConfigNode ConfigNode::parse(const std::string& text, const std::string& file,
                             const std::vector<std::pair<std::string, std::string>>& overrides,
                             const InputOptions& options) {
  auto source = std::make_shared<const Source>(Source{file, options});
  auto table = std::make_shared<OverrideTable>();
  for (const auto& [path, value] : overrides) {
    if (path.empty() || path.front() == '.' || path.back() == '.' ||
        path.find("..") != std::string::npos) {
      throw ConfigError(ConfigLocation{"--set", 0, 0, path},
                        "expected a dotted path such as run.horizon");
    }
    (*table)[normalise_path(path)] = Override{path, value, false};
  }
  check_text(text, file);
  try {
    check_one_document(text, file);
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull()) {
      throw ConfigError(ConfigLocation{file, 1, 1, ""},
                        "the file is empty: expected a YAML mapping of keys");
    }
    if (!root.IsMap()) {
      // The text is not quoted: this may be any file, not a tcsim input.
      const YAML::Mark mark = root.Mark();
      throw ConfigError(ConfigLocation{file, mark.line + 1, mark.column + 1, ""},
                        fmt::format("expected a YAML mapping of keys at the top of the file, "
                                    "found {}",
                                    root.IsSequence() ? "a list" : "a single text"));
    }
    return ConfigNode(root, source, "", table, false);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(ConfigLocation{file, e.mark.line + 1, e.mark.column + 1, ""},
                      "YAML syntax error: " + syntax_problem(e.msg));
  }
}

ConfigNode ConfigNode::make(const YAML::Node& node, std::string path) const {
  if (overrides_) {
    const auto it = overrides_->find(path);
    if (it != overrides_->end()) {
      // The override stands in for whatever the file has at this path, wherever that node is
      // also used (YAML aliases share nodes: the file's tree is never changed).
      it->second.used = true;
      return ConfigNode(YAML::Node(it->second.value), source_, std::move(path), overrides_, true);
    }
  }
  return ConfigNode(node, source_, std::move(path), overrides_, false);
}

bool ConfigNode::overridden_below(const std::string& path) const {
  if (!overrides_) return false;
  // The override itself, or one inside this path (a key of a section the file leaves out).
  const auto it = overrides_->lower_bound(path);
  if (it == overrides_->end()) return false;
  const std::string& found = it->first;
  return found == path || (found.size() > path.size() && found.compare(0, path.size(), path) == 0 &&
                           (found[path.size()] == '.' || found[path.size()] == '['));
}

// An override the loader never read: walk its path through the file to say where it leaves
// the scenario, with the keys that are there.
void ConfigNode::check_overrides_used() const {
  if (!overrides_) return;
  for (const auto& [normalised, o] : *overrides_) {
    if (o.used) continue;
    const ConfigLocation where{"--set", 0, 0, o.path};
    YAML::Node node;
    node.reset(node_);
    std::string walked;
    std::string part;
    std::istringstream parts(o.path);
    while (std::getline(parts, part, '.')) {
      const std::string parent = walked.empty() ? std::string("(top)") : walked;
      if (node.IsMap()) {
        if (!node[part]) {
          std::vector<std::string> keys;
          std::string list;
          for (const auto& kv : node) {
            if (!kv.first.IsScalar()) continue;
            keys.push_back(kv.first.Scalar());
            list += (list.empty() ? "" : ", ") + keys.back();
          }
          throw ConfigError(where, fmt::format("no key '{}' under '{}'{}; keys there: {}", part,
                                               parent, did_you_mean(part, keys), list));
        }
        YAML::Node next = node[part];
        node.reset(next);
      } else if (node.IsSequence()) {
        const bool digits = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
          return c >= '0' && c <= '9';
        });
        if (!digits || std::stoul(part) >= node.size()) {
          throw ConfigError(where, fmt::format("'{}' is a list of {} items: expected an index "
                                               "from 0 to {}, found '{}'",
                                               parent, node.size(), node.size() - 1, part));
        }
        YAML::Node next = node[std::stoul(part)];
        node.reset(next);
      } else {
        throw ConfigError(where,
                          fmt::format("'{}' is a single value: it has no '{}'", parent, part));
      }
      walked += (walked.empty() ? "" : ".") + part;
    }
    throw ConfigError(where,
                      "tcsim does not read this value here (a source or assumption text, or a "
                      "key this kind of entry does not use)");
  }
}

ConfigLocation ConfigNode::location() const {
  if (overridden_) return ConfigLocation{"--set", 0, 0, path_};
  const YAML::Mark mark = node_.Mark();
  const bool known = mark.line >= 0;
  return ConfigLocation{source_->file, known ? mark.line + 1 : 0, known ? mark.column + 1 : 0,
                        path_};
}

void ConfigNode::fail(const std::string& problem) const {
  throw ConfigError(location(), problem);
}

ConfigLocation ConfigNode::key_location(std::string_view key) const {
  if (node_.IsMap()) {
    for (const auto& kv : node_) {
      if (kv.first.IsScalar() && kv.first.Scalar() == key) {
        return ConfigNode(kv.first, source_, join_path(path_, key), overrides_, false).location();
      }
    }
  }
  return ConfigNode(node_, source_, join_path(path_, key), overrides_, overridden_).location();
}

void ConfigNode::fail_at_key(std::string_view key, const std::string& problem) const {
  throw ConfigError(key_location(key), problem);
}

std::string ConfigNode::found() const {
  if (!node_.IsDefined() || node_.IsNull()) return "nothing";
  if (node_.IsMap()) return "a mapping";
  if (node_.IsSequence()) return "a list";
  return fmt::format("'{}'", printable(node_.Scalar()));
}

ConfigNode ConfigNode::child(const YAML::Node& node, std::string_view key) const {
  return make(node, join_path(path_, key));
}

void ConfigNode::expect_map(std::string_view expected) const {
  if (!node_.IsMap()) fail(fmt::format("expected {}, found {}", expected, found()));
}

bool ConfigNode::has(std::string_view key) const {
  if (!node_.IsMap()) return false;
  return static_cast<bool>(node_[std::string(key)]) || overridden_below(join_path(path_, key));
}

std::optional<ConfigNode> ConfigNode::find(std::string_view key) const {
  if (!node_.IsMap()) return std::nullopt;
  const YAML::Node value = node_[std::string(key)];
  if (value) return child(value, key);
  // A key the file lacks may still be given by --set: the value itself, or a key inside a
  // section the file leaves out (then the section stands as an empty mapping).
  const std::string path = join_path(path_, key);
  if (!overridden_below(path)) return std::nullopt;
  return make(YAML::Node(YAML::NodeType::Map), path);
}

ConfigNode ConfigNode::at(std::string_view key, std::string_view expected) const {
  expect_map("a mapping");
  if (auto value = find(key)) return *value;
  throw ConfigError(location(), fmt::format("missing key '{}': expected {}", key, expected));
}

std::string ConfigNode::key_of(const YAML::Node& key) const {
  if (!key.IsScalar()) {
    throw ConfigError(ConfigNode(key, source_, path_, overrides_, false).location(),
                      "expected a plain name as a key, found a mapping or a list");
  }
  return key.Scalar();
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::entries() const {
  std::vector<std::pair<std::string, ConfigNode>> out;
  if (!node_.IsMap()) return out;
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    const std::string key = key_of(kv.first);
    const ConfigNode key_node(kv.first, source_, join_path(path_, key), overrides_, false);
    // Names must be unique: a repeated name would silently hide the first definition.
    if (!seen.insert(key).second) key_node.fail("this name appears twice in the same mapping");
    // Names end up in results files (HDF5 strings that readers decode as UTF-8) and on screens.
    if (const std::string problem = name_problem(key); !problem.empty()) {
      key_node.fail(fmt::format("expected a name of printable UTF-8 text: {}", problem));
    }
    if (is_provenance_key(key)) {
      if (!kv.second.IsScalar()) {
        key_node.fail("expected a text saying where the numbers come from");
      }
      continue;
    }
    out.emplace_back(key, child(kv.second, key));
  }
  return out;
}

void ConfigNode::expect_keys(std::initializer_list<std::string_view> allowed) const {
  expect_keys(std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

void ConfigNode::expect_keys(std::span<const std::string_view> allowed) const {
  expect_map("a mapping");
  if (path_.empty()) expect_some_known_key(allowed);
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    const std::string key = key_of(kv.first);
    const ConfigNode key_node(kv.first, source_, join_path(path_, key), overrides_, false);
    if (!seen.insert(key).second) key_node.fail("this key appears twice in the same mapping");
    if (is_provenance_key(key)) {
      if (!kv.second.IsScalar())
        key_node.fail("expected a text saying where the numbers come from");
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::vector<std::string> candidates(allowed.begin(), allowed.end());
    std::string valid;
    for (const std::string& candidate : candidates)
      valid += (valid.empty() ? "" : ", ") + candidate;
    key_node.fail(
        fmt::format("unknown key{}; valid keys here: {}", did_you_mean(key, candidates), valid));
  }
}

// A file none of whose top-level keys is one of this kind of file is not a tcsim input (say a
// settings file of another program, named by mistake or on purpose): its keys are not quoted.
void ConfigNode::expect_some_known_key(std::span<const std::string_view> allowed) const {
  if (node_.size() == 0) return;  // the first missing key says what is needed
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) continue;
    const std::string& key = kv.first.Scalar();
    if (is_provenance_key(key)) return;
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) return;
  }
  std::string valid;
  for (const std::string_view candidate : allowed)
    valid += fmt::format("{}{}", valid.empty() ? "" : ", ", candidate);
  fail(
      fmt::format("none of the keys at the top of the file is one this kind of file has "
                  "(its keys are not shown); expected some of: {}",
                  valid));
}

std::vector<ConfigNode> ConfigNode::items(std::string_view expected) const {
  if (!node_.IsSequence()) fail(fmt::format("expected {}, found {}", expected, found()));
  std::vector<ConfigNode> out;
  std::size_t index = 0;
  for (const auto& item : node_) {
    out.push_back(make(item, fmt::format("{}[{}]", path_, index++)));
  }
  return out;
}

std::string ConfigNode::text(std::string_view expected) const {
  if (!node_.IsScalar()) fail(fmt::format("expected {}, found {}", expected, found()));
  return node_.Scalar();
}

double ConfigNode::number(std::string_view expected) const {
  (void)text(expected);
  double value = 0.0;
  try {
    value = node_.as<double>();
  } catch (const YAML::Exception&) {
    fail(fmt::format("expected {}, found {}", expected, found()));
  }
  if (!std::isfinite(value)) fail(fmt::format("expected {}, found {}", expected, found()));
  return value;
}

std::string ConfigNode::name(std::string_view expected) const {
  std::string value = text(expected);
  const std::string problem = name_problem(value);
  if (!problem.empty()) {
    fail(fmt::format("expected {} of printable UTF-8 text, found {}: {}", expected, found(),
                     problem));
  }
  return value;
}

void ConfigNode::record_input(const std::string& path, std::string_view bytes) const {
  add_input(*source_->inputs, InputDigest{path, sha256_hex(bytes)});
}

std::string ConfigNode::named_file(std::string_view expected) const {
  return resolve_named_file(name(expected), source_->file, location(), source_->options);
}

double ConfigNode::positive(std::string_view expected) const {
  const double value = number(expected);
  if (!(value > 0.0)) fail(fmt::format("expected {} (> 0), found {}", expected, node_.Scalar()));
  return value;
}

double ConfigNode::non_negative(std::string_view expected) const {
  const double value = number(expected);
  if (value < 0.0) fail(fmt::format("expected {} (>= 0), found {}", expected, node_.Scalar()));
  return value;
}

double ConfigNode::probability(std::string_view expected) const {
  const double value = number(expected);
  if (value < 0.0 || value > 1.0) {
    fail(fmt::format("expected {} between 0 and 1, found {}", expected, node_.Scalar()));
  }
  return value;
}

std::int64_t ConfigNode::integer(std::string_view expected) const {
  // yaml-cpp reads 1e6 as a double only; accept whole numbers written either way.
  const double value = number(expected);
  if (value != std::floor(value) || std::abs(value) > 9.0e15) {
    fail(fmt::format("expected {} (a whole number), found {}", expected, found()));
  }
  return static_cast<std::int64_t>(value);
}

std::int64_t ConfigNode::positive_integer(std::string_view expected) const {
  const std::int64_t value = integer(expected);
  if (value <= 0) fail(fmt::format("expected {} (a whole number > 0), found {}", expected, value));
  return value;
}

std::int64_t ConfigNode::non_negative_integer(std::string_view expected) const {
  const std::int64_t value = integer(expected);
  if (value < 0) fail(fmt::format("expected {} (a whole number >= 0), found {}", expected, value));
  return value;
}

bool ConfigNode::is_word(std::string_view word) const {
  return node_.IsScalar() && node_.Scalar() == word;
}

void ConfigNode::collect_provenance(std::vector<std::pair<std::string, std::string>>& out) const {
  std::size_t budget = kMaxNodesWalked;
  collect_provenance(out, budget);
}

// `budget` bounds the nodes walked: YAML aliases can make a small file expand exponentially.
void ConfigNode::collect_provenance(std::vector<std::pair<std::string, std::string>>& out,
                                    std::size_t& budget) const {
  if (budget == 0) {
    fail(fmt::format("the document expands to more than {} values (through YAML aliases?)",
                     kMaxNodesWalked));
  }
  --budget;
  if (node_.IsMap()) {
    for (const auto& kv : node_) {
      const std::string key = key_of(kv.first);
      if (is_provenance_key(key) && kv.second.IsScalar()) {
        out.emplace_back(path_.empty() ? std::string("(top)") : path_,
                         key + ": " + kv.second.Scalar());
      } else {
        child(kv.second, key).collect_provenance(out, budget);
      }
    }
  } else if (node_.IsSequence()) {
    for (const ConfigNode& item : items("a list"))
      item.collect_provenance(out, budget);
  }
}

}  // namespace tcsim::models
