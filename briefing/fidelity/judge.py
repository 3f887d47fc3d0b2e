"""Statements, not just numbers: whether a fact's statement says what its evidence says.

A statement can keep the right number and still lie: another company did it, the number fell where
the source says it rose, "has taken" where the source says "has not yet taken", a comparison with
"placebo" where the source compares with chemotherapy, "revenue" where the source says R&D spending,
"2024" where it says 2025. A ``Judge`` reads a statement against the passage its evidence is in and
says whether the passage supports it, and if not, why, naming the statement's words and the source's.

``LexicalJudge``, built in, compares words (lemmas from simplemma, no model to download):

* **negation**: the clause the evidence is in and the statement must agree on 'not', 'never', 'no',
  'none', 'without', 'yet to', 'failed to';
* **direction**: rose/fell, beat/missed, raised/cut, gained/lost, up from/down from, more/less than;
* **subject**: the statement's first name (person, company, place) is named in the evidence's sentence
  up to the evidence (or, when that names nobody, in the sentences before it); its other names are in the
  evidence's paragraph or the one before (``aliases`` a brief declares count as the name);
* **comparator**: what the statement compares with ("than X", "compared with X", "versus X") is in the
  evidence's sentence or the one before;
* **period**: quarters, halves, seasons, months, "last year", "after two years", "by 2031" are there too;
* **metric** (in ``measures``): a word the statement takes from another part of the article, not from its evidence's
  paragraph ("customers" where the paragraph says "treated water").

A team can plug in an entailment model with the same protocol (``briefing.fidelity.analyse(project,
judge=...)``); briefing never downloads one.
"""

from __future__ import annotations

import re

from .attribution import attributions_in
from .judgement import EvidencePassage, Judge, Judgement, Kind, Mismatch, passage_of
from .lexicon import STOPWORDS
from .measures import metric_mismatches
from .parties import CLAIMS, CONTRAST, acronym, mentions, names_in, opens, subject_of, topic
from .periods import PERIOD, period_kind, rates
from .wording import (
    CLAUSE,
    COMPARATOR,
    content,
    directions,
    evidence_clause,
    flipped_denial,
    lemmas,
    masked_quotes,
    matching_clause,
    negated,
    normal,
    same_denial,
    shown,
    supported_words,
    ways_by_number,
)

# The passage, verdict and protocol a judge works with are defined in .judgement; they are this module's API too.
__all__ = ["DEFAULT_JUDGE", "JUDGE_HINTS", "STATEMENT_ERRORS", "EvidencePassage", "Judge", "Judgement", "Kind",
           "LexicalJudge", "Mismatch", "passage_of", "variants_in"]

_BOUND_WORDS = re.compile(r"\s*(?:\d|[$€£¥]|(?:a|an|one|two|three)[-\s](?:third|quarter|half|fifth|tenth)|half|"
                          r"twice|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)", re.IGNORECASE)


_VERDICTS: dict[tuple[object, ...], Judgement] = {}


