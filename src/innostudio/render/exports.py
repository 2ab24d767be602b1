"""Open data (JSON and CSV), the Atom feed, status badges and QR codes."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import asdict
from importlib import resources
from typing import Any

import qrcode
import qrcode.constants

from .. import __version__
from .. import model as m
from .view import DecisionView, RecognitionView, View

# The open data's version: a consumer (the provincial federation) relies on its fields. Fields are only ever
# added within a version; removing or renaming one means a new version (and new schemas under api/schema/).
SCHEMA_VERSION = 1
SCHEMA_DOCUMENTS = ("site", "studios", "achievements", "recognitions")  # api/schema/<name>.json

STUDIO_FIELDS = ["slug", "name", "unit", "fields", "established", "summary", "status", "status_label",
                 "under_review", "recommended", "recommendation", "met", "leader_name", "leader_title", "team_size",
                 "achievement_count", "accredited_on", "url"]
ACHIEVEMENT_FIELDS = ["studio", "studio_name", "name", "title", "type", "type_label", "date", "level", "members",
                      "project", "identifier", "value_yuan", "tags", "recognitions", "url"]
RECOGNITION_FIELDS = ["studio", "studio_name", "kind", "kind_label", "clause", "achievement", "achievement_title",
                      "member", "date", "document", "to", "note", "url"]


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _recommendations(view: View) -> dict[str, list[dict]]:
    """Per studio, every ``recommend`` decision on or before the evaluation date, oldest first, as
    ``{date, document}`` (the 文号 a provincial union asks for). Same-date records keep their file order."""
    out: dict[str, list[dict]] = {}
    decisions: list[DecisionView] = sorted((d for d in view.decisions if d.code == "recommend"),
                                           key=lambda d: d.date)
    for d in decisions:
        out.setdefault(d.studio, []).append({"date": _plain(d.date), "document": d.document})
    return out


def studio_records(view: View, url_of: Callable[[str], str]) -> list[dict]:
    out = []
    recommendations = _recommendations(view)
    for s in view.studios:
        recs = recommendations.get(s.slug, [])
        rec = {"slug": s.slug, "name": s.name, "unit": s.unit, "fields": s.fields,
               "established": _plain(s.established), "summary": s.summary, "status": s.status,
               "status_label": s.status_label, "under_review": s.under_review, "recommended": s.recommended,
               "recommendation": recs[-1] if recs else None, "recommendations": recs, "met": s.met,
               "standards": {x.code: x.met for x in s.standards},
               "leader_name": s.leader.name, "leader_title": s.leader.title,
               "team_size": s.team_size, "achievement_count": len(s.achievements),
               "accredited_on": _plain(s.accredited_on), "url": url_of(s.page),
               "recognitions": [_recognition(r, url_of) for r in s.recognitions]}
        if s.funding is not None:
            rec["funding"] = [{k: ([{kk: _plain(vv) for kk, vv in e.items()} for e in v] if k == "expenses" else v)
                               for k, v in asdict(f).items()} for f in s.funding]
        out.append(rec)
    return out


def achievement_records(view: View, url_of: Callable[[str], str]) -> list[dict]:
    return [{"studio": a.slug, "studio_name": a.studio, "name": a.name, "title": a.title,
             "type": a.type, "type_label": a.type_label, "date": _plain(a.date), "level": a.level,
             "members": a.members, "project": a.project, "identifier": a.identifier,
             "value_yuan": a.value_yuan, "tags": a.tags,
             "recognitions": [f"{r.kind_label} {r.document}" for r in a.recognitions],
             "url": url_of(a.page)} for a in view.achievements]


def _recognition(r: RecognitionView, url_of: Callable[[str], str]) -> dict:
    return {"studio": r.slug, "studio_name": r.studio, "kind": r.kind, "kind_label": r.kind_label,
            "clause": r.clause, "achievement": r.achievement, "achievement_title": r.achievement_title,
            "member": r.member, "date": _plain(r.date), "document": r.document, "to": r.to,
            "note": r.note, "url": url_of(r.page)}


def recognition_records(view: View, url_of: Callable[[str], str]) -> list[dict]:
    """union/recognitions.yml as open data: recommended achievements (the recommend_achievement clause) and
    commendations (the commend clause)."""
    return [_recognition(r, url_of) for r in view.recognitions]


def to_json(records: list[dict], as_of: dt.date) -> str:
    return _dump({"schema_version": SCHEMA_VERSION, "as_of": as_of.isoformat(), "count": len(records),
                  "items": records})


def site_record(view: View, policy_date: dt.date | None = None) -> dict:
    """/api/site.json: who publishes, under which policy, as of when, and the studios counted by status
    (as the public site shows it; ``plaque_holders``: the studios holding a plaque). ``policy_date``: the
    document's date (union/policy.yml ``document.date``), null where the repository has none."""
    config = view.config
    counts = {code: sum(s.status == code for s in view.studios) for code in m.Status.labels()}
    counts["plaque_holders"] = sum(s.status in m.HOLDS_PLAQUE for s in view.studios)
    return {"schema_version": SCHEMA_VERSION, "org": config.organisation, "name": config.site_name,
            "url": config.site_url or None,
            "policy": {"title": config.policy_title, "number": config.policy_number or None,
                       "date": _plain(policy_date)},
            "as_of": view.as_of.isoformat(), "generated_with": __version__, "counts": counts,
            "documents": {name: f"{name}.json" for name in SCHEMA_DOCUMENTS if name != "site"}}


def site_json(view: View, policy_date: dt.date | None = None) -> str:
    return _dump(site_record(view, policy_date))


def _dump(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def schema_files() -> list[tuple[str, str]]:
    """The JSON Schemas of the open-data documents, as (site path, text), published under api/schema/."""
    folder = resources.files("innostudio") / "data" / "api-schema"
    return [(f"api/schema/{name}.json", (folder / f"{name}.json").read_text(encoding="utf-8"))
            for name in SCHEMA_DOCUMENTS]


def to_csv(records: list[dict], fields: list[str]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a byte-order mark
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: _cell(v) for k, v in rec.items()})
    return buf.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell: a list joined with ；, a {date, document} as "date document", None as empty."""
    if isinstance(value, list):
        return "；".join(str(_cell(x)) for x in value)
    if isinstance(value, dict):
        return " ".join(str(x) for x in value.values() if x is not None)
    return "" if value is None else value


QUIET_ZONE = 4  # modules of white around the code


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as a standalone SVG path on white, with the 4-module quiet zone the standard
    (ISO/IEC 18004) asks for: plaques are printed, then photographed in poor light (deterministic)."""
    # A fixed mask pattern skips qrcode's trial of all eight masks (most of its run time); any mask
    # scans, the choice only nudges the balance of dark and light modules.
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE, mask_pattern=2)
    qr.add_data(url)
    qr.make(fit=True)
    # The SVG qrcode's SvgPathFillImage writes (1 mm a module), built directly from the module matrix:
    # that factory builds an XML element per module and takes ten times longer.
    matrix = qr.get_matrix()  # quiet zone included
    size = len(matrix)
    path = "".join(f"M{x},{y}H{x + 1}V{y + 1}H{x}z" for y, row in enumerate(matrix)
                   for x, dark in enumerate(row) if dark)
    return (f'<svg width="{size}mm" height="{size}mm" version="1.1" viewBox="0 0 {size} {size}" '
            f'xmlns="http://www.w3.org/2000/svg"><rect fill="white" x="0" y="0" width="100%" height="100%" />'
            f'<path d="{path}" id="qr-path" fill="#000000" fill-opacity="1" fill-rule="nonzero" stroke="none" />'
            f'</svg>')
