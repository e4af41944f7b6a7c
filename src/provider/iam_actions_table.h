#pragma once

// The text of the IAM actions table (format in iam_actions_table.cc); parsed by iam_actions.cc.

#include <string_view>

namespace cf::provider {

std::string_view IamActionsTable();

}  // namespace cf::provider
