"""Group commit: one writer thread runs queued write jobs in batches, one transaction and one fsync per batch.

Each job runs under its own savepoint, so a failing job writes nothing while the others in its batch commit.
A job's future resolves only after COMMIT returned, so nothing is acknowledged before it is durable.
"""

import queue
import threading
from concurrent.futures import Future

from companion.store.db import Database
from companion.store.errors import storage_fault

MAX_BATCH = 64


class Writer:
    """The single write path of a running server."""

    def __init__(self, db: Database, max_batch: int = MAX_BATCH):
        self.db, self.max_batch = db, max_batch
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="vetscribe-db-writer", daemon=True)
        self._thread.start()

    def submit(self, fn, *args, **kwargs) -> Future:
        """Queue `fn(db, *args, **kwargs)`; the future holds its result once committed."""
        future: Future = Future()
        self._queue.put((fn, args, kwargs, future))
        return future

    def close(self) -> None:
        """Finish every queued job, then stop the thread."""
        self._queue.put(None)
        self._thread.join()

    def _take_batch(self) -> tuple[list, bool]:
        first = self._queue.get()
        if first is None:
            return [], True
        jobs = [first]
        while len(jobs) < self.max_batch:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                return jobs, True
            jobs.append(job)
        return jobs, False

    def _loop(self) -> None:
        stop = False
        while not stop:
            jobs, stop = self._take_batch()
            if jobs:
                self._run(jobs)

    def _run(self, jobs: list) -> None:
        outcomes = []
        try:
            with self.db.batch():
                for fn, args, kwargs, _future in jobs:
                    ok, value = self.db.run_in_batch(fn, *args, **kwargs)
                    fault = None if ok else storage_fault(value)
                    if fault is not None:
                        # The disk refused a write: SQLite may have dropped the whole transaction, so no job of
                        # this batch may be acknowledged (a later one could otherwise autocommit on its own).
                        raise fault from value
                    outcomes.append((ok, value))
        except Exception as exc:  # noqa: BLE001 - the commit itself failed: nothing in the batch is durable
            error = storage_fault(exc) or exc
            for *_, future in jobs:
                future.set_exception(error)
            return
        for (*_, future), (ok, value) in zip(jobs, outcomes):
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
