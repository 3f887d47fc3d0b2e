"""The Ray adapter: builds run their PDF jobs as Ray tasks, and failures read as with the built-in pool.

The tests that need Ray skip without it (it is the optional extra ``briefing[ray]``); the ones about what
happens without Ray, or about who owns the runtime, run everywhere.
"""

from __future__ import annotations

import os
import sys
import time
import types
from concurrent.futures import BrokenExecutor, CancelledError

import pytest
from readers import pdf_text

from briefing.errors import RenderError, UsageError
from briefing.pipeline import build
from briefing.ray_executor import RayExecutor


@pytest.fixture(scope="module")
def ray_runtime():
    """One small local Ray for the module (2 CPUs, no dashboard, no usage report), shut down after it."""
    ray = pytest.importorskip("ray", reason='Ray is optional: pip install "briefing[ray]"')
    previous = os.environ.get("RAY_USAGE_STATS_ENABLED")
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()
    if previous is None:
        os.environ.pop("RAY_USAGE_STATS_ENABLED", None)
    else:
        os.environ["RAY_USAGE_STATS_ENABLED"] = previous


class CountingRayExecutor(RayExecutor):
    def __init__(self) -> None:
        super().__init__()
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_a_build_renders_its_pdfs_on_ray(ray_runtime, make_project, tmp_path):
    with CountingRayExecutor() as executor:
        result = build(make_project(), executor=executor, formats=["pdf"], out_dir=tmp_path / "out")
    assert executor.submitted == 2  # one PDF per audience, each a Ray task
    assert ray_runtime.is_initialized()  # the executor did not start Ray, so it left it running
    pdfs = sorted(o.path.relative_to(tmp_path / "out").as_posix() for o in result.outputs if o.brief)
    assert pdfs == ["executive/widgets.pdf", "technical/widgets.pdf"]
    for name in pdfs:
        assert "The widget market" in pdf_text(tmp_path / "out" / name)


def test_a_render_error_in_a_job_reaches_the_caller_as_itself(ray_runtime):
    def refuse(label: str) -> None:
        raise RenderError("cannot render", label, "the engine refused")

    with RayExecutor() as executor:
        future = executor.submit(refuse, "executive/widgets.pdf")
        with pytest.raises(RenderError) as caught:
            future.result(timeout=60)
    assert type(caught.value) is RenderError  # not Ray's RayTaskError, nor a class made from both
    assert str(caught.value) == "cannot render: executive/widgets.pdf: the engine refused"


def test_a_worker_that_dies_is_a_broken_executor(ray_runtime):
    with RayExecutor() as executor:
        future = executor.submit(os._exit, 1)  # a builtin, so Ray runs it through the adapter's own task
        with pytest.raises(BrokenExecutor, match="died"):
            future.result(timeout=60)


def test_shutdown_can_cancel_pending_jobs(ray_runtime):
    executor = RayExecutor()
    future = executor.submit(time.sleep, 60)
    started = time.monotonic()
    executor.shutdown(wait=True, cancel_futures=True)
    assert time.monotonic() - started < 30
    with pytest.raises(CancelledError):
        future.result(timeout=0)


def test_submit_after_shutdown_is_refused(ray_runtime):
    executor = RayExecutor()
    assert executor.submit(pow, 2, 10).result(timeout=60) == 1024
    executor.shutdown()
    with pytest.raises(RuntimeError, match="after shutdown"):
        executor.submit(pow, 2, 10)


def test_without_ray_it_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails, as when it is not installed
    with pytest.raises(UsageError, match=r'pip install "briefing\[ray\]"'):
        RayExecutor()


@pytest.mark.parametrize("running", [False, True])
def test_it_shuts_down_only_a_ray_it_started(monkeypatch, running):
    calls: list[tuple[str, dict]] = []
    fake = types.SimpleNamespace(is_initialized=lambda: running,
                                 init=lambda **options: calls.append(("init", options)),
                                 shutdown=lambda: calls.append(("shutdown", {})))
    monkeypatch.setitem(sys.modules, "ray", fake)
    RayExecutor(address="ray://head:10001", init_options={"namespace": "briefs"}).shutdown()
    started = [("init", {"address": "ray://head:10001", "namespace": "briefs"}), ("shutdown", {})]
    assert calls == ([] if running else started)
