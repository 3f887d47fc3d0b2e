"""Chart values against their sources: each plotted value is checked like a fact's figure.

A chart point's evidence must be the source's words, and its value (with the chart's unit and currency,
and the point's hedge) must agree with the number those words state, by the same comparison as a
figure (``numbers.compare_figure``): an exact value resting on a vague amount ("hundreds of
thousands") is an error, so a vague quantity can never be drawn as a count. A derived value
('100% minus ...') has no evidence; the parts of a share chart in percent must add up to 100.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models import Chart, Fact, Figure
from .attribution import verb_basis
from .match import find
from .source_text import SourceText
from .verdicts import Finding, Verdict, no_text

if TYPE_CHECKING:
    from ..yamlsource import YamlDocument
    from .analysis import _Analysis

SHARE_TOLERANCE = 0.5  # percentage points: sources round their parts


def chart_verdicts(analysis: _Analysis, doc: YamlDocument, index: int, chart: Chart) -> list[Verdict]:
    """A verdict for every sourced value of ``chart`` (the ``index``-th chart of a theme in ``doc``)."""
    verdicts = []
    for number, point in enumerate(chart.points):
        if point.derived is not None or point.source is None or point.evidence is None:
            continue
        base = ("charts", index, "points", number)
        verdict = Verdict("chart-point", f"{chart.title}: {point.label}", doc, (*base, "value"), point.source)
        verdicts.append(verdict)
        if point.source not in analysis.project.sources:
            verdict.status, verdict.reason = "unchecked", "the value cites no known source"
            continue
        source = analysis.text(point.source)
        if not isinstance(source, SourceText):
            verdict.status, verdict.reason = "unchecked", no_text(analysis.project.sources[point.source], source)
            continue
        fact = _as_fact(chart, point, "reported")
        location = analysis.evidence(verdict, source, fact, find(source, point.evidence))
        if location is not None:
            verb = verb_basis(source, location, None)  # a chart has no basis field: take the source's
            fact = _as_fact(chart, point, verb[1] if verb else "reported")
        analysis.figure(verdict, verdict, source, fact, location)
    total = sum(point.value for point in chart.points)
    if chart.kind == "share" and chart.unit.strip() == "%" and abs(total - 100) > SHARE_TOLERANCE:
        verdict = Verdict("chart-point", f"{chart.title}: the parts", doc, ("charts", index, "points"))
        verdict.add(Finding("facts", "error", doc, ("charts", index, "points"),
                            f"the parts of share chart '{chart.id}' add up to {total:g}%, not 100%",
                            f"add what is left as a derived point (value: {100 - total:g}, derived: '100% minus "
                            "the parts the source gives'), or correct the values"))
        verdicts.append(verdict)
    return verdicts


def _as_fact(chart: Chart, point: Any, basis: str) -> Fact:
    figure = Figure.model_validate({"value": point.value, "upper": point.upper, "unit": chart.unit,
                                    "currency": chart.currency, "qualifier": point.qualifier, "basis": basis})
    return Fact(statement=point.label, figure=figure, source=point.source, evidence=point.evidence)
