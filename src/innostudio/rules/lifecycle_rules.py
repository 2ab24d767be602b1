"""L and D rules: the plaque's lifecycle and daily management (the accredit, recommend, ledger and inspection
clauses)."""
from __future__ import annotations

import datetime as dt

from ..domain.six import STANDARDS
from ..domain.status import Event, has_honor_at, unknown_studio_events, years_between
from ..model import HOLDS_PLAQUE, Action, InspectionResult, Level, Status
from .base import Context, Hit, Severity, hit, rule


def _ev_hit(key: str, ev: Event, field: str, **params) -> Hit:
    return hit(key, ev.doc, ev.key, ev.index, field, **params)


def _lbl(ctx: Context, enum, code: str) -> str:
    return code if ctx.lang == "en" else enum.labels().get(code, code)


def _record_field(ev: Event) -> str:
    return "action" if ev.key == "decisions" else "result"


def _what(ctx: Context, ev: Event) -> str:
    """How a person names the record: the decision's action, or the inspection result that was written."""
    if ev.inspection:
        label = _lbl(ctx, InspectionResult, ev.result or "")
        return f"inspection result '{label}'" if ctx.lang == "en" else f"检查结果“{label}”"
    label = _lbl(ctx, Action, ev.action)
    return f"'{label}'" if ctx.lang == "en" else f"“{label}”"


@rule("L001", ("工会记录与工作室状态不符", "Union record impossible"), {
    "unknown": ("工作室 “{slug}” 不存在（应为 studios/ 下的文件夹名）", "studio '{slug}' does not exist (a folder "
                "name under studios/)"),
    "impossible": ("工作室当时的状态是“{status}”，不能执行{action}", "the studio was '{status}' then: "
                   "{action} is not possible"),
    "inspection": ("登记的{action}无法适用：工作室当时的状态是“{status}”{since}，只有持牌的工作室才接受年度检查",
                   "the {action} cannot apply: the studio was '{status}' then{since}; only a studio holding a "
                   "plaque is inspected"),
})
def l001(ctx: Context):
    """## 依据

    {cite:accredit}：{quote:accredit}

    {cite:inspection}：{quote:inspection}

    工作室的状态只由校工会的决定（union/decisions.yml）和年度检查结果（union/inspections/）推导。

    ## 要求

    每条工会记录写的工作室必须是 studios/ 下已有的文件夹名；每个动作必须能从该工作室当时的状态执行：
    授牌用于筹建中（或已摘牌后重新授牌）的工作室，推荐、获评示范用于已授牌的工作室，整改通过只用于
    整改中的工作室。已摘牌工作室不再接受年度检查。

    有本规则错误的记录不用于推导公开的状态：网站按不含这条记录的状态显示，并注明“状态待核实”，直到记录改正。
    `lifecycle.enforce_from`（union/standards.yml）之前的记录（采用本系统之前从纸质档案补录）只作警告。

    ## 示例

    不通过（工作室从未整改，却登记“整改通过”）：

    ```yaml
    decisions:
    - {studio: alpha, action: restore, date: 2026-03-01, document: 校工字〔2026〕3号}
    ```

    通过（先限期整改，再整改通过）：

    ```yaml
    decisions:
    - {studio: alpha, action: rectify, date: 2026-01-10, document: 校工字〔2026〕1号, deadline: 2026-06-30}
    - {studio: alpha, action: restore, date: 2026-06-20, document: 校工字〔2026〕3号}
    ```

    ## 如何修改

    核对工作室文件夹名和记录的日期、动作；按政策顺序补上缺少的前一步记录，或删除误录的记录。"""
    for ev in unknown_studio_events(ctx.repo):
        yield _ev_hit("unknown", ev, "studio", slug=ev.doc.data[ev.key][ev.index].get("studio"))
    for info in ctx.statuses.values():
        for ev, before in info.impossible:
            if ev.inspection:
                since = info.revoked_on.isoformat() if before == "revoked" and info.revoked_on else ""
                since = since and (f" (since {since})" if ctx.lang == "en" else f"（{since} 起）")
                h = _ev_hit("inspection", ev, "result", status=_lbl(ctx, Status, before), action=_what(ctx, ev),
                            since=since)
            else:
                h = _ev_hit("impossible", ev, "action", status=_lbl(ctx, Status, before), action=_what(ctx, ev))
            yield _legacy(h, ev)


