#include "cli/deployment_session.h"

#include <fmt/format.h>

#include <atomic>
#include <thread>

#include "cli/weka_deployment.h"

namespace cf::cli {

namespace {

// Set by the SIGINT handler; only lock-free atomics may be touched there.
std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) {
  g_interrupted.store(true);
}

}  // namespace

std::unique_ptr<DeploymentSession> OpenDeploymentSession(
    const std::string& command, const std::string& dir, const std::vector<config::VarOption>& vars,
    const std::map<std::string, std::string>& environment, FileSystem& fs, const Io& io) {
  auto session = std::make_unique<DeploymentSession>();
  session->engine = std::make_unique<Engine>(dir, vars, environment, fs, true);
  if (!session->engine->Open(io)) {
    return nullptr;
  }
  state::State state = session->engine->store().Snapshot();
  if (state.Empty()) {
    fmt::print(io.err,
               "{}: {} has no state ({}): nothing has been applied there; run `clusterform "
               "apply {}` first\n",
               command, dir, session->engine->backend().Location(), dir);
    return nullptr;
  }
  LoadedConfiguration* loaded = session->engine->Expand(state, io);
  if (loaded == nullptr) {
    return nullptr;
  }
  Result<WekaDeployment> deployment = FindWekaDeployment(*loaded, state);
  if (!deployment.ok()) {
    fmt::print(io.err, "{}: {}\n", command, deployment.status().message());
    return nullptr;
  }
  const config::ProviderSettings& settings = loaded->desired.config.provider;
  Result<std::unique_ptr<AwsClientStack>> client =
      AwsClientStack::ForProvider(fs, environment, settings);
  if (!client.ok()) {
    fmt::print(io.err, "{}: {}\n", command, client.status().message());
    return nullptr;
  }
  session->client = std::move(*client);
  session->region = session->client->region();
  session->endpoint = session->client->client().options().endpoint_url;
  session->observer = std::make_unique<ClusterObserver>(session->client->client(),
                                                        std::move(*deployment), session->region);
  return session;
}

InterruptWatch::InterruptWatch() {
  g_interrupted.store(false);
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &previous_);
}

InterruptWatch::~InterruptWatch() {
  ::sigaction(SIGINT, &previous_, nullptr);
}

bool InterruptWatch::interrupted() const {
  return g_interrupted.load();
}

bool InterruptWatch::Sleep(std::chrono::milliseconds d) const {
  auto until = std::chrono::steady_clock::now() + d;
  while (!interrupted()) {
    auto now = std::chrono::steady_clock::now();
    if (now >= until) {
      return true;
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
  return false;
}

}  // namespace cf::cli
