"""French number formatting for the command-line reports."""

from __future__ import annotations

NNBSP = "\u202f"  # the French thousands separator


def number(value: float | int, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")
