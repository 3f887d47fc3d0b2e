"""The people and organisations a source names, with how often: to help an analyst split a draft into themes.

A rule-based reading, in the spirit of the rest of the draft (no model to download): runs of capitalised
words are names; one that the source ties to a speech verb with a role ("Matt Garman, the CEO of AWS"),
or whose last word the source later uses alone ("Garman"), is a person; one written in capitals
(AWS), ending in an organisation word (Corp, Journal, Research), or owning something ("Nvidia's"), is
an organisation; other names (products, places, projects) are left out. A mention of a surname alone
counts for the person. A team that wants a trained recogniser plugs in its own ``Extractor``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from ..fidelity.attribution import attributions_in
from ..fidelity.source_text import SourceText

_NAME = re.compile(r"(?<![\w’'])[A-Z][\w’'&\-]*(?:\.[A-Z][\w’'&\-]*)*(?:[ \u00a0]+(?:(?:of|de|van|von)[ \u00a0]+)?"
                   r"[A-Z][\w’'&\-]*)*")
_EMPLOYER_BEFORE = re.compile(r"\b(?:ceo|chief|executive|officer|analysts?|researchers?|director|head|founder|"
                              r"spokes(?:person|man|woman)|president|chair\w*|partner|economist)\s+(?:of|at)\s+$",
                              re.IGNORECASE)
_ORG_ENDINGS = {"inc", "corp", "corporation", "company", "co", "ltd", "llc", "plc", "group", "services", "labs",
                "research", "journal", "times", "news", "post", "institute", "university", "bank", "capital",
                "partners", "securities", "analysis", "insider", "agency", "ministry", "department",
                "commission", "association", "foundation", "council", "systems", "technologies", "ai"}
_SKIP = {"the", "a", "an", "but", "and", "or", "so", "it", "its", "he", "she", "they", "we", "i", "you", "this",
         "that", "these", "those", "in", "on", "at", "for", "with", "from", "by", "as", "if", "when", "while",
         "after", "before", "according", "last", "next", "one", "what", "why", "how", "where", "still", "yet",
         "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
         "mr", "ms", "mrs", "dr"}
_ROLE_AFTER = re.compile(r"\A,\s+(?:the\s+|an?\s+|its\s+)?(?:[\w-]+\s+){0,3}"
                         r"(?:ceo|chief|president|founder|co-founder|director|head|analyst|executive|officer|chair"
                         r"|chairman|chairwoman|spokesperson|spokesman|spokeswoman|professor|partner|vice|manager"
                         r"|minister|secretary|economist|researcher|engineer|editor|cto|cfo|coo)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\A[’']s\b")
_PERSON_WORD = re.compile(r"[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)*|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.")
_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|hers)\b", re.IGNORECASE)
# Capitalised abbreviations that name things, not organisations.
_COMMON_ABBREVIATIONS = {"AI", "AGI", "GPU", "GPUs", "CPU", "CPUs", "TPU", "TPUs", "CEO", "CFO", "CTO", "COO", "IPO",
                         "API", "APIs", "ML", "LLM", "LLMs", "US", "USA", "UK", "EU", "UN", "TV", "PC", "IT", "HR",
                         "Q1", "Q2", "Q3", "Q4", "AM", "PM", "GDP", "R&D", "OK"}
Kind = Literal["person", "organisation"]


@dataclass(frozen=True)
class Entity:
    """A person or organisation the source names, and how many times."""

    name: str
    kind: Kind
    mentions: int


def _names(text: str) -> list[tuple[str, int, int]]:
    found = []
    for match in _NAME.finditer(text):
        words = match.group().split()
        start = match.start()
        while words and (words[0].lower().strip("’'") in _SKIP or words[0] in _COMMON_ABBREVIATIONS):
            start = text.index(words[1], start + 1) if len(words) > 1 else match.end()
            words = words[1:]
        while words and (words[-1].lower() in ("of", "de", "van", "von") or words[-1] in _COMMON_ABBREVIATIONS):
            words = words[:-1]
        name = " ".join(words).removesuffix("’s").removesuffix("'s").rstrip("’'")
        if len(name) > 1 and name.lower() not in _SKIP:
            found.append((name, start, start + len(name)))
    return found


def _looks_like_person(name: str) -> bool:
    """Two or three words, each a capitalised word or an initial: 'Matt Garman', 'Ingrid M. Dahl'."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(_PERSON_WORD.fullmatch(w) for w in words) \
        and not _is_organisation(name, False)


def _is_organisation(name: str, owns: bool) -> bool:
    words = name.split()
    letters = re.sub(r"[^A-Za-z]", "", name)
    return (len(letters) >= 2 and letters.isupper()) or words[-1].lower().strip(".") in _ORG_ENDINGS or owns


def named_entities(source: SourceText) -> list[Entity]:
    """People and organisations named in ``source``, most mentioned first (ties by first appearance)."""
    text = source.text
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    people: set[str] = set()
    organisations: set[str] = set()
    for name, start, end in _names(text):
        if _ROLE_AFTER.match(text[end:end + 80]) and _looks_like_person(name):
            people.add(name)
        if _POSSESSIVE.match(text[end:end + 3]) or _is_organisation(name, False) \
                or _EMPLOYER_BEFORE.search(text[max(0, start - 40):start]):
            organisations.add(name)
        counts[name] += 1
        first.setdefault(name, start)
    for paragraph in source.paragraphs:
        for index in range(len(paragraph.sentences)):
            for attribution in attributions_in(source.sentence_text(paragraph.index, index), index):
                name = attribution.name.removesuffix("’s").removesuffix("'s")
                nearby = " ".join(source.sentence_text(paragraph.index, i) for i in (index, index + 1)
                                  if i < len(paragraph.sentences))
                if _looks_like_person(name) and _PERSONAL_PRONOUN.search(nearby):
                    people.add(name)
                elif name in counts and not re.search(r"\d", name):
                    organisations.add(name)
    for name in list(counts):
        words = name.split()
        if _looks_like_person(name) and counts.get(words[-1]):
            people.add(name)
    for person in sorted(people, key=lambda n: first.get(n, 0)):
        surname = person.split()[-1]
        if surname in counts and surname != person and surname not in people:
            counts[person] += counts.pop(surname)
            organisations.discard(surname)
    entities = []
    for name, mentions in counts.items():
        if name in people:
            entities.append(Entity(name, "person", mentions))
        elif name in organisations and not re.search(r"\d", name):
            entities.append(Entity(name, "organisation", mentions))
    return sorted(entities, key=lambda e: (-e.mentions, first.get(e.name, 0)))
