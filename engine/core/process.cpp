#include "core/process.h"

#include <stdexcept>

namespace plansim {

void Registry::add(std::string name, ProcessId id, std::string description, Factory make,
                   ProcessNeeds needs) {
  for (const auto& e : entries_)
    if (e.name == name || e.id == id)
      throw std::logic_error("process '" + name + "' registered twice (name or id)");
  entries_.push_back(
      {std::move(name), id, std::move(description), std::move(make), std::move(needs)});
}

const Registry::Entry* Registry::find(std::string_view name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<std::string> Registry::makers_of(std::string_view data) const {
  std::vector<std::string> out;
  for (const auto& e : entries_)
    for (const std::string& made : e.needs.makes)
      if (made == data) out.push_back(e.name);
  return out;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

}  // namespace plansim
