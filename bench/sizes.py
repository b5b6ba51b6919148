"""Dataset sizes and the measurement settings that go with them. No Django here."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SEED = 4242

# Query counts are taken at these numbers of rows: equal counts mean no N+1.
PROBE_ROWS = (1, 200)


@dataclass(frozen=True)
class Size:
    """How big the dataset is and how hard each endpoint is measured.

    ``territories``, ``projects`` and ``members`` are per-workspace ranges (inclusive). The first
    workspace takes the top of every range: it is the one whose pages are timed.
    """

    name: str
    workspaces: int
    territories: tuple[int, int]
    projects: tuple[int, int]
    members: tuple[int, int]
    warmup: int
    repeat: int


SIZES: dict[str, Size] = {
    size.name: size
    for size in (
        # For the test suite: seconds, not minutes.
        Size("XS", 2, territories=(3, 6), projects=(2, 4), members=(2, 3), warmup=1, repeat=3),
        Size("S", 5, territories=(10, 40), projects=(5, 25), members=(2, 6), warmup=5, repeat=50),
        Size(
            "L",
            50,
            territories=(40, 200),
            projects=(20, 120),
            members=(2, 12),
            warmup=10,
            repeat=200,
        ),
    )
}
