#pragma once

// EventBridge schedule expressions: "rate(N unit)" (minute(s), hour(s), day(s); singular
// exactly when N is 1) and "cron(minutes hours day-of-month month day-of-week year)" with
// '*', '?', lists, ranges and "/step" (L, W and # are refused), in UTC.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace cf::cloud::events {

class Schedule {
 public:
  // InvalidArgument ("Parameter ScheduleExpression is not valid.") when `text` is neither.
  static Result<Schedule> Parse(const std::string& text);

  // The first firing time strictly after `after`. For rates: `anchor` + k * period.
  std::chrono::system_clock::time_point Next(std::chrono::system_clock::time_point anchor,
                                             std::chrono::system_clock::time_point after) const;
  bool is_rate() const { return rate_.count() > 0; }
  std::chrono::seconds rate() const { return rate_; }

 private:
  std::chrono::seconds rate_{0};
  // cron: allowed values per field (minute, hour, dom, month, dow 1-7 Sunday=1, year).
  std::vector<std::vector<bool>> allowed_;
  bool dom_any_ = true;
  bool dow_any_ = true;
};

}  // namespace cf::cloud::events
