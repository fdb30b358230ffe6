"""Persona styles that change how a customer writes, never what it says.

A style is kept for the whole conversation. Registers (terse, verbose, polite) choose among the
templates in `writ.users.scripted.speech`; the filters here add what templates cannot: typing
slips, non-native phrasing, impatience, chattiness. No filter touches a value (an id, a number, an
email, a name or a place), and the customer checks after styling that its message still says every
value of its reading (falling back to the unstyled text otherwise), so a style can never hide a
request from the agent.
"""

from __future__ import annotations

import random
import re

from writ.dialogue.grammar import realize
from writ.dialogue.lexicon import meaning_words

__all__ = ["apply_style"]

_PROTECTED = re.compile(r"[\w.+-]*[\d@#][\w.+-]*|###[A-Z-]+###|\b[A-Z][\w'-]*")

_IMPATIENT = ["[I'm in a bit of a hurry|I'm short on time|I'm between meetings|I have to leave soon|I'm in a "
              "rush|I haven't got long|I'm on my lunch break][, sorry| today| right now| here|].", "[Can we make "
              "this quick|Could we speed this up|Can you hurry a little|Can we keep this short|Could we move a bit "
              "faster][, please| if possible|]?", "[Please hurry if you can|I need this sorted quickly|Let's be quick "
              "about it|I need this done fast][, thanks| today|].", "Quick one, please."]
_CHATTY = ["[It's been a [hectic|long|crazy|busy] [week|month|few days][, honestly|, to be honest|]|Things have "
           "been [hectic|busy] lately].", "[I really appreciate you helping with this|Thanks for helping me "
           "out|You're a lifesaver|I appreciate your help][ today|, really|].", "[I've been meaning to sort this "
           "out for [days|a while|ages]|This has been on my to-do list for [days|a week]].", "[Thanks for bearing "
           "with me|Bear with me][, by the way| here|].", "[I'm not great with these "
           "things|I'm not very good at this stuff|This kind of thing confuses me], so [thanks for your "
           "patience|thank you for being patient|I appreciate the help]."]
_LONG = ["Sorry for the long message[, by the way|]."]
_EXPANSIONS = [("I'd like", "I would like"), ("don't", "do not"), ("can't", "cannot"), ("I'm", "I am"),
               ("it's", "it is"), ("It's", "It is"), ("that's", "that is"), ("That's", "That is"),
               ("I've", "I have"), ("won't", "will not"), ("Could you", "Can you please")]


_MEANING = meaning_words()


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha() or not word.islower() or word in _MEANING:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _unprotected(text: str, fn) -> str:
    """Apply `fn` to the stretches of text between protected tokens (values, names, stop tokens)."""
    out, last = [], 0
    for m in _PROTECTED.finditer(text):
        out.append(fn(text[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(fn(text[last:]))
    return "".join(out)


def apply_style(text: str, style: str | None, rng: random.Random, turn: int) -> str:
    """Style one customer message (`turn` counts the customer's messages, for pacing)."""
    if not style or not text or text.startswith("###"):
        return text
    if style == "typos":
        return _unprotected(text, lambda part: " ".join(_typo(w, rng) if rng.random() < 0.12 else w
                                                        for w in part.split(" ")))
    if style == "non_native":
        for short, long in _EXPANSIONS:
            if rng.random() < 0.7:
                text = text.replace(short, long).replace("please please", "please")  # "Could you please ..."
        return _unprotected(text, lambda part: re.sub(r"\bthe (?=[a-z])", lambda m: "" if rng.random() < 0.4 else
                                                      m.group(0), part))
    if style == "impatient" and (turn == 0 or rng.random() < 0.35):
        extra = realize(rng, _IMPATIENT)
        greets = text.startswith(("Hi", "Hello", "Hey", "Good morning", "Good afternoon", "Good evening"))
        return f"{extra} {text}" if rng.random() < 0.5 and not greets else f"{text} {extra}"
    if style == "verbose" and rng.random() < 0.5:
        long = len(text.split()) > 30  # only a long message earns an apology for its length
        return f"{text} {realize(rng, _CHATTY + (_LONG if long else []))}"
    return text
