"""The annual inspection workbook (Excel) for the union: a summary sheet and one sheet per studio.

Printing is part of the job: the union hands the workbook on as paper. Every sheet prints on A4 at a
legible size (no shrink-to-fit below ``MIN_SCALE``): the summary prints across several pages, one group
of columns (basics, the six standards, activities and achievements, money and inspection, ...) per page,
with the studio column and the header row repeated on each; header and footer carry the organisation,
the year and "page x of y". Cells use 宋体, which Office and WPS both have.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from . import model as m
from .check import Report
from .corpus import StudioFolder
from .domain.inspections import held_plaque_in, inspection_round
from .rules.registry import RULES, STANDARDS
from .rules.ruledoc import format_value
from .standards import short_name

FONT_NAME = "宋体"  # SimSun: in every Office and WPS install that shows Chinese
FONT_SIZE = 10.5  # 五号
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="FFFFFF")
BODY_FONT = Font(name=FONT_NAME, size=FONT_SIZE)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
SECTION_FONT = Font(name=FONT_NAME, size=12, bold=True)
UNMET_FILL = PatternFill("solid", fgColor="FFCDD2")
MET_FILL = PatternFill("solid", fgColor="C8E6C9")
THIN = Side(style="thin", color="BDBDBD")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TYPES = m.AchievementType.labels()
DATE_FORMAT = "yyyy-mm-dd"
DATE_WIDTH = 12.5  # "2025-12-31" in 宋体 10.5 pt with room to spare: no ##### in any office suite
# A4 landscape less 1.8 cm margins holds about 110 width units at full size as LibreOffice prints them
# (a unit is one digit of the default font; Office and WPS, with 宋体 itself, fit more).
PAGE_WIDTH = 92
LINE_HEIGHT = 15.5  # points per line of 10.5 pt text (LibreOffice prints them 15.2 pt apart)
MAX_WIDTH = 36  # widest column; longer text wraps
KEY_WIDTH = 20  # the studio column repeated on every summary page: long names wrap to two lines
MIN_SCALE = 100  # print at full size: 10.5 pt on paper


def _width(text) -> float:
    """Display width of a cell text in digit widths: CJK characters count double."""
    if isinstance(text, (dt.date, dt.datetime)):
        return 10
    if isinstance(text, bool):
        return 5
    if isinstance(text, (int, float)):  # as shown with thousands separators and two decimals, in bold
        return len(f"{text:,.2f}") + 1
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _header_width(header: str) -> float:
    """A header wraps at its spaces and before a parenthesis, and a long piece onto up to three lines:
    the widest line sets the column."""
    pieces = [p for p in re.split(r"\s+|(?=（)", header) if p]
    return max((-(-_width(p) // 3) if _width(p) > 6 else _width(p) for p in pieces), default=0)


def _printed(text: str) -> float:
    """Printed width of a text in column-width units: a unit prints about 7.2 pt wide (LibreOffice, 宋体
    10.5 pt), a CJK character 10.5 pt (1.5 units), a Latin letter or digit about half that (rounded up)."""
    return sum(1.55 if ord(ch) > 0x2E80 else 0.85 for ch in text)


def _wrapped(value, width: float) -> int:
    """Lines of a wrapped cell in a column ``width`` units wide."""
    if value is None or isinstance(value, (int, float, dt.date)):
        return 1
    room = max(1.0, width - 2.5)  # the cell's padding, and a word or number that wraps whole
    return sum(max(1, -(-int(_printed(para) * 10) // int(room * 10))) for para in str(value).split("\n"))


def _fit_rows(ws: Worksheet, rows: range | None = None) -> None:
    """Row heights for wrapped text: office suites keep a row one line high unless told."""
    merged = {cell for rng in ws.merged_cells.ranges for row in rng.rows for cell in row}
    for r in rows or range(1, ws.max_row + 1):
        lines = 1
        for cell in ws[r]:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            width = ws.column_dimensions[get_column_letter(cell.column)].width or 8.43
            lines = max(lines, _wrapped(cell.value, width) if cell.alignment.wrap_text or cell.row == 1 else 1)
        ws.row_dimensions[r].height = round(lines * LINE_HEIGHT + 3, 1)


def _style_header(cell) -> None:
    cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = BORDER


def _style_body(cell) -> None:
    cell.font = BODY_FONT
    cell.border = BORDER
    if isinstance(cell.value, (dt.date, dt.datetime)):
        cell.number_format = DATE_FORMAT
        cell.alignment = Alignment(horizontal="left", vertical="top")
    else:
        cell.alignment = Alignment(vertical="top", wrap_text=True)


def _print_setup(ws: Worksheet, org: str, title: str, year: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = MIN_SCALE
    ws.sheet_properties.pageSetUpPr.fitToPage = False  # never shrink the text to fit
    ws.print_options.horizontalCentered = False
    ws.page_margins.left = ws.page_margins.right = 0.7
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    for hf in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        for part, text in ((hf.left, org), (hf.center, title), (hf.right, f"{year} 年度")):
            part.text, part.font, part.size = text, f"{FONT_NAME},{'Bold' if part is hf.center else 'Regular'}", 9
    for hf in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        for part, text in ((hf.center, "第 &P 页，共 &N 页"), (hf.right, "&A")):  # &A: the sheet's name
            part.text, part.font, part.size = text, f"{FONT_NAME},Regular", 9


def _set_widths(ws: Worksheet, widths: dict[int, float]) -> None:
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = round(min(MAX_WIDTH, max(6.0, w + 2)), 1)


def _write_table(ws: Worksheet, headers: list[str], rows: list[list]) -> None:
    """The header row and the rows, styled."""
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        _style_header(cell)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            _style_body(cell)


def _summary(ws: Worksheet, headers: list[str], rows: list[list], widths: list[float], pages: list[int]) -> None:
    """One table of the studios in fixed, wrapped columns; ``pages`` are the first columns of the printed pages
    after the first (the studio column is repeated on each)."""
    _write_table(ws, headers, rows)
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    _fit_rows(ws)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.print_title_cols = "A:A"
    for first in pages:
        ws.col_breaks.append(Break(id=first - 1))  # a break after the column before this one


def _setup(ws: Worksheet, headers: list[str], rows: list[list], title: str) -> None:
    """A sheet holding one table: styled header, wrapped cells, widths from the contents (dates never
    overflow), the header row repeated on every printed page. Header and footer are set with the rest of
    the workbook's (build_workbook), from ``title``."""
    _write_table(ws, headers, rows)
    widths = {}
    for c, header in enumerate(headers, start=1):
        values = [r[c - 1] for r in rows if c - 1 < len(r) and r[c - 1] is not None]
        widths[c] = max([_header_width(header)] + [DATE_WIDTH - 2 if isinstance(v, dt.date) else _width(v)
                                                   for v in values])
    while sum(min(MAX_WIDTH, max(6.0, w + 2)) for w in widths.values()) > PAGE_WIDTH:
        c = max(widths, key=lambda k: widths[k])
        widths[c] = widths[c] - 2
    _set_widths(ws, widths)
    _fit_rows(ws)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = title


