"""Rules both catalogues keep: plural forms wherever a count meets a noun, and French typography.

* Every entry with a ``msgid_plural`` has its two forms (French: both filled in) and each
  catalogue's ``Plural-Forms`` header is the language's own (French: 0 and 1 take the singular).
* A message that puts a whole number next to a noun ("%(count)d rows") is a plural entry.
* Every French msgstr, and the French text of the reference data, has a no-break space (U+00A0)
  before ``:`` ``;`` ``!`` ``?`` and inside « », with exemptions for technical text only
  (addresses, times, placeholders, tags, code): see ``tests/ops/typography.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from core.reference import ReferenceItem
from tests.ops.test_translations import LOCALE, ROOT, Entry, _header, _messages, parse_po
from tests.ops.typography import NBSP, problems

PLURAL_FORMS = {
    "fr": "Plural-Forms: nplurals=2; plural=(n > 1);",
    "en": "Plural-Forms: nplurals=2; plural=(n != 1);",
}
# The catalogues that exist: django.po always; djangojs.po once the JavaScript has strings (today
# static/js takes its texts from data-* attributes that the templates translate).
CATALOGUES = sorted(
    (lang, path)
    for lang in PLURAL_FORMS
    for path in (LOCALE / lang / "LC_MESSAGES").glob("django*.po")
)


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_both_languages_have_their_django_catalogue() -> None:
    found = {(lang, path.name) for lang, path in CATALOGUES}
    assert {("fr", "django.po"), ("en", "django.po")} <= found
    js = {lang for lang, path in CATALOGUES if path.name == "djangojs.po"}
    assert js in (set(), {"fr", "en"}), "djangojs.po exists for one language only"


@pytest.mark.parametrize(("lang", "path"), CATALOGUES, ids=lambda v: str(v).split("/")[-1])
def test_catalogue_declares_its_languages_plural_forms(lang: str, path: Path) -> None:
    header = _header(parse_po(path)).msgstr.get(0, "")
    assert f"Language: {lang}\n" in header, _relative(path)
    assert PLURAL_FORMS[lang] in header, f"{_relative(path)}: wrong or missing Plural-Forms"


@pytest.mark.parametrize(("lang", "path"), CATALOGUES, ids=lambda v: str(v).split("/")[-1])
def test_every_plural_entry_has_both_forms(lang: str, path: Path) -> None:
    plurals = [e for e in _messages(parse_po(path)) if e.msgid_plural is not None]
    assert len(plurals) > 40, f"{_relative(path)} has only {len(plurals)} plural entries"
    missing = []
    for e in plurals:
        if sorted(e.msgstr) != [0, 1]:
            missing.append(f"{e.label}: forms {sorted(e.msgstr)} instead of [0, 1]")
        elif lang == "fr" and not (e.msgstr[0] and e.msgstr[1]):
            missing.append(f"{e.label}: msgstr[0] and msgstr[1] must both be translated")
    assert not missing, f"{_relative(path)}:\n" + "\n".join(missing)


# A whole number (``%(name)d``), or a value named as a count, followed by a word is a count of
# something: "%(count)d rows", "%(count)s ideas".
COUNT_BEFORE_WORD = re.compile(r"%\((\w+)\)d (?!%)[a-z]|%\((count|counter)\)s(?:</\w+>)? [a-z]")
# Numbers that are not counts: a line number ("Line 3 already..."), a quarter ("Q2 2026").
NOT_COUNTS = {"line", "quarter", "year"}


def test_messages_that_count_something_have_plural_forms() -> None:
    singular_only = [
        e.label
        for e in _messages(parse_po(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
        if e.msgid_plural is None
        and any(
            (m.group(1) or m.group(2)) not in NOT_COUNTS
            for m in COUNT_BEFORE_WORD.finditer(e.msgid)
        )
    ]
    assert not singular_only, (
        "A count next to a noun needs ngettext / {% blocktranslate count %}:\n"
        + "\n".join(singular_only)
    )


# --- French typography -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Nom : valeur",  # an ordinary space
        "Nom: valeur",  # no space
        "Vraiment ?",
        "Attention !",
        "un ; deux",
        "Le niveau « Réalisation »",
        "Nom\u202f: valeur",  # a narrow no-break space: we use U+00A0 throughout
        "<strong>Nom</strong> : valeur",  # after a closing tag too
        "Voir https://x.org : ici",  # the address is exempt, not the colon after it
    ],
)
def test_the_typography_check_finds_what_is_wrong(text: str) -> None:
    assert problems(text), f"{text!r} should break the rules"


@pytest.mark.parametrize(
    "text",
    [
        f"Nom{NBSP}: valeur{NBSP}; vraiment{NBSP}? oui{NBSP}!",
        f"Le niveau «{NBSP}Réalisation{NBSP}»",
        f"Quoi{NBSP}?!",  # a doubled sign
        "Une adresse en http:// ou https://territoria.example.org:8443/w/x/?cycle=2&a=b",
        "mailto:contact@territoria.example",
        "Réunion à 10:30, format 16:9",  # times and ratios
        f"%(name)s{NBSP}: %(count)d",  # placeholders
        '<a href="https://x.org/a:b">lien</a>',  # attributes
        "Tom &amp; Jerry, l&#39;idée",  # entities
        "<code>a:b</code> et `c:d`",  # code
        f"Envoyez{NBSP}: Authorization: Bearer <jeton>",  # an HTTP header, as it is typed
        "?",  # nothing before it
    ],
)
def test_the_typography_check_exempts_technical_text_only(text: str) -> None:
    assert problems(text) == []


def _french_problems(entries: list[Entry]) -> list[str]:
    found: list[str] = []
    for e in _messages(entries):
        for index, text in sorted(e.msgstr.items()):
            found.extend(f"{e.label} msgstr[{index}]: {p}" for p in problems(text))
    return found


@pytest.mark.parametrize(
    "path", [p for lang, p in CATALOGUES if lang == "fr"], ids=lambda p: p.name
)
def test_french_catalogue_has_no_break_spaces_before_double_signs(path: Path) -> None:
    found = _french_problems(parse_po(path))
    assert not found, (
        f"{len(found)} French typography problems in {_relative(path)} (U+00A0 before : ; ! ? "
        "and inside « »):\n" + "\n".join(found)
    )


def _reference_models() -> list[Any]:
    return [m for m in apps.get_models() if issubclass(m, ReferenceItem)]


@pytest.mark.django_db
def test_french_reference_data_has_no_break_spaces_before_double_signs() -> None:
    models = _reference_models()
    assert len(models) >= 8
    found: list[str] = []
    checked = 0
    for model in models:
        fields = [f.name for f in model._meta.get_fields() if f.name.endswith("_fr")]
        for row in model.objects.values("code", *fields):
            for name in fields:
                checked += 1
                found.extend(
                    f"{model.__name__} {row['code']} {name}: {p}" for p in problems(row[name] or "")
                )
    assert checked > 200, "the reference data looks empty"
    assert not found, "\n".join(found)


def test_french_examples_of_the_plan_library_have_no_break_spaces() -> None:
    from tracer.reference_data import PLAN_LIBRARY

    # (stage, objective EN, objective FR, audiences, segment, [(family, EN, FR), ...])
    french = [objective_fr for _s, _en, objective_fr, *_rest in PLAN_LIBRARY]
    french += [action_fr for *_head, actions in PLAN_LIBRARY for _f, _en, action_fr in actions]
    assert len(french) > 20
    found = [f"{text!r}: {p}" for text in french for p in problems(text)]
    assert not found, "\n".join(found)


def test_the_french_text_of_the_static_error_page_follows_the_rules() -> None:
    """templates/500.html cannot use the catalogue (it renders without a context): its French
    half is written in the template."""
    page = (ROOT / "templates" / "500.html").read_text(encoding="utf-8")
    french = page.split(" / ", 1)[1].split("</p>", 1)[0]
    assert "réessayez" in french
    assert problems(french) == []
