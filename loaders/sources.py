"""The import sources of ``formats.md``: columns, kinds, required flags and aliases.

Headers are matched on their folded form (see :func:`loaders.normalise.header_key`), so
``N° Demande``, ``num_demande`` and ``NUM-DEMANDE`` are one header. The aliases listed
here are documented in ``docs/import-formats.md`` (a test checks both agree).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from warehouse import reference

# Event dates (calls, contacts, requests, costs, staffing) before 2000 are typing errors;
# reference dates (a dwelling entering the stock, an agency opening) may be older.
EVENTS_SINCE = 2000
REFERENCE_SINCE = 1800


@dataclass(frozen=True)
class Col:
    name: str  # canonical French header
    kind: str  # text, code, datetime, date, month, int, number, duration, bool, time
    required: bool = False
    aliases: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()  # folded values, for kind "code"
    synonyms: dict = field(default_factory=dict)  # folded value -> allowed value
    max_length: int = 200  # characters, for text and codes: the warehouse column's width
    joins: str | None = None  # a time-of-day column completing this date column
    since_year: int = EVENTS_SINCE  # dates before this year are implausible


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    columns: tuple[Col, ...]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


AGENCY = Col("agence", "text", True, ("agency", "code agence"), max_length=40)
DWELLING = Col(
    "ref_logement", "text", False, ("dwelling", "dwelling_id", "logement"), max_length=60
)
REQUEST_ID = Col(
    "num_demande", "text", False, ("request_id", "n demande", "numero demande"), max_length=80
)

CONTACT_CHANNELS = ("accueil physique", "telephone agence", "loge gardien", "courrier", "email")
CAPTURE_CHANNELS = ("crl", "agence", "gardien", "extranet", "courrier", "email", "astreinte")

APPELS = Source(
    "appels",
    "journal d'appels",
    (
        Col(
            "id_appel",
            "text",
            True,
            ("call_id", "id", "identifiant appel", "n appel"),
            max_length=80,
        ),
        Col("date_heure", "datetime", True, ("started_at", "date", "debut", "date appel")),
        Col("heure", "time", False, ("time", "heure appel", "heure debut"), joins="date_heure"),
        Col(
            "sens",
            "code",
            True,
            ("direction",),
            ("entrant", "sortant"),
            {
                "in": "entrant",
                "inbound": "entrant",
                "e": "entrant",
                "out": "sortant",
                "outbound": "sortant",
                "s": "sortant",
            },
        ),
        Col("file", "text", True, ("queue", "file attente", "service"), max_length=60),
        Col(
            "numero_appelant",
            "text",
            False,
            ("caller", "caller number", "telephone", "ani"),
            max_length=40,
        ),
        Col("agent", "text", False, ("advisor", "conseiller", "agent id"), max_length=100),
        Col("attente_s", "duration", True, ("wait_s", "wait seconds", "attente")),
        Col("duree_s", "duration", True, ("talk_s", "duration_s", "duree", "talk seconds")),
        Col(
            "issue",
            "code",
            True,
            ("outcome", "resultat"),
            reference.CALL_OUTCOMES,
            {
                "answered": "decroche",
                "abandoned": "abandonne",
                "overflow": "dissuade",
                "voicemail": "messagerie",
                "repondu": "decroche",
            },
        ),
        Col("motif", "text", False, ("reason", "qualification")),
        DWELLING,
        Col("traite_niveau_1", "bool", False, ("first_level", "settled_first_level", "n1")),
        REQUEST_ID,
    ),
)

REGISTRES = Source(
    "registres",
    "registre d'accueil",
    (
        Col("date_heure", "datetime", True, ("contact_at", "date", "date contact")),
        Col("heure", "time", False, ("time", "heure contact"), joins="date_heure"),
        AGENCY,
        Col(
            "canal",
            "code",
            True,
            ("channel",),
            CONTACT_CHANNELS,
            {
                "accueil": "accueil physique",
                "physique": "accueil physique",
                "telephone": "telephone agence",
                "tel agence": "telephone agence",
                "loge": "loge gardien",
                "mail": "email",
                "e mail": "email",
                "lettre": "courrier",
            },
        ),
        Col("motif", "text", False, ("reason",)),
        DWELLING,
        Col(
            "suite",
            "code",
            False,
            ("follow_up", "suite donnee"),
            reference.CONTACT_FOLLOW_UPS,
            {"reponse": "reponse immediate", "demande": "demande creee"},
        ),
        REQUEST_ID,
    ),
)

DEMANDES = Source(
    "demandes",
    "export des demandes",
    (
        Col(
            "num_demande",
            "text",
            True,
            ("request_id", "n demande", "numero demande"),
            max_length=80,
        ),
        Col("date_creation", "datetime", True, ("created_at", "creation", "date saisie")),
        Col(
            "canal_saisie",
            "code",
            True,
            ("channel", "canal"),
            CAPTURE_CHANNELS,
            {
                "centre": "crl",
                "crc": "crl",
                "loge gardien": "gardien",
                "web": "extranet",
                "mail": "email",
                "e mail": "email",
            },
        ),
        AGENCY,
        DWELLING,
        Col(
            "categorie",
            "code",
            True,
            ("category",),
            tuple(code for code, _ in reference.CATEGORIES),
            {"administratif": "administrative", "technical": "technique"},
        ),
        Col("sous_categorie", "text", False, ("subcategory",)),
        Col(
            "type",
            "code",
            True,
            ("request_type", "type demande"),
            reference.REQUEST_TYPES,
            {"complaint": "reclamation", "information": "renseignement"},
        ),
        Col("urgence_j", "int", False, ("urgency_days", "urgence", "delai engagement")),
        Col(
            "statut",
            "code",
            True,
            ("status", "etat"),
            tuple(reference.STATUS_RANK),
            {
                "open": "ouverte",
                "in progress": "en cours",
                "closed": "cloturee",
                "cancelled": "annulee",
                "ouvert": "ouverte",
                "cloture": "cloturee",
                "annule": "annulee",
                "encours": "en cours",
            },
        ),
        Col("date_premiere_action", "datetime", False, ("first_action_at", "premiere action")),
        Col("date_cloture", "datetime", False, ("closed_at", "cloture")),
        Col("niveau_cloture", "int", False, ("closure_level", "niveau")),
        Col("nb_relances", "int", False, ("followups", "relances", "nombre relances")),
    ),
)

AGENCES = Source(
    "agences",
    "référentiel des agences",
    (
        Col("agence", "text", True, ("agency", "code agence", "code"), max_length=40),
        Col("nom", "text", True, ("name", "libelle", "nom agence")),
        Col("territoire", "text", False, ("territory",)),
        Col("organisme", "text", True, ("landlord", "bailleur")),
        Col(
            "date_ouverture",
            "date",
            False,
            ("opened_at", "ouverture"),
            since_year=REFERENCE_SINCE,
        ),
    ),
)

LOGEMENTS = Source(
    "logements",
    "référentiel des logements",
    (
        Col("ref_logement", "text", True, ("dwelling", "dwelling_id", "logement"), max_length=60),
        AGENCY,
        Col("residence", "text", False, ("building", "groupe")),
        Col("commune", "text", False, ("city", "town", "ville")),
        Col(
            "type",
            "code",
            False,
            ("dwelling_type", "type logement"),
            ("collectif", "individuel"),
            {"coll": "collectif", "ind": "individuel"},
        ),
        Col(
            "date_entree_parc",
            "date",
            False,
            ("entered_at", "entree parc", "date entree"),
            since_year=REFERENCE_SINCE,
        ),
        Col(
            "date_sortie_parc",
            "date",
            False,
            ("left_at", "sortie parc", "date sortie"),
            since_year=REFERENCE_SINCE,
        ),
    ),
)

COUTS = Source(
    "couts",
    "coûts",
    (
        Col("periode", "month", True, ("period", "mois", "month")),
        Col(
            "centre", "text", True, ("cost_centre", "cost center", "centre de cout"), max_length=40
        ),
        Col(
            "nature",
            "code",
            True,
            ("kind", "nature cout"),
            reference.COST_NATURES,
            {
                "mise en place": "mise_en_place",
                "set up": "mise_en_place",
                "setup": "mise_en_place",
                "salaires": "personnel",
                "telephonie": "telecom",
            },
        ),
        Col("montant_eur", "number", True, ("amount_eur", "montant", "amount")),
    ),
)

EFFECTIFS = Source(
    "effectifs",
    "effectifs",
    (
        Col("date", "date", True, ("day", "jour")),
        Col("equipe", "text", True, ("team",), max_length=40),
        Col("conseillers_etp", "number", True, ("advisors_fte", "conseillers", "etp conseillers")),
        Col("encadrants_etp", "number", True, ("supervisors_fte", "encadrants", "etp encadrants")),
    ),
)

SOURCES: dict[str, Source] = {
    s.name: s for s in (APPELS, REGISTRES, DEMANDES, AGENCES, LOGEMENTS, COUTS, EFFECTIFS)
}


def _add_survey_sources() -> None:
    from loaders.survey_sources import SURVEY_SOURCES

    SOURCES.update({s.name: s for s in SURVEY_SOURCES})


_add_survey_sources()
