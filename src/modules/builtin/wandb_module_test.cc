#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "modules/builtin/builtin_modules.h"
#include "modules/wandb/schema.h"

namespace cf::modules {
namespace {

TEST(WandbModuleTest, BodyDecodes) {
  BuiltinModules modules;
  const config::ModuleDefinition* wandb = modules.Find(wandb::kSource);
  ASSERT_NE(wandb, nullptr);
  EXPECT_GT(wandb->schema->resources.size(), 50u);
}

}  // namespace
}  // namespace cf::modules
