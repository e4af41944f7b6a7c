#include "cloud/lambda/lambda_service.h"

#include <fmt/core.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include "base/base64.h"
#include "cloud/lambda/zip_archive.h"

namespace cf::cloud::lambda {

namespace {

constexpr char kNs[] = "lambda/function";

ServiceError Err(const char* code, std::string message, int status) {
  return ServiceError{code, std::move(message), status, true};
}
ServiceError InvalidParameter(std::string message) {
  return Err("InvalidParameterValueException", std::move(message), 400);
}
ServiceError NotFound(std::string message) {
  return Err("ResourceNotFoundException", std::move(message), 404);
}
ServiceError Conflict(std::string message) {
  return Err("ResourceConflictException", std::move(message), 409);
}
// The local cloud's own failures (the store's), as Lambda answers its internal errors.
ServiceError ServiceException(std::string message) {
  return ServiceError{"ServiceException", std::move(message), 500, false};
}
ServiceError Invalid(std::string message) {
  return InvalidParameter("Invalid request: " + std::move(message));
}

std::string Key(const std::string& region, const std::string& name) {
  return region + "|" + name;
}

std::string FunctionArn(const std::string& region, const std::string& account,
                        const std::string& name) {
  return fmt::format("arn:aws:lambda:{}:{}:function:{}", region, account, name);
}

// "2024-01-02T03:04:05.000+0000", as Lambda writes LastModified.
std::string LambdaTime(std::chrono::system_clock::time_point t) {
  std::string s = FormatRfc3339(t);  // 2024-01-02T03:04:05Z
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return s.substr(0, s.size() - 1) + fmt::format(".{:03}+0000", ms % 1000);
}

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

// The function name inside a FunctionName member (a name, "ACCOUNT:function:NAME" or a full
// ARN, each optionally with ":QUALIFIER"), and its qualifier.
ServiceOr<std::pair<std::string, std::string>> NameOf(const std::string& in) {
  std::string name = in;
  std::string qualifier;
  if (in.rfind("arn:", 0) == 0) {
    // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
    size_t at = in.find(":function:");
    if (at == std::string::npos) {
      return InvalidParameter(fmt::format("Invalid function name or ARN: {}", in));
    }
    name = in.substr(at + 10);
  } else if (size_t at = in.find(":function:"); at != std::string::npos) {
    name = in.substr(at + 10);
  }
  if (size_t colon = name.find(':'); colon != std::string::npos) {
    qualifier = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  static const std::regex kName("[a-zA-Z0-9-_]{1,64}");
  if (!std::regex_match(name, kName)) {
    return Err(
        "ValidationException",
        fmt::format("1 validation error detected: Value '{}' at 'functionName' failed to "
                    "satisfy constraint: Member must satisfy regular expression pattern: "
                    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{{2}}(-gov)?-[a-z]+-\\d{{1}}:)?"
                    "(\\d{{12}}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
                    in),
        400);
  }
  return std::make_pair(name, qualifier);
}

bool HasCommand(const char* name) {
  for (const char* dir : {"/usr/local/bin/", "/usr/bin/", "/bin/"}) {
    if (::access((std::string(dir) + name).c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

// The runtimes the local cloud runs and how: "" when a runtime is not runnable here.
std::string RuntimeKind(const std::string& runtime) {
  if (runtime == "provided" || runtime == "provided.al2" || runtime == "provided.al2023") {
    return "provided";
  }
  if (runtime.rfind("python3.", 0) == 0 && HasCommand("python3")) {
    return "python";
  }
  return "";
}

const std::set<std::string>& ReservedVariables() {
  static const std::set<std::string> kReserved = {"_HANDLER",
                                                  "_X_AMZN_TRACE_ID",
                                                  "AWS_DEFAULT_REGION",
                                                  "AWS_REGION",
                                                  "AWS_EXECUTION_ENV",
                                                  "AWS_LAMBDA_FUNCTION_NAME",
                                                  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                                  "AWS_LAMBDA_FUNCTION_VERSION",
                                                  "AWS_LAMBDA_INITIALIZATION_TYPE",
                                                  "AWS_LAMBDA_LOG_GROUP_NAME",
                                                  "AWS_LAMBDA_LOG_STREAM_NAME",
                                                  "AWS_ACCESS_KEY",
                                                  "AWS_ACCESS_KEY_ID",
                                                  "AWS_SECRET_ACCESS_KEY",
                                                  "AWS_SESSION_TOKEN",
                                                  "AWS_LAMBDA_RUNTIME_API",
                                                  "LAMBDA_TASK_ROOT",
                                                  "LAMBDA_RUNTIME_DIR"};
  return kReserved;
}

ServiceStatus CheckEnvironment(const Json& input) {
  if (!input.contains("Environment")) {
    return {};
  }
  std::vector<std::string> reserved;
  size_t bytes = 0;
  Json variables = input["Environment"].value("Variables", Json::object());
  for (auto& [k, v] : variables.items()) {
    if (ReservedVariables().count(k)) {
      reserved.push_back(k);
    }
    bytes += k.size() + (v.is_string() ? v.get<std::string>().size() : 0);
  }
  if (!reserved.empty()) {
    std::string list;
    for (const std::string& r : reserved) {
      list += (list.empty() ? "" : ",") + r;
    }
    return InvalidParameter(
        "Lambda was unable to configure your environment variables because the environment "
        "variables you have provided contains reserved keys that are currently not supported "
        "for modification. Reserved keys used in this request: " +
        list);
  }
  if (bytes > 4096) {
    return InvalidParameter(
        "Lambda was unable to configure your environment variables because the environment "
        "variables you have provided exceeded the 4KB limit.");
  }
  return {};
}

ServiceStatus CheckLimits(const Json& input) {
  if (input.contains("Timeout")) {
    int64_t t = input["Timeout"].get<int64_t>();
    if (t < 1 || t > 900) {
      return Err(
          "ValidationException",
          fmt::format("1 validation error detected: Value '{}' at 'timeout' failed to "
                      "satisfy constraint: Member must have value {} to {}",
                      t, t < 1 ? "greater than or equal" : "less than or equal", t < 1 ? 1 : 900),
          400);
    }
  }
  if (input.contains("MemorySize")) {
    int64_t m = input["MemorySize"].get<int64_t>();
    if (m < 128 || m > 10240) {
      return Err("ValidationException",
                 fmt::format("1 validation error detected: Value '{}' at 'memorySize' failed to "
                             "satisfy constraint: Member must have value {} {}",
                             m, m < 128 ? "greater than or equal to" : "less than or equal to",
                             m < 128 ? 128 : 10240),
                 400);
    }
  }
  if (input.contains("Role")) {
    static const std::regex kRole(
        R"(arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+)");
    std::string role = input["Role"].get<std::string>();
    if (!std::regex_match(role, kRole)) {
      return Err("ValidationException",
                 fmt::format("1 validation error detected: Value '{}' at 'role' failed to "
                             "satisfy constraint: Member must satisfy regular expression "
                             "pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{{12}}:role/?"
                             "[a-zA-Z_0-9+=,.@\\-_/]+",
                             role),
                 400);
    }
  }
  return {};
}

// The Python runtime loop: the Lambda Runtime API client for python3.x functions.
constexpr char kPythonBootstrap[] = R"PY(import importlib, json, os, sys, traceback, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
def post(path, body, headers=None):
    req = urllib.request.Request(api + path, data=json.dumps(body).encode(), method="POST",
                                 headers=headers or {})
    urllib.request.urlopen(req).read()
def error_doc(e):
    return {"errorMessage": str(e), "errorType": type(e).__name__,
            "stackTrace": traceback.format_tb(e.__traceback__)}
class Context:
    def __init__(self, headers):
        self.aws_request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        self.invoked_function_arn = headers["Lambda-Runtime-Invoked-Function-Arn"]
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline = int(headers["Lambda-Runtime-Deadline-Ms"])
    def get_remaining_time_in_millis(self):
        import time
        return max(0, self._deadline - int(time.time() * 1000))
try:
    module_name, function_name = os.environ["_HANDLER"].rsplit(".", 1)
    handler = getattr(importlib.import_module(module_name.replace("/", ".")), function_name)
except Exception as e:
    doc = error_doc(e)
    doc["errorType"] = "Runtime.ImportModuleError"
    doc["errorMessage"] = "Unable to import module '%s': %s" % (os.environ["_HANDLER"], e)
    post("/init/error", doc, {"Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"})
    sys.exit(1)
while True:
    with urllib.request.urlopen(api + "/invocation/next") as r:
        headers = r.headers
        event = json.loads(r.read() or b"null")
    request_id = headers["Lambda-Runtime-Aws-Request-Id"]
    try:
        result = handler(event, Context(headers))
        post("/invocation/" + request_id + "/response", result)
    except Exception as e:
        traceback.print_exc()
        post("/invocation/" + request_id + "/error", error_doc(e),
             {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
    sys.stdout.flush()
)PY";

}  // namespace

LambdaService::LambdaService(const ServiceContext& context, FunctionRunner& runner, Options options)
    : TableService(context.store, Operations()),
      context_(context),
      runner_(runner),
      options_(std::move(options)) {
  namespace fs = std::filesystem;
  if (options_.code_root.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "cf-lambda-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) {
      options_.code_root = tmpl;
      own_code_root_ = true;
    }
  }
  std::error_code ec;
  fs::create_directories(fs::path(options_.code_root) / "runtime", ec);
  FILE* f =
      std::fopen((fs::path(options_.code_root) / "runtime" / "python_bootstrap.py").c_str(), "w");
  if (f != nullptr) {
    std::fputs(kPythonBootstrap, f);
    std::fclose(f);
  }
  for (int i = 0; i < 2; ++i) {
    workers_.emplace_back([this] { RunQueued(); });
  }
}

LambdaService::~LambdaService() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  for (std::thread& t : workers_) {
    t.join();
  }
  if (own_code_root_) {
    std::error_code ec;
    std::filesystem::remove_all(options_.code_root, ec);
  }
}

void LambdaService::RunQueued() {
  while (true) {
    std::pair<FunctionSpec, RunRequest> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        return;
      }
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    (void)runner_.Invoke(job.first, job.second);
  }
}

const OperationTable<LambdaService>& LambdaService::Operations() {
  static const OperationTable<LambdaService> kTable(
      {
          {"CreateFunction", &LambdaService::CreateFunction},
          {"GetFunction", &LambdaService::GetFunction},
          {"GetFunctionConfiguration", &LambdaService::GetFunctionConfiguration},
          {"UpdateFunctionCode", &LambdaService::UpdateFunctionCode},
          {"UpdateFunctionConfiguration", &LambdaService::UpdateFunctionConfiguration},
          {"DeleteFunction", &LambdaService::DeleteFunction},
          {"ListFunctions", &LambdaService::ListFunctions},
          {"PublishVersion", &LambdaService::PublishVersion},
          {"ListVersionsByFunction", &LambdaService::ListVersionsByFunction},
          {"AddPermission", &LambdaService::AddPermission},
          {"RemovePermission", &LambdaService::RemovePermission},
          {"GetPolicy", &LambdaService::GetPolicy},
          {"PutFunctionConcurrency", &LambdaService::PutFunctionConcurrency},
          {"GetFunctionConcurrency", &LambdaService::GetFunctionConcurrency},
          {"GetFunctionCodeSigningConfig", &LambdaService::GetFunctionCodeSigningConfig},
          {"DeleteFunctionConcurrency", &LambdaService::DeleteFunctionConcurrency},
          {"TagResource", &LambdaService::TagResource},
          {"UntagResource", &LambdaService::UntagResource},
          {"ListTags", &LambdaService::ListTags},
          {"Invoke", &LambdaService::Invoke},
      },
      {.internal_error = ServiceException, .invalid_input = Invalid});
  return kTable;
}

ServiceOr<LambdaService::Code> LambdaService::LoadCode(const ServiceCall& call, const Json& code) {
  std::string zip;
  if (code.contains("ZipFile")) {
    zip = code["ZipFile"].get<std::string>();
  } else if (code.contains("S3Bucket") && code.contains("S3Key")) {
    if (options_.s3 == nullptr) {
      return InvalidParameter("Code from S3 is not available in this local cloud");
    }
    ServiceCall get;
    get.service = "s3";
    get.operation = "GetObject";
    get.input = {{"Bucket", code["S3Bucket"]}, {"Key", code["S3Key"]}};
    if (code.contains("S3ObjectVersion")) {
      get.input["VersionId"] = code["S3ObjectVersion"];
    }
    get.region = call.region;
    get.account_id = call.account_id;
    get.caller = call.caller;
    get.request_id = call.request_id;
    ServiceResult object = options_.s3->Handle(get);
    if (!object.ok()) {
      return InvalidParameter(
          fmt::format("Error occurred while GetObject. S3 Error Code: {}. S3 Error Message: {}",
                      object.error().code, object.error().message));
    }
    zip = object.output().value("Body", "");
  } else if (code.contains("ImageUri")) {
    return InvalidParameter("Container images are not supported by the local cloud; use a zip");
  } else {
    return InvalidParameter("Please provide a source for function code.");
  }
  Result<std::vector<ZipEntry>> entries = ReadZip(zip);
  if (!entries.ok()) {
    return InvalidParameter(entries.status().message());
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(zip.data()), zip.size(), digest);
  std::string hex;
  for (unsigned char c : digest) {
    hex += fmt::format("{:02x}", c);
  }
  Code out;
  out.sha256_base64 =
      Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
  out.size = static_cast<int64_t>(zip.size());
  out.dir = (std::filesystem::path(options_.code_root) / "code" / hex).string();
  std::error_code ec;
  if (!std::filesystem::exists(out.dir, ec)) {
    std::string staging = out.dir + ".tmp-" + context_.ids.ResourceId("x");
    Status s = ExtractZip(*entries, staging);
    if (s.ok()) {
      std::filesystem::rename(staging, out.dir, ec);
      if (ec && !std::filesystem::exists(out.dir)) {
        s = InternalError(ec.message());
      }
      std::filesystem::remove_all(staging, ec);
    }
    if (!s.ok()) {
      return ServiceError{"ServiceException", "unpacking the deployment package: " + s.message(),
                          500, false};
    }
  }
  return out;
}

Json LambdaService::Present(const Json& record, const Json& config) const {
  Json out = config;
  for (auto it = out.begin(); it != out.end();) {
    if (it.key().rfind("_", 0) == 0) {
      it = out.erase(it);
    } else {
      ++it;
    }
  }
  bool ready = NowMs(context_.clock) >= record.value("ready_ms", int64_t{0});
  if (config.value("_created", false) && !ready) {
    out["State"] = "Pending";
    out["StateReason"] = "The function is being created.";
    out["StateReasonCode"] = "Creating";
  } else {
    out["State"] = "Active";
    out["LastUpdateStatus"] = ready ? "Successful" : "InProgress";
    if (!ready) {
      out["LastUpdateStatusReason"] = "The function is being created.";
      out["LastUpdateStatusReasonCode"] = "Creating";
    }
  }
  if (!out.contains("LastUpdateStatus")) {
    out["LastUpdateStatus"] = "InProgress";
  }
  return out;
}

namespace {

ServiceOr<Json> Load(CallTxn& txn, const ServiceCall& call, const std::string& name) {
  return txn.Require(
      kNs, Key(call.region, name),
      NotFound("Function not found: " + FunctionArn(call.region, call.account_id, name)));
}

// The function's logging configuration: the request's LoggingConfig over `current`, by
// default text logs to /aws/lambda/NAME.
Json LoggingConfigOf(const Json& input, const std::string& name, Json current) {
  if (!current.contains("LogFormat")) {
    current["LogFormat"] = "Text";
  }
  if (!current.contains("LogGroup")) {
    current["LogGroup"] = "/aws/lambda/" + name;
  }
  auto given = input.find("LoggingConfig");
  if (given != input.end() && given->is_object()) {
    for (auto it = given->begin(); it != given->end(); ++it) {
      current[it.key()] = it.value();
    }
  }
  return current;
}

// The configuration of `qualifier` ("", "$LATEST" or a version number).
ServiceOr<Json> ConfigOf(const Json& record, const std::string& qualifier) {
  if (qualifier.empty() || qualifier == "$LATEST") {
    return record["config"];
  }
  if (record.contains("versions") && record["versions"].contains(qualifier)) {
    return record["versions"][qualifier];
  }
  return NotFound("Function not found: " + record["config"]["FunctionArn"].get<std::string>() +
                  ":" + qualifier);
}

}  // namespace

ServiceResult LambdaService::CreateFunction(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  std::string name = parsed.first;
  std::string package = call.input.value("PackageType", "Zip");
  if (package != "Zip") {
    return InvalidParameter("Container images are not supported by the local cloud; use a zip");
  }
  std::string runtime = call.input.value("Runtime", "");
  if (runtime.empty()) {
    return InvalidParameter("Runtime is required for .zip deployment packages.");
  }
  if (RuntimeKind(runtime).empty()) {
    return InvalidParameter(fmt::format(
        "The runtime parameter of {} is not supported by the local cloud (it runs provided, "
        "provided.al2, provided.al2023{}).",
        runtime, HasCommand("python3") ? " and python3.x" : ""));
  }
  if (!call.input.contains("Role")) {
    return InvalidParameter("Role is required");
  }
  SERVICE_RETURN_IF_ERROR(CheckLimits(call.input));
  SERVICE_RETURN_IF_ERROR(CheckEnvironment(call.input));
  if (RuntimeKind(runtime) != "provided" && call.input.value("Handler", "").empty()) {
    return InvalidParameter("Handler is required for .zip deployment packages.");
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kNs, Key(call.region, name)));
  if (existing) {
    return Conflict("Function already exist: " + name);
  }
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // before reading the code from S3
  SERVICE_ASSIGN_OR_RETURN(Code c, LoadCode(call, call.input.value("Code", Json::object())));
  std::string arn = FunctionArn(call.region, call.account_id, name);
  Json vpc = call.input.value("VpcConfig", Json::object());
  Json config = {
      {"FunctionName", name},
      {"FunctionArn", arn},
      {"Runtime", runtime},
      {"Role", call.input["Role"]},
      {"Handler", call.input.value("Handler", "")},
      {"CodeSize", c.size},
      {"Description", call.input.value("Description", "")},
      {"Timeout", call.input.value("Timeout", 3)},
      {"MemorySize", call.input.value("MemorySize", 128)},
      {"LastModified", LambdaTime(context_.clock.Now())},
      {"CodeSha256", c.sha256_base64},
      {"Version", "$LATEST"},
      {"TracingConfig",
       {{"Mode",
         call.input.value("/TracingConfig/Mode"_json_pointer, std::string("PassThrough"))}}},
      {"RevisionId", context_.ids.RequestId()},
      {"PackageType", "Zip"},
      {"Architectures", call.input.value("Architectures", Json::array({"x86_64"}))},
      {"EphemeralStorage", call.input.value("EphemeralStorage", Json{{"Size", 512}})},
      {"LoggingConfig", LoggingConfigOf(call.input, name, Json::object())},
      {"_code_dir", c.dir},
      {"_created", true},
  };
  if (call.input.contains("Environment")) {
    config["Environment"] = {
        {"Variables", call.input["Environment"].value("Variables", Json::object())}};
  }
  if (!vpc.empty()) {
    config["VpcConfig"] = {
        {"SubnetIds", vpc.value("SubnetIds", Json::array())},
        {"SecurityGroupIds", vpc.value("SecurityGroupIds", Json::array())},
        {"VpcId", vpc.contains("SubnetIds") && !vpc["SubnetIds"].empty() ? "vpc-local" : ""}};
  }
  for (const char* member : {"Layers", "DeadLetterConfig", "KMSKeyArn"}) {
    if (call.input.contains(member)) {
      config[member] = call.input[member];
    }
  }
  int64_t delay_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         context_.latency.StateDelay("lambda:Function"))
                         .count();
  Json record = {{"config", config},
                 {"versions", Json::object()},
                 {"tags", call.input.value("Tags", Json::object())},
                 {"ready_ms", NowMs(context_.clock) + delay_ms},
                 {"next_version", 1}};
  if (call.input.value("Publish", false)) {
    Json v = config;
    v["Version"] = "1";
    v["FunctionArn"] = arn + ":1";
    record["versions"]["1"] = v;
    record["next_version"] = 2;
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> again, txn.Get(kNs, Key(call.region, name)));
  if (again) {
    return Conflict("Function already exist: " + name);
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  return Present(record,
                 call.input.value("Publish", false) ? record["versions"]["1"] : record["config"]);
}

ServiceResult LambdaService::GetFunctionConfiguration(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  auto [name, qualifier] = parsed;
  if (call.input.contains("Qualifier")) {
    qualifier = call.input["Qualifier"].get<std::string>();
  }
  SERVICE_ASSIGN_OR_RETURN(Json record, Load(txn, call, name));
  SERVICE_ASSIGN_OR_RETURN(Json config, ConfigOf(record, qualifier));
  return Present(record, config);
}

ServiceResult LambdaService::GetFunction(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Json config, GetFunctionConfiguration(call, txn));
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  SERVICE_ASSIGN_OR_RETURN(Json record, Load(txn, call, parsed.first));
  Json out = {{"Configuration", config},
              {"Code",
               {{"RepositoryType", "S3"},
                {"Location", "file://" + record["config"].value("_code_dir", "")}}},
              {"Tags", record.value("tags", Json::object())}};
  if (record.contains("concurrency")) {
    out["Concurrency"] = {{"ReservedConcurrentExecutions", record["concurrency"]}};
  }
  return out;
}

ServiceResult LambdaService::UpdateFunctionCode(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  std::string name = parsed.first;
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  if (call.input.contains("RevisionId") &&
      call.input["RevisionId"] != record["config"]["RevisionId"]) {
    return Err("PreconditionFailedException",
               "The Revision Id provided does not match the latest Revision Id. Call the "
               "GetFunction/GetAlias API to retrieve the latest Revision Id",
               412);
  }
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // before reading the code from S3
  SERVICE_ASSIGN_OR_RETURN(Code c, LoadCode(call, call.input));
  if (call.input.value("DryRun", false)) {
    return Present(record, record["config"]);
  }
  Json& config = record["config"];
  config["CodeSha256"] = c.sha256_base64;
  config["CodeSize"] = c.size;
  config["_code_dir"] = c.dir;
  config["_created"] = false;
  config["LastModified"] = LambdaTime(context_.clock.Now());
  config["RevisionId"] = context_.ids.RequestId();
  int64_t delay_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         context_.latency.StateDelay("lambda:Function"))
                         .count();
  record["ready_ms"] = NowMs(context_.clock) + delay_ms;
  if (call.input.value("Publish", false)) {
    int64_t n = record.value("next_version", 1);
    Json v = config;
    v["Version"] = std::to_string(n);
    v["FunctionArn"] = config["FunctionArn"].get<std::string>() + ":" + std::to_string(n);
    record["versions"][std::to_string(n)] = v;
    record["next_version"] = n + 1;
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // retiring waits for the function's instances
  runner_.Retire(config["FunctionArn"]);
  return Present(record, config);
}

ServiceResult LambdaService::UpdateFunctionConfiguration(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  std::string name = parsed.first;
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  SERVICE_RETURN_IF_ERROR(CheckLimits(call.input));
  SERVICE_RETURN_IF_ERROR(CheckEnvironment(call.input));
  if (call.input.contains("Runtime") &&
      RuntimeKind(call.input["Runtime"].get<std::string>()).empty()) {
    return InvalidParameter(
        fmt::format("The runtime parameter of {} is not supported by the "
                    "local cloud.",
                    call.input["Runtime"].get<std::string>()));
  }
  Json& config = record["config"];
  for (const char* member : {"Role", "Handler", "Description", "Timeout", "MemorySize", "Runtime",
                             "Layers", "DeadLetterConfig", "KMSKeyArn", "EphemeralStorage"}) {
    if (call.input.contains(member)) {
      config[member] = call.input[member];
    }
  }
  if (call.input.contains("Environment")) {
    config["Environment"] = {
        {"Variables", call.input["Environment"].value("Variables", Json::object())}};
  }
  if (call.input.contains("VpcConfig")) {
    const Json& vpc = call.input["VpcConfig"];
    config["VpcConfig"] = {
        {"SubnetIds", vpc.value("SubnetIds", Json::array())},
        {"SecurityGroupIds", vpc.value("SecurityGroupIds", Json::array())},
        {"VpcId", vpc.value("SubnetIds", Json::array()).empty() ? "" : "vpc-local"}};
  }
  if (call.input.contains("TracingConfig")) {
    config["TracingConfig"] = {{"Mode", call.input["TracingConfig"].value("Mode", "PassThrough")}};
  }
  if (call.input.contains("LoggingConfig")) {
    config["LoggingConfig"] =
        LoggingConfigOf(call.input, name, config.value("LoggingConfig", Json::object()));
  }
  config["_created"] = false;
  config["LastModified"] = LambdaTime(context_.clock.Now());
  config["RevisionId"] = context_.ids.RequestId();
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // retiring waits for the function's instances
  runner_.Retire(config["FunctionArn"]);
  return Present(record, config);
}

ServiceResult LambdaService::DeleteFunction(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  auto [name, qualifier] = parsed;
  if (call.input.contains("Qualifier")) {
    qualifier = call.input["Qualifier"].get<std::string>();
  }
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  if (!qualifier.empty() && qualifier != "$LATEST") {
    if (!record["versions"].contains(qualifier)) {
      return NotFound("Function not found: " + record["config"]["FunctionArn"].get<std::string>() +
                      ":" + qualifier);
    }
    record["versions"].erase(qualifier);
    SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  } else {
    SERVICE_RETURN_IF_ERROR(txn.Delete(kNs, Key(call.region, name)));
  }
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // retiring waits for the function's instances
  runner_.Retire(record["config"]["FunctionArn"]);
  return Json::object();
}

ServiceResult LambdaService::ListFunctions(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kNs, call.region + "|"));
  size_t start = 0;
  std::string marker = call.input.value("Marker", "");
  if (!marker.empty()) {
    if (marker.find_first_not_of("0123456789") != std::string::npos || marker.size() > 9) {
      return InvalidParameter("Invalid marker: " + marker);
    }
    start = std::stoul(marker);
  }
  size_t max = call.input.value("MaxItems", 50);
  Json out = {{"Functions", Json::array()}};
  size_t i = start;
  for (; i < all.size() && out["Functions"].size() < max; ++i) {
    const Json& record = all[i].second;
    out["Functions"].push_back(Present(record, record["config"]));
  }
  if (i < all.size()) {
    out["NextMarker"] = std::to_string(i);
  }
  return out;
}

