// Column tables: columns declared once, every operation over all of them, one compaction with
// link remapping.
#include "core/table.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "core/world.h"

namespace plansim {
namespace {

const ColumnSpec<float> kScore{"score", -1.0f};
const ColumnSpec<std::uint32_t> kFriend{"friend", kNoRow, "persons"};
const ColumnSpec<std::string> kNickname{"nickname", "?"};

World three_persons() {
  World w;
  const std::uint32_t h = w.households.append(1, 0);
  for (std::uint64_t id = 1; id <= 3; ++id) w.persons.append(id, 30, kMale, kPrimary, h);
  rebuild_members(w);
  return w;
}

TEST(ColumnTable, AddedColumnsFollowEveryOperation) {
  World w = three_persons();
  std::vector<float>& score = w.persons.add(kScore);
  ASSERT_EQ(score.size(), 3u);
  EXPECT_EQ(score[2], -1.0f);  // existing rows get the fill
  score[0] = 10.0f;
  w.persons.add(kNickname);
  const std::uint32_t row = w.persons.append(4, 20, kFemale, kCollege, 0);
  EXPECT_EQ(row, 3u);
  EXPECT_EQ(w.persons.get(kScore).size(), 4u);
  EXPECT_EQ(w.persons.get(kScore)[3], -1.0f);  // appended rows too
  EXPECT_EQ(w.persons.get(kNickname)[3], "?");
  w.persons.resize(6);
  EXPECT_EQ(w.persons.get(kScore).size(), 6u);
  EXPECT_EQ(w.persons.partner[5], kNoRow);  // member columns keep their own fill
  EXPECT_EQ(w.persons.check_lengths(), "");
  EXPECT_EQ(w.persons.rows(), 6u);
  EXPECT_GE(w.persons.bytes(), 6 * (sizeof(std::uint64_t) + sizeof(float)));
}

TEST(ColumnTable, AddingAgainReturnsTheSameColumnAndTypesAreChecked) {
  World w = three_persons();
  w.persons.add(kScore)[1] = 5.0f;
  EXPECT_EQ(w.persons.add(kScore)[1], 5.0f);  // declared twice: the same column, values kept
  EXPECT_THROW(w.persons.add(ColumnSpec<double>{"score", 0.0}), std::logic_error);
  EXPECT_THROW(w.persons.find(ColumnSpec<double>{"score", 0.0}), std::logic_error);
  EXPECT_THROW(w.persons.add(ColumnSpec<std::uint8_t>{"age", 0}), std::logic_error);  // a member
  EXPECT_EQ(w.persons.find(kFriend), nullptr);
  EXPECT_THROW(w.persons.get(kFriend), std::logic_error);
  EXPECT_TRUE(w.persons.has("age"));
  EXPECT_TRUE(w.persons.has("score"));
  EXPECT_FALSE(w.persons.has("friend"));
}

TEST(ColumnTable, CompactionGathersAddedColumnsAndRemapsTheirLinks) {
  World w = three_persons();
  std::vector<float>& score = w.persons.add(kScore);
  score = {1.0f, 2.0f, 3.0f};
  std::vector<std::uint32_t>& friends = w.persons.add(kFriend);
  friends = {2, 0, 1};  // person 1 -> 3, 2 -> 1, 3 -> 2
  w.persons.removed[0] = 1;
  compact(w);
  ASSERT_EQ(w.persons.size(), 2u);
  EXPECT_EQ(w.persons.get(kScore), (std::vector<float>{2.0f, 3.0f}));
  // Person 2 pointed at the removed person 1: kNoRow. Person 3 pointed at person 2, now row 0.
  EXPECT_EQ(w.persons.get(kFriend), (std::vector<std::uint32_t>{kNoRow, 0}));
  EXPECT_EQ(check_invariants(w), "");
}

// A table of a module (here: of this test), with a person column linking into it.
struct ClubTable : ColumnTable {
  static constexpr std::string_view kName = "clubs";
  ClubTable() : ColumnTable("clubs") {}
  std::vector<std::uint64_t> id;

