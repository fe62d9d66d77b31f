"""The bookkeeping columns every raw and typed frame of an import carries beside the data.

A leaf module: the readers write these columns, staging, the source families, the
quarantine and the pipeline read them.
"""

LINE = "_line"  # the row's first physical line in the file (or its sheet row)
RAW = "_raw"  # the row as written, for the quarantine
HIDDEN = "_p"  # frame columns holding an ignored personal column's values
PERSONAL_COLUMNS = {"numero_appelant", "agent"}  # masked wherever a raw line is kept
