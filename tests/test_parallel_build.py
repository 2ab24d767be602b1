"""A build shares its work with a forked child on a large site (render/parallel.py): the child writes pages
the parent has not claimed, and converts half of the Markdown texts. What is published must not depend on
that: the same files, byte for byte (the search index too), as a build on one process; a child that fails
fails the build."""
from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_AS_OF, build_site, copy_repo
from innostudio import forking
from innostudio.render import parallel, search
from innostudio.render.markup import converted, render_markdown

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: the second process is forked")


def _digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


# The parent takes its time before each page, so that the child writes some pages however loaded the machine
_SLOW_PARENT = ("import time\n"
                "import innostudio.render.build as b\n"
                "_claim = b.SiteBuild.claim\n"
                "def claim(self, path):\n"
                "    time.sleep(0.004)\n"
                "    return _claim(self, path)\n"
                "b.SiteBuild.claim = claim\n")


def test_a_build_on_two_processes_publishes_what_one_process_does(tmp_path: Path, monkeypatch):
    one, two = copy_repo(REPO, tmp_path / "one"), copy_repo(REPO, tmp_path / "two")
    monkeypatch.setenv("INNOSTUDIO_JOBS", "1")
    serial = build_site(one)
    monkeypatch.setenv("INNOSTUDIO_JOBS", "2")  # the sample is small: forced
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(_SLOW_PARENT, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(inject))
    shared = build_site(two)
    log = serial.stdout + serial.stderr, shared.stdout + shared.stderr
    assert "两个进程" not in log[0]
    counts = re.search(r"页面由两个进程写出：本进程 ([\d,]+) 页，子进程 ([\d,]+) 页", log[1])
    assert counts is not None, log[1][-3000:]
    assert all(int(n.replace(",", "")) > 0 for n in counts.groups())  # each process wrote pages
    first, second = _digest(one / "build" / "site"), _digest(two / "build" / "site")
    assert first.keys() == second.keys()
    assert any(k.startswith("pagefind/fragment/") for k in first)
    assert [k for k in first if first[k] != second[k]] == []


def test_each_page_is_written_once_by_one_of_two_processes_and_indexed_in_order(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("INNOSTUDIO_JOBS", "2")
    paths = [f"p{i:03d}/index.html" for i in range(200)]
    claims = parallel.Claims()

    def write(path: str) -> None:  # the pid tells who wrote it; "x" mode fails on a second write
        time.sleep(0.003)  # a page takes time to render: each process gets its share, however loaded the machine
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        with open(tmp_path / path, "x", encoding="utf-8") as fh:
            fh.write(f"<p>{path} {os.getpid()}</p>")

    helper = parallel.Helper.start(paths, claims, write, lambda: None, lambda: None)
    assert helper is not None
    handed: list[str] = []
    ordered = parallel.OrderedIndex(paths, tmp_path, lambda path, html: handed.append(html))
    for i, path in enumerate(paths):
        if claims.take(i, helper.alive):
            write(path)
            ordered.here(path, (tmp_path / path).read_text(encoding="utf-8"))
        else:
            ordered.elsewhere(helper.poll())
    ordered.elsewhere(helper.wait())
    ordered.finish()
    assert [h.split()[0][3:] for h in handed] == paths  # every page, once, in the given order
    writers = {h.split()[1].rstrip("</p>") for h in handed}
    assert str(os.getpid()) in writers and len(writers) == 2, writers
    assert ordered.counts[0] + ordered.counts[1] == len(paths) and min(ordered.counts) > 0


def test_a_child_that_fails_reports_why(tmp_path: Path):
    def write(path: str) -> None:
        if path == "p3":
            raise ValueError("模板出错：p3")

    claims = parallel.Claims()
    helper = parallel.Helper.start([f"p{i}" for i in range(10)], claims, write, lambda: None, lambda: None)
    assert helper is not None
    with pytest.raises(parallel.HelperFailed, match="模板出错：p3"):
        helper.wait()


def test_markdown_converted_on_two_processes_is_what_one_process_gives(monkeypatch):
    texts = [f"# 标题 {i}\n\n第 {i} 段 **加粗** [链接](https://example.org/{i})\n\n| a | b |\n|---|---|\n| {i} | x |\n"
             for i in range(300)]
    alone = [render_markdown(t) for t in texts]
    monkeypatch.setenv("INNOSTUDIO_JOBS", "2")
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)  # a fixture's server thread elsewhere
    assert parallel.map_split(lambda x: os.getpid(), list(range(10)), 1).count(os.getpid()) == 5
    with converted(texts):
        assert [render_markdown(t) for t in texts] == alone
    monkeypatch.setenv("INNOSTUDIO_JOBS", "1")
    assert set(parallel.map_split(lambda x: os.getpid(), list(range(10)), 1)) == {os.getpid()}


def test_the_default_shares_only_a_large_site(monkeypatch):
    monkeypatch.delenv("INNOSTUDIO_JOBS", raising=False)
    monkeypatch.setattr(forking, "cores", lambda: 2)
    assert not parallel.helper_wanted(parallel.MIN_PAGES - 1)
    assert parallel.helper_wanted(parallel.MIN_PAGES)
    monkeypatch.setattr(forking, "cores", lambda: 1)
    assert not parallel.helper_wanted(10_000)
    monkeypatch.setenv("INNOSTUDIO_JOBS", "1")
    monkeypatch.setattr(forking, "cores", lambda: 2)
    assert not parallel.helper_wanted(10_000)


