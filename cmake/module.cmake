# cf_module(NAME [DEPS targets...])
#
# One library per folder: every *.cc in the folder except *_test.cc, *_fuzz.cc, *_bench.cc
# and *_main.cc becomes the static library cf_NAME; every *_test.cc becomes the test binary
# cf_NAME_test, registered with CTest one case per test.
function(cf_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB all_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  set(lib_sources)
  set(test_sources)
  foreach(src ${all_sources})
    if(src MATCHES "_test\\.cc$")
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
    add_executable(cf_${name}_test ${test_sources})
    target_link_libraries(cf_${name}_test PRIVATE cf_${name} cf_testing GTest::gmock GTest::gtest_main
                          cf_warnings)
    target_compile_definitions(cf_${name}_test PRIVATE
                               CF_SHARED_DIR="${CF_SHARED_DIR}"
                               CF_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    set_target_properties(cf_${name}_test PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                          ${CMAKE_BINARY_DIR}/tests)
    gtest_discover_tests(cf_${name}_test DISCOVERY_MODE PRE_TEST
                         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  endif()
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
