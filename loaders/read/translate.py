"""Apply an import profile: a system's export, as read, becomes our source's layout.

Input: the export's rows as strings under their folded headers (``header_key``), each
with its physical line and raw text. Output: our source's columns as strings written the
way our own layout writes them (dates ``dd/mm/yyyy hh:mm:ss`` in Paris time, durations in
seconds), for staging to type and check like any other file. A value the profile cannot
convert is passed on as written, so that staging quarantines its row with the reason.
"""

from __future__ import annotations

import pandas as pd

from loaders.frame import LINE, RAW
from loaders.normalise import fold, header_key, parse_duration
from loaders.read.profile import Profile
from loaders.sources import SOURCES
from warehouse.french import number

PARIS = "Europe/Paris"
OUT_FORMAT = "%d/%m/%Y %H:%M:%S"


def translate(frame: pd.DataFrame, profile: Profile) -> tuple[pd.DataFrame, list[str]]:
    """(our layout, notes for the report: rows left out and legs grouped, with why)."""
    notes: list[str] = []
    frame = frame.reset_index(drop=True)
    frame, skipped = _keep(frame, profile)
    if skipped:
        notes.append(f"{_lines(skipped)} ignorée{'s' * (skipped > 1)} : {profile.keep['reason']}")
    stamps = {k: _dates(frame[k], kind, profile) for k, kind, _ in _keyed(profile.dates, frame)}
    seconds = {}
    for key, unit, name in _keyed(profile.durations, frame):
        if unit == "ms_or_s":
            unit = _ms_or_s(frame[key])
            read_as = "millisecondes" if unit == "ms" else "secondes"
            notes.append(f"durées de « {name} » lues en {read_as}")
        seconds[key] = _seconds(frame[key], unit)
    out = pd.DataFrame(index=frame.index)
    for col in SOURCES[profile.source].columns:
        spec = profile.columns.get(col.name)
        values = _column(spec, frame, stamps, seconds) if spec is not None else _blank(frame)
        mapping = profile.values.get(col.name)
        if mapping:
            values = _mapped(values, mapping)
        out[col.name] = values
    if profile.outcome:
        out["issue"] = _rules(profile.outcome, frame, out)
    out[LINE], out[RAW] = frame[LINE].to_numpy(), frame[RAW].to_numpy()
    if profile.legs:
        out, grouped = _legs(out, frame, profile)
        if grouped:
            many = grouped > 1
            notes.append(
                f"{_lines(grouped)} de suite (transfert, renvoi) regroupée{'s' * many} avec "
                f"l'appel qu'elle{'s' * many} continue{'nt' * many} : un appel transféré "
                "compte une fois"
            )
    if profile.cannot:
        notes.append(f"profil « {profile.name} » : {profile.cannot}")
    return out.reset_index(drop=True), notes


def _lines(n: int) -> str:
    return f"{number(n)} ligne{'s' * (n > 1)}"


def _keyed(specs: dict, frame: pd.DataFrame):
    """(folded key, kind, name as the profile spells it) of the columns the file has."""
    for column, kind in specs.items():
        key = header_key(column)
        if key in frame:
            yield key, kind, column


def _blank(frame: pd.DataFrame) -> pd.Series:
    return pd.Series("", index=frame.index, dtype="str")


def _keep(frame: pd.DataFrame, profile: Profile) -> tuple[pd.DataFrame, int]:
    if not profile.keep:
        return frame, 0
    key = header_key(profile.keep["column"])
    allowed = {fold(v) for v in profile.keep["in"]}
    kept = frame[key].map(lambda v: fold(v) in allowed).astype(bool)
    return frame[kept].reset_index(drop=True), int((~kept).sum())


def _dates(raw: pd.Series, kind: str, profile: Profile) -> pd.Series:
    """Timestamps in Paris local time (NaT where unreadable)."""
    text = raw.fillna("").str.strip()
    if kind in ("epoch", "epoch_ms"):
        numbers = pd.to_numeric(text, errors="coerce")
        stamps = pd.to_datetime(numbers, unit="s" if kind == "epoch" else "ms", utc=True)
    elif kind == "iso":
        stamps = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
        if profile.timezone != "UTC":
            # No offset written means the profile's zone; pandas took it as UTC.
            naive = ~text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True)
            local = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
            stamps[naive] = local.dt.tz_localize(profile.timezone, ambiguous="NaT").dt.tz_convert(
                "UTC"
            )
    else:
        local = pd.to_datetime(text, format=kind, errors="coerce")
        if profile.timezone == PARIS:  # already Paris wall-clock time, DST hours included
            return local
        stamps = local.dt.tz_localize(
            profile.timezone, ambiguous="NaT", nonexistent="NaT"
        ).dt.tz_convert("UTC")
    return stamps.dt.tz_convert(PARIS).dt.tz_localize(None)


MS_MEDIAN = 3_600  # a median duration this long in seconds is not credible: milliseconds


def _ms_or_s(raw: pd.Series) -> str:
    """Milliseconds or seconds, told by the column's median non-zero value (a call's talk
    or wait: minutes in seconds, hundreds of thousands in milliseconds); clock values
    (``hh:mm:ss``) read as such either way."""
    values = pd.to_numeric(raw.str.replace(",", ".", regex=False), errors="coerce")
    values = values[values > 0]
    return "ms" if len(values) and values.median() >= MS_MEDIAN else "s"


