"""Migrates one Airflow metadata database (SQLite) at argv[1] for the Airflow tests to copy."""

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from airflow_home import AirflowHome  # noqa: E402

target = Path(sys.argv[1])
work = Path(tempfile.mkdtemp(prefix="pizzastream-airflow-db-"))
try:
    home = AirflowHome(work)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(home.db, target.with_suffix(".tmp"))
    target.with_suffix(".tmp").rename(target)
    print(f"migrated {target}")
finally:
    shutil.rmtree(work, ignore_errors=True)