class LexicalJudge:
    """The built-in judge: word lists and lemmas, no model."""

    def judge(self, statement: str, passage: EvidencePassage) -> Judgement:
        # The same statement is judged against the same passage once per build (a brief checked again after one
        # edit re-reads every other fact): the verdict is a function of the two (and of the judge's class, which a
        # team may subclass), so it is kept.
        key = (type(self), statement, passage.sentence, passage.span, passage.paragraph, passage.before,
               passage.previous_paragraph, passage.article, passage.language,
               tuple(sorted((name, tuple(others)) for name, others in passage.aliases.items())))
        if (known := _VERDICTS.get(key)) is not None:
            return known
        checks = (self.negation, self.direction, self.subject, self.comparator, self.period, self.metric)
        found = [m for check in checks for m in check(statement, passage)]
        if len(_VERDICTS) > 50_000:
            _VERDICTS.clear()
        _VERDICTS[key] = verdict = Judgement(not found, tuple(found))
        return verdict

    def negation(self, statement: str, passage: EvidencePassage) -> list[Mismatch]:
        # What follows the evidence after a comma is another clause ('..., supplied under a contract whose price
        # Skarvik did not disclose'): its negation is not the evidence's.
        cut = passage.sentence.find(",", passage.span[1])
        scope = passage.sentence[:cut] if cut >= 0 and cut - passage.span[1] < 3 else passage.sentence
        clause = evidence_clause(scope, passage.span)
        theirs, their_words = negated(clause)
        ours, our_words = negated(matching_clause(statement, clause, passage.language))
        if not ours and not theirs and (flip := flipped_denial(statement, clause)):
            return [Mismatch("negation", flip[0], flip[1], f"statement says '{flip[0]}', the source says '{flip[1]}'")]
        if ours == theirs or negated(statement)[0] == theirs:  # a clause of the statement, or all of it, agrees
            return self._other_clauses(statement, passage, scope)
        if same_denial(statement, f"{passage.sentence} {passage.before}"):
            return []
        if theirs:
            said = shown(statement, their_words, passage.language)
            return [Mismatch("negation", said, their_words,
                             f"statement says '{said}', the source says '{their_words}'")]
        return [Mismatch("added-negation", our_words, "", f"statement says '{our_words}', which its evidence does "
                         "not negate")]

    @staticmethod
    def _other_clauses(statement: str, passage: EvidencePassage, scope: str) -> list[Mismatch]:
        """Each clause of the statement that restates a clause of the evidence's sentence ('Irrigation
        allocations are covered by the cap, but ...' beside 'are not covered by the household cap, though ...')
        says what that clause says: four words in common at least, and the same negation."""
        others = [c for c in CLAUSE.split(masked_quotes(scope)) if c and c.strip()]
        for piece in (p for p in CLAUSE.split(statement) if p and p.strip()):
            words = set(lemmas(piece, passage.language)) - STOPWORDS
            best = max(others, key=lambda c: len(words & set(lemmas(c, passage.language))), default=None)
            if best is None or len(words & set(lemmas(best, passage.language))) < 4:
                continue
            (theirs, their_words), ours = negated(best), negated(piece)[0]
            if theirs and not ours:
                said = shown(piece, their_words, passage.language)
                return [Mismatch("negation", said, their_words, f"statement says '{said}', the source says "
                                 f"'{their_words}'")]
        return []

    def direction(self, statement: str, passage: EvidencePassage) -> list[Mismatch]:
        ours, our_words = directions(statement, passage.language)
        # The source's direction words next to the evidence: 'Tumors shrank by 30% in 38% of patients, ..., a gap
        # of 14 points' says nothing about which way the gap goes.
        start, end = passage.span
        near = passage.sentence[max(0, start - 40):end]
        theirs, their_words = directions(passage.sentence[start:end], passage.language)
        if len(theirs) != 1:  # the evidence's own words first ('..., while deliveries in China fell 6%')
            theirs, their_words = directions(near, passage.language)
        if len(ours) != 1 or len(theirs) != 1 or ours == theirs:
            # Several directions ('rose to £2.84 billion, missing the £2.79 billion forecast'): each number keeps
            # the direction the words just before it give it in the source
            mine_by, theirs_by = ways_by_number(statement, passage.language), ways_by_number(near, passage.language)
            for value, (way, word) in mine_by.items():
                if value in theirs_by and theirs_by[value][0] != way:
                    return [Mismatch("direction", word, theirs_by[value][1],
                                     f"statement says '{word}', the source says '{theirs_by[value][1]}'")]
            return []
        theirs_by = ways_by_number(near, passage.language)
        ours_numbers = {m.group().replace(",", "") for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", statement)}
        moved = {value for value, (way, _) in theirs_by.items() if way in theirs}
        stated = set(re.findall(r"\d+(?:\.\d+)?", near.replace(",", "")))
        if moved and not ours_numbers & moved and ours_numbers & stated:
            return []  # 'Its list shrank 7%, and 71.5% were seen within 18 weeks': the statement is about 71.5%
        mine, source = our_words[next(iter(ours))], their_words[next(iter(theirs))]
        return [Mismatch("direction", mine, source, f"statement says '{mine}', the source says '{source}'")]

    def subject(self, statement: str, passage: EvidencePassage) -> list[Mismatch]:
        names = names_in(statement, passage.article)
        if not names:
            return []
        # The party the statement is about is named in the evidence's sentence, the sentences before it or the
        # paragraph before ('The chip is made on ...' goes on about the chip its paragraph named); a party named
        # only after the evidence ('Shares of rival Corvane Bio ... fell') is another subject.
        window = f"{passage.previous_paragraph} {passage.before} {passage.sentence}"
        if not names_in(passage.sentence, passage.article):
            at = passage.article.find(passage.sentence)
            window = passage.article[: at + len(passage.sentence)] if at >= 0 else passage.article
        out = []
        speakers = {a.name for a in attributions_in(masked_quotes(passage.sentence))}
        claimant = names[0] if CLAIMS.match(statement, statement.find(names[0]) + len(names[0])) else None
        verb = re.search(r"\b(?:said|says|told|added|estimates|expects|argued|wrote|according to)\b", passage.sentence)
        before_verb = passage.sentence[max(0, verb.start() - 100):verb.start()] if verb else ""
        if claimant and speakers and not mentions(before_verb, claimant, passage.aliases) and not any(
                mentions(s, claimant, passage.aliases) or mentions(claimant, s, passage.aliases) for s in speakers):
            said = ", ".join(sorted(speakers))
            out.append(Mismatch("subject", claimant, said, f"statement gives this to '{claimant}', but its evidence "
                                f"gives it to {said}"))
        elif claimant and not speakers and not mentions(window, claimant, passage.aliases):
            out.append(Mismatch("subject", claimant, "", f"statement gives this to '{claimant}', whom its evidence "
                                "does not name"))
        subject = subject_of(statement, names)
        if subject and not mentions(window, subject, passage.aliases) and not (
                topic(subject, passage.article, passage.aliases) and _only_places(passage.sentence, passage.article)):
            said = ", ".join(dict.fromkeys(names_in(passage.sentence, passage.article))) or "someone else"
            out.append(Mismatch("subject", subject, said, f"statement is about '{subject}', but its evidence is "
                                f"about {said}"))
        elif subject and opens(statement, subject) and (owner := _clause_owner(passage, speakers)) \
                and not mentions(passage.sentence, subject, passage.aliases) \
                and not mentions(owner, subject, passage.aliases) and not mentions(subject, owner, passage.aliases):
            # 'Velmont's revenue rose 4.5%' for 'Alpenrail's revenue rose 4.5%': the evidence's clause names whose it
            # is, and it is another party than the statement's (named in the paragraph before, but not here)
            out.append(Mismatch("subject", subject, owner, f"statement is about '{subject}', but its evidence says "
                                f"this of {owner}"))
        elif subject:
            # Both name the same parties: the one doing the thing must be the source's, not the one it is compared
            # with ('Port Halden reduced ... far more than Easton' for 'Easton cut ..., while Port Halden fell').
            speakers = {a.name for a in attributions_in(masked_quotes(passage.sentence))}
            theirs = [n for n in names_in(passage.sentence, passage.article) if n not in speakers and not acronym(n)]
            ours = [n for n in names if n not in speakers and not acronym(n)
                    and not any(mentions(s, n, {}) for s in speakers)]
            shared = [n for n in ours if any(mentions(t, n, passage.aliases) or mentions(n, t, passage.aliases)
                                             for t in theirs)]
            contrasted = [m.group("what") for m in CONTRAST.finditer(statement)]
            if len(shared) >= 2 and theirs and any(shared[1] in what for what in contrasted) \
                    and not (mentions(theirs[0], shared[0], passage.aliases)
                             or mentions(shared[0], theirs[0], passage.aliases)):
                out.append(Mismatch("subject", shared[0], theirs[0], f"statement is about '{shared[0]}', but its "
                                    f"evidence says this of {theirs[0]}"))
        # Other parties: an analyst names context from elsewhere in the article ('Trainium1', 'Project Rainier'),
        # so only a party the article never names is held against the statement.
        near = f"{passage.previous_paragraph} {passage.paragraph}"
        for name in names[1:] if subject else names:
            if acronym(name) or mentions(near, name, passage.aliases) or name == subject:
                continue
            if not mentions(passage.article, name, passage.aliases):
                out.append(Mismatch("counterpart", name, "", f"statement names '{name}', which its source never "
                                    "names"))
            elif not topic(name, passage.article, passage.aliases) and not variants_in(name, near):
                out.append(Mismatch("counterpart", name, "", f"statement names '{name}', which its evidence's "
                                    "paragraph does not (the source names it elsewhere)"))
        return out

    def comparator(self, statement: str, passage: EvidencePassage) -> list[Mismatch]:
        out = []
        near = passage.sentence
        supported = supported_words(near, passage.language)
        for match in COMPARATOR.finditer(statement):
            what = match.group("what").strip()
            if _BOUND_WORDS.match(what):
                continue  # "more than 5%": a bound, checked with the figure
            words = [(w, b) for w, b in content(what, passage.language)][:4]
            missing = [w for w, b in words if b not in supported and w.lower()[:5] not in supported]
            # The sentence compares with several things ('higher than a gas peaker's, lower than lithium-ion's'):
            # the statement's must be the one its evidence compares with.
            compared = [m for m in COMPARATOR.finditer(passage.sentence) if not _BOUND_WORDS.match(m.group("what"))
                        and content(m.group("what"), passage.language)]  # not 'more than 41,000', not 'them'
            own = [m.group("what") for m in compared if m.start() < passage.span[1] and m.end() > passage.span[0]]
            if not missing and own and len(own) < len(compared):
                backed = supported_words(" ".join(own), passage.language)
                missing = [w for w, b in words if b not in backed and w.lower()[:5] not in backed]
            if missing and not compared and topic(what, passage.article, passage.aliases):
                continue  # 'a higher share than Pellworth': the party the article is about, set against another
            if missing:
                theirs = COMPARATOR.search(passage.sentence)
                said = theirs.group("what").strip() if theirs else ""
                out.append(Mismatch("comparator", what, said, f"statement compares with '{what}'" + (
                    f", the source with '{said}'" if said else ", which its evidence does not")))
        return out

    @staticmethod
    def metric(statement: str, passage: EvidencePassage) -> list[Mismatch]:
        return metric_mismatches(statement, passage)

    def period(self, statement: str, passage: EvidencePassage) -> list[Mismatch]:
        near = normal(f"{passage.before} {passage.sentence}")
        out = []
        for match in PERIOD.finditer(statement):
            phrase = normal(match.group())
            if phrase in near or phrase.rstrip("s") in near:
                continue
            span = " ".join(phrase.split()[-2:])  # 'over four years' for 'over the next four years'
            counted = len(phrase.split()) >= 3 and span[:1].isdigit()
            if (counted and re.search(rf"(?<![\w.]){re.escape(span)}\b", near)) or (
                    re.search(r"\bsame\s+period\b", near) and phrase in normal(passage.article)):
                continue  # 'in the same period of 2025': the period the article named before
            if re.fullmatch(r"(?:19|20)\d\d", phrase) and (phrase not in normal(passage.article) or (
                    not re.search(r"\b(?:19|20)\d\d\b", passage.sentence)
                    and re.search(r"\b(?:earlier|previous|prior|last|that|same)\b", passage.sentence, re.IGNORECASE)
                    and phrase in passage.article[:max(0, passage.article.find(passage.sentence))])):
                # a year the article never states is the prose-number check's; 'the earlier flood' of a sentence
                # that names no year is one the article dated before it
                continue
            theirs = [m.group() for m in PERIOD.finditer(passage.sentence)]
            at = passage.article.find(passage.paragraph)
            following = passage.article[at + len(passage.paragraph):].strip().split("\n\n", 1)[0] if at >= 0 else ""
            lead = passage.article.split("\n\n", 2)[:2]
            if period_kind(phrase) not in {period_kind(normal(t)) for t in theirs} and phrase in normal(
                    " ".join([passage.previous_paragraph, passage.paragraph, following, *lead])):
                # 'on Thursday' from the lead, 'in the fourth quarter of 2029' from the paragraph after: the
                # sentence itself dates nothing of that kind
                continue
            out.append(Mismatch("period", match.group(), theirs[0] if theirs else "", f"statement says "
                                f"'{match.group()}'" + (f", the source says '{theirs[0]}'" if theirs else
                                                        ", which its evidence does not")))
        ours, theirs_rates = rates(statement), rates(passage.sentence[max(0, passage.span[0] - 40):])
        if ours and theirs_rates and not ours & theirs_rates:  # '... tonnes of hydrogen each month' for 'each year'
            out.append(Mismatch("period", f"per {min(ours)}", f"per {min(theirs_rates)}",
                                f"statement says 'per {min(ours)}', the source says 'per {min(theirs_rates)}'"))
        return out


def _clause_owner(passage: EvidencePassage, speakers: set[str]) -> str | None:
    """The party the evidence's clause is about when it says so itself: its opening name ('Alpenrail employs
    5,800 people') or an owner ('... Alpenrail's revenue rose'); None for a place ('In Japan, orders ...') or a
    speaker ('Ellery told reporters that the group ...')."""
    clause = evidence_clause(passage.sentence, passage.span).strip()
    for name in names_in(clause, passage.article):
        if opens(clause, name) and not any(mentions(s, name, {}) or mentions(name, s, {}) for s in speakers):
            return name
    return None


# What each kind of mismatch asks the analyst to do; negations and directions are errors (a statement that says
# the opposite of its source), the rest warnings, which --strict makes errors.
STATEMENT_ERRORS = ("negation", "direction")
JUDGE_HINTS = {
    "negation": "say what the source says: it negates this",
    "added-negation": "say what the source says: the statement negates what the source does not",
    "direction": "give the direction the source gives",
    "subject": "state what the evidence's subject did, or quote the passage about the statement's subject",
    "counterpart": "name the parties the source names, or declare the name in the brief's 'aliases'",
    "comparator": "compare with what the source compares with",
    "metric": "use the source's words for what is measured, or quote the passage that says it",
    "period": "give the period the source gives",
}


DEFAULT_JUDGE: Judge = LexicalJudge()


_PLACE = re.compile(r"\b(?:in|across|from|to|at|throughout|outside|within|into|near)\s+(?:the\s+)?$", re.IGNORECASE)


def variants_in(name: str, text: str) -> bool:
    """'Trainium1' where the paragraph says 'Trainium2': a product line the paragraph is about."""
    stem = re.sub(r"\d+$", "", name)
    return stem != name and re.search(rf"(?<!\w){re.escape(stem)}\d*(?!\w)", text) is not None


def _place(name: str, sentence: str) -> bool:
    at = sentence.find(name)
    return at >= 0 and _PLACE.search(sentence[max(0, at - 20):at]) is not None


def _only_places(sentence: str, article: str) -> bool:
    """Whether every name of the sentence is a place ('Sales in the United States climbed 14%') or a person
    ('..., Ellery said'): then the party the article is about may be the statement's subject."""
    found = False
    speakers = {a.name for a in attributions_in(masked_quotes(sentence))}
    for name in names_in(sentence, article):
        at = sentence.find(name)
        person = name in speakers or re.fullmatch(r"[A-ZÀ-Þ][a-zà-ÿ'’\-]+(?: [A-ZÀ-Þ][a-zà-ÿ'’\-]+){0,2}", name) and (
            re.search(rf"{re.escape(name)}\s*(?:,|said|says|told|added)", sentence) is not None)
        if at < 0 or not (person or _PLACE.search(sentence[max(0, at - 20):at])):
            return False
        found = True
    return found
