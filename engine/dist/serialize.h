// Binary serialisation of ReplicateResults, for sending results between MPI ranks and for
// persisting finished work items (resume after a failure). Native byte order: the files are
// for the same job on the same cluster, not an exchange format (that is HDF5).
#pragma once

#include <string>
#include <string_view>

#include "core/results.h"

namespace plansim {

std::string serialize_results(const ReplicateResults& results);
/// Throws std::runtime_error on truncated or corrupt input.
ReplicateResults deserialize_results(std::string_view bytes);

}  // namespace plansim
