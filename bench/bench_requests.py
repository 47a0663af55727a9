"""Benchmark 9: the load test's requests one at a time (bench/run requests).

``bench_requests.py -c odoo.conf -d hmc_load_<mode> --plan plan.json --out
result.json`` then ``bench_requests.py --report complaint.json plain.json``.

The Locust file's own tasks (bench/locustfile.py) run in this process, one
request at a time: a stand-in ``locust`` module gives each simulated user a
client that sends its requests through Odoo's whole WSGI stack
(``werkzeug.test.Client`` on ``odoo.http.root``, the user's session cookie)
and records, under the request's Locust name, the wall time, the CPU time of
this process and the SQL queries (``odoo.sql_db.sql_counter``). Without
concurrency nor a network, what is left is each request's own work: the
service time that Locust's percentiles add queueing to. It runs in a minute
and repeats within a few percent, so a change can be checked before the
11-minute load test.

Each round runs every task of every user kind once (handlers in turn,
portal customers, the mail gateway); BENCH_REQUESTS_ROUNDS (default 30)
rounds after 3 warm-up rounds. BENCH_REQUESTS_PROFILE=1 also writes a
cProfile file per request name beside the result (``<out>.<name>.prof``).
The requests commit: run it on the load test's throw-away databases only
(refused unless the name starts with ``hmc_load_``).
"""

import argparse
import contextlib
import cProfile
import importlib
import json as jsonlib
import os
import statistics
import sys
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))


class Recorder:
    """Time, CPU time and queries of each request, by Locust request name."""

    def __init__(self, profile_dir=None):
        self.samples = {}
        self.failures = {}
        self.active = True
        self.profiles = {} if profile_dir else None

    @contextlib.contextmanager
    def measure(self, name):
        import odoo.sql_db

        profiler = None
        if self.profiles is not None and self.active:
            profiler = self.profiles.setdefault(name, cProfile.Profile())
            profiler.enable()
        queries = odoo.sql_db.sql_counter
        cpu = time.process_time()
        start = time.perf_counter()
        try:
            yield
        finally:
            wall = (time.perf_counter() - start) * 1000.0
            cpu = (time.process_time() - cpu) * 1000.0
            if profiler:
                profiler.disable()
            if self.active:
                self.samples.setdefault(name, []).append(
                    (wall, cpu, odoo.sql_db.sql_counter - queries)
                )

    def fail(self, name, message):
        if self.active:
            self.failures.setdefault(name, []).append(message)


class Response:
    """What a Locust response offers the locustfile (catch_response mode)."""

    def __init__(self, recorder, name, response):
        self.recorder = recorder
        self.name = name
        self.status_code = response.status_code
        self.text = response.get_data(as_text=True)

    def json(self):
        return jsonlib.loads(self.text)

    def failure(self, message):
        self.recorder.fail(self.name, message)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class WsgiClient:
    """The subset of Locust's HttpSession the locustfile uses."""

    def __init__(self, recorder):
        from werkzeug.test import Client

        from odoo import http

        self.recorder = recorder
        self.client = Client(http.root)
        self.cookies = self

    def set(self, name, value):  # client.cookies.set(...)
        self.client.set_cookie("localhost", name, value)

    def _send(self, method, url, name, **kwargs):
        with self.recorder.measure(name):
            response = self.client.open(url, method=method, **kwargs)
        return Response(self.recorder, name, response)

    def post(self, url, json=None, data=None, name=None, **_kwargs):
        if json is not None:
            return self._send(
                "POST",
                url,
                name or url,
                data=jsonlib.dumps(json),
                content_type="application/json",
            )
        return self._send("POST", url, name or url, data=data)

    def get(self, url, name=None, **_kwargs):
        return self._send("GET", url, name or url)


def fake_locust(recorder):
    """A `locust` module for the locustfile's imports."""
    module = types.ModuleType("locust")

    class HttpUser:
        abstract = True

        def __init__(self):
            self.client = WsgiClient(recorder)

    def task(weight=1):
        if callable(weight):
            weight.locust_task = 1
            return weight

        def mark(func):
            func.locust_task = weight
            return func

        return mark

    module.HttpUser = HttpUser
    module.task = task
    module.between = lambda low, high: None
    module.constant_throughput = lambda rate: None
    return module


