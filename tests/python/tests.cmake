# Python tests (pytest, Debian's python3-pytest): the examples of docs/hdf5-layout.md run on a
# results file, and plansim.open (python/plansim) gives xarray Datasets. Skipped, with a
# message, when pytest or the readers (h5py, pandas, xarray) are missing.
set(PLANSIM_PYTHON /usr/bin/python3)
execute_process(COMMAND ${PLANSIM_PYTHON} -c "import pytest, h5py, numpy, pandas, xarray"
  RESULT_VARIABLE plansim_python_missing OUTPUT_QUIET ERROR_QUIET)
if(plansim_python_missing)
  add_test(NAME Python.Tests COMMAND ${CMAKE_COMMAND} -E echo
    "SKIPPED: needs python3-pytest, python3-h5py, python3-pandas, python3-xarray (tools/install-deps.sh)")
  set_tests_properties(Python.Tests PROPERTIES SKIP_REGULAR_EXPRESSION "SKIPPED")
else()
  add_test(NAME Python.Tests
    COMMAND ${PLANSIM_PYTHON} -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_LIST_DIR}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(Python.Tests PROPERTIES
    ENVIRONMENT "PLANSIM_BINARY=$<TARGET_FILE:plansim>;PYTHONPATH=${CMAKE_SOURCE_DIR}/python$<$<TARGET_EXISTS:_plansim>::$<TARGET_FILE_DIR:_plansim>>"
    LABELS python TIMEOUT 300)
endif()
