#include "cloud/sqs/sqs_service.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>
#include <vector>

#include "base/base64.h"
#include "base/crypto.h"
#include "base/strings.h"

namespace cf::cloud::sqs {

namespace {

constexpr char kQueueNs[] = "sqs/queue";
constexpr char kMessageNs[] = "sqs/message";
constexpr char kDedupNs[] = "sqs/dedup";

constexpr int64_t kDedupWindowMs = 5 * 60 * 1000;
constexpr int64_t kPurgeIntervalMs = 60 * 1000;
constexpr size_t kMaxBatchEntries = 10;
constexpr size_t kMaxBatchBytes = 262144;

// ---- errors, as SQS words them (the query codes; JSON clients read them from
// x-amzn-query-error) ----

ServiceError Sender(std::string code, std::string message) {
  return ServiceError{std::move(code), std::move(message), 400, true};
}

ServiceError NonExistentQueue() {
  return Sender("AWS.SimpleQueueService.NonExistentQueue",
                "The specified queue does not exist for this wsdl version.");
}

ServiceError InvalidParameterValue(std::string message) {
  return Sender("InvalidParameterValue", std::move(message));
}

ServiceError InvalidAttributeName(const std::string& name) {
  return Sender("InvalidAttributeName", fmt::format("Unknown Attribute {}.", name));
}

ServiceError InvalidAttributeValue(const std::string& name, const std::string& reason = "") {
  return Sender("InvalidAttributeValue",
                reason.empty()
                    ? fmt::format("Invalid value for the parameter {}.", name)
                    : fmt::format("Invalid value for the parameter {}. Reason: {}", name, reason));
}

ServiceError ReceiptHandleIsInvalid(const std::string& handle) {
  return Sender(
      "ReceiptHandleIsInvalid",
      fmt::format("The input receipt handle \"{}\" is not a valid receipt handle.", handle));
}

ServiceError ParameterRange(const std::string& parameter, int64_t value, const std::string& rule) {
  return InvalidParameterValue(
      fmt::format("Value {} for parameter {} is invalid. Reason: {}.", value, parameter, rule));
}

ServiceError InternalSqsError(std::string message) {
  return ServiceError{"InternalError", std::move(message), 500, false};
}

ServiceError InvalidInput(std::string message) {
  return InvalidParameterValue(std::move(message));
}

// ---- small helpers ----

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

std::string QueueKey(const std::string& region, const std::string& account,
                     const std::string& name) {
  return region + "/" + account + "/" + name;
}

std::string QueueArn(const std::string& region, const std::string& account,
                     const std::string& name) {
  return fmt::format("arn:aws:sqs:{}:{}:{}", region, account, name);
}

bool IsFifo(const Json& queue) {
  return queue["Attributes"].value("FifoQueue", "") == "true";
}

std::string Attr(const Json& queue, const std::string& name) {
  return queue["Attributes"].value(name, "");
}

int64_t AttrInt(const Json& queue, const std::string& name) {
  std::string value = Attr(queue, name);
  return value.empty() ? 0 : std::stoll(value);
}

std::optional<int64_t> ParseInt(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(c) != 0; })) {
    return std::nullopt;
  }
  return std::stoll(text);
}

// A JSON member that AWS takes as a number or a numeric string.
std::optional<int64_t> JsonInt(const Json& value) {
  if (value.is_number_integer()) {
    return value.get<int64_t>();
  }
  if (value.is_string()) {
    return ParseInt(value.get<std::string>());
  }
  return std::nullopt;
}

// The queue a QueueUrl names: only its path (/ACCOUNT/NAME) is read, so the local cloud's
// URLs and AWS-style ones (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME) both work.
struct QueueRef {
  std::string account;
  std::string name;
  std::string key;
};

ServiceOr<QueueRef> ParseQueueUrl(const ServiceCall& call, const std::string& url) {
  std::string_view rest = url;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
    size_t slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  if (size_t query = rest.find('?'); query != std::string_view::npos) {
    rest = rest.substr(0, query);
  }
  if (rest.empty() || rest[0] != '/') {
    return NonExistentQueue();
  }
  rest.remove_prefix(1);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= rest.size() ||
      rest.find('/', slash + 1) != std::string_view::npos) {
    return NonExistentQueue();
  }
  QueueRef ref{std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1)), ""};
  ref.key = QueueKey(call.region, ref.account, ref.name);
  return ref;
}

// "arn:aws:sqs:REGION:ACCOUNT:NAME" -> the queue's key, or nullopt.
std::optional<std::string> KeyOfArn(const std::string& arn) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t colon; (colon = arn.find(':', start)) != std::string::npos; start = colon + 1) {
    parts.push_back(arn.substr(start, colon - start));
  }
  parts.push_back(arn.substr(start));
  if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sqs" || parts[5].empty()) {
    return std::nullopt;
  }
  return QueueKey(parts[3], parts[4], parts[5]);
}

std::string NameOfKey(const std::string& key) {
  return key.substr(key.rfind('/') + 1);
}

std::string AccountOfKey(const std::string& key) {
  size_t first = key.find('/');
  return key.substr(first + 1, key.rfind('/') - first - 1);
}

std::string MessageKey(const std::string& queue_key, uint64_t sequence) {
  return fmt::format("{}/{:020d}", queue_key, sequence);
}

// ---- queue attributes ----

struct NumericAttribute {
  const char* name;
  int64_t min;
  int64_t max;
  const char* fallback;
};

constexpr NumericAttribute kNumericAttributes[] = {
    {"DelaySeconds", 0, 900, "0"},
    {"MaximumMessageSize", 1024, 262144, "262144"},
    {"MessageRetentionPeriod", 60, 1209600, "345600"},
    {"ReceiveMessageWaitTimeSeconds", 0, 20, "0"},
    {"VisibilityTimeout", 0, 43200, "30"},
    {"KmsDataKeyReusePeriodSeconds", 60, 86400, "300"},
};

const std::set<std::string>& FifoOnlyAttributes() {
  static const std::set<std::string> kNames = {"ContentBasedDeduplication", "DeduplicationScope",
                                               "FifoThroughputLimit"};
  return kNames;
}

const std::set<std::string>& ComputedAttributes() {
  static const std::set<std::string> kNames = {"ApproximateNumberOfMessages",
                                               "ApproximateNumberOfMessagesDelayed",
                                               "ApproximateNumberOfMessagesNotVisible",
                                               "CreatedTimestamp",
                                               "LastModifiedTimestamp",
                                               "QueueArn"};
  return kNames;
}

const std::set<std::string>& SettableAttributes() {
  static const std::set<std::string> kNames = [] {
    std::set<std::string> names = {"Policy",         "RedrivePolicy",        "RedriveAllowPolicy",
                                   "KmsMasterKeyId", "SqsManagedSseEnabled", "FifoQueue"};
    for (const NumericAttribute& a : kNumericAttributes) {
      names.insert(a.name);
    }
    names.insert(FifoOnlyAttributes().begin(), FifoOnlyAttributes().end());
    return names;
  }();
  return kNames;
}

bool IsBoolText(const std::string& value) {
  return value == "true" || value == "false";
}

