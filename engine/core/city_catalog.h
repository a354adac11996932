// The city catalogue: the shared city data (zones, the metro network, facility specifications, …),
// each city file read and validated once, by the module that owns it, and then handed read-only
// to every process and intervention that needs it.
//
// A module describes its part as a type T with
//   static constexpr std::string_view kName;  // e.g. "metro network" (for messages)
//   static constexpr std::string_view kFile;  // the file stem in the city folder, e.g. "metro"
//   static T read(CityReadContext& ctx);  // ctx.file: null when the file is absent
// The first configure() that asks for T (ConfigureContext::city_data<T>()) reads the file with
// errors at their locations; later requests get the same object, so each error is reported once
// and no process reads the file again. Whether a missing file is an error is for the asking
// process to say (T records that it was absent).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"

namespace plansim {

class CityCatalog;

/// What a reader of a city file sees: its file, and the catalogue for the data it depends on
/// (e.g. the facilities' zone references are checked against the zones).
struct CityReadContext {
  const ParamNode* file;  // null when the city folder has no such file
  const ParamNode& city;
  CityCatalog& catalog;
  Diagnostics& diags;
  template <class U>
  const U& get();
};

class CityCatalog {
 public:
  /// T of the city, read from city[T::kFile] on the first request.
  template <class T>
  const T& get(const ParamNode& city, Diagnostics& diags) {
    for (const auto& e : entries_)
      if (e->type() == typeid(T)) return static_cast<const Entry<T>&>(*e).value;
    CityReadContext ctx{city.find(T::kFile), city, *this, diags};
    auto entry = std::make_unique<Entry<T>>(T::read(ctx));
    const T& value = entry->value;
    entries_.push_back(std::move(entry));
    return value;
  }
  /// T if some process asked for it already, else null.
  template <class T>
  const T* find() const {
    for (const auto& e : entries_)
      if (e->type() == typeid(T)) return &static_cast<const Entry<T>&>(*e).value;
    return nullptr;
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual const std::type_info& type() const = 0;
  };
  template <class T>
  struct Entry final : Base {
    explicit Entry(T v) : value(std::move(v)) {}
    const std::type_info& type() const override { return typeid(T); }
    T value;
  };
  std::vector<std::unique_ptr<Base>> entries_;
};

template <class U>
const U& CityReadContext::get() {
  return catalog.get<U>(city, diags);
}

}  // namespace plansim
