"""Sign-in and the user's access: Streamlit's OpenID Connect when ``.streamlit/secrets.toml``
has an ``[auth]`` section; otherwise the local access (``direction``, or the access file's
``[local]`` entry, to try a role without an identity provider)."""

from __future__ import annotations

import streamlit as st

from pages.fmt import md
from warehouse.model.access import (
    Access,
    AccessFileError,
    access_file,
    load_access,
    local_access,
    resolve,
)


def sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all (StreamlitSecretNotFoundError)
        return False


def _user_groups() -> list[str]:
    groups = st.user.get("groups") or []
    return [groups] if isinstance(groups, str) else [str(g) for g in groups]


def current_access() -> Access:
    """The access of this session; without one, the page says why and stops here."""
    if not sign_in_configured():
        try:
            return local_access()  # direction, or the access file's [local] entry
        except AccessFileError as error:
            st.error(
                f"Le fichier des accès ({md(access_file().name)}) est invalide : contactez le "
                f"service informatique. Détail : {md(error)}"
            )
            st.stop()
    if not st.user.get("is_logged_in", False):
        st.title("Pilotage GRL")
        st.write("Connectez-vous avec votre compte de l'organisme pour ouvrir le tableau de bord.")
        st.button("Se connecter", on_click=st.login, type="primary", key="login")
        st.stop()
    email = str(st.user.get("email") or "")
    try:
        access = resolve(load_access(), email, _user_groups())
    except AccessFileError as error:
        st.error(
            f"Le fichier des accès ({md(access_file().name)}) est invalide : contactez le service "
            f"informatique. Détail : {md(error)}"
        )
        st.stop()
    if access is None:
        st.error(
            f"Le compte {md(email) if email else '(sans e-mail)'} n'a pas d'accès au tableau de bord : "
            "demandez-le au service informatique."
        )
        st.button("Se déconnecter", on_click=st.logout, key="logout")
        st.stop()
    return access


def sidebar_identity(access: Access) -> None:
    """Who is signed in, with which role and agencies."""
    sb = st.sidebar
    scope = "toutes les agences" if access.agencies is None else ", ".join(access.agencies)
    scope = md(scope)
    if access.user:
        sb.caption(f"Connecté : {md(access.user)} — rôle {md(access.label)} ({scope})")
        sb.button("Se déconnecter", on_click=st.logout, key="logout")
    else:
        sb.caption(f"Accès local sans connexion : rôle {md(access.label)} ({scope})")
