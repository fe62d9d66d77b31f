"""Pilotage GRL: the dashboard's entry point.

``streamlit run app.py`` finds ``app`` below and serves it (Streamlit's ``st.App``): this
module is then imported once by the server process, which sets up routing and the French
page before any visitor (:mod:`pages.server`). Every visit runs it as a script: it resolves
the user's access (sign-in when configured), builds the demo warehouse on a first local
start (through the real loaders, in a separate process: the dashboard never imports Great
Expectations), draws the shared sidebar filters, then runs the page chosen in the
navigation (``pages/views/``).
"""

from __future__ import annotations

import streamlit as st

if __name__ != "__main__":  # imported by `streamlit run app.py`, before any session
    from pages import server

    server.before_sessions()
    app = st.App(__file__, middleware=server.middleware())

IMPORT_ROLES = ("direction", "analyste")  # the only roles the Importer page is listed for


def main() -> None:
    from pages import PAGES, data, demo, fmt, warm, widgets
    from pages.auth import current_access, sidebar_identity
    from pages.filters import sidebar_filters
    from warehouse.faults import WarehouseBusy, classify
    from warehouse.model.catalog import SchemaOutdated

    st.set_page_config(page_title="Pilotage GRL", page_icon=":material/call:", layout="wide")
    widgets.page_style()
    access = current_access()  # stops here until the user is signed in and known
    demo.build_if_first_start()
    warm.start(warm.interval())  # once per process: the default view stays computed
    navigation = st.navigation(navigation_for(access.role, PAGES))
    st.set_page_config(page_title=f"{navigation.title} · Pilotage GRL")  # one title a page
    st.session_state["access"] = access
    try:
        st.session_state["filters"] = sidebar_filters(access)
        sidebar_identity(access)
        widgets.demo_banner(data.is_demo())
        navigation.run()
    except WarehouseBusy:
        st.warning(
            "L'entrepôt est occupé par un import qui dure : les chiffres s'afficheront dès "
            "qu'il sera terminé. Réessayez dans quelques minutes."
        )
    except SchemaOutdated as error:
        st.error(f"Le tableau de bord ne peut pas lire l'entrepôt : {fmt.md(error)}.")
    except Exception as error:  # a damaged file, a missing one...: one French sentence
        fault = classify(error)
        if fault is None:
            raise
        st.error(f"Le tableau de bord ne peut pas lire l'entrepôt : {fmt.md(fault)}.")
    finally:
        data.release()  # the run's DuckDB connection: an import may take the file now


def navigation_for(role: str, pages: list) -> list:
    """The pages a role sees. The first is the default, served at ``/``; a hidden copy of
    it answers its own path (``/synthese``, a bookmark or a shared link), which
    ``st.navigation`` would otherwise call an unknown page."""
    (first, first_title, first_icon), *others = pages
    script = f"pages/views/{first}.py"
    return [
        st.Page(
            script, title=first_title, icon=first_icon, url_path=f"{first}-accueil", default=True
        ),
        st.Page(script, title=first_title, icon=first_icon, url_path=first, visibility="hidden"),
    ] + [
        st.Page(f"pages/views/{name}.py", title=title, icon=icon, url_path=name)
        for name, title, icon in others
        if name != "importer" or role in IMPORT_ROLES
    ]


if __name__ == "__main__":
    main()