ServiceResult LambdaService::PublishVersion(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  std::string name = parsed.first;
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  const Json& config = record["config"];
  // An unchanged $LATEST publishes no new version: the newest one is answered.
  for (auto& [n, v] : record["versions"].items()) {
    if (v["CodeSha256"] == config["CodeSha256"] && v["RevisionId"] == config["RevisionId"]) {
      return Present(record, v);
    }
  }
  int64_t n = record.value("next_version", 1);
  Json v = config;
  v["Version"] = std::to_string(n);
  v["FunctionArn"] = config["FunctionArn"].get<std::string>() + ":" + std::to_string(n);
  if (call.input.contains("Description")) {
    v["Description"] = call.input["Description"];
  }
  record["versions"][std::to_string(n)] = v;
  record["next_version"] = n + 1;
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  return Present(record, v);
}

ServiceResult LambdaService::ListVersionsByFunction(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, parsed.first));
  const Json& record = loaded;
  std::vector<Json> versions = {Present(record, record["config"])};
  std::vector<std::pair<int64_t, Json>> numbered;
  for (auto& [n, v] : record["versions"].items()) {
    numbered.emplace_back(std::stoll(n), v);
  }
  std::sort(numbered.begin(), numbered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [n, v] : numbered) {
    versions.push_back(Present(record, v));
  }
  size_t start = 0;
  std::string marker = call.input.value("Marker", "");
  if (!marker.empty() && marker.find_first_not_of("0123456789") == std::string::npos &&
      marker.size() < 10) {
    start = std::stoul(marker);
  }
  size_t max = call.input.value("MaxItems", 50);
  Json out = {{"Versions", Json::array()}};
  size_t i = start;
  for (; i < versions.size() && out["Versions"].size() < max; ++i) {
    out["Versions"].push_back(versions[i]);
  }
  if (i < versions.size()) {
    out["NextMarker"] = std::to_string(i);
  }
  return out;
}

