#pragma once
// A read-only view of one YAML node that knows where it is (file, line, column, dotted key
// path), so every complaint about it can say so. Only the scenario loader uses it; nothing
// else in tcsim touches YAML.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "tcsim/models/config/input_digest.hpp"
#include "tcsim/models/config/input_file.hpp"
#include "tcsim/models/scenario/config_error.hpp"

namespace tcsim::models {

// YAML::Node has no move assignment and its copy assignment may throw, so the implicit move
// assignment may too; nothing relies on it not throwing.
// NOLINTNEXTLINE(bugprone-exception-escape)
class ConfigNode {
 public:
  /// Parses `text` (whose origin is `file`, for messages); a syntax error becomes ConfigError.
  /// The text must be UTF-8 and hold one YAML document, a mapping. Each override
  /// ("dotted.path", "value"; a list item by its index, "a.b.0") stands in for the value at
  /// that path whenever the loader reads it - also for a key the file lacks. The file's tree
  /// is not changed, so YAML aliases elsewhere keep their values. `options` govern the files
  /// this one names (named_file).
  static ConfigNode parse(const std::string& text, const std::string& file,
                          const std::vector<std::pair<std::string, std::string>>& overrides = {},
                          const InputOptions& options = {});

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const std::string& file() const noexcept { return source_->file; }
  [[nodiscard]] const InputOptions& input_options() const noexcept { return source_->options; }
  /// Records that the file `path`, named by this document, was read with content `bytes`: it
  /// joins the identity of any run of the document (input_digest.hpp).
  void record_input(const std::string& path, std::string_view bytes) const;
  /// The files recorded so far, sorted by path.
  [[nodiscard]] const std::vector<InputDigest>& inputs_read() const noexcept {
    return *source_->inputs;
  }
  [[nodiscard]] ConfigLocation location() const;
  [[noreturn]] void fail(const std::string& problem) const;
  /// Fails at the line of `key` itself in this mapping (for a problem with the name).
  [[noreturn]] void fail_at_key(std::string_view key, const std::string& problem) const;
  /// Where `key` itself is in this mapping (this node's place if it has no such key).
  [[nodiscard]] ConfigLocation key_location(std::string_view key) const;

  [[nodiscard]] bool is_map() const { return node_.IsMap(); }
  [[nodiscard]] bool is_sequence() const { return node_.IsSequence(); }
  [[nodiscard]] bool is_scalar() const { return node_.IsScalar(); }

  // Maps. Keys "source" and "assumption" may stand in any map: they document its numbers.
  [[nodiscard]] bool has(std::string_view key) const;
  /// The value at `key`; a ConfigError saying `expected` if it is missing.
  [[nodiscard]] ConfigNode at(std::string_view key, std::string_view expected) const;
  [[nodiscard]] std::optional<ConfigNode> find(std::string_view key) const;
  /// Entries in document order, excluding "source" and "assumption".
  [[nodiscard]] std::vector<std::pair<std::string, ConfigNode>> entries() const;
  /// Fails on a key not in `allowed` (suggesting the nearest allowed one) or a repeated key.
  void expect_keys(std::initializer_list<std::string_view> allowed) const;
  /// The same, for keys known only at run time (e.g. the levers of the registry).
  void expect_keys(std::span<const std::string_view> allowed) const;
  void expect_map(std::string_view expected) const;

  // Sequences.
  [[nodiscard]] std::vector<ConfigNode> items(std::string_view expected) const;

  // Scalars. `expected` completes "expected ..." in the message.
  [[nodiscard]] std::string text(std::string_view expected) const;
  /// A name (of the scenario, an experiment...): text that must be valid UTF-8 without control
  /// characters, as it is written to results files and terminals. Names given as keys are
  /// checked by entries().
  [[nodiscard]] std::string name(std::string_view expected) const;
  /// A path to another input file written here, resolved against the folder of this YAML file
  /// and, with InputOptions::confine, required to stay inside it (resolve_named_file).
  [[nodiscard]] std::string named_file(std::string_view expected) const;
  [[nodiscard]] double number(std::string_view expected) const;
  [[nodiscard]] double positive(std::string_view expected) const;
  [[nodiscard]] double non_negative(std::string_view expected) const;
  [[nodiscard]] double probability(std::string_view expected) const;
  [[nodiscard]] std::int64_t integer(std::string_view expected) const;
  [[nodiscard]] std::int64_t positive_integer(std::string_view expected) const;
  [[nodiscard]] std::int64_t non_negative_integer(std::string_view expected) const;
  /// True when the scalar is exactly `word` (e.g. "unlimited", "exit").
  [[nodiscard]] bool is_word(std::string_view word) const;

  /// Fails naming the first override the loader never read: its path does not exist.
  void check_overrides_used() const;

  /// Every "source:" / "assumption:" text under this node, as (dotted path of its map, text).
  void collect_provenance(std::vector<std::pair<std::string, std::string>>& out) const;

 private:
  struct Override {
    std::string path;  // as given
    std::string value;
    bool used = false;
  };
  using OverrideTable = std::map<std::string, Override>;  // by normalised path

  /// What every node of one document shares: where it came from and how to read what it names.
  struct Source {
    std::string file;
    InputOptions options;
    /// The files named by this document and read (an empirical CSV), with their SHA-256.
    std::shared_ptr<std::vector<InputDigest>> inputs = std::make_shared<std::vector<InputDigest>>();
  };

  ConfigNode(const YAML::Node& node, std::shared_ptr<const Source> source, std::string path,
             std::shared_ptr<OverrideTable> overrides, bool overridden)
      : node_(node),
        source_(std::move(source)),
        path_(std::move(path)),
        overrides_(std::move(overrides)),
        overridden_(overridden) {}
  /// The node at `path`, or the override given for that path.
  [[nodiscard]] ConfigNode make(const YAML::Node& node, std::string path) const;
  [[nodiscard]] bool overridden_below(const std::string& path) const;
  [[nodiscard]] ConfigNode child(const YAML::Node& node, std::string_view key) const;
  [[nodiscard]] std::string key_of(const YAML::Node& key) const;
  void collect_provenance(std::vector<std::pair<std::string, std::string>>& out,
                          std::size_t& budget) const;
  void expect_some_known_key(std::span<const std::string_view> allowed) const;
  static constexpr std::size_t kMaxNodesWalked = 1'000'000;
  [[nodiscard]] std::string found() const;

  YAML::Node node_;
  std::shared_ptr<const Source> source_;
  std::string path_;
  std::shared_ptr<OverrideTable> overrides_;
  bool overridden_ = false;  // node_ stands for a --set value
};

}  // namespace tcsim::models
