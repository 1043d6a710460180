# The engine as a library, from outside: installs the build to a scratch prefix, configures the
# project in tests/consumer/ against that prefix alone (find_package(tcsim)), builds it and
# runs it: an M/M/c through <tcsim/sim.hpp> checked against Erlang C (tcsim::sim), and the
# installed reference scenario loaded through tcsim::models. Run as a CTest:
#   cmake -DBUILD_DIR=<tcsim build> -DCONSUMER_DIR=<tests/consumer> -DWORK_DIR=<scratch>
#         -DGENERATOR=<generator> -DCXX_COMPILER=<c++>
#         [-DCXX_FLAGS=<flags the installed libraries need, e.g. sanitizers>] -P check_consumer.cmake
foreach(_var BUILD_DIR CONSUMER_DIR WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "check_consumer: ${_var} is not set")
  endif()
endforeach()

# Runs a command; stops the check naming the step if it fails.
function(step name)
  string(TIMESTAMP _start "%s")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  string(TIMESTAMP _end "%s")
  math(EXPR _seconds "${_end} - ${_start}")
  if(NOT _rc EQUAL 0)
    # One line per installed file would bury the error.
    string(REGEX REPLACE "-- (Installing|Up-to-date): [^\n]*\n" "" _out "${_out}")
    message(FATAL_ERROR "check_consumer: ${name} failed (${_rc}):\n${_out}")
  endif()
  message(STATUS "check_consumer: ${name}: ok (${_seconds} s)")
  set(step_output "${_out}" PARENT_SCOPE)
endfunction()

set(_prefix "${WORK_DIR}/prefix")
set(_build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")

step("install to ${_prefix}" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${_prefix}")
# Only the prefix: no package registry, no system-wide tcsim.
step("configure" "${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${_build}" -G "${GENERATOR}"
     -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${_prefix}"
     -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
     "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
     "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
# The package found must be the one just installed, not another tcsim on the machine.
file(STRINGS "${_build}/CMakeCache.txt" _found REGEX "^tcsim_DIR:")
string(FIND "${_found}" "tcsim_DIR:PATH=${_prefix}/" _at)
if(NOT _at EQUAL 0)
  message(FATAL_ERROR "check_consumer: tcsim found outside the scratch prefix: ${_found}")
endif()
step("build" "${CMAKE_COMMAND}" --build "${_build}")
step("run mmc_consumer" "${_build}/mmc_consumer")
message(STATUS "check_consumer: mmc_consumer says:\n${step_output}")
step("run scenario_consumer" "${_build}/scenario_consumer"
     "${_prefix}/share/tcsim/configs/reference/mmc.yaml")
message(STATUS "check_consumer: scenario_consumer says:\n${step_output}")
