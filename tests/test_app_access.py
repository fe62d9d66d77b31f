"""Sign-in and roles in the dashboard: with an ``[auth]`` secret the app asks for sign-in,
maps the signed-in user through the access file, and scopes every figure (AppTest seeds
``st.user``; the OpenID Connect round trip itself is Streamlit's)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import APP, PERIOD, _tiles, app, warehouse_url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("app")

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-secret-that-is-long-enough-to-sign-cookies",
    "client_id": "pilotage",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ACCESS = """
[users."qualite@office.fr"]
role = "qualite"
agencies = ["AG01"]

[users."deux@office.fr"]
role = "qualite"
agencies = ["AG01", "AG02"]

[users."perdu@office.fr"]
role = "qualite"
agencies = ["AG99"]

[groups."grl-analystes"]
role = "analyste"
"""


@pytest.fixture
def access_file(tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("PILOTAGE_ACCESS_FILE", str(path))
    return path


def _signed_in(user: dict | None, page: str = "synthese") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    if user is not None:
        at.user = user
    for key, value in PERIOD.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    if page != "synthese" and at.session_state["filters"] is not None:
        at.switch_page(f"pages/views/{page}.py").run()
    return at


def _sidebar_text(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def test_without_sign_in_configured_the_app_runs_as_direction():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert "Accès local sans connexion : rôle Direction (toutes les agences)" in _sidebar_text(at)


def test_sign_in_is_asked_before_any_figure(access_file):
    at = _signed_in(None)
    assert [b.label for b in at.button] == ["Se connecter"]
    assert not at.metric and "filters" not in at.session_state


def test_an_unknown_account_is_refused(access_file):
    at = _signed_in({"is_logged_in": True, "email": "intrus@ailleurs.fr"})
    assert "n'a pas d'accès" in at.error[0].value
    assert not at.metric and "filters" not in at.session_state


def test_a_broken_access_file_fails_closed(access_file):
    access_file.write_text('[users."qualite@office.fr"]\nrole = "chef"\n', encoding="utf-8")
    at = _signed_in({"is_logged_in": True, "email": "qualite@office.fr"})
    assert "invalide" in at.error[0].value and not at.metric


def test_a_quality_manager_sees_their_agency_with_the_organisme_as_reference(access_file):
    at = _signed_in({"is_logged_in": True, "email": "qualite@office.fr"})
    assert "rôle Qualité (AG01)" in _sidebar_text(at)
    assert at.sidebar.multiselect(key="f_agencies").options == ["AG01 – Nord"]
    tiles = _tiles(at)  # AG01's calls C1 C5 C9: C1 and C9 settled of 2 known
    assert tiles["Traitement au premier niveau (appels)"] == "100,0\u202f%"
    assert tiles["Appels présentés"] == "—"  # lost calls belong to no agency
    # Org A holds only AG01: its reference line says the same
    assert "Référence organisme : 100,0\u202f%" in [c.value for c in at.caption]


def test_a_quality_manager_does_not_see_raw_quarantine_lines(access_file):
    at = _signed_in({"is_logged_in": True, "email": "qualite@office.fr"}, "qualite")
    assert any("réservées" in c.value for c in at.caption)
    shown = [df.value for df in at.dataframe]
    assert all("Contenu (numéros masqués)" not in frame.columns for frame in shown)


def test_an_analyst_by_group_sees_every_agency(access_file):
    at = _signed_in({"is_logged_in": True, "email": "a@office.fr", "groups": ["grl-analystes"]})
    assert "rôle Analyste (toutes les agences)" in _sidebar_text(at)
    assert _tiles(at)["Appels présentés"] == "7"


def test_a_quality_managers_tables_and_exports_hold_only_their_agency(access_file):
    """The agencies page's table is what its CSV and Excel downloads carry."""
    at = _signed_in({"is_logged_in": True, "email": "qualite@office.fr"}, "agences")
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["AG01 – Nord", "Ensemble (référence)"]  # the scope total
    assert at.selectbox(key="agency_drill").options == ["AG01 – Nord"]


