"""Open data v1 (federation.md, "What every site publishes"): /api/site.json, schema_version on every
document, the studio and achievement fields a provincial federation reads, and the JSON Schemas under
/api/schema/ that those documents validate against."""
from __future__ import annotations

import copy
import datetime as dt
import json
import posixpath
import re
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO, SAMPLE_AS_OF, build_site

DOCUMENTS = ("site", "studios", "achievements", "recognitions")

# What version 1 promises. Fields are only ever added within a schema_version: a schema may require and
# describe more than this, never less (dropping or renaming a field here is a new schema_version).
V1_TOP = {
    "site": ["schema_version", "org", "url", "policy", "as_of", "generated_with", "counts"],
    "studios": ["schema_version", "as_of", "count", "items"],
    "achievements": ["schema_version", "as_of", "count", "items"],
    "recognitions": ["schema_version", "as_of", "count", "items"],
}
V1_ITEMS = {
    "studios": ["slug", "name", "unit", "fields", "established", "summary", "status", "status_label",
                "under_review", "recommended", "recommendation", "recommendations", "met", "standards",
                "leader_name", "leader_title", "team_size", "achievement_count", "accredited_on", "url",
                "recognitions"],
    "achievements": ["studio", "studio_name", "name", "title", "type", "type_label", "date", "level", "members",
                     "project", "identifier", "value_yuan", "tags", "recognitions", "url"],
    "recognitions": ["studio", "studio_name", "kind", "kind_label", "clause", "achievement", "achievement_title",
                     "member", "date", "document", "to", "note", "url"],
}
V1_SITE_NESTED = {"policy": ["title", "number", "date"],
                  "counts": ["candidate", "accredited", "demonstration", "rectifying", "revoked", "plaque_holders"]}


def _load(site: Path, rel: str) -> dict:
    return json.loads((site / rel).read_text(encoding="utf-8"))


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def schemas(sample_site: Path) -> dict[str, dict]:
    return {name: _load(sample_site, f"api/schema/{name}.json") for name in DOCUMENTS}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_published_documents_validate_against_their_published_schemas(sample_site, schemas, name):
    doc = _load(sample_site, f"api/{name}.json")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator(schemas[name]).iter_errors(doc)]
    assert not errors, errors
    assert doc["schema_version"] == 1
    if name != "site":
        assert doc["as_of"] == SAMPLE_AS_OF and doc["count"] == len(doc["items"]) > 0


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_document_missing_a_required_field_fails_validation(sample_site, schemas, name):
    doc = _load(sample_site, f"api/{name}.json")
    validator = _validator(schemas[name])
    for key in V1_TOP[name]:
        broken = copy.deepcopy(doc)
        del broken[key]
        assert not validator.is_valid(broken), f"{name} without {key} validates"
    for key in V1_ITEMS.get(name, []):
        broken = copy.deepcopy(doc)
        del broken["items"][0][key]
        assert not validator.is_valid(broken), f"{name} item without {key} validates"
    for key, fields in (V1_SITE_NESTED.items() if name == "site" else ()):
        for sub in fields:
            broken = copy.deepcopy(doc)
            del broken[key][sub]
            assert not validator.is_valid(broken), f"site.{key} without {sub} validates"
    wrong = copy.deepcopy(doc)
    wrong["schema_version"] = 2
    assert not validator.is_valid(wrong)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_schemas_keep_every_v1_field(name):
    """The committed schemas require and describe at least every field version 1 promised."""
    from importlib import resources

    schema = json.loads((resources.files("innostudio") / "data" / "api-schema" / f"{name}.json")
                        .read_text(encoding="utf-8"))
    assert set(V1_TOP[name]) <= set(schema["required"]) <= set(schema["properties"])
    if name in V1_ITEMS:
        item = schema["properties"]["items"]["items"]
        assert set(V1_ITEMS[name]) <= set(item["required"]) <= set(item["properties"])
    if name == "site":
        for key, fields in V1_SITE_NESTED.items():
            sub = schema["properties"][key]
            assert set(fields) <= set(sub["required"]) <= set(sub["properties"])


