#include "warehouse/postgres_connection.h"

#include <algorithm>
#include <charconv>
#include <pqxx/pqxx>

namespace pizzastream::warehouse {

namespace {

std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned value = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr ==
            text.data() + i + 3) {
      out += static_cast<char>(value);
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

// The password a postgresql:// URL carries, in its user info or as ?password=, or "".
std::string PasswordOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  const size_t query = rest.find('?');
  std::string_view authority = rest.substr(0, std::min(query, rest.find('/')));
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user_info = authority.substr(0, at);
    const size_t colon = user_info.find(':');
    if (colon != std::string_view::npos) return PercentDecoded(user_info.substr(colon + 1));
  }
  if (query == std::string_view::npos) return "";
  std::string_view params = rest.substr(query + 1);
  while (!params.empty()) {
    const std::string_view param = params.substr(0, params.find('&'));
    if (param.starts_with("password=")) return PercentDecoded(param.substr(9));
    params.remove_prefix(std::min(params.size(), param.size() + 1));
  }
  return "";
}

}  // namespace

Status ConnectFailure(std::string_view what, std::string_view message) {
  const auto has = [&](std::string_view part) { return message.find(part) != std::string::npos; };
  // libpq's own words: the server's FATAL 28P01/28000, or the client finding no password.
  if (has("password authentication failed") || has("authentication failed") ||
      has("no password supplied") || has("SASL authentication")) {
    return Status::IOError("postgresql ", what, ": authentication failed: ", message);
  }
  if (has("SSL") || has("certificate")) {
    return Status::IOError("postgresql ", what, ": TLS connection refused: ", message);
  }
  return Status::IOError("postgresql ", what, ": cannot connect: ", message);
}

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

std::unique_ptr<PostgresConnection> PostgresConnection::Make(const std::string& url) {
  return std::unique_ptr<PostgresConnection>(
      new PostgresConnection(ConninfoWithDefaults(url), PasswordOf(url)));
}

PostgresConnection::PostgresConnection(std::string conninfo, std::string password)
    : conninfo_(std::move(conninfo)), password_(std::move(password)) {}

PostgresConnection::~PostgresConnection() = default;

std::string PostgresConnection::Redact(std::string_view message) const {
  return OneLineRedacted(message, password_);
}

Status PostgresConnection::Run(std::string_view what, const Work& fn) {
  if (conn_ != nullptr && !conn_->is_open()) conn_.reset();
  if (conn_ == nullptr) {
    // A failure here is never a lost connection: name what went wrong (authentication, TLS).
    try {
      conn_ = std::make_unique<pqxx::connection>(conninfo_);
    } catch (const std::exception& e) {
      conn_.reset();
      return ConnectFailure(what, Redact(e.what()));
    }
  }
  try {
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
