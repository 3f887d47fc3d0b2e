"""What a statement's numbers measure: the words next to them ('availability of 78%', 'Headline inflation eased
to 2.9%'), which of an article's words name measures, and the metric check that holds a statement's measure to
its evidence's ('availability' where the source says 'round-trip efficiency')."""

from __future__ import annotations

import functools
import re

from .counts import counted_in
from .judgement import EvidencePassage, Mismatch
from .lexicon import DEMONYMS, DIRECTION_DOWN, DIRECTION_UP, MEASURE_SYNONYMS, STOPWORDS
from .parties import names_in
from .units import ISO_CODES, read_unit
from .wording import WORD, content, evidence_clause, lemma, supported_words

NUMBER_TOKEN = re.compile(r"[$€£¥]?\d[\d,.]*%?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice|half|"
                           r"a\s+third|a\s+quarter|two-thirds)\b", re.IGNORECASE)


def measured(statement: str, language: str) -> list[tuple[str, str]]:
    """The words that say what a number of the statement measures: the noun before 'of'/'by'/'at' that leads
    to it ('the risk of death by 27%', 'availability of 78%') and the noun after 'of'/'in'/'on' that follows it
    and its unit ('$412 million in revenue', '19% of its customers')."""
    tokens = [m.group() for m in re.finditer(r"[$€£¥]?\d[\d,.]*%?(?![A-Za-z])|[A-Za-zÀ-ÿ][\wÀ-ÿ'’\-]*", statement)]
    words: list[str] = []
    for index, token in enumerate(tokens):
        if not NUMBER_TOKEN.fullmatch(token):
            continue
        before = index - 1
        if before >= 1 and tokens[before].lower() in ("by", "of"):
            # 'the risk of death by 27%': the noun before the preposition, and the one before its 'of'
            if not re.search(r"(?:ed|ing)$", tokens[before - 1].lower()):
                words.append(tokens[before - 1])
            if before >= 3 and tokens[before - 2].lower() == "of":
                words.append(tokens[before - 3])
        after = index + 1
        while after < len(tokens) and (read_unit(tokens[after]).kind != "count"
                                       or tokens[after].lower() in SCALE_WORDS):
            after += 1
        if after < len(tokens) and tokens[after].lower() in ("of", "in", "on", "for"):
            run = [t for t in tokens[after + 1:after + 5] if t.lower() not in STOPWORDS][:2]
            words.extend(t for t in run if not NUMBER_TOKEN.fullmatch(t))
    out = []
    for word in words:
        if word[:1].isalpha() and read_unit(word).kind == "count" and word.lower() not in BOUND_WORDS:
            out.extend(content(word, language))
    return out


SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion", "bn", "m", "cents", "cent", "percent", "per",
                         "percentage", "points", "point", "basis"})


BOUND_WORDS = frozenset({"maximum", "minimum", "most", "least", "cap", "ceiling", "floor", "limit"})


@functools.lru_cache(maxsize=64)
def measure_words(article: str, language: str = "en") -> frozenset[str]:
    """Lemmas the article writes right next to a number (three words either side): its measures ('margin',
    'availability', 'yield', 'inflation'), not its connecting words."""
    tokens = [m.group() for m in re.finditer(r"[$€£¥]?\d[\d,.]*%?(?![A-Za-z])|[A-Za-zÀ-ÿ][\wÀ-ÿ'’\-]*", article)]
    out: set[str] = set()
    for index, token in enumerate(tokens):
        if not token[:1].isdigit() and not token[1:2].isdigit():
            continue
        for near in tokens[max(0, index - 3):index] + tokens[index + 1:index + 4]:
            for word, base in content(near, language):
                if not re.search(r"(?:ed|ing|ly)$", word.lower()) and read_unit(word).kind == "count":
                    out.add(base)
    return frozenset(out)


