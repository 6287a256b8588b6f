"""Where pizzastream lives and what it talks to, resolved when a task runs (never at parse time).

Each setting is an Airflow Variable (set in the UI, with `airflow variables set`, or as
AIRFLOW_VAR_<NAME>), falling back to pizzastream's own environment variable, then to a default
that suits the embedded mode (embedded log, local lake and SQLite warehouse under one data dir):

  Variable                   environment                 default
  pizzastream_bin            PIZZASTREAM_BIN             `pizzastream` on PATH
  pizzastream_data_dir       PIZZASTREAM_DATA_DIR        $AIRFLOW_HOME/pizzastream-data
  pizzastream_lake           PIZZASTREAM_LAKE            file://<data dir>/lakehouse
  pizzastream_kafka_brokers  PIZZASTREAM_KAFKA_BROKERS   (none: the embedded log in the data dir)
  pizzastream_topic          -                           pizza_sales

The warehouse comes from the Airflow Connection `pizzastream_warehouse`, so its credentials stay
in Airflow's secret store: a PostgreSQL connection (host, port, login, password, schema = the
database; extra {"sslmode": ...} is passed on) or an SQLite one (host = the database file).
The password reaches pizzastream as PGPASSWORD in its environment, never on its command line,
in a log or in XCom. Without the Connection the warehouse is PIZZASTREAM_WAREHOUSE if set, else
<data dir>/warehouse.db.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

WAREHOUSE_CONN_ID = "pizzastream_warehouse"

# Variable name -> the environment variable pizzastream itself reads.
_VARIABLES = {
    "pizzastream_bin": "PIZZASTREAM_BIN",
    "pizzastream_data_dir": "PIZZASTREAM_DATA_DIR",
    "pizzastream_lake": "PIZZASTREAM_LAKE",
    "pizzastream_kafka_brokers": "PIZZASTREAM_KAFKA_BROKERS",
    "pizzastream_topic": None,
}


class SettingsError(Exception):
    """A setting that cannot work (e.g. no pizzastream binary): retrying will not help."""


@dataclass
class StageInvocation:
    """The command line and environment of one stage run. `env` may hold a secret (PGPASSWORD):
    it goes to the child process only; `argv` is safe to log."""

    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


def _setting(name: str) -> str | None:
    from airflow.sdk import Variable

    value = Variable.get(name, default=None)
    if value in (None, "") and _VARIABLES.get(name):
        value = os.environ.get(_VARIABLES[name])
    return value or None


def _binary() -> str:
    configured = _setting("pizzastream_bin") or "pizzastream"
    found = shutil.which(configured)
    if found is None:
        raise SettingsError(
            f"pizzastream binary '{configured}' not found: set the Airflow Variable "
            "pizzastream_bin (or PIZZASTREAM_BIN) to its path"
        )
    return found


def _data_dir() -> str:
    configured = _setting("pizzastream_data_dir")
    if configured:
        return configured
    home = os.environ.get("AIRFLOW_HOME", os.path.expanduser("~/airflow"))
    return os.path.join(home, "pizzastream-data")


def _warehouse(env: dict[str, str]) -> str | None:
    """The --warehouse value from the Connection (password into `env`), or None."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(WAREHOUSE_CONN_ID)
    except AirflowNotFoundException:
        return None
    if conn.conn_type == "sqlite":
        if not conn.host:
            raise SettingsError(f"Connection {WAREHOUSE_CONN_ID}: an sqlite connection needs host = the file")
        return conn.host
    if not conn.host or not conn.schema:
        raise SettingsError(
            f"Connection {WAREHOUSE_CONN_ID}: a PostgreSQL connection needs host and schema (the database)"
        )
    user = quote(conn.login, safe="") + "@" if conn.login else ""
    port = f":{conn.port}" if conn.port else ""
    query = {k: str(v) for k, v in conn.extra_dejson.items() if k in ("sslmode", "sslrootcert", "connect_timeout")}
    url = f"postgresql://{user}{conn.host}{port}/{quote(conn.schema, safe='')}"
    if query:
        url += "?" + urlencode(query)
    if conn.password:
        env["PGPASSWORD"] = conn.password
    return url


def stage_invocation(stage: str) -> StageInvocation:
    """`pizzastream <stage> --json ...` with every configured option."""
    env: dict[str, str] = {}
    argv = [_binary(), stage, "--json", "--data-dir", _data_dir()]
    lake = _setting("pizzastream_lake")
    if lake:
        argv += ["--lake", lake]
    brokers = _setting("pizzastream_kafka_brokers")
    if brokers:
        argv += ["--kafka-brokers", brokers]
    topic = _setting("pizzastream_topic")
    if topic:
        argv += ["--topic", topic]
    if stage == "load":
        warehouse = _warehouse(env)
        if warehouse:
            argv += ["--warehouse", warehouse]
    return StageInvocation(argv=argv, env=env)
