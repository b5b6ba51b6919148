"""Helpers for browser tests of htmx pages."""

from __future__ import annotations

from typing import Any


def settled(page: Any) -> None:
    """Wait until htmx has settled what it swapped in. The autofocus of a new form lands before
    htmx has processed it: a key pressed then would submit the form without htmx."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
