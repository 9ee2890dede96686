"""Writing results: one atomic writer and one provenance builder for every output."""
