"""Roadmap: a plan proposed from readiness, use cases, business cases, compliance, literacy and
pilots, accepted item by item, with phases, a Gantt chart and each member's calendar."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="roadmap",
    order=80,
    app="startklar.roadmap",
    urls="startklar.roadmap.urls",
    url_prefix="roadmap/",
    # each member's calendar feed, fetched by calendar programs with its secret address
    public_urls="startklar.roadmap.feedurls",
    public_prefix="calendar/",
    demo="startklar.roadmap.demo:seed",
    module="startklar.roadmap.journey:module",
    housekeeping="startklar.roadmap.digest:housekeeping",
)
