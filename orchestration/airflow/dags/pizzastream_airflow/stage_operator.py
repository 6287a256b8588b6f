"""PizzastreamStageOperator: one pizzastream stage command (bronze, silver, gold or load) as one
Airflow task.

The task runs `pizzastream <stage> --json` with the settings of `settings.py`, streams the
stage's log lines into the task log, and on success logs and returns (pushes as XCom) the
stage's summary: rows in/out, rejected, duplicates and, per Delta table written, its version
before and after the run. The summary also goes into the extra of each outlet Asset event.
A stage that fails fails the task with pizzastream's one-line error as the exception message;
Airflow then retries it. Retrying is safe: every stage commits its output together with its
input position, so a run cut short (killed, timed out) is resumed exactly where its last commit
left it, and nothing is lost or counted twice. A stage that finds nothing new succeeds at once.

on_kill (timeout, a user marking the task failed) asks pizzastream to stop after its current
step (one SIGTERM: pizzastream then exits 143 with every position committed; a second one
would make it leave at once), then kills it if it has not stopped within `stop_grace_s`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from pizzastream_airflow import assets, settings


class PizzastreamStageOperator(BaseOperator):
    """Runs one pizzastream stage until nothing new is left; see the module doc."""

    template_fields = ()
    ui_color = "#f4d6a0"

    def __init__(self, *, stage: str, stop_grace_s: float = 30.0, **kwargs: Any) -> None:
        if stage not in ("bronze", "silver", "gold", "load"):
            raise ValueError(f"unknown pizzastream stage '{stage}'")
        kwargs.setdefault("outlets", assets.stage_outlets(stage))
        super().__init__(**kwargs)
        self.stage = stage
        self.stop_grace_s = stop_grace_s
        self._process: subprocess.Popen | None = None
        self._stop_requested = False

    def execute(self, context: Any) -> dict[str, Any]:
        try:
            invocation = settings.stage_invocation(self.stage)
        except settings.SettingsError as e:
            raise AirflowFailException(str(e)) from None
        self.log.info("running %s", " ".join(invocation.argv))
        started = time.monotonic()
        # Airflow's own settings and secrets (AIRFLOW__*, AIRFLOW_CONN_*, ...) stay out of the stage.
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
        env.update(invocation.env)
        process = subprocess.Popen(
            invocation.argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self._process = process
        lines: dict[str, str] = {}
        stderr_reader = threading.Thread(target=self._relay_stderr, args=(process, lines), daemon=True)
        stderr_reader.start()
        assert process.stdout is not None
        stdout = process.stdout.read()  # the summary; stderr has a reader of its own
        process.wait()
        stderr_reader.join()
        self._process = None
        # Stopped by on_kill: pizzastream committed its current step and exits 128 + SIGTERM;
        # what it did is still reported (Airflow itself marks the task as killed).
        stopped_on_request = self._stop_requested and process.returncode == 128 + signal.SIGTERM
        if process.returncode != 0 and not stopped_on_request:
            raise AirflowException(f"pizzastream {self.stage} failed: {_failure(process.returncode, lines)}")
        summary = _last_json_line(stdout)
        if summary is None:
            raise AirflowException(f"pizzastream {self.stage} printed no --json summary: {stdout[-500:]!r}")
        summary["seconds"] = round(time.monotonic() - started, 3)
        self.log.info("pizzastream %s summary: %s", self.stage, json.dumps(summary, sort_keys=True))
        self._annotate_asset_events(context, summary)
        return summary

    def on_kill(self) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        self._stop_requested = True
        self.log.info("asking pizzastream %s (pid %d) to stop after its current step", self.stage, process.pid)
        process.send_signal(signal.SIGTERM)  # stop after the current step
        try:
            process.wait(timeout=self.stop_grace_s)
        except subprocess.TimeoutExpired:
            self.log.warning("pizzastream %s did not stop within %ss: killing it", self.stage, self.stop_grace_s)
            process.kill()

    def _relay_stderr(self, process: subprocess.Popen, lines: dict[str, str]) -> None:
        """Logs the stage's stderr line by line, keeping the CLI's one-line error
        (`pizzastream: ...`) as lines["error"] and the last line as lines["last"]."""
        assert process.stderr is not None
        for line in process.stderr:
            line = line.rstrip("\n")
            if not line:
                continue
            self.log.info("%s", line)
            lines["last"] = line
            if line.startswith("pizzastream: "):
                lines["error"] = line.removeprefix("pizzastream: ")

    def _annotate_asset_events(self, context: Any, summary: dict[str, Any]) -> None:
        outlet_events = context.get("outlet_events")
        if outlet_events is None:
            return
        tables = summary.get("tables", {})
        for asset in self.outlets:
            table = asset.uri.removeprefix("pizzastream://lake/")
            extra = {"stage": self.stage, "rows_in": summary.get("rows_in"), "rows_out": summary.get("rows_out")}
            if table in tables:
                extra.update(tables[table])
            outlet_events[asset].extra = extra


def _last_json_line(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def _failure(code: int, lines: dict[str, str]) -> str:
    """Why the stage failed, in one line: its own error, the signal that ended it, or the last
    thing it printed (e.g. a usage error)."""
    if "error" in lines:
        return lines["error"]
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}: {lines.get('last', 'no message')}"