def _legacy(h: Hit, ev: Event) -> Hit:
    """Before ``lifecycle.enforce_from`` (history imported from paper) an order finding is a warning."""
    if ev.legacy:
        h.severity = "warning"
    return h


@rule("L002", ("整改期限已过", "Rectification overdue"), {
    "overdue": ("整改逾期：整改期限 {deadline} 已过，仍没有复查结果（合格则整改通过，不合格则摘牌）",
                "rectification overdue: the deadline {deadline} has passed with no re-inspection result "
                "(pass restores, fail revokes)"),
}, clause_key="inspection")
def l002(ctx: Context):
    """## 依据

    {cite:inspection}：{quote:inspection}

    ## 要求

    整改期限届满后，校工会须登记复查结果：整改通过（restore，或复查合格）或摘牌（revoke，或复查不合格）。

    ## 示例

    不通过（期限已过，没有复查结果）：

    ```yaml
    decisions:
    - {studio: alpha, action: rectify, date: 2026-01-10, document: 校工字〔2026〕1号, deadline: 2026-03-31}
    ```

    通过：

    ```yaml
    decisions:
    - {studio: alpha, action: rectify, date: 2026-01-10, document: 校工字〔2026〕1号, deadline: 2026-03-31}
    - {studio: alpha, action: restore, date: 2026-03-28, document: 校工字〔2026〕4号}
    ```

    ## 如何修改

    按复查结果在 union/decisions.yml 或检查记录中登记整改通过或摘牌。"""
    for info in ctx.statuses.values():
        if info.overdue(ctx.as_of):
            ev = info.rectify
            assert ev is not None  # overdue() holds only with a rectification in force
            yield _ev_hit("overdue", ev, "deadline", deadline=ev.deadline)


def _local_conditions(ctx: Context, ev: Event, accredited: dt.date | None, leader) -> list[tuple[str, dict]]:
    """The optional local demonstration conditions of standards.yml (off by default)."""
    std = ctx.std.lifecycle
    out = []
    if std.demonstrate_min_years is not None and accredited is not None and \
            years_between(accredited, ev.date) < std.demonstrate_min_years:
        out.append(("young", {"years": std.demonstrate_min_years, "since": accredited}))
    level = std.demonstrate_leader_honor_level
    if level is not None and leader is not None and not has_honor_at(leader, str(level)):
        out.append(("honor", {"level": _lbl(ctx, Level, str(level))}))
    return out


def _names(ctx: Context, codes: list[str]) -> str:
    if ctx.lang == "en":
        return ", ".join(f"{c} {STANDARDS[c][1]}" for c in codes)
    return "、".join(f"{c} {STANDARDS[c][0]}" for c in codes)


@rule("L003", ("不具备示范推荐条件", "Not eligible for demonstration"), {
    "never": ("{action}时（{date}）工作室不是已授牌工作室（当时为“{status}”）",
              "{action} on {date}: the studio was not accredited ({status})"),
    "unmet": ("{action}时（{date}）工作室未达到“六有”标准：{unmet} 未达标（按当日评价）",
              "{action} on {date}: the studio did not meet all six standards then: {unmet} unmet"),
    "no_recommend": ("获评示范之前没有“推荐省级示范”的记录（授牌 → 推荐 → 获评示范）",
                     "demonstrate without an earlier recommend (accredit → recommend → demonstrate)"),
    "young": ("{action}时工作室授牌不满 {years} 年（授牌于 {since}；本校细则）", "{action} less than {years} "
              "years after accreditation ({since}; local rule)"),
    "honor": ("{action}需要领衔人有{level}及以上荣誉（本校细则）", "{action} needs a leader honor at {level} level "
              "or above (local rule)"),
}, thresholds={"young": ("lifecycle.demonstrate_min_years",), "honor": ("lifecycle.demonstrate_leader_honor_level",)},
   clause_key="recommend")
