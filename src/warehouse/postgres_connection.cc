#include "warehouse/postgres_connection.h"

#include <libpq-fe.h>

#include <pqxx/pqxx>

namespace pizzastream::warehouse {

namespace {

// The connection options libpq parses from `url`, or the parse error.
Result<std::string> PasswordOf(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    return Status::Invalid("postgresql: invalid connection URL: ", OneLineRedacted(message, ""));
  }
  std::string password;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val != nullptr) password = o->val;
  }
  PQconninfoFree(options);
  return password;
}

}  // namespace

std::string ConninfoWithDefaults(const std::string& url) {
  std::string conninfo = url;
  auto add = [&](std::string_view key, std::string_view value) {
    if (conninfo.find(std::string(key) + "=") != std::string::npos) return;
    conninfo += conninfo.find('?') == std::string::npos ? '?' : '&';
    conninfo.append(key).append("=").append(value);
  };
  add("fallback_application_name", "pizzastream");
  add("connect_timeout", "10");
  return conninfo;
}

std::string OneLineRedacted(std::string_view message, std::string_view secret) {
  std::string text(message);
  if (!secret.empty()) {
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  std::string line;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (line.empty() || line.back() == ' ')) continue;
    line += c;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::Make(const std::string& url) {
  ARROW_ASSIGN_OR_RAISE(std::string password, PasswordOf(url));
  return std::unique_ptr<PostgresConnection>(
      new PostgresConnection(ConninfoWithDefaults(url), std::move(password)));
}

PostgresConnection::PostgresConnection(std::string conninfo, std::string password)
    : conninfo_(std::move(conninfo)), password_(std::move(password)) {}

PostgresConnection::~PostgresConnection() = default;

std::string PostgresConnection::Redact(std::string_view message) const {
  return OneLineRedacted(message, password_);
}

Status PostgresConnection::Run(std::string_view what, const Work& fn) {
  try {
    if (conn_ != nullptr && !conn_->is_open()) conn_.reset();
    if (conn_ == nullptr) conn_ = std::make_unique<pqxx::connection>(conninfo_);
    return fn(*conn_);
  } catch (const pqxx::broken_connection& e) {
    conn_.reset();
    return Status::IOError("postgresql ", what, ": connection lost: ", Redact(e.what()));
  } catch (const std::exception& e) {
    if (conn_ != nullptr && !conn_->is_open()) conn_.reset();
    return Status::IOError("postgresql ", what, ": ", Redact(e.what()));
  }
}

Status PostgresConnection::RunRepeatable(std::string_view what, const Work& fn) {
  const bool reused = conn_ != nullptr && conn_->is_open();
  Status st = Run(what, fn);
  if (!st.ok() && reused && conn_ == nullptr) st = Run(what, fn);
  return st;
}

}  // namespace pizzastream::warehouse
