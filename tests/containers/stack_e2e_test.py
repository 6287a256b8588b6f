#!/usr/bin/env python3
"""compose.yaml brought up for real with stand-in images (ctest label `containers`).

No container registry here, so the third-party services run as stand-ins built from what the
project already uses (`scripts/containers standins`: Debian's PostgreSQL, Kafka's Maven Central
jars, versitygw for MinIO and mc), tagged with the names compose.yaml uses; pizzastream's image
is built from this build's binary (`scripts/containers image-from`). Then, on the unchanged
compose.yaml, with a generated .env, a project name of its own and loopback ports:
  * `scripts/containers up` (depends_on order, health checks polled) brings every service up
    and healthy, the bucket job exits 0, the pipeline runs as a non-root user;
  * the pipeline service's synthetic stream (PIZZASTREAM_COUNT records, PIZZASTREAM_SEED) reaches
    PostgreSQL: `kpi --json` gives exactly what an independent oracle computes from the CSV
    `generate` makes with the same seed and count; the lake is in the S3 server's bucket;
  * the dashboard answers /healthz, refuses /api/kpi without the token and gives the same
    figures with it, from the host;
  * `down` keeps the named volumes: after `up` the figures are there at once, and a drained
    re-run of the same stream (`run ... --exit-when-idle`) changes nothing (nothing lost, nothing
    counted twice);
  * `down -v` removes containers, volumes and network; the test removes its tags.
Prints the time of each phase. Usage: stack_e2e_test.py SOURCE_DIR PIZZASTREAM_BINARY
"""
import json
import os
import secrets
import sys
import tempfile
import time
import urllib.error
import urllib.request

from containers_support import CONTAINERS, expect, failures, free_port, oracle, sh

BINARY = os.path.abspath(sys.argv[2])
RUN_ID = secrets.token_hex(4)
PROJECT = f"pizzastream-stack-{RUN_ID}"
IMAGE = f"localhost/pizzastream-stacktest:{RUN_ID}"
COUNT, SEED = 20000, 1000 + secrets.randbelow(1000)
NAMED_VOLUMES = ["kafka-data", "minio-data", "postgres-data", "pizzastream-data"]
KPI_KEYS = ("total_revenue", "total_orders", "total_pizzas_sold", "avg_order_value",
            "avg_pizzas_per_order", "avg_orders_per_day", "top_pizza_by_revenue")


class Phases:
    def __init__(self):
        self.t, self.times = time.monotonic(), []

    def done(self, name):
        now = time.monotonic()
        self.times.append(f"{name} {now - self.t:.0f} s")
        print(f"time: {name} {now - self.t:.0f} s", flush=True)
        self.t = now


def http(url, token=None):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError as e:
        return None, str(e)


class Stack:
    def __init__(self, env_file):
        self.opts = ["-p", PROJECT, "--env-file", env_file]

    def compose(self, *args, **kw):
        return sh(CONTAINERS, "compose", *self.opts, *args, **kw)

    def up(self):
        sh(CONTAINERS, "up", *self.opts, capture=False)

    def container(self, service):
        ids = sh("podman", "ps", "-a", "-q", "--filter", f"label=com.docker.compose.project={PROJECT}",
                 "--filter", f"label=com.docker.compose.service={service}").stdout.split()
        return ids[0] if ids else None

    def kpi(self):
        r = sh("podman", "exec", self.container("pipeline"), "pizzastream", "kpi", "--json", check=False)
        return json.loads(r.stdout) if r.returncode == 0 and r.stdout.strip() else None


def check_figures(got, want, when):
    for k in KPI_KEYS:
        expect(got.get(k) == want[k], f"{when}: kpi {k}: {got.get(k)} == {want[k]}")
    rows = got.get("rows", {})
    for k in ("received", "duplicates", "silver"):
        expect(rows.get(k) == want[k], f"{when}: kpi rows.{k}: {rows.get(k)} == {want[k]}")
    expect(rows.get("rejected") == 0 and rows.get("fact") == want["silver"], f"{when}: rows {rows}")


def check_dashboard(port, token, got, when):
    status, body = http(f"http://127.0.0.1:{port}/healthz")
    expect(status == 200, f"{when}: dashboard /healthz from the host: {status} {body[:100]}")
    status, _ = http(f"http://127.0.0.1:{port}/api/kpi")
    expect(status == 401, f"{when}: /api/kpi without the token is refused: {status}")
    status, body = http(f"http://127.0.0.1:{port}/api/kpi", token)
    api = json.loads(body) if status == 200 else {}
    expect(status == 200 and all(api.get(k) == got.get(k) for k in KPI_KEYS),
           f"{when}: /api/kpi with the token, from the host, has the same figures: {status} {body[:200]}")


def wait_for_stream(stack, want, deadline_s=600):
    deadline, got = time.monotonic() + deadline_s, None
    while time.monotonic() < deadline:
        got = stack.kpi()
        if got and got.get("rows", {}).get("fact") == want["silver"]:
            return got
        time.sleep(1)
    raise SystemExit(f"FAILED: the pipeline service did not load {want['silver']} lines within {deadline_s} s: {got}")


