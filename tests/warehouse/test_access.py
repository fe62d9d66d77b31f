"""Roles and agency scope: the access file, and the KPI layer giving a scoped user nothing
from the agencies they may not see (the hand-made dataset of ``kpi_dataset.py``: AG01 has
dwellings L1 and L2 in Org A, AG02 has L3 in Org B)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.warehouse.test_kpis import PERIOD, values
from warehouse.kpis import Filters, queries, series
from warehouse.model.access import LOCAL, Access, AccessFileError, load_access, resolve

AG01 = Access("qualite", ("AG01",), "q@office.fr")
VOLUMES = ("answered_calls", "backlog_open")

ACCESS_FILE = """
[users."Marie.Durand@office.fr"]
role = "qualite"
agencies = ["AG02", "AG01", "AG01"]

[users."paul@office.fr"]
role = "analyste"

[groups."grl-direction"]
role = "direction"

[groups."grl-analystes"]
role = "analyste"

[groups."qualite-nord"]
role = "qualite"
agencies = ["AG01"]

[groups."qualite-sud"]
role = "qualite"
agencies = ["AG03"]
"""


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS_FILE, encoding="utf-8")
    return load_access(path)


@pytest.mark.parametrize(
    ("email", "groups", "expected"),
    [
        # the e-mail is matched without case and wins over any group
        ("marie.durand@OFFICE.fr", ["grl-direction"], ("qualite", ("AG01", "AG02"))),
        ("paul@office.fr", [], ("analyste", None)),
        # among groups the widest role wins
        ("x@office.fr", ["qualite-nord", "grl-analystes"], ("analyste", None)),
        ("x@office.fr", ["grl-analystes", "grl-direction"], ("direction", None)),
        # several qualite groups add their agencies up
        ("x@office.fr", ["qualite-sud", "qualite-nord"], ("qualite", ("AG01", "AG03"))),
    ],
)
def test_the_access_file_gives_a_role_and_agencies(mapping, email, groups, expected):
    access = resolve(mapping, email, groups)
    assert (access.role, access.agencies) == expected


def test_anyone_the_file_does_not_name_has_no_access(mapping):
    assert resolve(mapping, "stranger@elsewhere.fr", ["unknown-group"]) is None
    assert resolve(mapping, "", []) is None
    assert resolve(mapping, None, None) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[users."a@b.fr"]\nrole = "admin"\n', "rôle inconnu 'admin'"),
        ('[users."a@b.fr"]\nrole = "qualite"\n', "le rôle qualite demande la liste"),
        ('[groups."g"]\nrole = "qualite"\nagencies = []\n', "attendu une liste de codes"),
        ('[groups."g"]\nrole = "direction"\nagencies = ["AG01"]\n', "seul le rôle qualite"),
        ('[admins."a@b.fr"]\nrole = "direction"\n', "clé inconnue : admins"),
        ('[users."a@b.fr"]\nrole = "direction"\nrights = "all"\n', "clé inconnue : rights"),
        ("[users\nrole=", "TOML invalide"),
        # a string, not a list: it would have become the scope ('0', '1', 'A', 'G')
        ('[users."a@b.fr"]\nrole = "qualite"\nagencies = "AG01"\n', "attendu une liste"),
        # two entries differing only by case
        (
            '[users."A@b.fr"]\nrole = "direction"\n[users."a@b.fr"]\nrole = "qualite"\n'
            'agencies = ["AG01"]\n',
            "figure deux fois",
        ),
    ],
)
def test_a_broken_access_file_is_refused_with_where_and_why(tmp_path, text, message):
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AccessFileError, match=message):
        load_access(path)


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    with pytest.raises(AccessFileError, match="introuvable"):
        load_access(tmp_path / "none.toml")
    (tmp_path / "dossier.toml").mkdir()
    with pytest.raises(AccessFileError, match="dossier"):
        load_access(tmp_path / "dossier.toml")


def test_windows_files_and_lower_case_codes_are_read(tmp_path):
    text = '[users."hélène@office.fr"]\nrole = "qualite"\nagencies = ["ag01", " AG02 "]\n'
    for name, data in (
        ("cp1252.toml", text.encode("cp1252")),
        ("bom.toml", b"\xef\xbb\xbf" + text.encode("utf-8")),
    ):
        (tmp_path / name).write_bytes(data)
        access = resolve(load_access(tmp_path / name), "Hélène@office.fr")
        assert (access.role, access.agencies) == ("qualite", ("AG01", "AG02")), name


def test_the_local_default_sees_everything():
    assert LOCAL.role == "direction" and LOCAL.scope(PERIOD) == PERIOD


def test_a_scoped_user_gets_exactly_their_agency(loaded):  # noqa: F811
    """Scoped to AG01, every KPI equals the AG01 filter's (the dataset's hand-made values:
    3 answered calls, C1 C5 C9)."""
    scoped = values(loaded, AG01.scope(PERIOD))
    assert scoped == values(loaded, replace(PERIOD, agencies=("AG01",)))
    assert scoped["answered_calls"] == 3


@pytest.mark.parametrize(
    "widening",
    [
        {"agencies": ("AG02",)},  # another agency chosen in the filters
        {"organisme": "Org B"},  # AG02's organisme
        {"agencies": ("AG01", "AG02"), "organisme": "Org B"},
    ],
)
def test_no_filter_widens_the_scope(loaded, widening):  # noqa: F811
    got = values(loaded, AG01.scope(replace(PERIOD, **widening)))
    assert all(got[v] == 0 for v in VOLUMES), {v: got[v] for v in VOLUMES}


def test_an_empty_scope_sees_nothing(loaded):  # noqa: F811
    got = values(loaded, Access("qualite", ()).scope(PERIOD))
    assert all(got[v] == 0 for v in VOLUMES)


def _agency_columns(engine, f: Filters) -> dict[str, set]:
    """The agencies each agency-bearing view of the KPI layer shows for ``f``."""
    frames = {
        "agency_table": series.agency_table(engine, f),
        "call_breakdown": series.call_breakdown(engine, f, "agency"),
        "request_series": series.request_series(engine, f, "agency"),
        "open_requests": queries.open_requests(engine, f),
    }
    return {name: set(frame["agency"].dropna()) for name, frame in frames.items()}


def test_every_view_of_a_scoped_user_holds_only_their_agency(loaded):  # noqa: F811
    everyone = _agency_columns(loaded, PERIOD)
    assert set().union(*everyone.values()) == {"AG01", "AG02"}  # both are there to leak
    scoped = _agency_columns(loaded, AG01.scope(PERIOD))
    assert {name: seen <= {"AG01"} for name, seen in scoped.items()} == dict.fromkeys(scoped, True)
    assert scoped["agency_table"] == {"AG01"}


def test_series_totals_of_a_scoped_user_match_their_agency(loaded):  # noqa: F811
    """Month series of AG01: C1 C5 C9, all in March -> 3 answered calls, none in April."""
    months = series.call_series(loaded, AG01.scope(PERIOD), "month")
    assert dict(zip(months["month"], months["answered_calls"], strict=True)) == {
        date(2025, 3, 1): 3
    }
