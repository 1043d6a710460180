#include "tcsim/models/scenario/config_error.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace tcsim::models {
namespace {

std::string format_message(const ConfigLocation& where, const std::string& problem) {
  std::string text = where.file.empty() ? "<config>" : where.file;
  if (where.line > 0) text += fmt::format(":{}", where.line);
  if (where.column > 0) text += fmt::format(":{}", where.column);
  text += ": ";
  if (!where.key.empty()) text += fmt::format("'{}': ", printable(where.key, 200));
  return text + problem;
}

/// The length of the UTF-8 sequence at the start of `text`, or 0 if it is not well-formed.
std::size_t utf8_sequence(std::string_view text) {
  const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;  // bounds of the second byte (RFC 3629, table 3-7 of Unicode)
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // overlong
    if (lead == 0xed) high = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // overlong
    if (lead == 0xf4) high = 0x8f;  // above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  }
  return length;
}

}  // namespace

std::size_t invalid_utf8_at(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t length = utf8_sequence(text.substr(at));
    if (length == 0) return at;
    at += length;
  }
  return std::string_view::npos;
}

std::string printable(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    if (chars == max_chars) return out + "...";
    const std::size_t length = utf8_sequence(text.substr(at));
    const auto c = static_cast<unsigned char>(text[at]);
    // C1 controls (U+0080..U+009F) too: a terminal may read U+009B as the start of a command.
    const bool c1 = length == 2 && c == 0xc2 && static_cast<unsigned char>(text[at + 1]) < 0xa0;
    if (length == 0 || c < 0x20 || c == 0x7f || c1) {
      out += fmt::format("\\x{:02x}", c);
      at += 1;
    } else {
      out.append(text.substr(at, length));
      at += length;
    }
    ++chars;
  }
  return out;
}

// Every message is made printable here, once: a value quoted from a file or a --set (say an
// escape sequence in a name) must not reach a terminal raw. Nothing is cut.
ConfigError::ConfigError(ConfigLocation where, const std::string& problem)
    : std::runtime_error(printable(format_message(where, problem), std::string::npos)),
      where_(std::move(where)),
      problem_(problem) {}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  std::string_view best;
  std::size_t distance = std::string::npos;
  for (const std::string& candidate : candidates) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < distance) {
      distance = d;
      best = candidate;
    }
  }
  // Close enough to be a typo: at most 2 edits, or a third of the name for long names.
  if (best.empty() || distance > std::max<std::size_t>(2, name.size() / 3)) return "";
  return fmt::format(" (did you mean '{}'?)", best);
}

}  // namespace tcsim::models
