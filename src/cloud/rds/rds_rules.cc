#include "cloud/rds/rds_rules.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace cf::cloud::rds {

namespace {

bool IsLetter(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool IsDigit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Aurora MySQL versions RDS offers (engine version strings as RDS spells them).
const std::vector<std::string>& Versions() {
  static const std::vector<std::string> kVersions = {
      "5.7.mysql_aurora.2.11.2", "5.7.mysql_aurora.2.11.3", "5.7.mysql_aurora.2.11.4",
      "5.7.mysql_aurora.2.11.5", "5.7.mysql_aurora.2.12.0", "5.7.mysql_aurora.2.12.1",
      "5.7.mysql_aurora.2.12.2", "5.7.mysql_aurora.2.12.3", "5.7.mysql_aurora.2.12.4",
      "8.0.mysql_aurora.3.02.0", "8.0.mysql_aurora.3.02.2", "8.0.mysql_aurora.3.02.3",
      "8.0.mysql_aurora.3.03.0", "8.0.mysql_aurora.3.03.1", "8.0.mysql_aurora.3.03.2",
      "8.0.mysql_aurora.3.03.3", "8.0.mysql_aurora.3.04.0", "8.0.mysql_aurora.3.04.1",
      "8.0.mysql_aurora.3.04.2", "8.0.mysql_aurora.3.04.3", "8.0.mysql_aurora.3.05.0",
      "8.0.mysql_aurora.3.05.1", "8.0.mysql_aurora.3.05.2", "8.0.mysql_aurora.3.06.0",
      "8.0.mysql_aurora.3.06.1", "8.0.mysql_aurora.3.07.0", "8.0.mysql_aurora.3.07.1",
      "8.0.mysql_aurora.3.08.0", "8.0.mysql_aurora.3.08.1", "8.0.mysql_aurora.3.08.2",
  };
  return kVersions;
}

constexpr char kDefault80[] = "8.0.mysql_aurora.3.08.0";
constexpr char kDefault57[] = "5.7.mysql_aurora.2.12.4";

// Minutes since midnight of "hh24:mi", or -1.
int Minutes(const std::string& hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':' || !IsDigit(hhmm[0]) || !IsDigit(hhmm[1]) ||
      !IsDigit(hhmm[3]) || !IsDigit(hhmm[4])) {
    return -1;
  }
  int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

// Minutes since Monday 00:00 of "ddd:hh24:mi", or -1.
int WeekMinutes(const std::string& text) {
  static const std::vector<std::string> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  if (text.size() != 9 || text[3] != ':') {
    return -1;
  }
  std::string day = text.substr(0, 3);
  std::transform(day.begin(), day.end(), day.begin(), ::tolower);
  auto it = std::find(kDays.begin(), kDays.end(), day);
  int minutes = Minutes(text.substr(4));
  if (it == kDays.end() || minutes < 0) {
    return -1;
  }
  return static_cast<int>(it - kDays.begin()) * 24 * 60 + minutes;
}

// RDS's answer for an identifier that breaks its rules.
ServiceError NotAnIdentifier(const char* member) {
  return ServiceError{"InvalidParameterValue",
                      fmt::format("The parameter {} is not a valid identifier. Identifiers must "
                                  "begin with a letter; must contain only ASCII letters, digits, "
                                  "and hyphens; and must not end with a hyphen or contain two "
                                  "consecutive hyphens.",
                                  member),
                      400, true};
}

}  // namespace

ServiceError Error(const char* code, std::string message, int status) {
  return ServiceError{code, std::move(message), status, true};
}
ServiceError InvalidParameterValue(std::string message) {
  return Error("InvalidParameterValue", std::move(message));
}
ServiceError InvalidParameterCombination(std::string message) {
  return Error("InvalidParameterCombination", std::move(message));
}

ServiceStatus CheckIdentifier(const std::string& id, const char* member, size_t max) {
  bool ok = !id.empty() && id.size() <= max && IsLetter(id[0]) && id.back() != '-' &&
            id.find("--") == std::string::npos && std::all_of(id.begin(), id.end(), [](char c) {
              return IsLetter(c) || IsDigit(c) || c == '-';
            });
  if (!ok) {
    return NotAnIdentifier(member);
  }
  return {};
}

ServiceStatus CheckParameterGroupName(const std::string& name, const char* member) {
  bool ok = !name.empty() && name.size() <= 255 && IsLetter(name[0]) && name.back() != '-' &&
            name.find("--") == std::string::npos &&
            std::all_of(name.begin(), name.end(), [](char c) {
              return IsLetter(c) || IsDigit(c) || c == '-' || c == '.' || c == '_';
            });
  if (!ok) {
    return NotAnIdentifier(member);
  }
  return {};
}

ServiceStatus CheckSubnetGroupName(const std::string& name) {
  if (name == "default") {
    return InvalidParameterValue("DBSubnetGroupName cannot be default");
  }
  bool ok =
      !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
        return IsLetter(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == ' ';
      });
  if (!ok) {
    return InvalidParameterValue(
        "The parameter DBSubnetGroupName is not a valid identifier. Only ASCII letters, digits, "
        "periods, underscores, spaces and hyphens are allowed, at most 255 of them.");
  }
  return {};
}