LEDGER_HEADERS = ["类别", "日期", "数量/类型", "内容（活动、成果、文号、检查意见）", "人次"]
LEDGER_WIDTHS = [6.5, DATE_WIDTH, 9.5, 68.0, 6.5]  # 103: a landscape A4 page at full size


PAGE_HEIGHT = 470  # points of rows on a landscape A4 page (less margins, header and footer)


def _page_used(ws: Worksheet) -> float:
    """Points of rows already on the page the next row would start (from the last row break)."""
    start = max((b.id for b in ws.row_breaks.brk), default=0)
    used = 0.0
    for r in range(start + 1, ws.max_row + 1):
        height = ws.row_dimensions[r].height or LINE_HEIGHT
        if used + height > PAGE_HEIGHT:  # the row printed on a new page
            used = 0.0
        used += height
    return used


def _block(ws: Worksheet, title: str, facts: str, rows: list[list], history: list[list], empty: str) -> None:
    """One studio's part of the 台账与成果 sheet: its title, key facts, then one table (its year's ledger by
    month, achievements, the union's decisions and inspections), below the studio before it."""
    ncols = len(LEDGER_HEADERS)
    first = rows[0] if rows else history[0] if history else [empty]
    head = (2 + _wrapped(facts, sum(LEDGER_WIDTHS)) + max(_wrapped(v, LEDGER_WIDTHS[c]) for c, v in
                                                          enumerate(first))) * LINE_HEIGHT + 40
    used = _page_used(ws)
    if ws.max_row > 1 and used + LINE_HEIGHT + head > PAGE_HEIGHT:  # title, facts, header and a first row
        ws.row_breaks.append(Break(id=ws.max_row))  # together: start the studio on a new page
    elif ws.max_row > 1:
        ws.append([])
    ws.append([title])
    ws.cell(row=ws.max_row, column=1).font = SECTION_FONT
    ws.append([facts])
    r = ws.max_row
    ws.cell(row=r, column=1).font = BODY_FONT
    ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = round(_wrapped(facts, sum(LEDGER_WIDTHS)) * LINE_HEIGHT + 3, 1)
    ws.append(LEDGER_HEADERS)
    for cell in ws[ws.max_row]:
        _style_header(cell)
    if not rows:
        ws.append([empty])
        ws.cell(row=ws.max_row, column=1).font = BODY_FONT
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=ncols)
    for row in rows + history:
        ws.append(row)
        for cell in ws[ws.max_row][:ncols]:
            _style_body(cell)
        ws.row_dimensions[ws.max_row].height = round(max(
            _wrapped(v, LEDGER_WIDTHS[c]) for c, v in enumerate(row)) * LINE_HEIGHT + 3, 1)


