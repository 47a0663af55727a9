"""Warm the HTTP workers of the load test before it is measured.

Each prefork worker builds its view cache (combined arch, field
descriptions, selection translations) on its first ``get_views``: a server
that has just started pays it once per worker, which a production server has
long done.  Both runs (complaints and plain tickets) get the same calls, from
several threads so that both workers take some; nothing here is counted.

    python3 _warmup.py <base url> <plan.json>
"""

import json
import sys
import threading
import urllib.request

from _specs import get_views_kwargs, handler_context

CALLS = 8


def get_views(base, plan, handler):
    kwargs = get_views_kwargs(plan, handler_context(plan, handler["uid"]))
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": "helpdesk.ticket",
                "method": "get_views",
                "args": [],
                "kwargs": kwargs,
            },
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/web/dataset/call_kw/helpdesk.ticket/get_views",
        data=body,
        headers={
            "Content-Type": "application/json",
            "Cookie": f"session_id={handler['sid']}",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        if "result" not in json.load(response):
            raise RuntimeError("warm-up get_views failed")


def main(base, plan_path):
    plan = json.load(open(plan_path))
    handlers = plan["handlers"]
    failures = []

    def call(handler):
        try:
            get_views(base, plan, handler)
        except Exception as error:  # reported below: the run goes on, cold
            failures.append(error)

    threads = [
        threading.Thread(target=call, args=(handlers[i % len(handlers)],))
        for i in range(CALLS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"{len(failures)} of {CALLS} warm-up calls failed: {failures[0]}")


if __name__ == "__main__":
    main(*sys.argv[1:])
