"""Writers that produce exports the way landlords' tools do."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def _dates(frame: pd.DataFrame, style: str) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            fmt = "%d/%m/%Y %H:%M:%S" if style == "fr" else "%Y-%m-%dT%H:%M:%S"
            out[col] = out[col].dt.strftime(fmt)
    return out


def write_csv(frame: pd.DataFrame, path: Path, encoding: str, sep: str, dates: str = "fr") -> Path:
    _dates(frame, dates).to_csv(path, sep=sep, index=False, encoding=encoding, errors="replace")
    return path


def write_xlsx(frame: pd.DataFrame, path: Path, title: str) -> Path:
    """A first sheet with a title line and a blank line above the header, real date cells."""
    with pd.ExcelWriter(path, engine="xlsxwriter", datetime_format="dd/mm/yyyy hh:mm") as writer:
        frame.to_excel(writer, index=False, startrow=2, sheet_name="Registre")
        writer.sheets["Registre"].write(0, 0, title)
    return path
