"""The star-schema warehouse: engine, schema, loading SQL and KPI queries.

Never imports ``streamlit`` nor ``loaders``: data flows one way.
"""
