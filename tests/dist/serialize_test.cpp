#include "dist/serialize.h"

#include <gtest/gtest.h>

#include <cmath>

namespace plansim {
namespace {

ReplicateResults sample() {
  ReplicateResults r;
  r.replicate = 3;
  r.years = {2020, 2021};
  r.indicators["population"] = {962642.0, std::nan("")};
  r.events["births"] = {9000, 8800};
  r.zones["population"] = {1.f, 2.f, 3.f, 4.f};
  r.scalars["mortality_level_factor"] = 0.61;
  r.synthesis_fit.push_back({"sex/male", 481261, 481260});
  r.zone_labels.push_back({"linshanzhai", "林山寨", "Linshanzhai", 1.0, 2.0, 3.0});
  r.facilities["capacity"] = {100.f, 200.f};
  r.facility_ids = {7};
  r.facility_names = {"中原区第一幼儿园"};
  return r;
}

TEST(Serialize, RoundTripKeepsEveryField) {
  const ReplicateResults in = sample();
  const ReplicateResults out = deserialize_results(serialize_results(in));
  EXPECT_EQ(out.replicate, 3u);
  EXPECT_EQ(out.years, in.years);
  EXPECT_EQ(out.indicators.at("population")[0], 962642.0);
  EXPECT_TRUE(std::isnan(out.indicators.at("population")[1]));
  EXPECT_EQ(out.events, in.events);
  EXPECT_EQ(out.zones, in.zones);
  EXPECT_EQ(out.scalars, in.scalars);
  ASSERT_EQ(out.synthesis_fit.size(), 1u);
  EXPECT_EQ(out.synthesis_fit[0].marginal, "sex/male");
  EXPECT_EQ(out.synthesis_fit[0].achieved, 481260);
  ASSERT_EQ(out.zone_labels.size(), 1u);
  EXPECT_EQ(out.zone_labels[0].name_zh, "林山寨");
  EXPECT_EQ(out.zone_labels[0].area_km2, 3.0);
  EXPECT_EQ(out.facilities, in.facilities);
  EXPECT_EQ(out.facility_ids, in.facility_ids);
  EXPECT_EQ(out.facility_names, in.facility_names);
  // Serialising again gives the same bytes.
  EXPECT_EQ(serialize_results(out), serialize_results(in));
}

TEST(Serialize, TruncatedOrForeignInputIsRejected) {
  const std::string bytes = serialize_results(sample());
  EXPECT_THROW(deserialize_results(bytes.substr(0, bytes.size() - 3)), std::runtime_error);
  EXPECT_THROW(deserialize_results("not a record at all"), std::runtime_error);
  EXPECT_THROW(deserialize_results(bytes + "x"), std::runtime_error);
}

}  // namespace
}  // namespace plansim
