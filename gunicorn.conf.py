"""Gunicorn settings read from the working directory by every start (Procfile, the image, the benches).

Metrics across processes: gunicorn answers with several worker processes, each counting its own HTTP
requests (justis/metrics.py). prometheus-client's multiprocess mode adds them up when
``PROMETHEUS_MULTIPROC_DIR`` names an empty directory before the workers start. The master sets it (to a
private directory when the environment does not name one), empties it at every start, tells the library
when a worker dies, and removes its own directory on the way out.
"""

import os
import shutil
import tempfile

_OWN_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR" not in os.environ


def on_starting(server):
    path = os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"justis-prometheus-{os.getpid()}")
    )
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _OWN_DIRECTORY:
        shutil.rmtree(os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""), ignore_errors=True)
