#!/usr/bin/env python3
"""compose.yaml checked by the compose tool itself (ctest label `containers`).

Runs `scripts/containers compose config` (podman-compose, pinned) with a throwaway env file of
random passwords and checks what the tool resolved: the services and their order
(depends_on conditions), health checks, named volumes, the Airflow profile, that each secret
reaches exactly the services that need it, and that without a password the tool refuses with a
message naming it. Also: .env.example holds no password. Usage: compose_config_e2e_test.py SOURCE_DIR
"""
import os
import re
import secrets
import subprocess
import sys
import tempfile

import yaml

SRC = os.path.abspath(sys.argv[1])
failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def compose(env_file, *args):
    return subprocess.run([os.path.join(SRC, "scripts", "containers"), "compose", "--env-file", env_file,
                           *args], text=True, capture_output=True, timeout=120)


def env_lines(path):
    out = {}
    for line in open(path):
        m = re.match(r"^([A-Z_][A-Z0-9_]*)=(.*)$", line.strip())
        if m:
            out[m.group(1)] = m.group(2)
    return out


def main():
    example = env_lines(os.path.join(SRC, ".env.example"))
    required = [k for k, v in example.items() if v == ""]
    expect(sorted(required) == ["MINIO_ROOT_PASSWORD", "PIZZASTREAM_AUTH_TOKEN", "POSTGRES_PASSWORD"],
           f".env.example leaves exactly the secrets empty: {required}")

    with tempfile.TemporaryDirectory() as tmp:
        values = dict(example)
        secret = {k: secrets.token_urlsafe(16) for k in required}
        values.update(secret)
        env_file = os.path.join(tmp, "test.env")
        with open(env_file, "w") as f:
            f.writelines(f"{k}={v}\n" for k, v in values.items())

        r = compose(env_file, "config")
        expect(r.returncode == 0, f"podman-compose config exits 0 ({r.stderr[-300:]})")
        cfg = yaml.safe_load(r.stdout) or {}
        services = cfg.get("services", {})
        expect(sorted(services) == ["dashboard", "kafka", "minio", "minio-init", "pipeline", "postgres"],
               f"services without a profile: {sorted(services)}")
        deps = {name: {d: (c or {}).get("condition") for d, c in (s.get("depends_on") or {}).items()}
                for name, s in services.items()}
        expect(deps.get("pipeline") == {"kafka": "service_healthy", "postgres": "service_healthy",
                                        "minio-init": "service_completed_successfully"},
               f"pipeline waits for healthy Kafka, PostgreSQL and the bucket: {deps.get('pipeline')}")
        expect(deps.get("minio-init") == {"minio": "service_healthy"}, f"bucket after MinIO: {deps.get('minio-init')}")
        expect(deps.get("dashboard") == {"postgres": "service_healthy"}, f"dashboard after PostgreSQL: {deps.get('dashboard')}")
        for name in ("kafka", "minio", "postgres", "dashboard"):
            test = (services.get(name, {}).get("healthcheck") or {}).get("test")
            expect(bool(test), f"{name} has a health check ({test})")
        expect(services.get("kafka", {}).get("image", "").startswith("docker.io/apache/kafka:"),
               "Kafka is the official Apache image")
        expect(sorted(cfg.get("volumes", {})) ==
               ["airflow-data", "kafka-data", "minio-data", "pizzastream-data", "postgres-data"],
               f"named volumes: {sorted(cfg.get('volumes', {}))}")
        for name, path in (("kafka", "/var/lib/kafka/data"), ("minio", "/data"),
                           ("postgres", "/var/lib/postgresql/data"), ("pipeline", "/data")):
            vols = [str(v) for v in services.get(name, {}).get("volumes", [])]
            expect(any(v.endswith(":" + path) or path in v for v in vols), f"{name} keeps {path} in a volume ({vols})")

        def env(name):
            e = services.get(name, {}).get("environment") or {}
            return e if isinstance(e, dict) else dict(x.split("=", 1) for x in e)

        pipe = env("pipeline")
        expect(pipe.get("PIZZASTREAM_KAFKA_BROKERS") == "kafka:9092", "pipeline reads Kafka")
        expect(pipe.get("PIZZASTREAM_LAKE", "").startswith("s3://lakehouse/"), "pipeline's lake is bucket lakehouse")
        expect(pipe.get("PIZZASTREAM_WAREHOUSE") ==
               f"postgresql://{values['POSTGRES_USER']}@postgres:5432/{values['POSTGRES_DB']}",
               f"pipeline's warehouse URL has no password ({pipe.get('PIZZASTREAM_WAREHOUSE')})")
        expect(pipe.get("PGPASSWORD") == secret["POSTGRES_PASSWORD"], "PostgreSQL password reaches the pipeline as PGPASSWORD")
        expect(pipe.get("AWS_SECRET_ACCESS_KEY") == secret["MINIO_ROOT_PASSWORD"], "MinIO secret reaches the pipeline")
        expect(env("postgres").get("POSTGRES_PASSWORD") == secret["POSTGRES_PASSWORD"], "PostgreSQL gets its password")
        expect(env("minio").get("MINIO_ROOT_PASSWORD") == secret["MINIO_ROOT_PASSWORD"], "MinIO gets its password")
        expect(env("dashboard").get("PIZZASTREAM_AUTH_TOKEN") == secret["PIZZASTREAM_AUTH_TOKEN"], "dashboard gets its token")
        expect(secret["PIZZASTREAM_AUTH_TOKEN"] not in str(env("pipeline")) + str(env("postgres")) + str(env("minio")),
               "the dashboard token goes nowhere else")
        cmd = [str(c) for c in services.get("pipeline", {}).get("command") or []]
        arg = lambda name: cmd[cmd.index(name) + 1] if name in cmd[:-1] else None
        expect(cmd[:2] == ["run", "--generate"] and arg("--count") == "-1" and arg("--seed") == "1",
               f"without PIZZASTREAM_COUNT/SEED the pipeline's stream is endless, seed 1: {cmd}")
        ports = [str(p) for p in services.get("dashboard", {}).get("ports", [])]
        expect(any(p.startswith("127.0.0.1:") and p.endswith(":8080") for p in ports), f"dashboard published on loopback: {ports}")

        r = compose(env_file, "--profile", "airflow", "config")
        with_airflow = (yaml.safe_load(r.stdout) or {}).get("services", {}) if r.returncode == 0 else {}
        expect("airflow" in with_airflow, f"profile airflow adds the airflow service (exit {r.returncode})")
        dags = [str(v) for v in with_airflow.get("airflow", {}).get("volumes", [])]
        expect(any("orchestration/airflow/dags" in v for v in dags), f"airflow mounts pizzastream's DAGs ({dags})")

        for missing in required:
            with open(env_file, "w") as f:
                f.writelines(f"{k}={v}\n" for k, v in values.items() if k != missing)
            r = compose(env_file, "config")
            expect(r.returncode != 0 and missing in r.stderr,
                   f"without {missing}: refused, naming it (exit {r.returncode})")
    if failures:
        raise SystemExit(f"{len(failures)} check(s) failed")
    print("PASS")


if __name__ == "__main__":
    main()