def l003(ctx: Context):
    """## 依据

    {cite:recommend}：{quote:recommend}
    授牌年限、领衔人荣誉级别等附加条件政策没有规定，只有在 standards.yml 设置时才作为本校细则检查。

    ## 要求

    - “推荐省级示范”（recommend）时，工作室须为已授牌工作室，并按决定当日评价达到“六有”全部 6 项；
    - “获评示范”（demonstrate）之前须有“推荐省级示范”的记录；
    - 本校细则（默认不检查，在 union/standards.yml 中设置后才检查）：授牌满 {value:lifecycle.demonstrate_min_years} 年；
      领衔人有{value:lifecycle.demonstrate_leader_honor_level}及以上荣誉。

    ## 示例

    不通过（没有推荐就获评示范）：

    ```yaml
    decisions:
    - {studio: alpha, action: accredit, date: 2023-06-20, document: 校工字〔2023〕13号}
    - {studio: alpha, action: demonstrate, date: 2026-06-15, document: 鲁教工〔2026〕7号}
    ```

    通过：

    ```yaml
    decisions:
    - {studio: alpha, action: accredit, date: 2023-06-20, document: 校工字〔2023〕13号}
    - {studio: alpha, action: recommend, date: 2025-12-10, document: 校工字〔2025〕18号}
    - {studio: alpha, action: demonstrate, date: 2026-06-15, document: 鲁教工〔2026〕7号}
    ```

    ## 如何修改

    先按 `innostudio status` 补齐推荐当日未达标的“六有”证据（台账、成果、制度等），或把推荐日期改为
    真实的推荐日期；获评示范前补录推荐决定。"""
    folders = ctx.repo.by_slug()
    for slug, info in ctx.statuses.items():
        folder = folders[slug]
        accredited: dt.date | None = None
        recommended = False
        status = "candidate"
        for ev, after in info.history:
            if ev.action == "accredit":
                accredited = ev.date
            if ev.action == "revoke" and after == "revoked":
                recommended = False
            if ev.action in ("demonstrate", "recommend") and ev.key == "decisions":
                action = _lbl(ctx, Action, ev.action)
                if ev.action == "recommend":
                    if status not in ("accredited", "demonstration"):
                        yield _legacy(_ev_hit("never", ev, "action", action=action, date=ev.date,
                                      status=_lbl(ctx, Status, status)), ev)
                    elif folder.studio is not None:
                        unmet = ctx.unmet(folder, ev.date)
                        if unmet:
                            yield _legacy(_ev_hit("unmet", ev, "action", action=action, date=ev.date,
                                          unmet=_names(ctx, unmet)), ev)
                    recommended = True
                elif not recommended:
                    yield _legacy(_ev_hit("no_recommend", ev, "action"), ev)
                leader = folder.studio.leader if folder.studio is not None else None
                for key, params in _local_conditions(ctx, ev, accredited, leader):
                    yield _legacy(_ev_hit(key, ev, "action", action=action, **params), ev)
            status = after
        for ev, before in info.impossible:  # a recommend from the wrong status is L001 and L003
            if ev.action == "recommend" and ev.key == "decisions":
                yield _legacy(_ev_hit("never", ev, "action", action=_lbl(ctx, Action, ev.action), date=ev.date,
                              status=_lbl(ctx, Status, before)), ev)


