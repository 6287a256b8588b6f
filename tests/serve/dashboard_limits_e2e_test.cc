// The dashboard under hostile clients on loopback: trickling (slowloris) and idle connection
// floods must not keep a normal client's /healthz and /api/kpi from answering within a second
// (the client's own timeout), and the server must close them once their time is up; a header
// flood is refused without the server's memory growing; pipelined requests are answered in
// order; the documented 400s; Host names are parsed, not prefix-matched; the bearer scheme is
// case-insensitive. Attackers connect from other loopback addresses (127.0.0.2, ...) so the
// per-client connection limit applies to them and not to the normal client on 127.0.0.1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "serve/dashboard_server.h"
#include "support/process.h"

namespace pizzastream::serve {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using std::chrono::milliseconds;
using namespace std::chrono_literals;

// A TCP connection to 127.0.0.1:port from `source` (another loopback address), or -1.
int Connect(int port, const char* source = "127.0.0.1") {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  timeval timeout{2, 0};  // a send into a full window gives up instead of blocking the test
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool Send(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// True once the server has closed `fd` (EOF or reset); reads and drops what it sent.
bool ClosedByServer(int fd) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

// Everything the server sends on `fd` until it closes it or `deadline` passes.
std::string ReadUntilClosed(int fd, Clock::time_point deadline) {
  std::string out;
  char buffer[4096];
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

// The status codes and bodies of the HTTP/1.1 responses in `text`, in order.
std::vector<std::pair<int, std::string>> Responses(std::string_view text) {
  std::vector<std::pair<int, std::string>> out;
  while (text.starts_with("HTTP/1.")) {
    const size_t end = text.find("\r\n\r\n");
    if (end == std::string_view::npos) break;
    const std::string head(text.substr(0, end));
    const int status = std::stoi(head.substr(9, 3));
    size_t length = 0;
    for (const char* name : {"Content-Length: ", "content-length: "}) {
      if (const size_t at = head.find(name); at != std::string::npos) {
        length = std::stoul(head.substr(at + std::string_view(name).size()));
      }
    }
    if (text.size() < end + 4 + length) break;
    out.emplace_back(status, std::string(text.substr(end + 4, length)));
    text.remove_prefix(end + 4 + length);
  }
  return out;
}

// The normal client: one request on a fresh connection, giving up after one second.
httplib::Result QuickGet(int port, const std::string& path, const httplib::Headers& headers = {}) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1, 0);
  client.set_read_timeout(1, 0);
  client.set_write_timeout(1, 0);
  return client.Get(path.c_str(), headers);
}

void ExpectNormalClientServed(int port) {
  for (const char* path : {"/healthz", "/api/kpi"}) {
    auto res = QuickGet(port, path);
    ASSERT_TRUE(res) << path << " did not answer within 1 s: " << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200) << path;
  }
}

class DashboardLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override { signal(SIGPIPE, SIG_IGN); }

