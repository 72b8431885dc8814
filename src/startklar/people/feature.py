"""People: anonymous staff pulses on concerns and acceptance, the works council's part in
each AI system, and the plan of who is told what and when."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="people",
    order=66,
    app="startklar.people",
    urls="startklar.people.urls",
    url_prefix="people/",
    # the answer pages, opened without an account by the secret in the address alone
    public_urls="startklar.people.answerurls",
    public_prefix="pulse/",
    demo="startklar.people.demo:seed",
    module="startklar.people.journey:module",
)
