// End to end: the apply, plan, output, state and destroy commands on a configuration of the
// local types (random, tls, local_file), for real, in a temporary directory.

#include "cli/apply_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli/plan_command.h"
#include "cli/state_command.h"
#include "state/local_backend.h"
#include "state/lock.h"
#include "testing/cli_runner.h"
#include "testing/status_matchers.h"

namespace cf::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Outcome {
  int code = 0;
  std::string out;
  std::string err;
};

constexpr const char* kConfig = R"(
variable "length" { default = 16 }
resource "random_password" "admin" {
  length = var.length
}
resource "random_id" "suffix" {
  byte_length = 4
}
resource "tls_private_key" "ssh" {
  algorithm = "ED25519"
}
resource "local_file" "pub" {
  filename        = "out/id_${random_id.suffix.hex}.pub"
  content         = tls_private_key.ssh.public_key_openssh
  file_permission = "0644"
}
resource "local_sensitive_file" "key" {
  filename = "out/id"
  content  = tls_private_key.ssh.private_key_pem
}
output "suffix" { value = random_id.suffix.hex }
output "password" {
  value     = random_password.admin.result
  sensitive = true
}
)";

class ApplyCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cf-apply-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Write(kConfig);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& text) { std::ofstream(dir_ / "main.tf") << text; }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

  template <typename Fn>
  Outcome Run(Fn fn, const std::string& input = "", bool record = true) {
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    std::FILE* in = std::tmpfile();
    std::fputs(input.c_str(), in);
    std::rewind(in);
    Io io{out, err, in};
    Outcome o;
    o.code = fn(io);
    o.out = Slurp(out);
    o.err = Slurp(err);
    std::fclose(in);
    if (record) {
      all_output_ += o.out + o.err;
    }
    return o;
  }
  Outcome Apply(std::vector<std::string> args, const std::string& input = "",
                bool destroy = false) {
    args.insert(args.begin(), dir_.string());
    return Run(
        [&](const Io& io) {
          ApplyCommandOptions options;
          options.destroy = destroy;
          return RunApply(args, io, {}, fs_, options);
        },
        input);
  }
  Outcome Plan(std::vector<std::string> args) {
    args.insert(args.begin(), dir_.string());
    return Run([&](const Io& io) { return RunPlan(args, io, {}, fs_); });
  }
  // An output asked for by name prints its value, sensitive or not: not recorded in
  // all_output_ (the output that must hold no secret).
  Outcome Output(std::vector<std::string> args) {
    args.push_back("-dir");
    args.push_back(dir_.string());
    return Run([&](const Io& io) { return RunOutput(args, io, {}, fs_); }, "",
               /*record=*/false);
  }
  Outcome State(std::vector<std::string> args) {
    args.push_back("-dir");
    args.push_back(dir_.string());
    return Run([&](const Io& io) { return RunState(args, io, {}, fs_); });
  }

  std::filesystem::path dir_;
  RealFileSystem fs_;
  std::string all_output_;
};

