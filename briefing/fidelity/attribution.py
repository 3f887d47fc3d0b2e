"""Who a source ties words or a number to, and with which verb.

A speaker counts as named near a passage when their full name, their surname, or the organisation
they speak for (the part of ``role`` after a comma, "of" or "at": "CEO, AWS" gives "AWS") appears in
the passage's sentence or the sentence before or after it in the same paragraph, so reported speech
("..., he said." after a sentence naming him) counts. When the speaker is not named there, the
attribution the source does make (a capitalised name next to said / told / wrote / according to /
called ...) says who the words belong to.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .match import Location, fold_text
from .source_text import SourceText

CLAIM_VERBS = ("said", "says", "say", "saying", "claims", "claimed", "claim", "according to", "told", "tells",
               "insists", "insisted", "asserts", "asserted", "argues", "argued", "bragged", "brags", "boasts",
               "boasted", "billed", "touts", "touted", "wrote", "writes", "added", "adds", "stated", "states")
ESTIMATE_VERBS = ("estimates", "estimated", "estimate", "projects", "projected", "expects", "expected",
                  "forecasts", "forecast", "forecasted", "predicts", "predicted", "anticipates", "anticipated",
                  "reckons", "reckoned")
REPORTED_VERBS = ("reported", "reports", "reporting")
SPEECH_VERBS = (*CLAIM_VERBS, *ESTIMATE_VERBS, *REPORTED_VERBS, "called", "calls", "noted", "notes", "explained",
                "warned", "acknowledged",
                "announced", "described", "shared", "put it", "quipped", "replied",
                # French: 'a déclaré X', 'X a indiqué', 'selon X'
                "déclaré", "indiqué", "précisé", "ajouté", "souligné", "affirmé", "expliqué", "reconnu", "estimé",
                "prévenu", "selon")
BASIS_OF_VERB = {**{v: "claim" for v in CLAIM_VERBS}, **{v: "estimate" for v in ESTIMATE_VERBS},
                 **{v: "reported" for v in REPORTED_VERBS}}

_ORG_WORDS = {"inc", "inc.", "corp", "corp.", "corporation", "company", "co", "ltd", "llc", "plc", "group",
              "services", "labs", "research", "journal", "times", "news", "post", "institute", "university",
              "bank", "capital", "partners", "securities", "analysis", "insider", "information", "agency",
              "ministry", "department", "office", "commission", "association", "foundation", "council",
              "industries", "holdings", "systems", "resources", "energy", "media", "athletic", "fc", "rovers",
              "motors", "airlines", "airways",
              "insurance", "therapeutics", "pharma", "pharmaceuticals", "technologies", "technology", "technik",
              "networks", "telecom", "transport", "logistics", "shipping", "lines", "line",
              "container", "goods", "stores", "foods", "brands", "retail", "markets", "mart", "authority", "board",
              "fund",
              "trust", "union", "guild", "alliance", "federation", "club", "centre",
              "center", "co.", "ag", "sa", "ab", "asa", "gmbh", "nv", "bv", "se", "spa", "kraft", "grid"}
_NOT_NAMES = {"the", "a", "an", "but", "that", "it", "he", "she", "they", "we", "i", "this", "these", "those",
              "in", "at", "when", "with", "according", "last", "of", "while", "on", "and", "or", "so", "for",
              "as", "if", "its", "his", "her", "their", "our", "there", "then", "still", "yet", "after",
              "before", "since", "meanwhile", "however", "earlier", "later", "today", "now", "also",
              "unlike", "like", "despite", "including", "among", "monday", "tuesday", "wednesday", "thursday",
              "friday", "saturday", "sunday", "yesterday", "tonight",
              # French pronouns and small words that open a sentence
              "il", "elle", "ils", "elles", "nous", "le", "la", "les", "selon", "dans", "mais", "et", "pour"}
_NAME = r"[A-ZÀ-ÖØ-Þ][\w’'&.\-]*(?:\s+(?:of\s+|de\s+|van\s+|von\s+)?[A-ZÀ-ÖØ-Þ][\w’'&.\-]*)*"
_VERBS = "|".join(sorted((re.escape(v).replace(r"\ ", r"\s+") for v in SPEECH_VERBS), key=len, reverse=True))
# NAME[, an appositive,] [up to three small words] VERB  |  VERB [the] NAME
# Words that may stand between a name and its verb ("the SemiAnalysis researchers wrote", "AWS has said");
# never "is" or "was": "OpenAI is reported to" names what is reported on, not who reports it.
_BETWEEN = ("a|has|have|had|also|first|later|then|once|previously|recently|itself|researchers|analysts|executives|"
            "spokesperson|spokesman|spokeswoman|team|boss|chief|officials")
# An appositive may hold a number with a thousands comma ("which represents 4,600 staff,").
_APPOSITIVE = r"(?:(?:,(?:[^,]|(?<=\d),(?=\d)){1,100}){1,2},)?"
_BEFORE = re.compile(rf"(?P<name>{_NAME}){_APPOSITIVE}(?:\s+(?:{_BETWEEN})){{0,2}}\s+(?P<verb>{_VERBS})\b")
# "Meridia's chief executive, Lars Okonkwo, told reporters": the name is itself the appositive.
_APPOSED = re.compile(rf",\s+(?P<name>{_NAME}),\s+(?P<verb>{_VERBS})\b")
# "Portugal adds roughly 700", "the plan notes 12 sites": verbs of saying used for adding or counting.
_COUNTING_VERBS = {"adds", "added", "add", "notes", "noted", "shares", "shared", "calls", "called", "states", "stated",
                   "reports", "reported", "projects", "projected", "forecast", "described"}
# 'the average analyst forecast of NOK 560 million', 'its own estimate': a noun, which bases nothing on a number
# ('a level Skarvik now expects to reach ...' after the evidence and a comma speaks of something else, see below)
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|average|consensus|analyst|analysts'|own|official|earlier|"
                          r"previous|latest|initial)\s+$", re.IGNORECASE)
_NOT_SPEECH_AFTER = re.compile(
    r"\s+(?:\w+ly\s+)?(?:\d|[$€£¥]|(?:roughly|about|some|around|nearly|almost|more|another|further|pressure|weight|"
    r"up|to|its|their|his|her|a|an|the|one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds)\b)",
    re.IGNORECASE)
_AFTER_VERBS = "|".join(v for v in _VERBS.split("|") if v not in ("told", "tells", "called", "calls"))
# 'said Ravi Olsen, an analyst': the name then a pause; never 'claims Meridian delivers' (a that-clause's subject).
_AFTER = re.compile(rf"\b(?P<verb>(?i:{_AFTER_VERBS})),?\s+(?:the\s+)?(?P<name>{_NAME})"
                    r"(?=\s*(?:[,.;:!?\"”)(]|$|\s+(?:who|which|in|at|on|to|of|from|after|before|during|when|while|"
                    r"and|as|last|this|on)\b))")
# 'said Alpenrail chairwoman Ruth Imboden': the person after the organisation and the title.
_ROLES = (r"finance|financial|operating|marketing|sales|technology|investment|policy|research|trade|press|vice|"
          r"deputy|senior|managing|general|chief|executive|chairwoman|chairman|chair|analyst|director|minister|spokeswoman|spokesman|spokesperson|"
          r"president|head|officer|economist|founder|manager|secretary|governor|mayor|commissioner|boss|leader|"
          r"professor|researcher|engineer|partner|strategist|representative|official|councillor|councilor")
_AFTER_TITLED = re.compile(rf"\b(?P<verb>(?i:{_AFTER_VERBS})),?\s+(?:the\s+)?(?:{_NAME}[’']?s?\s+)?"
                           rf"(?:(?:{_ROLES})\s+){{1,3}}(?P<name>{_NAME})")


@dataclass(frozen=True)
class Attribution:
    name: str
    verb: str
    sentence: int  # index in its paragraph


def names_for(speaker: str, role: str | None = None) -> list[str]:
    """The names that identify a speaker or claimant: full name, surname, organisation."""
    names: list[str] = []
    main = speaker.strip()
    inside = re.findall(r"\(([^)]+)\)", main)
    main = re.sub(r"\s*\([^)]*\)", "", main).strip()
    if main:
        names.append(main)
        words = main.split()
        is_org = any(w.lower().strip(".,") in _ORG_WORDS for w in words) or words[0].lower() == "the"
        if len(words) >= 2 and not is_org and all(w[:1].isupper() for w in words):
            names.append(words[-1])
    names.extend(part.strip() for part in inside if part.strip())
    if role:
        for org in re.split(r",|\bof\b|\bat\b", role)[1:]:
            org = org.strip(" .")
            if org and org[:1].isupper():
                names.append(org)
    unique: list[str] = []
    for name in names:
        if name and name not in unique:
            unique.append(name)
    return unique


def find_name(text: str, names: list[str]) -> str | None:
    """The first of ``names`` that ``text`` mentions as a whole word (case and quotes folded)."""
    folded = fold_text(text)
    for name in names:
        wanted = fold_text(name)
        if wanted and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", folded):
            return name
    return None


_ABBREVIATION = re.compile(r"\b(?:Co|Inc|Ltd|Corp|Jr|Sr|St|Bros|Plc|Dr|Mr|Mrs|Ms|Prof)\.$|\b[A-Z]\.$")


def _clean_name(name: str) -> str | None:
    words = name.split()
    while words and words[0].lower().strip("’'") in _NOT_NAMES:
        words = words[1:]
    cleaned = " ".join(words).rstrip("’'").removesuffix("’s").removesuffix("'s")
    if cleaned.endswith(".") and not _ABBREVIATION.search(cleaned):
        cleaned = cleaned[:-1]  # 'said Helen Marsh.': the sentence's full stop
    return cleaned or None


# A capitalised common noun opening a sentence names nobody: "City officials have billed it as ...".
_GENERIC_SUBJECTS = {"city", "state", "county", "town", "federal", "government", "company", "local", "regional",
                     "national", "union", "party", "bank", "club", "council", "school", "hospital", "police", "port",
                     "court", "industry", "airport", "agency", "ministry", "officials", "executives", "analysts"}


def attributions_in(sentence: str, index: int = 0) -> list[Attribution]:
    """Names the sentence ties to a speech verb, in order of appearance."""
    return list(_attributions_in(sentence, index))


@functools.lru_cache(maxsize=16384)
def _attributions_in(sentence: str, index: int) -> tuple[Attribution, ...]:
    found: list[tuple[int, Attribution]] = []
    for pattern in (_BEFORE, _APPOSED, _AFTER_TITLED, _AFTER):
        for match in pattern.finditer(sentence):
            name = _clean_name(match.group("name"))
            verb = " ".join(match.group("verb").lower().split())
            if pattern is not _AFTER and verb in _COUNTING_VERBS and _NOT_SPEECH_AFTER.match(sentence, match.end()):
                continue
            possessive = match.group("name").rstrip().endswith(("’s", "'s"))
            titled = pattern is _AFTER and any(t.group("verb") and t.start() == match.start()
                                               for t in _AFTER_TITLED.finditer(sentence))
            if name and name.lower() in _GENERIC_SUBJECTS:
                continue
            if name and not possessive and not titled and not any(start == match.start("name") for start, _ in found):
                found.append((match.start("name"), Attribution(name, verb, index)))
    return tuple(a for _, a in sorted(found, key=lambda pair: pair[0]))


def source_attribution(source: SourceText, location: Location) -> Attribution | None:
    """Whom the source ties the passage at ``location`` to: its own sentence first, then the one before
    (reported speech: 'he said'), then the one after."""
    paragraph = location.paragraph
    count = len(source.paragraphs[paragraph].sentences)
    order = [location.sentence]
    if location.last_sentence != location.sentence:
        order.append(location.last_sentence)
    order += [i for i in (location.sentence - 1, location.last_sentence + 1) if 0 <= i < count]
    for index in order:
        found = attributions_in(source.sentence_text(paragraph, index), index)
        if found:
            return found[0]
    return None


def window_text(source: SourceText, location: Location) -> str:
    """The passage's sentences and one sentence either side, within its paragraph."""
    return source.window(location.paragraph, location.sentence, location.last_sentence)