// Checks one attribute a caller sets. `fifo`: the queue is (or is being created as) FIFO.
ServiceStatus CheckAttribute(const std::string& name, const std::string& value, bool fifo,
                             bool creating, CallTxn& txn) {
  if (ComputedAttributes().count(name) > 0 || SettableAttributes().count(name) == 0) {
    return InvalidAttributeName(name);
  }
  for (const NumericAttribute& a : kNumericAttributes) {
    if (name == a.name) {
      std::optional<int64_t> n = ParseInt(value);
      if (!n || *n < a.min || *n > a.max) {
        return InvalidAttributeValue(name);
      }
      return {};
    }
  }
  if (name == "FifoQueue") {
    if (!creating) {
      return InvalidAttributeName(name);
    }
    if (!IsBoolText(value)) {
      return InvalidAttributeValue(name);
    }
    return {};
  }
  if (FifoOnlyAttributes().count(name) > 0 && !fifo) {
    return InvalidAttributeName(name);
  }
  if (name == "ContentBasedDeduplication" || name == "SqsManagedSseEnabled") {
    return IsBoolText(value) ? ServiceStatus() : ServiceStatus(InvalidAttributeValue(name));
  }
  if (name == "DeduplicationScope") {
    return value == "queue" || value == "messageGroup" ? ServiceStatus()
                                                       : InvalidAttributeValue(name);
  }
  if (name == "FifoThroughputLimit") {
    return value == "perQueue" || value == "perMessageGroupId" ? ServiceStatus()
                                                               : InvalidAttributeValue(name);
  }
  if (value.empty() || name == "KmsMasterKeyId") {
    return {};  // an empty policy removes it
  }
  Json doc = Json::parse(value, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return InvalidAttributeValue(name);
  }
  if (name == "RedrivePolicy") {
    std::optional<int64_t> max_receives =
        doc.contains("maxReceiveCount") ? JsonInt(doc["maxReceiveCount"]) : std::nullopt;
    if (!max_receives || *max_receives < 1 || *max_receives > 1000) {
      return InvalidParameterValue(fmt::format(
          "Value {} for parameter RedrivePolicy is invalid. Reason: Invalid value for "
          "maxReceiveCount: {}, valid values are from 1 to 1000 both inclusive.",
          value, doc.contains("maxReceiveCount") ? doc["maxReceiveCount"].dump() : "null"));
    }
    std::optional<std::string> target =
        doc.value("deadLetterTargetArn", Json()).is_string()
            ? KeyOfArn(doc["deadLetterTargetArn"].get<std::string>())
            : std::nullopt;
    std::optional<Json> dlq;
    if (target) {
      SERVICE_ASSIGN_OR_RETURN(dlq, txn.Get(kQueueNs, *target));
    }
    if (!dlq) {
      return InvalidParameterValue(fmt::format(
          "Value {} for parameter RedrivePolicy is invalid. Reason: Dead letter target does "
          "not exist.",
          value));
    }
    if (IsFifo(*dlq) != fifo) {
      return InvalidParameterValue(fmt::format(
          "Value {} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be "
          "same type of queue as the source.",
          value));
    }
  }
  return {};
}

// Applies `changes` (already checked) to `attributes`: empty policies are removed, and the
// two kinds of server-side encryption exclude each other as SQS has them.
ServiceStatus MergeAttributes(Json& attributes, const Json& changes) {
  bool sets_sqs_sse = changes.value("SqsManagedSseEnabled", "") == "true";
  bool sets_kms = !changes.value("KmsMasterKeyId", "").empty();
  if (sets_sqs_sse && sets_kms) {
    return InvalidAttributeValue(
        "SqsManagedSseEnabled",
        "You can use one type of server-side encryption (SSE) at one time. You can either "
        "enable KMS SSE or SQS SSE.");
  }
  for (const auto& [name, value] : changes.items()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.empty() && (name == "Policy" || name == "RedrivePolicy" ||
                         name == "RedriveAllowPolicy" || name == "KmsMasterKeyId")) {
      attributes.erase(name);
    } else {
      attributes[name] = text;
    }
  }
  if (sets_kms) {
    attributes["SqsManagedSseEnabled"] = "false";
    if (!attributes.contains("KmsDataKeyReusePeriodSeconds")) {
      attributes["KmsDataKeyReusePeriodSeconds"] = "300";
    }
  } else if (sets_sqs_sse) {
    attributes.erase("KmsMasterKeyId");
    attributes.erase("KmsDataKeyReusePeriodSeconds");
  }
  if (!attributes.contains("KmsMasterKeyId")) {
    attributes.erase("KmsDataKeyReusePeriodSeconds");
  }
  return {};
}