ServiceResult LambdaService::AddPermission(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  std::string name = parsed.first;
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  std::string sid = call.input.value("StatementId", "");
  Json policy = record.value("policy", Json::array());
  for (const Json& st : policy) {
    if (st["Sid"] == sid) {
      return Conflict(
          fmt::format("The statement id ({}) provided already exists. Please provide "
                      "a new statement id, or remove the existing statement.",
                      sid));
    }
  }
  std::string action = call.input.value("Action", "");
  if (action.rfind("lambda:", 0) != 0) {
    return Err("ValidationException",
               fmt::format("1 validation error detected: Value '{}' at 'action' failed to "
                           "satisfy constraint: Member must satisfy regular expression pattern: "
                           "(lambda:[*]|lambda:[a-zA-Z]+|[*])",
                           action),
               400);
  }
  std::string principal = call.input.value("Principal", "");
  Json statement = {{"Sid", sid},
                    {"Effect", "Allow"},
                    {"Action", action},
                    {"Resource", record["config"]["FunctionArn"]}};
  if (principal.find('.') != std::string::npos) {
    statement["Principal"] = {{"Service", principal}};
  } else if (principal == "*") {
    statement["Principal"] = "*";
  } else {
    statement["Principal"] = {{"AWS", principal.rfind("arn:", 0) == 0
                                          ? principal
                                          : fmt::format("arn:aws:iam::{}:root", principal)}};
  }
  Json condition = Json::object();
  if (call.input.contains("SourceArn")) {
    condition["ArnLike"] = {{"AWS:SourceArn", call.input["SourceArn"]}};
  }
  if (call.input.contains("SourceAccount")) {
    condition["StringEquals"] = {{"AWS:SourceAccount", call.input["SourceAccount"]}};
  }
  if (!condition.empty()) {
    statement["Condition"] = condition;
  }
  policy.push_back(statement);
  record["policy"] = policy;
  record["policy_revision"] = context_.ids.RequestId();
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  return Json{{"Statement", statement.dump()}};
}