def tasks_of(cls):
    return [
        getattr(cls, name)
        for name in sorted(dir(cls))
        if getattr(getattr(cls, name), "locust_task", None)
    ]


def run(args):
    if not args.database.startswith("hmc_load_"):
        sys.exit("bench_requests.py commits: use a hmc_load_* database")
    import odoo

    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
    )
    odoo.tools.config["db_name"] = args.database
    odoo.tools.config["dbfilter"] = f"^{args.database}$"
    recorder = Recorder(profile_dir=os.environ.get("BENCH_REQUESTS_PROFILE") == "1")
    sys.modules["locust"] = fake_locust(recorder)
    os.environ["LOAD_PLAN"] = args.plan
    os.environ["BENCH_LOAD_HANDLER_ARRIVAL"] = "0"  # no staggered start here
    sys.path.insert(0, HERE)
    locustfile = importlib.import_module("locustfile")
    kinds = [locustfile.Handler, locustfile.PortalCustomer, locustfile.MailGateway]
    users = {}
    recorder.active = False
    for cls in kinds:
        users[cls] = [cls() for _ in range(min(cls.fixed_count, 5))]
        for user in users[cls]:
            user.on_start()
    rounds = int(os.environ.get("BENCH_REQUESTS_ROUNDS") or 30)
    for number in range(3 + rounds):
        recorder.active = number >= 3
        for cls in kinds:
            for func in tasks_of(cls):
                user = users[cls][number % len(users[cls])]
                func(user)
    result = {"samples": recorder.samples, "failures": recorder.failures}
    with open(args.out, "w") as fh:
        jsonlib.dump(result, fh)
    if recorder.profiles:
        for name, profiler in recorder.profiles.items():
            slug = "".join(c if c.isalnum() else "_" for c in name)
            profiler.dump_stats(f"{args.out}.{slug}.prof")
    failed = sum(len(v) for v in recorder.failures.values())
    print(f"{args.database}: {rounds} rounds, {failed} failed requests")
    for name, messages in sorted(recorder.failures.items()):
        print(f"  {name}: {messages[0]}")


def summary(samples):
    walls = sorted(s[0] for s in samples)
    return {
        "n": len(samples),
        "median": statistics.median(walls),
        "p90": walls[min(len(walls) - 1, int(len(walls) * 0.9))],
        "cpu": statistics.median(s[1] for s in samples),
        "queries": statistics.median(s[2] for s in samples),
    }


def report(complaint_file, plain_file):
    with open(complaint_file) as fh:
        comp = jsonlib.load(fh)
    with open(plain_file) as fh:
        plain = jsonlib.load(fh)
    print(
        "| request | C n | C median ms | C p90 ms | C CPU ms | C queries "
        "| P n | P median ms | P p90 ms | P CPU ms | P queries | median C/P |"
    )
    print("|" + "---|" * 12)
    for name in sorted(set(comp["samples"]) | set(plain["samples"])):
        c = summary(comp["samples"].get(name) or [(0, 0, 0)])
        p = summary(plain["samples"].get(name) or [(0, 0, 0)])
        ratio = c["median"] / p["median"] if p["median"] else 0
        print(
            f"| {name} | {c['n']} | {c['median']:.1f} | {c['p90']:.1f} "
            f"| {c['cpu']:.1f} | {c['queries']:g} | {p['n']} | {p['median']:.1f} "
            f"| {p['p90']:.1f} | {p['cpu']:.1f} | {p['queries']:g} | {ratio:.2f}x |"
        )
    for label, data in (("complaints", comp), ("plain", plain)):
        failed = sum(len(v) for v in data["failures"].values())
        print(f"\nfailed requests ({label}): {failed}")
        for name, messages in sorted(data["failures"].items()):
            print(f"  {name}: {len(messages)}, e.g. {messages[0]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config")
    parser.add_argument("-d", "--database")
    parser.add_argument("--plan")
    parser.add_argument("--out")
    parser.add_argument("--report", nargs=2, metavar=("COMPLAINT", "PLAIN"))
    args = parser.parse_args()
    if args.report:
        report(*args.report)
    else:
        run(args)


if __name__ == "__main__":
    main()
