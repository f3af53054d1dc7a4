"""A generated governing document (a routine) of a given length, and a second version of it with a few words changed
and a section moved: the input of bench/compare.py and of the size test in tests/test_compare.py.

About 500 words a page in 30 sections of paragraphs, lists and subheadings, in the shape DocumentVersion.content
holds ([{"key", "title", "body"}], the body sanitised HTML). The same pages and seed give the same text.
"""

import random

from core.text import sanitise

WORDS_PER_PAGE = 500
SECTIONS = 30
CHANGED_WORD = "omarbetad"  # not in VOCABULARY: the word edited_routine puts in, easy to find in a difference

VOCABULARY = (
    "och att det som en på är för av med till den har de inte om ett ska kan alla vid när efter under inom "
    "kommunen regionen patienten den enskilde vårdgivaren utföraren hemsjukvården primärvården slutenvården "
    "samordnad individuell plan informationsöverföring utskrivning inskrivning planering uppföljning ansvar "
    "läkemedel hjälpmedel rehabilitering habilitering omvårdnad bedömning insats beslut samtycke dokumentation "
    "journal rutin riktlinje avvikelse samverkan överenskommelse delregion närvård vårdcentral sjuksköterska "
    "arbetsterapeut fysioterapeut biståndshandläggare läkare anhöriga närstående barn vuxna äldre psykiatri "
    "missbruk socialtjänst elevhälsa skola tandvård akut planerad vardag helg dygn vecka månad senast snarast "
    "skriftligen digitalt muntligt säkert tydligt gemensamt respektive berörda parter meddelande kallelse möte"
).split()
TITLES = (
    "Syfte", "Omfattning", "Ansvar", "Begrepp", "Inskrivning", "Utskrivning", "Samordnad individuell plan",
    "Läkemedel", "Hjälpmedel", "Rehabilitering", "Hemsjukvård", "Barn och unga", "Psykiatri", "Missbruk",
    "Tandvård", "Avvikelser", "Uppföljning", "Dokumentation", "Informationsöverföring", "Samtycke",
    "Anhöriga", "Akuta lägen", "Helger", "Digitala möten", "Utbildning", "Tvister", "Giltighet",
    "Revidering", "Kontaktvägar", "Bilagor",
)  # fmt: skip


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 20))]
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random, n_words: int) -> str:
    """Paragraphs of a few sentences, now and then a subheading or a bulleted list, until about n_words words."""
    blocks, count = [], 0
    while count < n_words:
        roll = rng.random()
        if roll < 0.1:
            block = f"<h3>{_sentence(rng)[:-1]}</h3>"
        elif roll < 0.25:
            block = "<ul>" + "".join(f"<li>{_sentence(rng)}</li>" for _ in range(rng.randint(2, 5))) + "</ul>"
        else:
            block = "<p>" + " ".join(_sentence(rng) for _ in range(rng.randint(3, 6))) + "</p>"
        blocks.append(block)
        count += len(block.split())
    return sanitise("".join(blocks))


def generated_routine(pages: int = 40, seed: int = 1) -> list[dict]:
    """A routine of about `pages` × WORDS_PER_PAGE words in SECTIONS sections (fewer for a very short one)."""
    rng = random.Random(seed)
    count = max(1, min(SECTIONS, pages * WORDS_PER_PAGE // 200))
    per_section = pages * WORDS_PER_PAGE // count
    return [
        {"key": f"avsnitt-{n}", "title": f"{n}. {TITLES[(n - 1) % len(TITLES)]}", "body": _body(rng, per_section)}
        for n in range(1, count + 1)
    ]


def edited_routine(sections: list[dict], seed: int = 2, changed: int = 5) -> list[dict]:
    """The next version: one word replaced by CHANGED_WORD in `changed` sections, and one other section moved from
    near the start to near the end."""
    rng = random.Random(seed)
    edited = [dict(s) for s in sections]
    moved = 1 if len(edited) > 2 else None
    for n in rng.sample([n for n in range(len(edited)) if n != moved], min(changed, len(edited) - 1)):
        words = edited[n]["body"].split(" ")
        # A word inside a sentence: no tag, and a letter on each side of it.
        at = rng.choice([i for i, w in enumerate(words) if w.isalpha() and i and words[i - 1][-1:].isalpha()])
        words[at] = CHANGED_WORD
        edited[n]["body"] = " ".join(words)
    if moved is not None:
        edited.insert(len(edited) - 2, edited.pop(moved))
    return edited