ServiceStatus CheckQueueName(const std::string& name, bool fifo) {
  std::string base = name;
  bool has_suffix = name.size() > 5 && name.compare(name.size() - 5, 5, ".fifo") == 0;
  if (has_suffix) {
    base = name.substr(0, name.size() - 5);
  }
  bool chars_ok = !base.empty() && std::all_of(base.begin(), base.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
  if (fifo) {
    if (!has_suffix || !chars_ok || name.size() > 80) {
      return InvalidParameterValue(
          "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
          "underscores, must end with .fifo suffix and be 1 to 80 in length.");
    }
    return {};
  }
  if (has_suffix) {
    return InvalidParameterValue(
        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in "
        "length. A queue name ending in .fifo must have the FifoQueue attribute set to true.");
  }
  if (!chars_ok || name.size() > 80) {
    return InvalidParameterValue(
        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  }
  return {};
}

// ---- messages ----

// An attribute value as stored: binary values base64-encoded (the Store holds JSON text).
struct StoredAttribute {
  std::string data_type;
  std::string string_value;
  std::string binary_value;  // raw bytes
  bool binary = false;
};

void AppendLengthPrefixed(std::string& out, std::string_view bytes) {
  uint32_t n = static_cast<uint32_t>(bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out.append(bytes);
}

// The MD5 of message attributes as SQS computes it (names sorted; each name, data type,
// transport type and value, length-prefixed), in hex. "" when there are none.
std::string AttributesMd5(const std::map<std::string, StoredAttribute>& attributes) {
  if (attributes.empty()) {
    return "";
  }
  std::string encoded;
  for (const auto& [name, value] : attributes) {
    AppendLengthPrefixed(encoded, name);
    AppendLengthPrefixed(encoded, value.data_type);
    encoded.push_back(value.binary ? 2 : 1);
    AppendLengthPrefixed(encoded, value.binary ? value.binary_value : value.string_value);
  }
  return HexEncode(Md5(encoded));
}

Json AttributesToStore(const std::map<std::string, StoredAttribute>& attributes) {
  Json out = Json::object();
  for (const auto& [name, value] : attributes) {
    out[name] =
        value.binary
            ? Json{{"DataType", value.data_type}, {"BinaryValue", Base64Encode(value.binary_value)}}
            : Json{{"DataType", value.data_type}, {"StringValue", value.string_value}};
  }
  return out;
}

std::map<std::string, StoredAttribute> AttributesFromStore(const Json& stored) {
  std::map<std::string, StoredAttribute> out;
  for (const auto& [name, value] : stored.items()) {
    StoredAttribute a;
    a.data_type = value.value("DataType", "");
    if (value.contains("BinaryValue")) {
      a.binary = true;
      a.binary_value = Base64Decode(value["BinaryValue"].get<std::string>()).value_or("");
    } else {
      a.string_value = value.value("StringValue", "");
    }
    out[name] = std::move(a);
  }
  return out;
}

// Reads and checks SendMessage's MessageAttributes.
ServiceOr<std::map<std::string, StoredAttribute>> ReadMessageAttributes(const Json& input) {
  std::map<std::string, StoredAttribute> out;
  if (!input.is_object()) {
    return out;
  }
  if (input.size() > 10) {
    return InvalidParameterValue(fmt::format(
        "Number of message attributes [{}] exceeds the allowed maximum [10].", input.size()));
  }
  for (const auto& [name, value] : input.items()) {
    bool name_ok = !name.empty() && name.size() <= 256 && name.front() != '.' &&
                   name.back() != '.' && name.find("..") == std::string::npos &&
                   std::all_of(name.begin(), name.end(), [](char c) {
                     return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
                            c == '-' || c == '.';
                   });
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (!name_ok || lower.rfind("aws.", 0) == 0 || lower.rfind("amazon.", 0) == 0) {
      return InvalidParameterValue(fmt::format(
          "Message (user) attribute name '{}' is invalid: use letters, digits, _ - and ., "
          "up to 256 characters, not starting with AWS. or Amazon.",
          name));
    }
    StoredAttribute a;
    a.data_type = value.value("DataType", "");
    std::string kind = a.data_type.substr(0, a.data_type.find('.'));
    if (kind != "String" && kind != "Number" && kind != "Binary") {
      return InvalidParameterValue(
          fmt::format("The type of message (user) attribute '{}' is invalid. You must use only the "
                      "following supported type prefixes: Binary, Number, String.",
                      name));
    }
    a.binary = kind == "Binary";
    if (a.binary) {
      if (!value.contains("BinaryValue") || value["BinaryValue"].get<std::string>().empty()) {
        return InvalidParameterValue(fmt::format(
            "Message (user) attribute '{}' must contain a non-empty value of type 'Binary'.",
            name));
      }
      a.binary_value = value["BinaryValue"].get<std::string>();
    } else {
      if (!value.contains("StringValue") || value["StringValue"].get<std::string>().empty()) {
        return InvalidParameterValue(fmt::format(
            "Message (user) attribute '{}' must contain a non-empty value of type '{}'.", name,
            kind));
      }
      a.string_value = value["StringValue"].get<std::string>();
      if (kind == "Number") {
        char* end = nullptr;
        std::strtod(a.string_value.c_str(), &end);
        if (end == a.string_value.c_str() || *end != '\0') {
          return InvalidParameterValue(fmt::format(
              "Can't cast the value of message (user) attribute '{}' to a number.", name));
        }
      }
    }
    out[name] = std::move(a);
  }
  return out;
}

// True when `body` holds only the characters SQS accepts (#x9 #xA #xD #x20-#xD7FF
// #xE000-#xFFFD #x10000-#x10FFFF) as valid UTF-8.
bool ValidBody(std::string_view body) {
  for (size_t i = 0; i < body.size();) {
    unsigned char c = static_cast<unsigned char>(body[i]);
    uint32_t cp = 0;
    size_t n = 0;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if ((c & 0xe0) == 0xc0) {
      cp = c & 0x1f;
      n = 2;
    } else if ((c & 0xf0) == 0xe0) {
      cp = c & 0x0f;
      n = 3;
    } else if ((c & 0xf8) == 0xf0) {
      cp = c & 0x07;
      n = 4;
    } else {
      return false;
    }
    if (i + n > body.size()) {
      return false;
    }
    for (size_t k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(body[i + k]);
      if ((cc & 0xc0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (cc & 0x3f);
    }
    bool allowed = cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
                   (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!allowed) {
      return false;
    }
    i += n;
  }
  return true;
}

size_t AttributesSize(const std::map<std::string, StoredAttribute>& attributes) {
  size_t size = 0;
  for (const auto& [name, value] : attributes) {
    size += name.size() + value.data_type.size() +
            (value.binary ? value.binary_value.size() : value.string_value.size());
  }
  return size;
}

// One message to send, read from SendMessage or a SendMessageBatch entry.
struct Outgoing {
  std::string body;
  std::map<std::string, StoredAttribute> attributes;
  std::optional<int64_t> delay;
  std::string group_id;
  std::string dedup_id;
  std::string trace_header;  // MessageSystemAttributes AWSTraceHeader
};

ServiceOr<Outgoing> ReadOutgoing(const Json& input) {
  Outgoing out;
  out.body = input.value("MessageBody", "");
  SERVICE_ASSIGN_OR_RETURN(out.attributes,
                           ReadMessageAttributes(input.value("MessageAttributes", Json::object())));
  if (input.contains("DelaySeconds")) {
    out.delay = input["DelaySeconds"].get<int64_t>();
  }
  out.group_id = input.value("MessageGroupId", "");
  out.dedup_id = input.value("MessageDeduplicationId", "");
  Json system = input.value("MessageSystemAttributes", Json::object());
  for (const auto& [name, value] : system.items()) {
    if (name != "AWSTraceHeader" || value.value("DataType", "") != "String") {
      return InvalidParameterValue(fmt::format(
          "Message system attribute '{}' is invalid: only AWSTraceHeader of type String is "
          "supported.",
          name));
    }
    out.trace_header = value.value("StringValue", "");
  }
  return out;
}

// The visible view of a message for ReceiveMessage.
Json MessageView(const Json& message, const std::string& handle,
                 const std::set<std::string>& system_names, bool all_system,
                 const std::vector<std::string>& attribute_filters) {
  Json out = {{"MessageId", message["Id"]},
              {"ReceiptHandle", handle},
              {"MD5OfBody", message["Md5OfBody"]},
              {"Body", message["Body"]}};
  Json system = {
      {"SenderId", message.value("SenderId", "")},
      {"SentTimestamp", std::to_string(message.value("Sent", int64_t{0}))},
      {"ApproximateReceiveCount", std::to_string(message.value("Receives", 0))},
      {"ApproximateFirstReceiveTimestamp",
       std::to_string(message.value("FirstReceive", int64_t{0}))},
  };
  if (!message.value("GroupId", "").empty()) {
    system["MessageGroupId"] = message["GroupId"];
    system["MessageDeduplicationId"] = message.value("DedupId", "");
    system["SequenceNumber"] = message.value("SequenceNumber", "");
  }
  if (!message.value("TraceHeader", "").empty()) {
    system["AWSTraceHeader"] = message["TraceHeader"];
  }
  Json attributes = Json::object();
  for (const auto& [name, value] : system.items()) {
    if (all_system || system_names.count(name) > 0) {
      attributes[name] = value;
    }
  }
  if (!attributes.empty()) {
    out["Attributes"] = attributes;
  }
  std::map<std::string, StoredAttribute> selected;
  for (auto& [name, value] : AttributesFromStore(message.value("Attributes", Json::object()))) {
    for (const std::string& filter : attribute_filters) {
      bool match = filter == "All" || filter == ".*" || filter == name ||
                   (filter.size() > 2 && filter.compare(filter.size() - 2, 2, ".*") == 0 &&
                    name.rfind(filter.substr(0, filter.size() - 1), 0) == 0);
      if (match) {
        selected[name] = value;
        break;
      }
    }
  }
  if (!selected.empty()) {
    Json view = Json::object();
    for (const auto& [name, value] : selected) {
      view[name] = value.binary
                       ? Json{{"DataType", value.data_type}, {"BinaryValue", value.binary_value}}
                       : Json{{"DataType", value.data_type}, {"StringValue", value.string_value}};
    }
    out["MessageAttributes"] = view;
    out["MD5OfMessageAttributes"] = AttributesMd5(selected);
  }
  return out;
}

// The parts of a receipt handle: the queue's key and the message's sequence key.
struct Handle {
  std::string queue_key;
  std::string message_key;
};

std::optional<Handle> ParseHandle(const std::string& handle) {
  std::optional<std::string> text = Base64Decode(handle);
  if (!text) {
    return std::nullopt;
  }
  size_t first = text->find('\n');
  size_t second = first == std::string::npos ? first : text->find('\n', first + 1);
  if (second == std::string::npos) {
    return std::nullopt;
  }
  Handle out{text->substr(0, first), text->substr(first + 1, second - first - 1)};
  if (out.message_key.rfind(out.queue_key + "/", 0) != 0) {
    return std::nullopt;
  }
  return out;
}

// Removes the queue's messages whose retention period has passed; returns the others.
ServiceOr<std::vector<std::pair<std::string, Json>>> LiveMessages(CallTxn& txn,
                                                                  const std::string& queue_key,
                                                                  const Json& queue, int64_t now) {
  SERVICE_ASSIGN_OR_RETURN(auto rows, txn.List(kMessageNs, queue_key + "/"));
  int64_t retention_ms = AttrInt(queue, "MessageRetentionPeriod") * 1000;
  std::vector<std::pair<std::string, Json>> live;
  for (auto& [key, message] : rows) {
    if (message.value("Sent", int64_t{0}) + retention_ms <= now) {
      SERVICE_RETURN_IF_ERROR(txn.Delete(kMessageNs, key));
      continue;
    }
    live.emplace_back(std::move(key), std::move(message));
  }
  return live;
}

// Checks a batch's entries: not empty, at most ten, ids distinct and well formed.
ServiceStatus CheckBatch(const Json& entries) {
  if (!entries.is_array() || entries.empty()) {
    return Sender("AWS.SimpleQueueService.EmptyBatchRequest",
                  "There should be at least one SendMessageBatchRequestEntry in the request.");
  }
  if (entries.size() > kMaxBatchEntries) {
    return Sender("AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                  fmt::format("Maximum number of entries per request are 10. You have sent {}.",
                              entries.size()));
  }
  std::set<std::string> ids;
  for (const Json& entry : entries) {
    std::string id = entry.value("Id", "");
    bool ok = !id.empty() && id.size() <= 80 && std::all_of(id.begin(), id.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
    });
    if (!ok) {
      return Sender("AWS.SimpleQueueService.InvalidBatchEntryId",
                    "A batch entry id can only contain alphanumeric characters, hyphens and "
                    "underscores. It can be at most 80 letters long.");
    }
    if (!ids.insert(id).second) {
      return Sender("AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                    fmt::format("Id {} repeated.", id));
    }
  }
  return {};
}

Json BatchFailure(const std::string& id, const ServiceError& error) {
  return {{"Id", id},
          {"SenderFault", error.sender_fault},
          {"Code", error.code},
          {"Message", error.message}};
}

}  // namespace

const OperationTable<SqsService>& SqsService::Operations() {
  static const OperationTable<SqsService> kTable(
      {
          {"CreateQueue", &SqsService::CreateQueue},
          {"GetQueueUrl", &SqsService::GetQueueUrl},
          {"ListQueues", &SqsService::ListQueues},
          {"DeleteQueue", &SqsService::DeleteQueue},
          {"GetQueueAttributes", &SqsService::GetQueueAttributes},
          {"SetQueueAttributes", &SqsService::SetQueueAttributes},
          {"PurgeQueue", &SqsService::PurgeQueue},
          {"TagQueue", &SqsService::TagQueue},
          {"UntagQueue", &SqsService::UntagQueue},
          {"ListQueueTags", &SqsService::ListQueueTags},
          {"AddPermission", &SqsService::AddPermission},
          {"RemovePermission", &SqsService::RemovePermission},
          {"ListDeadLetterSourceQueues", &SqsService::ListDeadLetterSourceQueues},
          {"SendMessage", &SqsService::SendMessage},
          {"SendMessageBatch", &SqsService::SendMessageBatch},
          {"ReceiveMessage", &SqsService::ReceiveMessage},
          {"DeleteMessage", &SqsService::DeleteMessage},
          {"DeleteMessageBatch", &SqsService::DeleteMessageBatch},
          {"ChangeMessageVisibility", &SqsService::ChangeMessageVisibility},
          {"ChangeMessageVisibilityBatch", &SqsService::ChangeMessageVisibilityBatch},
      },
      {.internal_error = InternalSqsError, .invalid_input = InvalidInput});
  return kTable;
}

std::string SqsService::QueueUrl(const std::string& account, const std::string& name) const {
  return fmt::format("{}/{}/{}", endpoint_(), account, name);
}

void SqsService::Notify() {
  {
    std::lock_guard<std::mutex> lock(wake_mu_);
    ++sends_;
  }
  wake_.notify_all();
}

namespace {

// The queue `url` names, or NonExistentQueue.
ServiceOr<std::pair<QueueRef, Json>> LoadQueue(const ServiceCall& call, CallTxn& txn,
                                               const std::string& url) {
  SERVICE_ASSIGN_OR_RETURN(QueueRef ref, ParseQueueUrl(call, url));
  SERVICE_ASSIGN_OR_RETURN(Json queue, txn.Require(kQueueNs, ref.key, NonExistentQueue()));
  return std::make_pair(std::move(ref), std::move(queue));
}

// Enqueues `out` on the queue (`queue` is updated: its next sequence number). Returns the
// SendMessage result members.
ServiceOr<Json> Enqueue(CallTxn& txn, const std::string& queue_key, Json& queue,
                        const Outgoing& out, const std::string& sender, const std::string& id,
                        int64_t now) {
  bool fifo = IsFifo(queue);
  if (out.body.empty()) {
    return Sender("MissingParameter", "The request must contain the parameter MessageBody.");
  }
  if (!ValidBody(out.body)) {
    return Sender("InvalidMessageContents",
                  "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | "
                  "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
  }
  int64_t max_size = AttrInt(queue, "MaximumMessageSize");
  if (static_cast<int64_t>(out.body.size() + AttributesSize(out.attributes)) > max_size) {
    return InvalidParameterValue(fmt::format(
        "One or more parameters are invalid. Reason: Message must be shorter than {} bytes.",
        max_size));
  }
  int64_t delay = out.delay.value_or(AttrInt(queue, "DelaySeconds"));
  if (delay < 0 || delay > 900) {
    return ParameterRange("DelaySeconds", delay, "must be between 0 and 900, if provided");
  }
  std::string dedup_id = out.dedup_id;
  if (fifo) {
    if (out.group_id.empty()) {
      return Sender("MissingParameter", "The request must contain the parameter MessageGroupId.");
    }
    if (out.delay && *out.delay != 0) {
      return InvalidParameterValue(
          fmt::format("Value {} for parameter DelaySeconds is invalid. Reason: The request include "
                      "parameter that is not valid for this queue type.",
                      *out.delay));
    }
    delay = 0;
    if (dedup_id.empty()) {
      if (Attr(queue, "ContentBasedDeduplication") != "true") {
        return InvalidParameterValue(
            "The queue should either have ContentBasedDeduplication enabled or "
            "MessageDeduplicationId provided explicitly");
      }
      dedup_id = HexEncode(Sha256(out.body));
    }
  } else if (!out.group_id.empty() || !out.dedup_id.empty()) {
    return InvalidParameterValue(fmt::format(
        "Value {} for parameter {} is invalid. Reason: The request include parameter that is "
        "not valid for this queue type.",
        out.group_id.empty() ? out.dedup_id : out.group_id,
        out.group_id.empty() ? "MessageDeduplicationId" : "MessageGroupId"));
  }

  Json result = {{"MD5OfMessageBody", HexEncode(Md5(out.body))}};
  std::string attributes_md5 = AttributesMd5(out.attributes);
  if (!attributes_md5.empty()) {
    result["MD5OfMessageAttributes"] = attributes_md5;
  }
  if (fifo) {
    std::string scope = Attr(queue, "DeduplicationScope") == "messageGroup"
                            ? queue_key + "/" + out.group_id + "/" + dedup_id
                            : queue_key + "//" + dedup_id;
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> seen, txn.Get(kDedupNs, scope));
    if (seen && seen->value("Expires", int64_t{0}) > now) {
      result["MessageId"] = (*seen)["MessageId"];
      result["SequenceNumber"] = (*seen)["SequenceNumber"];
      return result;  // a duplicate inside the window: accepted, not enqueued again
    }
    uint64_t sequence = queue.value("NextSequence", uint64_t{1});
    std::string sequence_number = fmt::format("{:020d}", sequence);
    SERVICE_RETURN_IF_ERROR(txn.Put(kDedupNs, scope,
                                    {{"Expires", now + kDedupWindowMs},
                                     {"MessageId", id},
                                     {"SequenceNumber", sequence_number}}));
    result["SequenceNumber"] = sequence_number;
  }
  uint64_t sequence = queue.value("NextSequence", uint64_t{1});
  queue["NextSequence"] = sequence + 1;
  Json message = {{"Id", id},
                  {"Body", out.body},
                  {"Md5OfBody", result["MD5OfMessageBody"]},
                  {"Attributes", AttributesToStore(out.attributes)},
                  {"Sent", now},
                  {"VisibleAt", now + delay * 1000},
                  {"Receives", 0},
                  {"SenderId", sender}};
  if (fifo) {
    message["GroupId"] = out.group_id;
    message["DedupId"] = dedup_id;
    message["SequenceNumber"] = result["SequenceNumber"];
  }
  if (!out.trace_header.empty()) {
    message["TraceHeader"] = out.trace_header;
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kMessageNs, MessageKey(queue_key, sequence), message));
  SERVICE_RETURN_IF_ERROR(txn.Put(kQueueNs, queue_key, queue));
  result["MessageId"] = id;
  return result;
}

// The queue's message and in-flight counts for GetQueueAttributes.
struct Counts {
  int64_t visible = 0;
  int64_t in_flight = 0;
  int64_t delayed = 0;
};

Counts CountMessages(const std::vector<std::pair<std::string, Json>>& messages, int64_t now) {
  Counts counts;
  for (const auto& [key, message] : messages) {
    if (message.value("VisibleAt", int64_t{0}) <= now) {
      ++counts.visible;
    } else if (message.value("Receives", 0) > 0) {
      ++counts.in_flight;
    } else {
      ++counts.delayed;
    }
  }
  return counts;
}

// Checks a ChangeMessageVisibility of `handle` on the queue and applies it.
ServiceStatus ChangeVisibility(CallTxn& txn, const QueueRef& ref, const std::string& handle,
                               const Json& timeout_member, int64_t now) {
  std::optional<int64_t> timeout = JsonInt(timeout_member);
  if (!timeout) {
    return Sender("MissingParameter", "The request must contain the parameter VisibilityTimeout.");
  }
  if (*timeout < 0 || *timeout > 43200) {
    return ParameterRange("VisibilityTimeout", *timeout,
                          "VisibilityTimeout must be an integer between 0 and 43200");
  }
  std::optional<Handle> parsed = ParseHandle(handle);
  if (!parsed || parsed->queue_key != ref.key) {
    return ReceiptHandleIsInvalid(handle);
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> message, txn.Get(kMessageNs, parsed->message_key));
  if (!message || message->value("Receives", 0) == 0 ||
      message->value("VisibleAt", int64_t{0}) <= now) {
    return Sender("AWS.SimpleQueueService.MessageNotInflight",
                  "Message does not exist or is not "
                  "available for visibility timeout "
                  "change.");
  }
  if (message->value("Handle", "") != handle) {
    return InvalidParameterValue(fmt::format(
        "Value {} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.",
        handle));
  }
  (*message)["VisibleAt"] = now + *timeout * 1000;
  SERVICE_RETURN_IF_ERROR(txn.Put(kMessageNs, parsed->message_key, *message));
  return {};
}

// Deletes the message a handle names; an already deleted message is not an error.
ServiceStatus DeleteByHandle(CallTxn& txn, const QueueRef& ref, const std::string& handle) {
  std::optional<Handle> parsed = ParseHandle(handle);
  if (!parsed || parsed->queue_key != ref.key) {
    return ReceiptHandleIsInvalid(handle);
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kMessageNs, parsed->message_key));
  return {};
}

}  // namespace

ServiceResult SqsService::CreateQueue(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("QueueName", "");
  Json given = call.input.value("Attributes", Json::object());
  bool fifo = given.value("FifoQueue", "") == "true";
  SERVICE_RETURN_IF_ERROR(CheckQueueName(name, fifo));
  for (const auto& [attribute, value] : given.items()) {
    SERVICE_RETURN_IF_ERROR(
        CheckAttribute(attribute, value.get<std::string>(), fifo, /*creating=*/true, txn));
  }
  std::string key = QueueKey(call.region, call.account_id, name);
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kQueueNs, key));
  if (existing) {
    for (const auto& [attribute, value] : given.items()) {
      if (Attr(*existing, attribute) != value.get<std::string>()) {
        return Sender("QueueAlreadyExists",
                      fmt::format("A queue already exists with the same name and a different "
                                  "value for attribute {}",
                                  attribute));
      }
    }
    return Json{{"QueueUrl", QueueUrl(call.account_id, name)}};
  }
  Json attributes = Json::object();
  for (const NumericAttribute& a : kNumericAttributes) {
    attributes[a.name] = a.fallback;
  }
  attributes["SqsManagedSseEnabled"] = "true";
  if (fifo) {
    attributes["FifoQueue"] = "true";
    attributes["ContentBasedDeduplication"] = "false";
    attributes["DeduplicationScope"] = "queue";
    attributes["FifoThroughputLimit"] = "perQueue";
  }
  Json changes = given;
  changes.erase("FifoQueue");
  SERVICE_RETURN_IF_ERROR(MergeAttributes(attributes, changes));
  int64_t now_s = NowMs(context_.clock) / 1000;
  Json tags = call.input.value("tags", Json::object());
  Json queue = {{"Attributes", attributes},
                {"Tags", tags},
                {"Created", now_s},
                {"Modified", now_s},
                {"NextSequence", 1}};
  SERVICE_RETURN_IF_ERROR(txn.Put(kQueueNs, key, queue));
  return Json{{"QueueUrl", QueueUrl(call.account_id, name)}};
}

