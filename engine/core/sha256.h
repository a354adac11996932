// SHA-256 digests (OpenSSL EVP), for the provenance of results files.
#pragma once

#include <string>
#include <string_view>

namespace plansim {

/// SHA-256 of `data` as 64 lowercase hex digits. Throws std::runtime_error if OpenSSL fails.
std::string sha256_hex(std::string_view data);

}  // namespace plansim
