#include "state/sealer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::state {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

State WithSecret() {
  State s;
  s.lineage = "l";
  InstanceState& pw = s.Upsert(*ParseAddress("random_password.admin"), "p");
  pw.attributes = {{"id", "none"}, {"result", "hunter2-very-secret"}, {"length", 20}};
  pw.sensitive_attributes = {"result"};
  s.outputs["password"] = OutputState{"hunter2-very-secret", "string", true};
  s.outputs["plain"] = OutputState{"visible", "string", false};
  return s;
}

TEST(SealerTest, SealedStateHoldsNoSecretAndOpensBack) {
  InMemoryFileSystem fs;
  Result<std::unique_ptr<Sealer>> sealer = LocalKeyFileSealer(fs, "/s/key", true);
  ASSERT_OK(sealer);
  Result<State> sealed = SealState(WithSecret(), **sealer);
  ASSERT_OK(sealed);
  std::string text = Serialize(*sealed);
  EXPECT_THAT(text, Not(HasSubstr("hunter2")));
  EXPECT_THAT(text, HasSubstr("visible"));
  EXPECT_THAT(text, HasSubstr("clusterform_sealed"));
  EXPECT_TRUE(HasSealedValues(*sealed));

  // A second sealer over the same key file opens it.
  Result<std::unique_ptr<Sealer>> again = LocalKeyFileSealer(fs, "/s/key", false);
  ASSERT_OK(again);
  Result<State> parsed = Parse(text);
  ASSERT_OK(parsed);
  ASSERT_OK(OpenState(*parsed, **again));
  EXPECT_EQ(parsed->Find("random_password.admin")->attributes["result"], "hunter2-very-secret");
  EXPECT_EQ(parsed->outputs["password"].value, "hunter2-very-secret");
}

TEST(SealerTest, AnotherKeyOrAMovedValueDoesNotOpen) {
  InMemoryFileSystem fs;
  auto a = LocalKeyFileSealer(fs, "/a", true);
  auto b = LocalKeyFileSealer(fs, "/b", true);
  ASSERT_OK(a);
  ASSERT_OK(b);
  Result<std::string> sealed = (*a)->Seal("\"x\"", "random_password.admin#result");
  ASSERT_OK(sealed);
  EXPECT_THAT((*b)->Open(*sealed, "random_password.admin#result"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("another key")));
  EXPECT_THAT((*a)->Open(*sealed, "random_password.other#result"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("cannot be opened")));
  std::string tampered = *sealed;
  tampered[12] = tampered[12] == 'A' ? 'B' : 'A';  // inside the ciphertext
  EXPECT_FALSE((*a)->Open(tampered, "random_password.admin#result").ok());
  EXPECT_OK((*a)->Open(*sealed, "random_password.admin#result"));
}

TEST(SealerTest, MissingKeyFileIsNotFound) {
  InMemoryFileSystem fs;
  EXPECT_THAT(LocalKeyFileSealer(fs, "/none", false),
              StatusIs(StatusCode::kNotFound, HasSubstr("/none")));
  ASSERT_OK(fs.WriteFileAtomic("/bad", "short"));
  EXPECT_THAT(LocalKeyFileSealer(fs, "/bad", false),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("32 bytes")));
}

TEST(SealerTest, RealKeyFileIsOwnerOnly) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("cf-sealer-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  RealFileSystem fs;
  std::string path = (dir / "clusterform.tfstate.key").string();
  ASSERT_OK(LocalKeyFileSealer(fs, path, true));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cf::state
