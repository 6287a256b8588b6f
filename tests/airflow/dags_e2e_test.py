"""The pizzastream DAGs (orchestration/airflow/dags) on a real Airflow 3, each test with a
throwaway AIRFLOW_HOME and metadata database, `airflow dags test` running the real pizzastream
binary on generated input with dirty and duplicated records.

Run one test:  python3 tests/airflow/dags_e2e_test.py DagBagTest
Environment:   PIZZASTREAM_TEST_BIN (the binary, default build/pizzastream),
               PIZZASTREAM_AIRFLOW_TEMPLATE_DB (a migrated metadata DB to copy, optional).
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import signal
import subprocess
import sys
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from airflow_home import (  # noqa: E402
    DAG_IDS,
    REPO,
    AirflowHome,
    Workspace,
    clean_environment,
    lake_commits,
    pizzastream_binary,
    run_pizzastream,
)

TEMPLATE_DB = Path(os.environ["PIZZASTREAM_AIRFLOW_TEMPLATE_DB"]) if os.environ.get("PIZZASTREAM_AIRFLOW_TEMPLATE_DB") else None
STAGES = ["bronze", "silver", "gold", "load"]


def generate_input(work: Path, count: int, seed: int) -> Path:
    path = work / "orders.csv"
    run_pizzastream("generate", "--output", str(path), "--count", str(count), "--seed", str(seed),
                    "--dirty-rate", "0.02", "--duplicate-rate", "0.02")
    return path


def reference_kpi(work: Path, orders: Path) -> dict:
    """`pizzastream run` then `kpi --json` on `orders`: what the DAGs must reproduce."""
    data = work / "reference"
    run_pizzastream("run", "--input", str(orders), "--data-dir", str(data), "--exit-when-idle", "--quiet")
    return json.loads(run_pizzastream("kpi", "--json", "--data-dir", str(data)))


class Pipeline:
    """Generated input (dirty and duplicated records), the figures `pizzastream run` gives on it,
    the same input on the topic of a fresh data dir, and an Airflow home pointed at it."""

    def __init__(self, work: Path, count: int, seed: int, variables_in_db: bool = True) -> None:
        orders = generate_input(work, count, seed)
        self.expected = reference_kpi(work, orders)
        self.data = work / "data"
        produce(orders, self.data)
        self.home = AirflowHome(work, TEMPLATE_DB)
        variables = {"pizzastream_bin": pizzastream_binary(), "pizzastream_data_dir": str(self.data)}
        if variables_in_db:
            self.home.import_json("variables", variables)
        else:  # Variables from the environment (AIRFLOW_VAR_*): also Airflow's own mechanism
            self.home.env.update({"AIRFLOW_VAR_" + k.upper(): v for k, v in variables.items()})


def kpi(data: Path, *extra: str) -> dict:
    return json.loads(run_pizzastream("kpi", "--json", "--data-dir", str(data), *extra))


def produce(orders: Path, data: Path) -> None:
    run_pizzastream("produce", "--input", str(orders), "--data-dir", str(data))


def report(name: str, seconds: float) -> None:
    print(f"[airflow timing] {name}: {seconds:.1f} s", flush=True)


class DagBagTest(unittest.TestCase):
    def test_every_dag_imports_without_errors_with_its_scheduling_contract(self):
        with Workspace() as work:
            home = AirflowHome(work, TEMPLATE_DB)
            out = home.python(
                """
import json
from airflow.dag_processing.dagbag import BundleDagBag
folder = %r
def schedule_assets(dag):
    condition = getattr(dag.timetable, "asset_condition", None)
    if condition is None:
        return []
    if hasattr(condition, "uri"):
        return [condition.uri]
    return [a.uri for _, a in condition.iter_assets()]
bag = BundleDagBag(dag_folder=folder, bundle_path=folder, bundle_name="dags-folder")
dags = {}
for dag_id, dag in bag.dags.items():
    dags[dag_id] = {
        "max_active_runs": dag.max_active_runs, "tags": sorted(dag.tags), "doc_md": dag.doc_md or "",
        "timetable": type(dag.timetable).__name__, "schedule_assets": schedule_assets(dag),
        "dagrun_timeout": dag.dagrun_timeout.total_seconds() if dag.dagrun_timeout else None,
        "tasks": {t.task_id: {"stage": t.stage, "retries": t.retries, "backoff": bool(t.retry_exponential_backoff),
                              "timeout": t.execution_timeout.total_seconds() if t.execution_timeout else None,
                              "upstream": sorted(t.upstream_task_ids), "outlets": [o.uri for o in t.outlets]}
                  for t in dag.tasks},
    }
