"""User text as HTML: Markdown rendered, then sanitised with nh3 (an allow-list, never a deny-list).

Raw HTML typed by people is not HTML here: Markdown's raw-HTML handling is switched off, so
``<script>`` shows as text. What Markdown itself produces is then cleaned by nh3 with a small
allow-list: a few text tags, ``href``/``title`` on links (absolute http, https and mailto URLs
only, with ``rel="noopener noreferrer nofollow"``), no other attribute (no ``on*``, ``style``,
``hx-*``, ``data-*``), no images. The one exception is ours: ``<mark class="mention">`` around the
@mentions a comment notified (people cannot type it: their raw HTML is text), and nh3 keeps that
``class`` only with the value ``mention``. Pages render the stored HTML through :func:`sanitize_html` again,
inside an ``hx-disable`` container, so a row written by any other path is cleaned too.
"""

from __future__ import annotations

import html as html_module
import re
import xml.etree.ElementTree as etree
from collections.abc import Collection
from typing import Any

import markdown  # type: ignore[import-untyped,unused-ignore]
import nh3
from markdown.inlinepatterns import InlineProcessor  # type: ignore[import-untyped,unused-ignore]
from markdown.util import AtomicString  # type: ignore[import-untyped,unused-ignore]

from core.mentions import MENTION

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "mark"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_ATTRIBUTE_VALUES = {"mark": {"class": {"mention"}}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags and attributes; links get ``rel`` and safe schemes only."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        tag_attribute_values={
            tag: {name: set(values) for name, values in allowed.items()}
            for tag, allowed in ALLOWED_ATTRIBUTE_VALUES.items()
        },
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",  # "/x" and "//other.site/x" alike: links are absolute or nothing
        link_rel=LINK_REL,
        strip_comments=True,
    )


class _Mention(InlineProcessor):
    """``@handle`` -> ``<mark class="mention">@handle</mark>``, for the handles given only.

    An inline pattern, so a handle inside `code`, a code block or a link's address stays as it is.
    """

    def __init__(self, handles: Collection[str]) -> None:
        super().__init__(MENTION.pattern)
        self.handles = {h.lower() for h in handles}

    def handleMatch(self, m: re.Match[str], data: str) -> Any:  # Markdown's API name
        if m.group(1).lower() not in self.handles:
            return None, None, None
        element = etree.Element("mark")
        element.set("class", "mention")
        element.text = AtomicString(m.group(0))  # no emphasis inside a handle ("@ann_marie_")
        return element, m.start(0), m.end(0)


def render_markdown(text: str, *, mentions: Collection[str] = ()) -> str:
    """Markdown source to sanitised HTML, ready to store next to the source.

    ``mentions``: the @handles (as typed, any case) to highlight; the comment service passes
    those that named a member it notified.
    """
    # One Markdown object per call: they keep state. Line breaks are kept, as people type them.
    md = markdown.Markdown(extensions=["nl2br", "fenced_code", "sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML blocks are text
    md.inlinePatterns.deregister("html")  # and so is inline raw HTML
    for pattern in ("image_link", "image_reference"):  # ![alt](url): a plain link, no image
        md.inlinePatterns.deregister(pattern)
    if mentions:
        # After code spans, links and the e-mail autolink (110), before emphasis.
        md.inlinePatterns.register(_Mention(mentions), "mention", 105)
    return sanitize_html(md.convert(text))


_BLOCK_END = re.compile(r"</(?:p|li|blockquote|pre)>|<br\s*/?>")


def plain_text(text: str) -> str:
    """Markdown source as one line of plain text (no markup, no HTML): for notifications.

    "**Budget** is [here](https://x.org)" -> "Budget is here". The caller escapes it as usual.
    """
    html = _BLOCK_END.sub(" ", render_markdown(text))
    bare = html_module.unescape(nh3.clean(html, tags=set()))
    return " ".join(bare.split())