ServiceResult SqsService::GetQueueUrl(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("QueueName", "");
  std::string account = call.input.value("QueueOwnerAWSAccountId", call.account_id);
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> queue,
                           txn.Get(kQueueNs, QueueKey(call.region, account, name)));
  if (!queue) {
    return NonExistentQueue();
  }
  return Json{{"QueueUrl", QueueUrl(account, name)}};
}

ServiceResult SqsService::ListQueues(const ServiceCall& call, CallTxn& txn) {
  std::string prefix = call.input.value("QueueNamePrefix", "");
  std::optional<int64_t> max;
  if (call.input.contains("MaxResults")) {
    max = call.input["MaxResults"].get<int64_t>();
    if (*max < 1 || *max > 1000) {
      return ParameterRange("MaxResults", *max, "MaxResults must be an integer between 1 and 1000");
    }
  }
  std::string after;
  if (call.input.contains("NextToken")) {
    std::optional<std::string> decoded = Base64Decode(call.input["NextToken"].get<std::string>());
    if (!decoded) {
      return InvalidParameterValue("Invalid NextToken value.");
    }
    after = *decoded;
  }
  SERVICE_ASSIGN_OR_RETURN(auto rows,
                           txn.List(kQueueNs, QueueKey(call.region, call.account_id, prefix)));
  Json urls = Json::array();
  std::string last;
  bool more = false;
  for (const auto& [key, queue] : rows) {
    std::string name = NameOfKey(key);
    if (!after.empty() && name <= after) {
      continue;
    }
    if (static_cast<int64_t>(urls.size()) == max.value_or(1000)) {
      more = true;
      break;
    }
    urls.push_back(QueueUrl(call.account_id, name));
    last = name;
  }
  Json out = Json::object();
  if (!urls.empty()) {
    out["QueueUrls"] = urls;
  }
  if (more && max) {
    out["NextToken"] = Base64Encode(last);
  }
  return out;
}