TEST_F(ApplyCommandTest, ApplyConvergesChangesReplaceAndDestroyLeavesNothing) {
  Outcome first = Apply({"-auto-approve"});
  ASSERT_EQ(first.code, 0) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("random_id.suffix: Creating...\n"));
  EXPECT_THAT(first.out, HasSubstr("tls_private_key.ssh: Creation complete after 0s [id="));
  EXPECT_THAT(first.out, HasSubstr("Apply complete! Resources: 5 added, 0 changed, 0 destroyed."));
  EXPECT_THAT(first.out, HasSubstr("Outputs:\n\npassword = <sensitive>\nsuffix = \""));
  // The files exist, named from the random id the apply made.
  Outcome suffix = Output({"suffix", "-raw"});
  ASSERT_EQ(suffix.code, 0) << suffix.err;
  EXPECT_EQ(suffix.out.size(), 8u);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / ("id_" + suffix.out + ".pub")));
  EXPECT_THAT(Read("out/id"), HasSubstr("BEGIN PRIVATE KEY"));
  EXPECT_THAT(Read("out/id_" + suffix.out + ".pub"), HasSubstr("ssh-ed25519 "));

  Outcome again = Plan({"-detailed-exitcode"});
  EXPECT_EQ(again.code, 0) << again.out << again.err;
  EXPECT_THAT(again.out, HasSubstr("No changes. Your infrastructure matches the configuration."));

  // A changed input: the password is replaced (length forces it), the rest stays.
  Outcome changed = Plan({"-var", "length=20"});
  EXPECT_THAT(changed.out, HasSubstr("# random_password.admin must be replaced"));
  EXPECT_THAT(changed.out, HasSubstr("~ length      = 16 -> 20 # forces replacement"));
  EXPECT_THAT(changed.out, HasSubstr("Plan: 1 to add, 0 to change, 1 to destroy."));
  Outcome replaced = Apply({"-auto-approve", "-var", "length=20"});
  ASSERT_EQ(replaced.code, 0) << replaced.out << replaced.err;
  EXPECT_THAT(replaced.out,
              HasSubstr("Apply complete! Resources: 1 added, 0 changed, 1 destroyed."));
  EXPECT_EQ(Output({"password", "-raw"}).out.size(), 20u);
  EXPECT_EQ(Plan({"-var", "length=20", "-detailed-exitcode"}).code, 0);

  // A file deleted behind clusterform's back is drift, and the next apply puts it back.
  std::filesystem::remove(dir_ / "out" / "id");
  Outcome drift = Plan({"-var", "length=20"});
  EXPECT_THAT(drift.out, HasSubstr("Objects have changed outside of clusterform"));
  EXPECT_THAT(drift.out, HasSubstr("# local_sensitive_file.key has been deleted"));
  EXPECT_THAT(drift.out, Not(HasSubstr("BEGIN PRIVATE KEY")));
  ASSERT_EQ(Apply({"-auto-approve", "-var", "length=20"}).code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "id"));

  Outcome list = State({"list"});
  EXPECT_EQ(list.out,
            "local_file.pub\nlocal_sensitive_file.key\nrandom_id.suffix\nrandom_password.admin\n"
            "tls_private_key.ssh\n");

  // No secret in the state file or in anything printed, except where asked for by name.
  std::string password = Output({"password", "-raw"}).out;
  std::string state_text = Read("clusterform.tfstate");
  std::string key_pem = Read("out/id");
  std::string key_line = key_pem.substr(key_pem.find('\n') + 1, 40);
  EXPECT_THAT(state_text, Not(HasSubstr(password)));
  EXPECT_THAT(state_text, Not(HasSubstr(key_line)));
  ASSERT_EQ(password.size(), 20u);
  EXPECT_THAT(all_output_, Not(HasSubstr(password)));
  EXPECT_THAT(all_output_, Not(HasSubstr(key_line)));
  EXPECT_THAT(Output({}).out, HasSubstr("password = <sensitive>"));
  EXPECT_THAT(State({"show", "random_password.admin"}).out,
              HasSubstr("result      = (sensitive value)"));

  Outcome destroyed = Apply({"-auto-approve", "-var", "length=20"}, "", /*destroy=*/true);
  ASSERT_EQ(destroyed.code, 0) << destroyed.out << destroyed.err;
  EXPECT_THAT(destroyed.out, HasSubstr("Destroy complete! Resources: 5 destroyed."));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out" / "id"));
  EXPECT_EQ(State({"list"}).out, "");
  EXPECT_THAT(Read("clusterform.tfstate"), HasSubstr("\"resources\": []"));
}

// local_file.pub's filename refers to random_id.suffix: replacing the id replaces the file too
// (the filename forces it), and the new file is named from the new id.
TEST_F(ApplyCommandTest, AReplacementReplacesWhatRefersToIt) {
  ASSERT_EQ(Apply({"-auto-approve"}).code, 0);
  std::string old_suffix = Output({"suffix", "-raw"}).out;
  Outcome plan = Plan({"-replace=random_id.suffix"});
  EXPECT_THAT(plan.out, HasSubstr("# random_id.suffix must be replaced"));
  EXPECT_THAT(plan.out, HasSubstr("# local_file.pub must be replaced"));
  EXPECT_THAT(plan.out, HasSubstr("~ filename             = \"out/id_" + old_suffix +
                                  ".pub\" -> (known after apply) # forces replacement"));
  EXPECT_THAT(plan.out, HasSubstr("Plan: 2 to add, 0 to change, 2 to destroy."));
  Outcome applied = Apply({"-auto-approve", "-replace=random_id.suffix"});
  ASSERT_EQ(applied.code, 0) << applied.out << applied.err;
  EXPECT_THAT(applied.out,
              HasSubstr("Apply complete! Resources: 2 added, 0 changed, 2 destroyed."));
  std::string new_suffix = Output({"suffix", "-raw"}).out;
  ASSERT_EQ(new_suffix.size(), 8u);
  EXPECT_NE(new_suffix, old_suffix);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / ("id_" + new_suffix + ".pub")));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out" / ("id_" + old_suffix + ".pub")));
  Outcome again = Plan({"-detailed-exitcode"});
  EXPECT_EQ(again.code, 0) << again.out << again.err;
}

TEST_F(ApplyCommandTest, ApplyAsksForYes) {
  Outcome no = Apply({}, "no\n");
  EXPECT_EQ(no.code, 1);
  EXPECT_THAT(no.out, HasSubstr("Only 'yes' will be accepted to approve."));
  EXPECT_THAT(no.err, HasSubstr("Apply cancelled."));
  EXPECT_EQ(State({"list"}).out, "");
  Outcome yes = Apply({}, "yes\n");
  EXPECT_EQ(yes.code, 0) << yes.err;
  EXPECT_THAT(yes.out, HasSubstr("Apply complete! Resources: 5 added"));
}

