"""What every pizzastream DAG shares: schedules, retries, timeouts, tags and docs.

Read at parse time from the environment only (no Variables, so parsing never queries the
metadata database):

  PIZZASTREAM_AIRFLOW_CRON_<DAG>   cron of a DAG, DAG = BRONZE, SILVER, GOLD, WAREHOUSE, FULL;
                                   "none" turns a default cron off. Defaults: bronze every 10
                                   minutes; silver, gold and warehouse run when their input table
                                   changed (Assets), and also on their cron when one is set;
                                   full only when triggered (or on its cron when set).
  PIZZASTREAM_AIRFLOW_RETRIES      retries of a task (default 3), with exponential backoff
  PIZZASTREAM_AIRFLOW_RETRY_DELAY  first retry delay in seconds (default 30; at most 10 min)
  PIZZASTREAM_AIRFLOW_TASK_TIMEOUT task timeout in minutes (default 60); a DAG run times out
                                   after (tasks + 1) times that
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable

from pizzastream_airflow import assets

START_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
TAGS = ["pizzastream", "lakehouse"]
_DEFAULT_CRON = {"BRONZE": "*/10 * * * *"}


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def task_timeout() -> timedelta:
    return timedelta(minutes=_env_number("PIZZASTREAM_AIRFLOW_TASK_TIMEOUT", 60))


def default_args() -> dict:
    return {
        "owner": "pizzastream",
        "retries": int(_env_number("PIZZASTREAM_AIRFLOW_RETRIES", 3)),
        "retry_delay": timedelta(seconds=_env_number("PIZZASTREAM_AIRFLOW_RETRY_DELAY", 30)),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=10),
        "execution_timeout": task_timeout(),
        "depends_on_past": False,
    }


def cron(dag: str) -> str | None:
    value = os.environ.get(f"PIZZASTREAM_AIRFLOW_CRON_{dag.upper()}", _DEFAULT_CRON.get(dag.upper(), ""))
    value = value.strip()
    return None if value.lower() in ("", "none") else value


def schedule(dag: str, trigger_stage: str | None):
    """The asset trigger of `trigger_stage`'s input, its cron, both, or neither (None)."""
    asset = assets.stage_trigger(trigger_stage) if trigger_stage else None
    expression = cron(dag)
    timetable = CronTriggerTimetable(expression, timezone="UTC") if expression else None
    if asset is not None and timetable is not None:
        return AssetOrTimeSchedule(timetable=timetable, assets=asset)
    return asset if asset is not None else timetable


def dag_kwargs(dag: str, tasks: int, trigger_stage: str | None) -> dict:
    return {
        "schedule": schedule(dag, trigger_stage),
        "start_date": START_DATE,
        "catchup": False,
        "max_active_runs": 1,  # every stage is the single writer of its tables
        "max_active_tasks": 1,
        "dagrun_timeout": task_timeout() * (tasks + 1),
        "default_args": default_args(),
        "tags": TAGS,
    }


SAFE_TO_RETRY = """
**Retries and re-runs are safe.** Each stage is incremental (it takes only what is new since its
last commit), idempotent and exactly-once: it commits its output together with its input position
in one Delta commit (the warehouse load: in one transaction), so a task killed or timed out half
way and retried by Airflow resumes exactly where the last commit left it, and a re-run that finds
nothing new succeeds at once and changes nothing. Backfills therefore have nothing to fill: a run
processes everything new, whatever its logical date.

**What a task reports.** The task log has pizzastream's own log lines and a summary line; the
summary (rows in/out, rejected, duplicates, each Delta table's version before and after) is the
task's XCom `return_value` and the extra of its Asset events. A failed stage fails the task with
pizzastream's one-line error.

**Configuration** (read when a task runs): Variables `pizzastream_bin`, `pizzastream_data_dir`,
`pizzastream_lake`, `pizzastream_kafka_brokers`, `pizzastream_topic` (or the environment variables
PIZZASTREAM_BIN, PIZZASTREAM_DATA_DIR, ...), the Connection `pizzastream_warehouse` (PostgreSQL or
SQLite; default: SQLite in the data dir). Schedules and retries: PIZZASTREAM_AIRFLOW_* environment
variables. See the README's "Airflow" section.

Run either the per-layer DAGs or pizzastream_full on a schedule, not both: a stage run by two DAGs
at once has one writer lose its commit and retry (safe, but wasted work).
"""
