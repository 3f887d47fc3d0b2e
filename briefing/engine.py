"""The engine pool: renders pooled formats' jobs (PDF now) in this process or in warm worker processes.

Jobs are submitted as the build prepares them, so with more than one worker
the pool renders while the build goes on selecting and rendering the next
documents.  The built-in pool is forked as soon as the build knows it has
documents for it, and each worker runs a warm-up job first (the engine
imported, its fonts loaded) while the build renders templates, so the build's
own process never loads the engine.
Any ``concurrent.futures.Executor`` works instead (Dask's or a Ray adapter):
jobs and results are plain picklable data.

Hostile or broken content must not take the machine down with it: each job
runs under a watchdog (``MAX_RENDER_SECONDS``, by SIGALRM, wherever the job
runs in a process's main thread: a worker, or the build's own thread), and
each forked worker may map at most ``MAX_WORKER_BYTES``.  Either limit, and
running out of memory anywhere, is a ``RenderError`` naming the document.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, ProcessPoolExecutor, wait
from types import FrameType
from typing import Any, TypeVar

from .errors import BriefingError, RenderError
from .registry import Job, Rendered

T = TypeVar("T")

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


def start_worker(limit: int, warm_ups: tuple[Job, ...]) -> None:
    """A pool worker's initializer: the memory cap, then the warm-up (engine imported, fonts loaded) so
    the first document it gets renders at full speed. A failing warm-up is ignored: the real job that
    needs the same thing reports it, naming its document."""
    # Ctrl-C and a hang-up reach every process of the terminal's group: the build's own process handles
    # them (it stops the workers and leaves the output as it was); a worker would only print a traceback.
    # SIGTERM ends a worker at once, as the pool's ``terminate`` expects, whatever handler it inherited.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    limit_memory(limit)
    for warm_up in warm_ups:
        with contextlib.suppress(Exception):  # see above
            run_job(warm_up, "warm-up")


# How often a thread waiting for jobs wakes. The kernel may hand a signal (Ctrl-C, SIGTERM) to any
# thread; Python runs its handler only when the main thread next runs, and a wait with no timeout
# never ends for it: the build would wait for its longest document before it stopped.
WAKE_SECONDS = 0.2


def as_done(futures: Iterable[Future[T]]) -> Iterator[Future[T]]:
    """``concurrent.futures.as_completed``, waking every ``WAKE_SECONDS`` so a signal is acted on at once."""
    waiting = set(futures)
    while waiting:
        done, waiting = wait(waiting, timeout=WAKE_SECONDS, return_when=FIRST_COMPLETED)
        yield from done


def stop_workers(executor: Executor) -> None:
    """End a process pool's workers now, whatever they are rendering (their documents are not wanted any
    more), and shut the pool down; any other executor is only shut down, its queued jobs cancelled."""
    if isinstance(executor, ProcessPoolExecutor):
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            with contextlib.suppress(OSError):
                process.terminate()
    executor.shutdown(cancel_futures=True)


class EnginePool:
    """Runs jobs in this process (one worker), in a forked pool, or on ``executor``."""

    def __init__(self, *, workers: int = 1, executor: Executor | None = None):
        self.workers = workers
        self.executor = executor
        self._pool: Executor | None = None

    @property
    def parallel(self) -> bool:
        """Whether jobs run beside this process (workers or an executor), not in it as they are submitted."""
        return self.executor is not None or self.workers > 1

    def start(self, warm_ups: Sequence[Job] = ()) -> None:
        """Start the worker processes now (more than one worker, no executor): each runs ``warm_ups``
        while this process goes on preparing documents, so this one never loads an engine."""
        if self.executor is not None or self.workers <= 1 or self._pool is not None:
            return
        import multiprocessing

        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("fork"),
                                         initializer=start_worker, initargs=(MAX_WORKER_BYTES, tuple(warm_ups)))
        self._pool.submit(os.getpid)  # with fork, the first submission launches every worker at once

    def submit(self, job: Job, *, label: str = "") -> Future[Rendered]:
        """Queue ``job`` (``label`` names its document in errors), starting the pool if ``start`` was not
        called."""
        if self.executor is not None:
            return self.executor.submit(run_job, job, label)
        if self.workers <= 1:
            done: Future[Rendered] = Future()
            try:
                done.set_result(run_job(job, label))
            except BriefingError as exc:
                done.set_exception(exc)
            return done
        self.start()
        assert self._pool is not None
        try:
            return self._pool.submit(run_job, job, label)
        except BrokenExecutor as error:  # a worker died: the job that killed it reports it; this one fails too
            broken: Future[Rendered] = Future()
            broken.set_exception(error)
            return broken

    def close(self, *, stop: bool = False) -> None:
        """Wait for the workers to finish, or with ``stop`` (the build failed or was interrupted) end them
        now: their documents are not wanted any more."""
        if self._pool is not None:
            if stop:
                stop_workers(self._pool)
            else:
                self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> EnginePool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(stop=kind is not None)
