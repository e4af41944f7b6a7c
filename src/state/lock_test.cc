#include "state/lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "state/local_backend.h"
#include "state/store.h"
#include "testing/fake_clock.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::state {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class LockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cf-lock-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "clusterform.tfstate").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
  RealFileSystem fs_;
  FakeClock clock_;
};

TEST_F(LockTest, SecondHolderWaitsThenFailsWithTheHoldersDetails) {
  LocalBackend backend(fs_, path_);
  LockOptions options;
  options.lease = 60s;
  Result<std::unique_ptr<HeldLock>> first = AcquireLock(backend, clock_, options);
  ASSERT_OK(first);
  LocalBackend other(fs_, path_);
  LockOptions waiting = options;
  waiting.timeout = 5s;
  auto before = clock_.Monotonic();
  Result<std::unique_ptr<HeldLock>> second = AcquireLock(other, clock_, waiting);
  EXPECT_THAT(second, StatusIs(StatusCode::kConflict, HasSubstr((*first)->info().id)));
  EXPECT_THAT(second.status().message(), HasSubstr("Who:       " + (*first)->info().who));
  EXPECT_THAT(second.status().message(), HasSubstr("force-unlock"));
  EXPECT_GE(clock_.Monotonic() - before, 5s);
  ASSERT_OK((*first)->Release());
  Result<std::unique_ptr<HeldLock>> third = AcquireLock(other, clock_, options);
  EXPECT_OK(third);
}

TEST_F(LockTest, ExpiredLeaseIsTakenOverWithAWarning) {
  LocalBackend backend(fs_, path_);
  LockOptions options;
  options.lease = 10s;
  Result<std::unique_ptr<HeldLock>> dead = AcquireLock(backend, clock_, options);
  ASSERT_OK(dead);
  std::string dead_id = (*dead)->info().id;
  (*dead)->Abandon();  // the holder was killed: it renews no more
  clock_.Advance(11s);
  std::string warning;
  options.warn = [&](const std::string& w) { warning = w; };
  Result<std::unique_ptr<HeldLock>> next = AcquireLock(backend, clock_, options);
  ASSERT_OK(next);
  EXPECT_THAT(warning, HasSubstr(dead_id));
  EXPECT_THAT(warning, HasSubstr("expired"));
  Result<std::optional<LockInfo>> current = backend.CurrentLock();
  ASSERT_OK(current);
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->id, (*next)->info().id);
}

TEST_F(LockTest, AKilledHolderOfThisHostIsTakenOverAtOnce) {
  LocalBackend backend(fs_, path_);
  LockInfo dead = MakeLockInfo(LockOptions{}, path_, clock_);
  pid_t child = ::fork();
  if (child == 0) {
    ::_exit(0);
  }
  ::waitpid(child, nullptr, 0);
  dead.pid = child;  // a process that existed and is gone
  ASSERT_OK(backend.TryLock(dead, nullptr));
  std::string warning;
  LockOptions options;
  options.warn = [&](const std::string& w) { warning = w; };
  Result<std::unique_ptr<HeldLock>> next = AcquireLock(backend, clock_, options);
  ASSERT_OK(next);
  EXPECT_THAT(warning, HasSubstr("no longer exists"));
}

TEST_F(LockTest, HolderRenewsItsLease) {
  LocalBackend backend(fs_, path_);
  LockOptions options;
  options.lease = 300ms;  // renewed every 100ms of real time
  Result<std::unique_ptr<HeldLock>> held = AcquireLock(backend, clock_, options);
  ASSERT_OK(held);
  std::string first_expiry = (*held)->info().expires;
  clock_.Advance(10s);
  std::this_thread::sleep_for(400ms);
  Result<std::optional<LockInfo>> current = backend.CurrentLock();
  ASSERT_OK(current);
  ASSERT_TRUE(current->has_value());
  EXPECT_NE((*current)->expires, first_expiry);
  // Renewed, so not taken over.
  LocalBackend other(fs_, path_);
  EXPECT_THAT(AcquireLock(other, clock_, LockOptions{}),
              StatusIs(StatusCode::kConflict, HasSubstr("")));
}

TEST_F(LockTest, ForceUnlockNeedsTheRightId) {
  LocalBackend backend(fs_, path_);
  Result<std::unique_ptr<HeldLock>> held = AcquireLock(backend, clock_, LockOptions{});
  ASSERT_OK(held);
  EXPECT_THAT(backend.Unlock("wrong"),
              StatusIs(StatusCode::kConflict, HasSubstr((*held)->info().id)));
  EXPECT_OK(backend.Unlock((*held)->info().id));
  EXPECT_THAT(backend.Unlock((*held)->info().id),
              StatusIs(StatusCode::kNotFound, HasSubstr("not locked")));
  (*held)->Abandon();
}

TEST(StateStoreTest, EveryMutationIsWrittenWithTheNextSerialAndSealed) {
  InMemoryFileSystem fs;
  LocalBackend backend(fs, "/d/clusterform.tfstate", /*real_files=*/false);
  StateStore store(backend, LocalKeySealers(fs, "/d/clusterform.tfstate"), "0.1.0");
  ASSERT_OK(store.Load());
  std::string lineage = store.Snapshot().lineage;
  EXPECT_FALSE(lineage.empty());
  ASSERT_OK(store.Mutate([](State& s) {
    InstanceState& i = s.Upsert(*ParseAddress("random_password.p"), "p");
    i.attributes = {{"id", "none"}, {"result", "topsecret-123"}};
    i.sensitive_attributes = {"result"};
  }));
  Result<std::string> text = fs.ReadFile("/d/clusterform.tfstate");
  ASSERT_OK(text);
  EXPECT_THAT(*text, Not(HasSubstr("topsecret-123")));
  EXPECT_THAT(*text, HasSubstr("\"serial\": 1"));
  EXPECT_TRUE(fs.Exists("/d/clusterform.tfstate.key"));
  ASSERT_OK(store.Mutate([](State& s) { s.outputs["x"] = OutputState{"y", "string", false}; }));

  StateStore again(backend, LocalKeySealers(fs, "/d/clusterform.tfstate"), "0.1.0");
  ASSERT_OK(again.Load());
  State loaded = again.Snapshot();
  EXPECT_EQ(loaded.serial, 2);
  EXPECT_EQ(loaded.lineage, lineage);
  EXPECT_EQ(loaded.Find("random_password.p")->attributes["result"], "topsecret-123");
}

TEST(StateStoreTest, AFailedWriteIsReported) {
  InMemoryFileSystem fs;
  LocalBackend backend(fs, "/s", /*real_files=*/false);
  StateStore store(backend, LocalKeySealers(fs, "/s"), "0.1.0");
  ASSERT_OK(store.Load());
  fs.FailWritesAfter(0);
  EXPECT_THAT(store.Mutate([](State& s) {
    s.outputs["x"] = OutputState{"y", "string", false};
  }),
              StatusIs(StatusCode::kUnavailable, HasSubstr("saving the state to /s")));
}

}  // namespace
}  // namespace cf::state
