# A build outside git identifies itself by a hash of its sources, and the hash follows them:
# copies the sources the identity covers to a folder outside any git checkout, runs
# cli/git_commit.cmake there, changes one byte of one file and runs it again. Run as a
# CTest:
#   cmake -DSOURCE_DIR=<repository> -DWORK_DIR=<scratch folder outside git> -P check_provenance.cmake
foreach(_var SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "check_provenance: ${_var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/src")
file(COPY "${SOURCE_DIR}/sim" "${SOURCE_DIR}/models" "${SOURCE_DIR}/cli" "${SOURCE_DIR}/CMakeLists.txt"
     "${SOURCE_DIR}/CMakePresets.json" DESTINATION "${WORK_DIR}/src")

function(identity_of out_var)
  file(REMOVE "${WORK_DIR}/identity.hpp")
  execute_process(COMMAND "${CMAKE_COMMAND}" -DSOURCE_DIR=${WORK_DIR}/src
                          -DOUTPUT=${WORK_DIR}/identity.hpp
                          -P "${SOURCE_DIR}/cli/git_commit.cmake"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_provenance: git_commit.cmake failed (${rc})")
  endif()
  file(READ "${WORK_DIR}/identity.hpp" text)
  if(NOT text MATCHES "TCSIM_BUILD_IDENTITY \"(sources [0-9a-f]+)\"")
    message(FATAL_ERROR "check_provenance: outside git the build is not named by its sources: "
                        "${text}")
  endif()
  set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

identity_of(first)
identity_of(again)
if(NOT first STREQUAL again)
  message(FATAL_ERROR "check_provenance: the same sources gave '${first}' and '${again}'")
endif()
file(APPEND "${WORK_DIR}/src/sim/time.hpp" " ")
identity_of(changed)
if(first STREQUAL changed)
  message(FATAL_ERROR "check_provenance: a changed source kept the identity '${first}'")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "check_provenance: '${first}', then '${changed}' after a change")
