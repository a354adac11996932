#include "dist/serialize.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace plansim {
namespace {

constexpr std::uint32_t kMagic = 0x504C5352;  // "PLSR"
constexpr std::uint32_t kFormat = 3;  // 2: with the profile; 3: series in kSeriesKinds order

class Writer {
 public:
  template <class T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void str(const std::string& s) {
    pod<std::uint64_t>(s.size());
    out_.append(s);
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod<std::uint64_t>(v.size());
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  template <class T>
  void series(const std::map<std::string, std::vector<T>, std::less<>>& m) {
    pod<std::uint64_t>(m.size());
    for (const auto& [k, v] : m) {
      str(k);
      vec(v);
    }
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <class T>
  T pod() {
    T v;
    need(sizeof v);
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    need(n);
    std::string s(in_.substr(at_, n));
    at_ += n;
    return s;
  }
  template <class T>
  std::vector<T> vec() {
    const auto n = pod<std::uint64_t>();
    if (n > in_.size()) throw std::runtime_error("corrupt results record (length)");
    need(n * sizeof(T));
    std::vector<T> v(n);
    if (n) std::memcpy(v.data(), in_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
    return v;
  }
  template <class T>
  std::map<std::string, std::vector<T>, std::less<>> series() {
    std::map<std::string, std::vector<T>, std::less<>> m;
    const auto n = pod<std::uint64_t>();
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string k = str();
      m.emplace(std::move(k), vec<T>());
    }
    return m;
  }
  bool done() const { return at_ == in_.size(); }

 private:
  void need(std::size_t n) const {
    if (n > in_.size() || at_ > in_.size() - n)
      throw std::runtime_error("truncated results record");
  }
  std::string_view in_;
  std::size_t at_ = 0;
};

}  // namespace

std::string serialize_results(const ReplicateResults& r) {
  Writer w;
  w.pod(kMagic);
  w.pod(kFormat);
  w.pod(r.replicate);
  w.vec(r.years);
  for_each_series_map(r, [&](const SeriesKindInfo&, const auto& series) { w.series(series); });
  w.pod<std::uint64_t>(r.scalars.size());
  for (const auto& [k, v] : r.scalars) {
    w.str(k);
    w.pod(v);
  }
  w.pod<std::uint64_t>(r.synthesis_fit.size());
  for (const auto& f : r.synthesis_fit) {
    w.str(f.marginal);
    w.pod(f.target);
    w.pod(f.achieved);
  }
  w.pod<std::uint64_t>(r.zone_labels.size());
  for (const auto& z : r.zone_labels) {
    w.str(z.key);
    w.str(z.name_zh);
    w.str(z.name_en);
    w.pod(z.x_m);
    w.pod(z.y_m);
    w.pod(z.area_km2);
  }
  w.vec(r.facility_ids);
  w.pod<std::uint64_t>(r.facility_names.size());
  for (const auto& n : r.facility_names) w.str(n);
  w.pod<std::uint64_t>(r.profile.size());
  for (const auto& t : r.profile) {
    w.str(t.process);
    w.str(t.phase);
    w.pod(t.wall_seconds);
    w.pod(t.cpu_seconds);
    w.pod(t.calls);
  }
  return w.take();
}

ReplicateResults deserialize_results(std::string_view bytes) {
  Reader in(bytes);
  if (in.pod<std::uint32_t>() != kMagic) throw std::runtime_error("not a results record");
  if (in.pod<std::uint32_t>() != kFormat)
    throw std::runtime_error("results record of another format");
  ReplicateResults r;
  r.replicate = in.pod<std::uint32_t>();
  r.years = in.vec<int>();
  for_each_series_map(r, [&](const SeriesKindInfo&, auto& series) {
    using Element = typename std::decay_t<decltype(series)>::mapped_type::value_type;
    series = in.series<Element>();
  });
  for (auto n = in.pod<std::uint64_t>(); n > 0; --n) {
    std::string k = in.str();
    r.scalars[k] = in.pod<double>();
  }
  for (auto n = in.pod<std::uint64_t>(); n > 0; --n) {
    FitRow f;
    f.marginal = in.str();
    f.target = in.pod<double>();
    f.achieved = in.pod<double>();
    r.synthesis_fit.push_back(std::move(f));
  }
  for (auto n = in.pod<std::uint64_t>(); n > 0; --n) {
    ZoneLabel z;
    z.key = in.str();
    z.name_zh = in.str();
    z.name_en = in.str();
    z.x_m = in.pod<double>();
    z.y_m = in.pod<double>();
    z.area_km2 = in.pod<double>();
    r.zone_labels.push_back(std::move(z));
  }
  r.facility_ids = in.vec<std::uint64_t>();
  for (auto n = in.pod<std::uint64_t>(); n > 0; --n) r.facility_names.push_back(in.str());
  for (auto n = in.pod<std::uint64_t>(); n > 0; --n) {
    PhaseTime t;
    t.process = in.str();
    t.phase = in.str();
    t.wall_seconds = in.pod<double>();
    t.cpu_seconds = in.pod<double>();
    t.calls = in.pod<std::uint64_t>();
    r.profile.push_back(std::move(t));
  }
  if (!in.done()) throw std::runtime_error("trailing bytes after results record");
  return r;
}

}  // namespace plansim
