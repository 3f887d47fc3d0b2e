"""Who said a quote, read as a careful reader reads it; the draft names that speaker and the check accepts it.

* The quote's own sentences first, with every quoted span blanked out: words inside a quote never name its
  speaker (“Customers told us ‘never again’,” said Lee is Lee's quote, not the customers').
* ``“...,” said X``, ``X said: “...”`` and split quotes name X in the sentence; ``according to X`` too.
* ``“...,” she said`` goes to the person last named before it (in the paragraph, or the two before it),
  among the people the article attributes words to.
* ``the alliance said in a statement`` goes to the organisation with that word in its name named before
  it; ``the company said`` to the organisation the article is about (the one it names most).
* A quote sentence with no verb of saying (a follow-on: “We would rather own it.” after “...,” Whitfield
  said.) continues the speaker of the sentence before it, across a paragraph break too.
* An anonymous source (``who was not authorized to speak publicly``, ``on condition of anonymity``) names
  nobody: the draft leaves the speaker to the analyst and never lends the words to a name nearby.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from .attribution import _NOT_NAMES, _ORG_WORDS, _not_named, attributions_in, find_name, names_for, window_text
from .lexicon import STOPWORDS
from .match import Location
from .parties import topic
from .source_text import SourceText
from .units import ISO_CODES, read_unit

_QUOTED = re.compile(r"\u201c[^\u201c\u201d]*(?:\u201d|$)|\"[^\"\n]*(?:\"|$)|\u00ab[^\u00ab\u00bb]*(?:\u00bb|$)")
_ANONYMOUS = re.compile(
    r"not\s+authori[sz]ed\s+to\s+(?:speak|comment|discuss|talk)|asked\s+not\s+to\s+be\s+(?:named|identified)"
    r"|declined\s+to\s+be\s+(?:named|identified)|condition\s+of\s+anonymity|requested\s+anonymity"
    r"|(?:speaking|spoke)\s+anonymously|(?:did\s+not|didn't)\s+want\s+to\s+be\s+(?:named|identified)"
    r"|(?:could|can)\s*not\s+be\s+named|declined\s+to\s+give\s+(?:his|her|their)\s+name", re.IGNORECASE)
_SPEECH = (r"(?:said|says|added|adds|told|tells|wrote|writes|continued|argued|explained|noted|warned|insisted|"
           r"recalled|replied|laughed|asked|conceded|admitted|cautioned|predicted|stressed|declared|observed)")
_PRONOUN_SPEECH = re.compile(rf"\b(?:he|she|they)\s+(?:\w+ly\s+)?{_SPEECH}\b|\b{_SPEECH}\s+(?:he|she)\b"
                             r"|\ba-t-(?:il|elle)\s+\w+|\b(?:il|elle)\s+a\s+(?:ajouté|précisé|indiqué|déclaré)",
                             re.IGNORECASE)
_HEADS = (r"company|firm|group|bank|ministry|alliance|agency|union|council|board|regulator|operator|airline|"
          r"carrier|utility|club|association|government|department|commission|authority|insurer|lender|retailer|"
          r"chain|institute|university|foundation|trust|coalition|federation|league|maker|manufacturer|bidder|buyer|"
          r"target|developer|miner|carmaker|operator|group|business|startup")
# The names a head may stand for: 'the regulator said' after 'a review by the Federal Prudential Commission'.
_KINDS = {"regulator": {"commission", "authority", "office", "agency", "board", "regulator", "inspectorate", "bureau"},
          "union": {"union", "guild", "federation"}, "government": {"ministry", "department", "government"},
          "insurer": {"insurance", "re", "assurance"}, "lender": {"bank"}, "airline": {"air", "airways", "airlines"}}
_ORG_SPEECH = re.compile(rf"\b(?:the|its)\s+(?P<head>{_HEADS})\s+(?:\w+ly\s+)?(?:also\s+)?{_SPEECH}\b", re.IGNORECASE)
# French: '« ... », a indiqué la société dans un communiqué'
_ORG_SPEECH_FR = re.compile(r"\b(?:indiqué|déclaré|précisé|annoncé|ajouté|souligné|affirmé)\s+(?:la|le|l['’])\s*"
                            r"(?P<head>société|groupe|entreprise|direction|ministère|syndicat|mairie)\b", re.IGNORECASE)
_FRENCH_HEADS = {"société": "company", "groupe": "group", "entreprise": "company", "direction": "company",
                 "ministère": "ministry", "syndicat": "union", "mairie": "council"}
# 'The bank now forecasts growth of ...': an organisation the sentence names by what it is.
_ORG_REFERENCE = re.compile(rf"\b(?:the|its)\s+(?P<head>{_HEADS})\b", re.IGNORECASE)
_CONTINUES = re.compile(r"(?:it|its|he|his|she|her|they|their)\b", re.IGNORECASE)
# A run of capitalised words; a full stop after a word ('Norway. The') ends it, one in 'U.S.' or 'St.' does not.
_NAME_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ](?:[\w’'&\-]|\.(?=\w))*(?:(?<=[A-Z])\.|(?<=[A-Z][a-z])\.)?"
                       r"(?:[ \t]+(?:of[ \t]+|de[ \t]+|for[ \t]+|and[ \t]+)?"
                       r"[A-ZÀ-ÖØ-Þ](?:[\w’'&\-]|\.(?=\w))*(?:(?<=[A-Z])\.|(?<=[A-Z][a-z])\.)?)*")


@dataclass(frozen=True)
class Speaker:
    name: str | None  # None: the source names nobody
    how: str  # named, pronoun, follow-on, organisation, anonymous


def masked(sentence: str) -> str:
    """The sentence with its quoted words blanked out (same length)."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), sentence)