def _seconds(raw: pd.Series, unit: str) -> pd.Series:
    """Float seconds (NaN where unreadable)."""
    text = raw.fillna("").str.strip()
    clock, _ = parse_duration(text.where(text.str.contains(":", regex=False), ""))
    if unit == "clock":
        return clock.astype("float64")
    values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    values = values / 1000 if unit == "ms" else values
    return values.where(clock.isna(), clock.astype("float64"))


def _written(values: pd.Series, raw: pd.Series) -> pd.Series:
    """Converted values as our layout writes them; the raw text where unreadable."""
    if pd.api.types.is_datetime64_any_dtype(values):
        text = values.dt.strftime(OUT_FORMAT)
    else:
        text = values.map(lambda v: f"{v:.3f}".rstrip("0").rstrip("."), na_action="ignore")
    return text.where(values.notna(), raw.fillna("").str.strip()).astype("str")


def _column(spec, frame, stamps, seconds) -> pd.Series:
    if isinstance(spec, str):
        return _read(header_key(spec), frame, stamps, seconds)
    if "const" in spec:
        return pd.Series(str(spec["const"]), index=frame.index, dtype="str")
    if "first" in spec:
        out = _blank(frame)
        for name in reversed(spec["first"]):
            values = _read(header_key(name), frame, stamps, seconds)
            out = values.where(values.str.strip().ne(""), out)
        return out
    if "difference" in spec:
        diff = _difference(spec["difference"], frame, stamps)
        if "otherwise" in spec:
            diff = diff.where(diff.notna(), _difference(spec["otherwise"], frame, stamps))
        if "default" in spec:
            diff = diff.fillna(float(spec["default"]))
        return _written(diff.clip(lower=0), _blank(frame))
    raise ValueError(f"règle de colonne inconnue : {spec}")


def _read(key, frame, stamps, seconds) -> pd.Series:
    if key in stamps:
        return _written(stamps[key], frame[key])
    if key in seconds:
        return _written(seconds[key], frame[key])
    if key not in frame:  # an optional column the export left out
        return _blank(frame)
    return frame[key].fillna("").str.strip().astype("str")


def _difference(pair: list[str], frame, stamps) -> pd.Series:
    later, earlier = (stamps[header_key(c)] for c in pair)
    return (later - earlier).dt.total_seconds()


def _mapped(values: pd.Series, mapping: dict) -> pd.Series:
    uniques = values.dropna().unique()
    lookup = {v: mapping.get(fold(v), v) for v in uniques}
    return values.map(lookup).astype("str")


def _holds(when, frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    if isinstance(when, list):
        held = pd.Series(True, index=frame.index)
        for part in when:
            held &= _holds(part, frame, out)
        return held
    column = when["column"]
    key = header_key(column)
    values = out[column] if column in out else frame[key] if key in frame else _blank(frame)
    values = values.fillna("").astype("str").str.strip()
    if "in" in when:
        allowed = {fold(v) for v in when["in"]}
        return values.map(lambda v: fold(v) in allowed).astype(bool)
    if "prefix" in when:
        return values.str.upper().str.startswith(tuple(p.upper() for p in when["prefix"]))
    if when.get("empty"):
        return values.eq("") | pd.to_numeric(values, errors="coerce").eq(0)
    if when.get("not_empty"):
        return ~(values.eq("") | pd.to_numeric(values, errors="coerce").eq(0))
    raise ValueError(f"condition inconnue : {when}")


def _rules(rules, frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """The value of the first rule that holds (a rule with no ``when`` always holds)."""
    result = pd.Series(None, index=frame.index, dtype="object")
    for rule in rules:
        held = (
            _holds(rule["when"], frame, out)
            if "when" in rule
            else pd.Series(True, index=frame.index)
        )
        result = result.where(result.notna() | ~held, rule["value"])
    return result.fillna("").astype("str")


def _legs(out: pd.DataFrame, frame: pd.DataFrame, profile: Profile) -> tuple[pd.DataFrame, int]:
    """Several records of one call (legs, continuation records) become one call: the
    first leg's id, start, caller and wait; talk summed; answered if any leg was, by the
    first agent who answered."""
    key = frame[header_key(profile.legs["group_by"])].fillna("").str.strip()
    alone = "#" + frame[LINE].astype("str")  # a record with no call id stays on its own
    key = key.where(key.ne(""), alone)
    order = [header_key(c) for c in profile.legs.get("order_by", [])]
    work = out.assign(_group=key.to_numpy())
    for column in order:
        work[f"_o_{column}"] = frame[column].to_numpy()
    work = work.sort_values(["_group", *(f"_o_{c}" for c in order), LINE], kind="stable")
    groups = work.groupby("_group", sort=False)
    first = groups.head(1).set_index("_group")
    talk = pd.to_numeric(work["duree_s"], errors="coerce")
    first["duree_s"] = _written(talk.groupby(work["_group"]).sum(min_count=1), first["duree_s"])
    answered = work[work["issue"].eq("decroche")]
    by_answer = answered.groupby("_group").head(1).set_index("_group")
    first.loc[by_answer.index, "issue"] = "decroche"
    first.loc[by_answer.index, "agent"] = by_answer["agent"]
    first = first.reset_index(drop=True).sort_values(LINE, kind="stable")
    return first[list(out.columns)].reset_index(drop=True), len(out) - len(first)
