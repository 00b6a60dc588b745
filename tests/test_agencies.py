"""Agency resolution in a store with many places and departments: the department of the place named, never
another place's department of the same name; a shared bare name asks back; a department the store does not
hold is named as missing. The store is generated (places × departments, a seeded subset held), so the
expectations are computed from the generator, not written per name."""

from __future__ import annotations

import itertools
import random

import pytest

from rag.agencies import ABBREV, AgencyIndex, split_places

CITY = "江城市"
PLACES = [(CITY,), (CITY, "东湖区"), (CITY, "西岭区"), ("西山县",), ("西山县", "城关镇"), ("北岸县",)]
DEPTS = ["财政局", "教育局", "市场监督管理局", "住房和城乡建设局", "自然资源和规划局", "城市管理局"]


def _gov(place: tuple[str, ...]) -> str:
    return "".join(place) + "人民政府"


def _store(seed: int) -> tuple[list[str], set[tuple[tuple[str, ...], str]]]:
    rng = random.Random(seed)
    held = {(p, d) for p, d in itertools.product(PLACES[:4] + PLACES[5:], DEPTS) if rng.random() < 0.5}
    names = [_gov(p) for p in PLACES] + ["".join(p) + d for p, d in held]
    return names, held


def _forms(dept: str) -> list[str]:
    out = [dept]
    for full, shorts in ABBREV:
        if dept == full:
            out += list(shorts)
    return out


@pytest.mark.parametrize("core,units,rest", [
    ("江城市东湖区财政局", ["江城市", "东湖区"], "财政局"),
    ("西山县城关镇", ["西山县", "城关镇"], ""),
    ("平潭综合实验区旅游与文化体育局", ["平潭综合实验区"], "旅游与文化体育局"),
    ("江城市城市管理局", ["江城市"], "城市管理局"),
    ("江城市住房和城乡建设局", ["江城市"], "住房和城乡建设局"),
    ("沛县", ["沛县"], ""),
    ("江苏省淮安市洪泽区", ["江苏省", "淮安市", "洪泽区"], ""),
])
def test_split_places(core, units, rest):
    assert split_places(core) == (tuple(units), rest)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_place_and_department(seed):
    names, held = _store(seed)
    ix = AgencyIndex(names)
    checked = 0
    for place, dept in itertools.product(PLACES, DEPTS):
        full = "".join(place) + dept
        for head in {"".join(place), place[-1], place[-1][:-1]}:
            if len(head) < 2:
                continue
            for form in _forms(dept):
                q = f"{head}{form}2021年新收了多少件申请"
                res = ix.resolve(q)
                got = [m.agency for m in res.named]
                checked += 1
                if (place, dept) in held:
                    assert got[:1] == [full], (q, got, res.unknown)
                    assert not res.unknown and not res.ambiguous, (q, res)
                else:
                    # never another place's department; the missing name is reported
                    assert not any(g.endswith(dept) for g in got), (q, got)
                    assert res.unknown, (q, got)
    assert checked > 100


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bare_department_name(seed):
    names, held = _store(seed)
    ix = AgencyIndex(names)
    for dept in DEPTS:
        owners = sorted("".join(p) + d for p, d in held if d == dept)
        for form in _forms(dept):
            res = ix.resolve(f"请问{form}2021年收到多少申请")
            if len(owners) == 1:
                assert [m.agency for m in res.named] == owners, (form, res)
            elif len(owners) > 1:
                assert sorted(next(iter(res.ambiguous.values()))) == owners, (form, res)


def test_town_of_a_county():
    ix = AgencyIndex(["西山县人民政府", "西山县城关镇人民政府", "北岸县城关镇人民政府"])
    assert [m.agency for m in ix.resolve("西山城关镇2021年收到几件申请").named] == ["西山县城关镇人民政府"]
    assert sorted(ix.resolve("城关镇2021年收到几件申请").ambiguous["城关镇"]) == ["北岸县城关镇人民政府",
                                                                           "西山县城关镇人民政府"]
    assert [m.agency for m in ix.resolve("西山县2021年收到几件申请").named] == ["西山县人民政府"]


def test_unknown_place_before_a_department():
    ix = AgencyIndex(["江城市人民政府", "江城市财政局", "江城市市场监督管理局"])
    for q in ("厦门市财政局2021年收到多少申请", "厦门市场监管局2021年收到多少申请"):
        res = ix.resolve(q)
        assert not res.named and res.unknown and res.unknown[0].startswith("厦门"), (q, res)
    assert [m.agency for m in ix.resolve("江城市场监管局2021年").named] == ["江城市市场监督管理局"]


