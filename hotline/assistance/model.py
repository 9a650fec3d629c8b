"""The learned part of the suggestions: appeal type, category and lead unit from the text.

One vocabulary (``features.Analyzer``, TF-IDF weighted) feeds three linear classifiers.
The category is learned by a linear support vector machine from the history together
with labelled texts written in other words — the knowledge base's articles, the
directory's category names and keywords — each with its weight: a discriminative model
spreads its weight over the words that tell categories apart rather than over the
history's most frequent phrasing, and so holds up better on requests worded unlike the
history. The appeal type is learned by a linear support vector machine too, from the
history and the requests written by hand, which say how citizens ask, ask for help,
complain and report better than the history's demands ("请尽快处理", "要求…"), weighted
the more. The lead unit uses complement naive Bayes (fast to train and apply, sound on
short texts) and also learns the labelled texts, each under the unit the catalogue names
for its category. Every classifier's scores are turned into probabilities by a softmax
whose temperature is fitted on requests written by hand — not on the history, whose
generated or templated phrasing the model knows by heart and would make it sure of
answers that are wrong on a citizen's own words — so that a confidence of 0.8 is right
about four times in five. The appeal type learns those requests, so its temperature is
fitted on each one's scores by a machine that learned without it (cross-fitting). The
lead-unit classifier also reads the district the order's place lies in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from hotline.assistance.features import APPEAL_CUES, Analyzer, WordSpotter
from hotline.assistance.features import MARKS as _MARKS

VOCABULARY_MAX = 60000
SVM_C = 0.2  # the category machine's regularisation: lower spreads weight over more terms
DISTRICT_WEIGHT = 1.0  # weight of the district column beside the text's terms
# The appeal type's machine: less regularised than the category's (cross-validated over
# the demo's requests, C from 0.3 to 2 gave the same within half a point).
APPEAL_C = 1.0
# Weight of an appeal-type cue column beside the text's terms (each row's terms weigh 1
# together): at 6 the appeal type's machine did not converge in 1 000 steps, at 1 it does
# in 140 with the same accuracy.
CUE_WEIGHT = 1.0
# The hand-written requests are cut into this many parts for the appeal type's
# temperature: each part scored by a machine that learned the others.
CROSS_FIT_PARTS = 5
VOCABULARY_WEIGHT = 0.1  # a category's word of four characters or more found in the text
# The search range of the softmax temperatures. Its floor keeps a model that separates its
# own training text perfectly from claiming certainty on words it never saw.
_TEMPERATURES = np.geomspace(0.1, 50.0, 60)


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


@dataclass
class Classifier:
    """Linear scores (naive Bayes or a support vector machine) become calibrated
    probabilities."""

    classes: np.ndarray
    weights: np.ndarray  # (features, classes), float32
    intercept: np.ndarray  # (classes,)
    temperature: float = 1.0

    @classmethod
    def naive_bayes(cls, X, labels: Sequence[str], sample_weight=None) -> Classifier:
        nb = ComplementNB(alpha=0.1)
        nb.fit(X, np.asarray(labels), sample_weight=sample_weight)
        weights = np.ascontiguousarray(nb.feature_log_prob_.T, dtype=np.float32)
        return cls(nb.classes_, weights, np.zeros(len(nb.classes_)))

    @classmethod
    def support_vectors(
        cls, X, labels: Sequence[str], sample_weight=None, *, c: float = SVM_C
    ) -> Classifier:
        # The dual solver: with more examples than terms scikit-learn's default picks the
        # primal one, which took minutes per class where this takes a fraction of a second.
        svm = LinearSVC(C=c, dual=True, random_state=0)  # the same model from the same data
        svm.fit(X, np.asarray(labels), sample_weight=sample_weight)
        coef, intercept = svm.coef_, svm.intercept_
        if len(svm.classes_) == 2:  # one boundary: the first class scores its negative
            coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
        weights = np.ascontiguousarray(coef.T, dtype=np.float32)
        return cls(svm.classes_, weights, intercept.astype(np.float64))

    def scores(self, X, extra: np.ndarray | None = None) -> np.ndarray:
        """The linear scores, plus ``extra`` (one row per order, one column per class)."""
        scores = np.asarray(X @ self.weights, dtype=np.float64) + self.intercept
        return scores if extra is None else scores + extra

    def proba(self, X, extra: np.ndarray | None = None) -> np.ndarray:
        return softmax(self.scores(X, extra), self.temperature)

    def calibrate(self, X, labels: Sequence[str], extra: np.ndarray | None = None) -> None:
        """Picks the softmax temperature that best predicts ``labels`` (least log loss)."""
        position = {c: i for i, c in enumerate(self.classes)}
        rows = [i for i, label in enumerate(labels) if label in position]
        if not rows:
            return
        scores = self.scores(X[rows], None if extra is None else extra[rows])
        self.calibrate_scores(scores, [labels[i] for i in rows])

    def calibrate_scores(self, scores: np.ndarray, labels: Sequence[str]) -> None:
        """The temperature that best turns ``scores`` (one column per class, in order)
        into ``labels``, every one of them a class."""
        position = {c: i for i, c in enumerate(self.classes)}
        rows = len(labels)
        truth = np.array([position[label] for label in labels])
        best, best_loss = self.temperature, None
        for temperature in _TEMPERATURES:
            p = softmax(scores.copy(), temperature)[np.arange(rows), truth]
            loss = -np.log(np.clip(p, 1e-12, None)).mean()
            if best_loss is None or loss < best_loss:
                best, best_loss = float(temperature), loss
        self.temperature = best


@dataclass(frozen=True, slots=True)
class Calibration:
    """A request written by hand with its right answers ("" where not known), for fitting
    the confidences."""

    text: str
    district: str | None
    appeal: str
    category: str
    lead: str


@dataclass
class SuggestionModel:
    vectorizer: TfidfVectorizer
    appeal: Classifier
    category: Classifier
    lead: Classifier | None
    districts: list[str]  # the lead classifier's district columns, in order
    metadata: dict = field(default_factory=dict)
    # The categories' own words (synonyms, names, catalogue keywords), spotted in the text.
    spotter: WordSpotter | None = None

    def appeal_proba(self, contents: Sequence[str], X) -> np.ndarray:
        return self.appeal.proba(appeal_features(X, contents))

    def category_proba(self, contents: Sequence[str], X) -> np.ndarray:
        return self.category.proba(X, self.spotted(contents))

    def spotted(self, contents: Sequence[str]) -> np.ndarray | None:
        """For each text and category, the weight of the category's words found in it: a
        request that names the matter in the words citizens use for it leans that way
        whatever the history says."""
        if self.spotter is None:
            return None
        found = np.zeros((len(contents), len(self.category.classes)))
        for i, content in enumerate(contents):
            for start, end, word in self.spotter.spans(content):
                columns = list(self.spotter.words[word])
                found[i, columns] += VOCABULARY_WEIGHT * min(end - start, 4) / 4
        return found

    def features(self, contents: Sequence[str]):
        """The TF-IDF rows ``vectorizer.transform`` gives (sublinear tf, l2 norm), computed
        here directly: the vectorizer's checks cost more than the arithmetic on one order."""
        vocabulary, analyzer = self.vectorizer.vocabulary_, self.vectorizer.analyzer
        columns: list[int] = []
        indptr = [0]
        for content in contents:
            columns.extend([vocabulary[t] for t in analyzer(content) if t in vocabulary])
            indptr.append(len(columns))
        X = sparse.csr_matrix(
            (np.ones(len(columns), dtype=np.float32), columns, indptr),
            shape=(len(contents), len(vocabulary)),
        )
        X.sum_duplicates()  # each term once per row, with its count
        X.data = (1.0 + np.log(X.data)) * self._idf()[X.indices]
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        norms = np.sqrt(np.bincount(rows, weights=X.data * X.data, minlength=X.shape[0]))
        X.data /= norms[rows].astype(np.float32)
        return X

    def telling_words(self, content: str, column: int, limit: int = 3) -> list[str]:
        """The words of ``content`` (segmented words, not single characters or character
        pairs) that raise the category classifier's score of ``column`` most."""
        X = self.features([content])
        names = self.vectorizer.get_feature_names_out()
        contributions = X.data * self.category.weights[X.indices, column]
        ranked = sorted(zip(contributions, X.indices, strict=True), key=lambda p: -p[0])
        return [
            str(names[i])
            for value, i in ranked
            if value > 0 and len(names[i]) > 1 and names[i][0] not in _MARKS
        ][:limit]

    def _idf(self) -> np.ndarray:
        return self.vectorizer.idf_.astype(np.float32, copy=False)

    def lead_proba(self, X, districts: Sequence[str | None]) -> np.ndarray:
        """``lead.proba(lead_features(X, districts))`` without building the wider matrix."""
        lead, width = self.lead, X.shape[1]
        scores = np.asarray(X @ lead.weights[:width], dtype=np.float64) + lead.intercept
        column = {code: i for i, code in enumerate(self.districts)}
        for i, district in enumerate(districts):
            if district in column:
                scores[i] += DISTRICT_WEIGHT * lead.weights[width + column[district]]
        return softmax(scores, lead.temperature)

    def calibrate(self, requests: Sequence[Calibration], *, appeal: bool = True) -> None:
        """Fits the temperatures on ``requests``; the appeal type's only with ``appeal``
        (not when the classifier learned these very requests)."""
        X = self.features([r.text for r in requests])
        if self.appeal is not None and appeal:
            self.appeal.calibrate(
                appeal_features(X, [r.text for r in requests]), [r.appeal for r in requests]
            )
        self.category.calibrate(
            X, [r.category for r in requests], self.spotted([r.text for r in requests])
        )
        if self.lead is not None:
            self.lead.calibrate(
                self.lead_features(X, [r.district for r in requests]), [r.lead for r in requests]
            )

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


