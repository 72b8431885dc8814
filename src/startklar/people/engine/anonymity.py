"""Anonymity of a pulse's results by group (pure Python).

Results for a group are shown only when at least ``k`` people answered (:func:`threshold`:
configurable upwards, never below :data:`MIN_K`). That alone is not enough: the results of the
whole company are shown too, so the total minus the groups shown is the sum of the groups
withheld. Where that is one small group (or several that together are fewer than ``k``), the
difference gives it away. :func:`withheld` therefore withholds, beyond the groups under ``k``
(primary), the smallest groups shown until the withheld groups together reach ``k`` again
(secondary suppression); where no set of groups can, because the whole company is under ``k``,
nothing is shown at all.

Every result of a pulse is published for one partition of the people who answered (the pulse's
groups, e.g. departments; a pulse has one kind of group), and the total. Then what anybody can
work out by adding and subtracting what is shown is a union of the *atoms*: the groups shown and
the withheld groups taken together. :func:`exposed` checks exactly that; the tests check it
again by brute force over every sum and difference of what is shown.

The same rule holds for each question on its own: people may skip a question ("keine Angabe"),
so a group shown with eight people may have three answers to one question. Each question's
answers are withheld per group by the same rule, with the question's own counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MIN_K = 5  # the smallest group whose results are shown; a pulse may ask for more, never less


def threshold(k: int) -> int:
    """The group size from which results are shown: ``k``, but never below :data:`MIN_K`."""
    return max(MIN_K, k)


@dataclass(frozen=True)
class Release:
    """What may be shown of counts by group: the groups withheld, and whether the total is."""

    withheld: frozenset[str]
    total_shown: bool

    def shown(self, group: str) -> bool:
        return self.total_shown and group not in self.withheld


def withheld(
    counts: Mapping[str, int], k: int, *, unshown: frozenset[str] = frozenset()
) -> Release:
    """The groups of ``counts`` (people per group, for one result) whose results are withheld.

    ``unshown``: groups never shown on their own, whatever their size (the people who answered
    through the pulse's general link, not a group's): they count among the withheld.
    Primary: every group with 1 to ``k`` − 1 people. Secondary: while the withheld groups
    together have 1 to ``k`` − 1 people, the smallest group still shown is withheld as well
    (the one with the fewest people, then by name, so the result is the same every time). A
    group with nobody in it exposes nobody and is left alone. With fewer than ``k`` people in
    all, the total is withheld too, and with it every group."""
    k = threshold(k)
    total = sum(counts.values())
    if total < k:
        return Release(frozenset(counts), total_shown=False)
    hidden = {group for group, count in counts.items() if 0 < count < k or group in unshown}
    hidden_count = sum(counts[group] for group in hidden)
    shown = sorted(
        (count, group) for group, count in counts.items() if group not in hidden and count > 0
    )
    while 0 < hidden_count < k:
        # The total reaches k, so some group is still shown while the withheld ones are fewer.
        count, group = shown.pop(0)
        hidden.add(group)
        hidden_count += count
    return Release(frozenset(hidden), total_shown=True)


def exposed(counts: Mapping[str, int], release: Release, k: int) -> tuple[str, ...]:
    """The groups (or, for several, their union) that the shown results give away although
    they are fewer than ``k`` people: () when the release is safe.

    The atoms are the groups shown and the withheld groups together; every sum or difference
    of what is shown is a union of atoms. So the release is safe when each atom with anybody
    in it has at least ``k`` people."""
    k = threshold(k)
    if not release.total_shown:
        return ()
    for group, count in sorted(counts.items()):
        if group not in release.withheld and 0 < count < k:
            return (group,)
    rest = sorted(release.withheld)
    rest_count = sum(counts[group] for group in rest)
    if 0 < rest_count < k:
        return tuple(rest)
    return ()
