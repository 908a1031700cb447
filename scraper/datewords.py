"""Month and weekday names: the one date vocabulary of Stet's rules (issue 9).

English, German, French, Spanish, Portuguese, Italian and Dutch, full and short. The
volatile-noise rules (store/noise.py), the shapes of site learning (clean/site.py) and the
diff labels (diff/labels.py) all read their names here, so a language added here is
added to all three.

Short forms come in two kinds: `MONTH_ABBREVIATIONS` are no word of their own in these
languages ("Jan", "Sept", "Okt"); `LOOSE_MONTH_ABBREVIATIONS` are ("set", "out", "ago",
"gen" are words too) and count as a month only beside a figure ("12 set 2026").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MONTHS: tuple[tuple[str, ...], ...] = (  # full names, month by month
    ("january", "januar", "janvier", "enero", "janeiro", "gennaio", "januari"),
    ("february", "februar", "février", "fevrier", "febrero", "fevereiro", "febbraio",
     "februari"),
    ("march", "märz", "marz", "mars", "marzo", "março", "marco", "maart"),
    ("april", "avril", "abril", "aprile"),
    ("may", "mai", "mayo", "maio", "maggio", "mei"),
    ("june", "juni", "juin", "junio", "junho", "giugno"),
    ("july", "juli", "juillet", "julio", "julho", "luglio"),
    ("august", "août", "aout", "agosto", "augustus"),
    ("september", "septembre", "septiembre", "setembro", "settembre"),
    ("october", "oktober", "octobre", "octubre", "outubro", "ottobre"),
    ("november", "novembre", "noviembre", "novembro"),
    ("december", "dezember", "décembre", "decembre", "diciembre", "dezembro", "dicembre"),
)
MONTH_ABBREVIATIONS: tuple[tuple[str, ...], ...] = (
    ("jan", "janv"), ("feb", "févr", "fevr", "fév", "fev"), ("mar", "mrt"), ("apr", "avr"),
    (), ("jun",), ("jul", "juil"), ("aug",), ("sep", "sept"), ("oct", "okt"), ("nov",),
    ("dec", "dez", "déc"),
)
LOOSE_MONTH_ABBREVIATIONS: tuple[tuple[str, ...], ...] = (
    ("ene", "gen"), (), (), ("abr",), (), (), (), ("ago",), ("set",), ("out", "ott"), (),
    ("dic",),
)
WEEKDAYS: tuple[tuple[str, ...], ...] = (  # full names, Monday first
    ("monday", "montag", "lundi", "lunes", "segunda-feira", "lunedì", "lunedi", "maandag"),
    ("tuesday", "dienstag", "mardi", "martes", "terça-feira", "terca-feira", "martedì",
     "martedi", "dinsdag"),
    ("wednesday", "mittwoch", "mercredi", "miércoles", "miercoles", "quarta-feira",
     "mercoledì", "mercoledi", "woensdag"),
    ("thursday", "donnerstag", "jeudi", "jueves", "quinta-feira", "giovedì", "giovedi",
     "donderdag"),
    ("friday", "freitag", "vendredi", "viernes", "sexta-feira", "venerdì", "venerdi",
     "vrijdag"),
    ("saturday", "samstag", "samedi", "sábado", "sabado", "sabato", "zaterdag"),
    ("sunday", "sonntag", "dimanche", "domingo", "domenica", "zondag"),
)
WEEKDAY_ABBREVIATIONS: tuple[str, ...] = (
    "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "segunda", "terça",
    "terca", "quarta", "quinta", "sexta")
RELATIVE_DAYS: tuple[str, ...] = (
    "today", "yesterday", "tomorrow", "heute", "gestern", "morgen", "aujourd'hui", "hier",
    "demain", "hoy", "ayer", "mañana", "hoje", "ontem", "amanhã", "oggi", "ieri", "domani",
    "vandaag", "gisteren")


def flat(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(name for group in groups for name in group)


def alternation(names: Iterable[str]) -> str:
    """A regular expression matching any of the names, longest first ("june" before "jun")."""
    return "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))


def month_number(name: str) -> int | None:
    """1 to 12 for a month's name or short form ("Dec.", "dezembro"), else None."""
    key = name.casefold().rstrip(".")
    for number, names in enumerate(zip(MONTHS, MONTH_ABBREVIATIONS,
                                       LOOSE_MONTH_ABBREVIATIONS, strict=True), start=1):
        if any(key in group for group in names):
            return number
    return None
