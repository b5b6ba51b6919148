"""``{{ comment.body_html|sanitized }}``: stored user HTML, cleaned again as it is shown."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.markup import sanitize_html

register = template.Library()


@register.filter
def sanitized(html: str | None) -> SafeString:
    """Defence in depth: the HTML was sanitised when written; clean it again on the way out."""
    return mark_safe(sanitize_html(html or ""))  # noqa: S308 - nh3's allow-list output
