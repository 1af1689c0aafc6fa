"""Spoken words into the reported speech of a press release.

“And, um, I would say that our two countries are free of disputes” is printed “that the two countries
were free of disputes”: what speech adds and print drops is stripped (leading conjunctions and discourse
markers, enumerators, hedges and frames, filler, false starts and repeated words), the first person
becomes the third, the tense moves back one step, and the clause starts in lower case unless it starts
with a name. A sentence that cannot be turned reliably (a question, an exclamation, a “we” that nothing
names) is quoted whole; one that only manages the session (greetings, thanks, hand-overs, housekeeping,
“can you hear me”) is left out, and the reason said.

Rules, not a model: the words a sentence may start with and the verbs it may use are closed lists here,
and lemminflect (a dictionary of English lemmas and inflections) says which open-class words can be
verbs and what their past tense is (decision 36). Nothing here touches the database.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

REPORTED, QUOTED, LEFT_OUT = "reported", "quoted", "left out"

# What a quotation looks like in a point: the composer prints it as the speaker's own words.
QUOTATION = re.compile(r"^“[^“”]+”$")


@dataclass(frozen=True)
class Voice:
    """Who says it, for the pronouns: he, she or they, the country they stand for, their organisations
    (“NIPS”), and the names the event itself gives as context (countries in its title)."""

    pronoun: str = ""
    country: str = ""
    organisations: tuple[str, ...] = ()
    context: str = ""
    gathering: str = "the webinar"  # what a moderator's “we” means in “today we look at …”
    moderator: bool = False
    foreign: bool = False  # from another country than most of the agenda: an ambassador, a visiting speaker


@dataclass(frozen=True)
class Rendering:
    spoken: str
    text: str  # the clause after “said that”, or a quotation in “ ”; empty when left out
    kind: str
    reason: str = ""
    clean: str = ""  # the words said without filler, repeats and leading markers: what a quotation quotes


# Speech that print drops ----------------------------------------------------------------------------------

_MARKERS = r"""and|so|but|well|now|also|okay|ok|yes|yeah|right|look|see|actually|basically|anyway|again|indeed|
in fact|of course|moreover|furthermore|however|similarly|likewise|besides|then|hence|therefore|thus|
having said that|that said|at the same time|on the other hand|in addition|additionally|importantly|
first|firstly|second|secondly|third|thirdly|fourth|fourthly|fifth|fifthly|finally|lastly|last|next|
first of all|last but not least|to begin with|to start with|in the first place|number one|number two|number three|
for example|for instance|e\.g\.|as an example|frankly|honestly|personally|clearly|obviously|
to be honest|to be frank|to be fair|quite frankly|in short|in sum|in a nutshell|in other words|
as i said|as i said earlier|as i mentioned|as i mentioned earlier|as you know|as we know|as we all know|
as you can see|you see|you know|i mean|um+|uh+|erm|er|ah|hmm"""
_FRAMES = r"""i would say|i'd say|i would argue|i'd argue|i want to argue|i would like to argue|i think|i really think|
i believe|i feel|i guess|i suppose|i would think|i'd think|i am convinced|i'm convinced|i am sure|i'm sure|
i would like to say|i'd like to say|i want to say|i must say|i have to say|let me say|let me just say|
let me be clear|let me add|let me tell you|i can tell you|i must tell you|i would tell you|i would add|
i'd add|i want to add|i would like to add|let me stress|i want to stress|i would stress|i want to emphasise|
i want to emphasize|i would like to emphasise|i would like to emphasize|i would like to stress|
i want to underline|i would underline|let me point out|i would point out|i want to point out|it seems to me|
it appears to me|what i want to say is|what i would say is|what i am saying is|what i'm saying is|in my view|
i want to correct one thing|let me correct one thing|i would like to correct one thing|one more thing|
just one thing|i want to clarify|let me clarify|to clarify|just to add|to add to that|building on that|
in my opinion|in my assessment|in my understanding|in my experience|in my judgement|in my judgment|
from my perspective|from my point of view|to my mind|as i see it|as far as i am concerned"""
_PHRASES = lambda s: sorted((p.strip() for p in s.replace("\n", "").split("|") if p.strip()), key=len, reverse=True)  # noqa: E731
LEADING = re.compile(
    r"^(?:"
    + "|".join(p.replace(" ", r"\s+") for p in _PHRASES(_MARKERS + "|" + _FRAMES))
    + r")\b(?:\s+that\b)?[\s,:;—–-]*",
    re.I,
)
# The speaker's own verb for what they do: “I would propose that …” is reported “proposed that …”.
OWN_FRAME = re.compile(
    r"^(?:i|we)\s+(?:would\s+|'d\s+|want\s+to\s+|would\s+like\s+to\s+|must\s+|strongly\s+)?"
    r"(propose|suggest|recommend|urge|warn|caution|welcome|call\s+for)\b(?:\s+that\b)?[\s,]*",
    re.I,
)
OWN_PAST = {"propose": "proposed", "suggest": "suggested", "recommend": "recommended", "urge": "urged",
            "warn": "warned", "caution": "cautioned", "welcome": "welcomed", "call for": "called for"}  # fmt: skip
# Hedges and filler inside a sentence, set off by commas: “Trade, I think, is the key”.
INSIDE = re.compile(
    r",\s*(?:i think|i believe|i would say|in my view|in my opinion|you know|i mean|for example|for instance|"
    r"of course|frankly|honestly|as i said|as you know|actually|basically)\s*(?:,|(?=[.;:!?]|$))",
    re.I,
)
FILLER = re.compile(r"(,?)\s*(?<![\w’'-])(?:um+|uh+|erm|er|ah|hmm|you know|i mean)(?![\w’'-])([,.]?)\s*", re.I)
# A restart after a comma: “the glaciers were losing, they were losing mass” → “were losing mass”.
RESTATED = re.compile(r"\b([\w’']+ [\w’']+),\s+(?:(?:they|it|we|he|she|i|you|that|this)\s+)?\1\b", re.I)
# Filler that needs its commas to be filler: “had been, sort of, disbursed”, “sitting on, like, trillions”.
COMMA_FILLER = re.compile(r"(,)\s*(?:sort of|kind of|like|basically|actually|literally|so to speak)\s*(,)", re.I)
# Before these the comma around filler is the sentence's own: “freight and insurance, you know, not the price”;
# elsewhere it was the speaker's pause: “population and, uh, poor management”.
GO_ON = frozenset("not but especially including which who and or although though so because rather even".split())
# “the the”, “we are, we are”: said twice, printed once (“that that” and “had had” are English).
REPEATED = re.compile(r"\b((?:[\w’']+\s+){0,2}[\w’']+)(?:\s*[,…—–-]+\s*|\s+)\1\b", re.I)
KEEP_DOUBLE = frozenset({"that", "had"})
# A false start: “We need to — we must invest”: the words before the dash are dropped.
RESTART = re.compile(r"^([\w’']+)\b[^—–.?!]{0,50}?\s*(?:—|–|--|\s-\s|\.\.\.|…)\s*(?=\1\b)", re.I)


# Sentences that only manage the session ------------------------------------------------------------------

PROCEDURAL = [
    (
        "a greeting",
        r"^(?:good (?:morning|afternoon|evening|day)|hello|hi\b|welcome|greetings|salaam|assalam|as-?salam)",
    ),
    ("thanks", r"^(?:thank|thanks|many thanks|i (?:also |would also |would like to |want to )?(?:thank|welcome))"),
    ("thanks", r"\b(?:thank you|thanks)\b.{0,40}$"),
    (
        "a hand-over",
        r"\b(?:over to you|floor is (?:yours|now yours)|give the floor|hand (?:it )?(?:over|back)|"
        r"back to you|i (?:now )?(?:invite|request|call upon|turn to|ask)|may i (?:now )?(?:request|invite|ask)|"
        r"let me (?:now )?(?:invite|introduce|hand|turn)|please welcome|"
        r"our (?:next|first|second|third|last|final|main) (?:speaker|discussant|panellist|panelist)|"
        r"(?:first|next|last|final) discussant|without further ado|"
        r"(?:invite|request) .{0,60}to (?:give|deliver|share|speak|present|make)|"
        r"your (?:thoughts|comments|remarks),? please)",
    ),
    (
        "housekeeping",
        r"\b(?:microphones?|mute|muted|unmute|chat box|in the chat|q ?& ?a box|raise (?:your|a) hand|"
        r"we will begin|before we begin|let us begin|let's begin|we are running (?:out of|short of) time|"
        r"(?:one|two|five) minutes? (?:left|more)|i will stop here|i'll stop here|that is all|that's all|"
        r"this concludes|we will now|we'll now|recording|being recorded|housekeeping)",
    ),
    ("a courtesy", r"^(?:have a (?:good|nice|great|pleasant) (?:day|evening|afternoon|weekend)|see you|goodbye|bye\b)"),
    (
        "a greeting",
        r"\b(?:ladies and gentlemen|excellenc(?:y|ies)|distinguished (?:guests|discussants|participants|speakers|"
        r"panellists|panelists|audience))\b",
    ),
    (
        "running the session",
        r"\b(?:let(?:'s| us) (?:now |just )?(?:open|take|move|go|begin|start|turn|hear|welcome|thank|end|close|"
        r"conclude|wrap|read|have)|read (?:them|it|this|these) out|come (?:back )?to you|open the floor|"
        r"come to the end|end of (?:today's|this|our) (?:webinar|session|discussion|roundtable)|"
        r"lost (?:you|him|her|them)\b|for a moment|(?:one|the) last question|"
        r"(?:have|has) (?:a|an) (?:great|excellent|distinguished|wonderful|very good|fine) panel|"
        r"let me speak|let me talk)",
    ),
    (
        "agreement",
        r"^(?:i )?(?:fully |partly |completely |entirely |totally |quite |very much )?(?:agree|disagree)"
        r"(?: with [^.,;]{1,40})?[.!]?$",
    ),
    (
        "an interjection",
        r"^(?:okay|ok|yes|yeah|no|sorry|right|sure|great|good|excellent|perfect|absolutely|indeed|"
        r"alright|all right|much better|exactly|of course)[.!,]?$",
    ),
    (
        "running the session",
        r"\b(?:we are (?:live|at time|over time|out of time|running late|about to (?:begin|start))|"
        r"thumbs up|(?:first|next|last|another) (?:hand|question) (?:is )?from|(?:please )?go ahead|"
        r"(?:straight|now|move) to (?:the )?questions|questions? from the audience|before we close|"
        r"we will take (?:questions|one more|a few)|meeting is ending|webinar is ending|session is ending|"
        r"i(?: will|'ll| am going to|'m going to) be (?:a bit |slightly |very )?"
        r"(?:brief|short|quick|contrarian|provocative|controversial|blunt|frank|honest)|"
        r"let me (?:also )?thank|i (?:want|would like) to thank|"
        r"(?:two|three|four|five) (?:speakers|discussants|panellists|panelists) today|no discussants|"
        r"parts to my (?:talk|presentation)|that is my (?:opening|presentation|talk|point)|"
        r"that's my (?:opening|point)|my (?:talk|presentation) (?:has|is in)|over time|out of time|"
        r"we have (?:a few|five|ten) minutes)",
    ),
    (
        "a courtesy",
        r"\b(?:(?:great|real|a) (?:pleasure|honour|honor|privilege) to (?:be|speak|join|have)|"
        r"(?:pleased|glad|happy|delighted) to (?:be here|join|speak))",
    ),
    (
        "running the session",
        r"\b(?:raise (?:your|their|a) hands?|(?:a|one|another|the next) question (?:is )?from|"
        r"(?:is|are) asking (?:whether|if|about|why|how|what)|asks (?:whether|if)|"
        r"(?:let me|to) (?:sum up|summari[sz]e|conclude|wrap up)|came out clearly|"
        r"^(?:the|my) (?:(?:first|second|third|last|final|main|key) )?(?:consequence|answer|point|reason|problem|"
        r"lesson|question) is (?:simple|clear|this)\b|"
        r"(?:session|meeting|webinar|roundtable|seminar) is (?:now )?(?:closed|over|adjourned))",
    ),
    ("a request to the audience", r"^(?:please|kindly|remember|make sure|feel free|do not forget|don't forget)\b"),
    (
        "a signpost",
        r"^(?:i (?:want|would like|will|am going) to|let me|allow me to) (?:now )?"
        r"(?:add|say|make|bring|talk|speak|share|start|begin|focus|turn|come|give|offer|raise|touch)\b[^;:]{0,80}$"
        r"|^let me be (?:frank|honest|clear|brief|direct|candid)\b",
    ),
    (
        "technical talk",
        r"\b(?:hear me|hear you|can see it|can see you|see your screen|(?:your|my) (?:video|camera)|echo\b|"
        r"see my (?:screen|slides?)|my slides?|next slide|share my screen|"
        r"sharing my screen|screen ?share|you(?:'re| are)? (?:froze|frozen|breaking up|on mute)|froze|frozen|"
        r"connection|lagging|audio|bandwidth|reconnect)",
    ),
]
TRIGGER_STOP = frozenset(
    "the and our you your are for with from now will not can have has had this that all one let more first next "
    "last final how out over about also another before here further give make may please short five four few like "
    "move clear point real great speak join see share back call ask hand came being left".split()
)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``\\b(?:A|B|C)``."""
    body = pattern.removeprefix(r"\b(?:").removesuffix(")")
    parts, depth, start = [], 0, 0
    for i, char in enumerate(body):
        if char == "(" and body[i - 1 : i] != "\\":
            depth += 1
        elif char == ")" and body[i - 1 : i] != "\\":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    return [*parts, body[start:]]


