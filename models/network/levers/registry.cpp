// The one list of pathway-reform levers. Its order is the order of every output that lists
// levers (describe, the lever metrics, which error is reported first), and levers shape a
// cohort's network in this order. Adding a lever: a file here defining
// `const Lever& NAME_lever()` (see admission_avoidance.cpp) and a line LEVER(NAME) below.

#include "tcsim/models/network/lever.hpp"

// The list is a macro so that a lever is one line here, expanded below into the declarations of
// the levers' functions and the list of them.
// NOLINTBEGIN(cppcoreguidelines-macro-usage): one list expanded twice, see above.
// clang-format off
#define TCSIM_LEVERS(LEVER)         \
  LEVER(admission_avoidance)        \
  LEVER(early_supported_discharge)  \
  LEVER(discharge_to_assess)
// clang-format on

namespace tcsim::models {

#define TCSIM_DECLARE_LEVER(NAME) const Lever& NAME##_lever();
TCSIM_LEVERS(TCSIM_DECLARE_LEVER)
#undef TCSIM_DECLARE_LEVER

const std::vector<const Lever*>& levers() {
#define TCSIM_LIST_LEVER(NAME) &NAME##_lever(),
  static const std::vector<const Lever*> all{TCSIM_LEVERS(TCSIM_LIST_LEVER)};
#undef TCSIM_LIST_LEVER
  return all;
}
// NOLINTEND(cppcoreguidelines-macro-usage)

}  // namespace tcsim::models
