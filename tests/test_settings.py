"""The repository's settings, read once into one typed object (issue 22, step 3): mkdocs.yml `extra`,
union/standards.yml and union/policy.yml (its document names fall back to `extra` while it is absent)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import BASE_AS_OF, REPO, edit, run
from innostudio.corpus import load_repo
from innostudio.render.view import SiteConfig
from innostudio.settings import Settings

POLICY = """document:
  title: 某某大学创新工作室管理办法
  short: 管理办法
  number: 某工字〔2030〕1号
  date: 2030-01-15
  page: policy.md
clauses:
  S4: {ref: 第五条, quote: 有固定场所}
  inspection: {ref: 第九条, quote: 每年检查一次, reading: 次年三月底前完成}
targets:
  - {year: 2031, status: demonstration, min: 2, max: 3, ref: 第二条}
"""


def test_without_policy_yml_the_document_comes_from_extra_as_before(sample: Path):
    """An older repository: no policy.yml, the document named in mkdocs.yml's extra (W006 says so)."""
    (sample / "union" / "policy.yml").unlink()
    edit(sample, "mkdocs.yml", "extra:\n", "extra:\n  policy_title: 某校实施意见\n  policy_number: 某工字〔2022〕1号\n")
    settings = load_repo(sample).settings
    assert not settings.policy.present and dict(settings.policy.clauses) == {} and settings.policy.targets == ()
    assert settings.policy_short == "实施意见"
    assert settings.policy_title == settings.extra["policy_title"] and settings.policy_title
    assert settings.policy_number == settings.extra["policy_number"] and settings.policy_number
    assert settings.organisation == settings.extra["organisation"]
    assert settings.site_name and settings.site_url.startswith("https://")
    # the same object reaches the rules: the standards cite the configured policy
    assert load_repo(sample).standards.policy == "实施意见"


def test_the_samples_policy_yml_names_the_document_and_its_extra_names_none():
    settings = load_repo(REPO).settings
    assert settings.policy.present and len(settings.policy.clauses) == 15
    assert settings.policy_title.endswith("实施意见（试行）") and settings.policy_number.endswith("22号")
    assert not {"policy_title", "policy_short", "policy_number"} & set(settings.extra)  # policy-profile.md
    assert settings.policy.clause("inspection") is not None and settings.policy.clause("inspection").reading
    assert settings.local_label == "本校细则"


def test_policy_yml_is_read_into_the_typed_policy_and_wins_over_extra(base: Path):
    edit(base, "mkdocs.yml", "extra:", "extra:\n  policy_short: 旧简称\n  policy_title: 旧标题")
    (base / "union" / "policy.yml").write_text(POLICY, encoding="utf-8")
    settings = Settings.read(base)
    assert settings.policy.present
    assert settings.policy.document.date == dt.date(2030, 1, 15) and settings.policy.document.page == "policy.md"
    assert settings.policy_short == "管理办法" and settings.policy_title == "某某大学创新工作室管理办法"
    assert settings.policy_number == "某工字〔2030〕1号"
    clause = settings.policy.clause("inspection")
    assert clause is not None and (clause.ref, clause.quote, clause.reading) == ("第九条", "每年检查一次", "次年三月底前完成")
    assert settings.policy.clause("S1") is None and settings.policy.clause(None) is None
    target = settings.policy.targets[0]
    assert (target.year, target.status, target.min, target.max, target.ref) == (2031, "demonstration", 2, 3, "第二条")
    config = SiteConfig.from_settings(settings)
    assert (config.policy_short, config.policy_title) == ("管理办法", "某某大学创新工作室管理办法")
    # rule texts cite the document policy.yml names
    assert load_repo(base).standards.policy == "管理办法"
    res = run("rules", "S4.1", cwd=base)
    assert res.code == 0 and "《管理办法》" in res.out and "《实施意见》" not in res.out


def test_settings_of_the_build_match_those_of_the_repository():
    """The build reads the repository's Settings (with union/policy.yml), as the checker does."""
    settings = load_repo(REPO).settings
    config = SiteConfig.from_settings(settings, repo_url="https://forge.example/x")
    assert config.policy_title == settings.policy_title and config.policy_number == settings.policy_number
    assert config.clauses == settings.policy.clauses and config.local_label == "本校细则"
    assert config.cite("S2") == "《实施意见》三（一）2" and config.repo_url == "https://forge.example/x"


def test_a_broken_policy_yml_leaves_the_defaults_and_check_runs(base: Path):
    (base / "union" / "policy.yml").write_text("document: [unclosed\n", encoding="utf-8")
    settings = Settings.read(base)
    assert settings.policy.present and settings.policy_short == "实施意见"
    res = run("check", "--as-of", BASE_AS_OF, "--format", "json", cwd=base)
    # the rules still run on the defaults; the broken file itself is a data error at its line
    assert res.code == 1
    errors = [(f["code"], f["path"], f["line"]) for f in res.json()["findings"] if f["severity"] == "error"]
    assert errors == [("Y001", "union/policy.yml", 1)], errors
