// libFuzzer target for the codecs' parsers: responses, errors and requests of every protocol,
// built from arbitrary bytes. Build with -DCF_FUZZ=ON and clang.

#include <cstddef>
#include <cstdint>
#include <string>

#include "aws/codec.h"
#include "aws/models.h"

namespace {

struct Target {
  const char* service;
  const char* operation;
};

const Target kTargets[] = {{"ec2", "DescribeInstances"},  {"sts", "GetCallerIdentity"},
                           {"dynamodb", "Query"},         {"s3", "GetObject"},
                           {"s3", "ListObjectsV2"},       {"lambda", "Invoke"},
                           {"route53", "ListHostedZones"}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static cf::aws::Models* models = new cf::aws::Models();
  if (size < 2) {
    return 0;
  }
  const Target& target = kTargets[data[0] % (sizeof(kTargets) / sizeof(kTargets[0]))];
  int mode = data[1] % 3;
  std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
  auto model = models->Find(target.service);
  if (!model.ok()) {
    return 0;
  }
  auto op = (*model)->FindOperation(target.operation);
  if (!op.ok()) {
    return 0;
  }
  size_t newline = text.find('\n');
  std::string first = text.substr(0, newline);
  std::string rest = newline == std::string::npos ? "" : text.substr(newline + 1);
  if (mode == 0) {
    cf::aws::HttpResponse response;
    response.headers = {
        {"Last-Modified", first}, {"Content-Length", first}, {"x-amz-meta-a", first}};
    response.body = rest;
    (void)cf::aws::ParseResponse(**model, **op, response);
  } else if (mode == 1) {
    cf::aws::HttpResponse response;
    response.status = 400;
    response.headers = {{"X-Amzn-Errortype", first}};
    response.body = rest;
    (void)cf::aws::ParseError(**model, **op, response);
  } else {
    cf::aws::HttpRequest request;
    request.method = "GET";
    request.path = first;
    request.headers = {{"X-Amz-Target", first}, {"Range", first}};
    request.body = rest;
    auto routed = cf::aws::RouteRequest(**model, request);
    (void)cf::aws::ParseRequest(**model, routed.ok() ? **routed : **op, request);
  }
  return 0;
}