ServiceResult LambdaService::RemovePermission(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  std::string name = parsed.first;
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  std::string sid = call.input.value("StatementId", "");
  Json policy = record.value("policy", Json::array());
  if (policy.empty()) {
    return NotFound("No policy is associated with the given resource.");
  }
  Json kept = Json::array();
  for (const Json& st : policy) {
    if (st["Sid"] != sid) {
      kept.push_back(st);
    }
  }
  if (kept.size() == policy.size()) {
    return NotFound(fmt::format("Statement {} is not found in resource policy.", sid));
  }
  record["policy"] = kept;
  record["policy_revision"] = context_.ids.RequestId();
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  return Json::object();
}

ServiceResult LambdaService::GetPolicy(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  std::string name = parsed.first;
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  const Json& record = loaded;
  Json policy = record.value("policy", Json::array());
  if (policy.empty()) {
    return NotFound("The resource you requested does not exist.");
  }
  Json doc = {{"Version", "2012-10-17"}, {"Id", "default"}, {"Statement", policy}};
  return Json{{"Policy", doc.dump()}, {"RevisionId", record.value("policy_revision", "")}};
}

ServiceResult LambdaService::PutFunctionConcurrency(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  std::string name = parsed.first;
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  int64_t n = call.input.value("ReservedConcurrentExecutions", int64_t{-1});
  if (n < 0 || n > 1000) {
    return InvalidParameter(
        "Specified ReservedConcurrentExecutions for function decreases account's "
        "UnreservedConcurrentExecution below its minimum value of [100].");
  }
  record["concurrency"] = n;
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  return Json{{"ReservedConcurrentExecutions", n}};
}

