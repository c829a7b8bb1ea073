"""Where a study's games are played: this process, local processes, or a Dask cluster.

Every backend takes the same tasks — (scenario id, job, seeds), plain
values — and yields each task's rows as it finishes, in whatever order;
the runner stores rows by (cell, seed), so the order never shows in the
result.  Dask distributed is the cluster engine (``pip install -e
".[cluster]"``): its scheduler and workers are plain Python processes
started with one command each, and a ``LocalCluster`` runs the same code
on one machine.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Iterator

from engine.study.play import play_batch

Task = tuple[str, dict, list[int]]


class BackendError(Exception):
    """The chosen backend cannot start (one line for the user)."""


def run_inline(tasks: list[Task]) -> Iterator[list[dict[str, Any]]]:
    for task in tasks:
        yield play_batch(*task)


def run_processes(tasks: list[Task], workers: int) -> Iterator[list[dict[str, Any]]]:
    """A pool of ``workers`` local processes; at most two tasks per worker in flight."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = set()
        queue = iter(tasks)
        for task in queue:
            pending.add(pool.submit(play_batch, *task))
            if len(pending) >= 2 * workers:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.add(pool.submit(play_batch, *nxt))


def _dask():
    try:
        import distributed
    except ImportError:
        raise BackendError("--cluster needs Dask distributed: pip install -e \".[cluster]\"") from None
    return distributed


def run_dask(tasks: list[Task], address: str, workers: int) -> Iterator[list[dict[str, Any]]]:
    """On the Dask scheduler at ``address``; ``local`` starts a LocalCluster of
    ``workers`` single-threaded processes for the run."""
    distributed = _dask()
    cluster = None
    try:
        if address == "local":
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=None, host="127.0.0.1")
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(address, timeout="5s")
    except (OSError, TimeoutError, ValueError) as err:
        if cluster is not None:
            cluster.close()
        raise BackendError(f"cannot reach the Dask scheduler at {address!r}: {err}") from None
    try:
        futures = [client.submit(play_batch, *task, pure=False) for task in tasks]
        for fut in distributed.as_completed(futures):
            try:
                rows = fut.result()
            except Exception as err:  # a worker's failure, shipped back: one line for the user
                first = (str(err).strip().splitlines() or [""])[0]
                raise BackendError(f"a task failed on the Dask cluster at {address}: {type(err).__name__}: "
                                   f"{first} (are Crossroads and the same packages installed on the "
                                   f"scheduler and every worker?)") from None
            yield rows
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
