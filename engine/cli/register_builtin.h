// The explicit list of built-in processes (no static-initialiser registration).
#pragma once

#include "core/process.h"

namespace plansim {

/// Registers every built-in process with its fixed ProcessId. Ids are part of the random-number
/// counters: never reuse or renumber one, or results of old scenarios change.
void register_builtin_processes(Registry& registry);

}  // namespace plansim
