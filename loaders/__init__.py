"""Loaders: read export files, validate them, quarantine bad rows, load the warehouse.

May import ``warehouse``, pandas and Great Expectations; never ``streamlit``.
"""
