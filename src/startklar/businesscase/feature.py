"""Business case: ranges, Monte Carlo, plan against actual, make/buy/partner."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="businesscase",
    order=50,
    app="startklar.businesscase",
    urls="startklar.businesscase.urls",
    url_prefix="business-cases/",
    cli="startklar.businesscase.cli:register",
    demo="startklar.businesscase.demo:seed",
    module="startklar.businesscase.journey:module",
)