@functools.lru_cache(maxsize=64)
def _speakers(text: str) -> tuple[str, ...]:
    """Every name the article ties to a verb of saying, in order of first appearance."""
    names: list[str] = []
    for line in text.split("\n"):
        for attribution in attributions_in(masked(line)):
            if attribution.name not in names:
                names.append(attribution.name)
    return tuple(names)


def _first_mention_at(text: str, speakers: tuple[str, ...]) -> tuple[int, str] | None:
    """(position, speaker) of the speaker ``text`` names first: the subject of the sentence nearest the pronoun."""
    best: tuple[int, str] | None = None
    for speaker in speakers:
        for name in names_for(speaker):
            match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), speaker)
    return best


_TITLES = {"councillor", "councilor", "cllr", "alderman", "m", "mme", "mlle", "me", "chief", "executive", "finance",
           "financial", "operating", "officer", "managing", "vice", "deputy", "senior", "analyst", "economist",
           "spokesman", "spokeswoman", "spokesperson", "leader", "founder", "ceo", "cfo", "cto", "coo", "head", "mr",
           "mrs", "ms", "dr", "prof", "professor", "sir", "dame", "governor", "mayor", "senator", "minister",
           "president", "chairman", "chairwoman", "chair", "commissioner", "speaker", "director", "judge", "justice",
           "secretary", "chancellor", "premier", "lord", "lady", "captain", "general", "rev", "father"}


def _before(source: SourceText, location: Location, sentence: int, paragraphs: int = 2) -> list[str]:
    """The texts before a sentence, nearest first: its own start, the earlier sentences of its paragraph,
    then whole earlier paragraphs."""
    paragraph = location.paragraph
    texts = [masked(source.sentence_text(paragraph, index)) for index in range(sentence - 1, -1, -1)]
    earlier = range(paragraph - 1, max(-1, paragraph - 1 - paragraphs), -1)
    texts += [masked(source.paragraph_text(index)) for index in earlier]
    return texts


