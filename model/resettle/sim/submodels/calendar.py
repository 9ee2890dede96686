"""Spreading yearly counts over months so that exactly ``n`` events fall in every year."""

from __future__ import annotations


def due_this_month(per_year: float, month: int) -> int:
    """Events due in ``month`` (1-based) when ``per_year`` are spread evenly over each year."""
    return int(per_year * month // 12 - per_year * (month - 1) // 12)
