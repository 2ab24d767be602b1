"""The command line's repository commands: codeowners, owners, new, init, cms-config and fmt."""
from __future__ import annotations

import sys
from pathlib import Path

from .check import resolve_as_of
from .cli_common import UsageError, _filter_paths, _root


def cmd_codeowners(args) -> int:
    from .codeowners import expected, write_all
    from .corpus import load_repo

    root = _root(args)
    repo = load_repo(root)
    if not args.check:
        written = set(write_all(root, repo))
        for path in expected(root, repo):
            print(f"{'已写入' if path in written else '已是最新：'} {path.relative_to(root).as_posix()}")
        return 0
    stale = 0
    for path, text in expected(root, repo).items():
        rel = path.relative_to(root).as_posix()
        if (path.read_text(encoding="utf-8") if path.is_file() else None) != text:
            print(f"{rel} 不是最新的：运行 innostudio codeowners 重新生成", file=sys.stderr)
            stale = 1
        else:
            print(f"{rel} 是最新的")
    return stale


def cmd_owners(args) -> int:
    from .changed import GitError
    from .codeowners import owners_problems

    root = _root(args)
    try:
        refused = owners_problems(root, args.author, args.changed_since)
    except GitError as exc:
        raise UsageError(f"--changed-since {args.changed_since}：{exc}") from None
    if refused:
        print(f"{args.author} 不是以下文件所属工作室的 maintainers，也不在工会团队（union/team.yml）中，"
              f"需要有权限的人审查：", file=sys.stderr)
        for path in refused:
            print(f"  {path}", file=sys.stderr)
        return 1
    print(f"{args.author} 有权修改本次涉及的全部文件")
    return 0


def _prompt(question: str, default: str) -> str:
    """One answer from standard input (a terminal or a pipe); the end of input raises InputEnded."""
    from .scaffold import InputEnded

    suffix = f"（默认：{default}）" if default else ""
    try:
        answer = input(f"{question}{suffix}：")
    except (EOFError, OSError):  # a pipe that ran out, or no input at all (a closed or captured stdin)
        raise InputEnded from None
    return answer or default


def cmd_new(args) -> int:
    from .scaffold import ScaffoldError, collect, new_achievement, new_activity, new_studio

    root = _root(args)
    skip = ("root", "lang", "slug", "entry", "command", "func", "no_input")
    given = {k: v for k, v in vars(args).items() if v is not None and k not in skip}
    interactive = not args.no_input  # a terminal or a pipe: `printf '…\n' | innostudio new achievement x` works
    today = resolve_as_of(None)
    try:
        values = collect(args.entry, given, today, _prompt if interactive else None)
        writer = {"studio": new_studio, "achievement": new_achievement, "activity": new_activity}[args.entry]
        path = writer(root, args.slug, values)
    except ScaffoldError as exc:
        print(f"innostudio new：{exc}", file=sys.stderr)
        return 1 if exc.exists else 2
    print(f"已写入 {path.relative_to(root).as_posix()}；提交前请运行 innostudio check 检查")
    if args.entry == "studio":  # the merge request that adds the studio passes the owners check
        from .codeowners import write_all
        from .corpus import load_repo

        for co in write_all(root, load_repo(root)):
            print(f"已更新 {co.relative_to(root).as_posix()}（本工作室的 maintainers）")
    return 0


def cmd_init(args) -> int:
    from .init import InitError, git_init, init

    try:
        path = init(Path(args.dir), args.org, args.policy_title or "", args.policy_number or "",
                    args.policy_short or "", args.site_url or "", args.repo_url or "",
                    [x for x in (args.union_team or "").replace("，", ",").split(",") if x.strip()],
                    forge_kind=args.forge or "")
    except InitError as exc:
        raise UsageError(str(exc)) from None
    git = {"created": "已在其中运行 git init 建立 git 仓库（分支 main，尚未提交）："
                      "检查无误后 git add -A、git commit 提交第一版。",
           "inside": "它已在一个 git 仓库之中，未再运行 git init。",
           "nogit": "没有找到 git 命令，未建立 git 仓库：安装 git 后在该目录运行 git init。",
           "failed": "git init 失败，未建立 git 仓库：请在该目录手动运行 git init。"}[git_init(path)]
    print(f"已生成新的仓库 {path}（单位：{args.org}）。{git}\n"
          f"下一步：cd {path}，编辑 mkdocs.yml 的 extra（政策文件名称和文号、备案号）和 content/policy.md，"
          f"然后运行 ./run site 生成站点；用 ./run innostudio new studio <文件夹名> 新建工作室。")
    return 0


def cmd_cms_config(args) -> int:
    from .admin import build_config, dump_config
    from .corpus import load_repo

    root = _root(args)
    repo = load_repo(root)
    settings = repo.settings
    cfg = build_config(repo, dict(settings.extra), resolve_as_of(args.as_of), settings.site_url, args.local_port)
    sys.stdout.write(dump_config(cfg))
    return 0


def cmd_fmt(args) -> int:
    from .canonical import data_files, format_file, kind_of

    root = _root(args)
    if args.paths:
        files = []
        for rel in _filter_paths(root, args.paths):
            full = root / rel
            if full.is_dir():
                files += [f for f in data_files(root) if f.resolve().is_relative_to(full.resolve())]
            else:
                if kind_of(rel) is None:
                    raise UsageError(f"{rel} 不是 innostudio fmt 整理的数据文件（studios/**、union/decisions.yml、"
                                     f"union/inspections/*、union/challenges.yml）")
                files.append(full)
    else:
        files = data_files(root)
    changed = []
    for f in files:
        if format_file(root, f, write=not args.check):
            changed.append(f.resolve().relative_to(root).as_posix())
    for rel in changed:
        print(("需要整理：" if args.check else "已整理：") + rel)
    if args.check:
        return 1 if changed else 0
    print(f"共 {len(files)} 个文件，整理了 {len(changed)} 个")
    return 0
