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
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from . import model as m
from .check import Report, StudioResult
from .corpus import StudioFolder
from .domain.inspections import inspection_round
from .rules.registry import RULES, STANDARDS, standard_bases
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
LINE_HEIGHT = 14.5  # points per line of 10.5 pt text
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


def _lines(value, width: float) -> int:
    """How many lines a wrapped cell value takes in a column ``width`` units wide."""
    if value is None or isinstance(value, (int, float, dt.date)):
        return 1
    room = max(1, int(width - 1.5))
    lines = 0
    for para in str(value).split("\n"):  # a line breaks where a header breaks, then wherever it must
        line = 0
        for piece in (p for p in re.split(r"(?<=\s)|(?=（)", para) if p):
            w = int(_width(piece))
            if line and line + w > room:
                lines, line = lines + 1, 0
            lines += (line + w - 1) // room if line + w > room else 0
            line = (line + w) % room or (room if w else 0)
        lines += 1
    return max(1, lines)


def _fit_rows(ws: Worksheet, rows: range | None = None) -> None:
    """Row heights for wrapped text: office suites keep a row one line high unless told."""
    merged = {cell for rng in ws.merged_cells.ranges for row in rng.rows for cell in row}
    for r in rows or range(1, ws.max_row + 1):
        lines = 1
        for cell in ws[r]:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            width = ws.column_dimensions[get_column_letter(cell.column)].width or 8.43
            lines = max(lines, _lines(cell.value, width) if cell.alignment.wrap_text or cell.row == 1 else 1)
        ws.row_dimensions[r].height = round(lines * LINE_HEIGHT + 3, 1)


@dataclass
class Group:
    """Columns that belong on one printed page (e.g. the six standards)."""
    headers: list[str]
    values: list[list] = field(default_factory=list)  # one list per row


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


def _summary(ws: Worksheet, key: Group, groups: list[Group], title: str) -> None:
    """One table of all studios: the key column(s) then each group; printed one group per page."""
    headers = key.headers + [h for g in groups for h in g.headers]
    rows = [k + [v for g in groups for v in g.values[i]] for i, k in enumerate(key.values)]
    _write_table(ws, headers, rows)
    widths = {}
    for c, header in enumerate(headers, start=1):
        values = [r[c - 1] for r in rows]
        longest = max([_header_width(header)] + [_width(v) for v in values if v is not None])
        widths[c] = DATE_WIDTH - 2 if any(isinstance(v, dt.date) for v in values) and longest < DATE_WIDTH else longest
    widths[1] = min(widths[1], KEY_WIDTH - 2)
    _set_widths(ws, widths)
    _fit_rows(ws)
    ws.freeze_panes = ws.cell(row=2, column=len(key.headers) + 1).coordinate
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.print_title_cols = f"A:{get_column_letter(len(key.headers))}"
    # one page per group, or several groups on a page when they fit beside the repeated key column(s); a
    # group wider than a page is cut into even parts
    width = {c: ws.column_dimensions[get_column_letter(c)].width for c in range(1, len(headers) + 1)}
    key_width = sum(width[c] for c in range(1, len(key.headers) + 1))
    room = PAGE_WIDTH - key_width
    parts: list[list[int]] = []  # runs of columns that stay together on a page
    col = len(key.headers)
    for g in groups:
        cols = list(range(col + 1, col + len(g.headers) + 1))
        col += len(g.headers)
        total = sum(width[c] for c in cols)
        n = max(1, -(-int(total) // int(room)))
        target, run = total / n, []
        for c in cols:
            if run and sum(width[x] for x in run) + width[c] / 2 > target:
                parts.append(run)
                run = []
            run.append(c)
        parts.append(run)
    used = 0.0
    for run in parts:
        w = sum(width[c] for c in run)
        if used and used + w > room:
            ws.col_breaks.append(Break(id=run[0] - 1))  # a break after the column before this run
            used = 0.0
        used += w


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


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:28] or "工作室"
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base[:26]}{n}"
        n += 1
    used.add(candidate)
    return candidate


