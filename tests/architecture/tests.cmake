# Architecture checks (docs/architecture.md): the include graph follows the dependencies declared
# in engine/CMakeLists.txt and matches the doc's table; C++ files follow .clang-format.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND)
  add_test(NAME Architecture.IncludeGraph
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/check_includes.py
            --check-doc docs/architecture.md
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(Architecture.IncludeGraph PROPERTIES LABELS architecture)
endif()
find_program(PLANSIM_CLANG_FORMAT clang-format)
if(PLANSIM_CLANG_FORMAT)
  add_test(NAME Architecture.Format COMMAND ${CMAKE_SOURCE_DIR}/tools/check_format.sh
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(Architecture.Format PROPERTIES LABELS architecture)
endif()
