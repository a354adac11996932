# The HTML report: generated from small runs (2% samples), checked for external references, and
# opened in headless Chromium (tests/report/browser_test.mjs). Label "browser" for the Chromium
# test (about 20 s): `ctest -LE browser` leaves it out.
set(report_dir ${CMAKE_BINARY_DIR}/report-test)
add_test(NAME report.generate
  COMMAND ${CMAKE_COMMAND} -E env bash ${CMAKE_CURRENT_SOURCE_DIR}/report/generate_reports.sh
          $<TARGET_FILE:plansim> ${report_dir}
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(report.generate PROPERTIES FIXTURES_SETUP report_pages LABELS "report"
  TIMEOUT 300)
add_test(NAME report.no_external_urls
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/report/no_external_urls.py
          ${report_dir}/report-2.html ${report_dir}/report-5.html)
set_tests_properties(report.no_external_urls PROPERTIES FIXTURES_REQUIRED report_pages
  LABELS "report")
add_test(NAME report.browser
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/browser_test.sh ${report_dir}
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(report.browser PROPERTIES FIXTURES_REQUIRED report_pages
  LABELS "report;browser" TIMEOUT 180 SKIP_RETURN_CODE 77)
