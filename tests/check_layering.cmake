# Fails if any file under SIM_DIR includes a header of the domain layer (models/): the engine
# knows nothing of hospitals. Run as a CTest:
#   cmake -DSIM_DIR=<path to sim/> -P check_layering.cmake
if(NOT DEFINED SIM_DIR OR NOT IS_DIRECTORY "${SIM_DIR}")
  message(FATAL_ERROR "check_layering: SIM_DIR '${SIM_DIR}' is not a directory")
endif()

file(GLOB_RECURSE _files LIST_DIRECTORIES false "${SIM_DIR}/*")
list(LENGTH _files _count)
if(_count EQUAL 0)
  message(FATAL_ERROR "check_layering: no files under '${SIM_DIR}'")
endif()

# Any spelling the preprocessor accepts: spaces around '#', quotes or angle brackets.
set(_pattern "^[ \t]*#[ \t]*include[ \t]*[\"<](tcsim/)?models/")
set(_offences "")
foreach(_file IN LISTS _files)
  file(STRINGS "${_file}" _hits REGEX "${_pattern}")
  foreach(_hit IN LISTS _hits)
    string(STRIP "${_hit}" _hit)
    string(APPEND _offences "\n  ${_file}: ${_hit}")
  endforeach()
endforeach()

if(_offences)
  message(FATAL_ERROR "the engine (sim/) includes the domain layer (models/):${_offences}")
endif()
message(STATUS "check_layering: ${_count} files under ${SIM_DIR}, none includes models/")