def _round_text(records: list) -> tuple[str, str]:
    """The result and remarks of a studio's inspection round: one record as it is; a rectification and its
    re-inspection as a sequence with dates (限期整改（2025-12-12）；合格（2026-06-26））."""
    labels = m.InspectionResult.labels()
    if not records:
        return "无记录", ""
    if len(records) == 1:
        return labels[str(records[0].result)], records[0].findings
    return ("；".join(f"{labels[str(i.result)]}（{i.date.isoformat()}）" for i in records),
            "\n".join(f"{i.date.isoformat()}：{i.findings}" for i in records if i.findings))


def build_workbook(report: Report, year: int, organisation: str = "",
                   recorded_until: dt.date | None = None) -> Workbook:
    """The workbook of ``year``: standards and status as of ``report.as_of``; the inspection columns show the
    year's round (union/inspections/<year>.yml) as recorded by ``recorded_until`` (default: the same date).
    It lists the studios that held a plaque at any time in ``year`` (rules.md, "Public counts and lists")."""
    org = organisation or "工会"
    wb = Workbook()
    wb._named_styles["Normal"].font = Font(name=FONT_NAME, size=FONT_SIZE)  # empty cells too
    folders = [f for f in report.repo.studios if held_plaque_in(report.statuses[f.slug], year)]
    _summary_sheet(wb.active, report, folders, year, org, recorded_until or report.as_of)
    _ledger_sheet(wb.create_sheet("台账与成果"), report, folders, year)
    add_expenses(wb, report, year, {f.slug for f in folders})
    add_bases(wb, report)
    for sheet in wb.worksheets[1:]:  # the sheets added above: same print setup
        _print_setup(sheet, org, sheet.oddHeader.center.text or sheet.title, year)
    wb.properties.creator = "innostudio"
    wb.properties.title = f"{year} 年度创新工作室检查"
    fixed = dt.datetime.combine(report.as_of, dt.time())
    wb.properties.created = wb.properties.modified = fixed  # reproducible files
    return wb


def _achievements_text(folder: StudioFolder, year: int) -> str:
    achs = [a for a in folder.achievement_models() if a.date.year == year]
    kinds = "、".join(f"{label} {n}" for code, label in TYPES.items()
                     if (n := sum(1 for a in achs if str(a.type) == code)))
    return f"{len(achs)} 项" + (f"：{kinds}" if kinds else "")