def test_site_document_names_the_union_the_policy_and_counts_by_status(sample_site: Path):
    site = _load(sample_site, "api/site.json")
    studios = _load(sample_site, "api/studios.json")["items"]
    assert site["org"] == "济宁医学院工会" and site["url"] == "https://example.edu.cn/innostudio/"
    assert site["policy"]["number"] == "济医工字〔2022〕22号" and "实施意见" in site["policy"]["title"]
    assert site["as_of"] == SAMPLE_AS_OF and site["generated_with"]
    policy_file = REPO / "union/policy.yml"  # the policy as data (policy-profile.md), where the sample has it
    document = yaml.safe_load(policy_file.read_text(encoding="utf-8"))["document"] if policy_file.is_file() else {}
    assert site["policy"]["date"] == (document["date"].isoformat() if document.get("date") else None)
    statuses = [s["status"] for s in studios]
    assert {k: v for k, v in site["counts"].items() if k != "plaque_holders"} == \
        {code: statuses.count(code) for code in V1_SITE_NESTED["counts"][:-1]}
    # the home page's 已授牌 figure: accredited, demonstration and rectifying studios hold a plaque
    assert site["counts"]["plaque_holders"] == 4 == sum(s in ("accredited", "demonstration", "rectifying")
                                                          for s in statuses)


def test_studios_carry_url_status_and_recommendations_with_document_numbers(sample_site: Path):
    studios = {s["slug"]: s for s in _load(sample_site, "api/studios.json")["items"]}
    decisions = yaml.safe_load((REPO / "union/decisions.yml").read_text(encoding="utf-8"))["decisions"]
    as_of = dt.date.fromisoformat(SAMPLE_AS_OF)
    for slug, s in studios.items():
        expected = [{"date": d["date"].isoformat(), "document": d["document"]} for d in decisions
                    if d["studio"] == slug and d["action"] == "recommend" and d["date"] <= as_of]
        assert s["recommendations"] == sorted(expected, key=lambda x: x["date"]), slug
        assert s["recommendation"] == (s["recommendations"][-1] if s["recommendations"] else None), slug
        assert s["url"] == f"https://example.edu.cn/innostudio/studios/{slug}/"
        assert s["under_review"] is False  # no record of the sample is left out of a status
    assert studios["jingzhun-yaoxue"]["recommendation"] == {"date": "2025-12-10", "document": "济医工字〔2025〕28号"}
    assert studios["jingzhun-yaoxue"]["recommended"] is True and studios["jingzhun-yaoxue"]["status"] == "demonstration"
    assert studios["huli-gexin"]["status"] == "revoked" and studios["kouqiang-shuzi"]["status"] == "candidate"
    csv_text = (sample_site / "api/studios.csv").read_text(encoding="utf-8-sig")
    header, *rows = csv_text.splitlines()
    assert "recommendation" in header.split(",") and "under_review" in header.split(",")
    assert any("2025-12-10 济医工字〔2025〕28号" in row for row in rows)


def test_achievements_carry_their_public_url(sample_site: Path):
    for item in _load(sample_site, "api/achievements.json")["items"]:
        assert item["url"] == f"https://example.edu.cn/innostudio/studios/{item['studio']}/achievements/{item['name']}/"


def test_published_schemas_are_the_package_schemas(sample_site: Path):
    from importlib import resources

    for name in DOCUMENTS:
        packaged = (resources.files("innostudio") / "data" / "api-schema" / f"{name}.json").read_text(encoding="utf-8")
        assert (sample_site / f"api/schema/{name}.json").read_text(encoding="utf-8") == packaged