ServiceResult LambdaService::GetFunctionConcurrency(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, parsed.first));
  const Json& record = loaded;
  if (!record.contains("concurrency")) {
    return Json::object();
  }
  return Json{{"ReservedConcurrentExecutions", record["concurrency"]}};
}

// Code signing is not offered here: every function answers with an empty configuration ARN,
// as AWS does for a function that has none.
ServiceResult LambdaService::GetFunctionCodeSigningConfig(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, parsed.first));
  return Json{{"CodeSigningConfigArn", ""},
              {"FunctionName", loaded["config"].value("FunctionName", parsed.first)}};
}

ServiceResult LambdaService::DeleteFunctionConcurrency(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(call.input.value("FunctionName", "")));
  std::string name = parsed.first;
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  record.erase("concurrency");
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  return Json::object();
}

namespace {

ServiceOr<std::string> NameOfResourceArn(const std::string& arn) {
  SERVICE_ASSIGN_OR_RETURN(auto parsed, NameOf(arn));
  return parsed.first;
}

}  // namespace

ServiceResult LambdaService::TagResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto name, NameOfResourceArn(call.input.value("Resource", "")));
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  Json tags = call.input.value("Tags", Json::object());
  for (auto& [k, v] : tags.items()) {
    record["tags"][k] = v;
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  return Json::object();
}