ServiceStatus CheckMasterUsername(const std::string& name) {
  static const std::set<std::string> kReserved = {
      "rdsadmin", "rdsrepladmin", "rdsproxyadmin", "mysql", "select", "insert", "update",
      "delete",   "create",       "drop",          "table", "grant",  "user",   "database"};
  if (name.empty()) {
    return InvalidParameterValue(
        "The parameter MasterUsername must be provided and must not be blank.");
  }
  bool ok = name.size() <= 32 && IsLetter(name[0]) &&
            std::all_of(name.begin(), name.end(),
                        [](char c) { return IsLetter(c) || IsDigit(c) || c == '_'; });
  if (!ok) {
    return InvalidParameterValue(
        "The parameter MasterUsername is not a valid identifier. Identifiers must begin with a "
        "letter; must contain only ASCII letters, digits, and underscores; and must be at most "
        "32 characters long.");
  }
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (kReserved.count(lower) > 0) {
    return InvalidParameterValue(fmt::format(
        "MasterUsername {} cannot be used as it is a reserved word used by the engine", name));
  }
  return {};
}

ServiceStatus CheckMasterPassword(const std::string& password) {
  if (password.empty()) {
    return InvalidParameterValue(
        "The parameter MasterUserPassword must be provided and must not be blank.");
  }
  if (password.size() < 8) {
    return InvalidParameterValue(
        "The parameter MasterUserPassword is not a valid password because it is shorter than 8 "
        "characters.");
  }
  if (password.size() > 41) {
    return InvalidParameterValue(
        "The parameter MasterUserPassword is not a valid password because it is longer than 41 "
        "characters.");
  }
  for (char c : password) {
    if (c < 0x21 || c > 0x7e || c == '/' || c == '"' || c == '@') {
      return InvalidParameterValue(
          "The parameter MasterUserPassword is not a valid password. Only printable ASCII "
          "characters besides '/', '@', '\"', ' ' may be used.");
    }
  }
  return {};
}

ServiceStatus CheckDatabaseName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64 && IsLetter(name[0]) &&
            std::all_of(name.begin(), name.end(),
                        [](char c) { return IsLetter(c) || IsDigit(c) || c == '_'; });
  if (!ok) {
    return InvalidParameterValue(
        "DatabaseName must begin with a letter and contain only alphanumeric characters or "
        "underscores, at most 64 of them.");
  }
  return {};
}

ServiceOr<std::string> ResolveEngineVersion(const std::string& engine,
                                            const std::string& requested) {
  if (engine != "aurora-mysql") {
    return InvalidParameterValue(
        fmt::format("Invalid DB engine: {} (the local cloud serves aurora-mysql)", engine));
  }
  if (requested.empty() || requested == "8.0") {
    return std::string(kDefault80);
  }
  if (requested == "5.7") {
    return std::string(kDefault57);
  }
  const auto& all = Versions();
  if (std::find(all.begin(), all.end(), requested) == all.end()) {
    return InvalidParameterCombination(
        fmt::format("Cannot find version {} for {}", requested, engine));
  }
  return requested;
}

std::string FamilyOf(const std::string& engine_version) {
  return engine_version.rfind("5.7", 0) == 0 ? "aurora-mysql5.7" : "aurora-mysql8.0";
}

bool KnownFamily(const std::string& family) {
  return family == "aurora-mysql8.0" || family == "aurora-mysql5.7";
}

ServiceStatus CheckBackupWindow(const std::string& window) {
  size_t dash = window.find('-');
  int start = dash == std::string::npos ? -1 : Minutes(window.substr(0, dash));
  int end = dash == std::string::npos ? -1 : Minutes(window.substr(dash + 1));
  if (start < 0 || end < 0) {
    return InvalidParameterValue(
        "The parameter PreferredBackupWindow must be provided in the format hh24:mi-hh24:mi.");
  }
  int length = (end - start + 24 * 60) % (24 * 60);
  if (length < 30) {
    return InvalidParameterValue("The backup window must be at least 30 minutes.");
  }
  return {};
}

ServiceStatus CheckMaintenanceWindow(const std::string& window) {
  size_t dash = window.find('-');
  int start = dash == std::string::npos ? -1 : WeekMinutes(window.substr(0, dash));
  int end = dash == std::string::npos ? -1 : WeekMinutes(window.substr(dash + 1));
  if (start < 0 || end < 0) {
    return InvalidParameterValue(
        "The parameter PreferredMaintenanceWindow must be provided in the format "
        "ddd:hh24:mi-ddd:hh24:mi.");
  }
  int week = 7 * 24 * 60;
  int length = (end - start + week) % week;
  if (length < 30) {
    return InvalidParameterValue("The maintenance window must be at least 30 minutes.");
  }
  return {};
}

ServiceStatus CheckBackupRetention(int64_t days) {
  if (days < 1 || days > 35) {
    return InvalidParameterValue(
        fmt::format("Invalid backup retention period: {}. The backup retention period must be "
                    "between 1 and 35 days.",
                    days));
  }
  return {};
}

}  // namespace cf::cloud::rds
