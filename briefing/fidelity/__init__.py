"""Source fidelity: every figure, quote and attribution of a brief checked against its sources' text.

* ``source_text``: read a source's local copy (text, Markdown, HTML, PDF) and split it once into
  paragraphs and sentences with character offsets;
* ``match``: find an excerpt (evidence, a quote's words) in that text, folding case, quotes, dashes
  and spacing, with ``...`` / ``[...]`` as gaps;
* ``numbers``: parse the numbers a text states (ranges, scales, currencies, "four times", hedges)
  and compare a figure with its evidence;
* ``attribution``: who the source ties a quote or a claim to, and with which verb;
* ``analysis``: one pass over a project that gives every fact, figure, quote and prose number a verdict;
* ``checks``: the check functions ``briefing.checks.CHECKS`` runs, turning verdicts into located problems;
* ``report``: the per-brief summary, and the HTML and JSON reports.
"""
