"""Load for `bench/run.py`: signed-in users asking for one page, as fast as it answers.

BENCH_PATH is the page, BENCH_COOKIE the `Cookie` header of a signed-in session
(empty for a page that needs no sign-in). No think time: the figure is how many
requests the server's processes answer per second.
"""

import os

from locust import HttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/healthz")
COOKIE = os.environ.get("BENCH_COOKIE", "")


class Reader(HttpUser):
    wait_time = constant(0)

    @task
    def page(self):
        headers = {"Cookie": COOKIE} if COOKIE else {}
        with self.client.get(PATH, headers=headers, name=PATH, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
