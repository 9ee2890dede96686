"""Human-readable names of the metrics (used by figures and reports)."""

from __future__ import annotations

LABELS = {
    "attitude": "Attitude (villager 0 → citizen 1)",
    "fee_compliance": "Fee compliance",
    "fee_collection": "Fee collection",
    "fee_willingness": "Willingness to pay the full fee",
    "employment": "Employment rate (16-59)",
    "maturity": "Organisational maturity",
    "stability": "Stability",
    "maturity_structure": "Structure",
    "maturity_routine": "Routine",
    "maturity_cadres": "Cadre quality",
    "maturity_separation": "Community-enterprise separation",
    "maturity_democracy": "Democratic procedure",
}


def metric_label(metric: str) -> str:
    """The display name of a metric (the column name if none is defined)."""
    return LABELS.get(metric, metric.replace("_", " "))
