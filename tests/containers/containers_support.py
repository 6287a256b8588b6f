"""What the container tests share: commands under the project's podman settings, check
reporting and the KPI oracle. Each test's first argument is the source directory."""
import csv
import decimal
import io
import os
import re
import socket
import subprocess
import sys

SRC = os.path.abspath(sys.argv[1])
CONTAINERS = os.path.join(SRC, "scripts", "containers")
ENV = dict(os.environ, CONTAINERS_CONF=os.path.join(SRC, "containers", "containers.conf"))
failures = []


def sh(*args, check=True, capture=True, timeout=1800):
    r = subprocess.run(args, env=ENV, text=True, timeout=timeout,
                       stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE if capture else None)
    if check and r.returncode != 0:
        raise SystemExit(f"FAILED ({r.returncode}): {' '.join(args)}\n{r.stdout or ''}{r.stderr or ''}")
    return r


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def day(text):
    """(year, month, day) of a date as silver reads it: d/M/yyyy, d-M-yyyy, d.M.yyyy or ISO."""
    parts = [int(p) for p in re.split(r"[/.-]", text)]
    return tuple(parts) if len(str(parts[0])) == 4 and text[4] == "-" else (parts[2], parts[1], parts[0])


def oracle(csv_text):
    """KPIs from the CSV by the definitions in README "Key figures": first line of each
    order-line id wins, money in exact decimals, ratios rounded half away from zero."""
    seen, orders, days, by_pizza = set(), set(), set(), {}
    revenue, pizzas, lines, dups = decimal.Decimal(0), 0, 0, 0
    for row in csv.DictReader(io.StringIO(csv_text)):
        lines += 1
        if row["pizza_id"] in seen:
            dups += 1
            continue
        seen.add(row["pizza_id"])
        revenue += decimal.Decimal(row["total_price"])
        pizzas += int(row["quantity"])
        orders.add(row["order_id"])
        days.add(day(row["order_date"]))
        by_pizza[row["pizza_name"]] = by_pizza.get(row["pizza_name"], 0) + decimal.Decimal(row["total_price"])
    q = lambda x: float(x.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP))
    return {"total_revenue": float(revenue), "total_orders": len(orders), "total_pizzas_sold": pizzas,
            "avg_order_value": q(revenue / len(orders)),
            "avg_pizzas_per_order": q(decimal.Decimal(pizzas) / len(orders)),
            "avg_orders_per_day": q(decimal.Decimal(len(orders)) / len(days)),
            "top_pizza_by_revenue": max(by_pizza, key=by_pizza.get),
            "received": lines, "duplicates": dups, "silver": lines - dups}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
