"""The pilots of the demo company."""

from __future__ import annotations

from startklar.core.demo import DemoCompany


def seed(company: DemoCompany) -> None:
    del company
