"""Adoption by another union: one skeleton for every site, CODEOWNERS kept in step, links from extra.forge.

docs/contract/policy-profile.md ("innostudio init") and site.md ("Owners"): an initialised repository is a
first-class site (the sample's configuration but for the organisation's values), `new studio` updates every
CODEOWNERS file, and the edit links follow `extra.forge`.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
import yaml

from conftest import REPO, build_site, run
from innostudio.forge import Forge
from innostudio.settings import _Loader
from innostudio.skeleton import EXTRA_KEYS, TOP_KEYS, render_mkdocs, values_of
from test_browser import _Quiet, browser, search  # noqa: F401 - the browser fixture

STUDIO_ARGS = ["--no-input", "--name", "文化创新工作室", "--unit", "文学院", "--fields", "文化传承",
               "--established", "2026-03-01", "--summary", "传承地方文化，开发线上课程", "--maintainers", "wh-lead",
               "--leader-name", "王一", "--leader-title", "教授", "--leader-title-level", "full_senior",
               "--leader-discipline", "中国语言文学", "--leader-education", "doctorate", "--leader-birth-year", "1975",
               "--leader-frontline", "true"]


def _yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def _init(tmp_path: Path, *extra: str) -> Path:
    target = tmp_path / "ours"
    res = run("init", str(target), "--org", "泰山科技大学工会", "--site-url", "https://gh.tskd.edu.cn/studios/",
              "--union-team", "gh-office", *extra)
    assert res.code == 0, res.err
    return target


def test_the_sample_configuration_is_the_skeleton_rendered_with_its_values():
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert render_mkdocs(values_of(_yaml(REPO / "mkdocs.yml"))) == text, (
        "mkdocs.yml differs from templates/skeleton/mkdocs.yml.j2: change the template, then render the sample")


def test_an_initialised_configuration_differs_from_the_sample_only_in_the_organisations_values(tmp_path: Path):
    ours = _yaml(_init(tmp_path, "--repo-url", "https://git.tskd.edu.cn/gonghui/innostudio") / "mkdocs.yml")
    sample = _yaml(REPO / "mkdocs.yml")
    for config in (ours, sample):
        for key in TOP_KEYS:
            config.pop(key, None)
        for key in EXTRA_KEYS:
            config["extra"].pop(key, None)
    assert ours == sample
    assert ours["plugins"] == [] and "pymdownx.superfences" in ours["markdown_extensions"]
    assert {"guide/standards.md", "guide/fields.md"} <= set(ours["nav"][-1]["贡献指南"])


def test_new_studio_updates_every_codeowners_file_in_the_same_step(tmp_path: Path):
    repo = _init(tmp_path, "--repo-url", "https://git.tskd.edu.cn/gonghui/innostudio", "--forge", "forgejo")
    assert run("new", "studio", "wenhua", *STUDIO_ARGS, cwd=repo).code == 0
    gitea = (repo / ".gitea/CODEOWNERS").read_text(encoding="utf-8").splitlines()
    assert ".* @gh-office" in gitea and "studios/wenhua/.* @wh-lead" in gitea  # Gitea's regular expressions
    for rel in (".github/CODEOWNERS", ".gitlab/CODEOWNERS"):
        assert "/studios/wenhua/ @wh-lead" in (repo / rel).read_text(encoding="utf-8").splitlines()
    assert run("codeowners", "--check", cwd=repo).code == 0


def test_a_gitlab_union_gets_no_gitea_file(tmp_path: Path):
    repo = _init(tmp_path, "--repo-url", "https://gitlab.tskd.edu.cn/gonghui/innostudio")
    assert run("new", "studio", "wenhua", *STUDIO_ARGS, cwd=repo).code == 0
    assert not (repo / ".gitea").exists()
    assert run("codeowners", "--check", cwd=repo).code == 0


@pytest.mark.parametrize("kind, base, expected", [
    ("gitlab", "https://gitlab.example.edu.cn", "https://gitlab.example.edu.cn/u/data/-/edit/main/studios/a/studio.yml"),
    ("forgejo", "https://git.example.edu.cn", "https://git.example.edu.cn/u/data/_edit/main/studios/a/studio.yml"),
    ("gitea", "https://gitea.example.edu.cn/", "https://gitea.example.edu.cn/u/data/_edit/main/studios/a/studio.yml"),
    ("github", "", "https://github.com/u/data/edit/main/studios/a/studio.yml"),
])
def test_edit_links_take_the_shape_of_the_forge(kind: str, base: str, expected: str):
    forge = Forge.from_extra({"forge": {"kind": kind, "base_url": base, "repo": "u/data", "branch": "main"}})
    assert forge is not None and forge.edit_url("studios/a/studio.yml") == expected
    assert expected.startswith(forge.repo_url + "/" + forge.edit_uri.removesuffix("content/"))


def test_no_repository_no_edit_links():
    assert Forge.from_extra({"forge": {"kind": "gitlab", "base_url": "https://gitlab.example.edu.cn", "repo": ""}}) is None
    assert Forge.from_extra({}) is None


@pytest.fixture(scope="module")
def adopted_site(tmp_path_factory) -> Path:
    """A union that is not the sample's: init, one studio, one achievement, built."""
    repo = _init(tmp_path_factory.mktemp("adopted"), "--repo-url", "https://git.tskd.edu.cn/gonghui/innostudio",
                 "--forge", "forgejo")
    assert run("new", "studio", "wenhua", *STUDIO_ARGS, cwd=repo).code == 0
    assert run("new", "achievement", "wenhua", "--no-input", "--title", "齐鲁非遗数字档案库", "--type", "innovation",
               "--date", "2026-06-01", cwd=repo).code == 0
    build_site(repo, as_of="2026-11-30")
    return repo / "build" / "site"


def test_an_adopted_site_carries_nothing_of_the_sample_school(adopted_site: Path):
    for page in adopted_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for word in ("济宁", "济医", "jingzhun", "精准药学", "王丽华"):
            assert word not in text, f"{page.relative_to(adopted_site)} says {word}"
    studio = (adopted_site / "studios/wenhua/index.html").read_text(encoding="utf-8")
    assert 'href="https://git.tskd.edu.cn/gonghui/innostudio/_edit/main/studios/wenhua/studio.yml"' in studio


@pytest.fixture(scope="module")
def adopted_server(adopted_site: Path):
    handler = functools.partial(_Quiet, directory=str(adopted_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_an_adopted_site_searches_passes_axe_at_phone_width_and_stays_on_its_host(browser, adopted_server):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    ctx = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                              has_touch=True, locale="zh-CN")
    pg = ctx.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    for path in ("", "studios/", "studios/wenhua/"):
        pg.goto(adopted_server + path)
        pg.wait_for_load_state("networkidle")
        assert pg.evaluate("document.documentElement.scrollWidth") <= 375, path
        bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in Axe().run(pg).response["violations"]
               if v["impact"] in ("serious", "critical")]
        assert not bad, (path, bad)
    ctx.close()
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = desk.new_page()
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(adopted_server)
    search(pg, "非遗数字档案", expect="齐鲁非遗数字档案库")
    search(pg, "文化创新", expect="文化创新工作室")
    desk.close()
    assert any("/pagefind/" in u for u in requests)
    outside = [u for u in requests if not u.startswith(adopted_server)]
    assert not outside, outside