def sentence_bases(source: SourceText, location: Location) -> set[str]:
    """Every basis a verb of the evidence's sentence gives ('said' a claim, 'estimates' an estimate)."""
    sentence = fold_text(source.sentence_text(location.paragraph, location.sentence))
    bases = {BASIS_OF_VERB[" ".join(m.group().split())] for m in _BASIS_VERB.finditer(sentence)
             if " ".join(m.group().split()) in BASIS_OF_VERB}
    if re.search(r"\b(?:estimates?|estimated|forecasts?|projections?|expectations?|predictions?|expect|predict|"
                 r"anticipate|project)\b", sentence) or ("claim" in bases and re.search(
                     r"\b(?:would|will|could|is\s+likely\s+to|are\s+likely\s+to)\b", sentence)):
        # 'Insurers expect to pay out', and a party's word on what will be ('said ... would not fall below 150%')
        bases.add("estimate")  # 'according to estimates by X', 'an estimated 1.05 million tonnes'
    if re.search(r"\b(?:puts?|putting|valued?|values|valuing|pegs?|pegged|sees|saw)\b[^.;]{0,60}?\bat\b", sentence):
        bases.add("estimate")  # 'analysts who put the enterprise value at CHF 2.7-2.9 billion'
    if re.search(r"\b(?:is|are|was|were|be|been)\s+(?:\w+ly\s+)?(?:expected|forecast|projected|estimated|"
                 r"predicted|anticipated)\s+to\b", sentence):
        bases.add("reported")  # 'is expected to close': an expectation no party is named for, reported
    return bases


