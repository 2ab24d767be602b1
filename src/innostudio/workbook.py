"""The annual inspection workbook (Excel) for the union: one summary sheet and one sheet per studio."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import model as m
from .check import Report
from .rules import STANDARDS

HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
UNMET_FILL = PatternFill("solid", fgColor="FFCDD2")
MET_FILL = PatternFill("solid", fgColor="C8E6C9")
THIN = Side(style="thin", color="BDBDBD")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TYPES = m.AchievementType.labels()


def _width(text: str) -> float:
    """Display width of a cell text: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _setup(ws: Worksheet, headers: list[str], rows: list[list], title: str) -> None:
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            cell.border = BORDER
            if cell.row > 1:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    for i, header in enumerate(headers, start=1):
        longest = max([_width(header)] + [_width(r[i - 1]) for r in rows if r[i - 1] is not None])
        ws.column_dimensions[get_column_letter(i)].width = min(max(6, longest + 2), 50)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = title


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:28] or "工作室"
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base[:26]}{n}"
        n += 1
    used.add(candidate)
    return candidate


def build_workbook(report: Report, year: int) -> Workbook:
    repo = report.repo
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    results = {r.slug: r for r in report.studios}
    inspections = {ins.studio: ins for _doc, _i, ins in repo.inspections if ins.date.year == year}
    headers = (["工作室", "单位", "领衔人", "状态"] + [f"{c} {zh}" for c, (zh, _en) in STANDARDS.items()]
               + ["六有达标", f"{year}年活动次数"] + [f"{label}" for label in TYPES.values()]
               + [f"{year}年成果合计", f"{year}年预算（元）", f"{year}年支出（元）", f"{year}年检查结果", "检查意见"])
    rows = []
    for folder in repo.studios:
        studio = folder.studio
        res = results[folder.slug]
        acts = [a for a in folder.activities() if a.date.year == year]
        achs = [a for a in folder.achievement_models() if a.date.year == year]
        funding = [f for f in (studio.funding or []) if f.year == year] if studio else []
        ins = inspections.get(folder.slug)
        std = [("达标" if res.standards.get(c) else "未达标") if res.evaluated else "未评价" for c in STANDARDS]
        row = ([res.name, studio.unit if studio else "", studio.leader.name if studio else "",
                m.Status.labels()[res.status]] + std + [f"{res.met}/6", len(acts)]
               + [sum(1 for a in achs if str(a.type) == code) for code in TYPES] + [len(achs)]
               + [sum(f.budget_yuan for f in funding) if funding else None,
                  sum(f.spent for f in funding) if funding else None,
                  m.InspectionResult.labels()[str(ins.result)] if ins else "无记录", ins.findings if ins else ""])
        rows.append(row)
    _setup(ws, headers, rows, f"{year} 年度创新工作室检查汇总（评价日期 {report.as_of}）")
    for r in range(2, ws.max_row + 1):
        for c in range(5, 11):
            cell = ws.cell(row=r, column=c)
            cell.fill = MET_FILL if cell.value == "达标" else UNMET_FILL
            cell.alignment = Alignment(horizontal="center", vertical="top")
    for col in range(1, len(headers) + 1):
        if headers[col - 1].endswith("（元）"):
            for r in range(2, ws.max_row + 1):
                ws.cell(row=r, column=col).number_format = "#,##0"
    used = {"汇总"}
    for folder in repo.studios:
        studio = folder.studio
        sheet = wb.create_sheet(_sheet_name(studio.name if studio else folder.slug, used))
        acts = sorted((a for a in folder.activities() if a.date.year == year), key=lambda a: a.date)
        rows = [["台账", a.date, m.ActivityKind.labels()[str(a.kind)], a.title, a.participants, a.hours, a.project or "",
                 a.summary] for a in acts]
        achs = sorted((a for a in folder.achievement_models() if a.date.year == year), key=lambda a: a.date)
        rows += [["成果", a.date, TYPES[str(a.type)], a.title, len(a.members) or None, None, a.project or "",
                  "；".join(x for x in (m.Level.labels().get(str(a.level), "") if a.level else "",
                                        a.identifier or "", "、".join(a.members)) if x)] for a in achs]
        _setup(sheet, ["类别", "日期", "类型", "名称", "人数", "时长（小时）", "课题", "摘要/说明"], rows,
               f"{studio.name if studio else folder.slug} {year} 年台账与成果")
        for r in range(2, sheet.max_row + 1):
            sheet.cell(row=r, column=2).number_format = "yyyy-mm-dd"
    add_expenses(wb, report, year)
    add_bases(wb, report)
    wb.properties.creator = "innostudio"
    wb.properties.title = f"{year} 年度创新工作室检查"
    fixed = dt.datetime.combine(report.as_of, dt.time())
    wb.properties.created = wb.properties.modified = fixed  # reproducible files
    return wb


