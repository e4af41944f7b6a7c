#pragma once

// RDS's input rules for Aurora MySQL, each returning the error AWS answers (InvalidParameterValue
// or InvalidParameterCombination, with AWS's wording) or OK. Pure functions.

#include <optional>
#include <string>

#include "cloud/core/service_error.h"

namespace cf::cloud::rds {

// An RDS error: `code` as the model spells it, 400 unless `status` says otherwise.
ServiceError Error(const char* code, std::string message, int status = 400);
ServiceError InvalidParameterValue(std::string message);
ServiceError InvalidParameterCombination(std::string message);

// Cluster, instance and snapshot identifiers: 1-63 (255 for snapshots) of letters, digits and
// hyphens, starting with a letter, no "--", not ending with '-'. `member` names the input in
// the message ("DBClusterIdentifier").
ServiceStatus CheckIdentifier(const std::string& id, const char* member, size_t max = 63);
// Parameter and subnet group names: 1-255 of letters, digits, '.', '_', '-' (and ' ' for
// subnet groups), starting with a letter for parameter groups; "default" is reserved for
// subnet groups.
ServiceStatus CheckParameterGroupName(const std::string& name, const char* member);
ServiceStatus CheckSubnetGroupName(const std::string& name);

// 1-32 of letters, digits and '_', starting with a letter, not a word the engine reserves.
ServiceStatus CheckMasterUsername(const std::string& name);
// 8-41 printable ASCII characters other than '/', '"', '@' and space.
ServiceStatus CheckMasterPassword(const std::string& password);
// Aurora MySQL's DatabaseName: 1-64 of letters, digits and '_', starting with a letter.
ServiceStatus CheckDatabaseName(const std::string& name);

// The full engine version `requested` names for `engine` ("8.0" and "" name the default 8.0
// version; "5.7" the default 5.7 one), or the error AWS gives for an engine or version it does
// not have.
ServiceOr<std::string> ResolveEngineVersion(const std::string& engine,
                                            const std::string& requested);
// The parameter group family of a full engine version: "aurora-mysql8.0".
std::string FamilyOf(const std::string& engine_version);
// Whether `family` is one RDS has for Aurora MySQL.
bool KnownFamily(const std::string& family);

// "hh24:mi-hh24:mi" in UTC, at least 30 minutes long (PreferredBackupWindow).
ServiceStatus CheckBackupWindow(const std::string& window);
// "ddd:hh24:mi-ddd:hh24:mi" in UTC, at least 30 minutes long (PreferredMaintenanceWindow).
ServiceStatus CheckMaintenanceWindow(const std::string& window);
// BackupRetentionPeriod: 1-35 days.
ServiceStatus CheckBackupRetention(int64_t days);

}  // namespace cf::cloud::rds
