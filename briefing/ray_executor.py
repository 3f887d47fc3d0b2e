"""Run a build's pooled render jobs (the PDFs) as Ray tasks, on this machine or a Ray cluster.

``briefing.build(project, executor=...)`` takes any ``concurrent.futures.Executor``, and Ray has none (its
tasks return ``ObjectRef``s), so ``RayExecutor`` adapts it: each ``submit`` is a Ray task whose result
completes a standard ``Future``.  A ``RenderError`` a job raises reaches the build as itself, not as Ray's
``RayTaskError``; a worker or node that dies is a ``BrokenExecutor`` (``RayWorkerLost``), reported as "the
rendering process died".  Jobs are not retried: a document that kills its worker fails at once.

Usage (``pip install "briefing[ray]"``; Ray's workers need the same briefing installed)::

    import briefing
    from briefing.ray_executor import RayExecutor

    if __name__ == "__main__":
        with RayExecutor() as ex:  # a local Ray; RayExecutor(address="auto") joins a running cluster
            briefing.build("project", executor=ex)

A Ray already initialised is used as it is and left running.  ``memory`` (bytes) is a Ray scheduling
reservation, not the built-in pool's hard per-worker cap; the per-document time limit still applies.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import importlib
import inspect
import threading
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, Future, InvalidStateError
from typing import Any, ParamSpec, TypeVar

from .errors import UsageError

_P = ParamSpec("_P")
_T = TypeVar("_T")

# Ray's errors meaning the process (or machine) running a task is gone, not that the task raised.
_LOST = ("WorkerCrashedError", "OutOfMemoryError", "NodeDiedError", "LocalRayletDiedError", "ObjectLostError")


def _call(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Calls what Ray cannot make a task of itself (a builtin, a bound method, a partial), inside a task."""
    return fn(*args, **kwargs)


class RayWorkerLost(BrokenExecutor):
    """The Ray worker or node running a job died (killed, or out of memory), or Ray was shut down under it."""


class _RayFuture(Future[_T]):
    """The Future of one Ray task; cancelling it (while not done) cancels the task too, best effort."""

    def __init__(self, ray: Any, ref: Any):
        super().__init__()
        self._ray, self.ref = ray, ref

    def cancel(self) -> bool:
        if not super().cancel():
            return False
        self.set_running_or_notify_cancel()  # until notified, concurrent.futures.wait() does not count it done
        self._ray.cancel(self.ref)
        return True


class RayExecutor(Executor):
    """A ``concurrent.futures.Executor`` running each call as a Ray task (``num_cpus`` and ``memory`` each)."""

    def __init__(self, *, address: str | None = None, num_cpus: float = 1, memory: int | None = None,
                 init_options: dict[str, Any] | None = None):
        try:
            self._ray: Any = importlib.import_module("ray")
        except ImportError:
            raise UsageError('RayExecutor needs Ray, which is not installed: pip install "briefing[ray]"') from None
        options = {"num_cpus": num_cpus, "max_retries": 0, "memory": memory}  # Ray's per-task options
        self._options = {name: value for name, value in options.items() if value is not None}
        self._owns_ray = not self._ray.is_initialized()
        if self._owns_ray:
            self._ray.init(address=address, **(init_options or {}))
        self._remote: dict[Callable[..., Any], Any] = {}
        self._pending: set[_RayFuture[Any]] = set()
        self._lock = threading.Lock()
        self._shut = False

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        with self._lock:
            if self._shut:
                raise RuntimeError("cannot schedule new futures after shutdown")
            task, task_args = (fn, args) if inspect.isfunction(fn) else (_call, (fn, *args))
            if task not in self._remote:  # one remote function per function, reused for every call
                self._remote[task] = self._ray.remote(task).options(**self._options)
            future: _RayFuture[_T] = _RayFuture(self._ray, self._remote[task].remote(*task_args, **kwargs))
            self._pending.add(future)
        future.ref.future().add_done_callback(lambda done: self._settle(future, done))
        return future

    def _settle(self, future: _RayFuture[Any], done: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)
        error = done.exception()
        with contextlib.suppress(InvalidStateError):  # cancelled here before Ray answered
            if error is None:
                future.set_result(done.result())
            elif isinstance(error, self._ray.exceptions.TaskCancelledError):  # cancelled through Ray itself
                if Future.cancel(future):
                    future.set_running_or_notify_cancel()
            else:
                future.set_exception(self._translate(error))

    def _translate(self, error: BaseException) -> BaseException:
        exceptions = self._ray.exceptions
        cause = getattr(error, "cause", None)
        if isinstance(error, exceptions.RayTaskError) and isinstance(cause, BaseException):
            if cause.__cause__ is None:
                cause.__cause__ = error  # keeps the worker's traceback for whoever prints this one
            return cause
        if isinstance(error, tuple(getattr(exceptions, name, ()) for name in _LOST)):
            lost = RayWorkerLost(f"the Ray worker running the job died: {error}")
            lost.__cause__ = error
            return lost
        return error

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shut = True
            pending = list(self._pending)
        if cancel_futures:
            for future in pending:
                future.cancel()
        if wait:
            concurrent.futures.wait(pending)
        if self._owns_ray:
            self._owns_ray = False
            self._ray.shutdown()
            for future in pending:  # not waited for, and Ray is gone: they would never finish
                with contextlib.suppress(InvalidStateError):
                    future.set_exception(RayWorkerLost("Ray was shut down before the job finished"))

