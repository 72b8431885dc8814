"""Pilots: KPIs against baseline and target, and the evidence-based decision to scale (issue 14)."""