def _summary_sheet(ws: Worksheet, report: Report, folders: list[StudioFolder], year: int, org: str,
                   recorded_until: dt.date) -> None:
    """汇总: a line per studio in two printed pages: its standing (status, the six standards as of the
    evaluation date), then its year's work, money and inspection round."""
    ws.title = "汇总"
    results = {r.slug: r for r in report.studios}
    rounds = inspection_round(report.repo, year, recorded_until)
    six = [f"{c} {zh}" for c, (zh, _en) in STANDARDS.items()]
    headers = ["工作室", "单位／领衔人", "状态"] + six + ["六有达标", f"{year}年活动次数", f"{year}年成果（按类型）",
                                                    f"{year}年预算（元）", f"{year}年支出（元）", f"{year}年检查结果",
                                                    "检查意见"]
    rows: list[list] = []
    for folder in folders:
        studio, res = folder.studio, results[folder.slug]
        result, remarks = _round_text(rounds.get(folder.slug, []))
        funding = [f for f in (studio.funding or []) if f.year == year] if studio else []
        rows.append([res.name, f"{studio.unit}\n{studio.leader.name}" if studio else "", m.Status.labels()[res.status]]
                    + [("达标" if res.standards.get(c) else "未达标") if res.evaluated else "未评价" for c in STANDARDS]
                    + [f"{res.met}/6", sum(1 for a in folder.activities() if a.date.year == year),
                       _achievements_text(folder, year), sum(f.budget_yuan for f in funding) if funding else None,
                       sum(f.spent for f in funding) if funding else None, result, remarks])
    widths = [KEY_WIDTH, 14.0, 8.0] + [7.5] * 6 + [7.0, 7.5, 18.0, 10.5, 10.5, 16.0, 21.0]
    _summary(ws, headers, rows, widths, pages=[len(six) + 5])
    title = f"{year} 年度创新工作室检查汇总（评价日期 {report.as_of}" + (
        f"；检查结果记录至 {recorded_until}）" if recorded_until != report.as_of else "）")
    _print_setup(ws, org, title, year)
    for r in range(2, ws.max_row + 1):
        for col in range(4, 4 + len(six)):
            cell = ws.cell(row=r, column=col)
            cell.fill = MET_FILL if cell.value == "达标" else UNMET_FILL
            cell.alignment = Alignment(horizontal="center", vertical="top")
        for col in (len(six) + 7, len(six) + 8):
            ws.cell(row=r, column=col).number_format = "#,##0"


def _ledger_row(acts: list) -> list:
    """The year's ledger in one wrapped row: how many activities, in how many months, of which kinds, then
    each activity's date and kind."""
    kinds = m.ActivityKind.labels()
    acts = sorted(acts, key=lambda a: a.date)
    counts = "、".join(f"{label} {n}" for code, label in kinds.items()
                       if (n := sum(1 for a in acts if str(a.kind) == code)))
    months = len({a.date.month for a in acts})
    listed = "；".join(f"{a.date.isoformat()} {kinds[str(a.kind)]}" for a in acts)
    return ["台账", None, f"{len(acts)} 次", f"分布在 {months} 个月：{counts}\n{listed}",
            sum(a.participants for a in acts)]


def _joined(text: str, note: str) -> str:
    return f"{text}\n{note}" if note else text


def _history(report: Report, slug: str, year: int) -> list[list]:
    """The union's decisions and inspections of a studio, all years, a row each (what, when, 文号); the notes
    and findings of ``year``'s records and round in full."""
    decisions = sorted((d for _doc, _i, d in report.repo.decisions if d.studio == slug and d.date <= report.as_of),
                       key=lambda d: d.date)
    checks = sorted((i for doc, _i, i in report.repo.inspections if i.studio == slug and i.date <= report.as_of),
                    key=lambda i: i.date)
    labels, results = m.Action.labels(), m.InspectionResult.labels()
    rows = []
    if decisions:
        rows.append(["决定", None, f"{len(decisions)} 项", "；".join(
            f"{d.date.isoformat()} {labels[str(d.action)]}" + (f"（{d.document}）" if d.document else "")
            + (f"，整改期限 {d.deadline}" if d.deadline else "") + (f"：{d.note}" if d.note and d.date.year >= year
                                                                    else "") for d in decisions), None])
    if checks:
        rows.append(["检查", None, f"{len(checks)} 次", "；".join(
            f"{i.date.isoformat()} {results[str(i.result)]}" + (f"，整改期限 {i.deadline}" if i.deadline else "")
            + (f"：{i.findings}" if i.date.year >= year else "") for i in checks), None])
    return rows


