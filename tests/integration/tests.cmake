# Terminal output in a pseudo-terminal 80 columns wide: the progress line is rewritten in place
# and never wraps, and no printed table is wider than 80 columns (compact layout).
add_test(NAME terminal.compact_80_columns
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/terminal_80_columns.py
          $<TARGET_FILE:plansim> ${CMAKE_SOURCE_DIR})
set_tests_properties(terminal.compact_80_columns PROPERTIES LABELS "integration;terminal"
  TIMEOUT 120)
# The calibration test reads every generation of a posterior file with HDF5's C API, as a user's
# own tool would.
if(TARGET integration_tests)
  target_link_libraries(integration_tests PRIVATE ${HDF5_C_LIBRARIES})
  target_include_directories(integration_tests SYSTEM PRIVATE ${HDF5_INCLUDE_DIRS})
endif()