def measure_like(word: str, article: str, topic_nouns: bool = False, slot: bool = False) -> bool:
    """Whether a word can name a measure: not a verb form, a unit or a currency, and (unless ``topic_nouns``)
    not one of the article's topic nouns (in three paragraphs or more: 'the plant', 'the bank')."""
    low = word.lower().removesuffix("'s").removesuffix("’s")
    if low in _NOT_MEASURES or low in DEMONYMS:
        return False
    if re.search(r"(?:ed|ly)$" if slot else r"(?:ed|ing|ly)$", low) or low in _UNIT_WORDS \
            or read_unit(low).kind != "count":
        return False  # in a measure's name, 'operating' and 'trailing' qualify it
    if topic_nouns:
        return True
    paragraphs = _paragraph_words(article)
    base = lemma(low)
    return sum(1 for words in paragraphs if base in words) <= 2


@functools.lru_cache(maxsize=64)
def _paragraph_words(article: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(lemma(w) for w in WORD.findall(p)) for p in re.split(r"\n+", article) if p.strip())


_UNIT_WORDS = frozenset({"cubic", "square", "francs", "franc", "euros", "euro", "dollars", "dollar", "pounds", "pound",
                         "yen", "kronor", "krona", "kroner", "krone", "cents", "cent", "pence", "sterling", "yuan",
                         "rupees", "won", "points", "point", "percent", "percentage", "basis"})


_SLOT_SKIP = re.compile(r"^(?:to|at|by|of|from|for|was|were|is|are|be|been|stood|hit|reached|totalled|totaled|"
                        r"amounted|came|grew|fell|rose|stayed|remained|climbed|dropped|slipped|jumped|eased|"
                        r"widened|narrowed|cut|raised|lowered|increased|decreased|improved|worsened|the|a|an|"
                        r"between|about|around|some|roughly|nearly|almost|over|under|more|less|than|up|down|just|"
                        r"only|least|most|no|its|their|his|her|stays|remains|stands|sits|runs|hits|reaches|tops|"
                        r"costs|totals|exceeds|averages|equals|represents|accounts|makes|takes|holds|employs|serves|"
                        r"carries|produces|generates|stores|delivers|offers|provides|uses|needs|requires|covers|"
                        r"supplies|sells|buys|pays|earns|spends|owes|rises|falls|grows|drops|climbs|gains|loses|"
                        r"stay|remain|stand|reach|cost|total|exceed|average|equal|represent|account|employ|serve|"
                        r"produce|generate|store|deliver|offer|provide|use|need|require|cover|supply|sell|buy|pay|"
                        r"earn|spend|owe|rise|fall|grow|drop|climb|gain|lose|has|have|had|will|would|could|can)$",
                        re.IGNORECASE)


_PERIOD_WORDS = frozenset({"first", "second", "third", "fourth", "final", "last", "half", "quarter", "year",
                           "month", "week", "season", "fiscal", "full-year", "half-year"})
_MEASURE_MODIFIERS = frozenset({"operating", "trailing", "leading", "outstanding", "remaining", "existing",
                                "underlying", "recurring", "manufacturing", "banking", "shipping", "spending",
                                "funding", "pricing",
                                "housing", "lending", "selling", "listing", "training", "processing", "booking",
                                "adjusted", "reported", "diluted", "combined", "installed", "unadjusted", "annualised",
                                "earned", "written", "insured", "contracted", "levered", "unlevered",
                                "annualized", "weighted", "audited", "disposable", "ongoing"})
_MODALS = frozenset({"would", "will", "could", "can", "may", "might", "should", "must", "to", "does", "did", "do",
                     "which", "who", "that"})
_NOT_MEASURES = frozenset({"first", "second", "third", "fourth", "half", "better", "worse", "higher", "lower",
                           "larger", "smaller", "bigger", "late", "early", "mid", "end", "start", "versus", "vs",
                           "against", "compared", "maximum", "minimum", "cap", "total", "average",
                           "median", "combined", "overall", "record", "further", "another", "extra", "additional"})


