"""Quality reviews: sampled human review of AI output, error rates with their uncertainty."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="reviews",
    order=65,
    app="startklar.reviews",
    urls="startklar.reviews.urls",
    url_prefix="reviews/",
    api="startklar.reviews.api:router",
    demo="startklar.reviews.demo:seed",
    module="startklar.reviews.journey:module",
)
