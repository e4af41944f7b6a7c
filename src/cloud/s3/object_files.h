#pragma once

// Where S3 object bytes live: plain files under a root directory (<data-dir>/s3), one per
// object version written, named "<bucket>/<sha256 of the key>.<generation>"; multipart parts
// under ".uploads/<upload id>/<part number>". Every file is written temp -> fsync -> rename,
// so a file that exists is complete. The metadata that points at these names lives in the
// Store; a name is never reused, so a reader holding an old name reads the old bytes or
// NotFound (after a delete), never a mix.
//
// Thread-safe: files are immutable once written.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cf::cloud::s3 {

class ObjectFiles {
 public:
  // Files under `root` (created). An empty root gives a private temporary directory that is
  // removed with the object.
  static Result<std::unique_ptr<ObjectFiles>> Open(const std::string& root);
  ~ObjectFiles();
  ObjectFiles(const ObjectFiles&) = delete;
  ObjectFiles& operator=(const ObjectFiles&) = delete;

  // Writes `data` as a new file for `key` of `bucket`; returns its name.
  Result<std::string> WriteObject(const std::string& bucket, const std::string& key,
                                  std::string_view data, const std::string& generation);
  // Writes the concatenation of the files `parts` as a new object file.
  Result<std::string> ConcatObject(const std::string& bucket, const std::string& key,
                                   const std::vector<std::string>& parts,
                                   const std::string& generation);
  // Writes a multipart part; returns its name.
  Result<std::string> WritePart(const std::string& upload_id, int part_number,
                                std::string_view data, const std::string& generation);
  // `length` bytes from `offset` of file `name`. NotFound when the file is gone.
  Result<std::string> Read(const std::string& name, uint64_t offset, uint64_t length) const;
  // Removes a file (OK when absent).
  void Remove(const std::string& name);
  // Removes a bucket's or an upload's folder and everything in it.
  void RemoveBucket(const std::string& bucket);
  void RemoveUpload(const std::string& upload_id);
  // Removes every file.
  Status Clear();

  const std::string& root() const { return root_; }

 private:
  ObjectFiles(std::string root, bool temporary) : root_(std::move(root)), temporary_(temporary) {}
  Result<std::string> WriteNew(const std::string& relative,
                               const std::vector<std::string_view>& pieces,
                               const std::vector<std::string>& from_files);

  std::string root_;
  bool temporary_;
};

}  // namespace cf::cloud::s3
