#include "tcsim/models/report/text_format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace tcsim::models {

std::string json_number(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : "null";
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string csv_number(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : "";
}

std::string csv_number(const std::optional<double>& x) {
  return x ? csv_number(*x) : "";
}

std::string csv_number(double x, int significant) {
  return std::isfinite(x) ? fmt::format("{:.{}g}", x, significant) : "";
}

std::string csv_number(const std::optional<double>& x, int significant) {
  return x ? csv_number(*x, significant) : "";
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string cell_number(double x) {
  if (!std::isfinite(x)) return "n/a";
  if (x == std::floor(x) && std::abs(x) < 1e15) return fmt::format("{:.0f}", x);
  return fmt::format("{:.6g}", x);
}

std::string rounded(double x, double whole_from, int significant) {
  if (!std::isfinite(x)) return "n/a";
  if (std::abs(x) >= whole_from) return fmt::format("{:.0f}", x);
  return fmt::format("{:.{}g}", x, significant);
}

std::string signed_rounded(double x, double whole_from, int significant) {
  const std::string s = rounded(x, whole_from, significant);
  return (x > 0.0 && std::isfinite(x)) ? "+" + s : s;
}

std::string millions(double gbp) {
  return fmt::format("{:.1f}", gbp / 1e6);
}

}  // namespace tcsim::models