_CUES = WordSpotter(
    {
        cue: tuple(i for i, words in enumerate(APPEAL_CUES.values()) if cue in words)
        for cue in {cue for words in APPEAL_CUES.values() for cue in words}
    }
)


def appeal_features(X, contents: Sequence[str]):
    """``X`` with a column for each appeal type: its cues found in the text."""
    rows, cols = [], []
    for i, content in enumerate(contents):
        for column in {c for _, _, cue in _CUES.spans(content) for c in _CUES.words[cue]}:
            rows.append(i)
            cols.append(column)
    C = sparse.csr_matrix(
        (np.full(len(rows), CUE_WEIGHT, dtype=np.float32), (rows, cols)),
        shape=(X.shape[0], len(APPEAL_CUES)),
    )
    return sparse.hstack([X, C], format="csr")


def _vectorizer(words) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=Analyzer(words),
        sublinear_tf=True,
        max_features=VOCABULARY_MAX,
        dtype=np.float32,
    )


@dataclass(frozen=True, slots=True)
class LabelledText:
    """A text from outside the history — the knowledge base, the directory, requests
    written by hand — with what it teaches: its category, the unit the catalogue names for
    it, its appeal type ("" when none), its weight beside one order."""

    text: str
    category: str
    lead: str
    weight: float
    appeal: str = ""


