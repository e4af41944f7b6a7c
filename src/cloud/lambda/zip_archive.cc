#include "cloud/lambda/zip_archive.h"

#include <fmt/core.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

namespace cf::cloud::lambda {

namespace {

uint16_t U16(std::string_view s, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(s[at]) |
                               (static_cast<uint8_t>(s[at + 1]) << 8));
}

uint32_t U32(std::string_view s, size_t at) {
  return static_cast<uint32_t>(U16(s, at)) | (static_cast<uint32_t>(U16(s, at + 2)) << 16);
}

void Put16(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>((v >> 8) & 0xff));
}

void Put32(std::string& out, uint32_t v) {
  Put16(out, v & 0xffff);
  Put16(out, v >> 16);
}

Status Bad(const std::string& why) {
  return InvalidArgumentError(
      "Could not unzip uploaded file. Please check your file, then try "
      "to upload again. (" +
      why + ")");
}

Result<std::string> Inflate(std::string_view compressed, size_t size) {
  std::string out(size, '\0');
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
    return InternalError("zlib: inflateInit2 failed");
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&z, Z_FINISH);
  size_t produced = z.total_out;
  inflateEnd(&z);
  if (rc != Z_STREAM_END || produced != size) {
    return Bad("a deflated entry is corrupt");
  }
  return out;
}

}  // namespace

Result<std::vector<ZipEntry>> ReadZip(std::string_view zip) {
  if (zip.size() < 22) {
    return Bad("the file is too short to be a ZIP archive");
  }
  // The end of central directory record: within the last 64 KiB + 22 bytes.
  size_t eocd = std::string_view::npos;
  size_t lowest = zip.size() > 65557 ? zip.size() - 65557 : 0;
  for (size_t i = zip.size() - 22 + 1; i-- > lowest;) {
    if (U32(zip, i) == 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string_view::npos) {
    return Bad("no end of central directory record");
  }
  uint16_t count = U16(zip, eocd + 10);
  uint32_t cd_size = U32(zip, eocd + 12);
  uint32_t cd_offset = U32(zip, eocd + 16);
  if (U16(zip, eocd + 4) != 0 || U16(zip, eocd + 6) != 0) {
    return Bad("multi-disk archives are not supported");
  }
  if (cd_offset == 0xffffffff || count == 0xffff) {
    return Bad("ZIP64 archives are not supported");
  }
  if (static_cast<uint64_t>(cd_offset) + cd_size > eocd) {
    return Bad("the central directory lies outside the file");
  }
  std::vector<ZipEntry> entries;
  size_t at = cd_offset;
  for (uint16_t i = 0; i < count; ++i) {
    if (at + 46 > eocd || U32(zip, at) != 0x02014b50) {
      return Bad("a central directory entry is corrupt");
    }
    uint16_t made_by = U16(zip, at + 4);
    uint16_t flags = U16(zip, at + 8);
    uint16_t method = U16(zip, at + 10);
    uint32_t crc = U32(zip, at + 16);
    uint32_t csize = U32(zip, at + 20);
    uint32_t usize = U32(zip, at + 24);
    uint16_t name_len = U16(zip, at + 28);
    uint16_t extra_len = U16(zip, at + 30);
    uint16_t comment_len = U16(zip, at + 32);
    uint32_t external = U32(zip, at + 38);
    uint32_t local = U32(zip, at + 42);
    if (at + 46 + name_len > eocd) {
      return Bad("a central directory entry is corrupt");
    }
    ZipEntry entry;
    entry.name = std::string(zip.substr(at + 46, name_len));
    at += 46 + name_len + extra_len + comment_len;
    if (flags & 1) {
      return Bad(fmt::format("'{}' is encrypted", entry.name));
    }
    if (entry.name.empty() || entry.name[0] == '/' || entry.name.find('\\') != std::string::npos ||
        entry.name == ".." || entry.name.rfind("../", 0) == 0 ||
        entry.name.find("/../") != std::string::npos ||
        (entry.name.size() >= 3 && entry.name.compare(entry.name.size() - 3, 3, "/..") == 0)) {
      return Bad(fmt::format("the entry name '{}' is not a relative path", entry.name));
    }
    if ((made_by >> 8) == 3) {  // Unix
      entry.mode = external >> 16;
    }
    if (static_cast<uint64_t>(local) + 30 > zip.size() || U32(zip, local) != 0x04034b50) {
      return Bad(fmt::format("the local header of '{}' is corrupt", entry.name));
    }
    size_t data_at = local + 30 + U16(zip, local + 26) + U16(zip, local + 28);
    if (data_at + csize > zip.size()) {
      return Bad(fmt::format("the data of '{}' lies outside the file", entry.name));
    }
    std::string_view raw = zip.substr(data_at, csize);
    if (method == 0) {
      if (csize != usize) {
        return Bad(fmt::format("the stored entry '{}' has inconsistent sizes", entry.name));
      }
      entry.data = std::string(raw);
    } else if (method == 8) {
      ASSIGN_OR_RETURN(entry.data, Inflate(raw, usize));
    } else {
      return Bad(fmt::format("'{}' uses compression method {}", entry.name, method));
    }
    uint32_t actual =
        static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(entry.data.data()),
                                    static_cast<uInt>(entry.data.size())));
    if (actual != crc) {
      return Bad(fmt::format("the CRC-32 of '{}' does not match", entry.name));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

Status ExtractZip(const std::vector<ZipEntry>& entries, const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) {
    return InternalError(fmt::format("creating {}: {}", directory, ec.message()));
  }
  for (const ZipEntry& entry : entries) {
    fs::path path = fs::path(directory) / entry.name;
    if (entry.directory()) {
      fs::create_directories(path, ec);
      if (ec) {
        return InternalError(fmt::format("creating {}: {}", path.string(), ec.message()));
      }
      continue;
    }
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      return InternalError(
          fmt::format("creating {}: {}", path.parent_path().string(), ec.message()));
    }
    if ((entry.mode & 0170000) == 0120000) {  // a symbolic link: its target is the data
      fs::remove(path, ec);
      fs::create_symlink(entry.data, path, ec);
      if (ec) {
        return InternalError(fmt::format("linking {}: {}", path.string(), ec.message()));
      }
      continue;
    }
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(entry.data.data(), static_cast<std::streamsize>(entry.data.size()));
      if (!out) {
        return InternalError(fmt::format("writing {}", path.string()));
      }
    }
    fs::perms perms = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                      fs::perms::others_read;
    if (entry.mode & 0111) {
      perms |= fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
    }
    fs::permissions(path, perms, ec);
    if (ec) {
      return InternalError(fmt::format("chmod {}: {}", path.string(), ec.message()));
    }
  }
  return OkStatus();
}