def _ledger_sheet(ws: Worksheet, report: Report, folders: list[StudioFolder], year: int) -> None:
    """台账与成果: for each studio, one after the other, its year's ledger (one wrapped row), achievements and
    the union's records; long text wraps in fixed columns."""
    results = {r.slug: r for r in report.studios}
    for c, w in enumerate(LEDGER_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    title = f"{year} 年台账与成果"
    for folder in folders:
        studio, res = folder.studio, results[folder.slug]
        name = studio.name if studio else folder.slug
        acts = [a for a in folder.activities() if a.date.year == year]
        achs = sorted((a for a in folder.achievement_models() if a.date.year == year), key=lambda a: a.date)
        rows = ([_ledger_row(acts)] if acts else []) + [
            ["成果", a.date, TYPES[str(a.type)], _joined(a.title, "；".join(x for x in (
                m.Level.labels().get(str(a.level), "") if a.level else "", a.identifier or "", "、".join(a.members))
                if x)), len(a.members) or None] for a in achs]
        history = _history(report, folder.slug, year)
        last = max((i for _d, _i, i in report.repo.inspections if i.studio == folder.slug and i.date <= report.as_of),
                   key=lambda i: i.date, default=None)
        facts = "；".join(f"{k}：{v}" for k, v in (
            ("单位", studio.unit if studio else ""), ("领衔人", studio.leader.name if studio else ""),
            ("状态", m.Status.labels()[res.status]), ("六有达标", f"{res.met}/6" if res.evaluated else "未评价"),
            ("最近检查", f"{last.date} {m.InspectionResult.labels()[str(last.result)]}" if last else "无记录"))
            if v)
        _block(ws, f"{name} {year} 年台账与成果", facts, rows, history, f"{year} 年没有台账和成果记录。")
    ws.print_title_rows = None
    ws.oddHeader.center.text = title


def write_workbook(report: Report, year: int, root: Path, recorded_until: dt.date | None = None) -> Path:
    out = root / "build" / "reports" / f"inspection-{year}.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".xlsx.tmp")
    build_workbook(report, year, report.repo.settings.organisation, recorded_until).save(tmp)
    tmp.replace(out)
    return out


def add_expenses(wb: Workbook, report: Report, year: int, only: set[str] | None = None) -> None:
    """A sheet of the year's expenses (``only``: of those studios), a row per studio: its budget and spending,
    then every expense by purpose with the purpose's subtotal (专款专用、手续完备)."""
    ws = wb.create_sheet("经费支出")
    labels = m.ExpensePurpose.labels()
    rows: list[list] = []
    for folder in report.repo.studios:
        studio = folder.studio
        if studio is None or (only is not None and folder.slug not in only):
            continue
        records = [f for f in studio.funding or [] if f.year == year]
        if not records:
            continue
        expenses = sorted((e for f in records for e in f.expenses or []), key=lambda e: e.date)
        lines = []
        for code, label in labels.items():
            items = [e for e in expenses if str(e.purpose) == code]
            if items:
                lines.append(f"{label} 小计 {sum(e.amount_yuan for e in items):,.2f}：" + "；".join(
                    f"{e.date.isoformat()} {e.voucher} {e.amount_yuan:,.2f}" + (f" {e.note}" if e.note else "")
                    for e in items))
        budget, spent = sum(f.budget_yuan for f in records), sum(f.spent for f in records)
        rows.append([studio.name, budget, spent, "\n".join(lines) if lines else "未列明细（只有支出总额）"
                     + ("；超出预算" if spent > budget else "")])
    basis = report.repo.standards.basis("funding.allowed_purposes").label()
    _setup(ws, ["工作室", "预算（元）", "支出合计（元）", "逐笔支出（按用途：日期、凭证号、金额、说明）"], rows,
           f"{year} 年经费支出明细（允许的用途依据：{basis}）")
    for c, w in enumerate([KEY_WIDTH, 11.0, 11.0, 61.0], start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    _fit_rows(ws)
    for r in range(2, ws.max_row + 1):
        for c in (2, 3):
            ws.cell(row=r, column=c).number_format = "#,##0.00"


def add_bases(wb: Workbook, report: Report) -> None:
    """A sheet of the six standards' thresholds, a row per rule: each threshold with its value, and the
    basis (the policy clause or the local label)."""
    std = report.repo.standards
    rows: list[list] = []
    for code, (zh, _en) in STANDARDS.items():
        named = False  # the standard's name on its first row
        for rule in RULES.of_standard(code):
            paths = rule.all_thresholds()
            if paths:
                label = f"{rule.code} {rule.title[0]}" if named else f"{code} {zh}\n{rule.code} {rule.title[0]}"
                named = True
                rows.append([label, "；".join(
                    f"{short_name(p)}：{format_value(p, std.value(p))}" for p in paths),
                    "；".join(dict.fromkeys(std.basis(p).label() for p in paths))])
    ws = wb.create_sheet("标准依据")
    _setup(ws, ["标准/规则", "阈值：取值", "依据"], rows,
           f"“六有”标准的阈值与依据（union/standards.yml，评价日期 {report.as_of}）")
    for c, w in enumerate([20.0, 53.0, 30.0], start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    _fit_rows(ws)
