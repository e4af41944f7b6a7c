#include "apply/scheduler.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "state/state.h"

namespace cf::apply {

namespace {

using provider::InstanceRef;
using provider::PollResult;
using provider::StepResult;

std::string IdOf(const Json& attributes) {
  auto it = attributes.find("id");
  if (it != attributes.end() && it->is_string()) {
    return it->get<std::string>();
  }
  return "";
}

// True when every argument `config` sets has that value in `state`.
bool Converged(const Json& config, const Json& state) {
  for (auto it = config.begin(); it != config.end(); ++it) {
    auto have = state.find(it.key());
    if (have == state.end() || *have != it.value()) {
      return false;
    }
  }
  return true;
}

// The steps of an operation, in order.
std::vector<StepAction> Steps(OpKind kind) {
  switch (kind) {
    case OpKind::kCreate:
      return {StepAction::kCreate};
    case OpKind::kUpdate:
      return {StepAction::kUpdate};
    case OpKind::kDelete:
      return {StepAction::kDelete};
    case OpKind::kReplace:
      return {StepAction::kDelete, StepAction::kCreate};
    case OpKind::kReplaceCreateFirst:
      return {StepAction::kCreate, StepAction::kDelete};
  }
  return {};
}

enum class OpState { kWaiting, kRunning, kPending, kDone, kFailed, kSkipped };

struct OpRun {
  const Operation* op = nullptr;
  std::string pool;
  std::vector<size_t> deps;        // indices into runs
  std::vector<size_t> dependents;  // indices into runs
  std::vector<StepAction> steps;
  size_t step = 0;
  OpState state = OpState::kWaiting;
  Json prior;    // the object the delete step removes
  Json current;  // the latest attributes (pending state, result)
  std::chrono::steady_clock::time_point step_started;
  std::chrono::seconds last_still{0};
  bool adopted = false;
  // While pending: when it is next due to be polled, and the interval that led there.
  std::chrono::steady_clock::time_point poll_due;
  std::chrono::milliseconds poll_interval{0};
};

// What a worker hands back.
struct WorkResult {
  size_t index = 0;
  Result<StepResult> result = StepResult{};
  bool adopted = false;
};

// How Terraform's errors name the step that failed: "creating", "updating", "deleting".
const char* ErrorVerb(StepAction a) {
  switch (a) {
    case StepAction::kCreate:
      return "creating";
    case StepAction::kUpdate:
      return "updating";
    case StepAction::kDelete:
      return "deleting";
  }
  return "applying";
}

class Run {
 public:
  Run(const std::vector<Operation>& ops, provider::ResourceProvider& provider,
      ConfigSource& configs, Journal& journal, ProgressSink& progress, Clock& clock,
      const SchedulerOptions& options)
      : provider_(provider),
        configs_(configs),
        journal_(journal),
        progress_(progress),
        clock_(clock),
        options_(options) {
    std::map<std::string, size_t> by_address;
    for (size_t i = 0; i < ops.size(); ++i) {
      by_address[ops[i].address] = i;
    }
    runs_.resize(ops.size());
    for (size_t i = 0; i < ops.size(); ++i) {
      OpRun& r = runs_[i];
      r.op = &ops[i];
      r.pool = provider_.Pool(ops[i].type);
      r.steps = Steps(ops[i].kind);
      r.prior = ops[i].prior;
      for (const std::string& dep : ops[i].depends_on) {
        auto it = by_address.find(dep);
        if (it != by_address.end() && it->second != i) {
          r.deps.push_back(it->second);
          runs_[it->second].dependents.push_back(i);
        }
      }
    }
    start_ = clock_.Monotonic();
    // Ready operations start longest chain of dependents first, so the critical path is not
    // queued behind leaves when slots are short (ties: the plan's order).
    std::vector<int> height(runs_.size(), -1);
    for (size_t i = 0; i < runs_.size(); ++i) {
      Height(i, height);
    }
    order_.resize(runs_.size());
    for (size_t i = 0; i < runs_.size(); ++i) {
      order_[i] = i;
    }
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return height[a] > height[b]; });
  }

  // The number of operations on the longest chain from runs_[i] through its dependents (a
  // cycle counts as a dead end: it fails later, in Execute).
  int Height(size_t i, std::vector<int>& height) const {
    if (height[i] >= 0) {
      return height[i];
    }
    height[i] = 0;  // in progress: a cycle back here ends the chain
    int best = 0;
    for (size_t d : runs_[i].dependents) {
      best = std::max(best, Height(d, height));
    }
    height[i] = best + 1;
    return height[i];
  }

