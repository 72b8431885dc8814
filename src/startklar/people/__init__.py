"""People: anonymous staff pulses on concerns and acceptance, and the record of how the works
council was involved (in the making: so far its engine and content)."""
