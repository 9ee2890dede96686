"""Parameters: the schema (unit, source, range of every field), the sections (community,
levers, uncertainties), scenario files and the catalogue. Imports only ``resettle.errors``."""
