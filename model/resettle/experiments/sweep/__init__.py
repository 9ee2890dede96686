"""Parameter sweeps: the specification, its design points, the resumable runner and the
analysis of finished sweeps."""
