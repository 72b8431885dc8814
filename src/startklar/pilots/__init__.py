"""Pilots: KPIs against baseline and target, sampled human review of AI output, and the
evidence-based decision to scale (issue 14). So far: the pure statistics (``engine``)."""