print(json.dumps({"errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": dags}))
"""
                % str(REPO / "orchestration" / "airflow" / "dags")
            )
            bag = json.loads(out.strip().splitlines()[-1])
            self.assertEqual(bag["errors"], {})
            dags = bag["dags"]
            self.assertEqual(sorted(dags), DAG_IDS)
            for dag_id, dag in dags.items():
                with self.subTest(dag=dag_id):
                    self.assertEqual(dag["max_active_runs"], 1)
                    self.assertIn("pizzastream", dag["tags"])
                    self.assertIn("Retries and re-runs are safe", dag["doc_md"])
                    self.assertIsNotNone(dag["dagrun_timeout"])
                    for task in dag["tasks"].values():
                        self.assertGreaterEqual(task["retries"], 1)
                        self.assertTrue(task["backoff"])
                        self.assertIsNotNone(task["timeout"])
            full = dags["pizzastream_full"]["tasks"]
            self.assertEqual([full[s]["stage"] for s in STAGES], STAGES)
            for upstream, task in zip(STAGES, STAGES[1:]):
                self.assertEqual(full[task]["upstream"], [upstream])
            # Data-aware: each layer runs when the table it reads changed, which its upstream emits.
            self.assertEqual(dags["pizzastream_silver"]["schedule_assets"], ["pizzastream://lake/bronze/order_lines"])
            self.assertEqual(dags["pizzastream_gold"]["schedule_assets"], ["pizzastream://lake/silver/silver_cleaned"])
            self.assertEqual(dags["pizzastream_warehouse"]["schedule_assets"], ["pizzastream://lake/gold/fact_order_item"])
            self.assertIn("pizzastream://lake/bronze/order_lines", dags["pizzastream_bronze"]["tasks"]["bronze"]["outlets"])
            self.assertIn("pizzastream://lake/silver/silver_cleaned", dags["pizzastream_silver"]["tasks"]["silver"]["outlets"])
            self.assertIn("pizzastream://lake/gold/fact_order_item", dags["pizzastream_gold"]["tasks"]["gold"]["outlets"])
            self.assertEqual(full["load"]["outlets"], ["pizzastream://warehouse/pizza_sales"])


class StageOperatorTest(unittest.TestCase):
    """PizzastreamStageOperator in-process (stage_operator_probe.py, in the Airflow venv) on the
    real binary: a failing stage fails the task with pizzastream's one-line error, and on_kill
    (what a task timeout calls) stops a running stage, which still reports what it did."""

    def test_failure_carries_the_one_line_error_and_on_kill_stops_the_stage(self):
        with Workspace() as work:
            home = AirflowHome(work, TEMPLATE_DB)
            probe = Path(__file__).resolve().parent / "stage_operator_probe.py"
            out = home.python(f"import runpy, sys; sys.argv = ['probe', {pizzastream_binary()!r}, {str(work / 'data')!r}]; "
                              f"runpy.run_path({str(probe)!r}, run_name='__main__')")
            result = json.loads(out.strip().splitlines()[-1])
            self.assertEqual(result["error"], "pizzastream bronze failed: Cannot create directory '/proc/no-lake-here'")
            self.assertTrue(result["running_before_kill"])
            self.assertEqual(result["exit_code"], 128 + 15)  # stopped by SIGTERM after its step, not killed
            self.assertEqual(result["summary"]["stage"], "bronze")
            self.assertEqual(result["summary"]["rows_in"], 0)


class FullPipelineTest(unittest.TestCase):
    def test_full_dag_gives_the_kpis_of_run_and_a_second_run_changes_nothing(self):
        with Workspace() as work:
            pipeline = Pipeline(work, count=20000, seed=12)
            home, data, expected = pipeline.home, pipeline.data, pipeline.expected

            run, seconds = home.dags_test("pizzastream_full", "full-1")
            report("pizzastream_full, 20k lines", seconds)
            self.assertEqual(kpi(data), expected)
            summaries = home.xcoms(run)
            self.assertEqual(sorted(summaries), sorted(STAGES))
            rows = expected["rows"]
            self.assertEqual(summaries["bronze"]["rows_in"], rows["received"])
            self.assertEqual(summaries["bronze"]["rows_out"] + summaries["bronze"]["rejected"], summaries["bronze"]["rows_in"])
            self.assertEqual(summaries["silver"]["rows_in"], summaries["bronze"]["rows_out"])
            self.assertEqual(summaries["bronze"]["rejected"] + summaries["silver"]["rejected"], rows["rejected"])
            self.assertEqual(summaries["silver"]["duplicates"], rows["duplicates"])
            self.assertEqual(summaries["silver"]["rows_out"], rows["silver"])
            self.assertEqual(summaries["gold"]["rows_out"], rows["fact"])
            self.assertEqual(summaries["load"]["rows_in"], rows["fact"])
            self.assertGreater(rows["rejected"], 0)
            self.assertGreater(rows["duplicates"], 0)
            for stage in ("bronze", "silver", "gold"):
                tables = summaries[stage]["tables"]
                self.assertTrue(tables)
                for table, versions in tables.items():
                    with self.subTest(stage=stage, table=table):
                        self.assertGreaterEqual(versions["version_after"], versions["version_before"])
                primary = next(iter(t for t in tables if t.endswith(("order_lines", "silver_cleaned", "fact_order_item"))))
                self.assertGreater(tables[primary]["version_after"], tables[primary]["version_before"])

            commits = lake_commits(data)
            run2, seconds = home.dags_test("pizzastream_full", "full-2")
            report("pizzastream_full again, nothing new", seconds)
            self.assertNotEqual(run2["run_id"], run["run_id"])
            again = home.xcoms(run2)
            for stage in STAGES:
                with self.subTest(stage=stage):
                    self.assertEqual(again[stage]["rows_in"], 0)
                    self.assertEqual(again[stage]["rows_out"], 0)
                    for versions in again[stage]["tables"].values():
                        self.assertEqual(versions["version_after"], versions["version_before"])
            self.assertEqual(lake_commits(data), commits)
            self.assertEqual(kpi(data), expected)


class LayerDagsTest(unittest.TestCase):
    """The per-layer DAGs one after the other, as their Assets would chain them, with a stage
    killed in the middle of its work: Airflow retries it and the figures stay exact."""

    def test_killed_stage_is_retried_by_airflow_and_figures_stay_exact(self):
        with Workspace() as work:
            pipeline = Pipeline(work, count=240000, seed=7, variables_in_db=False)
            home, data, expected = pipeline.home, pipeline.data, pipeline.expected

            run, seconds = home.dags_test("pizzastream_bronze", "bronze")
            report("pizzastream_bronze, 240k lines", seconds)
            self.assertGreater(home.xcoms(run)["bronze"]["rows_out"], 0)
            events = home.query("SELECT a.uri, e.extra FROM asset_event e JOIN asset a ON a.id = e.asset_id")
            bronze_events = [json.loads(e["extra"]) for e in events if e["uri"] == "pizzastream://lake/bronze/order_lines"]
            self.assertEqual(len(bronze_events), 1)
            self.assertEqual(bronze_events[0]["rows_out"], home.xcoms(run)["bronze"]["rows_out"])

            killer = StageKiller(pizzastream_binary(), "silver", data / "lakehouse" / "silver")
            killer.start()
            run, seconds = home.dags_test("pizzastream_silver", "silver")
            killer.join()
            report("pizzastream_silver with a kill and a retry", seconds)
            self.assertTrue(killer.killed, killer.note)
            print(f"[airflow] silver killed after committing {killer.committed_at_kill}", flush=True)
            self.assertTrue(killer.committed_at_kill)  # in the middle: after a commit, before the end
            self.assertEqual(home.tries(run, "pizzastream_silver")["silver"], 2)
            self.assertGreater(home.xcoms(run)["silver"]["rows_in"], 0)

            # The rest through the full DAG: its bronze and silver find nothing new.
            run, seconds = home.dags_test("pizzastream_full", "full")
            report("pizzastream_full after the layers (gold and load do the work)", seconds)
            summaries = home.xcoms(run)
            self.assertEqual([summaries[s]["rows_in"] for s in ("bronze", "silver")], [0, 0])
            self.assertEqual(summaries["load"]["rows_in"], expected["rows"]["fact"])
            self.assertEqual(kpi(data), expected)


class WarehouseConnectionTest(unittest.TestCase):
    def test_load_writes_to_the_postgresql_of_the_warehouse_connection(self):
        with Workspace() as work:
            server = PostgresServer(work / "postgres-state")
            try:
                pipeline = Pipeline(work, count=20000, seed=5)
                home, data, expected = pipeline.home, pipeline.data, pipeline.expected
                # The password lives only in Airflow's metadata DB (encrypted with the Fernet key).
                home.import_json("connections", {"pizzastream_warehouse": {
                    "conn_type": "postgres", "host": "127.0.0.1", "port": server.port, "login": "pizzastream",
                    "password": server.password, "schema": "pizzastream"}})

                run, seconds = home.dags_test("pizzastream_full", "full-postgres")
                report("pizzastream_full into PostgreSQL, 20k lines", seconds)
                self.assertFalse((data / "warehouse.db").exists(), "the load went to SQLite")
                self.assertEqual(kpi(data, "--warehouse", server.url), expected)
                summaries = home.xcoms(run)
                self.assertEqual(summaries["load"]["rows_in"], expected["rows"]["fact"])
                shown = [(work / "full-postgres.log").read_text(errors="replace"), json.dumps(summaries)]
                shown += [p.read_text(errors="replace") for p in home.home.glob("logs/**/*") if p.is_file()]
                for text in shown:
                    self.assertNotIn(server.password, text)
                self.assertIn("--warehouse postgresql://pizzastream@127.0.0.1:", shown[0])
            finally:
                server.stop()


class PostgresServer:
    """A throwaway PostgreSQL on loopback from scripts/postgres (its own state dir; the script's
    watchdog stops it if this process dies)."""

    def __init__(self, state: Path) -> None:
        self.env = clean_environment()
        self.env.update({"POSTGRES_STATE_DIR": str(state), "POSTGRES_OWNER_PID": str(os.getpid())})
        out = subprocess.run([str(REPO / "scripts" / "postgres"), "start"], env=self.env, check=True,
                             stdout=subprocess.PIPE, text=True, timeout=120).stdout
        self.url = out.strip().splitlines()[-1]
        match = re.fullmatch(r"postgresql://pizzastream@127\.0\.0\.1:(\d+)/pizzastream\?(.+)", self.url)
        assert match, self.url
        self.port = int(match.group(1))
        query = urllib.parse.parse_qs(match.group(2))  # passfile, and sslmode/sslrootcert (TLS)
        self.password = Path(query["passfile"][0]).read_text().splitlines()[0].split(":")[-1]

    def stop(self) -> None:
        subprocess.run([str(REPO / "scripts" / "postgres"), "stop"], env=self.env, timeout=120)


class StageKiller(threading.Thread):
    """SIGKILLs the `pizzastream <stage>` process once it has committed a data version (version
    >= 1) to one of the tables under `tables_dir`, while it still runs."""

    def __init__(self, binary: str, stage: str, tables_dir: Path, timeout_s: float = 300) -> None:
        super().__init__(daemon=True)
        self.binary, self.stage, self.tables_dir, self.timeout_s = binary, stage, tables_dir, timeout_s
        self.killed = False
        self.committed_at_kill: list[str] = []
        self.note = "the stage process was never seen"

    def _find(self) -> int | None:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if len(argv) > 2 and argv[0].decode() == self.binary and argv[1].decode() == self.stage:
                return int(pid)
        return None

    def _committed(self) -> list[str]:
        return sorted(p.parts[-3] for p in self.tables_dir.glob("*/_delta_log/00000000000000000001.json"))

    def run(self) -> None:
        deadline = time.monotonic() + self.timeout_s
        pid = None
        while time.monotonic() < deadline and not self.killed:
            pid = pid or self._find()
            committed = self._committed() if pid is not None else []
            if committed:
                try:
                    os.kill(pid, signal.SIGKILL)
                    self.killed = True
                    self.committed_at_kill = committed
                except ProcessLookupError:
                    self.note = "the stage ended before it could be killed"
                return
            time.sleep(0.002)
        self.note = "timed out waiting for the stage's first commit"


if __name__ == "__main__":
    unittest.main(verbosity=2)
