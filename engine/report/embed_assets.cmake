# Writes a C++ source file holding the report's assets (template, styles, script) as string
# constants, so that the plansim binary carries them. Run by the build (see CMakeLists.txt):
#   cmake -DOUTPUT=<file.cpp> -DASSETS="<a>|<b>|..." -P embed_assets.cmake
set(content "// Generated from engine/report/assets by embed_assets.cmake: do not edit.\n")
string(APPEND content "#include <map>\n#include <string>\n\nnamespace plansim {\n")
string(APPEND content "const std::map<std::string, std::string>& report_assets() {\n")
string(APPEND content "  static const std::map<std::string, std::string> assets = {\n")
string(REPLACE "|" ";" ASSETS "${ASSETS}")
foreach(asset ${ASSETS})
  get_filename_component(name ${asset} NAME)
  file(READ ${asset} text)
  # Raw string literals in pieces of at most 8,000 bytes (compilers limit one literal's length).
  string(LENGTH "${text}" length)
  string(APPEND content "    {\"${name}\", std::string()")
  set(offset 0)
  while(offset LESS length)
    string(SUBSTRING "${text}" ${offset} 8000 piece)
    string(APPEND content " +\n        R\"plansim_asset(${piece})plansim_asset\"")
    math(EXPR offset "${offset} + 8000")
  endwhile()
  string(APPEND content "},\n")
endforeach()
string(APPEND content "  };\n  return assets;\n}\n}  // namespace plansim\n")
file(WRITE ${OUTPUT} "${content}")
