// One libpqxx connection to the PostgreSQL warehouse, opened lazily and reopened after it
// breaks (e.g. the server restarted), with every libpqxx exception turned into a Status at this
// boundary. The URL may carry a password: it never appears in messages (libpq also reads
// PGPASSWORD or a passfile itself). TLS is libpq's: sslmode=verify-full&sslrootcert=CA in the
// URL (scripts/postgres prints such a URL) verifies the server's chain and name. A failure to
// connect is reported as such (authentication, TLS), never as a lost connection. Not
// thread-safe: one per thread.
#pragma once

#include <functional>
#include <memory>
#include <pqxx/connection>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pizzastream::warehouse {

class PostgresConnection {
 public:
  // `url`: a libpq connection URI (postgresql://...). Does not connect: the first Run does,
  // and reports a malformed URL too.
  static std::unique_ptr<PostgresConnection> Make(const std::string& url);
  ~PostgresConnection();
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  using Work = std::function<Status(pqxx::connection&)>;

  // Runs `fn` on an open connection, connecting first if needed, and returns its Status. Any
  // exception becomes "postgresql <what>: <one-line message>"; a connection found broken is
  // dropped, so the next Run connects again.
  Status Run(std::string_view what, const Work& fn);

  // Like Run, for work that is safe to repeat (reads): when a connection left open by an
  // earlier call turns out broken (e.g. the server restarted since), reconnects and runs `fn`
  // once more instead of failing.
  Status RunRepeatable(std::string_view what, const Work& fn);

 private:
  PostgresConnection(std::string conninfo, std::string password);
  std::string Redact(std::string_view message) const;

  std::string conninfo_;  // the URL plus defaults such as application_name
  std::string password_;  // from the URL (may be empty): only to blank it out of messages
  std::unique_ptr<pqxx::connection> conn_;
};

// libpq connection URI `url` with `fallback_application_name` and `connect_timeout` added
// unless the URL sets them.
std::string ConninfoWithDefaults(const std::string& url);

// The Status for a failed connection attempt: "postgresql <what>: authentication failed: ..."
// for a wrong or missing password, "TLS connection refused: ..." for a TLS failure (e.g. a
// certificate that does not verify under sslmode=verify-full), else "cannot connect: ...".
// `message` is libpq's, already redacted.
Status ConnectFailure(std::string_view what, std::string_view message);

// `message` on one line (newlines and tabs folded, runs of spaces collapsed, trimmed), with
// every occurrence of `secret` (when not empty) replaced by "***".
std::string OneLineRedacted(std::string_view message, std::string_view secret);

}  // namespace pizzastream::warehouse