def metric_slot(statement: str) -> list[str]:
    """The words naming what each number of the statement measures: the noun phrase just before it, past the
    verb and preposition that lead to it ('Headline inflation eased to 2.9%' -> Headline, inflation; 'the risk
    of death by 27%' -> death, risk)."""
    pattern = r"[$€£¥]?\d[\d,.]*%?(?![A-Za-z])|[A-Za-zÀ-ÿ][\wÀ-ÿ'’\-]*|[,;:()]"
    tokens = [(m.start(), m.group()) for m in re.finditer(pattern, statement)]
    out: list[str] = []
    for index, (_, token) in enumerate(tokens):
        if not NUMBER_TOKEN.fullmatch(token) or (index and NUMBER_TOKEN.fullmatch(tokens[index - 1][1])) \
                or re.fullmatch(r"(?:19|20)\d\d", token):
            continue  # a year is a period, which the period check reads
        back = index - 1
        while back >= 0 and (_SLOT_SKIP.match(tokens[back][1]) or re.search(r"(?:ed)$", tokens[back][1].lower())
                             or tokens[back][1].upper() in ISO_CODES):  # 'at CHF 2.7 billion'
            back -= 1
        words: list[str] = []
        walked: list[str] = []  # every word passed, kept or not ('the first half')
        while back >= 0 and len(words) < 4:
            word = tokens[back][1]
            if word.lower() in ("in", "at", "across", "from", "during", "for", "over", "the") and walked and (
                    all(w[:1].isupper() for w in walked) or all(w.lower() in _PERIOD_WORDS for w in walked)):
                # 'Sales in Japan reached', 'Operating profit in the first half fell to': the place or the period
                # is not the measure; go on past its preposition
                back -= 2 if word.lower() == "the" and back >= 1 and tokens[back - 1][1].lower() in (
                    "in", "at", "across", "from", "during", "for", "over") else 1
                words, walked = [], []
                continue
            if word in ",;:()" or (_SLOT_SKIP.match(word) or word.lower() in STOPWORDS) and word.lower() != "of" \
                    or NUMBER_TOKEN.fullmatch(word):
                break
            if word.lower() in ("with", "against", "versus") and words or (
                    re.search(r"['’]s$", word) and back >= 1 and tokens[back - 1][1].lower() in ("with", "against")):
                words, walked = [], []  # 'the contract with Medivane's clinic is capped at': the contract
                back -= 1 if word.lower() in ("with", "against", "versus") else 2
                continue
            if _irregular_verb(word):
                break  # 'The authority spent £41.2m', 'found a sixth of': a verb ends the phrase
            modifier = words and word.lower() in _MEASURE_MODIFIERS
            named = word[:1].isupper() and back > 0  # 'the United States': a name, not a verb
            if re.search(r"(?:ed|ing|ly|s’|'s|’s)$", word.lower()) and not modifier and not (
                    named and not re.search(r"(?:s’|'s|’s)$", word)) and word.lower() not in ("earnings", "savings"):
                break  # a verb, or an owner ('Alpenrail's'); 'operating' before 'profit' modifies it
            if back >= 1 and tokens[back - 1][1].lower() in _MODALS:
                break  # 'would store up to 480 million': a verb
            if word.lower() != "of" and word.lower() not in _NOT_MEASURES and word.upper() not in ISO_CODES:
                words.append(word)
            walked.append(word)
            back -= 1
        out.extend(words)
    return out


_PARTICLES = ("back", "out", "off", "down", "up", "over")


def compound_in(word: str, text: str, language: str = "en") -> bool:
    """Whether ``text`` has ``word`` as part of a compound or split the other way: 'euro-zone' for 'euro zone',
    'back' in 'buyback', 'buyback' for 'buy back', 'payout' for 'pay out'."""
    low, lowered = word.lower(), text.lower()
    if "-" in low:
        supported = supported_words(text, language)
        parts = [p for p in low.split("-") if p]
        return all(lemma(p, language) in supported or p[:5] in supported or len(p) < 3 for p in parts)
    if len(low) >= 4 and re.search(rf"\w{{2,}}{re.escape(low)}\b", lowered):
        return True
    for particle in _PARTICLES:
        stem = low.removesuffix(particle)
        if stem != low and len(stem) >= 3 and re.search(rf"\b{re.escape(stem)}\w*\s+{particle}\b", lowered):
            return True
    return False


