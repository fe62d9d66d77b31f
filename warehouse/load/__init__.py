"""warehouse/load."""