 protected:
  void members(ColumnVisitor& v) override { member(v, ColumnSpec<std::uint64_t>{"id"}, id); }
};
const ColumnSpec<std::uint32_t> kClub{"club", kNoRow, "clubs"};

TEST(ColumnTable, LinksFromPersonsIntoAModuleTableFollowItsCompaction) {
  World w = three_persons();
  ClubTable& clubs = w.modules.emplace<ClubTable>();
  clubs.id = {11, 12, 13};
  std::vector<std::uint32_t>& club = w.persons.add(kClub);
  club = {0, 1, 2};
  compact_rows(w, clubs, RowMap::keep_unless({0, 1, 0}));
  EXPECT_EQ(w.get<ClubTable>().id, (std::vector<std::uint64_t>{11, 13}));
  EXPECT_EQ(w.persons.get(kClub), (std::vector<std::uint32_t>{0, kNoRow, 1}));
  EXPECT_EQ(clubs.check_lengths(), "");
  EXPECT_EQ(world_tables(w).size(), 3u);  // persons, households, clubs
}

TEST(ColumnTable, ModuleDataIsOnePerTypeAndNamedWhenMissing) {
  World w;
  EXPECT_EQ(w.find<ClubTable>(), nullptr);
  try {
    w.get<ClubTable>();
    FAIL() << "get() of missing module data must throw";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("the World has no clubs"), std::string::npos) << e.what();
  }
  w.modules.emplace<ClubTable>().id = {1};
  EXPECT_EQ(w.modules.ensure<ClubTable>().id.size(), 1u);   // ensure keeps what is there
  EXPECT_EQ(w.modules.emplace<ClubTable>().id.size(), 0u);  // emplace starts afresh
  World copy = w;
  copy.get<ClubTable>().id = {5, 6};
  EXPECT_TRUE(w.get<ClubTable>().id.empty());
}

// A world of 60,000 persons in 20,000 households (several household ranges in rebuild_members),
// some persons moved to other households, some removed, some households removed.
World scrambled_world(std::uint64_t seed) {
  World w;
  std::uint64_t state = seed;
  const auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(state >> 33);
  };
  for (std::uint64_t k = 0; k < 20000; ++k) w.households.append(k + 1, 0);
  for (std::uint64_t id = 1; id <= 60000; ++id)
    w.persons.append(id, 30, kMale, kPrimary, static_cast<std::uint32_t>((id - 1) / 3));
  for (std::size_t i = 0; i + 1 < w.persons.size(); i += 7) {
    w.persons.partner[i] = static_cast<std::uint32_t>(i + 1);
    w.persons.partner[i + 1] = static_cast<std::uint32_t>(i);
  }
  for (std::size_t i = 0; i < w.persons.size(); ++i) {
    if (next() % 10 == 0) w.persons.household[i] = next() % 20000;
    if (next() % 50 == 0) w.persons.removed[i] = 1;
  }
  for (std::size_t k = 0; k < w.households.size(); ++k)
    if (next() % 100 == 0) w.households.removed[k] = 1;
  return w;
}

TEST(Compaction, MatchesAPlainReferenceAtAnyThreadCount) {
  const World start = scrambled_world(11);
  // Reference: the plain sequential definition of compact().
  std::vector<std::uint64_t> ids, partner_ids, household_ids;
  std::vector<std::uint8_t> person_gone(start.persons.size());
  std::vector<int> members(start.households.size(), 0);
  for (std::size_t i = 0; i < start.persons.size(); ++i) {
    person_gone[i] =
        start.persons.removed[i] || start.households.removed[start.persons.household[i]];
    if (!person_gone[i]) ++members[start.persons.household[i]];
  }
  for (std::size_t i = 0; i < start.persons.size(); ++i) {
    if (person_gone[i]) continue;
    ids.push_back(start.persons.id[i]);
    const std::uint32_t q = start.persons.partner[i];
    partner_ids.push_back(q != kNoRow && !person_gone[q] ? start.persons.id[q] : 0);
    household_ids.push_back(start.households.id[start.persons.household[i]]);
  }
  std::vector<std::uint64_t> kept_households;
  for (std::size_t k = 0; k < start.households.size(); ++k)
    if (members[k] > 0) kept_households.push_back(start.households.id[k]);

  for (int threads : {1, 2, 3}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    World w = start;
    compact(w);
    ASSERT_EQ(w.persons.id, ids) << threads;
    ASSERT_EQ(w.households.id, kept_households) << threads;
    for (std::size_t i = 0; i < w.persons.size(); ++i) {
      const std::uint32_t q = w.persons.partner[i];
      ASSERT_EQ(q == kNoRow ? 0 : w.persons.id[q], partner_ids[i]) << threads << " row " << i;
      ASSERT_EQ(w.households.id[w.persons.household[i]], household_ids[i]) << threads;
    }
    EXPECT_EQ(check_invariants(w), "") << threads;
    // A second compaction with nothing to drop changes nothing.
    const World once = w;
    compact(w);
    EXPECT_EQ(w.persons.id, once.persons.id);
    EXPECT_EQ(w.households.member_row, once.households.member_row);
    EXPECT_EQ(w.households.member_offset, once.households.member_offset);
  }
}

TEST(Compaction, RowMapRanksEveryRow) {
  std::vector<std::uint8_t> drop(1000);
  for (std::size_t i = 0; i < drop.size(); ++i) drop[i] = (i % 3 == 0) || (i >= 500 && i < 640);
  const RowMap map = RowMap::keep_unless(drop);
  std::uint32_t expected = 0;
  for (std::uint32_t i = 0; i < drop.size(); ++i)
    ASSERT_EQ(map(i), drop[i] ? kNoRow : expected++) << i;
  EXPECT_EQ(map.kept, expected);
  EXPECT_EQ(map(1000), kNoRow);
  EXPECT_EQ(map(kNoRow), kNoRow);
  EXPECT_FALSE(map.keeps_all());
  EXPECT_TRUE(RowMap::keep_unless(std::vector<std::uint8_t>(130, 0)).keeps_all());
}

TEST(ColumnTable, CopiesAreDeep) {
  World a = three_persons();
  a.persons.add(kScore)[0] = 7.0f;
  World b = a;
  b.persons.get(kScore)[0] = 8.0f;
  EXPECT_EQ(a.persons.get(kScore)[0], 7.0f);
  EXPECT_EQ(b.persons.get(kScore)[0], 8.0f);
  b.persons.append(9, 1, kMale, kNoSchooling, 0);
  EXPECT_EQ(a.persons.get(kScore).size(), 3u);
  EXPECT_EQ(b.persons.get(kScore).size(), 4u);
}

TEST(ColumnTable, CheckLengthsNamesTheColumnThatDiffers) {
  World w = three_persons();
  w.persons.add(kScore).pop_back();
  EXPECT_NE(check_invariants(w).find("column 'score' of table 'persons' has 2 rows"),
            std::string::npos)
      << check_invariants(w);
}

}  // namespace
}  // namespace plansim
