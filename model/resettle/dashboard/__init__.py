"""The SolaraViz dashboard: its model (``model``), its page (``page``), its server (``serve``).
``solara run resettle.app`` serves the page through the shim ``resettle/app.py``."""
