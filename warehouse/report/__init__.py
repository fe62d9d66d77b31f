"""The directors' monthly report: a PDF read in five minutes and an XLSX audit pack, from
the same figures as the dashboard (``warehouse.kpis``)."""
