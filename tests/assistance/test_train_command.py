"""``hotline train``: learning from the database's history, split by time."""

from datetime import date

import joblib
import pytest

import hotline.demo
from hotline.assistance import store
from hotline.assistance.engine import forget_loaded_models
from hotline.assistance.live import current_engine
from hotline.assistance.selectors import training_samples
from hotline.cli.main import run
from hotline.demo.history.generator import generate
from tests import factories
from tests.conftest import local


@pytest.fixture
def history(db, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    out = tmp_path / "history"
    generate(
        directory=hotline.demo.DIRECTORY,
        start=date(2025, 1, 1),
        months=3,
        orders_per_month=400,
        seed=5,
        out=out,
    )
    assert run(["import", "directory", str(hotline.demo.DIRECTORY)]) == 0
    assert run(["import", "orders", str(out / "orders.jsonl")]) == 0
    forget_loaded_models()
    yield out
    forget_loaded_models()


def test_samples_from_the_database_keep_only_first_dispatches_never_returned(history):
    samples = training_samples()
    assert len(samples) > 1000
    assert [s.received_at for s in samples] == sorted(s.received_at for s in samples)
    leads = [s for s in samples if s.lead]
    assert leads and all(s.category for s in leads)
    assert {s.month for s in samples} == {"2025-01", "2025-02", "2025-03"}


def test_train_prints_the_held_out_accuracy_and_saves_a_versioned_model(history, settings, capsys):
    assert run(["train", "--no-refit"]) == 0
    out = capsys.readouterr().out
    assert "检验：" in out and "（2025-03）" in out
    assert "事项分类 首选准确率" in out and "主办单位 前三命中率" in out
    assert "诉求类型 首选准确率" in out
    files = store.model_files(settings.VAR_DIR / "models")
    assert len(files) == 1 and files[0].name.startswith("suggestions-")
    model = store.load(files[0])
    assert model.metadata["evaluation"]["test_month"] == "2025-03"
    assert model.metadata["evaluation"]["lead_top3"] >= 0.9
    engine = current_engine()
    assert engine.model is not None
    found = engine.suggest("社保卡丢了怎么补办", "")
    assert found.learned is True
    assert found.leads[0].code == "U-RSJ"


def test_train_learns_the_knowledge_bases_approved_articles(history, settings, capsys):
    from hotline.knowledge.demo import load_demo_knowledge
    from hotline.knowledge.models import Article

    added = load_demo_knowledge(hotline.demo.DIRECTORY)
    Article.objects.filter(pk=Article.objects.order_by("pk").first().pk).update(
        status=Article.Status.PENDING
    )
    assert run(["train", "--no-refit"]) == 0
    model = store.load(store.model_files(settings.VAR_DIR / "models")[0])
    assert model.metadata["articles"] == added - 1  # the one awaiting review is not learned


def test_train_learns_the_appeal_type_from_the_offices_labelled_requests(history, settings):
    """The requests an office keeps labelled in its data folder teach the appeal type; the
    demo gives its office the demo city's, and keeps a file the office put there."""
    from hotline.demo.setup import ensure_requests

    assert run(["train", "--no-refit"]) == 0
    assert store.load(store.model_files(settings.VAR_DIR / "models")[0]).metadata["requests"] == 0
    ensure_requests(settings.VAR_DIR)
    kept = (settings.VAR_DIR / "requests.jsonl").read_bytes()
    assert kept == (hotline.demo.DIRECTORY / "requests.jsonl").read_bytes()
    assert run(["train", "--no-refit"]) == 0
    newest = store.load(store.model_files(settings.VAR_DIR / "models")[-1])
    assert newest.metadata["requests"] == len(kept.splitlines())
    assert newest.appeal.temperature != 1.0  # fitted on the requests, each learned without
    (settings.VAR_DIR / "requests.jsonl").write_text(kept.decode().splitlines()[0] + "\n")
    ensure_requests(settings.VAR_DIR)
    assert len((settings.VAR_DIR / "requests.jsonl").read_text().splitlines()) == 1


def test_train_with_too_little_history_says_so(db, settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    assert run(["train"]) == 2
    assert "没有可供学习的历史工单" in capsys.readouterr().err
    assert store.model_files(tmp_path / "models") == []


def test_imported_directory_keeps_the_local_names_of_places(db):
    from hotline.assistance.selectors import directory_snapshot

    assert run(["import", "directory", str(hotline.demo.DIRECTORY)]) == 0
    assert directory_snapshot().regions["430372"].aliases == ("九华", "九华经开区")
    found = current_engine().suggest("九华那边有个工地晚上一直施工", "")
    assert found.regions[0].code == "430372"


def test_the_demo_trains_again_when_no_model_it_can_read_is_left(
    db, tmp_path, settings, monkeypatch
):
    """A demo started again over its history, after an upgrade made its model file
    unreadable, is ready only with a model again."""
    from hotline.assistance.live import models_folder
    from hotline.cli import main as cli

    settings.VAR_DIR = tmp_path
    trained = []
    monkeypatch.setattr(cli, "_import_directory", lambda folder: None)
    monkeypatch.setattr(cli, "_migrate", lambda: None)
    monkeypatch.setattr("hotline.demo.setup.ensure_accounts", lambda path: [])
    monkeypatch.setattr("hotline.demo.setup.ensure_requests", lambda folder: None)
    monkeypatch.setattr("hotline.knowledge.demo.load_demo_knowledge", lambda folder: 0)
    monkeypatch.setattr(cli, "_train", lambda since, *, refit: trained.append(refit) or 0)
    cli.run(["demo", "--months", "0"])
    assert trained == []  # no history: nothing to learn
    factories.register(factories.small_city(), local(2026, 3, 2, 9))
    models_folder().mkdir(parents=True)
    joblib.dump(
        {"format": store.FORMAT - 1, "model": None}, models_folder() / "suggestions-1.joblib"
    )
    cli.run(["demo", "--months", "0"])
    assert trained == [False]