def _triggers(pattern: str) -> frozenset[str] | None:
    """Words one of which a sentence must hold for the pattern to match it (each alternative has one),
    so most sentences skip it unsearched: a long alternation is slow in Python's re. None when some
    alternative has no word distinctive enough (then the pattern always runs)."""
    words: set[str] = set()
    for alternative in _alternatives(pattern):
        literal = re.sub(r"\\[a-zA-Z]|\(\?[:!=<]+|\w\?|\[[^]]*\]|\{[^}]*\}", " ", alternative.lower())
        every = set(re.findall(r"[a-z]{3,}", literal))
        # Words outside any group are in every match: the rarer of them if any, else all of them
        # (“over to you”); with none outside, every word the alternative has (one of them is in the match).
        outside = alternative.lower()
        while re.search(r"\([^()]*\)\??", outside):
            outside = re.sub(r"\([^()]*\)\??", " ", outside)
        outside = re.sub(r"\\[a-zA-Z]|\w\?|\[[^]]*\]|\{[^}]*\}", " ", outside)
        required = set(re.findall(r"[a-z]{3,}", outside))
        found = (required - TRIGGER_STOP) or required or every
        if not found:
            return None
        words |= found
    return frozenset(words)


def _trigger_pattern(pattern: str) -> re.Pattern | None:
    """One search for “holds one of the pattern's words”; None when the pattern must always run."""
    triggers = None if pattern.startswith("^") else _triggers(pattern)
    return re.compile("|".join(sorted(map(re.escape, triggers)))) if triggers else None


