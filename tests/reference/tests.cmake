# The generated city and scenario reference (docs/city-reference.md) and JSON Schemas
# (docs/schema/) are what the readers ask today (tools/reference.sh --check), and the schemas
# accept every shipped scenario and city file and reject what the loader rejects.
add_test(NAME Reference.UpToDate COMMAND ${CMAKE_SOURCE_DIR}/tools/reference.sh --check
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(Reference.UpToDate PROPERTIES LABELS reference
  ENVIRONMENT "PLANSIM=$<TARGET_FILE:plansim>")
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND)
  add_test(NAME Reference.SchemasAgreeWithLoader
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/validate_schemas.py
            ${CMAKE_SOURCE_DIR} $<TARGET_FILE:plansim>
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(Reference.SchemasAgreeWithLoader PROPERTIES LABELS reference)
endif()