def fit(
    *,
    contents: list[str],
    appeals: list[str],
    categories: list[str],
    leads: list[str],
    districts: list[str | None],
    lead_weights: Sequence[float] | None = None,
    labelled_texts: list[LabelledText],
    words: list[str],
    vocabulary: Sequence[tuple[str, str]] = (),
    calibration: Sequence[Calibration] = (),
) -> SuggestionModel:
    """Learns from examples; ``categories``, ``appeals`` and ``leads`` hold "" where an
    example teaches nothing about them. The category and lead-unit classifiers also learn
    the ``labelled_texts``; ``lead_weights`` weigh the examples for the lead unit (1 each
    when None). The category's ``vocabulary`` — (word, category) pairs — is spotted in
    each request (``spotted``). Each classifier's temperature is fitted on the
    hand-written ``calibration`` requests (none: the default temperature)."""
    n = len(contents)
    vectorizer = _vectorizer(words)
    everything = vectorizer.fit_transform(contents + [t.text for t in labelled_texts])
    X, X_labelled = everything[:n], everything[n:]
    district_codes = sorted({d for d in districts if d})
    model = SuggestionModel(vectorizer, None, None, None, district_codes)

    def train(learn, matrix, labels, extra=None, *, label=None, weights=None, without=()):
        """``extra``: the labelled texts' rows of ``matrix``, learned with ``label(text)``
        except those at the positions ``without``; ``weights``: the examples' own (1 each
        when None)."""
        rows = [i for i, value in enumerate(labels) if value]
        texts = [j for j, t in enumerate(labelled_texts) if label and label(t) and j not in without]
        taught = [labels[i] for i in rows] + [label(labelled_texts[j]) for j in texts]
        if len(set(taught)) < 2:
            return None
        own = [weights[i] if weights is not None else 1.0 for i in rows]
        if extra is None or not texts:
            return learn(matrix[rows], taught, None if weights is None else np.array(own))
        return learn(
            sparse.vstack([matrix[rows], extra[texts]], format="csr"),
            taught,
            np.array(own + [labelled_texts[j].weight for j in texts]),
        )

    appeal_rows = appeal_features(X, contents)
    appeal_texts = appeal_features(X_labelled, [t.text for t in labelled_texts])

    def appeal_machine(without=()):
        return train(
            lambda *a: Classifier.support_vectors(*a, c=APPEAL_C),
            appeal_rows,
            appeals,
            appeal_texts,
            label=lambda t: t.appeal,
            without=without,
        )

    model.appeal = appeal_machine()
    cross_fitted = model.appeal is not None and _cross_fit_temperature(
        model.appeal, appeal_machine, appeal_texts, [t.appeal for t in labelled_texts]
    )
    model.category = train(
        Classifier.support_vectors, X, categories, X_labelled, label=lambda t: t.category
    )
    model.lead = train(
        Classifier.naive_bayes,
        model.lead_features(X, districts),
        leads,
        model.lead_features(X_labelled, [None] * len(labelled_texts)),
        label=lambda t: t.lead,
        weights=lead_weights,
    )
    column = {c: i for i, c in enumerate(model.category.classes)}
    spotted: dict[str, set[int]] = {}
    for word, category in vocabulary:
        if category in column:
            spotted.setdefault(word, set()).add(column[category])
    if spotted:
        model.spotter = WordSpotter({w: tuple(sorted(c)) for w, c in spotted.items()})
    if calibration:
        model.calibrate(calibration, appeal=not cross_fitted)
    return model