def basis_fits(basis: str, by: str | None, source: SourceText, location: Location,
               verb: tuple[str, str] | None) -> bool:
    """Whether a figure's basis fits its evidence's sentence: some verb of it gives that basis; a figure the
    source attributes ('said', 'according to') may be reported as the party's claim or as reported (what must
    not be mixed up is an estimate and a fact); a party's own expectation ('Maplestone expects to save ...') is
    its claim as well as an estimate."""
    return basis in sentence_bases(source, location) or (basis == "reported" and verb is not None
                                                         and verb[1] == "claim") or (
        basis == "claim" and by is not None and verb is not None
        and re.match(r"(?:expect|anticipat|plan|aim|intend)", verb[0]) is not None)


def _not_named(source: SourceText, location: Location, who: str, names: list[str], what: str) -> str:
    message = f"'{who}' is not named in the sentence of {what} or the sentences either side"
    other = source_attribution(source, location)
    if other is not None and not find_name(other.name, names):
        message += f"; the source ties it to {other.name} ('{other.name} {other.verb}')" \
            if not other.verb.startswith("according") else f"; the source ties it to {other.name} " \
                                                          f"('{other.verb} {other.name}')"
    return message


_BASIS_VERB = re.compile(r"\b(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in BASIS_OF_VERB) + r")\b",
                         re.IGNORECASE)