  Summary Execute() {
    int workers = std::max(1, std::min<int>(options_.parallelism, static_cast<int>(runs_.size())));
    for (int i = 0; i < workers && !runs_.empty(); ++i) {
      threads_.emplace_back([this] { Worker(); });
    }
    while (finished_ < runs_.size()) {
      StartReady();
      if (DrainResults()) {
        continue;  // slots were freed or steps finished: start what is ready now
      }
      if (finished_ == runs_.size()) {
        break;
      }
      auto now = clock_.Monotonic();
      auto next_poll = NextPollDue();
      if (!pending_.empty() && now >= next_poll) {
        PollPending(now);
        continue;
      }
      EmitStill();
      if (in_flight_ > 0) {
        // Until a call returns, or (when instances are pending) the next poll is due.
        auto wait = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(100));
        if (!pending_.empty()) {
          wait = std::max(std::chrono::steady_clock::duration(0), std::min(wait, next_poll - now));
        }
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_for(lock, wait, [this] { return !results_.empty(); });
      } else if (!pending_.empty()) {
        clock_.SleepFor(next_poll - now);
      } else if (!AnyReady()) {
        // Nothing runs, nothing polls, nothing can start: a dependency cycle among `ops`.
        for (size_t i = 0; i < runs_.size(); ++i) {
          if (runs_[i].state == OpState::kWaiting) {
            Fail(i, InternalError("the operation waits on a dependency cycle"));
          }
        }
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : threads_) {
      t.join();
    }
    return std::move(summary_);
  }

 private:
  bool Ready(const OpRun& r) const {
    if (r.state != OpState::kWaiting) {
      return false;
    }
    for (size_t d : r.deps) {
      if (!DependencyAllows(r, runs_[d])) {
        return false;
      }
    }
    return DependentsAllow(r);
  }
  static bool Finished(const OpRun& r) {
    return r.state == OpState::kDone || r.state == OpState::kFailed || r.state == OpState::kSkipped;
  }
  // True when dependency `d` no longer holds up the current step of `r`.
  static bool DependencyAllows(const OpRun& r, const OpRun& d) {
    if (d.state == OpState::kDone) {
      return true;
    }
    if (d.state == OpState::kFailed || d.state == OpState::kSkipped) {
      return false;
    }
    // A create-before-destroy replacement's new object exists (recorded in state); only the
    // old one's delete is left, and that waits for its dependents.
    if (d.op->kind == OpKind::kReplaceCreateFirst && d.step >= 1) {
      return true;
    }
    // Both are replaced: the dependent's old object is deleted first (Terraform's destroy
    // order: the old dependent may refer to the old dependency).
    return r.op->kind == OpKind::kReplace && r.step == 0 && d.op->kind == OpKind::kReplace;
  }
  // True when the dependents of `r` let its current step start: the old object of a
  // replacement is deleted only after what refers to it has let go.
  bool DependentsAllow(const OpRun& r) const {
    if (r.steps.empty() || r.steps[r.step] != StepAction::kDelete) {
      return true;
    }
    for (size_t i : r.dependents) {
      const OpRun& x = runs_[i];
      if (r.op->kind == OpKind::kReplaceCreateFirst && !Finished(x)) {
        return false;  // x moves to the new object first
      }
      if (r.op->kind == OpKind::kReplace && x.op->kind == OpKind::kReplace && x.step == 0 &&
          !Finished(x)) {
        return false;  // x's old object goes first
      }
    }
    return true;
  }
  bool AnyReady() const {
    for (const OpRun& r : runs_) {
      if (Ready(r)) {
        return true;
      }
    }
    return false;
  }
  bool HasSlot(const std::string& pool) const {
    if (in_flight_ >= std::max(1, options_.parallelism)) {
      return false;
    }
    auto it = options_.pool_limits.find(pool);
    int limit = it != options_.pool_limits.end() ? it->second : options_.default_pool_limit;
    if (limit <= 0) {
      return true;
    }
    auto used = pool_in_flight_.find(pool);
    return used == pool_in_flight_.end() || used->second < limit;
  }

  void StartReady() {
    for (size_t i : order_) {
      OpRun& r = runs_[i];
      if (!Ready(r) || !HasSlot(r.pool)) {
        continue;
      }
      r.state = OpState::kRunning;
      StartStep(i);
    }
  }

