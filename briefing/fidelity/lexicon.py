"""Word lists the statement judge reads with: negations, directions, periods, and the words that carry no
claim of their own. Checked against the corpus in tests/corpus (benchmarks/fidelity.py)."""

from __future__ import annotations

# Negations, as a regular expression over lower-case text. "no longer", "yet to", "failed to" negate too;
# "not only" does not.
NEGATIONS = (r"\bnot\b(?!\s+only\b)|n't\b|\bnever\b|\bno\b(?!\s+(?:more|fewer|less|later|longer\s+than)\b)"
             r"|\bundecided\b|\bunresolved\b|\bruled\s+out\b"
             r"|\bnone\b|\bnothing\b|\bneither\b|\bnor\b|\byet\s+to\b|\bfail(?:ed|s)?\s+to\b"
             r"|\b(?:still|remains?|remained|left|is|are|was|were|been)\s+without\b"
             r"|\bdeclin(?:ed|es)\s+to\b|\brefus(?:ed|es)\s+to\b|\bunable\s+to\b|\bnobody\b|\bno\s+longer\b"
             r"|\bne\b|\bn'|\bpas\b|\bjamais\b|\baucun(?:e)?\b")

# Words of rising and falling, as lemmas and as written (simplemma leaves some past tenses as they are).
DIRECTION_UP = frozenset({
    "rise", "rose", "risen", "increase", "grow", "grew", "climb", "gain", "jump", "surge", "soar", "raise", "boost",
    "beat", "exceed", "top", "expand", "widen", "improve", "accelerate", "higher", "up", "outperform", "lift",
    "more", "larger", "bigger", "greater", "faster", "strengthen", "rally", "advance", "double", "triple",
    "rebound", "hike", "increased", "raised", "beaten", "outpace", "stronger", "richer", "heavier",
    "hausse", "augmenter", "progresser", "croître"})
DIRECTION_DOWN = frozenset({
    "fall", "fell", "fallen", "decline", "drop", "decrease", "shrink", "shrank", "slip", "slide", "slid", "lose",
    "lost", "cut", "lower", "miss", "reduce", "slash", "down", "narrow", "worsen", "weaken", "slow", "plunge",
    "tumble", "less", "fewer", "smaller", "trail", "lag", "shed", "sink", "sank", "dip", "halve",
    "reduction", "trim", "reduced", "missed", "weaker", "cheaper", "lighter", "behind", "underperform",
    "baisse", "baisser", "reculer", "diminuer", "chuter"})

MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                    "sunday"})
SEASONS = frozenset({"summer", "winter", "spring", "autumn"})

NUMBER_WORDS = {"a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
                "twenty": "20", "thirty": "30", "hundred": "100", "thousand": "1000", "million": "million",
                "billion": "billion", "half": "half", "third": "third", "quarter": "quarter", "dozen": "12"}

# Words that say nothing a source must back: function words, and the analyst's connecting words.
STOPWORDS = frozenset("""
a an the and or but if then than that this these those there their its it it's is are was were be been
being has have had having do does did will would shall should can could may might must to of in on at by
for from with as into onto over under about after before between during since until up down out off per via
so such not no nor only also just still yet even more most less least much many few fewer some any each
every all both which who whom whose what when where why how while whereas although though because however
again already he she they we you i me him her them us our your his hers theirs ours my mine one ones other
another same said says say saying according told tells added adds expects expected estimates estimated new
own le la les un une des du de et ou en au aux dans par pour sur avec est sont été être qui que plus moins
""".split())  # noqa: SIM905 (a word list reads better as text)
# Words the judge does not hold against a statement when its paragraph lacks them: they name the kind of
# thing (a company, a figure, a plan) rather than something the source must state.
GENERIC = frozenset({
    "company", "firm", "group", "business", "percent", "per", "cent", "figure", "number", "total", "amount",
    "level", "rate", "share", "value", "plan", "deal", "report", "statement", "data", "result", "year", "month",
    "week", "day", "time", "people", "analyst", "official", "executive", "source", "article", "currently", "now",
    "today", "nearly", "almost", "about", "around", "roughly", "approximately", "least", "most", "over", "under",
    "below", "above", "million", "billion", "thousand", "trillion", "dollar", "euro", "pound", "cents", "percentage",
    "point", "points", "basis", "expect", "estimate", "say", "claim", "reported",
    "annual", "annually", "yearly", "overall", "combined", "respectively", "its", "it", "worth",
    "likely", "could", "would", "will", "set", "make", "take", "reach", "stand", "put", "give", "keep", "saw", "see",
    "seen", "made", "got", "get", "went", "came", "come", "left", "told", "took", "gave", "held", "hold",
})

# Capitals that name a kind of thing rather than a party: never a statement's subject or counterpart.
GENERIC_ACRONYMS = frozenset({
    "AI", "GPU", "CPU", "TPU", "NPU", "ASIC", "EV", "GDP", "CPI", "IPO", "R&D", "LNG", "LED", "IT", "API", "PC", "TV",
    "SUV", "HR", "ETF", "ESG", "CO2", "GHG", "PV", "HVAC", "5G", "4G", "SaaS", "VAT", "FX", "M&A", "CEO", "CFO",
    "CTO", "COO", "EBIT", "EBITDA", "EPS", "ROI", "TEU", "LCD", "OLED", "RAM", "SSD", "ICU", "MRI", "DNA", "RNA"})

# Words for one measure: an analyst may use either.
MEASURE_SYNONYMS = (
    frozenset({"revenue", "sales", "turnover", "income"}), frozenset({"profit", "earnings"}),
    frozenset({"staff", "workforce", "employee", "headcount", "job", "worker", "people", "personnel"}),
    frozenset({"price", "cost", "fare", "charge", "fee", "tariff"}), frozenset({"output", "production"}),
    frozenset({"share", "stock"}), frozenset({"customer", "client", "subscriber", "user"}),
    frozenset({"rate", "yield"}), frozenset({"growth", "expansion"}), frozenset({"spending", "spend", "outlay"}),
    frozenset({"capacity", "size"}), frozenset({"deal", "acquisition", "takeover", "offer", "bid"}),
    frozenset({"target", "goal", "aim", "objective"}), frozenset({"buyback", "repurchase"}),
    frozenset({"loss", "payout"}),
)

# Words of the same meaning wherever they stand (not measures: those are MEASURE_SYNONYMS, held to the clause).
WORD_SYNONYMS = (
    frozenset({"earlier", "early", "previously", "previous", "prior", "before"}),
    frozenset({"rival", "competitor"}),
)

# Nationalities: 'Australian dollar', 'Chinese deliveries' name no party.
DEMONYMS = frozenset({"australian", "canadian", "chinese", "japanese", "swiss", "swedish", "norwegian", "danish",
                       "irish",
                       "british", "french", "german", "italian", "spanish", "dutch", "belgian", "austrian",
                       "american", "mexican", "brazilian", "indian", "korean", "polish", "finnish", "european",
                       "african", "asian", "scottish", "welsh", "icelandic", "czech", "hungarian", "turkish"})
