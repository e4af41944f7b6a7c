// PutLogEvents, GetLogEvents and FilterLogEvents.

#include <fmt/core.h>

#include <algorithm>
#include <functional>

#include "cloud/logs/filter_pattern.h"
#include "cloud/logs/logs_common.h"
#include "cloud/logs/logs_service.h"

namespace cf::cloud::logs {

namespace {

constexpr int64_t kHour = 3600 * 1000;
constexpr int64_t kDay = 24 * kHour;
constexpr size_t kMaxBatchEvents = 10000;
constexpr size_t kMaxBatchBytes = 1048576;
constexpr size_t kEventOverhead = 26;
constexpr size_t kMaxEventBytes = 262144;

struct Event {
  int64_t timestamp;
  int64_t ingestion_time;
  std::string message;
  int64_t serial;
};

// The oldest timestamp the group's retention still keeps; 0 without retention.
int64_t RetentionCutoff(const Json& group, int64_t now) {
  if (!group.contains("retentionInDays")) {
    return 0;
  }
  return now - group["retentionInDays"].get<int64_t>() * kDay;
}

// A stream's events, by timestamp (arrival order among equals).
ServiceOr<std::vector<Event>> LoadEvents(CallTxn& txn, const ServiceCall& call,
                                         const std::string& group, const std::string& stream) {
  SERVICE_ASSIGN_OR_RETURN(auto chunks, txn.List(kEventsNs, StreamKey(call, group, stream) + "|"));
  std::vector<Event> events;
  for (const auto& [key, chunk] : chunks) {
    for (const Json& e : chunk["events"]) {
      events.push_back(Event{e[0].get<int64_t>(), e[1].get<int64_t>(), e[2].get<std::string>(),
                             e[3].get<int64_t>()});
    }
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.timestamp < b.timestamp; });
  return events;
}

// "f/00000000000000000042" -> 42 for `kind` 'f'; nullopt when malformed.
std::optional<size_t> ParseToken(const std::string& token, char kind) {
  if (token.size() < 3 || token.size() > 24 || token[0] != kind || token[1] != '/' ||
      !std::all_of(token.begin() + 2, token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return static_cast<size_t>(std::stoull(token.substr(2)));
}

std::string Token(char kind, size_t position) {
  return fmt::format("{}/{:020}", kind, position);
}

// startTime (inclusive) and endTime (exclusive) of a request.
bool InRange(const Json& input, int64_t timestamp) {
  if (input.contains("startTime") && timestamp < input["startTime"].get<int64_t>()) {
    return false;
  }
  if (input.contains("endTime") && timestamp >= input["endTime"].get<int64_t>()) {
    return false;
  }
  return true;
}

}  // namespace

ServiceResult LogsService::PutLogEvents(const ServiceCall& call, CallTxn& txn) {
  std::string group_name = call.input.value("logGroupName", "");
  std::string stream_name = call.input.value("logStreamName", "");
  if (!call.input.contains("logEvents") || !call.input["logEvents"].is_array() ||
      call.input["logEvents"].empty()) {
    return InvalidParameter(
        "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member "
        "must have length greater than or equal to 1");
  }
  const Json& given = call.input["logEvents"];
  if (given.size() > kMaxBatchEvents) {
    return InvalidParameter(fmt::format(
        "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member "
        "must have length less than or equal to {}",
        kMaxBatchEvents));
  }
  std::vector<Event> events;
  size_t batch_bytes = 0;
  for (const Json& e : given) {
    if (!e.contains("timestamp") || !e["timestamp"].is_number_integer() || !e.contains("message") ||
        !e["message"].is_string()) {
      return InvalidParameter("Each log event needs an integer timestamp and a string message");
    }
    std::string message = e["message"].get<std::string>();
    if (message.empty()) {
      return InvalidParameter("A log event's message must not be empty");
    }
    if (message.size() + kEventOverhead > kMaxEventBytes) {
      return InvalidParameter(fmt::format(
          "Log event too large: {} bytes exceeds the limit of {} bytes (message plus 26)",
          message.size() + kEventOverhead, kMaxEventBytes));
    }
    batch_bytes += message.size() + kEventOverhead;
    events.push_back(Event{e["timestamp"].get<int64_t>(), 0, std::move(message), 0});
  }
  if (batch_bytes > kMaxBatchBytes) {
    return InvalidParameter(fmt::format("Upload too large: {} bytes exceeds the limit of {} bytes",
                                        batch_bytes, kMaxBatchBytes));
  }
  for (size_t i = 1; i < events.size(); ++i) {
    if (events[i].timestamp < events[i - 1].timestamp) {
      return InvalidParameter(
          "Log events in a single PutLogEvents request must be in chronological order.");
    }
  }
  if (events.back().timestamp - events.front().timestamp > kDay) {
    return InvalidParameter(
        "The batch of log events in a single PutLogEvents request cannot span more than 24 "
        "hours.");
  }
  SERVICE_ASSIGN_OR_RETURN(Json group, GetGroup(txn, call, group_name));
  SERVICE_ASSIGN_OR_RETURN(Json stream, GetStream(txn, call, group_name, stream_name));
  int64_t now = NowMillis();
  int64_t cutoff = RetentionCutoff(group, now);
  // Rejected ranges: [0, too_old) older than 14 days, [0, expired) older than the retention,
  // [too_new, n) more than 2 hours ahead. The end indexes are exclusive.
  size_t n = events.size();
  size_t too_old = 0;
  size_t expired = 0;
  size_t too_new = n;
  for (size_t i = 0; i < n; ++i) {
    if (events[i].timestamp < now - 14 * kDay) {
      too_old = i + 1;
    }
    if (cutoff > 0 && events[i].timestamp < cutoff) {
      expired = i + 1;
    }
    if (events[i].timestamp > now + 2 * kHour && too_new == n) {
      too_new = i;
    }
  }
  Json out = Json::object();
  Json rejected = Json::object();
  if (too_old > 0) {
    rejected["tooOldLogEventEndIndex"] = too_old;
  }
  if (expired > 0) {
    rejected["expiredLogEventEndIndex"] = expired;
  }
  if (too_new < n) {
    rejected["tooNewLogEventStartIndex"] = too_new;
  }
  if (!rejected.empty()) {
    out["rejectedLogEventsInfo"] = rejected;
  }
  size_t first = std::max(too_old, expired);
  int64_t serial = stream.value("_serial", int64_t{0});
  int64_t chunks = stream.value("_chunks", int64_t{0});
  Json chunk = Json{{"events", Json::array()}};
  int64_t chunk_index = chunks;
  if (chunks > 0) {
    SERVICE_ASSIGN_OR_RETURN(
        std::optional<Json> last,
        txn.Get(kEventsNs, ChunkKey(call, group_name, stream_name, chunks - 1)));
    if (last && (*last)["events"].size() < kChunkEvents) {
      chunk = std::move(*last);
      chunk_index = chunks - 1;
    }
  }
  int64_t stored = stream.value("storedBytes", int64_t{0});
  for (size_t i = first; i < too_new; ++i) {
    if (chunk["events"].size() >= kChunkEvents) {
      SERVICE_RETURN_IF_ERROR(
          txn.Put(kEventsNs, ChunkKey(call, group_name, stream_name, chunk_index), chunk));
      ++chunk_index;
      chunk = Json{{"events", Json::array()}};
    }
    const Event& e = events[i];
    chunk["events"].push_back(Json::array({e.timestamp, now, e.message, ++serial}));
    stored += static_cast<int64_t>(e.message.size());
    if (!stream.contains("firstEventTimestamp") ||
        e.timestamp < stream["firstEventTimestamp"].get<int64_t>()) {
      stream["firstEventTimestamp"] = e.timestamp;
    }
    if (!stream.contains("lastEventTimestamp") ||
        e.timestamp > stream["lastEventTimestamp"].get<int64_t>()) {
      stream["lastEventTimestamp"] = e.timestamp;
    }
  }
  if (first < too_new) {
    SERVICE_RETURN_IF_ERROR(
        txn.Put(kEventsNs, ChunkKey(call, group_name, stream_name, chunk_index), chunk));
    stream["_chunks"] = chunk_index + 1;
    stream["lastIngestionTime"] = now;
  }
  int64_t sequence = stream.value("_sequence", int64_t{0}) + 1;
  std::string token = fmt::format("4964{:052}", sequence);
  stream["_sequence"] = sequence;
  stream["_serial"] = serial;
  stream["storedBytes"] = stored;
  stream["uploadSequenceToken"] = token;
  SERVICE_RETURN_IF_ERROR(txn.Put(kStreamNs, StreamKey(call, group_name, stream_name), stream));
  out["nextSequenceToken"] = token;
  return out;
}

ServiceResult LogsService::GetLogEvents(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(std::string group, GroupNameOf(call.input));
  std::string stream_name = call.input.value("logStreamName", "");
  SERVICE_ASSIGN_OR_RETURN(std::optional<int64_t> limit_value,
                           IntMember(call.input, "limit", 1, 10000));
  size_t limit = static_cast<size_t>(limit_value.value_or(10000));
  SERVICE_ASSIGN_OR_RETURN(Json group_doc, GetGroup(txn, call, group));
  SERVICE_RETURN_IF_ERROR(GetStream(txn, call, group, stream_name));
  SERVICE_ASSIGN_OR_RETURN(std::vector<Event> loaded, LoadEvents(txn, call, group, stream_name));
  int64_t cutoff = RetentionCutoff(group_doc, NowMillis());
  std::vector<Event> events;
  for (Event& e : loaded) {
    if (e.timestamp >= cutoff && InRange(call.input, e.timestamp)) {
      events.push_back(std::move(e));
    }
  }
  // Positions index the events in range. A page is [begin, end); the forward token continues
  // at end, the backward token ends the previous page at begin. Past either end a page is
  // empty and its token is the one given, which is how clients know to stop.
  size_t count = events.size();
  size_t begin = 0;
  size_t end = 0;
  if (call.input.contains("nextToken")) {
    std::string token = call.input["nextToken"].get<std::string>();
    if (auto forward = ParseToken(token, 'f')) {
      begin = std::min(*forward, count);
      end = std::min(count, begin + limit);
    } else if (auto backward = ParseToken(token, 'b')) {
      end = std::min(*backward, count);
      begin = end > limit ? end - limit : 0;
    } else {
      return InvalidParameter("The specified nextToken is invalid.");
    }
  } else if (call.input.value("startFromHead", false)) {
    begin = 0;
    end = std::min(count, limit);
  } else {
    end = count;
    begin = count > limit ? count - limit : 0;
  }
  Json out = {{"events", Json::array()}};
  for (size_t i = begin; i < end; ++i) {
    out["events"].push_back({{"timestamp", events[i].timestamp},
                             {"message", events[i].message},
                             {"ingestionTime", events[i].ingestion_time}});
  }
  out["nextForwardToken"] = Token('f', end);
  out["nextBackwardToken"] = Token('b', begin);
  return out;
}

ServiceResult LogsService::FilterLogEvents(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(std::string group, GroupNameOf(call.input));
  SERVICE_ASSIGN_OR_RETURN(std::optional<int64_t> limit_value,
                           IntMember(call.input, "limit", 1, 10000));
  size_t limit = static_cast<size_t>(limit_value.value_or(10000));
  std::vector<std::string> names;
  for (const Json& name : call.input.value("logStreamNames", Json::array())) {
    names.push_back(name.get<std::string>());
  }
  std::string prefix = call.input.value("logStreamNamePrefix", "");
  if (!names.empty() && !prefix.empty()) {
    return InvalidParameter(
        "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
  }
  if (names.size() > 100) {
    return InvalidParameter("logStreamNames may name at most 100 streams");
  }
  std::string pattern_error;
  std::optional<FilterPattern> pattern =
      FilterPattern::Parse(call.input.value("filterPattern", ""), &pattern_error);
  if (!pattern) {
    return InvalidParameter(pattern_error);
  }
  SERVICE_ASSIGN_OR_RETURN(Json group_doc, GetGroup(txn, call, group));
  int64_t cutoff = RetentionCutoff(group_doc, NowMillis());
  SERVICE_ASSIGN_OR_RETURN(auto streams, txn.List(kStreamNs, GroupKey(call, group) + "|"));
  struct Match {
    std::string stream;
    Event event;
  };
  std::vector<Match> matches;
  Json searched = Json::array();
  for (const auto& [key, stream] : streams) {
    std::string name = stream.value("logStreamName", "");
    if ((!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) ||
        name.rfind(prefix, 0) != 0) {
      continue;
    }
    searched.push_back({{"logStreamName", name}, {"searchedCompletely", true}});
    SERVICE_ASSIGN_OR_RETURN(std::vector<Event> loaded, LoadEvents(txn, call, group, name));
    for (Event& e : loaded) {
      if (e.timestamp >= cutoff && InRange(call.input, e.timestamp) &&
          pattern->Matches(e.message)) {
        matches.push_back(Match{name, std::move(e)});
      }
    }
  }
  std::stable_sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    if (a.event.timestamp != b.event.timestamp) {
      return a.event.timestamp < b.event.timestamp;
    }
    return a.stream < b.stream;
  });
  size_t begin = 0;
  if (call.input.contains("nextToken")) {
    std::optional<size_t> position = ParseToken(call.input["nextToken"].get<std::string>(), 'p');
    if (!position) {
      return InvalidParameter("The specified nextToken is invalid.");
    }
    begin = std::min(*position, matches.size());
  }
  size_t end = std::min(matches.size(), begin + limit);
  Json out = {{"events", Json::array()}, {"searchedLogStreams", searched}};
  for (size_t i = begin; i < end; ++i) {
    const Match& m = matches[i];
    uint64_t stream_hash =
        std::hash<std::string>{}(group + "|" + m.stream) % 10000000000000000000ULL;
    out["events"].push_back(
        {{"logStreamName", m.stream},
         {"timestamp", m.event.timestamp},
         {"message", m.event.message},
         {"ingestionTime", m.event.ingestion_time},
         {"eventId", fmt::format("{:019}{:017}", stream_hash, m.event.serial)}});
  }
  if (end < matches.size()) {
    out["nextToken"] = Token('p', end);
  }
  return out;
}

}  // namespace cf::cloud::logs
