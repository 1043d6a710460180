// Input digests: SHA-256 against the standard's test vectors, and the lists a run's identity
// compares.

#include <catch2/catch.hpp>

#include "tcsim/models/config/input_digest.hpp"

namespace tcsim::models {

TEST_CASE("sha256_hex gives the FIPS 180-2 test vectors", "[identity]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("input lists are sorted by path and name the first changed file", "[identity]") {
  std::vector<InputDigest> before;
  add_input(before, {"b.csv", sha256_hex("1")});
  add_input(before, {"a.csv", sha256_hex("2")});
  add_input(before, {"b.csv", sha256_hex("read twice")});  // the first reading stands
  REQUIRE(before.size() == 2);
  CHECK(before[0].path == "a.csv");
  CHECK(inputs_text(before) == sha256_hex("2") + "  a.csv\n" + sha256_hex("1") + "  b.csv\n");
  CHECK(first_changed_input(before, before).empty());
  CHECK(parse_inputs_text(inputs_text(before)) == before);

  std::vector<InputDigest> changed = before;
  changed[1].sha256 = sha256_hex("1 changed");
  CHECK(first_changed_input(before, changed) == "b.csv");
  std::vector<InputDigest> fewer{before[0]};
  CHECK(first_changed_input(before, fewer) == "b.csv");
  // NOLINTNEXTLINE(readability-suspicious-call-argument): both orders, on purpose
  CHECK(first_changed_input(fewer, before) == "b.csv");
  std::vector<InputDigest> moved = before;  // the same files, read from another folder
  moved[0].path = "../elsewhere/a.csv";
  CHECK(first_changed_input(before, moved).empty());
}

}  // namespace tcsim::models
