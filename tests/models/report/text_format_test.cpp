// The one formatting module: how each kind of number and text is written.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <optional>

#include "tcsim/models/report/text_format.hpp"

namespace tcsim::models {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("machine-readable numbers read back to the same double", "[text_format]") {
  for (const double x : {0.1, 1.0 / 3.0, 2.5e-300, 123456789.125, -7.0}) {
    CHECK(std::stod(json_number(x)) == x);
    CHECK(std::stod(csv_number(x)) == x);
  }
  CHECK(json_number(kNaN) == "null");
  CHECK(json_number(kInf) == "null");
  CHECK(csv_number(kNaN).empty());
  CHECK(csv_number(std::optional<double>()).empty());
  CHECK(csv_number(1.0 / 3.0, 4) == "0.3333");
  CHECK(csv_number(std::optional<double>(2.0), 10) == "2");
}

TEST_CASE("JSON strings and CSV fields are escaped", "[text_format]") {
  CHECK(json_string("plain") == "\"plain\"");
  CHECK(json_string("a\"b\\c\nd\te") == "\"a\\\"b\\\\c\\nd\\te\"");
  CHECK(json_string(std::string("\x01", 1)) == "\"\\u0001\"");
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("numbers for people", "[text_format]") {
  CHECK(cell_number(1e6) == "1000000");
  CHECK(cell_number(0.123456789) == "0.123457");
  CHECK(cell_number(kNaN) == "n/a");
  CHECK(rounded(1234.56, 1000, 3) == "1235");
  CHECK(rounded(12.3456, 1000, 3) == "12.3");
  CHECK(rounded(150.2, 100, 3) == "150");
  CHECK(rounded(kInf, 100, 3) == "n/a");
  CHECK(signed_rounded(0.5, 100, 3) == "+0.5");
  CHECK(signed_rounded(-0.5, 100, 3) == "-0.5");
  CHECK(signed_rounded(0.0, 100, 3) == "0");
  CHECK(millions(331.1e6) == "331.1");
}

}  // namespace tcsim::models
