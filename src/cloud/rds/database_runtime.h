#pragma once

// The database servers behind RDS clusters: each cluster is one server process on its own
// loopback address and port, with its data in a folder of its own. RdsService drives a
// DatabaseRuntime; MariaDbRuntime (below) runs Debian's MariaDB for real, tests of the service
// use a fake.
//
// Names: a server is named by its cluster ("ACCOUNT/REGION/CLUSTER-ID"), a snapshot by
// "ACCOUNT/REGION/SNAPSHOT-ID"; the names are paths under the runtime's root folder.
//
// Thread-safety: every method may be called from any thread; calls for different servers run
// concurrently, calls for one server must not overlap (RdsService never issues two at once).

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"

namespace cf::cloud::rds {

struct ServerSpec {
  std::string name;     // "ACCOUNT/REGION/CLUSTER-ID"
  std::string address;  // a loopback address of its own: "127.230.0.1"
  uint16_t port = 3306;
};

struct MasterUser {
  std::string username;
  std::string password;
};

class DatabaseRuntime {
 public:
  virtual ~DatabaseRuntime() = default;

  // Makes a new server's data and starts it; returns once it accepts connections. Without
  // `snapshot`: an empty server whose `master` user may connect from any address with every
  // privilege, and the database `database` when it is not empty. With `snapshot` (a name
  // Snapshot wrote): the snapshot's databases and users (so its master user and password).
  // Data left by an earlier failed Create of the same name is replaced.
  virtual Status Create(const ServerSpec& spec, const MasterUser& master,
                        const std::string& database, const std::string& snapshot) = 0;
  // Starts the existing data of `spec.name` again (after a restart of the local cloud). A
  // server process still running on that data (left by a local cloud that was killed) is
  // stopped first, by its pid.
  virtual Status Resume(const ServerSpec& spec) = 0;
  // Sets the password of the master user of a running server.
  virtual Status SetMasterPassword(const std::string& name, const MasterUser& master) = 0;
  // Writes a consistent copy of a running server's databases and users as `snapshot`.
  virtual Status Snapshot(const std::string& name, const std::string& snapshot) = 0;
  virtual Status CopySnapshot(const std::string& from, const std::string& to) = 0;
  // OK when there is no such snapshot.
  virtual Status DeleteSnapshot(const std::string& snapshot) = 0;
  // Stops the server (if it runs) and removes its data.
  virtual Status Destroy(const std::string& name) = 0;
  // Stops every server this runtime started; their data stays.
  virtual void StopAll() = 0;
  // Stops every server and removes every server's data and every snapshot.
  virtual Status DestroyAll() = 0;
  // Whether a new server could listen on `address`:`port` (nothing else, such as another
  // local cloud's server, listens there).
  virtual bool AddressFree(const std::string& address, uint16_t port) const = 0;
  // The pid of the server's process while it runs.
  virtual std::optional<pid_t> Pid(const std::string& name) const = 0;
};

// Whether Debian's MariaDB server, install-db, client and dump programs are installed.
bool MariaDbInstalled();

// Servers are mariadbd processes started here (each in its own process group), data under
// `root`/clusters/<name>/data, logs beside it, snapshots as SQL dumps (mariadb-dump, one
// transaction, users included) under `root`/snapshots/<name>.sql.
std::unique_ptr<DatabaseRuntime> MakeMariaDbRuntime(std::string root);

}  // namespace cf::cloud::rds