PROCEDURAL_RE = [
    (
        reason,
        re.compile(pattern, re.I),
        pattern.startswith("^"),
        _trigger_pattern(pattern),
    )
    for reason, pattern in PROCEDURAL
]


def procedural(sentence: str) -> str:
    """Why this sentence only manages the session (“a hand-over”), or empty if it says something."""
    cleaned = VOCATIVE.sub("", _clean(sentence))
    text = _strip_leading(cleaned)
    if len(re.findall(r"[\w’'-]+", text)) < 2:
        return "an interjection"
    low = cleaned.lower()
    for reason, pattern, anchored, triggers in PROCEDURAL_RE:
        if anchored:
            if pattern.search(text) or pattern.search(cleaned):
                return reason
            continue
        if triggers is not None and not triggers.search(low):
            continue
        if pattern.search(text) or pattern.search(cleaned):
            return reason
    return ""


# A sentence that leans on the one before: “They are focused on …”, “That challenge …”.
DANGLING = re.compile(
    # “It is clear that …” points ahead, not back; “That is why …” sums up what comes.
    r"^(?:it\b(?!\s+(?:is|was|'s)\s+(?:not\s+)?(?:clear|important|essential|time|true|obvious|likely|possible|"
    r"necessary|vital|crucial|worth|high time|no secret|no surprise)\b)"
    r"|(?:they|them|their|its|this|that|these|those|such|which|he|she|his|her)\b)"
    r"(?!\s+(?:is|was)\s+(?:why|how|what))",
    re.I,
)


def dangling(sentence: str) -> bool:
    return bool(DANGLING.match(_strip_leading(_clean(sentence))))


def topic(sentence: str) -> str:
    """What a fragment heading names: “Third, debt-for-climate swaps.” → “debt-for-climate swaps”."""
    return _strip_leading(_clean(sentence)).rstrip(" .;:!")


def with_topic(sentence: str, subject: str) -> str:
    """A sentence that starts with “they” or “it” after a fragment heading, with the heading as its
    subject: “Debt-for-climate swaps. They are slow.” → “Debt-for-climate swaps are slow.”"""
    text = _strip_leading(_clean(sentence))
    found = re.match(r"^(?:they|it|these|this)\b", text, re.I)
    if not found or not subject:
        return sentence
    return subject[0].upper() + subject[1:] + text[found.end() :]


def continues(fragment: str) -> bool:
    """A fragment that goes on from the sentence before (“Dynamic and multi-domain.”, “Especially in
    energy.”), not a heading that opens a new topic (“The Indus Waters Treaty.”, “Third, swaps.”)."""
    raw = _clean(fragment)
    text = _strip_leading(raw)
    first = text.split(maxsplit=1)[0] if text else ""
    return (
        text == raw
        and len(text.split()) > 1
        and first[:1].isupper()
        and first.lower() not in DETERMINERS | NUMBERS
        and bool(_lemmas(first.lower()))
        and not (len(text.split()) > 1 and text.split()[1][:1].isupper())
    )


def fragment(sentence: str) -> bool:
    """A few words without a verb (“Dynamic and multi-domain.”): part of the sentence before."""
    text = _strip_leading(_clean(sentence))
    # “Number two, debt-for-climate swaps, which Egypt has done.”: the verb is the relative clause's
    head = re.split(r",\s*(?:which|who|that|where|when)\b", text, maxsplit=1)[0]
    words = re.findall(r"[\w’'-]+", head)
    return 0 < len(words) <= 12 and not _has_verb(words, head)


# Verbs --------------------------------------------------------------------------------------------------

