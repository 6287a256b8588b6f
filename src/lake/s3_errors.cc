#include "lake/s3_errors.h"

#include <arrow/status.h>

#include <memory>

namespace pizzastream::lake {

namespace {

class S3ErrorDetail final : public arrow::StatusDetail {
 public:
  explicit S3ErrorDetail(const char* kind) : kind_(kind) {}
  const char* type_id() const override { return "pizzastream::lake::S3ErrorDetail"; }
  std::string ToString() const override { return kind_; }

 private:
  const char* kind_;
};

constexpr const char* kUnreachable = "S3 store unreachable";
constexpr const char* kUnauthorized = "S3 credentials refused";

}  // namespace

Status S3Unreachable(const std::string& message) {
  return Status(arrow::StatusCode::IOError, message, std::make_shared<S3ErrorDetail>(kUnreachable));
}

Status S3Unauthorized(const std::string& message) {
  return Status(arrow::StatusCode::IOError, message,
                std::make_shared<S3ErrorDetail>(kUnauthorized));
}

bool IsUnreachable(const Status& status) {
  const auto& detail = status.detail();
  return detail != nullptr &&
         std::string_view(detail->type_id()) == "pizzastream::lake::S3ErrorDetail" &&
         detail->ToString() == kUnreachable;
}

}  // namespace pizzastream::lake
