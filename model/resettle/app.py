"""``solara run resettle.app`` and the notebook cell ``dashboard(lang=...)``: the dashboard's
page, which lives in :mod:`resettle.dashboard.page`."""

from resettle.dashboard.page import Dashboard, Page, dashboard

__all__ = ["Dashboard", "Page", "dashboard"]