def _cross_fit_temperature(appeal: Classifier, machine, texts, labels: Sequence[str]) -> bool:
    """Fits ``appeal``'s temperature on the hand-written texts it learned (``labels``, ""
    where a text teaches no appeal type): each part of them is scored by ``machine``
    learning without that part, as the model meets words it never saw. False when there
    are too few such texts for every part to hold one of each type's."""
    taught = [j for j, label in enumerate(labels) if label]
    if len(taught) < CROSS_FIT_PARTS * len(appeal.classes):
        return False
    column = {c: i for i, c in enumerate(appeal.classes)}
    scores = np.zeros((len(taught), len(appeal.classes)))
    for part in range(CROSS_FIT_PARTS):
        held = [n for n in range(len(taught)) if n % CROSS_FIT_PARTS == part]
        without = {taught[n] for n in held}
        learned = machine(without)
        if learned is None:
            return False
        # A type no other part teaches scores far below every other type.
        part_scores = np.full((len(held), len(appeal.classes)), -1e3)
        own = learned.scores(texts[[taught[n] for n in held]])
        for k, c in enumerate(learned.classes):
            part_scores[:, column[c]] = own[:, k]
        scores[held] = part_scores
    appeal.calibrate_scores(scores, [labels[j] for j in taught])
    return True
