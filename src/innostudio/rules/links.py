"""R008: images and links in public Markdown point only to files of the studio folder (images) or to
https addresses (links): the site loads nothing from another host."""
from __future__ import annotations

from collections.abc import Iterable

from ..domain.bodies import bodies
from .base import Context, Hit, Kind, rule


@rule("R008", ("Markdown 图片或链接指向外部", "Markdown image or link points outside"), {
    "image": ("图片 {target} 不是本工作室文件夹中的文件：网站不从其他网站加载图片，请把图片放到 media/ 下并写相对路径",
              "image {target} is not a file of this studio's folder: the site loads nothing from another host; "
              "put the image under media/ and give its relative path"),
    "link": ("链接 {target} 既不是本工作室文件夹中的文件，也不是 https 链接", "link {target} is neither a file "
             "of this studio's folder nor an https link"),
}, kind=Kind.DATA, fork=3)
def r008(ctx: Context) -> Iterable[Hit]:
    """## 依据

    网站安全和隐私（本系统的要求）：公开页面不从其他网站加载任何内容（图片会把访问者的地址告诉那个网站），
    链接只用加密的 https。

    ## 要求

    成果正文、工作室简介和制度文件中的 Markdown 图片 `![说明](路径)` 写本工作室文件夹中的图片（相对路径，
    如 `media/现场.jpg`），页面上会显示这张图片（与其他照片一样检查：R001–R003、W001）；链接 `[文字](地址)`
    写本工作室文件夹中的文件或 `https://` 地址。

    ## 示例

    不通过（图片来自其他网站；链接不是 https）：

    ```markdown
    ![现场照片](https://img.example.com/a.jpg)
    详见 [新闻](http://news.example.com/1)
    ```

    通过：

    ```markdown
    ![现场照片](media/现场.jpg)
    详见 [新闻](https://news.example.com/1)
    ```

    ## 如何修改

    把图片下载后放到工作室文件夹的 media/ 下，改写为相对路径；链接改用 https 地址。"""
    for folder in ctx.repo.studios:
        for body in bodies(folder):
            for t in body.targets:
                if not t.allowed:
                    yield Hit(t.kind, body.path, (t.line, t.column), {"target": t.value})
