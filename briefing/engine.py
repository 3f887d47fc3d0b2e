"""The engine pool: renders pooled formats' jobs (PDF now) in this process or in warm worker processes.

Jobs are submitted as the build prepares them, so with more than one worker
the pool renders while the build goes on selecting and rendering the next
documents.  The built-in pool is forked after a warm-up job has run in this
process, so workers start with the engine imported and its fonts decoded.
Any ``concurrent.futures.Executor`` works instead (Dask's or a Ray adapter):
jobs and results are plain picklable data.

Hostile or broken content must not take the machine down with it: each job
runs under a watchdog (``MAX_RENDER_SECONDS``, by SIGALRM, wherever the job
runs in a process's main thread: a worker, or the build's own thread), and
each forked worker may map at most ``MAX_WORKER_BYTES``.  Either limit, and
running out of memory anywhere, is a ``RenderError`` naming the document.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor
from types import FrameType
from typing import Any

from .errors import BriefingError, RenderError
from .registry import Job, Rendered

MAX_RENDER_SECONDS: float = 120.0  # per document; 0 turns the watchdog off
MAX_WORKER_BYTES: int = 2 * 1024**3  # address space of a forked worker (RLIMIT_AS)


class _Watchdog:
    """SIGALRM after ``seconds``, raising a RenderError in the job; restores any timer it displaced."""

    def __init__(self, label: str, seconds: float):
        self.label, self.seconds = label, seconds
        self.fired = False
        self._previous: Any = None
        self._displaced = (0.0, 0.0)
        self._started = 0.0

    @staticmethod
    def usable(seconds: float) -> bool:
        return (seconds > 0 and hasattr(signal, "setitimer")
                and threading.current_thread() is threading.main_thread())

    def error(self) -> RenderError:
        return RenderError("cannot render", self.label,
                           f"it took longer than {self.seconds:g} s, the limit for one document")

    def _alarm(self, _signum: int, _frame: FrameType | None) -> None:
        self.fired = True
        raise self.error()

    def start(self) -> None:
        self._previous = signal.signal(signal.SIGALRM, self._alarm)
        self._started = time.monotonic()
        self._displaced = signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if self._previous is None else self._previous)
        delay, interval = self._displaced
        if delay > 0:  # someone else's timer was running: give it back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(delay - (time.monotonic() - self._started), 0.001), interval)


def run_job(job: Job, label: str = "") -> Rendered:
    """Run one job under the limits (top-level, so process pools can pickle the call).

    ``label`` names the document in errors (default: the job's own ``label`` attribute, if any).
    """
    label = label or str(getattr(job, "label", "") or type(job).__name__)
    watchdog = _Watchdog(label, MAX_RENDER_SECONDS) if _Watchdog.usable(MAX_RENDER_SECONDS) else None
    try:
        if watchdog is not None:
            watchdog.start()
        try:
            rendered = job.run()
            if watchdog is not None and watchdog.fired:  # the job swallowed the alarm
                raise watchdog.error()
            return rendered
        finally:
            if watchdog is not None:
                watchdog.stop()
    except MemoryError:
        raise RenderError("cannot render", label, "it ran out of memory "
                          f"(a rendering process may use {MAX_WORKER_BYTES / 1024**3:g} GiB)") from None
    except BaseException as error:
        if watchdog is not None and watchdog.fired and not isinstance(error, KeyboardInterrupt):
            raise watchdog.error() from None  # whatever the engine made of the alarm, it was the time limit
        raise


def _mapped_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(limit: int) -> None:
    """Cap this process's address space at ``limit`` bytes (the pool's initializer; best effort).

    A worker forked from a large process keeps what it inherited plus a quarter of the limit, so the
    cap stops a runaway document without failing a worker before it starts.
    """
    try:
        import resource
    except ImportError:  # not a POSIX system
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = max(limit, _mapped_bytes() + limit // 4)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft == resource.RLIM_INFINITY or soft > cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        pass  # a platform that refuses: run without the cap


class EnginePool:
    """Runs jobs in this process (one worker), in a forked pool, or on ``executor``."""

    def __init__(self, *, workers: int = 1, executor: Executor | None = None):
        self.workers = workers
        self.executor = executor
        self._pool: Executor | None = None
        self._warmed: set[str] = set()

    def submit(self, job: Job, *, warm_up: Job | None = None, kind: str = "", label: str = "") -> Future[Rendered]:
        """Queue ``job`` (``label`` names its document in errors); ``warm_up`` (once per ``kind``) runs here
        first when a pool is about to fork."""
        if self.executor is not None:
            return self.executor.submit(run_job, job, label)
        if self.workers <= 1:
            done: Future[Rendered] = Future()
            try:
                done.set_result(run_job(job, label))
            except BriefingError as exc:
                done.set_exception(exc)
            return done
        if self._pool is None:
            import multiprocessing

            if warm_up is not None and kind not in self._warmed:
                run_job(warm_up, f"{kind} warm-up")
                self._warmed.add(kind)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("fork"),
                                             initializer=limit_memory, initargs=(MAX_WORKER_BYTES,))
        try:
            return self._pool.submit(run_job, job, label)
        except BrokenExecutor as error:  # a worker died: the job that killed it reports it; this one fails too
            broken: Future[Rendered] = Future()
            broken.set_exception(error)
            return broken

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> EnginePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
