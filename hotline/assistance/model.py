"""The learned part of the suggestions: appeal type, category and lead unit from the text.

One vocabulary (``features.Analyzer``, TF-IDF weighted) feeds three naive Bayes
classifiers (complement NB: fast to train, fast to apply, sound on short texts). Their
scores are turned into probabilities by a softmax whose temperature is fitted on the
last part of the training period, so that a confidence of 0.8 is right about four
times in five on orders the model did not learn from. The lead-unit classifier also
reads the district the order's place lies in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import ComplementNB

from hotline.assistance.features import Analyzer

VOCABULARY_MAX = 30000
CALIBRATION_SHARE = 0.15  # the latest part of the training period, for the temperature
DISTRICT_WEIGHT = 1.0  # weight of the district column beside the text's terms
_TEMPERATURES = np.geomspace(0.02, 50.0, 60)


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


@dataclass
class Classifier:
    """Complement naive Bayes whose scores become calibrated probabilities."""

    classes: np.ndarray
    weights: np.ndarray  # (features, classes), float32
    temperature: float = 1.0

    @classmethod
    def fit(cls, X, labels: Sequence[str], alpha: float = 0.1) -> Classifier:
        nb = ComplementNB(alpha=alpha)
        nb.fit(X, np.asarray(labels))
        return cls(nb.classes_, np.ascontiguousarray(nb.feature_log_prob_.T, dtype=np.float32))

    def scores(self, X) -> np.ndarray:
        return np.asarray(X @ self.weights, dtype=np.float64)

    def proba(self, X) -> np.ndarray:
        return softmax(self.scores(X), self.temperature)

    def calibrate(self, X, labels: Sequence[str]) -> None:
        """Picks the softmax temperature that best predicts ``labels`` (least log loss)."""
        position = {c: i for i, c in enumerate(self.classes)}
        rows = [i for i, label in enumerate(labels) if label in position]
        if not rows:
            return
        scores = self.scores(X[rows])
        truth = np.array([position[labels[i]] for i in rows])
        best, best_loss = self.temperature, None
        for temperature in _TEMPERATURES:
            p = softmax(scores.copy(), temperature)[np.arange(len(rows)), truth]
            loss = -np.log(np.clip(p, 1e-12, None)).mean()
            if best_loss is None or loss < best_loss:
                best, best_loss = float(temperature), loss
        self.temperature = best


@dataclass
class SuggestionModel:
    vectorizer: TfidfVectorizer
    appeal: Classifier
    category: Classifier
    lead: Classifier | None
    districts: list[str]  # the lead classifier's district columns, in order
    metadata: dict = field(default_factory=dict)

    def features(self, contents: Sequence[str]):
        return self.vectorizer.transform(contents)

    def lead_features(self, X, districts: Sequence[str | None]):
        column = {code: i for i, code in enumerate(self.districts)}
        rows, cols = [], []
        for i, district in enumerate(districts):
            if district in column:
                rows.append(i)
                cols.append(column[district])
        D = sparse.csr_matrix(
            (np.full(len(rows), DISTRICT_WEIGHT, dtype=np.float32), (rows, cols)),
            shape=(X.shape[0], len(self.districts)),
        )
        return sparse.hstack([X, D], format="csr")


def _vectorizer(words) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=Analyzer(words),
        sublinear_tf=True,
        min_df=2,
        max_features=VOCABULARY_MAX,
        dtype=np.float32,
    )


def fit(
    *,
    contents: list[str],
    appeals: list[str],
    categories: list[str],
    leads: list[str],
    districts: list[str | None],
    extra_category_texts: list[tuple[str, str]],
    words: list[str],
) -> SuggestionModel:
    """Learns from examples in time order (the latest part calibrates the confidences).

    ``categories`` and ``leads`` hold "" where an example teaches nothing about them;
    ``extra_category_texts`` are (text, category) pairs from the directory itself (the
    catalogue's keywords, the categories' names), learned beside the history.
    """
    n = len(contents)
    split = max(1, int(n * (1 - CALIBRATION_SHARE)))
    vectorizer = _vectorizer(words)
    extra_texts = [t for t, _ in extra_category_texts]
    everything = vectorizer.fit_transform(contents + extra_texts)
    X = everything[:n]
    X_extra = everything[n:] if extra_texts else None
    district_codes = sorted({d for d in districts if d})
    model = SuggestionModel(vectorizer, None, None, None, district_codes)

    def train(matrix, labels, extra=None, extra_labels=()):
        keep = [i for i, label in enumerate(labels) if label]
        if len({labels[i] for i in keep}) < 2:
            return None
        early = [i for i in keep if i < split]
        late = [i for i in keep if i >= split]

        def stack(rows):
            if extra is None:
                return matrix[rows], [labels[i] for i in rows]
            return sparse.vstack([matrix[rows], extra]), [labels[i] for i in rows] + list(
                extra_labels
            )

        temperature = 1.0
        if early and late and len({labels[i] for i in early}) >= 2:
            trial = Classifier.fit(*stack(early))
            trial.calibrate(matrix[late], [labels[i] for i in late])
            temperature = trial.temperature
        classifier = Classifier.fit(*stack(keep))
        classifier.temperature = temperature
        return classifier

    model.appeal = train(X, appeals)
    model.category = train(X, categories, X_extra, [c for _, c in extra_category_texts])
    model.lead = train(model.lead_features(X, districts), leads)
    return model
