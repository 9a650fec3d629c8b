"""The users of the load test; ``bench/load_test.py`` runs this file and reads its results.

The plan (a JSON file named by ``HOTLINE_LOAD_PLAN``) gives the accounts' tokens and the
mode:

* ``work`` — operators take calls: each registers an order through the API and dispatches
  it to one of the load test's units; each unit handler keeps its unit's inbox empty,
  signing for the orders awaiting it and replying to those it has signed for;
* ``intake`` — operators only register orders, at a fixed total rate (``rate`` orders/s)
  or, with rate 0, as fast as the server answers.

Every registration carries a marker unique to the run, operator and call in its content,
so that the check after the run finds each accepted order by it. When the run ends the
file writes what the server accepted (marker → number; the numbers dispatched, signed
for and replied to), every refusal, the requests still unanswered when the run was
stopped (none when every user finishes its request in hand, as it should), and the time
of every request, to ``results``. Once the run is stopping no user starts anything new:
locust stops a user that is waiting by killing it, and the kill can land in the next
request if the wait has just ended.
"""

import json
import os
import random
import time
from collections import defaultdict
from itertools import count
from pathlib import Path

from locust import FastHttpUser, between, constant, constant_throughput, events, task

PLAN = json.loads(Path(os.environ["HOTLINE_LOAD_PLAN"]).read_text(encoding="utf-8"))
RUN = PLAN["run"]
WORK = PLAN["mode"] == "work"
INBOX_PAGE = 20

# What the client saw; written out when the run stops.
accepted: dict[str, str] = {}  # marker → order number
done: dict[str, list[str]] = defaultdict(list)  # action → order numbers
refused: list[dict] = []  # every answer that was not a success, and every broken request
unanswered: set[tuple[str, str]] = set()  # (request name, marker or number) under way
latencies: dict[str, list[float]] = defaultdict(list)  # request name → milliseconds
span = {"first": None, "last": None}
stopping = False

_operators = count()
_units = count()


@events.request.add_listener
def _timed(request_type, name, response_time, response_length, exception, **kwargs):
    now = time.time()
    span["first"] = span["first"] or now - response_time / 1000
    span["last"] = now
    latencies[name].append(response_time)


@events.test_stopping.add_listener
def _stopping(environment, **kwargs):
    global stopping
    stopping = True


@events.test_stop.add_listener
def _write(environment, **kwargs):
    with open(PLAN["results"], "w", encoding="utf-8") as out:
        json.dump(
            {
                "accepted": accepted,
                "done": done,
                "refused": refused,
                "unanswered": sorted(unanswered),
                "latencies": latencies,
                "span": span,
            },
            out,
        )


class ApiUser(FastHttpUser):
    abstract = True
    # The server closes idle connections after each answer (gunicorn's sync workers).
    connection_timeout = 60.0
    network_timeout = 120.0

    def _call(self, name: str, key: str, method: str, path: str, body: dict | None = None):
        """The answer's JSON on success; ``None`` (and the refusal recorded) otherwise.
        ``key`` names what the request is about (a marker or an order number)."""
        headers = {"Authorization": f"Token {self.token}"}
        unanswered.add((name, key))
        with self.client.request(
            method, path, name=name, json=body, headers=headers, catch_response=True
        ) as response:
            unanswered.discard((name, key))
            if response.status_code in (200, 201):
                return response.json()
            detail = (response.text or "")[:300]
            refused.append({"name": name, "status": response.status_code, "detail": detail})
            response.failure(f"HTTP {response.status_code}: {detail}")
            return None


class Operator(ApiUser):
    """An operator (or the province platform) passing calls on as orders."""

    fixed_count = PLAN["operators"]
    if WORK:
        wait_time = between(*PLAN["operator_wait"])
    elif PLAN["rate"]:
        wait_time = constant_throughput(PLAN["rate"] / PLAN["operators"])
    else:
        wait_time = constant(0)

    def on_start(self):
        self.index = next(_operators)
        self.token = PLAN["operator_tokens"][self.index % len(PLAN["operator_tokens"])]
        self.calls = count(1)
        self.random = random.Random(f"{RUN}-{self.index}")

    @task
    def take_a_call(self):
        if stopping:
            return
        call = next(self.calls)
        marker = f"{RUN}-{self.index:03d}-{call:06d}"
        pick = self.random.choice
        order = self._call(
            "register",
            marker,
            "POST",
            "/api/orders/",
            {
                "channel": pick(("phone", "province_platform", "website")),
                "appeal_type": pick(("complaint", "help", "consult", "report", "suggestion")),
                "content": f"{pick(PLAN['texts'])}（编号 {marker}）",
                "category": pick(PLAN["categories"]),
                "region": pick(PLAN["regions"]),
                "address": "湘潭市岳塘区书院路12号",
                "citizen": {"name": "李先生", "phone": f"138{self.random.randrange(10**8):08d}"},
            },
        )
        if order is None:
            return
        accepted[marker] = order["number"]
        if not WORK:
            return
        lead = PLAN["units"][(self.index + call) % len(PLAN["units"])]["code"]
        body = {"lead": lead, "version": order["version"]}
        number = order["number"]
        if self._call("dispatch", number, "POST", f"/api/orders/{number}/dispatch/", body):
            done["dispatch"].append(order["number"])


class UnitHandler(ApiUser):
    """A unit's liaison working through the unit's inbox, oldest first."""

    fixed_count = PLAN["unit_handlers"] if WORK else 0
    wait_time = between(*PLAN["unit_wait"]) if WORK else constant(0)

    def on_start(self):
        unit = PLAN["units"][next(_units) % len(PLAN["units"])]
        self.token, self.unit = unit["token"], unit["code"]

    def _inbox(self, status: str) -> list[dict]:
        """The unit's own orders (it also sees its sub-units', which they handle)."""
        if stopping:
            return []
        query = f"status={status}&lead_unit={self.unit}&page_size={INBOX_PAGE}"
        page = self._call(f"inbox ({status})", self.unit, "GET", f"/api/orders/?{query}")
        return page["results"] if page and not stopping else []

    @task
    def work_the_inbox(self):
        for order in self._inbox("dispatched"):
            number = order["number"]
            body = {"version": order["version"]}
            if self._call("sign", number, "POST", f"/api/orders/{number}/sign/", body):
                done["sign"].append(number)
            if stopping:
                return
        for order in self._inbox("in_progress"):
            number = order["number"]
            body = {"text": "已联系市民并现场处理完毕。", "version": order["version"]}
            if self._call("reply", number, "POST", f"/api/orders/{number}/reply/", body):
                done["reply"].append(number)
            if stopping:
                return
