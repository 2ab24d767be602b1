"""Render a check report as text, GitHub annotations or JSON, and the 六有 matrix for `status`."""
from __future__ import annotations

import json
from collections import Counter

from .check import Report, StudioResult
from .model import Status
from .rules.registry import STANDARDS, standard_bases

SEVERITY_WORD = {"zh": {"warning": "警告", "info": "提示", "error": "错误"},
                 "en": {"warning": "warning", "info": "info", "error": "error"}}


def format_text(report: Report, lang: str = "zh", only: set[str] | None = None) -> str:
    out = []
    words = SEVERITY_WORD[lang]
    for f in report.findings:
        suffix = "" if f.severity == "error" else f" [{words[f.severity]}]"
        out.append(f"{f.place}: {f.code} {f.message}{suffix}")
    if out:
        out.append("")
    errors = Counter(f.studio for f in report.findings if f.severity == "error")  # once, not once per studio
    for s in report.studios:
        if only is not None and s.slug not in only:
            continue
        out.append(_summary_line(s, report, lang, errors[s.slug]))
    e, w, i = report.count("error"), report.count("warning"), report.count("info")
    if lang == "en":
        out.append(f"{len(report.studios)} studios, as of {report.as_of}: {e} errors, {w} warnings, {i} info")
    else:
        out.append(f"共 {len(report.studios)} 个工作室，评价日期 {report.as_of}：错误 {e} 个，警告 {w} 个，提示 {i} 个")
    return "\n".join(out) + "\n"


def _mark(s: StudioResult, code: str) -> str:
    return "?" if code in s.blocked else ("✓" if s.standards[code] else "✗")


def _summary_line(s: StudioResult, report: Report, lang: str, errors: int | None = None) -> str:
    marks = " ".join(f"{k}{_mark(s, k)}" for k in s.standards)
    if s.blocked:  # a third state: the standard's input is broken, so it is neither met nor unmet
        marks += (f" (? = cannot be judged: {len(s.blocked)})" if lang == "en" else
                  f"（? 无法评价 {len(s.blocked)} 项：先修正出错的文件）")
    if errors is None:
        errors = sum(f.severity == "error" and f.studio == s.slug for f in report.findings)
    status = Status.label_of(s.status, lang)
    if report.statuses[s.slug].overdue(report.as_of):
        status += ", overdue" if lang == "en" else "，整改逾期"
    if s.under_review:
        status += ", under review: a union record is left out" if lang == "en" else "，状态待核实"
    if lang == "en":
        six = f"{s.met}/6 {marks}" if s.evaluated else "not evaluated (studio.yml has errors)"
        return f"{s.slug}: {s.name} [{status}] six standards {six}; {errors} errors"
    six = f"{s.met}/6 {marks}" if s.evaluated else "未评价（studio.yml 有错误）"
    return f"{s.slug}：{s.name}【{status}】六有 {six}；错误 {errors} 个"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(report: Report) -> str:
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for f in report.findings:
        props = []
        if f.path:
            props.append(f"file={_gh_escape(f.path, True)}")
        if f.line is not None:
            props.append(f"line={f.line}")
            props.append(f"col={f.column or 1}")
        props.append(f"title={_gh_escape(f.code, True)}")
        out.append(f"::{kinds[f.severity]} {','.join(props)}::{_gh_escape(f.message)}")
    return "\n".join(out) + ("\n" if out else "")


def format_json(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=1) + "\n"


def _bases(report: Report) -> dict[str, str]:
    return standard_bases(report.repo.standards)