def test_every_recommend_oldest_first_latest_on_or_before_as_of(base: Path):
    """Two recommends and one dated after the evaluation date: the later one is not yet published."""
    from innostudio.check import run as check_run
    from innostudio.render.site import render_site
    from innostudio.render.view import SiteConfig

    with (base / "union/decisions.yml").open("a", encoding="utf-8") as f:
        f.write("  - {studio: alpha, action: recommend, date: 2026-03-01, document: 测试〔2026〕9号}\n"
                "  - {studio: alpha, action: recommend, date: 2024-03-01, document: 测试〔2024〕3号}\n"
                "  - {studio: alpha, action: recommend, date: 2026-09-01, document: 测试〔2026〕20号}\n")
    outputs, _home = render_site(check_run(base, dt.date(2026, 6, 30)), SiteConfig())
    docs = {o.path: o.content for o in outputs}
    alpha = json.loads(docs["api/studios.json"])["items"][0]
    assert alpha["recommendations"] == [{"date": "2024-03-01", "document": "测试〔2024〕3号"},
                                        {"date": "2026-03-01", "document": "测试〔2026〕9号"}]
    assert alpha["recommendation"] == {"date": "2026-03-01", "document": "测试〔2026〕9号"}
    for name in DOCUMENTS:
        schema = json.loads(docs[f"api/schema/{name}.json"])
        assert _validator(schema).is_valid(json.loads(docs[f"api/{name}.json"])), name
    site = json.loads(docs["api/site.json"])
    assert site["url"] is None and site["counts"]["accredited"] + site["counts"]["demonstration"] == 1


# -- /achievements/: an index by year and type, a page per year, numbered pages past 300 KB (site.md) --------

ACH_LINK = re.compile(r'<a class="inno-ach__title" href="([^"]+)"')


def _links(site: Path, page: Path) -> list[str]:
    """The achievement pages a built page lists, as site paths."""
    here = page.parent.relative_to(site).as_posix()
    return [posixpath.normpath(posixpath.join(here, href)).strip("/") + "/"
            for href in ACH_LINK.findall(page.read_text(encoding="utf-8"))]


def test_sample_index_links_every_year_page_and_each_lists_that_years_achievements(sample_site: Path):
    achievements = _load(sample_site, "api/achievements.json")["items"]
    by_year: dict[str, set[str]] = {}
    for a in achievements:
        by_year.setdefault(a["date"][:4], set()).add(f"studios/{a['studio']}/achievements/{a['name']}/")
    index = (sample_site / "achievements/index.html").read_text(encoding="utf-8")
    assert len(by_year) >= 4
    for year, expected in by_year.items():
        assert f'href="{year}/"' in index, year
        assert f"{year} 年（{len(expected)} 项）" in index
        page = sample_site / "achievements" / year / "index.html"
        listed = _links(sample_site, page)
        assert sorted(listed) == sorted(expected), year
        assert "第 2 页" not in page.read_text(encoding="utf-8")  # a small year is one page
    assert "inno-ach__title" not in index  # the index is by year and type; the lists are on the year pages
    assert f"共 {len(achievements)} 项" in index


def test_a_large_school_gets_year_pages_under_300_kb_linking_every_achievement_once(tmp_path: Path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import make

    root = make(40, tmp_path / "corpus", achievements=40)  # 1,600 achievements, all of 2026
    for name in ("content", "hooks", "overrides"):
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    build_site(root, "2026-06-30")
    site = root / "build" / "site"
    pages = sorted((site / "achievements").rglob("index.html"))
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in pages}
    assert max(sizes.values()) < 300_000, sizes
    parts = [p for p in pages if p.parent != site / "achievements"]
    assert len(parts) >= 3 and (site / "achievements/2026/2/index.html") in parts, sizes
    listed = [link for p in parts for link in _links(site, p)]
    expected = {f"studios/studio-{i:04d}/achievements/a{k:02d}/" for i in range(40) for k in range(40)}
    assert len(listed) == len(set(listed)) == 1600 and set(listed) == expected
    index = (site / "achievements/index.html").read_text(encoding="utf-8")
    for p in parts:
        rel = p.parent.relative_to(site / "achievements").as_posix() + "/"
        assert f'href="{rel}"' in index, rel  # the index links every numbered page
    second = (site / "achievements/2026/2/index.html").read_text(encoding="utf-8")
    assert "（第 2 页，共" in second and 'href="../"' in second and 'aria-current="page"' in second
