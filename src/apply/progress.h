#pragma once

// Progress of an apply, as events a sink renders: Terraform's terminal lines
// (TextProgressSink), Terraform's machine-readable `-json` UI events (JsonProgressSink), a
// live status line on a terminal, or a recording in tests.

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace cf::apply {

enum class OpKind {
  kCreate,
  kUpdate,
  kDelete,
  kReplace,             // delete, then create
  kReplaceCreateFirst,  // create_before_destroy: create, then delete the old object
};

// The step an event is about (a replace is a delete and a create).
enum class StepAction { kCreate, kUpdate, kDelete };

struct ProgressEvent {
  enum class Kind { kStart, kStill, kComplete, kFailed, kSkipped };
  Kind kind = Kind::kStart;
  std::string address;
  std::string type;
  StepAction action = StepAction::kCreate;
  std::chrono::seconds elapsed{0};
  std::string id;  // the instance's id when known
  Status error;    // kFailed, kSkipped (why)
};

struct ProgressCounts {
  int done = 0;
  int running = 0;  // calls in flight or pending instances being polled
  int waiting = 0;
  int failed = 0;
  std::chrono::seconds elapsed{0};
};

// Called from the scheduler's thread only.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void OnEvent(const ProgressEvent& event) = 0;
  // The counts after each event and on every tick.
  virtual void OnCounts(const ProgressCounts& counts) { (void)counts; }
};

// "1m30s", "2s".
std::string FormatElapsed(std::chrono::seconds elapsed);

// One line per event, as Terraform prints them:
//   module.x.aws_vpc.this[0]: Creating...
//   module.x.aws_vpc.this[0]: Still creating... [10s elapsed]
//   module.x.aws_vpc.this[0]: Creation complete after 2s [id=vpc-1]
//   aws_vpc.a: Modifying... [id=vpc-1]   /  Modifications complete after 1s [id=vpc-1]
//   aws_vpc.a: Destroying... [id=vpc-1]  /  Destruction complete after 0s
// With `status_line` (a terminal), a last line "  done 3 · in progress 2 · waiting 5 ·
// failed 0 · 12s" is kept below them, redrawn in place.
class TextProgressSink : public ProgressSink {
 public:
  TextProgressSink(std::FILE* out, bool status_line) : out_(out), status_line_(status_line) {}
  void OnEvent(const ProgressEvent& event) override;
  void OnCounts(const ProgressCounts& counts) override;
  // Clears the status line (before the summary is printed).
  void Finish();

  // The line for an event (without newline), for tests and other sinks.
  static std::string Line(const ProgressEvent& event);

 private:
  void ClearStatus();
  std::FILE* out_;
  bool status_line_;
  bool status_shown_ = false;
  ProgressCounts last_;
};

// Terraform's machine-readable UI: one JSON object a line, types apply_start, apply_progress,
// apply_complete, apply_errored, with "@level", "@message", "@module": "terraform.ui",
// "@timestamp" and a "hook" naming the resource (addr, module, resource, implied_provider,
// resource_type, resource_name, resource_key) and the action.
class JsonProgressSink : public ProgressSink {
 public:
  JsonProgressSink(std::FILE* out, Clock& clock) : out_(out), clock_(clock) {}
  void OnEvent(const ProgressEvent& event) override;

  // The JSON line for an event (without newline).
  std::string Line(const ProgressEvent& event) const;

 private:
  std::FILE* out_;
  Clock& clock_;
};

// Keeps every event (tests).
class RecordingProgressSink : public ProgressSink {
 public:
  void OnEvent(const ProgressEvent& event) override {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(event);
  }
  std::vector<ProgressEvent> events() const {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }
  std::vector<std::string> Lines() const;

 private:
  mutable std::mutex mu_;
  std::vector<ProgressEvent> events_;
};

}  // namespace cf::apply
