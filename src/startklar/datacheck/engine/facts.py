"""A profile as the fitness rules read it (``fitness.ProfileFacts``): the columns' types,
missing and distinct counts, the duplicate rows and the main date column's coverage."""

from __future__ import annotations

import datetime

from .fitness import ColumnFacts, CoverageFacts, ProfileFacts, months_between
from .model import Profile

# The profile's grains in the rules' words: data on workdays only is daily data.
GRAINS = {"day": "day", "workday": "day", "week": "week", "month": "month"}


def facts_from(profile: Profile) -> ProfileFacts:
    coverage = None
    if profile.coverage is not None:
        found = profile.coverage
        coverage = CoverageFacts(
            column=found.column,
            months=months_between(
                datetime.date.fromisoformat(found.first), datetime.date.fromisoformat(found.last)
            ),
            grain=GRAINS[found.grain],
            missing_periods=found.missing_periods,
            expected_periods=found.expected_periods,
        )
    return ProfileFacts(
        rows=profile.rows,
        columns=tuple(
            ColumnFacts(c.name, c.inferred, c.missing, c.distinct) for c in profile.columns
        ),
        duplicate_rows=profile.duplicate_rows,
        coverage=coverage,
    )