def verb_basis(source: SourceText, location: Location, by: str | None) -> tuple[str, str] | None:
    """(verb, basis) of the verb that introduces the evidence: the one next to ``by`` if any, else the
    nearest in the evidence's sentence; None when that sentence has no verb of saying, estimating or reporting."""
    sentence = source.sentence_text(location.paragraph, location.sentence)
    folded = fold_text(sentence)
    # A verb is a verb: 'States' in 'the United States' is a name, and 'adds roughly 700' adds, it does not say.
    capitalised = {m.group().lower() for m in _BASIS_VERB.finditer(sentence) if m.group()[0].isupper() and m.start()}
    capitalised -= {m.group().lower() for m in _BASIS_VERB.finditer(sentence) if m.group()[0].islower()}
    evidence_end = len(fold_text(source.text[source.paragraphs[location.paragraph].sentences[location.sentence].start:
                                             location.end]))
    verbs = [(m.start(), " ".join(m.group().split())) for m in _BASIS_VERB.finditer(folded)
             if m.group() not in capitalised
             and not (m.group() in _COUNTING_VERBS and _NOT_SPEECH_AFTER.match(folded, m.end()))
             and not _NOUN_BEFORE.search(folded[max(0, m.start() - 30):m.start()])
             and not (m.start() >= evidence_end and "," in folded[evidence_end:m.start()]
                      and re.match(r"\s+to\b", folded[m.end():]))]
    if not verbs:
        return None
    if by:
        for name in names_for(by):
            wanted = fold_text(name)
            for place in re.finditer(rf"(?<!\w){re.escape(wanted)}(?!\w)", folded):
                near = [(abs(pos - place.start()), verb) for pos, verb in verbs
                        if -40 <= pos - place.end() <= 40 or -40 <= place.start() - pos - len(verb) <= 40]
                if near:
                    verb = min(near)[1]
                    return verb, BASIS_OF_VERB[verb]
    evidence_at = fold_text(source.text[source.paragraphs[location.paragraph].sentences[location.sentence].start:
                                        location.start])
    anchor = len(evidence_at)
    verb = min(verbs, key=lambda pair: abs(pair[0] - anchor))[1]
    return verb, BASIS_OF_VERB[verb]
