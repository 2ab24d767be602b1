"""The `innostudio` command line. Exit codes: 0 fine, 1 findings/refusal, 2 usage or internal failure."""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .check import AS_OF_ENV, InvalidAsOf, resolve_as_of  # noqa: F401 - AS_OF_ENV is part of the CLI's API
from .cli_common import UsageError, _filter_paths, _root, find_root  # noqa: F401 - find_root: the CLI's API
from .repo_commands import cmd_cms_config, cmd_codeowners, cmd_fmt, cmd_init, cmd_new, cmd_owners
from .settings import Settings


def _changed_report(args, root: Path):
    from .changed import GitError, check_changed

    try:
        return check_changed(root, args.changed_since, resolve_as_of(args.as_of), args.lang)
    except GitError as exc:
        raise UsageError(f"--changed-since {args.changed_since}：{exc}") from None


def cmd_check(args) -> int:
    from .check import run
    from .output import format_github, format_json, format_text

    root = _root(args)
    if args.changed_since:
        report, touched = _changed_report(args, root)
        report.studios = [s for s in report.studios if s.slug in touched]
    else:
        report = run(root, resolve_as_of(args.as_of), args.lang)
    only_studios = None
    if args.paths:
        prefixes = _filter_paths(root, args.paths)

        def inside(path: str | None) -> bool:
            return any(p == "" or (path or "") == p or (path or "").startswith(p.rstrip("/") + "/")
                       for p in prefixes)

        report.findings = [f for f in report.findings if inside(f.path)]
        only_studios = {s.slug for s in report.studios if inside(f"studios/{s.slug}/studio.yml")}
        report.studios = [s for s in report.studios if s.slug in only_studios] if not any(
            p == "" for p in prefixes) else report.studios
    if args.format == "json":
        sys.stdout.write(format_json(report))
    elif args.format == "github":
        sys.stdout.write(format_github(report))
    elif args.format == "gitlab":
        from .output import format_gitlab

        sys.stdout.write(format_gitlab(report))
    else:
        sys.stdout.write(format_text(report, args.lang))
    return report.exit_code


def cmd_status(args) -> int:
    from .check import run
    from .output import format_status, format_status_markdown

    root = _root(args)
    only = None
    if args.changed_since:
        report, only = _changed_report(args, root)
    else:
        report = run(root, resolve_as_of(args.as_of), args.lang)
    if args.slug and args.slug not in {s.slug for s in report.studios}:
        raise UsageError(f"没有工作室 {args.slug}（应为 studios/ 下的文件夹名）")
    if args.slug:
        only = {args.slug}
    if args.format == "markdown":
        sys.stdout.write(format_status_markdown(report, only))
    elif args.format == "json":
        import json

        sys.stdout.write(json.dumps([s.as_json() for s in report.studios if only is None or s.slug in only],
                                    ensure_ascii=False, indent=1) + "\n")
    elif only is None and args.lang != "en":  # the union officer's desk: what needs action today
        from .desk import format_desk

        sys.stdout.write(format_desk(report))
    else:
        for slug in sorted(only) if only is not None else [None]:
            sys.stdout.write(format_status(report, args.lang, slug))
    return 0


def _year_as_of(args) -> dt.date:
    """Default evaluation date of a yearly command: the year's last day, or today if earlier."""
    # status and 六有 as of the end of the year, or the evaluation date if that is earlier
    return min(resolve_as_of(args.as_of), dt.date(args.year, 12, 31))


def cmd_report(args) -> int:
    from .check import run
    from .workbook import write_workbook

    root = _root(args)
    report = run(root, _year_as_of(args))
    path = write_workbook(report, args.year, root, recorded_until=resolve_as_of(args.as_of))
    print(f"已生成 {path.relative_to(root).as_posix()}（{len(report.studios)} 个工作室，评价日期 {report.as_of}）")
    return 0


