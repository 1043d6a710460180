# The layering rules of the source tree, each a CTest (tests/CMakeLists.txt). A rule names the
# folders it reads, the folders it exempts and the include it forbids there:
#
#   sim_does_not_include_models           the engine (sim/) knows nothing of hospitals
#   only_config_includes_yaml             YAML is read in models/config/ alone: no other file of
#                                         sim/, models/ or cli/ includes <yaml-cpp/...>
#   only_cli_includes_report              how results are shown is the executable's business:
#                                         nothing in sim/ or models/ outside models/report/
#                                         includes tcsim/models/report/
#   experiments_do_not_include_economics  designs and batch runs stand below the analyses:
#                                         models/experiments/ includes no tcsim/models/economics/
#
# "Includes" means directly or through tcsim's own headers: a file that includes
# tcsim/models/config/config_node.hpp includes yaml-cpp as surely as if it named it (the tcsim
# headers are those under ROOT/sim and ROOT/models). An include counts in any spelling the
# preprocessor accepts (spaces around '#', quotes or angle brackets, with or without the tcsim/
# prefix). Only C++ files are read.
#
# Run as: cmake -DRULE=<rule> -DROOT=<tree holding sim/, models/, cli/> -P check_layering.cmake
cmake_minimum_required(VERSION 3.25)  # policies of today in script mode (IN_LIST)
if(NOT DEFINED ROOT OR NOT IS_DIRECTORY "${ROOT}")
  message(FATAL_ERROR "check_layering: ROOT '${ROOT}' is not a directory")
endif()
get_filename_component(ROOT "${ROOT}" ABSOLUTE)

if(RULE STREQUAL "sim_does_not_include_models")
  set(_scan sim)
  set(_exempt "")
  set(_forbidden "models/")
  set(_why "the engine (sim/) includes the domain layer (models/)")
elseif(RULE STREQUAL "only_config_includes_yaml")
  set(_scan sim models cli)
  set(_exempt models/config)
  set(_forbidden "yaml-cpp/")
  set(_why "yaml-cpp is included outside models/config/")
elseif(RULE STREQUAL "only_cli_includes_report")
  set(_scan sim models)
  set(_exempt models/report)
  set(_forbidden "models/report/")
  set(_why "models/report/ is included outside cli/ (and report/ itself)")
elseif(RULE STREQUAL "experiments_do_not_include_economics")
  set(_scan models/experiments)
  set(_exempt "")
  set(_forbidden "models/economics/")
  set(_why "models/experiments/ includes models/economics/")
else()
  message(FATAL_ERROR "check_layering: unknown RULE '${RULE}'")
endif()

set(_include "^[ \t]*#[ \t]*include[ \t]*[\"<]")
set(_direct "${_include}(tcsim/)?${_forbidden}")

# The C++ files under ROOT/<dir>, as paths relative to ROOT.
function(cxx_files dir out_var)
  file(GLOB_RECURSE _found LIST_DIRECTORIES false RELATIVE "${ROOT}" "${ROOT}/${dir}/*.cpp"
       "${ROOT}/${dir}/*.hpp" "${ROOT}/${dir}/*.h" "${ROOT}/${dir}/*.cc")
  set(${out_var} "${_found}" PARENT_SCOPE)
endfunction()

# The tcsim headers (relative to ROOT) that `file` includes, in any spelling.
function(tcsim_includes file out_var)
  file(STRINGS "${ROOT}/${file}" _lines REGEX "${_include}(tcsim/)?(sim|models)/")
  set(_headers "")
  foreach(_line IN LISTS _lines)
    if(_line MATCHES "[\"<](tcsim/)?((sim|models)/[^\">]+)[\">]")
      list(APPEND _headers "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  set(${out_var} "${_headers}" PARENT_SCOPE)
endfunction()

# The tcsim headers that bring the forbidden include in, directly or through other tcsim
# headers: start from those naming it and add their includers until nothing changes.
set(_headers "")
foreach(_dir sim models)
  cxx_files(${_dir} _found)
  list(FILTER _found INCLUDE REGEX "\\.(hpp|h)$")
  list(APPEND _headers ${_found})
endforeach()
set(_carriers "")
foreach(_header IN LISTS _headers)
  tcsim_includes("${_header}" _includes_${_header})
  file(STRINGS "${ROOT}/${_header}" _hits REGEX "${_direct}")
  if(_hits)
    list(APPEND _carriers "${_header}")
  endif()
endforeach()
set(_changed TRUE)
while(_changed)
  set(_changed FALSE)
  foreach(_header IN LISTS _headers)
    if(NOT _header IN_LIST _carriers)
      foreach(_included IN LISTS _includes_${_header})
        if(_included IN_LIST _carriers AND NOT _header IN_LIST _carriers)
          list(APPEND _carriers "${_header}")
          set(_changed TRUE)
        endif()
      endforeach()
    endif()
  endforeach()
endwhile()

# The files the rule reads: every scanned folder must exist and hold sources (a renamed folder
# must not pass unread), less the exempt folders.
set(_files "")
foreach(_dir IN LISTS _scan)
  cxx_files(${_dir} _found)
  if(NOT _found)
    message(FATAL_ERROR "check_layering: ${RULE}: no C++ files under '${ROOT}/${_dir}'")
  endif()
  foreach(_file IN LISTS _found)
    set(_exempted FALSE)
    foreach(_skip IN LISTS _exempt)
      string(FIND "${_file}" "${_skip}/" _at)
      if(_at EQUAL 0)
        set(_exempted TRUE)
      endif()
    endforeach()
    if(NOT _exempted)
      list(APPEND _files "${_file}")
    endif()
  endforeach()
endforeach()
list(LENGTH _files _count)

set(_offences "")
foreach(_file IN LISTS _files)
  file(STRINGS "${ROOT}/${_file}" _hits REGEX "${_direct}")
  foreach(_hit IN LISTS _hits)
    string(STRIP "${_hit}" _hit)
    string(APPEND _offences "\n  ${_file}: ${_hit}")
  endforeach()
  tcsim_includes("${_file}" _included)
  foreach(_header IN LISTS _included)
    string(FIND "${_header}" "${_forbidden}" _named)  # a forbidden header is reported above
    if(_header IN_LIST _carriers AND NOT _named EQUAL 0)
      string(APPEND _offences "\n  ${_file}: includes tcsim/${_header}, which brings in ${_forbidden}")
    endif()
  endforeach()
endforeach()

if(_offences)
  message(FATAL_ERROR "check_layering: ${RULE}: ${_why}:${_offences}")
endif()
message(STATUS "check_layering: ${RULE}: ${_count} files read, none includes ${_forbidden}")
