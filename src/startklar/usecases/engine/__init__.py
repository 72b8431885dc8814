"""Use-case engine (pure Python, no Django): catalogue, search, pain points, potential analysis,
portfolio and the budget optimiser."""
