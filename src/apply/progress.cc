#include "apply/progress.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "state/state.h"

namespace cf::apply {

namespace {

const char* Verb(StepAction a) {
  switch (a) {
    case StepAction::kCreate:
      return "Creating";
    case StepAction::kUpdate:
      return "Modifying";
    case StepAction::kDelete:
      return "Destroying";
  }
  return "";
}

const char* StillVerb(StepAction a) {
  switch (a) {
    case StepAction::kCreate:
      return "creating";
    case StepAction::kUpdate:
      return "modifying";
    case StepAction::kDelete:
      return "destroying";
  }
  return "";
}

const char* Done(StepAction a) {
  switch (a) {
    case StepAction::kCreate:
      return "Creation complete";
    case StepAction::kUpdate:
      return "Modifications complete";
    case StepAction::kDelete:
      return "Destruction complete";
  }
  return "";
}

const char* Errored(StepAction a) {
  switch (a) {
    case StepAction::kCreate:
      return "Creation errored";
    case StepAction::kUpdate:
      return "Modifications errored";
    case StepAction::kDelete:
      return "Destruction errored";
  }
  return "";
}

const char* ActionWord(StepAction a) {
  switch (a) {
    case StepAction::kCreate:
      return "create";
    case StepAction::kUpdate:
      return "update";
    case StepAction::kDelete:
      return "delete";
  }
  return "";
}

}  // namespace

std::string FormatElapsed(std::chrono::seconds elapsed) {
  int64_t s = elapsed.count();
  if (s < 60) {
    return fmt::format("{}s", s);
  }
  if (s < 3600) {
    return fmt::format("{}m{}s", s / 60, s % 60);
  }
  return fmt::format("{}h{}m{}s", s / 3600, (s / 60) % 60, s % 60);
}

std::string TextProgressSink::Line(const ProgressEvent& e) {
  bool with_id = e.action != StepAction::kCreate && !e.id.empty();
  switch (e.kind) {
    case ProgressEvent::Kind::kStart:
      return with_id ? fmt::format("{}: {}... [id={}]", e.address, Verb(e.action), e.id)
                     : fmt::format("{}: {}...", e.address, Verb(e.action));
    case ProgressEvent::Kind::kStill:
      return with_id ? fmt::format("{}: Still {}... [id={}, {} elapsed]", e.address,
                                   StillVerb(e.action), e.id, FormatElapsed(e.elapsed))
                     : fmt::format("{}: Still {}... [{} elapsed]", e.address, StillVerb(e.action),
                                   FormatElapsed(e.elapsed));
    case ProgressEvent::Kind::kComplete:
      if (e.action == StepAction::kDelete || e.id.empty()) {
        return fmt::format("{}: {} after {}", e.address, Done(e.action), FormatElapsed(e.elapsed));
      }
      return fmt::format("{}: {} after {} [id={}]", e.address, Done(e.action),
                         FormatElapsed(e.elapsed), e.id);
    case ProgressEvent::Kind::kFailed:
      return fmt::format("{}: {} after {}", e.address, Errored(e.action), FormatElapsed(e.elapsed));
    case ProgressEvent::Kind::kSkipped:
      return fmt::format("{}: Skipped ({})", e.address, e.error.message());
  }
  return "";
}

void TextProgressSink::ClearStatus() {
  if (status_shown_) {
    std::fputs("\r\x1b[2K", out_);
    status_shown_ = false;
  }
}

void TextProgressSink::OnEvent(const ProgressEvent& event) {
  ClearStatus();
  std::fprintf(out_, "%s\n", Line(event).c_str());
  if (status_line_) {
    OnCounts(last_);
  }
  std::fflush(out_);
}

void TextProgressSink::OnCounts(const ProgressCounts& counts) {
  last_ = counts;
  if (!status_line_) {
    return;
  }
  ClearStatus();
  std::fprintf(out_, "  done %d · in progress %d · waiting %d · failed %d · %s", counts.done,
               counts.running, counts.waiting, counts.failed,
               FormatElapsed(counts.elapsed).c_str());
  status_shown_ = true;
  std::fflush(out_);
}

void TextProgressSink::Finish() {
  ClearStatus();
  std::fflush(out_);
}

std::string JsonProgressSink::Line(const ProgressEvent& e) const {
  nlohmann::json resource = nlohmann::json::object();
  Result<state::ParsedAddress> parsed = state::ParseAddress(e.address);
  std::string module = parsed.ok() ? parsed->module : "";
  std::string block = e.address.substr(module.empty() ? 0 : module.size() + 1);
  std::string provider_name = e.type.substr(0, e.type.find('_'));
  resource["addr"] = e.address;
  resource["module"] = module;
  resource["resource"] = block;
  resource["implied_provider"] = provider_name;
  resource["resource_type"] = e.type;
  resource["resource_name"] = parsed.ok() ? parsed->name : "";
  resource["resource_key"] = parsed.ok() ? parsed->index_key : nlohmann::json();
  nlohmann::json hook = {{"resource", resource}, {"action", ActionWord(e.action)}};
  std::string type;
  std::string level = "info";
  switch (e.kind) {
    case ProgressEvent::Kind::kStart:
      type = "apply_start";
      if (e.action != StepAction::kCreate && !e.id.empty()) {
        hook["id_key"] = "id";
        hook["id_value"] = e.id;
      }
      break;
    case ProgressEvent::Kind::kStill:
      type = "apply_progress";
      hook["elapsed_seconds"] = e.elapsed.count();
      break;
    case ProgressEvent::Kind::kComplete:
      type = "apply_complete";
      if (!e.id.empty() && e.action != StepAction::kDelete) {
        hook["id_key"] = "id";
        hook["id_value"] = e.id;
      }
      hook["elapsed_seconds"] = e.elapsed.count();
      break;
    case ProgressEvent::Kind::kFailed:
      type = "apply_errored";
      level = "error";
      hook["elapsed_seconds"] = e.elapsed.count();
      break;
    case ProgressEvent::Kind::kSkipped:
      type = "apply_skipped";
      level = "warn";
      break;
  }
  nlohmann::json line = {{"@level", level},
                         {"@message", TextProgressSink::Line(e)},
                         {"@module", "terraform.ui"},
                         {"@timestamp", FormatRfc3339(clock_.Now())},
                         {"hook", hook},
                         {"type", type}};
  return line.dump();
}

void JsonProgressSink::OnEvent(const ProgressEvent& event) {
  std::fprintf(out_, "%s\n", Line(event).c_str());
  std::fflush(out_);
}

std::vector<std::string> RecordingProgressSink::Lines() const {
  std::vector<std::string> out;
  for (const ProgressEvent& e : events()) {
    out.push_back(TextProgressSink::Line(e));
  }
  return out;
}

}  // namespace cf::apply
