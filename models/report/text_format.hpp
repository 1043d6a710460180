#pragma once
// How numbers and text are written, in one place: every table, CSV and JSON that tcsim prints
// or writes formats through these, so a number reads the same wherever it appears.

#include <optional>
#include <string>
#include <string_view>

namespace tcsim::models {

// --- Machine-readable: shortest text that reads back to the same double -------------------

/// JSON: the shortest round-trip text; `null` for NaN or infinity (JSON has neither).
[[nodiscard]] std::string json_number(double x);
/// A JSON string literal: quotes, backslashes and control characters escaped.
[[nodiscard]] std::string json_string(std::string_view s);
/// CSV: the shortest round-trip text, or an empty field for NaN or infinity.
[[nodiscard]] std::string csv_number(double x);
[[nodiscard]] std::string csv_number(const std::optional<double>& x);
/// CSV with `significant` digits (%g), or an empty field for NaN or infinity.
[[nodiscard]] std::string csv_number(double x, int significant);
[[nodiscard]] std::string csv_number(const std::optional<double>& x, int significant);
/// A CSV field: as it is, or quoted (quotes doubled) when it holds a comma, quote or line break.
[[nodiscard]] std::string csv_field(std::string_view s);

// --- For people: tables and reports ---------------------------------------------------------

/// A table cell: whole numbers without decimals (1000000, not 1e+06), others to 6 significant
/// figures; "n/a" for NaN or infinity.
[[nodiscard]] std::string cell_number(double x);
/// Whole from `whole_from` up ({:.0f}), else `significant` figures; "n/a" for NaN or infinity.
[[nodiscard]] std::string rounded(double x, double whole_from, int significant);
/// As rounded(), with a "+" before a positive number (a difference).
[[nodiscard]] std::string signed_rounded(double x, double whole_from, int significant);
/// Pounds as millions to one decimal (331.1 for 331,100,000).
[[nodiscard]] std::string millions(double gbp);

}  // namespace tcsim::models