def test_pagefind_is_handed_the_head_and_the_indexed_element_only(sample_site: Path):
    page = (sample_site / "studios" / "huli-gexin" / "index.html").read_text(encoding="utf-8")
    part = search.indexed_part(page)
    assert part.startswith(page[:page.index("</head>")])  # lang, charset, title: as they were
    start = page.index("<div data-pagefind-body")
    body = part[part.index("<body>") + 6:part.rindex("</body>")]
    assert page[start:].startswith(body) and body.count("<div") == body.count("</div>")
    assert 'class="md-header' in page and 'class="md-header' not in part  # the theme's chrome is left out
    assert 'class="md-footer' in page and 'class="md-footer' not in part
    assert "md-nav" in page and "md-nav" not in part and len(page) - len(part) > 10_000
    nested = '<html><head></head><body><nav>x</nav><div data-pagefind-body><div>a</div><p>b</p></div><div>c</div>'
    assert search.indexed_part(nested) == '<html><head></head><body><div data-pagefind-body><div>a</div><p>b</p></div></body></html>'
    # a div tag in a comment or a script's text is no tag: the element ends where the page's markup says
    tricky = ('<html><head></head><body><div data-pagefind-body><!-- </div> --><script>s = "</div>"</script>'
              '<DIV class="x">a</DIV><p>b</p></div><footer>c</footer>')
    body = search.indexed_part(tricky).split("<body>")[1]
    assert body == '<div data-pagefind-body><!-- </div> --><script>s = "</div>"</script><DIV class="x">a</DIV><p>b</p></div></body></html>'
    assert search.indexed_part("<p>no body</p>") == "<p>no body</p>"


def _mkdocs_with(tmp_path: Path, repo: Path, code: str, *options: str) -> tuple[int, str]:
    """`mkdocs build` on two processes (forced) with ``code`` run at interpreter start (sitecustomize)."""
    inject = tmp_path / "inject"
    inject.mkdir(exist_ok=True)
    (inject / "sitecustomize.py").write_text(code, encoding="utf-8")
    env = dict(os.environ, INNOSTUDIO_AS_OF=SAMPLE_AS_OF, PYTHONPATH=str(inject), INNOSTUDIO_JOBS="2")
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", *options, "-f", str(repo / "mkdocs.yml")],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _temps(build: Path) -> list[str]:
    return sorted(p.name for p in build.iterdir() if p.name.startswith(".site-"))


def test_a_child_that_fails_fails_the_build_and_keeps_the_site(tmp_path: Path):
    repo = copy_repo(REPO, tmp_path / "repo")
    build_site(repo)
    before = _digest(repo / "build" / "site")
    code, out = _mkdocs_with(tmp_path, repo, (
        "import innostudio.render.build as b\n"
        "_become = b.SiteBuild._become_child\n"
        "def become(self):\n"
        "    _become(self)\n"
        "    def broken(*args, **kwargs):\n"
        "        raise RuntimeError('子进程里的模板错误')\n"
        "    self.page_written = broken\n"
        "b.SiteBuild._become_child = become\n"))
    assert code == 1, out
    assert "子进程里的模板错误" in out and "写页面的子进程失败" in out
    assert _digest(repo / "build" / "site") == before and not _temps(repo / "build")


def test_an_interrupt_while_both_write_stops_the_child_and_removes_the_folder(tmp_path: Path):
    repo = copy_repo(REPO, tmp_path / "repo")
    build_site(repo)
    before = _digest(repo / "build" / "site")
    pid_file = tmp_path / "child.pid"
    code, out = _mkdocs_with(tmp_path, repo, (
        "import os, signal\n"
        "import innostudio.render.build as b\n"
        "_become, _claim = b.SiteBuild._become_child, b.SiteBuild.claim\n"
        "def become(self):\n"
        f"    open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "    _become(self)\n"
        "def claim(self, path, _n=[0]):\n"
        "    _n[0] += 1\n"
        "    if _n[0] == 20:  # the parent has written pages, the child is writing\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return _claim(self, path)\n"
        "b.SiteBuild._become_child, b.SiteBuild.claim = become, claim\n"))
    assert code == 128 + signal.SIGTERM, out
    assert "Traceback" not in out
    child = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):  # stopped and reaped, not left writing
        os.kill(child, 0)
    assert not _temps(repo / "build") and _digest(repo / "build" / "site") == before


def test_what_the_child_logs_is_logged_once_by_the_parent_and_counts_in_strict_mode(tmp_path: Path):
    repo = copy_repo(REPO, tmp_path / "repo")
    warn = ("import innostudio.render.build as b\n"
            "_editor = b.SiteBuild._write_editor\n"
            "def editor(self, folder):\n"
            "    self.log.warning('编辑器的警告：%s', 'x')\n"
            "    return _editor(self, folder)\n"
            "b.SiteBuild._write_editor = editor\n")
    code, out = _mkdocs_with(tmp_path, repo, _SLOW_PARENT, "--strict")
    known = int(re.search(r"Aborted with (\d+) warnings in strict mode", out).group(1))  # the checker's own
    code, out = _mkdocs_with(tmp_path, repo, warn + _SLOW_PARENT, "--strict")
    assert out.count("编辑器的警告：x") == 1, out  # written in the child, printed once, by the parent
    assert "子进程" in out and code == 1, out
    assert f"Aborted with {known + 1} warnings in strict mode" in out, out
