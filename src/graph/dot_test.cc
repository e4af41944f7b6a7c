#include "graph/dot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>

namespace cf::graph {
namespace {

ResourceInstance Make(const std::string& module, const std::string& type, const std::string& name,
                      std::vector<std::string> depends_on = {}, InstanceKey key = {},
                      ResourceMode mode = ResourceMode::kManaged) {
  ResourceInstance instance;
  instance.module = module;
  instance.mode = mode;
  instance.type = type;
  instance.name = name;
  instance.key = std::move(key);
  instance.values = hcl::Value::EmptyObject();
  instance.depends_on = std::move(depends_on);
  return instance;
}

// A small WEKA-like deployment: a VPC, two subnets, an ASG on a launch template, a data source.
DesiredState SmallState() {
  DesiredState desired;
  Expansion weka;
  weka.instances = {
      Make("module.weka", "aws_region", "current", {}, {}, ResourceMode::kData),
      Make("module.weka", "aws_vpc", "this"),
      Make("module.weka", "aws_subnet", "this", {"module.weka.aws_vpc.this"},
           InstanceKey::Index(0)),
      Make("module.weka", "aws_subnet", "this", {"module.weka.aws_vpc.this"},
           InstanceKey::Index(1)),
      Make("module.weka", "aws_launch_template", "backend",
           {"module.weka.data.aws_region.current"}),
      Make("module.weka", "aws_autoscaling_group", "backend",
           {"module.weka.aws_launch_template.backend", "module.weka.aws_subnet.this[0]"}),
  };
  desired.modules.push_back(std::move(weka));
  Expansion wandb;
  wandb.instances = {
      Make("module.wandb-prod", "aws_s3_bucket", "file_storage", {}, InstanceKey::String("a\"b")),
  };
  desired.modules.push_back(std::move(wandb));
  return desired;
}

// A minimal checker of the DOT that ToDot writes: tokens are quoted strings, words, braces,
// brackets, '=', ',', ';' and "->"; braces balance; every statement ends with ';'. Returns the
// error, or "" when well-formed.
std::string CheckWellFormed(const std::string& dot) {
  size_t i = 0;
  int depth = 0;
  std::vector<std::string> statement;
  bool in_attributes = false;
  auto skip_space = [&] {
    while (i < dot.size() && std::isspace(static_cast<unsigned char>(dot[i]))) {
      i++;
    }
  };
  skip_space();
  if (dot.compare(0, 7, "digraph") != 0) {
    return "does not start with digraph";
  }
  i += 7;
  while (true) {
    skip_space();
    if (i >= dot.size()) {
      break;
    }
    char c = dot[i];
    if (c == '"') {
      size_t j = i + 1;
      while (j < dot.size() && dot[j] != '"') {
        j += dot[j] == '\\' ? 2 : 1;
      }
      if (j >= dot.size()) {
        return "unterminated string";
      }
      statement.push_back(dot.substr(i, j + 1 - i));
      i = j + 1;
    } else if (c == '{') {
      depth++;
      statement.clear();
      i++;
    } else if (c == '}') {
      if (!statement.empty()) {
        return "statement without ';' before '}'";
      }
      depth--;
      if (depth < 0) {
        return "unbalanced '}'";
      }
      i++;
    } else if (c == '[') {
      in_attributes = true;
      i++;
    } else if (c == ']') {
      if (!in_attributes) {
        return "unbalanced ']'";
      }
      in_attributes = false;
      i++;
    } else if (c == ';') {
      if (in_attributes || statement.empty()) {
        return "empty statement or ';' inside attributes";
      }
      statement.clear();
      i++;
    } else if (dot.compare(i, 2, "->") == 0) {
      statement.push_back("->");
      i += 2;
    } else if (c == '=' || c == ',') {
      statement.push_back(std::string(1, c));
      i++;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < dot.size() &&
             (std::isalnum(static_cast<unsigned char>(dot[j])) || dot[j] == '_')) {
        j++;
      }
      statement.push_back(dot.substr(i, j - i));
      i = j;
    } else {
      return std::string("unexpected character '") + c + "'";
    }
  }
  return depth == 0 ? "" : "unbalanced '{'";
}

TEST(DotTest, FoldsInstancesIntoBlocksWithCounts) {
  std::string dot = ToDot(SmallState());
  EXPECT_EQ(CheckWellFormed(dot), "");
  EXPECT_THAT(dot, testing::HasSubstr("  subgraph cluster_module_weka {\n    label = "
                                      "\"module.weka\";\n"));
  EXPECT_THAT(dot, testing::HasSubstr("subgraph cluster_module_wandb_prod {"));
  EXPECT_THAT(dot, testing::HasSubstr("    \"module.weka.aws_subnet.this\" [label = "
                                      "\"aws_subnet.this (2 instances)\"];\n"));
  EXPECT_THAT(dot, testing::HasSubstr("    \"module.weka.data.aws_region.current\" [label = "
                                      "\"data.aws_region.current\", shape = \"note\"];\n"));
  EXPECT_THAT(dot, testing::HasSubstr("  \"module.weka.aws_autoscaling_group.backend\" -> "
                                      "\"module.weka.aws_subnet.this\";\n"));
  EXPECT_THAT(dot, testing::HasSubstr("  \"module.weka.aws_subnet.this\" -> "
                                      "\"module.weka.aws_vpc.this\";\n"));
  // Two subnet instances depend on the VPC: one edge between the folded nodes.
  EXPECT_EQ(dot.find("\"module.weka.aws_subnet.this\" -> \"module.weka.aws_vpc.this\""),
            dot.rfind("\"module.weka.aws_subnet.this\" -> \"module.weka.aws_vpc.this\""));
}

TEST(DotTest, ListsEveryEdgeInOrder) {
  std::string dot = ToDot(SmallState());
  std::vector<std::string> edges;
  size_t pos = 0;
  while ((pos = dot.find(" -> ", pos)) != std::string::npos) {
    size_t start = dot.rfind('\n', pos) + 1;
    size_t end = dot.find('\n', pos);
    edges.push_back(dot.substr(start, end - start));
    pos = end;
  }
  EXPECT_THAT(edges, testing::ElementsAre(
                         "  \"module.weka.aws_autoscaling_group.backend\" -> "
                         "\"module.weka.aws_launch_template.backend\";",
                         "  \"module.weka.aws_autoscaling_group.backend\" -> "
                         "\"module.weka.aws_subnet.this\";",
                         "  \"module.weka.aws_launch_template.backend\" -> "
                         "\"module.weka.data.aws_region.current\";",
                         "  \"module.weka.aws_subnet.this\" -> \"module.weka.aws_vpc.this\";"));
}

TEST(DotTest, OneNodePerInstanceOnRequestWithEscapedKeys) {
  std::string dot = ToDot(SmallState(), {.instances = true});
  EXPECT_EQ(CheckWellFormed(dot), "");
  EXPECT_THAT(dot, testing::HasSubstr("\"module.weka.aws_subnet.this[0]\" [label = "
                                      "\"aws_subnet.this[0]\"];"));
  EXPECT_THAT(dot, testing::HasSubstr("\"module.weka.aws_subnet.this[1]\" -> "
                                      "\"module.weka.aws_vpc.this\";"));
  EXPECT_THAT(dot, testing::HasSubstr("\"module.weka.aws_autoscaling_group.backend\" -> "
                                      "\"module.weka.aws_subnet.this[0]\";"));
  EXPECT_THAT(dot, testing::Not(testing::HasSubstr("-> \"module.weka.aws_subnet.this[1]\"")));
  // The for_each key a"b: HCL escapes it in the address, DOT escapes it again.
  EXPECT_THAT(dot,
              testing::HasSubstr(R"("module.wandb-prod.aws_s3_bucket.file_storage[\"a\\\"b\"]")"));
}

TEST(DotTest, SameStateSameText) {
  DesiredState reordered = SmallState();
  std::reverse(reordered.modules[0].instances.begin(), reordered.modules[0].instances.end());
  EXPECT_EQ(ToDot(SmallState()), ToDot(reordered));
}

TEST(DotTest, RootResourcesAreOutsideClusters) {
  DesiredState desired;
  Expansion root;
  root.instances = {Make("", "aws_vpc", "main")};
  desired.modules.push_back(std::move(root));
  EXPECT_EQ(ToDot(desired),
            "digraph {\n  compound = true;\n  rankdir = \"RL\";\n  node [shape = \"box\"];\n"
            "  \"aws_vpc.main\" [label = \"aws_vpc.main\"];\n}\n");
}

}  // namespace
}  // namespace cf::graph