def _people_in(text: str) -> list[tuple[int, str]]:
    """(position, name) of each run of two or three capitalised words that reads as a person's name."""
    out = []
    for match in _NAME_RUN.finditer(text):
        words = match.group().split()
        while words and (words[0].lower() in _NOT_NAMES | STOPWORDS or words[0].lower().rstrip(".") in _TITLES):
            words = words[1:]
        if re.search(r"\b(?:in|at|from|near|across|to|of|on|along|into|outside|past|off)\s+(?:the\s+)?$|"
                     r"\bthe\s+$", text[max(0, match.start() - 12):match.start()]):
            continue  # 'at the Millbrook Falls store', 'in Port Halden', 'on Calle Ferro': a place; 'the Blue Anchor'
            # is a thing (a person's name takes no article)
        if any(len(w) > 3 and w.endswith(".") for w in words[:-1]):
            continue  # 'planning October. She will': two sentences, not a name
        if 2 <= len(words) <= 3 and not any(_bare(w) in _ORG_WORDS for w in words) \
                and all(w[:1].isupper() and w[1:2].islower() for w in words):
            out.append((match.end() - len(" ".join(words)), " ".join(words)))
    return out


@functools.lru_cache(maxsize=64)
def _article_people(text: str) -> tuple[str, ...]:
    """The names in the article that read as people's, found once per article."""
    return tuple(name for _, name in _people_in(masked(text)))


@functools.lru_cache(maxsize=64)
def _introduced_people(text: str) -> tuple[str, ...]:
    """The people the article introduces as people ('Teodora Valk, who has run the cafe'), whose surname alone
    later stands for them."""
    return tuple(name for name in _article_people(text) if len(name.split()) >= 2 and re.search(
        rf"{re.escape(name)},\s+who\b|{re.escape(name)}\s+(?:said|says|told|added)\b", text))


def _person_like(name: str) -> bool:
    words = person_name(name)[0].split()
    return 2 <= len(words) <= 3 and not any(_bare(w) in _ORG_WORDS for w in words) \
        and all(w[:1].isupper() for w in words)


def _bare(word: str) -> str:
    return word.lower().strip(".,").removesuffix("’s").removesuffix("'s")


def person_name(name: str, source: SourceText | None = None) -> tuple[str, str | None]:
    """(name, title): 'Governor Teresa Vandermolen' -> ('Teresa Vandermolen', 'Governor'); a surname the
    article uses alone ('Ferreira') -> the full name it gave first ('Lucía Ferreira')."""
    name = re.sub(r"^[A-Z][\w\-]*[’']s\s+(?=[A-Z])", "", name)  # "Estmark's Ministry of Agriculture"
    words = name.split()
    cut = max((i + 1 for i, w in enumerate(words[:-1]) if _bare(w).rstrip(".") in _TITLES), default=0)
    if cut and len(words) - cut >= 1:
        title, words = " ".join(words[:cut]), words[cut:]
    else:
        title = None
    if len(words) == 1 and source is not None:
        for full in [*_speakers(source.text), *_article_people(source.text)]:
            full = person_name(full)[0]
            if full.endswith(" " + words[0]) and 2 <= len(full.split()) <= 3:
                return full, title
    return " ".join(words), title


