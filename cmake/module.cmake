# cf_module(NAME [DEPS targets...])
#
# One library per folder: every *.cc in the folder except *_test.cc, *_fuzz.cc, *_bench.cc
# and *_main.cc becomes the static library cf_NAME; every *_test.cc becomes the test binary
# cf_NAME_test, registered with CTest one case per test. End-to-end tests (*_e2e_test.cc: real
# binaries against the local cloud, slow) go to their own binary cf_NAME_e2e_test, whose cases
# carry the CTest label `e2e`, a 600 s timeout and the resource lock `local_cloud_heavy`
# (`ctest -L e2e`, `ctest -LE e2e`).
function(cf_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB all_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  set(lib_sources)
  set(test_sources)
  set(e2e_sources)
  foreach(src ${all_sources})
    if(src MATCHES "_e2e_test\\.cc$")
      list(APPEND e2e_sources ${src})
    elseif(src MATCHES "_test\\.cc$")
      list(APPEND test_sources ${src})
    elseif(src MATCHES "_(fuzz|bench|main)\\.cc$")
    else()
      list(APPEND lib_sources ${src})
    endif()
  endforeach()
  if(NOT lib_sources)
    # A folder whose library has no code yet still gives a target others can link.
    set(empty ${CMAKE_CURRENT_BINARY_DIR}/cf_${name}_empty.cc)
    file(WRITE ${empty} "")
    list(APPEND lib_sources ${empty})
  endif()
  add_library(cf_${name} STATIC ${lib_sources})
  target_include_directories(cf_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(cf_${name} PUBLIC ${ARG_DEPS} PRIVATE cf_warnings)
  if(test_sources)
    cf_test_binary(cf_${name}_test ${name} "" "" ${test_sources})
  endif()
  if(e2e_sources)
    cf_test_binary(cf_${name}_e2e_test ${name} e2e 600 ${e2e_sources})
  endif()
endfunction()

# cf_test_binary(TARGET NAME LABEL TIMEOUT SOURCES...): a gtest binary over cf_NAME in
# build/tests, each case a CTest test with LABEL and TIMEOUT seconds (when not empty; otherwise
# ctest's --timeout applies).
function(cf_test_binary target name label timeout)
  add_executable(${target} ${ARGN})
  target_link_libraries(${target} PRIVATE cf_${name} cf_testing GTest::gmock GTest::gtest_main
                        cf_warnings)
  target_compile_definitions(${target} PRIVATE
                             CF_SHARED_DIR="${CF_SHARED_DIR}"
                             CF_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  set(properties)
  if(timeout)
    list(APPEND properties TIMEOUT ${timeout})
  endif()
  if(label)
    list(APPEND properties LABELS ${label})
  endif()
  if(label STREQUAL "e2e")
    # Whole deployments on the local cloud: never two at once, nor beside the Terraform
    # harness (tests/terraform), whose load made a WEKA apply miss its wait (the lock
    # `local_cloud_heavy`; unit tests still run beside them).
    list(APPEND properties RESOURCE_LOCK local_cloud_heavy)
  endif()
  if(properties)
    set(properties PROPERTIES ${properties})
  endif()
  gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST
                       WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                       ${properties})
endfunction()

# cf_embed(TARGET SYMBOL NAMESPACE FILE): adds to TARGET a generated source that defines
# `std::string_view NAMESPACE::SYMBOL()` returning FILE's contents, rebuilt when FILE changes.
function(cf_embed target symbol namespace file)
  set(in ${CMAKE_CURRENT_SOURCE_DIR}/${file})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${symbol}_embedded.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${in} -DOUT=${out} -DSYMBOL=${symbol} -DNAMESPACE=${namespace}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${in} ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    COMMENT "Embedding ${file}")
  target_sources(${target} PRIVATE ${out})
endfunction()
