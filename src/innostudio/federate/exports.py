"""The portal's open data: merged member documents with a ``member`` field, and the intake list
(``recommended.csv`` / ``.xlsx``). Every file is byte-identical for the same members and date."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .reader import Member
from .view import Portal, RecommendationRow

INTAKE_HEADERS = ["年份", "成员单位", "工作室", "所在单位", "领衔人", "当前状态", "推荐日期", "推荐文号", "工作室网址",
                  "成员数据日期"]


def _dump(payload: Any) -> str:
    # compact: json's C encoder (an indent falls back to the Python one, seconds at 33,000 records)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def merged(portal: Portal, members: list[Member]) -> dict[str, str]:
    """``api/*.json`` of the portal: the federation and its members, every studio and achievement."""
    site = {"schema_version": 1, "name": portal.config.name, "url": portal.config.site_url,
            "as_of": portal.as_of.isoformat(),
            "members": [{"id": m.config.id, "name": m.config.name, "url": m.config.url, "stale": m.stale,
                         "site": m.site.model_dump(mode="json")} for m in members],
            "left_out": [{"id": i, "name": n, "field": f} for i, n, f in portal.missing],
            "counts": {"studios": len(portal.studios), "achievements": len(portal.achievements),
                       **portal.status_totals}}
    studios = [{"member": m.config.id, **s.model_dump(mode="json")} for m in members for s in m.studios.items]
    achievements = [{"member": m.config.id, **a.model_dump(mode="json")} for m in members
                    for a in m.achievements.items]
    recs = [_intake_record(r) for r in portal.recommendations]
    head = {"schema_version": 1, "as_of": portal.as_of.isoformat()}
    return {"api/site.json": _dump(site),
            "api/studios.json": _dump({**head, "count": len(studios), "items": studios}),
            "api/achievements.json": _dump({**head, "count": len(achievements), "items": achievements}),
            "api/recommended.json": _dump({**head, "count": len(recs), "items": recs})}


def _intake_record(r: RecommendationRow) -> dict[str, Any]:
    s = r.studio
    return {"year": r.year, "member": s.member, "member_name": s.member_name, "studio": s.slug,
            "studio_name": s.name, "unit": s.unit, "leader_name": s.leader, "status": s.status,
            "date": r.date.isoformat(), "document": r.document, "url": s.url,
            "member_as_of": s.member_as_of.isoformat(), "stale": s.stale}


def _intake_row(r: RecommendationRow) -> list[Any]:
    s = r.studio
    return [r.year, s.member_name, s.name, s.unit, s.leader, s.status_label, r.date.isoformat(), r.document, s.url,
            s.member_as_of.isoformat() + ("（已过期）" if s.stale else "")]


def intake_csv(portal: Portal) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a byte-order mark
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(INTAKE_HEADERS)
    for r in portal.recommendations:
        writer.writerow(_intake_row(r))
    return buf.getvalue()


def intake_xlsx(portal: Portal) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐名单"
    ws.append(INTAKE_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in portal.recommendations:
        ws.append(_intake_row(r))
    for col, width in zip("ABCDEFGHIJ", (8, 22, 28, 22, 10, 10, 12, 30, 40, 16), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    fixed = dt.datetime.combine(portal.as_of, dt.time())
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.title = f"{portal.config.name} 推荐名单"
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip(raw.getvalue(), portal.as_of)


def _fixed_zip(data: bytes, day: dt.date) -> bytes:
    """The same archive with every entry dated ``day``: openpyxl stamps the entries, and the workbook's
    ``modified`` property, with the clock when it saves."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(max(day.year, 1980), day.month, day.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", data)
            dst.writestr(entry, data)
    return out.getvalue()
