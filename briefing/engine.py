"""The engine pool: renders pooled formats' jobs (PDF now) in this process or in warm worker processes.

Jobs are submitted as the build prepares them, so with more than one worker
the pool renders while the build goes on selecting and rendering the next
documents.  The built-in pool is forked after a warm-up job has run in this
process, so workers start with the engine imported and its fonts decoded.
Any ``concurrent.futures.Executor`` works instead (Dask's or a Ray adapter):
jobs and results are plain picklable data.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future, ProcessPoolExecutor

from .errors import BriefingError
from .registry import Job, Rendered


def run_job(job: Job) -> Rendered:
    """Run one job (top-level, so process pools can pickle the call)."""
    return job.run()


class EnginePool:
    """Runs jobs in this process (one worker), in a forked pool, or on ``executor``."""

    def __init__(self, *, workers: int = 1, executor: Executor | None = None):
        self.workers = workers
        self.executor = executor
        self._pool: Executor | None = None
        self._warmed: set[str] = set()

    def submit(self, job: Job, *, warm_up: Job | None = None, kind: str = "") -> Future[Rendered]:
        """Queue ``job``; ``warm_up`` (once per ``kind``) runs here first when a pool is about to fork."""
        if self.executor is not None:
            return self.executor.submit(run_job, job)
        if self.workers <= 1:
            done: Future[Rendered] = Future()
            try:
                done.set_result(job.run())
            except BriefingError as exc:
                done.set_exception(exc)
            return done
        if self._pool is None:
            import multiprocessing

            if warm_up is not None and kind not in self._warmed:
                warm_up.run()
                self._warmed.add(kind)
            self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                             mp_context=multiprocessing.get_context("fork"))
        return self._pool.submit(run_job, job)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> EnginePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
