"""What the pages share: formats, cached reads, the sidebar filters and sign-in.

Kept in this sub-folder so that Streamlit's ``pages/`` routing, which lists every
``pages/*.py``, can never route a visitor to a helper module.
"""