# Closed class: the forms that back-shift without asking the dictionary.
BACKSHIFT = {
    "is": "was", "are": "were", "am": "was", "has": "had", "will": "would", "can": "could", "may": "might",
    "shall": "should", "does": "did", "cannot": "could not", "isn't": "wasn't", "aren't": "weren't",
    "doesn't": "didn't", "don't": "didn't", "won't": "wouldn't", "can't": "couldn't", "hasn't": "hadn't",
    "haven't": "hadn't",
}  # fmt: skip
CONTRACTIONS = {
    "i'm": "I am", "i've": "I have", "i'll": "I will", "i'd": "I would", "we're": "we are", "we've": "we have",
    "we'll": "we will", "we'd": "we would", "they're": "they are", "they've": "they have", "they'll": "they will",
    "it's": "it is", "that's": "that is", "there's": "there is", "what's": "what is", "here's": "here is",
    "let's": "let us", "you're": "you are", "you've": "you have", "he's": "he is", "she's": "she is",
    "won't": "will not", "can't": "cannot", "don't": "do not", "doesn't": "does not", "isn't": "is not",
    "aren't": "are not", "haven't": "have not", "hasn't": "has not",
}  # fmt: skip
MODALS = frozenset("would could should might must will can may shall to not did do does let".split())
SUBJECT_SINGULAR = frozenset("he she it this that which who there".split())
SUBJECT_PLURAL = frozenset("they we i you these those who which that there".split())
SKIP_ADVERBS = frozenset(
    "also still now often already always never only really just increasingly therefore thus indeed clearly "
    "certainly truly simply generally usually largely mostly alone itself themselves roughly nearly almost".split()
)
DETERMINERS = frozenset(
    "a an the this that these those its their his her our my your no every each both all some any more less new "
    "to not only also".split()
)
FUNCTION_WORDS = frozenset(
    """a an the this that these those there it its both all any some many much each every one no not while although
though if when as despite since because what how why whether given more most greater deeper closer in on at by for
with from into of to we our they their he she his her i my you your us them""".split()
)
NUMBERS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand "
    "million billion half dozen several few".split()
)
# Names the dictionary also knows as common words (“china”, “turkey”), and common country names.
PROPER = frozenset(
    """China Turkey Jordan Chad Georgia Japan Guinea Pakistan Russia India Afghanistan Iran Uzbekistan Kazakhstan
Turkmenistan Tajikistan Kyrgyzstan Azerbaijan Europe Asia Africa America Moscow Beijing Islamabad Tashkent Almaty
Gwadar Karachi Lahore Delhi Kabul Tehran Washington London CPEC SCO BRICS EU UN US USA UK NATO ASEAN""".split()
)
COUNTRIES = {
    "Pakistan": "Pakistani", "Russia": "Russian", "China": "Chinese", "India": "Indian", "Afghanistan": "Afghan",
    "Iran": "Iranian", "Uzbekistan": "Uzbek", "Kazakhstan": "Kazakh", "Turkmenistan": "Turkmen",
    "Tajikistan": "Tajik", "Kyrgyzstan": "Kyrgyz", "Turkey": "Turkish", "Türkiye": "Turkish",
    "Saudi Arabia": "Saudi", "the United States": "American", "the US": "American", "Japan": "Japanese",
    "Azerbaijan": "Azerbaijani", "Bangladesh": "Bangladeshi", "Sri Lanka": "Sri Lankan", "Nepal": "Nepali",
    "Germany": "German", "France": "French", "the United Kingdom": "British", "the UK": "British",
}  # fmt: skip


@cache
def _lemmas(word: str) -> dict:
    from lemminflect import getAllLemmas

    return getAllLemmas(word)


