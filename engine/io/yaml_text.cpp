#include "io/yaml_text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace plansim::io_text {

std::optional<std::string> read_file(const std::string& path, std::string& reason) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    reason = std::strerror(EISDIR);
    return std::nullopt;
  }
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    reason = errno != 0 ? std::strerror(errno) : "cannot open";
    return std::nullopt;
  }
  std::string bytes;
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) bytes.append(buffer, got);
  if (std::ferror(file.get())) {
    reason = errno != 0 ? std::strerror(errno) : "read error";
    return std::nullopt;
  }
  return bytes;
}

std::size_t utf8_bom_length(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

int utf8_length(std::string_view bytes) {
  int characters = 0;
  for (char c : bytes)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++characters;
  return characters;
}

bool is_command_line(std::string_view file) { return file == kCommandLineFile; }

std::string resolve_relative(const std::string& referencing_file, const std::string& relative) {
  std::filesystem::path target(relative);
  if (target.is_relative() && !referencing_file.empty() && !is_command_line(referencing_file))
    target = std::filesystem::path(referencing_file).parent_path() / target;
  std::string normal = target.lexically_normal().string();
  return normal.empty() ? std::string(".") : normal;
}

}  // namespace plansim::io_text
