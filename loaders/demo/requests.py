"""Demo requests (with successive exports) and agency front-desk registers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from warehouse.model.calendar import french_holidays

CATEGORIES = ["technique", "voisinage", "charges", "administrative", "mutation", "autre"]
COMPLAINT_MIX = [0.60, 0.12, 0.10, 0.08, 0.03, 0.07]
INFO_MIX = [0.10, 0.02, 0.20, 0.40, 0.15, 0.13]
SUBCATEGORIES = {
    "technique": ["plomberie", "chauffage", "ascenseur", "électricité", "menuiserie"],
    "voisinage": ["bruit", "troubles de voisinage"],
    "charges": ["régularisation", "contestation"],
    "administrative": ["attestation", "quittance", "bail"],
    "mutation": ["demande de mutation"],
    "autre": ["divers"],
}
CHANNELS = ["CRL", "agence", "gardien", "extranet", "courrier", "email", "astreinte"]


def _capture_mix(year_index: int, years: int) -> np.ndarray:
    """The centre captures a minority of complaints, growing from ~22% to ~34%."""
    crl = 0.22 + 0.12 * year_index / max(years - 1, 1)
    web = 0.03 + 0.02 * year_index / max(years - 1, 1)
    rest = 1 - crl - web - 0.12 - 0.03 - 0.02 - 0.02
    return np.array([crl, rest, 0.12, web, 0.03, 0.02, 0.02])


def make_requests(rng, dwellings, calls: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    years = end.year - start.year + 1
    frames = []
    for y in range(years):
        year = start.year + y
        last = min(date(year, 12, 31), end)  # the current year runs up to the end date
        share = ((last - date(year, 1, 1)).days + 1) / 365
        n_c = rng.poisson(0.33 * len(dwellings) * 1.05**y * share)
        n_i = rng.poisson(0.22 * len(dwellings) * 1.05**y * share)
        kind = np.r_[np.full(n_c, "reclamation"), np.full(n_i, "renseignement")]
        channel = np.r_[
            rng.choice(CHANNELS, size=n_c, p=_capture_mix(y, years)),
            rng.choice(CHANNELS, size=n_i, p=_capture_mix(y, years)),
        ]
        category = np.r_[
            rng.choice(CATEGORIES, size=n_c, p=COMPLAINT_MIX),
            rng.choice(CATEGORIES, size=n_i, p=INFO_MIX),
        ]
        days = pd.date_range(date(year, 1, 1), last, freq="B")
        if days.empty:  # the year has run one or two days only, not a business day yet
            days = pd.date_range(date(year, 1, 1), last, freq="D")
        created = (
            rng.choice(days.to_numpy(), size=len(kind))
            + pd.to_timedelta(
                rng.integers(8 * 3600 + 1800, 17 * 3600 + 1800, len(kind)), unit="s"
            ).to_numpy()
        )
        frames.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "channel": channel,
                    "category": category,
                    "created": created,
                    "year": year,
                }
            )
        )
    r = pd.concat(frames, ignore_index=True).sort_values("created", kind="stable")
    r = r.reset_index(drop=True)
    n = len(r)
    r["num"] = [f"DEM-{y}-{i:06d}" for i, y in enumerate(r["year"])]
    _link_calls(rng, r, calls)
    dw = rng.integers(0, len(dwellings), n)
    r["ref"] = dwellings["ref_logement"].to_numpy()[dw]
    r["agency"] = dwellings["agence"].to_numpy()[dw]
    r["sub"] = [
        SUBCATEGORIES[c][i % len(SUBCATEGORIES[c])]
        for c, i in zip(r["category"], rng.integers(0, 5, n), strict=True)
    ]
    _milestones(rng, r)
    return r


def _link_calls(rng, r: pd.DataFrame, calls: pd.DataFrame) -> None:
    """A request captured by the centre comes from a call: share its time and number."""
    crl = np.flatnonzero((r["channel"] == "CRL").to_numpy())
    answered = np.flatnonzero(
        (calls["Issue"] == "Décroché").to_numpy() & (calls["File"] == "CRL").to_numpy()
    )
    if len(answered) == 0 or len(crl) == 0:
        return
    picked = rng.choice(answered, size=min(len(crl), len(answered)), replace=False)
    picked.sort()
    crl = crl[: len(picked)]
    r.loc[crl, "created"] = calls["Date/Heure"].to_numpy()[picked]
    calls.loc[calls.index[picked], "N° demande"] = r.loc[crl, "num"].to_numpy()
    r.sort_values("created", kind="stable", inplace=True)
    r.reset_index(drop=True, inplace=True)


def _milestones(rng, r: pd.DataFrame) -> None:
    n = len(r)
    tech = r["category"].to_numpy() == "technique"
    neighbour = r["category"].to_numpy() == "voisinage"
    urgency = np.where(
        tech,
        rng.choice([1, 3, 10], size=n, p=[0.15, 0.45, 0.40]),
        np.where(rng.random(n) < 0.7, 10, 0),
    )
    urgency = np.where(neighbour, 7, urgency)
    kept = rng.random(n) < np.where(r["channel"] == "CRL", 0.88, 0.82)
    lag = np.where(
        kept,
        np.floor(rng.random(n) * (np.maximum(urgency, 1) + 1)),
        np.maximum(urgency, 1) + 1 + rng.geometric(0.3, n),
    )
    created_day = r["created"].to_numpy().astype("datetime64[D]")
    hol = np.array(sorted(french_holidays()), dtype="datetime64[D]")
    business = np.busday_offset(created_day, lag.astype(int), roll="backward", holidays=hol)
    first_day = np.where(
        neighbour, created_day + lag.astype(int).astype("timedelta64[D]"), business
    )
    first = pd.to_datetime(first_day) + pd.to_timedelta(
        rng.integers(9 * 3600, 17 * 3600, n), unit="s"
    )
    first = np.maximum(first, r["created"] + pd.Timedelta(minutes=20))
    info = r["kind"].to_numpy() == "renseignement"
    close_days = rng.exponential(np.where(info, 3, 14), n)
    level1 = rng.random(n) < np.where(info, 0.82, np.where(r["channel"] == "CRL", 0.45, 0.38))
    close_days = np.where(level1, close_days * 0.4, close_days)
    r["urgency"] = np.where(urgency > 0, urgency.astype(str), "")
    r["first"] = first
    r["closed"] = first + pd.to_timedelta(close_days, unit="D")
    r["level"] = np.where(level1, "1", "2")
    r["cancelled"] = rng.random(n) < 0.02
    r["late"] = ~kept & (urgency > 0)  # the commitment slipped: the surveys feel it
    late = r["first"].to_numpy() > pd.to_datetime(first_day).to_numpy() + np.timedelta64(1, "D")
    r["relances"] = rng.poisson(np.where(late | (close_days > 30), 1.2, 0.1))


def request_exports(r: pd.DataFrame, end: date) -> list[tuple[date, pd.DataFrame]]:
    """Two CRM exports: one six months before the end, then one at the end."""
    first = (pd.Timestamp(end) - pd.DateOffset(months=6)).date()
    return [(first, _export(r, first, half=True)), (end, _export(r, end))]


def _export(r: pd.DataFrame, as_of: date, half: bool = False) -> pd.DataFrame:
    cut = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    r = r[r["created"] < cut]
    acted = r["first"] < cut
    closed = (r["closed"] < cut) & acted
    status = np.where(
        r["cancelled"] & closed,
        "annulée",
        np.where(closed, "Clôturée", np.where(acted, "en cours", "ouverte")),
    )
    fmt = "%d/%m/%Y %H:%M"
    relances = r["relances"] // 2 if half else r["relances"]
    return pd.DataFrame(
        {
            "N° demande": r["num"],
            "Date création": r["created"].dt.strftime(fmt),
            "Canal saisie": r["channel"],
            "Agence": r["agency"],
            "Réf logement": r["ref"],
            "Catégorie": r["category"],
            "Sous-catégorie": r["sub"],
            "Type": np.where(r["kind"] == "reclamation", "Réclamation", "Renseignement"),
            "Urgence (j)": r["urgency"],
            "Statut": status,
            "Date première action": r["first"].dt.strftime(fmt).where(acted, ""),
            "Date clôture": r["closed"].dt.strftime(fmt).where(closed, ""),
            "Niveau clôture": r["level"].where(closed & ~r["cancelled"], ""),
            "Nb relances": relances.astype(str),
        }
    )


FRONT_DESK = ["accueil physique", "telephone agence", "loge gardien", "courrier", "email"]
MOTIFS = [
    "Renseignement - loyer",
    "Demande administrative - attestation",
    "Reclamation technique - plomberie",
    "Remise de documents - dossier",
    "Charges - question",
    "Reclamation voisinage - bruit",
    "Autre - divers",
]


def make_contacts(rng, dwellings, requests: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Front-desk registers: one line per contact; requests captured at an agency have one."""
    days = pd.date_range(start, end, freq="B")
    n = rng.poisson(0.12 * len(dwellings) * 12 * ((end - start).days + 1) / 365)
    dw = rng.integers(0, len(dwellings), n)
    at = (
        rng.choice(days.to_numpy(), size=n)
        + pd.to_timedelta(rng.integers(9 * 3600, 17 * 3600, n), unit="s").to_numpy()
    )
    follow = rng.choice(["reponse immediate", "orientation"], size=n, p=[0.78, 0.22])
    random_part = pd.DataFrame(
        {
            "Date": at,
            "agence": dwellings["agence"].to_numpy()[dw],
            "Canal": rng.choice(FRONT_DESK, size=n, p=[0.45, 0.30, 0.15, 0.05, 0.05]),
            "Motif": np.array(MOTIFS)[rng.integers(0, len(MOTIFS), n)],
            "Réf logement": np.where(
                rng.random(n) < 0.8, dwellings["ref_logement"].to_numpy()[dw], ""
            ),
            "Suite": follow,
            "N° demande": "",
        }
    )
    captured = requests[requests["channel"].isin(["agence", "gardien"])]
    channel = np.where(
        captured["channel"] == "gardien",
        "loge gardien",
        rng.choice(["accueil physique", "telephone agence"], size=len(captured)),
    )
    linked = pd.DataFrame(
        {
            "Date": captured["created"].to_numpy(),
            "agence": captured["agency"].to_numpy(),
            "Canal": channel,
            "Motif": np.where(
                captured["kind"] == "reclamation",
                "Reclamation " + captured["category"],
                "Renseignement - " + captured["category"],
            ),
            "Réf logement": captured["ref"].to_numpy(),
            "Suite": "demande creee",
            "N° demande": captured["num"].to_numpy(),
        }
    )
    contacts = pd.concat([random_part, linked], ignore_index=True).sort_values(
        "Date", kind="stable"
    )
    contacts["_year"] = pd.DatetimeIndex(contacts["Date"]).year
    return contacts.reset_index(drop=True)
