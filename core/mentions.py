"""@mentions: the handles people type after ``@`` and the members they name.

A member answers to two handles:

* their name as a slug: Claire Dupont is ``@claire-dupont`` (accents dropped: Hélène is
  ``@helene``);
* the part of their e-mail address before the ``@``: claire.dupont@tourisme.fr is
  ``@claire.dupont``.

Case does not matter. The autocomplete offers each member's *preferred* handle: the name slug
when no other member of the workspace shares it, else the e-mail part. A handle shared by several
members names them all. Handles are resolved against one workspace's members only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from django.utils.text import slugify

from core.models import Membership, User

# "@" not preceded by a word character, a dot, "+", "-" or another "@" (so "ann@example.org" is
# an address, not a mention); the handle ends on a letter or a digit ("@claire." is "@claire").
MENTION = re.compile(r"(?<![\w.+@-])@(\w(?:[\w.+-]*\w)?)")


def handles_in(text: str) -> set[str]:
    """The handles mentioned in ``text``, lower-cased."""
    return {match.lower() for match in MENTION.findall(text)}


def name_handle(user: User) -> str:
    return slugify(user.full_name)


def email_handle(user: User) -> str:
    return user.email.split("@", 1)[0].lower()


def matches(user: User, handle: str) -> bool:
    """Does ``handle`` (as typed after "@") name ``user``?"""
    name = name_handle(user)
    return bool(name and name == slugify(handle)) or email_handle(user) == handle.lower()


def preferred_handles(memberships: Iterable[Membership]) -> dict[int, str]:
    """user id -> the handle the autocomplete inserts for them (unique when it can be)."""
    members = list(memberships)
    names = Counter(name_handle(m.user) for m in members)
    emails = Counter(email_handle(m.user) for m in members)
    result: dict[int, str] = {}
    for m in members:
        name, email = name_handle(m.user), email_handle(m.user)
        if name and names[name] == 1 and MENTION.fullmatch("@" + name):
            result[m.user_id] = name
        elif emails[email] == 1 or not name:
            result[m.user_id] = email
        else:
            result[m.user_id] = name
    return result


def search_matches(user: User, query: str) -> bool:
    """Autocomplete: does what was typed after "@" start one of the user's handles or names?"""
    query = query.strip().lower()
    if not query:
        return False
    slug = slugify(query)
    name = name_handle(user)
    if slug and (name.startswith(slug) or any(w.startswith(slug) for w in name.split("-"))):
        return True
    return email_handle(user).startswith(query)
