#include "cli/builtin_modules.h"

#include <cstdio>
#include <cstdlib>

#include "hcl/parser.h"
#include "modules/wandb/schema.h"
#include "modules/weka/schema.h"

namespace cf::cli {

namespace {

void DecodeSchema(std::string_view text, const char* filename, config::RootModule& out) {
  hcl::ParseResult parsed = hcl::Parse(std::string(text), filename);
  hcl::Diagnostics diags = parsed.diagnostics;
  out.files.push_back(std::move(parsed.file));
  if (!diags.HasErrors()) {
    config::DecodeRootModule(out, diags);
  }
  if (diags.HasErrors()) {
    std::fprintf(stderr, "internal error: built-in module schema %s is invalid:\n%s", filename,
                 hcl::FormatDiagnostics(diags, text).c_str());
    std::abort();
  }
}

}  // namespace

BuiltinModules::BuiltinModules() {
  DecodeSchema(modules::weka::WekaVariablesTf(), "<built-in weka/weka/aws>", weka_schema_);
  DecodeSchema(modules::wandb::WandbVariablesTf(), "<built-in wandb/wandb/aws>", wandb_schema_);
  weka_ = {std::string(modules::weka::kSource), &weka_schema_};
  wandb_ = {std::string(modules::wandb::kSource), &wandb_schema_};
}

const config::ModuleDefinition* BuiltinModules::Find(std::string_view source) const {
  if (source == weka_.source) {
    return &weka_;
  }
  if (source == wandb_.source) {
    return &wandb_;
  }
  return nullptr;
}

config::ModuleLookup BuiltinModules::Lookup() const {
  return [this](std::string_view source) { return Find(source); };
}

}  // namespace cf::cli