ServiceResult SqsService::DeleteQueue(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  const std::string& key = loaded.first.key;
  SERVICE_ASSIGN_OR_RETURN(auto messages, txn.List(kMessageNs, key + "/"));
  for (const auto& [message_key, message] : messages) {
    SERVICE_RETURN_IF_ERROR(txn.Delete(kMessageNs, message_key));
  }
  SERVICE_ASSIGN_OR_RETURN(auto dedups, txn.List(kDedupNs, key + "/"));
  for (const auto& [dedup_key, dedup] : dedups) {
    SERVICE_RETURN_IF_ERROR(txn.Delete(kDedupNs, dedup_key));
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kQueueNs, key));
  return Json::object();
}

ServiceResult SqsService::GetQueueAttributes(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  auto& [ref, queue] = loaded;
  std::set<std::string> names;
  for (const Json& name : call.input.value("AttributeNames", Json::array())) {
    names.insert(name.get<std::string>());
  }
  bool all = names.count("All") > 0;
  for (const std::string& name : names) {
    if (name != "All" && SettableAttributes().count(name) == 0 &&
        ComputedAttributes().count(name) == 0) {
      return InvalidAttributeName(name);
    }
  }
  int64_t now = NowMs(context_.clock);
  SERVICE_ASSIGN_OR_RETURN(auto messages, LiveMessages(txn, ref.key, queue, now));
  Counts counts = CountMessages(messages, now);
  Json view = queue["Attributes"];
  view["ApproximateNumberOfMessages"] = std::to_string(counts.visible);
  view["ApproximateNumberOfMessagesNotVisible"] = std::to_string(counts.in_flight);
  view["ApproximateNumberOfMessagesDelayed"] = std::to_string(counts.delayed);
  view["CreatedTimestamp"] = std::to_string(queue.value("Created", int64_t{0}));
  view["LastModifiedTimestamp"] = std::to_string(queue.value("Modified", int64_t{0}));
  view["QueueArn"] = QueueArn(call.region, ref.account, ref.name);
  Json out = Json::object();
  for (const auto& [name, value] : view.items()) {
    if (all || names.count(name) > 0) {
      out[name] = value;
    }
  }
  if (out.empty()) {
    return Json::object();
  }
  return Json{{"Attributes", out}};
}

