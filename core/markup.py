"""User text as HTML: Markdown rendered, then sanitised with nh3 (an allow-list, never a deny-list).

Raw HTML typed by people is not HTML here: Markdown's raw-HTML handling is switched off, so
``<script>`` shows as text. What Markdown itself produces is then cleaned by nh3 with a small
allow-list: a few text tags, ``href``/``title`` on links (absolute http, https and mailto URLs
only, with ``rel="noopener noreferrer nofollow"``), no other attribute (no ``on*``, ``style``,
``hx-*``, ``data-*``), no images. Pages render the stored HTML through :func:`sanitize_html` again,
inside an ``hx-disable`` container, so a row written by any other path is cleaned too.
"""

from __future__ import annotations

import markdown  # type: ignore[import-untyped]
import nh3

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags and attributes; links get ``rel`` and safe schemes only."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",  # "/x" and "//other.site/x" alike: links are absolute or nothing
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown source to sanitised HTML, ready to store next to the source."""
    # One Markdown object per call: they keep state. Line breaks are kept, as people type them.
    md = markdown.Markdown(extensions=["nl2br", "fenced_code", "sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML blocks are text
    md.inlinePatterns.deregister("html")  # and so is inline raw HTML
    for pattern in ("image_link", "image_reference"):  # ![alt](url): a plain link, no image
        md.inlinePatterns.deregister(pattern)
    return sanitize_html(md.convert(text))
