#include "cli/status_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include "cli/cluster_report.h"
#include "cli/deployment_session.h"
#include "cli/load_configuration.h"

namespace cf::cli {

namespace {

constexpr const char* kCommand = "clusterform status";
// Progress lines per host while watching (the whole history without --watch).
constexpr size_t kWatchLinesPerHost = 3;

}  // namespace

const FlagSpec& StatusFlags() {
  static const FlagSpec kSpec{
      {BooleanFlag("watch", "refresh until clusterized or Ctrl-C"),
       BooleanFlag("json", "print one JSON document (docs/status-and-scale.md)"),
       ValueFlag("interval", "time between refreshes with --watch (default 2s)", "DURATION"),
       ValueFlag("var"), ValueFlag("var-file")},
      {},
      /*directory=*/true};
  return kSpec;
}

int RunStatus(const std::vector<std::string>& args, const Io& io,
              const std::map<std::string, std::string>& environment, FileSystem& fs) {
  Result<ParsedFlags> flags = ParseFlags(args, StatusFlags());
  if (!flags.ok()) {
    fmt::print(io.err, "{}: {}\n", kCommand, flags.status().message());
    return 2;
  }
  Result<std::chrono::milliseconds> interval = ParseDuration(flags->Last("interval", "2s"));
  if (!interval.ok() || interval->count() <= 0) {
    fmt::print(io.err, "{}: -interval: expected a positive duration such as 2s or 500ms\n",
               kCommand);
    return 2;
  }
  bool json = flags->Has("json");
  bool watch = flags->Has("watch");
  std::unique_ptr<DeploymentSession> session =
      OpenDeploymentSession(kCommand, flags->dir, VarOptions(flags->values), environment, fs, io);
  if (session == nullptr) {
    return 1;
  }
  auto failed = [&](const Status& s) {
    fmt::print(io.err, "{}: {}{}\n", kCommand, s.message(),
               session->endpoint.empty() ? "" : fmt::format(" (endpoint {})", session->endpoint));
    return 1;
  };
  if (!watch) {
    Result<ClusterReport> report = session->observer->Observe();
    if (!report.ok()) {
      return failed(report.status());
    }
    if (json) {
      fmt::print(io.out, "{}\n", RenderReportJson(*report).dump(2));
    } else {
      fmt::print(io.out, "{}", RenderReportText(*report));
    }
    return 0;
  }
  bool terminal = !json && isatty(fileno(io.out)) != 0;
  InterruptWatch interrupt;
  std::string last;
  while (true) {
    Result<ClusterReport> report = session->observer->Observe();
    if (interrupt.interrupted()) {
      break;
    }
    if (!report.ok()) {
      return failed(report.status());
    }
    std::string shown = json ? RenderReportJson(*report).dump() + "\n"
                             : RenderReportText(*report, kWatchLinesPerHost);
    if (shown != last) {
      if (terminal) {
        fmt::print(io.out, "\x1b[H\x1b[2J{}\n(refreshing every {} ms; Ctrl-C to stop)\n", shown,
                   interval->count());
      } else {
        fmt::print(io.out, "{}{}", json || last.empty() ? "" : "\n", shown);
      }
      std::fflush(io.out);
      last = shown;
    }
    if (report->clusterized) {
      return 0;
    }
    if (!interrupt.Sleep(*interval)) {
      break;
    }
  }
  fmt::print(io.err, "{}: interrupted; the deployment is unchanged\n", kCommand);
  return 130;
}

}  // namespace cf::cli
