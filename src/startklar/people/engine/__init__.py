"""The people module's engine (pure Python, no Django): anonymous staff pulses and their
results (:mod:`.pulse`), the anonymity rule behind every result by group (:mod:`.anonymity`)
and the single-use codes that let each person answer once without being known (:mod:`.codes`).
"""
