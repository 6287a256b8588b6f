#!/usr/bin/env python3
"""`up -d` of compose.yaml with podman-compose, in dependency order, health checks honoured.

podman 4.3 has no `podman wait --condition=healthy`, so podman-compose starts every service at
once and ignores `depends_on: condition: service_healthy`. This starts the services one at a
time in the order their depends_on gives, and before each waits until every dependency meets its
condition: service_healthy (polls `podman healthcheck run` until it passes), service_completed_
successfully (the container exited 0) or service_started (running). At the end it waits until
every service with a health check is healthy. Each wait has a deadline (--timeout, default 300 s);
a dependency that exits or fails its condition stops the start with its last log lines.

Usage: compose_up.py PODMAN_COMPOSE [--timeout S] [COMPOSE_OPTIONS...]   e.g. -p NAME --env-file F
"""
import os
import subprocess
import sys
import time

import yaml


def run(*args, check=True):
    r = subprocess.run(args, text=True, capture_output=True)
    if check and r.returncode != 0:
        sys.exit(f"compose up: {' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r


def start_order(services):
    """Service names, each after everything it depends on (names sorted within a level)."""
    order, done = [], set()
    pending = sorted(services)
    while pending:
        ready = [s for s in pending if set(services[s].get("depends_on") or {}) <= done]
        if not ready:
            sys.exit(f"compose up: depends_on has a cycle among {pending}")
        for s in ready:
            order.append(s)
            done.add(s)
            pending.remove(s)
    return order


class Stack:
    def __init__(self, compose, options, timeout):
        self.compose, self.options, self.timeout = compose, options, timeout
        cfg = yaml.safe_load(run(compose, *options, "config").stdout) or {}
        self.services = cfg.get("services") or {}
        self.project = self.option("-p") or self.option("--project-name") or cfg.get("name") \
            or os.path.basename(os.getcwd())

    def option(self, name):
        opts = self.options
        for i, o in enumerate(opts):
            if o == name and i + 1 < len(opts):
                return opts[i + 1]
            if o.startswith(name + "="):
                return o.split("=", 1)[1]
        return None

    def container(self, service):
        ids = run("podman", "ps", "-a", "-q", "--filter", f"label=com.docker.compose.project={self.project}",
                  "--filter", f"label=com.docker.compose.service={service}").stdout.split()
        return ids[0] if ids else None

    def state(self, cid):
        out = run("podman", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", cid).stdout.split()
        return out[0], int(out[1])

    def fail(self, service, cid, why):
        logs = run("podman", "logs", "--tail", "30", cid, check=False) if cid else None
        sys.exit(f"compose up: {service} {why}" + (f"\n--- last log lines of {service}:\n{logs.stdout}{logs.stderr}"
                                                  if logs else ""))

    def wait(self, service, condition):
        deadline = time.monotonic() + self.timeout
        cid = None
        while True:
            cid = cid or self.container(service)
            if cid:
                status, code = self.state(cid)
                if condition == "service_completed_successfully":
                    if status == "exited":
                        if code == 0:
                            return
                        self.fail(service, cid, f"exited with {code}")
                elif status in ("exited", "stopped", "dead"):
                    self.fail(service, cid, f"stopped (exit {code}) before it was {condition}")
                elif status == "running" and (
                        condition != "service_healthy" or
                        run("podman", "healthcheck", "run", cid, check=False).returncode == 0):
                    return
            if time.monotonic() > deadline:
                self.fail(service, cid, f"not {condition} after {self.timeout} s")
            time.sleep(1)

    def up(self):
        t0 = time.monotonic()
        for service in start_order(self.services):
            for dep, spec in (self.services[service].get("depends_on") or {}).items():
                self.wait(dep, (spec or {}).get("condition", "service_started"))
            print(f"compose up: starting {service}", flush=True)
            run(self.compose, *self.options, "up", "-d", "--no-deps", service)
        for service, spec in self.services.items():
            hc = spec.get("healthcheck") or {}
            if hc.get("test") and not hc.get("disable"):
                self.wait(service, "service_healthy")
        print(f"compose up: {self.project} is up, every health check passes "
              f"({time.monotonic() - t0:.0f} s)", flush=True)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    compose, args = args[0], args[1:]
    timeout = 300
    if args[:1] == ["--timeout"]:
        timeout, args = int(args[1]), args[2:]
    Stack(compose, args, timeout).up()


if __name__ == "__main__":
    main()
