"""The report-shape suite (eval/shapes.py) on a slice of the held-out half: nothing silently wrong."""

from __future__ import annotations

import json

from conftest import GOLD, needs_shared

from eval import shapes

pytestmark = needs_shared


def test_gold_split_in_two_halves():
    dev, check = shapes.split_gold(list(GOLD.glob("*.json")))
    assert dev and check and not set(dev) & set(check)
    assert len(dev) + len(check) == len(list(GOLD.glob("*.json")))


def test_every_class_on_the_held_out_half_is_right_or_flagged(tmp_path):
    _, check = shapes.split_gold(list(GOLD.glob("*.json")))
    by_cls, by_fmt, total, problems = shapes.run("check", ("txt", "spaced", "flat", "wordhtml"), shapes.CLASSES,
                                                 tmp_path, GOLD)
    assert total.wrong == 0, problems[:10]
    assert total.meta_right == total.reports
    assert total.false_audit == 0
    assert total.right / total.cells >= 0.99
    assert set(by_cls) == set(shapes.CLASSES)


def test_a_variant_changes_what_it_says_it_changes(tmp_path):
    dev, _ = shapes.split_gold(list(GOLD.glob("*.json")))
    g = json.loads(dev[0].read_text(encoding="utf-8"))
    (sh,) = [s for s in shapes.variants([g], ("txt",), ("heading",)) if s.kind == "none"]
    text = shapes.write(sh, tmp_path).read_text(encoding="utf-8")
    assert "行政复议、行政诉讼情况" not in text and "结果维持" in text
