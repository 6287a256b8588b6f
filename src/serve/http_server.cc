#include "serve/http_server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "serve/connection_limits.h"
#include "serve/query_string.h"

namespace pizzastream::serve {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

constexpr size_t kReadChunk = 4096;
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

class Session;

}  // namespace

struct HttpServer::Impl {
  explicit Impl(HttpServerOptions o)
      : options(std::move(o)),
        limits(options.limits.max_connections, options.limits.max_connections_per_client) {}

  void Accept();
  void Admit(tcp::socket socket);

  HttpServerOptions options;
  ConnectionLimits limits;
  net::io_context ioc;
  tcp::acceptor acceptor{net::make_strand(ioc)};
  net::steady_timer accept_retry{acceptor.get_executor()};
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  int port = 0;
  bool started = false;

  std::mutex sessions_mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

namespace {

// One connection: wait (idle timeout) -> read a request (request timeout, parser limits) ->
// answer (write timeout) -> again while kept alive. All its work runs on its own strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server, std::string client)
      : stream_(std::move(socket)),
        server_(server),
        limits_(server.options.limits),
        client_(std::move(client)),
        buffer_(limits_.max_header_bytes + limits_.max_body_bytes + kReadChunk) {}

  ~Session() {
    server_.limits.Release(client_);
    std::lock_guard lock(server_.sessions_mu);
    server_.sessions.erase(this);
  }

  void Start() {
    {
      std::lock_guard lock(server_.sessions_mu);
      server_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
  }

  // From Stop: a connection waiting for or reading a request ends; one being answered finishes
  // its answer first (WaitForRequest then sees `stopping`).
  void Interrupt() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->reading_) self->stream_.cancel();
    });
  }

 private:
  void WaitForRequest() {
    if (server_.stopping) return Close();
    if (buffer_.size() > 0) return ReadRequest();  // a pipelined request is already here
    stream_.expires_after(limits_.idle_timeout);
    reading_ = true;
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->reading_ = false;
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadRequest();
                            });
  }

  void ReadRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    parser_->body_limit(limits_.max_body_bytes);
    stream_.expires_after(limits_.request_timeout);
    reading_ = true;
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, size_t) {
                       self->reading_ = false;
                       self->OnRequest(ec);
                     });
  }

  void OnRequest(error_code ec) {
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      return Refuse(http::status::request_header_fields_too_large,
                    "request line and header fields too large");
    }
    if (ec == http::error::body_limit) {
      return Refuse(http::status::payload_too_large, "request body too large");
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return Close();
    if (ec && ec.category() == make_error_code(http::error::bad_method).category()) {
      return Refuse(http::status::bad_request, "malformed HTTP request");
    }
    if (ec) return Close();  // timed out, reset, or interrupted by Stop

    const auto& req = parser_->get();
    version_ = req.version();
    if (static_cast<size_t>(std::distance(req.begin(), req.end())) > limits_.max_header_count) {
      return Refuse(http::status::request_header_fields_too_large, "too many header fields");
    }
    const std::string_view target(req.target().data(), req.target().size());
    if (target.size() > limits_.max_target_bytes) {
      return Refuse(http::status::uri_too_long, "request target too long");
    }
    if (!target.starts_with('/') || req.count(http::field::host) > 1 ||
        req.count(http::field::authorization) > 1) {
      return Refuse(http::status::bad_request, "malformed HTTP request");
    }
    const bool head = req.method() == http::verb::head;
    if (req.method() != http::verb::get && !head) {
      return Refuse(http::status::method_not_allowed, "only GET and HEAD are served",
                    req.keep_alive());
    }
    const size_t question = target.find('?');
    auto path = PercentDecode(target.substr(0, question), false);
    if (!path.ok()) return Refuse(http::status::bad_request, path.status().message());

    HttpRequest request;
    request.method = head ? "HEAD" : "GET";
    request.path = std::move(*path);
    if (question != std::string_view::npos) request.query = target.substr(question + 1);
    const auto host = req[http::field::host];
    const auto authorization = req[http::field::authorization];
    request.host.assign(host.data(), host.size());
    request.authorization.assign(authorization.data(), authorization.size());
    HttpResponse out;
    try {
      server_.options.handler(request, out);
    } catch (const std::exception& e) {
      spdlog::error("serve: {}: {}", request.path, e.what());
      out = HttpResponse{500,
                         server_.options.error_content_type,
                         server_.options.error_body("internal error"),
                         {}};
    }
    Send(out.status, out.content_type, std::move(out.body), out.headers, req.keep_alive(), head);
  }

  // Answers a request the server refuses itself; closes afterwards unless `keep_alive`.
  void Refuse(http::status status, std::string_view message, bool keep_alive = false) {
    if (server_.options.on_refused) server_.options.on_refused(static_cast<int>(status));
    std::vector<std::pair<std::string, std::string>> extra;
    if (status == http::status::method_not_allowed) extra.emplace_back("Allow", "GET, HEAD");
    Send(static_cast<int>(status), server_.options.error_content_type,
         server_.options.error_body(message), extra, keep_alive, false);
  }

  void Send(int status, const std::string& content_type, std::string body,
            const std::vector<std::pair<std::string, std::string>>& headers, bool keep_alive,
            bool head) {
    response_.emplace();
    auto& res = *response_;
    res.version(version_);
    res.result(static_cast<unsigned>(status));
    for (const auto& [name, value] : server_.options.default_headers) res.set(name, value);
    for (const auto& [name, value] : headers) res.set(name, value);
    if (!content_type.empty()) res.set(http::field::content_type, content_type);
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    if (head) res.body().clear();  // Content-Length stays that of the GET answer
    stream_.expires_after(limits_.write_timeout);
    http::async_write(stream_, res, [self = shared_from_this(), keep_alive](error_code ec, size_t) {
      if (ec || !keep_alive) return self->Close();
      self->response_.reset();
      self->WaitForRequest();
    });
  }

  void Close() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  const HttpLimits& limits_;
  const std::string client_;
  beast::flat_buffer buffer_;  // bounded: a request's header and body limits plus one read
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  unsigned version_ = 11;
  bool reading_ = false;
};