def _person_before(source: SourceText, location: Location, sentence: int, plural: bool = False) -> str | None:
    """The person 'he' or 'she' stands for: the one named last before, among the article's speakers and the
    names that read as people's."""
    everyone = _speakers(source.text)
    people = [n for n in everyone if _person_like(n)] + list(_article_people(source.text))
    # 'he' or 'she' is a person: an organisation the article quotes ('Nvidia said') is never the antecedent.
    main = _main_organisation(source) if not plural else None
    speakers = tuple(n for n in everyone if (plural or n in people or any(p.endswith(" " + n) for p in people))
                     and not (main and (n == main or n in names_for(main))))
    own = masked(source.sentence_text(location.paragraph, sentence))
    for text in [own, *_before(source, location, sentence, 1)]:
        if _ANONYMOUS.search(text):
            return ANONYMOUS  # 'A manager, who asked not to be named, ... “...,” he said'
        # A person the article quotes elsewhere first ('Lucía Ferreira, who leads the Green Valley caucus'):
        # a name-like run after it is more often a thing named for someone than a second person; among
        # unquoted names, the first (the sentence's subject: 'Keisha Dorsey has worked at the Millbrook store').
        spoke, named = _first_mention_at(text, speakers), min(_people_in(text), default=None)
        if spoke and named and named[0] < spoke[0] and not re.search(r"[.!?]\s", text[named[0]:spoke[0]]):
            spoke = named  # 'Marcus Leclair, an analyst ... on Maplestone's profit, said': the sentence's subject
        best = spoke or named or min(
            ((m.start(), p) for p in _introduced_people(source.text)
             if (m := re.search(rf"(?<!\w){re.escape(p.split()[-1])}(?!\w)", text))), default=None)
        # ('Back on the seafront, Valk is already planning': the surname of a person the article introduced)
        if best is not None:
            name = best[1]
            return next((s for s in speakers if name in names_for(s) or s in names_for(name)), name)
    return None


ANONYMOUS = "\x00anonymous"  # what _person_before answers for a pronoun whose antecedent is an anonymous source


_WHICH_SUBJECT = re.compile(rf"\s*(?P<name>{_NAME_RUN.pattern}(?:[ \t]+\d+)?),\s+which\b")
# 'according to operations director Tobias Reimann, who called the ramp-up “...”': the quote is the name's.
_WHO_CALLED = re.compile(rf"(?P<name>{_NAME_RUN.pattern}),\s+who\s+(?:called|described|dubbed|termed|said|added)\b")


def _organisation(source: SourceText, location: Location, sentence: int, head: str) -> str | None:
    """The organisation 'the alliance' or 'the company' stands for."""
    head = head.lower()
    if head not in ("company", "firm", "group", "maker", "manufacturer", "bidder", "buyer", "target", "developer"):
        own = masked(source.sentence_text(location.paragraph, sentence))
        for text in [own, *_before(source, location, sentence, 9)]:
            runs = [run for run in _NAME_RUN.findall(text) if head in run.lower().split()
                    or set(run.lower().split()) & _KINDS.get(head, set())]
            if runs:
                return _strip_article(runs[-1])
        # 'The Medicines Standards Office, which oversees the recall, ... “...,” the regulator said': the
        # subject of the paragraph's sentence, an organisation by its 'which' (a person's clause takes 'who').
        for index in range(sentence, -1, -1):
            subject = _WHICH_SUBJECT.match(masked(source.sentence_text(location.paragraph, index)))
            if subject:
                return _strip_article(subject.group("name"))
        return None  # 'the union said' with no union named before: the source does not say which
    # 'Corvane Industries, which tabled ..., withdrew. “...,” the company said': the organisation named last before
    # in the paragraph, else the one the article is about.
    own = masked(source.sentence_text(location.paragraph, sentence))
    people = set(_speakers(source.text)) | set(_article_people(source.text))
    for text in [own, *_before(source, location, sentence, 0)]:
        runs = [_strip_article(run) for run in _NAME_RUN.findall(text)]
        organisations = [run for run in runs if _organisation_like(run, people)]
        if organisations:
            return organisations[-1]
    return _main_organisation(source)


def _organisation_like(name: str, people: set[str]) -> bool:
    words = name.split()
    if not words or name in people or any(name in person.split() for person in people) or len(name) < 3:
        return False
    return any(_bare(w) in _ORG_WORDS for w in words)


