// The dashboard's HTTP/1.1 server: Boost.Beast over an Asio event loop run by a few threads.
// Connections wait in the event loop, not in a thread, so idle or trickling clients cost a
// socket and a small buffer, never a request thread; and everything a client controls is
// bounded (HttpLimits, listed with their values in docs/api.md): connections in total and per
// remote address (over the limit: closed at once), request line and header bytes, header
// count, body bytes, the time to send a request, the idle time of a kept-alive connection and
// the time to take a response. Pipelined requests are answered one by one, in order.
//
// The handler runs on a loop thread and must be thread-safe; it answers GET and HEAD (the
// server sends HEAD answers without their body); other methods get 405 without reaching it.
// Refusals of the server itself (400, 405, 413, 414, 431) carry `default_headers` and a body
// from `error_body`. Start/Stop from one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace pizzastream::serve {

struct HttpLimits {
  size_t max_connections = 512;            // open at once, all clients together
  size_t max_connections_per_client = 32;  // open at once from one remote address
  size_t max_header_bytes = 8 * 1024;      // request line + header fields (else 431)
  size_t max_header_count = 64;            // header fields (else 431)
  size_t max_target_bytes = 2048;          // path + query (else 414)
  size_t max_body_bytes = 4 * 1024;        // request body (else 413)
  // From a request's first byte to its last (else the connection is closed).
  std::chrono::milliseconds request_timeout{10000};
  // A new or kept-alive connection waiting for its next request's first byte.
  std::chrono::milliseconds idle_timeout{5000};
  // To take a whole response.
  std::chrono::milliseconds write_timeout{10000};
};

struct HttpRequest {
  std::string method;         // "GET" or "HEAD"
  std::string path;           // percent-decoded, without the query
  std::string query;          // raw, after '?' (see query_string.h)
  std::string host;           // Host header ("" when absent)
  std::string authorization;  // Authorization header ("" when absent)
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  int port = 0;  // 0: any free port
  int threads = 4;
  HttpLimits limits;
  std::vector<std::pair<std::string, std::string>> default_headers;  // on every response
  std::function<std::string(std::string_view message)>
      error_body;  // body of the server's own refusals
  std::string error_content_type = "application/json";
  std::function<void(const HttpRequest&, HttpResponse&)> handler;
  std::function<void(int status)> on_refused;  // a request the server refused itself
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();  // Stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the loop threads; returns once connections are accepted.
  Status Start();
  // Stops accepting, closes idle connections, lets the requests in flight finish (each
  // bounded by the write timeout) and joins the threads. Idempotent.
  void Stop();
  int port() const;
  // Connections refused by the connection limits since Start.
  size_t refused_connections() const;

  struct Impl;  // named by the .cc's connection type; opaque elsewhere

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pizzastream::serve
