"""The French catalogue is complete, well formed and compiled; the English one exists.

English is the source language: its catalogue keeps empty msgstr. The French one must have every
entry translated and none fuzzy (gettext ignores fuzzy entries, so they would show in English).
The .mo files are git-ignored and built by ``make install`` (``make compilemessages``).
"""

from __future__ import annotations

import ast
import gettext as gettext_module
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
FR_PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
FR_MO = FR_PO.with_suffix(".mo")
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
HINT = "run `make messages`, translate locale/fr/LC_MESSAGES/django.po, then `make compilemessages`"

# %(name)s, %(count)d ... and the bare %s / %d of python-format strings; %% is a literal percent.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")
# Real HTML elements only: "/w/<address>/" in a help text is a placeholder, not a tag.
TAG = re.compile(
    r"</?(?:a|abbr|b|br|code|em|i|kbd|li|ol|p|small|span|strong|sub|sup|time|ul)\b[^>]*>"
)


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        ctxt = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {ctxt}{self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the files makemessages writes (obsolete #~ entries skipped)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def start(lineno: int) -> Entry:
        nonlocal entry
        if entry is None:
            entry = Entry(line=lineno)
        return entry

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            start(lineno).flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            start(lineno)
            continue
        current = start(lineno)
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, literal = match.group(1), match.group(2), match.group(3)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = ""
            else:
                target = (keyword, 0)
                setattr(current, keyword, "")
        elif line.startswith('"') and target is not None:
            literal = line
        else:
            raise AssertionError(f"{path}:{lineno}: cannot read this line: {raw!r}")
        text = ast.literal_eval(literal)
        assert target is not None
        if target[0] == "msgstr":
            current.msgstr[target[1]] += text
        else:
            setattr(current, target[0], (getattr(current, target[0]) or "") + text)
    if entry is not None:
        entries.append(entry)
    return entries


def _header(entries: list[Entry]) -> Entry:
    headers = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert headers, "The French catalogue has no header entry"
    return headers[0]


def _messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not (e.msgid == "" and e.msgctxt is None)]


@pytest.fixture(scope="module")
def fr_entries() -> list[Entry]:
    assert FR_PO.exists(), f"{FR_PO} is missing: {HINT}"
    return parse_po(FR_PO)


def test_french_catalogue_has_no_untranslated_entry(fr_entries: list[Entry]) -> None:
    messages = _messages(fr_entries)
    assert len(messages) > 100, "The French catalogue looks empty"
    missing = [
        e.label
        for e in messages
        if not e.msgstr
        or any(not s for s in e.msgstr.values())
        or (e.msgid_plural is not None and len(e.msgstr) < 2)
    ]
    assert not missing, (
        f"{len(missing)} untranslated entries in {FR_PO.relative_to(ROOT)} ({HINT}):\n"
        + "\n".join(missing)
    )


def test_french_catalogue_has_no_fuzzy_entry(fr_entries: list[Entry]) -> None:
    fuzzy = [e.label if e.msgid else "the header" for e in fr_entries if "fuzzy" in e.flags]
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy entries in {FR_PO.relative_to(ROOT)}: gettext ignores them. Check "
        f"each translation, remove its '#, fuzzy' line, then run make compilemessages:\n"
        + "\n".join(fuzzy)
    )


def test_french_header_declares_language_and_plural_forms(fr_entries: list[Entry]) -> None:
    header = _header(fr_entries).msgstr.get(0, "")
    assert "Language: fr\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header


def test_french_translations_keep_placeholders_and_tags(fr_entries: list[Entry]) -> None:
    problems = []
    for e in _messages(fr_entries):
        sources = [e.msgid] + ([e.msgid_plural] if e.msgid_plural is not None else [])
        allowed = {p for s in sources for p in PLACEHOLDER.findall(s)}
        for index, translated in e.msgstr.items():
            if not translated:
                continue
            found = set(PLACEHOLDER.findall(translated)) if "python-format" in e.flags else set()
            expected = allowed if "python-format" in e.flags else set()
            if found - expected:
                problems.append(
                    f"{e.label}: msgstr[{index}] has unknown {sorted(found - expected)}"
                )
            if e.msgid_plural is None and expected - found:
                problems.append(f"{e.label}: msgstr drops {sorted(expected - found)}")
            if sorted(TAG.findall(translated)) != sorted(TAG.findall(e.msgid)):
                problems.append(f"{e.label}: msgstr[{index}] changes the HTML tags")
    assert not problems, "Placeholders or HTML tags differ from the source:\n" + "\n".join(problems)


def test_compiled_french_catalogue_is_up_to_date(fr_entries: list[Entry]) -> None:
    assert FR_MO.exists(), f"{FR_MO.relative_to(ROOT)} is missing: run make compilemessages"
    with FR_MO.open("rb") as handle:
        compiled = gettext_module.GNUTranslations(handle)
    stale = []
    for e in _messages(fr_entries):
        if "fuzzy" in e.flags or not e.msgstr.get(0):
            continue  # reported by the tests above
        if e.msgid_plural is not None:
            plural = e.msgid_plural
            if e.msgctxt is not None:
                ctxt = e.msgctxt
                got = [compiled.npgettext(ctxt, e.msgid, plural, n) for n in (1, 2)]
            else:
                got = [compiled.ngettext(e.msgid, plural, n) for n in (1, 2)]
            want = [e.msgstr.get(0), e.msgstr.get(1)]
        elif e.msgctxt is not None:
            got, want = [compiled.pgettext(e.msgctxt, e.msgid)], [e.msgstr[0]]
        else:
            got, want = [compiled.gettext(e.msgid)], [e.msgstr[0]]
        if got != want:
            stale.append(e.label)
    assert not stale, (
        f"{FR_MO.relative_to(ROOT)} is older than the .po ({len(stale)} entries differ): "
        "run make compilemessages\n" + "\n".join(stale[:20])
    )


def test_english_catalogue_exists() -> None:
    assert EN_PO.exists(), f"{EN_PO.relative_to(ROOT)} is missing: run make messages"
    assert len(_messages(parse_po(EN_PO))) > 100


@pytest.mark.parametrize(
    "msgid,expected",
    [
        ("Territories", "Territoires"),
        ("Projects", "Projets"),
        ("Members", "Membres"),
        ("Frameworks", "Référentiels"),
        ("Workspace settings", "Paramètres de l'espace de travail"),
    ],
)
def test_key_strings_are_french_under_override(msgid: str, expected: str) -> None:
    with translation.override("fr"):
        value = translation.gettext(msgid)
    assert value != msgid, f"{msgid!r} is not translated at run time: run make compilemessages"
    assert value == expected
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_plural_forms_follow_french_rules() -> None:
    singular = "Archive its %(count)d active project first."
    plural = "Archive its %(count)d active projects first."
    with translation.override("fr"):
        one = translation.ngettext(singular, plural, 1) % {"count": 1}
        two = translation.ngettext(singular, plural, 2) % {"count": 2}
        zero = translation.ngettext(singular, plural, 0) % {"count": 0}
    assert "1 projet actif" in one, f"run make compilemessages ({one!r})"
    assert "2 projets actifs" in two
    assert "0 projet actif" in zero  # French: 0 takes the singular
