"""Test support: a throwaway Airflow (its own AIRFLOW_HOME and SQLite metadata database) with the
pizzastream DAGs, driven through the real `airflow` CLI of the project's Airflow venv
(scripts/airflow-env installs it when missing), and the pizzastream binary under test.

Standard library only: runs under any Python 3.11; Airflow itself runs in its venv.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "orchestration" / "airflow" / "dags"
DAG_IDS = ["pizzastream_bronze", "pizzastream_full", "pizzastream_gold", "pizzastream_silver", "pizzastream_warehouse"]


def pizzastream_binary() -> str:
    binary = os.environ.get("PIZZASTREAM_TEST_BIN") or str(REPO / "build" / "pizzastream")
    if not os.access(binary, os.X_OK):
        raise RuntimeError(f"pizzastream binary {binary} not found (set PIZZASTREAM_TEST_BIN)")
    return binary


def airflow_bin_dir() -> Path:
    """The Airflow venv's bin/, installed through the project script if it is not there."""
    out = subprocess.run([str(REPO / "scripts" / "airflow-env")], check=True, stdout=subprocess.PIPE, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


def clean_environment() -> dict[str, str]:
    """The caller's environment without anything that would configure Airflow, pizzastream or
    libpq behind the test's back."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PIZZASTREAM_", "PG"))}


class AirflowHome:
    """One throwaway Airflow installation state. `template_db`, when given and present, is a
    migrated metadata database to start from (saves the ~15 s of `airflow db migrate`)."""

    def __init__(self, root: Path, template_db: Path | None = None) -> None:
        self.root = root
        self.home = root / "airflow-home"
        self.home.mkdir(parents=True)
        self.bin = airflow_bin_dir()
        self.db = self.home / "airflow.db"
        self.env = clean_environment()
        self.env.update(
            {
                "AIRFLOW_HOME": str(self.home),
                "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "AIRFLOW__CORE__FERNET_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{self.db}",
                # Retries in seconds, not minutes: the backoff is what a test waits for.
                "PIZZASTREAM_AIRFLOW_RETRY_DELAY": "1",
            }
        )
        if template_db is not None and template_db.exists():
            shutil.copyfile(template_db, self.db)
        else:
            self.airflow("db", "migrate", timeout=300)

    def airflow(self, *args: str, timeout: float = 600, check: bool = True, log_name: str | None = None):
        """Runs `airflow ARGS`; output goes to <root>/<log_name>.log (returned with the result)."""
        log = self.root / f"{log_name or args[0]}.log"
        with open(log, "w") as out:
            result = subprocess.run(
                [str(self.bin / "airflow"), *args], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                timeout=timeout, cwd=self.root,
            )
        text = log.read_text(errors="replace")
        if check and result.returncode != 0:
            raise AssertionError(f"airflow {' '.join(args)} exited {result.returncode}:\n{text[-6000:]}")
        return result.returncode, text

    def python(self, code: str, timeout: float = 300) -> str:
        """Runs `code` with the venv's Python in this home; returns its stdout."""
        result = subprocess.run(
            [str(self.bin / "python"), "-c", code], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, timeout=timeout, cwd=self.root,
        )
        if result.returncode != 0:
            raise AssertionError(f"python exited {result.returncode}:\n{result.stderr[-6000:]}")
        return result.stdout

    def import_json(self, kind: str, content: dict) -> None:
        """`airflow variables|connections import` of `content` (a 0600 file, removed after)."""
        path = self.root / f"{kind}.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(content, f)
        try:
            self.airflow(kind, "import", str(path), log_name=f"{kind}-import")
        finally:
            path.unlink()

    def dags_test(self, dag_id: str, log_name: str, timeout: float = 600) -> tuple[dict, float]:
        """`airflow dags test DAG`: returns (the run's row of dag_run, wall seconds)."""
        started = time.monotonic()
        code, text = self.airflow("dags", "test", dag_id, timeout=timeout, check=False, log_name=log_name)
        seconds = time.monotonic() - started
        run = self.latest_run(dag_id)
        if code != 0 or run is None or run["state"] != "success":
            raise AssertionError(f"{dag_id} run failed (exit {code}, run {run}):\n{text[-8000:]}")
        return run, seconds

    def query(self, sql: str, *params) -> list[dict]:
        with sqlite3.connect(self.db) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute(sql, params)]

    def latest_run(self, dag_id: str) -> dict | None:
        rows = self.query("SELECT id, run_id, state FROM dag_run WHERE dag_id = ? ORDER BY id DESC LIMIT 1", dag_id)
        return rows[0] if rows else None

    def xcoms(self, run: dict) -> dict[str, dict]:
        """task_id -> the task's return_value XCom (the stage summary)."""
        rows = self.query("SELECT task_id, value FROM xcom WHERE dag_run_id = ? AND key = 'return_value'", run["id"])
        return {r["task_id"]: json.loads(r["value"]) for r in rows}

    def tries(self, run: dict, dag_id: str) -> dict[str, int]:
        """task_id -> try_number of the task's final try."""
        rows = self.query(
            "SELECT task_id, try_number, state FROM task_instance WHERE dag_id = ? AND run_id = ?",
            dag_id, run["run_id"],
        )
        return {r["task_id"]: r["try_number"] for r in rows}


class Workspace:
    """A scratch directory for one test, removed afterwards (kept with PIZZASTREAM_KEEP_TEST_DIRS)."""

    def __enter__(self) -> Path:
        self.path = Path(tempfile.mkdtemp(prefix="pizzastream-airflow-"))
        return self.path

    def __exit__(self, *exc) -> None:
        if not os.environ.get("PIZZASTREAM_KEEP_TEST_DIRS"):
            shutil.rmtree(self.path, ignore_errors=True)


def run_pizzastream(*args: str, env: dict[str, str] | None = None) -> str:
    """Runs the pizzastream binary; returns stdout, raises with stderr when it fails."""
    result = subprocess.run(
        [pizzastream_binary(), *args], env=env if env is not None else clean_environment(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600,
    )
    if result.returncode != 0:
        raise AssertionError(f"pizzastream {' '.join(args)} exited {result.returncode}: {result.stderr[-3000:]}")
    return result.stdout


def lake_commits(data_dir: Path) -> list[str]:
    """Every Delta commit file of the local lake, sorted (what changed, if anything)."""
    lake = data_dir / "lakehouse"
    return sorted(str(p.relative_to(lake)) for p in lake.glob("*/*/_delta_log/*.json"))