def run_stack(env_file, port, token, phases):
    stack = Stack(env_file)
    csv_text = sh("podman", "run", "--rm", "--entrypoint", "sh", IMAGE, "-c",
                  f"pizzastream generate --output /tmp/orders.csv --count {COUNT} --seed {SEED} >/dev/null"
                  " && cat /tmp/orders.csv").stdout
    want = oracle(csv_text)
    expect(want["received"] == COUNT, f"generate made {want['received']} lines")

    stack.up()
    phases.done("up (cold stack)")
    for service in ("kafka", "minio", "postgres", "dashboard"):
        cid = stack.container(service)
        health = sh("podman", "inspect", "--format", "{{.State.Health.Status}}", cid, check=False).stdout.strip()
        expect(health == "healthy", f"{service} is healthy ({health})")
    init = sh("podman", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", stack.container("minio-init")).stdout.split()
    expect(init == ["exited", "0"], f"minio-init made the bucket and exited 0 ({init})")
    uid = sh("podman", "exec", stack.container("pipeline"), "id", "-u").stdout.strip()
    expect(uid not in ("", "0"), f"the pipeline runs as uid {uid}")

    got = wait_for_stream(stack, want)
    phases.done(f"pipeline service: {COUNT} generated lines into PostgreSQL")
    check_figures(got, want, "pipeline service")
    check_dashboard(port, token, got, "first up")
    lake = sh("podman", "exec", stack.container("minio"), "find", "/data/buckets/lakehouse", "-name", "_delta_log").stdout.split()
    expect(len(lake) >= 3, f"the lake's Delta tables are in the S3 server's bucket lakehouse: {lake}")

    stack.compose("down")
    left = set(sh("podman", "volume", "ls", "--format", "{{.Name}}").stdout.split())
    for v in NAMED_VOLUMES:
        expect(f"{PROJECT}_{v}" in left, f"`down` keeps volume {v}")
    expect(stack.container("pipeline") is None, "`down` removed the containers")
    phases.done("down")
    stack.up()
    phases.done("up again (warm)")
    status, body = http(f"http://127.0.0.1:{port}/api/kpi", token)
    api = json.loads(body) if status == 200 else {}
    expect(all(api.get(k) == got[k] for k in KPI_KEYS), f"after down/up the warehouse still has the figures: {body[:200]}")
    # The pipeline service resumed; stop it and drain the same stream to the end: nothing re-sent,
    # nothing lost.
    stack.compose("stop", "pipeline")
    stack.compose("run", "--rm", "--no-deps", "-T", "pipeline", "run", "--generate", "--rate", "0", "--partitions", "3",
                  "--count", str(COUNT), "--seed", str(SEED), "--exit-when-idle", "--quiet", capture=False)
    stack.compose("start", "pipeline")
    got2 = stack.kpi()
    check_figures(got2 or {}, want, "after down/up and a drained re-run")
    check_dashboard(port, token, got2 or {}, "after down/up")
    phases.done("restart checks")


def main():
    phases = Phases()
    sh(CONTAINERS, "image-from", BINARY, IMAGE, capture=False)
    phases.done("pizzastream image from the build's binary")
    sh(CONTAINERS, "standins", capture=False)
    phases.done("stand-in images")
    port, token = free_port(), secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as tmp:
        env_file = os.path.join(tmp, "stack.env")
        with open(os.open(env_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write("\n".join([
                "POSTGRES_USER=pizzastream", "POSTGRES_DB=pizzastream",
                f"POSTGRES_PASSWORD={secrets.token_urlsafe(24)}",
                "MINIO_ROOT_USER=pizzastream", f"MINIO_ROOT_PASSWORD={secrets.token_urlsafe(24)}",
                f"PIZZASTREAM_AUTH_TOKEN={token}", f"PIZZASTREAM_IMAGE={IMAGE}",
                "PIZZASTREAM_RATE=0", f"PIZZASTREAM_COUNT={COUNT}", f"PIZZASTREAM_SEED={SEED}",
                f"DASHBOARD_PORT={port}", f"MINIO_CONSOLE_PORT={free_port()}", ""]))
        stack = Stack(env_file)
        try:
            run_stack(env_file, port, token, phases)
        finally:
            r = stack.compose("down", "-v", check=False)
            expect(r.returncode == 0, f"down -v exits 0 {r.stderr[-300:] if r.returncode else ''}")
            left = [v for v in sh("podman", "volume", "ls", "--format", "{{.Name}}").stdout.split() if PROJECT in v]
            expect(not left, f"`down -v` removed the volumes ({left})")
            nets = [n for n in sh("podman", "network", "ls", "--format", "{{.Name}}").stdout.split() if PROJECT in n]
            expect(not nets, f"`down -v` removed the network ({nets})")
            sh(CONTAINERS, "standins-remove", check=False)
            sh("podman", "rmi", IMAGE, check=False)
            phases.done("down -v and clean-up")
    if failures:
        raise SystemExit(f"{len(failures)} check(s) failed")
    print("PASS: " + ", ".join(phases.times))


if __name__ == "__main__":
    main()
