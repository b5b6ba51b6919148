"""Dataset sizes and the measurement settings that go with them. No Django here."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SEED = 4242

# Query counts are taken at these numbers of rows: equal counts mean no N+1.
PROBE_ROWS = (1, 200)

# Targets of the action plan (reported, never enforced: a miss is printed, the exit status only
# reflects N+1s and untrustworthy measurements).
TABLE_PARTIAL_MAX_RATIO = 5.0  # the table's HTMX partial, against its raw-SQL baseline
PARTIAL_MAX_BYTES_SHARE = 0.3  # bytes of that partial, against the full table page
SNAPSHOT_MAX_RATIO = 0.5  # the dashboard snapshot, against a Python reference over the same rows
SNAPSHOT_MAX_MS = 1000.0  # the dashboard snapshot at the largest measurement level
API_LIST_MAX_RATIO = 2.5  # the API's actions list (100 a page), against raw SQL + json.dumps

# settings.API_THROTTLE_RATES while measuring: throttling still runs (its cache reads and writes
# are part of every API request's cost), with limits no benchmark reaches.
THROTTLE_RATES = {"token": "1000000/min", "user": "1000000/min", "anon": "1000000/min"}


@dataclass(frozen=True)
class Size:
    """How big the dataset is and how hard each endpoint is measured.

    ``territories``, ``projects``, ``members`` and ``partners`` are per-workspace ranges
    (inclusive). The first workspace takes the top of every range: it is the one whose pages are
    timed, and its first active project holds the timed action plan (``plan_actions`` actions
    over ``plan_objectives`` objectives). Every other project gets ``actions_per_project``.

    The timed project also holds the evaluation: ``measurement_levels[-1]`` measurements over
    indicators added level by level, so that the dashboard snapshot is timed with the first
    ``measurement_levels[i]`` of them (the later levels' indicators set aside, rolled back).
    Every other project gets ``indicators_per_project`` indicators of
    ``measurements_per_indicator`` measurements each.

    ``warmup`` and ``repeat`` are the runs per endpoint; an endpoint slower than
    ``seconds_per_endpoint / repeat`` gets fewer runs (never fewer than ``MIN_RUNS``), so that
    a 5,000-action board does not take an hour. The table says how many runs each one got.
    """

    name: str
    workspaces: int
    territories: tuple[int, int]
    projects: tuple[int, int]
    members: tuple[int, int]
    warmup: int
    repeat: int
    partners: tuple[int, int] = (2, 4)
    plan_objectives: int = 12
    plan_actions: int = 30
    actions_per_project: tuple[int, int] = (0, 3)
    seconds_per_endpoint: float = 2.0
    # The timed project's measurements: the dashboard snapshot is timed at each of these counts.
    measurement_levels: tuple[int, ...] = (100, 500)
    # Every other project's indicators, and the measurements of each (ranges).
    indicators_per_project: tuple[int, int] = (0, 2)
    measurements_per_indicator: tuple[int, int] = (0, 12)


MIN_RUNS = 5

SIZES: dict[str, Size] = {
    size.name: size
    for size in (
        # For the test suite: seconds, not minutes.
        Size("XS", 2, territories=(3, 6), projects=(2, 4), members=(2, 3), warmup=1, repeat=3),
        Size(
            "S",
            5,
            territories=(10, 40),
            projects=(5, 25),
            members=(2, 6),
            warmup=5,
            repeat=50,
            partners=(4, 15),
            plan_objectives=30,
            plan_actions=500,
            actions_per_project=(0, 4),
            seconds_per_endpoint=5.0,
            measurement_levels=(1_000, 10_000),
            indicators_per_project=(0, 3),
            measurements_per_indicator=(0, 24),
        ),
        Size(
            "L",
            50,
            territories=(40, 200),
            projects=(20, 120),
            members=(2, 12),
            warmup=10,
            repeat=200,
            partners=(8, 40),
            plan_objectives=60,
            plan_actions=5000,
            actions_per_project=(0, 6),
            seconds_per_endpoint=30.0,
            measurement_levels=(10_000, 100_000, 1_000_000),
            indicators_per_project=(0, 3),
            measurements_per_indicator=(0, 36),
        ),
    )
}
