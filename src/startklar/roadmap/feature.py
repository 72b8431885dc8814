"""Roadmap: a plan proposed from readiness, use cases, business cases, compliance, literacy and
pilots, accepted item by item, with phases, a Gantt chart and each member's calendar."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="roadmap",
    order=80,
    app="startklar.roadmap",
    demo="startklar.roadmap.demo:seed",
    housekeeping="startklar.roadmap.digest:housekeeping",
)
