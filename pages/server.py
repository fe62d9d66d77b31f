"""What the dashboard's server process sets up once, before any visitor: Streamlit's
routing and the HTML page every visitor's browser loads.

``app.py`` builds the ASGI app (``st.App``) from here when ``streamlit run app.py`` imports
it as a module. Two things can only be done at that moment:

- **Routing by ``st.navigation`` only.** Streamlit 1.67 decides at its first session
  whether a ``pages/`` folder beside the main script holds pages (its legacy routing,
  ``PagesManager.uses_pages_directory``); until ``st.navigation`` has run once, a first
  visitor opening ``/appels`` skipped ``app.py`` (no sign-in, no filters), or saw an English
  « Page not found » dialog over the right page. Our ``pages/`` package holds modules,
  not page scripts: the flag is set off before any session exists.
- **French as the page's language** (RGAA 4.1 criterion 8.3): Streamlit's ``index.html``
  declares ``lang="en"``; a small ASGI middleware serves it with ``lang="fr"``.
"""

from __future__ import annotations

# Paths that never serve the HTML page.
_NOT_PAGES = ("/_stcore/", "/static/", "/media/", "/component/", "/auth/", "/oauth2callback")
_EN = b'<html lang="en">'
_FR = b'<html lang="fr">'  # the same length: Content-Length stays right


class FrenchPage:
    """ASGI middleware: Streamlit's index.html served with ``<html lang="fr">``."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_NOT_PAGES):
            await self.app(scope, receive, send)
            return
        # Ask for the page uncompressed (Streamlit gzips index.html on page paths).
        headers = [h for h in scope["headers"] if h[0] != b"accept-encoding"]
        scope = dict(scope, headers=headers)
        is_html = False

        async def in_french(message) -> None:
            nonlocal is_html
            if message["type"] == "http.response.start":
                found = dict(message.get("headers", []))
                is_html = found.get(b"content-type", b"").startswith(b"text/html")
            elif message["type"] == "http.response.body" and is_html:
                body = message.get("body", b"").replace(_EN, _FR, 1)
                message = dict(message, body=body)
            await send(message)

        await self.app(scope, receive, in_french)


def before_sessions() -> None:
    """Routing by ``st.navigation`` only, from the first visitor on."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(FrenchPage)]