@rule("L004", ("未按政策顺序整改或摘牌", "Rectification or revocation out of order"), {
    "fail": ("检查结果“不合格”只用于整改期满复查不达标的工作室，而工作室当时是“{status}”：检查不达标应先"
             "“限期整改”（result: rectify，写明 deadline）", "a 'fail' result is for a failed re-inspection of a "
             "rectifying studio, but the studio was '{status}': a failed inspection first orders rectification "
             "(result: rectify with a deadline)"),
    "revoke": ("“摘牌”只用于整改不达标的工作室，而工作室当时是“{status}”，没有在整改中：应先“限期整改”",
               "'revoke' is for a studio that failed its rectification, but the studio was '{status}', not "
               "under rectification: order rectification first"),
    "revoke_note": ("工作室当时是“{status}”，未经整改即摘牌；备注说明的原因：{note}",
                    "revoked while '{status}', without rectification; the note gives the reason: {note}"),
    "deadline": ("整改期间又登记了新的整改期限 {new}，但没有写明延期原因（note）：{since} 起的整改期限 {deadline} "
                 "仍然有效，新期限不生效", "a new deadline {new} during a rectification, without a note giving the "
                 "reason: the deadline {deadline} of the rectification running since {since} stays in force"),
    "extension": ("整改期限延长：{since} 起的整改期限由 {deadline} 延至 {new}；备注说明的原因：{note}",
                  "rectification deadline extended from {deadline} to {new} (running since {since}); the note "
                  "gives the reason: {note}"),
}, severity=Severity.ERROR, clause_key="inspection")
def l004(ctx: Context):
    """## 依据

    {cite:inspection}：{quote:inspection}

    ## 要求

    - 检查结果 `fail`（不合格）和决定 `revoke`（摘牌）只用于整改中的工作室（整改期满复查不达标）；
    - 整改期间再次 `rectify` 并写了新的 `deadline`：写明延期原因（`note`）的是延长整改期限，只作警告，新期限
      生效；没有写明原因的，新期限不生效；
    - 工作室撤销、领衔人调离等原因未经整改摘牌时，在 `note` 中写明原因，此时只作警告。

    有本规则错误的记录不用于推导公开的状态：网站按不含这条记录的状态显示，并注明“状态待核实”，直到记录改正。
    `lifecycle.enforce_from`（union/standards.yml）之前的记录（采用本系统之前从纸质档案补录）只作警告。

    写明与正在执行的期限相同的 `rectify`、检查不合格之后的 `revoke`、复查合格之后的 `restore`，
    是对检查结果的确认（工会为检查结果发文），不属于本规则。

    ## 示例

    不通过（一次检查不合格就摘牌）：

    ```yaml
    inspections:
      - {studio: alpha, date: 2026-03-20, result: fail, findings: 台账不全}
    ```

    通过（先限期整改，期满复查不合格再摘牌）：

    ```yaml
    inspections:
      - {studio: alpha, date: 2026-03-20, result: rectify, findings: 台账不全, deadline: 2026-09-30}
      - {studio: alpha, date: 2026-09-28, result: fail, findings: 复查仍不达标}
    ```

    ## 如何修改

    检查不达标时登记 `result: rectify` 并写明 `deadline`；期满复查后再登记 `pass` 或 `fail`。
    确需直接摘牌的，在摘牌决定的 `note` 中写明原因。需要延长期限时，登记新的 `rectify` 决定并在 `note` 中写明
    延期原因。"""
    for info in ctx.statuses.values():
        for ev, before, why in info.skipped:
            yield _legacy(_l004_hit(ctx, info, ev, before, why), ev)


def _l004_hit(ctx: Context, info, ev: Event, before: str, why: str) -> Hit:
    status = _lbl(ctx, Status, before)
    if why in ("deadline", "extension"):
        running = info_rectify_at(info, ev)
        h = _ev_hit(why, ev, "deadline" if ev.deadline else _record_field(ev),
                    since=running.date if running else "-", deadline=running.deadline if running else "-",
                    new=ev.deadline, note=(ev.note or "").strip())
        if why == "extension":
            h.severity = "warning"
        return h
    if ev.inspection:
        return _ev_hit("fail", ev, "result", status=status)
    if ev.note and ev.note.strip():
        h = _ev_hit("revoke_note", ev, "action", status=status, note=ev.note.strip())
        h.severity = "warning"
        return h
    return _ev_hit("revoke", ev, "action", status=status)


def info_rectify_at(info, ev: Event) -> Event | None:
    """The rectification that was running when ``ev`` was recorded."""
    running = None
    for h, after in info.history:
        if h.order >= ev.order:
            break
        if h.action == "rectify" and after == "rectifying":
            running = h
        elif after != "rectifying":
            running = None
    return running


