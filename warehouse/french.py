"""French number formatting shared by the command lines and the dashboard: ``1 234,5``."""

from __future__ import annotations

NNBSP = "\u202f"  # the French thousands separator (narrow no-break space)


def number(value: float | int, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")
