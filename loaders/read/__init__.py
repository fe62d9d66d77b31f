"""loaders/read."""