@rule("L005", ("授牌时未达到“六有”标准", "Accredited below the six standards"), {
    "unmet": ("授牌时（{date}）工作室未达到“六有”标准：{unmet} 未达标（按授牌当日评价）",
              "accredited on {date} without meeting all six standards: {unmet} unmet (as of that date)"),
}, clause_key="accredit", fork=4)
def l005(ctx: Context):
    """## 依据

    {cite:accredit}：{quote:accredit}

    ## 要求

    授牌决定（`action: accredit`）的日期当天，工作室须达到“六有”全部 6 项。按当日评价：统计窗口截至
    授牌日期，晚于授牌日期的成果、台账、课题阶段、制度、成员和经费记录不计入，年份晚于授牌年份的荣誉不计入，
    没有日期的字段按现状。标牌照片不在授牌时检查（授牌之后才挂牌）。
    {name:lifecycle.enforce_from}：{value:lifecycle.enforce_from}；设置后，该日期之前（采用本系统之前、从纸质档案
    补录）作出的授牌决定只作警告。

    ## 示例

    不通过（授牌时近 12 个月台账活动不足）：

    ```yaml
    - {studio: alpha, action: accredit, date: 2023-06-20, document: 校工字〔2023〕13号}
    ```

    通过：补录授牌前的工作台账（ledger/2022.yml、ledger/2023.yml）、成果和制度，使授牌当日“六有”达标；
    或说明这是采用本系统之前的授牌（union/standards.yml，此后只作警告）：

    ```yaml
    lifecycle:
      enforce_from: 2024-01-01
    ```

    ## 如何修改

    运行 `innostudio status --as-of 授牌日期` 查看当日未达标的标准，补录当时的证据；授牌日期写错的，
    改为真实日期。"""
    since = ctx.std.lifecycle.enforce_from
    for folder, ev in ctx.studio_events():
        if ev.action != "accredit" or ev.key != "decisions":
            continue
        unmet = ctx.unmet(folder, ev.date)
        if unmet:
            h = _ev_hit("unmet", ev, "action", date=ev.date, unmet=_names(ctx, unmet))
            if since is not None and ev.date < since:  # history imported from paper: a warning
                h.severity = "warning"
            yield h


@rule("L006", ("台账未记录成员发展", "Ledger without member development"), {
    "development": ("{year} 年的工作台账没有“成员发展”记录（development：晋升、获奖、出师等）",
                    "the ledger of {year} records no member development (development: promotions, awards, ...)"),
}, severity=Severity.WARNING, clause_key="ledger")
def l006(ctx: Context):
    """## 依据

    {cite:ledger}：{quote:ledger}

    ## 要求

    已授牌工作室已经结束的年度（早于评价年度），其工作台账 `ledger/<年份>.yml` 须有至少一条
    `development`（成员发展）记录。该年末工作室须持有标牌。

    ## 示例

    不通过：

    ```yaml
    activities:
      - {date: 2025-03-12, kind: meeting, title: 例会, participants: 6, summary: 讨论课题进展}
    ```

    通过：

    ```yaml
    activities:
      - {date: 2025-03-12, kind: meeting, title: 例会, participants: 6, summary: 讨论课题进展}
    development:
      - {date: 2025-09-01, member: 乙二, event: 晋升副教授}
    ```

    ## 如何修改

    在该年度台账中补写 `development` 列表，记录成员晋升、获奖、出师、进修等成长事项。"""
    for folder in ctx.repo.studios:
        if ctx.statuses[folder.slug].status not in HOLDS_PLAQUE:
            continue
        for doc in folder.ledgers:
            if doc.model is None or doc.year >= ctx.as_of.year or doc.model.development:
                continue
            then = ctx.facts.status_at(dt.date(doc.year, 12, 31))
            if then[folder.slug].status not in HOLDS_PLAQUE:
                continue
            loc = ("development",) if isinstance(doc.data, dict) and "development" in doc.data else ("activities",)
            yield hit("development", doc, *loc, key_pos=True, year=doc.year)


@rule("L007", ("检查了尚未授牌的工作室", "Inspection of a studio not accredited"), {
    "candidate": ("{action}：工作室当时是“{status}”，尚未授牌；记录保留，不改变状态",
                  "{action}: the studio was '{status}', not accredited; recorded, the status does not change"),
}, severity=Severity.INFO, clause_key="inspection")
def l007(ctx: Context):
    """## 依据

    {cite:inspection}：{quote:inspection}

    ## 要求

    年度检查记录的工作室在检查日期应已授牌。对筹建中工作室的检查（例如授牌前的考察）照常保留和公开，
    但不改变其状态，也不代替授牌决定。

    ## 示例

    提示（alpha 在 2026-05-01 才授牌）：

    ```yaml
    inspections:
      - {studio: alpha, date: 2026-03-20, result: pass, findings: 运行规范}
    ```

    不提示（检查日期在授牌决定之后）：

    ```yaml
    inspections:
      - {studio: alpha, date: 2026-12-10, result: pass, findings: 运行规范}
    ```

    ## 如何修改

    核对检查日期和工作室；授牌前的考察如需授牌，请另行登记授牌决定（union/decisions.yml）。"""
    for info in ctx.statuses.values():
        for ev, before in info.not_accredited:
            yield _ev_hit("candidate", ev, "result", action=_what(ctx, ev), status=_lbl(ctx, Status, before))
