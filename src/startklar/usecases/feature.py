"""Use cases: catalogue, pain points, own use cases, potential analysis, workshops, portfolio."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="usecases",
    order=40,
    app="startklar.usecases",
    urls="startklar.usecases.urls",
    url_prefix="usecases/",
    cli="startklar.usecases.cli:register",
    demo="startklar.usecases.demo:seed",
    module="startklar.usecases.journey:module",
)
