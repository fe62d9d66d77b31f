"""warehouse/model."""
