# Terminal output in a pseudo-terminal 80 columns wide: the progress line is rewritten in place
# and never wraps, and no printed table is wider than 80 columns (compact layout).
add_test(NAME terminal.compact_80_columns
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/terminal_80_columns.py
          $<TARGET_FILE:plansim> ${CMAKE_SOURCE_DIR})
set_tests_properties(terminal.compact_80_columns PROPERTIES LABELS "integration;terminal"
  TIMEOUT 120)