ServiceResult SqsService::SetQueueAttributes(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  auto& [ref, queue] = loaded;
  Json changes = call.input.value("Attributes", Json::object());
  for (const auto& [attribute, value] : changes.items()) {
    SERVICE_RETURN_IF_ERROR(CheckAttribute(attribute, value.get<std::string>(), IsFifo(queue),
                                           /*creating=*/false, txn));
  }
  SERVICE_RETURN_IF_ERROR(MergeAttributes(queue["Attributes"], changes));
  queue["Modified"] = NowMs(context_.clock) / 1000;
  SERVICE_RETURN_IF_ERROR(txn.Put(kQueueNs, ref.key, queue));
  return Json::object();
}

ServiceResult SqsService::PurgeQueue(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  auto& [ref, queue] = loaded;
  int64_t now = NowMs(context_.clock);
  if (queue.contains("LastPurge") && now - queue["LastPurge"].get<int64_t>() < kPurgeIntervalMs) {
    return ServiceError{"AWS.SimpleQueueService.PurgeQueueInProgress",
                        fmt::format("Only one PurgeQueue operation on {} is allowed every 60 "
                                    "seconds.",
                                    ref.name),
                        403, true};
  }
  SERVICE_ASSIGN_OR_RETURN(auto messages, txn.List(kMessageNs, ref.key + "/"));
  for (const auto& [key, message] : messages) {
    SERVICE_RETURN_IF_ERROR(txn.Delete(kMessageNs, key));
  }
  queue["LastPurge"] = now;
  SERVICE_RETURN_IF_ERROR(txn.Put(kQueueNs, ref.key, queue));
  return Json::object();
}

ServiceResult SqsService::TagQueue(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  auto& [ref, queue] = loaded;
  Json tags = call.input.value("Tags", Json::object());
  Json merged = queue.value("Tags", Json::object());
  merged.update(tags);
  if (merged.size() > 50) {
    return InvalidParameterValue("Too many tags added for queue " + ref.name + ".");
  }
  queue["Tags"] = merged;
  SERVICE_RETURN_IF_ERROR(txn.Put(kQueueNs, ref.key, queue));
  return Json::object();
}

ServiceResult SqsService::UntagQueue(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  auto& [ref, queue] = loaded;
  Json tags = queue.value("Tags", Json::object());
  for (const Json& key : call.input.value("TagKeys", Json::array())) {
    tags.erase(key.get<std::string>());
  }
  queue["Tags"] = tags;
  SERVICE_RETURN_IF_ERROR(txn.Put(kQueueNs, ref.key, queue));
  return Json::object();
}

ServiceResult SqsService::ListQueueTags(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  Json tags = loaded.second.value("Tags", Json::object());
  if (tags.empty()) {
    return Json::object();
  }
  return Json{{"Tags", tags}};
}

