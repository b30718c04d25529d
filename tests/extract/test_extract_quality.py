"""Score gates: archiver.extract on both development sets.

Runs every page of ``../shared/eval`` (next to the checkout: the 113 real news pages in
``data/`` and the 600 annotated pages in ``trafilatura-corpus/``) through ``extract_text``,
scores them with the benchmarks' own metrics from ``evaluate.py`` and asserts that F1,
precision and recall stay at or above the floors pinned in ``extract_quality_floor.json``
(set a little below the measured figures; the trafilatura corpus floors are under the
``trafilatura_corpus`` key).  Skipped when the evaluation folder is missing, except under
CI (environment variable ``CI`` set), where that is a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

from archiver.extract import extract_text

EVAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval"
FLOOR_FILE = Path(__file__).resolve().parent / "extract_quality_floor.json"


def _load_evaluate(marker: str = "data/ground-truth.json"):
    script = EVAL_DIR / "evaluate.py"
    if not script.is_file() or not (EVAL_DIR / marker).is_file():
        message = f"evaluation set not found at {EVAL_DIR}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    spec = importlib.util.spec_from_file_location("archiver_eval_harness", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


@pytest.mark.timeout(120)
def test_dev_set_scores_stay_above_floor():
    evaluate = _load_evaluate()
    floors = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))
    docs = evaluate.load_scrapinghub(EVAL_DIR / "data")
    predictions = [extract_text(doc.html, doc.url) for doc in docs]
    metrics = evaluate.score_scrapinghub(docs, predictions, n_bootstrap=0, seed=0)
    report = {k: round(metrics[k], 4) for k in ("f1", "precision", "recall", "accuracy")}
    print("dev-set scores:", report)
    for key in ("f1", "precision", "recall"):
        assert metrics[key] >= floors[key], (
            f"{key} {metrics[key]:.4f} fell below the floor {floors[key]} ({report})"
        )
    assert metrics["pages_without_prediction"] <= floors.get("max_empty_pages", 0)


@pytest.mark.timeout(600)
def test_trafilatura_corpus_scores_stay_above_floor():
    evaluate = _load_evaluate("trafilatura-corpus/evaldata.json")
    floors = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))["trafilatura_corpus"]
    docs = evaluate.load_trafilatura_corpus(EVAL_DIR / "trafilatura-corpus")
    predictions = [extract_text(doc.html, doc.url) for doc in docs]
    metrics = evaluate.score_snippets(docs, predictions)
    report = {k: round(metrics[k], 4) for k in ("f1", "precision", "recall")}
    print("trafilatura corpus scores:", report)
    for key in ("f1", "precision", "recall"):
        assert metrics[key] >= floors[key], (
            f"{key} {metrics[key]:.4f} fell below the floor {floors[key]} ({report})"
        )