def write_workbook(report: Report, year: int, root: Path) -> Path:
    out = root / "build" / "reports" / f"inspection-{year}.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".xlsx.tmp")
    build_workbook(report, year).save(tmp)
    tmp.replace(out)
    return out


def add_expenses(wb: Workbook, report: Report, year: int) -> None:
    """A sheet of the year's expenses per studio, with a subtotal per purpose (专款专用、手续完备)."""
    ws = wb.create_sheet("经费支出")
    labels = m.ExpensePurpose.labels()
    rows: list[list] = []
    for folder in report.repo.studios:
        studio = folder.studio
        if studio is None:
            continue
        records = [f for f in studio.funding or [] if f.year == year]
        expenses = sorted((e for f in records for e in f.expenses or []), key=lambda e: e.date)
        if not records:
            continue
        budget = sum(f.budget_yuan for f in records)
        for e in expenses:
            rows.append([studio.name, e.date, labels[str(e.purpose)], e.amount_yuan, e.voucher, e.note or ""])
        for code, label in labels.items():
            total = sum(e.amount_yuan for e in expenses if str(e.purpose) == code)
            if total:
                rows.append([studio.name, None, f"{label} 小计", total, "", ""])
        spent = sum(f.spent for f in records)
        rows.append([studio.name, None, "合计" if expenses else "合计（未列明细）", spent, "",
                     f"预算 {budget:,.0f} 元" + ("；超出预算" if spent > budget else "")])
    allowed = report.repo.standards
    basis = allowed.basis("funding.allowed_purposes").label()
    _setup(ws, ["工作室", "日期", "用途", "金额（元）", "凭证号", "说明"], rows,
           f"{year} 年经费支出明细（允许的用途依据：{basis}）")
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=2).number_format = "yyyy-mm-dd"
        ws.cell(row=r, column=4).number_format = "#,##0.00"
        if str(ws.cell(row=r, column=3).value or "").endswith(("小计", "合计", "合计（未列明细）")):
            for c in range(1, 7):
                ws.cell(row=r, column=c).font = Font(bold=True)


def add_bases(wb: Workbook, report: Report) -> None:
    """A sheet of every threshold of the six standards with its value and basis (《实施意见》条款 or 本校细则)."""
    from .render.view import standard_bases
    from .rules import RULES
    from .rules.ruledoc import format_value
    from .standards import short_name

    std = report.repo.standards
    bases = standard_bases(std)
    rows: list[list] = []
    for code, (zh, _en) in STANDARDS.items():
        rows.append([f"{code} {zh}", "", "", bases[code]])
        for rule in sorted((r for r in RULES.values() if r.standard == code), key=lambda r: r.code):
            for path in rule.all_thresholds():
                rows.append([f"{rule.code} {rule.title[0]}", short_name(path), format_value(path, std.value(path)),
                             std.basis(path).label()])
    _setup(wb.create_sheet("标准依据"), ["标准/规则", "阈值", "取值", "依据"], rows,
           f"“六有”标准的阈值与依据（union/standards.yml，评价日期 {report.as_of}）")
