"""The constants of the story similarity."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from newsdesk.stories.text import FeatureWeights

# The headline and the first characters of the lead, every word alike.
LEDE_FEATURES = FeatureWeights(
    capital_boost=1.0, number_boost=1.0, title_boost=1.0, max_chars=250, tail_names=0.0
)


@dataclass(frozen=True)
class Tuning:
    """Constants of the similarity.

    The defaults were chosen on ECB+ train only by
    ``python -m newsdesk.evaluation.calibrate`` (see docs/evaluation-clustering.md).
    """

    threshold: float = 2.05
    lexical_weight: float = 4.0
    lede_weight: float = 1.0
    # The bar when the story has no article in the article's language: lede
    # words cannot match across languages, so the lede term is left out.
    plain_threshold: float = 1.80
    # A story quoting the same words as the article (``quote_words`` in a row)
    # takes it at this lower bar; ``None`` switches the quote path off.
    quote_threshold: float | None = 1.1
    quote_words: int = 7
    size_discount: float = 0.0
    semantic_threshold: float = 0.675
    # The bar of the cross-lingual vector (headline and lead) against a story with no
    # article in the article's language; ``None`` switches that path off.
    crosslingual_threshold: float | None = 0.30
    # That path's score is the cosine less this share of the best cosine of another story: an
    # article close to many stories is less surely about the nearest.
    crosslingual_rival: float = 0.25
    # When the article and a story that path passes both have an embedding (the multilingual
    # USE, a second encoder), its score also adds this weight times their cosine less
    # ``crosslingual_embedding_centre``: the two encoders err on different pairs.
    crosslingual_embedding_weight: float = 0.25
    crosslingual_embedding_centre: float = 0.55
    # Take each language's offset away from the cross-lingual vectors before comparing them
    # (newsdesk.stories.language_centres).
    language_centres: bool = True
    lexical_threshold: float = 0.275
    # On the lexical-only path, the cross-lingual vector must not fall under this cosine with
    # the story's (words shared by chance: dates, countries); ``None``: no such check.
    lexical_crosslingual_floor: float | None = 0.15
    semantic_floor: float = 0.30
    # An article whose headline and lead name days of the year (newsdesk.text.days) stays out of
    # a story that shares no word with it and whose leads name only days more than this many
    # days away from them (another event of the same kind); ``None`` switches the check off.
    day_tolerance: int | None = 7
    max_candidates: int = 16
    # An article that started a story is scored again against the other stories this many
    # articles later, if its story still holds only it, and moves to the best one it reaches
    # (newsdesk.stories.second_chance); ``None`` switches the second chance off.
    second_chance_after: int | None = 100
    doc_terms: int = 80
    story_terms: int = 400
    features: FeatureWeights = field(default_factory=lambda: FeatureWeights())
    lede_features: FeatureWeights = field(default_factory=lambda: LEDE_FEATURES)

    def to_dict(self) -> dict:
        """Plain-data form (stored with the state)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Tuning:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        if "crosslingual_rival" not in values:
            # Saved before the rival and the language offsets: its cross-lingual bar was chosen
            # without them, so the current one is taken.
            values.pop("crosslingual_threshold", None)
        values["features"] = FeatureWeights(**values.get("features", {}))
        if "lede_features" in values:
            values["lede_features"] = FeatureWeights(**values["lede_features"])
        return cls(**values)


DEFAULT_TUNING = Tuning()