def _sections(ws: Worksheet, title: str, facts: list[tuple[str, str]],
              sections: list[tuple[str, list[str], list[list], str]]) -> None:
    """A studio sheet: a title, key facts, then sections (title, headers, rows, text when empty) one below
    the other, all in the same columns (dates in column B)."""
    ws.append([title])
    ws.cell(row=1, column=1).font = TITLE_FONT
    ncols = max(len(h) for _t, h, _r, _e in sections)
    ws.append([" ；".join(f"{k}：{v}" for k, v in facts if v)])
    ws.cell(row=2, column=1).font = BODY_FONT
    ws.cell(row=2, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.row_dimensions[2].height = 32
    widths: dict[int, float] = {}
    for sec_title, headers, rows, empty in sections:
        ws.append([])
        ws.append([sec_title])
        ws.cell(row=ws.max_row, column=1).font = SECTION_FONT
        ws.append(headers)
        for cell in ws[ws.max_row]:
            _style_header(cell)
        for c, h in enumerate(headers, start=1):
            widths[c] = max(widths.get(c, 0), _header_width(h))
        if not rows:
            ws.append([empty])
            ws.cell(row=ws.max_row, column=1).font = BODY_FONT
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(headers))
            continue
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row][:len(headers)]:
                _style_body(cell)
            for c, v in enumerate(row, start=1):
                if v is not None:
                    widths[c] = max(widths.get(c, 0), DATE_WIDTH - 2 if isinstance(v, dt.date) else _width(v))
    # the widest columns give way until the sheet fits the page at full size
    while sum(min(MAX_WIDTH, max(6.0, w + 2)) for w in widths.values()) > PAGE_WIDTH:
        c = max(widths, key=lambda k: widths[k])
        widths[c] = widths[c] - 2
    _set_widths(ws, widths)
    _fit_rows(ws, range(3, ws.max_row + 1))


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


def build_workbook(report: Report, year: int, organisation: str = "", recorded_until: dt.date | None = None) -> Workbook:
    """The workbook of ``year``: standards and status as of ``report.as_of``; the inspection columns show the
    year's round (union/inspections/<year>.yml) as recorded by ``recorded_until`` (default: the same date)."""
    repo = report.repo
    org = organisation or "工会"
    wb = Workbook()
    wb._named_styles["Normal"].font = Font(name=FONT_NAME, size=FONT_SIZE)  # empty cells too
    _summary_sheet(wb.active, report, year, org, recorded_until or report.as_of)
    used = {"汇总"}
    results = {r.slug: r for r in report.studios}
    for folder in repo.studios:
        _studio_sheet(wb, report, folder, results[folder.slug], year, org, used)
    add_expenses(wb, report, year)
    add_bases(wb, report)
    for sheet in wb.worksheets[1 + len(repo.studios):]:  # the sheets added above: same print setup
        _print_setup(sheet, org, sheet.oddHeader.center.text or sheet.title, year)
    wb.properties.creator = "innostudio"
    wb.properties.title = f"{year} 年度创新工作室检查"
    fixed = dt.datetime.combine(report.as_of, dt.time())
    wb.properties.created = wb.properties.modified = fixed  # reproducible files
    return wb


def _summary_sheet(ws: Worksheet, report: Report, year: int, org: str, recorded_until: dt.date) -> None:
    """汇总: a line per studio (its standards and status as of the evaluation date, the year's work and round)."""
    repo = report.repo
    ws.title = "汇总"
    results = {r.slug: r for r in report.studios}
    rounds = inspection_round(repo, year, recorded_until)
    key = Group(["工作室"])
    basics = Group(["单位", "领衔人", "状态"])
    six = Group([f"{c} {zh}" for c, (zh, _en) in STANDARDS.items()] + ["六有达标"])
    output = Group([f"{year}年活动次数", f"{year}年成果合计"] + list(TYPES.values()))
    money = Group([f"{year}年预算（元）", f"{year}年支出（元）", f"{year}年检查结果", "检查意见"])
    for folder in repo.studios:
        studio = folder.studio
        res = results[folder.slug]
        acts = [a for a in folder.activities() if a.date.year == year]
        achs = [a for a in folder.achievement_models() if a.date.year == year]
        funding = [f for f in (studio.funding or []) if f.year == year] if studio else []
        result, remarks = _round_text(rounds.get(folder.slug, []))
        key.values.append([res.name])
        basics.values.append([studio.unit if studio else "", studio.leader.name if studio else "",
                              m.Status.labels()[res.status]])
        six.values.append([("达标" if res.standards.get(c) else "未达标") if res.evaluated else "未评价"
                           for c in STANDARDS] + [f"{res.met}/6"])
        output.values.append([len(acts), len(achs)] + [sum(1 for a in achs if str(a.type) == code)
                                                        for code in TYPES])
        money.values.append([sum(f.budget_yuan for f in funding) if funding else None,
                             sum(f.spent for f in funding) if funding else None,
                             result, remarks])
    summary_title = f"{year} 年度创新工作室检查汇总（评价日期 {report.as_of}" + (
        f"；检查结果记录至 {recorded_until}）" if recorded_until != report.as_of else "）")
    _summary(ws, key, [basics, six, output, money], summary_title)
    _print_setup(ws, org, summary_title, year)
    headers = [c.value for c in ws[1]]
    for col, header in enumerate(headers, start=1):
        for r in range(2, ws.max_row + 1):
            cell = ws.cell(row=r, column=col)
            if header in six.headers[:-1]:
                cell.fill = MET_FILL if cell.value == "达标" else UNMET_FILL
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif header.endswith("（元）"):
                cell.number_format = "#,##0"