@cache
def _past(lemma: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(lemma, tag="VBD")
    return forms[0] if forms else ""


def _verb_lemma(word: str) -> str:
    lemmas = _lemmas(word).get("VERB")
    return lemmas[0] if lemmas else ""


PREPOSITIONS = frozenset("in of at from between across with for on within among".split())


def _plural_head(before: list[str]) -> bool:
    """The subject is plural behind one prepositional phrase: “zones in Balochistan need”."""
    for i, word in enumerate(before[:6]):
        if word.lower() in PREPOSITIONS:
            return i > 0 and i + 1 < len(before) and _is_plural_noun(before[i + 1])
    return False


def _opened_by_clause_word(before: list[str]) -> bool:
    for word in before:
        if word.lower() in CLAUSE_BREAKS - {"and", "or"}:
            return True
        if _only_verb(word.lower()) or word.lower() in FINITE:
            return False
    return False


def _np_inside(before: list[str], i: int) -> bool:
    """A word that could be a noun or a verb is a noun when a determiner, number or adjective stands
    before it (“our research”, “the early harvest”), or it opens the text."""
    if i + 1 >= len(before):
        return True
    word = before[i + 1]
    lemmas = set(_lemmas(word.lower()))
    return (
        word.lower() in DETERMINERS - {"to", "not", "only", "also"}
        or word.lower() in NUMBERS
        or word.endswith(("’s", "'s"))
        or lemmas == {"ADJ"}
        or (word[:1].isupper() and not lemmas)
    )


def _subject_starts_clause(before: list[str], reached_start: bool) -> bool:
    """Whether the words before a verb-or-noun word are a noun phrase that opens its clause (so the
    word is its verb: “strategic stability rests on”), not the object of a verb or a preposition
    (“sell carbon credits”, “tests of ballistic missile tests”)."""
    hops, after_hop = 0, 0
    for i, word in enumerate(before):
        low = word.lower()
        if low in CLAUSE_BREAKS - {"and", "or"} or (
            low == "time" and i + 1 < len(before) and before[i + 1].lower() in ("every", "each", "any")
        ):
            return True  # “on which every corridor … turns”, “every time freight rates change”
        if low in PREPOSITIONS and hops == 0 and i > 0:
            hops += 1  # one prepositional phrase inside the subject: “zones in Balochistan”
            continue
        after_hop += hops
        if low == "and" and i > 0:
            continue  # “Karachi and Port Qasim”
        lemmas = _lemmas(low)
        np_word = (
            low in DETERMINERS - {"to", "not", "only", "also"}
            or low in NUMBERS
            or word[:1].isupper()
            or word.endswith(("’s", "'s"))
            or (bool(lemmas) and set(lemmas) <= {"NOUN", "ADJ", "PROPN", "NUM", "ADV"} and set(lemmas) != {"ADV"})
            or ("NOUN" in lemmas and "VERB" in lemmas and (i == 0 or _np_inside(before, i)))
            or (i == 1 and "NOUN" in lemmas and "NOUN" in _lemmas(before[0].lower()))  # “freight rates”
            or (not lemmas and "-" in word)
        )
        if not np_word:
            return False
    # “with two neighbours and very short flight times,”: a phrase that opens with a preposition is no subject.
    return reached_start and (hops == 0 or after_hop > 0)


def _only_verb(word: str) -> bool:
    lemmas = _lemmas(word)
    return bool(lemmas) and set(lemmas) <= {"VERB", "AUX"}


def _is_noun(word: str) -> bool:
    return "NOUN" in _lemmas(word.lower()) or word[:1].isupper()


IRREGULAR_PLURALS = frozenset(
    "people children men women police cattle economics politics logistics statistics dynamics".split()
)


def _is_plural_noun(word: str) -> bool:
    lower = word.lower()
    if lower in IRREGULAR_PLURALS or (lower.endswith("men") and "NOUN" in _lemmas(lower)):
        return True
    lemmas = _lemmas(lower).get("NOUN") or ()
    return bool(lemmas) and lower not in lemmas and lower.endswith("s")


TOKEN = re.compile(r"[\w’'-]+|[^\w\s]+|\s+")


def _words(tokens: list[str], index: int, step: int):
    """The word tokens before (step -1) or after (step 1) ``index``, stopping at punctuation."""
    i = index + step
    while 0 <= i < len(tokens):
        token = tokens[i]
        if token.isspace():
            i += step
            continue
        if not (token[0].isalnum() or token[0] == "’"):
            return
        yield i, token
        i += step


# Words that can be nouns but after a subject are nearly always its verb: “zones need water”.
MOSTLY_VERBS = frozenset(
    "need face offer share lack support want hope fear aim seek require deserve demand risk depend value "
    "welcome expect plan continue remain stand hold".split()
)
OBJECTS = frozenset("that them him her it us me what how why whether".split())
CLAUSE_BREAKS = frozenset(
    "that which who whom because if when whenever while although though and but or whereas so whether where how what "
    "why "
    "until unless before after since once".split()
)
FINITE = frozenset(
    "is are am was were has have had will would can could may might shall should must does do did needs".split()
)


AFTER_MODAL = frozenset(
    "not be have also still never only soon then well now always certainly easily definitely surely no".split()
)


def _next_non_adverb(tokens: list[str], index: int) -> str:
    """The word after ``index``, past adverbs: “can actually meet” → “meet”."""
    return next((w for _, w in _words(tokens, index, 1) if w.lower() not in SKIP_ADVERBS and not _adverb(w)), "")


def _modal(token: str, index: int, after: str) -> bool:
    """Whether “may”, “will”, “can” here is the modal (a verb follows), not a month or a noun."""
    if token[:1].isupper() and index > 0:
        return False
    low = after.lower()
    return low in AFTER_MODAL or (bool(low) and _verb_lemma(low) == low)


def _adverb(word: str) -> bool:
    """“partly”, “fully”: an -ly word the dictionary knows only as an adverb (not “family”, “Italy”)."""
    return word.islower() and word.endswith("ly") and set(_lemmas(word)) == {"ADV"}


def _rest_of_clause(tokens: list[str], index: int) -> list[str]:
    """The words after ``index`` up to the end of its clause: across the commas of an inserted phrase
    (“window for transit cargo, shared by …, would remove”), to a full stop, a colon, a clause word
    (“which”, “because”) or a comma followed by “and” or “but”."""
    words: list[str] = []
    comma = False
    for position, token in enumerate(tokens[index + 1 :], start=index + 1):
        if token.isspace():
            continue
        low = token.lower()
        if token[0].isalnum() or token[0] == "’":
            if low in CLAUSE_BREAKS - {"and", "or"} or (comma and low in ("and", "but", "or")):
                break
            words.append(low)
            comma = False
        elif token.strip() == ",":
            comma = True
            following = next((t for t in tokens[position + 1 :] if not t.isspace()), "")
            if following.lower() in ("they", "we", "i", "he", "she", "it", "you"):
                break  # “when people trade, they have a stake”: a new clause
        else:
            break
    return words


def _backshift(text: str, *, lexical: bool = True) -> str:
    """Present tense to past, for every finite verb the rules can be sure of; auxiliaries and modals
    only, when not ``lexical``."""
    tokens = TOKEN.findall(text)
    finite_seen = False  # a finite verb already in this clause: a word that could be a noun is one
    shifted = False  # a verb of this clause moved back: one joined to it by “and” moves too
    previous_word = ""
    for index, token in enumerate(tokens):
        lower = token.lower()
        opens = lower in CLAUSE_BREAKS or (lower == "time" and previous_word in ("every", "each", "any"))
        if token[0].isalnum() or token[0] == "’":
            previous_word = lower
        if not (token[0].isalnum() or token[0] == "’") or opens:
            finite_seen = finite_seen and token.isspace()
            shifted = shifted and (token.isspace() or lower in ("and", "or"))
            continue
        before = [w for _, w in _words(tokens, index, -1)]
        after = next((w for _, w in _words(tokens, index, 1)), "")
        # The word before, skipping adverbs: “Pakistan also needs”.
        subject = next((w for w in before if w.lower() not in SKIP_ADVERBS and not _adverb(w)), "")
        prev = before[0].lower() if before else ""
        new = ""
        if lower in ("may", "will", "can", "shall") and not _modal(token, index, _next_non_adverb(tokens, index)):
            new = ""  # “in May”, “the political will is there”, “a can of worms”
        elif lower in BACKSHIFT:
            new = BACKSHIFT[lower]
        elif lower == "have":
            if prev not in MODALS and prev not in ("would", "n't") and subject:
                new = "had"
        elif lower == "do":
            if after.lower() == "not" or subject.lower() in SUBJECT_PLURAL:
                new = "did"
        elif lower in ("need", "needs") and after.lower() == "to" and subject and prev not in MODALS:
            new = "needed"
        elif lexical and subject and prev not in MODALS and lower not in FUNCTION_WORDS and token.islower():
            # A finite verb later in the clause makes this word part of its subject: “the trade talks were”.
            later = _rest_of_clause(tokens, index)
            # “freight rates change”: a plural-looking word, then a base form ending the clause, is its subject
            verb_last = len(later) == 1 and lower.endswith("s") and _verb_lemma(later[0]) == later[0]
            verb_follows = verb_last or any(w in FINITE or (_only_verb(w) and not w.endswith("ing")) for w in later)
            # A word before a comma that could be a noun is one: “Kazakh oil and Turkmen gas, was closer”.
            comma = next((t for t in tokens[index + 1 :] if not t.isspace()), "") == ","
            new = _lexical_past(
                lower,
                subject,
                before,
                "" if verb_last else after,
                finite_seen=finite_seen,
                verb_follows=verb_follows,
                comma=comma,
            )
            if not new and prev in ("and", "or") and shifted and _coordinated_verb(lower, after):
                # The second of two verbs: “tools that reduced debt and fund adaptation” → “and funded”.
                new = _past(_verb_lemma(lower)) if lower in (_verb_lemma(lower), _third(lower)) else ""
        if new or lower in FINITE:
            finite_seen = True
        shifted = bool(new) or (shifted and lower not in CLAUSE_BREAKS - {"and", "or"})
        if new:
            tokens[index] = new[0].upper() + new[1:] if token[:1].isupper() else new
    return "".join(tokens)


def _coordinated_verb(word: str, after: str) -> bool:
    """After “and”, a second verb of the clause: a verb-only word, or a word that could be a noun with
    an object after it (“reduced debt and fund adaptation”), not “positive and free of disputes”."""
    if not _verb_lemma(word):
        return False
    lemmas = set(_lemmas(word))
    after_low = after.lower()
    if lemmas <= {"VERB", "AUX"}:
        return True
    return bool(after) and after_low not in FINITE | PREPOSITIONS and after_low not in ("and", "or", "to")


@cache
def _vbz(lemma: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(lemma, tag="VBZ")
    return forms[0] if forms else ""


def _third(word: str) -> str:
    return _vbz(_verb_lemma(word))


def _lexical_past(
    word: str,
    subject: str,
    before: list[str],
    after: str,
    *,
    finite_seen: bool,
    verb_follows: bool,
    comma: bool = False,
) -> str:
    """The past tense of ``word`` if it is a present-tense verb after ``subject`` (the nearest word before
    it), or empty. A word that can only be a verb is one; a word that can also be a noun (“talks”,
    “plants”, “rates”) is a verb only after a subject that opens its clause, with an object after it
    or no other verb in the clause: “strategic stability rests on”, not “the harvest of power plants was”."""
    lemma = _verb_lemma(word)
    if not lemma or lemma in ("be", "have", "do", "let"):
        return ""
    third = _vbz(lemma)
    is_third = bool(third) and word == third and word != lemma
    is_base = word == lemma
    if not (is_third or is_base):
        return ""
    also_noun = ("NOUN" in _lemmas(word) or "ADJ" in _lemmas(word)) and lemma not in MOSTLY_VERBS
    low = subject.lower()
    pronoun = low in SUBJECT_SINGULAR | SUBJECT_PLURAL
    if also_noun and finite_seen and not pronoun:
        return ""  # “could cut transit times”: the clause has its verb
    if also_noun and is_base and after and _verb_lemma(after.lower()) == after.lower() and after.islower():
        return ""  # “Kazakh oil and Turkmen gas reach us”: of two words that could be verbs, the second is
    if "NOUN" in _lemmas(word) and verb_follows and not pronoun:
        return ""  # “the post-disaster needs assessment was …”: a noun, the clause's verb comes later
    if is_base and any(
        w.lower() in ("let", "lets", "make", "makes", "help", "helps", "see", "watch", "hear") for w in before
    ):
        return ""  # a base form after “let”, “make” or “help” is not finite: “would let the US find”
    after_low = after.lower()
    # One finite verb a clause: with another after it (“countries like Pakistan have to”), this is no verb.
    verb_like = not also_noun or (
        (not comma or _opened_by_clause_word(before))  # “when people trade, they …”
        and not verb_follows
        and _subject_starts_clause(before, reached_start=True)
    )
    if pronoun and low in ("that", "which", "who"):
        # “the rules that govern it”; not “shows that transport costs”, where “that” opens a clause
        if is_base and also_noun:
            return _past(lemma) if after_low in DETERMINERS | OBJECTS else ""
        return _past(lemma) if verb_like or is_base else ""
    if is_third:
        if low in SUBJECT_SINGULAR or not also_noun:
            # “neither side believes”: a form that can only be a verb is one, after any subject.
            ok = low not in PREPOSITIONS and low not in DETERMINERS - {"that", "this"}
        elif subject.isupper() or subject in PROPER or (subject[:1].isupper() and not _lemmas(low)):
            # “Pakistan needs”, “NIPS shows that”; not a list's last word, “Imperial and Slavophile camps”,
            # unless a clause word opens the subject: “on which every corridor … turns”
            ok = verb_like and (bool(after) or _opened_by_clause_word(before))
        elif (
            _is_noun(subject)
            and not _is_plural_noun(subject)
            and low not in FUNCTION_WORDS | DETERMINERS
            and "ADJ" not in _lemmas(low)
        ):
            ok = verb_like  # “stability rests on”, “the region needs investment”
        else:
            ok = False
    elif low in ("they", "we", "i", "you"):
        ok = True
    elif _is_plural_noun(subject) or _plural_head(before):
        ok = verb_like  # “people-to-people links matter”, “zones in Balochistan need”
    elif _compound(before, subject):
        # “Karachi and Port Qasim handle almost all”; not a compound's last noun, “the loss and damage fund.”
        ok = verb_like and (bool(after) or not also_noun)
    else:
        ok = False
    return _past(lemma) if ok else ""


def _compound(before: list[str], subject: str) -> bool:
    """Nouns or names joined by “and” before the verb: “Pakistan and India already notify”, “Kazakh oil
    and Turkmen gas reach”."""
    if subject not in before or not (subject[:1].isupper() or "NOUN" in _lemmas(subject.lower())):
        return False
    for word in before[before.index(subject) + 1 :]:
        low = word.lower()
        if low == "and":
            return True
        lemmas = set(_lemmas(low))
        if not (word[:1].isupper() or (lemmas and lemmas <= {"NOUN", "ADJ"})):
            return False
    return False


# People ---------------------------------------------------------------------------------------------------

THIRD = {
    "he": {"i": "he", "me": "him", "my": "his", "mine": "his", "myself": "himself"},
    "she": {"i": "she", "me": "her", "my": "her", "mine": "hers", "myself": "herself"},
    "they": {"i": "they", "me": "them", "my": "their", "mine": "theirs", "myself": "themselves"},
}
TWO = re.compile(
    r"\b(?:both\s+(?:of\s+)?our|our\s+two|our\s+both)\s+(countries|nations|peoples|sides|governments|states)\b", re.I
)
OUR_BOND = re.compile(
    r"\bour\s+((?:bilateral\s+)?(?:relationship|relations|ties|partnership|friendship|cooperation|trade))\b", re.I
)
BILATERAL = re.compile(r"\b(?:bilateral|each other|one another|two sides|two countries|between us)\b", re.I)
GENERIC_US = re.compile(r"\b(?:most|all|many|each|some|none|both|any|few) of us\b", re.I)
# Case matters: “the US” is not “us”.
WE = re.compile(r"\b(?:[Ww]e|us|[Oo]ur|[Oo]urs|[Oo]urselves)\b")
I_WORDS = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b")


def _countries_named(text: str) -> list[str]:
    return [c for c, adjective in COUNTRIES.items() if re.search(rf"\b(?:{re.escape(c)}|{adjective})\b", text)]


def _we_stands_for(text: str, voice: Voice) -> str:
    """Whom “we” means when the context names it: the speaker's country or organisation, or the two
    countries a bilateral sentence names; empty when nothing says."""
    named = _countries_named(text)
    hosts = _countries_named(voice.context)
    # Only a sentence that says so is about both: “between us”, “each other”, “our two countries”.
    bilateral = bool(BILATERAL.search(text)) and (len(named) >= 2 or len(hosts) == 2)
    if GENERIC_US.search(text):
        return ""  # “better than most of us”: everyone, not a country
    if bilateral:
        return "the two countries"
    for organisation in voice.organisations:
        if organisation and re.search(rf"\b{re.escape(organisation)}\b", text):
            return organisation
    # The country said outright: “In Pakistan, we …”, “we Pakistanis”; a country merely named elsewhere in
    # the sentence says nothing of whose “our data” it is.
    country = re.escape(voice.country)
    if voice.country and re.search(rf"\b(?:in|for|from|across) {country},?\s+(?:we|our)\b|\bwe {country}", text, re.I):
        return voice.country
    # A visiting speaker's “we” beside the host country: an ambassador's “We consider Pakistan a partner”.
    if voice.foreign and voice.country and named and voice.country not in named:
        return voice.country
    return ""


def _third_person(text: str, voice: Voice) -> str | None:
    """First person to third; None when “we” cannot be resolved (then the sentence is quoted)."""
    text = TWO.sub(lambda m: f"the two {m.group(1)}", text)
    if voice.country:
        text = re.sub(r"\bour (?:country|nation)\b", voice.country, text, flags=re.I)
    text = OUR_BOND.sub(lambda m: f"the {m.group(1)}", text)
    forms = THIRD.get(voice.pronoun or "they", THIRD["they"])
    text = I_WORDS.sub(lambda m: forms[m.group(0).lower()], text)
    if not WE.search(text):
        return text
    # “Today we look north”: the moderator's “we” is the gathering.
    if voice.moderator:
        text = re.sub(
            r"\b[Ww]e\s+(were\s+|are\s+)?(?=(?:will\s+|would\s+|going\s+to\s+|here\s+to\s+)?"
            r"(?:look|discuss|examine|explore|focus|ask)(?:s|ed|ing)?\b)",
            lambda m: f"{voice.gathering} " + ("was " if m.group(1) else ""),
            text,
        )
    if not WE.search(text):
        return text
    who = _we_stands_for(text, voice)
    if not who:
        return None
    # “our research at NIPS” is “research at NIPS”.
    text = re.sub(rf"\bour\s+([\w-]+)\s+(at|in|of)\s+{re.escape(who)}\b", rf"\1 \2 {who}", text, flags=re.I)
    if not WE.search(text):
        return text
    plural = who == "the two countries"
    # “We were” → “Pakistan was”; “the two countries were” stays plural.
    if not plural:
        text = re.sub(r"\bwe\s+were\b", "we was", text, flags=re.I)
    first = {
        "we": who,
        "us": who,
        "our": "their" if plural else f"{who}’s",
        "ours": "theirs" if plural else f"{who}’s",
        "ourselves": "themselves" if plural else "itself",
    }
    # Named once; after that a pronoun: “Pakistan must put its own house in order”.
    later = {
        "we": "they" if plural else "it",
        "us": "them" if plural else "it",
        "our": "their" if plural else "its",
        "ours": "theirs" if plural else "its",
        "ourselves": "themselves" if plural else "itself",
    }
    # “In Pakistan, we need …” is “Pakistan needed …”.
    text = re.sub(rf"^in {re.escape(who)},?\s+(?=[Ww]e\b)", "", text, flags=re.I)
    # Named already before the first “we”: a pronoun from the start (“In Pakistan we must put our house in order”).
    first_we = WE.search(text)
    named = (
        not plural
        and first_we is not None
        and re.search(rf"\b{re.escape(who)}\b", text[: first_we.start()]) is not None
    )
    seen = [named]

    def name(match: re.Match) -> str:
        word = match.group(0).lower()
        replacement = later[word] if seen[0] else first[word]
        seen[0] = True
        return replacement

    return WE.sub(name, text)


# The whole sentence -------------------------------------------------------------------------------------


def cache_clear() -> None:
    """Forget the sentences already cleaned (for benchmarks that time a first reading)."""
    _clean.cache_clear()
    _strip_leading.cache_clear()


def _unfill(match: re.Match) -> str:
    """Filler out, and the comma the sentence needs kept: “freight and insurance, you know, not the
    price” keeps one comma; “population and, uh, poor management” keeps none."""
    after = match.string[match.end() :].split(maxsplit=1)
    both = match.group(1) and match.group(2) == ","
    if both and after and after[0].lower() in GO_ON:
        return ", "
    return "." if match.group(2) == "." else " "


def _has_repeat(text: str) -> bool:
    """Whether one to three words come twice in a row (“the the”, “we are, we are”): most sentences
    skip the slow back-referencing pattern."""
    words = re.findall(r"[\w’']+", text.lower())
    return any(words[i : i + n] == words[i + n : i + 2 * n] for n in (1, 2, 3) for i in range(len(words) - 2 * n + 1))


@lru_cache(maxsize=8192)
def _clean(sentence: str, expand: bool = True) -> str:
    text = " ".join(sentence.replace("’", "'").split())
    text = FILLER.sub(_unfill, text)
    text = INSIDE.sub("", text)
    text = RESTART.sub("", text)
    text = COMMA_FILLER.sub(_unfill, text)
    text = RESTATED.sub(r"\1", text)
    if _has_repeat(text):
        text = REPEATED.sub(lambda m: m.group(0) if m.group(1).lower() in KEEP_DOUBLE else m.group(1), text)
    if expand:
        text = CONTRACTED.sub(_expand, text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(text.split()))
    return text.strip(" ,;:—–-")


CONTRACTED = re.compile(
    r"\b(?:" + "|".join(re.escape(short) for short in sorted(CONTRACTIONS, key=len, reverse=True)) + r")\b", re.I
)


def _expand(match: re.Match) -> str:
    return _same_case(match.group(0), CONTRACTIONS[match.group(0).lower()])


def _same_case(original: str, replacement: str) -> str:
    if replacement.startswith("I "):
        return replacement
    return replacement[0].upper() + replacement[1:] if original[:1].isupper() else replacement


# An answer's first word, set off by a comma: “No, actually the IMF is …” (not “No country can …”).
ANSWER = re.compile(r"^(?:no|yes|yeah|okay|ok|right|sure|true|exactly|absolutely),\s*", re.I)
# “The point is that …” frames a claim; “The first point is simple: …” is itself a sentence.
POINT_IS_THAT = re.compile(
    r"^(?:my|the) (?:(?:first|second|third|last|final|main|key|real|basic|only|simple) )?"
    r"(?:point|thing|issue|message)"
    r"(?: (?:that )?i (?:want|would like|wanted|am trying|was trying) to (?:make|stress|say|convey))?"
    r" is\s+that\b[\s,]*",
    re.I,
)


@lru_cache(maxsize=8192)
def _strip_leading(text: str) -> str:
    while True:
        stripped = POINT_IS_THAT.sub("", LEADING.sub("", ANSWER.sub("", text, count=1), count=1), count=1)
        stripped = stripped.strip(" ,;:—–-")
        if stripped == text:
            return text
        text = stripped


def _lower_start(text: str) -> str:
    """The clause after “that” starts in lower case unless it starts with a name or an acronym."""
    first = re.split(r"[\s,;:’']", text, maxsplit=1)[0]
    if not first or (first.isupper() and len(first) > 1) or first in PROPER:
        return text
    following = text[len(first) :].split(maxsplit=1)
    if (
        following
        and following[0][:1].isupper()
        and following[0] != "I"
        and first.lower() not in FUNCTION_WORDS
        and "ADV" not in _lemmas(first.lower())
    ):
        return text  # “Central Asia”, “United Nations”: a name of several words
    head = first.split("-")[0].lower()
    if first[:1].isupper() and (head in FUNCTION_WORDS or head in NUMBERS or _lemmas(head)):
        return text[0].lower() + text[1:]
    return text


SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", re.I)
# Someone addressed at the start: “Madam, you are right”, “Dr. Imran, I'll come to you first”.
VOCATIVE = re.compile(
    r"^(?:(?:dear |your )?(?:sir|madam|excellency)|(?:dr|prof|professor|ambassador|general|brigadier|colonel|"
    r"mr|ms|mrs|madam|sir)\.?(?: [A-Z][\w-]*){0,2}(?: sahib| sahiba)?|[A-Z][\w-]*(?: [A-Z][\w-]*)? (?:sahib|sahiba|ji))"
    r",\s+(?=[a-zI])",
    re.I,
)


def quotation(text: str) -> str:
    text = text.strip().replace("'", "’")
    text = text[0].upper() + text[1:]
    if text[-1:] not in ".!?":
        text += "."
    return f"“{text}”"


def render(spoken: str, *, voice: Voice = Voice(), alone: bool = True) -> Rendering:
    """How a sentence someone said is printed: reported, quoted, or left out (with the reason).
    ``alone``: the sentence is a point by itself, so one that leans on the sentence before (“That is
    exactly how …”) is quoted whole rather than reported as if it stood on its own."""
    reason = procedural(spoken)
    if reason:
        return Rendering(spoken, "", LEFT_OUT, f"It is {reason}, not something the speaker argued.")
    text = VOCATIVE.sub("", _clean(spoken))
    said = _strip_leading(VOCATIVE.sub("", _clean(spoken, expand=False)))  # what a quotation quotes
    own = OWN_FRAME.match(text)
    verb, takes_clause = "", True
    if own:
        takes_clause = own.group(0).lower().rstrip(" ,").endswith("that")
        verb, text = OWN_PAST[" ".join(own.group(1).lower().split())], text[own.end() :]
    text = _strip_leading(text)
    clean = text
    words = re.findall(r"[\w’'-]+", text)
    if verb and not takes_clause and not _has_verb(words) and len(words) >= 2:
        # “I would recommend a joint science park” is “recommended a joint science park”.
        return Rendering(spoken, f"{verb} {_lower_start(text).rstrip(' .;:')}", REPORTED, clean=clean)
    if len(words) < 3:
        return Rendering(spoken, "", LEFT_OUT, "Too short to report on its own.", clean=clean)
    if text.endswith(("?", "!")):
        return Rendering(
            spoken, quotation(said), QUOTED, "A question or an exclamation is quoted as it was said.", clean=said
        )
    if not verb and (not _has_verb(words, text) or fragment(text)):
        return Rendering(
            spoken, "", LEFT_OUT, "A fragment without a verb: add it to the point it belongs to.", clean=clean
        )
    if alone and DANGLING.match(text):
        return Rendering(
            spoken,
            quotation(said),
            QUOTED,
            "It leans on the sentence before, so it is quoted as said; add it to the point it belongs to.",
            clean=said,
        )
    if SECOND_PERSON.search(text):
        return Rendering(
            spoken, quotation(said), QUOTED, "It speaks to someone (“you”), so it is quoted as said.", clean=said
        )
    third = _third_person(_backshift(text), voice)
    if third is None:
        return Rendering(
            spoken,
            quotation(said),
            QUOTED,
            "“We” is not named in the sentence, so it is quoted as it was said.",
            clean=said,
        )
    clause = _lower_start(third).rstrip(" .;:")
    clause = clause.replace("'", "’")
    if verb:
        # “urged the government to prioritise”, “proposed that Pakistan join”
        clause = f"{verb} that {clause}" if takes_clause else f"{verb} {clause}"
    return Rendering(spoken, clause, REPORTED, clean=clean)


def _has_verb(words: list[str], text: str = "") -> bool:
    """A finite verb the rules can see: an auxiliary or modal, a past form, a verb-only word, or a
    present form the back-shift would change (“the two countries share …”)."""
    for word in words:
        lower = word.lower()
        if lower in BACKSHIFT or lower in MODALS - {"to", "not"} or lower in ("was", "were", "had", "have", "do"):
            return True
        lemma = _verb_lemma(lower)
        if lemma and (set(_lemmas(lower)) <= {"VERB", "AUX"} or lower == _past(lemma)):
            return True
    # With its commas: “insurance companies, banks” is a list, not “companies banks”.
    text = text or " ".join(words)
    return _backshift(text) != text


def has_verb(text: str) -> bool:
    return _has_verb(re.findall(r"[\w’'-]+", text), text)


def join(first: Rendering, then: Rendering) -> Rendering:
    """A sentence that leans on the one before, printed as one point with it: “… free of disputes,
    dynamic and multi-domain”, or “…; they were focused on …”."""
    spoken = f"{first.spoken} {then.spoken}"
    clean = f"{_sentence_end(first.clean)} {_capital(then.clean)}".strip()
    if first.kind != REPORTED or then.kind == QUOTED:
        return Rendering(spoken, quotation(clean), QUOTED, first.reason or then.reason, clean=clean)
    if then.kind == LEFT_OUT:
        return Rendering(spoken, f"{first.text}, {_lower_start(then.clean.rstrip(' .'))}", REPORTED, clean=clean)
    return Rendering(spoken, f"{first.text}; {then.text}", REPORTED, clean=clean)


def _sentence_end(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# The composer's last look ----------------------------------------------------------------------------------

# Case matters: “the US” is not “us”.
FIRST_PERSON = re.compile(r"^(?:I|We|Our|My|Let us|Let's)\b|\b(?:I|we|me|us|our|my)\b")


def finish(text: str) -> Rendering:
    """A point as the composer will print it, whoever wrote it: leading markers stripped and the tense
    of a reported clause moved back; a point that only manages the session is left out."""
    reason = procedural(text)
    if reason:
        return Rendering(text, "", LEFT_OUT, f"It is {reason}, not something the speaker argued.")
    if QUOTATION.match(text.strip()):
        return Rendering(text, text.strip(), QUOTED)
    cleaned = _strip_leading(" ".join(text.split())).rstrip(" .;")
    if not cleaned:
        return Rendering(text, "", LEFT_OUT, "Nothing is left once the spoken framing is taken off.")
    if FIRST_PERSON.search(cleaned):
        return Rendering(text, quotation(cleaned), QUOTED)
    # Auxiliaries only: a point written after the event is printed as written, its nouns left alone.
    return Rendering(text, _lower_start(_backshift(cleaned, lexical=False)), REPORTED)