def format_status(report: Report, lang: str = "zh", slug: str | None = None) -> str:
    out = []
    for s in report.studios:
        if slug is not None and s.slug != slug:
            continue
        info = report.statuses[s.slug]
        status = Status.label_of(s.status, lang)
        rec = ("，已推荐省级示范" if lang != "en" else ", recommended") if s.recommended else ""
        if s.under_review:
            rec += ("; under review (a union record with an L001/L004 error is left out)" if lang == "en" else
                    "；状态待核实（有一条工会记录不符合政策顺序，未计入，见 L001/L004）")
        out.append(f"{s.name}（{s.slug}）" if lang != "en" else f"{s.name} ({s.slug})")
        if lang == "en":
            out.append(f"  status: {status}{rec}; six standards: {s.met}/6 as of {report.as_of}")
        else:
            out.append(f"  状态：{status}{rec}；六有：{s.met}/6（评价日期 {report.as_of}）")
        revoked = info.revocation()
        if revoked is not None:  # the date and 文号 instead of a 6/6 matrix
            docs = "、".join(revoked[1])
            out.append(f"  revoked on {revoked[0]}" + (f" ({docs})" if docs else "") + "; the six standards are no "
                       "longer evaluated" if lang == "en" else f"  摘牌：{revoked[0]}" + (f"（{docs}）" if docs else "")
                       + "；已摘牌的工作室不再评价“六有”")
            out.append("")
            continue
        if info.status == "rectifying" and info.rectify is not None and info.rectify.deadline:
            late = info.overdue(report.as_of)
            if lang == "en":
                out.append(f"  rectification deadline: {info.rectify.deadline}" + (" (OVERDUE)" if late else ""))
            else:
                out.append(f"  整改期限：{info.rectify.deadline}"
                           + ("（整改逾期：期限已过，尚无复查结果）" if late else ""))
        if not s.evaluated:
            out.append("  studio.yml 有错误，六有未评价：先运行 innostudio check 修正" if lang != "en" else
                       "  studio.yml has errors: six standards not evaluated; run innostudio check")
            out.append("")
            continue
        bases = _bases(report)
        for code, (zh, en) in STANDARDS.items():
            ok = s.standards[code]
            name = en if lang == "en" else zh
            mark = _mark(s, code)
            word = ("met" if ok else "unmet") if lang == "en" else ("达标" if ok else "未达标")
            if code in s.blocked:
                word = "cannot be judged" if lang == "en" else "无法评价"
            out.append(f"  {mark} {code} {name}：{word}  〔依据：{bases[code]}〕" if lang != "en" else
                       f"  {mark} {code} {name}: {word}  [basis: {bases[code]}]")
            for f in s.reasons[code]:
                out.append(f"      - {f.code} {f.message}")
        out.append("")
    if not out:
        return ""
    return "\n".join(out)


def format_status_markdown(report: Report, only: set[str] | None = None) -> str:
    """A Markdown table of the 六有 matrix (for a pull request's step summary)."""
    rows = [s for s in report.studios if only is None or s.slug in only]
    out = [f"### 六有达标情况（评价日期 {report.as_of}）", ""]
    if not rows:
        return "\n".join(out + ["本次修改没有涉及工作室。", ""])
    out.append("| 工作室 | 状态 | " + " | ".join(f"{c} {zh}" for c, (zh, _en) in STANDARDS.items())
               + " | 达标 | 错误 |")
    out.append("|---|---|" + "---|" * len(STANDARDS) + "---|---|")
    for s in rows:
        errors = sum(f.severity == "error" and f.studio == s.slug for f in report.findings)
        marks = " | ".join(("❔" if c in s.blocked else "✅" if s.standards[c] else "❌") if s.evaluated else "—"
                           for c in STANDARDS)
        name = s.name.replace("|", "\\|")
        late = "（整改逾期）" if report.statuses[s.slug].overdue(report.as_of) else ""
        out.append(f"| {name} | {Status.label_of(s.status, 'zh')}{late} | {marks} | {s.met}/6 | {errors} |")
    missing = [(s, f) for s in rows for code in STANDARDS for f in s.reasons[code]]
    if missing:
        out += ["", "<details><summary>未达标的原因</summary>", ""]
        out += [f"- **{s.name}** {f.code}：{f.message}" for s, f in missing]
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def format_gitlab(report: Report) -> str:
    """GitLab Code Quality report (forms.md): a JSON array, one object per finding.

    A finding without a file takes the closest file: its studio's studio.yml, else mkdocs.yml. The
    fingerprint hashes the rule code, path, studio and message (not the line), so the same finding
    keeps its fingerprint when lines above it move, and merge requests compare reports correctly.
    """
    import hashlib

    out = []
    seen: dict[str, int] = {}
    for f in report.findings:
        path = f.path or (f"studios/{f.studio}/studio.yml" if f.studio else "mkdocs.yml")
        basis = "\x1f".join([f.code, path, f.studio or "", f.message])
        digest = hashlib.sha256(basis.encode("utf-8")).hexdigest()
        n = seen.get(digest, 0)
        seen[digest] = n + 1
        if n:  # the same message twice in one file: keep fingerprints distinct and stable by order
            digest = hashlib.sha256(f"{basis}\x1f{n}".encode()).hexdigest()
        out.append({"description": f"{f.code} {f.message}", "check_name": f.code, "fingerprint": digest,
                    "severity": GITLAB_SEVERITY[f.severity],
                    "location": {"path": path, "lines": {"begin": f.line or 1}}})
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"
