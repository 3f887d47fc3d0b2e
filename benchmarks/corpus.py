"""The fidelity corpus (tests/corpus): articles written for the tests with answer keys, faithful briefs,
paraphrases and planted errors. ``load_corpus()`` reads and validates it; run this file to validate it:

    python benchmarks/corpus.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
UNITS_FREE = {"%", "x", "pp", "bp", "cents", "per share", ""}
BOUNDS = {None, "at most", "under", "at least", "over", "about", "nearly", "order of magnitude"}
SCALES = {"", "thousand", "million", "billion", "trillion"}


class CorpusError(ValueError):
    pass


class _UniqueKeyLoader(yaml.SafeLoader):
    pass


def _no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if key in seen:
            raise CorpusError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (safe loader)
    except yaml.YAMLError as error:
        raise CorpusError(f"{path}: {error}") from None


@dataclass(frozen=True)
class KeyFigure:
    text: str
    value: float
    upper: float | None
    scale: str
    unit: str
    noun: str
    currency: str
    bound: str | None
    core: bool
    start: int  # offset of ``text`` in the article


@dataclass(frozen=True)
class KeyQuote:
    text: str
    speaker: str | None
    style: str
    start: int


@dataclass(frozen=True)
class Variant:
    kind: str
    note: str
    file: str
    edits: tuple[tuple[str, str], ...]


@dataclass
class Article:
    slug: str
    folder: Path
    text: str
    split: str
    language: str
    style: str
    topic: str
    figures: list[KeyFigure]
    quotes: list[KeyQuote]
    has_brief: bool = False
    paraphrases: list[Variant] = field(default_factory=list)
    plants: list[Variant] = field(default_factory=list)


def _locate(article: str, text: str, context: str | None, where: str) -> int:
    if context:
        if article.count(context) != 1:
            raise CorpusError(f"{where}: context {context!r} occurs {article.count(context)} times in the article")
        inner = context.find(text)
        if inner < 0:
            raise CorpusError(f"{where}: {text!r} is not inside its context {context!r}")
        return article.index(context) + inner
    count = article.count(text)
    if count != 1:
        raise CorpusError(f"{where}: {text!r} occurs {count} times in the article (add 'context:')")
    return article.index(text)


def _variants(entries: Any, folder: Path, where: str) -> list[Variant]:
    out = []
    for index, entry in enumerate(entries or []):
        spot = f"{where}[{index}]"
        name = entry.get("file", "theme.yaml")
        target = folder / name
        if not target.is_file():
            raise CorpusError(f"{spot}: no file {name}")
        content = target.read_text(encoding="utf-8")
        edits = entry.get("edits") or ([{"old": entry["old"], "new": entry["new"]}] if "old" in entry else [])
        if not edits:
            raise CorpusError(f"{spot}: no edits")
        pairs = []
        for edit in edits:
            old, new = str(edit["old"]), str(edit["new"])
            if content.count(old) != 1:
                raise CorpusError(f"{spot}: {old!r} occurs {content.count(old)} times in {name}")
            if old == new:
                raise CorpusError(f"{spot}: the edit changes nothing")
            pairs.append((old, new))
        out.append(Variant(str(entry["kind"]), str(entry.get("note", "")), name, tuple(pairs)))
    return out


def load_article(folder: Path) -> Article:
    text = (folder / "article.txt").read_text(encoding="utf-8")
    key = read_yaml(folder / "key.yaml")
    where = f"{folder.name}/key.yaml"
    if key.get("split") not in ("tune", "holdout"):
        raise CorpusError(f"{where}: split must be tune or holdout")
    figures = []
    for index, entry in enumerate(key.get("figures") or []):
        spot = f"{where} figures[{index}]"
        bound = entry.get("bound")
        if bound not in BOUNDS:
            raise CorpusError(f"{spot}: bound {bound!r} is not one of {sorted(b for b in BOUNDS if b)}")
        scale = entry.get("scale") or ""
        if scale not in SCALES:
            raise CorpusError(f"{spot}: scale {scale!r}")
        figures.append(KeyFigure(
            text=str(entry["text"]), value=float(entry["value"]),
            upper=None if entry.get("upper") is None else float(entry["upper"]), scale=scale,
            unit=str(entry.get("unit") or ""), noun=str(entry.get("noun") or ""),
            currency=str(entry.get("currency") or ""), bound=bound, core=bool(entry.get("core", True)),
            start=_locate(text, str(entry["text"]), entry.get("context"), spot)))
    quotes = []
    for index, entry in enumerate(key.get("quotes") or []):
        spot = f"{where} quotes[{index}]"
        quotes.append(KeyQuote(str(entry["text"]), entry.get("speaker"), str(entry.get("style", "")),
                               _locate(text, str(entry["text"]), entry.get("context"), spot)))
    article = Article(folder.name, folder, text, key["split"], key.get("language", "en"), key.get("style", ""),
                      key.get("topic", ""), figures, quotes)
    if (folder / "theme.yaml").is_file():
        article.has_brief = True
        theme = read_yaml(folder / "theme.yaml")
        read_yaml(folder / "brief.yaml")
        for index, fact in enumerate(theme.get("facts") or []):
            evidence = fact.get("evidence")
            if evidence and "..." not in evidence and evidence not in text:
                raise CorpusError(f"{folder.name}/theme.yaml facts[{index}]: evidence not in the article: {evidence!r}")
        variants = read_yaml(folder / "variants.yaml") or {}
        article.paraphrases = _variants(variants.get("paraphrases"), folder, f"{folder.name}/variants.yaml paraphrases")
        article.plants = _variants(variants.get("plants"), folder, f"{folder.name}/variants.yaml plants")
    return article


def load_corpus(root: Path = CORPUS) -> list[Article]:
    return [load_article(folder) for folder in sorted(root.iterdir()) if (folder / "key.yaml").is_file()]


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else CORPUS
    try:
        articles = [load_article(root)] if (root / "key.yaml").is_file() else load_corpus(root)
    except (CorpusError, KeyError, OSError) as error:
        print(f"corpus error: {error}", file=sys.stderr)
        return 1
    for article in articles:
        print(f"{article.slug:24} {article.split:8} {article.language} figures {len(article.figures):3} "
              f"quotes {len(article.quotes):3} paraphrases {len(article.paraphrases):3} plants {len(article.plants):3}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
