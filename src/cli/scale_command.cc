#include "cli/scale_command.h"

#include <fmt/format.h>

#include <charconv>

#include "cli/cluster_report.h"
#include "cli/deployment_session.h"
#include "cli/load_configuration.h"
#include "cli/weka_deployment.h"

namespace cf::cli {

namespace {

constexpr const char* kCommand = "clusterform scale";

std::optional<int> ParseCount(const std::string& text) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0) {
    return std::nullopt;
  }
  return n;
}

std::string Elapsed(std::chrono::steady_clock::time_point start) {
  auto s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
          .count();
  return fmt::format("[{:>3}s]", s);
}

}  // namespace

const FlagSpec& ScaleFlags() {
  static const FlagSpec kSpec{
      {ValueFlag("timeout", "how long to follow the cluster (default 30m)", "DURATION"),
       ValueFlag("interval", "time between looks at the cluster (default 5s)", "DURATION"),
       ValueFlag("var"), ValueFlag("var-file")},
      {{"N", "the number of backends (at least the module's minimum, at most the group's max)"}},
      /*directory=*/true};
  return kSpec;
}

int RunScale(const std::vector<std::string>& args, const Io& io,
             const std::map<std::string, std::string>& environment, FileSystem& fs) {
  Result<ParsedFlags> flags = ParseFlags(args, ScaleFlags());
  if (!flags.ok()) {
    fmt::print(io.err, "{}: {}\n", kCommand, flags.status().message());
    return 2;
  }
  std::optional<int> target = ParseCount(flags->positionals[0]);
  if (!target) {
    fmt::print(io.err, "{}: N must be a whole number of backends, not \"{}\"\n", kCommand,
               flags->positionals[0]);
    return 2;
  }
  Result<std::chrono::milliseconds> timeout = ParseDuration(flags->Last("timeout", "30m"));
  Result<std::chrono::milliseconds> interval = ParseDuration(flags->Last("interval", "5s"));
  if (!timeout.ok() || !interval.ok() || interval->count() <= 0) {
    fmt::print(io.err, "{}: -{}: expected a duration such as 30m, 90s or 500ms\n", kCommand,
               timeout.ok() ? "interval" : "timeout");
    return 2;
  }
  std::unique_ptr<DeploymentSession> session =
      OpenDeploymentSession(kCommand, flags->dir, VarOptions(flags->values), environment, fs, io);
  if (session == nullptr) {
    return 1;
  }
  ClusterObserver& observer = *session->observer;
  auto failed = [&](const Status& s) {
    fmt::print(io.err, "{}: {}\n", kCommand, s.message());
    return 1;
  };

  // Every check before anything changes.
  Status valid = ValidateClusterSize(observer.deployment(), *target);
  if (!valid.ok()) {
    fmt::print(io.err, "{}: {} backends refused: {}\nNothing was changed.\n", kCommand, *target,
               valid.message());
    return 1;
  }
  Result<ClusterReport> before = observer.Observe();
  if (!before.ok()) {
    return failed(before.status());
  }
  if (*target > before->max_size) {
    fmt::print(io.err,
               "{}: {} backends refused: the autoscaling group {} allows at most {} (its max "
               "size, 7 x cluster_size).\nNothing was changed.\n",
               kCommand, *target, before->asg_name, before->max_size);
    return 1;
  }
  if (!before->clusterized) {
    fmt::print(io.err,
               "{}: the cluster is not clusterized yet ({} of {} backends ready); scale it once "
               "`clusterform status` shows it clusterized.\nNothing was changed.\n",
               kCommand, before->ready_for_clusterization, before->clusterization_target);
    return 1;
  }

  if (*target < before->min_size) {
    Status lowered = observer.SetMinSize(*target);
    if (!lowered.ok()) {
      return failed(lowered);
    }
    fmt::print(io.out, "Lowered the minimum size of {}: {} -> {}\n", before->asg_name,
               before->min_size, *target);
  }
  Status set = observer.SetDesiredCapacity(*target);
  if (!set.ok()) {
    return failed(set);
  }
  fmt::print(io.out, "Set the desired capacity of {}: {} -> {} (configuration cluster_size: {})\n",
             before->asg_name, before->desired, *target, observer.deployment().cluster_size);
  std::fflush(io.out);

  auto start = std::chrono::steady_clock::now();
  auto deadline = start + *timeout;
  InterruptWatch interrupt;
  std::string last;
  while (true) {
    Result<ClusterReport> now = observer.Observe();
    if (interrupt.interrupted()) {
      break;
    }
    if (!now.ok()) {
      // A look that failed (a function timing out, throttling): said, and tried again.
      fmt::print(io.out, "{} could not look at the cluster: {}\n", Elapsed(start),
                 now.status().message());
    } else {
      ScaleCheck check = CheckScale(*now, *target);
      if (check.line != last) {
        fmt::print(io.out, "{} {}\n", Elapsed(start), check.line);
        last = check.line;
      }
      if (check.done) {
        fmt::print(io.out, "Scaled to {} active backends.\n", *target);
        return 0;
      }
    }
    std::fflush(io.out);
    if (std::chrono::steady_clock::now() >= deadline) {
      fmt::print(io.err,
                 "{}: timed out after {} s before the cluster had {} active backends; the "
                 "desired capacity stays {} and the cluster goes on scaling (follow it with "
                 "`clusterform status --watch`)\n",
                 kCommand, std::chrono::duration_cast<std::chrono::seconds>(*timeout).count(),
                 *target, *target);
      return 1;
    }
    if (!interrupt.Sleep(std::min(*interval, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 deadline - std::chrono::steady_clock::now()) +
                                                 std::chrono::milliseconds(1)))) {
      break;
    }
  }
  fmt::print(io.err,
             "{}: interrupted; the desired capacity stays {} and the cluster goes on scaling "
             "(follow it with `clusterform status --watch`)\n",
             kCommand, *target);
  return 130;
}

}  // namespace cf::cli
