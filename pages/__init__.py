"""The dashboard's pages. ``PAGES`` is the one list of them: app.py's navigation, the
tests and the screenshot script all read it."""

# (file name without .py and URL path, French title, Material icon)
PAGES = [
    ("synthese", "Synthèse", ":material/dashboard:"),
    ("appels", "Appels", ":material/call:"),
    ("canaux", "Canaux et captation", ":material/alt_route:"),
    ("demandes", "Demandes", ":material/assignment:"),
    ("motifs", "Motifs et non-qualité", ":material/troubleshoot:"),
    ("agences", "Agences", ":material/apartment:"),
    ("satisfaction", "Satisfaction", ":material/sentiment_satisfied:"),
    ("couts", "Coûts et effectifs", ":material/euro:"),
    ("dimensionnement", "Dimensionnement", ":material/groups:"),
    ("importer", "Importer", ":material/upload_file:"),
    ("qualite", "Qualité des données", ":material/fact_check:"),
    ("glossaire", "Glossaire", ":material/menu_book:"),
]
