#include "cloud/s3/aws_chunked.h"

#include <fmt/core.h>

namespace cf::cloud::s3 {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

bool IsAwsChunked(std::string_view content_sha256, std::string_view content_encoding) {
  if (content_sha256.substr(0, 10) == "STREAMING-") {
    return true;
  }
  return content_encoding.find("aws-chunked") != std::string_view::npos;
}

Result<std::string> DecodeAwsChunked(std::string_view body) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) {
      return InvalidArgumentError("aws-chunked body: a chunk header has no line end");
    }
    std::string_view header = body.substr(pos, eol - pos);
    std::string_view size_text = Trim(header.substr(0, header.find(';')));
    if (size_text.empty() || size_text.size() > 15) {
      return InvalidArgumentError(fmt::format("aws-chunked body: bad chunk size '{}'", size_text));
    }
    uint64_t size = 0;
    for (char c : size_text) {
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
      if (digit < 0) {
        return InvalidArgumentError(
            fmt::format("aws-chunked body: bad chunk size '{}'", size_text));
      }
      size = size * 16 + static_cast<uint64_t>(digit);
    }
    pos = eol + 2;
    if (size == 0) {
      return out;  // trailers (checksums, trailer signature) follow; they are not needed
    }
    if (body.size() - pos < size + 2) {
      return InvalidArgumentError("aws-chunked body: a chunk is truncated");
    }
    out.append(body.substr(pos, size));
    pos += size;
    if (body.substr(pos, 2) != "\r\n") {
      return InvalidArgumentError("aws-chunked body: a chunk does not end with CRLF");
    }
    pos += 2;
  }
}

std::string WithoutAwsChunked(std::string_view content_encoding) {
  std::string out;
  while (!content_encoding.empty()) {
    size_t comma = content_encoding.find(',');
    std::string_view item = Trim(content_encoding.substr(0, comma));
    content_encoding =
        comma == std::string_view::npos ? std::string_view() : content_encoding.substr(comma + 1);
    if (item.empty() || item == "aws-chunked") {
      continue;
    }
    if (!out.empty()) {
      out += ",";
    }
    out += item;
  }
  return out;
}

}  // namespace cf::cloud::s3