  void StartServer(const HttpLimits& limits, const std::string& token = "") {
    DashboardOptions options;
    options.port = 0;
    options.warehouse_target = dir_ / "warehouse.db";
    options.auth_token = token;
    options.limits = limits;
    server_ = std::make_unique<DashboardServer>(options);
    const Status st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  int port() const { return server_->port(); }

  void TearDown() override {
    for (int fd : sockets_) close(fd);
  }

  testing::TempDir dir_;
  std::unique_ptr<DashboardServer> server_;
  std::vector<int> sockets_;
};

TEST_F(DashboardLimitsTest, TricklingClientsCannotStopOthersAndAreClosedWhenTheirTimeIsUp) {
  HttpLimits limits;
  limits.request_timeout = milliseconds(2000);
  limits.idle_timeout = milliseconds(1000);
  StartServer(limits);
  // 120 slowloris connections from 4 addresses (30 each, under the per-client limit), each
  // sending one header line every 300 ms: never idle long enough for an inactivity timeout.
  for (int i = 0; i < 120; ++i) {
    const std::string source = "127.0.0." + std::to_string(2 + i % 4);
    const int fd = Connect(port(), source.c_str());
    ASSERT_GE(fd, 0) << source;
    sockets_.push_back(fd);
    ASSERT_TRUE(Send(fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  }
  std::vector<bool> closed(sockets_.size(), false);
  const auto deadline = Clock::now() + limits.request_timeout + limits.idle_timeout + 5000ms;
  size_t open = sockets_.size();
  int rounds = 0;
  while (open > 0 && Clock::now() < deadline) {
    for (size_t i = 0; i < sockets_.size(); ++i) {
      if (closed[i]) continue;
      if (ClosedByServer(sockets_[i]) || !Send(sockets_[i], "X-Trickle: 1\r\n")) {
        closed[i] = true;
        --open;
      }
    }
    if (rounds++ < 3) ExpectNormalClientServed(port());
    std::this_thread::sleep_for(300ms);  // the attacker's pace, not a synchronisation
  }
  EXPECT_GE(rounds, 3);
  EXPECT_EQ(open, 0u) << "trickling connections still open after the request timeout";
  ExpectNormalClientServed(port());
}

TEST_F(DashboardLimitsTest, IdleConnectionFloodsCannotStopOthersAndAreClosed) {
  HttpLimits limits;
  limits.idle_timeout = milliseconds(1500);
  StartServer(limits);
  // 300 idle connections: 10 addresses x 30, plus 40 more from one address of which the
  // per-client limit (32) refuses 38 at once.
  for (int i = 0; i < 300; ++i) {
    const std::string source = "127.0.1." + std::to_string(1 + i % 10);
    const int fd = Connect(port(), source.c_str());
    ASSERT_GE(fd, 0);
    sockets_.push_back(fd);
  }
  std::vector<int> greedy;
  for (int i = 0; i < 40; ++i) greedy.push_back(Connect(port(), "127.0.2.1"));
  ExpectNormalClientServed(port());
  // Over the per-client limit: closed at once, while the first 32 stay until idle.
  const auto refusal_deadline = Clock::now() + 5s;
  size_t refused = 0;
  while (Clock::now() < refusal_deadline) {
    refused = 0;
    for (size_t i = 32; i < greedy.size(); ++i) refused += ClosedByServer(greedy[i]) ? 1 : 0;
    if (refused == greedy.size() - 32) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(refused, greedy.size() - 32);
  ExpectNormalClientServed(port());
  // Idle ones are closed once the idle timeout has passed.
  const auto deadline = Clock::now() + limits.idle_timeout + 5s;
  size_t open = sockets_.size();
  while (open > 0 && Clock::now() < deadline) {
    open = 0;
    for (int fd : sockets_) open += ClosedByServer(fd) ? 0 : 1;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(open, 0u);
  for (int fd : greedy) close(fd);
  ExpectNormalClientServed(port());
}

TEST_F(DashboardLimitsTest, OversizedRequestsAreRefusedWithTheirStatus) {
  StartServer(HttpLimits{});
  const auto status_of = [&](const std::string& request) {
    const int fd = Connect(port());
    EXPECT_GE(fd, 0);
    Send(fd, request);
    const auto responses = Responses(ReadUntilClosed(fd, Clock::now() + 5s));
    close(fd);
    return responses.empty() ? 0 : responses.front().first;
  };
  std::string many = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n";
  for (int i = 0; i < 100; ++i) many += "A" + std::to_string(i) + ": x\r\n";
  EXPECT_EQ(status_of(many + "Connection: close\r\n\r\n"), 431);
  EXPECT_EQ(status_of("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " +
                      std::string(9000, 'b') + "\r\n\r\n"),
            431);
  EXPECT_EQ(status_of("GET /healthz?" + std::string(3000, 'q') +
                      " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
            414);
  EXPECT_EQ(status_of("GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n"),
            413);
  EXPECT_EQ(status_of("POST /api/kpi HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                      "Connection: close\r\n\r\n"),
            405);
  EXPECT_EQ(status_of("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  EXPECT_EQ(status_of("NOT HTTP AT ALL\r\n\r\n"), 400);
  ExpectNormalClientServed(port());
}

TEST_F(DashboardLimitsTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer(HttpLimits{});
  const int fd = Connect(port());
  ASSERT_GE(fd, 0);
  sockets_.push_back(fd);
  ASSERT_TRUE(Send(fd,
                   "GET /api/sales?group=hour HTTP/1.1\r\nHost: localhost\r\n\r\n"
                   "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                   "HEAD /api/kpi HTTP/1.1\r\nHost: localhost\r\n\r\n"
                   "GET /api/kpi?size=L&size=L HTTP/1.1\r\nHost: localhost\r\n\r\n"
                   "GET /api/kpi HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
  const std::string text = ReadUntilClosed(fd, Clock::now() + 10s);
  // HEAD's answer has a Content-Length but no body: split it off by hand.
  const size_t head_at = text.find("HTTP/1.1", text.find("\"status\":\"ok\""));
  ASSERT_NE(head_at, std::string::npos) << text;
  auto first = Responses(std::string_view(text).substr(0, head_at));
  ASSERT_EQ(first.size(), 2u) << text;
  EXPECT_EQ(first[0].first, 200);
  EXPECT_EQ(json::parse(first[0].second)["group"], "hour");
  EXPECT_EQ(first[1].first, 200);
  EXPECT_EQ(json::parse(first[1].second)["status"], "ok");
  const size_t head_end = text.find("\r\n\r\n", head_at);
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_TRUE(text.compare(head_at, 15, "HTTP/1.1 200 OK") == 0) << text.substr(head_at, 40);
  auto rest = Responses(std::string_view(text).substr(head_end + 4));
  ASSERT_EQ(rest.size(), 2u) << text;
  EXPECT_EQ(rest[0].first, 400);  // a parameter given twice, even with the same value
  EXPECT_EQ(rest[1].first, 200);
  EXPECT_EQ(json::parse(rest[1].second)["total_orders"], 0);
}

TEST_F(DashboardLimitsTest, TheDocumented400s) {
  StartServer(HttpLimits{});
  for (const char* path : {"/api/kpi?size=L&size=L", "/api/sales?group=day&group=day",
                           "/api/kpi?channel=%zz", "/api/kpi?category=%4", "/api/pipeline?x"}) {
    auto res = QuickGet(port(), path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 400) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
    EXPECT_TRUE(json::parse(res->body)["error"].is_string()) << path;
  }
}

TEST_F(DashboardLimitsTest, HostNamesAreParsedNotPrefixMatched) {
  StartServer(HttpLimits{});
  for (const char* host : {"127.attacker.example", "127.0.0.1.nip.io", "127.0.0.1.nip.io:80",
                           "localhost.attacker.example", "127.1", "[::1].evil", "0x7f.0.0.1"}) {
    auto res = QuickGet(port(), "/api/kpi", {{"Host", host}});
    ASSERT_TRUE(res) << host;
    EXPECT_EQ(res->status, 403) << host;
  }
  for (const char* host : {"127.0.0.1", "127.9.8.7:1234", "localhost", "[::1]:80"}) {
    auto res = QuickGet(port(), "/api/kpi", {{"Host", host}});
    ASSERT_TRUE(res) << host;
    EXPECT_EQ(res->status, 200) << host;
  }
}

TEST_F(DashboardLimitsTest, TheBearerSchemeIsCaseInsensitive) {
  StartServer(HttpLimits{}, "s3cret-token");
  for (const char* scheme : {"Bearer", "bearer", "BEARER"}) {
    auto res =
        QuickGet(port(), "/api/kpi", {{"Authorization", std::string(scheme) + " s3cret-token"}});
    ASSERT_TRUE(res) << scheme;
    EXPECT_EQ(res->status, 200) << scheme;
  }
  auto wrong = QuickGet(port(), "/api/kpi", {{"Authorization", "bearer s3cret-tokeN"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
}

// The resident set of process `pid` in KiB (VmRSS), or -1.
long RssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(DashboardHeaderFloodTest, AHeaderFloodIsRefusedWithoutMemoryGrowth) {
  signal(SIGPIPE, SIG_IGN);
  testing::TempDir dir;
  const std::string out = dir / "serve.out";
  const pid_t pid = testing::StartBackgroundSplit(
      {testing::PizzastreamBinary(), "serve", "--data-dir", dir / "data", "--port", "0"}, out,
      dir / "serve.err");
  int port = 0;
  for (const auto deadline = Clock::now() + 30s; port == 0 && Clock::now() < deadline;) {
    std::ifstream in(out);
    std::string line;
    if (std::getline(in, line) &&
        line.find("dashboard on http://127.0.0.1:") != std::string::npos) {
      port = std::stoi(line.substr(line.rfind(':') + 1));
    } else {
      std::this_thread::sleep_for(50ms);
    }
  }
  ASSERT_GT(port, 0) << "no URL line from serve";
  ExpectNormalClientServed(port);
  const long before = RssKib(pid);
  ASSERT_GT(before, 0);

  // 25 MB of tiny headers ("a:b") in one request, as fast as the server takes them.
  const int fd = Connect(port);
  ASSERT_GE(fd, 0);
  std::string chunk;
  while (chunk.size() < 64 * 1024) chunk += "a:b\r\n";
  size_t sent = 0;
  bool accepted_all = Send(fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  while (accepted_all && sent < 25u * 1024 * 1024) {
    accepted_all = Send(fd, chunk);
    sent += chunk.size();
  }
  const std::string answer = ReadUntilClosed(fd, Clock::now() + 5s);
  close(fd);
  EXPECT_FALSE(accepted_all && answer.empty()) << "the server took 25 MB of headers";
  if (!answer.empty()) {
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 431") << answer.substr(0, 80);
  }
  const long after = RssKib(pid);
  EXPECT_LT(after - before, 8 * 1024) << "RSS grew from " << before << " KiB to " << after;
  ExpectNormalClientServed(port);
  kill(pid, SIGTERM);
  EXPECT_EQ(testing::WaitFor(pid), 128 + SIGTERM);  // stopped by SIGTERM, cleanly
}

}  // namespace
}  // namespace pizzastream::serve
