"""What the public site says about the lifecycle (issue 9): overdue rectification, archived studios,
the annual inspection pages."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from conftest import BASE_AS_OF, build_site, run

POLICY_SENTENCE = "检查不达标的不限期整改，整改不达标的不予以摘牌"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _html(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_overdue_rectification_says_so_on_the_studio_page_and_in_status(base: Path):
    (base / "union/inspections/2026.yml").write_text(
        "inspections:\n  - {studio: alpha, date: 2026-01-10, result: rectify, findings: 台账不全, deadline: 2026-04-30}\n",
        encoding="utf-8")
    from innostudio.check import run as check_run
    from innostudio.render.site import render_site
    from innostudio.render.view import SiteConfig

    outputs, _home = render_site(check_run(base, dt.date(2026, 6, 30)), SiteConfig())
    page = next(o for o in outputs if o.path == "studios/alpha/index.md").content
    assert "整改逾期" in page and "2026-04-30" in page
    cards = next(o for o in outputs if o.path == "studios/index.md").content
    assert "整改逾期" in cards
    # before the deadline it is an ordinary rectification
    outputs, _home = render_site(check_run(base, dt.date(2026, 4, 20)), SiteConfig())
    page = next(o for o in outputs if o.path == "studios/alpha/index.md").content
    assert "整改逾期" not in page and "限期整改中" in page
    status = run("status", "alpha", "--as-of", BASE_AS_OF, cwd=base)
    assert "整改逾期" in status.out
    assert "整改逾期" not in run("status", "alpha", "--as-of", "2026-04-20", cwd=base).out


def test_archived_studio_shows_its_six_standards_as_of_its_revocation(sample_site: Path):
    html = _html(sample_site, "studios/huli-gexin/index.html")
    text = _text(html)
    assert "摘牌时（2025-06-25）" in text  # the failed re-inspection; the 文号 of 07-08 confirms it
    # the team as it stood then: two members had left by then, a third left in 2025-09 (today: 2 people)
    assert "团队 3 人（含领衔人）" in text and "除领衔人外只有 2 名在册成员" in text
    # windows end on the revocation date: nothing of the evaluation date's funding window (2025/2026)
    assert "2025/2026" not in text


def test_inspection_year_page_quotes_the_policy_and_lists_rectifying_marked(sample_site: Path):
    for rel in ("inspections/index.html", "inspections/2024/index.html"):
        text = _text(_html(sample_site, rel))
        # the clause verbatim and the portal's reading of it, both from union/policy.yml
        assert POLICY_SENTENCE in text and "本网站按以下理解执行： 检查不达标的限期整改，整改不达标的予以摘牌" in text
        assert "明显本意" not in text
    # rules.md, "Public counts and lists": the 授牌名单 lists every studio holding a plaque at the year's end,
    # a rectifying one marked 整改中 (as the home page counts it among 已授牌)
    text = _text(_html(sample_site, "inspections/2024/index.html"))
    listed = text.split("授牌名单", 1)[1].split("年度检查结果")[0]
    assert "精准药学创新工作室 （药学院分工会，已授牌）" in listed
    assert "护理技术革新工作室" in listed and "整改中，整改期限 2025-06-30" in listed
    # a studio revoked before the year's end is not listed
    listed_2025 = _text(_html(sample_site, "inspections/2025/index.html")).split("授牌名单", 1)[1].split(
        "年度检查结果")[0]
    assert "护理技术革新工作室" not in listed_2025
    assert "尚无检查记录" not in text


def test_inspections_page_says_when_results_are_due_as_d003_does(sample_site: Path):
    text = _text(_html(sample_site, "inspections/index.html"))
    assert "检查结果在每年 3 月 31 日前登记（本校细则）" in text and "满 6 个月" in text


def test_a_year_without_inspection_records_is_a_gap(base: Path):
    (base / "union/inspections/2025.yml").unlink()
    build_site(base, BASE_AS_OF)
    text = _text(_html(base / "build/site", "inspections/2025/index.html"))
    assert "检查记录缺失" in text and "阿尔法创新工作室" in text.split("检查记录缺失")[1]
    assert "尚无检查记录" not in text
    assert POLICY_SENTENCE in text


def test_current_year_gap_is_shown_as_not_yet_due(sample_site: Path):
    # plain wording, no bold 检查记录缺失, for an inspection that is not yet due
    text = _text(_html(sample_site, "inspections/2026/index.html"))
    assert "检查记录缺失" not in text
    gap = text.split("年度检查结果还没有登记", 1)[1].split("本年度工会决定")[0]
    assert "2027-03-31 前登记，现在还没有到这个日期" in gap
    assert "精准药学创新工作室" in gap and "护理技术革新工作室" not in gap  # revoked: not due


def test_a_stray_fail_never_tells_the_public_the_plaque_was_lost(base: Path):
    # rules.md, Status: a union record with an L004 error is left out of the public status; the studio page says
    # 状态待核实 beside the status derived without it; the cards and counts show that status too
    (base / "union/inspections/2026.yml").write_text(
        "inspections:\n  - {studio: alpha, date: 2026-01-10, result: fail, findings: 误录}\n", encoding="utf-8")
    from innostudio.check import run as check_run
    from innostudio.render.site import render_site
    from innostudio.render.view import SiteConfig

    report = check_run(base, dt.date(2026, 6, 30))
    assert report.facts.statuses["alpha"].under_review is True
    outputs, _home = render_site(report, SiteConfig())
    page = _text(next(o for o in outputs if o.path == "studios/alpha/index.md").content)
    assert "状态待核实" in page and "已授牌" in page and "已摘牌" not in page
    cards = _text(next(o for o in outputs if o.path == "studios/index.md").content)
    assert "阿尔法创新工作室 已授牌 状态待核实" in cards and "状态 全部状态 已授牌 阿尔法" in cards
    # the open data says the same: the status without the record, and under_review (federation.md)
    api = json.loads(next(o for o in outputs if o.path == "api/studios.json").content)
    alpha = next(s for s in api["items"] if s["slug"] == "alpha")
    assert alpha["status"] == "accredited" and alpha["under_review"] is True
    status = run("status", "alpha", "--as-of", BASE_AS_OF, cwd=base)
    assert "状态待核实" in status.out and "已授牌" in status.out
    # the left-out record itself is not listed among the year's inspection results
    year = _text(next(o for o in outputs if o.path == "inspections/2026/index.md").content)
    assert "误录" not in year and "年度检查结果还没有登记" in year
    # fixed: the record is gone, and so is the note
    (base / "union/inspections/2026.yml").unlink()
    outputs, _home = render_site(check_run(base, dt.date(2026, 6, 30)), SiteConfig())
    assert "状态待核实" not in next(o for o in outputs if o.path == "studios/alpha/index.md").content