def cmd_rank(args) -> int:
    from .check import run
    from .rank import format_rank, rank

    report = run(_root(args), _year_as_of(args))
    scores = rank(report, args.year, recorded_until=resolve_as_of(args.as_of))
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps({"year": args.year, "as_of": report.as_of.isoformat(),
                                     "studios": [s.as_json() for s in scores]}, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(format_rank(scores, args.year, report.as_of))
    return 0


def _standards_for_docs(args):
    """The standards of the repository the command runs in (live values), or the defaults outside one."""
    from .corpus import load_settings
    from .standards import DEFAULTS

    try:
        root = _root(args)
    except UsageError:
        if args.root:
            raise
        return DEFAULTS
    return load_settings(root)[1].standards


def cmd_rules(args) -> int:
    from .rules.registry import RULES
    from .rules.ruledoc import catalogue, explain

    std = _standards_for_docs(args)
    if args.code:
        rule = RULES.get(args.code) or RULES.get(args.code.upper())
        if rule is None:
            raise UsageError(f"没有规则 {args.code}；运行 innostudio rules 查看全部")
        print(explain(rule, std))
        return 0
    print(catalogue(RULES.catalogue_order(), std), end="")
    return 0


def cmd_schema(args) -> int:
    from .schema import write_schemas

    root = _root(args)
    written = write_schemas(root / "schema", Settings.read(root).policy_short)
    if (root / "docs").is_dir():  # the project's own reference (docs/reference/): rule catalogue, fields
        from .reference import write_reference

        written += write_reference(root)
    for path in written:
        print(path.relative_to(root).as_posix())
    return 0


def cmd_edit(args) -> int:
    from .edit import run_editor

    root = _root(args)
    return run_editor(root, args.port, args.cms_port, args.as_of)


def _mkdocs(root: Path, command: str, as_of: str | None, extra: list[str]) -> int:
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    if as_of:
        env[AS_OF_ENV] = resolve_as_of(as_of).isoformat()
    # an interrupt of this command reaches the build, which then removes its temporary folder
    from .render.build import run_child

    return run_child([sys.executable, "-m", "mkdocs", command, "-f", str(root / "mkdocs.yml"), *extra],
                     cwd=root, env=env)


def cmd_build(args) -> int:
    root = _root(args)
    if _mkdocs(root, "build", args.as_of, ["--strict"] if args.strict else []):
        return 1
    site = root / "build" / "site"
    print(f"站点已生成：{site}\n"
          f"本地预览：在仓库目录运行 ./run serve（或 innostudio serve），然后用浏览器打开 http://127.0.0.1:8000/；"
          f"也可以直接打开 {site / 'index.html'}", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    root = _root(args)
    return 1 if _mkdocs(root, "serve", args.as_of, ["-a", args.addr]) else 0


def cmd_federate(args) -> int:
    from .federate import federate

    cache = Path(args.cache) if args.cache else None
    return federate(Path(args.config), Path(args.out), resolve_as_of(args.as_of), strict=args.strict, cache=cache).code


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="innostudio", description="劳模和优秀人才创新工作室门户：检查、生成站点、管理。")
    p.add_argument("--version", action="version", version=f"innostudio {__version__}")
    # --root and --lang are accepted before the command name too (site.md)
    p.add_argument("--root", dest="root_before", metavar="ROOT", help="仓库目录（也可写在命令之后）")
    p.add_argument("--lang", dest="lang_before", choices=["zh", "en"], help="提示语言（也可写在命令之后）")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", help="仓库目录（默认：当前目录向上查找 mkdocs.yml）")
    common.add_argument("--lang", choices=["zh", "en"], default="zh", help="提示语言")
    dated = argparse.ArgumentParser(add_help=False)
    dated.add_argument("--as-of", help=f"评价日期 YYYY-MM-DD（默认：环境变量 {AS_OF_ENV} 或今天）")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令", title="命令")
    _report_commands(sub, common, dated)
    _new_command(sub, common)
    _repository_commands(sub, common, dated)
    return p


def _report_commands(sub, common: argparse.ArgumentParser, dated: argparse.ArgumentParser) -> None:
    """check, status, report, rank, codeowners, owners, rules, schema."""
    c = sub.add_parser("check", parents=[common, dated], help="按全部规则检查")
    c.add_argument("paths", nargs="*", help="只报告这些文件或文件夹的问题")
    c.add_argument("--format", choices=["text", "json", "github", "gitlab"], default="text",
                   help="gitlab：GitLab Code Quality 报告（JSON，只写到标准输出）")
    c.add_argument("--changed-since", metavar="REF", help="只报告自 REF（git 提交）以来修改的文件及其引起的问题")
    c.set_defaults(func=cmd_check)

    s = sub.add_parser("status", parents=[common, dated],
                       help="校工会待办（年度检查、整改期限、记录问题）和每个工作室的状态、六有达标情况；"
                            "写工作室名时只看这个工作室")
    s.add_argument("slug", nargs="?")
    s.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    s.add_argument("--changed-since", metavar="REF", help="只显示自 REF 以来有修改的工作室")
    s.set_defaults(func=cmd_status)

    rp = sub.add_parser("report", parents=[common, dated], help="年度检查工作簿 build/reports/inspection-YYYY.xlsx")
    rp.add_argument("--year", type=int, required=True)
    rp.set_defaults(func=cmd_report)

    rk = sub.add_parser("rank", parents=[common, dated], help="示范工作室推荐参考排序（逐项列出得分）")
    rk.add_argument("--year", type=int, required=True)
    rk.add_argument("--format", choices=["text", "json"], default="text")
    rk.set_defaults(func=cmd_rank)

    co = sub.add_parser("codeowners", parents=[common],
                        help="生成 .github/、.gitlab/（Gitea/Forgejo 时还有 .gitea/）的 CODEOWNERS")
    co.add_argument("--check", action="store_true", help="只检查是否最新：不是最新时退出码为 1")
    co.set_defaults(func=cmd_codeowners)

    ow = sub.add_parser("owners", parents=[common],
                        help="检查修改人是否有权修改本次涉及的文件（各工作室 maintainers 或工会团队）")
    ow.add_argument("--author", required=True, help="修改人的平台用户名")
    ow.add_argument("--changed-since", required=True, metavar="REF", help="目标分支，例如 origin/main")
    ow.set_defaults(func=cmd_owners)

    r = sub.add_parser("rules", parents=[common], help="规则目录，或一条规则的说明")
    r.add_argument("code", nargs="?")
    r.set_defaults(func=cmd_rules)

    sc = sub.add_parser("schema", parents=[common], help="把 JSON Schema 写到 schema/")
    sc.set_defaults(func=cmd_schema)


def _new_command(sub, common: argparse.ArgumentParser) -> None:
    n = sub.add_parser("new", parents=[common], help="生成新的工作室、成果或台账活动（不会覆盖已有文件）")
    nsub = n.add_subparsers(dest="entry", required=True)
    ns = nsub.add_parser("studio", parents=[common])
    for opt in ("name", "unit", "fields", "established", "summary", "maintainers", "leader-name", "leader-title",
                "leader-title-level", "leader-discipline", "leader-education", "leader-birth-year"):
        ns.add_argument(f"--{opt}")
    ns.add_argument("--leader-frontline", choices=["true", "false", "是", "否"])
    na = nsub.add_parser("achievement", parents=[common])
    for opt in ("title", "type", "date", "level", "members", "project", "identifier", "value-yuan", "body", "file"):
        na.add_argument(f"--{opt}")
    nv = nsub.add_parser("activity", parents=[common])
    for opt in ("date", "kind", "title", "participants", "hours", "project", "summary"):
        nv.add_argument(f"--{opt}")
    for x in (ns, na, nv):
        x.add_argument("slug", help="工作室文件夹名")
        x.add_argument("--no-input", action="store_true", help="不询问，只用选项")
        x.set_defaults(func=cmd_new)


def _repository_commands(sub, common: argparse.ArgumentParser, dated: argparse.ArgumentParser) -> None:
    """init, cms-config, fmt, edit, build, serve."""
    it = sub.add_parser("init", help="为另一个单位生成一个新的、干净的仓库（不含示例工作室）")
    it.add_argument("dir", help="新仓库的目录（不存在或为空）")
    it.add_argument("--org", required=True, help="单位（工会）名称，如 某某大学工会")
    it.add_argument("--policy-title", help="本单位政策文件的全称")
    it.add_argument("--policy-number", help="政策文号，如 某工字〔2024〕1号")
    it.add_argument("--policy-short", help="页面引用政策时的简称，写作《简称》（默认：政策文件）")
    it.add_argument("--site-url", help="站点的公开网址，如 https://工会网站/innostudio/")
    it.add_argument("--repo-url", help="数据仓库的网址，如 https://gitlab.某某大学.edu.cn/工会/innostudio-data")
    it.add_argument("--forge", choices=["gitlab", "forgejo", "gitea", "github"],
                    help="代码托管平台（默认按 --repo-url 的网址判断：github.com 为 github，其余为 gitlab）")
    it.add_argument("--union-team", help="校工会维护人员的平台用户名，逗号分隔")
    it.set_defaults(func=cmd_init)
    cc = sub.add_parser("cms-config", parents=[common, dated],
                        help="在线编辑器的配置（Decap CMS config.yml），输出到标准输出")
    cc.add_argument("--local-port", type=int, help="本地编辑：decap-server 的端口（写入 local_backend.url）")
    cc.set_defaults(func=cmd_cms_config)

    fm = sub.add_parser("fmt", parents=[common], help="把数据文件整理成在线编辑器写出的标准格式")
    fm.add_argument("paths", nargs="*", help="只整理这些文件或文件夹（默认：全部数据文件）")
    fm.add_argument("--check", action="store_true", help="只检查：有文件需要整理时退出码为 1")
    fm.set_defaults(func=cmd_fmt)

    ed = sub.add_parser("edit", parents=[common, dated],
                        help="本地在线编辑：生成站点并启动 decap-server（只监听 127.0.0.1）")
    ed.add_argument("--port", type=int, default=8000, help="站点端口（默认 8000）")
    ed.add_argument("--cms-port", type=int, default=8081, help="decap-server 端口（默认 8081）")
    ed.set_defaults(func=cmd_edit)

    b = sub.add_parser("build", parents=[common, dated], help="检查并生成站点到 build/site")
    b.add_argument("--strict", action="store_true")
    b.set_defaults(func=cmd_build)
    sv = sub.add_parser("serve", parents=[common, dated], help="本地预览站点")
    sv.add_argument("--addr", default="127.0.0.1:8000")
    sv.set_defaults(func=cmd_serve)
    fd = sub.add_parser("federate", parents=[dated], help="由各成员站点的开放数据生成联合门户（federation.md）")
    fd.add_argument("config", help="联合门户的配置文件，如 federation.yml")
    fd.add_argument("--out", default="build/federation", help="输出目录（默认 build/federation）")
    fd.add_argument("--strict", action="store_true", help="任一成员读取失败即不生成（退出码 1）")
    fd.add_argument("--cache", help="缓存目录：成员读取失败时改用其上次有效的数据（标记为过期）")
    fd.set_defaults(func=cmd_federate)


def _end_now(code: int) -> None:
    """End the process of a `check` that has printed its report, without the interpreter's clean-up, which
    would free what the check loaded object by object (~0.08 s at 300 studios): a read-only command leaves
    nothing to close. Only for a process of its own (``main()`` without arguments), never in-process."""
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    from . import argtext

    argtext.use(argtext.lang_of(sys.argv[1:] if argv is None else argv))  # argparse's own words: Chinese by default
    args = parser().parse_args(argv)
    if getattr(args, "root", None) is None and args.root_before:
        args.root = args.root_before
    if args.lang_before and hasattr(args, "lang") and "--lang" not in (sys.argv[1:] if argv is None else argv)[1:]:
        args.lang = args.lang_before
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below, not at interpreter exit
        if argv is None and args.func is cmd_check:
            _end_now(code)
        return code
    except (UsageError, InvalidAsOf) as exc:
        print(f"innostudio：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 2
    except BrokenPipeError:
        # The reader went away (`innostudio rules | head`): stop quietly, as other command-line tools
        # do. Point stdout at /dev/null so the interpreter's final flush cannot raise again.
        with contextlib.suppress(OSError, ValueError):  # stdout is not a real file (captured in tests)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # what a shell reports for a tool ended by SIGPIPE (as `yes | head` does)
    except Exception:  # noqa: BLE001 - an internal failure is exit 2 with a short message
        print("innostudio：内部错误，请把以下信息报告给维护者：", file=sys.stderr)
        traceback.print_exc()
        return 2


if __name__ == "__main__":
    sys.exit(main())
