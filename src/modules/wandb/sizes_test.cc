#include "modules/wandb/sizes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::modules::wandb {
namespace {

using ::testing::Eq;

TEST(SizesTest, SmallIsTheModulesSmallestPreset) {
  Result<SizePreset> small = LookupSize("small");
  ASSERT_OK(small);
  EXPECT_EQ(small->name, "small");
  EXPECT_EQ(small->database_instance_class, "db.r6g.large");
  EXPECT_EQ(small->node_instance_type, "r6i.2xlarge");
  EXPECT_EQ(small->min_nodes_per_az, 1);
  EXPECT_EQ(small->max_nodes_per_az, 4);
  EXPECT_EQ(small->cache_node_type, "cache.m6g.large");
  EXPECT_EQ(small->root_volume_gb, 100);
}

TEST(SizesTest, EachSizeSelectsItsRow) {
  struct Row {
    const char* size;
    const char* db;
    const char* node;
    const char* cache;
    int disk;
  };
  for (const Row& row :
       {Row{"medium", "db.r6g.xlarge", "r6i.4xlarge", "cache.m6g.large", 100},
        Row{"large", "db.r6g.2xlarge", "r6i.4xlarge", "cache.m6g.xlarge", 256},
        Row{"xlarge", "db.r6g.4xlarge", "r6i.4xlarge", "cache.m6g.xlarge", 256},
        Row{"xxlarge", "db.r6g.8xlarge", "r6i.4xlarge", "cache.m6g.2xlarge", 256}}) {
    Result<SizePreset> preset = LookupSize(row.size);
    ASSERT_OK(preset) << row.size;
    EXPECT_EQ(preset->name, row.size);
    EXPECT_EQ(preset->database_instance_class, row.db) << row.size;
    EXPECT_EQ(preset->node_instance_type, row.node) << row.size;
    EXPECT_EQ(preset->cache_node_type, row.cache) << row.size;
    EXPECT_EQ(preset->root_volume_gb, row.disk) << row.size;
    EXPECT_EQ(preset->min_nodes_per_az, 1) << row.size;
    EXPECT_EQ(preset->max_nodes_per_az, 4) << row.size;
  }
}

TEST(SizesTest, DefaultSizeIsSmall) {
  EXPECT_EQ(kDefaultSize, "small");
  EXPECT_OK(LookupSize(kDefaultSize));
}

TEST(SizesTest, UnknownSizeNamesTheChoices) {
  EXPECT_THAT(LookupSize("huge"),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("size \"huge\" is not one of small, medium, large, xlarge, xxlarge")));
}

TEST(SizesTest, LookupIsExactAndCaseSensitive) {
  for (const char* size : {"Small", "SMALL", " small", "small ", "", "x-large"}) {
    EXPECT_THAT(LookupSize(size), StatusIs(StatusCode::kInvalidArgument, ::testing::_)) << size;
  }
}

}  // namespace
}  // namespace cf::modules::wandb
