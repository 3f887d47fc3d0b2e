"""What a count counts: the nouns an article and a brief may use for the same things ('employees' and 'people')."""

from __future__ import annotations

import re

# Nouns a count may use for the same things: the analyst's word need not be the source's.
_SAME_THINGS = [
    {"people", "person", "persons", "individual", "employee", "staff", "worker", "personnel", "job", "role",
     "position", "workforce", "headcount", "member", "colleague", "resident", "inhabitant", "citizen"},
    {"patient", "participant", "subject", "volunteer", "people", "person", "adult", "child"},
    {"worker", "employee", "staff", "driver", "mechanic", "operator", "engineer", "nurse", "teacher", "crew"},
    {"customer", "client", "shopper", "consumer", "user", "subscriber", "buyer", "visitor"},
    {"passenger", "traveller", "traveler", "flyer", "flier", "people"},
    {"home", "household", "house", "dwelling", "property", "family"},
    {"store", "shop", "outlet", "branch", "location", "site"},
    {"car", "vehicle", "automobile"}, {"flight", "departure", "service", "route"},
    {"plant", "facility", "factory", "site", "works"}, {"share", "stock"},
]


def _singular(word: str) -> str:
    word = word.lower()
    if word == "people":
        return word
    for ending, stem in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("s", "")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + stem
    return word


def counted_in(noun: str, sentence: str) -> bool:
    """Whether a count's noun ('employees') is one the sentence uses for the things it counts ('people')."""
    words = {_singular(w) for w in re.findall(r"[A-Za-z]+", sentence)}
    heads = [_singular(w) for w in re.findall(r"[A-Za-z]+", noun)]
    if not heads:
        return True
    if any(head in words for head in heads):
        return True
    head = heads[-1]
    return any(head in group and words & group for group in _SAME_THINGS)
