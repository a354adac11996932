// Small text helpers for the space module's error messages (the shared ones live in core).
#pragma once

#include "core/params.h"

namespace plansim::space_detail {

inline std::string describe(const ParamNode& n) { return describe_node(n); }
using plansim::number_text;

}  // namespace plansim::space_detail