@pytest.mark.parametrize("email", ["deux@office.fr", "perdu@office.fr"])
def test_no_organisme_reference_when_the_scope_spans_two_or_none(access_file, email):
    """Org A holds AG01, Org B AG02; AG99 is nowhere: no whole-warehouse figure is offered
    as "their organisme"."""
    at = _signed_in({"is_logged_in": True, "email": email})
    captions = [c.value for c in at.caption]
    assert not any(c.startswith("Référence organisme") for c in captions), captions
    assert any(c.startswith("Pas de référence organisme") for c in captions), captions


def test_lost_call_rates_have_no_value_under_a_scope(access_file):
    """Lost calls are rarely identified: the answer rate of AG01's identified calls would
    read 100 % "dans la cible", its offered calls equal its answered ones. The tiles say
    why they have no value instead (warehouse/kpis/measurable.py)."""
    at = _signed_in({"is_logged_in": True, "email": "qualite@office.fr"})
    tiles = _tiles(at)
    assert tiles["Taux de décroché"] == "—" and tiles["Niveau de service (90 s)"] == "—"
    assert tiles["Appels présentés"] == "—" and tiles["Appels par logement et par mois"] == "—"
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # markdown escapes
    # The four tiles (offered calls, answer rate, service level, calls per dwelling) each
    # point below them, where the reason is said once, with what each would wrongly read.
    assert captions.count("Non mesuré (raison sous les indicateurs).") == 4
    assert captions.count("Non mesuré : sans objet pour une agence") == 1, captions
    assert captions.count("sans objet pour une agence") == 1, captions  # said once only
    assert "s'y lirait faussé" in captions and "il serait faux" not in captions
    assert "Taux de décroché : un taux de décroché proche de 100 %" in captions
    assert "Appels présentés : presque les seuls appels décrochés" in captions
    # A line per tile under the reason (a new user found one long sentence hard to read).
    assert "\n- Taux de décroché : un taux de décroché proche de 100 %" in captions
    # Each tile says what it would read: two of them no longer share one text.
    assert (
        "Appels par logement et par mois : un nombre d'appels par logement limité aux "
        "appels décrochés identifiés" in captions
    )
    assert "Seuls les appels traités sont tracés" in captions  # under the chart, no reason again
    # The cost per dwelling is the agency's own costs and its share of the centre's.
    assert tiles["Coût par logement et par an"] != "—"
    assert "Coûts : coûts propres des agences retenues et part des coûts partagés" in captions
    assert "Référence organisme : —" not in captions  # the organisme cannot measure it either


def test_sizing_is_for_the_whole_centre_only(access_file):
    at = _signed_in({"is_logged_in": True, "email": "qualite@office.fr"}, "dimensionnement")
    assert "centre entier" in at.info[0].value and not at.metric


def test_the_quality_page_shows_a_scoped_user_no_volumes(access_file):
    at = _signed_in({"is_logged_in": True, "email": "qualite@office.fr"}, "qualite")
    columns = {c for df in at.dataframe for c in df.value.columns}
    assert not columns & {"lignes", "Lues", "Chargées", "Doublons", "Quarantaine"}, columns


def test_a_role_can_be_tried_locally_without_an_identity_provider(tmp_path, monkeypatch):
    """Without sign-in, the access file's [local] entry gives the dashboard its role: a
    quality manager's view of AG01 (the hand-made landlord's 3 AG01 calls, C1 C5 C9), the
    agency list reduced to it, no Importer; a [local] entry the schema refuses shows no
    data (fails closed), never the wider direction view."""
    path = tmp_path / "access.toml"
    path.write_text('[local]\nrole = "qualite"\nagencies = ["ag01"]\n', encoding="utf-8")
    monkeypatch.setenv("PILOTAGE_ACCESS_FILE", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in PERIOD.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    assert "Accès local sans connexion : rôle Qualité (AG01)" in _sidebar_text(at)
    assert at.sidebar.multiselect(key="f_agencies").options == ["AG01 – Nord"]
    tiles = _tiles(at)  # AG01: C1 and C9 settled of its 2 known (the centre: 2 of 3)
    assert tiles["Appels présentés"] == "—" and tiles["Traitement au premier niveau (appels)"] == (
        "100,0\u202f%"
    )
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/views/importer.py")
    path.write_text('[local]\nrole = "qualite"\n', encoding="utf-8")  # agencies missing
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert "invalide" in at.error[0].value and not at.metric