ServiceResult LambdaService::UntagResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto name, NameOfResourceArn(call.input.value("Resource", "")));
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  Json record = loaded;
  for (const Json& k : call.input.value("TagKeys", Json::array())) {
    record["tags"].erase(k.get<std::string>());
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), record));
  return Json::object();
}

ServiceResult LambdaService::ListTags(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto name, NameOfResourceArn(call.input.value("Resource", "")));
  SERVICE_ASSIGN_OR_RETURN(Json loaded, Load(txn, call, name));
  return Json{{"Tags", loaded.value("tags", Json::object())}};
}

std::map<std::string, std::string> LambdaService::RoleCredentials(const std::string& role_arn,
                                                                  const std::string& function,
                                                                  const std::string& account) {
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(context_.clock.Now().time_since_epoch())
          .count();
  std::string key = role_arn + "|" + function;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = credentials_.find(key);
    if (it != credentials_.end() && it->second.second - now > 3600) {
      return it->second.first;
    }
  }
  Credential c;
  c.access_key_id = context_.ids.AccessKeyId("ASIA");
  c.secret_access_key = context_.ids.Secret(40);
  c.session_token = "FwoGZXIvYXdzE" + context_.ids.Secret(120);
  std::string role_name = role_arn.substr(role_arn.rfind('/') + 1);
  std::string role_account = role_arn.size() > 25 ? role_arn.substr(13, 12) : account;
  c.identity.access_key_id = c.access_key_id;
  c.identity.account_id = role_account;
  c.identity.arn =
      fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", role_account, role_name, function);
  c.identity.user_id = "AROA" + context_.ids.AccessKeyId("").substr(0, 17) + ":" + function;
  c.expiration = std::chrono::time_point_cast<std::chrono::seconds>(context_.clock.Now()) +
                 std::chrono::hours(12);
  (void)context_.credentials.AddTemporary(c);
  std::map<std::string, std::string> env = {{"AWS_ACCESS_KEY_ID", c.access_key_id},
                                            {"AWS_SECRET_ACCESS_KEY", c.secret_access_key},
                                            {"AWS_SESSION_TOKEN", c.session_token}};
  std::lock_guard<std::mutex> lock(mu_);
  credentials_[key] = {env, now + 12 * 3600};
  return env;
}

