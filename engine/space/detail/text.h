// Small text helpers for the space module's error messages.
#pragma once

#include <sstream>
#include <string>

#include "core/params.h"

namespace plansim::space_detail {

inline std::string describe(const ParamNode& n) {
  switch (n.kind()) {
    case ParamNode::Kind::Null: return "nothing";
    case ParamNode::Kind::Scalar: return "'" + n.text() + "'";
    case ParamNode::Kind::Sequence: return "a list";
    case ParamNode::Kind::Map: return "a map";
  }
  return "?";
}

inline std::string number_text(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

}  // namespace plansim::space_detail
