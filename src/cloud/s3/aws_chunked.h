#pragma once

// The aws-chunked content encoding of streaming SigV4 uploads (x-amz-content-sha256:
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, ...):
//   <hex size>[;chunk-signature=<hex>]\r\n<bytes>\r\n ... 0[;...]\r\n[<trailer>\r\n]*\r\n
// The decoder returns the concatenated chunk bytes. Chunk signatures and trailing checksums
// are read past, not verified (the request's seed signature is verified by the server).

#include <string>
#include <string_view>

#include "base/status.h"

namespace cf::cloud::s3 {

// Whether a request with these headers carries an aws-chunked body.
bool IsAwsChunked(std::string_view content_sha256, std::string_view content_encoding);

// The payload of an aws-chunked body. InvalidArgument when it is malformed or truncated.
Result<std::string> DecodeAwsChunked(std::string_view body);

// `content_encoding` without its "aws-chunked" item ("aws-chunked,gzip" -> "gzip").
std::string WithoutAwsChunked(std::string_view content_encoding);

}  // namespace cf::cloud::s3
