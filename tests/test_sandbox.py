"""--safe-templates: project templates from others render in a bounded sandbox; known escapes fail."""

from __future__ import annotations

import time

import pytest

from briefing.errors import TemplateError
from briefing.pipeline import build
from briefing.templating import make_environment, render_template

ESCAPES = {
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "globals via cycler": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "globals via lipsum": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "template reference": "{{ self._TemplateReference__context }}",
    "format string attribute": "{{ '{0.__class__.__base__.__subclasses__}'.format('') }}",
    "request namespace": "{{ namespace.__init__.__globals__ }}",
    "path read": "{{ brief.audience.path.read_text() }}",
    "path via parent": "{{ brief.audience.path.parent.parent }}",
    "yaml document": "{{ brief.audience.doc.data }}",
    "mutating a list": "{% set x = [1] %}{{ x.append(2) }}",
    "mutating a dict": "{{ brief.__dict__.update({}) }}",
    "huge range": "{{ range(10**12) | list | length }}",
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "huge string": "{{ 'x' * 10**9 }}",
    "huge number": "{{ 2 ** 100000000 }}",
    "endless output": "{% for i in range(1000000) %}{{ 'y' * 100 }}{% endfor %}",
}


@pytest.fixture
def sandboxed(tmp_path):
    from conftest import MINIMAL_FILES, write_files

    from briefing.load import load_project
    from briefing.select import make_target, select_for_audience

    root = write_files(tmp_path / "p", MINIMAL_FILES)
    project = load_project(root)
    target = make_target(project, "technical")
    view = select_for_audience(project, project.briefs[0], target)

    def render(source: str, *, sandbox: bool = True) -> str:
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / "probe.html.j2").write_text(source)
        env = make_environment(root / "templates", "technical", sandboxed=sandbox)
        return render_template(env, "probe.html.j2", {"brief": view})

    return render


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_a_known_sandbox_escape_fails_with_a_template_error(sandboxed, name):
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        output = sandboxed(ESCAPES[name])
        pytest.fail(f"rendered: {output[:200]!r}")
    assert "probe.html.j2" in str(caught.value)
    assert time.monotonic() - started < 20


def test_the_sandbox_still_renders_ordinary_templates(sandboxed):
    text = sandboxed("{% for theme in brief.themes %}{{ loop.index }}. {{ theme.title }} {% endfor %}"
                     "{{ L.bottom_line }} {{ brief.date | long_date }} {{ range(3) | list }}")
    assert text == "1. Prices fall 2. Supply grows Bottom line January 12, 2025 [0, 1, 2]"


def test_without_the_sandbox_project_templates_are_trusted_code(sandboxed):
    """The default: templates run like a conf.py. This is what --safe-templates exists to stop."""
    assert "technical.yaml" in sandboxed("{{ brief.audience.path.name }}", sandbox=False)


def test_a_build_with_safe_templates_refuses_an_escaping_override(make_project):
    root = make_project({"templates/brief.md.j2": "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}"})
    with pytest.raises(TemplateError):
        build(root, formats=["md"], safe_templates=True)
    assert not (root / "output" / "technical" / "widgets.md").exists()
    build(root, formats=["html"], safe_templates=True)  # the built-in templates run in the sandbox too
    assert (root / "output" / "technical" / "widgets.html").is_file()
