#!/usr/bin/env python3
"""The pizzastream image, built and run for real with podman (ctest label `containers`).

Builds the image from the working tree the way a user without Docker does
(`scripts/containers build`: locally made Debian base, podman build --pull=never, the full
multi-stage build), or, given this build's binary, from that binary (`scripts/containers
image-from`: the same runtime stage, no compile; what ctest does unless
PIZZASTREAM_CONTAINERS_FULL_BUILD=ON), then:
  * the image runs as a non-root user, declares /data as a volume, has ENTRYPOINT pizzastream
    and a HEALTHCHECK;
  * `generate` + `run --input ... --exit-when-idle` + `kpi --json` in containers on a named
    volume give exactly the figures an independent oracle computes from the generated CSV;
  * `serve` in a container answers /healthz and /api/kpi (same figures) from the host through a
    published port, and the image's health check passes.
Prints the image size and the build time. Usage: image_e2e_test.py SOURCE_DIR [PIZZASTREAM_BINARY]
"""
import json
import os
import sys
import time
import urllib.request
import uuid

from containers_support import CONTAINERS, expect, failures, free_port, oracle, sh

BINARY = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
IMAGE = "localhost/pizzastream:latest"
RUN_ID = uuid.uuid4().hex[:8]
VOLUME = f"pizzastream-test-{RUN_ID}"
SERVER = f"pizzastream-serve-{RUN_ID}"


def in_container(*args, **kw):
    return sh("podman", "run", "--rm", "-v", f"{VOLUME}:/data", IMAGE, *args, **kw)


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except OSError as e:
        return None, str(e)


def main():
    t0 = time.monotonic()
    sh(*([CONTAINERS, "image-from", BINARY, IMAGE] if BINARY else [CONTAINERS, "build"]), capture=False)
    build_s = time.monotonic() - t0
    size = int(sh("podman", "image", "inspect", "--format", "{{.Size}}", IMAGE).stdout.strip())
    print(f"image {IMAGE}: {size / 1e6:.1f} MB, build {build_s:.0f} s", flush=True)

    inspect = json.loads(sh("podman", "image", "inspect", IMAGE).stdout)[0]
    cfg = inspect["Config"]
    expect(cfg.get("User") not in (None, "", "0", "root", "0:0"), f"image user is non-root ({cfg.get('User')})")
    expect(cfg.get("Entrypoint") == ["pizzastream"], f"ENTRYPOINT [\"pizzastream\"] ({cfg.get('Entrypoint')})")
    expect("/data" in (cfg.get("Volumes") or {}), "/data is a declared volume")
    expect("PIZZASTREAM_DATA_DIR=/data" in (cfg.get("Env") or []), "PIZZASTREAM_DATA_DIR=/data")
    hc = (cfg.get("Healthcheck") or inspect.get("Healthcheck") or {}).get("Test") or []
    expect(any("healthcheck" in t for t in hc), f"HEALTHCHECK on /healthz ({hc})")
    uid = sh("podman", "run", "--rm", "--entrypoint", "id", IMAGE, "-u").stdout.strip()
    expect(uid != "0", f"the container runs as uid {uid}")

    sh("podman", "volume", "create", VOLUME)
    try:
        in_container("generate", "--output", "/data/orders.csv", "--count", "20000",
                     "--duplicate-rate", "0.02", "--seed", "7")
        csv_text = sh("podman", "run", "--rm", "-v", f"{VOLUME}:/data", "--entrypoint", "cat", IMAGE,
                      "/data/orders.csv").stdout
        want = oracle(csv_text)
        in_container("run", "--input", "/data/orders.csv", "--exit-when-idle", capture=False)
        got = json.loads(in_container("kpi", "--json").stdout)
        for k in ("total_revenue", "total_orders", "total_pizzas_sold", "avg_order_value",
                  "avg_pizzas_per_order", "avg_orders_per_day", "top_pizza_by_revenue"):
            expect(got.get(k) == want[k], f"kpi {k}: {got.get(k)} == {want[k]}")
        rows = got.get("rows", {})
        for k in ("received", "duplicates", "silver"):
            expect(rows.get(k) == want[k], f"kpi rows.{k}: {rows.get(k)} == {want[k]}")
        expect(rows.get("rejected") == 0 and rows.get("fact") == want["silver"], f"rows {rows}")

        port = free_port()
        sh("podman", "run", "-d", "--name", SERVER, "-p", f"127.0.0.1:{port}:8080",
           "-v", f"{VOLUME}:/data", IMAGE, "serve", "--bind", "0.0.0.0", "--port", "8080")
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline:
            status, body = http_get(f"http://127.0.0.1:{port}/healthz")
            if status == 200:
                break
            time.sleep(0.2)
        expect(status == 200, f"/healthz from the host: {status} {body}")
        status, body = http_get(f"http://127.0.0.1:{port}/api/kpi")
        api = json.loads(body) if status == 200 else {}
        expect(status == 200 and all(api.get(k) == got[k] for k in ("total_revenue", "total_orders", "total_pizzas_sold")),
               f"/api/kpi from the host: {status} {body[:200]}")
        hc = sh("podman", "healthcheck", "run", SERVER, check=False)
        expect(hc.returncode == 0, f"podman healthcheck run: exit {hc.returncode} {hc.stdout}{hc.stderr}")
        health = sh("podman", "inspect", "--format", "{{.State.Health.Status}}", SERVER, check=False).stdout.strip()
        expect(health == "healthy", f"health status after the check: {health}")
    finally:
        sh("podman", "rm", "-f", "-t", "2", SERVER, check=False)
        sh("podman", "volume", "rm", "-f", VOLUME, check=False)
    if failures:
        raise SystemExit(f"{len(failures)} check(s) failed")
    print(f"PASS: image {size / 1e6:.1f} MB, build {build_s:.0f} s, total {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()