ServiceResult SqsService::AddPermission(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  auto& [ref, queue] = loaded;
  std::string label = call.input.value("Label", "");
  Json accounts = call.input.value("AWSAccountIds", Json::array());
  Json actions = call.input.value("Actions", Json::array());
  if (label.empty() || accounts.empty() || actions.empty()) {
    return Sender("MissingParameter",
                  "The request must contain the parameters Label, AWSAccountIds and Actions.");
  }
  std::string arn = QueueArn(call.region, ref.account, ref.name);
  Json policy =
      Json::parse(Attr(queue, "Policy").empty() ? "{}" : Attr(queue, "Policy"), nullptr, false);
  if (!policy.is_object()) {
    policy = Json::object();
  }
  if (!policy.contains("Version")) {
    policy["Version"] = "2012-10-17";
    policy["Id"] = arn + "/SQSDefaultPolicy";
  }
  Json& statements = policy["Statement"];
  if (!statements.is_array()) {
    statements = Json::array();
  }
  for (const Json& statement : statements) {
    if (statement.value("Sid", "") == label) {
      return InvalidParameterValue(
          fmt::format("Value {} for parameter Label is invalid. Reason: Already exists.", label));
    }
  }
  Json principals = Json::array();
  for (const Json& account : accounts) {
    principals.push_back(fmt::format("arn:aws:iam::{}:root", account.get<std::string>()));
  }
  Json action_names = Json::array();
  for (const Json& action : actions) {
    action_names.push_back("SQS:" + action.get<std::string>());
  }
  statements.push_back({{"Sid", label},
                        {"Effect", "Allow"},
                        {"Principal", {{"AWS", principals}}},
                        {"Action", action_names},
                        {"Resource", arn}});
  queue["Attributes"]["Policy"] = policy.dump();
  SERVICE_RETURN_IF_ERROR(txn.Put(kQueueNs, ref.key, queue));
  return Json::object();
}

ServiceResult SqsService::RemovePermission(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  auto& [ref, queue] = loaded;
  std::string label = call.input.value("Label", "");
  Json policy =
      Json::parse(Attr(queue, "Policy").empty() ? "{}" : Attr(queue, "Policy"), nullptr, false);
  Json kept = Json::array();
  bool found = false;
  if (policy.is_object() && policy.value("Statement", Json()).is_array()) {
    for (const Json& statement : policy["Statement"]) {
      if (statement.value("Sid", "") == label) {
        found = true;
      } else {
        kept.push_back(statement);
      }
    }
  }
  if (!found) {
    return InvalidParameterValue(fmt::format(
        "Value {} for parameter Label is invalid. Reason: can't find label on existing policy.",
        label));
  }
  if (kept.empty()) {
    queue["Attributes"].erase("Policy");
  } else {
    policy["Statement"] = kept;
    queue["Attributes"]["Policy"] = policy.dump();
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kQueueNs, ref.key, queue));
  return Json::object();
}

ServiceResult SqsService::ListDeadLetterSourceQueues(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  std::string arn = QueueArn(call.region, loaded.first.account, loaded.first.name);
  SERVICE_ASSIGN_OR_RETURN(auto rows, txn.List(kQueueNs, call.region + "/"));
  Json urls = Json::array();
  for (const auto& [key, queue] : rows) {
    Json redrive = Json::parse(
        Attr(queue, "RedrivePolicy").empty() ? "{}" : Attr(queue, "RedrivePolicy"), nullptr, false);
    if (redrive.is_object() && redrive.value("deadLetterTargetArn", "") == arn) {
      urls.push_back(QueueUrl(AccountOfKey(key), NameOfKey(key)));
    }
  }
  return Json{{"queueUrls", urls}};
}

ServiceResult SqsService::SendMessage(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  auto& [ref, queue] = loaded;
  SERVICE_ASSIGN_OR_RETURN(Outgoing out, ReadOutgoing(call.input));
  SERVICE_ASSIGN_OR_RETURN(Json result, Enqueue(txn, ref.key, queue, out, call.caller.user_id,
                                                context_.ids.RequestId(), NowMs(context_.clock)));
  SERVICE_RETURN_IF_ERROR(txn.Commit());
  Notify();
  return result;
}

ServiceResult SqsService::SendMessageBatch(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  auto& [ref, queue] = loaded;
  Json entries = call.input.value("Entries", Json::array());
  SERVICE_RETURN_IF_ERROR(CheckBatch(entries));
  size_t total = 0;
  for (const Json& entry : entries) {
    total += entry.value("MessageBody", "").size();
  }
  if (total > kMaxBatchBytes) {
    return Sender("AWS.SimpleQueueService.BatchRequestTooLong",
                  fmt::format("Batch requests cannot be longer than {} bytes. You have sent {} "
                              "bytes.",
                              kMaxBatchBytes, total));
  }
  int64_t now = NowMs(context_.clock);
  Json successful = Json::array();
  Json failed = Json::array();
  for (const Json& entry : entries) {
    std::string id = entry["Id"].get<std::string>();
    ServiceOr<Outgoing> out = ReadOutgoing(entry);
    ServiceOr<Json> sent = out.ok() ? Enqueue(txn, ref.key, queue, *out, call.caller.user_id,
                                              context_.ids.RequestId(), now)
                                    : ServiceOr<Json>(out.error());
    if (!sent.ok()) {
      if (sent.error().http_status >= 500) {
        return sent.error();
      }
      failed.push_back(BatchFailure(id, sent.error()));
      continue;
    }
    Json row = *sent;
    row["Id"] = id;
    successful.push_back(row);
  }
  SERVICE_RETURN_IF_ERROR(txn.Commit());
  Notify();
  return Json{{"Successful", successful}, {"Failed", failed}};
}