def _studio_sheet(wb: Workbook, report: Report, folder: StudioFolder, res: StudioResult, year: int, org: str,
                  used: set[str]) -> None:
    """A studio's sheet: the year's ledger and achievements, the union's decisions and inspections (all years)."""
    studio = folder.studio
    name = studio.name if studio else folder.slug
    sheet = wb.create_sheet(_sheet_name(name, used))
    acts = sorted((a for a in folder.activities() if a.date.year == year), key=lambda a: a.date)
    rows = [["台账", a.date, m.ActivityKind.labels()[str(a.kind)], a.title, a.participants, a.hours,
             a.project or "", a.summary] for a in acts]
    achs = sorted((a for a in folder.achievement_models() if a.date.year == year), key=lambda a: a.date)
    rows += [["成果", a.date, TYPES[str(a.type)], a.title, len(a.members) or None, None, a.project or "",
              "；".join(x for x in (m.Level.labels().get(str(a.level), "") if a.level else "",
                                    a.identifier or "", "、".join(a.members)) if x)] for a in achs]
    # the history sections keep the ledger's columns where they mean the same (dates in B, the long
    # text in D and H, deadlines in G), so that one set of widths suits every section
    decisions = sorted((d for _doc, _i, d in report.repo.decisions), key=lambda d: d.date)
    inspections = sorted((ins for _doc, _i, ins in report.repo.inspections), key=lambda x: x.date)
    history = [["决定", d.date, m.Action.labels()[str(d.action)], d.document, None, None, d.deadline,
                d.note or ""] for d in decisions if d.studio == folder.slug and d.date <= report.as_of]
    checks = [["检查", i.date, m.InspectionResult.labels()[str(i.result)], i.findings, None, None, i.deadline,
               ""] for i in inspections if i.studio == folder.slug and i.date <= report.as_of]
    facts = [("单位", studio.unit if studio else ""), ("领衔人", studio.leader.name if studio else ""),
             ("状态", m.Status.labels()[res.status]), ("六有达标", f"{res.met}/6" if res.evaluated else "未评价"),
             ("最近检查", f"{checks[-1][1].isoformat()} {checks[-1][2]}" if checks else "无记录")]
    title = f"{name} {year} 年台账与成果"
    _sections(sheet, title, facts, [
        (f"{year} 年台账与成果", ["类别", "日期", "类型", "名称", "人数", "时长（小时）", "课题", "摘要/说明"], rows,
         f"{year} 年没有台账和成果记录。"),
        ("校工会决定（历年）", ["类别", "日期", "决定", "文号", "", "", "整改期限", "说明"], history,
         "没有校工会决定记录。"),
        ("年度检查（历年）", ["类别", "日期", "结果", "检查意见", "", "", "整改期限", ""], checks, "没有检查记录。"),
    ])
    _print_setup(sheet, org, title, year)
    sheet.page_setup.orientation = "landscape"


def write_workbook(report: Report, year: int, root: Path, recorded_until: dt.date | None = None) -> Path:
    out = root / "build" / "reports" / f"inspection-{year}.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".xlsx.tmp")
    build_workbook(report, year, report.repo.settings.organisation, recorded_until).save(tmp)
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
                ws.cell(row=r, column=c).font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)


def add_bases(wb: Workbook, report: Report) -> None:
    """A sheet of every threshold of the six standards with its value and basis (the policy clause or the local label)."""
    std = report.repo.standards
    bases = standard_bases(std)
    rows: list[list] = []
    for code, (zh, _en) in STANDARDS.items():
        rows.append([f"{code} {zh}", "", "", bases[code]])
        for rule in RULES.of_standard(code):
            for path in rule.all_thresholds():
                rows.append([f"{rule.code} {rule.title[0]}", short_name(path), format_value(path, std.value(path)),
                             std.basis(path).label()])
    _setup(wb.create_sheet("标准依据"), ["标准/规则", "阈值", "取值", "依据"], rows,
           f"“六有”标准的阈值与依据（union/standards.yml，评价日期 {report.as_of}）")
