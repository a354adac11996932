#include "io/yaml_text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace plansim::io_text {

std::optional<std::string> read_file(const std::string& path, std::string& reason,
                                     std::uintmax_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    reason = std::strerror(EISDIR);
    return std::nullopt;
  }
  // Devices, pipes and sockets may never end (/dev/zero) or block (a FIFO): only regular files.
  // Opened without blocking (a FIFO without writer) and checked on the open descriptor, so that
  // a path swapped after the check cannot slip through.
  errno = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    reason = errno != 0 ? std::strerror(errno) : "cannot open";
    return std::nullopt;
  }
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    reason = "not a regular file (a device, pipe or socket); give a file";
    return std::nullopt;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(fdopen(fd, "rb"), &std::fclose);
  if (!file) {
    ::close(fd);
    reason = std::strerror(errno);
    return std::nullopt;
  }
  const auto too_large = [&] {
    reason = "larger than the limit of " + std::to_string(max_bytes >> 20) +
             " MiB for this kind of file (docs/input-limits.md)";
  };
  if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) {
    too_large();
    return std::nullopt;
  }
  std::string bytes;
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    if (bytes.size() + got > max_bytes) {  // the file grew while it was read
      too_large();
      return std::nullopt;
    }
    bytes.append(buffer, got);
  }
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