@functools.lru_cache(maxsize=64)
def _main_organisation_of(text: str, people: tuple[str, ...]) -> str | None:
    counts = Counter(_strip_article(run) for run in _NAME_RUN.findall(masked(text)))
    # A person is a name whose surname speaks alone ('Eirik Mjøen' ... 'Mjøen said'), or that surname; a speaker
    # that is neither ('Skarvik said', 'Skarvik Stål') may be the organisation.
    surnames = {p for p in people if len(p.split()) == 1 and any(
        len(q.split()) >= 2 and q.split()[-1] == p for q in (*people, *counts))}
    for name, _ in counts.most_common():
        words = name.split()
        if not words or words[0].lower() in _NOT_NAMES | _CALENDAR or name.upper() in ISO_CODES or len(name) < 3 \
                or read_unit(name).kind != "count" or re.search(rf"\d\s*{re.escape(name)}\b", text) \
                or words[-1] in surnames or (name in people and len(words) >= 2 and not any(
                    _bare(w) in _ORG_WORDS for w in words) and name not in _organisations(text, people)):
            continue
        # The organisation the article is about is named often; a two-word name alone is too often a place.
        organisation = len(words) >= 2 or any(w.lower().strip(".,") in _ORG_WORDS for w in words) or counts[name] >= 4
        if organisation and len(words) == 1:  # 'Kaori' is short for the 'Kaori Media' the article names in full
            longer = [run for run in counts if run.startswith(f"{name} ") and len(run.split()) <= 4
                      and (counts[run] >= 2 or _bare(run.split()[-1]) in _ORG_WORDS)
                      and run.split()[-1] not in surnames and run.split()[-1].lower() not in _CALENDAR
                      and not re.search(r"['’]", run)]
            return max(longer, key=lambda run: counts[run]) if longer else name
        if organisation:
            return name
    return None


_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _organisations(text: str, people: tuple[str, ...]) -> set[str]:
    """Speakers the article gives an organisation's words to ('Skarvik Stål said it ...', '..., the company')."""
    return {p for p in people if re.search(rf"{re.escape(p)}(?:,\s+(?:the|a)\s+(?:{_HEADS})\b|\s+said\s+(?:it|its)\b)",
                                           text)}


def _main_organisation(source: SourceText) -> str | None:
    """The organisation the article is about: the one it names most (people and places aside). Its short name
    stays short: 'Amazon' is not always 'Amazon Web Services'."""
    return _main_organisation_of(source.text, _speakers(source.text))


def _strip_article(name: str) -> str:
    words = name.split()
    while words and words[0].lower() in _NOT_NAMES:
        words = words[1:]
    return " ".join(words).removesuffix("’s").removesuffix("'s")


def speaker_of(source: SourceText, location: Location, depth: int = 2) -> Speaker | None:
    """Whom the source gives the quoted words at ``location`` to; None when it does not say."""
    paragraph = location.paragraph
    for index in dict.fromkeys((location.sentence, location.last_sentence)):
        sentence = masked(source.sentence_text(paragraph, index))
        if _ANONYMOUS.search(sentence):
            return Speaker(None, "anonymous")
        found = attributions_in(sentence, index)
        if found:
            return Speaker(found[0].name, "named")
        who = _WHO_CALLED.search(sentence)
        if who and who.end() <= location.start - source.paragraphs[paragraph].sentences[index].start:
            return Speaker(person_name(_strip_article(who.group("name")))[0], "named")
        pronoun = _PRONOUN_SPEECH.search(sentence)
        if pronoun:
            # 'they wrote' may be analysts or a firm; 'he' or 'she said' is a person
            person = _person_before(source, location, index, plural="they" in pronoun.group().lower())
            if person == ANONYMOUS:
                return Speaker(None, "anonymous")
            return Speaker(person, "pronoun") if person else None
        org = _ORG_SPEECH.search(sentence) or _ORG_SPEECH_FR.search(sentence)
        if org:
            head = org.group("head").lower()
            name = _organisation(source, location, index, _FRENCH_HEADS.get(head, head))
            return Speaker(name, "organisation") if name else None
    if depth == 0:
        return None
    own = source.sentence_text(paragraph, location.sentence).lstrip()
    # A follow-on quote (the sentence opens with the quote), or a sentence that goes on about the speaker of
    # the one before ("Amazon shared that ... Its big claim was that the chip offers “...”"): the speaker of the
    # sentence before, in this paragraph or at the end of the one before.
    if not (own[:1] in ("\u201c", '"', "\u00ab") or _CONTINUES.match(own)):
        return None
    if location.sentence > 0:
        previous = Location(paragraph, location.sentence - 1, location.sentence - 1, 0, 0, ())
    elif paragraph > 0 and source.paragraphs[paragraph - 1].sentences:
        last = len(source.paragraphs[paragraph - 1].sentences) - 1
        previous = Location(paragraph - 1, last, last, 0, 0, ())
    else:
        return None
    before = speaker_of(source, previous, depth - 1)
    return Speaker(before.name, "follow-on") if before is not None and before.name else before