ServiceOr<FunctionSpec> LambdaService::SpecOf(const Json& record, const Json& config) {
  FunctionSpec spec;
  const std::string arn = record["config"]["FunctionArn"].get<std::string>();
  spec.function_arn = arn;
  spec.name = config["FunctionName"].get<std::string>();
  spec.version = config["Version"].get<std::string>();
  spec.runtime = config["Runtime"].get<std::string>();
  spec.handler = config.value("Handler", "");
  spec.code_dir = config.value("_code_dir", "");
  // The time scale is part of the revision: a new latency profile starts new environments,
  // so no function keeps comparing durations at the old scale.
  const std::string time_scale = fmt::format("{}", context_.latency.TimeScale());
  spec.revision = config["CodeSha256"].get<std::string>() + "|" +
                  config["RevisionId"].get<std::string>() + "|" + spec.version + "|" + time_scale;
  spec.timeout_seconds = config.value("Timeout", 3);
  spec.memory_mb = config.value("MemorySize", 128);
  spec.reserved_concurrency = record.value("concurrency", -1);
  spec.log_group = config.value("/LoggingConfig/LogGroup"_json_pointer,
                                config.value("_log_group", "/aws/lambda/" + spec.name));
  // arn:aws:lambda:REGION:ACCOUNT:function:NAME
  size_t r0 = arn.find(':', 15);
  spec.region = arn.substr(15, r0 - 15);
  spec.account_id = arn.substr(r0 + 1, 12);
  std::string kind = RuntimeKind(spec.runtime);
  if (kind == "python") {
    spec.argv = {
        "/usr/bin/python3", "-u",
        (std::filesystem::path(options_.code_root) / "runtime" / "python_bootstrap.py").string()};
  } else {
    spec.argv = {(std::filesystem::path(spec.code_dir) / "bootstrap").string()};
  }
  std::map<std::string, std::string>& env = spec.environment;
  Json variables = config.value("/Environment/Variables"_json_pointer, Json::object());
  for (auto& [k, v] : variables.items()) {
    env[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  env["AWS_LAMBDA_FUNCTION_NAME"] = spec.name;
  env["AWS_LAMBDA_FUNCTION_VERSION"] = spec.version;
  env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = std::to_string(spec.memory_mb);
  env["AWS_LAMBDA_LOG_GROUP_NAME"] = spec.log_group;
  env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
  env["_HANDLER"] = spec.handler;
  env["AWS_REGION"] = spec.region;
  env["AWS_DEFAULT_REGION"] = spec.region;
  env["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + spec.runtime;
  env["LAMBDA_TASK_ROOT"] = spec.code_dir;
  env["LAMBDA_RUNTIME_DIR"] = (std::filesystem::path(options_.code_root) / "runtime").string();
  env["PATH"] = "/usr/local/bin:/usr/bin:/bin:" + spec.code_dir;
  env["LD_LIBRARY_PATH"] = spec.code_dir + "/lib";
  env["LANG"] = "en_US.UTF-8";
  env["TZ"] = ":UTC";
  env["HOME"] = spec.code_dir;
  env["AWS_EC2_METADATA_DISABLED"] = "true";
  // The local cloud's clock runs at this scale; the control plane scales its durations by it
  // (src/control/time_scale.h). AWS sets no such variable.
  env["CLUSTERFORM_TIME_SCALE"] = time_scale;
  if (options_.endpoint_url) {
    env["AWS_ENDPOINT_URL"] = options_.endpoint_url();
  }
  for (auto& [k, v] :
       RoleCredentials(config["Role"].get<std::string>(), spec.name, spec.account_id)) {
    env[k] = v;
  }
  return spec;
}

// The call's transaction stays unused: InvokeInProcess reads the function and lets go of the
// store before the function runs.
ServiceResult LambdaService::Invoke(const ServiceCall& call, CallTxn&) {
  std::string type = call.input.value("InvocationType", "RequestResponse");
  InvokeOutcome out =
      InvokeInProcess(call.region, call.account_id, call.input.value("FunctionName", ""),
                      call.input.value("Qualifier", ""), call.input.value("Payload", ""), type,
                      call.input.value("LogType", "None") == "Tail");
  if (!out.error_code.empty()) {
    ServiceError e = Err(out.error_code.c_str(), out.error_message, out.status_code);
    if (out.error_code == "TooManyRequestsException") {
      e.fields = {{"Reason", "ReservedFunctionConcurrentInvocationLimitExceeded"},
                  {"message", out.error_message},
                  {"Type", "User"}};
    }
    return e;
  }
  Json result = {{"StatusCode", out.status_code}, {"ExecutedVersion", out.executed_version}};
  if (type == "RequestResponse") {
    result["Payload"] = out.payload;
  }
  if (!out.function_error.empty()) {
    result["FunctionError"] = out.function_error;
  }
  if (call.input.value("LogType", "None") == "Tail" && type == "RequestResponse") {
    result["LogResult"] = Base64Encode(out.log_tail);
  }
  return result;
}

InvokeOutcome LambdaService::InvokeInProcess(const std::string& region,
                                             const std::string& account_id,
                                             const std::string& function,
                                             const std::string& qualifier_in,
                                             const std::string& payload,
                                             const std::string& invocation_type, bool tail_logs) {
  InvokeOutcome out;
  out.request_id = context_.ids.RequestId();
  auto fail = [&](const ServiceError& e) {
    out.error_code = e.code;
    out.error_message = e.message;
    out.status_code = e.http_status;
    return out;
  };
  ServiceOr<std::pair<std::string, std::string>> parsed = NameOf(function);
  if (!parsed.ok()) {
    return fail(parsed.error());
  }
  auto [name, qualifier] = *parsed;
  if (!qualifier_in.empty()) {
    qualifier = qualifier_in;
  }
  ServiceCall lookup;
  lookup.region = region;
  lookup.account_id = account_id;
  ServiceOr<Json> loaded = [&] {
    // Read, then let go of the store: the function runs (and may call the cloud) below.
    CallTxn read(context_.store);
    return Load(read, lookup, name);
  }();
  if (!loaded.ok()) {
    return fail(loaded.error());
  }
  const Json& record = *loaded;
  ServiceOr<Json> found = ConfigOf(record, qualifier);
  if (!found.ok()) {
    return fail(found.error());
  }
  const Json& config = *found;
  Json shown = Present(record, config);
  if (shown["State"] != "Active") {
    return fail(
        Conflict(fmt::format("The operation cannot be performed at this time. The "
                             "function is currently in the following state: {}",
                             shown["State"].get<std::string>())));
  }
  if (!payload.empty()) {
    Json parsed_payload = Json::parse(payload, nullptr, false);
    if (parsed_payload.is_discarded()) {
      return fail(Err("InvalidRequestContentException",
                      "Could not parse request body into json: Could not parse payload into "
                      "json: Unexpected character: was expecting a JSON value",
                      400));
    }
  }
  out.executed_version = config["Version"];
  if (invocation_type == "DryRun") {
    out.status_code = 204;
    return out;
  }
  if (record.value("concurrency", -1) == 0) {
    return fail(Err("TooManyRequestsException", "Rate Exceeded.", 429));
  }
  ServiceOr<FunctionSpec> spec = SpecOf(record, config);
  if (!spec.ok()) {
    return fail(spec.error());
  }
  RunRequest request;
  request.request_id = out.request_id;
  request.payload = payload.empty() ? "{}" : payload;
  request.tail_logs = tail_logs;
  if (invocation_type == "Event") {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.emplace_back(*spec, request);
    cv_.notify_one();
    out.status_code = 202;
    return out;
  }
  RunResult run = runner_.Invoke(*spec, request);
  out.log_tail = run.log_tail;
  switch (run.kind) {
    case RunResult::kOk:
      out.payload = run.payload;
      break;
    case RunResult::kFunctionError:
      out.function_error = "Unhandled";
      out.payload = run.payload;
      break;
    case RunResult::kThrottled:
      return fail(Err("TooManyRequestsException", "Rate Exceeded.", 429));
    case RunResult::kServiceError:
      return fail(ServiceError{"ServiceException", run.message, 500, false});
  }
  return out;
}

}  // namespace cf::cloud::lambda
