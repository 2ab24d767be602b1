"""W002: an entry still holding the scaffold's placeholder text."""
from __future__ import annotations

from ..scaffold import ACHIEVEMENT_PLACEHOLDER, ACTIVITY_PLACEHOLDER
from .base import Context, Hit, Severity, hit, rule


@rule("W002", ("仍是模板占位文字", "Scaffold placeholder text left"), {
    "achievement": ("成果介绍仍是模板的占位文字：请改写成这项成果的介绍（解决了什么问题，效果如何）",
                    "the achievement's text is still the scaffold's placeholder: describe the achievement"),
    "activity": ("活动摘要仍是模板的占位文字：请写明这次活动做了什么", "the activity summary is still the "
                 "scaffold's placeholder: say what the activity was"),
}, severity=Severity.WARNING)
def w002(ctx: Context):
    """## 依据

    本系统的填写规范，不涉及政策文件的条款：innostudio new 生成的成果文件和台账活动带有一段占位文字，
    提醒领衔人补写；原样提交后，网站上会显示这段占位文字。

    ## 要求

    成果正文或活动摘要中仍含有模板的占位文字时给出警告。警告不阻止合并和生成站点，但应在公开前改写。

    ## 示例

    不通过（正文仍是模板的占位文字）：

    ```markdown
    ---
    title: 一种静脉输液固定装置
    type: utility_patent
    date: 2026-05-01
    ---

    （请在这里用一两段话介绍这项成果：解决了什么问题，效果如何。）
    ```

    通过：

    ```markdown
    ---
    title: 一种静脉输液固定装置
    type: utility_patent
    date: 2026-05-01
    ---

    针对患儿输液时针头易脱落的问题，设计了可调节的固定装置，已在儿科病房试用。
    ```

    ## 如何修改

    打开警告指出的文件，把括号中的占位文字换成真实的介绍：成果解决了什么问题、效果如何；活动做了什么、
    谁参加、有什么收获。"""
    for folder in ctx.repo.studios:
        for doc in folder.achievements:
            body = doc.source.body or ""
            if ACHIEVEMENT_PLACEHOLDER in body:
                line = doc.source.body_line + body[: body.index(ACHIEVEMENT_PLACEHOLDER)].count("\n")
                yield Hit("achievement", doc.path, (line, 1))
        for ledger in folder.ledgers:
            if ledger.model is None:
                continue
            for i, a in enumerate(ledger.model.activities):
                if ACTIVITY_PLACEHOLDER in (a.summary or ""):
                    yield hit("activity", ledger, "activities", i, "summary")