_PLURAL_NOUNS = frozenset({"children", "women", "men", "media", "criteria", "phenomena", "feet", "teeth", "mice",
                           "geese", "people", "data"})


def _irregular_verb(word: str) -> bool:
    """A past form the lemmatiser maps to another word that is not a plural ('spent' -> 'spend', 'found')."""
    low = word.lower()
    return low.isalpha() and not low.endswith("s") and low not in _PLURAL_NOUNS and lemma(low) != low


def same_measure(base: str, supported: frozenset[str] | set[str]) -> bool:
    """A measure the evidence names with another word of the same meaning ('turnover' for 'revenue')."""
    return any(base in group and supported & group for group in MEASURE_SYNONYMS)


def metric_mismatches(statement: str, passage: EvidencePassage) -> list[Mismatch]:
    """What the statement's numbers measure must be what its evidence measures: a word the article uses
    for a measure elsewhere (next to another number: 'availability', 'gross margin', 'ten-year yield')
    that the evidence's sentence does not have is another measure ('availability of 78%' for the source's
    'round-trip efficiency of 78%'). The analyst's own connecting words are not measures."""
    near, context = f"{passage.before} {passage.sentence}", []
    if re.match(r"\s*(?:This|That|These|Those|Such|The same)\b", passage.paragraph):
        near = f"{passage.previous_paragraph} {near}"  # 'That ratio is ...' goes on about the paragraph before
        context = [passage.previous_paragraph]
    supported = supported_words(near, passage.language)
    names = " ".join(names_in(statement, passage.article)).lower()
    vocabulary = measure_words(passage.article, passage.language)
    slot = [(w, b) for word in metric_slot(statement) for w, b in content(word, passage.language)]
    clause_text = evidence_clause(passage.sentence, passage.span)
    # What the clause's number measures may be named by the sentences around it: a sentence before it that
    # states no number ('That ratio is the figure ... At an investor day, Orsolya set a target of below 68%'),
    # or, when the clause names no measure at all ('The Americas contributed $4.2 billion'), its context.
    context += [s for s in re.split(r"(?<=[.!?])\s+", passage.before) if not re.search(r"\d", s)]
    placed = " ".join(names_in(clause_text, passage.article))
    if not [w for w in metric_slot(clause_text) if w not in placed]:
        context = [near]
    clause_text = " ".join([clause_text, *context])
    clause = supported_words(clause_text, passage.language)
    candidates = [*((w, b) for w, b in measured(statement, passage.language) if measure_like(w, passage.article)),
                  *((w, b) for w, b in content(statement, passage.language)
                    if b in vocabulary and measure_like(w, passage.article)), *slot]
    in_slot = {w for w, _ in slot}
    for word, base in dict.fromkeys(candidates):
        low = word.lower().removesuffix("'s").removesuffix("’s")
        # The words naming what the number measures come from the evidence's own clause ('the ten-year yield'
        # elsewhere in the sentence does not back 'the ten-year yield fell 14 points').
        backing, around = (clause, clause_text) if word in in_slot else (supported, near)
        if low in names or base in backing or low[:5] in backing or (word.isalpha() and counted_in(word, around)) \
                or compound_in(low, around, passage.language):
            continue  # 'a workforce of 21,400' for '21,400 people': the same things
        if same_measure(base, backing) or not measure_like(word, passage.article, topic_nouns=word in in_slot,
                                                              slot=word in in_slot):
            continue
        if base in DIRECTION_UP or base in DIRECTION_DOWN or low in DIRECTION_UP | DIRECTION_DOWN:
            continue  # the direction check reads these
        said = [w for w, b in content(passage.sentence[max(0, passage.span[0] - 40):passage.span[1]],
                                      passage.language) if b in vocabulary][:2]
        return [Mismatch("metric", word, " ".join(said), f"statement says '{word}' of what its number measures"
                         + (f", the source says '{' '.join(said)}'" if said else ", which its evidence does not"))]
    return []