void RunLoop(net::io_context& ioc) {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("serve: HTTP loop: {}", e.what());
    }
  }
}

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](error_code ec, tcp::socket socket) {
    if (stopping || ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors or similar: pause instead of spinning on the error.
      spdlog::warn("serve: cannot accept a connection: {}", ec.message());
      accept_retry.expires_after(kAcceptRetry);
      accept_retry.async_wait([this](error_code e) {
        if (!e && !stopping) Accept();
      });
      return;
    }
    Admit(std::move(socket));
    Accept();
  });
}

void HttpServer::Impl::Admit(tcp::socket socket) {
  error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  std::string client = remote.address().to_string();
  if (!limits.TryAdmit(client)) {
    spdlog::debug("serve: connection from {} refused (connection limit)", client);
    socket.close(ec);
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);  // else Nagle + delayed ACK add 40 ms
  std::make_shared<Session>(std::move(socket), *this, std::move(client))->Start();
}

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  Impl& s = *impl_;
  if (s.started) return Status::Invalid("HTTP server already started");
  const auto cannot_listen = [&](const error_code& ec) {
    return Status::IOError("cannot listen on ", s.options.bind_address, ":", s.options.port, " (",
                           ec.message(), ")");
  };
  error_code ec;
  tcp::endpoint endpoint;
  const net::ip::address address = net::ip::make_address(s.options.bind_address, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, static_cast<unsigned short>(s.options.port));
  } else {  // a host name such as localhost
    tcp::resolver resolver(s.ioc);
    auto results = resolver.resolve(s.options.bind_address, std::to_string(s.options.port),
                                    tcp::resolver::passive, ec);
    if (ec || results.empty()) return cannot_listen(ec);
    endpoint = results.begin()->endpoint();
  }
  s.ioc.restart();
  s.stopping = false;
  if (s.acceptor.open(endpoint.protocol(), ec); ec) return cannot_listen(ec);
  // SO_REUSEADDR only (not SO_REUSEPORT): a second server must not share the port.
  s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (s.acceptor.bind(endpoint, ec); ec) {
    s.acceptor.close(ec);
    return Status::IOError("cannot listen on ", s.options.bind_address, ":", s.options.port,
                           " (address in use or not available)");
  }
  if (s.acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
    s.acceptor.close(ec);
    return cannot_listen(ec);
  }
  s.port = s.acceptor.local_endpoint(ec).port();
  s.Accept();
  const int threads = std::max(s.options.threads, 1);
  for (int i = 0; i < threads; ++i) s.threads.emplace_back([&s] { RunLoop(s.ioc); });
  s.started = true;
  return Status::OK();
}

void HttpServer::Stop() {
  Impl& s = *impl_;
  if (!s.started) return;
  s.stopping = true;
  net::post(s.acceptor.get_executor(), [&s] {
    error_code ignored;
    s.acceptor.close(ignored);
    s.accept_retry.cancel();
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(s.sessions_mu);
    for (auto& [raw, weak] : s.sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) session->Interrupt();
  live.clear();  // outside the lock: the last reference may destroy a session
  for (auto& thread : s.threads) thread.join();
  s.threads.clear();
  s.started = false;
}

int HttpServer::port() const { return impl_->port; }

size_t HttpServer::refused_connections() const { return impl_->limits.refused(); }

}  // namespace pizzastream::serve
