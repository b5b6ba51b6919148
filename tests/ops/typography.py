"""French typography rules for the catalogue: a no-break space before : ; ! ? and inside « ».

Kept apart from the test so that the rules (and their exemptions) read as one list.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
# Text where a sign is not French punctuation: each pattern is one kind of technical token.
PROTECTED = re.compile(
    "|".join(
        [
            r"(?:https?|ftp)://\S*",  # addresses (and "http://" alone): https://territoria.example.org:8443/x?y=1
            r"mailto:\S+",
            r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]",  # python-format placeholders
            r"\{[a-z_]+\}",  # str.format placeholders
            r"<code>.*?</code>",  # code, as typed (before the tags: it holds tags)
            r"<[^<>]+>",  # HTML tags and their attributes (href="...")
            r"&(?:[a-z]+|#\d+|#x[0-9a-f]+);",  # HTML entities: &amp; &#39;
            r"`[^`]*`",  # Markdown code spans
            r"\b\d{1,2}:\d{2}\b",  # times: 10:30
            r"\b\d+:\d+\b",  # ratios: 16:9
            r"\?[a-z_]+=\S*",  # query strings: ?cycle=2
            r"\b(?:Authorization|If-Match|ETag|Retry-After|Content-Type|X-Territoria-[A-Za-z]+):",
            r"\bBearer\b",
        ]
    ),
    re.IGNORECASE,
)
BEFORE = ":;!?"  # signs that take a no-break space before them
CLOSING_TAGS = re.compile(r"(?:</[a-z]+>)+$")


def problems(text: str) -> list[str]:
    """What breaks the rules in one French string, each with its place in the string."""
    protected = [False] * len(text)
    for match in PROTECTED.finditer(text):
        for i in range(match.start(), match.end()):
            protected[i] = True
    found = []
    for i, char in enumerate(text):
        if protected[i]:
            continue
        where = f"{text[max(0, i - 20) : i + 5]!r}"
        if char in BEFORE:
            # The sign follows the word it ends, or a tag that closes around that word.
            head = CLOSING_TAGS.sub("", text[:i])
            if not head or head[-1] in "!?" + NBSP:
                continue  # starts the string, doubles a sign (?!), or has its no-break space
            kinds = {" ": "an ordinary space", "\u202f": "a narrow no-break space (use U+00A0)"}
            kind = kinds.get(head[-1], "no space")
            found.append(f"{kind} before {char!r} in {where}")
        elif char == "«" and (i + 1 >= len(text) or text[i + 1] != NBSP):
            found.append(f"no no-break space after « in {where}")
        elif char == "»" and (i == 0 or text[i - 1] != NBSP):
            found.append(f"no no-break space before » in {where}")
    return found