def test_answers_in_a_store_of_namesakes(tmp_path):
    """The Answerer over a store holding one report under three names: a bare department name held by two
    places asks back with both figures; the place named picks its own; a place without one is not answered."""
    import dataclasses
    from pathlib import Path

    from index.parse import parse_file
    from index.store import FactStore
    from rag.answer import Answerer

    base = parse_file(Path(__file__).resolve().parents[1] / "data" / "reports" / "shuyang-2025.txt")
    new_total = next(f.value for f in base.facts if f.full_key == "table3.new.total")
    store = FactStore(tmp_path / "facts.sqlite")
    for i, name in enumerate(["江城市财政局", "西山县财政局", "江城市东湖区人民政府"]):
        store.put(dataclasses.replace(base, id=f"r{i}", agency=name, sha256=f"{i}" * 64))
    store.close()
    a = Answerer(tmp_path, use_index=False)
    amb = a.ask("财政局2025年新收了多少件政府信息公开申请？")
    assert amb.kind == "clarify" and "江城市财政局" in amb.answer and "西山县财政局" in amb.answer, amb.answer
    own = a.ask("西山财政局2025年新收了多少件政府信息公开申请？")
    assert own.kind == "figure" and own.value == new_total and own.reports[0]["agency"] == "西山县财政局"
    missing = a.ask("东湖区财政局2025年新收了多少件政府信息公开申请？")
    assert missing.kind == "not_found" and missing.value is None and "东湖区财政局" in missing.answer, missing.answer


def test_ministries_and_national_bureaus():
    ix = AgencyIndex(["中华人民共和国教育部", "国家统计局", "淮安市人民政府"])
    assert [m.agency for m in ix.resolve("教育部2021年收到多少申请").named] == ["中华人民共和国教育部"]
    assert [m.agency for m in ix.resolve("统计局2022年收到多少申请").named] == ["国家统计局"]
    assert [m.agency for m in ix.resolve("Ministry of Education 2021 requests").named] == ["中华人民共和国教育部"]
    res = ix.resolve("淮安市教育局2021年收到多少申请")
    assert res.unknown == ["淮安市教育局"] and all(m.agency == "淮安市人民政府" for m in res.named)


def test_subdistricts_and_zones_are_governments():
    names = ["江城市东湖区城南街道办事处", "江城经济技术开发区管理委员会", "江城市人民政府", "福建省平潭综合实验区管理委员会"]
    ix = AgencyIndex(names)
    for q, want in [("城南街道2023年收到几件申请", names[0]), ("城南街道办2023年收到几件申请", names[0]),
                    ("江城开发区2023年收到几件申请", names[1]), ("江城经开区管委会2023年收到几件申请", names[1]),
                    ("平潭管委会2023年收到几件申请", names[3]), ("江城市2023年收到几件申请", names[2])]:
        res = ix.resolve(q)
        assert [m.agency for m in res.named] == [want] and not res.unknown, (q, res)


def test_an_area_bureau_governs_its_area_and_a_zone_office_goes_by_its_short_name():
    # 西岭片区管理局 is named for nothing but its area: 西岭片区 is it; 管委会办公室 is written 管委办
    names = ["江城综合实验区", "江城综合实验区西岭片区管理局", "江城综合实验区管委会办公室", "江城综合实验区公安局"]
    ix = AgencyIndex(names)
    for q, want in [("西岭片区2023年收到几件申请", names[1]), ("江城西岭片区2023年收到几件申请", names[1]),
                    ("江城管委办2023年收到几件申请", names[2]), ("江城实验区2023年收到几件申请", names[0])]:
        res = ix.resolve(q)
        assert [m.agency for m in res.named] == [want] and not res.unknown, (q, res)
    # a bureau with a function is no area's government: 江城公安 is not 江城
    assert [m.agency for m in ix.resolve("江城公安局2023年收到几件申请").named] == [names[3]]


def test_a_rare_kind_of_place_alone_names_the_one_zone_holding_it():
    # 实验区 names the store's one 综合实验区; with two in the store the mention fits both and is asked back
    one = AgencyIndex(["江城综合实验区", "江城综合实验区公安局", "江城市人民政府"])
    res = one.resolve("实验区2023年收到几件申请")
    assert [m.agency for m in res.named] == ["江城综合实验区"] and not res.ambiguous
    two = AgencyIndex(["江城综合实验区", "海城综合实验区", "江城市人民政府"])
    assert set(two.resolve("实验区2023年收到几件申请").ambiguous.get("实验区", [])) == {"江城综合实验区", "海城综合实验区"}


def test_a_department_by_its_place_and_what_it_does_without_its_kind():
    # 江城公安 is 江城…公安局 (and in pinyin); 江城管委会 stays the zone, not its 管委会办公室
    names = ["江城综合实验区", "江城综合实验区公安局", "江城综合实验区管委会办公室"]
    ix = AgencyIndex(names)
    for q, want in [("江城公安2023年收到几件申请", names[1]), ("jiangcheng gongan 2023 shenqing", names[1]),
                    ("江城管委会2023年收到几件申请", names[0])]:
        assert [m.agency for m in ix.resolve(q).named][:1] == [want], q


def test_english_and_pinyin_names_several_agencies_share_ask_which():
    ix = AgencyIndex(["江城市财政局", "西山县财政局", "江城市人民政府"])
    for q in ("How many requests did the Finance Bureau receive in 2021?", "caizhengju 2021 nian shoudao duoshao shenqing"):
        res = ix.resolve(q)
        assert sorted(next(iter(res.ambiguous.values()), [])) == ["江城市财政局", "西山县财政局"], (q, res)
    res = ix.resolve("How many requests did the Xishan Finance Bureau receive in 2021?")
    assert [m.agency for m in res.named][:1] == ["西山县财政局"] and not res.ambiguous, res
