// libFuzzer target for the HCL lexer, parser and hcl2json printer (built with CF_FUZZ=ON and
// clang). Any input must parse without crashing, hanging or leaking, in all three modes, and
// every diagnostic must point inside the input.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "hcl/hcl_json.h"
#include "hcl/parser.h"

namespace {

constexpr auto kReplace = nlohmann::json::error_handler_t::replace;

void CheckDiagnostics(const cf::hcl::ParseResult& r, size_t size) {
  for (const cf::hcl::Diagnostic& d : r.diagnostics) {
    if (d.start.byte < 0 || static_cast<size_t>(d.end.byte) > size || d.end.byte < d.start.byte ||
        d.start.line < 1 || d.start.column < 1) {
      std::abort();
    }
  }
  (void)cf::hcl::FormatDiagnostics(r.diagnostics, r.file->source());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string src(reinterpret_cast<const char*>(data), size);
  {
    cf::hcl::ParseResult r = cf::hcl::Parse(src, "fuzz.tf");
    CheckDiagnostics(r, size);
    (void)cf::hcl::BodyToHclJson(*r.file).dump(-1, ' ', false, kReplace);
  }
  {
    cf::hcl::ParseResult r = cf::hcl::ParseExpression(src, "fuzz.tf");
    CheckDiagnostics(r, size);
    (void)cf::hcl::ExpressionToHclJson(*r.file, r.file->expression())
        .dump(-1, ' ', false, kReplace);
  }
  {
    cf::hcl::ParseResult r = cf::hcl::ParseTemplate(src, "fuzz.tf");
    CheckDiagnostics(r, size);
  }
  return 0;
}
