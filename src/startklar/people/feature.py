"""People: anonymous staff pulses on concerns and acceptance, and the works council's part
(in the making: its models, services and demo pulses, without pages yet)."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="people",
    order=66,
    app="startklar.people",
    demo="startklar.people.demo:seed",
)
