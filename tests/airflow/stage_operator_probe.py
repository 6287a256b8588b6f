"""Runs PizzastreamStageOperator.execute/on_kill in-process with the Airflow venv's Python, on the
real binary, and prints what happened as one JSON line (StageOperatorTest checks it).
Usage: stage_operator_probe.py PIZZASTREAM_BINARY DATA_DIR"""

import json
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "orchestration" / "airflow" / "dags"))
from airflow.sdk.exceptions import AirflowException  # noqa: E402

from pizzastream_airflow import settings, stage_operator  # noqa: E402

binary, data = sys.argv[1], Path(sys.argv[2])
result = {}


def run_with(*argv: str, **kwargs) -> stage_operator.PizzastreamStageOperator:
    """An operator whose invocation is `binary argv` (no Variables: there is no task context)."""
    stage_operator.settings.stage_invocation = lambda stage: settings.StageInvocation(argv=[binary, *argv])
    return stage_operator.PizzastreamStageOperator(task_id="bronze", stage="bronze", **kwargs)


operator = run_with("bronze", "--json", "--data-dir", str(data), "--lake", "file:///proc/no-lake-here")
try:
    operator.execute({})
except AirflowException as e:
    result["error"] = str(e)

operator = run_with("bronze", "--json", "--follow", "--data-dir", str(data), stop_grace_s=60)
runner = threading.Thread(target=lambda: result.update(summary=operator.execute({})))
runner.start()


def catches_sigterm(process) -> bool:
    """Whether the stage has installed its SIGTERM handler (it runs its pipeline by then)."""
    if process is None:
        return False
    try:
        status = Path(f"/proc/{process.pid}/status").read_text()
    except OSError:
        return False
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


deadline = time.monotonic() + 60
while not catches_sigterm(operator._process) and time.monotonic() < deadline:
    time.sleep(0.01)
process = operator._process
result["running_before_kill"] = process is not None and process.poll() is None
operator.on_kill()
runner.join(timeout=90)
result["exit_code"] = process.returncode if process is not None else None
print(json.dumps(result))