TEST_F(ApplyCommandTest, SavedPlanAppliesExactlyAndRefusesAStaleOne) {
  std::string planfile = (dir_ / "tf.plan").string();
  ASSERT_EQ(Plan({"-out", planfile, "-target", "local_file.pub"}).code, 0);
  Outcome applied = Run([&](const Io& io) { return RunApply({planfile}, io, {}, fs_); });
  ASSERT_EQ(applied.code, 0) << applied.err;
  // Only the target and what it depends on.
  EXPECT_EQ(State({"list"}).out, "local_file.pub\nrandom_id.suffix\ntls_private_key.ssh\n");
  // The same file again: the state moved on since.
  Outcome stale = Run([&](const Io& io) { return RunApply({planfile}, io, {}, fs_); });
  EXPECT_EQ(stale.code, 1);
  EXPECT_THAT(stale.err, HasSubstr("Saved plan is stale"));
  // A configuration changed after the plan was made.
  ASSERT_EQ(Plan({"-out", planfile}).code, 0);
  Write(std::string(kConfig) + "\nresource \"random_uuid\" \"extra\" {}\n");
  Outcome changed = Run([&](const Io& io) { return RunApply({planfile}, io, {}, fs_); });
  EXPECT_EQ(changed.code, 1);
  EXPECT_THAT(changed.err, HasSubstr("configuration in"));
}

TEST_F(ApplyCommandTest, UnknownTypesAreRefusedAtTheBlock) {
  Write("resource \"random_strng\" \"x\" {\n  length = 3\n}\n");
  Outcome o = Plan({});
  EXPECT_EQ(o.code, 1);
  EXPECT_THAT(o.err, HasSubstr("main.tf:1:1"));
  EXPECT_THAT(o.err, HasSubstr("clusterform cannot manage resources of type \"random_strng\""));
  EXPECT_THAT(o.err, HasSubstr("random_string"));
}

TEST_F(ApplyCommandTest, ASecondApplyWaitsThenNamesTheHolder) {
  state::LocalBackend backend(fs_, (dir_ / "clusterform.tfstate").string());
  SystemClock clock;
  state::LockOptions options;
  options.operation = "OperationTypeApply";
  Result<std::unique_ptr<state::HeldLock>> held = state::AcquireLock(backend, clock, options);
  ASSERT_OK(held);
  auto start = std::chrono::steady_clock::now();
  Outcome blocked = Apply({"-auto-approve", "-lock-timeout=2s"});
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(blocked.code, 1);
  EXPECT_THAT(blocked.err, HasSubstr("Error acquiring the state lock"));
  EXPECT_THAT(blocked.err, HasSubstr("ID:        " + (*held)->info().id));
  EXPECT_THAT(blocked.err, HasSubstr("Operation: OperationTypeApply"));
  EXPECT_EQ(State({"list"}).out, "");

  Outcome unlock = Run([&](const Io& io) {
    return RunForceUnlock({(*held)->info().id, "-force", "-dir", dir_.string()}, io, {}, fs_);
  });
  EXPECT_EQ(unlock.code, 0) << unlock.err;
  (*held)->Abandon();
  EXPECT_EQ(Apply({"-auto-approve"}).code, 0);
}

TEST_F(ApplyCommandTest, ImportRecordsAnExistingValueAtADeclaredAddress) {
  Write("resource \"random_string\" \"name\" {\n  length = 8\n}\n");
  Outcome undeclared = Run([&](const Io& io) {
    return RunImport({"random_string.other", "abcdefgh", "-dir", dir_.string()}, io, {}, fs_);
  });
  EXPECT_EQ(undeclared.code, 1);
  EXPECT_THAT(undeclared.err, HasSubstr("does not exist in the configuration"));
  Outcome imported = Run([&](const Io& io) {
    return RunImport({"random_string.name", "abcdefgh", "-dir", dir_.string()}, io, {}, fs_);
  });
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("Import successful!"));
  EXPECT_EQ(State({"list"}).out, "random_string.name\n");
  Outcome plan = Plan({"-detailed-exitcode"});
  EXPECT_EQ(plan.code, 0) << plan.out;
  Outcome again = Run([&](const Io& io) {
    return RunImport({"random_string.name", "zzzzzzzz", "-dir", dir_.string()}, io, {}, fs_);
  });
  EXPECT_THAT(again.err, HasSubstr("already managed"));
  Outcome removed = State({"rm", "random_string.name"});
  EXPECT_EQ(removed.code, 0) << removed.err;
  EXPECT_EQ(State({"list"}).out, "");
}

TEST_F(ApplyCommandTest, JsonEventsAreTerraformsMachineReadableUi) {
  Outcome o = Apply({"-auto-approve", "-json"});
  ASSERT_EQ(o.code, 0) << o.err;
  int starts = 0;
  bool summary = false;
  std::istringstream lines(o.out);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json j = nlohmann::json::parse(line);
    EXPECT_EQ(j["@module"], "terraform.ui");
    starts += j["type"] == "apply_start" ? 1 : 0;
    if (j["type"] == "change_summary") {
      summary = true;
      EXPECT_EQ(j["changes"]["add"], 5);
    }
  }
  EXPECT_EQ(starts, 5);
  EXPECT_TRUE(summary);
}

}  // namespace
}  // namespace cf::cli