  ProgressEvent Event(size_t index, ProgressEvent::Kind kind) const {
    const OpRun& r = runs_[index];
    ProgressEvent e;
    e.kind = kind;
    e.address = r.op->address;
    e.type = r.op->type;
    e.action =
        r.steps.empty() ? StepAction::kCreate : r.steps[std::min(r.step, r.steps.size() - 1)];
    e.elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Monotonic() - r.step_started);
    e.id = IdOf(e.action == StepAction::kCreate ? r.current : r.prior);
    if (e.id.empty()) {
      e.id = IdOf(r.current);
    }
    return e;
  }

  void Emit(const ProgressEvent& e) {
    progress_.OnEvent(e);
    progress_.OnCounts(Counts());
  }

  ProgressCounts Counts() const {
    ProgressCounts c;
    for (const OpRun& r : runs_) {
      switch (r.state) {
        case OpState::kWaiting:
          ++c.waiting;
          break;
        case OpState::kRunning:
        case OpState::kPending:
          ++c.running;
          break;
        case OpState::kDone:
          ++c.done;
          break;
        case OpState::kFailed:
        case OpState::kSkipped:
          ++c.failed;
          break;
      }
    }
    c.elapsed = std::chrono::duration_cast<std::chrono::seconds>(clock_.Monotonic() - start_);
    return c;
  }

  // Starts the current step of runs_[index] on a worker thread.
  void StartStep(size_t index) {
    OpRun& r = runs_[index];
    r.step_started = clock_.Monotonic();
    r.last_still = std::chrono::seconds(0);
    StepAction action = r.steps[r.step];
    Emit(Event(index, ProgressEvent::Kind::kStart));
    ++in_flight_;
    ++pool_in_flight_[r.pool];
    const Operation& op = *r.op;
    Json prior = r.prior;
    bool may_adopt = op.adopt_token.has_value() && action == StepAction::kCreate;
    std::string token = state::CreateToken(options_.lineage, op.address);
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back([this, index, action, prior, may_adopt, token, &op]() {
      WorkResult w;
      w.index = index;
      w.result = Work(op, action, prior, may_adopt, token, w.adopted);
      return w;
    });
    work_cv_.notify_one();
  }

  // A worker: runs tasks until told to stop.
  void Worker() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      work_cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
      if (tasks_.empty()) {
        return;
      }
      std::function<WorkResult()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      WorkResult w = task();
      lock.lock();
      results_.push_back(std::move(w));
      cv_.notify_all();
    }
  }

  Result<StepResult> Work(const Operation& op, StepAction action, const Json& prior, bool may_adopt,
                          const std::string& token, bool& adopted) {
    InstanceRef ref{op.type, op.address, token};
    switch (action) {
      case StepAction::kCreate: {
        ASSIGN_OR_RETURN(Json config, configs_.Config(op.address));
        if (may_adopt) {
          ASSIGN_OR_RETURN(std::optional<Json> found, provider_.Find(ref, config));
          if (found) {
            adopted = true;
            RETURN_IF_ERROR(journal_.Record(op, *found));
            if (!Converged(config, *found)) {
              // The killed run created the object but not what it sets afterwards (a gateway
              // not yet attached, tags, attributes of follow-up calls): bring it to `config`.
              ASSIGN_OR_RETURN(StepResult updated, provider_.Update(ref, *found, config));
              RETURN_IF_ERROR(journal_.Record(op, updated.state));
              return updated;
            }
            return StepResult{*found, false};
          }
        }
        if (op.kind != OpKind::kReplaceCreateFirst) {
          RETURN_IF_ERROR(journal_.BeginCreate(op, token));
        }
        Result<StepResult> created = provider_.Create(ref, config);
        if (!created.ok()) {
          // An answer that says nothing was created drops the write-ahead record; an
          // ambiguous one (timeout, 5xx) keeps it, so the next run looks for the object.
          StatusCode code = created.status().code();
          if (code != StatusCode::kUnavailable && code != StatusCode::kDeadlineExceeded &&
              code != StatusCode::kInternal && op.kind != OpKind::kReplaceCreateFirst) {
            (void)journal_.Remove(op);
          }
          return created.status();
        }
        RETURN_IF_ERROR(journal_.Record(op, created->state));
        return created;
      }
      case StepAction::kUpdate: {
        ASSIGN_OR_RETURN(Json config, configs_.Config(op.address));
        ASSIGN_OR_RETURN(StepResult updated, provider_.Update(ref, prior, config));
        RETURN_IF_ERROR(journal_.Record(op, updated.state));
        return updated;
      }
      case StepAction::kDelete: {
        ASSIGN_OR_RETURN(StepResult deleted, provider_.Delete(ref, prior));
        if (!deleted.pending && op.kind != OpKind::kReplaceCreateFirst) {
          RETURN_IF_ERROR(journal_.Remove(op));
        }
        return deleted;
      }
    }
    return InternalError("unknown step");
  }

  // Handles the calls that returned; false when none had.
  bool DrainResults() {
    std::deque<WorkResult> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(results_);
    }
    if (batch.empty()) {
      return false;
    }
    for (WorkResult& w : batch) {
      OpRun& r = runs_[w.index];
      --in_flight_;
      --pool_in_flight_[r.pool];
      if (!w.result.ok()) {
        Fail(w.index, w.result.status());
        continue;
      }
      r.adopted = r.adopted || w.adopted;
      if (r.steps[r.step] != StepAction::kDelete) {
        r.current = w.result->state;
      }
      if (w.result->pending) {
        r.poll_interval = std::min(options_.first_poll_interval, options_.poll_interval);
        r.poll_due = clock_.Monotonic() + r.poll_interval;
        r.state = OpState::kPending;
        pending_.insert(w.index);
        continue;
      }
      StepDone(w.index);
    }
    return true;
  }

  // The current step finished (ready or gone).
  void StepDone(size_t index) {
    OpRun& r = runs_[index];
    Emit(Event(index, ProgressEvent::Kind::kComplete));
    ++r.step;
    if (r.step < r.steps.size()) {
      // Back into the ready set for its next step (which may wait on other operations).
      r.state = OpState::kWaiting;
      return;
    }
    r.state = OpState::kDone;
    ++finished_;
    const std::string& address = r.op->address;
    switch (r.op->kind) {
      case OpKind::kCreate:
        summary_.created.push_back(address);
        if (r.adopted) {
          summary_.adopted.push_back(address);
        }
        break;
      case OpKind::kUpdate:
        summary_.updated.push_back(address);
        break;
      case OpKind::kDelete:
        summary_.destroyed.push_back(address);
        break;
      case OpKind::kReplace:
      case OpKind::kReplaceCreateFirst:
        summary_.replaced.push_back(address);
        break;
    }
  }

  void Fail(size_t index, const Status& error) {
    OpRun& r = runs_[index];
    r.state = OpState::kFailed;
    ++finished_;
    pending_.erase(index);
    ProgressEvent e = Event(index, ProgressEvent::Kind::kFailed);
    e.error = error;
    Emit(e);
    summary_.failed[r.op->address] =
        error.WithContext(fmt::format("{} {}", ErrorVerb(e.action), r.op->address));
    // Everything that depends on it, transitively, is skipped.
    std::vector<size_t> stack = r.dependents;
    while (!stack.empty()) {
      size_t d = stack.back();
      stack.pop_back();
      OpRun& dep = runs_[d];
      if (dep.state != OpState::kWaiting) {
        continue;
      }
      dep.state = OpState::kSkipped;
      ++finished_;
      ProgressEvent s = Event(d, ProgressEvent::Kind::kSkipped);
      s.error = ConflictError(r.op->address + " failed");
      Emit(s);
      summary_.skipped.push_back(dep.op->address);
      stack.insert(stack.end(), dep.dependents.begin(), dep.dependents.end());
    }
  }

  // When the first pending instance is due to be polled (the far future when none is).
  std::chrono::steady_clock::time_point NextPollDue() const {
    auto due = std::chrono::steady_clock::time_point::max();
    for (size_t i : pending_) {
      due = std::min(due, runs_[i].poll_due);
    }
    return due;
  }

  // One Poll call per type that has an instance due at `now`, for every pending instance of
  // that type; each polled instance's interval grows.
  void PollPending(std::chrono::steady_clock::time_point now) {
    std::set<std::string> due_types;
    for (size_t i : pending_) {
      if (runs_[i].poll_due <= now) {
        due_types.insert(runs_[i].op->type);
      }
    }
    std::map<std::string, std::vector<size_t>> by_type;
    for (size_t i : pending_) {
      OpRun& r = runs_[i];
      if (due_types.count(r.op->type) == 0) {
        continue;
      }
      by_type[r.op->type].push_back(i);
      auto grown = r.poll_interval.count() > 0 ? r.poll_interval * 2 : options_.poll_interval;
      r.poll_interval = std::min(grown, options_.poll_interval);
      r.poll_due = now + r.poll_interval;
    }
    // The types' polls go out at once (one batched call each), so a tick takes as long as the
    // slowest Describe, not their sum.
    std::vector<std::pair<std::string, std::vector<Json>>> batches;
    for (const auto& [type, indices] : by_type) {
      std::vector<Json> states;
      for (size_t i : indices) {
        const OpRun& r = runs_[i];
        states.push_back(r.steps[r.step] == StepAction::kDelete ? r.prior : r.current);
      }
      batches.emplace_back(type, std::move(states));
    }
    std::vector<Result<std::vector<PollResult>>> answers(batches.size(),
                                                         InternalError("not polled"));
    {
      std::vector<std::thread> pollers;
      for (size_t b = 1; b < batches.size(); ++b) {
        pollers.emplace_back([this, b, &batches, &answers] {
          answers[b] = provider_.Poll(batches[b].first, batches[b].second);
        });
      }
      if (!batches.empty()) {
        answers[0] = provider_.Poll(batches[0].first, batches[0].second);
      }
      for (std::thread& t : pollers) {
        t.join();
      }
    }
    size_t batch = 0;
    for (const auto& [type, indices] : by_type) {
      Result<std::vector<PollResult>> polled = std::move(answers[batch++]);
      if (!polled.ok() && polled.status().IsRetryable()) {
        continue;  // the next tick tries again
      }
      for (size_t k = 0; k < indices.size(); ++k) {
        size_t i = indices[k];
        OpRun& r = runs_[i];
        if (!polled.ok()) {
          Fail(i, polled.status());
          continue;
        }
        if (k >= polled->size()) {
          Fail(i, InternalError("the provider's Poll answered fewer instances than asked"));
          continue;
        }
        const PollResult& p = (*polled)[k];
        StepAction action = r.steps[r.step];
        switch (p.phase) {
          case PollResult::Phase::kPending:
            if (action != StepAction::kDelete) {
              r.current = p.state;
            }
            break;
          case PollResult::Phase::kReady: {
            if (action == StepAction::kDelete) {
              break;  // still there
            }
            r.current = p.state;
            pending_.erase(i);
            Status recorded = journal_.Record(*r.op, r.current);
            if (!recorded.ok()) {
              Fail(i, recorded);
              break;
            }
            r.state = OpState::kRunning;
            StepDone(i);
            break;
          }
          case PollResult::Phase::kGone: {
            pending_.erase(i);
            if (action != StepAction::kDelete) {
              Fail(i, UnavailableError(r.op->address + " disappeared while it was being " +
                                       (action == StepAction::kCreate ? "created" : "updated")));
              break;
            }
            if (r.op->kind != OpKind::kReplaceCreateFirst) {
              Status removed = journal_.Remove(*r.op);
              if (!removed.ok()) {
                Fail(i, removed);
                break;
              }
            }
            r.state = OpState::kRunning;
            StepDone(i);
            break;
          }
          case PollResult::Phase::kFailed:
            Fail(i, p.error.ok() ? InternalError("failed") : p.error);
            break;
        }
      }
    }
  }

  void EmitStill() {
    auto now = clock_.Monotonic();
    for (size_t i = 0; i < runs_.size(); ++i) {
      OpRun& r = runs_[i];
      if (r.state != OpState::kRunning && r.state != OpState::kPending) {
        continue;
      }
      auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - r.step_started);
      if (options_.still_interval.count() > 0 &&
          elapsed >= r.last_still + options_.still_interval) {
        r.last_still = elapsed - elapsed % options_.still_interval;
        ProgressEvent e = Event(i, ProgressEvent::Kind::kStill);
        e.elapsed = r.last_still;  // "[10s elapsed]", "[20s elapsed]", as Terraform counts
        Emit(e);
      }
    }
  }

  provider::ResourceProvider& provider_;
  ConfigSource& configs_;
  Journal& journal_;
  ProgressSink& progress_;
  Clock& clock_;
  const SchedulerOptions& options_;

  std::vector<OpRun> runs_;
  size_t finished_ = 0;
  int in_flight_ = 0;
  std::map<std::string, int> pool_in_flight_;
  std::set<size_t> pending_;
  std::vector<size_t> order_;  // indices of runs_, longest chain of dependents first
  std::chrono::steady_clock::time_point start_;
  std::vector<std::thread> threads_;
  Summary summary_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable work_cv_;
  std::deque<WorkResult> results_;                 // guarded by mu_
  std::deque<std::function<WorkResult()>> tasks_;  // guarded by mu_
  bool stop_ = false;                              // guarded by mu_
};

}  // namespace

Summary RunOperations(const std::vector<Operation>& ops, provider::ResourceProvider& provider,
                      ConfigSource& configs, Journal& journal, ProgressSink& progress, Clock& clock,
                      const SchedulerOptions& options) {
  return Run(ops, provider, configs, journal, progress, clock, options).Execute();
}

}  // namespace cf::apply