ServiceResult SqsService::ReceiveMessage(const ServiceCall& call, CallTxn& txn) {
  const Json& input = call.input;
  int64_t max = input.value("MaxNumberOfMessages", int64_t{1});
  if (max < 1 || max > 10) {
    return ParameterRange("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided");
  }
  std::optional<int64_t> visibility;
  if (input.contains("VisibilityTimeout")) {
    visibility = input["VisibilityTimeout"].get<int64_t>();
    if (*visibility < 0 || *visibility > 43200) {
      return ParameterRange("VisibilityTimeout", *visibility,
                            "Must be between 0 and 43200, if provided");
    }
  }
  std::optional<int64_t> wait;
  if (input.contains("WaitTimeSeconds")) {
    wait = input["WaitTimeSeconds"].get<int64_t>();
    if (*wait < 0 || *wait > 20) {
      return ParameterRange("WaitTimeSeconds", *wait, "Must be >= 0 and <= 20, if provided");
    }
  }
  std::set<std::string> system_names;
  for (const char* member : {"AttributeNames", "MessageSystemAttributeNames"}) {
    for (const Json& name : input.value(member, Json::array())) {
      system_names.insert(name.get<std::string>());
    }
  }
  bool all_system = system_names.count("All") > 0;
  std::vector<std::string> attribute_filters;
  for (const Json& name : input.value("MessageAttributeNames", Json::array())) {
    attribute_filters.push_back(name.get<std::string>());
  }

  auto deadline = std::chrono::steady_clock::now();
  bool deadline_set = false;
  while (true) {
    SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, input.value("QueueUrl", "")));
    auto& [ref, queue] = loaded;
    if (!deadline_set) {
      deadline +=
          std::chrono::seconds(wait.value_or(AttrInt(queue, "ReceiveMessageWaitTimeSeconds")));
      deadline_set = true;
    }
    int64_t now = NowMs(context_.clock);
    int64_t timeout_ms = visibility.value_or(AttrInt(queue, "VisibilityTimeout")) * 1000;
    Json redrive = Json::parse(
        Attr(queue, "RedrivePolicy").empty() ? "{}" : Attr(queue, "RedrivePolicy"), nullptr, false);
    std::optional<std::string> dlq_key;
    int64_t max_receives = 0;
    if (redrive.is_object() && redrive.contains("deadLetterTargetArn")) {
      dlq_key = KeyOfArn(redrive.value("deadLetterTargetArn", ""));
      max_receives = JsonInt(redrive.value("maxReceiveCount", Json())).value_or(0);
    }
    uint64_t sends_before;
    {
      std::lock_guard<std::mutex> lock(wake_mu_);
      sends_before = sends_;
    }
    SERVICE_ASSIGN_OR_RETURN(auto messages, LiveMessages(txn, ref.key, queue, now));
    std::set<std::string> blocked_groups;  // FIFO: groups with a message in flight
    for (const auto& [key, message] : messages) {
      if (message.value("Receives", 0) > 0 && message.value("VisibleAt", int64_t{0}) > now &&
          !message.value("GroupId", "").empty()) {
        blocked_groups.insert(message["GroupId"].get<std::string>());
      }
    }
    Json received = Json::array();
    for (auto& [key, message] : messages) {
      if (static_cast<int64_t>(received.size()) >= max) {
        break;
      }
      std::string group = message.value("GroupId", "");
      if (message.value("VisibleAt", int64_t{0}) > now ||
          (!group.empty() && blocked_groups.count(group) > 0)) {
        if (!group.empty()) {
          blocked_groups.insert(group);  // keep the group's order
        }
        continue;
      }
      if (dlq_key && max_receives > 0 && message.value("Receives", 0) >= max_receives) {
        SERVICE_ASSIGN_OR_RETURN(std::optional<Json> dlq, txn.Get(kQueueNs, *dlq_key));
        if (dlq) {
          uint64_t sequence = dlq->value("NextSequence", uint64_t{1});
          (*dlq)["NextSequence"] = sequence + 1;
          Json moved = message;
          moved["VisibleAt"] = now;
          moved.erase("Handle");
          SERVICE_RETURN_IF_ERROR(txn.Put(kMessageNs, MessageKey(*dlq_key, sequence), moved));
          SERVICE_RETURN_IF_ERROR(txn.Put(kQueueNs, *dlq_key, *dlq));
          SERVICE_RETURN_IF_ERROR(txn.Delete(kMessageNs, key));
          continue;
        }
      }
      SERVICE_ASSIGN_OR_RETURN(std::string nonce, RandomBytes(12));
      std::string handle = Base64Encode(ref.key + "\n" + key + "\n" + HexEncode(nonce));
      message["Receives"] = message.value("Receives", 0) + 1;
      if (!message.contains("FirstReceive")) {
        message["FirstReceive"] = now;
      }
      message["VisibleAt"] = now + timeout_ms;
      message["Handle"] = handle;
      SERVICE_RETURN_IF_ERROR(txn.Put(kMessageNs, key, message));
      received.push_back(MessageView(message, handle, system_names, all_system, attribute_filters));
      // Later messages of a FIFO group may come in the same answer, in order.
    }
    if (!received.empty() || std::chrono::steady_clock::now() >= deadline) {
      if (received.empty()) {
        return Json::object();
      }
      return Json{{"Messages", received}};
    }
    // Long polling: release the store, sleep until a send or a short interval (delayed and
    // in-flight messages become visible by time), then look again.
    SERVICE_RETURN_IF_ERROR(txn.Commit());
    std::unique_lock<std::mutex> lock(wake_mu_);
    wake_.wait_until(
        lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(200)),
        [&] { return sends_ != sends_before; });
  }
}

ServiceResult SqsService::DeleteMessage(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  SERVICE_RETURN_IF_ERROR(DeleteByHandle(txn, loaded.first, call.input.value("ReceiptHandle", "")));
  return Json::object();
}

ServiceResult SqsService::DeleteMessageBatch(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  Json entries = call.input.value("Entries", Json::array());
  SERVICE_RETURN_IF_ERROR(CheckBatch(entries));
  Json successful = Json::array();
  Json failed = Json::array();
  for (const Json& entry : entries) {
    std::string id = entry["Id"].get<std::string>();
    ServiceStatus deleted = DeleteByHandle(txn, loaded.first, entry.value("ReceiptHandle", ""));
    if (!deleted.ok()) {
      failed.push_back(BatchFailure(id, deleted.error()));
    } else {
      successful.push_back({{"Id", id}});
    }
  }
  return Json{{"Successful", successful}, {"Failed", failed}};
}

ServiceResult SqsService::ChangeMessageVisibility(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  SERVICE_RETURN_IF_ERROR(ChangeVisibility(txn, loaded.first, call.input.value("ReceiptHandle", ""),
                                           call.input.value("VisibilityTimeout", Json()),
                                           NowMs(context_.clock)));
  return Json::object();
}

ServiceResult SqsService::ChangeMessageVisibilityBatch(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto loaded, LoadQueue(call, txn, call.input.value("QueueUrl", "")));
  Json entries = call.input.value("Entries", Json::array());
  SERVICE_RETURN_IF_ERROR(CheckBatch(entries));
  int64_t now = NowMs(context_.clock);
  Json successful = Json::array();
  Json failed = Json::array();
  for (const Json& entry : entries) {
    std::string id = entry["Id"].get<std::string>();
    ServiceStatus changed = ChangeVisibility(txn, loaded.first, entry.value("ReceiptHandle", ""),
                                             entry.value("VisibilityTimeout", Json()), now);
    if (!changed.ok()) {
      failed.push_back(BatchFailure(id, changed.error()));
    } else {
      successful.push_back({{"Id", id}});
    }
  }
  return Json{{"Successful", successful}, {"Failed", failed}};
}

Status SqsService::Deliver(const std::string& queue_arn, const std::string& body,
                           const std::string& sender) {
  std::optional<std::string> key = KeyOfArn(queue_arn);
  if (!key) {
    return NotFoundError("not a queue ARN: " + queue_arn);
  }
  CallTxn txn(context_.store);
  ASSIGN_OR_RETURN(std::optional<Json> queue, txn.Get(kQueueNs, *key));
  if (!queue) {
    return NotFoundError("no queue " + queue_arn);
  }
  Outgoing out;
  out.body = body;
  ServiceOr<Json> sent =
      Enqueue(txn, *key, *queue, out, sender, context_.ids.RequestId(), NowMs(context_.clock));
  if (!sent.ok()) {
    return InvalidArgumentError(sent.error().code + ": " + sent.error().message);
  }
  RETURN_IF_ERROR(txn.Commit());
  Notify();
  return OkStatus();
}

}  // namespace cf::cloud::sqs