std::string WriteZip(const std::vector<ZipEntry>& entries) {
  std::string out;
  std::string central;
  for (const ZipEntry& e : entries) {
    uint32_t crc = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
    uint32_t offset = static_cast<uint32_t>(out.size());
    uint32_t size = static_cast<uint32_t>(e.data.size());
    Put32(out, 0x04034b50);
    Put16(out, 20);
    Put16(out, 0);
    Put16(out, 0);
    Put32(out, 0);  // time, date
    Put32(out, crc);
    Put32(out, size);
    Put32(out, size);
    Put16(out, static_cast<uint32_t>(e.name.size()));
    Put16(out, 0);
    out += e.name;
    out += e.data;
    Put32(central, 0x02014b50);
    Put16(central, (3 << 8) | 20);
    Put16(central, 20);
    Put16(central, 0);
    Put16(central, 0);
    Put32(central, 0);
    Put32(central, crc);
    Put32(central, size);
    Put32(central, size);
    Put16(central, static_cast<uint32_t>(e.name.size()));
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0);
    Put16(central, 0);
    uint32_t mode = e.mode != 0 ? e.mode : (e.directory() ? 040755 : 0100644);
    Put32(central, mode << 16);
    Put32(central, offset);
    central += e.name;
  }
  uint32_t cd_offset = static_cast<uint32_t>(out.size());
  out += central;
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, static_cast<uint32_t>(entries.size()));
  Put16(out, static_cast<uint32_t>(entries.size()));
  Put32(out, static_cast<uint32_t>(central.size()));
  Put32(out, cd_offset);
  Put16(out, 0);
  return out;
}

}  // namespace cf::cloud::lambda
