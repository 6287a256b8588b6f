"""Helpers shared by the pizzastream DAGs (not DAGs themselves; see .airflowignore).

settings: where pizzastream lives and what it talks to, from Airflow Variables, the
          `pizzastream_warehouse` Connection and the environment.
assets:   the Airflow Assets standing for the lake tables and the warehouse.
stage_operator: PizzastreamStageOperator, one pizzastream stage command as one task.
dag_defaults: schedules, retries, timeouts and docs every pizzastream DAG shares.
"""
