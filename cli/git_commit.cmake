# Writes OUTPUT (a header defining TCSIM_BUILD_IDENTITY) naming what was built, so that
# `tcsim --version`, `run --json` and every results file identify the code that made them:
#   "commit 1a2b3c4d5e6f"                                   a clean git checkout
#   "commit 1a2b3c4d5e6f-modified, sources 0123456789abcdef" uncommitted changes
#   "sources 0123456789abcdef"                              a tree outside git (a tarball)
# "sources" is the start of a SHA-256 over every file of the build's sources (CMake files,
# sim/, models/, cli/), path and content, so two builds of the same sources outside git agree and
# any change to them shows. Run at every build by the tcsim_git_commit target; the header is
# rewritten only when the identity changed.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY "${SOURCE_DIR}"
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                RESULT_VARIABLE rc)
set(in_git TRUE)
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(in_git FALSE)
endif()
set(dirty "")
if(in_git)
  execute_process(COMMAND git status --porcelain --untracked-files=no
                  WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE dirty ERROR_QUIET)
endif()

if(NOT in_git OR NOT dirty STREQUAL "")
  file(GLOB_RECURSE sources LIST_DIRECTORIES false RELATIVE "${SOURCE_DIR}"
       "${SOURCE_DIR}/sim/*" "${SOURCE_DIR}/models/*" "${SOURCE_DIR}/cli/*")
  list(APPEND sources CMakeLists.txt CMakePresets.json)
  list(SORT sources)
  set(manifest "")
  foreach(source IN LISTS sources)
    if(EXISTS "${SOURCE_DIR}/${source}")
      file(SHA256 "${SOURCE_DIR}/${source}" digest)
      string(APPEND manifest "${source} ${digest}\n")
    endif()
  endforeach()
  string(SHA256 sources_digest "${manifest}")
  string(SUBSTRING "${sources_digest}" 0 16 sources_digest)
endif()

if(NOT in_git)
  set(identity "sources ${sources_digest}")
elseif(NOT dirty STREQUAL "")
  set(identity "commit ${commit}-modified, sources ${sources_digest}")
else()
  set(identity "commit ${commit}")
endif()
set(text "#pragma once\n#define TCSIM_BUILD_IDENTITY \"${identity}\"\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE "${OUTPUT}" "${text}")
endif()
