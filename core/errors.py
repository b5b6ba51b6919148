"""Refusals that carry a message for the person: raised by services, answered by the workspace
middleware (pages) with the message and their status (409 by default)."""

from __future__ import annotations


class Refused(Exception):
    """The request is valid but the current state of the object refuses it."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