def check_claimant(source: SourceText, location: Location, by: str) -> str | None:
    """None when the party in ``by`` is named near the evidence, else what the source says instead."""
    names = names_for(by)
    # 'Veloxa Therapeutics' is 'Veloxa' in most sentences: any distinctive word of the party's name will do.
    distinctive = [w for w in re.findall(r"[A-Z][\w’'&\-]{3,}", by) if w.lower() not in _ORG_WORDS | _NOT_NAMES]
    own = masked(source.sentence_text(location.paragraph, location.sentence))
    others = attributions_in(own)
    if others and not find_name(own, [*names, *distinctive]) and not any(
            find_name(a.name, [*names, *distinctive]) or find_name(by, names_for(a.name)) for a in others):
        # 'Ilse Brandvold of Fjellhavn Securities expects ...' given to Pieter Vandam, named a sentence away
        tie = others[0]
        words = f"{tie.verb} {tie.name}" if tie.verb.startswith("according") else f"{tie.name} {tie.verb}"
        return f"'{by}' is not named in the evidence's sentence; the source ties it to {tie.name} ('{words}')"
    if find_name(window_text(source, location), [*names, *distinctive]):
        return None
    # 'Rosendahl argued that ...' two sentences back, 'the bank now forecasts': whom the source gives it to
    said = speaker_of(source, location)
    known = [*names, *distinctive]
    if said is not None and said.name and (find_name(said.name, known) or find_name(by, names_for(said.name))):
        return None
    head = _ORG_REFERENCE.search(masked(source.sentence_text(location.paragraph, location.sentence)))
    if head is not None:
        organisation = _organisation(source, location, location.sentence, head.group("head"))
        if organisation and (find_name(organisation, known) or find_name(by, names_for(organisation))):
            return None
    # The party the article is about, for a figure the source gives to nobody else ('The combined ratio rose to
    # 104.2%' in a story on Tidewater's results): its own figure.
    sentence = masked(source.sentence_text(location.paragraph, location.sentence))
    if (said is None or not said.name) and not attributions_in(sentence) and any(
            topic(name, source.text, {}) for name in known):
        return None
    return _not_named(source, location, by, names, "the evidence")



def check_speaker(source: SourceText, location: Location, speaker: str, role: str | None) -> str | None:
    """None when the source gives the quote to ``speaker`` (or names them next to it), else what it says."""
    names = names_for(speaker, role)
    said = speaker_of(source, location)
    if said is not None and said.name:
        if find_name(said.name, names) or find_name(speaker, names_for(said.name)):
            return None
        return f"'{speaker}' is not named with the quote; the source ties it to {said.name} ({_HOW[said.how]})"
    if find_name(window_text(source, location), names):
        return None
    if said is not None and said.how == "anonymous":
        return f"'{speaker}' is not named: the source quotes an anonymous speaker"
    return _not_named(source, location, speaker, names, "the quote")


_HOW = {"named": "it names them with the quote", "pronoun": "'he' or 'she said' after naming them",
        "follow-on": "the quote follows on from their words", "organisation": "the organisation the words are "
        "given to"}
